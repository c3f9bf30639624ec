//! HTTP over TLS: the routes, the bounds (body size, handshake, headers, whole request),
//! and graceful shutdown (in-flight requests finish; new connections are refused).

use std::{
    future::Future,
    path::PathBuf,
    sync::{atomic::Ordering, Arc, RwLock},
    time::{Duration, Instant},
};

use axum::{
    body::{to_bytes, Body},
    extract::State,
    http::{header, StatusCode},
    response::{IntoResponse, Response},
    routing::{get, post},
    Router,
};
use fips_core::Policy;
use hyper_util::{
    rt::{TokioIo, TokioTimer},
    server::graceful::GracefulShutdown,
    service::TowerToHyperService,
};
use serde_json::json;
use tokio::net::TcpListener;
use tokio_rustls::TlsAcceptor;

use crate::{
    decide::{self, Context, Mode},
    log,
    metrics::Metrics,
    related,
};

/// The largest review read: the API server stores objects of up to 3 MiB (etcd's request
/// limit), and an UPDATE review carries two of them.
pub const MAX_BODY_BYTES: usize = 8 << 20;
/// A TLS handshake must finish within this.
const HANDSHAKE_TIMEOUT: Duration = Duration::from_secs(5);
/// A request's headers must arrive within this.
const HEADER_TIMEOUT: Duration = Duration::from_secs(5);
/// In-flight requests get this long after SIGTERM.
const SHUTDOWN_GRACE: Duration = Duration::from_secs(20);

/// Everything a request reads.
pub struct AppState {
    pub policy: RwLock<Arc<Policy>>,
    pub policy_path: Option<PathBuf>,
    pub mode: Mode,
    /// `Err(reason)` when the crypto self-test failed.
    pub selftest: Result<(), String>,
    pub fips_module: bool,
    pub tls_fips: bool,
    pub metrics: Metrics,
    pub client: Option<kube::Client>,
    pub request_timeout: Duration,
}

impl std::fmt::Debug for AppState {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("AppState")
            .field("policy_path", &self.policy_path)
            .field("mode", &self.mode)
            .field("selftest", &self.selftest)
            .field("api_server", &self.client.is_some())
            .finish_non_exhaustive()
    }
}

impl AppState {
    pub fn policy(&self) -> Arc<Policy> {
        self.policy
            .read()
            .unwrap_or_else(|p| p.into_inner())
            .clone()
    }
}

pub fn router(state: Arc<AppState>) -> Router {
    Router::new()
        .route("/validate", post(validate))
        .route("/healthz", get(|| async { "ok\n" }))
        .route("/readyz", get(readyz))
        .route("/metrics", get(metrics))
        .with_state(state)
}

async fn readyz(State(s): State<Arc<AppState>>) -> Response {
    match &s.selftest {
        Ok(()) => "ready\n".into_response(),
        Err(reason) => (
            StatusCode::SERVICE_UNAVAILABLE,
            format!("not ready: the crypto self-test failed: {reason}\n"),
        )
            .into_response(),
    }
}

async fn metrics(State(s): State<Arc<AppState>>) -> Response {
    (
        [(header::CONTENT_TYPE, "text/plain; version=0.0.4")],
        s.metrics.render(
            s.selftest.is_ok(),
            s.fips_module,
            s.tls_fips,
            s.mode.as_str(),
        ),
    )
        .into_response()
}

async fn validate(State(s): State<Arc<AppState>>, body: Body) -> Response {
    let start = Instant::now();
    let answer = tokio::time::timeout(s.request_timeout, answer(&s, body)).await;
    let (response, kind, op, verdict) = answer.unwrap_or_else(|_| {
        log::event(
            "warn",
            "request timed out",
            json!({"timeout_s": s.request_timeout.as_secs()}),
        );
        (
            (
                StatusCode::GATEWAY_TIMEOUT,
                "fips-webhook: the request took longer than its time bound\n",
            )
                .into_response(),
            String::new(),
            "",
            "timeout",
        )
    });
    s.metrics.observe(&kind, op, verdict, start.elapsed());
    response
}

