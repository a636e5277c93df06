//! What the templates see: the model, with the ids, orders and labels the markup needs worked out.
//!
//! Values of type `&str` taken from [`Html`] are safe HTML and are written with triple-stash; every
//! other string is plain text and is escaped by Handlebars. Every field is always present (options
//! serialize as `null`) because the templates run in strict mode.

use crate::course::blocks::shuffled;
use crate::course::model::*;
use serde::Serialize;

#[derive(Serialize)]
pub struct IndexView<'a> {
    lang: &'a str,
    course_title: &'a str,
    module_title: &'a str,
    /// What counts, how often a question can be checked, what is shown after a check and
    /// whether the module can be started again, in plain text: see [`how_it_works`].
    how_it_works: String,
    /// What the learner will be able to do, as plain text.
    objectives: &'a [String],
    /// Typical time to complete, in minutes.
    duration: u32,
    logo: Option<LogoView<'a>>,
    pages: Vec<PageView<'a>>,
    page_count: usize,
    /// The data block, already escaped for a `<script>` element.
    data: String,
}

#[derive(Serialize)]
struct LogoView<'a> {
    src: String,
    alt: &'a str,
}

#[derive(Serialize)]
struct PageView<'a> {
    id: &'a str,
    title: &'a str,
    first: bool,
    content: Vec<SegmentView<'a>>,
}

/// One piece of a page: exactly one field is set.
#[derive(Default, Serialize)]
struct SegmentView<'a> {
    html: Option<&'a str>,
    question: Option<QuestionView<'a>>,
    likert: Option<LikertView<'a>>,
    reflection: Option<ReflectionView<'a>>,
    action_plan: Option<ActionPlanView<'a>>,
    scenario: Option<ScenarioView<'a>>,
    reveal: Option<&'a Reveal>,
    callout: Option<CalloutView<'a>>,
    case_study: Option<CaseStudyView<'a>>,
}

/// A prompt: inside the `<legend>`/`<label>` when it is one paragraph (their content must be
/// phrasing), otherwise shown as a block before the control.
#[derive(Serialize)]
struct PromptView<'a> {
    inline: Option<&'a str>,
    block: Option<&'a str>,
}

impl<'a> PromptView<'a> {
    fn new(html: &'a Html) -> Self {
        match single_paragraph(html.as_str()) {
            Some(inline) => Self {
                inline: Some(inline),
                block: None,
            },
            None => Self {
                inline: None,
                block: Some(html.as_str()),
            },
        }
    }
}

#[derive(Serialize)]
struct QuestionView<'a> {
    id: &'a str,
    /// Index in the data block's `questions`.
    index: usize,
    kind: &'static str,
    scored: bool,
    prompt: PromptView<'a>,
    instruction: &'static str,
    /// `radio` or `checkbox` for the choice kinds, else `null`.
    input: Option<&'static str>,
    options: Vec<OptionView<'a>>,
    fill_in: bool,
    matching: Option<MatchingView<'a>>,
    sequencing: Option<SequencingView<'a>>,
    feedback_correct: Option<&'a str>,
    feedback_incorrect: Option<&'a str>,
}

#[derive(Serialize)]
struct OptionView<'a> {
    index: usize,
    /// Safe HTML.
    text: String,
    feedback: Option<&'a str>,
}

#[derive(Serialize)]
struct MatchingView<'a> {
    lefts: Vec<LeftView<'a>>,
    /// The right texts as plain text (each one a radio button's label), in a fixed shuffled order.
    rights: Vec<RightView>,
}

#[derive(Serialize)]
struct LeftView<'a> {
    index: usize,
    html: &'a str,
}

#[derive(Serialize)]
struct RightView {
    index: usize,
    text: String,
}

#[derive(Serialize)]
struct SequencingView<'a> {
    /// Items in the order shown; `index` is the item's place in the correct order.
    items: Vec<SeqItemView<'a>>,
}

#[derive(Serialize)]
struct SeqItemView<'a> {
    index: usize,
    html: &'a str,
    text: String,
}

#[derive(Serialize)]
struct LikertView<'a> {
    id: &'a str,
    index: usize,
    prompt: &'a str,
    scale: Vec<LabelView<'a>>,
}

#[derive(Serialize)]
struct LabelView<'a> {
    index: usize,
    label: &'a str,
}

