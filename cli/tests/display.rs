//! What the tool shows and writes for hostile ids: hidden characters quoted on the
//! terminal, spreadsheet formulas neutralized in the CSV report, the JSON report exact.

mod common;

use common::{cmd, parts, read_report, run, tmp_dir};

const BIDI: &str = "evil\u{202e}txt.exe";
const FORMULAS: [&str; 4] = ["=1+1", "+8613800000000", "-2", "@SUM(A1)"];

#[test]
fn hidden_characters_are_escaped_and_formulas_neutralized() {
    let dir = tmp_dir("display");
    let ids = dir.join("ids.txt");
    let lines: Vec<&str> = FORMULAS
        .iter()
        .copied()
        .chain(["plain", BIDI, "zero\u{200b}width"])
        .collect();
    std::fs::write(&ids, lines.join("\n") + "\n").unwrap();
    let (json, csv) = (dir.join("r.json"), dir.join("r.csv"));
    let mut outputs = String::new();
    for report in [&json, &csv] {
        let mut c = cmd();
        c.args(["--emulator", "--id-type", "username", "--yes", "--file"])
            .arg(&ids)
            .args(["--emulator-unknown", BIDI, "--emulator-unknown"])
            .arg("zero\u{200b}width")
            .arg("--report")
            .arg(report);
        let (code, out, err) = parts(&run(c));
        assert_eq!(code, 1, "{out}{err}");
        outputs.push_str(&out);
        outputs.push_str(&err);
    }
    // The terminal never receives the raw bidi override or zero-width space.
    assert!(
        !outputs.contains('\u{202e}') && !outputs.contains('\u{200b}'),
        "{outputs:?}"
    );
    assert!(outputs.contains(r#""evil\u{202e}txt.exe""#), "{outputs}");
    assert!(outputs.contains(r#""zero\u{200b}width""#), "{outputs}");

    // JSON: exact values.
    let r = read_report(&json);
    let got: Vec<&str> = r.users.iter().map(|u| u.user_id.as_str()).collect();
    assert_eq!(got, lines);

    // CSV: formula starts get a leading apostrophe; other cells are untouched.
    let text = std::fs::read_to_string(&csv).unwrap();
    let rows: Vec<csv::StringRecord> = csv::Reader::from_reader(text.as_bytes())
        .records()
        .map(Result::unwrap)
        .collect();
    let cells: Vec<&str> = rows.iter().map(|r| &r[1]).collect();
    assert_eq!(
        cells,
        [
            "'=1+1",
            "'+8613800000000",
            "'-2",
            "'@SUM(A1)",
            "plain",
            BIDI,
            "zero\u{200b}width"
        ]
    );
    assert!(rows[..5].iter().all(|r| &r[2] == "resigned"), "{rows:?}");
}
