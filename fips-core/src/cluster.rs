//! Cluster API and kubeadm objects mapped to the questions the policy asks of one cluster.
//!
//! Where the request lives (Cluster API v1beta1 / v1beta2, CAPA, kubeadm v1beta3 / v1beta4):
//! - `KubeadmControlPlane`: `spec.version` (semver form, `v1.22.8+fips.0`) and
//!   `spec.kubeadmConfigSpec.clusterConfiguration` (`imageRepository`, `etcd.local.*`,
//!   `etcd.external`);
//! - `Cluster` with managed topology: `spec.topology.version` and the variables of Cluster
//!   API's quick-start ClusterClass (`imageRepository`, `etcdImageTag`) or of Nutanix NKP
//!   (`clusterConfig.kubernetesImageRepository`, `clusterConfig.etcd.image.{repository,tag}`),
//!   with per-MachineDeployment overrides;
//! - `MachineDeployment`, `MachineSet`, `Machine`, `MachinePool`: the workers' version;
//! - CAPA `AWSMachineTemplate` / `AWSMachine`: `ami.id` or an AMI lookup;
//! - kubeadm `ClusterConfiguration`: `kubernetesVersion`, `imageRepository`, `etcd.local`.
//!
//! kubeadm semantics: `etcd.local.imageRepository` falls back to `imageRepository`; without
//! `etcd.local.imageTag` kubeadm runs its own upstream etcd; without `imageRepository` it
//! pulls from `registry.k8s.io`. An etcd tag is a tag (`v3.4.13_fips.0`), not a version.
//!
//! Objects are grouped by the `cluster.x-k8s.io/cluster-name` label, `spec.clusterName`,
//! an owner reference to a `Cluster`, the Cluster's `controlPlaneRef`, the infrastructure
//! references of control planes and machines, and finally the namespace when it holds
//! exactly one cluster.

use std::collections::BTreeMap;

use serde_json::Value;

use crate::{manifest::json_type, ManifestError, Object};

/// The label Cluster API puts on every object of a cluster.
const CLUSTER_NAME_LABEL: &str = "cluster.x-k8s.io/cluster-name";

/// How a value is written in the field it comes from, so a remediation uses the same form.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) enum Form {
    /// A version with its `v`: `v1.22.8+fips.0` (Cluster API requires the `v`).
    Semver,
    /// An etcd image tag: `v3.4.13_fips.0`.
    EtcdTag,
    /// An image repository: `docker.io/mesosphere`.
    Repository,
    /// A ClusterClass variable not set yet: the remediation is the whole entry to add.
    NewVariable(&'static str, Box<Form>),
}

/// One of the request's values, read from (or missing in) an object.
#[derive(Clone, Debug)]
pub(crate) struct Slot {
    /// Index of the object in the audited slice.
    pub object: usize,
    /// Where it is, or where to set it, as a JSONPath of the object.
    pub field: String,
    /// The text found there, if any.
    pub given: Option<String>,
    /// How the field writes its value.
    pub form: Form,
}

/// A control plane's request: the four values the policy judges.
#[derive(Clone, Debug)]
pub(crate) struct ControlPlane {
    pub object: usize,
    pub kubernetes_version: Slot,
    pub kubernetes_repository: Slot,
    pub etcd_tag: Slot,
    pub etcd_repository: Slot,
    /// `etcd.external` is set: no etcd image is run by kubeadm.
    pub etcd_external: Option<String>,
    /// A topology cluster whose variables follow no known convention: the JSONPath.
    pub repository_unknown: Option<String>,
    /// Per-MachineDeployment overrides of the repository.
    pub repository_overrides: Vec<Slot>,
}

/// A worker object's version.
#[derive(Clone, Debug)]
pub(crate) struct Worker {
    pub object: usize,
    pub field: String,
    pub version: String,
}

/// How a machine finds its image.
#[derive(Clone, Debug)]
pub(crate) enum Ami {
    /// `ami.id` given.
    Id,
    /// An AMI lookup: the field that asks for it.
    Lookup(String),
    /// Neither: CAPA looks up its default image. The field to set.
    Missing(String),
}

