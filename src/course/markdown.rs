//! Markdown to safe HTML, with the page's blocks cut out for [`super::blocks`].
//!
//! Authors' raw HTML and script-like URLs are refused with their position (not silently dropped: an
//! author should know their content did not make it). Relative links and images are resolved against
//! the page's folder, must exist inside the course, and become package paths; the files are recorded
//! as assets so the package carries exactly what the pages use.

use crate::course::model::{Asset, Html};
use crate::diagnostics::{did_you_mean, Diagnostic, Diagnostics, Location, SourceFile};
use comrak::nodes::{AstNode, NodeValue};
use comrak::{Arena, Options};
use std::collections::BTreeMap;
use std::path::Path;
use std::sync::Arc;

/// Info strings that make a fenced block a lmspack block.
pub const BLOCK_KINDS: &[&str] = &[
    "single-choice",
    "multiple-choice",
    "true-false",
    "fill-in",
    "matching",
    "sequencing",
    "likert",
    "reflection",
    "action-plan",
    "scenario",
    "reveal",
    "callout",
    "case-study",
];

const MEDIA_PLAYERS: &[(&str, &str)] = &[("mp3", "audio"), ("mp4", "video"), ("webm", "video")];

/// What Markdown in one file needs: where it is, where relative paths start, and where to put the
/// assets and problems it finds.
pub struct Context<'a> {
    pub course_root: &'a Path,
    pub file: &'a Arc<SourceFile>,
    /// The folder of the file, relative to the course root, `/`-separated, empty for the root.
    pub dir: String,
    pub assets: &'a mut BTreeMap<String, Asset>,
    pub diagnostics: &'a mut Diagnostics,
}

/// A piece of a page: prose, or the source of a block.
pub enum Piece {
    Html(Html),
    Block {
        kind: String,
        yaml: String,
        /// File line of the block's first YAML line, minus one.
        line_offset: usize,
        column_offset: usize,
        /// The opening fence, for problems about the block as a whole.
        fence: Location,
    },
}

fn options() -> Options<'static> {
    let mut o = Options::default();
    o.extension.table = true;
    o.extension.strikethrough = true;
    o.extension.tasklist = true;
    o.extension.autolink = true;
    // Only nodes lmspack made itself (media players) can be HTML: authors' HTML is refused before.
    o.render.r#unsafe = true;
    o
}

/// Split `---` front matter from a page. Returns the YAML, and the body with its line offset.
pub fn split_front_matter(text: &str) -> Option<(&str, &str, usize)> {
    let rest = text.strip_prefix("---\n")?;
    let mut offset = 0;
    for (i, line) in rest.split_inclusive('\n').enumerate() {
        if matches!(line.trim_end(), "---" | "...") {
            let yaml = &rest[..offset];
            let body = &rest[offset + line.len()..];
            return Some((yaml, body, i + 2));
        }
        offset += line.len();
    }
    None
}

/// Render a page body (`line_offset` lines into its file) into prose and block sources.
pub fn page(body: &str, line_offset: usize, cx: &mut Context) -> Vec<Piece> {
    let arena = Arena::new();
    let opts = options();
    let root = comrak::parse_document(&arena, body, &opts);
    let mut pieces = Vec::new();
    let mut current: Option<&AstNode> = None;
    let children: Vec<_> = root.children().collect();
    // The page title is the h1; content headings go down one level at a time.
    let mut level = 1;
    for node in children {
        if let NodeValue::Heading(h) = &node.data.borrow().value {
            let pos = node.data.borrow().sourcepos.start;
            if h.level == 1 || h.level > level + 1 {
                let expected = if h.level == 1 { 2 } else { level + 1 };
                cx.diagnostics.push(
                    Diagnostic::warning("heading-order", format!("heading level {} follows level {level}", h.level))
                        .at(Location::at(cx.file, pos.line + line_offset, pos.column))
                        .label("skips a level")
                        .hint(format!(
                            "use {} here: the page title is the only level-1 heading, and screen-reader users navigate by levels",
                            "#".repeat(expected as usize)
                        )),
                );
            }
            level = h.level.max(2);
        }
        let block = {
            let ast = node.data.borrow();
            match &ast.value {
                NodeValue::CodeBlock(cb) if cb.fenced && is_block_kind(&cb.info) => Some((
                    first_word(&cb.info).to_owned(),
                    cb.literal.clone(),
                    ast.sourcepos.start.line + line_offset,
                    ast.sourcepos.start.column - 1,
                )),
                _ => None,
            }
        };
        match block {
            Some((kind, yaml, fence_line, column)) => {
                if let Some(doc) = current.take() {
                    pieces.push(Piece::Html(finish(doc, &opts)));
                }
                pieces.push(Piece::Block {
                    kind,
                    yaml,
                    line_offset: fence_line,
                    column_offset: column,
                    fence: Location::at(cx.file, fence_line, column + 1),
                });
            }
            None if is_comment_block(node) => node.detach(),
            None => {
                check(node, line_offset, cx);
                let doc = *current.get_or_insert_with(|| arena.alloc(NodeValue::Document.into()));
                node.detach();
                doc.append(node);
            }
        }
    }
    if let Some(doc) = current {
        pieces.push(Piece::Html(finish(doc, &opts)));
    }
    pieces
}

