//! `ClusterRequest`: what a create-cluster call asks for, from a struct, JSON, or the
//! command line exactly as users type it.
//!
//! Command lines are read as pflag (used by `dkp` and `kubectl`) reads them (the rules are
//! in `args.rs`); the provider is the word after `cluster`. Flags that do not matter to
//! FIPS are kept in [`ClusterRequest::other_flags`] and ignored, never fatal.

use std::fmt;

use serde::{Deserialize, Serialize};

use crate::{FipsVersion, ImageRepository, RequestError};

/// The operating system a request asks for, e.g. `rhel` `8.4`.
///
/// On the command line it is written as CAPA's AMI lookup writes its base OS:
/// `--os rhel-8.4` (or `--ami-base-os rhel-8.4`).
///
/// ```
/// use fips_core::OsSpec;
/// let os: OsSpec = "rhel-8.4".parse()?;
/// assert_eq!((os.id.as_str(), os.version.as_str()), ("rhel", "8.4"));
/// # Ok::<(), fips_core::RequestError>(())
/// ```
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct OsSpec {
    /// The os-release `ID`, e.g. `rhel`, `centos`.
    pub id: String,
    /// The version, `major.minor` where known, e.g. `8.4`.
    pub version: String,
}

impl std::str::FromStr for OsSpec {
    type Err = RequestError;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        let (id, version) = s
            .rsplit_once('-')
            .ok_or_else(|| RequestError::InvalidValue {
                field: "--os".into(),
                reason: format!("{s:?} is not <id>-<version>, e.g. rhel-8.4"),
            })?;
        let id_ok = !id.is_empty()
            && id.bytes().all(|b| {
                b.is_ascii_lowercase() || b.is_ascii_digit() || matches!(b, b'.' | b'_' | b'-')
            });
        let version_ok = !version.is_empty()
            && version
                .split('.')
                .all(|p| !p.is_empty() && p.bytes().all(|b| b.is_ascii_digit()));
        if !id_ok || !version_ok {
            return Err(RequestError::InvalidValue {
                field: "--os".into(),
                reason: format!(
                    "{s:?} is not <id>-<version> with a lower-case os-release ID and a numeric \
                     version, e.g. rhel-8.4"
                ),
            });
        }
        Ok(OsSpec {
            id: id.to_owned(),
            version: version.to_owned(),
        })
    }
}

impl fmt::Display for OsSpec {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}-{}", self.id, self.version)
    }
}

/// A flag the request keeps but FIPS does not judge.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct OtherFlag {
    /// The flag as typed, e.g. `--region`.
    pub flag: String,
    /// Its value, if it had one.
    pub value: Option<String>,
}

/// What a create-cluster call asks for.
///
/// ```
/// use fips_core::ClusterRequest;
/// let r = ClusterRequest::from_args([
///     "dkp", "create", "cluster", "aws", "--cluster-name", "myFipsCluster",
///     "--kubernetes-version=1.22.8+fips.0", "--region", "us-west-2",
/// ])?;
/// assert_eq!(r.provider.as_deref(), Some("aws"));
/// assert_eq!(r.kubernetes_version.unwrap().fips_build(), Some(0));
/// assert_eq!(r.other_flags[0].flag, "--region");
///
/// let j = ClusterRequest::from_json(r#"{"provider":"aws","etcd_version":"3.4.13+fips.0"}"#)?;
/// assert!(j.etcd_version.unwrap().is_fips());
/// # Ok::<(), fips_core::RequestError>(())
/// ```
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ClusterRequest {
    /// The infrastructure provider: the word after `cluster` (`aws`, `azure`, `preprovisioned`, ...).
    #[serde(default)]
    pub provider: Option<String>,
    /// `--cluster-name`.
    #[serde(default)]
    pub cluster_name: Option<String>,
    /// `--kubernetes-version`.
    #[serde(default)]
    pub kubernetes_version: Option<FipsVersion>,
    /// `--kubernetes-image-repository`.
    #[serde(default)]
    pub kubernetes_image_repository: Option<ImageRepository>,
    /// `--etcd-version`.
    #[serde(default)]
    pub etcd_version: Option<FipsVersion>,
    /// `--etcd-image-repository`.
    #[serde(default)]
    pub etcd_image_repository: Option<ImageRepository>,
    /// `--ami`.
    #[serde(default)]
    pub ami: Option<String>,
    /// `--os` / `--ami-base-os`.
    #[serde(default)]
    pub os: Option<OsSpec>,
    /// Every other flag, in order: kept, not judged.
    #[serde(default)]
    pub other_flags: Vec<OtherFlag>,
    /// Positional words that are not part of `create cluster <provider>`.
    #[serde(default)]
    pub other_args: Vec<String>,
}

