//! Which images a create-cluster request makes the provisioner pull, with their tags.
//!
//! kubeadm pulls `kube-apiserver`, `kube-controller-manager`, `kube-scheduler` and
//! `kube-proxy` from the Kubernetes image repository with the Kubernetes tag, and `etcd`
//! from the etcd repository with the etcd tag; both default to kubeadm's upstream registry.
//! CoreDNS and pause are not rebuilt for FIPS and keep their upstream registry.

use serde::{Deserialize, Serialize};

use crate::{
    ClusterRequest, Component, FipsVersion, ImageRef, ImageRepository, Policy,
    UPSTREAM_REPOSITORY,
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
    /// True when the repository (itself or as a declared mirror) and the tag are those of a
    /// FIPS build the policy lists.
    pub fips: bool,
    /// What the reference rests on, when it is not simply the request.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub note: Option<String>,
}

/// The images a request pulls, in kubeadm's order, labelled against the embedded policy:
/// the same as [`Policy::pulled_images`] on [`Policy::embedded`].
///
/// ```
/// use fips_core::{pulled_images, ClusterRequest};
/// let request = ClusterRequest::from_args([
///     "--kubernetes-version=1.22.8+fips.0", "--kubernetes-image-repository=docker.io/mesosphere",
///     "--etcd-version=3.4.13+fips.0", "--etcd-image-repository=docker.io/mesosphere",
/// ])?;
/// let images = pulled_images(&request);
/// assert_eq!(images[0].image.to_string(), "docker.io/mesosphere/kube-apiserver:v1.22.8_fips.0");
/// assert!(images[0].fips);
/// assert_eq!(images[4].image.to_string(), "docker.io/mesosphere/etcd:v3.4.13_fips.0");
/// assert!(!images[5].fips); // CoreDNS is not rebuilt for FIPS
/// # Ok::<(), fips_core::RequestError>(())
/// ```
pub fn pulled_images(request: &ClusterRequest) -> Vec<PulledImage> {
    Policy::embedded().pulled_images(request)
}

impl Policy {
    /// The images a request pulls, in kubeadm's order. An image is labelled `fips` only
    /// when both its repository (itself, or as a declared mirror) and its tag are those of
    /// a FIPS build this policy lists: a FIPS-looking tag from any other repository is not
    /// the vendor's build.
    ///
    /// ```
    /// use fips_core::{ClusterRequest, Policy};
    /// let request = ClusterRequest::from_args([
    ///     "--kubernetes-version=1.22.8+fips.0", "--kubernetes-image-repository=evil.example.com/x",
    /// ])?;
    /// let images = Policy::embedded().pulled_images(&request);
    /// assert_eq!(images[0].image.to_string(), "evil.example.com/x/kube-apiserver:v1.22.8_fips.0");
    /// assert!(!images[0].fips);
    /// # Ok::<(), fips_core::Error>(())
    /// ```
    pub fn pulled_images(&self, request: &ClusterRequest) -> Vec<PulledImage> {
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
                self.image(
                    name,
                    k8s_repo,
                    request.kubernetes_version.as_ref(),
                    Component::Kubernetes,
                )
            })
            .collect();
        images.push(self.image(
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
        &self,
        name: &str,
        repository: &ImageRepository,
        version: Option<&FipsVersion>,
        component: Component,
    ) -> PulledImage {
        let tag = version.map(|v| v.to_tag(component));
        let fips_repositories: Vec<&ImageRepository> = self
            .builds
            .iter()
            .map(|b| match component {
                Component::Kubernetes => &b.kubernetes,
                Component::Etcd => &b.etcd,
            })
            .filter(|c| version == Some(&c.version))
            .map(|c| &c.repository)
            .collect();
        let from_fips_repository = fips_repositories.contains(&self.resolve_mirror(repository));
        let note = match (&tag, version) {
            (None, _) => Some(format!(
                "no --{component}-version given: the provisioner's default tag"
            )),
            (Some(Err(e)), _) => Some(e.to_string()),
            (Some(Ok(_)), Some(v)) if v.is_fips() && !from_fips_repository => {
                Some(match fips_repositories.first() {
                    Some(fips) => format!(
                        "not the FIPS build: {v} is served from {fips}{}, not from {repository}",
                        if self.mirrors.is_empty() {
                            ""
                        } else {
                            " or a declared mirror of it"
                        }
                    ),
                    None => format!("not the FIPS build: the policy lists no {component} {v}"),
                })
            }
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
            fips: from_fips_repository && version.is_some_and(FipsVersion::is_fips),
            note,
        }
    }
}
