//! The stall timer of one delivery: how far its enrichment got, shared by the task that works
//! on the message and the loop that keeps its ack deadline extended. Only the time on an
//! enrichment thread counts towards `worker.stall_timeout` (for a message in a batch, the
//! whole batch's time); waiting for a thread or for a PubAck does not.

use std::sync::Mutex;
use std::time::Duration;
use tokio::time::Instant;

/// How far one delivery's enrichment got.
#[derive(Default)]
pub(super) struct Attempt {
    phase: Mutex<Phase>,
}

#[derive(Clone, Copy, Default)]
enum Phase {
    #[default]
    Waiting,
    Enriching(Instant),
    Finished,
    GivenUp,
}

/// What to do at one tick of the in-progress timer.
#[derive(Debug, PartialEq, Eq)]
pub(super) enum Tick {
    /// Send an in-progress ack.
    KeepAlive,
    /// The enrichment just ran past the stall timeout: stop acking, say so once.
    GaveUpNow,
    /// Given up before: nothing.
    GivenUp,
}

impl Attempt {
    pub(super) fn start_enriching(&self) {
        let mut phase = self.phase.lock().expect("never poisoned");
        if let Phase::Waiting = *phase {
            *phase = Phase::Enriching(Instant::now());
        }
    }

    /// Ends the enrichment; false when it was given up meanwhile (its result is dropped).
    pub(super) fn finish_enriching(&self) -> bool {
        let mut phase = self.phase.lock().expect("never poisoned");
        match *phase {
            Phase::GivenUp => false,
            _ => {
                *phase = Phase::Finished;
                true
            }
        }
    }

    pub(super) fn tick(&self, stall_timeout: Duration) -> Tick {
        let mut phase = self.phase.lock().expect("never poisoned");
        match *phase {
            Phase::Enriching(since) if since.elapsed() >= stall_timeout => {
                *phase = Phase::GivenUp;
                Tick::GaveUpNow
            }
            Phase::GivenUp => Tick::GivenUp,
            _ => Tick::KeepAlive,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_stall_timer_runs_only_while_enriching() {
        let attempt = Attempt::default();
        assert_eq!(attempt.tick(Duration::ZERO), Tick::KeepAlive, "waiting");
        attempt.start_enriching();
        assert_eq!(attempt.tick(Duration::from_secs(60)), Tick::KeepAlive);
        assert_eq!(attempt.tick(Duration::ZERO), Tick::GaveUpNow);
        assert_eq!(attempt.tick(Duration::ZERO), Tick::GivenUp);
        assert!(!attempt.finish_enriching(), "a given-up result is dropped");

        let finished = Attempt::default();
        finished.start_enriching();
        assert!(finished.finish_enriching());
        assert_eq!(finished.tick(Duration::ZERO), Tick::KeepAlive, "publishing");
    }
}
