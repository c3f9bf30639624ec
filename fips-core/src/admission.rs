//! The admission verdict on one object, as a validating webhook gives it on CREATE and
//! UPDATE: which findings of [`audit`] and [`check_object_transition`] refuse the object,
//! and which are only warnings.
//!
//! The rules, from the product documentation ("a FIPS-mode cluster must remain a FIPS-mode
//! cluster"):
//! - a change of version that turns FIPS on or off is refused for every cluster, always, and a
//!   FIPS cluster moves only to a supported FIPS build ([`check_object_transition`]);
//! - a cluster that asks for any FIPS build must be a whole, supported FIPS build
//!   (repositories, etcd, workers, AMI): partial FIPS is a mistake, and is refused;
//! - a non-FIPS cluster is admitted (a management cluster often runs both), except in a
//!   namespace that requires FIPS (`fips.policy/required: "true"`), where every cluster
//!   must be a whole FIPS build;
//! - a rule that needs another object (the control plane's version for workers, the AMI of
//!   the referenced template) is applied only when that object is given: an object created
//!   before the others is judged again through them when they arrive.
//!
//! Only findings about the object under review refuse it (their `field` is a JSONPath of
//! that object); the one exception is the AMI of an `AWSMachineTemplate` the object
//! references, restated on the reference.

use serde::{Deserialize, Serialize};
use serde_json::Value;

use crate::{
    audit, check_object_transition,
    cluster::{self, ClusterGroup},
    Code, Error, Finding, FipsVersion, Object, ObjectFinding, Policy, Severity,
};

/// The namespace label that makes every cluster in the namespace a FIPS cluster.
///
/// ```
/// assert_eq!(fips_core::FIPS_REQUIRED_LABEL, "fips.policy/required");
/// ```
pub const FIPS_REQUIRED_LABEL: &str = "fips.policy/required";

/// What a webhook is asked about one object.
///
/// ```
/// use fips_core::{read_objects, AdmissionRequest};
/// let kcp = read_objects("apiVersion: controlplane.cluster.x-k8s.io/v1beta1\nkind: KubeadmControlPlane\nmetadata: {name: cp, namespace: a}\nspec: {version: v1.30.1}\n")?.remove(0);
/// let request = AdmissionRequest { object: &kcp, old: None, related: &[], fips_required: false };
/// assert!(request.old.is_none());
/// # Ok::<(), fips_core::ManifestError>(())
/// ```
#[derive(Clone, Copy, Debug)]
pub struct AdmissionRequest<'a> {
    /// The object as it would be stored.
    pub object: &'a Object,
    /// On UPDATE, the object as it is stored now.
    pub old: Option<&'a Object>,
    /// The other objects of its cluster that exist (its Cluster, control plane, referenced
    /// machine templates), read by the caller; an object equal in identity to `object` is
    /// ignored.
    pub related: &'a [Object],
    /// True when the object's namespace carries [`FIPS_REQUIRED_LABEL`]`: "true"`.
    pub fips_required: bool,
}

/// The verdict: admitted when `refusals` is empty; `warnings` are shown to the client either
/// way.
///
/// ```
/// let verdict = fips_core::Admission::default();
/// assert!(verdict.allowed());
/// ```
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Admission {
    /// Findings that refuse the object, each with a JSONPath of it as `field`.
    pub refusals: Vec<ObjectFinding>,
    /// Findings to show without refusing.
    pub warnings: Vec<ObjectFinding>,
}

impl Admission {
    /// True when nothing refuses the object.
    ///
    /// ```
    /// use fips_core::{Admission, Code, Finding, ObjectFinding};
    /// let refused = Admission {
    ///     refusals: vec![ObjectFinding { finding: Finding::error(Code::K8sNotFipsBuild, "spec.version", "m", "r"), object: None }],
    ///     warnings: vec![],
    /// };
    /// assert!(!refused.allowed());
    /// ```
    pub fn allowed(&self) -> bool {
        self.refusals.is_empty()
    }

