//! Container image references and image repositories, as the container ecosystem reads them.
//!
//! Grammar: distribution/reference (`reference.go`, `normalize.go`):
//! `[domain[:port]/]path-component[/path-component]*[:tag][@algorithm:hex]`, where a path
//! component is lower-case alphanumerics joined by `.`, `_`, `__` or runs of `-`, a tag is
//! `[\w][\w.-]{0,127}`, and the first component is a domain only when it holds `.` or `:`,
//! is `localhost`, or has an upper-case letter. Normalisation as Docker does it:
//! `index.docker.io` (and `registry-1.docker.io`, the endpoint behind it) is `docker.io`,
//! and a single-component name on Docker Hub gets `library/`.

use std::fmt;

use serde::{Deserialize, Serialize};

use crate::{version::check_tag_grammar, ImageError};

/// The registry Docker Hub images resolve to.
pub const DOCKER_HUB: &str = "docker.io";
/// Aliases that name Docker Hub too.
const DOCKER_HUB_ALIASES: [&str; 2] = ["index.docker.io", "registry-1.docker.io"];
/// distribution/reference's `NameTotalLengthMax`.
const MAX_NAME_LEN: usize = 255;

/// A normalised image reference.
///
/// ```
/// use fips_core::ImageRef;
/// let image = ImageRef::parse("mesosphere/kube-apiserver:v1.22.8_fips.0")?;
/// assert_eq!(image.registry, "docker.io");
/// assert_eq!(image.repository, "mesosphere/kube-apiserver");
/// assert_eq!(image.tag.as_deref(), Some("v1.22.8_fips.0"));
/// assert_eq!(image.to_string(), "docker.io/mesosphere/kube-apiserver:v1.22.8_fips.0");
/// assert_eq!(ImageRef::parse("nginx")?.to_string(), "docker.io/library/nginx");
/// assert!(ImageRef::parse("docker.io/Mesosphere/etcd").is_err());
/// # Ok::<(), fips_core::ImageError>(())
/// ```
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct ImageRef {
    /// The registry host (and port), normalised: `docker.io` for Docker Hub.
    pub registry: String,
    /// The path inside the registry, e.g. `library/nginx`.
    pub repository: String,
    /// The tag, when one was given (no `latest` is invented).
    pub tag: Option<String>,
    /// The digest (`sha256:<64 hex>`), when one was given.
    pub digest: Option<String>,
}

impl ImageRef {
    /// Parses and normalises a reference; errors name the reason.
    pub fn parse(input: &str) -> Result<Self, ImageError> {
        let fail = |reason: String| ImageError {
            input: input.to_owned(),
            reason,
        };
        if input.is_empty() {
            return Err(fail("empty".into()));
        }
        let (rest, digest) = match input.split_once('@') {
            Some((rest, digest)) => (rest, Some(check_digest(digest).map_err(&fail)?)),
            None => (input, None),
        };
        // A ':' after the last '/' separates the tag; one before it belongs to a port.
        let last_slash = rest.rfind('/').map_or(0, |i| i + 1);
        let (name, tag) = match rest[last_slash..].find(':') {
            Some(i) => {
                let (name, tag) = rest.split_at(last_slash + i);
                let tag = &tag[1..];
                check_tag_grammar(tag).map_err(|e| match e {
                    crate::TagError::InvalidTag { reason, .. } => {
                        fail(format!("tag {tag:?}: {reason}"))
                    }
                    other => fail(other.to_string()),
                })?;
                (name, Some(tag.to_owned()))
            }
            None => (rest, None),
        };
        let ImageRepository { registry, path } =
            ImageRepository::split(name, false).map_err(&fail)?;
        if path.is_empty() {
            return Err(fail("no image name after the registry".into()));
        }
        let repository = if registry == DOCKER_HUB && !path.contains('/') {
            format!("library/{path}")
        } else {
            path
        };
        check_name_length(registry.len() + 1 + repository.len()).map_err(&fail)?;
        Ok(ImageRef {
            registry,
            repository,
            tag,
            digest,
        })
    }

    /// `registry/repository`, without tag or digest.
    pub fn name(&self) -> String {
        format!("{}/{}", self.registry, self.repository)
    }

    /// The repository prefix the image lives under: the reference without its last
    /// path component (`docker.io/mesosphere` for `docker.io/mesosphere/etcd:v3.4.13_fips.0`).
    pub fn prefix(&self) -> ImageRepository {
        let path = match self.repository.rsplit_once('/') {
            Some((prefix, _)) => prefix.to_owned(),
            None => String::new(),
        };
        ImageRepository {
            registry: self.registry.clone(),
            path,
        }
    }
}

