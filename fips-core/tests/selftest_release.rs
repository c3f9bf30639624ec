//! Without the `break-kat` feature (every default and release build), `FIPS_BREAK_KAT` is
//! ignored: nothing can switch a KAT off or make the library fail on purpose.
//!
//! Run: `cargo test -p fips-core --test selftest_release` (and with `--features fips`).

#![cfg(not(feature = "break-kat"))]

use std::process::Command;

use fips_core::{selftest, validate, ClusterRequest, Policy};

const CHILD: &str = "FIPS_SELFTEST_RELEASE_CHILD";

#[test]
fn fips_break_kat_is_ignored_without_the_feature() {
    if std::env::var_os(CHILD).is_some() {
        assert_eq!(std::env::var("FIPS_BREAK_KAT").as_deref(), Ok("SHA-256"));
        let report = selftest();
        assert!(report.passed, "{report:?}");
        let request = ClusterRequest::from_args([
            "dkp",
            "create",
            "cluster",
            "aws",
            "--ami=ami-03dcaa75d45aca36f",
            "--kubernetes-version=1.22.8+fips.0",
            "--kubernetes-image-repository=docker.io/mesosphere",
            "--etcd-image-repository=docker.io/mesosphere",
            "--etcd-version=3.4.13+fips.0",
        ])
        .unwrap();
        assert!(validate(&request, Policy::embedded()).unwrap().compliant);
        return;
    }
    let out = Command::new(std::env::current_exe().unwrap())
        .args(["--exact", "fips_break_kat_is_ignored_without_the_feature"])
        .env(CHILD, "1")
        .env("FIPS_BREAK_KAT", "SHA-256")
        .output()
        .unwrap();
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(
        out.status.success() && stdout.contains("test result: ok. 1 passed"),
        "{stdout}\n{}",
        String::from_utf8_lossy(&out.stderr)
    );
}

#[test]
fn the_suite_reports_the_module_of_this_build() {
    let report = selftest();
    assert!(report.passed, "{report:?}");
    assert_eq!(report.fips_module, cfg!(feature = "fips"));
    assert_eq!(report.module, fips_core::module_name());
}
