//! Dictionary lookups: is this token a known first name, surname, place, English word, drug?
//!
//! The name and place detectors need, for every word of a note, what the word could be: "Walker"
//! is a surname, a first name, an English word and a clinical word; "Lasix" is a drug; "Dr" is a
//! title. The answer comes from one FST map compiled into `phirewall-dicts` (see its docs and
//! `dictionaries/SOURCES.md`): lowercase term -> class bits and frequency ranks.
//! The FST is opened in place over the `'static` bytes: nothing is copied or parsed.
//!
//! An FST lookup walks one node per byte, about 200 ns for a word. Most words of a note are
//! common English words or clinical shorthand, so a small hash map holds those entries (see
//! [`COMMON_WORD_MAX_SIZE`] and [`COMMON_CLASSES`]) and answers them first; everything else goes
//! to the FST. Over the words of 2 MB of nursing notes the map answers about 70% of the lookups
//! and cuts their mean time from ~215 ns to ~120 ns (measured on a busy 2-core machine). The
//! price is building the map when the dictionary is opened: one pass over the FST, ~30 ms once
//! per process.
//!
//! Lookups never allocate: the input is lowercased into a stack buffer of
//! [`phirewall_dicts::MAX_TERM_LEN`] bytes, and a longer input cannot be an entry anyway.

use std::collections::{HashMap, HashSet};
use std::hash::{BuildHasherDefault, Hasher};
use std::sync::OnceLock;

use fst::Map;
use phirewall_dicts as data;

use crate::{Error, ErrorKind};

/// English words of SCOWL size classes up to this one (about the 11,000 most common words) are
/// also kept in a hash map in front of the FST. Size 35 (39,000 words) measured no faster.
pub(crate) const COMMON_WORD_MAX_SIZE: u16 = 20;

/// Entries of these classes, the hand-written lists (about 1,100 terms), are kept in the hash map
/// too: clinical shorthand ("pt", "bid", "micu") and cue words are frequent in notes.
pub(crate) const COMMON_CLASSES: u16 = data::MEDICAL_TERM
    | data::DRUG
    | data::CLINICAL_ABBR
    | data::FACILITY
    | data::TITLE
    | data::RELATION_CUE
    | data::UNIT
    | data::STATE_ABBR
    | data::STREET_SUFFIX;

/// Keys of the common map are packed into a `u128`: up to 15 bytes and the length, so a probe
/// hashes two words and compares integers instead of chasing a pointer to a byte string.
const PACKED_MAX_LEN: usize = 15;

/// What a dictionary term can be. A term is often several things at once.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
#[repr(u16)]
pub(crate) enum Class {
    /// A given name (SSA baby names).
    FirstName = data::FIRST_NAME,
    /// A surname (2010 Census).
    Surname = data::SURNAME,
    /// A US city or town.
    City = data::CITY,
    /// A US county, parish or borough.
    County = data::COUNTY,
    /// A US state or territory name.
    State = data::STATE,
    /// A state's postal or AP abbreviation; many are English words too ("in", "or", "me").
    StateAbbr = data::STATE_ABBR,
    /// A USPS street suffix ("street", "ave").
    StreetSuffix = data::STREET_SUFFIX,
    /// A USPS secondary unit designator ("apt", "suite").
    Unit = data::UNIT,
    /// A common English word (SCOWL sizes 10-70).
    EnglishWord = data::ENGLISH_WORD,
    /// A medical eponym or clinical word that collides with a name ("parkinson", "foley").
    MedicalTerm = data::MEDICAL_TERM,
    /// A drug name.
    Drug = data::DRUG,
    /// A lab, ward or order abbreviation ("micu", "bun").
    ClinicalAbbr = data::CLINICAL_ABBR,
    /// A word that marks a facility name ("hospital", "nursing home").
    Facility = data::FACILITY,
    /// A title, credential or name suffix ("dr", "rn", "jr").
    Title = data::TITLE,
    /// A relation or cue phrase next to a name ("wife", "seen by").
    RelationCue = data::RELATION_CUE,
}

