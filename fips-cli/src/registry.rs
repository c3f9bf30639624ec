//! `fipsctl scan docker://REF`: an image read straight from its registry (fips-registry)
//! and judged by the same code as a saved archive (fips-core's `scan_image_source`).

use std::path::PathBuf;

use fips_core::{Error, Policy, ScanError};
use fips_registry::{
    resolve_through_mirrors, Platform, RegistryOptions, RegistryRead, RegistryScan,
    DOCKER_TRANSPORT,
};

use crate::{
    output::{print_findings, Out, Verdict},
    progress::Progress,
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
    /// The registry options these arguments ask for.
    pub(crate) fn options(&self) -> RegistryOptions {
        RegistryOptions {
            platform: self.platform.clone().unwrap_or_default(),
            all_platforms: self.all_platforms,
            insecure_registries: self.insecure_registry.clone(),
            ca_certificates: self.registry_ca.clone(),
            ..Default::default()
        }
    }

    pub(crate) fn used(&self) -> bool {
        self.platform.is_some()
            || self.all_platforms
            || !self.insecure_registry.is_empty()
            || !self.registry_ca.is_empty()
    }
}

/// One line on stderr: what was read, and from where.
fn say_read(read: &RegistryRead) {
    let from = match &read.mirror {
        Some(mirror) => format!(
            " read from mirror {mirror} ({DOCKER_TRANSPORT}{})",
            read.read
        ),
        None => String::new(),
    };
    say_err!(
        "{DOCKER_TRANSPORT}{}:{from} manifest {} ({})",
        read.reference,
        read.digest,
        read.platforms.join(", ")
    );
}

/// Refuses the registry options where nothing is read from a registry (no --scan).
pub(crate) fn refuse_unused(registry: &RegistryArgs, verb: &str) -> Result<(), Error> {
    if registry.used() {
        return Err(usage_for(
            verb,
            "--platform, --all-platforms, --insecure-registry and --registry-ca apply only \
             when images are read: add --scan"
                .into(),
        ));
    }
    Ok(())
}

/// The reference of a `docker://REF` argument.
fn docker_reference(path: &std::path::Path) -> Option<&str> {
    path.to_str()?.strip_prefix(DOCKER_TRANSPORT)
}

fn usage(reason: &str) -> Error {
    usage_for("fipsctl scan", reason.into())
}

fn usage_for(name: &str, reason: String) -> Error {
    ScanError::Malformed {
        path: PathBuf::from(name),
        reason,
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
    let (image, read) = resolve_through_mirrors(references[0], policy, &registry.options())?;
    if !out.json && !args.quiet {
        say_read(&read);
    }
    let progress = Progress::new(None, Some(image.transfer()));
    let report = scan::judge(args, out, progress, |on_result| {
        fips_core::scan_image_source(&image, policy, &args.options, on_result)
    })?;
    let verdict = Verdict::from(report.compliant);
    if out.json {
        out.print_json(&RegistryScan {
            report,
            registry: read,
        });
    } else {
        print_findings(&report.findings);
        scan::print_summary(&report);
        if let Some(mirror) = &read.mirror {
            crate::write::say!("read from mirror {mirror}: {DOCKER_TRANSPORT}{}", read.read);
        }
    }
    Ok(verdict)
}
