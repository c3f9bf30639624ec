//! The one place where a `fips_core::Error` becomes a Python exception.
//!
//! The hierarchy is small and lives under `fips_policy.FipsError`:
//!
//! | Python                           | `fips_core::Error` variants          |
//! |----------------------------------|--------------------------------------|
//! | `ParseError(FipsError, ValueError)` | `Version`, `Tag`, `Image`, `Request` |
//! | `PolicyError(FipsError)`         | `Policy`                             |
//! | `RootError(FipsError, OSError)`  | `Root`                               |
//! | `ScanError(FipsError, OSError)`  | `Scan`                               |
//! | `FileError(FipsError, OSError)`  | `File` (kind `file`: a path the caller named cannot be opened) |
//! | `MissingFileError(FileError, FileNotFoundError)` | `File`, variant `not-found` |
//! | `SelfTestError(FipsError)`       | `SelfTest`                           |
//! | `FipsError`                      | anything else (future ones)          |
//!
//! The message is Rust's `Display` text. Every instance carries `kind` (`Error::kind()`:
//! `version`, `tag`, `image`, `request`, `policy`, `root`, `selftest`, `scan`, `file`) and
//! `variant` (`Error::variant()`: `lossy`, `invalid-tag`, `no-paths`, ...), both named once in
//! fips-core, so that callers match on data, never on message text. A `FileError` also has
//! `errno` (the OS error number, or `None` when the path opened but is not what was
//! expected), `strerror` and `filename`, as an `OSError` raised by `open()` has, so that
//! `except FileNotFoundError` and `except OSError` work whichever call named the path.
//!
//! `ParseError`, `RootError`, `ScanError` and `FileError` need two bases, which `create_exception!` cannot give, so
//! the classes are made once by calling `type(name, bases, namespace)`.

use fips_core::{PolicyError, RequestError, RootError, TagError, VersionError};
use pyo3::{
    exceptions::{PyException, PyFileNotFoundError, PyOSError, PyValueError},
    prelude::*,
    sync::PyOnceLock,
    types::{PyDict, PyTuple, PyType},
};

/// What a binding function fails with: an error of fips-core, or one Python raised.
#[derive(Debug)]
pub(crate) enum Error {
    /// A fips-core error: converted into a `FipsError` subclass.
    Core(fips_core::Error),
    /// An exception already raised by Python or pyo3 (a `TypeError`, say): passed through.
    Py(PyErr),
}

macro_rules! from_core {
    ($($t:ty),+) => {$(
        impl From<$t> for Error {
            fn from(e: $t) -> Self {
                Error::Core(e.into())
            }
        }
    )+};
}

from_core!(
    fips_core::Error,
    VersionError,
    TagError,
    fips_core::ImageError,
    PolicyError,
    RequestError,
    RootError,
    fips_core::SelfTestError
);

impl From<PyErr> for Error {
    fn from(e: PyErr) -> Self {
        Error::Py(e)
    }
}

impl From<Error> for PyErr {
    fn from(e: Error) -> PyErr {
        match e {
            Error::Py(e) => e,
            Error::Core(e) => Python::attach(|py| exception(py, &e)),
        }
    }
}

/// The exception classes, made once per process.
pub(crate) struct Exceptions {
    pub(crate) fips: Py<PyType>,
    pub(crate) parse: Py<PyType>,
    pub(crate) policy: Py<PyType>,
    pub(crate) root: Py<PyType>,
    pub(crate) scan: Py<PyType>,
    pub(crate) selftest: Py<PyType>,
    pub(crate) file: Py<PyType>,
    pub(crate) missing_file: Py<PyType>,
}

static EXCEPTIONS: PyOnceLock<Exceptions> = PyOnceLock::new();

