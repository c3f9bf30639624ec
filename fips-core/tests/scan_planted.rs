//! Planted evidence: real Go binaries that carry names or bytes of BoringCrypto without
//! linking it, binaries whose section headers were zeroed or renamed (they still run: the
//! kernel loads by program headers), and components under another file name. Each must end
//! in the verdict the documented rules give, never in a better one.
//!
//! The subjects are built by this test with the machine's Go (and gcc for cgo), from sources
//! written here; Go and gcc are required, as for tests/scan.rs.

use std::{
    fs,
    path::{Path, PathBuf},
    process::Command,
    sync::OnceLock,
};

use fips_core::{scan_paths, Code, CryptoModule, Policy, ScanResult, Severity};

/// A program that links standard Go crypto (hashing and TLS, as tests/scan/go/std does).
const STD_MAIN: &str = r#"package main

import (
	"crypto/sha256"
	"crypto/tls"
	"fmt"
)

func main() {
	cfg := &tls.Config{MinVersion: tls.VersionTLS12}
	fmt.Printf("%x %d\n", sha256.Sum256([]byte("abc")), cfg.MinVersion)
	planted()
}
"#;

/// The code signature of `crypto/internal/boring/sig.BoringCrypto`, byte for byte as Go's
/// src/crypto/internal/boring/sig/sig_amd64.s writes it (a jump over 29 bytes, the 5-byte
/// indicator, 24 random bytes, a return).
const BORING_SIGNATURE: [u8; 32] = [
    0xEB, 0x1D, 0xF4, 0x48, 0xF4, 0x4B, 0xF4, 0xB3, 0x32, 0xF5, 0x28, 0x13, 0xA3, 0xB4, 0x50, 0xD4,
    0x41, 0xCC, 0x24, 0x85, 0xF0, 0x01, 0x45, 0x4E, 0x92, 0x10, 0x1B, 0x1D, 0x2F, 0x19, 0x50, 0xC3,
];

