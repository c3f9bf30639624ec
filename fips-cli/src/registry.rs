//! `fipsctl scan docker://REF`: an image read straight from its registry (fips-registry)
//! and judged by the same code as a saved archive (fips-core's `scan_image_source`).

use std::path::PathBuf;

use fips_core::{Error, ImageRef, Policy, ScanError, ScanReport};
use fips_registry::{Platform, RegistryImage, RegistryOptions, DOCKER_TRANSPORT};
use serde::Serialize;

use crate::{
    output::{print_findings, Out, Verdict},
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

/// Where an image was read: the reference asked for, and the location whose manifest was
/// read (a declared mirror of its repository, or the reference itself).
#[derive(Clone, Debug, Serialize)]
pub(crate) struct RegistryRead {
    /// The reference asked for, as given.
    pub(crate) reference: String,
    /// The reference whose manifest was read.
    pub(crate) read: String,
    /// The policy mirror read, when it was one (`[[mirrors]] mirror`).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub(crate) mirror: Option<String>,
    /// The digest of the manifest (or index) read.
    pub(crate) digest: String,
    /// The platforms scanned.
    pub(crate) platforms: Vec<String>,
}

impl RegistryRead {
    /// One line on stderr: what was read, and from where.
    pub(crate) fn say(&self) {
        let from = match &self.mirror {
            Some(mirror) => format!(
                " read from mirror {mirror} ({DOCKER_TRANSPORT}{})",
                self.read
            ),
            None => String::new(),
        };
        say_err!(
            "{DOCKER_TRANSPORT}{}:{from} manifest {} ({})",
            self.reference,
            self.digest,
            self.platforms.join(", ")
        );
    }
}

/// Reads `reference` as a pull through the policy's mirrors: each declared mirror of its
/// repository in the policy's order ([`Policy::mirror_images_of`]), as
/// containers-registries.conf(5) tries mirrors before the primary location; the reference
/// itself only when no mirror is declared.
///
/// A mirror that lacks the image or cannot be reached is passed over for the next one; when
/// every mirror fails so, the result is an error naming each, and the upstream is NOT read:
/// the policy declares where this site's images come from, and bytes read from elsewhere
/// are not the bytes its clusters get (nor would the verdict hold without internet access).
/// Any other failure of a mirror (authentication, denial, a digest mismatch) is an error
/// naming that mirror at once.
pub(crate) fn resolve_through_mirrors(
    reference: &str,
    policy: &Policy,
    options: &RegistryOptions,
) -> Result<(RegistryImage, RegistryRead), Error> {
    let read = |image: RegistryImage, read: String, mirror: Option<String>| {
        let record = RegistryRead {
            reference: reference.to_owned(),
            read,
            mirror,
            digest: image.digest().to_owned(),
            platforms: image.platforms().to_vec(),
        };
        (image, record)
    };
    let mirrors = match ImageRef::parse(reference) {
        Ok(image) => policy.mirror_images_of(&image),
        // RegistryImage::resolve says what is wrong with the reference.
        Err(_) => Vec::new(),
    };
    if mirrors.is_empty() {
        let image = RegistryImage::resolve(reference, options)?;
        return Ok(read(image, reference.to_owned(), None));
    }
    let mut absent = Vec::new();
    for mirror in &mirrors {
        let text = mirror.to_string();
        match RegistryImage::try_resolve(&text, options) {
            Ok(image) => {
                let prefix = mirror.prefix().to_string();
                return Ok(read(image, text, Some(prefix)));
            }
            Err(e) if e.absent => absent.push(e.error.to_string()),
            Err(e) => return Err(*e.error),
        }
    }
    Err(usage_for(
        &format!("{DOCKER_TRANSPORT}{reference}"),
        format!(
            "no policy mirror serves it, and the upstream is not read when mirrors are              declared (copy the image to a mirror, or remove its [[mirrors]] entries): {}",
            absent.join("; ")
        ),
    ))
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

/// The JSON of a registry scan: the scan report, and where the image was read.
#[derive(Serialize)]
struct RegistryScan<'a> {
    #[serde(flatten)]
    report: &'a ScanReport,
    registry: &'a RegistryRead,
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
        read.say();
    }
    let report = scan::judge(args, out, |on_result| {
        fips_core::scan_image_source(&image, policy, &args.options, on_result)
    })?;
    if out.json {
        out.print_json(&RegistryScan {
            report: &report,
            registry: &read,
        });
    } else {
        print_findings(&report.findings);
        scan::print_summary(&report);
        if let Some(mirror) = &read.mirror {
            crate::write::say!("read from mirror {mirror}: {DOCKER_TRANSPORT}{}", read.read);
        }
    }
    Ok(Verdict::from(report.compliant))
}
