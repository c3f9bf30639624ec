//! Reading an ELF file with bounds: headers through the `object` crate, then only the
//! ranges that matter (the Go build information blob, a name table, `.dynamic`).
//!
//! Nothing is read whole: the `object` crate sees the file through a cache that reads on
//! demand, each read capped; section contents are streamed by `markers::search`. Every byte
//! read is counted, so a result can say what it cost.

use std::{
    cell::Cell,
    io::{self, Read, Seek, SeekFrom},
    ops::Range,
    rc::Rc,
};

use object::{
    elf,
    read::elf::{Dyn, FileHeader, ProgramHeader, SectionHeader},
    read::{ReadCache, ReadRef},
    Endianness, FileKind,
};

use super::{buildinfo::strip_framing, markers, EvidenceSource};

/// The largest single read handed to the `object` crate (section headers: 65535 x 64 bytes).
const MAX_HEADER_READ: u64 = 8 << 20;
/// How a reason begins when a file is not judged because it is over one of the scanner's
/// bounds (not because it is malformed): its result then says so in its fix too.
pub(crate) const OVER_BOUND: &str = "not judged: ";

/// `.dynamic` and `.dynstr` are read up to this size (a binary exporting many symbols,
/// such as node, goes over it: it is then not judged, and the result says why).
const MAX_DYNAMIC: u64 = 4 << 20;
/// Where `debug/buildinfo` looks for the blob when there is no `.go.buildinfo` section: the
/// start of the first writable segment; we look no further than this.
const MAX_MAGIC_SEARCH: u64 = 1 << 20;
/// The magic is searched a chunk at a time (a multiple of 16).
const SEARCH_CHUNK: u64 = 64 << 10;
/// A version string longer than this is not one.
const MAX_VERSION: u64 = 4096;
/// Module information of the largest real binaries is tens of kilobytes.
const MAX_MODINFO: u64 = 16 << 20;

const BUILDINFO_MAGIC: &[u8; 14] = b"\xff Go buildinf:";

/// A reader that counts what it reads.
#[derive(Debug)]
pub(crate) struct Counting<R> {
    inner: R,
    count: Rc<Cell<u64>>,
}

impl<R> Counting<R> {
    pub(crate) fn new(inner: R) -> (Self, Rc<Cell<u64>>) {
        let count = Rc::new(Cell::new(0));
        (
            Counting {
                inner,
                count: count.clone(),
            },
            count,
        )
    }
}

impl<R: Read> Read for Counting<R> {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        let n = self.inner.read(buf)?;
        self.count.set(self.count.get() + n as u64);
        Ok(n)
    }
}

impl<R: Seek> Seek for Counting<R> {
    fn seek(&mut self, pos: SeekFrom) -> io::Result<u64> {
        self.inner.seek(pos)
    }
}

/// The `object` crate's view of the file, with every read capped.
struct Capped<'a, R: Read + Seek>(&'a ReadCache<R>);

impl<R: Read + Seek> Clone for Capped<'_, R> {
    fn clone(&self) -> Self {
        *self
    }
}

impl<R: Read + Seek> Copy for Capped<'_, R> {}

impl<'a, R: Read + Seek> ReadRef<'a> for Capped<'a, R> {
    fn len(self) -> Result<u64, ()> {
        self.0.len()
    }

    fn read_bytes_at(self, offset: u64, size: u64) -> Result<&'a [u8], ()> {
        if size > MAX_HEADER_READ {
            return Err(());
        }
        self.0.read_bytes_at(offset, size)
    }

    fn read_bytes_at_until(self, range: Range<u64>, delimiter: u8) -> Result<&'a [u8], ()> {
        self.0.read_bytes_at_until(range, delimiter)
    }
}

/// A section, as much of it as the scanner needs.
#[derive(Clone, Debug)]
pub(crate) struct Section {
    pub(crate) name: Vec<u8>,
    pub(crate) kind: u32,
    pub(crate) addr: u64,
    pub(crate) offset: u64,
    pub(crate) size: u64,
    pub(crate) link: u32,
}

/// A loadable segment.
#[derive(Clone, Debug)]
pub(crate) struct Segment {
    pub(crate) flags: u32,
    pub(crate) vaddr: u64,
    pub(crate) offset: u64,
    pub(crate) filesz: u64,
}

