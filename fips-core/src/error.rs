//! Errors, one enum per failure domain, and [`Error`] that any verdict may return.
//!
//! An error means "no verdict": bad input, an unreadable root, or a failed self-test.
//! A negative verdict is not an error; it is a report with findings.

use std::path::PathBuf;

/// A version string that is not what Kubernetes' `ParseSemantic` accepts.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum VersionError {
    /// Nothing but whitespace was given.
    #[error("invalid version {input:?}: empty; expected MAJOR.MINOR.PATCH such as 1.22.8+fips.0")]
    Empty {
        /// The text as given.
        input: String,
    },
    /// The text is not strict semver 2.0 after the optional `v`.
    #[error("invalid version {input:?}: {reason}; expected MAJOR.MINOR.PATCH[-PRE][+BUILD] such as 1.22.8+fips.0")]
    Syntax {
        /// The text as given.
        input: String,
        /// What is wrong with it.
        reason: String,
    },
}

/// An image tag that cannot be turned into a tag or back into a version.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum TagError {
    /// The component name is not one that has a tag rule.
    #[error("unknown component {input:?}: expected \"kubernetes\" or \"etcd\"")]
    UnknownComponent {
        /// The text as given.
        input: String,
    },
    /// The text is not a valid image tag (`[A-Za-z0-9_][A-Za-z0-9_.-]{0,127}`).
    #[error("invalid tag {tag:?}: {reason}")]
    InvalidTag {
        /// The tag as given.
        tag: String,
        /// What is wrong with it.
        reason: String,
    },
    /// The conversion would lose or invent information, so none is given.
    #[error("tag {tag:?} cannot be converted without guessing: {reason}")]
    Lossy {
        /// The tag as given.
        tag: String,
        /// Which information cannot be recovered.
        reason: String,
    },
    /// The tag, turned back, is not a version.
    #[error("tag {tag:?} does not hold a version: {source}")]
    NotAVersion {
        /// The tag as given.
        tag: String,
        /// Why the recovered text is not a version.
        #[source]
        source: VersionError,
    },
}

/// A container image reference that the distribution/reference grammar rejects.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[error("invalid image reference {input:?}: {reason}")]
pub struct ImageError {
    /// The reference as given.
    pub input: String,
    /// What is wrong with it.
    pub reason: String,
}

/// A policy that cannot be loaded.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum PolicyError {
    /// The file could not be read.
    #[error("cannot read policy file {}: {source}", path.display())]
    Io {
        /// The file.
        path: PathBuf,
        /// Why.
        #[source]
        source: std::io::Error,
    },
    /// The TOML is malformed or holds unknown fields; the message has line and column.
    #[error("invalid policy{}: {message}", origin.as_deref().map(|o| format!(" {o}")).unwrap_or_default())]
    Toml {
        /// The file it came from, if any.
        origin: Option<String>,
        /// The parser's message, with line and column.
        message: String,
    },
    /// The TOML is well formed but a value is wrong.
    #[error("invalid policy: {field}: {reason}")]
    Invalid {
        /// The field, e.g. `builds[0].kubernetes.version`.
        field: String,
        /// What is wrong and how to fix it.
        reason: String,
    },
}

/// A cluster request that cannot be understood.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum RequestError {
    /// The JSON is malformed or has unknown fields.
    #[error("invalid request JSON: {message}")]
    Json {
        /// The parser's message, with line and column.
        message: String,
    },
    /// A flag that needs a value came last or had `=` with nothing after it.
    #[error("flag {flag} needs a value, e.g. {flag}=<value>")]
    MissingValue {
        /// The flag.
        flag: String,
    },
    /// A flag that matters to FIPS was given twice with different values.
    #[error("flag {flag} given twice ({first:?} and {second:?}); give it once")]
    DuplicateFlag {
        /// The flag.
        flag: String,
        /// The first value.
        first: String,
        /// The second value.
        second: String,
    },
    /// A value that matters to FIPS is malformed.
    #[error("invalid value for {field}: {reason}")]
    InvalidValue {
        /// The flag or JSON field.
        field: String,
        /// What is wrong, naming the value.
        reason: String,
    },
}

/// A file under a probed root that cannot be read safely.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum RootError {
    /// The root itself is missing or not a directory.
    #[error("root {}: {reason}", root.display())]
    BadRoot {
        /// The root.
        root: PathBuf,
        /// What is wrong.
        reason: String,
    },
    /// Reading a path inside the root failed.
    #[error("{}: {source}", path.display())]
    Io {
        /// The path, as seen inside the root.
        path: PathBuf,
        /// Why.
        #[source]
        source: std::io::Error,
    },
    /// Symlinks under the root form a loop or a chain too long to follow.
    #[error("{}: too many levels of symbolic links (a loop?)", path.display())]
    SymlinkLoop {
        /// The path, as seen inside the root.
        path: PathBuf,
    },
    /// A path that should be a regular file is something else (a fifo, socket, device, directory).
    #[error("{}: expected a regular file, found {kind}", path.display())]
    NotAFile {
        /// The path, as seen inside the root.
        path: PathBuf,
        /// What was found.
        kind: String,
    },
    /// A component that must be a directory is not one (a file, or a directory swapped for
    /// a symlink while the path was walked).
    #[error("{}: a component of the path is not a directory", path.display())]
    NotADirectory {
        /// The path, as seen inside the root.
        path: PathBuf,
    },
    /// The file is larger than any real one of its kind; only the bound was read.
    #[error("{}: larger than {limit} bytes, which no real file of this kind is", path.display())]
    TooLarge {
        /// The path, as seen inside the root.
        path: PathBuf,
        /// The bound in bytes.
        limit: u64,
    },
    /// The file is not UTF-8 text.
    #[error("{}: not UTF-8 text (line {line})", path.display())]
    NotUtf8 {
        /// The path, as seen inside the root.
        path: PathBuf,
        /// The first line that is not UTF-8.
        line: usize,
    },
}

