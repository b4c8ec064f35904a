//! What a validator may look at around a match: the text, nearby cue phrases, nearby words.

use super::cues::{bit, Cues};
use super::Cue;
use crate::Span;

/// The scanned (folded) text, and the cue phrases to look for around matches.
pub(crate) struct Context<'t> {
    text: &'t str,
    cues: &'t Cues,
}

impl<'t> Context<'t> {
    pub(crate) fn new(text: &'t str, cues: &'t Cues) -> Context<'t> {
        Context { text, cues }
    }

    /// The text of a span.
    pub(crate) fn slice(&self, span: Span) -> &'t str {
        &self.text[span.range()]
    }

    /// The whole scanned text.
    pub(crate) fn text(&self) -> &'t str {
        self.text
    }

    /// Whether a cue of `class` ends at most `max_gap` bytes before `pos`, on the same line.
    pub(crate) fn cue_before(&self, pos: usize, class: Cue, max_gap: usize) -> bool {
        self.nearest_cue_before(pos, &[class], max_gap).is_some()
    }

    /// Whether a cue of `class` starts at most `max_gap` bytes after `pos`, on the same line.
    pub(crate) fn cue_after(&self, pos: usize, class: Cue, max_gap: usize) -> bool {
        let hi = (pos + max_gap + self.cues.longest()).min(self.text.len());
        let window = Span::new(pos, self.line_end_before(pos, hi));
        self.cues
            .find(self.text, window)
            .any(|(s, classes)| classes & bit(class) != 0 && s.start <= pos + max_gap)
    }

    /// Up to `n` words (ASCII letter runs) before `pos` on the same line, nearest first, within
    /// [`WORDS_REACH`] bytes of `pos` (a word further away is not context of this match, and
    /// the bound keeps the cost per match constant on long lines).
    pub(crate) fn words_before(&self, pos: usize, n: usize) -> impl Iterator<Item = &'t str> + 't {
        let text = self.text;
        let bytes = text.as_bytes();
        let floor = pos.saturating_sub(WORDS_REACH);
        let mut end = pos.min(bytes.len());
        // Walk back lazily and stop at a newline: finding the line start first would cost the
        // whole reach on every call.
        let mut stop = false;
        std::iter::from_fn(move || {
            while !stop && end > floor && !bytes[end - 1].is_ascii_alphabetic() {
                stop = bytes[end - 1] == b'\n';
                end -= 1;
            }
            if stop || end == floor {
                return None;
            }
            let mut start = end;
            while start > floor && bytes[start - 1].is_ascii_alphabetic() {
                start -= 1;
            }
            if start == floor && start > 0 && bytes[start - 1].is_ascii_alphabetic() {
                // The reach cuts this word: it starts further back than the reach.
                return None;
            }
            let w = &text[start..end];
            end = start;
            Some(w)
        })
        .take(n)
    }

    /// The non-space text right before `pos` (up to `n` bytes), for checks such as "preceded by `$`".
    pub(crate) fn before(&self, pos: usize, n: usize) -> &'t str {
        let mut lo = pos.saturating_sub(n);
        while !self.text.is_char_boundary(lo) {
            lo += 1;
        }
        &self.text[lo..pos]
    }

    /// The text right after `end` (up to `n` bytes).
    pub(crate) fn after(&self, end: usize, n: usize) -> &'t str {
        let mut hi = (end + n).min(self.text.len());
        while !self.text.is_char_boundary(hi) {
            hi -= 1;
        }
        &self.text[end..hi]
    }

    /// Whether the token ending at `pos` runs into the text before it: a letter or digit right
    /// before `pos`, or a `-`, `/` or `.` joining it to one. A number so joined is a fragment of
    /// a longer code ("12-123-45-6789"), not an identifier of its own.
    pub(crate) fn glued_before(&self, pos: usize) -> bool {
        let b = self.before(pos, 2).as_bytes();
        match b {
            [.., last] if last.is_ascii_alphanumeric() => true,
            [prev, b'-' | b'/' | b'.'] => prev.is_ascii_alphanumeric(),
            _ => false,
        }
    }

    /// Whether the token ending at `end` runs into the text after it: a letter or digit right
    /// after `end`, or a `-`, `/` or `.` followed by one ("4111-1111-1111-1111-2", "1234567.5").
    /// A sentence-ending period or dash followed by a space does not count.
    pub(crate) fn glued_after(&self, end: usize) -> bool {
        let b = self.after(end, 2).as_bytes();
        match b {
            [first, ..] if first.is_ascii_alphanumeric() => true,
            [b'-' | b'/' | b'.', next] => next.is_ascii_alphanumeric(),
            _ => false,
        }
    }

    /// The ASCII letter word that ends at most `max_gap` bytes before `pos`, with only spaces,
    /// tabs and bytes from `punct` in between (no digits, no other words). "on 7/22" gives "on",
    /// "7pm 10/15" gives "pm"; "on 1, 7/22" gives nothing, because "1, " is not a plain gap.
    pub(crate) fn word_just_before(
        &self,
        pos: usize,
        max_gap: usize,
        punct: &[u8],
    ) -> Option<&'t str> {
        let bytes = self.text.as_bytes();
        let mut end = pos.min(bytes.len());
        while end > 0 && pos - end < max_gap {
            let b = bytes[end - 1];
            if b == b' ' || b == b'\t' || punct.contains(&b) {
                end -= 1;
            } else {
                break;
            }
        }
        let mut start = end;
        while start > 0 && bytes[start - 1].is_ascii_alphabetic() {
            start -= 1;
        }
        (start < end).then(|| &self.text[start..end])
    }

    /// The ASCII letter word that starts at most `max_gap` bytes after `pos`, with only spaces,
    /// tabs and bytes from `punct` in between. "3/4 tab" gives "tab"; "3/4. Tab" with `punct`
    /// empty gives nothing.
    pub(crate) fn word_just_after(
        &self,
        pos: usize,
        max_gap: usize,
        punct: &[u8],
    ) -> Option<&'t str> {
        let bytes = self.text.as_bytes();
        let mut start = pos.min(bytes.len());
        while start < bytes.len() && start - pos < max_gap {
            let b = bytes[start];
            if b == b' ' || b == b'\t' || punct.contains(&b) {
                start += 1;
            } else {
                break;
            }
        }
        let mut end = start;
        while end < bytes.len() && bytes[end].is_ascii_alphabetic() {
            end += 1;
        }
        let word_ends_clean = end == bytes.len() || !bytes[end].is_ascii_digit();
        (start < end && word_ends_clean).then(|| &self.text[start..end])
    }
}

