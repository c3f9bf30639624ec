//! The panic boundary every export sits behind, and the outcome of a call.
//!
//! As in rustls-ffi (`panic.rs`): a body never unwinds into C. A caught panic becomes
//! `FIPS_STATUS_PANIC` (or the export's fallback value) with its message in
//! `fips_last_error()`, and no output is written, since outputs are written only at the end
//! of a body that succeeded.

use std::panic::{catch_unwind, AssertUnwindSafe};

use crate::{
    error::{clear_last_error, set_last_error, Explanation},
    fips_status,
};

/// A call that gives no result: its status and what explains it.
#[derive(Debug)]
pub(crate) struct Failure {
    pub(crate) status: fips_status,
    pub(crate) explanation: Explanation,
}

impl Failure {
    /// A failure of the ABI itself (a NULL, non-UTF-8 or oversized parameter, a defect):
    /// its kind and variant are the status's own ([`fips_status::own_error`]).
    pub(crate) fn new(status: fips_status, message: impl Into<String>) -> Failure {
        let (kind, variant) = status.own_error();
        Failure {
            status,
            explanation: Explanation {
                message: message.into(),
                kind,
                variant,
            },
        }
    }

    /// A `fips-core` error: the status of its domain, its kind, variant and message, after
    /// `context` (the function, and the parameter when the error does not name it).
    pub(crate) fn core(context: &str, error: &fips_core::Error) -> Failure {
        Failure {
            status: fips_status::of(error),
            explanation: explain(error, format!("{context}: {error}")),
        }
    }
}

/// A `fips-core` error's kind and variant with `message`.
pub(crate) fn explain(error: &fips_core::Error, message: String) -> Explanation {
    Explanation {
        message,
        kind: error.kind(),
        variant: error.variant(),
    }
}

/// A call that gave its result: `FIPS_STATUS_OK`, or a negative verdict (1xx, or a failed
/// self-test's report) that still wrote its report, with what explains it.
#[derive(Debug)]
pub(crate) enum Done {
    Ok,
    Negative {
        status: fips_status,
        explanation: Explanation,
    },
}

impl Done {
    /// `Ok` when `positive`, otherwise the negative verdict `status`: no error, so its
    /// kind and variant are empty.
    pub(crate) fn verdict(
        positive: bool,
        status: fips_status,
        message: impl FnOnce() -> String,
    ) -> Done {
        if positive {
            Done::Ok
        } else {
            Done::Negative {
                status,
                explanation: Explanation {
                    message: message(),
                    kind: "",
                    variant: "",
                },
            }
        }
    }
}

/// Runs the body of a status-returning export behind the panic boundary and records the
/// explanation of any status other than `FIPS_STATUS_OK`.
pub(crate) fn status(
    function: &'static str,
    body: impl FnOnce() -> Result<Done, Failure>,
) -> fips_status {
    match catch(function, body) {
        None => fips_status::Panic,
        Some(Ok(Done::Ok)) => {
            clear_last_error();
            fips_status::Ok
        }
        Some(Ok(Done::Negative {
            status,
            explanation,
        }))
        | Some(Err(Failure {
            status,
            explanation,
        })) => {
            set_last_error(&explanation);
            status
        }
    }
}

/// Runs the body of an export that returns a value rather than a status; after a panic,
/// returns `on_panic()` (evaluated once the panic is recorded for `fips_last_error()`).
pub(crate) fn guard<T>(
    function: &'static str,
    on_panic: impl FnOnce() -> T,
    body: impl FnOnce() -> T,
) -> T {
    catch(function, body).unwrap_or_else(on_panic)
}

/// Runs `body`; on a panic, records it for `fips_last_error()` and returns `None`.
fn catch<T>(function: &'static str, body: impl FnOnce() -> T) -> Option<T> {
    let caught = catch_unwind(AssertUnwindSafe(|| {
        test_hook(function);
        body()
    }));
    match caught {
        Ok(value) => Some(value),
        Err(payload) => {
            let what = payload
                .downcast_ref::<&str>()
                .copied()
                .or_else(|| payload.downcast_ref::<String>().map(String::as_str))
                .unwrap_or("a panic without a message");
            let (kind, variant) = fips_status::Panic.own_error();
            set_last_error(&Explanation {
                message: format!(
                    "{function}: internal panic ({what}); this is a defect in libfips, please report it"
                ),
                kind,
                variant,
            });
            // Dropping the payload could itself panic: catch that too, and leak the second
            // payload rather than unwind into C.
            if let Err(again) = catch_unwind(AssertUnwindSafe(move || drop(payload))) {
                std::mem::forget(again);
            }
            None
        }
    }
}

