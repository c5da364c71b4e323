//! Reading a bulk job's write-ahead journal (what `--resume` and `BulkOptions::resume_from`
//! read), and the JSON report a resume may read instead: arbitrary bytes, and JSON Lines
//! of tagged records with arbitrary fields. Never a panic; only complete lines count, so
//! the state read from the whole file equals the state read from its complete lines,
//! and a torn tail is exactly the bytes after the last newline.
#![no_main]

#[path = "common/json.rs"]
mod json;

use arbitrary::Arbitrary;
use authing_resign::bulk::journal;
use authing_resign::bulk::EarlierRun;
use authing_resign::{BulkReport, Outcome};
use libfuzzer_sys::fuzz_target;
use serde_json::Value;

#[derive(Arbitrary, Debug)]
enum Tag {
    Header,
    Earlier,
    Sent,
    Result,
    End,
    Other(String),
}

#[derive(Arbitrary, Debug)]
enum Input {
    Raw(Vec<u8>),
    Lines(Vec<(Tag, Vec<(json::Key, json::Json)>)>, Vec<u8>),
}

fuzz_target!(|input: Input| {
    let bytes = match input {
        Input::Raw(bytes) => bytes,
        Input::Lines(records, tail) => {
            let mut out = Vec::new();
            for (tag, fields) in records {
                let mut object = json::object(&fields);
                let rec = match tag {
                    Tag::Header => "header".to_owned(),
                    Tag::Earlier => "earlier".to_owned(),
                    Tag::Sent => "sent".to_owned(),
                    Tag::Result => "result".to_owned(),
                    Tag::End => "end".to_owned(),
                    Tag::Other(s) => s,
                };
                object["rec"] = Value::String(rec);
                out.extend(object.to_string().into_bytes());
                out.push(b'\n');
            }
            out.extend(tail);
            out
        }
    };
    if let Ok(state) = journal::read(&bytes) {
        let valid = state.valid_len;
        assert!(valid <= bytes.len());
        assert!(valid == 0 || bytes[valid - 1] == b'\n');
        assert!(
            !bytes[valid..].contains(&b'\n'),
            "a complete line was left unread"
        );
        assert_eq!(state.torn_tail, valid < bytes.len());
        let complete = journal::read(&bytes[..valid]).expect("its complete lines read alone");
        assert_eq!(complete.users, state.users);
        assert_eq!(complete.header, state.header);
        let mut ids: Vec<&String> = state.users.iter().map(|(id, _)| id).collect();
        ids.sort();
        ids.dedup();
        assert_eq!(ids.len(), state.users.len(), "one state per user");
        let _ = state.resigned().count();
    }
    let streamed = EarlierRun::from_report(&bytes[..]);
    if let Ok(report) = serde_json::from_slice::<BulkReport>(&bytes) {
        let text = serde_json::to_string(&report).expect("a report serializes");
        let back: BulkReport = serde_json::from_str(&text).expect("and reads back");
        assert_eq!(back, report);
        // What a resume keeps from it, read from the whole report.
        let mut resigned = std::collections::HashMap::new();
        for u in &report.users {
            if u.outcome == Outcome::Resigned {
                resigned.insert(u.user_id.clone(), u.request_id.clone());
            }
        }
        let streamed = streamed.expect("a report that reads whole also streams");
        assert_eq!(streamed.user_id_type(), Some(report.user_id_type));
        let kept: std::collections::HashMap<String, Option<String>> = streamed
            .resigned_users()
            .map(|(id, rid)| (id.to_owned(), rid.map(str::to_owned)))
            .collect();
        assert_eq!(kept, resigned);
        assert_eq!(streamed.resigned_count(), resigned.len());
        let sorted: Vec<&str> = streamed.resigned_users().map(|(id, _)| id).collect();
        assert!(sorted.windows(2).all(|w| w[0] < w[1]), "sorted, each once");
        for (id, rid) in &resigned {
            assert_eq!(streamed.resigned(id), Some(rid.as_deref()), "{id}");
        }
    }
});
