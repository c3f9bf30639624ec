//! Versions as Kubernetes parses them, what makes one a FIPS build, and image tags.
//!
//! Rules, with their sources:
//! - Parsing follows `k8s.io/apimachinery/pkg/util/version.ParseSemantic`: whitespace
//!   trimmed, one optional leading `v`, then strict semver 2.0 (via the `semver` crate).
//! - Only build metadata that is exactly `fips.N` (N a canonical decimal) makes a FIPS build;
//!   `+vmware.1`, `+fips`, `+fipsy.0` and the pre-release `-fips.0` do not.
//! - Equality and ordering include build metadata (apimachinery ignores it): `1.22.8+fips.0`
//!   and `1.22.8` are different builds.
//! - Kubernetes tags follow kubeadm's `KubernetesVersionToImageTag`: a leading `v`, and every
//!   character outside `[-a-zA-Z0-9_.]` replaced by one `_` per Unicode character.
//! - etcd: the vendor's FIPS images are tagged like Kubernetes (`v3.4.13_fips.0`); upstream
//!   etcd tags have no `v` (`3.4.13-0`).

use std::{fmt, str::FromStr};

use serde::{Deserialize, Serialize};

use crate::{
    tag::{TagBuilder, MAX_TAG_LEN},
    Tag, TagError, VersionError,
};

/// A version as Kubernetes tooling accepts it, with the FIPS build it may carry.
///
/// ```
/// use fips_core::{Component, FipsVersion};
/// let v = FipsVersion::parse(" v1.22.8+fips.0 ")?;
/// assert_eq!(v.to_string(), "1.22.8+fips.0");
/// assert_eq!(v.fips_build(), Some(0));
/// assert_eq!(v.to_tag(Component::Kubernetes)?, "v1.22.8_fips.0");
/// assert_ne!(v, FipsVersion::parse("1.22.8")?);
/// # Ok::<(), fips_core::Error>(())
/// ```
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct FipsVersion {
    semver: semver::Version,
}

impl FipsVersion {
    /// Parses what `ParseSemantic` accepts; anything else is an error naming the input.
    ///
    /// ```
    /// use fips_core::FipsVersion;
    /// assert!(FipsVersion::parse("1.22").is_err());
    /// assert!(FipsVersion::parse("01.22.8").is_err());
    /// assert!(FipsVersion::parse("V1.22.8").is_err());
    /// ```
    #[inline]
    pub fn parse(input: &str) -> Result<Self, VersionError> {
        let trimmed = trim_whitespace(input);
        let text = trimmed.strip_prefix('v').unwrap_or(trimmed);
        match semver::Version::parse(text) {
            Ok(semver) => Ok(FipsVersion { semver }),
            Err(e) => Err(parse_error(input, text, &e)),
        }
    }

    /// The FIPS build number `N` when the build metadata is exactly `fips.N`.
    ///
    /// ```
    /// use fips_core::FipsVersion;
    /// let build = |s: &str| FipsVersion::parse(s).unwrap().fips_build();
    /// assert_eq!(build("3.4.13+fips.2"), Some(2));
    /// assert_eq!(build("3.4.13+fips"), None);
    /// assert_eq!(build("3.4.13-fips.0"), None);
    /// assert_eq!(build("1.22.8+vmware.1"), None);
    /// ```
    #[inline]
    pub fn fips_build(&self) -> Option<u64> {
        let digits = self.semver.build.as_str().strip_prefix("fips.")?.as_bytes();
        // A canonical decimal: `0`, or digits without a leading zero, within u64. One pass,
        // as every image of every request asks (issue 18).
        match digits {
            [b'0'] => Some(0),
            [b'1'..=b'9', ..] => digits.iter().try_fold(0u64, |n, &digit| {
                let digit = digit.checked_sub(b'0').filter(|&d| d < 10)?;
                n.checked_mul(10)?.checked_add(u64::from(digit))
            }),
            _ => None,
        }
    }

    /// True when this is a FIPS build (`+fips.N`).
    pub fn is_fips(&self) -> bool {
        self.fips_build().is_some()
    }

