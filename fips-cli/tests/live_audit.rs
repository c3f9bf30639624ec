//! `fipsctl audit --kubeconfig` against a real kube-apiserver with the Cluster API and CAPA
//! CRDs (`scripts/kube-harness`): the documented example audits compliant with the same
//! report as the offline audit of the same objects; single mistakes, CAPA's quick-start,
//! a user without `list`, pagination, a missing CRD and an unreachable server.

#[path = "../../tests/harness/mod.rs"]
mod harness;

use std::{
    collections::BTreeSet,
    io::Write,
    net::TcpListener,
    path::Path,
    process::{Command, Output, Stdio},
    time::{Duration, Instant},
};

use harness::{
    kube::{KubeServer, User},
    server::top,
};
use serde_json::Value;

fn fipsctl(args: &[&str], stdin: &str) -> Output {
    let mut child = Command::new(env!("CARGO_BIN_EXE_fipsctl"))
        .args(args)
        .current_dir(top())
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("fipsctl runs");
    child
        .stdin
        .take()
        .expect("stdin is piped")
        .write_all(stdin.as_bytes())
        .expect("stdin written");
    child.wait_with_output().expect("fipsctl finishes")
}

fn stderr(out: &Output) -> String {
    String::from_utf8_lossy(&out.stderr).into_owned()
}

/// Runs `fipsctl --json audit ARGS`; returns the exit code and the JSON it printed.
fn audit_json(args: &[&str], stdin: &str) -> (i32, Value, String) {
    let mut full = vec!["--json", "audit"];
    full.extend_from_slice(args);
    let out = fipsctl(&full, stdin);
    let json = serde_json::from_slice(&out.stdout).unwrap_or_else(|e| {
        panic!(
            "fipsctl {full:?} printed no JSON ({e}): {}\n{}",
            String::from_utf8_lossy(&out.stdout),
            stderr(&out)
        )
    });
    (out.status.code().expect("exit code"), json, stderr(&out))
}

/// The live audit of namespace `ns` as admin.
fn live(kube: &KubeServer, ns: &str, extra: &[&str]) -> (i32, Value, String) {
    let kubeconfig = kube.kubeconfig();
    let mut args = vec![
        "--kubeconfig",
        kubeconfig.to_str().expect("UTF-8"),
        "-n",
        ns,
    ];
    args.extend_from_slice(extra);
    audit_json(&args, "")
}

/// The offline audit of `text` (read from stdin).
fn offline(text: &str) -> (i32, Value) {
    let (code, json, _) = audit_json(&["-f", "-"], text);
    (code, json)
}

fn example() -> String {
    std::fs::read_to_string(top().join("tests/kube/documented-example.yaml"))
        .expect("tests/kube/documented-example.yaml")
}

/// Applies `text` into a fresh namespace; returns it.
fn apply(kube: &KubeServer, prefix: &str, text: &str) -> String {
    let ns = kube.namespace(prefix);
    let out = kube.kubectl_stdin(User::Admin, &["apply", "-n", &ns, "-f", "-"], text);
    assert!(out.status.success(), "kubectl apply: {}", stderr(&out));
    ns
}

/// Every finding as (code, kind, field), sorted, duplicates kept.
fn findings(report: &Value) -> Vec<(String, String, String)> {
    let mut all: Vec<_> = report["clusters"]
        .as_array()
        .expect("clusters")
        .iter()
        .flat_map(|c| c["findings"].as_array().expect("findings").iter())
        .map(|f| {
            (
                f["code"].as_str().unwrap_or("").to_owned(),
                f["object"]["kind"].as_str().unwrap_or("").to_owned(),
                f["field"].as_str().unwrap_or("").to_owned(),
            )
        })
        .collect();
    all.sort();
    all
}

