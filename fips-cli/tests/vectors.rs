//! The cross-language conformance vectors, through `fipsctl --json` as a user runs it.

#[path = "../../tests/vectors/loader.rs"]
mod loader;

use std::{path::PathBuf, process::Command};

use loader::{load, top, VerdictExpect};
use serde_json::Value;

/// Runs fipsctl; returns the exit code and the parsed JSON on stdout.
fn fipsctl(args: &[&str]) -> (i32, Value) {
    let out = Command::new(env!("CARGO_BIN_EXE_fipsctl"))
        .args(args)
        .current_dir(top())
        .output()
        .expect("fipsctl runs");
    let code = out.status.code().expect("fipsctl exits, not killed");
    let stdout = String::from_utf8(out.stdout).expect("UTF-8 output");
    let json = serde_json::from_str(&stdout)
        .unwrap_or_else(|e| panic!("fipsctl {args:?}: stdout is not JSON ({e}): {stdout}"));
    if code == 2 {
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert!(
            stderr.starts_with("fipsctl: error: "),
            "one-line error on stderr: {stderr}"
        );
        assert_eq!(stderr.lines().count(), 1, "one line: {stderr}");
    }
    (code, json)
}

fn temp_file(name: &str, text: &str) -> PathBuf {
    let path = std::env::temp_dir().join(format!("fipsctl-test-{}-{name}", std::process::id()));
    std::fs::write(&path, text).expect("temp file");
    path
}

fn codes(json: &Value) -> Vec<String> {
    json["findings"]
        .as_array()
        .expect("findings")
        .iter()
        .map(|f| f["code"].as_str().expect("code").to_owned())
        .collect()
}

fn check_verdict(id: &str, expect: &VerdictExpect, key: &str, code: i32, json: &Value) {
    if !expect.valid {
        assert_eq!(code, 2, "{id}: {json}");
        assert_eq!(
            json["error"]["kind"].as_str(),
            expect.error_kind.as_deref(),
            "{id}: {json}"
        );
        return;
    }
    let want = expect.compliant.or(expect.allowed).expect("verdict");
    assert_eq!(code, if want { 0 } else { 1 }, "{id}: exit code; {json}");
    assert_eq!(json[key].as_bool(), Some(want), "{id}: {json}");
    assert_eq!(Some(codes(json)), expect.codes, "{id}");
    for (c, remediation) in &expect.remediations {
        let finding = json["findings"]
            .as_array()
            .and_then(|fs| fs.iter().find(|f| f["code"] == c.as_str()))
            .unwrap_or_else(|| panic!("{id}: no {c}"));
        assert_eq!(
            finding["remediation"].as_str(),
            Some(remediation.as_str()),
            "{id}"
        );
        for field in ["code", "severity", "field", "message", "remediation"] {
            assert!(finding[field].is_string(), "{id}: finding.{field}");
        }
    }
}

#[test]
fn versions() {
    for v in load().versions {
        for (component, want_tag) in [
            ("kubernetes", &v.expect.kubernetes_tag),
            ("etcd", &v.expect.etcd_tag),
        ] {
            let (code, json) = fipsctl(&[
                "--json",
                "version",
                "--component",
                component,
                "--",
                &v.input,
            ]);
            if !v.expect.valid {
                assert_eq!(code, 2, "{}: {json}", v.id);
                assert_eq!(json["error"]["kind"], "version", "{}", v.id);
                continue;
            }
            assert_eq!(code, 0, "{}: {json}", v.id);
            assert_eq!(json["input"].as_str(), Some(v.input.as_str()), "{}", v.id);
            assert_eq!(
                json["version"].as_str(),
                v.expect.version.as_deref(),
                "{}",
                v.id
            );
            assert_eq!(json["fips"].as_bool(), v.expect.fips, "{}", v.id);
            assert_eq!(json["fips_build"].as_u64(), v.expect.fips_build, "{}", v.id);
            assert_eq!(
                json["tag"].as_str(),
                want_tag.as_deref(),
                "{} ({component})",
                v.id
            );
        }
    }
}

