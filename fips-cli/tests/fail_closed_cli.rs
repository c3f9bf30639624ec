//! The command line fails closed: fipsctl's own options are never swallowed as request
//! flags, a pasted command is read as pflag reads it, named files never block, a closed
//! stdout never panics, and every failure under --json is one JSON object.

use std::{
    io::Read,
    path::{Path, PathBuf},
    process::{Command, Output, Stdio},
    time::{Duration, Instant},
};

use serde_json::Value;

const DOC_FLAGS: [&str; 7] = [
    "--cluster-name=myFipsCluster",
    "--ami=ami-03dcaa75d45aca36f",
    "--kubernetes-version=1.22.8+fips.0",
    "--kubernetes-image-repository=docker.io/mesosphere",
    "--etcd-image-repository=docker.io/mesosphere",
    "--etcd-version=3.4.13+fips.0",
    "--provider=aws",
];

fn top() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .expect("workspace")
        .to_owned()
}

/// Runs fipsctl, killing it (and failing) when it has not ended within 20 s.
fn run(args: &[&str]) -> Output {
    let mut child = Command::new(env!("CARGO_BIN_EXE_fipsctl"))
        .args(args)
        .current_dir(top())
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("fipsctl starts");
    let start = Instant::now();
    loop {
        if child.try_wait().expect("wait").is_some() {
            return child.wait_with_output().expect("output");
        }
        if start.elapsed() > Duration::from_secs(20) {
            child.kill().expect("kill");
            panic!("fipsctl {args:?} still runs after 20 s");
        }
        std::thread::sleep(Duration::from_millis(20));
    }
}

fn code(out: &Output) -> i32 {
    out.status.code().expect("fipsctl exits, not killed")
}

/// The exit code and the one JSON value on stdout.
fn run_json(args: &[&str]) -> (i32, Value) {
    let out = run(args);
    let stdout = String::from_utf8_lossy(&out.stdout);
    let json = serde_json::from_str(&stdout).unwrap_or_else(|e| {
        panic!("fipsctl {args:?}: stdout is not one JSON value ({e}): {stdout}")
    });
    (code(&out), json)
}

fn temp_path(name: &str) -> PathBuf {
    std::env::temp_dir().join(format!("fipsctl-fail-closed-{}-{name}", std::process::id()))
}

/// A policy under which the documented request is not compliant (no build of fipsctl
/// without the `fips` feature has a FIPS-validated module).
fn strict_policy() -> PathBuf {
    let path = temp_path("strict.toml");
    std::fs::write(&path, "extend_default = true\nrequire_fips_module = true\n").expect("write");
    path
}

#[test]
fn policy_after_the_request_flags_is_honoured() {
    let strict = strict_policy();
    let strict = strict.to_str().expect("UTF-8 path");
    let mut before = vec!["--policy", strict, "validate"];
    before.extend(DOC_FLAGS);
    let mut after = vec!["validate"];
    after.extend(DOC_FLAGS);
    after.extend(["--policy", strict]);
    let expected = code(&run(&before));
    assert_eq!(
        expected, 1,
        "the strict policy refuses the documented request"
    );
    assert_eq!(code(&run(&after)), expected, "--policy after the flags");

    let mut missing = vec!["validate"];
    missing.extend(DOC_FLAGS);
    missing.push("--policy=/nonexistent/strict.toml");
    assert_eq!(
        code(&run(&missing)),
        2,
        "a missing policy is an error, never ignored"
    );
}

#[test]
fn json_and_request_after_the_request_flags_are_honoured() {
    let mut args = vec!["validate"];
    args.extend(DOC_FLAGS);
    args.push("--json");
    let (code, json) = run_json(&args);
    assert_eq!(
        (code, json["compliant"].as_bool()),
        (0, Some(true)),
        "{json}"
    );

    let (code, json) = run_json(&["validate", "--json", "--request", "/nonexistent/r.json"]);
    assert_eq!(code, 2);
    assert_eq!(json["error"]["kind"], "file", "{json}");
}

#[test]
fn request_flags_and_a_pasted_command_together_are_refused() {
    let (code, json) = run_json(&[
        "--json",
        "validate",
        "--kubernetes-version=1.22.8+fips.0",
        "--",
        "dkp",
        "create",
        "cluster",
        "aws",
    ]);
    assert_eq!(code, 2);
    assert_eq!(json["error"]["kind"], "usage", "{json}");
}

#[test]
fn fipsctl_options_inside_a_pasted_command_belong_to_it() {
    // After the verb's `--`, --policy is a flag of the pasted command (and unknown to
    // fipsctl): it names no policy of fipsctl's.
    let mut args = vec![
        "--json", "validate", "--", "dkp", "create", "cluster", "aws",
    ];
    args.extend(DOC_FLAGS);
    args.push("--policy=/nonexistent/strict.toml");
    let (code, json) = run_json(&args);
    assert_eq!(code, 0, "{json}");
    assert!(
        json["findings"].as_array().is_some_and(Vec::is_empty),
        "{json}"
    );
}

#[test]
fn flags_after_the_pasted_commands_terminator_are_not_judged() {
    let mut args = vec![
        "--json", "validate", "--", "dkp", "create", "cluster", "aws",
    ];
    args.extend(
        DOC_FLAGS
            .iter()
            .filter(|f| !f.starts_with("--kubernetes-version")),
    );
    args.extend(["--", "--kubernetes-version=1.22.8+fips.0"]);
    let (code, json) = run_json(&args);
    // pflag never sets a flag after `--`: the version is missing (exit 1), or the word that
    // names it among the words kept unjudged is refused (exit 2); never compliant.
    assert!(matches!(code, 1 | 2), "{json}");
    assert_ne!(json["compliant"], true, "{json}");
}