/// Every object of every cluster as (kind, name).
fn objects(report: &Value) -> BTreeSet<(String, String)> {
    report["clusters"]
        .as_array()
        .expect("clusters")
        .iter()
        .flat_map(|c| c["objects"].as_array().expect("objects").iter())
        .map(|o| {
            (
                o["kind"].as_str().unwrap_or("").to_owned(),
                o["name"].as_str().unwrap_or("").to_owned(),
            )
        })
        .collect()
}

/// The audited kinds at the version the live audit reads them (the newest: the harness's
/// CRDs serve v1beta2 of each), in the order it reads them, for `kubectl get`.
fn audited_resources() -> String {
    fips_core::AUDITED_KINDS
        .iter()
        .filter(|k| k.served)
        .map(|k| format!("{}.{}.{}", k.plural, k.versions[0], k.group))
        .collect::<Vec<_>>()
        .join(",")
}

#[test]
fn documented_example_live_is_compliant_with_the_offline_report_of_the_same_objects() {
    let Some(kube) = KubeServer::shared() else {
        return;
    };
    let ns = apply(kube, "live-example", &example());
    let (code, report, err) = live(kube, &ns, &[]);
    assert_eq!(code, 0, "compliant: {report:#}\n{err}");
    assert_eq!(report["compliant"], true);
    assert_eq!(report["clusters"].as_array().map(Vec::len), Some(1));
    assert_eq!(report["clusters"][0]["namespace"], ns.as_str());
    assert_eq!(report["clusters"][0]["name"], "myfipscluster");

    // The same objects, exported by kubectl at the same versions in the same order, give
    // byte-for-byte the same report offline: one fips-core function judges both.
    let exported = kube.kubectl_ok(&["get", "-n", &ns, &audited_resources(), "-o", "json"]);
    let (offline_code, offline_report) = offline(&exported);
    assert_eq!(offline_code, 0);
    assert_eq!(report, offline_report);

    // And the file as written (Cluster API kinds in v1beta1, no namespace) gives the same
    // verdict on the same objects with the same findings.
    let (file_code, file_report) = offline(&example());
    assert_eq!(file_code, 0);
    assert_eq!(findings(&report), findings(&file_report));
    assert_eq!(objects(&report), objects(&file_report));
    assert_eq!(objects(&report).len(), 7);
}

/// (what, replace, with, the finding it must give: code, kind, field)
type Mistake = (
    &'static str,
    &'static str,
    &'static str,
    (&'static str, &'static str, String),
);

#[test]
fn live_single_mistakes_give_the_code_and_jsonpath_that_fix_them() {
    let Some(kube) = KubeServer::shared() else {
        return;
    };
    let example = example();
    let cc = "spec.kubeadmConfigSpec.clusterConfiguration";
    // (what, replace, with, the finding it must give)
    let cases: [Mistake; 5] = [
        (
            "workers not FIPS",
            "      version: v1.22.8+fips.0",
            "      version: v1.22.8",
            (
                "FIPS-CLUSTER-WORKERS-BUILD-MISMATCH",
                "MachineDeployment",
                "spec.template.spec.version".into(),
            ),
        ),
        (
            "repository left out",
            "    clusterConfiguration:\n      imageRepository: docker.io/mesosphere\n",
            "    clusterConfiguration:\n",
            (
                "FIPS-K8S-REPOSITORY-NOT-FIPS",
                "KubeadmControlPlane",
                format!("{cc}.imageRepository"),
            ),
        ),
        (
            "upstream etcd tag",
            "imageTag: v3.4.13_fips.0",
            "imageTag: 3.4.13-0",
            (
                "FIPS-ETCD-NOT-FIPS-BUILD",
                "KubeadmControlPlane",
                format!("{cc}.etcd.local.imageTag"),
            ),
        ),
        (
            "no AMI",
            "      ami:\n        id: ami-03dcaa75d45aca36f\n      iamInstanceProfile: nodes",
            "      iamInstanceProfile: nodes",
            (
                "FIPS-AWS-AMI-MISSING",
                "AWSMachineTemplate",
                "spec.template.spec.ami.id".into(),
            ),
        ),
        (
            "unsupported build",
            "v1.22.8+fips.0",
            "v1.23.7+fips.0",
            (
                "FIPS-K8S-BUILD-UNSUPPORTED",
                "KubeadmControlPlane",
                "spec.version".into(),
            ),
        ),
    ];
    for (what, from, to, (code, kind, field)) in cases {
        assert!(example.contains(from), "{what}: the example has {from:?}");
        let text = example.replace(from, to);
        let ns = apply(kube, "live-mistake", &text);
        let (exit, report, err) = live(kube, &ns, &[]);
        assert_eq!(exit, 1, "{what}: not compliant: {report:#}\n{err}");
        let got = findings(&report);
        assert!(
            got.contains(&(code.to_owned(), kind.to_owned(), field.clone())),
            "{what}: expected {code} on {kind} {field}, got {got:?}"
        );
        let (offline_exit, offline_report) = offline(&text);
        assert_eq!(offline_exit, 1, "{what}: offline too");
        assert_eq!(
            got,
            findings(&offline_report),
            "{what}: same findings offline"
        );
    }
}

