//! The command line, end to end: each class of error gives its file:line:col and exit status, and
//! a good course builds into reproducible, valid packages.

use assert_cmd::Command;
use std::fs;
use std::path::{Path, PathBuf};

/// A small valid course in a temporary folder, that a test then breaks in one way.
struct Course {
    dir: tempfile::TempDir,
}

const COURSE_YAML: &str = "\
id: test-course
title: Test course
language: en-GB
version: 1.0.0
description: A course for tests.
authors: [Tester]
licence: CC-BY-SA-4.0
modules:
  - 01-first
";

const MODULE_YAML: &str = "\
id: first
title: First module
description: The first module.
duration: 10
objectives: [Pass the test]
mastery_score: 80
completion: both
pages:
  - pages/intro.md
  - pages/quiz.md
";

const INTRO: &str = "\
---
id: intro
title: Introduction
---
Welcome.

![A diagram](../images/d.svg)
";

const QUIZ: &str = "\
---
id: quiz
title: Quiz
---
Answer this.

```single-choice
id: q-one
prompt: Pick the right one.
options:
  - text: Right
    correct: true
  - text: Wrong
```

```true-false
id: q-two
prompt: The sky is blue.
answer: true
```
";

impl Course {
    fn new() -> Self {
        let dir = tempfile::tempdir().unwrap();
        let c = Course { dir };
        c.write("course/course.yaml", COURSE_YAML);
        c.write("course/01-first/module.yaml", MODULE_YAML);
        c.write("course/01-first/pages/intro.md", INTRO);
        c.write("course/01-first/pages/quiz.md", QUIZ);
        c.write(
            "course/01-first/images/d.svg",
            "<svg xmlns=\"http://www.w3.org/2000/svg\"><title>d</title></svg>",
        );
        c
    }

    fn path(&self, rel: &str) -> PathBuf {
        self.dir.path().join(rel)
    }

    fn write(&self, rel: &str, text: &str) {
        let p = self.path(rel);
        fs::create_dir_all(p.parent().unwrap()).unwrap();
        fs::write(p, text).unwrap();
    }

    fn edit(&self, rel: &str, from: &str, to: &str) -> &Self {
        let text = fs::read_to_string(self.path(rel)).unwrap();
        assert!(text.contains(from), "{rel} has no {from:?}");
        self.write(rel, &text.replacen(from, to, 1));
        self
    }

    fn lmspack(&self, args: &[&str]) -> assert_cmd::assert::Assert {
        Command::cargo_bin("lmspack")
            .unwrap()
            .current_dir(self.dir.path())
            .env("NO_COLOR", "1")
            .args(args)
            .assert()
    }

    fn build(&self) -> assert_cmd::assert::Assert {
        self.lmspack(&[
            "build",
            "course",
            "--out",
            "dist",
            "--target",
            "scorm12,scorm2004",
        ])
    }
}

fn stderr(a: &assert_cmd::assert::Assert) -> String {
    String::from_utf8_lossy(&a.get_output().stderr).into_owned()
}

/// Assert a content error (exit 1) whose report names `place` and contains every `needles`.
fn content_error(course: &Course, place: &str, needles: &[&str]) {
    let a = course.build().code(1);
    let err = stderr(&a);
    assert!(err.contains(place), "expected `{place}` in:\n{err}");
    for n in needles {
        assert!(err.contains(n), "expected `{n}` in:\n{err}");
    }
    assert!(!course.path("dist").exists(), "a failed build wrote output");
}

