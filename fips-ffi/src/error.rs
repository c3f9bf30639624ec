//! The thread-local last error, and `fips_last_error()` that reads it.

use std::{cell::RefCell, ffi::CString, os::raw::c_char};

use crate::boundary;

thread_local! {
    static LAST_ERROR: RefCell<CString> = RefCell::new(CString::default());
}

/// Records the explanation of a status other than `FIPS_STATUS_OK` for this thread.
pub(crate) fn set_last_error(message: &str) {
    // A message may quote input; C strings end at the first NUL, so show NULs as `\0`.
    let text = CString::new(message.replace('\0', "\\0")).unwrap_or_default();
    // `try_with`: during thread teardown the slot may be gone; there is no one to tell then.
    let _ = LAST_ERROR.try_with(|slot| *slot.borrow_mut() = text);
}

/// Forgets the last error of this thread (a call returned `FIPS_STATUS_OK`).
pub(crate) fn clear_last_error() {
    let _ = LAST_ERROR.try_with(|slot| {
        // Most calls succeed after a success: then there is nothing to free or allocate.
        if !slot.borrow().is_empty() {
            *slot.borrow_mut() = CString::default();
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

fn last_error_ptr() -> *const c_char {
    const EMPTY: &[u8] = b"\0";
    LAST_ERROR
        .try_with(|slot| slot.borrow().as_ptr())
        .unwrap_or(EMPTY.as_ptr().cast())
}
