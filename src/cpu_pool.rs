//! Fixed sets of long-lived threads for CPU work, fed from async code.
//!
//! The worker enriches articles on such threads rather than on tokio's blocking pool, whose
//! threads come and go and take turns: the same few threads doing all the work keep their
//! caches, their allocator arenas and the regex engines' per-thread caches warm, and the
//! thread count is exactly the cores the worker is given. [`CpuPool`] runs one job at a
//! time per thread (the HTTP API's requests); [`BatchPool`] hands a free thread everything
//! that waits, within limits, as one batch (the worker's messages: the NLP core analyses a
//! batch stage by stage, which keeps each stage's tables in the caches). A job that panics
//! is reported to its caller; the thread goes on with the next job. The threads end when the
//! pool is dropped and the queue is empty.

use std::any::Any;
use std::collections::VecDeque;
use std::panic::{catch_unwind, AssertUnwindSafe};
use std::sync::mpsc;
use std::sync::{Arc, Condvar, Mutex};

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

/// Limits of one batch of a [`BatchPool`].
#[derive(Debug, Clone, Copy)]
pub struct BatchLimits {
    /// Jobs in one batch at most (1: one at a time).
    pub jobs: usize,
    /// Once a batch holds this much input (by the weight given with each job), no further
    /// job joins it; a heavier job still runs, alone.
    pub weight: usize,
}

/// A fixed set of long-lived threads that run queued jobs in batches: a thread that comes
/// free takes what is waiting (an even share of it when other threads are free too, within
/// [`BatchLimits`]) and runs it through one call of the batch function. It never waits for
/// a batch to fill: under light load batches are of one job, under load they grow.
///
/// Each job's result goes back to its own caller. A job can ask to run alone (a batch of
/// one). A batch that panics is run again one job at a time, so that only the job that
/// panics is reported as panicked (the batch function must be deterministic and free of
/// side effects for this to be right); the others get their results.
pub struct BatchPool<I, O> {
    shared: Arc<BatchQueue<I, O>>,
}

struct BatchQueue<I, O> {
    state: Mutex<QueueState<I, O>>,
    ready: Condvar,
    limits: BatchLimits,
}

struct QueueState<I, O> {
    waiting: VecDeque<BatchJob<I, O>>,
    /// Threads waiting for jobs.
    idle: usize,
    closed: bool,
}

struct BatchJob<I, O> {
    input: I,
    weight: usize,
    alone: bool,
    /// Called on the pool thread as the job's batch starts.
    on_start: Box<dyn FnOnce() + Send>,
    result: tokio::sync::oneshot::Sender<Result<O, JobFailure>>,
}

impl<I: Send + 'static, O: Send + 'static> BatchPool<I, O> {
    /// Starts `threads` threads (at least one), named `<name>-<n>`, each running batches
    /// through `work`, which gives one output per input, in order.
    pub fn new(
        name: &str,
        threads: usize,
        limits: BatchLimits,
        work: impl Fn(&[I]) -> Vec<O> + Send + Sync + 'static,
    ) -> std::io::Result<BatchPool<I, O>> {
        let threads = threads.max(1);
        let shared = Arc::new(BatchQueue {
            state: Mutex::new(QueueState {
                waiting: VecDeque::new(),
                idle: 0,
                closed: false,
            }),
            ready: Condvar::new(),
            limits: BatchLimits {
                jobs: limits.jobs.max(1),
                weight: limits.weight,
            },
        });
        let work = Arc::new(work);
        for n in 0..threads {
            let shared = Arc::clone(&shared);
            let work = Arc::clone(&work);
            std::thread::Builder::new()
                .name(format!("{name}-{n}"))
                .spawn(move || {
                    while let Some(batch) = shared.next_batch() {
                        run_batch(batch, work.as_ref());
                    }
                })?;
        }
        Ok(BatchPool { shared })
    }

    /// Queues `input` (of `weight`, for the batch limit; `alone` to run it in a batch of
    /// its own) and waits for its output without blocking the reactor. `on_start` is called
    /// on the pool thread when the job's batch starts.
    pub async fn run(
        &self,
        input: I,
        weight: usize,
        alone: bool,
        on_start: impl FnOnce() + Send + 'static,
    ) -> Result<O, JobFailure> {
        let (sender, result) = tokio::sync::oneshot::channel();
        {
            let mut state = self.shared.state.lock().map_err(|_| JobFailure::Stopped)?;
            if state.closed {
                return Err(JobFailure::Stopped);
            }
            state.waiting.push_back(BatchJob {
                input,
                weight,
                alone,
                on_start: Box::new(on_start),
                result: sender,
            });
        }
        self.shared.ready.notify_one();
        result.await.unwrap_or(Err(JobFailure::Stopped))
    }
}

