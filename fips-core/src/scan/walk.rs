//! The directory walker: a root filesystem or `bin/` directory, walked through directory
//! handles; symlinks named as components are resolved inside the walked directory.

use std::{
    fs::File,
    os::unix::ffi::OsStrExt,
    path::{Path, PathBuf},
};

use rustix::{
    fd::OwnedFd,
    fs::{FileType, Mode, OFlags},
};

use super::{
    bytes, io_error, is_component,
    pipeline::{scan_reader, unreadable, unreadable_dir},
    Call,
};
use crate::{root::Root, Error, RootError, ScanError};

/// Directory levels walked at most.
const MAX_DEPTH: usize = 64;
/// Directory entries visited per path at most.
const MAX_WALK_ENTRIES: usize = 1_000_000;

/// The `statfs` `f_type` of file systems that hold no files to judge, only views of the
/// kernel (linux/magic.h): a walk does not enter them. Found by type, not by path, so that
/// a proc mounted elsewhere (a container's `/host/proc`) is skipped too, and a real `/proc`
/// directory in an image tree is not.
const PSEUDO_FILE_SYSTEMS: &[(u32, &str)] = &[
    (0x9fa0, "proc"),
    (0x6265_6572, "sysfs"),
    (0x0027_e0eb, "cgroup"),
    (0x6367_7270, "cgroup2"),
    (0x1cd1, "devpts"),
    (0x7363_6673, "securityfs"),
    (0x6462_6720, "debugfs"),
    (0x7472_6163, "tracefs"),
    (0x6165_676c, "pstore"),
    (0xcafe_4a11, "bpf"),
    (0x6265_6570, "configfs"),
    (0xde5e_81e4, "efivarfs"),
    (0x6573_5543, "fusectl"),
    (0x1980_0202, "mqueue"),
    (0x4249_4e4d, "binfmt_misc"),
    (0xf97c_ff8c, "selinuxfs"),
    (0x6e73_6673, "nsfs"),
    (0x0187, "autofs"),
];

/// The pseudo file system a directory is on, if it is on one.
fn pseudo_file_system(dir: &OwnedFd) -> rustix::io::Result<Option<&'static str>> {
    let stat = rustix::fs::fstatfs(dir)?;
    // f_type is a signed word whose width depends on the target; the magic numbers are 32 bits.
    #[allow(clippy::unnecessary_cast)]
    let magic = stat.f_type as u32;
    Ok(PSEUDO_FILE_SYSTEMS
        .iter()
        .find(|(m, _)| *m == magic)
        .map(|(_, name)| *name))
}

pub(crate) fn open_dir(at: impl rustix::fd::AsFd, name: &Path) -> std::io::Result<OwnedFd> {
    Ok(rustix::fs::openat(
        at,
        name,
        OFlags::RDONLY | OFlags::DIRECTORY | OFlags::NOFOLLOW | OFlags::CLOEXEC,
        Mode::empty(),
    )?)
}

/// A walk of a directory the user named.
pub(crate) struct Walk<'r> {
    /// The directory, as a root: symlinks named as components resolve inside it.
    pub(crate) root: &'r Root,
    pub(crate) visited: usize,
    /// The directory is an OCI layout: its `blobs/` (judged as images) are not walked.
    pub(crate) layout: bool,
    /// The device of the directory named: under `one_file_system`, no other is entered.
    pub(crate) device: u64,
}

