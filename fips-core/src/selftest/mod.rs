//! Self-tests of the crypto module, each run once per process, in two phases (FIPS 140-3
//! IG 10.3.A: pre-operational and conditional self-tests):
//!
//! - power-on: the deterministic Known-Answer Tests with published vectors, SHA-2 (what
//!   verdicts use) among them, before the first verdict; none draws a random byte, and no
//!   verdict uses randomness;
//! - conditional: AWS-LC's own self-test (its DRBG, FFDH, RSA-signing, ML-KEM... KATs), the
//!   DRBG health check and the ECDSA pairwise-consistency tests, before the first use of
//!   randomness in the process ([`randomness_selftest`], which TLS and key-generation code
//!   call first): that is the first use of every algorithm they test that verdicts do not.
//!
//! A failed test of either phase puts the library in one error state in which no verdict is
//! ever given (fail closed), as FIPS 140 requires of a module. The vectors and their sources
//! are in `kats.rs`; `docs/selftest.md` lists them and says what aws-lc-rs cannot test.
//!
//! With the test-only cargo feature `break-kat`, `FIPS_BREAK_KAT=<name>` corrupts the expected
//! answer of the KAT with that name, which proves that a failure is noticed and fails closed.

mod kats;

use std::{
    sync::{
        atomic::{AtomicUsize, Ordering},
        OnceLock,
    },
    time::Instant,
};

use serde::{Deserialize, Serialize};

use crate::SelfTestError;
use kats::{Expect, Kat, CONDITIONAL, POWER_ON};

/// The aws-lc-rs release this crate pins (root `Cargo.toml`); a test checks it against `Cargo.lock`.
const AWS_LC_RS_VERSION: &str = "1.19.0";

/// One Known-Answer Test's outcome.
///
/// ```
/// let kat = &fips_core::selftest().kats[0];
/// assert_eq!(kat.name, "SHA-256");
/// assert!(kat.source.contains("FIPS 180-4"));
/// assert!(kat.passed && kat.error.is_none());
/// ```
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct KatResult {
    /// The KAT's name, e.g. `SHA-256`.
    pub name: String,
    /// Where its expected answer comes from.
    pub source: String,
    /// True when the module gave the known answer.
    pub passed: bool,
    /// How long it took.
    pub duration_ns: u64,
    /// What went wrong, when it failed.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub error: Option<String>,
}

/// The outcome of the whole suite: the power-on tests, then the conditional ones.
///
/// ```
/// let report = fips_core::selftest();
/// assert!(report.passed);
/// assert!(report.kats.len() >= 14);
/// assert_eq!(report.kats.last().unwrap().name, "ECDSA-P384-PCT");
/// assert!(report.kats.iter().all(|k| k.passed));
/// assert_eq!(report.fips_module, cfg!(feature = "fips"));
/// ```
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SelfTestReport {
    /// True when every test of both phases passed.
    pub passed: bool,
    /// True only when aws-lc-rs runs the FIPS-validated module (`try_fips_mode()` is Ok).
    pub fips_module: bool,
    /// The module's name and version.
    pub module: String,
    /// Every test, in the order run: the power-on tests, then (when those passed) the
    /// conditional ones.
    pub kats: Vec<KatResult>,
}

/// How many times each phase has run in this process: 0 before its first call, then 1 forever.
static POWER_ON_RUNS: AtomicUsize = AtomicUsize::new(0);
static CONDITIONAL_RUNS: AtomicUsize = AtomicUsize::new(0);

/// Runs every self-test, power-on and conditional, once per process (lazily, thread-safe), and
/// returns the cached report. This is what `fipsctl selftest` shows.
///
/// Verdicts need only the power-on tests and run them first on their own; calling this early
/// (e.g. at start-up) moves the whole cost there, the first draw from the DRBG included.
///
/// ```
/// let first = fips_core::selftest();
/// let again = fips_core::selftest();
/// assert!(std::ptr::eq(first, again), "cached, not run twice");
/// ```
pub fn selftest() -> &'static SelfTestReport {
    static REPORT: OnceLock<SelfTestReport> = OnceLock::new();
    REPORT.get_or_init(|| {
        let power_on = power_on();
        // In the error state nothing more runs: no random byte is drawn.
        let conditional = if all_passed(power_on) {
            conditional()
        } else {
            &[]
        };
        let kats: Vec<KatResult> = power_on.iter().chain(conditional).cloned().collect();
        SelfTestReport {
            passed: !power_on.is_empty()
                && all_passed(power_on)
                && !conditional.is_empty()
                && all_passed(conditional),
            fips_module: fips_module(),
            module: module_name().into(),
            kats,
        }
    })
}

/// Runs the conditional self-tests (AWS-LC's own self-test, the DRBG health check and the
/// ECDSA pairwise-consistency tests) once per process, after the power-on tests, and says
/// whether randomness, and the algorithms only TLS and key generation use, may be used.
///
/// Call it before the first use of randomness in the process: TLS handshakes (a registry or
/// Kubernetes client, the webhook's server), key generation, random nonces. A failure puts the library in the same error state as a failed
/// power-on test: from then on every verdict is a [`SelfTestError`], as is every later call.
///
/// ```
/// fips_core::randomness_selftest()?;
/// // Now the DRBG may be used, e.g. to generate a key or start a TLS server.
/// assert!(fips_core::selftest().passed);
/// # Ok::<(), fips_core::SelfTestError>(())
/// ```
pub fn randomness_selftest() -> Result<(), SelfTestError> {
    first_failure(power_on())?;
    first_failure(conditional())
}

