//! A download seen as a blocking [`Read`]: the async side sends chunks through a bounded
//! channel (so at most [`CHANNEL_CHUNKS`] chunks wait in memory), the reader hashes every
//! byte with SHA-256 (aws-lc-rs) and counts it against a bound, and at the end compares the
//! digest with the one that named the blob. A mismatch, a bound passed or a download error
//! is an error of the read naming the digest: the scanner then drops the layer, and nothing
//! of it reaches a verdict.

use std::{
    io::{self, Read},
    sync::{
        atomic::{AtomicU64, Ordering},
        Arc,
    },
};

use aws_lc_rs::digest;
use tokio::sync::mpsc;

/// Chunks buffered between the download and the reader at most (reqwest yields chunks of
/// at most a few tens of KiB).
pub const CHANNEL_CHUNKS: usize = 16;

/// What a download sends: bytes, or why it stopped.
pub type Chunk = Result<Vec<u8>, String>;

/// Bytes every blob of one image may take together (compressed), shared by its readers.
#[derive(Debug)]
pub struct ImageBudget {
    left: AtomicU64,
    limit: u64,
}

impl ImageBudget {
    /// A budget of `limit` bytes.
    pub fn new(limit: u64) -> Arc<ImageBudget> {
        Arc::new(ImageBudget {
            left: AtomicU64::new(limit),
            limit,
        })
    }

    fn take(&self, n: u64) -> Result<(), String> {
        self.left
            .fetch_update(Ordering::Relaxed, Ordering::Relaxed, |left| {
                left.checked_sub(n)
            })
            .map(|_| ())
            .map_err(|_| {
                format!(
                    "the image's blobs are larger than {} bytes together (the per-image bound)",
                    self.limit
                )
            })
    }
}

/// The blocking end of a download, checked against `sha256:<hex>` as it is read.
pub struct VerifiedReader {
    rx: mpsc::Receiver<Chunk>,
    pending: Vec<u8>,
    at: usize,
    ctx: Option<digest::Context>,
    want: [u8; 32],
    digest: String,
    read: u64,
    blob_limit: u64,
    image: Arc<ImageBudget>,
}

impl std::fmt::Debug for VerifiedReader {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("VerifiedReader")
            .field("digest", &self.digest)
            .field("read", &self.read)
            .finish_non_exhaustive()
    }
}

impl VerifiedReader {
    /// A reader of the blob `digest` (must be `sha256:` and 64 lowercase hex digits) fed
    /// through `rx`, at most `blob_limit` bytes and charged to `image`.
    pub fn new(
        rx: mpsc::Receiver<Chunk>,
        digest: &str,
        blob_limit: u64,
        image: Arc<ImageBudget>,
    ) -> Result<VerifiedReader, String> {
        Ok(VerifiedReader {
            rx,
            pending: Vec::new(),
            at: 0,
            ctx: Some(digest::Context::new(&digest::SHA256)),
            want: sha256_of(digest)?,
            digest: digest.to_owned(),
            read: 0,
            blob_limit,
            image,
        })
    }

    fn fail(&self, why: String) -> io::Error {
        io::Error::other(format!("blob {}: {why}", self.digest))
    }
}

/// The 32 bytes a `sha256:<64 hex>` digest names.
pub(crate) fn sha256_of(digest: &str) -> Result<[u8; 32], String> {
    let hex = digest
        .strip_prefix("sha256:")
        .filter(|h| h.len() == 64 && h.bytes().all(|b| matches!(b, b'0'..=b'9' | b'a'..=b'f')))
        .ok_or_else(|| {
            format!("digest {digest:?}: only sha256:<64 lowercase hex digits> can be verified")
        })?;
    let mut out = [0u8; 32];
    for (i, o) in out.iter_mut().enumerate() {
        *o = u8::from_str_radix(&hex[2 * i..2 * i + 2], 16).map_err(|e| e.to_string())?;
    }
    Ok(out)
}

