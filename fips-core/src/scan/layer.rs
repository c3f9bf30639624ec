//! One layer, read once: its blob streamed through a SHA-256, decompressed (every gzip
//! member), charged to the call's budget, hashed again (the diff ID), and listed with the
//! strict tar reader. The data of the files that may get a result (ELF files and files the
//! policy names) is copied to a private spill file as it streams, so nothing is read twice
//! and nothing is trusted before both digests are known.

use std::io::{self, Read};

use flate2::read::MultiGzDecoder;

use super::{
    bytes::{read_up_to, Budget, Budgeted, Hashing, Sha256, Spill, Window},
    is_component,
    tar::{Kind, TarReader},
};
use crate::Policy;

/// A file copied out of a layer at most.
const MAX_SPILL: u64 = 4 << 30;

/// A file's data as the layer holds it.
#[derive(Clone, Debug)]
pub(crate) struct FileData {
    /// The first bytes (at most 4): enough to tell an ELF file.
    pub(crate) head: Vec<u8>,
    /// Where the whole data was copied in the layer's spill file.
    pub(crate) spilled: Option<(u64, u64)>,
}

impl FileData {
    pub(crate) fn is_elf(&self) -> bool {
        self.head == b"\x7fELF"
    }
}

/// What one entry of a layer is.
#[derive(Clone, Debug)]
pub(crate) enum EntryKind {
    File(FileData),
    Dir,
    /// The link target, as written.
    Symlink(Vec<u8>),
    /// The target path, normalised.
    HardLink(Vec<u8>),
    /// Devices and fifos: nothing to judge, but they replace what was there.
    Other,
}

/// One entry: its normalised path inside the image, and what it is.
#[derive(Clone, Debug)]
pub(crate) struct Entry {
    pub(crate) path: Vec<u8>,
    pub(crate) kind: EntryKind,
}

/// A layer's entries in order, with the digests of its blob and of its tar stream.
#[derive(Debug)]
pub(crate) struct Layer {
    pub(crate) entries: Vec<Entry>,
    pub(crate) spill: Spill,
    /// SHA-256 of the blob as stored (the OCI descriptor's digest).
    pub(crate) blob_digest: Sha256,
    /// SHA-256 of the uncompressed tar stream (the config's `rootfs.diff_ids`).
    pub(crate) diff_digest: Sha256,
}

impl Layer {
    /// The bytes of a file of this layer, for the per-file pipeline.
    pub(crate) fn open(&self, data: &FileData) -> io::Result<FileBytes> {
        Ok(match data.spilled {
            Some(range) => FileBytes::Spilled(self.spill.window(range)?),
            None => FileBytes::Head(io::Cursor::new(data.head.clone())),
        })
    }
}

/// A file's bytes: the spilled copy, or only its first bytes (a file that is not ELF).
#[derive(Debug)]
pub(crate) enum FileBytes {
    Spilled(Window),
    Head(io::Cursor<Vec<u8>>),
}

impl Read for FileBytes {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        match self {
            FileBytes::Spilled(w) => w.read(buf),
            FileBytes::Head(c) => c.read(buf),
        }
    }
}

impl io::Seek for FileBytes {
    fn seek(&mut self, pos: io::SeekFrom) -> io::Result<u64> {
        match self {
            FileBytes::Spilled(w) => w.seek(pos),
            FileBytes::Head(c) => c.seek(pos),
        }
    }
}

/// How a layer's bytes are stored, told by their first bytes as containerd's
/// `compression.DetectCompression` tells them.
fn decompressor<'a, R: Read + 'a>(mut blob: R, name: &str) -> Result<Box<dyn Read + 'a>, String> {
    let mut head = [0u8; 4];
    let n = read_up_to(&mut blob, &mut head).map_err(|e| e.to_string())?;
    let blob = io::Cursor::new(head[..n].to_vec()).chain(blob);
    match &head[..n] {
        [0x1f, 0x8b, ..] => Ok(Box::new(MultiGzDecoder::new(blob))),
        // Every frame, as containerd's zstd reader reads them (RFC 8878 frames may follow
        // one another).
        [0x28, 0xb5, 0x2f, 0xfd] => Ok(Box::new(
            zstd::stream::read::Decoder::new(blob)
                .map_err(|e| format!("layer {name}: starting zstd: {e}"))?,
        )),
        _ => Ok(Box::new(blob)),
    }
}

/// Reads a layer blob whole. Nothing of it may be used before the caller has checked
/// [`Layer::blob_digest`] or [`Layer::diff_digest`].
pub(crate) fn read_layer(
    blob: impl Read,
    name: &str,
    budget: &Budget,
    policy: &Policy,
) -> Result<Layer, String> {
    let mut raw = Hashing::new(blob);
    let layer = {
        let stream = decompressor(&mut raw, name)?;
        let mut diff = Hashing::new(Budgeted::new(stream, budget));
        let (entries, spill) = list(&mut diff, budget, policy)?;
        // Containerd reads a layer to its end to check its diff ID; so does the scanner:
        // data after the tar's end counts, and a damaged gzip trailer is an error.
        io::copy(&mut diff, &mut io::sink()).map_err(|e| e.to_string())?;
        let (_, diff_digest) = diff.finish();
        (entries, spill, diff_digest)
    };
    // Bytes after the last gzip member (MultiGzDecoder stops only at EOF or an error).
    let mut rest = [0u8; 1];
    if read_up_to(&mut raw, &mut rest).map_err(|e| e.to_string())? != 0 {
        return Err("data after the end of the compressed layer".into());
    }
    let (_, blob_digest) = raw.finish();
    let (entries, spill, diff_digest) = layer;
    Ok(Layer {
        entries,
        spill,
        blob_digest,
        diff_digest,
    })
}

