//! The source files exactly as written: serde structs with spans on the values that later checks point
//! at. `deny_unknown_fields` everywhere, so a typo is an error rather than a silently ignored key.
//! These types also generate the JSON Schema that editors use (`lmspack schema`).

use schemars::JsonSchema;
use serde::Deserialize;
use serde_saphyr::Spanned;

/// `course.yaml`: the course as a whole.
#[derive(Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct CourseFile {
    /// Slug: lowercase letters, digits and `-`. Package identifiers derive from it: never change it.
    #[schemars(with = "String")]
    pub id: Spanned<String>,
    pub title: String,
    /// BCP 47 language tag, e.g. `en-GB`.
    #[schemars(with = "String")]
    pub language: Spanned<String>,
    /// Semantic version, e.g. `1.0.0`.
    #[schemars(with = "String")]
    pub version: Spanned<String>,
    pub description: String,
    pub authors: Vec<String>,
    /// SPDX identifier or free text, e.g. `CC-BY-SA-4.0`.
    pub licence: String,
    #[serde(default)]
    pub keywords: Vec<String>,
    /// Module folder names, in course order.
    #[schemars(with = "Vec<String>")]
    pub modules: Vec<Spanned<String>>,
    #[serde(default)]
    pub theme: Option<ThemeFile>,
    /// Targets built when `lmspack build` gets no `--target`.
    #[serde(default)]
    #[schemars(with = "Option<Vec<String>>")]
    pub targets: Option<Vec<Spanned<String>>>,
    /// xAPI (Tin Can) and cmi5 packages.
    #[serde(default)]
    pub xapi: Option<XapiFile>,
    /// What a learner sees after checking a question, in every module that does not set its
    /// own: `answers` (the verdict, the feedback and the right answer; the default), `feedback`
    /// (the verdict and the feedback) or `none` (only that the answer was recorded).
    #[serde(default)]
    #[schemars(with = "Option<Review>")]
    pub review: Option<Spanned<Review>>,
    /// How many times a scored question can be checked before it locks, 1–10 (default 1), in
    /// every module that does not set its own.
    #[serde(default)]
    #[schemars(with = "Option<u32>", range(min = 1, max = 10))]
    pub attempts_per_question: Option<Spanned<u32>>,
    /// Whether the results page offers "Start again", a new attempt at the module (default
    /// `true`), in every module that does not set its own.
    #[serde(default)]
    pub retake: Option<bool>,
    /// Whether the options of single-choice and multiple-choice questions are shown in an order
    /// of each learner's own, new for each attempt (default `true`), in every module that does
    /// not set its own. A question can turn it off with `shuffle: false`.
    #[serde(default)]
    pub shuffle: Option<bool>,
}

#[derive(Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct XapiFile {
    /// Absolute IRI the activity ids of the xAPI and cmi5 packages start with, e.g.
    /// `https://learning.example.org/xapi/my-course`. Default: `urn:uuid:` ids derived from the
    /// course, module and block ids. Never change it once the course is live.
    #[serde(default)]
    #[schemars(with = "Option<String>")]
    pub activity_base: Option<Spanned<String>>,
    /// In a cmi5 course package (`--package course`), put each module's AU in a block of its own
    /// with the module's title, description and objectives, for LMSs that show blocks as sections.
    #[serde(default)]
    pub cmi5_blocks: bool,
}

#[derive(Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct ThemeFile {
    /// Brand colour, `#rrggbb`.
    #[serde(default)]
    #[schemars(with = "Option<String>")]
    pub colour: Option<Spanned<String>>,
    /// Logo image, relative to the course folder.
    #[serde(default)]
    #[schemars(with = "Option<String>")]
    pub logo: Option<Spanned<String>>,
    /// Alternative text of the logo; required with `logo`.
    #[serde(default)]
    pub logo_alt: Option<String>,
}

