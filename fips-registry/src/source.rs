//! One image in a registry, resolved to the manifests to scan and served to fips-core as
//! the blobs of a virtual OCI image layout: `oci-layout`, an `index.json` listing the
//! chosen manifests, and `blobs/sha256/<hex>` (manifests from memory, checked when they
//! were fetched; everything else streamed from the registry, checked as it streams).

use std::{
    collections::BTreeMap,
    io::{Cursor, Read},
    path::PathBuf,
    sync::Arc,
    time::Duration,
};

use fips_core::{Error, ImageRef, ImageSource};
use futures_util::StreamExt;
use oci_client::{
    client::{Certificate, CertificateEncoding, ClientConfig, ClientProtocol},
    manifest::OciDescriptor,
    secrets::RegistryAuth,
    Client, Reference,
};
use serde::Deserialize;

use crate::{
    auth::{docker_config_path, Credentials},
    error::{describe, failed, is_absent},
    platform::{EntryPlatform, Platform},
    stream::{channel, sha256_of, sha256_text, ImageBudget, VerifiedReader},
    transfer::Transfer,
};

/// The containers-transports prefix of a registry reference (`docker://REF`, as skopeo
/// spells it).
pub const DOCKER_TRANSPORT: &str = "docker://";

/// A manifest or index larger than this is refused (fips-core reads JSON documents of at
/// most 4 MiB too).
const MAX_MANIFEST: usize = 4 << 20;
/// Manifests an index may list for `--all-platforms` at most.
const MAX_PLATFORMS: usize = 64;

/// The media types a manifest request accepts: OCI and Docker, image and index.
const ACCEPT: &[&str] = &[
    "application/vnd.oci.image.index.v1+json",
    "application/vnd.oci.image.manifest.v1+json",
    "application/vnd.docker.distribution.manifest.list.v2+json",
    "application/vnd.docker.distribution.manifest.v2+json",
];

/// How to reach a registry and what to read from it.
#[derive(Clone, Debug)]
pub struct RegistryOptions {
    /// The platform whose manifest an image index resolves to (default `linux/amd64`).
    pub platform: Platform,
    /// Every platform of an index (attestations left out), not only [`Self::platform`].
    pub all_platforms: bool,
    /// Registries (`host:port`) spoken to over plain HTTP; every other one over HTTPS.
    pub insecure_registries: Vec<String>,
    /// PEM files of CA certificates trusted besides the system's.
    pub ca_certificates: Vec<PathBuf>,
    /// The Docker config to read credentials from; `None`: `$DOCKER_CONFIG/config.json`,
    /// else `~/.docker/config.json`.
    pub docker_config: Option<PathBuf>,
    /// Time to open a connection at most.
    pub connect_timeout: Duration,
    /// Time between two reads of an answer at most (a registry that hangs).
    pub read_timeout: Duration,
    /// Bytes of one blob (as stored, compressed) at most.
    pub max_blob_bytes: u64,
    /// Bytes of all the blobs of the image at most.
    pub max_image_bytes: u64,
}

impl Default for RegistryOptions {
    fn default() -> Self {
        RegistryOptions {
            platform: Platform::default(),
            all_platforms: false,
            insecure_registries: Vec::new(),
            ca_certificates: Vec::new(),
            docker_config: None,
            connect_timeout: Duration::from_secs(10),
            read_timeout: Duration::from_secs(60),
            max_blob_bytes: 8 << 30,
            max_image_bytes: 16 << 30,
        }
    }
}

/// An image in a registry, its manifests read and checked, its layers read when the
/// scanner asks for them.
pub struct RegistryImage {
    name: String,
    reference: Reference,
    runtime: tokio::runtime::Runtime,
    client: Client,
    manifests: BTreeMap<String, Vec<u8>>,
    index: Vec<u8>,
    digest: String,
    platforms: Vec<String>,
    budget: Arc<ImageBudget>,
    max_blob_bytes: u64,
    transfer: Arc<Transfer>,
}

