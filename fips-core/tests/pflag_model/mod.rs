//! A reference model of how pflag reads a create-cluster command line, written from pflag's
//! source and independent of `fips-core`'s parser, and the property that ties the two:
//! `ClusterRequest::from_args` never reads a request differently from pflag, whatever the
//! types of the flags fipsctl does not know, and is never compliant where pflag refuses.
//!
//! Source: github.com/spf13/pflag `flag.go` at 5fdac2d16c16d60605cb8baa887e8c5c38ef623f,
//! `FlagSet.parseArgs`, `parseLongArg`, `parseSingleShortArg`. Used by
//! `fips-core/tests/request_args_pflag.rs` (proptest) and `fuzz/fuzz_targets/request_args.rs`.

#![allow(dead_code)] // each user calls a part

use fips_core::{validate, ClusterRequest, FipsVersion, ImageRepository, OsSpec, Policy};

/// How pflag reads a flag: a boolean has a `NoOptDefVal` and never takes the next word.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum FlagType {
    Bool,
    Valued,
}

/// Why pflag refuses a command line.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Refusal {
    /// `---x`, `--=x`: `InvalidSyntaxError`.
    BadSyntax,
    /// A judged flag last without a value: `ValueRequiredError`.
    JudgedNeedsValue,
    /// A flag of the provisioner's own last without a value: the provisioner fails, so no
    /// cluster is made; not a verdict fipsctl must match.
    OtherNeedsValue,
}

/// What pflag reads: every judged flag set, in order (pflag keeps the last), and the
/// positional words.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Reading {
    pub judged: Vec<(String, String)>,
    pub positional: Vec<String>,
}

/// The create-cluster flags fipsctl judges (product documentation: the create-cluster
/// options of a FIPS cluster, plus the OS and provider). Each is a string flag.
pub const JUDGED: [&str; 9] = [
    "--cluster-name",
    "--kubernetes-version",
    "--kubernetes-image-repository",
    "--etcd-version",
    "--etcd-image-repository",
    "--ami",
    "--os",
    "--ami-base-os",
    "--provider",
];

/// Boolean flags whose type fipsctl knows (cobra's help flag, and `dkp create cluster`'s).
const BOOLEANS: [&str; 5] = [
    "--dry-run",
    "--self-managed",
    "--with-aws-bootstrap-credentials",
    "--help",
    "-h",
];

fn type_of(flag: &str, other: &dyn Fn(&str) -> FlagType) -> FlagType {
    if JUDGED.contains(&flag) {
        FlagType::Valued
    } else if BOOLEANS.contains(&flag) {
        FlagType::Bool
    } else {
        other(flag)
    }
}

/// pflag's `parseArgs`, with `other` giving the type of every flag not judged or known.
pub fn parse(words: &[&str], other: &dyn Fn(&str) -> FlagType) -> Result<Reading, Refusal> {
    let mut reading = Reading::default();
    let mut args = words;
    while let Some((&s, rest)) = args.split_first() {
        args = rest;
        let b = s.as_bytes();
        if b.is_empty() || b[0] != b'-' || b.len() == 1 {
            reading.positional.push(s.to_owned());
            continue;
        }
        if b[1] == b'-' {
            if b.len() == 2 {
                // "--" terminates the flags.
                reading
                    .positional
                    .extend(args.iter().map(|a| (*a).to_owned()));
                break;
            }
            // parseLongArg
            let name = &s[2..];
            if name.starts_with('-') || name.starts_with('=') {
                return Err(Refusal::BadSyntax);
            }
            let (name, inline) = match name.find('=') {
                Some(i) => (&name[..i], Some(&name[i + 1..])),
                None => (name, None),
            };
            let flag = format!("--{name}");
            let kind = type_of(&flag, other);
            let value = if let Some(v) = inline {
                v.to_owned()
            } else if kind == FlagType::Bool {
                "true".to_owned()
            } else if let Some((&next, rest)) = args.split_first() {
                args = rest;
                next.to_owned()
            } else if JUDGED.contains(&flag.as_str()) {
                return Err(Refusal::JudgedNeedsValue);
            } else {
                return Err(Refusal::OtherNeedsValue);
            };
            if JUDGED.contains(&flag.as_str()) {
                reading.judged.push((flag, value));
            }
        } else {
            // parseShortArg: a run of shorthands (bytes, as pflag indexes them).
            let mut shorthands = &b[1..];
            while let Some(&c) = shorthands.first() {
                let flag = format!("-{}", char::from(c));
                let kind = type_of(&flag, other);
                if shorthands.len() > 2 && shorthands[1] == b'=' {
                    // '-f=arg'
                    shorthands = &[];
                } else if kind == FlagType::Bool {
                    shorthands = &shorthands[1..];
                } else if shorthands.len() > 1 {
                    // '-farg'
                    shorthands = &[];
                } else if let Some((_, rest)) = args.split_first() {
                    // '-f arg'
                    args = rest;
                    shorthands = &[];
                } else {
                    return Err(Refusal::OtherNeedsValue);
                }
            }
        }
    }
    Ok(reading)
}

