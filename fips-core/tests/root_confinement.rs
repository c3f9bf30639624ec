//! Root confinement, in the manner of filepath-securejoin's tests: hostile trees built at test
//! time in a temporary directory, each probed with `HostFips::probe`.
//!
//! Beside every root sits `outside/`, standing for the host: its files say `host-sentinel`
//! and turn every FIPS signal on. For each tree the probe must read inside the root or return
//! `Error::Root(..)`; it never returns anything of `outside/`, never hangs on a fifo or a
//! socket, and never reads a file whole when it needs only a bound (a sparse file of
//! gigabytes is refused after a bounded read, counted by the kernel in
//! `/proc/thread-self/io`).
//!
//! The expected resolutions are those of `openat2(RESOLVE_IN_ROOT)` (Linux openat2(2)) and
//! filepath-securejoin: an absolute link restarts at the root, `..` at the root stays there,
//! a dangling link is a missing file, 40 links in one resolution is the most (Linux
//! `MAXSYMLINKS`), and os-release(5): `/etc/os-release` first, `/usr/lib/os-release` only when
//! the former is missing.

use std::{
    fs::{self, File},
    io::{Read, Write},
    os::unix::{fs::symlink, net::UnixListener},
    path::{Path, PathBuf},
    sync::atomic::{AtomicBool, Ordering},
};

use fips_core::{Error, HostFips, Policy, RootError};
use tempfile::TempDir;

/// Every file of `outside/` carries this; it must never appear in a verdict.
const SENTINEL: &str = "host-sentinel";
/// The os-release inside the roots.
const INSIDE: &str = "NAME=\"Inside\"\nID=inside\nVERSION_ID=1.0\nPRETTY_NAME=\"Inside 1.0\"\n";

/// A temporary directory holding `outside/` (the host) and one root per case.
struct Lab {
    dir: TempDir,
}

impl Lab {
    fn new() -> Lab {
        let lab = Lab {
            dir: tempfile::tempdir().expect("a temporary directory"),
        };
        let host = lab.outside();
        let sentinel_os = format!(
            "NAME=\"{SENTINEL}\"\nID={SENTINEL}\nVERSION_ID=\"7.9\"\nPRETTY_NAME=\"{SENTINEL}\"\n"
        );
        write(&host, "etc/os-release", &sentinel_os);
        write(&host, "usr/lib/os-release", &sentinel_os);
        write(
            &host,
            "etc/centos-release",
            &format!("CentOS Linux release 7.9.2009 ({SENTINEL})\n"),
        );
        write(
            &host,
            "etc/redhat-release",
            &format!("Red Hat release 8.4 ({SENTINEL})\n"),
        );
        write(&host, "proc/sys/crypto/fips_enabled", "1\n");
        write(&host, "proc/cmdline", &format!("fips=1 {SENTINEL}\n"));
        write(&host, "etc/system-fips", SENTINEL);
        write(
            &host,
            "etc/crypto-policies/config",
            &format!("FIPS:{SENTINEL}\n"),
        );
        write(
            &host,
            "etc/crypto-policies/state/current",
            &format!("FIPS:{SENTINEL}\n"),
        );
        write(
            &host,
            "etc/default/grub",
            &format!("GRUB_CMDLINE_LINUX=\"fips=1 {SENTINEL}\"\n"),
        );
        write(
            &host,
            "boot/loader/entries/host.conf",
            &format!("title {SENTINEL}\noptions fips=1 {SENTINEL}\n"),
        );
        lab
    }

    /// The stand-in for the host, beside the roots.
    fn outside(&self) -> PathBuf {
        self.dir.path().join("outside")
    }

    /// A fresh, empty root `<lab>/<name>`: `..` from it is the lab, `../outside` the host.
    fn root(&self, name: &str) -> PathBuf {
        let root = self.dir.path().join(name);
        fs::create_dir(&root).expect("a fresh root");
        root
    }

    /// `outside/<inner>` as an absolute path.
    fn host_abs(&self, inner: &str) -> String {
        self.outside()
            .join(inner)
            .to_str()
            .expect("UTF-8 temp path")
            .to_owned()
    }

    /// A relative link text that climbs far above `/` and comes down into `outside/<inner>`:
    /// on the host it names the sentinel from anywhere; inside the root it stays inside.
    fn host_climb(&self, inner: &str) -> String {
        format!(
            "{}{}",
            "../".repeat(64),
            self.host_abs(inner).trim_start_matches('/')
        )
    }
}

