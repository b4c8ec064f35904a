//! `phirewall deid`: de-identify a corpus (text files, a directory, JSON Lines or CSV) under a
//! policy.
//!
//! The work runs as a pipeline of three stages, so that memory stays bounded by a few chunks
//! whatever the corpus size and output order is input order:
//!
//! 1. a reader thread reads chunks of records (a few thousand lines or a few MB, or a few hundred
//!    files) and hashes the input as it goes;
//! 2. the calling thread de-identifies each chunk on a rayon pool of `--threads` workers;
//! 3. a writer thread writes the results in input order, with the annotations and the rejects,
//!    hashes the output, and draws the progress line.
//!
//! Channels between the stages hold one chunk each, so a slow writer stalls the reader instead of
//! letting chunks pile up.
//!
//! Every file this command writes (the output, each file of an output directory, annotations,
//! rejects, report) is written to a temporary file in the same directory and renamed into place
//! when complete, so an interrupted run leaves no half-written file under the final name (only a
//! `.phirewall-*.tmp` file, which is removed on an ordinary error).
//!
//! Nothing this command prints or writes besides the de-identified output holds record text:
//! rejects, annotations and the report carry positions, kinds and counts only. The rejects file
//! does not copy the rejected records either: it would be the one file next to de-identified
//! output that holds raw PHI. The line numbers find them in the input.

use std::collections::BTreeMap;
use std::fs::{self, File};
use std::io::{self, BufReader, BufWriter, IsTerminal, Read, Write};
use std::ops::Range;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::mpsc::{sync_channel, Receiver, SyncSender};
use std::time::{Duration, Instant};

use clap::Args;
use phirewall::{
    Deidentified, Deidentifier, Engine, Kind, Known, OffsetIndex, Policy, Secret, PRESETS,
};
use phirewall_cli::input::{
    decode_string, decode_strings, parse_known, parse_object, row_text, CsvChunks, CsvStartError,
    InputError, LineChunk, LineChunks, Reason,
};
use rayon::prelude::*;
use serde::Serialize;
use sha2::{Digest, Sha256};

use crate::error::CliError;

/// JSON Lines and CSV chunks: at most this many records...
const CHUNK_RECORDS: usize = 2048;
/// ...or about this many bytes.
const CHUNK_BYTES: usize = 4 << 20;
/// Text files: at most this many files per chunk (and `CHUNK_BYTES`).
const CHUNK_FILES: usize = 256;
/// The most records one rayon task takes in a row: small, so that the workers finish a chunk
/// together (a split costs far less than a record).
const RECORDS_PER_TASK: usize = 4;
/// The environment variable read for the secret when neither `--secret-file` nor `--secret-env`
/// is given.
pub const SECRET_ENV: &str = "PHIREWALL_SECRET";
/// Rejected records reported one by one on stderr; the rest are counted (all are in `--rejects`).
const MAX_REJECT_MESSAGES: usize = 20;

/// Arguments of `phirewall deid`.
#[derive(Debug, Args)]
#[command(after_long_help = AFTER_HELP)]
pub struct DeidArgs {
    /// Inputs: plain text files (each file is one record) or one directory (every file under
    /// it, mirrored into the output directory); with --jsonl or --csv, one file. `-` or nothing
    /// reads standard input.
    pub inputs: Vec<PathBuf>,
    /// Where to write: a file (written atomically), or a directory for a directory or several
    /// files. Default: standard output.
    #[arg(short, long, value_name = "PATH")]
    pub output: Option<PathBuf>,
    /// The policy: safe-harbor, surrogate, llm-prompt, or a policy file (.toml or .json).
    /// llm-prompt writes the same surrogates as surrogate: the vault that restores them is
    /// kept by the library (`Deidentifier::pseudonymize`), not by this batch command, which
    /// would have to hold one entry per value of the whole corpus.
    #[arg(long, value_name = "NAME|FILE")]
    pub policy: String,
    /// Read the secret for keyed operators (hash, surrogate, date shift) from this file; one
    /// trailing newline is ignored.
    #[arg(long, value_name = "PATH")]
    pub secret_file: Option<PathBuf>,
    /// Read the secret from this environment variable. Without --secret-file or --secret-env,
    /// PHIREWALL_SECRET is read if it is set. There is no default secret.
    #[arg(long, value_name = "VAR", conflicts_with = "secret_file")]
    pub secret_env: Option<String>,
    /// Read JSON Lines: one object per line; the --fields are de-identified and every other
    /// field is passed through as written.
    #[arg(long, conflicts_with = "csv")]
    pub jsonl: bool,
    /// Read CSV with a header row; the --columns are de-identified and every other column is
    /// passed through.
    #[arg(long)]
    pub csv: bool,
    /// The JSON fields or CSV columns to de-identify, comma-separated.
    #[arg(
        long,
        visible_alias = "columns",
        value_name = "NAMES",
        value_delimiter = ',',
        default_value = "text"
    )]
    pub fields: Vec<String>,
    /// The field or column with the patient key (an MRN, a study id): the dates of one patient
    /// move by the same number of days in every record. Without it every record is its own
    /// patient. With a policy that shifts dates, a record without a key is rejected.
    #[arg(long, value_name = "NAME")]
    pub patient_field: Option<String>,
    /// Text files: the patient key is the directory holding the file (one folder per patient)
    /// instead of the file's own path.
    #[arg(long, conflicts_with_all = ["jsonl", "csv"])]
    pub patient_by_dir: bool,
    /// JSON Lines: a field holding known identifiers as an object, as for `phirewall detect`
    /// (`{"names": [...], "mrn": "...", "addresses": [...], "ids": [{"kind", "value"}]}`).
    #[arg(long, value_name = "NAME", default_value = "known")]
    pub known_field: String,
    /// Fields or columns holding the patient's (or a relative's) name, comma-separated. In JSON a
    /// field may hold a string or an array of strings.
    #[arg(long, value_name = "NAMES", value_delimiter = ',')]
    pub known_name_fields: Vec<String>,
    /// Fields or columns holding the medical record number.
    #[arg(long, value_name = "NAMES", value_delimiter = ',')]
    pub known_mrn_fields: Vec<String>,
    /// Fields or columns holding a postal address ("12 Elm St, Springfield, MA 01101").
    #[arg(long, value_name = "NAMES", value_delimiter = ',')]
    pub known_address_fields: Vec<String>,
    /// Keep the patient key and known-identifier fields in the output. By default they are
    /// dropped: they are identifiers themselves.
    #[arg(long)]
    pub keep_key_fields: bool,
    /// Write the replacements as JSON Lines (kinds, operators and offsets, never text).
    #[arg(long, value_name = "FILE")]
    pub annotations: Option<PathBuf>,
    /// Write a JSON report: counts per kind, policy hash, versions, input and output SHA-256,
    /// records read, written and rejected. It holds no text and no secret.
    #[arg(long, value_name = "FILE")]
    pub report: Option<PathBuf>,
    /// Write the rejected records' positions and reasons as JSON Lines (never their text).
    #[arg(long, value_name = "FILE")]
    pub rejects: Option<PathBuf>,
    /// Worker threads. Default: the number of available cores.
    #[arg(long, value_name = "N", value_parser = clap::value_parser!(u16).range(1..))]
    pub threads: Option<u16>,
}

const AFTER_HELP: &str = "\
Examples:
  phirewall deid --policy safe-harbor note.txt > note.deid.txt
  phirewall deid --policy surrogate --secret-file key.bin --jsonl notes.jsonl -o notes.deid.jsonl \\
      --patient-field mrn --known-name-fields patient_name --report report.json
  phirewall deid --policy surrogate --secret-env DEID_KEY notes/ -o notes-deid/ --patient-by-dir
  phirewall deid --policy policy.toml --csv --columns note,comment in.csv -o out.csv

