//! Differential test of the scanner's layer reader against the runtime's: Go's
//! `archive/tar` and `compress/gzip`, as containerd and docker use them
//! (`tests/tar-reference/main.go`, built here with `go build`).
//!
//! For generated and mutated layers, the scanner must see exactly the entries Go sees (kind,
//! name and link as bytes, the SHA-256 of the data), or refuse the layer. A layer Go refuses
//! the scanner must refuse too: a runtime never runs it, and reading it would judge bytes
//! nobody reads the same way.

use std::{
    fs,
    io::Write,
    path::{Path, PathBuf},
    process::Command,
};

use fips_core::scan_layer_entries;

/// Layers generated per run (seeded, so a failure reproduces).
const CASES: usize = 400;

fn reference() -> PathBuf {
    let out = Path::new(env!("CARGO_TARGET_TMPDIR")).join("tar-reference");
    let src = Path::new(env!("CARGO_MANIFEST_DIR")).join("../tests/tar-reference");
    let status = Command::new("go")
        .args(["build", "-o"])
        .arg(&out)
        .arg(".")
        .current_dir(&src)
        .env("CGO_ENABLED", "0")
        .env("GOTOOLCHAIN", "local")
        .env("GOFLAGS", "-mod=mod")
        .status()
        .expect("go is needed to build tests/tar-reference (Go is on every machine)");
    assert!(status.success(), "go build of tests/tar-reference failed");
    out
}

/// xorshift64*: a small seeded generator, so every run sees the same layers.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_f491_4f6c_dd1d)
    }
    fn below(&mut self, n: usize) -> usize {
        (self.next() % n as u64) as usize
    }
    fn chance(&mut self, percent: usize) -> bool {
        self.below(100) < percent
    }
}

fn name(rng: &mut Rng) -> Vec<u8> {
    let parts = [
        "usr",
        "bin",
        "local",
        "kube-apiserver",
        ".",
        "..",
        "etc",
        ".wh.x",
        "a",
    ];
    let mut n = Vec::new();
    if rng.chance(10) {
        n.push(b'/');
    }
    for i in 0..1 + rng.below(4) {
        if i > 0 {
            n.push(b'/');
        }
        n.extend(parts[rng.below(parts.len())].as_bytes());
    }
    if rng.chance(15) {
        // Long enough for a GNU long name or a PAX path.
        n.extend(std::iter::repeat_n(b'x', 100 + rng.below(80)));
    }
    if rng.chance(5) {
        n.push(0xff);
    }
    n
}

fn set_checksum(h: &mut [u8]) {
    h[148..156].copy_from_slice(b"        ");
    let sum: u32 = h.iter().map(|b| u32::from(*b)).sum();
    h[148..156].copy_from_slice(format!("{sum:06o}\0 ").as_bytes());
}

fn raw_header(name: &[u8], typeflag: u8, size: usize, gnu: bool) -> [u8; 512] {
    let mut h = [0u8; 512];
    let n = name.len().min(100);
    h[..n].copy_from_slice(&name[..n]);
    h[100..108].copy_from_slice(b"0000644\0");
    h[108..116].copy_from_slice(b"0000000\0");
    h[116..124].copy_from_slice(b"0000000\0");
    h[124..136].copy_from_slice(format!("{size:011o}\0").as_bytes());
    h[136..148].copy_from_slice(b"00000000000\0");
    h[156] = typeflag;
    h[257..265].copy_from_slice(if gnu { b"ustar  \0" } else { b"ustar\x0000" });
    set_checksum(&mut h);
    h
}

fn pad(v: &mut Vec<u8>) {
    v.resize(v.len().div_ceil(512) * 512, 0);
}

fn pax_record(k: &str, v: &[u8]) -> Vec<u8> {
    let body_len = 1 + k.len() + 1 + v.len() + 1;
    let mut n = body_len + 1;
    while format!("{n}").len() + body_len != n {
        n += 1;
    }
    let mut r = format!("{n} {k}=").into_bytes();
    r.extend(v);
    r.push(b'\n');
    r
}

/// A layer and the offsets of its header blocks.
fn generate(rng: &mut Rng) -> (Vec<u8>, Vec<usize>) {
    let mut t = Vec::new();
    let mut headers = Vec::new();
    for _ in 0..1 + rng.below(6) {
        let n = name(rng);
        let gnu = rng.chance(50);
        let data: Vec<u8> = (0..rng.below(1200)).map(|_| rng.next() as u8).collect();
        let kind = [b'0', b'0', b'0', b'5', b'2', b'1', 0][rng.below(7)];
        let size = if matches!(kind, b'0' | 0) {
            data.len()
        } else {
            0
        };
        if n.len() > 100 || rng.chance(10) {
            if gnu {
                let mut long = n.clone();
                long.push(0);
                headers.push(t.len());
                t.extend(raw_header(b"././@LongLink", b'L', long.len(), true));
                t.extend(&long);
                pad(&mut t);
            } else {
                let mut recs = pax_record("path", &n);
                if rng.chance(20) {
                    recs.extend(pax_record("size", format!("{size}").as_bytes()));
                }
                if rng.chance(10) {
                    recs.extend(pax_record("mtime", b"1700000000.5"));
                }
                headers.push(t.len());
                t.extend(raw_header(b"PaxHeaders/x", b'x', recs.len(), false));
                t.extend(&recs);
                pad(&mut t);
            }
        }
        let mut h = raw_header(&n, kind, size, gnu);
        if kind == b'1' || kind == b'2' {
            h[157..160].copy_from_slice(b"abc");
            set_checksum(&mut h);
        }
        headers.push(t.len());
        t.extend(h);
        t.extend(&data[..size]);
        pad(&mut t);
    }
    if rng.chance(90) {
        t.extend([0u8; 1024]);
    }
    (t, headers)
}

