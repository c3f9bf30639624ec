//! How a scan walks real trees: results as each file is judged, what it leaves out
//! (pseudo file systems, `exclude`, other file systems) and what its messages say.

use std::{
    fs,
    path::{Path, PathBuf},
};

use fips_core::{scan_each, scan_paths, Code, CryptoModule, Policy, ScanOptions};

fn work_dir(name: &str) -> PathBuf {
    let dir = Path::new(env!("CARGO_TARGET_TMPDIR"))
        .join(format!("scan-walk-{name}-{}", std::process::id()));
    let _ = fs::remove_dir_all(&dir);
    fs::create_dir_all(&dir).unwrap();
    dir
}

fn script(path: &Path) {
    fs::create_dir_all(path.parent().unwrap()).unwrap();
    fs::write(path, "#!/bin/sh\n").unwrap();
}

#[test]
fn scan_each_tells_of_each_result_as_judged_in_report_order() {
    let dir = work_dir("each");
    for name in ["etcd", "kubelet", "sub/kube-proxy"] {
        script(&dir.join(name));
    }
    let mut seen = Vec::new();
    let report = scan_each(&[&dir], Policy::embedded(), &ScanOptions::default(), |r| {
        seen.push(r.path.clone())
    })
    .unwrap();
    let paths: Vec<String> = report.results.iter().map(|r| r.path.clone()).collect();
    assert_eq!(seen, paths);
    assert_eq!(seen.len(), 3);
    assert_eq!(report, scan_paths(&[&dir], Policy::embedded()).unwrap());
}

#[test]
fn exclude_leaves_out_a_path_with_what_is_under_it_and_names_by_glob() {
    let dir = work_dir("exclude");
    for name in ["etcd", "kubelet", "skip/kube-proxy", "deep/er/kubectl"] {
        script(&dir.join(name));
    }
    let options = ScanOptions {
        exclude: vec![dir.join("skip").display().to_string(), "kube*".into()],
        one_file_system: false,
    };
    let report = scan_each(&[&dir], Policy::embedded(), &options, |_| {}).unwrap();
    let names: Vec<&str> = report
        .results
        .iter()
        .map(|r| r.path.rsplit('/').next().unwrap())
        .collect();
    assert_eq!(names, ["etcd"]);
    // All left out: the verdict says why nothing was judged.
    let all = ScanOptions {
        exclude: vec!["*".into()],
        one_file_system: false,
    };
    let report = scan_each(&[&dir], Policy::embedded(), &all, |_| {}).unwrap();
    assert_eq!(report.findings[0].code, Code::ScanNothingJudged);
    assert!(
        report.findings[0].message.contains("4 path(s) excluded"),
        "{}",
        report.findings[0].message
    );
}

/// proc is skipped by its file system type (PROC_SUPER_MAGIC, linux/magic.h), so a scan of
/// it ends in a verdict instead of stopping at the first unreadable `/proc/<pid>/fdinfo`.
#[test]
fn proc_is_skipped_by_file_system_type() {
    let report = scan_paths(&["/proc"], Policy::embedded()).unwrap();
    assert!(report.results.is_empty(), "{:?}", report.results.first());
    assert_eq!(report.findings[0].code, Code::ScanNothingJudged);
    assert!(
        report.findings[0].message.contains("pseudo file system"),
        "{}",
        report.findings[0].message
    );
}

/// `one_file_system` does not enter a mount point (`du -x`, `find -xdev`): /dev/shm is a
/// tmpfs of its own under /dev on Linux systems and containers.
#[test]
fn one_file_system_does_not_enter_mount_points() {
    use std::os::unix::fs::MetadataExt;
    let (Ok(dev), Ok(shm)) = (fs::metadata("/dev"), fs::metadata("/dev/shm")) else {
        eprintln!("no /dev/shm here: nothing to check");
        return;
    };
    if dev.dev() == shm.dev() {
        eprintln!("/dev/shm is not a mount point here: nothing to check");
        return;
    }
    let dir = Path::new("/dev/shm").join(format!("fips-scan-walk-{}", std::process::id()));
    script(&dir.join("etcd"));
    let shown = dir.join("etcd").display().to_string();
    let scan = |one_file_system| {
        let options = ScanOptions {
            exclude: Vec::new(),
            one_file_system,
        };
        scan_each(&["/dev"], Policy::embedded(), &options, |_| {})
            .unwrap()
            .results
            .iter()
            .any(|r| r.path == shown)
    };
    let (crossing, staying) = (scan(false), scan(true));
    fs::remove_dir_all(&dir).unwrap();
    assert!(crossing, "without one_file_system, /dev/shm is walked");
    assert!(!staying, "with one_file_system, /dev/shm is not entered");
}