Exit codes: 0 success; 1 usage, configuration or I/O error (nothing is written under the final
names); 2 some records were rejected (the others are written; see --rejects).";

/// How a `deid` run ended, when it ran to the end.
#[derive(Debug, Default)]
pub struct Summary {
    /// Records read (rejected ones included).
    pub read: u64,
    /// Records written.
    pub written: u64,
    /// Records rejected (reported on stderr and in `--rejects`).
    pub rejected: u64,
}

/// The input format.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Format {
    Text,
    Jsonl,
    Csv,
}

impl Format {
    fn as_str(self) -> &'static str {
        match self {
            Format::Text => "text",
            Format::Jsonl => "jsonl",
            Format::Csv => "csv",
        }
    }
}

/// Everything a worker needs to de-identify one record.
struct Job {
    deid: Deidentifier,
    fields: Vec<String>,
    patient_field: Option<String>,
    patient_by_dir: bool,
    known_field: String,
    known_names: Vec<String>,
    known_mrns: Vec<String>,
    known_addresses: Vec<String>,
    keep_key_fields: bool,
    annotate: bool,
    /// CSV: the index of every column in `fields`, and of the key columns.
    csv: Option<CsvColumns>,
}

#[derive(Default)]
struct CsvColumns {
    header: Vec<String>,
    text: Vec<usize>,
    patient: Option<usize>,
    names: Vec<usize>,
    mrns: Vec<usize>,
    addresses: Vec<usize>,
    /// The columns written, in order.
    out: Vec<usize>,
}

/// A chunk of records as read. JSON lines are ranges of `bytes`: the reader fills one buffer
/// per chunk ([`LineChunks::next_chunk_into`]) rather than allocating a line at a time, and the
/// buffer goes back to it to be filled again once the chunk is done.
struct Batch {
    bytes: Vec<u8>,
    work: Vec<Work>,
}

/// One record as read.
enum Work {
    /// A JSON line: its bytes in the batch's buffer.
    Line(usize, Result<Range<usize>, Reason>),
    /// A CSV row.
    Row(usize, Result<csv::ByteRecord, Reason>),
    /// A whole text file, by its path relative to the input root.
    File(PathBuf, Result<Vec<u8>, InputError>),
}

/// One record processed.
struct Done {
    /// The line the record starts on (0 for a text file).
    line: usize,
    /// For text files, the path relative to the input root.
    path: Option<PathBuf>,
    /// The output bytes, or why the record was rejected.
    result: Result<Vec<u8>, Reason>,
    /// Annotation lines (JSON Lines), when asked for.
    annotations: Vec<u8>,
    /// Replacements per kind, indexed by `Kind::ALL` position (an array: no allocation per
    /// record).
    counts: [u64; KINDS],
}

/// The number of identifier kinds.
const KINDS: usize = Kind::ALL.len();

/// Runs `deid`.
pub fn run(args: &DeidArgs) -> Result<Summary, CliError> {
    let started = Instant::now();
    let format = match (args.jsonl, args.csv) {
        (true, _) => Format::Jsonl,
        (_, true) => Format::Csv,
        _ => Format::Text,
    };
    check_fields(args, format)?;
    let (policy_label, policy) = load_policy(&args.policy)?;
    let secret = if policy.needs_secret() {
        match load_secret(args)? {
            Some(secret) => Some(secret),
            None => {
                return Err(CliError::Config(format!(
                    "policy {policy_label:?} uses keyed operators (hash, surrogate or date \
                     shift) and needs a secret: pass --secret-file PATH or --secret-env VAR, or \
                     set {SECRET_ENV}. There is no default secret."
                )))
            }
        }
    } else {
        None
    };
    let policy_json =
        serde_json::to_string(&policy).map_err(|_| CliError::Config("policy encoding".into()))?;
    let policy_sha256 = hex(&Sha256::digest(policy_json.as_bytes()));
    // The engine compiles its patterns and opens the dictionary; the surrogate word lists are
    // built from the dictionary. Building them on a second thread meanwhile takes them off the
    // serial start of the run (the first surrogate would build them while the other workers
    // wait for them).
    let (engine, warm) = std::thread::scope(|scope| {
        let warm = scope.spawn(|| Deidentifier::warm_up(&policy));
        (Engine::new(), warm.join())
    });
    warm.map_err(|_| CliError::Config("the start-up thread failed".into()))??;
    let deid = Deidentifier::new(engine?, policy, secret)
        .map_err(|e| CliError::Config(format!("policy {policy_label:?}: {e}")))?;

    let threads = match args.threads {
        Some(n) => usize::from(n),
        None => std::thread::available_parallelism().map_or(1, |n| n.get()),
    };
    let pool = rayon::ThreadPoolBuilder::new()
        .num_threads(threads)
        .thread_name(|i| format!("phirewall-deid-{i}"))
        .build()?;

    let mut job = Job {
        deid,
        fields: args.fields.clone(),
        patient_field: args.patient_field.clone(),
        patient_by_dir: args.patient_by_dir,
        known_field: args.known_field.clone(),
        known_names: args.known_name_fields.clone(),
        known_mrns: args.known_mrn_fields.clone(),
        known_addresses: args.known_address_fields.clone(),
        keep_key_fields: args.keep_key_fields,
        annotate: args.annotations.is_some(),
        csv: None,
    };

    let plan = plan_io(args, format)?;
    let progress = Progress::new(plan.total_bytes);
    let mut sink = Sink::open(&plan, args)?;

    // The reader: a source of chunks. It is set up here (so that a missing file or a bad CSV
    // header is an error before anything runs) and then moved to its thread.
    let source = Source::open(&plan, &progress)?;
    if let Source::Csv { reader, .. } = &source {
        let columns = csv_columns(reader.header(), &job)?;
        sink.write_csv_header(&columns)?;
        job.csv = Some(columns);
    }

    let (work_tx, work_rx) = sync_channel::<Batch>(1);
    let (done_tx, done_rx) = sync_channel::<Vec<Done>>(1);
    // Buffers of finished batches, back to the reader (when it has not enough already).
    let (spare_tx, spare_rx) = sync_channel::<Vec<u8>>(2);
    let (read_result, write_result) = std::thread::scope(|scope| {
        let progress = &progress;
        // Named, like the workers, so that a profile tells the stages apart.
        let reader = std::thread::Builder::new()
            .name("phirewall-read".into())
            .spawn_scoped(scope, move || source.run(work_tx, spare_rx, progress));
        let writer = std::thread::Builder::new()
            .name("phirewall-write".into())
            .spawn_scoped(scope, || sink.run(done_rx, progress));
        let (reader, writer) = match (reader, writer) {
            (Ok(reader), Ok(writer)) => (reader, writer),
            // Without threads nothing was read or written; the channels' ends are gone, so
            // a stage that did start stops at once.
            _ => {
                let failed = "could not start the reader and writer threads";
                return (
                    Err(CliError::Config(failed.into())),
                    Err(CliError::Config(failed.into())),
                );
            }
        };
        for Batch { bytes, work } in work_rx {
            // Every worker waits at the end of a chunk for the last record of the others. rayon
            // would otherwise hand out runs of up to a quarter of the chunk, which a worker that
            // is done cannot split (with two workers that left one idle 3-10% of each chunk);
            // runs of at most RECORDS_PER_TASK records leave it idle for a few records at most.
            let done: Vec<Done> = pool.install(|| {
                work.into_par_iter()
                    .with_max_len(RECORDS_PER_TASK)
                    .map(|w| job.process(w, &bytes))
                    .collect()
            });
            let _ = spare_tx.try_send(bytes);
            if done_tx.send(done).is_err() {
                // The writer stopped on an error; it reports it below.
                break;
            }
        }
        drop(done_tx);
        let read = reader
            .join()
            .unwrap_or_else(|_| Err(CliError::Config("the reader thread failed".into())));
        let write = writer
            .join()
            .unwrap_or_else(|_| Err(CliError::Config("the writer thread failed".into())));
        (read, write)
    });
    let written = write_result?;
    let input_digest = read_result?;
    progress.finish();

    let summary = Summary {
        read: written.records + written.rejected,
        written: written.records,
        rejected: written.rejected,
    };
    let output_digest = sink.finish()?;
    if let Some(path) = &args.report {
        let report = Report {
            phirewall_version: env!("CARGO_PKG_VERSION"),
            dictionary_version: phirewall_dicts::VERSION,
            dictionary_sha256: hex(&Sha256::digest(phirewall_dicts::TERMS)),
            policy: policy_label,
            policy_sha256,
            format: format.as_str(),
            input: input_digest,
            output: output_digest,
            records: RecordCounts {
                read: summary.read,
                written: summary.written,
                rejected: summary.rejected,
            },
            replacements: Kind::ALL
                .iter()
                .zip(&written.counts)
                .filter(|(_, n)| **n > 0)
                .map(|(k, n)| (k.as_str(), *n))
                .collect(),
            threads,
            seconds: started.elapsed().as_secs_f64(),
        };
        let mut json = serde_json::to_vec_pretty(&report)
            .map_err(|_| CliError::Config("report encoding".into()))?;
        json.push(b'\n');
        let mut file = AtomicFile::create(path)?;
        file.write(&json)?;
        file.commit()?;
    }
    Ok(summary)
}

