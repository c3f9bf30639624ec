//! Where an image's blobs come from: the seam between the image reader and its storage.
//!
//! A [`BlobSource`] opens blobs by name; manifests, the overlay and the judge never know
//! which kind of source it is. Two exist: an OCI layout directory (blobs opened confined to
//! it, symlinks resolved inside it) and a `docker save` / OCI tar archive (members indexed
//! once with the strict tar reader, then read in place). A registry is a third.

use std::{
    collections::BTreeMap,
    fs::File,
    io::{self, Read},
    path::{Path, PathBuf},
};

use super::{
    bytes::{read_up_to, sha256, Sha256, Window},
    layer::normalize,
    tar::{Kind, Positioned, TarReader},
};
use crate::{root::Root, Error, ScanError};

/// JSON documents (manifests, indexes, configs) are small.
pub(crate) const MAX_JSON: u64 = 4 << 20;
/// Members of an archive at most.
const MAX_MEMBERS: usize = 2_000_000;

/// A store of blobs, addressed by name (`blobs/sha256/<hex>`, `manifest.json`, a member
/// path of a `docker save` archive).
pub(crate) trait BlobSource {
    /// The archive or directory, as the user named it.
    fn path(&self) -> &Path;

    /// Opens a blob; `None` when it does not exist.
    fn open(&self, name: &str) -> Result<Option<Box<dyn Read + '_>>, Error>;

    /// An error about this store.
    fn malformed(&self, reason: String) -> Error {
        ScanError::Malformed {
            path: self.path().to_owned(),
            reason,
        }
        .into()
    }

    /// An I/O error reading this store.
    fn io(&self, source: io::Error) -> Error {
        ScanError::Io {
            path: self.path().to_owned(),
            source,
        }
        .into()
    }

    /// A small document whole, with its SHA-256; `None` when it does not exist.
    fn document(&self, name: &str) -> Result<Option<(Vec<u8>, Sha256)>, Error> {
        let Some(mut r) = self.open(name)? else {
            return Ok(None);
        };
        let mut text = vec![0u8; MAX_JSON as usize + 1];
        let n = read_up_to(&mut r, &mut text).map_err(|e| self.io(e))?;
        if n as u64 > MAX_JSON {
            return Err(self.malformed(format!(
                "{name} is larger than {MAX_JSON} bytes; image JSON documents are smaller"
            )));
        }
        text.truncate(n);
        let digest = sha256(&text);
        Ok(Some((text, digest)))
    }
}

/// An OCI image layout directory.
pub(crate) struct LayoutDir {
    path: PathBuf,
    root: Root,
}

impl LayoutDir {
    pub(crate) fn open(path: &Path) -> Result<LayoutDir, Error> {
        Ok(LayoutDir {
            path: path.to_owned(),
            root: Root::open(path)?,
        })
    }
}

impl BlobSource for LayoutDir {
    fn path(&self) -> &Path {
        &self.path
    }

    fn open(&self, name: &str) -> Result<Option<Box<dyn Read + '_>>, Error> {
        Ok(self
            .root
            .open_file(name)?
            .map(|f| Box::new(f) as Box<dyn Read>))
    }
}

/// A tar archive: member name -> (offset, size) of its data.
pub(crate) struct Archive {
    path: PathBuf,
    file: File,
    members: BTreeMap<Vec<u8>, (u64, u64)>,
}

/// Counts the bytes read, so member data offsets are known.
struct Position<R> {
    inner: R,
    at: u64,
}

impl<R: Read> Read for Position<R> {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        let n = self.inner.read(buf)?;
        self.at += n as u64;
        Ok(n)
    }
}

