//! `tests/vectors/audit.json` through `fips_core::audit` / `audit_update`.

#[path = "../../tests/vectors/audit_loader.rs"]
mod audit_loader;

use audit_loader::{check_report, load_audit, top, AuditVector};
use fips_core::{audit, audit_update, read_objects, Error, Object, Policy};

fn objects(paths: &[String]) -> Result<Vec<Object>, Error> {
    let mut all = Vec::new();
    for path in paths {
        let text = std::fs::read_to_string(top().join(path)).expect("vector manifest exists");
        all.extend(read_objects(&text)?);
    }
    Ok(all)
}

fn run(v: &AuditVector) -> Result<serde_json::Value, Error> {
    let policy = match &v.policy {
        Some(p) => Policy::from_file(top().join(p))?,
        None => Policy::embedded().clone(),
    };
    let new = match (&v.manifests, &v.text) {
        (Some(paths), _) => objects(paths)?,
        (None, Some(text)) => read_objects(text)?,
        (None, None) => unreachable!("the loader checks one of them is given"),
    };
    let report = match &v.old {
        Some(old) => audit_update(&objects(old)?, &new, &policy)?,
        None => audit(&new, &policy)?,
    };
    Ok(serde_json::to_value(&report).expect("a report serializes"))
}

#[test]
fn audit_vectors() {
    let vectors = load_audit();
    assert!(vectors.len() >= 25, "audit.json lost vectors");
    for v in &vectors {
        match run(v) {
            Ok(report) => {
                assert!(
                    v.expect.valid,
                    "{}: expected an error, got {report:#}",
                    v.id
                );
                check_report(v, &report);
            }
            Err(e) => {
                assert!(!v.expect.valid, "{}: unexpected error {e}", v.id);
                assert_eq!(
                    Some(e.kind()),
                    v.expect.error_kind.as_deref(),
                    "{}: {e}",
                    v.id
                );
            }
        }
    }
}

/// The report's JSON shape reads back: what C, Go and Python will receive.
#[test]
fn audit_report_round_trips_through_json() {
    let text =
        std::fs::read_to_string(top().join("tests/manifests/capa/cluster-template-rendered.yaml"))
            .expect("manifest");
    let report = fips_core::audit_text(&text, Policy::embedded()).expect("audits");
    let json = serde_json::to_string(&report).expect("serializes");
    let back: fips_core::AuditReport = serde_json::from_str(&json).expect("reads back");
    assert_eq!(back, report);
}

/// examples/nkp-policy.toml: NKP's FIPS operating systems, and no longer the DKP matrix.
#[test]
fn nkp_example_policy_marks_the_nkp_matrix() {
    let policy = Policy::from_file(top().join("examples/nkp-policy.toml")).expect("loads");
    assert!(policy.supports_os("rhel", Some("Red Hat Enterprise Linux"), "8.10"));
    assert!(policy.supports_os("rhel", Some("Red Hat Enterprise Linux"), "9.6"));
    assert!(policy.supports_os("ol", Some("Oracle Linux Server"), "8.9"));
    assert!(!policy.supports_os("rhel", Some("Red Hat Enterprise Linux"), "8.4"));
    assert!(!policy.supports_os("centos", Some("CentOS Linux"), "7.9"));
}

/// A declared marker makes a vendor's FIPS spelling count for the audit's own rules: a
/// VMware FIPS control plane with VMware FIPS workers is not a FIPS/non-FIPS mismatch.
#[test]
fn declared_fips_marker_counts_for_worker_mismatch() {
    let text = "apiVersion: controlplane.cluster.x-k8s.io/v1beta1\nkind: KubeadmControlPlane\n\
                metadata: {name: cp, labels: {cluster.x-k8s.io/cluster-name: c}}\n\
                spec: {version: v1.33.6+fips.0}\n---\n\
                apiVersion: cluster.x-k8s.io/v1beta1\nkind: MachineDeployment\nmetadata: {name: md}\n\
                spec: {clusterName: c, template: {spec: {version: v1.33.6+vmware.1-fips-vkr.2}}}\n";
    let objects = read_objects(text).expect("reads");
    let plain = audit(&objects, Policy::embedded()).expect("audits");
    assert!(plain
        .codes()
        .contains(&fips_core::Code::ClusterWorkersBuildMismatch));
    let marked = Policy::from_toml_str(
        "extend_default = true\n[[fips_markers]]\nbuild = \"vmware.{N}-fips-vkr.{N}\"\nsource = \"VMware VKS release notes\"\n",
    )
    .expect("policy");
    let report = audit(&objects, &marked).expect("audits");
    assert!(!report
        .codes()
        .contains(&fips_core::Code::ClusterWorkersBuildMismatch));
}

/// Two clusters in one namespace: the AWSCluster and KubeadmConfigTemplate, which carry no
/// label, are found through the Cluster's infrastructureRef and the MachineDeployment's
/// bootstrap configRef, not left alone as clusters without a control plane.
#[test]
fn two_clusters_in_one_namespace_group_by_references() {
    let one = std::fs::read_to_string(top().join("tests/manifests/fips-aws/cluster.yaml"))
        .expect("manifest");
    let two = one.replace("myfipscluster", "second");
    let report =
        fips_core::audit_text(&format!("{one}\n---\n{two}"), Policy::embedded()).expect("audits");
    let names: Vec<(&str, usize, bool)> = report
        .clusters
        .iter()
        .map(|c| (c.name.as_str(), c.objects.len(), c.compliant))
        .collect();
    assert_eq!(names, [("myfipscluster", 7, true), ("second", 7, true)]);
    assert!(report.compliant);
}

/// A ClusterClass's templates alone ask for nothing: ignored, not a cluster without a
/// control plane.
#[test]
fn templates_alone_are_ignored() {
    let text = "apiVersion: controlplane.cluster.x-k8s.io/v1beta1\nkind: KubeadmControlPlaneTemplate\n\
                metadata: {name: t, namespace: a}\nspec: {template: {spec: {kubeadmConfigSpec: {}}}}\n---\n\
                apiVersion: cluster.x-k8s.io/v1beta1\nkind: Cluster\nmetadata: {name: c, namespace: b}\n\
                spec: {topology: {class: q, version: v1.22.8+fips.0, variables: [{name: imageRepository, value: docker.io/mesosphere}, {name: etcdImageTag, value: v3.4.13_fips.0}]}}\n";
    let report = fips_core::audit_text(text, Policy::embedded()).expect("audits");
    assert_eq!(report.clusters.len(), 1);
    assert_eq!(report.ignored, 1);
    assert!(report.compliant, "{report:#?}");
}
