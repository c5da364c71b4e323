//! The CLI's id input, through its own `ids::read` (the CLI's `ids`, `exit`, `text` and
//! `choices` modules are included by path; `args` is a stand-in holding the fields
//! `ids::read` takes, so the command-line surface can change freely): files of lines and CSV files with arbitrary cells (quotes, commas, CRLF, NUL,
//! a BOM, huge fields), and arbitrary bytes. Never a panic; a CSV written by a
//! standard writer reads back as exactly its column; lines never hold a line break.
#![no_main]
#![allow(dead_code)]

#[path = "../../cli/src/choices.rs"]
mod choices;
#[path = "../../cli/src/exit.rs"]
mod exit;
#[path = "../../cli/src/ids.rs"]
mod ids;
#[path = "../../cli/src/text.rs"]
mod text;

use std::path::PathBuf;

use arbitrary::Arbitrary;
use authing_resign::UserIdType;
use libfuzzer_sys::fuzz_target;

/// The parsed command line, as far as `ids::read` looks at it.
mod args {
    pub struct Args {
        pub ids: Vec<String>,
        pub file: Option<std::path::PathBuf>,
        pub column: Option<String>,
        pub id_type: Option<crate::choices::IdType>,
    }
}

fn args(file: PathBuf, column: Option<String>) -> args::Args {
    args::Args {
        ids: Vec::new(),
        file: Some(file),
        column,
        id_type: Some(choices::IdType(UserIdType::Email)),
    }
}

#[derive(Arbitrary, Debug)]
enum Input {
    /// Any bytes as a lines file (or as CSV when `csv`).
    Raw {
        bytes: Vec<u8>,
        csv: bool,
        column: String,
    },
    /// A CSV table written by the csv crate; the ids are column `pick`.
    Table {
        headers: Vec<String>,
        rows: Vec<Vec<String>>,
        pick: usize,
        bom: bool,
        crlf: bool,
    },
}

fuzz_target!(|input: Input| {
    match input {
        Input::Raw { bytes, csv, column } => {
            let path = write(&bytes, if csv { "csv" } else { "txt" });
            let column = (csv && !column.is_empty()).then_some(column);
            if let Ok(ids) = ids::read(&args(path, column)) {
                assert!(!ids.is_empty());
                if !csv {
                    for id in &ids {
                        assert!(!id.is_empty() && !id.contains('\n'), "{id:?}");
                    }
                    // A byte order mark opening the file is dropped; U+FEFF anywhere
                    // else is text and kept as given (the core then judges the id).
                    if let Some(rest) = bytes.strip_prefix("\u{feff}".as_bytes()) {
                        let first = std::str::from_utf8(rest)
                            .ok()
                            .and_then(|text| text.lines().find(|l| !l.is_empty()));
                        assert_eq!(
                            Some(ids[0].as_str()),
                            first,
                            "the BOM is not part of the first id"
                        );
                    }
                }
            }
        }
        Input::Table {
            headers,
            rows,
            pick,
            bom,
            crlf,
        } => table(headers, rows, pick, bom, crlf),
    }
});

fn table(headers: Vec<String>, rows: Vec<Vec<String>>, pick: usize, bom: bool, crlf: bool) {
    if headers.is_empty() || rows.is_empty() {
        return;
    }
    let pick = pick % headers.len();
    let column = headers[pick].clone();
    // The CLI matches header names trimmed, first match wins.
    if column.trim() != column || column.is_empty() {
        return;
    }
    if headers.iter().position(|h| h.trim() == column) != Some(pick) {
        return;
    }
    // A file that starts with U+FEFF starts with a byte order mark, which the CLI drops,
    // and the csv crate drops one more at the start of its input: a first header name
    // starting with U+FEFF cannot be told from a BOM (see README: noticed).
    if headers[0].starts_with('\u{feff}') {
        return;
    }
    let mut writer = csv::WriterBuilder::new()
        .flexible(true)
        .terminator(if crlf {
            csv::Terminator::CRLF
        } else {
            csv::Terminator::Any(b'\n')
        })
        .from_writer(Vec::new());
    writer.write_record(&headers).expect("write headers");
    for row in &rows {
        // An empty record cannot be written distinguishably: give it one empty cell.
        if row.is_empty() {
            writer.write_record([""]).expect("write row");
        } else {
            writer.write_record(row).expect("write row");
        }
    }
    let mut bytes = if bom {
        "\u{feff}".as_bytes().to_vec()
    } else {
        Vec::new()
    };
    bytes.extend(writer.into_inner().expect("flush"));
    let path = write(&bytes, "csv");
    let expected: Vec<String> = rows
        .iter()
        .map(|r| r.get(pick).cloned().unwrap_or_default())
        .collect();
    match ids::read(&args(path, Some(column))) {
        Ok(ids) => assert_eq!(ids, expected),
        Err(e) => panic!("a valid CSV was refused: {e}"),
    }
}

/// Writes `bytes` to this process's scratch file, in memory (`/dev/shm`) when the
/// machine has it: rewritten in place on ext4 for every input, it kept this target
/// waiting on the disk most of its time (about 500 executions/s, most likely ext4's
/// write-back at close of a truncated file; see README.md).
fn write(bytes: &[u8], ext: &str) -> PathBuf {
    let shm = std::path::Path::new("/dev/shm");
    let dir = if shm.is_dir() {
        shm.to_path_buf()
    } else {
        std::env::temp_dir()
    };
    let path = dir.join(format!("authing-resign-fuzz-{}.{ext}", std::process::id()));
    std::fs::write(&path, bytes).expect("write the scratch file");
    path
}
