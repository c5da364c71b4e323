//! `--emulator` in a build without the `emulator` feature: refused before anything is
//! read or sent.

use authing_resign::{ClientOptions, UserIdType};

use crate::args::Args;
use crate::exit::{usage, CliError};

/// Stands for the running emulator of a full build; no value of it can exist here.
pub type Running = std::convert::Infallible;

/// Always a usage error: this build has no emulator.
pub async fn options(
    _args: &Args,
    _ids: &[String],
    _id_type: UserIdType,
) -> Result<(ClientOptions, Running), CliError> {
    Err(unavailable())
}

/// Whether this build can run `--emulator`: never.
pub fn check() -> Result<(), CliError> {
    Err(unavailable())
}

fn unavailable() -> CliError {
    usage(
        "--emulator is not available: this authing-resign was built without the `emulator` \
         feature (cargo install --path cli builds it by default)",
    )
}
