//! One worker run of a load measurement: its own stream, subject and consumer names and
//! settings file, the worker started as a child process (readiness, memory, CPU time, stop),
//! the observer of its output subject, and this process's connection to the same server.

use super::*;

/// One worker child on its own streams, with this process's connection to the same server.
pub(super) struct Harness {
    pub(super) run: RunNames,
    pub(super) settings: Settings,
    pub(super) connection: Connection,
    pub(super) worker: WorkerChild,
    pub(super) config_file: PathBuf,
}

impl Harness {
    /// Writes the run's settings, connects, starts the worker and waits until it is ready.
    pub(super) async fn start(
        options: &LoadOptions,
        threads: usize,
        pass_through: bool,
    ) -> Result<Harness, LoadError> {
        let run = RunNames::new(pass_through);
        let environment = child_environment();
        let config_file = std::env::temp_dir().join(format!("article-enricher-{}.toml", run.tag));
        let http_port =
            free_loopback_port().map_err(|error| LoadError::Worker(error.to_string()))?;
        std::fs::write(
            &config_file,
            run.worker_config(&options.nats_url, threads, http_port),
        )
        .map_err(|error| LoadError::Worker(format!("cannot write its settings: {error}")))?;
        let started = async {
            let settings = Settings::load_from(Sources {
                config_dir: PathBuf::from("config"),
                config_file: Some(config_file.clone()),
                environment: environment.clone(),
            })?;
            let connection = Connection::connect(&settings.nats).await?;
            let mut worker = WorkerChild::start(
                &options.worker_binary,
                &config_file,
                environment,
                pass_through,
            )?;
            if let Err(error) = worker.wait_ready(http_port, Duration::from_secs(60)).await {
                worker.stop(Duration::from_secs(5)).await;
                let _ = connection.delete_streams(&settings.streams).await;
                return Err(error);
            }
            Ok((settings, connection, worker))
        }
        .await;
        match started {
            Ok((settings, connection, worker)) => Ok(Harness {
                run,
                settings,
                connection,
                worker,
                config_file,
            }),
            Err(error) => {
                let _ = std::fs::remove_file(&config_file);
                Err(error)
            }
        }
    }

    /// Messages in the run's output stream beyond the `arrived` distinct articles: copies
    /// stored twice. Waits a moment first, for a late duplicate to land.
    pub(super) async fn duplicates_stored(&self, arrived: u64) -> Result<usize, LoadError> {
        tokio::time::sleep(Duration::from_millis(500)).await;
        let stored = self
            .connection
            .stream_message_count(&self.settings.streams.enriched.name)
            .await?;
        Ok(stored.saturating_sub(arrived) as usize)
    }

    /// Starts watching the run's output subject.
    pub(super) async fn observer(&self) -> Result<Observer, LoadError> {
        let subscription = self
            .connection
            .queue_subscribe(
                &self.run.output_subject(),
                &format!("observer-{}", self.run.tag),
            )
            .await?;
        Ok(Observer::new(subscription))
    }

    /// Stops the worker, deletes the run's streams and settings file.
    pub(super) async fn finish(mut self) {
        self.worker.stop(Duration::from_secs(30)).await;
        let _ = std::fs::remove_file(&self.config_file);
        if let Err(error) = self.connection.delete_streams(&self.settings.streams).await {
            tracing::warn!(%error, "cannot delete the load streams");
        }
        self.connection.drain(Duration::from_secs(5)).await;
    }
}

/// The names of one worker run: streams, subjects and consumer, all its own.
pub(super) struct RunNames {
    pub(super) tag: String,
}

impl RunNames {
    pub(super) fn new(pass_through: bool) -> RunNames {
        let nanos = std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map_or(0, |elapsed| elapsed.as_nanos());
        let kind = if pass_through { "p" } else { "w" };
        RunNames {
            tag: format!("lg{}{kind}{}", std::process::id(), nanos % 1_000_000_000),
        }
    }

    /// The payloads of one phase, each article under an id of its own.
    pub(super) fn load(&self, phase: &str, articles: &[LoadArticle]) -> Load {
        articles
            .iter()
            .enumerate()
            .map(|(n, article)| {
                let id = format!("{}-{phase}-{n}", self.tag);
                let payload = article.payload(&id);
                (id, payload)
            })
            .collect()
    }