impl<I, O> Drop for BatchPool<I, O> {
    /// The threads finish what is queued, then end.
    fn drop(&mut self) {
        if let Ok(mut state) = self.shared.state.lock() {
            state.closed = true;
        }
        self.shared.ready.notify_all();
    }
}

impl<I, O> BatchQueue<I, O> {
    /// Waits for jobs and takes the next batch; None once the pool is dropped and empty.
    fn next_batch(&self) -> Option<Vec<BatchJob<I, O>>> {
        let mut state = self.state.lock().ok()?;
        state.idle += 1;
        while state.waiting.is_empty() {
            if state.closed {
                state.idle -= 1;
                return None;
            }
            state = self.ready.wait(state).ok()?;
        }
        // An even share of what waits among the threads free to take it, this one included:
        // all of it when the others are busy.
        let share = state.waiting.len().div_ceil(state.idle);
        state.idle -= 1;
        let most = share.clamp(1, self.limits.jobs);
        let mut batch: Vec<BatchJob<I, O>> = Vec::with_capacity(most);
        let mut weight = 0;
        while let Some(next) = state.waiting.front() {
            let fits = batch.is_empty()
                || (batch.len() < most
                    && !next.alone
                    && weight + next.weight <= self.limits.weight);
            if !fits {
                break;
            }
            let job = state.waiting.pop_front().expect("the front was there");
            weight += job.weight;
            let alone = job.alone;
            batch.push(job);
            if alone {
                break;
            }
        }
        let more = !state.waiting.is_empty();
        drop(state);
        if more {
            self.ready.notify_one();
        }
        Some(batch)
    }
}

