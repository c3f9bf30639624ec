//! Real test servers for the Rust tests: a kube-apiserver with the Cluster API CRDs
//! ([`kube`]) and an OCI registry ([`registry`]), brought up by `scripts/kube-harness` and
//! `scripts/registry-harness` on free loopback ports.
//!
//! Include it from a test file with
//! `#[path = "../../tests/harness/mod.rs"] mod harness;`.
//!
//! When the binaries are not built, a test skips with a note on stderr, except under
//! `CI=true`, where a missing server is a failure (run `scripts/install-deps`, which builds
//! them, or `scripts/kube-harness build`).

// Each test binary uses only part of these helpers.
#![allow(dead_code)]

pub mod kube;
pub mod registry;
pub mod server;
pub mod subjects;
