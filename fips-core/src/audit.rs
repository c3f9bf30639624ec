//! Verdicts on Cluster API and kubeadm objects: the command line's rules ([`validate`],
//! [`check_transition`]) applied to what each cluster's objects ask for, plus the rules only
//! objects make possible. Each finding names its object and the field as a JSONPath of it,
//! the way Kubernetes' `StatusCause.field` does, and its remediation is the value to set there.

use std::collections::HashMap;

use serde::{Deserialize, Serialize};

use crate::{
    check_transition,
    cluster::{self, Ami, ClusterGroup, ControlPlane, Form, Slot},
    read_objects, validate, ClusterRequest, Code, Component, Error, Finding, FipsVersion,
    ImageRepository, ManifestError, Object, ObjectRef, Policy, PulledImage, Severity,
};

/// The images one audited cluster's control plane makes kubeadm pull.
///
/// ```
/// use fips_core::{audited_images, read_objects, Policy};
/// let text = r#"
/// apiVersion: controlplane.cluster.x-k8s.io/v1beta1
/// kind: KubeadmControlPlane
/// metadata: {name: cp, namespace: default}
/// spec:
///   version: v1.22.8+fips.0
///   kubeadmConfigSpec:
///     clusterConfiguration:
///       imageRepository: docker.io/mesosphere
///       etcd: {local: {imageTag: v3.4.13_fips.0}}
/// "#;
/// let clusters = audited_images(&read_objects(text)?, Policy::embedded())?;
/// let images: Vec<String> = clusters[0].images.iter().map(|p| p.image.to_string()).collect();
/// assert_eq!(images[0], "docker.io/mesosphere/kube-apiserver:v1.22.8_fips.0");
/// assert_eq!(images[5], "docker.io/mesosphere/etcd:v3.4.13_fips.0");
/// # Ok::<(), fips_core::Error>(())
/// ```
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ClusterImages {
    /// The cluster's namespace.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub namespace: Option<String>,
    /// The cluster's name, as in its [`ClusterReport`].
    pub name: String,
    /// The images, in kubeadm's order ([`Policy::pulled_images`] of the request the
    /// control plane's objects make), for each control plane of the cluster.
    pub images: Vec<PulledImage>,
}

/// The images each cluster of `objects` pulls: the request [`audit`] validates for each
/// control plane, listed by [`Policy::pulled_images`]; no etcd image for an external etcd;
/// an etcd tag that is not a version is pulled as written. A control plane whose image
/// repository the objects do not determine is an error naming its field: its images are
/// not guessed.
///
/// ```
/// use fips_core::{audited_images, read_objects, Policy};
/// let text = "apiVersion: kubeadm.k8s.io/v1beta3\nkind: ClusterConfiguration\n\
///     kubernetesVersion: v1.22.8+fips.0\nimageRepository: docker.io/mesosphere\n\
///     etcd: {external: {endpoints: [\"https://etcd.example:2379\"]}}\n";
/// let clusters = audited_images(&read_objects(text)?, Policy::embedded())?;
/// let names: Vec<&str> = clusters[0].images.iter().map(|p| p.name.as_str()).collect();
/// assert!(!names.contains(&"etcd"), "{names:?}");
/// assert!(names.contains(&"kube-apiserver"));
/// # Ok::<(), fips_core::Error>(())
/// ```
pub fn audited_images(objects: &[Object], policy: &Policy) -> Result<Vec<ClusterImages>, Error> {
    let (groups, _) = cluster::group(objects)?;
    let judge = Judge {
        objects,
        policy,
        out: Vec::new(),
    };
    let mut clusters = Vec::with_capacity(groups.len());
    for group in &groups {
        let mut images = Vec::new();
        for cp in &group.control_planes {
            if let Some(field) = &cp.repository_unknown {
                return Err(judge.error(
                    &Slot {
                        object: cp.object,
                        field: field.clone(),
                        given: None,
                        form: Form::Repository,
                    },
                    "the image repository cannot be determined from these objects, so the \
                     images the cluster pulls are not known"
                        .into(),
                ));
            }
            let literal_tag = cp
                .etcd_tag
                .given
                .as_ref()
                .filter(|tag| FipsVersion::from_tag(tag).is_err());
            let etcd_version = match &cp.etcd_tag.given {
                Some(tag) if cp.etcd_external.is_none() => FipsVersion::from_tag(tag).ok(),
                _ => None,
            };
            let request = control_plane_request(&judge, cp, etcd_version)?;
            for mut pulled in policy.pulled_images(&request) {
                if pulled.name == "etcd" {
                    if cp.etcd_external.is_some() {
                        continue;
                    }
                    if let Some(tag) = literal_tag {
                        pulled.image.tag = Some(tag.clone());
                        pulled.fips = false;
                        pulled.note = Some(format!("{}: the tag as written", cp.etcd_tag.field));
                    }
                }
                images.push(pulled);
            }
        }
        clusters.push(ClusterImages {
            namespace: group.namespace.clone(),
            name: group.name.clone(),
            images,
        });
    }
    Ok(clusters)
}