    /// Every code, refusals first.
    ///
    /// ```
    /// assert!(fips_core::Admission::default().codes().is_empty());
    /// ```
    pub fn codes(&self) -> Vec<Code> {
        self.refusals
            .iter()
            .chain(&self.warnings)
            .map(|f| f.finding.code)
            .collect()
    }
}

/// Decides whether a webhook admits one object; see the module documentation for the rules.
///
/// ```
/// use fips_core::{admit, read_objects, AdmissionRequest, Code, Policy};
/// let kcp = |v: &str, repo: &str, etcd: &str| read_objects(&format!(
///     "apiVersion: controlplane.cluster.x-k8s.io/v1beta1\nkind: KubeadmControlPlane\n\
///      metadata: {{name: cp, namespace: a}}\nspec:\n  version: {v}\n  kubeadmConfigSpec:\n    \
///      clusterConfiguration:\n      imageRepository: {repo}\n      etcd: {{local: {{imageTag: {etcd}}}}}\n"
/// )).unwrap().remove(0);
/// let ask = |object, old, fips_required| AdmissionRequest { object, old, related: &[], fips_required };
/// let policy = Policy::embedded();
///
/// // A whole FIPS build is admitted.
/// let fips = kcp("v1.22.8+fips.0", "docker.io/mesosphere", "v3.4.13_fips.0");
/// assert!(admit(&ask(&fips, None, false), policy)?.allowed());
/// // Partial FIPS (a FIPS version from the upstream repository) is refused.
/// let partial = kcp("v1.22.8+fips.0", "registry.k8s.io", "v3.4.13_fips.0");
/// let verdict = admit(&ask(&partial, None, false), policy)?;
/// assert_eq!(verdict.refusals[0].finding.code, Code::K8sRepositoryNotFips);
/// // Turning FIPS off is refused.
/// let plain = kcp("v1.22.8", "registry.k8s.io", "3.5.1-0");
/// let verdict = admit(&ask(&plain, Some(&fips), false), policy)?;
/// assert!(verdict.codes().contains(&Code::TransitionDisableRefused));
/// // A non-FIPS cluster is admitted, except where the namespace requires FIPS.
/// assert!(admit(&ask(&plain, None, false), policy)?.allowed());
/// let verdict = admit(&ask(&plain, None, true), policy)?;
/// assert_eq!(verdict.refusals[0].finding.code, Code::NamespaceFipsRequired);
/// # Ok::<(), fips_core::Error>(())
/// ```
pub fn admit(request: &AdmissionRequest<'_>, policy: &Policy) -> Result<Admission, Error> {
    let object = request.object;
    let id = object.reference.identity();
    let mut objects = vec![object.clone()];
    objects.extend(
        request
            .related
            .iter()
            .filter(|o| o.reference.identity() != id)
            .cloned(),
    );
    let report = audit(&objects, policy)?;
    let (groups, _) = cluster::group(&objects)?;
    let group = groups.iter().find(|g| g.objects.contains(&0));
    let asks_fips = group.is_some_and(|g| asks_fips(g, policy));
    let judged_version = group.and_then(|g| known_version(g, &objects));

    let mut verdict = Admission::default();
    if let Some(old) = request.old {
        verdict
            .refusals
            .extend(check_object_transition(old, object, policy)?);
    }
    let cluster = report
        .clusters
        .iter()
        .find(|c| c.objects.iter().any(|r| r.identity() == id));
    let findings = cluster.map(|c| c.findings.as_slice()).unwrap_or_default();
    let strict = asks_fips || (request.fips_required && judged_version.is_some());
    for f in findings {
        let Some(finding) = about_object(f, object) else {
            continue;
        };
        match finding.finding.severity {
            Severity::Error if strict => verdict.refusals.push(finding),
            Severity::Error => {}
            Severity::Warning | Severity::Info => verdict.warnings.push(finding),
        }
    }
    if request.fips_required && !asks_fips {
        if let Some((field, version)) = judged_version {
            verdict.refusals.insert(
                0,
                ObjectFinding {
                    finding: Finding::error(
                        Code::NamespaceFipsRequired,
                        field,
                        format!(
                            "the namespace is labelled {FIPS_REQUIRED_LABEL}: \"true\": every \
                             cluster in it must be a FIPS build, and {version} is not"
                        ),
                        policy.newest_build().map_or_else(
                            || "a FIPS build the policy lists".to_owned(),
                            |b| format!("v{}", b.kubernetes.version),
                        ),
                    ),
                    object: Some(object.reference.clone()),
                },
            );
        }
    }
    dedup(&mut verdict.refusals);
    dedup(&mut verdict.warnings);
    Ok(verdict)
}

