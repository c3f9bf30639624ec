//! `fips-webhook`: a validating admission webhook that enforces the FIPS status of Cluster
//! API clusters at the API server, for every client at once. The rules are fips-core's
//! ([`fips_core::admit`]); this binary decodes reviews, reads related objects, serves TLS,
//! reloads its certificate and policy, and reports health and metrics.

#![forbid(unsafe_code)]

mod args;

use std::{
    process::ExitCode,
    sync::{Arc, RwLock},
    time::Duration,
};

use clap::Parser;
use fips_core::Policy;
use serde_json::json;

use fips_webhook::{log, metrics::Metrics, reload, server, server::AppState, tls};

use crate::args::Args;

fn main() -> ExitCode {
    let args = Args::parse();
    let runtime = match tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
    {
        Ok(r) => r,
        Err(e) => return fail(&format!("starting the runtime: {e}")),
    };
    match runtime.block_on(run(args)) {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => fail(&e),
    }
}

fn fail(message: &str) -> ExitCode {
    log::event("error", message, json!({}));
    ExitCode::from(2)
}

/// The crypto self-test, both phases, before the first random byte (TLS draws them):
/// `Err(reason)` when any test failed.
fn selftest() -> Result<(), String> {
    fips_core::randomness_selftest().map_err(|e| e.to_string())?;
    let report = fips_core::selftest();
    if report.passed {
        return Ok(());
    }
    let failed = report
        .kats
        .iter()
        .find(|k| !k.passed)
        .map_or_else(|| "unknown test".to_owned(), |k| k.name.clone());
    Err(format!("{failed} failed"))
}

fn load_policy(args: &Args) -> Result<Policy, String> {
    match &args.policy {
        Some(path) => Policy::from_file(path).map_err(|e| format!("--policy: {e}")),
        None => Ok(Policy::embedded().clone()),
    }
}

async fn client(args: &Args) -> Result<Option<kube::Client>, String> {
    if args.offline {
        return Ok(None);
    }
    let config = match &args.kubeconfig {
        Some(path) => {
            let kubeconfig = kube::config::Kubeconfig::read_from(path)
                .map_err(|e| format!("--kubeconfig {}: {e}", path.display()))?;
            kube::Config::from_custom_kubeconfig(kubeconfig, &Default::default())
                .await
                .map_err(|e| format!("--kubeconfig {}: {e}", path.display()))?
        }
        None => kube::Config::infer()
            .await
            .map_err(|e| format!("no API server configuration (in-cluster, $KUBECONFIG or --kubeconfig; --offline to run without): {e}"))?,
    };
    kube::Client::try_from(config)
        .map(Some)
        .map_err(|e| format!("API server client: {e}"))
}

async fn run(args: Args) -> Result<(), String> {
    let selftest = selftest();
    if let Err(reason) = &selftest {
        log::event(
            "error",
            "crypto self-test failed: every review will be refused and /readyz fails",
            json!({"reason": reason}),
        );
    }
    let provider = tls::provider();
    // The API client (kube-rs) uses the process-wide provider: the same one.
    let _ = rustls::crypto::CryptoProvider::install_default((*provider).clone());
    let policy = load_policy(&args)?;
    let certificate = Arc::new(tls::Certificate::load(
        &args.tls_cert,
        &args.tls_key,
        provider.clone(),
    )?);
    let config = tls::server_config(certificate.clone(), provider)?;
    let tls_fips = config.fips();
    let client = client(&args).await?;
    let state = Arc::new(AppState {
        policy: RwLock::new(Arc::new(policy)),
        policy_path: args.policy.clone(),
        mode: args.mode,
        fips_module: fips_core::fips_module(),
        selftest,
        tls_fips,
        metrics: Metrics::new(),
        client,
        request_timeout: Duration::from_secs(args.request_timeout),
    });
    // Taken before the policy and certificate could change unseen (they were read above).
    let seen = reload::snapshot(&state, &certificate);
    let listener = tokio::net::TcpListener::bind(args.listen)
        .await
        .map_err(|e| format!("--listen {}: {e}", args.listen))?;
    let local = listener
        .local_addr()
        .map_err(|e| format!("--listen {}: {e}", args.listen))?;
    log::event(
        "info",
        "serving",
        json!({
            "listen": local.to_string(),
            "mode": args.mode.as_str(),
            "tls_fips": tls_fips,
            "fips_module": state.fips_module,
            "module": fips_core::module_name(),
            "selftest_passed": state.selftest.is_ok(),
            "policy": args.policy.as_ref().map(|p| p.display().to_string()),
            "api_server": state.client.is_some(),
        }),
    );
    let watcher = tokio::spawn(reload::watch(
        state.clone(),
        certificate,
        seen,
        Duration::from_millis(args.reload_interval_ms.max(50)),
    ));
    server::serve(
        listener,
        Arc::new(config),
        server::router(state.clone()),
        server::signal(),
    )
    .await;
    watcher.abort();
    log::event("info", "stopped", json!({}));
    Ok(())
}
