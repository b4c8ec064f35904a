//! A document as words, for the detectors that reason about words rather than shapes.
//!
//! Names and places are not pattern-shaped: "Walker" is a surname, a first name and an English
//! word, and only its neighbours decide. Those detectors see the document as tokens (from the
//! zero-copy tokenizer) and ask the dictionary what each word could be.

use std::cell::Cell;

use crate::dict::{Dict, Entry};
use crate::text::{tokenize_into, Shape, Token};

/// The tokens of one (folded) document, with what the document's casing tells.
pub(crate) struct Words<'t> {
    text: &'t str,
    tokens: Vec<Token<'t>>,
    caseless: bool,
    mostly_lower: bool,
    dict: &'static Dict,
}

thread_local! {
    /// The token buffer of this thread's last document, empty, for the next one to fill.
    static TOKENS: Cell<Vec<Token<'static>>> = const { Cell::new(Vec::new()) };
}

/// Token buffers above this many bytes of capacity are not kept for the next document.
const KEEP_TOKENS_MAX_BYTES: usize = 4 << 20;

/// `buffer`, emptied, as a buffer of tokens of another lifetime: the same allocation, since
/// collecting a vector's own iterator into a vector of a type of the same size and alignment
/// reuses its memory (and when it would not, this just allocates).
// `filter_map` rather than `filter`: it is what changes the item type's lifetime.
#[allow(clippy::unnecessary_filter_map)]
fn recycle<'a, 'b>(mut buffer: Vec<Token<'a>>) -> Vec<Token<'b>> {
    buffer.clear();
    buffer.into_iter().filter_map(|_| None).collect()
}

impl Drop for Words<'_> {
    /// Hands the token buffer back for the thread's next document.
    fn drop(&mut self) {
        let tokens = std::mem::take(&mut self.tokens);
        if tokens.capacity() * std::mem::size_of::<Token<'_>>() <= KEEP_TOKENS_MAX_BYTES {
            TOKENS.set(recycle(tokens));
        }
    }
}

impl<'t> Words<'t> {
    /// Tokenizes `text`.
    pub(crate) fn new(text: &'t str, dict: &'static Dict) -> Words<'t> {
        // Notes average about four bytes a token (3.7 to 4 measured); reserving a third of the
        // length once avoids regrowing, and copying, the vector in all but odd documents. The
        // buffer of the thread's last note is reused: allocating and freeing one of this size
        // for every note cost about 1% of detection, in malloc's slow paths.
        let mut tokens: Vec<Token<'t>> = recycle(TOKENS.take());
        tokens.reserve(text.len() / 3 + 16);
        // Shapes are counted while the tokens are collected: a second pass over the vector
        // cost as much as a tenth of the word stage.
        let mut shapes = ShapeCounts::default();
        tokenize_into(text, &mut tokens, |shape| shapes.add(shape));
        let caseless = shapes.caseless();
        let mostly_lower = caseless && shapes.mostly_lower();
        Words {
            text,
            tokens,
            caseless,
            mostly_lower,
            dict,
        }
    }

    /// The whole (folded) text.
    pub(crate) fn text(&self) -> &'t str {
        self.text
    }

    /// All tokens, in order.
    pub(crate) fn tokens(&self) -> &[Token<'t>] {
        &self.tokens
    }

    /// Whether capitalization carries no signal here: the letters are (nearly) all upper case
    /// or all lower case, as in many nursing notes. Detectors then lean on the dictionary and
    /// cues alone.
    pub(crate) fn caseless(&self) -> bool {
        self.caseless
    }

    /// Whether the note is caseless because it is (nearly) all lowercase. There a capitalized
    /// word stands out the way a name does in a cased note: writers who skip capitals for
    /// sentences often still capitalize names ("seen by dr K Vantrelli", "once Rosalind woke").
    pub(crate) fn mostly_lower(&self) -> bool {
        self.mostly_lower
    }

    /// What the dictionary knows about token `i`'s text (one lookup, no allocation).
    pub(crate) fn entry(&self, i: usize) -> Option<Entry> {
        self.tokens.get(i).and_then(|t| self.dict.lookup(t.text))
    }

    /// The dictionary, for multi-word lookups ("new york", "seen by").
    pub(crate) fn dict(&self) -> &'static Dict {
        self.dict
    }
}