/// The create-cluster request a control plane's objects make.
fn control_plane_request(
    judge: &Judge<'_>,
    cp: &ControlPlane,
    etcd_version: Option<FipsVersion>,
) -> Result<ClusterRequest, Error> {
    Ok(ClusterRequest {
        kubernetes_version: judge.version(&cp.kubernetes_version)?,
        kubernetes_image_repository: judge.repository(&cp.kubernetes_repository)?,
        etcd_version,
        etcd_image_repository: judge.repository(&cp.etcd_repository)?,
        ..ClusterRequest::default()
    })
}

/// A finding about one object: the [`Finding`] (its `field` a JSONPath of the object) and
/// the object it points into. `object` is absent for findings about the audit itself (a
/// policy requiring the validated crypto module).
///
/// ```
/// use fips_core::{Code, Finding, ObjectFinding, ObjectRef};
/// let f = ObjectFinding {
///     finding: Finding::error(Code::K8sNotFipsBuild, "spec.version", "not FIPS", "v1.22.8+fips.0"),
///     object: Some(ObjectRef::new("controlplane.cluster.x-k8s.io/v1beta1", "KubeadmControlPlane", Some("default"), "cp")),
/// };
/// let json = serde_json::to_value(&f)?;
/// assert_eq!(json["code"], "FIPS-K8S-NOT-FIPS-BUILD");
/// assert_eq!(json["object"]["kind"], "KubeadmControlPlane");
/// # Ok::<(), serde_json::Error>(())
/// ```
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ObjectFinding {
    /// The finding, with the shape every other verdict uses.
    #[serde(flatten)]
    pub finding: Finding,
    /// The object it is about.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub object: Option<ObjectRef>,
}

/// The verdict on one cluster's objects.
///
/// ```
/// let report = fips_core::audit_text("", fips_core::Policy::embedded())?;
/// assert!(report.clusters.is_empty());
/// # Ok::<(), fips_core::Error>(())
/// ```
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ClusterReport {
    /// The cluster's namespace.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub namespace: Option<String>,
    /// The cluster's name; for objects that belong to no cluster in the input, `Kind/name`
    /// of the object itself.
    pub name: String,
    /// True when no finding is an error.
    pub compliant: bool,
    /// The objects read as this cluster's.
    pub objects: Vec<ObjectRef>,
    /// Every finding, in rule order.
    pub findings: Vec<ObjectFinding>,
}

/// The verdict on a set of objects: one report per cluster.
///
/// `compliant` is true only when there is at least one cluster and every cluster is
/// compliant: objects that ask for nothing show nothing to be FIPS.
///
/// ```
/// let report = fips_core::audit_text("apiVersion: v1\nkind: ConfigMap\nmetadata: {name: x}\n", fips_core::Policy::embedded())?;
/// assert!(!report.compliant);
/// assert_eq!(report.ignored, 1);
/// # Ok::<(), fips_core::Error>(())
/// ```
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct AuditReport {
    /// True when there is a cluster and every cluster is compliant.
    pub compliant: bool,
    /// One report per cluster, ordered by namespace and name.
    pub clusters: Vec<ClusterReport>,
    /// How many objects were of kinds that do not matter to FIPS.
    pub ignored: usize,
}

