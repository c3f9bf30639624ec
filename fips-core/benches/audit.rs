//! The audit at management-cluster scale (issue 15, item 8): a generated stream of 1,000
//! clusters (7,000 objects: Cluster, AWSCluster, KubeadmControlPlane, two
//! AWSMachineTemplates, MachineDeployment, KubeadmConfigTemplate each, the documented
//! example renamed) audited offline, beside the time it takes only to parse the same YAML
//! with the same crate (serde_norway into `serde_json::Value`, as `read_objects` does).
//!
//! - `audit/parse_only`: the YAML parse alone;
//! - `audit/read_objects`: the parse plus the objects (`fips_core::read_objects`);
//! - `audit/audit_text`: read, group into clusters and judge every cluster.
//!
//! Before criterion runs, the binary prints one `fips-bench-audit <json>` line: objects per
//! second of each stage (best of 9 rounds that run the three in turn), the ratio audit / parse (target: below
//! 2), and the peak resident memory (`VmHWM`) of a fresh process of this binary doing only
//! the parse, and of one doing the whole audit. Nothing here asserts a time.
//!
//! `cargo bench -p fips-core --bench audit` (`-- --test` for a quick check);
//! `FIPS_AUDIT_BENCH_WRITE=FILE cargo bench -p fips-core --bench audit` only writes the
//! generated stream to FILE (the live variant in `scripts/bench audit` applies it).

use std::{
    hint::black_box,
    process::Command,
    time::{Duration, Instant},
};

use criterion::{criterion_group, Criterion, Throughput};
use fips_core::Policy;
use serde::Deserialize;

/// Clusters in the generated stream.
const CLUSTERS: usize = 1_000;
/// Rounds of the summary line's interleaved timing.
const ROUNDS: usize = 9;
/// Set in a child process to `parse` or `audit`: it does that once, prints its peak
/// resident memory and exits.
const PHASE: &str = "FIPS_AUDIT_BENCH_PHASE";
/// Set to a file path: the binary writes the generated stream there and exits, so the live
/// variant (`scripts/bench audit`) applies the very stream timed here (one generator).
const WRITE_STREAM: &str = "FIPS_AUDIT_BENCH_WRITE";

/// The documented example, one copy per cluster, spread over ten namespaces.
fn stream() -> String {
    let example = std::fs::read_to_string(
        std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("../tests/kube/documented-example.yaml"),
    )
    .expect("tests/kube/documented-example.yaml");
    let mut text = String::with_capacity(example.len() * CLUSTERS + 64 * CLUSTERS);
    for i in 0..CLUSTERS {
        let named = example.replace("myfipscluster", &format!("fips-{i:04}"));
        text.push_str(&named);
        text.push_str("\n---\n");
    }
    // Each object gets its namespace (the example leaves it to `kubectl apply -n`).
    let mut out = String::with_capacity(text.len() + 32 * 7 * CLUSTERS);
    let documents = text
        .split("\n---\n")
        .filter(|d| d.lines().any(|l| l.starts_with("kind:")));
    for (i, document) in documents.enumerate() {
        let ns = format!("ns-{}", (i / 7) % 10);
        out.push_str(&document.replacen(
            "metadata:\n",
            &format!("metadata:\n  namespace: {ns}\n"),
            1,
        ));
        out.push_str("\n---\n");
    }
    out
}

/// The YAML parse alone, as `read_objects` does it, keeping every document as the audit
/// keeps every object (so the peak memory of the two compares like with like).
fn parse_only(text: &str) -> usize {
    let documents: Vec<serde_json::Value> = serde_norway::Deserializer::from_str(text)
        .map(|document| serde_json::Value::deserialize(document).expect("valid YAML"))
        .filter(|v| !v.is_null())
        .collect();
    black_box(&documents);
    documents.len()
}

fn audit(text: &str) -> usize {
    let report = fips_core::audit_text(text, Policy::embedded()).expect("the stream audits");
    assert!(report.compliant, "the generated clusters are compliant");
    assert_eq!(report.clusters.len(), CLUSTERS);
    report.clusters.len()
}