/// Everything the dictionary knows about one term. Ranks are 0 when the term is not in that
/// list; otherwise smaller means more frequent (see `phirewall_dicts` for their scales).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) struct Entry {
    /// The class bits (`phirewall_dicts::FIRST_NAME`, ...).
    pub(crate) classes: u16,
    /// Rank among first names: 1 = most frequent.
    pub(crate) first_rank: u16,
    /// Rank among surnames: 1 = most frequent.
    pub(crate) surname_rank: u16,
    /// SCOWL size class of the word: 10 = among the most common words, 70 = rare.
    pub(crate) word_rank: u16,
}

impl Entry {
    fn from_value(value: u64) -> Entry {
        // Truncating casts pick out the 16-bit fields of the layout.
        Entry {
            classes: value as u16,
            first_rank: (value >> data::FIRST_RANK_SHIFT) as u16,
            surname_rank: (value >> data::SURNAME_RANK_SHIFT) as u16,
            word_rank: (value >> data::WORD_RANK_SHIFT) as u16,
        }
    }

    /// The entry of a term that is both `self` and `other` (two spellings of one token).
    fn merge(self, other: Entry) -> Entry {
        // 0 means absent, so the smaller rank that is not 0 wins.
        let rank = |a: u16, b: u16| match (a, b) {
            (0, r) | (r, 0) => r,
            (a, b) => a.min(b),
        };
        Entry {
            classes: self.classes | other.classes,
            first_rank: rank(self.first_rank, other.first_rank),
            surname_rank: rank(self.surname_rank, other.surname_rank),
            word_rank: rank(self.word_rank, other.word_rank),
        }
    }

    /// Whether the term is in the class.
    pub(crate) fn is(self, class: Class) -> bool {
        self.classes & class as u16 != 0
    }
}

/// The opened dictionary. Build it once ([`Dict::shared`]) and share it: it is read-only.
pub(crate) struct Dict {
    map: Map<&'static [u8]>,
    common: HashMap<u128, u64, BuildHasherDefault<FxHasher>>,
    /// The (packed) first names of rank up to [`FREQUENT_FIRST_RANK`]: see
    /// [`Dict::may_be_frequent_first`].
    frequent_first: HashSet<u128, BuildHasherDefault<FxHasher>>,
    /// The ends and lengths of the terms in `frequent_first`: see [`EndsFilter`].
    frequent_first_ends: EndsFilter,
    /// The terms the surrogate name and place pools are drawn from (see
    /// [`crate::ops::surrogate::pool_of`]), packed, with their values, in byte order. Kept
    /// from the pass over the FST that opening makes anyway, so the pools need no second one.
    pool_terms: Vec<(u128, u64)>,
}

/// Which (first byte, last byte, length) triples some term of a set has, for terms of ASCII
/// letters and digits (either case) up to [`PACKED_MAX_LEN`] bytes: a bit per length, by the
/// two end bytes. A word whose triple is absent is surely not in the set, which one table
/// load tells; the set probe (lowercasing, packing, hashing) is left for the rest.
struct EndsFilter(Box<[u16]>);

/// 0-25 for an ASCII letter of either case, 26-35 for a digit, [`NOT_ALNUM`] for any other
/// byte.
static ALNUM_INDEX: [u8; 256] = {
    let mut t = [NOT_ALNUM; 256];
    let mut i = 0;
    while i < 26 {
        t[b'a' as usize + i] = i as u8;
        t[b'A' as usize + i] = i as u8;
        i += 1;
    }
    let mut d = 0;
    while d < 10 {
        t[b'0' as usize + d] = 26 + d as u8;
        d += 1;
    }
    t
};
const NOT_ALNUM: u8 = 36;

impl EndsFilter {
    fn new() -> EndsFilter {
        EndsFilter(vec![0; 36 * 36].into_boxed_slice())
    }

