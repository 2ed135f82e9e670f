//! Issue 23, items 2 and 3: the review page in a real browser.
//!
//! `article-enricher serve` runs on a free loopback port; headless Chromium (`CHROMIUM`, else
//! `chromium`, `chromium-browser` or `google-chrome` on the PATH; `.ci/run` and
//! `scripts/test` install Debian's `chromium` when it is missing, and a missing browser fails
//! the test, it never skips) opens the page, driven over the Chrome DevTools Protocol. The
//! test pastes the example article into the form as a person would (focus, insert text),
//! presses the button, waits for the answer to be drawn, and reads the rendered DOM: Sergei
//! Lavrov's mentions are one entity, the three direct quotes carry his name, and the three
//! meeting cards show Cambodia, Bali and Tashkent. A screenshot goes to
//! `target/review-page.png` for a person to look at (and a smaller one of the rendered article to
//! `target/review-page-small.png`, which `docs/review-page.png` copies). The offline report of `enrich --html`
//! is opened the same way.

mod support;

use base64::Engine;
use serde_json::{json, Value};
use std::io::{Read, Write};
use std::net::TcpStream;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};
use support::free_port;
use support::serve::ServeProcess;
use tungstenite::{Message, WebSocket};

/// The browser binary: `CHROMIUM`, else the first of the usual names on the PATH.
fn chromium_binary() -> String {
    if let Some(path) = std::env::var("CHROMIUM").ok().filter(|p| !p.is_empty()) {
        return path;
    }
    for name in ["chromium", "chromium-browser", "google-chrome"] {
        let found = Command::new("sh")
            .args(["-c", &format!("command -v {name}")])
            .output()
            .is_ok_and(|output| output.status.success());
        if found {
            return name.to_string();
        }
    }
    panic!("no Chromium found: install Debian's `chromium` package (scripts/test does so as root) or set CHROMIUM to the browser's path");
}

/// Headless Chromium with a DevTools port, killed when dropped.
struct Browser {
    child: Child,
    port: u16,
    _profile: tempfile::TempDir,
}

impl Browser {
    fn start() -> Browser {
        let profile = tempfile::tempdir().unwrap();
        let port = free_port();
        let child = Command::new(chromium_binary())
            .args([
                "--headless",
                "--no-sandbox",
                "--disable-gpu",
                "--disable-dev-shm-usage",
                "--no-first-run",
                "--hide-scrollbars",
                "--window-size=1280,1800",
                &format!("--remote-debugging-port={port}"),
                "--remote-allow-origins=*",
                &format!("--user-data-dir={}", profile.path().display()),
                "about:blank",
            ])
            .stdin(Stdio::null())
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .expect("cannot start Chromium");
        Browser {
            child,
            port,
            _profile: profile,
        }
    }

    /// A DevTools session on the browser's first page.
    fn page(&mut self) -> Page {
        let deadline = Instant::now() + Duration::from_secs(30);
        let url = loop {
            if let Some(body) = devtools_get(self.port, "/json/list") {
                let targets: Value = serde_json::from_str(&body).unwrap_or(Value::Null);
                let page = targets.as_array().into_iter().flatten().find(|target| {
                    target["type"] == "page" && target["webSocketDebuggerUrl"].is_string()
                });
                if let Some(page) = page {
                    break page["webSocketDebuggerUrl"].as_str().unwrap().to_string();
                }
            }
            if let Some(status) = self.child.try_wait().unwrap() {
                panic!("Chromium exited with {status}");
            }
            assert!(
                Instant::now() < deadline,
                "Chromium's DevTools did not answer"
            );
            std::thread::sleep(Duration::from_millis(100));
        };
        let (socket, _) = tungstenite::connect(url.as_str()).expect("DevTools WebSocket");
        Page { socket, next_id: 0 }
    }
}

/// `GET path` from the DevTools HTTP endpoint, which keeps connections open: the body is
/// read up to its `Content-Length`.
fn devtools_get(port: u16, path: &str) -> Option<String> {
    let mut stream = TcpStream::connect(("127.0.0.1", port)).ok()?;
    stream.set_read_timeout(Some(Duration::from_secs(5))).ok()?;
    write!(
        stream,
        "GET {path} HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\n\r\n"
    )
    .ok()?;
    let mut response = Vec::new();
    let mut buffer = [0u8; 8192];
    loop {
        let read = stream.read(&mut buffer).ok()?;
        if read == 0 {
            return None;
        }
        response.extend_from_slice(&buffer[..read]);
        let text = String::from_utf8_lossy(&response);
        if let Some((head, body)) = text.split_once("\r\n\r\n") {
            let length: usize = head
                .lines()
                .find_map(|line| {
                    let (name, value) = line.split_once(':')?;
                    name.eq_ignore_ascii_case("content-length")
                        .then(|| value.trim().parse().ok())?
                })
                .unwrap_or(0);
            if !head.starts_with("HTTP/1.1 200") {
                return None;
            }
            if body.len() >= length {
                return Some(body.to_string());
            }
        }
    }
}

