//! Places: street addresses, cities, counties and facilities (hospitals, clinics, rehabs, towns).
//!
//! Places are not pattern-shaped. "Harbor" is an English word, a street suffix, a surname and a
//! town; "Lakeside Memorial" is a hospital. Only the words around a place tell, so this family
//! works on the document's [`Words`] and asks the dictionary about the few tokens that context
//! makes candidates. Rules, each documented at its function:
//!
//! - [`Places::street_address`]: a house number, street-name words and a street suffix ("12 Elm St",
//!   "1200 North Main Street", "45 Oak Ave., Apt 3B"), and numbered streets ("5th Ave"). PO boxes
//!   are a pattern in `geo.rs`.
//! - [`Places::city_state`], [`Places::city_state_name`]: a city before ", ST", ", State" or
//!   "ST 02114" ("Quincy, MA").
//! - [`Places::county`]: a county name before "County", "Parish" or "Borough".
//! - [`Places::facility`]: the proper name before a facility word ("Hartwell Hospital" ->
//!   "Hartwell").
//! - [`Places::after_cue`]: a place after a cue verb: "transferred to X", "admitted from X", "lives in
//!   X", "moved to X", "daughter from X"; a building with its floor ("to Lakeview 2").
//! - [`Places::hospital_abbr`]: a hospital's initials ("VH", "UMMC") after a preposition or
//!   before a department word ("at VH", "PRMC nurse").
//! - [`Places::hospital_name_at`]: hospital names shared across the country and made of English
//!   words ("Sacred Heart", "Good Samaritan") after a preposition or before a facility word.
//! - [`Places::region_at`]: a named region inside a state ("from the Outer Banks").
//! - [`Places::building_in_plan`], [`Places::glued_building`]: a building and floor heading a
//!   plan ("PLAN: LAKEVIEW 2 WHEN BED AVAIL") or glued together ("admitted to LAKEVIEW7").
//! - [`Places::repeat`]: every other occurrence, in the same note, of a name found above (also
//!   glued to a floor number).
//!
//! What is never reported:
//! - A US state or territory alone, by name or abbreviation: Safe Harbor keeps states.
//! - Generic places: "outside hospital" (and its shorthand OSH), "nursing home", "rehab", "the
//!   VA", wards and units ("MICU", "CCU", "5 West", "ED", "floor"), services ("Cardiology
//!   Clinic"). They name no particular place.
//! - Countries and continents ("lives in Italy"): larger than a state.
//!
//! Span: only the proper name is reported, never the facility word: "HARTWELL" in "HARTWELL
//! HOSPITAL", "St. Luke's" in "St. Luke's Medical Center". Redacting the name removes what
//! identifies the place and keeps "hospital" readable. That is also how the annotated corpora
//! we measure against mark facilities.
//!
//! Speed: the pass over the tokens tests each word against bit filters of the built-in lists
//! (cue verbs, facility heads, prepositions, street suffixes; see [`WordSet`]); the dictionary
//! is asked only about candidates those let through, so most tokens cost a few bit tests.

use std::cell::Cell;

use super::calendar::{joined, WEEKDAYS};
use super::geo;
use super::words::{Words, LETTER_INDEX};
use crate::dict::{Class, Entry};
use crate::text::{Shape, Token};
use crate::{Finding, Kind, Span};

/// Scores. A place found by a strong shape (an address, "City, ST") outranks one inferred from a
/// cue alone; all stay below the pattern detectors' typical 0.85-0.95 except the address.
const SCORE_ADDRESS: f32 = 0.85;
const SCORE_CITY_STATE: f32 = 0.8;
const SCORE_COUNTY: f32 = 0.75;
const SCORE_FACILITY: f32 = 0.7;
const SCORE_CUE: f32 = 0.65;
const SCORE_BARE: f32 = 0.55;

/// Adds this family's candidates to `out`.
pub(crate) fn find(words: &Words<'_>, out: &mut Vec<Finding>) {
    let first = out.len();
    let p = Places::new(words);
    let toks = words.tokens();
    let mut scan = Scan {
        skip_until: 0,
        street_tried: usize::MAX,
    };
    // This loop runs for every token of every note, and nine tokens in ten start no rule: it
    // only sorts tokens and leaves the rules to `Places::word_rules` and
    // `Places::comma_or_zip_rules` (kept out of line so that the loop stays small). The three
    // tests are made without a branch each and joined into one: whether a token passes one has
    // no pattern from one token to the next, and as separate branches they mispredicted on
    // most tokens.
    for (i, t) in toks.iter().enumerate() {
        let bytes = t.text.as_bytes();
        let n = bytes.len();
        let (Some(&first), Some(&last)) = (bytes.first(), bytes.last()) else {
            continue;
        };
        let a = usize::from(LETTER_INDEX[usize::from(first)]);
        let z = usize::from(LETTER_INDEX[usize::from(last)]);
        let rule = passes_rule_words(a, z, n);
        let comma = (n == 1) & (first == b',');
        let zip = (t.shape == Shape::Digits) & (n == 5);
        if !(rule | comma | zip) {
            continue;
        }
        if rule {
            // A word that passes is shorter than 31 bytes.
            p.word_rules(i, t, (a * 26 + z, 1 << (n & 31)), &mut scan, out);
        } else if comma {
            // Every comma rule reports the words before the comma, which must be written as a
            // name: in a cased note that rules out most commas.
            if i.checked_sub(1).is_some_and(|w| p.proper_case(w)) {
                p.comma_or_zip_rules(i, t, &scan, out);
            }
        } else {
            p.comma_or_zip_rules(i, t, &scan, out);
        }
    }
    p.repeat(first, out);
}

/// Whether a word of `n` bytes whose first and last bytes have [`LETTER_INDEX`] `a` and `z`
/// passes [`RULE_WORDS`]: the test of the pass over the tokens, made without a branch, on the
/// table in the form that needs the fewest steps ([`RULE_STARTS`]).
#[inline(always)]
fn passes_rule_words(a: usize, z: usize, n: usize) -> bool {
    // Rows of a first byte that is no letter (26) are empty, and so is the row of length 31,
    // which longer words read; a last byte that is no letter (26) reads a bit no row has.
    RULE_STARTS[(a << 5 | n.min(31)) & 1023] >> (z & 31) & 1 != 0
}

/// [`RULE_WORDS`] indexed by first letter (rows of 32 lengths; rows 26 to 31, for a byte that
/// is no letter, stay empty), with a bit per last letter.
const RULE_STARTS: [u32; 32 * 32] = {
    let mut table = [0u32; 32 * 32];
    let mut a = 0;
    while a < 26 {
        let mut z = 0;
        while z < 26 {
            let lengths = RULE_WORDS[a * 26 + z];
            if lengths >> 31 != 0 {
                panic!("a rule word has 31 bytes or more");
            }
            let mut n = 0;
            while n < 31 {
                if lengths & (1 << n) != 0 {
                    table[a * 32 + n] |= 1 << z;
                }
                n += 1;
            }
            z += 1;
        }
        a += 1;
    }
    table
};

/// Where the pass over the tokens is.
struct Scan {
    /// Facility chains already handled ("Hospital Medical Center") are skipped up to here.
    skip_until: usize,
    /// The last house number an address was tried from, so that two suffixes after it
    /// ("Harbor View Drive") try it once.
    street_tried: usize,
}

/// Every word that may start or end a rule: [`TRIGGERS`], [`SUFFIXES`] and [`ABBR_ENDINGS`] in
/// one filter, so that the pass over the tokens dismisses most words with one test.
const RULE_WORDS: [u32; 676] = {
    let mut filter = [0u32; 676];
    let mut at = 0;
    while at < 676 {
        filter[at] = TRIGGERS[at] | SUFFIXES[at] | ABBR_ENDINGS[at];
        at += 1;
    }
    filter
};

/// (first letter, length) pairs of the words that start a rule, so that most tokens are
/// dismissed with one bit test instead of ~45 string comparisons.
const SUFFIXES: [u32; 676] =
    letter_length_filter(&[CORE_SUFFIXES.words, STREET_SUFFIX_WORDS.words]);

/// USPS suffixes other than the core ones that a cased address may end with (the dictionary
/// confirms them). Listed so a cheap filter can skip numbers with no suffix after them.
const STREET_SUFFIX_WORDS: WordSet = WordSet::new(&[
    "alley",
    "bend",
    "bluff",
    "bypass",
    "causeway",
    "cove",
    "crescent",
    "crossing",
    "expressway",
    "freeway",
    "gardens",
    "glen",
    "green",
    "grove",
    "heights",
    "hill",
    "hills",
    "hollow",
    "junction",
    "landing",
    "loop",
    "mall",
    "manor",
    "meadow",
    "meadows",
    "mews",
    "park",
    "parkway",
    "path",
    "plaza",
    "point",
    "ridge",
    "road",
    "route",
    "row",
    "run",
    "terrace",
    "trace",
    "view",
    "village",
    "vista",
    "walk",
    "wharf",
]);

const TRIGGERS: [u32; 676] = {
    let mut filter = letter_length_filter(&[
        FACILITY_HEADS.words,
        COUNTY_WORDS.words,
        PREPOSITIONS.words,
        PLAN_WORDS.words,
        EMPLOY_CUES.words,
        STATE_NAMES.words,
    ]);
    // "glenvale ohio's facility": a state's name with "'s" ends in "s", two bytes longer.
    let names = STATE_NAMES.words;
    let mut w = 0;
    while w < names.len() {
        let bytes = names[w].as_bytes();
        let n = bytes.len() + 2;
        if n < 32 {
            filter[(bytes[0] - b'a') as usize * 26 + (b's' - b'a') as usize] |= 1 << n;
        }
        w += 1;
    }
    filter
};

/// A filter over (first letter, last letter, length) of the words in `lists`: for each pair
/// of letters, a bit per word length (1-31).
pub(crate) const fn letter_length_filter(lists: &[&[&str]]) -> [u32; 676] {
    let mut filter = [0u32; 676];
    let mut l = 0;
    while l < lists.len() {
        let list = lists[l];
        let mut w = 0;
        while w < list.len() {
            let bytes = list[w].as_bytes();
            let n = bytes.len();
            if n > 0 && n < 32 && bytes[0].is_ascii_lowercase() && bytes[n - 1].is_ascii_lowercase()
            {
                let at = (bytes[0] - b'a') as usize * 26 + (bytes[n - 1] - b'a') as usize;
                filter[at] |= 1 << n;
            }
            w += 1;
        }
        l += 1;
    }
    filter
}

/// The index and bit of `word` in a [`letter_length_filter`], if it starts and ends with a
/// letter and is short enough to be in one.
///
/// Two table loads and one branch: this runs for every token of a note, and the tests it
/// replaces (letter? letter? short?) mispredicted often.
#[inline]
fn filter_key(word: &str) -> Option<(usize, u32)> {
    let bytes = word.as_bytes();
    let n = bytes.len();
    let first = *bytes.first()?;
    let last = *bytes.get(n - 1)?;
    let a = usize::from(LETTER_INDEX[usize::from(first)]);
    let z = usize::from(LETTER_INDEX[usize::from(last)]);
    ((a < 26) & (z < 26) & (n < 32)).then(|| (a * 26 + z, 1 << n))
}

/// Whether `word` may be in the lists `filter` was made from (false: it is not).
pub(crate) fn may_be_in(filter: &[u32; 676], word: &str) -> bool {
    filter_key(word).is_some_and(|(at, bit)| filter.get(at).is_some_and(|bits| bits & bit != 0))
}

/// The document and what every rule needs to look at it.
struct Places<'a, 't> {
    words: &'a Words<'t>,
    toks: &'a [Token<'t>],
    caseless: bool,
    /// The last dictionary answers by token index, direct-mapped: the rules ask about the same
    /// words (the name after a cue, then the name before a facility word, then the name's
    /// repeats), and a lookup costs a few hundred instructions.
    entries: [Cell<(usize, Option<Entry>)>; ENTRY_SLOTS],
}

/// The size of [`Places::entries`]: rules look at most a few tokens around the word they
/// start from.
const ENTRY_SLOTS: usize = 32;

/// A list of lowercase words with a filter in front: most words are dismissed by one bit test
/// (see [`letter_length_filter`]) before any string comparison, and the words the filter lets
/// through are found with one hash probe rather than a comparison with every word of the list.
struct WordSet {
    words: &'static [&'static str],
    filter: [u32; 676],
    /// An open-addressing table over [`fold_hash`]: index + 1 into `words`, 0 for an empty
    /// slot. Sets hold at most half as many words as there are slots, so probes stay short.
    slots: [u8; SLOTS],
}

/// The size of a [`WordSet`]'s hash table.
const SLOTS: usize = 256;

/// An FNV-1a hash of `bytes` that ignores ASCII case (`| 0x20` lowercases letters; the few
/// punctuation bytes it merges only make a collision, which the comparison after the probe
/// settles), reduced to a slot of a [`WordSet`].
#[inline]
const fn fold_hash(bytes: &[u8]) -> usize {
    let mut h: u32 = 0x811c_9dc5;
    let mut i = 0;
    while i < bytes.len() {
        h = (h ^ (bytes[i] | 0x20) as u32).wrapping_mul(0x0100_0193);
        i += 1;
    }
    (h >> 24) as usize % SLOTS
}

impl WordSet {
    const fn new(words: &'static [&'static str]) -> WordSet {
        assert!(
            words.len() <= SLOTS / 2,
            "a WordSet holds at most 128 words"
        );
        let mut slots = [0u8; SLOTS];
        let mut w = 0;
        while w < words.len() {
            let mut slot = fold_hash(words[w].as_bytes());
            while slots[slot] != 0 {
                slot = (slot + 1) % SLOTS;
            }
            slots[slot] = (w + 1) as u8;
            w += 1;
        }
        WordSet {
            words,
            filter: letter_length_filter(&[words]),
            slots,
        }
    }

    /// Whether `word` is in the set, ignoring ASCII case.
    #[inline(always)]
    fn has(&self, word: &str) -> bool {
        match filter_key(word) {
            Some((at, bit)) => self.has_keyed(word, at, bit),
            // Words that do not start and end with a letter ("l&d", "d/c'd") skip the filter.
            None => self.probe(word),
        }
    }

    /// [`WordSet::has`] for a word that starts and ends with a letter, whose [`filter_key`]
    /// is already known. Always inlined: the filter test is a load and a bit test, and most
    /// words stop there.
    #[inline(always)]
    fn has_keyed(&self, word: &str, at: usize, bit: u32) -> bool {
        if !self.filter.get(at).is_some_and(|b| b & bit != 0) {
            return false;
        }
        // A word of one or two letters is its first and last letter: the filter said it all.
        word.len() <= 2 || self.probe(word)
    }

    /// Whether `word` is in the set, by the hash table.
    fn probe(&self, word: &str) -> bool {
        let mut slot = fold_hash(word.as_bytes());
        for _ in 0..SLOTS {
            let Some(&k) = self.slots.get(slot).filter(|&&k| k != 0) else {
                return false;
            };
            let listed = usize::from(k)
                .checked_sub(1)
                .and_then(|w| self.words.get(w))
                .is_some_and(|w| w.eq_ignore_ascii_case(word));
            if listed {
                return true;
            }
            slot = (slot + 1) % SLOTS;
        }
        false
    }
}

/// Whether `word` equals one of `list`, ignoring ASCII case.
fn is_any(word: &str, list: &[&str]) -> bool {
    list.iter().any(|w| w.eq_ignore_ascii_case(word))
}

/// Cue verbs and nouns that make the place after "to", "from", "at", "in" or "of" a facility
/// the patient moved between: "transferred to", "admitted from", "sent to", "seen at".
const MOVE_CUES: WordSet = WordSet::new(&[
    "accepted",
    "adm",
    "admit",
    "admitted",
    "arrived",
    "brought",
    "came",
    "discharged",
    "flighted",
    "flown",
    "medflight",
    "medflighted",
    "presented",
    "presenting",
    "readmitted",
    "sent",
    "enroute",
    "come",
    "coming",
    "referred",
    "taken",
    "trans",
    "transfer",
    "transferred",
    "transfered",
    "transferring",
    "tranfered",
    "transported",
    "tx",
    "tx'd",
    "txd",
    "went",
    "xfer",
    "xferred",
]);

/// Cue verbs that move patients but also other things: "sent to BB" (a specimen), "returned
/// to NSR" (a rhythm), "works at".
const MOVE_CUES_WEAK: WordSet = WordSet::new(&[
    "d/c'd", "dc'd", "followed", "go", "going", "retired", "return", "returned", "seen", "treated",
    "work", "worked", "works",
]);

