//! `fipsctl scan docker://REF` against a real registry (CNCF distribution on loopback, from
//! `scripts/registry-harness`): images made here from the real Go builds of the scan tests,
//! in uncompressed, gzip and zstd layers, pushed with crane, must get the verdict their
//! saved archive (`crane pull`, the `docker save` format) gets. What no honest registry
//! does (a blob whose bytes do not match its digest) comes from a small fake server below.
//!
//! Media types and layout follow the OCI image spec (image-layout.md, manifest.md,
//! layer.md: `application/vnd.oci.image.layer.v1.tar`, `+gzip`, `+zstd`; a whiteout
//! `.wh.NAME` deletes NAME of the layers below).

#[path = "../../tests/harness/mod.rs"]
mod harness;

use std::{
    io::{Read, Write},
    net::TcpListener,
    path::{Path, PathBuf},
    process::{Command, Output},
    time::Duration,
};

use harness::registry::{Auth, Registry};
use serde_json::{json, Value};

fn fipsctl() -> Command {
    Command::new(env!("CARGO_BIN_EXE_fipsctl"))
}

fn subjects() -> &'static Path {
    harness::subjects::scan_subjects()
}

fn work_dir(name: &str) -> PathBuf {
    let dir = Path::new(env!("CARGO_TARGET_TMPDIR"))
        .join(format!("registry-scan-{}-{name}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
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

/// A layer tar of `root` made with GNU tar (reproducible), as the harness test makes them.
fn tar(root: &Path, out: &Path) {
    let status = Command::new("tar")
        .args([
            "--sort=name",
            "--mtime=@0",
            "--owner=0",
            "--group=0",
            "--numeric-owner",
            "-cf",
        ])
        .arg(out)
        .arg("-C")
        .arg(root)
        .arg(".")
        .status()
        .expect("tar runs");
    assert!(status.success(), "tar failed");
}

#[derive(Clone, Copy, Debug)]
enum Compression {
    None,
    Gzip,
    Zstd,
}

impl Compression {
    fn media_type(self) -> &'static str {
        match self {
            Compression::None => "application/vnd.oci.image.layer.v1.tar",
            Compression::Gzip => "application/vnd.oci.image.layer.v1.tar+gzip",
            Compression::Zstd => "application/vnd.oci.image.layer.v1.tar+zstd",
        }
    }

    /// Compressed as `gzip -n` and `zstd` write it (RFC 1952, RFC 8878), by the flate2 and
    /// zstd crates, so the test needs no compressor installed.
    fn compress(self, tar: &Path, out: &Path) {
        let plain = std::fs::read(tar).expect("layer");
        let data = match self {
            Compression::None => plain,
            Compression::Gzip => {
                let mut gz =
                    flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::default());
                gz.write_all(&plain).expect("gzip");
                gz.finish().expect("gzip")
            }
            Compression::Zstd => zstd::encode_all(&plain[..], 3).expect("zstd"),
        };
        std::fs::write(out, data).expect("blob");
    }
}

/// Writes `bytes` as a blob of the layout; returns its descriptor fields (digest, size).
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

/// An OCI image layout of two layers: BoringCrypto and standard Go binaries, then a layer
/// that whites out the standard one and adds a GOFIPS140 build. Every layer in `c`.
fn image_layout(dir: &Path, c: Compression) -> PathBuf {
    let s = subjects();
    let layout = dir.join("layout");
    std::fs::create_dir_all(&layout).expect("layout");
    let lower = dir.join("lower");
    std::fs::create_dir_all(lower.join("usr/bin")).expect("lower");
    std::fs::copy(s.join("boringcrypto"), lower.join("usr/bin/boring")).expect("subject");
    std::fs::copy(s.join("standard"), lower.join("usr/bin/std")).expect("subject");
    let upper = dir.join("upper");
    std::fs::create_dir_all(upper.join("usr/bin")).expect("upper");
    std::fs::create_dir_all(upper.join("usr/local/bin")).expect("upper");
    std::fs::write(upper.join("usr/bin/.wh.std"), b"").expect("whiteout");
    std::fs::copy(
        s.join("gofips140-v1.0.0"),
        upper.join("usr/local/bin/gofips"),
    )
    .expect("subject");
    let mut layers = Vec::new();
    let mut diff_ids = Vec::new();
    for (i, root) in [lower, upper].iter().enumerate() {
        let plain = dir.join(format!("layer{i}.tar"));
        tar(root, &plain);
        diff_ids.push(format!("sha256:{}", sha256_hex(&plain)));
        let blob = dir.join(format!("layer{i}.blob"));
        c.compress(&plain, &blob);
        let (digest, size) = put_blob(&layout, &blob);
        layers.push(json!({"mediaType": c.media_type(), "digest": digest, "size": size}));
    }
    let config = json!({
        "architecture": "amd64",
        "os": "linux",
        "config": {},
        "rootfs": {"type": "layers", "diff_ids": diff_ids},
    });
    let (config_digest, config_size) = put_json(&layout, dir, "config.json", &config);
    let manifest = json!({
        "schemaVersion": 2,
        "mediaType": "application/vnd.oci.image.manifest.v1+json",
        "config": {
            "mediaType": "application/vnd.oci.image.config.v1+json",
            "digest": config_digest,
            "size": config_size,
        },
        "layers": layers,
    });
    let (manifest_digest, manifest_size) = put_json(&layout, dir, "manifest.json", &manifest);
    std::fs::write(
        layout.join("index.json"),
        serde_json::to_vec(&json!({
            "schemaVersion": 2,
            "mediaType": "application/vnd.oci.image.index.v1+json",
            "manifests": [{
                "mediaType": "application/vnd.oci.image.manifest.v1+json",
                "digest": manifest_digest,
                "size": manifest_size,
            }],
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

/// One file's verdict: its path inside the image, crypto module, compliant, codes.
type FileVerdict = (String, Value, Value, Vec<String>);

/// What a verdict is made of, per file inside the image.
fn verdicts(report: &Value) -> (bool, Vec<FileVerdict>) {
    let mut files: Vec<_> = report["results"]
        .as_array()
        .unwrap_or_else(|| panic!("a report with results: {report}"))
        .iter()
        .map(|r| {
            let path = r["path"].as_str().expect("path");
            let inner = path.split_once("!/").map_or(path, |(_, p)| p).to_owned();
            let mut codes: Vec<String> = r["findings"]
                .as_array()
                .expect("findings")
                .iter()
                .map(|f| format!("{} {}", f["code"], f["severity"]))
                .collect();
            codes.sort();
            (
                inner,
                r["crypto_module"].clone(),
                r["compliant"].clone(),
                codes,
            )
        })
        .collect();
    files.sort_by(|a, b| a.0.cmp(&b.0));
    (report["compliant"].as_bool().expect("compliant"), files)
}

fn scan_json(args: &[&str]) -> (Option<i32>, Value, String) {
    scan_json_with(args, None)
}

/// `fipsctl --json scan ARGS`, with `DOCKER_CONFIG` set to `docker_config` (else to an
/// empty folder: never the user's own credentials).
fn scan_json_with(args: &[&str], docker_config: Option<&Path>) -> (Option<i32>, Value, String) {
    let empty = work_dir("no-docker-config");
    let out = fipsctl()
        .env("DOCKER_CONFIG", docker_config.unwrap_or(&empty))
        .arg("--json")
        .arg("scan")
        .args(args)
        .output()
        .expect("fipsctl runs");
    let stderr = String::from_utf8_lossy(&out.stderr).into_owned();
    let json = serde_json::from_slice(&out.stdout)
        .unwrap_or_else(|e| panic!("fipsctl printed no JSON ({e}): {stderr}"));
    (out.status.code(), json, stderr)
}

fn registry_matches_archive(c: Compression) {
    let Some(registry) = Registry::start(Auth::None, false) else {
        return;
    };
    pushed_image_matches_archive(&registry, c, None);
}

/// Pushes the test image in `c` layers; the registry scan must give the verdict of the
/// saved archive, file by file.
fn pushed_image_matches_archive(registry: &Registry, c: Compression, config: Option<&Path>) {
    let dir = work_dir(&format!("{c:?}"));
    let layout = image_layout(&dir, c);
    let reference = format!("{}/fips/subjects:{c:?}", registry.host()).to_lowercase();
    ok(
        &registry.crane(&["push", layout.to_str().expect("UTF-8"), &reference]),
        "crane push",
    );
    // The pushed manifest keeps the layer media type we wrote (no recompression).
    let manifest: Value = serde_json::from_str(&ok(
        &registry.crane(&["manifest", &reference]),
        "crane manifest",
    ))
    .expect("manifest JSON");
    assert_eq!(manifest["layers"][0]["mediaType"], c.media_type());
    let archive = dir.join("saved.tar");
    ok(
        &registry.crane(&["pull", &reference, archive.to_str().expect("UTF-8")]),
        "crane pull",
    );

    let (saved_code, saved, saved_err) = scan_json(&[archive.to_str().expect("UTF-8")]);
    assert_ne!(saved_code, Some(2), "the saved archive scans: {saved_err}");
    let (code, pulled, stderr) = scan_json_with(
        &[
            &format!("docker://{reference}"),
            "--insecure-registry",
            registry.host(),
        ],
        config,
    );
    assert_eq!(code, saved_code, "exit status; stderr: {stderr}");
    let (compliant, files) = verdicts(&pulled);
    assert_eq!(
        (compliant, &files),
        (verdicts(&saved).0, &verdicts(&saved).1)
    );
    // The whiteout removed the standard build; both FIPS builds are judged.
    let paths: Vec<&str> = files.iter().map(|f| f.0.as_str()).collect();
    assert_eq!(
        paths,
        ["usr/bin/boring", "usr/local/bin/gofips"],
        "{pulled}"
    );
    assert!(
        pulled["results"][0]["path"]
            .as_str()
            .expect("path")
            .starts_with(&format!("docker://{reference}!/")),
        "{pulled}"
    );
}

#[test]
fn registry_scan_matches_the_saved_archive_for_uncompressed_layers() {
    registry_matches_archive(Compression::None);
}

#[test]
fn registry_scan_matches_the_saved_archive_for_gzip_layers() {
    registry_matches_archive(Compression::Gzip);
}

#[test]
fn registry_scan_matches_the_saved_archive_for_zstd_layers() {
    registry_matches_archive(Compression::Zstd);
}

#[test]
fn token_auth_registry_is_read_with_the_docker_config_credentials() {
    let Some(registry) = Registry::start(Auth::Token, false) else {
        return;
    };
    registry.crane_login();
    let config = registry.docker_config();
    pushed_image_matches_archive(&registry, Compression::Gzip, Some(&config));
    // Without credentials: the token service refuses, the registry answers 401: exit 2.
    let (code, _, stderr) = scan_json(&[
        &format!("docker://{}/fips/subjects:gzip", registry.host()),
        "--insecure-registry",
        registry.host(),
    ]);
    assert_eq!(code, Some(2), "{stderr}");
    assert!(
        stderr.contains("401") || stderr.contains("token service refused"),
        "{stderr}"
    );
}

/// A credential helper, as ECR's `docker-credential-ecr-login` is one: the Docker config
/// names it in `credHelpers`, and it hands out the credentials on `get`.
#[test]
fn token_auth_registry_is_read_with_a_credential_helper() {
    use std::os::unix::fs::PermissionsExt;
    let Some(registry) = Registry::start(Auth::Token, false) else {
        return;
    };
    let (user, password) = registry.credentials().expect("an authenticated registry");
    registry.crane_login();
    let dir = work_dir("credential-helper");
    let layout = image_layout(&dir, Compression::Gzip);
    let reference = format!("{}/fips/helped:v1", registry.host());
    ok(
        &registry.crane(&["push", layout.to_str().expect("UTF-8"), &reference]),
        "crane push",
    );
    let bin = dir.join("bin");
    std::fs::create_dir_all(&bin).expect("bin");
    let script = bin.join("docker-credential-fipstest");
    std::fs::write(
        &script,
        format!(
            "#!/bin/sh\nread server\n[ \"$server\" = \"{}\" ] || exit 1\n\
             printf '{{\"ServerURL\":\"%s\",\"Username\":\"{user}\",\"Secret\":\"{password}\"}}' \"$server\"\n",
            registry.host()
        ),
    )
    .expect("helper");
    std::fs::set_permissions(&script, std::fs::Permissions::from_mode(0o755)).expect("chmod");
    let config = dir.join("docker");
    std::fs::create_dir_all(&config).expect("config dir");
    std::fs::write(
        config.join("config.json"),
        format!(r#"{{"credHelpers":{{"{}":"fipstest"}}}}"#, registry.host()),
    )
    .expect("config");
    let path = format!(
        "{}:{}",
        bin.display(),
        std::env::var("PATH").unwrap_or_default()
    );
    let scan = |path: &str| {
        fipsctl()
            .env("DOCKER_CONFIG", &config)
            .env("PATH", path)
            .args(["--json", "scan", &format!("docker://{reference}")])
            .args(["--insecure-registry", registry.host()])
            .output()
            .expect("fipsctl runs")
    };
    let out = scan(&path);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(0), "{stderr}");
    let report: Value = serde_json::from_slice(&out.stdout).expect("JSON");
    assert_eq!(report["compliant"], true, "{report}");
    // The helper gone: an error naming it, never an anonymous read that fails later.
    let out = scan("/nonexistent");
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(2), "{stderr}");
    assert!(stderr.contains("docker-credential-fipstest"), "{stderr}");
}

/// Progress as `crane` and `docker pull` show a download (blobs and bytes against the
/// manifests' totals), on a terminal only: run under `script(1)`, which gives fipsctl a
/// pseudo-terminal; a pipe gets none of it.
#[test]
fn progress_shows_blobs_and_bytes_on_a_terminal_and_nothing_on_a_pipe() {
    let Some(registry) = Registry::start(Auth::None, false) else {
        return;
    };
    let dir = work_dir("progress");
    let layout = image_layout(&dir, Compression::Gzip);
    let reference = format!("{}/fips/progress:v1", registry.host());
    ok(
        &registry.crane(&["push", layout.to_str().expect("UTF-8"), &reference]),
        "crane push",
    );
    let command = format!(
        "{} scan docker://{reference} --insecure-registry {}",
        env!("CARGO_BIN_EXE_fipsctl"),
        registry.host()
    );
    let tty = Command::new("script")
        .args(["-qec", &command, "/dev/null"])
        .env("DOCKER_CONFIG", work_dir("no-docker-config"))
        .output()
        .expect("script(1) runs (util-linux)");
    let seen = String::from_utf8_lossy(&tty.stdout);
    assert_eq!(tty.status.code(), Some(0), "{seen}");
    assert!(
        seen.contains("blob "),
        "no blob count on a terminal: {seen}"
    );
    assert!(
        seen.contains("MiB / "),
        "no byte count on a terminal: {seen}"
    );
    assert!(seen.contains("file(s) judged"), "{seen}");
    let piped = fipsctl()
        .env("DOCKER_CONFIG", work_dir("no-docker-config"))
        .args(["scan", &format!("docker://{reference}")])
        .args(["--insecure-registry", registry.host()])
        .output()
        .expect("fipsctl runs");
    let stderr = String::from_utf8_lossy(&piped.stderr);
    assert_eq!(piped.status.code(), Some(0), "{stderr}");
    assert!(
        !stderr.contains('\u{1b}') && !stderr.contains("blob "),
        "progress on a pipe: {stderr}"
    );
}

#[test]
fn a_missing_tag_is_exit_2_saying_not_found() {
    let Some(registry) = Registry::start(Auth::None, false) else {
        return;
    };
    let out = fipsctl()
        .args([
            "scan",
            &format!("docker://{}/fips/absent:v1", registry.host()),
        ])
        .args(["--insecure-registry", registry.host()])
        .output()
        .expect("fipsctl runs");
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(2), "{stderr}");
    assert!(stderr.contains("not found"), "{stderr}");
}

/// A fake registry: answers each request (one per connection) from `routes` (path ->
/// content type and body), 404 otherwise. It simulates what no honest registry does, so
/// the client's checks can be seen to hold; it is not a registry.
fn fake_registry(routes: Vec<(String, &'static str, Vec<u8>)>) -> String {
    let listener = TcpListener::bind("127.0.0.1:0").expect("bind loopback");
    let addr = listener.local_addr().expect("address").to_string();
    std::thread::spawn(move || {
        // Bounded: a scan makes a handful of requests.
        for stream in listener.incoming().take(64) {
            let Ok(mut stream) = stream else { continue };
            let _ = stream.set_read_timeout(Some(Duration::from_secs(5)));
            let mut head = Vec::new();
            let mut byte = [0u8; 1];
            while !head.ends_with(b"\r\n\r\n") && head.len() < 1 << 16 {
                match stream.read(&mut byte) {
                    Ok(1) => head.push(byte[0]),
                    _ => break,
                }
            }
            let head = String::from_utf8_lossy(&head).into_owned();
            let mut words = head.split_whitespace();
            let method = words.next().unwrap_or("").to_owned();
            let path = words.next().unwrap_or("").to_owned();
            let (status, kind, body) = match routes.iter().find(|(p, _, _)| *p == path) {
                Some((_, kind, body)) => ("200 OK", *kind, body.clone()),
                None => (
                    "404 Not Found",
                    "application/json",
                    br#"{"errors":[{"code":"NAME_UNKNOWN","message":"no such thing"}]}"#.to_vec(),
                ),
            };
            let _ = write!(
                stream,
                "HTTP/1.1 {status}\r\nContent-Type: {kind}\r\nContent-Length: {}\r\n\
                 Connection: close\r\n\r\n",
                body.len()
            );
            if method != "HEAD" {
                let _ = stream.write_all(&body);
            }
        }
    });
    addr
}

fn sha256_of(data: &[u8]) -> String {
    let dir = work_dir("hash");
    let file = dir.join("data");
    std::fs::write(&file, data).expect("write");
    format!("sha256:{}", sha256_hex(&file))
}

#[test]
fn a_blob_whose_bytes_do_not_match_its_digest_is_exit_2_naming_the_digest() {
    let config =
        br#"{"architecture":"amd64","os":"linux","rootfs":{"type":"layers","diff_ids":[]}}"#;
    let config_digest = sha256_of(config);
    // The manifest names the digest of one layer; the server sends other bytes.
    let listed = sha256_of(b"the layer the manifest names");
    let manifest = serde_json::to_vec(&json!({
        "schemaVersion": 2,
        "mediaType": "application/vnd.oci.image.manifest.v1+json",
        "config": {"mediaType": "application/vnd.oci.image.config.v1+json",
                   "digest": config_digest, "size": config.len()},
        "layers": [{"mediaType": "application/vnd.oci.image.layer.v1.tar",
                    "digest": listed, "size": 28}],
    }))
    .expect("JSON");
    let addr = fake_registry(vec![
        ("/v2/".into(), "application/json", b"{}".to_vec()),
        (
            "/v2/fake/tampered/manifests/v1".into(),
            "application/vnd.oci.image.manifest.v1+json",
            manifest,
        ),
        (
            format!("/v2/fake/tampered/blobs/{config_digest}"),
            "application/octet-stream",
            config.to_vec(),
        ),
        (
            format!("/v2/fake/tampered/blobs/{listed}"),
            "application/octet-stream",
            b"tampered bytes, not the layer".to_vec(),
        ),
    ]);
    let out = fipsctl()
        .args(["scan", &format!("docker://{addr}/fake/tampered:v1")])
        .args(["--insecure-registry", &addr])
        .output()
        .expect("fipsctl runs");
    let stderr = String::from_utf8_lossy(&out.stderr);
    eprintln!("fipsctl said: {stderr}");
    assert_eq!(out.status.code(), Some(2), "{stderr}");
    assert!(stderr.contains(&listed), "the digest is named: {stderr}");
    assert!(out.stdout.is_empty() || !String::from_utf8_lossy(&out.stdout).contains("COMPLIANT"));
}

#[test]
fn plain_http_is_used_only_for_a_registry_named_insecure() {
    let addr = fake_registry(vec![("/v2/".into(), "application/json", b"{}".to_vec())]);
    // Not named: the client speaks TLS, which a plain HTTP server cannot answer.
    let out = fipsctl()
        .args(["scan", &format!("docker://{addr}/fake/any:v1")])
        .output()
        .expect("fipsctl runs");
    assert_eq!(
        out.status.code(),
        Some(2),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
}

/// A one-layer image manifest (gzip) of `files` (subject -> path), written into `layout`;
/// its descriptor for an index, on `platform`.
fn platform_manifest(layout: &Path, dir: &Path, files: &[(&str, &str)], platform: &Value) -> Value {
    let root = dir.join("root");
    for (subject, path) in files {
        let to = root.join(path);
        std::fs::create_dir_all(to.parent().expect("a folder")).expect("folders");
        std::fs::copy(subjects().join(subject), to).expect("subject");
    }
    let plain = dir.join("layer.tar");
    tar(&root, &plain);
    let blob = dir.join("layer.blob");
    Compression::Gzip.compress(&plain, &blob);
    let (digest, size) = put_blob(layout, &blob);
    let config = json!({
        "architecture": platform["architecture"],
        "os": platform["os"],
        "config": {},
        "rootfs": {"type": "layers", "diff_ids": [format!("sha256:{}", sha256_hex(&plain))]},
    });
    let (config_digest, config_size) = put_json(layout, dir, "config.json", &config);
    let manifest = json!({
        "schemaVersion": 2,
        "mediaType": "application/vnd.oci.image.manifest.v1+json",
        "config": {"mediaType": "application/vnd.oci.image.config.v1+json",
                   "digest": config_digest, "size": config_size},
        "layers": [{"mediaType": Compression::Gzip.media_type(), "digest": digest, "size": size}],
    });
    let (digest, size) = put_json(layout, dir, "manifest.json", &manifest);
    json!({"mediaType": "application/vnd.oci.image.manifest.v1+json",
           "digest": digest, "size": size, "platform": platform})
}

/// An image index (OCI image spec, image-index.md) of linux/amd64 (a BoringCrypto build)
/// and linux/arm64/v8 (a standard build): `--platform` picks one, linux/amd64 by default,
/// `--all-platforms` both.
#[test]
fn an_image_index_is_read_for_the_platform_asked_for() {
    let Some(registry) = Registry::start(Auth::None, false) else {
        return;
    };
    let dir = work_dir("index");
    let layout = dir.join("layout");
    std::fs::create_dir_all(&layout).expect("layout");
    let amd64 = dir.join("amd64");
    let arm64 = dir.join("arm64");
    std::fs::create_dir_all(&amd64).expect("dir");
    std::fs::create_dir_all(&arm64).expect("dir");
    let entries = [
        platform_manifest(
            &layout,
            &amd64,
            &[("boringcrypto", "usr/bin/app")],
            &json!({"os": "linux", "architecture": "amd64"}),
        ),
        platform_manifest(
            &layout,
            &arm64,
            &[("standard", "usr/bin/app")],
            &json!({"os": "linux", "architecture": "arm64", "variant": "v8"}),
        ),
    ];
    // `crane push --index` pushes the layout's index.json itself as the image index.
    let index = json!({
        "schemaVersion": 2,
        "mediaType": "application/vnd.oci.image.index.v1+json",
        "manifests": entries,
    });
    std::fs::write(
        layout.join("index.json"),
        serde_json::to_vec(&index).expect("JSON"),
    )
    .expect("index.json");
    std::fs::write(
        layout.join("oci-layout"),
        br#"{"imageLayoutVersion":"1.0.0"}"#,
    )
    .expect("oci-layout");
    let reference = format!("{}/fips/multi:v1", registry.host());
    ok(
        &registry.crane(&[
            "push",
            "--index",
            layout.to_str().expect("UTF-8"),
            &reference,
        ]),
        "crane push --index",
    );
    let scan = |extra: &[&str]| {
        let image = format!("docker://{reference}");
        let mut args = vec![image.as_str(), "--insecure-registry", registry.host()];
        args.extend_from_slice(extra);
        let (_, report, stderr) = scan_json(&args);
        let modules: Vec<(String, Value)> = report["results"]
            .as_array()
            .unwrap_or_else(|| panic!("results: {report} {stderr}"))
            .iter()
            .map(|r| {
                (
                    r["path"].as_str().expect("path").to_owned(),
                    r["crypto_module"].clone(),
                )
            })
            .collect();
        modules
    };
    let app = format!("docker://{reference}!/usr/bin/app");
    assert_eq!(scan(&[]), [(app.clone(), json!("boringcrypto"))]);
    assert_eq!(
        scan(&["--platform", "linux/arm64"]),
        [(app.clone(), json!("standard"))]
    );
    assert_eq!(
        scan(&["--all-platforms"]),
        [
            (
                format!("docker://{reference}@linux/amd64!/usr/bin/app"),
                json!("boringcrypto")
            ),
            (
                format!("docker://{reference}@linux/arm64/v8!/usr/bin/app"),
                json!("standard")
            ),
        ]
    );
}