    /// The slot and bit of `term`, `None` for a term the filter cannot hold (empty, too
    /// long, or an end byte that is no ASCII letter or digit).
    fn key(term: &[u8]) -> Option<(usize, u16)> {
        let first = usize::from(ALNUM_INDEX[usize::from(*term.first()?)]);
        let last = usize::from(ALNUM_INDEX[usize::from(*term.last()?)]);
        let alnum = first < 36 && last < 36 && term.len() <= PACKED_MAX_LEN;
        alnum.then(|| (first * 36 + last, 1 << term.len()))
    }

    fn insert(&mut self, term: &[u8]) {
        if let Some((at, bit)) = EndsFilter::key(term) {
            if let Some(bits) = self.0.get_mut(at) {
                *bits |= bit;
            }
        }
    }

    /// Whether a term of the set may have `term`'s ends and length (`true` also for a term
    /// the filter cannot hold).
    fn may_hold(&self, term: &[u8]) -> bool {
        EndsFilter::key(term).map_or(true, |(at, bit)| {
            self.0.get(at).map_or(true, |bits| bits & bit != 0)
        })
    }
}

/// First names up to this rank (SSA counts, 1 = most frequent) are "frequent" for
/// [`Dict::may_be_frequent_first`]; the name detector's pair rule in caseless notes needs one.
pub(crate) const FREQUENT_FIRST_RANK: u16 = 1_500;

impl std::fmt::Debug for Dict {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Dict")
            .field("version", &data::VERSION)
            .field("terms", &self.map.len())
            .field("common", &self.common.len())
            .finish()
    }
}

