//! Real test subjects: Go programs built with the machine's Go in every crypto flavour, and C
//! programs built with gcc, scanned as files, as a directory, as an OCI image layout and as
//! `docker save` and OCI tar archives.
//!
//! For every Go subject the build information must equal what `go version -m` (and
//! `go version -m -json`) prints, field by field, and the crypto module must be the one it
//! was built with. Go and gcc are required: without them the suite fails, it does not skip.
//!
//! Flavours (Go documentation): `GOEXPERIMENT=boringcrypto` selects Go+BoringCrypto on
//! linux/amd64 and arm64 with cgo (src/crypto/internal/boring/boring.go build tags; still
//! present in Go 1.26); `GOFIPS140=v1.0.0` or `latest` selects the native FIPS 140-3 module
//! (go.dev/doc/security/fips140, Go 1.24+) and the two cannot be combined;
//! `crypto/tls/fipsonly` exists only in BoringCrypto builds.

use std::{
    collections::BTreeMap,
    fs,
    io::{Read, Write},
    path::{Path, PathBuf},
    process::Command,
    sync::OnceLock,
};

use fips_core::{
    scan_paths, Code, CryptoModule, Format, GoModule, Policy, ScanReport, ScanResult, Severity,
};
use serde::Deserialize;

/// One subject of tests/scan/subjects.json: how it is built, what it must be judged.
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct Flavour {
    #[serde(rename = "id")]
    name: String,
    #[allow(dead_code)]
    source: String,
    build: Build,
    expect: Expect,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct Build {
    /// `go` package directory under tests/scan/go, or `c/<file>` for gcc.
    source: String,
    #[allow(dead_code)]
    env: BTreeMap<String, String>,
    #[allow(dead_code)]
    ldflags: Option<String>,
    #[allow(dead_code)]
    requires: Option<String>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct Expect {
    format: Format,
    crypto_module: CryptoModule,
    fips_only: bool,
    stripped: bool,
    codes: Vec<(Code, Severity)>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct SubjectsFile {
    schema: u32,
    kind: String,
    #[allow(dead_code)]
    description: String,
    count: usize,
    vectors: Vec<Flavour>,
}

fn top_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("..")
}

/// Every subject, with how it is built and judged (tests/scan/subjects.json, the
/// list every suite reads).
fn flavours() -> &'static [Flavour] {
    static FLAVOURS: OnceLock<Vec<Flavour>> = OnceLock::new();
    FLAVOURS.get_or_init(|| {
        let path = top_dir().join("tests/scan/subjects.json");
        let file: SubjectsFile = serde_json::from_str(&fs::read_to_string(&path).unwrap()).unwrap();
        assert_eq!((file.schema, file.kind.as_str()), (1, "scan-subjects"));
        assert_eq!(file.count, file.vectors.len(), "{}: count", path.display());
        file.vectors
    })
}

struct Built {
    dir: PathBuf,
    /// The subjects built (c-libcrypto only where OpenSSL headers are installed).
    names: Vec<String>,
}

/// The subjects, built once per test run by scripts/build-scan-subjects: the directory named
/// by FIPS_SCAN_SUBJECTS when the script completed there, else a fresh one of this process.
fn built() -> &'static Built {
    static BUILT: OnceLock<Built> = OnceLock::new();
    BUILT.get_or_init(|| {
        let shared = std::env::var_os("FIPS_SCAN_SUBJECTS")
            .map(PathBuf::from)
            .filter(|d| d.join("built.txt").is_file());
        let dir = shared.unwrap_or_else(|| {
            let dir = Path::new(env!("CARGO_TARGET_TMPDIR"))
                .join(format!("scan-subjects-{}", std::process::id()));
            let _ = fs::remove_dir_all(&dir);
            let status = Command::new(top_dir().join("scripts/build-scan-subjects"))
                .arg(&dir)
                .status()
                .expect("run scripts/build-scan-subjects (python3)");
            assert!(status.success(), "scripts/build-scan-subjects failed");
            dir
        });
        let names: Vec<String> = fs::read_to_string(dir.join("built.txt"))
            .unwrap()
            .lines()
            .map(str::to_owned)
            .collect();
        for f in flavours() {
            assert!(
                names.contains(&f.name) || f.build.requires.is_some(),
                "subject {} was not built",
                f.name
            );
        }
        Built { dir, names }
    })
}

