//! `libfips`: the C ABI of the fips policy engine (`libfips.so`, `libfips.a`,
//! `include/fips.h`, generated from this crate by cbindgen).
//!
//! Thin by design: every export converts its C arguments, calls `fips-core`, and converts
//! the result back. No rule lives here.
//!
//! Conventions (rustls-ffi's; `fips-ffi/README.md` has them with the exports):
//! - every symbol starts with `fips_`; every export that can fail returns a [`fips_status`]
//!   with explicit values in bands, stable forever;
//! - strings in are `const char *` UTF-8, at most 1 MiB (a manifest of Kubernetes objects:
//!   [`FIPS_MAX_MANIFEST_BYTES`]); strings out are `char *` freed by
//!   [`fips_string_free`]; results are JSON with the serde shapes of the `fips-core` types,
//!   the same as `fipsctl --json`;
//! - inputs come before outputs; outputs are written only when the call gives a result
//!   (`FIPS_STATUS_OK` or a 1xx negative verdict, which still writes its report);
//! - NULL, invalid UTF-8 and oversized input return a 2xx status, never a crash; every body
//!   runs behind a panic boundary; [`fips_last_error`] explains every status other than
//!   `FIPS_STATUS_OK`, per thread, and [`fips_last_error_kind`] / [`fips_last_error_variant`]
//!   name the error for programs (fips-core's `Error::kind()` / `Error::variant()`);
//! - if the crypto self-test failed, no call ever gives a verdict (`FIPS_STATUS_SELF_TEST_FAILED`).
//!
//! All exports are safe to call from many threads at once.

// In this order in include/fips.h: the status, the policy handle, the verdicts, the
// parsers, then strings and errors.
mod status;

mod policy;

mod verdicts;

mod registry;

mod audit;

mod parse;

mod error;

mod io;

mod boundary;

use std::ffi::c_char;

pub use audit::{fips_audit_json, fips_audit_update_json};
pub use error::{fips_last_error, fips_last_error_kind, fips_last_error_variant};
pub use io::fips_string_free;
pub use parse::{
    fips_codes_json, fips_image_parse_json, fips_os_release_parse_json, fips_tag_to_version,
    fips_version_parse_json, fips_version_to_tag,
};
pub use policy::{
    fips_policy, fips_policy_free, fips_policy_from_file, fips_policy_from_toml,
    fips_policy_new_default,
};
pub use registry::fips_scan_registry_json;
pub use status::fips_status;
pub use verdicts::{
    fips_check_transition, fips_host_probe_json, fips_scan_json, fips_selftest_json,
    fips_validate_args, fips_validate_json,
};

/// The largest string parameter libfips reads (1 MiB), and the largest argument vector in
/// total; a larger one gets `FIPS_STATUS_INPUT_TOO_LARGE` after at most this many bytes read.
pub const FIPS_MAX_INPUT_BYTES: usize = 1 << 20;
/// The largest manifest `fips_audit_json` and `fips_audit_update_json` read (64 MiB): a
/// management cluster's objects run to megabytes; a larger one gets
/// `FIPS_STATUS_INPUT_TOO_LARGE` after at most this many bytes read.
pub const FIPS_MAX_MANIFEST_BYTES: usize = 64 << 20;
/// The most arguments `fips_validate_args` takes, and the most paths `fips_scan_json` takes.
pub const FIPS_MAX_ARGS: usize = 4096;

/// The version of libfips (the `fips-ffi` crate), e.g. `"0.1.0"`. Owned by libfips: do not
/// free it. Never NULL.
#[no_mangle]
pub extern "C" fn fips_version() -> *const c_char {
    const VERSION: &str = concat!(env!("CARGO_PKG_VERSION"), "\0");
    boundary::guard(
        "fips_version",
        || VERSION.as_ptr().cast(),
        || VERSION.as_ptr().cast(),
    )
}

/// Does nothing and returns `FIPS_STATUS_OK`: the cost of a call into libfips (its panic
/// boundary included), as a floor for benchmarks.
#[no_mangle]
pub extern "C" fn fips_noop() -> fips_status {
    boundary::status("fips_noop", || Ok(boundary::Done::Ok))
}