/// `<module>/module.yaml`: one module, packaged as one SCO or AU.
#[derive(Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct ModuleFile {
    #[schemars(with = "String")]
    pub id: Spanned<String>,
    pub title: String,
    pub description: String,
    /// Typical time to complete, in minutes.
    #[schemars(with = "u32")]
    pub duration: Spanned<u32>,
    pub objectives: Vec<String>,
    /// Pass mark for the scored questions, 0–100.
    #[schemars(with = "u32")]
    pub mastery_score: Spanned<u32>,
    pub completion: Completion,
    /// Markdown pages relative to the module folder, in order.
    #[schemars(with = "Vec<String>")]
    pub pages: Vec<Spanned<String>>,
    /// What a learner sees after checking a question: `answers` (the verdict, the feedback and
    /// the right answer), `feedback` (the verdict and the feedback) or `none` (only that the
    /// answer was recorded). Default: course.yaml's `review`, else `answers`.
    #[serde(default)]
    #[schemars(with = "Option<Review>")]
    pub review: Option<Spanned<Review>>,
    /// How many times a scored question can be checked before it locks, 1–10. Default:
    /// course.yaml's `attempts_per_question`, else 1.
    #[serde(default)]
    #[schemars(with = "Option<u32>", range(min = 1, max = 10))]
    pub attempts_per_question: Option<Spanned<u32>>,
    /// Whether the results page offers "Start again", a new attempt at the module. Default:
    /// course.yaml's `retake`, else `true`.
    #[serde(default)]
    pub retake: Option<bool>,
    /// Whether the options of single-choice and multiple-choice questions are shown in an order
    /// of each learner's own, new for each attempt. Default: course.yaml's `shuffle`, else
    /// `true`. A question can turn it off with `shuffle: false`.
    #[serde(default)]
    pub shuffle: Option<bool>,
}

/// The answer-review keys course.yaml and module.yaml share, taken out of either file. They are
/// written out in both structs because flattening would lose `deny_unknown_fields` and spans.
#[derive(Debug, Default)]
pub struct AnswerKeys {
    pub review: Option<Spanned<Review>>,
    pub attempts_per_question: Option<Spanned<u32>>,
    pub retake: Option<bool>,
    pub shuffle: Option<bool>,
}

/// What a learner sees after checking a question.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Deserialize, JsonSchema, serde::Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Review {
    /// The verdict, the feedback, and the right answer once the question locks.
    #[default]
    Answers,
    /// The verdict and the feedback; the right answer is not shown.
    Feedback,
    /// Only that the answer was recorded: no verdict, no feedback, no right answer.
    None,
}

/// When a module counts as completed.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Deserialize, JsonSchema, serde::Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Completion {
    /// Every page seen.
    Pages,
    /// Every scored question answered.
    Assessment,
    /// Both.
    Both,
}

/// The `---` block at the top of a page.
#[derive(Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct FrontMatter {
    #[schemars(with = "String")]
    pub id: Spanned<String>,
    pub title: String,
}

// ---- blocks -------------------------------------------------------------------------------------

/// Overall feedback of a question.
#[derive(Debug, Default, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Feedback {
    #[serde(default)]
    pub correct: Option<String>,
    #[serde(default)]
    pub incorrect: Option<String>,
}