fn write(root: &Path, inner: &str, text: &str) {
    let path = root.join(inner);
    fs::create_dir_all(path.parent().expect("a parent")).expect("parent directories");
    fs::write(&path, text).expect("a test file");
}

fn link(root: &Path, inner: &str, target: &str) {
    let path = root.join(inner);
    fs::create_dir_all(path.parent().expect("a parent")).expect("parent directories");
    symlink(target, &path).expect("a test symlink");
}

fn mkdir(root: &Path, inner: &str) {
    fs::create_dir_all(root.join(inner)).expect("a test directory");
}

fn fifo(root: &Path, inner: &str) {
    let path = root.join(inner);
    fs::create_dir_all(path.parent().expect("a parent")).expect("parent directories");
    rustix::fs::mknodat(
        rustix::fs::CWD,
        &path,
        rustix::fs::FileType::Fifo,
        rustix::fs::Mode::from_raw_mode(0o644),
        0,
    )
    .expect("a test fifo");
}

/// What a probe came to, once checked to hold nothing of `outside/`.
#[derive(Debug)]
enum Outcome {
    /// os-release was read; its `ID`.
    Os(String),
    /// No os-release under the root.
    NoOs,
    /// The probe refused the root.
    Refused(RootError),
}

/// Probes `root` and checks that nothing of `outside/` reached the verdict: no sentinel
/// text, no FIPS signal (no root here turns one on, `outside/` turns all on), and any error
/// is a root error.
fn probe(root: &Path) -> Outcome {
    match HostFips::probe(root, Policy::embedded()) {
        Ok(host) => {
            let json = serde_json::to_string(&host).expect("serializable verdict");
            assert!(
                !json.contains(SENTINEL),
                "{}: read the host: {json}",
                root.display()
            );
            let s = &host.signals;
            assert_ne!(
                s.fips_enabled,
                Some(true),
                "{}: host fips_enabled",
                root.display()
            );
            assert_ne!(
                s.cmdline_fips,
                Some(true),
                "{}: host cmdline",
                root.display()
            );
            assert!(!s.system_fips, "{}: host etc/system-fips", root.display());
            assert_ne!(
                s.grub_cmdline_fips,
                Some(true),
                "{}: host grub",
                root.display()
            );
            assert_ne!(
                s.bls_entries_fips,
                Some(true),
                "{}: host BLS",
                root.display()
            );
            assert!(!host.fips_prepared && !host.os_supported, "{json}");
            match host.os {
                Some(os) => Outcome::Os(os.id),
                None => Outcome::NoOs,
            }
        }
        Err(Error::Root(e)) => {
            let shown = format!("{e} {e:?}");
            assert!(!shown.contains(SENTINEL), "{}: {shown}", root.display());
            Outcome::Refused(e)
        }
        Err(other) => panic!("{}: not a root error: {other:?}", root.display()),
    }
}

fn assert_os(root: &Path, id: &str) {
    match probe(root) {
        Outcome::Os(got) if got == id => {}
        other => panic!("{}: expected ID={id}, got {other:?}", root.display()),
    }
}

fn assert_no_os(root: &Path) {
    match probe(root) {
        Outcome::NoOs => {}
        other => panic!("{}: expected no os-release, got {other:?}", root.display()),
    }
}

fn assert_refused(root: &Path, what: fn(&RootError) -> bool) {
    match probe(root) {
        Outcome::Refused(e) if what(&e) => {}
        other => panic!("{}: expected a refusal, got {other:?}", root.display()),
    }
}

fn is_loop(e: &RootError) -> bool {
    matches!(e, RootError::SymlinkLoop { .. })
}

fn is_not_a_file(e: &RootError) -> bool {
    matches!(e, RootError::NotAFile { .. })
}

fn is_too_large(e: &RootError) -> bool {
    matches!(e, RootError::TooLarge { .. })
}

#[test]
fn the_sentinel_host_is_what_an_unconfined_reader_would_see() {
    // The traps below are real: following them as the host's kernel does lands on the
    // sentinel. Without this, a typo in a link would make every other test pass vacuously.
    let lab = Lab::new();
    let root = lab.root("unconfined");
    link(&root, "etc/os-release", &lab.host_climb("etc/os-release"));
    link(&root, "abs", &lab.host_abs("etc/os-release"));
    link(&root, "rel", "../outside/etc/os-release");
    for inner in ["etc/os-release", "abs", "rel"] {
        let text = fs::read_to_string(root.join(inner)).expect("the host's file");
        assert!(text.contains(SENTINEL), "{inner}");
    }
    // And the sentinel host itself probes as the sentinel, which the checker rejects.
    let host = HostFips::probe(lab.outside(), Policy::embedded()).expect("probe of outside/");
    assert_eq!(host.os.expect("os-release").id, SENTINEL);
    assert_eq!(host.fips_mode, Some(true));
    let outside = lab.outside();
    assert!(std::panic::catch_unwind(|| probe(&outside)).is_err());
}

