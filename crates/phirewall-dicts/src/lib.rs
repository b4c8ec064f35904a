//! Dictionaries for phirewall: first names, surnames, US places, street and unit words, common
//! English words and hand-written clinical lists, compiled into one FST map.
//!
//! This crate holds data, not logic. [`TERMS`] is an [`fst`](https://docs.rs/fst) map from a
//! lowercase term (multi-word terms with single spaces, e.g. `"new york"`) to a `u64`:
//!
//! | bits  | meaning |
//! | ----- | ------- |
//! | 0-15  | class bit set ([`FIRST_NAME`], [`SURNAME`], [`CITY`], ...) |
//! | 16-31 | first-name rank ([`FIRST_RANK_SHIFT`]), 0 = not a first name |
//! | 32-47 | surname rank ([`SURNAME_RANK_SHIFT`]), 0 = not a surname |
//! | 48-63 | English-word rank ([`WORD_RANK_SHIFT`]), 0 = not an English word |
//!
//! It is kept apart from the engine so the data can be versioned (and replaced) on its own:
//! [`VERSION`] names the data, [`FORMAT`] the value layout. `phirewall` opens the map in place,
//! without copying or parsing it.
//!
//! The map is built by `cargo xtask dicts` from the word lists in the repository's
//! `dictionaries/` directory; `dictionaries/SOURCES.md` says where each list comes from, under
//! which licence and how it was made, and `NOTICES` holds the sources' licence notices.

#![no_std]
#![deny(missing_docs)]

mod layout;

pub use layout::*;

/// Version of the dictionary data; bumped whenever `data/terms.fst` changes.
pub const VERSION: &str = env!("CARGO_PKG_VERSION");

/// The FST map (see the crate documentation for the value layout).
pub static TERMS: &[u8] = include_bytes!("../data/terms.fst");
