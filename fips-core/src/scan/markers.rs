//! Crypto markers: the names and byte sequences that tell which crypto a binary links.
//!
//! Every pattern comes from the source that puts it there:
//! - `crypto/internal/boring/sig` (Go, `sig.go` and `sig_amd64.s`): `sig.BoringCrypto` is
//!   called by `crypto/internal/boring`'s init when BoringCrypto is linked, `sig.FIPSOnly` by
//!   `crypto/tls/fipsonly`, `sig.StandardCrypto` by `boring.Unreachable` in standard builds;
//!   on amd64 each is a 2-byte jump over a 5-byte indicator and a 24-byte random sequence,
//!   "known to rsc.io/goversion".
//! - `crypto/internal/boring` (Go, `boring.go`): cgo calls named `_Cfunc__goboringcrypto_*`.
//! - Go 1.24+ `GOFIPS140=vX.Y.Z` links a frozen copy of the module as
//!   `crypto/internal/fips140/vX.Y.Z-<hash>` (dots escaped as `%2e` in symbol names).
//! - golang-fips/openssl (Red Hat's Go, Microsoft's systemcrypto) and
//!   microsoft/go-crypto-openssl: their package paths.
//! - OpenSSL's libcrypto: `OPENSSL_init_crypto` (OpenSSL 1.1.0+), `EVP_DigestInit_ex`; in
//!   the bytes of a binary without symbols, its version text `OPENSSL_VERSION_TEXT`,
//!   `"OpenSSL <x.y.z> <date>"` (include/openssl/opensslv.h(.in), returned by
//!   `OpenSSL_version(OPENSSL_VERSION)`, crypto/cversion.c).
//! - AWS-LC (aws/aws-lc), statically linked by Rust's aws-lc-rs and by C/C++ programs:
//!   `awslc_version_string` (crypto/fipsmodule/service_indicator/service_indicator.c, in
//!   every build) returns `AWSLC_VERSION_STRING`, which is `"AWS-LC FIPS <x.y.z>"` when
//!   `AWSLC_FIPS` is defined and `"AWS-LC <x.y.z>"` otherwise
//!   (include/openssl/service_indicator.h, `AWSLC_MODULE_NAME_STRING`; include/openssl/base.h,
//!   `AWSLC_VERSION_NAME`, `AWSLC_VERSION_NUMBER_STRING`); `OpenSSL_version` returns the same
//!   string (crypto/crypto.c). aws-lc-sys and aws-lc-fips-sys prefix every symbol with
//!   `aws_lc_<x>_<y>_<z>_` and `aws_lc_fips_<x>_<y>_<z>_` (their builder/main.rs,
//!   `prefix_string`), so a BoringSSL marker behind that prefix names AWS-LC too.
//! - BoringSSL (google/boringssl) and AWS-LC: `BORINGSSL_self_test` (include/openssl/crypto.h,
//!   defined in every build, crypto/fipsmodule/self_check/self_check.c(c)). Only a FIPS build
//!   of the module has `BORINGSSL_integrity_test` ("This function only exists if the module
//!   was built in FIPS mode", include/openssl/crypto.h; defined under `BORINGSSL_FIPS` in
//!   crypto/fipsmodule/bcm.c(c)) and the markers its integrity hash is computed between,
//!   `BORINGSSL_bcm_text_start`, `BORINGSSL_bcm_text_end`, `BORINGSSL_bcm_text_hash` (written
//!   by util/fipstools/delocate in static builds, by a linker script in shared ones; bcm.c(c));
//!   `FIPS_mode` returns 1 only in that build (crypto/crypto.c(c)), but its code is not a name.
//!
//! Names are searched in the symbol string table when there is one, otherwise in the Go
//! function-name table (`.gopclntab`, kept by `-ldflags=-s -w`), otherwise in the loaded
//! bytes. Reads are streamed in bounded chunks.

use std::io::{self, Read, Seek, SeekFrom};

use memchr::memmem::Finder;
use serde::{Deserialize, Serialize};

