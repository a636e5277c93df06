//! SCORM 1.2 and 2004: which version a manifest is, and the rules of the CAM that XSD cannot
//! express (identifiers, references, files, sequencing values), plus Moodle's and Totara's limits.

use super::finding::{Finding, Rule};
use super::xml::{Doc, XML_NS};
use super::{Check, Lms};
use std::collections::{BTreeMap, BTreeSet};

pub const NS_CP12: &str = "http://www.imsproject.org/xsd/imscp_rootv1p1p2";
pub const NS_CP2004: &str = "http://www.imsglobal.org/xsd/imscp_v1p1";
pub const NS_ADLCP12: &str = "http://www.adlnet.org/xsd/adlcp_rootv1p2";
pub const NS_ADLCP2004: &str = "http://www.adlnet.org/xsd/adlcp_v1p3";
pub const NS_ADLSEQ: &str = "http://www.adlnet.org/xsd/adlseq_v1p3";
pub const NS_ADLNAV: &str = "http://www.adlnet.org/xsd/adlnav_v1p3";
pub const NS_IMSSS: &str = "http://www.imsglobal.org/xsd/imsss";

/// A SCORM version, as far as the manifest says.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Version {
    Scorm12,
    Scorm2004_2nd,
    Scorm2004_3rd,
    Scorm2004_4th,
}

impl Version {
    pub fn label(self) -> &'static str {
        match self {
            Version::Scorm12 => "SCORM 1.2",
            Version::Scorm2004_2nd => "SCORM 2004 2nd Edition",
            Version::Scorm2004_3rd => "SCORM 2004 3rd Edition",
            Version::Scorm2004_4th => "SCORM 2004 4th Edition",
        }
    }

    fn is_2004(self) -> bool {
        self != Version::Scorm12
    }
}

/// The version from `schemaversion`, checked against the IMS CP namespace.
pub fn detect(c: &mut Check) -> Version {
    let doc = c.doc;
    let root_ns = doc.root().ns.as_str();
    let by_ns = match root_ns {
        NS_CP12 => Some(Version::Scorm12),
        NS_CP2004 => Some(Version::Scorm2004_4th),
        _ => None,
    };
    let schemaversion = doc
        .children(0, "metadata")
        .flat_map(|m| doc.children(m, "schemaversion"))
        .next();
    let by_text = schemaversion.and_then(|i| match doc.el(i).text.trim() {
        "1.2" => Some(Version::Scorm12),
        "CAM 1.3" | "1.3" => Some(Version::Scorm2004_2nd),
        "2004 3rd Edition" => Some(Version::Scorm2004_3rd),
        "2004 4th Edition" => Some(Version::Scorm2004_4th),
        _ => None,
    });
    match (by_ns, by_text) {
        (Some(n), Some(t)) if n.is_2004() != t.is_2004() => {
            let at = schemaversion.unwrap_or(0);
            c.push_at(
                Rule::ScormVersionMismatch,
                at,
                format!(
                    "<schemaversion> says {} but the manifest's namespace is {}'s ({root_ns})",
                    t.label(),
                    n.label()
                ),
            );
            n
        }
        (_, Some(t)) => t,
        (n, None) => {
            let what = match schemaversion {
                Some(i) => format!(
                    "<schemaversion>{}</schemaversion> names no SCORM version",
                    doc.el(i).text.trim()
                ),
                None => "the manifest has no <metadata><schemaversion>".into(),
            };
            let v = n.unwrap_or(Version::Scorm12);
            c.push_at(
                Rule::ScormVersionUnknown,
                schemaversion.unwrap_or(0),
                format!("{what}; read as {} from its namespace", v.label()),
            );
            v
        }
    }
}

fn is_cp(doc: &Doc, i: usize) -> bool {
    matches!(doc.el(i).ns.as_str(), NS_CP12 | NS_CP2004)
}

/// Percent-decoding of a URL path (invalid escapes are kept as they are).
fn percent_decode(s: &str) -> String {
    let b = s.as_bytes();
    let mut out = Vec::with_capacity(b.len());
    let mut i = 0;
    while i < b.len() {
        if b[i] == b'%' && i + 2 < b.len() {
            let hex = |c: u8| (c as char).to_digit(16);
            if let (Some(h), Some(l)) = (hex(b[i + 1]), hex(b[i + 2])) {
                out.push((h * 16 + l) as u8);
                i += 3;
                continue;
            }
        }
        out.push(b[i]);
        i += 1;
    }
    String::from_utf8(out).unwrap_or_else(|_| s.to_owned())
}

