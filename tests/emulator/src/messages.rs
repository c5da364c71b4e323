//! Every envelope message, in Chinese (the default) and English (`x-authing-lang: en-US`).
//! Where the protocol doc quotes the real server, the Chinese text is that quote.

use axum::http::HeaderMap;

/// The language of `message`, chosen by `x-authing-lang`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Lang {
    Zh,
    En,
}

impl Lang {
    pub(crate) fn from_headers(headers: &HeaderMap) -> Lang {
        match headers.get("x-authing-lang").and_then(|v| v.to_str().ok()) {
            Some(v) if v.trim().eq_ignore_ascii_case("en-US") => Lang::En,
            _ => Lang::Zh,
        }
    }

    fn pick(self, zh: &str, en: &str) -> String {
        match self {
            Lang::Zh => zh.to_owned(),
            Lang::En => en.to_owned(),
        }
    }
}

/// Messages that carry no detail.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Msg {
    Ok,
    NotDone,
    NotFound,
    ContentType,
    BodyTooLarge,
    BodyNotJson,
    BodyNotObject,
    UserNotFound,
    Throttled,
    NoCredentials,
    BadAuthorization,
    UnknownAccessKey,
    BadSignature,
    MethodMismatch,
    VersionMismatch,
    BadTimestamp,
    NoDate,
    DateSkew,
    NoNonce,
    NonceReused,
    BadToken,
    TokenExpired,
    NoUserpoolHeader,
    UserpoolNotFound,
    BadCredentials,
    ServerError,
    Unavailable,
}

impl Msg {
    pub(crate) fn text(self, lang: Lang) -> String {
        use Msg::*;
        let (zh, en) = match self {
            Ok => ("操作成功", "Success"),
            NotDone => ("操作失败", "Operation failed"),
            NotFound => ("接口不存在", "No such API route"),
            ContentType => (
                "Content-Type 必须为 application/json",
                "Content-Type must be application/json",
            ),
            BodyTooLarge => ("请求体超过 1 MiB 上限", "Request body exceeds the 1 MiB limit"),
            BodyNotJson => ("请求体不是合法的 JSON", "Request body is not valid JSON"),
            BodyNotObject => ("请求体必须是 JSON 对象", "Request body must be a JSON object"),
            UserNotFound => ("用户不存在", "User does not exist"),
            Throttled => (
                "您的请求已超过最大数量限制，请稍后重试",
                "Too many requests, please retry later",
            ),
            NoCredentials => (
                "缺少认证信息：请签名请求或提供 Management Token",
                "Missing credentials: sign the request or send a management token",
            ),
            BadAuthorization => (
                "签名无效：authorization 格式应为 authing <AccessKeyId>:<Signature>",
                "Invalid signature: authorization must be authing <AccessKeyId>:<Signature>",
            ),
            UnknownAccessKey => ("签名无效：Access Key ID 不存在", "Invalid signature: unknown Access Key ID"),
            BadSignature => ("签名无效", "Invalid signature"),
            MethodMismatch => (
                "签名方法不匹配，仅支持 HMAC-SHA1",
                "Signature method mismatch: only HMAC-SHA1 is supported",
            ),
            VersionMismatch => (
                "签名版本不匹配，仅支持 1.0",
                "Signature version mismatch: only 1.0 is supported",
            ),
            BadTimestamp => (
                "时间戳格式错误：date 须为 RFC 7231 日期，x-authing-date 须为毫秒时间戳",
                "Bad timestamp format: date must be an RFC 7231 date, x-authing-date epoch milliseconds",
            ),
            NoDate => ("缺少 date 请求头", "Missing date header"),
            DateSkew => (
                "请求时间与服务器时间相差过大",
                "Request time is too far from server time",
            ),
            NoNonce => (
                "签名无效：缺少 x-authing-signature-nonce 请求头",
                "Invalid signature: missing x-authing-signature-nonce header",
            ),
            NonceReused => ("nonce 已被使用", "Nonce already used"),
            BadToken => ("无效的 Management Token", "Invalid management token"),
            TokenExpired => ("Management Token 已过期", "Management token expired"),
            NoUserpoolHeader => (
                "缺少 x-authing-userpool-id 请求头",
                "Missing x-authing-userpool-id header",
            ),
            UserpoolNotFound => ("用户池不存在", "User pool does not exist"),
            BadCredentials => (
                "Access Key ID 或 Access Key Secret 错误",
                "Wrong Access Key ID or Access Key Secret",
            ),
            ServerError => ("服务器内部错误", "Internal server error"),
            Unavailable => ("服务暂时不可用", "Service temporarily unavailable"),
        };
        lang.pick(zh, en)
    }
}

/// `参数 <field> 格式错误`, optionally with a reason, e.g. for `userIds`.
pub(crate) fn bad_param(lang: Lang, field: &str, reason: Option<(&str, &str)>) -> String {
    match (lang, reason) {
        (Lang::Zh, None) => format!("参数 {field} 格式错误"),
        (Lang::Zh, Some((zh, _))) => format!("参数 {field} 格式错误：{zh}"),
        (Lang::En, None) => format!("Invalid parameter {field}"),
        (Lang::En, Some((_, en))) => format!("Invalid parameter {field}: {en}"),
    }
}

/// `用户已存在` naming the conflicting field.
pub(crate) fn user_exists(lang: Lang, field: &str, value: &str) -> String {
    lang.pick(
        &format!("用户已存在：{field} {value} 已被占用"),
        &format!("User already exists: {field} {value} is taken"),
    )
}

/// The message of an envelope status injected by a fault.
pub(crate) fn for_status(lang: Lang, status_code: u16) -> String {
    match status_code {
        429 => Msg::Throttled.text(lang),
        503 => Msg::Unavailable.text(lang),
        _ => Msg::ServerError.text(lang),
    }
}