/// A fresh directory beside (not inside) the subjects, which other tests walk.
fn work_dir(name: &str) -> PathBuf {
    let dir =
        Path::new(env!("CARGO_TARGET_TMPDIR")).join(format!("scan-{name}-{}", std::process::id()));
    let _ = fs::remove_dir_all(&dir);
    fs::create_dir_all(&dir).unwrap();
    dir
}

fn flavour(name: &str) -> &'static Flavour {
    flavours().iter().find(|f| f.name == name).unwrap()
}

/// A policy naming every subject as a component, accepting `accepted`.
fn policy(accepted: &[&str]) -> Policy {
    let names: Vec<String> = flavours().iter().map(|f| format!("{:?}", f.name)).collect();
    let accepted: Vec<String> = accepted.iter().map(|m| format!("{m:?}")).collect();
    Policy::from_toml_str(&format!(
        "[scan]\naccepted_modules = [{}]\ncomponents = [{}]\n",
        accepted.join(", "),
        names.join(", ")
    ))
    .unwrap()
}

fn by_name(report: &ScanReport) -> BTreeMap<String, &ScanResult> {
    report
        .results
        .iter()
        .map(|r| (r.path.rsplit('/').next().unwrap().to_owned(), r))
        .collect()
}

fn codes(r: &ScanResult) -> Vec<(Code, Severity)> {
    r.findings.iter().map(|f| (f.code, f.severity)).collect()
}

/// `go version -m -json`'s shape (cmd/go, runtime/debug.BuildInfo).
#[derive(Deserialize)]
#[serde(rename_all = "PascalCase")]
struct GoJson {
    go_version: String,
    #[serde(default)]
    path: String,
    #[serde(default)]
    main: Option<GoJsonModule>,
    #[serde(default)]
    deps: Vec<GoJsonModule>,
    #[serde(default)]
    settings: Vec<GoJsonSetting>,
}

#[derive(Deserialize)]
#[serde(rename_all = "PascalCase")]
struct GoJsonModule {
    path: String,
    #[serde(default)]
    version: String,
    #[serde(default)]
    sum: String,
    #[serde(default)]
    replace: Option<Box<GoJsonModule>>,
}

#[derive(Deserialize)]
#[serde(rename_all = "PascalCase")]
struct GoJsonSetting {
    key: String,
    #[serde(default)]
    value: String,
}

fn same_module(ours: &GoModule, go: &GoJsonModule, what: &str) {
    assert_eq!(ours.path, go.path, "{what}: path");
    assert_eq!(ours.version, go.version, "{what}: version");
    assert_eq!(ours.sum, go.sum, "{what}: sum");
    match (&ours.replace, &go.replace) {
        (None, None) => {}
        (Some(a), Some(b)) => same_module(a, b, &format!("{what} =>")),
        (a, b) => panic!("{what}: replacement differs: {a:?} vs {}", b.is_some()),
    }
}

#[test]
fn build_info_matches_go_version_m_field_by_field() {
    let built = built();
    let report = scan_paths(&[&built.dir], &policy(&["boringcrypto"])).unwrap();
    let results = by_name(&report);
    for name in &built.names {
        let f = flavour(name);
        let file = built.dir.join(name);
        let r = results[name.as_str()];
        assert_eq!(r.format, f.expect.format, "{name}");
        if f.build.source.starts_with("c/") {
            assert_eq!(r.format, Format::Elf, "{name}");
            assert_eq!(r.go_version, None, "{name}");
            // go version -m has nothing to say about a non-Go file.
            let out = Command::new("go")
                .arg("version")
                .arg("-m")
                .arg(&file)
                .output()
                .unwrap();
            assert!(
                out.stdout.is_empty(),
                "{name}: go version -m printed {:?}",
                out.stdout
            );
            continue;
        }
        assert_eq!(r.format, Format::Go, "{name}");
        let text = Command::new("go")
            .arg("version")
            .arg("-m")
            .arg(&file)
            .output()
            .unwrap();
        assert!(text.status.success(), "{name}: go version -m failed");
        let info = r.build_info().unwrap();
        assert_eq!(
            info.go_version_m(&file.display().to_string()),
            String::from_utf8(text.stdout).unwrap(),
            "{name}: go version -m text"
        );
        let json = Command::new("go")
            .args(["version", "-m", "-json"])
            .arg(&file)
            .output()
            .unwrap();
        let go: GoJson = serde_json::from_slice(&json.stdout).unwrap();
        assert_eq!(
            r.go_version.as_deref(),
            Some(go.go_version.as_str()),
            "{name}: GoVersion"
        );
        assert_eq!(r.package.as_deref().unwrap_or(""), go.path, "{name}: Path");
        match (&r.main, &go.main) {
            (Some(a), Some(b)) => same_module(a, b, &format!("{name}: Main")),
            (a, b) => panic!("{name}: Main differs: {a:?} vs {}", b.is_some()),
        }
        assert_eq!(r.deps.len(), go.deps.len(), "{name}: Deps");
        for (a, b) in r.deps.iter().zip(&go.deps) {
            same_module(a, b, &format!("{name}: Deps"));
        }
        let theirs: Vec<(String, String)> =
            go.settings.into_iter().map(|s| (s.key, s.value)).collect();
        assert_eq!(r.settings.0, theirs, "{name}: Settings");
        // The dependency is the local helper, replaced by ./helper (tests/scan/go/go.mod).
        assert_eq!(r.deps[0].path, "example.com/helper", "{name}");
        assert_eq!(
            r.deps[0].replace.as_ref().unwrap().path,
            "./helper",
            "{name}"
        );
    }
}

