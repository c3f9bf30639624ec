//! `scan()` and its results: `ScanReport`, `ScanResult`, `Evidence`, `GoBuildInfo`,
//! `GoModule` (fips-core's `scan`). Each `to_dict()` is the serde JSON shape that
//! `fipsctl --json scan` prints, so every language sees the same view of a binary.

use std::path::PathBuf;

use pyo3::{
    exceptions::PyTypeError,
    intern,
    prelude::*,
    types::{PyBytes, PyDict, PyString},
};
use serde::Serialize;

use crate::{
    convert::{policy_or_default, to_py},
    error::Error,
    policy::Policy,
    record::{record, reduce, repr, wrap_all},
    report::{codes_of, Finding},
};

/// The serde name of a fips-core enum value (`"go"`, `"boringcrypto"`, `"fips-only"`).
fn serde_name(value: &impl Serialize) -> PyResult<String> {
    match serde_json::to_value(value) {
        Ok(serde_json::Value::String(name)) => Ok(name),
        _ => Err(pyo3::exceptions::PyRuntimeError::new_err(
            "a fips-core enum did not serialize to a string",
        )),
    }
}

/// The verdict on everything scanned: one result per file judged.
/// `bool(report)` is `report.compliant`; `len(report)` is the number of results.
#[pyclass(frozen, eq, module = "fips_policy")]
#[derive(PartialEq)]
pub(crate) struct ScanReport {
    inner: fips_core::ScanReport,
}
record!(ScanReport, fips_core::ScanReport);

#[pymethods]
impl ScanReport {
    /// True when no result and no finding has an error: every binary the policy names is a
    /// FIPS build with an accepted module.
    #[getter]
    fn compliant(&self) -> bool {
        self.inner.compliant
    }

    /// One result per file judged, in the order found.
    #[getter]
    fn results(&self) -> Vec<ScanResult> {
        wrap_all(&self.inner.results)
    }

    /// Findings about the scan as a whole (e.g. the policy requires the FIPS-validated
    /// module); each file's own findings are in its result's `findings`.
    #[getter]
    fn findings(&self) -> Vec<Finding> {
        wrap_all(&self.inner.findings)
    }

    /// Every finding: each result's `findings` in order, then the scan's own `findings`.
    fn all_findings(&self) -> Vec<Finding> {
        let results = self.inner.results.iter().flat_map(|r| &r.findings);
        let all: Vec<fips_core::Finding> = results.chain(&self.inner.findings).cloned().collect();
        wrap_all(&all)
    }

    /// The codes of `all_findings()`, in order.
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

    fn __bool__(&self) -> bool {
        self.inner.compliant
    }

    fn __repr__(slf: &Bound<'_, Self>) -> PyResult<String> {
        repr(
            slf.as_any(),
            "ScanReport",
            &["compliant", "results", "findings"],
        )
    }

    fn __reduce__<'py>(
        &self,
        py: Python<'py>,
    ) -> PyResult<(Bound<'py, PyAny>, (&'static str, String))> {
        reduce(py, self)
    }
}

/// One file judged: what it is, the crypto module it uses, the evidence, the verdict.
/// `bool(result)` is `result.compliant`.
#[pyclass(frozen, eq, module = "fips_policy")]
#[derive(PartialEq)]
pub(crate) struct ScanResult {
    inner: fips_core::ScanResult,
}
record!(ScanResult, fips_core::ScanResult);

#[pymethods]
impl ScanResult {
    /// The file, as named (inside an image: `image.tar!/usr/local/bin/kube-apiserver`).
    #[getter]
    fn path(&self) -> &str {
        &self.inner.path
    }

    /// `"go"`, `"elf"` or `"other"`.
    #[getter]
    fn format(&self) -> PyResult<String> {
        serde_name(&self.inner.format)
    }

    /// The Go toolchain that built it, for a Go binary.
    #[getter]
    fn go_version(&self) -> Option<&str> {
        self.inner.go_version.as_deref()
    }

    /// The main package's import path, when recorded.
    #[getter]
    fn package(&self) -> Option<&str> {
        self.inner.package.as_deref()
    }

    /// The main module, when recorded.
    #[getter]
    fn main(&self) -> Option<GoModule> {
        self.inner.main.clone().map(GoModule::wrap_core)
    }

    /// The dependencies, in order.
    #[getter]
    fn deps(&self) -> Vec<GoModule> {
        wrap_all(&self.inner.deps)
    }

