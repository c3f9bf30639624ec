//! The registry harness against reality: crane pushes a small image to a real CNCF
//! distribution registry on loopback (open, basic auth, bearer token, TLS) and reads it
//! back. The expected digests come from the OCI image spec: a layer's `diff_id` is the
//! SHA-256 of its uncompressed tar, and a blob is stored under the SHA-256 of its bytes.

#[path = "../../tests/harness/mod.rs"]
mod harness;

use std::process::Command;

use harness::registry::{Auth, Registry};
use serde_json::Value;

/// A one-file layer tar made with GNU tar, and its SHA-256 (the OCI `diff_id`).
fn layer(dir: &std::path::Path) -> (std::path::PathBuf, String) {
    let root = dir.join("root");
    std::fs::create_dir_all(root.join("etc")).expect("layer root");
    std::fs::write(root.join("etc/fips-harness"), "a file in a test layer\n").expect("file");
    let tar = dir.join("layer.tar");
    let status = Command::new("tar")
        .args(["--sort=name", "--mtime=@0", "--owner=0", "--group=0", "-cf"])
        .arg(&tar)
        .arg("-C")
        .arg(&root)
        .arg("etc")
        .status()
        .expect("tar runs");
    assert!(status.success(), "tar failed");
    let out = Command::new("sha256sum")
        .arg(&tar)
        .output()
        .expect("sha256sum runs");
    let sum = String::from_utf8(out.stdout).expect("UTF-8");
    let sum = sum.split_whitespace().next().expect("a digest").to_owned();
    (tar, format!("sha256:{sum}"))
}

fn ok(out: &std::process::Output, what: &str) -> String {
    assert!(
        out.status.success(),
        "{what} failed: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8(out.stdout.clone()).expect("UTF-8 output")
}

/// Pushes an image with one layer and reads it back; checks the digests against the layer.
fn push_and_read_back(registry: &Registry) {
    let work = registry
        .docker_config()
        .parent()
        .expect("server folder")
        .join("work");
    std::fs::create_dir_all(&work).expect("work folder");
    let (tar, diff_id) = layer(&work);
    let reference = format!("{}/fips-harness/one-layer:v1", registry.host());
    let tar = tar.to_str().expect("UTF-8 path");
    let pushed = ok(
        &registry.crane(&["append", "--new_layer", tar, "--new_tag", &reference]),
        "crane append (push)",
    );
    let manifest_text = ok(&registry.crane(&["manifest", &reference]), "crane manifest");
    let manifest: Value = serde_json::from_str(&manifest_text).expect("the manifest is JSON");
    let layers = manifest["layers"].as_array().expect("manifest has layers");
    assert_eq!(layers.len(), 1, "one layer: {manifest_text}");

    let config: Value = serde_json::from_str(&ok(
        &registry.crane(&["config", &reference]),
        "crane config",
    ))
    .expect("the config is JSON");
    assert_eq!(config["rootfs"]["diff_ids"][0], diff_id.as_str());

    // The digest crane printed for the push is the manifest's, and it resolves by digest.
    let digest = ok(&registry.crane(&["digest", &reference]), "crane digest");
    let digest = digest.trim();
    assert!(
        pushed.contains(digest),
        "push printed {pushed}, digest {digest}"
    );
    let by_digest = format!("{}/fips-harness/one-layer@{digest}", registry.host());
    let again = ok(
        &registry.crane(&["manifest", &by_digest]),
        "crane manifest by digest",
    );
    assert_eq!(
        again, manifest_text,
        "the same manifest bytes by tag and by digest"
    );
}

#[test]
fn crane_pushes_and_reads_back_an_image_on_an_open_registry() {
    let Some(registry) = Registry::start(Auth::None, false) else {
        return;
    };
    assert!(registry.url().starts_with("http://127.0.0.1:"));
    push_and_read_back(&registry);
}

#[test]
fn basic_auth_registry_refuses_anonymous_and_serves_the_logged_in_user() {
    let Some(registry) = Registry::start(Auth::Htpasswd, false) else {
        return;
    };
    let anonymous = registry.crane(&["catalog", registry.host()]);
    assert!(!anonymous.status.success(), "anonymous access is refused");
    assert!(
        String::from_utf8_lossy(&anonymous.stderr).contains("401")
            || String::from_utf8_lossy(&anonymous.stderr).contains("UNAUTHORIZED"),
        "the refusal is a 401: {}",
        String::from_utf8_lossy(&anonymous.stderr)
    );
    registry.crane_login();
    push_and_read_back(&registry);
}

#[test]
fn token_auth_registry_serves_the_logged_in_user_through_the_token_flow() {
    let Some(registry) = Registry::start(Auth::Token, false) else {
        return;
    };
    let anonymous = registry.crane(&["catalog", registry.host()]);
    assert!(!anonymous.status.success(), "anonymous access is refused");
    registry.crane_login();
    push_and_read_back(&registry);
}

#[test]
fn tls_registry_with_basic_auth_is_trusted_through_its_ca() {
    let Some(registry) = Registry::start(Auth::Htpasswd, true) else {
        return;
    };
    assert!(registry.url().starts_with("https://127.0.0.1:"));
    let ca = registry.ca_cert().expect("a TLS registry has a CA");
    assert!(ca.exists());
    registry.crane_login();
    push_and_read_back(&registry);
}

#[test]
fn tls_registry_with_token_auth_serves_the_logged_in_user() {
    let Some(registry) = Registry::start(Auth::Token, true) else {
        return;
    };
    assert!(registry.url().starts_with("https://127.0.0.1:"));
    registry.crane_login();
    push_and_read_back(&registry);
}
