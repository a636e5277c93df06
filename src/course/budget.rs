//! The `cmi.suspend_data` budget: the longest text the runtime can write for a module, and the
//! per-field character limit of free text (reflections, action-plan fields) that keeps it within
//! the LMS's limit (SCORM 1.2: 4096 characters, 2004: 64000).
//!
//! The runtime encodes its state as `{"h":shape,"v":hexbits,"a":{question index: answer},"b":{block
//! index: data},"t":{question index: checks made},"r":retakes}` (`encode()` in
//! `runtime/lmspack.js`). It strips control characters other than `\n` and `\t` from free text, so
//! every UTF-16 unit of a text is at most 2 characters of JSON (`"`, `\`, `\n`, `\t`); the worst
//! case below counts every one of them as 2. Answers are indices, lists of indices, or a fill-in
//! text (capped by [`fill_in_max`]); a scenario keeps the step and the choice of the learner's last
//! decision. A scored question is checked at most `attempts_per_question` times; the runtime
//! restores a count of checks only below [`CHECKS_MAX`] (a practice question has no limit of its
//! own), and a number of retakes only below [`RETAKES_MAX`]; `r` is only written when the module
//! allows retakes.

use super::model::{Block, Module, QuestionKind};

/// `cmi.suspend_data` of SCORM 1.2 (`CMIString4096`).
pub const SCORM12_MAX: usize = 4096;
/// `cmi.suspend_data` of SCORM 2004 (SPM of 64000 characters).
pub const SCORM2004_MAX: usize = 64000;
/// The smallest useful limit of a text field: below it the build warns, and uses it anyway (what
/// does not fit then is kept in the learner's browser, the runtime's safety net).
pub const FLOOR: usize = 150;
/// The largest limit given to a text field, whatever the room.
pub const CAP: usize = 4000;
/// A fill-in answer may be this long, or as long as its longest accepted answer.
pub const FILL_IN_MIN: usize = 100;

/// The shape hash: a u32 in base 36, at most 7 characters.
const HASH: usize = 7;
/// The runtime keeps a question's count of checks only below this.
pub const CHECKS_MAX: usize = 99;
/// The runtime keeps the number of retakes only below this.
pub const RETAKES_MAX: usize = 1_000_000;

fn digits(n: usize) -> usize {
    n.to_string().len()
}

/// Characters of a JSON list of numbers, given each number.
fn list(items: impl Iterator<Item = usize>) -> usize {
    let (mut len, mut n) = (2, 0usize);
    for i in items {
        len += digits(i);
        n += 1;
    }
    len + n.saturating_sub(1)
}

/// The longest a fill-in answer can be, in UTF-16 units (the `maxlength` of its box).
pub fn fill_in_max(answers: &[String]) -> usize {
    answers
        .iter()
        .map(|a| a.encode_utf16().count())
        .max()
        .unwrap_or(0)
        .max(FILL_IN_MIN)
}

/// The worst case of a module's state: fixed characters, and the number of free-text fields
/// (each costing `2 + 2 × limit` more).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Worst {
    pub fixed: usize,
    pub texts: usize,
}

impl Worst {
    /// The longest `suspend_data`, in characters, with `limit` characters per text field.
    pub fn length(self, limit: usize) -> usize {
        self.fixed + self.texts * 2 * limit
    }

    /// The largest per-field limit that keeps the worst case within `max` (`None`: no text
    /// field; `Some(0)`: not even the answers fit).
    pub fn limit(self, max: usize) -> Option<usize> {
        (self.texts > 0).then(|| max.saturating_sub(self.fixed) / (2 * self.texts))
    }
}

