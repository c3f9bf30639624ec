//! The Rust reader of `tests/vectors/*.json`, shared by the fips-core and fipsctl suites
//! (`#[path]`-included). Unknown fields are refused and `count` is checked, so a truncated
//! or mistyped file fails loudly.
#![allow(dead_code)]

use std::{
    collections::{BTreeMap, BTreeSet},
    path::{Path, PathBuf},
};

use serde::Deserialize;
use serde_json::Value;

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct File<V> {
    schema: u32,
    kind: String,
    description: String,
    count: usize,
    vectors: Vec<V>,
}

#[derive(Deserialize, Debug, Clone)]
#[serde(deny_unknown_fields)]
pub struct VersionVector {
    pub id: String,
    pub source: String,
    pub comment: Option<String>,
    pub input: String,
    pub expect: VersionExpect,
}

#[derive(Deserialize, Debug, Clone)]
#[serde(deny_unknown_fields)]
pub struct VersionExpect {
    pub valid: bool,
    pub version: Option<String>,
    pub fips: Option<bool>,
    pub fips_build: Option<u64>,
    pub kubernetes_tag: Option<String>,
    pub etcd_tag: Option<String>,
}

#[derive(Deserialize, Debug, Clone)]
#[serde(deny_unknown_fields)]
pub struct TagVector {
    pub id: String,
    pub source: String,
    pub comment: Option<String>,
    pub tag: String,
    pub expect: TagExpect,
}

#[derive(Deserialize, Debug, Clone)]
#[serde(deny_unknown_fields)]
pub struct TagExpect {
    pub valid: bool,
    pub version: Option<String>,
    pub error: Option<String>,
}

#[derive(Deserialize, Debug, Clone)]
#[serde(deny_unknown_fields)]
pub struct ImageVector {
    pub id: String,
    pub source: String,
    pub comment: Option<String>,
    pub input: String,
    pub expect: ImageExpect,
}

#[derive(Deserialize, Debug, Clone)]
#[serde(deny_unknown_fields)]
pub struct ImageExpect {
    pub valid: bool,
    pub registry: Option<String>,
    pub repository: Option<String>,
    pub tag: Option<String>,
    pub digest: Option<String>,
    pub reference: Option<String>,
}

#[derive(Deserialize, Debug, Clone)]
#[serde(deny_unknown_fields)]
pub struct RequestVector {
    pub id: String,
    pub source: String,
    pub comment: Option<String>,
    pub args: Option<Vec<String>>,
    pub json: Option<Value>,
    pub policy: Option<String>,
    pub expect: VerdictExpect,
}

/// The expectation of a verdict (`requests`, `transitions`).
#[derive(Deserialize, Debug, Clone)]
#[serde(deny_unknown_fields)]
pub struct VerdictExpect {
    pub valid: bool,
    pub compliant: Option<bool>,
    pub allowed: Option<bool>,
    pub codes: Option<Vec<String>>,
    #[serde(default)]
    pub remediations: BTreeMap<String, String>,
    pub error_kind: Option<String>,
}

#[derive(Deserialize, Debug, Clone)]
#[serde(deny_unknown_fields)]
pub struct TransitionVector {
    pub id: String,
    pub source: String,
    pub comment: Option<String>,
    pub current: String,
    pub desired: String,
    pub expect: VerdictExpect,
}

#[derive(Deserialize, Debug, Clone)]
#[serde(deny_unknown_fields)]
pub struct OsReleaseVector {
    pub id: String,
    pub source: String,
    pub comment: Option<String>,
    pub text: Option<String>,
    pub root: Option<String>,
    pub path: Option<String>,
    pub expect: OsReleaseExpect,
}

#[derive(Deserialize, Debug, Clone)]
#[serde(deny_unknown_fields)]
pub struct OsReleaseExpect {
    pub fields: BTreeMap<String, String>,
    pub id: Option<String>,
    pub ignored_lines: Option<Vec<usize>>,
}

#[derive(Deserialize, Debug, Clone)]
#[serde(deny_unknown_fields)]
pub struct HostVector {
    pub id: String,
    pub source: String,
    pub comment: Option<String>,
    pub root: String,
    pub expect: HostExpect,
}

#[derive(Deserialize, Debug, Clone)]
#[serde(deny_unknown_fields)]
pub struct HostExpect {
    pub valid: bool,
    pub os: Option<HostOsExpect>,
    pub os_supported: Option<bool>,
    pub fips_mode: Option<bool>,
    pub fips_prepared: Option<bool>,
    pub compliant: Option<bool>,
    pub codes: Option<Vec<String>>,
    pub error_kind: Option<String>,
}

#[derive(Deserialize, Debug, Clone, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct HostOsExpect {
    pub id: String,
    pub version: Option<String>,
}

#[derive(Deserialize, Debug, Clone)]
#[serde(deny_unknown_fields)]
pub struct DistroVector {
    pub id: String,
    pub source: String,
    pub comment: Option<String>,
    pub root: String,
    pub expect: DistroExpect,
}

#[derive(Deserialize, Debug, Clone)]
#[serde(deny_unknown_fields)]
pub struct DistroExpect {
    pub id: Option<String>,
    pub version: Option<String>,
    pub supported: bool,
}

/// A call that gives no verdict, and the error it must give (`errors.json`).
#[derive(Deserialize, Debug, Clone)]
#[serde(deny_unknown_fields)]
pub struct ErrorVector {
    pub id: String,
    pub source: String,
    pub comment: Option<String>,
    /// What is called: one of [`ERROR_CALLS`].
    pub call: String,
    /// The call's string arguments, in the order the Rust function takes them.
    pub input: Vec<String>,
    pub expect: ErrorExpect,
}

