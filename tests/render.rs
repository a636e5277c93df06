//! The learner player: markup of every block kind, the data block, determinism, no external or
//! inline code.

use lmspack::course::{self, Course};
use lmspack::render::{module_files, Api};
use serde_json::Value;
use std::path::Path;

const APIS: [Api; 3] = [Api::Scorm12, Api::Scorm2004, Api::Standalone];

fn load(name: &str) -> Course {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("fixtures")
        .join(name);
    match course::load(&root) {
        Ok(loaded) => loaded.course,
        Err(e) => panic!("fixture `{name}` does not load: {e:?}"),
    }
}

fn files(course: &Course, api: Api) -> Vec<(String, Vec<u8>)> {
    module_files(course, &course.modules[0], api).expect("renders")
}

fn text<'a>(files: &'a [(String, Vec<u8>)], path: &str) -> &'a str {
    let (_, bytes) = files
        .iter()
        .find(|(p, _)| p == path)
        .unwrap_or_else(|| panic!("no `{path}`"));
    std::str::from_utf8(bytes).expect("UTF-8")
}

fn data(html: &str) -> Value {
    let open = r#"<script type="application/json" id="lmspack-data">"#;
    let start = html.find(open).expect("data block") + open.len();
    let len = html[start..].find("</script>").expect("end of data block");
    serde_json::from_str(&html[start..start + len]).expect("data block is JSON")
}

/// Every `(tag, attribute, value)` of `src` and `href` attributes.
fn urls(html: &str) -> Vec<(String, String)> {
    let mut out = Vec::new();
    for attr in [" src=\"", " href=\""] {
        let mut rest = html;
        while let Some(i) = rest.find(attr) {
            let tag_start = rest[..i].rfind('<').expect("attribute inside a tag");
            let tag: String = rest[tag_start + 1..]
                .chars()
                .take_while(|c| c.is_ascii_alphanumeric())
                .collect();
            let value_start = i + attr.len();
            let value_len = rest[value_start..].find('"').expect("closing quote");
            out.push((tag, rest[value_start..value_start + value_len].to_owned()));
            rest = &rest[value_start + value_len..];
        }
    }
    out
}

#[test]
fn files_and_order() {
    let course = load("every-block");
    for api in APIS {
        let names: Vec<_> = files(&course, api).into_iter().map(|(p, _)| p).collect();
        assert_eq!(
            names,
            ["index.html", "lmspack/lmspack.js", "lmspack/lmspack.css"]
        );
    }
}

#[test]
fn deterministic() {
    for fixture in ["every-block", "minimal"] {
        for api in APIS {
            let a = files(&load(fixture), api);
            let b = files(&load(fixture), api);
            assert_eq!(a, b, "{fixture} {api:?}");
        }
    }
}

#[test]
fn player_files_are_shared_by_the_modules_of_a_course() {
    // A course package puts every module's page beside one copy of the script and style sheet.
    let course = load("every-block");
    let a = files(&course, Api::Scorm12);
    let b = files(&course, Api::Scorm2004);
    assert_eq!(a[1], b[1]);
    assert_eq!(a[2], b[2]);
}