/// What a marker says about a binary.
///
/// ```
/// use fips_core::Signal;
/// assert_eq!(serde_json::to_string(&Signal::FipsOnly).unwrap(), "\"fips-only\"");
/// ```
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
#[non_exhaustive]
pub enum Signal {
    /// Go+BoringCrypto is linked (or, from a setting, was asked for).
    Boringcrypto,
    /// `crypto/tls/fipsonly` is linked: TLS restricted to FIPS-approved settings.
    FipsOnly,
    /// Go's native FIPS 140-3 module is selected (`GOFIPS140`, `fips140=` in `DefaultGODEBUG`).
    GoFips140,
    /// A frozen, versioned copy of Go's FIPS 140-3 module is linked.
    GoFips140Snapshot,
    /// An OpenSSL-backed Go crypto backend is linked (or asked for).
    Openssl,
    /// OpenSSL's libcrypto is linked (dynamically: `DT_NEEDED`; statically: its symbols).
    Libcrypto,
    /// Go's standard crypto (`sig.StandardCrypto`).
    StandardCrypto,
    /// Some Go crypto package is linked.
    GoCrypto,
    /// AWS-LC is linked statically (`awslc_version_string`, or its version string `AWS-LC x.y.z`).
    AwsLc,
    /// The version string of AWS-LC's FIPS build, `AWS-LC FIPS x.y.z`, is in the binary.
    AwsLcFips,
    /// BoringSSL or AWS-LC is linked statically (`BORINGSSL_self_test`).
    Boringssl,
    /// The FIPS module of BoringSSL or AWS-LC is linked: its integrity test
    /// (`BORINGSSL_integrity_test`) or the markers it hashes between (`BORINGSSL_bcm_text_*`).
    BoringsslFipsModule,
}

/// One pattern and what it signals.
pub(crate) struct Pattern {
    pub(crate) bytes: &'static [u8],
    pub(crate) signal: Signal,
    /// What the quoted text around a match must be for the match to count.
    pub(crate) check: Check,
}

/// A condition on the text quoted around a match (see [`quote`]).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Check {
    /// Every match counts.
    Any,
    /// The symbol is exactly the name the pattern ends with (the pattern minus its trailing
    /// NUL), alone or behind the prefix aws-lc-sys or aws-lc-fips-sys gives every symbol
    /// (`aws_lc_0_47_0_`, `aws_lc_fips_0_14_2_`): `my_BORINGSSL_self_test` does not count.
    CSymbol,
    /// The text is the pattern followed by a version number `x.y.z` (digits and dots, an
    /// OpenSSL letter suffix such as `1.1.1w` allowed): a C string, not a sentence about one.
    Version,
}

impl Check {
    fn accepts(self, text: &str, pattern: &[u8]) -> bool {
        if self == Check::Any {
            return true;
        }
        let pattern = pattern.strip_prefix(b"\0").unwrap_or(pattern);
        let pattern = pattern.strip_suffix(b"\0").unwrap_or(pattern);
        let Ok(pattern) = std::str::from_utf8(pattern) else {
            return false;
        };
        match self {
            Check::Any => true,
            Check::CSymbol => text
                .strip_suffix(pattern)
                .is_some_and(|prefix| prefix.is_empty() || is_aws_lc_prefix(prefix)),
            Check::Version => text.strip_prefix(pattern).is_some_and(is_version),
        }
    }
}

/// `aws_lc_<x>_<y>_<z>_` or `aws_lc_fips_<x>_<y>_<z>_`.
fn is_aws_lc_prefix(prefix: &str) -> bool {
    let Some(rest) = prefix.strip_prefix("aws_lc_") else {
        return false;
    };
    let rest = rest.strip_prefix("fips_").unwrap_or(rest);
    let Some(numbers) = rest.strip_suffix('_') else {
        return false;
    };
    let parts: Vec<&str> = numbers.split('_').collect();
    parts.len() == 3
        && parts
            .iter()
            .all(|p| !p.is_empty() && p.bytes().all(|b| b.is_ascii_digit()))
}

/// `x.y.z`, each part digits, the last one optionally followed by one lowercase letter
/// (OpenSSL 1.x patch letters).
fn is_version(v: &str) -> bool {
    let parts: Vec<&str> = v.split('.').collect();
    let digits = |p: &str| !p.is_empty() && p.bytes().all(|b| b.is_ascii_digit());
    parts.len() == 3
        && digits(parts[0])
        && digits(parts[1])
        && (digits(parts[2])
            || parts[2]
                .strip_suffix(|c: char| c.is_ascii_lowercase())
                .is_some_and(digits))
}