/// Cue words that make the place after "in", "to", "from", "of" or "near" where someone lives or
/// travels: "lives in", "moved to", "vacation in", "daughter from". Places after these are
/// towns and cities far more often than facilities.
const HOME_CUES: WordSet = WordSet::new(&[
    "arrive",
    "arriving",
    "aunt",
    "born",
    "brother",
    "cousin",
    "dau",
    "daughter",
    "daughters",
    "dtr",
    "family",
    "father",
    "flew",
    "fly",
    "flying",
    "friend",
    "friends",
    "grandson",
    "granddaughter",
    "home",
    "husband",
    "lived",
    "lives",
    "living",
    "move",
    "moved",
    "moving",
    "mother",
    "native",
    "nephew",
    "niece",
    "relocated",
    "relocating",
    "resident",
    "resides",
    "residing",
    "sister",
    "sisters",
    "son",
    "sons",
    "uncle",
    "vacation",
    "vacationing",
    "visiting",
    "wife",
]);

/// The prepositions the cue rules start from.
const PREPOSITIONS: WordSet = WordSet::new(&["to", "from", "at", "in", "of", "near", "on"]);

/// First words of the facility phrases in `dictionaries/facility_words.txt`: a token must be one
/// of these before the dictionary is asked whether a facility phrase starts there.
const FACILITY_HEADS: WordSet = WordSet::new(&[
    "assisted",
    "campus",
    "cancer",
    "center",
    "centre",
    "clinic",
    "clinics",
    "convalescent",
    "ctr",
    "dialysis",
    "health",
    "healthcare",
    "hosp",
    "hospice",
    "hospital",
    "hospitals",
    "infirmary",
    "institute",
    "manor",
    "med",
    "medical",
    "memorial",
    "nursing",
    "pavilion",
    "rehab",
    "rehabilitation",
    "rest",
    "retirement",
    "sanatorium",
    "sanitarium",
    "senior",
    "skilled",
    "surgery",
    "surgical",
    "vamc",
]);

/// The second words of the facility phrases in `dictionaries/facility_words.txt` ("medical
/// center", "rest home", "nursing and rehabilitation center"). A test keeps it complete.
const FACILITY_SECOND_WORDS: WordSet = WordSet::new(&[
    "and",
    "associates",
    "care",
    "center",
    "centre",
    "community",
    "ctr",
    "facility",
    "group",
    "health",
    "home",
    "hospital",
    "living",
    "medical",
    "nursing",
    "practice",
    "room",
    "system",
    "term",
]);

/// Facility words too common in other senses to end a facility name unless nothing follows
/// them: "Medical History", "health care proxy", "Center line", "Surgery team".
const WEAK_HEADS: WordSet = WordSet::new(&[
    "campus",
    "center",
    "centre",
    "ctr",
    "health",
    "healthcare",
    "institute",
    "manor",
    "medical",
    "memorial",
    "pavilion",
    "rest",
    "senior",
    "surgery",
]);

/// Words a place name may contain without being distinctive by themselves: "University of
/// Vermont", "St. Luke's", "Brigham and Women's", "Springfield General".
const CONNECTIVES: WordSet = WordSet::new(&[
    "&",
    "and",
    "children's",
    "childrens",
    "community",
    "county",
    "ft",
    "fort",
    "general",
    "greater",
    "memorial",
    "mt",
    "mount",
    "new",
    "north",
    "of",
    "regional",
    "saint",
    "south",
    "east",
    "west",
    "st",
    "ste",
    "u",
    "univ",
    "university",
    "women's",
]);

/// Words never part of a place name although the dictionary knows them as names or places:
/// determiners, directions of wards, and clinical words that are also surnames ("Pain",
/// "Home"). Also generic facility shorthand: OSH ("outside hospital"), NH, SNF, LTC, ALF, VNA
/// name no particular place.
const NEVER_NAME: WordSet = WordSet::new(&NEVER_NAME_WORDS);

/// [`NEVER_NAME`]'s words: its own list and the weekday names.
const NEVER_NAME_WORDS: [&str; NEVER_NAME_OWN.len() + WEEKDAYS.len()] =
    joined(NEVER_NAME_OWN, &WEEKDAYS);

/// The words of [`NEVER_NAME`] other than the weekday names.
const NEVER_NAME_OWN: &[&str] = &[
    // Prepositions and conjunctions that end a name: "at VH by Dr. X", "in Cedar Rapids by
    // EMS", "Ashgrove or Kessington Rehab".
    "by",
    "or",
    "with",
    "for",
    "via",
    "per",
    "meds",
    "a",
    "acute",
    "alf",
    "con't",
    "cont",
    "pre",
    "prev",
    "all",
    "an",
    "another",
    "any",
    "area",
    "bed",
    "burn",
    "call",
    "cardiac",
    "care",
    "day",
    "ecf",
    "er",
    "ed",
    "ew",
    "floor",
    "her",
    "his",
    "home",
    "house",
    "inpatient",
    "its",
    "local",
    "long",
    "ltac",
    "ltach",
    "ltc",
    "my",
    "nearby",
    "next",
    "nh",
    "osh",
    "other",
    "our",
    "outpatient",
    "outside",
    "pain",
    "park",
    "previous",
    "prior",
    "private",
    "psych",
    "psychiatric",
    "rehab",
    "same",
    "short",
    "snf",
    "subacute",
    "that",
    "the",
    "their",
    "this",
    "unit",
    "vna",
    "walk",
    "wound",
    "your",
];

/// Wards, units, services and rooms that follow "transferred to": not places in the Safe
/// Harbor sense. Together with the dictionary's clinical abbreviations.
const WARDS: WordSet = WordSet::new(&[
    // Wards and units.
    "ccu", "csru", "cvicu", "ed", "er", "ew", "floor", "icu", "micu", "nicu", "pacu", "pcu", "picu",
    "pmicu", "fmicu", "sdu", "sicu", "tcu", "tele", "tsicu", "unit", "vicu", "ward", "stepdown",
    "neuro", "or", "l&d", "ob", // Procedure rooms, imaging, lab.
    "angio", "bb", "cath", "catscan", "ct", "ctscan", "ep", "gi", "hd", "ir", "lab", "mri", "us",
    // Staff.
    "dr", "md", "np", "ot", "pa", "pt", "rn", "rt", "sw",
    // Ventilator modes, oxygen devices, rhythms, lines and sites.
    "ac", "av", "bipap", "cmv", "cn", "cpap", "fem", "imv", "nc", "nrb", "nsb", "nsr", "psv", "ra",
    "rv", "simv", "tlc", // Generic places.
    "alf", "ecf", "home", "hospice", "ltac", "ltach", "ltc", "nh", "osh", "rehab", "snf", "va",
    "vna",
]);

/// Countries, continents and regions larger than a state: not Safe Harbor places. Only the ones
/// notes mention as where family lives or comes from; a place missing here that the dictionary
/// does not know is reported, which errs on the side of redaction.
const LARGER_THAN_A_STATE: WordSet = WordSet::new(&[
    "africa",
    "america",
    "asia",
    "bahamas",
    "bermuda",
    "brazil",
    "canada",
    "china",
    "cuba",
    "dominican",
    "england",
    "europe",
    "france",
    "germany",
    "greece",
    "haiti",
    "india",
    "ireland",
    "israel",
    "italy",
    "jamaica",
    "japan",
    "korea",
    "mexico",
    "nigeria",
    "philippines",
    "poland",
    "portugal",
    "russia",
    "scotland",
    "spain",
    "uk",
    "usa",
    "us",
    "vietnam",
]);

/// The preposition a cue rule starts from (one of [`PREPOSITIONS`]): matched once per rule
/// rather than compared as text at each of its steps.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Prep {
    To,
    From,
    At,
    In,
    Of,
    Near,
    On,
}

impl Prep {
    /// Every preposition with its word (the words of [`PREPOSITIONS`]).
    const ALL: [(&'static str, Prep); 7] = [
        ("to", Prep::To),
        ("from", Prep::From),
        ("at", Prep::At),
        ("in", Prep::In),
        ("of", Prep::Of),
        ("near", Prep::Near),
        ("on", Prep::On),
    ];
}

/// Several word lists joined, so that a word is looked up once for all of them: for each
/// [`filter_key`] index (a first and a last letter) a [`JoinedRow`] with the lengths of the
/// listed words that have these letters and where those words are, and each listed word once,
/// with a bit for each list that holds it.
///
/// Testing a word against each list's own filter cost a cache line per filter (all probed at
/// the same key, far apart) and a hash probe for every filter collision ("sedated" passes
/// the filter of "skilled", "pain" that of "plan"). Here the row settles most words, and the
/// few words of the row are compared directly.
struct Joined {
    rows: [JoinedRow; 676],
    entries: [JoinedWord; JOINED_CAP],
}

/// See [`Joined`]. Eight bytes: eight rows to a cache line.
#[derive(Clone, Copy)]
struct JoinedRow {
    /// A bit per length of the listed words with this row's letters (as in
    /// [`letter_length_filter`]).
    lengths: u32,
    /// `entries[start..start + count]` are the listed words with this row's letters.
    start: u8,
    count: u8,
}

/// A listed word and the lists that hold it (bit `k` for the `k`th list of [`Joined::new`]).
#[derive(Clone, Copy)]
struct JoinedWord {
    word: &'static str,
    lists: u8,
}

/// Room for the words of the lists a [`Joined`] joins.
const JOINED_CAP: usize = 256;

/// Whether two words are equal, for the tables built at compile time.
const fn same_word(a: &str, b: &str) -> bool {
    let (a, b) = (a.as_bytes(), b.as_bytes());
    if a.len() != b.len() {
        return false;
    }
    let mut i = 0;
    while i < a.len() {
        if a[i] != b[i] {
            return false;
        }
        i += 1;
    }
    true
}

/// The [`filter_key`] index of a listed word, which must have no capital (so that
/// [`Joined::row_lists`] compares it with the word lowercased) and start and end with a letter.
const fn listed_key(word: &str) -> usize {
    let bytes = word.as_bytes();
    let n = bytes.len();
    assert!(n > 0 && n < 32, "listed words have 1 to 31 bytes");
    let mut i = 0;
    while i < n {
        assert!(!bytes[i].is_ascii_uppercase(), "listed words are lowercase");
        i += 1;
    }
    assert!(
        bytes[0].is_ascii_lowercase() && bytes[n - 1].is_ascii_lowercase(),
        "listed words start and end with a letter"
    );
    (bytes[0] - b'a') as usize * 26 + (bytes[n - 1] - b'a') as usize
}

/// The bytes of `word` between its first and last (none for one or two bytes).
#[inline]
fn inner_bytes(word: &str) -> Option<&[u8]> {
    let last = word.len().checked_sub(1)?;
    word.as_bytes().get(1..last)
}

impl Joined {
    /// Joins `lists` (at most eight).
    const fn new(lists: &[&[&'static str]]) -> Joined {
        assert!(lists.len() <= 8, "a Joined has a bit per list in a u8");
        // Each word once, with its lists.
        let mut words = [JoinedWord { word: "", lists: 0 }; JOINED_CAP];
        let mut len = 0;
        let mut l = 0;
        while l < lists.len() {
            let list = lists[l];
            let mut w = 0;
            while w < list.len() {
                let mut e = 0;
                while e < len && !same_word(words[e].word, list[w]) {
                    e += 1;
                }
                if e == len {
                    assert!(len < JOINED_CAP, "too many words to join");
                    words[e].word = list[w];
                    len += 1;
                }
                words[e].lists |= 1 << l;
                w += 1;
            }
            l += 1;
        }
        // Sorted by filter key, so that a row's words are side by side.
        let mut entries = words;
        let mut rows = [JoinedRow {
            lengths: 0,
            start: 0,
            count: 0,
        }; 676];
        let mut next = 0;
        let mut at = 0;
        while at < 676 {
            rows[at].start = next as u8;
            let mut e = 0;
            while e < len {
                if listed_key(words[e].word) == at {
                    entries[next] = words[e];
                    next += 1;
                    rows[at].count += 1;
                    rows[at].lengths |= 1 << words[e].word.len();
                }
                e += 1;
            }
            at += 1;
        }
        Joined { rows, entries }
    }

    /// The lists that hold `word` (a bit per list; 0 for none), ignoring ASCII case, given its
    /// [`filter_key`].
    #[inline]
    fn lists(&self, word: &str, at: usize, bit: u32) -> u8 {
        match self.rows.get(at) {
            Some(row) if row.lengths & bit != 0 => self.row_lists(row, word),
            _ => 0,
        }
    }

    /// [`Joined::lists`] for a word whose row, `row`, is known and lets its length through.
    ///
    /// The row's words all have the word's first and last letter, so only the length and the
    /// bytes between are compared: for the prepositions ("to", "in", "of"), among the most
    /// frequent words of a note, the length alone.
    #[inline]
    fn row_lists(&self, row: &JoinedRow, word: &str) -> u8 {
        // `start` is a u8 and there are 256 entries: `get` cannot fail, and the compiler
        // knows it (a range `start..start + count` would cost a bounds test on its end).
        self.entries
            .get(usize::from(row.start)..)
            .unwrap_or(&[])
            .iter()
            .take(usize::from(row.count))
            .find(|e| {
                e.word.len() == word.len()
                    && match (inner_bytes(e.word), inner_bytes(word)) {
                        (Some(listed), Some(bytes)) => listed
                            .iter()
                            .zip(bytes)
                            .all(|(&l, b)| b.to_ascii_lowercase() == l),
                        _ => true,
                    }
            })
            .map_or(0, |e| e.lists)
    }
}

/// The lists a word may start a rule from, joined (see [`Places::word_rules`]); the bit of
/// each list below.
const TRIGGER_LISTS: Joined = Joined::new(&[
    FACILITY_HEADS.words,
    COUNTY_WORDS.words,
    PREPOSITIONS.words,
    PLAN_WORDS.words,
    EMPLOY_CUES.words,
    STATE_NAMES.words,
]);
const FACILITY_HEAD: u8 = 1;
const COUNTY: u8 = 1 << 1;
const PREPOSITION: u8 = 1 << 2;
const PLAN: u8 = 1 << 3;
const EMPLOY: u8 = 1 << 4;
const STATE: u8 = 1 << 5;

/// What [`Places::word_rules`] needs to know about one [`filter_key`] index, side by side so
/// that a word costs one cache line here instead of one per filter: the lengths in
/// [`SUFFIXES`] and [`ABBR_ENDINGS`] (none longer than 15), the [`TRIGGER_LISTS`] row, and the
/// preposition with these letters.
#[derive(Clone, Copy)]
#[repr(align(16))]
struct KeyRow {
    triggers: JoinedRow,
    suffixes: u16,
    abbrs: u8,
    /// The seven prepositions differ in first or last letter: a word of [`PREPOSITIONS`] is
    /// the one of its row.
    prep: Option<Prep>,
}

/// The [`KeyRow`] of every [`filter_key`] index.
const KEY_ROWS: [KeyRow; 676] = {
    let mut rows = [KeyRow {
        triggers: JoinedRow {
            lengths: 0,
            start: 0,
            count: 0,
        },
        suffixes: 0,
        abbrs: 0,
        prep: None,
    }; 676];
    let mut at = 0;
    while at < 676 {
        assert!(SUFFIXES[at] >> 16 == 0 && ABBR_ENDINGS[at] >> 8 == 0);
        rows[at].suffixes = SUFFIXES[at] as u16;
        rows[at].abbrs = ABBR_ENDINGS[at] as u8;
        rows[at].triggers = TRIGGER_LISTS.rows[at];
        // "glenvale ohio's facility": a state's name with "'s" passes the row too (it is
        // looked up without the "'s").
        rows[at].triggers.lengths |= TRIGGERS[at];
        at += 1;
    }
    let mut p = 0;
    while p < Prep::ALL.len() {
        let (word, prep) = Prep::ALL[p];
        let at = listed_key(word);
        assert!(
            rows[at].prep.is_none(),
            "two prepositions with the same letters"
        );
        assert!(
            same_word(PREPOSITIONS.words[p], word),
            "PREPOSITIONS in the order of Prep::ALL"
        );
        rows[at].prep = Some(prep);
        p += 1;
    }
    rows
};

/// The cue word lists joined (see [`Places::cue_before`]); the bit of each list below.
const CUE_LISTS: Joined = Joined::new(&[
    MOVE_CUES.words,
    MOVE_CUES_WEAK.words,
    HOME_CUES.words,
    FILLERS.words,
]);
const MOVE: u8 = 1;
const MOVE_WEAK: u8 = 1 << 1;
const HOME: u8 = 1 << 2;
const FILLER: u8 = 1 << 3;

/// Cue kinds for [`Places::after_cue`].
#[derive(Clone, Copy, PartialEq, Eq)]
enum Cue {
    /// A patient moved between facilities ("transferred to").
    Move,
    /// A verb that moves patients but also specimens, rhythms or staff ("sent to", "returned
    /// to", "works at").
    MoveWeak,
    /// Where someone lives or comes from ("lives in").
    Home,
    /// No cue word: a bare preposition.
    None,
}

impl<'a, 't> Places<'a, 't> {
    fn new(words: &'a Words<'t>) -> Places<'a, 't> {
        Places {
            words,
            toks: words.tokens(),
            caseless: words.caseless(),
            entries: std::array::from_fn(|_| Cell::new((usize::MAX, None))),
        }
    }

    /// The rules after a comma (", MA", ", Massachusetts") or before a five-digit number
    /// ("MA 02114"): token `i` is one of them.
    #[inline(never)]
    fn comma_or_zip_rules(&self, i: usize, t: &Token<'t>, scan: &Scan, out: &mut Vec<Finding>) {
        if i < scan.skip_until {
            return;
        }
        if t.text == "," {
            self.city_state_name(i, out);
            if self.tok(i + 1).is_some_and(|n| n.text.len() == 2) {
                self.city_state(i + 1, out);
            }
        } else if i > 1 {
            let before_comma = self.text(i - 2) == ",";
            if self.tok(i - 1).is_some_and(|s| s.text.len() == 2) && !before_comma {
                self.city_state(i - 1, out);
            }
        }
    }

    /// The rules a word may start or end, given its [`filter_key`]: token `i` passed
    /// [`RULE_WORDS`]. Tokens of a facility chain already handled are skipped.
    #[inline(never)]
    fn word_rules(
        &self,
        i: usize,
        t: &Token<'t>,
        (at, bit): (usize, u32),
        scan: &mut Scan,
        out: &mut Vec<Finding>,
    ) {
        if i < scan.skip_until {
            return;
        }
        let Some(row) = KEY_ROWS.get(at) else { return };
        if u32::from(row.suffixes) & bit != 0 {
            // An address ends here: try the numbers up to six tokens back as its house number
            // (or ordinal), each once.
            // The window as a slice: one bounds test for the six tokens, not one each.
            let from = i.saturating_sub(6);
            let window = self.toks.get(from..i).unwrap_or(&[]);
            for (k, n) in (from..).zip(window) {
                let numeric =
                    matches!(n.shape, Shape::Digits | Shape::Alphanumeric) && n.line == t.line;
                if numeric && (scan.street_tried == usize::MAX || k > scan.street_tried) {
                    scan.street_tried = k;
                    let before = out.len();
                    self.street_address(k, out);
                    if out.len() > before {
                        break;
                    }
                }
            }
        }
        // Initials are written all caps or all lowercase (see `hospital_abbr`).
        if u32::from(row.abbrs) & bit != 0 && matches!(t.shape, Shape::AllCaps | Shape::Lower) {
            self.hospital_abbr(i, out);
        }
        if row.triggers.lengths & bit == 0 {
            return;
        }
        let lists = TRIGGER_LISTS.row_lists(&row.triggers, t.text);
        if lists & FACILITY_HEAD != 0 {
            if t.text.eq_ignore_ascii_case("campus") {
                self.campus(i, out);
            }
            if let Some(end) = self.facility_chain(i) {
                self.facility(i, end, out);
                scan.skip_until = end;
            }
        }
        if lists & COUNTY != 0 {
            self.county(i, out);
        }
        if lists & PREPOSITION != 0 {
            if let Some(prep) = row.prep {
                self.after_cue(i, prep, out);
            }
        }
        if lists & PLAN != 0 {
            self.building_in_plan(i, out);
        }
        if lists & EMPLOY != 0 {
            self.employer(i, out);
        }
        // "glenvale ohio's facility": a state's name with "'s" (rare: its own lookup).
        let state = match t.text.strip_suffix("'s") {
            Some(name) => STATE_NAMES.has(name),
            None => lists & STATE != 0,
        };
        if state {
            self.town_before_state(i, out);
        }
    }

    fn tok(&self, i: usize) -> Option<&Token<'t>> {
        self.toks.get(i)
    }

    fn text(&self, i: usize) -> &'t str {
        self.toks.get(i).map_or("", |t| t.text)
    }

