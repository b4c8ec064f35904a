//! Date shifting: every date of one patient moves by the same number of days, chosen by
//! HMAC(secret, patient key), and is written back in the format it had.
//!
//! A date is read as tokens (numbers, month names, separators), each token gets a role (day,
//! month, year) from the detector that found the date, and after the shift every token is
//! rewritten in its own style: zero padding, two- or four-digit year, month name full or
//! abbreviated and in the original case, ordinal suffix. Separators are copied. Partial dates
//! shift too: without a year the computation uses a leap reference year (so February 29 exists)
//! and no year is written; without a day it uses the 15th, the middle of the month.
//!
//! Dates that carry no day arithmetic of their own (holidays, "the 4th" alone) are not parsed;
//! the caller writes a tag for them.

use super::{push_case, Keys};
use crate::policy::ShiftRange;

/// The patient's offset in days, within the range and never 0.
pub(crate) fn offset(keys: Keys<'_>, patient_key: &str, range: ShiftRange) -> i64 {
    let (min, max) = (i64::from(range.min_days), i64::from(range.max_days));
    // Draw among the range's values other than 0 (Policy::validate guarantees there is one),
    // then step over 0: with -2..=2 the draws 0,1,2,3 give -2,-1,1,2.
    let count = (max - min + 1) - i64::from((min..=max).contains(&0));
    let mut stream = keys.stream(&[b"date_shift", patient_key.as_bytes()]);
    let mut d = min + stream.below(count.max(1) as u64) as i64;
    if min <= 0 && d >= 0 {
        d += 1;
    }
    d
}

/// Whether a date detector reports a year alone: two-digit years of a medical history, written
/// with an apostrophe ("CABG '03") or next to the event they date ("09 PTCA").
pub(crate) fn is_year_alone(detector: &str) -> bool {
    matches!(detector, "date.apostrophe_year" | "date.history_year")
}

/// [`shift_into`] into a new string: `value` moved by `days`, or `None`.
#[cfg(test)]
pub(crate) fn shift(value: &str, detector: &str, days: i64) -> Option<String> {
    let mut out = String::new();
    shift_into(&mut out, value, detector, days).then_some(out)
}

/// Appends `value` moved by `days`, in its own format, to `out` (a note's output text: no
/// string per date); `false`, and `out` as it was, if it is not a date this module reads.
///
/// A year written alone (see [`is_year_alone`]: the "03" of "CABG '03", reported because
/// history lists use it as a date) stays as it is: a shift of days says nothing about which
/// year it would move to, and a year alone is not a Safe Harbor identifier.
pub(crate) fn shift_into(out: &mut String, value: &str, detector: &str, days: i64) -> bool {
    let start = out.len();
    let written = write_shifted(out, value, detector, days).is_some();
    if !written {
        out.truncate(start);
    }
    written
}

/// The body of [`shift_into`]: on `None` it may have written part of the date.
fn write_shifted(out: &mut String, value: &str, detector: &str, days: i64) -> Option<()> {
    if is_year_alone(detector) {
        out.push_str(value);
        return Some(());
    }
    let parsed = Parsed::new(value, detector)?;
    let first = parsed.date(0)?;
    let moved = [Some(first.add(days)), parsed.date(1).map(|d| d.add(days))];
    out.reserve(value.len() + 4);
    for t in &parsed.tokens {
        let Some(date) = moved.get(t.group).copied().flatten().or(moved[0]) else {
            continue;
        };
        let text = value.get(t.start..t.end)?;
        match t.role {
            Role::Sep => out.push_str(text),
            Role::Day => {
                push_num(out, date.day, t.width, parsed.padded);
                if t.suffix {
                    push_case(out, text, ordinal(date.day));
                }
            }
            Role::Month => push_num(out, date.month, t.width, parsed.padded),
            Role::Year if t.width == 4 => {
                push_num(out, date.year.rem_euclid(10_000) as u32, 4, true)
            }
            Role::Year => push_num(out, date.year.rem_euclid(100) as u32, 2, true),
            Role::MonthName => {
                let name = MONTHS.get(date.month as usize - 1).copied().unwrap_or("");
                let full = MONTHS
                    .iter()
                    .any(|m| m.len() == text.len() && m.eq_ignore_ascii_case(text));
                let word = if full {
                    name
                } else {
                    name.get(..3).unwrap_or(name)
                };
                push_case(out, text, word);
            }
        }
    }
    Some(())
}

/// The year of a date, as written (`2021`, or `'21` for a two-digit year), for generalization.
pub(crate) fn year(value: &str, detector: &str) -> Option<String> {
    let parsed = Parsed::new(value, detector)?;
    let t = parsed.tokens.iter().find(|t| t.role == Role::Year)?;
    let text = value.get(t.start..t.end)?;
    Some(if t.width == 2 {
        format!("'{text}")
    } else {
        text.to_string()
    })
}

