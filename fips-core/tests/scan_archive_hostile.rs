//! Hostile image archives, layouts and root filesystems that once ended in a wrong
//! "compliant": each class is refused, or judged as the container runtime would see it.
//! Needs no compiler: component binaries are stand-ins (an ELF magic and nothing else, which
//! a component may not be), so any verdict on them is an error.

use std::{
    fs,
    io::Write,
    path::{Path, PathBuf},
    sync::mpsc,
    time::Duration,
};

use fips_core::{scan_paths, Code, Error, Policy, ScanError, ScanReport};

fn work_dir(name: &str) -> PathBuf {
    let dir = Path::new(env!("CARGO_TARGET_TMPDIR"))
        .join(format!("scan-archive-{name}-{}", std::process::id()));
    let _ = fs::remove_dir_all(&dir);
    fs::create_dir_all(&dir).unwrap();
    dir
}

fn malformed(err: Error) -> String {
    match err {
        Error::Scan(ScanError::Malformed { reason, .. }) => reason,
        other => panic!("expected a malformed-image error, got {other}"),
    }
}

/// An ELF magic and nothing else: a component judged from it is never compliant.
const FAKE_ELF: &[u8] = b"\x7fELF\x02\x01\x01\0\0\0\0\0\0\0\0\0";

fn sha256_hex(data: &[u8]) -> String {
    let d = aws_lc_rs::digest::digest(&aws_lc_rs::digest::SHA256, data);
    d.as_ref().iter().map(|b| format!("{b:02x}")).collect()
}

fn gzip(data: &[u8]) -> Vec<u8> {
    let mut e = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::fast());
    e.write_all(data).unwrap();
    e.finish().unwrap()
}

/// A tar entry, written with GNU headers and raw names.
enum E<'a> {
    File(&'a [u8], &'a [u8]),
    Link(&'a [u8], &'a [u8]),
}