/// An ELF64 file whose `.dynstr` is 5 MiB: over the 4 MiB the scanner reads of it.
fn elf_with_large_dynstr(path: &Path) {
    let dynstr_size: u64 = 5 << 20;
    let mut b = vec![0x7f, b'E', b'L', b'F', 2, 1, 1, 0];
    b.resize(64, 0);
    b[16] = 2; // ET_EXEC
    b[18] = 62; // EM_X86_64
    b[20] = 1; // EV_CURRENT
    b[40..48].copy_from_slice(&64u64.to_le_bytes()); // e_shoff
    b[52] = 64; // e_ehsize
    b[58] = 64; // e_shentsize
    b[60] = 4; // e_shnum
    b[62] = 3; // e_shstrndx
    let section = |kind: u32, offset: u64, size: u64, link: u32| {
        let mut s = vec![0u8; 64];
        s[4..8].copy_from_slice(&kind.to_le_bytes());
        s[24..32].copy_from_slice(&offset.to_le_bytes());
        s[32..40].copy_from_slice(&size.to_le_bytes());
        s[40..44].copy_from_slice(&link.to_le_bytes());
        s
    };
    // Headers at 64..320; then .dynamic (16 bytes: DT_NULL), .shstrtab (one NUL), .dynstr.
    b.extend(section(0, 0, 0, 0));
    b.extend(section(3, 344, dynstr_size, 0)); // SHT_STRTAB: .dynstr
    b.extend(section(6, 320, 16, 1)); // SHT_DYNAMIC, its strings in section 1
    b.extend(section(3, 336, 1, 0)); // SHT_STRTAB: .shstrtab
    b.resize(344 + dynstr_size as usize, 0);
    fs::write(path, b).unwrap();
}

#[test]
fn a_dynamic_string_table_over_the_bound_says_so_not_malformed() {
    let dir = work_dir("bound");
    let file = dir.join("node");
    elf_with_large_dynstr(&file);
    let report = scan_paths(&[&file], Policy::embedded()).unwrap();
    fs::remove_dir_all(&dir).unwrap();
    let finding = &report.results[0].findings[0];
    assert_eq!(finding.code, Code::ScanUnreadable);
    assert!(
        !finding.message.contains("malformed"),
        "{}",
        finding.message
    );
    assert!(
        finding.message.contains(
            "the dynamic string table (.dynstr) is 5242880 bytes, over the scanner's bound of \
             4 MiB (4194304 bytes)"
        ),
        "{}",
        finding.message
    );
    assert!(
        finding
            .remediation
            .starts_with("the file is larger than the scanner reads"),
        "{}",
        finding.remediation
    );
}

/// A dynamically linked file without crypto of its own (as curl, which reaches libcrypto
/// through libcurl) is "none linked directly": the scan does not follow its libraries.
#[test]
fn a_dynamic_file_without_crypto_is_none_linked_directly() {
    let report = scan_paths(&["/bin/true"], Policy::embedded()).unwrap();
    let r = &report.results[0];
    if r.needed.is_empty() {
        eprintln!("/bin/true is static here: nothing to check");
        return;
    }
    assert_eq!(r.crypto_module, CryptoModule::None);
    assert_eq!(r.crypto_text(), "none linked directly");
    let not_go = r
        .findings
        .iter()
        .find(|f| f.code == Code::ScanNotGo)
        .unwrap();
    assert!(
        not_go.message.contains("crypto: none linked directly"),
        "{}",
        not_go.message
    );
}

#[test]
fn a_file_named_directly_that_is_no_component_is_told_so() {
    let dir = work_dir("direct");
    let file = dir.join("notes.sh");
    script(&file);
    let report = scan_paths(&[&file], Policy::embedded()).unwrap();
    let f = &report.results[0].findings[0];
    assert_eq!(f.code, Code::ScanNotGo);
    assert!(
        f.message
            .starts_with("notes.sh is not a component the policy judges (kube-apiserver,"),
        "{}",
        f.message
    );
    assert!(
        !f.remediation.contains("Go build of this component"),
        "{}",
        f.remediation
    );
    assert!(
        report.compliant,
        "a file that is no component never fails a scan"
    );
}