/// Whether a reference is a full URL (or protocol-relative), which no package file satisfies.
pub fn is_external(href: &str) -> bool {
    if href.starts_with("//") {
        return true;
    }
    match href.find(':') {
        Some(i) => {
            let scheme = &href[..i];
            i > 1
                && scheme
                    .chars()
                    .next()
                    .is_some_and(|c| c.is_ascii_alphabetic())
                && scheme
                    .chars()
                    .all(|c| c.is_ascii_alphanumeric() || matches!(c, '+' | '-' | '.'))
        }
        None => false,
    }
}

/// `base` + `href`, query and fragment dropped, percent-decoded, `.` and `..` segments resolved.
/// `None` if it leaves the package.
pub fn resolve(base: &str, href: &str) -> Option<String> {
    let href = href.split(['?', '#']).next().unwrap_or(href);
    crate::paths::normalize(&format!("{base}{}", percent_decode(href)))
}

/// The xml:base of `i` and its ancestors, outermost first, as a folder prefix.
fn base_of(doc: &Doc, i: usize) -> String {
    let mut chain = Vec::new();
    let mut at = Some(i);
    while let Some(e) = at {
        if let Some(b) = doc.attr_ns(e, XML_NS, "base") {
            chain.push(b.to_owned());
        }
        at = doc.el(e).parent;
    }
    chain.reverse();
    let mut base = String::new();
    for b in chain {
        if is_external(&b) || b.starts_with('/') {
            base = b;
        } else {
            base.push_str(&b);
        }
        if !base.is_empty() && !base.ends_with('/') {
            base.push('/');
        }
    }
    base
}

