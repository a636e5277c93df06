//! The bundled course keeps the structure its brief asks for, so it cannot silently lose it.

use lmspack::course::model::{
    AnswerRules, Attempts, Block, Html, Outcome, Provenance, QuestionKind, Review,
};
use lmspack::course::{self, stats};
use std::collections::BTreeSet;
use std::path::Path;

fn load() -> course::Loaded {
    course::load(&Path::new(env!("CARGO_MANIFEST_DIR")).join("course")).expect("course/ loads")
}

#[test]
fn the_course_loads_without_warnings() {
    let l = load();
    let w: Vec<String> = l.warnings.iter().map(|d| d.one_line()).collect();
    assert!(w.is_empty(), "{w:#?}");
    let ids: Vec<&str> = l.course.modules.iter().map(|m| m.id.as_str()).collect();
    assert_eq!(
        ids,
        [
            "digital-leadership",
            "digital-creativity",
            "data-stewardship",
            "measuring-digital-impact",
            "digital-marketing"
        ]
    );
}

#[test]
fn every_module_has_the_structure_of_the_brief() {
    let course = load().course;
    for m in &course.modules {
        let id = m.id.as_str();
        let st = stats::module(m);
        assert!(
            (6..=10).contains(&m.pages.len()),
            "{id}: {} pages",
            m.pages.len()
        );
        assert!(
            (20..=30).contains(&m.duration),
            "{id}: {} minutes",
            m.duration
        );
        assert!(m.mastery_score >= 80, "{id}: mastery {}", m.mastery_score);
        assert!((2..=5).contains(&m.objectives.len()), "{id}: objectives");

        let scored: Vec<_> = m.questions().filter(|q| q.scored).collect();
        let kinds: BTreeSet<&str> = scored.iter().map(|q| q.kind.name()).collect();
        assert!(scored.len() >= 6, "{id}: {} scored checks", scored.len());
        assert!(kinds.len() >= 3, "{id}: question kinds {kinds:?}");

        let count = |k: &str| st.blocks.get(k).copied().unwrap_or(0);
        assert!(count("reflection") >= 2, "{id}: reflections");
        assert_eq!(count("action-plan"), 1, "{id}: action plan");
        assert!(count("case-study") >= 1, "{id}: case study");

        for b in m.blocks() {
            match b {
                Block::Scenario(s) => {
                    let outcomes: BTreeSet<&str> = s
                        .steps
                        .iter()
                        .filter_map(|st| st.outcome)
                        .map(|o| match o {
                            Outcome::Positive => "positive",
                            Outcome::Mixed => "mixed",
                            Outcome::Negative => "negative",
                        })
                        .collect();
                    assert!(
                        outcomes.len() >= 2,
                        "{id}: scenario {} has outcomes {outcomes:?}",
                        s.id
                    );
                    assert!(
                        s.steps.iter().filter(|s| !s.choices.is_empty()).count() >= 2,
                        "{id}: scenario depth"
                    );
                }
                Block::CaseStudy(c) => {
                    if let Provenance::Sourced { url, .. } = &c.provenance {
                        assert!(url.is_some(), "{id}: a sourced case needs its address");
                    }
                }
                _ => {}
            }
        }
        assert!(
            m.blocks().any(|b| matches!(b, Block::Scenario(_))),
            "{id}: scenario"
        );
        assert!(
            m.pages.iter().any(|p| p.id.as_str().contains("summary")),
            "{id}: summary page"
        );
        let summary = m.pages.last().unwrap();
        let html: String = summary
            .content
            .iter()
            .filter_map(|s| match s {
                lmspack::course::model::Segment::Html(h) => Some(h.as_str()),
                _ => None,
            })
            .collect();
        assert!(
            html.to_lowercase().contains("find out more"),
            "{id}: find out more"
        );
    }
}

#[test]
fn every_page_is_plain_english() {
    for m in stats::course(&load().course) {
        for p in &m.pages {
            if let Some(ease) = p.reading_ease {
                assert!(
                    ease >= 60.0,
                    "{}/{}: Flesch reading ease {ease:.0}",
                    m.id,
                    p.id
                );
            }
        }
    }
}

#[test]
fn every_question_teaches_through_its_feedback() {
    let course = load().course;
    for m in &course.modules {
        for q in m.questions().filter(|q| q.scored) {
            assert!(
                q.feedback_correct.is_some() && q.feedback_incorrect.is_some(),
                "{}: question {} lacks overall feedback",
                m.id,
                q.id
            );
            if let QuestionKind::SingleChoice { options, .. }
            | QuestionKind::MultipleChoice { options, .. } = &q.kind
            {
                for (i, o) in options.iter().enumerate() {
                    assert!(
                        o.feedback.is_some(),
                        "{}: question {} option {} has no feedback",
                        m.id,
                        q.id,
                        i + 1
                    );
                }
            }
        }
    }
}