impl Context<'_> {
    /// The nearest cue of one of `classes` that ends at most `max_gap` bytes before `pos`, on the
    /// same line, with the class it was taken for (the first of `classes` it signals). Use it when
    /// cue classes compete for one value ("Tel 617-... Fax 617-...": each number belongs to the
    /// cue closest before it).
    pub(crate) fn nearest_cue_before(
        &self,
        pos: usize,
        classes: &[Cue],
        max_gap: usize,
    ) -> Option<(Span, Cue)> {
        let lo = pos.saturating_sub(max_gap);
        let from = lo.saturating_sub(self.cues.longest());
        let window = Span::new(self.line_start_after(from, pos), pos);
        self.cues
            .find(self.text, window)
            .filter(|(s, _)| s.end >= lo)
            .filter_map(|(s, set)| {
                let class = classes.iter().find(|c| set & bit(**c) != 0)?;
                Some((s, *class))
            })
            .last()
    }

    /// The start of the line containing `pos`, or `from` if the line starts before it: the
    /// byte after the last newline in `from..pos`. Costs `pos - from`, not the line's length.
    ///
    /// Checks run on every match, so none may read a whole line: on a long line with many
    /// matches (a 10 MB note without line breaks) that takes quadratic time. These two look
    /// for the line's ends only within a bounded window.
    pub(crate) fn line_start_after(&self, from: usize, pos: usize) -> usize {
        let bytes = self.text.as_bytes();
        let pos = pos.min(bytes.len());
        let from = from.min(pos);
        bytes[from..pos]
            .iter()
            .rposition(|&b| b == b'\n')
            .map_or(from, |i| from + i + 1)
    }

    /// The end of the line containing `pos`, or `to` if the line ends after it: the first
    /// newline in `pos..to`. Costs `to - pos`, not the line's length.
    pub(crate) fn line_end_before(&self, pos: usize, to: usize) -> usize {
        let bytes = self.text.as_bytes();
        let to = to.min(bytes.len());
        let pos = pos.min(to);
        bytes[pos..to]
            .iter()
            .position(|&b| b == b'\n')
            .map_or(to, |i| pos + i)
    }
}

