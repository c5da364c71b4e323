//! `--emulator`: an in-process Authing emulator seeded from the ids themselves, so the
//! tool can be tried on a machine with no Authing account.
//!
//! Seeding rule: every id that passes the local rules becomes a user findable by
//! that id type, except ids containing `unknown` (any case) and ids given with
//! `--emulator-unknown`; those stay unknown, so the emulator rejects the batch that
//! names them (404, apiCode 2004) and the report shows how the job isolates them.

use authing_emulator::{Emulator, Identity, NewUser, Settings};
use authing_resign::request::validate_user_id;
use authing_resign::{ClientOptions, UserIdType};

use crate::args::Args;
use crate::config;
use crate::exit::{usage, CliError};

/// Whether this build can run `--emulator`: yes.
pub fn check() -> Result<(), CliError> {
    Ok(())
}

/// The running emulator; dropping it stops the server.
pub type Running = Emulator;

/// Starts the emulator for these ids and returns client options pointed at it, with the
/// emulator (keep it alive until the job is over).
pub async fn options(
    args: &Args,
    ids: &[String],
    id_type: UserIdType,
) -> Result<(ClientOptions, Running), CliError> {
    let emu = start(ids, id_type, &args.emulator_unknown).await?;
    let s = emu.settings();
    let o = config::for_emulator(args, &emu.url(), &s.access_key_id, &s.access_key_secret)?;
    Ok((o, emu))
}

/// Starts the emulator on 127.0.0.1 (a free port) with the seeded users.
pub async fn start(
    ids: &[String],
    id_type: UserIdType,
    unknown: &[String],
) -> Result<Emulator, CliError> {
    let mut users = Vec::new();
    let mut seen = std::collections::HashSet::new();
    for id in ids {
        if should_seed(id, id_type, unknown) && seen.insert(id.as_str()) {
            users.push(new_user(id, id_type)?);
        }
    }
    let settings = Settings {
        users,
        ..Settings::default()
    };
    Emulator::start(settings)
        .await
        .map_err(|e| usage(format!("cannot start the emulator: {e}")))
}

/// Whether the emulator should know this id (see the module docs).
pub fn should_seed(id: &str, id_type: UserIdType, unknown: &[String]) -> bool {
    validate_user_id(id, id_type, authing_resign::Argument::UserIds, None).is_ok()
        && !id.to_lowercase().contains("unknown")
        && !unknown.iter().any(|u| u == id)
}

fn new_user(id: &str, id_type: UserIdType) -> Result<NewUser, CliError> {
    let s = Some(id.to_string());
    let mut u = NewUser {
        name: Some(id.to_string()),
        ..NewUser::default()
    };
    match id_type {
        UserIdType::UserId => u.user_id = s,
        UserIdType::ExternalId => u.external_id = s,
        UserIdType::Phone => u.phone = s,
        UserIdType::Email => u.email = s,
        UserIdType::Username => u.username = s,
        UserIdType::Identity => {
            let (idp, user) = id.split_once(':').unwrap_or((id, ""));
            u.identities = vec![Identity { ext_idp_id: idp.to_string(), user_id_in_idp: user.to_string() }];
        }
        UserIdType::SyncRelation | UserIdType::CustomField => {
            return Err(usage(format!(
                "--emulator cannot seed users for --id-type {id_type} (the emulator models no sync \
                 sources or custom fields); use user_id, external_id, phone, email, username or identity"
            )))
        }
    }
    Ok(u)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn seeding_rule() {
        let unknown = vec!["gone@x.io".to_string()];
        assert!(should_seed("ada@x.io", UserIdType::Email, &unknown));
        assert!(!should_seed("gone@x.io", UserIdType::Email, &unknown));
        assert!(!should_seed(
            "Unknown.Person@x.io",
            UserIdType::Email,
            &unknown
        ));
        assert!(!should_seed(" padded@x.io", UserIdType::Email, &unknown));
        assert!(!should_seed("", UserIdType::Email, &unknown));
    }
}