/// The objects of one cluster and what they ask for.
#[derive(Clone, Debug, Default)]
pub(crate) struct ClusterGroup {
    /// The namespace and name of the cluster (for an object grouped alone: its own).
    pub namespace: Option<String>,
    pub name: String,
    /// Indices of its objects, in input order.
    pub objects: Vec<usize>,
    pub control_planes: Vec<ControlPlane>,
    pub workers: Vec<Worker>,
    pub machines: Vec<(usize, Ami)>,
    /// The Cluster object, if given.
    pub cluster: Option<usize>,
    /// True when the cluster runs on AWS (CAPA).
    pub aws: bool,
    /// True when the Cluster uses a managed topology.
    pub topology: bool,
}

/// What one object contributes, once read.
enum Part {
    Cluster {
        control_plane_ref: Option<String>,
        /// `spec.infrastructureRef.name` (the AWSCluster).
        infra_ref: Option<String>,
        aws: bool,
        topology: Option<ControlPlane>,
    },
    /// A control plane and the name of its machines' infrastructure template.
    ControlPlane(ControlPlane, Option<String>),
    Worker {
        worker: Option<Worker>,
        cluster: Option<String>,
        /// The names of its infrastructure template and bootstrap config template.
        refs: Vec<String>,
    },
    Machine(Ami),
    /// Known, judged only through others (templates, AWSCluster, KubeadmConfigTemplate).
    Member {
        aws: bool,
    },
}

/// Groups the objects into clusters and reads what each asks for. Objects of kinds that do
/// not matter to FIPS are left out; their indices are returned as the second value.
pub(crate) fn group(objects: &[Object]) -> Result<(Vec<ClusterGroup>, Vec<usize>), ManifestError> {
    let mut parts: Vec<(usize, Part)> = Vec::new();
    let mut ignored = Vec::new();
    for (i, object) in objects.iter().enumerate() {
        match read_part(i, object)? {
            Some(part) => parts.push((i, part)),
            None => ignored.push(i),
        }
    }
    // Cluster keys: (namespace, name).
    type Key = (Option<String>, String);
    let mut groups: BTreeMap<Key, ClusterGroup> = BTreeMap::new();
    let mut control_plane_owner: BTreeMap<Key, Key> = BTreeMap::new();
    for (i, part) in &parts {
        if let Part::Cluster {
            control_plane_ref, ..
        } = part
        {
            let r = &objects[*i].reference;
            let key = (r.namespace.clone(), r.name.clone());
            if let Some(cp) = control_plane_ref {
                control_plane_owner.insert((r.namespace.clone(), cp.clone()), key.clone());
            }
            groups.entry(key).or_default();
        }
    }
    let mut per_namespace: BTreeMap<Option<String>, Vec<Key>> = BTreeMap::new();
    for key in groups.keys() {
        per_namespace
            .entry(key.0.clone())
            .or_default()
            .push(key.clone());
    }
    let mut infra_owner: BTreeMap<Key, Key> = BTreeMap::new();
    let mut key_of: Vec<(usize, Key)> = Vec::new();
    // Infrastructure and bootstrap objects are placed last: the others' references find them.
    let (infra, rest): (Vec<_>, Vec<_>) = parts
        .iter()
        .partition(|(i, _)| matches!(objects[*i].reference.group(), INFRA_GROUP | BOOTSTRAP_GROUP));
    for (i, part) in rest.iter().chain(infra.iter()) {
        let object = &objects[*i];
        let r = &object.reference;
        let own = (r.namespace.clone(), r.name.clone());
        let named = |name: String| (r.namespace.clone(), name);
        let mut key = match part {
            Part::Cluster { .. } => Some(own.clone()),
            Part::Worker { cluster, .. } => cluster.clone().map(named),
            _ => None,
        };
        key = key
            .or_else(|| label(object).map(named))
            .or_else(|| owner_cluster(object).map(named))
            .or_else(|| control_plane_owner.get(&own).cloned())
            .or_else(|| infra_owner.get(&own).cloned())
            .or_else(|| match per_namespace.get(&r.namespace) {
                Some(keys) if keys.len() == 1 => Some(keys[0].clone()),
                _ => None,
            });
        let key = key.unwrap_or_else(|| {
            // Alone: a group named after the object itself.
            (r.namespace.clone(), format!("{}/{}", r.kind, r.name))
        });
        let refs: Vec<String> = match part {
            Part::ControlPlane(_, infra)
            | Part::Cluster {
                infra_ref: infra, ..
            } => infra.iter().cloned().collect(),
            Part::Worker { refs, .. } => refs.clone(),
            _ => Vec::new(),
        };
        for name in refs {
            infra_owner
                .entry(named(name))
                .or_insert_with(|| key.clone());
        }
        key_of.push((*i, key));
    }
    key_of.sort_by_key(|(i, _)| *i);
    let mut by_index: BTreeMap<usize, Part> = parts.into_iter().collect();
    for (i, key) in key_of {
        let group = groups.entry(key.clone()).or_insert_with(|| ClusterGroup {
            namespace: key.0.clone(),
            name: key.1.clone(),
            ..ClusterGroup::default()
        });
        group.namespace = key.0.clone();
        group.name = key.1.clone();
        group.objects.push(i);
        match by_index.remove(&i) {
            Some(Part::Cluster { aws, topology, .. }) => {
                group.cluster = Some(i);
                group.aws |= aws;
                if let Some(cp) = topology {
                    group.topology = true;
                    group.control_planes.push(cp);
                }
            }
            Some(Part::ControlPlane(cp, _)) => group.control_planes.push(cp),
            Some(Part::Worker { worker, .. }) => group.workers.extend(worker),
            Some(Part::Machine(ami)) => {
                group.aws = true;
                group.machines.push((i, ami));
            }
            Some(Part::Member { aws }) => group.aws |= aws,
            None => {}
        }
    }
    // Objects judged only through others (templates alone, say a ClusterClass's) ask nothing.
    let (groups, alone): (Vec<_>, Vec<_>) = groups.into_values().partition(|g| {
        g.cluster.is_some()
            || !g.control_planes.is_empty()
            || !g.workers.is_empty()
            || !g.machines.is_empty()
    });
    ignored.extend(alone.into_iter().flat_map(|g| g.objects));
    ignored.sort_unstable();
    Ok((groups, ignored))
}

