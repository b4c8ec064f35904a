//! Fixed word lists looked up by hashing: which of several lists a word belongs to, in one probe.
//!
//! Validators ask of every word around a candidate whether it is a measurement term, a scale
//! term, a date word and so on. A binary search per list and per word cost more than the rest of
//! those checks together (about a hundred instructions each, several lists per word). A
//! [`TermTable`] holds every list at once, built at compile time: a word is packed into one
//! integer, hashed, and compared with one or two slots, and the answer is the set of lists it is
//! on.

/// A set of word lists, one bit per list.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) struct Lists(pub(crate) u32);

impl Lists {
    /// No list.
    pub(crate) const NONE: Lists = Lists(0);

    /// Whether the two sets share a list.
    pub(crate) fn meets(self, other: Lists) -> bool {
        self.0 & other.0 != 0
    }

    /// Both sets.
    pub(crate) const fn or(self, other: Lists) -> Lists {
        Lists(self.0 | other.0)
    }
}

/// Words longer than this are on no list (the packed form holds 15 bytes and a length).
const LONGEST: usize = 15;

/// A word of at most [`LONGEST`] bytes, ASCII-lowercased, as one integer (bytes and length), so
/// that comparing two words is one integer compare. `None` for a longer or empty word.
#[inline]
pub(crate) const fn pack_lower(word: &[u8]) -> Option<u128> {
    if word.is_empty() || word.len() > LONGEST {
        return None;
    }
    let mut buf = [0u8; 16];
    let mut i = 0;
    while i < word.len() {
        buf[i] = word[i].to_ascii_lowercase();
        i += 1;
    }
    buf[15] = word.len() as u8;
    Some(u128::from_le_bytes(buf))
}

/// Slots of a [`TermTable`]: a power of two, several times the number of words, so probes are
/// short.
const SLOTS: usize = 1024;

/// The first slot to probe for a packed word: a multiplicative hash of its two halves.
const fn slot(key: u128) -> usize {
    let mixed = (key as u64) ^ ((key >> 64) as u64).rotate_left(29);
    (mixed.wrapping_mul(0x9E37_79B9_7F4A_7C15) >> 54) as usize & (SLOTS - 1)
}

/// Words and the lists each is on, in an open-addressing hash table (linear probing; key 0,
/// which no packed word has, marks an empty slot).
pub(crate) struct TermTable {
    slots: [(u128, u32); SLOTS],
}

impl TermTable {
    /// Builds the table from `(words, list)` pairs; a word on several lists gets all of them.
    /// Meant for a `static`: a word longer than [`LONGEST`] bytes, or more words than the table
    /// holds, fails the build.
    pub(crate) const fn new(lists: &[(&[&str], Lists)]) -> TermTable {
        let mut slots = [(0u128, 0u32); SLOTS];
        let mut filled = 0;
        let mut l = 0;
        while l < lists.len() {
            let (words, list) = lists[l];
            let mut w = 0;
            while w < words.len() {
                let Some(key) = pack_lower(words[w].as_bytes()) else {
                    panic!("a term is empty or longer than 15 bytes");
                };
                let mut s = slot(key);
                while slots[s].0 != 0 && slots[s].0 != key {
                    s = (s + 1) & (SLOTS - 1);
                }
                if slots[s].0 == 0 {
                    filled += 1;
                    assert!(filled * 2 <= SLOTS, "too many terms for the table");
                }
                slots[s] = (key, slots[s].1 | list.0);
                w += 1;
            }
            l += 1;
        }
        TermTable { slots }
    }

    /// The lists `word` is on, ignoring ASCII case.
    pub(crate) fn lists(&self, word: &str) -> Lists {
        let Some(key) = pack_lower(word.as_bytes()) else {
            return Lists::NONE;
        };
        let mut s = slot(key);
        loop {
            match self.slots.get(s) {
                Some(&(k, lists)) if k == key => return Lists(lists),
                Some(&(0, _)) | None => return Lists::NONE,
                Some(_) => s = (s + 1) & (SLOTS - 1),
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const A: Lists = Lists(1);
    const B: Lists = Lists(2);
    static TABLE: TermTable = TermTable::new(&[
        (&["bp", "pain", "fifteen_letters"], A),
        (&["pain", "map"], B),
    ]);

    #[test]
    fn lookups_ignore_case_and_merge_lists() {
        assert_eq!(TABLE.lists("BP"), A);
        assert_eq!(TABLE.lists("Pain"), A.or(B));
        assert_eq!(TABLE.lists("map"), B);
        assert_eq!(TABLE.lists("fifteen_letters"), A);
        assert_eq!(TABLE.lists("maps"), Lists::NONE);
        assert_eq!(TABLE.lists("b"), Lists::NONE);
        assert_eq!(TABLE.lists(""), Lists::NONE);
        assert_eq!(TABLE.lists(&"p".repeat(40)), Lists::NONE);
        assert_eq!(TABLE.lists("bp\u{e9}"), Lists::NONE);
    }
}
