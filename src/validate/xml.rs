//! A small, safe XML reader for package descriptors: the document as a tree of elements with
//! resolved namespaces and byte offsets, or the one finding that says why it cannot be read.
//!
//! Safety: a `<!DOCTYPE>` is refused, so no entity is ever declared or expanded (billion laughs,
//! XXE); any entity reference other than the five predefined ones and character references is
//! malformed; the document size, nesting depth, element count and namespace bindings are bounded.

use super::finding::{Finding, Rule};
use quick_xml::events::Event;
use quick_xml::name::ResolveResult;
use quick_xml::NsReader;
use std::collections::HashSet;
use std::hash::{BuildHasherDefault, Hasher};
use std::rc::Rc;

/// Descriptors larger than this are refused unread.
pub const MAX_BYTES: usize = 16 << 20;
pub const MAX_DEPTH: usize = 256;
pub const MAX_ELEMENTS: usize = 1_000_000;

pub const XML_NS: &str = "http://www.w3.org/XML/1998/namespace";

/// A namespace URI, prefix or local name. Interned per document: a manifest repeats a handful of
/// names hundreds of times, and one allocation per name (not per use) is most of what reading
/// it costs.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Name(Rc<str>);

impl Name {
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl std::ops::Deref for Name {
    type Target = str;
    fn deref(&self) -> &str {
        &self.0
    }
}

impl PartialEq<str> for Name {
    fn eq(&self, other: &str) -> bool {
        &*self.0 == other
    }
}

impl PartialEq<&str> for Name {
    fn eq(&self, other: &&str) -> bool {
        &*self.0 == *other
    }
}

impl std::fmt::Display for Name {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

/// Real descriptors use a few dozen distinct names.
const MAX_INTERNED: usize = 4096;

/// The names of one document, each stored once.
#[derive(Default)]
struct Names(HashSet<Rc<str>, BuildHasherDefault<Fnv>>);

/// FNV-1a: names are short and come from the document being read, and the table lives for one
/// parse, so a keyed hash buys nothing here and costs a tenth of the parse.
#[derive(Default)]
struct Fnv(u64);

impl Hasher for Fnv {
    fn finish(&self) -> u64 {
        self.0
    }
    fn write(&mut self, bytes: &[u8]) {
        let mut h = if self.0 == 0 {
            0xcbf2_9ce4_8422_2325
        } else {
            self.0
        };
        for &b in bytes {
            h = (h ^ u64::from(b)).wrapping_mul(0x0100_0000_01b3);
        }
        self.0 = h;
    }
}

impl Names {
    fn get(&mut self, name: &str) -> Name {
        if let Some(known) = self.0.get(name) {
            return Name(known.clone());
        }
        let new: Rc<str> = Rc::from(name);
        // A hostile document with endless distinct names cannot make the (unkeyed) table
        // degrade: past the cap, names are simply not shared.
        if self.0.len() < MAX_INTERNED {
            self.0.insert(new.clone());
        }
        Name(new)
    }
}

#[derive(Debug, Clone)]
pub struct Attr {
    pub ns: Name,
    pub prefix: Name,
    pub local: Name,
    pub value: String,
}

#[derive(Debug, Clone)]
pub struct Element {
    pub ns: Name,
    pub prefix: Name,
    pub local: Name,
    pub attrs: Vec<Attr>,
    /// The element's own character data (not its children's), entity references resolved.
    pub text: String,
    pub children: Vec<usize>,
    pub parent: Option<usize>,
    /// Byte offset of the `<` of the start tag.
    pub offset: usize,
}

/// A parsed document: element 0 is the document element.
#[derive(Debug)]
pub struct Doc {
    pub elements: Vec<Element>,
    line_starts: Vec<usize>,
    bom: bool,
}

impl Doc {
    pub fn root(&self) -> &Element {
        &self.elements[0]
    }

    pub fn el(&self, i: usize) -> &Element {
        &self.elements[i]
    }

    /// An attribute without a namespace, by local name.
    pub fn attr(&self, i: usize, local: &str) -> Option<&str> {
        self.elements[i]
            .attrs
            .iter()
            .find(|a| a.ns.is_empty() && a.local == local)
            .map(|a| a.value.as_str())
    }

    /// An attribute in namespace `ns`, by local name (ASCII case-insensitive when `fold`).
    pub fn attr_ns(&self, i: usize, ns: &str, local: &str) -> Option<&str> {
        self.elements[i]
            .attrs
            .iter()
            .find(|a| a.ns == ns && a.local.eq_ignore_ascii_case(local))
            .map(|a| a.value.as_str())
    }

    /// Children of `i` with local name `local` (any namespace).
    pub fn children<'a>(&'a self, i: usize, local: &'a str) -> impl Iterator<Item = usize> + 'a {
        self.elements[i]
            .children
            .iter()
            .copied()
            .filter(move |&c| self.elements[c].local == local)
    }

    /// Every element with local name `local`, in document order.
    pub fn all<'a>(&'a self, local: &'a str) -> impl Iterator<Item = usize> + 'a {
        (0..self.elements.len()).filter(move |&i| self.elements[i].local == local)
    }

