//! xAPI through a Tin Can launch: `tincan.xml` at the package root.
//!
//! `<activities>` holds one flat list whose first activity is the only launchable one (Moodle's
//! mod_tincanlaunch reads the first activity only): the module of a module package, the course of a
//! course package (whose launch page links to the modules' pages). The modules (in a course
//! package) and every question and likert item follow, with their interaction definitions, so an
//! LRS or LMS can name them. Ids come from [`activity_iri`].

use super::scorm::{self, Sco};
use super::xml::Xml;
use super::{activity_iri, Target, Unit};
use crate::course::model::{Block, Course, Module, QuestionKind};
use crate::package::{Content, Tree};
use crate::render::{self, Api};
use crate::validate::xsd::SchemaSet;

pub struct Xapi;

pub const DESCRIPTOR: &str = "tincan.xml";

pub const TYPE_COURSE: &str = "http://adlnet.gov/expapi/activities/course";
pub const TYPE_MODULE: &str = "http://adlnet.gov/expapi/activities/module";
pub const TYPE_INTERACTION: &str = "http://adlnet.gov/expapi/activities/cmi.interaction";

impl Target for Xapi {
    fn name(&self) -> &'static str {
        "xapi"
    }

    fn layout(&self, course: &Course, unit: Unit) -> Result<Tree, String> {
        let (mut tree, scos) = scorm::layout(course, unit, Api::Xapi, None)?;
        if tree.contains_key(DESCRIPTOR) {
            return Err(format!("a course file clashes with `{DESCRIPTOR}`"));
        }
        if matches!(unit, Unit::Course) {
            if tree.contains_key(render::INDEX) {
                return Err(format!(
                    "a course file clashes with the course menu `{}`",
                    render::INDEX
                ));
            }
            let entries: Vec<(String, String)> = scos
                .iter()
                .map(|s| (s.href.clone(), s.module.title.clone()))
                .collect();
            tree.insert(
                render::INDEX.into(),
                Content::bytes(render::menu_page(course, &entries)?),
            );
        }
        tree.insert(
            DESCRIPTOR.into(),
            Content::bytes(tincan_xml(course, unit, &scos)),
        );
        Ok(tree)
    }

    fn check(&self, tree: &Tree) -> Vec<String> {
        scorm::check_descriptor(tree, DESCRIPTOR, SchemaSet::TinCan)
    }
}

const LETTERS: &[u8] = b"abcdefghijklmnopqrstuvwxyz";

fn letter(i: usize) -> String {
    char::from(LETTERS[i % 26]).to_string()
}

struct Writer<'a> {
    x: Xml,
    lang: &'a str,
}

impl Writer<'_> {
    fn text(&mut self, el: &str, t: &str) {
        self.x.leaf(el, &[("lang", self.lang)], t);
    }

    /// `<el><component><id/><description/></component>…</el>`
    fn components(&mut self, el: &str, items: &[(String, String)]) {
        self.x.open(el, &[]);
        for (id, d) in items {
            self.x.open("component", &[]).leaf("id", &[], id);
            self.text("description", d);
            self.x.close("component");
        }
        self.x.close(el);
    }

    fn patterns(&mut self, patterns: &[String]) {
        if patterns.is_empty() {
            return;
        }
        self.x.open("correctResponsePatterns", &[]);
        for p in patterns {
            self.x.leaf("correctResponsePattern", &[], p);
        }
        self.x.close("correctResponsePatterns");
    }
}

pub fn tincan_xml(course: &Course, unit: Unit, scos: &[Sco]) -> Vec<u8> {
    let mut w = Writer {
        x: Xml::new(),
        lang: &course.language,
    };
    w.x.open(
        "tincan",
        &[("xmlns", "http://projecttincan.com/tincan.xsd")],
    )
    .open("activities", &[]);
    let launch_lang = course.language.to_ascii_lowercase();
    match unit {
        Unit::Module(_) => {
            for sco in scos {
                activity(&mut w, course, sco.module, Some((&sco.href, &launch_lang)));
            }
        }
        Unit::Course => {
            let id = activity_iri(course, &[]);
            w.x.open("activity", &[("id", &id), ("type", TYPE_COURSE)]);
            w.text("name", &course.title);
            w.text("description", &course.description);
            w.x.leaf("launch", &[("lang", &launch_lang)], render::INDEX);
            w.x.close("activity");
            for sco in scos {
                activity(&mut w, course, sco.module, None);
            }
        }
    }
    for sco in scos {
        questions(&mut w, course, sco.module);
    }
    w.x.close("activities").close("tincan");
    w.x.finish()
}

