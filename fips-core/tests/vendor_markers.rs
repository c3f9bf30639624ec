//! A policy's declared vendor FIPS markers (`[[fips_markers]]`) mean the same thing to every
//! rule: the audit, `validate`, `check_transition` and the policy's own builds. Before, only
//! the audit counted them, so the same version was a FIPS build in `fipsctl audit` and not in
//! `fipsctl validate`, and a transition from one was an error instead of a verdict.
//!
//! The marker is VMware VKS's spelling (`v1.33.6+vmware.1-fips-vkr.2`, VMware vSphere
//! Kubernetes Service release notes). The build listed below is test data for the rules, not a
//! claim about which builds exist.

use fips_core::{check_transition, validate, ClusterRequest, Code, FipsVersion, Policy};

const MARKED: &str = "v1.33.6+vmware.1-fips-vkr.2";

fn vendor_policy() -> Policy {
    Policy::from_toml_str(
        r#"
        extend_default = true
        [[fips_markers]]
        build = "vmware.{N}-fips-vkr.{N}"
        source = "VMware vSphere Kubernetes Service release notes"
        [[builds]]
        source = "test data"
        kubernetes = { version = "v1.33.6+vmware.1-fips-vkr.2", repository = "registry.example/vmware" }
        etcd = { version = "v3.5.21+vmware.1-fips-vkr.2", repository = "registry.example/vmware" }
        "#,
    )
    .expect("a policy with a declared marker and a build in it loads")
}

fn v(text: &str) -> FipsVersion {
    FipsVersion::parse(text).unwrap()
}

fn codes(findings: &[fips_core::Finding]) -> Vec<Code> {
    findings.iter().map(|f| f.code).collect()
}

#[test]
fn turning_a_marked_fips_build_off_is_refused() {
    let report = check_transition(&v(MARKED), &v("v1.33.6"), &vendor_policy()).unwrap();
    assert!(!report.allowed);
    assert_eq!(codes(&report.findings), [Code::TransitionDisableRefused]);
}

#[test]
fn turning_fips_on_with_a_marked_build_is_refused() {
    let report = check_transition(&v("v1.33.6"), &v(MARKED), &vendor_policy()).unwrap();
    assert!(!report.allowed);
    assert_eq!(codes(&report.findings), [Code::TransitionEnableRefused]);
}

#[test]
fn a_marked_build_the_policy_lists_is_a_fips_request() {
    let request = ClusterRequest::from_args([
        "--kubernetes-version=1.33.6+vmware.1-fips-vkr.2",
        "--etcd-version=3.5.21+vmware.1-fips-vkr.2",
        "--kubernetes-image-repository=registry.example/vmware",
        "--etcd-image-repository=registry.example/vmware",
    ])
    .unwrap();
    let report = validate(&request, &vendor_policy()).unwrap();
    let got = codes(&report.findings);
    for not_expected in [
        Code::K8sNotFipsBuild,
        Code::EtcdNotFipsBuild,
        Code::MixedEtcdNotFips,
        Code::MixedK8sNotFips,
        Code::K8sRepositoryNotFips,
        Code::EtcdRepositoryNotFips,
    ] {
        assert!(!got.contains(&not_expected), "{not_expected:?} in {got:?}");
    }
}

#[test]
fn without_the_marker_the_same_version_is_not_a_fips_build() {
    let request =
        ClusterRequest::from_args(["--kubernetes-version=1.33.6+vmware.1-fips-vkr.2"]).unwrap();
    let report = validate(&request, Policy::embedded()).unwrap();
    assert!(codes(&report.findings).contains(&Code::K8sNotFipsBuild));
    assert!(check_transition(&v(MARKED), &v("v1.33.6"), Policy::embedded()).is_err());
}

#[test]
fn a_marked_fips_etcd_beside_a_plain_kubernetes_is_mixed() {
    let request = ClusterRequest::from_args([
        "--kubernetes-version=1.33.6",
        "--etcd-version=3.5.21+vmware.1-fips-vkr.2",
    ])
    .unwrap();
    let report = validate(&request, &vendor_policy()).unwrap();
    assert!(codes(&report.findings).contains(&Code::MixedK8sNotFips));
}
