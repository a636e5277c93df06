//! Render: one module → the files of its learner player.
//!
//! A module becomes a single `index.html` that holds every page as a `<section>` (only the current
//! one is shown), so the SCO never navigates away and the LMS session lives as long as the page.
//! The page has no inline script or style (CSP-safe): behaviour comes from `lmspack/lmspack.js`,
//! looks from `lmspack/lmspack.css`, and what the runtime needs to know about the module (ids,
//! weights, correct answers) from a `<script type="application/json">` data block.
//!
//! Templates are Handlebars files embedded from `runtime/templates/`, registered once, in strict
//! mode with HTML escaping on; the model's [`Html`](crate::course::model::Html) fields are already
//! safe and are the only values written with triple-stash. The output is a pure function of the
//! course: no time, no randomness, so the same sources give the same bytes.

mod data;
mod view;

use crate::course::model::{Course, Module};
use handlebars::Handlebars;
use rust_embed::RustEmbed;
use std::sync::OnceLock;

/// Which LMS API the runtime talks to.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Api {
    Scorm12,
    Scorm2004,
    Standalone,
    /// xAPI through a Tin Can launch (`endpoint`, `auth`, `actor`, … in the query).
    Xapi,
    /// cmi5: an AU launched by a cmi5 LMS.
    Cmi5,
}

impl Api {
    /// The name the runtime reads from the data block.
    pub fn name(self) -> &'static str {
        match self {
            Api::Scorm12 => "scorm12",
            Api::Scorm2004 => "scorm2004",
            Api::Standalone => "standalone",
            Api::Xapi => "xapi",
            Api::Cmi5 => "cmi5",
        }
    }
}

/// Package path of the launch page.
pub const INDEX: &str = "index.html";
/// Package path of the runtime script.
pub const SCRIPT: &str = "lmspack/lmspack.js";
/// Package path of the style sheet.
pub const STYLE: &str = "lmspack/lmspack.css";

#[derive(RustEmbed)]
#[folder = "runtime/"]
struct Runtime;

/// The files of one module's learner player (paths relative to the package root), in a stable order.
///
/// The logo and the files the pages reference are not included: they are the module's assets,
/// copied by the packager; the pages refer to them by their package paths.
pub fn module_files(
    course: &Course,
    module: &Module,
    api: Api,
) -> Result<Vec<(String, Vec<u8>)>, String> {
    let hb = registry()?;
    let data = data::json(course, module, api)?;
    let page = view::index(course, module, data);
    let html = hb
        .render("index", &page)
        .map_err(|e| format!("cannot render module `{}`: {e}", module.id))?;
    Ok(vec![
        (INDEX.to_owned(), html.into_bytes()),
        (SCRIPT.to_owned(), compact_js(&embedded("lmspack.js")?, api)),
        (STYLE.to_owned(), style(&course.theme.colour)?),
    ])
}

/// The launch page of a Tin Can course package: the course title and a link to each module's page
/// (`(href, title)`). The runtime passes the launch parameters on to the links.
pub fn menu_page(course: &Course, modules: &[(String, String)]) -> Result<Vec<u8>, String> {
    #[derive(serde::Serialize)]
    struct Entry<'a> {
        href: &'a str,
        title: &'a str,
    }
    #[derive(serde::Serialize)]
    struct Menu<'a> {
        lang: &'a str,
        course_title: &'a str,
        modules: Vec<Entry<'a>>,
    }
    let menu = Menu {
        lang: &course.language,
        course_title: &course.title,
        modules: modules
            .iter()
            .map(|(href, title)| Entry { href, title })
            .collect(),
    };
    registry()?
        .render("menu", &menu)
        .map(String::into_bytes)
        .map_err(|e| format!("cannot render the course menu: {e}"))
}

/// The text of an HTML fragment (tags dropped, references decoded): for xAPI descriptions.
pub fn plain_text(html: &str) -> String {
    view::text_of(html)
}

fn registry() -> Result<&'static Handlebars<'static>, String> {
    static REGISTRY: OnceLock<Result<Handlebars<'static>, String>> = OnceLock::new();
    REGISTRY
        .get_or_init(build_registry)
        .as_ref()
        .map_err(Clone::clone)
}