impl AuditReport {
    /// Every finding's code, cluster by cluster.
    ///
    /// ```
    /// use fips_core::{audit_text, Code, Policy};
    /// let text = "apiVersion: kubeadm.k8s.io/v1beta4\nkind: ClusterConfiguration\nkubernetesVersion: v1.22.8\n";
    /// let codes = audit_text(text, Policy::embedded())?.codes();
    /// assert_eq!(codes[0], Code::K8sNotFipsBuild);
    /// # Ok::<(), fips_core::Error>(())
    /// ```
    pub fn codes(&self) -> Vec<Code> {
        self.clusters
            .iter()
            .flat_map(|c| c.findings.iter().map(|f| f.finding.code))
            .collect()
    }
}

/// Reads a manifest stream ([`read_objects`]) and audits it ([`audit`]).
///
/// ```
/// use fips_core::{audit_text, Policy};
/// let err = audit_text("apiVersion: kubeadm.k8s.io/v1beta4\nkind: ClusterConfiguration\n", Policy::embedded()).unwrap_err();
/// assert_eq!(err.kind(), "manifest");
/// assert_eq!(err.to_string(), "document 1: ClusterConfiguration \"\": field kubernetesVersion: missing; it is required");
/// ```
pub fn audit_text(text: &str, policy: &Policy) -> Result<AuditReport, Error> {
    audit(&read_objects(text)?, policy)
}

/// Audits objects: groups them into clusters and judges each.
///
/// ```
/// use fips_core::{audit_text, Code, Policy};
/// let text = r#"
/// apiVersion: controlplane.cluster.x-k8s.io/v1beta1
/// kind: KubeadmControlPlane
/// metadata: {name: cp, namespace: default}
/// spec:
///   version: v1.22.8+fips.0
///   kubeadmConfigSpec:
///     clusterConfiguration:
///       imageRepository: docker.io/mesosphere
///       etcd: {local: {imageTag: 3.4.13-0}}
/// "#;
/// let report = audit_text(text, Policy::embedded())?;
/// let f = &report.clusters[0].findings[0].finding;
/// assert_eq!(f.code, Code::EtcdNotFipsBuild);
/// assert_eq!(f.field, "spec.kubeadmConfigSpec.clusterConfiguration.etcd.local.imageTag");
/// assert_eq!(f.remediation, "v3.4.13_fips.0");
/// # Ok::<(), fips_core::Error>(())
/// ```
pub fn audit(objects: &[Object], policy: &Policy) -> Result<AuditReport, Error> {
    Ok(audit_groups(objects, policy)?.0)
}

/// Audits the new objects and judges every change of a Kubernetes version between an old
/// object and its new version (matched by group, kind, namespace and name) with
/// [`check_transition`].
///
/// ```
/// use fips_core::{audit_update, read_objects, Code, Policy};
/// let kcp = |v: &str| format!("apiVersion: controlplane.cluster.x-k8s.io/v1beta1\nkind: KubeadmControlPlane\nmetadata: {{name: cp}}\nspec: {{version: {v}}}\n");
/// let old = read_objects(&kcp("v1.22.8+fips.0"))?;
/// let new = read_objects(&kcp("v1.22.8"))?;
/// let report = audit_update(&old, &new, Policy::embedded())?;
/// assert!(report.codes().contains(&Code::TransitionDisableRefused));
/// # Ok::<(), fips_core::Error>(())
/// ```
pub fn audit_update(old: &[Object], new: &[Object], policy: &Policy) -> Result<AuditReport, Error> {
    let (mut report, cluster_of) = audit_groups(new, policy)?;
    let old_by_id: HashMap<_, &Object> = old.iter().map(|o| (o.reference.identity(), o)).collect();
    for (i, object) in new.iter().enumerate() {
        let Some(before) = old_by_id.get(&object.reference.identity()) else {
            continue;
        };
        let findings = check_object_transition(before, object, policy)?;
        if let Some(&c) = cluster_of.get(&i) {
            report.clusters[c].findings.extend(findings);
        }
    }
    for c in &mut report.clusters {
        c.compliant = no_errors(&c.findings);
    }
    report.compliant = !report.clusters.is_empty() && report.clusters.iter().all(|c| c.compliant);
    Ok(report)
}

