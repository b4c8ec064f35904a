//! Reading records: JSON Lines and CSV in bounded chunks, with line numbers and a reason for every
//! record that cannot be used.
//!
//! `phirewall detect` and `phirewall deid` share these readers, and the `cli_input` fuzz target
//! feeds them arbitrary bytes. Nothing here panics on input, and no [`Reason`] carries any of the
//! record's text: the reasons end up on stderr and in reject files, which are logs, and the input
//! is clinical text. That is also why JSON and CSV errors are reported by category and position
//! only: serde_json's own messages can quote the offending value.

use std::borrow::Cow;
use std::fmt;
use std::io::{self, BufRead, Read};
use std::ops::Range;

use phirewall::{Kind, Known};
use serde::de::{self, Deserializer, MapAccess, Visitor};
use serde::Deserialize;
use serde_json::value::RawValue;

/// A record that cannot be processed, with the 1-based line it starts on.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct InputError {
    /// The line the record starts on.
    pub line: usize,
    /// What is wrong with it.
    pub reason: Reason,
}

impl InputError {
    /// The position of the first invalid byte of a whole-file input: `valid_up_to` bytes of
    /// `bytes` are UTF-8 (as [`std::str::Utf8Error::valid_up_to`] says).
    pub fn invalid_utf8(bytes: &[u8], valid_up_to: usize) -> InputError {
        let before = bytes.get(..valid_up_to).unwrap_or(bytes);
        let line_start = before
            .iter()
            .rposition(|&b| b == b'\n')
            .map_or(0, |i| i + 1);
        InputError {
            line: 1 + before.iter().filter(|&&b| b == b'\n').count(),
            reason: Reason::InvalidUtf8 {
                column: before.len() - line_start + 1,
            },
        }
    }
}

/// Why a record was rejected. Columns are 1-based byte positions within the line. Field names
/// are the ones the user gave on the command line, never values.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Reason {
    /// The bytes are not UTF-8.
    InvalidUtf8 { column: usize },
    /// The line is longer than the reader accepts.
    TooLong { max_bytes: usize },
    /// The line is not valid JSON.
    Json { problem: JsonProblem, column: usize },
    /// The line is valid JSON but not an object.
    NotAnObject,
    /// The object has the same field twice.
    DuplicateField,
    /// The object has no "text" field.
    MissingText,
    /// "text" is there but is not a string.
    TextNotString,
    /// "id" is there but is neither a string nor a number.
    BadId,
    /// "known" is there but is not an object of the documented shape.
    BadKnown,
    /// An entry of "known.ids" names no identifier kind.
    BadKnownKind,
    /// None of the fields to de-identify is in the record.
    NoTextField,
    /// A field that must hold text holds something else (a number, an object...).
    NotText { field: String },
    /// The patient key field is missing or empty.
    MissingPatientKey { field: String },
    /// A CSV field is not UTF-8 (`field` is its column name).
    CsvInvalidUtf8 { field: String },
    /// A CSV row has a different number of fields than the header.
    CsvFieldCount { expected: usize, found: usize },
    /// A CSV row is longer than the reader accepts, which nearly always means a quote that is
    /// never closed. CSV cannot be resynchronized after it, so reading stops there.
    CsvTooLong { max_bytes: usize },
    /// A quoted CSV field is still open at the end of the input: the row took in every line
    /// after its opening quote.
    CsvUnclosedQuote,
    /// The engine panicked on this record: a phirewall bug, reported without the record.
    Internal,
}

/// The kind of JSON syntax problem, from serde_json's error category.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum JsonProblem {
    Syntax,
    UnexpectedEnd,
}

impl fmt::Display for InputError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "line {}: {}", self.line, self.reason)
    }
}

impl fmt::Display for Reason {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Reason::InvalidUtf8 { column } => write!(f, "invalid UTF-8 at byte {column}"),
            Reason::TooLong { max_bytes } => {
                write!(f, "the line is longer than {max_bytes} bytes")
            }
            Reason::Json {
                problem: JsonProblem::Syntax,
                column,
            } => write!(f, "malformed JSON (syntax error at column {column})"),
            Reason::Json {
                problem: JsonProblem::UnexpectedEnd,
                column,
            } => write!(f, "malformed JSON (line ends early, at column {column})"),
            Reason::NotAnObject => {
                f.write_str("expected a JSON object like {\"id\": ..., \"text\": ...}")
            }
            Reason::DuplicateField => f.write_str("the object has the same field twice"),
            Reason::MissingText => f.write_str("missing \"text\" field"),
            Reason::TextNotString => f.write_str("\"text\" must be a string"),
            Reason::BadId => f.write_str("\"id\" must be a string or a number"),
            Reason::BadKnown => f.write_str(
                "\"known\" must be an object with optional fields \"names\" (array of strings), \
                 \"mrn\" (string), \"addresses\" (array of strings) and \"ids\" (array of \
                 {\"kind\", \"value\"} strings)",
            ),
            Reason::BadKnownKind => f.write_str(
                "a \"kind\" in \"known.ids\" is not an identifier kind (NAME, PHONE, MRN, ...)",
            ),
            Reason::NoTextField => f.write_str("the record has none of the fields to de-identify"),
            Reason::NotText { field } => {
                write!(f, "field {field:?} must be a string (or null)")
            }
            Reason::MissingPatientKey { field } => {
                write!(f, "the patient key field {field:?} is missing or empty")
            }
            Reason::CsvInvalidUtf8 { field } => write!(f, "column {field:?} is not UTF-8"),
            Reason::CsvFieldCount { expected, found } => write!(
                f,
                "malformed CSV row ({found} fields where the header has {expected})"
            ),
            Reason::CsvTooLong { max_bytes } => write!(
                f,
                "a CSV row longer than {max_bytes} bytes (an unclosed quote?): the input was \
                 not read past it"
            ),
            Reason::CsvUnclosedQuote => f.write_str(
                "a quoted CSV field is never closed: the row runs to the end of the input",
            ),
            Reason::Internal => {
                f.write_str("internal error while processing this record (a phirewall bug)")
            }
        }
    }
}

