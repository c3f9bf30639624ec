//! The parsers and the code registry: versions, tags, images, os-release text, codes.

use std::ffi::c_char;

use fips_core::{Code, Component, FipsVersion, ImageRef, OsRelease};
use serde::Serialize;

use crate::{
    boundary::{self, Done, Failure},
    fips_status,
    io::{c_string, input, json, Out},
};

/// Parses the component parameter: `kubernetes` or `etcd`.
fn component(function: &str, text: &str) -> Result<Component, Failure> {
    text.parse::<Component>()
        .map_err(|e| Failure::core(function, &e.into()))
}

/// Parses the version parameter.
fn version(function: &str, text: &str) -> Result<FipsVersion, Failure> {
    FipsVersion::parse(text).map_err(|e| Failure::core(function, &e.into()))
}

/// Writes a result string.
///
/// # Safety
///
/// As [`Out::write`].
unsafe fn write(function: &str, out: Out<*mut c_char>, text: String) -> Result<Done, Failure> {
    let text = c_string(function, text)?;
    // SAFETY: as this function's contract.
    unsafe { out.write(text) };
    Ok(Done::Ok)
}

/// Parses a version as Kubernetes does (optional `v`, surrounding whitespace, strict
/// semver) and describes it for `component` (`"kubernetes"` or `"etcd"`).
///
/// On `FIPS_STATUS_OK`, `*info_json` is the `VersionInfo` as JSON: `{"input", "version",
/// "fips", "fips_build", "tag", "component"}` (`tag` is null for a valid version too long
/// for any tag). Otherwise nothing is written: `FIPS_STATUS_VERSION_INVALID`,
/// `FIPS_STATUS_COMPONENT_UNKNOWN`, or a 2xx input status.
///
/// # Safety
///
/// `version` and `component` are NULL or NUL-terminated strings; `info_json` is NULL or
/// valid for a write of a pointer.
#[no_mangle]
pub unsafe extern "C" fn fips_version_parse_json(
    version: *const c_char,
    component: *const c_char,
    info_json: *mut *mut c_char,
) -> fips_status {
    const F: &str = "fips_version_parse_json";
    boundary::status(F, || {
        // SAFETY: the caller's contract.
        let text = unsafe { input(F, "version", version) }?;
        // SAFETY: the caller's contract.
        let comp = unsafe { input(F, "component", component) }?;
        let out = Out::new(F, "info_json", info_json)?;
        let comp = self::component(F, comp)?;
        let info = self::version(F, text)?.describe(text, comp);
        // SAFETY: checked non-NULL; the caller's contract.
        unsafe { write(F, out, json(F, &info)?) }
    })
}

/// The image tag of `version` for `component` (`"kubernetes"` or `"etcd"`), by kubeadm's
/// rule: `1.22.8+fips.0` -> `v1.22.8_fips.0`.
///
/// On `FIPS_STATUS_OK`, `*tag` is the tag, to free with `fips_string_free`. Otherwise
/// nothing is written: `FIPS_STATUS_VERSION_INVALID`, `FIPS_STATUS_COMPONENT_UNKNOWN`,
/// `FIPS_STATUS_TAG_INVALID` (longer than 128 characters), or a 2xx input status.
///
/// # Safety
///
/// `version` and `component` are NULL or NUL-terminated strings; `tag` is NULL or valid for
/// a write of a pointer.
#[no_mangle]
pub unsafe extern "C" fn fips_version_to_tag(
    version: *const c_char,
    component: *const c_char,
    tag: *mut *mut c_char,
) -> fips_status {
    const F: &str = "fips_version_to_tag";
    boundary::status(F, || {
        // SAFETY: the caller's contract.
        let text = unsafe { input(F, "version", version) }?;
        // SAFETY: the caller's contract.
        let comp = unsafe { input(F, "component", component) }?;
        let out = Out::new(F, "tag", tag)?;
        let comp = self::component(F, comp)?;
        let made = self::version(F, text)?
            .to_tag(comp)
            .map_err(|e| Failure::core(F, &e.into()))?;
        // SAFETY: checked non-NULL; the caller's contract.
        unsafe { write(F, out, made.into()) }
    })
}

