//! The users an earlier run resigned, as a resumed job keeps them: every id in one
//! string (no allocation per user), each request id once per run of users sharing it
//! (a call's 50 users share one), and an index sorted by id for lookups and for the
//! journal's `earlier` record. About 40 bytes a user with 20-byte ids, where a map of
//! an id `String` and a request-id `String` per user took ~210.

/// Texts one after another in one `String`.
#[derive(Clone, Debug, Default)]
struct Arena {
    text: String,
    /// Where each text ends in `text` (text `i` starts where `i - 1` ends).
    ends: Vec<usize>,
}

impl Arena {
    fn push(&mut self, s: &str) {
        self.text.push_str(s);
        self.ends.push(self.text.len());
    }

    fn get(&self, i: usize) -> &str {
        let start = if i == 0 { 0 } else { self.ends[i - 1] };
        &self.text[start..self.ends[i]]
    }

    fn len(&self) -> usize {
        self.ends.len()
    }

    fn last(&self) -> Option<&str> {
        self.len().checked_sub(1).map(|i| self.get(i))
    }

    fn shrink(&mut self) {
        self.text.shrink_to_fit();
        self.ends.shrink_to_fit();
    }
}

/// No request id recorded.
const NO_REQUEST: u32 = u32::MAX;

/// The users an earlier run resigned, each with the request id of the call that did it.
/// Filled with [`Resigned::push`] in the order the record lists them, then
/// [`Resigned::seal`]ed; an id listed twice keeps its last request id (as a map insert
/// would).
#[derive(Clone, Debug, Default)]
pub(crate) struct Resigned {
    ids: Arena,
    /// Per pushed id: its request id in `request_ids`, or [`NO_REQUEST`].
    request: Vec<u32>,
    request_ids: Arena,
    /// Pushed ids sorted by id, one per distinct id (the last pushed); set by `seal`.
    sorted: Vec<usize>,
}

/// A record with more distinct request ids than a `u32` counts (never met: the file
/// would be hundreds of gigabytes).
#[derive(Debug)]
pub(crate) struct TooMany;

impl Resigned {
    /// Adds a resigned user. A request id equal to the previous one is kept once.
    pub(crate) fn push(&mut self, id: &str, request_id: Option<&str>) -> Result<(), TooMany> {
        let r = match request_id {
            None => NO_REQUEST,
            Some(r) => {
                if self.request_ids.last() != Some(r) {
                    self.request_ids.push(r);
                }
                u32::try_from(self.request_ids.len() - 1)
                    .ok()
                    .filter(|&i| i != NO_REQUEST)
                    .ok_or(TooMany)?
            }
        };
        self.ids.push(id);
        self.request.push(r);
        Ok(())
    }

    /// Builds the sorted index (one entry per distinct id, the last pushed) and frees
    /// spare capacity. Call once, after the last `push`.
    pub(crate) fn seal(mut self) -> Self {
        self.ids.shrink();
        self.request_ids.shrink();
        self.request.shrink_to_fit();
        let mut sorted: Vec<usize> = (0..self.ids.len()).collect();
        // Stable: equal ids stay in the order pushed.
        sorted.sort_by(|&a, &b| self.ids.get(a).cmp(self.ids.get(b)));
        // Of equal ids, keep the last pushed (`later` is dropped, `kept` takes its place).
        sorted.dedup_by(|later, kept| {
            let same = self.ids.get(*later) == self.ids.get(*kept);
            if same {
                *kept = *later;
            }
            same
        });
        sorted.shrink_to_fit();
        self.sorted = sorted;
        self
    }

    /// The distinct users.
    pub(crate) fn len(&self) -> usize {
        self.sorted.len()
    }

    /// `Some(request id)` when `id` is resigned.
    pub(crate) fn get(&self, id: &str) -> Option<Option<&str>> {
        self.sorted
            .binary_search_by(|&i| self.ids.get(i).cmp(id))
            .ok()
            .map(|k| self.request_id(self.sorted[k]))
    }

    /// The users, sorted by id, each once.
    pub(crate) fn iter(&self) -> impl Iterator<Item = (&str, Option<&str>)> + '_ {
        self.sorted
            .iter()
            .map(|&i| (self.ids.get(i), self.request_id(i)))
    }

    fn request_id(&self, i: usize) -> Option<&str> {
        match self.request[i] {
            NO_REQUEST => None,
            r => Some(self.request_ids.get(r as usize)),
        }
    }

    /// Distinct request ids kept (runs of users sharing one count once).
    #[cfg(test)]
    fn request_ids_kept(&self) -> usize {
        self.request_ids.len()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sealed(users: &[(&str, Option<&str>)]) -> Resigned {
        let mut r = Resigned::default();
        for (id, rid) in users {
            r.push(id, *rid).unwrap();
        }
        r.seal()
    }

    #[test]
    fn lookups_and_sorted_iteration() {
        let r = sealed(&[
            ("b", Some("r1")),
            ("a", None),
            ("c", Some("r2")),
            ("", None),
        ]);
        assert_eq!(r.len(), 4);
        assert_eq!(r.get("a"), Some(None));
        assert_eq!(r.get("b"), Some(Some("r1")));
        assert_eq!(r.get("c"), Some(Some("r2")));
        assert_eq!(r.get(""), Some(None));
        assert_eq!(r.get("d"), None);
        assert_eq!(r.get("bb"), None);
        let all: Vec<_> = r.iter().collect();
        assert_eq!(
            all,
            [
                ("", None),
                ("a", None),
                ("b", Some("r1")),
                ("c", Some("r2"))
            ]
        );
        assert_eq!(Resigned::default().seal().get("a"), None);
    }

    #[test]
    fn an_id_listed_twice_keeps_its_last_request_id() {
        let r = sealed(&[
            ("a", Some("r1")),
            ("b", Some("r1")),
            ("a", Some("r2")),
            ("a", None),
            ("b", Some("r3")),
        ]);
        assert_eq!(r.len(), 2);
        assert_eq!(r.get("a"), Some(None));
        assert_eq!(r.get("b"), Some(Some("r3")));
        assert_eq!(r.iter().count(), 2);
    }

    #[test]
    fn a_request_id_shared_by_a_call_is_kept_once() {
        let mut users = Vec::new();
        let ids: Vec<String> = (0..150).map(|i| format!("u{i:03}")).collect();
        let rids = ["call-1", "call-2", "call-3"];
        for (i, id) in ids.iter().enumerate() {
            users.push((id.as_str(), Some(rids[i / 50])));
        }
        let r = sealed(&users);
        assert_eq!(r.request_ids_kept(), 3);
        for (i, id) in ids.iter().enumerate() {
            assert_eq!(r.get(id), Some(Some(rids[i / 50])), "{id}");
        }
    }
}
