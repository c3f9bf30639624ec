//! The Known-Answer Tests: each vector beside its public source, checked through aws-lc-rs.
//!
//! Every vector below was checked against an independent implementation (Python's
//! `hashlib`/`hmac` and the `cryptography` package) before it was trusted; see
//! `docs/selftest.md`.

use std::borrow::Cow;

use aws_lc_rs::{aead, agreement, digest, hkdf, hmac, rand, signature};

/// One Known-Answer Test: a name that never changes, where its vector comes from, and the test.
pub(super) struct Kat {
    pub(super) name: &'static str,
    pub(super) source: &'static str,
    pub(super) run: fn(&Expect) -> Result<(), String>,
}

/// The expected answers of one KAT: as published, or corrupted when `FIPS_BREAK_KAT` names it.
pub(super) struct Expect {
    broken: bool,
}

impl Expect {
    pub(super) fn new(broken: bool) -> Self {
        Expect { broken }
    }

    /// The known answer, with its first bit flipped when this KAT is broken on purpose.
    pub(super) fn bytes<'a>(&self, known: &'a [u8]) -> Cow<'a, [u8]> {
        match (self.broken, known.split_first()) {
            (true, Some((first, rest))) => {
                let mut corrupted = Vec::with_capacity(known.len());
                corrupted.push(first ^ 0x01);
                corrupted.extend_from_slice(rest);
                Cow::Owned(corrupted)
            }
            _ => Cow::Borrowed(known),
        }
    }

    /// The expected outcome of a yes/no KAT (refused, passed): inverted when broken on purpose.
    pub(super) fn outcome(&self, known: bool) -> bool {
        known != self.broken
    }
}

/// The power-on tests, in the order they run: the published-vector KATs of every algorithm a
/// verdict uses (SHA-2 for digests) and of the module's other symmetric and verify
/// primitives; deterministic, none draws a random byte, so they run before the first verdict
/// without seeding the DRBG. Names are stable: `FIPS_BREAK_KAT` and the report use them.
pub(super) const POWER_ON: &[Kat] = &[
    Kat {
        name: "SHA-256",
        source: "FIPS 180-4 example (NIST CSRC SHA256.pdf): SHA-256(\"abc\")",
        run: sha256,
    },
    Kat {
        name: "SHA-384",
        source: "FIPS 180-4 example (NIST CSRC SHA384.pdf): SHA-384(\"abc\")",
        run: sha384,
    },
    Kat {
        name: "SHA-512",
        source: "FIPS 180-4 example (NIST CSRC SHA512.pdf): SHA-512(\"abc\")",
        run: sha512,
    },
    Kat {
        name: "HMAC-SHA-256",
        source: "RFC 4231 section 4.3, test case 2 (key \"Jefe\")",
        run: hmac_sha256,
    },
    Kat {
        name: "HMAC-SHA-512",
        source: "RFC 4231 section 4.3, test case 2 (key \"Jefe\")",
        run: hmac_sha512,
    },
    Kat {
        name: "AES-128-GCM-SEAL",
        source: "McGrew & Viega, The Galois/Counter Mode of Operation (GCM), NIST submission, test case 4",
        run: aes128_gcm_seal,
    },
    Kat {
        name: "AES-128-GCM-OPEN",
        source: "McGrew & Viega, The Galois/Counter Mode of Operation (GCM), NIST submission, test case 4",
        run: aes128_gcm_open,
    },
    Kat {
        name: "AES-256-GCM-SEAL",
        source: "McGrew & Viega, The Galois/Counter Mode of Operation (GCM), NIST submission, test case 16",
        run: aes256_gcm_seal,
    },
    Kat {
        name: "AES-256-GCM-OPEN",
        source: "McGrew & Viega, The Galois/Counter Mode of Operation (GCM), NIST submission, test case 16",
        run: aes256_gcm_open,
    },
    Kat {
        name: "AES-GCM-TAMPERED-TAG",
        source: "McGrew & Viega GCM test case 4 with the last tag bit flipped: must be refused",
        run: aes_gcm_tampered_tag,
    },
    Kat {
        name: "ECDSA-P256-SHA256-VERIFY",
        source: "NIST CAVP 186-3 ECDSA SigVer.rsp [P-256,SHA-256], 4th vector (Result = P)",
        run: ecdsa_p256_verify,
    },
    Kat {
        name: "ECDSA-P384-SHA384-VERIFY",
        source: "NIST CAVP 186-3 ECDSA SigVer.rsp [P-384,SHA-384], 2nd vector (Result = P)",
        run: ecdsa_p384_verify,
    },
    Kat {
        name: "RSA-2048-PKCS1-SHA256-VERIFY",
        source: "NIST CAVP 186-3 RSA SigVer15_186-3.rsp [mod = 2048], 1st SHAAlg = SHA256 vector (n = c47abacc..., e = 49d2a1, Result = P)",
        run: rsa2048_pkcs1_verify,
    },
    Kat {
        name: "RSA-2048-PSS-SHA256-VERIFY",
        source: "NIST CAVP 186-3 RSA SigVerPSS_186-3.rsp [mod = 2048], 2nd SHAAlg = SHA256 vector (salt length 32, Result = P)",
        run: rsa2048_pss_verify,
    },
    Kat {
        name: "ECDH-P256",
        source: "NIST CAVP KAS ECC CDH primitive test vectors (KAS_ECC_CDH_PrimitiveTest.txt) [P-256] COUNT = 0",
        run: ecdh_p256,
    },
    Kat {
        name: "HKDF-SHA256",
        source: "RFC 5869 appendix A.1, test case 1",
        run: hkdf_sha256,
    },
];

