// The layout of a value in `terms.fst`. This file is shared, through `#[path]`, with
// crates/xtask, which writes the map: one definition keeps the writer and the readers in step
// without making xtask depend on the compiled data it produces.

/// Version of the value layout below. Bump it when a bit or a field moves, so a reader built for
/// another layout can refuse the data instead of misreading it.
pub const FORMAT: u32 = 1;

/// The longest term in the map, in bytes. A longer input cannot be an entry, so a reader can
/// answer "absent" without normalizing it, and can normalize into a fixed stack buffer.
pub const MAX_TERM_LEN: usize = 64;

// Classes: bits of the low 16 bits of a value. A term has every class of every list it is in
// ("walker" is a surname, a first name, an English word and a medical term).

/// A given name from the SSA baby-name data (`first_names.txt`).
pub const FIRST_NAME: u16 = 1 << 0;
/// A surname from the 2010 Census (`surnames.txt`).
pub const SURNAME: u16 = 1 << 1;
/// A US city, town or other populated place (`cities.txt`).
pub const CITY: u16 = 1 << 2;
/// A US county, parish or borough, with and without its suffix (`counties.txt`).
pub const COUNTY: u16 = 1 << 3;
/// A US state or territory name (`states.txt`).
pub const STATE: u16 = 1 << 4;
/// A postal or AP abbreviation of a state ("ma", "calif"); many are also English words ("in",
/// "me", "or"), so a reader should require capitals or an address around it (`state_abbrs.txt`).
pub const STATE_ABBR: u16 = 1 << 5;
/// A USPS street suffix or its abbreviation ("street", "st", "ave") (`street_suffixes.txt`).
pub const STREET_SUFFIX: u16 = 1 << 6;
/// A USPS secondary unit designator ("apt", "suite", "fl") (`unit_designators.txt`).
pub const UNIT: u16 = 1 << 7;
/// A common English word, SCOWL sizes 10-70 (`english_words.txt`).
pub const ENGLISH_WORD: u16 = 1 << 8;
/// A medical eponym or a clinical word that collides with a name ("parkinson", "foley",
/// "walker") (`medical_terms.txt`).
pub const MEDICAL_TERM: u16 = 1 << 9;
/// A drug name, brand or generic ("lasix", "heparin") (`drugs.txt`).
pub const DRUG: u16 = 1 << 10;
/// A lab, ward or order abbreviation ("micu", "bun", "inr") (`clinical_abbrs.txt`).
pub const CLINICAL_ABBR: u16 = 1 << 11;
/// A word or phrase that marks a facility name ("hospital", "nursing home")
/// (`facility_words.txt`).
pub const FACILITY: u16 = 1 << 12;
/// A title, credential or name suffix ("dr", "mrs", "rn", "jr") (`titles.txt`).
pub const TITLE: u16 = 1 << 13;
/// A relation or cue phrase next to a name ("wife", "seen by", "cc") (`relation_cues.txt`).
pub const RELATION_CUE: u16 = 1 << 14;

/// Every class bit defined above. Bit 15 is free for a later class.
pub const ALL_CLASSES: u16 = (1 << 15) - 1;

// Ranks: three 16-bit fields above the classes. 0 means "not in that list".

/// Shift of the first-name rank: 1 = most frequent SSA name, ties share a rank, ranks past
/// 65,535 are stored as 65,535.
pub const FIRST_RANK_SHIFT: u32 = 16;
/// Shift of the surname rank: 1 = most frequent Census surname, ties share a rank, ranks past
/// 65,535 are stored as 65,535.
pub const SURNAME_RANK_SHIFT: u32 = 32;
/// Shift of the English-word rank: the smallest SCOWL size class the word is in (10, 20, 35,
/// 40, 50, 55, 60 or 70). Smaller is more common, as with the other ranks.
pub const WORD_RANK_SHIFT: u32 = 48;
