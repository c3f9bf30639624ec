//! Human and JSON output, and exit codes.

use std::{path::Path, process::ExitCode};

use fips_core::{
    Code, Error, FileError, Finding, HostFips, ImageRef, Policy, Report, SelfTestReport,
    TransitionReport, VersionInfo,
};
use serde::Serialize;

use crate::write::{say, say_err, say_raw};

/// The error kind of a command line fipsctl cannot run (clap's errors and its own).
pub(crate) const USAGE_KIND: &str = "usage";

/// The one word for a good result in every verb that gives a verdict, and its opposite.
pub(crate) const COMPLIANT: &str = "compliant";
/// See [`COMPLIANT`].
pub(crate) const NOT_COMPLIANT: &str = "NOT COMPLIANT";

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

/// Reads a file the user named, as fips-core reads every such file (regular files only,
/// without blocking on a fifo, bounded).
pub(crate) fn read_file(path: &Path) -> Result<String, Error> {
    fips_core::read_text_file(path, MAX_INPUT_BYTES).map_err(|source| {
        Error::File(FileError {
            path: path.to_owned(),
            source,
        })
    })
}

/// Reads a request from standard input (`--request -`), bounded as a named file is.
pub(crate) fn read_stdin() -> Result<String, Error> {
    use std::io::Read;
    let failed = |source| {
        Error::File(FileError {
            path: "-".into(),
            source,
        })
    };
    let mut bytes = Vec::new();
    std::io::stdin()
        .lock()
        .take(MAX_INPUT_BYTES + 1)
        .read_to_end(&mut bytes)
        .map_err(failed)?;
    if bytes.len() as u64 > MAX_INPUT_BYTES {
        return Err(failed(std::io::Error::new(
            std::io::ErrorKind::InvalidData,
            format!(
                "standard input holds more than the {MAX_INPUT_BYTES} bytes a request may have"
            ),
        )));
    }
    String::from_utf8(bytes).map_err(|_| {
        failed(std::io::Error::new(
            std::io::ErrorKind::InvalidData,
            "standard input is not UTF-8 text",
        ))
    })
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
    pub(crate) fn print_json(&self, value: &impl Serialize) {
        match serde_json::to_string_pretty(value) {
            Ok(text) => say!("{text}"),
            // The core types always serialize; say so loudly if that ever breaks.
            Err(e) => say_err!("fipsctl: error: cannot write JSON: {e}"),
        }
    }

    /// One line on stderr; with --json also `{"error":{"kind","variant","message"}}` on stdout.
    /// A failed self-test is exit 1 (no verdict can be compliant); anything else is exit 2.
    pub(crate) fn error(&self, err: &Error) -> ExitCode {
        self.failure(err.kind(), err.variant(), err.to_string());
        match err {
            Error::SelfTest(_) => ExitCode::from(1),
            _ => ExitCode::from(2),
        }
    }

    /// [`Out::error`] for an error in the value of one option, naming it.
    pub(crate) fn error_in(&self, option: &str, err: &Error) -> ExitCode {
        self.failure(err.kind(), err.variant(), format!("{option}: {err}"));
        ExitCode::from(2)
    }

    /// A command line fipsctl cannot run (error kind `usage`): exit 2.
    pub(crate) fn usage(&self, message: String) -> ExitCode {
        self.failure(USAGE_KIND, USAGE_KIND, message);
        ExitCode::from(2)
    }

    fn failure(&self, kind: &str, variant: &str, message: String) {
        say_err!("fipsctl: error: {message}");
        if self.json {
            self.print_json(&ErrorJson {
                error: ErrorBody {
                    kind,
                    variant,
                    message,
                },
            });
        }
    }

    /// A request's verdict; when it is not compliant, it ends with `corrected`, the command
    /// line with each finding's fix applied.
    pub(crate) fn report(&self, report: &Report, corrected: Option<&str>) {
        if self.json {
            return self.print_json(report);
        }
        if report.compliant {
            say!("{COMPLIANT}: this request is a FIPS build the policy supports");
        } else {
            say!("{NOT_COMPLIANT}");
        }
        print_findings(&report.findings);
        if let Some(command) = corrected.filter(|_| !report.compliant) {
            if fips_core::has_placeholder(command) {
                say!("corrected command (replace each <...> first):");
            } else {
                say!("corrected command:");
            }
            say!("  {command}");
        }
    }

    pub(crate) fn transition(&self, report: &TransitionReport) {
        if self.json {
            return self.print_json(report);
        }
        if report.allowed {
            say!(
                "{COMPLIANT}: {} -> {} is allowed",
                report.current,
                report.desired
            );
        } else {
            say!(
                "{NOT_COMPLIANT}: {} -> {} is refused",
                report.current,
                report.desired
            );
        }
        // check_transition governs FIPS builds only: between two others no rule applies.
        if !report.current.is_fips() && !report.desired.is_fips() {
            say!("  no FIPS rule applied: neither version is a FIPS build (+fips.N)");
        }
        print_findings(&report.findings);
    }

    pub(crate) fn version(&self, info: &VersionInfo) {
        self.version_listed(info, None);
    }

    /// A version, and for a FIPS build whether the policy lists it (`listed`).
    pub(crate) fn version_listed(&self, info: &VersionInfo, listed: Option<bool>) {
        if self.json {
            #[derive(Serialize)]
            struct Listed<'a> {
                #[serde(flatten)]
                info: &'a VersionInfo,
                #[serde(skip_serializing_if = "Option::is_none")]
                listed_in_policy: Option<bool>,
            }
            return self.print_json(&Listed {
                info,
                listed_in_policy: listed,
            });
        }
        say!("version:    {}", info.version);
        match (info.fips_build, listed) {
            (Some(n), Some(false)) => say!(
                "fips build: yes (fips.{n}), but not a {} build the policy lists",
                info.component
            ),
            (Some(n), _) => say!("fips build: yes (fips.{n})"),
            (None, _) => say!("fips build: no"),
        }
        let tag = info
            .tag
            .as_deref()
            .unwrap_or("(none: longer than the 128 characters a tag may have)");
        say!("{:<11} {tag}", format!("{} tag:", info.component));
    }

    pub(crate) fn images(&self, images: &[fips_core::PulledImage]) {
        if self.json {
            return self.print_json(&images);
        }
        for pulled in images {
            let fips = if pulled.fips { "fips" } else { "    " };
            match &pulled.note {
                Some(note) => say!("{fips}  {}  ({note})", pulled.image),
                None => say!("{fips}  {}", pulled.image),
            }
        }
    }

    pub(crate) fn image(&self, image: &ImageRef) {
        if self.json {
            return self.print_json(image);
        }
        say!("reference:  {image}");
        say!("registry:   {}", image.registry);
        say!("repository: {}", image.repository);
        say!("tag:        {}", image.tag.as_deref().unwrap_or("(none)"));
        say!(
            "digest:     {}",
            image.digest.as_deref().unwrap_or("(none)")
        );
    }

    pub(crate) fn host(&self, host: &HostFips) {
        if self.json {
            return self.print_json(host);
        }
        let yes_no = |b: bool| if b { "yes" } else { "no" };
        say!("root:          {}", host.root);
        match &host.os {
            Some(os) => say!(
                "os:            {} (ID={}, version {})",
                os.pretty_name,
                os.id,
                os.version.as_deref().unwrap_or("unknown")
            ),
            None => say!("os:            unknown (no os-release)"),
        }
        say!("os supported:  {}", yes_no(host.os_supported));
        let mode = match host.fips_mode {
            Some(on) => yes_no(on),
            None => "unknown (no proc/: an image, not a running system)",
        };
        say!("fips mode:     {mode}");
        say!("fips prepared: {}", yes_no(host.fips_prepared));
        let s = &host.signals;
        let opt = |v: Option<bool>| v.map_or("absent", yes_no);
        say!("signals:");
        say!(
            "  proc/sys/crypto/fips_enabled:      {}",
            opt(s.fips_enabled)
        );
        say!(
            "  proc/cmdline fips=1:               {}",
            opt(s.cmdline_fips)
        );
        say!(
            "  etc/system-fips:                   {}",
            yes_no(s.system_fips)
        );
        say!(
            "  etc/crypto-policies/config:        {}",
            s.crypto_policy_config.as_deref().unwrap_or("absent")
        );
        say!(
            "  etc/crypto-policies/state/current: {}",
            s.crypto_policy_current.as_deref().unwrap_or("absent")
        );
        say!(
            "  GRUB_CMDLINE_LINUX fips=1:         {}",
            opt(s.grub_cmdline_fips)
        );
        say!(
            "  BLS entries fips=1:                {}",
            opt(s.bls_entries_fips)
        );
        say!(
            "{}",
            if host.compliant {
                COMPLIANT
            } else {
                NOT_COMPLIANT
            }
        );
        print_findings(&host.findings);
    }

    pub(crate) fn policy(&self, policy: &Policy, embedded: bool) {
        if self.json {
            return self.print_json(policy);
        }
        if embedded {
            say_raw!("{}", Policy::embedded_toml());
            return;
        }
        match toml::to_string_pretty(policy) {
            Ok(text) => say_raw!("{text}"),
            Err(e) => say_err!("fipsctl: error: cannot write TOML: {e}"),
        }
    }

    pub(crate) fn policy_check(&self, path: &Path, policy: &Policy) {
        if self.json {
            return self.print_json(policy);
        }
        say!(
            "{}: valid policy: {} build(s), {} operating system(s), {} mirror(s)",
            path.display(),
            policy.builds.len(),
            policy.operating_systems.len(),
            policy.mirrors.len()
        );
    }

    pub(crate) fn os_release(&self, os: &fips_core::OsRelease) {
        if self.json {
            return self.print_json(os);
        }
        for (key, value) in os.fields() {
            say!("{key}={value:?}");
        }
        if !os.ignored_lines().is_empty() {
            say!("# ignored lines (not KEY=value): {:?}", os.ignored_lines());
        }
    }

    pub(crate) fn selftest(&self, report: &SelfTestReport) {
        if self.json {
            return self.print_json(report);
        }
        say!("crypto module: {}", report.module);
        say!(
            "FIPS-validated module: {}",
            if report.fips_module { "yes" } else { "no" }
        );
        for kat in &report.kats {
            let status = if kat.passed { "pass" } else { "FAIL" };
            say!(
                "  {status}  {:<28} {:>10.3} ms  {}",
                kat.name,
                kat.duration_ns as f64 / 1e6,
                kat.error.as_deref().unwrap_or("")
            );
        }
        let passed = report.kats.iter().filter(|k| k.passed).count();
        say!(
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
            say!("{:<36} {:<10} {}", c.code.as_str(), c.area, c.summary);
        }
    }
}

pub(crate) fn print_findings(findings: &[Finding]) {
    for f in findings {
        say!("  {} {}  {}", f.severity, f.code, f.field);
        say!("      {}", f.message);
        say!("      fix: {}", f.remediation);
    }
}
