//! `fipsctl images --scan` and `fipsctl audit --scan` against a real registry (CNCF
//! distribution on loopback, from `scripts/registry-harness`), pointed at it by a policy
//! `[[mirrors]]` entry: every image the documented example pulls is pushed there with crane,
//! made from the real Go builds of the scan tests (BoringCrypto, standard).
//!
//! The image list is what `fipsctl images -- <documented example>` prints (kubeadm's
//! `config images list` for Kubernetes 1.22.8: the four control-plane images, pause 3.5,
//! etcd and CoreDNS v1.8.4); the layout follows the OCI image spec (image-layout.md,
//! manifest.md).

#[path = "../../tests/harness/mod.rs"]
mod harness;

use std::{
    path::{Path, PathBuf},
    process::{Command, Output},
};

use harness::{
    registry::{Auth, Registry},
    server::top,
};
use serde_json::{json, Value};

/// The documented example request (README.md).
const EXAMPLE: [&str; 10] = [
    "dkp",
    "create",
    "cluster",
    "aws",
    "--cluster-name=myFipsCluster",
    "--ami=ami-03dcaa75d45aca36f",
    "--kubernetes-version=1.22.8+fips.0",
    "--kubernetes-image-repository=docker.io/mesosphere",
    "--etcd-image-repository=docker.io/mesosphere",
    "--etcd-version=3.4.13+fips.0",
];

fn fipsctl() -> Command {
    let mut c = Command::new(env!("CARGO_BIN_EXE_fipsctl"));
    // Never the user's own registry credentials.
    c.env("DOCKER_CONFIG", work_dir("no-docker-config"));
    c
}

fn subjects() -> &'static Path {
    harness::subjects::scan_subjects()
}

fn work_dir(name: &str) -> PathBuf {
    let dir = Path::new(env!("CARGO_TARGET_TMPDIR"))
        .join(format!("images-scan-{}-{name}", std::process::id()));
    std::fs::create_dir_all(&dir).expect("work dir");
    dir
}

