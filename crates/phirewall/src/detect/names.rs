//! NAME: the names of patients, relatives and clinicians, found from the words around them.
//!
//! A name has no shape of its own: "Young", "Brown" and "Will" are names and English words,
//! "Foley" is a surname and a catheter, and many names in notes are in no list at all (rare or
//! misspelled). So the evidence is context first and the dictionary second:
//!
//! | rule | accepts | score |
//! | --- | --- | --- |
//! | `name.title` | 1-3 name words after a title: "Dr. Young", "MRS. J. O'NEIL", "dr vasquez" | 0.9 |
//! | `name.relation` | a name after a relation word ("son Tom", "wife (Mary)", "daughter, Ann Lee"), or before one in parentheses or commas ("Mary (wife)", "Tom, son,") | 0.85 |
//! | `name.credential` | a name before a credential: "Smith, MD", "J. Smith RN", "Kim PA-C" | 0.85 |
//! | `name.cue` | a listed, uncommon name after an action cue ("seen by", "per", "paged", "page", "contact", "reach", "spoke with", "made with", "d/w", "cc:") or before "aware"/"notified"/"called"/"paged"/"visited" or a verb of speech or coming ("states", "asked", "agrees", "arrived") (also in parentheses, "(Lina Ostrowski) aware", and joined by a slash, "Kowalczyk/Oyelaran aware"); names joined by a slash after a title ("Dr. Kowalczyk/Oyelaran"); a frequent first name that is also a word before a plain surname ("per hazel wojcik") | 0.8 |
//! | `name.relation` (roles) | a name before a role in parentheses or commas: "Dirk Kowalski (resident)" | 0.85 |
//! | `name.cue` (labels) | a plain listed name after "Name:", "Patient:" | 0.8 |
//! | `name.cue` (roles) | any name-like word after "nurse", "caseworker", "RN", "NP": "nurse Ann Lee" | 0.8 |
//! | `name.cue` (contacts) | 1-3 name words opening a sentence or line before a phone label and its number: "Marisela Quintanar cell# ..." | 0.8 |
//! | `name.pair` | a listed first name followed by a listed surname, neither a common English word ("Maria Kowalski"), or "Kowalski, Maria" | 0.75 |
//! | `name.title` (more) | a lowercase name after a lowercase title in a cased note ("dr stone aware"); a listed name that is a common word between a title and a report word ("DR BANKER AWARE"); a function-word first name before a surname ("Dr May Hartigan"); "Dr. o malley" | 0.9 |
//! | `name.title` (initial) | a patient named by an initial after Mr/Mrs/Ms/Miss: "Mr. K. remains", "mr I remained" (lowercase note) | 0.9 |
//! | `name.initial` | an initial with its period before a listed name, no cue needed: "Z. FULLER IN TO", "and M. Gruenwald suturing" (not "S. aureus", "O. See flowsheet", "vitamin K. Long") | 0.8 |
//! | `name.relation` (is) | the name before "is" and a relation or role: "Anneliese is family contact", "wife(?) Marylou", "Daughter, Tia," | 0.85 |
//! | `name.pair` (intro) | in a caseless note, a listed first name and surname opening a line before "is a": "althea kowalski is a 68 y/o" | 0.75 |
//! | `name.capital` | in a lowercase note, a capitalized listed first name inside a sentence ("once Rosalind woke") | 0.75 |
//! | `name.credential` (signature) | a line of 1-3 name words ending with a credential, in any case: "rosalie kwiatkowska rn", "delphine t. castillo-orr bsn/rn" | 0.85 |
//! | `name.signature` | 1-3 words after the last sentence of a paragraph (before a blank line or the end), read as a name from a frequent first name of 4+ letters: "... AT 0300. BETTY" (not "MAE.", "PERL.") | 0.75 |
//! | `name.repeat` | another occurrence, in the same document, of a word found by the rules above | 0.7 |
//!
//! In a caseless note an initial needs its period, except first and before a plain listed name
//! ("per d kowalski", not "by x ray"), or a capital letter opening a name before a report word
//! ("J KOWALSKI ORDERED", not "VIT K ORDERED").
//!
//! An initial with its period vouches for the word after it ("per B. Dravnik", "T. Miller
//! aware"), and a frequent first name for the surname after it ("dtr Doris Reed"), so those
//! surnames may be unlisted or eponyms. A frequent first name followed by an unlisted word is a
//! pair when capitalized in a cased note, or alone on its line as a signature.
//!
//! What is left alone, and why:
//! - Common English words (SCOWL sizes 10-35) are names only after a title or a relation word
//!   ("Dr. Brown", "son Will"), never after a weaker cue and never by repetition: "Brown stool",
//!   "white count", "will call", "May 3".
//! - Drugs, ward and lab abbreviations, titles and relation words are never names; eponyms
//!   (`medical_terms.txt`: "Foley", "Parkinson", "Whipple") only after a title or relation word,
//!   so "Foley catheter" and "Parkinson's disease" stay untouched while "Dr. Foley" is found.
//! - A bare capitalized word is not a name without context: capitals also mark sentence starts,
//!   headings and drug brands.
//! - In caseless notes (all capitals or all lowercase), capitalization says nothing, so a word
//!   after a weak cue must be a listed name that is not a common word. But in a note that is
//!   (nearly) all lowercase, a capitalized word stands out as in a cased note: there it is
//!   judged as in a cased note ("dr K Vantrelli", "Gerald Oskarsson arrived").
//!
//! Names never run across a line break. A name's span covers its words, inner initials with their
//! period ("J. Smith") and hyphens ("Quellhorst-Moore"), but not a title, a credential or a
//! possessive "'s".
//!
//! The dictionary is consulted only for words next to a cue, capitalized words (cased notes) and,
//! in caseless notes, the words the pair rule looks at; lookups are cached per token.

use std::cell::Cell;

use super::terms::{pack_lower, Lists, TermTable};
use super::words::{Words, LETTER_INDEX};
use crate::dict::{Class, Entry};
use crate::text::{Shape, Token};
use crate::{Finding, Kind, Span};

const TITLE_SCORE: f32 = 0.9;
const RELATION_SCORE: f32 = 0.85;
const CREDENTIAL_SCORE: f32 = 0.85;
const CUE_SCORE: f32 = 0.8;
const PAIR_SCORE: f32 = 0.75;
const REPEAT_SCORE: f32 = 0.7;

/// An English word of a SCOWL size up to this one (about 39,000 words) is "common": a name
/// only with a title or a relation word in front of it.
const COMMON_WORD_RANK: u16 = 35;

/// A common word is still accepted after a title or a relation word when it is at least this
/// frequent as a first name or surname ("Dr. Young", "son Frank"), but not when it is a rare
/// name ("dr plan", "wife care").
const FREQUENT_NAME_RANK: u16 = 5_000;

/// After an initial, a common word is a surname if it is at least this frequent as a name
/// ("B. Marsh" yes, "A. Square" no).
const INITIALED_NAME_RANK: u16 = 20_000;

/// Without a title or a relation word, a listed name must rank within these limits: the tails
/// of the lists hold many non-names ("gi", "vanco" are Census surnames).
const LISTED_FIRST_RANK: u16 = 30_000;
const LISTED_SURNAME_RANK: u16 = 60_000;

/// The pair rule in caseless notes needs a frequent first name: two listed words in a row are
/// otherwise too common in shorthand.
const CASELESS_PAIR_FIRST_RANK: u16 = crate::dict::FREQUENT_FIRST_RANK;

/// "John Smith": in a cased note, a capitalized first name and surname both this frequent are a
/// name even when each is also a common word ("john", "smith", "rich", "young"). A rank in the
/// top few hundred of both lists, and the capitals, outweigh the word reading.
const FREQUENT_PAIR_FIRST_RANK: u16 = 400;
const FREQUENT_PAIR_SURNAME_RANK: u16 = 1_000;

/// Classes that are never a name without a title or relation word, and never a repeated name.
const NOT_A_NAME: u16 = Class::Drug as u16
    | Class::ClinicalAbbr as u16
    | Class::Title as u16
    | Class::RelationCue as u16
    | Class::Facility as u16;

/// What a cue word says about the words next to it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Cue {
    /// A title: the following words are a name ("Dr", "Mrs").
    Title,
    /// A credential after a name ("MD", "RN"); several also stand before one ("NP Smith").
    Credential,
    /// A credential that is also a state abbreviation ("PA", "MD"): checked against addresses.
    StateCredential,
    /// A relation: a name follows or stands in parentheses before it ("wife", "son").
    Relation,
    /// An action or role before a name ("seen by", "per", "paged").
    Action,
    /// An action cue that is also a role after a name ("seen by resident", "Dirk Kowalski
    /// (resident)").
    Staff,
    /// A role written before a name like a title ("nurse Ann", "caseworker Lee").
    Role,
    /// "to", "with": an action cue only after a verb of talking ("spoke to", "met with").
    Preposition,
    /// "other": a relation after "significant" / "sig".
    Other,
    /// A report after a name ("Smith aware", "Jones notified"); also an action before one.
    After,
    /// A phone label after a name in a contact list ("Marisela Quintanar cell# ...").
    Label,
    /// A verb after a person ("Kowalczyk states", "Lee arrived"): a name may stand before it.
    Report,
}

/// The cue words and what they say; looked up by [`cue_of`].
const CUE_WORDS: &[(&str, Cue)] = &[
    ("dr", Cue::Title),
    ("drs", Cue::Title),
    ("dr's", Cue::Title),
    ("mr", Cue::Title),
    ("mrs", Cue::Title),
    ("ms", Cue::Title),
    ("miss", Cue::Title),
    ("mx", Cue::Title),
    ("prof", Cue::Title),
    ("professor", Cue::Title),
    ("doctor", Cue::Title),
    ("rn", Cue::Credential),
    ("bsn", Cue::Credential),
    ("msn", Cue::Credential),
    ("ccrn", Cue::Credential),
    ("licsw", Cue::Credential),
    ("np", Cue::Credential),
    ("rrt", Cue::Credential),
    ("lpn", Cue::Credential),
    ("cna", Cue::Credential),
    ("crna", Cue::Credential),
    ("aprn", Cue::Credential),
    ("fnp", Cue::Credential),
    ("phd", Cue::Credential),
    ("pharmd", Cue::Credential),
    ("rph", Cue::Credential),
    ("msw", Cue::Credential),
    ("lcsw", Cue::Credential),
    ("dds", Cue::Credential),
    ("dmd", Cue::Credential),
    ("do", Cue::Credential),
    ("md", Cue::StateCredential),
    ("pa", Cue::StateCredential),
    ("wife", Cue::Relation),
    ("husband", Cue::Relation),
    ("spouse", Cue::Relation),
    ("son", Cue::Relation),
    ("sons", Cue::Relation),
    ("daughter", Cue::Relation),
    ("daughters", Cue::Relation),
    ("dtr", Cue::Relation),
    ("dtrs", Cue::Relation),
    ("sister", Cue::Relation),
    ("sisters", Cue::Relation),
    ("brother", Cue::Relation),
    ("brothers", Cue::Relation),
    ("mother", Cue::Relation),
    ("father", Cue::Relation),
    ("mom", Cue::Relation),
    ("dad", Cue::Relation),
    ("friend", Cue::Relation),
    ("friends", Cue::Relation),
    ("neighbor", Cue::Relation),
    ("neighbour", Cue::Relation),
    ("niece", Cue::Relation),
    ("nephew", Cue::Relation),
    ("nephews", Cue::Relation),
    ("nieces", Cue::Relation),
    ("neice", Cue::Relation),
    ("grandaughter", Cue::Relation),
    ("lawyer", Cue::Relation),
    ("attorney", Cue::Relation),
    ("grandson", Cue::Relation),
    ("granddaughter", Cue::Relation),
    ("grandmother", Cue::Relation),
    ("grandfather", Cue::Relation),
    ("aunt", Cue::Relation),
    ("uncle", Cue::Relation),
    ("cousin", Cue::Relation),
    ("hcp", Cue::Relation),
    ("proxy", Cue::Relation),
    ("partner", Cue::Relation),
    ("fiance", Cue::Relation),
    ("fiancee", Cue::Relation),
    ("guardian", Cue::Relation),
    ("boyfriend", Cue::Relation),
    ("girlfriend", Cue::Relation),
    ("caregiver", Cue::Relation),
    ("stepson", Cue::Relation),
    ("stepdaughter", Cue::Relation),
    ("stepmother", Cue::Relation),
    ("stepfather", Cue::Relation),
    ("roommate", Cue::Relation),
    ("spokesperson", Cue::Relation),
    ("per", Cue::Action),
    ("name", Cue::Action),
    ("patient", Cue::Action),
    ("by", Cue::Action),
    ("called", Cue::After),
    ("paged", Cue::After),
    ("page", Cue::Action),
    ("paging", Cue::Action),
    ("contact", Cue::Action),
    ("contacted", Cue::Action),
    ("contacts", Cue::Action),
    ("reach", Cue::Action),
    ("reached", Cue::Action),
    ("visited", Cue::After),
    ("phoned", Cue::After),
    ("cc", Cue::Action),
    ("covering", Cue::Action),
    ("attending", Cue::Staff),
    ("resident", Cue::Staff),
    ("fellow", Cue::Staff),
    ("intern", Cue::Staff),
    ("w", Cue::Action),
    ("ho", Cue::Action),
    ("pcp", Cue::Staff),
    ("surgeon", Cue::Staff),
    ("physician", Cue::Staff),
    ("chaplain", Cue::Staff),
    ("rabbi", Cue::Staff),
    ("nurse", Cue::Role),
    ("caseworker", Cue::Role),
    ("practitioner", Cue::Role),
    ("to", Cue::Preposition),
    ("with", Cue::Preposition),
    ("aware", Cue::After),
    ("notified", Cue::After),
    ("informed", Cue::After),
    ("updated", Cue::After),
    ("other", Cue::Other),
    ("states", Cue::Report),
    ("stated", Cue::Report),
    ("asked", Cue::Report),
    ("requested", Cue::Report),
    ("agrees", Cue::Report),
    ("agreed", Cue::Report),
    ("arrived", Cue::Report),
    ("ordered", Cue::Report),
    ("came", Cue::Report),
    ("understands", Cue::Report),
    ("verbalized", Cue::Report),
    ("expressed", Cue::Report),
    ("cell", Cue::Label),
    ("home", Cue::Label),
    ("work", Cue::Label),
    ("phone", Cue::Label),
    ("pager", Cue::Label),
    ("beeper", Cue::Label),
    ("mobile", Cue::Label),
];

