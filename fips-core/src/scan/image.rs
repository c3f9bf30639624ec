//! Container images without a daemon: an OCI image layout directory, or a `docker save` /
//! OCI tar archive.
//!
//! From top to bottom: the store ([`super::store`]) says where blobs are, the manifests
//! ([`super::manifest`]) say which images and layers there are and with which digests, each
//! distinct layer blob is read once per call ([`super::layer`]) and used only once its
//! digest is checked, the layers are applied ([`super::overlay`]), and each file of the
//! final tree that may be a binary goes through the per-file pipeline. Symlinks of the final
//! tree named as components are followed inside the image.

use std::{collections::HashMap, path::Path, rc::Rc};

use super::{
    bytes::sha256_text,
    is_component,
    layer::{base_name_text, read_layer, Layer},
    manifest::{images, ImageSpec, LayerRef},
    overlay::{Node, Overlay, Resolved},
    provider::OpensslFips,
    scan_reader,
    store::{Archive, BlobSource, LayoutDir},
    unreadable, Call,
};
use crate::Error;

/// Layers per image at most (the Docker engine's limit is 127).
const MAX_LAYERS: usize = 256;

/// True when `dir` is an OCI image layout (has `oci-layout` and `index.json`).
pub(crate) fn is_oci_layout(dir: &Path) -> bool {
    dir.join("oci-layout").is_file() && dir.join("index.json").is_file()
}

/// True when the first block of a file is a tar header (`ustar` magic at 257).
pub(crate) fn is_tar(head: &[u8]) -> bool {
    head.get(257..262) == Some(b"ustar")
}

/// Scans an OCI image layout directory.
pub(crate) fn scan_layout(dir: &Path, call: &mut Call<'_>) -> Result<(), Error> {
    scan_store(&LayoutDir::open(dir)?, call)
}

/// Scans a `docker save` or OCI tar archive.
pub(crate) fn scan_archive(
    path: &Path,
    file: std::fs::File,
    call: &mut Call<'_>,
) -> Result<(), Error> {
    scan_store(&Archive::index(path, file)?, call)
}

/// Scans every image of a store.
pub(crate) fn scan_store(store: &dyn BlobSource, call: &mut Call<'_>) -> Result<(), Error> {
    let images = images(store)?;
    let many = images.len() > 1;
    let mut layers = Layers::default();
    for image in &images {
        let prefix = if many {
            format!("{}@{}", store.path().display(), image.name)
        } else {
            store.path().display().to_string()
        };
        scan_image(store, image, &prefix, &mut layers, call)?;
    }
    Ok(())
}

/// Layers already read in this call, by blob name: each distinct blob is read once.
#[derive(Default)]
struct Layers {
    read: HashMap<String, Rc<Layer>>,
}

impl Layers {
    /// The layer, read (once) and checked against the digests `r` expects.
    fn get(
        &mut self,
        store: &dyn BlobSource,
        r: &LayerRef,
        call: &Call<'_>,
    ) -> Result<Rc<Layer>, Error> {
        let layer = match self.read.get(&r.blob) {
            Some(l) => l.clone(),
            None => {
                let blob = store.open(&r.blob)?.ok_or_else(|| {
                    store.malformed(format!("layer {} is listed but missing", r.blob))
                })?;
                let layer = read_layer(blob, &r.blob, &call.budget, call.policy)
                    .map_err(|e| store.malformed(format!("layer {}: {e}", r.blob)))?;
                let layer = Rc::new(layer);
                self.read.insert(r.blob.clone(), layer.clone());
                layer
            }
        };
        let checks = [
            (r.blob_digest, layer.blob_digest, "digest"),
            (
                r.diff_digest,
                layer.diff_digest,
                "diff ID (rootfs.diff_ids)",
            ),
        ];
        for (want, got, what) in checks {
            if let Some(want) = want {
                if want != got {
                    return Err(store.malformed(format!(
                        "layer {}: listed with {what} {}, but its content has {}; refusing it",
                        r.blob,
                        sha256_text(&want),
                        sha256_text(&got)
                    )));
                }
            }
        }
        Ok(layer)
    }
}

fn scan_image(
    store: &dyn BlobSource,
    image: &ImageSpec,
    prefix: &str,
    layers: &mut Layers,
    call: &mut Call<'_>,
) -> Result<(), Error> {
    if image.layers.len() > MAX_LAYERS {
        return Err(store.malformed(format!(
            "image {} has {} layers; at most {MAX_LAYERS} are read",
            image.name,
            image.layers.len()
        )));
    }
    // Every layer is read and checked before any of its files is judged.
    let read = image
        .layers
        .iter()
        .map(|r| layers.get(store, r, call))
        .collect::<Result<Vec<_>, _>>()?;
    let mut overlay = Overlay::default();
    for (i, layer) in read.iter().enumerate() {
        overlay.apply(i, i, &layer.entries);
    }
    let openssl_fips = OpensslFips::find(overlay.nodes().filter_map(|(path, node)| {
        let file = match node {
            Node::File { .. } => true,
            Node::Symlink(_) => matches!(overlay.resolve(path), Resolved::File(..)),
        };
        file.then_some(path.as_slice())
    }));
    let show = |path: &[u8]| format!("{prefix}!/{}", String::from_utf8_lossy(path));
    for (path, node) in overlay.nodes() {
        let name = base_name_text(path);
        let component = is_component(call.policy, &name, None);
        match node {
            Node::File { layer, data } => {
                if !data.is_elf() && !component {
                    call.skipped.not_binary += 1;
                    continue;
                }
                let bytes = read[*layer].open(data).map_err(|e| store.io(e))?;
                let result = scan_reader(bytes, &show(path), &name, false, call.policy);
                call.emit(openssl_fips.judge(result, &name));
            }
            Node::Symlink(_) if component => match overlay.resolve(path) {
                Resolved::File(layer, data) => {
                    let bytes = read[layer].open(data).map_err(|e| store.io(e))?;
                    let result = scan_reader(bytes, &show(path), &name, false, call.policy);
                    call.emit(openssl_fips.judge(result, &name));
                }
                Resolved::Loop => call.emit(unreadable(
                    Path::new(&show(path)),
                    &name,
                    "more than 40 symlinks (a loop)".into(),
                    call.policy,
                )),
                Resolved::Missing => call.skipped.dangling += 1,
            },
            Node::Symlink(_) => call.skipped.links += 1,
        }
    }
    Ok(())
}