/// Judges one object's update, as an admission webhook does on UPDATE: when its Kubernetes
/// version (`spec.version`, `spec.topology.version`, `spec.template.spec.version`,
/// `kubernetesVersion`) changes, [`check_transition`] decides. Other changes give nothing here;
/// [`audit`] judges the new object itself.
///
/// ```
/// use fips_core::{check_object_transition, read_objects, Code, Policy};
/// let c = |v: &str| read_objects(&format!("apiVersion: cluster.x-k8s.io/v1beta1\nkind: Cluster\nmetadata: {{name: c}}\nspec: {{topology: {{class: q, version: {v}}}}}\n")).unwrap().remove(0);
/// let f = check_object_transition(&c("v1.22.8"), &c("v1.22.8+fips.0"), Policy::embedded())?;
/// assert_eq!(f[0].finding.code, Code::TransitionEnableRefused);
/// assert_eq!(f[0].finding.field, "spec.topology.version");
/// # Ok::<(), fips_core::Error>(())
/// ```
pub fn check_object_transition(
    old: &Object,
    new: &Object,
    policy: &Policy,
) -> Result<Vec<ObjectFinding>, Error> {
    let (Some((field, before)), Some((_, after))) =
        (cluster::version_field(old)?, cluster::version_field(new)?)
    else {
        return Ok(Vec::new());
    };
    let parse = |o: &Object, text: &str| {
        FipsVersion::parse(text).map_err(|e| field_error(o, &field, e.to_string()))
    };
    let (current, desired) = (parse(old, &before)?, parse(new, &after)?);
    if current == desired {
        return Ok(Vec::new());
    }
    let report = check_transition(&current, &desired, policy)?;
    let slot = Slot {
        object: 0,
        field: field.clone(),
        given: Some(after),
        form: Form::Semver,
    };
    Ok(report
        .findings
        .into_iter()
        .map(|f| ObjectFinding {
            finding: remap(f, "--kubernetes-version", &slot),
            object: Some(new.reference.clone()),
        })
        .collect())
}

fn audit_groups(
    objects: &[Object],
    policy: &Policy,
) -> Result<(AuditReport, HashMap<usize, usize>), Error> {
    // Fail closed before any verdict, even one with no cluster in it to validate.
    crate::selftest::ensure_passed()?;
    let (groups, ignored) = cluster::group(objects)?;
    let mut clusters = Vec::with_capacity(groups.len());
    let mut cluster_of = HashMap::new();
    for (c, group) in groups.iter().enumerate() {
        for &i in &group.objects {
            cluster_of.insert(i, c);
        }
        let findings = judge_group(group, objects, policy)?;
        clusters.push(ClusterReport {
            namespace: group.namespace.clone(),
            name: group.name.clone(),
            compliant: no_errors(&findings),
            objects: group
                .objects
                .iter()
                .map(|&i| objects[i].reference.clone())
                .collect(),
            findings,
        });
    }
    let compliant = !clusters.is_empty() && clusters.iter().all(|c| c.compliant);
    Ok((
        AuditReport {
            compliant,
            clusters,
            ignored: ignored.len(),
        },
        cluster_of,
    ))
}

fn no_errors(findings: &[ObjectFinding]) -> bool {
    findings
        .iter()
        .all(|f| f.finding.severity != Severity::Error)
}

fn field_error(object: &Object, field: &str, reason: String) -> ManifestError {
    object.field_error(field, reason)
}

/// Collects findings for one group, each pointing into its object.
struct Judge<'a> {
    objects: &'a [Object],
    policy: &'a Policy,
    out: Vec<ObjectFinding>,
}

