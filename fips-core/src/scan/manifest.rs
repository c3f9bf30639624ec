//! Which images a store holds, and which layers (with which digests) make each one.
//!
//! Two indexes exist: `manifest.json` (`docker save`, read by `docker load`) and
//! `oci-layout` + `index.json` (OCI, read by containerd). Containerd's importer uses the OCI
//! index whenever `oci-layout` is present and ignores `manifest.json`
//! (containerd `core/images/archive/importer.go`, `ImportIndex`: "prefers OCI v1 when
//! provided"); `docker load` reads `manifest.json`. When an archive carries both, they must
//! describe the same images, else the scanner could judge one image and the runtime run
//! another: such an archive is refused.
//!
//! Every document reached through a digest is checked against it; `docker save` layers,
//! which have no digest of their own, are checked against the config's `rootfs.diff_ids`,
//! as `docker load` checks them.

use std::collections::{BTreeMap, BTreeSet};

use serde::Deserialize;

use super::{
    bytes::{sha256_text, Sha256},
    store::{blob_path, sha256_of_digest, BlobSource},
};
use crate::Error;

/// Images (manifests) per archive or layout at most.
const MAX_IMAGES: usize = 64;
/// Nested image indexes followed at most.
const MAX_INDEX_DEPTH: usize = 4;

/// One layer of an image: the blob, and the digests it must have.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub(crate) struct LayerRef {
    /// The blob's name in the store.
    pub(crate) blob: String,
    /// SHA-256 of the blob as stored (OCI descriptors).
    pub(crate) blob_digest: Option<Sha256>,
    /// SHA-256 of the uncompressed tar (`rootfs.diff_ids`).
    pub(crate) diff_digest: Option<Sha256>,
}

/// One image: a name to show and its layers, in order.
#[derive(Debug)]
pub(crate) struct ImageSpec {
    pub(crate) name: String,
    pub(crate) layers: Vec<LayerRef>,
}

#[derive(Deserialize)]
#[serde(rename_all = "PascalCase")]
struct DockerManifest {
    #[serde(default)]
    config: Option<String>,
    #[serde(default)]
    repo_tags: Option<Vec<String>>,
    layers: Vec<String>,
}

#[derive(Deserialize)]
struct Config {
    rootfs: RootFs,
}

