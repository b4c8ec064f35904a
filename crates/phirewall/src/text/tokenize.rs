//! A zero-copy tokenizer: words, numbers and punctuation as slices of the input.
//!
//! Clinical notes are overwhelmingly ASCII, so ASCII runs are split by a plain byte scanner and
//! only stretches that contain non-ASCII characters go through Unicode word segmentation (UAX #29),
//! which is several times slower. Tokens never own text and carry byte offsets into the input.

use unicode_segmentation::UnicodeSegmentation;

use crate::Span;

/// The orthographic shape of a token: the signal name and identifier detectors use most.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Shape {
    /// Only lowercase letters: `stool`.
    Lower,
    /// An uppercase letter followed by lowercase ones, or a single uppercase letter: `Smith`, `J`.
    Capitalized,
    /// Two or more letters, all uppercase: `SMITH`, `MRN`.
    AllCaps,
    /// Letters in any other mix of case: `McDonald`, `iPhone`.
    MixedCase,
    /// Only decimal digits: `2021`.
    Digits,
    /// Letters and digits together: `3rd`, `A1c`, `x4123`.
    Alphanumeric,
    /// A single punctuation or symbol character: `/`, `-`, `#`.
    Punct,
}

/// One token: a slice of the input with its position, shape and line.
#[derive(Clone, Copy, PartialEq, Eq)]
pub struct Token<'t> {
    /// The token's text, borrowed from the input.
    pub text: &'t str,
    /// Where it is, in bytes of the input.
    pub span: Span,
    /// Its shape.
    pub shape: Shape,
    /// Zero-based line number (lines end at `\n`; a `\r\n` pair counts once).
    pub line: u32,
}

impl std::fmt::Debug for Token<'_> {
    /// Shows position and shape, never the token's text (which may be PHI).
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Token")
            .field("span", &self.span)
            .field("shape", &self.shape)
            .field("line", &self.line)
            .finish()
    }
}

/// Splits `text` into tokens. Whitespace separates tokens and is not returned.
///
/// Rules: a run of ASCII letters and digits is one token, and so is a word with inner apostrophes
/// (`O'Brien`, `don't`); every other ASCII character is a one-character [`Shape::Punct`] token.
/// A word that contains non-ASCII characters is split by UAX #29 word boundaries.
///
/// ```
/// use phirewall::text::{tokenize, Shape};
///
/// let tokens: Vec<_> = tokenize("Dr. O'Brien saw pt 3/4").collect();
/// let texts: Vec<&str> = tokens.iter().map(|t| t.text).collect();
/// assert_eq!(texts, ["Dr", ".", "O'Brien", "saw", "pt", "3", "/", "4"]);
/// assert_eq!(tokens[2].shape, Shape::Capitalized);
/// ```
pub fn tokenize(text: &str) -> Tokens<'_> {
    Tokens {
        text,
        pos: 0,
        line: 0,
        pending: Vec::new(),
    }
}

/// The iterator returned by [`tokenize`].
#[derive(Clone)]
pub struct Tokens<'t> {
    text: &'t str,
    pos: usize,
    line: u32,
    /// Tokens of a segmented non-ASCII stretch, in reverse order.
    pending: Vec<Token<'t>>,
}

impl std::fmt::Debug for Tokens<'_> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Tokens")
            .field("pos", &self.pos)
            .field("line", &self.line)
            .finish()
    }
}

/// Byte classes for the ASCII scanner (one table lookup per byte instead of a chain of tests).
const SPACE: u8 = 0;
const NEWLINE: u8 = 1;
const UPPER: u8 = 2;
const LOWER: u8 = 3;
const DIGIT: u8 = 4;
/// A byte of a non-ASCII character: part of a word, segmented later.
const HIGH: u8 = 5;
const APOSTROPHE: u8 = 6;
const PUNCT: u8 = 7;

static CLASS: [u8; 256] = {
    let mut t = [PUNCT; 256];
    let mut i = 0;
    while i < 256 {
        let b = i as u8;
        t[i] = match b {
            b' ' | b'\t' | b'\r' | 0x0B | 0x0C => SPACE,
            b'\n' => NEWLINE,
            b'A'..=b'Z' => UPPER,
            b'a'..=b'z' => LOWER,
            b'0'..=b'9' => DIGIT,
            b'\'' => APOSTROPHE,
            0x80..=0xFF => HIGH,
            _ => PUNCT,
        };
        i += 1;
    }
    t
};