/// The flags FIPS judges, each taking a value: the one list. The command-line parser reads
/// exactly these into their fields, and a JSON request may not carry any of them in
/// `other_flags` or `other_args`, where a tool rebuilding the command would put them last
/// and pflag would let the last value win.
pub(crate) const JUDGED_FLAGS: [&str; 9] = [
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

/// JSON requests are small; this bounds what one parse may allocate.
pub const MAX_REQUEST_BYTES: usize = 1 << 20;

impl ClusterRequest {
    /// Parses a JSON request (the serde shape of this struct; unknown fields refused).
    pub fn from_json(text: &str) -> Result<Self, RequestError> {
        if text.len() > MAX_REQUEST_BYTES {
            return Err(RequestError::Json {
                message: format!(
                    "{} bytes, more than the {MAX_REQUEST_BYTES} a request may have",
                    text.len()
                ),
            });
        }
        let request: ClusterRequest =
            serde_json::from_str(text).map_err(|e| RequestError::Json {
                message: e.to_string(),
            })?;
        if let Some(ami) = &request.ami {
            check_ami("ami", ami)?;
        }
        request.finish()
    }

    /// What every constructor does last, so that a request reads the same however it was
    /// given: the provider in its one normal form ([`normalise_provider`]), and nothing
    /// judged among the flags and words kept unjudged.
    pub(crate) fn finish(mut self) -> Result<Self, RequestError> {
        if let Some(provider) = &self.provider {
            let normal = normalise_provider(provider);
            if normal.is_empty() {
                return Err(RequestError::InvalidValue {
                    field: "provider".into(),
                    reason: format!(
                        "{provider:?} is empty; give the word after `create cluster`, e.g. \"aws\""
                    ),
                });
            }
            self.provider = Some(normal);
        }
        self.check_nothing_judged_is_kept()?;
        Ok(self)
    }

    /// `other_flags` and `other_args` are kept unjudged, so nothing judged may hide there:
    /// no judged flag in any spelling (`--flag`, `--flag=value`, `-flag`, `--FLAG`,
    /// `--flag_name`), as a flag or as a value a rebuilt command would read as a flag, and no
    /// positional word that would make the command's provider another one than `provider`.
    fn check_nothing_judged_is_kept(&self) -> Result<(), RequestError> {
        let refuse = |field: String, word: &str, judged: &str| {
            Err(RequestError::InvalidValue {
                field,
                reason: format!(
                    "{word:?} names {judged}, which FIPS judges: give it in its own field \
                     ({}), never among the flags and words kept unjudged",
                    judged_field(judged)
                ),
            })
        };
        for (i, other) in self.other_flags.iter().enumerate() {
            if let Some(judged) = judged_flag_named(&other.flag) {
                return refuse(format!("other_flags[{i}].flag"), &other.flag, judged);
            }
            if let Some(value) = other.value.as_deref() {
                if value.trim_start().starts_with('-') {
                    if let Some(judged) = judged_flag_named(value) {
                        return refuse(format!("other_flags[{i}].value"), value, judged);
                    }
                }
            }
        }
        for (i, word) in self.other_args.iter().enumerate() {
            if word.trim_start().starts_with('-') {
                if let Some(judged) = judged_flag_named(word) {
                    return refuse(format!("other_args[{i}]"), word, judged);
                }
            }
            let normal = normalise_provider(word);
            let provider_trick = normal == "cluster"
                || (self.provider.is_none() && provider_kind(&normal) != ProviderKind::Unknown);
            if provider_trick {
                return Err(RequestError::InvalidValue {
                    field: format!("other_args[{i}]"),
                    reason: format!(
                        "{word:?} would be read as part of `create cluster <provider>`; give the \
                         provider in \"provider\" and leave it out of other_args"
                    ),
                });
            }
        }
        Ok(())
    }

    /// Parses a create-cluster command line, with or without `dkp create cluster <provider>`
    /// in front, exactly as pflag reads it (`--` ends the flags; a flag that takes a value
    /// takes the next word whatever it is). A flag fipsctl does not know, whose type decides
    /// what the request asks for, makes the request ambiguous: an error, never a guess.
    ///
    /// ```
    /// use fips_core::{ClusterRequest, RequestError};
    /// // After `--` every word is positional: kept, never judged.
    /// let r = ClusterRequest::from_args(["--etcd-version=3.4.13", "--", "--dry-run"])?;
    /// assert_eq!(r.other_args, ["--dry-run"]);
    /// // A judged flag there is not what the provisioner sets: refused, never read.
    /// let err = ClusterRequest::from_args(["--", "--kubernetes-version=1.22.8"]).unwrap_err();
    /// assert!(matches!(err, RequestError::InvalidValue { .. }));
    /// let err = ClusterRequest::from_args(["--region", "--kubernetes-version=1.22.8"]).unwrap_err();
    /// assert!(matches!(err, RequestError::Ambiguous { .. }));
    /// # Ok::<(), RequestError>(())
    /// ```
    pub fn from_args<I, S>(args: I) -> Result<Self, RequestError>
    where
        I: IntoIterator<Item = S>,
        S: AsRef<str>,
    {
        let args: Vec<S> = args.into_iter().collect();
        let words: Vec<&str> = args.iter().map(AsRef::as_ref).collect();
        let request = crate::args::parse(&words)?.finish()?;
        check_one_create_cluster_command(&words, &request)?;
        Ok(request)
    }
}

/// How much of a word the user gave a message quotes: enough to recognise it, never a whole
/// 300 kB argument echoed back.
const QUOTED_CHARS: usize = 60;

/// The first [`QUOTED_CHARS`] characters of `text`, with how long it was when cut.
fn excerpt(text: &str) -> String {
    match text.char_indices().nth(QUOTED_CHARS) {
        None => text.to_owned(),
        Some((cut, _)) => format!("{}... ({} bytes in all)", &text[..cut], text.len()),
    }
}

/// [`excerpt`] in double quotes, escaped as Rust's `{:?}` escapes.
fn quoted_excerpt(text: &str) -> String {
    match text.char_indices().nth(QUOTED_CHARS) {
        None => format!("{text:?}"),
        Some((cut, _)) => format!("{:?}... ({} bytes in all)", &text[..cut], text.len()),
    }
}

/// A command line is judged only as a create-cluster command, word by word: a whole command
/// pasted as one quoted word (`"dkp create cluster aws --kubernetes-version ..."`) would
/// otherwise be one positional word and the request empty, and another command
/// (`dkp delete cluster`, `kubectl get pods`) would be judged as if it created a cluster.
///
/// ```
/// use fips_core::ClusterRequest;
/// let err = ClusterRequest::from_args(["dkp create cluster aws --ami=ami-1"]).unwrap_err();
/// assert!(err.to_string().contains("drop the quotes"), "{err}");
/// let err = ClusterRequest::from_args(["dkp", "delete", "cluster", "aws"]).unwrap_err();
/// assert!(err.to_string().contains("not a create-cluster command"), "{err}");
/// ```
fn check_one_create_cluster_command(
    words: &[&str],
    request: &ClusterRequest,
) -> Result<(), RequestError> {
    let not_create = |what: String| {
        Err(RequestError::InvalidValue {
            field: "command".into(),
            reason: format!(
                "{what} is not a create-cluster command: fipsctl judges `dkp create cluster \
                 <provider> [flags]`, or the flags alone"
            ),
        })
    };
    for word in &request.other_args {
        let mut parts = word.split_whitespace();
        let first = parts.next().unwrap_or_default();
        let pasted = parts.next().is_some()
            && word
                .split_whitespace()
                .any(|p| p == "cluster" || p.starts_with("--"));
        if pasted && !first.starts_with('-') {
            return Err(RequestError::InvalidValue {
                field: "command".into(),
                reason: format!(
                    "{} is a whole command in one word (quoted as one argument): drop \
                     the quotes, so that each word of the command stands on its own",
                    quoted_excerpt(word)
                ),
            });
        }
    }
    // `<tool> <verb> cluster <provider>`: the verb must be `create`.
    let verb = words
        .windows(2)
        .find_map(|pair| (pair[1] == "cluster" && !pair[0].starts_with('-')).then_some(pair[0]));
    if let Some(verb) = verb.filter(|v| *v != "create") {
        return not_create(format!("`{} cluster`", excerpt(verb)));
    }
    // Positional words without `cluster <provider>` among them: some other command.
    if request.provider.is_none() {
        if let Some(first) = request.other_args.first() {
            if !first.starts_with('-') {
                return not_create(quoted_excerpt(&request.other_args.join(" ")));
            }
        }
    }
    Ok(())
}

/// The judged flag a word names, in any spelling a tool or pflag could turn into it: leading
/// dashes, case, `_` for `-` (kubectl's `WordSepNormalizeFunc`), and an `=value` or
/// whitespace-separated value after the name.
pub(crate) fn judged_flag_named(word: &str) -> Option<&'static str> {
    let name = word
        .trim()
        .split(|c: char| c == '=' || c.is_whitespace())
        .next()
        .unwrap_or_default()
        .trim_start_matches('-')
        .replace('_', "-")
        .to_ascii_lowercase();
    JUDGED_FLAGS
        .iter()
        .copied()
        .find(|judged| judged.trim_start_matches('-') == name)
}