#[test]
fn unknown_flag_before_a_judged_flag_is_refused_as_ambiguous() {
    let mut args = vec![
        "--json", "validate", "--", "dkp", "create", "cluster", "aws",
    ];
    args.extend(
        DOC_FLAGS
            .iter()
            .filter(|f| !f.starts_with("--kubernetes-version")),
    );
    args.extend(["--region", "--kubernetes-version=1.22.8+fips.0"]);
    let (code, json) = run_json(&args);
    assert_eq!(code, 2, "{json}");
    assert_eq!(json["error"]["kind"], "request");
    let message = json["error"]["message"].as_str().expect("message");
    assert!(
        message.contains("--region") && message.contains("--kubernetes-version=1.22.8+fips.0"),
        "{message}"
    );
}

#[test]
fn verbs_without_a_policy_refuse_policy() {
    for verb in [
        &["codes"][..],
        &["selftest"],
        &["tag", "v1.22.8_fips.0"],
        &[
            "image",
            "docker.io/mesosphere/kube-apiserver:v1.22.8_fips.0",
        ],
        &["os-release", "tests/roots/rhel84-fips/etc/os-release"],
        &["policy", "check", "examples/policy.toml"],
    ] {
        let mut args = vec!["--json", "--policy", "examples/policy.toml"];
        args.extend(verb);
        let (code, json) = run_json(&args);
        assert_eq!(code, 2, "{verb:?}: {json}");
        assert_eq!(json["error"]["kind"], "usage", "{verb:?}: {json}");
    }
}

#[test]
fn usage_errors_under_json_are_one_json_object() {
    for args in [
        &["--json", "frobnicate"][..],
        &["--json", "version"],
        &["--json", "validate", "--request"],
        &["--json", "transition", "--current", "1.22.8"],
        &["--json", "host", "--no-such-option"],
    ] {
        let out = run(args);
        assert_eq!(code(&out), 2, "{args:?}");
        let stdout = String::from_utf8_lossy(&out.stdout);
        let json: Value = serde_json::from_str(&stdout)
            .unwrap_or_else(|e| panic!("{args:?}: not JSON ({e}): {stdout}"));
        assert_eq!(json["error"]["kind"], "usage", "{args:?}: {json}");
        assert!(json["error"]["message"].is_string(), "{args:?}: {json}");
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert_eq!(stderr.lines().count(), 1, "{args:?}: one line: {stderr}");
    }
}

#[test]
fn a_missing_named_file_is_the_same_kind_for_every_reader() {
    let missing = "/nonexistent/fipsctl/file";
    for args in [
        &["--json", "os-release", missing][..],
        &["--json", "validate", "--request", missing],
        &["--json", "--policy", missing, "policy", "show"],
        &["--json", "policy", "check", missing],
        &["--json", "host", "--root", missing],
        &["--json", "scan", missing],
    ] {
        let (code, json) = run_json(args);
        assert_eq!(code, 2, "{args:?}: {json}");
        assert_eq!(json["error"]["kind"], "file", "{args:?}: {json}");
        assert_eq!(json["error"]["variant"], "not-found", "{args:?}: {json}");
        let message = json["error"]["message"].as_str().expect("message");
        assert!(message.contains(missing), "{args:?}: {message}");
    }
}

#[test]
fn a_named_fifo_never_blocks() {
    let fifo = temp_path("fifo");
    let _ = std::fs::remove_file(&fifo);
    let made = Command::new("mkfifo")
        .arg(&fifo)
        .status()
        .expect("mkfifo runs");
    assert!(made.success(), "mkfifo");
    let fifo = fifo.to_str().expect("UTF-8 path");
    for args in [
        &["--json", "--policy", fifo, "policy", "show"][..],
        &["--json", "policy", "check", fifo],
        &["--json", "validate", "--request", fifo],
        &["--json", "os-release", fifo],
        &[
            "--json",
            "--policy",
            fifo,
            "transition",
            "--current=1.22.8",
            "--desired=1.22.8",
        ],
    ] {
        let (code, json) = run_json(args);
        assert_eq!(code, 2, "{args:?}: {json}");
        let message = json["error"]["message"].as_str().expect("message");
        assert!(message.contains("found a fifo"), "{args:?}: {message}");
    }
    let _ = std::fs::remove_file(fifo);
}

#[test]
fn a_closed_stdout_ends_quietly_with_the_verdicts_status() {
    for args in [
        &["--json", "selftest"][..],
        &["codes"],
        &["--json", "codes"],
    ] {
        let mut child = Command::new(env!("CARGO_BIN_EXE_fipsctl"))
            .args(args)
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .expect("fipsctl starts");
        // The reader goes away before fipsctl writes: every write meets a closed pipe.
        drop(child.stdout.take());
        let mut stderr = String::new();
        child
            .stderr
            .take()
            .expect("stderr")
            .read_to_string(&mut stderr)
            .expect("read stderr");
        let status = child.wait().expect("wait");
        assert_eq!(status.code(), Some(0), "{args:?}: {stderr}");
        assert!(
            stderr.is_empty(),
            "{args:?}: quiet, like ls | head: {stderr}"
        );
    }
}