#[test]
fn absolute_links_restart_at_the_root() {
    let lab = Lab::new();
    // The same absolute path exists inside the root: that one is read.
    let root = lab.root("absolute-mirrored");
    link(&root, "etc/os-release", &lab.host_abs("etc/os-release"));
    write(
        &root,
        lab.host_abs("etc/os-release").trim_start_matches('/'),
        INSIDE,
    );
    assert_os(&root, "inside");

    // It does not: the link dangles inside the root, and os-release is missing.
    let root = lab.root("absolute-bare");
    link(&root, "etc/os-release", &lab.host_abs("etc/os-release"));
    assert_no_os(&root);

    // A distribution's own absolute link stays in the image.
    let root = lab.root("absolute-usr-lib");
    link(&root, "etc/os-release", "/usr/lib/os-release");
    write(&root, "usr/lib/os-release", INSIDE);
    assert_os(&root, "inside");
}

#[test]
fn relative_links_climbing_out_stay_in() {
    let lab = Lab::new();
    // `..` past the root stays at the root, so 64 of them land on the root's own copy.
    let root = lab.root("climb-mirrored");
    link(&root, "etc/os-release", &lab.host_climb("etc/os-release"));
    write(
        &root,
        lab.host_abs("etc/os-release").trim_start_matches('/'),
        INSIDE,
    );
    assert_os(&root, "inside");

    let root = lab.root("climb-bare");
    link(&root, "etc/os-release", &lab.host_climb("etc/os-release"));
    assert_no_os(&root);

    // Just enough `..` to reach `outside/` from the root's etc/ on the host.
    let root = lab.root("climb-sibling");
    link(&root, "etc/os-release", "../../outside/etc/os-release");
    assert_no_os(&root);

    // `..` after a link to a directory: `up` resolves to the root, not to the lab.
    let root = lab.root("climb-through-dir-link");
    link(&root, "usr/lib/up", "../../..");
    link(
        &root,
        "etc/os-release",
        "../usr/lib/up/outside/etc/os-release",
    );
    assert_no_os(&root);

    // A link text near Linux's PATH_MAX (4096), nearly all of it `..`.
    let root = lab.root("climb-long");
    let long = format!(
        "{}{}",
        "../".repeat(1250),
        lab.host_abs("etc/os-release").trim_start_matches('/')
    );
    assert!(long.len() < 4096, "{}", long.len());
    link(&root, "etc/os-release", &long);
    assert_no_os(&root);

    // The in-root link of systemd distributions is followed.
    let root = lab.root("usr-lib-link");
    link(&root, "etc/os-release", "../usr/lib/os-release");
    write(&root, "usr/lib/os-release", INSIDE);
    assert_os(&root, "inside");
}

#[test]
fn directory_links_out_of_the_root_are_not_followed_out() {
    let lab = Lab::new();
    let root = lab.root("dir-links-out");
    link(&root, "etc", &lab.host_abs("etc"));
    link(&root, "usr", "../outside/usr");
    link(&root, "proc", &lab.host_climb("proc"));
    link(&root, "boot", "../outside/boot");
    assert_no_os(&root);
    let host = HostFips::probe(&root, Policy::embedded()).expect("a verdict");
    assert_eq!(host.fips_mode, None, "proc/ is not under the root");
    assert_eq!(
        host.signals.bls_entries_fips, None,
        "boot/ is not under the root"
    );
    assert_eq!(host.signals.crypto_policy_config, None);

    // Deeper: each directory below etc/ links out on its own.
    let root = lab.root("subdir-links-out");
    mkdir(&root, "etc");
    link(
        &root,
        "etc/crypto-policies",
        &lab.host_abs("etc/crypto-policies"),
    );
    link(&root, "etc/default", "../../outside/etc/default");
    mkdir(&root, "boot/loader");
    link(
        &root,
        "boot/loader/entries",
        &lab.host_climb("boot/loader/entries"),
    );
    mkdir(&root, "proc/sys");
    link(&root, "proc/sys/crypto", "../../../outside/proc/sys/crypto");
    link(&root, "proc/cmdline", "../../outside/proc/cmdline");
    write(&root, "etc/os-release", INSIDE);
    assert_os(&root, "inside");
}