#[test]
fn verdict_matches_how_each_subject_was_built() {
    let built = built();
    let report = scan_paths(&[&built.dir], &policy(&["boringcrypto"])).unwrap();
    let results = by_name(&report);
    assert_eq!(
        results.len(),
        built.names.len(),
        "one result per ELF subject"
    );
    for name in &built.names {
        let f = flavour(name);
        let r = results[name.as_str()];
        assert_eq!(
            r.crypto_module, f.expect.crypto_module,
            "{name}: {:#?}",
            r.evidence
        );
        assert_eq!(
            r.fips_only, f.expect.fips_only,
            "{name}: fips_only {:#?}",
            r.evidence
        );
        assert_eq!(r.stripped, Some(f.expect.stripped), "{name}: stripped");
        assert!(r.component, "{name}");
        let len = fs::metadata(built.dir.join(name)).unwrap().len();
        // Go binaries are megabytes; the C subjects are a few kilobytes, read mostly whole.
        assert!(
            f.build.source.starts_with("c/") || r.bytes_read < len / 2,
            "{name}: read {} of {len} bytes; the scanner must read only what it needs",
            r.bytes_read
        );
        assert_eq!(codes(r), f.expect.codes, "{name}: {:#?}", r.findings);
        assert_eq!(
            r.compliant,
            f.expect.codes.iter().all(|(_, s)| *s != Severity::Error),
            "{name}"
        );
    }
    assert!(!report.compliant);

    // Evidence names what was built.
    let boring = results["boringcrypto"];
    assert!(boring.evidence.iter().any(|e| e.marker == "X:boringcrypto"));
    assert!(
        boring.evidence.iter().any(|e| e
            .marker
            .starts_with("crypto/internal/boring/sig.BoringCrypto")),
        "{:#?}",
        boring.evidence
    );
    let v1 = results["gofips140-v1.0.0"];
    assert!(v1
        .evidence
        .iter()
        .any(|e| e.marker.starts_with("GOFIPS140=v1.0.0-")));
    assert!(
        v1.evidence
            .iter()
            .any(|e| e.marker.starts_with("crypto/internal/fips140/v1.0.0-")),
        "{:#?}",
        v1.evidence
    );
    if let Some(c) = results.get("c-libcrypto") {
        assert!(
            c.needed.iter().any(|l| l.starts_with("libcrypto.so")),
            "{:?}",
            c.needed
        );
    }
}

#[test]
fn json_has_the_contract_shape_and_round_trips() {
    let built = built();
    let report = scan_paths(&[built.dir.join("boringcrypto")], Policy::embedded()).unwrap();
    let json = serde_json::to_value(&report).unwrap();
    let r = &json["results"][0];
    for key in [
        "path",
        "format",
        "go_version",
        "crypto_module",
        "evidence",
        "settings",
        "findings",
        "main",
        "deps",
        "bytes_read",
    ] {
        assert!(r.get(key).is_some(), "{key} missing from {r}");
    }
    assert_eq!(r["format"], "go");
    assert_eq!(r["crypto_module"], "boringcrypto");
    assert_eq!(r["settings"]["GOEXPERIMENT"], "boringcrypto");
    assert_eq!(r["main"]["path"], "example.com/fipsscan");
    // Settings keep the binary's order (`go version -m` lists -buildmode first).
    let text = serde_json::to_string(&report).unwrap();
    assert!(text.find("\"-buildmode\"").unwrap() < text.find("\"GOOS\"").unwrap());
    let back: ScanReport = serde_json::from_str(&text).unwrap();
    assert_eq!(back, report);
}