/// Rejects field options that would be silently ignored or would drop the text to de-identify.
fn check_fields(args: &DeidArgs, format: Format) -> Result<(), CliError> {
    let keys: Vec<&String> = args
        .patient_field
        .iter()
        .chain(&args.known_name_fields)
        .chain(&args.known_mrn_fields)
        .chain(&args.known_address_fields)
        .collect();
    if format == Format::Text && !keys.is_empty() {
        return Err(CliError::Config(
            "--patient-field and --known-*-fields apply to --jsonl and --csv records".into(),
        ));
    }
    let known_object = (format == Format::Jsonl).then_some(&args.known_field);
    if let Some(f) = args
        .fields
        .iter()
        .find(|f| keys.contains(f) || known_object == Some(*f))
    {
        return Err(CliError::Config(format!(
            "{f:?} cannot be both a field to de-identify and a key field"
        )));
    }
    if args.fields.iter().any(String::is_empty) {
        return Err(CliError::Config("--fields: a field name is empty".into()));
    }
    Ok(())
}

/// A preset by name, or a policy file by its extension. The label (preset name or file name)
/// goes into messages and the report.
fn load_policy(spec: &str) -> Result<(String, Policy), CliError> {
    if PRESETS.contains(&spec) {
        let policy = Policy::preset(spec).map_err(|e| CliError::Config(e.to_string()))?;
        return Ok((spec.to_string(), policy));
    }
    let path = Path::new(spec);
    let ext = path.extension().and_then(|e| e.to_str()).unwrap_or("");
    if !matches!(ext, "toml" | "json") {
        return Err(CliError::Config(format!(
            "--policy: expected {} or a .toml or .json policy file",
            PRESETS.join(", ")
        )));
    }
    let text = fs::read_to_string(path).map_err(|error| CliError::Read {
        source_name: spec.to_string(),
        error,
    })?;
    let policy = if ext == "toml" {
        Policy::from_toml(&text)
    } else {
        Policy::from_json(&text)
    }
    .and_then(|p| p.validate().map(|()| p))
    .map_err(|e| CliError::Config(format!("{spec}: {e}")))?;
    let label = path
        .file_name()
        .map_or_else(|| spec.to_string(), |n| n.to_string_lossy().into_owned());
    Ok((label, policy))
}

/// The secret from `--secret-file`, `--secret-env` or `PHIREWALL_SECRET`, in that order. No
/// message here ever includes the secret, only where it was looked for.
fn load_secret(args: &DeidArgs) -> Result<Option<Secret>, CliError> {
    let bytes = if let Some(path) = &args.secret_file {
        let mut bytes = fs::read(path).map_err(|error| CliError::Read {
            source_name: format!("secret file {}", path.display()),
            error,
        })?;
        if bytes.ends_with(b"\n") {
            bytes.pop();
            if bytes.ends_with(b"\r") {
                bytes.pop();
            }
        }
        warn_if_shared(path);
        bytes
    } else if let Some(var) = &args.secret_env {
        match std::env::var_os(var) {
            Some(value) => os_bytes(value),
            None => {
                return Err(CliError::Config(format!(
                    "--secret-env: the environment variable {var} is not set"
                )))
            }
        }
    } else {
        match std::env::var_os(SECRET_ENV) {
            Some(value) => os_bytes(value),
            None => return Ok(None),
        }
    };
    Secret::new(bytes)
        .map(Some)
        .map_err(|e| CliError::Config(e.to_string()))
}

#[cfg(unix)]
fn os_bytes(value: std::ffi::OsString) -> Vec<u8> {
    use std::os::unix::ffi::OsStringExt;
    value.into_vec()
}

#[cfg(not(unix))]
fn os_bytes(value: std::ffi::OsString) -> Vec<u8> {
    value.to_string_lossy().into_owned().into_bytes()
}

/// Warns when the secret file can be read by other users.
#[cfg(unix)]
fn warn_if_shared(path: &Path) {
    use std::os::unix::fs::PermissionsExt;
    if let Ok(meta) = fs::metadata(path) {
        if meta.permissions().mode() & 0o077 != 0 {
            crate::warn(format_args!(
                "warning: the secret file {} is readable by other users (chmod 600 it)",
                path.display()
            ));
        }
    }
}

#[cfg(not(unix))]
fn warn_if_shared(_: &Path) {}

/// Where records come from and where they go.
struct Plan {
    format: Format,
    /// The input name for messages and rejects (`<stdin>` for standard input).
    input_name: String,
    /// JSON Lines, CSV or a single text file: the file (`None` for standard input).
    input: Option<PathBuf>,
    /// Text files: the files, by absolute path and path relative to the input root.
    files: Vec<(PathBuf, PathBuf)>,
    /// Whether the output is a directory of files (text mode with a directory or several files).
    output_dir: Option<PathBuf>,
    /// The output file (`None` for standard output, or when `output_dir` is set).
    output: Option<PathBuf>,
    /// The input size when known, for the progress line.
    total_bytes: Option<u64>,
    /// Whether to hash the input and output (only the report shows the hashes).
    checksums: bool,
}