/// The version an image tag stands for: `v3.4.13_fips.0` -> `3.4.13+fips.0` (written
/// without `v`). A tag with more than one `_` is refused, never guessed at.
///
/// On `FIPS_STATUS_OK`, `*version` is the version, to free with `fips_string_free`.
/// Otherwise nothing is written: `FIPS_STATUS_TAG_INVALID`, `FIPS_STATUS_TAG_LOSSY`,
/// `FIPS_STATUS_TAG_NOT_A_VERSION`, or a 2xx input status.
///
/// # Safety
///
/// `tag` is NULL or a NUL-terminated string; `version` is NULL or valid for a write of a
/// pointer.
#[no_mangle]
pub unsafe extern "C" fn fips_tag_to_version(
    tag: *const c_char,
    version: *mut *mut c_char,
) -> fips_status {
    const F: &str = "fips_tag_to_version";
    boundary::status(F, || {
        // SAFETY: the caller's contract.
        let tag = unsafe { input(F, "tag", tag) }?;
        let out = Out::new(F, "version", version)?;
        let found = FipsVersion::from_tag(tag).map_err(|e| Failure::core(F, &e.into()))?;
        // SAFETY: checked non-NULL; the caller's contract.
        unsafe { write(F, out, found.to_string()) }
    })
}

/// Parses and normalises a container image reference (distribution/reference grammar;
/// `docker.io` for Docker Hub and its aliases, `library/` for single names).
///
/// On `FIPS_STATUS_OK`, `*image_json` is the `ImageRef` as JSON: `{"registry",
/// "repository", "tag", "digest", "reference"}` (`tag` and `digest` may be null).
/// Otherwise nothing is written: `FIPS_STATUS_IMAGE_INVALID`, or a 2xx input status.
///
/// # Safety
///
/// `image` is NULL or a NUL-terminated string; `image_json` is NULL or valid for a write of
/// a pointer.
#[no_mangle]
pub unsafe extern "C" fn fips_image_parse_json(
    image: *const c_char,
    image_json: *mut *mut c_char,
) -> fips_status {
    const F: &str = "fips_image_parse_json";
    boundary::status(F, || {
        // SAFETY: the caller's contract.
        let text = unsafe { input(F, "image", image) }?;
        let out = Out::new(F, "image_json", image_json)?;
        let image = ImageRef::parse(text).map_err(|e| Failure::core(F, &e.into()))?;
        // SAFETY: checked non-NULL; the caller's contract.
        unsafe { write(F, out, json(F, &image)?) }
    })
}

/// Parses os-release text as os-release(5) defines it (quotes, escapes, comments; a key
/// given twice keeps its last value). Never a parse error: lines that are not assignments
/// are ignored and their numbers listed.
///
/// On `FIPS_STATUS_OK`, `*result_json` is `{"fields": {KEY: value}, "ignored_lines": [n],
/// "id"}` (`fields` as written, `id` with the default `linux`). Otherwise nothing is
/// written: a 2xx input status.
///
/// # Safety
///
/// `text` is NULL or a NUL-terminated string; `result_json` is NULL or valid for a write of
/// a pointer.
#[no_mangle]
pub unsafe extern "C" fn fips_os_release_parse_json(
    text: *const c_char,
    result_json: *mut *mut c_char,
) -> fips_status {
    const F: &str = "fips_os_release_parse_json";
    boundary::status(F, || {
        // SAFETY: the caller's contract.
        let text = unsafe { input(F, "text", text) }?;
        let out = Out::new(F, "result_json", result_json)?;
        // SAFETY: checked non-NULL; the caller's contract.
        unsafe { write(F, out, json(F, &OsRelease::parse(text))?) }
    })
}

/// One entry of `fips_codes_json`.
#[derive(Serialize)]
struct CodeJson {
    code: &'static str,
    area: &'static str,
    summary: &'static str,
}

/// Every finding code any verdict can carry, in registry order.
///
/// On `FIPS_STATUS_OK`, `*codes_json` is a JSON array of `{"code", "area", "summary"}`
/// (`area`: `request`, `transition`, `host`, `scan` or `module`). Otherwise nothing is
/// written: `FIPS_STATUS_NULL_PARAMETER`.
///
/// # Safety
///
/// `codes_json` is NULL or valid for a write of a pointer.
#[no_mangle]
pub unsafe extern "C" fn fips_codes_json(codes_json: *mut *mut c_char) -> fips_status {
    const F: &str = "fips_codes_json";
    boundary::status(F, || {
        let out = Out::new(F, "codes_json", codes_json)?;
        let codes: Vec<CodeJson> = Code::ALL
            .iter()
            .map(|c| CodeJson {
                code: c.as_str(),
                area: c.area(),
                summary: c.summary(),
            })
            .collect();
        // SAFETY: checked non-NULL; the caller's contract.
        unsafe { write(F, out, json(F, &codes)?) }
    })
}
