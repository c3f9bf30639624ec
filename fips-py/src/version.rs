//! `Version`: a Kubernetes or etcd version, the FIPS build it carries, and its image tags;
//! `Component`: whose tag rule applies.

use fips_core::FipsVersion;
use pyo3::{
    basic::CompareOp,
    prelude::*,
    types::{PyString, PyType},
    IntoPyObjectExt,
};

use crate::{
    convert::{to_py, with_text},
    error::Error,
};

/// A version as Kubernetes tooling accepts it (`v` prefix and surrounding whitespace
/// tolerated, strict semver otherwise).
///
/// Equality, ordering and hashing include build metadata: `1.22.8+fips.0` and `1.22.8`
/// are different builds. A `str` operand is parsed first (`Version("v1.22.8") == "1.22.8"`),
/// and one that is not a version raises `ParseError`; a version hashes as its `str()`.
#[pyclass(frozen, module = "fips_policy")]
pub(crate) struct Version {
    pub(crate) inner: FipsVersion,
    /// The text as given, for `to_dict()`'s `input`; `None` when it is the display form.
    input: Option<Py<PyString>>,
}

impl Version {
    /// A version that fips-core made (its text is its display form).
    pub(crate) fn from_core(inner: FipsVersion) -> Version {
        Version { inner, input: None }
    }

    fn parse_text(text: &Bound<'_, PyString>) -> Result<Version, Error> {
        Ok(Version {
            inner: with_text(text, FipsVersion::parse)??,
            input: Some(text.clone().unbind()),
        })
    }
}

/// Whose image tag rule applies: Kubernetes (`v1.22.8_fips.0`) or etcd.
/// Equal to its text (`Component.ETCD == "etcd"`); every `component` argument takes either.
#[pyclass(frozen, module = "fips_policy")]
#[derive(Clone, Copy, PartialEq, Eq)]
pub(crate) enum Component {
    /// kube-apiserver, kube-controller-manager, kube-scheduler, kube-proxy.
    #[pyo3(name = "KUBERNETES")]
    Kubernetes,
    /// etcd.
    #[pyo3(name = "ETCD")]
    Etcd,
}

impl Component {
    fn core(self) -> fips_core::Component {
        match self {
            Component::Kubernetes => fips_core::Component::Kubernetes,
            Component::Etcd => fips_core::Component::Etcd,
        }
    }

    fn text(self) -> &'static str {
        self.core().as_str()
    }
}

#[pymethods]
impl Component {
    /// The component named `text` (`"kubernetes"` or `"etcd"`); `ParseError` otherwise.
    #[new]
    fn new(text: &str) -> Result<Component, Error> {
        Ok(match text.parse::<fips_core::Component>()? {
            fips_core::Component::Etcd => Component::Etcd,
            _ => Component::Kubernetes,
        })
    }

    /// `"kubernetes"` or `"etcd"`.
    #[getter]
    fn value(&self) -> &'static str {
        self.text()
    }

    fn __str__(&self) -> &'static str {
        self.text()
    }

    fn __repr__(&self) -> String {
        let name = match self {
            Component::Kubernetes => "KUBERNETES",
            Component::Etcd => "ETCD",
        };
        format!("<Component.{name}: '{}'>", self.text())
    }

    fn __richcmp__(&self, other: &Bound<'_, PyAny>, op: CompareOp) -> PyResult<Py<PyAny>> {
        let py = other.py();
        let same = if let Ok(other) = other.cast::<Component>() {
            *other.get() == *self
        } else if let Ok(text) = other.cast::<PyString>() {
            self.text() == text.to_cow()?
        } else {
            return Ok(py.NotImplemented());
        };
        match op {
            CompareOp::Eq => same.into_py_any(py),
            CompareOp::Ne => (!same).into_py_any(py),
            _ => Ok(py.NotImplemented()),
        }
    }

    fn __hash__(&self, py: Python<'_>) -> PyResult<isize> {
        PyString::new(py, self.text()).hash()
    }

    fn __reduce__<'py>(slf: &Bound<'py, Self>) -> (Bound<'py, PyType>, (&'static str,)) {
        (slf.py().get_type::<Self>(), (slf.get().text(),))
    }
}