/// How far back [`Context::words_before`] looks, in bytes.
pub(crate) const WORDS_REACH: usize = 256;

#[cfg(test)]
mod tests {
    use super::*;

    fn no_cues() -> Cues {
        Cues::new(&[]).expect("an empty cue set builds")
    }

    #[test]
    fn words_around() {
        let cues = no_cues();
        let ctx = Context::new("line one\nBP was 120/80 mmHg today\nnext", &cues);
        let pos = ctx.text().find("120").unwrap_or(0);
        assert_eq!(ctx.words_before(pos, 5).collect::<Vec<_>>(), ["was", "BP"]);
    }

    /// Words are looked for within a bounded reach, and line ends within a bounded window, so a
    /// check costs the same on a 10 MB line as on a short one.
    #[test]
    fn lookups_are_bounded() {
        let cues = no_cues();
        let far = format!("Smith{}MRN 12", " ".repeat(WORDS_REACH));
        let ctx = Context::new(&far, &cues);
        let pos = far.len() - 2;
        assert_eq!(ctx.words_before(pos, 3).collect::<Vec<_>>(), ["MRN"]);
        let cut = format!("{} MRN 12", "a".repeat(WORDS_REACH));
        let ctx = Context::new(&cut, &cues);
        assert_eq!(
            ctx.words_before(cut.len() - 2, 3).collect::<Vec<_>>(),
            ["MRN"]
        );
        let ctx = Context::new("ab\ncd ef\ngh", &cues);
        assert_eq!(ctx.line_start_after(0, 7), 3);
        assert_eq!(ctx.line_start_after(5, 7), 5);
        assert_eq!(ctx.line_end_before(4, 20), 8);
        assert_eq!(ctx.line_end_before(4, 6), 6);
    }

    #[test]
    fn cues_respect_lines_and_gaps() {
        let text = "fax\n617-555-0100 fax: 617-555-0101";
        let cues = Cues::new(&[("fax", Cue::Fax), ("fax:", Cue::Fax)]).expect("builds");
        let ctx = Context::new(text, &cues);
        assert!(!ctx.cue_before(4, Cue::Fax, 20), "cue on the previous line");
        assert!(ctx.cue_before(22, Cue::Fax, 5));
        assert!(!ctx.cue_before(22, Cue::Phone, 5));
        assert!(ctx.cue_after(13, Cue::Fax, 6));
    }

    #[test]
    fn glued_tokens() {
        let cues = no_cues();
        let ctx = Context::new("A12-345 6789. x-1 9/", &cues);
        assert!(ctx.glued_before(4), "dash after a digit");
        assert!(!ctx.glued_before(8), "space");
        assert!(ctx.glued_before(2), "letter");
        assert!(!ctx.glued_before(0), "start of text");
        assert!(!ctx.glued_after(12), "sentence period then space");
        assert!(ctx.glued_after(15), "dash then digit");
        assert!(!ctx.glued_after(20), "end of text");
        assert!(!ctx.glued_after(19), "slash at the end");
    }
}
