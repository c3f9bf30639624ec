//! The cross-language conformance vectors, through the Rust API.

#[path = "../../tests/vectors/loader.rs"]
mod loader;

use fips_core::{
    check_transition, scan_paths, validate, ClusterRequest, Component, Error, FipsVersion,
    HostFips, ImageRef, OsRelease, Policy,
};
use loader::{load, top, VerdictExpect};

fn policy_for(path: Option<&str>) -> Policy {
    match path {
        Some(p) => Policy::from_file(top().join(p)).unwrap_or_else(|e| panic!("{p}: {e}")),
        None => Policy::embedded().clone(),
    }
}

fn codes(findings: &[fips_core::Finding]) -> Vec<String> {
    findings.iter().map(|f| f.code.to_string()).collect()
}

fn check_verdict(id: &str, expect: &VerdictExpect, ok: bool, findings: &[fips_core::Finding]) {
    assert!(expect.valid, "{id}: expected an error, got a verdict");
    let want_ok = expect
        .compliant
        .or(expect.allowed)
        .expect("verdict vectors say compliant or allowed");
    assert_eq!(ok, want_ok, "{id}: verdict; findings {findings:#?}");
    assert_eq!(Some(codes(findings)), expect.codes, "{id}: codes");
    for (code, remediation) in &expect.remediations {
        let f = findings
            .iter()
            .find(|f| f.code.as_str() == code)
            .unwrap_or_else(|| panic!("{id}: no {code}"));
        assert_eq!(&f.remediation, remediation, "{id}: remediation of {code}");
    }
}

fn check_error(id: &str, expect: &VerdictExpect, err: &Error) {
    assert!(!expect.valid, "{id}: unexpected error {err}");
    assert_eq!(
        Some(err.kind()),
        expect.error_kind.as_deref(),
        "{id}: error kind of {err}"
    );
}

#[test]
fn versions() {
    let vectors = load().versions;
    assert!(vectors.len() >= 30);
    for v in vectors {
        let e = &v.expect;
        match FipsVersion::parse(&v.input) {
            Ok(version) => {
                assert!(e.valid, "{}: {:?} parsed but should not", v.id, v.input);
                assert_eq!(Some(version.to_string()), e.version, "{}", v.id);
                assert_eq!(Some(version.is_fips()), e.fips, "{}", v.id);
                assert_eq!(version.fips_build(), e.fips_build, "{}", v.id);
                assert_eq!(
                    version.to_tag(Component::Kubernetes).ok().map(String::from),
                    e.kubernetes_tag,
                    "{}",
                    v.id
                );
                assert_eq!(
                    version.to_tag(Component::Etcd).ok().map(String::from),
                    e.etcd_tag,
                    "{}",
                    v.id
                );
                // The canonical text parses to the same version.
                assert_eq!(
                    FipsVersion::parse(&version.to_string()).as_ref(),
                    Ok(&version),
                    "{}",
                    v.id
                );
            }
            Err(err) => {
                assert!(!e.valid, "{}: {err}", v.id);
                assert!(
                    err.to_string().contains(&format!("{:?}", v.input)),
                    "{}: message names the input: {err}",
                    v.id
                );
            }
        }
    }
}

#[test]
fn tags() {
    for v in load().tags {
        match FipsVersion::from_tag(&v.tag) {
            Ok(version) => {
                assert!(v.expect.valid, "{}: converted but should not", v.id);
                assert_eq!(Some(version.to_string()), v.expect.version, "{}", v.id);
            }
            Err(err) => {
                assert!(!v.expect.valid, "{}: {err}", v.id);
                let err = Error::from(err);
                assert_eq!(err.kind(), "tag", "{}", v.id);
                assert_eq!(Some(err.variant()), v.expect.error.as_deref(), "{}", v.id);
            }
        }
    }
}

#[test]
fn images() {
    for v in load().images {
        let e = &v.expect;
        match ImageRef::parse(&v.input) {
            Ok(image) => {
                assert!(e.valid, "{}: parsed but should not: {image}", v.id);
                assert_eq!(Some(&image.registry), e.registry.as_ref(), "{}", v.id);
                assert_eq!(Some(&image.repository), e.repository.as_ref(), "{}", v.id);
                assert_eq!(image.tag, e.tag, "{}", v.id);
                assert_eq!(image.digest, e.digest, "{}", v.id);
                assert_eq!(Some(image.to_string()), e.reference, "{}", v.id);
                assert_eq!(
                    ImageRef::parse(&image.to_string()).as_ref(),
                    Ok(&image),
                    "{}: normal form is stable",
                    v.id
                );
            }
            Err(err) => assert!(!e.valid, "{}: {err}", v.id),
        }
    }
}

#[test]
fn requests() {
    let vectors = load().requests;
    assert!(vectors.len() >= 30);
    for v in vectors {
        let request = match (&v.args, &v.json) {
            (Some(args), None) => ClusterRequest::from_args(args),
            (None, Some(json)) => ClusterRequest::from_json(&json.to_string()),
            _ => panic!("{}: give exactly one of args and json", v.id),
        };
        let policy = policy_for(v.policy.as_deref());
        match request
            .map_err(Error::from)
            .and_then(|r| validate(&r, &policy))
        {
            Ok(report) => check_verdict(&v.id, &v.expect, report.compliant, &report.findings),
            Err(err) => check_error(&v.id, &v.expect, &err),
        }
    }
}

#[test]
fn transitions() {
    for v in load().transitions {
        let result = FipsVersion::parse(&v.current)
            .and_then(|c| Ok((c, FipsVersion::parse(&v.desired)?)))
            .map_err(Error::from)
            .and_then(|(c, d)| check_transition(&c, &d, Policy::embedded()));
        match result {
            Ok(report) => check_verdict(&v.id, &v.expect, report.allowed, &report.findings),
            Err(err) => check_error(&v.id, &v.expect, &err),
        }
    }
}