/// Render a text field of a block (Markdown) that was written at `at`.
pub fn fragment(text: &str, at: &Location, cx: &mut Context) -> Html {
    let arena = Arena::new();
    let opts = options();
    let root = comrak::parse_document(&arena, text, &opts);
    // Positions inside a YAML string cannot be mapped back exactly: point at the field instead.
    check_at(root, &mut |_| at.clone(), cx);
    finish(root, &opts)
}

/// Inline text of a field, without a wrapping paragraph: for prompts inside labels and legends.
pub fn inline(text: &str, at: &Location, cx: &mut Context) -> Html {
    let html = fragment(text, at, cx).0;
    let trimmed = html.trim_end();
    match trimmed
        .strip_prefix("<p>")
        .and_then(|s| s.strip_suffix("</p>"))
    {
        Some(inner) if !inner.contains("<p>") => Html(inner.to_owned()),
        _ => Html(html),
    }
}

/// The words of a Markdown text, without markup: for LMS interaction descriptions.
pub fn plain_text(text: &str) -> String {
    let arena = Arena::new();
    let root = comrak::parse_document(&arena, text, &options());
    let mut out = String::new();
    for node in root.descendants() {
        match &node.data.borrow().value {
            NodeValue::Text(t) => out.push_str(t),
            NodeValue::Code(c) => out.push_str(&c.literal),
            NodeValue::SoftBreak | NodeValue::LineBreak | NodeValue::Paragraph => out.push(' '),
            _ => {}
        }
    }
    out.split_whitespace().collect::<Vec<_>>().join(" ")
}

fn is_block_kind(info: &str) -> bool {
    BLOCK_KINDS.contains(&first_word(info))
}

fn first_word(info: &str) -> &str {
    info.split_whitespace().next().unwrap_or("")
}

fn finish<'a>(doc: &'a AstNode<'a>, opts: &Options) -> Html {
    let mut out = String::new();
    comrak::format_html(doc, opts, &mut out).expect("writing to a String cannot fail");
    Html(out)
}

fn check<'a>(node: &'a AstNode<'a>, line_offset: usize, cx: &mut Context) {
    let file = Arc::clone(cx.file);
    check_at(
        node,
        &mut |n| {
            let pos = n.data.borrow().sourcepos;
            let start = file.offset_of(pos.start.line + line_offset, pos.start.column);
            // comrak counts columns in bytes; the end is inclusive.
            let end = file.offset_of(pos.end.line + line_offset, 1) + pos.end.column;
            let end = if end > start && end <= file.text.len() && file.text.is_char_boundary(end) {
                end
            } else {
                start + 1
            };
            Location::new(&file, start..end.min(file.text.len()))
        },
        cx,
    );
}

