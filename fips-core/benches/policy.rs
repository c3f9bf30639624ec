//! Criterion benches of the policy work, each beside the peer a user would otherwise call.
//!
//! - `version/*`: parse + FIPS build + kubeadm tag, and parse + FIPS build alone, against a
//!   bare `semver::Version::parse` of the same strings (the documentation's
//!   `--kubernetes-version` and `--etcd-version`).
//! - `image/*`: image reference and repository normalisation.
//! - `validate/*`: the documentation's example request, from a struct and JSON-in/JSON-out.
//! - `os_release/*`, `host/*`: os-release parse and a host probe of `tests/roots/rhel84-fips`.
//! - `direct/*`: the work behind libfips exports, called from Rust directly (the C bench in
//!   `benches/c/` times the same work through `libfips.so`).
//!
//! Before criterion runs, a counting global allocator measures the allocations of one call
//! of each operation and prints them as `fips-bench-allocs <json>` lines, which
//! `scripts/bench` puts beside the times; and fresh processes of this binary time, inside
//! the process, the first use of the random generator (its entropy seeding), the cold
//! self-test with each Known-Answer Test and a fresh process's first verdict, printed as one
//! `fips-bench-cold <json>` line of medians. With `FIPS_POLICY_BENCH_PROFILE=<operation>`
//! the binary only calls that operation in a loop, for callgrind. Nothing here asserts a
//! time.

use std::{
    alloc::{GlobalAlloc, Layout, System},
    hint::black_box,
    path::{Path, PathBuf},
    process::Command,
    sync::atomic::{AtomicBool, AtomicU64, Ordering},
    time::{Duration, Instant},
};

use criterion::{criterion_group, BenchmarkId, Criterion};
use fips_core::{
    validate, ClusterRequest, Component, FipsVersion, HostFips, ImageRef, ImageRepository,
    OsRelease, Policy, Tag,
};

/// Set in a child process: it times its first random bytes and its self-test, then exits.
const CHILD: &str = "FIPS_POLICY_BENCH_CHILD";
/// Fresh processes spawned for the cold figures.
const COLD_PROCESSES: usize = 31;
/// Set to an operation's name, the binary calls it [`PROFILE_CALLS`] times inside
/// [`profile_loop`] and exits: `valgrind --tool=callgrind --toggle-collect='*profile_loop*'`
/// then counts the instructions of exactly those calls.
const PROFILE: &str = "FIPS_POLICY_BENCH_PROFILE";
const PROFILE_CALLS: u32 = 1000;

/// The versions of the documentation's table, as its flags spell them, with their component.
const VERSIONS: [(&str, Component); 2] = [
    ("1.22.8+fips.0", Component::Kubernetes),
    ("3.4.13+fips.0", Component::Etcd),
];

/// The vendor's FIPS images and repository, as the documentation names them.
const IMAGES: [&str; 2] = [
    "docker.io/mesosphere/kube-apiserver:v1.22.8_fips.0",
    "mesosphere/etcd:v3.4.13_fips.0",
];
const REPOSITORY: &str = "docker.io/mesosphere";

/// The test root probed, relative to the workspace.
const HOST_ROOT: &str = "tests/roots/rhel84-fips";

/// Counts allocations while [`COUNTING`] is set; otherwise only a relaxed load is added.
struct CountingAlloc;

static COUNTING: AtomicBool = AtomicBool::new(false);
static ALLOCS: AtomicU64 = AtomicU64::new(0);
static BYTES: AtomicU64 = AtomicU64::new(0);

fn count(size: usize) {
    if COUNTING.load(Ordering::Relaxed) {
        ALLOCS.fetch_add(1, Ordering::Relaxed);
        BYTES.fetch_add(size as u64, Ordering::Relaxed);
    }
}

