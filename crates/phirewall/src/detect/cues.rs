//! Cue phrases: one Aho-Corasick automaton over every family's cue words, searched on demand.
//!
//! Cues ("fax", "MRN", "BP", "strength") only matter next to a candidate identifier, and
//! candidates are rare. So instead of scanning the whole text for cues (which measured at over a
//! third of the scan time), a validator asks for cues in a small window around its match and the
//! automaton runs over just that window. One phrase may signal several classes ("call" is a phone
//! cue for one family and something else for another), so each phrase maps to a class bit set.

use aho_corasick::{AhoCorasick, AhoCorasickBuilder, Input, MatchKind};

use super::Cue;
use crate::Span;

/// The bit of a cue class in a class set.
pub(crate) const fn bit(cue: Cue) -> u32 {
    1 << cue as u32
}

/// The compiled cue phrases.
pub(crate) struct Cues {
    automaton: AhoCorasick,
    /// For each phrase: the classes it signals.
    classes: Vec<u32>,
    /// For each phrase: whether it ends in a letter or digit (and so needs a boundary after it).
    word_end: Vec<bool>,
    /// Length of the longest phrase, so windows can include a cue that ends inside them.
    longest: usize,
}

impl std::fmt::Debug for Cues {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Cues")
            .field("phrases", &self.classes.len())
            .finish()
    }
}

impl Cues {
    /// Compiles `(phrase, class)` pairs. Phrases equal up to ASCII case are merged, their classes
    /// joined.
    pub(crate) fn new(list: &[(&str, Cue)]) -> Result<Cues, aho_corasick::BuildError> {
        let mut phrases: Vec<(String, u32)> = Vec::new();
        for (phrase, cue) in list {
            let key = phrase.to_ascii_lowercase();
            match phrases.iter_mut().find(|(p, _)| *p == key) {
                Some((_, classes)) => *classes |= bit(*cue),
                None => phrases.push((key, bit(*cue))),
            }
        }
        let automaton = AhoCorasickBuilder::new()
            .ascii_case_insensitive(true)
            .match_kind(MatchKind::LeftmostLongest)
            .build(phrases.iter().map(|(p, _)| p))?;
        Ok(Cues {
            automaton,
            classes: phrases.iter().map(|(_, c)| *c).collect(),
            word_end: phrases
                .iter()
                .map(|(p, _)| p.as_bytes().last().is_some_and(u8::is_ascii_alphanumeric))
                .collect(),
            longest: phrases.iter().map(|(p, _)| p.len()).max().unwrap_or(0),
        })
    }

    /// The longest phrase, in bytes.
    pub(crate) fn longest(&self) -> usize {
        self.longest
    }

    /// Cues standing as whole words that lie entirely within `window` of `text`, in order, with
    /// their class sets. Word boundaries are judged against the whole text, not the window.
    pub(crate) fn find<'a>(
        &'a self,
        text: &'a str,
        window: Span,
    ) -> impl Iterator<Item = (Span, u32)> + 'a {
        let bytes = text.as_bytes();
        let input = Input::new(text).span(window.start..window.end.min(text.len()));
        self.automaton.find_iter(input).filter_map(move |m| {
            let (s, e) = (m.start(), m.end());
            let i = m.pattern().as_usize();
            let before_ok = s == 0
                || !bytes[s - 1].is_ascii_alphanumeric()
                || !bytes[s].is_ascii_alphanumeric();
            let after_ok =
                !self.word_end[i] || e == bytes.len() || !bytes[e].is_ascii_alphanumeric();
            (before_ok && after_ok).then(|| (Span::new(s, e), self.classes[i]))
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn merges_duplicates_and_checks_boundaries() {
        let cues = Cues::new(&[("fax", Cue::Fax), ("FAX", Cue::Phone), ("mrn:", Cue::Ssn)])
            .expect("builds");
        let text = "faxed; Fax 1, MRN:2";
        let found: Vec<_> = cues.find(text, Span::new(0, text.len())).collect();
        assert_eq!(
            found,
            [
                (Span::new(7, 10), bit(Cue::Fax) | bit(Cue::Phone)),
                (Span::new(14, 18), bit(Cue::Ssn))
            ]
        );
    }

    #[test]
    fn window_boundaries_use_the_whole_text() {
        let cues = Cues::new(&[("phone", Cue::Phone)]).expect("builds");
        let text = "telephone";
        assert_eq!(
            cues.find(text, Span::new(4, 9)).count(),
            0,
            "inside a longer word"
        );
    }
}