/// What the headers say.
#[derive(Debug)]
pub(crate) struct ElfInfo {
    pub(crate) big_endian: bool,
    pub(crate) sections: Vec<Section>,
    pub(crate) loads: Vec<Segment>,
    /// `DT_NEEDED` entries.
    pub(crate) needed: Vec<String>,
    pub(crate) file_len: u64,
}

impl ElfInfo {
    pub(crate) fn section(&self, name: &str) -> Option<&Section> {
        self.sections
            .iter()
            .find(|s| s.name == name.as_bytes() && s.kind != elf::SHT_NOBITS)
    }

    /// The string table of the static symbol table, when the binary has one.
    pub(crate) fn symbol_strings(&self) -> Option<&Section> {
        let symtab = self.sections.iter().find(|s| s.kind == elf::SHT_SYMTAB)?;
        self.sections
            .get(symtab.link as usize)
            .filter(|s| s.kind == elf::SHT_STRTAB)
    }

    /// The file ranges of the executable loadable segments: where code lives. These come
    /// from the program headers, which the kernel loads by, not from the section headers,
    /// which a binary runs without (they can be zeroed or renamed).
    pub(crate) fn code_ranges(&self) -> Vec<(u64, u64)> {
        self.loads
            .iter()
            .filter(|s| s.flags & elf::PF_X != 0)
            .map(|s| {
                (
                    s.offset,
                    s.filesz.min(self.file_len.saturating_sub(s.offset)),
                )
            })
            .collect()
    }

    /// The file ranges of all loadable segments (code and read-only data), from the program
    /// headers as [`ElfInfo::code_ranges`] takes them.
    pub(crate) fn load_ranges(&self) -> Vec<(u64, u64)> {
        self.loads
            .iter()
            .filter(|s| s.offset < self.file_len)
            .map(|s| {
                (
                    s.offset,
                    s.filesz.min(self.file_len.saturating_sub(s.offset)),
                )
            })
            .collect()
    }

    /// The file offset of the virtual address range `[va, va + len)`, when one loadable
    /// segment holds it in the file.
    fn file_offset(&self, va: u64, len: u64) -> Option<u64> {
        self.loads.iter().find_map(|s| {
            let end = va.checked_add(len)?;
            (va >= s.vaddr && end <= s.vaddr.checked_add(s.filesz)?)
                .then(|| s.offset.checked_add(va - s.vaddr))
                .flatten()
        })
    }
}

/// Reads the ELF headers; `Ok(None)` when the file is not ELF.
pub(crate) fn read_headers<R: Read + Seek>(r: R) -> Result<(Option<ElfInfo>, R), String> {
    let cache = ReadCache::new(r);
    let data = Capped(&cache);
    let info = match FileKind::parse(data) {
        Ok(FileKind::Elf32) => Some(parse::<elf::FileHeader32<Endianness>, _>(data)?),
        Ok(FileKind::Elf64) => Some(parse::<elf::FileHeader64<Endianness>, _>(data)?),
        _ => None,
    };
    Ok((info, cache.into_inner()))
}

