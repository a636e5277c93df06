//! The bundled course keeps the structure its brief asks for, so it cannot silently lose it.

use lmspack::course::model::{Block, Html, Outcome, Provenance, QuestionKind};
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
