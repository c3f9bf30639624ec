//! `Code` (a finding code with its area and summary) and `Severity`: fips-core's registry,
//! as Python values. Both compare equal to their text, so `finding.severity == "error"`
//! and `Code("FIPS-K8S-NOT-FIPS-BUILD") == "FIPS-K8S-NOT-FIPS-BUILD"` hold, and both hash
//! as their text does.

use pyo3::{basic::CompareOp, prelude::*, types::PyString, IntoPyObjectExt};

use crate::error::Error;

/// A finding code of fips-core's registry (`codes()` lists every one).
#[pyclass(frozen, module = "fips_policy")]
pub(crate) struct Code {
    inner: fips_core::Code,
}

#[pymethods]
impl Code {
    /// The code named `text`; `ValueError` for a code the registry does not have.
    #[new]
    fn new(text: &str) -> PyResult<Code> {
        let inner = text
            .parse::<fips_core::Code>()
            .map_err(|e| pyo3::exceptions::PyValueError::new_err(e.to_string()))?;
        Ok(Code { inner })
    }

    /// Every code, in registry order.
    #[staticmethod]
    fn all() -> Vec<Code> {
        fips_core::Code::ALL
            .iter()
            .map(|&inner| Code { inner })
            .collect()
    }

    /// The code's text, e.g. `FIPS-K8S-NOT-FIPS-BUILD`.
    #[getter]
    fn value(&self) -> &'static str {
        self.inner.as_str()
    }

    /// The area it belongs to (`docs/codes.md`), e.g. `kubernetes`.
    #[getter]
    fn area(&self) -> &'static str {
        self.inner.area()
    }

    /// What it means, in one sentence.
    #[getter]
    fn summary(&self) -> &'static str {
        self.inner.summary()
    }

    fn __str__(&self) -> &'static str {
        self.inner.as_str()
    }

    fn __repr__(&self) -> String {
        format!("Code('{}')", self.inner.as_str())
    }

    fn __richcmp__(&self, other: &Bound<'_, PyAny>, op: CompareOp) -> PyResult<Py<PyAny>> {
        let py = other.py();
        let other = if let Ok(code) = other.cast::<Code>() {
            Some(code.get().inner.as_str().to_owned())
        } else if let Ok(text) = other.cast::<PyString>() {
            Some(text.to_cow()?.into_owned())
        } else {
            None
        };
        match (other, op) {
            (Some(o), CompareOp::Eq) => (self.inner.as_str() == o).into_py_any(py),
            (Some(o), CompareOp::Ne) => (self.inner.as_str() != o).into_py_any(py),
            _ => Ok(py.NotImplemented()),
        }
    }

    fn __hash__(&self, py: Python<'_>) -> PyResult<isize> {
        PyString::new(py, self.inner.as_str()).hash()
    }

    fn __reduce__<'py>(
        slf: &Bound<'py, Self>,
    ) -> (Bound<'py, pyo3::types::PyType>, (&'static str,)) {
        (slf.py().get_type::<Self>(), (slf.get().inner.as_str(),))
    }
}

/// How much a finding weighs: only `ERROR` makes a verdict negative. Ordered
/// `INFO < WARNING < ERROR`; equal to its text (`Severity.ERROR == "error"`).
#[pyclass(frozen, module = "fips_policy")]
#[derive(Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub(crate) enum Severity {
    /// Worth knowing; no effect on the verdict.
    #[pyo3(name = "INFO")]
    Info,
    /// Probably a mistake; no effect on the verdict.
    #[pyo3(name = "WARNING")]
    Warning,
    /// Makes the verdict negative.
    #[pyo3(name = "ERROR")]
    Error,
}

impl Severity {
    pub(crate) fn from_core(severity: fips_core::Severity) -> Severity {
        match severity {
            fips_core::Severity::Info => Severity::Info,
            fips_core::Severity::Warning => Severity::Warning,
            // Any severity fips-core adds later weighs as an error here: fail closed.
            _ => Severity::Error,
        }
    }

    fn text(self) -> &'static str {
        match self {
            Severity::Info => "info",
            Severity::Warning => "warning",
            Severity::Error => "error",
        }
    }
}

#[pymethods]
impl Severity {
    /// The severity named `text` (`"info"`, `"warning"` or `"error"`).
    #[new]
    fn new(text: &str) -> Result<Severity, Error> {
        match text {
            "info" => Ok(Severity::Info),
            "warning" => Ok(Severity::Warning),
            "error" => Ok(Severity::Error),
            _ => Err(pyo3::exceptions::PyValueError::new_err(format!(
                "{text:?} is not a severity: expected \"info\", \"warning\" or \"error\""
            ))
            .into()),
        }
    }

    /// `"info"`, `"warning"` or `"error"`, as in the JSON shape.
    #[getter]
    fn value(&self) -> &'static str {
        self.text()
    }

    fn __str__(&self) -> &'static str {
        self.text()
    }

    fn __repr__(&self) -> String {
        let name = match self {
            Severity::Info => "INFO",
            Severity::Warning => "WARNING",
            Severity::Error => "ERROR",
        };
        format!("<Severity.{name}: '{}'>", self.text())
    }

    fn __richcmp__(&self, other: &Bound<'_, PyAny>, op: CompareOp) -> PyResult<Py<PyAny>> {
        let py = other.py();
        if let Ok(other) = other.cast::<Severity>() {
            let other = *other.get();
            return op.matches(self.cmp(&other)).into_py_any(py);
        }
        if let Ok(text) = other.cast::<PyString>() {
            let same = self.text() == text.to_cow()?;
            return match op {
                CompareOp::Eq => same.into_py_any(py),
                CompareOp::Ne => (!same).into_py_any(py),
                _ => Ok(py.NotImplemented()),
            };
        }
        Ok(py.NotImplemented())
    }

    fn __hash__(&self, py: Python<'_>) -> PyResult<isize> {
        PyString::new(py, self.text()).hash()
    }

    fn __reduce__<'py>(
        slf: &Bound<'py, Self>,
    ) -> (Bound<'py, pyo3::types::PyType>, (&'static str,)) {
        (slf.py().get_type::<Self>(), (slf.get().text(),))
    }
}
