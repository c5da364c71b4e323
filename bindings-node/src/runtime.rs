//! The tokio runtime every call of the addon runs on: napi's, built here with one worker.
//!
//! napi's default is a multi-thread runtime with a worker per core. A call is a chain of
//! short steps (the call's task, hyper's connection task, the reply to the JS thread),
//! and with two workers each wake-up could land on the other worker or wake it to
//! steal: at one call in flight the two workers shared the work evenly and a call cost
//! ~6 context switches. With one worker the call's task and its connection's task run
//! on the same thread (README: "Where the time of a call goes").

/// Hands napi a multi-thread runtime with a single worker before anything uses napi's
/// runtime (a constructor at load, as napi documents). If it cannot be built, napi
/// builds its default one on first use, as before: slower, never wrong.
#[napi_derive::module_init]
fn one_worker() {
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(1)
        .thread_name("authing-resign")
        .enable_all()
        .build();
    if let Ok(runtime) = runtime {
        napi::bindgen_prelude::create_custom_tokio_runtime(runtime);
    }
}