#[test]
fn tags() {
    for v in load().tags {
        let (code, json) = fipsctl(&["--json", "tag", "--", &v.tag]);
        if v.expect.valid {
            assert_eq!(code, 0, "{}: {json}", v.id);
            assert_eq!(
                json["version"].as_str(),
                v.expect.version.as_deref(),
                "{}",
                v.id
            );
        } else {
            assert_eq!(code, 2, "{}: {json}", v.id);
            assert_eq!(json["error"]["kind"], "tag", "{}", v.id);
        }
    }
}

#[test]
fn images() {
    for v in load().images {
        let (code, json) = fipsctl(&["--json", "image", "--", &v.input]);
        let e = &v.expect;
        if !e.valid {
            assert_eq!(code, 2, "{}: {json}", v.id);
            assert_eq!(json["error"]["kind"], "image", "{}", v.id);
            continue;
        }
        assert_eq!(code, 0, "{}: {json}", v.id);
        assert_eq!(json["registry"].as_str(), e.registry.as_deref(), "{}", v.id);
        assert_eq!(
            json["repository"].as_str(),
            e.repository.as_deref(),
            "{}",
            v.id
        );
        assert_eq!(json["tag"].as_str(), e.tag.as_deref(), "{}", v.id);
        assert_eq!(json["digest"].as_str(), e.digest.as_deref(), "{}", v.id);
        assert_eq!(
            json["reference"].as_str(),
            e.reference.as_deref(),
            "{}",
            v.id
        );
    }
}

#[test]
fn requests() {
    for v in load().requests {
        let mut args: Vec<String> = vec!["--json".into()];
        if let Some(policy) = &v.policy {
            args.extend(["--policy".into(), policy.clone()]);
        }
        args.push("validate".into());
        let request_file;
        match (&v.args, &v.json) {
            (Some(argv), None) => {
                args.push("--".into());
                args.extend(argv.iter().cloned());
            }
            (None, Some(json)) => {
                request_file = temp_file(&format!("{}.json", v.id), &json.to_string());
                args.extend(["--request".into(), request_file.display().to_string()]);
            }
            _ => panic!("{}: give exactly one of args and json", v.id),
        }
        let args: Vec<&str> = args.iter().map(String::as_str).collect();
        let (code, json) = fipsctl(&args);
        check_verdict(&v.id, &v.expect, "compliant", code, &json);
    }
}

#[test]
fn transitions() {
    for v in load().transitions {
        let current = format!("--current={}", v.current);
        let desired = format!("--desired={}", v.desired);
        let (code, json) = fipsctl(&["--json", "transition", &current, &desired]);
        check_verdict(&v.id, &v.expect, "allowed", code, &json);
    }
}

#[test]
fn osrelease() {
    for v in load().osrelease {
        let file = match (&v.text, &v.root, &v.path) {
            (Some(text), None, None) => temp_file(&v.id, text),
            (None, Some(root), Some(path)) => top().join(root).join(path),
            _ => panic!("{}: give text, or root and path", v.id),
        };
        let (code, json) = fipsctl(&["--json", "os-release", &file.display().to_string()]);
        assert_eq!(code, 0, "{}: {json}", v.id);
        let parsed: std::collections::BTreeMap<String, String> =
            serde_json::from_value(json["fields"].clone()).expect("fields");
        let fields = loader::expected_fields(&v, &parsed);
        assert_eq!(fields, v.expect.fields, "{}", v.id);
        if let Some(ignored) = &v.expect.ignored_lines {
            let got: Vec<usize> =
                serde_json::from_value(json["ignored_lines"].clone()).expect("ignored_lines");
            assert_eq!(&got, ignored, "{}", v.id);
        }
    }
}

