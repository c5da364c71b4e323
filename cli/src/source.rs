//! Where a job ran (host, access key id, tenant, emulator), recorded in the report file
//! so that `--resume` never skips users on the strength of a report from elsewhere:
//! users resigned at one host or tenant are not resigned at another.

use std::fmt;

use authing_resign::ClientOptions;
use serde::{Deserialize, Serialize};

use crate::exit::{usage, CliError};
use crate::text::escape_hidden;

/// The provenance of a report (`source` in the JSON report file).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Source {
    /// Whether the job ran against the built-in emulator (`--emulator`).
    pub emulator: bool,
    /// The API host; absent for a dry run (no host contacted).
    #[serde(default)]
    pub host: Option<String>,
    /// The access key id (not a secret: it names the key); absent for a dry run.
    #[serde(default)]
    pub access_key_id: Option<String>,
    /// The tenant id sent as `x-authing-tenant-id`, if any.
    #[serde(default)]
    pub tenant_id: Option<String>,
}

impl Source {
    /// The source of a run with these client options.
    pub fn of(emulator: bool, options: &ClientOptions) -> Self {
        Self {
            emulator,
            host: Some(options.host().to_string()),
            access_key_id: Some(options.access_key_id().to_string()),
            tenant_id: options.tenant_id().map(str::to_string),
        }
    }

    /// The source of a dry run: no host contacted, so only what the flags say.
    pub fn dry_run(emulator: bool, tenant_id: Option<&str>) -> Self {
        Self {
            emulator,
            host: None,
            access_key_id: None,
            tenant_id: tenant_id.map(str::to_string),
        }
    }

    /// Whether users resigned by a job of `self` count as resigned for a job of `now`.
    /// Every emulator run is the same place (its users are seeded from the ids); a real
    /// run must match host, access key id and tenant. A field this run does not know
    /// (a dry run's host and key) is not compared.
    fn covers(&self, now: &Source) -> bool {
        if self.emulator || now.emulator {
            return self.emulator == now.emulator;
        }
        let same = |earlier: &Option<String>, now: &Option<String>| {
            now.is_none() || earlier.as_ref() == now.as_ref()
        };
        same(&self.host, &now.host)
            && same(&self.access_key_id, &now.access_key_id)
            && self.tenant_id == now.tenant_id
    }
}

impl fmt::Display for Source {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.emulator {
            return f.write_str("the built-in emulator (--emulator)");
        }
        // The values may come from a report file: shown escaped, like any untrusted text.
        let or = |v: &Option<String>, none: &str| v.as_deref().map_or(none.into(), escape_hidden);
        write!(
            f,
            "host {}, access key id {}, tenant {}",
            or(&self.host, "(unknown)"),
            or(&self.access_key_id, "(unknown)"),
            or(&self.tenant_id, "(none)")
        )
    }
}

/// Checks that the earlier report given to `--resume` (at `path`) was written for the
/// same place as this run. `Ok(Some(warning))` when `--resume-force` overrode a problem.
pub fn check_resume(
    path: &std::path::Path,
    earlier: Option<&Source>,
    now: &Source,
    force: bool,
) -> Result<Option<String>, CliError> {
    let problem = match earlier {
        None => format!(
            "--resume {}: the report does not record the host, access key id and tenant it \
             was written for (an older authing-resign wrote it), so skipping its resigned users \
             could skip users never resigned here",
            path.display()
        ),
        Some(e) if !e.covers(now) => format!(
            "--resume {}: the report was written for {e}; this run is for {now}; users it \
             resigned there are not resigned here",
            path.display()
        ),
        Some(_) => return Ok(None),
    };
    if force {
        Ok(Some(format!("{problem}; resuming anyway (--resume-force)")))
    } else {
        Err(usage(format!(
            "{problem}. Resume from a report of this run's host, or pass --resume-force if you \
             are sure its resigned users are resigned here too"
        )))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn real(host: &str, key: &str, tenant: Option<&str>) -> Source {
        Source {
            emulator: false,
            host: Some(host.into()),
            access_key_id: Some(key.into()),
            tenant_id: tenant.map(Into::into),
        }
    }

    #[test]
    fn host_key_tenant_and_emulator_must_match() {
        let a = real("https://a.example", "k1", None);
        assert!(a.covers(&a));
        assert!(!a.covers(&real("https://b.example", "k1", None)));
        assert!(!a.covers(&real("https://a.example", "k2", None)));
        assert!(!a.covers(&real("https://a.example", "k1", Some("t"))));
        let emu = Source::dry_run(true, None);
        assert!(!emu.covers(&a) && !a.covers(&emu));
        assert!(emu.covers(&Source {
            host: Some("http://127.0.0.1:1".into()),
            ..emu.clone()
        }));
        assert!(
            a.covers(&Source::dry_run(false, None)),
            "a dry run knows no host"
        );
        assert!(!a.covers(&Source::dry_run(false, Some("t"))));
    }

    #[test]
    fn missing_provenance_is_refused_unless_forced() {
        let p = std::path::Path::new("r.json");
        let now = real("https://a.example", "k1", None);
        let e = check_resume(p, None, &now, false).unwrap_err();
        assert!(e.0.contains("--resume-force"), "{e}");
        assert!(check_resume(p, None, &now, true).unwrap().is_some());
        let forged = real("https://a.example", "k1", Some("t\u{202e}1"));
        let e = check_resume(p, Some(&forged), &now, false).unwrap_err();
        assert!(e.0.contains("tenant t\\u{202e}1"), "{e}");
        assert_eq!(check_resume(p, Some(&now), &now, false).unwrap(), None);
    }
}
