//! `OsRelease`: the os-release(5) file format.

use std::collections::BTreeMap;

use pyo3::{
    intern,
    prelude::*,
    types::{PyDict, PyString},
};

use crate::convert::{to_py, with_text};

/// A parsed os-release file (os-release(5): quoting, escapes, comments).
///
/// `fields` holds what the file says; `id`, `name` and `pretty_name` apply the
/// os-release(5) defaults (`linux`, `Linux`, `Linux`).
#[pyclass(frozen, module = "fips_policy")]
pub(crate) struct OsRelease {
    inner: fips_core::OsRelease,
}

#[pymethods]
impl OsRelease {
    /// Parses os-release text. Never fails: lines that are not assignments are ignored and
    /// their numbers kept in `ignored_lines`.
    #[staticmethod]
    fn parse(text: String) -> OsRelease {
        OsRelease {
            inner: fips_core::OsRelease::parse(&text),
        }
    }

    /// Every key and value, as parsed, without defaults.
    #[getter]
    fn fields(&self) -> BTreeMap<String, String> {
        self.inner.fields().clone()
    }

    /// 1-based numbers of the lines that were neither assignments, comments nor blank.
    #[getter]
    fn ignored_lines(&self) -> Vec<usize> {
        self.inner.ignored_lines().to_vec()
    }

    /// `ID`, or `linux` when missing.
    #[getter]
    fn id(&self) -> &str {
        self.inner.id()
    }

    /// `NAME`, or `Linux` when missing.
    #[getter]
    fn name(&self) -> &str {
        self.inner.name()
    }

    /// `PRETTY_NAME`, or `Linux` when missing.
    #[getter]
    fn pretty_name(&self) -> &str {
        self.inner.pretty_name()
    }

    /// The value of `key`, without defaults.
    fn get(&self, key: String) -> Option<&str> {
        self.inner.get(&key)
    }

    /// `{"fields": {...}, "ignored_lines": [...], "id": ...}`, the same shape in every language.
    fn to_dict<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyAny>> {
        to_py(py, &self.inner)
    }

    fn __repr__(&self) -> String {
        format!(
            "<OsRelease id={:?} fields={}>",
            self.inner.id(),
            self.inner.fields().len()
        )
    }
}

/// The key/value fields of os-release text, without defaults (`OsRelease.parse(text).fields`),
/// in file order.
///
/// Built straight from fips-core's line reader: no map in between, and a value is copied
/// once, into its Python str (the cost benches/python_bench.py measures against CPython's
/// `platform._parse_os_release`).
#[pyfunction]
pub(crate) fn parse_os_release<'py>(text: &Bound<'py, PyString>) -> PyResult<Bound<'py, PyDict>> {
    let py = text.py();
    let fields = PyDict::new(py);
    with_text(text, |text| {
        for (key, value) in fips_core::OsRelease::lines(text).flatten() {
            fields.set_item(os_release_key(py, key), PyString::new(py, &value))?;
        }
        Ok::<_, PyErr>(())
    })??;
    Ok(fields)
}

/// `key` as a Python string: for the keys os-release(5) defines, one interned string per
/// process (made once, its hash cached), so a parse decodes and hashes only the values and
/// any other key. Half of the native call's time had gone to making and hashing strings.
fn os_release_key<'py>(py: Python<'py>, key: &str) -> Bound<'py, PyString> {
    macro_rules! interned {
        ($($known:literal),* $(,)?) => {
            match key {
                $($known => intern!(py, $known).clone(),)*
                _ => PyString::new(py, key),
            }
        };
    }
    // os-release(5), "Options", in its order; then the vendor keys the tests/roots files use.
    interned!(
        "NAME",
        "ID",
        "ID_LIKE",
        "PRETTY_NAME",
        "CPE_NAME",
        "VARIANT",
        "VARIANT_ID",
        "VERSION",
        "VERSION_ID",
        "VERSION_CODENAME",
        "BUILD_ID",
        "IMAGE_ID",
        "IMAGE_VERSION",
        "RELEASE_TYPE",
        "HOME_URL",
        "DOCUMENTATION_URL",
        "SUPPORT_URL",
        "BUG_REPORT_URL",
        "PRIVACY_POLICY_URL",
        "SUPPORT_END",
        "LOGO",
        "ANSI_COLOR",
        "VENDOR_NAME",
        "VENDOR_URL",
        "EXPERIMENT",
        "EXPERIMENT_URL",
        "DEFAULT_HOSTNAME",
        "ARCHITECTURE",
        "SYSEXT_LEVEL",
        "CONFEXT_LEVEL",
        "SYSEXT_SCOPE",
        "CONFEXT_SCOPE",
        "PORTABLE_PREFIXES",
        "PLATFORM_ID",
        "REDHAT_SUPPORT_PRODUCT",
        "REDHAT_SUPPORT_PRODUCT_VERSION",
        "REDHAT_BUGZILLA_PRODUCT",
        "REDHAT_BUGZILLA_PRODUCT_VERSION",
        "UBUNTU_CODENAME",
    )
}
