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
    /// The build metadata names FIPS but is not exactly `+fips.N` (see
    /// [`FipsVersion::noncanonical_fips`](crate::FipsVersion::noncanonical_fips)): whether the
    /// build is a FIPS build cannot be told, so no verdict on a FIPS status is given.
    #[error(
        "{field}: {version} names FIPS in its build metadata but is not a FIPS build id \
         ({reason}); write it exactly as +fips.N, N a decimal without leading zeros up to \
         18446744073709551615, e.g. 1.22.8+fips.0"
    )]
    NotCanonicalFips {
        /// Which version: `current`, `desired`, or a flag.
        field: String,
        /// The version, as displayed.
        version: String,
        /// What is not canonical.
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
    /// The policy file named cannot be opened or is not a text file (error kind `file`).
    #[error(transparent)]
    File(FileError),
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
    /// A word pflag refuses as a flag (`---x`, `--=x`).
    #[error("bad flag syntax: {word} (pflag refuses it)")]
    BadFlagSyntax {
        /// The word as given.
        word: String,
    },
    /// A flag whose type fipsctl does not know decides how the next word is read, and the
    /// two readings ask for different things.
    #[error(
        "ambiguous command line: fipsctl does not know whether {flag} takes a value; if it \
         does, pflag gives it {next:?} as its value, if not, {next:?} is read on its own, and \
         the two readings differ; write {flag}=<value>, or put {flag} after the flags fipsctl \
         judges"
    )]
    Ambiguous {
        /// The flag of unknown type.
        flag: String,
        /// The word after it.
        next: String,
    },
}

/// A file under a probed root that cannot be read safely.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum RootError {
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
    /// No path was given: scanning nothing would be an empty, vacuously compliant report.
    #[error(
        "no path to scan: name at least one file, directory, OCI image layout or image archive"
    )]
    NoPaths,
}

