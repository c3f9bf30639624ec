//! What is supported, as data: FIPS builds, operating systems, registry mirrors and the
//! crypto modules accepted in scanned binaries.
//!
//! The embedded default (`default_policy.toml`) is exactly the vendor's published matrix.
//! A policy file replaces it, or extends it with `extend_default = true`: then every list,
//! in every section, adds to the default's list and a value given replaces the default's, so
//! a partial `[scan]` never drops what it leaves out. Unknown fields are rejected so that a
//! typo never silently weakens a policy, and a policy that would judge no scanned binary, or
//! whose mirrors contradict its builds, is refused at load.

use std::{fmt, path::Path, str::FromStr, sync::OnceLock};

use serde::{Deserialize, Serialize};

use crate::{FipsMarker, FipsVersion, ImageRef, ImageRepository, PolicyError};

const EMBEDDED_TOML: &str = include_str!("default_policy.toml");
/// A policy file is a few kilobytes; anything far larger is a mistake, not a policy.
const MAX_POLICY_BYTES: u64 = 1 << 20;

/// The supported builds, operating systems, mirrors and crypto modules.
///
/// ```
/// use fips_core::{FipsVersion, Policy};
/// let policy = Policy::embedded();
/// assert_eq!(policy.builds.len(), 1);
/// assert!(policy.supports_kubernetes(&FipsVersion::parse("v1.22.8+fips.0")?));
///
/// let mine = Policy::from_toml_str(r#"
///     extend_default = true
///     [[mirrors]]
///     mirror = "registry.local/mesosphere"
///     upstream = "docker.io/mesosphere"
/// "#)?;
/// assert_eq!(mine.builds.len(), 1);
/// assert_eq!(mine.mirrors.len(), 1);
/// # Ok::<(), fips_core::Error>(())
/// ```
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Policy {
    /// When true, every verdict is non-compliant unless this library runs on the
    /// FIPS-validated crypto module (the `fips` cargo feature).
    #[serde(default)]
    pub require_fips_module: bool,
    /// The supported FIPS builds, each a Kubernetes and etcd pair.
    #[serde(default)]
    pub builds: Vec<Build>,
    /// The operating systems supported for FIPS mode.
    #[serde(default)]
    pub operating_systems: Vec<SupportedOs>,
    /// Registries that stand for an upstream repository (air-gapped installs).
    #[serde(default)]
    pub mirrors: Vec<Mirror>,
    /// What binary scanning accepts.
    #[serde(default)]
    pub scan: ScanPolicy,
    /// Other vendors' FIPS build markers this policy accepts besides `+fips.N` (opt-in).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub fips_markers: Vec<FipsMarker>,
}

/// A policy file: a [`Policy`] plus whether it extends the embedded default.
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct PolicyFile {
    #[serde(default)]
    extend_default: bool,
    require_fips_module: Option<bool>,
    #[serde(default)]
    builds: Vec<Build>,
    #[serde(default)]
    operating_systems: Vec<SupportedOs>,
    #[serde(default)]
    mirrors: Vec<Mirror>,
    scan: Option<ScanPolicy>,
    #[serde(default)]
    fips_markers: Vec<FipsMarker>,
}

impl PolicyFile {
    /// The policy this file describes: the default's lists with this file's added, or this
    /// file alone. Each field merges on its own, so a partial section keeps the rest.
    fn merged(self) -> Policy {
        let mut policy = if self.extend_default {
            Policy::embedded().clone()
        } else {
            Policy {
                require_fips_module: false,
                builds: Vec::new(),
                operating_systems: Vec::new(),
                mirrors: Vec::new(),
                scan: ScanPolicy {
                    accepted_modules: Vec::new(),
                    components: Vec::new(),
                },
                fips_markers: Vec::new(),
            }
        };
        if let Some(require) = self.require_fips_module {
            policy.require_fips_module = require;
        }
        policy.builds.extend(self.builds);
        policy.operating_systems.extend(self.operating_systems);
        policy.mirrors.extend(self.mirrors);
        policy.fips_markers.extend(self.fips_markers);
        if let Some(scan) = self.scan {
            extend_unique(&mut policy.scan.accepted_modules, scan.accepted_modules);
            extend_unique(&mut policy.scan.components, scan.components);
        }
        policy
    }
}

