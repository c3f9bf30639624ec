//! `/metrics` in the Prometheus text format (0.0.4), written by hand: a few counters, one
//! histogram and some gauges do not need a metrics library.

use std::{
    collections::BTreeMap,
    fmt::Write,
    sync::{
        atomic::{AtomicBool, AtomicU64, Ordering},
        Mutex,
    },
    time::Duration,
};

/// Upper bounds of the latency histogram, in seconds.
const BUCKETS: [f64; 12] = [
    0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5,
];

#[derive(Debug, Default)]
pub struct Metrics {
    /// (kind, operation, verdict) -> count.
    requests: Mutex<BTreeMap<(String, String, String), u64>>,
    buckets: [AtomicU64; BUCKETS.len()],
    count: AtomicU64,
    sum_micros: AtomicU64,
    pub policy_reload_failures: AtomicU64,
    pub policy_reloads: AtomicU64,
    pub policy_reload_ok: AtomicBool,
    pub cert_reloads: AtomicU64,
    pub cert_reload_failures: AtomicU64,
}

impl Metrics {
    pub fn new() -> Self {
        let m = Metrics::default();
        m.policy_reload_ok.store(true, Ordering::Relaxed);
        m
    }

    pub fn observe(&self, kind: &str, operation: &str, verdict: &str, latency: Duration) {
        let key = (kind.to_owned(), operation.to_owned(), verdict.to_owned());
        *self
            .requests
            .lock()
            .unwrap_or_else(|p| p.into_inner())
            .entry(key)
            .or_default() += 1;
        let secs = latency.as_secs_f64();
        for (bucket, bound) in self.buckets.iter().zip(BUCKETS) {
            if secs <= bound {
                bucket.fetch_add(1, Ordering::Relaxed);
            }
        }
        self.count.fetch_add(1, Ordering::Relaxed);
        let micros = u64::try_from(latency.as_micros()).unwrap_or(u64::MAX);
        self.sum_micros.fetch_add(micros, Ordering::Relaxed);
    }

    /// The text, with the process-wide gauges given by the caller.
    pub fn render(
        &self,
        selftest_passed: bool,
        fips_module: bool,
        tls_fips: bool,
        mode: &str,
    ) -> String {
        let mut out = String::new();
        let gauge = |out: &mut String, name: &str, help: &str, value: u64| {
            let _ = writeln!(
                out,
                "# HELP {name} {help}\n# TYPE {name} gauge\n{name} {value}"
            );
        };
        let counter = |out: &mut String, name: &str, help: &str, value: u64| {
            let _ = writeln!(
                out,
                "# HELP {name} {help}\n# TYPE {name} counter\n{name} {value}"
            );
        };
        let _ = writeln!(
            out,
            "# HELP fips_webhook_requests_total Admission reviews answered, by kind, operation and verdict.\n# TYPE fips_webhook_requests_total counter"
        );
        for ((kind, op, verdict), n) in self
            .requests
            .lock()
            .unwrap_or_else(|p| p.into_inner())
            .iter()
        {
            let _ = writeln!(
                out,
                "fips_webhook_requests_total{{kind=\"{}\",operation=\"{}\",verdict=\"{}\"}} {n}",
                escape(kind),
                escape(op),
                escape(verdict)
            );
        }
        let _ = writeln!(
            out,
            "# HELP fips_webhook_request_duration_seconds Time to answer a review.\n# TYPE fips_webhook_request_duration_seconds histogram"
        );
        for (bucket, bound) in self.buckets.iter().zip(BUCKETS) {
            let _ = writeln!(
                out,
                "fips_webhook_request_duration_seconds_bucket{{le=\"{bound}\"}} {}",
                bucket.load(Ordering::Relaxed)
            );
        }
        let count = self.count.load(Ordering::Relaxed);
        let _ = writeln!(
            out,
            "fips_webhook_request_duration_seconds_bucket{{le=\"+Inf\"}} {count}\nfips_webhook_request_duration_seconds_sum {}\nfips_webhook_request_duration_seconds_count {count}",
            self.sum_micros.load(Ordering::Relaxed) as f64 / 1e6
        );
        gauge(
            &mut out,
            "fips_webhook_selftest_passed",
            "1 when the crypto self-test passed; 0 means every review is refused.",
            u64::from(selftest_passed),
        );
        gauge(
            &mut out,
            "fips_webhook_fips_module",
            "1 when verdicts run on the FIPS-validated AWS-LC module.",
            u64::from(fips_module),
        );
        gauge(
            &mut out,
            "fips_webhook_tls_fips",
            "1 when rustls runs in FIPS mode (ServerConfig::fips()).",
            u64::from(tls_fips),
        );
        let _ = writeln!(
            out,
            "# HELP fips_webhook_mode_info The mode: enforce or warn.\n# TYPE fips_webhook_mode_info gauge\nfips_webhook_mode_info{{mode=\"{mode}\"}} 1"
        );
        gauge(
            &mut out,
            "fips_webhook_policy_last_reload_ok",
            "0 when the last change of the policy file was refused (the old policy stays).",
            u64::from(self.policy_reload_ok.load(Ordering::Relaxed)),
        );
        counter(
            &mut out,
            "fips_webhook_policy_reloads_total",
            "Policy file changes loaded.",
            self.policy_reloads.load(Ordering::Relaxed),
        );
        counter(
            &mut out,
            "fips_webhook_policy_reload_failures_total",
            "Policy file changes refused (bad policy; the old one stays).",
            self.policy_reload_failures.load(Ordering::Relaxed),
        );
        counter(
            &mut out,
            "fips_webhook_certificate_reloads_total",
            "Serving certificate and key changes loaded.",
            self.cert_reloads.load(Ordering::Relaxed),
        );
        counter(
            &mut out,
            "fips_webhook_certificate_reload_failures_total",
            "Serving certificate and key changes refused (the old pair stays).",
            self.cert_reload_failures.load(Ordering::Relaxed),
        );
        out
    }
}

/// A label value as the text format writes it.
fn escape(value: &str) -> String {
    value
        .replace('\\', "\\\\")
        .replace('"', "\\\"")
        .replace('\n', "\\n")
}