fn plan_io(args: &DeidArgs, format: Format) -> Result<Plan, CliError> {
    let is_stdin = |p: &Path| p.as_os_str() == "-";
    let inputs: Vec<&PathBuf> = args.inputs.iter().collect();
    let single = |input: Option<&PathBuf>| -> Result<Plan, CliError> {
        let input = input.filter(|p| !is_stdin(p)).cloned();
        if let (Some(i), Some(o)) = (&input, &args.output) {
            if same_file(i, o) {
                return Err(CliError::Config(
                    "the output would overwrite the input; choose another -o".into(),
                ));
            }
        }
        let total_bytes = input
            .as_ref()
            .and_then(|p| fs::metadata(p).ok())
            .map(|m| m.len());
        Ok(Plan {
            format,
            input_name: input
                .as_ref()
                .map_or_else(|| "<stdin>".to_string(), |p| p.display().to_string()),
            files: Vec::new(),
            output_dir: None,
            output: args.output.clone(),
            input,
            total_bytes,
            checksums: args.report.is_some(),
        })
    };
    if format != Format::Text {
        return match inputs.as_slice() {
            [] => single(None),
            [one] if !one.is_dir() => single(Some(one)),
            _ => Err(CliError::Config(
                "--jsonl and --csv read one file (or standard input)".into(),
            )),
        };
    }
    let dirs = inputs.iter().filter(|p| p.is_dir()).count();
    let to_dir = dirs > 0 || inputs.len() > 1 || args.output.as_ref().is_some_and(|o| o.is_dir());
    if !to_dir {
        return single(inputs.first().copied());
    }
    let out = args.output.clone().ok_or_else(|| {
        CliError::Config("a directory or several files need -o DIR for the output".into())
    })?;
    let mut files = Vec::new();
    match inputs.as_slice() {
        [dir] if dir.is_dir() => walk(dir, Path::new(""), &mut files)?,
        _ if dirs > 0 => {
            return Err(CliError::Config(
                "give one directory, or files, not both".into(),
            ))
        }
        _ => {
            for p in &inputs {
                if is_stdin(p) {
                    return Err(CliError::Config(
                        "standard input cannot be one of several inputs".into(),
                    ));
                }
                let name = p.file_name().map(PathBuf::from).ok_or_else(|| {
                    CliError::Config(format!("{} is not a file name", p.display()))
                })?;
                if files.iter().any(|(_, rel)| *rel == name) {
                    return Err(CliError::Config(format!(
                        "two inputs are named {}; they would share one output file",
                        name.display()
                    )));
                }
                files.push(((*p).clone(), name));
            }
        }
    }
    fs::create_dir_all(&out).map_err(|error| CliError::WriteFile {
        path: out.display().to_string(),
        error,
    })?;
    if let ([dir], Ok(out_abs)) = (inputs.as_slice(), out.canonicalize()) {
        if let Ok(in_abs) = dir.canonicalize() {
            if out_abs.starts_with(&in_abs) || in_abs.starts_with(&out_abs) {
                return Err(CliError::Config(
                    "the output directory and the input directory must not contain each other"
                        .into(),
                ));
            }
        }
    }
    let total_bytes = files
        .iter()
        .map(|(p, _)| fs::metadata(p).map_or(0, |m| m.len()))
        .sum();
    Ok(Plan {
        format,
        input_name: inputs
            .first()
            .map_or_else(String::new, |p| p.display().to_string()),
        input: None,
        files,
        output_dir: Some(out),
        output: None,
        total_bytes: Some(total_bytes),
        checksums: args.report.is_some(),
    })
}

/// Every regular file under `dir`, sorted by path, with its path relative to the root. Symbolic
/// links are not followed (they could lead out of the tree or into a loop).
fn walk(dir: &Path, rel: &Path, files: &mut Vec<(PathBuf, PathBuf)>) -> Result<(), CliError> {
    let read_error = |error| CliError::Read {
        source_name: dir.display().to_string(),
        error,
    };
    let mut entries = fs::read_dir(dir)
        .map_err(read_error)?
        .collect::<Result<Vec<_>, _>>()
        .map_err(read_error)?;
    entries.sort_by_key(|e| e.file_name());
    for entry in entries {
        let kind = entry.file_type().map_err(read_error)?;
        let rel = rel.join(entry.file_name());
        if kind.is_dir() {
            walk(&entry.path(), &rel, files)?;
        } else if kind.is_file() {
            files.push((entry.path(), rel));
        }
    }
    Ok(())
}

fn same_file(a: &Path, b: &Path) -> bool {
    match (a.canonicalize(), b.canonicalize()) {
        (Ok(a), Ok(b)) => a == b,
        _ => false,
    }
}

/// The CSV column indexes of the fields the job reads.
fn csv_columns(header: &[String], job: &Job) -> Result<CsvColumns, CliError> {
    let index = |name: &String| {
        header
            .iter()
            .position(|h| h == name)
            .ok_or_else(|| CliError::Config(format!("the CSV header has no column named {name:?}")))
    };
    let all = |names: &[String]| names.iter().map(index).collect::<Result<Vec<_>, _>>();
    let mut c = CsvColumns {
        header: header.to_vec(),
        text: all(&job.fields)?,
        patient: job.patient_field.as_ref().map(index).transpose()?,
        names: all(&job.known_names)?,
        mrns: all(&job.known_mrns)?,
        addresses: all(&job.known_addresses)?,
        out: Vec::new(),
    };
    let keys: Vec<usize> = c
        .patient
        .iter()
        .chain(&c.names)
        .chain(&c.mrns)
        .chain(&c.addresses)
        .copied()
        .collect();
    if keys.iter().any(|k| c.text.contains(k)) {
        return Err(CliError::Config(
            "a column cannot be both de-identified and a key column".into(),
        ));
    }
    c.out = (0..header.len())
        .filter(|i| job.keep_key_fields || !keys.contains(i))
        .collect();
    Ok(c)
}

