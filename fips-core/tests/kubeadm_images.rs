//! Issue 13, item 5: the image list of a request is exactly `kubeadm config images list` for
//! the ClusterConfiguration the request makes.
//!
//! Expected lists come from kubeadm's source: `cmd/kubeadm/app/images/images.go`
//! (`GetControlPlaneImages` order in releases 1.21 to 1.26: the four Kubernetes images,
//! pause, etcd, CoreDNS; `GetPauseImage` and `GetDNSImage` use `imageRepository`; the
//! `coredns/coredns` path only at the default registry) and the constants of each release
//! (`cmd/kubeadm/app/constants/constants.go`: v1.22.8 has `PauseVersion = "3.5"`,
//! `CoreDNSVersion = "v1.8.4"`, etcd `3.5.0-0`; v1.21.6 has 3.4.1, v1.8.0, 3.4.13-0; v1.23.7
//! has 3.6, v1.8.6, 3.5.1-0), as collected release by release in kubernetes/minikube
//! `pkg/minikube/constants/constants_kubeadm_images.go`.

use fips_core::{pulled_images, ClusterRequest};

fn list(args: &[&str]) -> Vec<String> {
    pulled_images(&ClusterRequest::from_args(args).unwrap())
        .iter()
        .map(|p| p.image.to_string())
        .collect()
}

/// The product documentation's example command: imageRepository docker.io/mesosphere,
/// etcd.local.imageRepository docker.io/mesosphere, etcd.local.imageTag v3.4.13_fips.0.
#[test]
fn documented_example_is_kubeadms_list() {
    assert_eq!(
        list(&[
            "dkp",
            "create",
            "cluster",
            "aws",
            "--cluster-name",
            "myFipsCluster",
            "--ami=ami-03dcaa75d45aca36f",
            "--kubernetes-version=1.22.8+fips.0",
            "--kubernetes-image-repository=docker.io/mesosphere",
            "--etcd-image-repository=docker.io/mesosphere",
            "--etcd-version=3.4.13+fips.0",
        ]),
        [
            "docker.io/mesosphere/kube-apiserver:v1.22.8_fips.0",
            "docker.io/mesosphere/kube-controller-manager:v1.22.8_fips.0",
            "docker.io/mesosphere/kube-scheduler:v1.22.8_fips.0",
            "docker.io/mesosphere/kube-proxy:v1.22.8_fips.0",
            "docker.io/mesosphere/pause:3.5",
            "docker.io/mesosphere/etcd:v3.4.13_fips.0",
            "docker.io/mesosphere/coredns:v1.8.4",
        ]
    );
}

/// No repository flag: kubeadm's default registry, where CoreDNS sits at coredns/coredns.
#[test]
fn default_registry_keeps_the_coredns_path() {
    assert_eq!(
        list(&["--kubernetes-version=1.23.7"]),
        [
            "registry.k8s.io/kube-apiserver:v1.23.7",
            "registry.k8s.io/kube-controller-manager:v1.23.7",
            "registry.k8s.io/kube-scheduler:v1.23.7",
            "registry.k8s.io/kube-proxy:v1.23.7",
            "registry.k8s.io/pause:3.6",
            "registry.k8s.io/etcd:3.5.1-0",
            "registry.k8s.io/coredns/coredns:v1.8.6",
        ]
    );
}

/// etcd.local.imageRepository falls back to imageRepository; without etcd.local.imageTag
/// kubeadm runs its own etcd for the release.
#[test]
fn etcd_falls_back_to_the_kubernetes_repository_and_kubeadms_tag() {
    let images = list(&[
        "--kubernetes-version=1.21.6+fips.0",
        "--kubernetes-image-repository=registry.local/mesosphere",
    ]);
    assert_eq!(
        images[4..],
        [
            "registry.local/mesosphere/pause:3.4.1",
            "registry.local/mesosphere/etcd:3.4.13-0",
            "registry.local/mesosphere/coredns:v1.8.0",
        ]
    );
    let explicit = list(&[
        "--kubernetes-version=1.21.6+fips.0",
        "--kubernetes-image-repository=registry.local/mesosphere",
        "--etcd-image-repository=registry.local/etcd",
    ]);
    assert_eq!(explicit[5], "registry.local/etcd/etcd:3.4.13-0");
}

/// A release outside the table gets no invented tag, and says so.
#[test]
fn unknown_release_gets_no_guessed_tag() {
    let request = ClusterRequest::from_args(["--kubernetes-version=1.30.2"]).unwrap();
    let images = pulled_images(&request);
    let pause = images.iter().find(|p| p.name == "pause").unwrap();
    assert_eq!(pause.image.to_string(), "registry.k8s.io/pause");
    assert!(
        pause
            .note
            .as_deref()
            .unwrap()
            .contains("its tag for Kubernetes 1.30.2 is not in fips's table"),
        "{pause:?}"
    );
    let none = pulled_images(&ClusterRequest::default());
    assert!(none.iter().all(|p| p.image.tag.is_none()), "{none:?}");
}