    fn same_line(&self, i: usize, j: usize) -> bool {
        match (self.toks.get(i), self.toks.get(j)) {
            (Some(a), Some(b)) => a.line == b.line,
            _ => false,
        }
    }

    fn is_word(&self, i: usize) -> bool {
        self.tok(i).is_some_and(|t| is_word_shape(t.shape))
    }

    /// Whether token `i` is written like a proper name: capitalized or all caps, or any case
    /// in a caseless note.
    fn proper_case(&self, i: usize) -> bool {
        self.tok(i).is_some_and(|t| match t.shape {
            Shape::Capitalized | Shape::MixedCase => true,
            Shape::AllCaps => true,
            Shape::Lower => self.caseless,
            _ => false,
        })
    }

    /// What the dictionary knows about token `i`'s text (see [`Places::entries`]).
    fn entry(&self, i: usize) -> Option<Entry> {
        let Some(slot) = self.entries.get(i % ENTRY_SLOTS) else {
            return self.words.entry(i);
        };
        match slot.get() {
            (at, entry) if at == i => entry,
            _ => {
                let entry = self.words.entry(i);
                slot.set((i, entry));
                entry
            }
        }
    }

    /// The text from token `a` through token `b` (inclusive), as written.
    fn phrase(&self, a: usize, b: usize) -> &'t str {
        match (self.toks.get(a), self.toks.get(b)) {
            (Some(x), Some(y)) if x.span.start <= y.span.end => self
                .words
                .text()
                .get(x.span.start..y.span.end)
                .unwrap_or(""),
            _ => "",
        }
    }

    fn span(&self, a: usize, b: usize) -> Option<Span> {
        Some(Span::new(
            self.toks.get(a)?.span.start,
            self.toks.get(b)?.span.end,
        ))
    }

    fn push(
        &self,
        out: &mut Vec<Finding>,
        kind: Kind,
        a: usize,
        b: usize,
        score: f32,
        rule: &'static str,
    ) {
        if let Some(span) = self.span(a, b) {
            out.push(Finding {
                kind,
                span,
                score,
                detector: rule,
            });
        }
    }

    // ---------------------------------------------------------------------------------------
    // Street addresses

    /// STREET_ADDRESS: `number [direction] name-words suffix [, unit id]`.
    ///
    /// Accepts a house number (1-6 digits, optionally one letter: "12B") that does not continue
    /// another number ("3/4", "1.5") and does not follow "room", "bed" or "#"; then an optional
    /// direction ("N.", "West"); then one to four street-name words written as names
    /// (capitalized, or any case in a caseless note; ordinals like "5th" too); then a USPS street
    /// suffix from the dictionary. In a caseless note, and for suffixes that are common words in
    /// other senses ("Park", "View", "Run"), only the core suffixes count (Street, Ave, Road,
    /// Blvd, Lane, Drive, Court, Place, Way, ...). A unit designator and its number may follow
    /// ("Apt 3B", "Suite 200", "# 4").
    ///
    /// Also accepts a numbered street without a house number: an ordinal and a core suffix
    /// ("5th Ave", "42nd Street").
    ///
    /// Rejects "12 units", "3 Main problems" (no suffix), "2 St. John's wort" (no street name
    /// before the suffix), "5 West" and "10 East" (a ward: a direction is no street name),
    /// doses and counts (no suffix).
    fn street_address(&self, i: usize, out: &mut Vec<Finding>) {
        let Some(t) = self.tok(i) else { return };
        if t.shape == Shape::Alphanumeric
            && ordinal(t.text)
            && !self
                .tok(i.wrapping_sub(1))
                .is_some_and(|p| p.shape == Shape::Digits)
        {
            // "5th Ave": ordinal + core suffix, written as a name.
            if let Some(end) = self.suffix_at(i + 1, true) {
                let numbered = is_any(
                    self.text(i + 1),
                    &[
                        "street",
                        "st",
                        "avenue",
                        "ave",
                        "road",
                        "rd",
                        "blvd",
                        "boulevard",
                    ],
                );
                if numbered && self.proper_case(i + 1) {
                    let end = self.unit_after(end).unwrap_or(end);
                    self.push(
                        out,
                        Kind::StreetAddress,
                        i,
                        end,
                        SCORE_ADDRESS,
                        "place.street",
                    );
                }
            }
            return;
        }
        // Most numbers in a note are doses and vitals ("2 mg", "5 days"): the word after a
        // house number must be a street name's (or a direction, written as a name), and a word
        // that may be a street suffix must come two to six tokens later, with one bit test per
        // token. The word after is tested first: it rules out more numbers, and more cheaply,
        // than reading the number's digits.
        let named_next =
            self.same_line(i, i + 1) && self.tok(i + 1).is_some_and(|w| self.street_word(w));
        if !named_next {
            return;
        }
        let lettered = t.shape != Shape::Digits;
        let next_capitalized = self
            .tok(i + 1)
            .is_some_and(|n| n.shape == Shape::Capitalized);
        if !house_number(t.text) || (lettered && (self.caseless || !next_capitalized)) {
            return;
        }
        let suffix_ahead =
            (i + 2..=i + 6).any(|j| self.same_line(i, j) && may_be_in(&SUFFIXES, self.text(j)));
        if !suffix_ahead {
            return;
        }
        if let Some(prev) = i.checked_sub(1).and_then(|p| self.tok(p)) {
            let glued = prev.span.end == t.span.start;
            if glued && matches!(prev.text, "/" | "." | "-" | "$" | "#" | ":" | "+") {
                return;
            }
            if is_any(
                prev.text,
                &["room", "rm", "bed", "#", "x", "unit", "floor", "ward"],
            ) {
                return;
            }
        }
        // Optional direction, then name words, then the suffix.
        let mut j = i + 1;
        if self.same_line(i, j) && DIRECTIONS.has(self.text(j)) && self.proper_case(j) {
            j += 1;
            if self.text(j) == "." {
                j += 1;
            }
        }
        let first_name = j;
        while j < first_name + 4 && self.same_line(i, j) {
            let Some(w) = self.tok(j) else { return };
            // The suffix itself ends the name (at least one name word first).
            if j > first_name {
                if let Some(end) = self.suffix_at(j, self.caseless) {
                    let end = self.unit_after(end).unwrap_or(end);
                    self.push(
                        out,
                        Kind::StreetAddress,
                        i,
                        end,
                        SCORE_ADDRESS,
                        "place.street",
                    );
                    return;
                }
            }
            if !self.street_word(w) || NOT_STREET_NAME.has(w.text) {
                return;
            }
            if w.text.eq_ignore_ascii_case("x") {
                return;
            }
            j += 1;
        }
        // Four name words and still no suffix: the last chance is the token after them.
        if self.same_line(i, j) {
            if let Some(end) = self.suffix_at(j, self.caseless) {
                let end = self.unit_after(end).unwrap_or(end);
                self.push(
                    out,
                    Kind::StreetAddress,
                    i,
                    end,
                    SCORE_ADDRESS,
                    "place.street",
                );
            }
        }
    }

    /// Whether `w` may be a word of a street name: written as a name (any case in a caseless
    /// note), or an ordinal ("5th").
    fn street_word(&self, w: &Token<'_>) -> bool {
        match w.shape {
            Shape::Capitalized | Shape::AllCaps | Shape::MixedCase => true,
            Shape::Lower => self.caseless,
            Shape::Alphanumeric => ordinal(w.text),
            _ => false,
        }
    }

    /// If token `j` is a street suffix, the index of the last token of it. `core_only` limits
    /// it to the unambiguous suffixes. "Dr" followed by a capitalized word is a title ("Elm Dr
    /// Smith" is too odd to risk), so it does not count.
    fn suffix_at(&self, j: usize, core_only: bool) -> Option<usize> {
        let t = self.tok(j)?;
        if !is_word_shape(t.shape) {
            return None;
        }
        let core = CORE_SUFFIXES.has(t.text);
        if core_only && !core {
            return None;
        }
        if !core {
            // Other USPS suffixes ("Park", "Run") only capitalized, in a cased note, and at the
            // end of the address (nothing but punctuation or a unit after).
            if self.caseless || t.shape != Shape::Capitalized {
                return None;
            }
            let next_ok = match self.tok(j + 1) {
                None => true,
                Some(n) => {
                    !self.same_line(j, j + 1) || n.shape == Shape::Punct || self.is_unit(j + 1)
                }
            };
            if !next_ok
                || !STREET_SUFFIX_WORDS.has(t.text)
                || !self.entry(j).is_some_and(|e| e.is(Class::StreetSuffix))
            {
                return None;
            }
        }
        if self.caseless && AMBIGUOUS_SUFFIXES.has(t.text) {
            // "ST" (segment), "CT" (chest tube), "AV" (block), "SQ", "IN PLACE" in caseless
            // notes: only at the end of the address.
            let mut k = j + 1;
            if self.text(k) == "." {
                k += 1;
            }
            let end = match self.tok(k) {
                None => true,
                Some(n) => {
                    !self.same_line(j, k)
                        || matches!(n.text, "," | ";" | ")")
                        || self.is_unit(k)
                        || (n.shape == Shape::Digits && n.text.len() == 5)
                }
            };
            if !end {
                return None;
            }
        }
        if t.text.eq_ignore_ascii_case("dr") {
            let mut k = j + 1;
            if self.text(k) == "." {
                k += 1;
            }
            if self.same_line(j, k)
                && self
                    .tok(k)
                    .is_some_and(|n| n.shape == Shape::Capitalized || n.shape == Shape::AllCaps)
                && !self.is_unit(k)
            {
                return None;
            }
        }
        Some(j)
    }

    fn is_unit(&self, j: usize) -> bool {
        let t = self.text(j);
        t == "#" || UNITS.has(t)
    }

    /// After a suffix at `end`: `[.] [,] unit [.] [#] id` -> the index of the id.
    fn unit_after(&self, end: usize) -> Option<usize> {
        let mut k = end + 1;
        if self.text(k) == "." {
            k += 1;
        }
        if self.text(k) == "," {
            k += 1;
        }
        if !self.same_line(end, k) || !self.is_unit(k) {
            return None;
        }
        k += 1;
        if self.text(k) == "." {
            k += 1;
        }
        if self.text(k) == "#" {
            k += 1;
        }
        let id = self.tok(k)?;
        let short_id = match id.shape {
            Shape::Digits | Shape::Alphanumeric => id.text.len() <= 6,
            Shape::AllCaps | Shape::Capitalized => id.text.len() == 1,
            _ => false,
        };
        (short_id && self.same_line(end, k)).then_some(k)
    }

    // ---------------------------------------------------------------------------------------
    // Cities, counties

    /// CITY: one to three name words before a USPS state abbreviation in address position:
    /// "Quincy, MA", "Springfield MA 01103", "boston, ma 02114".
    ///
    /// Token `i` is the two-letter abbreviation. It must be upper case, or lower case with a
    /// ZIP after it; it must follow a comma or be followed by a five-digit ZIP. The words
    /// before must be a city or county the dictionary knows ("Cedar Falls"), or, with a ZIP
    /// after, any proper-case words that are not common English words. "MD" and "PA" after a
    /// comma are also how clinicians sign ("Lee, MD"), so before them the words must be a
    /// known city that is not a person's name, or a ZIP must follow. The state itself is never
    /// reported.
    fn city_state(&self, i: usize, out: &mut Vec<Finding>) {
        let Some(t) = self.tok(i) else { return };
        if !geo::is_state_abbr(t.text) {
            return;
        }
        let zip_after = self.same_line(i, i + 1)
            && self
                .tok(i + 1)
                .is_some_and(|z| z.shape == Shape::Digits && z.text.len() == 5);
        if t.shape != Shape::AllCaps && !zip_after {
            return;
        }
        let Some(mut end) = i.checked_sub(1) else {
            return;
        };
        let comma = self.text(end) == ",";
        if comma {
            let Some(e) = end.checked_sub(1) else { return };
            end = e;
        } else if !zip_after {
            return;
        }
        if !self.same_line(end, i) {
            return;
        }
        let signature = is_any(t.text, &["md", "pa"]);
        self.city_before(end, zip_after, signature, out);
    }

