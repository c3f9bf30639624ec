//! Is an artifact really a FIPS build? Go binaries, ELF files, root filesystems and container
//! images, judged by the crypto module they link.
//!
//! A path may be a file, a directory (walked without following symlinks), an OCI image
//! layout directory or a `docker save` / OCI tar archive (detected by content). Each ELF file
//! found gives a [`ScanResult`]: its Go build information as `go version -m` prints it, the
//! crypto module, the evidence, and findings with stable codes. Reads are bounded: a result
//! says how many bytes it cost (`bytes_read`).

mod buildinfo;
mod elf;
mod image;
mod markers;
mod verdict;

use std::{
    fs::File,
    io::{Read, Seek},
    os::unix::ffi::OsStrExt,
    path::{Path, PathBuf},
};

use rustix::{
    fd::OwnedFd,
    fs::{FileType, Mode, OFlags, CWD},
};
use serde::{Deserialize, Serialize};

pub use buildinfo::{BuildSettings, GoBuildInfo, GoModule};
pub use markers::Signal;

use crate::{
    report::no_errors, selftest, validate, Code, CryptoModule, Error, Finding, Policy, ScanError,
    Severity,
};

/// Directory levels walked at most.
const MAX_DEPTH: usize = 64;
/// Directory entries visited per path at most.
const MAX_WALK_ENTRIES: usize = 1_000_000;

/// What kind of file was scanned.
///
/// ```
/// use fips_core::Format;
/// assert_eq!(serde_json::to_string(&Format::Go).unwrap(), "\"go\"");
/// ```
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
#[non_exhaustive]
pub enum Format {
    /// An ELF file with Go build information.
    Go,
    /// An ELF file without Go build information (C, C++, Rust...).
    Elf,
    /// Not an ELF file.
    Other,
}

/// Where a piece of evidence was read.
///
/// ```
/// use fips_core::EvidenceSource;
/// assert_eq!(serde_json::to_string(&EvidenceSource::Symbol).unwrap(), "\"symbol\"");
/// ```
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
#[non_exhaustive]
pub enum EvidenceSource {
    /// The Go version string (`X:boringcrypto`).
    Version,
    /// A build setting (`GOEXPERIMENT`, `GOFIPS140`, `DefaultGODEBUG`).
    Setting,
    /// A name in the symbol table.
    Symbol,
    /// Bytes of a stripped binary: Go's function-name table or code signatures.
    Bytes,
    /// A `DT_NEEDED` entry of the dynamic section.
    Dynamic,
}

/// One reason for a verdict: where it was read, what was read, what it signals.
///
/// ```
/// use fips_core::{Evidence, EvidenceSource, Signal};
/// let e = Evidence { source: EvidenceSource::Setting, marker: "GOEXPERIMENT=boringcrypto".into(),
///                    signal: Signal::Boringcrypto };
/// assert_eq!(serde_json::to_string(&e).unwrap(),
///   r#"{"source":"setting","marker":"GOEXPERIMENT=boringcrypto","signal":"boringcrypto"}"#);
/// ```
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Evidence {
    /// Where it was read.
    pub source: EvidenceSource,
    /// What was read: a setting, a symbol name, a library name.
    pub marker: String,
    /// What it signals.
    pub signal: Signal,
}

/// The verdict on one file.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ScanResult {
    /// The file: a host path, or `<archive or layout>[@<image>]!/<path inside the image>`.
    pub path: String,
    /// `go`, `elf` or `other`.
    pub format: Format,
    /// The Go toolchain, e.g. `go1.26.8-X:boringcrypto` (Go binaries only).
    pub go_version: Option<String>,
    /// The main package (`go version -m`'s `path` line).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub package: Option<String>,
    /// The main module (`mod` line).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub main: Option<GoModule>,
    /// The dependencies (`dep` lines).
    #[serde(default)]
    pub deps: Vec<GoModule>,
    /// The build settings (`build` lines), in order.
    #[serde(default)]
    pub settings: BuildSettings,
    /// The crypto module the file uses.
    pub crypto_module: CryptoModule,
    /// `crypto/tls/fipsonly` is linked.
    #[serde(default)]
    pub fips_only: bool,
    /// The policy names this file as a component that must be a FIPS build.
    #[serde(default)]
    pub component: bool,
    /// The file has no symbol table (ELF files only).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub stripped: Option<bool>,
    /// Shared libraries it needs (`DT_NEEDED`).
    #[serde(default)]
    pub needed: Vec<String>,
    /// Why the module was judged so.
    pub evidence: Vec<Evidence>,
    /// What is wrong.
    pub findings: Vec<Finding>,
    /// True when no finding is an error.
    pub compliant: bool,
    /// Bytes read from the file to judge it.
    pub bytes_read: u64,
}

