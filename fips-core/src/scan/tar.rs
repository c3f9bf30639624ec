//! A strict tar reader: it reads what Go's `archive/tar` (the reader of containerd and
//! docker) reads, or refuses.
//!
//! Where two tar readers could see different files in the same bytes, the header is
//! refused rather than interpreted: headers without `ustar` or GNU magic (V7, whose GNU and
//! PAX extensions readers treat differently), star headers, GNU long names without GNU magic,
//! sparse files (`S`, PAX `GNU.sparse.*`), global PAX headers, repeated PAX keys or
//! extension headers, PAX `hdrcharset`, numbers Go would not parse, data on header-only
//! types, and anything after a zero block but another zero block. Names are bytes.

use std::io::{self, Read};

use super::bytes::read_up_to;

const BLOCK: usize = 512;
/// Go's `maxSpecialFileSize`: PAX and GNU long-name data is at most 1 MiB.
const MAX_SPECIAL: u64 = 1 << 20;
/// Names and link targets at most (Linux's `PATH_MAX`: longer ones cannot be unpacked).
const MAX_PATH: usize = 4096;

/// What an entry is.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Kind {
    Regular,
    HardLink,
    Symlink,
    CharDevice,
    BlockDevice,
    Dir,
    Fifo,
}

impl Kind {
    /// The name the differential test and Go's reference lister both print.
    pub(crate) fn as_str(self) -> &'static str {
        match self {
            Kind::Regular => "reg",
            Kind::HardLink => "link",
            Kind::Symlink => "symlink",
            Kind::CharDevice => "char",
            Kind::BlockDevice => "block",
            Kind::Dir => "dir",
            Kind::Fifo => "fifo",
        }
    }
}

/// One entry's header, extensions applied.
#[derive(Clone, Debug)]
pub(crate) struct Header {
    pub(crate) name: Vec<u8>,
    pub(crate) link: Vec<u8>,
    pub(crate) kind: Kind,
    /// Bytes of data that follow (0 for header-only kinds).
    pub(crate) size: u64,
}

/// Reads entries one by one; after [`TarReader::next`] the caller reads the entry's data
/// through [`TarReader::data`] (unread data is skipped by the next call).
pub(crate) struct TarReader<R> {
    r: R,
    /// Data bytes of the current entry not yet read, then its padding.
    left: u64,
    pad: u64,
    done: bool,
}

impl<R: Read> TarReader<R> {
    pub(crate) fn new(r: R) -> Self {
        TarReader {
            r,
            left: 0,
            pad: 0,
            done: false,
        }
    }

    /// The underlying reader (positioned after the end-of-archive blocks once `next` said
    /// `None`).
    pub(crate) fn into_inner(self) -> R {
        self.r
    }

    /// Bytes consumed so far, for readers that count them.
    pub(crate) fn position(&self) -> u64
    where
        R: Positioned,
    {
        self.r.position()
    }