    /// The build settings, in the order recorded (a later key overrides an earlier one).
    #[getter]
    fn settings<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyDict>> {
        settings(py, &self.inner.settings)
    }

    /// `"boringcrypto"`, `"go-fips140"`, `"openssl"`, `"aws-lc"`, `"aws-lc-fips"`, `"boringssl"`,
    /// `"boringssl-fips"`, `"standard"`, `"none"` or `"unknown"`.
    #[getter]
    fn crypto_module(&self) -> &'static str {
        self.inner.crypto_module.as_str()
    }

    /// Built to refuse non-FIPS algorithms (`crypto/tls/fipsonly`, `fips140=only`).
    #[getter]
    fn fips_only(&self) -> bool {
        self.inner.fips_only
    }

    /// It is a component the policy names (`kube-apiserver`, `etcd`, ...).
    #[getter]
    fn component(&self) -> bool {
        self.inner.component
    }

    /// Whether the symbol table was stripped, for an ELF file.
    #[getter]
    fn stripped(&self) -> Option<bool> {
        self.inner.stripped
    }

    /// The shared libraries it needs (`DT_NEEDED`), in order.
    #[getter]
    fn needed(&self) -> Vec<String> {
        self.inner.needed.clone()
    }

    /// What the verdict rests on.
    #[getter]
    fn evidence(&self) -> Vec<Evidence> {
        wrap_all(&self.inner.evidence)
    }

    /// What is wrong with this file.
    #[getter]
    fn findings(&self) -> Vec<Finding> {
        wrap_all(&self.inner.findings)
    }

    /// True when no finding is an error.
    #[getter]
    fn compliant(&self) -> bool {
        self.inner.compliant
    }

    /// How many bytes of the file were read to judge it.
    #[getter]
    fn bytes_read(&self) -> u64 {
        self.inner.bytes_read
    }

    /// The Go build information (what `go version -m` prints), for a Go binary.
    #[getter]
    fn build_info(&self) -> Option<GoBuildInfo> {
        self.inner.build_info().map(|inner| GoBuildInfo { inner })
    }

    /// The codes of `findings`, in order.
    fn codes(&self) -> Vec<&'static str> {
        codes_of(&self.inner.findings)
    }

    /// `{"path", "format", "go_version", "crypto_module", "evidence", "settings", "findings",
    /// "compliant", "bytes_read", ...}`.
    fn to_dict<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyAny>> {
        to_py(py, &self.inner)
    }

    fn __bool__(&self) -> bool {
        self.inner.compliant
    }

    fn __repr__(slf: &Bound<'_, Self>) -> PyResult<String> {
        let fields = [
            "path",
            "format",
            "go_version",
            "crypto_module",
            "compliant",
            "findings",
        ];
        repr(slf.as_any(), "ScanResult", &fields)
    }

    fn __reduce__<'py>(
        &self,
        py: Python<'py>,
    ) -> PyResult<(Bound<'py, PyAny>, (&'static str, String))> {
        reduce(py, self)
    }
}

fn settings<'py>(
    py: Python<'py>,
    settings: &fips_core::BuildSettings,
) -> PyResult<Bound<'py, PyDict>> {
    let dict = PyDict::new(py);
    for (key, value) in &settings.0 {
        dict.set_item(key, value)?;
    }
    Ok(dict)
}

/// One marker found in a binary and what it says.
#[pyclass(frozen, eq, module = "fips_policy")]
#[derive(PartialEq)]
pub(crate) struct Evidence {
    inner: fips_core::Evidence,
}
record!(Evidence, fips_core::Evidence);

#[pymethods]
impl Evidence {
    /// Where it was found: `"version"`, `"setting"`, `"symbol"`, `"bytes"` or `"dynamic"`.
    #[getter]
    fn source(&self) -> PyResult<String> {
        serde_name(&self.inner.source)
    }

    /// The marker, as found (a symbol, a setting, a library name).
    #[getter]
    fn marker(&self) -> &str {
        &self.inner.marker
    }

    /// What it says, e.g. `"boringcrypto"`, `"fips-only"`, `"standard-crypto"`.
    #[getter]
    fn signal(&self) -> PyResult<String> {
        serde_name(&self.inner.signal)
    }

    /// `{"source", "marker", "signal"}`.
    fn to_dict<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyAny>> {
        to_py(py, &self.inner)
    }

    fn __repr__(slf: &Bound<'_, Self>) -> PyResult<String> {
        repr(slf.as_any(), "Evidence", &["source", "marker", "signal"])
    }