    /// CITY: a city before ", State": "Boston, Massachusetts", "RENO, NEVADA". Token `i` is the
    /// comma; the state is matched against the table in `geo.rs`.
    fn city_state_name(&self, i: usize, out: &mut Vec<Finding>) {
        // Commas are frequent: the words on both sides are tested before the state table.
        let Some(end) = i.checked_sub(1) else { return };
        if !self.same_line(end, i) || !self.proper_case(end) {
            return;
        }
        let Some(after) = self.tok(i + 1) else { return };
        if !matches!(after.shape, Shape::Capitalized | Shape::AllCaps) || !self.same_line(i, i + 1)
        {
            return;
        }
        let rest = self.words.text().get(after.span.start..).unwrap_or("");
        if geo::starts_with_state_name(rest) {
            self.city_before(end, false, false, out);
        }
    }

    /// Reports the city (or county) that ends at token `end`, trying three, two, then one
    /// words so that "Cedar Falls" wins over "Falls".
    fn city_before(&self, end: usize, zip_after: bool, signature: bool, out: &mut Vec<Finding>) {
        if !self.proper_case(end) {
            return;
        }
        for n in (1..=3).rev() {
            let Some(start) = (end + 1).checked_sub(n) else {
                continue;
            };
            if !(start..=end)
                .all(|k| self.proper_case(k) || self.text(k) == "." || self.text(k) == "-")
                || !self.same_line(start, end)
                || !self.proper_case(start)
            {
                continue;
            }
            let known = if start == end {
                self.entry(start)
            } else {
                self.words.dict().lookup(self.phrase(start, end))
            };
            let Some(e) = known else {
                if n == 1 && zip_after && self.name_word(start) == NameWord::Distinctive {
                    self.push(
                        out,
                        Kind::City,
                        start,
                        end,
                        SCORE_CITY_STATE,
                        "place.city_state",
                    );
                }
                continue;
            };
            if e.is(Class::State) || e.is(Class::Title) || e.is(Class::ClinicalAbbr) {
                continue;
            }
            let kind = if e.is(Class::City) {
                Kind::City
            } else if e.is(Class::County) {
                Kind::County
            } else if zip_after && n == 1 && !e.is(Class::EnglishWord) {
                Kind::City
            } else {
                continue;
            };
            if signature && !zip_after && n == 1 && (e.is(Class::Surname) || e.is(Class::FirstName))
            {
                return;
            }
            if n == 1
                && start > 0
                && self
                    .tok(start - 1)
                    .is_some_and(|p| is_any(p.text, &["dr", "by"]))
            {
                return;
            }
            self.push(out, kind, start, end, SCORE_CITY_STATE, "place.city_state");
            return;
        }
    }

    /// COUNTY: the name before "County", "Parish" or "Borough" ("Worcester County"), when the
    /// dictionary knows the phrase or the name as a county. Only the name is reported. Rejects
    /// "county hospital" style generics (the word before must be written as a name) and states.
    fn county(&self, i: usize, out: &mut Vec<Finding>) {
        if !self.proper_case(i) {
            return;
        }
        let Some(end) = i.checked_sub(1) else { return };
        for n in (1..=2).rev() {
            let Some(start) = (end + 1).checked_sub(n) else {
                continue;
            };
            if !(start..=end).all(|k| self.proper_case(k)) || !self.same_line(start, i) {
                continue;
            }
            let with_word = self.phrase(start, i);
            let known = self
                .words
                .dict()
                .lookup(with_word)
                .is_some_and(|e| e.is(Class::County))
                || self
                    .words
                    .dict()
                    .lookup(self.phrase(start, end))
                    .is_some_and(|e| e.is(Class::County) && !e.is(Class::State));
            if known && !NEVER_NAME.has(self.text(start)) {
                self.push(out, Kind::County, start, end, SCORE_COUNTY, "place.county");
                return;
            }
        }
    }

    // ---------------------------------------------------------------------------------------
    // Facilities

    /// If a facility phrase (dictionary class Facility) starts at token `i`, the index of the
    /// last token of the chain of facility phrases starting there ("Hospital Medical Center").
    fn facility_chain(&self, i: usize) -> Option<usize> {
        let mut end = self.facility_phrase(i)?;
        while self.same_line(end, end + 1) && FACILITY_HEADS.has(self.text(end + 1)) {
            match self.facility_phrase(end + 1) {
                Some(e) => end = e,
                None => break,
            }
        }
        Some(end)
    }

    /// The longest facility phrase starting at token `i`, as the index of its last token.
    fn facility_phrase(&self, i: usize) -> Option<usize> {
        let dict = self.words.dict();
        let mut best = self.entry(i).filter(|e| e.is(Class::Facility)).map(|_| i);
        let mut j = i;
        while j < i + 4 && self.same_line(i, j + 1) && self.is_word(j + 1) {
            let longer = if j == i {
                // Most facility words stand alone ("hospital.", "rest and"): a phrase goes on
                // only with one of a few second words, tested before the dictionary.
                if !FACILITY_SECOND_WORDS.has(self.text(i + 1)) {
                    break;
                }
                // When the two words are an entry ("medical center") the first one continues:
                // the walk of the dictionary that tells (`continues`, the costlier question) is
                // needed only when they are not. Neither word has an apostrophe, so the entry
                // is the phrase itself and not its form without one (see `Dict::lookup`).
                let two = dict.lookup(self.phrase(i, i + 1));
                if two.is_none() && !dict.continues(self.phrase(i, i)) {
                    break;
                }
                two
            } else {
                if !dict.continues(self.phrase(i, j)) {
                    break;
                }
                dict.lookup(self.phrase(i, j + 1))
            };
            j += 1;
            if longer.is_some_and(|e| e.is(Class::Facility)) {
                best = Some(j);
            }
        }
        best
    }

    /// LOCATION: the proper name before a facility phrase: "Hartwell Hospital", "SACRED HEART
    /// HOSPITAL", "St. Luke's Medical Center", "University of Vermont Medical Center",
    /// "Brannock-Lutheran Rehab". Only the name is reported.
    ///
    /// The name is one to six tokens before the facility phrase on the same line: name words
    /// (see [`Places::name_word`]), connectives ("of", "and", "St.", "University", "General"),
    /// and hyphens between name words. At least one word must be distinctive: "General
    /// Hospital" and "Community Hospital" alone name no particular place. A weak facility word
    /// ("Medical", "Health", "Center") ends a facility only when no other word follows it:
    /// "Past Medical History", "health care proxy" are no facilities.
    fn facility(&self, head: usize, end: usize, out: &mut Vec<Finding>) {
        let last = self.text(end);
        if WEAK_HEADS.has(last) && head == end {
            if let Some(next) = self.tok(end + 1) {
                if self.same_line(end, end + 1)
                    && is_word_shape(next.shape)
                    && !FOLLOWERS.has(next.text)
                {
                    return;
                }
            }
        }
        // "Memorial" names the place with the word before it: "Lakeside Memorial" is reported
        // whole, and "Memorial Hospital" after "to", "from" or "at" is the name alone.
        let memorial = self.text(head).eq_ignore_ascii_case("memorial") && self.proper_case(head);
        match self.name_before(head) {
            Some((a, b)) => {
                let b = if memorial { head } else { b };
                self.push(out, Kind::Location, a, b, SCORE_FACILITY, "place.facility");
            }
            None if memorial && end > head => {
                let cued = head
                    .checked_sub(1)
                    .is_some_and(|p| is_any(self.text(p), &["to", "from", "at"]));
                if cued {
                    self.push(
                        out,
                        Kind::Location,
                        head,
                        head,
                        SCORE_FACILITY,
                        "place.facility",
                    );
                }
            }
            None => {
                // "holy redeemer hospital": a common hospital name made of English words.
                for start in [head.checked_sub(2), head.checked_sub(1)]
                    .into_iter()
                    .flatten()
                {
                    if let Some(b) = self.hospital_name_at(start).filter(|&b| b + 1 == head) {
                        self.push(
                            out,
                            Kind::Location,
                            start,
                            b,
                            SCORE_FACILITY,
                            "place.facility",
                        );
                        return;
                    }
                }
            }
        }
    }

    /// The proper name ending right before token `head`, as (first, last) token indexes.
    ///
    /// Before a strong facility word ("hospital", "rehab", not "center" or "health") a
    /// lowercase name counts in a cased note too (see [`Places::name_word_loose`]).
    fn name_before(&self, head: usize) -> Option<(usize, usize)> {
        let loose = !WEAK_HEADS.has(self.text(head));
        let mut k = head;
        let mut first = None;
        let mut distinctive = false;
        let mut last = None;
        let mut taken = 0;
        while let Some(prev) = k.checked_sub(1) {
            if taken >= 6 || !self.same_line(prev, head) {
                break;
            }
            let t = self.tok(prev)?;
            if t.text == "-" || t.text == "." {
                // Inside a name only: "Brannock-Lutheran", "St. Luke's".
                let before = prev.checked_sub(1);
                let ok = t.text == "-"
                    || before.is_some_and(|b| is_any(self.text(b), &["st", "mt", "ft", "ste"]));
                if !ok || first.is_none() || before.is_none() {
                    break;
                }
                k = prev;
                continue;
            }
            let word = if loose {
                self.name_word_loose(prev)
            } else {
                self.name_word(prev)
            };
            match word {
                NameWord::Distinctive => distinctive = true,
                NameWord::Weak | NameWord::Connective => {}
                NameWord::No => break,
            }
            if last.is_none() {
                last = Some(prev);
            }
            first = Some(prev);
            taken += 1;
            k = prev;
        }
        let (mut a, b) = (first?, last?);
        // Trim connectives that cannot start a name ("of", "and").
        while a < b && is_any(self.text(a), &["of", "and", "&", "-"]) {
            a += 1;
        }
        if is_any(self.text(a), &["of", "and", "&"]) {
            return None;
        }
        if !distinctive && !self.institution(a, b) {
            return None;
        }
        // A state alone ("Maryland Hospital") is not reported.
        if a == b && self.entry(a).is_some_and(|e| e.is(Class::State)) {
            return None;
        }
        Some((a, b))
    }

    /// What token `i` can be inside a place name.
    ///
    /// Distinctive: written as a name, not on the never-a-name list, and either unknown to the
    /// dictionary, or a known word that is not a common English word, or a common English word
    /// that is also a city or county ("Union", "Cross", "Harbor"). Clinical abbreviations,
    /// drugs, titles, facility words and states are never distinctive.
    fn name_word(&self, i: usize) -> NameWord {
        let Some(t) = self.tok(i) else {
            return NameWord::No;
        };
        if is_any(t.text, &["of", "and", "&"]) {
            // Lowercase inside a name: "University of Vermont", "Brigham and Women's".
            return NameWord::Connective;
        }
        if !self.proper_case(i) || t.text.len() > 30 {
            return NameWord::No;
        }
        self.name_word_known(i, t)
    }

    /// Like [`Places::name_word`], but after a strong cue a lowercase word in a cased note
    /// counts too when the dictionary does not know it (or knows it only as a town): notes
    /// often lowercase everything but a few words ("transferred to lakeview 2").
    fn name_word_loose(&self, i: usize) -> NameWord {
        let Some(t) = self.tok(i) else {
            return NameWord::No;
        };
        if self.proper_case(i) || is_any(t.text, &["of", "and", "&"]) {
            return self.name_word(i);
        }
        if t.shape != Shape::Lower || t.text.len() < 4 || NEVER_NAME.has(t.text) {
            return NameWord::No;
        }
        match self.entry(i) {
            None => NameWord::Distinctive,
            Some(e) if (e.is(Class::City) || e.is(Class::County)) && !e.is(Class::EnglishWord) => {
                NameWord::Distinctive
            }
            Some(_) => NameWord::No,
        }
    }

    fn name_word_known(&self, i: usize, t: &Token<'t>) -> NameWord {
        if CONNECTIVES.has(t.text) {
            return NameWord::Connective;
        }
        if t.text.len() < 2 || NEVER_NAME.has(t.text) || PREPOSITIONS.has(t.text) {
            return NameWord::No;
        }
        let after_of = i
            .checked_sub(1)
            .is_some_and(|p| self.text(p).eq_ignore_ascii_case("of"));
        if after_of && (geo::is_state_abbr(t.text) || geo::starts_with_state_name(t.text)) {
            // "University of Vermont", "U of KY".
            return NameWord::Connective;
        }
        let Some(e) = self.entry(i) else {
            // Unknown: a proper name, or in a caseless note possibly shorthand; two-letter
            // unknowns are accepted (facility initials) but very long runs are not.
            return NameWord::Distinctive;
        };
        let never = Class::ClinicalAbbr as u16
            | Class::Drug as u16
            | Class::Title as u16
            | Class::MedicalTerm as u16
            | Class::Facility as u16
            | Class::RelationCue as u16
            | Class::Unit as u16;
        if e.classes & never != 0 {
            return NameWord::No;
        }
        if e.is(Class::State) {
            return NameWord::Connective;
        }
        if e.is(Class::StateAbbr) && t.text.len() == 2 {
            return NameWord::Connective;
        }
        let place = e.is(Class::City) || e.is(Class::County);
        let person = e.is(Class::Surname) || e.is(Class::FirstName);
        if !e.is(Class::EnglishWord) {
            return if place || person || e.classes == 0 {
                NameWord::Distinctive
            } else {
                NameWord::No
            };
        }
        // The most common words ("will", "union", "cross") are also counties and towns; in a
        // note written in one case that says nothing.
        let common = e.word_rank <= 10;
        if (place && !(common && (self.caseless || t.shape == Shape::Lower)))
            || (person && e.word_rank > 20)
        {
            NameWord::Distinctive
        } else if person {
            NameWord::Weak
        } else {
            NameWord::No
        }
    }

    // ---------------------------------------------------------------------------------------
    // Repeats

    /// Every other occurrence of a place name found in this document by a facility or cue
    /// rule (from `out[first..]`): once "Lakeview" is a facility after "transferred to", the
    /// "Lakeview" of "seen at Lakeview cardiology" is too. A single-word name must not be an
    /// English word ("Harbor" once a facility stays a word elsewhere).
    fn repeat(&self, first: usize, out: &mut Vec<Finding>) {
        // At most 16 names, kept on the stack: most notes have none or one.
        let mut found = [(0usize, 0usize, Kind::Location); 16];
        let mut count = 0;
        for f in out.get(first..).unwrap_or(&[]) {
            let source = matches!(
                f.detector,
                "place.facility"
                    | "place.cue_move"
                    | "place.cue_home"
                    | "place.city_state"
                    | "place.building"
                    | "place.abbr"
                    | "place.hospital_name"
                    | "place.region"
                    | "place.employer"
                    | "place.campus"
                    | "place.facility_town"
            );
            if !source {
                continue;
            }
            let Ok(a) = self
                .toks
                .binary_search_by_key(&f.span.start, |t| t.span.start)
            else {
                continue;
            };
            let Some(n) = self
                .toks
                .get(a..)
                .and_then(|rest| rest.iter().position(|t| t.span.end == f.span.end))
            else {
                continue;
            };
            if n >= 4 {
                continue;
            }
            if n == 0 && self.entry(a).is_some_and(|e| e.is(Class::EnglishWord)) {
                continue;
            }
            let same = |&(x, y, _): &(usize, usize, Kind)| {
                y - x == n
                    && (0..=n).all(|d| self.text(x + d).eq_ignore_ascii_case(self.text(a + d)))
            };
            let known = found.get(..count).unwrap_or(&[]).iter().any(same);
            if let Some(slot) = found.get_mut(count).filter(|_| !known) {
                *slot = (a, a + n, f.kind);
                count += 1;
            }
        }
        let names = found.get(..count).unwrap_or(&[]);
        if names.is_empty() {
            return;
        }
        // One pass over the tokens for all names. A token is compared only when its length
        // is that of a name's first word (or of a single-word name with a one- or two-digit
        // floor glued on) and it starts with the same letter: two bit tests for almost every
        // token of the note.
        // Lengths of 64 and more share bits with shorter ones: that only costs a comparison.
        let len_bit = |len: usize| 1u64 << (len % 64);
        // The first byte, case folded (`| 0x20`), to one of 32 bits; other bytes that share a
        // bit only cost a comparison.
        let first_bit =
            |text: &str| 1u32 << text.as_bytes().first().map_or(0, |&b| (b | 0x20) & 31);
        let mut lengths = 0u64;
        let mut firsts = 0u32;
        for &(a, b, _) in names {
            let len = self.text(a).len();
            lengths |= len_bit(len);
            if a == b && len >= 4 {
                lengths |= len_bit(len + 1) | len_bit(len + 2);
            }
            firsts |= first_bit(self.text(a));
        }
        // Per name, the first token a new repeat may start at (repeats of one name do not
        // overlap).
        let mut next = [0usize; 16];
        let candidate =
            |t: &Token<'_>| lengths & len_bit(t.text.len()) != 0 && firsts & first_bit(t.text) != 0;
        // The search for the next candidate is a loop of its own, small enough to keep its
        // values in registers.
        let mut from = 0;
        while let Some(skipped) = self
            .toks
            .get(from..)
            .and_then(|rest| rest.iter().position(candidate))
        {
            let i = from + skipped;
            from = i + 1;
            let Some(t) = self.toks.get(i) else { break };
            for (&(a, b, kind), next) in names.iter().zip(next.iter_mut()) {
                let n = b - a;
                if i < *next || i == a {
                    continue;
                }
                let matches = (0..=n)
                    .all(|d| self.text(i + d).eq_ignore_ascii_case(self.text(a + d)))
                    || (n == 0 && with_floor(t.text, self.text(a)));
                if matches && i + n < self.toks.len() {
                    self.push(out, kind, i, i + n, SCORE_CUE - 0.05, "place.repeat");
                    *next = i + n + 1;
                }
            }
        }
    }