/// The exception classes, created on first use.
pub(crate) fn exceptions(py: Python<'_>) -> PyResult<&Exceptions> {
    EXCEPTIONS.get_or_try_init(py, || {
        let fips = new_class(
            py,
            "FipsError",
            &[py.get_type::<PyException>()],
            "Base of every fips_policy error: no verdict could be given.\n\n\
             `kind` names the failure domain (Rust's `Error::kind()`), `variant` the error within it.",
        )?;
        let child = |name: &str, other: Option<Bound<'_, PyType>>, doc: &str| {
            let mut bases = vec![fips.bind(py).clone()];
            bases.extend(other);
            new_class(py, name, &bases, doc)
        };
        // OSError's own `str()` would be `[Errno N] strerror: filename` once `filename` is
        // set; the message stays fips-core's, for every error.
        let message = py.eval(c"lambda self: str(self.args[0]) if len(self.args) == 1 else BaseException.__str__(self)", None, None)?;
        fips.bind(py).setattr("__str__", message)?;
        let file = child(
            "FileError",
            Some(py.get_type::<PyOSError>()),
            "A path the caller named (a policy file, a probed root, a path to scan) that cannot \
             be opened, or is not the kind of file or directory expected: the same error \
             whichever call named it.",
        )?;
        Ok(Exceptions {
            parse: child(
                "ParseError",
                Some(py.get_type::<PyValueError>()),
                "A version, tag, image reference or cluster request that cannot be understood.",
            )?,
            policy: child(
                "PolicyError",
                None,
                "A policy that cannot be read or is invalid.",
            )?,
            root: child(
                "RootError",
                Some(py.get_type::<PyOSError>()),
                "A probed root, or a file inside it, that cannot be read safely.",
            )?,
            scan: child(
                "ScanError",
                Some(py.get_type::<PyOSError>()),
                "No path to scan, a scanned path that cannot be read, or an image archive or layout that is malformed.",
            )?,
            selftest: child(
                "SelfTestError",
                None,
                "The crypto self-test failed: no verdict is given from now on (fail closed).",
            )?,
            file: file.clone_ref(py),
            missing_file: new_class(
                py,
                "MissingFileError",
                &[file.bind(py).clone(), py.get_type::<PyFileNotFoundError>()],
                "A path the caller named does not exist (kind `file`, variant `not-found`).",
            )?,
            fips,
        })
    })
}

