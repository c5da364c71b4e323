//! [`UserIds`] and [`UserId`]: user ids as they cross the FFI, as their own types so that
//! the Kotlin side can check them while lowering (`uniffi.toml`, `kotlin/lib/WellFormed.kt`).
//!
//! A Kotlin `String` can hold a lone UTF-16 surrogate, which UTF-8 cannot carry; uniffi's
//! own lowering would throw an untyped `MalformedInputException` naming no id. The
//! Kotlin lowering of these types throws `AuthingException.InvalidArgument` naming
//! `userIds[i]` (or `userId`) first, before anything is sent. Swift strings are always
//! well-formed Unicode: there they are plain `[String]` and `String`.

/// A list of user ids (Swift `[String]`, Kotlin `List<String>`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct UserIds(pub Vec<String>);

uniffi::custom_newtype!(
    /// User ids: Swift `[String]`, Kotlin `List<String>` (checked for lone surrogates).
    UserIds,
    Vec<String>
);

/// One user id (Swift and Kotlin `String`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct UserId(pub String);

uniffi::custom_newtype!(
    /// A user id: Swift and Kotlin `String` (checked for lone surrogates in Kotlin).
    UserId,
    String
);
