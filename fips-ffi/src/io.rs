//! Strings across the boundary: C strings in (checked), `char *` out (freed by
//! `fips_string_free`), and the output slots that are written only on success.

use std::{
    ffi::{c_char, CString},
    ptr::NonNull,
};

use crate::{
    boundary::{self, Failure},
    fips_status,
};

use crate::{FIPS_MAX_ARGS as MAX_ARGS, FIPS_MAX_INPUT_BYTES as MAX_INPUT_BYTES};

// Real inputs are a few kilobytes: the bound is the one fips-core puts on a JSON request.
const _: () = assert!(MAX_INPUT_BYTES == fips_core::MAX_REQUEST_BYTES);
// A manifest libfips reads is one fips-core reads too.
const _: () = assert!(crate::FIPS_MAX_MANIFEST_BYTES <= fips_core::MAX_MANIFEST_BYTES);

/// Reads the string parameter `param` of `function`: not NULL, at most [`MAX_INPUT_BYTES`]
/// before its NUL, UTF-8. Text after an embedded NUL is never read: C strings end there.
///
/// # Safety
///
/// `ptr` is NULL or points to a NUL-terminated string, or to at least
/// `MAX_INPUT_BYTES + 1` readable bytes, that outlives `'a`.
pub(crate) unsafe fn input<'a>(
    function: &str,
    param: &str,
    ptr: *const c_char,
) -> Result<&'a str, Failure> {
    // SAFETY: as this function's contract.
    unsafe { bounded_input(function, param, ptr, MAX_INPUT_BYTES) }
}

/// [`input`] with a caller-given bound.
///
/// # Safety
///
/// As [`input`], with `limit` for `MAX_INPUT_BYTES`.
pub(crate) unsafe fn bounded_input<'a>(
    function: &str,
    param: &str,
    ptr: *const c_char,
    limit: usize,
) -> Result<&'a str, Failure> {
    let Some(start) = NonNull::new(ptr.cast_mut().cast::<u8>()) else {
        return Err(Failure::new(
            fips_status::NullParameter,
            format!("{function}: {param} is NULL; pass a NUL-terminated UTF-8 string"),
        ));
    };
    let mut len = 0;
    // SAFETY: the caller guarantees the bytes up to the NUL (or `limit + 1` bytes) are
    // readable; the loop stops at the first NUL and never reads past `limit`.
    while unsafe { *start.as_ptr().add(len) } != 0 {
        if len == limit {
            return Err(Failure::new(
                fips_status::InputTooLarge,
                format!(
                    "{function}: {param} is longer than {limit} bytes, more than any real input; \
                     pass the text itself, not a file's worth of data"
                ),
            ));
        }
        len += 1;
    }
    // SAFETY: `len` bytes from `start` were just read.
    let bytes = unsafe { std::slice::from_raw_parts(start.as_ptr(), len) };
    std::str::from_utf8(bytes).map_err(|e| {
        Failure::new(
            fips_status::InvalidUtf8,
            format!(
                "{function}: {param} is not UTF-8 (invalid byte at offset {}); pass UTF-8 text",
                e.valid_up_to()
            ),
        )
    })
}

/// The names of an array parameter and of its length, as the last error names them:
/// `("argv", "argc")`, `("paths", "n_paths")`.
pub(crate) type ArrayParams = (&'static str, &'static str);

/// Reads an array of strings: `array` not NULL, `count` at most [`MAX_ARGS`], every element
/// a valid string parameter, all of them together at most [`MAX_INPUT_BYTES`].
///
/// # Safety
///
/// `array` is NULL or points to `count` readable pointers, each as for [`input`].
pub(crate) unsafe fn args<'a>(
    function: &str,
    (name, count_name): ArrayParams,
    array: *const *const c_char,
    count: usize,
) -> Result<Vec<&'a str>, Failure> {
    if array.is_null() {
        return Err(Failure::new(
            fips_status::NullParameter,
            format!("{function}: {name} is NULL; pass an array of {count_name} strings"),
        ));
    }
    if count > MAX_ARGS {
        return Err(Failure::new(
            fips_status::InputTooLarge,
            format!(
                "{function}: {count_name} is {count}, more than the {MAX_ARGS} strings accepted"
            ),
        ));
    }
    let mut budget = MAX_INPUT_BYTES;
    let mut out = Vec::with_capacity(count);
    for i in 0..count {
        // SAFETY: `array` holds `count` pointers (the caller's contract); each is checked by
        // `bounded_input` against the bytes left in the budget.
        let element = format!("{name}[{i}]");
        let arg = unsafe { bounded_input(function, &element, *array.add(i), budget) }.map_err(
            |f| match f.status {
                fips_status::InputTooLarge => Failure::new(
                    fips_status::InputTooLarge,
                    format!(
                        "{function}: the strings up to {element} are longer than \
                         {MAX_INPUT_BYTES} bytes in total, more than any real input"
                    ),
                ),
                _ => f,
            },
        )?;
        budget -= arg.len();
        out.push(arg);
    }
    Ok(out)
}