    /// Why this version is not a FIPS build although its build metadata names FIPS (any
    /// identifier holding `fips` in any case): `+fips`, `+FIPS.0`, `+fips.01`, `+fips.0.1`,
    /// `+fips.N` with N beyond u64, `+vmware.1-fips-vkr.2`. `None` for a FIPS build and for
    /// metadata that does not mention FIPS.
    ///
    /// Such a version must never decide a FIPS status: it reads as FIPS to a person and is
    /// not one to this library, so a verdict on it either way would be a guess.
    ///
    /// ```
    /// use fips_core::FipsVersion;
    /// let why = |s: &str| FipsVersion::parse(s).unwrap().noncanonical_fips();
    /// assert_eq!(why("1.22.8+fips.0"), None);
    /// assert_eq!(why("1.22.8+vmware.1"), None);
    /// assert_eq!(why("1.22.8+fips.01"), Some("the build number has a leading zero"));
    /// assert!(why("1.22.8+fips.99999999999999999999").is_some());
    /// ```
    pub fn noncanonical_fips(&self) -> Option<&'static str> {
        let build = self.semver.build.as_str();
        if self.is_fips() || !build.to_ascii_lowercase().contains("fips") {
            return None;
        }
        let mut parts = build.split('.');
        let (first, number, rest) = (parts.next(), parts.next(), parts.next());
        Some(match (first, number, rest) {
            (Some("fips"), None, _) => "fips has no build number",
            (Some(f), _, _) if f.eq_ignore_ascii_case("fips") && f != "fips" => {
                "fips must be written in lower case"
            }
            (Some("fips"), Some(n), None) if n.bytes().all(|b| b.is_ascii_digit()) => {
                if n.len() > 1 && n.starts_with('0') {
                    "the build number has a leading zero"
                } else {
                    "the build number is larger than 18446744073709551615"
                }
            }
            (Some("fips"), Some(n), None) if !n.bytes().all(|b| b.is_ascii_digit()) => {
                "the build number is not a decimal number"
            }
            (Some("fips"), Some(_), Some(_)) => "more build metadata follows fips.N",
            _ => "the build metadata names FIPS but is not fips.N",
        })
    }

    /// The underlying semver value.
    pub fn semver(&self) -> &semver::Version {
        &self.semver
    }

    /// The image tag of this version for `component`; see the module docs for the rules.
    ///
    /// ```
    /// use fips_core::{Component, FipsVersion};
    /// let tag = |s: &str, c| FipsVersion::parse(s).unwrap().to_tag(c).unwrap();
    /// assert_eq!(tag("3.4.13+fips.0", Component::Etcd), "v3.4.13_fips.0");
    /// assert_eq!(tag("3.4.13-0", Component::Etcd), "3.4.13-0");
    /// assert_eq!(tag("1.22.8", Component::Kubernetes), "v1.22.8");
    /// ```
    #[inline]
    pub fn to_tag(&self, component: Component) -> Result<Tag, TagError> {
        // This runs for every image of every request: a short tag is written straight into
        // an inline buffer, with no allocation and no `core::fmt` (issue 18).
        let mut tag = TagBuilder::new();
        self.write_tag(component, &mut tag);
        match tag.finish() {
            Some(tag) => Ok(tag),
            None => self.long_tag(component),
        }
    }

    /// A tag too long to be held inline: on the heap when the grammar allows it, else the
    /// error naming the whole tag.
    #[cold]
    #[inline(never)]
    fn long_tag(&self, component: Component) -> Result<Tag, TagError> {
        let mut text = String::new();
        self.write_tag(component, &mut text);
        if text.len() <= MAX_TAG_LEN {
            return Ok(Tag::from_checked(&text));
        }
        Err(TagError::InvalidTag {
            reason: format!(
                "{} characters, more than the {MAX_TAG_LEN} a tag may have",
                text.len()
            ),
            tag: text,
        })
    }

    /// Writes the tag text: semver's own rendering, `MAJOR.MINOR.PATCH[-PRE][+BUILD]`,
    /// piece by piece through kubeadm's rule (digits and `.` pass it unchanged), after a
    /// leading `v` for Kubernetes and for FIPS builds.
    #[inline(always)]
    fn write_tag(&self, component: Component, out: &mut impl TagText) {
        let v = &self.semver;
        if component == Component::Kubernetes || self.is_fips() {
            out.push_ascii(b'v');
        }
        push_decimal(out, v.major);
        out.push_ascii(b'.');
        push_decimal(out, v.minor);
        out.push_ascii(b'.');
        push_decimal(out, v.patch);
        // `is_empty` reads semver's identifier tag alone; `as_str` decodes it. The separators
        // through kubeadm's rule are constants: `-` is in its class and stays, `+` is not and
        // becomes `_` (`the_separators_are_what_kubeadms_rule_makes_of_them` holds them to it).
        if !v.pre.is_empty() {
            out.push_ascii(b'-');
            push_kubeadm_tag_chars(out, v.pre.as_str());
        }
        if !v.build.is_empty() {
            out.push_ascii(b'_');
            push_kubeadm_tag_chars(out, v.build.as_str());
        }
    }

    /// The version an image tag stands for: the reverse of [`FipsVersion::to_tag`].
    ///
    /// Every `_` in a tag replaced some character; a version holds at most one such
    /// character, the `+` of its build metadata, so a tag with more than one `_` is refused
    /// rather than guessed at.
    ///
    /// The rule is the same for every component: a leading `v` is optional in a version.
    ///
    /// ```
    /// use fips_core::FipsVersion;
    /// let v = FipsVersion::from_tag("v3.4.13_fips.0")?;
    /// assert_eq!(v.to_string(), "3.4.13+fips.0");
    /// assert!(FipsVersion::from_tag("v1.22.8_fips_0").is_err());
    /// # Ok::<(), fips_core::TagError>(())
    /// ```
    pub fn from_tag(tag: &str) -> Result<Self, TagError> {
        check_tag_grammar(tag)?;
        let underscores = tag.matches('_').count();
        if underscores > 1 {
            return Err(TagError::Lossy {
                tag: tag.to_owned(),
                reason: format!(
                    "it holds {underscores} '_'; only one can be the '+' of build metadata, \
                     and the characters the others replaced cannot be recovered"
                ),
            });
        }
        let text = tag.replacen('_', "+", 1);
        FipsVersion::parse(&text).map_err(|source| TagError::NotAVersion {
            tag: tag.to_owned(),
            source,
        })
    }

    /// A summary for output: `{"input","version","fips","fips_build","tag","component"}`;
    /// `tag` is `None` when no valid tag can be made (longer than 128 characters).
    pub fn describe(&self, input: &str, component: Component) -> VersionInfo {
        VersionInfo {
            input: input.to_owned(),
            version: self.to_string(),
            fips: self.is_fips(),
            fips_build: self.fips_build(),
            tag: self.to_tag(component).ok().map(String::from),
            component,
        }
    }
}