    // ---------------------------------------------------------------------------------------
    // Cues

    /// LOCATION or CITY after a cue: "transferred to X", "admitted from X", "sent to X", "works
    /// at X", "lives in X", "moved to X", "daughter from X", "vacation in X".
    ///
    /// Token `i` is the preposition (`prep` says which); the cue word is right before it (or
    /// one filler word before, as in "transferred back to", "lives nearby in"). After the
    /// preposition an optional "the", then one to four name words (see [`Places::name_word`];
    /// in a cased note capitalized), at least one of them distinctive.
    ///
    /// - After a home cue ("lives in", "moved to", "son from"): a city or county the dictionary
    ///   knows is reported as CITY or COUNTY; an unknown proper-case word as LOCATION (a town
    ///   or neighbourhood). A city that is also a common English word ("Reading", "Mobile")
    ///   counts only capitalized in a cased note. States and countries are never reported.
    /// - After a move cue ("transferred to", "admitted from"): the name words are a facility
    ///   (LOCATION), unless they are a ward or service ("MICU", "PCU", "ED", "floor", "tele"),
    ///   a ventilator mode or lab ("SIMV", "BB"), a generic shorthand ("OSH", "NH", "rehab")
    ///   or a state. A lone token of two or three letters ("VH") counts only after a verb that
    ///   moves the patient (transferred, admitted, sent, went, taken, arrived, ...), not after
    ///   "sent" or "returned", which notes also use for specimens and rhythms.
    /// - With no cue word ("from Fresno", "in Tucson", "of Ankeny"): only a city the
    ///   dictionary knows that is not an English word, as CITY; "of" only between a
    ///   capitalized name and the city, in a cased note ("Grace of Springfield").
    /// - After any of them, an unknown proper-case word followed by a small number names a
    ///   building with its floor or wing ("to Lakeview 2", "on Pavilion 5"): LOCATION.
    /// - Names followed by a facility word are left to [`Places::facility`].
    fn after_cue(&self, i: usize, prep: Prep, out: &mut Vec<Finding>) {
        let mut a = i + 1;
        if self.text(a).eq_ignore_ascii_case("the") {
            a += 1;
        }
        if !self.same_line(i, a) {
            return;
        }
        // Prepositions are among the most frequent words of a note, and what follows one
        // rules most of them out before the cue word is looked up: a place starts with a word
        // (after a move cue also a building glued to its floor, "LAKEVIEW7"), and in a cased
        // note a lowercase word is a name only after a move or home cue and with four letters
        // or more (see `name_word_loose`): "to the floor", "in bed", "of 5 mg".
        let Some(first) = self.tok(a) else { return };
        let glued = first.shape == Shape::Alphanumeric;
        let lowercase = first.shape == Shape::Lower && !self.caseless;
        if !(is_word_shape(first.shape) || glued) || (lowercase && first.text.len() < 4) {
            return;
        }
        // "on" starts only a building with its floor ("on Lakeview 5"): "arrived on Neo",
        // "home on Thursday" are no places.
        let cue = if prep == Prep::On {
            Cue::None
        } else {
            self.cue_before(i, prep)
        };
        if cue == Cue::Home && prep == Prep::At {
            // "lives at" is followed by an address or a facility, which other rules find.
            return;
        }
        if (glued && cue != Cue::Move) || (lowercase && !matches!(cue, Cue::Move | Cue::Home)) {
            return;
        }
        if cue == Cue::None && prep == Prep::In && a == i + 1 && self.town_after_facility(i, out) {
            return;
        }
        if cue == Cue::Home && self.text(a) == "DC" {
            // Washington, written as its district: a city, although listed with the states.
            self.push(out, Kind::City, a, a, SCORE_CUE, "place.cue_home");
            return;
        }
        if cue != Cue::Home && matches!(prep, Prep::To | Prep::From | Prep::At | Prep::In) {
            if let Some(b) = self.hospital_name_at(a) {
                self.push(out, Kind::Location, a, b, SCORE_CUE, "place.hospital_name");
                return;
            }
        }
        if a > i + 1 && matches!(prep, Prep::From | Prep::On | Prep::In | Prep::To | Prep::At) {
            if let Some(b) = self.region_at(a) {
                self.push(out, Kind::Location, a, b, SCORE_CUE, "place.region");
                return;
            }
        }
        if cue == Cue::Move && self.glued_building(a) {
            self.push(out, Kind::Location, a, a, SCORE_CUE, "place.building");
            return;
        }
        if cue == Cue::None {
            // Without a cue only a building ("to Lakeview 2") or a known city can follow: check
            // the cheap signs before asking the dictionary.
            let floor_next = self
                .tok(a + 1)
                .is_some_and(|n| n.shape == Shape::Digits && n.text.len() <= 2);
            let bare_city = matches!(prep, Prep::From | Prep::In | Prep::Of)
                && self.proper_case(a)
                && self.text(a).len() >= 3;
            if !floor_next && !bare_city {
                return;
            }
        }
        // Collect name words. When none is distinctive, or only one word was taken, a town of
        // two or three words the dictionary knows is taken whole: its words alone may be
        // English words ("Palm Desert", "Glen Ellyn").
        let mut b = None;
        let mut distinctive = false;
        let mut k = a;
        while k < a + 4 && self.same_line(a, k) {
            let Some(t) = self.tok(k) else { break };
            if t.text == "." && b.is_some() && is_any(self.text(k - 1), &["st", "mt", "ft"]) {
                k += 1;
                continue;
            }
            if t.text == "-" && b.is_some() && self.name_word(k + 1) != NameWord::No {
                k += 1;
                continue;
            }
            if WARDS.has(t.text) || LARGER_THAN_A_STATE.has(t.text) || is_any(t.text, &["and", "&"])
            {
                break;
            }
            if t.text.eq_ignore_ascii_case("of")
                && !(k > a && is_any(self.text(k - 1), &["university", "univ", "u"]))
            {
                break;
            }
            let word = if matches!(cue, Cue::Move | Cue::Home) {
                self.name_word_loose(k)
            } else {
                self.name_word(k)
            };
            match word {
                NameWord::Distinctive => distinctive = true,
                NameWord::Weak | NameWord::Connective => {}
                NameWord::No => break,
            }
            b = Some(k);
            k += 1;
        }
        if !distinctive || b == Some(a) {
            if let Some(town) = self.multiword_town_at(a) {
                b = Some(town);
                distinctive = true;
            }
        }
        let Some(b) = b else { return };
        let known_town = || {
            a < b
                && self
                    .words
                    .dict()
                    .lookup(self.phrase(a, b))
                    .is_some_and(|e| e.is(Class::City) || e.is(Class::County))
        };
        if !distinctive && !self.institution(a, b) && !known_town() {
            return;
        }
        // A facility word right after: the facility rule reports the name.
        if FACILITY_HEADS.has(self.text(b + 1)) && self.same_line(b, b + 1) {
            return;
        }
        // A name glued to a slash is one of a list of wards ("NEURO/SICU").
        if self.text(b + 1) == "/" || (a > 0 && self.text(a - 1) == "/") {
            return;
        }
        let phrase = self.phrase(a, b);
        let entry = if a == b {
            self.entry(a)
        } else {
            self.words.dict().lookup(phrase)
        };
        if entry
            .is_some_and(|e| e.is(Class::State) || (e.is(Class::StateAbbr) && phrase.len() <= 5))
        {
            return;
        }
        // "Lakeview 2": an unknown word and a floor number.
        let floor_number = self.same_line(b, b + 1)
            && self
                .tok(b + 1)
                .is_some_and(|n| n.shape == Shape::Digits && n.text.len() <= 2)
            && !self.tok(b + 2).is_some_and(|n| {
                self.same_line(b, b + 2)
                    && n.span.start == self.toks.get(b + 1).map_or(0, |d| d.span.end)
                    && matches!(n.text, "%" | "." | "-" | "/" | ":" | ",")
            });
        let building = a == b
            && entry.map_or(true, |e| e.classes & !PERSON == 0)
            && phrase.len() >= 4
            && matches!(prep, Prep::To | Prep::From | Prep::On)
            && floor_number;
        if building && cue != Cue::Home {
            if !self.proper_case(a)
                && self.tok(a).is_some_and(|t| t.shape == Shape::Lower)
                && cue == Cue::None
            {
                return;
            }
            self.push(out, Kind::Location, a, b, SCORE_CUE, "place.building");
            return;
        }
        if prep == Prep::On {
            return;
        }
        let short = a == b && phrase.len() <= 3;
        // A lowercase word let in by a strong cue must end the phrase: "sent from pheresis
        // line" is a catheter.
        if !self.proper_case(b) {
            let next_word = self.same_line(b, b + 1)
                && self
                    .tok(b + 1)
                    .is_some_and(|n| n.shape == Shape::Lower && !FOLLOWERS.has(n.text));
            if next_word {
                return;
            }
        }
        match cue {
            Cue::Home => {
                let (kind, english) = match entry {
                    Some(e) if e.is(Class::City) => (Kind::City, e.is(Class::EnglishWord)),
                    Some(e) if e.is(Class::County) => (Kind::County, e.is(Class::EnglishWord)),
                    Some(e) if a == b => {
                        // A single known word that is no place: a name or a word.
                        if e.is(Class::EnglishWord)
                            || e.is(Class::Surname)
                            || e.is(Class::FirstName)
                        {
                            return;
                        }
                        (Kind::Location, false)
                    }
                    _ => (Kind::Location, false),
                };
                if short {
                    return;
                }
                if english
                    && (self.caseless || self.tok(a).is_some_and(|t| t.shape == Shape::Lower))
                {
                    return;
                }
                self.push(out, kind, a, b, SCORE_CUE, "place.cue_home");
            }
            Cue::Move | Cue::MoveWeak => {
                if matches!(prep, Prep::In | Prep::Of | Prep::Near) {
                    return;
                }
                // "retired from the Navy", "works for the State": an employer that names no
                // place (see `Places::employer`).
                if cue == Cue::MoveWeak && GENERIC_EMPLOYERS.has(self.text(a)) {
                    return;
                }
                if short
                    && (cue == Cue::MoveWeak
                        || (!self.caseless
                            && self.tok(a).is_some_and(|t| t.shape != Shape::AllCaps)))
                {
                    return;
                }
                let kind = match entry {
                    Some(e) if e.is(Class::City) && !e.is(Class::EnglishWord) => Kind::City,
                    _ => Kind::Location,
                };
                self.push(out, kind, a, b, SCORE_CUE, "place.cue_move");
            }
            Cue::None => {
                let Some(e) = entry else { return };
                if !e.is(Class::City) || e.is(Class::EnglishWord) || short || prep == Prep::To {
                    return;
                }
                if prep == Prep::Of {
                    // In a note written in one case, capitals still tell when both the
                    // name and the town have them ("daughter Doris of Ankeny").
                    let town_capitalized =
                        self.tok(a).is_some_and(|t| t.shape == Shape::Capitalized);
                    let name_before = (!self.caseless || town_capitalized)
                        && i.checked_sub(1)
                            .and_then(|p| self.tok(p))
                            .is_some_and(|t| t.shape == Shape::Capitalized);
                    // "District of Columbia" is a state's name, not a person of a town.
                    let state = i
                        .checked_sub(1)
                        .and_then(|p| self.words.dict().lookup(self.phrase(p, b)))
                        .is_some_and(|e| e.is(Class::State));
                    if !name_before || state {
                        return;
                    }
                }
                if prep == Prep::At || prep == Prep::On {
                    return;
                }
                self.push(out, Kind::City, a, b, SCORE_BARE, "place.city_bare");
            }
        }
    }

    /// LOCATION: a hospital's initials, written the way hospitals abbreviate themselves: ending
    /// in H (Hospital: "VH", "MGH", "JHH") or MC (Medical Center: "PRMC", "UMMC"), with a place
    /// context on one side: a preposition before it ("at VH", "transferred from the UMMC", "knows
    /// she is in VH") or a hospital department or staff word after it ("VH cath lab", "PRMC
    /// nurse", "VH EW").
    ///
    /// Accepts two to five letters, all caps (lowercase in a caseless note, or right after
    /// "at", "from" or "in"), that the dictionary
    /// does not know as a word, clinical abbreviation, drug, medical term or state. "VAMC" (a
    /// facility word) counts: "transferred from VAMC" names the city's VA medical center,
    /// while "the VA" alone does not match. Rejects generic shorthand (OSH "outside hospital", OH, NH), clinical abbreviations
    /// ending in H that the dictionary lacks (USOH, SYNCH, CH for chair, HOH, LVH, BPH: see
    /// [`NOT_HOSPITAL_ABBRS`]) and English words ("WITH", "MUCH").
    fn hospital_abbr(&self, i: usize, out: &mut Vec<Finding>) {
        let Some(t) = self.tok(i) else { return };
        let cased_ok = match t.shape {
            Shape::AllCaps => true,
            // Lowercase initials in a cased note only right after "at", "from" or "in" ("she
            // had it done at vh"), where a word of the note would be a dictionary word.
            Shape::Lower => {
                self.caseless
                    || i.checked_sub(1)
                        .is_some_and(|p| is_any(self.text(p), &["at", "from", "in"]))
            }
            _ => false,
        };
        // The casing first: in a cased note it rules out the lowercase words ("with", "much")
        // before their letters are read.
        if !cased_ok || !abbr_shaped(t.text) {
            return;
        }
        let mut p = i.checked_sub(1);
        if p.is_some_and(|p| self.text(p).eq_ignore_ascii_case("the")) {
            p = p.and_then(|p| p.checked_sub(1));
        }
        let before = p.is_some_and(|p| self.same_line(p, i) && ABBR_BEFORE.has(self.text(p)));
        let after = || self.same_line(i, i + 1) && ABBR_AFTER.has(self.text(i + 1));
        if !before && !after() {
            return;
        }
        if NOT_HOSPITAL_ABBRS.has(t.text) || WARDS.has(t.text) {
            return;
        }
        if let Some(e) = self.entry(i) {
            let never = Class::EnglishWord as u16
                | Class::ClinicalAbbr as u16
                | Class::Drug as u16
                | Class::MedicalTerm as u16
                | Class::State as u16
                | Class::StateAbbr as u16
                | Class::Unit as u16
                | Class::Title as u16
                | Class::RelationCue as u16;
            if e.classes & never != 0 {
                return;
            }
        }
        self.push(out, Kind::Location, i, i, SCORE_CUE, "place.abbr");
    }

    /// A building name glued to its floor ("LAKEVIEW7", "Ashgrove3"): four or more letters the
    /// dictionary does not know (or knows only as a person's name), then one or two digits.
    /// Written as a name, or in a caseless note. Only after a move cue ("admitted to
    /// LAKEVIEW7"): drug and device names glued to numbers are common elsewhere.
    fn glued_building(&self, a: usize) -> bool {
        let Some(t) = self.tok(a) else { return false };
        if t.shape != Shape::Alphanumeric {
            return false;
        }
        let letters = t.text.bytes().take_while(u8::is_ascii_alphabetic).count();
        let (name, floor) = t.text.split_at(letters);
        let cased = self.caseless || name.bytes().next().is_some_and(|c| c.is_ascii_uppercase());
        letters >= 4
            && (1..=2).contains(&floor.len())
            && floor.bytes().all(|c| c.is_ascii_digit())
            && cased
            && self
                .words
                .dict()
                .lookup(name)
                .map_or(true, |e| e.classes & !PERSON == 0)
    }