impl Job {
    /// Processes one record; `bytes` is the buffer of its batch (see [`Batch`]).
    fn process(&self, work: Work, bytes: &[u8]) -> Done {
        let mut done = Done {
            line: 0,
            path: None,
            result: Ok(Vec::new()),
            annotations: Vec::new(),
            counts: [0; KINDS],
        };
        // The library is written not to panic; should it, one record is rejected rather than
        // the run stopped. The panic hook in `main` keeps the message (which could quote the
        // text) off stderr.
        let result = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| match work {
            Work::Line(line, range) => {
                done.line = line;
                range
                    .and_then(|r| bytes.get(r).ok_or(Reason::Internal))
                    .and_then(|b| self.jsonl(line, b, &mut done))
            }
            Work::Row(line, row) => {
                done.line = line;
                row.and_then(|r| self.csv_row(line, &r, &mut done))
            }
            Work::File(path, bytes) => {
                let result = match bytes {
                    Ok(b) => self.text_file(&path, b, &mut done),
                    Err(e) => {
                        done.line = e.line;
                        Err(e.reason)
                    }
                };
                done.path = Some(path);
                result
            }
        }));
        done.result = result.unwrap_or(Err(Reason::Internal));
        done
    }

    /// De-identifies one text and counts and annotates its replacements.
    fn one(
        &self,
        text: &str,
        key: Option<&str>,
        known: Option<&Known>,
        where_: Where<'_>,
        done: &mut Done,
    ) -> Result<Deidentified, Reason> {
        let out = match known {
            Some(known) => self.deid.deidentify_known(text, key, known),
            None => self.deid.deidentify(text, key),
        }
        // The only errors are a missing secret or patient key, both checked before this.
        .map_err(|_| Reason::Internal)?;
        for r in &out.replacements {
            if let Some(i) = Kind::ALL.iter().position(|k| *k == r.kind) {
                if let Some(n) = done.counts.get_mut(i) {
                    *n += 1;
                }
            }
        }
        if self.annotate {
            annotate(text, &out, where_, &mut done.annotations);
        }
        Ok(out)
    }

    /// The patient key to use: the record's own when given, else `record:<line>` (one patient
    /// per record). `None` only when the policy does not shift dates.
    fn key_or(&self, given: Option<String>, line: usize) -> Result<Option<String>, Reason> {
        match (&self.patient_field, given) {
            (_, Some(key)) if !key.is_empty() => Ok(Some(key)),
            (Some(field), _) if self.deid.policy().shifts_dates() => {
                Err(Reason::MissingPatientKey {
                    field: field.clone(),
                })
            }
            (Some(_), _) => Ok(None),
            (None, _) => Ok(Some(record_key(line))),
        }
    }

    fn jsonl(&self, line: usize, bytes: &[u8], done: &mut Done) -> Result<Vec<u8>, Reason> {
        let obj = parse_object(bytes)?;
        let not_text = |field: &str| Reason::NotText {
            field: field.to_string(),
        };
        let given_key = match &self.patient_field {
            None => None,
            Some(field) => match obj.get(field) {
                None => None,
                Some(raw) if raw.get() == "null" => None,
                Some(raw) if raw.get().starts_with('"') => Some(
                    decode_string(raw)
                        .ok_or_else(|| not_text(field))?
                        .into_owned(),
                ),
                // A number is used as written, so 00123 and 123 stay different patients.
                Some(raw)
                    if raw
                        .get()
                        .starts_with(['-', '0', '1', '2', '3', '4', '5', '6', '7', '8', '9']) =>
                {
                    Some(raw.get().to_string())
                }
                Some(_) => return Err(not_text(field)),
            },
        };
        let key = self.key_or(given_key, line)?;

        let mut known = match obj.get(&self.known_field) {
            Some(raw) => parse_known(raw)?,
            None => None,
        };
        for (fields, add) in [
            (&self.known_names, Known::name as fn(Known, &str) -> Known),
            (&self.known_mrns, Known::mrn),
            (&self.known_addresses, Known::address),
        ] {
            for field in fields {
                if let Some(raw) = obj.get(field) {
                    let values = decode_strings(raw).ok_or_else(|| not_text(field))?;
                    for v in values {
                        known = Some(add(known.unwrap_or_default(), &v));
                    }
                }
            }
        }

        let mut out = Vec::with_capacity(bytes.len() + 64);
        out.push(b'{');
        let mut any_text = false;
        let mut first = true;
        for (name, raw) in &obj.fields {
            let name: &str = name;
            if !self.keep_key_fields && self.is_key_field(name) {
                continue;
            }
            if !first {
                out.push(b',');
            }
            first = false;
            write_json_string(&mut out, name);
            out.push(b':');
            if !self.fields.iter().any(|f| f == name) {
                out.extend_from_slice(raw.get().as_bytes());
                continue;
            }
            any_text = true;
            if raw.get() == "null" {
                out.extend_from_slice(b"null");
                continue;
            }
            let text = decode_string(raw).ok_or_else(|| not_text(name))?;
            let where_ = Where::Field { line, field: name };
            let result = self.one(&text, key.as_deref(), known.as_ref(), where_, done)?;
            write_json_string(&mut out, &result.text);
        }
        if !any_text {
            return Err(Reason::NoTextField);
        }
        out.extend_from_slice(b"}\n");
        Ok(out)
    }

    fn is_key_field(&self, name: &str) -> bool {
        self.patient_field.as_deref() == Some(name)
            || name == self.known_field
            || self.known_names.iter().any(|f| f == name)
            || self.known_mrns.iter().any(|f| f == name)
            || self.known_addresses.iter().any(|f| f == name)
    }

    fn csv_row(
        &self,
        line: usize,
        row: &csv::ByteRecord,
        done: &mut Done,
    ) -> Result<Vec<u8>, Reason> {
        let Some(c) = &self.csv else {
            return Err(Reason::Internal);
        };
        let name = |i: usize| c.header.get(i).map_or("", String::as_str);
        let given_key = match c.patient {
            Some(i) => Some(row_text(row, i, name(i))?.to_string()),
            None => None,
        };
        let key = self.key_or(given_key, line)?;
        let mut known: Option<Known> = None;
        for (cols, add) in [
            (&c.names, Known::name as fn(Known, &str) -> Known),
            (&c.mrns, Known::mrn),
            (&c.addresses, Known::address),
        ] {
            for &i in cols {
                let v = row_text(row, i, name(i))?;
                if !v.trim().is_empty() {
                    known = Some(add(known.unwrap_or_default(), v));
                }
            }
        }
        let mut fields: Vec<Vec<u8>> = Vec::with_capacity(c.out.len());
        for &i in &c.out {
            if c.text.contains(&i) {
                let text = row_text(row, i, name(i))?;
                let where_ = Where::Field {
                    line,
                    field: name(i),
                };
                let result = self.one(text, key.as_deref(), known.as_ref(), where_, done)?;
                fields.push(result.text.into_bytes());
            } else {
                fields.push(row.get(i).unwrap_or_default().to_vec());
            }
        }
        encode_csv_row(&fields)
    }

    fn text_file(&self, path: &Path, bytes: Vec<u8>, done: &mut Done) -> Result<Vec<u8>, Reason> {
        let text = String::from_utf8(bytes).map_err(|e| {
            let err = InputError::invalid_utf8(e.as_bytes(), e.utf8_error().valid_up_to());
            done.line = err.line;
            err.reason
        })?;
        let own = if self.patient_by_dir {
            path.parent().unwrap_or(Path::new(""))
        } else {
            path
        };
        let key = format!("file:{}", own.to_string_lossy());
        let result = self.one(&text, Some(&key), None, Where::File { path }, done)?;
        Ok(result.text.into_bytes())
    }
}

/// `record:<line>`, the patient key of a record without one.
fn record_key(line: usize) -> String {
    format!("record:{line}")
}

/// Encodes one CSV row with its line terminator.
fn encode_csv_row(fields: &[Vec<u8>]) -> Result<Vec<u8>, Reason> {
    let mut w = csv::WriterBuilder::new()
        .buffer_capacity(fields.iter().map(Vec::len).sum::<usize>() + 64)
        .from_writer(Vec::new());
    w.write_record(fields).map_err(|_| Reason::Internal)?;
    w.into_inner().map_err(|_| Reason::Internal)
}

/// Appends `s` as a JSON string, escaped byte for byte as serde_json escapes it (`\"`, `\\`,
/// `\b`, `\f`, `\n`, `\r`, `\t`, other control characters as `\u00xx` in lowercase hex;
/// everything else, non-ASCII included, as it is), so the output is what it always was.
///
/// Every byte of every de-identified text passes through here. serde_json looks each byte up
/// in a table and hands runs to a writer; this tests eight bytes at a time (see
/// [`escape_mask`]), jumps to the first byte to escape and copies plain runs whole.
fn write_json_string(out: &mut Vec<u8>, s: &str) {
    let bytes = s.as_bytes();
    out.reserve(bytes.len() + 2);
    out.push(b'"');
    let mut start = 0;
    let mut i = 0;
    while i < bytes.len() {
        if let Some(word) = bytes.get(i..i + 8) {
            let mut eight = [0u8; 8];
            eight.copy_from_slice(word);
            let mask = escape_mask(u64::from_le_bytes(eight));
            if mask == 0 {
                i += 8;
                continue;
            }
            // The lowest flagged byte is the first to escape (little-endian: byte k is bits
            // 8k..8k+8).
            i += (mask.trailing_zeros() / 8) as usize;
        }
        let b = bytes.get(i).copied().unwrap_or(0);
        if !(b < 0x20 || b == b'"' || b == b'\\') {
            // Only in the last seven bytes, which are looked at one by one.
            i += 1;
            continue;
        }
        out.extend_from_slice(bytes.get(start..i).unwrap_or_default());
        match b {
            b'"' => out.extend_from_slice(b"\\\""),
            b'\\' => out.extend_from_slice(b"\\\\"),
            0x08 => out.extend_from_slice(b"\\b"),
            0x0c => out.extend_from_slice(b"\\f"),
            b'\n' => out.extend_from_slice(b"\\n"),
            b'\r' => out.extend_from_slice(b"\\r"),
            b'\t' => out.extend_from_slice(b"\\t"),
            _ => {
                const HEX: &[u8; 16] = b"0123456789abcdef";
                let hex = |n: u8| HEX.get(usize::from(n)).copied().unwrap_or(b'0');
                out.extend_from_slice(&[b'\\', b'u', b'0', b'0', hex(b >> 4), hex(b & 0xf)]);
            }
        }
        i += 1;
        start = i;
    }
    out.extend_from_slice(bytes.get(start..).unwrap_or_default());
    out.push(b'"');
}