/// Writes `n` into `out` directly (no string per number: a date has up to six of them), in at
/// least two digits when `padded` and `width` is 2, at least four when `width` is 4, else as
/// it is: what `{n:02}`, `{n:04}` and `{n}` write, without the formatting machinery, which
/// cost more than the rest of the shift.
fn push_num(out: &mut String, n: u32, width: usize, padded: bool) {
    let min_digits = if padded && width == 2 {
        2
    } else if width == 4 {
        4
    } else {
        1
    };
    // Least significant first; a u32 has at most ten digits.
    let mut digits = [b'0'; 10];
    let mut len = 0;
    let mut rest = n;
    for d in digits.iter_mut() {
        *d = b'0' + (rest % 10) as u8;
        len += 1;
        rest /= 10;
        if rest == 0 {
            break;
        }
    }
    for _ in len..min_digits {
        out.push('0');
    }
    for &d in digits.get(..len).unwrap_or_default().iter().rev() {
        out.push(char::from(d));
    }
}

fn ordinal(day: u32) -> &'static str {
    match (day % 10, day % 100) {
        (_, 11..=13) => "th",
        (1, _) => "st",
        (2, _) => "nd",
        (3, _) => "rd",
        _ => "th",
    }
}

const MONTHS: [&str; 12] = [
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
];

