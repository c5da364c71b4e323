//! The core's enums as clap value enums, so a bad `--id-type` or `--auth` is a clap
//! usage error that names the flag and suggests the closest value. The names and the
//! list come from the core (`UserIdType::ALL`, `AuthScheme::ALL`); nothing is re-spelt.

use authing_resign::{AuthScheme, UserIdType};
use clap::builder::PossibleValue;
use clap::ValueEnum;

/// `--id-type`: a [`UserIdType`] by its wire value.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct IdType(pub UserIdType);

/// Every id type, in the core's order (built at compile time from `UserIdType::ALL`).
const ID_TYPES: [IdType; UserIdType::ALL.len()] = {
    let mut out = [IdType(UserIdType::UserId); UserIdType::ALL.len()];
    let mut i = 0;
    while i < out.len() {
        out[i] = IdType(UserIdType::ALL[i]);
        i += 1;
    }
    out
};

impl ValueEnum for IdType {
    fn value_variants<'a>() -> &'a [Self] {
        &ID_TYPES
    }

    fn to_possible_value(&self) -> Option<PossibleValue> {
        Some(PossibleValue::new(self.0.as_str()))
    }
}

/// `--auth`: an [`AuthScheme`] by its name (the core's aliases accepted too).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Auth(pub AuthScheme);

const AUTH_SCHEMES: [Auth; AuthScheme::ALL.len()] = {
    let mut out = [Auth(AuthScheme::Signature); AuthScheme::ALL.len()];
    let mut i = 0;
    while i < out.len() {
        out[i] = Auth(AuthScheme::ALL[i]);
        i += 1;
    }
    out
};

impl ValueEnum for Auth {
    fn value_variants<'a>() -> &'a [Self] {
        &AUTH_SCHEMES
    }

    fn to_possible_value(&self) -> Option<PossibleValue> {
        Some(PossibleValue::new(self.0.as_str()).aliases(self.0.aliases().iter().copied()))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_core_value_is_offered_and_parses_back() {
        for t in UserIdType::ALL {
            assert_eq!(IdType::from_str(t.as_str(), false), Ok(IdType(t)));
        }
        assert_eq!(ID_TYPES.len(), UserIdType::ALL.len());
        for a in AuthScheme::ALL {
            assert_eq!(Auth::from_str(a.as_str(), false), Ok(Auth(a)));
            for alias in a.aliases() {
                assert_eq!(Auth::from_str(alias, true), Ok(Auth(a)));
            }
        }
        assert!(IdType::from_str("emial", false).is_err());
    }
}
