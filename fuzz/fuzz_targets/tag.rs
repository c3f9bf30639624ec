//! Tag conversion both ways (kubeadm `KubernetesVersionToImageTag`, and back as the fix of
//! kubernetes/kubernetes#100349 does it).
//!
//! - version -> tag -> version is the identity whenever a tag is made; a tag is refused only
//!   when it would be longer than the 128 characters distribution/reference allows, and a
//!   tag made is in that grammar (`[\w][\w.-]{0,127}`).
//! - tag -> version -> Kubernetes tag gives the tag back, with its leading `v` ensured.

#![no_main]

use fips_core::{Component, FipsVersion};
use libfuzzer_sys::fuzz_target;

const MAX_TAG_LEN: usize = 128;

fn in_tag_grammar(tag: &str) -> bool {
    let word = |c: char| c.is_ascii_alphanumeric() || c == '_';
    tag.len() <= MAX_TAG_LEN
        && tag.chars().next().is_some_and(word)
        && tag.chars().all(|c| word(c) || c == '.' || c == '-')
}

fuzz_target!(|data: &[u8]| {
    let Ok(input) = std::str::from_utf8(data) else {
        return;
    };

    if let Ok(version) = FipsVersion::parse(input) {
        for component in [Component::Kubernetes, Component::Etcd] {
            let with_v = component == Component::Kubernetes || version.is_fips();
            let length = version.to_string().len() + usize::from(with_v);
            match version.to_tag(component) {
                Ok(tag) => {
                    assert!(in_tag_grammar(&tag), "{version} -> {tag:?}");
                    assert_eq!(tag.starts_with('v'), with_v, "{version} -> {tag:?}");
                    assert_eq!(
                        FipsVersion::from_tag(&tag).as_ref(),
                        Ok(&version),
                        "{version} -> {tag:?} does not convert back"
                    );
                }
                Err(e) => assert!(
                    length > MAX_TAG_LEN,
                    "{version} ({component}) has no tag though it would fit: {e}"
                ),
            }
        }
    }

    if let Ok(version) = FipsVersion::from_tag(input) {
        assert!(in_tag_grammar(input), "{input:?} converted but is no tag");
        let want = if input.starts_with('v') {
            input.to_owned()
        } else {
            format!("v{input}")
        };
        match version.to_tag(Component::Kubernetes) {
            Ok(tag) => assert_eq!(tag, want, "{input:?} -> {version} -> {tag:?}"),
            Err(e) => assert!(want.len() > MAX_TAG_LEN, "{input:?} -> {version}: {e}"),
        }
    }
});
