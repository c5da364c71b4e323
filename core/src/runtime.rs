//! The runtime the Node and Swift/Kotlin bindings run their calls on. The core itself
//! never creates one (it runs on its caller's); this is for bindings whose callers have
//! no tokio of their own.

use std::io;

use tokio::runtime::{Builder, Handle};

/// Builds a current-thread tokio runtime (I/O and timers enabled) and starts the one
/// thread, named `authing-resign`, that drives it for as long as the process lives;
/// returns its handle. A task spawned on the handle from any thread is pushed on the
/// runtime's queue and wakes that thread (one eventfd write), and the calls, their
/// connections' tasks and the timers all run there: one thread hand-off each way, not
/// the multi-thread scheduler's searching workers. The thread never keeps a process
/// alive on its own account: it is not joined, and the process exits around it.
///
/// Fails when the runtime's I/O driver or the thread cannot be created.
pub fn start_background() -> io::Result<Handle> {
    let runtime = Builder::new_current_thread()
        .thread_name("authing-resign-blocking")
        .enable_all()
        .build()?;
    let handle = runtime.handle().clone();
    std::thread::Builder::new()
        .name("authing-resign".into())
        .spawn(move || runtime.block_on(std::future::pending::<()>()))?;
    Ok(handle)
}
