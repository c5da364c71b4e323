//! The core's enums as clap value enums, so a bad `--id-type` or `--auth` is a clap
//! usage error that names the flag and suggests the closest value. The names and the
//! list come from the core (`UserIdType::ALL`, `AuthScheme::ALL`); nothing is re-spelt.

use authing_resign::{AuthScheme, UserIdType};
use clap::builder::PossibleValue;
use clap::ValueEnum;

/// A core enum as a clap value enum: `$name` wraps `$core`, offers every value of
/// `$core::ALL` in the core's order (the array built at compile time) by its
/// `as_str()` name, and accepts `$aliases(value)` as aliases.
macro_rules! core_choice {
    ($(#[$doc:meta])* $name:ident($core:ident), $all:ident, aliases: $aliases:expr) => {
        $(#[$doc])*
        #[derive(Clone, Copy, Debug, PartialEq, Eq)]
        pub struct $name(pub $core);

        const $all: [$name; $core::ALL.len()] = {
            let mut out = [$name($core::ALL[0]); $core::ALL.len()];
            let mut i = 0;
            while i < out.len() {
                out[i] = $name($core::ALL[i]);
                i += 1;
            }
            out
        };

        impl ValueEnum for $name {
            fn value_variants<'a>() -> &'a [Self] {
                &$all
            }

            fn to_possible_value(&self) -> Option<PossibleValue> {
                let aliases: &[&'static str] = $aliases(self.0);
                Some(PossibleValue::new(self.0.as_str()).aliases(aliases.iter().copied()))
            }
        }
    };
}

core_choice! {
    /// `--id-type`: a [`UserIdType`] by its wire value.
    IdType(UserIdType), ID_TYPES, aliases: |_| &[]
}

core_choice! {
    /// `--auth`: an [`AuthScheme`] by its name (the core's aliases accepted too).
    Auth(AuthScheme), AUTH_SCHEMES, aliases: AuthScheme::aliases
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
