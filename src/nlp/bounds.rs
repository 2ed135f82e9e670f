//! Bounds on the work and the output of one article: a [`Deadline`] the long stages check
//! as they go, and caps on how many mentions, dates, quotes and meetings one article yields.
//!
//! Why: hostile text within the input limit made one article stall the worker for minutes
//! ("met. " repeated for 1 MB: 438 s and a gigabyte of memory) and made a 10 KB input give a
//! 2.5 MB output. The time budget was checked only between stages, and a stage that looks
//! back over everything it found grows quadratically. Now a stage checks the deadline every
//! sentence (or quote) and stops early with a warning naming it, look-backs are capped, and
//! what one article yields is capped with a warning. The caps grow with the text and stay
//! far above what news needs: the most any of the 2,225 BBC articles (1-25 KB) reaches is 247
//! mentions, 56 dates, 65 quotes and 5 meetings.

use std::time::{Duration, Instant};

/// When a stage has to stop: the article's start and its time budget, or never.
#[derive(Debug, Clone, Copy, Default)]
pub struct Deadline {
    budget: Option<(Instant, Duration)>,
}

impl Deadline {
    /// No deadline: stages run to the end (training, evaluations, the `enrich` command).
    pub fn none() -> Deadline {
        Deadline::default()
    }

    /// The deadline of an article started at `started` with `budget` to spend.
    pub fn after(started: Instant, budget: Duration) -> Deadline {
        Deadline {
            budget: Some((started, budget)),
        }
    }

    /// Whether the budget has run out.
    pub fn passed(&self) -> bool {
        self.budget
            .is_some_and(|(started, budget)| started.elapsed() > budget)
    }

    /// The warning of a stage that stopped early.
    pub fn warning(&self, stage: &str) -> String {
        let budget = self.budget.map_or(0, |(_, budget)| budget.as_millis());
        format!(
            "the time budget of {budget} ms per article ran out during `{stage}`; its results are partial"
        )
    }
}

/// How many items of one kind an article of `text_bytes` may yield: `floor`, plus one per
/// `bytes_per_item` of text.
pub fn cap(text_bytes: usize, floor: usize, bytes_per_item: usize) -> usize {
    floor + text_bytes / bytes_per_item
}

/// The most entity mentions one article yields (the BBC's most: 247).
pub fn mention_cap(text_bytes: usize) -> usize {
    cap(text_bytes, 1_000, 100)
}

/// The most dates one article yields (the BBC's most: 56).
pub fn date_cap(text_bytes: usize) -> usize {
    cap(text_bytes, 200, 500)
}

/// The most quotes one article yields (the BBC's most: 65).
pub fn quote_cap(text_bytes: usize) -> usize {
    cap(text_bytes, 200, 250)
}

/// The most meetings one article yields (the BBC's most: 5).
pub fn meeting_cap(text_bytes: usize) -> usize {
    cap(text_bytes, 20, 2_000)
}

/// The warning of a stage that reached its cap.
pub fn cap_warning(stage: &str, what: &str, cap: usize) -> String {
    format!(
        "`{stage}` found more than {cap} {what}, the most one article may yield; only the first {cap} are reported"
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn no_deadline_never_passes_and_a_spent_one_does() {
        assert!(!Deadline::none().passed());
        let spent = Deadline::after(Instant::now(), Duration::ZERO);
        std::thread::sleep(Duration::from_millis(1));
        assert!(spent.passed());
        assert!(spent.warning("meetings").contains("`meetings`"));
    }

    #[test]
    fn caps_grow_with_the_text() {
        assert_eq!(meeting_cap(0), 20);
        assert_eq!(meeting_cap(1 << 20), 20 + (1 << 20) / 2_000);
    }
}
