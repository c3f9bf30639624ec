//! The verdicts: `Finding`, `Report`, `TransitionReport`, `HostReport`, `SelfTestReport`.
//! Each wraps the fips-core value; `to_dict()` is its serde JSON shape.

use pyo3::prelude::*;

use crate::{convert::to_py, version::Version};

/// One thing a verdict found, with the field it concerns and the exact fix.
#[pyclass(frozen, eq, module = "fips_policy")]
#[derive(PartialEq)]
pub(crate) struct Finding {
    inner: fips_core::Finding,
}

fn findings(list: &[fips_core::Finding]) -> Vec<Finding> {
    list.iter().map(|f| Finding { inner: f.clone() }).collect()
}

#[pymethods]
impl Finding {
    /// The stable code, e.g. `FIPS-K8S-NOT-FIPS-BUILD` (see `codes()`).
    #[getter]
    fn code(&self) -> &'static str {
        self.inner.code.as_str()
    }

    /// `"info"`, `"warning"` or `"error"`; only errors make a verdict negative.
    #[getter]
    fn severity(&self) -> String {
        self.inner.severity.to_string()
    }

    /// The flag, field or file it concerns, e.g. `--kubernetes-version`.
    #[getter]
    fn field(&self) -> &str {
        &self.inner.field
    }

    /// What was found, in a sentence that names the value.
    #[getter]
    fn message(&self) -> &str {
        &self.inner.message
    }

    /// What to do about it: for requests, the exact flag to add or change.
    #[getter]
    fn remediation(&self) -> &str {
        &self.inner.remediation
    }

    /// `{"code", "severity", "field", "message", "remediation"}`.
    fn to_dict<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyAny>> {
        to_py(py, &self.inner)
    }

    fn __repr__(&self) -> String {
        format!(
            "<Finding {} ({}) {}: {}>",
            self.inner.code, self.inner.severity, self.inner.field, self.inner.message
        )
    }
}

/// The verdict on a cluster request: compliant exactly when no finding is an error.
#[pyclass(frozen, module = "fips_policy")]
pub(crate) struct Report {
    pub(crate) inner: fips_core::Report,
}

#[pymethods]
impl Report {
    /// True when no finding is an error.
    #[getter]
    fn compliant(&self) -> bool {
        self.inner.compliant
    }

    /// Every finding, in rule order.
    #[getter]
    fn findings(&self) -> Vec<Finding> {
        findings(&self.inner.findings)
    }

    /// The codes of the findings, in order.
    fn codes(&self) -> Vec<&'static str> {
        self.inner.codes().into_iter().map(|c| c.as_str()).collect()
    }

    /// `{"compliant", "findings": [...]}`.
    fn to_dict<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyAny>> {
        to_py(py, &self.inner)
    }

    fn __repr__(&self) -> String {
        format!(
            "<Report compliant={} codes=[{}]>",
            self.inner.compliant,
            self.codes().join(", ")
        )
    }
}

/// The verdict on moving a cluster from one Kubernetes version to another.
#[pyclass(frozen, module = "fips_policy")]
pub(crate) struct TransitionReport {
    pub(crate) inner: fips_core::TransitionReport,
}

#[pymethods]
impl TransitionReport {
    /// True when no finding is an error.
    #[getter]
    fn allowed(&self) -> bool {
        self.inner.allowed
    }

    /// The version the cluster runs.
    #[getter]
    fn current(&self) -> Version {
        Version::from_core(self.inner.current.clone())
    }

    /// The version asked for.
    #[getter]
    fn desired(&self) -> Version {
        Version::from_core(self.inner.desired.clone())
    }

    /// Why not, when not.
    #[getter]
    fn findings(&self) -> Vec<Finding> {
        findings(&self.inner.findings)
    }

    /// The codes of the findings, in order.
    fn codes(&self) -> Vec<&'static str> {
        self.inner
            .findings
            .iter()
            .map(|f| f.code.as_str())
            .collect()
    }

    /// `{"allowed", "current", "desired", "findings": [...]}`.
    fn to_dict<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyAny>> {
        to_py(py, &self.inner)
    }

    fn __repr__(&self) -> String {
        format!(
            "<TransitionReport {} -> {} allowed={} codes=[{}]>",
            self.inner.current,
            self.inner.desired,
            self.inner.allowed,
            self.codes().join(", ")
        )
    }
}

/// The verdict on a host or a mounted OS image (Rust's `HostFips`).
#[pyclass(frozen, module = "fips_policy")]
pub(crate) struct HostReport {
    pub(crate) inner: fips_core::HostFips,
}

#[pymethods]
impl HostReport {
    /// The root probed, as given.
    #[getter]
    fn root(&self) -> &str {
        &self.inner.root
    }

    /// The OS (`{"id", "name", "version_id", "version", "pretty_name"}`), or `None` when no
    /// os-release was found.
    #[getter]
    fn os<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyAny>> {
        to_py(py, &self.inner.os)
    }

    /// The OS is one the policy supports for FIPS mode.
    #[getter]
    fn os_supported(&self) -> bool {
        self.inner.os_supported
    }

    /// What the running kernel says; `None` when the root has no `proc/` (an image).
    #[getter]
    fn fips_mode(&self) -> Option<bool> {
        self.inner.fips_mode
    }

    /// The root is set up to boot in FIPS mode.
    #[getter]
    fn fips_prepared(&self) -> bool {
        self.inner.fips_prepared
    }

    /// Every FIPS signal, as found, as a dict.
    #[getter]
    fn signals<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyAny>> {
        to_py(py, &self.inner.signals)
    }

    /// True when no finding is an error.
    #[getter]
    fn compliant(&self) -> bool {
        self.inner.compliant
    }

    /// What is wrong.
    #[getter]
    fn findings(&self) -> Vec<Finding> {
        findings(&self.inner.findings)
    }

    /// The codes of the findings, in order.
    fn codes(&self) -> Vec<&'static str> {
        self.inner
            .findings
            .iter()
            .map(|f| f.code.as_str())
            .collect()
    }

    /// The whole verdict, as `fipsctl host --json` prints it.
    fn to_dict<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyAny>> {
        to_py(py, &self.inner)
    }

    fn __repr__(&self) -> String {
        format!(
            "<HostReport {} compliant={} codes=[{}]>",
            self.inner.root,
            self.inner.compliant,
            self.codes().join(", ")
        )
    }
}

/// The outcome of the crypto Known-Answer Tests (run once per process).
#[pyclass(frozen, module = "fips_policy")]
pub(crate) struct SelfTestReport {
    pub(crate) inner: &'static fips_core::SelfTestReport,
}

#[pymethods]
impl SelfTestReport {
    /// True when every KAT passed.
    #[getter]
    fn passed(&self) -> bool {
        self.inner.passed
    }

    /// True only when the library runs the FIPS-validated AWS-LC module.
    #[getter]
    fn fips_module(&self) -> bool {
        self.inner.fips_module
    }

    /// The crypto module's name and version.
    #[getter]
    fn module(&self) -> &str {
        &self.inner.module
    }

    /// Every KAT (`{"name", "source", "passed", "duration_ns", "error"?}`), in the order run.
    #[getter]
    fn kats<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyAny>> {
        to_py(py, &self.inner.kats)
    }

    /// `{"passed", "fips_module", "module", "kats": [...]}`.
    fn to_dict<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyAny>> {
        to_py(py, self.inner)
    }

    fn __repr__(&self) -> String {
        format!(
            "<SelfTestReport passed={} kats={} module={:?}>",
            self.inner.passed,
            self.inner.kats.len(),
            self.inner.module
        )
    }
}
