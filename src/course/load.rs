//! Read a course folder into a checked [`Course`], collecting every problem on the way.

use super::blocks::{self, DeclaredId};
use super::budget;
use super::markdown::{self, Context, Piece};
use super::model::*;
use super::raw;
use super::yaml::Embedded;
use crate::diagnostics::{Diagnostic, Diagnostics, Location, SourceFile};
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::sync::Arc;

/// Source files larger than this are refused: no course page is anywhere near it, and it keeps a
/// stray binary or a generated monster from eating memory.
const MAX_SOURCE_BYTES: u64 = 4 << 20;

/// Why a course could not be loaded.
#[derive(Debug)]
pub enum LoadError {
    /// The folder or `course.yaml` cannot be read at all: a usage or I/O problem (exit 2).
    Io(String),
    /// The sources have errors (exit 1).
    Content(Diagnostics),
}

/// A loaded course and the warnings found on the way.
#[derive(Debug)]
pub struct Loaded {
    pub course: Course,
    pub warnings: Diagnostics,
}

pub fn load(root: &Path) -> Result<Loaded, LoadError> {
    let course_yaml = root.join("course.yaml");
    if !root.is_dir() {
        return Err(LoadError::Io(format!(
            "course folder `{}` does not exist (create one with `lmspack new {}`)",
            root.display(),
            root.display()
        )));
    }
    let file = match read_source(&course_yaml) {
        Ok(f) => f,
        Err(e) => {
            return Err(LoadError::Io(format!(
                "cannot read `{}`: {e}",
                course_yaml.display()
            )))
        }
    };
    let mut loader = Loader {
        root,
        diagnostics: Diagnostics::default(),
        block_ids: Vec::new(),
    };
    let course = loader.course(&file);
    let diagnostics = loader.diagnostics.sorted();
    match course {
        Some(course) if !diagnostics.has_errors() => Ok(Loaded {
            course,
            warnings: diagnostics,
        }),
        _ => Err(LoadError::Content(diagnostics)),
    }
}

/// Read a text file: size-capped, BOM dropped, CRLF folded to LF so positions are simple.
fn read_source(path: &Path) -> Result<Arc<SourceFile>, String> {
    let meta = std::fs::metadata(path).map_err(|e| e.to_string())?;
    if !meta.is_file() {
        return Err("not a file".into());
    }
    if meta.len() > MAX_SOURCE_BYTES {
        return Err(format!(
            "the file is {} bytes; source files are limited to {MAX_SOURCE_BYTES}",
            meta.len()
        ));
    }
    let bytes = std::fs::read(path).map_err(|e| e.to_string())?;
    let text = String::from_utf8(bytes)
        .map_err(|e| format!("not UTF-8 (byte {})", e.utf8_error().valid_up_to()))?;
    let text = text
        .strip_prefix('\u{feff}')
        .unwrap_or(&text)
        .replace("\r\n", "\n");
    Ok(SourceFile::new(path, text))
}

struct Loader<'a> {
    root: &'a Path,
    diagnostics: Diagnostics,
    block_ids: Vec<DeclaredId>,
}

