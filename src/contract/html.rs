//! HTML to plain text, for articles that come as HTML only: scripts, styles and comments
//! dropped, a paragraph break at each block element, character references decoded, spaces
//! collapsed. Good enough for the article bodies scrapers send, not a general HTML parser.

/// Converts HTML to plain text: drops scripts, styles and comments, ends a paragraph at each
/// block element and `<br>`, decodes character references, and collapses spaces.
pub fn html_to_text(html: &str) -> String {
    let mut out = String::with_capacity(html.len() / 2);
    let mut rest = html;
    while let Some(open) = rest.find('<') {
        push_text(&mut out, &rest[..open]);
        rest = &rest[open..];
        if rest.starts_with("<!--") {
            rest = rest.find("-->").map_or("", |end| &rest[end + 3..]);
            continue;
        }
        let Some(close) = rest.find('>') else {
            push_text(&mut out, rest);
            rest = "";
            break;
        };
        let tag = &rest[1..close];
        let name: String = tag
            .trim_start_matches('/')
            .chars()
            .take_while(|c| c.is_ascii_alphanumeric())
            .collect::<String>()
            .to_ascii_lowercase();
        rest = &rest[close + 1..];
        if (name == "script" || name == "style") && !tag.starts_with('/') {
            let end_tag = format!("</{name}");
            let lower = rest.to_ascii_lowercase();
            rest = lower
                .find(&end_tag)
                .and_then(|end| rest[end..].find('>').map(|close| &rest[end + close + 1..]))
                .unwrap_or("");
            continue;
        }
        const BLOCKS: &[&str] = &[
            "p",
            "div",
            "br",
            "h1",
            "h2",
            "h3",
            "h4",
            "h5",
            "h6",
            "li",
            "ul",
            "ol",
            "tr",
            "table",
            "blockquote",
            "section",
            "article",
            "header",
            "footer",
            "hr",
            "title",
            "figcaption",
        ];
        if BLOCKS.contains(&name.as_str()) && !out.ends_with("\n\n") && !out.is_empty() {
            while out.ends_with(' ') {
                out.pop();
            }
            out.push_str(if out.ends_with('\n') { "\n" } else { "\n\n" });
        }
    }
    push_text(&mut out, rest);
    out.trim().to_string()
}

fn push_text(out: &mut String, raw: &str) {
    let decoded = decode_entities(raw, Entities::Html);
    for c in decoded.chars() {
        if c.is_whitespace() {
            if !(out.is_empty() || out.ends_with(' ') || out.ends_with('\n')) {
                out.push(' ');
            }
        } else {
            out.push(c);
        }
    }
}

/// Which named entities [`decode_entities`] knows besides the five of XML.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Entities {
    /// `&amp;`, `&lt;`, `&gt;`, `&quot;`, `&apos;` and character references only.
    Xml,
    /// Also the HTML entities news pages use for spaces, dashes, quotation marks and
    /// ellipses (`&nbsp;`, `&mdash;`, `&rsquo;`, ...).
    Html,
}

/// Decodes entities and character references (`&#233;`, `&#x41;`); anything it does not
/// know is kept as written.
pub fn decode_entities(raw: &str, known: Entities) -> String {
    if !raw.contains('&') {
        return raw.to_string();
    }
    let mut out = String::with_capacity(raw.len());
    let mut rest = raw;
    while let Some(amp) = rest.find('&') {
        out.push_str(&rest[..amp]);
        rest = &rest[amp..];
        let decoded = rest.find(';').filter(|&end| end <= 10).and_then(|end| {
            let c = entity(&rest[1..end], known)?;
            Some((c, end))
        });
        match decoded {
            Some((c, end)) => {
                out.push(c);
                rest = &rest[end + 1..];
            }
            None => {
                out.push('&');
                rest = &rest[1..];
            }
        }
    }
    out.push_str(rest);
    out
}

/// The character an entity name (between `&` and `;`) stands for.
fn entity(name: &str, known: Entities) -> Option<char> {
    let xml = match name {
        "amp" => Some('&'),
        "lt" => Some('<'),
        "gt" => Some('>'),
        "quot" => Some('"'),
        "apos" => Some('\''),
        _ => None,
    };
    if xml.is_some() {
        return xml;
    }
    if let Some(reference) = name.strip_prefix('#') {
        return match reference.strip_prefix(['x', 'X']) {
            Some(hex) => u32::from_str_radix(hex, 16).ok(),
            None => reference.parse().ok(),
        }
        .and_then(char::from_u32);
    }
    if known == Entities::Xml {
        return None;
    }
    match name {
        "nbsp" => Some(' '),
        "ndash" => Some('–'),
        "mdash" => Some('—'),
        "lsquo" => Some('‘'),
        "rsquo" => Some('’'),
        "ldquo" => Some('“'),
        "rdquo" => Some('”'),
        "hellip" => Some('…'),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn drops_scripts_and_breaks_paragraphs_at_blocks() {
        assert_eq!(
            html_to_text("<html><head><script>var x = '<p>';</script></head><body><h1>Title</h1><p>One &amp; two.</p><p>Three&#8217;s</p></body></html>"),
            "Title\n\nOne & two.\n\nThree’s"
        );
    }
}