fn list(
    stream: &mut impl Read,
    budget: &Budget,
    policy: &Policy,
) -> Result<(Vec<Entry>, Spill), String> {
    let mut spill = Spill::create().map_err(|e| format!("creating a temporary file: {e}"))?;
    let mut entries = Vec::new();
    let mut tar = TarReader::new(stream);
    while let Some(h) = tar.next()? {
        budget.take_entry()?;
        let path = normalize(&h.name);
        let kind = match h.kind {
            Kind::Regular => {
                let mut data = tar.data();
                let mut head = [0u8; 4];
                let n = read_up_to(&mut data, &mut head).map_err(|e| e.to_string())?;
                let head = head[..n].to_vec();
                let wanted =
                    head == b"\x7fELF" || is_component(policy, &base_name_text(&path), None);
                let spilled = if wanted {
                    let mut whole = io::Cursor::new(head.clone()).chain(&mut data);
                    Some(
                        spill
                            .append(&mut whole, MAX_SPILL)
                            .map_err(|e| format!("{}: {e}", String::from_utf8_lossy(&path)))?,
                    )
                } else {
                    None
                };
                EntryKind::File(FileData { head, spilled })
            }
            Kind::Dir => EntryKind::Dir,
            Kind::Symlink => EntryKind::Symlink(h.link),
            Kind::HardLink => EntryKind::HardLink(normalize(&h.link)),
            Kind::CharDevice | Kind::BlockDevice | Kind::Fifo => EntryKind::Other,
        };
        entries.push(Entry { path, kind });
    }
    Ok((entries, spill))
}

/// The path inside the image: components joined by `/`, `.` dropped, `..` never above the
/// image's root, leading `/` ignored. Bytes stay bytes.
pub(crate) fn normalize(raw: &[u8]) -> Vec<u8> {
    let mut parts: Vec<&[u8]> = Vec::new();
    for c in raw.split(|b| *b == b'/') {
        match c {
            b"" | b"." => {}
            b".." => {
                parts.pop();
            }
            c => parts.push(c),
        }
    }
    parts.join(&b'/')
}

/// The last component of a normalised path.
pub(crate) fn base_name(path: &[u8]) -> &[u8] {
    match path.iter().rposition(|b| *b == b'/') {
        Some(i) => &path[i + 1..],
        None => path,
    }
}

/// A base name as policy components are written: a name that is not UTF-8 names no
/// component (never a lossy look-alike).
pub(crate) fn base_name_text(path: &[u8]) -> String {
    std::str::from_utf8(base_name(path))
        .map(str::to_owned)
        .unwrap_or_default()
}

/// One entry as the differential test compares it with Go's `archive/tar`: kind, name and
/// link target as written, and the SHA-256 of a regular file's data.
#[doc(hidden)]
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct TarEntryView {
    /// `reg`, `link`, `symlink`, `char`, `block`, `dir` or `fifo`.
    pub kind: &'static str,
    /// The name, extensions applied, as bytes.
    pub name: Vec<u8>,
    /// The link target, as bytes.
    pub link: Vec<u8>,
    /// SHA-256 of the data (of nothing, for entries without data).
    pub sha256: [u8; 32],
}

/// Lists a layer blob (gzip or not) as the scanner reads it: a hook for the differential
/// test against Go's `archive/tar`, not an API.
///
/// ```
/// assert!(fips_core::scan_layer_entries(b"not a tar at all").is_err());
/// ```
#[doc(hidden)]
pub fn scan_layer_entries(blob: &[u8]) -> Result<Vec<TarEntryView>, String> {
    let stream = decompressor(blob, "layer")?;
    let mut tar = TarReader::new(stream);
    let mut out = Vec::new();
    while let Some(h) = tar.next()? {
        let mut hash = Hashing::new(tar.data());
        io::copy(&mut hash, &mut io::sink()).map_err(|e| e.to_string())?;
        let (_, sha256) = hash.finish();
        out.push(TarEntryView {
            kind: h.kind.as_str(),
            name: h.name,
            link: h.link,
            sha256,
        });
    }
    let mut stream = tar.into_inner();
    io::copy(&mut stream, &mut io::sink()).map_err(|e| e.to_string())?;
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn paths_stay_inside_the_image_as_bytes() {
        assert_eq!(normalize(b"/etc/passwd"), b"etc/passwd");
        assert_eq!(normalize(b"../../etc/passwd"), b"etc/passwd");
        assert_eq!(normalize(b"usr/./bin/../bin//etcd"), b"usr/bin/etcd");
        assert_eq!(normalize(b"./"), b"");
        assert_eq!(normalize(b"usr/\xff/x"), b"usr/\xff/x");
        assert_eq!(base_name_text(b"usr/bin/kube\xffapiserver"), "");
        assert_eq!(base_name_text(b"usr/bin/etcd"), "etcd");
    }
}