impl Judge<'_> {
    fn push(&mut self, object: usize, finding: Finding) {
        self.out.push(ObjectFinding {
            finding,
            object: Some(self.objects[object].reference.clone()),
        });
    }

    fn push_general(&mut self, finding: Finding) {
        if !self.out.iter().any(|f| f.finding == finding) {
            self.out.push(ObjectFinding {
                finding,
                object: None,
            });
        }
    }

    fn error(&self, slot: &Slot, reason: String) -> Error {
        field_error(&self.objects[slot.object], &slot.field, reason).into()
    }

    fn version(&self, slot: &Slot) -> Result<Option<FipsVersion>, Error> {
        slot.given
            .as_deref()
            .map(|text| FipsVersion::parse(text).map_err(|e| self.error(slot, e.to_string())))
            .transpose()
    }

    fn repository(&self, slot: &Slot) -> Result<Option<ImageRepository>, Error> {
        slot.given
            .as_deref()
            .map(|text| ImageRepository::parse(text).map_err(|e| self.error(slot, e.to_string())))
            .transpose()
    }

    /// A version written as a TKr name: explain what semver makes of it.
    fn tkr_name(&mut self, object: usize, field: &str, text: &str) {
        let Some((core, rest)) = text.trim().split_once("---") else {
            return;
        };
        let fixed = format!("{core}+{rest}");
        let marked = FipsVersion::parse(&fixed)
            .ok()
            .and_then(|v| self.policy.fips_markers.iter().find(|m| m.matches(&v)))
            .map_or_else(
                || " (a FIPS build only if the policy declares its marker)".to_owned(),
                |m| format!(", which this policy marks as a FIPS build ({})", m.source),
            );
        self.push(
            object,
            Finding::error(
                Code::VersionTkrName,
                field,
                format!(
                    "{text} looks like a VMware TKr name, not a version: semver reads \
                     \"--{rest}\" as a pre-release, so it has no build metadata and sorts below \
                     {core}; the version it names is {fixed}{marked}"
                ),
                fixed,
            ),
        );
    }
}

fn judge_group(
    group: &ClusterGroup,
    objects: &[Object],
    policy: &Policy,
) -> Result<Vec<ObjectFinding>, Error> {
    let mut judge = Judge {
        objects,
        policy,
        out: Vec::new(),
    };
    let mut control_plane_version = None;
    for cp in &group.control_planes {
        let v = judge_control_plane(&mut judge, cp)?;
        control_plane_version = control_plane_version.or(v);
    }
    if group.control_planes.is_empty() {
        let (object, field) = match (group.cluster, group.workers.first()) {
            (Some(c), _) => (c, "spec.controlPlaneRef"),
            (None, Some(w)) => (w.object, "spec.clusterName"),
            (None, None) => (group.objects[0], "metadata.name"),
        };
        judge.push(
            object,
            Finding::error(
                Code::ClusterControlPlaneMissing,
                field,
                "the cluster's control plane (KubeadmControlPlane, topology or kubeadm \
                 ClusterConfiguration) is not among the audited objects: nothing shows it runs \
                 a FIPS build",
                "audit these objects together with the cluster's KubeadmControlPlane",
            ),
        );
    }
    for worker in &group.workers {
        judge.tkr_name(worker.object, &worker.field, &worker.version);
        let slot = Slot {
            object: worker.object,
            field: worker.field.clone(),
            given: Some(worker.version.clone()),
            form: Form::Semver,
        };
        let Some(version) = judge.version(&slot)? else {
            continue;
        };
        let fix = |v: &FipsVersion| format!("v{v}");
        match &control_plane_version {
            Some(cp) if policy.marks_fips(cp) != policy.marks_fips(&version) => {
                let message = if policy.marks_fips(cp) {
                    format!(
                        "workers run {version}, not a FIPS build, under a FIPS control plane {cp}"
                    )
                } else {
                    format!("workers run the FIPS build {version} under a non-FIPS control plane {cp}: the cluster is not FIPS")
                };
                let remedy = if policy.marks_fips(cp) {
                    fix(cp)
                } else {
                    "make the control plane a FIPS build too (a new cluster), or use the control plane's version"
                        .into()
                };
                judge.push(
                    worker.object,
                    Finding::error(
                        Code::ClusterWorkersBuildMismatch,
                        &worker.field,
                        message,
                        remedy,
                    ),
                );
            }
            _ if policy.marks_fips(&version) && !policy.supports_kubernetes(&version) => {
                let remedy = policy.newest_build().map_or_else(
                    || "add the build to the policy".into(),
                    |b| fix(&b.kubernetes.version),
                );
                judge.push(
                    worker.object,
                    Finding::error(
                        Code::K8sBuildUnsupported,
                        &worker.field,
                        format!("Kubernetes {version} is a FIPS build the policy does not list"),
                        remedy,
                    ),
                );
            }
            None if !policy.marks_fips(&version) => {
                let remedy = policy.newest_build().map_or_else(
                    || "add a FIPS build to the policy".into(),
                    |b| fix(&b.kubernetes.version),
                );
                judge.push(
                    worker.object,
                    Finding::error(
                        Code::K8sNotFipsBuild,
                        &worker.field,
                        format!("Kubernetes {version} is not a FIPS build: only build metadata +fips.N marks one"),
                        remedy,
                    ),
                );
            }
            _ => {}
        }
    }
    if group.aws {
        for (object, ami) in &group.machines {
            match ami {
                Ami::Id => {}
                Ami::Lookup(field) => judge.push(
                    *object,
                    Finding::error(
                        Code::ClusterAmiLookup,
                        field,
                        format!("{field} makes CAPA look the AMI up: that is not a FIPS-prepared AMI chosen by id"),
                        format!("remove {field} and set {}: <id of an AMI built for FIPS mode>", ami_id_field(field)),
                    ),
                ),
                Ami::Missing(field) => judge.push(
                    *object,
                    Finding::error(
                        Code::AwsAmiMissing,
                        field,
                        "no AMI id: CAPA would look up its default image, which is not prepared for FIPS mode",
                        "<id of an AMI built for FIPS mode>",
                    ),
                ),
            }
        }
        if group.machines.is_empty() && !group.topology {
            if let Some(c) = group.cluster {
                judge.push(
                    c,
                    Finding::error(
                        Code::AwsAmiMissing,
                        "spec.infrastructureRef",
                        "an AWS cluster whose AWSMachineTemplates are not among the audited objects: no AMI is shown to be FIPS-prepared",
                        "audit the cluster with its AWSMachineTemplates (spec.template.spec.ami.id: <id of an AMI built for FIPS mode>)",
                    ),
                );
            }
        }
    }
    Ok(judge.out)
}

