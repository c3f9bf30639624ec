//! The outcome of the crypto self-test: `SelfTestReport` and one `KatResult` per test.

use pyo3::prelude::*;

use crate::{
    convert::to_py,
    record::{record, reduce, repr, wrap_all},
};

/// The outcome of the crypto Known-Answer Tests (run once per process).
/// `bool(report)` is `report.passed`.
#[pyclass(frozen, eq, module = "fips_policy")]
#[derive(PartialEq)]
pub(crate) struct SelfTestReport {
    pub(crate) inner: fips_core::SelfTestReport,
}
record!(SelfTestReport, fips_core::SelfTestReport);

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

    /// Every KAT, in the order run.
    #[getter]
    fn kats(&self) -> Vec<KatResult> {
        wrap_all(&self.inner.kats)
    }

    /// `{"passed", "fips_module", "module", "kats": [...]}`.
    fn to_dict<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyAny>> {
        to_py(py, &self.inner)
    }

    fn __bool__(&self) -> bool {
        self.inner.passed
    }

    fn __repr__(slf: &Bound<'_, Self>) -> PyResult<String> {
        let fields = ["passed", "fips_module", "module", "kats"];
        repr(slf.as_any(), "SelfTestReport", &fields)
    }

    fn __reduce__<'py>(
        &self,
        py: Python<'py>,
    ) -> PyResult<(Bound<'py, PyAny>, (&'static str, String))> {
        reduce(py, self)
    }
}

/// One Known-Answer Test: what it checks, against which published vector, and how it went.
#[pyclass(frozen, eq, module = "fips_policy")]
#[derive(PartialEq)]
pub(crate) struct KatResult {
    inner: fips_core::KatResult,
}
record!(KatResult, fips_core::KatResult);

#[pymethods]
impl KatResult {
    /// The test's name, e.g. `SHA-256`.
    #[getter]
    fn name(&self) -> &str {
        &self.inner.name
    }

    /// The published vector it checks against (NIST CAVP, an RFC).
    #[getter]
    fn source(&self) -> &str {
        &self.inner.source
    }

    /// True when the module gave the known answer.
    #[getter]
    fn passed(&self) -> bool {
        self.inner.passed
    }

    /// How long it took, in nanoseconds.
    #[getter]
    fn duration_ns(&self) -> u64 {
        self.inner.duration_ns
    }

    /// What went wrong, when it failed.
    #[getter]
    fn error(&self) -> Option<&str> {
        self.inner.error.as_deref()
    }

    /// `{"name", "source", "passed", "duration_ns", "error"?}`.
    fn to_dict<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyAny>> {
        to_py(py, &self.inner)
    }

    fn __bool__(&self) -> bool {
        self.inner.passed
    }

    fn __repr__(slf: &Bound<'_, Self>) -> PyResult<String> {
        let fields = ["name", "source", "passed", "duration_ns", "error"];
        repr(slf.as_any(), "KatResult", &fields)
    }

    fn __reduce__<'py>(
        &self,
        py: Python<'py>,
    ) -> PyResult<(Bound<'py, PyAny>, (&'static str, String))> {
        reduce(py, self)
    }
}