impl std::fmt::Debug for RegistryImage {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("RegistryImage")
            .field("name", &self.name)
            .field("digest", &self.digest)
            .field("platforms", &self.platforms)
            .finish_non_exhaustive()
    }
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct Document {
    #[serde(default)]
    media_type: Option<String>,
    #[serde(default)]
    manifests: Option<Vec<IndexEntry>>,
    #[serde(default)]
    layers: Option<serde_json::Value>,
}

#[derive(Deserialize, Debug)]
#[serde(rename_all = "camelCase")]
struct IndexEntry {
    #[serde(default)]
    media_type: Option<String>,
    digest: String,
    #[serde(default)]
    platform: Option<EntryPlatform>,
    #[serde(default)]
    annotations: Option<BTreeMap<String, String>>,
}

impl IndexEntry {
    /// BuildKit attestations (`vnd.docker.reference.type: attestation-manifest`) and
    /// `unknown/unknown` entries are not images a runtime runs.
    fn is_image(&self) -> bool {
        let attestation = self
            .annotations
            .as_ref()
            .and_then(|a| a.get("vnd.docker.reference.type"))
            .is_some_and(|t| t == "attestation-manifest");
        let unknown = self
            .platform
            .as_ref()
            .is_some_and(|p| p.os == "unknown" && p.architecture == "unknown");
        !attestation && !unknown
    }
}

/// Why [`RegistryImage::try_resolve`] read no image.
#[derive(Debug)]
pub struct ResolveError {
    /// The failure, naming the image and what to do (exit status 2 in the CLI); boxed, so
    /// that the result stays small.
    pub error: Box<Error>,
    /// True only when the registry answered that the repository or manifest does not exist
    /// (404), or could not be reached (refused, timed out), for the manifest the reference
    /// names: a location a pull may pass over to try the next. An authentication error, a
    /// denial, a digest mismatch, or a missing manifest below an index is never absent.
    pub absent: bool,
}

impl From<Error> for ResolveError {
    fn from(error: Error) -> Self {
        ResolveError {
            error: Box::new(error),
            absent: false,
        }
    }
}

impl RegistryImage {
    /// [`RegistryImage::try_resolve`], its error alone.
    pub fn resolve(reference: &str, options: &RegistryOptions) -> Result<RegistryImage, Error> {
        Self::try_resolve(reference, options).map_err(|e| *e.error)
    }

