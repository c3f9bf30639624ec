//! Conversions shared by the classes: one path from a fips-core value to a Python object
//! (serde JSON, then `json.loads`), and the arguments that accept more than one type.

use pyo3::{
    exceptions::{PyRuntimeError, PyTypeError},
    prelude::*,
    sync::PyOnceLock,
    types::PyString,
};
use serde::Serialize;

use crate::{error::Error, policy::Policy, version::Version};

/// The value as Rust's serde JSON has it, as Python objects: the same shape as
/// `fipsctl --json` and the C API's JSON.
pub(crate) fn to_py<'py>(py: Python<'py>, value: &impl Serialize) -> PyResult<Bound<'py, PyAny>> {
    static LOADS: PyOnceLock<Py<PyAny>> = PyOnceLock::new();
    LOADS.import(py, "json", "loads")?.call1((to_json(value)?,))
}

/// The value as Rust's serde JSON text.
pub(crate) fn to_json(value: &impl Serialize) -> PyResult<String> {
    // Every fips-core type serializes (no map has non-string keys); a failure is a bug.
    serde_json::to_string(value)
        .map_err(|e| PyRuntimeError::new_err(format!("cannot serialize to JSON: {e}")))
}

/// A version given as a `Version` or as `str`; `name` is the argument, for the `TypeError`.
pub(crate) fn version_arg(
    value: &Bound<'_, PyAny>,
    name: &str,
) -> Result<fips_core::FipsVersion, Error> {
    if let Ok(version) = value.cast::<Version>() {
        return Ok(version.get().inner.clone());
    }
    if let Ok(text) = value.cast::<PyString>() {
        // A lone surrogate raises UnicodeEncodeError here.
        return Ok(fips_core::FipsVersion::parse(&text.to_cow()?)?);
    }
    Err(PyTypeError::new_err(format!(
        "{name} must be a fips_policy.Version or a str, not {}",
        value.get_type().name()?
    ))
    .into())
}

/// Calls `f` with the text of a Python `str`, borrowed from the UTF-8 Python keeps of it
/// (`PyUnicode_AsUTF8AndSize`, in the stable ABI since 3.10: no copy; an ASCII str is its
/// own UTF-8). A lone surrogate raises `UnicodeEncodeError`, as `str.encode()` does.
pub(crate) fn with_text<R>(text: &Bound<'_, PyString>, f: impl FnOnce(&str) -> R) -> PyResult<R> {
    Ok(f(text.to_str()?))
}

/// The policy given, or the embedded default.
pub(crate) fn policy_or_default<'a>(
    policy: Option<&'a Bound<'_, Policy>>,
) -> &'a fips_core::Policy {
    match policy {
        Some(p) => p.get().inner.as_ref(),
        None => fips_core::Policy::embedded(),
    }
}