/// A test-wise learner picks the longest option: authors tend to qualify the right answer with
/// care and dash off the wrong ones, so length gives the answer away without any understanding.
/// The checks must test what was learnt, not that habit. So in at most a quarter of the
/// single-choice questions may the correct option be the uniquely longest one, and in at most a
/// quarter of the multiple-choice questions may the correct options be exactly the longest ones
/// (each longer than every wrong option). Length is counted in characters of the option's text.
#[test]
fn the_longest_option_does_not_give_the_answer_away() {
    let course = load().course;
    let len = |h: &Html| lmspack::render::plain_text(h.as_str()).chars().count();
    let (mut single, mut single_longest) = (Vec::new(), Vec::new());
    let (mut multiple, mut multiple_longest) = (Vec::new(), Vec::new());
    for m in &course.modules {
        for q in m.questions() {
            let (options, list, longest) = match &q.kind {
                QuestionKind::SingleChoice { options, .. } => {
                    (options, &mut single, &mut single_longest)
                }
                QuestionKind::MultipleChoice { options, .. } => {
                    (options, &mut multiple, &mut multiple_longest)
                }
                _ => continue,
            };
            let (right, wrong): (Vec<_>, Vec<_>) = options.iter().partition(|o| o.correct);
            let shortest_right = right.iter().map(|o| len(&o.text)).min();
            let longest_wrong = wrong.iter().map(|o| len(&o.text)).max();
            let id = format!("{}/{}", m.id, q.id);
            // For a single-choice question this is "the correct option is the uniquely longest".
            if let (Some(r), Some(w)) = (shortest_right, longest_wrong) {
                if r > w {
                    longest.push(id.clone());
                }
            }
            list.push(id);
        }
    }
    assert!(!single.is_empty() && !multiple.is_empty());
    for (kind, all, longest) in [
        ("single-choice", &single, &single_longest),
        ("multiple-choice", &multiple, &multiple_longest),
    ] {
        assert!(
            longest.len() * 4 <= all.len(),
            "in {} of {} {kind} questions the longest options are exactly the correct ones: {longest:#?}",
            longest.len(),
            all.len()
        );
    }
}

/// Every piece of text of a page (prose, callouts, prompts…), lower-cased, tags left in: what a
/// learner can read on it.
fn page_text(page: &lmspack::course::model::Page) -> String {
    fn strings(v: &serde_json::Value, out: &mut String) {
        match v {
            serde_json::Value::String(s) => {
                out.push_str(&s.to_lowercase());
                out.push('\n');
            }
            serde_json::Value::Array(a) => a.iter().for_each(|x| strings(x, out)),
            serde_json::Value::Object(o) => o.values().for_each(|x| strings(x, out)),
            _ => {}
        }
    }
    let mut out = String::new();
    strings(&serde_json::to_value(page).unwrap(), &mut out);
    out
}

/// The promises about answering that a text may make only when the settings keep them.
fn broken_promises(text: &str, rules: &AnswerRules, mastery_score: u8) -> Vec<String> {
    let text = text.to_lowercase();
    let mut broken = Vec::new();
    let retries = [
        "try again",
        "another try",
        "another go",
        "retry",
        "as many times",
    ];
    for claim in retries {
        if text.contains(claim) && rules.attempts == Attempts::ONE {
            broken.push(format!("says `{claim}` but attempts_per_question is 1"));
        }
    }
    for claim in ["start again", "start the module again", "retake"] {
        if text.contains(claim) && !rules.retake {
            broken.push(format!("says `{claim}` but retake is false"));
        }
    }
    if rules.review == Review::None {
        for claim in ["feedback", "right answer"] {
            if text.contains(claim) {
                broken.push(format!("says `{claim}` but review is none"));
            }
        }
    }
    for (i, _) in text.match_indices('%') {
        let digits: String = text[..i]
            .chars()
            .rev()
            .take_while(char::is_ascii_digit)
            .collect::<Vec<_>>()
            .into_iter()
            .rev()
            .collect();
        if !digits.is_empty() && digits != mastery_score.to_string() {
            broken.push(format!(
                "says {digits}% but mastery_score is {mastery_score}"
            ));
        }
    }
    broken
}

/// Welcome pages once said "you can try again" while every question locked after one check. The
/// player now says how a module works from its settings; a welcome page may only add promises
/// that the settings keep.
#[test]
fn welcome_pages_promise_only_what_the_settings_keep() {
    let course = load().course;
    for m in &course.modules {
        let welcome = &m.pages[0];
        assert_eq!(welcome.id.as_str(), "welcome", "{}", m.id);
        let broken = broken_promises(&page_text(welcome), &m.answer_rules, m.mastery_score);
        assert!(broken.is_empty(), "{}/welcome: {broken:#?}", m.id);
    }
}

/// The course's README describes every module at once: a promise there must hold in each.
#[test]
fn the_course_readme_promises_only_what_every_module_keeps() {
    let readme =
        std::fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join("course/README.md"))
            .unwrap();
    let section = readme
        .split("## How completion and passing work")
        .nth(1)
        .and_then(|s| s.split("\n## ").next())
        .expect("the README explains completion and passing");
    let course = load().course;
    for m in &course.modules {
        let broken = broken_promises(section, &m.answer_rules, m.mastery_score);
        assert!(broken.is_empty(), "README, for {}: {broken:#?}", m.id);
    }
}

#[test]
fn the_promise_check_catches_a_broken_promise() {
    let strict = AnswerRules {
        review: Review::None,
        attempts: Attempts::ONE,
        retake: false,
        shuffle: true,
    };
    let broken = broken_promises(
        "You need 70% to pass, you get feedback, and you can Try again or start again.",
        &strict,
        80,
    );
    assert_eq!(broken.len(), 4, "{broken:#?}");
    let generous = AnswerRules {
        review: Review::Answers,
        attempts: Attempts::new(3).unwrap(),
        retake: true,
        shuffle: true,
    };
    let text = "You need 80% to pass, you get feedback, and you can try again or start again.";
    assert!(broken_promises(text, &generous, 80).is_empty());
}