/// The conditional tests, in the order they run: before the first use of randomness in the
/// process (FIPS 140-3 IG 10.3.A), which is also the first use of the algorithms no verdict
/// uses (TLS's key exchange and signatures, key generation), not before a verdict.
pub(super) const CONDITIONAL: &[Kat] = &[
    // AWS-LC's own CASTs first: its CTR-DRBG KATs test the DRBG before anything draws from
    // it. Most of its cost is the FFDH and RSA tests (modular exponentiations, about 70% of a
    // `fipsctl validate` process when it ran at power-on), for algorithms only TLS uses;
    // AWS-LC's FIPS module itself runs them lazily, before their first use.
    Kat {
        name: "AWS-LC-SELF-TEST",
        source: "AWS-LC's own KATs (BORINGSSL_self_test, crypto/fipsmodule/self_check/self_check.c): CTR-DRBG (SP 800-90A) generate and reseed, AES, SHA, HMAC, HKDF, RSA, ECDSA, ECDH, FFDH, ML-KEM, ML-DSA, EdDSA",
        run: aws_lc_self_test,
    },
    // The DRBG answers before the tests that draw from it.
    Kat {
        name: "RNG-HEALTH",
        source: "not a KAT (aws-lc-rs exposes no DRBG that takes fixed entropy): SystemRandom fills two 32-byte buffers without error, neither all zero, and they differ",
        run: rng_health,
    },
    Kat {
        name: "ECDSA-P256-PCT",
        source: "pairwise consistency test, no published vector (ECDSA signing is randomized): sign with a fresh P-256 key, verify with its public key",
        run: ecdsa_p256_pct,
    },
    Kat {
        name: "ECDSA-P384-PCT",
        source: "pairwise consistency test, no published vector (ECDSA signing is randomized): sign with a fresh P-384 key, verify with its public key",
        run: ecdsa_p384_pct,
    },
];

/// Decodes a hex literal at compile time; a malformed literal is a build error, never a runtime one.
const fn hex<const N: usize>(text: &str) -> [u8; N] {
    const fn nibble(c: u8) -> u8 {
        match c {
            b'0'..=b'9' => c - b'0',
            b'a'..=b'f' => c - b'a' + 10,
            b'A'..=b'F' => c - b'A' + 10,
            _ => panic!("not a hex digit in a KAT vector"),
        }
    }
    let text = text.as_bytes();
    assert!(
        text.len() == 2 * N,
        "KAT vector hex length differs from its declared size"
    );
    let mut out = [0u8; N];
    let mut i = 0;
    while i < N {
        out[i] = (nibble(text[2 * i]) << 4) | nibble(text[2 * i + 1]);
        i += 1;
    }
    out
}