pub fn check(c: &mut Check, version: Version) {
    let doc = c.doc;
    let v2004 = version.is_2004();

    // Identifiers of the content package elements.
    let mut ids: BTreeMap<&str, usize> = BTreeMap::new();
    for i in 0..doc.elements.len() {
        if !is_cp(doc, i)
            || !matches!(
                doc.el(i).local.as_str(),
                "manifest" | "organization" | "item" | "resource"
            )
        {
            continue;
        }
        if let Some(id) = doc.attr(i, "identifier") {
            if let Some(&first) = ids.get(id) {
                let (l, _) = doc.position(first, c.source);
                c.push_at(
                    Rule::ScormDuplicateIdentifier,
                    i,
                    format!("identifier `{id}` is also used on line {l}"),
                );
            } else {
                ids.insert(id, i);
            }
            if c.lms != Lms::Generic && id.chars().any(char::is_whitespace) {
                c.push_at(
                    Rule::MoodleIdentifierSpace,
                    i,
                    format!("identifier `{id}` contains white space"),
                );
            }
        }
    }

    // Resources.
    let resources: BTreeMap<&str, usize> = doc
        .all("resource")
        .filter(|&r| is_cp(doc, r))
        .filter_map(|r| doc.attr(r, "identifier").map(|id| (id, r)))
        .collect();
    let scorm_type = |r: usize| {
        let ns = if v2004 { NS_ADLCP2004 } else { NS_ADLCP12 };
        doc.attr_ns(r, ns, "scormType")
    };
    for (&id, &r) in &resources {
        if scorm_type(r).is_some_and(|t| t.eq_ignore_ascii_case("sco"))
            && doc.attr(r, "href").is_none_or(|h| h.trim().is_empty())
        {
            c.push_at(
                Rule::ScormLaunchHref,
                r,
                format!("resource `{id}` is a SCO but has no href"),
            );
        }
    }
    for d in doc.all("dependency").filter(|&d| is_cp(doc, d)) {
        match doc.attr(d, "identifierref") {
            Some(r) if resources.contains_key(r) => {}
            Some(r) => c.push_at(
                Rule::ScormDependency,
                d,
                format!("dependency `{r}` names no resource"),
            ),
            None => {}
        }
    }

    // Organizations and items.
    let orgs_el = doc.children(0, "organizations").next();
    let orgs: Vec<usize> = orgs_el
        .map(|o| doc.children(o, "organization").collect())
        .unwrap_or_default();
    let mut default_org = orgs.first().copied();
    if let Some(o) = orgs_el {
        if let Some(d) = doc.attr(o, "default") {
            match orgs.iter().find(|&&g| doc.attr(g, "identifier") == Some(d)) {
                Some(&g) => default_org = Some(g),
                None => c.push_at(
                    Rule::ScormDefaultOrganization,
                    o,
                    format!("organizations@default `{d}` names no organization"),
                ),
            }
        }
    }
    let launchable = |r: usize| doc.attr(r, "href").is_some_and(|h| !h.trim().is_empty());
    for item in doc.all("item").filter(|&i| is_cp(doc, i)) {
        let has_children = doc.children(item, "item").next().is_some();
        let id = doc.attr(item, "identifier").unwrap_or("");
        match doc.attr(item, "identifierref") {
            Some(r) => match resources.get(r) {
                None => c.push_at(
                    Rule::ScormIdentifierref,
                    item,
                    format!("item `{id}`: identifierref `{r}` names no resource"),
                ),
                Some(&res) => {
                    if !launchable(res) {
                        c.push_at(
                            Rule::ScormLaunchHref,
                            res,
                            format!("resource `{r}` is launched by item `{id}` but has no href"),
                        );
                    } else if !v2004 && scorm_type(res).is_none() {
                        c.push_at(
                            Rule::ScormTypeMissing,
                            res,
                            format!(
                                "resource `{r}` has no adlcp:scormtype; it is launched as an asset"
                            ),
                        );
                    }
                    if v2004 && has_children {
                        c.push_at(
                            Rule::ScormParentItemReference,
                            item,
                            format!("item `{id}` has child items and an identifierref"),
                        );
                    }
                }
            },
            None if !has_children => c.push_at(
                Rule::ScormLeafItem,
                item,
                format!("item `{id}` has neither child items nor an identifierref"),
            ),
            None => {}
        }
        if let Some(p) = doc.attr(item, "parameters") {
            if !parameters_ok(p) {
                c.push_at(
                    Rule::ScormParameters,
                    item,
                    format!("item `{id}`: parameters `{p}` are not a query string or fragment"),
                );
            }
        }
        if !v2004 {
            for m in doc
                .children(item, "masteryscore")
                .filter(|&m| doc.el(m).ns == NS_ADLCP12)
            {
                let t = doc.el(m).text.trim();
                if !t.parse::<f64>().is_ok_and(|v| (0.0..=100.0).contains(&v)) {
                    c.push_at(
                        Rule::ScormMasteryScore,
                        m,
                        format!("adlcp:masteryscore `{t}` is not a number from 0 to 100"),
                    );
                }
            }
        }
    }
    let reaches_launchable = default_org.is_some_and(|o| {
        descendants(doc, o).any(|i| {
            doc.el(i).local == "item"
                && doc
                    .attr(i, "identifierref")
                    .and_then(|r| resources.get(r))
                    .is_some_and(|&r| launchable(r))
        })
    });
    if !reaches_launchable {
        c.push_at(
            Rule::ScormNoLaunchable,
            orgs_el.unwrap_or(0),
            "no organization item launches a resource with an href: nothing can be started",
        );
    }

    // Sequencing values.
    if v2004 {
        for objs in doc.all("objectives").filter(|&o| doc.el(o).ns == NS_IMSSS) {
            let mut seen: BTreeMap<&str, usize> = BTreeMap::new();
            for o in doc.el(objs).children.iter().copied() {
                if let Some(id) = doc.attr(o, "objectiveID") {
                    if seen.insert(id, o).is_some() {
                        c.push_at(
                            Rule::ScormObjectiveDuplicate,
                            o,
                            format!("objectiveID `{id}` is used twice in this activity"),
                        );
                    }
                }
            }
        }
        for m in doc
            .all("minNormalizedMeasure")
            .filter(|&m| doc.el(m).ns == NS_IMSSS)
        {
            range(
                c,
                m,
                doc.el(m).text.trim(),
                -1.0,
                1.0,
                "minNormalizedMeasure",
            );
        }
        for t in doc
            .all("completionThreshold")
            .filter(|&t| doc.el(t).ns == NS_ADLCP2004)
        {
            if let Some(v) = doc.attr(t, "minProgressMeasure") {
                range(c, t, v, 0.0, 1.0, "completionThreshold@minProgressMeasure");
            } else if !doc.el(t).text.trim().is_empty() {
                range(c, t, doc.el(t).text.trim(), 0.0, 1.0, "completionThreshold");
            }
        }
    }

    files(c, &resources);
    if c.lms != Lms::Generic {
        moodle(c, version, default_org, &resources);
    }
}

