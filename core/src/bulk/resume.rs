//! `BulkOptions::resume_from`: the users an earlier run resigned, read from its
//! journal or from a JSON report this project wrote, after checking that the run was
//! for the same place and id type.

use std::collections::HashMap;
use std::path::Path;

use serde::Deserialize;

use crate::bulk::journal::{self, JobPlace};
use crate::bulk::Outcome;
use crate::error::{Error, Result, ResumeKey};
use crate::request::UserIdType;

/// What a resumed job takes from the earlier run.
#[derive(Debug, Default)]
pub(crate) struct Earlier {
    /// Ids the earlier run resigned, with the request id that did it.
    pub(crate) resigned: HashMap<String, Option<String>>,
}

/// A JSON report as read for resuming: the core's report, plus the `source` the CLI
/// records. Outcomes stay text so that a report of a newer version still reads.
#[derive(Deserialize)]
struct ReportView {
    user_id_type: UserIdType,
    users: Vec<ReportUser>,
    #[serde(default)]
    source: Option<SourceView>,
}

#[derive(Deserialize)]
struct ReportUser {
    user_id: String,
    outcome: String,
    #[serde(default)]
    request_id: Option<String>,
}

#[derive(Deserialize)]
struct SourceView {
    #[serde(default)]
    host: Option<String>,
    #[serde(default)]
    access_key_id: Option<String>,
    #[serde(default)]
    tenant_id: Option<String>,
}

/// What the file records about where its run was.
struct Recorded {
    host: Option<String>,
    access_key_id: Option<String>,
    tenant_id: Option<String>,
    user_id_type: UserIdType,
}

/// Reads `path` (a journal, or a JSON report) and checks it against this job.
/// `force` accepts another (or an unrecorded) place, never another id type.
pub(crate) fn load(
    path: &Path,
    now: &JobPlace,
    id_type: UserIdType,
    force: bool,
) -> Result<Earlier> {
    let bytes = std::fs::read(path).map_err(|e| journal::write::journal_error(path, &e))?;
    let bad = |reason: String| Error::Journal {
        path: path.display().to_string(),
        reason,
    };
    let (recorded, resigned) = if looks_like_journal(&bytes) {
        let st = journal::read(&bytes).map_err(|e| bad(e.to_string()))?;
        let Some(h) = st.header.clone() else {
            // No complete header: the run died before its first call.
            return Ok(Earlier::default());
        };
        let resigned = st
            .resigned()
            .map(|(id, rid)| (id.to_string(), rid.map(str::to_string)))
            .collect();
        let recorded = Recorded {
            host: Some(h.place.host),
            access_key_id: Some(h.place.access_key_id),
            tenant_id: h.place.tenant_id,
            user_id_type: h.user_id_type,
        };
        (recorded, resigned)
    } else {
        let view: ReportView = serde_json::from_slice(&bytes).map_err(|e| {
            bad(format!(
                "neither a journal nor a JSON report of authing-resign ({e})"
            ))
        })?;
        let resigned = view
            .users
            .into_iter()
            .filter(|u| u.outcome == Outcome::Resigned.as_str())
            .map(|u| (u.user_id, u.request_id))
            .collect();
        let s = view.source.unwrap_or(SourceView {
            host: None,
            access_key_id: None,
            tenant_id: None,
        });
        let recorded = Recorded {
            host: s.host,
            access_key_id: s.access_key_id,
            tenant_id: s.tenant_id,
            user_id_type: view.user_id_type,
        };
        (recorded, resigned)
    };
    check(path, &recorded, now, id_type, force)?;
    Ok(Earlier { resigned })
}

/// A journal starts with its header line; a report is one JSON document.
fn looks_like_journal(bytes: &[u8]) -> bool {
    let first = bytes.split(|&b| b == b'\n').next().unwrap_or_default();
    let text = String::from_utf8_lossy(first);
    let t = text.trim_start();
    t.is_empty() || (t.starts_with('{') && t.contains("\"rec\":\"header\""))
}

fn check(
    path: &Path,
    rec: &Recorded,
    now: &JobPlace,
    id_type: UserIdType,
    force: bool,
) -> Result<()> {
    let mismatch = |field: ResumeKey, earlier: String, now: String| Error::ResumeMismatch {
        path: path.display().to_string(),
        field,
        earlier,
        now,
    };
    if rec.user_id_type != id_type {
        return Err(mismatch(
            ResumeKey::UserIdType,
            rec.user_id_type.to_string(),
            id_type.to_string(),
        ));
    }
    if force {
        return Ok(());
    }
    let shown = |v: &Option<String>| v.clone().unwrap_or_else(|| "(not recorded)".into());
    if rec.host.as_deref() != Some(now.host.as_str()) {
        return Err(mismatch(
            ResumeKey::Host,
            shown(&rec.host),
            now.host.clone(),
        ));
    }
    if rec.access_key_id.as_deref() != Some(now.access_key_id.as_str()) {
        return Err(mismatch(
            ResumeKey::AccessKeyId,
            shown(&rec.access_key_id),
            now.access_key_id.clone(),
        ));
    }
    if rec.tenant_id != now.tenant_id {
        let t = |v: &Option<String>| v.clone().unwrap_or_else(|| "(none)".into());
        return Err(mismatch(
            ResumeKey::TenantId,
            t(&rec.tenant_id),
            t(&now.tenant_id),
        ));
    }
    Ok(())
}