#[test]
fn a_good_course_builds_both_targets_and_build_json() {
    let c = Course::new();
    c.build().success();
    for name in ["first-scorm12.zip", "first-scorm2004.zip", "build.json"] {
        assert!(c.path("dist").join(name).is_file(), "{name} missing");
    }
    let json: serde_json::Value =
        serde_json::from_slice(&fs::read(c.path("dist/build.json")).unwrap()).unwrap();
    let artifacts = json["artifacts"].as_array().unwrap();
    assert_eq!(artifacts.len(), 2);
    let zip = fs::read(c.path("dist/first-scorm12.zip")).unwrap();
    let a = artifacts.iter().find(|a| a["target"] == "scorm12").unwrap();
    assert_eq!(a["size"], zip.len() as u64);
    assert_eq!(a["sha256"], lmspack::package::sha256_hex(&zip));
    assert_eq!(a["module"], "first");
}

#[test]
fn media_links_become_players_and_media_is_stored() {
    let c = Course::new();
    c.write("course/01-first/media/talk.mp3", "ID3 not really audio");
    c.edit(
        "course/01-first/pages/intro.md",
        "Welcome.",
        "Welcome. [Listen to the *talk*](../media/talk.mp3)",
    );
    c.build().success();
    let mut zip =
        zip::ZipArchive::new(fs::File::open(c.path("dist/first-scorm12.zip")).unwrap()).unwrap();
    let mut html = String::new();
    std::io::Read::read_to_string(&mut zip.by_name("index.html").unwrap(), &mut html).unwrap();
    assert!(html.contains("<audio class=\"media\" controls"), "{html}");
    assert!(html.contains("src=\"01-first/media/talk.mp3\""), "{html}");
    let audio = zip.by_name("01-first/media/talk.mp3").unwrap();
    assert_eq!(audio.compression(), zip::CompressionMethod::Stored);
}

#[test]
fn unknown_key_gets_position_and_suggestion() {
    let c = Course::new();
    c.edit(
        "course/01-first/module.yaml",
        "mastery_score: 80",
        "mastery: 80",
    );
    content_error(
        &c,
        "course/01-first/module.yaml:6:1",
        &["unknown-key", "did you mean `mastery_score`?"],
    );
}

#[test]
fn several_unknown_keys_in_one_file_are_all_reported() {
    let c = Course::new();
    c.edit(
        "course/01-first/module.yaml",
        "mastery_score: 80",
        "mastery: 80",
    )
    .edit(
        "course/01-first/module.yaml",
        "completion: both",
        "complete: both",
    );
    let err = stderr(&c.build().code(1));
    for place in [
        "course/01-first/module.yaml:6:1",
        "course/01-first/module.yaml:7:1",
    ] {
        assert!(err.contains(place), "expected {place} in:\n{err}");
    }
    assert!(
        err.contains("did you mean `completion`?") && err.contains("2 error(s)"),
        "{err}"
    );
}

#[test]
fn duplicate_block_id_names_both_places() {
    let c = Course::new();
    c.edit("course/01-first/pages/quiz.md", "id: q-two", "id: q-one");
    content_error(
        &c,
        "course/01-first/pages/quiz.md:17:5",
        &["duplicate-id", "first used here", "id: q-one"],
    );
    let err = stderr(&c.build());
    assert!(err.matches("q-one").count() >= 3, "{err}");
}

#[test]
fn missing_asset_is_reported_at_the_image() {
    let c = Course::new();
    c.edit(
        "course/01-first/pages/intro.md",
        "../images/d.svg",
        "../images/e.svg",
    );
    content_error(
        &c,
        "course/01-first/pages/intro.md:7:1",
        &["missing-asset", "did you mean `d.svg`?"],
    );
}

#[test]
fn listed_but_absent_page() {
    let c = Course::new();
    c.edit(
        "course/01-first/module.yaml",
        "pages/quiz.md",
        "pages/quizz.md",
    );
    content_error(
        &c,
        "course/01-first/module.yaml:10:5",
        &["missing-page", "did you mean `quiz.md`?"],
    );
}

#[test]
fn values_out_of_range() {
    let c = Course::new();
    c.edit(
        "course/01-first/module.yaml",
        "mastery_score: 80",
        "mastery_score: 150",
    );
    content_error(
        &c,
        "course/01-first/module.yaml:6:16",
        &["out-of-range", "0–100"],
    );
}

