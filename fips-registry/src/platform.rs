//! `os/arch[/variant]`, and the one entry of an image index that a runtime on that platform
//! would pull (OCI image spec, image-index.md, `platform`).

use std::fmt;

use serde::Deserialize;

/// A platform, as `--platform` names it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Platform {
    /// `linux`, `windows`, ... (GOOS values).
    pub os: String,
    /// `amd64`, `arm64`, ... (GOARCH values).
    pub architecture: String,
    /// `v7`, `v8`, ... when named.
    pub variant: Option<String>,
}

impl Default for Platform {
    /// `linux/amd64`, the platform of the clusters the policy describes.
    fn default() -> Self {
        Platform {
            os: "linux".into(),
            architecture: "amd64".into(),
            variant: None,
        }
    }
}

impl fmt::Display for Platform {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}/{}", self.os, self.architecture)?;
        if let Some(v) = &self.variant {
            write!(f, "/{v}")?;
        }
        Ok(())
    }
}

impl std::str::FromStr for Platform {
    type Err = String;

    fn from_str(s: &str) -> Result<Self, String> {
        let parts: Vec<&str> = s.split('/').collect();
        let ok = |p: &&str| {
            !p.is_empty()
                && p.bytes()
                    .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'_')
        };
        if !(2..=3).contains(&parts.len()) || !parts.iter().all(ok) {
            return Err(format!(
                "platform {s:?}: expected os/arch[/variant] in lowercase, e.g. linux/amd64 or \
                 linux/arm/v7"
            ));
        }
        Ok(Platform {
            os: parts[0].into(),
            architecture: parts[1].into(),
            variant: parts.get(2).map(|v| (*v).to_owned()),
        })
    }
}

/// The `platform` of an index entry.
#[derive(Deserialize, Debug, Clone)]
pub(crate) struct EntryPlatform {
    pub(crate) os: String,
    pub(crate) architecture: String,
    #[serde(default)]
    pub(crate) variant: Option<String>,
}

impl EntryPlatform {
    pub(crate) fn text(&self) -> String {
        match &self.variant {
            Some(v) => format!("{}/{}/{v}", self.os, self.architecture),
            None => format!("{}/{}", self.os, self.architecture),
        }
    }
}

impl Platform {
    /// Does an index entry run here? A variant named must match; none named matches any,
    /// as containerd's platform matcher does for the default variant.
    pub(crate) fn matches(&self, entry: &EntryPlatform) -> bool {
        entry.os == self.os
            && entry.architecture == self.architecture
            && match (&self.variant, &entry.variant) {
                (Some(want), Some(got)) => want == got,
                (Some(_), None) => false,
                (None, _) => true,
            }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn platforms_parse_as_docker_names_them() {
        let p: Platform = "linux/arm/v7".parse().unwrap();
        assert_eq!(p.to_string(), "linux/arm/v7");
        assert_eq!(Platform::default().to_string(), "linux/amd64");
        for bad in ["linux", "linux/", "Linux/amd64", "a/b/c/d", ""] {
            assert!(bad.parse::<Platform>().is_err(), "{bad}");
        }
        let arm64 = EntryPlatform {
            os: "linux".into(),
            architecture: "arm64".into(),
            variant: Some("v8".into()),
        };
        assert!("linux/arm64".parse::<Platform>().unwrap().matches(&arm64));
        assert!("linux/arm64/v8"
            .parse::<Platform>()
            .unwrap()
            .matches(&arm64));
        assert!(!"linux/arm64/v9"
            .parse::<Platform>()
            .unwrap()
            .matches(&arm64));
        assert!(!Platform::default().matches(&arm64));
    }
}
