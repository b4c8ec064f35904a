//! What a validator may look at around a match: the text, nearby cue phrases, nearby words.

use super::Cue;
use crate::Span;

/// The scanned (folded) text and the cue phrases found in it, sorted by position.
pub(crate) struct Context<'t> {
    text: &'t str,
    cues: Vec<(Span, Cue)>,
}

impl<'t> Context<'t> {
    pub(crate) fn new(text: &'t str, cues: Vec<(Span, Cue)>) -> Context<'t> {
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
        let lo = pos.saturating_sub(max_gap);
        // Cues ending in lo..=pos start before pos; scan back from the first cue starting at pos.
        let i = self.cues.partition_point(|(s, _)| s.start < pos);
        self.cues[..i]
            .iter()
            .rev()
            .take_while(|(s, _)| s.end + max_gap + 64 >= pos)
            .any(|(s, c)| {
                *c == class && s.end >= lo && s.end <= pos && !self.has_newline(s.end, pos)
            })
    }

    /// Whether a cue of `class` starts at most `max_gap` bytes after `pos`, on the same line.
    pub(crate) fn cue_after(&self, pos: usize, class: Cue, max_gap: usize) -> bool {
        let i = self.cues.partition_point(|(s, _)| s.start < pos);
        self.cues[i..]
            .iter()
            .take_while(|(s, _)| s.start <= pos + max_gap)
            .any(|(s, c)| *c == class && !self.has_newline(pos, s.start))
    }

    fn has_newline(&self, from: usize, to: usize) -> bool {
        from < to && self.text.as_bytes()[from..to].contains(&b'\n')
    }

    /// The line (without its newline) that contains byte `pos`.
    pub(crate) fn line_at(&self, pos: usize) -> Span {
        let bytes = self.text.as_bytes();
        let start = bytes[..pos.min(bytes.len())]
            .iter()
            .rposition(|&b| b == b'\n')
            .map_or(0, |i| i + 1);
        let end = bytes[pos.min(bytes.len())..]
            .iter()
            .position(|&b| b == b'\n')
            .map_or(bytes.len(), |i| pos + i);
        Span::new(start, end)
    }

    /// Up to `n` words (ASCII letter runs) before `pos` on the same line, nearest first.
    pub(crate) fn words_before(&self, pos: usize, n: usize) -> impl Iterator<Item = &'t str> + 't {
        let text = self.text;
        let line_start = self.line_at(pos).start;
        let bytes = text.as_bytes();
        let mut end = pos;
        std::iter::from_fn(move || {
            while end > line_start && !bytes[end - 1].is_ascii_alphabetic() {
                end -= 1;
            }
            if end == line_start {
                return None;
            }
            let mut start = end;
            while start > line_start && bytes[start - 1].is_ascii_alphabetic() {
                start -= 1;
            }
            let w = &text[start..end];
            end = start;
            Some(w)
        })
        .take(n)
    }

    /// Up to `n` words (ASCII letter runs) after `pos` on the same line, nearest first.
    pub(crate) fn words_after(&self, pos: usize, n: usize) -> impl Iterator<Item = &'t str> + 't {
        let text = self.text;
        let line_end = self.line_at(pos).end;
        let bytes = text.as_bytes();
        let mut start = pos;
        std::iter::from_fn(move || {
            while start < line_end && !bytes[start].is_ascii_alphabetic() {
                start += 1;
            }
            if start >= line_end {
                return None;
            }
            let mut end = start;
            while end < line_end && bytes[end].is_ascii_alphabetic() {
                end += 1;
            }
            let w = &text[start..end];
            start = end;
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn words_around() {
        let ctx = Context::new("line one\nBP was 120/80 mmHg today\nnext", Vec::new());
        let pos = ctx.text().find("120").unwrap_or(0);
        assert_eq!(ctx.words_before(pos, 5).collect::<Vec<_>>(), ["was", "BP"]);
        assert_eq!(
            ctx.words_after(pos + 6, 5).collect::<Vec<_>>(),
            ["mmHg", "today"]
        );
    }

    #[test]
    fn cues_respect_lines_and_gaps() {
        let text = "fax\n617-555-0100 fax: 617-555-0101";
        let cues = vec![(Span::new(0, 3), Cue::Fax), (Span::new(17, 20), Cue::Fax)];
        let ctx = Context::new(text, cues);
        assert!(!ctx.cue_before(4, Cue::Fax, 20), "cue on the previous line");
        assert!(ctx.cue_before(22, Cue::Fax, 5));
        assert!(!ctx.cue_before(22, Cue::Phone, 5));
        assert!(ctx.cue_after(13, Cue::Fax, 6));
    }
}