/// Appends the items of `more` that `list` does not hold yet, in order.
fn extend_unique<T: PartialEq>(list: &mut Vec<T>, more: Vec<T>) {
    for item in more {
        if !list.contains(&item) {
            list.push(item);
        }
    }
}

/// One supported FIPS build: the Kubernetes and etcd that ship together.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Build {
    /// Where the fact comes from (release notes, documentation page).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub source: Option<String>,
    /// The Kubernetes build.
    pub kubernetes: ComponentBuild,
    /// The etcd build.
    pub etcd: ComponentBuild,
}

/// A component's version and the repository its images come from.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ComponentBuild {
    /// The version, e.g. `v1.22.8+fips.0`.
    pub version: FipsVersion,
    /// The repository, e.g. `docker.io/mesosphere`.
    pub repository: ImageRepository,
}

/// An operating system supported for FIPS mode.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SupportedOs {
    /// The os-release `ID`, e.g. `rhel`.
    pub id: String,
    /// The os-release `NAME` must start with this, when given: Scientific Linux 7 says
    /// `ID="rhel"` but is not RHEL.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub name_prefix: Option<String>,
    /// The supported `major.minor` versions, e.g. `8.4`.
    pub versions: Vec<String>,
}

/// A registry path that stands for an upstream repository.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Mirror {
    /// The mirror, e.g. `registry.local/mesosphere`.
    pub mirror: ImageRepository,
    /// What it mirrors, e.g. `docker.io/mesosphere`.
    pub upstream: ImageRepository,
}

/// What binary scanning requires.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ScanPolicy {
    /// Crypto modules accepted in a FIPS component.
    #[serde(default)]
    pub accepted_modules: Vec<CryptoModule>,
    /// File names of the binaries that must be FIPS builds (`kube-apiserver`, `etcd`, ...).
    #[serde(default)]
    pub components: Vec<String>,
}

impl Default for ScanPolicy {
    /// The embedded default's scan section.
    fn default() -> Self {
        Policy::embedded().scan.clone()
    }
}

/// The crypto module a binary uses, as the scanner names it.
///
/// ```
/// use fips_core::CryptoModule;
/// assert_eq!("go-fips140".parse::<CryptoModule>()?, CryptoModule::GoFips140);
/// # Ok::<(), fips_core::PolicyError>(())
/// ```
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
#[non_exhaustive]
pub enum CryptoModule {
    /// Go+BoringCrypto ("goboring"), `GOEXPERIMENT=boringcrypto`.
    Boringcrypto,
    /// Go's native FIPS 140-3 module (`GOFIPS140`).
    #[serde(rename = "go-fips140")]
    GoFips140,
    /// An OpenSSL-backed Go fork (golang-fips/openssl, Microsoft's systemcrypto) or a C
    /// program linking libcrypto.
    Openssl,
    /// AWS-LC linked statically (Rust's aws-lc-rs, C/C++), not its FIPS build.
    AwsLc,
    /// The FIPS build of AWS-LC linked statically (aws-lc-fips-sys, `-DFIPS=1`).
    AwsLcFips,
    /// BoringSSL linked statically (Envoy, C/C++), not its FIPS build.
    Boringssl,
    /// The FIPS build of BoringSSL linked statically (`-DFIPS=1`, Envoy's `boringssl=fips`).
    BoringsslFips,
    /// Go's standard, non-FIPS crypto.
    Standard,
    /// No crypto linked at all.
    None,
    /// Crypto of a kind the scanner cannot name.
    Unknown,
}

impl CryptoModule {
    /// The name used in JSON and policy files.
    pub fn as_str(self) -> &'static str {
        match self {
            CryptoModule::Boringcrypto => "boringcrypto",
            CryptoModule::GoFips140 => "go-fips140",
            CryptoModule::Openssl => "openssl",
            CryptoModule::AwsLc => "aws-lc",
            CryptoModule::AwsLcFips => "aws-lc-fips",
            CryptoModule::Boringssl => "boringssl",
            CryptoModule::BoringsslFips => "boringssl-fips",
            CryptoModule::Standard => "standard",
            CryptoModule::None => "none",
            CryptoModule::Unknown => "unknown",
        }
    }
}

