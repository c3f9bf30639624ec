//! A cluster's FIPS status is fixed at creation, in both directions (product documentation:
//! "FIPS mode cannot be applied to an existing cluster"); a FIPS cluster moves only to
//! another supported FIPS build, never downward.

use serde::{Deserialize, Serialize};

use crate::{
    report::no_errors, selftest, validate, Code, Error, Finding, FipsVersion, Policy, VersionError,
};

/// The verdict on moving a cluster from one Kubernetes version to another.
///
/// ```
/// use fips_core::{check_transition, Code, FipsVersion, Policy};
/// let v = |s| FipsVersion::parse(s).unwrap();
/// let r = check_transition(&v("1.22.8"), &v("1.22.8+fips.0"), Policy::embedded())?;
/// assert!(!r.allowed);
/// assert_eq!(r.findings[0].code, Code::TransitionEnableRefused);
/// # Ok::<(), fips_core::Error>(())
/// ```
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct TransitionReport {
    /// True when no finding is an error.
    pub allowed: bool,
    /// The version the cluster runs.
    pub current: FipsVersion,
    /// The version asked for.
    pub desired: FipsVersion,
    /// Why not, when not.
    pub findings: Vec<Finding>,
}

/// Judges an upgrade (or any change) of a cluster's Kubernetes version.
///
/// Returns an error instead of a verdict when the crypto self-test has failed, and when
/// either version names FIPS in its build metadata without being exactly `+fips.N`
/// ([`FipsVersion::noncanonical_fips`]): its FIPS status cannot be told, and a guess either
/// way could let a FIPS cluster stop being one.
///
/// ```
/// use fips_core::{check_transition, FipsVersion, Policy};
/// let v = |s| FipsVersion::parse(s).unwrap();
/// let err = check_transition(&v("1.22.8+fips.01"), &v("1.22.8"), Policy::embedded()).unwrap_err();
/// assert_eq!(err.kind(), "version");
/// assert!(err.to_string().starts_with("current: 1.22.8+fips.01 names FIPS"));
/// ```
pub fn check_transition(
    current: &FipsVersion,
    desired: &FipsVersion,
    policy: &Policy,
) -> Result<TransitionReport, Error> {
    selftest::ensure_passed()?;
    for (field, version) in [("current", current), ("desired", desired)] {
        // A vendor's spelling the policy declares (`+vmware.1-fips-vkr.2`) is a FIPS build
        // like `+fips.N`; any other build metadata that names FIPS is refused.
        if policy.marks_fips(version) {
            continue;
        }
        if let Some(reason) = version.noncanonical_fips() {
            return Err(VersionError::NotCanonicalFips {
                field: field.into(),
                version: version.to_string(),
                reason: reason.into(),
            }
            .into());
        }
    }
    let mut findings = Vec::new();
    match (policy.marks_fips(current), policy.marks_fips(desired)) {
        (false, true) => findings.push(Finding::error(
            Code::TransitionEnableRefused,
            "--kubernetes-version",
            format!(
                "{current} is not a FIPS build and FIPS mode cannot be applied to an existing \
                 cluster: create a new cluster with {desired}"
            ),
            format!("create a new cluster with --kubernetes-version={desired}"),
        )),
        (true, false) => findings.push(Finding::error(
            Code::TransitionDisableRefused,
            "--kubernetes-version",
            format!(
                "{current} is a FIPS build and a FIPS cluster cannot stop being one: to run \
                 {desired}, create a new cluster"
            ),
            match newest_after(current, policy) {
                Some(next) => format!("--kubernetes-version={next}"),
                None => format!("create a new cluster with --kubernetes-version={desired}"),
            },
        )),
        (true, true) => {
            if desired < current {
                findings.push(Finding::error(
                    Code::TransitionDowngrade,
                    "--kubernetes-version",
                    format!(
                        "{desired} is lower than the running {current}: FIPS builds only move up"
                    ),
                    format!("--kubernetes-version={current}"),
                ));
            }
            if !policy.supports_kubernetes(desired) {
                findings.push(Finding::error(
                    Code::TransitionTargetUnsupported,
                    "--kubernetes-version",
                    format!("{desired} is a FIPS build the policy does not list"),
                    match newest_after(current, policy) {
                        Some(next) => format!("--kubernetes-version={next}"),
                        None => "stay on the current build, or add the target to the policy".into(),
                    },
                ));
            }
        }
        // Neither is FIPS: outside what this policy governs.
        (false, false) => {}
    }
    validate::crypto_module_rule(policy, &mut findings);
    Ok(TransitionReport {
        allowed: no_errors(&findings),
        current: current.clone(),
        desired: desired.clone(),
        findings,
    })
}

/// The newest supported FIPS build not lower than `current`.
fn newest_after<'p>(current: &FipsVersion, policy: &'p Policy) -> Option<&'p FipsVersion> {
    policy
        .builds
        .iter()
        .map(|b| &b.kubernetes.version)
        .filter(|v| *v >= current)
        .max()
}