const CAPI_GROUP: &str = "cluster.x-k8s.io";
const CONTROL_PLANE_GROUP: &str = "controlplane.cluster.x-k8s.io";
const BOOTSTRAP_GROUP: &str = "bootstrap.cluster.x-k8s.io";
const INFRA_GROUP: &str = "infrastructure.cluster.x-k8s.io";
const KUBEADM_GROUP: &str = "kubeadm.k8s.io";

/// A kind the audit reads, as an API server serves it.
///
/// This is the one list of what `fips` looks at: the live audit lists these resources,
/// the webhook registers for them, and the offline audit ignores every other kind.
///
/// ```
/// let kcp = fips_core::AUDITED_KINDS
///     .iter()
///     .find(|k| k.kind == "KubeadmControlPlane")
///     .unwrap();
/// assert_eq!(kcp.group, "controlplane.cluster.x-k8s.io");
/// assert_eq!(kcp.plural, "kubeadmcontrolplanes");
/// assert_eq!(kcp.versions, ["v1beta2", "v1beta1"]);
/// ```
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct AuditedKind {
    /// The API group (`cluster.x-k8s.io`).
    pub group: &'static str,
    /// The kind (`Cluster`).
    pub kind: &'static str,
    /// The resource name in URLs and RBAC rules (`clusters`).
    pub plural: &'static str,
    /// The API versions read, newest first.
    pub versions: &'static [&'static str],
    /// Whether the kind is served by an API server (kubeadm's `ClusterConfiguration` is a
    /// file format, never a resource).
    pub served: bool,
}

const CAPI_VERSIONS: &[&str] = &["v1beta2", "v1beta1"];
const KUBEADM_VERSIONS: &[&str] = &["v1beta4", "v1beta3"];

const fn served(group: &'static str, kind: &'static str, plural: &'static str) -> AuditedKind {
    AuditedKind {
        group,
        kind,
        plural,
        versions: CAPI_VERSIONS,
        served: true,
    }
}

