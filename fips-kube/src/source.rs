//! What to read: which kubeconfig context, which namespaces, in pages of what size.

use std::{path::PathBuf, time::Duration};

/// kubectl's default `--chunk-size`: objects asked for per page.
pub const DEFAULT_CHUNK_SIZE: u32 = 500;

/// How long connecting, and then each request, may take before the server counts as
/// unreachable: an audit never hangs on a server that does not answer.
pub const DEFAULT_TIMEOUT: Duration = Duration::from_secs(30);

/// Which namespaces to read, as kubectl's `-n NS` / `-A` / neither.
///
/// ```
/// use fips_kube::Scope;
/// assert_eq!(Scope::Namespace("capi".into()).to_string(), "in namespace capi");
/// assert_eq!(Scope::AllNamespaces.to_string(), "in all namespaces");
/// ```
#[derive(Clone, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub enum Scope {
    /// The namespace of the kubeconfig context (`default` when it names none).
    ContextNamespace,
    /// One namespace (`-n NS`).
    Namespace(String),
    /// Every namespace (`-A`): needs a ClusterRole bound cluster-wide.
    AllNamespaces,
}

impl std::fmt::Display for Scope {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Scope::ContextNamespace => f.write_str("in the context's namespace"),
            Scope::Namespace(ns) => write!(f, "in namespace {ns}"),
            Scope::AllNamespaces => f.write_str("in all namespaces"),
        }
    }
}

/// A live API server to read, and how.
///
/// ```
/// use fips_kube::{Scope, Source, DEFAULT_CHUNK_SIZE};
/// let s = Source::new("kubeconfig".into(), Scope::AllNamespaces);
/// assert_eq!(s.chunk_size, DEFAULT_CHUNK_SIZE);
/// assert_eq!(s.context, None);
/// ```
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Source {
    /// The kubeconfig file.
    pub kubeconfig: PathBuf,
    /// The context to use instead of the file's `current-context`.
    pub context: Option<String>,
    /// Which namespaces.
    pub scope: Scope,
    /// Objects per page (`limit`); 0 asks for everything in one response, as kubectl's
    /// `--chunk-size=0` does.
    pub chunk_size: u32,
    /// The connect timeout, and the time each request may take.
    pub timeout: Duration,
}

impl Source {
    /// The file's current context, pages of [`DEFAULT_CHUNK_SIZE`], [`DEFAULT_TIMEOUT`].
    pub fn new(kubeconfig: PathBuf, scope: Scope) -> Self {
        Source {
            kubeconfig,
            context: None,
            scope,
            chunk_size: DEFAULT_CHUNK_SIZE,
            timeout: DEFAULT_TIMEOUT,
        }
    }
}