impl fmt::Display for ImageRef {
    /// The fully qualified reference: `registry/repository[:tag][@digest]`.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}/{}", self.registry, self.repository)?;
        if let Some(tag) = &self.tag {
            write!(f, ":{tag}")?;
        }
        if let Some(digest) = &self.digest {
            write!(f, "@{digest}")?;
        }
        Ok(())
    }
}

/// The JSON shape: `{"registry","repository","tag","digest","reference"}`.
#[derive(Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
struct ImageRefJson {
    registry: String,
    repository: String,
    tag: Option<String>,
    digest: Option<String>,
    reference: String,
}

impl Serialize for ImageRef {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        ImageRefJson {
            registry: self.registry.clone(),
            repository: self.repository.clone(),
            tag: self.tag.clone(),
            digest: self.digest.clone(),
            reference: self.to_string(),
        }
        .serialize(s)
    }
}

impl<'de> Deserialize<'de> for ImageRef {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let json = ImageRefJson::deserialize(d)?;
        ImageRef::parse(&json.reference).map_err(serde::de::Error::custom)
    }
}

/// Where a provisioner pulls a component's images from: a registry and a path prefix,
/// as in `--kubernetes-image-repository docker.io/mesosphere`.
///
/// Unlike an image name, a single component is a namespace, so no `library/` is added.
///
/// ```
/// use fips_core::ImageRepository;
/// let a = ImageRepository::parse("index.docker.io/mesosphere")?;
/// assert_eq!(a, ImageRepository::parse("mesosphere")?);
/// assert_eq!(a.to_string(), "docker.io/mesosphere");
/// assert_eq!(ImageRepository::parse("registry.k8s.io")?.to_string(), "registry.k8s.io");
/// # Ok::<(), fips_core::ImageError>(())
/// ```
#[derive(Clone, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct ImageRepository {
    /// The registry host (and port), normalised.
    pub registry: String,
    /// The path prefix inside the registry; empty when images sit at the registry's top.
    pub path: String,
}

impl ImageRepository {
    /// Parses and normalises a repository prefix (no tag, no digest).
    pub fn parse(input: &str) -> Result<Self, ImageError> {
        let fail = |reason: String| ImageError {
            input: input.to_owned(),
            reason,
        };
        if input.is_empty() {
            return Err(fail("empty".into()));
        }
        if input.contains('@') {
            return Err(fail(
                "a repository has no digest; give only registry/path".into(),
            ));
        }
        let trimmed = input.strip_suffix('/').unwrap_or(input);
        let repository = ImageRepository::split(trimmed, true).map_err(&fail)?;
        check_name_length(repository.to_string().len()).map_err(fail)?;
        Ok(repository)
    }

    /// Splits `[domain/]path` as distribution's `splitDockerDomain` does, checking each part.
    /// `bare_domain`: whether a lone component with `.` or `:` (or `localhost`) is a registry,
    /// as it is for a repository prefix (`registry.k8s.io`) but not for an image name.
    fn split(name: &str, bare_domain: bool) -> Result<Self, String> {
        let (domain, path) = match name.split_once('/') {
            Some((first, rest)) if looks_like_domain(first) => (first, rest),
            None if bare_domain && (name.contains(['.', ':']) || name == "localhost") => (name, ""),
            _ => (DOCKER_HUB, name),
        };
        check_domain(domain)?;
        if !path.is_empty() || name.contains('/') {
            check_path(path)?;
        }
        let registry = if DOCKER_HUB_ALIASES.contains(&domain) {
            DOCKER_HUB.to_owned()
        } else {
            domain.to_owned()
        };
        Ok(ImageRepository {
            registry,
            path: path.to_owned(),
        })
    }
}

impl fmt::Display for ImageRepository {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.path.is_empty() {
            f.write_str(&self.registry)
        } else {
            write!(f, "{}/{}", self.registry, self.path)
        }
    }
}

impl Serialize for ImageRepository {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_str(self)
    }
}

impl<'de> Deserialize<'de> for ImageRepository {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let text = String::deserialize(d)?;
        ImageRepository::parse(&text).map_err(serde::de::Error::custom)
    }
}

/// distribution/reference's `NameTotalLengthMax`, counted on the normalised name
/// (`docker.io/library/...`), as `ParseNormalizedNamed` counts it.
fn check_name_length(len: usize) -> Result<(), String> {
    if len > MAX_NAME_LEN {
        Err(format!(
            "the normalised name is {len} characters, more than the {MAX_NAME_LEN} allowed"
        ))
    } else {
        Ok(())
    }
}

