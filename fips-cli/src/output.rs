//! Human and JSON output, and exit codes.

use std::{io::Read, path::Path, process::ExitCode};

use fips_core::{
    Code, Error, Finding, HostFips, ImageRef, Policy, Report, SelfTestReport, TransitionReport,
    VersionInfo,
};
use serde::Serialize;

/// Request files are small; refuse to read more than the core would parse.
const MAX_INPUT_BYTES: u64 = fips_core::MAX_REQUEST_BYTES as u64;

pub(crate) enum Verdict {
    Fine,
    NotCompliant,
}

impl From<bool> for Verdict {
    fn from(ok: bool) -> Self {
        if ok {
            Verdict::Fine
        } else {
            Verdict::NotCompliant
        }
    }
}

impl Verdict {
    pub(crate) fn exit_code(self) -> ExitCode {
        match self {
            Verdict::Fine => ExitCode::SUCCESS,
            Verdict::NotCompliant => ExitCode::from(1),
        }
    }
}

/// Reads an input file with a bound, as a request error naming `field` when it cannot be read.
pub(crate) fn read_file(path: &Path, field: &str) -> Result<String, Error> {
    let fail = |message: String| {
        Error::Request(fips_core::RequestError::InvalidValue {
            field: field.into(),
            reason: format!("{}: {message}", path.display()),
        })
    };
    let file = std::fs::File::open(path).map_err(|e| fail(e.to_string()))?;
    let mut text = String::new();
    file.take(MAX_INPUT_BYTES + 1)
        .read_to_string(&mut text)
        .map_err(|e| fail(e.to_string()))?;
    if text.len() as u64 > MAX_INPUT_BYTES {
        return Err(fail(format!("larger than {MAX_INPUT_BYTES} bytes")));
    }
    Ok(text)
}

pub(crate) struct Out {
    pub(crate) json: bool,
}

#[derive(Serialize)]
struct ErrorJson<'a> {
    error: ErrorBody<'a>,
}

#[derive(Serialize)]
struct ErrorBody<'a> {
    kind: &'a str,
    variant: &'a str,
    message: String,
}

#[derive(Serialize)]
struct CodeJson {
    code: Code,
    area: &'static str,
    summary: &'static str,
}

impl Out {
    fn print_json(&self, value: &impl Serialize) {
        match serde_json::to_string_pretty(value) {
            Ok(text) => println!("{text}"),
            // The core types always serialize; say so loudly if that ever breaks.
            Err(e) => eprintln!("fipsctl: error: cannot write JSON: {e}"),
        }
    }

    /// One line on stderr; with --json also `{"error":{"kind","variant","message"}}` on stdout.
    /// A failed self-test is exit 1 (no verdict can be compliant); anything else is exit 2.
    pub(crate) fn error(&self, err: &Error) -> ExitCode {
        let message = err.to_string();
        eprintln!("fipsctl: error: {message}");
        if self.json {
            self.print_json(&ErrorJson {
                error: ErrorBody {
                    kind: err.kind(),
                    variant: err.variant(),
                    message,
                },
            });
        }
        match err {
            Error::SelfTest(_) => ExitCode::from(1),
            _ => ExitCode::from(2),
        }
    }

    pub(crate) fn report(&self, report: &Report) {
        if self.json {
            return self.print_json(report);
        }
        if report.compliant {
            println!("compliant: this request is a FIPS build the policy supports");
        } else {
            println!("NOT COMPLIANT");
        }
        print_findings(&report.findings);
    }

    pub(crate) fn transition(&self, report: &TransitionReport) {
        if self.json {
            return self.print_json(report);
        }
        let verdict = if report.allowed { "allowed" } else { "REFUSED" };
        println!("{verdict}: {} -> {}", report.current, report.desired);
        print_findings(&report.findings);
    }

    pub(crate) fn version(&self, info: &VersionInfo) {
        if self.json {
            return self.print_json(info);
        }
        println!("version:    {}", info.version);
        match info.fips_build {
            Some(n) => println!("fips build: yes (fips.{n})"),
            None => println!("fips build: no"),
        }
        let tag = info
            .tag
            .as_deref()
            .unwrap_or("(none: longer than the 128 characters a tag may have)");
        println!("{:<11} {tag}", format!("{} tag:", info.component));
    }

    pub(crate) fn images(&self, images: &[fips_core::PulledImage]) {
        if self.json {
            return self.print_json(&images);
        }
        for pulled in images {
            let fips = if pulled.fips { "fips" } else { "    " };
            match &pulled.note {
                Some(note) => println!("{fips}  {}  ({note})", pulled.image),
                None => println!("{fips}  {}", pulled.image),
            }
        }
    }

    pub(crate) fn image(&self, image: &ImageRef) {
        if self.json {
            return self.print_json(image);
        }
        println!("reference:  {image}");
        println!("registry:   {}", image.registry);
        println!("repository: {}", image.repository);
        println!("tag:        {}", image.tag.as_deref().unwrap_or("(none)"));
        println!(
            "digest:     {}",
            image.digest.as_deref().unwrap_or("(none)")
        );
    }

