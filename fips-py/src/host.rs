//! The verdict on a host or a mounted OS image: `HostReport`, with `HostOs` and `HostSignals`.

use pyo3::prelude::*;

use crate::{
    convert::to_py,
    record::{record, reduce, repr, wrap_all},
    report::{codes_of, Finding},
};

/// The verdict on a host or a mounted OS image (Rust's `HostFips`).
/// `bool(report)` is `report.compliant`.
#[pyclass(frozen, eq, module = "fips_policy")]
#[derive(PartialEq)]
pub(crate) struct HostReport {
    pub(crate) inner: fips_core::HostFips,
}
record!(HostReport, fips_core::HostFips);

#[pymethods]
impl HostReport {
    /// The root probed, as given.
    #[getter]
    fn root(&self) -> &str {
        &self.inner.root
    }

    /// The OS, or `None` when no os-release was found.
    #[getter]
    fn os(&self) -> Option<HostOs> {
        self.inner.os.clone().map(|inner| HostOs { inner })
    }

    /// The OS is one the policy supports for FIPS mode.
    #[getter]
    fn os_supported(&self) -> bool {
        self.inner.os_supported
    }

    /// What the running kernel says; `None` when the root has no `proc/` (an image).
    #[getter]
    fn fips_mode(&self) -> Option<bool> {
        self.inner.fips_mode
    }

    /// The root is set up to boot in FIPS mode.
    #[getter]
    fn fips_prepared(&self) -> bool {
        self.inner.fips_prepared
    }

    /// Every FIPS signal, as found.
    #[getter]
    fn signals(&self) -> HostSignals {
        HostSignals {
            inner: self.inner.signals.clone(),
        }
    }

    /// True when no finding is an error.
    #[getter]
    fn compliant(&self) -> bool {
        self.inner.compliant
    }

    /// What is wrong.
    #[getter]
    fn findings(&self) -> Vec<Finding> {
        wrap_all(&self.inner.findings)
    }

    /// The codes of `findings`, in order.
    fn codes(&self) -> Vec<&'static str> {
        codes_of(&self.inner.findings)
    }

    /// The whole verdict, as `fipsctl host --json` prints it.
    fn to_dict<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyAny>> {
        to_py(py, &self.inner)
    }

    fn __bool__(&self) -> bool {
        self.inner.compliant
    }

    fn __repr__(slf: &Bound<'_, Self>) -> PyResult<String> {
        let fields = [
            "root",
            "os",
            "os_supported",
            "fips_mode",
            "fips_prepared",
            "signals",
            "compliant",
            "findings",
        ];
        repr(slf.as_any(), "HostReport", &fields)
    }

    fn __reduce__<'py>(
        &self,
        py: Python<'py>,
    ) -> PyResult<(Bound<'py, PyAny>, (&'static str, String))> {
        reduce(py, self)
    }
}

/// The operating system a root holds, from its os-release.
#[pyclass(frozen, eq, module = "fips_policy")]
#[derive(PartialEq)]
pub(crate) struct HostOs {
    inner: fips_core::HostOs,
}
record!(HostOs, fips_core::HostOs);

#[pymethods]
impl HostOs {
    /// `ID` (os-release(5) default `linux`).
    #[getter]
    fn id(&self) -> &str {
        &self.inner.id
    }

    /// `NAME` (default `Linux`).
    #[getter]
    fn name(&self) -> &str {
        &self.inner.name
    }

    /// `VERSION_ID`, when given.
    #[getter]
    fn version_id(&self) -> Option<&str> {
        self.inner.version_id.as_deref()
    }

    /// The `major.minor` version judged (from `VERSION_ID` or a release file), when known.
    #[getter]
    fn version(&self) -> Option<&str> {
        self.inner.version.as_deref()
    }

    /// `PRETTY_NAME` (default `Linux`).
    #[getter]
    fn pretty_name(&self) -> &str {
        &self.inner.pretty_name
    }

    /// `{"id", "name", "version_id", "version", "pretty_name"}`.
    fn to_dict<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyAny>> {
        to_py(py, &self.inner)
    }

    fn __repr__(slf: &Bound<'_, Self>) -> PyResult<String> {
        let fields = ["id", "name", "version_id", "version", "pretty_name"];
        repr(slf.as_any(), "HostOs", &fields)
    }

    fn __reduce__<'py>(
        &self,
        py: Python<'py>,
    ) -> PyResult<(Bound<'py, PyAny>, (&'static str, String))> {
        reduce(py, self)
    }
}

/// Every FIPS-mode signal of a root, as found (`None`: the file is not there).
#[pyclass(frozen, eq, module = "fips_policy")]
#[derive(PartialEq)]
pub(crate) struct HostSignals {
    inner: fips_core::HostSignals,
}
record!(HostSignals, fips_core::HostSignals);

#[pymethods]
impl HostSignals {
    /// `/proc/sys/crypto/fips_enabled` is `1`.
    #[getter]
    fn fips_enabled(&self) -> Option<bool> {
        self.inner.fips_enabled
    }

    /// `fips=1` on `/proc/cmdline`.
    #[getter]
    fn cmdline_fips(&self) -> Option<bool> {
        self.inner.cmdline_fips
    }

    /// `/etc/system-fips` exists.
    #[getter]
    fn system_fips(&self) -> bool {
        self.inner.system_fips
    }

    /// `/etc/crypto-policies/config` (what was asked).
    #[getter]
    fn crypto_policy_config(&self) -> Option<&str> {
        self.inner.crypto_policy_config.as_deref()
    }

    /// `/etc/crypto-policies/state/current` (what is applied).
    #[getter]
    fn crypto_policy_current(&self) -> Option<&str> {
        self.inner.crypto_policy_current.as_deref()
    }

    /// `fips=1` in `GRUB_CMDLINE_LINUX` of `/etc/default/grub`.
    #[getter]
    fn grub_cmdline_fips(&self) -> Option<bool> {
        self.inner.grub_cmdline_fips
    }

    /// `fips=1` in the `options` of every `/boot/loader/entries/*.conf` (BLS).
    #[getter]
    fn bls_entries_fips(&self) -> Option<bool> {
        self.inner.bls_entries_fips
    }

    /// The signals as `fipsctl host --json` prints them.
    fn to_dict<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyAny>> {
        to_py(py, &self.inner)
    }

    fn __repr__(slf: &Bound<'_, Self>) -> PyResult<String> {
        let fields = [
            "fips_enabled",
            "cmdline_fips",
            "system_fips",
            "crypto_policy_config",
            "crypto_policy_current",
            "grub_cmdline_fips",
            "bls_entries_fips",
        ];
        repr(slf.as_any(), "HostSignals", &fields)
    }

    fn __reduce__<'py>(
        &self,
        py: Python<'py>,
    ) -> PyResult<(Bound<'py, PyAny>, (&'static str, String))> {
        reduce(py, self)
    }
}
