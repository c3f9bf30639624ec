//! Which of the audited kinds the server serves, and at which version the audit reads each.

use std::collections::BTreeMap;

use fips_core::AuditedKind;
use kube::Client;

use crate::Error;

/// How the server serves one kind.
///
/// ```
/// use fips_kube::Served;
/// assert_eq!(Served::At("v1beta2".into()).to_string(), "served at v1beta2");
/// ```
#[derive(Clone, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub enum Served {
    /// At this version, the newest the audit reads.
    At(String),
    /// Not at all: no CRD for it.
    Not,
    /// Only at these versions, none of which the audit reads.
    OnlyAt(Vec<String>),
}

impl std::fmt::Display for Served {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Served::At(v) => write!(f, "served at {v}"),
            Served::Not => f.write_str("not served (no such CRD)"),
            Served::OnlyAt(vs) => write!(f, "served only at {}", vs.join(", ")),
        }
    }
}

/// The version to read `kind` at, given the versions at which the server lists its resource:
/// the newest of those the audit reads ([`AuditedKind::versions`] is newest first).
///
/// ```
/// use fips_kube::{choose_version, Served};
/// let kcp = fips_core::AUDITED_KINDS.iter().find(|k| k.kind == "KubeadmControlPlane").unwrap();
/// assert_eq!(choose_version(kcp, &["v1beta1", "v1beta2"]), Served::At("v1beta2".into()));
/// assert_eq!(choose_version(kcp, &["v1beta1"]), Served::At("v1beta1".into()));
/// assert_eq!(choose_version(kcp, &[]), Served::Not);
/// assert_eq!(choose_version(kcp, &["v1alpha4"]), Served::OnlyAt(vec!["v1alpha4".into()]));
/// ```
pub fn choose_version(kind: &AuditedKind, served: &[&str]) -> Served {
    match kind.versions.iter().find(|v| served.contains(v)) {
        Some(v) => Served::At((*v).to_owned()),
        None if served.is_empty() => Served::Not,
        None => Served::OnlyAt(served.iter().map(|v| (*v).to_owned()).collect()),
    }
}

/// Asks the server (`/apis`, then `/apis/GROUP/VERSION` for the groups the audit reads) how
/// it serves each of `kinds`.
pub(crate) async fn discover(
    client: &Client,
    server: &str,
    kinds: &[&'static AuditedKind],
    timeout: std::time::Duration,
) -> Result<Vec<(&'static AuditedKind, Served)>, Error> {
    let groups = crate::list::within(server, timeout, client.list_api_groups()).await?;
    // (group, version) -> the resource names served there.
    let mut resources: BTreeMap<(String, String), Vec<String>> = BTreeMap::new();
    for group in &groups.groups {
        if !kinds.iter().any(|k| k.group == group.name) {
            continue;
        }
        for version in &group.versions {
            let list = crate::list::within(
                server,
                timeout,
                client.list_api_group_resources(&version.group_version),
            )
            .await
            .map_err(|e| match e {
                Error::Api { server, reason } => Error::Api {
                    server,
                    reason: format!("discovery of {}: {reason}", version.group_version),
                },
                other => other,
            })?;
            resources.insert(
                (group.name.clone(), version.version.clone()),
                list.resources.into_iter().map(|r| r.name).collect(),
            );
        }
    }
    Ok(kinds
        .iter()
        .map(|kind| {
            let served: Vec<&str> = resources
                .iter()
                .filter(|((group, _), names)| {
                    group == kind.group && names.iter().any(|n| n == kind.plural)
                })
                .map(|((_, version), _)| version.as_str())
                .collect();
            (*kind, choose_version(kind, &served))
        })
        .collect())
}