fn activity(w: &mut Writer, course: &Course, m: &Module, launch: Option<(&str, &str)>) {
    let id = activity_iri(course, &[m.id.as_str()]);
    w.x.open("activity", &[("id", &id), ("type", TYPE_MODULE)]);
    w.text("name", &m.title);
    w.text("description", &m.description);
    if let Some((href, lang)) = launch {
        w.x.leaf("launch", &[("lang", lang)], href);
    }
    w.x.close("activity");
}

/// One activity per question and likert item, with the interaction definition the runtime also
/// sends in its `answered` statements (component ids: letters for options and items, `0`, `1`, …
/// for matching sources, `1`…`n` for likert points; sequencing items are `choices`, as xAPI
/// defines them).
fn questions(w: &mut Writer, course: &Course, m: &Module) {
    let text = |h: &str| render::plain_text(h);
    for block in m.blocks() {
        let (id, prompt) = match block {
            Block::Question(q) => (q.id.as_str(), q.prompt_text.clone()),
            Block::Likert(l) => (l.id.as_str(), text(l.prompt.as_str())),
            _ => continue,
        };
        let iri = activity_iri(course, &[m.id.as_str(), id]);
        w.x.open("activity", &[("id", &iri), ("type", TYPE_INTERACTION)]);
        w.text("name", id);
        w.text("description", &prompt);
        match block {
            Block::Likert(l) => {
                w.x.leaf("interactionType", &[], "likert");
                let scale: Vec<(String, String)> = l
                    .scale
                    .iter()
                    .enumerate()
                    .map(|(i, s)| ((i + 1).to_string(), s.clone()))
                    .collect();
                w.components("scale", &scale);
            }
            Block::Question(q) => match &q.kind {
                QuestionKind::SingleChoice { options, .. }
                | QuestionKind::MultipleChoice { options, .. } => {
                    w.x.leaf("interactionType", &[], "choice");
                    let correct: Vec<String> = options
                        .iter()
                        .enumerate()
                        .filter(|(_, o)| o.correct)
                        .map(|(i, _)| letter(i))
                        .collect();
                    w.patterns(&[correct.join("[,]")]);
                    let choices: Vec<(String, String)> = options
                        .iter()
                        .enumerate()
                        .map(|(i, o)| (letter(i), text(o.text.as_str())))
                        .collect();
                    w.components("choices", &choices);
                }
                QuestionKind::TrueFalse { answer } => {
                    w.x.leaf("interactionType", &[], "true-false");
                    w.patterns(&[answer.to_string()]);
                }
                QuestionKind::FillIn {
                    answers,
                    case_sensitive,
                } => {
                    w.x.leaf("interactionType", &[], "fill-in");
                    let prefix = if *case_sensitive {
                        "{case_matters=true}"
                    } else {
                        ""
                    };
                    let p: Vec<String> = answers
                        .iter()
                        .take(5)
                        .map(|a| format!("{prefix}{}", a.trim()))
                        .collect();
                    w.patterns(&p);
                }
                QuestionKind::Matching { pairs } => {
                    w.x.leaf("interactionType", &[], "matching");
                    let p: Vec<String> = (0..pairs.len())
                        .map(|i| format!("{i}[.]{}", letter(i)))
                        .collect();
                    w.patterns(&[p.join("[,]")]);
                    let source: Vec<(String, String)> = pairs
                        .iter()
                        .enumerate()
                        .map(|(i, p)| (i.to_string(), text(p.left.as_str())))
                        .collect();
                    let target: Vec<(String, String)> = pairs
                        .iter()
                        .enumerate()
                        .map(|(i, p)| (letter(i), text(p.right.as_str())))
                        .collect();
                    w.components("source", &source);
                    w.components("target", &target);
                }
                QuestionKind::Sequencing { items, .. } => {
                    w.x.leaf("interactionType", &[], "sequencing");
                    let p: Vec<String> = (0..items.len()).map(letter).collect();
                    w.patterns(&[p.join("[,]")]);
                    let steps: Vec<(String, String)> = items
                        .iter()
                        .enumerate()
                        .map(|(i, s)| (letter(i), text(s.as_str())))
                        .collect();
                    w.components("choices", &steps);
                }
            },
            _ => {}
        }
        w.x.close("activity");
    }
}