/// The finding as it concerns the reviewed object, or `None` when it concerns another one or
/// needs an object not given.
fn about_object(f: &ObjectFinding, object: &Object) -> Option<ObjectFinding> {
    let code = f.finding.code;
    // Rules that need another object: applied when it arrives (through its own review).
    let needs_other = code == Code::ClusterControlPlaneMissing
        || (code == Code::AwsAmiMissing && f.finding.field == "spec.infrastructureRef");
    if needs_other {
        return None;
    }
    let Some(about) = &f.object else {
        return Some(f.clone());
    };
    if about.identity() == object.reference.identity() {
        return Some(f.clone());
    }
    // The AMI of a template this object references: restated on the reference.
    let ami = matches!(code, Code::AwsAmiMissing | Code::ClusterAmiLookup);
    let field = infrastructure_ref_field(object, &about.name)?;
    ami.then(|| ObjectFinding {
        finding: Finding {
            field,
            message: format!("{} {}: {}", about.kind, about.name, f.finding.message),
            ..f.finding.clone()
        },
        object: Some(object.reference.clone()),
    })
}

/// The JSONPath of this object's reference to the infrastructure object `name`.
fn infrastructure_ref_field(object: &Object, name: &str) -> Option<String> {
    [
        "spec.machineTemplate.infrastructureRef",
        "spec.machineTemplate.spec.infrastructureRef",
        "spec.template.spec.infrastructureRef",
        "spec.infrastructureRef",
    ]
    .into_iter()
    .find(|path| {
        path.split('.')
            .try_fold(&object.body, |v, key| v.get(key))
            .and_then(|r| r.get("name"))
            .and_then(Value::as_str)
            == Some(name)
    })
    .map(str::to_owned)
}

/// True when any version of the cluster (control plane, etcd or workers) is a FIPS build.
fn asks_fips(group: &ClusterGroup, policy: &Policy) -> bool {
    let fips = |text: &str| FipsVersion::parse(text).is_ok_and(|v| policy.marks_fips(&v));
    let tag_fips = |text: &str| FipsVersion::from_tag(text).is_ok_and(|v| policy.marks_fips(&v));
    group.control_planes.iter().any(|cp| {
        cp.kubernetes_version.given.as_deref().is_some_and(fips)
            || cp.etcd_tag.given.as_deref().is_some_and(tag_fips)
    }) || group.workers.iter().any(|w| fips(&w.version))
}

/// The first Kubernetes version the cluster's objects give, with the JSONPath of the reviewed
/// object where it is (or, for a version read from another object, the reviewed object's own
/// version field, else `metadata.name`).
fn known_version(group: &ClusterGroup, objects: &[Object]) -> Option<(String, String)> {
    let own = group
        .control_planes
        .iter()
        .filter(|cp| cp.object == 0)
        .find_map(|cp| {
            let v = cp.kubernetes_version.given.clone()?;
            Some((cp.kubernetes_version.field.clone(), v))
        })
        .or_else(|| {
            group
                .workers
                .iter()
                .find(|w| w.object == 0)
                .map(|w| (w.field.clone(), w.version.clone()))
        });
    own.or_else(|| {
        let other = group
            .control_planes
            .iter()
            .find_map(|cp| cp.kubernetes_version.given.clone())?;
        let field = cluster::version_field(&objects[0])
            .ok()
            .flatten()
            .map_or_else(|| "metadata.name".to_owned(), |(f, _)| f);
        Some((field, other))
    })
}