/// The high bit of every byte of `word` that may need escaping in JSON: a control character
/// (below 0x20), a quote or a backslash. Zero when none does. The classic "has a byte below n"
/// test (Bit Twiddling Hacks): subtracting n from each byte borrows into its high bit only for
/// a byte below n, and the `!x` mask drops bytes whose high bit was set already (non-ASCII
/// UTF-8). A borrow can flag bytes above a flagged one falsely, never below it, so the lowest
/// flagged byte is exact and a zero mask means no byte needs escaping.
fn escape_mask(word: u64) -> u64 {
    const ONES: u64 = 0x0101_0101_0101_0101;
    const HIGH: u64 = 0x8080_8080_8080_8080;
    let below = |x: u64, n: u8| x.wrapping_sub(ONES * u64::from(n)) & !x & HIGH;
    let quote = word ^ (ONES * u64::from(b'"'));
    let backslash = word ^ (ONES * u64::from(b'\\'));
    below(word, 0x20) | below(quote, 1) | below(backslash, 1)
}

/// Where a de-identified text sits, for its annotation line.
#[derive(Clone, Copy)]
enum Where<'a> {
    Field { line: usize, field: &'a str },
    File { path: &'a Path },
}

#[derive(Serialize)]
struct Annotation<'a> {
    #[serde(skip_serializing_if = "Option::is_none")]
    line: Option<usize>,
    #[serde(skip_serializing_if = "Option::is_none")]
    field: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    path: Option<String>,
    replacements: Vec<AnnotatedReplacement>,
}

#[derive(Serialize)]
struct AnnotatedReplacement {
    kind: &'static str,
    op: &'static str,
    detector: &'static str,
    start: usize,
    end: usize,
    byte_start: usize,
    byte_end: usize,
    out_start: usize,
    out_end: usize,
    out_byte_start: usize,
    out_byte_end: usize,
}

/// Appends one annotation line: offsets in code points and bytes of the input and output text.
fn annotate(text: &str, out: &Deidentified, where_: Where<'_>, buf: &mut Vec<u8>) {
    let (src, dst) = (OffsetIndex::new(text), OffsetIndex::new(&out.text));
    let (line, field, path) = match where_ {
        Where::Field { line, field } => (Some(line), Some(field), None),
        Where::File { path } => (None, None, Some(path.to_string_lossy().into_owned())),
    };
    let a = Annotation {
        line,
        field,
        path,
        replacements: out
            .replacements
            .iter()
            .map(|r| AnnotatedReplacement {
                kind: r.kind.as_str(),
                op: r.op.as_str(),
                detector: r.detector,
                start: src.char_offset(r.source.start),
                end: src.char_offset(r.source.end),
                byte_start: r.source.start,
                byte_end: r.source.end,
                out_start: dst.char_offset(r.output.start),
                out_end: dst.char_offset(r.output.end),
                out_byte_start: r.output.start,
                out_byte_end: r.output.end,
            })
            .collect(),
    };
    if serde_json::to_writer(&mut *buf, &a).is_ok() {
        buf.push(b'\n');
    }
}

/// Bytes read so far, for the progress line.
struct Progress {
    total: Option<u64>,
    read: AtomicU64,
    shown: bool,
    started: Instant,
}

impl Progress {
    fn new(total: Option<u64>) -> Progress {
        Progress {
            total,
            read: AtomicU64::new(0),
            shown: io::stderr().is_terminal(),
            started: Instant::now(),
        }
    }

    fn add(&self, bytes: u64) {
        self.read.fetch_add(bytes, Ordering::Relaxed);
    }

    fn draw(&self, records: u64) {
        if !self.shown {
            return;
        }
        let read = self.read.load(Ordering::Relaxed) as f64 / 1e6;
        let secs = self.started.elapsed().as_secs_f64().max(1e-3);
        let of = match self.total {
            Some(t) if t > 0 => format!(
                " of {:.1} MB ({:.0}%)",
                t as f64 / 1e6,
                (read * 1e6 / t as f64 * 100.0).min(100.0)
            ),
            _ => String::new(),
        };
        let _ = write!(
            io::stderr().lock(),
            "\rphirewall: {read:.1} MB{of}, {records} records, {:.1} MB/s   ",
            read / secs
        );
    }

    fn finish(&self) {
        if self.shown {
            let _ = writeln!(io::stderr().lock());
        }
    }
}

/// A reader that hashes what passes through it and counts it for the progress line.
struct Hashing<'p, R> {
    inner: R,
    hasher: Checksum,
    bytes: u64,
    progress: &'p Progress,
}

impl<R: Read> Read for Hashing<'_, R> {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        let n = self.inner.read(buf)?;
        let data = buf.get(..n).unwrap_or_default();
        self.hasher.update(data);
        self.bytes += n as u64;
        self.progress.add(n as u64);
        Ok(n)
    }
}

/// The input or output's size and SHA-256: of the bytes for one stream; for a directory or
/// several files, of the manifest `sha256sum` would print for them (a line `<hex>  <path>`
/// per file, paths relative to the root, in path order).
#[derive(Debug, Serialize)]
struct Digest256 {
    files: u64,
    bytes: u64,
    sha256: String,
}

/// The reader stage.
enum Source<'p> {
    Lines {
        name: String,
        reader: LineChunks<BufReader<Hashing<'p, Box<dyn Read + Send>>>>,
    },
    Csv {
        name: String,
        reader: CsvChunks<Hashing<'p, Box<dyn Read + Send>>>,
    },
    Files {
        files: Vec<(PathBuf, PathBuf)>,
        manifest: Checksum,
        bytes: u64,
    },
    /// One text file or standard input, written to one output.
    One {
        name: String,
        reader: Hashing<'p, Box<dyn Read + Send>>,
    },
}