#[test]
fn directory_links_inside_the_root_are_followed() {
    let lab = Lab::new();
    let root = lab.root("dir-link-in");
    link(&root, "etc", "usr/local/etc");
    write(&root, "usr/local/etc/os-release", INSIDE);
    assert_os(&root, "inside");

    let root = lab.root("dir-link-absolute-in");
    link(&root, "etc", "/usr/local/etc");
    write(&root, "usr/local/etc/os-release", INSIDE);
    assert_os(&root, "inside");
}

#[test]
fn dangling_links_are_missing_files() {
    let lab = Lab::new();
    let root = lab.root("dangling");
    link(&root, "etc/os-release", "../usr/lib/nowhere");
    assert_no_os(&root);

    // os-release(5): a missing etc/os-release falls back to usr/lib/os-release.
    let root = lab.root("dangling-fallback");
    link(&root, "etc/os-release", "/nowhere/os-release");
    write(&root, "usr/lib/os-release", INSIDE);
    assert_os(&root, "inside");

    let root = lab.root("dangling-dir");
    link(&root, "etc", "nowhere");
    link(&root, "usr", "/nowhere");
    assert_no_os(&root);
}

#[test]
fn symlink_loops_are_refused() {
    let lab = Lab::new();
    let root = lab.root("self-loop");
    link(&root, "etc/os-release", "os-release");
    assert_refused(&root, is_loop);

    let root = lab.root("two-loop");
    link(&root, "etc/os-release", "../usr/lib/os-release");
    link(&root, "usr/lib/os-release", "/etc/os-release");
    assert_refused(&root, is_loop);

    let root = lab.root("dir-loop");
    link(&root, "etc", "etc/sub");
    assert_refused(&root, is_loop);

    let root = lab.root("dir-loop-dotdot");
    link(&root, "etc", "./etc/../etc");
    assert_refused(&root, is_loop);

    // A chain longer than Linux's 40 hops, ending at a real file, is refused as the kernel
    // refuses it (ELOOP).
    let root = lab.root("long-chain");
    write(&root, "real", INSIDE);
    for i in 0..60 {
        let next = if i == 59 {
            "/real".to_owned()
        } else {
            format!("l{}", i + 1)
        };
        link(&root, &format!("l{i}"), &next);
    }
    link(&root, "etc/os-release", "/l0");
    assert_refused(&root, is_loop);

    // A short chain is followed.
    let root = lab.root("short-chain");
    write(&root, "real", INSIDE);
    link(&root, "l1", "/real");
    link(&root, "l0", "l1");
    link(&root, "etc/os-release", "../l0");
    assert_os(&root, "inside");
}

#[test]
fn fifos_and_sockets_where_a_file_is_expected_are_refused_without_blocking() {
    let lab = Lab::new();
    // A fifo without a writer: a blocking open would wait forever.
    let root = lab.root("fifo-os-release");
    fifo(&root, "etc/os-release");
    assert_refused(&root, is_not_a_file);

    let root = lab.root("fifo-via-link");
    fifo(&root, "run/initctl");
    link(&root, "etc/os-release", "../run/initctl");
    assert_refused(&root, is_not_a_file);

    for inner in [
        "proc/cmdline",
        "proc/sys/crypto/fips_enabled",
        "etc/crypto-policies/config",
        "etc/default/grub",
        "boot/loader/entries/fifo.conf",
    ] {
        let root = lab.root(&format!("fifo-{}", inner.replace('/', "-")));
        write(&root, "etc/os-release", INSIDE);
        fifo(&root, inner);
        assert_refused(&root, is_not_a_file);
    }

    // CentOS 7 reads etc/centos-release for its minor.
    let root = lab.root("fifo-centos-release");
    write(&root, "etc/os-release", "ID=centos\nVERSION_ID=\"7\"\n");
    fifo(&root, "etc/centos-release");
    assert_refused(&root, is_not_a_file);

    // A listening unix socket.
    let root = lab.root("socket-os-release");
    mkdir(&root, "etc");
    let _listener = UnixListener::bind(root.join("etc/os-release")).expect("a test socket");
    assert_refused(&root, is_not_a_file);

    let root = lab.root("socket-cmdline");
    write(&root, "etc/os-release", INSIDE);
    mkdir(&root, "proc");
    let _listener2 = UnixListener::bind(root.join("proc/cmdline")).expect("a test socket");
    assert_refused(&root, is_not_a_file);
}

