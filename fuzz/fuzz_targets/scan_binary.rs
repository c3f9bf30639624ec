//! The binary scanner: arbitrary bytes as an executable the policy names as a component
//! (`kube-apiserver`). A file named directly is always exactly one result (docs/scan.md),
//! judged as `go`, `elf` or `other` with findings, never a panic; only bytes that carry the
//! tar or gzip magic are taken as an image archive, which may be refused as malformed.

#![no_main]

#[path = "common/scan.rs"]
mod common;

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let path = common::work_dir("scan_binary").join("kube-apiserver");
    match common::scan(&path, data) {
        Ok(report) => {
            common::check_report(&report);
            if !common::looks_like_archive(data) {
                assert_eq!(report.results.len(), 1, "{report:?}");
                let result = &report.results[0];
                assert_eq!(result.path, path.display().to_string());
                assert!(result.component, "kube-apiserver is a component");
                assert!(!report.compliant || result.format == fips_core::Format::Go);
            }
        }
        Err(e) => assert!(
            common::looks_like_archive(data),
            "a file named directly gives a result, not an error: {e}"
        ),
    }
});