/// Bits of the bytes that continue a word (0: the byte ends it, or is an apostrophe).
const W_UPPER: u8 = 1;
const W_LOWER: u8 = 2;
const W_DIGIT: u8 = 4;
/// A byte of a non-ASCII character.
const W_HIGH: u8 = 8;

static WORD: [u8; 256] = {
    let mut t = [0u8; 256];
    let mut i = 0;
    while i < 256 {
        t[i] = match CLASS[i] {
            UPPER => W_UPPER,
            LOWER => W_LOWER,
            DIGIT => W_DIGIT,
            HIGH => W_HIGH,
            _ => 0,
        };
        i += 1;
    }
    t
};

/// What [`scan`] found at a position.
enum Scanned<'t> {
    /// An ASCII word or a punctuation character.
    Token(Token<'t>),
    /// A word with non-ASCII characters, `start..end`, to be split by UAX #29.
    NonAscii(usize, usize),
    /// Only whitespace was left.
    End,
}

/// Scans the token at `*pos` (after skipping whitespace and counting lines) and moves `*pos`
/// past it. The one scanner behind both [`Tokens`] and [`tokenize_into`].
#[inline(always)]
fn scan<'t>(text: &'t str, pos: &mut usize, line: &mut u32) -> Scanned<'t> {
    let bytes = text.as_bytes();
    // One space is the usual gap between two tokens, and none the next most usual (before a
    // comma or a period): which of the two comes has no pattern, so one space is skipped
    // without a branch, and the loop below is left at once in most cases.
    if let Some(&b) = bytes.get(*pos) {
        *pos += usize::from(CLASS[usize::from(b)] == SPACE);
    }
    // Skip whitespace, counting lines.
    while let Some(&b) = bytes.get(*pos) {
        match CLASS[usize::from(b)] {
            NEWLINE => *line += 1,
            SPACE => {}
            _ => break,
        }
        *pos += 1;
    }
    let start = *pos;
    let Some(&first) = bytes.get(start) else {
        return Scanned::End;
    };
    let first_class = CLASS[usize::from(first)];
    if first_class == PUNCT || first_class == APOSTROPHE {
        *pos += 1;
        // An ASCII byte is a character of its own.
        let Some(text) = text.get(start..start + 1) else {
            return Scanned::End;
        };
        return Scanned::Token(Token {
            text,
            span: Span::new(start, start + 1),
            shape: Shape::Punct,
            line: *line,
        });
    }
    // A word: letters, digits, non-ASCII bytes, and apostrophes between ASCII letters. Its
    // shape is gathered on the way, as the kinds of bytes after the first: one table lookup
    // and one OR a byte, no multi-way branch, since this loop runs over nearly every byte of a
    // note. How many capitals a word has matters only when it starts with one (see
    // `ASCII_SHAPES`), so they are not counted.
    let first_bits = WORD[usize::from(first)];
    let mut seen = 0u8;
    let mut end = start + 1;
    while let Some(&b) = bytes.get(end) {
        let bits = WORD[usize::from(b)];
        if bits != 0 {
            seen |= bits;
            end += 1;
            continue;
        }
        let inner_apostrophe = b == b'\''
            && bytes.get(end - 1).is_some_and(u8::is_ascii_alphabetic)
            && bytes.get(end + 1).is_some_and(u8::is_ascii_alphabetic);
        if !inner_apostrophe {
            break;
        }
        // O'Brien is capitalized like Smith: a capital after an apostrophe is not counted
        // at all; a lowercase letter there is.
        if bytes.get(end + 1).is_some_and(u8::is_ascii_lowercase) {
            seen |= W_LOWER;
        }
        end += 2;
    }
    *pos = end;
    if (first_bits | seen) & W_HIGH != 0 {
        return Scanned::NonAscii(start, end);
    }
    // `start` and `end` are at ASCII bytes (or the end), so on character boundaries.
    let Some(word) = text.get(start..end) else {
        return Scanned::End;
    };
    Scanned::Token(Token {
        text: word,
        span: Span::new(start, end),
        shape: ASCII_SHAPES[usize::from(first_bits | seen << 3) & 63],
        line: *line,
    })
}