#[test]
fn capa_quick_start_live_is_not_compliant_with_every_reason() {
    let Some(kube) = KubeServer::shared() else {
        return;
    };
    let text =
        std::fs::read_to_string(top().join("tests/manifests/capa/cluster-template-rendered.yaml"))
            .expect("CAPA's rendered quick-start");
    let ns = apply(kube, "live-capa", &text);
    let (exit, report, err) = live(kube, &ns, &[]);
    assert_eq!(exit, 1, "{report:#}\n{err}");
    let got = findings(&report);
    let codes: BTreeSet<&str> = got.iter().map(|(c, _, _)| c.as_str()).collect();
    for code in [
        "FIPS-ETCD-NOT-FIPS-BUILD",
        "FIPS-K8S-REPOSITORY-NOT-FIPS",
        "FIPS-ETCD-REPOSITORY-NOT-FIPS",
        "FIPS-MIXED-ETCD-NOT-FIPS",
        "FIPS-AWS-AMI-MISSING",
    ] {
        assert!(codes.contains(code), "{code} missing from {got:?}");
    }
    // Every reason the offline audit of the same template gives (tests/vectors/audit.json,
    // audit-capa-quickstart), no more, no fewer.
    let (offline_exit, offline_report) = offline(&text);
    assert_eq!(offline_exit, 1);
    assert_eq!(got, findings(&offline_report));
}

