//! An image tag held inline, so that making one allocates nothing (issue 18).
//!
//! The distribution/reference grammar caps a tag at 128 characters (`[\w][\w.-]{0,127}`),
//! so every valid tag fits a `[u8; 128]`. [`FipsVersion::to_tag`](crate::FipsVersion::to_tag)
//! returns a [`Tag`]; callers that keep it convert it with `String::from`.

use std::{fmt, hash, ops::Deref};

use serde::{Serialize, Serializer};

/// The longest image tag the distribution grammar allows.
pub(crate) const MAX_TAG_LEN: usize = 128;

/// An image tag of at most 128 characters, stored inline: it derefs to `str`.
///
/// ```
/// use fips_core::{Component, FipsVersion, Tag};
/// let tag: Tag = FipsVersion::parse("1.22.8+fips.0")?.to_tag(Component::Kubernetes)?;
/// assert_eq!(tag, "v1.22.8_fips.0");
/// assert_eq!(tag.len(), 14);
/// assert_eq!(format!("{tag} {tag:?}"), r#"v1.22.8_fips.0 "v1.22.8_fips.0""#);
/// assert_eq!(serde_json::to_string(&tag).unwrap(), r#""v1.22.8_fips.0""#);
/// let owned: String = tag.into();
/// assert_eq!(owned, "v1.22.8_fips.0");
/// # Ok::<(), fips_core::Error>(())
/// ```
#[derive(Clone, Copy)]
pub struct Tag {
    /// The tag's bytes in `bytes[..len]`; the rest stays zero. The bytes are a concatenation
    /// of whole `&str`s (see [`TagBuilder::push_str`]), so they are always UTF-8.
    bytes: [u8; MAX_TAG_LEN],
    len: usize,
}

impl Tag {
    /// The tag as text.
    ///
    /// ```
    /// use fips_core::{Component, FipsVersion};
    /// let tag = FipsVersion::parse("3.4.13-0")?.to_tag(Component::Etcd)?;
    /// assert_eq!(tag.as_str(), "3.4.13-0");
    /// # Ok::<(), fips_core::Error>(())
    /// ```
    pub fn as_str(&self) -> &str {
        // Only whole `&str`s are ever copied in, so this never fails; without unsafe code
        // there is no unchecked conversion, and the check of a short ASCII tag is cheap.
        std::str::from_utf8(&self.bytes[..self.len]).unwrap_or_default()
    }
}

impl Deref for Tag {
    type Target = str;

    fn deref(&self) -> &str {
        self.as_str()
    }
}

impl AsRef<str> for Tag {
    fn as_ref(&self) -> &str {
        self.as_str()
    }
}

impl fmt::Display for Tag {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl fmt::Debug for Tag {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Debug::fmt(self.as_str(), f)
    }
}

impl PartialEq for Tag {
    fn eq(&self, other: &Tag) -> bool {
        self.as_str() == other.as_str()
    }
}

impl Eq for Tag {}

impl hash::Hash for Tag {
    fn hash<H: hash::Hasher>(&self, state: &mut H) {
        self.as_str().hash(state);
    }
}

impl PartialEq<str> for Tag {
    fn eq(&self, other: &str) -> bool {
        self.as_str() == other
    }
}

impl PartialEq<&str> for Tag {
    fn eq(&self, other: &&str) -> bool {
        self.as_str() == *other
    }
}

impl PartialEq<String> for Tag {
    fn eq(&self, other: &String) -> bool {
        self.as_str() == other
    }
}

impl PartialEq<Tag> for str {
    fn eq(&self, other: &Tag) -> bool {
        self == other.as_str()
    }
}

impl PartialEq<Tag> for &str {
    fn eq(&self, other: &Tag) -> bool {
        *self == other.as_str()
    }
}

impl PartialEq<Tag> for String {
    fn eq(&self, other: &Tag) -> bool {
        self == other.as_str()
    }
}

impl From<Tag> for String {
    fn from(tag: Tag) -> String {
        tag.as_str().to_owned()
    }
}

impl Serialize for Tag {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(self.as_str())
    }
}

/// Builds a [`Tag`] piece by piece; a tag longer than 128 bytes is noted, not cut.
pub(crate) struct TagBuilder {
    tag: Tag,
    overflowed: bool,
}

impl TagBuilder {
    pub(crate) fn new() -> Self {
        TagBuilder {
            tag: Tag {
                bytes: [0; MAX_TAG_LEN],
                len: 0,
            },
            overflowed: false,
        }
    }

    /// Appends `text` whole, or, when it does not fit, notes that the tag is too long.
    pub(crate) fn push_str(&mut self, text: &str) {
        let end = self.tag.len + text.len();
        match self.tag.bytes.get_mut(self.tag.len..end) {
            Some(room) if !self.overflowed => {
                room.copy_from_slice(text.as_bytes());
                self.tag.len = end;
            }
            _ => self.overflowed = true,
        }
    }

    /// Appends one ASCII byte (a digit, `v`, `.`, `_`); anything else is a caller's bug
    /// and is refused as an overflow rather than stored.
    pub(crate) fn push_ascii(&mut self, byte: u8) {
        match self.tag.bytes.get_mut(self.tag.len) {
            Some(slot) if byte.is_ascii() && !self.overflowed => {
                *slot = byte;
                self.tag.len += 1;
            }
            _ => self.overflowed = true,
        }
    }

    /// The tag, or `None` when the pieces did not fit in 128 bytes.
    pub(crate) fn finish(self) -> Option<Tag> {
        (!self.overflowed).then_some(self.tag)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn builder_keeps_whole_pieces_and_refuses_overflow() {
        let mut b = TagBuilder::new();
        b.push_ascii(b'v');
        b.push_str("é");
        b.push_ascii(b'1');
        assert_eq!(b.finish().unwrap(), "vé1");

        let mut full = TagBuilder::new();
        full.push_str(&"a".repeat(MAX_TAG_LEN));
        assert_eq!(full.finish().unwrap().len(), MAX_TAG_LEN);

        let mut over = TagBuilder::new();
        over.push_str(&"a".repeat(MAX_TAG_LEN));
        over.push_ascii(b'b');
        assert!(over.finish().is_none());

        // A piece that does not fit is never partly copied, and nothing after it is kept.
        let mut split = TagBuilder::new();
        split.push_str(&"a".repeat(MAX_TAG_LEN - 1));
        split.push_str("é");
        split.push_ascii(b'b');
        assert!(split.finish().is_none());

        let mut non_ascii = TagBuilder::new();
        non_ascii.push_ascii(0xC3);
        assert!(non_ascii.finish().is_none());
    }

    #[test]
    fn comparisons_and_conversions_see_only_the_text() {
        let mut b = TagBuilder::new();
        b.push_str("v1.22.8_fips.0");
        let tag = b.finish().unwrap();
        assert_eq!(tag, *"v1.22.8_fips.0");
        assert_eq!(tag, String::from("v1.22.8_fips.0"));
        assert_eq!("v1.22.8_fips.0", tag);
        assert_eq!(String::from(tag), "v1.22.8_fips.0");
        assert_eq!(tag.to_string(), "v1.22.8_fips.0");
        assert_eq!(format!("{tag:?}"), "\"v1.22.8_fips.0\"");
        assert!(tag.starts_with('v'));
    }
}