impl fmt::Display for CryptoModule {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl FromStr for CryptoModule {
    type Err = PolicyError;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        [
            CryptoModule::Boringcrypto,
            CryptoModule::GoFips140,
            CryptoModule::Openssl,
            CryptoModule::AwsLc,
            CryptoModule::AwsLcFips,
            CryptoModule::Boringssl,
            CryptoModule::BoringsslFips,
            CryptoModule::Standard,
            CryptoModule::None,
            CryptoModule::Unknown,
        ]
        .into_iter()
        .find(|m| m.as_str() == s)
        .ok_or_else(|| PolicyError::Invalid {
            field: "crypto module".into(),
            reason: format!(
                "{s:?} is not one of boringcrypto, go-fips140, openssl, aws-lc, aws-lc-fips, \
                 boringssl, boringssl-fips, standard, none, unknown"
            ),
        })
    }
}

impl Policy {
    /// The embedded default: exactly the vendor's published FIPS matrix.
    pub fn embedded() -> &'static Policy {
        static EMBEDDED: OnceLock<Policy> = OnceLock::new();
        EMBEDDED.get_or_init(|| {
            let file: PolicyFile =
                toml::from_str(EMBEDDED_TOML).expect("the embedded policy is valid TOML (tested)");
            Policy {
                require_fips_module: file.require_fips_module.unwrap_or(false),
                builds: file.builds,
                operating_systems: file.operating_systems,
                mirrors: file.mirrors,
                scan: file
                    .scan
                    .expect("the embedded policy has a [scan] section (tested)"),
                fips_markers: file.fips_markers,
            }
        })
    }

    /// The embedded default, as TOML text (what `fipsctl policy show` prints).
    pub fn embedded_toml() -> &'static str {
        EMBEDDED_TOML
    }

    /// Parses a policy file's text. Errors carry line and column.
    pub fn from_toml_str(text: &str) -> Result<Policy, PolicyError> {
        Policy::from_toml_named(text, None)
    }

    /// Reads and parses a policy file (at most 1 MiB). A file that cannot be opened or is
    /// not a text file is [`PolicyError::File`], which is error kind `file` as for every
    /// path the user names.
    ///
    /// ```
    /// use fips_core::{Error, Policy};
    /// let err = Error::from(Policy::from_file("/nonexistent/policy.toml").unwrap_err());
    /// assert_eq!((err.kind(), err.variant()), ("file", "not-found"));
    /// ```
    pub fn from_file(path: impl AsRef<Path>) -> Result<Policy, PolicyError> {
        let path = path.as_ref();
        // Regular files only, opened without blocking: a fifo named as a policy never hangs.
        let text = crate::read_text_file(path, MAX_POLICY_BYTES).map_err(|source| {
            // Missing, not a regular file, too large, not UTF-8: kind `file`, as for every
            // path the user names.
            PolicyError::File(crate::FileError {
                path: path.to_owned(),
                source,
            })
        })?;
        Policy::from_toml_named(&text, Some(path.display().to_string()))
    }

    fn from_toml_named(text: &str, origin: Option<String>) -> Result<Policy, PolicyError> {
        let file: PolicyFile = toml::from_str(text).map_err(|e| PolicyError::Toml {
            origin,
            message: one_line(text, &e),
        })?;
        let extend_default = file.extend_default;
        let policy = file.merged();
        policy.check()?;
        policy.check_scan(extend_default)?;
        Ok(policy)
    }

    /// A policy that would judge no binary makes every scan pass: refuse it, naming the fix.
    fn check_scan(&self, extend_default: bool) -> Result<(), PolicyError> {
        if self.scan.components.is_empty() {
            return Err(PolicyError::Invalid {
                field: "scan.components".into(),
                reason: format!(
                    "no component is named, so a scan would judge no binary and find nothing \
                     wrong{}; list the binaries that must be FIPS builds under [scan], e.g. \
                     components = [\"kube-apiserver\", \"etcd\"], or set extend_default = true \
                     to keep the default's",
                    if extend_default {
                        ""
                    } else {
                        " (extend_default is false, so nothing comes from the default)"
                    }
                ),
            });
        }
        for (i, name) in self.scan.components.iter().enumerate() {
            if name.is_empty() || name.contains(['/', '\0']) || name == "." || name == ".." {
                return Err(PolicyError::Invalid {
                    field: format!("scan.components[{i}]"),
                    reason: format!(
                        "{name:?} is not a file name, so it would match no binary; give the \
                         binary's file name, e.g. \"kube-apiserver\""
                    ),
                });
            }
        }
        Ok(())
    }

    /// Rules TOML types cannot express.
    fn check(&self) -> Result<(), PolicyError> {
        for (i, marker) in self.fips_markers.iter().enumerate() {
            marker.check(&format!("fips_markers[{i}]"))?;
        }
        let invalid = |field: String, reason: &str| {
            Err(PolicyError::Invalid {
                field,
                reason: reason.to_owned(),
            })
        };
        for (i, build) in self.builds.iter().enumerate() {
            for (name, part) in [("kubernetes", &build.kubernetes), ("etcd", &build.etcd)] {
                if !self.marks_fips(&part.version) {
                    return invalid(
                        format!("builds[{i}].{name}.version"),
                        &format!(
                            "{} is not a FIPS build; a supported build ends in +fips.N or in \
                             a marker the policy declares in [[fips_markers]]",
                            part.version
                        ),
                    );
                }
            }
        }
        for (i, os) in self.operating_systems.iter().enumerate() {
            if os.id.is_empty() {
                return invalid(
                    format!("operating_systems[{i}].id"),
                    "empty; give the os-release ID, e.g. \"rhel\"",
                );
            }
            for version in &os.versions {
                let ok = version.split('.').count() == 2
                    && version
                        .split('.')
                        .all(|p| !p.is_empty() && p.bytes().all(|b| b.is_ascii_digit()));
                if !ok {
                    return invalid(
                        format!("operating_systems[{i}].versions"),
                        &format!("{version:?} is not MAJOR.MINOR, e.g. \"8.4\""),
                    );
                }
            }
        }
        self.check_mirrors()
    }

    /// A mirror stands for a build's repository; anything else contradicts the builds.
    fn check_mirrors(&self) -> Result<(), PolicyError> {
        let build_repositories: Vec<&ImageRepository> = self
            .builds
            .iter()
            .flat_map(|b| [&b.kubernetes.repository, &b.etcd.repository])
            .collect();
        for (i, m) in self.mirrors.iter().enumerate() {
            let reason = if m.mirror == m.upstream {
                format!(
                    "{} is declared a mirror of itself; remove the entry",
                    m.mirror
                )
            } else if build_repositories.contains(&&m.mirror) {
                format!(
                    "{} is where a FIPS build comes from, so it cannot stand for {}: that would \
                     make the FIPS repository itself a mirror of another registry; a mirror is \
                     a copy of a build's repository, e.g. mirror = \"registry.local/mesosphere\", \
                     upstream = \"{}\"",
                    m.mirror, m.upstream, m.mirror
                )
            } else if !build_repositories.contains(&&m.upstream) {
                format!(
                    "{} is not the repository of any build in the policy, so the mirror would \
                     stand for nothing; the upstream is a build's repository, e.g. {}",
                    m.upstream,
                    build_repositories
                        .first()
                        .map_or_else(|| "docker.io/mesosphere".to_owned(), |r| r.to_string())
                )
            } else if let Some(first) = self.mirrors[..i]
                .iter()
                .find(|other| other.mirror == m.mirror && other.upstream != m.upstream)
            {
                format!(
                    "{} is declared a mirror of both {} and {}; a mirror copies one repository",
                    m.mirror, first.upstream, m.upstream
                )
            } else {
                continue;
            };
            return Err(PolicyError::Invalid {
                field: format!("mirrors[{i}]"),
                reason,
            });
        }
        Ok(())
    }

    /// True when the version is a FIPS build: `+fips.N`, or a marker this policy declares.
    ///
    /// ```
    /// use fips_core::{FipsVersion, Policy};
    /// let v = FipsVersion::parse("v1.33.6+vmware.1-fips-vkr.2")?;
    /// assert!(!Policy::embedded().marks_fips(&v));
    /// let p = Policy::from_toml_str(r#"
    ///     extend_default = true
    ///     [[fips_markers]]
    ///     build = "vmware.{N}-fips-vkr.{N}"
    ///     source = "VMware VKS release notes"
    /// "#)?;
    /// assert!(p.marks_fips(&v));
    /// # Ok::<(), fips_core::Error>(())
    /// ```
    pub fn marks_fips(&self, version: &FipsVersion) -> bool {
        version.is_fips() || self.fips_markers.iter().any(|m| m.matches(version))
    }

    /// True when some build has this Kubernetes version.
    pub fn supports_kubernetes(&self, version: &FipsVersion) -> bool {
        self.builds.iter().any(|b| &b.kubernetes.version == version)
    }

    /// True when some build has this etcd version.
    pub fn supports_etcd(&self, version: &FipsVersion) -> bool {
        self.builds.iter().any(|b| &b.etcd.version == version)
    }

    /// True when the OS `id` at `major.minor` `version` is supported; `name` (os-release
    /// `NAME`), when known, must also match the entry's `name_prefix`.
    ///
    /// ```
    /// use fips_core::Policy;
    /// let p = Policy::embedded();
    /// assert!(p.supports_os("rhel", Some("Red Hat Enterprise Linux"), "8.4"));
    /// assert!(!p.supports_os("rhel", Some("Scientific Linux"), "7.9"));
    /// assert!(!p.supports_os("centos", None, "7"));
    /// ```
    pub fn supports_os(&self, id: &str, name: Option<&str>, version: &str) -> bool {
        self.operating_systems.iter().any(|os| {
            os.id == id
                && os.versions.iter().any(|v| v == version)
                && match (&os.name_prefix, name) {
                    (Some(prefix), Some(name)) => name.starts_with(prefix.as_str()),
                    _ => true,
                }
        })
    }

    /// The repository a requested one stands for: itself, or the upstream it mirrors.
    pub fn resolve_mirror<'a>(&'a self, repository: &'a ImageRepository) -> &'a ImageRepository {
        self.mirrors
            .iter()
            .find(|m| &m.mirror == repository)
            .map_or(repository, |m| &m.upstream)
    }

    /// The mirrors declared for an upstream repository, in the policy's order: where a
    /// pull of `upstream` is tried first, as containers-registries.conf(5) tries a
    /// registry's mirrors before its primary location. Empty when none is declared.
    ///
    /// ```
    /// use fips_core::{ImageRepository, Policy};
    /// let policy = Policy::from_toml_str(r#"
    ///     extend_default = true
    ///     [[mirrors]]
    ///     mirror = "registry.local/mesosphere"
    ///     upstream = "docker.io/mesosphere"
    /// "#)?;
    /// let upstream = ImageRepository::parse("docker.io/mesosphere")?;
    /// let mirrors: Vec<String> = policy.mirrors_of(&upstream).map(|m| m.to_string()).collect();
    /// assert_eq!(mirrors, ["registry.local/mesosphere"]);
    /// let other = ImageRepository::parse("quay.io/x")?;
    /// assert_eq!(policy.mirrors_of(&other).count(), 0);
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn mirrors_of<'a>(
        &'a self,
        upstream: &'a ImageRepository,
    ) -> impl Iterator<Item = &'a ImageRepository> + 'a {
        self.mirrors
            .iter()
            .filter(move |m| &m.upstream == upstream)
            .map(|m| &m.mirror)
    }

    /// Where a pull of `image` is tried before its own registry: the same image under each
    /// declared mirror of its repository ([`Policy::mirrors_of`] of [`ImageRef::prefix`]),
    /// same name, tag and digest, in the policy's order.
    ///
    /// ```
    /// use fips_core::{ImageRef, Policy};
    /// let policy = Policy::from_toml_str(r#"
    ///     extend_default = true
    ///     [[mirrors]]
    ///     mirror = "registry.local:5000/mirror/mesosphere"
    ///     upstream = "docker.io/mesosphere"
    /// "#)?;
    /// let image = ImageRef::parse("docker.io/mesosphere/etcd:v3.4.13_fips.0")?;
    /// let tried: Vec<String> = policy.mirror_images_of(&image).iter().map(|i| i.to_string()).collect();
    /// assert_eq!(tried, ["registry.local:5000/mirror/mesosphere/etcd:v3.4.13_fips.0"]);
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn mirror_images_of(&self, image: &ImageRef) -> Vec<ImageRef> {
        let upstream = image.prefix();
        let name = image
            .repository
            .rsplit_once('/')
            .map_or(image.repository.as_str(), |(_, name)| name);
        self.mirrors_of(&upstream)
            .map(|mirror| ImageRef {
                registry: mirror.registry.clone(),
                repository: if mirror.path.is_empty() {
                    name.to_owned()
                } else {
                    format!("{}/{name}", mirror.path)
                },
                tag: image.tag.clone(),
                digest: image.digest.clone(),
            })
            .collect()
    }

    /// The newest build, the one remediations point to.
    pub fn newest_build(&self) -> Option<&Build> {
        self.builds
            .iter()
            .max_by(|a, b| a.kubernetes.version.cmp(&b.kubernetes.version))
    }
}