    fn __reduce__<'py>(
        &self,
        py: Python<'py>,
    ) -> PyResult<(Bound<'py, PyAny>, (&'static str, String))> {
        reduce(py, self)
    }
}

/// A Go module line: path, version, checksum, and the module that replaced it.
#[pyclass(frozen, eq, module = "fips_policy")]
#[derive(PartialEq)]
pub(crate) struct GoModule {
    inner: fips_core::GoModule,
}
record!(GoModule, fips_core::GoModule);

impl GoModule {
    fn wrap_core(inner: fips_core::GoModule) -> GoModule {
        GoModule { inner }
    }
}

#[pymethods]
impl GoModule {
    /// The module path.
    #[getter]
    fn path(&self) -> &str {
        &self.inner.path
    }

    /// The version, or `(devel)`.
    #[getter]
    fn version(&self) -> &str {
        &self.inner.version
    }

    /// The `h1:` checksum; empty when the binary records none.
    #[getter]
    fn sum(&self) -> &str {
        &self.inner.sum
    }

    /// The module that replaced it (`=>`), when one did.
    #[getter]
    fn replace(&self) -> Option<GoModule> {
        self.inner
            .replace
            .as_deref()
            .cloned()
            .map(GoModule::wrap_core)
    }

    /// `{"path", "version", "sum", "replace"?}`.
    fn to_dict<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyAny>> {
        to_py(py, &self.inner)
    }

    fn __repr__(slf: &Bound<'_, Self>) -> PyResult<String> {
        repr(
            slf.as_any(),
            "GoModule",
            &["path", "version", "sum", "replace"],
        )
    }

    fn __reduce__<'py>(
        &self,
        py: Python<'py>,
    ) -> PyResult<(Bound<'py, PyAny>, (&'static str, String))> {
        reduce(py, self)
    }
}

/// A Go binary's build information, as `go version -m` prints it.
#[pyclass(frozen, eq, module = "fips_policy")]
#[derive(PartialEq)]
pub(crate) struct GoBuildInfo {
    inner: fips_core::GoBuildInfo,
}
record!(GoBuildInfo, fips_core::GoBuildInfo);

#[pymethods]
impl GoBuildInfo {
    /// The toolchain, e.g. `go1.26.8` or `go1.26.8-X:boringcrypto`.
    #[getter]
    fn go_version(&self) -> &str {
        &self.inner.go_version
    }

    /// The main package's import path, empty when absent.
    #[getter]
    fn package(&self) -> &str {
        &self.inner.package
    }

    /// The main module.
    #[getter]
    fn main(&self) -> Option<GoModule> {
        self.inner.main.clone().map(GoModule::wrap_core)
    }

    /// The dependencies, in order.
    #[getter]
    fn deps(&self) -> Vec<GoModule> {
        wrap_all(&self.inner.deps)
    }

    /// The build settings, in the order recorded.
    #[getter]
    fn settings<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyDict>> {
        settings(py, &self.inner.settings)
    }

    /// The text `go version -m FILE` prints for this binary, `file` standing for its name.
    fn go_version_m(&self, file: &str) -> String {
        self.inner.go_version_m(file)
    }

    /// `{"go_version", "package"?, "main"?, "deps"?, "settings"}`.
    fn to_dict<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyAny>> {
        to_py(py, &self.inner)
    }

    fn __repr__(slf: &Bound<'_, Self>) -> PyResult<String> {
        let fields = ["go_version", "package", "main", "deps", "settings"];
        repr(slf.as_any(), "GoBuildInfo", &fields)
    }

    fn __reduce__<'py>(
        &self,
        py: Python<'py>,
    ) -> PyResult<(Bound<'py, PyAny>, (&'static str, String))> {
        reduce(py, self)
    }
}

/// Scans files, directories (recursively, symlinks not followed), OCI image layout
/// directories and `docker save` / OCI tar archives for the crypto module each binary uses.
///
/// `paths` is one path (`str`, `bytes` or `os.PathLike`) or any iterable of them. Runs with
/// the GIL released. Raises `ScanError` for no path at all or a malformed image, an
/// `OSError` (`FileNotFoundError`, ...) for a path that cannot be read, and `SelfTestError`
/// when the crypto self-test failed.
#[pyfunction]
#[pyo3(signature = (paths, policy = None))]
pub(crate) fn scan(
    py: Python<'_>,
    paths: &Bound<'_, PyAny>,
    policy: Option<&Bound<'_, Policy>>,
) -> Result<ScanReport, Error> {
    let paths = paths_arg(paths, "paths")?;
    let policy = policy_or_default(policy);
    let inner = py.detach(|| fips_core::scan_paths(&paths, policy))?;
    Ok(ScanReport { inner })
}

