//! The HTTP side: one pooled reqwest client, request building, the retry loop.
// TODO(core): implement (issue 3).

use crate::config::ClientOptions;
use crate::error::Result;
use crate::request::UserIdType;
use crate::response::ResignUserResponse;

pub(crate) struct Inner {
    pub(crate) options: ClientOptions,
}

impl Inner {
    pub(crate) fn new(options: ClientOptions) -> Result<Self> {
        Ok(Self { options })
    }

    pub(crate) async fn resign_user_batch<S: AsRef<str>>(
        &self,
        user_ids: &[S],
        user_id_type: Option<UserIdType>,
    ) -> Result<ResignUserResponse> {
        crate::request::validate_batch(user_ids, user_id_type.unwrap_or_default())?;
        todo!("core: send the request")
    }

    /// The batch call for `resign_users`: the result plus the number of HTTP requests
    /// made for it (retries included), so the bulk report can count calls exactly.
    pub(crate) async fn resign_user_batch_counted<S: AsRef<str>>(
        &self,
        user_ids: &[S],
        user_id_type: Option<UserIdType>,
    ) -> (Result<ResignUserResponse>, u32) {
        (self.resign_user_batch(user_ids, user_id_type).await, 0)
    }

    pub(crate) async fn resign_user(
        &self,
        user_id: &str,
        user_id_type: Option<UserIdType>,
    ) -> Result<ResignUserResponse> {
        crate::request::validate_user_id(user_id, user_id_type.unwrap_or_default(), "userId", None)?;
        todo!("core: send the request")
    }
}
