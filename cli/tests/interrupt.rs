//! A second Ctrl-C cuts the calls in flight and still writes the report (exit 130).

mod common;

use std::io::{BufRead, BufReader};
use std::time::{Duration, Instant};

use authing_emulator::{Fault, FaultKind};
use authing_resign::Outcome;
use common::{interrupt, parts, read_report, BATCH};

/// Waits (up to a minute, so a slow machine only makes the test slower) for `cond`.
fn wait_for(what: &str, mut cond: impl FnMut() -> bool) {
    let start = Instant::now();
    while !cond() {
        assert!(
            start.elapsed() < Duration::from_secs(60),
            "waiting for {what}"
        );
        std::thread::sleep(Duration::from_millis(20));
    }
}

#[test]
fn a_second_ctrl_c_cuts_calls_in_flight_and_still_writes_the_report() {
    let (srv, path, mut child) = common::slow_job("hang", 50);
    wait_for("two finished calls", || srv.batch_calls().len() >= 2);

    // From now on a call hangs for a minute; wait until one is in flight.
    srv.emu.add_fault(Fault::always(
        BATCH,
        FaultKind::Delay(Duration::from_secs(60)),
    ));
    let arrived = srv.emu.stats().requests;
    wait_for("a hanging call", || srv.emu.stats().requests > arrived);

    interrupt(&child);
    let mut stderr = BufReader::new(child.stderr.take().unwrap());
    let mut line = String::new();
    while !line.contains("cancelling") {
        line.clear();
        assert!(stderr.read_line(&mut line).unwrap() > 0, "stderr closed");
    }
    interrupt(&child);
    let mut rest = String::new();
    std::io::Read::read_to_string(&mut stderr, &mut rest).unwrap();
    let out = child.wait_with_output().unwrap();
    let (code, stdout, _) = parts(&out);
    assert_eq!(code, 130, "{stdout}{rest}");
    assert!(rest.contains("aborting"), "{rest}");

    let r = read_report(&path);
    assert_eq!(r.stopped_early.as_ref().unwrap().code, "cancelled");
    let cut: Vec<_> = r
        .users
        .iter()
        .filter(|u| u.outcome == Outcome::Unknown)
        .collect();
    assert_eq!(
        cut.len(),
        5,
        "the one chunk in flight, unknown: {:?}",
        r.totals
    );
    for u in cut {
        let e = u.error.as_ref().unwrap();
        assert_eq!(e.code, "cancelled");
        assert!(e.message.contains("may or may not have acted"), "{e:?}");
    }
    assert!(r.totals.resigned >= 10, "{:?}", r.totals);
    assert_eq!(r.totals.sum(), 300);
    assert!(
        stdout.contains("stopped early"),
        "the summary is printed: {stdout}"
    );
}