#[test]
fn a_user_without_list_gets_exit_2_naming_the_verb_and_resource() {
    let Some(kube) = KubeServer::shared() else {
        return;
    };
    let ns = apply(kube, "live-rbac", &example());
    let kubeconfig = kube.kubeconfig_limited();
    let out = fipsctl(
        &[
            "audit",
            "--kubeconfig",
            kubeconfig.to_str().expect("UTF-8"),
            "-n",
            &ns,
        ],
        "",
    );
    assert_eq!(out.status.code(), Some(2), "{}", stderr(&out));
    let err = stderr(&out);
    let want = format!(
        "cannot list awsmachinetemplates.infrastructure.cluster.x-k8s.io in namespace {ns}: \
         ask for list on awsmachinetemplates in API group infrastructure.cluster.x-k8s.io"
    );
    assert!(err.contains(&want), "stderr lacks {want:?}: {err}");
    assert!(
        err.contains(r#"User "fips-limited" cannot list resource "awsmachinetemplates""#),
        "the server's words name the user: {err}"
    );
    assert_eq!(err.lines().count(), 1, "one line: {err}");
    // The JSON error says the same, as every fipsctl error does.
    let (code, json, _) = audit_json(
        &[
            "--kubeconfig",
            kubeconfig.to_str().expect("UTF-8"),
            "-n",
            &ns,
        ],
        "",
    );
    assert_eq!(code, 2);
    assert_eq!(json["error"]["kind"], "manifest");
    assert!(json["error"]["message"]
        .as_str()
        .is_some_and(|m| m.contains(&want)));
}

#[test]
fn pages_of_two_give_the_same_report_as_one_answer() {
    let Some(kube) = KubeServer::shared() else {
        return;
    };
    let example = example();
    let text: String = ["a", "b", "c"]
        .iter()
        .map(|s| example.replace("myfipscluster", &format!("myfipscluster-{s}")))
        .collect::<Vec<_>>()
        .join("\n---\n");
    let ns = apply(kube, "live-pages", &text);
    let (code, paged, paged_err) = live(kube, &ns, &["--chunk-size", "2"]);
    assert_eq!(code, 0, "{paged:#}\n{paged_err}");
    assert_eq!(paged["clusters"].as_array().map(Vec::len), Some(3));
    let (_, whole, whole_err) = live(kube, &ns, &["--chunk-size", "0"]);
    assert_eq!(paged, whole);
    let requests = |err: &str| -> usize {
        let line = err
            .lines()
            .find(|l| l.contains("list request(s)"))
            .unwrap_or_else(|| panic!("no summary line: {err}"));
        let words: Vec<&str> = line.split_whitespace().collect();
        let at = words.iter().position(|w| *w == "list").expect("list");
        words[at - 1].parse().expect("a count")
    };
    assert!(paged_err.contains("read 21 object(s)"), "{paged_err}");
    let kinds = fips_core::AUDITED_KINDS.iter().filter(|k| k.served).count();
    assert_eq!(
        requests(&whole_err),
        kinds,
        "one request per kind: {whole_err}"
    );
    // 6 AWSMachineTemplates, 3 of each other kind but the two empty ones, in pages of 2.
    assert!(
        requests(&paged_err) > kinds + 5,
        "pages of 2 take more requests: {paged_err}"
    );
}

#[test]
fn the_context_and_all_namespaces_flags_are_kubectls() {
    let Some(kube) = KubeServer::shared() else {
        return;
    };
    let ns = apply(kube, "live-all", &example());
    let kubeconfig = kube.kubeconfig();
    let kubeconfig = kubeconfig.to_str().expect("UTF-8");
    let (code, report, err) = audit_json(
        &[
            "--kubeconfig",
            kubeconfig,
            "--context",
            "fips-admin@fips-test",
            "-A",
        ],
        "",
    );
    assert!(code == 0 || code == 1, "{err}");
    let mine = report["clusters"]
        .as_array()
        .expect("clusters")
        .iter()
        .find(|c| c["namespace"] == ns.as_str())
        .unwrap_or_else(|| panic!("-A reads namespace {ns}: {report:#}"));
    assert_eq!(mine["compliant"], true);
    let out = fipsctl(
        &[
            "audit",
            "--kubeconfig",
            kubeconfig,
            "--context",
            "nope",
            "-n",
            &ns,
        ],
        "",
    );
    assert_eq!(out.status.code(), Some(2));
    assert!(stderr(&out).contains("nope"), "{}", stderr(&out));
}

#[test]
fn a_kind_without_its_crd_is_a_note_not_a_failure() {
    let Some(_) = KubeServer::shared() else {
        return;
    };
    // A server of its own: removing a CRD must not disturb the other tests.
    let kube = KubeServer::start().expect("the binaries are built, as shared() showed");
    kube.kubectl_ok(&[
        "delete",
        "crd",
        "awsclustertemplates.infrastructure.cluster.x-k8s.io",
    ]);
    let ns = apply(&kube, "live-nocrd", &example());
    let (code, report, err) = live(&kube, &ns, &[]);
    assert_eq!(code, 0, "{report:#}\n{err}");
    assert!(
        err.contains(
            "note: awsclustertemplates.infrastructure.cluster.x-k8s.io is not served (no such CRD): none read"
        ),
        "{err}"
    );
}

/// A kubeconfig for `server`, trusting any certificate (the servers here answer no TLS).
fn kubeconfig_for(dir: &Path, server: &str) -> String {
    let path = dir.join(format!("kubeconfig-{}", server.replace([':', '/'], "_")));
    std::fs::write(
        &path,
        format!(
            "apiVersion: v1\nkind: Config\nclusters:\n- name: c\n  cluster:\n    server: {server}\n    insecure-skip-tls-verify: true\nusers:\n- name: u\n  user:\n    token: t\ncontexts:\n- name: x\n  context: {{cluster: c, user: u}}\ncurrent-context: x\n"
        ),
    )
    .expect("kubeconfig written");
    path.to_str().expect("UTF-8").to_owned()
}

#[test]
fn a_server_that_never_answers_is_exit_2_after_the_timeout_never_a_hang() {
    let dir = std::env::temp_dir().join(format!("fips-live-{}", std::process::id()));
    std::fs::create_dir_all(&dir).expect("temp dir");
    // Accepts connections (the kernel's backlog does) and never says a word.
    let silent = TcpListener::bind("127.0.0.1:0").expect("bind");
    let server = format!("https://{}", silent.local_addr().expect("addr"));
    let kubeconfig = kubeconfig_for(&dir, &server);
    let start = Instant::now();
    let out = fipsctl(
        &[
            "audit",
            "--kubeconfig",
            &kubeconfig,
            "--request-timeout",
            "2s",
        ],
        "",
    );
    let took = start.elapsed();
    assert_eq!(out.status.code(), Some(2), "{}", stderr(&out));
    assert!(took < Duration::from_secs(20), "took {took:?}");
    let err = stderr(&out);
    assert!(
        err.contains(&server) && err.contains("unreachable"),
        "{err}"
    );

    // A port nobody listens on: refused at once.
    let closed = TcpListener::bind("127.0.0.1:0").expect("bind");
    let server = format!("https://{}", closed.local_addr().expect("addr"));
    drop(closed);
    let kubeconfig = kubeconfig_for(&dir, &server);
    let out = fipsctl(&["audit", "--kubeconfig", &kubeconfig], "");
    assert_eq!(out.status.code(), Some(2), "{}", stderr(&out));
    assert!(stderr(&out).contains("unreachable"), "{}", stderr(&out));
    drop(silent);
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn kubeconfig_and_files_are_one_or_the_other() {
    let out = fipsctl(&["audit", "--kubeconfig", "k", "-f", "x.yaml"], "");
    assert_eq!(out.status.code(), Some(2));
    let out = fipsctl(&["audit", "-n", "ns", "-f", "x.yaml"], "");
    assert_eq!(out.status.code(), Some(2), "-n needs --kubeconfig");
    let out = fipsctl(&["audit", "--kubeconfig", "/nonexistent/kubeconfig"], "");
    assert_eq!(out.status.code(), Some(2));
    assert!(
        stderr(&out).contains("/nonexistent/kubeconfig"),
        "{}",
        stderr(&out)
    );
    let out = fipsctl(
        &["audit", "--kubeconfig", "k", "--request-timeout", "0"],
        "",
    );
    assert_eq!(out.status.code(), Some(2), "a timeout of 0 would hang");
}

#[test]
fn a_closed_stdout_ends_the_audit_quietly() {
    // Regression: the audit printed with println!, which panics on a closed pipe.
    let mut child = Command::new(env!("CARGO_BIN_EXE_fipsctl"))
        .args([
            "--json",
            "audit",
            "-f",
            "tests/manifests/fips-aws/mistake-workers-not-fips.yaml",
        ])
        .current_dir(top())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("fipsctl runs");
    drop(child.stdout.take());
    let out = child.wait_with_output().expect("fipsctl finishes");
    assert!(!stderr(&out).contains("panicked"), "{}", stderr(&out));
}