fn parse<'a, Elf, R>(data: R) -> Result<ElfInfo, String>
where
    Elf: FileHeader<Endian = Endianness>,
    R: ReadRef<'a>,
{
    let bad = |what: &str, e: object::Error| format!("malformed ELF: {what}: {e}");
    let header = Elf::parse(data).map_err(|e| bad("file header", e))?;
    let endian = header.endian().map_err(|e| bad("file header", e))?;
    let table = header
        .sections(endian, data)
        .map_err(|e| bad("section headers", e))?;
    let mut sections = Vec::new();
    for s in table.iter() {
        let (offset, size) = s.file_range(endian).unwrap_or((0, 0));
        sections.push(Section {
            name: table.section_name(endian, s).unwrap_or_default().to_vec(),
            kind: s.sh_type(endian),
            addr: s.sh_addr(endian).into(),
            offset,
            size,
            link: s.sh_link(endian),
        });
    }
    let mut loads = Vec::new();
    for p in header
        .program_headers(endian, data)
        .map_err(|e| bad("program headers", e))?
    {
        if p.p_type(endian) == elf::PT_LOAD {
            loads.push(Segment {
                flags: p.p_flags(endian),
                vaddr: p.p_vaddr(endian).into(),
                offset: p.p_offset(endian).into(),
                filesz: p.p_filesz(endian).into(),
            });
        }
    }
    let mut needed = Vec::new();
    for s in table.iter() {
        if s.sh_type(endian) != elf::SHT_DYNAMIC {
            continue;
        }
        let size: u64 = s.sh_size(endian).into();
        let strings = table.section(s.link(endian)).ok();
        let strings_size: u64 = strings.map_or(0, |t| t.sh_size(endian).into());
        if size > MAX_DYNAMIC || strings_size > MAX_DYNAMIC {
            let (what, bytes) = if size > MAX_DYNAMIC {
                ("the dynamic section (.dynamic)", size)
            } else {
                ("the dynamic string table (.dynstr)", strings_size)
            };
            return Err(format!(
                "{OVER_BOUND}{what} is {bytes} bytes, over the scanner's bound of {} MiB \
                 ({MAX_DYNAMIC} bytes) for it",
                MAX_DYNAMIC >> 20
            ));
        }
        let Some((entries, _)) = s.dynamic(endian, data).map_err(|e| bad(".dynamic", e))? else {
            continue;
        };
        let strtab = match strings {
            Some(t) => t.data(endian, data).map_err(|e| bad(".dynstr", e))?,
            None => &[],
        };
        for d in entries {
            if d.d_tag(endian).into() == u64::from(elf::DT_NEEDED) {
                let at = usize::try_from(d.d_val(endian).into()).unwrap_or(usize::MAX);
                if let Some(tail) = strtab.get(at..) {
                    let end = tail.iter().position(|b| *b == 0).unwrap_or(tail.len());
                    needed.push(String::from_utf8_lossy(&tail[..end]).into_owned());
                }
            }
        }
    }
    Ok(ElfInfo {
        big_endian: endian == Endianness::Big,
        sections,
        loads,
        needed,
        file_len: data.len().unwrap_or(0),
    })
}

/// Reads exactly `len` bytes at `offset`, refusing anything past `limit` bytes.
fn read_at<R: Read + Seek>(r: &mut R, offset: u64, len: u64) -> io::Result<Vec<u8>> {
    r.seek(SeekFrom::Start(offset))?;
    let mut buf = Vec::new();
    r.take(len).read_to_end(&mut buf)?;
    if (buf.len() as u64) < len {
        return Err(io::Error::new(
            io::ErrorKind::UnexpectedEof,
            "the file ends inside the Go build information",
        ));
    }
    Ok(buf)
}