    /// Reads the manifest `reference` names (`REF` of `docker://REF`: by tag, by digest,
    /// `latest` when it names neither, as skopeo and crane do), and through an image index
    /// the manifest of the platform asked for. Every manifest is checked against its digest
    /// (the one the reference or the index names; by tag, the one computed is reported).
    pub fn try_resolve(
        reference: &str,
        options: &RegistryOptions,
    ) -> Result<RegistryImage, ResolveError> {
        // Before any byte is read: digests use the SHA-256 the power-on tests cover, and
        // TLS the DRBG and public-key algorithms of the conditional ones. A failed test is
        // the self-test error itself (never a registry error), and nothing is read.
        fips_core::randomness_selftest().map_err(|e| ResolveError::from(Error::from(e)))?;
        let shown = format!("{DOCKER_TRANSPORT}{reference}");
        let fail = |why: String| ResolveError::from(failed(&shown, why));
        let image = ImageRef::parse(reference).map_err(|e| fail(e.to_string()))?;
        let oci_ref = match (&image.digest, &image.tag) {
            (Some(d), _) => {
                Reference::with_digest(image.registry.clone(), image.repository.clone(), d.clone())
            }
            (None, tag) => Reference::with_tag(
                image.registry.clone(),
                image.repository.clone(),
                tag.clone().unwrap_or_else(|| "latest".into()),
            ),
        };
        let config = client_config(options).map_err(&fail)?;
        let client = Client::try_from(config)
            .map_err(|e| fail(format!("setting up the registry client: {e}")))?;
        let auth = registry_auth(options, &image.registry).map_err(&fail)?;
        let runtime = tokio::runtime::Builder::new_multi_thread()
            .worker_threads(1)
            .enable_all()
            .build()
            .map_err(|e| fail(format!("starting the network runtime: {e}")))?;

        let fetch =
            |r: &Reference, want: Option<&str>| -> Result<(Vec<u8>, String), ResolveError> {
                let what = format!("manifest {}", want.unwrap_or(&r.whole()));
                let (body, _) = runtime
                    .block_on(client.pull_manifest_raw(r, &auth, ACCEPT))
                    .map_err(|e| ResolveError {
                        error: Box::new(failed(&shown, describe(&e, &what))),
                        absent: is_absent(&e),
                    })?;
                if body.len() > MAX_MANIFEST {
                    return Err(fail(format!(
                        "{what}: larger than {MAX_MANIFEST} bytes; not an image manifest"
                    )));
                }
                let got = sha256_text(&body);
                if let Some(want) = want {
                    sha256_of(want).map_err(&fail)?;
                    if got != want {
                        return Err(fail(format!(
                            "manifest {want}: the registry sent a document whose digest is {got}; \
                         refusing it"
                        )));
                    }
                }
                Ok((body.to_vec(), got))
            };

        let (root, digest) = fetch(&oci_ref, image.digest.as_deref())?;
        let doc: Document = serde_json::from_slice(&root)
            .map_err(|e| fail(format!("manifest {digest}: not JSON: {e}")))?;
        let mut manifests = BTreeMap::new();
        let mut listed = Vec::new();
        match (&doc.manifests, &doc.layers) {
            (Some(entries), _) => {
                let chosen = choose(entries, options)
                    .map_err(|why| fail(format!("the image index {digest}: {why}")))?;
                if chosen.len() > MAX_PLATFORMS {
                    return Err(fail(format!(
                        "the image index {digest} lists more than {MAX_PLATFORMS} images"
                    )));
                }
                if chosen.is_empty() {
                    return Err(fail(format!("the image index {digest} lists no image")));
                }
                for entry in chosen {
                    let child_ref = Reference::with_digest(
                        image.registry.clone(),
                        image.repository.clone(),
                        entry.digest.clone(),
                    );
                    let (body, _) = fetch(&child_ref, Some(&entry.digest))
                        .map_err(|e| ResolveError { absent: false, ..e })?;
                    let child: Document = serde_json::from_slice(&body)
                        .map_err(|e| fail(format!("manifest {}: not JSON: {e}", entry.digest)))?;
                    if child.layers.is_none() {
                        return Err(fail(format!(
                            "manifest {}: an image index inside an image index; only image \
                             manifests are read below an index",
                            entry.digest
                        )));
                    }
                    let label = entry
                        .platform
                        .as_ref()
                        .map(EntryPlatform::text)
                        .unwrap_or_else(|| entry.digest.clone());
                    let media_type = entry.media_type.clone().or(child.media_type);
                    listed.push((entry.digest.clone(), media_type, body.len(), label));
                    manifests.insert(entry.digest.clone(), body);
                }
            }
            (None, Some(_)) => {
                listed.push((
                    digest.clone(),
                    doc.media_type.clone(),
                    root.len(),
                    image.to_string(),
                ));
            }
            (None, None) => {
                return Err(fail(format!(
                    "manifest {digest}: neither an image manifest (layers) nor an index \
                     (manifests)"
                )))
            }
        }
        manifests.insert(digest.clone(), root);
        let index = serde_json::json!({
            "schemaVersion": 2,
            "mediaType": "application/vnd.oci.image.index.v1+json",
            "manifests": listed.iter().map(|(d, media_type, size, label)| serde_json::json!({
                "mediaType": media_type.as_deref().unwrap_or("application/vnd.oci.image.manifest.v1+json"),
                "digest": d,
                "size": size,
                "annotations": { "org.opencontainers.image.ref.name": label },
            })).collect::<Vec<_>>(),
        });
        let index = serde_json::to_vec(&index).map_err(|e| fail(e.to_string()))?;
        let transfer = Arc::new(Transfer::of_manifests(
            manifests.values().map(Vec::as_slice),
        ));
        Ok(RegistryImage {
            name: shown,
            reference: oci_ref,
            runtime,
            client,
            manifests,
            index,
            digest,
            platforms: listed.into_iter().map(|(_, _, _, l)| l).collect(),
            budget: ImageBudget::new(options.max_image_bytes),
            max_blob_bytes: options.max_blob_bytes,
            transfer,
        })
    }