impl<'p> Source<'p> {
    fn open(plan: &Plan, progress: &'p Progress) -> Result<Source<'p>, CliError> {
        if plan.output_dir.is_some() {
            return Ok(Source::Files {
                files: plan.files.clone(),
                manifest: Checksum::new(plan.checksums),
                bytes: 0,
            });
        }
        let raw: Box<dyn Read + Send> = match &plan.input {
            None => Box::new(io::stdin()),
            Some(p) => Box::new(File::open(p).map_err(|error| CliError::Read {
                source_name: plan.input_name.clone(),
                error,
            })?),
        };
        let reader = Hashing {
            inner: raw,
            hasher: Checksum::new(plan.checksums),
            bytes: 0,
            progress,
        };
        let name = plan.input_name.clone();
        Ok(match plan.format {
            Format::Jsonl => Source::Lines {
                name,
                reader: LineChunks::new(
                    BufReader::with_capacity(1 << 18, reader),
                    CHUNK_RECORDS,
                    CHUNK_BYTES,
                    crate::detect::MAX_LINE_BYTES,
                ),
            },
            Format::Csv => {
                let reader = CsvChunks::new(
                    reader,
                    CHUNK_RECORDS,
                    CHUNK_BYTES,
                    crate::detect::MAX_LINE_BYTES,
                )
                .map_err(|e| match e {
                    CsvStartError::Io(error) => CliError::Read {
                        source_name: name.clone(),
                        error,
                    },
                    CsvStartError::BadHeader => CliError::Config(format!(
                        "{name}: the CSV header row is missing or not UTF-8"
                    )),
                })?;
                Source::Csv { name, reader }
            }
            Format::Text => Source::One { name, reader },
        })
    }

    /// Sends batches until the input ends; returns the input digest. JSON lines are read into
    /// the buffers that come back on `spare` when there are any.
    fn run(
        self,
        tx: SyncSender<Batch>,
        spare: Receiver<Vec<u8>>,
        progress: &Progress,
    ) -> Result<Digest256, CliError> {
        let read_error = |name: &str, error| CliError::Read {
            source_name: name.to_string(),
            error,
        };
        match self {
            Source::Lines { name, mut reader } => {
                let mut chunk = LineChunk::default();
                loop {
                    // A new buffer takes a whole chunk (and a line more) from the start, rather
                    // than doubling its way there.
                    chunk.bytes = spare
                        .try_recv()
                        .unwrap_or_else(|_| Vec::with_capacity(CHUNK_BYTES + (64 << 10)));
                    if !reader
                        .next_chunk_into(&mut chunk)
                        .map_err(|e| read_error(&name, e))?
                    {
                        break;
                    }
                    let batch = Batch {
                        bytes: std::mem::take(&mut chunk.bytes),
                        work: chunk
                            .lines
                            .drain(..)
                            .map(|(l, r)| Work::Line(l, r))
                            .collect(),
                    };
                    if tx.send(batch).is_err() {
                        break;
                    }
                }
                let hashing = reader.into_inner().into_inner();
                Ok(stream_digest(hashing))
            }
            Source::Csv { name, mut reader } => {
                let mut chunk = Vec::new();
                while reader
                    .next_chunk(&mut chunk)
                    .map_err(|e| read_error(&name, e))?
                {
                    let work = chunk.drain(..).map(|(l, r)| Work::Row(l, r)).collect();
                    let batch = Batch {
                        bytes: Vec::new(),
                        work,
                    };
                    if tx.send(batch).is_err() {
                        break;
                    }
                }
                Ok(stream_digest(reader.into_inner()))
            }
            Source::One { name, mut reader } => {
                let mut bytes = Vec::new();
                reader
                    .read_to_end(&mut bytes)
                    .map_err(|e| read_error(&name, e))?;
                let bytes = match String::from_utf8(bytes) {
                    Ok(s) => Ok(s.into_bytes()),
                    Err(e) => Err(InputError::invalid_utf8(
                        e.as_bytes(),
                        e.utf8_error().valid_up_to(),
                    )),
                };
                // The file's name, not the path as typed: "note.txt" and "./note.txt" are the
                // same patient.
                let own = Path::new(&name)
                    .file_name()
                    .map_or_else(|| PathBuf::from("-"), PathBuf::from);
                let _ = tx.send(Batch {
                    bytes: Vec::new(),
                    work: vec![Work::File(own, bytes)],
                });
                Ok(stream_digest(reader))
            }
            Source::Files {
                files,
                mut manifest,
                mut bytes,
            } => {
                let mut chunk = Vec::new();
                let mut chunk_bytes = 0;
                let mut count = 0;
                for (abs, rel) in files {
                    count += 1;
                    let content = match fs::read(&abs) {
                        Ok(b) => b,
                        // A file that vanished or cannot be opened stops the run: skipping it
                        // would leave a hole in the mirrored tree that looks complete.
                        Err(e) => return Err(read_error(&abs.display().to_string(), e)),
                    };
                    progress.add(content.len() as u64);
                    bytes += content.len() as u64;
                    manifest.add_file(&content, &rel);
                    chunk_bytes += content.len();
                    let checked = match std::str::from_utf8(&content) {
                        Ok(_) => Ok(content),
                        Err(e) => Err(InputError::invalid_utf8(&content, e.valid_up_to())),
                    };
                    chunk.push(Work::File(rel, checked));
                    if chunk.len() >= CHUNK_FILES || chunk_bytes >= CHUNK_BYTES {
                        chunk_bytes = 0;
                        let batch = Batch {
                            bytes: Vec::new(),
                            work: std::mem::take(&mut chunk),
                        };
                        if tx.send(batch).is_err() {
                            break;
                        }
                    }
                }
                if !chunk.is_empty() {
                    let _ = tx.send(Batch {
                        bytes: Vec::new(),
                        work: chunk,
                    });
                }
                Ok(Digest256 {
                    files: count,
                    bytes,
                    sha256: manifest.hex(),
                })
            }
        }
    }
}

/// SHA-256 when the report will show it, nothing otherwise: hashing the input and the output
/// costs about 5% of a run.
struct Checksum(Option<Sha256>);

impl Checksum {
    fn new(on: bool) -> Checksum {
        Checksum(on.then(Sha256::new))
    }

    fn update(&mut self, bytes: &[u8]) {
        if let Some(h) = &mut self.0 {
            h.update(bytes);
        }
    }

    /// Adds a manifest line `<sha256 of content>  <path>`, as `sha256sum` prints.
    fn add_file(&mut self, content: &[u8], rel: &Path) {
        if let Some(h) = &mut self.0 {
            h.update(format!("{}  {}\n", hex(&Sha256::digest(content)), rel.display()).as_bytes());
        }
    }

    /// Lower-case hex of the digest; empty when off.
    fn hex(self) -> String {
        self.0.map_or_else(String::new, |h| hex(&h.finalize()))
    }
}

fn stream_digest<R>(h: Hashing<'_, R>) -> Digest256 {
    Digest256 {
        files: 1,
        bytes: h.bytes,
        sha256: h.hasher.hex(),
    }
}

/// Lower-case hex.
fn hex(bytes: &[u8]) -> String {
    use std::fmt::Write as _;
    bytes.iter().fold(String::with_capacity(64), |mut s, b| {
        let _ = write!(s, "{b:02x}");
        s
    })
}

/// A file written under a temporary name in its final directory and renamed into place by
/// [`AtomicFile::commit`]. Dropped without a commit, the temporary file is removed.
struct AtomicFile {
    path: PathBuf,
    out: BufWriter<tempfile::NamedTempFile>,
}

impl AtomicFile {
    fn create(path: &Path) -> Result<AtomicFile, CliError> {
        let dir = match path.parent() {
            Some(p) if !p.as_os_str().is_empty() => p,
            _ => Path::new("."),
        };
        let tmp = tempfile::Builder::new()
            .prefix(".phirewall-")
            .suffix(".tmp")
            .tempfile_in(dir)
            .map_err(|error| CliError::WriteFile {
                path: path.display().to_string(),
                error,
            })?;
        Ok(AtomicFile {
            path: path.to_path_buf(),
            out: BufWriter::with_capacity(1 << 16, tmp),
        })
    }

    fn write(&mut self, bytes: &[u8]) -> Result<(), CliError> {
        self.out
            .write_all(bytes)
            .map_err(|error| CliError::WriteFile {
                path: self.path.display().to_string(),
                error,
            })
    }