/// distribution's rule: the first component names a registry when it has a `.` or `:`,
/// is `localhost`, or is not all lower case.
fn looks_like_domain(first: &str) -> bool {
    first.contains(['.', ':'])
        || first == "localhost"
        || first.chars().any(|c| c.is_ascii_uppercase())
}

fn check_domain(domain: &str) -> Result<(), String> {
    let (host, port) = if let Some(rest) = domain.strip_prefix('[') {
        let (inside, after) = rest
            .split_once(']')
            .ok_or_else(|| format!("registry {domain:?}: '[' without ']'"))?;
        if inside.is_empty() || !inside.chars().all(|c| c.is_ascii_hexdigit() || c == ':') {
            return Err(format!("registry {domain:?}: not an IPv6 address"));
        }
        let port = match after.strip_prefix(':') {
            Some(port) => Some(port),
            None if after.is_empty() => None,
            None => {
                return Err(format!(
                    "registry {domain:?}: unexpected {after:?} after ']'"
                ))
            }
        };
        (None, port)
    } else {
        match domain.split_once(':') {
            Some((host, port)) => (Some(host), Some(port)),
            None => (Some(domain), None),
        }
    };
    if let Some(host) = host {
        if host.is_empty() {
            return Err(format!("registry {domain:?}: empty host"));
        }
        for component in host.split('.') {
            let ok = !component.is_empty()
                && component
                    .chars()
                    .all(|c| c.is_ascii_alphanumeric() || c == '-')
                && !component.starts_with('-')
                && !component.ends_with('-');
            if !ok {
                return Err(format!(
                    "registry {domain:?}: host component {component:?} must be letters, digits \
                     and inner '-'"
                ));
            }
        }
    }
    if let Some(port) = port {
        if port.is_empty() || !port.bytes().all(|b| b.is_ascii_digit()) {
            return Err(format!(
                "registry {domain:?}: port {port:?} is not a number"
            ));
        }
    }
    Ok(())
}

fn check_path(path: &str) -> Result<(), String> {
    for component in path.split('/') {
        if component.is_empty() {
            return Err("empty path component (\"//\" or a trailing \"/\")".into());
        }
        if let Some(upper) = component.chars().find(|c| c.is_ascii_uppercase()) {
            return Err(format!(
                "path component {component:?} has upper case {upper:?}; repository names must be lower case"
            ));
        }
        if !path_component_ok(component) {
            return Err(format!(
                "path component {component:?} must be lower-case letters and digits joined by \
                 '.', '_', '__' or '-'"
            ));
        }
    }
    Ok(())
}

/// `[a-z0-9]+(?:(?:[._]|__|[-]*)[a-z0-9]+)*`
fn path_component_ok(component: &str) -> bool {
    let bytes = component.as_bytes();
    let alnum = |b: u8| b.is_ascii_lowercase() || b.is_ascii_digit();
    let mut i = 0;
    let mut need_alnum = true;
    while i < bytes.len() {
        if alnum(bytes[i]) {
            need_alnum = false;
            i += 1;
            continue;
        }
        if need_alnum {
            return false;
        }
        let start = i;
        match bytes[i] {
            b'.' => i += 1,
            b'_' => {
                i += 1;
                if bytes.get(i) == Some(&b'_') {
                    i += 1;
                }
            }
            b'-' => {
                while bytes.get(i) == Some(&b'-') {
                    i += 1;
                }
            }
            _ => return false,
        }
        debug_assert!(i > start);
        need_alnum = true;
    }
    !need_alnum
}

fn check_digest(digest: &str) -> Result<String, String> {
    let (algorithm, hex) = digest.split_once(':').ok_or_else(|| {
        format!("digest {digest:?} must be <algorithm>:<hex>, e.g. sha256:<64 hex>")
    })?;
    let want = match algorithm {
        "sha256" => 64,
        "sha512" => 128,
        _ => {
            return Err(format!(
                "digest algorithm {algorithm:?} is not supported; use sha256 or sha512"
            ))
        }
    };
    if hex.len() != want
        || !hex
            .bytes()
            .all(|b| b.is_ascii_digit() || (b'a'..=b'f').contains(&b))
    {
        return Err(format!(
            "digest {digest:?}: {algorithm} needs exactly {want} lower-case hex characters"
        ));
    }
    Ok(digest.to_owned())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn path_components() {
        for ok in ["a", "a.b", "a_b", "a__b", "a---b", "kube-apiserver", "0"] {
            assert!(path_component_ok(ok), "{ok}");
        }
        for bad in ["", "-a", "a-", "a___b", "a..b", "_a", "a.", "a/b"] {
            assert!(!path_component_ok(bad), "{bad}");
        }
    }
}