/// An output parameter, checked for NULL before any work is done.
#[derive(Debug)]
pub(crate) struct Out<T>(NonNull<T>);

impl<T> Out<T> {
    /// Checks the output parameter `param` of `function`.
    pub(crate) fn new(function: &str, param: &str, ptr: *mut T) -> Result<Out<T>, Failure> {
        NonNull::new(ptr).map(Out).ok_or_else(|| {
            Failure::new(
                fips_status::NullParameter,
                format!("{function}: {param} is NULL; pass the address of a variable to receive the result"),
            )
        })
    }

    /// Writes the result: the last step of a body that succeeded.
    ///
    /// # Safety
    ///
    /// The pointer given to [`Out::new`] is valid for a write of `T`.
    pub(crate) unsafe fn write(self, value: T) {
        // SAFETY: as this function's contract; `write` does not read the old value, which
        // may be uninitialised.
        unsafe { self.0.as_ptr().write(value) }
    }
}

/// Turns a result string into a `char *` for the caller, to be freed by `fips_string_free`.
pub(crate) fn c_string(function: &str, text: String) -> Result<*mut c_char, Failure> {
    CString::new(text).map(CString::into_raw).map_err(|e| {
        Failure::new(
            fips_status::Internal,
            format!(
                "{function}: the result holds a NUL byte at offset {}; this is a defect in \
                 libfips, please report it",
                e.nul_position()
            ),
        )
    })
}

/// Serialises a `fips-core` value with its serde shape (the one `fipsctl --json` prints).
pub(crate) fn json<T: serde::Serialize>(function: &str, value: &T) -> Result<String, Failure> {
    serde_json::to_string(value).map_err(|e| {
        Failure::new(
            fips_status::Internal,
            format!("{function}: cannot serialise the result ({e}); this is a defect in libfips"),
        )
    })
}

/// Frees a string that libfips returned. NULL is allowed and does nothing.
///
/// # Safety
///
/// `s` is NULL or a string returned by a `fips_` function and not freed yet; it is not used
/// after this call. Do not pass strings from elsewhere (not even `fips_last_error()` or
/// `fips_version()`, which libfips owns).
#[no_mangle]
pub unsafe extern "C" fn fips_string_free(s: *mut c_char) {
    boundary::guard(
        "fips_string_free",
        || (),
        || {
            if !s.is_null() {
                // SAFETY: `s` came from `CString::into_raw` in `c_string` (the contract).
                drop(unsafe { CString::from_raw(s) });
            }
        },
    );
}

#[cfg(test)]
mod tests {
    use super::*;

    fn status_of(result: Result<&str, Failure>) -> fips_status {
        result.map_or_else(|f| f.status, |_| fips_status::Ok)
    }

    #[test]
    fn inputs_are_bounded_checked_and_cut_at_nul() {
        let read = |bytes: &[u8], limit| {
            // SAFETY: each buffer is NUL-terminated.
            status_of(unsafe { bounded_input("f", "p", bytes.as_ptr().cast(), limit) })
        };
        assert_eq!(read(b"abcd\0", 4), fips_status::Ok);
        assert_eq!(read(b"abcde\0", 4), fips_status::InputTooLarge);
        assert_eq!(read(b"ab\xffd\0", 4), fips_status::InvalidUtf8);
        // SAFETY: NULL is allowed.
        let null = unsafe { input("f", "p", std::ptr::null()) };
        assert_eq!(status_of(null), fips_status::NullParameter);
        // SAFETY: NUL-terminated; the bytes after the first NUL are never read.
        #[allow(clippy::manual_c_str_literals)] // a c"" literal cannot hold an inner NUL
        let cut = unsafe { input("f", "p", b"1.22\0.8+fips.0\0".as_ptr().cast()) };
        assert_eq!(cut.ok(), Some("1.22"));
    }

    const ARGV: ArrayParams = ("argv", "argc");

    #[test]
    fn argument_vectors_share_one_budget() {
        let arg = vec![b'a'; MAX_INPUT_BYTES / 2];
        let arg = CString::new(arg).unwrap();
        let argv = [arg.as_ptr(), arg.as_ptr(), c"x".as_ptr()];
        // SAFETY: `argv` holds 3 valid C strings.
        let two = unsafe { args("f", ARGV, argv.as_ptr(), 2) };
        assert_eq!(two.map(|a| a.len()).ok(), Some(2));
        // SAFETY: as above.
        let three = unsafe { args("f", ARGV, argv.as_ptr(), 3) };
        assert_eq!(three.unwrap_err().status, fips_status::InputTooLarge);
        // SAFETY: NULL is allowed; argc is checked before any element is read.
        let null = unsafe { args("f", ARGV, std::ptr::null(), 1) };
        assert_eq!(null.unwrap_err().status, fips_status::NullParameter);
        // SAFETY: argc is refused before any element is read.
        let many = unsafe { args("f", ARGV, argv.as_ptr(), MAX_ARGS + 1) };
        assert_eq!(many.unwrap_err().status, fips_status::InputTooLarge);
    }
}
