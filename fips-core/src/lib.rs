//! `fips-core`: one answer to the FIPS 140 questions of Kubernetes provisioning.
//!
//! - Is this request a real FIPS build? [`validate`] a [`ClusterRequest`] against a [`Policy`].
//! - Which image tags does it pull? [`pulled_images`], [`FipsVersion::to_tag`] and back with
//!   [`FipsVersion::from_tag`].
//! - Is this host or OS image supported, and really in FIPS mode? [`HostFips::probe`].
//! - Is this upgrade allowed? [`check_transition`].
//! - Is the crypto underneath healthy? [`selftest()`]: Known-Answer Tests, fail closed;
//!   [`randomness_selftest`] before the first use of randomness.
//!
//! Every verdict carries [`Finding`]s with stable [`Code`]s; every error is an [`Error`].
//!
//! ```
//! use fips_core::{validate, ClusterRequest, Policy};
//! let request = ClusterRequest::from_args([
//!     "dkp", "create", "cluster", "aws", "--cluster-name", "myFipsCluster",
//!     "--ami=ami-03dcaa75d45aca36f", "--kubernetes-version=1.22.8+fips.0",
//!     "--kubernetes-image-repository=docker.io/mesosphere",
//!     "--etcd-image-repository=docker.io/mesosphere", "--etcd-version=3.4.13+fips.0",
//! ])?;
//! assert!(validate(&request, Policy::embedded())?.compliant);
//! # Ok::<(), fips_core::Error>(())
//! ```

#![forbid(unsafe_code)]
#![warn(missing_docs)]

mod admission;
mod args;
mod audit;
mod boot;
mod cluster;
mod cmdline;
mod codes;
mod correction;
mod error;
mod host;
mod image;
mod lifecycle;
mod manifest;
mod marker;
mod os;
mod policy;
mod pull;
mod report;
mod request;
mod root;
mod scan;
mod selftest;
mod suggest;
mod tag;
mod validate;
mod version;

pub use admission::{admit, Admission, AdmissionRequest, FIPS_REQUIRED_LABEL};
pub use audit::{
    audit, audit_text, audit_update, audited_images, check_object_transition, AuditReport,
    ClusterImages, ClusterReport, ObjectFinding,
};
pub use cluster::{AuditedKind, AUDITED_KINDS};
pub use codes::{Code, UnknownCode};
pub use correction::{corrected_command, has_placeholder};
pub use error::{
    Error, FileError, ImageError, ManifestError, PolicyError, RequestError, RootError, ScanError,
    SelfTestError, TagError, VersionError,
};
pub use host::{HostFips, HostSignals};
pub use image::{ImageRef, ImageRepository, DOCKER_HUB};
pub use lifecycle::{check_transition, TransitionReport};
pub use manifest::{read_objects, Object, ObjectRef, MAX_MANIFEST_BYTES, MAX_OBJECTS};
pub use marker::FipsMarker;
pub use os::{HostOs, OsRelease};
pub use policy::{Build, ComponentBuild, CryptoModule, Mirror, Policy, ScanPolicy, SupportedOs};
pub use pull::{pulled_images, PulledImage};
pub use report::{Finding, Report, Severity};
pub use request::{ClusterRequest, OsSpec, OtherFlag, MAX_REQUEST_BYTES};
pub use root::read_text_file;
pub use scan::{
    scan_each, scan_image_source, scan_paths, BuildSettings, Evidence, EvidenceSource, Format,
    GoBuildInfo, GoModule, ImageSource, ScanOptions, ScanReport, ScanResult, Signal,
};
#[doc(hidden)]
pub use scan::{scan_layer_entries, TarEntryView};
pub use selftest::{
    fips_module, module_name, randomness_selftest, selftest, KatResult, SelfTestReport,
};
pub use suggest::suggest_judged_flag;
pub use tag::Tag;
pub use validate::{validate, UPSTREAM_REPOSITORY};
pub use version::{Component, FipsVersion, VersionInfo};
