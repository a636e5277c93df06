//! A fenced block's YAML → a checked [`Block`]. Every rule of `docs/course-format.md` for blocks lives
//! here, each reported at the value that breaks it.

use super::markdown::{self, Context};
use super::model::*;
use super::raw;
use super::yaml::Embedded;
use crate::diagnostics::{Diagnostic, Location};
use serde_saphyr::Spanned;

/// An id a block declared, with where, so the loader can find duplicates across the course.
pub struct DeclaredId {
    pub id: Slug,
    pub at: Location,
}

/// Parse and check one block of a module whose answer rules are `rules`. Problems go to
/// `cx.diagnostics`; `None` when the block is unusable.
pub fn block(
    kind: &str,
    yaml: &str,
    doc: &Embedded,
    fence: &Location,
    rules: &AnswerRules,
    cx: &mut Context,
    ids: &mut Vec<DeclaredId>,
) -> Option<Block> {
    hashtag_comments(yaml, doc, cx);
    let mut b = Builder {
        doc,
        fence,
        rules,
        cx,
        ids,
    };
    let what = format!("`{kind}` block");
    if yaml.trim().is_empty() {
        b.error(
            fence.clone(),
            "empty-block",
            format!("the {what} is empty"),
            "write the block's keys as YAML between the fences; see docs/course-format.md",
        );
        return None;
    }
    if matches!(
        kind,
        "single-choice"
            | "multiple-choice"
            | "true-false"
            | "fill-in"
            | "matching"
            | "sequencing"
            | "likert"
            | "reflection"
            | "action-plan"
            | "scenario"
    ) && !has_top_level_key(yaml, "id")
    {
        let suggestion = suggest_id(yaml, kind);
        b.cx.diagnostics.push(
            Diagnostic::error("missing-id", format!("the {what} has no `id`"))
                .at(fence.clone())
                .label("interactive blocks need an id")
                .hint(format!("add `id: {suggestion}` — LMS records are keyed on it, so keep it stable once published")),
        );
        return None;
    }
    let parsed = match kind {
        "single-choice" => b
            .parse::<raw::SingleChoice>(yaml, &what)
            .and_then(|r| b.single(r)),
        "multiple-choice" => b
            .parse::<raw::MultipleChoice>(yaml, &what)
            .and_then(|r| b.multiple(r)),
        "true-false" => b.parse::<raw::TrueFalse>(yaml, &what).and_then(|r| {
            let answer = r.answer;
            b.question(
                r.id,
                &r.prompt,
                r.feedback,
                r.weight,
                r.scored,
                QuestionKind::TrueFalse { answer },
            )
        }),
        "fill-in" => b
            .parse::<raw::FillIn>(yaml, &what)
            .and_then(|r| b.fill_in(r)),
        "matching" => b
            .parse::<raw::Matching>(yaml, &what)
            .and_then(|r| b.matching(r)),
        "sequencing" => b
            .parse::<raw::Sequencing>(yaml, &what)
            .and_then(|r| b.sequencing(r)),
        "likert" => b
            .parse::<raw::Likert>(yaml, &what)
            .and_then(|r| b.likert(r)),
        "reflection" => b.parse::<raw::Reflection>(yaml, &what).and_then(|r| {
            let at = b.doc.of(&r.id);
            Some(Block::Reflection(Reflection {
                id: b.id(&r.id)?,
                prompt: b.md(&r.prompt, &at),
                hint: r.hint.as_deref().map(|h| b.md(h, &at)),
            }))
        }),
        "action-plan" => b
            .parse::<raw::ActionPlan>(yaml, &what)
            .and_then(|r| b.action_plan(r)),
        "scenario" => b
            .parse::<raw::Scenario>(yaml, &what)
            .and_then(|r| b.scenario(r)),
        "reveal" => b
            .parse::<raw::Reveal>(yaml, &what)
            .and_then(|r| b.reveal(r)),
        "callout" => b.parse::<raw::Callout>(yaml, &what).and_then(|r| {
            let id = b.optional_id(r.id.as_ref())?;
            Some(Block::Callout(Callout {
                id,
                style: r.style,
                title: r.title,
                body: b.md(&r.body, &fence.clone()),
            }))
        }),
        "case-study" => b
            .parse::<raw::CaseStudy>(yaml, &what)
            .and_then(|r| b.case_study(r)),
        _ => unreachable!("only kinds in BLOCK_KINDS are cut out"),
    };
    parsed
}