fn build_registry() -> Result<Handlebars<'static>, String> {
    let mut hb = Handlebars::new();
    hb.set_strict_mode(true);
    // Partials must not re-indent their output: it would change the text of `<pre>` blocks.
    hb.set_prevent_indent(true);
    let mut names: Vec<_> = Runtime::iter().collect();
    names.sort();
    for path in names {
        let Some(name) = path
            .strip_prefix("templates/")
            .and_then(|n| n.strip_suffix(".hbs"))
        else {
            continue;
        };
        let text = String::from_utf8(embedded(&path)?)
            .map_err(|_| format!("runtime template `{path}` is not UTF-8"))?;
        hb.register_template_string(name, text)
            .map_err(|e| format!("runtime template `{path}`: {e}"))?;
    }
    if !hb.has_template("index") {
        return Err("runtime template `templates/index.hbs` is missing".into());
    }
    Ok(hb)
}

fn embedded(path: &str) -> Result<Vec<u8>, String> {
    Runtime::get(path)
        .map(|f| f.data.into_owned())
        .ok_or_else(|| format!("runtime file `{path}` is missing"))
}

/// The runtime as shipped: without its comment lines, indentation and blank lines (they are a
/// fifth of its gzip size), and without the transport this package does not use: lines between
/// `// #scorm` and `// #end` go into SCORM packages only, lines between `// #xapi` and `// #end`
/// into xAPI and cmi5 ones (each is a third of the runtime, and the 12 KB budget is per package).
/// Only whole comment lines and block comments that start a line go, so no code changes (the
/// runtime has no template literal or multi-line string). The source keeps its comments for
/// readers, and runs as it is in every package kind.
fn compact_js(js: &[u8], api: Api) -> Vec<u8> {
    let text = String::from_utf8_lossy(js);
    let mut out = String::with_capacity(text.len());
    let mut in_comment = false;
    let mut keep = true;
    for line in text.lines() {
        let mut t = line.trim();
        if let Some(part) = t.strip_prefix("// #") {
            keep = match part.split(':').next().unwrap_or_default() {
                "scorm" => matches!(api, Api::Scorm12 | Api::Scorm2004),
                "xapi" => matches!(api, Api::Xapi | Api::Cmi5),
                _ => true,
            };
            continue;
        }
        if !keep {
            continue;
        }
        if in_comment || t.starts_with("/*") {
            // Skip to the end of the comment; code after it on the same line is kept.
            let from = if in_comment { 0 } else { 2 };
            match t[from..].find("*/") {
                Some(e) => {
                    in_comment = false;
                    t = t[from + e + 2..].trim();
                }
                None => {
                    in_comment = true;
                    continue;
                }
            }
        }
        if t.is_empty() || t.starts_with("//") {
            continue;
        }
        out.push_str(t);
        out.push('\n');
    }
    out.into_bytes()
}

/// The style sheet, with the theme colours as custom properties in front (a `style` attribute or
/// element would need `'unsafe-inline'` under a strict CSP).
fn style(colour: &str) -> Result<Vec<u8>, String> {
    let brand = parse_hex(colour).unwrap_or((0x1d, 0x4f, 0x91));
    let hex = |(r, g, b): (u8, u8, u8)| format!("#{r:02x}{g:02x}{b:02x}");
    let white = (0xff, 0xff, 0xff);
    let ink = (0x1a, 0x1a, 0x1a);
    // Text on the brand colour: whichever of white and near-black reads better.
    let on_brand = if contrast(brand, white) >= contrast(brand, ink) {
        white
    } else {
        ink
    };
    // Brand-coloured text and borders on white need 4.5:1; fall back to a dark colour.
    let brand_ink = if contrast(brand, white) >= 4.5 {
        brand
    } else {
        ink
    };
    let mut out = format!(
        ":root{{--brand:{};--on-brand:{};--brand-ink:{}}}\n",
        hex(brand),
        hex(on_brand),
        hex(brand_ink)
    )
    .into_bytes();
    out.extend(embedded("lmspack.css")?);
    Ok(out)
}

