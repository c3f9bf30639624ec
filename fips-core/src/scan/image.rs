//! Container images without a daemon: an OCI image layout directory, or a `docker save` /
//! OCI tar archive.
//!
//! Layers are applied in order, as a container runtime would (OCI image spec, "Applying
//! Changesets"): a later entry replaces an earlier one, `.wh.<name>` deletes `<name>` of
//! lower layers and `.wh..wh..opq` empties its directory of lower layers' entries. Paths are
//! normalised lexically inside the image (`/etc/x` and `../../x` both land inside it) and
//! symlinks are never followed, so nothing outside the image is ever read or written.
//!
//! Nothing is extracted. An uncompressed layer's files are read in place, at their offset in
//! the archive; a gzip layer is decompressed twice, once to learn which files survive and
//! once to copy each surviving ELF file to a private temporary file (gzip cannot seek).
//! Files that are neither ELF nor named by the policy as components are not reported.
//! Every step is bounded (layers, entries, bytes, JSON sizes).

use std::{
    collections::{BTreeMap, BTreeSet},
    fs::File,
    io::{self, Read, Seek, SeekFrom},
    path::{Path, PathBuf},
};

use flate2::read::GzDecoder;
use serde::Deserialize;

use super::{is_component, scan_reader, ScanResult};
use crate::{root::Root, Error, Policy, ScanError};

/// Layers per image at most (the Docker engine's limit is 127).
const MAX_LAYERS: usize = 256;
/// Images (manifests) per archive or layout at most.
const MAX_IMAGES: usize = 64;
/// Nested image indexes followed at most.
const MAX_INDEX_DEPTH: usize = 4;
/// Tar entries per archive or image at most.
const MAX_ENTRIES: usize = 2_000_000;
/// JSON documents (manifests, indexes, configs) are small.
const MAX_JSON: u64 = 4 << 20;
/// Bytes of one decompressed layer at most: a gzip bomb stops here.
const MAX_LAYER_BYTES: u64 = 32 << 30;
/// A file copied out of a compressed layer at most.
const MAX_SPILL: u64 = 4 << 30;

/// A byte range of a file: a blob of an OCI layout, or a member of a tar archive.
#[derive(Debug)]
struct Blob {
    file: File,
    offset: u64,
    len: u64,
}

impl Blob {
    fn window(&self) -> io::Result<Window> {
        Ok(Window {
            file: self.file.try_clone()?,
            start: self.offset,
            len: self.len,
            pos: 0,
        })
    }
}

/// A `Read + Seek` view of `[start, start + len)` of a file.
#[derive(Debug)]
pub(crate) struct Window {
    file: File,
    start: u64,
    len: u64,
    pos: u64,
}

impl Read for Window {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        let left = self.len.saturating_sub(self.pos);
        let want = buf.len().min(usize::try_from(left).unwrap_or(usize::MAX));
        if want == 0 {
            return Ok(0);
        }
        self.file.seek(SeekFrom::Start(self.start + self.pos))?;
        let n = self.file.read(&mut buf[..want])?;
        self.pos += n as u64;
        Ok(n)
    }
}

impl Seek for Window {
    fn seek(&mut self, pos: SeekFrom) -> io::Result<u64> {
        let target = match pos {
            SeekFrom::Start(p) => Some(p),
            SeekFrom::End(d) => self.len.checked_add_signed(d),
            SeekFrom::Current(d) => self.pos.checked_add_signed(d),
        };
        let target = target.ok_or_else(|| {
            io::Error::new(
                io::ErrorKind::InvalidInput,
                "seek before the start of the blob",
            )
        })?;
        self.pos = target;
        Ok(target)
    }
}

/// Where blobs come from.
enum Source {
    /// An OCI layout directory, read confined to it.
    Dir(Root),
    /// A tar archive: member name -> (offset, size) of its data.
    Tar {
        file: File,
        members: BTreeMap<String, (u64, u64)>,
    },
}

/// One image: a name to show and its layers, in order.
struct Image {
    name: String,
    layers: Vec<String>,
}

/// The archive or layout being scanned.
struct Store {
    path: PathBuf,
    source: Source,
}

