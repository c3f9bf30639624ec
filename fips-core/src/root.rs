//! Reading files under a root directory as if it were `/`, chroot-style.
//!
//! Every path and every symlink is resolved inside the root, one component at a time with
//! `openat(O_NOFOLLOW)` on directory handles (the approach of filepath-securejoin and
//! `openat2(RESOLVE_IN_ROOT)`): an absolute link restarts at the root, `..` never climbs
//! above it, and a component swapped for a symlink between two steps makes the open fail
//! instead of leaving the root. A probe of an image therefore never reads a file of the host.
//! Reads are bounded; fifos, sockets and devices are refused without blocking.
//!
//! Files a user names directly (a policy, a request, an os-release file) are opened the same
//! way, by [`read_text_file`]: the one place that opens a file without blocking on a fifo.

use std::{
    ffi::OsStr,
    fs::File,
    io::Read,
    os::unix::ffi::OsStrExt,
    path::{Path, PathBuf},
};

use rustix::{
    fd::{AsFd, OwnedFd},
    fs::{FileType, Mode, OFlags, CWD},
    io::Errno,
};

use crate::{error::NotText, FileError, RootError};

/// Symlink hops allowed in one resolution, as Linux's `MAXSYMLINKS` (40).
const MAX_SYMLINK_HOPS: usize = 40;
/// Entries read from one directory listing at most.
const MAX_DIR_ENTRIES: usize = 4096;

/// Why [`open_regular`] kept no file.
enum OpenError {
    /// The open itself failed.
    Errno(Errno),
    /// The path is not a regular file; what it is instead.
    NotAFile(&'static str),
}

/// Opens `name` under `dir` for reading, keeping it only when it is a regular file.
///
/// `O_NONBLOCK`: opening a fifo must not wait for a writer. Once the file is known to be a
/// regular one, reads block again, as ordinary files do.
fn open_regular(dir: impl AsFd, name: &OsStr, follow: bool) -> Result<OwnedFd, OpenError> {
    let mut flags = OFlags::RDONLY | OFlags::NONBLOCK | OFlags::CLOEXEC;
    if !follow {
        flags |= OFlags::NOFOLLOW;
    }
    let fd = rustix::fs::openat(dir, name, flags, Mode::empty()).map_err(|e| match e {
        // Opening a socket: there is nothing to read.
        Errno::NXIO => OpenError::NotAFile("a socket"),
        other => OpenError::Errno(other),
    })?;
    let stat = rustix::fs::fstat(&fd).map_err(OpenError::Errno)?;
    let kind = FileType::from_raw_mode(stat.st_mode);
    if kind != FileType::RegularFile {
        return Err(OpenError::NotAFile(describe(kind)));
    }
    rustix::fs::fcntl_setfl(&fd, OFlags::empty()).map_err(OpenError::Errno)?;
    Ok(fd)
}

/// Reads at most `limit` bytes; `None` when the file holds more.
fn read_to_limit(file: File, limit: u64) -> std::io::Result<Option<Vec<u8>>> {
    let mut bytes = Vec::new();
    file.take(limit + 1).read_to_end(&mut bytes)?;
    Ok((bytes.len() as u64 <= limit).then_some(bytes))
}

/// The 1-based line of the first byte that is not UTF-8.
fn first_bad_line(error: &std::string::FromUtf8Error) -> usize {
    let valid = &error.as_bytes()[..error.utf8_error().valid_up_to()];
    valid.iter().filter(|b| **b == b'\n').count() + 1
}

/// Reads a text file a user named (a policy, a request, an os-release file), as the host
/// probe reads files: regular files only, opened without blocking (a fifo or a device never
/// hangs the caller), at most `limit` bytes, UTF-8. Symlinks are followed: the user chose
/// the path.
///
/// ```
/// let text = fips_core::read_text_file("Cargo.toml", 1 << 20)?;
/// assert!(text.contains("[package]"));
/// let err = fips_core::read_text_file("/dev/null", 1 << 20).unwrap_err();
/// assert_eq!(err.to_string(), "expected a regular file, found a character device");
/// # Ok::<(), std::io::Error>(())
/// ```
pub fn read_text_file(path: impl AsRef<Path>, limit: u64) -> std::io::Result<String> {
    use std::io::{Error, ErrorKind};
    let fd = open_regular(CWD, path.as_ref().as_os_str(), true).map_err(|e| match e {
        OpenError::Errno(errno) => Error::from(errno),
        OpenError::NotAFile(kind) => Error::new(ErrorKind::InvalidInput, NotText::NotAFile(kind)),
    })?;
    let Some(bytes) = read_to_limit(File::from(fd), limit)? else {
        return Err(Error::new(ErrorKind::InvalidData, NotText::TooLarge(limit)));
    };
    String::from_utf8(bytes)
        .map_err(|e| Error::new(ErrorKind::InvalidData, NotText::NotUtf8(first_bad_line(&e))))
}

/// An opened root directory.
#[derive(Debug)]
pub(crate) struct Root {
    fd: OwnedFd,
    path: PathBuf,
}

/// What the last component turned out to be.
enum Want {
    File,
    Dir,
}

impl Root {
    /// Opens `path`, a directory the user named, as the root. A root that cannot be opened
    /// (missing, not a directory) is a [`FileError`], as every path the user names is.
    pub(crate) fn open(path: &Path) -> Result<Root, FileError> {
        let fd = rustix::fs::openat(
            CWD,
            path,
            OFlags::RDONLY | OFlags::DIRECTORY | OFlags::CLOEXEC,
            Mode::empty(),
        )
        .map_err(|errno| FileError {
            path: path.to_owned(),
            source: errno.into(),
        })?;
        Ok(Root {
            fd,
            path: path.to_owned(),
        })
    }