/// One raw record: the line it starts on, and its bytes or why it could not even be read.
pub type RawLine = (usize, Result<Vec<u8>, Reason>);

/// A line of a [`LineChunk`]: its number, and the range of its bytes in the chunk's buffer or
/// why it was not kept.
pub type LineAt = (usize, Result<Range<usize>, Reason>);

/// A chunk of lines in one buffer (see [`LineChunks::next_chunk_into`]).
#[derive(Debug, Default)]
pub struct LineChunk {
    /// The kept lines, one after another.
    pub bytes: Vec<u8>,
    /// Each line's number and the range of its bytes in `bytes`, or why it was not kept.
    pub lines: Vec<LineAt>,
}

/// Reads lines in chunks of bounded size, numbering them from 1.
///
/// Blank lines are skipped (but counted), a UTF-8 byte order mark at the start of the input is
/// dropped, and a line longer than the limit is reported as [`Reason::TooLong`] and skipped
/// without being held in memory: a file with no newline at all cannot exhaust memory.
#[derive(Debug)]
pub struct LineChunks<R> {
    reader: R,
    line_no: usize,
    max_lines: usize,
    max_bytes: usize,
    max_line: usize,
    at_eof: bool,
}

impl<R: BufRead> LineChunks<R> {
    /// A reader of chunks of at most `max_lines` lines or about `max_bytes` bytes (a chunk always
    /// takes at least one line), where no line may exceed `max_line` bytes.
    pub fn new(reader: R, max_lines: usize, max_bytes: usize, max_line: usize) -> LineChunks<R> {
        LineChunks {
            reader,
            line_no: 0,
            max_lines: max_lines.max(1),
            max_bytes,
            max_line,
            at_eof: false,
        }
    }

    /// The underlying reader.
    pub fn into_inner(self) -> R {
        self.reader
    }

    /// Fills `chunk` (cleared first) with the next lines. Returns `false` once the input is
    /// exhausted and `chunk` is empty.
    ///
    /// # Errors
    /// Only I/O errors of the underlying reader; bad lines are entries of `chunk`.
    pub fn next_chunk(&mut self, chunk: &mut Vec<RawLine>) -> io::Result<bool> {
        chunk.clear();
        let mut bytes = 0;
        while chunk.len() < self.max_lines && bytes < self.max_bytes {
            let mut line = Vec::new();
            let Some((line_no, kept)) = self.next_line(&mut line)? else {
                break;
            };
            let kept = kept.map(|range| {
                bytes += range.len();
                // Only a byte order mark is before the range.
                line.drain(..range.start);
                line
            });
            chunk.push((line_no, kept));
        }
        Ok(!chunk.is_empty())
    }

    /// As [`LineChunks::next_chunk`], but the lines go one after another into one buffer,
    /// `chunk.bytes`, and each entry of `chunk.lines` holds the range of its line there.
    ///
    /// One buffer per chunk, which the caller can hand back to be filled again, instead of one
    /// allocation per line: the reader thread allocates nothing in the steady state, and no
    /// thread frees memory that another allocated, record by record.
    ///
    /// # Errors
    /// Only I/O errors of the underlying reader; bad lines are entries of `chunk.lines`.
    pub fn next_chunk_into(&mut self, chunk: &mut LineChunk) -> io::Result<bool> {
        chunk.bytes.clear();
        chunk.lines.clear();
        let mut bytes = 0;
        while chunk.lines.len() < self.max_lines && bytes < self.max_bytes {
            let Some((line_no, kept)) = self.next_line(&mut chunk.bytes)? else {
                break;
            };
            if let Ok(range) = &kept {
                bytes += range.len();
            }
            chunk.lines.push((line_no, kept));
        }
        Ok(!chunk.lines.is_empty())
    }