/// A path the user named (a policy, a request, an os-release file, a probed root, a path to
/// scan) that cannot be opened, or is not the kind of file or directory expected: error kind
/// `file` whichever call named it, with a variant derived once from the cause
/// ([`Error::variant`]). What is wrong *inside* the file or tree keeps its own domain.
///
/// ```
/// use fips_core::{read_text_file, Error, FileError};
/// let path = std::path::PathBuf::from("/nonexistent/request.json");
/// let source = read_text_file(&path, 1 << 20).unwrap_err();
/// let err = Error::from(FileError { path, source });
/// assert_eq!((err.kind(), err.variant()), ("file", "not-found"));
/// ```
#[derive(Debug, thiserror::Error)]
#[error("cannot read {}: {source}", path.display())]
pub struct FileError {
    /// The file as named.
    pub path: PathBuf,
    /// Why, as [`crate::read_text_file`] says.
    #[source]
    pub source: std::io::Error,
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

/// Why a named file was opened but is not a text file of its kind; carried inside the
/// `std::io::Error` that [`crate::read_text_file`] returns, so that `file_variant` names
/// the cause from data, never from message text.
#[derive(Debug, thiserror::Error)]
pub(crate) enum NotText {
    /// A fifo, socket, device or directory: what was found.
    #[error("expected a regular file, found {0}")]
    NotAFile(&'static str),
    /// Where a regular file or a directory would do (a path to scan): what was found.
    #[error("expected a regular file, a directory or an image archive, found {0}")]
    NotAFileOrDirectory(&'static str),
    /// More bytes than the bound.
    #[error("larger than {0} bytes, which no real file of this kind is")]
    TooLarge(u64),
    /// The first line that is not UTF-8.
    #[error("not UTF-8 text (line {0})")]
    NotUtf8(usize),
}

/// The variant of a [`FileError`]: the one place a cause becomes a name.
fn file_variant(source: &std::io::Error) -> &'static str {
    use std::io::ErrorKind;
    if let Some(not_text) = source.get_ref().and_then(|e| e.downcast_ref::<NotText>()) {
        return match not_text {
            NotText::NotAFile(_) | NotText::NotAFileOrDirectory(_) => "not-a-file",
            NotText::TooLarge(_) => "too-large",
            NotText::NotUtf8(_) => "not-utf8",
        };
    }
    match source.kind() {
        ErrorKind::NotFound => "not-found",
        ErrorKind::PermissionDenied => "permission-denied",
        ErrorKind::NotADirectory => "not-a-directory",
        ErrorKind::IsADirectory => "not-a-file",
        _ => "io",
    }
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
    /// See [`PolicyError`]; a policy file that cannot be opened converts to [`Error::File`].
    #[error(transparent)]
    Policy(PolicyError),
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
    /// See [`FileError`].
    #[error(transparent)]
    File(#[from] FileError),
    /// See [`ManifestError`].
    #[error(transparent)]
    Manifest(#[from] ManifestError),
}

impl From<PolicyError> for Error {
    /// A named file that cannot be opened is kind `file`, whichever reader named it.
    fn from(e: PolicyError) -> Self {
        match e {
            PolicyError::File(file) => Error::File(file),
            other => Error::Policy(other),
        }
    }
}

impl Error {
    /// The named path that cannot be opened, when that is the error (kind `file`), wherever
    /// it is carried.
    ///
    /// ```
    /// use fips_core::{Error, Policy};
    /// let err = Error::from(Policy::from_file("/nonexistent/policy.toml").unwrap_err());
    /// let file = err.named_file().expect("a missing file is kind file");
    /// assert_eq!(file.source.kind(), std::io::ErrorKind::NotFound);
    /// ```
    pub fn named_file(&self) -> Option<&FileError> {
        match self {
            Error::File(file) | Error::Policy(PolicyError::File(file)) => Some(file),
            _ => None,
        }
    }

    /// A short, stable name of the failure domain, used as `error.kind` in JSON output:
    /// `version`, `tag`, `image`, `policy`, `request`, `root`, `selftest`, `scan`, `file` or
    /// `manifest`.
    pub fn kind(&self) -> &'static str {
        match self {
            Error::File(_) | Error::Policy(PolicyError::File(_)) => "file",
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

    /// A short, stable name of the error within its domain ([`Error::kind`]), in kebab-case,
    /// used as `error.variant` in JSON output and by every binding, so that callers match on
    /// data, never on message text. A name never changes meaning and a retired one is never
    /// reused (retired: `policy/io`, `root/bad-root`, `file/unreadable`, now kind `file`);
    /// the same name may appear in two domains (`io`), so match on both.
    ///
    /// | kind       | variants |
    /// |------------|----------|
    /// | `version`  | `empty`, `syntax`, `not-canonical-fips` |
    /// | `tag`      | `unknown-component`, `invalid-tag`, `lossy`, `not-a-version` |
    /// | `image`    | `invalid-image` |
    /// | `policy`   | `toml`, `invalid` |
    /// | `request`  | `json`, `missing-value`, `duplicate-flag`, `invalid-value`, `bad-flag-syntax`, `ambiguous` |
    /// | `root`     | `io`, `symlink-loop`, `not-a-file`, `not-a-directory`, `too-large`, `not-utf8` |
    /// | `selftest` | `kat-failed` |
    /// | `scan`     | `io`, `malformed`, `no-paths` |
    /// | `file`     | `not-found`, `permission-denied`, `not-a-file`, `not-a-directory`, `too-large`, `not-utf8`, `io` |
    /// | `manifest` | `too-large`, `too-many-objects`, `syntax`, `not-an-object`, `unreadable`, `field` |
    ///
    /// Kind `file` is a path the user named (a policy, a request, an os-release file, a host
    /// root, a path to scan) that cannot be opened or is not the kind of file or directory
    /// expected, the same for every call ([`FileError`]).
    ///
    /// ```
    /// use fips_core::{scan_paths, Error, FipsVersion, Policy};
    /// let err: Error = FipsVersion::from_tag("v1_2_3").unwrap_err().into();
    /// assert_eq!((err.kind(), err.variant()), ("tag", "lossy"));
    /// let none: [&str; 0] = [];
    /// let err = scan_paths(&none, Policy::embedded()).unwrap_err();
    /// assert_eq!((err.kind(), err.variant()), ("scan", "no-paths"));
    /// ```
    pub fn variant(&self) -> &'static str {
        match self {
            Error::Version(e) => match e {
                VersionError::Empty { .. } => "empty",
                VersionError::Syntax { .. } => "syntax",
                VersionError::NotCanonicalFips { .. } => "not-canonical-fips",
            },
            Error::Tag(e) => match e {
                TagError::UnknownComponent { .. } => "unknown-component",
                TagError::InvalidTag { .. } => "invalid-tag",
                TagError::Lossy { .. } => "lossy",
                TagError::NotAVersion { .. } => "not-a-version",
            },
            Error::Image(ImageError { .. }) => "invalid-image",
            Error::Policy(e) => match e {
                PolicyError::File(file) => file_variant(&file.source),
                PolicyError::Toml { .. } => "toml",
                PolicyError::Invalid { .. } => "invalid",
            },
            Error::Request(e) => match e {
                RequestError::Json { .. } => "json",
                RequestError::MissingValue { .. } => "missing-value",
                RequestError::DuplicateFlag { .. } => "duplicate-flag",
                RequestError::InvalidValue { .. } => "invalid-value",
                RequestError::BadFlagSyntax { .. } => "bad-flag-syntax",
                RequestError::Ambiguous { .. } => "ambiguous",
            },
            Error::Root(e) => match e {
                RootError::Io { .. } => "io",
                RootError::SymlinkLoop { .. } => "symlink-loop",
                RootError::NotAFile { .. } => "not-a-file",
                RootError::NotADirectory { .. } => "not-a-directory",
                RootError::TooLarge { .. } => "too-large",
                RootError::NotUtf8 { .. } => "not-utf8",
            },
            Error::SelfTest(SelfTestError { .. }) => "kat-failed",
            Error::Scan(e) => match e {
                ScanError::Io { .. } => "io",
                ScanError::Malformed { .. } => "malformed",
                ScanError::NoPaths => "no-paths",
            },
            Error::File(file) => file_variant(&file.source),
            Error::Manifest(e) => manifest_variant(e),
        }
    }
}

/// The variant of a manifest error; an error in a named source is named by what is wrong in it.
fn manifest_variant(e: &ManifestError) -> &'static str {
    match e {
        ManifestError::TooLarge { .. } => "too-large",
        ManifestError::TooManyObjects { .. } => "too-many-objects",
        ManifestError::Syntax { .. } => "syntax",
        ManifestError::NotAnObject { .. } => "not-an-object",
        ManifestError::Unreadable { .. } => "unreadable",
        ManifestError::In { error, .. } => manifest_variant(error),
        ManifestError::Field { .. } => "field",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn io() -> std::io::Error {
        std::io::Error::from(std::io::ErrorKind::NotFound)
    }

    /// One error of every variant: `variant()` matches exhaustively, so a new variant does
    /// not compile until it is named there; add it here and to the frozen list too.
    fn one_of_each() -> Vec<Error> {
        use std::io::{Error as IoError, ErrorKind};
        let (s, p) = (String::new, PathBuf::new);
        let file = |source: IoError| -> Error { FileError { path: p(), source }.into() };
        vec![
            VersionError::Empty { input: s() }.into(),
            VersionError::Syntax {
                input: s(),
                reason: s(),
            }
            .into(),
            VersionError::NotCanonicalFips {
                field: s(),
                version: s(),
                reason: s(),
            }
            .into(),
            TagError::UnknownComponent { input: s() }.into(),
            TagError::InvalidTag {
                tag: s(),
                reason: s(),
            }
            .into(),
            TagError::Lossy {
                tag: s(),
                reason: s(),
            }
            .into(),
            TagError::NotAVersion {
                tag: s(),
                source: VersionError::Empty { input: s() },
            }
            .into(),
            ImageError {
                input: s(),
                reason: s(),
            }
            .into(),
            PolicyError::Toml {
                origin: None,
                message: s(),
            }
            .into(),
            PolicyError::Invalid {
                field: s(),
                reason: s(),
            }
            .into(),
            RequestError::Json { message: s() }.into(),
            RequestError::MissingValue { flag: s() }.into(),
            RequestError::DuplicateFlag {
                flag: s(),
                first: s(),
                second: s(),
            }
            .into(),
            RequestError::InvalidValue {
                field: s(),
                reason: s(),
            }
            .into(),
            RequestError::BadFlagSyntax { word: s() }.into(),
            RequestError::Ambiguous {
                flag: s(),
                next: s(),
            }
            .into(),
            RootError::Io {
                path: p(),
                source: io(),
            }
            .into(),
            RootError::SymlinkLoop { path: p() }.into(),
            RootError::NotAFile {
                path: p(),
                kind: s(),
            }
            .into(),
            RootError::NotADirectory { path: p() }.into(),
            RootError::TooLarge {
                path: p(),
                limit: 0,
            }
            .into(),
            RootError::NotUtf8 { path: p(), line: 0 }.into(),
            SelfTestError {
                kat: s(),
                reason: s(),
            }
            .into(),
            ScanError::Io {
                path: p(),
                source: io(),
            }
            .into(),
            ScanError::Malformed {
                path: p(),
                reason: s(),
            }
            .into(),
            ScanError::NoPaths.into(),
            file(io()),
            file(IoError::from(ErrorKind::PermissionDenied)),
            file(IoError::new(
                ErrorKind::InvalidInput,
                NotText::NotAFile("a fifo"),
            )),
            file(IoError::from(ErrorKind::NotADirectory)),
            file(IoError::new(ErrorKind::InvalidData, NotText::TooLarge(0))),
            file(IoError::new(ErrorKind::InvalidData, NotText::NotUtf8(1))),
            file(IoError::other("EIO")),
            PolicyError::File(FileError {
                path: p(),
                source: io(),
            })
            .into(),
            ManifestError::TooLarge { bytes: 0, limit: 0 }.into(),
            ManifestError::TooManyObjects { limit: 0 }.into(),
            ManifestError::Syntax {
                document: 0,
                message: s(),
            }
            .into(),
            ManifestError::NotAnObject {
                document: 0,
                item: None,
                reason: s(),
            }
            .into(),
            ManifestError::Unreadable {
                source_name: s(),
                reason: s(),
            }
            .into(),
            ManifestError::Field {
                document: 0,
                item: None,
                kind: s(),
                name: s(),
                field: s(),
                reason: s(),
            }
            .into(),
        ]
    }

    /// Freezes the identifiers: they are part of every binding's API (Python's
    /// `FipsError.variant`, C's `fips_last_error_variant()`, Go's `Error.Variant()`, the
    /// CLI's `error.variant`), as finding codes are.
    #[test]
    fn identifiers_are_frozen() {
        let names: Vec<String> = one_of_each()
            .iter()
            .map(|e| format!("{}/{}", e.kind(), e.variant()))
            .collect();
        assert_eq!(
            names,
            [
                "version/empty",
                "version/syntax",
                "version/not-canonical-fips",
                "tag/unknown-component",
                "tag/invalid-tag",
                "tag/lossy",
                "tag/not-a-version",
                "image/invalid-image",
                "policy/toml",
                "policy/invalid",
                "request/json",
                "request/missing-value",
                "request/duplicate-flag",
                "request/invalid-value",
                "request/bad-flag-syntax",
                "request/ambiguous",
                "root/io",
                "root/symlink-loop",
                "root/not-a-file",
                "root/not-a-directory",
                "root/too-large",
                "root/not-utf8",
                "selftest/kat-failed",
                "scan/io",
                "scan/malformed",
                "scan/no-paths",
                "file/not-found",
                "file/permission-denied",
                "file/not-a-file",
                "file/not-a-directory",
                "file/too-large",
                "file/not-utf8",
                "file/io",
                "file/not-found",
                "manifest/too-large",
                "manifest/too-many-objects",
                "manifest/syntax",
                "manifest/not-an-object",
                "manifest/unreadable",
                "manifest/field",
            ]
        );
    }

    #[test]
    fn identifiers_are_kebab_case() {
        for e in one_of_each() {
            for name in [e.kind(), e.variant()] {
                assert!(
                    !name.is_empty()
                        && name.split('-').all(|w| !w.is_empty()
                            && w.bytes()
                                .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit())),
                    "{name:?}"
                );
            }
        }
    }

    #[test]
    fn no_paths_says_what_to_name() {
        assert_eq!(
            Error::from(ScanError::NoPaths).to_string(),
            "no path to scan: name at least one file, directory, OCI image layout or image archive"
        );
    }
}
