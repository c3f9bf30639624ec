//! Benchmarks of the crypto self-test.
//!
//! The suite runs once per process, so the cold suite is measured by spawning a fresh process
//! of this bench binary that runs it and exits (`cold_process/suite`), beside a process that
//! exits without running it (`cold_process/baseline`): the difference is the cold suite.
//! The warm benchmarks measure what a verdict pays once the report is cached.
//!
//! `cargo bench -p fips-core --bench selftest` (add `--features fips` for the FIPS module).

use std::{hint::black_box, process::Command};

use criterion::Criterion;
use fips_core::{check_transition, selftest, validate, ClusterRequest, FipsVersion, Policy};

/// Set in a child process: `suite` runs the self-test and exits, `baseline` just exits.
const CHILD: &str = "FIPS_SELFTEST_BENCH_CHILD";

fn spawn(mode: &str) {
    let exe = std::env::current_exe().expect("the bench binary's path");
    let status = Command::new(exe)
        .env(CHILD, mode)
        .status()
        .expect("spawning the bench binary");
    assert!(status.success(), "child {mode} failed: {status}");
}

fn cold(c: &mut Criterion) {
    let mut group = c.benchmark_group("cold_process");
    group.sample_size(20);
    group.bench_function("baseline", |b| b.iter(|| spawn("baseline")));
    group.bench_function("suite", |b| b.iter(|| spawn("suite")));
    group.finish();
}

fn warm(c: &mut Criterion) {
    assert!(selftest().passed, "{:?}", selftest());
    let request = ClusterRequest::from_args([
        "dkp",
        "create",
        "cluster",
        "aws",
        "--ami=ami-03dcaa75d45aca36f",
        "--kubernetes-version=1.22.8+fips.0",
        "--kubernetes-image-repository=docker.io/mesosphere",
        "--etcd-image-repository=docker.io/mesosphere",
        "--etcd-version=3.4.13+fips.0",
    ])
    .expect("the documented FIPS request");
    let policy = Policy::embedded();
    let version = FipsVersion::parse("1.22.8+fips.0").expect("a version");
    let mut group = c.benchmark_group("warm");
    group.bench_function("selftest_cached", |b| b.iter(|| black_box(selftest())));
    group.bench_function("validate", |b| {
        b.iter(|| validate(black_box(&request), policy).expect("a verdict"))
    });
    group.bench_function("check_transition", |b| {
        b.iter(|| check_transition(black_box(&version), &version, policy).expect("a verdict"))
    });
    group.finish();
}

fn main() {
    match std::env::var(CHILD).as_deref() {
        Ok("suite") => std::process::exit(if selftest().passed { 0 } else { 1 }),
        Ok(_) => std::process::exit(0),
        Err(_) => {}
    }
    let mut c = Criterion::default().configure_from_args();
    cold(&mut c);
    warm(&mut c);
    c.final_summary();
}