#[test]
fn a_missing_block_id_suggests_one() {
    let c = Course::new();
    c.edit("course/01-first/pages/quiz.md", "id: q-two\n", "");
    content_error(
        &c,
        "course/01-first/pages/quiz.md:16:1",
        &["missing-id", "id: the-sky-is-blue"],
    );
}

#[test]
fn raw_html_is_refused() {
    let c = Course::new();
    c.edit(
        "course/01-first/pages/intro.md",
        "Welcome.",
        "Welcome <b>all</b>.",
    );
    content_error(&c, "course/01-first/pages/intro.md:5:9", &["raw-html"]);
}

#[test]
fn every_error_is_reported_at_once() {
    let c = Course::new();
    c.edit("course/01-first/module.yaml", "duration: 10", "duration: 0")
        .edit(
            "course/01-first/pages/intro.md",
            "../images/d.svg",
            "../images/nope.svg",
        )
        .edit("course/01-first/pages/quiz.md", "    correct: true\n", "");
    let a = c.build().code(1);
    let err = stderr(&a);
    for place in [
        "course/01-first/module.yaml:4:11",
        "course/01-first/pages/intro.md:7:1",
        "course/01-first/pages/quiz.md:11:3",
    ] {
        assert!(err.contains(place), "expected {place} in:\n{err}");
    }
    assert!(err.contains("3 error(s)"), "{err}");
}

#[test]
fn every_problem_inside_one_yaml_document_is_reported() {
    // Deserializing stops at the first problem of a document; each later one is found after
    // blanking the one before. The key the typo left missing is not reported as well.
    let c = Course::new();
    c.edit(
        "course/01-first/pages/quiz.md",
        "    correct: true\n  - text: Wrong\n",
        "    correct: maybe\n  - text: Wrong\n    feedbak: no\nprompts: x\n",
    );
    let err = stderr(&c.build().code(1));
    for place in [
        "course/01-first/pages/quiz.md:12:14",
        "course/01-first/pages/quiz.md:14:5",
        "course/01-first/pages/quiz.md:15:1",
    ] {
        assert!(err.contains(place), "expected {place} in:\n{err}");
    }
    assert!(err.contains("did you mean `feedback`?"), "{err}");
    assert!(err.contains("3 error(s)"), "{err}");

    let c = Course::new();
    c.edit(
        "course/01-first/module.yaml",
        "duration: 10",
        "duration: ten",
    )
    .edit("course/01-first/module.yaml", "title: First module\n", "");
    let err = stderr(&c.build().code(1));
    for needle in [
        "course/01-first/module.yaml:3:11",
        "is missing the required key `title`",
        "2 error(s)",
    ] {
        assert!(err.contains(needle), "expected {needle} in:\n{err}");
    }
}

#[test]
fn json_format_lists_diagnostics() {
    let c = Course::new();
    c.edit(
        "course/01-first/module.yaml",
        "mastery_score: 80",
        "mastery: 80",
    );
    let a = c
        .lmspack(&["build", "course", "--out", "dist", "--format", "json"])
        .code(1);
    let v: serde_json::Value = serde_json::from_slice(&a.get_output().stdout).unwrap();
    let d = &v["diagnostics"][0];
    assert_eq!(d["code"], "unknown-key");
    assert_eq!(d["line"], 6);
    assert_eq!(d["column"], 1);
}

#[test]
fn usage_and_io_errors_exit_2() {
    let c = Course::new();
    c.lmspack(&["build", "no-such-course"]).code(2);
    c.lmspack(&["build", "course", "--target", "scorm13"])
        .code(2);
    c.lmspack(&["build", "course", "--module", "frist"]).code(2);
    c.lmspack(&["build", "course", "--bogus"]).code(2);
    let err = stderr(&c.lmspack(&["build", "course", "--module", "frist"]));
    assert!(err.contains("did you mean `first`?"), "{err}");
}