impl Dict {
    /// The process-wide dictionary, opened on first use.
    pub(crate) fn shared() -> Result<&'static Dict, Error> {
        static DICT: OnceLock<Result<Dict, Error>> = OnceLock::new();
        DICT.get_or_init(Dict::open).as_ref().map_err(Clone::clone)
    }

    /// Opens the compiled-in map and builds the common-word map in front of it.
    ///
    /// Fails only if `phirewall-dicts` was built with broken or foreign data, which is a bug of
    /// the build, never of the caller.
    pub(crate) fn open() -> Result<Dict, Error> {
        const BROKEN: Error = Error::new(ErrorKind::Build, "the dictionary data is unreadable");
        if data::FORMAT != 1 {
            return Err(Error::new(
                ErrorKind::Build,
                "unknown dictionary data format",
            ));
        }
        let map = Map::new(data::TERMS).map_err(|_| BROKEN)?;
        let mut common = HashMap::with_capacity_and_hasher(16_384, Default::default());
        let mut frequent_first = HashSet::with_capacity_and_hasher(2_048, Default::default());
        let mut frequent_first_ends = EndsFilter::new();
        let mut pool_terms = Vec::new();
        walk(map.as_fst(), |key, value| {
            let entry = Entry::from_value(value);
            if (1..=FREQUENT_FIRST_RANK).contains(&entry.first_rank) {
                if let Some(packed) = pack(key) {
                    frequent_first.insert(packed);
                    frequent_first_ends.insert(key);
                }
            }
            let common_word = entry.word_rank != 0 && entry.word_rank <= COMMON_WORD_MAX_SIZE;
            if common_word || entry.classes & COMMON_CLASSES != 0 {
                if let Some(packed) = pack(key) {
                    common.insert(packed, value);
                }
            }
            if crate::ops::surrogate::pool_of(key, entry).is_some() {
                if let Some(packed) = pack(key) {
                    pool_terms.push((packed, value));
                }
            }
        });
        Ok(Dict {
            map,
            common,
            frequent_first,
            frequent_first_ends,
            pool_terms,
        })
    }

    /// Calls `f` with every term that goes to a surrogate pool (see
    /// [`crate::ops::surrogate::pool_of`]) and its entry, in byte order, as a pass over the
    /// whole dictionary would.
    pub(crate) fn for_each_pool_term(&self, mut f: impl FnMut(&[u8], Entry)) {
        for &(packed, value) in &self.pool_terms {
            let bytes = packed.to_le_bytes();
            // `pack` puts the length in the last byte.
            let len = usize::from(bytes[15]);
            if let Some(term) = bytes.get(..len) {
                f(term, Entry::from_value(value));
            }
        }
    }

    /// Calls `f` with every term (lowercase) and its entry, in byte order.
    #[cfg(test)]
    pub(crate) fn for_each(&self, mut f: impl FnMut(&[u8], Entry)) {
        use fst::Streamer;
        let mut stream = self.map.stream();
        while let Some((key, value)) = stream.next() {
            f(key, Entry::from_value(value));
        }
    }

    /// Looks up a word or phrase, ignoring case and the amount of whitespace between words.
    ///
    /// `term` may be a token ("Smith", "SMITH") or several words ("New  York"). Curly
    /// apostrophes count as straight ones. A term with an apostrophe is also looked up without
    /// it, and the two answers are merged, because the Census lists "O'Brien" as "obrien" while
    /// GeoNames keeps the apostrophe of the town of O'Brien.
    pub(crate) fn lookup(&self, term: &str) -> Option<Entry> {
        let mut buf = [0u8; data::MAX_TERM_LEN];
        let key = normalize(term, &mut buf)?;
        let found = self.get(key);
        if !key.contains(&b'\'') {
            return found;
        }
        let mut bare = [0u8; data::MAX_TERM_LEN];
        let mut len = 0;
        for &b in key.iter().filter(|&&b| b != b'\'') {
            // `bare` is as long as `buf` and gets fewer bytes.
            *bare.get_mut(len)? = b;
            len += 1;
        }
        match (found, self.get(bare.get(..len)?)) {
            (Some(a), Some(b)) => Some(a.merge(b)),
            (a, b) => a.or(b),
        }
    }

    /// Whether `term` may be a first name of rank up to [`FREQUENT_FIRST_RANK`]: `false` means
    /// it surely is not, `true` that [`Dict::lookup`] must tell. A set probe instead of the FST
    /// walk: in notes written all in capitals nearly every word is asked this, and nearly every
    /// answer is no. Terms the set cannot answer for (non-ASCII, an apostrophe, longer than 15
    /// bytes) get `true`.
    #[inline]
    pub(crate) fn may_be_frequent_first(&self, term: &str) -> bool {
        let bytes = term.as_bytes();
        // One table load a byte (`is_ascii_alphanumeric` is two range tests).
        let alnum = bytes
            .iter()
            .all(|&b| ALNUM_INDEX[usize::from(b)] != NOT_ALNUM);
        if bytes.len() > PACKED_MAX_LEN || !alnum {
            return true;
        }
        // Most words are ruled out by their ends and length alone.
        if !self.frequent_first_ends.may_hold(bytes) {
            return false;
        }
        let mut lower = [0u8; PACKED_MAX_LEN];
        for (l, b) in lower.iter_mut().zip(bytes) {
            *l = b.to_ascii_lowercase();
        }
        lower
            .get(..bytes.len())
            .and_then(pack)
            .map_or(true, |packed| self.frequent_first.contains(&packed))
    }

    /// Whether some multi-word entry starts with `words` followed by a space: after "new" a
    /// detector should try "new york" before deciding; after "smith" it need not.
    pub(crate) fn continues(&self, words: &str) -> bool {
        let mut buf = [0u8; data::MAX_TERM_LEN];
        let Some(key) = normalize(words, &mut buf) else {
            return false;
        };
        let fst = self.map.as_fst();
        let mut node = fst.root();
        for &b in key.iter().chain(b" ") {
            match node.find_input(b) {
                Some(i) => node = fst.node(node.transition_addr(i)),
                None => return false,
            }
        }
        true
    }

    fn get(&self, key: &[u8]) -> Option<Entry> {
        let Some(packed) = pack(key) else {
            return self.map.get(key).map(Entry::from_value);
        };
        if let Some(&value) = self.common.get(&packed) {
            return Some(Entry::from_value(value));
        }
        // The FST walk costs about 100 instructions a byte; rare words (names, mostly) recur
        // within and across the notes of one thread, so a small per-thread cache of the last
        // answers serves most of them.
        let slot = recent_slot(packed);
        let cached = RECENT.with(|recent| recent.borrow().get(slot).copied());
        if let Some(Recent { value, .. }) = cached.filter(|r| r.key == packed) {
            return value.map(Entry::from_value);
        }
        let value = self.map.get(key);
        RECENT.with(|recent| {
            if let Some(r) = recent.borrow_mut().get_mut(slot) {
                *r = Recent { key: packed, value };
            }
        });
        value.map(Entry::from_value)
    }
}

