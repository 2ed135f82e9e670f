//! `article-enricher serve` as a child process on a free loopback port, and a small HTTP/1.0
//! client for its API: enough to send a body with headers and read the status, headers and
//! body of the answer.

use super::free_port;
use std::io::{Read, Write};
use std::net::TcpStream;
use std::path::PathBuf;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

/// The `serve` binary on its own port. Killed when dropped.
pub struct ServeProcess {
    pub port: u16,
    child: Child,
    log_file: PathBuf,
    _log_dir: tempfile::TempDir,
}

/// An HTTP answer.
#[derive(Debug)]
pub struct Answer {
    pub status: u16,
    pub headers: Vec<(String, String)>,
    pub body: Vec<u8>,
}

impl Answer {
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(key, _)| key.eq_ignore_ascii_case(name))
            .map(|(_, value)| value.as_str())
    }

    pub fn json(&self) -> serde_json::Value {
        serde_json::from_slice(&self.body).unwrap_or_else(|error| {
            panic!(
                "not JSON ({error}): {}",
                String::from_utf8_lossy(&self.body)
            )
        })
    }
}

impl ServeProcess {
    /// Starts `serve --port <free>` with `env` (and no other `ENRICHER*` variable), and waits
    /// until `/healthz` answers.
    pub fn start(env: &[(&str, &str)]) -> ServeProcess {
        let log_dir = tempfile::tempdir().unwrap();
        let log_file = log_dir.path().join("serve.log");
        let log = std::fs::File::create(&log_file).unwrap();
        let port = free_port();
        let mut command = Command::new(env!("CARGO_BIN_EXE_article-enricher"));
        command
            .args(["serve", "--port", &port.to_string()])
            .current_dir(env!("CARGO_MANIFEST_DIR"))
            .stdin(Stdio::null())
            .stdout(log.try_clone().unwrap())
            .stderr(log);
        for (name, _) in std::env::vars() {
            if name.starts_with("ENRICHER") {
                command.env_remove(name);
            }
        }
        command.envs(env.iter().copied());
        let child = command
            .spawn()
            .expect("cannot start article-enricher serve");
        let mut serve = ServeProcess {
            port,
            child,
            log_file,
            _log_dir: log_dir,
        };
        let deadline = Instant::now() + Duration::from_secs(30);
        while super::http_get(port, "/healthz").map(|(status, _)| status) != Some(200) {
            if let Some(status) = serve.child.try_wait().unwrap() {
                panic!("serve exited with {status}:\n{}", serve.log());
            }
            assert!(
                Instant::now() < deadline,
                "serve did not answer:\n{}",
                serve.log()
            );
            std::thread::sleep(Duration::from_millis(50));
        }
        serve
    }

    pub fn log(&self) -> String {
        std::fs::read_to_string(&self.log_file).unwrap_or_default()
    }

    pub fn url(&self) -> String {
        format!("http://127.0.0.1:{}/", self.port)
    }

    /// `POST path` with `headers` and `body`.
    pub fn post(&self, path: &str, headers: &[(&str, &str)], body: &[u8]) -> Answer {
        request(self.port, "POST", path, headers, body)
    }

    /// `POST /v1/enrich` with a JSON body.
    pub fn enrich(&self, body: &[u8]) -> Answer {
        self.post("/v1/enrich", &[("Content-Type", "application/json")], body)
    }

    pub fn get(&self, path: &str) -> Answer {
        request(self.port, "GET", path, &[], b"")
    }

    /// SIGTERM, then waits for the exit code.
    pub fn terminate(mut self) -> std::process::ExitStatus {
        // SAFETY: kill(2) on our own child's pid has no memory-safety preconditions.
        unsafe { libc::kill(self.child.id() as libc::pid_t, libc::SIGTERM) };
        let deadline = Instant::now() + Duration::from_secs(20);
        loop {
            if let Some(status) = self.child.try_wait().unwrap() {
                return status;
            }
            assert!(
                Instant::now() < deadline,
                "serve did not stop:\n{}",
                self.log()
            );
            std::thread::sleep(Duration::from_millis(50));
        }
    }
}

impl Drop for ServeProcess {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
        if std::thread::panicking() {
            eprintln!("---- serve log ----\n{}", self.log());
        }
    }
}

/// One HTTP/1.0 request (the server closes the connection after the answer).
pub fn request(
    port: u16,
    method: &str,
    path: &str,
    headers: &[(&str, &str)],
    body: &[u8],
) -> Answer {
    let mut stream = TcpStream::connect(("127.0.0.1", port)).expect("cannot connect to serve");
    stream
        .set_read_timeout(Some(Duration::from_secs(60)))
        .unwrap();
    let mut head = format!(
        "{method} {path} HTTP/1.0\r\nHost: 127.0.0.1\r\nContent-Length: {}\r\n",
        body.len()
    );
    for (name, value) in headers {
        head.push_str(&format!("{name}: {value}\r\n"));
    }
    head.push_str("\r\n");
    stream.write_all(head.as_bytes()).unwrap();
    // A server may answer (413) before reading the whole body and close: that is fine.
    let _ = stream.write_all(body);
    let mut response = Vec::new();
    let _ = stream.read_to_end(&mut response);
    let split = response
        .windows(4)
        .position(|window| window == b"\r\n\r\n")
        .unwrap_or_else(|| panic!("no HTTP answer: {}", String::from_utf8_lossy(&response)));
    let head = String::from_utf8_lossy(&response[..split]).to_string();
    let mut lines = head.lines();
    let status = lines
        .next()
        .and_then(|line| line.split_whitespace().nth(1))
        .and_then(|code| code.parse().ok())
        .expect("a status line");
    let headers = lines
        .filter_map(|line| line.split_once(':'))
        .map(|(name, value)| (name.trim().to_string(), value.trim().to_string()))
        .collect();
    Answer {
        status,
        headers,
        body: response[split + 4..].to_vec(),
    }
}
