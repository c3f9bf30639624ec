//! `audit()`: Cluster API and kubeadm objects judged as requests (fips-core's `audit`), and
//! its results `AuditReport`, `ClusterReport`, `ObjectFinding`, `ObjectRef`.

use pyo3::{
    exceptions::PyTypeError,
    intern,
    prelude::*,
    sync::PyOnceLock,
    types::{IntoPyDict, PyDict, PyString},
};

use crate::{
    code::Severity,
    convert::{policy_or_default, to_py},
    error::Error,
    policy::Policy,
    record::{record, reduce, repr, wrap_all},
    report::Finding,
};

/// Judges Cluster API and kubeadm objects (`KubeadmControlPlane`, `Cluster`,
/// `MachineDeployment`, CAPA `AWSMachineTemplate`, kubeadm `ClusterConfiguration`, ...):
/// one report per cluster they make up.
///
/// `objects` is YAML or JSON text (one or many documents, `kind: List`), one object as a
/// dict, or an iterable of dicts. `old`, in the same forms, is what the objects were before
/// (an update): then moving a cluster's FIPS status is judged too. Runs with the GIL
/// released. Raises `ParseError` (a `ValueError`) naming the document for objects that
/// cannot be read, and `SelfTestError` when the crypto self-test failed.
#[pyfunction]
#[pyo3(signature = (objects, policy = None, old = None))]
pub(crate) fn audit(
    py: Python<'_>,
    objects: &Bound<'_, PyAny>,
    policy: Option<&Bound<'_, Policy>>,
    old: Option<&Bound<'_, PyAny>>,
) -> Result<AuditReport, Error> {
    let new = manifest_text(objects, "objects")?;
    let old = old.map(|o| manifest_text(o, "old")).transpose()?;
    let policy = policy_or_default(policy);
    let inner = py.detach(|| -> Result<_, fips_core::Error> {
        let new = fips_core::read_objects(&new)?;
        match old {
            Some(old) => fips_core::audit_update(&fips_core::read_objects(&old)?, &new, policy),
            None => fips_core::audit(&new, policy),
        }
    })?;
    Ok(AuditReport { inner })
}

/// The objects as manifest text: text as given, dicts as a JSON stream (one object after
/// another, as kubectl reads them), which fips-core's one manifest reader then reads.
fn manifest_text(value: &Bound<'_, PyAny>, name: &str) -> Result<String, Error> {
    let py = value.py();
    if let Ok(text) = value.cast::<PyString>() {
        return Ok(text.to_cow()?.into_owned());
    }
    static DUMPS: PyOnceLock<Py<PyAny>> = PyOnceLock::new();
    let dumps = DUMPS.import(py, "json", "dumps")?;
    let expected = |what: String| {
        PyTypeError::new_err(format!(
            "{name}: expected YAML or JSON text, a dict or an iterable of dicts, got {what}"
        ))
    };
    // NaN and Infinity are not JSON: Python's ValueError names them.
    let no_nan = [(intern!(py, "allow_nan"), false)].into_py_dict(py)?;
    let to_json = |object: &Bound<'_, PyAny>| -> PyResult<String> {
        dumps.call((object,), Some(&no_nan))?.extract()
    };
    if value.is_instance_of::<PyDict>() {
        return Ok(to_json(value)?);
    }
    let items = value.try_iter().map_err(|_| expected(type_name(value)))?;
    let mut text = String::new();
    for (i, item) in items.enumerate() {
        let item = item?;
        if !item.is_instance_of::<PyDict>() {
            return Err(expected(format!("{} at {name}[{i}]", type_name(&item))).into());
        }
        text.push_str(&to_json(&item)?);
        text.push('\n');
    }
    Ok(text)
}

fn type_name(value: &Bound<'_, PyAny>) -> String {
    value
        .get_type()
        .name()
        .map(|n| n.to_string())
        .unwrap_or_else(|_| "?".to_owned())
}

/// The verdict on a set of objects: one `ClusterReport` per cluster they make up.
/// `bool(report)` is `report.compliant`.
#[pyclass(frozen, eq, module = "fips_policy")]
#[derive(PartialEq)]
pub(crate) struct AuditReport {
    inner: fips_core::AuditReport,
}
record!(AuditReport, fips_core::AuditReport);

#[pymethods]
impl AuditReport {
    /// True when there is at least one cluster and every cluster is compliant.
    #[getter]
    fn compliant(&self) -> bool {
        self.inner.compliant
    }

    /// One report per cluster, in the order the objects name them.
    #[getter]
    fn clusters(&self) -> Vec<ClusterReport> {
        wrap_all(&self.inner.clusters)
    }

    /// How many objects did not matter to FIPS (ConfigMaps, Secrets, ...).
    #[getter]
    fn ignored(&self) -> usize {
        self.inner.ignored
    }

    /// Every cluster's findings' codes, in order.
    fn codes(&self) -> Vec<&'static str> {
        self.inner.codes().into_iter().map(|c| c.as_str()).collect()
    }

    /// `{"compliant", "clusters": [...], "ignored"}`, as `fipsctl audit --json` prints it.
    fn to_dict<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyAny>> {
        to_py(py, &self.inner)
    }

    fn __bool__(&self) -> bool {
        self.inner.compliant
    }

    fn __repr__(slf: &Bound<'_, Self>) -> PyResult<String> {
        repr(
            slf.as_any(),
            "AuditReport",
            &["compliant", "clusters", "ignored"],
        )
    }

    fn __reduce__<'py>(
        &self,
        py: Python<'py>,
    ) -> PyResult<(Bound<'py, PyAny>, (&'static str, String))> {
        reduce(py, self)
    }
}

