//! `ClusterRequest`: what a create-cluster call asks for.

use pyo3::prelude::*;

use crate::{
    convert::{to_json, to_py, version_arg},
    error::Error,
    version::Version,
};

/// What a create-cluster call asks for: from keywords, from JSON, or from the command line.
///
/// The keyword constructor takes the JSON fields; versions may be `Version` or `str`,
/// `os` is `"<id>-<version>"` as on the command line (`"rhel-8.4"`).
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
        os: Option<String>,
        other_flags: Option<Vec<(String, Option<String>)>>,
        other_args: Option<Vec<String>>,
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
            os: os
                .map(|os| field("os", os.parse::<fips_core::OsSpec>()))
                .transpose()?,
            other_flags: other_flags
                .unwrap_or_default()
                .into_iter()
                .map(|(flag, value)| fips_core::OtherFlag { flag, value })
                .collect(),
            other_args: other_args.unwrap_or_default(),
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
    fn from_args(argv: Vec<String>) -> Result<ClusterRequest, Error> {
        Ok(ClusterRequest {
            inner: fips_core::ClusterRequest::from_args(argv)?,
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