    /// The root as given.
    pub(crate) fn path(&self) -> &Path {
        &self.path
    }

    /// Reads a text file of at most `limit` bytes; `None` when it does not exist.
    pub(crate) fn read_text(&self, inner: &str, limit: u64) -> Result<Option<String>, RootError> {
        let Some(bytes) = self.read_bytes(inner, limit)? else {
            return Ok(None);
        };
        match String::from_utf8(bytes) {
            Ok(text) => Ok(Some(text)),
            Err(e) => Err(RootError::NotUtf8 {
                path: PathBuf::from(inner),
                line: first_bad_line(&e),
            }),
        }
    }

    /// Reads a file of at most `limit` bytes; `None` when it does not exist.
    pub(crate) fn read_bytes(&self, inner: &str, limit: u64) -> Result<Option<Vec<u8>>, RootError> {
        let Some(file) = self.open_file(inner)? else {
            return Ok(None);
        };
        match read_to_limit(file, limit) {
            Ok(Some(bytes)) => Ok(Some(bytes)),
            Ok(None) => Err(RootError::TooLarge {
                path: PathBuf::from(inner),
                limit,
            }),
            Err(source) => Err(RootError::Io {
                path: PathBuf::from(inner),
                source,
            }),
        }
    }

    /// Opens a regular file for reading; `None` when it does not exist.
    pub(crate) fn open_file(&self, inner: &str) -> Result<Option<File>, RootError> {
        Ok(self.resolve(inner, Want::File)?.map(File::from))
    }

    /// True when the path exists inside the root (as any kind of file).
    pub(crate) fn exists(&self, inner: &str) -> Result<bool, RootError> {
        match self.resolve(inner, Want::File) {
            Ok(found) => Ok(found.is_some()),
            Err(RootError::NotAFile { .. }) => Ok(true),
            Err(e) => Err(e),
        }
    }

    /// The names in a directory, sorted; `None` when it does not exist.
    pub(crate) fn list_dir(&self, inner: &str) -> Result<Option<Vec<String>>, RootError> {
        let Some(fd) = self.resolve(inner, Want::Dir)? else {
            return Ok(None);
        };
        let io = |e: Errno| RootError::Io {
            path: PathBuf::from(inner),
            source: e.into(),
        };
        let mut names = Vec::new();
        for entry in rustix::fs::Dir::read_from(&fd).map_err(io)? {
            let entry = entry.map_err(io)?;
            let name = entry.file_name().to_bytes();
            if name == b"." || name == b".." {
                continue;
            }
            if names.len() == MAX_DIR_ENTRIES {
                return Err(RootError::TooLarge {
                    path: PathBuf::from(inner),
                    limit: MAX_DIR_ENTRIES as u64,
                });
            }
            names.push(String::from_utf8_lossy(name).into_owned());
        }
        names.sort();
        Ok(Some(names))
    }