pub(crate) fn parse_hex(colour: &str) -> Option<(u8, u8, u8)> {
    let h = colour.strip_prefix('#')?;
    if h.len() != 6 || !h.bytes().all(|b| b.is_ascii_hexdigit()) {
        return None;
    }
    let byte = |i: usize| u8::from_str_radix(&h[i..i + 2], 16).ok();
    Some((byte(0)?, byte(2)?, byte(4)?))
}

/// WCAG 2 contrast ratio of two sRGB colours.
pub(crate) fn contrast(a: (u8, u8, u8), b: (u8, u8, u8)) -> f64 {
    fn lum((r, g, b): (u8, u8, u8)) -> f64 {
        let c = |v: u8| {
            let s = f64::from(v) / 255.0;
            if s <= 0.04045 {
                s / 12.92
            } else {
                ((s + 0.055) / 1.055).powf(2.4)
            }
        };
        0.2126 * c(r) + 0.7152 * c(g) + 0.0722 * c(b)
    }
    let (x, y) = (lum(a), lum(b));
    (x.max(y) + 0.05) / (x.min(y) + 0.05)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn colours() {
        assert_eq!(parse_hex("#1d4f91"), Some((0x1d, 0x4f, 0x91)));
        assert_eq!(parse_hex("1d4f91"), None);
        assert_eq!(parse_hex("#1d4f9"), None);
        assert!((contrast((0, 0, 0), (255, 255, 255)) - 21.0).abs() < 1e-9);
        let css = String::from_utf8(style("#ffff00").unwrap()).unwrap();
        assert!(
            css.starts_with(":root{--brand:#ffff00;--on-brand:#1a1a1a;--brand-ink:#1a1a1a}"),
            "{css}"
        );
        let css = String::from_utf8(style("#1d4f91").unwrap()).unwrap();
        assert!(
            css.starts_with(":root{--brand:#1d4f91;--on-brand:#ffffff;--brand-ink:#1d4f91}"),
            "{css}"
        );
    }

    #[test]
    fn the_shipped_runtime_is_the_source_without_comment_lines() {
        let js = compact_js(b"/* a\n b */ var b;\n  /* c */\n  var a = 1; // kept\n\n  // gone\n  /* gone */\n  var s = '//x';\n", Api::Scorm12);
        assert_eq!(
            String::from_utf8(js).unwrap(),
            "var b;\nvar a = 1; // kept\nvar s = '//x';\n"
        );
        let full = compact_js(&embedded("lmspack.js").unwrap(), Api::Scorm12);
        assert!(full.len() < embedded("lmspack.js").unwrap().len() * 9 / 10);
    }

    #[test]
    fn each_package_gets_only_its_own_transport() {
        let js = b"a;\n  // #scorm: SCORM\n  s;\n  // #end\n  // #xapi\n  x;\n  // #end\nb;\n";
        let shipped = |api| String::from_utf8(compact_js(js, api)).unwrap();
        assert_eq!(shipped(Api::Scorm12), "a;\ns;\nb;\n");
        assert_eq!(shipped(Api::Scorm2004), "a;\ns;\nb;\n");
        assert_eq!(shipped(Api::Xapi), "a;\nx;\nb;\n");
        assert_eq!(shipped(Api::Cmi5), "a;\nx;\nb;\n");
        assert_eq!(shipped(Api::Standalone), "a;\nb;\n");
        // The runtime's own markers are balanced, so nothing after them is lost.
        let runtime = String::from_utf8(embedded("lmspack.js").unwrap()).unwrap();
        let shipped = String::from_utf8(compact_js(runtime.as_bytes(), Api::Standalone)).unwrap();
        assert!(
            shipped.trim_end().ends_with("this);"),
            "{}",
            &shipped[shipped.len() - 80..]
        );
        assert!(!shipped.contains("function journal(") && !shipped.contains("function xstart("));
    }

    #[test]
    fn templates_register() {
        registry().unwrap();
    }
}
