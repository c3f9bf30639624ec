//! Findings and the reports that carry them.

use std::fmt;

use serde::{Deserialize, Serialize};

use crate::Code;

/// How much a finding weighs: only [`Severity::Error`] makes a verdict negative.
///
/// ```
/// use fips_core::Severity;
/// assert_eq!(serde_json::to_string(&Severity::Error).unwrap(), "\"error\"");
/// ```
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
#[non_exhaustive]
pub enum Severity {
    /// Context worth knowing; never changes a verdict.
    Info,
    /// Weakens confidence in the verdict but does not make it negative.
    Warning,
    /// Makes the verdict negative (not compliant, not allowed).
    Error,
}

impl fmt::Display for Severity {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Severity::Info => "info",
            Severity::Warning => "warning",
            Severity::Error => "error",
        })
    }
}

/// One thing a verdict found, with the flag it concerns and the exact change that fixes it.
///
/// ```
/// use fips_core::{Code, Finding, Severity};
/// let f = Finding::error(Code::AwsAmiMissing, "--ami", "no AMI given", "--ami=<FIPS-enabled AMI id>");
/// assert_eq!(f.severity, Severity::Error);
/// assert_eq!(f.code.as_str(), "FIPS-AWS-AMI-MISSING");
/// ```
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Finding {
    /// The stable code; see [`Code`].
    pub code: Code,
    /// How much it weighs.
    pub severity: Severity,
    /// The flag, field or file it concerns, e.g. `--kubernetes-version`.
    pub field: String,
    /// What was found, in a sentence that names the value.
    pub message: String,
    /// What to do about it: for requests, the exact flag to add or change.
    pub remediation: String,
}

impl Finding {
    /// A finding of the given severity.
    pub fn new(
        code: Code,
        severity: Severity,
        field: impl Into<String>,
        message: impl Into<String>,
        remediation: impl Into<String>,
    ) -> Self {
        Finding {
            code,
            severity,
            field: field.into(),
            message: message.into(),
            remediation: remediation.into(),
        }
    }

    /// A finding of [`Severity::Error`].
    pub fn error(
        code: Code,
        field: impl Into<String>,
        message: impl Into<String>,
        remediation: impl Into<String>,
    ) -> Self {
        Finding::new(code, Severity::Error, field, message, remediation)
    }

    /// A finding of [`Severity::Warning`].
    pub fn warning(
        code: Code,
        field: impl Into<String>,
        message: impl Into<String>,
        remediation: impl Into<String>,
    ) -> Self {
        Finding::new(code, Severity::Warning, field, message, remediation)
    }
}

/// True when none of the findings is an error: the one rule for every verdict.
pub(crate) fn no_errors(findings: &[Finding]) -> bool {
    findings.iter().all(|f| f.severity != Severity::Error)
}

/// The verdict on a cluster request: compliant exactly when no finding is an error.
///
/// ```
/// use fips_core::{validate, ClusterRequest, Policy};
/// let request = ClusterRequest::from_args([
///     "dkp", "create", "cluster", "aws", "--cluster-name", "x",
///     "--ami=ami-03dcaa75d45aca36f",
///     "--kubernetes-version=1.22.8+fips.0", "--etcd-version=3.4.13+fips.0",
///     "--kubernetes-image-repository=docker.io/mesosphere",
///     "--etcd-image-repository=docker.io/mesosphere",
/// ])?;
/// let report = validate(&request, &Policy::embedded())?;
/// assert!(report.compliant, "{:?}", report.findings);
/// # Ok::<(), fips_core::Error>(())
/// ```
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Report {
    /// True when no finding is an error.
    pub compliant: bool,
    /// Every finding, in rule order.
    pub findings: Vec<Finding>,
}

impl Report {
    /// A report over these findings; `compliant` follows from them.
    pub fn from_findings(findings: Vec<Finding>) -> Self {
        Report {
            compliant: no_errors(&findings),
            findings,
        }
    }

    /// The codes of the findings, in order.
    pub fn codes(&self) -> Vec<Code> {
        self.findings.iter().map(|f| f.code).collect()
    }
}