impl ScanResult {
    /// The Go build information, for a Go binary.
    ///
    /// [`GoBuildInfo::go_version_m`] then prints exactly what `go version -m` prints.
    pub fn build_info(&self) -> Option<GoBuildInfo> {
        Some(GoBuildInfo {
            go_version: self.go_version.clone()?,
            package: self.package.clone().unwrap_or_default(),
            main: self.main.clone(),
            deps: self.deps.clone(),
            settings: self.settings.clone(),
        })
    }
}

/// The verdict on everything scanned.
///
/// ```no_run
/// use fips_core::{scan_paths, Policy};
/// let report = scan_paths(&["/usr/local/bin/kubelet"], Policy::embedded())?;
/// for r in &report.results {
///     println!("{} {:?} {}", r.path, r.format, r.crypto_module);
/// }
/// # Ok::<(), fips_core::Error>(())
/// ```
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ScanReport {
    /// One result per file judged.
    pub results: Vec<ScanResult>,
    /// Findings about the scan itself (e.g. the policy requires the FIPS-validated module).
    #[serde(default)]
    pub findings: Vec<Finding>,
    /// True when no result and no finding has an error: every binary the policy names is a
    /// FIPS build with an accepted module.
    pub compliant: bool,
}

/// Scans files, directories (recursively, without following symlinks), OCI image layout
/// directories and `docker save` / OCI tar archives.
///
/// A path that does not exist, or an image archive that is malformed, is an error (no
/// verdict); a file that cannot be parsed is a result with `FIPS-SCAN-UNREADABLE`. Files
/// named directly are always reported; files found by walking (or in an image) are reported
/// when they are ELF files or when the policy names them as components.
///
/// ```
/// use fips_core::{scan_paths, Code, Format, Policy};
/// // A non-Go file named as a component: FIPS-SCAN-NOT-GO, not compliant.
/// let dir = std::env::temp_dir().join(format!("fips-doc-{}", std::process::id()));
/// std::fs::create_dir_all(&dir).unwrap();
/// let etcd = dir.join("etcd");
/// std::fs::write(&etcd, "#!/bin/sh\n").unwrap();
/// let report = scan_paths(&[&etcd], Policy::embedded())?;
/// assert_eq!(report.results[0].format, Format::Other);
/// assert_eq!(report.results[0].findings[0].code, Code::ScanNotGo);
/// assert!(!report.compliant);
/// # std::fs::remove_dir_all(&dir).unwrap();
/// # Ok::<(), fips_core::Error>(())
/// ```
pub fn scan_paths(paths: &[impl AsRef<Path>], policy: &Policy) -> Result<ScanReport, Error> {
    selftest::ensure_passed()?;
    let mut results = Vec::new();
    for path in paths {
        scan_path(path.as_ref(), policy, &mut results)?;
    }
    let mut findings = Vec::new();
    validate::crypto_module_rule(policy, &mut findings);
    Ok(ScanReport {
        compliant: no_errors(&findings) && results.iter().all(|r| r.compliant),
        results,
        findings,
    })
}

fn io_error(path: &Path, source: std::io::Error) -> Error {
    ScanError::Io {
        path: path.to_owned(),
        source,
    }
    .into()
}

fn scan_path(path: &Path, policy: &Policy, out: &mut Vec<ScanResult>) -> Result<(), Error> {
    let meta = std::fs::metadata(path).map_err(|e| io_error(path, e))?;
    if meta.is_dir() {
        if image::is_oci_layout(path) {
            return image::scan_layout(path, policy, out);
        }
        let dir = open_dir(CWD, path).map_err(|e| io_error(path, e))?;
        let mut visited = 0;
        return walk(dir, path.to_owned(), 0, &mut visited, policy, out);
    }
    if !meta.is_file() {
        return Err(ScanError::Malformed {
            path: path.to_owned(),
            reason: "not a regular file, directory or image archive".into(),
        }
        .into());
    }
    let mut file = File::open(path).map_err(|e| io_error(path, e))?;
    let mut head = [0u8; 512];
    let n = read_up_to(&mut file, &mut head).map_err(|e| io_error(path, e))?;
    if head[..n].starts_with(&[0x1f, 0x8b]) {
        return Err(ScanError::Malformed {
            path: path.to_owned(),
            reason: "gzip-compressed file: an image archive must be an uncompressed tar \
                     (as docker save writes it); gunzip it first"
                .into(),
        }
        .into());
    }
    if image::is_tar(&head[..n]) {
        file.rewind().map_err(|e| io_error(path, e))?;
        return image::scan_archive(path, file, policy, out);
    }
    let name = path
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    out.push(scan_reader(
        file,
        &path.display().to_string(),
        &name,
        true,
        policy,
    ));
    Ok(())
}