impl Loader<'_> {
    fn error(
        &mut self,
        at: Location,
        code: &'static str,
        message: impl Into<String>,
        hint: impl Into<String>,
    ) {
        self.diagnostics
            .push(Diagnostic::error(code, message).at(at).hint(hint));
    }

    fn parse<T: serde::de::DeserializeOwned>(
        &mut self,
        doc: &Embedded,
        text: &str,
        what: &str,
    ) -> Option<T> {
        doc.parse(text, what)
            .map_err(|d| self.diagnostics.extend(d))
            .ok()
    }

    fn slug(&mut self, doc: &Embedded, raw: &serde_saphyr::Spanned<String>) -> Option<Slug> {
        let slug = Slug::parse(&raw.value);
        if slug.is_none() {
            self.error(
                doc.of(raw),
                "bad-id",
                format!("`{}` is not a valid id", raw.value),
                format!(
                    "use lowercase letters, digits and `-` (at most 64), e.g. `{}`",
                    Slug::suggest(&raw.value)
                ),
            );
        }
        slug
    }

    fn course(&mut self, file: &Arc<SourceFile>) -> Option<Course> {
        let doc = Embedded::whole(file);
        let raw: raw::CourseFile = self.parse(&doc, &file.text, "course.yaml")?;
        let id = self.slug(&doc, &raw.id);
        if !is_language_tag(&raw.language.value) {
            self.error(
                doc.of(&raw.language),
                "bad-value",
                format!("`{}` is not a BCP 47 language tag", raw.language.value),
                "use a tag such as `en-GB`, `en` or `cy-GB`",
            );
        }
        if !is_semver(&raw.version.value) {
            self.error(
                doc.of(&raw.version),
                "bad-value",
                format!("`{}` is not a semantic version", raw.version.value),
                "use MAJOR.MINOR.PATCH, e.g. `1.0.0`",
            );
        }
        if raw.authors.is_empty() {
            self.error(
                Location::file_start(file),
                "bad-count",
                "`authors` is empty",
                "name at least one author or team",
            );
        }
        if raw.modules.is_empty() {
            self.error(
                Location::file_start(file),
                "bad-count",
                "`modules` is empty",
                "list the module folders in course order",
            );
        }
        let course_keys = raw::AnswerKeys {
            review: raw.review,
            attempts_per_question: raw.attempts_per_question,
            retake: raw.retake,
            shuffle: raw.shuffle,
        };
        let answer_rules = self.answer_rules(&doc, course_keys, AnswerRules::default());
        let theme = self.theme(&doc, raw.theme);
        let cmi5_blocks = raw.xapi.as_ref().is_some_and(|x| x.cmi5_blocks);
        let activity_base = self.activity_base(&doc, raw.xapi);
        let targets: Vec<String> = raw
            .targets
            .unwrap_or_default()
            .into_iter()
            .map(|t| t.value)
            .collect();

        let mut modules: Vec<Module> = Vec::new();
        let mut module_ids: Vec<(Slug, Location)> = Vec::new();
        for folder in &raw.modules {
            let at = doc.of(folder);
            let defaults = answer_rules.unwrap_or_default();
            let Some(module) = self.module(folder, &at, defaults) else {
                continue;
            };
            let here = module.1;
            if let Some((_, first)) = module_ids.iter().find(|(m, _)| *m == module.0.id) {
                self.diagnostics.push(
                    Diagnostic::error(
                        "duplicate-id",
                        format!("module id `{}` is used twice", module.0.id),
                    )
                    .at(here)
                    .related(first.clone(), "first used here")
                    .hint("module ids identify packages and LMS records: give each module its own"),
                );
                continue;
            }
            module_ids.push((module.0.id.clone(), here));
            modules.push(module.0);
        }
        self.duplicate_block_ids();
        if targets.is_empty() || targets.iter().any(|t| t == "scorm12" || t == "all") {
            for m in &modules {
                self.text_budget(m);
            }
        }
        answer_rules?;
        Some(Course {
            id: id?,
            title: raw.title,
            language: raw.language.value,
            version: raw.version.value,
            description: raw.description,
            authors: raw.authors,
            licence: raw.licence,
            keywords: raw.keywords,
            theme: theme?,
            targets,
            activity_base: activity_base?,
            cmi5_blocks,
            modules,
        })
    }

    /// The answer rules of course.yaml or of a module.yaml: each key given in `keys`, else the
    /// value `inherited` (the defaults, or the course's). `None` when a value is refused
    /// (reported).
    fn answer_rules(
        &mut self,
        doc: &Embedded,
        keys: raw::AnswerKeys,
        inherited: AnswerRules,
    ) -> Option<AnswerRules> {
        let attempts = match &keys.attempts_per_question {
            None => inherited.attempts,
            Some(n) => self.attempts(doc, n)?,
        };
        let rules = AnswerRules {
            review: keys.review.as_ref().map_or(inherited.review, |r| r.value),
            attempts,
            retake: keys.retake.unwrap_or(inherited.retake),
            shuffle: keys.shuffle.unwrap_or(inherited.shuffle),
        };
        self.retries_have_a_verdict(doc, &keys, rules)
            .then_some(rules)
    }

    /// `attempts_per_question`: 1–[`Attempts::MAX`].
    fn attempts(&mut self, doc: &Embedded, n: &serde_saphyr::Spanned<u32>) -> Option<Attempts> {
        let attempts = Attempts::new(n.value);
        if attempts.is_none() {
            self.error(
                doc.of(n),
                "out-of-range",
                format!("attempts_per_question {} is out of range", n.value),
                format!(
                    "a scored question can be checked 1–{} times before it locks; 1 (the default) locks it after the first check",
                    Attempts::MAX
                ),
            );
        }
        attempts
    }

    /// More than one check per question only makes sense when the learner is told whether the
    /// answer is right: with `review: none` a second check is a blind guess (and the runtime
    /// would give the verdict away by offering it only after a wrong answer). The clash is
    /// reported at this file's own key; one made only of inherited values is the course's, and
    /// reported there.
    fn retries_have_a_verdict(
        &mut self,
        doc: &Embedded,
        keys: &raw::AnswerKeys,
        rules: AnswerRules,
    ) -> bool {
        if rules.review != Review::None || rules.attempts == Attempts::ONE {
            return true;
        }
        let here = keys
            .attempts_per_question
            .as_ref()
            .map(|n| doc.of(n))
            .or_else(|| keys.review.as_ref().map(|r| doc.of(r)));
        let Some(at) = here else {
            return true;
        };
        self.error(
            at,
            "bad-combination",
            format!(
                "`attempts_per_question: {}` with `review: none`: learners are not told whether an answer is right, so they cannot know whether to check it again",
                rules.attempts.get()
            ),
            "use `review: feedback` or `review: answers` to allow more than one check, or keep `attempts_per_question: 1` with `review: none`",
        );
        false
    }

    /// `xapi.activity_base`: an absolute IRI (scheme, `:`, no white space) without a query or a
    /// fragment, since activity ids are made by appending `/<id>` to it.
    fn activity_base(
        &mut self,
        doc: &Embedded,
        raw: Option<raw::XapiFile>,
    ) -> Option<Option<String>> {
        let Some(base) = raw.and_then(|x| x.activity_base) else {
            return Some(None);
        };
        let v = base.value.trim();
        if !crate::validate::cmi5::is_iri(v) || v.contains(['?', '#']) {
            self.error(
                doc.of(&base),
                "bad-value",
                format!("`{}` is not an absolute IRI without query or fragment", base.value),
                "use an IRI you control, e.g. `https://learning.example.org/xapi/my-course`, or leave it out for `urn:uuid:` ids",
            );
            return None;
        }
        Some(Some(v.trim_end_matches('/').to_owned()))
    }

    fn theme(&mut self, doc: &Embedded, raw: Option<raw::ThemeFile>) -> Option<Theme> {
        let raw = raw.unwrap_or(raw::ThemeFile {
            colour: None,
            logo: None,
            logo_alt: None,
        });
        let colour = match raw.colour {
            None => "#1d4f91".to_owned(),
            Some(c) if is_hex_colour(&c.value) => {
                let white = (255, 255, 255);
                let ratio = crate::render::parse_hex(&c.value)
                    .map_or(21.0, |rgb| crate::render::contrast(rgb, white));
                if ratio < 4.5 {
                    self.diagnostics.push(
                        Diagnostic::warning("low-contrast", format!("the brand colour has a contrast of {ratio:.1}:1 with white"))
                            .at(doc.of(&c))
                            .hint("WCAG 2.2 AA needs 4.5:1 for text; choose a darker colour (lmspack falls back to dark text where the brand colour would be unreadable)"),
                    );
                }
                c.value.to_ascii_lowercase()
            }
            Some(c) => {
                self.error(
                    doc.of(&c),
                    "bad-value",
                    format!("`{}` is not a colour", c.value),
                    "write it as #rrggbb, e.g. \"#1d4f91\" (quoted: # starts a YAML comment)",
                );
                return None;
            }
        };
        let logo = match raw.logo {
            None => None,
            Some(path) => {
                let at = doc.of(&path);
                let rel = markdown::normalize(&path.value);
                let Some(rel) = rel.filter(|r| self.root.join(r).is_file()) else {
                    self.error(
                        at,
                        "missing-asset",
                        format!("logo `{}` does not exist", path.value),
                        "give the path relative to the course folder",
                    );
                    return None;
                };
                let Some(alt) = raw.logo_alt.filter(|a| !a.trim().is_empty()) else {
                    self.error(
                        at,
                        "missing-key",
                        "the logo has no `logo_alt`",
                        "describe the logo, e.g. `logo_alt: Anytown Libraries`",
                    );
                    return None;
                };
                Some(Logo {
                    asset: Asset {
                        source: self.root.join(&rel),
                        path: rel,
                    },
                    alt,
                })
            }
        };
        Some(Theme { colour, logo })
    }

    /// Load one module, its answer rules defaulting to `defaults` (the course's); returns it
    /// with the location of its id.
    fn module(
        &mut self,
        folder: &serde_saphyr::Spanned<String>,
        at: &Location,
        defaults: AnswerRules,
    ) -> Option<(Module, Location)> {
        let Some(dir_rel) = markdown::normalize(&folder.value).filter(|d| !d.contains('/')) else {
            self.error(
                at.clone(),
                "bad-value",
                format!("`{}` is not a module folder name", folder.value),
                "list folder names directly inside the course folder",
            );
            return None;
        };
        let dir = self.root.join(&dir_rel);
        let yaml_path = dir.join("module.yaml");
        if !dir.is_dir() {
            let mut d = Diagnostic::error(
                "missing-module",
                format!("module folder `{}` does not exist", folder.value),
            )
            .at(at.clone())
            .label("no such folder");
            if let Some(s) = markdown::nearby_file(&dir) {
                d = d.hint(format!("did you mean `{s}`?"));
            }
            self.diagnostics
                .push(d.hint("create the folder with a module.yaml, or remove it from `modules`"));
            return None;
        }
        let file = match read_source(&yaml_path) {
            Ok(f) => f,
            Err(e) => {
                self.error(
                    at.clone(),
                    "missing-module",
                    format!("cannot read `{}`: {e}", yaml_path.display()),
                    "every module folder needs a module.yaml",
                );
                return None;
            }
        };
        let doc = Embedded::whole(&file);
        let raw: raw::ModuleFile = self.parse(&doc, &file.text, "module.yaml")?;
        let id_at = doc.of(&raw.id);
        let id = self.slug(&doc, &raw.id);
        let module_keys = raw::AnswerKeys {
            review: raw.review,
            attempts_per_question: raw.attempts_per_question,
            retake: raw.retake,
            shuffle: raw.shuffle,
        };
        let answer_rules = self.answer_rules(&doc, module_keys, defaults);
        if !(1..=600).contains(&raw.duration.value) {
            self.error(
                doc.of(&raw.duration),
                "out-of-range",
                format!("duration {} is out of range", raw.duration.value),
                "give the typical time in minutes, 1–600",
            );
        }
        if raw.mastery_score.value > 100 {
            self.error(
                doc.of(&raw.mastery_score),
                "out-of-range",
                format!("mastery_score {} is out of range", raw.mastery_score.value),
                "the pass mark is a percentage, 0–100",
            );
        }
        if raw.objectives.is_empty() {
            self.error(
                Location::file_start(&file),
                "bad-count",
                "`objectives` is empty",
                "say what the learner will be able to do, at least one objective",
            );
        }
        if raw.pages.is_empty() {
            self.error(
                Location::file_start(&file),
                "bad-count",
                "`pages` is empty",
                "list the module's Markdown pages in order",
            );
        }

        let mut assets = BTreeMap::new();
        let mut pages: Vec<Page> = Vec::new();
        let mut page_ids: Vec<(Slug, Location)> = Vec::new();
        for entry in &raw.pages {
            let entry_at = doc.of(entry);
            let rules = answer_rules.unwrap_or(defaults);
            let Some(page) = self.page(&dir_rel, entry, &entry_at, &rules, &mut assets) else {
                continue;
            };
            if let Some((_, first)) = page_ids.iter().find(|(p, _)| *p == page.0.id) {
                self.diagnostics.push(
                    Diagnostic::error(
                        "duplicate-id",
                        format!("page id `{}` is used twice in this module", page.0.id),
                    )
                    .at(page.1)
                    .related(first.clone(), "first used here")
                    .hint("give each page its own id"),
                );
                continue;
            }
            page_ids.push((page.0.id.clone(), page.1));
            pages.push(page.0);
        }
        self.unused_files(&dir, &file, &assets);
        let module = Module {
            id: id?,
            title: raw.title,
            description: raw.description,
            duration: raw.duration.value,
            objectives: raw.objectives,
            mastery_score: u8::try_from(raw.mastery_score.value)
                .ok()
                .filter(|m| *m <= 100)?,
            completion: raw.completion,
            answer_rules: answer_rules?,
            pages,
            assets: assets.into_values().collect(),
        };
        if module.completion != Completion::Pages && !module.is_scored() && !module.pages.is_empty()
        {
            self.error(
                id_at.clone(),
                "no-assessment",
                format!(
                    "module `{}` has `completion: {}` but no scored question",
                    module.id,
                    completion_name(module.completion)
                ),
                "use `completion: pages`, or add scored questions",
            );
        }
        Some((module, id_at))
    }

    /// Load one page of a module whose answer rules are `rules`.
    fn page(
        &mut self,
        dir_rel: &str,
        entry: &serde_saphyr::Spanned<String>,
        at: &Location,
        rules: &AnswerRules,
        assets: &mut BTreeMap<String, Asset>,
    ) -> Option<(Page, Location)> {
        let Some(rel) = markdown::normalize(&format!("{dir_rel}/{}", entry.value))
            .filter(|r| r.starts_with(&format!("{dir_rel}/")))
        else {
            self.error(
                at.clone(),
                "bad-value",
                format!("page `{}` is outside the module folder", entry.value),
                "give the page path relative to the module folder",
            );
            return None;
        };
        let path: PathBuf = self.root.join(&rel);
        let file = match read_source(&path) {
            Ok(f) => f,
            Err(e) => {
                let mut d = Diagnostic::error(
                    "missing-page",
                    format!("page `{}` cannot be read: {e}", entry.value),
                )
                .at(at.clone())
                .label("listed here");
                if let Some(s) = markdown::nearby_file(&path) {
                    d = d.hint(format!("did you mean `{s}`?"));
                }
                self.diagnostics
                    .push(d.hint("create the file, or remove it from `pages`"));
                return None;
            }
        };
        let Some((yaml, body, body_offset)) = markdown::split_front_matter(&file.text) else {
            self.error(
                Location::file_start(&file),
                "missing-front-matter",
                "the page has no front matter",
                "start the page with\n---\nid: my-page\ntitle: My page\n---",
            );
            return None;
        };
        let doc = Embedded {
            file: Arc::clone(&file),
            line_offset: 1,
            column_offset: 0,
        };
        let front: raw::FrontMatter = self.parse(&doc, yaml, "the front matter")?;
        let id_at = doc.of(&front.id);
        let id = self.slug(&doc, &front.id);
        let page_dir = rel
            .rsplit_once('/')
            .map_or(String::new(), |(d, _)| d.to_owned());
        let mut cx = Context {
            course_root: self.root,
            file: &file,
            dir: page_dir,
            assets,
            diagnostics: &mut self.diagnostics,
        };
        let pieces = markdown::page(body, body_offset, &mut cx);
        let mut content = Vec::new();
        for piece in pieces {
            match piece {
                Piece::Html(h) => content.push(Segment::Html(h)),
                Piece::Block {
                    kind,
                    yaml,
                    line_offset,
                    column_offset,
                    fence,
                } => {
                    let doc = Embedded {
                        file: Arc::clone(&file),
                        line_offset,
                        column_offset,
                    };
                    if let Some(b) = blocks::block(
                        &kind,
                        &yaml,
                        &doc,
                        &fence,
                        rules,
                        &mut cx,
                        &mut self.block_ids,
                    ) {
                        content.push(Segment::Block(b));
                    }
                }
            }
        }
        Some((
            Page {
                id: id?,
                title: front.title,
                content,
            },
            id_at,
        ))
    }

    /// Files in a module folder that no page uses: probably a typo in a path, or left-overs.
    fn unused_files(
        &mut self,
        dir: &Path,
        module_yaml: &Arc<SourceFile>,
        assets: &BTreeMap<String, Asset>,
    ) {
        let mut stack = vec![dir.to_path_buf()];
        let mut unused = Vec::new();
        while let Some(d) = stack.pop() {
            let Ok(entries) = std::fs::read_dir(&d) else {
                continue;
            };
            for e in entries.flatten() {
                let name = e.file_name().to_string_lossy().into_owned();
                if name.starts_with('.') || name == "__MACOSX" || name == "Thumbs.db" {
                    continue;
                }
                let path = e.path();
                match e.file_type() {
                    Ok(t) if t.is_dir() => stack.push(path),
                    Ok(t) if t.is_file() => {
                        let rel = markdown::relative(self.root, &path);
                        let source =
                            rel.ends_with(".md") || rel.ends_with(".yaml") || rel.ends_with(".yml");
                        if !source && !assets.contains_key(&rel) {
                            unused.push(rel);
                        }
                    }
                    _ => {}
                }
            }
        }
        unused.sort();
        for rel in unused {
            self.diagnostics.push(
                Diagnostic::warning(
                    "unused-file",
                    format!("`{rel}` is not used by any page of this module"),
                )
                .at(Location::file_start(module_yaml))
                .hint("it is not copied into the package; reference it from a page, or delete it"),
            );
        }
    }

    /// Warn when SCORM 1.2's 4096 characters of `suspend_data` leave the module's text fields
    /// less than [`budget::FLOOR`] characters each (see [`budget`]).
    fn text_budget(&mut self, module: &Module) {
        let worst = budget::worst(module);
        let Some(limit) = worst
            .limit(budget::SCORM12_MAX)
            .filter(|l| *l < budget::FLOOR)
        else {
            return;
        };
        let texts: Vec<&Slug> = module
            .blocks()
            .filter(|b| matches!(b, Block::Reflection(_) | Block::ActionPlan(_)))
            .filter_map(Block::id)
            .collect();
        let at = |id: &Slug| {
            self.block_ids
                .iter()
                .find(|d| &d.id == id)
                .map(|d| d.at.clone())
        };
        let Some(first) = texts.first().and_then(|id| at(id)) else {
            return;
        };
        let mut d = Diagnostic::warning(
            "text-budget",
            format!(
                "under SCORM 1.2, module `{}` leaves its {} text fields {limit} characters each in suspend_data (fewer than {})",
                module.id,
                worst.texts,
                budget::FLOOR
            ),
        )
        .at(first)
        .label("free text here and in the module's other text fields")
        .hint(format!(
            "SCORM 1.2 keeps 4096 characters of learner state; the fields get {} characters, and what does not fit is kept in the learner's browser only",
            budget::FLOOR
        ))
        .hint("split the module, or use fewer reflection and action-plan fields (SCORM 2004, xAPI and cmi5 have room)");
        for id in texts.iter().skip(1).take(3) {
            if let Some(l) = at(id) {
                d = d.related(l, "another text field");
            }
        }
        self.diagnostics.push(d);
    }

    fn duplicate_block_ids(&mut self) {
        let mut first: BTreeMap<&Slug, &Location> = BTreeMap::new();
        for d in &self.block_ids {
            match first.get(&d.id) {
                Some(f) => self.diagnostics.push(
                    Diagnostic::error("duplicate-id", format!("block id `{}` is used twice", d.id))
                        .at(d.at.clone())
                        .label("second use")
                        .related((*f).clone(), "first used here")
                        .hint("block ids are unique in the whole course: LMS records are keyed on them"),
                ),
                None => {
                    first.insert(&d.id, &d.at);
                }
            }
        }
    }
}