/// The tokens of the non-ASCII word `start..end` of `text`, by UAX #29 word boundaries.
/// Kept out of line: it is rare, and keeping it out lets the ASCII path be inlined.
#[cold]
#[inline(never)]
fn segment<'t>(text: &'t str, start: usize, end: usize, line: u32) -> Vec<Token<'t>> {
    // `end` stops only at ASCII bytes, so it is a char boundary.
    let stretch = text.get(start..end).unwrap_or_default();
    stretch
        .split_word_bound_indices()
        .filter(|(_, w)| !w.chars().all(char::is_whitespace))
        .map(|(i, w)| Token {
            text: w,
            span: Span::new(start + i, start + i + w.len()),
            shape: shape_of(w),
            line,
        })
        .collect()
}

/// Appends the tokens of `text` to `out` and calls `each` with every token's shape: what
/// [`tokenize`] yields, without the iterator.
///
/// On x86_64 the text is read 64 bytes at a time as bitmasks of byte classes (see
/// [`super::classify`]); tokens start and end where the masks change. Elsewhere the byte scanner
/// behind [`tokenize`] does it. A test checks that both give the same tokens.
///
/// Never inlined: where the compiler inlined the tokenizer into its caller, its loops came out
/// with more register moves, and which way it went changed with unrelated edits elsewhere.
#[inline(never)]
pub(crate) fn tokenize_into<'t>(text: &'t str, out: &mut Vec<Token<'t>>, each: impl FnMut(Shape)) {
    #[cfg(all(target_arch = "x86_64", target_feature = "sse2"))]
    by_blocks(text, out, each);
    #[cfg(not(all(target_arch = "x86_64", target_feature = "sse2")))]
    by_bytes(text, out, each);
}

/// Bits 0-62 of a block. Only a token that ends by byte 62 is taken from a block: whether a byte
/// continues a word can depend on the byte after it (an apostrophe is inside a word only when a
/// letter follows), which for byte 63 is in the next block.
#[cfg(all(target_arch = "x86_64", target_feature = "sse2"))]
const SURE: u64 = u64::MAX >> 1;

