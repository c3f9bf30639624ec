//! `fipsctl scan`: results as each file is judged, progress on a terminal, and a summary
//! that names every file with a problem.

use std::path::PathBuf;

use fips_core::{Error, Finding, Policy, ScanOptions, ScanReport, ScanResult, Severity};

use crate::{
    output::{print_findings, Out, Verdict, COMPLIANT, NOT_COMPLIANT},
    progress::Progress,
    write::say,
};

/// What `fipsctl scan` was asked.
pub(crate) struct ScanArgs {
    pub(crate) paths: Vec<PathBuf>,
    pub(crate) options: ScanOptions,
    pub(crate) quiet: bool,
}

/// Scans, printing each result as it is judged (the human output; `--json` stays one
/// document, printed at the end), then the summary.
pub(crate) fn run(args: &ScanArgs, policy: &Policy, out: &Out) -> Result<Verdict, Error> {
    run_with(args, out, |on_result| {
        fips_core::scan_each(&args.paths, policy, &args.options, on_result)
    })
}

/// [`run`] over any scan that tells `on_result` of each result (a registry image).
pub(crate) fn run_with(
    args: &ScanArgs,
    out: &Out,
    scan: impl FnOnce(&mut dyn FnMut(&ScanResult)) -> Result<ScanReport, Error>,
) -> Result<Verdict, Error> {
    let report = judge(args, out, Progress::new(None, None), scan)?;
    if out.json {
        out.print_json(&report);
    } else {
        print_findings(&report.findings);
        print_summary(&report);
    }
    Ok(Verdict::from(report.compliant))
}

/// Runs `scan`, printing each result as it is judged (human output only); the report is
/// the caller's to print.
pub(crate) fn judge(
    args: &ScanArgs,
    out: &Out,
    progress: Progress,
    scan: impl FnOnce(&mut dyn FnMut(&ScanResult)) -> Result<ScanReport, Error>,
) -> Result<ScanReport, Error> {
    let report = scan(&mut |result: &ScanResult| {
        progress.judged(result);
        if !out.json && (!args.quiet || worst(&result.findings).is_some()) {
            progress.suspend(|| print_result(result, args.quiet));
        }
    });
    progress.finish();
    report
}

/// The most severe finding of warning level or above: a result's problem, if it has one.
fn worst(findings: &[Finding]) -> Option<Severity> {
    findings
        .iter()
        .map(|f| f.severity)
        .filter(|s| *s >= Severity::Warning)
        .max()
}

fn print_result(r: &ScanResult, quiet: bool) {
    say!("{}", r.path);
    let format = serde_json::to_value(r.format).ok();
    let format = format.as_ref().and_then(|f| f.as_str()).unwrap_or("?");
    say!(
        "  {format}{}  crypto: {}{}  ({} bytes read)",
        r.go_version
            .as_deref()
            .map(|v| format!(" {v}"))
            .unwrap_or_default(),
        r.crypto_text(),
        if r.fips_only {
            " + crypto/tls/fipsonly"
        } else {
            ""
        },
        r.bytes_read
    );
    if !quiet {
        for e in &r.evidence {
            let source = serde_json::to_value(e.source).ok();
            let source = source.as_ref().and_then(|s| s.as_str()).unwrap_or("?");
            say!("    evidence ({source}): {}", e.marker);
        }
    }
    print_findings(&r.findings);
}

/// The end of a scan: every file with an error, then every file with a warning, each with
/// its codes, and the counts by verdict.
pub(crate) fn print_summary(report: &ScanReport) {
    let mut failing = Vec::new();
    let mut warned = Vec::new();
    for r in &report.results {
        match worst(&r.findings) {
            Some(Severity::Error) => failing.push(r),
            Some(_) => warned.push(r),
            None => {}
        }
    }
    let listed = |title: &str, results: &[&ScanResult], level: Severity| {
        if results.is_empty() {
            return;
        }
        say!();
        say!("{title} ({}):", results.len());
        for r in results {
            let codes: Vec<&str> = r
                .findings
                .iter()
                .filter(|f| f.severity >= level)
                .map(|f| f.code.as_str())
                .collect();
            say!("  {}  {}", r.path, codes.join(", "));
        }
    };
    listed("not compliant", &failing, Severity::Error);
    listed("warnings", &warned, Severity::Warning);
    let clean = report.results.len() - failing.len() - warned.len();
    let verdict = if report.compliant {
        COMPLIANT
    } else {
        NOT_COMPLIANT
    };
    say!();
    say!(
        "{verdict}: {} file(s) judged: {} not compliant, {} compliant with warnings, {clean} \
         compliant{}",
        report.results.len(),
        failing.len(),
        warned.len(),
        if report
            .findings
            .iter()
            .any(|f| f.severity == Severity::Error)
        {
            " (and the scan itself has an error, above)"
        } else {
            ""
        }
    );
}