fn read_up_to(r: &mut impl Read, buf: &mut [u8]) -> std::io::Result<usize> {
    let mut n = 0;
    while n < buf.len() {
        match r.read(&mut buf[n..])? {
            0 => break,
            k => n += k,
        }
    }
    Ok(n)
}

fn open_dir(at: impl rustix::fd::AsFd, name: &Path) -> std::io::Result<OwnedFd> {
    Ok(rustix::fs::openat(
        at,
        name,
        OFlags::RDONLY | OFlags::DIRECTORY | OFlags::NOFOLLOW | OFlags::CLOEXEC,
        Mode::empty(),
    )?)
}

/// Walks a directory through directory handles (`openat`, never following a symlink), so
/// that a tree being changed underneath cannot lead the walk outside it.
fn walk(
    dir: OwnedFd,
    shown: PathBuf,
    depth: usize,
    visited: &mut usize,
    policy: &Policy,
    out: &mut Vec<ScanResult>,
) -> Result<(), Error> {
    if depth > MAX_DEPTH {
        return Err(ScanError::Malformed {
            path: shown,
            reason: format!("directories nested deeper than {MAX_DEPTH} levels"),
        }
        .into());
    }
    let io = |e: rustix::io::Errno| io_error(&shown, e.into());
    let mut names = Vec::new();
    for entry in rustix::fs::Dir::read_from(&dir).map_err(io)? {
        let entry = entry.map_err(io)?;
        let name = entry.file_name().to_bytes();
        if name == b"." || name == b".." {
            continue;
        }
        *visited += 1;
        if *visited > MAX_WALK_ENTRIES {
            return Err(ScanError::Malformed {
                path: shown,
                reason: format!("more than {MAX_WALK_ENTRIES} entries; scan a narrower directory"),
            }
            .into());
        }
        names.push((
            std::ffi::OsStr::from_bytes(name).to_owned(),
            entry.file_type(),
        ));
    }
    names.sort_by(|a, b| a.0.cmp(&b.0));
    for (name, kind) in names {
        let path = shown.join(&name);
        match kind {
            FileType::Directory => {
                let child = open_dir(&dir, Path::new(&name)).map_err(|e| io_error(&path, e))?;
                walk(child, path, depth + 1, visited, policy, out)?;
            }
            FileType::RegularFile | FileType::Unknown => {
                let fd = match rustix::fs::openat(
                    &dir,
                    Path::new(&name),
                    OFlags::RDONLY | OFlags::NOFOLLOW | OFlags::NONBLOCK | OFlags::CLOEXEC,
                    Mode::empty(),
                ) {
                    Ok(fd) => fd,
                    // A symlink (the file system did not say so): not followed.
                    Err(rustix::io::Errno::LOOP) => continue,
                    Err(e) => {
                        out.push(unreadable(
                            &path,
                            &name.to_string_lossy(),
                            e.to_string(),
                            policy,
                        ));
                        continue;
                    }
                };
                let stat = rustix::fs::fstat(&fd).map_err(|e| io_error(&path, e.into()))?;
                match FileType::from_raw_mode(stat.st_mode) {
                    FileType::RegularFile => {}
                    FileType::Directory => {
                        walk(fd, path, depth + 1, visited, policy, out)?;
                        continue;
                    }
                    _ => continue,
                }
                rustix::fs::fcntl_setfl(&fd, OFlags::empty())
                    .map_err(|e| io_error(&path, e.into()))?;
                let mut file = File::from(fd);
                let mut magic = [0u8; 4];
                let elf = read_up_to(&mut file, &mut magic).ok() == Some(4) && magic == *b"\x7fELF";
                if !elf && !is_component(policy, &name.to_string_lossy(), None) {
                    continue;
                }
                let result = scan_reader(
                    file,
                    &path.display().to_string(),
                    &name.to_string_lossy(),
                    false,
                    policy,
                );
                out.push(result);
            }
            // Symlinks are not followed; fifos, sockets and devices are not binaries.
            _ => {}
        }
    }
    Ok(())
}

pub(crate) use verdict::is_component;

/// A result for a file that could not be read or parsed.
fn unreadable(path: &Path, name: &str, reason: String, policy: &Policy) -> ScanResult {
    let component = is_component(policy, name, None);
    let finding = Finding::new(
        Code::ScanUnreadable,
        verdict::weigh(component, Severity::Error, Severity::Warning),
        name,
        format!("{}: {reason}", path.display()),
        "check that the file is a complete, readable binary",
    );
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