impl Archive {
    /// Indexes the archive's members (regular files, and symlinks to them as containerd's
    /// importer resolves them for `docker save` layers).
    pub(crate) fn index(path: &Path, file: File) -> Result<Archive, Error> {
        let malformed = |reason: String| -> Error {
            ScanError::Malformed {
                path: path.to_owned(),
                reason,
            }
            .into()
        };
        let reader = file.try_clone().map_err(|e| ScanError::Io {
            path: path.to_owned(),
            source: e,
        })?;
        let mut tar = TarReader::new(Position {
            inner: io::BufReader::new(reader),
            at: 0,
        });
        let mut members = BTreeMap::new();
        let mut links = Vec::new();
        let mut n = 0usize;
        loop {
            let h = match tar.next() {
                Ok(Some(h)) => h,
                Ok(None) => break,
                Err(e) => return Err(malformed(format!("not a readable tar archive: {e}"))),
            };
            n += 1;
            if n > MAX_MEMBERS {
                return Err(malformed(format!("more than {MAX_MEMBERS} entries")));
            }
            let name = normalize(&h.name);
            match h.kind {
                Kind::Regular => {
                    let offset = tar.position();
                    members.insert(name, (offset, h.size));
                }
                Kind::Symlink => {
                    let mut target = match name.iter().rposition(|b| *b == b'/') {
                        Some(i) => name[..=i].to_vec(),
                        None => Vec::new(),
                    };
                    target.extend_from_slice(&h.link);
                    links.push((name, normalize(&target)));
                }
                _ => {}
            }
        }
        for (name, target) in links {
            if let Some(&m) = members.get(&target) {
                members.entry(name).or_insert(m);
            }
        }
        Ok(Archive {
            path: path.to_owned(),
            file,
            members,
        })
    }
}

impl<R> Positioned for Position<R> {
    fn position(&self) -> u64 {
        self.at
    }
}

impl BlobSource for Archive {
    fn path(&self) -> &Path {
        &self.path
    }

    fn open(&self, name: &str) -> Result<Option<Box<dyn Read + '_>>, Error> {
        match self.members.get(&normalize(name.as_bytes())) {
            None => Ok(None),
            Some(&(offset, len)) => {
                let file = self.file.try_clone().map_err(|e| self.io(e))?;
                Ok(Some(Box::new(io::BufReader::with_capacity(
                    1 << 16,
                    Window::new(file, offset, len),
                ))))
            }
        }
    }
}

/// `blobs/<algorithm>/<encoded>` for a digest, refusing anything that is not one
/// (OCI image spec, "Digests": algorithm `[a-z0-9]+([+._-][a-z0-9]+)*`, encoded
/// `[a-zA-Z0-9=_-]+`).
pub(crate) fn blob_path(digest: &str) -> Result<String, String> {
    let bad = || {
        format!("invalid digest {digest:?}: expected algorithm:hex, e.g. sha256:<64 hex digits>")
    };
    let (alg, enc) = digest.split_once(':').ok_or_else(bad)?;
    let alg_ok = !alg.is_empty()
        && alg
            .bytes()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b"+._-".contains(&b))
        && !alg.starts_with(['+', '.', '_', '-']);
    let enc_ok = !enc.is_empty()
        && enc
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b"=_-".contains(&b));
    if alg_ok && enc_ok {
        Ok(format!("blobs/{alg}/{enc}"))
    } else {
        Err(bad())
    }
}

/// The SHA-256 a digest names; other algorithms cannot be verified and are refused.
pub(crate) fn sha256_of_digest(digest: &str) -> Result<Sha256, String> {
    let hex = digest.strip_prefix("sha256:").ok_or_else(|| {
        format!("digest {digest:?}: only sha256 digests can be verified by this scanner")
    })?;
    let bytes = hex.as_bytes();
    if bytes.len() != 64
        || !bytes
            .iter()
            .all(|b| b.is_ascii_digit() || (b'a'..=b'f').contains(b))
    {
        return Err(format!(
            "digest {digest:?}: a sha256 digest is 64 lowercase hex digits"
        ));
    }
    let mut out = [0u8; 32];
    for (i, pair) in bytes.chunks(2).enumerate() {
        let v = |c: u8| {
            if c.is_ascii_digit() {
                c - b'0'
            } else {
                c - b'a' + 10
            }
        };
        out[i] = v(pair[0]) << 4 | v(pair[1]);
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn digests_are_checked() {
        assert_eq!(blob_path("sha256:abc").unwrap(), "blobs/sha256/abc");
        for bad in [
            "sha256:../../etc",
            "../x:abc",
            "sha256",
            "sha256:",
            "SHA:ab",
        ] {
            assert!(blob_path(bad).is_err(), "{bad}");
        }
        assert!(sha256_of_digest("sha256:abc").is_err());
        assert!(sha256_of_digest(&format!("sha512:{}", "0".repeat(128))).is_err());
        assert_eq!(
            sha256_of_digest(&format!("sha256:{}", "0f".repeat(32))).unwrap(),
            [0x0f; 32]
        );
    }
}
