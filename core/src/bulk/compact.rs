//! [`CompactReport`]: the report of a bulk job as the job keeps it — ~20 bytes per
//! user plus the ids — for jobs of millions of users. It serializes (and streams to a
//! writer) exactly as the [`BulkReport`] it converts into.

use std::io::{self, Write};

use serde::ser::{SerializeStruct, Serializer};
use serde::Serialize;

use crate::bulk::table::{UserLine, UserTable};
use crate::bulk::{json_indent, BulkReport, BulkTotals, OutcomeError};
use crate::error::Result;
use crate::request::UserIdType;

/// The result of [`crate::ManagementClient::resign_users_compact`]: the fields of
/// [`BulkReport`], with the per-user lines and the chunks held compactly and read
/// through [`CompactReport::users`] and [`CompactReport::chunks`].
#[derive(Clone, Debug)]
pub struct CompactReport {
    /// The id type used.
    pub user_id_type: UserIdType,
    /// Whether this was a dry run (nothing sent).
    pub dry_run: bool,
    /// Counts per outcome.
    pub totals: BulkTotals,
    /// HTTP requests made to the resignation endpoint (see [`BulkReport::http_calls`]).
    pub http_calls: u64,
    /// Wall time of the job, in milliseconds.
    pub elapsed_ms: u64,
    /// Why the job stopped early, if it did.
    pub stopped_early: Option<OutcomeError>,
    /// Whether this was a `verify_only` run (nobody resigned).
    pub verify_only: bool,
    /// HTTP requests made to `get-user-batch` by `verify` / `verify_only`.
    pub lookup_calls: u64,
    /// The input ids, in order.
    pub(crate) ids: Vec<String>,
    /// One decided slot per input id.
    pub(crate) table: UserTable,
    /// The planned chunks, as input indexes.
    pub(crate) chunks: Vec<Vec<usize>>,
}

impl CompactReport {
    /// The number of users (input ids).
    pub fn len(&self) -> usize {
        self.ids.len()
    }

    /// Whether the input was empty.
    pub fn is_empty(&self) -> bool {
        self.ids.is_empty()
    }

    /// The line of input index `i`, `None` past the end.
    pub fn user(&self, i: usize) -> Option<UserLine<'_>> {
        (i < self.ids.len()).then(|| self.table.line(i, &self.ids[i]))
    }

    /// Every user's line, in input order.
    pub fn users(&self) -> impl ExactSizeIterator<Item = UserLine<'_>> + '_ {
        self.ids
            .iter()
            .enumerate()
            .map(|(i, id)| self.table.line(i, id))
    }

    /// The chunks planned (ids per chunk, in order), before any splitting.
    pub fn chunks(&self) -> impl ExactSizeIterator<Item = Vec<&str>> + '_ {
        self.chunk_indexes()
            .map(|c| c.iter().map(|&i| self.ids[i].as_str()).collect())
    }

    /// The chunks planned, as input indexes ([`CompactReport::chunks`] names them by
    /// id): for a binding that hands each id to its host language once and shares that
    /// value between the user's line and its chunk.
    pub fn chunk_indexes(&self) -> impl ExactSizeIterator<Item = &[usize]> + '_ {
        self.chunks.iter().map(Vec::as_slice)
    }

    /// Whether every input user ended `resigned`.
    pub fn all_resigned(&self) -> bool {
        self.totals.resigned == self.ids.len() as u64
    }

    /// The report with every line owned (what [`crate::ManagementClient::resign_users`]
    /// returns).
    pub fn into_report(self) -> BulkReport {
        BulkReport {
            users: self.users().map(|u| u.to_outcome()).collect(),
            chunks: self
                .chunks()
                .map(|c| c.into_iter().map(str::to_string).collect())
                .collect(),
            user_id_type: self.user_id_type,
            dry_run: self.dry_run,
            totals: self.totals,
            http_calls: self.http_calls,
            elapsed_ms: self.elapsed_ms,
            stopped_early: self.stopped_early,
            verify_only: self.verify_only,
            lookup_calls: self.lookup_calls,
        }
    }

    /// Streams the JSON of [`BulkReport::to_json`] (same keys, order and indent rule)
    /// to `out` without building it in memory (wrap a file in a `BufWriter`). The outer
    /// error is a bad `indent` (nothing written), the inner one a failed write.
    pub fn write_json<W: Write>(&self, out: W, indent: Option<i64>) -> Result<io::Result<()>> {
        let written = match json_indent(indent)? {
            None => self.serialize(&mut serde_json::Serializer::new(out)),
            Some(indent) => {
                let fmt = serde_json::ser::PrettyFormatter::with_indent(&indent);
                self.serialize(&mut serde_json::Serializer::with_formatter(out, fmt))
            }
        };
        Ok(written.map_err(io::Error::from))
    }
}

impl From<CompactReport> for BulkReport {
    fn from(r: CompactReport) -> Self {
        r.into_report()
    }
}

/// A sequence serialized from an iterator made on demand.
struct Seq<F>(F);

impl<F, I> Serialize for Seq<F>
where
    F: Fn() -> I,
    I: Iterator,
    I::Item: Serialize,
{
    fn serialize<S: Serializer>(&self, s: S) -> std::result::Result<S::Ok, S::Error> {
        s.collect_seq((self.0)())
    }
}

/// Field for field as [`BulkReport`]'s derived `Serialize`.
impl Serialize for CompactReport {
    fn serialize<S: Serializer>(&self, s: S) -> std::result::Result<S::Ok, S::Error> {
        let fields = 9 + usize::from(self.stopped_early.is_some());
        let mut st = s.serialize_struct("BulkReport", fields)?;
        st.serialize_field("user_id_type", &self.user_id_type)?;
        st.serialize_field("dry_run", &self.dry_run)?;
        st.serialize_field("users", &Seq(|| self.users()))?;
        st.serialize_field("totals", &self.totals)?;
        st.serialize_field("chunks", &Seq(|| self.chunks()))?;
        st.serialize_field("http_calls", &self.http_calls)?;
        st.serialize_field("elapsed_ms", &self.elapsed_ms)?;
        match &self.stopped_early {
            Some(e) => st.serialize_field("stopped_early", e)?,
            None => st.skip_field("stopped_early")?,
        }
        st.serialize_field("verify_only", &self.verify_only)?;
        st.serialize_field("lookup_calls", &self.lookup_calls)?;
        st.end()
    }
}

#[cfg(test)]
mod tests {
    use crate::bulk::plan_compact;
    use crate::request::UserIdType;

    #[test]
    fn serializes_and_converts_as_the_bulk_report() {
        let ids = ["a", "b", "", "a", "c", "bad\u{7}"];
        let compact = plan_compact(&ids, UserIdType::Username, 2).unwrap();
        let mut streamed = Vec::new();
        compact.write_json(&mut streamed, Some(2)).unwrap().unwrap();
        let report = compact.clone().into_report();
        assert_eq!(
            String::from_utf8(streamed).unwrap(),
            report.to_json(Some(2)).unwrap()
        );
        assert_eq!(
            serde_json::to_string(&compact).unwrap(),
            report.to_json(None).unwrap()
        );
        assert_eq!(report.chunks, vec![vec!["a", "b"], vec!["c"]]);
        let by_index: Vec<Vec<usize>> = compact.chunk_indexes().map(<[usize]>::to_vec).collect();
        assert_eq!(by_index, vec![vec![0, 1], vec![4]]);
        assert_eq!(compact.users().count(), 6);
        assert!(compact.user(6).is_none());
        assert!(compact.write_json(Vec::new(), Some(17)).is_err());
    }
}