/// Keys every question kind has. Flattening would lose spans, so each kind repeats them via a macro.
macro_rules! question {
    ($(#[$doc:meta])* $name:ident { $($(#[$fdoc:meta])* $field:ident : $ty:ty),* $(,)? }) => {
        $(#[$doc])*
        #[derive(Debug, Deserialize, JsonSchema)]
        #[serde(deny_unknown_fields)]
        pub struct $name {
            #[schemars(with = "String")]
            pub id: Spanned<String>,
            pub prompt: String,
            #[serde(default)]
            pub feedback: Feedback,
            #[serde(default)]
            #[schemars(with = "Option<u32>")]
            pub weight: Option<Spanned<u32>>,
            #[serde(default = "yes")]
            pub scored: bool,
            $($(#[$fdoc])* pub $field: $ty),*
        }
    };
}

fn yes() -> bool {
    true
}

#[derive(Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct ChoiceOption {
    pub text: String,
    #[serde(default)]
    pub correct: bool,
    #[serde(default)]
    pub feedback: Option<String>,
}

question!(
    /// One correct option.
    SingleChoice {
        #[schemars(with = "Vec<ChoiceOption>")]
        options: Spanned<Vec<ChoiceOption>>,
        /// `false` keeps the options in the order written (for "All of the above" and the like);
        /// default: the module's `shuffle`.
        #[serde(default)]
        shuffle: Option<bool>,
    }
);
question!(
    /// One or more correct options.
    MultipleChoice {
        #[schemars(with = "Vec<ChoiceOption>")]
        options: Spanned<Vec<ChoiceOption>>,
        /// `false` keeps the options in the order written (for "All of the above" and the like);
        /// default: the module's `shuffle`.
        #[serde(default)]
        shuffle: Option<bool>,
    }
);
question!(TrueFalse { answer: bool });
question!(FillIn {
    #[schemars(with = "Vec<String>")]
    answers: Spanned<Vec<String>>,
    #[serde(default)]
    case_sensitive: bool,
});
question!(Matching { #[schemars(with = "Vec<Pair>")] pairs: Spanned<Vec<Pair>> });
question!(Sequencing { #[schemars(with = "Vec<String>")] items: Spanned<Vec<String>> });

#[derive(Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Pair {
    pub left: String,
    pub right: String,
}

#[derive(Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Likert {
    #[schemars(with = "String")]
    pub id: Spanned<String>,
    pub prompt: String,
    #[serde(default)]
    #[schemars(with = "Option<Vec<String>>")]
    pub scale: Option<Spanned<Vec<String>>>,
}

#[derive(Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Reflection {
    #[schemars(with = "String")]
    pub id: Spanned<String>,
    pub prompt: String,
    #[serde(default)]
    pub hint: Option<String>,
}

#[derive(Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct ActionPlan {
    #[schemars(with = "String")]
    pub id: Spanned<String>,
    pub title: String,
    #[serde(default)]
    pub intro: Option<String>,
    #[schemars(with = "Vec<ActionField>")]
    pub fields: Spanned<Vec<ActionField>>,
}

#[derive(Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct ActionField {
    #[schemars(with = "String")]
    pub id: Spanned<String>,
    pub label: String,
}

#[derive(Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Scenario {
    #[schemars(with = "String")]
    pub id: Spanned<String>,
    pub title: String,
    #[serde(default)]
    pub intro: Option<String>,
    #[schemars(with = "String")]
    pub start: Spanned<String>,
    #[schemars(with = "Vec<Step>")]
    pub steps: Spanned<Vec<Step>>,
}

#[derive(Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Step {
    #[schemars(with = "String")]
    pub id: Spanned<String>,
    pub text: String,
    #[serde(default)]
    pub choices: Vec<StepChoice>,
    #[serde(default)]
    #[schemars(with = "Option<Outcome>")]
    pub outcome: Option<Spanned<Outcome>>,
}

#[derive(Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct StepChoice {
    pub text: String,
    #[serde(default)]
    pub consequence: Option<String>,
    #[schemars(with = "String")]
    pub next: Spanned<String>,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Deserialize, JsonSchema, serde::Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Outcome {
    Positive,
    Mixed,
    Negative,
}

#[derive(Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Reveal {
    #[serde(default)]
    #[schemars(with = "Option<String>")]
    pub id: Option<Spanned<String>>,
    #[schemars(with = "Vec<Panel>")]
    pub items: Spanned<Vec<Panel>>,
}

#[derive(Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Panel {
    pub title: String,
    pub body: String,
}

#[derive(Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Callout {
    #[serde(default)]
    #[schemars(with = "Option<String>")]
    pub id: Option<Spanned<String>>,
    #[serde(default)]
    pub style: CalloutStyle,
    #[serde(default)]
    pub title: Option<String>,
    pub body: String,
}

#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Deserialize, JsonSchema, serde::Serialize)]
#[serde(rename_all = "lowercase")]
pub enum CalloutStyle {
    #[default]
    Info,
    Tip,
    Warning,
    Important,
}

#[derive(Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct CaseStudy {
    #[serde(default)]
    #[schemars(with = "Option<String>")]
    pub id: Option<Spanned<String>>,
    pub title: String,
    /// `true` when the case is invented to illustrate a point.
    #[serde(default)]
    pub illustrative: bool,
    /// Where a real case comes from.
    #[serde(default)]
    pub source: Option<CaseSource>,
    pub body: String,
}

#[derive(Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct CaseSource {
    pub title: String,
    pub publisher: String,
    #[serde(default)]
    #[schemars(with = "Option<String>")]
    pub url: Option<Spanned<String>>,
}
