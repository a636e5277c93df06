//! What the preview sends besides package files: the status as JSON, the module list, the
//! simulator page, an error page, and the reload script put into served HTML (never into a build).

use super::mode::Mode;
use super::state::{Build, Good, Outcome};
use serde_json::{json, Value};

/// The preview's own files, compiled into the binary.
pub mod assets {
    pub const SIMULATOR_HTML: &str = include_str!("../../runtime/preview/simulator.html");
    pub const SIMULATOR_JS: &str = include_str!("../../runtime/preview/simulator.js");
    pub const SCORM_JS: &str = include_str!("../../runtime/preview/scorm-api.js");
    pub const PREVIEW_CSS: &str = include_str!("../../runtime/preview/preview.css");
    pub const RELOAD_JS: &str = include_str!("../../runtime/preview/reload.js");

    /// `(name under /__lmspack/, content type, text)`.
    pub const ALL: &[(&str, &str, &str)] = &[
        (
            "simulator.js",
            "text/javascript; charset=utf-8",
            SIMULATOR_JS,
        ),
        ("scorm-api.js", "text/javascript; charset=utf-8", SCORM_JS),
        ("preview.css", "text/css; charset=utf-8", PREVIEW_CSS),
        ("reload.js", "text/javascript; charset=utf-8", RELOAD_JS),
    ];
}

/// The element put before `</body>` of every served HTML page.
pub const RELOAD_TAG: &str = "<script src=\"/__lmspack/reload.js\" data-lmspack-preview></script>";

/// Add the reload script to an HTML page (served only; packages built by `lmspack build` never
/// pass through here).
pub fn inject(html: &[u8]) -> Vec<u8> {
    let text = String::from_utf8_lossy(html);
    let at = text.rfind("</body>").unwrap_or(text.len());
    let mut out = String::with_capacity(text.len() + RELOAD_TAG.len() + 1);
    out.push_str(&text[..at]);
    out.push_str(RELOAD_TAG);
    out.push('\n');
    out.push_str(&text[at..]);
    out.into_bytes()
}

/// `GET /__lmspack/status`.
pub fn status(build: &Build, good: Option<&Good>) -> Value {
    let (diagnostics, error) = match &build.outcome {
        Outcome::Ok(d) | Outcome::Content(d) => {
            (d.iter().map(|d| json!(d)).collect::<Vec<_>>(), Value::Null)
        }
        Outcome::Io(m) => (Vec::new(), Value::String(m.clone())),
    };
    let errors = diagnostics
        .iter()
        .filter(|d| d["severity"] == "error")
        .count()
        + usize::from(!error.is_null());
    json!({
        "build": build.number,
        "ok": build.ok(),
        "errors": errors,
        "elapsed_ms": build.elapsed.as_secs_f64() * 1000.0,
        "error": error,
        "diagnostics": diagnostics,
        // The course being served: the last good build's, which is older than `build` while the
        // sources have errors.
        "served_build": good.map(|g| g.build),
        "course": good.map(|g| json!({"id": g.course.id.as_str(), "title": g.course.title})),
        "modules": good.map(|g| g.course.modules.iter().map(|m| json!({
            "id": m.id.as_str(), "title": m.title, "mastery_score": m.mastery_score,
        })).collect::<Vec<_>>()),
        "modes": Mode::all().iter().map(|m| json!({"name": m.name(), "label": m.label(), "lms": m.lms().name()})).collect::<Vec<_>>(),
    })
}

