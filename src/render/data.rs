//! The module data block: what the runtime needs to track the learner, as JSON.
//!
//! `questions` lists every question and likert item in reading order (likert is recorded as an
//! interaction but never scored); `blocks` lists the other blocks that keep learner data
//! (reflection, action plan, scenario). The runtime finds their markup by these indices.

use super::Api;
use crate::course::model::*;
use serde::Serialize;

/// SCORM 2004 `description` (and xAPI names) are capped at 250 characters.
const TEXT_MAX: usize = 250;

#[derive(Serialize)]
struct Data<'a> {
    course: IdTitle<'a>,
    module: IdTitle<'a>,
    api: &'static str,
    mastery_score: u8,
    completion: Completion,
    /// What the learner sees after Check: `answers`, `feedback` or `none`.
    review: Review,
    /// How many times a scored question can be checked before it locks, 1–10.
    attempts: Attempts,
    /// Whether the results page offers "Start again".
    retake: bool,
    /// Typical minutes to complete, and what the learner will be able to do: for the cover and
    /// results pages.
    duration: u32,
    objectives: &'a [String],
    pages: Vec<&'a str>,
    questions: Vec<QuestionData<'a>>,
    blocks: Vec<BlockData<'a>>,
    /// The `maxlength` of each free-text field: what keeps `suspend_data` within the LMS's limit
    /// (see [`crate::course::budget`]); absent without text fields.
    #[serde(skip_serializing_if = "Option::is_none")]
    text_max: Option<usize>,
    /// xAPI and cmi5: the activity ids of the course and the module.
    #[serde(skip_serializing_if = "Option::is_none")]
    xapi: Option<XapiData>,
}

#[derive(Serialize)]
struct XapiData {
    course: String,
    module: String,
    /// The activity id of each page (the object of `experienced`).
    pages: Vec<String>,
    lang: String,
    /// IRI prefixes of the xAPI verbs and activity types, and of the cmi5 context vocabulary (the
    /// runtime holds no URL).
    verbs: &'static str,
    types: &'static str,
    cmi5: &'static str,
}

#[derive(Serialize)]
struct IdTitle<'a> {
    id: &'a str,
    title: &'a str,
}

#[derive(Serialize)]
struct QuestionData<'a> {
    id: &'a str,
    /// The block kind: `single-choice`, …, `likert`.
    kind: &'static str,
    /// The SCORM interaction type.
    #[serde(rename = "type")]
    interaction: &'static str,
    weight: u32,
    scored: bool,
    /// Whether the options are shown in an order of the learner's own, per attempt: only ever
    /// `true` for single-choice and multiple-choice (interactions still report the author's
    /// option indices).
    shuffle: bool,
    /// Index of the page the question is on.
    page: usize,
    /// The prompt as plain text, at most 250 characters: for interaction descriptions.
    text: String,
    /// Number of options (choice), pairs (matching), items (sequencing) or scale points (likert).
    #[serde(skip_serializing_if = "Option::is_none")]
    count: Option<usize>,
    /// Choice: the correct option indices, ascending. Matching: for each left, its right (the pair
    /// index). Sequencing: the item indices in the correct order.
    #[serde(skip_serializing_if = "Option::is_none")]
    correct: Option<Vec<usize>>,
    /// True-false: the correct answer.
    #[serde(skip_serializing_if = "Option::is_none")]
    answer: Option<bool>,
    /// Fill-in: the accepted answers.
    #[serde(skip_serializing_if = "Option::is_none")]
    answers: Option<&'a [String]>,
    #[serde(skip_serializing_if = "Option::is_none")]
    case_sensitive: Option<bool>,
    /// Fill-in: the `maxlength` of the answer box.
    #[serde(skip_serializing_if = "Option::is_none")]
    max: Option<usize>,
    /// xAPI and cmi5: the activity id of the question.
    #[serde(skip_serializing_if = "Option::is_none")]
    iri: Option<String>,
}

#[derive(Serialize)]
struct BlockData<'a> {
    id: &'a str,
    kind: &'static str,
    page: usize,
    /// Action plan: its title and field labels, for the downloaded file.
    #[serde(skip_serializing_if = "Option::is_none")]
    title: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    fields: Option<Vec<&'a str>>,
}

