//! `Version`: a Kubernetes or etcd version, the FIPS build it carries, and its image tags.

use std::{
    collections::hash_map::DefaultHasher,
    hash::{Hash, Hasher},
};

use fips_core::{Component, FipsVersion};
use pyo3::{
    basic::CompareOp,
    prelude::*,
    types::{PyString, PyType},
    IntoPyObjectExt,
};

use crate::{convert::to_py, error::Error};

/// A version as Kubernetes tooling accepts it (`v` prefix and surrounding whitespace
/// tolerated, strict semver otherwise).
///
/// Equality, ordering and hashing include build metadata: `1.22.8+fips.0` and `1.22.8`
/// are different builds.
#[pyclass(frozen, module = "fips_policy")]
pub(crate) struct Version {
    pub(crate) inner: FipsVersion,
    /// The text as given, for `to_dict()`'s `input`.
    input: String,
}

impl Version {
    /// A version that fips-core made (its text is its display form).
    pub(crate) fn from_core(inner: FipsVersion) -> Version {
        Version {
            input: inner.to_string(),
            inner,
        }
    }
}

#[pymethods]
impl Version {
    #[new]
    fn new(text: String) -> Result<Version, Error> {
        Version::parse(text)
    }

    /// Parses a version; `ParseError` names the input and what is wrong.
    #[staticmethod]
    fn parse(text: String) -> Result<Version, Error> {
        Ok(Version {
            inner: FipsVersion::parse(&text)?,
            input: text,
        })
    }

    /// The version an image tag stands for (the reverse of `tag()`); ambiguous tags are refused.
    #[staticmethod]
    fn from_tag(tag: String) -> Result<Version, Error> {
        Ok(Version {
            inner: FipsVersion::from_tag(&tag)?,
            input: tag,
        })
    }

    /// `N` of `+fips.N`, or `None` when this is not a FIPS build.
    #[getter]
    fn fips_build(&self) -> Option<u64> {
        self.inner.fips_build()
    }

    /// True for a `+fips.N` build.
    #[getter]
    fn is_fips(&self) -> bool {
        self.inner.is_fips()
    }

    /// The image tag of this version for `component` (`"kubernetes"` or `"etcd"`).
    #[pyo3(
        signature = (component = "kubernetes".to_owned()),
        text_signature = "($self, component='kubernetes')"
    )]
    fn tag(&self, component: String) -> Result<String, Error> {
        let component: Component = component.parse()?;
        Ok(self.inner.to_tag(component)?)
    }

    /// `{"input", "version", "fips", "fips_build", "tag", "component"}`, as `fipsctl version --json`;
    /// `tag` is `None` when no valid tag can be made (longer than 128 characters).
    #[pyo3(
        signature = (component = "kubernetes".to_owned()),
        text_signature = "($self, component='kubernetes')"
    )]
    fn to_dict<'py>(&self, py: Python<'py>, component: String) -> Result<Bound<'py, PyAny>, Error> {
        let component: Component = component.parse()?;
        let info = self.inner.describe(&self.input, component);
        Ok(to_py(py, &info)?)
    }

    fn __str__(&self) -> String {
        self.inner.to_string()
    }

    fn __repr__(&self, py: Python<'_>) -> PyResult<String> {
        let text = PyString::new(py, &self.inner.to_string()).repr()?;
        Ok(format!("Version({text})"))
    }

    fn __richcmp__(&self, other: &Bound<'_, PyAny>, op: CompareOp) -> PyResult<Py<PyAny>> {
        let py = other.py();
        match other.cast::<Version>() {
            Ok(other) => op
                .matches(self.inner.cmp(&other.get().inner))
                .into_py_any(py),
            Err(_) => Ok(py.NotImplemented()),
        }
    }

    fn __hash__(&self) -> u64 {
        let mut hasher = DefaultHasher::new();
        self.inner.hash(&mut hasher);
        hasher.finish()
    }

    /// Pickles as its text.
    fn __reduce__<'py>(slf: &Bound<'py, Self>) -> (Bound<'py, PyType>, (String,)) {
        (slf.get_type(), (slf.get().inner.to_string(),))
    }
}
