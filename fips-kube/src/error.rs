//! Why a live read failed: each names what to do about it.

use std::fmt;

/// One request the server refused with `403 Forbidden`.
///
/// ```
/// let d = fips_kube::Denied {
///     verb: "list".into(),
///     resource: "awsmachinetemplates".into(),
///     group: "infrastructure.cluster.x-k8s.io".into(),
///     namespace: Some("capi".into()),
///     message: String::new(),
/// };
/// assert_eq!(d.to_string(), "cannot list awsmachinetemplates.infrastructure.cluster.x-k8s.io in namespace capi: ask for list on awsmachinetemplates in API group infrastructure.cluster.x-k8s.io");
/// ```
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Denied {
    /// The verb refused (`list`).
    pub verb: String,
    /// The resource (`awsmachinetemplates`).
    pub resource: String,
    /// Its API group.
    pub group: String,
    /// The namespace, or `None` for a cluster-wide request (`-A`).
    pub namespace: Option<String>,
    /// The server's own message (it names the user), empty when it gave none.
    pub message: String,
}

impl fmt::Display for Denied {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let Denied {
            verb,
            resource,
            group,
            ..
        } = self;
        write!(f, "cannot {verb} {resource}.{group} ")?;
        match &self.namespace {
            Some(ns) => write!(f, "in namespace {ns}")?,
            None => f.write_str("in all namespaces")?,
        }
        write!(
            f,
            ": ask for {verb} on {resource} in API group {group}{}",
            match self.namespace {
                Some(_) => "",
                None => " (a ClusterRole bound by a ClusterRoleBinding)",
            }
        )?;
        if !self.message.is_empty() {
            write!(f, " (server: {})", self.message)?;
        }
        Ok(())
    }
}

/// Why the objects could not be read from the API server.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum Error {
    /// The kubeconfig cannot be used: unreadable, malformed, or no such context.
    #[error("kubeconfig {path}: {reason}")]
    Kubeconfig {
        /// The file as given.
        path: String,
        /// What is wrong.
        reason: String,
    },
    /// No answer from the server: refused, timed out, TLS failed.
    #[error("{server}: unreachable: {reason}")]
    Unreachable {
        /// The server URL.
        server: String,
        /// What went wrong.
        reason: String,
    },
    /// The credentials were refused (`401 Unauthorized`).
    #[error(
        "{server}: the credentials of the kubeconfig were refused (401 Unauthorized): {message}"
    )]
    Unauthorized {
        /// The server URL.
        server: String,
        /// The server's message.
        message: String,
    },
    /// The user lacks a verb on one or more resources: every one refused, so that one
    /// change of RBAC fixes them all.
    #[error("{server}: {}", denied.iter().map(ToString::to_string).collect::<Vec<_>>().join("; "))]
    Forbidden {
        /// The server URL.
        server: String,
        /// Each refusal.
        denied: Vec<Denied>,
    },
    /// A kind the audit reads is served only at versions it cannot read.
    #[error("{server}: {resource} is served only at {served}, which this audit does not read (it reads {readable}): objects of it would go unjudged")]
    UnreadableVersion {
        /// The server URL.
        server: String,
        /// `plural.group`.
        resource: String,
        /// The versions served.
        served: String,
        /// The versions the audit reads.
        readable: String,
    },
    /// The crypto self-test failed: no connection is made, no verdict given (fail closed).
    #[error(transparent)]
    SelfTest(#[from] fips_core::SelfTestError),
    /// Any other answer the read cannot go on from (a 404 mid-list, a malformed page...).
    #[error("{server}: {reason}")]
    Api {
        /// The server URL.
        server: String,
        /// What happened.
        reason: String,
    },
}