/// The data block of `module`, escaped to sit inside `<script type="application/json">`.
pub fn json(course: &Course, module: &Module, api: Api) -> Result<String, String> {
    let mut questions = Vec::new();
    let mut blocks = Vec::new();
    for (page, p) in module.pages.iter().enumerate() {
        for segment in &p.content {
            let Segment::Block(block) = segment else {
                continue;
            };
            match block {
                Block::Question(q) => questions.push(question(q, page)),
                Block::Likert(l) => questions.push(QuestionData {
                    id: l.id.as_str(),
                    kind: "likert",
                    interaction: "likert",
                    weight: 0,
                    scored: false,
                    shuffle: false,
                    page,
                    text: truncate(&super::view::text_of(l.prompt.as_str())),
                    count: Some(l.scale.len()),
                    correct: None,
                    answer: None,
                    answers: None,
                    case_sensitive: None,
                    max: None,
                    iri: None,
                }),
                Block::Reflection(r) => blocks.push(BlockData {
                    id: r.id.as_str(),
                    kind: "reflection",
                    page,
                    title: None,
                    fields: None,
                }),
                Block::ActionPlan(a) => blocks.push(BlockData {
                    id: a.id.as_str(),
                    kind: "action-plan",
                    page,
                    title: Some(&a.title),
                    fields: Some(a.fields.iter().map(|f| f.label.as_str()).collect()),
                }),
                Block::Scenario(s) => blocks.push(BlockData {
                    id: s.id.as_str(),
                    kind: "scenario",
                    page,
                    title: None,
                    fields: None,
                }),
                Block::Reveal(_) | Block::Callout(_) | Block::CaseStudy(_) => {}
            }
        }
    }
    if matches!(api, Api::Xapi | Api::Cmi5) {
        for q in &mut questions {
            q.iri = Some(crate::target::activity_iri(
                course,
                &[module.id.as_str(), q.id],
            ));
        }
    }
    let data = Data {
        course: IdTitle {
            id: course.id.as_str(),
            title: &course.title,
        },
        module: IdTitle {
            id: module.id.as_str(),
            title: &module.title,
        },
        api: api.name(),
        mastery_score: module.mastery_score,
        completion: module.completion,
        review: module.answer_rules.review,
        attempts: module.answer_rules.attempts,
        retake: module.answer_rules.retake,
        duration: module.duration,
        objectives: &module.objectives,
        pages: module.pages.iter().map(|p| p.id.as_str()).collect(),
        xapi: matches!(api, Api::Xapi | Api::Cmi5).then(|| XapiData {
            course: crate::target::activity_iri(course, &[]),
            module: crate::target::activity_iri(course, &[module.id.as_str()]),
            pages: module
                .pages
                .iter()
                .map(|p| {
                    crate::target::activity_iri(
                        course,
                        &[module.id.as_str(), "pages", p.id.as_str()],
                    )
                })
                .collect(),
            lang: course.language.clone(),
            verbs: "http://adlnet.gov/expapi/verbs/",
            types: "http://adlnet.gov/expapi/activities/",
            cmi5: "https://w3id.org/xapi/cmi5/context/",
        }),
        questions,
        blocks,
        text_max: crate::course::budget::text_limit(
            module,
            if api == Api::Scorm12 {
                crate::course::budget::SCORM12_MAX
            } else {
                crate::course::budget::SCORM2004_MAX
            },
        ),
    };
    let json = serde_json::to_string(&data)
        .map_err(|e| format!("cannot write the data of module `{}`: {e}", module.id))?;
    Ok(script_safe(&json))
}

fn question(q: &Question, page: usize) -> QuestionData<'_> {
    let mut d = QuestionData {
        id: q.id.as_str(),
        kind: q.kind.name(),
        interaction: "",
        weight: q.weight,
        scored: q.scored,
        shuffle: q.kind.shuffled(),
        page,
        text: truncate(&q.prompt_text),
        count: None,
        correct: None,
        answer: None,
        answers: None,
        case_sensitive: None,
        max: None,
        iri: None,
    };
    match &q.kind {
        QuestionKind::SingleChoice { options, .. }
        | QuestionKind::MultipleChoice { options, .. } => {
            d.interaction = "choice";
            d.count = Some(options.len());
            d.correct = Some(
                options
                    .iter()
                    .enumerate()
                    .filter(|(_, o)| o.correct)
                    .map(|(i, _)| i)
                    .collect(),
            );
        }
        QuestionKind::TrueFalse { answer } => {
            d.interaction = "true-false";
            d.answer = Some(*answer);
        }
        QuestionKind::FillIn {
            answers,
            case_sensitive,
        } => {
            d.interaction = "fill-in";
            d.answers = Some(answers);
            d.case_sensitive = Some(*case_sensitive);
            d.max = Some(crate::course::budget::fill_in_max(answers));
        }
        QuestionKind::Matching { pairs } => {
            d.interaction = "matching";
            d.count = Some(pairs.len());
            d.correct = Some((0..pairs.len()).collect());
        }
        QuestionKind::Sequencing { items, .. } => {
            d.interaction = "sequencing";
            d.count = Some(items.len());
            d.correct = Some((0..items.len()).collect());
        }
    }
    d
}

fn truncate(text: &str) -> String {
    match text.char_indices().nth(TEXT_MAX) {
        Some((i, _)) => text[..i].to_owned(),
        None => text.to_owned(),
    }
}

/// JSON that cannot end its `<script>` element or open a comment in it: `<`, `>` and `&` become
/// `\u` escapes (still the same JSON), as do U+2028 and U+2029 for old JavaScript parsers.
fn script_safe(json: &str) -> String {
    let mut out = String::with_capacity(json.len());
    for c in json.chars() {
        match c {
            '<' => out.push_str("\\u003c"),
            '>' => out.push_str("\\u003e"),
            '&' => out.push_str("\\u0026"),
            '\u{2028}' => out.push_str("\\u2028"),
            '\u{2029}' => out.push_str("\\u2029"),
            c => out.push(c),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escapes() {
        let s = script_safe("{\"t\":\"</script><!-- & \u{2028}\"}");
        assert!(!s.contains(['<', '>', '&', '\u{2028}']));
        let v: serde_json::Value = serde_json::from_str(&s).unwrap();
        assert_eq!(v["t"], "</script><!-- & \u{2028}");
    }

    #[test]
    fn truncates_on_chars() {
        assert_eq!(truncate(&"é".repeat(300)).chars().count(), 250);
        assert_eq!(truncate("short"), "short");
    }
}
