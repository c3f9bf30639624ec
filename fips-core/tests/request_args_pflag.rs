//! Differential test of the command-line reader against a pflag model (`pflag_model/`):
//! whatever the types of the flags fipsctl does not know, a request it reads is the request
//! pflag reads, and it is never compliant where pflag refuses.

mod pflag_model;

use pflag_model::{check, parse, FlagType, JUDGED};
use proptest::prelude::*;

/// Words of create-cluster command lines, with the traps of pflag among them.
fn word() -> impl Strategy<Value = String> {
    let judged = prop::sample::select(JUDGED.to_vec()).prop_map(str::to_owned);
    let value = prop::sample::select(vec![
        "1.22.8+fips.0",
        "1.22.8",
        "3.4.13+fips.0",
        "docker.io/mesosphere",
        "ami-03dcaa75d45aca36f",
        "rhel-8.4",
        "aws",
        "us-west-2",
        "",
    ])
    .prop_map(str::to_owned);
    let other = prop::sample::select(vec![
        "--region",
        "--verbose",
        "--dry-run",
        "--help",
        "-h",
        "-v",
        "-vx",
        "-v=1",
        "-",
        "--",
        "---kubernetes-version",
        "--=x",
        "dkp",
        "create",
        "cluster",
    ])
    .prop_map(str::to_owned);
    prop_oneof![
        2 => judged.clone(),
        3 => (judged, value.clone()).prop_map(|(f, v)| format!("{f}={v}")),
        3 => value,
        3 => other,
        1 => (prop::sample::select(vec!["--region", "-v"]), "[a-z0-9.=-]{0,6}")
            .prop_map(|(f, v)| format!("{f}={v}")),
    ]
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(4096))]

    #[test]
    fn command_line_reads_as_pflag_reads_it(words in prop::collection::vec(word(), 0..10)) {
        let words: Vec<&str> = words.iter().map(String::as_str).collect();
        check(&words);
    }
}

/// The model itself follows pflag on its documented cases.
#[test]
fn pflag_model_follows_flag_go() {
    let valued = |_: &str| FlagType::Valued;
    let boolean = |_: &str| FlagType::Bool;
    // "--" terminates the flags.
    let r = parse(&["--", "--ami=x"], &valued).unwrap();
    assert!(r.judged.is_empty());
    assert_eq!(r.positional, ["--ami=x"]);
    // A flag that takes a value takes the next word, whatever it is.
    let r = parse(&["--region", "--ami=x"], &valued).unwrap();
    assert!(r.judged.is_empty());
    let r = parse(&["--region", "--ami=x"], &boolean).unwrap();
    assert_eq!(r.judged, [("--ami".to_owned(), "x".to_owned())]);
    // '-farg' takes the rest of the word; '-f arg' the next.
    let r = parse(&["-vx", "--ami=x"], &valued).unwrap();
    assert_eq!(r.judged.len(), 1);
    let r = parse(&["-v", "--ami=x"], &valued).unwrap();
    assert!(r.judged.is_empty());
}

/// Kept cases: each once read differently from pflag (or compliant where pflag refuses).
#[test]
fn known_disagreements_with_pflag_stay_closed() {
    for words in [
        &[
            "--etcd-version=3.4.13+fips.0",
            "--",
            "--kubernetes-version=1.22.8+fips.0",
        ][..],
        &["--region", "--kubernetes-version=1.22.8+fips.0"],
        &["--cluster-name", "--kubernetes-version=1.22.8+fips.0"],
        &["dkp", "create", "--verbose", "cluster", "aws"],
        &["-v", "--ami=ami-03dcaa75d45aca36f"],
        &["-v=", "--provider=aws"],
    ] {
        check(words);
    }
}