/// Every kind the audit reads (Cluster API, its kubeadm control plane and bootstrap
/// providers, CAPA, and kubeadm's own configuration file).
pub const AUDITED_KINDS: &[AuditedKind] = &[
    served(CAPI_GROUP, "Cluster", "clusters"),
    served(CAPI_GROUP, "MachineDeployment", "machinedeployments"),
    served(CAPI_GROUP, "MachineSet", "machinesets"),
    served(CAPI_GROUP, "Machine", "machines"),
    served(CAPI_GROUP, "MachinePool", "machinepools"),
    served(
        CONTROL_PLANE_GROUP,
        "KubeadmControlPlane",
        "kubeadmcontrolplanes",
    ),
    served(
        CONTROL_PLANE_GROUP,
        "KubeadmControlPlaneTemplate",
        "kubeadmcontrolplanetemplates",
    ),
    served(
        BOOTSTRAP_GROUP,
        "KubeadmConfigTemplate",
        "kubeadmconfigtemplates",
    ),
    served(INFRA_GROUP, "AWSMachineTemplate", "awsmachinetemplates"),
    served(INFRA_GROUP, "AWSMachine", "awsmachines"),
    served(INFRA_GROUP, "AWSCluster", "awsclusters"),
    served(INFRA_GROUP, "AWSClusterTemplate", "awsclustertemplates"),
    AuditedKind {
        group: KUBEADM_GROUP,
        kind: "ClusterConfiguration",
        plural: "",
        versions: KUBEADM_VERSIONS,
        served: false,
    },
];

/// The known kinds, by API group.
fn is_known(group: &str, kind: &str) -> bool {
    AUDITED_KINDS
        .iter()
        .any(|k| k.group == group && k.kind == kind)
}

/// Reads the parts of one object that matter; `None` for kinds that do not.
fn read_part(i: usize, object: &Object) -> Result<Option<Part>, ManifestError> {
    let r = &object.reference;
    let group = r.group();
    if !is_known(group, &r.kind) {
        return Ok(None);
    }
    let at = Reader { object };
    let api = r.api();
    let supported = AUDITED_KINDS
        .iter()
        .any(|k| k.group == group && k.kind == r.kind && k.versions.contains(&api));
    if !supported {
        return Err(at.error(
            "apiVersion",
            format!(
                "{} is not a version this audit reads (Cluster API and CAPA v1beta1/v1beta2, kubeadm v1beta3/v1beta4)",
                r.api_version
            ),
        ));
    }
    if r.name.is_empty() && group != KUBEADM_GROUP {
        return Err(at.error("metadata.name", "missing".into()));
    }
    let part = match (group, r.kind.as_str()) {
        (CAPI_GROUP, "Cluster") => {
            let infra_kind = at.text("spec.infrastructureRef.kind")?;
            let topology = match at.get("spec.topology")? {
                Some(_) => Some(topology(i, &at)?),
                None => None,
            };
            Part::Cluster {
                control_plane_ref: at.text("spec.controlPlaneRef.name")?,
                infra_ref: at.text("spec.infrastructureRef.name")?,
                aws: infra_kind.is_some_and(|k| k.starts_with("AWS")),
                topology,
            }
        }
        (CONTROL_PLANE_GROUP, "KubeadmControlPlane") => {
            let version = at.required_text("spec.version")?;
            let mut cp = kubeadm(
                i,
                &at,
                "spec.kubeadmConfigSpec.clusterConfiguration",
                Some(("spec.version", version)),
            )?;
            cp.object = i;
            let infra = match at.text("spec.machineTemplate.infrastructureRef.name")? {
                Some(name) => Some(name),
                None => at.text("spec.machineTemplate.spec.infrastructureRef.name")?,
            };
            Part::ControlPlane(cp, infra)
        }
        (CONTROL_PLANE_GROUP, "KubeadmControlPlaneTemplate") => {
            // Read, so a malformed template is an error; judged through the Cluster using it.
            kubeadm(
                i,
                &at,
                "spec.template.spec.kubeadmConfigSpec.clusterConfiguration",
                None,
            )?;
            Part::Member { aws: false }
        }
        (CAPI_GROUP, "MachineDeployment" | "MachineSet" | "MachinePool") => {
            worker(i, &at, "spec.template.spec")?
        }
        (CAPI_GROUP, "Machine") => worker(i, &at, "spec")?,
        (INFRA_GROUP, "AWSMachineTemplate") => Part::Machine(ami(&at, "spec.template.spec")?),
        (INFRA_GROUP, "AWSMachine") => Part::Machine(ami(&at, "spec")?),
        (INFRA_GROUP, _) => Part::Member { aws: true },
        (KUBEADM_GROUP, "ClusterConfiguration") => {
            let version = at.required_text("kubernetesVersion")?;
            Part::ControlPlane(
                kubeadm(i, &at, "", Some(("kubernetesVersion", version)))?,
                None,
            )
        }
        _ => Part::Member { aws: false },
    };
    Ok(Some(part))
}