/// 0-25 for an ASCII letter of either case, [`NOT_A_LETTER`] for any other byte: where a word's
/// first or last letter falls in the per-letter filter tables of the name and place detectors.
pub(crate) static LETTER_INDEX: [u8; 256] = {
    let mut t = [NOT_A_LETTER; 256];
    let mut i = 0;
    while i < 26 {
        t[b'a' as usize + i] = i as u8;
        t[b'A' as usize + i] = i as u8;
        i += 1;
    }
    t
};

/// [`LETTER_INDEX`] of a byte that is no ASCII letter.
pub(crate) const NOT_A_LETTER: u8 = 26;

/// How many tokens of each [`Shape`] a document has, indexed by the shape's discriminant.
#[derive(Default)]
struct ShapeCounts([usize; 7]);

impl ShapeCounts {
    /// Counts one token: an index, no branch, since every token of a note passes here.
    #[inline]
    fn add(&mut self, shape: Shape) {
        if let Some(n) = self.0.get_mut(shape as usize) {
            *n += 1;
        }
    }

    fn count(&self, shape: Shape) -> usize {
        self.0.get(shape as usize).copied().unwrap_or(0)
    }

    /// Whether at least 90% of the cased words are all caps, or all lowercase.
    fn caseless(&self) -> bool {
        let upper = self.count(Shape::AllCaps);
        let lower = self.count(Shape::Lower);
        let mixed = self.count(Shape::Capitalized) + self.count(Shape::MixedCase);
        let total = upper + lower + mixed;
        total > 0 && (upper * 10 >= total * 9 || lower * 10 >= total * 9)
    }

    /// Whether lowercase words outnumber all-caps words (of a caseless note: which kind it is).
    fn mostly_lower(&self) -> bool {
        self.count(Shape::Lower) > self.count(Shape::AllCaps)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn words(text: &str) -> Words<'_> {
        Words::new(text, Dict::shared().expect("dictionary opens"))
    }

    /// The buffer handed to the next document is the same allocation, not a new one.
    #[test]
    fn token_buffers_are_reused() {
        let mut buffer: Vec<Token<'_>> = Vec::with_capacity(100);
        let text = String::from("Seen by Dr. Kowalczyk");
        tokenize_into(&text, &mut buffer, |_| {});
        let at = buffer.as_ptr() as usize;
        let reused: Vec<Token<'static>> = recycle(buffer);
        assert!(reused.is_empty());
        assert_eq!(reused.capacity(), 100);
        assert_eq!(reused.as_ptr() as usize, at);
        // And a second document gets its tokens right in it.
        let first = words("Pt seen by Dr. Kowalczyk today.").tokens().len();
        assert_eq!(
            words("Pt seen by Dr. Kowalczyk today.").tokens().len(),
            first
        );
    }

    #[test]
    fn casing() {
        assert!(words("PT SEEN BY DR SMITH TODAY, STABLE.").caseless());
        assert!(words("pt seen by dr smith today, stable.").caseless());
        assert!(!words("Pt seen by Dr. Smith today, stable.").caseless());
        assert!(
            words("pt seen by dr Kowalczyk today, stable, plan to wean vent in am.").mostly_lower()
        );
        assert!(!words("PT SEEN BY DR KOWALCZYK TODAY, STABLE.").mostly_lower());
        assert!(!words("Pt seen by Dr. Kowalczyk today, stable.").mostly_lower());
    }

    #[test]
    fn entries() {
        let w = words("Seen by Walker");
        let walker = w.entry(2).expect("walker is in the dictionary");
        assert!(walker.is(crate::dict::Class::Surname));
        assert!(w.entry(99).is_none());
    }
}
