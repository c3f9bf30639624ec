//! Issue 12, item 18: an image is labelled FIPS by its repository and its tag against the
//! policy (and the policy's mirrors), never by its tag alone.

use fips_core::{pulled_images, ClusterRequest, Policy, PulledImage};

fn request(repository: &str, version: &str) -> ClusterRequest {
    ClusterRequest::from_args([
        format!("--kubernetes-version={version}"),
        format!("--kubernetes-image-repository={repository}"),
        "--etcd-version=3.4.13+fips.0".into(),
        format!("--etcd-image-repository={repository}"),
    ])
    .unwrap()
}

/// The images of the four Kubernetes components and etcd, the ones a FIPS build replaces.
fn rebuilt(images: Vec<PulledImage>) -> Vec<PulledImage> {
    images
        .into_iter()
        .filter(|p| !matches!(p.name.as_str(), "pause" | "coredns"))
        .collect()
}

fn labels(policy: &Policy, request: &ClusterRequest) -> Vec<(String, bool)> {
    rebuilt(policy.pulled_images(request))
        .into_iter()
        .map(|p| (p.image.to_string(), p.fips))
        .collect()
}

#[test]
fn pause_and_coredns_are_never_fips() {
    let images = pulled_images(&request("docker.io/mesosphere", "1.22.8+fips.0"));
    let others: Vec<&PulledImage> = images
        .iter()
        .filter(|p| matches!(p.name.as_str(), "pause" | "coredns"))
        .collect();
    assert_eq!(others.len(), 2);
    assert!(others.iter().all(|p| !p.fips), "{others:?}");
}

#[test]
fn fips_tag_from_another_repository_is_not_fips() {
    let evil = request("evil.example.com/x", "1.22.8+fips.0");
    let images = rebuilt(pulled_images(&evil));
    assert_eq!(
        images[0].image.to_string(),
        "evil.example.com/x/kube-apiserver:v1.22.8_fips.0"
    );
    assert!(images.iter().all(|p| !p.fips), "{images:?}");
    assert_eq!(
        images[0].note.as_deref(),
        Some(
            "not the FIPS build: 1.22.8+fips.0 is served from docker.io/mesosphere, not from \
             evil.example.com/x"
        )
    );
    assert_eq!(
        images[4].note.as_deref(),
        Some(
            "not the FIPS build: 3.4.13+fips.0 is served from docker.io/mesosphere, not from \
             evil.example.com/x"
        )
    );
}

#[test]
fn fips_repository_and_listed_build_is_fips() {
    for repository in [
        "docker.io/mesosphere",
        "index.docker.io/mesosphere",
        "mesosphere",
    ] {
        let images = rebuilt(pulled_images(&request(repository, "1.22.8+fips.0")));
        assert_eq!(images.len(), 5);
        assert!(images.iter().all(|p| p.fips), "{repository}: {images:?}");
        assert!(images.iter().all(|p| p.note.is_none()), "{images:?}");
    }
}

#[test]
fn unlisted_or_non_fips_build_from_the_fips_repository_is_not_fips() {
    let policy = Policy::embedded();
    let unlisted = labels(policy, &request("docker.io/mesosphere", "1.23.7+fips.0"));
    assert!(unlisted[..4].iter().all(|(_, fips)| !fips), "{unlisted:?}");
    assert!(unlisted[4].1, "etcd is still the listed FIPS build");
    let plain = labels(policy, &request("docker.io/mesosphere", "1.22.8"));
    assert!(plain[..4].iter().all(|(_, fips)| !fips), "{plain:?}");
}

#[test]
fn declared_mirror_is_fips_only_under_its_policy() {
    let mirrored = request("registry.local/mesosphere", "1.22.8+fips.0");
    assert!(pulled_images(&mirrored).iter().all(|p| !p.fips));
    let policy = Policy::from_toml_str(
        "extend_default = true\n[[mirrors]]\nmirror = \"registry.local/mesosphere\"\n\
         upstream = \"docker.io/mesosphere\"\n",
    )
    .unwrap();
    assert!(labels(&policy, &mirrored).iter().all(|(_, fips)| *fips));
    let evil = labels(&policy, &request("evil.example.com/x", "1.22.8+fips.0"));
    assert!(evil.iter().all(|(_, fips)| !fips), "{evil:?}");
}
