//! Is an artifact really a FIPS build? Go binaries, ELF files, root filesystems and container
//! images, judged by the crypto module they link.
//!
//! A path may be a file, a directory (walked without following symlinks), an OCI image
//! layout directory or a `docker save` / OCI tar archive (detected by content). Each ELF file
//! found gives a [`ScanResult`]: its Go build information as `go version -m` prints it, the
//! crypto module, the evidence, and findings with stable codes. Reads are bounded: a result
//! says how many bytes it cost (`bytes_read`).

mod buildinfo;
mod bytes;
mod elf;
mod image;
mod layer;
mod manifest;
mod markers;
mod overlay;
mod store;
mod tar;
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
pub use layer::{scan_layer_entries, TarEntryView};
pub use markers::Signal;

use crate::{
    report::no_errors, root::Root, selftest, validate, Code, CryptoModule, Error, Finding, Policy,
    RootError, ScanError, Severity,
};

/// Directory levels walked at most.
const MAX_DEPTH: usize = 64;
/// Directory entries visited per path at most.
const MAX_WALK_ENTRIES: usize = 1_000_000;
/// Bytes of layer data (decompressed) one call reads at most, over all its images.
const MAX_CALL_LAYER_BYTES: u64 = 16 << 30;

/// One scan call: the policy, what it may still read, what it skipped, what it found.
pub(crate) struct Call<'a> {
    pub(crate) policy: &'a Policy,
    pub(crate) budget: bytes::Budget,
    pub(crate) skipped: Skipped,
    pub(crate) out: Vec<ScanResult>,
}

/// Files a call saw but did not judge, so that a scan that judged nothing can say why.
#[derive(Debug, Default)]
pub(crate) struct Skipped {
    /// Files that are neither ELF files nor named by the policy.
    pub(crate) not_binary: u64,
    /// Symlinks not followed (their names are not components; their targets are judged
    /// where they are).
    pub(crate) links: u64,
    /// Symlinks named as components that lead to nothing.
    pub(crate) dangling: u64,
    /// Fifos, sockets, devices.
    pub(crate) special: u64,
}

impl Skipped {
    fn describe(&self) -> String {
        let parts: Vec<String> = [
            (
                self.not_binary,
                "file(s) neither ELF nor named by the policy",
            ),
            (self.links, "symlink(s) not named as components"),
            (self.dangling, "component symlink(s) leading to nothing"),
            (self.special, "fifo(s), socket(s) or device(s)"),
        ]
        .iter()
        .filter(|(n, _)| *n > 0)
        .map(|(n, what)| format!("{n} {what}"))
        .collect();
        if parts.is_empty() {
            "nothing was found to judge".into()
        } else {
            format!("skipped {}", parts.join(", "))
        }
    }
}

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
    let mut call = Call {
        policy,
        budget: bytes::Budget::new(MAX_CALL_LAYER_BYTES),
        skipped: Skipped::default(),
        out: Vec::new(),
    };
    for path in paths {
        scan_path(path.as_ref(), &mut call)?;
    }
    let results = call.out;
    let mut findings = Vec::new();
    if results.is_empty() && !paths.is_empty() {
        // A scan that judged no file is no evidence of compliance.
        findings.push(Finding::new(
            Code::ScanNothingJudged,
            Severity::Error,
            "scan",
            format!("no file was judged: {}", call.skipped.describe()),
            "name the binaries, root filesystem or image that should hold the components",
        ));
    }
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

fn scan_path(path: &Path, call: &mut Call<'_>) -> Result<(), Error> {
    let meta = std::fs::metadata(path).map_err(|e| io_error(path, e))?;
    if meta.is_dir() {
        let root = Root::open(path)?;
        // An OCI layout's files beside `blobs/` are read too: a binary there is a binary.
        let layout = image::is_oci_layout(path);
        if layout {
            image::scan_layout(path, call)?;
        }
        let dir = open_dir(CWD, path).map_err(|e| io_error(path, e))?;
        let mut walk = Walk {
            root: &root,
            visited: 0,
            layout,
        };
        return walk.dir(dir, path.to_owned(), PathBuf::new(), 0, call);
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
    let n = bytes::read_up_to(&mut file, &mut head).map_err(|e| io_error(path, e))?;
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
        return image::scan_archive(path, file, call);
    }
    let name = path
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    call.out.push(scan_reader(
        file,
        &path.display().to_string(),
        &name,
        true,
        call.policy,
    ));
    Ok(())
}

fn open_dir(at: impl rustix::fd::AsFd, name: &Path) -> std::io::Result<OwnedFd> {
    Ok(rustix::fs::openat(
        at,
        name,
        OFlags::RDONLY | OFlags::DIRECTORY | OFlags::NOFOLLOW | OFlags::CLOEXEC,
        Mode::empty(),
    )?)
}

/// A walk of a directory the user named.
struct Walk<'r> {
    /// The directory, as a root: symlinks named as components resolve inside it.
    root: &'r Root,
    visited: usize,
    /// The directory is an OCI layout: its `blobs/` (judged as images) are not walked.
    layout: bool,
}

