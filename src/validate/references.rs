//! Package rules an XSD cannot express: every file a manifest names exists, every file in the
//! package is listed, every `identifierref` and `organizations@default` points somewhere.

use quick_xml::events::Event;
use quick_xml::Reader;
use quick_xml::XmlVersion;
use std::collections::BTreeSet;

/// Problems with the references of `manifest` in a package holding `present` files. `control`
/// files (the manifest's schemas) need not be listed in a resource.
pub fn check(manifest: &[u8], present: &[&str], control: &[&str]) -> Vec<String> {
    let facts = match read(manifest) {
        Ok(f) => f,
        Err(e) => return vec![format!("imsmanifest.xml cannot be read: {e}")],
    };
    let present: BTreeSet<&str> = present.iter().copied().collect();
    let mut problems = Vec::new();
    for href in facts.hrefs.iter().chain(&facts.files) {
        if !present.contains(href.as_str()) {
            problems.push(format!(
                "imsmanifest.xml names `{href}`, which is not in the package"
            ));
        }
    }
    let listed: BTreeSet<&str> = facts.files.iter().map(String::as_str).collect();
    for file in &present {
        if *file != "imsmanifest.xml" && !control.contains(file) && !listed.contains(file) {
            problems.push(format!(
                "`{file}` is in the package but no resource lists it"
            ));
        }
    }
    for r in &facts.identifierrefs {
        if !facts.resources.contains(r) {
            problems.push(format!("an item's identifierref `{r}` names no resource"));
        }
    }
    match &facts.default_org {
        Some(d) if !facts.organizations.contains(d) => {
            problems.push(format!("organizations@default `{d}` names no organization"))
        }
        _ => {}
    }
    problems
}

#[derive(Default)]
struct Facts {
    /// Resource launch paths (`xml:base` applied).
    hrefs: Vec<String>,
    /// `<file href>` paths (`xml:base` applied).
    files: Vec<String>,
    resources: BTreeSet<String>,
    identifierrefs: Vec<String>,
    organizations: BTreeSet<String>,
    default_org: Option<String>,
}

fn read(xml: &[u8]) -> Result<Facts, String> {
    let mut reader = Reader::from_reader(xml);
    let mut facts = Facts::default();
    let mut bases: Vec<String> = vec![String::new()];
    let mut buf = Vec::new();
    loop {
        let event = reader
            .read_event_into(&mut buf)
            .map_err(|e| format!("at byte {}: {e}", reader.buffer_position()))?;
        let (e, is_empty) = match &event {
            Event::Start(e) => (e, false),
            Event::Empty(e) => (e, true),
            Event::End(_) => {
                bases.pop();
                buf.clear();
                continue;
            }
            Event::DocType(_) => return Err("a DOCTYPE is not allowed".into()),
            Event::Eof => break,
            _ => {
                buf.clear();
                continue;
            }
        };
        let attr = |name: &str| -> Option<String> {
            e.attributes()
                .flatten()
                .find(|a| a.key.as_ref() == name)
                .and_then(|a| {
                    a.normalized_value(XmlVersion::Implicit1_0)
                        .ok()
                        .map(|v| v.into_owned())
                })
        };
        let base = format!(
            "{}{}",
            bases.last().map_or("", String::as_str),
            attr("xml:base").unwrap_or_default()
        );
        let local = e.local_name();
        match local.as_ref() {
            "organizations" => facts.default_org = attr("default"),
            "organization" => facts.organizations.extend(attr("identifier")),
            "item" => facts.identifierrefs.extend(attr("identifierref")),
            "resource" => {
                facts.resources.extend(attr("identifier"));
                if let Some(h) = attr("href") {
                    facts.hrefs.push(strip_query(&format!("{base}{h}")));
                }
            }
            "file" => {
                if let Some(h) = attr("href") {
                    facts.files.push(format!("{base}{h}"));
                }
            }
            _ => {}
        }
        if !is_empty {
            bases.push(base);
        }
        buf.clear();
    }
    Ok(facts)
}

fn strip_query(href: &str) -> String {
    href.split(['?', '#']).next().unwrap_or(href).to_owned()
}

#[cfg(test)]
mod tests {
    use super::*;

    const M: &str = r#"<manifest><organizations default="O"><organization identifier="O">
        <item identifier="I" identifierref="R"/></organization></organizations>
        <resources><resource identifier="R" href="index.html?x=1" xml:base="sco/">
        <file href="index.html"/><file href="a.css"/></resource></resources></manifest>"#;

    #[test]
    fn a_consistent_package_passes() {
        let p = check(
            M.as_bytes(),
            &["imsmanifest.xml", "sco/index.html", "sco/a.css", "x.xsd"],
            &["x.xsd"],
        );
        assert!(p.is_empty(), "{p:?}");
    }

    #[test]
    fn missing_unlisted_and_dangling_are_reported() {
        let bad = M
            .replace("identifierref=\"R\"", "identifierref=\"Q\"")
            .replace("default=\"O\"", "default=\"P\"");
        let p = check(
            bad.as_bytes(),
            &["imsmanifest.xml", "sco/index.html", "extra.png"],
            &[],
        );
        assert_eq!(p.len(), 4, "{p:?}");
        assert!(p[0].contains("sco/a.css"));
        assert!(p[1].contains("extra.png"));
        assert!(p[2].contains("`Q`"));
        assert!(p[3].contains("`P`"));
    }
}