/// Slots of [`CUE_TABLE`] (a power of two, several times the cue words, so probes are short).
const CUE_SLOTS: usize = 1024;

/// The first slot of [`CUE_TABLE`] to probe for a packed word: a multiplicative hash of its
/// two halves, high bits.
const fn cue_slot(key: u128) -> usize {
    let mixed = (key as u64) ^ ((key >> 64) as u64).rotate_left(29);
    (mixed.wrapping_mul(0x9E37_79B9_7F4A_7C15) >> 54) as usize & (CUE_SLOTS - 1)
}

/// The cue words packed by [`pack_lower`] (shared with the term tables) in an open-addressing hash table (linear probing;
/// key 0, which no packed word has, marks an empty slot). Built at compile time: the exact
/// test of [`cue_of`] is a hash and one or two integer compares, with no initialization check.
static CUE_TABLE: [(u128, Cue); CUE_SLOTS] = {
    let mut table = [(0u128, Cue::Title); CUE_SLOTS];
    let mut i = 0;
    while i < CUE_WORDS.len() {
        let (word, cue) = CUE_WORDS[i];
        let Some(key) = pack_lower(word.as_bytes()) else {
            panic!("a cue word is longer than 15 bytes");
        };
        let mut slot = cue_slot(key);
        while table[slot].0 != 0 {
            slot = (slot + 1) & (CUE_SLOTS - 1);
        }
        table[slot] = (key, cue);
        i += 1;
    }
    table
};

/// Bit `len` of `FIRST_LENGTHS[byte]`: some cue word of that length starts with that byte
/// (either case). The first and cheapest filter of [`cue_of`].
static FIRST_LENGTHS: [u16; 256] = {
    let mut lengths = [0u16; 256];
    let mut i = 0;
    while i < CUE_WORDS.len() {
        let b = CUE_WORDS[i].0.as_bytes();
        if b.len() < 16 {
            lengths[b[0].to_ascii_lowercase() as usize] |= 1 << b.len();
            lengths[b[0].to_ascii_uppercase() as usize] |= 1 << b.len();
        }
        i += 1;
    }
    lengths
};

/// Bit `len` of `CUE_LENGTHS[a][b]`: some cue word of that length starts with letters a, b (a
/// one-letter word counts as followed by "a"). Built at compile time: the second filter of
/// [`cue_of`], two table loads and no initialization check.
static CUE_LENGTHS: [[u16; 26]; 26] = {
    let mut lengths = [[0u16; 26]; 26];
    let mut i = 0;
    while i < CUE_WORDS.len() {
        let b = CUE_WORDS[i].0.as_bytes();
        let a = LETTER_INDEX[b[0] as usize] as usize;
        let c = if b.len() > 1 {
            LETTER_INDEX[b[1] as usize] as usize
        } else {
            0
        };
        if a < 26 && c < 26 && b.len() < 16 {
            lengths[a][c] |= 1 << b.len();
        }
        i += 1;
    }
    lengths
};

/// Bit `len` of `CUE_ENDS[a << 5 | z]`: some cue word of that length starts with letter `a` and
/// ends with letter `z` ([`LETTER_INDEX`]; index 26, a byte that is no letter, has no cue
/// word). "pain" shares its first letters and length with "page", "hct" with "hcp": the first
/// and last letter together rule out some three times more words than the last letter and the
/// length did. Rows of 32, so that [`may_be_cue`] reads it with two shifts and a mask, without
/// a bounds check or a branch.
static CUE_ENDS: [u32; 32 * 32] = {
    let mut ends = [0u32; 32 * 32];
    let mut i = 0;
    while i < CUE_WORDS.len() {
        let b = CUE_WORDS[i].0.as_bytes();
        let a = LETTER_INDEX[b[0] as usize] as usize;
        let z = LETTER_INDEX[b[b.len() - 1] as usize] as usize;
        if a < 26 && b.len() < 16 {
            ends[a << 5 | z] |= 1 << b.len();
        }
        i += 1;
    }
    ends
};

/// Whether `text` may be a cue word by its first and last letters and its length
/// ([`CUE_ENDS`]), without a branch: the token walk of [`find`] asks it of every token.
#[inline(always)]
fn may_be_cue(text: &str) -> bool {
    let b = text.as_bytes();
    let (Some(&first), Some(&last)) = (b.first(), b.last()) else {
        return false;
    };
    let a = usize::from(LETTER_INDEX[usize::from(first)]);
    let z = usize::from(LETTER_INDEX[usize::from(last)]);
    // No cue word has 16 bytes or more: longer words read an empty bit.
    CUE_ENDS[(a << 5 | z) & 1023] >> b.len().min(31) & 1 != 0
}

/// Classifies a word by its lowercase text, for the rules that ask about one word: filters on
/// the first byte, the first two letters, and the first and last letters, each with the
/// length, rule out most words before the exact test ([`cue_word`], a hash probe of the packed
/// word). The token walk of [`find`] has already asked [`may_be_cue`] and goes to
/// [`cue_word`] directly.
#[inline(always)]
fn cue_of(text: &str) -> Option<Cue> {
    let b = text.as_bytes();
    // Most words are ruled out by their first byte and length, one table load; most others by
    // their first two letters and length, without packing.
    let len = u32::try_from(b.len()).unwrap_or(u32::MAX);
    let first = FIRST_LENGTHS[usize::from(*b.first()?)];
    if first.checked_shr(len).unwrap_or(0) & 1 == 0 {
        return None;
    }
    let a = usize::from(LETTER_INDEX[usize::from(*b.first()?)]);
    let c = usize::from(LETTER_INDEX[usize::from(*b.get(1).unwrap_or(&b'a'))]);
    let lengths = CUE_LENGTHS.get(a).and_then(|row| row.get(c))?;
    if lengths.checked_shr(len).unwrap_or(0) & 1 == 0 {
        return None;
    }
    if !may_be_cue(text) {
        return None;
    }
    cue_word(text)
}

/// The exact test behind [`cue_of`]'s filter.
fn cue_word(text: &str) -> Option<Cue> {
    let key = pack_lower(text.as_bytes())?;
    let mut slot = cue_slot(key);
    // The table is at most a quarter full, so a probe ends at an empty slot.
    for _ in 0..CUE_SLOTS {
        let &(k, cue) = CUE_TABLE.get(slot)?;
        if k == key {
            return Some(cue);
        }
        if k == 0 {
            return None;
        }
        slot = (slot + 1) & (CUE_SLOTS - 1);
    }
    None
}

/// Labels of identifier fields, which follow titles in forms ("Dr. MRN", "Pt. DOB") but are
/// never surnames.
fn is_id_label(text: &str) -> bool {
    ["mrn", "ssn", "dob", "dea", "npi", "upin", "ein", "tin"]
        .iter()
        .any(|l| l.eq_ignore_ascii_case(text))
}

/// `bytes` lowercased into `buf`, for matching short words against byte-string lists; `None`
/// when the word does not fit (no listed word is that long).
#[inline]
fn lowercase_into<'b>(buf: &'b mut [u8; 10], bytes: &[u8]) -> Option<&'b [u8]> {
    let lower = buf.get_mut(..bytes.len())?;
    for (l, b) in lower.iter_mut().zip(bytes) {
        *l = b.to_ascii_lowercase();
    }
    Some(lower)
}

/// Words that are never part of a name after a cue, although some are listed names ("Will",
/// "May", "Do"): function words, and words that follow cues in notes ("dr aware", "son in");
/// and names of languages, capitalized like names.
const STOP_WORDS: &[&str] = &[
    "a",
    "about",
    "all",
    "also",
    "am",
    "an",
    "and",
    "any",
    "are",
    "as",
    "at",
    "aware",
    "be",
    "but",
    "by",
    "called",
    "can",
    "did",
    "do",
    "does",
    "for",
    "from",
    "had",
    "has",
    "have",
    "he",
    "her",
    "here",
    "him",
    "his",
    "i",
    "i'm",
    "in",
    "is",
    "it",
    "made",
    "may",
    "me",
    "my",
    "no",
    "not",
    "notified",
    "now",
    "of",
    "on",
    "or",
    "our",
    "per",
    "pm",
    "pt",
    "pts",
    "re",
    "she",
    "so",
    "that",
    "the",
    "their",
    "them",
    "then",
    "there",
    "they",
    "this",
    "to",
    "today",
    "tonight",
    "up",
    "us",
    "was",
    "we",
    "were",
    "who",
    "will",
    "with",
    "would",
    "you",
    "english",
    "spanish",
    "russian",
    "italian",
    "chinese",
    "french",
    "portuguese",
    "greek",
    "polish",
    "german",
    "haitian",
    "creole",
    "vietnamese",
    "korean",
    "japanese",
    "arabic",
    "hebrew",
    "hindi",
    "cantonese",
    "mandarin",
    "albanian",
    "armenian",
];

/// [`STOP_WORDS`] as a hash table (see [`TermTable`]): one probe of the packed word.
static STOP_TABLE: TermTable = TermTable::new(&[(STOP_WORDS, Lists(1))]);

/// Bit `len` of `STOP_LENGTHS[letter]`: some stop word of that length starts with that letter
/// ([`LETTER_INDEX`]; the last row, for bytes that are no letter, is empty). Most words asked
/// are names and other words of no stop word's first letter and length, ruled out by one table
/// load before the word is packed and hashed.
static STOP_LENGTHS: [u16; 27] = {
    let mut lengths = [0u16; 27];
    let mut i = 0;
    while i < STOP_WORDS.len() {
        let b = STOP_WORDS[i].as_bytes();
        assert!(b.len() < 16, "a stop word is longer than 15 bytes");
        lengths[LETTER_INDEX[b[0] as usize] as usize] |= 1 << b.len();
        i += 1;
    }
    lengths
};

/// Whether `text` is one of the [`STOP_WORDS`], in any case.
fn is_stop(text: &str) -> bool {
    // A filter on the first letter and the length, then the exact test: a hash probe, where a
    // `match` on the lowercased bytes cost some seventy instructions a word.
    let bytes = text.as_bytes();
    let Some(&first) = bytes.first() else {
        return false;
    };
    let lengths = STOP_LENGTHS
        .get(usize::from(LETTER_INDEX[usize::from(first)]))
        .copied()
        .unwrap_or(0);
    let len = u32::try_from(bytes.len()).unwrap_or(u32::MAX);
    if lengths.checked_shr(len).unwrap_or(0) & 1 == 0 {
        return false;
    }
    STOP_TABLE.lists(text) != Lists::NONE
}

/// Verbs and nouns of talking that make "to" and "with" an action cue ("spoke to", "met
/// with"). Matched as lowercased bytes after a filter on the first letter: "to" and "with" are
/// among the most frequent words, and the words before them rarely pass the filter.
fn is_talk(text: &str) -> bool {
    let bytes = text.as_bytes();
    // Most words before "to" and "with" are ruled out by their first letter and length.
    let first = bytes.first().map_or(0, |b| b.to_ascii_lowercase());
    if !matches!(first, b'c' | b'd' | b'e' | b'm' | b'r' | b's' | b't' | b'w') || bytes.len() < 3 {
        return false;
    }
    let mut buf = [0u8; 10];
    let Some(lower) = lowercase_into(&mut buf, bytes) else {
        return false;
    };
    matches!(
        lower,
        b"spoke"
            | b"spoken"
            | b"talked"
            | b"talk"
            | b"speak"
            | b"met"
            | b"discussed"
            | b"explained"
            | b"reported"
            | b"report"
            | b"meeting"
            | b"consult"
            | b"consulted"
            | b"work"
            | b"made"
            | b"contact"
            | b"touch"
            | b"conference"
    )
}

/// Days and months: capitalized by writers who capitalize nothing else, and several are given
/// names ("Wednesday", "June", "August").
fn is_calendar(text: &str) -> bool {
    super::calendar::is_day_or_month(text)
}

/// Lowercase particles that may stand inside a name ("Ludwig van Beethoven", "Maria de la Cruz").
fn is_particle(text: &str) -> bool {
    matches!(
        text,
        "de" | "la" | "del" | "van" | "der" | "von" | "da" | "di" | "le" | "du" | "st"
    )
}

fn is_word(t: &Token<'_>) -> bool {
    matches!(
        t.shape,
        Shape::Lower | Shape::Capitalized | Shape::AllCaps | Shape::MixedCase
    )
}

/// Whether word `t`, followed by `next`, may start a pair ("Maria Kowalski", "Kowalski,
/// Maria"): only such a word is looked up. Tested in the same pass as the cue words, so the
/// pair rule does not walk every token again.
fn pair_candidate(t: &Token<'_>, next: Option<&Token<'_>>, caseless: bool) -> bool {
    let Some(next) = next else {
        return false;
    };
    if caseless {
        t.text.len() >= 3 && is_word(next) && next.text.len() >= 2
    } else {
        t.shape == Shape::Capitalized
            && t.text.len() >= 2
            && (next.shape == Shape::Capitalized || next.text == ",")
    }
}

/// Whether `b` follows `a` with nothing in between.
fn touches(a: &Token<'_>, b: &Token<'_>) -> bool {
    a.span.end == b.span.start
}

