//! Month and weekday names, written once for the detectors that must tell a date word from a
//! name ("June", "August", "Wednesday" are given names) or from a town ("seen in March").
//!
//! Lowercase; callers compare ignoring ASCII case.

/// The days of the week.
pub(crate) const WEEKDAYS: [&str; 7] = [
    "monday",
    "tuesday",
    "wednesday",
    "thursday",
    "friday",
    "saturday",
    "sunday",
];

/// The months, written out.
pub(crate) const MONTHS: [&str; 12] = [
    "january",
    "february",
    "march",
    "april",
    "may",
    "june",
    "july",
    "august",
    "september",
    "october",
    "november",
    "december",
];

/// The usual abbreviations of the months ("may" is written out above).
pub(crate) const MONTH_ABBREVIATIONS: [&str; 12] = [
    "jan", "feb", "mar", "apr", "jun", "jul", "aug", "sep", "sept", "oct", "nov", "dec",
];

/// The months written out and abbreviated, for word sets built at compile time.
pub(crate) const MONTH_WORDS: [&str; 24] = joined(&MONTHS, &MONTH_ABBREVIATIONS);

/// `a` followed by `b`, as an array of `N` words (`N` must be their total length): lists built
/// from other lists at compile time.
pub(crate) const fn joined<const N: usize>(
    a: &[&'static str],
    b: &[&'static str],
) -> [&'static str; N] {
    assert!(a.len() + b.len() == N, "joined lists have the wrong length");
    let mut out = [""; N];
    let mut i = 0;
    while i < a.len() {
        out[i] = a[i];
        i += 1;
    }
    while i < N {
        out[i] = b[i - a.len()];
        i += 1;
    }
    out
}

/// Whether `word` is a weekday or a month written out, in any case.
pub(crate) fn is_day_or_month(word: &str) -> bool {
    WEEKDAYS
        .iter()
        .chain(&MONTHS)
        .any(|w| w.eq_ignore_ascii_case(word))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names() {
        assert!(is_day_or_month("Wednesday") && is_day_or_month("JUNE"));
        assert!(!is_day_or_month("Jun") && !is_day_or_month("Jan"));
        assert_eq!(MONTH_WORDS[0], "january");
        assert_eq!(MONTH_WORDS[23], "dec");
    }
}
