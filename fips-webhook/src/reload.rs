//! Files read again when they change: the serving certificate and key (cert-manager rotates
//! them in its Secret, the kubelet swaps the mounted files) and the policy (a mounted
//! ConfigMap). Polled by content, which sees the kubelet's symlink swap as well as an edit in
//! place. A new pair or policy that does not load leaves the old one in service, and says so
//! in the log and the metrics.

use std::{
    path::Path,
    sync::{atomic::Ordering, Arc},
    time::Duration,
};

use fips_core::Policy;
use serde_json::json;

use crate::{log, server::AppState, tls::Certificate};

/// The bytes of the files, to notice a change.
fn contents(paths: &[&Path]) -> Vec<Option<Vec<u8>>> {
    paths.iter().map(|p| std::fs::read(p).ok()).collect()
}

/// The files' contents as loaded, taken before the server starts so that no change made
/// after it is missed.
#[derive(Debug)]
pub struct Snapshot {
    cert: Vec<Option<Vec<u8>>>,
    policy: Option<Vec<Option<Vec<u8>>>>,
}

pub fn snapshot(state: &AppState, certificate: &Certificate) -> Snapshot {
    Snapshot {
        cert: contents(&certificate.paths()),
        policy: state.policy_path.as_deref().map(|p| contents(&[p])),
    }
}

pub async fn watch(
    state: Arc<AppState>,
    certificate: Arc<Certificate>,
    seen: Snapshot,
    every: Duration,
) {
    let cert_paths = certificate.paths();
    let mut cert_seen = seen.cert;
    let policy_path = state.policy_path.clone();
    let mut policy_seen = seen.policy;
    let mut tick = tokio::time::interval(every);
    loop {
        tick.tick().await;
        let now = contents(&cert_paths);
        if now != cert_seen {
            cert_seen = now;
            match certificate.reload() {
                Ok(()) => {
                    state.metrics.cert_reloads.fetch_add(1, Ordering::Relaxed);
                    log::event("info", "serving certificate reloaded", json!({}));
                }
                Err(e) => {
                    state
                        .metrics
                        .cert_reload_failures
                        .fetch_add(1, Ordering::Relaxed);
                    log::event(
                        "warn",
                        "serving certificate not reloaded: the old pair stays",
                        json!({"error": e}),
                    );
                }
            }
        }
        if let Some(path) = policy_path.as_deref() {
            let now = Some(contents(&[path]));
            if now != policy_seen {
                policy_seen = now;
                match Policy::from_file(path) {
                    Ok(policy) => {
                        *state.policy.write().unwrap_or_else(|p| p.into_inner()) = Arc::new(policy);
                        crate::server::policy_reloaded(&state.metrics, true);
                        log::event(
                            "info",
                            "policy reloaded",
                            json!({"policy": path.display().to_string()}),
                        );
                    }
                    Err(e) => {
                        crate::server::policy_reloaded(&state.metrics, false);
                        log::event(
                            "error",
                            "policy not reloaded: the old policy stays",
                            json!({"policy": path.display().to_string(), "error": e.to_string()}),
                        );
                    }
                }
            }
        }
    }
}