const SIG_START: [u8; 7] = [0xEB, 0x1D, 0xF4, 0x48, 0xF4, 0x4B, 0xF4];

const fn sig(tail: [u8; 24]) -> [u8; 31] {
    let mut out = [0u8; 31];
    let mut i = 0;
    while i < 7 {
        out[i] = SIG_START[i];
        i += 1;
    }
    while i < 31 {
        out[i] = tail[i - 7];
        i += 1;
    }
    out
}

// From src/crypto/internal/boring/sig/sig_amd64.s.
const SIG_BORING: [u8; 31] = sig([
    0xB3, 0x32, 0xF5, 0x28, 0x13, 0xA3, 0xB4, 0x50, 0xD4, 0x41, 0xCC, 0x24, 0x85, 0xF0, 0x01, 0x45,
    0x4E, 0x92, 0x10, 0x1B, 0x1D, 0x2F, 0x19, 0x50,
]);
const SIG_STANDARD: [u8; 31] = sig([
    0xba, 0xee, 0x4d, 0xfa, 0x98, 0x51, 0xca, 0x56, 0xa9, 0x11, 0x45, 0xe8, 0x3e, 0x99, 0xc5, 0x9c,
    0xf9, 0x11, 0xcb, 0x8e, 0x80, 0xda, 0xf1, 0x2f,
]);
const SIG_FIPSONLY: [u8; 31] = sig([
    0x36, 0x3C, 0xB9, 0xCE, 0x9D, 0x68, 0x04, 0x7D, 0x31, 0xF2, 0x8D, 0x32, 0x5D, 0x5C, 0xA5, 0x87,
    0x3F, 0x5D, 0x80, 0xCA, 0xF6, 0xD6, 0x15, 0x1B,
]);

/// The package `crypto/internal/boring` makes its cgo calls through Go functions named
/// `crypto/internal/boring._Cfunc__goboringcrypto_<C name>` (cmd/cgo's naming scheme: the
/// package path, `._Cfunc_`, the C name). Only the standard library's package path counts:
/// the same C name called from another package is `<that package>._Cfunc__goboringcrypto_x`.
pub(crate) const BORING_CGO_PREFIX: &str = "crypto/internal/boring._Cfunc__goboringcrypto_";

/// Names, searched in symbol tables and Go's function-name table, both NUL-separated. A
/// leading NUL anchors a pattern to a name's start (so `example.com/crypto/internal/boring/sig`
/// does not count), a trailing NUL to its end: the `sig` functions are matched whole, as Go's
/// function-name table writes them and, with the `.abi0` suffix of assembly functions, as the
/// symbol table does.
pub(crate) const NAME_PATTERNS: &[Pattern] = &[
    Pattern {
        bytes: b"\0crypto/internal/boring/sig.BoringCrypto\0",
        signal: Signal::Boringcrypto,
        check: Check::Any,
    },
    Pattern {
        bytes: b"\0crypto/internal/boring/sig.BoringCrypto.abi0\0",
        signal: Signal::Boringcrypto,
        check: Check::Any,
    },
    Pattern {
        bytes: b"\0crypto/internal/boring._Cfunc__goboringcrypto_",
        signal: Signal::Boringcrypto,
        check: Check::Any,
    },
    Pattern {
        bytes: b"\0crypto/internal/boring/sig.FIPSOnly\0",
        signal: Signal::FipsOnly,
        check: Check::Any,
    },
    Pattern {
        bytes: b"\0crypto/internal/boring/sig.FIPSOnly.abi0\0",
        signal: Signal::FipsOnly,
        check: Check::Any,
    },
    Pattern {
        bytes: b"\0crypto/tls/fipsonly.",
        signal: Signal::FipsOnly,
        check: Check::Any,
    },
    Pattern {
        bytes: b"\0crypto/internal/boring/sig.StandardCrypto\0",
        signal: Signal::StandardCrypto,
        check: Check::Any,
    },
    Pattern {
        bytes: b"\0crypto/internal/boring/sig.StandardCrypto.abi0\0",
        signal: Signal::StandardCrypto,
        check: Check::Any,
    },
    Pattern {
        bytes: b"\0crypto/internal/fips140/v",
        signal: Signal::GoFips140Snapshot,
        check: Check::Any,
    },
    Pattern {
        bytes: b"github.com/golang-fips/openssl",
        signal: Signal::Openssl,
        check: Check::Any,
    },
    Pattern {
        bytes: b"github.com/microsoft/go-crypto-openssl",
        signal: Signal::Openssl,
        check: Check::Any,
    },
    Pattern {
        bytes: b"_Cfunc_go_openssl_",
        signal: Signal::Openssl,
        check: Check::Any,
    },
    Pattern {
        bytes: b"\0OPENSSL_init_crypto",
        signal: Signal::Libcrypto,
        check: Check::Any,
    },
    Pattern {
        bytes: b"\0EVP_DigestInit_ex",
        signal: Signal::Libcrypto,
        check: Check::Any,
    },
    Pattern {
        bytes: b"awslc_version_string\0",
        signal: Signal::AwsLc,
        check: Check::CSymbol,
    },
    Pattern {
        bytes: b"BORINGSSL_self_test\0",
        signal: Signal::Boringssl,
        check: Check::CSymbol,
    },
    Pattern {
        bytes: b"BORINGSSL_integrity_test\0",
        signal: Signal::BoringsslFipsModule,
        check: Check::CSymbol,
    },
    Pattern {
        bytes: b"BORINGSSL_bcm_text_start\0",
        signal: Signal::BoringsslFipsModule,
        check: Check::CSymbol,
    },
    Pattern {
        bytes: b"BORINGSSL_bcm_text_hash\0",
        signal: Signal::BoringsslFipsModule,
        check: Check::CSymbol,
    },
    Pattern {
        bytes: b"\0crypto/",
        signal: Signal::GoCrypto,
        check: Check::Any,
    },
    Pattern {
        bytes: b"golang.org/x/crypto/",
        signal: Signal::GoCrypto,
        check: Check::Any,
    },
];