fn ok(out: &Output, what: &str) -> String {
    assert!(
        out.status.success(),
        "{what} failed: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8_lossy(&out.stdout).into_owned()
}

fn sha256_hex(path: &Path) -> String {
    let out = Command::new("sha256sum")
        .arg(path)
        .output()
        .expect("sha256sum");
    ok(&out, "sha256sum")
        .split_whitespace()
        .next()
        .expect("a digest")
        .to_owned()
}

fn put_blob(layout: &Path, file: &Path) -> (String, u64) {
    let hex = sha256_hex(file);
    let blobs = layout.join("blobs/sha256");
    std::fs::create_dir_all(&blobs).expect("blobs");
    std::fs::copy(file, blobs.join(&hex)).expect("copy blob");
    let size = std::fs::metadata(file).expect("blob").len();
    (format!("sha256:{hex}"), size)
}

fn put_json(layout: &Path, dir: &Path, name: &str, value: &Value) -> (String, u64) {
    let path = dir.join(name);
    std::fs::write(&path, serde_json::to_vec(value).expect("JSON")).expect("write");
    put_blob(layout, &path)
}

/// An OCI layout of one uncompressed layer holding `subject` as `usr/local/bin/NAME` for
/// every control-plane component name: one layer every image of the example can share.
fn layout(name: &str, subject: &str) -> PathBuf {
    layout_holding(
        name,
        subject,
        &[
            "kube-apiserver",
            "kube-controller-manager",
            "kube-scheduler",
            "kube-proxy",
            "etcd",
        ],
    )
}

/// An OCI layout of one uncompressed layer holding `subject` as `usr/local/bin/NAME` for
/// each name of `binaries`.
fn layout_holding(name: &str, subject: &str, binaries: &[&str]) -> PathBuf {
    let dir = work_dir(name);
    let root = dir.join("root/usr/local/bin");
    std::fs::create_dir_all(&root).expect("root");
    for binary in binaries {
        std::fs::copy(subjects().join(subject), root.join(binary)).expect("subject");
    }
    let layout = dir.join("layout");
    std::fs::create_dir_all(&layout).expect("layout");
    let plain = dir.join("layer.tar");
    let status = Command::new("tar")
        .args(["--sort=name", "--mtime=@0", "--owner=0", "--group=0"])
        .args(["--numeric-owner", "-cf"])
        .arg(&plain)
        .arg("-C")
        .arg(dir.join("root"))
        .arg(".")
        .status()
        .expect("tar runs");
    assert!(status.success(), "tar failed");
    let (layer, layer_size) = put_blob(&layout, &plain);
    let config = json!({
        "architecture": "amd64", "os": "linux", "config": {},
        "rootfs": {"type": "layers", "diff_ids": [layer]},
    });
    let (config_digest, config_size) = put_json(&layout, &dir, "config.json", &config);
    let manifest = json!({
        "schemaVersion": 2,
        "mediaType": "application/vnd.oci.image.manifest.v1+json",
        "config": {"mediaType": "application/vnd.oci.image.config.v1+json",
                   "digest": config_digest, "size": config_size},
        "layers": [{"mediaType": "application/vnd.oci.image.layer.v1.tar",
                    "digest": layer, "size": layer_size}],
    });
    let (digest, size) = put_json(&layout, &dir, "manifest.json", &manifest);
    std::fs::write(
        layout.join("index.json"),
        serde_json::to_vec(&json!({
            "schemaVersion": 2,
            "mediaType": "application/vnd.oci.image.index.v1+json",
            "manifests": [{"mediaType": "application/vnd.oci.image.manifest.v1+json",
                           "digest": digest, "size": size}],
        }))
        .expect("JSON"),
    )
    .expect("index.json");
    std::fs::write(
        layout.join("oci-layout"),
        br#"{"imageLayoutVersion":"1.0.0"}"#,
    )
    .expect("oci-layout");
    layout
}

/// The images the documented example pulls, from `fipsctl images --json`.
fn example_images() -> Vec<(String, String)> {
    let out = fipsctl()
        .args(["--json", "images", "--"])
        .args(EXAMPLE)
        .output()
        .expect("fipsctl runs");
    let images: Value = serde_json::from_str(&ok(&out, "fipsctl images")).expect("JSON");
    images
        .as_array()
        .expect("a list")
        .iter()
        .map(|p| {
            (
                p["name"].as_str().expect("name").to_owned(),
                p["image"]["reference"]
                    .as_str()
                    .expect("reference")
                    .to_owned(),
            )
        })
        .collect()
}

/// Pushes every example image under `127.0.0.1:PORT/PREFIX/mesosphere` (the standard build
/// for the names in `standard`, none for those in `missing`); returns a policy mirroring
/// that prefix for docker.io/mesosphere.
fn mirror(registry: &Registry, prefix: &str, standard: &[&str], missing: &[&str]) -> PathBuf {
    let fips = layout(&format!("{prefix}-fips"), "boringcrypto");
    let plain = layout(&format!("{prefix}-standard"), "standard");
    for (name, reference) in example_images() {
        if missing.contains(&name.as_str()) {
            continue;
        }
        let target = reference.replace(
            "docker.io/mesosphere/",
            &format!("{}/{prefix}/mesosphere/", registry.host()),
        );
        let source = if standard.contains(&name.as_str()) {
            &plain
        } else {
            &fips
        };
        ok(
            &registry.crane(&["push", source.to_str().expect("UTF-8"), &target]),
            "crane push",
        );
    }
    let policy = work_dir(prefix).join("policy.toml");
    std::fs::write(
        &policy,
        format!(
            "extend_default = true\n[[mirrors]]\nmirror = \"{}/{prefix}/mesosphere\"\nupstream = \
             \"docker.io/mesosphere\"\n",
            registry.host()
        ),
    )
    .expect("policy");
    policy
}

fn run(verb: &[&str], policy: &Path, registry: &Registry) -> (Option<i32>, Value, String) {
    let out = fipsctl()
        .arg("--json")
        .arg("--policy")
        .arg(policy)
        .args(verb)
        .args(["--scan", "--insecure-registry", registry.host()])
        .args(if verb[0] == "images" {
            &EXAMPLE[..]
        } else {
            &[]
        })
        .output()
        .expect("fipsctl runs");
    let stderr = String::from_utf8_lossy(&out.stderr).into_owned();
    let json = serde_json::from_slice(&out.stdout)
        .unwrap_or_else(|e| panic!("fipsctl printed no JSON ({e}): {stderr}"));
    (out.status.code(), json, stderr)
}

/// Per image: name, the mirror read, the digest read, compliant.
fn per_image(images: &Value) -> Vec<(String, String, String, bool)> {
    images
        .as_array()
        .unwrap_or_else(|| panic!("a list of images: {images}"))
        .iter()
        .map(|i| {
            (
                i["name"].as_str().expect("name").to_owned(),
                i["registry"]["mirror"].as_str().unwrap_or("").to_owned(),
                i["registry"]["digest"].as_str().expect("digest").to_owned(),
                i["scan"]["compliant"].as_bool().expect("compliant"),
            )
        })
        .collect()
}

#[test]
fn images_scan_reads_every_example_image_from_the_policy_mirror() {
    let Some(registry) = Registry::start(Auth::None, false) else {
        return;
    };
    let policy = mirror(&registry, "good", &[], &[]);
    let (code, report, stderr) = run(&["images"], &policy, &registry);
    assert_eq!(code, Some(0), "{report} {stderr}");
    let images = per_image(&report["images"]);
    let names: Vec<&str> = images.iter().map(|i| i.0.as_str()).collect();
    let expected: Vec<String> = example_images().into_iter().map(|(n, _)| n).collect();
    assert_eq!(names, expected);
    let mirror = format!("{}/good/mesosphere", registry.host());
    for (name, read, digest, compliant) in &images {
        assert_eq!(read, &mirror, "{name}");
        assert!(compliant, "{name}: {report}");
        // The digest read is the one the registry serves for that tag (crane digest).
        let reference = report["images"]
            .as_array()
            .expect("images")
            .iter()
            .find(|i| i["name"] == name.as_str())
            .expect("image")["registry"]["read"]
            .as_str()
            .expect("read")
            .to_owned();
        let served = ok(&registry.crane(&["digest", &reference]), "crane digest");
        assert_eq!(digest, served.trim(), "{name}");
    }
    assert_eq!(report["request"]["compliant"], true);

    // The audit of the same example's objects pulls the same images, with the same verdicts.
    let manifest = top().join("tests/kube/documented-example.yaml");
    let (code, audit, stderr) = run(
        &["audit", "-f", manifest.to_str().expect("UTF-8")],
        &policy,
        &registry,
    );
    let audited = per_image(&audit["images"][0]["images"]);
    assert_eq!(audited, images, "{stderr}");
    assert_eq!(
        code,
        Some(if audit["audit"]["compliant"] == true {
            0
        } else {
            1
        }),
        "{stderr}"
    );
}

#[test]
fn images_scan_names_the_component_swapped_for_a_standard_build() {
    let Some(registry) = Registry::start(Auth::None, false) else {
        return;
    };
    let policy = mirror(&registry, "swapped", &["kube-scheduler"], &[]);
    let (code, report, stderr) = run(&["images"], &policy, &registry);
    assert_eq!(code, Some(1), "{report} {stderr}");
    let failing: Vec<String> = per_image(&report["images"])
        .into_iter()
        .filter(|i| !i.3)
        .map(|i| i.0)
        .collect();
    assert_eq!(failing, ["kube-scheduler"]);
    assert_eq!(report["compliant"], false);

    let out = fipsctl()
        .arg("--policy")
        .arg(&policy)
        .args(["images", "--scan", "--insecure-registry", registry.host()])
        .args(EXAMPLE)
        .output()
        .expect("fipsctl runs");
    let text = String::from_utf8_lossy(&out.stdout);
    assert_eq!(out.status.code(), Some(1));
    assert!(text.contains("not compliant: kube-scheduler"), "{text}");
}

/// A FIPS binary pushed under the kube-apiserver tag, but not named kube-apiserver: the
/// image's files are all compliant, and still they say nothing about the component.
#[test]
fn an_image_without_its_components_binary_is_not_compliant() {
    let Some(registry) = Registry::start(Auth::None, false) else {
        return;
    };
    let policy = mirror(&registry, "decoy", &[], &[]);
    let decoy = layout_holding("decoy-hello", "boringcrypto", &["hello"]);
    let (_, apiserver) = example_images()
        .into_iter()
        .find(|(name, _)| name == "kube-apiserver")
        .expect("the example pulls kube-apiserver");
    let target = apiserver.replace(
        "docker.io/mesosphere/",
        &format!("{}/decoy/mesosphere/", registry.host()),
    );
    ok(
        &registry.crane(&["push", decoy.to_str().expect("UTF-8"), &target]),
        "crane push",
    );
    let (code, report, stderr) = run(&["images"], &policy, &registry);
    assert_eq!(code, Some(1), "{report} {stderr}");
    let images = report["images"].as_array().expect("images");
    let failing: Vec<&Value> = images
        .iter()
        .filter(|i| i["scan"]["compliant"] == false)
        .collect();
    assert_eq!(failing.len(), 1, "{report}");
    assert_eq!(failing[0]["name"], "kube-apiserver");
    assert_eq!(
        failing[0]["scan"]["findings"][0]["code"], "FIPS-SCAN-IMAGE-COMPONENT-MISSING",
        "{report}"
    );
    // Every file inside it is itself compliant: only the missing component refuses it.
    assert!(failing[0]["scan"]["results"]
        .as_array()
        .expect("results")
        .iter()
        .all(|r| r["compliant"] == true));
}

#[test]
fn a_mirror_lacking_an_image_is_exit_2_naming_it_without_reading_the_upstream() {
    let Some(registry) = Registry::start(Auth::None, false) else {
        return;
    };
    let policy = mirror(&registry, "lacking", &[], &["etcd"]);
    let out = fipsctl()
        .arg("--policy")
        .arg(&policy)
        .args(["images", "--scan", "--insecure-registry", registry.host()])
        .args(EXAMPLE)
        .output()
        .expect("fipsctl runs");
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(2), "{stderr}");
    assert!(
        stderr.contains(&format!(
            "{}/lacking/mesosphere/etcd:v3.4.13_fips.0",
            registry.host()
        )) && stderr.contains("not found"),
        "{stderr}"
    );
    assert!(stderr.contains("no policy mirror serves it"), "{stderr}");
}

