//! `fipsctl images --scan` and `fipsctl audit --scan`: every image a request (or each
//! audited cluster) pulls, read from its registry through the policy's mirrors
//! ([`resolve_through_mirrors`]) and judged by the same scan as `fipsctl scan
//! docker://REF`. The verdict is the worse of the request's own and the images'.

use fips_core::{
    ClusterRequest, Error, ImageRef, Policy, PulledImage, ScanError, ScanOptions, ScanReport,
    ScanResult,
};
use fips_registry::{resolve_through_mirrors, RegistryRead};
use serde::Serialize;

use crate::{
    output::{print_findings, Out, Verdict, COMPLIANT, NOT_COMPLIANT},
    progress::Progress,
    registry::RegistryArgs,
    write::say,
};

/// One pulled image, read and scanned.
#[derive(Serialize)]
pub(crate) struct ImageScan {
    /// The image's name, e.g. `kube-apiserver`.
    name: String,
    /// The reference the provisioner pulls.
    image: ImageRef,
    /// Where it was read (the mirror), and the manifest digest read.
    registry: RegistryRead,
    /// The verdict on every file inside it.
    scan: ScanReport,
}

/// Reads and scans each image in turn. An image that cannot be read is an error naming it
/// (exit 2): an image not seen is never taken for a compliant one.
pub(crate) fn scan_images(
    images: &[PulledImage],
    registry: &RegistryArgs,
    policy: &Policy,
) -> Result<Vec<ImageScan>, Error> {
    let options = registry.options();
    let mut scans = Vec::with_capacity(images.len());
    for pulled in images {
        if pulled.image.tag.is_none() && pulled.image.digest.is_none() {
            return Err(ScanError::Malformed {
                path: pulled.image.to_string().into(),
                reason: format!(
                    "{}: the request leaves its tag to the provisioner's default, so which image \
                     is pulled is not known; give the version flags",
                    pulled.name
                ),
            }
            .into());
        }
        let reference = pulled.image.to_string();
        let (image, read) = resolve_through_mirrors(&reference, policy, &options)?;
        let progress = Progress::new(Some(&pulled.name), Some(image.transfer()));
        let scan = fips_core::scan_image_source(
            &image,
            policy,
            &ScanOptions::default(),
            &mut |result: &ScanResult| progress.judged(result),
        );
        progress.finish();
        let mut scan = scan?;
        pulled.check_scan(policy, &mut scan);
        scans.push(ImageScan {
            name: pulled.name.clone(),
            image: pulled.image.clone(),
            registry: read,
            scan,
        });
    }
    Ok(scans)
}

/// True when every image scanned is compliant.
pub(crate) fn all_compliant(scans: &[ImageScan]) -> bool {
    scans.iter().all(|s| s.scan.compliant)
}

/// The JSON of `fipsctl images --scan`.
#[derive(Serialize)]
struct ImagesScanReport<'a> {
    /// The request's verdict and the images' together.
    compliant: bool,
    /// The request's own verdict (`fipsctl validate`).
    request: &'a fips_core::Report,
    images: &'a [ImageScan],
}

/// `fipsctl images --scan -- REQUEST`.
pub(crate) fn run(
    request: &ClusterRequest,
    registry: &RegistryArgs,
    policy: &Policy,
    out: &Out,
) -> Result<Verdict, Error> {
    let report = fips_core::validate(request, policy)?;
    let scans = scan_images(&policy.pulled_images(request), registry, policy)?;
    let compliant = report.compliant && all_compliant(&scans);
    if out.json {
        out.print_json(&ImagesScanReport {
            compliant,
            request: &report,
            images: &scans,
        });
    } else {
        print_scans(&scans);
        say!();
        say!(
            "request: {}",
            if report.compliant {
                COMPLIANT
            } else {
                NOT_COMPLIANT
            }
        );
        print_findings(&report.findings);
        print_verdict(compliant, &scans);
    }
    Ok(Verdict::from(compliant))
}

/// Per image: the reference, where it was read, the digest, and each binary's verdict.
pub(crate) fn print_scans(scans: &[ImageScan]) {
    for s in scans {
        let verdict = if s.scan.compliant {
            COMPLIANT
        } else {
            NOT_COMPLIANT
        };
        say!("{}  {}  {verdict}", s.name, s.image);
        match &s.registry.mirror {
            Some(mirror) => say!("  read from mirror {mirror}: {}", s.registry.read),
            None => say!("  read: {}", s.registry.read),
        }
        say!("  manifest {}", s.registry.digest);
        for r in &s.scan.results {
            let inner = r.path.split_once("!/").map_or(r.path.as_str(), |(_, p)| p);
            let verdict = if r.compliant {
                COMPLIANT
            } else {
                NOT_COMPLIANT
            };
            let codes: Vec<&str> = r.findings.iter().map(|f| f.code.as_str()).collect();
            say!(
                "    {inner}  crypto: {}  {verdict}{}",
                r.crypto_text(),
                if codes.is_empty() {
                    String::new()
                } else {
                    format!("  {}", codes.join(", "))
                }
            );
        }
        print_findings(&s.scan.findings);
    }
}

/// The last line: the verdict, naming every image that is not compliant.
pub(crate) fn print_verdict(compliant: bool, scans: &[ImageScan]) {
    let failing: Vec<&str> = scans
        .iter()
        .filter(|s| !s.scan.compliant)
        .map(|s| s.name.as_str())
        .collect();
    say!(
        "{}: {} image(s) scanned{}",
        if compliant { COMPLIANT } else { NOT_COMPLIANT },
        scans.len(),
        if failing.is_empty() {
            String::new()
        } else {
            format!("; not compliant: {}", failing.join(", "))
        }
    );
}
