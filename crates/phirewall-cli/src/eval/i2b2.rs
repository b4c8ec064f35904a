//! i2b2 2014 de-identification XML: one document a file.
//!
//! ```xml
//! <?xml version="1.0" encoding="UTF-8" ?>
//! <deIdi2b2>
//! <TEXT><![CDATA[Record text ...]]></TEXT>
//! <TAGS>
//! <NAME id="P0" start="10" end="15" text="Kowal" TYPE="PATIENT" comment="" />
//! <DATE id="P1" start="20" end="28" text="3/4/2069" TYPE="DATE" comment="" />
//! </TAGS>
//! </deIdi2b2>
//! ```
//!
//! `start`/`end` are character offsets into the TEXT content (end exclusive). The document text is
//! the content of the CDATA sections inside TEXT; a TEXT without CDATA is read as ordinary XML
//! text, entities resolved. Line ends are normalized first (`\r\n` and a lone `\r` become `\n`),
//! as XML requires of every parser: the offsets were computed by such a parser, so a copy of the
//! corpus whose line ends were converted to CRLF still lines up. Each element inside TAGS is one annotation; its TYPE
//! is the gold type (the element name, NAME or DATE, is the coarser category and is not used).
//! When a tag has a `text` attribute it must agree with the TEXT at its offsets (whitespace
//! aside): otherwise the offsets are wrong and the file is rejected.
//!
//! Errors name the file, the line and what is wrong, never text or tag names from the file
//! (a malformed file can have record text where a tag name should be).

use std::path::Path;

use quick_xml::events::{BytesStart, Event};
use quick_xml::Reader;

use super::{CharOffsets, GoldDoc, GoldError, GoldSpan};

/// Reads one `.xml` file, or every `.xml` file in a directory (sorted by name). Document ids are
/// the file stems.
pub fn read(path: &Path) -> Result<Vec<GoldDoc>, GoldError> {
    if path.is_dir() {
        let files = super::files_with_extension(path, "xml")?;
        if files.is_empty() {
            return Err(GoldError::file(path, "no .xml files in this directory"));
        }
        files.iter().map(|f| read_file(f)).collect()
    } else {
        Ok(vec![read_file(path)?])
    }
}

/// One annotation as found in TAGS, before its offsets are checked against the text.
struct RawTag {
    /// Byte position in the file, for error messages.
    at: usize,
    start: usize,
    end: usize,
    gold_type: String,
    text: Option<String>,
}

/// Where the reader is in the document.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Place {
    Outside,
    /// Inside TEXT.
    Text,
    /// Inside TAGS, `depth` elements deep below it.
    Tags {
        depth: usize,
    },
}

/// Reads one i2b2 XML file.
pub fn read_file(path: &Path) -> Result<GoldDoc, GoldError> {
    let raw = normalize_line_ends(super::read(path)?);
    parse(&raw, &super::stem(path)).map_err(|(at, reason)| {
        let line = 1 + raw
            .as_bytes()
            .get(..at)
            .unwrap_or_default()
            .iter()
            .filter(|&&b| b == b'\n')
            .count();
        GoldError::format(path, line, reason)
    })
}

/// XML end-of-line handling (XML 1.0, section 2.11): `\r\n` and a lone `\r` become `\n`.
fn normalize_line_ends(raw: String) -> String {
    if raw.contains('\r') {
        raw.replace("\r\n", "\n").replace('\r', "\n")
    } else {
        raw
    }
}

