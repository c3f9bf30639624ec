//! The per-file pipeline: one file's bytes to one result (ELF headers, Go build
//! information, names searched for markers, the verdict).

use std::{
    io::{Read, Seek},
    path::Path,
};

use super::{
    elf, is_component, markers, verdict, BuildSettings, Evidence, EvidenceSource, Format,
    GoBuildInfo, ScanResult, Signal,
};
use crate::{report::no_errors, Code, CryptoModule, Finding, Policy, Severity};

/// A result for a file that could not be read or parsed.
pub(crate) fn unreadable(path: &Path, name: &str, reason: String, policy: &Policy) -> ScanResult {
    let component = is_component(policy, name, None);
    let fix = if reason.starts_with(elf::OVER_BOUND) {
        "the file is larger than the scanner reads, not shown to be broken: judge its crypto \
         by other means (readelf -d lists the libraries it loads)"
    } else {
        "check that the file is a complete, readable binary"
    };
    let finding = Finding::new(
        Code::ScanUnreadable,
        verdict::weigh(component, Severity::Error, Severity::Warning),
        name,
        format!("{}: {reason}", path.display()),
        fix,
    );
    finding_only(path, component, finding)
}

/// A result for a directory met by a walk that could not be read: an error whatever its
/// name, since a component inside it would go unseen.
pub(crate) fn unreadable_dir(path: &Path, reason: String) -> ScanResult {
    let finding = Finding::new(
        Code::ScanDirUnreadable,
        Severity::Error,
        path.display().to_string(),
        format!(
            "{}: directory not read ({reason}): the files in it were not judged",
            path.display()
        ),
        format!(
            "run the scan as a user who can read it, or leave it out with --exclude {}",
            path.display()
        ),
    );
    finding_only(path, false, finding)
}

fn finding_only(path: &Path, component: bool, finding: Finding) -> ScanResult {
    ScanResult {
        path: path.display().to_string(),
        format: Format::Other,
        go_version: None,
        package: None,
        main: None,
        deps: Vec::new(),
        settings: BuildSettings::default(),
        crypto_module: CryptoModule::Unknown,
        fips_only: false,
        component,
        stripped: None,
        needed: Vec::new(),
        evidence: Vec::new(),
        compliant: finding.severity != Severity::Error,
        findings: vec![finding],
        bytes_read: 0,
    }
}

/// Judges one file read through `r`. `name` is its file name (what policy components
/// match); `direct` is true when the user named it (non-ELF files are then reported).
pub(crate) fn scan_reader<R: Read + Seek>(
    r: R,
    shown: &str,
    name: &str,
    direct: bool,
    policy: &Policy,
) -> ScanResult {
    let (counting, count) = elf::Counting::new(r);
    let mut result = match judge_file(counting, shown, name, direct, policy) {
        Ok(result) => result,
        Err((format, reason)) => {
            let mut r = unreadable(Path::new(shown), name, reason, policy);
            r.format = format;
            r
        }
    };
    result.bytes_read = count.get();
    result
}

fn judge_file<R: Read + Seek>(
    r: R,
    shown: &str,
    name: &str,
    direct: bool,
    policy: &Policy,
) -> Result<ScanResult, (Format, String)> {
    let (info, mut r) = elf::read_headers(r).map_err(|e| (Format::Elf, e))?;
    let Some(info) = info else {
        let seen = verdict::Observed {
            format: Format::Other,
            build: None,
            evidence: &[],
            names: elf::NameSource::Nothing,
            stripped: false,
            dynamic: false,
        };
        return Ok(assemble(
            shown,
            name,
            direct,
            policy,
            &seen,
            None,
            Vec::new(),
        ));
    };
    let raw = elf::read_build_info(&mut r, &info).map_err(|e| (Format::Go, e))?;
    let build = match raw {
        None => None,
        Some((version, modinfo)) => {
            let modinfo = String::from_utf8(modinfo).map_err(|_| {
                (
                    Format::Go,
                    "the Go module information is not UTF-8".to_owned(),
                )
            })?;
            Some(GoBuildInfo::parse(&version, &modinfo).map_err(|e| (Format::Go, e))?)
        }
    };
    let mut evidence = build
        .as_ref()
        .map(verdict::setting_evidence)
        .unwrap_or_default();
    for lib in &info.needed {
        if lib.starts_with("libcrypto.so") {
            evidence.push(Evidence {
                source: EvidenceSource::Dynamic,
                marker: lib.clone(),
                signal: Signal::Libcrypto,
            });
        }
    }
    let stripped = info.symbol_strings().is_none();
    let io = |e: std::io::Error| (Format::Elf, format!("reading names: {e}"));
    let (names, ranges) = elf::name_ranges(&mut r, &info, build.is_some()).map_err(io)?;
    let source = names.evidence_source();
    let (hits, _) = markers::search(&mut r, &ranges, names.patterns()).map_err(io)?;
    for hit in hits {
        if !evidence
            .iter()
            .any(|e| e.marker == hit.text && e.signal == hit.signal)
        {
            evidence.push(Evidence {
                source,
                marker: hit.text,
                signal: hit.signal,
            });
        }
    }
    let seen = verdict::Observed {
        format: if build.is_some() {
            Format::Go
        } else {
            Format::Elf
        },
        build: build.as_ref(),
        evidence: &evidence,
        names,
        stripped,
        dynamic: !info.needed.is_empty(),
    };
    let mut result = assemble(
        shown,
        name,
        direct,
        policy,
        &seen,
        build.clone(),
        info.needed.clone(),
    );
    result.stripped = Some(stripped);
    Ok(result)
}

fn assemble(
    shown: &str,
    name: &str,
    direct: bool,
    policy: &Policy,
    seen: &verdict::Observed<'_>,
    build: Option<GoBuildInfo>,
    needed: Vec<String>,
) -> ScanResult {
    let judged = verdict::judge(seen, name, direct, policy);
    let component = judged.component;
    let build = build.unwrap_or_default();
    ScanResult {
        path: shown.to_owned(),
        format: seen.format,
        go_version: (seen.format == Format::Go).then_some(build.go_version),
        package: (!build.package.is_empty()).then_some(build.package),
        main: build.main,
        deps: build.deps,
        settings: build.settings,
        crypto_module: judged.module,
        fips_only: judged.fips_only,
        component,
        stripped: None,
        needed,
        evidence: seen.evidence.to_vec(),
        compliant: no_errors(&judged.findings),
        findings: judged.findings,
        bytes_read: 0,
    }
}
