//! Unit tests of the runner. The break-kat tests live in `fips-core/tests/selftest_break.rs`.

use std::{
    collections::BTreeSet,
    process::Command,
    sync::{Arc, Barrier},
    thread,
};

use super::*;

/// Every test of both phases, in the order the full suite runs them.
fn all_tests() -> impl Iterator<Item = &'static Kat> {
    POWER_ON.iter().chain(CONDITIONAL)
}

#[test]
fn every_kat_passes_and_there_are_at_least_14() {
    let report = selftest();
    assert!(
        POWER_ON.len() + CONDITIONAL.len() >= 14,
        "issue 4 asks for at least 14 named KATs"
    );
    assert_eq!(report.kats.len(), all_tests().count());
    let order: Vec<&str> = report.kats.iter().map(|k| k.name.as_str()).collect();
    let expected: Vec<&str> = all_tests().map(|k| k.name).collect();
    assert_eq!(
        order, expected,
        "power-on tests first, then the conditional ones"
    );
    for kat in &report.kats {
        assert!(kat.passed, "{}: {:?}", kat.name, kat.error);
        assert!(kat.error.is_none());
    }
    assert!(report.passed);
    assert_eq!(ensure_passed(), Ok(()));
    assert_eq!(randomness_selftest(), Ok(()));
}

#[test]
fn the_conditional_tests_are_those_only_tls_and_key_generation_need() {
    // Frozen on purpose: moving a test between phases changes when it runs (docs/selftest.md).
    let conditional: Vec<&str> = CONDITIONAL.iter().map(|k| k.name).collect();
    assert_eq!(
        conditional,
        [
            "AWS-LC-SELF-TEST",
            "RNG-HEALTH",
            "ECDSA-P256-PCT",
            "ECDSA-P384-PCT"
        ]
    );
    // What verdicts hash with (scan digests) is tested at power-on, with published vectors.
    let power_on: Vec<&str> = POWER_ON.iter().map(|k| k.name).collect();
    assert!(power_on.contains(&"SHA-256"), "{power_on:?}");
}

#[test]
fn names_are_unique_and_every_kat_cites_a_source() {
    let names: BTreeSet<&str> = all_tests().map(|k| k.name).collect();
    assert_eq!(names.len(), all_tests().count(), "duplicate KAT name");
    for kat in all_tests() {
        assert!(!kat.source.trim().is_empty(), "{} has no source", kat.name);
        assert!(
            kat.name
                .chars()
                .all(|c| c.is_ascii_uppercase() || c.is_ascii_digit() || c == '-'),
            "{}: names are upper-case ASCII with dashes, usable in FIPS_BREAK_KAT",
            kat.name
        );
    }
}

#[test]
fn the_report_keeps_its_json_shape() {
    let json = serde_json::to_value(selftest()).unwrap();
    let keys: BTreeSet<&str> = json
        .as_object()
        .unwrap()
        .keys()
        .map(String::as_str)
        .collect();
    assert_eq!(
        keys,
        BTreeSet::from(["passed", "fips_module", "module", "kats"])
    );
    for kat in json["kats"].as_array().unwrap() {
        let keys: BTreeSet<&str> = kat
            .as_object()
            .unwrap()
            .keys()
            .map(String::as_str)
            .collect();
        assert_eq!(
            keys,
            BTreeSet::from(["name", "source", "passed", "duration_ns"])
        );
    }
    let back: SelfTestReport = serde_json::from_value(json).unwrap();
    assert_eq!(&back, selftest());
}

#[test]
fn fips_module_is_true_exactly_in_the_fips_build() {
    assert_eq!(fips_module(), cfg!(feature = "fips"));
    assert_eq!(selftest().fips_module, cfg!(feature = "fips"));
    assert_eq!(selftest().module, module_name());
    if cfg!(feature = "fips") {
        assert!(
            module_name().starts_with("AWS-LC FIPS "),
            "{}",
            module_name()
        );
    } else {
        assert!(
            module_name().contains("not the FIPS-validated module"),
            "{}",
            module_name()
        );
    }
}

#[test]
fn the_named_aws_lc_rs_version_is_the_locked_one() {
    let lock = std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/../Cargo.lock"))
        .expect("the workspace Cargo.lock");
    let locked = lock
        .split("[[package]]")
        .find(|p| p.contains("\nname = \"aws-lc-rs\"\n"))
        .and_then(|p| p.lines().find_map(|l| l.strip_prefix("version = ")))
        .expect("aws-lc-rs in Cargo.lock");
    assert_eq!(locked.trim_matches('"'), AWS_LC_RS_VERSION);
}

