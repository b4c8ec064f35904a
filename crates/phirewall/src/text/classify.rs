//! The byte classes of 64 bytes at once, as one bit a byte: what the tokenizer's block loop
//! reads instead of looking at bytes one by one.
//!
//! A byte-at-a-time scanner takes a branch at every word's end, and which way it goes has no
//! pattern the processor can learn: that cost more than the table lookups themselves. With the
//! classes of a whole block as bitmasks, token starts and ends fall out of shifts and bit scans,
//! and the token loop has one branch per token that is nearly always taken.
//!
//! SSE2 is part of every x86_64 processor, so this needs no run-time detection. Other targets
//! keep the byte scanner (see `tokenize_into`).

use safe_arch::{
    bitor_m128i, cmp_eq_mask_i8_m128i, load_unaligned_m128i, m128i, min_u8_m128i,
    move_mask_i8_m128i, set_splat_i8_m128i, sub_i8_m128i,
};

/// Bit `i` of each mask tells whether byte `i` of the block is of that class.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub(crate) struct Masks {
    /// `A`-`Z`.
    pub(crate) upper: u64,
    /// `a`-`z`.
    pub(crate) lower: u64,
    /// `0`-`9`.
    pub(crate) digit: u64,
    /// A byte of a non-ASCII character (0x80 and above).
    pub(crate) high: u64,
    /// `'`.
    pub(crate) apostrophe: u64,
    /// `\n`.
    pub(crate) newline: u64,
    /// Whitespace that is no newline: space, tab, `\r`, vertical tab, form feed.
    pub(crate) space: u64,
}

/// The classes of the 64 bytes of `block`.
#[inline(always)]
pub(crate) fn classify(block: &[u8; 64]) -> Masks {
    let mut m = Masks::default();
    for (k, chunk) in block.chunks_exact(16).enumerate() {
        let Ok(chunk) = <&[u8; 16]>::try_from(chunk) else {
            continue;
        };
        let x = load_unaligned_m128i(chunk);
        let shift = 16 * k;
        let newline = cmp_eq_mask_i8_m128i(x, set_splat_i8_m128i(b'\n' as i8));
        // Tab, newline, vertical tab, form feed and carriage return are 9 to 13.
        let space = bitor_m128i(
            cmp_eq_mask_i8_m128i(x, set_splat_i8_m128i(b' ' as i8)),
            within(x, b'\t', b'\r'),
        );
        m.upper |= bits(within(x, b'A', b'Z')) << shift;
        m.lower |= bits(within(x, b'a', b'z')) << shift;
        m.digit |= bits(within(x, b'0', b'9')) << shift;
        // The top bit of every byte is what `move_mask` collects.
        m.high |= bits(x) << shift;
        m.apostrophe |= bits(cmp_eq_mask_i8_m128i(x, set_splat_i8_m128i(b'\'' as i8))) << shift;
        m.newline |= bits(newline) << shift;
        m.space |= bits(space) << shift;
    }
    m.space &= !m.newline;
    m
}

/// All ones in the bytes of `x` that lie in `lo..=hi`: `x - lo <= hi - lo`, unsigned, which
/// SSE2 answers as `min(x - lo, hi - lo) == x - lo`.
#[inline(always)]
fn within(x: m128i, lo: u8, hi: u8) -> m128i {
    let offset = sub_i8_m128i(x, set_splat_i8_m128i(lo as i8));
    let width = set_splat_i8_m128i(hi.wrapping_sub(lo) as i8);
    cmp_eq_mask_i8_m128i(min_u8_m128i(offset, width), offset)
}

/// The top bit of each of the 16 bytes of `x`, as bits 0-15.
#[inline(always)]
fn bits(x: m128i) -> u64 {
    u64::from(move_mask_i8_m128i(x) as u16)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Every byte value in every position lands in exactly the classes its value says.
    #[test]
    fn every_byte_in_every_position() {
        for value in 0..=255u8 {
            for at in 0..64 {
                let mut block = [b'.'; 64];
                block[at] = value;
                let m = classify(&block);
                let bit = 1u64 << at;
                let is = |mask: u64| mask & bit != 0;
                assert_eq!(is(m.upper), value.is_ascii_uppercase(), "{value} at {at}");
                assert_eq!(is(m.lower), value.is_ascii_lowercase(), "{value} at {at}");
                assert_eq!(is(m.digit), value.is_ascii_digit(), "{value} at {at}");
                assert_eq!(is(m.high), value >= 0x80, "{value} at {at}");
                assert_eq!(is(m.apostrophe), value == b'\'', "{value} at {at}");
                assert_eq!(is(m.newline), value == b'\n', "{value} at {at}");
                let space = matches!(value, b' ' | b'\t' | b'\r' | 0x0B | 0x0C);
                assert_eq!(is(m.space), space, "{value} at {at}");
                // The other bytes are all dots, in no class at all.
                let all = m.upper | m.lower | m.digit | m.high | m.apostrophe | m.newline | m.space;
                assert_eq!(all & !bit, 0, "{value} at {at}");
            }
        }
    }
}