/// Calls `f` with every key of `fst` and its value, in byte order: what the map's stream
/// yields, walked depth first by hand.
///
/// The stream keeps its path in a stack of states that it pops and pushes twice per
/// transition (a state holds a decoded node: dozens of bytes), and half of its time went to
/// moving them; here each transition is one call with its node on the call stack. Opening the
/// dictionary walks all of it once, before the first record can be read. The depth of the
/// recursion is the length of the longest key.
fn walk(fst: &fst::raw::Fst<&[u8]>, mut f: impl FnMut(&[u8], u64)) {
    fn from<F: FnMut(&[u8], u64)>(
        fst: &fst::raw::Fst<&[u8]>,
        node: fst::raw::Node<'_>,
        out: fst::raw::Output,
        key: &mut Vec<u8>,
        f: &mut F,
    ) {
        for t in node.transitions() {
            let next = fst.node(t.addr);
            let out = out.cat(t.out);
            key.push(t.inp);
            if next.is_final() {
                f(key, out.cat(next.final_output()).value());
            }
            from(fst, next, out, key, f);
            key.pop();
        }
    }
    let root = fst.root();
    if root.is_final() {
        f(&[], root.final_output().value());
    }
    let mut key = Vec::with_capacity(data::MAX_TERM_LEN);
    from(fst, root, fst::raw::Output::zero(), &mut key, &mut f);
}

/// One remembered FST answer: a packed key and its value (`None`: not in the dictionary).
#[derive(Clone, Copy)]
struct Recent {
    key: u128,
    value: Option<u64>,
}

/// Slots of the per-thread cache of FST answers (a power of two): 64 KB a thread.
const RECENT_SLOTS: usize = 2048;

thread_local! {
    /// The last FST answers of this thread, each in the slot its key hashes to. Every dictionary
    /// holds the same compiled-in data, so one cache serves them all. An empty slot holds a key
    /// no packed key has (length byte 0xFF).
    static RECENT: std::cell::RefCell<Vec<Recent>> = std::cell::RefCell::new(vec![
        Recent {
            key: u128::MAX,
            value: None,
        };
        RECENT_SLOTS
    ]);
}

/// The cache slot of a packed key.
fn recent_slot(packed: u128) -> usize {
    let mut h = FxHasher::default();
    h.write_u128(packed);
    // The high bits of a multiplicative hash are the well-mixed ones.
    (h.finish() >> 53) as usize & (RECENT_SLOTS - 1)
}

/// A key of at most [`PACKED_MAX_LEN`] bytes as one integer: the bytes, zero-padded, and the
/// length in the last byte (so "ab" and "ab\0" differ).
fn pack(key: &[u8]) -> Option<u128> {
    let mut bytes = [0u8; 16];
    bytes
        .get_mut(..key.len())
        .filter(|_| key.len() <= PACKED_MAX_LEN)?
        .copy_from_slice(key);
    bytes[15] = key.len() as u8;
    Some(u128::from_le_bytes(bytes))
}