/// Parses the XML `raw` (line ends already normalized) into a document with id `id`. An error is a byte position and a reason.
fn parse(raw: &str, id: &str) -> Result<GoldDoc, (usize, &'static str)> {
    let mut reader = Reader::from_str(raw);
    let mut place = Place::Outside;
    let mut cdata = String::new();
    let mut plain = String::new();
    let mut text_seen = 0usize;
    let mut tags_seen = false;
    let mut tags = Vec::new();
    loop {
        let before = pos(reader.buffer_position());
        let event = reader
            .read_event()
            .map_err(|e| (pos(reader.error_position()), describe(&e)))?;
        match (place, event) {
            (_, Event::Eof) => break,
            (Place::Outside, Event::Start(e)) if e.name().as_ref() == b"TEXT" => {
                text_seen += 1;
                if text_seen > 1 {
                    return Err((before, "more than one TEXT element"));
                }
                place = Place::Text;
            }
            (Place::Outside, Event::Empty(e)) if e.name().as_ref() == b"TEXT" => {
                text_seen += 1;
                if text_seen > 1 {
                    return Err((before, "more than one TEXT element"));
                }
            }
            (Place::Outside, Event::Start(e)) if e.name().as_ref() == b"TAGS" => {
                tags_seen = true;
                place = Place::Tags { depth: 0 };
            }
            (Place::Outside, Event::Empty(e)) if e.name().as_ref() == b"TAGS" => tags_seen = true,
            (Place::Text, Event::End(_)) => place = Place::Outside,
            (Place::Text, Event::CData(c)) => {
                let s = std::str::from_utf8(&c).map_err(|_| (before, "invalid UTF-8"))?;
                cdata.push_str(s);
            }
            (Place::Text, Event::Text(t)) => {
                let s = t.decode().map_err(|_| (before, "invalid UTF-8"))?;
                plain.push_str(&s);
            }
            (Place::Text, Event::GeneralRef(r)) => {
                let c = match r.resolve_char_ref() {
                    Ok(Some(c)) => c.to_string(),
                    Ok(None) => {
                        let name = r.decode().map_err(|_| (before, "invalid UTF-8"))?;
                        quick_xml::escape::resolve_predefined_entity(&name)
                            .ok_or((before, "unknown entity reference in TEXT"))?
                            .to_owned()
                    }
                    Err(_) => return Err((before, "malformed character reference in TEXT")),
                };
                plain.push_str(&c);
            }
            (Place::Text, Event::Start(_) | Event::Empty(_)) => {
                return Err((
                    before,
                    "an element inside TEXT (record text should be in a CDATA section)",
                ));
            }
            (Place::Tags { depth: 0 }, Event::End(_)) => place = Place::Outside,
            (Place::Tags { depth }, Event::Start(e)) => {
                if depth == 0 {
                    tags.push(tag(&e, before)?);
                }
                place = Place::Tags { depth: depth + 1 };
            }
            (Place::Tags { depth }, Event::End(_)) => {
                place = Place::Tags {
                    depth: depth.saturating_sub(1),
                }
            }
            (Place::Tags { depth: 0 }, Event::Empty(e)) => tags.push(tag(&e, before)?),
            _ => {}
        }
    }
    if text_seen == 0 {
        return Err((
            0,
            "no TEXT element (expected <deIdi2b2><TEXT>...</TEXT><TAGS>...</TAGS></deIdi2b2>)",
        ));
    }
    let text = match (cdata.is_empty(), plain.trim().is_empty()) {
        (false, false) => return Err((0, "TEXT mixes a CDATA section with other text")),
        (false, true) => cdata,
        (true, _) => plain,
    };
    if !tags_seen && !text.is_empty() {
        // Without TAGS the file is not gold, and scoring it would count every finding as false.
        return Err((
            0,
            "no TAGS element (an i2b2 gold file lists its PHI in TAGS)",
        ));
    }
    let offsets = CharOffsets::new(&text);
    let mut spans = Vec::with_capacity(tags.len());
    for t in tags {
        let span = offsets.span(t.start, t.end).map_err(|r| (t.at, r))?;
        if let Some(copy) = &t.text {
            let at_offsets = text.get(span.range()).unwrap_or_default();
            if !super::same_text(copy, at_offsets) {
                return Err((
                    t.at,
                    "the tag's text attribute differs from the TEXT at its start..end",
                ));
            }
        }
        spans.push(GoldSpan::new(span.start, span.end, t.gold_type));
    }
    Ok(GoldDoc {
        id: id.to_owned(),
        text,
        spans,
    })
}

