//! Which images a create-cluster request makes the provisioner pull, with their tags:
//! exactly `kubeadm config images list` for the request's ClusterConfiguration.
//!
//! kubeadm (`cmd/kubeadm/app/images/images.go`, releases 1.21 to 1.26, the order
//! `GetControlPlaneImages` lists them in) pulls `kube-apiserver`, `kube-controller-manager`,
//! `kube-scheduler` and `kube-proxy` from the Kubernetes image repository with the Kubernetes
//! tag; `pause` from the same repository (`GetPauseImage`); `etcd` from the etcd repository,
//! which falls back to the Kubernetes one (`GetEtcdImage`); and CoreDNS from the Kubernetes
//! repository too (`GetDNSImage`; only `dns.imageRepository` overrides it, which no
//! create-cluster flag sets), under the path `coredns/coredns` only at kubeadm's default
//! registry and `coredns` elsewhere. Without a repository flag kubeadm uses its default,
//! `registry.k8s.io`. The tags of pause, CoreDNS and a default etcd are fixed per Kubernetes
//! release by kubeadm's constants (`KUBEADM_TAGS` below, with its source).

use serde::{Deserialize, Serialize};

use crate::{
    ClusterRequest, Code, Component, Finding, FipsVersion, ImageRef, ImageRepository, Policy,
    ScanReport, Severity, UPSTREAM_REPOSITORY,
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

/// The tags kubeadm's constants (`cmd/kubeadm/app/constants/constants.go`: `PauseVersion`,
/// `CoreDNSVersion`, `SupportedEtcdVersion`) fix for a range of Kubernetes patch releases,
/// as `kubeadm config images list` prints them for each release (collected release by
/// release in kubernetes/minikube `pkg/minikube/constants/constants_kubeadm_images.go`).
/// The releases of the vendor's FIPS builds (1.21 to 1.23); for any other release the tags
/// are not guessed.
struct KubeadmTags {
    minor: u64,
    patches: std::ops::RangeInclusive<u64>,
    pause: &'static str,
    coredns: &'static str,
    etcd: &'static str,
}

/// See [`KubeadmTags`]; one row per run of patch releases whose tags agree.
#[rustfmt::skip]
const KUBEADM_TAGS: [KubeadmTags; 6] = [
    KubeadmTags { minor: 21, patches: 0..=14, pause: "3.4.1", coredns: "v1.8.0", etcd: "3.4.13-0" },
    KubeadmTags { minor: 22, patches: 0..=16, pause: "3.5", coredns: "v1.8.4", etcd: "3.5.0-0" },
    KubeadmTags { minor: 22, patches: 17..=17, pause: "3.5", coredns: "v1.8.4", etcd: "3.5.6-0" },
    KubeadmTags { minor: 23, patches: 0..=13, pause: "3.6", coredns: "v1.8.6", etcd: "3.5.1-0" },
    KubeadmTags { minor: 23, patches: 14..=14, pause: "3.6", coredns: "v1.8.6", etcd: "3.5.5-0" },
    KubeadmTags { minor: 23, patches: 15..=17, pause: "3.6", coredns: "v1.8.6", etcd: "3.5.6-0" },
];

/// kubeadm's tags for a Kubernetes release: a FIPS build of a release is that release
/// (its kubeadm carries the same constants); a pre-release or an unlisted release has none.
fn kubeadm_tags(kubernetes: &FipsVersion) -> Option<&'static KubeadmTags> {
    let v = kubernetes.semver();
    if v.major != 1 || !v.pre.is_empty() {
        return None;
    }
    KUBEADM_TAGS
        .iter()
        .find(|t| t.minor == v.minor && t.patches.contains(&v.patch))
}