/// [`tokenize_into`] by 64-byte blocks. Each block yields the tokens that end by its byte 62;
/// the next block starts where the first token that did not starts (or at byte 63), so a block
/// never splits a token. Only a word of 63 bytes or more, which no block holds, goes to the byte
/// scanner. The last, short block is padded with spaces, which make no tokens.
#[cfg(all(target_arch = "x86_64", target_feature = "sse2"))]
fn by_blocks<'t>(text: &'t str, out: &mut Vec<Token<'t>>, mut each: impl FnMut(Shape)) {
    let bytes = text.as_bytes();
    let mut pos = 0;
    let mut line = 0u32;
    while pos < bytes.len() {
        let padded;
        let block = match bytes.get(pos..pos + 64).map(<&[u8; 64]>::try_from) {
            Some(Ok(block)) => block,
            _ => {
                let rest = bytes.get(pos..).unwrap_or_default();
                let mut b = [b' '; 64];
                for (to, &from) in b.iter_mut().zip(rest) {
                    *to = from;
                }
                padded = b;
                &padded
            }
        };
        let m = super::classify::classify(block);
        let letters = m.upper | m.lower;
        // An apostrophe between two ASCII letters is part of the word (O'Brien, don't).
        let inner = m.apostrophe & (letters << 1) & (letters >> 1);
        let word = letters | m.digit | m.high | inner;
        // Every other byte that is not whitespace is a token of its own.
        let punct = !(word | m.space | m.newline);
        let mut starts = ((word & !(word << 1)) | punct) & SURE;
        // What a word's shape needs, for all words of the block at once, at the bit just past
        // each word: which kinds of bytes follow its first. A capital right after an
        // apostrophe does not count: O'Brien is capitalized like Smith.
        let rest = word & (word << 1);
        let upper_seen = ends_of_runs_with(rest, m.upper & !(inner << 1));
        let lower_seen = ends_of_runs_with(rest, m.lower);
        let digit_seen = ends_of_runs_with(rest, m.digit);
        let non_ascii = ends_of_runs_with(word, m.high);
        let mut newlines = m.newline;
        let mut newline_at = newlines.trailing_zeros();
        let mut next = 63;
        while starts != 0 {
            let start = starts.trailing_zeros();
            // A word's length, and 1 for a punctuation byte (where `word` has no bit).
            let end = start + (!(word >> start)).trailing_zeros().max(1);
            if end > 62 {
                next = start;
                break;
            }
            // Most tokens share the line of the one before: one compare.
            if start > newline_at {
                let before = newlines & ((1u64 << start) - 1);
                line += before.count_ones();
                newlines ^= before;
                newline_at = newlines.trailing_zeros();
            }
            let (from, to) = (pos + start as usize, pos + end as usize);
            if non_ascii >> end & 1 != 0 {
                for t in segment(text, from, to, line) {
                    each(t.shape);
                    out.push(t);
                }
            } else if let Some(token) = text.get(from..to) {
                // The same index into `ASCII_SHAPES` as the byte scanner's.
                let first = block
                    .get(start as usize)
                    .map_or(0, |&b| WORD[usize::from(b)]);
                let seen = (upper_seen >> end & 1)
                    | (lower_seen >> end & 1) << 1
                    | (digit_seen >> end & 1) << 2;
                let shape = ASCII_SHAPES[(usize::from(first) | (seen as usize) << 3) & 63];
                each(shape);
                out.push(Token {
                    text: token,
                    span: Span::new(from, to),
                    shape,
                    line,
                });
            }
            starts &= starts - 1;
        }
        line += (newlines & ((1u64 << next) - 1)).count_ones();
        if next > 0 {
            pos += next as usize;
            continue;
        }
        // A word of 63 bytes or more starts the block.
        let found = scan(text, &mut pos, &mut line);
        if !append(text, found, line, out, &mut each) {
            return;
        }
    }
}

/// Appends what [`scan`] found to `out` (calling `each` with every token's shape); `false`
/// when the scan reached the end of the text.
#[inline(always)]
fn append<'t>(
    text: &'t str,
    found: Scanned<'t>,
    line: u32,
    out: &mut Vec<Token<'t>>,
    each: &mut impl FnMut(Shape),
) -> bool {
    match found {
        Scanned::Token(t) => {
            each(t.shape);
            out.push(t);
        }
        Scanned::NonAscii(start, end) => {
            for t in segment(text, start, end, line) {
                each(t.shape);
                out.push(t);
            }
        }
        Scanned::End => return false,
    }
    true
}

/// For the runs of set bits in `runs`, the bit just past each run that has a bit of `x`.
///
/// Adding a run's first bit to the run's bits that are not in `x` carries up to the first bit
/// of `x`, or, if there is none, out of the run into the bit past it: so that bit is clear
/// exactly when the run has a bit of `x`. A carry out of bit 63 is lost, which only concerns a
/// run that reaches the end of the block, whose word the block does not take.
#[cfg(all(target_arch = "x86_64", target_feature = "sse2"))]
#[inline(always)]
fn ends_of_runs_with(runs: u64, x: u64) -> u64 {
    let firsts = runs & !(runs << 1);
    let past = (runs << 1) & !runs;
    past & !(runs & !x).wrapping_add(firsts)
}

/// [`tokenize_into`] by the byte scanner. Its position and line live in locals (registers)
/// rather than in an iterator's fields, which the loop otherwise reloads and stores for every
/// token.
#[cfg(not(all(target_arch = "x86_64", target_feature = "sse2")))]
fn by_bytes<'t>(text: &'t str, out: &mut Vec<Token<'t>>, mut each: impl FnMut(Shape)) {
    let mut pos = 0;
    let mut line = 0;
    loop {
        let found = scan(text, &mut pos, &mut line);
        if !append(text, found, line, out, &mut each) {
            return;
        }
    }
}

impl<'t> Iterator for Tokens<'t> {
    type Item = Token<'t>;