/// Runs one batch and sends each job its result; a panicking batch is run again job by job.
fn run_batch<I, O>(batch: Vec<BatchJob<I, O>>, work: &(impl Fn(&[I]) -> Vec<O> + ?Sized)) {
    let mut inputs = Vec::with_capacity(batch.len());
    let mut senders = Vec::with_capacity(batch.len());
    for job in batch {
        (job.on_start)();
        inputs.push(job.input);
        senders.push(job.result);
    }
    let outputs = catch_unwind(AssertUnwindSafe(|| {
        let outputs = work(&inputs);
        assert_eq!(outputs.len(), inputs.len(), "one output per input");
        outputs
    }));
    match outputs {
        Ok(outputs) => {
            for (sender, output) in senders.into_iter().zip(outputs) {
                let _ = sender.send(Ok(output));
            }
        }
        Err(panic) if inputs.len() == 1 => {
            if let Some(sender) = senders.pop() {
                let _ = sender.send(Err(JobFailure::Panicked(panic_text(panic))));
            }
        }
        Err(_) => {
            for (input, sender) in inputs.iter().zip(senders) {
                let alone = catch_unwind(AssertUnwindSafe(|| {
                    work(std::slice::from_ref(input))
                        .pop()
                        .expect("one output per input")
                }));
                let _ = sender.send(alone.map_err(|panic| JobFailure::Panicked(panic_text(panic))));
            }
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

    /// The inputs of each batch a pool ran, in order.
    type Recorded = Arc<Mutex<Vec<Vec<u32>>>>;

    /// A pool of one thread whose work records each batch's inputs, waits for a message on
    /// the returned sender while a batch holds 0, panics on 99, and gives each input times
    /// ten.
    fn recording_pool(limits: BatchLimits) -> (BatchPool<u32, u32>, Recorded, mpsc::Sender<()>) {
        recording_pool_of(1, limits)
    }

    /// [`recording_pool`] with `threads` threads; a batch holding 100 waits as one holding 0.
    fn recording_pool_of(
        threads: usize,
        limits: BatchLimits,
    ) -> (BatchPool<u32, u32>, Recorded, mpsc::Sender<()>) {
        let batches = Arc::new(Mutex::new(Vec::new()));
        let (release, released) = mpsc::channel::<()>();
        let released = Mutex::new(released);
        let seen = Arc::clone(&batches);
        let pool = BatchPool::new("test-batch", threads, limits, move |inputs: &[u32]| {
            seen.lock().unwrap().push(inputs.to_vec());
            if inputs.contains(&0) || inputs.contains(&100) {
                released.lock().unwrap().recv().unwrap();
            }
            assert!(!inputs.contains(&99), "input 99");
            inputs.iter().map(|input| input * 10).collect()
        })
        .unwrap();
        (pool, batches, release)
    }

    /// Holds the pool's thread on input 0, queues `jobs` (input, weight, alone) behind it,
    /// then lets it go: gives each queued job's result, in order.
    async fn queued_behind_a_busy_thread(
        pool: &BatchPool<u32, u32>,
        release: &mpsc::Sender<()>,
        jobs: &[(u32, usize, bool)],
    ) -> Vec<Result<u32, JobFailure>> {
        let (started, start) = mpsc::channel();
        let mut first = Box::pin(pool.run(0, 1, false, move || started.send(()).unwrap()));
        assert!(futures::poll!(first.as_mut()).is_pending());
        start.recv().unwrap();
        let mut rest = Box::pin(futures::future::join_all(
            jobs.iter()
                .map(|&(input, weight, alone)| pool.run(input, weight, alone, || {})),
        ));
        assert!(futures::poll!(rest.as_mut()).is_pending());
        release.send(()).unwrap();
        assert_eq!(first.await.unwrap(), 0);
        rest.await
    }

    #[tokio::test]
    async fn jobs_that_wait_for_a_thread_run_as_one_batch_each_getting_its_own_result() {
        let limits = BatchLimits {
            jobs: 32,
            weight: 1000,
        };
        let (pool, batches, release) = recording_pool(limits);
        let jobs: Vec<_> = (1..=5).map(|input| (input, 1, false)).collect();
        let results = queued_behind_a_busy_thread(&pool, &release, &jobs).await;
        let results: Vec<u32> = results.into_iter().map(Result::unwrap).collect();
        assert_eq!(results, vec![10, 20, 30, 40, 50]);
        assert_eq!(*batches.lock().unwrap(), vec![vec![0], vec![1, 2, 3, 4, 5]]);
        // With nothing waiting, a job runs at once, alone.
        assert_eq!(pool.run(7, 1, false, || {}).await.unwrap(), 70);
        assert_eq!(batches.lock().unwrap().last(), Some(&vec![7]));
    }

    #[tokio::test]
    async fn a_thread_takes_all_that_waits_while_the_others_are_busy() {
        let limits = BatchLimits {
            jobs: 32,
            weight: 1000,
        };
        let (pool, batches, release) = recording_pool_of(2, limits);
        // Both threads held, one on 0 and one on 100.
        let mut held = Vec::new();
        for input in [0, 100] {
            let (started, start) = mpsc::channel();
            let mut job = Box::pin(pool.run(input, 1, false, move || started.send(()).unwrap()));
            assert!(futures::poll!(job.as_mut()).is_pending());
            start.recv().unwrap();
            held.push(job);
        }
        let mut queued = Box::pin(futures::future::join_all(
            (1..=6).map(|input| pool.run(input, 1, false, || {})),
        ));
        assert!(futures::poll!(queued.as_mut()).is_pending());
        // One thread comes free while the other is still held: it takes all six.
        release.send(()).unwrap();
        let results: Vec<u32> = queued.await.into_iter().map(Result::unwrap).collect();
        assert_eq!(results, vec![10, 20, 30, 40, 50, 60]);
        release.send(()).unwrap();
        for job in held {
            job.await.unwrap();
        }
        let batches = batches.lock().unwrap();
        assert_eq!(batches.len(), 3, "{batches:?}");
        assert!(batches.contains(&vec![1, 2, 3, 4, 5, 6]), "{batches:?}");
    }

    #[tokio::test]
    async fn a_batch_stops_at_its_job_count_its_weight_and_a_job_that_runs_alone() {
        let limits = BatchLimits {
            jobs: 3,
            weight: 10,
        };
        let (pool, batches, release) = recording_pool(limits);
        let jobs = [
            (1, 1, false),
            (2, 1, false),
            (3, 1, false),
            (4, 1, false), // the count: a new batch
            (5, 8, false),
            (6, 4, false),  // 1 + 8 + 4 > 10: a new batch
            (7, 1, true),   // alone
            (8, 20, false), // heavier than the limit: runs, alone
            (9, 1, false),
        ];
        let results = queued_behind_a_busy_thread(&pool, &release, &jobs).await;
        assert!(results.iter().all(Result::is_ok));
        assert_eq!(
            *batches.lock().unwrap(),
            vec![
                vec![0],
                vec![1, 2, 3],
                vec![4, 5],
                vec![6],
                vec![7],
                vec![8],
                vec![9]
            ]
        );
    }

    #[tokio::test]
    async fn a_panic_in_a_batch_fails_only_the_job_that_panics() {
        let limits = BatchLimits {
            jobs: 32,
            weight: 1000,
        };
        let (pool, batches, release) = recording_pool(limits);
        let jobs = [(1, 1, false), (99, 1, false), (3, 1, false)];
        let results = queued_behind_a_busy_thread(&pool, &release, &jobs).await;
        assert_eq!(results[0].as_ref().unwrap(), &10);
        assert!(matches!(&results[1], Err(JobFailure::Panicked(text)) if text == "input 99"));
        assert_eq!(results[2].as_ref().unwrap(), &30);
        // The batch, then each of its jobs alone.
        assert_eq!(
            *batches.lock().unwrap(),
            vec![vec![0], vec![1, 99, 3], vec![1], vec![99], vec![3]]
        );
        // The thread goes on.
        assert_eq!(pool.run(4, 1, false, || {}).await.unwrap(), 40);
    }
}
