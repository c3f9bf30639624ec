//! From evidence to a verdict: which crypto module a binary uses, and what policy says of it.
//!
//! What is linked wins over what was asked for: `GOEXPERIMENT=boringcrypto` with
//! `CGO_ENABLED=0` records `X:boringcrypto` in the version, yet links standard crypto (the
//! BoringCrypto package needs cgo), so when names could be searched, a module is only
//! credited when its code is present. Without names (no symbol table and no Go function
//! table), the build settings decide and the verdict says so.

use crate::{
    scan::{Evidence, EvidenceSource, Format, Signal},
    Code, CryptoModule, Finding, GoBuildInfo, Policy, Severity,
};

/// Everything observed about one binary.
pub(crate) struct Observed<'a> {
    pub(crate) format: Format,
    pub(crate) build: Option<&'a GoBuildInfo>,
    pub(crate) evidence: &'a [Evidence],
    /// Names (symbols or function names) could be searched.
    pub(crate) names_searched: bool,
    /// No static symbol table: the names came from bytes.
    pub(crate) stripped: bool,
    /// The file is dynamically linked (has `DT_NEEDED` entries).
    pub(crate) dynamic: bool,
}

/// The verdict's parts.
pub(crate) struct Judged {
    pub(crate) module: CryptoModule,
    pub(crate) fips_only: bool,
    pub(crate) findings: Vec<Finding>,
}

/// Evidence the build settings give, before any name is searched.
pub(crate) fn setting_evidence(build: &GoBuildInfo) -> Vec<Evidence> {
    let mut out = Vec::new();
    let mut push = |source, marker: String, signal| {
        out.push(Evidence {
            source,
            marker,
            signal,
        })
    };
    if let Some((_, x)) = build.go_version.split_once("X:") {
        for exp in x.split(',') {
            if let Some(signal) = experiment_signal(exp) {
                push(EvidenceSource::Version, format!("X:{exp}"), signal);
            }
        }
    }
    if let Some(exps) = build.settings.get("GOEXPERIMENT") {
        for exp in exps.split(',') {
            if let Some(signal) = experiment_signal(exp) {
                push(
                    EvidenceSource::Setting,
                    format!("GOEXPERIMENT={exp}"),
                    signal,
                );
            }
        }
    }
    if let Some(v) = build.settings.get("GOFIPS140") {
        if v != "off" && !v.is_empty() {
            push(
                EvidenceSource::Setting,
                format!("GOFIPS140={v}"),
                Signal::GoFips140,
            );
        }
    }
    if let Some(godebug) = build.settings.get("DefaultGODEBUG") {
        for kv in godebug.split(',') {
            if let Some(mode) = kv.strip_prefix("fips140=") {
                if mode == "on" || mode == "only" {
                    push(
                        EvidenceSource::Setting,
                        format!("DefaultGODEBUG {kv}"),
                        Signal::GoFips140,
                    );
                }
            }
        }
    }
    out
}

fn experiment_signal(exp: &str) -> Option<Signal> {
    match exp.trim() {
        "boringcrypto" => Some(Signal::Boringcrypto),
        // Microsoft's Go: systemcrypto picks OpenSSL on Linux, opensslcrypto names it;
        // Red Hat's Go: strictfipsruntime requires its OpenSSL backend in FIPS mode.
        "systemcrypto" | "opensslcrypto" | "strictfipsruntime" => Some(Signal::Openssl),
        _ => None,
    }
}

