//! Where the ids come from: arguments, a file of lines, a CSV column, or stdin.

use std::io::Read;
use std::path::Path;

use crate::exit::{usage, CliError};
use crate::text::escape_hidden;

/// Reads the ids in input order. Lines files skip empty lines (a trailing newline is
/// not an id); every other line or CSV cell is kept as is, so a malformed row shows
/// up in the report as `invalid` rather than vanishing.
pub fn read(args: &crate::args::Args) -> Result<Vec<String>, CliError> {
    let ids =
        match &args.file {
            None if args.ids.is_empty() => return Err(usage(
                "no ids given: pass ids as arguments or use --file PATH (or --file - for stdin)",
            )),
            None => {
                if args.column.is_some() {
                    return Err(usage("--column needs --file"));
                }
                args.ids.clone()
            }
            Some(path) => {
                let text = read_source(path)?;
                let column = args
                    .column
                    .clone()
                    .or_else(|| is_csv(path).then_some(args.id_type?.0.as_str().to_string()));
                match column {
                    Some(col) => csv_column(&text, &col, path)?,
                    None => lines(&text),
                }
            }
        };
    if ids.is_empty() {
        return Err(usage("the input holds no ids"));
    }
    Ok(ids)
}

fn read_source(path: &Path) -> Result<String, CliError> {
    let mut text = String::new();
    if path == Path::new("-") {
        std::io::stdin()
            .read_to_string(&mut text)
            .map_err(|e| usage(format!("cannot read ids from stdin: {e}")))?;
    } else {
        text = std::fs::read_to_string(path)
            .map_err(|e| usage(format!("cannot read {}: {e}", path.display())))?;
    }
    Ok(text
        .strip_prefix('\u{feff}')
        .map(str::to_string)
        .unwrap_or(text))
}

fn is_csv(path: &Path) -> bool {
    path.extension()
        .is_some_and(|e| e.eq_ignore_ascii_case("csv"))
}

/// One id per line; `\r\n` endings accepted; empty lines skipped.
pub fn lines(text: &str) -> Vec<String> {
    text.lines()
        .filter(|l| !l.is_empty())
        .map(str::to_string)
        .collect()
}

/// The cells of `column` (a header name) in a CSV text, untrimmed.
pub fn csv_column(text: &str, column: &str, path: &Path) -> Result<Vec<String>, CliError> {
    let mut reader = csv::ReaderBuilder::new()
        .has_headers(true)
        .flexible(true)
        .from_reader(text.as_bytes());
    let headers = reader
        .headers()
        .map_err(|e| usage(format!("{}: bad CSV header: {e}", path.display())))?;
    let Some(pos) = headers.iter().position(|h| h.trim() == column) else {
        let names: Vec<String> = headers.iter().map(escape_hidden).collect();
        return Err(usage(format!(
            "{}: no column {column:?} (columns: {}); choose one with --column",
            path.display(),
            names.join(", ")
        )));
    };
    let mut ids = Vec::new();
    for (n, record) in reader.records().enumerate() {
        let record =
            record.map_err(|e| usage(format!("{}: bad CSV row {}: {e}", path.display(), n + 2)))?;
        ids.push(record.get(pos).unwrap_or("").to_string());
    }
    Ok(ids)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lines_skip_empty_and_keep_malformed() {
        assert_eq!(lines("a\r\n\n b\nc\n"), vec!["a", " b", "c"]);
    }

    #[test]
    fn csv_picks_the_column_and_keeps_empty_cells() {
        let text = "name,email\nAda,ada@x.io\nBob,\n\"Li, Wei\",li@x.io\n";
        let ids = csv_column(text, "email", Path::new("t.csv")).unwrap();
        assert_eq!(ids, vec!["ada@x.io", "", "li@x.io"]);
    }

    #[test]
    fn csv_names_the_columns_when_one_is_missing() {
        let e = csv_column("name,mail\nA,a\n", "email", Path::new("t.csv")).unwrap_err();
        assert!(
            e.0.contains("no column \"email\"") && e.0.contains("name, mail"),
            "{e}"
        );
    }
}