/// toml's own message spans several lines with a snippet; errors here are one line:
/// `line L, column C: what is wrong`.
fn one_line(text: &str, e: &toml::de::Error) -> String {
    let what = e.message().trim_end().replace('\n', "; ");
    match e.span() {
        Some(span) => {
            let before = &text[..span.start.min(text.len())];
            let line = before.matches('\n').count() + 1;
            let column = before.rsplit('\n').next().map_or(0, |l| l.chars().count()) + 1;
            format!("line {line}, column {column}: {what}")
        }
        None => what,
    }
}

impl Default for Policy {
    /// A copy of [`Policy::embedded`].
    fn default() -> Self {
        Policy::embedded().clone()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn embedded_is_exactly_the_published_table() {
        let p = Policy::embedded();
        assert!(!p.require_fips_module);
        assert_eq!(p.builds.len(), 1);
        assert_eq!(p.builds[0].kubernetes.version.to_string(), "1.22.8+fips.0");
        assert_eq!(p.builds[0].etcd.version.to_string(), "3.4.13+fips.0");
        assert_eq!(
            p.builds[0].kubernetes.repository.to_string(),
            "docker.io/mesosphere"
        );
        assert_eq!(
            p.builds[0].etcd.repository.to_string(),
            "docker.io/mesosphere"
        );
        let oses: Vec<(&str, Vec<&str>)> = p
            .operating_systems
            .iter()
            .map(|o| {
                (
                    o.id.as_str(),
                    o.versions.iter().map(String::as_str).collect(),
                )
            })
            .collect();
        assert_eq!(
            oses,
            [("rhel", vec!["7.9", "8.2", "8.4"]), ("centos", vec!["7.9"])]
        );
        assert!(p.mirrors.is_empty());
        assert_eq!(p.scan.accepted_modules, [CryptoModule::Boringcrypto]);
    }

    #[test]
    fn unknown_field_is_refused_with_line_and_column() {
        let err = Policy::from_toml_str("require_fips_modul = true\n").unwrap_err();
        let text = err.to_string();
        assert!(text.contains("line 1, column 1"), "{text}");
        assert!(
            text.contains("unknown field `require_fips_modul`"),
            "{text}"
        );
    }

    #[test]
    fn non_fips_build_is_refused_naming_the_field() {
        let err = Policy::from_toml_str(
            r#"
            [[builds]]
            kubernetes = { version = "1.22.8", repository = "docker.io/mesosphere" }
            etcd = { version = "3.4.13+fips.0", repository = "docker.io/mesosphere" }
            "#,
        )
        .unwrap_err();
        assert_eq!(
            err.to_string(),
            "invalid policy: builds[0].kubernetes.version: 1.22.8 is not a FIPS build; a supported build ends in +fips.N or in a marker the policy declares in [[fips_markers]]"
        );
    }

    #[test]
    fn bad_version_in_policy_names_line() {
        let err = Policy::from_toml_str(
            "[[builds]]\nkubernetes = { version = \"1.22\", repository = \"docker.io/mesosphere\" }\n\
             etcd = { version = \"3.4.13+fips.0\", repository = \"docker.io/mesosphere\" }\n",
        )
        .unwrap_err();
        assert!(err.to_string().contains("line 2"), "{err}");
    }
}
