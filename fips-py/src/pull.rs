//! `pulled_images()`: the images a request makes the provisioner pull (fips-core's `pull`).

use pyo3::prelude::*;

use crate::{
    convert::{policy_or_default, to_py},
    image::ImageRef,
    policy::Policy,
    record::{record, reduce, repr, wrap_all},
    request::ClusterRequest,
};

/// The images `request` pulls, in kubeadm's order, each labelled FIPS only when its
/// repository and tag are those of a FIPS build `policy` (the embedded default when
/// `None`) lists.
#[pyfunction]
#[pyo3(signature = (request, policy = None))]
pub(crate) fn pulled_images(
    request: &Bound<'_, ClusterRequest>,
    policy: Option<&Bound<'_, Policy>>,
) -> Vec<PulledImage> {
    let images = policy_or_default(policy).pulled_images(&request.get().inner);
    wrap_all(&images)
}

/// One image the provisioner would pull.
#[pyclass(frozen, eq, module = "fips_policy")]
#[derive(PartialEq)]
pub(crate) struct PulledImage {
    inner: fips_core::PulledImage,
}
record!(PulledImage, fips_core::PulledImage);

#[pymethods]
impl PulledImage {
    /// The image's name, e.g. `kube-apiserver`.
    #[getter]
    fn name(&self) -> &str {
        &self.inner.name
    }

    /// The full reference; no tag when the version was not given (the provisioner's default).
    #[getter]
    fn image(&self) -> ImageRef {
        ImageRef::from_core(self.inner.image.clone())
    }

    /// True when the repository and the tag are those of a FIPS build the policy lists.
    #[getter]
    fn fips(&self) -> bool {
        self.inner.fips
    }

    /// What the reference rests on, when it is not simply the request.
    #[getter]
    fn note(&self) -> Option<&str> {
        self.inner.note.as_deref()
    }

    /// `{"name", "image", "fips", "note"?}`.
    fn to_dict<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyAny>> {
        to_py(py, &self.inner)
    }

    fn __repr__(slf: &Bound<'_, Self>) -> PyResult<String> {
        repr(
            slf.as_any(),
            "PulledImage",
            &["name", "image", "fips", "note"],
        )
    }

    fn __reduce__<'py>(
        &self,
        py: Python<'py>,
    ) -> PyResult<(Bound<'py, PyAny>, (&'static str, String))> {
        reduce(py, self)
    }
}