fn range(c: &mut Check, at: usize, text: &str, lo: f64, hi: f64, what: &str) {
    if !text.parse::<f64>().is_ok_and(|v| (lo..=hi).contains(&v)) {
        c.push_at(
            Rule::ScormMeasureRange,
            at,
            format!("{what} `{text}` is not a number from {lo} to {hi}"),
        );
    }
}

fn descendants(doc: &Doc, i: usize) -> impl Iterator<Item = usize> + '_ {
    let mut stack = doc.el(i).children.clone();
    std::iter::from_fn(move || {
        let next = stack.pop()?;
        stack.extend(doc.el(next).children.iter().copied());
        Some(next)
    })
}

/// `?a=b&c`, `&a=b`, `#frag`, or `a=b&c=d`: no white space, each pair with a non-empty name.
pub fn parameters_ok(p: &str) -> bool {
    if p.is_empty() || p.chars().any(char::is_whitespace) {
        return p.is_empty();
    }
    if let Some(frag) = p.strip_prefix('#') {
        return !frag.is_empty();
    }
    let (query, frag) = match p.split_once('#') {
        Some((q, f)) => (q, Some(f)),
        None => (p, None),
    };
    let query = query
        .strip_prefix('?')
        .or_else(|| query.strip_prefix('&'))
        .unwrap_or(query);
    frag.is_none_or(|f| !f.is_empty())
        && (query.is_empty()
            || query
                .split('&')
                .all(|pair| !pair.is_empty() && !pair.starts_with('=')))
}

/// Every file the manifest names exists; every file in the package is named.
fn files(c: &mut Check, resources: &BTreeMap<&str, usize>) {
    let doc = c.doc;
    let Some(present) = c.files else {
        return;
    };
    let mut listed: BTreeSet<String> = BTreeSet::new();
    for &r in resources.values() {
        let base = base_of(doc, r);
        let mut refs: Vec<(usize, &str)> = Vec::new();
        if let Some(h) = doc.attr(r, "href") {
            refs.push((r, h));
        }
        for f in doc.children(r, "file") {
            if let Some(h) = doc.attr(f, "href") {
                refs.push((f, h));
            }
        }
        for (at, href) in refs {
            let href = href.trim();
            if href.is_empty() || is_external(href) || is_external(&base) {
                continue;
            }
            let base = if at == r {
                base.clone()
            } else {
                base_of(doc, at)
            };
            match resolve(&format!("{}{base}", c.base), href) {
                Some(path) if present.contains_key(&path) => {
                    listed.insert(path);
                }
                Some(path) => {
                    let near = present
                        .keys()
                        .find(|k| k.eq_ignore_ascii_case(&path))
                        .map(|k| format!(" (the package has `{k}`: paths are case-sensitive)"))
                        .unwrap_or_default();
                    c.push_at(
                        Rule::ScormFileMissing,
                        at,
                        format!("`{href}` resolves to `{path}`, which is not in the package{near}"),
                    );
                }
                None => c.push_at(
                    Rule::ScormFileMissing,
                    at,
                    format!("`{href}` points outside the package"),
                ),
            }
        }
    }
    let unlisted: Vec<&String> = present
        .keys()
        .filter(|p| p.starts_with(c.base))
        .filter(|p| **p != c.file && !listed.contains(*p))
        .filter(|p| {
            let lower = p.to_ascii_lowercase();
            !(lower.ends_with(".xsd") || lower.ends_with(".dtd") || super::is_debris(p))
        })
        .collect();
    if let Some(first) = unlisted.first() {
        let shown: Vec<&str> = unlisted.iter().take(5).map(|s| s.as_str()).collect();
        let more = unlisted.len().saturating_sub(shown.len());
        c.findings.push(
            Finding::new(
                Rule::ScormFileUnlisted,
                format!(
                    "{} file(s) in the package are listed by no resource: {}{}",
                    unlisted.len(),
                    shown.join(", "),
                    if more > 0 {
                        format!(" and {more} more")
                    } else {
                        String::new()
                    }
                ),
            )
            .file((*first).clone()),
        );
    }
}

