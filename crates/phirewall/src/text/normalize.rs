//! A detection view of the text: invisible characters removed, look-alike characters folded.
//!
//! Identifiers are sometimes written with full-width digits (`０１２`), broken by zero-width spaces
//! (`123\u{200B}-45-6789`), or typed with Cyrillic letters that look Latin. Detectors are written
//! for plain ASCII shapes, so they run over this folded view, and every span they find is mapped
//! back to the caller's original bytes with [`Normalized::to_original`].

use std::borrow::Cow;

use crate::Span;

/// What folding does to one character.
enum Fold {
    Keep,
    Drop,
    To(char),
}

/// Decides how one character appears in the detection view.
///
/// The lists are deliberately conservative: only characters whose sole plausible use inside an
/// identifier is to disguise or decorate an ASCII character are folded.
fn fold(c: char) -> Fold {
    match c {
        // Zero-width, joiners, direction marks, bidi embeddings and isolates, BOM, soft hyphen.
        '\u{00AD}'
        | '\u{180E}'
        | '\u{200B}'..='\u{200F}'
        | '\u{202A}'..='\u{202E}'
        | '\u{2060}'..='\u{2064}'
        | '\u{2066}'..='\u{2069}'
        | '\u{FEFF}' => Fold::Drop,
        // Full-width ASCII forms.
        '\u{FF01}'..='\u{FF5E}' => char::from_u32(c as u32 - 0xFEE0).map_or(Fold::Keep, Fold::To),
        // Spaces of other widths.
        '\u{00A0}' | '\u{2000}'..='\u{200A}' | '\u{202F}' | '\u{205F}' | '\u{3000}' => {
            Fold::To(' ')
        }
        // Hyphens, dashes and minus signs.
        '\u{2010}'..='\u{2015}' | '\u{2212}' | '\u{FE58}' | '\u{FE63}' => Fold::To('-'),
        // Other decimal digits: Arabic-Indic, extended Arabic-Indic, Devanagari, mathematical.
        '\u{0660}'..='\u{0669}' => digit(c as u32 - 0x0660),
        '\u{06F0}'..='\u{06F9}' => digit(c as u32 - 0x06F0),
        '\u{0966}'..='\u{096F}' => digit(c as u32 - 0x0966),
        '\u{1D7CE}'..='\u{1D7FF}' => digit((c as u32 - 0x1D7CE) % 10),
        _ => match homoglyph(c) {
            Some(a) => Fold::To(a),
            None => Fold::Keep,
        },
    }
}

fn digit(d: u32) -> Fold {
    char::from_digit(d, 10).map_or(Fold::Keep, Fold::To)
}

/// Cyrillic and Greek letters that render like a Latin letter.
fn homoglyph(c: char) -> Option<char> {
    Some(match c {
        'А' | 'Α' => 'A',
        'В' | 'Β' => 'B',
        'С' => 'C',
        'Е' | 'Ε' => 'E',
        'Н' | 'Η' => 'H',
        'І' | 'Ι' => 'I',
        'Ј' => 'J',
        'К' | 'Κ' => 'K',
        'М' | 'Μ' => 'M',
        'Ν' => 'N',
        'О' | 'Ο' => 'O',
        'Р' | 'Ρ' => 'P',
        'Ѕ' => 'S',
        'Т' | 'Τ' => 'T',
        'Х' | 'Χ' => 'X',
        'Υ' | 'Ү' => 'Y',
        'Ζ' => 'Z',
        'а' => 'a',
        'с' => 'c',
        'ԁ' => 'd',
        'е' => 'e',
        'һ' => 'h',
        'і' => 'i',
        'ј' => 'j',
        'о' | 'ο' => 'o',
        'р' | 'ρ' => 'p',
        'ѕ' => 's',
        'х' => 'x',
        'у' => 'y',
        _ => return None,
    })
}

/// Whether any character of `text` folds. ASCII never does, so only the characters at non-ASCII
/// bytes are decoded and classified; the ASCII stretches between them are skipped without
/// decoding (this check runs on every text, and notes are mostly ASCII).
fn needs_folding(text: &str) -> bool {
    let bytes = text.as_bytes();
    let mut i = 0;
    while let Some(off) = first_non_ascii(&bytes[i..]) {
        let at = i + off;
        let Some(c) = text[at..].chars().next() else {
            return false;
        };
        if !matches!(fold(c), Fold::Keep) {
            return true;
        }
        i = at + c.len_utf8();
    }
    false
}

