//! Is an artifact really a FIPS build? Go binaries, ELF files, root filesystems and container
//! images, judged by the crypto module they link.
//!
//! A path may be a file, a directory (walked without following symlinks, but for those named
//! as components), an OCI image layout directory or a `docker save` / OCI tar archive
//! (detected by content). Each ELF file found gives a [`ScanResult`]: its Go build information
//! as `go version -m` prints it, the crypto module, the evidence, and findings with stable
//! codes. Reads are bounded: a result says how many bytes it cost (`bytes_read`).
//!
//! A scan, top to bottom: this file dispatches each path ([`scan_paths`]); a directory goes to
//! the walker (`walk`), an image to `image`, which reads the blob store (`store`: a layout
//! directory or an archive, the one seam a registry would join), the manifests (`manifest`),
//! each layer once (`layer`, with the strict `tar` reader and the `bytes` readers), and the
//! final tree (`overlay`); every file found ends in the per-file pipeline (`pipeline`:
//! `elf`, `buildinfo`, `markers`, `verdict`), whose public shape is in `types`.

mod buildinfo;
mod bytes;
mod elf;
mod image;
mod layer;
mod manifest;
mod markers;
mod options;
mod overlay;
mod pipeline;
mod provider;
mod source;
mod store;
mod tar;
mod types;
mod verdict;
mod walk;

use std::{
    fs::File,
    io::Seek,
    path::{Path, PathBuf},
};

use rustix::fs::CWD;

pub use buildinfo::{BuildSettings, GoBuildInfo, GoModule};
pub use layer::{scan_layer_entries, TarEntryView};
pub use markers::Signal;
pub use options::ScanOptions;
pub use source::{scan_image_source, ImageSource};
pub use types::{Evidence, EvidenceSource, Format, ScanReport, ScanResult};

pub(crate) use pipeline::{scan_reader, unreadable};

use crate::{
    error::NotText, report::no_errors, root::Root, selftest, validate, Code, Error, FileError,
    Finding, Policy, ScanError, Severity,
};

/// Bytes of layer data (decompressed) one call reads at most, over all its images.
const MAX_CALL_LAYER_BYTES: u64 = 16 << 30;
/// Tar entries of the layers one call reads at most (each distinct layer counted once).
const MAX_CALL_LAYER_ENTRIES: usize = 2_000_000;

/// One scan call: the policy, what it may still read, what it skipped, what it found.
pub(crate) struct Call<'a> {
    pub(crate) policy: &'a Policy,
    pub(crate) options: &'a ScanOptions,
    pub(crate) budget: bytes::Budget,
    pub(crate) skipped: Skipped,
    out: Vec<ScanResult>,
    /// Told of each result as soon as it is judged.
    on_result: &'a mut dyn FnMut(&ScanResult),
}

impl Call<'_> {
    /// Records one result, telling the caller at once.
    pub(crate) fn emit(&mut self, result: ScanResult) {
        (self.on_result)(&result);
        self.out.push(result);
    }
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
    /// Paths left out by [`ScanOptions::exclude`].
    pub(crate) excluded: u64,
    /// Directories on pseudo file systems (proc, sysfs, cgroup, ...), not walked.
    pub(crate) pseudo: u64,
    /// Mount points not entered under [`ScanOptions::one_file_system`].
    pub(crate) mounts: u64,
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
            (self.excluded, "path(s) excluded"),
            (self.pseudo, "pseudo file system(s) (proc, sysfs, ...)"),
            (self.mounts, "mount point(s) of other file systems"),
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

/// Scans files, directories (recursively; a symlink is followed, inside the directory, only
/// when its name is a component), OCI image layout directories and `docker save` / OCI tar
/// archives.
///
/// A path that does not exist, or an image archive that is malformed, is an error (no
/// verdict); a file that cannot be parsed is a result with `FIPS-SCAN-UNREADABLE`. Files
/// named directly are always reported; files found by walking (or in an image) are reported
/// when they are ELF files or when the policy names them as components. A call that judged
/// no file at all is not compliant (`FIPS-SCAN-NOTHING-JUDGED`).
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
    scan_each(paths, policy, &ScanOptions::default(), |_| {})
}