/// A control plane from a kubeadm `ClusterConfiguration` found at `prefix`.
fn kubeadm(
    i: usize,
    at: &Reader<'_>,
    prefix: &str,
    version: Option<(&str, String)>,
) -> Result<ControlPlane, ManifestError> {
    let path = |rest: &str| {
        if prefix.is_empty() {
            rest.to_owned()
        } else {
            format!("{prefix}.{rest}")
        }
    };
    let repository = at.text(&path("imageRepository"))?;
    let etcd_repository = at.text(&path("etcd.local.imageRepository"))?;
    let etcd_tag = at.text(&path("etcd.local.imageTag"))?;
    let etcd_external = at
        .get(&path("etcd.external"))?
        .map(|_| path("etcd.external"));
    let (version_field, version) = match version {
        Some((field, v)) => (field.to_owned(), Some(v)),
        None => (String::new(), None),
    };
    Ok(ControlPlane {
        object: i,
        kubernetes_version: Slot {
            object: i,
            field: version_field,
            given: version,
            form: Form::Semver,
        },
        kubernetes_repository: Slot {
            object: i,
            field: path("imageRepository"),
            given: repository.clone(),
            form: Form::Repository,
        },
        etcd_tag: Slot {
            object: i,
            field: path("etcd.local.imageTag"),
            given: etcd_tag,
            form: Form::EtcdTag,
        },
        // kubeadm: etcd.local.imageRepository falls back to imageRepository.
        etcd_repository: Slot {
            object: i,
            field: path("etcd.local.imageRepository"),
            given: etcd_repository.or(repository),
            form: Form::Repository,
        },
        etcd_external,
        repository_unknown: None,
        repository_overrides: Vec::new(),
    })
}