fn pos(p: u64) -> usize {
    usize::try_from(p).unwrap_or(usize::MAX)
}

/// Reads one annotation element's attributes (names compared ignoring ASCII case).
fn tag(e: &BytesStart<'_>, at: usize) -> Result<RawTag, (usize, &'static str)> {
    let (mut start, mut end, mut gold_type, mut text) = (None, None, None, None);
    for attr in e.attributes() {
        let attr = attr.map_err(|_| (at, "malformed attribute in a tag"))?;
        let value = attr
            .unescape_value()
            .map_err(|_| (at, "malformed entity in a tag's attribute"))?
            .into_owned();
        let key = attr.key.as_ref();
        if key.eq_ignore_ascii_case(b"start") {
            start = Some(value);
        } else if key.eq_ignore_ascii_case(b"end") {
            end = Some(value);
        } else if key.eq_ignore_ascii_case(b"type") {
            gold_type = Some(value);
        } else if key.eq_ignore_ascii_case(b"text") {
            text = Some(value);
        }
    }
    let number = |v: Option<String>, missing, bad| -> Result<usize, (usize, &'static str)> {
        v.ok_or((at, missing))?
            .trim()
            .parse::<usize>()
            .map_err(|_| (at, bad))
    };
    let start = number(
        start,
        "a tag has no start attribute",
        "a tag's start is not a number",
    )?;
    let end = number(
        end,
        "a tag has no end attribute",
        "a tag's end is not a number",
    )?;
    let gold_type = gold_type
        .filter(|t| !t.trim().is_empty())
        .ok_or((at, "a tag has no TYPE attribute"))?;
    Ok(RawTag {
        at,
        start,
        end,
        gold_type: gold_type.trim().to_owned(),
        text,
    })
}