/// The amd64 code signatures, searched in code when names are not available.
pub(crate) const CODE_PATTERNS: &[Pattern] = &[
    Pattern {
        bytes: &SIG_BORING,
        signal: Signal::Boringcrypto,
        check: Check::Any,
    },
    Pattern {
        bytes: &SIG_FIPSONLY,
        signal: Signal::FipsOnly,
        check: Check::Any,
    },
    Pattern {
        bytes: &SIG_STANDARD,
        signal: Signal::StandardCrypto,
        check: Check::Any,
    },
];

/// The version strings a C library leaves in a binary's read-only data, searched in the
/// loaded segments of a non-Go binary without a symbol table. Each is anchored to a C
/// string's start and must be followed by a version number.
pub(crate) const VERSION_PATTERNS: &[Pattern] = &[
    Pattern {
        bytes: b"\0AWS-LC FIPS ",
        signal: Signal::AwsLcFips,
        check: Check::Version,
    },
    Pattern {
        bytes: b"\0AWS-LC ",
        signal: Signal::AwsLc,
        check: Check::Version,
    },
    Pattern {
        bytes: b"\0OpenSSL ",
        signal: Signal::Libcrypto,
        check: Check::Version,
    },
];

/// A pattern found: the signal and the text around it (the whole NUL-delimited name for
/// names, the pattern's description for code signatures).
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) struct Hit {
    pub(crate) signal: Signal,
    pub(crate) text: String,
}

/// Bytes read per chunk.
const CHUNK: usize = 1 << 20;
/// Bytes kept from one chunk to the next, so that a name cut by a chunk boundary is found
/// whole (longer than any pattern and than the names quoted as evidence).
const OVERLAP: usize = 256;
/// Longest name quoted as evidence.
const MAX_QUOTE: usize = 160;