#[test]
fn data_block() {
    let course = load("every-block");
    for (api, name) in [
        (Api::Scorm12, "scorm12"),
        (Api::Scorm2004, "scorm2004"),
        (Api::Standalone, "standalone"),
    ] {
        let f = files(&course, api);
        let d = data(text(&f, "index.html"));
        assert_eq!(d["api"], name);
        assert_eq!(d["course"]["id"], "every-block");
        assert_eq!(d["course"]["title"], "Every Block <Fixture> & Co");
        assert_eq!(d["module"]["id"], "all-blocks");
        assert_eq!(d["module"]["title"], "All the blocks");
        assert_eq!(d["mastery_score"], 75);
        assert_eq!(d["completion"], "both");
        assert_eq!(
            d["pages"],
            serde_json::json!(["questions", "more-questions", "interactive", "structure"])
        );

        let qs = d["questions"].as_array().unwrap();
        let ids: Vec<_> = qs.iter().map(|q| q["id"].as_str().unwrap()).collect();
        assert_eq!(
            ids,
            [
                "eb-single",
                "eb-multiple",
                "eb-true-false",
                "eb-fill-in",
                "eb-matching",
                "eb-sequencing",
                "eb-practice",
                "eb-likert"
            ]
        );
        let types: Vec<_> = qs.iter().map(|q| q["type"].as_str().unwrap()).collect();
        assert_eq!(
            types,
            [
                "choice",
                "choice",
                "true-false",
                "fill-in",
                "matching",
                "sequencing",
                "choice",
                "likert"
            ]
        );
        let q = |id: &str| qs.iter().find(|q| q["id"] == id).unwrap();
        assert_eq!(q("eb-single")["correct"], serde_json::json!([1]));
        assert_eq!(q("eb-single")["weight"], 2);
        assert_eq!(q("eb-single")["scored"], true);
        assert_eq!(q("eb-single")["count"], 3);
        assert_eq!(q("eb-single")["page"], 0);
        assert_eq!(
            q("eb-single")["text"],
            "What is the main purpose of a digital vision?"
        );
        assert_eq!(q("eb-multiple")["correct"], serde_json::json!([0, 1]));
        assert_eq!(q("eb-true-false")["answer"], false);
        assert_eq!(
            q("eb-fill-in")["answers"],
            serde_json::json!(["UK GDPR", "GDPR"])
        );
        assert_eq!(q("eb-fill-in")["case_sensitive"], false);
        assert_eq!(q("eb-matching")["correct"], serde_json::json!([0, 1, 2]));
        assert_eq!(
            q("eb-sequencing")["correct"],
            serde_json::json!([0, 1, 2, 3])
        );
        assert_eq!(q("eb-sequencing")["page"], 1);
        assert_eq!(q("eb-practice")["scored"], false);
        assert_eq!(q("eb-likert")["scored"], false);
        assert_eq!(q("eb-likert")["count"], 5);

        let blocks: Vec<_> = d["blocks"]
            .as_array()
            .unwrap()
            .iter()
            .map(|b| (b["id"].as_str().unwrap(), b["kind"].as_str().unwrap()))
            .collect();
        assert_eq!(
            blocks,
            [
                ("eb-reflection", "reflection"),
                ("eb-action-plan", "action-plan"),
                ("eb-scenario", "scenario")
            ]
        );
    }
}

#[test]
fn data_block_cannot_end_its_script() {
    let course = load("every-block");
    let f = files(&course, Api::Scorm12);
    let html = text(&f, "index.html");
    let open = r#"<script type="application/json" id="lmspack-data">"#;
    let start = html.find(open).unwrap() + open.len();
    let block = &html[start..start + html[start..].find("</script>").unwrap()];
    assert!(
        block.contains(r"Every Block \u003cFixture\u003e \u0026 Co"),
        "{block}"
    );
    assert!(!block.contains(['<', '>', '&']));
}

#[test]
fn every_block_kind_has_its_markup() {
    let course = load("every-block");
    let f = files(&course, Api::Scorm2004);
    let html = text(&f, "index.html");
    for needle in [
        // page structure
        r#"<html lang="en-GB" class="no-js">"#,
        r##"<a class="lp-skip" href="#lp-main">Skip to content</a>"##,
        r#"<main id="lp-main""#,
        r#"<nav class="lp-nav" aria-label="Pages">"#,
        r#"id="lp-prev""#,
        r#"id="lp-next""#,
        "Page 1 of 4",
        r#"<h1 id="h-questions" tabindex="-1">Choice questions</h1>"#,
        r#"<img class="lp-logo" src="assets/logo.svg" alt="Fixture logo">"#,
        r#"<title>All the blocks – Every Block &lt;Fixture&gt; &amp; Co</title>"#,
        // questions
        r#"data-kind="single-choice""#,
        r#"data-kind="multiple-choice""#,
        r#"data-kind="true-false""#,
        r#"data-kind="fill-in""#,
        r#"data-kind="matching""#,
        r#"data-kind="sequencing""#,
        "<fieldset",
        "<legend>What is the main purpose of a digital vision?</legend>",
        r#"<input type="radio" name="b-eb-single" id="b-eb-single-o1" value="1"><label for="b-eb-single-o1">To say what difference digital will make for <em>people</em>.</label>"#,
        r#"<input type="checkbox" name="b-eb-multiple""#,
        r#"<label for="b-eb-true-false-o0">True</label>"#,
        r#"<label for="b-eb-true-false-o1">False</label>"#,
        r#"<label for="b-eb-fill-in-text">Your answer</label><input type="text""#,
        // matching: a radio group per item, every answer in full (no dropdown to clip it)
        r#"<li class="lp-pair"><fieldset><legend>"#,
        r#"<input type="radio" name="b-eb-matching-m0" id="b-eb-matching-m0-0" value="0">"#,
        "How we know we got there &lt;&amp; &quot;quoted&quot;&gt;</label>",
        // sequencing: an ordered list reordered with Move up / Move down, named after the item
        r#"<li class="lp-seq-item" data-item="0">"#,
        r#"aria-label="Move up: "#,
        r#"aria-label="Move down: "#,
        "Check answer",
        r#"<div class="lp-feedback" aria-live="polite"></div>"#,
        r#"<template class="lp-fb-correct">"#,
        r#"<template class="lp-ofb">"#,
        "Practice question",
        // other interactive blocks
        r#"data-kind="likert""#,
        r#"<label for="b-eb-likert-o4">Strongly agree</label>"#,
        r#"<textarea id="b-eb-reflection-text" rows="4" aria-describedby="b-eb-reflection-hint">"#,
        "Start with the people you serve.",
        r#"<label class="lp-label" for="b-eb-action-plan-first-step">One small experiment I will try</label>"#,
        "Download my action plan",
        r#"class="lp-block lp-scenario""#,
        r#"class="lp-btn lp-choice""#,
        "Try again",
        "Mixed outcome",
        // structure blocks
        "<details>\n<summary>What is digital inclusion?</summary>",
        r#"<aside class="lp-block lp-callout lp-callout-warning" role="note">"#,
        "Warning:</span> Mind the gap",
        r#"<aside class="lp-block lp-callout lp-callout-info" role="note">"#,
        r#"<article class="lp-block lp-case" id="b-eb-case-illustrative">"#,
        "Illustrative case",
        "Source: Libraries Connected annual report, Libraries Connected (<a href=\"https://www.librariesconnected.org.uk/\"",
    ] {
        assert!(html.contains(needle), "missing {needle:?}");
    }
    // A prompt of two paragraphs cannot sit in a legend: it is shown before the fieldset.
    assert!(html.contains(
        "<div class=\"lp-prompt\"><p>Which of these are signs of a good digital vision?</p>"
    ));
    // Only the first page is shown before the script runs.
    assert_eq!(html.matches("<section class=\"lp-page\"").count(), 4);
    assert_eq!(html.matches("aria-labelledby=\"h-").count(), 4);
    // The results page follows the content pages, hidden until reached.
    assert_eq!(html.matches(" hidden>\n<h1").count(), 4);
    assert!(html.contains(
        "<section class=\"lp-page lp-results\" id=\"lp-results\" aria-labelledby=\"lp-results-h\" hidden>"
    ));
    assert!(html.contains(">Finish</button>"));
}