    /// Appends the next line that is not blank to `buf` and returns its number and the range of
    /// its bytes in `buf` (newline included, byte order mark excluded), or why it was not kept;
    /// `None` at the end of the input. Blank lines are counted and dropped from `buf`.
    fn next_line(&mut self, buf: &mut Vec<u8>) -> io::Result<Option<LineAt>> {
        while !self.at_eof {
            let start = buf.len();
            let (n, complete) = self.read_line(buf)?;
            if n == 0 {
                self.at_eof = true;
                break;
            }
            self.line_no += 1;
            if !complete {
                let too_long = Reason::TooLong {
                    max_bytes: self.max_line,
                };
                return Ok(Some((self.line_no, Err(too_long))));
            }
            let mut begin = start;
            let line = buf.get(start..).unwrap_or_default();
            if self.line_no == 1 && line.starts_with(b"\xEF\xBB\xBF") {
                // A UTF-8 byte order mark, as some Windows tools write: not part of the record.
                begin += 3;
            }
            if buf
                .get(begin..)
                .unwrap_or_default()
                .iter()
                .all(u8::is_ascii_whitespace)
            {
                buf.truncate(start);
                continue;
            }
            return Ok(Some((self.line_no, Ok(begin..buf.len()))));
        }
        Ok(None)
    }

    /// Reads one line, newline included, onto the end of `line`; a line longer than `max_line`
    /// is consumed but not kept (`line` is as it was). Returns the bytes consumed and whether
    /// the line was kept.
    ///
    /// `read_until` finds the newline with the C library's `memchr` (many bytes per step), which
    /// matters on the reader thread: it looks at every byte of the input while the workers are
    /// busy on the same cores.
    fn read_line(&mut self, line: &mut Vec<u8>) -> io::Result<(usize, bool)> {
        // At most one byte more than a line may have: reading it tells a line that is too long.
        let limit = u64::try_from(self.max_line)
            .unwrap_or(u64::MAX)
            .saturating_add(1);
        let start = line.len();
        let n = (&mut self.reader).take(limit).read_until(b'\n', line)?;
        if n <= self.max_line {
            // The whole line (or the last one, without a newline).
            return Ok((n, true));
        }
        let mut consumed = n;
        let mut ended = line.ends_with(b"\n");
        // Give back the memory the long line took, not only its length.
        line.truncate(start);
        line.shrink_to(start);
        // Too long: consume the rest of it in pieces, keeping none of them.
        let mut scratch = Vec::new();
        while !ended {
            scratch.clear();
            let n = (&mut self.reader)
                .take(1 << 16)
                .read_until(b'\n', &mut scratch)?;
            consumed += n;
            ended = n == 0 || scratch.ends_with(b"\n");
        }
        Ok((consumed, false))
    }
}

/// A JSON object's fields in the order written, each value kept as raw JSON so that fields passed
/// through are echoed exactly (no float round trip, no reordering).
///
/// Names are borrowed from the line unless they hold escapes (see [`FieldName`]).
#[derive(Debug)]
pub struct Object<'a> {
    pub fields: Vec<(Cow<'a, str>, &'a RawValue)>,
}

impl<'a> Object<'a> {
    /// The raw value of a field.
    pub fn get(&self, name: &str) -> Option<&'a RawValue> {
        self.fields.iter().find(|(k, _)| k == name).map(|(_, v)| *v)
    }
}

/// Parses one JSON line (trailing newline allowed) as an object.
///
/// # Errors
/// Invalid UTF-8, malformed JSON, a value that is not an object, a repeated field.
pub fn parse_object(line: &[u8]) -> Result<Object<'_>, Reason> {
    let line = line.strip_suffix(b"\n").unwrap_or(line);
    let line = line.strip_suffix(b"\r").unwrap_or(line);
    let line = std::str::from_utf8(line).map_err(|e| Reason::InvalidUtf8 {
        column: e.valid_up_to() + 1,
    })?;
    if !line.trim_start().starts_with('{') {
        return Err(match serde_json::from_str::<de::IgnoredAny>(line) {
            Ok(_) => Reason::NotAnObject,
            Err(e) => json_reason(&e),
        });
    }
    serde_json::from_str::<Object<'_>>(line).map_err(|e| match e.classify() {
        // The only data error the visitor raises is a repeated field.
        serde_json::error::Category::Data => Reason::DuplicateField,
        _ => json_reason(&e),
    })
}

impl<'de> Deserialize<'de> for Object<'de> {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Object<'de>, D::Error> {
        d.deserialize_map(ObjectVisitor)
    }
}

struct ObjectVisitor;

impl<'de> Visitor<'de> for ObjectVisitor {
    type Value = Object<'de>;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a JSON object")
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Object<'de>, A::Error> {
        let mut fields: Vec<(Cow<'de, str>, &'de RawValue)> = Vec::new();
        let mut seen = std::collections::HashSet::new();
        while let Some(FieldName(key)) = map.next_key::<FieldName<'de>>()? {
            // A linear scan for the handful of fields records have; a set past that, so a line
            // with thousands of fields is not quadratic.
            let repeated = if fields.len() < 16 {
                fields.iter().any(|(k, _)| *k == key)
            } else {
                if seen.is_empty() {
                    seen.extend(fields.iter().map(|(k, _)| k.clone()));
                }
                !seen.insert(key.clone())
            };
            if repeated {
                return Err(de::Error::custom("repeated field"));
            }
            let value = map.next_value::<&'de RawValue>()?;
            fields.push((key, value));
        }
        Ok(Object { fields })
    }
}

