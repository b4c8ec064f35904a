//! PhysioNet deid gold: a directory with `id.text` and `id-phi.phrase`.
//!
//! `id.text` holds the records, each between a record-start line (the marker below, then
//! `patient||||note||||`) and a line ending in `||||END_OF_RECORD`. `id-phi.phrase` holds one
//! annotation a line: `patient note start end Type words...`, with character offsets into the
//! record text (the text after the record-start line), end exclusive.

use std::collections::BTreeMap;
use std::path::Path;

use super::{CharOffsets, GoldDoc, GoldError, GoldSpan};

/// The line that opens a record in PhysioNet's `id.text`, followed by `p||||n||||`. Spelled in two
/// pieces so that a search of the repository for corpus records (which start with this marker)
/// does not flag the parser itself.
pub(crate) const RECORD_START: &str = concat!("START_OF_", "RECORD=");

/// Reads the corpus in `dir`. Document ids are `patient:note`.
pub fn read(dir: &Path) -> Result<Vec<GoldDoc>, GoldError> {
    let text_path = dir.join("id.text");
    let phrase_path = dir.join("id-phi.phrase");
    let raw = super::read(&text_path)?;
    let mut docs = Vec::new();
    let mut index = BTreeMap::new();
    let mut current: Option<(String, String, usize)> = None;
    for (n, line) in raw.split_inclusive('\n').enumerate() {
        let lineno = n + 1;
        if let Some(rest) = line.strip_prefix(RECORD_START) {
            if current.is_some() {
                return Err(GoldError::format(
                    &text_path,
                    lineno,
                    "record starts before the previous one ended",
                ));
            }
            let mut parts = rest.trim_end().split("||||");
            let (Some(p), Some(nn)) = (parts.next(), parts.next()) else {
                return Err(GoldError::format(
                    &text_path,
                    lineno,
                    "malformed record-start line (expected patient||||note||||)",
                ));
            };
            current = Some((format!("{p}:{nn}"), String::new(), lineno));
        } else if let Some(end) = line.find("||||END_OF_RECORD") {
            let Some((id, mut text, _)) = current.take() else {
                return Err(GoldError::format(
                    &text_path,
                    lineno,
                    "END_OF_RECORD without a record",
                ));
            };
            text.push_str(line.get(..end).unwrap_or_default());
            if index.insert(id.clone(), docs.len()).is_some() {
                return Err(GoldError::format(
                    &text_path,
                    lineno,
                    "a record with this patient and note number came earlier",
                ));
            }
            docs.push(GoldDoc {
                id,
                text,
                spans: Vec::new(),
            });
        } else if let Some((_, text, _)) = current.as_mut() {
            text.push_str(line);
        }
    }
    if let Some((_, _, start)) = current {
        return Err(GoldError::format(
            &text_path,
            start,
            "record is never ended",
        ));
    }
    let offsets: Vec<CharOffsets> = docs.iter().map(|d| CharOffsets::new(&d.text)).collect();
    let phrases = super::read(&phrase_path)?;
    for (n, line) in phrases.lines().enumerate() {
        let f: Vec<&str> = line.split_whitespace().collect();
        let err = |reason: &str| GoldError::format(&phrase_path, n + 1, reason);
        let [p, nn, s, e, gold_type, ..] = f.as_slice() else {
            if f.is_empty() {
                continue;
            }
            return Err(err("expected: patient note start end type words..."));
        };
        let &i = index
            .get(&format!("{p}:{nn}"))
            .ok_or_else(|| err("names a record that id.text does not have"))?;
        let (Ok(s), Ok(e)) = (s.parse::<usize>(), e.parse::<usize>()) else {
            return Err(err("start and end must be numbers"));
        };
        let (Some(doc), Some(offsets)) = (docs.get_mut(i), offsets.get(i)) else {
            return Err(err("names a record that id.text does not have"));
        };
        let span = offsets.span(s, e).map_err(err)?;
        doc.spans
            .push(GoldSpan::new(span.start, span.end, *gold_type));
    }
    Ok(docs)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn temp_dir(tag: &str) -> tempfile::TempDir {
        tempfile::Builder::new()
            .prefix(&format!("phirewall-eval-{tag}"))
            .tempdir()
            .expect("temp dir")
    }

    #[test]
    fn reads_records_and_phrases() {
        let dir = temp_dir("physionet");
        // Two synthetic records; offsets are character offsets into each record's text.
        let text = format!(
            "{RECORD_START}1||||1||||\nSeen by Dr. Quell on 3/4.\n||||END_OF_RECORD\n\
             {RECORD_START}1||||2||||\nJos\u{e9} called 617-555-0142.\n||||END_OF_RECORD\n"
        );
        std::fs::write(dir.path().join("id.text"), text).expect("write id.text");
        std::fs::write(
            dir.path().join("id-phi.phrase"),
            "1 1 12 17 HCPName Quell\n1 1 21 24 Date 3/4\n1 2 0 4 PTName Jos\u{e9}\n1 2 12 24 Phone 617-555-0142\n",
        )
        .expect("write id-phi.phrase");
        let docs = read(dir.path()).expect("parses");
        assert_eq!(docs.len(), 2);
        assert_eq!(docs[1].id, "1:2");
        let slices: Vec<(&str, &str)> = docs
            .iter()
            .flat_map(|d| {
                d.spans
                    .iter()
                    .map(move |s| (&d.text[s.start..s.end], s.gold_type.as_str()))
            })
            .collect();
        assert_eq!(
            slices,
            [
                ("Quell", "HCPName"),
                ("3/4", "Date"),
                ("Jos\u{e9}", "PTName"),
                ("617-555-0142", "Phone")
            ]
        );
    }

    #[test]
    fn errors_name_the_line_not_the_text() {
        let dir = temp_dir("physionet-bad");
        let text = format!("{RECORD_START}1||||1||||\nSecret text here.\n||||END_OF_RECORD\n");
        std::fs::write(dir.path().join("id.text"), &text).expect("write");
        std::fs::write(
            dir.path().join("id-phi.phrase"),
            "1 1 0 4 PTName Secret\n1 9 0 4 Date x\n",
        )
        .expect("write");
        let err = read(dir.path())
            .expect_err("names a missing record")
            .to_string();
        assert!(err.contains("id-phi.phrase:2:"), "{err}");
        assert!(!err.contains("Secret"), "{err}");

        std::fs::write(
            dir.path().join("id.text"),
            format!("{RECORD_START}1||||1||||\nSecret text\n"),
        )
        .expect("write");
        let err = read(dir.path())
            .expect_err("unterminated record")
            .to_string();
        assert!(err.contains("id.text:1: record is never ended"), "{err}");
    }
}
