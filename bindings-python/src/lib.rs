//! Python binding of `authing-resign` (issue 5): the native module
//! `authing_resign._native`. It converts Python arguments, forwards to the Rust core and
//! maps results and errors back; every decision (validation, retries, bulk planning)
//! stays in the core so all languages behave the same.

mod args;
mod awaitable;
mod blocking;
mod calls;
mod client;
mod completions;
mod errors;
mod gil;
mod local;
mod logging;
mod options;
mod progress;
mod report;
mod report_file;
mod response;

use pyo3::prelude::*;

/// Version of this binding, also sent as `x-authing-sdk-version: authing-resign-python:<version>`.
pub(crate) const VERSION: &str = env!("CARGO_PKG_VERSION");

/// The native module; `authing_resign/__init__.py` re-exports its public names.
#[pymodule]
fn _native(m: &Bound<'_, PyModule>) -> PyResult<()> {
    gil::register_exit_hook(m)?;
    local::register_fork_hook(m)?;
    logging::install(m.py())?;
    m.add("__version__", VERSION)?;
    // The core's wire values, so a test can hold the hand-written `UserIdType` enum
    // (static for type checkers) to the core's list.
    let id_types: Vec<&str> = authing_resign::UserIdType::ALL
        .iter()
        .map(|t| t.as_str())
        .collect();
    m.add(
        "USER_ID_TYPES",
        pyo3::types::PyTuple::new(m.py(), id_types)?,
    )?;
    // The core's auth scheme names (`auth=`), so Python never spells them itself.
    let schemes: Vec<&str> = authing_resign::AuthScheme::ALL
        .iter()
        .map(|a| a.as_str())
        .collect();
    m.add("AUTH_SCHEMES", pyo3::types::PyTuple::new(m.py(), schemes)?)?;
    m.add(
        "DEFAULT_AUTH_SCHEME",
        authing_resign::AuthScheme::default().as_str(),
    )?;
    m.add(
        "RESUME_FIELDS",
        pyo3::types::PyTuple::new(m.py(), errors::resume_fields())?,
    )?;
    m.add_function(pyo3::wrap_pyfunction!(errors::error_fields, m)?)?;
    m.add_function(pyo3::wrap_pyfunction!(local::_thread_clients, m)?)?;
    m.add_class::<client::Client>()?;
    m.add_class::<response::ResignUserResponse>()?;
    m.add_class::<response::ResignUserData>()?;
    m.add_class::<report::BulkReport>()?;
    m.add_class::<report::BulkTotals>()?;
    m.add_class::<report::UserOutcome>()?;
    m.add_class::<report::OutcomeError>()?;
    Ok(())
}
