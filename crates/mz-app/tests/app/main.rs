//! The client stories of mz-app, one test binary: each module below is a
//! story file, and they share the platform on loopback in `common`. One
//! binary links the platform, the store and the print engine once instead of
//! seven times (build time and disk in CI).

// A story that finds something wrong says so by failing on the spot.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]

mod common;

mod appointments;
mod bindings;
mod crash;
mod divorce;
mod documents;
mod figures;
mod files;
mod funeral;
mod library;
mod logout;
mod marriage;
mod office;
mod schedule;
mod search;
mod security;
mod sync;
