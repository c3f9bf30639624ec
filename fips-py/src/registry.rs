//! `scan_registry()` and its results: `RegistryScanReport` and `RegistryRead`
//! (fips-registry's `scan_reference`). `to_dict()` is the JSON `fipsctl --json scan
//! docker://REF` prints, so every language sees the same view of a registry image.

use std::time::Duration;

use pyo3::{exceptions::PyValueError, prelude::*};
use serde::{Deserialize, Serialize};

use crate::{
    convert::{policy_or_default, to_py},
    error::Error,
    policy::Policy,
    record::{record, reduce, repr, Record},
    scan::{PathArg, ScanReport},
};

/// Where an image was read: the reference asked for, the location whose manifest was read
/// (a policy mirror, or the reference itself), and the digest read.
#[pyclass(frozen, eq, module = "fips_policy")]
#[derive(PartialEq)]
pub(crate) struct RegistryRead {
    inner: fips_registry::RegistryRead,
}
record!(RegistryRead, fips_registry::RegistryRead);

#[pymethods]
impl RegistryRead {
    /// The reference asked for, as given (without `docker://`).
    #[getter]
    fn reference(&self) -> &str {
        &self.inner.reference
    }

    /// The reference whose manifest was read.
    #[getter]
    fn read(&self) -> &str {
        &self.inner.read
    }

    /// The policy mirror read (`[[mirrors]] mirror`), when it was one.
    #[getter]
    fn mirror(&self) -> Option<&str> {
        self.inner.mirror.as_deref()
    }

    /// The digest of the manifest (or image index) read, `sha256:...`.
    #[getter]
    fn digest(&self) -> &str {
        &self.inner.digest
    }

    /// The platforms scanned, e.g. `["linux/amd64"]`.
    #[getter]
    fn platforms(&self) -> Vec<String> {
        self.inner.platforms.clone()
    }

    /// `{"reference", "read", "mirror"?, "digest", "platforms"}`.
    fn to_dict<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyAny>> {
        to_py(py, &self.inner)
    }

    fn __repr__(slf: &Bound<'_, Self>) -> PyResult<String> {
        let fields = ["reference", "read", "mirror", "digest", "platforms"];
        repr(slf.as_any(), "RegistryRead", &fields)
    }

    fn __reduce__<'py>(
        &self,
        py: Python<'py>,
    ) -> PyResult<(Bound<'py, PyAny>, (&'static str, String))> {
        reduce(py, self)
    }
}

/// A registry scan's parts, as a pickle holds them: the report's JSON nested, not
/// flattened as `to_dict()` gives it (the report refuses fields it does not know, so a
/// flattened shape cannot be read back through serde without losing the settings' order).
#[derive(Clone, PartialEq, Serialize, Deserialize)]
pub(crate) struct RegistryScanParts {
    report: fips_core::ScanReport,
    registry: fips_registry::RegistryRead,
}

/// The verdict on an image read from its registry: the `ScanReport` of its files, and where
/// it was read. `bool(report)` is `report.report.compliant`.
#[pyclass(frozen, eq, module = "fips_policy")]
#[derive(PartialEq)]
pub(crate) struct RegistryScanReport {
    inner: RegistryScanParts,
}
record!(RegistryScanReport, RegistryScanParts);

#[pymethods]
impl RegistryScanReport {
    /// The verdict on every file of the image.
    #[getter]
    fn report(&self) -> ScanReport {
        ScanReport::wrap(self.inner.report.clone())
    }

    /// Where the image was read, and the digest read.
    #[getter]
    fn registry(&self) -> RegistryRead {
        RegistryRead {
            inner: self.inner.registry.clone(),
        }
    }

    /// `report.compliant`.
    #[getter]
    fn compliant(&self) -> bool {
        self.inner.report.compliant
    }

    /// The report's fields (`results`, `findings`, `compliant`) and `registry`, as
    /// `fipsctl --json scan docker://REF` prints them.
    fn to_dict<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyAny>> {
        let scan = fips_registry::RegistryScan {
            report: self.inner.report.clone(),
            registry: self.inner.registry.clone(),
        };
        to_py(py, &scan)
    }

    fn __bool__(&self) -> bool {
        self.inner.report.compliant
    }