impl Drop for Browser {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// One page, driven by DevTools Protocol commands.
struct Page {
    socket: WebSocket<tungstenite::stream::MaybeTlsStream<TcpStream>>,
    next_id: u64,
}

impl Page {
    /// Sends a command and returns its result (events in between are skipped).
    fn call(&mut self, method: &str, params: Value) -> Value {
        self.next_id += 1;
        let id = self.next_id;
        let command = json!({"id": id, "method": method, "params": params});
        self.socket
            .send(Message::text(command.to_string()))
            .expect("DevTools send");
        loop {
            let message = self.socket.read().expect("DevTools read");
            let Message::Text(text) = message else {
                continue;
            };
            let reply: Value = serde_json::from_str(text.as_str()).unwrap();
            if reply["id"] == id {
                assert!(
                    reply.get("error").is_none(),
                    "{method} failed: {}",
                    reply["error"]
                );
                return reply["result"].clone();
            }
        }
    }

    /// Evaluates `expression` in the page and returns its value (promises awaited).
    fn eval(&mut self, expression: &str) -> Value {
        let result = self.call(
            "Runtime.evaluate",
            json!({"expression": expression, "returnByValue": true, "awaitPromise": true}),
        );
        if let Some(exception) = result.get("exceptionDetails") {
            panic!("the page threw on `{expression}`: {exception}");
        }
        result["result"]["value"].clone()
    }

    fn navigate(&mut self, url: &str) {
        self.call("Page.enable", json!({}));
        self.call("Page.navigate", json!({"url": url}));
        self.wait_for(
            "document.readyState === 'complete'",
            Duration::from_secs(30),
        );
    }

    /// Polls `condition` (a JavaScript expression) until it is true.
    fn wait_for(&mut self, condition: &str, timeout: Duration) {
        let deadline = Instant::now() + timeout;
        while self.eval(condition) != Value::Bool(true) {
            assert!(
                Instant::now() < deadline,
                "timed out waiting for `{condition}`"
            );
            std::thread::sleep(Duration::from_millis(100));
        }
    }

    /// Writes a PNG of the whole page, or of `height` pixels from `y` down, scaled by `scale`.
    fn screenshot(&mut self, path: &Path, part: Option<(f64, f64, f64)>) {
        let mut params = json!({"format": "png", "captureBeyondViewport": true});
        if let Some((y, height, scale)) = part {
            params["clip"] =
                json!({"x": 0, "y": y, "width": 1280, "height": height, "scale": scale});
        }
        let shot = self.call("Page.captureScreenshot", params);
        let png = base64::engine::general_purpose::STANDARD
            .decode(shot["data"].as_str().expect("screenshot data"))
            .unwrap();
        assert!(png.starts_with(b"\x89PNG"));
        std::fs::write(path, png).unwrap();
    }
}

/// What the checks read from the rendered DOM of one article.
const DOM_SUMMARY: &str = r#"(() => {
  const section = document.querySelector('#results section.article');
  const mentions = [...section.querySelectorAll('.mention')].map(m =>
    ({text: m.textContent, entity: m.dataset.entity, kind: m.dataset.kind}));
  const quotes = [...section.querySelectorAll('.quote')].map(q =>
    ({kind: q.dataset.kind, speaker: q.dataset.speaker,
      label: (q.querySelector('.speaker') || {}).textContent}));
  const cards = [...section.querySelectorAll('.meeting-card')].map(c =>
    ({place: (c.querySelector('.meeting-place') || {}).textContent,
      participants: [...c.querySelectorAll('.meeting-participant')].map(p => p.textContent)}));
  const dates = [...section.querySelectorAll('.date')].map(d => d.dataset.value);
  return {mentions, quotes, cards, dates};
})()"#;

/// The checks of the issue on the example article's rendering.
fn check_example(summary: &Value) {
    let mentions = summary["mentions"].as_array().unwrap();
    let lavrov: Vec<&Value> = mentions
        .iter()
        .filter(|m| m["text"].as_str().unwrap().contains("Lavrov"))
        .collect();
    assert!(lavrov.len() >= 3, "Lavrov's name mentions: {lavrov:?}");
    let entity = lavrov[0]["entity"].as_str().unwrap();
    assert!(
        lavrov.iter().all(|m| m["entity"] == entity),
        "Lavrov's mentions are more than one entity: {lavrov:?}"
    );
    // His other mentions (pronouns, "the minister") are lit as the same entity.
    let all_of_his = mentions.iter().filter(|m| m["entity"] == entity).count();
    assert!(
        all_of_his > lavrov.len(),
        "only the name mentions are marked"
    );

    let direct: Vec<&Value> = summary["quotes"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|q| q["kind"] == "direct")
        .collect();
    assert_eq!(direct.len(), 3, "direct quotes: {direct:?}");
    for quote in &direct {
        assert_eq!(quote["speaker"], "Sergei Lavrov", "{quote}");
        assert_eq!(
            quote["label"], "Sergei Lavrov",
            "the label a person sees: {quote}"
        );
    }

    let places: Vec<&str> = summary["cards"]
        .as_array()
        .unwrap()
        .iter()
        .map(|card| card["place"].as_str().unwrap_or(""))
        .collect();
    assert_eq!(places, ["Cambodia", "Bali", "Tashkent"]);
    assert!(summary["cards"][0]["participants"]
        .as_array()
        .unwrap()
        .iter()
        .any(|p| p == "Wang Yi"));
    assert!(summary["dates"]
        .as_array()
        .unwrap()
        .iter()
        .any(|value| value.as_str().is_some_and(|v| v.starts_with("2022-"))));
}