impl PulledImage {
    /// Completes the verdict on a scan of this image. An image pulled for a component the
    /// policy names (`kube-apiserver`, `etcd`) must hold a judged binary of that name; one
    /// that holds only other files (a FIPS `hello` pushed under the `kube-apiserver` tag)
    /// says nothing about the component, so it gets `FIPS-SCAN-IMAGE-COMPONENT-MISSING`, an
    /// error. Images of no component (`pause`, `coredns`) are judged by their files alone.
    ///
    /// ```
    /// use fips_core::{pulled_images, ClusterRequest, Code, Policy, ScanReport};
    /// let request = ClusterRequest::from_args([
    ///     "--kubernetes-version=1.22.8+fips.0", "--kubernetes-image-repository=docker.io/mesosphere",
    /// ])?;
    /// let apiserver = &pulled_images(&request)[0];
    /// assert_eq!(apiserver.name, "kube-apiserver");
    /// let mut report = ScanReport { results: vec![], findings: vec![], compliant: true };
    /// apiserver.check_scan(Policy::embedded(), &mut report);
    /// assert!(!report.compliant);
    /// assert_eq!(report.findings[0].code, Code::ScanImageComponentMissing);
    /// # Ok::<(), fips_core::Error>(())
    /// ```
    pub fn check_scan(&self, policy: &Policy, report: &mut ScanReport) {
        if !policy.scan.components.contains(&self.name) {
            return;
        }
        let holds_component = report
            .results
            .iter()
            .any(|r| r.component && r.path.rsplit('/').next() == Some(self.name.as_str()));
        if holds_component {
            return;
        }
        report.findings.push(Finding::new(
            Code::ScanImageComponentMissing,
            Severity::Error,
            "image",
            format!(
                "{} is pulled for {}, but holds no binary named {}: its other files say nothing \
                 about the component",
                self.image, self.name, self.name
            ),
            format!(
                "push the FIPS build of {} as {}, or point the policy's mirror at the registry \
                 that holds it",
                self.name, self.image
            ),
        ));
        report.compliant = false;
    }
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
/// let images: Vec<String> = pulled_images(&request).iter().map(|p| p.image.to_string()).collect();
/// assert_eq!(images, [
///     "docker.io/mesosphere/kube-apiserver:v1.22.8_fips.0",
///     "docker.io/mesosphere/kube-controller-manager:v1.22.8_fips.0",
///     "docker.io/mesosphere/kube-scheduler:v1.22.8_fips.0",
///     "docker.io/mesosphere/kube-proxy:v1.22.8_fips.0",
///     "docker.io/mesosphere/pause:3.5",
///     "docker.io/mesosphere/etcd:v3.4.13_fips.0",
///     "docker.io/mesosphere/coredns:v1.8.4",
/// ]);
/// # Ok::<(), fips_core::RequestError>(())
/// ```
pub fn pulled_images(request: &ClusterRequest) -> Vec<PulledImage> {
    Policy::embedded().pulled_images(request)
}

impl Policy {
    /// The images a request pulls, in kubeadm's order. An image is labelled `fips` only
    /// when both its repository (itself, or as a declared mirror) and its tag are those of
    /// a FIPS build this policy lists: a FIPS-looking tag from any other repository is not
    /// the vendor's build. Pause and CoreDNS are never FIPS rebuilds.
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
        let default = ImageRepository {
            registry: UPSTREAM_REPOSITORY.into(),
            path: String::new(),
        };
        let k8s_repo = request
            .kubernetes_image_repository
            .as_ref()
            .unwrap_or(&default);
        let etcd_repo = request.etcd_image_repository.as_ref().unwrap_or(k8s_repo);
        let kubernetes = request.kubernetes_version.as_ref();
        let tags = kubernetes.and_then(kubeadm_tags);
        let mut images: Vec<PulledImage> = KUBERNETES_IMAGES
            .iter()
            .map(|name| self.image(name, k8s_repo, kubernetes, Component::Kubernetes))
            .collect();
        images.push(not_rebuilt(
            "pause",
            k8s_repo,
            "pause",
            tags.map(|t| t.pause),
            kubernetes,
            "kubeadm pulls it from the cluster's image repository (GetPauseImage)",
        ));
        images.push(match (&request.etcd_version, tags) {
            (Some(etcd), _) => self.image("etcd", etcd_repo, Some(etcd), Component::Etcd),
            (None, Some(t)) => not_rebuilt(
                "etcd",
                etcd_repo,
                "etcd",
                Some(t.etcd),
                kubernetes,
                "no --etcd-version given, so kubeadm runs its own etcd for this Kubernetes \
                 release (GetEtcdImageTag)",
            ),
            (None, None) => self.image("etcd", etcd_repo, None, Component::Etcd),
        });
        let dns_path = if *k8s_repo == default {
            "coredns/coredns"
        } else {
            "coredns"
        };
        images.push(not_rebuilt(
            "coredns",
            k8s_repo,
            dns_path,
            tags.map(|t| t.coredns),
            kubernetes,
            "kubeadm pulls it from the cluster's image repository unless dns.imageRepository \
             overrides it (GetDNSImage)",
        ));
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
            (Some(Ok(_)), Some(v)) if self.marks_fips(v) && !from_fips_repository => {
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
        PulledImage {
            name: name.into(),
            image: image_ref(repository, name, tag.and_then(Result::ok).map(String::from)),
            fips: from_fips_repository && version.is_some_and(FipsVersion::is_fips),
            note,
        }
    }
}

/// An image kubeadm pulls at a tag of its own constants: never a FIPS rebuild.
fn not_rebuilt(
    name: &str,
    repository: &ImageRepository,
    path: &str,
    tag: Option<&str>,
    kubernetes: Option<&FipsVersion>,
    why: &str,
) -> PulledImage {
    let note = match (tag, kubernetes) {
        (Some(_), _) => format!("not rebuilt for FIPS: {why}"),
        (None, Some(v)) => format!(
            "not rebuilt for FIPS: {why}; its tag for Kubernetes {v} is not in fips's table of \
             kubeadm's constants (1.21.0 to 1.23.17), so none is given"
        ),
        (None, None) => format!(
            "not rebuilt for FIPS: {why}; its tag follows the Kubernetes release, which was not \
             given"
        ),
    };
    PulledImage {
        name: name.into(),
        image: image_ref(repository, path, tag.map(str::to_owned)),
        fips: false,
        note: Some(note),
    }
}

/// `<repository>/<path>:<tag>`, as kubeadm's `GetGenericImage` joins them.
fn image_ref(repository: &ImageRepository, path: &str, tag: Option<String>) -> ImageRef {
    ImageRef {
        registry: repository.registry.clone(),
        repository: if repository.path.is_empty() {
            path.to_owned()
        } else {
            format!("{}/{path}", repository.path)
        },
        tag,
        digest: None,
    }
}