fn read_objects(text: &str) -> usize {
    fips_core::read_objects(text)
        .expect("the stream reads")
        .len()
}

/// Peak resident set of this process, from /proc/self/status (`VmHWM`, in kB).
fn peak_rss_kb() -> Option<u64> {
    std::fs::read_to_string("/proc/self/status")
        .ok()?
        .lines()
        .find_map(|l| l.strip_prefix("VmHWM:"))?
        .trim()
        .trim_end_matches("kB")
        .trim()
        .parse()
        .ok()
}

/// The best time of each of `work`, over `rounds` rounds that run them in turn: interleaved,
/// so a slower stretch of a shared machine falls on all of them alike rather than on the
/// one that happened to run then.
fn best_interleaved<const N: usize>(rounds: usize, work: [&dyn Fn() -> usize; N]) -> [Duration; N] {
    let mut best = [Duration::MAX; N];
    for _ in 0..rounds {
        for (i, f) in work.iter().enumerate() {
            let start = Instant::now();
            black_box(f());
            best[i] = best[i].min(start.elapsed());
        }
    }
    best
}

/// A fresh process of this binary doing only `phase`: its peak resident memory in kB.
fn child_peak(phase: &str) -> Option<u64> {
    let out = Command::new(std::env::current_exe().ok()?)
        .env(PHASE, phase)
        .output()
        .ok()?;
    String::from_utf8_lossy(&out.stdout)
        .lines()
        .find_map(|l| l.strip_prefix("peak_rss_kb="))?
        .parse()
        .ok()
}

fn summary(text: &str) {
    let objects = read_objects(text);
    let [parse, read, whole] = best_interleaved(
        ROUNDS,
        [&|| parse_only(text), &|| read_objects(text), &|| {
            audit(text)
        }],
    );
    let per_second = |d: Duration| (objects as f64 / d.as_secs_f64()).round();
    let baseline = child_peak("baseline");
    let line = serde_json::json!({
        "clusters": CLUSTERS,
        "objects": objects,
        "yaml_bytes": text.len(),
        "parse_only_ms": parse.as_secs_f64() * 1e3,
        "read_objects_ms": read.as_secs_f64() * 1e3,
        "audit_ms": whole.as_secs_f64() * 1e3,
        "parse_only_objects_per_s": per_second(parse),
        "audit_objects_per_s": per_second(whole),
        "audit_over_parse": whole.as_secs_f64() / parse.as_secs_f64(),
        "peak_rss_kb_baseline": baseline,
        "peak_rss_kb_parse_only": child_peak("parse"),
        "peak_rss_kb_audit": child_peak("audit"),
    });
    println!("fips-bench-audit {line}");
}

fn bench(c: &mut Criterion) {
    let text = stream();
    let objects = read_objects(&text) as u64;
    let mut group = c.benchmark_group("audit");
    group.sample_size(10);
    group.throughput(Throughput::Elements(objects));
    group.bench_function("parse_only", |b| b.iter(|| parse_only(black_box(&text))));
    group.bench_function("read_objects", |b| {
        b.iter(|| read_objects(black_box(&text)))
    });
    group.bench_function("audit_text", |b| b.iter(|| audit(black_box(&text))));
    group.finish();
}

criterion_group!(benches, bench);

fn main() {
    if let Some(path) = std::env::var_os(WRITE_STREAM) {
        std::fs::write(&path, stream()).expect("the stream is written");
        return;
    }
    if let Ok(phase) = std::env::var(PHASE) {
        // The stream is generated in every phase, so the phases differ only by the work.
        let text = stream();
        match phase.as_str() {
            "parse" => black_box(parse_only(&text)),
            "audit" => black_box(audit(&text)),
            _ => black_box(text.len()),
        };
        println!("peak_rss_kb={}", peak_rss_kb().unwrap_or(0));
        return;
    }
    summary(&stream());
    benches();
    Criterion::default().configure_from_args().final_summary();
}
