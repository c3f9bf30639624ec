//! The verdicts: requests, transitions, hosts, binaries and images, and the crypto self-test.
//!
//! Each returns `FIPS_STATUS_OK` for a positive verdict, its own 1xx status for a negative
//! one (the report still written), and an error status with nothing written when there is
//! no verdict: bad input, or a failed self-test (`FIPS_STATUS_SELF_TEST_FAILED`, fail closed).

use std::ffi::c_char;

use fips_core::{
    check_transition, scan_paths, validate, ClusterRequest, FipsVersion, HostFips, Report,
    ScanReport, Severity,
};

use crate::{
    boundary::{self, Done, Failure},
    fips_policy, fips_status,
    io::{args, c_string, input, json, Out},
    policy::policy_or_default,
};

/// The one-line summary of a negative verdict, for `fips_last_error()`.
fn negative(function: &str, what: &str, findings: &[fips_core::Finding]) -> String {
    let codes: Vec<&str> = findings.iter().map(|f| f.code.as_str()).collect();
    format!(
        "{function}: {what}: {}; the report lists each finding and its fix",
        codes.join(", ")
    )
}

/// Writes a request report: `FIPS_STATUS_OK` when compliant, else `FIPS_STATUS_NOT_COMPLIANT`.
///
/// # Safety
///
/// As [`Out::write`].
unsafe fn report_out(
    function: &str,
    report: &Report,
    out: Out<*mut c_char>,
) -> Result<Done, Failure> {
    let text = c_string(function, json(function, report)?)?;
    // SAFETY: as this function's contract.
    unsafe { out.write(text) };
    Ok(Done::verdict(
        report.compliant,
        fips_status::NotCompliant,
        || negative(function, "not FIPS compliant", &report.findings),
    ))
}

/// Judges a cluster request given as JSON (the serde shape of `fips_core::ClusterRequest`,
/// unknown fields refused) against `policy` (NULL: the embedded default).
///
/// On `FIPS_STATUS_OK` (compliant) and `FIPS_STATUS_NOT_COMPLIANT`, `*report_json` is the
/// `Report` as JSON (`{"compliant", "findings": [{"code", "severity", "field", "message",
/// "remediation"}]}`), to free with `fips_string_free`. Otherwise nothing is written:
/// `FIPS_STATUS_REQUEST_INVALID`, `FIPS_STATUS_SELF_TEST_FAILED`, or a 2xx input status.
///
/// # Safety
///
/// `policy` is NULL or a live handle; `request_json` is NULL or a NUL-terminated string;
/// `report_json` is NULL or valid for a write of a pointer.
#[no_mangle]
pub unsafe extern "C" fn fips_validate_json(
    policy: *const fips_policy,
    request_json: *const c_char,
    report_json: *mut *mut c_char,
) -> fips_status {
    const F: &str = "fips_validate_json";
    boundary::status(F, || {
        // SAFETY: the caller's contract.
        let policy = unsafe { policy_or_default(policy) };
        // SAFETY: the caller's contract.
        let text = unsafe { input(F, "request_json", request_json) }?;
        let out = Out::new(F, "report_json", report_json)?;
        let request = ClusterRequest::from_json(text).map_err(|e| Failure::core(F, &e.into()))?;
        let report = validate(&request, policy).map_err(|e| Failure::core(F, &e))?;
        // SAFETY: checked non-NULL; the caller's contract.
        unsafe { report_out(F, &report, out) }
    })
}

/// Judges a create-cluster command line, `argv[0..argc]`, with or without
/// `dkp create cluster <provider>` in front (`--flag value` and `--flag=value`), against
/// `policy` (NULL: the embedded default).
///
/// Results as `fips_validate_json`. At most 4096 arguments of 1 MiB in total.
///
/// # Safety
///
/// `policy` is NULL or a live handle; `argv` is NULL or points to `argc` pointers, each a
/// NUL-terminated string (NULL elements are refused); `report_json` is NULL or valid for a
/// write of a pointer.
#[no_mangle]
pub unsafe extern "C" fn fips_validate_args(
    policy: *const fips_policy,
    argv: *const *const c_char,
    argc: usize,
    report_json: *mut *mut c_char,
) -> fips_status {
    const F: &str = "fips_validate_args";
    boundary::status(F, || {
        // SAFETY: the caller's contract.
        let policy = unsafe { policy_or_default(policy) };
        // SAFETY: the caller's contract.
        let words = unsafe { args(F, ("argv", "argc"), argv, argc) }?;
        let out = Out::new(F, "report_json", report_json)?;
        let request = ClusterRequest::from_args(words).map_err(|e| Failure::core(F, &e.into()))?;
        let report = validate(&request, policy).map_err(|e| Failure::core(F, &e))?;
        // SAFETY: checked non-NULL; the caller's contract.
        unsafe { report_out(F, &report, out) }
    })
}