pub fn worst(module: &Module) -> Worst {
    let (mut a, mut b) = (Vec::new(), Vec::new());
    // Checks made, keyed by question index (a likert item is never checked).
    let mut t = Vec::new();
    let mut texts = 0;
    for block in module.blocks() {
        if let Block::Question(q) = block {
            t.push((a.len(), digits(most_checks(module, q.scored))));
        }
        match block {
            Block::Question(q) => a.push(match &q.kind {
                QuestionKind::SingleChoice { options, .. } => {
                    digits(options.len().saturating_sub(1))
                }
                QuestionKind::MultipleChoice { options, .. } => list(0..options.len()),
                QuestionKind::TrueFalse { .. } => 1,
                QuestionKind::FillIn { answers, .. } => 2 + 2 * fill_in_max(answers),
                QuestionKind::Matching { pairs } => list(std::iter::repeat_n(
                    pairs.len().saturating_sub(1),
                    pairs.len(),
                )),
                QuestionKind::Sequencing { items, .. } => list(0..items.len()),
            }),
            Block::Likert(l) => a.push(digits(l.scale.len().saturating_sub(1))),
            Block::Reflection(_) => {
                texts += 1;
                b.push(2);
            }
            Block::ActionPlan(p) => {
                texts += p.fields.len();
                // ["…","…"]
                b.push(2 + 2 * p.fields.len() + p.fields.len().saturating_sub(1));
            }
            Block::Scenario(s) => {
                let choices = s.steps.iter().map(|t| t.choices.len()).max().unwrap_or(1);
                b.push(list(
                    [s.steps.len().saturating_sub(1), choices.saturating_sub(1)].into_iter(),
                ));
            }
            Block::Reveal(_) | Block::Callout(_) | Block::CaseStudy(_) => {}
        }
    }
    let numbered =
        |values: &[usize]| -> Vec<(usize, usize)> { values.iter().copied().enumerate().collect() };
    // {"h":"…","v":"…","a":{…},"b":{…},"t":{…},"r":…}
    let mut fixed = r#"{"h":"","v":"","a":{},"b":{}}"#.len()
        + HASH
        + module.pages.len().div_ceil(4)
        + object(&numbered(&a))
        + object(&numbered(&b));
    if !t.is_empty() {
        fixed += r#","t":{}"#.len() + object(&t);
    }
    if module.answer_rules.retake {
        fixed += r#","r":"#.len() + digits(RETAKES_MAX - 1);
    }
    Worst { fixed, texts }
}

/// Characters of a JSON object's members `"key":value`, given each key and its value's length.
fn object(members: &[(usize, usize)]) -> usize {
    members
        .iter()
        .map(|&(k, v)| digits(k) + 3 + v)
        .sum::<usize>()
        + members.len().saturating_sub(1)
}

/// The most checks the runtime records for a question: a scored one locks after
/// `attempts_per_question`; a practice one can be checked again and again, and the runtime keeps
/// counts below [`CHECKS_MAX`] only.
fn most_checks(module: &Module, scored: bool) -> usize {
    if scored {
        usize::from(module.answer_rules.attempts.get())
    } else {
        CHECKS_MAX - 1
    }
}

