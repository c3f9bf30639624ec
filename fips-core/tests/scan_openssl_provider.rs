//! A Go binary that loads OpenSSL through a Go OpenSSL backend is a FIPS build only where
//! its image holds OpenSSL's FIPS provider (`ossl-modules/fips.so`). The subject is a real Go
//! build linking a package at golang-fips/openssl's path (a local stand-in, through a
//! `replace` directive: the scanner judges by the package path), put in an OCI layout made
//! here with and without the provider. Go is required, as for tests/scan.rs.

use std::{
    fs,
    path::{Path, PathBuf},
    process::Command,
};

use fips_core::{scan_paths, Code, CryptoModule, Policy, ScanResult, Severity};

fn work_dir(name: &str) -> PathBuf {
    let dir = Path::new(env!("CARGO_TARGET_TMPDIR"))
        .join(format!("scan-provider-{name}-{}", std::process::id()));
    let _ = fs::remove_dir_all(&dir);
    fs::create_dir_all(&dir).unwrap();
    dir
}

/// Builds a Go program that calls into `github.com/golang-fips/openssl/v2`.
fn go_openssl_binary(dir: &Path) -> Vec<u8> {
    let src = dir.join("src");
    let fake = src.join("fake");
    fs::create_dir_all(&fake).unwrap();
    fs::write(
        src.join("go.mod"),
        "module example.com/app\n\ngo 1.21\n\nrequire github.com/golang-fips/openssl/v2 v2.0.0\n\n\
         replace github.com/golang-fips/openssl/v2 => ./fake\n",
    )
    .unwrap();
    fs::write(
        src.join("main.go"),
        "package main\n\nimport openssl \"github.com/golang-fips/openssl/v2\"\n\n\
         func main() { println(openssl.Init()[0]) }\n",
    )
    .unwrap();
    fs::write(
        fake.join("go.mod"),
        "module github.com/golang-fips/openssl/v2\n\ngo 1.21\n",
    )
    .unwrap();
    fs::write(
        fake.join("openssl.go"),
        "package openssl\n\nimport \"crypto/sha256\"\n\n//go:noinline\n\
         func Init() [32]byte { return sha256.Sum256([]byte(\"x\")) }\n",
    )
    .unwrap();
    let out = dir.join("app");
    let output = Command::new("go")
        .current_dir(&src)
        .env("GOTOOLCHAIN", "local")
        .env("GOWORK", "off")
        .env("GOFLAGS", "-mod=mod")
        .env("CGO_ENABLED", "0")
        .env_remove("GOEXPERIMENT")
        .env_remove("GOFIPS140")
        .args(["build", "-o"])
        .arg(&out)
        .arg(".")
        .output()
        .expect("`go` is required to build the test subject");
    assert!(
        output.status.success(),
        "go build: {}",
        String::from_utf8_lossy(&output.stderr)
    );
    fs::read(out).unwrap()
}

fn tar_of(files: &[(&str, &[u8])]) -> Vec<u8> {
    let mut b = tar::Builder::new(Vec::new());
    for (name, data) in files {
        let mut h = tar::Header::new_gnu();
        h.set_entry_type(tar::EntryType::Regular);
        h.set_size(data.len() as u64);
        h.set_mode(0o755);
        b.append_data(&mut h, name, *data).unwrap();
    }
    b.into_inner().unwrap()
}

fn sha256_hex(data: &[u8]) -> String {
    let d = aws_lc_rs::digest::digest(&aws_lc_rs::digest::SHA256, data);
    d.as_ref().iter().map(|b| format!("{b:02x}")).collect()
}

/// An OCI image layout with one uncompressed layer.
fn write_layout(dir: &Path, layer: &[u8]) {
    let blobs = dir.join("blobs/sha256");
    fs::create_dir_all(&blobs).unwrap();
    let put = |data: &[u8]| {
        let hex = sha256_hex(data);
        fs::write(blobs.join(&hex), data).unwrap();
        (format!("sha256:{hex}"), data.len())
    };
    let config =
        put(br#"{"architecture":"amd64","os":"linux","rootfs":{"type":"layers","diff_ids":[]}}"#);
    let l0 = put(layer);
    let manifest = format!(
        r#"{{"schemaVersion":2,"mediaType":"application/vnd.oci.image.manifest.v1+json",
"config":{{"mediaType":"application/vnd.oci.image.config.v1+json","digest":"{}","size":{}}},
"layers":[{{"mediaType":"application/vnd.oci.image.layer.v1.tar","digest":"{}","size":{}}}]}}"#,
        config.0, config.1, l0.0, l0.1
    );
    let m = put(manifest.as_bytes());
    fs::write(
        dir.join("index.json"),
        format!(
            r#"{{"schemaVersion":2,"manifests":[{{"mediaType":"application/vnd.oci.image.manifest.v1+json","digest":"{}","size":{}}}]}}"#,
            m.0, m.1
        ),
    )
    .unwrap();
    fs::write(dir.join("oci-layout"), r#"{"imageLayoutVersion":"1.0.0"}"#).unwrap();
}

fn scan_image(dir: &Path, files: &[(&str, &[u8])]) -> ScanResult {
    fs::create_dir_all(dir).unwrap();
    write_layout(dir, &tar_of(files));
    let policy = Policy::from_toml_str(
        "[scan]\naccepted_modules = [\"openssl\"]\ncomponents = [\"kube-apiserver\"]\n",
    )
    .unwrap();
    let report = scan_paths(&[dir], &policy).unwrap();
    report
        .results
        .into_iter()
        .find(|r| r.path.ends_with("usr/bin/kube-apiserver"))
        .unwrap()
}

#[test]
fn a_go_openssl_backend_is_compliant_only_in_an_image_with_the_fips_provider() {
    let dir = work_dir("image");
    let app = go_openssl_binary(&dir);

    let without = scan_image(
        &dir.join("without"),
        &[
            ("usr/bin/kube-apiserver", &app),
            ("etc/pki/tls/fipsmodule.cnf", b"[fips_sect]\n"),
            ("home/x/ossl-modules/fips.so", b"not where OpenSSL looks"),
        ],
    );
    assert_eq!(without.crypto_module, CryptoModule::Openssl);
    assert!(!without.compliant, "{without:?}");
    let f = without
        .findings
        .iter()
        .find(|f| f.code == Code::ScanOpensslFipsProviderMissing)
        .unwrap();
    assert_eq!(f.severity, Severity::Error);
    assert!(f.message.contains("golang-fips/openssl"), "{}", f.message);
    assert!(
        f.message.contains("/etc/pki/tls/fipsmodule.cnf"),
        "{}",
        f.message
    );

    let with = scan_image(
        &dir.join("with"),
        &[
            ("usr/bin/kube-apiserver", &app),
            ("usr/lib64/ossl-modules/fips.so", b"\x7fELF"),
        ],
    );
    assert_eq!(with.crypto_module, CryptoModule::Openssl);
    assert!(with.compliant, "{with:?}");
    fs::remove_dir_all(&dir).unwrap();
}
