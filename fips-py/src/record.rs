//! What every result class shares: a Python-style `repr`, pickling through the serde JSON
//! shape, and the one function (`_restore`) that unpickles them.
//!
//! A result class wraps its fips-core value (`Record::core`); `to_dict()` is that value's
//! serde JSON shape, equality is the value's, and a pickle holds its JSON text, so a
//! pickled result reads back through the same serde code as `fipsctl --json` output.

use pyo3::{exceptions::PyValueError, prelude::*, sync::PyOnceLock};
use serde::{de::DeserializeOwned, Serialize};

use crate::convert::to_json;

/// A result class over a fips-core value.
pub(crate) trait Record: Sized {
    /// The class name, as Python sees it (and as `_restore` dispatches on it).
    const CLASS: &'static str;
    /// The fips-core value it wraps.
    type Core: Serialize + DeserializeOwned;
    /// The wrapped value.
    fn core(&self) -> &Self::Core;
    /// Wraps a value.
    fn wrap(core: Self::Core) -> Self;
}

/// `Name(field=repr(value), ...)`, reading each field as Python sees it.
pub(crate) fn repr(slf: &Bound<'_, PyAny>, name: &str, fields: &[&str]) -> PyResult<String> {
    let mut out = format!("{name}(");
    for (i, field) in fields.iter().enumerate() {
        if i > 0 {
            out.push_str(", ");
        }
        let value = slf.getattr(*field)?.repr()?;
        out.push_str(field);
        out.push('=');
        out.push_str(&value.to_cow()?);
    }
    out.push(')');
    Ok(out)
}

/// `__reduce__`: `(_restore, (class name, serde JSON text))`.
pub(crate) fn reduce<'py, T: Record>(
    py: Python<'py>,
    value: &T,
) -> PyResult<(Bound<'py, PyAny>, (&'static str, String))> {
    static RESTORE: PyOnceLock<Py<PyAny>> = PyOnceLock::new();
    let restore = RESTORE.import(py, "fips_policy._fips_policy", "_restore")?;
    Ok((restore.clone(), (T::CLASS, to_json(value.core())?)))
}

fn restore_as<T>(py: Python<'_>, json: &str) -> PyResult<Py<PyAny>>
where
    T: Record + pyo3::PyClass + Into<pyo3::PyClassInitializer<T>>,
{
    let core: T::Core = serde_json::from_str(json)
        .map_err(|e| PyValueError::new_err(format!("cannot unpickle {}: {e}", T::CLASS)))?;
    Ok(Bound::new(py, T::wrap(core))?.into_any().unbind())
}

/// Unpickles a result class: the inverse of `reduce`. Not for direct use.
#[pyfunction]
pub(crate) fn _restore(py: Python<'_>, name: &str, json: &str) -> PyResult<Py<PyAny>> {
    use crate::{
        audit::{AuditReport, ClusterReport, ObjectFinding, ObjectRef},
        host::{HostOs, HostReport, HostSignals},
        image::ImageRepository,
        pull::PulledImage,
        registry::{RegistryRead, RegistryScanReport},
        report::{Finding, Report, TransitionReport},
        scan::{Evidence, GoBuildInfo, GoModule, ScanReport, ScanResult},
        self_test::{KatResult, SelfTestReport},
    };
    macro_rules! dispatch {
        ($($t:ty),+ $(,)?) => {
            match name {
                $(<$t as Record>::CLASS => restore_as::<$t>(py, json),)+
                _ => Err(PyValueError::new_err(format!("cannot unpickle {name:?}: not a fips_policy result"))),
            }
        };
    }
    dispatch!(
        AuditReport,
        ClusterReport,
        Evidence,
        Finding,
        GoBuildInfo,
        GoModule,
        HostOs,
        HostReport,
        HostSignals,
        ImageRepository,
        KatResult,
        ObjectFinding,
        ObjectRef,
        PulledImage,
        RegistryRead,
        RegistryScanReport,
        Report,
        ScanReport,
        ScanResult,
        SelfTestReport,
        TransitionReport,
    )
}

/// Implements `Record` for a `#[pyclass]` that is `struct Name { inner: Core }`.
macro_rules! record {
    ($t:ident, $core:ty) => {
        impl $crate::record::Record for $t {
            const CLASS: &'static str = stringify!($t);
            type Core = $core;
            fn core(&self) -> &$core {
                &self.inner
            }
            fn wrap(inner: $core) -> Self {
                $t { inner }
            }
        }
    };
}
pub(crate) use record;

/// Wraps each value of a slice in its result class.
pub(crate) fn wrap_all<T: Record>(values: &[T::Core]) -> Vec<T>
where
    T::Core: Clone,
{
    values.iter().cloned().map(T::wrap).collect()
}