/// The text of a word without a possessive "'s".
fn bare(text: &str) -> &str {
    let n = text.len();
    if n > 3 && text.is_char_boundary(n - 2) {
        let tail = &text[n - 2..];
        if tail.eq_ignore_ascii_case("'s") {
            return &text[..n - 2];
        }
    }
    text
}

fn is_name(e: Entry) -> bool {
    e.is(Class::FirstName) || e.is(Class::Surname)
}

/// The better of the two name ranks, 0 if neither list has the word.
fn name_rank(e: Entry) -> u16 {
    match (e.first_rank, e.surname_rank) {
        (0, r) | (r, 0) => r,
        (a, b) => a.min(b),
    }
}

/// A listed first name that is more a first name than a surname, and frequent if a word too.
fn is_first_name(e: Entry) -> bool {
    e.first_rank != 0
        && (e.surname_rank == 0 || e.first_rank <= e.surname_rank)
        && (!is_common(e) || e.first_rank <= FREQUENT_NAME_RANK)
        && e.classes & NOT_A_NAME == 0
}

fn is_common(e: Entry) -> bool {
    (1..=COMMON_WORD_RANK).contains(&e.word_rank)
}

/// A listed name with nothing else to it: not a common word, eponym, drug, abbreviation or
/// state, and not from the far tails of the lists.
fn is_plain(e: Entry) -> bool {
    let listed = (1..=LISTED_FIRST_RANK).contains(&e.first_rank)
        || (1..=LISTED_SURNAME_RANK).contains(&e.surname_rank);
    listed
        && !is_common(e)
        && e.classes & (NOT_A_NAME | Class::MedicalTerm as u16 | Class::State as u16) == 0
}

/// How much evidence stands in front of a word, which decides what the word may be.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Evidence {
    /// A title: any name-like word except common non-names, listed or not.
    Strong,
    /// A lowercase title in a cased note ("dr stone aware"): as `Strong`, and the writer's
    /// lowercase name after it is judged as if capitalized.
    LowerTitle,
    /// A relation word: as `Strong`, but in caseless notes only listed names ("wife nad" is
    /// shorthand, not a name).
    Kin,
    /// The last word of a name with a first name or initial before it ("Linda Jones, RN"): a
    /// listed name other than a drug or abbreviation, eponyms included, or an unknown word.
    Signed,
    /// A later word of a name already begun.
    Continued,
    /// The word after an initial ("B. Dravnik", "Dr B Marsh"): any capitalized word but function
    /// words, drugs and abbreviations.
    Initialed,
    /// A weaker cue: a listed, plain name.
    Plain,
}

/// The rule that found a name. A token's mark is one of these as a byte (0: unmarked), so the
/// marks of a note are one small zeroed allocation; score and detector name come from here.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[repr(u8)]
enum Rule {
    Title = 1,
    Relation,
    Credential,
    Cue,
    Initial,
    Pair,
    Capital,
    Signature,
    Repeat,
}

impl Rule {
    /// Every rule, in the order of their bytes (1, 2, ...).
    const ALL: [Rule; 9] = [
        Rule::Title,
        Rule::Relation,
        Rule::Credential,
        Rule::Cue,
        Rule::Initial,
        Rule::Pair,
        Rule::Capital,
        Rule::Signature,
        Rule::Repeat,
    ];

    /// The rule of a mark byte, `None` for 0 (unmarked).
    fn from_mark(mark: u8) -> Option<Rule> {
        Rule::ALL.get(usize::from(mark).checked_sub(1)?).copied()
    }

    fn score(self) -> f32 {
        match self {
            Rule::Title => TITLE_SCORE,
            Rule::Relation => RELATION_SCORE,
            Rule::Credential => CREDENTIAL_SCORE,
            Rule::Cue | Rule::Initial => CUE_SCORE,
            Rule::Pair | Rule::Capital | Rule::Signature => PAIR_SCORE,
            Rule::Repeat => REPEAT_SCORE,
        }
    }

    /// The detector name a finding carries.
    fn detector(self) -> &'static str {
        match self {
            Rule::Title => "name.title",
            Rule::Relation => "name.relation",
            Rule::Credential => "name.credential",
            Rule::Cue => "name.cue",
            Rule::Initial => "name.initial",
            Rule::Pair => "name.pair",
            Rule::Capital => "name.capital",
            Rule::Signature => "name.signature",
            Rule::Repeat => "name.repeat",
        }
    }
}

/// One word of a name: a word, a hyphenated word, or an initial with its period.
#[derive(Clone, Copy, Debug)]
struct Unit {
    /// First and last token.
    first: usize,
    last: usize,
    initial: bool,
    line: u32,
}

struct Scan<'a, 't> {
    words: &'a Words<'t>,
    toks: &'a [Token<'t>],
    caseless: bool,
    /// A caseless note that is (nearly) all lowercase: its capitalized words stand out.
    lower: bool,
    /// Lookups done so far, packed by [`pack_entry`] with this note's `stamp`: a slot with
    /// another stamp (or 0) was not looked up in this note.
    cache: Vec<u64>,
    /// The stamp of this note's slots of `cache` (1 to [`MAX_STAMP`]).
    stamp: u8,
    /// The best rule that claimed each token, as `Rule as u8`: 0 = none.
    marks: Vec<u8>,
}

/// Scratch buffers above this many tokens are not kept for the next note (see [`SCRATCH`]).
const SCRATCH_MAX_TOKENS: usize = 1 << 16;

/// The largest stamp of [`Scan::cache`]: stamps go 1, 2, ..., `MAX_STAMP`, 1, ... from one
/// note to the next, and the cache is zeroed whenever they start over, so a slot written with
/// the current stamp was written in the current note. Seven bits: the eighth of a slot's low
/// byte tells an entry from no entry.
const MAX_STAMP: u8 = 127;

/// Buffers of the last note a thread scanned, kept for the next note (see [`SCRATCH`]).
#[derive(Default)]
struct Scratch {
    /// [`Scan::cache`].
    cache: Vec<u64>,
    /// [`Scan::marks`].
    marks: Vec<u8>,
    /// [`Scan::stamp`] of the last note.
    stamp: u8,
    /// The token lists the walk over a note collects for the later rules: pair candidates,
    /// capitalized words of a lowercase note, initials, vocatives and paragraph ends.
    candidates: Vec<usize>,
    capitals: Vec<usize>,
    initials: Vec<usize>,
    vocatives: Vec<usize>,
    paragraphs: Vec<usize>,
}

impl Scratch {
    const EMPTY: Scratch = Scratch {
        cache: Vec::new(),
        marks: Vec::new(),
        stamp: 0,
        candidates: Vec::new(),
        capitals: Vec::new(),
        initials: Vec::new(),
        vocatives: Vec::new(),
        paragraphs: Vec::new(),
    };
}

thread_local! {
    /// The buffers of the last note this thread scanned, kept for the next note: the lookup
    /// cache, marks and token lists cost no allocation (a `calloc` costs more than the
    /// zeroing) and the lists no regrowing (about three `realloc`s a note, 4M instructions a
    /// pass over the synthetic corpus), and the stamp spares zeroing the cache (eight bytes a
    /// token) in all but one note of [`MAX_STAMP`]. Buffers of huge documents are dropped
    /// instead of kept.
    static SCRATCH: Cell<Scratch> = const { Cell::new(Scratch::EMPTY) };
}

/// Adds this family's candidates to `out`.
pub(crate) fn find(words: &Words<'_>, out: &mut Vec<Finding>) {
    let toks = words.tokens();
    let Scratch {
        mut cache,
        mut marks,
        stamp: last_stamp,
        mut candidates,
        mut capitals,
        mut initials,
        mut vocatives,
        mut paragraphs,
    } = SCRATCH.take();
    let stamp = last_stamp % MAX_STAMP + 1;
    if stamp == 1 {
        cache.clear();
    }
    if cache.len() < toks.len() {
        cache.resize(toks.len(), 0);
    }
    marks.clear();
    marks.resize(toks.len(), 0);
    for list in [
        &mut candidates,
        &mut capitals,
        &mut initials,
        &mut vocatives,
        &mut paragraphs,
    ] {
        list.clear();
    }
    let mut scan = Scan {
        words,
        toks,
        caseless: words.caseless(),
        lower: words.mostly_lower(),
        cache,
        stamp,
        marks,
    };
    let mut any = false;
    let mut line = 0;
    for (i, t) in toks.iter().enumerate() {
        // Most tokens share the line of the one before: one compare, and a second one at a
        // line break for a blank line before it.
        if t.line != line {
            if t.line > line + 1 {
                if let Some(p) = i.checked_sub(1) {
                    paragraphs.push(p);
                }
            }
            line = t.line;
        }
        // One branch dismisses most tokens: a token may start a rule only if it may be a cue
        // word, is capitalized, or, in a caseless note, has three bytes or more (a pair may
        // start there). The three tests are combined without a branch each: whether a word
        // passes one has no pattern from one word to the next, and as separate branches they
        // mispredicted on most words.
        let cue = may_be_cue(t.text);
        let capital = t.shape == Shape::Capitalized;
        let long = scan.caseless & (t.text.len() >= 3);
        if !(cue | capital | long) || !is_word(t) {
            continue;
        }
        let next = toks.get(i + 1);
        if capital {
            if t.text.len() == 1 {
                if next.is_some_and(|d| d.text == "." && touches(t, d)) {
                    initials.push(i);
                }
            } else {
                if scan.lower {
                    capitals.push(i);
                }
                // `"Rosalind, where am I?"`: opening a quotation, before a comma.
                let quoted = i
                    .checked_sub(1)
                    .and_then(|p| toks.get(p))
                    .is_some_and(|q| q.text == "\"" && touches(q, t));
                if quoted && next.is_some_and(|d| d.text == "," && touches(t, d)) {
                    vocatives.push(i);
                }
                // In a cased note only a capitalized word starts a pair: tested here, where
                // the shape is known, the lowercase words skip the test below.
                if !scan.caseless && pair_candidate(t, next, false) {
                    candidates.push(i);
                }
            }
        }
        // `may_be_cue` said yes: only the exact test is left (the other filters of `cue_of`
        // would cost more than the probes they spare).
        if let Some(cue) = cue.then(|| cue_word(t.text)).flatten() {
            any |= scan.at_cue(i, cue);
        }
        if scan.caseless && pair_candidate(t, next, true) {
            candidates.push(i);
        }
    }
    any |= scan.pairs(&candidates);
    any |= scan.capitals(&capitals);
    any |= scan.initialed(&initials);
    any |= scan.vocatives(&vocatives);
    any |= scan.paragraph_ends(&paragraphs);
    if any {
        scan.repeat();
        scan.emit(out);
    }
    if toks.len() <= SCRATCH_MAX_TOKENS {
        SCRATCH.set(Scratch {
            cache: scan.cache,
            marks: scan.marks,
            stamp: scan.stamp,
            candidates,
            capitals,
            initials,
            vocatives,
            paragraphs,
        });
    }
}

impl<'a, 't> Scan<'a, 't> {
    fn tok(&self, j: usize) -> Option<&'a Token<'t>> {
        self.toks.get(j)
    }

    /// Whether capitalization says nothing about token `j`: the note is caseless and `j` is not
    /// a capitalized word standing out in a lowercase note.
    fn caseless_at(&self, j: usize) -> bool {
        self.caseless
            && !(self.lower
                && self
                    .tok(j)
                    .is_some_and(|t| matches!(t.shape, Shape::Capitalized | Shape::MixedCase)))
    }

    fn text_is(&self, j: usize, texts: &[&str]) -> bool {
        self.tok(j)
            .is_some_and(|t| texts.iter().any(|s| s.eq_ignore_ascii_case(t.text)))
    }

    fn entry(&mut self, j: usize) -> Option<Entry> {
        let stamp = self.stamp;
        if let Some(cached) = self
            .cache
            .get(j)
            .copied()
            .and_then(|slot| unpack_entry(slot, stamp))
        {
            return cached;
        }
        let found = self
            .toks
            .get(j)
            .and_then(|t| self.words.dict().lookup(bare(t.text)));
        if let (Some(slot), Some(packed)) = (self.cache.get_mut(j), pack_entry(found, stamp)) {
            *slot = packed;
        }
        found
    }

    /// What the dictionary says about a unit: a hyphenated unit is a name if a part is, and a
    /// common word or non-name only if every part is.
    fn unit_entry(&mut self, u: Unit) -> Option<Entry> {
        if u.first == u.last || u.initial {
            return self.entry(u.first);
        }
        let mut merged: Option<Entry> = None;
        let mut all_known = true;
        for j in (u.first..=u.last).step_by(2) {
            match self.entry(j) {
                None => all_known = false,
                // A part that is a word and no name ("co-signature", "pt-states") makes the
                // whole a word.
                Some(e)
                    if !is_name(e)
                        || e.classes & NOT_A_NAME != 0
                        || (is_common(e) && name_rank(e) > FREQUENT_NAME_RANK) =>
                {
                    return Some(e)
                }
                Some(e) => {
                    merged = Some(match merged {
                        None => e,
                        Some(m) => Entry {
                            classes: (m.classes & e.classes)
                                | ((m.classes | e.classes)
                                    & (Class::FirstName as u16 | Class::Surname as u16)),
                            first_rank: min_rank(m.first_rank, e.first_rank),
                            surname_rank: min_rank(m.surname_rank, e.surname_rank),
                            word_rank: if m.word_rank == 0 || e.word_rank == 0 {
                                0
                            } else {
                                m.word_rank.max(e.word_rank)
                            },
                        },
                    })
                }
            }
        }
        match merged {
            Some(mut e) if !all_known => {
                // An unknown part ("Quellhorst-") makes the whole unlike any listed word.
                e.word_rank = 0;
                e.classes &= Class::FirstName as u16 | Class::Surname as u16;
                Some(e)
            }
            other => other,
        }
    }

