//! `os-release` as os-release(5) defines it, and which operating system a root holds.
//!
//! Format (os-release(5)): newline-separated `KEY=value` lines of a shell-compatible subset;
//! values may be in double or single quotes; in double quotes and unquoted values the
//! backslash escapes `\`, `$`, `"`, `'` and `` ` ``; lines starting with `#` are comments;
//! blank lines are ignored; a key given twice keeps its last value. Lines that fit none of
//! this are ignored, as systemd does, and counted in [`OsRelease::ignored_lines`].

use std::{borrow::Cow, collections::BTreeMap};

use serde::{Deserialize, Serialize};

use crate::{root::Root, RootError};

/// os-release and release files are a few hundred bytes.
const MAX_RELEASE_BYTES: u64 = 64 * 1024;

/// A parsed os-release file.
///
/// ```
/// use fips_core::OsRelease;
/// let os = OsRelease::parse("NAME=\"Red Hat Enterprise Linux\"\nID=rhel\n# comment\nVERSION_ID='8.4'\n");
/// assert_eq!(os.id(), "rhel");
/// assert_eq!(os.get("VERSION_ID"), Some("8.4"));
/// assert_eq!(OsRelease::parse("").id(), "linux");
/// ```
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct OsRelease {
    fields: BTreeMap<String, String>,
    ignored_lines: Vec<usize>,
}

impl OsRelease {
    /// Parses os-release text. Never fails: lines that are not assignments are ignored and
    /// their numbers kept.
    pub fn parse(text: &str) -> OsRelease {
        let mut os = OsRelease::default();
        for line in OsRelease::lines(text) {
            match line {
                Ok((key, value)) => {
                    os.fields.insert(key.to_owned(), value.into_owned());
                }
                Err(number) => os.ignored_lines.push(number),
            }
        }
        os
    }

    /// The assignments of os-release text in file order, without building a map: `Ok((key,
    /// value))` for each (a key given twice appears twice; the last one counts), `Err(n)` for
    /// line `n` (1-based) that is neither an assignment, a comment nor blank. A value
    /// borrows from `text` unless it had an escape to resolve. [`OsRelease::parse`] is this,
    /// collected.
    ///
    /// ```
    /// use fips_core::OsRelease;
    /// let lines: Vec<_> = OsRelease::lines("ID=rhel\n# c\nNAME=\"Red \\\"Hat\\\"\"\nnot one\n").collect();
    /// assert_eq!(lines[0], Ok(("ID", "rhel".into())));
    /// assert_eq!(lines[1], Ok(("NAME", "Red \"Hat\"".into())));
    /// assert_eq!(lines[2], Err(4));
    /// ```
    pub fn lines(text: &str) -> impl Iterator<Item = Result<(&str, Cow<'_, str>), usize>> {
        text.lines().enumerate().filter_map(|(index, raw)| {
            let line = raw.trim();
            if line.is_empty() || line.starts_with('#') {
                return None;
            }
            Some(parse_assignment(line).ok_or(index + 1))
        })
    }

    /// The value of `key`, without os-release(5)'s defaults.
    pub fn get(&self, key: &str) -> Option<&str> {
        self.fields.get(key).map(String::as_str)
    }

    /// Every key and value, as parsed.
    pub fn fields(&self) -> &BTreeMap<String, String> {
        &self.fields
    }

    /// 1-based numbers of the lines that were neither assignments, comments nor blank.
    pub fn ignored_lines(&self) -> &[usize] {
        &self.ignored_lines
    }

    /// `ID`, or `linux` as os-release(5) says when it is missing.
    pub fn id(&self) -> &str {
        self.get("ID").unwrap_or("linux")
    }

    /// `NAME`, or `Linux` as os-release(5) says when it is missing.
    pub fn name(&self) -> &str {
        self.get("NAME").unwrap_or("Linux")
    }

    /// `PRETTY_NAME`, or `Linux` as os-release(5) says when it is missing.
    pub fn pretty_name(&self) -> &str {
        self.get("PRETTY_NAME").unwrap_or("Linux")
    }
}

/// The JSON shape in every language: `{"fields": {KEY: value}, "ignored_lines": [n], "id"}`
/// (`fields` as written, `id` with os-release(5)'s default `linux`).
impl Serialize for OsRelease {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        use serde::ser::SerializeStruct;
        let mut out = s.serialize_struct("OsRelease", 3)?;
        out.serialize_field("fields", &self.fields)?;
        out.serialize_field("ignored_lines", &self.ignored_lines)?;
        out.serialize_field("id", self.id())?;
        out.end()
    }
}

/// `KEY=value` with `KEY` in `[A-Za-z0-9_]+`; `None` when the line is not one.
fn parse_assignment(line: &str) -> Option<(&str, Cow<'_, str>)> {
    let (key, raw) = line.split_once('=')?;
    if key.is_empty() || !key.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'_') {
        return None;
    }
    let value = if let Some(inner) = quoted(raw, '\'') {
        // Single quotes: literal, as in the shell.
        Cow::Borrowed(inner)
    } else if let Some(inner) = quoted(raw, '"') {
        unescape(inner)?
    } else {
        if raw.contains(|c: char| c.is_whitespace() || c == '"' || c == '\'') {
            // Unquoted values with spaces or stray quotes are not shell-compatible.
            return None;
        }
        unescape(raw)?
    };
    Some((key, value))
}