/// A field name as written: borrowed from the line when it has no escapes, which serde_json
/// tells by calling `visit_borrowed_str`, and owned only when it had to unescape it. Decoding
/// names into `String`s cost two allocations per record for nothing (`Cow<str>`'s own
/// `Deserialize` always allocates).
struct FieldName<'de>(Cow<'de, str>);

impl<'de> Deserialize<'de> for FieldName<'de> {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<FieldName<'de>, D::Error> {
        d.deserialize_str(FieldNameVisitor)
    }
}

struct FieldNameVisitor;

impl<'de> Visitor<'de> for FieldNameVisitor {
    type Value = FieldName<'de>;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a field name")
    }

    fn visit_borrowed_str<E: de::Error>(self, v: &'de str) -> Result<FieldName<'de>, E> {
        Ok(FieldName(Cow::Borrowed(v)))
    }

    fn visit_str<E: de::Error>(self, v: &str) -> Result<FieldName<'de>, E> {
        Ok(FieldName(Cow::Owned(v.to_owned())))
    }

    fn visit_string<E: de::Error>(self, v: String) -> Result<FieldName<'de>, E> {
        Ok(FieldName(Cow::Owned(v)))
    }
}

fn json_reason(e: &serde_json::Error) -> Reason {
    let problem = match e.classify() {
        serde_json::error::Category::Eof => JsonProblem::UnexpectedEnd,
        _ => JsonProblem::Syntax,
    };
    Reason::Json {
        problem,
        column: e.column(),
    }
}

/// The string value of a raw JSON value, or `None` if it is not a string.
pub fn decode_string(raw: &RawValue) -> Option<Cow<'_, str>> {
    let json = raw.get();
    let inner = json.strip_prefix('"')?.strip_suffix('"')?;
    let Some(first) = inner.find('\\') else {
        // No escapes: the JSON text between the quotes is the string itself.
        return Some(Cow::Borrowed(inner));
    };
    match unescape_short(inner, first) {
        Some(text) => Some(Cow::Owned(text)),
        None => serde_json::from_str::<String>(json).ok().map(Cow::Owned),
    }
}

/// The text of a JSON string's inside (between the quotes) whose escapes are all two-character
/// ones (`\n`, `\"`, `\\`, `\/`, `\b`, `\f`, `\r`, `\t`); `None` at the first other escape
/// (`\u`), left to serde_json. `first` is where the first backslash is (the caller looked for it
/// already, and the search starts past it rather than again from the start).
///
/// Notes escape every line break, so nearly every text takes this path: it copies the runs
/// between backslashes whole (`str::find` looks for them a word at a time) into one allocation,
/// where serde_json would go through its deserializer and a scratch buffer. A raw value has
/// already been checked by serde_json (no control character inside, every escape complete), so
/// the only question here is which escapes are simple.
fn unescape_short(inner: &str, first: usize) -> Option<String> {
    let mut out = String::with_capacity(inner.len());
    let mut rest = inner;
    let mut next = Some(first);
    while let Some(i) = next {
        let (run, tail) = rest.split_at_checked(i)?;
        out.push_str(run);
        let mut chars = tail.chars();
        chars.next(); // the backslash
        let c = match chars.next()? {
            '"' => '"',
            '\\' => '\\',
            '/' => '/',
            'b' => '\u{8}',
            'f' => '\u{c}',
            'n' => '\n',
            'r' => '\r',
            't' => '\t',
            _ => return None,
        };
        out.push(c);
        rest = chars.as_str();
        next = rest.find('\\');
    }
    out.push_str(rest);
    Some(out)
}

/// The strings of a raw value that is a string, an array of strings, or `null` (none).
/// `None` for anything else.
pub fn decode_strings(raw: &RawValue) -> Option<Vec<Cow<'_, str>>> {
    let json = raw.get();
    if json == "null" {
        return Some(Vec::new());
    }
    if json.starts_with('"') {
        return decode_string(raw).map(|s| vec![s]);
    }
    let items: Vec<&RawValue> = serde_json::from_str(json).ok()?;
    items.into_iter().map(decode_string).collect()
}