    pub(super) fn input_subject(&self) -> String {
        format!("loadgen.{}.raw.article", self.tag)
    }

    pub(super) fn output_subject(&self) -> String {
        format!("loadgen.{}.enriched.>", self.tag)
    }

    /// The worker's settings file: this run's streams and subjects, loopback HTTP.
    pub(super) fn worker_config(&self, nats_url: &str, threads: usize, http_port: u16) -> String {
        let tag = &self.tag;
        let upper = tag.to_uppercase();
        let stream = |name: &str, subject: &str| {
            format!(
                "[streams.{name}]\nname = \"LOADGEN_{upper}_{}\"\nsubjects = [\"loadgen.{tag}.{subject}.>\"]\nmax_age = \"1h\"\n",
                name.to_uppercase()
            )
        };
        format!(
            "mode = \"jetstream\"\n\
             [nats]\nurl = {nats_url:?}\nname = \"article-enricher-loadgen\"\n\
             [subjects]\ninput = \"loadgen.{tag}.raw.>\"\n\
             output_prefix = \"loadgen.{tag}.enriched\"\ndlq_prefix = \"loadgen.{tag}.dlq\"\n\
             [streams]\ncreate = true\n{}{}{}\
             [consumer]\ndurable = \"loadgen\"\n\
             [worker]\nenrich_threads = {threads}\n\
             [http]\nbind = \"127.0.0.1\"\nport = {http_port}\n\
             [log]\nformat = \"json\"\nfilter = \"warn\"\n",
            stream("articles", "raw"),
            stream("enriched", "enriched"),
            stream("dlq", "dlq"),
        )
    }
}

/// The environment of the worker child and of this process's settings: the caller's, less
/// what would move the worker off its run's settings file (credentials and TLS are kept) and
/// `RUST_LOG`, which would override the run's quiet log filter.
pub(super) fn child_environment() -> HashMap<String, String> {
    std::env::vars()
        .filter(|(name, _)| {
            let settings_variable =
                name.starts_with("ENRICHER_") || name == "NATS_URL" || name == "RUST_LOG";
            !settings_variable
                || name.starts_with("ENRICHER__NATS__AUTH__")
                || name.starts_with("ENRICHER__NATS__TLS__")
        })
        .collect()
}

pub(super) fn free_loopback_port() -> std::io::Result<u16> {
    let listener = std::net::TcpListener::bind("127.0.0.1:0")?;
    Ok(listener.local_addr()?.port())
}

/// What one phase saw: when each article was published and when its copy arrived.
pub(super) struct Phase {
    pub(super) sent_at: HashMap<String, Instant>,
    pub(super) arrivals: HashMap<String, Instant>,
    pub(super) lost: usize,
    /// The worker's resident set every 10 s, when it was sampled.
    pub(super) rss_mb: Vec<f64>,
}

impl Phase {
    /// Publish to arrival of each article that came, sorted.
    pub(super) fn latencies(&self) -> Vec<Duration> {
        let mut latencies: Vec<Duration> = self
            .arrivals
            .iter()
            .filter_map(|(id, arrived)| Some(arrived.duration_since(*self.sent_at.get(id)?)))
            .collect();
        latencies.sort_unstable();
        latencies
    }
}

/// The enriched copies seen on the output subject, by article id.
pub(super) struct Observer {
    pub(super) subscription: CoreSubscription,
    pub(super) arrivals: HashMap<String, Instant>,
}

impl Observer {
    pub(super) fn new(subscription: CoreSubscription) -> Observer {
        Observer {
            subscription,
            arrivals: HashMap::new(),
        }
    }

    /// Notes one enriched copy; its article id when it is the first copy of that article.
    pub(super) fn record(&mut self, message_id: Option<&str>) -> Option<String> {
        // `<article id>:<payload hash>` from the worker, the bare id from the pass-through.
        let id = message_id?.split(':').next()?;
        if self.arrivals.contains_key(id) {
            return None;
        }
        self.arrivals.insert(id.to_string(), Instant::now());
        Some(id.to_string())
    }