/// Decides the module and the findings for a binary named `name` (its file name).
pub(crate) fn judge(seen: &Observed<'_>, name: &str, direct: bool, policy: &Policy) -> Judged {
    let component = policy.scan.components.iter().any(|c| c == name);
    let linked = |s: Signal| {
        seen.evidence.iter().any(|e| {
            e.signal == s
                && matches!(
                    e.source,
                    EvidenceSource::Symbol | EvidenceSource::Bytes | EvidenceSource::Dynamic
                )
        })
    };
    let asked = |s: Signal| {
        seen.evidence.iter().any(|e| {
            e.signal == s && matches!(e.source, EvidenceSource::Version | EvidenceSource::Setting)
        })
    };
    let module = match seen.format {
        Format::Other => CryptoModule::Unknown,
        Format::Elf if linked(Signal::Libcrypto) => CryptoModule::Openssl,
        // Symbols were searched, or the libraries it links are known and libcrypto is not one.
        Format::Elf if seen.names_searched || seen.dynamic => CryptoModule::None,
        Format::Elf => CryptoModule::Unknown,
        Format::Go if seen.build.is_none() => CryptoModule::Unknown,
        Format::Go if seen.names_searched => {
            if linked(Signal::Boringcrypto) {
                CryptoModule::Boringcrypto
            } else if linked(Signal::Openssl) {
                CryptoModule::Openssl
            } else if asked(Signal::GoFips140) && linked(Signal::GoCrypto) {
                CryptoModule::GoFips140
            } else if linked(Signal::GoCrypto) || linked(Signal::StandardCrypto) {
                CryptoModule::Standard
            } else {
                CryptoModule::None
            }
        }
        Format::Go => {
            if asked(Signal::Boringcrypto) {
                CryptoModule::Boringcrypto
            } else if asked(Signal::Openssl) {
                CryptoModule::Openssl
            } else if asked(Signal::GoFips140) {
                CryptoModule::GoFips140
            } else {
                CryptoModule::Unknown
            }
        }
    };
    let fips_only = linked(Signal::FipsOnly);
    let mut findings = Vec::new();
    let weigh = |error: bool| {
        if error && component {
            Severity::Error
        } else if component {
            Severity::Warning
        } else {
            Severity::Info
        }
    };
    let accepted = policy.scan.accepted_modules.contains(&module);
    let accepted_list = policy
        .scan
        .accepted_modules
        .iter()
        .map(|m| m.as_str())
        .collect::<Vec<_>>()
        .join(", ");
    let what = if component {
        format!("{name} is a FIPS component in the policy, but")
    } else {
        format!("{name}:")
    };

    if seen.format != Format::Go {
        if component || direct {
            findings.push(Finding::new(
                Code::ScanNotGo,
                weigh(true),
                name,
                format!(
                    "{what} it is not a Go binary ({}; crypto: {module})",
                    if seen.format == Format::Elf {
                        "an ELF file without Go build information"
                    } else {
                        "not an ELF file"
                    }
                ),
                "scan the Go build of this component (the vendor's FIPS image or binary)",
            ));
        }
        return Judged {
            module,
            fips_only,
            findings,
        };
    }

    if module == CryptoModule::Standard {
        let claimed = if asked(Signal::Boringcrypto) {
            " (built with GOEXPERIMENT=boringcrypto, but BoringCrypto is not linked: it needs CGO_ENABLED=1 on linux/amd64 or arm64)"
        } else {
            ""
        };
        findings.push(Finding::new(
            Code::ScanStandardCrypto,
            weigh(!accepted),
            name,
            format!("{what} it is built with standard Go crypto{claimed}"),
            "use the FIPS build: Go+BoringCrypto (GOEXPERIMENT=boringcrypto, CGO_ENABLED=1), \
             as the vendor's +fips.N builds are",
        ));
    } else if component && !accepted {
        findings.push(Finding::error(
            Code::ScanModuleNotAccepted,
            name,
            format!("{what} its crypto module is {module}, which the policy does not accept (accepted: {accepted_list})"),
            "use a build with an accepted module, or accept this module in the policy's [scan] accepted_modules",
        ));
    }

    if module == CryptoModule::GoFips140 {
        let setting = seen.build.and_then(|b| b.settings.get("GOFIPS140"));
        let pinned =
            setting.is_some_and(|v| v.starts_with('v')) && linked(Signal::GoFips140Snapshot);
        if !pinned {
            findings.push(Finding::new(
                Code::ScanGoFips140Unpinned,
                weigh(accepted),
                name,
                format!(
                    "{} uses Go's native FIPS 140-3 module from its own source tree ({}), not a \
                     frozen module version submitted for validation",
                    name,
                    setting.map_or("no GOFIPS140 setting".to_owned(), |v| format!(
                        "GOFIPS140={v}"
                    ))
                ),
                "build with GOFIPS140 set to a frozen module version (e.g. GOFIPS140=v1.0.0) \
                 and check that version's CMVP status",
            ));
        }
    }

    if seen.stripped {
        findings.push(Finding::new(
            Code::ScanStripped,
            if component { Severity::Warning } else { Severity::Info },
            name,
            format!(
                "{name} has no symbol table (stripped, e.g. -ldflags=-s -w): its crypto module ({module}) was judged {}",
                if seen.names_searched { "from the bytes of Go's function-name table" } else { "from its build settings only" }
            ),
            "to confirm from symbols, scan an unstripped build",
        ));
    }
    Judged {
        module,
        fips_only,
        findings,
    }
}
