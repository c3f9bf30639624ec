//! Reads, through the API server and read-only (`get`), what a decision needs beyond the
//! reviewed object: its namespace's `fips.policy/required` label and the other objects of its
//! cluster (the Cluster, its control plane, the machine templates the object references).
//! An object that does not exist yet is left out: its rules apply when it arrives.

use fips_core::{Object, AUDITED_KINDS, FIPS_REQUIRED_LABEL};
use k8s_openapi::api::core::v1::Namespace;
use kube::{
    api::{Api, ApiResource},
    core::{DynamicObject, GroupVersionKind},
    Client,
};
use serde_json::Value;

use crate::decide::to_object;

/// The label Cluster API puts on every object of a cluster.
const CLUSTER_NAME_LABEL: &str = "cluster.x-k8s.io/cluster-name";

/// What the API server says about one reviewed object.
#[derive(Debug, Default)]
pub struct Related {
    pub objects: Vec<Object>,
    pub fips_required: bool,
}

/// Reads the namespace label and related objects. An API error other than "not found" is
/// an error: the decision then refuses (fail closed).
pub async fn read(client: &Client, object: &Object) -> Result<Related, String> {
    let Some(ns) = object.reference.namespace.as_deref() else {
        return Ok(Related::default());
    };
    let namespaces: Api<Namespace> = Api::all(client.clone());
    let fips_required = namespaces
        .get_opt(ns)
        .await
        .map_err(|e| format!("reading namespace {ns}: {e}"))?
        .and_then(|n| n.metadata.labels)
        .and_then(|l| l.get(FIPS_REQUIRED_LABEL).cloned())
        .is_some_and(|v| v == "true");
    let mut objects = Vec::new();
    let body = &object.body;
    let cluster_name = body
        .pointer("/metadata/labels")
        .and_then(|l| l.get(CLUSTER_NAME_LABEL))
        .and_then(Value::as_str)
        .or_else(|| text(body, "/spec/clusterName"))
        .map(str::to_owned);
    let is_cluster = object.reference.kind == "Cluster";
    let cluster = match (&cluster_name, is_cluster) {
        (Some(name), false) => get(client, ns, "cluster.x-k8s.io", "Cluster", name).await?,
        _ => None,
    };
    let cluster_body = cluster
        .as_ref()
        .map(|c| c.body.clone())
        .or_else(|| is_cluster.then(|| body.clone()));
    if let Some(c) = &cluster_body {
        if let (Some(kind), Some(name)) = (
            text(c, "/spec/controlPlaneRef/kind"),
            text(c, "/spec/controlPlaneRef/name"),
        ) {
            let is_self = object.reference.kind == kind && object.reference.name == name;
            if !is_self {
                objects.extend(get(client, ns, "controlplane.cluster.x-k8s.io", kind, name).await?);
            }
        }
    }
    objects.extend(cluster);
    for path in [
        "/spec/machineTemplate/infrastructureRef",
        "/spec/machineTemplate/spec/infrastructureRef",
        "/spec/template/spec/infrastructureRef",
    ] {
        if let (Some(kind), Some(name)) = (
            text(body, &format!("{path}/kind")),
            text(body, &format!("{path}/name")),
        ) {
            objects.extend(get(client, ns, "infrastructure.cluster.x-k8s.io", kind, name).await?);
        }
    }
    Ok(Related {
        objects,
        fips_required,
    })
}

fn text<'a>(value: &'a Value, pointer: &str) -> Option<&'a str> {
    value.pointer(pointer).and_then(Value::as_str)
}

/// Gets one object of an audited kind, trying its versions newest first; `None` when it
/// does not exist (or the kind is not one the audit reads).
async fn get(
    client: &Client,
    ns: &str,
    group: &str,
    kind: &str,
    name: &str,
) -> Result<Option<Object>, String> {
    let Some(audited) = AUDITED_KINDS
        .iter()
        .find(|k| k.served && k.group == group && k.kind == kind)
    else {
        return Ok(None);
    };
    let mut last = None;
    for version in audited.versions {
        let gvk = GroupVersionKind::gvk(group, version, kind);
        let resource = ApiResource::from_gvk_with_plural(&gvk, audited.plural);
        let api: Api<DynamicObject> = Api::namespaced_with(client.clone(), ns, &resource);
        match api.get_opt(name).await {
            Ok(Some(o)) => {
                return to_object(&o, Some(ns))
                    .map(Some)
                    .map_err(|e| format!("{kind} {ns}/{name}: {e}"))
            }
            Ok(None) => return Ok(None),
            // This version is not served: try the next.
            Err(e) => last = Some(e),
        }
    }
    match last {
        Some(e) => Err(format!("reading {kind} {ns}/{name}: {e}")),
        None => Ok(None),
    }
}