/// Writes the form the dictionary stores into `buf`: lowercase, `’` as `'`, whitespace runs as
/// one space, none at the ends. `None` if that is longer than any entry can be.
fn normalize<'b>(term: &str, buf: &'b mut [u8; data::MAX_TERM_LEN]) -> Option<&'b [u8]> {
    // The most common case by far, one token: printable ASCII without whitespace is only
    // lowercased, in one pass (the general path below gives the same bytes, at about three
    // times the cost).
    let bytes = term.as_bytes();
    if bytes.len() <= buf.len() {
        let mut graphic = true;
        for (out, &b) in buf.iter_mut().zip(bytes) {
            graphic &= b.is_ascii_graphic();
            *out = b.to_ascii_lowercase();
        }
        if graphic {
            return buf.get(..bytes.len());
        }
    }
    let term = term.trim();
    let mut len = 0;
    let mut space = false;
    if term.is_ascii() {
        // The common case: one byte in, one byte out.
        for &b in term.as_bytes() {
            if b.is_ascii_whitespace() {
                space = true;
                continue;
            }
            if space {
                *buf.get_mut(len)? = b' ';
                len += 1;
                space = false;
            }
            *buf.get_mut(len)? = b.to_ascii_lowercase();
            len += 1;
        }
    } else {
        for c in term.chars() {
            if c.is_whitespace() {
                space = true;
                continue;
            }
            if space {
                *buf.get_mut(len)? = b' ';
                len += 1;
                space = false;
            }
            let c = if c == '\u{2019}' { '\'' } else { c };
            for lower in c.to_lowercase() {
                let n = lower.len_utf8();
                lower.encode_utf8(buf.get_mut(len..len + n)?);
                len += n;
            }
        }
    }
    buf.get(..len)
}

/// The multiply-rotate hash of rustc (FxHash): a few cycles for a short word, which is what
/// the common-word map in front of the FST needs. Its keys are fixed, so hash flooding is no
/// concern.
#[derive(Default)]
struct FxHasher {
    hash: u64,
}

impl FxHasher {
    const SEED: u64 = 0x51_7c_c1_b7_27_22_0a_95;

    fn add(&mut self, word: u64) {
        self.hash = (self.hash.rotate_left(5) ^ word).wrapping_mul(Self::SEED);
    }
}

impl Hasher for FxHasher {
    fn write(&mut self, bytes: &[u8]) {
        let mut chunks = bytes.chunks_exact(8);
        for chunk in &mut chunks {
            let mut word = [0u8; 8];
            word.copy_from_slice(chunk);
            self.add(u64::from_le_bytes(word));
        }
        let rest = chunks.remainder();
        if !rest.is_empty() {
            let mut word = [0u8; 8];
            word[..rest.len()].copy_from_slice(rest);
            self.add(u64::from_le_bytes(word));
        }
    }

    fn write_u128(&mut self, n: u128) {
        self.add(n as u64);
        self.add((n >> 64) as u64);
    }

    fn finish(&self) -> u64 {
        self.hash
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use fst::Streamer;

    fn dict() -> &'static Dict {
        Dict::shared().expect("the compiled-in dictionary opens")
    }

    fn entry(term: &str) -> Entry {
        dict()
            .lookup(term)
            .unwrap_or_else(|| panic!("{term:?} is in the dictionary"))
    }

    #[test]
    fn the_fst_opens_and_verifies() {
        let map = Map::new(data::TERMS).expect("terms.fst opens");
        map.as_fst().verify().expect("terms.fst checksum");
        assert!(dict().map.len() > 200_000, "{} terms", dict().map.len());
        // The common map holds the ~11,000 SCOWL size 10 and 20 words and the hand-written lists.
        assert!((5_000..20_000).contains(&dict().common.len()));
    }

    #[test]
    fn every_class_is_present() {
        let mut seen = 0u16;
        let mut stream = dict().map.stream();
        while let Some((_, value)) = stream.next() {
            seen |= Entry::from_value(value).classes;
        }
        assert_eq!(seen, data::ALL_CLASSES);
    }

    #[test]
    fn known_names() {
        let smith = entry("smith");
        assert!(smith.is(Class::Surname));
        assert_eq!(smith.surname_rank, 1);
        let james = entry("james");
        assert!(james.is(Class::FirstName) && james.is(Class::Surname));
        assert!((1..=5).contains(&james.first_rank), "{james:?}");
        let walker = entry("walker");
        for class in [
            Class::Surname,
            Class::FirstName,
            Class::EnglishWord,
            Class::MedicalTerm,
        ] {
            assert!(walker.is(class), "walker is {class:?}");
        }
        // A name that is not a word.
        let kowalski = entry("kowalski");
        assert!(kowalski.is(Class::Surname) && !kowalski.is(Class::EnglishWord));
        assert_eq!(kowalski.word_rank, 0);
    }