#[test]
fn osrelease() {
    for v in load().osrelease {
        let text = match (&v.text, &v.root, &v.path) {
            (Some(text), None, None) => text.clone(),
            (None, Some(root), Some(path)) => std::fs::read_to_string(top().join(root).join(path))
                .unwrap_or_else(|e| panic!("{}: {e}", v.id)),
            _ => panic!("{}: give text, or root and path", v.id),
        };
        let parsed = OsRelease::parse(&text);
        let fields = loader::expected_fields(&v, parsed.fields());
        assert_eq!(fields, v.expect.fields, "{}", v.id);
        if let Some(id) = &v.expect.id {
            assert_eq!(parsed.id(), id, "{}", v.id);
        }
        if let Some(ignored) = &v.expect.ignored_lines {
            assert_eq!(parsed.ignored_lines(), ignored.as_slice(), "{}", v.id);
        }
    }
}

#[test]
fn hosts() {
    for v in load().hosts {
        let e = &v.expect;
        match HostFips::probe(top().join(&v.root), Policy::embedded()) {
            Ok(host) => {
                assert!(e.valid, "{}: probed but should not: {host:#?}", v.id);
                let os = host.os.as_ref().map(|os| loader::HostOsExpect {
                    id: os.id.clone(),
                    version: os.version.clone(),
                });
                assert_eq!(os, e.os, "{}", v.id);
                assert_eq!(Some(host.os_supported), e.os_supported, "{}", v.id);
                assert_eq!(host.fips_mode, e.fips_mode, "{}", v.id);
                assert_eq!(Some(host.fips_prepared), e.fips_prepared, "{}", v.id);
                assert_eq!(
                    Some(host.compliant),
                    e.compliant,
                    "{}: {:#?}",
                    v.id,
                    host.findings
                );
                assert_eq!(
                    Some(codes(&host.findings)),
                    e.codes,
                    "{}: {:#?}",
                    v.id,
                    host.findings
                );
            }
            Err(err) => {
                assert!(!e.valid, "{}: {err}", v.id);
                assert_eq!(Some(err.kind()), e.error_kind.as_deref(), "{}: {err}", v.id);
            }
        }
    }
}

#[test]
fn distros() {
    for v in load().distros {
        let host = HostFips::probe(top().join(&v.root), Policy::embedded())
            .unwrap_or_else(|e| panic!("{}: {e}", v.id));
        assert_eq!(
            host.os.as_ref().map(|o| o.id.clone()),
            v.expect.id,
            "{}",
            v.id
        );
        assert_eq!(
            host.os.as_ref().and_then(|o| o.version.clone()),
            v.expect.version,
            "{}",
            v.id
        );
        assert_eq!(host.os_supported, v.expect.supported, "{}", v.id);
    }
}

/// Runs the call an `errors.json` vector names; it must fail.
fn error_of(v: &loader::ErrorVector) -> Error {
    let result: Result<(), Error> = match v.call.as_str() {
        "version" => FipsVersion::parse(v.one()).map(drop).map_err(Error::from),
        "tag" => FipsVersion::from_tag(v.one())
            .map(drop)
            .map_err(Error::from),
        "image" => ImageRef::parse(v.one()).map(drop).map_err(Error::from),
        "request-args" => ClusterRequest::from_args(&v.input)
            .map_err(Error::from)
            .and_then(|r| validate(&r, Policy::embedded()))
            .map(drop),
        "request-json" => ClusterRequest::from_json(v.one())
            .map_err(Error::from)
            .and_then(|r| validate(&r, Policy::embedded()))
            .map(drop),
        "transition" => match v.input.as_slice() {
            [current, desired] => FipsVersion::parse(current)
                .and_then(|c| Ok((c, FipsVersion::parse(desired)?)))
                .map_err(Error::from)
                .and_then(|(c, d)| check_transition(&c, &d, Policy::embedded()))
                .map(drop),
            other => panic!(
                "{}: transition takes current and desired, got {other:?}",
                v.id
            ),
        },
        "policy-toml" => Policy::from_toml_str(v.one())
            .map(drop)
            .map_err(Error::from),
        "policy-file" => Policy::from_file(top().join(v.one()))
            .map(drop)
            .map_err(Error::from),
        "host" => HostFips::probe(top().join(v.one()), Policy::embedded()).map(drop),
        "scan" => {
            let paths: Vec<_> = v.input.iter().map(|p| top().join(p)).collect();
            scan_paths(&paths, Policy::embedded()).map(drop)
        }
        other => panic!("{}: unknown call {other:?}", v.id),
    };
    result
        .err()
        .unwrap_or_else(|| panic!("{}: {} gave a result, not an error", v.id, v.call))
}

#[test]
fn errors() {
    let vectors = load().errors;
    assert!(vectors.len() >= 20, "errors.json holds {}", vectors.len());
    for v in vectors {
        let err = error_of(&v);
        assert_eq!(
            (err.kind(), err.variant()),
            (v.expect.kind.as_str(), v.expect.variant.as_str()),
            "{}: {err}",
            v.id
        );
        assert!(!err.to_string().is_empty(), "{}: a message", v.id);
    }
}

/// Every kind a vector can produce outside the self-test has a vector: a binding that
/// maps one kind wrongly fails its suite.
#[test]
fn errors_cover_every_kind_but_selftest() {
    let kinds: std::collections::BTreeSet<String> =
        load().errors.into_iter().map(|v| v.expect.kind).collect();
    assert_eq!(
        kinds.into_iter().collect::<Vec<_>>(),
        ["file", "image", "policy", "request", "root", "scan", "tag", "version"]
    );
}