/// The answer, with the kind, operation and verdict for the metrics.
async fn answer(s: &AppState, body: Body) -> (Response, String, &'static str, &'static str) {
    let bytes = match to_bytes(body, MAX_BODY_BYTES).await {
        Ok(b) => b,
        Err(e) => {
            log::event("warn", "body refused", json!({"error": e.to_string()}));
            return (
                (
                    StatusCode::PAYLOAD_TOO_LARGE,
                    format!("fips-webhook reads reviews of at most {MAX_BODY_BYTES} bytes: {e}\n"),
                )
                    .into_response(),
                String::new(),
                "",
                "malformed",
            );
        }
    };
    let review = match decide::decode(&bytes) {
        Ok(r) => r,
        Err(bad) => {
            log::event(
                "warn",
                "review refused",
                json!({"uid": bad.uid, "error": bad.message}),
            );
            let response = match &bad.uid {
                Some(uid) => axum::Json(decide::undecodable(uid, &bad.message)).into_response(),
                None => (
                    StatusCode::BAD_REQUEST,
                    format!("fips-webhook: {}\n", bad.message),
                )
                    .into_response(),
            };
            return (response, String::new(), "", "malformed");
        }
    };
    let mut related = related::Related::default();
    let mut related_error = None;
    if let (Some(client), Some(object), true) = (&s.client, review.object.as_ref(), review.judged())
    {
        match related::read(client, object).await {
            Ok(r) => related = r,
            Err(e) => related_error = Some(e),
        }
    }
    let policy = s.policy();
    let decision = match &related_error {
        Some(e) if s.selftest.is_ok() => decide::api_unreadable(&review, e),
        _ => decide::decide(
            &review,
            &Context {
                policy: &policy,
                mode: s.mode,
                selftest: s.selftest.as_ref().map(|_| ()).map_err(String::as_str),
                related: &related.objects,
                fips_required: related.fips_required,
            },
        ),
    };
    let kind = review.kind();
    let object = review.object.as_ref().or(review.old.as_ref());
    log::event(
        "info",
        "decision",
        json!({
            "uid": review.request.uid,
            "kind": kind,
            "namespace": review.namespace(),
            "name": object.map_or(review.request.name.as_str(), |o| o.reference.name.as_str()),
            "operation": review.operation(),
            "user": review.request.user_info.username,
            "dry_run": review.request.dry_run,
            "verdict": decision.verdict,
            "codes": decision.codes,
            "mode": s.mode.as_str(),
        }),
    );
    let verdict = decision.verdict;
    let op = review.operation();
    (
        axum::Json(decision.response.into_review()).into_response(),
        kind,
        op,
        verdict,
    )
}

/// Serves until `shutdown` resolves, then lets in-flight connections finish.
pub async fn serve(
    listener: TcpListener,
    tls: Arc<rustls::ServerConfig>,
    app: Router,
    shutdown: impl Future<Output = ()>,
) {
    let acceptor = TlsAcceptor::from(tls);
    let graceful = GracefulShutdown::new();
    tokio::pin!(shutdown);
    loop {
        tokio::select! {
            accepted = listener.accept() => {
                let (tcp, _peer) = match accepted {
                    Ok(c) => c,
                    Err(e) => {
                        log::event("warn", "accept failed", json!({"error": e.to_string()}));
                        tokio::time::sleep(Duration::from_millis(50)).await;
                        continue;
                    }
                };
                let acceptor = acceptor.clone();
                let service = TowerToHyperService::new(app.clone());
                let watcher = graceful.watcher();
                tokio::spawn(async move {
                    let Ok(Ok(stream)) = tokio::time::timeout(HANDSHAKE_TIMEOUT, acceptor.accept(tcp)).await else {
                        return;
                    };
                    let mut builder = hyper::server::conn::http1::Builder::new();
                    builder.timer(TokioTimer::new()).header_read_timeout(HEADER_TIMEOUT);
                    let conn = builder.serve_connection(TokioIo::new(stream), service);
                    let _ = watcher.watch(conn).await;
                });
            }
            () = &mut shutdown => break,
        }
    }
    drop(listener);
    log::event(
        "info",
        "shutting down: finishing in-flight requests",
        json!({}),
    );
    if tokio::time::timeout(SHUTDOWN_GRACE, graceful.shutdown())
        .await
        .is_err()
    {
        log::event(
            "warn",
            "in-flight requests still open after the grace period",
            json!({}),
        );
    }
}

/// Resolves on SIGTERM or SIGINT.
pub async fn signal() {
    let term = async {
        match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
            Ok(mut s) => {
                s.recv().await;
            }
            Err(_) => std::future::pending::<()>().await,
        }
    };
    tokio::select! {
        () = term => {}
        _ = tokio::signal::ctrl_c() => {}
    }
}

/// Marks a policy reload result in the metrics.
pub fn policy_reloaded(metrics: &Metrics, ok: bool) {
    metrics.policy_reload_ok.store(ok, Ordering::Relaxed);
    if ok {
        metrics.policy_reloads.fetch_add(1, Ordering::Relaxed);
    } else {
        metrics
            .policy_reload_failures
            .fetch_add(1, Ordering::Relaxed);
    }
}