fn mutate(rng: &mut Rng, t: &mut Vec<u8>, headers: &[usize]) {
    match rng.below(7) {
        0 => {}
        1 | 2 => {
            // One byte of a header, checksum fixed: the interesting disagreements.
            let h = headers[rng.below(headers.len())];
            let at = h + rng.below(512);
            t[at] = [0, b' ', b'0', b'7', b'/', 0x80, rng.next() as u8][rng.below(7)];
            if rng.chance(85) && !(148..156).contains(&(at - h)) {
                set_checksum(&mut t[h..h + 512]);
            }
        }
        3 => {
            let at = rng.below(t.len().max(1));
            t.truncate(at);
        }
        4 => {
            // A header's typeflag.
            let h = headers[rng.below(headers.len())];
            t[h + 156] = [b'g', b'S', b'7', b'K', b'L', b'x', b'3', b'6', b'A'][rng.below(9)];
            set_checksum(&mut t[h..h + 512]);
        }
        5 => {
            // Magic and version.
            let h = headers[rng.below(headers.len())];
            let magic: &[u8; 8] = [
                b"ustar\x0000",
                b"ustar  \0",
                b"\0\0\0\0\0\0\0\0",
                b"ustar\x00  ",
            ][rng.below(4)];
            t[h + 257..h + 265].copy_from_slice(magic);
            set_checksum(&mut t[h..h + 512]);
        }
        _ => {
            t.extend((0..rng.below(600)).map(|_| rng.next() as u8));
        }
    }
}

fn gzip_members(t: &[u8], members: usize) -> Vec<u8> {
    let mut out = Vec::new();
    let step = t.len().div_ceil(members.max(1)).max(1);
    for chunk in t.chunks(step) {
        let mut e = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::fast());
        e.write_all(chunk).unwrap();
        out.extend(e.finish().unwrap());
    }
    if t.is_empty() {
        let e = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::fast());
        out.extend(e.finish().unwrap());
    }
    out
}

fn hex(b: &[u8]) -> String {
    b.iter().map(|b| format!("{b:02x}")).collect()
}

#[test]
fn the_scanner_reads_layers_as_go_archive_tar_does_or_refuses() {
    let go = reference();
    let dir =
        Path::new(env!("CARGO_TARGET_TMPDIR")).join(format!("tar-diff-{}", std::process::id()));
    let _ = fs::remove_dir_all(&dir);
    fs::create_dir_all(&dir).unwrap();
    let mut rng = Rng(0x9e37_79b9_7f4a_7c15);
    let mut blobs = Vec::new();
    for i in 0..CASES {
        let (mut t, headers) = generate(&mut rng);
        mutate(&mut rng, &mut t, &headers);
        let blob = match rng.below(4) {
            0 => gzip_members(&t, 1),
            1 => {
                let mut b = gzip_members(&t, 1 + rng.below(4));
                if rng.chance(30) {
                    b.extend(b"trailing");
                }
                b
            }
            _ => t,
        };
        let path = dir.join(format!("{i}"));
        fs::write(&path, &blob).unwrap();
        blobs.push((path, blob));
    }
    let out = Command::new(&go)
        .args(blobs.iter().map(|(p, _)| p))
        .output()
        .unwrap();
    assert!(out.status.success());
    let text = String::from_utf8(out.stdout).unwrap();
    let mut answers = text.split("end\n");
    let (mut agreed, mut refused, mut go_refused) = (0, 0, 0);
    for (path, blob) in &blobs {
        let answer = answers.next().unwrap();
        let (lines, verdict) = answer
            .trim_end()
            .rsplit_once('\n')
            .unwrap_or(("", answer.trim_end()));
        let go_ok = verdict == "ok";
        let go_entries: Vec<&str> = lines.lines().collect();
        match scan_layer_entries(blob) {
            Err(_) => {
                refused += 1;
                if !go_ok {
                    go_refused += 1;
                }
            }
            Ok(ours) => {
                assert!(
                    go_ok,
                    "{}: the scanner read a layer Go refuses ({verdict}): {ours:?}",
                    path.display()
                );
                let ours: Vec<String> = ours
                    .iter()
                    .map(|e| {
                        format!(
                            "{} {} {} {}",
                            e.kind,
                            hex(&e.name),
                            hex(&e.link),
                            hex(&e.sha256)
                        )
                    })
                    .collect();
                assert_eq!(
                    ours,
                    go_entries,
                    "{}: the scanner and Go disagree",
                    path.display()
                );
                agreed += 1;
            }
        }
    }
    eprintln!("{agreed} read alike, {refused} refused by the scanner ({go_refused} by Go too)");
    // The generator must exercise both sides: layers read alike, and layers refused.
    assert!(
        agreed >= CASES / 5,
        "only {agreed} of {CASES} layers were read alike"
    );
    assert!(
        refused > go_refused,
        "the scanner never refused a layer Go reads"
    );
    let _ = fs::remove_dir_all(&dir);
}
