//! What the two scanner targets share: the scanner reads files, so each input is written to
//! a file in a directory private to this process, then scanned, and every report is checked
//! for the invariants `docs/scan.md` states.

use std::{
    fs,
    path::{Path, PathBuf},
    sync::OnceLock,
};

use fips_core::{scan_paths, Code, Error, Format, Policy, ScanReport, Severity};

/// `<temp>/fips-fuzz-<target>-<pid>/`, made once per process.
pub fn work_dir(target: &str) -> &'static Path {
    static DIR: OnceLock<PathBuf> = OnceLock::new();
    DIR.get_or_init(|| {
        let dir = std::env::temp_dir().join(format!("fips-fuzz-{target}-{}", std::process::id()));
        fs::create_dir_all(&dir).expect("a private temporary directory");
        dir
    })
}

/// Writes `data` to `path` and scans it under the embedded policy.
pub fn scan(path: &Path, data: &[u8]) -> Result<ScanReport, Error> {
    fs::write(path, data).expect("the input is written");
    scan_paths(&[path], Policy::embedded())
}

/// `compliant` follows from the findings at both levels, and the JSON reads back.
pub fn check_report(report: &ScanReport) {
    let no_error =
        |findings: &[fips_core::Finding]| findings.iter().all(|f| f.severity != Severity::Error);
    for r in &report.results {
        assert_eq!(
            r.compliant,
            no_error(&r.findings),
            "{}: {:?}",
            r.path,
            r.findings
        );
        if r.go_version.is_some() {
            assert_eq!(
                r.format,
                Format::Go,
                "{}: a Go version only for Go binaries",
                r.path
            );
        }
        if r.format == Format::Go && r.go_version.is_none() {
            // Go build information that cannot be read fails closed.
            assert!(
                r.findings.iter().any(|f| f.code == Code::ScanUnreadable),
                "{}: Go without a version and no FIPS-SCAN-UNREADABLE: {:?}",
                r.path,
                r.findings
            );
        }
        if let Some(info) = r.build_info() {
            let printed = info.go_version_m("f");
            assert!(printed.starts_with("f: "), "{printed:?}");
        }
    }
    let want = no_error(&report.findings) && report.results.iter().all(|r| r.compliant);
    assert_eq!(report.compliant, want, "{report:?}");
    let json = serde_json::to_string(report).expect("a report serializes");
    let again: ScanReport = serde_json::from_str(&json).expect("its JSON reads back");
    assert_eq!(&again, report);
}

/// What the scanner takes for an image archive (docs/scan.md): the tar magic (`ustar` at
/// offset 257), or the gzip magic, refused with "gunzip it first".
pub fn looks_like_archive(data: &[u8]) -> bool {
    data.get(257..262) == Some(b"ustar") || data.starts_with(&[0x1f, 0x8b])
}