impl Reading {
    fn last(&self, flags: &[&str]) -> Option<&str> {
        self.judged
            .iter()
            .rev()
            .find(|(f, _)| flags.contains(&f.as_str()))
            .map(|(_, v)| v.as_str())
    }

    /// The provider: `--provider`, else the positional word after the first `cluster`.
    fn provider(&self) -> Option<&str> {
        self.last(&["--provider"]).or_else(|| {
            let at = self.positional.iter().position(|w| w == "cluster")?;
            self.positional.get(at + 1).map(String::as_str)
        })
    }
}

/// Panics when `request` asks for something else than `reading` in any judged field.
fn assert_same(words: &[&str], request: &ClusterRequest, reading: &Reading, types: &str) {
    let why = || format!("{words:?} with {types}: fipsctl read {request:?}, pflag {reading:?}");
    let version = |flag: &str| reading.last(&[flag]).map(|v| FipsVersion::parse(v).ok());
    let repository = |flag: &str| {
        reading
            .last(&[flag])
            .map(|v| ImageRepository::parse(v).ok())
    };
    assert_eq!(
        request.kubernetes_version.clone().map(Some),
        version("--kubernetes-version"),
        "{}",
        why()
    );
    assert_eq!(
        request.etcd_version.clone().map(Some),
        version("--etcd-version"),
        "{}",
        why()
    );
    assert_eq!(
        request.kubernetes_image_repository.clone().map(Some),
        repository("--kubernetes-image-repository"),
        "{}",
        why()
    );
    assert_eq!(
        request.etcd_image_repository.clone().map(Some),
        repository("--etcd-image-repository"),
        "{}",
        why()
    );
    assert_eq!(
        request.os.clone().map(Some),
        reading
            .last(&["--os", "--ami-base-os"])
            .map(|v| v.parse::<OsSpec>().ok()),
        "{}",
        why()
    );
    assert_eq!(
        request.ami.as_deref(),
        reading.last(&["--ami"]),
        "{}",
        why()
    );
    assert_eq!(
        request.cluster_name.as_deref(),
        reading.last(&["--cluster-name"]),
        "{}",
        why()
    );
    // fipsctl keeps the provider in its one normal form (trimmed, lower case): the word
    // pflag reads is the same provider in any case.
    assert_eq!(
        request.provider.as_deref(),
        reading
            .provider()
            .map(|p| p.trim().to_lowercase())
            .as_deref(),
        "{}",
        why()
    );
}

/// The type of each flag fipsctl does not know, by name.
pub type TypeOf = Box<dyn Fn(&str) -> FlagType>;

/// A type assignment for the flags fipsctl does not know: all boolean, all valued, and two
/// mixes keyed by the flag's name (the same name has the same type, as in a real FlagSet).
pub fn assignments() -> [(&'static str, TypeOf); 4] {
    fn mix(flag: &str, seed: u64) -> FlagType {
        // FNV-1a: any fixed hash of the name will do.
        let hash = flag.bytes().fold(0xcbf2_9ce4_8422_2325_u64 ^ seed, |h, b| {
            (h ^ u64::from(b)).wrapping_mul(0x0100_0000_01b3)
        });
        if hash & 1 == 0 {
            FlagType::Bool
        } else {
            FlagType::Valued
        }
    }
    [
        ("every other flag boolean", Box::new(|_| FlagType::Bool)),
        ("every other flag valued", Box::new(|_| FlagType::Valued)),
        ("mix 0", Box::new(|f| mix(f, 0))),
        ("mix 1", Box::new(|f| mix(f, 1))),
    ]
}

/// The property: whatever the other flags' types, a request fipsctl reads is the one pflag
/// reads, and fipsctl is never compliant where pflag refuses the judged flags.
pub fn check(words: &[&str]) {
    let Ok(request) = ClusterRequest::from_args(words) else {
        return; // refusing is always safe
    };
    for (types, other) in assignments() {
        match parse(words, &*other) {
            Ok(reading) => assert_same(words, &request, &reading, types),
            Err(Refusal::OtherNeedsValue) => {}
            Err(refusal) => {
                let report = validate(&request, Policy::embedded()).expect("the self-test passes");
                assert!(
                    !report.compliant,
                    "{words:?} with {types}: pflag refuses ({refusal:?}), fipsctl says compliant"
                );
            }
        }
    }
}
