//! The checked course. A value of these types is valid: ids are slugs and unique, pages and assets
//! exist, scores are in range, scenarios are well formed. Later stages never check again.
//!
//! Everything is `Serialize` so templates and the runtime's data block can read it directly.

use serde::Serialize;
use std::fmt;
use std::path::PathBuf;

pub use super::raw::{CalloutStyle, Completion, Outcome, Review};

/// Rendered, safe HTML (from Markdown with raw HTML refused and URLs checked).
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize)]
#[serde(transparent)]
pub struct Html(pub String);

impl Html {
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

/// A slug: `^[a-z0-9][a-z0-9-]{0,63}$`. Constructed only through [`Slug::parse`].
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(transparent)]
pub struct Slug(String);

impl Slug {
    pub fn parse(s: &str) -> Option<Self> {
        let ok = !s.is_empty()
            && s.len() <= 64
            && s.bytes()
                .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-')
            && !s.starts_with('-');
        ok.then(|| Self(s.to_owned()))
    }

    /// A slug made from any text: what to suggest when an id is missing or malformed.
    pub fn suggest(text: &str) -> String {
        let mut out = String::new();
        for c in text.chars().flat_map(char::to_lowercase) {
            if c.is_ascii_alphanumeric() {
                out.push(c);
            } else if !out.ends_with('-') && !out.is_empty() {
                out.push('-');
            }
            if out.len() >= 40 {
                break;
            }
        }
        let out = out.trim_end_matches('-');
        if out.is_empty() {
            "item".into()
        } else {
            out.into()
        }
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl fmt::Display for Slug {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

/// How many times a scored question can be checked before it locks: 1–10. Constructed only
/// through [`Attempts::new`].
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(transparent)]
pub struct Attempts(u8);

impl Attempts {
    /// One check, then the question locks: the default.
    pub const ONE: Self = Self(1);
    /// Ten checks already let a learner try every option of the largest single-choice question;
    /// more would add nothing but characters to `suspend_data`, where the checks made are kept.
    pub const MAX: u8 = 10;

    pub fn new(n: u32) -> Option<Self> {
        u8::try_from(n)
            .ok()
            .filter(|n| (1..=Self::MAX).contains(n))
            .map(Self)
    }

    pub fn get(self) -> u8 {
        self.0
    }
}

/// What a learner may do with a module's questions: course.yaml's `review`,
/// `attempts_per_question`, `retake` and `shuffle`, with the module's own values in their place.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
pub struct AnswerRules {
    /// What is shown after Check.
    pub review: Review,
    /// Checks per scored question before it locks.
    pub attempts: Attempts,
    /// Whether the results page offers a new attempt at the module.
    pub retake: bool,
    /// Whether choice questions show their options in an order of each learner's own, per
    /// attempt (questions can opt out; see [`QuestionKind::SingleChoice`]).
    pub shuffle: bool,
}

impl Default for AnswerRules {
    /// The defaults of docs/course-format.md: the right answer shown, one check, retakes
    /// allowed, options shuffled.
    fn default() -> Self {
        Self {
            review: Review::Answers,
            attempts: Attempts::ONE,
            retake: true,
            shuffle: true,
        }
    }
}

#[derive(Debug, Serialize)]
pub struct Course {
    pub id: Slug,
    pub title: String,
    pub language: String,
    pub version: String,
    pub description: String,
    pub authors: Vec<String>,
    pub licence: String,
    pub keywords: Vec<String>,
    pub theme: Theme,
    /// Target names from `course.yaml` (checked against the known targets by the CLI).
    pub targets: Vec<String>,
    /// `xapi.activity_base`: the prefix of xAPI and cmi5 activity ids (an absolute IRI, no query
    /// or fragment); `None`: `urn:uuid:` ids (see [`crate::target::activity_iri`]).
    pub activity_base: Option<String>,
    /// `xapi.cmi5_blocks`: a cmi5 course package wraps each module's AU in a block.
    pub cmi5_blocks: bool,
    pub modules: Vec<Module>,
}

#[derive(Debug, Serialize)]
pub struct Theme {
    /// `#rrggbb`
    pub colour: String,
    pub logo: Option<Logo>,
}

#[derive(Debug, Serialize)]
pub struct Logo {
    pub asset: Asset,
    pub alt: String,
}

/// A file copied into packages as it is.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Serialize)]
pub struct Asset {
    /// Path inside the package: the path relative to the course folder, with `/`.
    pub path: String,
    /// Where to read it from.
    #[serde(skip)]
    pub source: PathBuf,
}

#[derive(Debug, Serialize)]
pub struct Module {
    pub id: Slug,
    pub title: String,
    pub description: String,
    /// Minutes.
    pub duration: u32,
    pub objectives: Vec<String>,
    /// 0–100.
    pub mastery_score: u8,
    pub completion: Completion,
    /// Review, attempts, retake and shuffle, the course's defaults resolved.
    pub answer_rules: AnswerRules,
    pub pages: Vec<Page>,
    /// Every file the pages reference, sorted by package path, no duplicates.
    pub assets: Vec<Asset>,
}

impl Module {
    /// Every block of every page, in reading order.
    pub fn blocks(&self) -> impl Iterator<Item = &Block> {
        self.pages.iter().flat_map(|p| {
            p.content.iter().filter_map(|s| match s {
                Segment::Block(b) => Some(b),
                Segment::Html(_) => None,
            })
        })
    }

    pub fn questions(&self) -> impl Iterator<Item = &Question> {
        self.blocks().filter_map(|b| match b {
            Block::Question(q) => Some(q),
            _ => None,
        })
    }

    pub fn is_scored(&self) -> bool {
        self.questions().any(|q| q.scored)
    }
}

#[derive(Debug, Serialize)]
pub struct Page {
    pub id: Slug,
    pub title: String,
    pub content: Vec<Segment>,
}

/// A page is Markdown prose with blocks in between.
#[derive(Debug, Serialize)]
#[serde(tag = "type", content = "value", rename_all = "lowercase")]
pub enum Segment {
    Html(Html),
    Block(Block),
}

#[derive(Debug, Serialize)]
#[serde(tag = "kind", rename_all = "kebab-case")]
pub enum Block {
    Question(Question),
    Likert(Likert),
    Reflection(Reflection),
    ActionPlan(ActionPlan),
    Scenario(Scenario),
    Reveal(Reveal),
    Callout(Callout),
    CaseStudy(CaseStudy),
}

impl Block {
    /// The learner-data id, for blocks that have one.
    pub fn id(&self) -> Option<&Slug> {
        match self {
            Block::Question(b) => Some(&b.id),
            Block::Likert(b) => Some(&b.id),
            Block::Reflection(b) => Some(&b.id),
            Block::ActionPlan(b) => Some(&b.id),
            Block::Scenario(b) => Some(&b.id),
            Block::Reveal(b) => b.id.as_ref(),
            Block::Callout(b) => b.id.as_ref(),
            Block::CaseStudy(b) => b.id.as_ref(),
        }
    }
}

#[derive(Debug, Serialize)]
pub struct Question {
    pub id: Slug,
    pub prompt: Html,
    /// The prompt as plain text: interaction descriptions and xAPI definitions need text, not HTML.
    pub prompt_text: String,
    #[serde(flatten)]
    pub kind: QuestionKind,
    pub feedback_correct: Option<Html>,
    pub feedback_incorrect: Option<Html>,
    /// 1–100.
    pub weight: u32,
    pub scored: bool,
}

#[derive(Debug, Serialize)]
#[serde(tag = "type", rename_all = "kebab-case")]
pub enum QuestionKind {
    /// `shuffle`: the options are shown in an order of each learner's own, new for each attempt
    /// (the module's `shuffle`, unless the question sets its own).
    SingleChoice {
        options: Vec<Choice>,
        shuffle: bool,
    },
    MultipleChoice {
        options: Vec<Choice>,
        shuffle: bool,
    },
    TrueFalse {
        answer: bool,
    },
    FillIn {
        answers: Vec<String>,
        case_sensitive: bool,
    },
    Matching {
        pairs: Vec<Pair>,
    },
    /// `items` in the correct order; `shown` is the order presented (indices into `items`).
    Sequencing {
        items: Vec<Html>,
        shown: Vec<usize>,
    },
}

impl QuestionKind {
    pub fn name(&self) -> &'static str {
        match self {
            QuestionKind::SingleChoice { .. } => "single-choice",
            QuestionKind::MultipleChoice { .. } => "multiple-choice",
            QuestionKind::TrueFalse { .. } => "true-false",
            QuestionKind::FillIn { .. } => "fill-in",
            QuestionKind::Matching { .. } => "matching",
            QuestionKind::Sequencing { .. } => "sequencing",
        }
    }

    /// Whether the options are shown in an order of each learner's own: only ever for the choice
    /// kinds (true-false and likert keep their natural order).
    pub fn shuffled(&self) -> bool {
        match self {
            QuestionKind::SingleChoice { shuffle, .. }
            | QuestionKind::MultipleChoice { shuffle, .. } => *shuffle,
            _ => false,
        }
    }
}

#[derive(Debug, Serialize)]
pub struct Choice {
    pub text: Html,
    pub correct: bool,
    pub feedback: Option<Html>,
}

#[derive(Debug, Serialize)]
pub struct Pair {
    pub left: Html,
    pub right: Html,
}

#[derive(Debug, Serialize)]
pub struct Likert {
    pub id: Slug,
    pub prompt: Html,
    pub scale: Vec<String>,
}

#[derive(Debug, Serialize)]
pub struct Reflection {
    pub id: Slug,
    pub prompt: Html,
    pub hint: Option<Html>,
}

#[derive(Debug, Serialize)]
pub struct ActionPlan {
    pub id: Slug,
    pub title: String,
    pub intro: Option<Html>,
    pub fields: Vec<ActionField>,
}

#[derive(Debug, Serialize)]
pub struct ActionField {
    pub id: Slug,
    pub label: String,
}

#[derive(Debug, Serialize)]
pub struct Scenario {
    pub id: Slug,
    pub title: String,
    pub intro: Option<Html>,
    pub start: Slug,
    pub steps: Vec<Step>,
}

#[derive(Debug, Serialize)]
pub struct Step {
    pub id: Slug,
    pub text: Html,
    pub choices: Vec<StepChoice>,
    pub outcome: Option<Outcome>,
}

#[derive(Debug, Serialize)]
pub struct StepChoice {
    pub text: Html,
    pub consequence: Option<Html>,
    pub next: Slug,
}

#[derive(Debug, Serialize)]
pub struct Reveal {
    pub id: Option<Slug>,
    pub items: Vec<Panel>,
}

#[derive(Debug, Serialize)]
pub struct Panel {
    pub title: String,
    pub body: Html,
}

#[derive(Debug, Serialize)]
pub struct Callout {
    pub id: Option<Slug>,
    pub style: CalloutStyle,
    pub title: Option<String>,
    pub body: Html,
}

#[derive(Debug, Serialize)]
pub struct CaseStudy {
    pub id: Option<Slug>,
    pub title: String,
    pub provenance: Provenance,
    pub body: Html,
}

/// Whether a case happened. There is no third state: an unlabelled case is an error.
#[derive(Debug, Serialize)]
#[serde(tag = "type", rename_all = "lowercase")]
pub enum Provenance {
    Illustrative,
    Sourced {
        title: String,
        publisher: String,
        url: Option<String>,
    },
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn slugs() {
        assert!(Slug::parse("dl-q1").is_some());
        assert!(Slug::parse("0abc").is_some());
        for bad in ["", "-a", "A", "a b", "a_b", &"a".repeat(65)] {
            assert!(Slug::parse(bad).is_none(), "{bad}");
        }
        assert_eq!(Slug::suggest("What is a Vision?"), "what-is-a-vision");
        assert_eq!(Slug::suggest("!!!"), "item");
    }

    #[test]
    fn attempts() {
        assert_eq!(Attempts::new(1), Some(Attempts::ONE));
        assert_eq!(Attempts::new(10).map(Attempts::get), Some(10));
        for bad in [0, 11, 256, u32::MAX] {
            assert_eq!(Attempts::new(bad), None, "{bad}");
        }
    }
}