    fn __repr__(slf: &Bound<'_, Self>) -> PyResult<String> {
        repr(slf.as_any(), "RegistryScanReport", &["report", "registry"])
    }

    fn __reduce__<'py>(
        &self,
        py: Python<'py>,
    ) -> PyResult<(Bound<'py, PyAny>, (&'static str, String))> {
        reduce(py, self)
    }
}

/// A time-out in seconds: positive and finite, or `None` for the default.
fn timeout(name: &str, seconds: Option<f64>) -> Result<Option<Duration>, Error> {
    let Some(seconds) = seconds else {
        return Ok(None);
    };
    match Duration::try_from_secs_f64(seconds) {
        Ok(d) if !d.is_zero() => Ok(Some(d)),
        _ => Err(PyValueError::new_err(format!(
            "{name}: {seconds} is not a time-out; give a positive number of seconds, or None \
             for the default"
        ))
        .into()),
    }
}

/// Reads the image `reference` names (`REGISTRY/NAME:TAG`, by digest, or either after
/// `docker://`) straight from its registry and scans every binary in it, as `fipsctl scan
/// docker://REF` does. The policy's mirrors are honoured (a repository with declared
/// mirrors is read from the first mirror that serves it, never from the upstream).
///
/// `platform` (`"os/arch[/variant]"`, default `linux/amd64`) or `all_platforms` choose
/// what an image index is scanned for; `insecure_registries` (`"HOST:PORT"`) are the only
/// registries spoken to over plain HTTP; `ca_certificates` are PEM files trusted besides
/// the system's; `docker_config` is the `config.json` whose credentials are used (default
/// `$DOCKER_CONFIG/config.json`, else `~/.docker/config.json`); the time-outs are seconds.
///
/// Runs with the GIL released. Raises `ScanError` when the image cannot be read (the
/// registry cannot be reached, refuses, lacks the image, does not answer in time, a bound is
/// passed, a blob does not match its digest: the message names the reference or digest),
/// `ValueError` for a bad platform or time-out, and `SelfTestError` when the crypto
/// self-test failed.
#[pyfunction]
#[pyo3(signature = (
    reference, policy = None, *, platform = None, all_platforms = false,
    insecure_registries = Vec::new(), ca_certificates = Vec::new(), docker_config = None,
    connect_timeout = None, read_timeout = None,
))]
#[pyo3(
    text_signature = "(reference, policy=None, *, platform=None, all_platforms=False, \
                      insecure_registries=(), ca_certificates=(), docker_config=None, \
                      connect_timeout=None, read_timeout=None)"
)]
#[allow(clippy::too_many_arguments)] // the keyword arguments of one Python function
pub(crate) fn scan_registry(
    py: Python<'_>,
    reference: &str,
    policy: Option<&Bound<'_, Policy>>,
    platform: Option<&str>,
    all_platforms: bool,
    insecure_registries: Vec<String>,
    ca_certificates: Vec<PathArg>,
    docker_config: Option<PathArg>,
    connect_timeout: Option<f64>,
    read_timeout: Option<f64>,
) -> Result<RegistryScanReport, Error> {
    let mut options = fips_registry::RegistryOptions::default();
    if let Some(platform) = platform {
        if all_platforms {
            return Err(PyValueError::new_err(
                "platform and all_platforms both given; give one (all_platforms scans every \
                 platform of an index)",
            )
            .into());
        }
        options.platform = platform.parse().map_err(PyValueError::new_err)?;
    }
    options.all_platforms = all_platforms;
    options.insecure_registries = insecure_registries;
    options.ca_certificates = ca_certificates.into_iter().map(|p| p.0).collect();
    options.docker_config = docker_config.map(|p| p.0);
    if let Some(t) = timeout("connect_timeout", connect_timeout)? {
        options.connect_timeout = t;
    }
    if let Some(t) = timeout("read_timeout", read_timeout)? {
        options.read_timeout = t;
    }
    let policy = policy_or_default(policy);
    let scan = py.detach(|| {
        fips_registry::scan_reference(reference, policy, &options, &Default::default())
    })?;
    Ok(RegistryScanReport {
        inner: RegistryScanParts {
            report: scan.report,
            registry: scan.registry,
        },
    })
}