#[test]
fn accepting_the_native_module_requires_a_pinned_version() {
    let built = built();
    let files = [
        built.dir.join("gofips140-v1.0.0"),
        built.dir.join("gofips140-latest"),
    ];
    let report = scan_paths(&files, &policy(&["go-fips140"])).unwrap();
    assert!(
        report.results[0].findings.is_empty(),
        "{:#?}",
        report.results[0].findings
    );
    assert_eq!(
        codes(&report.results[1]),
        [(Code::ScanGoFips140Unpinned, Severity::Error)]
    );
}

#[test]
fn binaries_not_named_by_policy_get_no_errors() {
    let built = built();
    let report = scan_paths(&[&built.dir], Policy::embedded()).unwrap();
    assert!(
        report.compliant,
        "{:#?}",
        report
            .results
            .iter()
            .flat_map(|r| &r.findings)
            .collect::<Vec<_>>()
    );
    for r in &report.results {
        assert!(!r.component);
        assert!(r.findings.iter().all(|f| f.severity != Severity::Error));
    }
}

// ---- images -------------------------------------------------------------------------------

/// A tar entry: path bytes as written (hostile ones included), and what it is.
enum Entry<'a> {
    File(&'a [u8], Vec<u8>),
    Symlink(&'a [u8], &'a [u8]),
}

/// Builds a tar with raw names (tar::Builder would refuse `..`, which is the point).
fn tar_of(entries: &[Entry<'_>]) -> Vec<u8> {
    let mut b = tar::Builder::new(Vec::new());
    for e in entries {
        let mut h = tar::Header::new_gnu();
        let (name, data): (&[u8], &[u8]) = match e {
            Entry::File(n, d) => {
                h.set_entry_type(tar::EntryType::Regular);
                h.set_size(d.len() as u64);
                (n, d)
            }
            Entry::Symlink(n, target) => {
                h.set_entry_type(tar::EntryType::Symlink);
                h.set_size(0);
                h.as_gnu_mut().unwrap().linkname[..target.len()].copy_from_slice(target);
                (n, &[])
            }
        };
        h.as_gnu_mut().unwrap().name[..name.len()].copy_from_slice(name);
        h.set_mode(0o755);
        h.set_cksum();
        b.append(&h, data).unwrap();
    }
    b.into_inner().unwrap()
}

fn gzip(data: &[u8]) -> Vec<u8> {
    let mut e = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::fast());
    e.write_all(data).unwrap();
    e.finish().unwrap()
}

fn sha256_hex(data: &[u8]) -> String {
    let d = aws_lc_rs::digest::digest(&aws_lc_rs::digest::SHA256, data);
    d.as_ref().iter().map(|b| format!("{b:02x}")).collect()
}

/// Two layers, per the OCI image spec's changeset rules:
/// layer 0 (uncompressed): usr/bin/kube-apiserver = standard, usr/bin/etcd = boringcrypto,
///   usr/bin/old = standard, opt/x = standard, a symlink out of the image, and entries named
///   `/abs/kubelet` and `../../escape/kube-proxy`;
/// layer 1 (gzip): usr/bin/kube-apiserver = boringcrypto (replaces), `usr/bin/.wh.old`
///   (deletes old), `opt/.wh..wh..opq` (empties opt).
fn layers() -> (Vec<u8>, Vec<u8>) {
    let dir = &built().dir;
    let read = |n: &str| fs::read(dir.join(n)).unwrap();
    let layer0 = tar_of(&[
        Entry::File(b"usr/bin/kube-apiserver", read("standard")),
        Entry::File(b"./usr/bin/etcd", read("boringcrypto")),
        Entry::File(b"usr/bin/old", read("standard")),
        Entry::File(b"opt/x", read("standard")),
        Entry::Symlink(b"usr/bin/kubectl", b"/etc/passwd"),
        Entry::File(b"/abs/kubelet", read("gofips140-v1.0.0")),
        Entry::File(b"../../escape/kube-proxy", read("nocrypto")),
        Entry::File(b"etc/motd", b"not a binary\n".to_vec()),
    ]);
    let layer1 = gzip(&tar_of(&[
        Entry::File(b"usr/bin/kube-apiserver", read("boringcrypto-stripped")),
        Entry::File(b"usr/bin/.wh.old", Vec::new()),
        Entry::File(b"opt/.wh..wh..opq", Vec::new()),
    ]));
    (layer0, layer1)
}

