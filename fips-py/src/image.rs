//! `ImageRef`: a normalised container image reference.

use std::{
    collections::hash_map::DefaultHasher,
    hash::{Hash, Hasher},
};

use pyo3::{basic::CompareOp, prelude::*, types::PyString, IntoPyObjectExt};

use crate::{convert::to_py, error::Error};

/// A container image reference, parsed by the distribution/reference grammar and
/// normalised as Docker does (`docker.io`, `library/`).
#[pyclass(frozen, module = "fips_policy")]
pub(crate) struct ImageRef {
    inner: fips_core::ImageRef,
}

impl ImageRef {
    pub(crate) fn from_core(inner: fips_core::ImageRef) -> ImageRef {
        ImageRef { inner }
    }
}

#[pymethods]
impl ImageRef {
    /// Parses and normalises a reference; `ParseError` names the reason.
    #[staticmethod]
    fn parse(text: String) -> Result<ImageRef, Error> {
        Ok(ImageRef {
            inner: fips_core::ImageRef::parse(&text)?,
        })
    }

    /// The registry host (and port), normalised: `docker.io` for Docker Hub.
    #[getter]
    fn registry(&self) -> &str {
        &self.inner.registry
    }

    /// The path inside the registry, e.g. `library/nginx`.
    #[getter]
    fn repository(&self) -> &str {
        &self.inner.repository
    }

    /// The tag, when one was given (no `latest` is invented).
    #[getter]
    fn tag(&self) -> Option<&str> {
        self.inner.tag.as_deref()
    }

    /// The digest (`sha256:<64 hex>`), when one was given.
    #[getter]
    fn digest(&self) -> Option<&str> {
        self.inner.digest.as_deref()
    }

    /// `registry/repository`, without tag or digest.
    #[getter]
    fn name(&self) -> String {
        self.inner.name()
    }

    /// The fully qualified reference: `registry/repository[:tag][@digest]`.
    #[getter]
    fn reference(&self) -> String {
        self.inner.to_string()
    }

    /// `{"registry", "repository", "tag", "digest", "reference"}`.
    fn to_dict<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyAny>> {
        to_py(py, &self.inner)
    }

    fn __str__(&self) -> String {
        self.inner.to_string()
    }

    fn __repr__(&self, py: Python<'_>) -> PyResult<String> {
        let text = PyString::new(py, &self.inner.to_string()).repr()?;
        Ok(format!("ImageRef.parse({text})"))
    }

    fn __richcmp__(&self, other: &Bound<'_, PyAny>, op: CompareOp) -> PyResult<Py<PyAny>> {
        let py = other.py();
        match (other.cast::<ImageRef>(), op) {
            (Ok(other), CompareOp::Eq) => (self.inner == other.get().inner).into_py_any(py),
            (Ok(other), CompareOp::Ne) => (self.inner != other.get().inner).into_py_any(py),
            _ => Ok(py.NotImplemented()),
        }
    }

    fn __hash__(&self) -> u64 {
        let mut hasher = DefaultHasher::new();
        self.inner.hash(&mut hasher);
        hasher.finish()
    }

    /// Pickles as `ImageRef.parse(reference)`.
    fn __reduce__<'py>(slf: &Bound<'py, Self>) -> PyResult<(Bound<'py, PyAny>, (String,))> {
        let parse = slf.get_type().getattr("parse")?;
        Ok((parse, (slf.get().inner.to_string(),)))
    }
}

/// A repository prefix (`registry/path`, no image name, tag or digest), normalised as
/// Docker does: `mesosphere` is `docker.io/mesosphere`. What `--kubernetes-image-repository`
/// and `--etcd-image-repository` name.
#[pyclass(frozen, eq, hash, module = "fips_policy")]
#[derive(PartialEq, Eq, Hash)]
pub(crate) struct ImageRepository {
    pub(crate) inner: fips_core::ImageRepository,
}
crate::record::record!(ImageRepository, fips_core::ImageRepository);

#[pymethods]
impl ImageRepository {
    /// Parses and normalises a repository; `ParseError` names the reason.
    #[new]
    fn new(text: &str) -> Result<ImageRepository, Error> {
        Ok(ImageRepository {
            inner: fips_core::ImageRepository::parse(text)?,
        })
    }

    /// Parses and normalises a repository (the same as `ImageRepository(text)`).
    #[staticmethod]
    fn parse(text: &str) -> Result<ImageRepository, Error> {
        ImageRepository::new(text)
    }

    /// The registry host (and port), normalised: `docker.io` for Docker Hub.
    #[getter]
    fn registry(&self) -> &str {
        &self.inner.registry
    }

    /// The path inside the registry; empty when images sit at the registry's top.
    #[getter]
    fn path(&self) -> &str {
        &self.inner.path
    }

    fn __str__(&self) -> String {
        self.inner.to_string()
    }

    fn __repr__(&self, py: Python<'_>) -> PyResult<String> {
        let text = PyString::new(py, &self.inner.to_string()).repr()?;
        Ok(format!("ImageRepository({text})"))
    }

    fn __reduce__<'py>(
        &self,
        py: Python<'py>,
    ) -> PyResult<(Bound<'py, PyAny>, (&'static str, String))> {
        crate::record::reduce(py, self)
    }
}