#[test]
fn a_failed_build_keeps_the_previous_good_output() {
    let c = Course::new();
    c.build().success();
    let before = fs::read(c.path("dist/first-scorm12.zip")).unwrap();
    c.edit(
        "course/01-first/module.yaml",
        "duration: 10",
        "duration: -1",
    );
    c.build().code(1);
    assert_eq!(fs::read(c.path("dist/first-scorm12.zip")).unwrap(), before);
    let names: Vec<_> = fs::read_dir(c.path("dist"))
        .unwrap()
        .map(|e| e.unwrap().file_name())
        .collect();
    assert_eq!(names.len(), 3, "{names:?}");
}

#[test]
fn rebuilds_are_byte_identical() {
    let c = Course::new();
    c.lmspack(&["build", "course", "--out", "dist", "--target", "all"])
        .success();
    let first = read_all(&c.path("dist"));
    fs::remove_dir_all(c.path("dist")).unwrap();
    c.lmspack(&[
        "build", "course", "--out", "dist", "--target", "all", "--jobs", "1",
    ])
    .success();
    assert_eq!(first, read_all(&c.path("dist")));
}

#[test]
fn course_package_has_one_root_item_and_every_module() {
    let c = Course::new();
    c.lmspack(&[
        "build",
        "course",
        "--out",
        "dist",
        "--package",
        "course",
        "--target",
        "scorm12",
    ])
    .success();
    let manifest = unzip_manifest(&c.path("dist/test-course-scorm12.zip"));
    assert!(manifest.contains("<item identifier=\"ITEM-"), "{manifest}");
    assert!(manifest.contains("href=\"first.html\""), "{manifest}");
}

#[test]
fn schema_prints_json_schemas() {
    let c = Course::new();
    let a = c.lmspack(&["schema", "module"]).success();
    let v: serde_json::Value = serde_json::from_slice(&a.get_output().stdout).unwrap();
    assert!(v["properties"]["mastery_score"].is_object(), "{v}");
    let a = c.lmspack(&["schema"]).success();
    let v: serde_json::Value = serde_json::from_slice(&a.get_output().stdout).unwrap();
    assert!(v["course.yaml"]["properties"]["modules"].is_object());
}

#[test]
fn check_writes_nothing_and_reports_lints_with_positions() {
    let c = Course::new();
    c.lmspack(&["check", "course"]).success();
    assert!(!c.path("dist").exists());
    c.edit(
        "course/01-first/pages/intro.md",
        "Welcome.",
        "Welcome.\n\n#### Deep\n\nSee [here](https://example.org/).",
    )
    .edit(
        "course/course.yaml",
        "modules:",
        "theme:\n  colour: \"#9ab0c8\"\nmodules:",
    );
    c.write("course/01-first/images/unused.png", "x");
    let a = c.lmspack(&["check", "course"]).success();
    let err = stderr(&a);
    for needle in [
        "warning[heading-order]",
        "course/01-first/pages/intro.md:7:1",
        "warning[vague-link]",
        "course/01-first/pages/intro.md:9:5",
        "warning[low-contrast]",
        "course/course.yaml:9:11",
        "warning[unused-file]",
        "01-first/images/unused.png",
    ] {
        assert!(err.contains(needle), "expected {needle} in:\n{err}");
    }
    c.lmspack(&["check", "course", "--strict"]).code(1);
}

#[test]
fn a_hashtag_eaten_as_a_yaml_comment_is_a_warning() {
    let c = Course::new();
    c.edit(
        "course/01-first/pages/quiz.md",
        "prompt: The sky is blue.",
        "prompt: The sky is #Blue today.",
    );
    let err = stderr(&c.lmspack(&["check", "course"]).success());
    assert!(
        err.contains("warning[yaml-comment]")
            && err.contains("course/01-first/pages/quiz.md:18:20"),
        "{err}"
    );
    c.edit(
        "course/01-first/pages/quiz.md",
        "prompt: The sky is #Blue today.",
        "prompt: \"The sky is #Blue today.\"",
    );
    let err = stderr(&c.lmspack(&["check", "course"]).success());
    assert!(!err.contains("yaml-comment"), "{err}");
}