    /// The current entry's data.
    pub(crate) fn data(&mut self) -> Data<'_, R> {
        Data { tar: self }
    }

    fn skip_rest(&mut self) -> Result<(), String> {
        let n = self.left + self.pad;
        let copied = io::copy(&mut (&mut self.r).take(n), &mut io::sink()).map_err(io_text)?;
        if copied < n {
            return Err("the archive ends inside an entry's data".into());
        }
        self.left = 0;
        self.pad = 0;
        Ok(())
    }

    fn block(&mut self) -> Result<Option<[u8; BLOCK]>, String> {
        let mut b = [0u8; BLOCK];
        match read_up_to(&mut self.r, &mut b).map_err(io_text)? {
            0 => Ok(None),
            BLOCK => Ok(Some(b)),
            _ => Err("the archive ends inside a header block".into()),
        }
    }

    fn special(&mut self, size: u64, what: &str) -> Result<Vec<u8>, String> {
        if size > MAX_SPECIAL {
            return Err(format!("a {what} of {size} bytes (at most {MAX_SPECIAL})"));
        }
        let mut data = vec![0u8; size as usize];
        if read_up_to(&mut self.r, &mut data).map_err(io_text)? != data.len() {
            return Err(format!("the archive ends inside a {what}"));
        }
        self.left = 0;
        self.pad = padding(size);
        self.skip_rest()?;
        Ok(data)
    }

    /// The next entry, or `None` at the end of the archive.
    pub(crate) fn next(&mut self) -> Result<Option<Header>, String> {
        if self.done {
            return Ok(None);
        }
        self.skip_rest()?;
        let mut pax: Option<Pax> = None;
        let mut long_name: Option<Vec<u8>> = None;
        let mut long_link: Option<Vec<u8>> = None;
        loop {
            let Some(block) = self.block()? else {
                if pax.is_some() || long_name.is_some() || long_link.is_some() {
                    return Err("the archive ends after an extension header".into());
                }
                self.done = true;
                return Ok(None);
            };
            if block.iter().all(|b| *b == 0) {
                if pax.is_some() || long_name.is_some() || long_link.is_some() {
                    return Err("an extension header is followed by the end of the archive".into());
                }
                // Go: a zero block, then EOF or another zero block, ends the archive; a zero
                // block followed by anything else is an error.
                match self.block()? {
                    None => {}
                    Some(b) if b.iter().all(|b| *b == 0) => {}
                    Some(_) => return Err("a zero block inside the archive".into()),
                }
                self.done = true;
                return Ok(None);
            }
            let raw = RawHeader::parse(&block)?;
            match raw.typeflag {
                b'x' => {
                    if !raw.ustar {
                        return Err("a PAX header without ustar magic".into());
                    }
                    if pax.is_some() {
                        return Err("two PAX headers for one entry".into());
                    }
                    let data = self.special(raw.size, "PAX header")?;
                    pax = Some(Pax::parse(&data)?);
                }
                b'L' | b'K' => {
                    if !raw.gnu {
                        return Err("a GNU long-name header without GNU magic".into());
                    }
                    let data = self.special(raw.size, "GNU long name")?;
                    let name = cut_nul(&data).to_vec();
                    let slot = if raw.typeflag == b'L' {
                        &mut long_name
                    } else {
                        &mut long_link
                    };
                    if slot.replace(name).is_some() {
                        return Err("two GNU long-name headers of one kind for one entry".into());
                    }
                }
                b'g' => return Err("a global PAX header (readers apply it differently)".into()),
                b'S' => return Err("a GNU sparse file".into()),
                other => {
                    let mut kind = match other {
                        b'0' | 0 => Kind::Regular,
                        b'1' => Kind::HardLink,
                        b'2' => Kind::Symlink,
                        b'3' => Kind::CharDevice,
                        b'4' => Kind::BlockDevice,
                        b'5' => Kind::Dir,
                        b'6' => Kind::Fifo,
                        t => {
                            return Err(format!(
                                "an entry of type {:?} (only files, links, directories and \
                                 devices are read)",
                                char::from(t)
                            ))
                        }
                    };
                    let mut name = raw.name;
                    let mut link = raw.link;
                    let mut size = raw.size;
                    if let Some(pax) = pax {
                        if (pax.path.is_some() && long_name.is_some())
                            || (pax.linkpath.is_some() && long_link.is_some())
                        {
                            return Err("both a PAX and a GNU long name for one entry".into());
                        }
                        if let Some(p) = pax.path {
                            name = p;
                        }
                        if let Some(l) = pax.linkpath {
                            link = l;
                        }
                        if let Some(s) = pax.size {
                            size = s;
                        }
                    }
                    if let Some(n) = long_name {
                        name = n;
                    }
                    if let Some(l) = long_link {
                        link = l;
                    }
                    if other == 0 && name.ends_with(b"/") {
                        // Go reads an old-style regular file whose name ends in '/' as a
                        // directory; so does this reader.
                        kind = Kind::Dir;
                    }
                    if kind != Kind::Regular {
                        if size != 0 {
                            return Err(format!(
                                "{} entry {} carries {size} bytes of data (Go reads none)",
                                kind.as_str(),
                                String::from_utf8_lossy(&name)
                            ));
                        }
                        size = 0;
                    }
                    if name.is_empty() {
                        return Err("an entry with an empty name".into());
                    }
                    if name.len() > MAX_PATH || link.len() > MAX_PATH {
                        return Err(format!("a name or link longer than {MAX_PATH} bytes"));
                    }
                    self.left = size;
                    self.pad = padding(size);
                    return Ok(Some(Header {
                        name,
                        link,
                        kind,
                        size,
                    }));
                }
            }
        }
    }
}

/// A reader that knows how many bytes it has yielded.
pub(crate) trait Positioned {
    fn position(&self) -> u64;
}