/// What Moodle's (and Totara's) mod_scorm does not read, or reads wrongly.
fn moodle(
    c: &mut Check,
    version: Version,
    default_org: Option<usize>,
    resources: &BTreeMap<&str, usize>,
) {
    let doc = c.doc;
    let expected = |ns: &str| -> Option<&'static str> {
        Some(match ns {
            NS_CP12 | NS_CP2004 => "",
            NS_ADLCP12 | NS_ADLCP2004 => "adlcp",
            NS_ADLSEQ => "adlseq",
            NS_ADLNAV => "adlnav",
            NS_IMSSS => "imsss",
            _ => return None,
        })
    };
    let mut reported: BTreeSet<(String, String)> = BTreeSet::new();
    for i in 0..doc.elements.len() {
        let e = doc.el(i);
        let mut names: Vec<(&str, &str, &str, bool)> = vec![(&e.ns, &e.prefix, &e.local, true)];
        names.extend(
            e.attrs
                .iter()
                .map(|a| (a.ns.as_str(), a.prefix.as_str(), a.local.as_str(), false)),
        );
        for (ns, prefix, local, element) in names {
            let Some(want) = expected(ns) else { continue };
            // Attributes in the IMS CP namespace are unqualified anyway.
            if !element && want.is_empty() {
                continue;
            }
            if prefix != want && reported.insert((ns.to_owned(), prefix.to_owned())) {
                let shown = if want.is_empty() {
                    "no prefix (the default namespace)".to_owned()
                } else {
                    format!("the prefix `{want}:`")
                };
                let got = if prefix.is_empty() {
                    local.to_owned()
                } else {
                    format!("{prefix}:{local}")
                };
                c.push_at(
                    Rule::MoodleNamespacePrefix,
                    i,
                    format!("`{got}` is in {ns}; Moodle only recognises it with {shown}"),
                );
            }
        }
        if e.ns == NS_IMSSS && e.local == "mapInfo" {
            c.push_at(
                Rule::MoodleMapInfo,
                i,
                "imsss:mapInfo (global objective mapping) crashes Moodle 4.5's SCORM player",
            );
        }
    }
    if version.is_2004() {
        let ignored = [
            (NS_IMSSS, "randomizationControls"),
            (NS_IMSSS, "auxiliaryResources"),
            (NS_IMSSS, "sequencingCollection"),
            (NS_ADLSEQ, "constrainedChoiceConsiderations"),
            (NS_ADLSEQ, "rollupConsiderations"),
            (NS_ADLSEQ, "objectives"),
        ];
        let mut seen = BTreeSet::new();
        for i in 0..doc.elements.len() {
            let e = doc.el(i);
            if ignored.contains(&(e.ns.as_str(), e.local.as_str())) && seen.insert(e.local.clone())
            {
                c.push_at(
                    Rule::MoodleSequencingIgnored,
                    i,
                    format!(
                        "Moodle ignores <{}> (SCORM 2004 sequencing it does not implement)",
                        e.local
                    ),
                );
            }
        }
    }
    if let Some(org) = default_org {
        let sco_items = descendants(doc, org)
            .filter(|&i| doc.el(i).local == "item")
            .filter(|&i| {
                doc.attr(i, "identifierref")
                    .and_then(|r| resources.get(r))
                    .is_some_and(|&r| doc.attr(r, "href").is_some())
            })
            .count();
        let top: Vec<usize> = doc.children(org, "item").collect();
        let single_root = top.len() == 1 && doc.attr(top[0], "identifierref").is_none();
        if sco_items > 1 && !single_root {
            c.push_at(
                Rule::MoodleMultiScoRoot,
                org,
                format!(
                    "{sco_items} launchable items sit at the top of the organization; Moodle shows them best under one non-launchable root item"
                ),
            );
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parameters() {
        for ok in ["", "?a=1", "?a=1&b", "&a=1", "#x", "a=1&b=2", "?a=1#top"] {
            assert!(parameters_ok(ok), "{ok}");
        }
        for bad in ["? a", "#", "?a=1&&b", "?=1", "a b"] {
            assert!(!parameters_ok(bad), "{bad}");
        }
    }

    #[test]
    fn resolving() {
        assert_eq!(
            resolve("sco/", "a%20b.html?x=1").as_deref(),
            Some("sco/a b.html")
        );
        assert_eq!(resolve("sco/", "../x.html").as_deref(), Some("x.html"));
        assert_eq!(resolve("", "../x.html"), None);
        assert!(is_external("https://x.org/a"));
        assert!(!is_external("C:b.html"));
        assert!(!is_external("index.html"));
    }
}
