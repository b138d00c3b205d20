//! The rules of Minzheng Desk, as pure functions over plain types.
//!
//! This crate owns what the law and the national standards say, and what the
//! department decided about who may see and change what: GB/T 2260 region
//! codes ([`region`]), roles and their access scope ([`access`]), the
//! statutory holiday calendar and the counting of legal periods ([`holiday`]),
//! identity card numbers and personal names ([`identity`]), the conditions
//! of marriage registration and the divorce cooling-off periods ([`marriage`]),
//! the funeral home's papers, certificates and waivers ([`funeral`]), the
//! leadership schedule's spans, slots and visibility ([`schedule`]),
//! official-document handling's kinds, numbers and steps ([`office`]),
//! certificate-number sequences ([`numbering`]), telephone numbers ([`phone`]), and how large a field or a
//! record may be ([`limits`]), and the files kept beside records ([`blob`]).
//!
//! It must not do I/O, read the clock or make random values: whatever a rule
//! needs (today's date, an id) is passed in, so every rule is tested with a
//! table of cases and no setup.

pub mod access;
pub mod blob;
pub mod fulltext;
pub mod funeral;
pub mod holiday;
pub mod identity;
pub mod issue;
pub mod limits;
pub mod marriage;
pub mod numbering;
pub mod office;
pub mod phone;
pub mod region;
pub mod schedule;

pub use access::{Action, AppModule, Resource, Role, Scope};
pub use holiday::HolidayCalendar;
pub use identity::{IdNumber, Sex};
pub use issue::FieldIssue;
pub use numbering::SequenceKey;
pub use region::RegionCode;
