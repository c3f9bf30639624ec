use serde_json::{json, Value};

use super::*;

fn kcp(version: &str, repository: &str) -> Value {
    json!({
        "apiVersion": "controlplane.cluster.x-k8s.io/v1beta1",
        "kind": "KubeadmControlPlane",
        "metadata": {"name": "cp", "namespace": "team"},
        "spec": {
            "version": version,
            "kubeadmConfigSpec": {"clusterConfiguration": {
                "imageRepository": repository,
                "etcd": {"local": {"imageRepository": repository, "imageTag": "v3.4.13_fips.0"}},
            }},
        },
    })
}

fn review(operation: &str, object: Value, old: Option<Value>) -> Vec<u8> {
    json!({
        "apiVersion": "admission.k8s.io/v1",
        "kind": "AdmissionReview",
        "request": {
            "uid": "u-1",
            "kind": {"group": "controlplane.cluster.x-k8s.io", "version": "v1beta1", "kind": "KubeadmControlPlane"},
            "resource": {"group": "controlplane.cluster.x-k8s.io", "version": "v1beta1", "resource": "kubeadmcontrolplanes"},
            "name": "cp",
            "namespace": "team",
            "operation": operation,
            "userInfo": {"username": "alice"},
            "object": object,
            "oldObject": old,
        },
    })
    .to_string()
    .into_bytes()
}

fn decide_with(body: &[u8], mode: Mode, selftest: Result<(), &str>) -> Decision {
    let review = decode(body).expect("a review");
    decide(
        &review,
        &Context {
            policy: Policy::embedded(),
            mode,
            selftest,
            related: &[],
            fips_required: false,
        },
    )
}

fn answer(d: &Decision) -> Value {
    serde_json::to_value(d.response.clone().into_review()).expect("serializes")
}

#[test]
fn whole_fips_build_is_admitted() {
    let d = decide_with(
        &review(
            "CREATE",
            kcp("v1.22.8+fips.0", "docker.io/mesosphere"),
            None,
        ),
        Mode::Enforce,
        Ok(()),
    );
    let a = answer(&d);
    assert_eq!(a["apiVersion"], "admission.k8s.io/v1");
    assert_eq!(a["response"]["uid"], "u-1");
    assert_eq!(a["response"]["allowed"], true);
    assert_eq!(d.verdict, "allowed");
}

#[test]
fn fips_off_is_refused_with_422_code_and_field() {
    let d = decide_with(
        &review(
            "UPDATE",
            kcp("v1.22.8", "docker.io/mesosphere"),
            Some(kcp("v1.22.8+fips.0", "docker.io/mesosphere")),
        ),
        Mode::Enforce,
        Ok(()),
    );
    let a = answer(&d);
    let r = &a["response"];
    assert_eq!(r["allowed"], false);
    assert_eq!(r["status"]["code"], 422);
    let message = r["status"]["message"].as_str().unwrap();
    assert!(
        message.contains("FIPS-TRANSITION-DISABLE-REFUSED at spec.version"),
        "{message}"
    );
    let causes = r["status"]["details"]["causes"].as_array().unwrap();
    assert!(causes.iter().any(|c| c["field"] == "spec.version"
        && c["message"]
            .as_str()
            .unwrap()
            .starts_with("FIPS-TRANSITION-DISABLE-REFUSED")));
    assert!(d
        .codes
        .contains(&"FIPS-TRANSITION-DISABLE-REFUSED".to_owned()));
}

#[test]
fn warn_mode_admits_with_the_codes_as_warnings() {
    let d = decide_with(
        &review("CREATE", kcp("v1.22.8+fips.0", "registry.k8s.io"), None),
        Mode::Warn,
        Ok(()),
    );
    let a = answer(&d);
    assert_eq!(a["response"]["allowed"], true);
    assert_eq!(d.verdict, "warned");
    let warnings = a["response"]["warnings"].as_array().unwrap();
    assert!(warnings
        .iter()
        .any(|w| w.as_str().unwrap().contains("FIPS-K8S-REPOSITORY-NOT-FIPS")));
}

#[test]
fn failed_selftest_refuses_every_request_with_500() {
    let d = decide_with(
        &review(
            "CREATE",
            kcp("v1.22.8+fips.0", "docker.io/mesosphere"),
            None,
        ),
        Mode::Warn,
        Err("SHA-256 failed"),
    );
    let a = answer(&d);
    assert_eq!(a["response"]["allowed"], false);
    assert_eq!(a["response"]["status"]["code"], 500);
    assert!(a["response"]["status"]["message"]
        .as_str()
        .unwrap()
        .contains("SHA-256 failed"));
}

#[test]
fn delete_is_admitted_unjudged() {
    let d = decide_with(
        &review(
            "DELETE",
            Value::Null,
            Some(kcp("v1.22.8", "registry.k8s.io")),
        ),
        Mode::Enforce,
        Ok(()),
    );
    assert_eq!(d.verdict, "allowed");
}

#[test]
fn malformed_field_is_a_clear_422() {
    let d = decide_with(
        &review("CREATE", kcp("not-a-version", "docker.io/mesosphere"), None),
        Mode::Enforce,
        Ok(()),
    );
    let a = answer(&d);
    assert_eq!(a["response"]["status"]["code"], 422);
    assert!(a["response"]["status"]["message"]
        .as_str()
        .unwrap()
        .contains("spec.version"));
}

#[test]
fn undecodable_bodies_are_refused_with_a_reason() {
    let err = decode(b"{not json").unwrap_err();
    assert!(err.uid.is_none());
    assert!(
        err.message.starts_with("the body is not JSON"),
        "{}",
        err.message
    );

    let mut v1beta1: Value =
        serde_json::from_slice(&review("CREATE", kcp("v1.22.8", "r"), None)).unwrap();
    v1beta1["apiVersion"] = "admission.k8s.io/v1beta1".into();
    let err = decode(v1beta1.to_string().as_bytes()).unwrap_err();
    assert_eq!(err.uid.as_deref(), Some("u-1"));
    assert!(
        err.message.contains("admission.k8s.io/v1beta1"),
        "{}",
        err.message
    );

    let mut configmap: Value =
        serde_json::from_slice(&review("CREATE", kcp("v1.22.8", "r"), None)).unwrap();
    configmap["request"]["kind"] = json!({"group": "", "version": "v1", "kind": "ConfigMap"});
    let err = decode(configmap.to_string().as_bytes()).unwrap_err();
    assert!(err.message.contains("ConfigMap"), "{}", err.message);

    let answer = undecodable("u-1", "bad");
    assert_eq!(answer["apiVersion"], "admission.k8s.io/v1");
    assert_eq!(answer["response"]["allowed"], false);
    assert_eq!(answer["response"]["status"]["code"], 400);

    let err = decode(b"[1,2]").unwrap_err();
    assert!(
        err.message.contains("expected an AdmissionReview"),
        "{}",
        err.message
    );
}
