//! Runs the crypto self-test once, cold, in a fresh process, and says how long it took.
//!
//! `cargo run -p fips-core --release --example selftest_once [-- --json]`
//! (add `--features fips` for the FIPS module). Exits 0 when every KAT passed, 1 otherwise.
//! The cold time is the first `fips_core::selftest()` call of the process: the whole suite,
//! plus the module's lazy initialisation that it triggers.

use std::{process::ExitCode, time::Instant};

fn main() -> ExitCode {
    let json = match std::env::args().nth(1).as_deref() {
        None => false,
        Some("--json") => true,
        Some(other) => {
            eprintln!("selftest_once: unknown argument {other:?}; usage: selftest_once [--json]");
            return ExitCode::from(2);
        }
    };
    let start = Instant::now();
    let report = fips_core::selftest();
    let cold = start.elapsed();
    if json {
        match serde_json::to_string_pretty(report) {
            Ok(text) => println!("{text}"),
            Err(e) => {
                eprintln!("selftest_once: cannot print the report: {e}");
                return ExitCode::from(2);
            }
        }
    } else {
        for kat in &report.kats {
            let outcome = if kat.passed { "ok  " } else { "FAIL" };
            let error = kat.error.as_deref().unwrap_or("");
            println!(
                "{outcome} {:<30} {:>10} ns  {error}",
                kat.name, kat.duration_ns
            );
        }
        println!(
            "module: {} (fips_module: {})",
            report.module, report.fips_module
        );
        let sum: u64 = report.kats.iter().map(|k| k.duration_ns).sum();
        println!(
            "cold suite: {} us for {} KATs (sum of KAT times {} us); passed: {}",
            cold.as_micros(),
            report.kats.len(),
            sum / 1000,
            report.passed
        );
    }
    if report.passed {
        ExitCode::SUCCESS
    } else {
        ExitCode::FAILURE
    }
}