    fn commit(self) -> Result<(), CliError> {
        let path = self.path;
        let fail = |error| CliError::WriteFile {
            path: path.display().to_string(),
            error,
        };
        let tmp = self.out.into_inner().map_err(|e| fail(e.into_error()))?;
        tmp.persist(&path).map_err(|e| fail(e.error))?;
        Ok(())
    }
}

/// The main output: standard output or an atomic file, hashed as it is written.
struct Stream {
    file: Option<AtomicFile>,
    stdout: Option<BufWriter<io::Stdout>>,
    hasher: Checksum,
    bytes: u64,
}

impl Stream {
    fn write(&mut self, bytes: &[u8]) -> Result<(), CliError> {
        self.hasher.update(bytes);
        self.bytes += bytes.len() as u64;
        if let Some(f) = &mut self.file {
            f.write(bytes)
        } else if let Some(out) = &mut self.stdout {
            out.write_all(bytes).map_err(CliError::Write)
        } else {
            Ok(())
        }
    }
}

/// What the writer stage counted.
#[derive(Default)]
struct Written {
    records: u64,
    rejected: u64,
    counts: Vec<u64>,
}

/// The writer stage: the output, the annotations and the rejects.
struct Sink {
    input_name: String,
    stream: Option<Stream>,
    dir: Option<PathBuf>,
    dir_manifest: Checksum,
    dir_files: u64,
    dir_bytes: u64,
    annotations: Option<AtomicFile>,
    rejects: Option<AtomicFile>,
}

#[derive(Serialize)]
struct RejectLine<'a> {
    source: &'a str,
    line: usize,
    reason: String,
}

impl Sink {
    fn open(plan: &Plan, args: &DeidArgs) -> Result<Sink, CliError> {
        let stream = match (&plan.output_dir, &plan.output) {
            (Some(_), _) => None,
            (None, Some(path)) => Some(Stream {
                file: Some(AtomicFile::create(path)?),
                stdout: None,
                hasher: Checksum::new(plan.checksums),
                bytes: 0,
            }),
            (None, None) => Some(Stream {
                file: None,
                stdout: Some(BufWriter::with_capacity(1 << 16, io::stdout())),
                hasher: Checksum::new(plan.checksums),
                bytes: 0,
            }),
        };
        Ok(Sink {
            input_name: plan.input_name.clone(),
            stream,
            dir: plan.output_dir.clone(),
            dir_manifest: Checksum::new(plan.checksums),
            dir_files: 0,
            dir_bytes: 0,
            annotations: args
                .annotations
                .as_deref()
                .map(AtomicFile::create)
                .transpose()?,
            rejects: args
                .rejects
                .as_deref()
                .map(AtomicFile::create)
                .transpose()?,
        })
    }

    fn write_csv_header(&mut self, c: &CsvColumns) -> Result<(), CliError> {
        let names: Vec<Vec<u8>> = c
            .out
            .iter()
            .map(|&i| c.header.get(i).cloned().unwrap_or_default().into_bytes())
            .collect();
        let row = encode_csv_row(&names).map_err(|_| CliError::Config("CSV header".into()))?;
        match &mut self.stream {
            Some(s) => s.write(&row),
            None => Ok(()),
        }
    }

    fn run(&mut self, rx: Receiver<Vec<Done>>, progress: &Progress) -> Result<Written, CliError> {
        let mut w = Written {
            counts: vec![0; Kind::ALL.len()],
            ..Written::default()
        };
        let mut last_draw = Instant::now();
        for chunk in rx {
            for done in chunk {
                self.one(done, &mut w)?;
            }
            if last_draw.elapsed() > Duration::from_millis(200) {
                progress.draw(w.records + w.rejected);
                last_draw = Instant::now();
            }
        }
        progress.draw(w.records + w.rejected);
        Ok(w)
    }

    fn one(&mut self, done: Done, w: &mut Written) -> Result<(), CliError> {
        match done.result {
            Ok(bytes) => {
                w.records += 1;
                for (total, n) in w.counts.iter_mut().zip(&done.counts) {
                    *total += n;
                }
                if let Some(a) = &mut self.annotations {
                    a.write(&done.annotations)?;
                }
                match (&mut self.stream, &self.dir, &done.path) {
                    (Some(stream), _, _) => stream.write(&bytes)?,
                    (None, Some(dir), Some(rel)) => {
                        let path = dir.join(rel);
                        if let Some(parent) = path.parent() {
                            fs::create_dir_all(parent).map_err(|error| CliError::WriteFile {
                                path: parent.display().to_string(),
                                error,
                            })?;
                        }
                        let mut file = AtomicFile::create(&path)?;
                        file.write(&bytes)?;
                        file.commit()?;
                        self.dir_files += 1;
                        self.dir_bytes += bytes.len() as u64;
                        self.dir_manifest.add_file(&bytes, rel);
                    }
                    _ => return Err(CliError::Config("output without a destination".into())),
                }
            }
            Err(reason) => {
                w.rejected += 1;
                let source = match &done.path {
                    Some(rel) if self.dir.is_some() => rel.display().to_string(),
                    _ => self.input_name.clone(),
                };
                let error = InputError {
                    line: done.line,
                    reason,
                };
                if w.rejected <= MAX_REJECT_MESSAGES as u64 {
                    crate::warn(format_args!("{source}: {error}"));
                }
                if let Some(r) = &mut self.rejects {
                    let line = RejectLine {
                        source: &source,
                        line: error.line,
                        reason: error.reason.to_string(),
                    };
                    let mut json = serde_json::to_vec(&line)
                        .map_err(|_| CliError::Config("reject encoding".into()))?;
                    json.push(b'\n');
                    r.write(&json)?;
                }
            }
        }
        Ok(())
    }

    /// Renames every file into place and returns the output digest.
    fn finish(self) -> Result<Digest256, CliError> {
        let digest = match self.stream {
            Some(mut s) => {
                if let Some(out) = &mut s.stdout {
                    out.flush().map_err(CliError::Write)?;
                }
                if let Some(f) = s.file.take() {
                    f.commit()?;
                }
                Digest256 {
                    files: 1,
                    bytes: s.bytes,
                    sha256: s.hasher.hex(),
                }
            }
            None => Digest256 {
                files: self.dir_files,
                bytes: self.dir_bytes,
                sha256: self.dir_manifest.hex(),
            },
        };
        if let Some(a) = self.annotations {
            a.commit()?;
        }
        if let Some(r) = self.rejects {
            r.commit()?;
        }
        Ok(digest)
    }
}

#[derive(Serialize)]
struct RecordCounts {
    read: u64,
    written: u64,
    rejected: u64,
}

/// The `--report` file. Only versions, hashes and counts: no text, no path, no secret.
#[derive(Serialize)]
struct Report {
    phirewall_version: &'static str,
    dictionary_version: &'static str,
    dictionary_sha256: String,
    /// The preset name or the policy file's name.
    policy: String,
    /// SHA-256 of the policy as canonical JSON (fixed field order, kinds sorted).
    policy_sha256: String,
    format: &'static str,
    input: Digest256,
    output: Digest256,
    records: RecordCounts,
    /// Replacements per kind.
    replacements: BTreeMap<&'static str, u64>,
    threads: usize,
    seconds: f64,
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Strings with every ASCII byte at every position of an eight-byte word, and non-ASCII.
    fn samples() -> Vec<String> {
        let mut out = vec![
            String::new(),
            "plain text".to_string(),
            "Seen 3/4/21.\nPlan:\t\"rest\" \\ \u{7f} caf\u{e9} \u{2028} \u{1f600}".to_string(),
        ];
        for b in 0u8..0x80 {
            for pos in 0..10 {
                let mut s = "abcdefghij".to_string();
                s.insert(pos, char::from(b));
                out.push(s);
            }
        }
        out
    }

    #[test]
    fn json_strings_are_escaped_as_serde_json_escapes_them() {
        for s in samples() {
            let mut ours = Vec::new();
            write_json_string(&mut ours, &s);
            let theirs = serde_json::to_vec(&s).expect("a string serializes");
            assert_eq!(ours, theirs, "escaping {:?}", s.escape_debug().to_string());
        }
    }
}