/// The data of the current entry.
pub(crate) struct Data<'a, R> {
    tar: &'a mut TarReader<R>,
}

impl<R: Read> Read for Data<'_, R> {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        let want = buf
            .len()
            .min(usize::try_from(self.tar.left).unwrap_or(usize::MAX));
        if want == 0 {
            return Ok(0);
        }
        let n = self.tar.r.read(&mut buf[..want])?;
        if n == 0 {
            return Err(io::Error::new(
                io::ErrorKind::UnexpectedEof,
                "the archive ends inside an entry's data",
            ));
        }
        self.tar.left -= n as u64;
        Ok(n)
    }
}

fn padding(size: u64) -> u64 {
    (BLOCK as u64 - size % BLOCK as u64) % BLOCK as u64
}

fn io_text(e: io::Error) -> String {
    e.to_string()
}

fn cut_nul(b: &[u8]) -> &[u8] {
    match b.iter().position(|c| *c == 0) {
        Some(i) => &b[..i],
        None => b,
    }
}

/// One header block, its fields checked the way Go parses them.
struct RawHeader {
    name: Vec<u8>,
    link: Vec<u8>,
    typeflag: u8,
    size: u64,
    /// `ustar\0` `00` magic (USTAR and PAX).
    ustar: bool,
    /// `ustar  \0` magic (GNU).
    gnu: bool,
}

impl RawHeader {
    fn parse(b: &[u8; BLOCK]) -> Result<RawHeader, String> {
        let ustar = &b[257..263] == b"ustar\0" && &b[263..265] == b"00";
        let gnu = &b[257..265] == b"ustar  \0";
        if !ustar && !gnu {
            return Err(
                "a tar header without ustar or GNU magic (V7 format: readers disagree on its \
                 extensions)"
                    .into(),
            );
        }
        if ustar && &b[508..512] == b"tar\0" {
            return Err("a star-format tar header".into());
        }
        let stored = octal(&b[148..156], "checksum")?;
        let sum: u64 = b
            .iter()
            .enumerate()
            .map(|(i, c)| {
                if (148..156).contains(&i) {
                    32
                } else {
                    *c as u64
                }
            })
            .sum();
        if stored != sum {
            return Err("a tar header with a wrong checksum".into());
        }
        let typeflag = b[156];
        let size = octal(&b[124..136], "size")?;
        // Go parses these and refuses the header when one is not a number.
        octal(&b[100..108], "mode")?;
        octal(&b[108..116], "uid")?;
        octal(&b[116..124], "gid")?;
        octal(&b[136..148], "mtime")?;
        octal(&b[329..337], "devmajor")?;
        octal(&b[337..345], "devminor")?;
        let mut name = cut_nul(&b[0..100]).to_vec();
        if ustar {
            let prefix = cut_nul(&b[345..500]);
            if !prefix.is_empty() {
                let mut full = prefix.to_vec();
                full.push(b'/');
                full.extend_from_slice(&name);
                name = full;
            }
        } else {
            // GNU: access and change times.
            octal(&b[345..357], "atime")?;
            octal(&b[357..369], "ctime")?;
        }
        Ok(RawHeader {
            name,
            link: cut_nul(&b[157..257]).to_vec(),
            typeflag,
            size,
            ustar,
            gnu,
        })
    }
}

/// A numeric field as Go's `parseOctal` reads it (spaces and NULs trimmed at both ends, cut
/// at a NUL), refusing base-256 and anything Go would not parse.
fn octal(field: &[u8], what: &str) -> Result<u64, String> {
    if field.first().is_some_and(|b| b & 0x80 != 0) {
        return Err(format!("a base-256 {what} field"));
    }
    let trim = |b: &u8| *b == b' ' || *b == 0;
    let start = field.iter().position(|b| !trim(b)).unwrap_or(field.len());
    let end = field
        .iter()
        .rposition(|b| !trim(b))
        .map_or(start, |i| i + 1);
    let digits = cut_nul(&field[start..end]);
    let mut v: u64 = 0;
    for d in digits {
        if !(b'0'..=b'7').contains(d) {
            return Err(format!("a {what} field that is not an octal number"));
        }
        v = v
            .checked_mul(8)
            .and_then(|v| v.checked_add(u64::from(d - b'0')))
            .ok_or_else(|| format!("a {what} field too large"))?;
    }
    Ok(v)
}

/// The PAX records that change what an entry is.
struct Pax {
    path: Option<Vec<u8>>,
    linkpath: Option<Vec<u8>>,
    size: Option<u64>,
}

