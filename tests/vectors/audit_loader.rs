//! The Rust reader of `tests/vectors/audit.json`, shared by the fips-core and fipsctl suites
//! (`#[path]`-included). Unknown fields are refused and `count` is checked.
#![allow(dead_code)]

use std::path::{Path, PathBuf};

use serde::Deserialize;

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct File {
    schema: u32,
    kind: String,
    description: String,
    count: usize,
    vectors: Vec<AuditVector>,
}

/// One audit vector: manifests (paths from the top directory) or inline text, optional old
/// manifests and policy file.
#[derive(Deserialize, Debug, Clone)]
#[serde(deny_unknown_fields)]
pub struct AuditVector {
    pub id: String,
    pub source: String,
    pub comment: Option<String>,
    pub manifests: Option<Vec<String>>,
    pub text: Option<String>,
    pub old: Option<Vec<String>>,
    pub policy: Option<String>,
    pub expect: AuditExpect,
}

#[derive(Deserialize, Debug, Clone)]
#[serde(deny_unknown_fields)]
pub struct AuditExpect {
    pub valid: bool,
    pub compliant: Option<bool>,
    /// How many cluster reports, when the vector says.
    pub clusters: Option<usize>,
    /// Every finding, in report order (clusters in order, then rule order).
    pub findings: Option<Vec<ExpectedFinding>>,
    pub error_kind: Option<String>,
}

#[derive(Deserialize, Debug, Clone, PartialEq, Eq)]
#[serde(deny_unknown_fields)]
pub struct ExpectedFinding {
    pub code: String,
    /// The kind of the object the finding points into.
    pub kind: String,
    /// The JSONPath of the field.
    pub field: String,
    /// The value to set, when the vector pins it.
    pub remediation: Option<String>,
}

pub fn top() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .expect("crates sit one level below the top")
        .to_path_buf()
}

pub fn load_audit() -> Vec<AuditVector> {
    let path = top().join("tests/vectors/audit.json");
    let text = std::fs::read_to_string(&path).expect("tests/vectors/audit.json");
    let file: File = serde_json::from_str(&text).expect("audit.json follows the format");
    assert_eq!(file.schema, 1);
    assert_eq!(file.kind, "audit");
    assert!(!file.description.is_empty());
    assert_eq!(file.count, file.vectors.len(), "count matches the vectors");
    let mut ids: Vec<&str> = file.vectors.iter().map(|v| v.id.as_str()).collect();
    ids.sort_unstable();
    ids.dedup();
    assert_eq!(ids.len(), file.vectors.len(), "ids are unique");
    for v in &file.vectors {
        assert!(!v.source.is_empty(), "{}: a source", v.id);
        assert!(
            v.manifests.is_some() != v.text.is_some(),
            "{}: give exactly one of manifests and text",
            v.id
        );
        assert_eq!(
            v.expect.valid,
            v.expect.error_kind.is_none(),
            "{}: error_kind exactly when not valid",
            v.id
        );
    }
    file.vectors
}

/// Checks a JSON audit report (the serde shape of `AuditReport`) against a vector.
pub fn check_report(v: &AuditVector, report: &serde_json::Value) {
    let e = &v.expect;
    assert_eq!(
        report["compliant"].as_bool(),
        e.compliant,
        "{}: compliant; {report:#}",
        v.id
    );
    let clusters = report["clusters"].as_array().expect("clusters");
    if let Some(n) = e.clusters {
        assert_eq!(clusters.len(), n, "{}: clusters; {report:#}", v.id);
    }
    let got: Vec<ExpectedFinding> = clusters
        .iter()
        .flat_map(|c| c["findings"].as_array().expect("findings").iter())
        .map(|f| ExpectedFinding {
            code: f["code"].as_str().expect("code").to_owned(),
            kind: f["object"]["kind"].as_str().unwrap_or_default().to_owned(),
            field: f["field"].as_str().expect("field").to_owned(),
            remediation: f["remediation"].as_str().map(str::to_owned),
        })
        .collect();
    let want = e.findings.clone().unwrap_or_default();
    assert_eq!(got.len(), want.len(), "{}: findings {got:#?}", v.id);
    for (g, w) in got.iter().zip(&want) {
        assert_eq!(
            (&g.code, &g.kind, &g.field),
            (&w.code, &w.kind, &w.field),
            "{}: {got:#?}",
            v.id
        );
        if w.remediation.is_some() {
            assert_eq!(g.remediation, w.remediation, "{}: remediation", v.id);
        }
    }
}