#[test]
fn directories_and_devices_where_a_file_is_expected() {
    let lab = Lab::new();
    let root = lab.root("dir-os-release");
    mkdir(&root, "etc/os-release");
    assert_refused(&root, is_not_a_file);

    let root = lab.root("link-to-dir");
    mkdir(&root, "usr/lib");
    link(&root, "etc/os-release", "../usr/lib");
    assert_refused(&root, is_not_a_file);

    let root = lab.root("link-to-root");
    link(&root, "etc/os-release", "/");
    assert_refused(&root, is_not_a_file);

    // A file where a directory is expected.
    let root = lab.root("etc-is-a-file");
    write(&root, "etc", INSIDE);
    assert_refused(&root, |e| matches!(e, RootError::NotADirectory { .. }));

    // The host's devices are out of reach: /dev/zero would never end, /dev/stdin could block.
    let root = lab.root("dev-links");
    link(&root, "etc/os-release", "/dev/zero");
    link(
        &root,
        "usr/lib/os-release",
        &format!("{}dev/stdin", "../".repeat(16)),
    );
    assert_no_os(&root);

    // `/proc` inside the root is the link itself: a loop, never the host's /proc.
    let root = lab.root("proc-link");
    write(&root, "etc/os-release", INSIDE);
    link(&root, "proc", "/proc");
    assert_refused(&root, is_loop);
}

#[test]
fn binary_files_are_refused() {
    let lab = Lab::new();
    // os-release(5): the file is UTF-8; an executable or random bytes are not os-release.
    let root = lab.root("binary-os-release");
    mkdir(&root, "etc");
    fs::write(
        root.join("etc/os-release"),
        b"ID=inside\n\x7fELF\x02\x01\x01\0\xff\xfe\n",
    )
    .expect("a binary file");
    assert!(matches!(
        probe(&root),
        Outcome::Refused(RootError::NotUtf8 { line: 2, .. })
    ));
}

/// The root is a path the user named: one that cannot be opened is error kind `file`, as a
/// missing policy, request or path to scan is, never a root error.
#[test]
fn the_root_must_be_a_directory() {
    let lab = Lab::new();
    let file = lab.dir.path().join("a-file");
    fs::write(&file, INSIDE).expect("a file");
    let missing = lab.dir.path().join("missing");
    for (root, variant) in [(&file, "not-a-directory"), (&missing, "not-found")] {
        let err = HostFips::probe(root, Policy::embedded()).expect_err("no verdict");
        assert_eq!((err.kind(), err.variant()), ("file", variant), "{err:?}");
        let named = err.named_file().expect("the named root");
        assert_eq!(&named.path, root);
    }
}

/// Bytes this thread has read through read(2) and friends so far (proc(5): `rchar`).
fn thread_rchar() -> u64 {
    let io = fs::read_to_string("/proc/thread-self/io")
        .expect("/proc/thread-self/io (Linux task I/O accounting) is needed to count reads");
    io.lines()
        .find_map(|l| l.strip_prefix("rchar: "))
        .and_then(|n| n.trim().parse().ok())
        .expect("an rchar line in /proc/thread-self/io")
}

/// A sparse file of `size` bytes starting with `head`: gigabytes on paper, none on disk.
fn sparse(root: &Path, inner: &str, head: &str, size: u64) {
    let path = root.join(inner);
    fs::create_dir_all(path.parent().expect("a parent")).expect("parent directories");
    let mut file = File::create(&path).expect("a sparse file");
    file.write_all(head.as_bytes()).expect("the head");
    file.set_len(size).expect("a sparse length");
}

