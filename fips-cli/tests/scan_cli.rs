//! `fipsctl scan` over real trees: a summary naming each failing file, `--quiet`, no
//! progress output when stderr is not a terminal, one JSON document under `--json`, and
//! unreadable directories as findings.

use std::{
    fs,
    path::{Path, PathBuf},
    process::{Command, Output, Stdio},
};

use serde_json::Value;

fn fipsctl() -> Command {
    let mut c = Command::new(env!("CARGO_BIN_EXE_fipsctl"));
    c.stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped());
    c
}

fn run(args: &[&str]) -> Output {
    fipsctl().args(args).output().expect("fipsctl runs")
}

fn stdout(out: &Output) -> String {
    String::from_utf8(out.stdout.clone()).expect("UTF-8")
}

/// A tree with one failing component (`etcd`, not a Go binary), one ELF that is no component,
/// and a file that is neither.
fn tree(name: &str) -> PathBuf {
    tree_in(Path::new(env!("CARGO_TARGET_TMPDIR")), name)
}

fn tree_in(parent: &Path, name: &str) -> PathBuf {
    let dir = parent.join(format!("scan-cli-{name}-{}", std::process::id()));
    let _ = fs::remove_dir_all(&dir);
    fs::create_dir_all(dir.join("bin")).unwrap();
    fs::write(dir.join("bin/etcd"), "#!/bin/sh\n").unwrap();
    fs::copy("/bin/true", dir.join("bin/true")).unwrap();
    fs::write(dir.join("README"), "text\n").unwrap();
    dir
}

#[test]
fn the_summary_names_each_failing_file_and_its_code_with_counts() {
    let dir = tree("summary");
    let out = run(&["scan", dir.to_str().unwrap()]);
    assert_eq!(out.status.code(), Some(1));
    let text = stdout(&out);
    let tail: Vec<&str> = text.lines().rev().take(4).collect();
    let etcd = dir.join("bin/etcd");
    assert_eq!(
        tail,
        [
            "NOT COMPLIANT: 2 file(s) judged: 1 not compliant, 0 compliant with warnings, \
             1 compliant",
            "",
            &format!("  {}  FIPS-SCAN-NOT-GO", etcd.display()),
            "not compliant (1):",
        ],
        "{text}"
    );
}

#[test]
fn quiet_prints_only_the_files_with_a_problem() {
    let dir = tree("quiet");
    let out = run(&["scan", "--quiet", dir.to_str().unwrap()]);
    let text = stdout(&out);
    assert!(!text.contains("bin/true"), "{text}");
    assert!(
        text.starts_with(&format!("{}\n", dir.join("bin/etcd").display())),
        "{text}"
    );
    assert!(text.contains("not compliant (1):"), "{text}");
}

#[test]
fn no_progress_is_written_when_stderr_is_not_a_terminal() {
    let dir = tree("progress");
    let out = run(&["scan", dir.to_str().unwrap()]);
    assert_eq!(String::from_utf8_lossy(&out.stderr), "");
}

#[test]
fn json_stays_one_document() {
    let dir = tree("json");
    let out = run(&["scan", "--json", dir.to_str().unwrap()]);
    let value: Value = serde_json::from_slice(&out.stdout).expect("one JSON document");
    assert_eq!(value["results"].as_array().map(Vec::len), Some(2));
    assert_eq!(value["compliant"], false);
}

#[test]
fn exclude_and_one_file_system_are_taken() {
    let dir = tree("exclude");
    let out = run(&[
        "scan",
        "--json",
        "-x",
        "--exclude",
        "etcd",
        dir.to_str().unwrap(),
    ]);
    let value: Value = serde_json::from_slice(&out.stdout).expect("one JSON document");
    assert_eq!(value["results"].as_array().map(Vec::len), Some(1));
    assert_eq!(out.status.code(), Some(0));
}

/// As a user who cannot read a directory inside the tree (root reads everything, so the
/// scan runs as `nobody` through setpriv): the directory is a finding, and the scan goes on
/// to a verdict.
#[test]
fn an_unreadable_directory_is_a_finding_not_the_end_of_the_scan() {
    if Command::new("setpriv").arg("--version").output().is_err() {
        eprintln!("no setpriv here: nothing to check");
        return;
    }
    // The unprivileged user must reach the tree and fipsctl, wherever the target directory
    // is (under a 0700 home, a CI cache): both go under the system's temporary directory.
    let base = std::env::temp_dir().join(format!("fips-scan-cli-{}", std::process::id()));
    let _ = fs::remove_dir_all(&base);
    fs::create_dir_all(&base).unwrap();
    let fipsctl = base.join("fipsctl");
    fs::copy(env!("CARGO_BIN_EXE_fipsctl"), &fipsctl).unwrap();
    let dir = tree_in(&base, "unreadable");
    fs::create_dir_all(dir.join("locked")).unwrap();
    use std::os::unix::fs::PermissionsExt;
    for p in [base.as_path(), dir.as_path(), &dir.join("bin")] {
        let mode = fs::metadata(p).unwrap().permissions().mode();
        fs::set_permissions(p, fs::Permissions::from_mode(mode | 0o755)).unwrap();
    }
    fs::set_permissions(dir.join("locked"), fs::Permissions::from_mode(0o000)).unwrap();
    let out = Command::new("setpriv")
        .args(["--reuid=65534", "--regid=65534", "--clear-groups"])
        .arg(&fipsctl)
        .args(["scan", "--json", dir.to_str().unwrap()])
        .output()
        .unwrap();
    let value: Value = serde_json::from_slice(&out.stdout).unwrap_or_else(|_| {
        panic!(
            "one JSON document, got {:?} / {:?}",
            String::from_utf8_lossy(&out.stdout),
            String::from_utf8_lossy(&out.stderr)
        )
    });
    let locked = dir.join("locked").display().to_string();
    let result = value["results"]
        .as_array()
        .unwrap()
        .iter()
        .find(|r| r["path"] == locked.as_str())
        .expect("the locked directory is a result");
    assert_eq!(result["findings"][0]["code"], "FIPS-SCAN-DIR-UNREADABLE");
    assert_eq!(result["findings"][0]["severity"], "error");
    assert_eq!(out.status.code(), Some(1));
    // The rest of the tree was still judged.
    assert_eq!(value["results"].as_array().map(Vec::len), Some(3));
    fs::set_permissions(dir.join("locked"), fs::Permissions::from_mode(0o755)).unwrap();
    let _ = fs::remove_dir_all(&base);
}