#[derive(Serialize)]
struct ReflectionView<'a> {
    id: &'a str,
    /// Index in the data block's `blocks`.
    index: usize,
    prompt: PromptView<'a>,
    hint: Option<&'a str>,
}

#[derive(Serialize)]
struct ActionPlanView<'a> {
    id: &'a str,
    index: usize,
    title: &'a str,
    intro: Option<&'a str>,
    fields: &'a [ActionField],
}

#[derive(Serialize)]
struct ScenarioView<'a> {
    id: &'a str,
    index: usize,
    title: &'a str,
    intro: Option<&'a str>,
    start: usize,
    steps: Vec<StepView<'a>>,
}

#[derive(Serialize)]
struct StepView<'a> {
    index: usize,
    start: bool,
    text: &'a str,
    choices: Vec<StepChoiceView<'a>>,
    outcome: Option<Outcome>,
    outcome_label: Option<&'static str>,
}

#[derive(Serialize)]
struct StepChoiceView<'a> {
    index: usize,
    text: &'a str,
    consequence: Option<&'a str>,
    next: usize,
}

#[derive(Serialize)]
struct CalloutView<'a> {
    style: CalloutStyle,
    label: &'static str,
    title: Option<&'a str>,
    body: &'a str,
}

#[derive(Serialize)]
struct CaseStudyView<'a> {
    id: Option<&'a str>,
    title: &'a str,
    illustrative: bool,
    source: Option<SourceView<'a>>,
    body: &'a str,
}

#[derive(Serialize)]
struct SourceView<'a> {
    title: &'a str,
    publisher: &'a str,
    url: Option<&'a str>,
}

/// The launch page's view. `data` is the module's data block as JSON.
pub fn index<'a>(course: &'a Course, module: &'a Module, data: String) -> IndexView<'a> {
    let mut counter = Counter::default();
    let pages = module
        .pages
        .iter()
        .enumerate()
        .map(|(i, page)| PageView {
            id: page.id.as_str(),
            title: &page.title,
            first: i == 0,
            content: page
                .content
                .iter()
                .map(|s| segment(s, &mut counter))
                .collect(),
        })
        .collect();
    IndexView {
        lang: &course.language,
        course_title: &course.title,
        module_title: &module.title,
        how_it_works: how_it_works(module),
        objectives: &module.objectives,
        duration: module.duration,
        logo: course.theme.logo.as_ref().map(|l| LogoView {
            src: url_path(&l.asset.path),
            alt: &l.alt,
        }),
        pages,
        page_count: module.pages.len(),
        data,
    }
}

/// How the module works for the learner, generated from its settings (`mastery_score`,
/// `attempts_per_question`, `review`, `retake`) so that no hand-written page can promise what the
/// settings do not do: welcome pages once said "you can try again" of questions that locked after
/// one check.
pub(crate) fn how_it_works(module: &Module) -> String {
    let rules = module.answer_rules;
    let scored = module.is_scored();
    let mut sentences = vec![result_sentence(scored, module.mastery_score)];
    if scored {
        sentences.push(checks_sentence(rules.attempts, rules.review));
        if module.questions().any(|q| !q.scored) {
            sentences.push("Practice questions do not count towards your result.".into());
        }
    }
    sentences.push(retake_sentence(rules.retake).into());
    sentences.join(" ")
}

fn result_sentence(scored: bool, mastery_score: u8) -> String {
    match (scored, mastery_score) {
        (false, _) => {
            "No question in this module is scored: it is complete once you have seen every page."
                .into()
        }
        (true, 0) => "Scored questions count towards your result, and any score is a pass.".into(),
        (true, m) => {
            format!("Scored questions count towards your result: you need {m}% to pass.")
        }
    }
}

fn checks_sentence(attempts: Attempts, review: Review) -> String {
    let n = attempts.get();
    match (n, review) {
        (1, Review::Answers) => {
            "You can check each scored question once, and you will see the right answer after you check it.".into()
        }
        (1, Review::Feedback) => {
            "You can check each scored question once, and you will see whether you were right, with feedback, after you check it.".into()
        }
        (1, Review::None) => {
            "You can check each scored question once. Your answer is recorded, but you will not see whether it was right.".into()
        }
        (n, Review::Answers) => format!(
            "You can check each scored question up to {n} times. Each time you will see whether you are right, and if you have not found the answer by your last try, you will see the right answer."
        ),
        (n, Review::Feedback) => format!(
            "You can check each scored question up to {n} times. Each time you will see whether you are right, with feedback."
        ),
        (n, Review::None) => format!(
            "You can check each scored question up to {n} times. Your answers are recorded, but you will not see whether they were right."
        ),
    }
}