/// The `known` field of a record. Unknown fields are errors, not ignored: a misspelt `"name"`
/// would otherwise silently leave the patient's name to chance. The MRN must be a string, since
/// a JSON number would lose its leading zeros.
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct KnownField {
    #[serde(default)]
    names: Vec<String>,
    #[serde(default)]
    mrn: Option<String>,
    #[serde(default)]
    addresses: Vec<String>,
    #[serde(default)]
    ids: Vec<KnownId>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct KnownId {
    kind: String,
    value: String,
}

/// Builds a [`Known`] from a raw `known` object (see `phirewall detect --help`); `null` means
/// none. The serde error is dropped unread: its message could quote a value.
///
/// # Errors
/// [`Reason::BadKnown`] for any other shape, [`Reason::BadKnownKind`] for an unknown kind.
pub fn parse_known(raw: &RawValue) -> Result<Option<Known>, Reason> {
    if raw.get() == "null" {
        return Ok(None);
    }
    let field: KnownField = serde_json::from_str(raw.get()).map_err(|_| Reason::BadKnown)?;
    let mut known = Known::new();
    for name in &field.names {
        known = known.name(name);
    }
    if let Some(mrn) = &field.mrn {
        known = known.mrn(mrn);
    }
    for address in &field.addresses {
        known = known.address(address);
    }
    for id in &field.ids {
        let kind = id.kind.parse::<Kind>().map_err(|_| Reason::BadKnownKind)?;
        known = known.identifier(kind, &id.value);
    }
    Ok(Some(known))
}

/// One CSV row: the line it starts on, and its fields or why it was rejected.
pub type RawRow = (usize, Result<csv::ByteRecord, Reason>);

/// Reads CSV rows in chunks of bounded size. The first row is the header.
///
/// Fields are kept as bytes: a column that is only passed through may hold any bytes, and only
/// the columns a command reads as text must be UTF-8 (see [`row_text`]).
///
/// A row may span lines (a quoted field with newlines), so a quote that is never closed makes
/// the rest of the input one field. Such a row is rejected ([`Reason::CsvUnclosedQuote`])
/// rather than passed on with the following rows inside it. The CSV reader holds a whole row in
/// memory; to keep memory bounded, a row longer than `max_row` bytes is reported as
/// [`Reason::CsvTooLong`] and reading stops there.
#[derive(Debug)]
pub struct CsvChunks<R> {
    reader: csv::Reader<Capped<R>>,
    header: Vec<String>,
    max_rows: usize,
    max_bytes: usize,
    max_row: usize,
    /// The line the last row read started on.
    last_line: usize,
    at_eof: bool,
}

/// The reader under the CSV reader: bounds the bytes read per row, and follows the quoting
/// state of the bytes so that a quote still open at the end of the input is known.
///
/// The row bound is approximate by the CSV reader's read-ahead (8 KB). The quote state follows
/// the CSV grammar the reader is configured with (`,` between fields, `"` quotes, `""` a quote
/// inside quotes; a quote inside an unquoted field is a plain character).
#[derive(Debug)]
struct Capped<R> {
    inner: R,
    /// Bytes read since the current row began.
    row_bytes: u64,
    max_row: u64,
    /// Bytes read in all.
    total: u64,
    /// The inner reader has reported its end.
    eof: bool,
    quote: Quote,
}

/// Where the bytes read so far leave the CSV grammar.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Quote {
    /// At the start of a field.
    FieldStart,
    /// In a field that did not start with a quote.
    Unquoted,
    /// Inside quotes.
    Quoted,
    /// Inside quotes, right after a quote: the field's end or the first of `""`.
    ClosingOrDoubled,
}

impl Quote {
    fn next(self, b: u8) -> Quote {
        match (self, b) {
            (Quote::Quoted, b'"') => Quote::ClosingOrDoubled,
            (Quote::Quoted, _) => Quote::Quoted,
            (Quote::ClosingOrDoubled, b'"') => Quote::Quoted,
            (Quote::FieldStart, b'"') => Quote::Quoted,
            (_, b',' | b'\n' | b'\r') => Quote::FieldStart,
            _ => Quote::Unquoted,
        }
    }
}

/// The error [`Capped`] returns: recognized by type, so no I/O error is mistaken for it.
#[derive(Debug)]
struct RowTooLong;

impl fmt::Display for RowTooLong {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("CSV row too long")
    }
}

impl std::error::Error for RowTooLong {}

impl<R: Read> Read for Capped<R> {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        if self.row_bytes > self.max_row {
            return Err(io::Error::other(RowTooLong));
        }
        let n = self.inner.read(buf)?;
        let read = buf.get(..n).unwrap_or_default();
        self.quote = read.iter().fold(self.quote, |q, &b| q.next(b));
        self.eof |= n == 0;
        self.row_bytes += n as u64;
        self.total += n as u64;
        Ok(n)
    }
}

/// Whether an I/O error is [`Capped`]'s.
fn is_row_too_long(e: &io::Error) -> bool {
    e.get_ref().is_some_and(|inner| inner.is::<RowTooLong>())
}

/// Why a CSV input cannot be read at all.
#[derive(Debug)]
pub enum CsvStartError {
    /// Reading failed.
    Io(io::Error),
    /// The header row is missing, not UTF-8, or too long.
    BadHeader,
}