/// What is wrong, without quick-xml's own message: some of those quote tag names, and in a
/// malformed file a "tag name" can be record text (`<` followed by a word, outside CDATA).
fn describe(e: &quick_xml::Error) -> &'static str {
    use quick_xml::errors::{IllFormedError, SyntaxError};
    match e {
        quick_xml::Error::Syntax(s) => match s {
            SyntaxError::InvalidBangMarkup => "malformed XML: unknown markup after <!",
            SyntaxError::UnclosedPIOrXmlDecl => {
                "malformed XML: processing instruction or declaration not closed"
            }
            SyntaxError::UnclosedComment => "malformed XML: comment not closed",
            SyntaxError::UnclosedDoctype => "malformed XML: DOCTYPE not closed",
            SyntaxError::UnclosedCData => "malformed XML: CDATA section not closed (no ]]>)",
            SyntaxError::UnclosedTag => "malformed XML: tag not closed (no >)",
        },
        quick_xml::Error::IllFormed(i) => match i {
            IllFormedError::MissingEndTag(_) => "malformed XML: an element is never closed",
            IllFormedError::UnmatchedEndTag(_) => {
                "malformed XML: an end tag closes no open element"
            }
            IllFormedError::MismatchedEndTag { .. } => {
                "malformed XML: an end tag does not match the open element"
            }
            _ => "malformed XML",
        },
        quick_xml::Error::InvalidAttr(_) => "malformed XML: bad attribute",
        quick_xml::Error::Encoding(_) => "invalid UTF-8",
        quick_xml::Error::Escape(_) => "malformed XML: bad entity or character reference",
        quick_xml::Error::Io(_) | quick_xml::Error::Namespace(_) => "malformed XML",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A synthetic record: invented names, a reserved phone number.
    const GOOD: &str = r#"<?xml version="1.0" encoding="UTF-8" ?>
<deIdi2b2>
<TEXT><![CDATA[Record date: 2069-04-07

Zo&euml; Ann Kowal <b> is a 67 yo nurse from Ohio, seen by Dr. Bram Tennley.
Call 617-555-0142.
]]></TEXT>
<TAGS>
<DATE id="P0" start="13" end="23" text="2069-04-07" TYPE="DATE" comment="" />
<NAME id="P1" start="25" end="43" text="Zo&amp;euml; Ann Kowal" TYPE="PATIENT" comment="" />
<AGE id="P2" start="53" end="55" text="67" TYPE="AGE" comment="" />
<PROFESSION id="P3" start="59" end="64" text="nurse" TYPE="PROFESSION" comment="" />
<LOCATION id="P4" start="70" end="74" text="Ohio" TYPE="STATE" comment="" />
<NAME id="P5" start="88" end="100" text="Bram Tennley" TYPE="DOCTOR" comment="" />
<CONTACT id="P6" start="107" end="119" text="617-555-0142" TYPE="PHONE" comment="" />
</TAGS>
</deIdi2b2>
"#;

    fn spans(doc: &GoldDoc) -> Vec<(&str, &str)> {
        doc.spans
            .iter()
            .map(|s| (&doc.text[s.start..s.end], s.gold_type.as_str()))
            .collect()
    }

    #[test]
    fn reads_cdata_text_and_tags() {
        let doc = parse(GOOD, "110-01").expect("parses");
        assert_eq!(doc.id, "110-01");
        assert!(doc.text.starts_with("Record date:"));
        // CDATA is taken literally: no entity is resolved inside it.
        assert!(doc.text.contains("Zo&euml; Ann Kowal <b>"));
        assert_eq!(
            spans(&doc),
            [
                ("2069-04-07", "DATE"),
                ("Zo&euml; Ann Kowal", "PATIENT"),
                ("67", "AGE"),
                ("nurse", "PROFESSION"),
                ("Ohio", "STATE"),
                ("Bram Tennley", "DOCTOR"),
                ("617-555-0142", "PHONE"),
            ]
        );
    }

    #[test]
    fn offsets_count_characters_and_entities_resolve_outside_cdata() {
        // Plain TEXT (no CDATA): entities resolve, then offsets count characters of the result.
        let xml = "<deIdi2b2><TEXT>Dr. Jos&#233; &amp; Zo\u{eb} Kowal</TEXT><TAGS>\
                   <NAME start=\"4\" end=\"8\" TYPE=\"DOCTOR\"/>\
                   <NAME start=\"11\" end=\"20\" text=\"Zo\u{eb} Kowal\" TYPE=\"PATIENT\"/>\
                   </TAGS></deIdi2b2>";
        let doc = parse(xml, "x").expect("parses");
        assert_eq!(doc.text, "Dr. Jos\u{e9} & Zo\u{eb} Kowal");
        assert_eq!(
            spans(&doc),
            [("Jos\u{e9}", "DOCTOR"), ("Zo\u{eb} Kowal", "PATIENT")]
        );
    }

    #[test]
    fn crlf_copies_line_up_like_the_original() {
        let lf = parse(GOOD, "x").expect("parses");
        let file = tempfile::NamedTempFile::new().expect("temp file");
        std::fs::write(file.path(), GOOD.replace('\n', "\r\n")).expect("write");
        // Without normalizing, every tag after the first line break would be off (and rejected).
        let crlf = read_file(file.path()).expect("parses");
        assert_eq!(crlf.text, lf.text);
        assert_eq!(crlf.spans, lf.spans);
        assert_eq!(normalize_line_ends("a\rb\r\nc".into()), "a\nb\nc");
    }

    #[test]
    fn malformed_files_are_rejected_with_line_and_reason() {
        let cases: &[(&str, &str)] = &[
            (
                "<deIdi2b2>\n<TEXT><![CDATA[Ana Kowal\n</TEXT></deIdi2b2>",
                "CDATA section not closed",
            ),
            (
                "<deIdi2b2>\n<TEXT>Ana <Kowal> seen</TEXT>\n</deIdi2b2>",
                "an element inside TEXT",
            ),
            (
                "<deIdi2b2><TAGS></TAGS></deIdi2b2>",
                "no TEXT element",
            ),
            (
                "<deIdi2b2><TEXT><![CDATA[Ana Kowal]]></TEXT></deIdi2b2>",
                "no TAGS element",
            ),
            (
                "<deIdi2b2><TEXT><![CDATA[Ana Kowal]]></TEXT>\n<TAGS>\n<NAME start=\"0\" end=\"99\" TYPE=\"PATIENT\"/></TAGS></deIdi2b2>",
                "offsets past the end",
            ),
            (
                "<deIdi2b2><TEXT><![CDATA[Ana Kowal]]></TEXT>\n<TAGS>\n<NAME start=\"0\" end=\"3\"/></TAGS></deIdi2b2>",
                "no TYPE attribute",
            ),
            (
                "<deIdi2b2><TEXT><![CDATA[Ana Kowal]]></TEXT>\n<TAGS>\n<NAME start=\"zero\" end=\"3\" TYPE=\"PATIENT\"/></TAGS></deIdi2b2>",
                "start is not a number",
            ),
            (
                "<deIdi2b2><TEXT><![CDATA[Ana Kowal]]></TEXT>\n<TAGS>\n<NAME start=\"4\" end=\"9\" text=\"Ana K\" TYPE=\"PATIENT\"/></TAGS></deIdi2b2>",
                "text attribute differs",
            ),
            (
                "<deIdi2b2><TEXT>Ana &kowal; seen</TEXT><TAGS/></deIdi2b2>",
                "unknown entity reference",
            ),
            (
                "<deIdi2b2><TEXT><![CDATA[Ana Kowal]]></TEXT><TAGS></Kowal></deIdi2b2>",
                "end tag does not match",
            ),
        ];
        for (xml, reason) in cases {
            let (_, got) = parse(xml, "x").expect_err(reason);
            assert!(got.contains(reason), "{reason}: got {got}");
            assert!(!got.contains("Kowal"), "{got}");
        }
    }

    #[test]
    fn every_truncation_and_byte_flip_is_an_answer_not_a_panic() {
        for cut in (0..=GOOD.len()).filter(|&i| GOOD.is_char_boundary(i)) {
            let _ = parse(&GOOD[..cut], "x");
        }
        for (i, old) in GOOD.char_indices() {
            for c in ['<', '>', '&', '"', ']', '/'] {
                let mut s = GOOD.to_owned();
                s.replace_range(i..i + old.len_utf8(), &c.to_string());
                if let Err((at, _)) = parse(&s, "x") {
                    assert!(at <= s.len());
                }
            }
        }
    }

    #[test]
    fn reads_a_directory_and_names_the_bad_file() {
        let dir = tempfile::tempdir().expect("temp dir");
        std::fs::write(dir.path().join("101-02.xml"), GOOD).expect("write");
        std::fs::write(dir.path().join("101-01.xml"), GOOD).expect("write");
        std::fs::write(dir.path().join("notes.txt"), "not gold").expect("write");
        let docs = read(dir.path()).expect("reads");
        let ids: Vec<&str> = docs.iter().map(|d| d.id.as_str()).collect();
        assert_eq!(ids, ["101-01", "101-02"]);

        let bad = GOOD.replace("end=\"100\"", "end=\"1000\"");
        std::fs::write(dir.path().join("101-03.xml"), bad).expect("write");
        let err = read(dir.path()).expect_err("bad offsets").to_string();
        assert!(
            err.contains("101-03.xml:14: offsets past the end of the text"),
            "{err}"
        );
        assert!(!err.contains("Tennley"), "{err}");

        let empty = tempfile::tempdir().expect("temp dir");
        let err = read(empty.path()).expect_err("no files").to_string();
        assert!(err.contains("no .xml files"), "{err}");
    }
}