/// What every image packing of `layers()` must give.
fn check_image(report: &ScanReport, prefix: &str) {
    let got: BTreeMap<&str, (CryptoModule, bool)> = report
        .results
        .iter()
        .map(|r| {
            let inner = r
                .path
                .strip_prefix(prefix)
                .unwrap_or_else(|| panic!("{} under {prefix}", r.path));
            (inner, (r.crypto_module, r.compliant))
        })
        .collect();
    let want = BTreeMap::from([
        ("!/abs/kubelet", (CryptoModule::GoFips140, false)),
        ("!/escape/kube-proxy", (CryptoModule::None, false)),
        ("!/usr/bin/etcd", (CryptoModule::Boringcrypto, true)),
        (
            "!/usr/bin/kube-apiserver",
            (CryptoModule::Boringcrypto, true),
        ),
    ]);
    assert_eq!(got, want);
    assert!(!report.compliant);
}

fn write_layout(dir: &Path, layer0: &[u8], layer1: &[u8]) {
    let blobs = dir.join("blobs/sha256");
    fs::create_dir_all(&blobs).unwrap();
    let put = |data: &[u8]| {
        let hex = sha256_hex(data);
        fs::write(blobs.join(&hex), data).unwrap();
        (format!("sha256:{hex}"), data.len())
    };
    let config =
        put(br#"{"architecture":"amd64","os":"linux","rootfs":{"type":"layers","diff_ids":[]}}"#);
    let l0 = put(layer0);
    let l1 = put(layer1);
    let manifest = format!(
        r#"{{"schemaVersion":2,"mediaType":"application/vnd.oci.image.manifest.v1+json",
"config":{{"mediaType":"application/vnd.oci.image.config.v1+json","digest":"{}","size":{}}},
"layers":[{{"mediaType":"application/vnd.oci.image.layer.v1.tar","digest":"{}","size":{}}},
{{"mediaType":"application/vnd.oci.image.layer.v1.tar+gzip","digest":"{}","size":{}}}]}}"#,
        config.0, config.1, l0.0, l0.1, l1.0, l1.1
    );
    let m = put(manifest.as_bytes());
    fs::write(
        dir.join("index.json"),
        format!(
            r#"{{"schemaVersion":2,"manifests":[{{"mediaType":"application/vnd.oci.image.manifest.v1+json","digest":"{}","size":{},"annotations":{{"org.opencontainers.image.ref.name":"v1"}}}}]}}"#,
            m.0, m.1
        ),
    )
    .unwrap();
    fs::write(dir.join("oci-layout"), r#"{"imageLayoutVersion":"1.0.0"}"#).unwrap();
}

fn tar_dir(dir: &Path, out: &Path) {
    let mut b = tar::Builder::new(fs::File::create(out).unwrap());
    b.append_dir_all(".", dir).unwrap();
    b.finish().unwrap();
}

