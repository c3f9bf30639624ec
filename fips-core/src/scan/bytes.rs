//! Byte readers the scanner composes: the one read-until-full loop, a window of a file, a
//! SHA-256 that hashes what streams through it, the per-call decompression budget, and a
//! private spill file for data that cannot be read in place.

use std::{
    cell::Cell,
    fs::File,
    io::{self, Read, Seek, SeekFrom, Write},
    path::PathBuf,
};

use aws_lc_rs::digest;

/// Reads until `buf` is full or the reader ends; returns how many bytes were read.
/// Interrupted reads are retried, as `Read::read_exact` does.
pub(crate) fn read_up_to(r: &mut impl Read, buf: &mut [u8]) -> io::Result<usize> {
    let mut n = 0;
    while n < buf.len() {
        match r.read(&mut buf[n..]) {
            Ok(0) => break,
            Ok(k) => n += k,
            Err(e) if e.kind() == io::ErrorKind::Interrupted => {}
            Err(e) => return Err(e),
        }
    }
    Ok(n)
}

/// A `Read + Seek` view of `[start, start + len)` of a file.
///
/// Reads are positional (`pread`), and a seek only moves `pos`: the ELF reader jumps between
/// headers, build information and symbol tables, and a seek before every read had doubled
/// the system calls of a scan (`strace -c`).
#[derive(Debug)]
pub(crate) struct Window {
    file: File,
    start: u64,
    len: u64,
    pos: u64,
}

impl Window {
    pub(crate) fn new(file: File, start: u64, len: u64) -> Window {
        Window {
            file,
            start,
            len,
            pos: 0,
        }
    }
}

impl Read for Window {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        let left = self.len.saturating_sub(self.pos);
        let want = buf.len().min(usize::try_from(left).unwrap_or(usize::MAX));
        if want == 0 {
            return Ok(0);
        }
        let n = std::os::unix::fs::FileExt::read_at(
            &self.file,
            &mut buf[..want],
            self.start + self.pos,
        )?;
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

/// A SHA-256 digest (aws-lc-rs, the module the self-test covers).
pub(crate) type Sha256 = [u8; 32];

/// `sha256:<hex>`, as OCI digests are written.
pub(crate) fn sha256_text(d: &Sha256) -> String {
    let mut s = String::with_capacity(71);
    s.push_str("sha256:");
    for b in d {
        s.push_str(&format!("{b:02x}"));
    }
    s
}

/// The SHA-256 of `data`.
pub(crate) fn sha256(data: &[u8]) -> Sha256 {
    let mut out = [0u8; 32];
    out.copy_from_slice(digest::digest(&digest::SHA256, data).as_ref());
    out
}

/// Hashes every byte read through it.
pub(crate) struct Hashing<R> {
    inner: R,
    ctx: digest::Context,
}

impl<R> Hashing<R> {
    pub(crate) fn new(inner: R) -> Self {
        Hashing {
            inner,
            ctx: digest::Context::new(&digest::SHA256),
        }
    }

    /// The digest of everything read so far.
    pub(crate) fn finish(self) -> (R, Sha256) {
        let mut out = [0u8; 32];
        out.copy_from_slice(self.ctx.finish().as_ref());
        (self.inner, out)
    }
}

impl<R: Read> Read for Hashing<R> {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        let n = self.inner.read(buf)?;
        self.ctx.update(&buf[..n]);
        Ok(n)
    }
}

/// Bytes of layer data one scan call may read (decompressed), shared by every layer of every
/// image of the call: a bomb, or one blob listed thousands of times, ends here.
#[derive(Debug)]
pub(crate) struct Budget {
    left: Cell<u64>,
    limit: u64,
    entries_left: Cell<usize>,
    entries_limit: usize,
}

impl Budget {
    pub(crate) fn new(limit: u64, entries: usize) -> Budget {
        Budget {
            left: Cell::new(limit),
            limit,
            entries_left: Cell::new(entries),
            entries_limit: entries,
        }
    }

    /// Charges one tar entry (memory is per entry, whatever its size).
    pub(crate) fn take_entry(&self) -> Result<(), String> {
        match self.entries_left.get().checked_sub(1) {
            Some(left) => {
                self.entries_left.set(left);
                Ok(())
            }
            None => Err(format!(
                "more than {} tar entries in the layers of one scan",
                self.entries_limit
            )),
        }
    }
}

/// A reader that charges every byte to a [`Budget`] and fails once it is spent.
pub(crate) struct Budgeted<'a, R> {
    inner: R,
    budget: &'a Budget,
}

impl<'a, R> Budgeted<'a, R> {
    pub(crate) fn new(inner: R, budget: &'a Budget) -> Self {
        Budgeted { inner, budget }
    }
}

impl<R: Read> Read for Budgeted<'_, R> {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        let left = self.budget.left.get();
        if left == 0 {
            return Err(io::Error::other(format!(
                "more than {} bytes of layer data (decompressed) in one scan; \
                 scan fewer or smaller images per call",
                self.budget.limit
            )));
        }
        let want = buf.len().min(usize::try_from(left).unwrap_or(usize::MAX));
        let n = self.inner.read(&mut buf[..want])?;
        self.budget.left.set(left - n as u64);
        Ok(n)
    }
}

/// A private temporary file (mode 0600), removed when dropped. Data is appended; each piece
/// is read back through a [`Window`].
#[derive(Debug)]
pub(crate) struct Spill {
    file: File,
    path: PathBuf,
    len: u64,
}

impl Spill {
    pub(crate) fn create() -> io::Result<Spill> {
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
        Ok(Spill { file, path, len: 0 })
    }

    /// Appends everything `r` yields (at most `limit` bytes, else an error); returns where.
    pub(crate) fn append(&mut self, r: &mut impl Read, limit: u64) -> io::Result<(u64, u64)> {
        let start = self.len;
        self.file.seek(SeekFrom::Start(start))?;
        let copied = io::copy(&mut r.take(limit), &mut self.file)?;
        self.len += copied;
        let mut probe = [0u8; 1];
        if read_up_to(r, &mut probe)? != 0 {
            return Err(io::Error::other(format!(
                "a file larger than {limit} bytes"
            )));
        }
        self.file.flush()?;
        Ok((start, copied))
    }

    pub(crate) fn window(&self, (start, len): (u64, u64)) -> io::Result<Window> {
        Ok(Window::new(self.file.try_clone()?, start, len))
    }
}

impl Drop for Spill {
    fn drop(&mut self) {
        // Best effort: the file is private (0600) and named for this process.
        let _ = std::fs::remove_file(&self.path);
    }
}