/// One subject: Go source files (path, text) in a module, the main package to build, and the
/// environment.
struct Subject {
    name: &'static str,
    module: &'static str,
    files: Vec<(&'static str, String)>,
    package: &'static str,
    env: &'static [(&'static str, &'static str)],
    ldflags: Option<&'static str>,
}

fn subjects() -> Vec<Subject> {
    let no_plant = "package main\n\nfunc planted() {}\n".to_owned();
    // A Go assembly function whose body is BoringCrypto's code signature: it runs (the jump
    // skips the signature), and standard crypto is all that is linked.
    let mut asm =
        String::from("#include \"textflag.h\"\n\nTEXT ·plantedSignature(SB),NOSPLIT,$0\n");
    for b in BORING_SIGNATURE {
        asm.push_str(&format!("\tBYTE ${b:#04x}\n"));
    }
    vec![
        // One cgo function named like a BoringCrypto call: its Go side is
        // main._Cfunc__goboringcrypto_x, its C side _cgo_<hash>_Cfunc__goboringcrypto_x.
        Subject {
            name: "planted-cgo",
            module: "example.com/planted",
            files: vec![
                ("main.go", STD_MAIN.to_owned()),
                (
                    "plant.go",
                    "package main\n\n// void _goboringcrypto_x(void) {}\nimport \"C\"\n\nfunc planted() { C._goboringcrypto_x() }\n".to_owned(),
                ),
            ],
            package: ".",
            env: &[("CGO_ENABLED", "1")],
            ldflags: None,
        },
        // A package whose path ends in crypto/internal/boring/sig, with a BoringCrypto function.
        Subject {
            name: "planted-sig-package",
            module: "evil.example/crypto",
            files: vec![
                ("main.go", STD_MAIN.to_owned()),
                (
                    "plant.go",
                    "package main\n\nimport \"evil.example/crypto/internal/boring/sig\"\n\nfunc planted() { sig.BoringCrypto() }\n".to_owned(),
                ),
                (
                    "internal/boring/sig/sig.go",
                    "package sig\n\n//go:noinline\nfunc BoringCrypto() { println(\"\") }\n".to_owned(),
                ),
            ],
            package: ".",
            env: &[],
            ldflags: None,
        },
        // The exact names of the real package, planted as C symbols (GNU as quotes names).
        Subject {
            name: "planted-exact-names",
            module: "example.com/planted",
            files: vec![
                ("main.go", STD_MAIN.to_owned()),
                (
                    "plant.go",
                    "package main\n\n// void plantedC(void);\nimport \"C\"\n\nfunc planted() { C.plantedC() }\n".to_owned(),
                ),
                (
                    "plant.S",
                    "\t.text\n\
                     \t.globl plantedC\n\
                     plantedC:\n\
                     \t.globl \"crypto/internal/boring/sig.BoringCrypto\"\n\
                     \"crypto/internal/boring/sig.BoringCrypto\":\n\
                     \t.globl \"crypto/internal/boring._Cfunc__goboringcrypto_BORINGSSL_bcm_power_on_self_test\"\n\
                     \"crypto/internal/boring._Cfunc__goboringcrypto_BORINGSSL_bcm_power_on_self_test\":\n\
                     \tret\n\
                     \t.section .note.GNU-stack,\"\",@progbits\n"
                        .to_owned(),
                ),
            ],
            package: ".",
            env: &[("CGO_ENABLED", "1")],
            ldflags: None,
        },
        // BoringCrypto's code signature in a function of its own, stripped of symbols.
        Subject {
            name: "planted-signature",
            module: "example.com/planted",
            files: vec![
                ("main.go", STD_MAIN.to_owned()),
                ("plant.go", "package main\n\nfunc plantedSignature()\n\nfunc planted() { plantedSignature() }\n".to_owned()),
                ("plant_amd64.s", asm),
            ],
            package: ".",
            env: &[],
            ldflags: Some("-s -w"),
        },
        // The trap build (X:boringcrypto, standard crypto linked), stripped: its section
        // headers are zeroed by the test and BoringCrypto's signature put in read-only data.
        Subject {
            name: "boringcrypto-nocgo-stripped",
            module: "example.com/planted",
            files: vec![("main.go", STD_MAIN.to_owned()), ("plant.go", no_plant.clone())],
            package: ".",
            env: &[("GOEXPERIMENT", "boringcrypto"), ("CGO_ENABLED", "0")],
            ldflags: Some("-s -w"),
        },
        // A real Go+BoringCrypto build, stripped: with its section headers zeroed it must
        // still be recognised from its code signature.
        Subject {
            name: "boringcrypto-stripped",
            module: "example.com/planted",
            files: vec![("main.go", STD_MAIN.to_owned()), ("plant.go", no_plant.clone())],
            package: ".",
            env: &[("GOEXPERIMENT", "boringcrypto"), ("CGO_ENABLED", "1")],
            ldflags: Some("-s -w"),
        },
        // Kubernetes' and etcd's main packages (hack/lib/golang.sh; etcd's
        // scripts/build_lib.sh builds ./server of go.etcd.io/etcd/server/v3).
        Subject {
            name: "k8s-apiserver",
            module: "k8s.io/kubernetes",
            files: vec![
                ("cmd/kube-apiserver/main.go", STD_MAIN.to_owned()),
                ("cmd/kube-apiserver/plant.go", no_plant.clone()),
            ],
            package: "./cmd/kube-apiserver",
            env: &[],
            ldflags: None,
        },
        Subject {
            name: "etcd-server",
            module: "go.etcd.io/etcd/server/v3",
            files: vec![("main.go", STD_MAIN.to_owned()), ("plant.go", no_plant)],
            package: ".",
            env: &[],
            ldflags: None,
        },
    ]
}

fn require(tool: &str) {
    let ok = Command::new(tool)
        .arg(if tool == "go" { "version" } else { "--version" })
        .output()
        .is_ok_and(|o| o.status.success());
    assert!(ok, "`{tool}` is required to build the planted test subjects; install it and run the tests again");
}

/// Builds every subject once per test process; returns the directory holding them.
fn built() -> &'static Path {
    static BUILT: OnceLock<PathBuf> = OnceLock::new();
    BUILT.get_or_init(|| {
        require("go");
        require("gcc");
        let root = Path::new(env!("CARGO_TARGET_TMPDIR"))
            .join(format!("scan-planted-{}", std::process::id()));
        let _ = fs::remove_dir_all(&root);
        let out = root.join("bin");
        fs::create_dir_all(&out).unwrap();
        for s in subjects() {
            let src = root.join("src").join(s.name);
            for (path, text) in &s.files {
                let file = src.join(path);
                fs::create_dir_all(file.parent().unwrap()).unwrap();
                fs::write(file, text).unwrap();
            }
            fs::write(
                src.join("go.mod"),
                format!("module {}\n\ngo 1.24\n", s.module),
            )
            .unwrap();
            let mut cmd = Command::new("go");
            cmd.current_dir(&src)
                .env("GOTOOLCHAIN", "local")
                .env("GOWORK", "off")
                .env("GOFLAGS", "-mod=mod")
                .env_remove("GOEXPERIMENT")
                .env_remove("GOFIPS140")
                .env_remove("CGO_ENABLED")
                .envs(s.env.iter().copied())
                .args(["build", "-o"])
                .arg(out.join(s.name));
            if let Some(ld) = s.ldflags {
                cmd.arg(format!("-ldflags={ld}"));
            }
            let output = cmd.arg(s.package).output().expect("run go build");
            assert!(
                output.status.success(),
                "building {} failed: {}",
                s.name,
                String::from_utf8_lossy(&output.stderr)
            );
        }
        out
    })
}