fn retake_sentence(retake: bool) -> &'static str {
    if retake {
        "You can start the module again from the results page."
    } else {
        "You cannot start the module again from the results page."
    }
}

/// Indices into the data block's two lists, given in reading order (as [`super::data`] does).
#[derive(Default)]
struct Counter {
    questions: usize,
    blocks: usize,
}

impl Counter {
    fn question(&mut self) -> usize {
        self.questions += 1;
        self.questions - 1
    }
    fn block(&mut self) -> usize {
        self.blocks += 1;
        self.blocks - 1
    }
}

fn segment<'a>(segment: &'a Segment, n: &mut Counter) -> SegmentView<'a> {
    let block = match segment {
        Segment::Html(h) => {
            return SegmentView {
                html: Some(h.as_str()),
                ..Default::default()
            }
        }
        Segment::Block(b) => b,
    };
    match block {
        Block::Question(q) => SegmentView {
            question: Some(question(q, n.question())),
            ..Default::default()
        },
        Block::Likert(l) => SegmentView {
            likert: Some(LikertView {
                id: l.id.as_str(),
                index: n.question(),
                prompt: l.prompt.as_str(),
                scale: l
                    .scale
                    .iter()
                    .enumerate()
                    .map(|(index, label)| LabelView { index, label })
                    .collect(),
            }),
            ..Default::default()
        },
        Block::Reflection(r) => SegmentView {
            reflection: Some(ReflectionView {
                id: r.id.as_str(),
                index: n.block(),
                prompt: PromptView::new(&r.prompt),
                hint: r.hint.as_ref().map(Html::as_str),
            }),
            ..Default::default()
        },
        Block::ActionPlan(a) => SegmentView {
            action_plan: Some(ActionPlanView {
                id: a.id.as_str(),
                index: n.block(),
                title: &a.title,
                intro: a.intro.as_ref().map(Html::as_str),
                fields: &a.fields,
            }),
            ..Default::default()
        },
        Block::Scenario(s) => SegmentView {
            scenario: Some(scenario(s, n.block())),
            ..Default::default()
        },
        Block::Reveal(r) => SegmentView {
            reveal: Some(r),
            ..Default::default()
        },
        Block::Callout(c) => SegmentView {
            callout: Some(CalloutView {
                style: c.style,
                label: match c.style {
                    CalloutStyle::Info => "Note",
                    CalloutStyle::Tip => "Tip",
                    CalloutStyle::Warning => "Warning",
                    CalloutStyle::Important => "Important",
                },
                title: c.title.as_deref(),
                body: c.body.as_str(),
            }),
            ..Default::default()
        },
        Block::CaseStudy(c) => SegmentView {
            case_study: Some(CaseStudyView {
                id: c.id.as_ref().map(Slug::as_str),
                title: &c.title,
                illustrative: matches!(c.provenance, Provenance::Illustrative),
                source: match &c.provenance {
                    Provenance::Illustrative => None,
                    Provenance::Sourced {
                        title,
                        publisher,
                        url,
                    } => Some(SourceView {
                        title,
                        publisher,
                        url: url.as_deref(),
                    }),
                },
                body: c.body.as_str(),
            }),
            ..Default::default()
        },
    }
}