/// In a plain (unquoted) YAML value, ` #` starts a comment: `text: Use #LibrariesWeek` silently
/// becomes `Use`. Authors writing about hashtags meet this; warn where it happens.
fn hashtag_comments(yaml: &str, doc: &Embedded, cx: &mut Context) {
    for (i, line) in yaml.lines().enumerate() {
        let body = line.trim_start().trim_start_matches("- ");
        let Some(colon) = body.find(": ") else {
            continue;
        };
        let value = body[colon + 2..].trim_start();
        if value.starts_with(['"', '\'', '|', '>', '[', '{']) || value.starts_with('#') {
            continue;
        }
        if let Some(j) = value
            .find(" #")
            .filter(|j| value[j + 2..].starts_with(char::is_alphanumeric))
        {
            let column = line.len() - value.len() + j + 1;
            cx.diagnostics.push(
                Diagnostic::warning(
                    "yaml-comment",
                    "the text after ` #` is a YAML comment and is dropped",
                )
                .at(Location::at(
                    &doc.file,
                    doc.line_offset + i + 1,
                    doc.column_offset + column + 1,
                ))
                .label("the value ends before this")
                .hint("quote the value (\"…\") or use a block scalar (`>-`) to keep a hashtag"),
            );
        }
    }
}

fn has_top_level_key(yaml: &str, key: &str) -> bool {
    yaml.lines().any(|l| {
        l.strip_prefix(key)
            .is_some_and(|rest| rest.trim_start().starts_with(':'))
    })
}

fn suggest_id(yaml: &str, kind: &str) -> String {
    let text = yaml
        .lines()
        .find_map(|l| {
            ["prompt:", "title:"]
                .iter()
                .find_map(|k| l.strip_prefix(k).map(str::trim))
        })
        .unwrap_or(kind);
    let words: Vec<&str> = text.split_whitespace().take(5).collect();
    Slug::suggest(&words.join(" "))
}

struct Builder<'b, 'c> {
    doc: &'b Embedded,
    fence: &'b Location,
    rules: &'b AnswerRules,
    cx: &'b mut Context<'c>,
    ids: &'b mut Vec<DeclaredId>,
}

impl Builder<'_, '_> {
    fn parse<T: serde::de::DeserializeOwned>(&mut self, yaml: &str, what: &str) -> Option<T> {
        match self.doc.parse::<T>(yaml, what) {
            Ok(t) => Some(t),
            Err(d) => {
                self.cx
                    .diagnostics
                    .extend(d.into_iter().map(explain_shuffle_elsewhere).collect());
                None
            }
        }
    }

    fn error(&mut self, at: Location, code: &'static str, message: impl Into<String>, hint: &str) {
        self.cx
            .diagnostics
            .push(Diagnostic::error(code, message).at(at).hint(hint));
    }

    fn md(&mut self, text: &str, at: &Location) -> Html {
        markdown::fragment(text, at, self.cx)
    }

    fn inline(&mut self, text: &str, at: &Location) -> Html {
        markdown::inline(text, at, self.cx)
    }

    /// A slug at its own position; declared for the course-wide duplicate check.
    fn id(&mut self, raw: &Spanned<String>) -> Option<Slug> {
        let at = self.doc.of(raw);
        let slug = self.slug(raw)?;
        self.ids.push(DeclaredId {
            id: slug.clone(),
            at,
        });
        Some(slug)
    }

