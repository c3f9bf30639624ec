//! Defects the fuzz targets found (issue 8), kept as tests.
//!
//! Each input a target crashed on is kept under `fuzz/regressions/<target>/` (and replayed by
//! `scripts/fuzz` as part of that target's corpus). Here every kept input goes through the
//! property its target checks, and each finding has a test that states the rule it broke,
//! with the rule's source.

use std::{fs, path::PathBuf};

use fips_core::{ImageRef, ImageRepository};

/// distribution/reference `NameTotalLengthMax`.
const NAME_TOTAL_LENGTH_MAX: usize = 255;

fn regressions(target: &str) -> Vec<(String, String)> {
    let dir = PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("../fuzz/regressions")
        .join(target);
    let mut inputs: Vec<(String, String)> = fs::read_dir(&dir)
        .unwrap_or_else(|e| panic!("{}: {e}", dir.display()))
        .map(|entry| {
            let path = entry.expect("a directory entry").path();
            let name = path.file_name().unwrap().to_string_lossy().into_owned();
            let bytes = fs::read(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
            let text = String::from_utf8(bytes).expect("kept inputs are UTF-8");
            (name, text)
        })
        .collect();
    inputs.sort();
    assert!(!inputs.is_empty(), "{}: no kept inputs", dir.display());
    inputs
}

fn regression(target: &str, name: &str) -> String {
    regressions(target)
        .into_iter()
        .find(|(n, _)| n == name)
        .unwrap_or_else(|| panic!("fuzz/regressions/{target}/{name} is missing"))
        .1
}

/// What each kept input must give: `Ok(())` for an input that parses (its display must
/// then parse back to it, the target's property), or `Err(text)` for one that is refused
/// with a message containing `text`. Every kept input is listed, so a new one cannot be
/// added without saying what it must do.
fn expected_outcome(target: &str, name: &str) -> Result<(), &'static str> {
    match (target, name) {
        ("image_ref", "name-over-255-once-normalised") => Err("255"),
        ("image_repository", "name-over-255-once-normalised") => Err("255"),
        ("image_repository", "trailing-double-slash") => Err("empty path component"),
        _ => panic!("fuzz/regressions/{target}/{name}: no expected outcome in this test"),
    }
}

/// The `image_ref` target's property on every kept input: a reference that parses displays
/// as a reference that parses back to it; a refused one is refused for the kept reason.
#[test]
fn image_ref_inputs_keep_the_round_trip() {
    for (name, input) in regressions("image_ref") {
        match (
            ImageRef::parse(&input),
            expected_outcome("image_ref", &name),
        ) {
            (Ok(image), Ok(())) => {
                let shown = image.to_string();
                assert_eq!(ImageRef::parse(&shown), Ok(image), "{name}: {shown:?}");
            }
            (Err(err), Err(text)) => assert!(err.to_string().contains(text), "{name}: {err}"),
            (got, want) => panic!("{name}: got {got:?}, want {want:?}"),
        }
    }
}

/// The `image_repository` target's property, the same for repositories.
#[test]
fn image_repository_inputs_keep_the_round_trip() {
    for (name, input) in regressions("image_repository") {
        match (
            ImageRepository::parse(&input),
            expected_outcome("image_repository", &name),
        ) {
            (Ok(repository), Ok(())) => {
                let shown = repository.to_string();
                assert_eq!(
                    ImageRepository::parse(&shown),
                    Ok(repository),
                    "{name}: {shown:?}"
                );
            }
            (Err(err), Err(text)) => assert!(err.to_string().contains(text), "{name}: {err}"),
            (got, want) => panic!("{name}: got {got:?}, want {want:?}"),
        }
    }
}

/// distribution/reference `ParseNormalizedNamed` parses `domain + "/" + remainder` and
/// `Parse` refuses a name longer than `NameTotalLengthMax` (255): the limit is on the
/// normalised name. 238 characters become `docker.io/library/` + 238 = 256.
/// (fuzz target `image_ref`: it was accepted, and its own display was then refused.)
#[test]
fn image_name_limit_counts_the_normalised_name() {
    let input = regression("image_ref", "name-over-255-once-normalised");
    assert_eq!(
        "docker.io/library/".len() + input.len(),
        NAME_TOTAL_LENGTH_MAX + 1
    );
    let err = ImageRef::parse(&input).expect_err("256 characters once normalised");
    assert!(err.to_string().contains("255"), "{err}");
    // One shorter fits exactly.
    let image = ImageRef::parse(&input[1..]).expect("255 characters once normalised");
    assert_eq!(image.to_string().len(), NAME_TOTAL_LENGTH_MAX);
}

/// The same rule the other way: `index.docker.io/` normalises to the shorter `docker.io/`,
/// so a name written with it may be longer than 255 as typed and still be valid.
#[test]
fn image_name_limit_after_docker_hub_alias() {
    let path = format!("x/{}", "a".repeat(243));
    let image = ImageRef::parse(&format!("index.docker.io/{path}"))
        .expect("docker.io/ + 245 = 255 characters once normalised");
    assert_eq!(image.registry, "docker.io");
    assert_eq!(image.repository, path);
    assert_eq!(image.to_string().len(), NAME_TOTAL_LENGTH_MAX);
}

/// A repository prefix longer than 255 once normalised can name no image (the image's name
/// is longer still), so it is refused like one. 246 characters become `docker.io/` + 246.
/// (fuzz target `image_repository`: it was accepted, and its own display was then refused.)
#[test]
fn repository_limit_counts_the_normalised_name() {
    let input = regression("image_repository", "name-over-255-once-normalised");
    assert_eq!("docker.io/".len() + input.len(), NAME_TOTAL_LENGTH_MAX + 1);
    assert!(ImageRepository::parse(&input).is_err());
    let repository = ImageRepository::parse(&input[1..]).expect("255 once normalised");
    assert_eq!(repository.to_string().len(), NAME_TOTAL_LENGTH_MAX);
}

/// distribution/reference grammar: path components are joined by single `/`, each
/// non-empty. One trailing `/` is tolerated on a repository flag; `//` is an empty
/// component. (fuzz target `image_repository`: `A//` was accepted as registry `A`, whose
/// display `A` is then refused as an upper-case Docker Hub path.)
#[test]
fn repository_with_empty_component_is_refused() {
    let input = regression("image_repository", "trailing-double-slash");
    assert_eq!(input, "A//");
    for bad in [input.as_str(), "registry.local//", "docker.io/mesosphere//"] {
        let err = ImageRepository::parse(bad).expect_err(bad);
        assert!(
            err.to_string().contains("empty path component"),
            "{bad}: {err}"
        );
    }
    assert_eq!(
        ImageRepository::parse("registry.local/").map(|r| r.to_string()),
        Ok("registry.local".to_owned())
    );
}