/// `sha256:<hex>` of `data` (aws-lc-rs).
pub(crate) fn sha256_text(data: &[u8]) -> String {
    hex_digest(digest::digest(&digest::SHA256, data).as_ref())
}

impl Read for VerifiedReader {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        if buf.is_empty() {
            return Ok(0);
        }
        while self.at == self.pending.len() {
            if self.ctx.is_none() {
                return Ok(0);
            }
            match self.rx.blocking_recv() {
                Some(Ok(chunk)) => {
                    let n = chunk.len() as u64;
                    self.read += n;
                    if self.read > self.blob_limit {
                        return Err(self.fail(format!(
                            "larger than {} bytes (the per-blob bound)",
                            self.blob_limit
                        )));
                    }
                    self.image.take(n).map_err(|e| self.fail(e))?;
                    if let Some(ctx) = self.ctx.as_mut() {
                        ctx.update(&chunk);
                    }
                    self.pending = chunk;
                    self.at = 0;
                }
                Some(Err(why)) => return Err(self.fail(why)),
                None => {
                    let Some(ctx) = self.ctx.take() else {
                        return Ok(0);
                    };
                    let got = ctx.finish();
                    if got.as_ref() != self.want {
                        return Err(self.fail(format!(
                            "the registry sent {} bytes whose digest is {}; refusing the blob",
                            self.read,
                            hex_digest(got.as_ref())
                        )));
                    }
                    return Ok(0);
                }
            }
        }
        let n = buf.len().min(self.pending.len() - self.at);
        buf[..n].copy_from_slice(&self.pending[self.at..self.at + n]);
        self.at += n;
        Ok(n)
    }
}

fn hex_digest(d: &[u8]) -> String {
    let mut s = String::from("sha256:");
    for b in d {
        s.push_str(&format!("{b:02x}"));
    }
    s
}

/// A channel for one download.
pub fn channel() -> (mpsc::Sender<Chunk>, mpsc::Receiver<Chunk>) {
    mpsc::channel(CHANNEL_CHUNKS)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn reader(chunks: &[&[u8]], digest: &str, limit: u64) -> VerifiedReader {
        let (tx, rx) = channel();
        let chunks: Vec<Vec<u8>> = chunks.iter().map(|c| c.to_vec()).collect();
        std::thread::spawn(move || {
            for c in chunks {
                if tx.blocking_send(Ok(c)).is_err() {
                    return;
                }
            }
        });
        VerifiedReader::new(rx, digest, limit, ImageBudget::new(1 << 20)).unwrap()
    }

    /// sha256("abc"), FIPS 180-2 appendix B.1.
    const ABC: &str = "sha256:ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad";

    #[test]
    fn a_blob_whose_bytes_match_its_digest_reads_whole() {
        let mut out = Vec::new();
        reader(&[b"a", b"bc"], ABC, 10)
            .read_to_end(&mut out)
            .unwrap();
        assert_eq!(out, b"abc");
    }

    #[test]
    fn a_blob_whose_bytes_do_not_match_its_digest_is_an_error_naming_it() {
        let err = reader(&[b"abd"], ABC, 10)
            .read_to_end(&mut Vec::new())
            .unwrap_err()
            .to_string();
        assert!(err.contains(ABC) && err.contains("refusing"), "{err}");
    }

    #[test]
    fn a_blob_past_its_bound_is_an_error() {
        let err = reader(&[b"ab", b"c"], ABC, 2)
            .read_to_end(&mut Vec::new())
            .unwrap_err()
            .to_string();
        assert!(err.contains("per-blob bound"), "{err}");
    }

    #[test]
    fn digests_other_than_sha256_are_refused() {
        assert!(sha256_of("sha512:00").is_err());
        assert!(sha256_of(&format!("sha256:{}", "A".repeat(64))).is_err());
        assert_eq!(sha256_text(b"abc"), ABC);
    }
}
