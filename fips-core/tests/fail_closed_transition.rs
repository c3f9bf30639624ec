//! Issue 12, item 6: a build id that reads as FIPS but is not exactly `+fips.N` never makes
//! a FIPS status changeable, and is never taken for a FIPS build.

use fips_core::{check_transition, validate, ClusterRequest, Code, FipsVersion, Policy};

fn v(s: &str) -> FipsVersion {
    FipsVersion::parse(s).unwrap()
}

#[test]
fn noncanonical_fips_build_is_refused_as_current_or_desired() {
    let policy = Policy::embedded();
    for (current, desired, field) in [
        ("1.22.8+fips.99999999999999999999", "1.22.8", "current"),
        ("1.22.8", "1.22.8+fips.99999999999999999999", "desired"),
        ("1.22.8+fips.0", "1.22.8+fips.01", "desired"),
        ("1.22.8+FIPS.0", "1.22.8", "current"),
        ("1.22.8+Fips.0", "1.22.8+fips.0", "current"),
        ("1.22.8", "1.22.8+fips", "desired"),
        ("1.22.8+fips.0.x", "1.22.8+fips.0", "current"),
        ("1.22.8+fips.x", "1.22.8", "current"),
        ("1.33.6+vmware.1-fips-vkr.2", "1.33.6+vmware.1", "current"),
    ] {
        let err = check_transition(&v(current), &v(desired), policy)
            .expect_err(&format!("{current} -> {desired} must give no verdict"));
        assert_eq!(err.kind(), "version", "{current} -> {desired}");
        let shown = if field == "current" { current } else { desired };
        assert!(
            err.to_string().starts_with(&format!(
                "{field}: {shown} names FIPS in its build metadata"
            )),
            "{err}"
        );
    }
}

#[test]
fn noncanonical_fips_error_says_what_and_how() {
    let err = check_transition(
        &v("1.22.8+fips.99999999999999999999"),
        &v("1.22.8"),
        Policy::embedded(),
    )
    .unwrap_err();
    assert_eq!(
        err.to_string(),
        "current: 1.22.8+fips.99999999999999999999 names FIPS in its build metadata but is not \
         a FIPS build id (the build number is larger than 18446744073709551615); write it \
         exactly as +fips.N, N a decimal without leading zeros up to 18446744073709551615, \
         e.g. 1.22.8+fips.0"
    );
}

#[test]
fn versions_that_do_not_name_fips_still_get_a_verdict() {
    let policy = Policy::embedded();
    let report = check_transition(&v("1.21.6"), &v("1.22.8+vmware.1"), policy).unwrap();
    assert!(report.allowed);
    let report = check_transition(&v("1.22.8-fips.0"), &v("1.22.8+fips.0"), policy).unwrap();
    assert_eq!(report.findings[0].code, Code::TransitionEnableRefused);
}

#[test]
fn noncanonical_fips_build_is_not_fips_in_validate() {
    let request = ClusterRequest::from_json(
        r#"{"provider":"aws","ami":"ami-03dcaa75d45aca36f",
            "kubernetes_version":"1.22.8+fips.01","etcd_version":"3.4.13+fips.0",
            "kubernetes_image_repository":"docker.io/mesosphere",
            "etcd_image_repository":"docker.io/mesosphere"}"#,
    )
    .unwrap();
    let report = validate(&request, Policy::embedded()).unwrap();
    assert!(!report.compliant);
    assert_eq!(report.findings[0].code, Code::K8sNotFipsBuild);
    assert_eq!(
        report.findings[0].message,
        "kubernetes 1.22.8+fips.01 names FIPS in its build metadata but is not a FIPS build \
         (the build number has a leading zero): only +fips.N, N a decimal without leading \
         zeros up to 18446744073709551615, marks one"
    );
}
