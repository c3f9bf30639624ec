//! Fail closed, proven per KAT: with the `break-kat` feature, `FIPS_BREAK_KAT=<name>` corrupts
//! that KAT's expected answer, and every verdict must then be a self-test error naming it.
//!
//! Each test on its own path (docs/selftest.md): a broken power-on test refuses the very first
//! verdict and `randomness_selftest`; a broken conditional test leaves verdicts alone until
//! randomness is asked for, then `randomness_selftest` refuses and the library is in the same
//! error state: every later verdict refuses too.
//!
//! The suite runs once per process, so each break runs in a fresh process of this test binary
//! that runs only `child_checks_the_broken_kat`.
//!
//! Run: `cargo test -p fips-core --features break-kat --test selftest_break`.

#![cfg(feature = "break-kat")]

use std::{collections::BTreeSet, process::Command};

use fips_core::{
    check_transition, randomness_selftest, selftest, validate, ClusterRequest, Error, FipsVersion,
    HostFips, Policy,
};

/// The conditional tests: run before the first use of randomness, not before a verdict.
const CONDITIONAL: &[&str] = &[
    "AWS-LC-SELF-TEST",
    "RNG-HEALTH",
    "ECDSA-P256-PCT",
    "ECDSA-P384-PCT",
];

/// The vendor's documented FIPS create-cluster call (product documentation, FIPS 140-2
/// Compliance; README.md's main job): compliant when crypto is sound.
fn compliant_request() -> ClusterRequest {
    ClusterRequest::from_args([
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
    ])
    .unwrap()
}

fn fips_version() -> FipsVersion {
    FipsVersion::parse("1.22.8+fips.0").unwrap()
}

/// Asserts that `verdict` is no verdict at all, but the self-test error naming `kat`.
fn assert_selftest_error<T: std::fmt::Debug>(call: &str, verdict: Result<T, Error>, kat: &str) {
    match verdict {
        Err(Error::SelfTest(e)) => {
            assert_eq!(e.kat, kat, "{call}: the error names another KAT");
            assert!(e.to_string().contains(kat), "{call}: {e}");
        }
        other => panic!("{call} with KAT {kat} broken gave {other:?}, not a self-test error"),
    }
}

/// The test the break tests start in a child process with `FIPS_BREAK_KAT` set.
///
/// Run without it (as in every ordinary run of this file), it checks that a `break-kat` build
/// breaks nothing by itself: the suite passes and the same calls give their compliant verdicts.
#[test]
fn child_checks_the_broken_kat() {
    let policy = Policy::embedded();
    let Ok(kat) = std::env::var("FIPS_BREAK_KAT") else {
        assert!(validate(&compliant_request(), policy).unwrap().compliant);
        assert_eq!(randomness_selftest(), Ok(()));
        assert!(selftest().passed, "{:?}", selftest());
        assert!(validate(&compliant_request(), policy).unwrap().compliant);
        assert!(
            check_transition(&fips_version(), &fips_version(), policy)
                .unwrap()
                .allowed
        );
        let probe = HostFips::probe("/", policy);
        assert!(!matches!(probe, Err(Error::SelfTest(_))), "{probe:?}");
        return;
    };
    if CONDITIONAL.contains(&kat.as_str()) {
        // No verdict uses randomness, so none waits for the conditional tests...
        assert!(
            validate(&compliant_request(), policy).unwrap().compliant,
            "a verdict ran the conditional test {kat}"
        );
        // ...which run, and fail, before the first random byte is used.
        let err = randomness_selftest().expect_err("randomness allowed with a broken test");
        assert_eq!(err.kat, kat, "randomness_selftest names another test");
    } else {
        // The first verdict of the process runs the power-on tests and refuses.
        assert_selftest_error(
            "validate (the first call)",
            validate(&compliant_request(), policy),
            &kat,
        );
        let err = randomness_selftest().expect_err("randomness allowed in the error state");
        assert_eq!(err.kat, kat, "randomness_selftest names another test");
    }
    // Either way, the same error state from here on.
    assert_eq!(randomness_selftest().unwrap_err().kat, kat, "asked again");
    let report = selftest();
    assert!(
        !report.passed,
        "KAT {kat} broken, yet the report says passed"
    );
    let failed: Vec<&str> = report
        .kats
        .iter()
        .filter(|k| !k.passed)
        .map(|k| k.name.as_str())
        .collect();
    assert_eq!(failed, [kat.as_str()], "exactly the broken KAT fails");
    let broken = report.kats.iter().find(|k| k.name == kat).unwrap();
    assert!(broken.error.as_deref().is_some_and(|e| !e.is_empty()));

    assert_selftest_error("validate", validate(&compliant_request(), policy), &kat);
    assert_selftest_error(
        "check_transition",
        check_transition(&fips_version(), &fips_version(), policy),
        &kat,
    );
    assert_selftest_error("HostFips::probe", HostFips::probe("/", policy), &kat);
    // The error state is permanent: asking again gives the same refusal.
    assert_selftest_error(
        "validate (again)",
        validate(&compliant_request(), policy),
        &kat,
    );
    let err = validate(&compliant_request(), policy).unwrap_err();
    assert_eq!(err.kind(), "selftest");
}