#[test]
fn hosts() {
    for v in load().hosts {
        let (code, json) = fipsctl(&["--json", "host", "--root", &v.root]);
        let e = &v.expect;
        if !e.valid {
            assert_eq!(code, 2, "{}: {json}", v.id);
            assert_eq!(
                json["error"]["kind"].as_str(),
                e.error_kind.as_deref(),
                "{}",
                v.id
            );
            continue;
        }
        let want = e.compliant.expect("compliant");
        assert_eq!(code, if want { 0 } else { 1 }, "{}: {json}", v.id);
        match &e.os {
            Some(os) => {
                assert_eq!(json["os"]["id"].as_str(), Some(os.id.as_str()), "{}", v.id);
                assert_eq!(
                    json["os"]["version"].as_str(),
                    os.version.as_deref(),
                    "{}",
                    v.id
                );
                for key in ["version_id", "pretty_name"] {
                    assert!(json["os"].get(key).is_some(), "{}: os.{key}", v.id);
                }
            }
            None => assert!(json["os"].is_null(), "{}", v.id),
        }
        assert_eq!(json["os_supported"].as_bool(), e.os_supported, "{}", v.id);
        assert_eq!(json["fips_mode"].as_bool(), e.fips_mode, "{}", v.id);
        assert_eq!(json["fips_prepared"].as_bool(), e.fips_prepared, "{}", v.id);
        assert!(json["signals"].is_object(), "{}", v.id);
        assert_eq!(json["root"].as_str(), Some(v.root.as_str()), "{}", v.id);
        assert_eq!(Some(codes(&json)), e.codes, "{}", v.id);
    }
}

#[test]
fn distros() {
    for v in load().distros {
        let (code, json) = fipsctl(&["--json", "host", "--root", &v.root]);
        assert!(code == 0 || code == 1, "{}: {json}", v.id);
        assert_eq!(
            json["os"]["id"].as_str(),
            v.expect.id.as_deref(),
            "{}",
            v.id
        );
        assert_eq!(
            json["os"]["version"].as_str(),
            v.expect.version.as_deref(),
            "{}",
            v.id
        );
        assert_eq!(
            json["os_supported"].as_bool(),
            Some(v.expect.supported),
            "{}",
            v.id
        );
    }
}

#[test]
fn doc_example_is_compliant_and_each_omission_names_its_flag() {
    let doc = [
        "dkp",
        "create",
        "cluster",
        "aws",
        "--cluster-name",
        "myFipsCluster",
        "--ami=ami-03dcaa75d45aca36f",
        "--kubernetes-version=1.22.8+fips.0",
        "--kubernetes-image-repository=docker.io/mesosphere",
        "--etcd-image-repository=docker.io/mesosphere",
        "--etcd-version=3.4.13+fips.0",
    ];
    let out = Command::new(env!("CARGO_BIN_EXE_fipsctl"))
        .arg("validate")
        .arg("--")
        .args(doc)
        .output()
        .expect("runs");
    assert_eq!(out.status.code(), Some(0));
    assert!(String::from_utf8_lossy(&out.stdout).starts_with("compliant"));

    for (drop, code, fix) in [
        ("--ami", "FIPS-AWS-AMI-MISSING", "--ami="),
        (
            "--kubernetes-image-repository",
            "FIPS-K8S-REPOSITORY-NOT-FIPS",
            "--kubernetes-image-repository=docker.io/mesosphere",
        ),
        (
            "--etcd-image-repository",
            "FIPS-ETCD-REPOSITORY-NOT-FIPS",
            "--etcd-image-repository=docker.io/mesosphere",
        ),
    ] {
        let args: Vec<&str> = doc
            .iter()
            .copied()
            .filter(|a| !a.starts_with(drop))
            .collect();
        let out = Command::new(env!("CARGO_BIN_EXE_fipsctl"))
            .arg("validate")
            .arg("--")
            .args(&args)
            .output()
            .expect("runs");
        assert_eq!(out.status.code(), Some(1), "without {drop}");
        let text = String::from_utf8_lossy(&out.stdout);
        assert!(
            text.contains(code) && text.contains(fix),
            "without {drop}: {text}"
        );
    }
}

