//! Hostile image archives and layouts: every one is an error or a confined result, never a
//! panic, a read outside the image, or an unbounded allocation. Needs no compiler.

use std::{
    fs,
    path::{Path, PathBuf},
};

use fips_core::{scan_paths, Code, Error, Format, Policy, ScanError};

fn work_dir(name: &str) -> PathBuf {
    let dir = Path::new(env!("CARGO_TARGET_TMPDIR"))
        .join(format!("scan-hostile-{name}-{}", std::process::id()));
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

fn tar_of(entries: &[(&str, &[u8])]) -> Vec<u8> {
    let mut b = tar::Builder::new(Vec::new());
    for (name, data) in entries {
        let mut h = tar::Header::new_gnu();
        h.as_gnu_mut().unwrap().name[..name.len()].copy_from_slice(name.as_bytes());
        h.set_size(data.len() as u64);
        h.set_mode(0o644);
        h.set_cksum();
        b.append(&h, *data).unwrap();
    }
    b.into_inner().unwrap()
}

#[test]
fn docker_save_layers_cannot_name_files_outside_the_archive() {
    let dir = work_dir("save");
    let archive = dir.join("save.tar");
    fs::write(
        &archive,
        tar_of(&[
            (
                "manifest.json",
                br#"[{"Config":"c.json","RepoTags":null,"Layers":["../../etc/passwd"]}]"#,
            ),
            (
                "c.json",
                br#"{"rootfs":{"type":"layers","diff_ids":["sha256:0000000000000000000000000000000000000000000000000000000000000000"]}}"#,
            ),
        ]),
    )
    .unwrap();
    let reason = malformed(scan_paths(&[&archive], Policy::embedded()).unwrap_err());
    assert_eq!(reason, "layer ../../etc/passwd is listed but missing");
}

/// Stores a blob under its real SHA-256 (digests are checked) and returns `sha256:<hex>`.
fn put(dir: &Path, data: &[u8]) -> String {
    let d = aws_lc_rs::digest::digest(&aws_lc_rs::digest::SHA256, data);
    let hex: String = d.as_ref().iter().map(|b| format!("{b:02x}")).collect();
    fs::create_dir_all(dir.join("blobs/sha256")).unwrap();
    fs::write(dir.join("blobs/sha256").join(&hex), data).unwrap();
    format!("sha256:{hex}")
}

fn layout(dir: &Path, index: &str) {
    fs::create_dir_all(dir.join("blobs/sha256")).unwrap();
    fs::write(dir.join("oci-layout"), r#"{"imageLayoutVersion":"1.0.0"}"#).unwrap();
    fs::write(dir.join("index.json"), index).unwrap();
}

#[test]
fn oci_digests_cannot_walk_out_of_the_layout() {
    let dir = work_dir("digest");
    layout(
        &dir,
        r#"{"schemaVersion":2,"manifests":[{"digest":"sha256:../../../etc/passwd","size":1}]}"#,
    );
    let reason = malformed(scan_paths(&[&dir], Policy::embedded()).unwrap_err());
    assert!(
        reason.starts_with("invalid digest \"sha256:../../../etc/passwd\""),
        "{reason}"
    );
}

#[test]
fn oci_blob_symlinks_resolve_inside_the_layout() {
    let dir = work_dir("symlink");
    let hex = "a".repeat(64);
    layout(
        &dir,
        &format!(r#"{{"schemaVersion":2,"manifests":[{{"digest":"sha256:{hex}","size":1}}]}}"#),
    );
    // An absolute link restarts at the layout's root, where there is no etc/passwd.
    std::os::unix::fs::symlink("/etc/passwd", dir.join("blobs/sha256").join(&hex)).unwrap();
    let reason = malformed(scan_paths(&[&dir], Policy::embedded()).unwrap_err());
    assert!(reason.contains("is listed but its blob"), "{reason}");
}

#[test]
fn an_index_that_lists_itself_ends() {
    let dir = work_dir("loop");
    // blob X is an index listing X.
    let hex = "b".repeat(64);
    let doc =
        format!(r#"{{"schemaVersion":2,"manifests":[{{"digest":"sha256:{hex}","size":1}}]}}"#);
    layout(&dir, &doc);
    fs::write(dir.join("blobs/sha256").join(&hex), &doc).unwrap();
    // A blob cannot hold its own digest: since digests are checked, the loop cannot even
    // start; the visited-set still ends one (a digest listed twice is read once).
    let reason = malformed(scan_paths(&[&dir], Policy::embedded()).unwrap_err());
    assert!(reason.contains("refusing it"), "{reason}");
}

#[test]
fn a_layer_that_lies_about_its_size_is_malformed() {
    let dir = work_dir("liar");
    let mut layer = tar_of(&[("usr/bin/etcd", b"\x7fELF")]);
    // Claim 8 GiB of data in the first header (octal size field at 124..136), fix the checksum.
    layer[124..136].copy_from_slice(b"77777777777\0");
    let mut h = tar::Header::new_old();
    h.as_mut_bytes().copy_from_slice(&layer[..512]);
    h.set_cksum();
    layer[..512].copy_from_slice(h.as_bytes());
    let layer_digest = put(&dir, &layer);
    let manifest = put(
        &dir,
        format!(r#"{{"schemaVersion":2,"layers":[{{"digest":"{layer_digest}","size":1}}]}}"#)
            .as_bytes(),
    );
    layout(
        &dir,
        &format!(r#"{{"schemaVersion":2,"manifests":[{{"digest":"{manifest}","size":1}}]}}"#),
    );
    let reason = malformed(scan_paths(&[&dir], Policy::embedded()).unwrap_err());
    let hex = layer_digest.strip_prefix("sha256:").unwrap();
    assert_eq!(
        reason,
        format!("layer blobs/sha256/{hex}: usr/bin/etcd: the archive ends inside an entry's data")
    );
}

/// An OCI layout of one layer blob, as the scanner reads it.
fn one_layer_layout(dir: &Path, blob: &[u8]) -> String {
    let layer = put(dir, blob);
    let manifest = put(
        dir,
        format!(r#"{{"schemaVersion":2,"layers":[{{"digest":"{layer}","size":1}}]}}"#).as_bytes(),
    );
    layout(
        dir,
        &format!(r#"{{"schemaVersion":2,"manifests":[{{"digest":"{manifest}","size":1}}]}}"#),
    );
    layer
}

/// zstd layers (`application/vnd.oci.image.layer.v1.tar+zstd`, OCI image spec layer.md;
/// frames per RFC 8878) are read as containerd reads them; a damaged frame is an error
/// naming the layer, never a verdict.
#[test]
fn zstd_layers_are_read_and_gzip_archives_are_refused_with_the_fix() {
    let dir = work_dir("zstd");
    let tar = tar_of(&[("usr/bin/etcd", b"\x7fELF")]);
    let zstd = zstd::encode_all(&tar[..], 3).unwrap();
    one_layer_layout(&dir, &zstd);
    let report = scan_paths(&[&dir], Policy::embedded()).unwrap();
    let paths: Vec<&str> = report.results.iter().map(|r| r.path.as_str()).collect();
    assert!(
        paths.len() == 1 && paths[0].ends_with("!/usr/bin/etcd"),
        "{paths:?}"
    );

    let damaged = work_dir("zstd-damaged");
    let layer = one_layer_layout(&damaged, &[0x28, 0xb5, 0x2f, 0xfd, 0]);
    let reason = malformed(scan_paths(&[&damaged], Policy::embedded()).unwrap_err());
    let hex = layer.strip_prefix("sha256:").unwrap();
    assert!(
        reason.starts_with(&format!("layer blobs/sha256/{hex}: ")),
        "{reason}"
    );

    let gz = dir.join("image.tar.gz");
    fs::write(&gz, [0x1f, 0x8b, 8, 0, 0, 0, 0, 0]).unwrap();
    let reason = malformed(scan_paths(&[&gz], Policy::embedded()).unwrap_err());
    assert!(reason.contains("gunzip it first"), "{reason}");
}

#[test]
fn a_missing_path_is_an_error_not_a_verdict() {
    let err = scan_paths(&["/nonexistent/fips/kubelet"], Policy::embedded()).unwrap_err();
    // A path the user named that cannot be opened: kind `file`, as for every reader.
    assert_eq!((err.kind(), err.variant()), ("file", "not-found"));
    assert!(
        err.to_string().contains("/nonexistent/fips/kubelet: "),
        "{err}"
    );
}

#[test]
fn a_tiny_elf_header_alone_is_unreadable() {
    let dir = work_dir("tiny");
    let file = dir.join("kubectl");
    // A valid ELF64 identification and nothing else.
    let mut bytes = vec![0x7f, b'E', b'L', b'F', 2, 1, 1, 0];
    bytes.resize(64, 0);
    bytes[16] = 2; // ET_EXEC
    bytes[18] = 62; // EM_X86_64
    bytes[0x3a] = 64; // e_shentsize
    bytes[0x3c] = 0xff; // e_shnum = 65535, at e_shoff 0: far past the end
    bytes[0x3d] = 0xff;
    bytes[0x28] = 64; // e_shoff
    fs::write(&file, &bytes).unwrap();
    let report = scan_paths(&[&file], Policy::embedded()).unwrap();
    let r = &report.results[0];
    assert_eq!(r.format, Format::Elf);
    assert_eq!(
        r.findings[0].code,
        Code::ScanUnreadable,
        "{:#?}",
        r.findings
    );
    assert!(!report.compliant);
}