// SAFETY: every method forwards to `System` with the caller's arguments unchanged; counting
// touches only atomics and never allocates.
unsafe impl GlobalAlloc for CountingAlloc {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        count(layout.size());
        // SAFETY: the caller's contract for `GlobalAlloc::alloc`, passed on.
        unsafe { System.alloc(layout) }
    }

    unsafe fn alloc_zeroed(&self, layout: Layout) -> *mut u8 {
        count(layout.size());
        // SAFETY: the caller's contract for `GlobalAlloc::alloc_zeroed`, passed on.
        unsafe { System.alloc_zeroed(layout) }
    }

    unsafe fn realloc(&self, ptr: *mut u8, layout: Layout, new_size: usize) -> *mut u8 {
        count(new_size);
        // SAFETY: the caller's contract for `GlobalAlloc::realloc`, passed on.
        unsafe { System.realloc(ptr, layout, new_size) }
    }

    unsafe fn dealloc(&self, ptr: *mut u8, layout: Layout) {
        // SAFETY: the caller's contract for `GlobalAlloc::dealloc`, passed on.
        unsafe { System.dealloc(ptr, layout) }
    }
}

#[global_allocator]
static GLOBAL: CountingAlloc = CountingAlloc;

/// The workspace root (benches run with the package directory as their working directory).
fn workspace() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .expect("fips-core sits inside the workspace")
        .to_path_buf()
}

/// The create-cluster command of the product documentation's FIPS example, one word a line
/// in `benches/example-command.txt` (shared with `benches/whole_process.sh`).
fn example_command() -> Vec<String> {
    let path = workspace().join("benches/example-command.txt");
    std::fs::read_to_string(&path)
        .unwrap_or_else(|e| panic!("{}: {e}; run from a checkout", path.display()))
        .lines()
        .map(str::to_owned)
        .collect()
}

fn example_request() -> ClusterRequest {
    ClusterRequest::from_args(example_command()).expect("the documentation's example parses")
}

/// The example request as JSON, shared with the C bench; checked to be the example command.
fn example_json() -> String {
    let path = workspace().join("benches/example-request.json");
    let text = std::fs::read_to_string(&path)
        .unwrap_or_else(|e| panic!("{}: {e}; run from a checkout", path.display()));
    let parsed = ClusterRequest::from_json(&text).expect("benches/example-request.json parses");
    assert_eq!(
        parsed,
        example_request(),
        "benches/example-request.json must be the documentation's example command"
    );
    text
}

fn os_release_text() -> String {
    let path = workspace().join(HOST_ROOT).join("etc/os-release");
    std::fs::read_to_string(&path)
        .unwrap_or_else(|e| panic!("{}: {e}; run from a checkout", path.display()))
}

/// Parse + FIPS build + tag: what a provisioner does with a version flag.
fn parse_build_tag(input: &str, component: Component) -> (Option<u64>, Tag) {
    let version = FipsVersion::parse(input).expect("a documented version");
    let tag = version
        .to_tag(component)
        .expect("a documented version has a tag");
    (version.fips_build(), tag)
}

/// JSON in, verdict, JSON out: what a webhook or `fips_validate_json` does.
fn validate_json(policy: &Policy, text: &str) -> String {
    let request = ClusterRequest::from_json(text).expect("the example request as JSON");
    let report = validate(&request, policy).expect("the self-test passes");
    serde_json::to_string(&report).expect("a report serialises")
}