    // Inlined into the caller's loop: a call per token cost a sixth of the tokenizer.
    #[inline(always)]
    fn next(&mut self) -> Option<Token<'t>> {
        if let Some(t) = self.pending.pop() {
            return Some(t);
        }
        match scan(self.text, &mut self.pos, &mut self.line) {
            Scanned::Token(t) => Some(t),
            Scanned::NonAscii(start, end) => {
                let mut segs = segment(self.text, start, end, self.line);
                segs.reverse();
                self.pending = segs;
                self.pending.pop().or_else(|| self.next())
            }
            Scanned::End => None,
        }
    }
}

/// The shape of an ASCII word by the same rules as [`shape_of`], indexed by the [`WORD`] bits
/// of its first byte (bits 0-2) and of the bytes after it, ORed (bits 3-5; a capital right
/// after an apostrophe left out).
///
/// The number of capitals, which tells all caps from capitalized and mixed case, is known from
/// these alone: a word that starts with a capital has one if no later byte is one, and two or
/// more if one is; a word that starts with a lowercase letter is lowercase or mixed case
/// whatever the count, and one that starts with a digit has no letter or is alphanumeric.
static ASCII_SHAPES: [Shape; 64] = {
    let mut t = [Shape::Punct; 64];
    let mut i = 0;
    while i < 64 {
        let first = (i & 7) as u8;
        let rest = (i >> 3) as u8;
        let all = first | rest;
        let lower = all & W_LOWER != 0;
        let digit = all & W_DIGIT != 0;
        let letters = all & (W_UPPER | W_LOWER) != 0;
        let first_upper = first & W_UPPER != 0;
        let upper = if first_upper && rest & W_UPPER != 0 {
            2
        } else if all & W_UPPER != 0 {
            1
        } else {
            0
        };
        t[i] = match (letters, digit) {
            (false, false) => Shape::Punct,
            (false, true) => Shape::Digits,
            (true, true) => Shape::Alphanumeric,
            _ if upper == 0 => Shape::Lower,
            _ if !lower && upper >= 2 => Shape::AllCaps,
            _ if first_upper && upper == 1 => Shape::Capitalized,
            _ => Shape::MixedCase,
        };
        i += 1;
    }
    t
};