    /// The unit starting at token `j`, if `j` starts a word.
    fn unit(&self, j: usize) -> Option<Unit> {
        let t = self.tok(j)?;
        if !is_word(t) {
            return None;
        }
        if t.text.len() == 1 {
            // A letter glued to what precedes it is no initial: "90's", "w/u", "h.o.";
            // after an opening bracket, quote or dash it still is: "(B. Kay".
            if j.checked_sub(1).and_then(|p| self.tok(p)).is_some_and(|p| {
                touches(p, t) && !matches!(p.text, "(" | "[" | "\"" | "-" | ":" | "," | ";")
            }) {
                return None;
            }
            let dot = self
                .tok(j + 1)
                .is_some_and(|d| d.text == "." && touches(t, d));
            return Some(Unit {
                first: j,
                last: if dot { j + 1 } else { j },
                initial: true,
                line: t.line,
            });
        }
        let mut last = j;
        while let (Some(a), Some(h), Some(b)) =
            (self.tok(last), self.tok(last + 1), self.tok(last + 2))
        {
            // "Quellhorst-Moore" is one name, "Ashford-thinking" a name and a word.
            let word = || {
                self.words.dict().lookup(b.text).is_some_and(|e| {
                    !is_name(e) || (is_common(e) && name_rank(e) > FREQUENT_NAME_RANK)
                })
            };
            if h.text == "-"
                && touches(a, h)
                && touches(h, b)
                && is_word(b)
                && last - j < 4
                && !word()
            {
                last += 2;
            } else {
                break;
            }
        }
        Some(Unit {
            first: j,
            last,
            initial: false,
            line: t.line,
        })
    }

    /// The unit ending at token `j` (a word, or the period of an initial).
    fn unit_ending(&self, j: usize) -> Option<Unit> {
        let t = self.tok(j)?;
        let mut first = j;
        if t.text == "." {
            first = j.checked_sub(1)?;
            let u = self.unit(first)?;
            return (u.initial && u.last == j).then_some(u);
        }
        while first >= 2 {
            let (Some(h), Some(a)) = (self.tok(first - 1), self.tok(first - 2)) else {
                break;
            };
            let cur = self.tok(first)?;
            if h.text == "-" && touches(h, cur) && touches(a, h) && is_word(a) && j - first < 4 {
                first -= 2;
            } else {
                break;
            }
        }
        let u = self.unit(first)?;
        (u.last == j).then_some(u)
    }

    /// Whether the unit is written like a name: capitalized in a cased note.
    fn capital(&self, u: Unit) -> bool {
        self.caseless
            || self.tok(u.first).is_some_and(|t| {
                matches!(
                    t.shape,
                    Shape::Capitalized | Shape::AllCaps | Shape::MixedCase
                )
            })
    }

    /// Whether unit `u` (not an initial) may be a word of a name given the evidence.
    fn accepts(&mut self, u: Unit, evidence: Evidence) -> bool {
        let Some(t) = self.tok(u.first) else {
            return false;
        };
        if u.first == u.last && is_stop(bare(t.text)) {
            return false;
        }
        let letters = t.text.len() >= 2;
        let capital = self.capital(u);
        // Decided before the lookup: a lowercase word in a cased note needs a title.
        if !capital && !matches!(evidence, Evidence::Strong | Evidence::LowerTitle) {
            return false;
        }
        let entry = self.unit_entry(u);
        if !capital {
            // A lowercase word in a cased note is a name only right after a title and only if
            // it is no English word: "Dr. ridley" yes, "dr. green" no.
            let uncommon = entry.map_or(true, |e| is_name(e) && !is_common(e));
            if !((evidence == Evidence::Strong && uncommon) || evidence == Evidence::LowerTitle) {
                return false;
            }
        }
        match (evidence, entry) {
            (Evidence::Plain, Some(e)) => is_plain(e),
            (Evidence::Plain, None) => false,
            // Unknown words: rare or misspelled names, accepted with strong context; a later
            // word of a name only in cased notes, where its capital says something.
            (
                Evidence::Strong | Evidence::LowerTitle | Evidence::Signed | Evidence::Initialed,
                None,
            ) => letters,
            (Evidence::Initialed, Some(e)) => {
                is_name(e)
                    && e.classes & NOT_A_NAME == 0
                    && (!is_common(e) || name_rank(e) <= INITIALED_NAME_RANK)
            }
            // An unknown word in capitals inside a cased note is shorthand as often as a name.
            (Evidence::Kin | Evidence::Continued, None) => {
                letters && !self.caseless_at(u.first) && t.shape != Shape::AllCaps
            }
            (Evidence::Strong | Evidence::LowerTitle | Evidence::Kin, Some(e)) => {
                // "Daughter, Tia, called": abbreviations are written in capitals ("hx of TIA"), so
                // a capitalized first name in a cased note is the name.
                let abbr_name = e.classes & NOT_A_NAME == Class::ClinicalAbbr as u16
                    && t.shape == Shape::Capitalized
                    && !self.caseless_at(u.first)
                    && (1..=FREQUENT_NAME_RANK).contains(&e.first_rank);
                if abbr_name {
                    return true;
                }
                if e.classes & NOT_A_NAME != 0 || (evidence == Evidence::Kin && !is_name(e)) {
                    return false;
                }
                !is_common(e) || (is_name(e) && name_rank(e) <= FREQUENT_NAME_RANK)
            }
            (Evidence::Signed, Some(e)) => {
                is_name(e)
                    && e.classes & NOT_A_NAME == 0
                    && (!is_common(e) || name_rank(e) <= FREQUENT_NAME_RANK)
            }
            (Evidence::Continued, Some(e)) => {
                if self.caseless_at(u.first) {
                    return is_plain(e);
                }
                is_name(e)
                    && e.classes & NOT_A_NAME == 0
                    && (!is_common(e) || name_rank(e) <= FREQUENT_NAME_RANK)
            }
        }
    }

    /// Reads a name starting at token `j` on `line`: up to three units, the first judged with
    /// `first`, the rest as continuations; initials and lowercase particles only inside.
    /// Returns the last token of the name.
    fn take_name(&mut self, j: usize, line: u32, first: Evidence) -> Option<usize> {
        let mut pos = j;
        let mut last = None;
        let mut words = 0;
        let mut evidence = first;
        let mut next = Evidence::Continued;
        while words < 3 {
            let Some(u) = self.unit(pos) else { break };
            if u.line != line {
                break;
            }
            if u.initial {
                // An initial counts only when a name word follows ("J. Smith", "John Q. Smith").
                // Without its period, in a caseless note, only first and before a plain listed
                // name: "per d kowalski" (but not "by x ray").
                if self.caseless_at(u.first) && !self.tok(u.last).is_some_and(|t| t.text == ".") {
                    let named = words == 0
                        && self.unit(u.last + 1).is_some_and(|n| {
                            !n.initial && n.line == line && self.unit_entry(n).is_some_and(is_plain)
                        });
                    if !named {
                        break;
                    }
                }
                let letter = self.tok(u.first).map_or("", |t| t.text);
                // "Dr. o malley": O' written apart; the rest is judged after the title.
                if words == 0
                    && matches!(evidence, Evidence::Strong | Evidence::LowerTitle)
                    && letter.eq_ignore_ascii_case("o")
                    && u.first == u.last
                {
                    pos = u.last + 1;
                    continue;
                }
                if !self.capital(u) || (self.caseless && is_stop(letter)) {
                    break;
                }
                // "h.o.", "p.o.": letters with periods are an abbreviation, not initials.
                let glued = self.tok(u.last + 1).is_some_and(|n| {
                    u.last != u.first && self.tok(u.last).is_some_and(|d| touches(d, n))
                });
                if glued {
                    break;
                }
                // "per B. Dravnik": an initial makes the next word a surname, listed or not.
                if words == 0 {
                    evidence = Evidence::Initialed;
                }
                pos = u.last + 1;
                continue;
            }
            let text = self.tok(u.first).map_or("", |t| t.text);
            if words > 0 && is_particle(text) && !self.caseless {
                let after = self.unit(u.last + 1);
                let next = match after {
                    Some(n) if is_particle(self.tok(n.first).map_or("", |t| t.text)) => {
                        self.unit(n.last + 1)
                    }
                    other => other,
                };
                match next {
                    Some(n) if n.line == line && self.accepts(n, Evidence::Continued) => {
                        last = Some(n.last);
                        pos = n.last + 1;
                        words += 1;
                        continue;
                    }
                    _ => break,
                }
            }
            let evidence = if words == 0 { evidence } else { next };
            if words == 0
                && matches!(evidence, Evidence::Strong | Evidence::LowerTitle)
                && self.stop_first_name(u, line)
            {
                last = Some(u.last);
                pos = u.last + 1;
                words += 1;
                next = Evidence::Signed;
                continue;
            }
            if !self.accepts(u, evidence) {
                break;
            }
            // After a first name a surname may be unlisted or a word ("Doris Reed",
            // "velma strazzik"); after anything else, later words are judged as such.
            next = match self.unit_entry(u) {
                Some(e) if is_first_name(e) && !is_stop(text) => Evidence::Signed,
                _ => Evidence::Continued,
            };
            last = Some(u.last);
            pos = u.last + 1;
            words += 1;
        }
        last
    }

    /// "Dr May Hartigan", "Dr. May Lin": in a cased note a capitalized first name that is also a
    /// function word, right after a title and before a capitalized name.
    fn stop_first_name(&mut self, u: Unit, line: u32) -> bool {
        let Some(t) = self.tok(u.first) else {
            return false;
        };
        if u.initial
            || u.first != u.last
            || t.shape != Shape::Capitalized
            || self.caseless_at(u.first)
            || !is_stop(t.text)
        {
            return false;
        }
        let first = self
            .entry(u.first)
            .is_some_and(|e| (1..=FREQUENT_NAME_RANK).contains(&e.first_rank));
        let Some(n) = self.unit(u.last + 1) else {
            return false;
        };
        first
            && !n.initial
            && n.line == line
            && self
                .tok(n.first)
                .is_some_and(|w| w.shape == Shape::Capitalized)
            && self.tok(n.first).is_some_and(|w| !is_stop(w.text))
            && self.accepts(n, Evidence::Signed)
    }

    /// Marks tokens `from..=to` as found by `rule`, unless a rule of a higher score has.
    fn mark(&mut self, from: usize, to: usize, rule: Rule) {
        let score = rule.score();
        for m in self.marks.iter_mut().take(to + 1).skip(from) {
            if Rule::from_mark(*m).map_or(true, |r| r.score() < score) {
                *m = rule as u8;
            }
        }
    }

    /// The first marked token at or after `from`. Most tokens are unmarked, so eight mark bytes
    /// are tested at once.
    fn next_marked(&self, from: usize) -> Option<usize> {
        let rest = self.marks.get(from..)?;
        let mut chunks = rest.chunks_exact(8);
        let mut at = from;
        for chunk in &mut chunks {
            let bytes: [u8; 8] = chunk.try_into().ok()?;
            let word = u64::from_le_bytes(bytes);
            if word != 0 {
                // The lowest nonzero byte is the first marked token.
                return Some(at + word.trailing_zeros() as usize / 8);
            }
            at += 8;
        }
        let k = chunks.remainder().iter().position(|&m| m != 0)?;
        Some(at + k)
    }

    /// Whether a rule has marked token `j`.
    fn marked(&self, j: usize) -> bool {
        self.marks.get(j).is_some_and(|&m| m != 0)
    }

    /// Reads a name at `j` and marks it; then more joined by "and" / "&" ("Drs. Ray and
    /// Cole"), or by commas when `list` ("sons Tom, Ray and Al"), judged as later words.
    fn name_after(&mut self, j: usize, line: u32, first: Evidence, rule: Rule, list: bool) -> bool {
        let Some(mut last) = self.take_name(j, line, first) else {
            return false;
        };
        self.mark(j, last, rule);
        for _ in 0..4 {
            // "Drs Ray, Oyelaran and Lin", "Dr. Kowalczyk/Oyelaran".
            let slash = self.text_is(last + 1, &["/"])
                && self.tok(last + 1).is_some_and(|s| {
                    self.tok(last + 2).is_some_and(|n| touches(s, n))
                        && self.tok(last).is_some_and(|p| touches(p, s))
                });
            let joined = self.text_is(last + 1, &["and", "&"])
                || (list && (slash || self.text_is(last + 1, &[","])));
            if !joined {
                break;
            }
            let k = last + 2;
            let (k, evidence) = if self
                .tok(k)
                .is_some_and(|t| cue_of(t.text) == Some(Cue::Title))
            {
                (self.skip_dot(k + 1), Evidence::Strong)
            } else {
                (k, Evidence::Continued)
            };
            let Some(end) = self.take_name(k, line, evidence) else {
                break;
            };
            self.mark(k, end, rule);
            last = end;
        }
        true
    }