/// The per-field limit of free text under a `max`-character budget: at least [`FLOOR`] (what does
/// not fit then stays in the browser), at most [`CAP`]; `None` without text fields.
pub fn text_limit(module: &Module, max: usize) -> Option<usize> {
    worst(module).limit(max).map(|l| l.clamp(FLOOR, CAP))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::course::model::*;
    use serde_json::{json, Map, Value};

    fn html(s: &str) -> Html {
        Html(s.into())
    }

    fn slug(s: &str) -> Slug {
        Slug::parse(s).unwrap()
    }

    fn question(id: &str, kind: QuestionKind) -> Block {
        Block::Question(Question {
            id: slug(id),
            prompt: html("p"),
            prompt_text: "p".into(),
            kind,
            feedback_correct: None,
            feedback_incorrect: None,
            weight: 1,
            scored: true,
        })
    }

    fn practice(mut block: Block) -> Block {
        if let Block::Question(q) = &mut block {
            q.scored = false;
        }
        block
    }

    fn options(n: usize) -> Vec<Choice> {
        (0..n)
            .map(|i| Choice {
                text: html("o"),
                correct: i == 0,
                feedback: None,
            })
            .collect()
    }

    fn module(pages: usize, reflections: usize, plan_fields: usize) -> Module {
        let mut blocks = vec![
            question(
                "q1",
                QuestionKind::SingleChoice {
                    options: options(12),
                    shuffle: true,
                },
            ),
            question(
                "q2",
                QuestionKind::MultipleChoice {
                    options: options(11),
                    shuffle: true,
                },
            ),
            question("q3", QuestionKind::TrueFalse { answer: true }),
            practice(question("q3p", QuestionKind::TrueFalse { answer: true })),
            question(
                "q4",
                QuestionKind::FillIn {
                    answers: vec!["x".repeat(130)],
                    case_sensitive: false,
                },
            ),
            question(
                "q5",
                QuestionKind::Matching {
                    pairs: (0..11)
                        .map(|_| Pair {
                            left: html("l"),
                            right: html("r"),
                        })
                        .collect(),
                },
            ),
            question(
                "q6",
                QuestionKind::Sequencing {
                    items: (0..10).map(|_| html("i")).collect(),
                    shown: (0..10).rev().collect(),
                },
            ),
            Block::Likert(Likert {
                id: slug("l1"),
                prompt: html("p"),
                scale: (0..5).map(|i| i.to_string()).collect(),
            }),
            Block::Scenario(Scenario {
                id: slug("s1"),
                title: "s".into(),
                intro: None,
                start: slug("a"),
                steps: (0..12)
                    .map(|i| Step {
                        id: slug(&format!("s{i}")),
                        text: html("t"),
                        choices: (0..3)
                            .map(|_| StepChoice {
                                text: html("c"),
                                consequence: None,
                                next: slug("a"),
                            })
                            .collect(),
                        outcome: None,
                    })
                    .collect(),
            }),
        ];
        for i in 0..reflections {
            blocks.push(Block::Reflection(Reflection {
                id: slug(&format!("r{i}")),
                prompt: html("p"),
                hint: None,
            }));
        }
        if plan_fields > 0 {
            blocks.push(Block::ActionPlan(ActionPlan {
                id: slug("plan"),
                title: "Plan".into(),
                intro: None,
                fields: (0..plan_fields)
                    .map(|i| ActionField {
                        id: slug(&format!("f{i}")),
                        label: "F".into(),
                    })
                    .collect(),
            }));
        }
        Module {
            id: slug("m"),
            title: "M".into(),
            description: "d".into(),
            duration: 5,
            objectives: vec!["o".into()],
            mastery_score: 80,
            completion: Completion::Pages,
            answer_rules: AnswerRules::default(),
            pages: (0..pages)
                .map(|i| Page {
                    id: slug(&format!("p{i}")),
                    title: "P".into(),
                    content: if i == 0 {
                        std::mem::take(&mut blocks)
                            .into_iter()
                            .map(Segment::Block)
                            .collect()
                    } else {
                        Vec::new()
                    },
                })
                .collect(),
            assets: Vec::new(),
        }
    }

    /// The longest state the runtime can hold for `m`, built independently and serialized as
    /// `JSON.stringify` does (serde_json escapes `"` and `\` the same way, and keeps non-ASCII).
    fn longest_state(m: &Module, limit: usize) -> String {
        let text = "\"\\".repeat(limit).chars().take(limit).collect::<String>();
        let (mut a, mut b, mut t) = (Map::new(), Map::new(), Map::new());
        for block in m.blocks() {
            if let Block::Question(q) = block {
                let checks = if q.scored {
                    usize::from(m.answer_rules.attempts.get())
                } else {
                    CHECKS_MAX - 1
                };
                t.insert(a.len().to_string(), json!(checks));
            }
            let value = match block {
                Block::Question(q) => match &q.kind {
                    QuestionKind::SingleChoice { options, .. } => json!(options.len() - 1),
                    QuestionKind::MultipleChoice { options, .. } => {
                        json!((0..options.len()).collect::<Vec<_>>())
                    }
                    QuestionKind::TrueFalse { .. } => json!(1),
                    QuestionKind::FillIn { answers, .. } => {
                        json!("\\".repeat(fill_in_max(answers)))
                    }
                    QuestionKind::Matching { pairs } => json!(vec![pairs.len() - 1; pairs.len()]),
                    QuestionKind::Sequencing { items, .. } => {
                        json!((0..items.len()).rev().collect::<Vec<_>>())
                    }
                },
                Block::Likert(l) => json!(l.scale.len() - 1),
                Block::Reflection(_) => json!(text),
                Block::ActionPlan(p) => json!(vec![text.clone(); p.fields.len()]),
                Block::Scenario(s) => json!([s.steps.len() - 1, 2]),
                _ => continue,
            };
            let map = match block {
                Block::Question(_) | Block::Likert(_) => &mut a,
                _ => &mut b,
            };
            map.insert(map.len().to_string(), value);
        }
        let mut state = json!({"h": "1z141z3", "v": "f".repeat(m.pages.len().div_ceil(4)), "a": Value::Object(a), "b": Value::Object(b)});
        if !t.is_empty() {
            state["t"] = Value::Object(t);
        }
        if m.answer_rules.retake {
            state["r"] = json!(RETAKES_MAX - 1);
        }
        // serde_json may order the keys differently from the runtime: the length is the same.
        serde_json::to_string(&state).unwrap()
    }

    #[test]
    fn the_worst_case_is_the_longest_state_exactly() {
        let rules = [
            AnswerRules::default(),
            AnswerRules {
                attempts: Attempts::new(10).unwrap(),
                retake: false,
                ..AnswerRules::default()
            },
        ];
        for (pages, reflections, fields) in
            [(1, 0, 0), (5, 1, 0), (9, 3, 4), (13, 12, 6), (2, 0, 3)]
        {
            for answer_rules in rules {
                let m = Module {
                    answer_rules,
                    ..module(pages, reflections, fields)
                };
                let w = worst(&m);
                assert_eq!(w.texts, reflections + fields);
                for limit in [0, 1, 150, 333] {
                    assert_eq!(
                        w.length(limit),
                        longest_state(&m, limit).len(),
                        "{pages} pages, {reflections} reflections, {fields} fields, limit {limit}, {answer_rules:?}"
                    );
                }
            }
        }
    }

    #[test]
    fn the_limit_keeps_the_worst_case_within_the_budget() {
        for (reflections, fields) in [(1, 0), (2, 3), (5, 5), (12, 6)] {
            let m = module(6, reflections, fields);
            let w = worst(&m);
            let limit = w.limit(SCORM12_MAX).unwrap();
            assert!(w.length(limit) <= SCORM12_MAX);
            assert!(
                w.length(limit + 1) > SCORM12_MAX,
                "the limit is the largest that fits"
            );
            assert!(longest_state(&m, limit).len() <= SCORM12_MAX);
            assert_eq!(text_limit(&m, SCORM12_MAX), Some(limit.clamp(FLOOR, CAP)));
        }
        // 18 text fields leave fewer than 150 characters each under SCORM 1.2, not under 2004.
        let crowded = module(6, 12, 6);
        assert!(worst(&crowded).limit(SCORM12_MAX).unwrap() < FLOOR);
        assert_eq!(text_limit(&crowded, SCORM12_MAX), Some(FLOOR));
        assert_eq!(
            text_limit(&crowded, SCORM2004_MAX),
            Some(SCORM2004_MAX.saturating_sub(worst(&crowded).fixed) / 36)
        );
        assert_eq!(text_limit(&module(1, 0, 0), SCORM12_MAX), None);
        assert_eq!(text_limit(&module(1, 1, 0), SCORM2004_MAX), Some(CAP));
    }
}
