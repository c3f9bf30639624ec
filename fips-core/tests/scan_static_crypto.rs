//! Statically linked C crypto: AWS-LC and BoringSSL (Rust's aws-lc-rs, Envoy, C/C++) and
//! OpenSSL in binaries without a symbol table. The subjects are synthetic ELF files made
//! here, with exactly the symbol names or version strings the libraries' sources give them
//! (cited in src/scan/markers.rs): the FIPS build of AWS-LC needs Go and CMake to build, so
//! a real one is not built by the tests. The real non-FIPS AWS-LC build is fipsctl itself
//! (fips-cli/tests/scan_self.rs).

use std::{
    fs,
    path::{Path, PathBuf},
};

use fips_core::{scan_paths, Code, CryptoModule, Policy, ScanResult, Severity};

fn work_dir(name: &str) -> PathBuf {
    let dir = Path::new(env!("CARGO_TARGET_TMPDIR"))
        .join(format!("scan-static-{name}-{}", std::process::id()));
    let _ = fs::remove_dir_all(&dir);
    fs::create_dir_all(&dir).unwrap();
    dir
}

/// An ELF64 x86-64 executable: one read-only loadable segment over the whole file holding
/// `data`, and, when `symbols` is `Some`, a static symbol table whose strings are those names.
fn elf(data: &[u8], symbols: Option<&[&str]>) -> Vec<u8> {
    let mut b = vec![0x7f, b'E', b'L', b'F', 2, 1, 1, 0];
    b.resize(64, 0);
    b[16] = 2; // ET_EXEC
    b[18] = 62; // EM_X86_64
    b[20] = 1; // EV_CURRENT
    b[32..40].copy_from_slice(&64u64.to_le_bytes()); // e_phoff
    b[52] = 64; // e_ehsize
    b[54] = 56; // e_phentsize
    b[56] = 1; // e_phnum
    b[58] = 64; // e_shentsize
    b.resize(120, 0); // the program header, filled in below
    let data_at = b.len() as u64;
    b.extend_from_slice(data);
    let mut sections: Vec<(u32, u64, u64, u32, u64)> = vec![(0, 0, 0, 0, 0)];
    sections.push((1, data_at, data.len() as u64, 0, 0)); // SHT_PROGBITS
    if let Some(names) = symbols {
        let strtab_at = b.len() as u64;
        b.push(0);
        for n in names {
            b.extend_from_slice(n.as_bytes());
            b.push(0);
        }
        let strtab_len = b.len() as u64 - strtab_at;
        let symtab_at = b.len() as u64;
        b.extend_from_slice(&[0u8; 24]);
        sections.push((2, symtab_at, 24, 3, 24)); // SHT_SYMTAB, strings in section 3
        sections.push((3, strtab_at, strtab_len, 0, 0)); // SHT_STRTAB
    }
    let shstrtab_at = b.len() as u64;
    b.push(0);
    sections.push((3, shstrtab_at, 1, 0, 0));
    while b.len() % 8 != 0 {
        b.push(0);
    }
    let shoff = b.len() as u64;
    for (kind, offset, size, link, entsize) in &sections {
        let mut s = [0u8; 64];
        s[4..8].copy_from_slice(&kind.to_le_bytes());
        s[24..32].copy_from_slice(&offset.to_le_bytes());
        s[32..40].copy_from_slice(&size.to_le_bytes());
        s[40..44].copy_from_slice(&link.to_le_bytes());
        s[56..64].copy_from_slice(&entsize.to_le_bytes());
        b.extend_from_slice(&s);
    }
    b[40..48].copy_from_slice(&shoff.to_le_bytes());
    b[60..62].copy_from_slice(&(sections.len() as u16).to_le_bytes());
    b[62..64].copy_from_slice(&((sections.len() - 1) as u16).to_le_bytes());
    let len = b.len() as u64;
    let ph = &mut b[64..120];
    ph[0..4].copy_from_slice(&1u32.to_le_bytes()); // PT_LOAD
    ph[4..8].copy_from_slice(&4u32.to_le_bytes()); // PF_R
    ph[16..24].copy_from_slice(&0x40_0000u64.to_le_bytes()); // p_vaddr
    ph[24..32].copy_from_slice(&0x40_0000u64.to_le_bytes()); // p_paddr
    ph[32..40].copy_from_slice(&len.to_le_bytes()); // p_filesz
    ph[40..48].copy_from_slice(&len.to_le_bytes()); // p_memsz
    b
}