/// The JSON field that carries a judged flag.
fn judged_field(flag: &str) -> &'static str {
    match flag {
        "--cluster-name" => "cluster_name",
        "--kubernetes-version" => "kubernetes_version",
        "--kubernetes-image-repository" => "kubernetes_image_repository",
        "--etcd-version" => "etcd_version",
        "--etcd-image-repository" => "etcd_image_repository",
        "--ami" => "ami",
        "--os" | "--ami-base-os" => "os",
        _ => "provider",
    }
}

/// The provider as every rule compares it: without surrounding whitespace, in lower case
/// (`" AWS"` is `aws`). Applied where a request is built and again where a rule reads it,
/// so a request made field by field is judged the same.
pub(crate) fn normalise_provider(word: &str) -> String {
    word.trim().to_ascii_lowercase()
}

/// What the provisioner's documentation says a provider needs for a FIPS cluster.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum ProviderKind {
    /// AWS: the machine image is named by `--ami`; without it the provisioner boots its
    /// default, non-FIPS image (product documentation, FIPS 140-2 Compliance,
    /// <https://docs.d2iq.com/dkp/2.8/fips-140-2-compliance>: the FIPS example is
    /// `dkp create cluster aws ... --ami=<FIPS AMI>`).
    Aws,
    /// The cloud runs the control plane (EKS: "The Amazon EKS control plane consists of
    /// control plane instances that run the Kubernetes software, such as etcd and the API
    /// server ... in an account managed by AWS", EKS API reference, CreateCluster; AKS
    /// likewise): the vendor's FIPS control-plane builds cannot be what runs there.
    ManagedControlPlane,
    /// The machine image is named by the provider's own flags (`--vm-template` on vSphere,
    /// the image flags of Azure and GCP), built by the image builder with its FIPS override
    /// ("Create FIPS 140 Images", <https://docs.d2iq.com/dkp/2.8/create-fips-140-images-air-gapped-environment>),
    /// or the hosts are pre-provisioned and prepared by the same override: nothing in the
    /// request shows whether that image was built for FIPS, so no rule here judges it
    /// (`fipsctl host` judges a prepared host or image).
    OwnImage,
    /// Not a provider the documentation names: what it needs cannot be told.
    Unknown,
}