    /// Walks `inner` from the root, following symlinks inside it.
    fn resolve(&self, inner: &str, want: Want) -> Result<Option<OwnedFd>, RootError> {
        let shown = || PathBuf::from(inner);
        let io = |e: Errno| RootError::Io {
            path: shown(),
            source: e.into(),
        };
        // Components still to walk, last first, so a symlink's target can be pushed in front.
        let mut pending: Vec<Vec<u8>> = components(inner.as_bytes());
        let mut stack: Vec<OwnedFd> = Vec::new();
        let mut hops = 0;
        while let Some(name) = pending.pop() {
            match name.as_slice() {
                b"." => continue,
                b".." => {
                    stack.pop();
                    continue;
                }
                _ => {}
            }
            let dir = stack.last().unwrap_or(&self.fd);
            let name_os = OsStr::from_bytes(&name);
            match rustix::fs::readlinkat(dir, name_os, Vec::new()) {
                Ok(target) => {
                    hops += 1;
                    if hops > MAX_SYMLINK_HOPS {
                        return Err(RootError::SymlinkLoop { path: shown() });
                    }
                    let target = target.into_bytes();
                    if target.first() == Some(&b'/') {
                        stack.clear();
                    }
                    pending.extend(components(&target));
                    continue;
                }
                Err(Errno::INVAL) => {} // not a symlink
                Err(Errno::NOENT) => return Ok(None),
                // A component that is not a directory (or was swapped for a symlink since
                // readlinkat): an error, never "exists".
                Err(Errno::NOTDIR) => return Err(RootError::NotADirectory { path: shown() }),
                Err(e) => return Err(io(e)),
            }
            let last = pending.is_empty();
            let opened = if last && matches!(want, Want::File) {
                open_regular(dir, name_os, false)
            } else {
                rustix::fs::openat(
                    dir,
                    name_os,
                    OFlags::RDONLY | OFlags::DIRECTORY | OFlags::NOFOLLOW | OFlags::CLOEXEC,
                    Mode::empty(),
                )
                .map_err(OpenError::Errno)
            };
            let fd = match opened {
                Ok(fd) => fd,
                Err(OpenError::Errno(Errno::NOENT)) => return Ok(None),
                // Swapped for a symlink since readlinkat: refuse rather than follow.
                Err(OpenError::Errno(Errno::LOOP)) => {
                    return Err(RootError::SymlinkLoop { path: shown() })
                }
                Err(OpenError::Errno(Errno::NOTDIR)) => {
                    return Err(RootError::NotADirectory { path: shown() })
                }
                Err(OpenError::Errno(e)) => return Err(io(e)),
                Err(OpenError::NotAFile(kind)) => {
                    return Err(RootError::NotAFile {
                        path: shown(),
                        kind: kind.into(),
                    })
                }
            };
            if last {
                return Ok(Some(fd));
            }
            stack.push(fd);
        }
        // The path named the root itself (or a chain of `..`).
        match want {
            Want::Dir => rustix::fs::openat(
                stack.last().unwrap_or(&self.fd),
                ".",
                OFlags::RDONLY | OFlags::DIRECTORY | OFlags::CLOEXEC,
                Mode::empty(),
            )
            .map(Some)
            .map_err(io),
            Want::File => Err(RootError::NotAFile {
                path: shown(),
                kind: "a directory".into(),
            }),
        }
    }
}

/// The non-empty components of a path, reversed (the next one to walk is last).
fn components(path: &[u8]) -> Vec<Vec<u8>> {
    path.split(|b| *b == b'/')
        .filter(|c| !c.is_empty())
        .rev()
        .map(<[u8]>::to_vec)
        .collect()
}

fn describe(kind: FileType) -> &'static str {
    match kind {
        FileType::Directory => "a directory",
        FileType::Fifo => "a fifo",
        FileType::Socket => "a socket",
        FileType::CharacterDevice => "a character device",
        FileType::BlockDevice => "a block device",
        FileType::Symlink => "a symlink",
        _ => "not a regular file",
    }
}
