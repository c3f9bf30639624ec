//! `tests/vectors/audit.json` through `fipsctl --json audit` as a user runs it, and the
//! command's own conventions (exit codes, stdin, directories, one-line errors).

#[path = "../../tests/vectors/audit_loader.rs"]
mod audit_loader;

use std::{
    io::Write,
    process::{Command, Stdio},
};

use audit_loader::{check_report, load_audit, top};
use serde_json::Value;

/// Runs fipsctl with `stdin`; returns the exit code, stdout and stderr.
fn fipsctl(args: &[String], stdin: &str) -> (i32, String, String) {
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
        .expect("stdin")
        .write_all(stdin.as_bytes())
        .expect("stdin written");
    let out = child.wait_with_output().expect("fipsctl exits");
    (
        out.status.code().expect("fipsctl exits, not killed"),
        String::from_utf8(out.stdout).expect("UTF-8"),
        String::from_utf8(out.stderr).expect("UTF-8"),
    )
}

fn strings(args: &[&str]) -> Vec<String> {
    args.iter().map(|s| (*s).to_owned()).collect()
}

#[test]
fn audit_vectors_through_fipsctl() {
    for v in load_audit() {
        let mut args = vec!["--json".to_owned()];
        if let Some(p) = &v.policy {
            args.extend(["--policy".to_owned(), p.clone()]);
        }
        args.push("audit".into());
        match &v.manifests {
            Some(paths) => paths
                .iter()
                .for_each(|p| args.extend(["-f".into(), p.clone()])),
            None => args.extend(strings(&["-f", "-"])),
        }
        for p in v.old.iter().flatten() {
            args.extend(["--old".into(), p.clone()]);
        }
        let (code, stdout, stderr) = fipsctl(&args, v.text.as_deref().unwrap_or(""));
        let json: Value = serde_json::from_str(&stdout)
            .unwrap_or_else(|e| panic!("{}: stdout is not JSON ({e}): {stdout}", v.id));
        if !v.expect.valid {
            assert_eq!(code, 2, "{}: {stdout}", v.id);
            assert_eq!(
                json["error"]["kind"].as_str(),
                v.expect.error_kind.as_deref(),
                "{}",
                v.id
            );
            assert_eq!(stderr.lines().count(), 1, "{}: one line: {stderr}", v.id);
            continue;
        }
        let want = v.expect.compliant.expect("valid vectors say compliant");
        assert_eq!(
            code,
            if want { 0 } else { 1 },
            "{}: exit code; {stdout}",
            v.id
        );
        check_report(&v, &json);
    }
}

#[test]
fn missing_file_is_one_line_naming_it() {
    let (code, _, stderr) = fipsctl(
        &strings(&["audit", "-f", "tests/manifests/no-such.yaml"]),
        "",
    );
    assert_eq!(code, 2);
    assert!(
        stderr.starts_with("fipsctl: error: cannot read tests/manifests/no-such.yaml: "),
        "{stderr}"
    );
    assert_eq!(stderr.lines().count(), 1, "{stderr}");
    // The same kind as every other verb gives for a path it cannot open.
    let (code, stdout, _) = fipsctl(
        &strings(&["--json", "audit", "-f", "tests/manifests/no-such.yaml"]),
        "",
    );
    assert_eq!(code, 2);
    let json: serde_json::Value = serde_json::from_str(&stdout).expect("one JSON object");
    assert_eq!(json["error"]["kind"], "file", "{json}");
    assert_eq!(json["error"]["variant"], "not-found", "{json}");
}

#[test]
fn malformed_document_names_file_and_document() {
    let (code, _, stderr) = fipsctl(
        &strings(&["audit", "-f", "-"]),
        "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: a}\n---\nkind: [\n",
    );
    assert_eq!(code, 2);
    assert!(
        stderr.starts_with("fipsctl: error: -: document 2: "),
        "{stderr}"
    );
}

#[test]
fn unreadable_field_names_file_document_kind_and_field() {
    let (code, _, stderr) = fipsctl(
        &strings(&["audit", "-f", "tests/manifests/capa/cluster-template.yaml"]),
        "",
    );
    assert_eq!(code, 2);
    assert!(
        stderr.starts_with(
            "fipsctl: error: tests/manifests/capa/cluster-template.yaml: document 3: \
             KubeadmControlPlane \"${CLUSTER_NAME}-control-plane\": field spec.version: "
        ),
        "{stderr}"
    );
}

#[test]
fn directory_reads_manifest_files_and_recursion_is_opt_in() {
    // tests/manifests/ holds only sub-directories: without -R nothing is read.
    let (code, stdout, _) = fipsctl(&strings(&["--json", "audit", "-f", "tests/manifests"]), "");
    let json: Value = serde_json::from_str(&stdout).expect("JSON");
    assert_eq!(code, 1, "no objects: nothing shows a FIPS cluster");
    assert_eq!(json["clusters"].as_array().map(Vec::len), Some(0));
    let (code, stdout, _) = fipsctl(
        &strings(&["--json", "audit", "-R", "-f", "tests/manifests/topology"]),
        "",
    );
    let json: Value = serde_json::from_str(&stdout).expect("JSON");
    assert_eq!(code, 1);
    // The quick-start variants are versions of one Cluster (fleet/qs-fips), so they group together.
    let names: Vec<&str> = json["clusters"]
        .as_array()
        .expect("clusters")
        .iter()
        .map(|c| c["name"].as_str().expect("name"))
        .collect();
    assert_eq!(names, ["nkp-fips", "qs-fips"]);
}

#[test]
fn human_output_is_grouped_by_cluster() {
    let (code, stdout, _) = fipsctl(
        &strings(&[
            "audit",
            "-f",
            "tests/manifests/fips-aws/mistake-workers-not-fips.yaml",
        ]),
        "",
    );
    assert_eq!(code, 1);
    let mut lines = stdout.lines();
    assert_eq!(
        lines.next(),
        Some("cluster default/myfipscluster: NOT COMPLIANT (7 objects)")
    );
    assert!(
        stdout.contains(
            "FIPS-CLUSTER-WORKERS-BUILD-MISMATCH MachineDeployment default/myfipscluster-md-0"
        ),
        "{stdout}"
    );
    assert!(
        stdout.contains("fix: spec.template.spec.version: v1.22.8+fips.0"),
        "{stdout}"
    );
}