impl Pax {
    /// Records `"%d %s=%s\n"`, each key once.
    fn parse(mut data: &[u8]) -> Result<Pax, String> {
        let bad = |why: &str| format!("a PAX header with {why}");
        let mut seen: Vec<Vec<u8>> = Vec::new();
        let mut pax = Pax {
            path: None,
            linkpath: None,
            size: None,
        };
        while !data.is_empty() {
            let sp = data
                .iter()
                .position(|b| *b == b' ')
                .ok_or_else(|| bad("a record without a length"))?;
            let len = decimal(&data[..sp]).ok_or_else(|| bad("a bad record length"))?;
            let len = usize::try_from(len).map_err(|_| bad("a bad record length"))?;
            if len <= sp + 1 || len > data.len() || data[len - 1] != b'\n' {
                return Err(bad("a record length that does not match"));
            }
            let record = &data[sp + 1..len - 1];
            data = &data[len..];
            let eq = record
                .iter()
                .position(|b| *b == b'=')
                .ok_or_else(|| bad("a record without '='"))?;
            let (key, value) = (&record[..eq], &record[eq + 1..]);
            if key.is_empty() || record.contains(&0) {
                return Err(bad("an empty key or a NUL byte"));
            }
            if seen.iter().any(|k| k == key) {
                return Err(format!(
                    "a PAX header that sets {} twice",
                    String::from_utf8_lossy(key)
                ));
            }
            seen.push(key.to_vec());
            let number = |v: &[u8]| decimal(v).ok_or_else(|| bad("a number Go would not read"));
            match key {
                b"path" => pax.path = Some(value.to_vec()),
                b"linkpath" => pax.linkpath = Some(value.to_vec()),
                b"size" => pax.size = Some(number(value)?),
                b"uid" | b"gid" => {
                    number(value)?;
                }
                b"mtime" | b"atime" | b"ctime" => {
                    let (secs, frac) = match value.iter().position(|b| *b == b'.') {
                        Some(i) => (&value[..i], Some(&value[i + 1..])),
                        None => (value, None),
                    };
                    number(secs)?;
                    if let Some(f) = frac {
                        if f.is_empty() || !f.iter().all(u8::is_ascii_digit) {
                            return Err(bad("a time Go would not read"));
                        }
                    }
                }
                b"hdrcharset" => return Err(bad("hdrcharset (readers decode names differently)")),
                k if k.starts_with(b"GNU.sparse") => return Err("a GNU sparse file".into()),
                _ => {}
            }
        }
        Ok(pax)
    }
}

/// A plain decimal number (digits only, no sign), as a record length or PAX number.
fn decimal(b: &[u8]) -> Option<u64> {
    if b.is_empty() || !b.iter().all(u8::is_ascii_digit) {
        return None;
    }
    std::str::from_utf8(b).ok()?.parse().ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numbers_are_read_as_go_reads_them_or_refused() {
        assert_eq!(octal(b"0000644\0", "mode"), Ok(0o644));
        assert_eq!(octal(b"  644 \0\0", "mode"), Ok(0o644));
        assert_eq!(octal(b"\0\0\0\0\0\0\0\0", "mode"), Ok(0));
        // Go cuts at the first NUL after trimming: "12\034" is 12.
        assert_eq!(octal(b"12\x0034\0", "size"), Ok(0o12));
        for bad in [
            &b"1 2\0"[..],
            b"0o17\0",
            b"8\0",
            b"+7\0",
            b"\x80\0\0\0\0\0\0\x01",
        ] {
            assert!(octal(bad, "size").is_err(), "{bad:?}");
        }
    }

    #[test]
    fn pax_records_are_strict() {
        let p = Pax::parse(b"21 path=usr/bin/etcd\n").unwrap();
        assert_eq!(p.path.as_deref(), Some(&b"usr/bin/etcd"[..]));
        for bad in [
            &b"21 path=usr/bin/etcd\n21 path=usr/bin/etcd\n"[..],
            b"20 path=usr/bin/etcd\n",
            b"26 GNU.sparse.name=x/y/zz\n",
            b"12 size=-12\n",
            b"15 mtime=1.5e3\n",
            b"15 hdrcharset=\n",
        ] {
            assert!(Pax::parse(bad).is_err(), "{}", String::from_utf8_lossy(bad));
        }
    }
}