    /// 1-based line and column (in characters) of element `i`'s start tag.
    pub fn position(&self, i: usize, source: &[u8]) -> (u32, u32) {
        self.line_col(source, self.elements[i].offset)
    }

    pub fn line_col(&self, source: &[u8], offset: usize) -> (u32, u32) {
        line_col(&self.line_starts, self.bom, source, offset)
    }
}

fn line_col(line_starts: &[usize], bom: bool, source: &[u8], offset: usize) -> (u32, u32) {
    let offset = offset.min(source.len());
    let line = line_starts.partition_point(|&s| s <= offset).max(1);
    let start = line_starts[line - 1];
    let mut segment = &source[start..offset];
    if start == 0 && bom {
        segment = segment.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(segment);
    }
    let column = segment.iter().filter(|&&b| b & 0xC0 != 0x80).count() + 1;
    (
        u32::try_from(line).unwrap_or(u32::MAX),
        u32::try_from(column).unwrap_or(u32::MAX),
    )
}

/// Parse `source` (the file `file` of the package). `Err` holds the one finding that stopped it.
pub fn parse(file: &str, source: &[u8]) -> Result<Doc, Finding> {
    let line_starts: Vec<usize> = std::iter::once(0)
        .chain(
            source
                .iter()
                .enumerate()
                .filter(|(_, &b)| b == b'\n')
                .map(|(i, _)| i + 1),
        )
        .collect();
    let bom = source.starts_with(b"\xEF\xBB\xBF");
    let at = |offset: usize, rule: Rule, message: String| {
        let (l, c) = line_col(&line_starts, bom, source, offset);
        Finding::new(rule, message).file(file).at(l, c)
    };
    if source.len() > MAX_BYTES {
        return Err(Finding::new(
            Rule::XmlTooLarge,
            format!(
                "{file} is {} bytes; descriptors over {MAX_BYTES} bytes are refused",
                source.len()
            ),
        )
        .file(file));
    }
    if std::str::from_utf8(source.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(source)).is_err() {
        let valid = match std::str::from_utf8(source) {
            Err(e) => e.valid_up_to(),
            Ok(_) => 0,
        };
        return Err(at(
            valid,
            Rule::XmlMalformed,
            "the document is not UTF-8 (descriptors must be UTF-8)".into(),
        ));
    }

    let mut reader = NsReader::from_reader(source);
    reader.resolver_mut().set_max_namespace_bindings(1024);
    let mut names = Names::default();
    let mut elements: Vec<Element> = Vec::new();
    let mut stack: Vec<usize> = Vec::new();
    let mut seen_root = false;
    loop {
        let before = usize::try_from(reader.buffer_position()).unwrap_or(usize::MAX);
        let (resolved, event) = match reader.read_resolved_event() {
            Ok(pair) => pair,
            Err(e) => {
                let pos = usize::try_from(reader.error_position()).unwrap_or(before);
                return Err(at(pos, Rule::XmlMalformed, format!("not well-formed: {e}")));
            }
        };
        // Only start tags need their namespace; an unbound prefix on any tag is an error.
        let ns = match resolved {
            ResolveResult::Bound(ns) if matches!(event, Event::Start(_) | Event::Empty(_)) => {
                Some(names.get(ns.0))
            }
            ResolveResult::Bound(_) | ResolveResult::Unbound => None,
            ResolveResult::Unknown(p) => {
                return Err(at(
                    before,
                    Rule::XmlMalformed,
                    format!("namespace prefix `{}` is not declared", p),
                ))
            }
        };
        match event {
            Event::DocType(_) => {
                return Err(at(
                    before,
                    Rule::XmlDoctype,
                    "document type declarations (<!DOCTYPE …>) are refused: no entity is expanded"
                        .into(),
                ))
            }
            Event::Start(ref e) | Event::Empty(ref e) => {
                if seen_root && stack.is_empty() {
                    return Err(at(
                        before,
                        Rule::XmlMalformed,
                        "a second document element".into(),
                    ));
                }
                seen_root = true;
                if stack.len() >= MAX_DEPTH {
                    return Err(at(
                        before,
                        Rule::XmlTooDeep,
                        format!("elements nest deeper than {MAX_DEPTH} levels"),
                    ));
                }
                if elements.len() >= MAX_ELEMENTS {
                    return Err(at(
                        before,
                        Rule::XmlTooLarge,
                        format!("more than {MAX_ELEMENTS} elements"),
                    ));
                }
                let name = e.name();
                let prefix = names.get(name.prefix().map_or("", |p| p.into_inner()));
                let local = names.get(name.local_name().as_ref());
                let mut attrs = Vec::new();
                for a in e.attributes() {
                    let a = a.map_err(|err| {
                        at(before, Rule::XmlMalformed, format!("bad attribute: {err}"))
                    })?;
                    let key = a.key;
                    let a_prefix = key.prefix().map_or("", |p| p.into_inner());
                    if a_prefix == "xmlns" || key.as_ref() == "xmlns" {
                        continue;
                    }
                    let (a_res, a_local) = reader.resolver().resolve_attribute(key);
                    let a_ns = match a_res {
                        ResolveResult::Bound(n) => n.0,
                        ResolveResult::Unbound => "",
                        ResolveResult::Unknown(_) if a_prefix == "xml" => XML_NS,
                        ResolveResult::Unknown(p) => {
                            return Err(at(
                                before,
                                Rule::XmlMalformed,
                                format!("namespace prefix `{}` is not declared", p),
                            ))
                        }
                    };
                    let value = a
                        .normalized_value(quick_xml::XmlVersion::Implicit1_0)
                        .map_err(|err| {
                            at(
                                before,
                                Rule::XmlMalformed,
                                format!("attribute `{}`: {err}", key.as_ref()),
                            )
                        })?
                        .into_owned();
                    attrs.push(Attr {
                        ns: names.get(a_ns),
                        prefix: names.get(a_prefix),
                        local: names.get(a_local.as_ref()),
                        value,
                    });
                }
                let index = elements.len();
                let parent = stack.last().copied();
                if let Some(p) = parent {
                    elements[p].children.push(index);
                }
                elements.push(Element {
                    ns: ns.unwrap_or_else(|| names.get("")),
                    prefix,
                    local,
                    attrs,
                    text: String::new(),
                    children: Vec::new(),
                    parent,
                    offset: before,
                });
                if matches!(event, Event::Start(_)) {
                    stack.push(index);
                }
            }
            Event::End(_) => {
                stack.pop();
            }
            Event::Text(t) => {
                if let Some(&top) = stack.last() {
                    elements[top].text.push_str(&t.xml10_content());
                } else if !t.xml10_content().trim().is_empty() {
                    return Err(at(
                        before,
                        Rule::XmlMalformed,
                        "text outside the document element".into(),
                    ));
                }
            }
            Event::CData(t) => {
                if let Some(&top) = stack.last() {
                    elements[top].text.push_str(&t.into_inner());
                }
            }
            Event::GeneralRef(r) => {
                let resolved = match r.resolve_char_ref() {
                    Ok(Some(c)) => Some(c.to_string()),
                    Ok(None) => {
                        let name = r.into_inner();
                        match name.as_ref() {
                            "lt" => Some("<".into()),
                            "gt" => Some(">".into()),
                            "amp" => Some("&".into()),
                            "apos" => Some("'".into()),
                            "quot" => Some("\"".into()),
                            other => {
                                return Err(at(
                                    before,
                                    Rule::XmlMalformed,
                                    format!("undeclared entity `&{other};`"),
                                ))
                            }
                        }
                    }
                    Err(e) => {
                        return Err(at(before, Rule::XmlMalformed, format!("{e}")));
                    }
                };
                if let (Some(&top), Some(s)) = (stack.last(), resolved) {
                    elements[top].text.push_str(&s);
                }
            }
            Event::Eof => break,
            _ => {}
        }
    }
    if !stack.is_empty() {
        let end = source.len();
        return Err(at(
            end,
            Rule::XmlMalformed,
            format!("unexpected end of document: <{}> is not closed", {
                let e = &elements[*stack.last().unwrap_or(&0)];
                if e.prefix.is_empty() {
                    e.local.to_string()
                } else {
                    format!("{}:{}", e.prefix, e.local)
                }
            }),
        ));
    }
    if elements.is_empty() {
        return Err(at(0, Rule::XmlMalformed, "no document element".into()));
    }
    Ok(Doc {
        elements,
        line_starts,
        bom,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_namespaces_text_and_positions() {
        let src = b"<?xml version=\"1.0\"?>\n<m xmlns=\"u\" xmlns:a=\"v\">\n  <a:x a:k=\"1\" xml:base=\"b/\">t&amp;&#65;</a:x>\n</m>";
        let doc = parse("f.xml", src).unwrap();
        assert_eq!(doc.root().ns, "u");
        let x = doc.root().children[0];
        assert_eq!(doc.el(x).ns, "v");
        assert_eq!(doc.el(x).text, "t&A");
        assert_eq!(doc.attr_ns(x, "v", "k"), Some("1"));
        assert_eq!(doc.attr_ns(x, XML_NS, "base"), Some("b/"));
        assert_eq!(doc.position(x, src), (3, 3));
    }

    #[test]
    fn refuses_doctype_and_unknown_entities() {
        let e = parse("f.xml", b"<!DOCTYPE m [<!ENTITY a \"x\">]>\n<m>&a;</m>").unwrap_err();
        assert_eq!(e.rule, Rule::XmlDoctype);
        let e = parse("f.xml", b"<m>\n&a;</m>").unwrap_err();
        assert_eq!((e.rule, e.line), (Rule::XmlMalformed, Some(2)));
    }

    #[test]
    fn malformed_has_a_position() {
        let e = parse("f.xml", b"<m>\n  <a></b>\n</m>").unwrap_err();
        assert_eq!(e.rule, Rule::XmlMalformed);
        assert_eq!(e.line, Some(2));
    }
}