fn ami_id_field(lookup_field: &str) -> String {
    match lookup_field.rsplit_once('.') {
        Some((spec, _)) => format!("{spec}.ami.id"),
        None => "ami.id".into(),
    }
}

/// Codes that speak of the etcd version (not its repository).
const ETCD_VERSION_CODES: [Code; 5] = [
    Code::EtcdNotFipsBuild,
    Code::EtcdBuildUnsupported,
    Code::BuildPairUnsupported,
    Code::MixedEtcdNotFips,
    Code::MixedK8sNotFips,
];

/// Judges one control plane through [`validate`]; returns its Kubernetes version.
fn judge_control_plane(
    judge: &mut Judge<'_>,
    cp: &ControlPlane,
) -> Result<Option<FipsVersion>, Error> {
    let policy = judge.policy;
    if let Some(text) = &cp.kubernetes_version.given {
        judge.tkr_name(cp.object, &cp.kubernetes_version.field, text);
    }
    let kubernetes_version = judge.version(&cp.kubernetes_version)?;
    let mut etcd_unknown = false;
    let etcd_version = if let Some(field) = &cp.etcd_external {
        etcd_unknown = true;
        judge.push(
            cp.object,
            Finding::error(
                Code::ClusterEtcdExternal,
                field,
                "etcd is external: kubeadm runs no etcd image, so these objects cannot show that etcd is a FIPS build",
                "use kubeadm's local etcd with the FIPS etcd image (etcd.local.imageTag), or audit the external etcd separately",
            ),
        );
        None
    } else {
        match &cp.etcd_tag.given {
            None => None,
            Some(tag) => match FipsVersion::from_tag(tag) {
                Ok(v) => Some(v),
                Err(e) => {
                    etcd_unknown = true;
                    let fix = FipsVersion::parse(tag)
                        .ok()
                        .and_then(|v| v.to_tag(Component::Etcd).ok().map(String::from))
                        .unwrap_or_else(|| etcd_fix(policy));
                    judge.push(
                        cp.object,
                        Finding::error(
                            Code::ClusterEtcdTagInvalid,
                            &cp.etcd_tag.field,
                            format!("{e}; an image tag writes build metadata with '_' (kubeadm's rule), as Cluster API's webhook requires"),
                            fix,
                        ),
                    );
                    None
                }
            },
        }
    };
    let unknown_convention = cp.etcd_tag.field.is_empty();
    if let Some(field) = &cp.repository_unknown {
        let repository = policy.newest_build().map_or_else(
            || "<the FIPS repository>".into(),
            |b| b.kubernetes.repository.to_string(),
        );
        let fix = if unknown_convention {
            serde_json::json!({"name": "imageRepository", "value": repository}).to_string()
        } else {
            repository
        };
        judge.push(
            cp.object,
            Finding::error(
                Code::ClusterTopologyRepositoryUnknown,
                field,
                if unknown_convention {
                    "the topology variables follow no known ClusterClass convention (Cluster API quick-start imageRepository/etcdImageTag, NKP clusterConfig): the image repository and etcd cannot be determined from the Cluster, and are not guessed"
                } else {
                    "the topology variables do not set the image repository: it cannot be determined from the Cluster, and is not guessed"
                },
                fix,
            ),
        );
    }
    let request = control_plane_request(judge, cp, etcd_version)?;
    let report = validate(&request, policy)?;
    for finding in report.findings {
        let code = finding.code;
        let skip = (cp.repository_unknown.is_some()
            && matches!(
                code,
                Code::K8sRepositoryNotFips | Code::EtcdRepositoryNotFips
            ))
            || ((etcd_unknown || unknown_convention) && ETCD_VERSION_CODES.contains(&code))
            || (unknown_convention && code == Code::EtcdRepositoryNotFips);
        if skip {
            continue;
        }
        let slot = match finding.field.as_str() {
            "--kubernetes-version" => &cp.kubernetes_version,
            "--kubernetes-image-repository" => &cp.kubernetes_repository,
            "--etcd-version" => &cp.etcd_tag,
            "--etcd-image-repository" => &cp.etcd_repository,
            _ => {
                judge.push_general(finding);
                continue;
            }
        };
        let flag = finding.field.clone();
        let mapped = remap(finding, &flag, slot);
        judge.push(slot.object, mapped);
    }
    for slot in &cp.repository_overrides {
        let request = ClusterRequest {
            kubernetes_image_repository: judge.repository(slot)?,
            ..request.clone()
        };
        for finding in validate(&request, policy)?.findings {
            if finding.code == Code::K8sRepositoryNotFips {
                let mapped = remap(finding, "--kubernetes-image-repository", slot);
                judge.push(slot.object, mapped);
            }
        }
    }
    Ok(kubernetes_version)
}

