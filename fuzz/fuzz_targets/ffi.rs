//! The C ABI (`libfips`) with arbitrary bytes as C strings. The first byte picks an export;
//! the rest, split at NUL, are its string arguments, each in its own exactly-sized
//! NUL-terminated allocation (so AddressSanitizer sees any read past the NUL), and possibly
//! not UTF-8. For every call:
//! - no panic reaches the boundary's 4xx statuses, nothing aborts;
//! - the output is written exactly for `FIPS_STATUS_OK` and the 1xx verdicts;
//! - `fips_last_error()` is empty exactly after `FIPS_STATUS_OK`;
//! - a string that is not UTF-8 gives `FIPS_STATUS_INVALID_UTF8`, and only then;
//! - the answer is `fips-core`'s: the same value, JSON or verdict as the Rust call.

#![no_main]

use std::{
    ffi::{c_char, CStr, CString},
    ptr,
};

use fips::fips_status;
use fips_core::{
    audit_text, audit_update, check_transition, read_objects, validate, ClusterRequest, Component,
    FipsVersion, ImageRef, OsRelease, Policy,
};
use libfuzzer_sys::fuzz_target;

/// Takes a string libfips handed out, and frees it with `fips_string_free`.
fn take(out: *mut c_char) -> String {
    assert!(!out.is_null());
    // SAFETY: libfips wrote a NUL-terminated string it allocated.
    let text = unsafe { CStr::from_ptr(out) }
        .to_str()
        .expect("libfips writes UTF-8")
        .to_owned();
    // SAFETY: `out` came from libfips and is freed once.
    unsafe { fips::fips_string_free(out) };
    text
}

fn last_error() -> String {
    // SAFETY: never NULL, NUL-terminated, valid until the next call on this thread.
    unsafe { CStr::from_ptr(fips::fips_last_error()) }
        .to_string_lossy()
        .into_owned()
}

/// The boundary's contract for one call: returns the output when one was written.
fn contract(status: fips_status, out: *mut c_char, inputs: &[&CString]) -> Option<String> {
    assert!(
        !matches!(status, fips_status::Panic | fips_status::Internal),
        "{status:?}: {}",
        last_error()
    );
    let error = last_error();
    assert_eq!(
        error.is_empty(),
        status == fips_status::Ok,
        "{status:?}: {error:?}"
    );
    let utf8 = inputs.iter().all(|s| s.to_str().is_ok());
    assert_eq!(
        status == fips_status::InvalidUtf8,
        !utf8,
        "{status:?}: {error}"
    );
    let verdict = status == fips_status::Ok || (100..200).contains(&(status as u32));
    assert_eq!(!out.is_null(), verdict, "{status:?}: output written");
    verdict.then(|| take(out))
}

fn json<T: serde::Serialize>(value: &T) -> String {
    serde_json::to_string(value).expect("fips-core values serialize")
}

fn utf8(s: &CString) -> Option<&str> {
    s.to_str().ok()
}