/// The kind of a provider word (normalised first).
pub(crate) fn provider_kind(provider: &str) -> ProviderKind {
    match normalise_provider(provider).as_str() {
        "aws" => ProviderKind::Aws,
        "eks" | "aks" => ProviderKind::ManagedControlPlane,
        "azure" | "gcp" | "vsphere" | "preprovisioned" => ProviderKind::OwnImage,
        _ => ProviderKind::Unknown,
    }
}

/// The provider words [`provider_kind`] knows, for messages.
pub(crate) const KNOWN_PROVIDERS: &str =
    "aws, azure, gcp, vsphere, preprovisioned (eks and aks run their own control plane)";

/// An AMI id is `ami-` and 8 or 17 hex digits (EC2's two id formats).
pub(crate) fn check_ami(field: &str, ami: &str) -> Result<(), RequestError> {
    let ok = ami.strip_prefix("ami-").is_some_and(|hex| {
        matches!(hex.len(), 8 | 17)
            && hex
                .bytes()
                .all(|b| b.is_ascii_digit() || (b'a'..=b'f').contains(&b))
    });
    if ok {
        Ok(())
    } else {
        Err(RequestError::InvalidValue {
            field: field.to_owned(),
            reason: format!("{ami:?} is not an AMI id (ami- and 8 or 17 lower-case hex digits)"),
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn duplicate_judged_flag_with_another_value_is_refused() {
        let err =
            ClusterRequest::from_args(["--etcd-version=3.4.13+fips.0", "--etcd-version", "3.4.13"])
                .unwrap_err();
        assert_eq!(
            err.to_string(),
            "flag --etcd-version given twice (\"3.4.13+fips.0\" and \"3.4.13\"); give it once"
        );
    }

    #[test]
    fn missing_value_names_the_flag() {
        let err = ClusterRequest::from_args(["--etcd-version=3.4.13", "--kubernetes-version"])
            .unwrap_err();
        assert_eq!(
            err.to_string(),
            "flag --kubernetes-version needs a value, e.g. --kubernetes-version=<value>"
        );
        assert!(ClusterRequest::from_args(["--ami="]).is_err());
    }

    #[test]
    fn unknown_flags_and_booleans_are_kept() {
        let r = ClusterRequest::from_args([
            "dkp",
            "create",
            "cluster",
            "aws",
            "--dry-run",
            "--region",
            "us-east-1",
            "--self-managed",
        ])
        .unwrap();
        let flags: Vec<(&str, Option<&str>)> = r
            .other_flags
            .iter()
            .map(|f| (f.flag.as_str(), f.value.as_deref()))
            .collect();
        assert_eq!(
            flags,
            [
                ("--dry-run", None),
                ("--region", Some("us-east-1")),
                ("--self-managed", None)
            ]
        );
        assert_eq!(r.provider.as_deref(), Some("aws"));
        assert!(r.other_args.is_empty(), "{:?}", r.other_args);
    }
}