    /// Records arrivals while `publishing` runs and then until every article it published
    /// has come or `timeout` has passed since its end; a failed publish ends the phase at
    /// once. With `rss_of`, samples that process's resident set every 10 s meanwhile.
    pub(super) async fn observe(
        &mut self,
        mut publishing: tokio::task::JoinHandle<Result<HashMap<String, Instant>, LoadError>>,
        timeout: Duration,
        rss_of: Option<&WorkerChild>,
    ) -> Result<Phase, LoadError> {
        let joined = |outcome: Result<_, tokio::task::JoinError>| {
            outcome.map_err(|error| LoadError::Worker(error.to_string()))?
        };
        let mut sent_at: Option<HashMap<String, Instant>> = None;
        let mut waiting = 0;
        let mut deadline = tokio::time::Instant::now() + timeout;
        let mut sampler = tokio::time::interval(Duration::from_secs(10));
        let mut rss_mb = Vec::new();
        while sent_at.is_none() || waiting > 0 {
            tokio::select! {
                outcome = &mut publishing, if sent_at.is_none() => {
                    let sent = joined(outcome)?;
                    waiting = sent.keys().filter(|id| !self.arrivals.contains_key(*id)).count();
                    deadline = tokio::time::Instant::now() + timeout;
                    sent_at = Some(sent);
                }
                message = self.subscription.next() => match message {
                    Some(message) => {
                        let first = self.record(message.message_id());
                        let expected = |id: &String| sent_at.as_ref().is_some_and(|sent| sent.contains_key(id));
                        if first.as_ref().is_some_and(expected) {
                            waiting -= 1;
                        }
                    }
                    None => break,
                },
                _ = sampler.tick(), if rss_of.is_some() => {
                    if let Some(rss) = rss_of.and_then(WorkerChild::rss_mb) {
                        rss_mb.push(rss);
                    }
                }
                _ = tokio::time::sleep_until(deadline), if sent_at.is_some() => break,
            }
        }
        let sent_at = match sent_at {
            Some(sent_at) => sent_at,
            None => joined(publishing.await)?,
        };
        let arrivals: HashMap<String, Instant> = sent_at
            .keys()
            .filter_map(|id| Some((id.clone(), *self.arrivals.get(id)?)))
            .collect();
        Ok(Phase {
            lost: sent_at.len() - arrivals.len(),
            arrivals,
            sent_at,
            rss_mb,
        })
    }
}

/// The worker process of one run.
pub(super) struct WorkerChild {
    pub(super) child: tokio::process::Child,
}

impl WorkerChild {
    pub(super) fn start(
        binary: &Path,
        config_file: &Path,
        environment: HashMap<String, String>,
        pass_through: bool,
    ) -> Result<WorkerChild, LoadError> {
        let mut command = tokio::process::Command::new(binary);
        command
            .arg("run")
            .arg("--config")
            .arg(config_file)
            .env_clear()
            .envs(environment)
            .stdin(std::process::Stdio::null())
            .stdout(std::process::Stdio::null())
            .stderr(std::process::Stdio::inherit())
            .kill_on_drop(true);
        if pass_through {
            command.arg("--pass-through");
        }
        #[cfg(target_os = "linux")]
        // SAFETY: prctl is async-signal-safe and touches no memory of this process. The
        // worker then dies with this process rather than outlive an interrupted run.
        unsafe {
            command.pre_exec(|| {
                libc::prctl(libc::PR_SET_PDEATHSIG, libc::SIGTERM);
                Ok(())
            });
        }
        let child = command.spawn().map_err(|error| {
            LoadError::Worker(format!("cannot start {}: {error}", binary.display()))
        })?;
        Ok(WorkerChild { child })
    }