#[test]
fn usage_errors_exit_2() {
    for args in [
        &["validate", "--request"][..],
        &["frobnicate"],
        &["version"],
        &["--json", "policy", "check", "/nonexistent.toml"],
    ] {
        let out = Command::new(env!("CARGO_BIN_EXE_fipsctl"))
            .args(args)
            .output()
            .expect("runs");
        assert_eq!(out.status.code(), Some(2), "{args:?}");
    }
}

#[test]
fn example_policy_checks_and_bad_policy_names_line() {
    let (code, json) = fipsctl(&["--json", "policy", "check", "examples/policy.toml"]);
    assert_eq!(code, 0, "{json}");
    assert_eq!(json["builds"].as_array().map(Vec::len), Some(2));
    let bad = temp_file("bad.toml", "[[builds]]\nkubernetes = 3\n");
    let (code, json) = fipsctl(&["--json", "policy", "check", &bad.display().to_string()]);
    assert_eq!(code, 2);
    assert_eq!(json["error"]["kind"], "policy");
    assert!(
        json["error"]["message"]
            .as_str()
            .is_some_and(|m| m.contains("line 2")),
        "{json}"
    );
}

#[test]
fn selftest_and_version_name_the_module() {
    let (code, json) = fipsctl(&["--json", "selftest"]);
    assert_eq!(code, 0, "{json}");
    assert_eq!(json["passed"], true);
    assert!(json["kats"].as_array().is_some_and(|k| !k.is_empty()));
    let out = Command::new(env!("CARGO_BIN_EXE_fipsctl"))
        .arg("--version")
        .output()
        .expect("runs");
    assert!(String::from_utf8_lossy(&out.stdout).contains("AWS-LC"));
}

/// The product documentation names the images a FIPS cluster pulls:
/// `docker.io/mesosphere/kube-apiserver:v1.22.8_fips.0`, `.../kube-proxy:v1.22.8_fips.0`
/// and `docker.io/mesosphere/etcd:v3.4.13_fips.0`. kubeadm pulls pause and CoreDNS from the
/// same imageRepository (`cmd/kubeadm/app/images/images.go`: `GetPauseImage`,
/// `GetDNSImage`), at the tags of its v1.22.8 constants (`PauseVersion = "3.5"`,
/// `CoreDNSVersion = "v1.8.4"`); they are not FIPS rebuilds.
#[test]
fn images_of_the_doc_example() {
    let (code, json) = fipsctl(&[
        "--json",
        "images",
        "--",
        "dkp",
        "create",
        "cluster",
        "aws",
        "--kubernetes-version=1.22.8+fips.0",
        "--kubernetes-image-repository=docker.io/mesosphere",
        "--etcd-image-repository=docker.io/mesosphere",
        "--etcd-version=3.4.13+fips.0",
    ]);
    assert_eq!(code, 0, "{json}");
    let refs: Vec<(&str, bool)> = json
        .as_array()
        .expect("a list")
        .iter()
        .map(|i| {
            (
                i["image"]["reference"].as_str().expect("reference"),
                i["fips"].as_bool().expect("fips"),
            )
        })
        .collect();
    for want in [
        "docker.io/mesosphere/kube-apiserver:v1.22.8_fips.0",
        "docker.io/mesosphere/kube-proxy:v1.22.8_fips.0",
        "docker.io/mesosphere/etcd:v3.4.13_fips.0",
    ] {
        assert!(refs.contains(&(want, true)), "{want} in {refs:?}");
    }
    assert!(
        refs.contains(&("docker.io/mesosphere/coredns:v1.8.4", false)),
        "{refs:?}"
    );
    assert!(
        refs.contains(&("docker.io/mesosphere/pause:3.5", false)),
        "{refs:?}"
    );
}

