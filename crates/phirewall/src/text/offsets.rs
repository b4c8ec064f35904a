//! Converting byte offsets into code point (Python, JSON) and UTF-16 (JavaScript) offsets.

/// Maps byte offsets of one text to code point and UTF-16 code unit offsets.
///
/// Findings carry byte offsets because that is what Rust slices with. Python strings index by code
/// point and JavaScript strings by UTF-16 code unit, so bindings and JSON output convert here, once.
/// Building the index is one pass over the text; for pure ASCII it stores nothing and every offset
/// maps to itself. Lookups are a binary search over the non-ASCII characters only.
///
/// ```
/// use phirewall::OffsetIndex;
///
/// let text = "naïve 😀 x";
/// let index = OffsetIndex::new(text);
/// let x = text.find('x').unwrap();
/// assert_eq!(index.char_offset(x), 8);
/// assert_eq!(index.utf16_offset(x), 9);
/// ```
#[derive(Clone, Debug, Default)]
pub struct OffsetIndex {
    /// For each non-ASCII character: (byte offset just after it, code points up to there,
    /// UTF-16 units up to there). Sorted by byte offset.
    points: Vec<(usize, usize, usize)>,
}

impl OffsetIndex {
    /// Indexes `text`.
    pub fn new(text: &str) -> OffsetIndex {
        let mut points = Vec::new();
        if !text.is_ascii() {
            let (mut chars, mut units) = (0usize, 0usize);
            for (i, c) in text.char_indices() {
                chars += 1;
                units += c.len_utf16();
                if !c.is_ascii() {
                    points.push((i + c.len_utf8(), chars, units));
                }
            }
        }
        OffsetIndex { points }
    }

    fn point_before(&self, byte: usize) -> (usize, usize, usize) {
        let i = self.points.partition_point(|p| p.0 <= byte);
        if i == 0 {
            (0, 0, 0)
        } else {
            self.points[i - 1]
        }
    }

    /// The code point offset of a byte offset that falls on a character boundary.
    pub fn char_offset(&self, byte: usize) -> usize {
        let (b, c, _) = self.point_before(byte);
        c + (byte - b)
    }

    /// The UTF-16 code unit offset of a byte offset that falls on a character boundary.
    pub fn utf16_offset(&self, byte: usize) -> usize {
        let (b, _, u) = self.point_before(byte);
        u + (byte - b)
    }
}

#[cfg(test)]
mod tests {
    use super::OffsetIndex;

    #[test]
    fn matches_naive_counts() {
        let text = "a\u{e9}b\u{1F600}c\u{3000}d\u{200B}e";
        let index = OffsetIndex::new(text);
        for (i, _) in text.char_indices().chain([(text.len(), ' ')]) {
            assert_eq!(index.char_offset(i), text[..i].chars().count());
            assert_eq!(index.utf16_offset(i), text[..i].encode_utf16().count());
        }
    }

    #[test]
    fn ascii_is_identity() {
        let index = OffsetIndex::new("plain ascii");
        assert_eq!(index.char_offset(5), 5);
        assert_eq!(index.utf16_offset(11), 11);
    }
}