fn target_dir() -> PathBuf {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("target");
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

#[test]
fn the_page_shows_the_example_article_as_the_issue_asks() {
    let serve = ServeProcess::start(&[]);
    let mut browser = Browser::start();
    let mut page = browser.page();
    page.navigate(&serve.url());
    assert_eq!(page.eval("document.title"), "article-enricher review");

    // Paste the example article into the form, as a person would, and send it.
    let example = std::fs::read_to_string(
        Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/golden/lavrov-wang-yi.json"),
    )
    .unwrap();
    page.eval("document.querySelector('#article-input').focus()");
    page.call("Input.insertText", json!({"text": example}));
    assert_eq!(
        page.eval("document.querySelector('#article-input').value"),
        example.as_str()
    );
    page.eval("document.querySelector('#submit').click()");
    page.wait_for(
        "['done', 'error'].includes(document.querySelector('#results').dataset.state)",
        Duration::from_secs(60),
    );
    assert_eq!(
        page.eval("document.querySelector('#results').dataset.state"),
        "done",
        "error shown: {}",
        page.eval("document.querySelector('#error').textContent")
    );
    let summary = page.eval(DOM_SUMMARY);
    check_example(&summary);

    // Clicking a mention of his lights every mention of that entity, and nothing else.
    let lit = page.eval(
        r#"(() => {
      const first = [...document.querySelectorAll('.mention')].find(m => m.textContent.includes('Lavrov'));
      first.click();
      const lit = [...document.querySelectorAll('.mention.lit')];
      const his = [...document.querySelectorAll(`.mention[data-entity="${first.dataset.entity}"]`)];
      return {lit: lit.length, his: his.length, same: lit.every(m => m.dataset.entity === first.dataset.entity)};
    })()"#,
    );
    assert_eq!(lit["lit"], lit["his"], "{lit}");
    assert_eq!(lit["same"], true);
    page.eval("document.body.click()");
    page.screenshot(&target_dir().join("review-page.png"), None);
    // The small one of the README (docs/review-page.png is a copy of it): the rendered
    // article and its meeting cards, without the form.
    let results_top = page
        .eval("document.querySelector('#results').getBoundingClientRect().top + window.scrollY")
        .as_f64()
        .unwrap();
    page.screenshot(
        &target_dir().join("review-page-small.png"),
        Some(((results_top - 12.0).max(0.0), 1420.0, 0.6)),
    );

    // The bundled example button fills the form with the same article.
    page.eval("document.querySelector('#load-example').click()");
    let loaded: Value = serde_json::from_str(
        page.eval("document.querySelector('#article-input').value")
            .as_str()
            .unwrap(),
    )
    .unwrap();
    let original: Value = serde_json::from_str(&example).unwrap();
    assert_eq!(loaded, original);

    // Bad input shows the API's error, and the page stays usable.
    page.eval("document.querySelector('#article-input').value = '[1, 2]'");
    page.eval("document.querySelector('#submit').click()");
    page.wait_for(
        "document.querySelector('#results').dataset.state === 'error'",
        Duration::from_secs(30),
    );
    let error = page.eval("document.querySelector('#error').textContent");
    assert!(error.as_str().unwrap().contains("not_an_object"), "{error}");
}

#[test]
fn the_offline_report_shows_the_same_view() {
    let dir = tempfile::tempdir().unwrap();
    let report = dir.path().join("report.html");
    let example = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/golden/lavrov-wang-yi.json");
    let output = Command::new(env!("CARGO_BIN_EXE_article-enricher"))
        .arg("enrich")
        .arg("--html")
        .arg(&report)
        .arg(&example)
        .output()
        .unwrap();
    assert!(output.status.success());
    let mut browser = Browser::start();
    let mut page = browser.page();
    page.navigate(&format!("file://{}", report.display()));
    page.wait_for(
        "document.querySelector('#results').dataset.state === 'done'",
        Duration::from_secs(30),
    );
    assert_eq!(
        page.eval("document.querySelectorAll('#results section.article').length"),
        1
    );
    check_example(&page.eval(DOM_SUMMARY));
}