#[test]
fn images_apply_layers_in_order_with_whiteouts_confined() {
    let (layer0, layer1) = layers();
    let work = work_dir("images");

    // OCI image layout directory.
    let layout = work.join("layout");
    write_layout(&layout, &layer0, &layer1);
    let policy = Policy::embedded();
    let report = scan_paths(&[&layout], policy).unwrap();
    check_image(&report, &layout.display().to_string());
    // The uncompressed layer's binary is read in place, not whole.
    let etcd = report
        .results
        .iter()
        .find(|r| r.path.ends_with("/etcd"))
        .unwrap();
    let etcd_len = fs::metadata(built().dir.join("boringcrypto"))
        .unwrap()
        .len();
    assert!(
        etcd.bytes_read < etcd_len / 2,
        "{} of {etcd_len}",
        etcd.bytes_read
    );

    // OCI archive: the layout, tarred.
    let oci_tar = work.join("oci.tar");
    tar_dir(&layout, &oci_tar);
    check_image(
        &scan_paths(&[&oci_tar], policy).unwrap(),
        &oci_tar.display().to_string(),
    );

    // docker save archive: manifest.json and layer tars.
    let save = work.join("save");
    fs::create_dir_all(save.join("aaa")).unwrap();
    fs::create_dir_all(save.join("bbb")).unwrap();
    fs::write(save.join("aaa/layer.tar"), &layer0).unwrap();
    fs::write(save.join("bbb/layer.tar"), &layer1).unwrap();
    // docker load checks each layer against the config's rootfs.diff_ids (the digests of
    // the uncompressed tars); so does the scanner.
    let mut layer1_tar = Vec::new();
    flate2::read::GzDecoder::new(&layer1[..])
        .read_to_end(&mut layer1_tar)
        .unwrap();
    fs::write(
        save.join("cfg.json"),
        format!(
            r#"{{"rootfs":{{"type":"layers","diff_ids":["sha256:{}","sha256:{}"]}}}}"#,
            sha256_hex(&layer0),
            sha256_hex(&layer1_tar)
        ),
    )
    .unwrap();
    fs::write(
        save.join("manifest.json"),
        r#"[{"Config":"cfg.json","RepoTags":["example/fips:v1"],"Layers":["aaa/layer.tar","bbb/layer.tar"]}]"#,
    )
    .unwrap();
    let save_tar = work.join("save.tar");
    tar_dir(&save, &save_tar);
    check_image(
        &scan_paths(&[&save_tar], policy).unwrap(),
        &save_tar.display().to_string(),
    );

    // Nothing was written outside the work directory, and no spill file was left behind.
    assert!(!work.join("escape").exists() && !Path::new("/abs/kubelet").exists());
    let leftovers = fs::read_dir(std::env::temp_dir())
        .unwrap()
        .filter_map(Result::ok)
        .filter(|e| {
            e.file_name()
                .to_string_lossy()
                .starts_with(&format!(".fips-scan-{}-", std::process::id()))
        })
        .count();
    assert_eq!(leftovers, 0);
}

#[test]
fn a_rootfs_directory_is_walked_without_following_symlinks() {
    let root = work_dir("rootfs");
    fs::create_dir_all(root.join("usr/bin")).unwrap();
    fs::copy(
        built().dir.join("boringcrypto"),
        root.join("usr/bin/kubelet"),
    )
    .unwrap();
    // A link out of the tree: not followed, so the subjects outside are not scanned again.
    std::os::unix::fs::symlink(&built().dir, root.join("usr/bin/outside")).unwrap();
    std::os::unix::fs::symlink("/usr/bin/kubelet", root.join("kubelet-link")).unwrap();
    let report = scan_paths(&[&root], Policy::embedded()).unwrap();
    assert_eq!(report.results.len(), 1, "{:#?}", report.results);
    assert_eq!(report.results[0].crypto_module, CryptoModule::Boringcrypto);
    assert!(report.results[0].component && report.compliant);
}

// ---- hostile and old inputs ---------------------------------------------------------------

/// The `.go.buildinfo` section's file offset and address.
fn buildinfo_section(data: &[u8]) -> (usize, u64) {
    use object::{Object, ObjectSection};
    let file = object::File::parse(data).unwrap();
    let s = file.section_by_name(".go.buildinfo").unwrap();
    (s.file_range().unwrap().0 as usize, s.address())
}

fn uvarint(b: &[u8]) -> (usize, usize) {
    let (mut v, mut shift) = (0usize, 0);
    for (i, byte) in b.iter().enumerate() {
        v |= usize::from(byte & 0x7f) << shift;
        if byte & 0x80 == 0 {
            return (v, i + 1);
        }
        shift += 7;
    }
    panic!("bad varint")
}

