//! The parts of `fips-webhook`, as a library so the fuzz target and the tests reach the
//! review decoder: [`decide`] (review -> fips-core -> response), [`related`] (reads through
//! the API server), [`server`] (routes, bounds, shutdown), [`tls`] and [`reload`] (the serving
//! certificate and policy read again on change), [`metrics`] and [`log`].

#![forbid(unsafe_code)]

pub mod decide;
pub mod log;
pub mod metrics;
pub mod related;
pub mod reload;
pub mod server;
pub mod tls;