/// Refuse raw HTML and unsafe URLs, resolve relative URLs to assets, turn media links into players.
fn check_at<'a>(
    node: &'a AstNode<'a>,
    locate: &mut dyn FnMut(&'a AstNode<'a>) -> Location,
    cx: &mut Context,
) {
    // Collected first: turning a link into a player detaches its children.
    for n in node.descendants().collect::<Vec<_>>() {
        let mut ast = n.data.borrow_mut();
        match &mut ast.value {
            // A comment block (in a list item, a quote) goes: a text node is no block, and
            // comrak refuses to render a list item holding one.
            NodeValue::HtmlBlock(h) if is_comment(&h.literal) => {
                drop(ast);
                n.detach();
            }
            NodeValue::HtmlInline(h) if is_comment(h) => ast.value = NodeValue::Text("".into()),
            NodeValue::HtmlBlock(_) | NodeValue::HtmlInline(_) => {
                drop(ast);
                cx.diagnostics.push(
                    Diagnostic::error("raw-html", "raw HTML is not allowed in pages")
                        .at(locate(n))
                        .label("HTML here")
                        .hint("write it in Markdown, or use a block such as `callout` or `reveal`; to show a tag as text, put it in `backticks`"),
                );
            }
            NodeValue::Link(link) | NodeValue::Image(link) => {
                let url = link.url.clone();
                let is_link = matches!(ast.value, NodeValue::Link(_));
                drop(ast);
                if is_link {
                    vague_link(n, locate, cx);
                } else {
                    image_alt(n, locate, cx);
                }
                if let Some(new) = resolve_url(&url, n, locate, cx) {
                    match &mut n.data.borrow_mut().value {
                        NodeValue::Link(l) | NodeValue::Image(l) => l.url = new,
                        _ => unreachable!(),
                    }
                }
                make_player(n);
            }
            NodeValue::Table(_) => {
                drop(ast);
                table_header(n, locate, cx);
            }
            _ => {}
        }
    }
}

/// Alternative text is what a screen-reader user gets instead of the image. An image with none
/// must say it is decorative, so that leaving it out is a decision, not an accident.
fn image_alt<'a>(
    node: &'a AstNode<'a>,
    locate: &mut dyn FnMut(&'a AstNode<'a>) -> Location,
    cx: &mut Context,
) {
    let decorative = match &mut node.data.borrow_mut().value {
        NodeValue::Image(l) if l.title == "decorative" => {
            l.title.clear();
            true
        }
        _ => false,
    };
    if !decorative && plain_children(node).trim().is_empty() {
        cx.diagnostics.push(
            Diagnostic::warning("image-alt", "the image has no alternative text")
                .at(locate(node))
                .label("no alt text")
                .hint("describe what the image shows: ![Bar chart of loans by month](chart.svg); if it is only decoration, say so: ![](border.svg \"decorative\")"),
        );
    }
}

/// A table whose header row is empty reads as a grid of unlabelled cells to a screen reader.
fn table_header<'a>(
    node: &'a AstNode<'a>,
    locate: &mut dyn FnMut(&'a AstNode<'a>) -> Location,
    cx: &mut Context,
) {
    let Some(header) = node.first_child() else {
        return;
    };
    if plain_children(header).trim().is_empty() {
        cx.diagnostics.push(
            Diagnostic::warning("table-header", "the table has no header row")
                .at(locate(node))
                .hint("put a short label above each column in the first row: screen readers announce it with every cell"),
        );
    }
}

/// Link text a screen-reader user hears in a list of links: it must make sense on its own.
fn vague_link<'a>(
    node: &'a AstNode<'a>,
    locate: &mut dyn FnMut(&'a AstNode<'a>) -> Location,
    cx: &mut Context,
) {
    const VAGUE: &[&str] = &[
        "click here",
        "here",
        "click",
        "read more",
        "more",
        "link",
        "this link",
        "this",
        "go",
    ];
    let text = plain_children(node).trim().to_lowercase();
    let bare =
        text.starts_with("http://") || text.starts_with("https://") || text.starts_with("www.");
    if VAGUE.contains(&text.as_str()) || bare {
        cx.diagnostics.push(
            Diagnostic::warning("vague-link", format!("link text `{text}` does not say where it goes"))
                .at(locate(node))
                .hint("name the destination, e.g. [the ICO's guidance on data breaches](https://ico.org.uk/)"),
        );
    }
}