/// Rewrites a Go 1.18+ binary's build information into the layout Go used before 1.18
/// (src/debug/buildinfo/buildinfo.go, "flagsVersionPtr": the header holds pointers to two
/// Go string headers), then checks that `go version -m` and the scanner still agree.
#[test]
fn pre_go_1_18_pointer_layout_is_read_as_go_reads_it() {
    let built = built();
    let mut data = fs::read(built.dir.join("boringcrypto")).unwrap();
    let (off, addr) = buildinfo_section(&data);
    assert_eq!(&data[off..off + 14], b"\xff Go buildinf:");
    let (vlen, n1) = uvarint(&data[off + 32..]);
    let version = data[off + 32 + n1..off + 32 + n1 + vlen].to_vec();
    let mstart = off + 32 + n1 + vlen;
    let (mlen, n2) = uvarint(&data[mstart..]);
    let modinfo = data[mstart + n2..mstart + n2 + mlen].to_vec();
    let put =
        |data: &mut Vec<u8>, at: usize, v: u64| data[at..at + 8].copy_from_slice(&v.to_le_bytes());
    data[off + 14] = 8; // pointer size
    data[off + 15] = 0; // pointer layout, little endian
    put(&mut data, off + 16, addr + 32);
    put(&mut data, off + 24, addr + 48);
    put(&mut data, off + 32, addr + 64);
    put(&mut data, off + 40, version.len() as u64);
    put(&mut data, off + 48, addr + 64 + version.len() as u64);
    put(&mut data, off + 56, modinfo.len() as u64);
    data[off + 64..off + 64 + version.len()].copy_from_slice(&version);
    let m = off + 64 + version.len();
    data[m..m + modinfo.len()].copy_from_slice(&modinfo);
    let dir = work_dir("old-layout");
    let file = dir.join("etcd");
    fs::write(&file, &data).unwrap();

    let report = scan_paths(&[&file], Policy::embedded()).unwrap();
    let r = &report.results[0];
    let text = Command::new("go")
        .arg("version")
        .arg("-m")
        .arg(&file)
        .output()
        .unwrap();
    assert!(
        text.status.success(),
        "go version -m refused the rewritten file"
    );
    assert_eq!(
        r.build_info()
            .unwrap()
            .go_version_m(&file.display().to_string()),
        String::from_utf8(text.stdout).unwrap()
    );
    assert_eq!(r.crypto_module, CryptoModule::Boringcrypto);
    assert!(report.compliant, "{:#?}", r.findings);
}

#[test]
fn damaged_binaries_give_findings_never_panics() {
    let built = built();
    let good = fs::read(built.dir.join("standard")).unwrap();
    let (off, _) = buildinfo_section(&good);
    let dir = work_dir("damaged");
    let mut cases: Vec<(String, Vec<u8>)> = Vec::new();
    for cut in [16, 64, 1000, good.len() / 2, good.len() - 100] {
        cases.push((format!("cut-{cut}"), good[..cut].to_vec()));
    }
    // A version string that claims to be 2^62 bytes long.
    let mut huge = good.clone();
    huge[off + 32..off + 41]
        .copy_from_slice(&[0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x3f]);
    cases.push(("huge-length".into(), huge));
    // Section headers said to be far beyond the end of the file.
    let mut shoff = good.clone();
    shoff[0x28..0x30].copy_from_slice(&u64::MAX.to_le_bytes());
    cases.push(("bad-shoff".into(), shoff));
    // Deterministic byte noise over the headers and the build information.
    let mut seed = 0x2545_f491_4f6c_dd1du64;
    for i in 0..64 {
        let mut noisy = good.clone();
        for _ in 0..8 {
            seed ^= seed << 13;
            seed ^= seed >> 7;
            seed ^= seed << 17;
            let at = if i % 2 == 0 {
                (seed % 64) as usize
            } else {
                off + (seed % 96) as usize
            };
            noisy[at] = (seed >> 32) as u8;
        }
        cases.push((format!("noise-{i}"), noisy));
    }
    for (name, bytes) in &cases {
        let file = dir.join("kube-apiserver");
        fs::write(&file, bytes).unwrap();
        let report = scan_paths(&[&file], Policy::embedded())
            .unwrap_or_else(|e| panic!("{name}: an error instead of a result: {e}"));
        let r = &report.results[0];
        // Whatever it is, a damaged kube-apiserver is never judged a FIPS build.
        assert!(!report.compliant, "{name}: {r:#?}");
        if name.starts_with("cut-") || name == "huge-length" || name == "bad-shoff" {
            assert!(
                r.findings
                    .iter()
                    .any(|f| matches!(f.code, Code::ScanUnreadable | Code::ScanNotGo)),
                "{name}: {:#?}",
                r.findings
            );
        }
    }
}