/// The verdict on one cluster's objects. `bool(report)` is `report.compliant`.
#[pyclass(frozen, eq, module = "fips_policy")]
#[derive(PartialEq)]
pub(crate) struct ClusterReport {
    inner: fips_core::ClusterReport,
}
record!(ClusterReport, fips_core::ClusterReport);

#[pymethods]
impl ClusterReport {
    /// The cluster's namespace, when its objects have one.
    #[getter]
    fn namespace(&self) -> Option<&str> {
        self.inner.namespace.as_deref()
    }

    /// The cluster's name.
    #[getter]
    fn name(&self) -> &str {
        &self.inner.name
    }

    /// True when no finding is an error.
    #[getter]
    fn compliant(&self) -> bool {
        self.inner.compliant
    }

    /// The objects that make up the cluster.
    #[getter]
    fn objects(&self) -> Vec<ObjectRef> {
        wrap_all(&self.inner.objects)
    }

    /// What is wrong, each naming its object and field.
    #[getter]
    fn findings(&self) -> Vec<ObjectFinding> {
        wrap_all(&self.inner.findings)
    }

    /// The codes of `findings`, in order.
    fn codes(&self) -> Vec<&'static str> {
        let findings = self.inner.findings.iter();
        findings.map(|f| f.finding.code.as_str()).collect()
    }

    /// `{"namespace"?, "name", "compliant", "objects": [...], "findings": [...]}`.
    fn to_dict<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyAny>> {
        to_py(py, &self.inner)
    }

    fn __bool__(&self) -> bool {
        self.inner.compliant
    }

    fn __repr__(slf: &Bound<'_, Self>) -> PyResult<String> {
        let fields = ["namespace", "name", "compliant", "objects", "findings"];
        repr(slf.as_any(), "ClusterReport", &fields)
    }

    fn __reduce__<'py>(
        &self,
        py: Python<'py>,
    ) -> PyResult<(Bound<'py, PyAny>, (&'static str, String))> {
        reduce(py, self)
    }
}

/// A finding about an object: the `Finding` fields, with `field` a JSONPath of `object`
/// and `remediation` the value to set there.
#[pyclass(frozen, eq, module = "fips_policy")]
#[derive(PartialEq)]
pub(crate) struct ObjectFinding {
    inner: fips_core::ObjectFinding,
}
record!(ObjectFinding, fips_core::ObjectFinding);

#[pymethods]
impl ObjectFinding {
    /// The stable code (see `Code`).
    #[getter]
    fn code(&self) -> &'static str {
        self.inner.finding.code.as_str()
    }

    /// Only `Severity.ERROR` makes the verdict negative.
    #[getter]
    fn severity(&self) -> Severity {
        Severity::from_core(self.inner.finding.severity)
    }

    /// The field, as a JSONPath of `object` (e.g. `spec.version`).
    #[getter]
    fn field(&self) -> &str {
        &self.inner.finding.field
    }

    /// What was found.
    #[getter]
    fn message(&self) -> &str {
        &self.inner.finding.message
    }

    /// The value to set at `field`.
    #[getter]
    fn remediation(&self) -> &str {
        &self.inner.finding.remediation
    }

    /// The object it concerns; `None` for a finding about the cluster as a whole.
    #[getter]
    fn object(&self) -> Option<ObjectRef> {
        self.inner.object.clone().map(|inner| ObjectRef { inner })
    }

    /// The same finding without its object.
    #[getter]
    fn finding(&self) -> Finding {
        Finding {
            inner: self.inner.finding.clone(),
        }
    }

    /// `{"code", "severity", "field", "message", "remediation", "object"?}`.
    fn to_dict<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyAny>> {
        to_py(py, &self.inner)
    }

    fn __repr__(slf: &Bound<'_, Self>) -> PyResult<String> {
        let fields = [
            "code",
            "severity",
            "object",
            "field",
            "message",
            "remediation",
        ];
        repr(slf.as_any(), "ObjectFinding", &fields)
    }

    fn __reduce__<'py>(
        &self,
        py: Python<'py>,
    ) -> PyResult<(Bound<'py, PyAny>, (&'static str, String))> {
        reduce(py, self)
    }
}

/// Which Kubernetes object: `apiVersion`, `kind`, `namespace`, `name`.
#[pyclass(frozen, eq, hash, module = "fips_policy")]
#[derive(PartialEq, Eq, Hash)]
pub(crate) struct ObjectRef {
    inner: fips_core::ObjectRef,
}
record!(ObjectRef, fips_core::ObjectRef);

#[pymethods]
impl ObjectRef {
    /// `apiVersion`, e.g. `controlplane.cluster.x-k8s.io/v1beta1`.
    #[getter]
    fn api_version(&self) -> &str {
        &self.inner.api_version
    }

    /// `kind`, e.g. `KubeadmControlPlane`.
    #[getter]
    fn kind(&self) -> &str {
        &self.inner.kind
    }

    /// `metadata.namespace`, when the object has one.
    #[getter]
    fn namespace(&self) -> Option<&str> {
        self.inner.namespace.as_deref()
    }

    /// `metadata.name` (empty for a kubeadm `ClusterConfiguration`).
    #[getter]
    fn name(&self) -> &str {
        &self.inner.name
    }

    /// `{"apiVersion", "kind", "namespace"?, "name"}`.
    fn to_dict<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyAny>> {
        to_py(py, &self.inner)
    }

    fn __str__(&self) -> String {
        self.inner.to_string()
    }

    fn __repr__(slf: &Bound<'_, Self>) -> PyResult<String> {
        repr(
            slf.as_any(),
            "ObjectRef",
            &["api_version", "kind", "namespace", "name"],
        )
    }

    fn __reduce__<'py>(
        &self,
        py: Python<'py>,
    ) -> PyResult<(Bound<'py, PyAny>, (&'static str, String))> {
        reduce(py, self)
    }
}