/// A topology Cluster's control plane, from `spec.topology.version` and its variables.
fn topology(i: usize, at: &Reader<'_>) -> Result<ControlPlane, ManifestError> {
    let version = at.required_text("spec.topology.version")?;
    let variables = at.variables("spec.topology.variables")?;
    let find = |name: &str| variables.iter().find(|(_, n, _)| n == name);
    let slot = |field: String, given: Option<String>, form: Form| Slot {
        object: i,
        field,
        given,
        form,
    };
    let value_text =
        |idx: usize, value: &Value, path: &str| -> Result<Option<String>, ManifestError> {
            let field = format!("spec.topology.variables[{idx}].value{path}");
            text_in(at, value, path, &field)
        };
    let mut cp = ControlPlane {
        object: i,
        kubernetes_version: slot("spec.topology.version".into(), Some(version), Form::Semver),
        kubernetes_repository: slot(String::new(), None, Form::Repository),
        etcd_tag: slot(String::new(), None, Form::EtcdTag),
        etcd_repository: slot(String::new(), None, Form::Repository),
        etcd_external: None,
        repository_unknown: None,
        repository_overrides: Vec::new(),
    };
    let base = "spec.topology.variables".to_owned();
    if let Some((idx, _, value)) = find("clusterConfig") {
        // Nutanix NKP (CAREN).
        let at_value = |p: &str| format!("spec.topology.variables[{idx}].value.{p}");
        let repository = value_text(*idx, value, ".kubernetesImageRepository")?;
        let etcd_repository = value_text(*idx, value, ".etcd.image.repository")?;
        let tag = value_text(*idx, value, ".etcd.image.tag")?;
        if repository.is_none() {
            cp.repository_unknown = Some(at_value("kubernetesImageRepository"));
        }
        cp.kubernetes_repository = slot(
            at_value("kubernetesImageRepository"),
            repository.clone(),
            Form::Repository,
        );
        cp.etcd_repository = slot(
            at_value("etcd.image.repository"),
            etcd_repository.or(repository),
            Form::Repository,
        );
        cp.etcd_tag = slot(at_value("etcd.image.tag"), tag, Form::EtcdTag);
    } else if let Some((idx, _, value)) = find("imageRepository") {
        // Cluster API quick-start ClusterClass.
        let field = format!("spec.topology.variables[{idx}].value");
        let repository = text_in(at, value, "", &field)?;
        cp.kubernetes_repository = slot(field.clone(), repository.clone(), Form::Repository);
        cp.etcd_repository = slot(field, repository, Form::Repository);
        cp.etcd_tag = match find("etcdImageTag") {
            Some((t, _, v)) => {
                let field = format!("spec.topology.variables[{t}].value");
                slot(field.clone(), text_in(at, v, "", &field)?, Form::EtcdTag)
            }
            None => slot(
                base.clone(),
                None,
                Form::NewVariable("etcdImageTag", Box::new(Form::EtcdTag)),
            ),
        };
    } else {
        cp.repository_unknown = Some(base);
    }
    // Per-MachineDeployment overrides: `variables.overrides[]`, or `variables[]` directly.
    if let Some(Value::Array(mds)) = at.get("spec.topology.workers.machineDeployments")? {
        for (m, md) in mds.iter().enumerate() {
            let (list, path) = match md.get("variables") {
                Some(Value::Array(list)) => (
                    list,
                    format!("spec.topology.workers.machineDeployments[{m}].variables"),
                ),
                Some(Value::Object(o)) => match o.get("overrides") {
                    Some(Value::Array(list)) => (
                        list,
                        format!(
                            "spec.topology.workers.machineDeployments[{m}].variables.overrides"
                        ),
                    ),
                    _ => continue,
                },
                _ => continue,
            };
            for (v, entry) in list.iter().enumerate() {
                let name = entry.get("name").and_then(Value::as_str);
                let value = entry.get("value").unwrap_or(&Value::Null);
                let field = format!("{path}[{v}].value");
                let (given, field) = match name {
                    Some("imageRepository") => (text_in(at, value, "", &field)?, field),
                    Some("clusterConfig") => (
                        text_in(at, value, ".kubernetesImageRepository", &field)?,
                        format!("{field}.kubernetesImageRepository"),
                    ),
                    _ => continue,
                };
                if given.is_some() {
                    cp.repository_overrides
                        .push(slot(field, given, Form::Repository));
                }
            }
        }
    }
    Ok(cp)
}

/// A worker: its version (when set), its cluster and its infrastructure object's name.
fn worker(i: usize, at: &Reader<'_>, spec: &str) -> Result<Part, ManifestError> {
    let field = format!("{spec}.version");
    Ok(Part::Worker {
        worker: at.text(&field)?.map(|version| Worker {
            object: i,
            field,
            version,
        }),
        cluster: at.text("spec.clusterName")?,
        refs: [
            at.text(&format!("{spec}.infrastructureRef.name"))?,
            at.text(&format!("{spec}.bootstrap.configRef.name"))?,
        ]
        .into_iter()
        .flatten()
        .collect(),
    })
}

/// An AWS machine's image: `ami.id`, a lookup, or neither.
fn ami(at: &Reader<'_>, spec: &str) -> Result<Ami, ManifestError> {
    if at.text(&format!("{spec}.ami.id"))?.is_some() {
        return Ok(Ami::Id);
    }
    for lookup in ["imageLookupFormat", "imageLookupOrg", "imageLookupBaseOS"] {
        let field = format!("{spec}.{lookup}");
        if at.text(&field)?.is_some() {
            return Ok(Ami::Lookup(field));
        }
    }
    Ok(Ami::Missing(format!("{spec}.ami.id")))
}

fn label(object: &Object) -> Option<String> {
    object
        .body
        .get("metadata")?
        .get("labels")?
        .get(CLUSTER_NAME_LABEL)?
        .as_str()
        .filter(|s| !s.is_empty())
        .map(str::to_owned)
}

fn owner_cluster(object: &Object) -> Option<String> {
    let owners = object
        .body
        .get("metadata")?
        .get("ownerReferences")?
        .as_array()?;
    owners
        .iter()
        .find(|o| {
            o.get("kind").and_then(Value::as_str) == Some("Cluster")
                && o.get("apiVersion")
                    .and_then(Value::as_str)
                    .is_some_and(|a| a.starts_with("cluster.x-k8s.io/"))
        })
        .and_then(|o| o.get("name")?.as_str())
        .map(str::to_owned)
}

