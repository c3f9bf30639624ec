//! The verdicts on requests: `Finding`, `Report`, `TransitionReport`. Each wraps the
//! fips-core value; `to_dict()` is its serde JSON shape, `bool()` is the verdict.

use pyo3::prelude::*;

use crate::{
    code::Severity,
    convert::to_py,
    record::{record, reduce, repr, wrap_all},
    version::Version,
};

/// One thing a verdict found, with the field it concerns and the exact fix.
#[pyclass(frozen, eq, module = "fips_policy")]
#[derive(PartialEq)]
pub(crate) struct Finding {
    pub(crate) inner: fips_core::Finding,
}
record!(Finding, fips_core::Finding);

/// The findings' codes, in order.
pub(crate) fn codes_of(findings: &[fips_core::Finding]) -> Vec<&'static str> {
    findings.iter().map(|f| f.code.as_str()).collect()
}

#[pymethods]
impl Finding {
    /// The stable code, e.g. `FIPS-K8S-NOT-FIPS-BUILD` (see `Code` and `codes()`).
    #[getter]
    fn code(&self) -> &'static str {
        self.inner.code.as_str()
    }

    /// `Severity.INFO`, `WARNING` or `ERROR` (equal to `"info"`, ...); only errors make a
    /// verdict negative.
    #[getter]
    fn severity(&self) -> Severity {
        Severity::from_core(self.inner.severity)
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

    fn __repr__(slf: &Bound<'_, Self>) -> PyResult<String> {
        let fields = ["code", "severity", "field", "message", "remediation"];
        repr(slf.as_any(), "Finding", &fields)
    }

    fn __reduce__<'py>(
        &self,
        py: Python<'py>,
    ) -> PyResult<(Bound<'py, PyAny>, (&'static str, String))> {
        reduce(py, self)
    }
}

/// The verdict on a cluster request: compliant exactly when no finding is an error.
/// `bool(report)` is `report.compliant`.
#[pyclass(frozen, eq, module = "fips_policy")]
#[derive(PartialEq)]
pub(crate) struct Report {
    pub(crate) inner: fips_core::Report,
}
record!(Report, fips_core::Report);

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
        wrap_all(&self.inner.findings)
    }

    /// The codes of `findings`, in order.
    fn codes(&self) -> Vec<&'static str> {
        codes_of(&self.inner.findings)
    }

    /// `{"compliant", "findings": [...]}`.
    fn to_dict<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyAny>> {
        to_py(py, &self.inner)
    }

    fn __bool__(&self) -> bool {
        self.inner.compliant
    }

    fn __repr__(slf: &Bound<'_, Self>) -> PyResult<String> {
        repr(slf.as_any(), "Report", &["compliant", "findings"])
    }

    fn __reduce__<'py>(
        &self,
        py: Python<'py>,
    ) -> PyResult<(Bound<'py, PyAny>, (&'static str, String))> {
        reduce(py, self)
    }
}

/// The verdict on moving a cluster from one Kubernetes version to another.
/// `bool(report)` is `report.allowed`.
#[pyclass(frozen, eq, module = "fips_policy")]
#[derive(PartialEq)]
pub(crate) struct TransitionReport {
    pub(crate) inner: fips_core::TransitionReport,
}
record!(TransitionReport, fips_core::TransitionReport);

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
        wrap_all(&self.inner.findings)
    }

    /// The codes of `findings`, in order.
    fn codes(&self) -> Vec<&'static str> {
        codes_of(&self.inner.findings)
    }

    /// `{"allowed", "current", "desired", "findings": [...]}`.
    fn to_dict<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyAny>> {
        to_py(py, &self.inner)
    }

    fn __bool__(&self) -> bool {
        self.inner.allowed
    }

    fn __repr__(slf: &Bound<'_, Self>) -> PyResult<String> {
        let fields = ["allowed", "current", "desired", "findings"];
        repr(slf.as_any(), "TransitionReport", &fields)
    }

    fn __reduce__<'py>(
        &self,
        py: Python<'py>,
    ) -> PyResult<(Bound<'py, PyAny>, (&'static str, String))> {
        reduce(py, self)
    }
}
