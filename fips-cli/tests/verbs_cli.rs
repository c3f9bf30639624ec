//! The smaller gaps of the verbs: a request on standard input, one word for a good result,
//! errors that name their option, and versions the policy does not list.

use std::{
    io::Write,
    process::{Command, Output, Stdio},
};

fn run_with_stdin(args: &[&str], stdin: &str) -> Output {
    let mut child = Command::new(env!("CARGO_BIN_EXE_fipsctl"))
        .args(args)
        .current_dir(concat!(env!("CARGO_MANIFEST_DIR"), "/.."))
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("fipsctl starts");
    let mut input = child.stdin.take().expect("stdin");
    input.write_all(stdin.as_bytes()).expect("write stdin");
    drop(input);
    child.wait_with_output().expect("fipsctl ends")
}

fn run(args: &[&str]) -> Output {
    run_with_stdin(args, "")
}

fn text(bytes: &[u8]) -> String {
    String::from_utf8_lossy(bytes).into_owned()
}

/// The documented FIPS request (DESIGN: the product documentation's example), as JSON.
const DOC_REQUEST: &str = r#"{"provider":"aws","cluster_name":"myFipsCluster",
  "ami":"ami-03dcaa75d45aca36f","kubernetes_version":"1.22.8+fips.0",
  "kubernetes_image_repository":"docker.io/mesosphere","etcd_version":"3.4.13+fips.0",
  "etcd_image_repository":"docker.io/mesosphere"}"#;

#[test]
fn validate_reads_a_request_from_standard_input() {
    let out = run_with_stdin(&["validate", "--request", "-"], DOC_REQUEST);
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    assert!(text(&out.stdout).starts_with("compliant:"));
}

#[test]
fn every_verdict_says_compliant_for_a_good_result() {
    let transition = run(&[
        "transition",
        "--current",
        "1.22.8+fips.0",
        "--desired",
        "1.22.8+fips.0",
    ]);
    assert_eq!(transition.status.code(), Some(0));
    assert!(
        text(&transition.stdout).starts_with("compliant: 1.22.8+fips.0 -> 1.22.8+fips.0"),
        "{}",
        text(&transition.stdout)
    );
    let refused = run(&[
        "transition",
        "--current",
        "1.22.8",
        "--desired",
        "1.22.8+fips.0",
    ]);
    assert_eq!(refused.status.code(), Some(1));
    assert!(text(&refused.stdout).starts_with("NOT COMPLIANT: 1.22.8 -> 1.22.8+fips.0"));
    let host = run(&["host", "--root", "tests/roots/rhel84-fips"]);
    let last = text(&host.stdout);
    assert!(
        last.lines()
            .any(|l| l == "compliant" || l == "NOT COMPLIANT"),
        "{last}"
    );
    assert!(!last.lines().any(|l| l == "fine"), "{last}");
}

#[test]
fn transition_between_two_non_fips_versions_says_no_fips_rule_applied() {
    let out = run(&["transition", "--current", "1.22.8", "--desired", "1.23.0"]);
    assert_eq!(out.status.code(), Some(0));
    assert!(
        text(&out.stdout).contains("no FIPS rule applied: neither version is a FIPS build"),
        "{}",
        text(&out.stdout)
    );
}

#[test]
fn transition_errors_name_the_option() {
    let out = run(&["transition", "--current", "x", "--desired", "1.22.8+fips.0"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(
        text(&out.stderr).starts_with("fipsctl: error: --current: invalid version \"x\""),
        "{}",
        text(&out.stderr)
    );
    let out = run(&["transition", "--current", "1.22.8", "--desired", "1.22"]);
    assert!(
        text(&out.stderr).starts_with(
            "fipsctl: error: --desired: invalid version \"1.22\": the patch number is missing"
        ),
        "{}",
        text(&out.stderr)
    );
}

#[test]
fn version_of_a_fips_build_the_policy_does_not_list_says_so() {
    let out = run(&["version", "1.22.9+fips.3"]);
    assert!(
        text(&out.stdout)
            .contains("fips build: yes (fips.3), but not a kubernetes build the policy lists"),
        "{}",
        text(&out.stdout)
    );
    let listed = run(&["version", "1.22.8+fips.0"]);
    assert!(text(&listed.stdout).contains("fips build: yes (fips.0)\n"));
    let json = run(&["--json", "version", "1.22.9+fips.3"]);
    let value: serde_json::Value = serde_json::from_slice(&json.stdout).unwrap();
    assert_eq!(value["listed_in_policy"], false);
    assert_eq!(value["fips_build"], 3);
}

#[test]
fn a_pasted_command_in_one_quoted_word_is_refused_with_drop_the_quotes() {
    let out = run(&[
        "validate",
        "--",
        "dkp create cluster aws --kubernetes-version 1.22.8+fips.0",
    ]);
    assert_eq!(out.status.code(), Some(2));
    assert!(
        text(&out.stderr).contains("drop the quotes"),
        "{}",
        text(&out.stderr)
    );
}

#[test]
fn validate_of_another_command_says_it_is_not_a_create_cluster_command() {
    let out = run(&["validate", "--", "kubectl", "get", "pods"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(
        text(&out.stderr).contains("is not a create-cluster command"),
        "{}",
        text(&out.stderr)
    );
}

#[test]
fn the_verdict_ends_with_the_corrected_command_and_a_did_you_mean() {
    let out = run(&[
        "validate",
        "--",
        "dkp",
        "create",
        "cluster",
        "aws",
        "--ami=ami-03dcaa75d45aca36f",
        "--kubernetes-verison=1.22.8+fips.0",
    ]);
    assert_eq!(out.status.code(), Some(1));
    let stdout = text(&out.stdout);
    assert!(
        stdout.contains("did you mean --kubernetes-version?"),
        "{stdout}"
    );
    let lines: Vec<&str> = stdout.lines().rev().take(2).collect();
    assert_eq!(
        lines,
        [
            "  dkp create cluster aws --kubernetes-version=1.22.8+fips.0 \
             --kubernetes-image-repository=docker.io/mesosphere --etcd-version=3.4.13+fips.0 \
             --etcd-image-repository=docker.io/mesosphere --ami=ami-03dcaa75d45aca36f",
            "corrected command:",
        ],
        "{stdout}"
    );
}