#[test]
fn sequencing_is_shown_in_its_shuffled_order_and_matching_rights_are_shuffled() {
    let course = load("every-block");
    let html = text(&files(&course, Api::Scorm12), "index.html").to_owned();
    let shown = match course.modules[0]
        .questions()
        .find(|q| q.id.as_str() == "eb-sequencing")
        .unwrap()
        .kind
    {
        course::model::QuestionKind::Sequencing { ref shown, .. } => shown.clone(),
        _ => unreachable!(),
    };
    let mut at = 0;
    for i in shown {
        let needle = format!("data-item=\"{i}\"");
        let found = html[at..].find(&needle).expect("sequencing item") + at;
        at = found + needle.len();
    }
    let start = html.find("<li class=\"lp-pair\">").unwrap();
    let pair = &html[start..start + html[start..].find("</fieldset>").unwrap()];
    let order: Vec<_> = pair
        .match_indices("value=\"")
        .map(|(i, m)| &pair[i + m.len()..i + m.len() + 1])
        .collect();
    assert_eq!(order.len(), 3, "{pair}");
    assert_ne!(order, ["0", "1", "2"], "right texts are shuffled");
}

#[test]
fn no_inline_code_and_no_external_resources() {
    let course = load("every-block");
    for api in APIS {
        let f = files(&course, api);
        let html = text(&f, "index.html");
        let scripts: Vec<_> = html
            .match_indices("<script")
            .map(|(i, _)| &html[i..i + html[i..].find('>').unwrap() + 1])
            .collect();
        assert_eq!(
            scripts,
            [
                r#"<script src="lmspack/lmspack.js" defer>"#,
                r#"<script type="application/json" id="lmspack-data">"#
            ]
        );
        assert!(!html.contains("<style"), "no style element");
        assert!(!html.contains(" style="), "no style attribute");
        for (i, _) in html.match_indices(" on") {
            let name: String = html[i + 3..]
                .chars()
                .take_while(char::is_ascii_lowercase)
                .collect();
            assert!(
                !html[i + 3 + name.len()..].starts_with('='),
                "event handler attribute on{name}"
            );
        }
        for (tag, url) in urls(html) {
            let external =
                url.starts_with("http:") || url.starts_with("https:") || url.starts_with("//");
            if external {
                assert_eq!(tag, "a", "external resource {url}");
                assert!(
                    [
                        "https://www.cilip.org.uk/",
                        "https://www.librariesconnected.org.uk/"
                    ]
                    .contains(&url.as_str()),
                    "unexpected link {url}"
                );
            }
        }
        let js = text(&f, "lmspack/lmspack.js");
        let css = text(&f, "lmspack/lmspack.css");
        for s in [js, css] {
            assert!(
                !s.contains("http://") && !s.contains("https://"),
                "no URL in the runtime"
            );
        }
        assert!(
            !css.contains("@import") && !css.contains("url("),
            "no external style resource"
        );
        assert!(
            !js.contains("eval(") && !js.contains("new Function"),
            "no eval"
        );
    }
}