fn completion_name(c: Completion) -> &'static str {
    match c {
        Completion::Pages => "pages",
        Completion::Assessment => "assessment",
        Completion::Both => "both",
    }
}

/// A pragmatic BCP 47 check: a 2–3 letter language, then subtags of 1–8 letters or digits.
fn is_language_tag(s: &str) -> bool {
    let mut parts = s.split('-');
    let lang = parts.next().unwrap_or("");
    (2..=3).contains(&lang.len())
        && lang.bytes().all(|b| b.is_ascii_alphabetic())
        && parts.all(|p| (1..=8).contains(&p.len()) && p.bytes().all(|b| b.is_ascii_alphanumeric()))
}

fn is_semver(s: &str) -> bool {
    let core = s.split(['-', '+']).next().unwrap_or("");
    let nums: Vec<&str> = core.split('.').collect();
    nums.len() == 3
        && nums.iter().all(|n| {
            !n.is_empty()
                && n.bytes().all(|b| b.is_ascii_digit())
                && (n.len() == 1 || !n.starts_with('0'))
        })
}

fn is_hex_colour(s: &str) -> bool {
    s.len() == 7 && s.starts_with('#') && s[1..].bytes().all(|b| b.is_ascii_hexdigit())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn value_checks() {
        assert!(is_language_tag("en-GB") && is_language_tag("cy") && is_language_tag("zh-Hant-TW"));
        assert!(!is_language_tag("english") && !is_language_tag("en_GB") && !is_language_tag(""));
        assert!(is_semver("1.0.0") && is_semver("0.10.2-beta.1"));
        assert!(!is_semver("1.0") && !is_semver("01.0.0") && !is_semver("v1.0.0"));
        assert!(is_hex_colour("#1D4f91") && !is_hex_colour("1d4f91") && !is_hex_colour("#12345"));
    }
}
