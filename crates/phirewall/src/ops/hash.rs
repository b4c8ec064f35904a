//! The keyed hash operator: `KIND_` and a truncated HMAC-SHA256 of the normalized value.

use super::Keys;
use crate::Kind;

/// `SSN_3f9a01c2b4d7`. The value is normalized first (see [`normalize`]) so that `617-555-0199`
/// and `(617) 555-0199` hash alike, and `Smith` and `SMITH` too. The kind prefix keeps hashes of
/// different kinds apart for a reader, and the kind is also an HMAC input, so equal strings of two
/// kinds (an MRN and an account number) do not link.
pub(crate) fn hash(keys: Keys<'_>, kind: Kind, value: &str, len: usize) -> String {
    let norm = normalize(kind, value);
    let mac = keys.mac(&[b"hash", kind.as_str().as_bytes(), norm.as_bytes()]);
    let mut out = String::with_capacity(kind.as_str().len() + 1 + len);
    out.push_str(kind.as_str());
    out.push('_');
    for b in mac {
        for nibble in [b >> 4, b & 0xf] {
            if out.len() < kind.as_str().len() + 1 + len {
                out.push(char::from_digit(u32::from(nibble), 16).unwrap_or('0'));
            }
        }
    }
    out
}

/// The form of a value that keyed operators work on: lowercase letters and digits only, with
/// single spaces between the words of names and places. Punctuation and spacing are
/// presentation, not identity.
pub(crate) fn normalize(kind: Kind, value: &str) -> String {
    let mut out = String::with_capacity(value.len());
    let words = kind.is_word_level();
    for c in value.chars() {
        if c.is_alphanumeric() {
            out.extend(c.to_lowercase());
        } else if words && c.is_whitespace() && !out.is_empty() && !out.ends_with(' ') {
            out.push(' ');
        }
    }
    if out.ends_with(' ') {
        out.pop();
    }
    out
}