/// Judges moving a cluster's Kubernetes version from `current` to `desired` (FIPS status is
/// fixed at creation; a FIPS cluster moves only up, to a supported FIPS build).
///
/// On `FIPS_STATUS_OK` (allowed) and `FIPS_STATUS_TRANSITION_REFUSED`, `*report_json` is
/// the `TransitionReport` as JSON (`{"allowed", "current", "desired", "findings"}`).
/// Otherwise nothing is written: `FIPS_STATUS_VERSION_INVALID` (naming which),
/// `FIPS_STATUS_SELF_TEST_FAILED`, or a 2xx input status.
///
/// # Safety
///
/// `policy` is NULL or a live handle; `current` and `desired` are NULL or NUL-terminated
/// strings; `report_json` is NULL or valid for a write of a pointer.
#[no_mangle]
pub unsafe extern "C" fn fips_check_transition(
    policy: *const fips_policy,
    current: *const c_char,
    desired: *const c_char,
    report_json: *mut *mut c_char,
) -> fips_status {
    const F: &str = "fips_check_transition";
    boundary::status(F, || {
        // SAFETY: the caller's contract.
        let policy = unsafe { policy_or_default(policy) };
        // SAFETY: the caller's contract.
        let current = unsafe { input(F, "current", current) }?;
        // SAFETY: the caller's contract.
        let desired = unsafe { input(F, "desired", desired) }?;
        let out = Out::new(F, "report_json", report_json)?;
        let parse = |param: &str, text: &str| {
            FipsVersion::parse(text).map_err(|e| Failure::core(&format!("{F}: {param}"), &e.into()))
        };
        let (current, desired) = (parse("current", current)?, parse("desired", desired)?);
        let report =
            check_transition(&current, &desired, policy).map_err(|e| Failure::core(F, &e))?;
        let text = c_string(F, json(F, &report)?)?;
        // SAFETY: checked non-NULL; the caller's contract.
        unsafe { out.write(text) };
        Ok(Done::verdict(
            report.allowed,
            fips_status::TransitionRefused,
            || negative(F, "transition refused", &report.findings),
        ))
    })
}

/// Probes `root` (`"/"` for this host, or a mounted OS image), confined to it, for the FIPS
/// mode signals and the OS support verdict under `policy` (NULL: the embedded default).
///
/// On `FIPS_STATUS_OK` (compliant) and `FIPS_STATUS_HOST_NOT_COMPLIANT`, `*result_json` is
/// the `HostFips` as JSON (`{"root", "os", "os_supported", "fips_mode", "fips_prepared",
/// "signals", "compliant", "findings"}`). Otherwise nothing is written:
/// `FIPS_STATUS_FILE_UNREADABLE` (the root cannot be opened as a directory: kind `file`),
/// `FIPS_STATUS_ROOT_UNREADABLE` (a file under it cannot be read safely),
/// `FIPS_STATUS_SELF_TEST_FAILED`, or a 2xx input status.
///
/// # Safety
///
/// `policy` is NULL or a live handle; `root` is NULL or a NUL-terminated string;
/// `result_json` is NULL or valid for a write of a pointer.
#[no_mangle]
pub unsafe extern "C" fn fips_host_probe_json(
    policy: *const fips_policy,
    root: *const c_char,
    result_json: *mut *mut c_char,
) -> fips_status {
    const F: &str = "fips_host_probe_json";
    boundary::status(F, || {
        // SAFETY: the caller's contract.
        let policy = unsafe { policy_or_default(policy) };
        // SAFETY: the caller's contract.
        let root = unsafe { input(F, "root", root) }?;
        let out = Out::new(F, "result_json", result_json)?;
        let host = HostFips::probe(root, policy).map_err(|e| Failure::core(F, &e))?;
        let text = c_string(F, json(F, &host)?)?;
        // SAFETY: checked non-NULL; the caller's contract.
        unsafe { out.write(text) };
        Ok(Done::verdict(
            host.compliant,
            fips_status::HostNotCompliant,
            || negative(F, "host not compliant", &host.findings),
        ))
    })
}