/// With the `test-panic` feature, `FIPS_TEST_PANIC=<export name>` panics inside that
/// export's boundary, so that tests can prove the boundary holds for every export.
#[cfg(feature = "test-panic")]
fn test_hook(function: &str) {
    if std::env::var_os("FIPS_TEST_PANIC").is_some_and(|armed| armed == function) {
        panic!("FIPS_TEST_PANIC={function}");
    }
}

#[cfg(not(feature = "test-panic"))]
fn test_hook(_function: &str) {}

#[cfg(test)]
mod tests {
    use std::ffi::CStr;

    use super::*;
    use crate::{fips_last_error, fips_last_error_kind, fips_last_error_variant};

    fn last_error() -> String {
        // SAFETY: fips_last_error never returns NULL.
        unsafe { CStr::from_ptr(fips_last_error()) }
            .to_string_lossy()
            .into_owned()
    }

    fn last_identity() -> (String, String) {
        // SAFETY: neither ever returns NULL.
        let (kind, variant) = unsafe {
            (
                CStr::from_ptr(fips_last_error_kind()),
                CStr::from_ptr(fips_last_error_variant()),
            )
        };
        (
            kind.to_string_lossy().into_owned(),
            variant.to_string_lossy().into_owned(),
        )
    }

    fn identity(kind: &str, variant: &str) -> (String, String) {
        (kind.to_owned(), variant.to_owned())
    }

    #[test]
    fn a_panic_becomes_a_status_and_an_explanation() {
        let status = super::status("fips_example", || panic!("boom"));
        assert_eq!(status, fips_status::Panic);
        assert_eq!(
            last_error(),
            "fips_example: internal panic (boom); this is a defect in libfips, please report it"
        );
        let value = guard(
            "fips_value",
            || 7,
            || -> i32 { panic!("{}", String::from("owned")) },
        );
        assert_eq!(value, 7);
        assert!(last_error().contains("fips_value: internal panic (owned)"));
        assert_eq!(last_identity(), identity("internal", "panic"));
    }

    #[test]
    fn statuses_set_and_clear_the_last_error() {
        let failed = super::status("fips_example", || {
            Err(Failure::new(fips_status::Internal, "bad\0output"))
        });
        assert_eq!(failed, fips_status::Internal);
        assert_eq!(last_error(), "bad\\0output");
        assert_eq!(last_identity(), identity("internal", "internal"));
        let error: fips_core::Error = fips_core::FipsVersion::parse("1.22").unwrap_err().into();
        let failed = super::status("fips_example", || Err(Failure::core("f: p", &error)));
        assert_eq!(failed, fips_status::VersionInvalid);
        assert_eq!(last_error(), format!("f: p: {error}"));
        assert_eq!(last_identity(), identity("version", "syntax"));
        let null = super::status("fips_example", || {
            Err(Failure::new(fips_status::NullParameter, "p is NULL"))
        });
        assert_eq!(null, fips_status::NullParameter);
        assert_eq!(last_identity(), identity("input", "null-parameter"));
        let negative = super::status("fips_example", || {
            Ok(Done::verdict(false, fips_status::NotCompliant, || {
                "no".into()
            }))
        });
        assert_eq!(
            (negative, last_error().as_str()),
            (fips_status::NotCompliant, "no")
        );
        assert_eq!(
            last_identity(),
            identity("", ""),
            "a negative verdict is no error"
        );
        assert_eq!(
            super::status("fips_example", || Ok(Done::Ok)),
            fips_status::Ok
        );
        assert_eq!(last_error(), "");
        assert_eq!(last_identity(), identity("", ""));
    }
}