#[test]
fn files_of_gigabytes_are_refused_after_a_bounded_read() {
    const SIZE: u64 = 8 << 30;
    // Far more than any bound on these files, far less than the file.
    const MOST_READ: u64 = 16 << 20;
    let lab = Lab::new();
    // Warm up: the first probe runs the crypto self-test.
    let warm = lab.root("warm");
    write(&warm, "etc/os-release", INSIDE);
    assert_os(&warm, "inside");

    let cases: [(&str, &[(&str, &str)]); 5] = [
        ("etc/os-release", &[]),
        ("usr/lib/os-release", &[]),
        (
            "etc/centos-release",
            &[("etc/os-release", "ID=centos\nVERSION_ID=\"7\"\n")],
        ),
        ("proc/cmdline", &[("etc/os-release", INSIDE)]),
        (
            "boot/loader/entries/big.conf",
            &[("etc/os-release", INSIDE)],
        ),
    ];
    for (big, others) in cases {
        let root = lab.root(&format!("sparse-{}", big.replace('/', "-")));
        for (inner, text) in others {
            write(&root, inner, text);
        }
        let head = if big.ends_with("os-release") {
            INSIDE
        } else {
            "fips=1 "
        };
        sparse(&root, big, head, SIZE);
        // The counter counts: reading a bound's worth ourselves shows up in it.
        let before = thread_rchar();
        let mut file = File::open(root.join(big)).expect("the sparse file");
        std::io::copy(&mut (&mut file).take(MOST_READ), &mut std::io::sink()).expect("a read");
        assert!(
            thread_rchar() - before >= MOST_READ,
            "rchar does not count reads"
        );
        let before = thread_rchar();
        assert_refused(&root, is_too_large);
        let read = thread_rchar() - before;
        assert!(
            read < MOST_READ,
            "{big}: the probe read {read} bytes of an {SIZE}-byte file"
        );
    }
}

struct SetOnDrop<'a>(&'a AtomicBool);

impl Drop for SetOnDrop<'_> {
    fn drop(&mut self) {
        self.0.store(true, Ordering::Release);
    }
}

/// Runs `swap` a fixed number of times on one thread while this thread probes `root` until
/// the swaps are done (and at least `MIN_PROBES` times): both sides are bounded. Every
/// verdict is checked by [`probe`]; an os-release that is read must be the root's own.
fn race(root: &Path, swaps: usize, swap: impl Fn(usize) + Sync) -> [usize; 3] {
    const MIN_PROBES: usize = 200;
    let done = AtomicBool::new(false);
    let mut seen = [0; 3]; // inside, absent, refused
    std::thread::scope(|s| {
        s.spawn(|| {
            // Set even if a swap panics, so that the probing loop below ends.
            let _done = SetOnDrop(&done);
            for i in 0..swaps {
                swap(i);
            }
        });
        let mut probes = 0;
        while !(done.load(Ordering::Acquire) && probes >= MIN_PROBES) {
            match probe(root) {
                Outcome::Os(id) => {
                    assert_eq!(id, "inside", "{}", root.display());
                    seen[0] += 1;
                }
                Outcome::NoOs => seen[1] += 1,
                Outcome::Refused(_) => seen[2] += 1,
            }
            probes += 1;
        }
    });
    seen
}

/// Swaps `etc/os-release` between a regular file and a symlink to the host, each swap one
/// atomic rename(2) over it, while the probe runs.
#[test]
fn a_file_swapped_by_rename_while_probing() {
    let lab = Lab::new();
    let root = lab.root("race-file");
    write(&root, "etc/os-release", INSIDE);
    let targets = [
        lab.host_abs("etc/os-release"),
        lab.host_climb("etc/os-release"),
        "../../outside/etc/os-release".to_owned(),
    ];
    let staged = root.join("etc/.staged");
    let live = root.join("etc/os-release");
    let seen = race(&root, 4_000, |i| {
        if i % 2 == 0 {
            symlink(&targets[(i / 2) % targets.len()], &staged).expect("stage a link");
        } else {
            fs::write(&staged, INSIDE).expect("stage a file");
        }
        fs::rename(&staged, &live).expect("swap by rename");
    });
    eprintln!("file swap: [inside, absent, refused] = {seen:?}");
}

/// Swaps the directory `etc` between a real directory and a symlink to the host's `etc`
/// (two renames each way), while the probe runs.
#[test]
fn a_directory_swapped_by_rename_while_probing() {
    let lab = Lab::new();
    let root = lab.root("race-dir");
    write(&root, "etc/os-release", INSIDE);
    link(&root, "etc.link", &lab.host_climb("etc"));
    let [etc, real, away] = ["etc", "etc.real", "etc.link"].map(|n| root.join(n));
    let seen = race(&root, 4_000, |i| {
        if i % 2 == 0 {
            fs::rename(&etc, &real).expect("move the directory away");
            fs::rename(&away, &etc).expect("put the link in");
        } else {
            fs::rename(&etc, &away).expect("move the link away");
            fs::rename(&real, &etc).expect("put the directory back");
        }
    });
    eprintln!("directory swap: [inside, absent, refused] = {seen:?}");
}
