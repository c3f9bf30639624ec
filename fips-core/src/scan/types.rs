//! The public shape of a scan: what was read, the evidence, the verdict per file and for
//! the whole call.

use serde::{Deserialize, Serialize};

use super::{BuildSettings, GoBuildInfo, GoModule, Signal};
use crate::{CryptoModule, Finding};

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

/// The crypto module as a verdict says it: a dynamically linked file without crypto of its
/// own may still reach libcrypto through a library it loads (`curl` through libcurl), which
/// the scan does not follow, so "none" is said as "none linked directly".
pub(crate) fn module_text(module: CryptoModule, dynamic: bool) -> String {
    if module == CryptoModule::None && dynamic {
        "none linked directly".to_owned()
    } else {
        module.to_string()
    }
}

impl ScanResult {
    /// The crypto module in words, exact about what was looked at: `none linked directly`
    /// for a dynamically linked file without crypto of its own.
    ///
    /// ```
    /// use fips_core::{scan_paths, Policy};
    /// let report = scan_paths(&["/bin/sh"], Policy::embedded())?;
    /// let r = &report.results[0];
    /// if r.needed.is_empty() {
    ///     assert_eq!(r.crypto_text(), r.crypto_module.to_string());
    /// }
    /// # Ok::<(), fips_core::Error>(())
    /// ```
    pub fn crypto_text(&self) -> String {
        module_text(self.crypto_module, !self.needed.is_empty())
    }

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