    #[test]
    fn known_words_and_clinical_terms() {
        let because = entry("because");
        assert!(because.is(Class::EnglishWord) && !because.is(Class::Surname));
        assert_eq!(because.word_rank, 10);
        // Even "the" is a surname, a rare one: ranks are what tell such words apart.
        let the = entry("the");
        assert!(the.is(Class::Surname) && the.surname_rank > 30_000 && the.word_rank == 10);
        assert!(entry("parkinson").is(Class::MedicalTerm) && entry("parkinson").is(Class::Surname));
        assert!(entry("foley").is(Class::MedicalTerm));
        assert!(entry("lasix").is(Class::Drug));
        assert!(entry("micu").is(Class::ClinicalAbbr));
        assert!(entry("hospital").is(Class::Facility));
        assert!(entry("nursing home").is(Class::Facility));
        assert!(entry("dr").is(Class::Title));
        assert!(entry("wife").is(Class::RelationCue));
        assert!(entry("seen by").is(Class::RelationCue));
    }

    #[test]
    fn known_places() {
        assert!(entry("boston").is(Class::City));
        assert!(entry("massachusetts").is(Class::State));
        assert!(entry("ma").is(Class::StateAbbr));
        assert!(entry("calif").is(Class::StateAbbr));
        assert!(entry("middlesex county").is(Class::County));
        assert!(entry("middlesex").is(Class::County));
        assert!(entry("avenue").is(Class::StreetSuffix));
        assert!(entry("blvd").is(Class::StreetSuffix));
        assert!(entry("apt").is(Class::Unit));
        assert!(entry("ste").is(Class::Unit));
    }

    #[test]
    fn multi_word_entries() {
        assert!(entry("new york").is(Class::State));
        assert!(entry("new york city").is(Class::City));
        assert!(entry("winston salem").is(Class::City));
        assert!(entry("winston-salem").is(Class::City));
        assert!(entry("saint louis").is(Class::City));
        assert!(entry("st. louis").is(Class::City));
        assert_eq!(entry("New   York"), entry("new york"));
        assert_eq!(entry("new\nyork"), entry("new york"));
        assert_eq!(entry("  new york\t"), entry("new york"));
        assert!(dict().continues("new"));
        assert!(dict().continues("New York"));
        assert!(dict().continues("nursing"));
        assert!(!dict().continues("zqxv"));
        assert!(!dict().continues("new york city"));
    }

    #[test]
    fn absent_terms() {
        for term in [
            "",
            "   ",
            "zqxv",
            "smithx",
            "new yorkk",
            "123",
            "3/4/21",
            "-",
            "ŝmiŧh",
        ] {
            assert_eq!(dict().lookup(term), None, "{term:?}");
        }
        assert_eq!(dict().lookup(&"a".repeat(data::MAX_TERM_LEN + 1)), None);
        assert_eq!(dict().lookup(&"é".repeat(data::MAX_TERM_LEN)), None);
    }

    #[test]
    fn case_does_not_matter() {
        let smith = entry("smith");
        for term in ["Smith", "SMITH", "sMiTh"] {
            assert_eq!(entry(term), smith, "{term:?}");
        }
        assert_eq!(entry("NEW YORK"), entry("new york"));
        // Non-ASCII is lowercased too.
        assert!(entry("DOÑA ANA").is(Class::County));
        assert_eq!(entry("DOÑA ANA"), entry("doña ana"));
    }