fn tar_entries(entries: &[E<'_>], end: bool) -> Vec<u8> {
    let mut b = tar::Builder::new(Vec::new());
    for e in entries {
        let mut h = tar::Header::new_gnu();
        let (name, data): (&[u8], &[u8]) = match e {
            E::File(n, d) => {
                h.set_entry_type(tar::EntryType::Regular);
                h.set_size(d.len() as u64);
                (n, d)
            }
            E::Link(n, t) => {
                h.set_entry_type(tar::EntryType::Symlink);
                h.set_size(0);
                h.as_gnu_mut().unwrap().linkname[..t.len()].copy_from_slice(t);
                (n, &[])
            }
        };
        h.as_gnu_mut().unwrap().name[..name.len()].copy_from_slice(name);
        h.set_mode(0o755);
        h.set_cksum();
        b.append(&h, data).unwrap();
    }
    let mut out = b.into_inner().unwrap();
    if !end {
        // into_inner wrote the two zero blocks of the end of the archive: drop them.
        out.truncate(out.len() - 1024);
    }
    out
}

fn tar_of(entries: &[E<'_>]) -> Vec<u8> {
    tar_entries(entries, true)
}

/// Writes an OCI layout (real digests) of one image per entry of `images`, each a list of
/// layer blobs; returns the layout directory.
fn layout(dir: &Path, images: &[Vec<Vec<u8>>]) -> PathBuf {
    let blobs = dir.join("blobs/sha256");
    fs::create_dir_all(&blobs).unwrap();
    let put = |data: &[u8]| {
        let hex = sha256_hex(data);
        fs::write(blobs.join(&hex), data).unwrap();
        (format!("sha256:{hex}"), data.len())
    };
    let mut manifests = Vec::new();
    for (i, layers) in images.iter().enumerate() {
        let config = put(
            format!(r#"{{"architecture":"amd64","os":"linux","rootfs":{{"type":"layers","diff_ids":[]}},"i":{i}}}"#)
                .as_bytes(),
        );
        let layers: Vec<String> = layers
            .iter()
            .map(|l| {
                let (d, n) = put(l);
                format!(
                    r#"{{"mediaType":"application/vnd.oci.image.layer.v1.tar","digest":"{d}","size":{n}}}"#
                )
            })
            .collect();
        let m = put(
            format!(
                r#"{{"schemaVersion":2,"mediaType":"application/vnd.oci.image.manifest.v1+json","config":{{"mediaType":"application/vnd.oci.image.config.v1+json","digest":"{}","size":{}}},"layers":[{}]}}"#,
                config.0,
                config.1,
                layers.join(",")
            )
            .as_bytes(),
        );
        manifests.push(format!(
            r#"{{"mediaType":"application/vnd.oci.image.manifest.v1+json","digest":"{}","size":{},"annotations":{{"org.opencontainers.image.ref.name":"v{i}"}}}}"#,
            m.0, m.1
        ));
    }
    fs::write(
        dir.join("index.json"),
        format!(
            r#"{{"schemaVersion":2,"manifests":[{}]}}"#,
            manifests.join(",")
        ),
    )
    .unwrap();
    fs::write(dir.join("oci-layout"), r#"{"imageLayoutVersion":"1.0.0"}"#).unwrap();
    dir.to_owned()
}

fn scan(path: &Path) -> Result<ScanReport, Error> {
    scan_paths(&[path], Policy::embedded())
}

fn results(report: &ScanReport) -> Vec<(String, bool, bool)> {
    report
        .results
        .iter()
        .map(|r| {
            let inner = r.path.rsplit_once("!/").map_or(&r.path[..], |(_, p)| p);
            (inner.to_owned(), r.component, r.compliant)
        })
        .collect()
}

fn tar_dir(dir: &Path, out: &Path) {
    let mut b = tar::Builder::new(fs::File::create(out).unwrap());
    b.append_dir_all(".", dir).unwrap();
    b.finish().unwrap();
}

// ---- item 11: gzip members ---------------------------------------------------------------

#[test]
fn every_concatenated_gzip_member_of_a_layer_is_read() {
    // eStargz-style: one tar stream split over two gzip members. The component is in the
    // second member only.
    let first = tar_entries(&[E::File(b"etc/motd", b"hello\n")], false);
    let second = tar_of(&[E::File(b"usr/bin/kube-apiserver", FAKE_ELF)]);
    let mut layer = gzip(&first);
    layer.extend(gzip(&second));
    let dir = layout(&work_dir("gzip-members"), &[vec![layer]]);
    let report = scan(&dir).unwrap();
    assert_eq!(
        results(&report),
        [("usr/bin/kube-apiserver".to_owned(), true, false)]
    );
    assert!(!report.compliant);
}

#[test]
fn data_after_the_last_gzip_member_is_refused() {
    let mut layer = gzip(&tar_of(&[E::File(b"etc/motd", b"hello\n")]));
    layer.extend_from_slice(b"not gzip at all");
    let dir = layout(&work_dir("gzip-trailer"), &[vec![layer]]);
    let reason = malformed(scan(&dir).unwrap_err());
    assert!(reason.starts_with("layer blobs/sha256/"), "{reason}");
}

// ---- item 13: digests --------------------------------------------------------------------

#[test]
fn a_layer_whose_content_does_not_match_its_digest_is_refused() {
    let honest = gzip(&tar_of(&[E::File(b"etc/motd", b"hello\n")]));
    let dir = layout(&work_dir("digest-layer"), &[vec![honest.clone()]]);
    // Swap the blob's content for a layer holding a component, under the old name.
    let hex = sha256_hex(&honest);
    fs::write(
        dir.join("blobs/sha256").join(&hex),
        gzip(&tar_of(&[E::File(b"usr/bin/kube-apiserver", FAKE_ELF)])),
    )
    .unwrap();
    let reason = malformed(scan(&dir).unwrap_err());
    assert!(
        reason.contains(&format!("digest sha256:{hex}")) && reason.contains("refusing it"),
        "{reason}"
    );
}

#[test]
fn a_manifest_whose_content_does_not_match_its_digest_is_refused() {
    let dir = layout(&work_dir("digest-manifest"), &[vec![tar_of(&[])]]);
    let index = fs::read_to_string(dir.join("index.json")).unwrap();
    let digest = index.split("\"digest\":\"").nth(1).unwrap()[..71].to_owned();
    let path = dir.join("blobs/sha256").join(&digest[7..]);
    let mut manifest = fs::read(&path).unwrap();
    manifest.push(b' ');
    fs::write(&path, manifest).unwrap();
    let reason = malformed(scan(&dir).unwrap_err());
    assert!(
        reason.contains(&digest) && reason.contains("refusing it"),
        "{reason}"
    );
}

#[test]
fn a_docker_save_layer_that_does_not_match_its_diff_id_is_refused() {
    let dir = work_dir("diff-id");
    let save = dir.join("save");
    fs::create_dir_all(save.join("aaa")).unwrap();
    let honest = tar_of(&[E::File(b"etc/motd", b"hello\n")]);
    fs::write(
        save.join("aaa/layer.tar"),
        tar_of(&[E::File(b"usr/bin/kube-apiserver", FAKE_ELF)]),
    )
    .unwrap();
    fs::write(
        save.join("cfg.json"),
        format!(
            r#"{{"rootfs":{{"type":"layers","diff_ids":["sha256:{}"]}}}}"#,
            sha256_hex(&honest)
        ),
    )
    .unwrap();
    fs::write(
        save.join("manifest.json"),
        r#"[{"Config":"cfg.json","RepoTags":["x:1"],"Layers":["aaa/layer.tar"]}]"#,
    )
    .unwrap();
    let archive = dir.join("save.tar");
    tar_dir(&save, &archive);
    let reason = malformed(scan(&archive).unwrap_err());
    assert!(
        reason.contains(&format!("sha256:{}", sha256_hex(&honest))) && reason.contains("diff ID"),
        "{reason}"
    );
}

// ---- item 12: two indexes ----------------------------------------------------------------

#[test]
fn an_archive_whose_manifest_json_and_index_json_disagree_is_refused() {
    let dir = work_dir("two-indexes");
    let benign = tar_of(&[E::File(b"etc/motd", b"hello\n")]);
    let decoy = tar_of(&[E::File(b"usr/bin/kube-apiserver", FAKE_ELF)]);
    let root = layout(&dir.join("root"), &[vec![decoy]]);
    // docker load would read manifest.json (a benign image); containerd reads index.json.
    fs::create_dir_all(root.join("old")).unwrap();
    fs::write(root.join("old/layer.tar"), &benign).unwrap();
    fs::write(
        root.join("cfg.json"),
        format!(
            r#"{{"rootfs":{{"type":"layers","diff_ids":["sha256:{}"]}}}}"#,
            sha256_hex(&benign)
        ),
    )
    .unwrap();
    fs::write(
        root.join("manifest.json"),
        r#"[{"Config":"cfg.json","RepoTags":["x:1"],"Layers":["old/layer.tar"]}]"#,
    )
    .unwrap();
    let archive = dir.join("both.tar");
    tar_dir(&root, &archive);
    let reason = malformed(scan(&archive).unwrap_err());
    assert!(reason.contains("describe different images"), "{reason}");
}

#[test]
fn an_archive_whose_indexes_agree_is_judged_as_containerd_reads_it() {
    // docker save since Docker 25 writes both: manifest.json naming the OCI blobs.
    let dir = work_dir("agreeing-indexes");
    let layer = tar_of(&[E::File(b"usr/bin/kube-apiserver", FAKE_ELF)]);
    let root = layout(&dir.join("root"), &[vec![layer.clone()]]);
    let hex = sha256_hex(&layer);
    fs::write(
        root.join("cfg.json"),
        format!(r#"{{"rootfs":{{"type":"layers","diff_ids":["sha256:{hex}"]}}}}"#),
    )
    .unwrap();
    fs::write(
        root.join("manifest.json"),
        format!(r#"[{{"Config":"cfg.json","RepoTags":["x:1"],"Layers":["blobs/sha256/{hex}"]}}]"#),
    )
    .unwrap();
    let archive = dir.join("both.tar");
    tar_dir(&root, &archive);
    let report = scan(&archive).unwrap();
    assert_eq!(
        results(&report),
        [("usr/bin/kube-apiserver".to_owned(), true, false)]
    );
}

// ---- item 15: tar headers readers could read differently ----------------------------------

/// A raw 512-byte header with a valid checksum.
fn header(name: &[u8], typeflag: u8, size: usize, magic: &[u8; 8]) -> [u8; 512] {
    let mut h = [0u8; 512];
    h[..name.len()].copy_from_slice(name);
    h[100..108].copy_from_slice(b"0000644\0");
    h[108..116].copy_from_slice(b"0000000\0");
    h[116..124].copy_from_slice(b"0000000\0");
    h[124..136].copy_from_slice(format!("{size:011o}\0").as_bytes());
    h[136..148].copy_from_slice(b"00000000000\0");
    h[156] = typeflag;
    h[257..265].copy_from_slice(magic);
    h[148..156].copy_from_slice(b"        ");
    let sum: u32 = h.iter().map(|b| u32::from(*b)).sum();
    h[148..156].copy_from_slice(format!("{sum:06o}\0 ").as_bytes());
    h
}

fn padded(data: &[u8]) -> Vec<u8> {
    let mut v = data.to_vec();
    v.resize(data.len().div_ceil(512) * 512, 0);
    v
}

const USTAR: &[u8; 8] = b"ustar\x0000";
const GNU: &[u8; 8] = b"ustar  \0";
const V7: &[u8; 8] = &[0; 8];

fn pax(records: &[(&str, &str)]) -> Vec<u8> {
    let mut out = Vec::new();
    for (k, v) in records {
        let body = format!(" {k}={v}\n");
        let mut n = body.len() + 1;
        if format!("{n}").len() + body.len() != n {
            n += 1;
        }
        out.extend(format!("{n}{body}").as_bytes());
    }
    out
}

/// A layer: an extension header (`typeflag`, `magic`, `data`), then a decoy file entry.
fn extended(typeflag: u8, magic: &[u8; 8], data: &[u8]) -> Vec<u8> {
    let mut t = Vec::new();
    t.extend(header(b"ext", typeflag, data.len(), magic));
    t.extend(padded(data));
    t.extend(header(b"decoy", b'0', FAKE_ELF.len(), magic));
    t.extend(padded(FAKE_ELF));
    t.extend([0u8; 1024]);
    t
}

#[test]
fn tar_headers_the_runtime_could_read_differently_are_refused() {
    let long = b"usr/local/bin/kube-apiserver\0";
    let cases: Vec<(&str, Vec<u8>)> = vec![
        ("GNU long name in a V7 header", extended(b'L', V7, long)),
        (
            "GNU long name with ustar magic",
            extended(b'L', USTAR, long),
        ),
        (
            "PAX header in a V7 header",
            extended(b'x', V7, &pax(&[("path", "usr/bin/etcd")])),
        ),
        (
            "PAX header with GNU magic",
            extended(b'x', GNU, &pax(&[("path", "usr/bin/etcd")])),
        ),
        (
            "PAX GNU.sparse.name",
            extended(b'x', USTAR, &pax(&[("GNU.sparse.name", "usr/bin/etcd")])),
        ),
        (
            "duplicate PAX keys",
            extended(
                b'x',
                USTAR,
                &pax(&[("path", "usr/bin/etcd"), ("path", "usr/bin/kubelet")]),
            ),
        ),
        (
            "global PAX header",
            extended(b'g', USTAR, &pax(&[("path", "x")])),
        ),
        ("GNU sparse file", extended(b'S', GNU, b"")),
        ("V7 file", {
            let mut t = Vec::new();
            t.extend(header(b"usr/bin/kubelet", b'0', FAKE_ELF.len(), V7));
            t.extend(padded(FAKE_ELF));
            t.extend([0u8; 1024]);
            t
        }),
        ("data on a symlink", {
            let mut t = Vec::new();
            t.extend(header(b"usr/bin/kubelet", b'2', 512, USTAR));
            t.extend(header(b"usr/bin/etcd", b'0', 0, USTAR));
            t.extend([0u8; 1024]);
            t
        }),
    ];
    for (what, layer) in cases {
        let dir = layout(
            &work_dir(&format!("hdr-{}", what.replace(' ', "-"))),
            &[vec![layer]],
        );
        match scan(&dir) {
            Err(e) => {
                let reason = malformed(e);
                assert!(
                    reason.starts_with("layer blobs/sha256/"),
                    "{what}: {reason}"
                );
            }
            Ok(report) => panic!("{what}: judged {:?}", results(&report)),
        }
    }
}

// ---- item 16: paths are bytes ------------------------------------------------------------

#[test]
fn a_whiteout_deletes_only_the_byte_path_it_names() {
    // Lossy UTF-8 turns both \xff and \xfe into U+FFFD: a whiteout of `usr/\xfe` must not
    // delete `usr/\xff/kube-apiserver`.
    let lower = tar_of(&[E::File(b"usr/\xff/kube-apiserver", FAKE_ELF)]);
    let upper = tar_of(&[E::File(b"usr/.wh.\xfe", b"")]);
    let dir = layout(&work_dir("bytes"), &[vec![lower, upper]]);
    let report = scan(&dir).unwrap();
    assert_eq!(report.results.len(), 1, "{:?}", results(&report));
    assert!(report.results[0].component && !report.compliant);
}

// ---- item 19: one read per distinct blob, one budget per call ------------------------------

#[test]
fn a_layer_listed_thousands_of_times_is_read_once() {
    // 8 MiB of zeros (8 KiB gzipped), listed 256 times in each of 64 images: read once,
    // this is quick; read per listing it is 128 GiB of inflating and hashing.
    let zeros = vec![0u8; 8 << 20];
    let layer = gzip(&tar_of(&[E::File(b"zeros", &zeros)]));
    let images = vec![vec![layer; 256]; 64];
    let dir = layout(&work_dir("many"), &images);
    let (tx, rx) = mpsc::channel();
    std::thread::spawn(move || {
        let _ = tx.send(scan(&dir).map(|r| r.compliant).map_err(|e| e.to_string()));
    });
    let done = rx
        .recv_timeout(Duration::from_secs(120))
        .expect("the scan did not end within 120 s");
    // Nothing to judge: no error, and no pass either.
    assert_eq!(done, Ok(false));
}

// ---- item 14: symlinks followed, confined --------------------------------------------------

#[test]
fn component_symlinks_in_images_are_followed_inside_the_image() {
    let layer = tar_of(&[
        E::File(b"usr/local/bin/kube-apiserver-v1.22.8", FAKE_ELF),
        E::Link(
            b"usr/bin/kube-apiserver",
            b"/usr/local/bin/kube-apiserver-v1.22.8",
        ),
        E::Link(
            b"usr/local/bin/kubelet",
            b"../../../../../usr/local/bin/kube-apiserver-v1.22.8",
        ),
        E::Link(b"usr/bin/etcd", b"etcd"),
        E::Link(b"usr/bin/kubectl", b"/etc/passwd"),
    ]);
    let dir = layout(&work_dir("image-links"), &[vec![layer]]);
    let report = scan(&dir).unwrap();
    let got = results(&report);
    let want = [
        ("usr/bin/etcd".to_owned(), true, false),
        ("usr/bin/kube-apiserver".to_owned(), true, false),
        (
            "usr/local/bin/kube-apiserver-v1.22.8".to_owned(),
            false,
            true,
        ),
        ("usr/local/bin/kubelet".to_owned(), true, false),
    ];
    assert_eq!(got, want);
    let etcd = &report.results[0];
    assert_eq!(etcd.findings[0].code, Code::ScanUnreadable);
    assert!(
        etcd.findings[0].message.contains("loop"),
        "{:?}",
        etcd.findings
    );
}

#[test]
fn component_symlinks_in_directories_are_followed_inside_the_root() {
    let root = work_dir("dir-links");
    fs::create_dir_all(root.join("usr/local/bin")).unwrap();
    fs::create_dir_all(root.join("usr/bin")).unwrap();
    fs::write(root.join("usr/local/bin/kube-apiserver-v1.22.8"), FAKE_ELF).unwrap();
    std::os::unix::fs::symlink(
        "kube-apiserver-v1.22.8",
        root.join("usr/local/bin/kube-apiserver"),
    )
    .unwrap();
    std::os::unix::fs::symlink(
        "/usr/local/bin/kube-apiserver-v1.22.8",
        root.join("usr/bin/kubectl"),
    )
    .unwrap();
    // Absolute: resolved inside the root, where there is no etc/passwd.
    std::os::unix::fs::symlink("/etc/passwd", root.join("usr/bin/etcd")).unwrap();
    let report = scan(&root).unwrap();
    let got: Vec<(String, bool, bool)> = report
        .results
        .iter()
        .map(|r| {
            let rel = Path::new(&r.path).strip_prefix(&root).unwrap();
            (rel.display().to_string(), r.component, r.compliant)
        })
        .collect();
    assert_eq!(
        got,
        [
            ("usr/bin/kubectl".to_owned(), true, false),
            ("usr/local/bin/kube-apiserver".to_owned(), true, false),
            (
                "usr/local/bin/kube-apiserver-v1.22.8".to_owned(),
                false,
                true
            ),
        ]
    );
}

// ---- item 17: a layout with files beside it; nothing judged is no pass --------------------

#[test]
fn files_beside_an_oci_layout_are_judged_too() {
    let dir = layout(&work_dir("beside"), &[vec![tar_of(&[])]]);
    fs::write(dir.join("kube-apiserver"), FAKE_ELF).unwrap();
    let report = scan(&dir).unwrap();
    assert_eq!(report.results.len(), 1);
    assert!(report.results[0].component && !report.compliant);
}

#[test]
fn a_scan_that_judged_no_file_is_not_compliant() {
    let empty = work_dir("empty");
    let report = scan(&empty).unwrap();
    assert!(report.results.is_empty() && !report.compliant);
    assert_eq!(report.findings[0].code, Code::ScanNothingJudged);

    let text = work_dir("text");
    fs::write(text.join("README"), "hello\n").unwrap();
    let report = scan(&text).unwrap();
    assert!(!report.compliant);
    assert!(
        report.findings[0].message.contains("1 file(s) neither ELF"),
        "{:?}",
        report.findings
    );

    let image = layout(
        &work_dir("no-components"),
        &[vec![tar_of(&[E::File(b"etc/motd", b"x")])]],
    );
    assert!(!scan(&image).unwrap().compliant);
}