    /// After an action cue: a listed plain name, or in a cased note two capitalized words that
    /// are unknown or uncommon names ("spoke with Tibor Quennell"); nothing at a title.
    fn plain_name_after(&mut self, j: usize, line: u32) -> bool {
        // Every reading below starts with a unit at `j` that is written like a name on `line`:
        // a word or initial there, not lowercase in a cased note (`Scan::capital`). Most words
        // after an action cue fail that ("by mouth", "cc/hr", "per day"): one token test spares
        // the stop-word test and the repeated unit reads of the three readings.
        let written = self.tok(j).is_some_and(|t| {
            t.line == line && is_word(t) && (self.caseless || t.shape != Shape::Lower)
        });
        if !written {
            return false;
        }
        if self
            .tok(j)
            .is_some_and(|t| cue_of(t.text) == Some(Cue::Title))
        {
            return false; // The title itself is a cue.
        }
        if self.name_after(j, line, Evidence::Plain, Rule::Cue, false) {
            return true;
        }
        if self.first_and_surname(j, line) {
            return true;
        }
        if self.caseless {
            return false;
        }
        let shaped = |s: &Self, u: Unit| {
            !u.initial
                && u.line == line
                && s.tok(u.first)
                    .is_some_and(|t| t.shape == Shape::Capitalized)
        };
        // The second word is read only when the first is one capitalized token: a unit at
        // `j + 1` starts there, so a first unit of more tokens ("Smith-Jones") never touches it.
        let Some(a) = self.unit(j) else {
            return false;
        };
        if !shaped(self, a) || a.last != j {
            return false;
        }
        let Some(b) = self.unit(j + 1) else {
            return false;
        };
        if !shaped(self, b) {
            return false;
        }
        let unlisted = |e: Option<Entry>| {
            e.map_or(true, |e| {
                is_name(e) && !is_common(e) && e.classes & NOT_A_NAME == 0
            })
        };
        let (ea, eb) = (self.unit_entry(a), self.unit_entry(b));
        if !unlisted(ea) || !unlisted(eb) || ea.is_some_and(|e| e.is(Class::MedicalTerm)) {
            return false;
        }
        self.mark(a.first, b.last, Rule::Cue);
        true
    }

    /// "per hazel wojcik", "consult with heather oberlander": after an action cue, a frequent first
    /// name that is also a common word, when a plain listed surname or an unknown word follows
    /// (in a cased note both capitalized).
    fn first_and_surname(&mut self, j: usize, line: u32) -> bool {
        // The second word is read only when the first is one capitalized token: a unit at
        // `j + 1` starts there, so a first unit of more tokens never touches it.
        let Some(a) = self.unit(j) else {
            return false;
        };
        if a.initial || a.line != line || a.last != j || !self.capital(a) {
            return false;
        }
        let Some(b) = self.unit(j + 1) else {
            return false;
        };
        if b.initial || b.line != line || !self.capital(b) {
            return false;
        }
        let (Some(ta), Some(tb)) = (self.tok(a.first), self.tok(b.first)) else {
            return false;
        };
        if is_stop(ta.text) || is_stop(tb.text) || cue_of(tb.text).is_some() {
            return false;
        }
        // Frequent as a first name, whatever else it is ("dean" is a more frequent surname).
        let first = self.unit_entry(a).is_some_and(|e| {
            (1..=FREQUENT_NAME_RANK).contains(&e.first_rank)
                && e.classes & (NOT_A_NAME | Class::MedicalTerm as u16) == 0
        });
        if !first {
            return false;
        }
        let surname = match self.unit_entry(b) {
            Some(e) => is_plain(e),
            None => tb.text.len() >= 4,
        };
        if !surname {
            return false;
        }
        self.mark(a.first, b.last, Rule::Cue);
        true
    }

    /// Skips a period or apostrophe after a title ("Dr.", "Drs'").
    fn skip_dot(&self, j: usize) -> usize {
        if self.text_is(j, &[".", "'"]) {
            j + 1
        } else {
            j
        }
    }

    #[inline(never)]
    fn at_cue(&mut self, i: usize, cue: Cue) -> bool {
        let Some(&t) = self.toks.get(i) else {
            return false;
        };
        match cue {
            Cue::Title => {
                // "Ms" is also "mental status" ("MS: alert"): a name must follow directly.
                let j = self.skip_dot(i + 1);
                // "drs." is also "dressings": "drs.rt" is no name.
                let glued = j > i + 1
                    && t.text.eq_ignore_ascii_case("drs")
                    && self
                        .tok(j)
                        .is_some_and(|n| self.tok(j - 1).is_some_and(|d| touches(d, n)));
                let evidence = if !self.caseless && t.shape == Shape::Lower {
                    Evidence::LowerTitle
                } else {
                    Evidence::Strong
                };
                // "Dr. MRN", "Dr. DOB": an identifier label after a title is a form field, not
                // a surname.
                let label = self.tok(j).is_some_and(|n| is_id_label(n.text));
                !glued
                    && !label
                    && (self.name_after(j, t.line, evidence, Rule::Title, true)
                        || self.title_before_report(j, t.line)
                        || self.title_initial(i, j, t.line))
            }
            Cue::Credential | Cue::StateCredential => {
                let before = self.credential(i, cue);
                // "NP Grace", "RN (Jane Doe)": a credential before a name is like a title;
                // "per MD Okafor" only with a listed name ("MD" is also Maryland).
                let j = if self.text_is(i + 1, &["("]) {
                    i + 2
                } else {
                    i + 1
                };
                let evidence = if cue == Cue::Credential {
                    Evidence::Kin
                } else {
                    Evidence::Plain
                };
                // "4L NP": nasal prongs.
                let dose = i.checked_sub(1).and_then(|p| self.tok(p)).is_some_and(|p| {
                    matches!(p.shape, Shape::Digits | Shape::Alphanumeric)
                        || p.text.eq_ignore_ascii_case("l")
                });
                let after = !before
                    && !dose
                    && !t.text.eq_ignore_ascii_case("pa")
                    && !t.text.eq_ignore_ascii_case("do")
                    && self.name_after(j, t.line, evidence, Rule::Cue, false);
                before || after
            }
            Cue::Relation => self.relation(i),
            Cue::Other => {
                i.checked_sub(1)
                    .is_some_and(|p| self.text_is(p, &["significant", "sig"]))
                    && self.relation(i)
            }
            Cue::Action | Cue::Staff => {
                // "Dirk Kowalski (resident)", "Lina Ostrowski, chaplain,": a role after a name.
                let role = cue == Cue::Staff && self.before_relation(i);
                let contact = self.text_is(i, &["contact"]) && self.before_is(i);
                role | contact | self.action(i, t.line)
            }
            Cue::Role => self.name_after(i + 1, t.line, Evidence::Strong, Rule::Cue, false),
            Cue::Preposition => {
                let talk = (1..=2).any(|back| {
                    i.checked_sub(back)
                        .and_then(|p| self.tok(p))
                        .is_some_and(|p| is_talk(p.text))
                });
                talk && self.action(i, t.line)
            }
            Cue::After => {
                let found_before = self.before_report(i);
                found_before | self.action(i, t.line)
            }
            Cue::Label => self.before_label(i),
            Cue::Report => self.before_report(i),
        }
    }

    /// "Marisela Quintanar cell# ...", "Archibald Reed home: ...": in a contact list, one to three
    /// name words opening a sentence or line before a phone label and its number. Each word is
    /// capitalized (cased notes), unknown or a listed name that is no common word; a single word
    /// must be listed.
    fn before_label(&mut self, i: usize) -> bool {
        let Some(&t) = self.toks.get(i) else {
            return false;
        };
        let numbered = self.tok(i + 1).is_some_and(|n| {
            n.line == t.line && (matches!(n.text, "#" | ":") || n.shape == Shape::Digits)
        });
        let Some(mut end) = i.checked_sub(1) else {
            return false;
        };
        if !numbered || self.tok(end).is_some_and(|p| p.line != t.line) {
            return false;
        }
        if self.text_is(end, &["-", ","]) {
            let Some(q) = end.checked_sub(1) else {
                return false;
            };
            end = q;
        }
        let last = end;
        let (mut words, mut listed) = (0, false);
        let mut start = None;
        for _ in 0..3 {
            let Some(u) = self.unit_ending(end) else {
                break;
            };
            if u.initial || u.line != t.line {
                break;
            }
            let Some(w) = self.tok(u.first) else {
                break;
            };
            let shaped = self.caseless_at(u.first) || w.shape == Shape::Capitalized;
            if !shaped || w.text.len() < 2 || is_stop(w.text) || cue_of(w.text).is_some() {
                break;
            }
            match self.unit_entry(u) {
                None => {}
                Some(e)
                    if is_name(e)
                        && !is_common(e)
                        && e.classes
                            & (NOT_A_NAME
                                | Class::MedicalTerm as u16
                                | Class::City as u16
                                | Class::State as u16)
                            == 0 =>
                {
                    listed = true;
                }
                Some(_) => break,
            }
            words += 1;
            start = Some(u.first);
            let Some(p) = u.first.checked_sub(1) else {
                break;
            };
            end = p;
        }
        let Some(start) = start else {
            return false;
        };
        let opening = start
            .checked_sub(1)
            .and_then(|p| self.tok(p))
            .map_or(true, |p| {
                p.line != t.line || matches!(p.text, "." | ":" | ";" | "," | "(" | "-")
            });
        // Unknown words need a partner: one alone is as often shorthand.
        if !opening || !(words >= 2 || listed) {
            return false;
        }
        self.mark(start, last, Rule::Cue);
        true
    }

    /// "Mr. K. remains intubated", "MS S. CARE", "mr I remained": a patient named by the
    /// initial alone after Mr, Mrs, Ms or Miss. The letter needs its period, or, in a
    /// lowercase note, its capital before a lowercase word.
    fn title_initial(&mut self, i: usize, j: usize, line: u32) -> bool {
        if !self.text_is(i, &["mr", "mrs", "ms", "miss"]) {
            return false;
        }
        let Some(u) = self.unit(j) else {
            return false;
        };
        let Some(t) = self.tok(u.first) else {
            return false;
        };
        if !u.initial || u.line != line || t.shape != Shape::Capitalized {
            return false;
        }
        let dotted = u.last != u.first;
        let bare = self.lower
            && self
                .tok(u.last + 1)
                .is_some_and(|n| n.line == line && n.shape == Shape::Lower);
        if !(dotted || bare) {
            return false;
        }
        self.mark(u.first, u.last, Rule::Title);
        true
    }

    /// "DR BANKER AWARE": after a title and before a report word, a listed name that is also a
    /// common word, however rare as a name.
    fn title_before_report(&mut self, j: usize, line: u32) -> bool {
        let Some(u) = self.unit(j) else {
            return false;
        };
        let report = self.tok(u.last + 1).is_some_and(|n| {
            n.line == line
                && cue_of(n.text) == Some(Cue::After)
                && !n.text.eq_ignore_ascii_case("called")
        });
        if u.initial || u.line != line || !report || !self.capital(u) {
            return false;
        }
        let text = self.tok(u.first).map_or("", |t| t.text);
        if is_stop(text) || cue_of(text).is_some() {
            return false;
        }
        let name = self.unit_entry(u).is_some_and(|e| {
            e.classes & (NOT_A_NAME | Class::MedicalTerm as u16) == 0
                && ((1..=LISTED_SURNAME_RANK).contains(&e.surname_rank)
                    || (1..=LISTED_FIRST_RANK).contains(&e.first_rank))
        });
        if name {
            self.mark(u.first, u.last, Rule::Title);
        }
        name
    }

    /// A name after an action cue: a title starts a titled name, else a plain listed name.
    fn action(&mut self, i: usize, line: u32) -> bool {
        let mut j = i + 1;
        // "cc:", "w/", "d/w", "per:", "by (".
        if self.text_is(j, &[":", "/", "("]) {
            j += 1;
        } else if self.text_is(i, &["w"]) {
            return false;
        }
        // A title after the cue is a cue itself: `plain_name_after` rules it out after its
        // cheaper test of the word's shape.
        self.plain_name_after(j, line)
    }

    /// "J KOWALSKI ORDERED": a capital letter without its period that opens a name (after a line
    /// break, punctuation or a function word), not "I", "A" or a SOAP heading letter.
    fn bare_initial(&self, v: Unit) -> bool {
        let Some(t) = self.tok(v.first) else {
            return false;
        };
        if !v.initial || v.first != v.last || t.shape != Shape::Capitalized {
            return false;
        }
        if matches!(t.text, "I" | "A" | "S" | "O" | "P") {
            return false;
        }
        v.first
            .checked_sub(1)
            .and_then(|p| self.tok(p))
            .map_or(true, |p| {
                p.line != t.line
                    || matches!(p.text, "." | "," | ";" | ":" | "(" | "-" | "&")
                    || (is_word(p) && is_stop(p.text))
            })
    }

    /// "Smith aware", "Dr. Jones notified": a plain listed name before a report word.
    fn before_report(&mut self, i: usize) -> bool {
        let Some(mut p) = i.checked_sub(1) else {
            return false;
        };
        // "lawyer (Ivo Brandolech) aware".
        let closed = self.text_is(p, &[")"]);
        if closed {
            let Some(q) = p.checked_sub(1) else {
                return false;
            };
            p = q;
        }
        let Some(u) = self.unit_ending(p) else {
            return false;
        };
        let line = self.tok(i).map_or(0, |t| t.line);
        if u.initial || u.line != line || self.marked(u.first) {
            return false;
        }
        // "pt states", "MD aware": the usual subjects are ruled out before any lookup.
        if u.first == u.last && self.tok(u.first).is_some_and(|w| is_stop(w.text)) {
            return false;
        }
        // "T. Miller aware", "lorna vasko aware": an initial or first name before the word
        // vouches for it.
        let evidence = match u.first.checked_sub(1).and_then(|q| self.unit_ending(q)) {
            Some(v) if v.line == line && v.initial && v.first != v.last => Evidence::Initialed,
            Some(v) if v.line == line && self.bare_initial(v) => Evidence::Initialed,
            Some(v) if v.line == line && !v.initial && self.capital(v) => {
                let text = self.tok(v.first).map_or("", |t| t.text);
                match self.unit_entry(v) {
                    Some(e) if is_first_name(e) && !is_stop(text) => Evidence::Signed,
                    _ => Evidence::Plain,
                }
            }
            _ => Evidence::Plain,
        };
        if !self.accepts(u, evidence) {
            return false;
        }
        let first = self.extend_left(u, line);
        if closed
            && !first
                .checked_sub(1)
                .is_some_and(|o| self.text_is(o, &["("]))
        {
            return false;
        }
        self.mark(first, u.last, Rule::Cue);
        // "Kowalczyk/Oyelaran aware": a name joined by a slash, judged as the one found.
        let slash = first >= 2
            && self.text_is(first - 1, &["/"])
            && self.tok(first - 1).is_some_and(|s| {
                self.tok(first).is_some_and(|n| touches(s, n))
                    && self.tok(first - 2).is_some_and(|p| touches(p, s))
            });
        if slash {
            if let Some(v) = self.unit_ending(first - 2) {
                let evidence = if self.caseless_at(v.first) {
                    Evidence::Plain
                } else {
                    Evidence::Continued
                };
                if !v.initial && v.line == line && self.accepts(v, evidence) {
                    self.mark(v.first, v.last, Rule::Cue);
                }
            }
        }
        true
    }