/// The power-on phase's results, run on the first call.
fn power_on() -> &'static [KatResult] {
    static RESULTS: OnceLock<Vec<KatResult>> = OnceLock::new();
    RESULTS.get_or_init(|| {
        POWER_ON_RUNS.fetch_add(1, Ordering::SeqCst);
        run(POWER_ON)
    })
}

/// The conditional phase's results, run on the first call; never before the power-on phase
/// has passed (callers check it first).
fn conditional() -> &'static [KatResult] {
    CONDITIONAL_RESULTS.get_or_init(|| {
        CONDITIONAL_RUNS.fetch_add(1, Ordering::SeqCst);
        run(CONDITIONAL)
    })
}

static CONDITIONAL_RESULTS: OnceLock<Vec<KatResult>> = OnceLock::new();

fn run(tests: &[Kat]) -> Vec<KatResult> {
    let broken = broken_kat();
    tests
        .iter()
        .map(|kat| {
            let expect = Expect::new(broken.as_deref() == Some(kat.name));
            let start = Instant::now();
            let outcome = (kat.run)(&expect);
            KatResult {
                name: kat.name.into(),
                source: kat.source.into(),
                passed: outcome.is_ok(),
                duration_ns: u64::try_from(start.elapsed().as_nanos()).unwrap_or(u64::MAX),
                error: outcome.err(),
            }
        })
        .collect()
}

fn all_passed(results: &[KatResult]) -> bool {
    results.iter().all(|k| k.passed)
}

/// `Ok` when every test of a phase passed; otherwise the error naming the first that failed.
fn first_failure(results: &[KatResult]) -> Result<(), SelfTestError> {
    if let Some(kat) = results.iter().find(|k| !k.passed) {
        return Err(SelfTestError {
            kat: kat.name.clone(),
            reason: kat.error.clone().unwrap_or_default(),
        });
    }
    if results.is_empty() {
        return Err(SelfTestError {
            kat: "(none)".into(),
            reason: "no Known-Answer Test ran".into(),
        });
    }
    Ok(())
}

/// The KAT that `FIPS_BREAK_KAT` names, in a `break-kat` build; never in any other build.
#[cfg(feature = "break-kat")]
fn broken_kat() -> Option<String> {
    std::env::var("FIPS_BREAK_KAT").ok()
}

/// The KAT that `FIPS_BREAK_KAT` names, in a `break-kat` build; never in any other build.
#[cfg(not(feature = "break-kat"))]
fn broken_kat() -> Option<String> {
    None
}

/// How many times the power-on and the conditional phase have run in this process
/// (test-visible proof of "exactly once").
#[cfg(test)]
fn phase_runs() -> (usize, usize) {
    (
        POWER_ON_RUNS.load(Ordering::SeqCst),
        CONDITIONAL_RUNS.load(Ordering::SeqCst),
    )
}

/// `Ok` when the library is not in its error state: the power-on tests (run now if they have
/// not run yet) passed, and so did the conditional tests if they have run. Every verdict calls
/// it first. It never runs the conditional tests: no verdict uses randomness.
pub(crate) fn ensure_passed() -> Result<(), SelfTestError> {
    first_failure(power_on())?;
    match CONDITIONAL_RESULTS.get() {
        Some(conditional) => first_failure(conditional),
        None => Ok(()),
    }
}

/// True only when aws-lc-rs runs the FIPS-validated AWS-LC module (`try_fips_mode()` is Ok).
///
/// This is the crypto module of this build (the cargo feature `fips`), not the host's kernel
/// setting, which [`HostFips`](crate::HostFips) reports.
///
/// ```
/// assert_eq!(fips_core::fips_module(), cfg!(feature = "fips"));
/// ```
pub fn fips_module() -> bool {
    aws_lc_rs::try_fips_mode().is_ok()
}

/// The crypto module's name and version, as the linked AWS-LC reports it.
///
/// ```
/// let name = fips_core::module_name();
/// assert!(name.starts_with("AWS-LC"));
/// assert!(name.contains("aws-lc-rs 1.19.0"));
/// ```
pub fn module_name() -> &'static str {
    static NAME: OnceLock<String> = OnceLock::new();
    NAME.get_or_init(|| {
        let version = aws_lc_rs::awslc_version();
        if fips_module() {
            format!("AWS-LC FIPS {version} (aws-lc-fips-sys, via aws-lc-rs {AWS_LC_RS_VERSION})")
        } else {
            format!(
                "AWS-LC {version} (aws-lc-sys, via aws-lc-rs {AWS_LC_RS_VERSION}; not the \
                 FIPS-validated module)"
            )
        }
    })
}

#[cfg(test)]
mod tests;