fn etcd_fix(policy: &Policy) -> String {
    policy
        .newest_build()
        .and_then(|b| b.etcd.version.to_tag(Component::Etcd).ok())
        .map_or_else(|| "<the FIPS etcd tag>".into(), String::from)
}

/// A command-line finding restated for a field: the flag becomes the JSONPath, and a
/// `--flag=value` remediation becomes the value in the field's own form.
fn remap(finding: Finding, flag: &str, slot: &Slot) -> Finding {
    let prefix = format!("{flag}=");
    let remediation = match finding.remediation.strip_prefix(&prefix) {
        Some(value) => in_form(value, &slot.form),
        None => finding
            .remediation
            .replace(&prefix, &format!("{}: ", slot.field)),
    };
    Finding {
        field: slot.field.clone(),
        message: finding.message.replace(flag, &slot.field),
        remediation,
        ..finding
    }
}

fn in_form(value: &str, form: &Form) -> String {
    match form {
        Form::Semver => {
            FipsVersion::parse(value).map_or_else(|_| value.to_owned(), |v| format!("v{v}"))
        }
        Form::EtcdTag => FipsVersion::parse(value)
            .ok()
            .and_then(|v| v.to_tag(Component::Etcd).ok().map(String::from))
            .unwrap_or_else(|| value.to_owned()),
        Form::Repository => value.to_owned(),
        Form::NewVariable(name, inner) => {
            serde_json::json!({"name": name, "value": in_form(value, inner)}).to_string()
        }
    }
}