/// Issue 12, item 18: a FIPS tag from another repository is not labelled fips.
#[test]
fn images_label_fips_by_repository_and_tag() {
    let (code, json) = fipsctl(&[
        "--json",
        "images",
        "--",
        "--kubernetes-version=1.22.8+fips.0",
        "--kubernetes-image-repository=evil.example.com/x",
    ]);
    assert_eq!(code, 0, "{json}");
    let apiserver = &json.as_array().expect("a list")[0];
    assert_eq!(
        apiserver["image"]["reference"],
        "evil.example.com/x/kube-apiserver:v1.22.8_fips.0"
    );
    assert_eq!(apiserver["fips"], false, "{apiserver}");
}

/// `fipsctl scan --json` keeps the shape issue 7 promises; a missing path is bad input.
#[test]
fn scan_shape_and_bad_input() {
    let me = env!("CARGO_BIN_EXE_fipsctl");
    let (code, json) = fipsctl(&["--json", "scan", me]);
    assert_eq!(
        code, 0,
        "fipsctl is not a FIPS component, so it is not judged: {json}"
    );
    let result = &json["results"][0];
    for key in [
        "path",
        "format",
        "go_version",
        "crypto_module",
        "evidence",
        "settings",
        "findings",
    ] {
        assert!(result.get(key).is_some(), "results[0].{key} in {json}");
    }
    assert_eq!(
        result["format"], "elf",
        "a Rust binary has no Go build information"
    );
    assert_eq!(result["findings"][0]["code"], "FIPS-SCAN-NOT-GO");
    let (code, json) = fipsctl(&["--json", "scan", "/nonexistent/kube-apiserver"]);
    assert_eq!(code, 2, "{json}");
    assert_eq!(json["error"]["kind"], "file");
}

/// The fipsctl command line of an `errors.json` call; a text input (a request, a policy) is
/// written to a file first, as a user would give it.
fn error_command(v: &loader::ErrorVector) -> Vec<String> {
    let owned = |args: &[&str]| args.iter().map(|a| a.to_string()).collect::<Vec<_>>();
    let file = |ext: &str| {
        temp_file(&format!("{}.{ext}", v.id), v.one())
            .display()
            .to_string()
    };
    let mut args = owned(&["--json"]);
    match v.call.as_str() {
        "version" => args.extend(owned(&["version", "--", v.one()])),
        "tag" => args.extend(owned(&["tag", "--", v.one()])),
        "image" => args.extend(owned(&["image", "--", v.one()])),
        "request-args" => {
            args.extend(owned(&["validate", "--"]));
            args.extend(v.input.iter().cloned());
        }
        "request-json" => args.extend(owned(&["validate", "--request", &file("json")])),
        "transition" => match v.input.as_slice() {
            [current, desired] => args.extend([
                "transition".into(),
                format!("--current={current}"),
                format!("--desired={desired}"),
            ]),
            other => panic!(
                "{}: transition takes current and desired, got {other:?}",
                v.id
            ),
        },
        "policy-toml" => args.extend(owned(&["policy", "check", &file("toml")])),
        "policy-file" => args.extend(owned(&["policy", "check", v.one()])),
        "host" => args.extend(owned(&["host", "--root", v.one()])),
        "scan" => {
            args.push("scan".into());
            args.extend(v.input.iter().cloned());
        }
        other => panic!("{}: unknown call {other:?}", v.id),
    }
    args
}

#[test]
fn errors() {
    let vectors = load().errors;
    assert!(!vectors.is_empty(), "no errors.json vectors");
    for v in vectors {
        let args = error_command(&v);
        let args: Vec<&str> = args.iter().map(String::as_str).collect();
        let (code, json) = fipsctl(&args);
        assert_eq!(code, 2, "{}: {json}", v.id);
        let error = &json["error"];
        assert_eq!(
            (error["kind"].as_str(), error["variant"].as_str()),
            (
                Some(v.expect.kind.as_str()),
                Some(v.expect.variant.as_str())
            ),
            "{}: {json}",
            v.id
        );
        assert!(
            error["message"].as_str().is_some_and(|m| !m.is_empty()),
            "{}: {json}",
            v.id
        );
    }
}