/// The calls `errors.json` may name (README: "Kinds").
pub const ERROR_CALLS: &[&str] = &[
    "version",
    "tag",
    "image",
    "request-args",
    "request-json",
    "transition",
    "policy-toml",
    "policy-file",
    "host",
    "scan",
];

#[derive(Deserialize, Debug, Clone)]
#[serde(deny_unknown_fields)]
pub struct ErrorExpect {
    /// `Error::kind()`.
    pub kind: String,
    /// `Error::variant()`.
    pub variant: String,
}

impl ErrorVector {
    /// The single input of a one-argument call; a vector with another count fails.
    pub fn one(&self) -> &str {
        match self.input.as_slice() {
            [one] => one,
            other => panic!("{}: {} takes one input, got {other:?}", self.id, self.call),
        }
    }
}

/// The fields of an os-release file vector to compare: CPython's parse (the expectation of
/// file-based vectors) adds os-release(5)'s defaults, so add them to ours too.
pub fn expected_fields(
    v: &OsReleaseVector,
    parsed: &BTreeMap<String, String>,
) -> BTreeMap<String, String> {
    let mut fields = parsed.clone();
    if v.text.is_none() {
        for (key, default) in [("NAME", "Linux"), ("ID", "linux"), ("PRETTY_NAME", "Linux")] {
            fields
                .entry(key.to_owned())
                .or_insert_with(|| default.to_owned());
        }
    }
    fields
}

/// Every vector file, by kind.
#[derive(Default)]
pub struct Vectors {
    pub versions: Vec<VersionVector>,
    pub tags: Vec<TagVector>,
    pub images: Vec<ImageVector>,
    pub requests: Vec<RequestVector>,
    pub transitions: Vec<TransitionVector>,
    pub osrelease: Vec<OsReleaseVector>,
    pub hosts: Vec<HostVector>,
    pub distros: Vec<DistroVector>,
    pub errors: Vec<ErrorVector>,
}

/// The repository's top directory.
pub fn top() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .expect("crates sit one level below the top")
        .to_path_buf()
}

fn read<V: for<'de> Deserialize<'de>>(
    path: &Path,
    kind: &str,
    text: &str,
    id: fn(&V) -> &str,
) -> Vec<V> {
    let file: File<V> = serde_json::from_str(text)
        .unwrap_or_else(|e| panic!("{}: not a valid {kind} vector file: {e}", path.display()));
    assert_eq!(file.schema, 1, "{}: unknown schema", path.display());
    assert!(
        !file.description.is_empty(),
        "{}: no description",
        path.display()
    );
    assert_eq!(
        file.count,
        file.vectors.len(),
        "{}: count says {} but {} vectors",
        path.display(),
        file.count,
        file.vectors.len()
    );
    let mut ids = BTreeSet::new();
    for v in &file.vectors {
        assert!(
            ids.insert(id(v).to_owned()),
            "{}: duplicate id {}",
            path.display(),
            id(v)
        );
    }
    file.vectors
}

/// Loads every `*.json` under `tests/vectors`; an unknown kind fails.
pub fn load() -> Vectors {
    let dir = top().join("tests/vectors");
    let mut vectors = Vectors::default();
    let mut files: Vec<PathBuf> = std::fs::read_dir(&dir)
        .expect("tests/vectors exists")
        .map(|e| e.expect("readable dir entry").path())
        .filter(|p| p.extension().is_some_and(|e| e == "json"))
        .collect();
    files.sort();
    assert!(!files.is_empty(), "no vector files in {}", dir.display());
    for path in files {
        let text = std::fs::read_to_string(&path).expect("readable vector file");
        let kind: Value = serde_json::from_str(&text).expect("vector file is JSON");
        let kind = kind["kind"].as_str().unwrap_or_default().to_owned();
        match kind.as_str() {
            "versions" => {
                vectors
                    .versions
                    .extend(read(&path, &kind, &text, |v: &VersionVector| &v.id))
            }
            "tags" => vectors
                .tags
                .extend(read(&path, &kind, &text, |v: &TagVector| &v.id)),
            "images" => vectors
                .images
                .extend(read(&path, &kind, &text, |v: &ImageVector| &v.id)),
            "requests" => {
                vectors
                    .requests
                    .extend(read(&path, &kind, &text, |v: &RequestVector| &v.id))
            }
            "transitions" => {
                vectors
                    .transitions
                    .extend(read(&path, &kind, &text, |v: &TransitionVector| &v.id))
            }
            "osrelease" => {
                vectors
                    .osrelease
                    .extend(read(&path, &kind, &text, |v: &OsReleaseVector| &v.id))
            }
            "hosts" => vectors
                .hosts
                .extend(read(&path, &kind, &text, |v: &HostVector| &v.id)),
            "distros" => vectors
                .distros
                .extend(read(&path, &kind, &text, |v: &DistroVector| &v.id)),
            "errors" => {
                let errors = read(&path, &kind, &text, |v: &ErrorVector| &v.id);
                for v in &errors {
                    assert!(
                        ERROR_CALLS.contains(&v.call.as_str()),
                        "{}: {}: unknown call {:?}",
                        path.display(),
                        v.id,
                        v.call
                    );
                }
                vectors.errors.extend(errors)
            }
            // Read by audit_loader.rs (fips-core/tests/audit_vectors.rs, fips-cli/tests/audit_cli.rs).
            "audit" => {}
            other => panic!("{}: unknown vector kind {other:?}", path.display()),
        }
    }
    vectors
}