fn is_comment_block<'a>(node: &'a AstNode<'a>) -> bool {
    matches!(&node.data.borrow().value, NodeValue::HtmlBlock(h) if is_comment(&h.literal))
}

fn is_comment(html: &str) -> bool {
    let t = html.trim();
    t.starts_with("<!--") && t.ends_with("-->")
}

/// A link to audio or video becomes a player with a download link as fallback.
fn make_player<'a>(node: &'a AstNode<'a>) {
    let (url, is_link) = match &node.data.borrow().value {
        NodeValue::Link(l) => (l.url.clone(), true),
        _ => return,
    };
    let ext = url.rsplit('.').next().unwrap_or("").to_ascii_lowercase();
    let Some((_, tag)) = MEDIA_PLAYERS.iter().find(|(e, _)| *e == ext) else {
        return;
    };
    if !is_link || url.contains(':') {
        return;
    }
    let label = plain_children(node);
    let esc = |s: &str| {
        s.replace('&', "&amp;")
            .replace('"', "&quot;")
            .replace('<', "&lt;")
            .replace('>', "&gt;")
    };
    let html = format!(
        "<{tag} class=\"media\" controls preload=\"metadata\" src=\"{u}\" aria-label=\"{l}\"><a href=\"{u}\">{l}</a></{tag}>",
        u = esc(&url),
        l = esc(&label)
    );
    for c in node.children().collect::<Vec<_>>() {
        c.detach();
    }
    node.data.borrow_mut().value = NodeValue::HtmlInline(html);
}

fn plain_children<'a>(node: &'a AstNode<'a>) -> String {
    node.descendants()
        .filter_map(|n| match &n.data.borrow().value {
            NodeValue::Text(t) => Some(t.to_string()),
            NodeValue::Code(c) => Some(c.literal.clone()),
            _ => None,
        })
        .collect()
}

/// The package URL for `url`, or `None` to keep it as written.
fn resolve_url<'a>(
    url: &str,
    node: &'a AstNode<'a>,
    locate: &mut dyn FnMut(&'a AstNode<'a>) -> Location,
    cx: &mut Context,
) -> Option<String> {
    let lower = url.trim().to_ascii_lowercase();
    if let Some(scheme) = ["javascript:", "vbscript:", "data:", "file:"]
        .into_iter()
        .find(|s| lower.starts_with(s))
    {
        cx.diagnostics.push(
            Diagnostic::error("unsafe-url", format!("`{scheme}` links are not allowed"))
                .at(locate(node))
                .label("unsafe link")
                .hint("link to a web page (https://…) or to a file inside the course"),
        );
        return Some("#".into());
    }
    if lower.is_empty() || lower.starts_with('#') || has_scheme(&lower) || lower.starts_with("//") {
        return None;
    }
    let path = url.split(['#', '?']).next().unwrap_or("");
    let suffix = &url[path.len()..];
    let joined = if cx.dir.is_empty() {
        path.to_owned()
    } else {
        format!("{}/{path}", cx.dir)
    };
    let Some(rel) = normalize(&joined) else {
        cx.diagnostics.push(
            Diagnostic::error(
                "asset-outside-course",
                format!("`{url}` points outside the course folder"),
            )
            .at(locate(node))
            .hint("keep every file the course uses inside the course folder"),
        );
        return Some("#".into());
    };
    let source = cx.course_root.join(&rel);
    match std::fs::symlink_metadata(&source) {
        Ok(m) if m.is_file() => {
            cx.assets.entry(rel.clone()).or_insert_with(|| Asset {
                path: rel.clone(),
                source,
            });
            Some(format!("{rel}{suffix}"))
        }
        Ok(m) if m.file_type().is_symlink() => {
            cx.diagnostics.push(
                Diagnostic::error("asset-symlink", format!("`{url}` is a symbolic link"))
                    .at(locate(node))
                    .hint("copy the file into the course instead of linking to it"),
            );
            Some("#".into())
        }
        _ => {
            let mut d = Diagnostic::error("missing-asset", format!("`{url}` does not exist"))
                .at(locate(node))
                .label("file not found")
                .hint(format!("looked for {}", rel));
            if let Some(s) = nearby_file(&source) {
                d = d.hint(format!("did you mean `{s}`?"));
            }
            cx.diagnostics.push(d);
            Some("#".into())
        }
    }
}

