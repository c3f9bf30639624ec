//! Property tests for every parser: no input panics, and where a normal form exists,
//! parse -> display -> parse is the identity.

use fips_core::{
    ClusterRequest, Component, FipsVersion, ImageRef, ImageRepository, OsRelease, Policy,
};
use proptest::prelude::*;

/// Strings near the grammars: versions, tags, references, flags.
fn near_text() -> impl Strategy<Value = String> {
    prop_oneof![
        any::<String>(),
        "[ v]{0,2}[0-9]{1,3}(\\.[0-9]{1,3}){0,3}([-+][0-9A-Za-z.\\-_+]{0,12}){0,2}[ ]?",
        "[a-zA-Z0-9._\\-:/@\\[\\]]{0,40}",
    ]
}

fn identifier() -> impl Strategy<Value = String> {
    prop_oneof![
        "0",
        "[1-9][0-9]{0,5}",
        "[0-9]{0,3}[A-Za-z\\-][0-9A-Za-z\\-]{0,6}"
    ]
}

/// Valid semver versions, with FIPS builds among them.
fn valid_version() -> impl Strategy<Value = String> {
    (
        any::<u32>(),
        any::<u32>(),
        any::<u32>(),
        prop::option::of(prop::collection::vec(identifier(), 1..3)),
        prop_oneof![
            Just(None),
            any::<u16>().prop_map(|n| Some(format!("fips.{n}"))),
            prop::collection::vec("[0-9A-Za-z\\-]{1,6}", 1..3).prop_map(|ids| Some(ids.join("."))),
        ],
    )
        .prop_map(|(a, b, c, pre, build)| {
            let mut s = format!("{a}.{b}.{c}");
            if let Some(pre) = pre {
                s.push('-');
                s.push_str(&pre.join("."));
            }
            if let Some(build) = build {
                s.push('+');
                s.push_str(&build);
            }
            s
        })
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(2000))]

    #[test]
    fn version_parse_display_parse(input in near_text()) {
        if let Ok(v) = FipsVersion::parse(&input) {
            prop_assert_eq!(FipsVersion::parse(&v.to_string()), Ok(v.clone()));
            prop_assert_eq!(FipsVersion::parse(&format!("v{v}")), Ok(v));
        }
    }

    #[test]
    fn valid_versions_parse_and_tags_round_trip(text in valid_version()) {
        let v = FipsVersion::parse(&text).expect("generated versions are valid semver");
        prop_assert_eq!(v.to_string(), text.clone());
        for component in [Component::Kubernetes, Component::Etcd] {
            if let Ok(tag) = v.to_tag(component) {
                prop_assert_eq!(FipsVersion::from_tag(&tag), Ok(v.clone()));
            }
        }
        prop_assert_eq!(v.is_fips(), text.split_once('+').is_some_and(|(_, b)| b.starts_with("fips.") && b[5..].parse::<u16>().is_ok()));
    }

    #[test]
    fn tag_back_and_forth(tag in near_text()) {
        if let Ok(v) = FipsVersion::from_tag(&tag) {
            let again = v.to_tag(Component::Kubernetes).expect("a tag that converted fits a tag");
            prop_assert!(again == tag || again == format!("v{tag}"), "{} -> {} -> {}", tag, v, again);
        }
    }

    #[test]
    fn image_parse_display_parse(input in near_text()) {
        if let Ok(image) = ImageRef::parse(&input) {
            prop_assert_eq!(ImageRef::parse(&image.to_string()), Ok(image));
        }
        if let Ok(repo) = ImageRepository::parse(&input) {
            prop_assert_eq!(ImageRepository::parse(&repo.to_string()), Ok(repo));
        }
    }

    #[test]
    fn os_release_write_then_parse(fields in prop::collection::btree_map("[A-Z_][A-Z0-9_]{0,8}", "[ -~]{0,20}", 0..8)) {
        let text: String = fields
            .iter()
            .map(|(k, v)| {
                let escaped: String = v.chars().flat_map(|c| match c {
                    '\\' | '$' | '"' | '`' => vec!['\\', c],
                    c => vec![c],
                }).collect();
                format!("{k}=\"{escaped}\"\n")
            })
            .collect();
        let parsed = OsRelease::parse(&text);
        prop_assert_eq!(parsed.fields(), &fields);
        prop_assert!(parsed.ignored_lines().is_empty());
    }

    #[test]
    fn os_release_never_panics(text in any::<String>()) {
        let _ = OsRelease::parse(&text);
    }

    #[test]
    fn request_args_json_round_trip(args in prop::collection::vec(prop_oneof![
        near_text(),
        Just("--kubernetes-version".to_owned()),
        Just("--etcd-version=3.4.13+fips.0".to_owned()),
        Just("--ami".to_owned()),
        Just("cluster".to_owned()),
        Just("--os=rhel-8.4".to_owned()),
    ], 0..10)) {
        if let Ok(request) = ClusterRequest::from_args(&args) {
            let json = serde_json::to_string(&request).expect("requests serialize");
            prop_assert_eq!(ClusterRequest::from_json(&json), Ok(request.clone()));
            let report = fips_core::validate(&request, Policy::embedded()).expect("self-test passes");
            prop_assert_eq!(report.compliant, report.findings.is_empty());
        }
    }

    #[test]
    fn request_json_never_panics(text in any::<String>()) {
        let _ = ClusterRequest::from_json(&text);
    }

    #[test]
    fn policy_toml_never_panics(text in any::<String>()) {
        let _ = Policy::from_toml_str(&text);
    }
}