    /// Extends a name leftwards from its last unit `u` over up to two first names or initials
    /// ("Walter B. Jones"). Returns the first token.
    fn extend_left(&mut self, u: Unit, line: u32) -> usize {
        let mut first = u.first;
        for _ in 0..2 {
            let Some(p) = first.checked_sub(1) else { break };
            let Some(v) = self.unit_ending(p) else { break };
            if v.line != line || !self.capital(v) {
                break;
            }
            let ok = if v.initial {
                !self.caseless || v.last != v.first || self.bare_initial(v)
            } else {
                let text = self.tok(v.first).map_or("", |t| t.text);
                !is_stop(text)
                    && cue_of(text).is_none()
                    && match self.unit_entry(v) {
                        Some(e) if self.caseless_at(v.first) => {
                            (is_plain(e) && e.is(Class::FirstName)) || is_first_name(e)
                        }
                        Some(e) => {
                            e.is(Class::FirstName)
                                && e.classes & NOT_A_NAME == 0
                                && (!is_common(e) || e.first_rank <= FREQUENT_NAME_RANK)
                        }
                        None => false,
                    }
            };
            if !ok {
                break;
            }
            first = v.first;
        }
        first
    }

    /// "Smith, MD", "J. Smith RN", "Kim PA-C": the name before a credential.
    fn credential(&mut self, i: usize, cue: Cue) -> bool {
        let Some(&t) = self.toks.get(i) else {
            return false;
        };
        if self.signature(i) {
            return true;
        }
        // In cased notes a credential is written in capitals ("RN", "PhD"), not "do" or "Pa".
        if !self.caseless && !matches!(t.shape, Shape::AllCaps | Shape::MixedCase) {
            return false;
        }
        let Some(mut p) = i.checked_sub(1) else {
            return false;
        };
        if self.text_is(p, &[","]) {
            let Some(q) = p.checked_sub(1) else {
                return false;
            };
            p = q;
        }
        let Some(u) = self.unit_ending(p) else {
            return false;
        };
        if u.initial || u.line != t.line {
            return false;
        }
        let mut first = self.extend_left(u, t.line);
        // "Jonathn O'Dwyer MD": an unknown capitalized word before a listed name and a
        // credential is a (rare or misspelled) first name.
        if first == u.first && !self.caseless_at(u.first) {
            if let Some(v) = u.first.checked_sub(1).and_then(|p| self.unit_ending(p)) {
                let unknown = !v.initial
                    && v.line == t.line
                    && self.tok(v.first).is_some_and(|w| {
                        w.shape == Shape::Capitalized
                            && w.text.len() >= 3
                            && cue_of(w.text).is_none()
                    })
                    && self.unit_entry(v).is_none()
                    && self
                        .unit_entry(u)
                        .is_some_and(|e| is_name(e) && !is_common(e));
                if unknown {
                    first = v.first;
                }
            }
        }
        let with_first = first != u.first;
        let evidence = if with_first {
            Evidence::Signed
        } else if self.caseless {
            Evidence::Plain
        } else {
            Evidence::Continued
        };
        if !self.accepts(u, evidence) {
            return false;
        }
        // Cased notes: an unknown or common word alone before "RN" is not enough ("Night RN").
        if !with_first && !self.caseless {
            match self.unit_entry(u) {
                Some(e) if is_plain(e) => {}
                Some(e) if is_name(e) && !is_common(e) => {}
                None => {}
                _ => return false,
            }
        }
        if cue == Cue::StateCredential {
            // "Erie, PA 16501", "Easton, MD": an address, not a physician assistant.
            // "RIJ PA line": the pulmonary artery. Alone, "PA" must end the phrase.
            let zip = self.tok(i + 1).is_some_and(|n| {
                n.shape == Shape::Digits
                    || (!with_first
                        && t.text.eq_ignore_ascii_case("pa")
                        && n.line == t.line
                        && !matches!(n.text, "," | "." | ")" | "-" | ";"))
            });
            let place = self
                .unit_entry(u)
                .is_some_and(|e| e.is(Class::City) || e.is(Class::County));
            if zip || (place && !with_first) {
                return false;
            }
        }
        self.mark(first, u.last, Rule::Credential);
        true
    }

    /// A note or paragraph signed with a bare name: the words after the last sentence of a
    /// paragraph (a paragraph ends at a blank line or the end of the text) are one to three
    /// words that read as a name from a frequent first name ("... AT 0300. BETTY", "Tom
    /// Reed."). Headings and closing words ("Plan", "Stable.") are common words and stay. Only what
    /// precedes a blank line decides, so text appended after one changes nothing here.
    ///
    /// `ends` are the last tokens before a blank line, in order.
    fn paragraph_ends(&mut self, ends: &[usize]) -> bool {
        let mut any = false;
        for &end in ends {
            any |= self.signed(end);
        }
        match self.toks.len().checked_sub(1) {
            Some(last) => any | self.signed(last),
            None => any,
        }
    }

    /// The bare name ending a paragraph at token `end` (see [`Scan::paragraph_ends`]).
    fn signed(&mut self, mut end: usize) -> bool {
        if self.text_is(end, &["."]) {
            let Some(p) = end.checked_sub(1) else {
                return false;
            };
            end = p;
        }
        let Some(line) = self.tok(end).map(|t| t.line) else {
            return false;
        };
        let mut start = end;
        while start > 0 && self.tok(start - 1).is_some_and(|p| p.line == line) {
            // A sentence ends before: "... 900 u/hr. BETTY" (a period after a word, not the
            // period of an initial).
            let stop = matches!(self.tok(start - 1).map(|p| p.text), Some("." | "!" | "?"))
                && start >= 2
                && self.tok(start - 2).is_some_and(|w| w.text.len() > 1);
            if stop {
                break;
            }
            start -= 1;
            if end - start > 6 {
                return false;
            }
        }
        // Marked already, or hyphenated: "DANGLE-OOB" is shorthand more often than a name.
        let hyphen = (start..=end).any(|k| self.text_is(k, &["-"]));
        if hyphen || self.marked(start) {
            return false;
        }
        // A frequent first name of four letters or more starts it: paragraphs also end with
        // shorthand that is a rarer name ("MAE.", "PERL.", "ROS"). The dictionary's set of
        // frequent first names rules most words out without the lookup.
        let first = self.tok(start).is_some_and(|t| {
            t.text.len() >= 4 && self.words.dict().may_be_frequent_first(bare(t.text))
        }) && self
            .entry(start)
            .is_some_and(|e| is_plain(e) && (1..=CASELESS_PAIR_FIRST_RANK).contains(&e.first_rank));
        if !first || self.take_name(start, line, Evidence::Plain) != Some(end) {
            return false;
        }
        self.mark(start, end, Rule::Signature);
        true
    }

    /// A signature: a line of one to three name words ending with the credential at `i` ("rosalie
    /// kwiatkowska rn", "Orsolya Braswell RN", "delphine t. castillo-orr bsn/rn"). Alone on their
    /// line the words are a name whatever their case, if none is a common word, cue or non-name,
    /// and one is a listed name or there are two of them.
    fn signature(&mut self, i: usize) -> bool {
        let Some(&t) = self.toks.get(i) else {
            return false;
        };
        if self
            .tok(i + 1)
            .is_some_and(|n| n.line == t.line && n.text != ".")
        {
            return false;
        }
        // "bsn/rn", "Lina Ostrowski, RN".
        let mut k = i;
        while k >= 2
            && self.text_is(k - 1, &["/"])
            && self.tok(k - 2).is_some_and(|c| {
                matches!(cue_of(c.text), Some(Cue::Credential | Cue::StateCredential))
            })
        {
            k -= 2;
        }
        if k >= 1 && self.text_is(k - 1, &[","]) {
            k -= 1;
        }
        let Some(mut end) = k.checked_sub(1) else {
            return false;
        };
        let last = end;
        let (mut words, mut listed) = (0, false);
        loop {
            let Some(u) = self.unit_ending(end) else {
                return false;
            };
            if u.line != t.line {
                return false;
            }
            if !u.initial {
                let text = self.tok(u.first).map_or("", |w| w.text);
                if is_stop(text) || cue_of(text).is_some() || text.len() < 2 {
                    return false;
                }
                match self.unit_entry(u) {
                    None => {}
                    Some(e)
                        if is_name(e)
                            && e.classes & (NOT_A_NAME | Class::MedicalTerm as u16) == 0
                            && (!is_common(e) || name_rank(e) <= FREQUENT_NAME_RANK) =>
                    {
                        listed = true;
                    }
                    Some(_) => return false,
                }
                words += 1;
            } else if words == 0 {
                return false; // The name ends with a word, not an initial.
            }
            let start = u.first;
            let line_start = start == 0 || self.tok(start - 1).is_some_and(|p| p.line != t.line);
            if line_start {
                if words > 3 || !(listed || words >= 2) {
                    return false;
                }
                self.mark(start, last, Rule::Credential);
                return true;
            }
            if words >= 3 {
                return false;
            }
            let Some(p) = start.checked_sub(1) else {
                return false;
            };
            end = p;
        }
    }

    /// "son Tom", "wife (Mary)", "daughter, Ann Lee", "daughter is Mrs. Ann Lee"; and
    /// "Mary (wife)", "Tom Reed, son,", "Ann (pt's daughter)".
    fn relation(&mut self, i: usize) -> bool {
        let Some(&t) = self.toks.get(i) else {
            return false;
        };
        let mut j = i + 1;
        // "son in law", "sister-in-law".
        if self.text_is(j, &["-"]) && self.text_is(j + 1, &["in"]) && self.text_is(j + 2, &["-"]) {
            j += 4;
        } else if self.text_is(j, &["in"]) && self.text_is(j + 1, &["law"]) {
            j += 2;
        }
        // "wife(?) Marylou": a doubt in parentheses.
        if self.text_is(j, &["("]) && self.text_is(j + 1, &["?"]) && self.text_is(j + 2, &[")"]) {
            j += 3;
        }
        let mut skipped = 0;
        while skipped < 2
            && self.tok(j).is_some_and(|n| {
                matches!(n.text, "," | "(" | ":" | "-" | "\"")
                    || ["named", "name", "is", "was"]
                        .iter()
                        .any(|w| w.eq_ignore_ascii_case(n.text))
            })
        {
            j += 1;
            skipped += 1;
        }
        let after = if self
            .tok(j)
            .is_some_and(|n| cue_of(n.text) == Some(Cue::Title))
        {
            false // The title is a cue of its own.
        } else {
            let plural = t.text.len() > 3 && t.text.ends_with(['s', 'S']);
            self.name_after(j, t.line, Evidence::Kin, Rule::Relation, plural)
        };
        after | self.before_relation(i) | self.before_is(i)
    }

    /// "Anneliese is family contact", "Tom Reed is his health care proxy": the name before "is"
    /// and a relation or role.
    fn before_is(&mut self, i: usize) -> bool {
        let Some(&t) = self.toks.get(i) else {
            return false;
        };
        let mut p = i;
        for _ in 0..3 {
            let Some(q) = p.checked_sub(1) else {
                return false;
            };
            if !self.text_is(
                q,
                &[
                    "the",
                    "his",
                    "her",
                    "pt's",
                    "patient's",
                    "family",
                    "primary",
                    "main",
                    "health",
                    "care",
                    "healthcare",
                ],
            ) {
                break;
            }
            p = q;
        }
        let Some(is) = p.checked_sub(1) else {
            return false;
        };
        if !self.text_is(is, &["is"]) {
            return false;
        }
        let Some(u) = is.checked_sub(1).and_then(|q| self.unit_ending(q)) else {
            return false;
        };
        if u.initial || u.line != t.line || self.marked(u.first) {
            return false;
        }
        // In a cased note, a word in capitals there is an abbreviation or a state ("Mobile, AL
        // is health care proxy"), and places are no names.
        let shouted = self
            .tok(u.first)
            .is_some_and(|w| w.shape == Shape::AllCaps && !self.caseless);
        let place = self.unit_entry(u).is_some_and(|e| {
            e.classes & (Class::State as u16 | Class::StateAbbr as u16 | Class::City as u16) != 0
        });
        let text = self.tok(u.first).map_or("", |w| w.text);
        if shouted || place || cue_of(text).is_some() {
            return false;
        }
        let first = self.extend_left(u, t.line);
        let evidence = if self.caseless_at(u.first) && first == u.first {
            Evidence::Plain
        } else {
            Evidence::Continued
        };
        if !self.accepts(u, evidence) {
            return false;
        }
        self.mark(first, u.last, Rule::Relation);
        true
    }

