//! The real scan subjects (Go builds with BoringCrypto, standard crypto and GOFIPS140) that
//! `scripts/build-scan-subjects` makes: the images the registry tests push are made of them.

use std::{
    path::{Path, PathBuf},
    process::Command,
    sync::OnceLock,
};

use super::server::top;

/// `FIPS_SCAN_SUBJECTS` when the subjects were built there (CI builds them once for every
/// suite), else built once for this test binary under `CARGO_TARGET_TMPDIR`.
pub fn scan_subjects() -> &'static Path {
    static DIR: OnceLock<PathBuf> = OnceLock::new();
    DIR.get_or_init(|| {
        if let Some(dir) = std::env::var_os("FIPS_SCAN_SUBJECTS")
            .map(PathBuf::from)
            .filter(|d| d.join("built.txt").is_file())
        {
            return dir;
        }
        let dir = Path::new(env!("CARGO_TARGET_TMPDIR"))
            .join(format!("scan-subjects-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        let status = Command::new(top().join("scripts/build-scan-subjects"))
            .arg(&dir)
            .status()
            .expect("run scripts/build-scan-subjects (python3)");
        assert!(status.success(), "scripts/build-scan-subjects failed");
        dir
    })
}