#[test]
fn images_without_alt_text_and_tables_without_headers_are_lints() {
    let c = Course::new();
    c.edit(
        "course/01-first/pages/intro.md",
        "![A diagram](../images/d.svg)",
        "![](../images/d.svg)\n\n![](../images/d.svg \"decorative\")\n\n|  |  |\n|--|--|\n| a | b |",
    );
    let err = stderr(&c.lmspack(&["check", "course"]).success());
    assert!(
        err.contains("warning[image-alt]") && err.contains("course/01-first/pages/intro.md:7:1"),
        "{err}"
    );
    assert_eq!(
        err.matches("warning[image-alt]").count(),
        1,
        "decorative images are fine: {err}"
    );
    assert!(
        err.contains("warning[table-header]")
            && err.contains("course/01-first/pages/intro.md:11:1"),
        "{err}"
    );
    c.build().success();
    let mut zip =
        zip::ZipArchive::new(fs::File::open(c.path("dist/first-scorm12.zip")).unwrap()).unwrap();
    let mut html = String::new();
    std::io::Read::read_to_string(&mut zip.by_name("index.html").unwrap(), &mut html).unwrap();
    assert!(
        !html.contains("title=\"decorative\""),
        "the marker is not shown to learners"
    );
}

#[test]
fn verbose_and_quiet() {
    let c = Course::new();
    let err = stderr(
        &c.lmspack(&[
            "build",
            "course",
            "--out",
            "dist",
            "-t",
            "scorm12",
            "--verbose",
        ])
        .success(),
    );
    let zip = fs::read(c.path("dist/first-scorm12.zip")).unwrap();
    assert!(
        err.contains(&format!(
            "{}  dist/first-scorm12.zip",
            lmspack::package::sha256_hex(&zip)
        )),
        "{err}"
    );
    let err = stderr(
        &c.lmspack(&[
            "build", "course", "--out", "dist", "-t", "scorm12", "--quiet",
        ])
        .success(),
    );
    assert!(err.is_empty(), "{err}");
    c.lmspack(&["build", "course", "--quiet", "--verbose"])
        .code(2);
}

#[test]
fn check_report_gives_reading_ease_per_page() {
    let c = Course::new();
    let a = c
        .lmspack(&["check", "course", "--report", "--format", "json"])
        .success();
    let v: serde_json::Value = serde_json::from_slice(&a.get_output().stdout).unwrap();
    let m = &v["modules"][0];
    assert_eq!(m["id"], "first");
    assert_eq!(m["scored_questions"], 2);
    assert_eq!(m["blocks"]["true-false"], 1);
    assert_eq!(m["pages"].as_array().unwrap().len(), 2);
}

#[test]
fn new_scaffolds_a_course_that_checks_and_builds_clean() {
    let dir = tempfile::tempdir().unwrap();
    let run = |args: &[&str]| {
        Command::cargo_bin("lmspack")
            .unwrap()
            .current_dir(dir.path())
            .args(args)
            .assert()
    };
    run(&["new", "my-course"]).success();
    run(&["check", "my-course", "--strict"]).success();
    run(&["build", "my-course", "--out", "out", "--target", "all"]).success();
    for zip in [
        "out/first-module-scorm12.zip",
        "out/first-module-scorm2004.zip",
    ] {
        run(&["validate", zip, "--strict", "--lms", "moodle"]).success();
    }
    let course = fs::read_to_string(dir.path().join("my-course/course.yaml")).unwrap();
    assert!(course.starts_with("# yaml-language-server: $schema=./course.schema.json"));
    assert!(
        course.contains("id: my-course\ntitle: My course\n"),
        "{course}"
    );
    for f in [
        "course.schema.json",
        "module.schema.json",
        ".gitignore",
        ".github/workflows/course.yml",
    ] {
        assert!(dir.path().join("my-course").join(f).is_file(), "{f}");
    }
    // Every block kind is shown to the new author.
    let loaded = lmspack::course::load(&dir.path().join("my-course")).unwrap();
    let kinds: std::collections::BTreeSet<_> = loaded.course.modules[0]
        .blocks()
        .map(lmspack::course::stats::kind)
        .collect();
    assert_eq!(
        kinds.len(),
        lmspack::course::markdown::BLOCK_KINDS.len(),
        "{kinds:?}"
    );
    run(&["new", "my-course"]).code(2);
}

