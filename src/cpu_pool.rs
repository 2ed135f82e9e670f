//! A fixed set of long-lived threads for CPU work, fed from async code.
//!
//! The worker enriches each article on one of these threads rather than on tokio's blocking
//! pool, whose threads come and go and take turns: the same few threads doing all the work
//! keep their caches, their allocator arenas and the regex engines' per-thread caches warm,
//! and the thread count is exactly the cores the worker is given. A job that panics is
//! reported to its caller; the thread goes on with the next job. The threads end when the
//! pool is dropped and the queue is empty.

use std::any::Any;
use std::panic::{catch_unwind, AssertUnwindSafe};
use std::sync::mpsc;
use std::sync::{Arc, Mutex};

type Job = Box<dyn FnOnce() + Send>;

/// Why a job gave no result.
#[derive(Debug)]
pub enum JobFailure {
    /// The job panicked, with this message.
    Panicked(String),
    /// The pool is gone (the process is shutting down).
    Stopped,
}

/// The pool: a queue and the threads that take jobs from it.
pub struct CpuPool {
    jobs: mpsc::Sender<Job>,
}

impl CpuPool {
    /// Starts `threads` threads (at least one), named `<name>-<n>`.
    pub fn new(name: &str, threads: usize) -> std::io::Result<CpuPool> {
        let (jobs, queue) = mpsc::channel::<Job>();
        let queue = Arc::new(Mutex::new(queue));
        for n in 0..threads.max(1) {
            let queue = Arc::clone(&queue);
            std::thread::Builder::new()
                .name(format!("{name}-{n}"))
                .spawn(move || loop {
                    // The lock is held only while waiting for a job, never while running one.
                    let job = match queue.lock() {
                        Ok(queue) => queue.recv(),
                        Err(_) => return,
                    };
                    match job {
                        Ok(job) => job(),
                        Err(_) => return,
                    }
                })?;
        }
        Ok(CpuPool { jobs })
    }

    /// Runs `work` on a pool thread and waits for its result without blocking the reactor.
    pub async fn run<T: Send + 'static>(
        &self,
        work: impl FnOnce() -> T + Send + 'static,
    ) -> Result<T, JobFailure> {
        let (result_sender, result) = tokio::sync::oneshot::channel();
        let job: Job = Box::new(move || {
            let outcome = catch_unwind(AssertUnwindSafe(work)).map_err(panic_text);
            let _ = result_sender.send(outcome);
        });
        self.jobs.send(job).map_err(|_| JobFailure::Stopped)?;
        match result.await {
            Ok(Ok(value)) => Ok(value),
            Ok(Err(panic)) => Err(JobFailure::Panicked(panic)),
            Err(_) => Err(JobFailure::Stopped),
        }
    }
}

fn panic_text(panic: Box<dyn Any + Send>) -> String {
    panic
        .downcast_ref::<&str>()
        .map(|text| text.to_string())
        .or_else(|| panic.downcast_ref::<String>().cloned())
        .unwrap_or_else(|| "a panic without a message".to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn jobs_run_on_the_named_threads_and_a_panic_is_reported_not_fatal() {
        let pool = CpuPool::new("test-cpu", 2).unwrap();
        let name = pool
            .run(|| std::thread::current().name().map(str::to_string))
            .await
            .unwrap();
        assert!(name.is_some_and(|name| name.starts_with("test-cpu-")));
        let failure = pool.run(|| -> u32 { panic!("boom") }).await;
        assert!(matches!(failure, Err(JobFailure::Panicked(text)) if text == "boom"));
        // Both threads are still there after the panic.
        let sums = futures::future::join_all((0..8u64).map(|n| pool.run(move || n * 2))).await;
        let total: u64 = sums.into_iter().map(Result::unwrap).sum();
        assert_eq!(total, 56);
    }
}
