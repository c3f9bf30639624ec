//! Registry failures as fips-core errors: the CLI gives every one exit status 2, and each
//! names the image and what to do.

use std::path::PathBuf;

use fips_core::{Error, ScanError};
use oci_client::errors::OciDistributionError;

/// An error about the image `name` (`docker://...`).
pub(crate) fn failed(name: &str, reason: String) -> Error {
    ScanError::Malformed {
        path: PathBuf::from(name),
        reason,
    }
    .into()
}

/// A registry client error, said in the words of the HTTP status it stands for.
pub(crate) fn describe(e: &OciDistributionError, what: &str) -> String {
    match e {
        OciDistributionError::UnauthorizedError { url } => format!(
            "{what}: 401 Unauthorized from {url}: log in (crane auth login / docker login) so \
             that $DOCKER_CONFIG/config.json or ~/.docker/config.json holds credentials for \
             this registry"
        ),
        OciDistributionError::AuthenticationFailure(why) => format!(
            "{what}: the registry's token service refused the credentials ({}); check the \
             `auths` entry for this registry in the Docker config",
            why.trim()
        ),
        OciDistributionError::RegistryError { envelope, url } => {
            use oci_client::errors::OciErrorCode as C;
            let has = |f: fn(&C) -> bool| envelope.errors.iter().any(|e| f(&e.code));
            let hint = if has(|c| matches!(c, C::BlobUnknown | C::ManifestUnknown | C::NameUnknown))
            {
                "404 not found: check the repository, tag or digest"
            } else if has(|c| matches!(c, C::Denied)) {
                "403 denied: the credentials have no pull access to this repository"
            } else if has(|c| matches!(c, C::Unauthorized)) {
                "401 unauthorized: log in (crane auth login / docker login) so that the Docker \
                 config holds credentials for this registry"
            } else {
                "refused by the registry"
            };
            let codes = envelope.to_string();
            format!("{what}: {hint} ({url}: {codes})")
        }
        OciDistributionError::ServerError { code, url, message } => {
            let hint = match code {
                403 => "403 Forbidden: the credentials have no pull access to this repository",
                404 => "404 Not Found: check the repository, tag or digest",
                _ => "the registry answered with an error",
            };
            format!(
                "{what}: {hint} (HTTP {code} from {url}: {})",
                message.trim()
            )
        }
        OciDistributionError::RequestError(r) if r.is_timeout() => format!(
            "{what}: the registry did not answer in time ({r}); check that it is up and \
             reachable"
        ),
        OciDistributionError::RequestError(r) if r.is_connect() => format!(
            "{what}: cannot connect to the registry ({r}): check that it is up at that \
             address; a registry served over plain HTTP must be named with \
             --insecure-registry HOST:PORT"
        ),
        other => format!("{what}: {other}"),
    }
}

/// Whether a registry client error means the image is not there to be read (404 for the
/// repository, tag or manifest) or the registry cannot be reached (refused, timed out):
/// the failures after which a pull may go on to the next location, as
/// containers-registries.conf(5) goes from a mirror to the next. An authentication error,
/// a denial or anything else is not: it is said, never passed over.
pub(crate) fn is_absent(e: &OciDistributionError) -> bool {
    use oci_client::errors::OciErrorCode as C;
    match e {
        OciDistributionError::RegistryError { envelope, .. } => {
            !envelope.errors.is_empty()
                && envelope
                    .errors
                    .iter()
                    .all(|e| matches!(e.code, C::ManifestUnknown | C::NameUnknown))
        }
        OciDistributionError::ServerError { code, .. } => *code == 404,
        OciDistributionError::ImageManifestNotFoundError(_) => true,
        OciDistributionError::RequestError(r) => r.is_connect() || r.is_timeout(),
        _ => false,
    }
}
