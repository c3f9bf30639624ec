//! `fips_scan_registry_json`: an image read straight from its registry (fips-registry,
//! through the policy's mirrors) and judged as `fipsctl scan docker://REF` judges it.

use std::{ffi::c_char, path::PathBuf, time::Duration};

use fips_registry::{scan_reference, Platform, RegistryOptions};
use serde::Deserialize;

use crate::{
    boundary::{self, Done, Failure},
    fips_policy, fips_status,
    io::{c_string, input, Out},
    policy::policy_or_default,
    verdicts::scan_negative,
};

/// The `options_json` object: the registry options of `fipsctl scan`, by the names of
/// [`RegistryOptions`]; a field left out keeps its default. An unknown field is refused
/// (a misspelt `insecure_registry` must not silently mean HTTPS-only, nor a misspelt bound
/// no bound).
#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
struct OptionsJson {
    platform: Option<String>,
    #[serde(default)]
    all_platforms: bool,
    #[serde(default)]
    insecure_registries: Vec<String>,
    #[serde(default)]
    ca_certificates: Vec<PathBuf>,
    docker_config: Option<PathBuf>,
    connect_timeout_seconds: Option<u64>,
    read_timeout_seconds: Option<u64>,
    max_blob_bytes: Option<u64>,
    max_image_bytes: Option<u64>,
}

/// What `options_json` may hold, for the messages that refuse it.
const FIELDS: &str = "platform (\"os/arch[/variant]\"), all_platforms (true/false), \
                      insecure_registries ([\"HOST:PORT\"]), ca_certificates ([PEM paths]), \
                      docker_config (a path), connect_timeout_seconds, read_timeout_seconds, \
                      max_blob_bytes, max_image_bytes (positive integers)";

fn invalid(function: &str, reason: String) -> Failure {
    Failure::new(
        fips_status::OptionsInvalid,
        format!("{function}: options_json: {reason}"),
    )
}

/// A bound or time-out given: zero would refuse every read (or wait on none), never what
/// is meant, so it is refused rather than taken.
fn positive(function: &str, field: &str, value: Option<u64>) -> Result<Option<u64>, Failure> {
    match value {
        Some(0) => Err(invalid(
            function,
            format!("{field} is 0; give a positive number, or leave the field out for the default"),
        )),
        other => Ok(other),
    }
}

/// Parses `options_json` (`None`: the defaults) into the registry options.
fn registry_options(function: &str, text: Option<&str>) -> Result<RegistryOptions, Failure> {
    let mut options = RegistryOptions::default();
    let Some(text) = text else {
        return Ok(options);
    };
    let given: OptionsJson = serde_json::from_str(text).map_err(|e| {
        invalid(
            function,
            format!("{e}; give a JSON object with any of: {FIELDS}"),
        )
    })?;
    if given.platform.is_some() && given.all_platforms {
        return Err(invalid(
            function,
            "platform and all_platforms both given; give one (all_platforms scans every \
             platform of an index)"
                .into(),
        ));
    }
    if let Some(platform) = &given.platform {
        options.platform = platform
            .parse::<Platform>()
            .map_err(|e| invalid(function, e))?;
    }
    options.all_platforms = given.all_platforms;
    options.insecure_registries = given.insecure_registries;
    options.ca_certificates = given.ca_certificates;
    options.docker_config = given.docker_config;
    let seconds =
        |field, value| positive(function, field, value).map(|v| v.map(Duration::from_secs));
    if let Some(t) = seconds("connect_timeout_seconds", given.connect_timeout_seconds)? {
        options.connect_timeout = t;
    }
    if let Some(t) = seconds("read_timeout_seconds", given.read_timeout_seconds)? {
        options.read_timeout = t;
    }
    if let Some(n) = positive(function, "max_blob_bytes", given.max_blob_bytes)? {
        options.max_blob_bytes = n;
    }
    if let Some(n) = positive(function, "max_image_bytes", given.max_image_bytes)? {
        options.max_image_bytes = n;
    }
    Ok(options)
}

