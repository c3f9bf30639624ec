//! The kustomize base registers the webhook for every kind fips-core audits, and its RBAC
//! lets the webhook read them (`get` only).

use fips_core::AUDITED_KINDS;

fn read(name: &str) -> String {
    std::fs::read_to_string(format!("{}/../deploy/{name}", env!("CARGO_MANIFEST_DIR")))
        .expect("deploy file")
}

#[test]
fn webhook_rules_and_rbac_cover_every_audited_kind() {
    let webhook = read("webhook.yaml");
    let rbac = read("rbac.yaml");
    for kind in AUDITED_KINDS.iter().filter(|k| k.served) {
        let group = format!("apiGroups: [{}]", kind.group);
        for (file, text) in [("webhook.yaml", &webhook), ("rbac.yaml", &rbac)] {
            let Some(at) = text.find(&group) else {
                panic!("{file} has no rule for {}", kind.group);
            };
            let end = text[at + 1..]
                .find("apiGroups:")
                .map_or(text.len(), |e| at + 1 + e);
            assert!(
                text[at..end].contains(kind.plural),
                "{file}: {} ({}) is not covered",
                kind.plural,
                kind.group
            );
        }
    }
    for required in [
        "failurePolicy: Fail",
        "sideEffects: None",
        "admissionReviewVersions: [v1]",
        "matchPolicy: Equivalent",
        "timeoutSeconds: 10",
        "values: [fips-webhook]",
    ] {
        assert!(webhook.contains(required), "webhook.yaml lacks {required}");
    }
    assert!(!rbac.contains("list") && !rbac.contains("watch") && !rbac.contains("update"));
}