fn same(what: &str, got: &[u8], expected: &[u8]) -> Result<(), String> {
    if got == expected {
        Ok(())
    } else {
        Err(format!("{what} differs from the known answer"))
    }
}

// --- SHA-2: FIPS 180-4, the one-block message "abc" (NIST CSRC examples) ---

const SHA256_ABC: [u8; 32] =
    hex("ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
const SHA384_ABC: [u8; 48] = hex(concat!(
    "cb00753f45a35e8bb5a03d699ac65007272c32ab0eded1631a8b605a43ff5bed",
    "8086072ba1e7cc2358baeca134c825a7",
));
const SHA512_ABC: [u8; 64] = hex(concat!(
    "ddaf35a193617abacc417349ae20413112e6fa4e89a97ea20a9eeee64b55d39a",
    "2192992a274fc1a836ba3c23a3feebbd454d4423643ce80e2a9ac94fa54ca49f",
));

fn sha(alg: &'static digest::Algorithm, known: &[u8], expect: &Expect) -> Result<(), String> {
    same(
        "digest of \"abc\"",
        digest::digest(alg, b"abc").as_ref(),
        &expect.bytes(known),
    )
}

fn sha256(expect: &Expect) -> Result<(), String> {
    sha(&digest::SHA256, &SHA256_ABC, expect)
}

fn sha384(expect: &Expect) -> Result<(), String> {
    sha(&digest::SHA384, &SHA384_ABC, expect)
}

fn sha512(expect: &Expect) -> Result<(), String> {
    sha(&digest::SHA512, &SHA512_ABC, expect)
}

// --- HMAC: RFC 4231 section 4.3, test case 2 ---

const HMAC_KEY: &[u8] = b"Jefe";
const HMAC_DATA: &[u8] = b"what do ya want for nothing?";
const HMAC_SHA256_TC2: [u8; 32] =
    hex("5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843");
const HMAC_SHA512_TC2: [u8; 64] = hex(concat!(
    "164b7a7bfcf819e2e395fbe73b56e0a387bd64222e831fd610270cd7ea250554",
    "9758bf75c05a994a6d034f65f8f0e6fdcaeab1a34d4a6b4b636e070a38bce737",
));

fn hmac_kat(alg: hmac::Algorithm, known: &[u8], expect: &Expect) -> Result<(), String> {
    let tag = hmac::sign(&hmac::Key::new(alg, HMAC_KEY), HMAC_DATA);
    same("HMAC tag", tag.as_ref(), &expect.bytes(known))
}

fn hmac_sha256(expect: &Expect) -> Result<(), String> {
    hmac_kat(hmac::HMAC_SHA256, &HMAC_SHA256_TC2, expect)
}

fn hmac_sha512(expect: &Expect) -> Result<(), String> {
    hmac_kat(hmac::HMAC_SHA512, &HMAC_SHA512_TC2, expect)
}

// --- AES-GCM: McGrew & Viega, "The Galois/Counter Mode of Operation (GCM)", test cases 4 and 16
// (same plaintext, AAD and 96-bit IV; 128- and 256-bit keys) ---

const GCM_KEY_128: [u8; 16] = hex("feffe9928665731c6d6a8f9467308308");
const GCM_KEY_256: [u8; 32] =
    hex("feffe9928665731c6d6a8f9467308308feffe9928665731c6d6a8f9467308308");
const GCM_IV: [u8; 12] = hex("cafebabefacedbaddecaf888");
const GCM_AAD: [u8; 20] = hex("feedfacedeadbeeffeedfacedeadbeefabaddad2");
const GCM_PLAINTEXT: [u8; 60] = hex(concat!(
    "d9313225f88406e5a55909c5aff5269a86a7a9531534f7da2e4c303d8a318a72",
    "1c3c0c95956809532fcf0e2449a6b525b16aedf5aa0de657ba637b39",
));
/// Test case 4: C || T.
const GCM_TC4_SEALED: [u8; 76] = hex(concat!(
    "42831ec2217774244b7221b784d0d49ce3aa212f2c02a4e035c17e2329aca12e",
    "21d514b25466931c7d8f6a5aac84aa051ba30b396a0aac973d58e091",
    "5bc94fbc3221a5db94fae95ae7121a47",
));
/// Test case 16: C || T.
const GCM_TC16_SEALED: [u8; 76] = hex(concat!(
    "522dc1f099567d07f47f37a32a84427d643a8cdcbfe5c0c97598a2bd2555d1aa",
    "8cb08e48590dbb3da7b08b1056828838c5f61e6393ba7a0abcc9f662",
    "76fc6ece0f4e1768cddf8853bb2d551b",
));

fn gcm_key(alg: &'static aead::Algorithm, key: &[u8]) -> Result<aead::LessSafeKey, String> {
    aead::UnboundKey::new(alg, key)
        .map(aead::LessSafeKey::new)
        .map_err(|_| "the module refused the known AES key".to_string())
}

fn gcm_seal(
    alg: &'static aead::Algorithm,
    key: &[u8],
    known: &[u8],
    expect: &Expect,
) -> Result<(), String> {
    let key = gcm_key(alg, key)?;
    let mut sealed = GCM_PLAINTEXT.to_vec();
    key.seal_in_place_append_tag(
        aead::Nonce::assume_unique_for_key(GCM_IV),
        aead::Aad::from(GCM_AAD),
        &mut sealed,
    )
    .map_err(|_| "sealing the known plaintext failed".to_string())?;
    same("ciphertext || tag", &sealed, &expect.bytes(known))
}

fn gcm_open(
    alg: &'static aead::Algorithm,
    key: &[u8],
    sealed: &[u8],
    expect: &Expect,
) -> Result<(), String> {
    let key = gcm_key(alg, key)?;
    let mut in_out = sealed.to_vec();
    let opened = key
        .open_in_place(
            aead::Nonce::assume_unique_for_key(GCM_IV),
            aead::Aad::from(GCM_AAD),
            &mut in_out,
        )
        .map_err(|_| "opening the known ciphertext and tag failed".to_string())?;
    same("plaintext", opened, &expect.bytes(&GCM_PLAINTEXT))
}

fn aes128_gcm_seal(expect: &Expect) -> Result<(), String> {
    gcm_seal(&aead::AES_128_GCM, &GCM_KEY_128, &GCM_TC4_SEALED, expect)
}

fn aes128_gcm_open(expect: &Expect) -> Result<(), String> {
    gcm_open(&aead::AES_128_GCM, &GCM_KEY_128, &GCM_TC4_SEALED, expect)
}

fn aes256_gcm_seal(expect: &Expect) -> Result<(), String> {
    gcm_seal(&aead::AES_256_GCM, &GCM_KEY_256, &GCM_TC16_SEALED, expect)
}

fn aes256_gcm_open(expect: &Expect) -> Result<(), String> {
    gcm_open(&aead::AES_256_GCM, &GCM_KEY_256, &GCM_TC16_SEALED, expect)
}

fn aes_gcm_tampered_tag(expect: &Expect) -> Result<(), String> {
    let key = gcm_key(&aead::AES_128_GCM, &GCM_KEY_128)?;
    let mut tampered = GCM_TC4_SEALED.to_vec();
    if let Some(last) = tampered.last_mut() {
        *last ^= 0x01;
    }
    let refused = key
        .open_in_place(
            aead::Nonce::assume_unique_for_key(GCM_IV),
            aead::Aad::from(GCM_AAD),
            &mut tampered,
        )
        .is_err();
    if refused == expect.outcome(true) {
        Ok(())
    } else if refused {
        Err("a tampered tag was refused, but the (broken) expected answer was acceptance".into())
    } else {
        Err("a ciphertext with a tampered tag was accepted".into())
    }
}

// --- ECDSA verify: NIST CAVP 186-3 ECDSA test vectors, SigVer.rsp. Msg is the whole message
// (hashed by the verifier), Q = 04 || Qx || Qy, signature = R || S ---

// [P-256,SHA-256], the 4th vector, the first with "Result = P".
const P256_MSG: [u8; 128] = hex(concat!(
    "e1130af6a38ccb412a9c8d13e15dbfc9e69a16385af3c3f1e5da954fd5e7c45f",
    "d75e2b8c36699228e92840c0562fbf3772f07e17f1add56588dd45f7450e1217",
    "ad239922dd9c32695dc71ff2424ca0dec1321aa47064a044b7fe3c2b97d03ce4",
    "70a592304c5ef21eed9f93da56bb232d1eeb0035f9bf0dfafdcc4606272b20a3",
));
const P256_Q: [u8; 65] = hex(concat!(
    "04e424dc61d4bb3cb7ef4344a7f8957a0c5134e16f7a67c074f82e6e12f49abf",
    "3c970eed7aa2bc48651545949de1dddaf0127e5965ac85d1243d6f60e7dfaee9",
    "27",
));
const P256_SIG: [u8; 64] = hex(concat!(
    "bf96b99aa49c705c910be33142017c642ff540c76349b9dab72f981fd9347f4f",
    "17c55095819089c2e03b9cd415abdf12444e323075d98f31920b9e0f57ec871c",
));
// [P-384,SHA-384], the 2nd vector, the first with "Result = P".
const P384_MSG: [u8; 128] = hex(concat!(
    "9dd789ea25c04745d57a381f22de01fb0abd3c72dbdefd44e43213c189583eef",
    "85ba662044da3de2dd8670e6325154480155bbeebb702c75781ac32e13941860",
    "cb576fe37a05b757da5b5b418f6dd7c30b042e40f4395a342ae4dce05634c336",
    "25e2bc524345481f7e253d9551266823771b251705b4a85166022a37ac28f1bd",
));
const P384_Q: [u8; 97] = hex(concat!(
    "04cb908b1fd516a57b8ee1e14383579b33cb154fece20c5035e2b3765195d195",
    "1d75bd78fb23e00fef37d7d064fd9af144cd99c46b5857401ddcff2cf7cf8221",
    "21faf1cbad9a011bed8c551f6f59b2c360f79bfbe32adbcaa09583bdfdf7c374",
    "bb",
));
const P384_SIG: [u8; 96] = hex(concat!(
    "33f64fb65cd6a8918523f23aea0bbcf56bba1daca7aff817c8791dc92428d605",
    "ac629de2e847d43cee55ba9e4a0e83ba4428bb478a43ac73ecd6de51ddf7c28f",
    "f3c2441625a081714337dd44fea8011bae71959a10947b6ea33f77e128d3c6ae",
));

fn verify(
    alg: &'static dyn signature::VerificationAlgorithm,
    public_key: &[u8],
    message: &[u8],
    known_good: &[u8],
    expect: &Expect,
) -> Result<(), String> {
    signature::UnparsedPublicKey::new(alg, public_key)
        .verify(message, &expect.bytes(known_good))
        .map_err(|_| "the known-good signature did not verify".to_string())
}

fn ecdsa_p256_verify(expect: &Expect) -> Result<(), String> {
    verify(
        &signature::ECDSA_P256_SHA256_FIXED,
        &P256_Q,
        &P256_MSG,
        &P256_SIG,
        expect,
    )
}

fn ecdsa_p384_verify(expect: &Expect) -> Result<(), String> {
    verify(
        &signature::ECDSA_P384_SHA384_FIXED,
        &P384_Q,
        &P384_MSG,
        &P384_SIG,
        expect,
    )
}

// --- ECDSA pairwise consistency: sign with a fresh key, verify with its public key ---

const PCT_MESSAGE: &[u8] = b"fips-core ECDSA pairwise consistency test";

fn ecdsa_pct(
    signing: &'static signature::EcdsaSigningAlgorithm,
    verifying: &'static signature::EcdsaVerificationAlgorithm,
    expect: &Expect,
) -> Result<(), String> {
    use signature::KeyPair;
    let key = signature::EcdsaKeyPair::generate(signing)
        .map_err(|_| "generating a key pair failed".to_string())?;
    let sig = key
        .sign(&rand::SystemRandom::new(), PCT_MESSAGE)
        .map_err(|_| "signing failed".to_string())?;
    signature::UnparsedPublicKey::new(verifying, key.public_key().as_ref())
        .verify(PCT_MESSAGE, &expect.bytes(sig.as_ref()))
        .map_err(|_| "a fresh signature did not verify under its own public key".to_string())
}

fn ecdsa_p256_pct(expect: &Expect) -> Result<(), String> {
    ecdsa_pct(
        &signature::ECDSA_P256_SHA256_FIXED_SIGNING,
        &signature::ECDSA_P256_SHA256_FIXED,
        expect,
    )
}

fn ecdsa_p384_pct(expect: &Expect) -> Result<(), String> {
    ecdsa_pct(
        &signature::ECDSA_P384_SHA384_FIXED_SIGNING,
        &signature::ECDSA_P384_SHA384_FIXED,
        expect,
    )
}

// --- RSA-2048 verify: NIST CAVP 186-3 RSA test vectors (CAVS 11.x). e is given without its
// leading zeros ---

// SigVer15_186-3.rsp, [mod = 2048], the first SHAAlg = SHA256 vector (Result = P).
const PKCS1_N: [u8; 256] = hex(concat!(
    "c47abacc2a84d56f3614d92fd62ed36ddde459664b9301dcd1d61781cfcc026b",
    "cb2399bee7e75681a80b7bf500e2d08ceae1c42ec0b707927f2b2fe92ae85208",
    "7d25f1d260cc74905ee5f9b254ed05494a9fe06732c3680992dd6f0dc634568d",
    "11542a705f83ae96d2a49763d5fbb24398edf3702bc94bc168190166492b8671",
    "de874bb9cecb058c6c8344aa8c93754d6effcd44a41ed7de0a9dcd9144437f21",
    "2b18881d042d331a4618a9e630ef9bb66305e4fdf8f0391b3b2313fe549f0189",
    "ff968b92f33c266a4bc2cffc897d1937eeb9e406f5d0eaa7a14782e76af3fce9",
    "8f54ed237b4a04a4159a5f6250a296a902880204e61d891c4da29f2d65f34cbb",
));
const PKCS1_E: [u8; 3] = hex("49d2a1");
const PKCS1_MSG: [u8; 128] = hex(concat!(
    "95123c8d1b236540b86976a11cea31f8bd4e6c54c235147d20ce722b03a6ad75",
    "6fbd918c27df8ea9ce3104444c0bbe877305bc02e35535a02a58dcda306e632a",
    "d30b3dc3ce0ba97fdf46ec192965dd9cd7f4a71b02b8cba3d442646eeec4af59",
    "0824ca98d74fbca934d0b6867aa1991f3040b707e806de6e66b5934f05509bea",
));
const PKCS1_SIG: [u8; 256] = hex(concat!(
    "51265d96f11ab338762891cb29bf3f1d2b3305107063f5f3245af376dfcc7027",
    "d39365de70a31db05e9e10eb6148cb7f6425f0c93c4fb0e2291adbd22c77656a",
    "fc196858a11e1c670d9eeb592613e69eb4f3aa501730743ac4464486c7ae68fd",
    "509e896f63884e9424f69c1c5397959f1e52a368667a598a1fc90125273d9341",
    "295d2f8e1cc4969bf228c860e07a3546be2eeda1cde48ee94d062801fe666e4a",
    "7ae8cb9cd79262c017b081af874ff00453ca43e34efdb43fffb0bb42a4e2d32a",
    "5e5cc9e8546a221fe930250e5f5333e0efe58ffebf19369a3b8ae5a67f6a048b",
    "c9ef915bda25160729b508667ada84a0c27e7e26cf2abca413e5e4693f4a9405",
));
// SigVerPSS_186-3.rsp, [mod = 2048], the 2nd SHAAlg = SHA256 vector (Result = P); salt length 32
// (SaltVal = d66f72f10b69001a5b59cf1092ad274d5056c4e95ccccfbe3b530dcb027e57d6), which is what
// aws-lc-rs verifies (salt length = digest length).
const PSS_N: [u8; 256] = hex(concat!(
    "a47d04e7cacdba4ea26eca8a4c6e14563c2ce03b623b768c0d49868a57121301",
    "dbf783d82f4c055e73960e70550187d0af62ac3496f0a3d9103c2eb7919a7275",
    "2fa7ce8c688d81e3aee99468887a15288afbb7acb845b7c522b5c64e678fcd3d",
    "22feb84b44272700be527d2b2025a3f83c2383bf6a39cf5b4e48b3cf2f56eef0",
    "dfff18555e31037b915248694876f3047814415164f2c660881e694b58c28038",
    "a032ad25634aad7b39171dee368e3d59bfb7299e4601d4587e68caaf8db457b7",
    "5af42fc0cf1ae7caced286d77fac6cedb03ad94f1433d2c94d08e60bc1fdef05",
    "43cd2951e765b38230fdd18de5d2ca627ddc032fe05bbd2ff21e2db1c2f94d8b",
));
const PSS_E: [u8; 3] = hex("10e43f");
const PSS_MSG: [u8; 128] = hex(concat!(
    "e002377affb04f0fe4598de9d92d31d6c786040d5776976556a2cfc55e54a1dc",
    "b3cb1b126bd6a4bed2a184990ccea773fcc79d246553e6c64f686d21ad415267",
    "3cafec22aeb40f6a084e8a5b4991f4c64cf8a927effd0fd775e71e8329e41fdd",
    "4457b3911173187b4f09a817d79ea2397fc12dfe3d9c9a0290c8ead31b6690a6",
));
const PSS_SIG: [u8; 256] = hex(concat!(
    "4f9b425c2058460e4ab2f5c96384da2327fd29150f01955a76b4efe956af06dc",
    "08779a374ee4607eab61a93adc5608f4ec36e47f2a0f754e8ff839a8a19b1db1",
    "e884ea4cf348cd455069eb87afd53645b44e28a0a56808f5031da5ba9112768d",
    "fbfca44ebe63a0c0572b731d66122fb71609be1480faa4e4f75e43955159d70f",
    "081e2a32fbb19a48b9f162cf6b2fb445d2d6994bc58910a26b5943477803cdaa",
    "a1bd74b0da0a5d053d8b1dc593091db5388383c26079f344e2aea600d0e32416",
    "4b450f7b9b465111b7265f3b1b063089ae7e2623fc0fda8052cf4bf3379102fb",
    "f71d7c98e8258664ceed637d20f95ff0111881e650ce61f251d9c3a629ef222d",
));

fn rsa_verify(
    params: &'static signature::RsaParameters,
    (n, e): (&[u8], &[u8]),
    message: &[u8],
    known_good: &[u8],
    expect: &Expect,
) -> Result<(), String> {
    signature::RsaPublicKeyComponents { n, e }
        .verify(params, message, &expect.bytes(known_good))
        .map_err(|_| "the known-good signature did not verify".to_string())
}

fn rsa2048_pkcs1_verify(expect: &Expect) -> Result<(), String> {
    rsa_verify(
        &signature::RSA_PKCS1_2048_8192_SHA256,
        (&PKCS1_N, &PKCS1_E),
        &PKCS1_MSG,
        &PKCS1_SIG,
        expect,
    )
}

fn rsa2048_pss_verify(expect: &Expect) -> Result<(), String> {
    rsa_verify(
        &signature::RSA_PSS_2048_8192_SHA256,
        (&PSS_N, &PSS_E),
        &PSS_MSG,
        &PSS_SIG,
        expect,
    )
}

// --- ECDH P-256: NIST CAVP KAS_ECC_CDH_PrimitiveTest.txt, [P-256] COUNT = 0. Points are
// 04 || x || y; the IUT's public key is derived from dIUT and checked too ---

const CDH_QCAVS: [u8; 65] = hex(concat!(
    "04700c48f77f56584c5cc632ca65640db91b6bacce3a4df6b42ce7cc838833d2",
    "87db71e509e3fd9b060ddb20ba5c51dcc5948d46fbf640dfe0441782cab85fa4",
    "ac",
));
const CDH_D: [u8; 32] = hex("7d7dc5f71eb29ddaf80d6214632eeae03d9058af1fb6d22ed80badb62bc1a534");
const CDH_QIUT: [u8; 65] = hex(concat!(
    "04ead218590119e8876b29146ff89ca61770c4edbbf97d38ce385ed281d8a6b2",
    "3028af61281fd35e2fa7002523acc85a429cb06ee6648325389f59edfce14051",
    "41",
));
const CDH_Z: [u8; 32] = hex("46fc62106420ff012e54a434fbdd2d25ccc5852060561e68040dd7778997bd7b");

fn ecdh_p256(expect: &Expect) -> Result<(), String> {
    let private = agreement::PrivateKey::from_private_key(&agreement::ECDH_P256, &CDH_D)
        .map_err(|_| "the module refused the known private key dIUT".to_string())?;
    let public = private
        .compute_public_key()
        .map_err(|_| "deriving the public key from dIUT failed".to_string())?;
    same("public key QIUT", public.as_ref(), &expect.bytes(&CDH_QIUT))?;
    let shared = agreement::agree(
        &private,
        agreement::UnparsedPublicKey::new(&agreement::ECDH_P256, CDH_QCAVS),
        "the module refused the known peer key QCAVS",
        |z| Ok(z.to_vec()),
    )?;
    same("shared secret ZIUT", &shared, &expect.bytes(&CDH_Z))
}

// --- HKDF-SHA-256: RFC 5869 appendix A.1, test case 1 ---

const HKDF_IKM: [u8; 22] = [0x0b; 22];
const HKDF_SALT: [u8; 13] = hex("000102030405060708090a0b0c");
const HKDF_INFO: [u8; 10] = hex("f0f1f2f3f4f5f6f7f8f9");
const HKDF_OKM: [u8; 42] = hex(concat!(
    "3cb25f25faacd57a90434f64d0362f2a2d2d0a90cf1a5a4c5db02d56ecc4c5bf",
    "34007208d5b887185865",
));

struct OkmLen(usize);

impl hkdf::KeyType for OkmLen {
    fn len(&self) -> usize {
        self.0
    }
}

fn hkdf_sha256(expect: &Expect) -> Result<(), String> {
    let mut okm = [0u8; HKDF_OKM.len()];
    hkdf::Salt::new(hkdf::HKDF_SHA256, &HKDF_SALT)
        .extract(&HKDF_IKM)
        .expand(&[&HKDF_INFO], OkmLen(okm.len()))
        .and_then(|prk| prk.fill(&mut okm))
        .map_err(|_| "HKDF expand failed".to_string())?;
    same("OKM", &okm, &expect.bytes(&HKDF_OKM))
}

// --- The module's own KATs, the only way to reach its DRBG's KAT through aws-lc-rs ---

fn aws_lc_self_test(expect: &Expect) -> Result<(), String> {
    let passed = aws_lc_rs::try_fips_self_test().is_ok();
    if passed == expect.outcome(true) {
        Ok(())
    } else if passed {
        Err("AWS-LC's self-test passed, but the (broken) expected answer was failure".into())
    } else {
        Err("AWS-LC's own self-test (BORINGSSL_self_test) failed".into())
    }
}

// --- Not a KAT: the DRBG that aws-lc-rs uses answers, and its output is not constant ---

fn rng_health(expect: &Expect) -> Result<(), String> {
    let (mut first, mut second) = ([0u8; 32], [0u8; 32]);
    let filled = rand::fill(&mut first).is_ok() && rand::fill(&mut second).is_ok();
    let healthy = filled && first != [0u8; 32] && second != [0u8; 32] && first != second;
    if healthy == expect.outcome(true) {
        Ok(())
    } else if healthy {
        Err("the DRBG answered, but the (broken) expected answer was failure".into())
    } else if !filled {
        Err("SystemRandom failed to fill a buffer".into())
    } else {
        Err("SystemRandom returned all zeros or the same 32 bytes twice".into())
    }
}
