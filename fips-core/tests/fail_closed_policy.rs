//! Issue 12, item 1 and the policy half of item 18: a policy that would judge no scanned
//! binary, or whose mirrors contradict its builds, is refused at load with the field and the
//! fix; sections merge with the default field by field.

use fips_core::{CryptoModule, Policy, PolicyError};

fn top() -> std::path::PathBuf {
    std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .expect("the workspace")
        .to_owned()
}

fn refused(text: &str) -> String {
    match Policy::from_toml_str(text) {
        Err(e @ PolicyError::Invalid { .. }) => e.to_string(),
        other => panic!("{text:?} should be an invalid policy, got {other:?}"),
    }
}

#[test]
fn policy_without_components_is_refused() {
    // An empty file, a replacing policy without [scan], and an empty [scan].
    for text in [
        "",
        "extend_default = false\n",
        "[[builds]]\nkubernetes = { version = \"v1.22.8+fips.0\", repository = \"docker.io/mesosphere\" }\n\
         etcd = { version = \"v3.4.13+fips.0\", repository = \"docker.io/mesosphere\" }\n",
        "[scan]\n",
        "[scan]\naccepted_modules = [\"boringcrypto\"]\n",
        "[scan]\ncomponents = []\n",
    ] {
        let message = refused(text);
        assert!(
            message.starts_with("invalid policy: scan.components: no component is named"),
            "{message}"
        );
        assert!(message.contains("extend_default = true"), "{message}");
    }
    assert_eq!(
        refused(""),
        "invalid policy: scan.components: no component is named, so a scan would judge no \
         binary and find nothing wrong (extend_default is false, so nothing comes from the \
         default); list the binaries that must be FIPS builds under [scan], e.g. components = \
         [\"kube-apiserver\", \"etcd\"], or set extend_default = true to keep the default's"
    );
}

#[test]
fn component_that_is_no_file_name_is_refused() {
    for (name, index) in [("", 1), ("usr/bin/etcd", 1), ("..", 1)] {
        let text = format!("[scan]\ncomponents = [\"etcd\", {name:?}]\n");
        let message = refused(&text);
        assert!(
            message.starts_with(&format!("invalid policy: scan.components[{index}]: ")),
            "{message}"
        );
    }
}

#[test]
fn example_policy_with_extend_default_flipped_is_refused() {
    let text = std::fs::read_to_string(top().join("examples/policy.toml")).unwrap();
    assert!(Policy::from_toml_str(&text).is_ok());
    let flipped = text.replace("extend_default = true", "extend_default = false");
    assert_ne!(flipped, text, "the example sets extend_default = true");
    let message = refused(&flipped);
    assert!(message.contains("scan.components"), "{message}");
}

#[test]
fn partial_scan_section_keeps_the_default_fields() {
    let default = &Policy::embedded().scan;
    let modules_only = Policy::from_toml_str(
        "extend_default = true\n[scan]\naccepted_modules = [\"go-fips140\"]\n",
    )
    .unwrap();
    assert_eq!(modules_only.scan.components, default.components);
    assert_eq!(
        modules_only.scan.accepted_modules,
        [CryptoModule::Boringcrypto, CryptoModule::GoFips140]
    );

    let more = Policy::from_toml_str(
        "extend_default = true\n[scan]\ncomponents = [\"kube-proxy\", \"cilium-agent\"]\n",
    )
    .unwrap();
    let mut want = default.components.clone();
    want.push("cilium-agent".into());
    assert_eq!(more.scan.components, want, "added once, in order");
    assert_eq!(more.scan.accepted_modules, default.accepted_modules);

    // An empty [scan] adds nothing and drops nothing.
    let empty = Policy::from_toml_str("extend_default = true\n[scan]\n").unwrap();
    assert_eq!(&empty.scan, default);
}

#[test]
fn fips_repository_declared_a_mirror_is_refused() {
    let message = refused(
        "extend_default = true\n[[mirrors]]\nmirror = \"docker.io/mesosphere\"\n\
         upstream = \"evil.example.com/x\"\n",
    );
    assert!(
        message.starts_with(
            "invalid policy: mirrors[0]: docker.io/mesosphere is where a FIPS build comes from, \
             so it cannot stand for evil.example.com/x"
        ),
        "{message}"
    );
    // Docker Hub's other names are the same repository.
    let message = refused(
        "extend_default = true\n[[mirrors]]\nmirror = \"index.docker.io/mesosphere\"\n\
         upstream = \"registry.local/mesosphere\"\n",
    );
    assert!(
        message.starts_with("invalid policy: mirrors[0]: "),
        "{message}"
    );
}

#[test]
fn mirror_that_stands_for_nothing_or_two_things_is_refused() {
    let message = refused(
        "extend_default = true\n[[mirrors]]\nmirror = \"registry.local/mesosphere\"\n\
         upstream = \"docker.io/mesophere\"\n",
    );
    assert!(
        message.contains("docker.io/mesophere is not the repository of any build"),
        "{message}"
    );
    let message = refused(
        "extend_default = true\n[[mirrors]]\nmirror = \"registry.local/m\"\n\
         upstream = \"registry.local/m\"\n",
    );
    assert!(message.contains("a mirror of itself"), "{message}");
    let message = refused(
        "extend_default = true\n\
         [[builds]]\nkubernetes = { version = \"v1.21.6+fips.0\", repository = \"quay.io/vendor\" }\n\
         etcd = { version = \"v3.4.13+fips.0\", repository = \"quay.io/vendor\" }\n\
         [[mirrors]]\nmirror = \"registry.local/m\"\nupstream = \"docker.io/mesosphere\"\n\
         [[mirrors]]\nmirror = \"registry.local/m\"\nupstream = \"quay.io/vendor\"\n",
    );
    assert!(
        message.starts_with(
            "invalid policy: mirrors[1]: registry.local/m is declared a mirror of both"
        ),
        "{message}"
    );
}

#[test]
fn test_policies_in_the_repository_load() {
    for path in ["examples/policy.toml", "tests/policies/pairs.toml"] {
        Policy::from_file(top().join(path)).unwrap_or_else(|e| panic!("{path}: {e}"));
    }
}
