//! `ClusterRequest`: what a create-cluster call asks for.

use pyo3::{
    exceptions::PyTypeError,
    prelude::*,
    types::{PyDict, PyString},
};

use crate::{
    convert::{to_json, to_py, version_arg},
    error::Error,
    version::Version,
};

/// What a create-cluster call asks for: from keywords, from JSON, or from the command line.
///
/// The keyword constructor takes the JSON fields; versions may be `Version` or `str`,
/// `os` is `"<id>-<version>"` as on the command line (`"rhel-8.4"`) or `{"id", "version"}`
/// as in `to_dict()`, and `other_flags` takes pairs or `{"flag", "value"}` dicts, so that
/// `ClusterRequest(**request.to_dict())` is the same request.
#[pyclass(frozen, module = "fips_policy")]
pub(crate) struct ClusterRequest {
    pub(crate) inner: fips_core::ClusterRequest,
}

/// Wraps a value's error as fips-core does for a flag: "invalid value for <field>: ...".
fn field<T, E: std::fmt::Display>(name: &str, result: Result<T, E>) -> Result<T, Error> {
    result.map_err(|e| {
        fips_core::RequestError::InvalidValue {
            field: name.to_owned(),
            reason: e.to_string(),
        }
        .into()
    })
}

fn type_name(value: &Bound<'_, PyAny>) -> String {
    value
        .get_type()
        .name()
        .map(|n| n.to_string())
        .unwrap_or_else(|_| "?".to_owned())
}

/// A list of words: any iterable of `str`, but not one `str` (a command line is split first).
fn str_list(value: &Bound<'_, PyAny>, name: &str) -> Result<Vec<String>, Error> {
    if value.is_instance_of::<PyString>() {
        return Err(PyTypeError::new_err(format!(
            "{name}: expected a list of str (one per word), got one str; split it first, \
             e.g. with shlex.split"
        ))
        .into());
    }
    let items = value.try_iter().map_err(|_| {
        PyTypeError::new_err(format!(
            "{name}: expected an iterable of str, got {}",
            type_name(value)
        ))
    })?;
    let mut out = Vec::new();
    for (i, item) in items.enumerate() {
        let item = item?;
        let text = item.cast::<PyString>().map_err(|_| {
            PyTypeError::new_err(format!(
                "{name}[{i}]: expected a str, got {}",
                type_name(&item)
            ))
        })?;
        out.push(text.to_cow()?.into_owned());
    }
    Ok(out)
}

/// `os`: `"<id>-<version>"` as on the command line (what the `os` getter gives back), or
/// `{"id", "version"}` as in `to_dict()`.
fn os_arg(value: &Bound<'_, PyAny>) -> Result<fips_core::OsSpec, Error> {
    if let Ok(text) = value.cast::<PyString>() {
        return field("os", text.to_cow()?.parse::<fips_core::OsSpec>());
    }
    if let Ok(dict) = value.cast::<PyDict>() {
        let json = to_py_json(dict)?;
        return field("os", serde_json::from_str::<fips_core::OsSpec>(&json));
    }
    Err(PyTypeError::new_err(format!(
        "os: expected \"<id>-<version>\" (e.g. \"rhel-8.4\") or {{\"id\": ..., \"version\": ...}}, got {}",
        type_name(value)
    ))
    .into())
}

/// `other_flags`: `(flag, value)` pairs as the getter gives them, or `{"flag", "value"}`
/// dicts as in `to_dict()`.
fn other_flags_arg(value: &Bound<'_, PyAny>) -> Result<Vec<fips_core::OtherFlag>, Error> {
    let name = "other_flags";
    let items = value.try_iter().map_err(|_| {
        PyTypeError::new_err(format!(
            "{name}: expected an iterable of (flag, value) pairs, got {}",
            type_name(value)
        ))
    })?;
    let mut out = Vec::new();
    for (i, item) in items.enumerate() {
        let item = item?;
        if let Ok(dict) = item.cast::<PyDict>() {
            let json = to_py_json(dict)?;
            out.push(field(&format!("{name}[{i}]"), serde_json::from_str(&json))?);
            continue;
        }
        let pair: Result<(String, Option<String>), _> = item.extract();
        let (flag, value) = pair.map_err(|_| {
            PyTypeError::new_err(format!(
                "{name}[{i}]: expected a (str, str or None) pair or a {{\"flag\", \"value\"}} dict, got {}",
                type_name(&item)
            ))
        })?;
        out.push(fips_core::OtherFlag { flag, value });
    }
    Ok(out)
}

/// A dict as JSON text, for fips-core's serde readers.
fn to_py_json(dict: &Bound<'_, PyDict>) -> PyResult<String> {
    let json = dict.py().import("json")?.call_method1("dumps", (dict,))?;
    json.extract()
}

