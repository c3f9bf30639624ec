//! Reads the objects `fips` audits from a live Kubernetes API server.
//!
//! The network half of `fipsctl audit --kubeconfig`: load a kubeconfig context, find which
//! of [`fips_core::AUDITED_KINDS`] the server serves and at which version (the newest the
//! audit reads), and list each in pages (`limit` / `continue`), turning every page into
//! [`fips_core::Object`]s with the same reader the offline audit uses
//! ([`fips_core::read_objects`]), so that the same objects give the same report. No policy
//! logic lives here: the caller passes the objects to [`fips_core::audit`].
//!
//! Memory stays bounded by one page of raw JSON at a time: a page is parsed and dropped
//! before the next is asked for, and what the audit never reads (`metadata.managedFields`,
//! `status`) is dropped from each object.
//!
//! A kind the server does not serve (no CRD: say, no CAPA) is a [`Note`], not a failure.
//! A kind it serves only at versions the audit cannot read is an error (reading the rest
//! could call a cluster compliant whose control plane was never seen). A `403 Forbidden`
//! is [`Error::Forbidden`], naming every verb and resource the user lacks.
//!
//! ```no_run
//! use fips_kube::{read_live, Scope, Source};
//! let source = Source::new("/home/me/.kube/config".into(), Scope::AllNamespaces);
//! let listed = read_live(&source)?;
//! let report = fips_core::audit(&listed.objects, fips_core::Policy::embedded())?;
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```

#![forbid(unsafe_code)]

mod config;
mod discovery;
mod error;
mod list;
mod source;

pub use discovery::{choose_version, Served};
pub use error::{Denied, Error};
pub use list::{read_live, Listed, Note};
pub use source::{Scope, Source, DEFAULT_CHUNK_SIZE, DEFAULT_TIMEOUT};