/// Breaks `kat` in a fresh process and checks the child's verdicts.
fn break_in_child(kat: &str) {
    let out = Command::new(std::env::current_exe().unwrap())
        .args([
            "--exact",
            "child_checks_the_broken_kat",
            "--test-threads",
            "1",
        ])
        .env("FIPS_BREAK_KAT", kat)
        .output()
        .unwrap();
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(
        out.status.success() && stdout.contains("test result: ok. 1 passed"),
        "breaking {kat}:\n{stdout}\n{}",
        String::from_utf8_lossy(&out.stderr)
    );
}

macro_rules! break_tests {
    ($($test:ident => $kat:literal,)*) => {
        $(
            #[test]
            fn $test() {
                break_in_child($kat);
            }
        )*
        /// Every KAT that has a break test above.
        const BROKEN: &[&str] = &[$($kat),*];
    };
}

break_tests! {
    break_sha256 => "SHA-256",
    break_sha384 => "SHA-384",
    break_sha512 => "SHA-512",
    break_hmac_sha256 => "HMAC-SHA-256",
    break_hmac_sha512 => "HMAC-SHA-512",
    break_aes128_gcm_seal => "AES-128-GCM-SEAL",
    break_aes128_gcm_open => "AES-128-GCM-OPEN",
    break_aes256_gcm_seal => "AES-256-GCM-SEAL",
    break_aes256_gcm_open => "AES-256-GCM-OPEN",
    break_aes_gcm_tampered_tag => "AES-GCM-TAMPERED-TAG",
    break_ecdsa_p256_verify => "ECDSA-P256-SHA256-VERIFY",
    break_ecdsa_p384_verify => "ECDSA-P384-SHA384-VERIFY",
    break_rng_health => "RNG-HEALTH",
    break_ecdsa_p256_pct => "ECDSA-P256-PCT",
    break_ecdsa_p384_pct => "ECDSA-P384-PCT",
    break_rsa2048_pkcs1_verify => "RSA-2048-PKCS1-SHA256-VERIFY",
    break_rsa2048_pss_verify => "RSA-2048-PSS-SHA256-VERIFY",
    break_ecdh_p256 => "ECDH-P256",
    break_hkdf_sha256 => "HKDF-SHA256",
    break_aws_lc_self_test => "AWS-LC-SELF-TEST",
}

#[test]
fn inventory_every_kat_has_its_break_test() {
    let kats: Vec<&str> = selftest().kats.iter().map(|k| k.name.as_str()).collect();
    let broken: BTreeSet<&str> = BROKEN.iter().copied().collect();
    assert_eq!(broken.len(), BROKEN.len(), "a KAT is broken by two tests");
    assert_eq!(
        kats.len(),
        BROKEN.len(),
        "KAT count differs from break-test count"
    );
    let without: Vec<&str> = kats
        .iter()
        .copied()
        .filter(|k| !broken.contains(k))
        .collect();
    assert!(without.is_empty(), "KATs without a break test: {without:?}");
    // The conditional tests run last, so the full report ends with them.
    assert_eq!(&kats[kats.len() - CONDITIONAL.len()..], CONDITIONAL);
}

#[test]
fn an_unknown_name_breaks_nothing_and_the_child_notices() {
    // A typo in FIPS_BREAK_KAT must not pass for a broken KAT: the child's checks fail.
    let out = Command::new(std::env::current_exe().unwrap())
        .args([
            "--exact",
            "child_checks_the_broken_kat",
            "--test-threads",
            "1",
        ])
        .env("FIPS_BREAK_KAT", "NO-SUCH-KAT")
        .output()
        .unwrap();
    assert!(
        !out.status.success(),
        "breaking an unknown KAT was reported as broken"
    );
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(
        stdout.contains("validate (the first call) with KAT NO-SUCH-KAT broken gave Ok("),
        "{stdout}"
    );
}