#[pymethods]
impl ClusterRequest {
    #[new]
    #[pyo3(signature = (
        *,
        provider = None,
        cluster_name = None,
        kubernetes_version = None,
        kubernetes_image_repository = None,
        etcd_version = None,
        etcd_image_repository = None,
        ami = None,
        os = None,
        other_flags = None,
        other_args = None,
    ))]
    #[allow(clippy::too_many_arguments)] // One keyword per field of the Rust struct.
    fn new(
        provider: Option<String>,
        cluster_name: Option<String>,
        kubernetes_version: Option<&Bound<'_, PyAny>>,
        kubernetes_image_repository: Option<String>,
        etcd_version: Option<&Bound<'_, PyAny>>,
        etcd_image_repository: Option<String>,
        ami: Option<String>,
        os: Option<&Bound<'_, PyAny>>,
        other_flags: Option<&Bound<'_, PyAny>>,
        other_args: Option<&Bound<'_, PyAny>>,
    ) -> Result<ClusterRequest, Error> {
        let version = |name: &str, value: Option<&Bound<'_, PyAny>>| -> Result<_, Error> {
            value
                .map(|v| match version_arg(v, name) {
                    Err(Error::Core(e)) => field(name, Err(e)),
                    other => other,
                })
                .transpose()
        };
        let repository = |name: &str, value: Option<String>| -> Result<_, Error> {
            value
                .map(|v| field(name, fips_core::ImageRepository::parse(&v)))
                .transpose()
        };
        let request = fips_core::ClusterRequest {
            provider,
            cluster_name,
            kubernetes_version: version("kubernetes_version", kubernetes_version)?,
            kubernetes_image_repository: repository(
                "kubernetes_image_repository",
                kubernetes_image_repository,
            )?,
            etcd_version: version("etcd_version", etcd_version)?,
            etcd_image_repository: repository("etcd_image_repository", etcd_image_repository)?,
            ami,
            os: os.map(os_arg).transpose()?,
            other_flags: match other_flags {
                Some(flags) => other_flags_arg(flags)?,
                None => Vec::new(),
            },
            other_args: match other_args {
                Some(args) => str_list(args, "other_args")?,
                None => Vec::new(),
            },
        };
        // The checks a JSON request gets (the AMI id's form) live in fips-core's JSON
        // reader: pass the request through it rather than write them twice.
        let json = to_json(&request)?;
        Ok(ClusterRequest {
            inner: fips_core::ClusterRequest::from_json(&json)?,
        })
    }

    /// Parses a create-cluster command line (a list of words, with or without
    /// `dkp create cluster <provider>` in front).
    #[staticmethod]
    fn from_args(argv: &Bound<'_, PyAny>) -> Result<ClusterRequest, Error> {
        Ok(ClusterRequest {
            inner: fips_core::ClusterRequest::from_args(str_list(argv, "argv")?)?,
        })
    }

    /// Parses a JSON request (the shape of `to_dict()`; unknown fields refused).
    #[staticmethod]
    fn from_json(text: String) -> Result<ClusterRequest, Error> {
        Ok(ClusterRequest {
            inner: fips_core::ClusterRequest::from_json(&text)?,
        })
    }

    /// The infrastructure provider (`aws`, `azure`, `preprovisioned`, ...).
    #[getter]
    fn provider(&self) -> Option<&str> {
        self.inner.provider.as_deref()
    }

    /// `--cluster-name`.
    #[getter]
    fn cluster_name(&self) -> Option<&str> {
        self.inner.cluster_name.as_deref()
    }

    /// `--kubernetes-version`.
    #[getter]
    fn kubernetes_version(&self) -> Option<Version> {
        self.inner
            .kubernetes_version
            .clone()
            .map(Version::from_core)
    }

    /// `--kubernetes-image-repository`, normalised.
    #[getter]
    fn kubernetes_image_repository(&self) -> Option<String> {
        self.inner
            .kubernetes_image_repository
            .as_ref()
            .map(ToString::to_string)
    }

    /// `--etcd-version`.
    #[getter]
    fn etcd_version(&self) -> Option<Version> {
        self.inner.etcd_version.clone().map(Version::from_core)
    }

    /// `--etcd-image-repository`, normalised.
    #[getter]
    fn etcd_image_repository(&self) -> Option<String> {
        self.inner
            .etcd_image_repository
            .as_ref()
            .map(ToString::to_string)
    }

    /// `--ami`.
    #[getter]
    fn ami(&self) -> Option<&str> {
        self.inner.ami.as_deref()
    }

    /// `--os` / `--ami-base-os`, as `"<id>-<version>"`.
    #[getter]
    fn os(&self) -> Option<String> {
        self.inner.os.as_ref().map(ToString::to_string)
    }

    /// Every other flag, in order, as `(flag, value)`: kept, not judged.
    #[getter]
    fn other_flags(&self) -> Vec<(String, Option<String>)> {
        self.inner
            .other_flags
            .iter()
            .map(|f| (f.flag.clone(), f.value.clone()))
            .collect()
    }

    /// Positional words that are not part of `create cluster <provider>`.
    #[getter]
    fn other_args(&self) -> Vec<String> {
        self.inner.other_args.clone()
    }

    /// The request as Rust's serde JSON shape (what `from_json` reads).
    fn to_dict<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyAny>> {
        to_py(py, &self.inner)
    }

    /// The request as JSON text (what `from_json` reads).
    fn to_json(&self) -> PyResult<String> {
        to_json(&self.inner)
    }

    fn __repr__(&self) -> PyResult<String> {
        Ok(format!("<ClusterRequest {}>", self.to_json()?))
    }
}
