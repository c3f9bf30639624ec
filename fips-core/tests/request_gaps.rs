//! What a pasted command line can get wrong: one quoted word, another command, a misspelt
//! flag; and the corrected command a verdict ends with.

use fips_core::{
    corrected_command, has_placeholder, validate, ClusterRequest, Code, Policy, RequestError,
    Severity,
};

/// The product documentation's FIPS example (DESIGN.md, "The domain").
const DOC_COMMAND: &str = "dkp create cluster aws --cluster-name myFipsCluster \
    --ami=ami-03dcaa75d45aca36f --kubernetes-version=1.22.8+fips.0 \
    --kubernetes-image-repository=docker.io/mesosphere \
    --etcd-image-repository=docker.io/mesosphere --etcd-version=3.4.13+fips.0";

fn reason(err: RequestError) -> String {
    match err {
        RequestError::InvalidValue { field, reason } => {
            assert_eq!(field, "command");
            reason
        }
        other => panic!("expected an invalid command, got {other}"),
    }
}

#[test]
fn a_whole_command_in_one_quoted_word_is_refused_never_judged_empty() {
    let err = ClusterRequest::from_args([DOC_COMMAND]).unwrap_err();
    assert!(reason(err).contains("drop the quotes"));
    // After fipsctl's `--` too.
    let err = ClusterRequest::from_args(["--", DOC_COMMAND]).unwrap_err();
    assert!(reason(err).contains("drop the quotes"));
    // The same words, one by one, are the compliant example.
    let words: Vec<&str> = DOC_COMMAND.split_whitespace().collect();
    let request = ClusterRequest::from_args(&words).unwrap();
    assert!(validate(&request, Policy::embedded()).unwrap().compliant);
}

#[test]
fn a_command_that_creates_no_cluster_is_refused() {
    for words in [
        &["dkp", "delete", "cluster", "aws", "--cluster-name", "x"][..],
        &["kubectl", "get", "pods"],
    ] {
        let err = ClusterRequest::from_args(words).unwrap_err();
        assert!(
            reason(err).contains("is not a create-cluster command"),
            "{words:?}"
        );
    }
    // Flags alone are a request; so are words after the terminator that look like flags.
    assert!(ClusterRequest::from_args(["--kubernetes-version=1.22.8"]).is_ok());
    assert!(ClusterRequest::from_args(["--etcd-version=3.4.13", "--", "--dry-run"]).is_ok());
}

#[test]
fn a_refused_command_quotes_a_huge_word_in_part_only() {
    let huge = "a".repeat(300_000);
    let pasted = format!("dkp create cluster aws --cluster-name {huge}");
    let verb = format!("{huge}x");
    for words in [
        vec![huge.as_str()],
        vec![pasted.as_str()],
        vec!["dkp", verb.as_str(), "cluster", "aws"],
    ] {
        let why = reason(ClusterRequest::from_args(&words).unwrap_err());
        assert!(why.len() < 400, "{} bytes: {}", why.len(), &why[..400]);
        assert!(why.contains("bytes in all"), "{why}");
    }
}

#[test]
fn a_misspelt_judged_flag_gets_a_did_you_mean_warning() {
    let request = ClusterRequest::from_args([
        "dkp",
        "create",
        "cluster",
        "aws",
        "--kubernetes-verison",
        "1.22.8+fips.0",
    ])
    .unwrap();
    let report = validate(&request, Policy::embedded()).unwrap();
    let misspelt = report
        .findings
        .iter()
        .find(|f| f.code == Code::RequestFlagMisspelt)
        .expect("a did-you-mean finding");
    assert_eq!(misspelt.severity, Severity::Warning);
    assert_eq!(misspelt.field, "--kubernetes-verison");
    assert!(misspelt
        .message
        .contains("did you mean --kubernetes-version?"));
    assert_eq!(misspelt.remediation, "--kubernetes-version=1.22.8+fips.0");
}

#[test]
fn the_corrected_command_is_the_request_with_every_fix_applied() {
    let request = ClusterRequest::from_args([
        "dkp",
        "create",
        "cluster",
        "aws",
        "--cluster-name",
        "myFipsCluster",
        "--kubernetes-verison=1.22.8",
        "--region",
        "us-west-2",
    ])
    .unwrap();
    let report = validate(&request, Policy::embedded()).unwrap();
    let fixed = corrected_command(&request, &report);
    assert!(
        has_placeholder(&fixed),
        "the AMI is the user's to give: {fixed}"
    );
    assert!(!fixed.contains("verison"), "{fixed}");
    // With the placeholder filled in, the command is compliant as pasted.
    let filled = fixed.replace(
        "--ami=<id of an AMI built for FIPS mode>",
        "--ami=ami-03dcaa75d45aca36f",
    );
    let again = ClusterRequest::from_args(filled.split(' ')).unwrap();
    let verdict = validate(&again, Policy::embedded()).unwrap();
    assert!(verdict.compliant, "{filled}: {:#?}", verdict.findings);
    assert_eq!(again.other_flags[0].flag, "--region");
}