/// The crypto self-test failed: the library gives no verdict from now on.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[error("crypto self-test failed: KAT {kat}: {reason}; no verdict is given (fail closed)")]
pub struct SelfTestError {
    /// The name of the first Known-Answer Test that failed.
    pub kat: String,
    /// What went wrong.
    pub reason: String,
}

/// An artifact that cannot be scanned.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum ScanError {
    /// The path could not be read.
    #[error("{}: {source}", path.display())]
    Io {
        /// The path.
        path: PathBuf,
        /// Why.
        #[source]
        source: std::io::Error,
    },
    /// The archive or image layout is malformed or hostile.
    #[error("{}: {reason}", path.display())]
    Malformed {
        /// The path.
        path: PathBuf,
        /// What is wrong.
        reason: String,
    },
}

/// A manifest (YAML or JSON Kubernetes objects) that cannot be read.
///
/// Documents are counted from 1 in the order of the stream; `item` is the index of an
/// object inside a `List` document.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum ManifestError {
    /// The text is larger than any real manifest set.
    #[error("manifest of {bytes} bytes, more than the {limit} an audit reads")]
    TooLarge {
        /// The size given.
        bytes: usize,
        /// The bound.
        limit: usize,
    },
    /// More documents or objects than an audit reads.
    #[error("more than {limit} objects in one manifest stream")]
    TooManyObjects {
        /// The bound.
        limit: usize,
    },
    /// A document is not well-formed YAML or JSON.
    #[error("document {document}: {message}")]
    Syntax {
        /// The document, from 1.
        document: usize,
        /// The parser's message.
        message: String,
    },
    /// A document (or list item) is not an object with `apiVersion` and `kind`.
    #[error("document {document}{}: {reason}", item.map(|i| format!(", item {i}")).unwrap_or_default())]
    NotAnObject {
        /// The document, from 1.
        document: usize,
        /// The item inside a `List`, from 0.
        item: Option<usize>,
        /// What is missing or wrong.
        reason: String,
    },
    /// A manifest source (a file, or `-` for standard input) that cannot be read.
    #[error("{source_name}: {reason}")]
    Unreadable {
        /// The file as given.
        source_name: String,
        /// Why it cannot be read.
        reason: String,
    },
    /// An error in a named source: the file, then what is wrong in it.
    #[error("{source_name}: {error}")]
    In {
        /// The file as given.
        source_name: String,
        /// What is wrong in it.
        error: Box<ManifestError>,
    },
    /// An object of a kind the audit reads has a field it cannot read.
    #[error("document {document}{}: {kind} {name:?}: field {field}: {reason}", item.map(|i| format!(", item {i}")).unwrap_or_default())]
    Field {
        /// The document, from 1.
        document: usize,
        /// The item inside a `List`, from 0.
        item: Option<usize>,
        /// The object's kind.
        kind: String,
        /// The object's name (empty when it has none).
        name: String,
        /// The field, as a JSONPath of the object.
        field: String,
        /// What is wrong with it.
        reason: String,
    },
}

/// Any error a `fips-core` call can return.
///
/// ```
/// use fips_core::{Error, FipsVersion};
/// let err: Error = FipsVersion::parse("1.22").unwrap_err().into();
/// assert_eq!(err.kind(), "version");
/// ```
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum Error {
    /// See [`VersionError`].
    #[error(transparent)]
    Version(#[from] VersionError),
    /// See [`TagError`].
    #[error(transparent)]
    Tag(#[from] TagError),
    /// See [`ImageError`].
    #[error(transparent)]
    Image(#[from] ImageError),
    /// See [`PolicyError`].
    #[error(transparent)]
    Policy(#[from] PolicyError),
    /// See [`RequestError`].
    #[error(transparent)]
    Request(#[from] RequestError),
    /// See [`RootError`].
    #[error(transparent)]
    Root(#[from] RootError),
    /// See [`SelfTestError`].
    #[error(transparent)]
    SelfTest(#[from] SelfTestError),
    /// See [`ScanError`].
    #[error(transparent)]
    Scan(#[from] ScanError),
    /// See [`ManifestError`].
    #[error(transparent)]
    Manifest(#[from] ManifestError),
}

impl Error {
    /// A short, stable name of the failure domain, used as `error.kind` in JSON output:
    /// `version`, `tag`, `image`, `policy`, `request`, `root`, `selftest`, `scan` or `manifest`.
    pub fn kind(&self) -> &'static str {
        match self {
            Error::Version(_) => "version",
            Error::Tag(_) => "tag",
            Error::Image(_) => "image",
            Error::Policy(_) => "policy",
            Error::Request(_) => "request",
            Error::Root(_) => "root",
            Error::SelfTest(_) => "selftest",
            Error::Scan(_) => "scan",
            Error::Manifest(_) => "manifest",
        }
    }
}
