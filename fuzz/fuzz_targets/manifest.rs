//! Manifests: objects that read from a YAML/JSON stream, written back as a JSON stream, read
//! to the same objects and audit to the same report; every object read is either in exactly
//! one cluster's report or counted as ignored; a cluster is compliant exactly when none of its
//! findings is an error; the report's JSON reads back.

#![no_main]

use fips_core::{audit, read_objects, AuditReport, Policy, Severity};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    let Ok(objects) = read_objects(text) else {
        return;
    };

    let stream: String = objects
        .iter()
        .map(|o| serde_json::to_string(&o.body).expect("a JSON value serializes"))
        .collect::<Vec<_>>()
        .join("\n");
    let again = read_objects(&stream)
        .unwrap_or_else(|e| panic!("{text:?} written as {stream:?} does not read back: {e}"));
    let pairs = |os: &[fips_core::Object]| -> Vec<_> {
        os.iter()
            .map(|o| (o.reference.clone(), o.body.clone()))
            .collect()
    };
    assert_eq!(pairs(&objects), pairs(&again), "{text:?} -> {stream:?}");

    let first = audit(&objects, Policy::embedded());
    let second = audit(&again, Policy::embedded());
    let report = match (first, second) {
        (Ok(a), Ok(b)) => {
            assert_eq!(a, b, "{text:?}: the round trip changed the audit");
            a
        }
        (Err(_), Err(_)) => return,
        (a, b) => panic!("{text:?}: one side audits, the other fails: {a:?} / {b:?}"),
    };

    let placed: usize = report.clusters.iter().map(|c| c.objects.len()).sum();
    assert_eq!(
        placed + report.ignored,
        objects.len(),
        "{text:?}: an object is dropped or counted twice"
    );
    for cluster in &report.clusters {
        let errors = cluster
            .findings
            .iter()
            .any(|f| f.finding.severity == Severity::Error);
        assert_eq!(cluster.compliant, !errors, "{:?}", cluster.findings);
    }
    assert_eq!(
        report.compliant,
        !report.clusters.is_empty() && report.clusters.iter().all(|c| c.compliant)
    );
    let shown = serde_json::to_string(&report).expect("a report serializes");
    assert_eq!(serde_json::from_str::<AuditReport>(&shown).ok(), Some(report));
});