fn question(q: &Question, index: usize) -> QuestionView<'_> {
    let mut view = QuestionView {
        id: q.id.as_str(),
        index,
        kind: q.kind.name(),
        scored: q.scored,
        prompt: PromptView::new(&q.prompt),
        instruction: "",
        input: None,
        options: Vec::new(),
        fill_in: false,
        matching: None,
        sequencing: None,
        feedback_correct: q.feedback_correct.as_ref().map(Html::as_str),
        feedback_incorrect: q.feedback_incorrect.as_ref().map(Html::as_str),
    };
    match &q.kind {
        QuestionKind::SingleChoice { options, .. } => {
            view.instruction = "Choose one answer.";
            view.input = Some("radio");
            view.options = choices(options);
        }
        QuestionKind::MultipleChoice { options, .. } => {
            view.instruction = "Choose every answer that applies.";
            view.input = Some("checkbox");
            view.options = choices(options);
        }
        QuestionKind::TrueFalse { .. } => {
            view.instruction = "Choose true or false.";
            view.input = Some("radio");
            view.options = ["True", "False"]
                .into_iter()
                .enumerate()
                .map(|(index, text)| OptionView {
                    index,
                    text: text.to_owned(),
                    feedback: None,
                })
                .collect();
        }
        QuestionKind::FillIn { .. } => {
            view.instruction = "Type your answer.";
            view.fill_in = true;
        }
        QuestionKind::Matching { pairs } => {
            view.instruction = "Choose the match for each item.";
            let order = shuffled(pairs.len(), &format!("{}-matching", q.id));
            view.matching = Some(MatchingView {
                lefts: pairs
                    .iter()
                    .enumerate()
                    .map(|(index, p)| LeftView {
                        index,
                        html: p.left.as_str(),
                    })
                    .collect(),
                rights: order
                    .into_iter()
                    .map(|index| RightView {
                        index,
                        text: text_of(pairs[index].right.as_str()),
                    })
                    .collect(),
            });
        }
        QuestionKind::Sequencing { items, shown } => {
            view.instruction = "Put the items in order, first at the top: move each with its Move up and Move down buttons.";
            view.sequencing = Some(SequencingView {
                items: shown
                    .iter()
                    .map(|&index| SeqItemView {
                        index,
                        html: items[index].as_str(),
                        text: text_of(items[index].as_str()),
                    })
                    .collect(),
            });
        }
    }
    view
}

fn choices(options: &[Choice]) -> Vec<OptionView<'_>> {
    options
        .iter()
        .enumerate()
        .map(|(index, c)| OptionView {
            index,
            text: c.text.as_str().to_owned(),
            feedback: c.feedback.as_ref().map(Html::as_str),
        })
        .collect()
}

fn scenario(s: &Scenario, index: usize) -> ScenarioView<'_> {
    let position = |id: &Slug| s.steps.iter().position(|t| &t.id == id).unwrap_or(0);
    let start = position(&s.start);
    ScenarioView {
        id: s.id.as_str(),
        index,
        title: &s.title,
        intro: s.intro.as_ref().map(Html::as_str),
        start,
        steps: s
            .steps
            .iter()
            .enumerate()
            .map(|(i, step)| StepView {
                index: i,
                start: i == start,
                text: step.text.as_str(),
                choices: step
                    .choices
                    .iter()
                    .enumerate()
                    .map(|(j, c)| StepChoiceView {
                        index: j,
                        text: c.text.as_str(),
                        consequence: c.consequence.as_ref().map(Html::as_str),
                        next: position(&c.next),
                    })
                    .collect(),
                outcome: step.outcome,
                outcome_label: step.outcome.map(|o| match o {
                    Outcome::Positive => "Good outcome",
                    Outcome::Mixed => "Mixed outcome",
                    Outcome::Negative => "Poor outcome",
                }),
            })
            .collect(),
    }
}

/// The inner HTML of `html` when it is exactly one paragraph.
pub(crate) fn single_paragraph(html: &str) -> Option<&str> {
    let inner = html.trim().strip_prefix("<p>")?.strip_suffix("</p>")?;
    (!inner.contains("<p>") && !inner.contains("</p>")).then_some(inner)
}

/// The text of an HTML fragment: tags dropped, character references decoded.
pub(crate) fn text_of(html: &str) -> String {
    let mut out = String::with_capacity(html.len());
    let mut rest = html;
    while let Some(i) = rest.find(['<', '&']) {
        out.push_str(&rest[..i]);
        rest = &rest[i..];
        if rest.starts_with('<') {
            rest = rest.find('>').map_or("", |j| &rest[j + 1..]);
            continue;
        }
        let end = rest.find(';').filter(|&j| j <= 10);
        let decoded = end.and_then(|j| decode_entity(&rest[1..j]));
        match (end, decoded) {
            (Some(j), Some(c)) => {
                out.push(c);
                rest = &rest[j + 1..];
            }
            _ => {
                out.push('&');
                rest = &rest[1..];
            }
        }
    }
    out.push_str(rest);
    out.split_whitespace().collect::<Vec<_>>().join(" ")
}