    fn optional_id(&mut self, raw: Option<&Spanned<String>>) -> Option<Option<Slug>> {
        match raw {
            None => Some(None),
            Some(r) => self.id(r).map(Some),
        }
    }

    /// A slug that is not a learner-data id (scenario steps, action-plan fields): unique locally.
    fn slug(&mut self, raw: &Spanned<String>) -> Option<Slug> {
        let slug = Slug::parse(&raw.value);
        if slug.is_none() {
            let at = self.doc.of(raw);
            self.cx.diagnostics.push(
                Diagnostic::error("bad-id", format!("`{}` is not a valid id", raw.value))
                    .at(at)
                    .label("not a slug")
                    .hint(format!(
                        "use lowercase letters, digits and `-` (at most 64), e.g. `{}`",
                        Slug::suggest(&raw.value)
                    )),
            );
        }
        slug
    }

    fn count<T>(&mut self, list: &Spanned<Vec<T>>, min: usize, max: usize, what: &str) -> bool {
        let n = list.value.len();
        if (min..=max).contains(&n) {
            return true;
        }
        let at = self.doc.of(list);
        self.error(
            at,
            "bad-count",
            format!("{what}: {n} given, {min}–{max} allowed"),
            "see docs/course-format.md for the limits of each block",
        );
        false
    }

    fn question(
        &mut self,
        id: Spanned<String>,
        prompt: &str,
        feedback: raw::Feedback,
        weight: Option<Spanned<u32>>,
        scored: bool,
        kind: QuestionKind,
    ) -> Option<Block> {
        let at = self.doc.of(&id);
        let id = self.id(&id)?;
        let weight = match weight {
            None => 1,
            Some(w) if (1..=100).contains(&w.value) => w.value,
            Some(w) => {
                let at = self.doc.of(&w);
                self.error(
                    at,
                    "out-of-range",
                    format!("weight {} is out of range", w.value),
                    "a weight is 1–100",
                );
                return None;
            }
        };
        for (text, right) in [(&feedback.correct, true), (&feedback.incorrect, false)] {
            if let Some(verdict) = text.as_deref().and_then(|f| leading_verdict(f, right)) {
                self.cx.diagnostics.push(
                    Diagnostic::warning(
                        "feedback-verdict",
                        format!(
                            "the feedback for a {} answer starts with `{verdict}`, and the player already says `{}`",
                            if right { "right" } else { "wrong" },
                            if right { "Correct." } else { "Not quite." }
                        ),
                    )
                    .at(at.clone())
                    .label("learners would read the verdict twice")
                    .hint("start the feedback with the reason, e.g. \"Outputs are what you did.\""),
                );
            }
        }
        Some(Block::Question(Question {
            prompt: self.md(prompt, &at),
            prompt_text: markdown::plain_text(prompt),
            id,
            kind,
            feedback_correct: feedback.correct.as_deref().map(|f| self.md(f, &at)),
            feedback_incorrect: feedback.incorrect.as_deref().map(|f| self.md(f, &at)),
            weight,
            scored,
        }))
    }

    fn choices(&mut self, options: &Spanned<Vec<raw::ChoiceOption>>) -> Vec<Choice> {
        let at = self.doc.of(options);
        options
            .value
            .iter()
            .map(|o| Choice {
                text: self.inline(&o.text, &at),
                correct: o.correct,
                feedback: o.feedback.as_deref().map(|f| self.md(f, &at)),
            })
            .collect()
    }

    /// Whether a choice question's options are shuffled: its own `shuffle`, else the module's.
    /// An option that points at the others ("All of the above") only reads right in the order
    /// written, so shuffling one is warned about at the options.
    fn shuffle(&mut self, own: Option<bool>, options: &Spanned<Vec<raw::ChoiceOption>>) -> bool {
        let shuffle = own.unwrap_or(self.rules.shuffle);
        if let Some(o) = options
            .value
            .iter()
            .find(|o| shuffle && points_at_other_options(&o.text))
        {
            let at = self.doc.of(options);
            self.cx.diagnostics.push(
                Diagnostic::warning(
                    "shuffled-reference",
                    format!(
                        "option `{}` refers to the other options, but the options are shuffled",
                        o.text.trim()
                    ),
                )
                .at(at)
                .label("shown in a different order to each learner")
                .hint("add `shuffle: false` to the question to keep the order written"),
            );
        }
        shuffle
    }

