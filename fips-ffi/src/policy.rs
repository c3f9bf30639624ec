//! `fips_policy`: an opaque handle on a `fips_core::Policy`.

use fips_core::Policy;

use crate::{
    boundary::{self, Done, Failure},
    fips_status,
    io::{input, Out},
};

/// A policy: the supported FIPS builds, operating systems and registry mirrors.
///
/// Opaque: made by `fips_policy_new_default`, `fips_policy_from_toml` or
/// `fips_policy_from_file`, freed by `fips_policy_free`. Immutable once made, so one
/// handle may be used by many threads at once. Wherever a `const fips_policy *` is taken,
/// NULL means the embedded default.
#[allow(non_camel_case_types)] // C name.
#[derive(Debug)]
pub struct fips_policy {
    policy: Policy,
}

/// The policy behind a `const fips_policy *`: NULL is the embedded default.
///
/// # Safety
///
/// `policy` is NULL or a live handle from a `fips_policy_` constructor.
pub(crate) unsafe fn policy_or_default<'a>(policy: *const fips_policy) -> &'a Policy {
    // SAFETY: as this function's contract.
    match unsafe { policy.as_ref() } {
        Some(handle) => &handle.policy,
        None => Policy::embedded(),
    }
}

/// Hands a new policy to the caller.
///
/// # Safety
///
/// As [`Out::write`].
unsafe fn hand_out(out: Out<*mut fips_policy>, policy: Policy) -> Result<Done, Failure> {
    let handle = Box::into_raw(Box::new(fips_policy { policy }));
    // SAFETY: as this function's contract.
    unsafe { out.write(handle) };
    Ok(Done::Ok)
}

/// Makes a handle on a copy of the embedded default policy (exactly the vendor's published
/// FIPS matrix). On success `*policy_out` is a handle to free with `fips_policy_free`.
///
/// Returns `FIPS_STATUS_OK`, or `FIPS_STATUS_NULL_PARAMETER`.
///
/// # Safety
///
/// `policy_out` is NULL or valid for a write of a pointer.
#[no_mangle]
pub unsafe extern "C" fn fips_policy_new_default(policy_out: *mut *mut fips_policy) -> fips_status {
    const F: &str = "fips_policy_new_default";
    boundary::status(F, || {
        let out = Out::new(F, "policy_out", policy_out)?;
        // SAFETY: checked non-NULL; the caller's contract.
        unsafe { hand_out(out, Policy::embedded().clone()) }
    })
}

/// Parses a policy from TOML text (the policy file format; unknown fields are refused).
/// On success `*policy_out` is a handle to free with `fips_policy_free`.
///
/// Returns `FIPS_STATUS_OK`, `FIPS_STATUS_POLICY_INVALID` (the last error has the line and
/// column), or a 2xx input status.
///
/// # Safety
///
/// `toml` is NULL or a NUL-terminated string; `policy_out` is NULL or valid for a write of a
/// pointer.
#[no_mangle]
pub unsafe extern "C" fn fips_policy_from_toml(
    toml: *const std::ffi::c_char,
    policy_out: *mut *mut fips_policy,
) -> fips_status {
    const F: &str = "fips_policy_from_toml";
    boundary::status(F, || {
        // SAFETY: the caller's contract.
        let text = unsafe { input(F, "toml", toml) }?;
        let out = Out::new(F, "policy_out", policy_out)?;
        let policy = Policy::from_toml_str(text).map_err(|e| Failure::core(F, &e.into()))?;
        // SAFETY: checked non-NULL; the caller's contract.
        unsafe { hand_out(out, policy) }
    })
}

/// Reads a policy file (at most 1 MiB). On success `*policy_out` is a handle to free with
/// `fips_policy_free`.
///
/// Returns `FIPS_STATUS_OK`, `FIPS_STATUS_FILE_UNREADABLE` (the file cannot be opened or is
/// not a text file: kind `file`), `FIPS_STATUS_POLICY_INVALID` (invalid; the last error has
/// the line and column), or a 2xx input status.
///
/// # Safety
///
/// `path` is NULL or a NUL-terminated string; `policy_out` is NULL or valid for a write of a
/// pointer.
#[no_mangle]
pub unsafe extern "C" fn fips_policy_from_file(
    path: *const std::ffi::c_char,
    policy_out: *mut *mut fips_policy,
) -> fips_status {
    const F: &str = "fips_policy_from_file";
    boundary::status(F, || {
        // SAFETY: the caller's contract.
        let path = unsafe { input(F, "path", path) }?;
        let out = Out::new(F, "policy_out", policy_out)?;
        let policy = Policy::from_file(path).map_err(|e| Failure::core(F, &e.into()))?;
        // SAFETY: checked non-NULL; the caller's contract.
        unsafe { hand_out(out, policy) }
    })
}

/// Frees a policy handle. NULL is allowed and does nothing.
///
/// # Safety
///
/// `policy` is NULL or a handle from a `fips_policy_` constructor, not freed yet and not in
/// use by another thread; it is not used after this call.
#[no_mangle]
pub unsafe extern "C" fn fips_policy_free(policy: *mut fips_policy) {
    boundary::guard(
        "fips_policy_free",
        || (),
        || {
            if !policy.is_null() {
                // SAFETY: it came from `Box::into_raw` in `hand_out` (the contract).
                drop(unsafe { Box::from_raw(policy) });
            }
        },
    );
}
