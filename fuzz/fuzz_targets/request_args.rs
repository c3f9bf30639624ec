//! Request command line: the input is an argv, words separated by NUL as the kernel passes
//! them. A request that parses serializes to JSON that parses back to it; validating it
//! never panics, and it is compliant exactly when no finding is an error. And against a
//! pflag model written from pflag's source (`fips-core/tests/pflag_model/`), whatever the
//! types of the flags fipsctl does not know: never a request the model reads differently,
//! never compliant where the model refuses.

#![no_main]

#[path = "../../fips-core/tests/pflag_model/mod.rs"]
mod pflag_model;

use fips_core::{validate, ClusterRequest, Policy, Severity};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    let args: Vec<&str> = if text.is_empty() {
        Vec::new()
    } else {
        text.split('\0').collect()
    };
    pflag_model::check(&args);
    let Ok(request) = ClusterRequest::from_args(&args) else {
        return;
    };
    let json = serde_json::to_string(&request).expect("a request serializes");
    assert_eq!(
        ClusterRequest::from_json(&json).as_ref(),
        Ok(&request),
        "{args:?} serializes as {json:?}, which does not parse back"
    );

    let report = validate(&request, Policy::embedded()).expect("the self-test passes");
    let errors = report
        .findings
        .iter()
        .any(|f| f.severity == Severity::Error);
    assert_eq!(report.compliant, !errors, "{:?}", report.findings);
});