impl<R: Read> CsvChunks<R> {
    /// Reads the header row. Chunks hold at most `max_rows` rows or about `max_bytes` bytes; no
    /// row (the header included) may be longer than `max_row` bytes.
    ///
    /// # Errors
    /// I/O errors, and an empty input or a header that is not UTF-8 or too long.
    pub fn new(
        reader: R,
        max_rows: usize,
        max_bytes: usize,
        max_row: usize,
    ) -> Result<CsvChunks<R>, CsvStartError> {
        let capped = Capped {
            inner: reader,
            row_bytes: 0,
            max_row: max_row as u64,
            total: 0,
            eof: false,
            quote: Quote::FieldStart,
        };
        let mut reader = csv::ReaderBuilder::new()
            .has_headers(true)
            .flexible(false)
            .from_reader(capped);
        let header = match reader.byte_headers() {
            Ok(h) => h.clone(),
            Err(e) => {
                return Err(match e.into_kind() {
                    csv::ErrorKind::Io(e) if is_row_too_long(&e) => CsvStartError::BadHeader,
                    csv::ErrorKind::Io(e) => CsvStartError::Io(e),
                    _ => CsvStartError::BadHeader,
                })
            }
        };
        if header.is_empty() {
            return Err(CsvStartError::BadHeader);
        }
        let header = header
            .iter()
            .map(|f| String::from_utf8(f.to_vec()).map_err(|_| CsvStartError::BadHeader))
            .collect::<Result<Vec<String>, CsvStartError>>()?;
        Ok(CsvChunks {
            reader,
            header,
            max_rows: max_rows.max(1),
            max_bytes,
            max_row,
            last_line: 1,
            at_eof: false,
        })
    }

    /// The underlying reader (after the rows read, the CSV reader's buffer is lost).
    pub fn into_inner(self) -> R {
        self.reader.into_inner().inner
    }

    /// The column names.
    pub fn header(&self) -> &[String] {
        &self.header
    }

    /// Fills `chunk` (cleared first) with the next rows. Returns `false` once the input is
    /// exhausted and `chunk` is empty.
    ///
    /// # Errors
    /// Only I/O errors; bad rows are entries of `chunk`.
    pub fn next_chunk(&mut self, chunk: &mut Vec<RawRow>) -> io::Result<bool> {
        chunk.clear();
        let mut bytes = 0;
        while !self.at_eof && chunk.len() < self.max_rows && bytes < self.max_bytes {
            let mut row = csv::ByteRecord::new();
            self.reader.get_mut().row_bytes = 0;
            match self.reader.read_byte_record(&mut row) {
                Ok(false) => self.at_eof = true,
                Ok(true) => {
                    let line = row.position().map_or(0, |p| p.line() as usize);
                    self.last_line = line;
                    if self.ends_in_open_quote() {
                        chunk.push((line, Err(Reason::CsvUnclosedQuote)));
                        self.at_eof = true;
                        continue;
                    }
                    bytes += row.as_slice().len();
                    chunk.push((line, Ok(row)));
                }
                Err(e) => {
                    let line = e.position().map_or(0, |p| p.line() as usize);
                    match e.into_kind() {
                        csv::ErrorKind::Io(e) if is_row_too_long(&e) => {
                            // The row began after the last one read; where exactly is unknown
                            // without the row, so the next line is named.
                            chunk.push((
                                self.last_line + 1,
                                Err(Reason::CsvTooLong {
                                    max_bytes: self.max_row,
                                }),
                            ));
                            self.at_eof = true;
                        }
                        csv::ErrorKind::Io(e) => return Err(e),
                        // A row swallowed by an open quote usually has too few fields; the
                        // quote is the cause worth reporting.
                        csv::ErrorKind::UnequalLengths { .. } if self.ends_in_open_quote() => {
                            chunk.push((line, Err(Reason::CsvUnclosedQuote)));
                            self.at_eof = true;
                        }
                        csv::ErrorKind::UnequalLengths {
                            expected_len, len, ..
                        } => {
                            chunk.push((
                                line,
                                Err(Reason::CsvFieldCount {
                                    expected: expected_len as usize,
                                    found: len as usize,
                                }),
                            ));
                        }
                        // The byte reader reports nothing else; stop rather than loop.
                        _ => self.at_eof = true,
                    }
                }
            }
        }
        Ok(!chunk.is_empty())
    }

    /// Whether the row just read is the last one and ends inside quotes: the input is read to
    /// its end, the parser has consumed all of it, and the quoting state there is "inside".
    fn ends_in_open_quote(&self) -> bool {
        let capped = self.reader.get_ref();
        capped.eof && capped.quote == Quote::Quoted && self.reader.position().byte() == capped.total
    }
}

