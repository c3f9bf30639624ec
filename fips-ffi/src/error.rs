//! The thread-local last error, and `fips_last_error()`, `fips_last_error_kind()` and
//! `fips_last_error_variant()` that read it.

use std::{cell::RefCell, ffi::CString, os::raw::c_char};

use crate::boundary;

/// What explains a status other than `FIPS_STATUS_OK`: the text for a person, and the kind
/// and variant for a program (fips-core's `Error::kind()` and `Error::variant()`, or the
/// ABI's own `input` and `internal` errors; both `""` for a negative verdict).
#[derive(Debug)]
pub(crate) struct Explanation {
    pub(crate) message: String,
    pub(crate) kind: &'static str,
    pub(crate) variant: &'static str,
}

#[derive(Default)]
struct LastError {
    message: CString,
    kind: CString,
    variant: CString,
}

thread_local! {
    static LAST_ERROR: RefCell<LastError> = RefCell::new(LastError::default());
}

/// A C string of `text`: a message may quote input, and C strings end at the first NUL, so
/// NULs are shown as `\0`.
fn c_text(text: &str) -> CString {
    CString::new(text.replace('\0', "\\0")).unwrap_or_default()
}

/// Records the explanation of a status other than `FIPS_STATUS_OK` for this thread.
pub(crate) fn set_last_error(explanation: &Explanation) {
    let last = LastError {
        message: c_text(&explanation.message),
        kind: c_text(explanation.kind),
        variant: c_text(explanation.variant),
    };
    // `try_with`: during thread teardown the slot may be gone; there is no one to tell then.
    let _ = LAST_ERROR.try_with(|slot| *slot.borrow_mut() = last);
}

/// Forgets the last error of this thread (a call returned `FIPS_STATUS_OK`).
pub(crate) fn clear_last_error() {
    let _ = LAST_ERROR.try_with(|slot| {
        // Most calls succeed after a success: then there is nothing to free or allocate.
        if !slot.borrow().message.is_empty() {
            *slot.borrow_mut() = LastError::default();
        }
    });
}

/// The explanation of the last status other than `FIPS_STATUS_OK` returned on this thread,
/// or `""` when the last call returned `FIPS_STATUS_OK` (or none has been made).
///
/// The text names the function, the parameter or field, and what to change. It is owned
/// by libfips: do not free it; it stays valid until the next `fips_` call on this thread
/// (copy it to keep it). Never NULL.
#[no_mangle]
pub extern "C" fn fips_last_error() -> *const c_char {
    // After a panic in here, the boundary has recorded it: read that instead.
    boundary::guard("fips_last_error", last_error_ptr, last_error_ptr)
}

/// The kind of the last error returned on this thread, for programs to match on (never
/// the text of `fips_last_error()`): the failure domain of the core library (`"version"`,
/// `"tag"`, `"image"`, `"request"`, `"policy"`, `"root"`, `"scan"`, `"file"`, `"manifest"`, `"selftest"`, as
/// `error.kind` in `fipsctl --json`), `"input"` for a NULL, non-UTF-8 or oversized
/// parameter, or `"internal"` for a defect in libfips; `""` after `FIPS_STATUS_OK` or a
/// negative verdict (`1xx`), which is no error.
///
/// Owned by libfips and valid as `fips_last_error()`'s text is. Never NULL.
#[no_mangle]
pub extern "C" fn fips_last_error_kind() -> *const c_char {
    boundary::guard("fips_last_error_kind", last_kind_ptr, last_kind_ptr)
}

/// The variant of the last error returned on this thread, within its kind
/// (`fips_last_error_kind()`), in kebab-case: the core library's names (`"lossy"`,
/// `"invalid-tag"`, `"missing-value"`, `"no-paths"`, ...; the table is in fips-core's
/// `Error::variant()`, as `error.variant` in `fipsctl --json`), or for kind `"input"`
/// `"null-parameter"`, `"invalid-utf8"`, `"input-too-large"`, and for kind `"internal"`
/// `"panic"` or `"internal"`; `""` when the kind is `""`. Names never change meaning.
///
/// Owned by libfips and valid as `fips_last_error()`'s text is. Never NULL.
#[no_mangle]
pub extern "C" fn fips_last_error_variant() -> *const c_char {
    boundary::guard(
        "fips_last_error_variant",
        last_variant_ptr,
        last_variant_ptr,
    )
}

/// A pointer to one field of this thread's last error, or to `""` once the slot is gone.
fn last_ptr(field: fn(&LastError) -> &CString) -> *const c_char {
    const EMPTY: &[u8] = b"\0";
    LAST_ERROR
        .try_with(|slot| field(&slot.borrow()).as_ptr())
        .unwrap_or(EMPTY.as_ptr().cast())
}

fn last_error_ptr() -> *const c_char {
    last_ptr(|last| &last.message)
}

fn last_kind_ptr() -> *const c_char {
    last_ptr(|last| &last.kind)
}

fn last_variant_ptr() -> *const c_char {
    last_ptr(|last| &last.variant)
}