/// A text at `path` inside `value` (a variable's value); `field` names it in errors.
fn text_in(
    at: &Reader<'_>,
    value: &Value,
    path: &str,
    field: &str,
) -> Result<Option<String>, ManifestError> {
    let mut v = value;
    for key in path.split('.').filter(|k| !k.is_empty()) {
        match v {
            Value::Object(m) => match m.get(key) {
                Some(next) => v = next,
                None => return Ok(None),
            },
            Value::Null => return Ok(None),
            other => {
                return Err(at.error(
                    field,
                    format!("expected a mapping at {key:?}, found {}", json_type(other)),
                ))
            }
        }
    }
    match v {
        Value::Null => Ok(None),
        Value::String(s) if s.is_empty() => Ok(None),
        Value::String(s) => Ok(Some(s.clone())),
        other => Err(at.error(
            field,
            format!("expected a string, found {}", json_type(other)),
        )),
    }
}

/// Reads fields of one object by JSONPath, with errors naming the document and field.
struct Reader<'a> {
    object: &'a Object,
}

impl Reader<'_> {
    fn error(&self, field: &str, reason: String) -> ManifestError {
        self.object.field_error(field, reason)
    }

    /// The value at a dotted path; `None` when a part is absent or null.
    fn get(&self, path: &str) -> Result<Option<&Value>, ManifestError> {
        let mut v = &self.object.body;
        let mut walked = String::new();
        for key in path.split('.') {
            match v {
                Value::Object(m) => match m.get(key) {
                    Some(Value::Null) | None => return Ok(None),
                    Some(next) => v = next,
                },
                other => {
                    return Err(self.error(
                        &walked,
                        format!("expected a mapping, found {}", json_type(other)),
                    ))
                }
            }
            if !walked.is_empty() {
                walked.push('.');
            }
            walked.push_str(key);
        }
        Ok(Some(v))
    }

    /// A string at a path; an empty string counts as not set (Go's `omitempty`).
    fn text(&self, path: &str) -> Result<Option<String>, ManifestError> {
        match self.get(path)? {
            None => Ok(None),
            Some(Value::String(s)) if s.is_empty() => Ok(None),
            Some(Value::String(s)) => Ok(Some(s.clone())),
            Some(other) => Err(self.error(
                path,
                format!("expected a string, found {}", json_type(other)),
            )),
        }
    }

    fn required_text(&self, path: &str) -> Result<String, ManifestError> {
        self.text(path)?
            .ok_or_else(|| self.error(path, "missing; it is required".into()))
    }

    /// ClusterClass variables: `(index, name, value)`.
    fn variables(&self, path: &str) -> Result<Vec<(usize, String, &Value)>, ManifestError> {
        let list = match self.get(path)? {
            None => return Ok(Vec::new()),
            Some(Value::Array(list)) => list,
            Some(other) => {
                return Err(self.error(path, format!("expected a list, found {}", json_type(other))))
            }
        };
        list.iter()
            .enumerate()
            .map(|(i, entry)| match entry.get("name") {
                Some(Value::String(name)) => {
                    Ok((i, name.clone(), entry.get("value").unwrap_or(&Value::Null)))
                }
                _ => Err(self.error(&format!("{path}[{i}].name"), "expected a string".into())),
            })
            .collect()
    }
}

/// Where an object keeps the Kubernetes version it asks for, and the version: the field
/// an upgrade changes.
pub(crate) fn version_field(object: &Object) -> Result<Option<(String, String)>, ManifestError> {
    let r = &object.reference;
    let field = match (r.group(), r.kind.as_str()) {
        (CONTROL_PLANE_GROUP, "KubeadmControlPlane") | (CAPI_GROUP, "Machine") => "spec.version",
        (CAPI_GROUP, "Cluster") => "spec.topology.version",
        (CAPI_GROUP, "MachineDeployment" | "MachineSet" | "MachinePool") => {
            "spec.template.spec.version"
        }
        (KUBEADM_GROUP, "ClusterConfiguration") => "kubernetesVersion",
        _ => return Ok(None),
    };
    let at = Reader { object };
    Ok(at.text(field)?.map(|v| (field.to_owned(), v)))
}