impl Store {
    fn malformed(&self, reason: impl Into<String>) -> Error {
        ScanError::Malformed {
            path: self.path.clone(),
            reason: reason.into(),
        }
        .into()
    }

    fn io(&self, source: io::Error) -> Error {
        ScanError::Io {
            path: self.path.clone(),
            source,
        }
        .into()
    }

    fn blob(&self, name: &str) -> Result<Option<Blob>, Error> {
        match &self.source {
            Source::Dir(root) => {
                let Some(file) = root.open_file(name)? else {
                    return Ok(None);
                };
                let len = file.metadata().map_err(|e| self.io(e))?.len();
                Ok(Some(Blob {
                    file,
                    offset: 0,
                    len,
                }))
            }
            Source::Tar { file, members } => match members.get(&normalize(name.as_bytes())) {
                None => Ok(None),
                Some(&(offset, len)) => Ok(Some(Blob {
                    file: file.try_clone().map_err(|e| self.io(e))?,
                    offset,
                    len,
                })),
            },
        }
    }

    fn json<T: for<'de> Deserialize<'de>>(&self, name: &str) -> Result<Option<T>, Error> {
        let Some(blob) = self.blob(name)? else {
            return Ok(None);
        };
        if blob.len > MAX_JSON {
            return Err(self.malformed(format!(
                "{name} is {} bytes; image JSON documents are at most {MAX_JSON}",
                blob.len
            )));
        }
        let mut text = Vec::new();
        blob.window()
            .map_err(|e| self.io(e))?
            .read_to_end(&mut text)
            .map_err(|e| self.io(e))?;
        serde_json::from_slice(&text)
            .map(Some)
            .map_err(|e| self.malformed(format!("{name}: {e}")))
    }
}

/// True when `dir` is an OCI image layout (has `oci-layout` and `index.json`).
pub(crate) fn is_oci_layout(dir: &Path) -> bool {
    dir.join("oci-layout").is_file() && dir.join("index.json").is_file()
}

/// True when the first block of a file is a tar header (`ustar` magic at 257).
pub(crate) fn is_tar(head: &[u8]) -> bool {
    head.get(257..262) == Some(b"ustar")
}

/// Scans an OCI image layout directory.
pub(crate) fn scan_layout(
    dir: &Path,
    policy: &Policy,
    out: &mut Vec<ScanResult>,
) -> Result<(), Error> {
    let store = Store {
        path: dir.to_owned(),
        source: Source::Dir(Root::open(dir)?),
    };
    scan_store(&store, policy, out)
}

/// Scans a `docker save` or OCI tar archive.
pub(crate) fn scan_archive(
    path: &Path,
    file: File,
    policy: &Policy,
    out: &mut Vec<ScanResult>,
) -> Result<(), Error> {
    let mut store = Store {
        path: path.to_owned(),
        source: Source::Tar {
            file: file.try_clone().map_err(|e| io_err(path, e))?,
            members: BTreeMap::new(),
        },
    };
    let mut members = BTreeMap::new();
    let file_len = file.metadata().map_err(|e| io_err(path, e))?.len();
    let mut archive = tar::Archive::new(file);
    let entries = archive
        .entries_with_seek()
        .map_err(|e| malformed(path, format!("not a tar archive: {e}")))?;
    for (n, entry) in entries.enumerate() {
        if n >= MAX_ENTRIES {
            return Err(malformed(path, format!("more than {MAX_ENTRIES} entries")));
        }
        let entry = entry.map_err(|e| malformed(path, format!("tar entry {n}: {e}")))?;
        let (position, size) = (entry.raw_file_position(), entry.size());
        if position.checked_add(size).is_none_or(|end| end > file_len) {
            return Err(malformed(
                path,
                format!(
                    "member {} claims {size} bytes, past the end of the archive",
                    String::from_utf8_lossy(&entry.path_bytes())
                ),
            ));
        }
        if entry.header().entry_type().is_file() {
            members.insert(normalize(&entry.path_bytes()), (position, size));
        }
    }
    if let Source::Tar { members: m, .. } = &mut store.source {
        *m = members;
    }
    scan_store(&store, policy, out)
}

