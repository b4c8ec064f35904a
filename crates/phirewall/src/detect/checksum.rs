//! Check-digit algorithms that separate real identifiers from numbers of the same shape.
//!
//! Each function takes the identifier as written and ignores spaces and dashes, so callers can
//! pass a match straight from the text.

/// The ASCII digits of `s` as values, skipping separators. `None` if any other character appears.
fn digits(s: &str) -> Option<Vec<u32>> {
    s.bytes()
        .filter(|b| !matches!(b, b' ' | b'-' | b'.'))
        .map(|b| {
            if b.is_ascii_digit() {
                Some(u32::from(b - b'0'))
            } else {
                None
            }
        })
        .collect()
}

/// Luhn mod-10 over digit values, rightmost digit being the check digit.
fn luhn_digits(ds: &[u32]) -> bool {
    let sum: u32 = ds
        .iter()
        .rev()
        .enumerate()
        .map(|(i, &d)| {
            if i % 2 == 1 {
                if d * 2 > 9 {
                    d * 2 - 9
                } else {
                    d * 2
                }
            } else {
                d
            }
        })
        .sum();
    !ds.is_empty() && sum % 10 == 0
}

/// Luhn check (payment cards, and NPIs with their prefix).
pub(crate) fn luhn(s: &str) -> bool {
    digits(s).is_some_and(|ds| ds.len() >= 2 && luhn_digits(&ds))
}

/// A National Provider Identifier: 10 digits, Luhn-valid once prefixed with the card issuer
/// prefix `80840` (as the NPI standard specifies).
pub(crate) fn npi(s: &str) -> bool {
    let Some(ds) = digits(s) else { return false };
    if ds.len() != 10 || !matches!(ds[0], 1 | 2) {
        return false;
    }
    let mut full = vec![8, 0, 8, 4, 0];
    full.extend_from_slice(&ds);
    luhn_digits(&full)
}

/// A DEA registration number: two letters and seven digits, where the last digit equals the last
/// digit of `(d1 + d3 + d5) + 2 * (d2 + d4 + d6)`.
pub(crate) fn dea(s: &str) -> bool {
    let b = s.as_bytes();
    if b.len() != 9 || !b[0].is_ascii_alphabetic() || !(b[1].is_ascii_alphabetic() || b[1] == b'9')
    {
        return false;
    }
    let Some(d) = digits(&s[2..]) else {
        return false;
    };
    if d.len() != 7 {
        return false;
    }
    let sum = d[0] + d[2] + d[4] + 2 * (d[1] + d[3] + d[5]);
    sum % 10 == d[6]
}

/// A 17-character vehicle identification number with a valid check digit in position 9.
///
/// North American VINs always carry the check digit; many others do too, and a VIN whose check
/// digit fails is far more likely another code of the same length.
pub(crate) fn vin(s: &str) -> bool {
    const WEIGHTS: [u32; 17] = [8, 7, 6, 5, 4, 3, 2, 10, 0, 9, 8, 7, 6, 5, 4, 3, 2];
    let b = s.as_bytes();
    if b.len() != 17 {
        return false;
    }
    let mut sum = 0;
    for (i, &c) in b.iter().enumerate() {
        let v = match c.to_ascii_uppercase() {
            c @ b'0'..=b'9' => u32::from(c - b'0'),
            b'A' | b'J' => 1,
            b'B' | b'K' | b'S' => 2,
            b'C' | b'L' | b'T' => 3,
            b'D' | b'M' | b'U' => 4,
            b'E' | b'N' | b'V' => 5,
            b'F' | b'W' => 6,
            b'G' | b'P' | b'X' => 7,
            b'H' | b'Y' => 8,
            b'R' | b'Z' => 9,
            _ => return false, // I, O, Q and anything else never appear in a VIN
        };
        sum += v * WEIGHTS[i];
    }
    let check = match sum % 11 {
        10 => b'X',
        r => b'0' + r as u8,
    };
    b[8].to_ascii_uppercase() == check
}

/// Expected IBAN length per country (ISO 13616 registry), for the countries most likely to appear.
fn iban_length(country: &[u8]) -> Option<usize> {
    Some(match country {
        b"AD" => 24,
        b"AT" => 20,
        b"BE" => 16,
        b"BG" => 22,
        b"BR" => 29,
        b"CH" => 21,
        b"CY" => 28,
        b"CZ" => 24,
        b"DE" => 22,
        b"DK" => 18,
        b"EE" => 20,
        b"ES" => 24,
        b"FI" => 18,
        b"FR" => 27,
        b"GB" => 22,
        b"GR" => 27,
        b"HR" => 21,
        b"HU" => 28,
        b"IE" => 22,
        b"IL" => 23,
        b"IS" => 26,
        b"IT" => 27,
        b"LI" => 21,
        b"LT" => 20,
        b"LU" => 20,
        b"LV" => 21,
        b"MC" => 27,
        b"MT" => 31,
        b"NL" => 18,
        b"NO" => 15,
        b"PL" => 28,
        b"PT" => 25,
        b"RO" => 24,
        b"SA" => 24,
        b"SE" => 24,
        b"SI" => 19,
        b"SK" => 24,
        b"SM" => 27,
        b"TR" => 26,
        b"AE" => 23,
        b"QA" => 29,
        b"KW" => 30,
        _ => return None,
    })
}