fn dedup(findings: &mut Vec<ObjectFinding>) {
    let mut seen = Vec::new();
    findings.retain(|f| {
        let key = (f.finding.code, f.finding.field.clone());
        if seen.contains(&key) {
            false
        } else {
            seen.push(key);
            true
        }
    });
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::read_objects;

    fn one(text: &str) -> Object {
        read_objects(text).expect("an object").remove(0)
    }

    const KCP: &str = "apiVersion: controlplane.cluster.x-k8s.io/v1beta1\nkind: KubeadmControlPlane\n\
        metadata: {name: cp, namespace: a, labels: {cluster.x-k8s.io/cluster-name: c}}\n\
        spec:\n  version: v1.22.8+fips.0\n  machineTemplate: {infrastructureRef: {kind: AWSMachineTemplate, name: cp}}\n  \
        kubeadmConfigSpec: {clusterConfiguration: {imageRepository: docker.io/mesosphere, \
        etcd: {local: {imageTag: v3.4.13_fips.0}}}}\n";
    const CLUSTER: &str = "apiVersion: cluster.x-k8s.io/v1beta1\nkind: Cluster\nmetadata: {name: c, namespace: a}\n\
        spec: {controlPlaneRef: {kind: KubeadmControlPlane, name: cp}, infrastructureRef: {kind: AWSCluster, name: c}}\n";

    fn md(version: &str) -> Object {
        one(&format!(
            "apiVersion: cluster.x-k8s.io/v1beta1\nkind: MachineDeployment\nmetadata: {{name: md, namespace: a}}\n\
             spec: {{clusterName: c, template: {{spec: {{clusterName: c, version: {version}}}}}}}\n"
        ))
    }

    fn ask<'a>(object: &'a Object, related: &'a [Object]) -> AdmissionRequest<'a> {
        AdmissionRequest {
            object,
            old: None,
            related,
            fips_required: false,
        }
    }

    #[test]
    fn ami_lookup_of_the_referenced_template_refuses_the_control_plane_at_its_reference() {
        let template = one(
            "apiVersion: infrastructure.cluster.x-k8s.io/v1beta2\nkind: AWSMachineTemplate\n\
             metadata: {name: cp, namespace: a, labels: {cluster.x-k8s.io/cluster-name: c}}\n\
             spec: {template: {spec: {imageLookupBaseOS: rhel-8}}}\n",
        );
        let kcp = one(KCP);
        let related = [one(CLUSTER), template];
        let verdict = admit(&ask(&kcp, &related), Policy::embedded()).unwrap();
        let f = &verdict.refusals[0].finding;
        assert_eq!(f.code, Code::ClusterAmiLookup);
        assert_eq!(f.field, "spec.machineTemplate.infrastructureRef");
        assert!(
            f.message.starts_with("AWSMachineTemplate cp: "),
            "{}",
            f.message
        );
    }

    #[test]
    fn workers_are_judged_against_the_control_plane_read_for_them() {
        let related = [one(CLUSTER), one(KCP)];
        let verdict = admit(&ask(&md("v1.22.8"), &related), Policy::embedded()).unwrap();
        assert_eq!(verdict.codes(), [Code::ClusterWorkersBuildMismatch]);
        assert_eq!(
            verdict.refusals[0].finding.field,
            "spec.template.spec.version"
        );
    }

    #[test]
    fn a_rule_needing_an_object_not_there_yet_waits_for_it() {
        // Workers alone: no control plane to compare with yet, and nothing refused for it.
        let verdict = admit(&ask(&md("v1.22.8+fips.0"), &[]), Policy::embedded()).unwrap();
        assert_eq!(verdict, Admission::default());
        // A Cluster before its control plane and templates: admitted.
        let verdict = admit(&ask(&one(CLUSTER), &[]), Policy::embedded()).unwrap();
        assert_eq!(verdict, Admission::default());
    }
}
