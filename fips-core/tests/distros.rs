//! Real distributions: every tree of `tests/vectors/distros.json` (python-distro's fixtures,
//! copied under `tests/roots/distros/` with their symlinks) probed under the embedded policy.
//!
//! Each vector's `expect` was written from the release files and the public facts about that
//! distribution, never from what the probe prints. A disagreement fails the test; it is a
//! bug in the probe or in the vector, never skipped.

use std::{
    collections::BTreeSet,
    fs,
    path::{Path, PathBuf},
};

use fips_core::{HostFips, Policy};
use serde::{Deserialize, Deserializer};

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
    expect: Expect,
}

/// `id` and `version` must be present, even when `null`.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct Expect {
    #[serde(deserialize_with = "present")]
    id: Option<String>,
    #[serde(deserialize_with = "present")]
    version: Option<String>,
    supported: bool,
}

/// Like `Option::deserialize`, but a missing field is an error rather than `None`.
fn present<'de, D: Deserializer<'de>>(d: D) -> Result<Option<String>, D::Error> {
    Option::deserialize(d)
}

fn top() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .expect("fips-core lives in the workspace")
        .to_path_buf()
}

fn load() -> VectorFile {
    let path = top().join("tests/vectors/distros.json");
    let text = fs::read_to_string(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    let file: VectorFile =
        serde_json::from_str(&text).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    assert_eq!(file.schema, 1, "distros.json: schema");
    assert_eq!(file.kind, "distros", "distros.json: kind");
    assert_eq!(
        file.count,
        file.vectors.len(),
        "distros.json: count says {} but there are {} vectors",
        file.count,
        file.vectors.len()
    );
    assert!(
        !file.description.is_empty(),
        "distros.json: empty description"
    );
    let mut ids = BTreeSet::new();
    for v in &file.vectors {
        assert!(
            ids.insert(v.id.as_str()),
            "distros.json: duplicate id {}",
            v.id
        );
        assert!(!v.source.is_empty(), "{}: empty source", v.id);
        assert_ne!(v.comment.as_deref(), Some(""), "{}: empty comment", v.id);
    }
    file
}

#[test]
fn every_distribution_gets_its_expected_verdict() {
    let file = load();
    let policy = Policy::embedded();
    let mut wrong = Vec::new();
    for v in &file.vectors {
        let root = top().join(&v.root);
        let host = match HostFips::probe(&root, policy) {
            Ok(host) => host,
            Err(e) => {
                wrong.push(format!("{}: probe of {} failed: {e}", v.id, v.root));
                continue;
            }
        };
        let id = host.os.as_ref().map(|os| os.id.clone());
        let version = host.os.as_ref().and_then(|os| os.version.clone());
        let got = (id, version, host.os_supported);
        let want = (
            v.expect.id.clone(),
            v.expect.version.clone(),
            v.expect.supported,
        );
        if got != want {
            wrong.push(format!(
                "{}: (id, version, supported) expected {want:?}, probe says {got:?} (os: {:?})",
                v.id, host.os
            ));
        }
    }
    assert!(
        wrong.is_empty(),
        "{} of {} distributions disagree:\n{}",
        wrong.len(),
        file.vectors.len(),
        wrong.join("\n")
    );
}

/// The issue asks for at least 40 real systems, and every copied tree must have a vector.
#[test]
fn corpus_covers_every_copied_tree() {
    let file = load();
    assert!(
        file.vectors.len() >= 40,
        "only {} distributions",
        file.vectors.len()
    );
    let in_vectors: BTreeSet<String> = file.vectors.iter().map(|v| v.root.clone()).collect();
    let dir = top().join("tests/roots/distros");
    let on_disk: BTreeSet<String> = fs::read_dir(&dir)
        .unwrap_or_else(|e| panic!("{}: {e}", dir.display()))
        .map(|entry| entry.expect("readable directory entry"))
        .filter(|entry| entry.file_type().is_ok_and(|t| t.is_dir()))
        .map(|entry| {
            format!(
                "tests/roots/distros/{}",
                entry.file_name().to_string_lossy()
            )
        })
        .collect();
    assert_eq!(
        on_disk, in_vectors,
        "tests/roots/distros/ and distros.json list different trees"
    );
}

/// The layouts seen in the wild survived the copy and the checkout: systemd distributions
/// ship `etc/os-release -> ../usr/lib/os-release` (os-release(5): "/etc/os-release should
/// be a relative symlink to /usr/lib/os-release"), and an image may have only
/// `usr/lib/os-release`. A checkout without symlinks (git `core.symlinks=false`) would turn
/// each link into a text file holding its target, and this test says so.
#[test]
fn real_layouts_are_kept() {
    let roots = top().join("tests/roots/distros");
    for name in [
        "almalinux10",
        "arch",
        "armbian",
        "fedora23",
        "fedora30",
        "mageia5",
        "rocky",
        "rocky9",
    ] {
        let link = roots.join(name).join("etc/os-release");
        let target = fs::read_link(&link).unwrap_or_else(|e| {
            panic!(
                "{}: expected a symlink to ../usr/lib/os-release ({e}); \
                 check out the repository with symlinks (git config core.symlinks true)",
                link.display()
            )
        });
        assert_eq!(target, Path::new("../usr/lib/os-release"), "{name}");
    }
    let only_usr = roots.join("fedora42");
    assert!(!only_usr.join("etc/os-release").exists());
    assert!(only_usr.join("usr/lib/os-release").is_file());
    // CentOS 7 keeps its minor in etc/centos-release; etc/redhat-release links to it.
    assert_eq!(
        fs::read_link(roots.join("centos7/etc/redhat-release")).expect("a symlink"),
        Path::new("centos-release")
    );
}