/// Allocations and bytes requested by one call of `f`, averaged over a few calls.
fn allocations(name: &str, mut f: impl FnMut()) {
    const CALLS: u64 = 64;
    f(); // Warm: one-time initialisation (self-test, embedded policy) is not per call.
    ALLOCS.store(0, Ordering::SeqCst);
    BYTES.store(0, Ordering::SeqCst);
    COUNTING.store(true, Ordering::SeqCst);
    for _ in 0..CALLS {
        f();
    }
    COUNTING.store(false, Ordering::SeqCst);
    let allocs = ALLOCS.load(Ordering::SeqCst) as f64 / CALLS as f64;
    let bytes = BYTES.load(Ordering::SeqCst) as f64 / CALLS as f64;
    println!(r#"fips-bench-allocs {{"id":"{name}","allocs":{allocs},"bytes":{bytes}}}"#);
}

fn report_allocations() {
    let policy = Policy::embedded();
    let request = example_request();
    let json = example_json();
    let os_release = os_release_text();
    let root = workspace().join(HOST_ROOT);
    for (input, component) in VERSIONS {
        allocations(&format!("version/fips_parse_build_tag/{input}"), || {
            black_box(parse_build_tag(black_box(input), component));
        });
        allocations(&format!("version/fips_parse_build/{input}"), || {
            black_box(
                FipsVersion::parse(black_box(input))
                    .map(|v| v.fips_build())
                    .ok(),
            );
        });
        allocations(&format!("version/semver_parse/{input}"), || {
            black_box(semver::Version::parse(black_box(input)).ok());
        });
    }
    allocations("validate/struct", || {
        black_box(validate(black_box(&request), policy).ok());
    });
    allocations("validate/json_in_out", || {
        black_box(validate_json(policy, black_box(&json)));
    });
    let command = example_command();
    allocations("validate/args", || {
        let request = ClusterRequest::from_args(black_box(&command));
        black_box(validate(&request.expect("the example parses"), policy).ok());
    });
    for input in IMAGES {
        allocations(&format!("image/ref_parse/{input}"), || {
            black_box(ImageRef::parse(black_box(input)).ok());
        });
    }
    allocations(&format!("image/repository_parse/{REPOSITORY}"), || {
        black_box(ImageRepository::parse(black_box(REPOSITORY)).ok());
    });
    allocations("os_release/parse", || {
        black_box(OsRelease::parse(black_box(&os_release)));
    });
    allocations("host/probe/rhel84-fips", || {
        black_box(HostFips::probe(black_box(&root), policy).ok());
    });
}

fn elapsed_ns(start: Instant) -> u64 {
    u64::try_from(start.elapsed().as_nanos()).unwrap_or(u64::MAX)
}

/// In a fresh process: `entropy-first` times 32 random bytes (the generator's first use:
/// the entropy source's start), 32 more, then the whole self-test; `selftest-first` times
/// the whole self-test first, as `fipsctl selftest` pays it; `verdict-first` times the first
/// verdict (the example request on the embedded policy), which pays the power-on tests only.
/// Prints `first second suite` on one line (`suite` is the verdict for `verdict-first`), then
/// `kat <name> <ns>` for each test of the self-test when it ran whole.
fn cold_child(mode: &str) -> ! {
    if mode == "verdict-first" {
        let request = example_request();
        let start = Instant::now();
        let verdict = validate(&request, Policy::embedded());
        let first_verdict = elapsed_ns(start);
        if !verdict.is_ok_and(|report| report.compliant) {
            eprintln!("the first verdict in the child is not the example's compliant one");
            std::process::exit(1);
        }
        println!("0 0 {first_verdict}");
        std::process::exit(0)
    }
    let mut bytes = [0u8; 32];
    let (mut first, mut second) = (0, 0);
    if mode == "entropy-first" {
        let start = Instant::now();
        let first_ok = aws_lc_rs::rand::fill(&mut bytes).is_ok();
        first = elapsed_ns(start);
        let start = Instant::now();
        let second_ok = aws_lc_rs::rand::fill(&mut bytes).is_ok();
        second = elapsed_ns(start);
        if !(first_ok && second_ok) {
            eprintln!("random bytes failed in the child");
            std::process::exit(1);
        }
    }
    let start = Instant::now();
    let report = fips_core::selftest();
    let suite = elapsed_ns(start);
    if !report.passed {
        eprintln!("the self-test failed in the child: {report:?}");
        std::process::exit(1);
    }
    println!("{first} {second} {suite}");
    for kat in &report.kats {
        println!("kat {} {}", kat.name.replace(' ', "_"), kat.duration_ns);
    }
    std::process::exit(0)
}

/// One fresh process of [`cold_child`]: its three figures and its KATs' durations.
struct Cold {
    figures: [u64; 3],
    kats: Vec<(String, u64)>,
}

fn spawn_child(mode: &str) -> Cold {
    let exe = std::env::current_exe().expect("the bench binary's path");
    let out = Command::new(exe)
        .env(CHILD, mode)
        .output()
        .expect("spawning the bench binary");
    assert!(out.status.success(), "child {mode} failed: {}", out.status);
    let text = String::from_utf8_lossy(&out.stdout);
    let mut lines = text.lines();
    let figures: Vec<u64> = lines
        .next()
        .expect("the child prints its figures")
        .split_whitespace()
        .map(|n| n.parse().expect("the child prints numbers"))
        .collect();
    let kats = lines
        .filter_map(|line| {
            let mut words = line.split_whitespace();
            match (words.next(), words.next(), words.next()) {
                (Some("kat"), Some(name), Some(ns)) => {
                    Some((name.to_owned(), ns.parse().expect("a KAT's duration")))
                }
                _ => None,
            }
        })
        .collect();
    Cold {
        figures: figures.try_into().expect("the child prints three numbers"),
        kats,
    }
}

fn median(mut values: Vec<u64>) -> u64 {
    values.sort_unstable();
    values[values.len() / 2]
}

/// `{"<KAT>": median ns, ...}` in the self-test's order.
fn kat_medians(runs: &[Cold]) -> String {
    let names: Vec<&str> = runs[0].kats.iter().map(|(n, _)| n.as_str()).collect();
    let fields: Vec<String> = names
        .iter()
        .enumerate()
        .map(|(i, name)| {
            let values = runs.iter().filter_map(|r| r.kats.get(i)).map(|k| k.1);
            format!(r#"["{name}",{}]"#, median(values.collect()))
        })
        .collect();
    format!("[{}]", fields.join(","))
}

/// Medians over fresh processes of the cold figures; see [`cold_child`].
fn report_cold() {
    let entropy: Vec<Cold> = (0..COLD_PROCESSES)
        .map(|_| spawn_child("entropy-first"))
        .collect();
    let cold: Vec<Cold> = (0..COLD_PROCESSES)
        .map(|_| spawn_child("selftest-first"))
        .collect();
    let verdict: Vec<Cold> = (0..COLD_PROCESSES)
        .map(|_| spawn_child("verdict-first"))
        .collect();
    let figure = |runs: &[Cold], i: usize| median(runs.iter().map(|r| r.figures[i]).collect());
    println!(
        r#"fips-bench-cold {{"processes":{COLD_PROCESSES},"entropy_first_use_ns":{},"rng_second_use_ns":{},"selftest_after_entropy_ns":{},"selftest_cold_ns":{},"first_verdict_cold_ns":{},"kats_after_entropy_ns":{},"kats_cold_ns":{}}}"#,
        figure(&entropy, 0),
        figure(&entropy, 1),
        figure(&entropy, 2),
        figure(&cold, 2),
        figure(&verdict, 2),
        kat_medians(&entropy),
        kat_medians(&cold),
    );
}

/// The operations `scripts/bench` profiles, by name. `rand_first_use` is the first random
/// bytes of the process (the entropy source's start), so it is called once and not warmed.
fn profile(name: &str) -> ! {
    let policy = Policy::embedded();
    let request = example_request();
    let json = example_json();
    let (input, component) = VERSIONS[0];
    let op: Box<dyn Fn()> = match name {
        "fips_parse_build_tag" => Box::new(move || {
            black_box(parse_build_tag(black_box(input), component));
        }),
        "semver_parse" => Box::new(move || {
            black_box(semver::Version::parse(black_box(input)).ok());
        }),
        "validate_struct" => Box::new(move || {
            black_box(validate(black_box(&request), policy).ok());
        }),
        "validate_json_in_out" => Box::new(move || {
            black_box(validate_json(policy, black_box(&json)));
        }),
        "rand_first_use" => Box::new(|| {
            let mut bytes = [0u8; 32];
            black_box(aws_lc_rs::rand::fill(&mut bytes).is_ok());
        }),
        other => {
            eprintln!(
                "{PROFILE}={other:?}: not an operation; use fips_parse_build_tag, \
                 semver_parse, validate_struct, validate_json_in_out or rand_first_use"
            );
            std::process::exit(2);
        }
    };
    let calls = if name == "rand_first_use" {
        1
    } else {
        op(); // One-time initialisation (self-test, embedded policy) stays outside the loop.
        PROFILE_CALLS
    };
    profile_loop(&*op, calls);
    println!("fips-bench-profile-calls {calls}");
    std::process::exit(0)
}

#[inline(never)]
fn profile_loop(op: &dyn Fn(), calls: u32) {
    for _ in 0..calls {
        op();
    }
}

fn version(c: &mut Criterion) {
    let mut group = c.benchmark_group("version");
    for (input, component) in VERSIONS {
        group.bench_with_input(
            BenchmarkId::new("fips_parse_build_tag", input),
            input,
            |b, input| b.iter(|| parse_build_tag(black_box(input), component)),
        );
        group.bench_with_input(
            BenchmarkId::new("fips_parse_build", input),
            input,
            |b, input| {
                b.iter(|| {
                    FipsVersion::parse(black_box(input))
                        .expect("a documented version")
                        .fips_build()
                })
            },
        );
        group.bench_with_input(
            BenchmarkId::new("semver_parse", input),
            input,
            |b, input| b.iter(|| semver::Version::parse(black_box(input))),
        );
    }
    group.finish();
}

fn image(c: &mut Criterion) {
    let mut group = c.benchmark_group("image");
    for input in IMAGES {
        group.bench_with_input(BenchmarkId::new("ref_parse", input), input, |b, input| {
            b.iter(|| ImageRef::parse(black_box(input)))
        });
    }
    group.bench_with_input(
        BenchmarkId::new("repository_parse", REPOSITORY),
        REPOSITORY,
        |b, input| b.iter(|| ImageRepository::parse(black_box(input))),
    );
    group.finish();
}

fn validation(c: &mut Criterion) {
    let policy = Policy::embedded();
    let request = example_request();
    let json = example_json();
    let mut group = c.benchmark_group("validate");
    group.bench_function("struct", |b| {
        b.iter(|| validate(black_box(&request), policy))
    });
    group.bench_function("json_in_out", |b| {
        b.iter(|| validate_json(policy, black_box(&json)))
    });
    let command = example_command();
    group.bench_function("args", |b| {
        b.iter(|| {
            let request = ClusterRequest::from_args(black_box(&command));
            validate(&request.expect("the example parses"), policy)
        })
    });
    group.finish();
}

fn os_release(c: &mut Criterion) {
    let text = os_release_text();
    c.bench_function("os_release/parse", |b| {
        b.iter(|| OsRelease::parse(black_box(&text)))
    });
}

fn host(c: &mut Criterion) {
    let policy = Policy::embedded();
    let root = workspace().join(HOST_ROOT);
    c.bench_function("host/probe/rhel84-fips", |b| {
        b.iter(|| HostFips::probe(black_box(&root), policy))
    });
}

/// The work of `fips_version_to_tag` and `fips_validate_json`, without the C boundary.
fn direct(c: &mut Criterion) {
    let policy = Policy::embedded();
    let json = example_json();
    let mut group = c.benchmark_group("direct");
    group.bench_function("version_to_tag", |b| {
        b.iter(|| {
            FipsVersion::parse(black_box("1.22.8+fips.0"))
                .expect("a documented version")
                .to_tag(Component::Kubernetes)
        })
    });
    group.bench_function("validate_json", |b| {
        b.iter(|| validate_json(policy, black_box(&json)))
    });
    group.finish();
}

fn config() -> Criterion {
    // Short by default so that `scripts/bench` stays within minutes; flags override.
    Criterion::default()
        .warm_up_time(Duration::from_millis(500))
        .measurement_time(Duration::from_secs(2))
        .sample_size(50)
}

criterion_group! {
    name = benches;
    config = config();
    targets = version, image, validation, os_release, host, direct
}

fn main() {
    if let Ok(mode) = std::env::var(CHILD) {
        cold_child(&mode);
    }
    if let Ok(name) = std::env::var(PROFILE) {
        profile(&name);
    }
    report_cold();
    report_allocations();
    benches();
    Criterion::default().configure_from_args().final_summary();
}
