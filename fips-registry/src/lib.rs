//! Reads container images straight from an OCI distribution registry for the scanner, as
//! `crane` and `skopeo` read them: no container runtime, nothing saved to disk.
//!
//! [`RegistryImage::resolve`] reads the manifest (or image index, choosing the platform)
//! named by a `docker://` reference, checking its SHA-256 with aws-lc-rs; the result is a
//! [`fips_core::ImageSource`], so [`fips_core::scan_image_source`] judges it with the same
//! code as a saved archive. Layers stream from the download through a bounded channel into
//! a blocking reader that hashes as it reads and fails, naming the digest, when the bytes do
//! not match ([`stream`]); fips-core checks the same digest again before any file of the
//! layer is judged.
//!
//! Network code lives here, never in fips-core (which stays pure).

mod auth;
mod error;
mod mirror;
mod platform;
mod source;
pub mod stream;
mod transfer;

pub use auth::{docker_config_path, Credentials};
pub use mirror::{resolve_through_mirrors, scan_reference, RegistryRead, RegistryScan};
pub use platform::Platform;
pub use source::{RegistryImage, RegistryOptions, ResolveError, DOCKER_TRANSPORT};
pub use transfer::Transfer;
