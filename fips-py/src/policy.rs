//! `Policy`: the supported builds, operating systems and mirrors.

use std::borrow::Cow;

use pyo3::prelude::*;

use crate::{
    convert::{to_py, version_arg},
    error::Error,
};

/// The supported FIPS builds, operating systems, registry mirrors and crypto modules.
///
/// `Policy.default()` is the embedded vendor matrix; `from_toml` / `from_file` read a
/// policy file (unknown fields are refused).
#[pyclass(frozen, module = "fips_policy")]
pub(crate) struct Policy {
    pub(crate) inner: Cow<'static, fips_core::Policy>,
}

#[pymethods]
impl Policy {
    /// The embedded default: exactly the vendor's published FIPS matrix.
    #[staticmethod]
    fn default() -> Policy {
        Policy {
            inner: Cow::Borrowed(fips_core::Policy::embedded()),
        }
    }

    /// Parses a policy file's text; errors carry line and column.
    #[staticmethod]
    fn from_toml(text: String) -> Result<Policy, Error> {
        Ok(Policy {
            inner: Cow::Owned(fips_core::Policy::from_toml_str(&text)?),
        })
    }

    /// Reads and parses a policy file (at most 1 MiB; `str`, `bytes` or `os.PathLike`). A
    /// file that cannot be opened raises `FileError`, an `OSError` (`FileNotFoundError`
    /// when missing).
    #[staticmethod]
    fn from_file(path: crate::scan::PathArg) -> Result<Policy, Error> {
        Ok(Policy {
            inner: Cow::Owned(fips_core::Policy::from_file(path.0)?),
        })
    }

    /// The embedded default policy, as TOML text.
    #[staticmethod]
    fn default_toml() -> &'static str {
        fips_core::Policy::embedded_toml()
    }

    /// True when the policy requires the FIPS-validated crypto module.
    #[getter]
    fn require_fips_module(&self) -> bool {
        self.inner.require_fips_module
    }

    /// True when some build has this Kubernetes version (a `Version` or `str`).
    fn supports_kubernetes(&self, version: &Bound<'_, PyAny>) -> Result<bool, Error> {
        Ok(self
            .inner
            .supports_kubernetes(&version_arg(version, "version")?))
    }

    /// True when some build has this etcd version (a `Version` or `str`).
    fn supports_etcd(&self, version: &Bound<'_, PyAny>) -> Result<bool, Error> {
        Ok(self.inner.supports_etcd(&version_arg(version, "version")?))
    }

    /// True when the OS `id` at `major.minor` `version` is supported; `name` (os-release
    /// `NAME`), when given, must match the entry's name prefix.
    #[pyo3(signature = (id, version, name = None))]
    fn supports_os(&self, id: String, version: String, name: Option<String>) -> bool {
        self.inner.supports_os(&id, name.as_deref(), &version)
    }

    /// The policy as Rust's serde JSON shape.
    fn to_dict<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyAny>> {
        to_py(py, &*self.inner)
    }

    fn __repr__(&self) -> String {
        format!(
            "<fips_policy.Policy: {} builds, {} operating systems, {} mirrors>",
            self.inner.builds.len(),
            self.inner.operating_systems.len(),
            self.inner.mirrors.len()
        )
    }
}
