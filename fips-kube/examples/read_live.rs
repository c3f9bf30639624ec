//! The live audit without its verdicts: lists and parses every audited kind in every
//! namespace, exactly as `fipsctl audit --kubeconfig FILE -A` does, and prints how many
//! objects and pages it read. `scripts/bench audit` times it beside the live audit, so the
//! ratio is what the verdicts (and the self-test before them) add to fetching and parsing.
//!
//!     cargo run --release -p fips-kube --example read_live -- KUBECONFIG

use std::process::ExitCode;

fn main() -> ExitCode {
    let Some(kubeconfig) = std::env::args_os().nth(1) else {
        eprintln!("usage: read_live KUBECONFIG");
        return ExitCode::from(2);
    };
    let source = fips_kube::Source::new(kubeconfig.into(), fips_kube::Scope::AllNamespaces);
    match fips_kube::read_live(&source) {
        Ok(listed) => {
            println!(
                "{{\"objects\": {}, \"pages\": {}}}",
                listed.objects.len(),
                listed.pages
            );
            ExitCode::SUCCESS
        }
        Err(e) => {
            eprintln!("read_live: {e}");
            ExitCode::from(2)
        }
    }
}