/// Scans `paths[0..n_paths]` (files, directories, OCI image layout directories, `docker
/// save` / OCI tar archives) for the crypto module each binary links, under `policy` (NULL:
/// the embedded default), as `fipsctl scan` does.
///
/// On `FIPS_STATUS_OK` (every binary the policy names is a FIPS build with an accepted
/// module) and `FIPS_STATUS_SCAN_NOT_COMPLIANT`, `*report_json` is the `ScanReport` as JSON
/// (`{"results": [{"path", "format", "go_version", "crypto_module", "evidence", "settings",
/// "findings", "compliant", "bytes_read", ...}], "findings", "compliant"}`). Otherwise
/// nothing is written: `FIPS_STATUS_FILE_UNREADABLE` (a path that does not exist or cannot
/// be opened: kind `file`), `FIPS_STATUS_SCAN_FAILED` (a malformed image, or `n_paths` 0,
/// which is variant `no-paths`), `FIPS_STATUS_SELF_TEST_FAILED`, or a 2xx input status.
/// Paths are UTF-8, at most 4096 of 1 MiB in total.
///
/// # Safety
///
/// `policy` is NULL or a live handle; `paths` is NULL or points to `n_paths` pointers, each
/// a NUL-terminated string (NULL elements are refused); `report_json` is NULL or valid for
/// a write of a pointer.
#[no_mangle]
pub unsafe extern "C" fn fips_scan_json(
    policy: *const fips_policy,
    paths: *const *const c_char,
    n_paths: usize,
    report_json: *mut *mut c_char,
) -> fips_status {
    const F: &str = "fips_scan_json";
    boundary::status(F, || {
        // SAFETY: the caller's contract.
        let policy = unsafe { policy_or_default(policy) };
        // SAFETY: the caller's contract.
        let paths = unsafe { args(F, ("paths", "n_paths"), paths, n_paths) }?;
        let out = Out::new(F, "report_json", report_json)?;
        let report = scan_paths(&paths, policy).map_err(|e| Failure::core(F, &e))?;
        let text = c_string(F, json(F, &report)?)?;
        // SAFETY: checked non-NULL; the caller's contract.
        unsafe { out.write(text) };
        Ok(Done::verdict(
            report.compliant,
            fips_status::ScanNotCompliant,
            || scan_negative(F, &report),
        ))
    })
}

/// The one-line summary of a negative scan: each failing file with its error codes.
pub(crate) fn scan_negative(function: &str, report: &ScanReport) -> String {
    const SHOWN: usize = 5;
    let errors = |findings: &[fips_core::Finding]| {
        findings
            .iter()
            .filter(|f| f.severity == Severity::Error)
            .map(|f| f.code.as_str())
            .collect::<Vec<_>>()
            .join(", ")
    };
    let mut failed: Vec<String> = report
        .results
        .iter()
        .filter(|r| !r.compliant)
        .map(|r| format!("{} ({}: {})", r.path, r.crypto_module, errors(&r.findings)))
        .collect();
    let more = failed.len().saturating_sub(SHOWN);
    failed.truncate(SHOWN);
    if more > 0 {
        failed.push(format!("{more} more"));
    }
    let scan = errors(&report.findings);
    if !scan.is_empty() {
        failed.push(scan);
    }
    format!(
        "{function}: not every binary the policy names is an accepted FIPS build: {}; the \
         report lists each finding and its fix",
        failed.join("; ")
    )
}

/// Runs the crypto Known-Answer Tests (once per process; later calls return the cached
/// result) and reports them.
///
/// `*result_json` is the `SelfTestReport` as JSON (`{"passed", "fips_module", "module",
/// "kats": [...]}`), written with `FIPS_STATUS_OK` when every KAT passed and with
/// `FIPS_STATUS_SELF_TEST_FAILED` when one failed (then every verdict function refuses to
/// give a verdict). `FIPS_STATUS_NULL_PARAMETER` writes nothing.
///
/// # Safety
///
/// `result_json` is NULL or valid for a write of a pointer.
#[no_mangle]
pub unsafe extern "C" fn fips_selftest_json(result_json: *mut *mut c_char) -> fips_status {
    const F: &str = "fips_selftest_json";
    boundary::status(F, || {
        let out = Out::new(F, "result_json", result_json)?;
        let report = fips_core::selftest();
        let text = c_string(F, json(F, report)?)?;
        // SAFETY: checked non-NULL; the caller's contract.
        unsafe { out.write(text) };
        if report.passed {
            return Ok(Done::Ok);
        }
        let failed: Vec<&str> = report
            .kats
            .iter()
            .filter(|k| !k.passed)
            .map(|k| k.name.as_str())
            .collect();
        Ok(self_test_failed(F, &failed.join(", ")))
    })
}

/// The outcome of a self-test that failed: its report is written, and the last error is the
/// one every verdict gives from now on (kind `selftest`).
fn self_test_failed(function: &str, kats: &str) -> Done {
    let error = fips_core::Error::from(fips_core::SelfTestError {
        kat: kats.to_owned(),
        reason: "see the report".to_owned(),
    });
    Done::Negative {
        status: fips_status::SelfTestFailed,
        explanation: boundary::explain(
            &error,
            format!(
                "{function}: crypto self-test failed (KAT {kats}); no verdict is given (fail closed)"
            ),
        ),
    }
}
