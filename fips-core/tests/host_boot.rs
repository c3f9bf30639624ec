//! Boot entries past any fixed count are read, and a total bound is a finding, never a silent
//! cut-off. The trees are built at test time: hundreds of BLS entries are no fixture to keep.
//!
//! Boot Loader Specification: every `*.conf` in `/boot/loader/entries` is a boot entry; grub's
//! `blscfg` offers all of them, so each one must boot with `fips=1`.

use std::{fs, path::Path};

use fips_core::{Code, HostFips, Policy};

const OS_RELEASE: &str = "NAME=\"Red Hat Enterprise Linux\"\nID=\"rhel\"\nVERSION_ID=\"8.4\"\n\
                          PRETTY_NAME=\"Red Hat Enterprise Linux 8.4 (Ootpa)\"\n";

fn write(root: &Path, inner: &str, text: &str) {
    let path = root.join(inner);
    fs::create_dir_all(path.parent().unwrap()).unwrap();
    fs::write(path, text).unwrap();
}

/// A RHEL 8.4 image with FIPS user space and `entries` BLS entries, all with `fips=1` but the
/// one at `odd`, which gets `odd_options`.
fn image(entries: usize, odd: usize, odd_options: &str, padding: usize) -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path();
    write(root, "etc/os-release", OS_RELEASE);
    write(root, "etc/crypto-policies/config", "FIPS\n");
    write(root, "etc/crypto-policies/state/current", "FIPS\n");
    let pad = format!("# {}\n", "x".repeat(padding));
    for i in 0..entries {
        let options = if i == odd {
            odd_options
        } else {
            "root=/dev/mapper/rhel-root ro fips=1"
        };
        write(
            root,
            &format!("boot/loader/entries/{i:04}-4.18.0-305.el8.x86_64.conf"),
            &format!("{pad}title RHEL {i}\nlinux /vmlinuz-{i}\noptions {options}\n"),
        );
    }
    dir
}

fn codes(host: &HostFips) -> Vec<Code> {
    host.findings.iter().map(|f| f.code).collect()
}

#[test]
fn a_bls_entry_past_the_256th_without_fips_is_seen() {
    // The old probe read the first 256 entries only: entry 299 escaped.
    let dir = image(300, 299, "root=/dev/mapper/rhel-root ro", 0);
    let host = HostFips::probe(dir.path(), Policy::embedded()).unwrap();
    assert_eq!(host.signals.bls_entries_fips, Some(false));
    assert!(!host.fips_prepared);
    assert!(!host.compliant);
    assert!(codes(&host).contains(&Code::HostNotPrepared), "{host:?}");
}

#[test]
fn three_hundred_bls_entries_with_fips_are_all_read_and_pass() {
    let dir = image(300, usize::MAX, "", 0);
    let host = HostFips::probe(dir.path(), Policy::embedded()).unwrap();
    assert_eq!(host.signals.bls_entries_fips, Some(true));
    assert!(host.fips_prepared && host.compliant, "{:?}", host.findings);
}

#[test]
fn bls_entries_over_the_total_bound_are_a_finding_not_a_pass() {
    // 80 entries of about 60 KiB: more than the 4 MiB read in total.
    let dir = image(80, usize::MAX, "", 60 * 1024);
    let host = HostFips::probe(dir.path(), Policy::embedded()).unwrap();
    assert_eq!(host.signals.bls_entries_fips, None);
    assert!(!host.compliant);
    let finding = host
        .findings
        .iter()
        .find(|f| f.code == Code::HostBootConfigUnreadable)
        .unwrap_or_else(|| panic!("no bound finding: {:?}", host.findings));
    assert_eq!(finding.field, "boot/loader/entries");
    assert!(
        finding.message.contains("4194304 bytes"),
        "{}",
        finding.message
    );
}

#[test]
fn a_bls_entry_with_fips_only_after_double_dash_or_in_quotes_does_not_count() {
    for options in [
        "root=/dev/mapper/rhel-root ro -- fips=1",
        "root=/dev/mapper/rhel-root ro rd.note=\"x fips=1 y\"",
        "root=/dev/mapper/rhel-root ro fips=1 fips=0",
    ] {
        let dir = image(2, 1, options, 0);
        let host = HostFips::probe(dir.path(), Policy::embedded()).unwrap();
        assert_eq!(host.signals.bls_entries_fips, Some(false), "{options}");
        assert!(!host.compliant, "{options}");
    }
}
