//! Other vendors' FIPS build markers, opt-in through a policy file.
//!
//! The embedded default knows only `+fips.N`. Other distributions spell a FIPS build in
//! their own build metadata (VMware VKS: `v1.33.6+vmware.1-fips-vkr.2`); a policy may declare
//! such a spelling with the source that says it marks a FIPS build. A marker is the whole
//! build metadata, with `{N}` standing for a decimal number (no leading zeros).

use serde::{Deserialize, Serialize};

use crate::{FipsVersion, PolicyError};

/// A build-metadata spelling that a policy accepts as marking a FIPS build.
///
/// ```
/// use fips_core::{FipsMarker, FipsVersion};
/// let m = FipsMarker { build: "vmware.{N}-fips-vkr.{N}".into(), source: "VMware VKS release notes".into() };
/// assert!(m.matches(&FipsVersion::parse("v1.33.6+vmware.1-fips-vkr.2")?));
/// assert!(!m.matches(&FipsVersion::parse("v1.33.6+vmware.1")?));
/// # Ok::<(), fips_core::VersionError>(())
/// ```
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct FipsMarker {
    /// The build metadata, `{N}` for a number: `vmware.{N}-fips-vkr.{N}`.
    pub build: String,
    /// Where the vendor says this spelling marks a FIPS build.
    pub source: String,
}

const NUMBER: &str = "{N}";

impl FipsMarker {
    /// True when the version's build metadata is exactly this marker.
    pub fn matches(&self, version: &FipsVersion) -> bool {
        matches_pattern(&self.build, version.semver().build.as_str())
    }

    /// Refuses a marker that semver build metadata cannot hold, or one without a source.
    pub(crate) fn check(&self, field: &str) -> Result<(), PolicyError> {
        let invalid = |reason: String| {
            Err(PolicyError::Invalid {
                field: field.to_owned(),
                reason,
            })
        };
        if self.source.trim().is_empty() {
            return invalid(
                "a marker needs a source (where the vendor says it marks a FIPS build)".into(),
            );
        }
        let literal = self.build.replace(NUMBER, "0");
        let ok = !literal.is_empty()
            && literal.split('.').all(|id| {
                !id.is_empty() && id.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'-')
            });
        if !ok {
            return invalid(format!(
                "{:?} is not semver build metadata (dot-separated [0-9A-Za-z-] identifiers, {NUMBER} for a number)",
                self.build
            ));
        }
        Ok(())
    }
}

/// `pattern` with every `{N}` matching one canonical decimal number.
fn matches_pattern(pattern: &str, text: &str) -> bool {
    match pattern.split_once(NUMBER) {
        None => pattern == text,
        Some((head, tail)) => {
            let Some(rest) = text.strip_prefix(head) else {
                return false;
            };
            let digits = rest.bytes().take_while(u8::is_ascii_digit).count();
            let canonical = digits == 1 || (digits > 1 && !rest.starts_with('0'));
            canonical && matches_pattern(tail, &rest[digits..])
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn number_is_canonical_and_whole() {
        assert!(matches_pattern("fips.{N}", "fips.10"));
        assert!(!matches_pattern("fips.{N}", "fips.01"));
        assert!(!matches_pattern("fips.{N}", "fips."));
        assert!(!matches_pattern("fips.{N}", "fips.1x"));
        assert!(matches_pattern("a{N}-b{N}", "a1-b22"));
    }

    #[test]
    fn marker_without_source_is_refused() {
        let m = FipsMarker {
            build: "vmware.{N}".into(),
            source: " ".into(),
        };
        assert!(m.check("fips_markers[0]").is_err());
    }
}