    fn single(&mut self, r: raw::SingleChoice) -> Option<Block> {
        let ok = self.count(&r.options, 2, 10, "options");
        let correct = r.options.value.iter().filter(|o| o.correct).count();
        if correct != 1 {
            let at = self.doc.of(&r.options);
            self.error(
                at,
                "bad-answer",
                format!(
                    "a single-choice question needs exactly one correct option, {correct} marked"
                ),
                "mark one option `correct: true`, or use `multiple-choice`",
            );
        }
        if !ok || correct != 1 {
            return None;
        }
        let options = self.choices(&r.options);
        let shuffle = self.shuffle(r.shuffle, &r.options);
        self.question(
            r.id,
            &r.prompt,
            r.feedback,
            r.weight,
            r.scored,
            QuestionKind::SingleChoice { options, shuffle },
        )
    }

    fn multiple(&mut self, r: raw::MultipleChoice) -> Option<Block> {
        let ok = self.count(&r.options, 2, 10, "options");
        if !r.options.value.iter().any(|o| o.correct) {
            let at = self.doc.of(&r.options);
            self.error(
                at,
                "bad-answer",
                "no option is marked `correct: true`",
                "mark every correct option `correct: true`",
            );
            return None;
        }
        if !ok {
            return None;
        }
        let options = self.choices(&r.options);
        let shuffle = self.shuffle(r.shuffle, &r.options);
        self.question(
            r.id,
            &r.prompt,
            r.feedback,
            r.weight,
            r.scored,
            QuestionKind::MultipleChoice { options, shuffle },
        )
    }

    fn fill_in(&mut self, r: raw::FillIn) -> Option<Block> {
        let mut ok = self.count(&r.answers, 1, 10, "accepted answers");
        if let Some(bad) = r
            .answers
            .value
            .iter()
            .find(|a| a.trim().is_empty() || a.chars().count() > 250)
        {
            let at = self.doc.of(&r.answers);
            self.error(
                at,
                "bad-answer",
                format!("accepted answer `{bad}` is empty or longer than 250 characters"),
                "SCORM keeps at most 250 characters of a fill-in answer",
            );
            ok = false;
        }
        if !ok {
            return None;
        }
        let answers = r
            .answers
            .value
            .iter()
            .map(|a| a.trim().to_owned())
            .collect();
        self.question(
            r.id,
            &r.prompt,
            r.feedback,
            r.weight,
            r.scored,
            QuestionKind::FillIn {
                answers,
                case_sensitive: r.case_sensitive,
            },
        )
    }

    fn matching(&mut self, r: raw::Matching) -> Option<Block> {
        if !self.count(&r.pairs, 2, 10, "pairs") {
            return None;
        }
        let mut rights: Vec<&str> = r.pairs.value.iter().map(|p| p.right.as_str()).collect();
        rights.sort_unstable();
        if rights.windows(2).any(|w| w[0] == w[1]) {
            let at = self.doc.of(&r.pairs);
            self.error(
                at,
                "bad-answer",
                "two pairs have the same `right` text",
                "each right-hand text must be different, or the answer is ambiguous",
            );
            return None;
        }
        let at = self.doc.of(&r.pairs);
        let pairs = r
            .pairs
            .value
            .iter()
            .map(|p| Pair {
                left: self.inline(&p.left, &at),
                right: self.inline(&p.right, &at),
            })
            .collect();
        self.question(
            r.id,
            &r.prompt,
            r.feedback,
            r.weight,
            r.scored,
            QuestionKind::Matching { pairs },
        )
    }