/// Where a tag is written: the inline [`Tag`] buffer, or a `String` for the error that
/// names a tag too long for one.
trait TagText {
    fn push_str(&mut self, text: &str);
    /// `byte` is ASCII.
    fn push_ascii(&mut self, byte: u8);
}

impl TagText for TagBuilder {
    #[inline(always)]
    fn push_str(&mut self, text: &str) {
        TagBuilder::push_str(self, text);
    }

    #[inline(always)]
    fn push_ascii(&mut self, byte: u8) {
        TagBuilder::push_ascii(self, byte);
    }
}

impl TagText for String {
    fn push_str(&mut self, text: &str) {
        String::push_str(self, text);
    }

    fn push_ascii(&mut self, byte: u8) {
        self.push(char::from(byte));
    }
}

/// kubeadm's rule: every character outside `[-a-zA-Z0-9_.]` becomes one `_`; `text` is
/// appended to `tag` with the rule applied.
#[inline(always)]
fn push_kubeadm_tag_chars(tag: &mut impl TagText, text: &str) {
    // A semver identifier always passes whole (semver allows `[0-9A-Za-z-]` and `.` only):
    // one check and one copy, inline; the replacing is out of line.
    if text.bytes().all(kubeadm_allows) {
        tag.push_str(text);
    } else {
        push_kubeadm_replaced(tag, text);
    }
}

/// The rule's character class, `[-a-zA-Z0-9_.]`, as a table: one load per byte.
fn kubeadm_allows(byte: u8) -> bool {
    const ALLOWED: [bool; 256] = {
        let mut table = [false; 256];
        let mut b = 0;
        while b < 256 {
            // `b < 256`, so the cast keeps every bit.
            let byte = b as u8;
            table[b] = byte.is_ascii_alphanumeric() || matches!(byte, b'-' | b'_' | b'.');
            b += 1;
        }
        table
    };
    ALLOWED[usize::from(byte)]
}