    /// LOCATION: a building and floor as the whole of a plan: "PLAN: LAKEVIEW 2 WHEN BED
    /// AVAILABLE", "dispo: ashgrove 4 today". Token `i` is "plan" or "dispo"; a colon, then one
    /// word the dictionary does not know (or knows only as a person's name) of five or more
    /// letters, then a floor number of one digit, then the end of the line or clause or a word
    /// that says when ("when", "today", "this am"): "PLAN: DIURESE 1 L", "2 UNITS" are
    /// amounts.
    fn building_in_plan(&self, i: usize, out: &mut Vec<Finding>) {
        let (colon, a, n) = (i + 1, i + 2, i + 3);
        if self.text(colon) != ":" || !self.same_line(i, n) || !self.proper_case(a) {
            return;
        }
        let Some(floor) = self.tok(n) else { return };
        if floor.shape != Shape::Digits || floor.text.len() != 1 {
            return;
        }
        // What follows the floor says when the move happens ("WHEN BED AVAIL", "this am",
        // "today") or ends the line: "PLAN: DIURESE 1 L", "2 UNITS" are amounts.
        let after_ok = match self.tok(n + 1) {
            None => true,
            Some(x) => {
                !self.same_line(n, n + 1)
                    || matches!(x.text, "." | "," | ";")
                    || (x.span.start > floor.span.end && PLAN_FLOOR_FOLLOWERS.has(x.text))
            }
        };
        let name_ok = self
            .tok(a)
            .is_some_and(|t| is_word_shape(t.shape) && t.text.len() >= 5 && !WARDS.has(t.text))
            && self.entry(a).map_or(true, |e| e.classes & !PERSON == 0);
        if after_ok && name_ok {
            self.push(out, Kind::Location, a, a, SCORE_CUE, "place.building");
        }
    }

    /// "University of Vermont", "U of KY": a university named after a state names one place.
    ///
    /// Also "U Kentucky", "Univ Vermont": the state's full name right after.
    fn institution(&self, a: usize, b: usize) -> bool {
        (a..b).any(|k| {
            is_any(self.text(k), &["university", "univ", "u"])
                && ((self.text(k + 1).eq_ignore_ascii_case("of") && k + 2 <= b)
                    || self.entry(k + 1).is_some_and(|e| e.is(Class::State)))
        })
    }

    /// If a hospital name common across the country starts at token `a` (see
    /// [`HOSPITAL_NAMES`]), the index of its last token. In a cased note its words must be
    /// capitalized: "a good samaritan called 911" is a passer-by.
    fn hospital_name_at(&self, a: usize) -> Option<usize> {
        if !HOSPITAL_NAME_FIRST_WORDS.has(self.text(a)) {
            return None;
        }
        let named = |k: usize| {
            self.tok(k).is_some_and(|t| {
                matches!(t.shape, Shape::Capitalized | Shape::AllCaps)
                    || (self.caseless && t.shape == Shape::Lower)
            })
        };
        HOSPITAL_NAMES.iter().find_map(|name| {
            let b = a + name.len() - 1;
            let all = name.iter().enumerate().all(|(d, w)| {
                self.text(a + d).eq_ignore_ascii_case(w) && named(a + d) && self.same_line(a, a + d)
            });
            all.then_some(b)
        })
    }

    /// If a region of a state starts at token `a` (see [`REGIONS`]), the index of its last
    /// token. Called only after "from the", "on the", "in the", "to the", "at the"; in a cased
    /// note the words must be capitalized, and lowercase they must not be followed by "of"
    /// ("the north shore of the lesion" is no place).
    fn region_at(&self, a: usize) -> Option<usize> {
        let first = self.text(a);
        if !may_be_in(&REGION_FIRST_WORDS, first) {
            return None;
        }
        let named = |k: usize| {
            self.tok(k).is_some_and(|t| {
                matches!(t.shape, Shape::Capitalized | Shape::AllCaps)
                    || (self.caseless && t.shape == Shape::Lower)
            }) && self.same_line(a, k)
        };
        let b = REGIONS.iter().find_map(|name| {
            let b = a + name.len() - 1;
            let all = name
                .iter()
                .enumerate()
                .all(|(d, w)| self.text(a + d).eq_ignore_ascii_case(w) && named(a + d));
            all.then_some(b)
        })?;
        // Lowercase, "the north shore of the wound" describes a shape.
        let lower = self.tok(a).is_some_and(|t| t.shape == Shape::Lower);
        let of_after = self.same_line(b, b + 1) && self.text(b + 1).eq_ignore_ascii_case("of");
        (!(lower && of_after)).then_some(b)
    }

    /// If a city or county of two or three words that the dictionary knows (and that is not an
    /// English phrase or a state) starts at token `a`, the index of its last token: "Palm Desert",
    /// "Glen Ellyn", "Cedar Rapids". Written as a name: capitalized, or in a caseless note.
    fn multiword_town_at(&self, a: usize) -> Option<usize> {
        let cased = |k: usize| {
            self.tok(k).is_some_and(|t| {
                matches!(t.shape, Shape::Capitalized | Shape::AllCaps)
                    || (self.caseless && t.shape == Shape::Lower)
            }) && self.same_line(a, k)
        };
        if !cased(a) || !cased(a + 1) || self.text(a).len() < 3 || self.text(a + 1).len() < 3 {
            return None;
        }
        // The words of a note ("in PLACE", "to BE", "from CCU") are common English words or
        // clinical shorthand: the dictionary's answer for the first word, which the name rules
        // just asked for, rules them out before any phrase is looked up.
        let ruled_out = self.entry(a).is_some_and(|e| {
            (e.is(Class::EnglishWord) && e.word_rank <= 20)
                || e.is(Class::ClinicalAbbr)
                || e.is(Class::Drug)
                || e.is(Class::Facility)
        });
        // One walk of the first word tells whether any entry of several words starts with it.
        if ruled_out || !self.words.dict().continues(self.text(a)) {
            return None;
        }
        for b in [a + 2, a + 1] {
            if b > a + 1 && (!cased(b) || self.text(b).len() < 3) {
                continue;
            }
            let known = self
                .words
                .dict()
                .lookup(self.phrase(a, b))
                .is_some_and(|e| {
                    (e.is(Class::City) || e.is(Class::County))
                        && !e.is(Class::EnglishWord)
                        && !e.is(Class::State)
                });
            if known {
                return Some(b);
            }
        }
        None
    }

    // ---------------------------------------------------------------------------------------
    // Employers, campuses, towns after a facility or before a state

    /// LOCATION: the organization someone works for: "works for Lindqvist Corp", "worked at
    /// Dunmore Bakery", "employed by Bank of Ithavia", "retired from Hartwell Steel", "employee
    /// of Acme", "concerned about his business Zentrova". Token `i` is the cue word; the
    /// preposition that fits it must follow ("works for|at", "employed by|at|with", "employee
    /// of", "retired from"; "business" takes none but needs "his", "her", "their" or "own"
    /// before it), then an optional "the". An employer names a place as surely as a hospital
    /// does, and family notes mention it often.
    ///
    /// - Written as a name in a cased note: the run of one to four capitalized words (all-caps
    ///   ones of up to five letters, "UPS", or no English word, "ZENTROVA"), with "of", "&" or "and" between two of them
    ///   ("Bank of Ithavia"), is reported whole.
    /// - Otherwise (a caseless note, or a lowercase name): up to three words up to punctuation
    ///   or a word that cannot be in a name; accepted only if one of them is no common English
    ///   word ("zentrova") or the last is an organization word after a word that is not one
    ///   ("corvane health", "ridgeline motors"), with no "the" before ("works for the gas
    ///   company" names none). The span ends at the last such word.
    ///
    /// Rejects "works for the state", "works at home", "works for a living", "works at night",
    /// "works well", "work for him" ("work" is no cue: it is too often a verb of effort), "works
    /// for Dr. Lindqvist" (a person), "works at the ICU", and a state or country alone ("works
    /// for Ohio"). A facility word ends the run: "works at Hartwell Hospital" leaves the name
    /// to [`Places::facility`], reported the same way.
    fn employer(&self, i: usize, out: &mut Vec<Finding>) {
        let cue = self.text(i);
        let mut a = i + 1;
        if cue.eq_ignore_ascii_case("business") {
            let owner = i
                .checked_sub(1)
                .is_some_and(|p| is_any(self.text(p), &["his", "her", "their", "own"]));
            if !owner {
                return;
            }
        } else {
            let preps: &[&str] = if is_any(cue, &["employed"]) {
                &["by", "at", "with"]
            } else if is_any(cue, &["employee"]) {
                &["of"]
            } else if is_any(cue, &["retired"]) {
                &["from"]
            } else {
                &["for", "at"]
            };
            if !is_any(self.text(a), preps) {
                return;
            }
            a += 1;
        }
        let article = self.text(a).eq_ignore_ascii_case("the");
        if article {
            a += 1;
        }
        let Some(first) = self.tok(a) else { return };
        if !self.same_line(i, a) || !is_word_shape(first.shape) {
            return;
        }
        let cased = !self.caseless
            && matches!(
                first.shape,
                Shape::Capitalized | Shape::MixedCase | Shape::AllCaps
            );
        let run = if cased {
            self.employer_cased(a)
        } else {
            self.employer_caseless(a, article)
        };
        let Some(b) = run else { return };
        // A state or country alone is no employer that Safe Harbor removes.
        if a == b
            && (LARGER_THAN_A_STATE.has(self.text(a))
                || self.entry(a).is_some_and(|e| e.is(Class::State)))
        {
            return;
        }
        self.push(out, Kind::Location, a, b, SCORE_FACILITY, "place.employer");
    }

    /// Whether token `k` cannot be part of an employer's name: a word of the note's grammar, a
    /// ward, a generic employer ("state", "home", "family"), a month, a title, clinical
    /// shorthand, or a facility word (see [`Places::employer`]); "health" and "healthcare" end
    /// many employers' names and are allowed.
    fn employer_stop(&self, k: usize) -> bool {
        let Some(t) = self.tok(k) else { return true };
        let w = t.text;
        if !is_word_shape(t.shape) || w.len() > 30 {
            return true;
        }
        if FACILITY_HEADS.has(w) && !is_any(w, &["health", "healthcare"]) {
            return true;
        }
        if NEVER_NAME.has(w)
            || WARDS.has(w)
            || PREPOSITIONS.has(w)
            || GENERIC_EMPLOYERS.has(w)
            || NAME_ENDS.has(w)
            || MONTHS.has(w)
            || LARGER_THAN_A_STATE.has(w)
        {
            return true;
        }
        let never = Class::ClinicalAbbr as u16
            | Class::Drug as u16
            | Class::Title as u16
            | Class::RelationCue as u16
            | Class::Unit as u16
            | Class::MedicalTerm as u16;
        self.entry(k).is_some_and(|e| e.classes & never != 0)
    }

    /// The last token of an employer's name written as a name, starting at token `a` (see
    /// [`Places::employer`]).
    fn employer_cased(&self, a: usize) -> Option<usize> {
        let mut b = None;
        let mut taken = 0;
        let mut k = a;
        while taken < 4 && self.same_line(a, k) {
            let t = self.tok(k)?;
            let inner = b.is_some()
                && (is_any(t.text, &["of", "&", "and"]) || t.text == "-")
                && self
                    .tok(k + 1)
                    .is_some_and(|n| matches!(n.shape, Shape::Capitalized | Shape::AllCaps))
                && self.same_line(k, k + 1);
            if inner {
                k += 1;
                continue;
            }
            let named = match t.shape {
                Shape::Capitalized | Shape::MixedCase => true,
                Shape::AllCaps => {
                    t.text.len() <= 5 || !self.entry(k).is_some_and(|e| e.is(Class::EnglishWord))
                }
                _ => false,
            };
            if !named || self.employer_stop(k) {
                break;
            }
            b = Some(k);
            taken += 1;
            k += 1;
        }
        b
    }

    /// The last token of an employer's name in a caseless note or written in lowercase,
    /// starting at token `a` (see [`Places::employer`]).
    fn employer_caseless(&self, a: usize, article: bool) -> Option<usize> {
        let mut distinctive = None;
        let mut org = None;
        let mut plain = false;
        for k in a..a + 3 {
            if !self.same_line(a, k) || self.employer_stop(k) {
                break;
            }
            let w = self.text(k);
            if w.len() < 2 {
                break;
            }
            if ORG_WORDS.has(w) {
                if plain {
                    org = Some(k);
                }
                continue;
            }
            plain = true;
            let common = self.entry(k).is_some_and(|e| e.is(Class::EnglishWord));
            if !common {
                distinctive = Some(k);
            }
        }
        match (distinctive, org.filter(|_| !article)) {
            (Some(d), Some(o)) => Some(d.max(o)),
            (Some(k), None) | (None, Some(k)) => Some(k),
            (None, None) => None,
        }
    }

    /// LOCATION: a hospital's campus by its direction: "radiation planning on North Campus",
    /// "parking at the west campus", "Main Campus". Token `i` is "campus". Only the direction
    /// word is reported: a hospital with a North Campus is told apart by it. "Main" counts
    /// only capitalized, as a name: "the main campus", "THE MAIN CAMPUS" are how any hospital
    /// is described. Rejects "north of campus", "off campus", "the college campus".
    fn campus(&self, i: usize, out: &mut Vec<Finding>) {
        let Some(d) = i.checked_sub(1) else { return };
        if !self.same_line(d, i) {
            return;
        }
        let w = self.text(d);
        let direction = is_any(w, &["north", "south", "east", "west"]);
        let main = w == "Main";
        if direction || main {
            self.push(out, Kind::Location, d, d, SCORE_FACILITY, "place.campus");
        }
    }

    /// LOCATION: the town after a facility and "in", in a cased note: "from the VA in Ostrel",
    /// "transferred from Mercy Hospital in Glenvale", "rehab in Dunport Heights". Token `i`
    /// is "in", the word before it a facility word ("Hospital", "Rehab", "Center") or "VA",
    /// "VAMC"; the word after it must be capitalized, three letters or more, and unknown to
    /// the dictionary or known only as a person's name. One more such word may follow.
    /// Returns whether it reported one.
    ///
    /// A town the dictionary knows is left to [`Places::after_cue`] (CITY); this rule reports
    /// the unknown ones as LOCATION, as the cue rules do. Rejects English words ("Hospital in
    /// Stable condition"), months ("seen at clinic in March"), wards and shorthand ("Hospital
    /// in ICU"), states and countries, and every lowercase or all-caps word.
    fn town_after_facility(&self, i: usize, out: &mut Vec<Finding>) -> bool {
        let a = i + 1;
        let shaped = |k: usize| {
            self.same_line(i, k)
                && self
                    .tok(k)
                    .is_some_and(|t| t.shape == Shape::Capitalized && t.text.len() >= 3)
        };
        if self.caseless || !shaped(a) {
            return false;
        }
        let Some(p) = i.checked_sub(1) else {
            return false;
        };
        let facility = self.same_line(p, i)
            && (matches!(self.text(p), "VA" | "VAMC")
                || (self.proper_case(p)
                    && FACILITY_HEADS.has(self.text(p))
                    && self.entry(p).is_some_and(|e| e.is(Class::Facility))));
        if !facility {
            return false;
        }
        let unknown = |k: usize| {
            let w = self.text(k);
            !NEVER_NAME.has(w)
                && !WARDS.has(w)
                && !MONTHS.has(w)
                && !LARGER_THAN_A_STATE.has(w)
                && self.entry(k).map_or(true, |e| e.classes & !PERSON == 0)
        };
        if !unknown(a) {
            return false;
        }
        let b = if shaped(a + 1) && unknown(a + 1) {
            a + 1
        } else {
            a
        };
        self.push(out, Kind::Location, a, b, SCORE_CUE, "place.facility_town");
        true
    }