/// `name`: one path, or any iterable (list, tuple, generator, ...) of paths; an empty one
/// is fips-core's to refuse (`ScanError`, variant `no-paths`), as in every language.
pub(crate) fn paths_arg(value: &Bound<'_, PyAny>, name: &str) -> Result<Vec<PathBuf>, Error> {
    if is_one_path(value)? {
        return Ok(vec![path_arg(value, name)?]);
    }
    // A mapping iterates its keys: more likely a mistake than a list of paths.
    let mapping = value.is_instance_of::<PyDict>();
    let items = value.try_iter().and_then(|items| {
        if mapping {
            Err(PyTypeError::new_err("a mapping"))
        } else {
            Ok(items)
        }
    });
    let items = items.map_err(|e| {
        if !e.is_instance_of::<PyTypeError>(value.py()) {
            return e;
        }
        PyTypeError::new_err(format!(
            "{name}: expected a str, bytes, os.PathLike or an iterable of them, got {}",
            type_name(value)
        ))
    })?;
    let mut paths = Vec::new();
    for (i, item) in items.enumerate() {
        paths.push(path_arg(&item?, &format!("{name}[{i}]"))?);
    }
    Ok(paths)
}

fn is_one_path(value: &Bound<'_, PyAny>) -> PyResult<bool> {
    Ok(value.is_instance_of::<PyString>()
        || value.is_instance_of::<PyBytes>()
        || value.hasattr(intern!(value.py(), "__fspath__"))?)
}

fn type_name(value: &Bound<'_, PyAny>) -> String {
    value
        .get_type()
        .name()
        .map(|n| n.to_string())
        .unwrap_or_else(|_| "?".to_owned())
}

/// A path argument of its own (`probe_host(root)`, `Policy.from_file(path)`): pyo3 names
/// the argument in the `TypeError`.
pub(crate) struct PathArg(pub(crate) PathBuf);

impl<'a, 'py> FromPyObject<'a, 'py> for PathArg {
    type Error = PyErr;

    fn extract(obj: pyo3::Borrowed<'a, 'py, PyAny>) -> PyResult<Self> {
        Ok(PathArg(one_path(&obj.to_owned()).map_err(|e| match e {
            Some(e) => e.into(),
            None => PyTypeError::new_err(path_type_error(&obj)),
        })?))
    }
}

fn path_type_error(value: &Bound<'_, PyAny>) -> String {
    format!(
        "expected a str, bytes or os.PathLike, got {}",
        type_name(value)
    )
}

/// One path: a `str`, `bytes` or an `os.PathLike` giving one; `name` is for the error.
pub(crate) fn path_arg(value: &Bound<'_, PyAny>, name: &str) -> Result<PathBuf, Error> {
    one_path(value).map_err(|e| match e {
        Some(e) => e,
        None => PyTypeError::new_err(format!("{name}: {}", path_type_error(value))).into(),
    })
}

/// One path, or `Err(None)` when `value` is of no path type.
fn one_path(value: &Bound<'_, PyAny>) -> Result<PathBuf, Option<Error>> {
    let py = value.py();
    let raised = |e: PyErr| Some(Error::from(e));
    let fspath = if value.hasattr(intern!(py, "__fspath__")).map_err(raised)? {
        // A failing __fspath__ raises as Python raised it.
        value
            .call_method0(intern!(py, "__fspath__"))
            .map_err(raised)?
    } else {
        value.clone()
    };
    if let Ok(bytes) = fspath.cast::<PyBytes>() {
        return Ok(bytes_path(bytes.as_bytes()));
    }
    if fspath.is_instance_of::<PyString>() {
        // A lone surrogate raises UnicodeEncodeError here, as Python raised it.
        return fspath.extract::<PathBuf>().map_err(raised);
    }
    Err(None)
}

#[cfg(unix)]
fn bytes_path(bytes: &[u8]) -> PathBuf {
    use std::os::unix::ffi::OsStrExt;
    PathBuf::from(std::ffi::OsStr::from_bytes(bytes))
}

#[cfg(not(unix))]
fn bytes_path(bytes: &[u8]) -> PathBuf {
    PathBuf::from(String::from_utf8_lossy(bytes).into_owned())
}