/// [`push_kubeadm_tag_chars`] for text holding a character the rule replaces. Runs of
/// allowed characters are copied whole.
#[inline(never)]
fn push_kubeadm_replaced(tag: &mut impl TagText, text: &str) {
    let mut rest = text;
    // The first byte that is not allowed starts a character (the bytes before it are ASCII),
    // so `i` is a character boundary and the whole character is replaced by one `_`.
    while let Some(i) = rest.bytes().position(|b| !kubeadm_allows(b)) {
        if i > 0 {
            tag.push_str(&rest[..i]);
        }
        tag.push_ascii(b'_');
        let width = rest[i..].chars().next().map_or(1, char::len_utf8);
        rest = &rest[i + width..];
    }
    if !rest.is_empty() {
        tag.push_str(rest);
    }
}

/// Writes `n` in decimal without `core::fmt`: the digits are made from the end of a buffer
/// of the longest length (`u64::MAX` has 20 digits).
#[inline(always)]
fn push_decimal(out: &mut impl TagText, n: u64) {
    // Most version numbers have one or two digits: no buffer. Each cast is of a value below
    // 10, so it keeps every bit.
    if n < 10 {
        out.push_ascii(b'0' + n as u8);
        return;
    }
    if n < 100 {
        out.push_ascii(b'0' + (n / 10) as u8);
        out.push_ascii(b'0' + (n % 10) as u8);
        return;
    }
    push_long_decimal(out, n);
}

/// [`push_decimal`] for 100 and above, out of line: it is rare in a version, and inlined it
/// makes every tag's code larger.
#[inline(never)]
fn push_long_decimal(out: &mut impl TagText, mut n: u64) {
    let mut digits = [0u8; 20];
    let mut start = digits.len();
    while n > 0 {
        start -= 1;
        // `n % 10` is below 10, so the cast keeps every bit.
        digits[start] = b'0' + (n % 10) as u8;
        n /= 10;
    }
    for &digit in &digits[start..] {
        out.push_ascii(digit);
    }
}

/// The distribution/reference tag grammar: `[\w][\w.-]{0,127}`.
pub(crate) fn check_tag_grammar(tag: &str) -> Result<(), TagError> {
    let invalid = |reason: String| {
        Err(TagError::InvalidTag {
            tag: tag.to_owned(),
            reason,
        })
    };
    let Some(first) = tag.chars().next() else {
        return invalid("empty".into());
    };
    if tag.len() > MAX_TAG_LEN {
        return invalid(format!(
            "{} characters, more than the {MAX_TAG_LEN} a tag may have",
            tag.len()
        ));
    }
    if !(first.is_ascii_alphanumeric() || first == '_') {
        return invalid(format!(
            "starts with {first:?}; a tag starts with a letter, digit or '_'"
        ));
    }
    if let Some(bad) = tag
        .chars()
        .find(|c| !(c.is_ascii_alphanumeric() || matches!(c, '_' | '.' | '-')))
    {
        return invalid(format!(
            "{bad:?} is not allowed; a tag holds only letters, digits, '_', '.' and '-'"
        ));
    }
    Ok(())
}

impl fmt::Display for FipsVersion {
    /// The version without a leading `v`, as semver writes it.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Display::fmt(&self.semver, f)
    }
}

impl FromStr for FipsVersion {
    type Err = VersionError;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        FipsVersion::parse(s)
    }
}

impl Serialize for FipsVersion {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_str(self)
    }
}

impl<'de> Deserialize<'de> for FipsVersion {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let text = String::deserialize(d)?;
        FipsVersion::parse(&text).map_err(serde::de::Error::custom)
    }
}

/// A component whose images the provisioner pulls; each has its own tag rule.
///
/// ```
/// use fips_core::Component;
/// assert_eq!("etcd".parse::<Component>()?, Component::Etcd);
/// # Ok::<(), fips_core::TagError>(())
/// ```
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Component {
    /// The Kubernetes control plane and node images (kube-apiserver, kube-proxy, ...).
    Kubernetes,
    /// etcd.
    Etcd,
}

impl Component {
    /// The lower-case name, as on the command line.
    pub fn as_str(self) -> &'static str {
        match self {
            Component::Kubernetes => "kubernetes",
            Component::Etcd => "etcd",
        }
    }
}

impl fmt::Display for Component {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl FromStr for Component {
    type Err = TagError;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        match s {
            "kubernetes" => Ok(Component::Kubernetes),
            "etcd" => Ok(Component::Etcd),
            _ => Err(TagError::UnknownComponent {
                input: s.to_owned(),
            }),
        }
    }
}