    /// The digest of the manifest (or index) the reference resolved to: what was read.
    pub fn digest(&self) -> &str {
        &self.digest
    }

    /// The platforms scanned (the reference itself for an image that is not an index).
    pub fn platforms(&self) -> &[String] {
        &self.platforms
    }

    /// The download so far, for a progress display; it keeps counting while the scan reads.
    pub fn transfer(&self) -> Arc<Transfer> {
        self.transfer.clone()
    }

    fn blob(&self, digest: &str) -> Result<Box<dyn Read + '_>, Error> {
        let fail = |why: String| failed(&self.name, why);
        let what = format!("blob {digest}");
        let desc = OciDescriptor {
            digest: digest.to_owned(),
            ..Default::default()
        };
        let stream = self
            .runtime
            .block_on(self.client.pull_blob_stream(&self.reference, &desc))
            .map_err(|e| fail(describe(&e, &what)))?;
        if let Some(len) = stream.content_length.filter(|n| *n > self.max_blob_bytes) {
            return Err(fail(format!(
                "{what}: {len} bytes, more than the per-blob bound of {}",
                self.max_blob_bytes
            )));
        }
        let (tx, rx) = channel();
        let reader = VerifiedReader::new(rx, digest, self.max_blob_bytes, self.budget.clone())
            .map_err(&fail)?;
        self.transfer.blob_started();
        let transfer = self.transfer.clone();
        self.runtime.spawn(async move {
            let mut stream = stream;
            while let Some(item) = stream.next().await {
                if let Ok(bytes) = &item {
                    transfer.received(bytes.len());
                }
                let item = item.map(|b| b.to_vec()).map_err(|e| e.to_string());
                let last = item.is_err();
                // The reader gone (the scan stopped): stop downloading.
                if tx.send(item).await.is_err() || last {
                    break;
                }
            }
        });
        Ok(Box::new(reader))
    }
}

impl ImageSource for RegistryImage {
    fn name(&self) -> &str {
        &self.name
    }

    fn open(&self, name: &str) -> Result<Option<Box<dyn Read + '_>>, Error> {
        let memory = |bytes: &[u8]| -> Result<Option<Box<dyn Read>>, Error> {
            Ok(Some(Box::new(Cursor::new(bytes.to_vec()))))
        };
        match name {
            "oci-layout" => memory(br#"{"imageLayoutVersion":"1.0.0"}"#),
            "index.json" => memory(&self.index),
            _ => {
                let Some(hex) = name.strip_prefix("blobs/sha256/") else {
                    return Ok(None);
                };
                let digest = format!("sha256:{hex}");
                match self.manifests.get(&digest) {
                    Some(bytes) => memory(bytes),
                    None => self.blob(&digest).map(Some),
                }
            }
        }
    }
}