/// [`scan_paths`], telling `on_result` of each file as soon as it is judged (for output
/// that streams, or progress), with [`ScanOptions`] for what the walk leaves out.
///
/// The report returned is the one [`scan_paths`] gives: every result, in the order
/// `on_result` saw them. Directories on pseudo file systems (proc, sysfs, cgroup, ...) are
/// not walked; a directory met by the walk that cannot be read is a result with
/// `FIPS-SCAN-DIR-UNREADABLE` (an error: a component there would go unseen), not the end of
/// the scan.
///
/// ```
/// use fips_core::{scan_each, Policy, ScanOptions};
/// let dir = std::env::temp_dir().join(format!("fips-doc-each-{}", std::process::id()));
/// std::fs::create_dir_all(dir.join("skip")).unwrap();
/// std::fs::write(dir.join("etcd"), "#!/bin/sh\n").unwrap();
/// std::fs::write(dir.join("skip/kubelet"), "#!/bin/sh\n").unwrap();
/// let options = ScanOptions { exclude: vec!["skip".into()], ..Default::default() };
/// let mut seen = Vec::new();
/// let report = scan_each(&[&dir], Policy::embedded(), &options, |r| seen.push(r.path.clone()))?;
/// assert_eq!(seen, [dir.join("etcd").display().to_string()]);
/// assert_eq!(report.results.len(), 1);
/// # std::fs::remove_dir_all(&dir).unwrap();
/// # Ok::<(), fips_core::Error>(())
/// ```
pub fn scan_each(
    paths: &[impl AsRef<Path>],
    policy: &Policy,
    options: &ScanOptions,
    mut on_result: impl FnMut(&ScanResult),
) -> Result<ScanReport, Error> {
    if paths.is_empty() {
        return Err(ScanError::NoPaths.into());
    }
    scan_with(policy, options, &mut on_result, |call| {
        for path in paths {
            scan_path(path.as_ref(), call)?;
        }
        Ok(())
    })
}

/// One scan call: the self-test, the call's budget, `scan` over what was named, then the
/// report (a call that judged nothing is not compliant).
pub(crate) fn scan_with(
    policy: &Policy,
    options: &ScanOptions,
    on_result: &mut dyn FnMut(&ScanResult),
    scan: impl FnOnce(&mut Call<'_>) -> Result<(), Error>,
) -> Result<ScanReport, Error> {
    selftest::ensure_passed()?;
    let mut call = Call {
        policy,
        options,
        budget: bytes::Budget::new(MAX_CALL_LAYER_BYTES, MAX_CALL_LAYER_ENTRIES),
        skipped: Skipped::default(),
        out: Vec::new(),
        on_result,
    };
    scan(&mut call)?;
    let results = std::mem::take(&mut call.out);
    let mut findings = Vec::new();
    if results.is_empty() {
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

pub(crate) fn io_error(path: &Path, source: std::io::Error) -> Error {
    ScanError::Io {
        path: path.to_owned(),
        source,
    }
    .into()
}

fn scan_path(path: &Path, call: &mut Call<'_>) -> Result<(), Error> {
    // The path the user named: what keeps it from being opened is kind `file`.
    let named = |source| FileError {
        path: path.to_owned(),
        source,
    };
    let meta = std::fs::metadata(path).map_err(named)?;
    if meta.is_dir() {
        let root = Root::open(path)?;
        // An OCI layout's files beside `blobs/` are read too: a binary there is a binary.
        let layout = image::is_oci_layout(path);
        if layout {
            image::scan_layout(path, call)?;
        }
        let dir = walk::open_dir(CWD, path).map_err(named)?;
        let device = rustix::fs::fstat(&dir).map_err(|e| named(e.into()))?.st_dev;
        let mut walk = walk::Walk {
            root: &root,
            visited: 0,
            layout,
            device,
        };
        return walk.dir(dir, path.to_owned(), PathBuf::new(), 0, call);
    }
    if !meta.is_file() {
        use std::os::unix::fs::FileTypeExt;
        let kind = meta.file_type();
        let found = if kind.is_fifo() {
            "a fifo"
        } else if kind.is_socket() {
            "a socket"
        } else if kind.is_char_device() {
            "a character device"
        } else if kind.is_block_device() {
            "a block device"
        } else {
            "something else"
        };
        let not_a_file = NotText::NotAFileOrDirectory(found);
        return Err(named(std::io::Error::new(
            std::io::ErrorKind::InvalidInput,
            not_a_file,
        ))
        .into());
    }
    let mut file = File::open(path).map_err(named)?;
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
    let len = file.metadata().map_err(|e| io_error(path, e))?.len();
    call.emit(scan_reader(
        bytes::Window::new(file, 0, len),
        &path.display().to_string(),
        &name,
        true,
        call.policy,
    ));
    Ok(())
}

pub(crate) use verdict::is_component;
