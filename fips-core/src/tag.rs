//! An image tag held inline when it is short, so that making one allocates nothing
//! (issue 18).
//!
//! The distribution/reference grammar caps a tag at 128 characters (`[\w][\w.-]{0,127}`).
//! Every tag a Kubernetes or etcd release has is far shorter (`v1.22.8_fips.0` is 14), so a
//! [`Tag`] keeps up to [`INLINE_TAG_LEN`] bytes in itself and a longer one on the heap: a
//! tag is 48 bytes to move, not 136. [`FipsVersion::to_tag`](crate::FipsVersion::to_tag)
//! returns a [`Tag`]; callers that keep it convert it with `String::from`.

use std::{fmt, hash, ops::Deref};

use serde::{Serialize, Serializer};

/// The longest image tag the distribution grammar allows.
pub(crate) const MAX_TAG_LEN: usize = 128;

/// The longest tag a [`Tag`] holds without an allocation: the most that fits beside a
/// length and the variant's tag byte in 48 bytes.
pub(crate) const INLINE_TAG_LEN: usize = 46;

/// An image tag of at most 128 characters: it derefs to `str`.
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
#[derive(Clone)]
pub struct Tag(Repr);

#[derive(Clone)]
enum Repr {
    /// The tag's bytes in `bytes[..len]`. They are a concatenation of whole `&str`s (see
    /// [`TagBuilder::push_str`]), so they are always UTF-8.
    Inline {
        len: u8,
        bytes: [u8; INLINE_TAG_LEN],
    },
    /// A tag longer than [`INLINE_TAG_LEN`], and at most [`MAX_TAG_LEN`].
    Heap(Box<str>),
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
        match &self.0 {
            // Only whole `&str`s are ever copied in, so this never fails; without unsafe
            // code there is no unchecked conversion, and the check of a short ASCII tag is
            // cheap.
            Repr::Inline { len, bytes } => {
                std::str::from_utf8(&bytes[..usize::from(*len)]).unwrap_or_default()
            }
            Repr::Heap(text) => text,
        }
    }

    /// A tag of `text`, which the caller has checked against [`MAX_TAG_LEN`]; it is
    /// copied inline when it fits there.
    pub(crate) fn from_checked(text: &str) -> Tag {
        let mut short = TagBuilder::new();
        short.push_str(text);
        short
            .finish()
            .unwrap_or_else(|| Tag(Repr::Heap(text.into())))
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
        match tag.0 {
            Repr::Heap(text) => text.into(),
            Repr::Inline { .. } => tag.as_str().to_owned(),
        }
    }
}

impl Serialize for Tag {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(self.as_str())
    }
}

/// Builds a short [`Tag`] piece by piece; a tag longer than [`INLINE_TAG_LEN`] is noted,
/// not cut, and the caller makes it again on the heap (see
/// [`FipsVersion::to_tag`](crate::FipsVersion::to_tag)).
pub(crate) struct TagBuilder {
    bytes: [u8; INLINE_TAG_LEN],
    /// `OVERFLOWED` once a piece did not fit; every later piece fails too, since it would
    /// start past the buffer's end.
    len: usize,
}

const OVERFLOWED: usize = INLINE_TAG_LEN + 1;

impl TagBuilder {
    pub(crate) fn new() -> Self {
        TagBuilder {
            bytes: [0; INLINE_TAG_LEN],
            len: 0,
        }
    }

    /// Appends `text` whole, or, when it does not fit, notes that the tag is too long.
    #[inline]
    pub(crate) fn push_str(&mut self, text: &str) {
        let end = self.len + text.len();
        match self.bytes.get_mut(self.len..end) {
            Some(room) => {
                room.copy_from_slice(text.as_bytes());
                self.len = end;
            }
            None => self.len = OVERFLOWED,
        }
    }

    /// Appends one ASCII byte (a digit, `v`, `.`, `_`); anything else is a caller's bug
    /// and is refused as an overflow rather than stored.
    #[inline]
    pub(crate) fn push_ascii(&mut self, byte: u8) {
        match self.bytes.get_mut(self.len) {
            Some(slot) if byte.is_ascii() => {
                *slot = byte;
                self.len += 1;
            }
            _ => self.len = OVERFLOWED,
        }
    }

    /// The tag, or `None` when the pieces did not fit inline.
    #[inline]
    pub(crate) fn finish(self) -> Option<Tag> {
        let len = u8::try_from(self.len)
            .ok()
            .filter(|&len| usize::from(len) <= INLINE_TAG_LEN)?;
        Some(Tag(Repr::Inline {
            len,
            bytes: self.bytes,
        }))
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
        full.push_str(&"a".repeat(INLINE_TAG_LEN));
        assert_eq!(full.finish().unwrap().len(), INLINE_TAG_LEN);

        let mut over = TagBuilder::new();
        over.push_str(&"a".repeat(INLINE_TAG_LEN));
        over.push_ascii(b'b');
        assert!(over.finish().is_none());

        // A piece that does not fit is never partly copied, and nothing after it is kept.
        let mut split = TagBuilder::new();
        split.push_str(&"a".repeat(INLINE_TAG_LEN - 1));
        split.push_str("é");
        split.push_ascii(b'b');
        assert!(split.finish().is_none());

        let mut non_ascii = TagBuilder::new();
        non_ascii.push_ascii(0xC3);
        assert!(non_ascii.finish().is_none());
    }

    #[test]
    fn comparisons_and_conversions_see_only_the_text() {
        let tag = Tag::from_checked("v1.22.8_fips.0");
        assert_eq!(tag, *"v1.22.8_fips.0");
        assert_eq!(tag, String::from("v1.22.8_fips.0"));
        assert_eq!("v1.22.8_fips.0", tag);
        assert_eq!(String::from(tag.clone()), "v1.22.8_fips.0");
        assert_eq!(tag.to_string(), "v1.22.8_fips.0");
        assert_eq!(format!("{tag:?}"), "\"v1.22.8_fips.0\"");
        assert!(tag.starts_with('v'));

        // The same text inline and on the heap is the same tag.
        let long = "a".repeat(MAX_TAG_LEN);
        let heap = Tag::from_checked(&long);
        assert!(matches!(heap.0, Repr::Heap(_)));
        assert_eq!(heap, *long);
        let inline = Tag::from_checked(&long[..INLINE_TAG_LEN]);
        assert!(matches!(inline.0, Repr::Inline { .. }));
        assert_eq!(Tag(Repr::Heap(long[..INLINE_TAG_LEN].into())), inline);
    }

    #[test]
    fn a_tag_is_small_to_move() {
        assert_eq!(std::mem::size_of::<Tag>(), 48);
    }
}
