//! cmi5 course structures (`cmi5.xml`): ids, AU urls and AU attributes (cmi5 §13, §14).

use super::finding::Rule;
use super::scorm::{is_external, resolve};
use super::Check;
use std::collections::{BTreeMap, BTreeSet};

pub const NS: &str = "https://w3id.org/xapi/profiles/cmi5/v1/CourseStructure.xsd";

/// Query parameters the LMS adds to every AU launch (cmi5 §8.1).
const LAUNCH_PARAMETERS: [&str; 5] = ["endpoint", "fetch", "actor", "registration", "activityId"];

const MOVE_ON: [&str; 5] = [
    "Passed",
    "Completed",
    "CompletedAndPassed",
    "CompletedOrPassed",
    "NotApplicable",
];

/// An absolute IRI: a scheme, `:`, something, and no white space.
pub fn is_iri(s: &str) -> bool {
    !s.chars().any(char::is_whitespace)
        && s.split_once(':').is_some_and(|(scheme, rest)| {
            !rest.is_empty()
                && scheme
                    .chars()
                    .next()
                    .is_some_and(|c| c.is_ascii_alphabetic())
                && scheme
                    .chars()
                    .all(|c| c.is_ascii_alphanumeric() || matches!(c, '+' | '-' | '.'))
        })
}

pub fn check(c: &mut Check) {
    let doc = c.doc;
    let ours = |i: usize| doc.el(i).ns == NS;

    // Ids: course, block, au and course-level objective ids are IRIs and unique.
    let mut ids: BTreeMap<&str, usize> = BTreeMap::new();
    let mut objectives: BTreeSet<&str> = BTreeSet::new();
    for i in 0..doc.elements.len() {
        if !ours(i) {
            continue;
        }
        let local = doc.el(i).local.as_str();
        let declares = match local {
            "course" | "block" | "au" => true,
            // An objective with `id` (not `idref`) is a declaration.
            "objective" => doc.attr(i, "id").is_some(),
            _ => false,
        };
        if !declares {
            continue;
        }
        let Some(id) = doc.attr(i, "id") else {
            continue;
        };
        if local == "objective" {
            objectives.insert(id);
        }
        if !is_iri(id) {
            c.push_at(
                Rule::Cmi5IdNotIri,
                i,
                format!("{local} id `{id}` is not an IRI"),
            );
        }
        if let Some(&first) = ids.get(id) {
            let (l, _) = doc.position(first, c.source);
            c.push_at(
                Rule::Cmi5DuplicateId,
                i,
                format!("{local} id `{id}` is also used on line {l}"),
            );
        } else {
            ids.insert(id, i);
        }
    }

    for o in doc.all("objective").filter(|&o| ours(o)) {
        if let Some(r) = doc.attr(o, "idref") {
            if !objectives.contains(r) {
                c.push_at(
                    Rule::Cmi5ObjectiveRef,
                    o,
                    format!("objective idref `{r}` names no objective of the course"),
                );
            }
        }
    }

    for au in doc.all("au").filter(|&a| ours(a)) {
        let id = doc.attr(au, "id").unwrap_or("");
        if let Some(m) = doc.attr(au, "moveOn") {
            if !MOVE_ON.contains(&m) {
                c.push_at(
                    Rule::Cmi5AuAttribute,
                    au,
                    format!(
                        "au `{id}`: moveOn `{m}` is not one of {}",
                        MOVE_ON.join(", ")
                    ),
                );
            }
        }
        if let Some(m) = doc.attr(au, "masteryScore") {
            if !m
                .trim()
                .parse::<f64>()
                .is_ok_and(|v| (0.0..=1.0).contains(&v))
            {
                c.push_at(
                    Rule::Cmi5AuAttribute,
                    au,
                    format!("au `{id}`: masteryScore `{m}` is not a decimal from 0 to 1"),
                );
            }
        }
        if let Some(m) = doc.attr(au, "launchMethod") {
            if !matches!(m, "AnyWindow" | "OwnWindow") {
                c.push_at(
                    Rule::Cmi5AuAttribute,
                    au,
                    format!("au `{id}`: launchMethod `{m}` is not AnyWindow or OwnWindow"),
                );
            }
        }
        let Some(url_el) = doc.children(au, "url").next() else {
            continue; // the schema reports a missing <url>
        };
        let url = doc.el(url_el).text.trim().to_owned();
        if url.is_empty() {
            c.push_at(
                Rule::Cmi5AuUrl,
                url_el,
                format!("au `{id}` has an empty url"),
            );
            continue;
        }
        if let Some((_, query)) = url.split('#').next().unwrap_or("").split_once('?') {
            for pair in query.split('&') {
                let name = pair.split('=').next().unwrap_or("");
                if LAUNCH_PARAMETERS.contains(&name) {
                    c.push_at(
                        Rule::Cmi5UrlParameter,
                        url_el,
                        format!("au `{id}`: url parameter `{name}` collides with a cmi5 launch parameter"),
                    );
                }
            }
        }
        if is_external(&url) {
            continue;
        }
        let Some(files) = c.files else { continue };
        match resolve(c.base, &url) {
            Some(path) if files.contains_key(&path) => {}
            Some(path) => c.push_at(
                Rule::Cmi5AuUrl,
                url_el,
                format!("au `{id}`: url `{url}` resolves to `{path}`, which is not in the package"),
            ),
            None => c.push_at(
                Rule::Cmi5AuUrl,
                url_el,
                format!("au `{id}`: url `{url}` points outside the package"),
            ),
        }
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn iris() {
        assert!(super::is_iri("https://example.com/a"));
        assert!(super::is_iri("urn:uuid:1234"));
        assert!(!super::is_iri("au-1"));
        assert!(!super::is_iri("https://example.com/a b"));
        assert!(!super::is_iri("1x:y"));
    }
}