    /// CITY: a town right before its state's full name, without the comma: "this glenvale
    /// ohio facility", "lives in Glenvale Ohio", "from Kansas City Missouri". Token `i` is
    /// the state (a single-word name, possibly with "'s").
    ///
    /// Accepts a city the dictionary knows (two words first: "Kansas City"), when it is no
    /// English word or person's name, or is one after "in", "from", "of", "near", "to", "at",
    /// "this" or "the"; and in a cased note an unknown capitalized word after "in", "from",
    /// "of" or "near" before a capitalized state. Town and state must be written alike (both
    /// as names, or both lowercase). The state is never reported.
    ///
    /// Rejects a state's name after a title ("Dr. Georgia"), the two-word states ("West
    /// Virginia"), a first name before a state used as a middle name ("Mary Virginia Lee": a
    /// known name needs a preposition before it), and "Washington" (a surname and a city as
    /// often as a state: not in [`STATE_NAMES`]).
    fn town_before_state(&self, i: usize, out: &mut Vec<Finding>) {
        let Some(b) = i.checked_sub(1) else { return };
        let (Some(town), Some(state)) = (self.tok(b), self.tok(i)) else {
            return;
        };
        if !self.same_line(b, i) || !is_word_shape(town.shape) {
            return;
        }
        let lower = |t: &Token<'_>| t.shape == Shape::Lower;
        let named = |t: &Token<'_>| {
            matches!(
                t.shape,
                Shape::Capitalized | Shape::AllCaps | Shape::MixedCase
            )
        };
        let alike = self.caseless || (named(town) && named(state)) || (lower(town) && lower(state));
        if !alike {
            return;
        }
        let dict = self.words.dict();
        if dict
            .lookup(self.phrase(b, i))
            .is_some_and(|e| e.is(Class::State))
        {
            return;
        }
        let before = |k: usize| {
            k.checked_sub(1).is_some_and(|p| {
                self.same_line(p, k)
                    && is_any(
                        self.text(p),
                        &["in", "from", "of", "near", "to", "at", "this", "the"],
                    )
            })
        };
        let city = |e: Entry| e.is(Class::City) && !e.is(Class::State) && !e.is(Class::Title);
        // Two words first: "Kansas City Missouri".
        if let Some(a) = b.checked_sub(1) {
            let two = self.same_line(a, b)
                && self.tok(a).is_some_and(|t| is_word_shape(t.shape))
                && dict
                    .lookup(self.phrase(a, b))
                    .is_some_and(|e| city(e) && !e.is(Class::EnglishWord));
            if two {
                self.push(out, Kind::City, a, b, SCORE_CITY_STATE, "place.city_state");
                return;
            }
        }
        match self.entry(b) {
            Some(e) if city(e) && !e.is(Class::ClinicalAbbr) => {
                let plain = e.classes & (PERSON | Class::EnglishWord as u16) == 0;
                if plain || before(b) {
                    self.push(out, Kind::City, b, b, SCORE_CITY_STATE, "place.city_state");
                }
            }
            None => {
                let cased = !self.caseless
                    && town.shape == Shape::Capitalized
                    && state.shape == Shape::Capitalized
                    && town.text.len() >= 3;
                let cued = b.checked_sub(1).is_some_and(|p| {
                    self.same_line(p, b) && is_any(self.text(p), &["in", "from", "of", "near"])
                });
                if cased && cued {
                    self.push(out, Kind::City, b, b, SCORE_CITY_STATE, "place.city_state");
                }
            }
            Some(_) => {}
        }
    }

    /// The cue class of the word before the preposition at `i` (allowing one filler word:
    /// "transferred back to", "lives nearby in", "was sent over to").
    fn cue_before(&self, i: usize, prep: Prep) -> Cue {
        for back in 1..=2 {
            let Some(j) = i.checked_sub(back) else {
                return Cue::None;
            };
            if !self.same_line(i, j) {
                return Cue::None;
            }
            let w = self.text(j);
            let w = w.strip_suffix("'s").unwrap_or(w);
            // One filter key for the four word lists.
            let Some((at, bit)) = filter_key(w) else {
                return Cue::None;
            };
            let lists = CUE_LISTS.lists(w, at, bit);
            if lists == 0 {
                return Cue::None;
            }
            if prep != Prep::Of {
                if lists & MOVE != 0 {
                    return Cue::Move;
                }
                if lists & MOVE_WEAK != 0 {
                    return Cue::MoveWeak;
                }
            }
            if lists & HOME != 0 {
                // "moved to Springfield", but "arrive to start", "son to visit".
                let to = prep == Prep::To;
                if !to || is_any(w, &["moved", "moving", "relocated", "relocating", "move"]) {
                    return Cue::Home;
                }
                return Cue::None;
            }
            // One filler word at most, and not punctuation.
            if back == 1 && lists & FILLER == 0 {
                return Cue::None;
            }
        }
        Cue::None
    }
}

/// Words that say where someone works, for [`Places::employer`]: "works for", "employed by",
/// "employee of", "retired from", "his business".
const EMPLOY_CUES: WordSet = WordSet::new(&[
    "works", "worked", "working", "employed", "employee", "retired", "business",
]);

/// Words that end an organization's name ("Corvane Health", "Ridgeline Motors"): after a work
/// cue, a name of common words counts when it ends in one of these (see
/// [`Places::employer`]).
const ORG_WORDS: WordSet = WordSet::new(&[
    "health",
    "healthcare",
    "corp",
    "corporation",
    "inc",
    "co",
    "company",
    "bank",
    "systems",
    "group",
    "industries",
    "university",
    "college",
    "insurance",
    "services",
    "labs",
    "laboratories",
    "motors",
    "foods",
    "steel",
    "construction",
    "market",
    "store",
    "stores",
    "airlines",
    "airways",
    "electric",
    "energy",
    "technologies",
    "tech",
    "pharmaceuticals",
    "pharma",
    "partners",
    "associates",
    "enterprises",
    "manufacturing",
    "logistics",
    "bakery",
    "dairy",
    "farms",
    "mills",
    "shipyard",
    "ltd",
    "llc",
]);

/// Employers that name no particular place: "works for the state", "works for the city",
/// "retired from the Navy", "works at the family store".
const GENERIC_EMPLOYERS: WordSet = WordSet::new(&[
    "state",
    "city",
    "county",
    "town",
    "government",
    "federal",
    "army",
    "navy",
    "military",
    "marines",
    "police",
    "himself",
    "herself",
    "family",
    "him",
    "them",
    "me",
    "us",
    "living",
    "night",
    "nights",
    "days",
    "weekends",
    "present",
    "school",
    "church",
]);

/// Words of a sentence's grammar that end an employer's name in a caseless note: "works for
/// zentrova as a chemist", "works at ridgeline health since the spring".
const NAME_ENDS: WordSet = WordSet::new(&[
    "as",
    "and",
    "but",
    "so",
    "since",
    "until",
    "when",
    "while",
    "where",
    "who",
    "is",
    "was",
    "now",
    "still",
    "there",
    "here",
    "part",
    "full",
    "time",
    "doing",
    "full-time",
    "part-time",
]);

/// Month names, which follow "in" as towns do ("seen in clinic in March").
const MONTHS: WordSet = WordSet::new(&super::calendar::MONTH_WORDS);

/// The states whose name is one word, for [`Places::town_before_state`]. "Washington" is
/// left out: a surname and a city as often as a state.
const STATE_NAMES: WordSet = WordSet::new(&[
    "alabama",
    "alaska",
    "arizona",
    "arkansas",
    "california",
    "colorado",
    "connecticut",
    "delaware",
    "florida",
    "georgia",
    "hawaii",
    "idaho",
    "illinois",
    "indiana",
    "iowa",
    "kansas",
    "kentucky",
    "louisiana",
    "maine",
    "maryland",
    "massachusetts",
    "michigan",
    "minnesota",
    "mississippi",
    "missouri",
    "montana",
    "nebraska",
    "nevada",
    "ohio",
    "oklahoma",
    "oregon",
    "pennsylvania",
    "tennessee",
    "texas",
    "utah",
    "vermont",
    "virginia",
    "wisconsin",
    "wyoming",
]);

/// The (first letter, last letter, length) filter of words that may be hospital initials: two
/// to five letters ending in "h" or "c" (see [`abbr_shaped`]).
const ABBR_ENDINGS: [u32; 676] = {
    let mut filter = [0u32; 676];
    let mut first = 0;
    while first < 26 {
        filter[first * 26 + (b'h' - b'a') as usize] = 0b11_1100;
        filter[first * 26 + (b'c' - b'a') as usize] = 0b11_1000;
        first += 1;
    }
    filter
};

/// Whether `word` is shaped like a hospital's initials: two to five letters ending in "h" or
/// "mc" (see [`Places::hospital_abbr`], which asks after the casing). Byte tests only.
#[inline]
fn abbr_shaped(word: &str) -> bool {
    let b = word.as_bytes();
    let n = b.len();
    let last = b.last().map_or(0, u8::to_ascii_lowercase);
    let ending = match last {
        b'h' => true,
        b'c' => n >= 3 && b.get(n - 2).is_some_and(|m| m.eq_ignore_ascii_case(&b'm')),
        _ => false,
    };
    ending && (2..=5).contains(&n) && b.iter().all(u8::is_ascii_alphabetic)
}

/// Words before a hospital's initials: "at VH", "from PRMC", "leave VH", "seen by UMMC".
const ABBR_BEFORE: WordSet = WordSet::new(&["at", "from", "to", "in", "of", "by", "leave", "into"]);

/// Hospital departments and staff after a hospital's initials: "VH EW", "VH cath lab", "PRMC
/// nurse", "VH attorneys".
const ABBR_AFTER: WordSet = WordSet::new(&[
    "er",
    "ew",
    "ed",
    "icu",
    "ccu",
    "tcu",
    "micu",
    "sicu",
    "cath",
    "lab",
    "nurse",
    "nurses",
    "nursing",
    "staff",
    "physician",
    "physicians",
    "doctors",
    "surgeon",
    "surgeons",
    "attorney",
    "attorneys",
    "records",
    "campus",
    "clinic",
    "admission",
]);

/// Clinical abbreviations ending in H or MC that the dictionary does not list, and generic
/// hospital shorthand: never a particular hospital.
const NOT_HOSPITAL_ABBRS: WordSet = WordSet::new(&[
    "acth", "adh", "bh", "bph", "cath", "ch", "cmc", "cvvh", "dh", "edh", "etoh", "fh", "fsh",
    "hh", "hoh", "ich", "iph", "ivh", "lah", "lgih", "lh", "lph", "lvh", "mech", "mh", "mmc",
    "meth", "neph", "nh", "nph", "oh", "osh", "pah", "path", "ph", "pleth", "pmc", "pmh", "pph",
    "proph", "psh", "psych", "pth", "rah", "rvh", "sah", "sdh", "sh", "siadh", "staph", "synch",
    "tach", "tah", "trach", "tsh", "ugih", "usoh", "wh",
]);

/// The dictionary classes of a person's name: a word known only as a name may still be a
/// building's or a town's name.
const PERSON: u16 = Class::Surname as u16 | Class::FirstName as u16;

/// Hospital names shared by many hospitals across the country, made of English words the
/// name rules would otherwise take for words: "transferred to Sacred Heart", "at Good
/// Samaritan". Reported after a preposition or before a facility word. Hand-written.
const HOSPITAL_NAMES: &[&[&str]] = &[
    &["holy", "cross"],
    &["holy", "family"],
    &["holy", "name"],
    &["holy", "redeemer"],
    &["holy", "spirit"],
    &["good", "samaritan"],
    &["good", "shepherd"],
    &["sacred", "heart"],
    &["mercy"],
];

/// The first words of [`HOSPITAL_NAMES`].
const HOSPITAL_NAME_FIRST_WORDS: WordSet = WordSet::new(&["holy", "good", "sacred", "mercy"]);

/// Named regions inside a state, written with "the": "from the Outer Banks", "on the Cape",
/// "in the Upper Peninsula". Safe Harbor removes every subdivision smaller than a state, and
/// these are where families live and vacation. Hand-written; regions that span states ("the
/// Midwest", "New England") are not listed.
const REGIONS: &[&[&str]] = &[
    &["eastern", "shore"],
    &["western", "shore"],
    &["north", "shore"],
    &["south", "shore"],
    &["jersey", "shore"],
    &["cape", "cod"],
    &["outer", "banks"],
    &["upper", "peninsula"],
    &["bay", "area"],
    &["inland", "empire"],
    &["hill", "country"],
    &["central", "valley"],
    &["gulf", "coast"],
    &["berkshires"],
    &["catskills"],
    &["adirondacks"],
    &["poconos"],
    &["panhandle"],
];

/// The first words of [`REGIONS`], as a filter.
const REGION_FIRST_WORDS: [u32; 676] = letter_length_filter(&[&[
    "eastern",
    "western",
    "north",
    "south",
    "jersey",
    "cape",
    "outer",
    "upper",
    "bay",
    "inland",
    "hill",
    "central",
    "gulf",
    "berkshires",
    "catskills",
    "adirondacks",
    "poconos",
    "panhandle",
]]);

/// Words after `PLAN: building floor` that say when: "WHEN BED AVAILABLE", "this am".
const PLAN_FLOOR_FOLLOWERS: WordSet = WordSet::new(&[
    "when", "once", "if", "after", "pending", "today", "tonight", "tomorrow", "this", "in",
    "later", "am", "pm", "asap", "bed", "soon",
]);

/// Words that head a plan, after which a building and floor may stand alone: "PLAN: LAKEVIEW 2".
const PLAN_WORDS: WordSet = WordSet::new(&["plan", "dispo", "disposition"]);

/// Words after a county name: "Worcester County", "Caddo Parish".
const COUNTY_WORDS: WordSet = WordSet::new(&["county", "parish", "borough"]);

/// Words allowed between a cue and its preposition: "transferred back to", "lives nearby in",
/// "sent over to", "now living in".
const FILLERS: WordSet = WordSet::new(&[
    "back",
    "over",
    "nearby",
    "here",
    "out",
    "down",
    "up",
    "directly",
    "emergently",
    "today",
    "also",
    "now",
    "currently",
    "still",
    "originally",
]);

/// Words that may follow a weak facility word without making it part of another phrase.
const FOLLOWERS: WordSet = WordSet::new(&[
    "in",
    "on",
    "at",
    "for",
    "to",
    "and",
    "or",
    "with",
    "where",
    "today",
    "yesterday",
    "via",
    "this",
    "tomorrow",
    "tonight",
    "w",
    "when",
    "after",
    "before",
    "by",
    "er",
    "ed",
    "ew",
    "icu",
    "s/p",
    "on",
    "x",
]);

/// The core street suffixes, unambiguous in an address.
const CORE_SUFFIXES: WordSet = WordSet::new(&[
    "street",
    "st",
    "avenue",
    "ave",
    "av",
    "road",
    "rd",
    "boulevard",
    "blvd",
    "lane",
    "ln",
    "drive",
    "dr",
    "court",
    "ct",
    "place",
    "pl",
    "terrace",
    "ter",
    "circle",
    "cir",
    "parkway",
    "pkwy",
    "highway",
    "hwy",
    "way",
    "square",
    "sq",
    "pike",
    "turnpike",
    "tpke",
    "trail",
    "trl",
]);

/// Core suffixes that are also clinical shorthand or common words in notes written in one
/// case: "ST" elevation, "CT" (chest tube), "AV" block, "SQ" (subcutaneous), "in place".
const AMBIGUOUS_SUFFIXES: WordSet = WordSet::new(&[
    "st", "dr", "ct", "pl", "place", "way", "sq", "square", "av", "cir", "circle", "ter", "court",
    "trail", "trl", "pike",
]);

/// USPS secondary unit designators written in addresses.
const UNITS: WordSet = WordSet::new(&[
    "apt",
    "apartment",
    "suite",
    "ste",
    "unit",
    "bldg",
    "fl",
    "floor",
    "rm",
    "room",
]);

/// Words that cannot be part of a street name: "3 in by dr", "120 per Dr", "2 St. John's".
const NOT_STREET_NAME: WordSet = WordSet::new(&[
    "st", "and", "or", "of", "to", "the", "in", "on", "at", "by", "per", "with", "for", "x",
    "from", "is", "was", "q", "dr",
]);

/// Directions before a street name: "1200 N. Main St", "88 West Elm Ave".
const DIRECTIONS: WordSet = WordSet::new(&[
    "n", "s", "e", "w", "ne", "nw", "se", "sw", "north", "south", "east", "west",
]);

/// What a token can be inside a place name.
#[derive(Clone, Copy, PartialEq, Eq)]
enum NameWord {
    /// Names the place by itself: "Hartwell", "Redeemer", "Lakeside".
    Distinctive,
    /// A common word that is also a person's name ("Holy", "Good", "Square"): part of a name
    /// only next to a distinctive word.
    Weak,
    /// Joins name words: "of", "St", "University", a state in "University of Vermont".
    Connective,
    No,
}