/// Reads the image `reference` names (`REGISTRY/NAME:TAG`, `...@sha256:...`, or either
/// after `docker://`) straight from its registry through the OCI distribution API, and scans
/// every binary in it for the crypto module it links, under `policy` (NULL: the embedded
/// default), as `fipsctl scan docker://REF` does. The policy's `[[mirrors]]` are honoured:
/// a reference whose repository has declared mirrors is read from the first mirror that
/// serves it, and never from the upstream (as `fipsctl`).
///
/// `options_json` is NULL (the defaults) or a JSON object with any of: `platform`
/// (`"os/arch[/variant]"`, the platform of an image index to scan, default `linux/amd64`),
/// `all_platforms` (scan every platform of an index; not with `platform`),
/// `insecure_registries` (`["HOST:PORT"]`, the only registries spoken to over plain HTTP),
/// `ca_certificates` (PEM files trusted besides the system's CAs), `docker_config` (the
/// Docker `config.json` whose credentials are used; default `$DOCKER_CONFIG/config.json`,
/// else `~/.docker/config.json`), `connect_timeout_seconds` (default 10),
/// `read_timeout_seconds` (between two reads, default 60), `max_blob_bytes` (one blob as
/// stored, default 8 GiB), `max_image_bytes` (all the blobs, default 16 GiB). An unknown
/// field, a field of the wrong type, a zero bound or time-out, or a bad platform is
/// `FIPS_STATUS_OPTIONS_INVALID`, the message naming the field and what to give.
///
/// On `FIPS_STATUS_OK` (every binary the policy names is a FIPS build with an accepted
/// module) and `FIPS_STATUS_SCAN_NOT_COMPLIANT`, `*report_json` is the report as JSON, byte
/// for byte what `fipsctl --json scan docker://REF` prints for the same image and options
/// (without its final newline): the `ScanReport` fields (`"results"`, `"findings"`,
/// `"compliant"`; see `fips_scan_json`), then `"registry": {"reference", "read", "mirror"
/// (only when a policy mirror was read), "digest" (of the manifest or index read),
/// "platforms"}`. Otherwise nothing is written: `FIPS_STATUS_SCAN_FAILED` (kind `scan`: the
/// reference does not parse; the registry cannot be reached, refuses (401, 403), lacks the
/// image (404), or does not answer in time; a bound is passed; a manifest or blob does not
/// match its digest; no policy mirror serves it; a `ca_certificates` or `docker_config` file
/// cannot be read. The message names the reference, the digest or the file, and what to
/// do), `FIPS_STATUS_OPTIONS_INVALID`, `FIPS_STATUS_SELF_TEST_FAILED`, or another 2xx input
/// status.
///
/// The call blocks while it reads (each read bounded by the time-outs); the image is
/// streamed, never held whole in memory or written to disk. Every blob is checked against
/// its SHA-256 digest as it streams, and nothing from a blob that does not match reaches a
/// verdict.
///
/// # Safety
///
/// `policy` is NULL or a live handle; `reference` is NULL or a NUL-terminated string;
/// `options_json` is NULL or a NUL-terminated string; `report_json` is NULL or valid for a
/// write of a pointer.
#[no_mangle]
pub unsafe extern "C" fn fips_scan_registry_json(
    policy: *const fips_policy,
    reference: *const c_char,
    options_json: *const c_char,
    report_json: *mut *mut c_char,
) -> fips_status {
    const F: &str = "fips_scan_registry_json";
    boundary::status(F, || {
        // SAFETY: the caller's contract.
        let policy = unsafe { policy_or_default(policy) };
        // SAFETY: the caller's contract.
        let reference = unsafe { input(F, "reference", reference) }?;
        let options = if options_json.is_null() {
            None
        } else {
            // SAFETY: the caller's contract.
            Some(unsafe { input(F, "options_json", options_json) }?)
        };
        let out = Out::new(F, "report_json", report_json)?;
        let options = registry_options(F, options)?;
        let scan = scan_reference(reference, policy, &options, &Default::default())
            .map_err(|e| Failure::core(F, &e))?;
        // Pretty, as fipsctl prints it: the same bytes from the CLI and from every binding.
        let text = serde_json::to_string_pretty(&scan).map_err(|e| {
            Failure::new(
                fips_status::Internal,
                format!("{F}: cannot serialise the result ({e}); this is a defect in libfips"),
            )
        })?;
        let text = c_string(F, text)?;
        // SAFETY: checked non-NULL; the caller's contract.
        unsafe { out.write(text) };
        Ok(Done::verdict(
            scan.report.compliant,
            fips_status::ScanNotCompliant,
            || scan_negative(F, &scan.report),
        ))
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    const F: &str = "fips_scan_registry_json";

    fn refused(text: &str) -> String {
        let failure = registry_options(F, Some(text)).unwrap_err();
        assert_eq!(failure.status, fips_status::OptionsInvalid, "{text}");
        failure.explanation.message
    }

    #[test]
    fn no_options_are_the_defaults() {
        let options = registry_options(F, None).unwrap();
        let defaults = RegistryOptions::default();
        assert_eq!(options.platform, defaults.platform);
        assert_eq!(options.max_image_bytes, defaults.max_image_bytes);
        assert!(options.insecure_registries.is_empty());
    }

    #[test]
    fn every_field_is_read() {
        let options = registry_options(
            F,
            Some(
                r#"{"platform": "linux/arm64/v8", "insecure_registries": ["127.0.0.1:5000"],
                    "ca_certificates": ["/ca.pem"], "docker_config": "/d/config.json",
                    "connect_timeout_seconds": 3, "read_timeout_seconds": 4,
                    "max_blob_bytes": 5, "max_image_bytes": 6}"#,
            ),
        )
        .unwrap();
        assert_eq!(options.platform.to_string(), "linux/arm64/v8");
        assert_eq!(options.insecure_registries, ["127.0.0.1:5000"]);
        assert_eq!(options.ca_certificates, [PathBuf::from("/ca.pem")]);
        assert_eq!(options.docker_config, Some(PathBuf::from("/d/config.json")));
        assert_eq!(options.connect_timeout, Duration::from_secs(3));
        assert_eq!(options.read_timeout, Duration::from_secs(4));
        assert_eq!((options.max_blob_bytes, options.max_image_bytes), (5, 6));
    }

    #[test]
    fn an_unknown_field_is_refused_by_name() {
        let message = refused(r#"{"insecure_registry": ["127.0.0.1:5000"]}"#);
        assert!(message.contains("insecure_registry"), "{message}");
        assert!(message.contains("insecure_registries"), "{message}");
    }

    #[test]
    fn a_field_of_the_wrong_type_is_refused() {
        let message = refused(r#"{"all_platforms": "yes"}"#);
        assert!(message.contains("options_json"), "{message}");
        assert!(refused("[]").contains("options_json"));
    }

    #[test]
    fn a_bad_platform_is_refused_by_name() {
        let message = refused(r#"{"platform": "linux"}"#);
        assert!(message.contains("platform \"linux\""), "{message}");
    }

    #[test]
    fn platform_with_all_platforms_is_refused() {
        let message = refused(r#"{"platform": "linux/amd64", "all_platforms": true}"#);
        assert!(message.contains("all_platforms"), "{message}");
    }

    #[test]
    fn a_zero_bound_is_refused_by_name() {
        for field in [
            "connect_timeout_seconds",
            "read_timeout_seconds",
            "max_blob_bytes",
            "max_image_bytes",
        ] {
            let message = refused(&format!("{{\"{field}\": 0}}"));
            assert!(message.contains(&format!("{field} is 0")), "{message}");
        }
    }
}
