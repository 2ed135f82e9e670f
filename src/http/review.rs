//! The review page (`GET /`) and the offline report (`enrich --html`): enriched articles
//! shown with their entities, quotes, dates and meetings marked in the text.
//!
//! Both are plain HTML, CSS and JavaScript from `assets/review/`, embedded in the binary at
//! build time (no Node toolchain, no request for anything outside the page). The page sends
//! an article to `POST /v1/enrich` and renders the answer; the report carries its articles
//! as JSON inside the file and renders them the same way, with the same script. Article
//! data enters the HTML only as JSON inside a `<script type="application/json">` element,
//! every `<` escaped, so no text of an article can close the element or add markup.

use std::sync::LazyLock;

const PAGE: &str = include_str!("../../assets/review/index.html");
const REPORT: &str = include_str!("../../assets/review/report.html");
const CSS: &str = include_str!("../../assets/review/review.css");
const JS: &str = include_str!("../../assets/review/review.js");
/// The article the product was specified from, offered by the page's "Load example" (the
/// same file the golden test enriches).
const EXAMPLE: &str = include_str!("../../tests/golden/lavrov-wang-yi.json");

/// The review page, made once.
pub fn page() -> &'static str {
    static PAGE_HTML: LazyLock<String> = LazyLock::new(|| {
        fill(
            PAGE,
            &[
                ("CSS", CSS),
                ("JS", JS),
                ("EXAMPLE", &script_json(EXAMPLE.trim())),
            ],
        )
    });
    &PAGE_HTML
}

/// The offline report of enriched articles (each one JSON object, as `enrich` prints it),
/// titled `title`.
pub fn report(title: &str, articles: &[Vec<u8>]) -> String {
    let mut json = String::from("[");
    for (index, article) in articles.iter().enumerate() {
        if index > 0 {
            json.push_str(",\n");
        }
        json.push_str(&String::from_utf8_lossy(article));
    }
    json.push(']');
    fill(
        REPORT,
        &[
            ("CSS", CSS),
            ("JS", JS),
            ("TITLE", &escape_html(title)),
            ("ARTICLES", &script_json(&json)),
        ],
    )
}

/// Replaces every `{{NAME}}` of `template` by its value in one pass, so a value that holds
/// a placeholder's name is left as it is.
fn fill(template: &str, values: &[(&str, &str)]) -> String {
    let mut out =
        String::with_capacity(template.len() + values.iter().map(|v| v.1.len()).sum::<usize>());
    let mut rest = template;
    while let Some(open) = rest.find("{{") {
        out.push_str(&rest[..open]);
        let after = &rest[open + 2..];
        let value = after.find("}}").and_then(|close| {
            let name = &after[..close];
            values
                .iter()
                .find(|(candidate, _)| *candidate == name)
                .map(|(_, value)| (*value, close))
        });
        match value {
            Some((value, close)) => {
                out.push_str(value);
                rest = &after[close + 2..];
            }
            None => {
                out.push_str("{{");
                rest = after;
            }
        }
    }
    out.push_str(rest);
    out
}

/// JSON made safe inside a `<script>` element: every `<` written as `\u003c` (JSON puts `<`
/// only inside strings, where the escape means the same character).
fn script_json(json: &str) -> String {
    json.replace('<', "\\u003c")
}

fn escape_html(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c => out.push(c),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_page_has_every_part_and_no_placeholder_left() {
        let page = page();
        assert!(!page.contains("{{"), "a placeholder is left");
        assert!(page.contains("id=\"enrich-form\""));
        assert!(page.contains("function renderArticle"));
        let start = page.find("id=\"example-article\">").unwrap();
        let json = &page[start + "id=\"example-article\">".len()..];
        let json = &json[..json.find("</script>").unwrap()];
        let example: serde_json::Value = serde_json::from_str(json).unwrap();
        assert!(example["body"]
            .as_str()
            .is_some_and(|body| !body.is_empty()));
    }

    #[test]
    fn article_text_cannot_close_the_script_element() {
        let hostile = br#"{"title": "</script><script>alert(1)</script> {{JS}}", "body": "x"}"#;
        let html = report("Report <b>", &[hostile.to_vec()]);
        assert_eq!(html.matches("</script>").count(), 2, "only the page's own");
        assert!(html.contains("Report &lt;b&gt;"));
        assert!(
            html.contains("{{JS}}"),
            "a value's placeholder name is left alone"
        );
        let start = html.find("id=\"articles\">").unwrap() + "id=\"articles\">".len();
        let json = &html[start..start + html[start..].find("</script>").unwrap()];
        let articles: serde_json::Value = serde_json::from_str(json).unwrap();
        assert_eq!(
            articles[0]["title"],
            "</script><script>alert(1)</script> {{JS}}"
        );
    }
}