    #[test]
    fn apostrophes() {
        // The Census writes "OBRIEN"; notes write "O'Brien" or "O’Brien".
        let obrien = entry("obrien");
        assert!(obrien.is(Class::Surname));
        // "o'brien" itself is a town: the answer has both.
        let with = entry("O'Brien");
        assert!(with.is(Class::Surname) && with.is(Class::City));
        assert_eq!(with.surname_rank, obrien.surname_rank);
        assert_eq!(entry("O’Brien"), with);
        // An entry with its apostrophe is found as is.
        assert!(entry("O'Fallon").is(Class::City));
        let dangelo = entry("D'Angelo");
        assert!(dangelo.is(Class::Surname) && !dangelo.is(Class::City));
        assert_eq!(dict().lookup("zq'xv"), None);
    }

    #[test]
    fn the_per_thread_cache_agrees_with_the_fst() {
        // Enough keys to fill and overwrite every slot, twice, plus absent ones.
        let mut keys: Vec<String> = Vec::new();
        let mut stream = dict().map.stream();
        while let Some((key, _)) = stream.next() {
            if keys.len() == 3 * RECENT_SLOTS {
                break;
            }
            keys.extend(std::str::from_utf8(key).ok().map(str::to_string));
        }
        keys.extend(["zqxv", "smithx", "kowalskiq"].map(str::to_string));
        for _ in 0..2 {
            for key in &keys {
                let via_fst = dict().map.get(key).map(Entry::from_value);
                assert_eq!(dict().get(key.as_bytes()), via_fst, "{key:?}");
            }
        }
    }

    #[test]
    fn the_ends_filter_never_rules_out_a_frequent_first_name() {
        let mut names = 0;
        dict().for_each(|key, entry| {
            if (1..=FREQUENT_FIRST_RANK).contains(&entry.first_rank) && key.len() <= 15 {
                let term = std::str::from_utf8(key).expect("terms are UTF-8");
                assert!(dict().may_be_frequent_first(term), "{term:?}");
                assert!(
                    dict().may_be_frequent_first(&term.to_uppercase()),
                    "{term:?}"
                );
                names += 1;
            }
        });
        assert!(names > 1_000, "{names}");
        // Words that are no first names are mostly ruled out, by either test.
        for word in ["stool", "xq", "bp", "q4h", "12", "zzzzzz"] {
            assert!(!dict().may_be_frequent_first(word), "{word:?}");
        }
        // What the set cannot answer for stays "maybe".
        assert!(dict().may_be_frequent_first("o'zq"));
        assert!(dict().may_be_frequent_first("abcdefghijklmnopq"));
    }

    #[test]
    fn the_walk_yields_what_the_stream_yields() {
        let mut walked = Vec::new();
        walk(dict().map.as_fst(), |key, value| {
            walked.push((key.to_vec(), value))
        });
        let mut streamed = Vec::new();
        let mut stream = dict().map.stream();
        while let Some((key, value)) = stream.next() {
            streamed.push((key.to_vec(), value));
        }
        assert_eq!(walked.len(), dict().map.len());
        assert!(walked == streamed);
    }

    #[test]
    fn packed_keys_keep_the_length() {
        assert_ne!(pack(b"ab"), pack(b"ab\0"));
        assert_ne!(pack(b""), pack(b"\0"));
        assert!(pack(&[b'a'; PACKED_MAX_LEN]).is_some());
        assert_eq!(pack(&[b'a'; PACKED_MAX_LEN + 1]), None);
    }

    #[test]
    fn the_common_word_map_agrees_with_the_fst() {
        let mut in_common = 0;
        let mut stream = dict().map.stream();
        while let Some((key, value)) = stream.next() {
            if let Some(&common) = pack(key).and_then(|p| dict().common.get(&p)) {
                assert_eq!(common, value);
                in_common += 1;
            }
        }
        assert_eq!(in_common, dict().common.len());
        // And a lookup gives the same entry whichever path answers.
        for term in [
            "the", "and", "patient", "will", "bill", "smith", "kowalski", "boston",
        ] {
            let via_fst = dict().map.get(term).map(Entry::from_value);
            assert_eq!(dict().lookup(term), via_fst, "{term:?}");
        }
    }
}
