//! Numbers about a course for authors: words, reading time, block counts and Flesch reading ease
//! per page (the course aims at ≥ 60, "plain English").

use super::model::{Block, Course, Html, Module, Page, Segment};
use serde::Serialize;
use std::collections::BTreeMap;

/// Reading speed for estimated minutes: a slow, careful reader (plain-English guidance uses 200 wpm).
const WORDS_PER_MINUTE: f64 = 200.0;
/// Time an interactive block takes beyond its words.
const MINUTES_PER_INTERACTION: f64 = 0.75;

#[derive(Debug, Serialize)]
pub struct PageStats {
    pub id: String,
    pub title: String,
    pub words: usize,
    /// `None` for a page with too little text to measure.
    pub reading_ease: Option<f64>,
}

#[derive(Debug, Serialize)]
pub struct ModuleStats {
    pub id: String,
    pub title: String,
    pub pages: Vec<PageStats>,
    pub words: usize,
    pub estimated_minutes: u32,
    pub declared_minutes: u32,
    pub scored_questions: usize,
    /// Block kind → count.
    pub blocks: BTreeMap<&'static str, usize>,
    pub lowest_reading_ease: Option<f64>,
}

pub fn course(course: &Course) -> Vec<ModuleStats> {
    course.modules.iter().map(module).collect()
}

pub fn module(m: &Module) -> ModuleStats {
    let pages: Vec<PageStats> = m.pages.iter().map(page).collect();
    let words = pages.iter().map(|p| p.words).sum();
    let mut blocks = BTreeMap::new();
    let mut interactions = 0;
    for b in m.blocks() {
        *blocks.entry(kind(b)).or_insert(0) += 1;
        if !matches!(
            b,
            Block::Callout(_) | Block::CaseStudy(_) | Block::Reveal(_)
        ) {
            interactions += 1;
        }
    }
    let minutes = words as f64 / WORDS_PER_MINUTE + interactions as f64 * MINUTES_PER_INTERACTION;
    ModuleStats {
        id: m.id.to_string(),
        title: m.title.clone(),
        words,
        estimated_minutes: minutes.round() as u32,
        declared_minutes: m.duration,
        scored_questions: m.questions().filter(|q| q.scored).count(),
        blocks,
        lowest_reading_ease: pages.iter().filter_map(|p| p.reading_ease).reduce(f64::min),
        pages,
    }
}

pub fn kind(b: &Block) -> &'static str {
    match b {
        Block::Question(q) => q.kind.name(),
        Block::Likert(_) => "likert",
        Block::Reflection(_) => "reflection",
        Block::ActionPlan(_) => "action-plan",
        Block::Scenario(_) => "scenario",
        Block::Reveal(_) => "reveal",
        Block::Callout(_) => "callout",
        Block::CaseStudy(_) => "case-study",
    }
}

fn page(p: &Page) -> PageStats {
    // Reading ease is about the prose a learner reads: the text, callouts, reveals and cases.
    let mut text = String::new();
    let mut add = |h: &Html| {
        text.push_str(&plain(h));
        text.push('\n');
    };
    for s in &p.content {
        match s {
            Segment::Html(h) => add(h),
            Segment::Block(Block::Callout(c)) => add(&c.body),
            Segment::Block(Block::CaseStudy(c)) => add(&c.body),
            Segment::Block(Block::Reveal(r)) => r.items.iter().for_each(|i| add(&i.body)),
            Segment::Block(_) => {}
        }
    }
    let words = words(&text).count();
    PageStats {
        id: p.id.to_string(),
        title: p.title.clone(),
        words,
        reading_ease: (words >= 20).then(|| flesch(&text)),
    }
}

/// Text of rendered HTML: tags dropped, the end of a block element ends a sentence.
fn plain(h: &Html) -> String {
    let mut out = String::new();
    let mut rest = h.as_str();
    while let Some(i) = rest.find('<') {
        out.push_str(&rest[..i]);
        let end = rest[i..].find('>').map_or(rest.len(), |j| i + j + 1);
        let tag = &rest[i..end];
        if [
            "</p",
            "</li",
            "</h",
            "</td",
            "</th",
            "</blockquote",
            "</dt",
            "</dd",
        ]
        .iter()
        .any(|t| tag.starts_with(t))
        {
            out.push_str(". ");
        } else {
            out.push(' ');
        }
        rest = &rest[end..];
    }
    out.push_str(rest);
    out.replace("&amp;", "&")
        .replace("&quot;", "\"")
        .replace("&#39;", "'")
        .replace("&lt;", "<")
        .replace("&gt;", ">")
}

fn words(text: &str) -> impl Iterator<Item = &str> {
    text.split(|c: char| !(c.is_alphanumeric() || c == '\'' || c == '’'))
        .filter(|w| w.chars().any(char::is_alphabetic))
}

/// Flesch reading ease: 206.835 − 1.015 × words/sentences − 84.6 × syllables/words.
pub fn flesch(text: &str) -> f64 {
    let sentences = text
        .split(['.', '!', '?', ';', ':'])
        .filter(|s| words(s).next().is_some())
        .count()
        .max(1);
    let (mut n, mut syllables) = (0usize, 0usize);
    for w in words(text) {
        n += 1;
        syllables += count_syllables(w);
    }
    if n == 0 {
        return 100.0;
    }
    206.835 - 1.015 * (n as f64 / sentences as f64) - 84.6 * (syllables as f64 / n as f64)
}

/// Vowel groups, less a silent final `e`, at least one: the usual estimate, within one syllable for
/// most English words.
fn count_syllables(word: &str) -> usize {
    let w: Vec<char> = word
        .to_lowercase()
        .chars()
        .filter(char::is_ascii_alphabetic)
        .collect();
    if w.is_empty() {
        return 1;
    }
    let vowel = |c: char| "aeiouy".contains(c);
    let mut count = 0;
    let mut prev = false;
    for &c in &w {
        let v = vowel(c);
        if v && !prev {
            count += 1;
        }
        prev = v;
    }
    let n = w.len();
    // "make" loses its final e; "table" (consonant + le) keeps it.
    let consonant_le = n > 2 && w[n - 2] == 'l' && !vowel(w[n - 3]);
    if n > 2 && w[n - 1] == 'e' && !vowel(w[n - 2]) && !consonant_le {
        count -= 1;
    }
    count.max(1)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn syllables() {
        for (w, n) in [
            ("cat", 1),
            ("library", 3),
            ("make", 1),
            ("table", 2),
            ("people", 2),
            ("data", 2),
            ("the", 1),
        ] {
            assert_eq!(count_syllables(w), n, "{w}");
        }
    }

    #[test]
    fn plain_english_scores_high_and_jargon_low() {
        let plain = "We help people use the internet. Ask us for help. We are here every day.";
        let dense = "Organisational digital transformation necessitates comprehensive stakeholder \
                     engagement methodologies, facilitating intergenerational technological proficiency.";
        assert!(flesch(plain) > 80.0, "{}", flesch(plain));
        assert!(flesch(dense) < 0.0, "{}", flesch(dense));
    }

    #[test]
    fn block_ends_end_sentences() {
        let h = Html("<ul><li>One thing</li><li>Another thing</li></ul><p>A &amp; B</p>".into());
        assert_eq!(
            plain(&h)
                .split('.')
                .filter(|s| !s.trim().is_empty())
                .count(),
            3
        );
        assert!(plain(&h).contains("A & B"));
    }
}