/// `text.trim()`, with the common case (no whitespace at either end) decided from two bytes:
/// an ASCII byte at an end is a whole character there, and a graphic one (`!` to `~`) is not
/// whitespace, so there is nothing to trim.
#[inline]
fn trim_whitespace(text: &str) -> &str {
    let graphic = |b: Option<&u8>| b.is_some_and(u8::is_ascii_graphic);
    let bytes = text.as_bytes();
    if graphic(bytes.first()) && graphic(bytes.last()) {
        text
    } else {
        text.trim()
    }
}

/// Why `input` (`text` once trimmed and without its `v`) is not a version. Out of line: a
/// version that parses never pays for building this error.
#[cold]
#[inline(never)]
fn parse_error(input: &str, text: &str, e: &semver::Error) -> VersionError {
    if trim_whitespace(input).is_empty() {
        return VersionError::Empty {
            input: input.to_owned(),
        };
    }
    VersionError::Syntax {
        input: input.to_owned(),
        reason: missing_numbers(text).unwrap_or_else(|| e.to_string()),
    }
}

/// The version `1.22` (or `1`, with a suffix or not) lacks numbers semver requires: say
/// which, rather than semver's "unexpected end of input while parsing minor version number".
fn missing_numbers(text: &str) -> Option<String> {
    let core = text.split(['-', '+']).next().unwrap_or_default();
    let numbers: Vec<&str> = core.split('.').collect();
    let all_digits = numbers
        .iter()
        .all(|n| !n.is_empty() && n.bytes().all(|b| b.is_ascii_digit()));
    match numbers.len() {
        1 if all_digits => Some(format!(
            "the minor and patch numbers are missing ({core} has only MAJOR)"
        )),
        2 if all_digits => Some(format!(
            "the patch number is missing ({core} has only MAJOR.MINOR)"
        )),
        _ => None,
    }
}