    pub(crate) fn host(&self, host: &HostFips) {
        if self.json {
            return self.print_json(host);
        }
        let yes_no = |b: bool| if b { "yes" } else { "no" };
        println!("root:          {}", host.root);
        match &host.os {
            Some(os) => println!(
                "os:            {} (ID={}, version {})",
                os.pretty_name,
                os.id,
                os.version.as_deref().unwrap_or("unknown")
            ),
            None => println!("os:            unknown (no os-release)"),
        }
        println!("os supported:  {}", yes_no(host.os_supported));
        let mode = match host.fips_mode {
            Some(on) => yes_no(on),
            None => "unknown (no proc/: an image, not a running system)",
        };
        println!("fips mode:     {mode}");
        println!("fips prepared: {}", yes_no(host.fips_prepared));
        let s = &host.signals;
        let opt = |v: Option<bool>| v.map_or("absent", yes_no);
        println!("signals:");
        println!(
            "  proc/sys/crypto/fips_enabled:      {}",
            opt(s.fips_enabled)
        );
        println!(
            "  proc/cmdline fips=1:               {}",
            opt(s.cmdline_fips)
        );
        println!(
            "  etc/system-fips:                   {}",
            yes_no(s.system_fips)
        );
        println!(
            "  etc/crypto-policies/config:        {}",
            s.crypto_policy_config.as_deref().unwrap_or("absent")
        );
        println!(
            "  etc/crypto-policies/state/current: {}",
            s.crypto_policy_current.as_deref().unwrap_or("absent")
        );
        println!(
            "  GRUB_CMDLINE_LINUX fips=1:         {}",
            opt(s.grub_cmdline_fips)
        );
        println!(
            "  BLS entries fips=1:                {}",
            opt(s.bls_entries_fips)
        );
        println!(
            "{}",
            if host.compliant {
                "fine"
            } else {
                "NOT COMPLIANT"
            }
        );
        print_findings(&host.findings);
    }

    pub(crate) fn policy(&self, policy: &Policy, embedded: bool) {
        if self.json {
            return self.print_json(policy);
        }
        if embedded {
            print!("{}", Policy::embedded_toml());
            return;
        }
        match toml::to_string_pretty(policy) {
            Ok(text) => print!("{text}"),
            Err(e) => eprintln!("fipsctl: error: cannot write TOML: {e}"),
        }
    }

    pub(crate) fn policy_check(&self, path: &Path, policy: &Policy) {
        if self.json {
            return self.print_json(policy);
        }
        println!(
            "{}: valid policy: {} build(s), {} operating system(s), {} mirror(s)",
            path.display(),
            policy.builds.len(),
            policy.operating_systems.len(),
            policy.mirrors.len()
        );
    }

    pub(crate) fn scan(&self, report: &fips_core::ScanReport) {
        if self.json {
            return self.print_json(report);
        }
        for r in &report.results {
            let format = serde_json::to_value(r.format).ok();
            let format = format.as_ref().and_then(|f| f.as_str()).unwrap_or("?");
            println!("{}", r.path);
            println!(
                "  {format}{}  crypto: {}{}  ({} bytes read)",
                r.go_version
                    .as_deref()
                    .map(|v| format!(" {v}"))
                    .unwrap_or_default(),
                r.crypto_module,
                if r.fips_only {
                    " + crypto/tls/fipsonly"
                } else {
                    ""
                },
                r.bytes_read
            );
            for e in &r.evidence {
                let source = serde_json::to_value(e.source).ok();
                let source = source.as_ref().and_then(|s| s.as_str()).unwrap_or("?");
                println!("    evidence ({source}): {}", e.marker);
            }
            print_findings(&r.findings);
        }
        print_findings(&report.findings);
        let verdict = if report.compliant {
            "fine"
        } else {
            "NOT COMPLIANT"
        };
        println!("{verdict}: {} file(s) scanned", report.results.len());
    }

    pub(crate) fn os_release(&self, os: &fips_core::OsRelease) {
        if self.json {
            return self.print_json(os);
        }
        for (key, value) in os.fields() {
            println!("{key}={value:?}");
        }
        if !os.ignored_lines().is_empty() {
            println!("# ignored lines (not KEY=value): {:?}", os.ignored_lines());
        }
    }

    pub(crate) fn selftest(&self, report: &SelfTestReport) {
        if self.json {
            return self.print_json(report);
        }
        println!("crypto module: {}", report.module);
        println!(
            "FIPS-validated module: {}",
            if report.fips_module { "yes" } else { "no" }
        );
        for kat in &report.kats {
            let status = if kat.passed { "pass" } else { "FAIL" };
            println!(
                "  {status}  {:<28} {:>10.3} ms  {}",
                kat.name,
                kat.duration_ns as f64 / 1e6,
                kat.error.as_deref().unwrap_or("")
            );
        }
        let passed = report.kats.iter().filter(|k| k.passed).count();
        println!(
            "{}: {passed} of {} KATs passed",
            if report.passed { "passed" } else { "FAILED" },
            report.kats.len()
        );
    }

    pub(crate) fn codes(&self) {
        let codes: Vec<CodeJson> = Code::ALL
            .iter()
            .map(|&code| CodeJson {
                code,
                area: code.area(),
                summary: code.summary(),
            })
            .collect();
        if self.json {
            return self.print_json(&codes);
        }
        for c in codes {
            println!("{:<36} {:<10} {}", c.code.as_str(), c.area, c.summary);
        }
    }
}

fn print_findings(findings: &[Finding]) {
    for f in findings {
        println!("  {} {}  {}", f.severity, f.code, f.field);
        println!("      {}", f.message);
        println!("      fix: {}", f.remediation);
    }
}
