//! phirewall finds protected health information (PHI) in clinical text.
//!
//! It covers the identifiers of the HIPAA Safe Harbor method that appear in text: dates, ages
//! over 89, phone and fax numbers, e-mail, URLs, IP addresses, SSNs, medical record, health plan,
//! account, license, vehicle, device and other identifying numbers, ZIP codes, and (as the
//! dictionaries land) names and places.
//!
//! # Example
//!
//! ```
//! use phirewall::{Engine, Kind};
//!
//! let engine = Engine::new()?;
//! let note = "92 yo F seen 3/4/21. MRN: 00123456. Call (617) 555-0199.";
//! for f in engine.detect(note) {
//!     println!("{} {:?} {}", f.kind, f.span, &note[f.span.range()]);
//! }
//! let kinds: Vec<Kind> = engine.detect(note).iter().map(|f| f.kind).collect();
//! assert_eq!(kinds, [Kind::Age, Kind::Date, Kind::Mrn, Kind::Phone]);
//! # Ok::<(), phirewall::Error>(())
//! ```
//!
//! # Known identifiers
//! When the caller knows whose record a note is, [`Engine::detect_known`] with a [`Known`]
//! (names, MRN, address, any other identifier) finds every occurrence of those values, in the
//! spellings notes use, together with the usual findings.
//!
//! # Offsets
//! A [`Finding`] carries a byte [`Span`] into the text you passed, always on character
//! boundaries. [`OffsetIndex`] converts byte offsets to code point offsets (Python, JSON) and
//! UTF-16 offsets (JavaScript).
//!
//! # Threads
//! [`Engine`] is `Send + Sync` and cheap to clone: build it once and share it.
//! [`Engine::detect_batch`] spreads a batch over rayon's thread pool.
//!
//! # Secrecy
//! Findings own no text, and no error, panic message or `Debug` output of this crate contains
//! input text.

#![deny(missing_docs)]

mod detect;
mod dict;
mod engine;
mod error;
mod finding;
mod known;
pub mod text;

pub use engine::{Builder, Engine};
pub use error::{Error, ErrorKind};
pub use finding::{Finding, Kind, Span, UnknownKind};
pub use known::Known;
pub use text::OffsetIndex;