#[derive(Deserialize)]
struct RootFs {
    diff_ids: Vec<String>,
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct Descriptor {
    #[serde(default)]
    media_type: Option<String>,
    digest: String,
    #[serde(default)]
    annotations: Option<BTreeMap<String, String>>,
}

impl Descriptor {
    /// A BuildKit attestation (SBOM, provenance): in-toto documents, never run, with
    /// `vnd.docker.reference.type: attestation-manifest` (BuildKit's
    /// `docs/attestations/attestation-storage.md`).
    fn is_attestation(&self) -> bool {
        self.annotations
            .as_ref()
            .and_then(|a| a.get("vnd.docker.reference.type"))
            .is_some_and(|t| t == "attestation-manifest")
    }
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct OciDocument {
    #[serde(default)]
    media_type: Option<String>,
    #[serde(default)]
    manifests: Option<Vec<Descriptor>>,
    #[serde(default)]
    config: Option<Descriptor>,
    #[serde(default)]
    layers: Option<Vec<Descriptor>>,
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct OciLayout {
    image_layout_version: String,
}

fn parse<T: for<'de> Deserialize<'de>>(
    store: &dyn BlobSource,
    name: &str,
    text: &[u8],
) -> Result<T, Error> {
    serde_json::from_slice(text).map_err(|e| store.malformed(format!("{name}: {e}")))
}

/// A document reached through a digest: read, checked against the digest, parsed.
fn verified<T: for<'de> Deserialize<'de>>(
    store: &dyn BlobSource,
    digest: &str,
    what: &str,
) -> Result<T, Error> {
    let path = blob_path(digest).map_err(|e| store.malformed(e))?;
    let want = sha256_of_digest(digest).map_err(|e| store.malformed(e))?;
    let (text, got) = store.document(&path)?.ok_or_else(|| {
        store.malformed(format!(
            "{what} {digest} is listed but its blob {path} is missing"
        ))
    })?;
    if got != want {
        return Err(store.malformed(format!(
            "{what} {digest}: the blob's content has digest {}; refusing it",
            sha256_text(&got)
        )));
    }
    parse(store, &path, &text)
}

/// The images of a store, as the runtime would import them.
pub(crate) fn images(store: &dyn BlobSource) -> Result<Vec<ImageSpec>, Error> {
    let layout = match store.document("oci-layout")? {
        None => false,
        Some((text, _)) => {
            let l: OciLayout = parse(store, "oci-layout", &text)?;
            if l.image_layout_version != "1.0.0" {
                return Err(store.malformed(format!(
                    "oci-layout: unsupported imageLayoutVersion {:?} (containerd reads 1.0.0)",
                    l.image_layout_version
                )));
            }
            true
        }
    };
    let docker = docker_images(store)?;
    let oci = match store.document("index.json")? {
        Some((text, _)) => {
            let index: OciDocument = parse(store, "index.json", &text)?;
            let mut found = Vec::new();
            collect_oci(store, &index, None, 0, &mut found, &mut BTreeSet::new())?;
            Some(found)
        }
        None if layout => {
            return Err(store.malformed("oci-layout without index.json".into()));
        }
        None => None,
    };
    let images = match (docker, oci) {
        (Some(docker), Some(oci)) if layout => {
            let layers = |images: &[ImageSpec]| -> BTreeSet<Vec<String>> {
                images
                    .iter()
                    .map(|i| i.layers.iter().map(|l| l.blob.clone()).collect())
                    .collect()
            };
            // Every image docker load would run must be one the OCI index holds (which is
            // judged whole, and is what containerd runs).
            if !layers(&docker).is_subset(&layers(&oci)) {
                return Err(store.malformed(
                    "manifest.json and index.json describe different images: docker load \
                     would run one and containerd the other; refusing the archive (rebuild it \
                     with one tool)"
                        .into(),
                ));
            }
            oci
        }
        (_, Some(oci)) if layout => oci,
        (Some(docker), _) => docker,
        (None, Some(oci)) => oci,
        (None, None) => Vec::new(),
    };
    if images.is_empty() {
        return Err(store.malformed(
            "no image found: expected manifest.json (docker save) or index.json (OCI layout)"
                .into(),
        ));
    }
    Ok(images)
}

fn docker_images(store: &dyn BlobSource) -> Result<Option<Vec<ImageSpec>>, Error> {
    let Some((text, _)) = store.document("manifest.json")? else {
        return Ok(None);
    };
    let manifests: Vec<DockerManifest> = parse(store, "manifest.json", &text)?;
    if manifests.len() > MAX_IMAGES {
        return Err(store.malformed(format!("more than {MAX_IMAGES} images")));
    }
    let mut images = Vec::new();
    for (i, m) in manifests.into_iter().enumerate() {
        let name = m
            .repo_tags
            .and_then(|t| t.into_iter().next())
            .unwrap_or_else(|| format!("image{i}"));
        let config_name = m.config.ok_or_else(|| {
            store.malformed(format!(
                "manifest.json: image {name} names no Config (docker load needs it)"
            ))
        })?;
        let (text, _) = store.document(&config_name)?.ok_or_else(|| {
            store.malformed(format!(
                "manifest.json: the config {config_name} of image {name} is missing"
            ))
        })?;
        let config: Config = parse(store, &config_name, &text)?;
        if config.rootfs.diff_ids.len() != m.layers.len() {
            return Err(store.malformed(format!(
                "image {name}: {} layers but {} rootfs.diff_ids in {config_name} (docker load \
                 refuses this)",
                m.layers.len(),
                config.rootfs.diff_ids.len()
            )));
        }
        let layers = m
            .layers
            .into_iter()
            .zip(&config.rootfs.diff_ids)
            .map(|(blob, diff)| {
                Ok(LayerRef {
                    blob,
                    blob_digest: None,
                    diff_digest: Some(
                        sha256_of_digest(diff)
                            .map_err(|e| store.malformed(format!("{config_name}: {e}")))?,
                    ),
                })
            })
            .collect::<Result<Vec<_>, Error>>()?;
        images.push(ImageSpec { name, layers });
    }
    Ok(Some(images))
}

fn collect_oci(
    store: &dyn BlobSource,
    doc: &OciDocument,
    name: Option<&str>,
    depth: usize,
    found: &mut Vec<ImageSpec>,
    seen: &mut BTreeSet<String>,
) -> Result<(), Error> {
    if let Some(layers) = &doc.layers {
        if let Some(config) = &doc.config {
            // Not used for the verdict, but a blob of the image all the same: checked.
            verified::<serde_json::Value>(store, &config.digest, "config")?;
        }
        let layers = layers
            .iter()
            .map(|d| {
                Ok(LayerRef {
                    blob: blob_path(&d.digest).map_err(|e| store.malformed(e))?,
                    blob_digest: Some(sha256_of_digest(&d.digest).map_err(|e| store.malformed(e))?),
                    diff_digest: None,
                })
            })
            .collect::<Result<Vec<_>, Error>>()?;
        found.push(ImageSpec {
            name: name.unwrap_or("image").to_owned(),
            layers,
        });
        return Ok(());
    }
    let Some(manifests) = &doc.manifests else {
        return Err(store.malformed(format!(
            "an OCI document ({}) with neither manifests nor layers",
            doc.media_type.as_deref().unwrap_or("no mediaType")
        )));
    };
    if depth >= MAX_INDEX_DEPTH {
        return Err(store.malformed(format!(
            "image indexes nested deeper than {MAX_INDEX_DEPTH}"
        )));
    }
    for d in manifests {
        if d.is_attestation() || !seen.insert(d.digest.clone()) {
            continue;
        }
        if found.len() >= MAX_IMAGES {
            return Err(store.malformed(format!("more than {MAX_IMAGES} images")));
        }
        let what = d.media_type.as_deref().unwrap_or("manifest");
        let child: OciDocument = verified(store, &d.digest, what)?;
        let label = d
            .annotations
            .as_ref()
            .and_then(|a| a.get("org.opencontainers.image.ref.name"))
            .map(String::as_str)
            .unwrap_or(&d.digest);
        collect_oci(store, &child, Some(label), depth + 1, found, seen)?;
    }
    Ok(())
}
