//! Authentication: request signatures ([`signature`]) and management tokens.

pub mod signature;
pub(crate) mod token;