/// A policy naming `envoy` as a component and accepting `accepted`.
fn policy(accepted: &[&str]) -> Policy {
    let accepted: Vec<String> = accepted.iter().map(|m| format!("{m:?}")).collect();
    Policy::from_toml_str(&format!(
        "[scan]\naccepted_modules = [{}]\ncomponents = [\"envoy\"]\n",
        accepted.join(", ")
    ))
    .unwrap()
}

fn scan_as(test: &str, name: &str, bytes: &[u8], policy: &Policy) -> ScanResult {
    let dir = work_dir(test);
    let file = dir.join(name);
    fs::write(&file, bytes).unwrap();
    let mut report = scan_paths(&[&file], policy).unwrap();
    fs::remove_dir_all(&dir).unwrap();
    assert_eq!(report.results.len(), 1);
    report.results.remove(0)
}

fn module_of(test: &str, bytes: &[u8]) -> CryptoModule {
    scan_as(test, "tool", bytes, Policy::embedded()).crypto_module
}

fn errors(r: &ScanResult) -> Vec<Code> {
    r.findings
        .iter()
        .filter(|f| f.severity == Severity::Error)
        .map(|f| f.code)
        .collect()
}

/// aws-lc-sys and aws-lc-fips-sys prefix every symbol (builder/main.rs, `prefix_string`).
const AWS_LC: &[&str] = &[
    "aws_lc_0_47_0_BORINGSSL_self_test",
    "aws_lc_0_47_0_EVP_DigestInit_ex",
    "aws_lc_0_47_0_OPENSSL_init_crypto",
];
const AWS_LC_FIPS: &[&str] = &[
    "aws_lc_fips_0_14_2_BORINGSSL_self_test",
    "aws_lc_fips_0_14_2_BORINGSSL_integrity_test",
    "BORINGSSL_bcm_text_start",
    "BORINGSSL_bcm_text_end",
    "aws_lc_fips_0_14_2_EVP_DigestInit_ex",
];
/// BoringSSL and AWS-LC built from C define OpenSSL's names unprefixed.
const BORINGSSL: &[&str] = &[
    "BORINGSSL_self_test",
    "EVP_DigestInit_ex",
    "OPENSSL_init_crypto",
];
const BORINGSSL_FIPS: &[&str] = &[
    "BORINGSSL_self_test",
    "BORINGSSL_integrity_test",
    "BORINGSSL_bcm_text_hash",
    "EVP_DigestInit_ex",
];

#[test]
fn aws_lc_and_boringssl_symbols_name_the_module_and_its_fips_build() {
    let cases = [
        ("aws-lc", AWS_LC, CryptoModule::AwsLc),
        ("aws-lc-fips", AWS_LC_FIPS, CryptoModule::AwsLcFips),
        ("boringssl", BORINGSSL, CryptoModule::Boringssl),
        (
            "boringssl-fips",
            BORINGSSL_FIPS,
            CryptoModule::BoringsslFips,
        ),
    ];
    for (test, symbols, want) in cases {
        assert_eq!(module_of(test, &elf(b"", Some(symbols))), want, "{test}");
    }
    let with_awslc_function = ["BORINGSSL_self_test", "awslc_version_string"];
    assert_eq!(
        module_of("awslc-fn", &elf(b"", Some(&with_awslc_function))),
        CryptoModule::AwsLc
    );
}

#[test]
fn an_integrity_test_name_that_is_not_the_librarys_does_not_make_a_fips_build() {
    let planted = [
        "aws_lc_0_47_0_BORINGSSL_self_test",
        "my_BORINGSSL_integrity_test",
        "aws_lc_x_BORINGSSL_bcm_text_start",
        "BORINGSSL_bcm_text_start_copy",
    ];
    assert_eq!(
        module_of("planted-sym", &elf(b"", Some(&planted))),
        CryptoModule::AwsLc
    );
}

