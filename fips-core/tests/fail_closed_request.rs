//! Issue 12, items 4 and 5: a JSON request cannot smuggle a judged flag or the provider
//! through the flags and words it keeps unjudged, and the provider is normalised once, so
//! `AWS`, ` aws` and unknown providers never skip a rule that `aws` would fail.

use fips_core::{validate, ClusterRequest, Code, Policy, RequestError};

/// The documented example, as JSON, with `extra` fields merged in.
fn json(extra: &str) -> String {
    let base = r#""cluster_name":"myFipsCluster","kubernetes_version":"1.22.8+fips.0",
        "kubernetes_image_repository":"docker.io/mesosphere","etcd_version":"3.4.13+fips.0",
        "etcd_image_repository":"docker.io/mesosphere""#;
    format!("{{{base},{extra}}}")
}

fn refused(extra: &str) -> String {
    match ClusterRequest::from_json(&json(extra)) {
        Err(e @ RequestError::InvalidValue { .. }) => e.to_string(),
        other => panic!("{extra} should be refused, got {other:?}"),
    }
}

#[test]
fn judged_flag_in_other_flags_is_refused_naming_the_field() {
    let aws = r#""provider":"aws","ami":"ami-03dcaa75d45aca36f""#;
    assert_eq!(
        refused(&format!(
            r#"{aws},"other_flags":[{{"flag":"--region","value":"us-west-2"}},
               {{"flag":"--kubernetes-version","value":"1.22.8"}}]"#
        )),
        "invalid value for other_flags[1].flag: \"--kubernetes-version\" names \
         --kubernetes-version, which FIPS judges: give it in its own field \
         (kubernetes_version), never among the flags and words kept unjudged"
    );
    for (flag, field) in [
        ("--etcd-version=3.4.13", "etcd_version"),
        (
            "--kubernetes-image-repository",
            "kubernetes_image_repository",
        ),
        ("--ETCD_IMAGE_REPOSITORY", "etcd_image_repository"),
        ("-ami", "ami"),
        ("--os", "os"),
        ("--ami-base-os", "os"),
        ("--provider", "provider"),
        ("--cluster-name", "cluster_name"),
        (" --kubernetes-version 1.22.8", "kubernetes_version"),
    ] {
        let message = refused(&format!(
            r#"{aws},"other_flags":[{{"flag":{flag:?},"value":"x"}}]"#
        ));
        assert!(
            message.starts_with("invalid value for other_flags[0].flag: ")
                && message.contains(&format!("({field})")),
            "{flag}: {message}"
        );
    }
    let message = refused(&format!(
        r#"{aws},"other_flags":[{{"flag":"--region","value":"--etcd-version=3.4.13"}}]"#
    ));
    assert!(
        message.starts_with("invalid value for other_flags[0].value: "),
        "{message}"
    );
}

#[test]
fn judged_flag_or_provider_word_in_other_args_is_refused() {
    let message = refused(
        r#""provider":"aws","ami":"ami-03dcaa75d45aca36f","other_args":["x","--kubernetes-version=1.22.8"]"#,
    );
    assert!(
        message.starts_with("invalid value for other_args[1]: "),
        "{message}"
    );
    let message = refused(r#""provider":"azure","other_args":["Cluster","aws"]"#);
    assert!(
        message.starts_with("invalid value for other_args[0]: \"Cluster\" would be read as part of `create cluster <provider>`"),
        "{message}"
    );
    let message = refused(r#""other_args":["AWS"]"#);
    assert!(
        message.starts_with("invalid value for other_args[0]: "),
        "{message}"
    );
}

#[test]
fn unjudged_flags_and_words_are_still_kept() {
    let request = ClusterRequest::from_json(&json(
        r#""provider":"aws","ami":"ami-03dcaa75d45aca36f",
           "other_flags":[{"flag":"--region","value":"us-west-2"},{"flag":"--dry-run","value":null},
                          {"flag":"--kubernetes-versions-file","value":"x"}],
           "other_args":["extra"]"#,
    ))
    .unwrap();
    assert_eq!(request.other_flags.len(), 3);
    assert!(validate(&request, Policy::embedded()).unwrap().compliant);
}

fn codes(request: &ClusterRequest) -> Vec<Code> {
    validate(request, Policy::embedded())
        .unwrap()
        .findings
        .iter()
        .map(|f| f.code)
        .collect()
}

#[test]
fn provider_is_normalised_once_where_the_request_is_built() {
    for provider in ["AWS", " aws", "aws\n", "Aws"] {
        let request =
            ClusterRequest::from_json(&json(&format!(r#""provider":{provider:?}"#))).unwrap();
        assert_eq!(request.provider.as_deref(), Some("aws"), "{provider:?}");
        assert_eq!(codes(&request), [Code::AwsAmiMissing], "{provider:?}");
    }
    let message = refused(r#""provider":" ""#);
    assert!(
        message.starts_with("invalid value for provider: "),
        "{message}"
    );
}

#[test]
fn provider_given_field_by_field_is_judged_the_same() {
    let mut request = ClusterRequest::from_json(&json(r#""provider":"aws""#)).unwrap();
    request.provider = Some(" AWS ".into());
    assert_eq!(codes(&request), [Code::AwsAmiMissing]);
}

#[test]
fn managed_and_unknown_providers_never_pass_the_image_rule() {
    for provider in ["eks", "EKS", "aks", "ec2", "amazon", "аws"] {
        let request = ClusterRequest::from_json(&json(&format!(
            r#""provider":{provider:?},"ami":"ami-03dcaa75d45aca36f""#
        )))
        .unwrap();
        let report = validate(&request, Policy::embedded()).unwrap();
        assert!(!report.compliant, "{provider}");
        assert_eq!(codes(&request), [Code::ProviderUnsupported], "{provider}");
        assert_eq!(report.findings[0].field, "provider");
    }
    for provider in ["azure", "gcp", "vsphere", "preprovisioned"] {
        let request =
            ClusterRequest::from_json(&json(&format!(r#""provider":{provider:?}"#))).unwrap();
        assert!(codes(&request).is_empty(), "{provider}");
    }
}

/// The command line is held to the same rule: what it keeps unjudged names nothing judged,
/// and its provider has the same normal form.
#[test]
fn command_line_keeps_nothing_judged_either() {
    for args in [
        &["aws", "--kubernetes-version=1.22.8+fips.0"][..],
        &["dkp", "create", "cluster", "aws", "cluster", "azure"][..],
        &["--kubernetes_version=1.22.8"][..],
        &["--Etcd-Version", "3.4.13"][..],
        &["--region=--ami=ami-00000000"][..],
    ] {
        match ClusterRequest::from_args(args) {
            Err(RequestError::InvalidValue { field, .. }) => {
                assert!(
                    field.starts_with("other_flags[") || field.starts_with("other_args["),
                    "{args:?}: {field}"
                )
            }
            other => panic!("{args:?} should be refused, got {other:?}"),
        }
    }
    let request = ClusterRequest::from_args(["dkp", "create", "cluster", " AWS"]).unwrap();
    assert_eq!(request.provider.as_deref(), Some("aws"));
    assert!(codes(&request).contains(&Code::AwsAmiMissing));
}