fn new_class(
    py: Python<'_>,
    name: &str,
    bases: &[Bound<'_, PyType>],
    doc: &str,
) -> PyResult<Py<PyType>> {
    let namespace = PyDict::new(py);
    namespace.set_item("__module__", "fips_policy")?;
    namespace.set_item("__doc__", doc)?;
    let class = py
        .get_type::<PyType>()
        .call1((name, PyTuple::new(py, bases)?, namespace))?;
    Ok(class.cast_into::<PyType>()?.unbind())
}

/// Converts a fips-core error into an instance of its exception class.
fn exception(py: Python<'_>, err: &fips_core::Error) -> PyErr {
    let build = || -> PyResult<PyErr> {
        let classes = exceptions(py)?;
        let class = match err {
            _ if err.variant() == "not-found" && err.named_file().is_some() => {
                &classes.missing_file
            }
            _ if err.named_file().is_some() => &classes.file,
            fips_core::Error::Version(_)
            | fips_core::Error::Tag(_)
            | fips_core::Error::Image(_)
            | fips_core::Error::Request(_)
            | fips_core::Error::Manifest(_) => &classes.parse,
            fips_core::Error::Policy(_) => &classes.policy,
            fips_core::Error::Root(_) => &classes.root,
            fips_core::Error::Scan(_) => &classes.scan,
            fips_core::Error::SelfTest(_) => &classes.selftest,
            _ => &classes.fips,
        };
        let os = os_error(py, err)?;
        let class = match &os {
            // A RootError or ScanError over an OS error is also that error's OSError
            // subclass (FileNotFoundError, PermissionError, ...), as `open()` would raise.
            Some((Some(errno), _, _)) if err.named_file().is_none() => {
                os_subclass(py, class.bind(py), *errno)?
            }
            _ => class.bind(py).clone(),
        };
        let value = class.call1((err.to_string(),))?;
        value.setattr("kind", err.kind())?;
        value.setattr("variant", err.variant())?;
        if let Some((errno, strerror, path)) = os {
            // As `open()` raises it: the OS error number (`None` when the path opened but is
            // not what was expected), its text, and the path as named.
            value.setattr("errno", errno)?;
            value.setattr("strerror", strerror)?;
            value.setattr("filename", path.as_os_str())?;
        }
        Ok(PyErr::from_value(value))
    };
    // Making the exception can itself fail (out of memory): raise that instead.
    build().unwrap_or_else(|e| e)
}

/// `(errno, strerror, path)` of an error about a path, as `open()` would give them;
/// `errno` is `None` when no OS error applies (the path opened but is not what was expected).
fn os_error<'e>(
    py: Python<'_>,
    err: &'e fips_core::Error,
) -> PyResult<Option<(Option<i32>, String, &'e std::path::Path)>> {
    if let Some(file) = err.named_file() {
        let errno = file.source.raw_os_error();
        return Ok(Some((errno, file.source.to_string(), &file.path)));
    }
    // The checks fips-core makes itself stand for the errors the OS gives for the same.
    let named = |name: &str| -> PyResult<Option<i32>> {
        Ok(Some(py.import("errno")?.getattr(name)?.extract()?))
    };
    Ok(match err {
        fips_core::Error::Root(RootError::Io { path, source })
        | fips_core::Error::Scan(fips_core::ScanError::Io { path, source }) => {
            Some((source.raw_os_error(), source.to_string(), path))
        }
        fips_core::Error::Root(root @ RootError::SymlinkLoop { path }) => {
            Some((named("ELOOP")?, root.to_string(), path))
        }
        fips_core::Error::Root(root @ RootError::NotADirectory { path }) => {
            Some((named("ENOTDIR")?, root.to_string(), path))
        }
        fips_core::Error::Root(
            root @ (RootError::NotAFile { path, .. } | RootError::TooLarge { path, .. }),
        ) => Some((None, root.to_string(), path)),
        fips_core::Error::Scan(scan @ fips_core::ScanError::Malformed { path, .. }) => {
            Some((None, scan.to_string(), path))
        }
        _ => None,
    })
}

/// `base` made also a subclass of the OSError subclass Python gives `errno`
/// (`FileNotFoundError` for ENOENT, ...), under the same name; `base` itself when Python
/// has none. Made once per pair.
fn os_subclass<'py>(
    py: Python<'py>,
    base: &Bound<'py, PyType>,
    errno: i32,
) -> PyResult<Bound<'py, PyType>> {
    static MADE: PyOnceLock<Py<PyDict>> = PyOnceLock::new();
    let made = MADE.get_or_try_init(py, || -> PyResult<_> { Ok(PyDict::new(py).unbind()) })?;
    let made = made.bind(py);
    // OSError(errno, text) is the subclass Python picks for that number.
    let probe = py.get_type::<PyOSError>().call1((errno, ""))?;
    let os_class = probe.get_type();
    if os_class.is(py.get_type::<PyOSError>()) {
        return Ok(base.clone());
    }
    let key = (base.clone(), os_class.clone());
    if let Some(class) = made.get_item(&key)? {
        return Ok(class.cast_into::<PyType>()?);
    }
    let name = base.name()?.to_string();
    let doc: String = base.getattr("__doc__")?.extract()?;
    let class = new_class(py, &name, &[base.clone(), os_class], &doc)?;
    let class = class.into_bound(py);
    made.set_item(key, &class)?;
    Ok(class)
}

/// Adds the exception classes to the module.
pub(crate) fn register(m: &Bound<'_, PyModule>) -> PyResult<()> {
    let py = m.py();
    let classes = exceptions(py)?;
    for (name, class) in [
        ("FipsError", &classes.fips),
        ("ParseError", &classes.parse),
        ("PolicyError", &classes.policy),
        ("RootError", &classes.root),
        ("ScanError", &classes.scan),
        ("SelfTestError", &classes.selftest),
        ("FileError", &classes.file),
        ("MissingFileError", &classes.missing_file),
    ] {
        m.add(name, class.clone_ref(py))?;
    }
    Ok(())
}
