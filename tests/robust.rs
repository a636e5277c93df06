//! No input makes lmspack panic: random pages and YAML, made of the tokens that matter to the
//! parsers, either load or give diagnostics.

use proptest::prelude::*;
use std::fs;

const TOKENS: &[&str] = &[
    "\n",
    "\n\n",
    " ",
    "  ",
    "---\n",
    "```",
    "```single-choice\n",
    "```scenario\n",
    "```reveal\n",
    "```callout\n",
    "id: ",
    "prompt: ",
    "options:\n",
    "  - text: ",
    "    correct: true\n",
    "steps:\n",
    "next: ",
    "start: ",
    "items:\n",
    "[",
    "]",
    "(",
    ")",
    "![",
    "](",
    "../",
    "x.png",
    "x.mp3",
    "#",
    "*",
    "- ",
    "1. ",
    "|",
    "|---|",
    "<",
    ">",
    "<b>",
    "<!-- c -->",
    "&",
    "é",
    "漢",
    "\t",
    "\"",
    "'",
    ":",
    "{",
    "}",
    "javascript:",
    "http://e.org",
    "\\",
    "a",
    "word ",
];

/// A module of two pages with `body` (one with a good front matter, one with `front`): it loads
/// with diagnostics, or builds packages that pass their own checks.
fn pages_build_or_explain(body: &str, front: &str) -> Result<(), TestCaseError> {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path();
    fs::write(root.join("course.yaml"), "id: c\ntitle: C\nlanguage: en\nversion: 1.0.0\ndescription: d\nauthors: [a]\nlicence: MIT\nmodules: [m]\n").unwrap();
    fs::create_dir_all(root.join("m")).unwrap();
    fs::write(root.join("m/module.yaml"), "id: m\ntitle: M\ndescription: d\nduration: 5\nobjectives: [o]\nmastery_score: 80\ncompletion: pages\npages: [a.md, b.md]\n").unwrap();
    fs::write(
        root.join("m/a.md"),
        format!("---\nid: a\ntitle: A\n---\n{body}"),
    )
    .unwrap();
    fs::write(root.join("m/b.md"), format!("---\n{front}\n---\n{body}")).unwrap();
    if let Ok(loaded) = lmspack::course::load(root) {
        for t in lmspack::target::all() {
            let tree = t
                .layout(&loaded.course, lmspack::target::Unit::Course)
                .unwrap();
            prop_assert!(t.check(&tree).is_empty());
        }
    }
    Ok(())
}

/// Cases the property test found: an HTML comment as the only content of a list item or a quote
/// (comrak refused to render the item the comment had been turned into a text node in).
#[test]
fn a_comment_alone_in_a_list_item_or_quote() {
    for body in [
        "id: ---\n- <!-- c -->",
        "- <!-- c -->\n",
        "1. <!-- c -->\n",
        "> <!-- c -->\n",
    ] {
        pages_build_or_explain(body, "").unwrap();
        pages_build_or_explain(body, "id: b\ntitle: B").unwrap();
    }
}

fn soup() -> impl Strategy<Value = String> {
    prop::collection::vec(prop::sample::select(TOKENS), 0..60).prop_map(|t| t.concat())
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(200))]

    #[test]
    fn random_pages_never_panic(body in soup(), front in soup()) {
        pages_build_or_explain(&body, &front)?;
    }

    #[test]
    fn random_yaml_never_panics(yaml in soup()) {
        let dir = tempfile::tempdir().unwrap();
        fs::write(dir.path().join("course.yaml"), yaml).unwrap();
        let _ = lmspack::course::load(dir.path());
    }
}