fn quoted(raw: &str, quote: char) -> Option<&str> {
    raw.strip_prefix(quote)?.strip_suffix(quote)
}

/// Resolves `\\`, `\$`, `\"`, `\'`, `` \` ``; any other backslash is kept as written.
/// `None` for an unescaped `"` inside double quotes or a trailing lone backslash.
fn unescape(text: &str) -> Option<Cow<'_, str>> {
    if !text.bytes().any(|b| b == b'\\' || b == b'"') {
        // Most values: nothing to resolve, nothing to copy.
        return Some(Cow::Borrowed(text));
    }
    let mut out = String::with_capacity(text.len());
    let mut chars = text.chars();
    while let Some(c) = chars.next() {
        match c {
            '\\' => match chars.next() {
                Some(e @ ('\\' | '$' | '"' | '\'' | '`')) => out.push(e),
                Some(other) => {
                    out.push('\\');
                    out.push(other);
                }
                None => return None,
            },
            '"' => return None,
            c => out.push(c),
        }
    }
    Some(Cow::Owned(out))
}

/// The operating system a root holds, as `fipsctl host --json` prints it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct HostOs {
    /// os-release `ID`.
    pub id: String,
    /// os-release `NAME`.
    pub name: String,
    /// os-release `VERSION_ID` as written.
    pub version_id: Option<String>,
    /// The full `major.minor` where one is known (CentOS 7: `7.9` from `etc/centos-release`).
    pub version: Option<String>,
    /// os-release `PRETTY_NAME`.
    pub pretty_name: String,
}

/// Reads `etc/os-release`, falling back to `usr/lib/os-release`, inside `root`.
pub(crate) fn read_os_release(root: &Root) -> Result<Option<OsRelease>, RootError> {
    for path in ["etc/os-release", "usr/lib/os-release"] {
        if let Some(text) = root.read_text(path, MAX_RELEASE_BYTES)? {
            return Ok(Some(OsRelease::parse(&text)));
        }
    }
    Ok(None)
}

/// Identifies the OS of a root, completing a `VERSION_ID` without minor from the release
/// files that carry it (`etc/centos-release`, `etc/redhat-release`).
pub(crate) fn identify(root: &Root) -> Result<Option<HostOs>, RootError> {
    let Some(release) = read_os_release(root)? else {
        return Ok(None);
    };
    let version_id = release.get("VERSION_ID").map(str::to_owned);
    let mut version = version_id.as_deref().map(major_minor);
    if version_id.as_deref().is_some_and(|v| !v.contains('.')) {
        for path in ["etc/centos-release", "etc/redhat-release"] {
            if let Some(text) = root.read_text(path, MAX_RELEASE_BYTES)? {
                if let Some(full) = release_file_version(&text) {
                    version = Some(full);
                    break;
                }
            }
        }
    }
    Ok(Some(HostOs {
        id: release.id().to_owned(),
        name: release.name().to_owned(),
        version_id,
        version,
        pretty_name: release.pretty_name().to_owned(),
    }))
}

/// `7.9.2009` -> `7.9`; `8.4` -> `8.4`; `7` -> `7`.
fn major_minor(version: &str) -> String {
    let mut parts = version.splitn(3, '.');
    match (parts.next(), parts.next()) {
        (Some(major), Some(minor)) => format!("{major}.{minor}"),
        _ => version.to_owned(),
    }
}

/// `CentOS Linux release 7.9.2009 (Core)` -> `7.9`: the word after `release`, when it has a minor.
fn release_file_version(text: &str) -> Option<String> {
    let mut words = text.split_whitespace();
    words.find(|w| *w == "release")?;
    let version = words.next()?;
    let mut parts = version.split('.');
    let (major, minor) = (parts.next()?, parts.next()?);
    let numeric = |s: &str| !s.is_empty() && s.bytes().all(|b| b.is_ascii_digit());
    (numeric(major) && numeric(minor)).then(|| format!("{major}.{minor}"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn quoting_and_escapes() {
        let os = OsRelease::parse(concat!(
            "A=\"a \\\"quoted\\\" \\$word\"\n",
            "B='single \\n kept'\n",
            "C=plain\\$\n",
            "D=\"unterminated\n",
            "E = spaced\n",
            "A=last\n",
            "   # indented comment\n",
            "F=\"\"\n",
        ));
        assert_eq!(os.get("A"), Some("last"));
        assert_eq!(os.get("B"), Some("single \\n kept"));
        assert_eq!(os.get("C"), Some("plain$"));
        assert_eq!(os.get("D"), None);
        assert_eq!(os.get("F"), Some(""));
        assert_eq!(os.ignored_lines(), [4, 5]);
    }

    #[test]
    fn release_file_versions() {
        assert_eq!(
            release_file_version("CentOS Linux release 7.9.2009 (Core)\n").as_deref(),
            Some("7.9")
        );
        assert_eq!(release_file_version("CentOS Stream release 8\n"), None);
        assert_eq!(major_minor("7.9.2009"), "7.9");
    }
}