/// The text of column `index` of a row, named `name` in errors.
///
/// # Errors
/// [`Reason::CsvInvalidUtf8`] if the field is not UTF-8.
pub fn row_text<'r>(row: &'r csv::ByteRecord, index: usize, name: &str) -> Result<&'r str, Reason> {
    let bytes = row.get(index).unwrap_or_default();
    std::str::from_utf8(bytes).map_err(|_| Reason::CsvInvalidUtf8 {
        field: name.to_string(),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn lines(input: &[u8], max_lines: usize, max_line: usize) -> Vec<Vec<RawLine>> {
        let mut reader = LineChunks::new(input, max_lines, 1 << 20, max_line);
        let mut chunks = Vec::new();
        let mut chunk = Vec::new();
        while reader
            .next_chunk(&mut chunk)
            .expect("reading a slice cannot fail")
        {
            chunks.push(chunk.clone());
        }
        chunks
    }

    #[test]
    fn chunks_into_one_buffer_hold_the_same_lines() {
        let inputs: [&[u8]; 4] = [
            b"\xEF\xBB\xBFa\n\n  \nbb\r\nccccc\nd",
            b"\xEF\xBB\xBF\n{}\ntoo long here\nok\n",
            b"",
            b"x\ny\nz",
        ];
        for input in inputs {
            for max_lines in [1, 2, 5] {
                let want = lines(input, max_lines, 5);
                let mut reader = LineChunks::new(input, max_lines, 1 << 20, 5);
                let mut chunk = LineChunk::default();
                let mut got = Vec::new();
                while reader
                    .next_chunk_into(&mut chunk)
                    .expect("reading a slice cannot fail")
                {
                    let lines: Vec<RawLine> = chunk
                        .lines
                        .iter()
                        .map(|(n, kept)| {
                            let bytes = kept
                                .clone()
                                .map(|r| chunk.bytes.get(r).expect("in the buffer").to_vec());
                            (*n, bytes)
                        })
                        .collect();
                    got.push(lines);
                }
                assert_eq!(got, want, "{input:?} by {max_lines}");
            }
        }
    }

    #[test]
    fn strings_decode_as_serde_json_decodes_them() {
        let cases = [
            r#""plain""#,
            r#""a\nb""#,
            r#""\"quoted\" \\ back\/slash \b\f\n\r\t end""#,
            r#""\\n is not a line break""#,
            r#""caf\u00e9 and \ud83d\ude00""#,
            r#""tab\tthen \u0041""#,
            r#""\n""#,
            r#""ends with \\""#,
            "\"non-ASCII caf\u{e9} \u{1f600}\\n\"",
        ];
        for json in cases {
            let raw: Box<RawValue> = serde_json::from_str(json).expect("valid JSON");
            let ours = decode_string(&raw).map(Cow::into_owned);
            let theirs = serde_json::from_str::<String>(json).ok();
            assert_eq!(ours, theirs, "{json}");
        }
    }

    #[test]
    fn lines_are_numbered_chunked_and_bounded() {
        let chunks = lines(b"\xEF\xBB\xBFa\n\n  \nbb\r\nccccc\nd", 2, 5);
        assert_eq!(
            chunks,
            [
                vec![(1, Ok(b"a\n".to_vec())), (4, Ok(b"bb\r\n".to_vec()))],
                vec![
                    (5, Err(Reason::TooLong { max_bytes: 5 })),
                    (6, Ok(b"d".to_vec()))
                ],
            ]
        );
        assert!(lines(b"", 2, 4).is_empty());
        assert!(lines(b"\n\n", 2, 4).is_empty());
    }

    #[test]
    fn objects_keep_field_order_and_raw_values() {
        let obj = parse_object(br#"{"z": 1.50, "a": {"b": [1]}, "t": "x\u00e9"}"#)
            .expect("a valid object");
        let fields: Vec<(&str, &str)> = obj.fields.iter().map(|(k, v)| (&**k, v.get())).collect();
        assert_eq!(
            fields,
            [("z", "1.50"), ("a", "{\"b\": [1]}"), ("t", "\"x\\u00e9\"")]
        );
        let t = obj.get("t").and_then(decode_string).expect("a string");
        assert_eq!(t, "x\u{e9}");
        assert_eq!(
            parse_object(b"{\"a\": 1, \"a\": 2}").map(|_| ()),
            Err(Reason::DuplicateField)
        );
        let many: String = (0..40).map(|i| format!("\"k{}\": 0,", i % 39)).collect();
        let many = format!("{{{}\"end\": 1}}", many);
        assert_eq!(
            parse_object(many.as_bytes()).map(|_| ()),
            Err(Reason::DuplicateField)
        );
        assert_eq!(parse_object(b"[1]").map(|_| ()), Err(Reason::NotAnObject));
        assert!(matches!(
            parse_object(b"{\"a\": "),
            Err(Reason::Json {
                problem: JsonProblem::UnexpectedEnd,
                ..
            })
        ));
        assert_eq!(
            parse_object(b"{\"a\": \"\xff\"}").map(|_| ()),
            Err(Reason::InvalidUtf8 { column: 8 })
        );
    }

    #[test]
    fn strings_and_string_lists_decode() {
        let obj = parse_object(br#"{"a": "x", "b": ["y", "z\n"], "c": null, "d": [1], "e": 2}"#)
            .expect("a valid object");
        let get = |k| obj.get(k).and_then(decode_strings);
        assert_eq!(get("a"), Some(vec![Cow::Borrowed("x")]));
        assert_eq!(
            get("b"),
            Some(vec![Cow::Borrowed("y"), Cow::Owned("z\n".to_string())])
        );
        assert_eq!(get("c"), Some(vec![]));
        assert_eq!(get("d"), None);
        assert_eq!(get("e"), None);
    }

    #[test]
    fn csv_rows_are_numbered_and_bad_rows_rejected() {
        let input = b"id,note\n1,\"two\nlines\"\n2,a,extra\n3,\"x\xffy\"\n4,ok\n";
        let mut reader = CsvChunks::new(&input[..], 100, 1 << 20, 1 << 20).expect("a header");
        assert_eq!(reader.header(), ["id", "note"]);
        let mut chunk = Vec::new();
        assert!(reader.next_chunk(&mut chunk).expect("no I/O error"));
        type Fields = Result<Vec<Vec<u8>>, Reason>;
        let summary: Vec<(usize, Fields)> = chunk
            .iter()
            .map(|(line, row)| {
                (
                    *line,
                    row.clone().map(|r| r.iter().map(<[u8]>::to_vec).collect()),
                )
            })
            .collect();
        assert_eq!(summary.len(), 4);
        assert_eq!(
            summary[0],
            (2, Ok(vec![b"1".to_vec(), b"two\nlines".to_vec()]))
        );
        assert_eq!(
            summary[1],
            (
                4,
                Err(Reason::CsvFieldCount {
                    expected: 2,
                    found: 3
                })
            )
        );
        assert_eq!(summary[2].0, 5);
        assert_eq!(summary[3].0, 6);
        let row = chunk[2].1.as_ref().expect("a row of two fields");
        assert_eq!(
            row_text(row, 1, "note"),
            Err(Reason::CsvInvalidUtf8 {
                field: "note".to_string()
            })
        );
        assert!(!reader.next_chunk(&mut chunk).expect("no I/O error"));
        assert!(matches!(
            CsvChunks::new(&b""[..], 1, 1, 1),
            Err(CsvStartError::BadHeader)
        ));
    }

    #[test]
    fn an_unclosed_quote_stops_the_csv_reader_with_a_bounded_row() {
        // The quote opened on line 3 never closes: by CSV rules the rest of the input is one
        // field. Reading must stop with a reason, not buffer the rest of a huge file.
        let mut input = b"id,note\n1,fine\n2,\"never closed\n".to_vec();
        for i in 0..200_000 {
            input.extend_from_slice(format!("{i},more text\n").as_bytes());
        }
        let max_row = 64 << 10;
        let mut reader = CsvChunks::new(&input[..], 1000, 1 << 20, max_row).expect("a header");
        let mut chunk = Vec::new();
        let mut seen = Vec::new();
        while reader.next_chunk(&mut chunk).expect("no I/O error") {
            seen.extend(
                chunk
                    .drain(..)
                    .map(|(line, row)| (line, row.map(|r| r.len()))),
            );
        }
        assert_eq!(
            seen,
            [
                (2, Ok(2)),
                (3, Err(Reason::CsvTooLong { max_bytes: max_row }))
            ]
        );
        let message = InputError {
            line: 3,
            reason: Reason::CsvTooLong { max_bytes: max_row },
        }
        .to_string();
        assert!(message.contains("unclosed quote"), "{message}");
        // A quote open at the end of a short input: the row that took in the lines after it is
        // rejected, the rows before it are kept.
        let input = b"id,note\n1,\"closed, \"\"quoted\"\" text\"\n2,\"open\n3,x\n";
        let mut reader = CsvChunks::new(&input[..], 1000, 1 << 20, max_row).expect("a header");
        assert!(reader.next_chunk(&mut chunk).expect("no I/O error"));
        let rows: Vec<(usize, Result<usize, Reason>)> = chunk
            .drain(..)
            .map(|(line, row)| (line, row.map(|r| r.len())))
            .collect();
        assert_eq!(rows, [(2, Ok(2)), (3, Err(Reason::CsvUnclosedQuote))]);
        // Quotes inside unquoted fields (5'10") and a last row without a newline are fine.
        let input = b"id,note\n1,height 5'10\" today\n2,\"last\"";
        let mut reader = CsvChunks::new(&input[..], 1000, 1 << 20, max_row).expect("a header");
        assert!(reader.next_chunk(&mut chunk).expect("no I/O error"));
        assert!(chunk.iter().all(|(_, row)| row.is_ok()) && chunk.len() == 2);
        // A header that never ends is refused the same way.
        let endless = vec![b'a'; 200_000];
        assert!(matches!(
            CsvChunks::new(&endless[..], 1, 1, 1 << 10),
            Err(CsvStartError::BadHeader)
        ));
    }

    #[test]
    fn messages_name_the_line_not_the_text() {
        let e = InputError {
            line: 7,
            reason: Reason::MissingText,
        };
        assert_eq!(e.to_string(), "line 7: missing \"text\" field");
        let e = InputError {
            line: 2,
            reason: Reason::CsvFieldCount {
                expected: 3,
                found: 1,
            },
        };
        assert_eq!(
            e.to_string(),
            "line 2: malformed CSV row (1 fields where the header has 3)"
        );
    }

    #[test]
    fn locates_invalid_utf8() {
        let bytes = b"ab\ncd\nef\xffg";
        assert_eq!(
            InputError::invalid_utf8(bytes, 8),
            InputError {
                line: 3,
                reason: Reason::InvalidUtf8 { column: 3 }
            }
        );
        let first = InputError::invalid_utf8(b"\xff", 0);
        assert_eq!(first.line, 1);
        assert_eq!(first.reason, Reason::InvalidUtf8 { column: 1 });
    }
}