/// The entries of an index to scan: every image for `--all-platforms`, else the one of
/// the platform asked for (several variants and none named: the one without a variant).
fn choose<'a>(
    entries: &'a [IndexEntry],
    options: &RegistryOptions,
) -> Result<Vec<&'a IndexEntry>, String> {
    let images: Vec<&IndexEntry> = entries.iter().filter(|e| e.is_image()).collect();
    if options.all_platforms {
        return Ok(images);
    }
    let texts = |list: &[&IndexEntry]| -> String {
        let t: Vec<String> = list
            .iter()
            .filter_map(|e| e.platform.as_ref().map(EntryPlatform::text))
            .collect();
        if t.is_empty() {
            "none".into()
        } else {
            t.join(", ")
        }
    };
    let matching: Vec<&IndexEntry> = images
        .iter()
        .copied()
        .filter(|e| {
            e.platform
                .as_ref()
                .is_some_and(|p| options.platform.matches(p))
        })
        .collect();
    match matching.as_slice() {
        [one] => Ok(vec![*one]),
        [] => Err(format!(
            "no manifest for {}; it offers {}: choose one with --platform, or --all-platforms",
            options.platform,
            texts(&images)
        )),
        many => many
            .iter()
            .find(|e| e.platform.as_ref().is_some_and(|p| p.variant.is_none()))
            .map(|plain| vec![*plain])
            .ok_or_else(|| {
                format!(
                    "several manifests for {} ({}); name the variant with --platform \
                     os/arch/variant",
                    options.platform,
                    texts(many)
                )
            }),
    }
}

fn client_config(options: &RegistryOptions) -> Result<ClientConfig, String> {
    let mut certificates = Vec::new();
    for path in &options.ca_certificates {
        let data =
            std::fs::read(path).map_err(|e| format!("CA certificate {}: {e}", path.display()))?;
        certificates.push(Certificate {
            encoding: CertificateEncoding::Pem,
            data,
        });
    }
    // Plain HTTP only for the registries named; never for another one.
    let protocol = if options.insecure_registries.is_empty() {
        ClientProtocol::Https
    } else {
        ClientProtocol::HttpsExcept(options.insecure_registries.clone())
    };
    Ok(ClientConfig {
        protocol,
        extra_root_certificates: certificates,
        connect_timeout: Some(options.connect_timeout),
        read_timeout: Some(options.read_timeout),
        ..Default::default()
    })
}

fn registry_auth(options: &RegistryOptions, registry: &str) -> Result<RegistryAuth, String> {
    let config = options.docker_config.clone().or_else(docker_config_path);
    let credentials = match config {
        Some(path) => Credentials::for_registry(&path, registry)?,
        None => None,
    };
    Ok(match credentials {
        Some(c) => RegistryAuth::Basic(c.user, c.password),
        None => RegistryAuth::Anonymous,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    /// An index as BuildKit writes it: two platforms, each with an attestation manifest
    /// (`unknown/unknown`, `vnd.docker.reference.type: attestation-manifest`).
    fn index() -> Vec<IndexEntry> {
        serde_json::from_str(
            r#"[
              {"digest":"sha256:a","platform":{"os":"linux","architecture":"amd64"}},
              {"digest":"sha256:b","platform":{"os":"linux","architecture":"arm64","variant":"v8"}},
              {"digest":"sha256:c","platform":{"os":"unknown","architecture":"unknown"},
               "annotations":{"vnd.docker.reference.type":"attestation-manifest"}}
            ]"#,
        )
        .unwrap()
    }

    fn digests(list: Vec<&IndexEntry>) -> Vec<&str> {
        list.into_iter().map(|e| e.digest.as_str()).collect()
    }

    #[test]
    fn an_index_resolves_to_the_platform_asked_for_never_an_attestation() {
        let entries = index();
        let mut options = RegistryOptions::default();
        assert_eq!(digests(choose(&entries, &options).unwrap()), ["sha256:a"]);
        options.platform = "linux/arm64".parse().unwrap();
        assert_eq!(digests(choose(&entries, &options).unwrap()), ["sha256:b"]);
        options.platform = "linux/s390x".parse().unwrap();
        let err = choose(&entries, &options).unwrap_err();
        assert!(err.contains("linux/amd64, linux/arm64/v8"), "{err}");
        options.all_platforms = true;
        assert_eq!(
            digests(choose(&entries, &options).unwrap()),
            ["sha256:a", "sha256:b"]
        );
    }
}
