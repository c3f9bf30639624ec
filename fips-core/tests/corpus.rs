//! The real-distribution corpus (`tests/roots/distros/`, python-distro's fixtures) is whole:
//! every copied tree and every os-release file has its vector, and the layouts seen in the
//! wild survived the copy. The verdicts themselves are checked by `tests/vectors.rs` with
//! every other vector.

#[path = "../../tests/vectors/loader.rs"]
mod loader;

use std::{collections::BTreeSet, fs, path::Path};

use loader::{load, top};

/// The issue asks for at least 40 real systems, and every copied tree must have a vector.
#[test]
fn corpus_covers_every_copied_tree() {
    let vectors = load().distros;
    assert!(vectors.len() >= 40, "only {} distributions", vectors.len());
    let in_vectors: BTreeSet<String> = vectors.iter().map(|v| v.root.clone()).collect();
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

/// Every os-release file of the corpus has a vector, so a tree added later is not skipped.
#[test]
fn every_real_os_release_file_has_a_vector() {
    let listed: BTreeSet<(String, String)> = load()
        .osrelease
        .into_iter()
        .filter_map(|v| Some((v.root?, v.path?)))
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
