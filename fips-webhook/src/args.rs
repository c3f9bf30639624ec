//! The command line.

use std::{net::SocketAddr, path::PathBuf};

use clap::Parser;

use fips_webhook::decide::Mode;

/// Validating admission webhook: enforces the FIPS status of Cluster API clusters at the
/// Kubernetes API server (AdmissionReview admission.k8s.io/v1 on POST /validate).
#[derive(Debug, Parser)]
#[command(name = "fips-webhook", version)]
pub struct Args {
    /// Address to listen on (HTTPS), e.g. 0.0.0.0:8443.
    #[arg(long)]
    pub listen: SocketAddr,
    /// Serving certificate chain (PEM); read again when it changes.
    #[arg(long)]
    pub tls_cert: PathBuf,
    /// Serving private key (PEM); read again when it changes.
    #[arg(long)]
    pub tls_key: PathBuf,
    /// Policy file (TOML); the embedded default without it. Read again when it changes; a
    /// bad new policy keeps the old one.
    #[arg(long)]
    pub policy: Option<PathBuf>,
    /// enforce: refuse what the policy refuses; warn: admit, with warnings (first rollout).
    #[arg(long, value_enum, default_value = "enforce")]
    pub mode: Mode,
    /// Kubeconfig for reading namespaces and related objects; in-cluster configuration (or
    /// $KUBECONFIG) without it.
    #[arg(long, conflicts_with = "offline")]
    pub kubeconfig: Option<PathBuf>,
    /// Do not read the API server: no namespace rule, no related objects (tests, benches).
    #[arg(long)]
    pub offline: bool,
    /// Time bound of one request, in seconds, kept below the webhook's timeoutSeconds.
    #[arg(long, default_value_t = 8)]
    pub request_timeout: u64,
    /// How often the certificate, key and policy files are checked for changes, in ms.
    #[arg(long, default_value_t = 1000)]
    pub reload_interval_ms: u64,
}