/// The month a word names: a full name or an abbreviation of three letters or more ("Sept").
fn month_of(word: &str) -> Option<u32> {
    if word.len() < 3 {
        return None;
    }
    let i = MONTHS.iter().position(|m| {
        m.len() >= word.len()
            && m.get(..word.len())
                .is_some_and(|p| p.eq_ignore_ascii_case(word))
    })?;
    Some(i as u32 + 1)
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Role {
    Sep,
    Day,
    Month,
    MonthName,
    Year,
}

#[derive(Clone, Copy, Debug)]
struct Token {
    start: usize,
    end: usize,
    role: Role,
    /// Which date of a range the token belongs to: 0, or 1 for the end of "6/30-7/2".
    group: usize,
    /// Digits in a number (without the ordinal suffix).
    width: usize,
    /// Whether an ordinal suffix ("th") follows the digits inside this token.
    suffix: bool,
    value: u32,
}

struct Parsed {
    tokens: Vec<Token>,
    /// Whether numbers were zero-padded ("03/04/2021"): then all day and month numbers are.
    padded: bool,
}

impl Parsed {
    fn new(value: &str, detector: &str) -> Option<Parsed> {
        let mut tokens = lex(value)?;
        // Where the numbers are (no rule below reads past the fourth) and how many there are:
        // in an array, as a date is parsed for every date of every note.
        let mut numbers = [usize::MAX; 4];
        let mut count = 0;
        for (i, _) in tokens
            .iter()
            .enumerate()
            .filter(|(_, t)| t.role == Role::Day)
        {
            if let Some(slot) = numbers.get_mut(count) {
                *slot = i;
            }
            count += 1;
        }
        let named = tokens.iter().any(|t| t.role == Role::MonthName);
        let num = |tokens: &[Token], k: usize| {
            numbers.get(k).and_then(|&i| tokens.get(i)).map(|t| t.value)
        };
        let set = |tokens: &mut Vec<Token>, k: usize, role: Role, group: usize| {
            if let Some(t) = numbers.get(k).and_then(|&i| tokens.get_mut(i)) {
                t.role = role;
                t.group = group;
            }
        };
        match detector {
            "date.iso" if count == 3 => {
                set(&mut tokens, 0, Role::Year, 0);
                set(&mut tokens, 1, Role::Month, 0);
            }
            "date.numeric" if count == 3 => {
                if num(&tokens, 0)? > 12 {
                    set(&mut tokens, 1, Role::Month, 0);
                } else {
                    set(&mut tokens, 0, Role::Month, 0);
                }
                set(&mut tokens, 2, Role::Year, 0);
            }
            "date.numeric_month_year" if count == 2 => {
                set(&mut tokens, 0, Role::Month, 0);
                set(&mut tokens, 1, Role::Year, 0);
            }
            "date.month_day_numeric" if count == 2 => {
                set(&mut tokens, 0, Role::Month, 0);
                if num(&tokens, 1)? > 31 {
                    set(&mut tokens, 1, Role::Year, 0);
                }
            }
            "date.month_day_numeric" if count == 4 => {
                set(&mut tokens, 0, Role::Month, 0);
                set(&mut tokens, 2, Role::Month, 1);
                set(&mut tokens, 3, Role::Day, 1);
            }
            "date.month_day" | "date.day_month" | "date.month_year" | "date.month_alone"
                if named =>
            {
                assign_named(&mut tokens, value, detector)?;
            }
            _ => return None,
        }
        if tokens.iter().any(|t| t.role == Role::MonthName) != named {
            return None;
        }
        // Zero padding is visible in "03/04" and implied when every number has two digits
        // ("12/30/2019"); a one-digit number ("3/14") shows there is none.
        let numbers = || {
            tokens
                .iter()
                .filter(|t| matches!(t.role, Role::Day | Role::Month))
        };
        let padded = numbers().any(|t| t.width == 2 && t.value < 10)
            || (numbers().count() > 1 && numbers().all(|t| t.width == 2));
        let parsed = Parsed { tokens, padded };
        // A date this cannot represent (a day the month does not have) is left to the caller.
        parsed.date(0)?;
        Some(parsed)
    }

    /// The date of group 0 or 1; group 1 takes what it lacks (month, year) from group 0.
    fn date(&self, group: usize) -> Option<Date> {
        let mut year = None;
        let mut month = None;
        let mut day = None;
        let mut any = false;
        for g in [group, 0] {
            for t in self.tokens.iter().filter(|t| t.group == g) {
                any |= g == group && t.role != Role::Sep;
                match t.role {
                    Role::Year if year.is_none() => {
                        year = Some(if t.width == 2 {
                            2000 + t.value as i64
                        } else {
                            t.value as i64
                        })
                    }
                    Role::Month | Role::MonthName if month.is_none() => month = Some(t.value),
                    Role::Day if day.is_none() => day = Some(t.value),
                    _ => {}
                }
            }
            if group == 0 {
                break;
            }
        }
        if !any {
            return None;
        }
        let (year, month, day) = (year.unwrap_or(2000), month?, day.unwrap_or(15));
        if !(1..=12).contains(&month) || day == 0 || day > days_in_month(year, month) {
            return None;
        }
        Some(Date { year, month, day })
    }
}

/// Splits a date into numbers (role `Day` until assigned), month names and separators. Words
/// other than month names and connectors ("of", "to", "through", "thru") make it unreadable.
fn lex(value: &str) -> Option<Vec<Token>> {
    let bytes = value.as_bytes();
    // Every token takes at least one byte, and dates have a dozen tokens at most but for rare
    // ranges: one allocation per date, and a small one.
    let mut tokens = Vec::with_capacity(bytes.len().min(16));
    let mut i = 0;
    while i < bytes.len() {
        let start = i;
        let b = bytes[i];
        if b.is_ascii_digit() {
            while i < bytes.len() && bytes[i].is_ascii_digit() {
                i += 1;
            }
            let width = i - start;
            let value_num: u32 = value.get(start..i)?.parse().ok()?;
            let suffix = value.get(i..i + 2).is_some_and(|s| {
                ["st", "nd", "rd", "th"]
                    .iter()
                    .any(|o| o.eq_ignore_ascii_case(s))
            });
            if suffix {
                i += 2;
            }
            tokens.push(Token {
                start,
                end: i,
                role: Role::Day,
                group: 0,
                width,
                suffix,
                value: value_num,
            });
        } else if b.is_ascii_alphabetic() {
            while i < bytes.len() && bytes[i].is_ascii_alphabetic() {
                i += 1;
            }
            let word = value.get(start..i)?;
            if let Some(m) = month_of(word) {
                tokens.push(Token {
                    start,
                    end: i,
                    role: Role::MonthName,
                    group: 0,
                    width: 0,
                    suffix: false,
                    value: m,
                });
            } else if ["of", "to", "through", "thru"]
                .iter()
                .any(|w| w.eq_ignore_ascii_case(word))
            {
                tokens.push(sep(start, i));
            } else {
                return None;
            }
        } else {
            // Any other character, ASCII or not, is a separator; step over a whole character.
            i += value.get(i..)?.chars().next()?.len_utf8();
            tokens.push(sep(start, i));
        }
    }
    Some(tokens)
}

fn sep(start: usize, end: usize) -> Token {
    Token {
        start,
        end,
        role: Role::Sep,
        group: 0,
        width: 0,
        suffix: false,
        value: 0,
    }
}

/// Roles for dates with a month name. Numbers before the month are days ("4th of March"); after
/// it, in order: an ordinal or a first number is the day, a number after a range connector is
/// the day ending the range ("March 4-6"), four digits or a number after an apostrophe is the
/// year, and a number after the day and a comma is a two-digit year ("Mar 4, 21").
fn assign_named(tokens: &mut [Token], value: &str, detector: &str) -> Option<()> {
    let month_at = tokens.iter().position(|t| t.role == Role::MonthName)?;
    let mut seen_day = false;
    // Where the separators since the last other token begin: tokens cover the value end to
    // end (see `lex`), so those separators are the text from there to this token.
    let mut sep_start = 0;
    for (i, tok) in tokens.iter_mut().enumerate() {
        let t = *tok;
        if t.role == Role::Sep {
            continue;
        }
        // What separates this token from the one before, as two facts (no lowercase copy).
        let connector = value.get(sep_start..t.start)?.trim();
        let after_apostrophe = connector.ends_with('\'');
        let after_range = ["-", "to", "through", "thru"]
            .iter()
            .any(|c| c.eq_ignore_ascii_case(connector));
        sep_start = t.end;
        if t.role == Role::MonthName {
            continue;
        }
        let year_like = t.width == 4 || after_apostrophe || detector == "date.month_year";
        let role = if t.suffix {
            Role::Day
        } else if year_like {
            Role::Year
        } else if i < month_at || !seen_day {
            Role::Day
        } else if detector == "date.month_day" && after_range {
            tok.group = 1;
            Role::Day
        } else {
            Role::Year
        };
        if role == Role::Day && tok.group == 0 {
            seen_day = true;
        }
        if role == Role::Year && t.width != 2 && t.width != 4 {
            return None;
        }
        tok.role = role;
    }
    Some(())
}

#[derive(Clone, Copy, Debug)]
struct Date {
    year: i64,
    month: u32,
    day: u32,
}

impl Date {
    fn add(self, days: i64) -> Date {
        civil(days_from_civil(self.year, self.month, self.day) + days)
    }
}

fn is_leap(y: i64) -> bool {
    (y % 4 == 0 && y % 100 != 0) || y % 400 == 0
}

fn days_in_month(y: i64, m: u32) -> u32 {
    match m {
        2 if is_leap(y) => 29,
        2 => 28,
        4 | 6 | 9 | 11 => 30,
        _ => 31,
    }
}

/// Days since 1970-01-01 (Howard Hinnant's `days_from_civil`).
fn days_from_civil(y: i64, m: u32, d: u32) -> i64 {
    let y = if m <= 2 { y - 1 } else { y };
    let era = y.div_euclid(400);
    let yoe = y - era * 400;
    let m = i64::from(m);
    let doy = (153 * (if m > 2 { m - 3 } else { m + 9 }) + 2) / 5 + i64::from(d) - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    era * 146_097 + doe - 719_468
}

/// The date `z` days after 1970-01-01 (Howard Hinnant's `civil_from_days`).
fn civil(z: i64) -> Date {
    let z = z + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let day = (doy - (153 * mp + 2) / 5 + 1) as u32;
    let month = if mp < 10 { mp + 3 } else { mp - 9 } as u32;
    let year = yoe + era * 400 + i64::from(month <= 2);
    Date { year, month, day }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn formats_are_kept() {
        let cases = [
            ("3/4/21", "date.numeric", 30, "4/3/21"),
            ("03/04/2021", "date.numeric", 30, "04/03/2021"),
            ("31/12/2021", "date.numeric", 1, "01/01/2022"),
            ("3/14/2021", "date.numeric", 1, "3/15/2021"),
            ("2021-03-04", "date.iso", -4, "2021-02-28"),
            ("March 4th", "date.month_day", 1, "March 5th"),
            ("Mar 4, 2021", "date.month_day", 28, "Apr 1, 2021"),
            ("MARCH 4", "date.month_day", 0, "MARCH 4"),
            ("Mar. 4", "date.month_day", 31, "Apr. 4"),
            ("March 4-6", "date.month_day", 2, "March 6-8"),
            ("Mar 4 '21", "date.month_day", 365, "Mar 4 '22"),
            ("04-Mar-2021", "date.day_month", 1, "05-Mar-2021"),
            ("4th of March", "date.day_month", -4, "29th of February"),
            ("March 2021", "date.month_year", 31, "April 2021"),
            ("Mar-21", "date.month_year", 31, "Apr-21"),
            ("03/2021", "date.numeric_month_year", 31, "04/2021"),
            ("3/4", "date.month_day_numeric", 1, "3/5"),
            ("6/30-7/2", "date.month_day_numeric", 2, "7/2-7/4"),
            ("2/28", "date.month_day_numeric", 1, "2/29"),
            ("in July", "date.month_alone", 31, ""),
        ];
        for (value, detector, days, want) in cases {
            let got = shift(value, detector, days);
            if want.is_empty() {
                assert_eq!(got, None, "{value}");
            } else {
                assert_eq!(got.as_deref(), Some(want), "{value} {days}");
            }
        }
        assert_eq!(
            shift("July", "date.month_alone", 31).as_deref(),
            Some("August")
        );
        assert_eq!(shift("Christmas", "date.holiday", 3), None);
        assert_eq!(shift("Feb 30", "date.month_day", 3), None);
    }

    #[test]
    fn civil_round_trips() {
        for z in -800_000..800_000 {
            let d = civil(z);
            assert_eq!(days_from_civil(d.year, d.month, d.day), z);
        }
    }
}