    /// "Mary (wife)", "Gus Reed (pt's son)", "Tom, son,": the name before a relation word in
    /// parentheses or between commas.
    fn before_relation(&mut self, i: usize) -> bool {
        let Some(&t) = self.toks.get(i) else {
            return false;
        };
        let Some(mut p) = i.checked_sub(1) else {
            return false;
        };
        if self.text_is(
            p,
            &[
                "his",
                "her",
                "pt's",
                "patient's",
                "their",
                "significant",
                "sig",
            ],
        ) {
            let Some(q) = p.checked_sub(1) else {
                return false;
            };
            p = q;
        }
        let open = self.text_is(p, &["("]);
        let comma = self.text_is(p, &[","])
            && self.text_is(i + 1, &[",", ")", ";"])
            && !self.text_is(p.wrapping_sub(2), &[","]);
        if !(open || comma) {
            return false;
        }
        let Some(u) = p.checked_sub(1).and_then(|q| self.unit_ending(q)) else {
            return false;
        };
        if u.initial || u.line != t.line {
            return false;
        }
        let first = self.extend_left(u, t.line);
        let evidence = if self.caseless && first == u.first {
            Evidence::Plain
        } else {
            Evidence::Continued
        };
        if !self.accepts(u, evidence) {
            return false;
        }
        self.mark(first, u.last, Rule::Relation);
        true
    }

    /// "Maria Kowalski", "Kowalski, Maria": a first name and a surname, both listed and plain.
    ///
    /// `candidates` are the tokens [`pair_candidate`] accepted, in order.
    fn pairs(&mut self, candidates: &[usize]) -> bool {
        let mut any = false;
        // Tokens before this one belong to a pair already found.
        let mut from = 0;
        for &i in candidates {
            if i < from {
                continue;
            }
            // A word found by a cue may still start "Last, First" ("Contact: Kowalczyk, Rebecca").
            let marked = self.marked(i);
            let Some(&t) = self.toks.get(i) else {
                continue;
            };
            let caseless = self.caseless_at(i);
            // Ruled out before the lookup, from the tokens alone: "First Last" needs an unmarked
            // word and a word after it on its line, "Last, First" a cased note and a comma.
            let next = self.tok(i + 1);
            let first_last = !marked && next.is_some_and(|n| is_word(n) && n.line == t.line);
            let last_first = !caseless && next.is_some_and(|n| n.text == ",");
            if !first_last && !last_first {
                continue;
            }
            // In a caseless note only a frequent first name starts a pair, or any listed one
            // in an opening introduction ("althea kowalski is a ..."): most words are ruled out
            // by a set probe, without the dictionary walk.
            let intro_shape = caseless
                && (i == 0 || self.tok(i - 1).is_some_and(|p| p.line != t.line))
                && self.text_is(i + 2, &["is"])
                && self.text_is(i + 3, &["a", "an"]);
            if caseless && !intro_shape && !self.words.dict().may_be_frequent_first(bare(t.text)) {
                continue;
            }
            let Some(e) = self.entry(i) else {
                continue;
            };
            if first_last && !caseless {
                if let Some(last) = self.frequent_pair(i, e) {
                    self.mark(i, last, Rule::Pair);
                    any = true;
                    from = last + 1;
                    continue;
                }
            }
            if !is_plain(e) {
                continue;
            }
            // First Last.
            // "althea kowalski is a 68 y/o woman": a note's opening introduction.
            let intro = intro_shape && (1..=LISTED_FIRST_RANK).contains(&e.first_rank);
            let strong_first = !marked
                && if caseless {
                    intro || (1..=CASELESS_PAIR_FIRST_RANK).contains(&e.first_rank)
                } else {
                    e.first_rank != 0
                };
            if strong_first {
                let Some(u) = self.unit(i + 1) else {
                    continue;
                };
                let capitalized = self
                    .tok(u.first)
                    .is_some_and(|n| n.shape == Shape::Capitalized);
                // Two capitalized words in a lowercase note: "Gerald Oskarsson arrived".
                let standing_out = self.caseless && !caseless && capitalized;
                let shaped = (self.caseless && caseless) || capitalized;
                if u.line == t.line && shaped {
                    // "John Q. Smith".
                    let v = if u.initial && self.text_is(u.last, &["."]) {
                        self.unit(u.last + 1)
                    } else {
                        Some(u)
                    };
                    if let Some(v) = v.filter(|v| !v.initial && v.line == t.line) {
                        let surname = match self.unit_entry(v) {
                            Some(s) => is_plain(s) && s.is(Class::Surname),
                            // "Maria Kowalczykowa": an unlisted word after a frequent first
                            // name, capitalized in a cased note, or alone on its line.
                            None => {
                                standing_out
                                    || ((1..=CASELESS_PAIR_FIRST_RANK).contains(&e.first_rank)
                                        && (!caseless || self.alone_on_line(i, v.last)))
                            }
                        };
                        if surname && self.capital(v) {
                            self.mark(i, v.last, Rule::Pair);
                            any = true;
                            from = v.last + 1;
                            continue;
                        }
                    }
                }
            }
            // Last, First (cased notes only: in capitals it reads like a list).
            if !caseless && e.surname_rank != 0 && self.text_is(i + 1, &[","]) {
                if let Some(v) = self.unit(i + 2) {
                    let first = self
                        .tok(v.first)
                        .is_some_and(|n| n.shape == Shape::Capitalized)
                        && !v.initial
                        && v.line == t.line
                        && self
                            .unit_entry(v)
                            .is_some_and(|f| is_plain(f) && f.first_rank != 0);
                    // Not one item of a longer list: "Kowalski, Maria, Bruno".
                    let list = self.text_is(v.last + 1, &[","]);
                    if first && !list {
                        self.mark(i, i, Rule::Pair);
                        self.mark(v.first, v.last, Rule::Pair);
                        any = true;
                        from = v.last + 1;
                        continue;
                    }
                }
            }
        }
        any
    }

    /// "once Rosalind woke up", "attentive to pt, Desmond.": in a lowercase note, a capitalized
    /// listed first name inside a sentence (not after a period, colon or line break, where
    /// writers who skip capitals still capitalize sometimes). Only plain first names of three
    /// letters or more, not before a value: "Will", "Hope" or "Lasix" capitalized
    /// mid-sentence are emphasis, "Na 140" and "Reg 5 units" lab and order shorthand.
    ///
    /// `capitals` are the capitalized words of a lowercase note, in order.
    fn capitals(&mut self, capitals: &[usize]) -> bool {
        let mut any = false;
        for &i in capitals {
            if self.marked(i) {
                continue;
            }
            let Some(&t) = self.toks.get(i) else {
                continue;
            };
            let inside = i.checked_sub(1).and_then(|p| self.tok(p)).is_some_and(|p| {
                p.line == t.line && (is_word(p) || matches!(p.text, "," | "(" | "&"))
            });
            // "Na 140", "Reg at 9pm", "Mae,": a lab or shorthand capitalized before a value.
            let valued = self.tok(i + 1).is_some_and(|n| {
                n.line == t.line
                    && (matches!(n.shape, Shape::Digits | Shape::Alphanumeric)
                        || matches!(n.text, "=" | "+" | ":"))
            });
            if !inside
                || valued
                || t.text.len() < 3
                || is_stop(t.text)
                || is_calendar(t.text)
                || cue_of(t.text).is_some()
            {
                continue;
            }
            let first = self.entry(i).is_some_and(|e| {
                is_plain(e)
                    && (1..=LISTED_FIRST_RANK).contains(&e.first_rank)
                    && (e.surname_rank == 0 || e.first_rank <= e.surname_rank)
            });
            if first {
                let end = self.take_name(i, t.line, Evidence::Plain).unwrap_or(i);
                self.mark(i, end, Rule::Capital);
                any = true;
            }
        }
        any
    }

    /// "Z. FULLER IN TO MILK TUBES", "and M. Gruenwald suturing": an initial with its
    /// period before a listed name, without a cue. Species ("S. aureus", "E. coli") are no
    /// listed names; a name that is also a common word ("K. Long") counts only after no
    /// letter of a SOAP heading ("O. See flowsheet") and only where a name can start: after punctuation, a line break or a function word, not after a word that
    /// the letter ends ("vitamin K. Long term").
    ///
    /// `initials` are the capital letters followed by a period, in order.
    fn initialed(&mut self, initials: &[usize]) -> bool {
        let mut any = false;
        for &i in initials {
            if self.marked(i) {
                continue;
            }
            let (Some(&t), Some(u)) = (self.toks.get(i), self.unit(i)) else {
                continue;
            };
            if !u.initial || u.last == u.first || is_stop(t.text) {
                continue;
            }
            // "p.o.", "h.o.": letters with periods.
            if self
                .tok(u.last + 1)
                .is_some_and(|n| self.tok(u.last).is_some_and(|d| touches(d, n)))
            {
                continue;
            }
            let Some(w) = self.unit(u.last + 1) else {
                continue;
            };
            if w.initial || w.line != t.line || !self.capital(w) {
                continue;
            }
            let text = self.tok(w.first).map_or("", |x| x.text);
            if is_stop(text) || cue_of(text).is_some() {
                continue;
            }
            let Some(e) = self.unit_entry(w) else {
                continue;
            };
            let listed = (1..=LISTED_SURNAME_RANK).contains(&e.surname_rank)
                || (1..=LISTED_FIRST_RANK).contains(&e.first_rank);
            if !listed || e.classes & (NOT_A_NAME | Class::MedicalTerm as u16) != 0 {
                continue;
            }
            if is_common(e) {
                let opening = i
                    .checked_sub(1)
                    .and_then(|p| self.tok(p))
                    .map_or(true, |p| {
                        p.line != t.line
                            || matches!(p.text, "." | "," | ";" | ":" | "(" | "-" | "&")
                            || (is_word(p) && is_stop(p.text))
                    });
                // "S. / O. / A. / P.": the headings of a SOAP note ("O. See flowsheet").
                let soap = matches!(t.text, "S" | "O" | "A" | "P");
                if soap || name_rank(e) > INITIALED_NAME_RANK || !opening {
                    continue;
                }
            }
            self.mark(i, w.last, Rule::Initial);
            any = true;
        }
        any
    }

    /// `Pt states "Rosalind, where am I?"`: a capitalized first name opening a quotation and
    /// followed by a comma is the person spoken to. Only listed first names that are nothing
    /// else (no common word, eponym, drug, abbreviation, month or weekday: `"Well, ..."`,
    /// `"Lasix, ..."`, `"Tuesday, ..."` are not), and not in a note written all in capitals. `at` are the capitalized words between
    /// a quote and a comma, in order.
    fn vocatives(&mut self, at: &[usize]) -> bool {
        let mut any = false;
        for &i in at {
            let Some(t) = self.tok(i) else {
                continue;
            };
            if self.marked(i) || is_stop(t.text) || is_calendar(t.text) || self.caseless_at(i) {
                continue;
            }
            let Some(e) = self.entry(i) else {
                continue;
            };
            if is_first_name(e) && !is_common(e) && e.classes & Class::MedicalTerm as u16 == 0 {
                self.mark(i, i, Rule::Cue);
                any = true;
            }
        }
        any
    }

    /// "John Smith is a 67 yo man": a capitalized first name among the most frequent ones and a
    /// capitalized surname among the most frequent ones, in a cased note, although both are
    /// common words too (which keeps them out of the ordinary pair rule). Returns the surname's
    /// token. Not for function words ("Will", "May"), eponyms, drugs or states, nor before a
    /// facility word ("Rose Hill Hospital" is a place).
    fn frequent_pair(&mut self, i: usize, e: Entry) -> Option<usize> {
        let t = self.tok(i)?;
        let n = self.tok(i + 1)?;
        let shaped = |t: &Token<'_>| t.shape == Shape::Capitalized && t.text.len() >= 3;
        if !shaped(t) || !shaped(n) || n.line != t.line || is_stop(t.text) || is_stop(n.text) {
            return None;
        }
        let not_a_name = NOT_A_NAME | Class::MedicalTerm as u16 | Class::State as u16;
        let first = (1..=FREQUENT_PAIR_FIRST_RANK).contains(&e.first_rank)
            && (e.surname_rank == 0 || e.first_rank <= e.surname_rank)
            && e.classes & not_a_name == 0;
        if !first {
            return None;
        }
        let s = self.entry(i + 1)?;
        let surname = (1..=FREQUENT_PAIR_SURNAME_RANK).contains(&s.surname_rank)
            && s.classes & not_a_name == 0;
        // A capitalized facility word or street suffix after them ("Hospital", "Street"); not
        // "is", which is also the USPS abbreviation of Island.
        let place_follows = self
            .tok(i + 2)
            .is_some_and(|f| f.shape == Shape::Capitalized)
            && self
                .entry(i + 2)
                .is_some_and(|f| f.is(Class::Facility) || f.is(Class::StreetSuffix));
        (surname && !place_follows).then_some(i + 1)
    }

    /// Whether tokens `a..=b` are all that stands on their line, but for a credential after them
    /// (a signature: "lorna pierce rn").
    fn alone_on_line(&self, a: usize, b: usize) -> bool {
        let Some(line) = self.tok(a).map(|t| t.line) else {
            return false;
        };
        let before = a == 0 || self.tok(a - 1).is_some_and(|p| p.line != line);
        let mut k = b + 1;
        if self.text_is(k, &[","]) {
            k += 1;
        }
        if self.tok(k).is_some_and(|n| {
            n.line == line && matches!(cue_of(n.text), Some(Cue::Credential | Cue::StateCredential))
        }) {
            k += 1;
        }
        let after = self.tok(k).map_or(true, |n| n.line != line);
        before && after
    }

