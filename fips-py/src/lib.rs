//! `fips_policy._fips_policy`: the native module of the `fips_policy` Python package.
//!
//! Thin by design: every function converts its arguments, calls fips-core, and converts
//! the result back. No rule lives here; `error.rs` is the one place where a fips-core error
//! becomes a Python exception, `convert.rs` the one path from a fips-core value to a
//! Python dict (serde JSON), and `record.rs` what every result class shares (its `repr`,
//! pickling through the serde JSON shape). Each result class wraps its fips-core value and
//! has one getter per field.
//!
//! Every class is frozen (immutable) and holds plain Rust data, so the module is safe to
//! call from many threads; every verdict (and so the self-test, which the first verdict
//! runs), host probing and binary scanning run with the GIL released.

mod audit;
mod code;
mod convert;
mod error;
mod host;
mod image;
mod os;
mod policy;
mod pull;
mod record;
mod registry;
mod report;
mod request;
mod scan;
mod self_test;
mod version;

use std::path::PathBuf;

use pyo3::prelude::*;

use crate::{
    convert::{policy_or_default, version_arg},
    error::Error,
    host::HostReport,
    policy::Policy,
    report::{Report, TransitionReport},
    request::ClusterRequest,
    self_test::SelfTestReport,
};

/// Judges a create-cluster request against a policy (the embedded default when `None`).
///
/// Runs with the GIL released (the first verdict of a process runs the self-test). Raises
/// `SelfTestError` instead of giving a verdict when the crypto self-test failed.
#[pyfunction]
#[pyo3(signature = (request, policy = None))]
fn validate(
    py: Python<'_>,
    request: &Bound<'_, ClusterRequest>,
    policy: Option<&Bound<'_, Policy>>,
) -> Result<Report, Error> {
    let (request, policy) = (&request.get().inner, policy_or_default(policy));
    let inner = py.detach(|| fips_core::validate(request, policy))?;
    Ok(Report { inner })
}

/// Judges moving a cluster from `current` to `desired` (each a `Version` or `str`).
///
/// Runs with the GIL released (the first verdict of a process runs the self-test). Raises
/// `SelfTestError` instead of giving a verdict when the crypto self-test failed.
#[pyfunction]
#[pyo3(signature = (current, desired, policy = None))]
fn check_transition(
    py: Python<'_>,
    current: &Bound<'_, PyAny>,
    desired: &Bound<'_, PyAny>,
    policy: Option<&Bound<'_, Policy>>,
) -> Result<TransitionReport, Error> {
    let current = version_arg(current, "current")?;
    let desired = version_arg(desired, "desired")?;
    let policy = policy_or_default(policy);
    let inner = py.detach(|| fips_core::check_transition(&current, &desired, policy))?;
    Ok(TransitionReport { inner })
}

/// Probes `root` (`/` for this host, or a mounted OS image; `str`, `bytes` or
/// `os.PathLike`) for its OS and FIPS state.
///
/// Runs with the GIL released. Raises `FileError` (an `OSError`; `FileNotFoundError` when
/// missing) when the root cannot be opened as a directory, `RootError` (also an `OSError`,
/// with `errno` and `filename`) when a file under it cannot be read safely, and
/// `SelfTestError` when the crypto self-test failed.
#[pyfunction]
#[pyo3(
    signature = (root = scan::PathArg(PathBuf::from("/")), policy = None),
    text_signature = "(root='/', policy=None)"
)]
fn probe_host(
    py: Python<'_>,
    root: scan::PathArg,
    policy: Option<&Bound<'_, Policy>>,
) -> Result<HostReport, Error> {
    let root = root.0;
    let policy = policy_or_default(policy);
    let inner = py.detach(|| fips_core::HostFips::probe(root, policy))?;
    Ok(HostReport { inner })
}

/// Runs the crypto Known-Answer Tests (once per process; later calls return the same report).
///
/// Runs with the GIL released. A failed KAT does not raise here: the report says which,
/// and every verdict from then on raises `SelfTestError`.
#[pyfunction]
fn selftest(py: Python<'_>) -> SelfTestReport {
    SelfTestReport {
        inner: py.detach(fips_core::selftest).clone(),
    }
}

/// Every finding code any verdict can carry, in registry order.
#[pyfunction]
fn codes() -> Vec<&'static str> {
    fips_core::Code::ALL.iter().map(|c| c.as_str()).collect()
}

/// True only when the library runs the FIPS-validated AWS-LC module.
#[pyfunction]
fn fips_module() -> bool {
    fips_core::fips_module()
}

/// The crypto module's name and version.
#[pyfunction]
fn module_name() -> &'static str {
    fips_core::module_name()
}

/// Does nothing: measures the cost of a call into the native module (benches/python_bench.py).
#[pyfunction]
fn _noop() {}

/// The native module of `fips_policy`; import `fips_policy`, not this.
#[pymodule]
mod _fips_policy {
    use pyo3::prelude::*;

    #[pymodule_export]
    use super::{
        _noop,
        audit::{audit, AuditReport, ClusterReport, ObjectFinding, ObjectRef},
        check_transition,
        code::{Code, Severity},
        codes, fips_module,
        host::{HostOs, HostReport, HostSignals},
        image::{ImageRef, ImageRepository},
        module_name,
        os::{parse_os_release, OsRelease},
        policy::Policy,
        probe_host,
        pull::{pulled_images, PulledImage},
        record::_restore,
        registry::{scan_registry, RegistryRead, RegistryScanReport},
        report::{Finding, Report, TransitionReport},
        request::ClusterRequest,
        scan::{scan, Evidence, GoBuildInfo, GoModule, ScanReport, ScanResult},
        self_test::{KatResult, SelfTestReport},
        selftest, validate,
        version::{Component, Version},
    };

    #[pymodule_init]
    fn init(m: &Bound<'_, PyModule>) -> PyResult<()> {
        m.add("__version__", env!("CARGO_PKG_VERSION"))?;
        crate::error::register(m)
    }
}