#[test]
fn theme_colour_goes_in_the_style_sheet() {
    let course = load("every-block");
    let f = files(&course, Api::Scorm12);
    assert!(text(&f, "lmspack/lmspack.css").starts_with(":root{--brand:#1d4f91;"));
}

#[test]
fn minimal() {
    let course = load("minimal");
    for api in APIS {
        let f = files(&course, api);
        let html = text(&f, "index.html");
        assert!(html.contains(r#"<html lang="en" class="no-js">"#));
        assert!(html.contains("Page 1 of 1"));
        assert!(!html.contains("lp-logo"), "no logo without a theme logo");
        let d = data(html);
        assert_eq!(d["questions"].as_array().unwrap().len(), 1);
        assert_eq!(d["questions"][0]["id"], "min-q");
        assert_eq!(d["completion"], "assessment");
        assert_eq!(d["blocks"], serde_json::json!([]));
        // The default theme colour.
        assert!(text(&f, "lmspack/lmspack.css").starts_with(":root{--brand:#"));
    }
}

/// The data block of module `index` of `course`.
fn module_data(course: &Course, index: usize, api: Api) -> Value {
    let f = module_files(course, &course.modules[index], api).expect("renders");
    data(text(&f, "index.html"))
}

#[test]
fn data_block_has_the_answer_rules_and_the_cover() {
    let course = load("answer-rules");
    for api in APIS {
        // Module 1 takes course.yaml's rules; module 2 sets its own.
        let inherits = module_data(&course, 0, api);
        assert_eq!(inherits["review"], "feedback");
        assert_eq!(inherits["attempts"], 3);
        assert_eq!(inherits["retake"], false);
        assert_eq!(inherits["duration"], 10);
        assert_eq!(
            inherits["objectives"],
            serde_json::json!(["Keep the course's rules.", "Say so in the data block."])
        );
        let shuffles = |d: &Value| -> Vec<(String, bool)> {
            d["questions"]
                .as_array()
                .unwrap()
                .iter()
                .map(|q| {
                    (
                        q["id"].as_str().unwrap().to_owned(),
                        q["shuffle"].as_bool().unwrap(),
                    )
                })
                .collect()
        };
        assert_eq!(
            shuffles(&inherits),
            [
                ("ar-inherited-single".to_owned(), false),
                ("ar-inherited-own-shuffle".to_owned(), true)
            ],
            "course.yaml's `shuffle: false`, and a question's own `shuffle: true`"
        );

        let overrides = module_data(&course, 1, api);
        assert_eq!(overrides["review"], "answers");
        assert_eq!(overrides["attempts"], 1);
        assert_eq!(overrides["retake"], true);
        assert_eq!(overrides["duration"], 20);
        assert_eq!(
            overrides["objectives"],
            serde_json::json!(["Use the module's own rules."])
        );
        let expected: Vec<(String, bool)> = [
            ("ar-single", true),
            ("ar-multiple", true),
            ("ar-all-of-the-above", false),
            ("ar-true-false", false),
            ("ar-practice", true),
            ("ar-likert", false),
        ]
        .into_iter()
        .map(|(id, s)| (id.to_owned(), s))
        .collect();
        assert_eq!(
            shuffles(&overrides),
            expected,
            "only choice questions shuffle"
        );
        // What the runtime needs to reveal the right answer.
        let q = |id: &str| {
            overrides["questions"]
                .as_array()
                .unwrap()
                .iter()
                .find(|q| q["id"] == id)
                .unwrap()
                .clone()
        };
        assert_eq!(q("ar-all-of-the-above")["correct"], serde_json::json!([2]));
        assert_eq!(q("ar-true-false")["answer"], true);
    }
}

#[test]
fn the_answer_rules_default_when_no_file_sets_them() {
    let course = load("minimal");
    for api in APIS {
        let d = module_data(&course, 0, api);
        assert_eq!(d["review"], "answers");
        assert_eq!(d["attempts"], 1);
        assert_eq!(d["retake"], true);
        assert_eq!(d["duration"], 5);
        assert_eq!(d["objectives"], serde_json::json!(["Answer one question."]));
        assert_eq!(d["questions"][0]["shuffle"], true);
    }
}

#[test]
fn data_blocks_of_the_answer_rules_fixture_match_their_snapshots() {
    let course = load("answer-rules");
    for (i, m) in course.modules.iter().enumerate() {
        let d = module_data(&course, i, Api::Scorm2004);
        insta::assert_snapshot!(
            format!("data-{}", m.id),
            serde_json::to_string_pretty(&d).unwrap()
        );
    }
}
