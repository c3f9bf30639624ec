//! The public seam for image stores that are neither a file nor a directory (a registry):
//! the caller serves the blobs of a virtual OCI image layout, and the image is judged by the
//! same code as a saved archive or layout.

use std::{
    io::Read,
    path::{Path, PathBuf},
};

use super::{image::scan_store, store::BlobSource, Call};
use crate::{Error, Policy, ScanOptions, ScanReport, ScanResult};

/// A store that serves the blobs of an OCI image layout by name: `oci-layout`,
/// `index.json`, and `blobs/sha256/<hex>` for every document and layer the index reaches.
///
/// The scanner checks every blob it reads against the digest that names it (manifests,
/// configs, layers; SHA-256 from aws-lc-rs) and reads every layer of an image before it
/// judges any file of it, so a source that serves wrong bytes gets an error, never a
/// verdict. A source that can check digests while it streams (a registry client) should
/// do so too, and fail the read naming the digest.
///
/// ```
/// use std::{io::Read, path::PathBuf};
/// use fips_core::{Error, ImageSource};
///
/// /// An OCI layout on disk, served by name (a registry client serves the same names).
/// struct Dir(PathBuf);
/// impl ImageSource for Dir {
///     fn name(&self) -> &str { "layout" }
///     fn open(&self, name: &str) -> Result<Option<Box<dyn Read + '_>>, Error> {
///         Ok(std::fs::File::open(self.0.join(name)).ok().map(|f| Box::new(f) as Box<dyn Read>))
///     }
/// }
/// assert!(Dir(PathBuf::from("/nonexistent")).open("index.json")?.is_none());
/// # Ok::<(), Error>(())
/// ```
pub trait ImageSource {
    /// How results name the image, e.g. `docker://registry.local/etcd:v3.6.4`; each
    /// result's path is this, `!/`, and the file's path inside the image.
    fn name(&self) -> &str;

    /// Opens a blob by its layout name; `Ok(None)` when the store has no such blob.
    /// Errors should be [`crate::ScanError`]s naming what failed (exit status 2).
    fn open(&self, name: &str) -> Result<Option<Box<dyn Read + '_>>, Error>;
}

/// An [`ImageSource`] seen through the scanner's internal store seam.
struct Source<'a> {
    inner: &'a dyn ImageSource,
    path: PathBuf,
}

impl BlobSource for Source<'_> {
    fn path(&self) -> &Path {
        &self.path
    }

    fn open(&self, name: &str) -> Result<Option<Box<dyn Read + '_>>, Error> {
        self.inner.open(name)
    }
}

/// Scans the images an [`ImageSource`] serves, as [`crate::scan_each`] scans an OCI layout:
/// same manifests and digest checks, same layers and whiteouts, same per-file verdicts,
/// same report (a source whose images hold no file to judge is not compliant).
///
/// ```
/// use std::io::Read;
/// use fips_core::{scan_image_source, Error, ImageSource, Policy, ScanOptions};
///
/// /// A source with no index: an error, never a report.
/// struct Empty;
/// impl ImageSource for Empty {
///     fn name(&self) -> &str { "docker://example.invalid/empty:v1" }
///     fn open(&self, _: &str) -> Result<Option<Box<dyn Read + '_>>, Error> { Ok(None) }
/// }
/// let err = scan_image_source(&Empty, Policy::embedded(), &ScanOptions::default(), |_| {})
///     .unwrap_err();
/// assert!(err.to_string().contains("no image found"), "{err}");
/// ```
pub fn scan_image_source(
    source: &dyn ImageSource,
    policy: &Policy,
    options: &ScanOptions,
    mut on_result: impl FnMut(&ScanResult),
) -> Result<ScanReport, Error> {
    let source = Source {
        inner: source,
        path: PathBuf::from(source.name()),
    };
    super::scan_with(policy, options, &mut on_result, |call: &mut Call<'_>| {
        scan_store(&source, call)
    })
}
