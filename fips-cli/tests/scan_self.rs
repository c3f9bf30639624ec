//! fipsctl links AWS-LC statically through aws-lc-rs (aws-lc-sys in the default build, not
//! its FIPS build, which only `--features fips` selects): scanning fipsctl itself must say so.

use std::process::Command;

#[test]
fn fipsctl_itself_is_judged_aws_lc_not_its_fips_build() {
    let exe = env!("CARGO_BIN_EXE_fipsctl");
    let out = Command::new(exe)
        .args(["scan", "--json", exe])
        .output()
        .unwrap();
    let report: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let result = &report["results"][0];
    let want = if cfg!(feature = "fips") {
        "aws-lc-fips"
    } else {
        "aws-lc"
    };
    assert_eq!(result["crypto_module"], want, "{result}");
    assert_eq!(result["format"], "elf");
}
