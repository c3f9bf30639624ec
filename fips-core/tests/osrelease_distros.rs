//! `OsRelease::parse` against CPython's `platform.freedesktop_os_release` on every real
//! os-release file under `tests/roots/distros/`.
//!
//! `tests/vectors/osrelease-distros.json` holds CPython's answers (written by
//! `scripts/gen-osrelease-distros.py`, which calls CPython's parser): the fields with
//! CPython's defaults `NAME=Linux`, `ID=linux`, `PRETTY_NAME=Linux`, the same defaults
//! os-release(5) gives. The Rust side is `fields()` plus those defaults.

use std::{
    collections::{BTreeMap, BTreeSet},
    fs,
    path::{Path, PathBuf},
};

use fips_core::OsRelease;
use serde::Deserialize;

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct VectorFile {
    schema: u32,
    kind: String,
    description: String,
    count: usize,
    vectors: Vec<Vector>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct Vector {
    id: String,
    source: String,
    comment: Option<String>,
    root: String,
    path: String,
    expect: Expect,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct Expect {
    fields: BTreeMap<String, String>,
}

/// os-release(5) defaults, which CPython's parser also starts from.
const DEFAULTS: [(&str, &str); 3] = [("NAME", "Linux"), ("ID", "linux"), ("PRETTY_NAME", "Linux")];

fn top() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .expect("fips-core lives in the workspace")
        .to_path_buf()
}

fn load() -> VectorFile {
    let path = top().join("tests/vectors/osrelease-distros.json");
    let text = fs::read_to_string(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    let file: VectorFile =
        serde_json::from_str(&text).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    assert_eq!(file.schema, 1, "osrelease-distros.json: schema");
    assert_eq!(file.kind, "osrelease", "osrelease-distros.json: kind");
    assert!(
        !file.description.is_empty(),
        "osrelease-distros.json: description"
    );
    assert_eq!(
        file.count,
        file.vectors.len(),
        "osrelease-distros.json: count says {} but there are {} vectors",
        file.count,
        file.vectors.len()
    );
    let mut ids = BTreeSet::new();
    for v in &file.vectors {
        assert!(ids.insert(v.id.as_str()), "duplicate id {}", v.id);
        assert!(!v.source.is_empty(), "{}: empty source", v.id);
        assert_ne!(v.comment.as_deref(), Some(""), "{}: empty comment", v.id);
    }
    file
}

/// What `platform.freedesktop_os_release()` would return, computed from `OsRelease`.
fn with_defaults(os: &OsRelease) -> BTreeMap<String, String> {
    let mut fields = os.fields().clone();
    for (key, value) in DEFAULTS {
        fields
            .entry(key.to_owned())
            .or_insert_with(|| value.to_owned());
    }
    fields
}

#[test]
fn parse_agrees_with_cpython_on_every_real_file() {
    let file = load();
    let mut wrong = Vec::new();
    for v in &file.vectors {
        let path = top().join(&v.root).join(&v.path);
        let text = fs::read_to_string(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
        let got = with_defaults(&OsRelease::parse(&text));
        if got != v.expect.fields {
            let keys: BTreeSet<&String> = got.keys().chain(v.expect.fields.keys()).collect();
            let diffs: Vec<String> = keys
                .into_iter()
                .filter(|k| got.get(*k) != v.expect.fields.get(*k))
                .map(|k| {
                    format!(
                        "  {k}: CPython {:?}, OsRelease {:?}",
                        v.expect.fields.get(k),
                        got.get(k)
                    )
                })
                .collect();
            wrong.push(format!(
                "{} ({}):\n{}",
                v.id,
                path.display(),
                diffs.join("\n")
            ));
        }
        // os-release(5)'s `ID` default, as `OsRelease::id` applies it, is CPython's too.
        assert_eq!(
            Some(&OsRelease::parse(&text).id().to_owned()),
            v.expect.fields.get("ID")
        );
    }
    assert!(
        wrong.is_empty(),
        "{} of {} files parse differently from CPython:\n{}",
        wrong.len(),
        file.vectors.len(),
        wrong.join("\n")
    );
}

/// Every os-release file of the corpus has a vector, so a tree added later is not skipped.
#[test]
fn every_real_os_release_file_has_a_vector() {
    let file = load();
    let listed: BTreeSet<(String, String)> = file
        .vectors
        .iter()
        .map(|v| (v.root.clone(), v.path.clone()))
        .collect();
    let roots = top().join("tests/roots/distros");
    let mut on_disk = BTreeSet::new();
    for entry in fs::read_dir(&roots).unwrap_or_else(|e| panic!("{}: {e}", roots.display())) {
        let entry = entry.expect("readable directory entry");
        let name = entry.file_name().to_string_lossy().into_owned();
        for rel in [
            "etc/os-release",
            "usr/lib/os-release",
            "etc/os-release.orig",
        ] {
            let meta = fs::symlink_metadata(entry.path().join(rel));
            if meta.is_ok_and(|m| m.file_type().is_file()) {
                on_disk.insert((format!("tests/roots/distros/{name}"), rel.to_owned()));
            }
        }
    }
    assert_eq!(
        on_disk, listed,
        "rerun scripts/gen-osrelease-distros.py: the os-release files and the vectors differ"
    );
    assert!(listed.len() >= 40, "only {} os-release files", listed.len());
}