fn decode_entity(name: &str) -> Option<char> {
    match name {
        "amp" => Some('&'),
        "lt" => Some('<'),
        "gt" => Some('>'),
        "quot" => Some('"'),
        "apos" => Some('\''),
        "nbsp" => Some('\u{a0}'),
        _ => {
            let num = name.strip_prefix('#')?;
            let code = match num.strip_prefix(['x', 'X']) {
                Some(hex) => u32::from_str_radix(hex, 16).ok()?,
                None => num.parse().ok()?,
            };
            char::from_u32(code)
        }
    }
}

/// A package path as a URL path: each byte outside the unreserved set and `/` percent-encoded.
fn url_path(path: &str) -> String {
    let mut out = String::with_capacity(path.len());
    for b in path.bytes() {
        if b.is_ascii_alphanumeric() || b"-._~/".contains(&b) {
            out.push(char::from(b));
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn paragraphs() {
        assert_eq!(
            single_paragraph("<p>Hi <em>there</em></p>\n"),
            Some("Hi <em>there</em>")
        );
        assert_eq!(single_paragraph("<p>a</p>\n<p>b</p>\n"), None);
        assert_eq!(single_paragraph("<ul><li>a</li></ul>"), None);
    }

    #[test]
    fn text() {
        assert_eq!(
            text_of("How we <em>know</em> &lt;&amp; &quot;q&quot;&gt; &#39;x&#x27;"),
            "How we know <& \"q\"> 'x'"
        );
        assert_eq!(text_of("a & b &bogus; c"), "a & b &bogus; c");
        assert_eq!(text_of("<p>one\ntwo</p>\n"), "one two");
    }

    fn fixture(name: &str) -> Course {
        let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("fixtures")
            .join(name);
        crate::course::load(&root).expect("fixture loads").course
    }

    #[test]
    fn how_it_works_follows_the_settings() {
        let mut course = fixture("minimal");
        let m = &mut course.modules[0];
        assert_eq!(
            how_it_works(m),
            "Scored questions count towards your result: you need 100% to pass. \
             You can check each scored question once, and you will see the right answer after you check it. \
             You can start the module again from the results page."
        );
        m.mastery_score = 80;
        m.answer_rules = AnswerRules {
            review: Review::Feedback,
            attempts: Attempts::new(3).unwrap(),
            retake: false,
            shuffle: true,
        };
        assert_eq!(
            how_it_works(m),
            "Scored questions count towards your result: you need 80% to pass. \
             You can check each scored question up to 3 times. Each time you will see whether you are right, with feedback. \
             You cannot start the module again from the results page."
        );
        m.answer_rules.review = Review::Answers;
        assert!(how_it_works(m).contains(
            "if you have not found the answer by your last try, you will see the right answer"
        ));
        m.answer_rules.review = Review::None;
        m.answer_rules.attempts = Attempts::ONE;
        assert!(how_it_works(m)
            .contains("Your answer is recorded, but you will not see whether it was right."));
        m.mastery_score = 0;
        assert!(how_it_works(m)
            .starts_with("Scored questions count towards your result, and any score is a pass."));
        m.pages.clear();
        assert_eq!(
            how_it_works(m),
            "No question in this module is scored: it is complete once you have seen every page. \
             You cannot start the module again from the results page."
        );
    }

    #[test]
    fn how_it_works_mentions_practice_questions_only_when_there_are_some() {
        let course = fixture("every-block");
        assert!(how_it_works(&course.modules[0])
            .contains("Practice questions do not count towards your result."));
        let course = fixture("minimal");
        assert!(!how_it_works(&course.modules[0]).contains("Practice"));
    }

    #[test]
    fn the_index_view_has_the_cover_fields() {
        let course = fixture("answer-rules");
        let m = &course.modules[0];
        let view = index(&course, m, String::new());
        assert_eq!(view.objectives, m.objectives.as_slice());
        assert_eq!(view.duration, 10);
        assert_eq!(view.how_it_works, how_it_works(m));
        let json = serde_json::to_value(&view).unwrap();
        for key in ["how_it_works", "objectives", "duration"] {
            assert!(json.get(key).is_some(), "{key}");
        }
    }

    #[test]
    fn urls() {
        assert_eq!(url_path("assets/my logo.svg"), "assets/my%20logo.svg");
        assert_eq!(url_path("assets/café.svg"), "assets/caf%C3%A9.svg");
    }
}
