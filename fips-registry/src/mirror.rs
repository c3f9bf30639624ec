//! A pull through the policy's mirrors, and the scan of what it read: the one place the CLI
//! (`fipsctl scan docker://REF`, `images --scan`) and the bindings (C, Go, Python) get a
//! registry image and its verdict from, so that they only convert.

use fips_core::{Error, ImageRef, Policy, ScanOptions, ScanReport, ScanResult};
use serde::{Deserialize, Serialize};

use crate::{
    error::failed,
    source::{RegistryImage, RegistryOptions, DOCKER_TRANSPORT},
};

/// Where an image was read: the reference asked for, and the location whose manifest was
/// read (a declared mirror of its repository, or the reference itself).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RegistryRead {
    /// The reference asked for, as given.
    pub reference: String,
    /// The reference whose manifest was read.
    pub read: String,
    /// The policy mirror read, when it was one (`[[mirrors]] mirror`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub mirror: Option<String>,
    /// The digest of the manifest (or index) read.
    pub digest: String,
    /// The platforms scanned.
    pub platforms: Vec<String>,
}

/// The verdict on an image read from its registry: the scan report, and where the image was
/// read. Its JSON is what `fipsctl --json scan docker://REF` prints: the report's fields,
/// then `"registry"`.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct RegistryScan {
    /// The verdict on every file of the image.
    #[serde(flatten)]
    pub report: ScanReport,
    /// Where the image was read, and the digest read.
    pub registry: RegistryRead,
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
pub fn resolve_through_mirrors(
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
    Err(failed(
        &format!("{DOCKER_TRANSPORT}{reference}"),
        format!(
            "no policy mirror serves it, and the upstream is not read when mirrors are \
             declared (copy the image to a mirror, or remove its [[mirrors]] entries): {}",
            absent.join("; ")
        ),
    ))
}

/// Reads `reference` (`REF` or `docker://REF`) through the policy's mirrors
/// ([`resolve_through_mirrors`]) and judges every file of the image under `policy`, as
/// `fipsctl scan docker://REF` does: what the bindings (C, Go, Python) call.
///
/// An image that cannot be read is an error naming it (never a verdict): a reference that
/// does not parse, a registry that refuses or cannot be reached, a bound passed, a blob
/// whose bytes do not match its digest.
pub fn scan_reference(
    reference: &str,
    policy: &Policy,
    registry: &RegistryOptions,
    options: &ScanOptions,
) -> Result<RegistryScan, Error> {
    let reference = reference
        .strip_prefix(DOCKER_TRANSPORT)
        .unwrap_or(reference);
    let (image, read) = resolve_through_mirrors(reference, policy, registry)?;
    let report = fips_core::scan_image_source(&image, policy, options, |_: &ScanResult| {})?;
    Ok(RegistryScan {
        report,
        registry: read,
    })
}