fn is_word_shape(shape: Shape) -> bool {
    matches!(
        shape,
        Shape::Lower | Shape::Capitalized | Shape::AllCaps | Shape::MixedCase
    )
}

/// Whether `word` is `name` glued to a floor number of one or two digits: "Lakeview3" after
/// "Lakeview" was found.
fn with_floor(word: &str, name: &str) -> bool {
    name.len() >= 4
        && word.len() > name.len()
        && word.len() <= name.len() + 2
        && word
            .get(..name.len())
            .is_some_and(|w| w.eq_ignore_ascii_case(name))
        && word
            .get(name.len()..)
            .is_some_and(|d| d.bytes().all(|c| c.is_ascii_digit()))
}

/// "12", "1200", "12B": a house number.
fn house_number(t: &str) -> bool {
    let digits = t.bytes().take_while(u8::is_ascii_digit).count();
    let rest = t.get(digits..).unwrap_or("");
    (1..=6).contains(&digits)
        && !t.starts_with('0')
        && (rest.is_empty() || (rest.len() == 1 && rest.bytes().all(|b| b.is_ascii_uppercase())))
}

/// "1st", "2nd", "3rd", "42nd", "5th".
fn ordinal(t: &str) -> bool {
    let digits = t.bytes().take_while(u8::is_ascii_digit).count();
    let rest = t.get(digits..).unwrap_or("");
    (1..=3).contains(&digits) && is_any(rest, &["st", "nd", "rd", "th"])
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::detect::resolve;
    use crate::dict::Dict;

    /// The place findings in `text`, as (kind, text), after overlap resolution.
    fn places(text: &str) -> Vec<(Kind, &str)> {
        let words = Words::new(text, Dict::shared().expect("dictionary opens"));
        let mut out = Vec::new();
        find(&words, &mut out);
        resolve(out)
            .into_iter()
            .map(|f| (f.kind, &text[f.span.range()]))
            .collect()
    }

    fn none(text: &str) {
        assert_eq!(places(text), [], "{text:?}");
    }

    #[test]
    fn street_addresses() {
        use Kind::StreetAddress as A;
        assert_eq!(places("Lives at 12 Elm St with wife."), [(A, "12 Elm St")]);
        assert_eq!(
            places("Address: 1200 North Main Street, apt 4."),
            [(A, "1200 North Main Street, apt 4")]
        );
        assert_eq!(places("45 Oak Ave., Apt 3B"), [(A, "45 Oak Ave., Apt 3B")]);
        assert_eq!(
            places("at 77 Massachusetts Avenue today"),
            [(A, "77 Massachusetts Avenue")]
        );
        assert_eq!(places("42 W. Chestnut Blvd"), [(A, "42 W. Chestnut Blvd")]);
        assert_eq!(places("ADDRESS: 310 WILLOW ROAD"), [(A, "310 WILLOW ROAD")]);
        assert_eq!(places("Wife at 5th Ave hotel."), [(A, "5th Ave")]);
        assert_eq!(places("Apt at 220 Maple Ln #5"), [(A, "220 Maple Ln #5")]);
        // A lettered house number before a capitalized street name.
        assert_eq!(places("Lives at 12B Elm St."), [(A, "12B Elm St")]);
    }

    #[test]
    fn street_address_rejects() {
        none("Needs 12 units of insulin.");
        none("Discussed 3 Main problems with family.");
        none("Started on 2 St. John's wort tablets.");
        none("Transferred to 5 West for telemetry.");
        none("Moved to 10 East overnight.");
        none("Room 12 is ready.");
        none("1ST AV BLOCK ON MONITOR.");
        none("2 HR ST CHANGES RESOLVED.");
        none("3 WAY FOLEY IN PLACE, DRAINING.");
        none("ETT ADVANCED 3 IN BY DR.");
        none("BP 120/80, HR 88, given 4 mg morphine.");
        none("ENDO=FS COVER W 6U REG SQ @ 0400.");
        // "Dr" followed by a name is a title, not a street.
        none("Seen at 1400 Miller Dr Smith present.");
    }

    #[test]
    fn city_state() {
        assert_eq!(
            places("Son from Quincy, MA called."),
            [(Kind::City, "Quincy")]
        );
        assert_eq!(places("Boston, Massachusetts"), [(Kind::City, "Boston")]);
        assert_eq!(
            places("Springfield MA 01103"),
            [(Kind::City, "Springfield")]
        );
        assert_eq!(places("HARTFORD, CT."), [(Kind::City, "HARTFORD")]);
        assert_eq!(
            places("lives in fairbanks, ak"),
            [(Kind::City, "fairbanks")]
        );
        // An English word that is a city, in address position.
        assert_eq!(places("Brother from Mobile, AL"), [(Kind::City, "Mobile")]);
    }

    #[test]
    fn city_state_rejects() {
        // Signatures: a surname before ", MD" or ", PA".
        none("Seen by Lee, MD this morning.");
        none("Discussed with Jones, PA on rounds.");
        // A state alone.
        none("Lives in Massachusetts with son.");
        none("Moved to North Carolina last year.");
        none("Lives in the District of Columbia.");
        // Vitals after a comma.
        none("BP 120/80, HR 88, RR 18.");
    }

    #[test]
    fn counties() {
        assert_eq!(
            places("Resides in Bexar County."),
            [(Kind::County, "Bexar")]
        );
        assert_eq!(
            places("Records from Worcester County clinic."),
            [(Kind::County, "Worcester")]
        );
        none("Transferred from the county hospital.");
    }

    #[test]
    fn facilities() {
        use Kind::Location as L;
        assert_eq!(places("transfer from Hartwell Hospital"), [(L, "Hartwell")]);
        assert_eq!(
            places("FROM ST. LUKE'S MEDICAL CENTER TODAY"),
            [(L, "ST. LUKE'S")]
        );
        assert_eq!(places("discharge to Hebrew Rehab"), [(L, "Hebrew")]);
        assert_eq!(
            places("seen at Brigham and Women's Hospital"),
            [(L, "Brigham and Women's")]
        );
        assert_eq!(
            places("Presented to University of Vermont Medical Center."),
            [(L, "University of Vermont")]
        );
        // "Memorial" is part of the name.
        assert_eq!(
            places("from Brookfield Memorial Hospital ER"),
            [(L, "Brookfield Memorial")]
        );
        // A lowercase name before a strong facility word.
        assert_eq!(
            places("pt sent from kessington hospital"),
            [(L, "kessington")]
        );
    }

    #[test]
    fn facility_rejects() {
        none("Transferred from an outside hospital.");
        none("Pt from nursing home with UTI.");
        none("Past Medical History: HTN.");
        none("Wife is Health Care Proxy.");
        none("Will need cardiac rehab after discharge.");
        none("Pt was admitted to the hospital with CHF.");
        none("Seen in Cardiology Clinic yesterday.");
        // A state alone before a facility word.
        none("Transferred from Maryland Hospital.");
    }

    #[test]
    fn after_cues() {
        use Kind::Location as L;
        assert_eq!(
            places("Pt was transferred to Kessington."),
            [(L, "Kessington")]
        );
        assert_eq!(places("TRANSFERRED TO VH FOR CATH."), [(L, "VH")]);
        assert_eq!(
            places("TX TO ASHGROVE 4 WHEN BED AVAILABLE."),
            [(L, "ASHGROVE")]
        );
        assert_eq!(
            places("Lives in Springfield."),
            [(Kind::City, "Springfield")]
        );
        assert_eq!(places("Son lives in New Bern."), [(Kind::City, "New Bern")]);
        assert_eq!(
            places("Sister lives in Reading."),
            [(Kind::City, "Reading")]
        );
        assert_eq!(
            places("Daughter from Akron visited."),
            [(Kind::City, "Akron")]
        );
        // An unknown town after a home cue.
        assert_eq!(places("Lives in Zorbury with son."), [(L, "Zorbury")]);
    }

    #[test]
    fn after_cue_rejects() {
        none("Transferred to MICU for monitoring.");
        none("Pt transferred from OSH.");
        none("Pt sent to ED for evaluation.");
        none("Changed back to SIMV overnight.");
        none("Blood clot sent to BB for type and cross.");
        none("Returned to NSR after cardioversion.");
        none("transfer to NEURO/SICU tonight.");
        none("Lives in Italy most of the year.");
        none("Lives in a house with two steps.");
        none("I'm going home on Thursday.");
        // An English-word city needs capitals in a cased note, or an address after it.
        none("PT IS READING, LIVES IN READING.");
        // Short tokens need a strong cue: "sent to" a lab, "returned to" a rhythm.
        none("Specimen returned to AB today.");
    }

    #[test]
    fn repeats_within_a_note() {
        use Kind::Location as L;
        assert_eq!(
            places("TRANSFERRED TO VH 3/14. AT VH PT STABLE."),
            [(L, "VH"), (L, "VH")]
        );
        // A single English word found once stays a word elsewhere.
        assert_eq!(
            places("Wants to go to Harbor Hospital. Harbor view from room."),
            [(L, "Harbor")]
        );
    }

    #[test]
    fn facility_second_words_cover_the_list() {
        let list = include_str!("../../../../dictionaries/facility_words.txt");
        for line in list.lines().filter(|l| !l.starts_with('#')) {
            if let Some(second) = line.split(' ').nth(1) {
                assert!(FACILITY_SECOND_WORDS.has(second), "{line}");
            }
        }
    }

    #[test]
    fn filters_agree_with_lists() {
        for set in [
            &FACILITY_HEADS,
            &PREPOSITIONS,
            &WARDS,
            &NEVER_NAME,
            &CONNECTIVES,
            &HOSPITAL_NAME_FIRST_WORDS,
            &NOT_HOSPITAL_ABBRS,
            &ABBR_BEFORE,
            &ABBR_AFTER,
            &PLAN_WORDS,
            &PLAN_FLOOR_FOLLOWERS,
            &FACILITY_SECOND_WORDS,
        ] {
            for w in set.words {
                assert!(set.has(w), "{w}");
                assert!(set.has(&w.to_ascii_uppercase()), "{w}");
            }
        }
        for w in FACILITY_HEADS.words {
            assert!(may_be_in(&TRIGGERS, w), "{w}");
        }
        for w in CORE_SUFFIXES.words {
            assert!(may_be_in(&SUFFIXES, w), "{w}");
        }
        assert!(!PREPOSITIONS.has("tox"));
        for (w, prep) in Prep::ALL {
            assert!(PREPOSITIONS.has(w), "{w}");
            let (at, _) = filter_key(w).expect("letters");
            assert!(KEY_ROWS[at].prep == Some(prep), "{w}");
        }
        for name in HOSPITAL_NAMES {
            assert!(HOSPITAL_NAME_FIRST_WORDS.has(name[0]), "{name:?}");
        }
        for region in REGIONS {
            assert!(may_be_in(&REGION_FIRST_WORDS, region[0]), "{region:?}");
        }
        for w in ["vh", "MGH", "prmc", "UMMC", "bidmc"] {
            assert!(abbr_shaped(w), "{w}");
            let (at, bit) = filter_key(w).expect("letters");
            assert!(ABBR_ENDINGS[at] & bit != 0, "{w}");
        }
        for w in ["h", "c", "mc", "hospital", "abc", "G5H"] {
            assert!(!abbr_shaped(w), "{w}");
        }
        assert!(!may_be_in(&TRIGGERS, ""));
        assert!(!may_be_in(&TRIGGERS, "3rd"));
    }

    #[test]
    fn the_token_pass_tests_the_rule_words_filter() {
        let mut words: Vec<String> = [
            "",
            ",",
            "5",
            "02114",
            "x4123",
            "3rd",
            "with",
            "WITH",
            "Hospital",
            "to",
            "TO",
            "St",
            "vh",
            "UMMC",
            "l&d",
            "o'neil",
            "a",
            "z",
            "abcdefghijklmnopqrstuvwxyzabcdefgh",
        ]
        .iter()
        .map(|w| w.to_string())
        .collect();
        for list in [
            FACILITY_HEADS.words,
            PREPOSITIONS.words,
            CORE_SUFFIXES.words,
            UNITS.words,
        ] {
            for w in list {
                words.push(w.to_string());
                words.push(w.to_ascii_uppercase());
                words.push(format!("{w}x"));
            }
        }
        for w in &words {
            let filtered = filter_key(w).filter(|&(at, bit)| RULE_WORDS[at] & bit != 0);
            let b = w.as_bytes();
            let index =
                |byte: Option<&u8>| usize::from(LETTER_INDEX[usize::from(*byte.unwrap_or(&b' '))]);
            let (a, z) = (index(b.first()), index(b.last()));
            let passes = !w.is_empty() && passes_rule_words(a, z, b.len());
            assert_eq!(passes, filtered.is_some(), "{w}");
            if let Some(key) = filtered {
                assert_eq!(key, (a * 26 + z, 1 << b.len()), "{w}");
            }
        }
    }

    /// A [`Joined`] answers, for every word, exactly what the lists it joins say: for the
    /// listed words in any case, and for near misses that share their filter key.
    #[test]
    fn joined_lists_agree_with_their_lists() {
        let joins: [(&Joined, &[&WordSet]); 2] = [
            (
                &TRIGGER_LISTS,
                &[
                    &FACILITY_HEADS,
                    &COUNTY_WORDS,
                    &PREPOSITIONS,
                    &PLAN_WORDS,
                    &EMPLOY_CUES,
                    &STATE_NAMES,
                ],
            ),
            (
                &CUE_LISTS,
                &[&MOVE_CUES, &MOVE_CUES_WEAK, &HOME_CUES, &FILLERS],
            ),
        ];
        for (joined, sets) in joins {
            let mut words: Vec<String> = ["sedated", "pain", "weaned", "with", "d/c'd"]
                .iter()
                .map(|w| w.to_string())
                .collect();
            for set in sets {
                for w in set.words {
                    words.push(w.to_string());
                    words.push(w.to_ascii_uppercase());
                    // The same first letter, last letter and length: the same row.
                    if w.len() >= 3 {
                        let mut other = w.as_bytes().to_vec();
                        other[1] = if other[1] == b'q' { b'z' } else { b'q' };
                        words.push(String::from_utf8(other).expect("ascii"));
                    }
                }
            }
            for w in &words {
                let Some((at, bit)) = filter_key(w) else {
                    continue;
                };
                let lists = joined.lists(w, at, bit);
                for (k, set) in sets.iter().enumerate() {
                    assert_eq!(lists & (1 << k) != 0, set.has(w), "{w}");
                }
            }
        }
        for (at, row) in KEY_ROWS.iter().enumerate() {
            assert_eq!(u32::from(row.suffixes), SUFFIXES[at]);
            assert_eq!(u32::from(row.abbrs), ABBR_ENDINGS[at]);
            assert_eq!(row.triggers.lengths, TRIGGERS[at]);
        }
    }

    /// The hash table of every set finds each of its words, in any case, and nothing else:
    /// not the word with a letter more or less, nor with its last letter changed.
    #[test]
    fn word_sets_find_exactly_their_words() {
        let sets = [
            &STREET_SUFFIX_WORDS,
            &MOVE_CUES,
            &MOVE_CUES_WEAK,
            &HOME_CUES,
            &PREPOSITIONS,
            &FACILITY_HEADS,
            &FACILITY_SECOND_WORDS,
            &WEAK_HEADS,
            &CONNECTIVES,
            &NEVER_NAME,
            &WARDS,
            &LARGER_THAN_A_STATE,
            &ABBR_BEFORE,
            &ABBR_AFTER,
            &NOT_HOSPITAL_ABBRS,
            &HOSPITAL_NAME_FIRST_WORDS,
            &PLAN_FLOOR_FOLLOWERS,
            &PLAN_WORDS,
            &COUNTY_WORDS,
            &FILLERS,
            &FOLLOWERS,
            &CORE_SUFFIXES,
            &AMBIGUOUS_SUFFIXES,
            &UNITS,
            &NOT_STREET_NAME,
            &DIRECTIONS,
        ];
        for set in sets {
            for w in set.words {
                assert!(set.has(w), "{w}");
                assert!(set.has(&w.to_ascii_uppercase()), "{w}");
                let mut others = vec![format!("{w}s"), format!("x{w}")];
                if let Some(shorter) = w.get(..w.len() - 1).filter(|s| !s.is_empty()) {
                    others.push(shorter.to_string());
                    others.push(format!("{shorter}q"));
                }
                for other in others {
                    let listed = set.words.iter().any(|l| l.eq_ignore_ascii_case(&other));
                    assert_eq!(set.has(&other), listed, "{other}");
                }
            }
            assert!(!set.has(""));
        }
    }
}