    /// Polls `/readyz` until the worker answers 200 (connected, streams and consumer set up).
    pub(super) async fn wait_ready(
        &mut self,
        http_port: u16,
        timeout: Duration,
    ) -> Result<(), LoadError> {
        let deadline = Instant::now() + timeout;
        while Instant::now() < deadline {
            if let Ok(Some(status)) = self.child.try_wait() {
                return Err(LoadError::Worker(format!(
                    "it exited before it was ready ({status})"
                )));
            }
            if readyz_status(http_port).await == Some(200) {
                return Ok(());
            }
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
        Err(LoadError::Worker(format!(
            "not ready within {} s",
            timeout.as_secs()
        )))
    }

    /// The peak resident set in MB (Linux `/proc/<pid>/status`, VmHWM).
    pub(super) fn peak_rss_mb(&self) -> Option<f64> {
        self.memory_status("VmHWM:")
    }

    /// The resident set now, in MB (VmRSS).
    pub(super) fn rss_mb(&self) -> Option<f64> {
        self.memory_status("VmRSS:")
    }

    pub(super) fn memory_status(&self, field: &str) -> Option<f64> {
        let pid = self.child.id()?;
        let status = std::fs::read_to_string(format!("/proc/{pid}/status")).ok()?;
        let line = status.lines().find(|line| line.starts_with(field))?;
        let kilobytes: f64 = line.split_whitespace().nth(1)?.parse().ok()?;
        Some(kilobytes / 1024.0)
    }

    /// CPU time used so far by all the worker's threads (Linux `/proc/<pid>/stat`).
    pub(super) fn cpu_seconds(&self) -> Option<f64> {
        process_cpu_seconds(&self.child.id()?.to_string())
    }

    /// SIGTERM, then a kill if it has not exited within `timeout`.
    pub(super) async fn stop(&mut self, timeout: Duration) {
        #[cfg(unix)]
        if let Some(pid) = self.child.id() {
            // SAFETY: kill(2) with a pid this process started and has not yet reaped.
            unsafe {
                libc::kill(pid as libc::pid_t, libc::SIGTERM);
            }
        }
        if tokio::time::timeout(timeout, self.child.wait())
            .await
            .is_err()
        {
            let _ = self.child.kill().await;
        }
    }
}

/// CPU time used so far by all the threads of process `pid` ("self" for this one), from
/// Linux `/proc/<pid>/stat`.
pub(super) fn process_cpu_seconds(pid: &str) -> Option<f64> {
    let stat = std::fs::read_to_string(format!("/proc/{pid}/stat")).ok()?;
    // The fields after the command name, which is in parentheses and may hold spaces.
    let fields: Vec<&str> = stat.rsplit_once(')')?.1.split_whitespace().collect();
    let user: f64 = fields.get(11)?.parse().ok()?;
    let system: f64 = fields.get(12)?.parse().ok()?;
    Some((user + system) / clock_ticks_per_second())
}

/// CPU time spent by the whole machine so far, all cores, not idle (Linux `/proc/stat`).
pub(super) fn machine_busy_seconds() -> Option<f64> {
    let stat = std::fs::read_to_string("/proc/stat").ok()?;
    let line = stat.lines().find(|line| line.starts_with("cpu "))?;
    let ticks: Vec<f64> = line
        .split_whitespace()
        .skip(1)
        .filter_map(|field| field.parse().ok())
        .collect();
    // user nice system idle iowait irq softirq steal: all but idle and iowait are busy.
    let busy: f64 = [0, 1, 2, 5, 6, 7]
        .iter()
        .filter_map(|&n| ticks.get(n))
        .sum();
    Some(busy / clock_ticks_per_second())
}

pub(super) fn clock_ticks_per_second() -> f64 {
    #[cfg(unix)]
    {
        // SAFETY: sysconf only reads a system constant.
        let ticks = unsafe { libc::sysconf(libc::_SC_CLK_TCK) };
        if ticks > 0 {
            return ticks as f64;
        }
    }
    100.0
}

/// The HTTP status of `GET /readyz` on loopback, if anything answers.
pub(super) async fn readyz_status(port: u16) -> Option<u16> {
    use tokio::io::{AsyncReadExt, AsyncWriteExt};
    let mut stream = tokio::net::TcpStream::connect(("127.0.0.1", port))
        .await
        .ok()?;
    stream
        .write_all(b"GET /readyz HTTP/1.0\r\nHost: 127.0.0.1\r\n\r\n")
        .await
        .ok()?;
    let mut response = Vec::new();
    tokio::time::timeout(Duration::from_secs(2), stream.read_to_end(&mut response))
        .await
        .ok()?
        .ok()?;
    let status_line = std::str::from_utf8(&response).ok()?.lines().next()?;
    status_line.split_whitespace().nth(1)?.parse().ok()
}