fuzz_target!(|data: &[u8]| {
    let Some((&which, rest)) = data.split_first() else {
        return;
    };
    let strings: Vec<CString> = rest
        .split(|&b| b == 0)
        .map(|s| CString::new(s).expect("split at NUL"))
        .collect();
    let arg = |i: usize| strings.get(i).cloned().unwrap_or_default();
    let (s0, s1) = (arg(0), arg(1));
    let mut out: *mut c_char = ptr::null_mut();

    match which % 11 {
        0 => {
            // SAFETY: valid C strings and an out pointer.
            let status =
                unsafe { fips::fips_version_parse_json(s0.as_ptr(), s1.as_ptr(), &mut out) };
            let got = contract(status, out, &[&s0, &s1]);
            if let (Some(text), Some(comp)) = (utf8(&s0), utf8(&s1)) {
                let want = comp.parse::<Component>().ok().and_then(|c| {
                    FipsVersion::parse(text)
                        .ok()
                        .map(|v| json(&v.describe(text, c)))
                });
                assert_eq!(got, want, "{text:?} {comp:?}");
            }
        }
        1 => {
            // SAFETY: as above.
            let status = unsafe { fips::fips_version_to_tag(s0.as_ptr(), s1.as_ptr(), &mut out) };
            let got = contract(status, out, &[&s0, &s1]);
            if let (Some(text), Some(comp)) = (utf8(&s0), utf8(&s1)) {
                let want = comp.parse::<Component>().ok().and_then(|c| {
                    FipsVersion::parse(text)
                        .ok()
                        .and_then(|v| v.to_tag(c).ok().map(String::from))
                });
                assert_eq!(got, want, "{text:?} {comp:?}");
            }
        }
        2 => {
            // SAFETY: as above.
            let status = unsafe { fips::fips_tag_to_version(s0.as_ptr(), &mut out) };
            let got = contract(status, out, &[&s0]);
            if let Some(tag) = utf8(&s0) {
                let want = FipsVersion::from_tag(tag).ok().map(|v| v.to_string());
                assert_eq!(got, want, "{tag:?}");
            }
        }
        3 => {
            // SAFETY: as above.
            let status = unsafe { fips::fips_image_parse_json(s0.as_ptr(), &mut out) };
            let got = contract(status, out, &[&s0]);
            if let Some(text) = utf8(&s0) {
                assert_eq!(
                    got,
                    ImageRef::parse(text).ok().map(|i| json(&i)),
                    "{text:?}"
                );
            }
        }
        4 => {
            // SAFETY: as above.
            let status = unsafe { fips::fips_os_release_parse_json(s0.as_ptr(), &mut out) };
            let got = contract(status, out, &[&s0]);
            if let Some(text) = utf8(&s0) {
                assert_eq!(got, Some(json(&OsRelease::parse(text))));
            }
        }
        5 => {
            // SAFETY: NULL policy (the embedded default), a C string, an out pointer.
            let status = unsafe { fips::fips_validate_json(ptr::null(), s0.as_ptr(), &mut out) };
            let got = contract(status, out, &[&s0]);
            if let Some(text) = utf8(&s0) {
                let want = ClusterRequest::from_json(text)
                    .ok()
                    .map(|r| validate(&r, Policy::embedded()).expect("the self-test passes"));
                assert_eq!(
                    status == fips_status::Ok,
                    want.as_ref().is_some_and(|r| r.compliant)
                );
                assert_eq!(got, want.map(|r| json(&r)), "{text:?}");
            }
        }
        6 | 8 => {
            // 8: first a policy from TOML (the first string), then the command line under it.
            let (policy, words) = if which % 9 == 8 {
                let mut handle = ptr::null_mut();
                // SAFETY: a C string and an out pointer.
                let status = unsafe { fips::fips_policy_from_toml(s0.as_ptr(), &mut handle) };
                let want = utf8(&s0).and_then(|t| Policy::from_toml_str(t).ok());
                assert_eq!(status == fips_status::Ok, !handle.is_null(), "{status:?}");
                if s0.to_str().is_ok() {
                    assert_eq!(
                        status == fips_status::Ok,
                        want.is_some(),
                        "{}",
                        last_error()
                    );
                }
                let Some(policy) = want else {
                    assert!(handle.is_null());
                    return;
                };
                (Some((handle, policy)), &strings[1.min(strings.len())..])
            } else {
                (None, &strings[..])
            };
            let argv: Vec<*const c_char> = words.iter().map(|s| s.as_ptr()).collect();
            let handle = policy.as_ref().map_or(ptr::null(), |(h, _)| h.cast_const());
            // SAFETY: a live handle or NULL, `argv.len()` C strings, an out pointer.
            let status =
                unsafe { fips::fips_validate_args(handle, argv.as_ptr(), argv.len(), &mut out) };
            let inputs: Vec<&CString> = words.iter().collect();
            let got = contract(status, out, &inputs);
            let texts: Option<Vec<&str>> = words.iter().map(utf8).collect();
            if let Some(texts) = texts {
                let rules = policy.as_ref().map_or(Policy::embedded(), |(_, p)| p);
                let want = ClusterRequest::from_args(&texts)
                    .ok()
                    .map(|r| validate(&r, rules).expect("the self-test passes"));
                assert_eq!(
                    status == fips_status::Ok,
                    want.as_ref().is_some_and(|r| r.compliant)
                );
                assert_eq!(got, want.map(|r| json(&r)), "{texts:?}");
            }
            if let Some((handle, _)) = policy {
                // SAFETY: a live handle, freed once.
                unsafe { fips::fips_policy_free(handle) };
            }
        }
        9 => {
            // SAFETY: NULL policy (the embedded default), a C string, an out pointer.
            let status = unsafe { fips::fips_audit_json(ptr::null(), s0.as_ptr(), &mut out) };
            let got = contract(status, out, &[&s0]);
            if let Some(text) = utf8(&s0) {
                let want = audit_text(text, Policy::embedded()).ok();
                assert_eq!(
                    status == fips_status::Ok,
                    want.as_ref().is_some_and(|r| r.compliant)
                );
                assert_eq!(got, want.map(|r| json(&r)), "{text:?}");
            }
        }
        10 => {
            // SAFETY: NULL policy, two C strings, an out pointer.
            let status = unsafe {
                fips::fips_audit_update_json(ptr::null(), s0.as_ptr(), s1.as_ptr(), &mut out)
            };
            let got = contract(status, out, &[&s0, &s1]);
            if let (Some(old), Some(new)) = (utf8(&s0), utf8(&s1)) {
                let want = match (read_objects(old), read_objects(new)) {
                    (Ok(old), Ok(new)) => audit_update(&old, &new, Policy::embedded()).ok(),
                    _ => None,
                };
                assert_eq!(
                    status == fips_status::Ok,
                    want.as_ref().is_some_and(|r| r.compliant)
                );
                assert_eq!(got, want.map(|r| json(&r)), "{old:?} -> {new:?}");
            }
        }
        _ => {
            // SAFETY: NULL policy, two C strings, an out pointer.
            let status = unsafe {
                fips::fips_check_transition(ptr::null(), s0.as_ptr(), s1.as_ptr(), &mut out)
            };
            let got = contract(status, out, &[&s0, &s1]);
            if let (Some(a), Some(b)) = (utf8(&s0), utf8(&s1)) {
                // fips-core refuses some parsed versions too (a FIPS build id that is not
                // `fips.N`): then the ABI must give an error, never a report.
                let want = match (FipsVersion::parse(a), FipsVersion::parse(b)) {
                    (Ok(a), Ok(b)) => check_transition(&a, &b, Policy::embedded()).ok(),
                    _ => None,
                };
                assert_eq!(
                    status == fips_status::Ok,
                    want.as_ref().is_some_and(|r| r.allowed)
                );
                assert_eq!(got, want.map(|r| json(&r)), "{a:?} -> {b:?}");
            }
        }
    }
});