#[test]
fn expect_corrupts_only_when_broken() {
    let kept = Expect::new(false);
    assert_eq!(&*kept.bytes(&[0xba, 0x78]), &[0xba, 0x78]);
    assert!(kept.outcome(true));
    let broken = Expect::new(true);
    assert_eq!(&*broken.bytes(&[0xba, 0x78]), &[0xbb, 0x78]);
    assert!(!broken.outcome(true));
}

#[test]
fn every_kat_fails_when_its_expected_answer_is_corrupted() {
    // The in-process twin of the break-kat tests: each KAT's own function, run with a corrupted
    // expected answer, must fail, and with the published one must pass.
    for kat in all_tests() {
        assert_eq!((kat.run)(&Expect::new(false)), Ok(()), "{}", kat.name);
        let err = (kat.run)(&Expect::new(true)).expect_err(kat.name);
        assert!(!err.is_empty(), "{}", kat.name);
    }
}

/// Set in the child process that `sixteen_racing_threads_run_the_suite_once` starts.
const RACE_CHILD: &str = "FIPS_SELFTEST_RACE_CHILD";

#[test]
fn sixteen_racing_threads_run_the_suite_once() {
    // The suite runs once per process, so the race is run in a fresh process of this test
    // binary that runs only this test: there, no other test can have called selftest() first.
    if std::env::var_os(RACE_CHILD).is_some() {
        assert_eq!(
            phase_runs(),
            (0, 0),
            "nothing ran the suite before the race"
        );
        let start = Arc::new(Barrier::new(16));
        let reports: Vec<usize> = (0..16)
            .map(|_| {
                let start = Arc::clone(&start);
                thread::spawn(move || {
                    start.wait();
                    std::ptr::from_ref(selftest()) as usize
                })
            })
            .collect::<Vec<_>>()
            .into_iter()
            .map(|t| t.join().unwrap())
            .collect();
        assert_eq!(
            phase_runs(),
            (1, 1),
            "16 racing threads ran a phase more than once"
        );
        assert!(
            reports.iter().all(|&r| r == reports[0]),
            "one cached report for all"
        );
        return;
    }
    let out = Command::new(std::env::current_exe().unwrap())
        .args([
            "--exact",
            "selftest::tests::sixteen_racing_threads_run_the_suite_once",
        ])
        .args(["--test-threads", "1"])
        .env(RACE_CHILD, "1")
        .output()
        .unwrap();
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(
        out.status.success() && stdout.contains("test result: ok. 1 passed"),
        "child failed: {stdout}\n{}",
        String::from_utf8_lossy(&out.stderr)
    );
}

/// Set in the child process that `a_verdict_runs_the_power_on_tests_only` starts.
const PHASES_CHILD: &str = "FIPS_SELFTEST_PHASES_CHILD";

#[test]
fn a_verdict_runs_the_power_on_tests_only() {
    // What a verdict needs (ensure_passed) must not run the conditional tests, which draw from
    // the DRBG; randomness_selftest then runs them, once, however many threads ask.
    if std::env::var_os(PHASES_CHILD).is_some() {
        assert_eq!(phase_runs(), (0, 0));
        assert_eq!(ensure_passed(), Ok(()));
        assert_eq!(ensure_passed(), Ok(()));
        assert_eq!(phase_runs(), (1, 0), "a verdict ran the conditional tests");
        let start = Arc::new(Barrier::new(8));
        let outcomes: Vec<_> = (0..8)
            .map(|_| {
                let start = Arc::clone(&start);
                thread::spawn(move || {
                    start.wait();
                    randomness_selftest()
                })
            })
            .collect::<Vec<_>>()
            .into_iter()
            .map(|t| t.join().unwrap())
            .collect();
        assert!(outcomes.iter().all(Result::is_ok), "{outcomes:?}");
        assert_eq!(phase_runs(), (1, 1));
        assert!(selftest().passed);
        assert_eq!(phase_runs(), (1, 1), "the full report reuses both phases");
        return;
    }
    let out = Command::new(std::env::current_exe().unwrap())
        .args([
            "--exact",
            "selftest::tests::a_verdict_runs_the_power_on_tests_only",
        ])
        .args(["--test-threads", "1"])
        .env(PHASES_CHILD, "1")
        .output()
        .unwrap();
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(
        out.status.success() && stdout.contains("test result: ok. 1 passed"),
        "child failed: {stdout}\n{}",
        String::from_utf8_lossy(&out.stderr)
    );
}
