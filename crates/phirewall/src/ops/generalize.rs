//! Safe Harbor generalization: keep only what 45 CFR 164.514(b)(2) allows.

use super::date_shift;
use crate::policy::Policy;
use crate::{Finding, Kind};

/// The generalized value, or `None` when nothing may be kept (a date without a year), in which
/// case the caller writes the tag.
///
/// - `DATE`: the year alone (`2021`; `'21` for a two-digit year, which is all the text says).
/// - `AGE`: `90+` (the detector only reports ages over 89).
/// - `ZIP`: the first three digits, or `000` when they are in `policy.restricted_zip3` (areas of
///   20,000 people or fewer).
pub(crate) fn generalize(f: &Finding, value: &str, policy: &Policy) -> Option<String> {
    match f.kind {
        // A year written alone ("CABG '03") is all Safe Harbor lets a date keep anyway.
        Kind::Date if date_shift::is_year_alone(f.detector) => Some(value.to_string()),
        Kind::Date => date_shift::year(value, f.detector).or_else(|| bare_year(value)),
        Kind::Age => Some("90+".to_string()),
        Kind::Zip => {
            let zip3: String = value.chars().filter(char::is_ascii_digit).take(3).collect();
            if zip3.len() != 3 {
                return None;
            }
            if policy.restricted_zip3.contains(&zip3) {
                Some("000".to_string())
            } else {
                Some(zip3)
            }
        }
        _ => None,
    }
}

/// A four-digit year anywhere in a date the date parser does not read ("Christmas 2019").
fn bare_year(value: &str) -> Option<String> {
    value
        .split(|c: char| !c.is_ascii_digit())
        .find(|w| {
            w.len() == 4
                && (w.starts_with("18")
                    || w.starts_with("19")
                    || w.starts_with("20")
                    || w.starts_with("21"))
        })
        .map(str::to_string)
}