    /// Marks every other occurrence of a word found as a name, unless that word is common,
    /// an eponym, a drug or an abbreviation.
    fn repeat(&mut self) {
        let mut names: Vec<&str> = Vec::new();
        // Which first letters and lengths the names have: most words of a note are ruled out
        // by these two bit tests before any string compare.
        let (mut letters, mut lengths) = (0u32, 0u64);
        let mut j = 0;
        while let Some(at) = self.next_marked(j) {
            j = at + 1;
            let Some(&t) = self.toks.get(at) else {
                continue;
            };
            let text = bare(t.text);
            if !is_word(&t) || text.len() < 2 || is_stop(text) {
                continue;
            }
            let keep = match self.entry(at) {
                None => true,
                Some(e) => {
                    !is_common(e) && e.classes & (NOT_A_NAME | Class::MedicalTerm as u16) == 0
                }
            };
            if keep && !names.iter().any(|n| n.eq_ignore_ascii_case(text)) {
                names.push(text);
                letters |= first_letter_bit(text);
                lengths |= length_bit(text.len());
            }
        }
        if names.is_empty() {
            return;
        }
        // Bit `n` for a token of `n` bytes that may be a name, or a name and a possessive "'s".
        let lengths = lengths | lengths.rotate_left(2);
        for (t, m) in self.toks.iter().zip(self.marks.iter_mut()) {
            // The length first: it sits next to the text pointer, and most tokens (punctuation,
            // short words) fail it.
            if !has_length(lengths, t.text.len())
                || *m != 0
                || letters & first_letter_bit(t.text) == 0
            {
                continue;
            }
            let cased = matches!(
                t.shape,
                Shape::Capitalized | Shape::AllCaps | Shape::MixedCase
            );
            if !(cased || (self.caseless && t.shape == Shape::Lower)) {
                continue;
            }
            let text = bare(t.text);
            if names.iter().any(|n| n.eq_ignore_ascii_case(text)) {
                *m = Rule::Repeat as u8;
            }
        }
    }

    /// Turns runs of marked tokens into findings. A run is one name: consecutive marked tokens
    /// on one line.
    fn emit(&self, out: &mut Vec<Finding>) {
        let mut j = 0;
        while let Some(at) = self.next_marked(j) {
            j = at;
            let (Some(first), Some(rule)) = (
                self.toks.get(j),
                self.marks.get(j).copied().and_then(Rule::from_mark),
            ) else {
                break;
            };
            let mut best = rule;
            let mut end = j;
            while let Some(r) = self.marks.get(end + 1).copied().and_then(Rule::from_mark) {
                if self
                    .toks
                    .get(end + 1)
                    .map_or(true, |t| t.line != first.line)
                {
                    break;
                }
                if r.score() > best.score() {
                    best = r;
                }
                end += 1;
            }
            let Some(last) = self.toks.get(end) else {
                break;
            };
            let stop = if is_word(last) {
                last.span.start + bare(last.text).len()
            } else {
                last.span.end
            };
            out.push(Finding {
                kind: Kind::Name,
                span: Span::new(first.span.start, stop),
                score: best.score(),
                detector: best.detector(),
            });
            j = end + 1;
        }
    }
}

/// Bit `i` for a word whose first byte has [`LETTER_INDEX`] `i` (26: not an ASCII letter), so
/// two words equal but for ASCII case have the same bit.
fn first_letter_bit(text: &str) -> u32 {
    text.as_bytes()
        .first()
        .map_or(0, |&b| 1 << LETTER_INDEX[usize::from(b)])
}

/// Bit `n % 64` for a length `n`: one shift, no clamp (a token of 64 bytes or more shares a
/// shorter length's bit, and the exact compare rejects it). Bit `n + 2` of a possessive is
/// this bit rotated by two (see [`Scan::repeat`]).
fn length_bit(n: usize) -> u64 {
    1u64.rotate_left((n % 64) as u32)
}

/// Whether `lengths` has the [`length_bit`] of `n`: one bit test (`wrapping_shr` takes the
/// shift modulo 64, as the bit was placed).
fn has_length(lengths: u64, n: usize) -> bool {
    lengths.wrapping_shr(n as u32) & 1 != 0
}

/// Packs a lookup's answer into a cache slot of [`Scan::cache`]: the low byte is the note's
/// `stamp` (1 to [`MAX_STAMP`]) shifted left once, plus 1 for an entry, whose fields fill the
/// other bytes. `None` if the entry does not fit (a word rank above 255: SCOWL sizes end at
/// 95), which is then not cached.
fn pack_entry(found: Option<Entry>, stamp: u8) -> Option<u64> {
    let tag = u64::from(stamp) << 1;
    let Some(e) = found else {
        return Some(tag);
    };
    let word_rank = u8::try_from(e.word_rank).ok()?;
    Some(
        tag | 1
            | u64::from(word_rank) << 8
            | u64::from(e.classes) << 16
            | u64::from(e.first_rank) << 32
            | u64::from(e.surname_rank) << 48,
    )
}

/// The answer in a cache slot, `None` if the slot was not written with `stamp` (see
/// [`pack_entry`]).
fn unpack_entry(slot: u64, stamp: u8) -> Option<Option<Entry>> {
    // Truncating casts pick out the fields.
    let tag = slot as u8;
    if tag >> 1 != stamp {
        return None;
    }
    match tag & 1 {
        0 => Some(None),
        _ => Some(Some(Entry {
            word_rank: u16::from((slot >> 8) as u8),
            classes: (slot >> 16) as u16,
            first_rank: (slot >> 32) as u16,
            surname_rank: (slot >> 48) as u16,
        })),
    }
}

fn min_rank(a: u16, b: u16) -> u16 {
    match (a, b) {
        (0, r) | (r, 0) => r,
        (a, b) => a.min(b),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::dict::Dict;

    /// The names found in `text`, with the rule that found each.
    fn names(text: &str) -> Vec<(&str, &'static str)> {
        let words = Words::new(text, Dict::shared().expect("dictionary opens"));
        let mut out = Vec::new();
        find(&words, &mut out);
        out.iter()
            .map(|f| (&text[f.span.range()], f.detector))
            .collect()
    }

    fn texts(text: &str) -> Vec<&str> {
        names(text).into_iter().map(|(t, _)| t).collect()
    }

    #[test]
    fn the_lookup_cache_does_not_carry_over_between_notes() {
        // The same words at other token positions in the next notes, through more notes than
        // there are stamps: a slot left from an earlier note must never be taken for an answer.
        let a = "Seen by Dr. Kowalczyk today. Wife Maria at bedside.";
        let b = "plan: wean vent, stool soft, family updated, seen by dr stone";
        let (first_a, first_b) = (names(a), names(b));
        assert!(!first_a.is_empty() && !first_b.is_empty());
        for _ in 0..=2 * usize::from(MAX_STAMP) {
            assert_eq!(names(a), first_a);
            assert_eq!(names(b), first_b);
        }
    }

    #[test]
    fn cue_words() {
        assert_eq!(cue_of("Dr"), Some(Cue::Title));
        assert_eq!(cue_of("MRS"), Some(Cue::Title));
        assert_eq!(cue_of("rn"), Some(Cue::Credential));
        assert_eq!(cue_of("PA"), Some(Cue::StateCredential));
        assert_eq!(cue_of("Daughter"), Some(Cue::Relation));
        assert_eq!(cue_of("w"), Some(Cue::Action));
        assert_eq!(cue_of("aware"), Some(Cue::After));
        for word in [
            "",
            "d",
            "patio",
            "drip",
            "sonogram",
            "a-very-long-word-indeed",
        ] {
            assert_eq!(cue_of(word), None, "{word:?}");
        }
        // Every listed cue word is found by the fast path.
        for &(w, c) in CUE_WORDS {
            assert_eq!(cue_of(w), Some(c), "{w:?}");
        }
    }

    #[test]
    fn stop_words() {
        // Every listed word passes the filter and the probe, in any case.
        for &w in STOP_WORDS {
            assert!(is_stop(w), "{w:?}");
            assert!(is_stop(&w.to_ascii_uppercase()), "{w:?}");
        }
        assert!(is_stop("The") && is_stop("I'M") && is_stop("Portuguese"));
        for word in [
            "",
            "Smith",
            "thee",
            "t",
            "ma",
            "tod",
            "she's",
            "a-very-long-word-indeed",
        ] {
            assert!(!is_stop(word), "{word:?}");
        }
    }

    #[test]
    fn titles() {
        assert_eq!(names("Dr. Young in."), [("Young", "name.title")]);
        assert!(names("Dr. MRN, Dr. DOB, DR SSN").is_empty());
        assert_eq!(texts("seen by DR SMITH, DR JONES."), ["SMITH", "JONES"]);
        assert_eq!(texts("Dr. J. Kowalczyk"), ["J. Kowalczyk"]);
        assert_eq!(texts("per Dr. Quellhorst-Moore."), ["Quellhorst-Moore"]);
        assert_eq!(texts("Dr. Vance's note"), ["Vance"]);
        // A lowercase word in a cased note only when it is no English word.
        assert_eq!(texts("Paged Dr. ridgeworth."), ["ridgeworth"]);
        assert!(texts("Asked Dr. about it.").is_empty());
        assert!(texts("DR AWARE. MS CHANGES NOTED.").is_empty());
        assert!(texts("Ms: alert.").is_empty());
        assert!(texts("drs.rt heel").is_empty());
    }

    #[test]
    fn credentials() {
        assert_eq!(
            names("Anneliese Barkowitz, RN"),
            [("Anneliese Barkowitz", "name.credential")]
        );
        assert_eq!(texts("Kowalczyk PA-C"), ["Kowalczyk"]);
        assert_eq!(texts("by Q. Lindqvast RRT"), ["Q. Lindqvast"]);
        // "PA" is also Pennsylvania and the pulmonary artery.
        assert!(texts("moved to Erie, PA 16501").is_empty());
        assert!(texts("RIJ PA line").is_empty());
        // A lone common word before a credential is a role, not a name.
        assert!(texts("Night RN aware.").is_empty());
        assert!(texts("4L NP sats 95%").is_empty());
    }

    #[test]
    fn relations() {
        assert_eq!(names("son Tom called"), [("Tom", "name.relation")]);
        assert_eq!(texts("wife (Mary) here"), ["Mary"]);
        assert_eq!(texts("daughter, Ann Lee, visited"), ["Ann Lee"]);
        assert_eq!(texts("Mary (wife) here"), ["Mary"]);
        assert_eq!(texts("Tom Reed, son, called"), ["Tom Reed"]);
        assert_eq!(texts("son-in-law Bartholomew visited"), ["Bartholomew"]);
        assert_eq!(texts("daughter is Mrs. Ann Lee"), ["Ann Lee"]);
        assert_eq!(
            texts("sons Ambrose, Lucian and Florian"),
            ["Ambrose", "Lucian", "Florian"]
        );
        // Caseless: only listed names; "nad" and misspellings are shorthand.
        assert_eq!(texts("WIFE MARGARET IN TO VISIT"), ["MARGARET"]);
        assert!(texts("WIFE NAD IN ROOM. SON PRESNT TILL 2100.").is_empty());
        assert!(texts("Son in to visit. Wife aware.").is_empty());
    }

    #[test]
    fn action_cues() {
        assert_eq!(names("held per Kowalczyk"), [("Kowalczyk", "name.cue")]);
        assert_eq!(
            texts("discussed with Radomir Castellane today"),
            ["Radomir Castellane"]
        );
        assert_eq!(texts("Low BP, Z. Hartigan aware."), ["Z. Hartigan"]);
        assert_eq!(texts("cc: Okafor"), ["Okafor"]);
        assert_eq!(texts("Vasquez notified."), ["Vasquez"]);
        // A common word after a weak cue is not a name.
        assert!(texts("Seen by Brown team. Per Will, fine.").is_empty());
        assert!(texts("covered per RISS. w/ min assist. by EMS.").is_empty());
        assert!(texts("HO aware. Team aware. 190's. Team aware.").is_empty());
        assert!(texts("reported to h.o. bp 90/50").is_empty());
    }

    #[test]
    fn pairs() {
        assert_eq!(
            names("Today Rebecca Kowalczyk admitted"),
            [("Rebecca Kowalczyk", "name.pair")]
        );
        assert_eq!(
            texts("Gregory Q. Castellano here"),
            ["Gregory Q. Castellano"]
        );
        assert_eq!(
            texts("Contact Kowalczyk, Rebecca."),
            ["Kowalczyk", "Rebecca"]
        );
        // Drugs, eponyms and common words are no pair.
        assert!(texts("Parkinson Disease. Grace Period. Lasix Heparin.").is_empty());
        // Unless both are among the most frequent names, capitalized in a cased note.
        assert_eq!(
            names("John Smith is a 67 yo man."),
            [("John Smith", "name.pair")]
        );
        assert!(texts("JOHN SMITH IS A 67 YO MAN. john smith").is_empty());
        assert!(texts("Will Brown stool be sent? Rose Hill Hospital.").is_empty());
        // A list is not "Last, First".
        assert!(texts("Kowalczyk, Rebecca, Bruno").len() < 2);
    }

    #[test]
    fn repeats() {
        assert_eq!(
            names("Dr. Quentara paged. Quentara in."),
            [("Quentara", "name.title"), ("Quentara", "name.repeat")]
        );
        // Caseless notes repeat case-insensitively.
        assert_eq!(
            texts("son desmond called. will call desmond back."),
            ["desmond", "desmond"]
        );
        // Common words are not repeated: "Dr. Young" does not make every "young" a name.
        assert_eq!(texts("Dr. Young aware. Young pt."), ["Young"]);
        // In a cased note a lowercase repeat is a word.
        assert_eq!(texts("Dr. Rose saw pt. rose from bed."), ["Rose"]);
    }

    #[test]
    fn common_words_stay_untouched() {
        for text in [
            "Will call back. Hope to wean. May 3 follow up.",
            "Brown stool. White count 12. Foley catheter.",
            "Parkinson's disease, Hodgkin lymphoma, Babinski negative.",
            "MICU to CCU, BUN 20, Pt NAD.",
            "Interpreter called; daughter, Russian speaking.",
        ] {
            assert!(texts(text).is_empty(), "{text:?}: {:?}", texts(text));
        }
    }

    #[test]
    fn names_stay_on_their_line() {
        assert_eq!(texts("Dr.\nSmith"), Vec::<&str>::new());
        assert_eq!(texts("son Tom\nReed"), ["Tom"]);
    }
}