/// The raw Go version and module information; `Ok(None)` when the file has no Go build
/// information (not a Go binary). Follows `debug/buildinfo` (Go source,
/// src/debug/buildinfo/buildinfo.go): the `.go.buildinfo` section, else the first writable
/// non-executable segment; a 32-byte header at a 16-byte aligned address; then either two
/// varint-prefixed strings (Go 1.18+) or two pointers to Go string headers (before 1.18).
pub(crate) fn read_build_info<R: Read + Seek>(
    r: &mut R,
    info: &ElfInfo,
) -> Result<Option<(String, Vec<u8>)>, String> {
    let io = |e: io::Error| format!("reading the Go build information: {e}");
    let (addr, offset, size) = match info.section(".go.buildinfo") {
        Some(s) => (s.addr, s.offset, s.size),
        // Go 1.13+ always names the section; only a file whose section table was removed
        // is searched further, at the start of its first writable, non-executable segment.
        None if info.sections.is_empty() => match info
            .loads
            .iter()
            .find(|s| s.flags & (elf::PF_X | elf::PF_W) == elf::PF_W)
        {
            Some(s) => (s.vaddr, s.offset, s.filesz),
            None => return Ok(None),
        },
        None => return Ok(None),
    };
    let size = size.min(info.file_len.saturating_sub(offset));
    // Find the magic at a 16-byte aligned address, a chunk at a time.
    let limit = size.min(MAX_MAGIC_SEARCH);
    let first = (16 - addr % 16) % 16;
    let mut header = None;
    let mut chunk_start = 0u64;
    while header.is_none() && chunk_start < limit {
        let chunk = read_at(
            r,
            offset + chunk_start,
            (SEARCH_CHUNK + 32).min(limit - chunk_start),
        )
        .map_err(io)?;
        let mut i = first;
        while i < SEARCH_CHUNK.min(chunk.len() as u64) {
            let at = i as usize;
            if chunk[at..].starts_with(BUILDINFO_MAGIC) {
                let h = chunk
                    .get(at..at + 32)
                    .ok_or("Go build information header is cut short")?;
                header = Some((h.to_vec(), chunk_start + i));
                break;
            }
            i += 16;
        }
        chunk_start += SEARCH_CHUNK;
    }
    let Some((header, at)) = header else {
        return Ok(None);
    };
    let flags = header[15];
    let region_end = offset + size;
    let (version, modinfo) = if flags & 2 == 2 {
        let mut pos = offset + at + 32;
        let version = read_varint_string(r, &mut pos, region_end, MAX_VERSION)?;
        let modinfo = read_varint_string(r, &mut pos, region_end, MAX_MODINFO)?;
        (version, modinfo)
    } else {
        let ptr_size = u64::from(header[14]);
        if ptr_size != 4 && ptr_size != 8 {
            return Err(format!(
                "Go build information has pointer size {ptr_size}; expected 4 or 8"
            ));
        }
        let big = flags & 1 == 1;
        let read_ptr = |b: &[u8]| -> u64 {
            let mut v = 0u64;
            let bytes = &b[..ptr_size as usize];
            for (i, byte) in bytes.iter().enumerate() {
                let shift = if big { ptr_size as usize - 1 - i } else { i } * 8;
                v |= u64::from(*byte) << shift;
            }
            v
        };
        let vers_ptr = read_ptr(&header[16..]);
        let mod_ptr = read_ptr(&header[16 + ptr_size as usize..]);
        let mut string_at = |ptr: u64, limit: u64| -> Result<Vec<u8>, String> {
            let hdr_off = info
                .file_offset(ptr, 2 * ptr_size)
                .ok_or("Go build information points outside the file")?;
            let hdr = read_at(r, hdr_off, 2 * ptr_size).map_err(io)?;
            let (data, len) = (read_ptr(&hdr), read_ptr(&hdr[ptr_size as usize..]));
            if len > limit {
                return Err(format!(
                    "Go build information string of {len} bytes (limit {limit})"
                ));
            }
            let data_off = info
                .file_offset(data, len)
                .ok_or("Go build information points outside the file")?;
            read_at(r, data_off, len).map_err(io)
        };
        (
            string_at(vers_ptr, MAX_VERSION)?,
            string_at(mod_ptr, MAX_MODINFO)?,
        )
    };
    if version.is_empty() {
        return Ok(None);
    }
    let version =
        String::from_utf8(version).map_err(|_| "the Go version string is not UTF-8".to_owned())?;
    Ok(Some((version, strip_framing(&modinfo).to_vec())))
}

fn read_varint_string<R: Read + Seek>(
    r: &mut R,
    pos: &mut u64,
    end: u64,
    limit: u64,
) -> Result<Vec<u8>, String> {
    let io = |e: io::Error| format!("reading the Go build information: {e}");
    let head = read_at(r, *pos, 10.min(end.saturating_sub(*pos))).map_err(io)?;
    let (mut len, mut n, mut shift) = (0u64, 0usize, 0u32);
    loop {
        let b = *head
            .get(n)
            .ok_or("Go build information: truncated length")?;
        if shift == 63 && b > 1 {
            return Err("Go build information: length overflows".into());
        }
        len |= u64::from(b & 0x7f) << shift;
        n += 1;
        if b & 0x80 == 0 {
            break;
        }
        shift += 7;
    }
    if len > limit {
        return Err(format!(
            "Go build information string of {len} bytes (limit {limit})"
        ));
    }
    *pos += n as u64;
    if pos.saturating_add(len) > end {
        return Err("Go build information runs past its section".into());
    }
    let s = read_at(r, *pos, len).map_err(io)?;
    *pos += len;
    Ok(s)
}

/// Where a binary's crypto markers were searched: the best name table it has.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum NameSource {
    /// Nothing could be searched (a non-Go file without a symbol table).
    Nothing,
    /// The static symbol table's strings.
    Symbols,
    /// Go's function-name table in `.gopclntab` (kept by `-ldflags=-s -w`).
    FunctionNames,
    /// No symbol table and no `.gopclntab` section: the code signatures of
    /// `crypto/internal/boring/sig`, in the executable segments.
    CodeSignatures,
    /// A non-Go binary without a symbol table: the version strings C crypto libraries leave
    /// in read-only data, in the loadable segments.
    VersionStrings,
}