/// Classifies a token's text.
pub fn shape_of(word: &str) -> Shape {
    let (mut upper, mut lower, mut digit, mut other) = (0usize, 0usize, 0usize, 0usize);
    let mut first_upper = false;
    let mut prev = ' ';
    for (i, c) in word.chars().enumerate() {
        let after_apostrophe = std::mem::replace(&mut prev, c) == '\'';
        if c.is_uppercase() {
            // O'Brien is capitalized like Smith: a capital after an apostrophe is not extra.
            upper += usize::from(!after_apostrophe);
            first_upper |= i == 0;
        } else if c.is_lowercase() {
            lower += 1;
        } else if c.is_numeric() {
            digit += 1;
        } else if c.is_alphabetic() {
            // Letters without case (CJK, Arabic) count as lowercase words.
            lower += 1;
        } else if c != '\'' {
            other += 1;
        }
    }
    let letters = upper + lower;
    match (letters, digit) {
        (0, 0) => Shape::Punct,
        (0, _) if other == 0 => Shape::Digits,
        (0, _) => Shape::Punct,
        (_, d) if d > 0 => Shape::Alphanumeric,
        _ if upper == 0 => Shape::Lower,
        _ if lower == 0 && upper >= 2 => Shape::AllCaps,
        _ if first_upper && upper == 1 => Shape::Capitalized,
        _ => Shape::MixedCase,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn texts(s: &str) -> Vec<&str> {
        tokenize(s).map(|t| t.text).collect()
    }

    #[test]
    fn splits_ascii() {
        assert_eq!(
            texts("BP 120/80, HR 88."),
            ["BP", "120", "/", "80", ",", "HR", "88", "."]
        );
        assert_eq!(
            texts("don't  O'Brien's 'quoted'"),
            ["don't", "O'Brien's", "'", "quoted", "'"]
        );
    }

    #[test]
    fn shapes() {
        let shapes: Vec<Shape> = tokenize("Smith SMITH smith McDonald 2021 A1c - J")
            .map(|t| t.shape)
            .collect();
        use Shape::*;
        assert_eq!(
            shapes,
            [
                Capitalized,
                AllCaps,
                Lower,
                MixedCase,
                Digits,
                Alphanumeric,
                Punct,
                Capitalized
            ]
        );
    }

    #[test]
    fn ascii_shapes_agree_with_the_general_rule() {
        for w in [
            "Smith", "SMITH", "smith", "McDonald", "O'Brien", "O'BRIEN", "2021", "A1c", "J", "x",
            "don't", "iPhone",
        ] {
            let tokens: Vec<Token<'_>> = tokenize(w).collect();
            assert_eq!(tokens.len(), 1, "{w}");
            assert_eq!(tokens[0].shape, shape_of(w), "{w}");
        }
    }

    #[test]
    fn lines_are_counted() {
        let lines: Vec<u32> = tokenize("a\nb\r\n\nc").map(|t| t.line).collect();
        assert_eq!(lines, [0, 1, 3]);
    }

    #[test]
    fn non_ascii_words_are_segmented() {
        assert_eq!(
            texts("José Müller-Lüdenscheidt 東京"),
            ["José", "Müller", "-", "Lüdenscheidt", "東", "京"]
        );
        for t in tokenize("naïve café, 😀 ok") {
            assert!(!t.text.is_empty());
        }
    }

    /// `tokenize_into`'s tokens and shapes, checked against the byte scanner behind `tokenize`.
    fn agrees_with_the_byte_scanner(text: &str) -> Result<(), String> {
        let mut tokens = Vec::new();
        let mut shapes = Vec::new();
        tokenize_into(text, &mut tokens, |shape| shapes.push(shape));
        let expected: Vec<Token<'_>> = tokenize(text).collect();
        let got: Vec<Shape> = tokens.iter().map(|t| t.shape).collect();
        if shapes != got {
            return Err(format!("shapes passed to `each` differ in {text:?}"));
        }
        match tokens.iter().zip(&expected).position(|(a, b)| a != b) {
            Some(i) => Err(format!(
                "token {i} of {text:?}: {:?} {:?} against {:?} {:?}",
                tokens[i].text, tokens[i], expected[i].text, expected[i]
            )),
            None if tokens.len() != expected.len() => Err(format!(
                "{} tokens against {} in {text:?}",
                tokens.len(),
                expected.len()
            )),
            None => Ok(()),
        }
    }

    /// The hard cases of the block scanner, at every offset around the ends of the first two
    /// 64-byte blocks (a block takes tokens that end by its byte 62).
    #[test]
    fn blocks_agree_with_the_byte_scanner_at_block_ends() {
        let long = "Abcdefghij".repeat(13);
        let snippets = [
            "O'Brien's",
            "don't",
            "ab''cd",
            "x'",
            "'y",
            "é'a",
            "a'é",
            "Zoë's",
            "\r\n\n\n",
            "a\x00b\x0Bc",
            "ID 4a'B ",
            long.as_str(),
            &long[..62],
            &long[..63],
            &long[..64],
        ];
        for snippet in snippets {
            for at in 0..140 {
                for filler in ["a", " ", "\n", "."] {
                    let text = format!("{}{snippet} tail", filler.repeat(at));
                    if let Err(e) = agrees_with_the_byte_scanner(&text) {
                        panic!("{e}");
                    }
                    let text = format!("{}{snippet}", "ab ".repeat(at / 3));
                    if let Err(e) = agrees_with_the_byte_scanner(&text) {
                        panic!("{e}");
                    }
                }
            }
        }
    }

    proptest::proptest! {
        /// Random text of the bytes that matter to the tokenizer, long and short words alike.
        #[test]
        fn blocks_agree_with_the_byte_scanner(
            text in "([a-zA-Z0-9' \n\r\t.,/-]|é|ß|東|\x00|[a-z]{50,80}){0,200}",
        ) {
            if let Err(e) = agrees_with_the_byte_scanner(&text) {
                proptest::prop_assert!(false, "{}", e);
            }
        }
    }

    #[test]
    fn spans_slice_the_input() {
        let s = "Pt José  seen\n3/4 ok";
        for t in tokenize(s) {
            assert_eq!(&s[t.span.range()], t.text);
        }
    }
}