/// A fresh directory holding a copy of subject `subject` named `as_name`.
fn copy_as(subject: &str, as_name: &str, test: &str) -> PathBuf {
    let dir = Path::new(env!("CARGO_TARGET_TMPDIR"))
        .join(format!("scan-planted-{test}-{}", std::process::id()));
    let _ = fs::remove_dir_all(&dir);
    fs::create_dir_all(&dir).unwrap();
    let to = dir.join(as_name);
    fs::copy(built().join(subject), &to).unwrap();
    to
}

fn scan_one(path: &Path) -> ScanResult {
    let report = scan_paths(&[path], Policy::embedded()).unwrap();
    assert_eq!(report.results.len(), 1, "{report:#?}");
    report.results[0].clone()
}

fn has(r: &ScanResult, code: &str, severity: Severity) -> bool {
    r.findings
        .iter()
        .any(|f| f.code.as_str() == code && f.severity == severity)
}

// Little-endian ELF64 fields (the subjects are linux/amd64 binaries).
fn u16_at(b: &[u8], at: usize) -> usize {
    usize::from(u16::from_le_bytes([b[at], b[at + 1]]))
}
fn u64_at(b: &[u8], at: usize) -> usize {
    usize::try_from(u64::from_le_bytes(b[at..at + 8].try_into().unwrap())).unwrap()
}

/// Removes the section header table (`e_shoff`, `e_shnum`, `e_shstrndx` zeroed), as
/// `sstrip`-like tools do: the kernel never reads it, the binary still runs.
fn zero_section_headers(data: &mut [u8]) {
    data[0x28..0x30].fill(0);
    data[0x3C..0x40].fill(0);
}

/// `(offset, filesz, flags)` of each PT_LOAD program header.
fn loads(data: &[u8]) -> Vec<(usize, usize, u32)> {
    let (phoff, phentsize, phnum) = (u64_at(data, 0x20), u16_at(data, 0x36), u16_at(data, 0x38));
    (0..phnum)
        .map(|i| &data[phoff + i * phentsize..])
        .filter(|p| u32::from_le_bytes(p[0..4].try_into().unwrap()) == 1)
        .map(|p| {
            (
                u64_at(p, 8),
                u64_at(p, 32),
                u32::from_le_bytes(p[4..8].try_into().unwrap()),
            )
        })
        .collect()
}

/// Renames a section in the section-name string table (same length, so nothing moves).
fn rename_section(data: &mut [u8], from: &[u8], to: &[u8]) {
    assert_eq!(from.len(), to.len());
    let (shoff, shentsize, shstrndx) = (u64_at(data, 0x28), u16_at(data, 0x3A), u16_at(data, 0x3E));
    let strtab = &data[shoff + shstrndx * shentsize..];
    let (at, size) = (u64_at(strtab, 0x18), u64_at(strtab, 0x20));
    let mut name = from.to_vec();
    name.push(0);
    let i = data[at..at + size]
        .windows(name.len())
        .position(|w| w == name)
        .expect("section name present");
    data[at + i..at + i + from.len()].copy_from_slice(to);
}

#[test]
fn a_cgo_function_named_goboringcrypto_does_not_make_a_standard_binary_boringcrypto() {
    let r = scan_one(&copy_as("planted-cgo", "kube-apiserver", "cgo"));
    assert_eq!(r.crypto_module, CryptoModule::Standard, "{r:#?}");
    assert!(
        has(&r, "FIPS-SCAN-STANDARD-CRYPTO", Severity::Error),
        "{r:#?}"
    );
    assert!(!r.compliant);
}

#[test]
fn a_package_path_ending_in_boring_sig_does_not_count_as_the_standard_library() {
    let r = scan_one(&copy_as("planted-sig-package", "kube-apiserver", "sigpkg"));
    assert_eq!(r.crypto_module, CryptoModule::Standard, "{r:#?}");
    assert!(!r.compliant);
}