impl Walk<'_> {
    /// Walks a directory through directory handles (`openat`, never following a symlink), so
    /// that a tree being changed underneath cannot lead the walk outside it. A symlink named
    /// as a component is resolved inside the walked root, as the host probe resolves paths.
    pub(crate) fn dir(
        &mut self,
        dir: OwnedFd,
        shown: PathBuf,
        rel: PathBuf,
        depth: usize,
        call: &mut Call<'_>,
    ) -> Result<(), Error> {
        if depth > MAX_DEPTH {
            return Err(ScanError::Malformed {
                path: shown,
                reason: format!("directories nested deeper than {MAX_DEPTH} levels"),
            }
            .into());
        }
        let device = rustix::fs::fstat(&dir).map(|s| s.st_dev);
        match (device, pseudo_file_system(&dir)) {
            (Err(e), _) | (_, Err(e)) => {
                call.emit(unreadable_dir(&shown, e.to_string()));
                return Ok(());
            }
            (_, Ok(Some(_))) => {
                call.skipped.pseudo += 1;
                return Ok(());
            }
            (Ok(device), Ok(None)) => {
                if call.options.one_file_system && device != self.device {
                    call.skipped.mounts += 1;
                    return Ok(());
                }
            }
        }
        let mut names = Vec::new();
        let entries = match rustix::fs::Dir::read_from(&dir) {
            Ok(entries) => entries,
            Err(e) => {
                call.emit(unreadable_dir(&shown, e.to_string()));
                return Ok(());
            }
        };
        for entry in entries {
            let entry = match entry {
                Ok(entry) => entry,
                // What was read is still judged; the rest is reported.
                Err(e) => {
                    call.emit(unreadable_dir(&shown, e.to_string()));
                    break;
                }
            };
            let name = entry.file_name().to_bytes();
            if name == b"." || name == b".." {
                continue;
            }
            if depth == 0 && self.layout && matches!(name, b"blobs" | b"oci-layout" | b"index.json")
            {
                continue;
            }
            self.visited += 1;
            if self.visited > MAX_WALK_ENTRIES {
                return Err(ScanError::Malformed {
                    path: shown,
                    reason: format!(
                        "more than {MAX_WALK_ENTRIES} entries; scan a narrower directory"
                    ),
                }
                .into());
            }
            names.push((
                std::ffi::OsStr::from_bytes(name).to_owned(),
                entry.file_type(),
            ));
        }
        names.sort_by(|a, b| a.0.cmp(&b.0));
        for (name, kind) in names {
            let path = shown.join(&name);
            if call.options.excludes(&path) {
                call.skipped.excluded += 1;
                continue;
            }
            let inner = rel.join(&name);
            // Names that are not UTF-8 name no component (never a lossy look-alike).
            let text = name.to_str().unwrap_or_default().to_owned();
            match kind {
                FileType::Directory => match open_dir(&dir, Path::new(&name)) {
                    Ok(child) => self.dir(child, path, inner, depth + 1, call)?,
                    Err(e) => call.emit(unreadable_dir(&path, e.to_string())),
                },
                FileType::Symlink => self.link(&path, &inner, &text, call),
                FileType::RegularFile | FileType::Unknown => {
                    let fd = match rustix::fs::openat(
                        &dir,
                        Path::new(&name),
                        OFlags::RDONLY | OFlags::NOFOLLOW | OFlags::NONBLOCK | OFlags::CLOEXEC,
                        Mode::empty(),
                    ) {
                        Ok(fd) => fd,
                        // A symlink (the file system did not say so).
                        Err(rustix::io::Errno::LOOP) => {
                            self.link(&path, &inner, &text, call);
                            continue;
                        }
                        Err(e) => {
                            call.emit(unreadable(&path, &text, e.to_string(), call.policy));
                            continue;
                        }
                    };
                    let stat = rustix::fs::fstat(&fd).map_err(|e| io_error(&path, e.into()))?;
                    match FileType::from_raw_mode(stat.st_mode) {
                        FileType::RegularFile => {}
                        FileType::Directory => {
                            self.dir(fd, path, inner, depth + 1, call)?;
                            continue;
                        }
                        _ => {
                            call.skipped.special += 1;
                            continue;
                        }
                    }
                    rustix::fs::fcntl_setfl(&fd, OFlags::empty())
                        .map_err(|e| io_error(&path, e.into()))?;
                    judge_walked(File::from(fd), &path, &text, call);
                }
                // Fifos, sockets and devices are not binaries.
                _ => call.skipped.special += 1,
            }
        }
        Ok(())
    }

    /// A symlink met by the walk: followed inside the root when its name is a component
    /// (`kube-apiserver -> kube-apiserver-v1.22.8`); otherwise its target, if inside the
    /// tree, is judged where it is.
    fn link(&self, path: &Path, inner: &Path, name: &str, call: &mut Call<'_>) {
        if !is_component(call.policy, name, None) {
            call.skipped.links += 1;
            return;
        }
        let Some(inner) = inner.to_str() else {
            call.skipped.links += 1;
            return;
        };
        match self.root.open_file(inner) {
            Ok(Some(file)) => call.emit(scan_reader(
                file,
                &path.display().to_string(),
                name,
                false,
                call.policy,
            )),
            Ok(None) => call.skipped.dangling += 1,
            Err(RootError::NotAFile { .. }) => call.skipped.dangling += 1,
            Err(e) => call.emit(unreadable(path, name, e.to_string(), call.policy)),
        }
    }
}

/// A regular file met by a walk: judged when it is an ELF file or a component.
fn judge_walked(mut file: File, path: &Path, name: &str, call: &mut Call<'_>) {
    let mut magic = [0u8; 4];
    let elf = bytes::read_up_to(&mut file, &mut magic).ok() == Some(4) && magic == *b"\x7fELF";
    if !elf && !is_component(call.policy, name, None) {
        call.skipped.not_binary += 1;
        return;
    }
    call.emit(scan_reader(
        file,
        &path.display().to_string(),
        name,
        false,
        call.policy,
    ));
}
