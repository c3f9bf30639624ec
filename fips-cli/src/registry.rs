//! `fipsctl scan docker://REF`: an image read straight from its registry (fips-registry)
//! and judged by the same code as a saved archive (fips-core's `scan_image_source`).

use std::path::PathBuf;

use fips_core::{Error, Policy, ScanError};
use fips_registry::{Platform, RegistryImage, RegistryOptions, DOCKER_TRANSPORT};

use crate::{
    output::{Out, Verdict},
    scan::{self, ScanArgs},
    write::say_err,
};

/// The options of `fipsctl scan` that apply to `docker://` references.
#[derive(clap::Args, Debug, Default)]
pub(crate) struct RegistryArgs {
    /// For docker://REF: the platform of an image index to scan (default linux/amd64).
    #[arg(long, value_name = "OS/ARCH[/VARIANT]", value_parser = parse_platform)]
    platform: Option<Platform>,
    /// For docker://REF: scan the image of every platform an image index lists.
    #[arg(long, conflicts_with = "platform")]
    all_platforms: bool,
    /// Speak plain HTTP to this registry (HOST:PORT), never to another; may be repeated.
    #[arg(long, value_name = "HOST:PORT")]
    insecure_registry: Vec<String>,
    /// Trust this CA certificate (PEM) for registries, besides the system's; may be repeated.
    #[arg(long, value_name = "PEM")]
    registry_ca: Vec<PathBuf>,
}

fn parse_platform(text: &str) -> Result<Platform, String> {
    text.parse()
}

impl RegistryArgs {
    fn used(&self) -> bool {
        self.platform.is_some()
            || self.all_platforms
            || !self.insecure_registry.is_empty()
            || !self.registry_ca.is_empty()
    }
}

/// The reference of a `docker://REF` argument.
fn docker_reference(path: &std::path::Path) -> Option<&str> {
    path.to_str()?.strip_prefix(DOCKER_TRANSPORT)
}

fn usage(reason: &str) -> Error {
    ScanError::Malformed {
        path: PathBuf::from("fipsctl scan"),
        reason: reason.into(),
    }
    .into()
}

/// Scans local paths as [`scan::run`] does, or one `docker://REF` from its registry.
pub(crate) fn run(
    args: &ScanArgs,
    registry: &RegistryArgs,
    policy: &Policy,
    out: &Out,
) -> Result<Verdict, Error> {
    let references: Vec<&str> = args
        .paths
        .iter()
        .filter_map(|p| docker_reference(p))
        .collect();
    if references.is_empty() {
        if registry.used() {
            return Err(usage(
                "--platform, --all-platforms, --insecure-registry and --registry-ca apply to \
                 docker://REF only; name an image as docker://REGISTRY/NAME:TAG",
            ));
        }
        return scan::run(args, policy, out);
    }
    if args.paths.len() > 1 {
        return Err(usage(
            "scan one docker://REF per call, without local paths beside it",
        ));
    }
    let options = RegistryOptions {
        platform: registry.platform.clone().unwrap_or_default(),
        all_platforms: registry.all_platforms,
        insecure_registries: registry.insecure_registry.clone(),
        ca_certificates: registry.registry_ca.clone(),
        ..Default::default()
    };
    let image = RegistryImage::resolve(references[0], &options)?;
    if !out.json && !args.quiet {
        say_err!(
            "{}{}: manifest {} ({})",
            DOCKER_TRANSPORT,
            references[0],
            image.digest(),
            image.platforms().join(", ")
        );
    }
    scan::run_with(args, out, |on_result| {
        fips_core::scan_image_source(&image, policy, &args.options, on_result)
    })
}