#[test]
fn the_exact_boringcrypto_names_beside_standard_crypto_are_contradictory_and_unknown() {
    let r = scan_one(&copy_as("planted-exact-names", "kube-apiserver", "exact"));
    assert_eq!(r.crypto_module, CryptoModule::Unknown, "{r:#?}");
    let why = r
        .findings
        .iter()
        .find(|f| f.code.as_str() == "FIPS-SCAN-CONTRADICTORY-EVIDENCE")
        .unwrap_or_else(|| panic!("no contradiction finding: {r:#?}"));
    assert_eq!(why.severity, Severity::Error);
    assert!(
        why.message.contains("sig.StandardCrypto"),
        "{}",
        why.message
    );
    assert!(
        why.message.contains("not a BoringCrypto build"),
        "{}",
        why.message
    );
    assert!(!r.compliant);
}

#[test]
fn contradictory_code_signatures_without_a_function_table_give_unknown() {
    let path = copy_as("planted-signature", "kube-apiserver", "sigs");
    let mut data = fs::read(&path).unwrap();
    // No symbol table (-s) and no section named .gopclntab: only code signatures are left.
    rename_section(&mut data, b".gopclntab", b".gopclntaX");
    fs::write(&path, &data).unwrap();
    let r = scan_one(&path);
    assert_eq!(r.crypto_module, CryptoModule::Unknown, "{r:#?}");
    assert!(
        has(&r, "FIPS-SCAN-CONTRADICTORY-EVIDENCE", Severity::Error),
        "{r:#?}"
    );
    assert!(!r.compliant);
}

#[test]
fn code_signatures_are_searched_only_in_executable_segments() {
    let path = copy_as("boringcrypto-nocgo-stripped", "kube-apiserver", "rodata");
    let mut data = fs::read(&path).unwrap();
    zero_section_headers(&mut data);
    let (offset, size, _) = loads(&data)
        .into_iter()
        .find(|&(_, size, flags)| flags & 1 == 0 && size > 4096)
        .expect("a non-executable segment");
    let at = offset + size / 2;
    data[at..at + BORING_SIGNATURE.len()].copy_from_slice(&BORING_SIGNATURE);
    fs::write(&path, &data).unwrap();
    let r = scan_one(&path);
    // Its code links standard crypto (sig.StandardCrypto's signature is in .text); the
    // planted bytes in read-only data are not code.
    assert_eq!(r.crypto_module, CryptoModule::Standard, "{r:#?}");
    assert!(
        has(&r, "FIPS-SCAN-STANDARD-CRYPTO", Severity::Error),
        "{r:#?}"
    );
}

#[test]
fn the_stripped_warning_names_code_signatures_when_no_function_table_is_left() {
    let path = copy_as("boringcrypto-stripped", "kube-apiserver", "stripped");
    let mut data = fs::read(&path).unwrap();
    zero_section_headers(&mut data);
    fs::write(&path, &data).unwrap();
    let r = scan_one(&path);
    assert_eq!(r.crypto_module, CryptoModule::Boringcrypto, "{r:#?}");
    let stripped = r
        .findings
        .iter()
        .find(|f| f.code == Code::ScanStripped)
        .unwrap_or_else(|| panic!("no STRIPPED finding: {r:#?}"));
    assert!(
        stripped.message.contains("code signatures"),
        "{}",
        stripped.message
    );
    assert!(
        !stripped.message.contains("function-name table"),
        "{}",
        stripped.message
    );
    assert!(r.compliant, "{r:#?}");
}

#[test]
fn a_renamed_kubernetes_component_is_recognised_by_its_main_package() {
    for name in ["kube-apiserver.bin", "kube-apiserver-v1.22.8"] {
        let path = copy_as("k8s-apiserver", name, name);
        // Found by walking its directory, and named directly.
        for scanned in [path.parent().unwrap(), path.as_path()] {
            let report = scan_paths(&[scanned], Policy::embedded()).unwrap();
            let r = &report.results[0];
            assert!(r.component, "{name}: {r:#?}");
            assert!(
                has(r, "FIPS-SCAN-STANDARD-CRYPTO", Severity::Error),
                "{r:#?}"
            );
            assert!(!report.compliant, "{name}");
        }
    }
}

#[test]
fn a_renamed_etcd_is_recognised_by_its_main_package() {
    let r = scan_one(&copy_as("etcd-server", "etcd-3.5.21", "etcd"));
    assert_eq!(r.package.as_deref(), Some("go.etcd.io/etcd/server/v3"));
    assert!(r.component, "{r:#?}");
    assert!(!r.compliant);
}
