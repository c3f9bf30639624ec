//! `scan()` and `ScanReport`: is an artifact really a FIPS build (fips-core's `scan`).
//!
//! Each result is a dict in the serde JSON shape (`fipsctl --json scan`), so the Python
//! view of a binary is exactly what every other language sees.

use std::path::PathBuf;

use pyo3::{
    exceptions::PyTypeError,
    intern,
    prelude::*,
    types::{PyBytes, PySequence, PyString},
};

use crate::{
    convert::{policy_or_default, to_py},
    error::Error,
    policy::Policy,
};

/// The verdict on everything scanned: one result per file judged.
#[pyclass(frozen, module = "fips_policy")]
pub(crate) struct ScanReport {
    inner: fips_core::ScanReport,
}

#[pymethods]
impl ScanReport {
    /// True when no result and no finding has an error: every binary the policy names is a
    /// FIPS build with an accepted module.
    #[getter]
    fn compliant(&self) -> bool {
        self.inner.compliant
    }

    /// One dict per file judged, in the order found: `{"path", "format", "go_version",
    /// "crypto_module", "evidence", "settings", "findings", "compliant", "bytes_read", ...}`.
    #[getter]
    fn results<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyAny>> {
        to_py(py, &self.inner.results)
    }

    /// Findings about the scan itself (`{"code", "severity", "field", "message",
    /// "remediation"}`), e.g. the policy requires the FIPS-validated module.
    #[getter]
    fn findings<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyAny>> {
        to_py(py, &self.inner.findings)
    }

    /// Every finding's code: each result's in order, then the scan's own.
    fn codes(&self) -> Vec<&'static str> {
        let results = self.inner.results.iter().flat_map(|r| &r.findings);
        results
            .chain(&self.inner.findings)
            .map(|f| f.code.as_str())
            .collect()
    }

    /// `{"results": [...], "findings": [...], "compliant"}`, as `fipsctl --json scan` prints it.
    fn to_dict<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyAny>> {
        to_py(py, &self.inner)
    }

    fn __len__(&self) -> usize {
        self.inner.results.len()
    }

    fn __repr__(&self) -> String {
        format!(
            "<ScanReport results={} compliant={} codes=[{}]>",
            self.inner.results.len(),
            self.inner.compliant,
            self.codes().join(", ")
        )
    }
}

/// Scans files, directories (recursively, symlinks not followed), OCI image layout
/// directories and `docker save` / OCI tar archives for the crypto module each binary uses.
///
/// `paths` is one `str` / `os.PathLike` or a sequence (list, tuple) of them. Runs with the GIL
/// released. Raises `ScanError` for no path at all, a path that does not exist or a
/// malformed image, and `SelfTestError` when the crypto self-test failed.
#[pyfunction]
#[pyo3(signature = (paths, policy = None))]
pub(crate) fn scan(
    py: Python<'_>,
    paths: &Bound<'_, PyAny>,
    policy: Option<&Bound<'_, Policy>>,
) -> Result<ScanReport, Error> {
    let paths = paths_arg(paths)?;
    let policy = policy_or_default(policy);
    let inner = py.detach(|| fips_core::scan_paths(&paths, policy))?;
    Ok(ScanReport { inner })
}

/// `paths`: one path, or a sequence (list, tuple, ...) of paths; an empty one is fips-core's
/// to refuse (`ScanError`, variant `no-paths`), as in every language.
fn paths_arg(value: &Bound<'_, PyAny>) -> Result<Vec<PathBuf>, Error> {
    let one = value.is_instance_of::<PyString>()
        || value.is_instance_of::<PyBytes>()
        || value.hasattr(intern!(value.py(), "__fspath__"))?;
    let items = match value.cast::<PySequence>() {
        Ok(seq) if !one => seq.try_iter()?.collect::<PyResult<Vec<_>>>()?,
        _ => {
            let what = "a str, an os.PathLike, or a list of them";
            return Ok(vec![path_arg(value, "paths", what)?]);
        }
    };
    let paths = items.iter().enumerate();
    paths
        .map(|(i, item)| path_arg(item, &format!("paths[{i}]"), "a str or an os.PathLike"))
        .collect()
}

/// One path: a `str` or an `os.PathLike` giving one; `name` and `what` are for the error.
fn path_arg(value: &Bound<'_, PyAny>, name: &str, what: &str) -> Result<PathBuf, Error> {
    value.extract::<PathBuf>().map_err(|e| {
        let py = value.py();
        if !e.is_instance_of::<PyTypeError>(py) {
            return e.into(); // a lone surrogate, a failing __fspath__: as Python raised it
        }
        let type_name = value.get_type().name().map(|n| n.to_string());
        PyTypeError::new_err(format!(
            "{name} must be {what}, not {}",
            type_name.as_deref().unwrap_or("?")
        ))
        .into()
    })
}
