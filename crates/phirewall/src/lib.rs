//! phirewall finds protected health information (PHI) in clinical text.
//!
//! It covers the identifiers of the HIPAA Safe Harbor method that appear in text: dates, ages
//! over 89, phone and fax numbers, e-mail, URLs, IP addresses, SSNs, medical record, health plan,
//! account, license, vehicle, device and other identifying numbers, ZIP codes, names, and places
//! (streets, cities, counties, facilities).
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
//! # De-identification
//! A [`Deidentifier`] applies a [`Policy`] (an operator per kind: redact, tag, mask, keyed hash,
//! consistent surrogate, date shift, Safe Harbor generalization) to the findings. Keyed operators
//! need a caller-held [`Secret`]; [`Deidentifier::pseudonymize`] records its replacements in a
//! [`Vault`] so a model's response can be restored and checked for echoed originals.
//!
//! ```
//! use phirewall::{Deidentifier, Engine, Policy, Secret, Vault};
//!
//! let secret = Secret::new(b"a caller-held key, 16+ bytes".to_vec())?;
//! let deid = Deidentifier::new(Engine::new()?, Policy::llm_prompt(), Some(secret))?;
//! let mut vault = Vault::new();
//! let prompt = deid.pseudonymize("MRN: 00123456, seen 3/4/21.", Some("patient-1"), &mut vault)?;
//! assert!(!prompt.text.contains("00123456"));
//! assert_eq!(vault.restore(&prompt.text), "MRN: 00123456, seen 3/4/21.");
//! # Ok::<(), phirewall::Error>(())
//! ```
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
mod ops;
mod policy;
mod secret;
pub mod text;

pub use engine::{Builder, Engine};
pub use error::{Error, ErrorKind};
pub use finding::{Finding, Kind, Span, UnknownKind};
pub use known::Known;
pub use ops::{Deidentified, Deidentifier, Echo, Replacement, Vault};
pub use policy::{MaskOptions, Op, Policy, Rule, ShiftRange, HHS_RESTRICTED_ZIP3, PRESETS};
pub use secret::{Secret, MIN_SECRET_LEN};
pub use text::OffsetIndex;

/// The README's examples, compiled and run as doc tests so they cannot go stale.
#[cfg(doctest)]
#[doc = include_str!("../../../README.md")]
pub struct ReadmeDoctests;
