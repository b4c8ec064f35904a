//! JSON Lines gold: one object per line, `{"id": ..., "text": "...", "spans": [{"start", "end",
//! "type"}]}`, with code point offsets (end exclusive). `id` (a string or a number) is optional
//! and defaults to the line number; other fields are ignored.

use std::path::Path;

use super::{CharOffsets, GoldDoc, GoldError, GoldSpan};

/// Reads the gold file at `path`.
pub fn read(path: &Path) -> Result<Vec<GoldDoc>, GoldError> {
    #[derive(serde::Deserialize)]
    struct Line {
        #[serde(default)]
        id: Option<serde_json::Value>,
        text: String,
        #[serde(default)]
        spans: Vec<Annotation>,
    }
    #[derive(serde::Deserialize)]
    struct Annotation {
        start: usize,
        end: usize,
        #[serde(rename = "type")]
        gold_type: String,
    }
    let raw = super::read(path)?;
    let mut out = Vec::new();
    for (n, line) in raw.lines().enumerate() {
        if line.trim().is_empty() {
            continue;
        }
        let err = |reason: &str| GoldError::format(path, n + 1, reason);
        // serde_json's own messages can quote the offending value, so only its category is
        // reported.
        let rec: Line = serde_json::from_str(line).map_err(|e| err(category(&e)))?;
        let id = match rec.id {
            None => (n + 1).to_string(),
            Some(serde_json::Value::String(s)) => s,
            Some(serde_json::Value::Number(x)) => x.to_string(),
            Some(_) => return Err(err("\"id\" must be a string or a number")),
        };
        let offsets = CharOffsets::new(&rec.text);
        let mut spans = Vec::new();
        for s in rec.spans {
            let span = offsets.span(s.start, s.end).map_err(err)?;
            spans.push(GoldSpan::new(span.start, span.end, s.gold_type));
        }
        out.push(GoldDoc {
            id,
            text: rec.text,
            spans,
        });
    }
    Ok(out)
}

fn category(e: &serde_json::Error) -> &'static str {
    match e.classify() {
        serde_json::error::Category::Io => "I/O error",
        serde_json::error::Category::Syntax => "malformed JSON",
        serde_json::error::Category::Data => {
            "missing or mistyped field (need \"text\", and \"spans\" of {start, end, type})"
        }
        serde_json::error::Category::Eof => "truncated JSON",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_code_point_offsets_and_ids() {
        let file = tempfile::NamedTempFile::new().expect("temp file");
        let lines = concat!(
            r#"{"id": 7, "text": "Zo\u00eb seen 3/4", "spans": [{"start": 0, "end": 3, "type": "PTName"}, {"start": 9, "end": 12, "type": "Date"}]}"#,
            "\n",
            r#"{"text": "no spans here"}"#,
            "\n",
        );
        std::fs::write(file.path(), lines).expect("write");
        let docs = read(file.path()).expect("parses");
        assert_eq!(docs.len(), 2);
        let d = &docs[0];
        assert_eq!(d.id, "7");
        let got: Vec<&str> = d.spans.iter().map(|s| &d.text[s.start..s.end]).collect();
        assert_eq!(got, ["Zo\u{eb}", "3/4"]);
        assert_eq!(docs[1].id, "2");
        assert!(docs[1].spans.is_empty());
    }

    #[test]
    fn errors_name_the_line() {
        let file = tempfile::NamedTempFile::new().expect("temp file");
        std::fs::write(
            file.path(),
            "{\"text\": \"Secret\", \"spans\": [{\"start\": 0, \"end\": 9, \"type\": \"Date\"}]}\n",
        )
        .expect("write");
        let err = read(file.path())
            .expect_err("span past the end")
            .to_string();
        assert!(
            err.ends_with(":1: offsets past the end of the text"),
            "{err}"
        );
        std::fs::write(file.path(), "\n{\"text\": \"Secret\", \"spans\": 3}\n").expect("write");
        let err = read(file.path()).expect_err("bad spans").to_string();
        assert!(err.contains(":2: missing or mistyped field"), "{err}");
        assert!(!err.contains("Secret"), "{err}");
    }
}
