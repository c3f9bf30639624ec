//! Which images a create-cluster request makes the provisioner pull, with their tags.
//!
//! kubeadm pulls `kube-apiserver`, `kube-controller-manager`, `kube-scheduler` and
//! `kube-proxy` from the Kubernetes image repository with the Kubernetes tag, and `etcd`
//! from the etcd repository with the etcd tag; both default to kubeadm's upstream registry.
//! CoreDNS and pause are not rebuilt for FIPS and keep their upstream registry.

use serde::{Deserialize, Serialize};

use crate::{
    ClusterRequest, Component, FipsVersion, ImageRef, ImageRepository, UPSTREAM_REPOSITORY,
};

/// The control-plane and node images that carry the Kubernetes tag.
const KUBERNETES_IMAGES: [&str; 4] = [
    "kube-apiserver",
    "kube-controller-manager",
    "kube-scheduler",
    "kube-proxy",
];

/// One image the provisioner would pull.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PulledImage {
    /// The image's name, e.g. `kube-apiserver`.
    pub name: String,
    /// The full reference; no tag when the version was not given (the provisioner's default).
    pub image: ImageRef,
    /// True when the tag is a FIPS build's.
    pub fips: bool,
    /// What the reference rests on, when it is not simply the request.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub note: Option<String>,
}

/// The images a request pulls, in kubeadm's order.
///
/// ```
/// use fips_core::{pulled_images, ClusterRequest};
/// let request = ClusterRequest::from_args([
///     "--kubernetes-version=1.22.8+fips.0", "--kubernetes-image-repository=docker.io/mesosphere",
///     "--etcd-version=3.4.13+fips.0", "--etcd-image-repository=docker.io/mesosphere",
/// ])?;
/// let images = pulled_images(&request);
/// assert_eq!(images[0].image.to_string(), "docker.io/mesosphere/kube-apiserver:v1.22.8_fips.0");
/// assert_eq!(images[4].image.to_string(), "docker.io/mesosphere/etcd:v3.4.13_fips.0");
/// assert!(!images[5].fips); // CoreDNS keeps its upstream registry
/// # Ok::<(), fips_core::RequestError>(())
/// ```
pub fn pulled_images(request: &ClusterRequest) -> Vec<PulledImage> {
    let upstream = ImageRepository {
        registry: UPSTREAM_REPOSITORY.into(),
        path: String::new(),
    };
    let k8s_repo = request
        .kubernetes_image_repository
        .as_ref()
        .unwrap_or(&upstream);
    let etcd_repo = request.etcd_image_repository.as_ref().unwrap_or(&upstream);
    let mut images: Vec<PulledImage> = KUBERNETES_IMAGES
        .iter()
        .map(|name| {
            image(
                name,
                k8s_repo,
                request.kubernetes_version.as_ref(),
                Component::Kubernetes,
            )
        })
        .collect();
    images.push(image(
        "etcd",
        etcd_repo,
        request.etcd_version.as_ref(),
        Component::Etcd,
    ));
    for (name, path) in [("coredns", "coredns/coredns"), ("pause", "pause")] {
        images.push(PulledImage {
            name: name.into(),
            image: ImageRef {
                registry: UPSTREAM_REPOSITORY.into(),
                repository: path.into(),
                tag: None,
                digest: None,
            },
            fips: false,
            note: Some("not rebuilt for FIPS: keeps its upstream registry; its tag follows the Kubernetes release".into()),
        });
    }
    images
}

fn image(
    name: &str,
    repository: &ImageRepository,
    version: Option<&FipsVersion>,
    component: Component,
) -> PulledImage {
    let tag = version.map(|v| v.to_tag(component));
    let note = match (&tag, version) {
        (None, _) => Some(format!(
            "no --{component}-version given: the provisioner's default tag"
        )),
        (Some(Err(e)), _) => Some(e.to_string()),
        _ => None,
    };
    let path = if repository.path.is_empty() {
        name.to_owned()
    } else {
        format!("{}/{name}", repository.path)
    };
    PulledImage {
        name: name.into(),
        image: ImageRef {
            registry: repository.registry.clone(),
            repository: path,
            tag: tag.and_then(Result::ok),
            digest: None,
        },
        fips: version.is_some_and(FipsVersion::is_fips),
        note,
    }
}