fn malformed(path: &Path, reason: String) -> Error {
    ScanError::Malformed {
        path: path.to_owned(),
        reason,
    }
    .into()
}

fn io_err(path: &Path, source: io::Error) -> Error {
    ScanError::Io {
        path: path.to_owned(),
        source,
    }
    .into()
}

#[derive(Deserialize)]
#[serde(rename_all = "PascalCase")]
struct DockerManifest {
    #[serde(default)]
    repo_tags: Option<Vec<String>>,
    layers: Vec<String>,
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

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct OciDocument {
    #[serde(default)]
    media_type: Option<String>,
    #[serde(default)]
    manifests: Option<Vec<Descriptor>>,
    #[serde(default)]
    layers: Option<Vec<Descriptor>>,
}

fn scan_store(store: &Store, policy: &Policy, out: &mut Vec<ScanResult>) -> Result<(), Error> {
    let images = images(store)?;
    if images.is_empty() {
        return Err(store.malformed(
            "no image found: expected manifest.json (docker save) or index.json (OCI layout)",
        ));
    }
    let many = images.len() > 1;
    for image in &images {
        let prefix = if many {
            format!("{}@{}", store.path.display(), image.name)
        } else {
            store.path.display().to_string()
        };
        scan_image(store, image, &prefix, policy, out)?;
    }
    Ok(())
}

fn images(store: &Store) -> Result<Vec<Image>, Error> {
    if let Some(manifests) = store.json::<Vec<DockerManifest>>("manifest.json")? {
        if manifests.len() > MAX_IMAGES {
            return Err(store.malformed(format!("more than {MAX_IMAGES} images")));
        }
        return Ok(manifests
            .into_iter()
            .enumerate()
            .map(|(i, m)| Image {
                name: m
                    .repo_tags
                    .and_then(|t| t.into_iter().next())
                    .unwrap_or_else(|| format!("image{i}")),
                layers: m.layers,
            })
            .collect());
    }
    let mut found = Vec::new();
    let mut seen = BTreeSet::new();
    if let Some(index) = store.json::<OciDocument>("index.json")? {
        collect_oci(store, &index, None, 0, &mut found, &mut seen)?;
    }
    Ok(found)
}

fn collect_oci(
    store: &Store,
    doc: &OciDocument,
    name: Option<&str>,
    depth: usize,
    found: &mut Vec<Image>,
    seen: &mut BTreeSet<String>,
) -> Result<(), Error> {
    if let Some(layers) = &doc.layers {
        let layers = layers
            .iter()
            .map(|d| blob_path(store, &d.digest))
            .collect::<Result<Vec<_>, _>>()?;
        found.push(Image {
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
        if !seen.insert(d.digest.clone()) {
            continue;
        }
        if found.len() >= MAX_IMAGES {
            return Err(store.malformed(format!("more than {MAX_IMAGES} images")));
        }
        let path = blob_path(store, &d.digest)?;
        let child: OciDocument = store.json(&path)?.ok_or_else(|| {
            store.malformed(format!(
                "{} ({}) is listed but its blob {path} is missing",
                d.digest,
                d.media_type.as_deref().unwrap_or("no mediaType")
            ))
        })?;
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

/// `blobs/<algorithm>/<encoded>` for a digest, refusing anything that is not one
/// (OCI image spec, "Digests": algorithm `[a-z0-9]+([+._-][a-z0-9]+)*`, encoded
/// `[a-zA-Z0-9=_-]+`).
fn blob_path(store: &Store, digest: &str) -> Result<String, Error> {
    let bad = || {
        store.malformed(format!(
            "invalid digest {digest:?}: expected algorithm:hex, e.g. sha256:<64 hex digits>"
        ))
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

/// A file of the final filesystem.
#[derive(Clone, Debug)]
struct FileRef {
    layer: usize,
    /// The entry's index in its layer.
    index: usize,
    /// Offset of the data in the blob's file (uncompressed layers only).
    offset: Option<u64>,
    size: u64,
    /// An ELF file, or a file the policy names as a component: it gets a result.
    wanted: bool,
}

/// How a layer's bytes are stored.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Compression {
    None,
    Gzip,
}

fn open_layer(store: &Store, name: &str) -> Result<(Blob, Compression), Error> {
    let blob = store
        .blob(name)?
        .ok_or_else(|| store.malformed(format!("layer {name} is listed but missing")))?;
    let mut head = [0u8; 4];
    let n = blob
        .window()
        .and_then(|mut w| w.read(&mut head))
        .map_err(|e| store.io(e))?;
    let compression = match &head[..n] {
        [0x1f, 0x8b, ..] => Compression::Gzip,
        [0x28, 0xb5, 0x2f, 0xfd] => {
            return Err(store.malformed(format!(
                "layer {name} is zstd-compressed, which this scanner does not read; \
                 decompress it or save the image with gzip layers"
            )))
        }
        _ => Compression::None,
    };
    Ok((blob, compression))
}

/// A reader that fails past a byte limit (gzip bombs).
struct Limited<R> {
    inner: R,
    left: u64,
}

impl<R: Read> Read for Limited<R> {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        if self.left == 0 {
            return Err(io::Error::other(format!(
                "layer larger than {MAX_LAYER_BYTES} bytes uncompressed"
            )));
        }
        let want = buf
            .len()
            .min(usize::try_from(self.left).unwrap_or(usize::MAX));
        let n = self.inner.read(&mut buf[..want])?;
        self.left -= n as u64;
        Ok(n)
    }
}

fn scan_image(
    store: &Store,
    image: &Image,
    prefix: &str,
    policy: &Policy,
    out: &mut Vec<ScanResult>,
) -> Result<(), Error> {
    if image.layers.len() > MAX_LAYERS {
        return Err(store.malformed(format!(
            "image {} has {} layers; at most {MAX_LAYERS} are read",
            image.name,
            image.layers.len()
        )));
    }
    let mut files: BTreeMap<String, FileRef> = BTreeMap::new();
    let mut layers = Vec::new();
    let mut entries_seen = 0usize;
    for (i, name) in image.layers.iter().enumerate() {
        let (blob, compression) = open_layer(store, name)?;
        let window = blob.window().map_err(|e| store.io(e))?;
        let bad = |e: io::Error| store.malformed(format!("layer {name}: {e}"));
        match compression {
            Compression::None => {
                let mut archive = tar::Archive::new(window);
                let entries = archive.entries_with_seek().map_err(bad)?;
                for (index, entry) in entries.enumerate() {
                    let entry = entry.map_err(bad)?;
                    entries_seen += 1;
                    apply(
                        &mut files,
                        entry,
                        i,
                        index,
                        Some((blob.offset, blob.len)),
                        policy,
                    )
                    .map_err(bad)?;
                    if entries_seen > MAX_ENTRIES {
                        return Err(store.malformed(format!("more than {MAX_ENTRIES} entries")));
                    }
                }
            }
            Compression::Gzip => {
                let mut archive = tar::Archive::new(Limited {
                    inner: GzDecoder::new(window),
                    left: MAX_LAYER_BYTES,
                });
                for (index, entry) in archive.entries().map_err(bad)?.enumerate() {
                    let entry = entry.map_err(bad)?;
                    entries_seen += 1;
                    apply(&mut files, entry, i, index, None, policy).map_err(bad)?;
                    if entries_seen > MAX_ENTRIES {
                        return Err(store.malformed(format!("more than {MAX_ENTRIES} entries")));
                    }
                }
            }
        }
        layers.push((blob, compression));
    }

    // The surviving ELF files, by layer and entry.
    let mut wanted: BTreeMap<(usize, usize), Vec<(String, FileRef)>> = BTreeMap::new();
    for (path, f) in files.into_iter().filter(|(_, f)| f.wanted) {
        wanted
            .entry((f.layer, f.index))
            .or_default()
            .push((path, f));
    }
    let show = |path: &str| format!("{prefix}!/{path}");
    for (i, (blob, compression)) in layers.iter().enumerate() {
        let here: Vec<_> = wanted.range((i, 0)..(i + 1, 0)).collect();
        if here.is_empty() {
            continue;
        }
        match compression {
            Compression::None => {
                for (_, paths) in here {
                    for (path, f) in paths {
                        let window = Window {
                            file: blob.file.try_clone().map_err(|e| store.io(e))?,
                            start: f.offset.unwrap_or(0),
                            len: f.size,
                            pos: 0,
                        };
                        out.push(scan_reader(
                            window,
                            &show(path),
                            file_name(path),
                            false,
                            policy,
                        ));
                    }
                }
            }
            Compression::Gzip => {
                let bad = |e: io::Error| store.malformed(format!("layer {}: {e}", image.layers[i]));
                let window = blob.window().map_err(|e| store.io(e))?;
                let mut archive = tar::Archive::new(Limited {
                    inner: GzDecoder::new(window),
                    left: MAX_LAYER_BYTES,
                });
                let mut pending: BTreeMap<usize, &Vec<(String, FileRef)>> = here
                    .iter()
                    .map(|((_, index), paths)| (*index, *paths))
                    .collect();
                for (index, entry) in archive.entries().map_err(bad)?.enumerate() {
                    let Some(paths) = pending.remove(&index) else {
                        if pending.is_empty() {
                            break;
                        }
                        continue;
                    };
                    let mut entry = entry.map_err(bad)?;
                    let spill = Spill::create().map_err(|e| store.io(e))?;
                    let copied = io::copy(&mut (&mut entry).take(MAX_SPILL), &mut &spill.file)
                        .map_err(bad)?;
                    if copied >= MAX_SPILL {
                        return Err(store.malformed(format!(
                            "{} is larger than {MAX_SPILL} bytes",
                            paths[0].0
                        )));
                    }
                    for (path, _) in paths {
                        let file = spill.file.try_clone().map_err(|e| store.io(e))?;
                        out.push(scan_reader(
                            file,
                            &show(path),
                            file_name(path),
                            false,
                            policy,
                        ));
                    }
                }
            }
        }
    }
    Ok(())
}

/// Applies one tar entry of layer `layer` to the file map.
fn apply<R: Read>(
    files: &mut BTreeMap<String, FileRef>,
    mut entry: tar::Entry<'_, R>,
    layer: usize,
    index: usize,
    base: Option<(u64, u64)>,
    policy: &Policy,
) -> io::Result<()> {
    let path = normalize(&entry.path_bytes());
    if path.is_empty() {
        return Ok(());
    }
    let (parent, base_name) = match path.rsplit_once('/') {
        Some((p, b)) => (p.to_owned(), b.to_owned()),
        None => (String::new(), path.clone()),
    };
    if base_name == ".wh..wh..opq" {
        remove_under(files, &parent, layer);
        return Ok(());
    }
    if let Some(hidden) = base_name.strip_prefix(".wh.") {
        let target = if parent.is_empty() {
            hidden.to_owned()
        } else {
            format!("{parent}/{hidden}")
        };
        if files.get(&target).is_some_and(|f| f.layer < layer) {
            files.remove(&target);
        }
        remove_under(files, &target, layer);
        return Ok(());
    }
    let kind = entry.header().entry_type();
    // Whatever was at this path (and below it, if it was a directory) is replaced.
    files.remove(&path);
    if !kind.is_dir() {
        remove_under(files, &path, usize::MAX);
    }
    if kind.is_file() {
        let size = entry.size();
        let position = entry.raw_file_position();
        if let Some((_, len)) = base {
            if position.checked_add(size).is_none_or(|end| end > len) {
                return Err(io::Error::other(format!(
                    "entry {path} claims {size} bytes, past the end of the layer ({len} bytes)"
                )));
            }
        }
        let offset = base.map(|(start, _)| start + position);
        let mut magic = [0u8; 4];
        let mut got = 0;
        while got < 4 {
            let n = entry.read(&mut magic[got..])?;
            if n == 0 {
                break;
            }
            got += n;
        }
        files.insert(
            path,
            FileRef {
                layer,
                index,
                offset,
                size,
                wanted: (got == 4 && magic == *b"\x7fELF")
                    || is_component(policy, &base_name, None),
            },
        );
    } else if kind.is_hard_link() {
        if let Some(target) = entry.link_name_bytes().map(|t| normalize(&t)) {
            if let Some(mut f) = files.get(&target).cloned() {
                f.wanted |= is_component(policy, &base_name, None);
                files.insert(path, f);
            }
        }
    }
    Ok(())
}

/// Removes the entries below `dir` that come from layers lower than `layer`.
fn remove_under(files: &mut BTreeMap<String, FileRef>, dir: &str, layer: usize) {
    let (from, to) = if dir.is_empty() {
        (String::new(), None)
    } else {
        // Keys below `dir` are those in [dir + "/", dir + "0"): '0' follows '/' in ASCII.
        (format!("{dir}/"), Some(format!("{dir}0")))
    };
    let doomed: Vec<String> = match &to {
        Some(to) => files.range(from..to.clone()),
        None => files.range(from..),
    }
    .filter(|(_, f)| f.layer < layer)
    .map(|(k, _)| k.clone())
    .collect();
    for k in doomed {
        files.remove(&k);
    }
}

/// The path inside the image: components joined by `/`, `.` dropped, `..` never above the
/// image's root, leading `/` ignored.
pub(crate) fn normalize(raw: &[u8]) -> String {
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
    String::from_utf8_lossy(&parts.join(&b'/')).into_owned()
}

fn file_name(path: &str) -> &str {
    path.rsplit('/').next().unwrap_or(path)
}

/// A private temporary file, removed when dropped.
struct Spill {
    file: File,
    path: PathBuf,
}

impl Spill {
    fn create() -> io::Result<Spill> {
        use std::os::unix::fs::OpenOptionsExt;
        use std::sync::atomic::{AtomicU64, Ordering};
        static COUNTER: AtomicU64 = AtomicU64::new(0);
        let path = std::env::temp_dir().join(format!(
            ".fips-scan-{}-{}",
            std::process::id(),
            COUNTER.fetch_add(1, Ordering::Relaxed)
        ));
        let file = std::fs::OpenOptions::new()
            .read(true)
            .write(true)
            .create_new(true)
            .mode(0o600)
            .open(&path)?;
        Ok(Spill { file, path })
    }
}

impl Drop for Spill {
    fn drop(&mut self) {
        // Best effort: the file is private (0600) and named for this process.
        let _ = std::fs::remove_file(&self.path);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn paths_stay_inside_the_image() {
        assert_eq!(normalize(b"/etc/passwd"), "etc/passwd");
        assert_eq!(normalize(b"../../etc/passwd"), "etc/passwd");
        assert_eq!(normalize(b"usr/./bin/../bin//etcd"), "usr/bin/etcd");
        assert_eq!(normalize(b"./"), "");
    }

    #[test]
    fn whiteouts_remove_lower_layers_only() {
        let f = |layer| FileRef {
            layer,
            index: 0,
            offset: None,
            size: 1,
            wanted: true,
        };
        let mut files = BTreeMap::from([
            ("usr/bin/a".to_owned(), f(0)),
            ("usr/bin/b".to_owned(), f(1)),
            ("usr/bin0".to_owned(), f(0)),
            ("usr/binx/c".to_owned(), f(0)),
        ]);
        remove_under(&mut files, "usr/bin", 1);
        let left: Vec<_> = files.keys().cloned().collect();
        assert_eq!(left, ["usr/bin/b", "usr/bin0", "usr/binx/c"]);
    }

    #[test]
    fn digests_are_checked() {
        let store = Store {
            path: PathBuf::from("x"),
            source: Source::Tar {
                file: File::open("/dev/null").unwrap(),
                members: BTreeMap::new(),
            },
        };
        assert_eq!(blob_path(&store, "sha256:abc").unwrap(), "blobs/sha256/abc");
        for bad in [
            "sha256:../../etc",
            "../x:abc",
            "sha256",
            "sha256:",
            "SHA:ab",
        ] {
            assert!(blob_path(&store, bad).is_err(), "{bad}");
        }
    }
}