    fn sequencing(&mut self, r: raw::Sequencing) -> Option<Block> {
        if !self.count(&r.items, 2, 10, "items") {
            return None;
        }
        let at = self.doc.of(&r.items);
        let items: Vec<Html> = r.items.value.iter().map(|i| self.inline(i, &at)).collect();
        let shown = shuffled(items.len(), &r.id.value);
        self.question(
            r.id,
            &r.prompt,
            r.feedback,
            r.weight,
            r.scored,
            QuestionKind::Sequencing { items, shown },
        )
    }

    fn likert(&mut self, r: raw::Likert) -> Option<Block> {
        let scale = match r.scale {
            None => [
                "Strongly disagree",
                "Disagree",
                "Neutral",
                "Agree",
                "Strongly agree",
            ]
            .map(String::from)
            .to_vec(),
            Some(s) => {
                if !self.count(&s, 2, 7, "scale labels") {
                    return None;
                }
                s.value
            }
        };
        let at = self.doc.of(&r.id);
        Some(Block::Likert(Likert {
            id: self.id(&r.id)?,
            prompt: self.inline(&r.prompt, &at),
            scale,
        }))
    }

    fn action_plan(&mut self, r: raw::ActionPlan) -> Option<Block> {
        if !self.count(&r.fields, 1, 10, "fields") {
            return None;
        }
        let at = self.doc.of(&r.id);
        let id = self.id(&r.id)?;
        let mut fields: Vec<ActionField> = Vec::new();
        for f in &r.fields.value {
            let slug = self.slug(&f.id)?;
            if fields.iter().any(|g| g.id == slug) {
                let at = self.doc.of(&f.id);
                self.error(
                    at,
                    "duplicate-id",
                    format!("field id `{slug}` is used twice in this action plan"),
                    "give each field its own id",
                );
                return None;
            }
            fields.push(ActionField {
                id: slug,
                label: f.label.clone(),
            });
        }
        Some(Block::ActionPlan(ActionPlan {
            id,
            title: r.title,
            intro: r.intro.as_deref().map(|t| self.md(t, &at)),
            fields,
        }))
    }