impl NameSource {
    /// The patterns searched in this source.
    pub(crate) fn patterns(self) -> &'static [markers::Pattern] {
        match self {
            NameSource::CodeSignatures => markers::CODE_PATTERNS,
            NameSource::VersionStrings => markers::VERSION_PATTERNS,
            _ => markers::NAME_PATTERNS,
        }
    }

    /// How evidence found in this source is labelled.
    pub(crate) fn evidence_source(self) -> EvidenceSource {
        match self {
            NameSource::Symbols => EvidenceSource::Symbol,
            _ => EvidenceSource::Bytes,
        }
    }

    /// Where the evidence came from, in words.
    pub(crate) fn describe(self) -> &'static str {
        match self {
            NameSource::Nothing => "from its build settings only",
            NameSource::Symbols => "from its symbol table",
            NameSource::FunctionNames => "from the bytes of Go's function-name table (.gopclntab)",
            NameSource::CodeSignatures => {
                "from code signatures in its executable segments (it has no .gopclntab section \
                 either, so no names could be read)"
            }
            NameSource::VersionStrings => {
                "from the version strings crypto libraries leave in its loaded segments (it has \
                 no symbol table: only OpenSSL's `OpenSSL x.y.z` and AWS-LC's `AWS-LC [FIPS] \
                 x.y.z` can be read; BoringSSL and other crypto leave no such string, so \
                 without one the module is unknown, not none)"
            }
        }
    }
}

/// Chooses where to search a binary's markers: the symbol table's strings when there is
/// one; for a Go binary, else its function-name table, else its executable segments.
pub(crate) fn name_ranges<R: Read + Seek>(
    r: &mut R,
    info: &ElfInfo,
    go: bool,
) -> io::Result<(NameSource, Vec<(u64, u64)>)> {
    if let Some(s) = info.symbol_strings() {
        return Ok((NameSource::Symbols, vec![(s.offset, s.size)]));
    }
    if !go {
        return Ok(match info.load_ranges() {
            loads if loads.is_empty() => (NameSource::Nothing, loads),
            loads => (NameSource::VersionStrings, loads),
        });
    }
    Ok(match function_names(r, info)? {
        Some(range) => (NameSource::FunctionNames, vec![range]),
        None => match info.code_ranges() {
            code if code.is_empty() => (NameSource::Nothing, code),
            code => (NameSource::CodeSignatures, code),
        },
    })
}

/// The function-name table inside `.gopclntab` (Go 1.16+: `runtime.pcHeader`'s
/// `funcnameOffset` to `cuOffset`), or the whole section for older layouts.
fn function_names<R: Read + Seek>(r: &mut R, info: &ElfInfo) -> io::Result<Option<(u64, u64)>> {
    let Some(s) = info.section(".gopclntab") else {
        return Ok(None);
    };
    let head = read_at(r, s.offset, 8.min(s.size))?;
    if head.len() < 8 {
        return Ok(Some((s.offset, s.size)));
    }
    let word = |b: &[u8]| {
        let a = [b[0], b[1], b[2], b[3]];
        if info.big_endian {
            u32::from_be_bytes(a)
        } else {
            u32::from_le_bytes(a)
        }
    };
    let magic = word(&head);
    let ptr = u64::from(head[7]);
    // Index of funcnameOffset among the pointer-sized fields after the first 8 bytes.
    let index = match magic {
        0xffff_fff1 | 0xffff_fff0 => 3, // Go 1.20+, Go 1.18-1.19: nfunc, nfiles, textStart
        0xffff_fffa => 2,               // Go 1.16-1.17: nfunc, nfiles
        _ => return Ok(Some((s.offset, s.size))),
    };
    if ptr != 4 && ptr != 8 {
        return Ok(Some((s.offset, s.size)));
    }
    let fields = read_at(r, s.offset + 8, (index + 2) * ptr)?;
    let field = |i: u64| {
        let b = &fields[(i * ptr) as usize..((i + 1) * ptr) as usize];
        let mut v = 0u64;
        for (k, byte) in b.iter().enumerate() {
            let shift = if info.big_endian {
                ptr as usize - 1 - k
            } else {
                k
            } * 8;
            v |= u64::from(*byte) << shift;
        }
        v
    };
    let (start, end) = (field(index), field(index + 1));
    if start < end && end <= s.size {
        Ok(Some((s.offset + start, end - start)))
    } else {
        Ok(Some((s.offset, s.size)))
    }
}