/// What `fipsctl version --json` prints and every binding returns for a version.
///
/// ```
/// use fips_core::{Component, FipsVersion};
/// let info = FipsVersion::parse("v1.22.8+fips.0")?.describe("v1.22.8+fips.0", Component::Kubernetes);
/// assert_eq!(
///     serde_json::to_string(&info).unwrap(),
///     r#"{"input":"v1.22.8+fips.0","version":"1.22.8+fips.0","fips":true,"fips_build":0,"tag":"v1.22.8_fips.0","component":"kubernetes"}"#
/// );
/// # Ok::<(), fips_core::Error>(())
/// ```
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct VersionInfo {
    /// The text as given.
    pub input: String,
    /// The version without `v`.
    pub version: String,
    /// True for a `+fips.N` build.
    pub fips: bool,
    /// `N` of `+fips.N`.
    pub fips_build: Option<u64>,
    /// The image tag for `component`; `None` when the version is too long for a tag.
    pub tag: Option<String>,
    /// The component the tag is for.
    pub component: Component,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn error_messages_name_input_and_problem() {
        let err = FipsVersion::parse("1.22").unwrap_err();
        assert_eq!(
            err.to_string(),
            "invalid version \"1.22\": the patch number is missing (1.22 has only MAJOR.MINOR); \
             expected MAJOR.MINOR.PATCH[-PRE][+BUILD] such as 1.22.8+fips.0"
        );
        assert_eq!(
            FipsVersion::parse("  ").unwrap_err().to_string(),
            "invalid version \"  \": empty; expected MAJOR.MINOR.PATCH such as 1.22.8+fips.0"
        );
    }

    #[test]
    fn fips_build_needs_canonical_decimal() {
        for (text, want) in [
            ("1.0.0+fips.0", Some(0)),
            ("1.0.0+fips.10", Some(10)),
            ("1.0.0+fips.18446744073709551615", Some(u64::MAX)),
            ("1.0.0+fips.99999999999999999999", None),
            ("1.0.0+fips.00", None),
            ("1.0.0+fips.1a", None),
            ("1.0.0+fips.a1", None),
            ("1.0.0+fips.18446744073709551616", None),
            ("1.0.0+fips.01", None),
            ("1.0.0+fips.0.1", None),
            ("1.0.0+FIPS.0", None),
            ("1.0.0+fips-1", None),
        ] {
            assert_eq!(
                FipsVersion::parse(text).unwrap().fips_build(),
                want,
                "{text}"
            );
        }
    }

    #[test]
    fn kubeadm_rule_is_per_character_not_per_byte() {
        // KubernetesVersionToImageTag: regexp `[^-a-zA-Z0-9_.]` replaced per rune by "_".
        for (text, want) in [
            ("1.0.0+é/ü", "v1.0.0____"),
            ("a€b", "va_b"),
            ("😀", "v_"),
            ("x+y+z", "vx_y_z"),
            ("", "v"),
            ("-_.AZaz09", "v-_.AZaz09"),
        ] {
            let mut tag = String::from("v");
            push_kubeadm_tag_chars(&mut tag, text);
            let mut inline = TagBuilder::new();
            inline.push_ascii(b'v');
            push_kubeadm_tag_chars(&mut inline, text);
            assert_eq!(inline.finish().unwrap(), want, "{text:?}");
            assert_eq!(tag, want, "{text:?}");
        }
    }

    #[test]
    fn the_separators_are_what_kubeadms_rule_makes_of_them() {
        let rule = |text: &str| {
            let mut out = String::new();
            push_kubeadm_tag_chars(&mut out, text);
            out
        };
        assert_eq!(rule("-"), "-");
        assert_eq!(rule("+"), "_");
        let v = FipsVersion::parse("1.2.3-rc.1+fips.0").unwrap();
        assert_eq!(
            v.to_tag(Component::Etcd).unwrap(),
            format!("v{}", rule("1.2.3-rc.1+fips.0"))
        );
    }

    #[test]
    fn push_decimal_writes_u64_as_display_does() {
        for n in [
            0,
            1,
            9,
            10,
            99,
            100,
            1_000_007,
            u64::from(u32::MAX),
            u64::MAX - 1,
            u64::MAX,
        ] {
            let mut text = String::new();
            push_decimal(&mut text, n);
            assert_eq!(text, n.to_string());
            let mut inline = TagBuilder::new();
            push_decimal(&mut inline, n);
            assert_eq!(inline.finish().unwrap(), n.to_string());
        }
    }

    #[test]
    fn tag_is_semver_text_through_kubeadm_rule() {
        // The tag equals kubeadm's rule applied to semver's own rendering, for every part a
        // version can have (semver.org 2.0 grammar; KubernetesVersionToImageTag).
        for (text, component, want) in [
            ("0.0.0", Component::Etcd, "0.0.0"),
            (
                "18446744073709551615.0.1",
                Component::Kubernetes,
                "v18446744073709551615.0.1",
            ),
            (
                "1.22.8-rc.1+fips.0",
                Component::Kubernetes,
                "v1.22.8-rc.1_fips.0",
            ),
            ("3.4.13-0", Component::Etcd, "3.4.13-0"),
            (
                "3.4.13-0+vmware.1-x",
                Component::Etcd,
                "3.4.13-0_vmware.1-x",
            ),
            ("1.2.3+fips.7", Component::Etcd, "v1.2.3_fips.7"),
        ] {
            let v = FipsVersion::parse(text).unwrap();
            let tag = v.to_tag(component).unwrap();
            assert_eq!(tag, want, "{text}");
            let mut text_tag = String::new();
            v.write_tag(component, &mut text_tag);
            assert_eq!(
                text_tag, want,
                "{text}: the error path writes the same text"
            );
        }
    }

    #[test]
    fn trim_whitespace_is_str_trim() {
        for text in [
            "",
            " ",
            "1.2.3",
            " 1.2.3",
            "1.2.3 ",
            "\t1.2.3\n",
            "\u{b}1.2.3\u{c}",
            "\u{a0}1.2.3",
            "1.2.3\u{3000}",
            "\u{85}",
            "é",
            "1.2.3é",
            "x\r",
            "\u{0}1.2.3\u{7f}",
            "~1.2.3!",
        ] {
            assert_eq!(trim_whitespace(text), text.trim(), "{text:?}");
        }
    }

    #[test]
    fn too_long_tag_is_an_error_naming_the_whole_tag() {
        // The distribution grammar: at most 128 characters. 1.0.0+ and 122 more is 128.
        let fits = FipsVersion::parse(&format!("1.0.0+{}", "a".repeat(122))).unwrap();
        assert_eq!(fits.to_tag(Component::Etcd).unwrap().len(), 128);
        let long = FipsVersion::parse(&format!("1.0.0+{}", "a".repeat(123))).unwrap();
        assert_eq!(
            long.to_tag(Component::Etcd).unwrap_err().to_string(),
            format!(
                "invalid tag \"1.0.0_{}\": 129 characters, more than the 128 a tag may have",
                "a".repeat(123)
            )
        );
    }
}