/// The offset of the first byte >= 0x80. Blocks of 32 bytes are tested with `is_ascii`, which
/// reads a machine word at a time; a byte-by-byte search cost a quarter of the pattern scan.
fn first_non_ascii(bytes: &[u8]) -> Option<usize> {
    let mut at = 0;
    for block in bytes.chunks(32) {
        if !block.is_ascii() {
            return block.iter().position(|&b| b >= 0x80).map(|i| at + i);
        }
        at += block.len();
    }
    None
}

/// The text as detectors see it, with a way back to the original offsets.
///
/// For text that needs no folding (all ASCII text, and most other text) this borrows the input
/// and allocates nothing; [`Normalized::to_original`] is then the identity.
#[derive(Clone)]
pub struct Normalized<'t> {
    text: Cow<'t, str>,
    /// Present only when the text was changed: for every byte of the folded text, the start and
    /// end of the original character it came from.
    map: Option<Box<ByteMap>>,
}

#[derive(Clone)]
struct ByteMap {
    starts: Vec<usize>,
    ends: Vec<usize>,
}

impl<'t> Normalized<'t> {
    /// Builds the detection view of `original`.
    pub fn new(original: &'t str) -> Normalized<'t> {
        // Most notes are all ASCII: one `is_ascii` over the whole text (a machine word per step,
        // without a call per block) settles them.
        if original.is_ascii() || !needs_folding(original) {
            return Normalized {
                text: Cow::Borrowed(original),
                map: None,
            };
        }
        let mut text = String::with_capacity(original.len());
        let mut starts = Vec::with_capacity(original.len());
        let mut ends = Vec::with_capacity(original.len());
        for (i, c) in original.char_indices() {
            let end = i + c.len_utf8();
            let out = match fold(c) {
                Fold::Keep => c,
                Fold::Drop => continue,
                Fold::To(a) => a,
            };
            text.push(out);
            for _ in 0..out.len_utf8() {
                starts.push(i);
                ends.push(end);
            }
        }
        Normalized {
            text: Cow::Owned(text),
            map: Some(Box::new(ByteMap { starts, ends })),
        }
    }

    /// The folded text that detectors scan.
    pub fn as_str(&self) -> &str {
        &self.text
    }

    /// Whether folding changed anything (and so spans need mapping back).
    pub fn is_folded(&self) -> bool {
        self.map.is_some()
    }

    /// Maps a non-empty span of the folded text back to the original text.
    ///
    /// The result covers every original character that produced a byte of the span; characters
    /// dropped inside it (a zero-width space between digits) are covered too.
    pub fn to_original(&self, span: Span) -> Span {
        match &self.map {
            None => span,
            Some(map) if span.is_empty() => {
                let at = map
                    .starts
                    .get(span.start)
                    .copied()
                    .unwrap_or_else(|| map.ends.last().copied().unwrap_or(0));
                Span::new(at, at)
            }
            Some(map) => Span::new(map.starts[span.start], map.ends[span.end - 1]),
        }
    }
}

impl std::fmt::Debug for Normalized<'_> {
    /// Shows only sizes, never the text.
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Normalized")
            .field("len", &self.text.len())
            .field("folded", &self.is_folded())
            .finish()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn first_non_ascii_across_blocks() {
        for at in [0, 1, 31, 32, 33, 63, 64, 100] {
            let mut bytes = vec![b'a'; 101];
            bytes[at] = 0xC3;
            assert_eq!(first_non_ascii(&bytes), Some(at), "at {at}");
        }
        assert_eq!(first_non_ascii(&[b'a'; 70]), None);
        assert_eq!(first_non_ascii(b""), None);
        // A folding character after 40 ASCII bytes is still seen.
        let text = format!("{}\u{200B}", "x".repeat(40));
        assert!(Normalized::new(&text).is_folded());
    }

    #[test]
    fn ascii_borrows() {
        let n = Normalized::new("SSN 123-45-6789");
        assert!(!n.is_folded());
        assert!(matches!(n.text, Cow::Borrowed(_)));
    }

    #[test]
    fn folds_and_maps_back() {
        let original = "SSN \u{FF11}23\u{200B}-45-6789 ok";
        let n = Normalized::new(original);
        assert_eq!(n.as_str(), "SSN 123-45-6789 ok");
        let span = n.to_original(Span::new(4, 15));
        assert_eq!(&original[span.range()], "\u{FF11}23\u{200B}-45-6789");
    }

    #[test]
    fn homoglyphs_fold() {
        let n = Normalized::new("Dr. Smіth \u{2013} ΝΡΙ");
        assert_eq!(n.as_str(), "Dr. Smith - NPI");
    }

    #[test]
    fn non_folding_unicode_borrows() {
        let n = Normalized::new("José Müller, 東京");
        assert!(!n.is_folded());
    }
}
