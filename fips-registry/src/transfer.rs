//! How much of an image has been downloaded, for progress displays (`fipsctl scan
//! docker://`, `images --scan`), as `crane` and `docker pull` show it: blobs and bytes,
//! each against the total the manifests declare. Counters only: nothing here decides
//! anything, and a registry that sends more than it declared is stopped by the bounds of
//! [`crate::stream`], not here.

use std::{
    collections::BTreeMap,
    sync::atomic::{AtomicU64, Ordering},
};

use serde::Deserialize;

/// The download of one image so far, updated while its blobs stream; read from any thread.
///
/// ```
/// let transfer = fips_registry::Transfer::default();
/// assert_eq!((transfer.blobs(), transfer.bytes()), (0, 0));
/// ```
#[derive(Debug, Default)]
pub struct Transfer {
    blobs: AtomicU64,
    bytes: AtomicU64,
    total_blobs: u64,
    total_bytes: u64,
}

impl Transfer {
    /// A transfer of the blobs the image manifests list (config and layers, each distinct
    /// digest once, as the scanner reads each once).
    pub(crate) fn of_manifests<'a>(manifests: impl IntoIterator<Item = &'a [u8]>) -> Transfer {
        #[derive(Deserialize)]
        struct Descriptor {
            digest: String,
            #[serde(default)]
            size: u64,
        }
        #[derive(Deserialize)]
        struct ImageManifest {
            config: Option<Descriptor>,
            #[serde(default)]
            layers: Vec<Descriptor>,
        }
        let mut blobs = BTreeMap::new();
        for text in manifests {
            // An index (no `layers`) adds nothing; its images are among the manifests.
            if let Ok(manifest) = serde_json::from_slice::<ImageManifest>(text) {
                for d in manifest.config.into_iter().chain(manifest.layers) {
                    blobs.insert(d.digest, d.size);
                }
            }
        }
        Transfer {
            total_blobs: blobs.len() as u64,
            total_bytes: blobs.values().sum(),
            ..Transfer::default()
        }
    }

    pub(crate) fn blob_started(&self) {
        self.blobs.fetch_add(1, Ordering::Relaxed);
    }

    pub(crate) fn received(&self, bytes: usize) {
        self.bytes.fetch_add(bytes as u64, Ordering::Relaxed);
    }

    /// Blobs whose download has started.
    pub fn blobs(&self) -> u64 {
        self.blobs.load(Ordering::Relaxed)
    }

    /// Bytes received, as stored (compressed).
    pub fn bytes(&self) -> u64 {
        self.bytes.load(Ordering::Relaxed)
    }

    /// Distinct blobs the manifests list.
    pub fn total_blobs(&self) -> u64 {
        self.total_blobs
    }

    /// Their sizes as the manifests declare them.
    pub fn total_bytes(&self) -> u64 {
        self.total_bytes
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn totals_count_each_distinct_blob_once() {
        let one = br#"{"config":{"digest":"sha256:c","size":10},
            "layers":[{"digest":"sha256:a","size":100},{"digest":"sha256:b","size":1000}]}"#;
        let two = br#"{"config":{"digest":"sha256:d","size":20},
            "layers":[{"digest":"sha256:a","size":100}]}"#;
        let index = br#"{"manifests":[{"digest":"sha256:x"}]}"#;
        let t = Transfer::of_manifests([&one[..], &two[..], &index[..]]);
        assert_eq!((t.total_blobs(), t.total_bytes()), (4, 1130));
        t.blob_started();
        t.received(42);
        assert_eq!((t.blobs(), t.bytes()), (1, 42));
    }
}