fn has_scheme(url: &str) -> bool {
    match url.find(':') {
        Some(i) => {
            let scheme = &url[..i];
            !scheme.is_empty()
                && scheme
                    .chars()
                    .all(|c| c.is_ascii_alphanumeric() || "+-.".contains(c))
                && !url[..i].contains('/')
        }
        None => false,
    }
}

/// `a/b/../c` → `a/c`; `None` when it climbs above the root or is absolute.
pub fn normalize(path: &str) -> Option<String> {
    if path.starts_with('/') || path.contains('\\') {
        return None;
    }
    crate::paths::normalize(path).filter(|p| !p.is_empty())
}

/// The name of a file beside `missing` that looks like a typo of it.
pub fn nearby_file(missing: &Path) -> Option<String> {
    let dir = missing.parent()?;
    let name = missing.file_name()?.to_str()?;
    let names: Vec<String> = std::fs::read_dir(dir)
        .ok()?
        .filter_map(|e| e.ok()?.file_name().into_string().ok())
        .collect();
    did_you_mean(name, names.iter().map(String::as_str)).map(str::to_owned)
}

/// Course-relative `/` path of a file path under the root.
pub fn relative(root: &Path, path: &Path) -> String {
    path.strip_prefix(root)
        .unwrap_or(path)
        .components()
        .filter_map(|c| c.as_os_str().to_str())
        .collect::<Vec<_>>()
        .join("/")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn run(text: &str) -> (Vec<Piece>, Diagnostics, BTreeMap<String, Asset>) {
        let file = SourceFile::new("m/p.md", text);
        let mut assets = BTreeMap::new();
        let mut diagnostics = Diagnostics::default();
        let root = std::env::temp_dir();
        let mut cx = Context {
            course_root: &root,
            file: &file,
            dir: "lmspack-none".into(),
            assets: &mut assets,
            diagnostics: &mut diagnostics,
        };
        let (_, body, off) = split_front_matter(text).unwrap();
        let pieces = page(body, off, &mut cx);
        (pieces, diagnostics, assets)
    }

    #[test]
    fn blocks_are_cut_out_with_their_position() {
        let (pieces, d, _) =
            run("---\nid: a\ntitle: A\n---\n## Hi\n\n```callout\nbody: x\n```\n\nafter\n");
        assert!(d.is_empty());
        assert_eq!(pieces.len(), 3);
        match &pieces[1] {
            Piece::Block {
                kind,
                yaml,
                line_offset,
                ..
            } => {
                assert_eq!(kind, "callout");
                assert_eq!(yaml, "body: x\n");
                assert_eq!(*line_offset, 7);
            }
            _ => panic!(),
        }
    }

    #[test]
    fn raw_html_and_script_links_are_errors_at_their_line() {
        let (_, d, _) =
            run("---\nid: a\ntitle: A\n---\ntext\n\n<div>x</div>\n\n[a](javascript:alert(1))\n");
        let lines: Vec<_> = d
            .iter()
            .map(|d| (d.code, d.location.as_ref().unwrap().line_col()))
            .collect();
        assert_eq!(lines, [("raw-html", (7, 1)), ("unsafe-url", (9, 1))]);
    }

    #[test]
    fn missing_asset_is_reported() {
        let (_, d, _) = run("---\nid: a\ntitle: A\n---\n![alt](img/x.png)\n");
        assert_eq!(d.iter().next().unwrap().code, "missing-asset");
    }

    #[test]
    fn normalize_paths() {
        assert_eq!(normalize("a/./b/../c.png").as_deref(), Some("a/c.png"));
        assert_eq!(normalize("../x"), None);
        assert_eq!(normalize("/etc/passwd"), None);
    }

    #[test]
    fn plain_text_drops_markup() {
        assert_eq!(plain_text("What **is** `x`?\nNext"), "What is x? Next");
    }
}
