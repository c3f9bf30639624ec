//! Known-Answer Tests of the crypto module, run once per process before the first verdict.
//!
//! A failed KAT puts the library in an error state in which no verdict is ever given
//! (fail closed), as FIPS 140 requires of a module.

use std::{sync::OnceLock, time::Instant};

use serde::{Deserialize, Serialize};

use crate::SelfTestError;

/// One Known-Answer Test's outcome.
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
/// assert!(report.kats.iter().all(|k| k.passed));
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

struct Kat {
    name: &'static str,
    source: &'static str,
    run: fn() -> Result<(), String>,
}

const KATS: &[Kat] = &[Kat {
    name: "SHA-256",
    source: "FIPS 180-4 / NIST CSRC example SHA256.pdf: \"abc\"",
    run: sha256_abc,
}];

fn sha256_abc() -> Result<(), String> {
    const EXPECTED: [u8; 32] = [
        0xba, 0x78, 0x16, 0xbf, 0x8f, 0x01, 0xcf, 0xea, 0x41, 0x41, 0x40, 0xde, 0x5d, 0xae, 0x22,
        0x23, 0xb0, 0x03, 0x61, 0xa3, 0x96, 0x17, 0x7a, 0x9c, 0xb4, 0x10, 0xff, 0x61, 0xf2, 0x00,
        0x15, 0xad,
    ];
    let got = aws_lc_rs::digest::digest(&aws_lc_rs::digest::SHA256, b"abc");
    if got.as_ref() == EXPECTED {
        Ok(())
    } else {
        Err("digest differs from the known answer".into())
    }
}

/// Runs the suite once per process (lazily, thread-safe) and returns the cached report.
pub fn selftest() -> &'static SelfTestReport {
    static REPORT: OnceLock<SelfTestReport> = OnceLock::new();
    REPORT.get_or_init(|| {
        let kats: Vec<KatResult> = KATS
            .iter()
            .map(|kat| {
                let start = Instant::now();
                let outcome = (kat.run)();
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
            passed: kats.iter().all(|k| k.passed),
            fips_module: fips_module(),
            module: module_name().into(),
            kats,
        }
    })
}

/// `Ok` when the suite passed; otherwise the error naming the first failed KAT.
pub(crate) fn ensure_passed() -> Result<(), SelfTestError> {
    let report = selftest();
    match report.kats.iter().find(|k| !k.passed) {
        None => Ok(()),
        Some(kat) => Err(SelfTestError {
            kat: kat.name.clone(),
            reason: kat.error.clone().unwrap_or_default(),
        }),
    }
}

/// True only when aws-lc-rs runs the FIPS-validated AWS-LC module.
pub fn fips_module() -> bool {
    aws_lc_rs::try_fips_mode().is_ok()
}

/// The crypto module's name and version.
pub fn module_name() -> &'static str {
    if cfg!(feature = "fips") {
        "AWS-LC FIPS (aws-lc-fips-sys, via aws-lc-rs 1.19.0)"
    } else {
        "AWS-LC (aws-lc-sys, via aws-lc-rs 1.19.0; not the FIPS-validated build)"
    }
}