/// Searches the file ranges `(offset, len)` for every pattern; returns the first hit of each
/// pattern, in pattern order, and the bytes read.
pub(crate) fn search<R: Read + Seek>(
    r: &mut R,
    ranges: &[(u64, u64)],
    patterns: &[Pattern],
) -> io::Result<(Vec<Hit>, u64)> {
    let finders: Vec<Finder<'_>> = patterns.iter().map(|p| Finder::new(p.bytes)).collect();
    let mut found: Vec<Option<Hit>> = vec![None; patterns.len()];
    let mut read = 0u64;
    let mut buf = vec![0u8; CHUNK + OVERLAP];
    for &(offset, len) in ranges {
        r.seek(SeekFrom::Start(offset))?;
        // A range starts at a name's start: a NUL before it lets anchored patterns match the
        // first name (it is not file data, so it is not counted as read).
        buf[0] = 0;
        let mut kept = 1usize;
        let mut left = len;
        while left > 0 && found.iter().any(Option::is_none) {
            let want = usize::try_from(left.min(CHUNK as u64)).unwrap_or(CHUNK);
            let n = super::bytes::read_up_to(r, &mut buf[kept..kept + want])?;
            if n == 0 {
                break;
            }
            read += n as u64;
            left -= n as u64;
            let window = &buf[..kept + n];
            for (i, finder) in finders.iter().enumerate() {
                if found[i].is_some() {
                    continue;
                }
                let pattern = &patterns[i];
                found[i] = finder.find_iter(window).find_map(|at| {
                    let text = quote(window, at, pattern.bytes);
                    pattern.check.accepts(&text, pattern.bytes).then_some(Hit {
                        signal: pattern.signal,
                        text,
                    })
                });
            }
            let filled = window.len();
            let keep = OVERLAP.min(filled);
            buf.copy_within(filled - keep..filled, 0);
            kept = keep;
        }
    }
    Ok((found.into_iter().flatten().collect(), read))
}

/// The NUL-delimited name around a match, or a description of a code signature.
fn quote(window: &[u8], at: usize, pattern: &[u8]) -> String {
    if pattern.starts_with(&SIG_START) {
        let which = match pattern {
            p if p == SIG_BORING => "BoringCrypto",
            p if p == SIG_FIPSONLY => "FIPSOnly",
            _ => "StandardCrypto",
        };
        return format!("code signature of crypto/internal/boring/sig.{which}");
    }
    // A pattern that starts with NUL anchors a name's start: the name begins after it; one
    // that ends with NUL anchors its end.
    let (at, pattern) = match pattern.split_first() {
        Some((0, rest)) => (at + 1, rest),
        _ => (at, pattern),
    };
    let pattern = pattern.strip_suffix(b"\0").unwrap_or(pattern);
    let is_name = |b: &u8| b.is_ascii_graphic();
    let mut start = at;
    while start > 0 && at - start < MAX_QUOTE / 2 && is_name(&window[start - 1]) {
        start -= 1;
    }
    let mut end = at + pattern.len();
    while end < window.len() && end - start < MAX_QUOTE && is_name(&window[end]) {
        end += 1;
    }
    String::from_utf8_lossy(&window[start..end]).into_owned()
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::io::Cursor;

    #[test]
    fn finds_names_across_chunk_boundaries() {
        let name = b"crypto/internal/boring._Cfunc__goboringcrypto_SHA1_Init";
        for pad in [0, CHUNK - 30, CHUNK - 1, CHUNK + 3] {
            let mut data = vec![b'x'; pad];
            data.push(0);
            data.extend_from_slice(name);
            data.push(0);
            let len = data.len() as u64;
            let (hits, read) = search(&mut Cursor::new(data), &[(0, len)], NAME_PATTERNS).unwrap();
            assert_eq!(read, len);
            let boring: Vec<_> = hits
                .iter()
                .filter(|h| h.signal == Signal::Boringcrypto)
                .collect();
            assert_eq!(boring.len(), 1, "pad {pad}");
            assert_eq!(boring[0].text.as_bytes(), &name[..], "pad {pad}");
        }
    }

    #[test]
    fn finds_code_signatures() {
        let mut data = vec![0x90u8; 100];
        data.extend_from_slice(&SIG_FIPSONLY);
        data.push(0xC3);
        let (hits, _) = search(&mut Cursor::new(data), &[(0, 132)], CODE_PATTERNS).unwrap();
        assert_eq!(hits.len(), 1);
        assert_eq!(hits[0].signal, Signal::FipsOnly);
    }

    #[test]
    fn ranges_are_respected() {
        let data = b"\0crypto/sha256.Sum256\0".to_vec();
        let (hits, read) = search(&mut Cursor::new(data), &[(5, 4)], NAME_PATTERNS).unwrap();
        assert!(hits.is_empty());
        assert_eq!(read, 4);
    }
}
