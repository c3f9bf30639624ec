//! Known-Answer Tests of the crypto module, run once per process before the first verdict.
//!
//! A failed KAT puts the library in an error state in which no verdict is ever given
//! (fail closed), as FIPS 140 requires of a module. The vectors and their sources are in
//! `kats.rs`; `docs/selftest.md` lists them and says what aws-lc-rs cannot test.
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
use kats::{Expect, KATS};

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

/// The outcome of the whole suite.
///
/// ```
/// let report = fips_core::selftest();
/// assert!(report.passed);
/// assert!(report.kats.len() >= 14);
/// assert!(report.kats.iter().all(|k| k.passed));
/// assert_eq!(report.fips_module, cfg!(feature = "fips"));
/// ```
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SelfTestReport {
    /// True when every KAT passed.
    pub passed: bool,
    /// True only when aws-lc-rs runs the FIPS-validated module (`try_fips_mode()` is Ok).
    pub fips_module: bool,
    /// The module's name and version.
    pub module: String,
    /// Every KAT, in the order run.
    pub kats: Vec<KatResult>,
}

/// How many times the suite has run in this process: 0 before the first call, then 1 forever.
static RUNS: AtomicUsize = AtomicUsize::new(0);

/// Runs the suite once per process (lazily, thread-safe) and returns the cached report.
///
/// Every verdict calls it first; calling it early (e.g. at start-up) moves the cost there.
///
/// ```
/// let first = fips_core::selftest();
/// let again = fips_core::selftest();
/// assert!(std::ptr::eq(first, again), "cached, not run twice");
/// ```
pub fn selftest() -> &'static SelfTestReport {
    static REPORT: OnceLock<SelfTestReport> = OnceLock::new();
    REPORT.get_or_init(run_suite)
}

fn run_suite() -> SelfTestReport {
    RUNS.fetch_add(1, Ordering::SeqCst);
    let broken = broken_kat();
    let kats: Vec<KatResult> = KATS
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
        .collect();
    SelfTestReport {
        passed: !kats.is_empty() && kats.iter().all(|k| k.passed),
        fips_module: fips_module(),
        module: module_name().into(),
        kats,
    }
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

/// How many times the suite has run in this process (test-visible proof of "exactly once").
///
/// The unit race test reads it; outside tests it is reachable only if `lib.rs` re-exports it.
#[doc(hidden)]
#[cfg_attr(not(test), allow(dead_code))]
pub fn selftest_runs() -> usize {
    RUNS.load(Ordering::SeqCst)
}

/// `Ok` when the suite passed; otherwise the error naming the first failed KAT.
pub(crate) fn ensure_passed() -> Result<(), SelfTestError> {
    let report = selftest();
    if let Some(kat) = report.kats.iter().find(|k| !k.passed) {
        return Err(SelfTestError {
            kat: kat.name.clone(),
            reason: kat.error.clone().unwrap_or_default(),
        });
    }
    if report.passed {
        Ok(())
    } else {
        Err(SelfTestError {
            kat: "(none)".into(),
            reason: "no Known-Answer Test ran".into(),
        })
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