pub fn escape(text: &str) -> String {
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

/// JSON that can sit inside a `<script>` element.
fn script_json(value: &Value) -> String {
    value
        .to_string()
        .replace('<', "\\u003c")
        .replace('>', "\\u003e")
        .replace('&', "\\u0026")
}

fn shell(title: &str, body: &str) -> String {
    format!(
        "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n\
<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n<title>{}</title>\n\
<link rel=\"stylesheet\" href=\"/__lmspack/preview.css\">\n</head>\n<body class=\"pv-page\">\n{body}\n{RELOAD_TAG}\n</body>\n</html>\n",
        escape(title)
    )
}

/// `GET /`: every module, with a link to its simulator in each mode (`default` first).
pub fn index(build: &Build, good: Option<&Good>, default: Mode) -> String {
    let Some(good) = good else {
        return shell(
            "lmspack preview",
            "<main class=\"pv-index\"><h1>lmspack preview</h1>\
<p>The course has not built yet: fix the errors and this page reloads.</p></main>",
        );
    };
    let course = &good.course;
    let mut modes = vec![default];
    modes.extend(Mode::all().into_iter().filter(|m| *m != default));
    let mut rows = String::new();
    for m in &course.modules {
        let id = escape(m.id.as_str());
        let mut links = String::new();
        for (i, mode) in modes.iter().enumerate() {
            let class = if i == 0 { " class=\"pv-primary\"" } else { "" };
            links.push_str(&format!(
                "<a{class} href=\"/{}/{id}/\">{}</a> ",
                mode.name(),
                escape(&mode.label())
            ));
        }
        rows.push_str(&format!(
            "<tr><th scope=\"row\">{}<br><code>{id}</code></th><td>{} min</td><td>{} page(s)</td><td class=\"pv-links\">{links}</td></tr>\n",
            escape(&m.title),
            m.duration,
            m.pages.len(),
        ));
    }
    let stale = if build.ok() {
        String::new()
    } else {
        "<p class=\"pv-stale\" role=\"status\">The sources have errors: this is the last build that worked.</p>".into()
    };
    shell(
        &format!("{} – lmspack preview", course.title),
        &format!(
            "<main class=\"pv-index\">\n<h1>{}</h1>\n<p>lmspack preview, build {}. Open a module in the LMS simulator:</p>\n{stale}\
<table>\n<caption class=\"pv-sr\">Modules</caption>\n<thead><tr><th scope=\"col\">Module</th><th scope=\"col\">Duration</th><th scope=\"col\">Pages</th><th scope=\"col\">Open</th></tr></thead>\n<tbody>\n{rows}</tbody>\n</table>\n</main>",
            escape(&course.title),
            build.number
        ),
    )
}

/// `GET /<mode>/<module>/`: the LMS simulator around the module.
pub fn simulator(mode: Mode, module: &str, good: Option<&Good>) -> String {
    let found = good.and_then(|g| g.course.modules.iter().find(|m| m.id.as_str() == module));
    let title = found.map_or(module.to_owned(), |m| m.title.clone());
    let config = json!({
        "course": good.map(|g| g.course.id.as_str()),
        "courseTitle": good.map(|g| g.course.title.as_str()),
        "module": module,
        "title": title,
        "mode": mode.name(),
        "lms": mode.lms().name(),
        "masteryScore": found.map(|m| m.mastery_score),
        "package": format!("/{}/{module}/package/index.html", mode.name()),
        "modes": Mode::all().iter().map(|m| json!({"name": m.name(), "label": m.label(), "lms": m.lms().name()})).collect::<Vec<_>>(),
    });
    assets::SIMULATOR_HTML
        .replace(
            "{{title}}",
            &escape(&format!("{title} – {} – lmspack preview", mode.label())),
        )
        .replace("{{config}}", &script_json(&config))
}

/// A package page asked for while no build of the course has worked yet.
pub fn broken(build: &Build) -> String {
    let mut items = String::new();
    match &build.outcome {
        Outcome::Io(m) => items.push_str(&format!("<li>{}</li>", escape(m))),
        Outcome::Ok(d) | Outcome::Content(d) => {
            for d in d.iter() {
                items.push_str(&format!("<li><code>{}</code></li>", escape(&d.one_line())));
            }
        }
    }
    shell(
        "Course errors – lmspack preview",
        &format!("<main class=\"pv-index\"><h1>The course has errors</h1><ul>{items}</ul></main>"),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_reload_script_goes_before_the_last_body_end() {
        let out = String::from_utf8(inject(b"<html><body><p>x</p></body></html>")).unwrap();
        assert_eq!(
            out,
            format!("<html><body><p>x</p>{RELOAD_TAG}\n</body></html>")
        );
        let out = String::from_utf8(inject(b"<p>no body")).unwrap();
        assert!(out.ends_with(&format!("{RELOAD_TAG}\n")));
    }

    #[test]
    fn config_json_cannot_close_the_script() {
        let s = script_json(&json!({"t": "</script><b>&"}));
        assert!(
            !s.contains('<') && !s.contains('>') && !s.contains('&'),
            "{s}"
        );
        assert_eq!(
            escape("<a href=\"x\">&'"),
            "&lt;a href=&quot;x&quot;&gt;&amp;&#39;"
        );
    }
}