impl Walk<'_> {
    /// Walks a directory through directory handles (`openat`, never following a symlink), so
    /// that a tree being changed underneath cannot lead the walk outside it. A symlink named
    /// as a component is resolved inside the walked root, as the host probe resolves paths.
    fn dir(
        &mut self,
        dir: OwnedFd,
        shown: PathBuf,
        rel: PathBuf,
        depth: usize,
        call: &mut Call<'_>,
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
            if depth == 0 && self.layout && matches!(name, b"blobs" | b"oci-layout" | b"index.json")
            {
                continue;
            }
            self.visited += 1;
            if self.visited > MAX_WALK_ENTRIES {
                return Err(ScanError::Malformed {
                    path: shown,
                    reason: format!(
                        "more than {MAX_WALK_ENTRIES} entries; scan a narrower directory"
                    ),
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
            let inner = rel.join(&name);
            // Names that are not UTF-8 name no component (never a lossy look-alike).
            let text = name.to_str().unwrap_or_default().to_owned();
            match kind {
                FileType::Directory => {
                    let child = open_dir(&dir, Path::new(&name)).map_err(|e| io_error(&path, e))?;
                    self.dir(child, path, inner, depth + 1, call)?;
                }
                FileType::Symlink => self.link(&path, &inner, &text, call),
                FileType::RegularFile | FileType::Unknown => {
                    let fd = match rustix::fs::openat(
                        &dir,
                        Path::new(&name),
                        OFlags::RDONLY | OFlags::NOFOLLOW | OFlags::NONBLOCK | OFlags::CLOEXEC,
                        Mode::empty(),
                    ) {
                        Ok(fd) => fd,
                        // A symlink (the file system did not say so).
                        Err(rustix::io::Errno::LOOP) => {
                            self.link(&path, &inner, &text, call);
                            continue;
                        }
                        Err(e) => {
                            call.out
                                .push(unreadable(&path, &text, e.to_string(), call.policy));
                            continue;
                        }
                    };
                    let stat = rustix::fs::fstat(&fd).map_err(|e| io_error(&path, e.into()))?;
                    match FileType::from_raw_mode(stat.st_mode) {
                        FileType::RegularFile => {}
                        FileType::Directory => {
                            self.dir(fd, path, inner, depth + 1, call)?;
                            continue;
                        }
                        _ => {
                            call.skipped.special += 1;
                            continue;
                        }
                    }
                    rustix::fs::fcntl_setfl(&fd, OFlags::empty())
                        .map_err(|e| io_error(&path, e.into()))?;
                    judge_walked(File::from(fd), &path, &text, call);
                }
                // Fifos, sockets and devices are not binaries.
                _ => call.skipped.special += 1,
            }
        }
        Ok(())
    }

    /// A symlink met by the walk: followed inside the root when its name is a component
    /// (`kube-apiserver -> kube-apiserver-v1.22.8`); otherwise its target, if inside the
    /// tree, is judged where it is.
    fn link(&self, path: &Path, inner: &Path, name: &str, call: &mut Call<'_>) {
        if !is_component(call.policy, name) {
            call.skipped.links += 1;
            return;
        }
        let Some(inner) = inner.to_str() else {
            call.skipped.links += 1;
            return;
        };
        match self.root.open_file(inner) {
            Ok(Some(file)) => call.out.push(scan_reader(
                file,
                &path.display().to_string(),
                name,
                false,
                call.policy,
            )),
            Ok(None) => call.skipped.dangling += 1,
            Err(RootError::NotAFile { .. }) => call.skipped.dangling += 1,
            Err(e) => call
                .out
                .push(unreadable(path, name, e.to_string(), call.policy)),
        }
    }
}

/// A regular file met by a walk: judged when it is an ELF file or a component.
fn judge_walked(mut file: File, path: &Path, name: &str, call: &mut Call<'_>) {
    let mut magic = [0u8; 4];
    let elf = bytes::read_up_to(&mut file, &mut magic).ok() == Some(4) && magic == *b"\x7fELF";
    if !elf && !is_component(call.policy, name) {
        call.skipped.not_binary += 1;
        return;
    }
    call.out.push(scan_reader(
        file,
        &path.display().to_string(),
        name,
        false,
        call.policy,
    ));
}

/// True when the policy names `name` as a component that must be a FIPS build.
pub(crate) fn is_component(policy: &Policy, name: &str) -> bool {
    policy.scan.components.iter().any(|c| c == name)
}

/// A result for a file that could not be read or parsed.
pub(crate) fn unreadable(path: &Path, name: &str, reason: String, policy: &Policy) -> ScanResult {
    let component = is_component(policy, name);
    let finding = Finding::new(
        Code::ScanUnreadable,
        if component {
            Severity::Error
        } else {
            Severity::Warning
        },
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
            names_searched: false,
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
    let (ranges, source, patterns): (Vec<(u64, u64)>, _, &[markers::Pattern]) =
        if let Some(s) = info.symbol_strings() {
            (
                vec![(s.offset, s.size)],
                EvidenceSource::Symbol,
                markers::NAME_PATTERNS,
            )
        } else if build.is_some() {
            match elf::function_names(&mut r, &info).map_err(io)? {
                Some(range) => (vec![range], EvidenceSource::Bytes, markers::NAME_PATTERNS),
                None => (
                    info.loads.iter().map(|s| (s.offset, s.filesz)).collect(),
                    EvidenceSource::Bytes,
                    markers::CODE_PATTERNS,
                ),
            }
        } else {
            (Vec::new(), EvidenceSource::Bytes, markers::NAME_PATTERNS)
        };
    let names_searched = !ranges.is_empty();
    let (hits, _) = markers::search(&mut r, &ranges, patterns).map_err(io)?;
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
        names_searched,
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
    let component = is_component(policy, name);
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