    fn scenario(&mut self, r: raw::Scenario) -> Option<Block> {
        let at = self.doc.of(&r.id);
        let id = self.id(&r.id)?;
        if !self.count(&r.steps, 1, 50, "steps") {
            return None;
        }
        let mut ok = true;
        let mut names: Vec<(Slug, Location)> = Vec::new();
        for s in &r.steps.value {
            let Some(slug) = self.slug(&s.id) else {
                ok = false;
                continue;
            };
            let here = self.doc.of(&s.id);
            if let Some((_, first)) = names.iter().find(|(n, _)| *n == slug) {
                self.cx.diagnostics.push(
                    Diagnostic::error(
                        "duplicate-id",
                        format!("step id `{slug}` is used twice in scenario `{id}`"),
                    )
                    .at(here)
                    .related(first.clone(), "first used here")
                    .hint("give each step its own id"),
                );
                ok = false;
            } else {
                names.push((slug, here));
            }
            let has_choices = !s.choices.is_empty();
            if has_choices == s.outcome.is_some() || s.choices.len() > 6 {
                let here = self.doc.of(&s.id);
                self.error(
                    here,
                    "bad-step",
                    format!(
                        "step `{}` must have either 1–6 `choices` or an `outcome`",
                        s.id.value
                    ),
                    "a step with choices moves the story on; a step with an outcome ends it",
                );
                ok = false;
            }
        }
        let index = |name: &str| names.iter().position(|(n, _)| n.as_str() == name);
        let mut edges: Vec<Vec<usize>> = vec![Vec::new(); names.len()];
        for (i, s) in r.steps.value.iter().enumerate() {
            for c in &s.choices {
                match index(&c.next.value) {
                    Some(j) if i < edges.len() => edges[i].push(j),
                    Some(_) => {}
                    None => {
                        let here = self.doc.of(&c.next);
                        let mut d = Diagnostic::error(
                            "unknown-step",
                            format!("no step is called `{}`", c.next.value),
                        )
                        .at(here)
                        .label("`next` must name a step");
                        if let Some(s) = crate::diagnostics::did_you_mean(
                            &c.next.value,
                            names.iter().map(|(n, _)| n.as_str()),
                        ) {
                            d = d.hint(format!("did you mean `{s}`?"));
                        }
                        self.cx.diagnostics.push(d);
                        ok = false;
                    }
                }
            }
        }
        let Some(start) = index(&r.start.value) else {
            let here = self.doc.of(&r.start);
            self.error(
                here,
                "unknown-step",
                format!("`start` names no step: `{}`", r.start.value),
                "set `start` to the id of the first step",
            );
            return None;
        };
        if !ok {
            return None;
        }
        // Reachable from start, and each reachable step can reach an outcome.
        let reach = |from: usize| {
            let mut seen = vec![false; names.len()];
            let mut stack = vec![from];
            while let Some(n) = stack.pop() {
                if !std::mem::replace(&mut seen[n], true) {
                    stack.extend(&edges[n]);
                }
            }
            seen
        };
        let from_start = reach(start);
        for (i, s) in r.steps.value.iter().enumerate() {
            let here = self.doc.of(&s.id);
            if !from_start[i] {
                self.error(
                    here,
                    "unreachable-step",
                    format!(
                        "step `{}` cannot be reached from `{}`",
                        s.id.value, r.start.value
                    ),
                    "point a choice's `next` at it, or remove it",
                );
                ok = false;
            } else if !reach(i)
                .iter()
                .enumerate()
                .any(|(j, seen)| *seen && r.steps.value[j].outcome.is_some())
            {
                self.error(
                    here,
                    "endless-step",
                    format!("from step `{}` no outcome can be reached", s.id.value),
                    "make sure every path ends in a step with an `outcome`",
                );
                ok = false;
            }
        }
        if !ok {
            return None;
        }
        let steps = r
            .steps
            .value
            .iter()
            .zip(names)
            .map(|(s, (slug, _))| Step {
                id: slug,
                text: self.md(&s.text, &at),
                choices: s
                    .choices
                    .iter()
                    .map(|c| StepChoice {
                        text: self.inline(&c.text, &at),
                        consequence: c.consequence.as_deref().map(|t| self.md(t, &at)),
                        next: Slug::parse(&c.next.value).expect("checked against the step ids"),
                    })
                    .collect(),
                outcome: s.outcome.as_ref().map(|o| o.value),
            })
            .collect();
        Some(Block::Scenario(Scenario {
            id,
            title: r.title,
            intro: r.intro.as_deref().map(|t| self.md(t, &at)),
            start: Slug::parse(&r.start.value).expect("checked against the step ids"),
            steps,
        }))
    }

    fn reveal(&mut self, r: raw::Reveal) -> Option<Block> {
        if !self.count(&r.items, 1, 20, "panels") {
            return None;
        }
        let id = self.optional_id(r.id.as_ref())?;
        let at = self.doc.of(&r.items);
        let items = r
            .items
            .value
            .iter()
            .map(|p| Panel {
                title: p.title.clone(),
                body: self.md(&p.body, &at),
            })
            .collect();
        Some(Block::Reveal(Reveal { id, items }))
    }

