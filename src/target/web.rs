//! `web`: the learner player as a standalone site, for any web server or a folder on disk. No LMS:
//! the runtime's standalone adapter keeps progress in the browser's `localStorage` and says so.
//!
//! A module package is its `index.html`, the player files and the assets. A course package has one
//! page per module (`<module-id>.html`) and a menu page, `index.html`, linking to them. There is no
//! descriptor and no validator for such a site, so the check is the one thing that can go wrong:
//! every local `src` and `href` of every HTML file names a file of the package.

use super::scorm;
use super::{Target, Unit};
use crate::course::model::Course;
use crate::package::{Content, Tree};
use crate::render::{self, Api};

pub struct Web;

impl Target for Web {
    fn name(&self) -> &'static str {
        "web"
    }

    fn layout(&self, course: &Course, unit: Unit) -> Result<Tree, String> {
        let (mut tree, pages) = scorm::layout(course, unit, Api::Standalone, None)?;
        if matches!(unit, Unit::Course) {
            if tree.contains_key(render::INDEX) {
                return Err(format!(
                    "a course file clashes with the course menu `{}`",
                    render::INDEX
                ));
            }
            let entries: Vec<(String, String)> = pages
                .iter()
                .map(|p| (p.href.clone(), p.module.title.clone()))
                .collect();
            tree.insert(
                render::INDEX.into(),
                Content::bytes(render::menu_page(course, &entries)?),
            );
        }
        Ok(tree)
    }

    fn check(&self, tree: &Tree) -> Vec<String> {
        let mut problems = Vec::new();
        if !tree.contains_key(render::INDEX) {
            problems.push(format!("the site has no `{}`", render::INDEX));
        }
        for (path, content) in tree {
            let Content::Bytes(bytes) = content else {
                continue;
            };
            if !path.ends_with(".html") {
                continue;
            }
            let html = String::from_utf8_lossy(bytes);
            for target in local_links(&html) {
                let resolved = resolve(path, &target);
                if !resolved.as_ref().is_some_and(|r| tree.contains_key(r)) {
                    problems.push(format!(
                        "`{path}` links to `{target}`, which is not in the site"
                    ));
                }
            }
        }
        problems
    }
}

/// The values of the `src` and `href` attributes of `html` that point into the site: not absolute
/// (`scheme:`, `//`), not a fragment of the same page. Query and fragment dropped, references and
/// percent-escapes decoded.
pub fn local_links(html: &str) -> Vec<String> {
    let mut out = Vec::new();
    for attr in [" src=\"", " href=\""] {
        for (i, _) in html.match_indices(attr) {
            let rest = &html[i + attr.len()..];
            let Some(end) = rest.find('"') else { continue };
            let value = decode(&rest[..end].replace("&amp;", "&"));
            let value = value.split(['#', '?']).next().unwrap_or("");
            let scheme = value
                .split_once(':')
                .is_some_and(|(s, _)| !s.is_empty() && !s.contains('/'));
            if value.is_empty() || scheme || value.starts_with("//") {
                continue;
            }
            out.push(value.to_owned());
        }
    }
    out.sort();
    out.dedup();
    out
}

/// `%XX` escapes decoded (invalid ones left as they are).
fn decode(s: &str) -> String {
    let b = s.as_bytes();
    let mut out = Vec::with_capacity(b.len());
    let mut i = 0;
    while i < b.len() {
        let hex = (b[i] == b'%' && i + 2 < b.len())
            .then(|| std::str::from_utf8(&b[i + 1..i + 3]).ok())
            .flatten()
            .and_then(|h| u8::from_str_radix(h, 16).ok());
        match hex {
            Some(v) => {
                out.push(v);
                i += 3;
            }
            None => {
                out.push(b[i]);
                i += 1;
            }
        }
    }
    String::from_utf8_lossy(&out).into_owned()
}

/// The package path of `link` in the page at `from`; `None` when it climbs out of the site.
fn resolve(from: &str, link: &str) -> Option<String> {
    match link.strip_prefix('/') {
        Some(absolute) => crate::paths::normalize(absolute),
        None => {
            let dir = from.rsplit_once('/').map_or("", |(d, _)| d);
            crate::paths::normalize(&format!("{dir}/{link}"))
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn links() {
        let html = r##"<a href="#p-1">x</a><img src="assets/my%20logo.svg" alt=""><a href="https://x.org/a?b=1&amp;c">x</a>
<a href="mailto:a@b.c">m</a><link rel="stylesheet" href="lmspack/lmspack.css"><a href="m.html?x=1#top">m</a><a href="//cdn.org/x">c</a>"##;
        assert_eq!(
            local_links(html),
            ["assets/my logo.svg", "lmspack/lmspack.css", "m.html"]
        );
        assert_eq!(resolve("a/b.html", "../c.png").as_deref(), Some("c.png"));
        assert_eq!(
            resolve("index.html", "./x/y.png").as_deref(),
            Some("x/y.png")
        );
        assert_eq!(resolve("index.html", "../y.png"), None);
        assert_eq!(decode("caf%C3%A9%2"), "café%2");
    }
}