/// A policy with `mirrors`, in that order, for docker.io/mesosphere.
fn policy_with(name: &str, mirrors: &[String]) -> PathBuf {
    let mut text = String::from("extend_default = true\n");
    for m in mirrors {
        text.push_str(&format!(
            "[[mirrors]]\nmirror = \"{m}\"\nupstream = \"docker.io/mesosphere\"\n"
        ));
    }
    let path = work_dir(name).join("policy.toml");
    std::fs::write(&path, text).expect("policy");
    path
}

#[test]
fn scan_of_the_upstream_name_reads_the_first_mirror_that_has_it_and_says_which() {
    let Some(registry) = Registry::start(Auth::None, false) else {
        return;
    };
    mirror(&registry, "order", &[], &[]);
    let host = registry.host();
    let policy = policy_with(
        "order-policy",
        &[
            format!("{host}/empty/mesosphere"),
            format!("{host}/order/mesosphere"),
        ],
    );
    let out = fipsctl()
        .arg("--json")
        .arg("--policy")
        .arg(&policy)
        .args([
            "scan",
            "docker://docker.io/mesosphere/kube-apiserver:v1.22.8_fips.0",
            "--insecure-registry",
            host,
        ])
        .output()
        .expect("fipsctl runs");
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(0), "{stderr}");
    let report: Value = serde_json::from_slice(&out.stdout).expect("JSON");
    assert_eq!(
        report["registry"]["mirror"],
        format!("{host}/order/mesosphere")
    );
    assert_eq!(
        report["registry"]["read"],
        format!("{host}/order/mesosphere/kube-apiserver:v1.22.8_fips.0")
    );
    assert_eq!(report["compliant"], true);

    // Human output names the mirror too.
    let out = fipsctl()
        .arg("--policy")
        .arg(&policy)
        .args([
            "scan",
            "docker://docker.io/mesosphere/kube-apiserver:v1.22.8_fips.0",
            "--insecure-registry",
            host,
        ])
        .output()
        .expect("fipsctl runs");
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(
        text.contains(&format!("read from mirror {host}/order/mesosphere")),
        "{text}"
    );
}

#[test]
fn a_mirror_refusing_the_credentials_is_exit_2_naming_it_never_passed_over() {
    let (Some(open), Some(locked)) = (
        Registry::start(Auth::None, false),
        Registry::start(Auth::Htpasswd, false),
    ) else {
        return;
    };
    mirror(&open, "fallback", &[], &[]);
    let policy = policy_with(
        "locked-policy",
        &[
            format!("{}/locked/mesosphere", locked.host()),
            format!("{}/fallback/mesosphere", open.host()),
        ],
    );
    let out = fipsctl()
        .arg("--policy")
        .arg(&policy)
        .args([
            "scan",
            "docker://docker.io/mesosphere/etcd:v3.4.13_fips.0",
            "--insecure-registry",
            locked.host(),
            "--insecure-registry",
            open.host(),
        ])
        .output()
        .expect("fipsctl runs");
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(2), "{stderr}");
    assert!(
        stderr.contains(&format!("{}/locked/mesosphere/etcd", locked.host())),
        "{stderr}"
    );
    assert!(stderr.contains("401"), "{stderr}");
}
