//! The image scanner: arbitrary bytes as a `docker save` / OCI image archive. Each archive
//! is either refused with an error or judged, and every result it gives is a file inside
//! the image: its path reads `<archive>!/<path>` or `<archive>@<image>!/<path>`, with no
//! `..` component (docs/scan.md: entry names are normalised inside the image).

#![no_main]

#[path = "common/scan.rs"]
mod common;

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let path = common::work_dir("scan_image").join("image.tar");
    let archive = path.display().to_string();
    let Ok(report) = common::scan(&path, data) else {
        return;
    };
    common::check_report(&report);
    if !common::looks_like_archive(data) {
        assert_eq!(report.results.len(), 1, "not an archive: one result");
        return;
    }
    for r in &report.results {
        let inside = r
            .path
            .strip_prefix(&archive)
            .and_then(|rest| rest.split_once("!/"))
            .map(|(image, inner)| {
                assert!(image.is_empty() || image.starts_with('@'), "{}", r.path);
                inner
            })
            .unwrap_or_else(|| panic!("{} is not inside {archive}", r.path));
        assert!(
            !inside.is_empty() && !inside.starts_with('/'),
            "{}: path inside the image",
            r.path
        );
        assert!(
            inside
                .split('/')
                .all(|c| c != ".." && c != "." && !c.is_empty()),
            "{}: normalised inside the image",
            r.path
        );
    }
});