    fn case_study(&mut self, r: raw::CaseStudy) -> Option<Block> {
        let id = self.optional_id(r.id.as_ref())?;
        let provenance = match (r.illustrative, r.source) {
            (true, None) => Provenance::Illustrative,
            (false, Some(s)) => {
                if let Some(url) = &s.url {
                    if !(url.value.starts_with("https://") || url.value.starts_with("http://")) {
                        let at = self.doc.of(url);
                        self.error(
                            at,
                            "bad-value",
                            "a source `url` must start with https:// or http://",
                            "give the web address of the source",
                        );
                        return None;
                    }
                }
                Provenance::Sourced {
                    title: s.title,
                    publisher: s.publisher,
                    url: s.url.map(|u| u.value),
                }
            }
            (both, _) => {
                let message = if both {
                    "a case study cannot be both `illustrative` and `source`d"
                } else {
                    "a case study must say whether it is `illustrative: true` or cite a `source`"
                };
                self.error(
                    self.fence.clone(),
                    "case-provenance",
                    message,
                    "readers must always know whether a case really happened",
                );
                return None;
            }
        };
        let at = self.fence.clone();
        Some(Block::CaseStudy(CaseStudy {
            id,
            title: r.title,
            provenance,
            body: self.md(&r.body, &at),
        }))
    }
}

/// `shuffle` on a block other than the choice questions is an unknown key like any other, but the
/// author meant something by it: say where it applies instead of listing the block's keys.
fn explain_shuffle_elsewhere(d: Diagnostic) -> Diagnostic {
    if d.code != "unknown-key" || !d.message.starts_with("unknown key `shuffle` ") {
        return d;
    }
    Diagnostic {
        hints: vec![
            "`shuffle` is a key of single-choice and multiple-choice questions only: true-false and likert keep their natural order, and matching and sequencing are always shown in one fixed mixed order".into(),
            "remove `shuffle` here".into(),
        ],
        ..d
    }
}

/// Whether an option's text only makes sense in its place among the others: "All of the above",
/// "None of the options below"…
/// A verdict word a feedback text starts with ("Yes.", "Not quite, …"): the player shows its own
/// verdict line before the feedback, so the learner would read it twice.
fn leading_verdict(feedback: &str, right: bool) -> Option<&str> {
    let words: &[&str] = if right {
        &[
            "correct",
            "yes",
            "right",
            "well done",
            "that's right",
            "exactly",
        ]
    } else {
        &["not quite", "incorrect", "no", "wrong", "sorry"]
    };
    let text = feedback.trim_start();
    let lower = text.to_lowercase();
    words
        .iter()
        .find(|w| lower.starts_with(*w) && lower[w.len()..].starts_with(['.', '!', ',', ':']))
        .map(|w| &text[..w.len() + 1])
}

fn points_at_other_options(text: &str) -> bool {
    let text = text.to_lowercase();
    ["the above", "the below", "options above", "options below"]
        .iter()
        .any(|p| text.contains(p))
}

/// A fixed permutation of `0..n` derived from `seed`, never the identity (so a sequencing question
/// is never shown already solved), the same on every build.
pub fn shuffled(n: usize, seed: &str) -> Vec<usize> {
    let mut state = seed.bytes().fold(0xcbf2_9ce4_8422_2325_u64, |h, b| {
        (h ^ u64::from(b)).wrapping_mul(0x0100_0000_01b3)
    });
    let mut order: Vec<usize> = (0..n).collect();
    for i in (1..n).rev() {
        state ^= state << 13;
        state ^= state >> 7;
        state ^= state << 17;
        order.swap(i, (state % (i as u64 + 1)) as usize);
    }
    if n > 1 && order.iter().enumerate().all(|(i, &v)| i == v) {
        order.rotate_left(1);
    }
    order
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn shuffles_are_stable_and_never_solved() {
        for n in 2..10 {
            for seed in ["a", "b", "dl-q1", "x-long-seed"] {
                let s = shuffled(n, seed);
                assert_eq!(s, shuffled(n, seed));
                assert_ne!(s, (0..n).collect::<Vec<_>>());
                let mut sorted = s.clone();
                sorted.sort();
                assert_eq!(sorted, (0..n).collect::<Vec<_>>());
            }
        }
    }

    #[test]
    fn suggested_ids_come_from_the_prompt() {
        assert_eq!(
            suggest_id("prompt: What is a Vision for?\n", "single-choice"),
            "what-is-a-vision-for"
        );
        assert_eq!(suggest_id("options: []\n", "fill-in"), "fill-in");
    }
}