/// A `component` argument: a `Component` or its text (`"kubernetes"` when left out).
pub(crate) struct ComponentArg(fips_core::Component);

impl<'a, 'py> FromPyObject<'a, 'py> for ComponentArg {
    type Error = PyErr;

    fn extract(obj: pyo3::Borrowed<'a, 'py, PyAny>) -> PyResult<Self> {
        Ok(ComponentArg(component_arg(&obj.to_owned())?))
    }
}

fn component_arg(value: &Bound<'_, PyAny>) -> Result<fips_core::Component, Error> {
    if let Ok(component) = value.cast::<Component>() {
        return Ok(component.get().core());
    }
    if let Ok(text) = value.cast::<PyString>() {
        return Ok(text.to_cow()?.parse()?);
    }
    Err(pyo3::exceptions::PyTypeError::new_err(format!(
        "expected a fips_policy.Component or a str, got {}",
        value.get_type().name()?
    ))
    .into())
}

#[pymethods]
impl Version {
    #[new]
    fn new(text: &Bound<'_, PyString>) -> Result<Version, Error> {
        Version::parse_text(text)
    }

    /// Parses a version; `ParseError` names the input and what is wrong.
    #[staticmethod]
    fn parse(text: &Bound<'_, PyString>) -> Result<Version, Error> {
        Version::parse_text(text)
    }

    /// The version an image tag stands for (the reverse of `tag()`); ambiguous tags are refused.
    #[staticmethod]
    fn from_tag(tag: &Bound<'_, PyString>) -> Result<Version, Error> {
        Ok(Version {
            inner: with_text(tag, FipsVersion::from_tag)??,
            input: Some(tag.clone().unbind()),
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

    /// The image tag of this version for `component` (`Component` or `"kubernetes"` / `"etcd"`).
    #[pyo3(
        signature = (component = ComponentArg(fips_core::Component::Kubernetes)),
        text_signature = "($self, component='kubernetes')"
    )]
    fn tag(&self, component: ComponentArg) -> Result<String, Error> {
        Ok(self.inner.to_tag(component.0)?.into())
    }

    /// `{"input", "version", "fips", "fips_build", "tag", "component"}`, as `fipsctl version --json`;
    /// `tag` is `None` when no valid tag can be made (longer than 128 characters).
    #[pyo3(
        signature = (component = ComponentArg(fips_core::Component::Kubernetes)),
        text_signature = "($self, component='kubernetes')"
    )]
    fn to_dict<'py>(
        &self,
        py: Python<'py>,
        component: ComponentArg,
    ) -> Result<Bound<'py, PyAny>, Error> {
        let component = component.0;
        let input = match &self.input {
            Some(text) => text.bind(py).to_cow()?.into_owned(),
            None => self.inner.to_string(),
        };
        let info = self.inner.describe(&input, component);
        Ok(to_py(py, &info)?)
    }

    fn __str__(&self) -> String {
        self.inner.to_string()
    }

    fn __repr__(&self, py: Python<'_>) -> PyResult<String> {
        let text = PyString::new(py, &self.inner.to_string()).repr()?;
        Ok(format!("Version({text})"))
    }

    fn __richcmp__(&self, other: &Bound<'_, PyAny>, op: CompareOp) -> Result<Py<PyAny>, Error> {
        let py = other.py();
        if let Ok(other) = other.cast::<Version>() {
            return Ok(op
                .matches(self.inner.cmp(&other.get().inner))
                .into_py_any(py)?);
        }
        if let Ok(text) = other.cast::<PyString>() {
            // Never a silent False: a str that is not a version raises ParseError.
            let other = FipsVersion::parse(&text.to_cow()?)?;
            return Ok(op.matches(self.inner.cmp(&other)).into_py_any(py)?);
        }
        Ok(py.NotImplemented())
    }

    /// The hash of `str(self)`, so that a version and its display text are one set member.
    fn __hash__(&self, py: Python<'_>) -> PyResult<isize> {
        PyString::new(py, &self.inner.to_string()).hash()
    }

    /// Pickles as its text.
    fn __reduce__<'py>(slf: &Bound<'py, Self>) -> (Bound<'py, PyType>, (String,)) {
        (slf.get_type(), (slf.get().inner.to_string(),))
    }
}