/// An IBAN: known country, the right length for it, and the ISO 7064 mod-97 check equal to 1.
pub(crate) fn iban(s: &str) -> bool {
    let compact: Vec<u8> = s
        .bytes()
        .filter(|b| *b != b' ')
        .map(|b| b.to_ascii_uppercase())
        .collect();
    if compact.len() < 15 || iban_length(&compact[..2]) != Some(compact.len()) {
        return false;
    }
    let mut rem: u32 = 0;
    for &c in compact[4..].iter().chain(&compact[..4]) {
        let v = match c {
            b'0'..=b'9' => u32::from(c - b'0'),
            b'A'..=b'Z' => u32::from(c - b'A') + 10,
            _ => return false,
        };
        rem = if v >= 10 {
            (rem * 100 + v) % 97
        } else {
            (rem * 10 + v) % 97
        };
    }
    rem == 1
}

/// An ABA routing transit number: 9 digits with `3*(d1+d4+d7) + 7*(d2+d5+d8) + (d3+d6+d9) ≡ 0 (mod 10)`.
pub(crate) fn aba(s: &str) -> bool {
    let Some(d) = digits(s) else { return false };
    if d.len() != 9 || d.iter().all(|&x| x == 0) {
        return false;
    }
    let sum = 3 * (d[0] + d[3] + d[6]) + 7 * (d[1] + d[4] + d[7]) + (d[2] + d[5] + d[8]);
    sum % 10 == 0
}

/// A Medicare Beneficiary Identifier (MBI): 11 characters `C A AN N A AN N A A N N`, where `C` is
/// 1-9, `N` a digit, `A` a letter other than S, L, O, I, B, Z, and `AN` either. Dashes are allowed
/// between the 4th/5th and 7th/8th characters as printed on cards.
pub(crate) fn mbi(s: &str) -> bool {
    let b: Vec<u8> = s
        .bytes()
        .filter(|&c| c != b'-')
        .map(|c| c.to_ascii_uppercase())
        .collect();
    if b.len() != 11 {
        return false;
    }
    let letter =
        |c: u8| c.is_ascii_uppercase() && !matches!(c, b'S' | b'L' | b'O' | b'I' | b'B' | b'Z');
    let digit = |c: u8| c.is_ascii_digit();
    let either = |c: u8| letter(c) || digit(c);
    matches!(b[0], b'1'..=b'9')
        && letter(b[1])
        && either(b[2])
        && digit(b[3])
        && letter(b[4])
        && either(b[5])
        && digit(b[6])
        && letter(b[7])
        && letter(b[8])
        && digit(b[9])
        && digit(b[10])
}

/// A GS1 GTIN (8, 12, 13 or 14 digits) with a valid mod-10 check digit (weights 3,1 from the right).
pub(crate) fn gtin(s: &str) -> bool {
    let Some(d) = digits(s) else { return false };
    if !matches!(d.len(), 8 | 12 | 13 | 14) {
        return false;
    }
    let (body, check) = d.split_at(d.len() - 1);
    let sum: u32 = body
        .iter()
        .rev()
        .enumerate()
        .map(|(i, &x)| if i % 2 == 0 { 3 * x } else { x })
        .sum();
    (10 - sum % 10) % 10 == check[0]
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn luhn_cards() {
        assert!(luhn("4111 1111 1111 1111"));
        assert!(luhn("5500-0000-0000-0004"));
        assert!(luhn("378282246310005"));
        assert!(!luhn("4111 1111 1111 1112"));
        assert!(!luhn("41x1"));
    }

    #[test]
    fn npi_numbers() {
        assert!(npi("1234567893")); // the example from the NPI standard
        assert!(!npi("1234567890"));
        assert!(!npi("3234567893"));
    }

    #[test]
    fn dea_numbers() {
        assert!(dea("AB1234563"));
        assert!(!dea("AB1234564"));
        assert!(dea("F91234563"));
    }

    #[test]
    fn vins() {
        assert!(vin("1M8GDM9AXKP042788"));
        assert!(vin("11111111111111111"));
        assert!(!vin("1M8GDM9A1KP042788"));
        assert!(!vin("1M8GDM9AXKP04278O"));
    }

    #[test]
    fn ibans() {
        assert!(iban("GB82 WEST 1234 5698 7654 32"));
        assert!(iban("DE89370400440532013000"));
        assert!(!iban("GB82 WEST 1234 5698 7654 33"));
        assert!(!iban("XX82WEST12345698765432"));
    }

    #[test]
    fn aba_numbers() {
        assert!(aba("011000015"));
        assert!(aba("021000021"));
        assert!(!aba("021000022"));
        assert!(!aba("000000000"));
    }

    #[test]
    fn mbis() {
        assert!(mbi("1EG4-TE5-MK73"));
        assert!(mbi("1EG4TE5MK73"));
        assert!(!mbi("0EG4TE5MK73"));
        assert!(!mbi("1SG4TE5MK73"));
    }

    #[test]
    fn gtins() {
        assert!(gtin("4006381333931"));
        assert!(!gtin("4006381333932"));
        assert!(gtin("036000291452"));
    }
}