#[test]
fn completions_and_man_page_come_from_the_parser() {
    let c = Course::new();
    let a = c.lmspack(&["completions", "bash"]).success();
    let script = String::from_utf8_lossy(&a.get_output().stdout).into_owned();
    assert!(
        script.contains("--package") && script.contains("validate"),
        "{script}"
    );
    let a = c.lmspack(&["man"]).success();
    let page = String::from_utf8_lossy(&a.get_output().stdout).into_owned();
    assert!(
        page.contains(".TH lmspack 1") && page.contains("build"),
        "{page}"
    );
}

fn read_all(dir: &Path) -> Vec<(String, Vec<u8>)> {
    let mut v: Vec<_> = fs::read_dir(dir)
        .unwrap()
        .map(|e| {
            let e = e.unwrap();
            (
                e.file_name().to_string_lossy().into_owned(),
                fs::read(e.path()).unwrap(),
            )
        })
        .collect();
    v.sort();
    v
}

fn unzip_manifest(zip: &Path) -> String {
    let mut a = zip::ZipArchive::new(fs::File::open(zip).unwrap()).unwrap();
    let mut s = String::new();
    std::io::Read::read_to_string(&mut a.by_name("imsmanifest.xml").unwrap(), &mut s).unwrap();
    s
}

#[test]
fn the_xapi_activity_base_must_be_an_absolute_iri() {
    let c = Course::new();
    c.edit(
        "course/course.yaml",
        "modules:",
        "xapi:\n  activity_base: not an iri\nmodules:",
    );
    content_error(
        &c,
        "course/course.yaml:9:18",
        &["bad-value", "absolute IRI"],
    );
    let c = Course::new();
    c.edit(
        "course/course.yaml",
        "modules:",
        "xapi:\n  base: x\nmodules:",
    );
    let err = stderr(&c.build().code(1));
    assert!(err.contains("base"), "{err}");
}