#[test]
fn a_stripped_binary_is_judged_from_aws_lc_and_openssl_version_strings() {
    let cases: [(&str, &[u8], CryptoModule); 4] = [
        (
            "str-fips",
            b"\0AWS-LC FIPS 3.0.0\0",
            CryptoModule::AwsLcFips,
        ),
        (
            "str-awslc",
            b"\0OpenSSL 1.1.1 (compatible; AWS-LC 5.12.0)\0AWS-LC 5.12.0\0",
            CryptoModule::AwsLc,
        ),
        (
            "str-openssl3",
            b"\0OpenSSL 3.0.13 30 Jan 2024\0",
            CryptoModule::Openssl,
        ),
        (
            "str-openssl1",
            b"\0OpenSSL 1.1.1w  11 Sep 2023\0",
            CryptoModule::Openssl,
        ),
    ];
    for (test, data, want) in cases {
        let r = scan_as(test, "tool", &elf(data, None), Policy::embedded());
        assert_eq!(r.crypto_module, want, "{test}");
        assert_eq!(r.stripped, Some(true), "{test}");
        let message = &r.findings[0].message;
        assert!(message.contains("version strings"), "{test}: {message}");
    }
}

#[test]
fn a_stripped_static_binary_without_version_strings_is_unknown_and_says_why() {
    let r = scan_as(
        "str-none",
        "tool",
        &elf(b"\0AWS-LC FIPS module\0OpenSSL FIPS Provider\0", None),
        Policy::embedded(),
    );
    assert_eq!(r.crypto_module, CryptoModule::Unknown);
    let message = &r.findings[0].message;
    assert!(
        message.contains("BoringSSL and other crypto leave no such string"),
        "{message}"
    );
}

#[test]
fn both_aws_lc_version_strings_contradict_each_other() {
    let data = b"\0AWS-LC FIPS 3.0.0\0AWS-LC 5.12.0\0";
    let r = scan_as(
        "str-both",
        "envoy",
        &elf(data, None),
        &policy(&["aws-lc-fips"]),
    );
    assert_eq!(r.crypto_module, CryptoModule::Unknown);
    assert!(
        errors(&r).contains(&Code::ScanContradictoryEvidence),
        "{r:?}"
    );
    assert!(!r.compliant);
}

#[test]
fn a_fips_build_of_aws_lc_or_boringssl_is_accepted_only_if_the_policy_lists_it() {
    let fips = elf(b"", Some(BORINGSSL_FIPS));
    let accepted = scan_as("acc", "envoy", &fips, &policy(&["boringssl-fips"]));
    assert_eq!(accepted.crypto_module, CryptoModule::BoringsslFips);
    assert!(accepted.compliant, "{accepted:?}");
    assert!(errors(&accepted).is_empty());

    let not_listed = scan_as("acc-no", "envoy", &fips, &policy(&["boringcrypto"]));
    assert!(!not_listed.compliant);
    assert_eq!(errors(&not_listed), vec![Code::ScanNotGo]);
    assert!(not_listed.findings[0]
        .message
        .contains("accepted: boringcrypto"));

    let plain = elf(b"", Some(AWS_LC));
    let r = scan_as("acc-plain", "envoy", &plain, &policy(&["aws-lc-fips"]));
    assert_eq!(r.crypto_module, CryptoModule::AwsLc);
    assert!(!r.compliant);
}

#[test]
fn a_module_the_scanner_cannot_name_is_never_credited() {
    let stripped = elf(b"\0nothing here\0", None);
    let r = scan_as(
        "acc-unknown",
        "envoy",
        &stripped,
        &policy(&["unknown", "none", "aws-lc-fips"]),
    );
    assert_eq!(r.crypto_module, CryptoModule::Unknown);
    assert!(!r.compliant);
}

#[test]
fn planted_markers_in_a_non_elf_file_make_nothing_compliant() {
    let mut data = b"\0AWS-LC FIPS 3.0.0\0".to_vec();
    for n in AWS_LC_FIPS {
        data.extend_from_slice(n.as_bytes());
        data.push(0);
    }
    let r = scan_as(
        "planted-data",
        "envoy",
        &data,
        &policy(&["aws-lc-fips", "boringssl-fips"]),
    );
    assert_eq!(r.crypto_module, CryptoModule::Unknown);
    assert!(!r.compliant);
    assert_eq!(errors(&r), vec![Code::ScanNotGo]);
}