#[test]
fn the_xapi_activity_base_prefixes_every_activity_id() {
    let c = Course::new();
    c.edit(
        "course/course.yaml",
        "modules:",
        "xapi:\n  activity_base: https://learning.example.org/xapi/test-course/\nmodules:",
    );
    c.lmspack(&["build", "course", "--out", "dist", "--target", "xapi,cmi5"])
        .success();
    let text = |zip: &str, name: &str| {
        let mut z = zip::ZipArchive::new(fs::File::open(c.path(zip)).unwrap()).unwrap();
        std::io::read_to_string(z.by_name(name).unwrap()).unwrap()
    };
    let tincan = text("dist/first-xapi.zip", "tincan.xml");
    assert!(
        tincan.contains(r#"<activity id="https://learning.example.org/xapi/test-course/first" type="http://adlnet.gov/expapi/activities/module">"#),
        "{tincan}"
    );
    assert!(tincan.contains(r#"id="https://learning.example.org/xapi/test-course/first/q-two""#));
    let cmi5 = text("dist/first-cmi5.zip", "cmi5.xml");
    assert!(cmi5.contains(r#"<au id="https://learning.example.org/xapi/test-course/first" moveOn="CompletedOrPassed" masteryScore="0.8" launchMethod="AnyWindow">"#), "{cmi5}");
    assert!(cmi5.contains(
        r#"<objective idref="https://learning.example.org/xapi/test-course/first/objectives/1"/>"#
    ));
    for zip in ["dist/first-xapi.zip", "dist/first-cmi5.zip"] {
        c.lmspack(&["validate", "--strict", zip]).success();
    }
}

#[test]
fn too_many_text_fields_for_scorm12_is_a_warning_at_the_block() {
    let c = Course::new();
    let mut page = std::fs::read_to_string(c.path("course/01-first/pages/intro.md")).unwrap();
    let first_line = page.lines().count() + 3;
    for i in 0..20 {
        page.push_str(&format!(
            "\n```reflection\nid: r{i}\nprompt: Thought {i}?\n```\n"
        ));
    }
    c.write("course/01-first/pages/intro.md", &page);
    let err = stderr(&c.lmspack(&["check", "course"]).success());
    let at = format!("[course/01-first/pages/intro.md:{first_line}:5]");
    assert!(
        err.contains("warning[text-budget]") && err.contains(&at),
        "expected {at} in:\n{err}"
    );
    // Four fields have room enough.
    c.write(
        "course/01-first/pages/intro.md",
        page.split("\n```reflection\nid: r4").next().unwrap(),
    );
    let err = stderr(&c.lmspack(&["check", "course"]).success());
    assert!(!err.contains("text-budget"), "{err}");
}

#[test]
fn answer_rules_out_of_range_are_refused_at_the_value() {
    let c = Course::new();
    c.edit(
        "course/01-first/module.yaml",
        "completion: both\n",
        "completion: both\nattempts_per_question: 0\n",
    );
    content_error(
        &c,
        "course/01-first/module.yaml:8:24",
        &["out-of-range", "attempts_per_question 0", "1–10"],
    );
    let c = Course::new();
    c.edit(
        "course/course.yaml",
        "modules:",
        "attempts_per_question: 11\nmodules:",
    );
    content_error(
        &c,
        "course/course.yaml:8:24",
        &["out-of-range", "attempts_per_question 11", "1–10"],
    );
}

#[test]
fn answer_rules_of_the_wrong_kind_are_refused_with_what_they_take() {
    let c = Course::new();
    c.edit("course/course.yaml", "modules:", "review: all\nmodules:");
    content_error(
        &c,
        "course/course.yaml:8:9",
        &["bad-value", "`all`", "allowed: answers, feedback, none"],
    );
    let c = Course::new();
    c.edit(
        "course/01-first/module.yaml",
        "completion: both\n",
        "completion: both\nreview: answer\nretake: maybe\nshuffle: 2\nattempts_per_question: two\n",
    );
    let err = stderr(&c.build().code(1));
    for needle in [
        "course/01-first/module.yaml:8:9",
        "did you mean `answers`?",
        "course/01-first/module.yaml:9:9",
        "`retake` takes `true` or `false`",
        "course/01-first/module.yaml:10:10",
        "`shuffle` takes `true` or `false`",
        "course/01-first/module.yaml:11:24",
        "`attempts_per_question` takes a whole number",
        "4 error(s)",
    ] {
        assert!(err.contains(needle), "expected {needle} in:\n{err}");
    }
}

#[test]
fn retries_without_a_verdict_are_refused() {
    // Set in one file.
    let c = Course::new();
    c.edit(
        "course/01-first/module.yaml",
        "completion: both\n",
        "completion: both\nreview: none\nattempts_per_question: 2\n",
    );
    content_error(
        &c,
        "course/01-first/module.yaml:9:24",
        &["bad-combination", "review: none", "review: feedback"],
    );
    // The module's `review: none` meets the course's attempts: reported at the module's key.
    let c = Course::new();
    c.edit(
        "course/course.yaml",
        "modules:",
        "attempts_per_question: 2\nmodules:",
    )
    .edit(
        "course/01-first/module.yaml",
        "completion: both\n",
        "completion: both\nreview: none\n",
    );
    content_error(&c, "course/01-first/module.yaml:8:9", &["bad-combination"]);
    // The module puts it right: no error.
    let c = Course::new();
    c.edit(
        "course/course.yaml",
        "modules:",
        "review: none\nattempts_per_question: 1\nmodules:",
    )
    .edit(
        "course/01-first/module.yaml",
        "completion: both\n",
        "completion: both\nreview: feedback\nattempts_per_question: 3\n",
    );
    c.build().success();
}

#[test]
fn shuffle_is_a_key_of_the_choice_questions_only() {
    let c = Course::new();
    c.edit(
        "course/01-first/pages/quiz.md",
        "answer: true\n",
        "answer: true\nshuffle: false\n",
    );
    content_error(
        &c,
        "course/01-first/pages/quiz.md:20:1",
        &["unknown key `shuffle`", "single-choice and multiple-choice"],
    );
    let c = Course::new();
    c.edit(
        "course/01-first/pages/quiz.md",
        "prompt: Pick the right one.\n",
        "prompt: Pick the right one.\nshuffle: false\n",
    );
    c.build().success();
}

#[test]
fn feedback_that_repeats_the_players_verdict_is_named() {
    let c = Course::new();
    c.edit(
        "course/01-first/pages/quiz.md",
        "answer: true\n",
        "answer: true\nfeedback:\n  correct: Yes. The sky scatters blue light most.\n  incorrect: Not quite. Look up.\n",
    );
    let err = stderr(&c.lmspack(&["check", "course"]).success());
    assert!(
        err.contains("warning[feedback-verdict]")
            && err.contains("starts with `Yes.`")
            && err.contains("starts with `Not quite.`")
            && err.contains("course/01-first/pages/quiz.md:"),
        "{err}"
    );
    c.edit(
        "course/01-first/pages/quiz.md",
        "correct: Yes. The sky",
        "correct: The sky",
    )
    .edit("course/01-first/pages/quiz.md", "Not quite. Look", "Look");
    let err = stderr(&c.lmspack(&["check", "course"]).success());
    assert!(!err.contains("feedback-verdict"), "{err}");
}

#[test]
fn an_option_that_points_at_the_others_warns_when_shuffled() {
    let c = Course::new();
    c.edit(
        "course/01-first/pages/quiz.md",
        "  - text: Wrong\n",
        "  - text: Wrong\n  - text: None of the above\n",
    );
    let err = stderr(&c.lmspack(&["check", "course"]).success());
    assert!(
        err.contains("warning[shuffled-reference]")
            && err.contains("course/01-first/pages/quiz.md:11:3")
            && err.contains("add `shuffle: false`"),
        "{err}"
    );
    c.edit(
        "course/01-first/pages/quiz.md",
        "prompt: Pick the right one.\n",
        "prompt: Pick the right one.\nshuffle: false\n",
    );
    let err = stderr(&c.lmspack(&["check", "course"]).success());
    assert!(!err.contains("shuffled-reference"), "{err}");
}

#[test]
fn the_schema_documents_the_answer_rules_in_both_files() {
    let c = Course::new();
    let a = c.lmspack(&["schema"]).success();
    let v: serde_json::Value = serde_json::from_slice(&a.get_output().stdout).unwrap();
    for file in ["course.yaml", "module.yaml"] {
        let props = &v[file]["properties"];
        for key in ["review", "attempts_per_question", "retake", "shuffle"] {
            assert!(
                props[key]["description"]
                    .as_str()
                    .is_some_and(|d| !d.is_empty()),
                "{file}: {key}: {}",
                props[key]
            );
        }
        assert_eq!(props["attempts_per_question"]["minimum"], 1, "{file}");
        assert_eq!(props["attempts_per_question"]["maximum"], 10, "{file}");
    }
    let text = v.to_string();
    for value in ["answers", "feedback", "none"] {
        assert!(text.contains(&format!("\"{value}\"")), "{value}");
    }
}
