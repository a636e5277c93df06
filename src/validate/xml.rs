//! The XML reader for package descriptors: the document as a tree of elements with resolved
//! namespaces and byte offsets, or the one finding that says why it cannot be read; and, as it
//! reads, the same document as events for the schema validator ([`Events`], see
//! [`super::xsd::parse_validating`]), so a descriptor is read once.
//!
//! It applies every well-formedness rule of XML 1.0 and Namespaces in XML 1.0 that a processor
//! reading no DTD applies (characters, names, attribute syntax and uniqueness, references,
//! comments, processing instructions, the XML declaration, reserved prefixes), the rules
//! xsd-schema's own reader applies: `tests/xml_reader.rs` checks the two agree.
//!
//! Safety: a `<!DOCTYPE>` is refused, so no entity is ever declared or expanded (billion laughs,
//! XXE); any entity reference other than the five predefined ones and character references is
//! malformed; the document size, nesting depth, element count and namespace bindings are bounded.

use super::finding::{Finding, Rule};
use quick_xml::events::Event;
use std::borrow::Cow;
use std::collections::{HashMap, HashSet};
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

/// Real descriptors use a few dozen distinct names; a thread keeps at most this many, of at most
/// this many bytes (longer ones, namespace URIs mostly, are not shared), so the memory the names
/// of hostile documents can hold on to is bounded.
const MAX_INTERNED: usize = 4096;
pub(crate) const MAX_INTERNED_BYTES: usize = 256;
/// Longer element and attribute names are refused (as xsd-schema's reader refuses them).
const MAX_NAME_BYTES: usize = 1024;

/// The names of one document, each stored once, and the qualified names already split and
/// checked (most tags repeat a handful of names).
#[derive(Default)]
struct Names {
    names: HashSet<Rc<str>, BuildHasherDefault<WordHash>>,
    qnames: HashMap<Box<str>, (Name, Name), BuildHasherDefault<WordHash>>,
}

/// A multiply-rotate hash taken a word at a time (the scheme of rustc's FxHash): names are
/// short, and a keyed hash (SipHash) cost a tenth of the parse. The tables are capped
/// ([`MAX_INTERNED`]), so names a hostile document makes collide cannot degrade them without
/// bound.
#[derive(Default)]
pub(crate) struct WordHash(u64);

impl Hasher for WordHash {
    fn finish(&self) -> u64 {
        self.0
    }
    fn write(&mut self, bytes: &[u8]) {
        let mut chunks = bytes.chunks_exact(8);
        for chunk in &mut chunks {
            let word = u64::from_le_bytes(chunk.try_into().expect("8 bytes"));
            self.add(word);
        }
        let mut tail = [0u8; 8];
        let rest = chunks.remainder();
        tail[..rest.len()].copy_from_slice(rest);
        self.add(u64::from_le_bytes(tail) ^ rest.len() as u64);
    }
    fn write_u8(&mut self, byte: u8) {
        self.add(u64::from(byte));
    }
    fn write_usize(&mut self, n: usize) {
        self.add(n as u64);
    }
}

impl WordHash {
    fn add(&mut self, word: u64) {
        self.0 = (self.0.rotate_left(5) ^ word).wrapping_mul(0x51_7c_c1_b7_27_22_0a_95);
    }
}

thread_local! {
    /// This thread's names. They outlive documents: the next manifest mostly repeats the last
    /// one's names, already split and checked. Cleared when full, so bounded (the documents that
    /// hold names keep them).
    static NAMES: std::cell::RefCell<Names> = Default::default();
}

/// This thread's [`Names`], taken for one parse and put back when it ends, however it ends.
struct Interned(Names);

impl Interned {
    fn take() -> Self {
        Interned(NAMES.with(|names| std::mem::take(&mut *names.borrow_mut())))
    }
}

impl Drop for Interned {
    fn drop(&mut self) {
        let names = std::mem::take(&mut self.0);
        NAMES.with(|slot| *slot.borrow_mut() = names);
    }
}

impl std::ops::Deref for Interned {
    type Target = Names;
    fn deref(&self) -> &Names {
        &self.0
    }
}

impl std::ops::DerefMut for Interned {
    fn deref_mut(&mut self) -> &mut Names {
        &mut self.0
    }
}

impl Names {
    fn get(&mut self, name: &str) -> Name {
        if let Some(known) = self.names.get(name) {
            return Name(known.clone());
        }
        let new: Rc<str> = Rc::from(name);
        if name.len() > MAX_INTERNED_BYTES {
            return Name(new);
        }
        if self.names.len() >= MAX_INTERNED {
            self.names.clear();
        }
        self.names.insert(new.clone());
        Name(new)
    }

    /// (prefix, local part) of the qualified name `qname`, checked by [`split_qname`] the first
    /// time it is seen.
    fn qname(&mut self, qname: &str) -> Result<(Name, Name), String> {
        if let Some(split) = self.qnames.get(qname) {
            return Ok(split.clone());
        }
        let (prefix, local) = split_qname(qname)?;
        let split = (self.get(prefix), self.get(local));
        if qname.len() <= MAX_INTERNED_BYTES {
            if self.qnames.len() >= MAX_INTERNED {
                self.qnames.clear();
            }
            self.qnames.insert(qname.into(), split.clone());
        }
        Ok(split)
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
    /// The element's own character data (not its children's), entity references resolved;
    /// runs of white space alone (the indentation between child elements) are left out.
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
    /// Offsets of line starts, computed the first time a position is asked for.
    line_starts: std::cell::OnceCell<Vec<usize>>,
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
        let starts = self.line_starts.get_or_init(|| line_starts(source));
        line_col(starts, self.bom, source, offset)
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

/// What a streaming consumer (the schema validator) sees while a document is read, in document
/// order: the same events, split the same way, as xsd-schema's own driver gives its runtime.
pub trait Events {
    /// Element `index` has been read up to the end of its start tag. `scope` holds the namespace
    /// declarations in scope as (prefix, URI), `""` being the default namespace, innermost last;
    /// the last `declared` of them are on this tag.
    fn start(
        &mut self,
        _doc: &[Element],
        _index: usize,
        _scope: &[(Name, Name)],
        _declared: usize,
    ) {
    }
    /// A run of character data inside an element (references resolved, line ends normalised);
    /// a comment, processing instruction, CDATA section or tag ends a run.
    fn text(&mut self, _run: &str) {}
    /// A CDATA section's content.
    fn cdata(&mut self, _text: &str) {}
    /// The innermost open element has ended; `end` is the offset one past its closing `>`.
    fn end(&mut self, _end: usize) {}
}

/// No consumer: [`parse`].
impl Events for () {}

/// Parse `source` (the file `file` of the package). `Err` holds the one finding that stopped it.
pub fn parse(file: &str, source: &[u8]) -> Result<Doc, Finding> {
    parse_with(file, source, &mut ())
}

/// [`parse`], telling `events` what is read as it is read.
///
/// The checks are those of a conforming XML 1.0 + Namespaces processor that reads no DTD
/// (the rules of xsd-schema's reader, which `tests/validate_props.rs` compares against): a
/// document this accepts is one every LMS's parser accepts.
pub fn parse_with(file: &str, source: &[u8], events: &mut impl Events) -> Result<Doc, Finding> {
    let bom = source.starts_with(b"\xEF\xBB\xBF");
    let at = |offset: usize, rule: Rule, message: String| {
        let (l, c) = line_col(&line_starts(source), bom, source, offset);
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
    let body = source.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(source);
    let text = match std::str::from_utf8(body) {
        Ok(text) => text,
        Err(e) => {
            let valid = e.valid_up_to() + (source.len() - body.len());
            return Err(at(
                valid,
                Rule::XmlMalformed,
                "the document is not UTF-8 (descriptors must be UTF-8)".into(),
            ));
        }
    };
    let shift = source.len() - body.len();
    if let Some(i) = not_a_char(text) {
        return Err(at(
            i + shift,
            Rule::XmlMalformed,
            "a character that XML does not allow (a control character, U+FFFE or U+FFFF)".into(),
        ));
    }

    let mut reader = quick_xml::Reader::from_str(text);
    reader.config_mut().check_comments = true;
    let mut state = State {
        names: Interned::take(),
        // About one element per 40 bytes of a typical manifest: grown once or never.
        elements: Vec::with_capacity((source.len() / 40 + 1).min(4096)),
        stack: Vec::new(),
        bindings: Vec::new(),
        scopes: Vec::new(),
        pending: String::new(),
    };
    let empty = state.names.get("");
    let mut seen_root = false;
    loop {
        let before = usize::try_from(reader.buffer_position()).unwrap_or(usize::MAX);
        let event = match reader.read_event() {
            Ok(event) => event,
            Err(e) => {
                let pos = usize::try_from(reader.error_position()).unwrap_or(before);
                return Err(at(
                    pos + shift,
                    Rule::XmlMalformed,
                    format!("not well-formed: {e}"),
                ));
            }
        };
        let here = before + shift;
        let malformed = |message: String| at(here, Rule::XmlMalformed, message);
        // A run of character data is Text and references, up to the next other event.
        if !matches!(event, Event::Text(_) | Event::GeneralRef(_)) {
            state.flush(events);
        }
        match event {
            Event::DocType(_) => {
                return Err(at(
                    here,
                    Rule::XmlDoctype,
                    "document type declarations (<!DOCTYPE …>) are refused: no entity is expanded"
                        .into(),
                ))
            }
            Event::Decl(ref d) => {
                if before != 0 {
                    return Err(malformed(
                        "an XML declaration must be at the very start of the document".into(),
                    ));
                }
                check_declaration(d.as_ref()).map_err(|m| malformed(m.into()))?;
            }
            Event::PI(ref pi) => {
                let target: &str = pi.target();
                if !is_ncname(target) || target.eq_ignore_ascii_case("xml") {
                    return Err(malformed(format!(
                        "`<?{target}` is not a valid processing-instruction target"
                    )));
                }
                let rest = &pi.as_ref()[target.len()..];
                if !rest.is_empty() && !rest.starts_with([' ', '\t', '\n', '\r']) {
                    return Err(malformed(format!(
                        "`<?{target}`: the target must be followed by white space"
                    )));
                }
            }
            Event::Comment(ref c) => {
                if c.as_ref().ends_with('-') {
                    return Err(malformed(
                        "a comment must not end with `-` before `-->`".into(),
                    ));
                }
            }
            Event::Start(ref e) | Event::Empty(ref e) => {
                if seen_root && state.stack.is_empty() {
                    return Err(malformed("a second document element".into()));
                }
                seen_root = true;
                if state.stack.len() >= MAX_DEPTH {
                    return Err(at(
                        here,
                        Rule::XmlTooDeep,
                        format!("elements nest deeper than {MAX_DEPTH} levels"),
                    ));
                }
                if state.elements.len() >= MAX_ELEMENTS {
                    return Err(at(
                        here,
                        Rule::XmlTooLarge,
                        format!("more than {MAX_ELEMENTS} elements"),
                    ));
                }
                let raw_name: &str = e.name().into_inner();
                let too_long = |name: &str| {
                    at(
                        here,
                        Rule::XmlTooLarge,
                        format!(
                            "a name of {} bytes; names over {MAX_NAME_BYTES} bytes are refused",
                            name.len()
                        ),
                    )
                };
                if raw_name.len() > MAX_NAME_BYTES {
                    return Err(too_long(raw_name));
                }
                let (prefix, local) = state.names.qname(raw_name).map_err(&malformed)?;
                // A problem in the attributes is placed where it is, past `<` and the name.
                let raw = read_attributes(e.attributes_raw()).map_err(|(offset, message)| {
                    at(
                        here + 1 + raw_name.len() + offset,
                        Rule::XmlMalformed,
                        message,
                    )
                })?;

                // Namespace declarations first: they apply to the tag they are on.
                let mut declared = 0;
                for a in raw.iter().filter(|a| a.is_xmlns()) {
                    // `xmlns` declares the default namespace, `xmlns:p` the prefix `p` (an NCName).
                    let bound = if a.name == "xmlns" { "" } else { &a.name[6..] };
                    if a.name != "xmlns" && !is_ncname(bound) {
                        return Err(malformed(format!(
                            "`{}` is not a valid qualified name",
                            a.name
                        )));
                    }
                    check_declaration_binding(bound, &a.value).map_err(&malformed)?;
                    let binding = (state.names.get(bound), state.names.get(&a.value));
                    state.bindings.push(binding);
                    declared += 1;
                }
                state.scopes.push(declared);
                if state.bindings.len() > MAX_BINDINGS {
                    return Err(at(
                        here,
                        Rule::XmlTooLarge,
                        format!("more than {MAX_BINDINGS} namespace declarations in scope"),
                    ));
                }

                if prefix == "xmlns" {
                    return Err(malformed(format!(
                        "`{raw_name}`: the prefix `xmlns` is reserved for declarations"
                    )));
                }
                let ns = state.resolve(&prefix, true).ok_or_else(|| {
                    malformed(format!("namespace prefix `{prefix}` is not declared"))
                })?;
                let mut attrs: Vec<Attr> = Vec::with_capacity(raw.len());
                for a in raw.into_iter().filter(|a| !a.is_xmlns()) {
                    if a.name.len() > MAX_NAME_BYTES {
                        return Err(too_long(a.name));
                    }
                    let (a_prefix, local) = state.names.qname(a.name).map_err(&malformed)?;
                    let a_ns = if a_prefix.is_empty() {
                        empty.clone()
                    } else {
                        state.resolve(&a_prefix, false).ok_or_else(|| {
                            malformed(format!("namespace prefix `{a_prefix}` is not declared"))
                        })?
                    };
                    if attrs.iter().any(|b| b.local == local && b.ns == a_ns) {
                        return Err(malformed(format!(
                            "attribute `{}` is given twice (as {{{a_ns}}}{local})",
                            a.name
                        )));
                    }
                    attrs.push(Attr {
                        ns: a_ns,
                        prefix: a_prefix,
                        local,
                        value: a.value.into_owned(),
                    });
                }
                let index = state.elements.len();
                let parent = state.stack.last().copied();
                if let Some(p) = parent {
                    state.elements[p].children.push(index);
                }
                state.elements.push(Element {
                    ns,
                    prefix,
                    local,
                    attrs,
                    text: String::new(),
                    children: Vec::new(),
                    parent,
                    offset: here,
                });
                state.stack.push(index);
                events.start(&state.elements, index, &state.bindings, declared);
                if matches!(event, Event::Empty(_)) {
                    let end = usize::try_from(reader.buffer_position()).unwrap_or(usize::MAX);
                    state.close(end + shift, events);
                }
            }
            Event::End(_) => {
                let end = usize::try_from(reader.buffer_position()).unwrap_or(usize::MAX);
                state.close(end + shift, events);
            }
            Event::Text(t) => {
                if t.as_ref().contains("]]>") {
                    return Err(malformed("`]]>` in character data".into()));
                }
                if state.stack.is_empty() {
                    if !t.as_ref().bytes().all(is_space) {
                        return Err(malformed("text outside the document element".into()));
                    }
                } else {
                    state.pending.push_str(&t.xml10_content());
                }
            }
            Event::CData(t) => {
                let Some(&top) = state.stack.last() else {
                    return Err(malformed(
                        "a CDATA section outside the document element".into(),
                    ));
                };
                let content: &str = t.as_ref();
                state.elements[top].text.push_str(content);
                events.cdata(content);
            }
            Event::GeneralRef(r) => {
                if state.stack.is_empty() {
                    return Err(malformed("a reference outside the document element".into()));
                }
                let name: &str = r.as_ref();
                let resolved = resolve_reference(name).map_err(&malformed)?;
                state.pending.push(resolved);
            }
            Event::Eof => break,
        }
    }
    if !state.stack.is_empty() {
        let end = source.len();
        return Err(at(
            end,
            Rule::XmlMalformed,
            format!("unexpected end of document: <{}> is not closed", {
                let e = &state.elements[*state.stack.last().unwrap_or(&0)];
                if e.prefix.is_empty() {
                    e.local.to_string()
                } else {
                    format!("{}:{}", e.prefix, e.local)
                }
            }),
        ));
    }
    if state.elements.is_empty() {
        return Err(at(0, Rule::XmlMalformed, "no document element".into()));
    }
    Ok(Doc {
        elements: state.elements,
        line_starts: std::cell::OnceCell::new(),
        bom,
    })
}

/// At most this many namespace declarations in scope at once.
const MAX_BINDINGS: usize = 1024;
const XMLNS_NS: &str = "http://www.w3.org/2000/xmlns/";

/// The reader's state between events.
struct State {
    names: Interned,
    elements: Vec<Element>,
    /// Open elements, innermost last.
    stack: Vec<usize>,
    /// Namespace declarations in scope, innermost last, as (prefix, URI).
    bindings: Vec<(Name, Name)>,
    /// Per open element, how many of `bindings` its tag declared.
    scopes: Vec<usize>,
    /// The character data run being read.
    pending: String,
}

impl State {
    /// The namespace of `prefix`. Unprefixed attributes have none; an unprefixed element the
    /// default namespace, if one is declared.
    fn resolve(&mut self, prefix: &str, element: bool) -> Option<Name> {
        if prefix == "xml" {
            return Some(self.names.get(XML_NS));
        }
        let found = self.bindings.iter().rev().find(|(p, _)| **p == *prefix);
        match found {
            Some((_, uri)) if !prefix.is_empty() || element => Some(uri.clone()),
            None if prefix.is_empty() => Some(self.names.get("")),
            _ => None,
        }
    }

    fn flush(&mut self, events: &mut impl Events) {
        if self.pending.is_empty() {
            return;
        }
        if let Some(&top) = self.stack.last() {
            if !self.pending.bytes().all(is_space) {
                self.elements[top].text.push_str(&self.pending);
            }
            events.text(&self.pending);
        }
        self.pending.clear();
    }

    fn close(&mut self, end: usize, events: &mut impl Events) {
        self.stack.pop();
        let declared = self.scopes.pop().unwrap_or(0);
        self.bindings.truncate(self.bindings.len() - declared);
        events.end(end);
    }
}

/// One attribute as written: its qualified name and its normalised value.
struct RawAttr<'a> {
    name: &'a str,
    value: Cow<'a, str>,
}

impl RawAttr<'_> {
    fn is_xmlns(&self) -> bool {
        self.name == "xmlns" || self.name.starts_with("xmlns:")
    }
}

/// The attributes of a start tag, from the text after its name (XML 1.0 §3.1 [40], [41]):
/// each preceded by white space, `Name Eq AttValue`, no `<` in a value, every reference
/// resolved, and each name once (Unique Att Spec).
fn read_attributes(raw: &str) -> Result<Vec<RawAttr<'_>>, (usize, String)> {
    let b = raw.as_bytes();
    let mut out: Vec<RawAttr> = Vec::new();
    let mut i = 0;
    loop {
        let spaced = i < b.len() && is_space(b[i]);
        while i < b.len() && is_space(b[i]) {
            i += 1;
        }
        if i == b.len() {
            return Ok(out);
        }
        if !spaced {
            return Err((i, "attributes must be separated by white space".into()));
        }
        let start = i;
        while i < b.len() && !is_space(b[i]) && b[i] != b'=' {
            i += 1;
        }
        // The name is checked as a qualified name by the caller (once per distinct name).
        let name = &raw[start..i];
        if name.is_empty() {
            return Err((start, "an attribute without a name".into()));
        }
        while i < b.len() && is_space(b[i]) {
            i += 1;
        }
        if i == b.len() || b[i] != b'=' {
            return Err((start, format!("attribute `{name}` has no `=` and value")));
        }
        i += 1;
        while i < b.len() && is_space(b[i]) {
            i += 1;
        }
        let quote = match b.get(i) {
            Some(&q @ (b'"' | b'\'')) => q,
            _ => {
                return Err((
                    start,
                    format!("the value of attribute `{name}` is not quoted"),
                ))
            }
        };
        i += 1;
        let value_start = i;
        while i < b.len() && b[i] != quote {
            i += 1;
        }
        if i == b.len() {
            return Err((
                start,
                format!("the value of attribute `{name}` is not closed"),
            ));
        }
        let value = normalize_attribute(&raw[value_start..i])
            .map_err(|m| (start, format!("attribute `{name}`: {m}")))?;
        i += 1;
        if out.iter().any(|a| a.name == name) {
            return Err((start, format!("attribute `{name}` is given twice")));
        }
        out.push(RawAttr { name, value });
    }
}

fn is_space(b: u8) -> bool {
    matches!(b, b' ' | b'\t' | b'\n' | b'\r')
}

/// Attribute-value normalisation (XML 1.0 §3.3.3) for CDATA attributes: references resolved,
/// each white-space character (a CR LF pair being one) a space.
fn normalize_attribute(raw: &str) -> Result<Cow<'_, str>, String> {
    if !raw.contains(['<', '&', '\t', '\n', '\r']) {
        return Ok(Cow::Borrowed(raw));
    }
    let mut out = String::with_capacity(raw.len());
    let mut rest = raw;
    while let Some(i) = rest.find(['<', '&', '\t', '\n', '\r']) {
        out.push_str(&rest[..i]);
        let c = rest.as_bytes()[i];
        rest = &rest[i + 1..];
        match c {
            b'<' => return Err("`<` is not allowed in an attribute value".into()),
            b'&' => {
                let end = rest
                    .find(';')
                    .ok_or("an `&` that starts no reference (write `&amp;`)")?;
                out.push(resolve_reference(&rest[..end])?);
                rest = &rest[end + 1..];
            }
            b'\r' => {
                rest = rest.strip_prefix('\n').unwrap_or(rest);
                out.push(' ');
            }
            _ => out.push(' '),
        }
    }
    out.push_str(rest);
    Ok(Cow::Owned(out))
}

/// The character a reference (`amp`, `#65`, `#x41`: the text between `&` and `;`) stands for.
/// Only the five predefined entities exist: no DTD is read.
fn resolve_reference(name: &str) -> Result<char, String> {
    let code = if let Some(hex) = name.strip_prefix("#x") {
        u32::from_str_radix(hex, 16)
            .ok()
            .filter(|_| !hex.starts_with('+'))
    } else if let Some(dec) = name.strip_prefix('#') {
        dec.parse::<u32>().ok().filter(|_| !dec.starts_with('+'))
    } else {
        return match name {
            "lt" => Ok('<'),
            "gt" => Ok('>'),
            "amp" => Ok('&'),
            "apos" => Ok('\''),
            "quot" => Ok('"'),
            _ if is_name(name) => Err(format!("undeclared entity `&{name};`")),
            _ => Err(format!("`&{name};` is not a reference")),
        };
    };
    code.and_then(char::from_u32)
        .filter(|&c| is_xml_char(c))
        .ok_or_else(|| format!("`&{name};` does not name an XML character"))
}

/// XML 1.0 §2.2 [2] `Char`.
fn is_xml_char(c: char) -> bool {
    matches!(c, '\t' | '\n' | '\r' | '\u{20}'..='\u{D7FF}' | '\u{E000}'..='\u{FFFD}' | '\u{10000}'..)
}

/// The offset of the first character of `text` that is not an XML `Char`. Valid UTF-8 holds no
/// surrogates, so the C0 controls and U+FFFE / U+FFFF (`EF BF BE`, `EF BF BF`) are all to find.
fn not_a_char(text: &str) -> Option<usize> {
    let b = text.as_bytes();
    // Eight bytes at a time: most words hold no byte below 0x20 and no 0xEF.
    const ONES: u64 = 0x0101_0101_0101_0101;
    const HIGH: u64 = 0x8080_8080_8080_8080;
    let suspect = |w: u64| {
        let below_space = w.wrapping_sub(ONES * 0x20) & !w;
        let ef = (w ^ (ONES * 0xEF)).wrapping_sub(ONES) & !(w ^ (ONES * 0xEF));
        (below_space | ef) & HIGH != 0
    };
    let mut i = 0;
    while i < b.len() {
        if i + 8 <= b.len() {
            let w = u64::from_le_bytes(b[i..i + 8].try_into().expect("8 bytes"));
            if !suspect(w) {
                i += 8;
                continue;
            }
        }
        let end = (i + 8).min(b.len());
        for at in i..end {
            let bad = match b[at] {
                b'\t' | b'\n' | b'\r' => false,
                0xEF => matches!(b.get(at + 1..at + 3), Some([0xBF, 0xBE | 0xBF])),
                c => c < 0x20,
            };
            if bad {
                return Some(at);
            }
        }
        i = end;
    }
    None
}

/// (prefix, local part) of a qualified name (Namespaces in XML §4): at most one colon, both
/// parts NCNames.
fn split_qname(name: &str) -> Result<(&str, &str), String> {
    let (prefix, local) = name.split_once(':').unwrap_or(("", name));
    let prefix_ok = prefix.is_empty() && !name.starts_with(':') || is_ncname(prefix);
    if !prefix_ok || !is_ncname(local) {
        return Err(format!("`{name}` is not a valid qualified name"));
    }
    Ok((prefix, local))
}

/// Namespaces in XML §3 (reserved prefixes and names) and §5 (no prefix undeclaring).
fn check_declaration_binding(prefix: &str, uri: &str) -> Result<(), String> {
    let attr = if prefix.is_empty() {
        "xmlns".to_owned()
    } else {
        format!("xmlns:{prefix}")
    };
    if prefix == "xmlns" || uri == XMLNS_NS {
        return Err(format!(
            "`{attr}`: the `xmlns` prefix and namespace cannot be declared"
        ));
    }
    if (prefix == "xml") != (uri == XML_NS) {
        return Err(format!(
            "`{attr}=\"{uri}\"`: only the prefix `xml` may be bound to {XML_NS}, and only to it"
        ));
    }
    if !prefix.is_empty() && uri.is_empty() {
        return Err(format!(
            "`{attr}=\"\"`: a prefix cannot be undeclared in XML 1.0"
        ));
    }
    Ok(())
}

/// The XML declaration (XML 1.0 §2.8 [23]–[26], [32], [80]): `version`, then optionally
/// `encoding` and `standalone`, in that order and nothing else. `content` is what quick-xml
/// gives: the text after `<?`, without `?>`.
fn check_declaration(text: &str) -> Result<(), &'static str> {
    let rest = text
        .strip_prefix("xml")
        .ok_or("a malformed XML declaration")?;
    // Pseudo-attributes: their values are literal, never references.
    if rest.contains('&') {
        return Err("a reference in the XML declaration");
    }
    let attrs = read_attributes(rest).map_err(|_| "a malformed XML declaration")?;
    let mut order = attrs.iter().map(|a| a.name);
    let mut next = order.next();
    let version = attrs.first().filter(|_| next == Some("version"));
    let version = version.ok_or("the XML declaration must start with `version`")?;
    let digits = version.value.strip_prefix("1.").unwrap_or("");
    if digits.is_empty() || !digits.bytes().all(|b| b.is_ascii_digit()) {
        return Err("the XML declaration's version must be `1.` and digits");
    }
    next = order.next();
    if next == Some("encoding") {
        let encoding = &attrs[1].value;
        let mut chars = encoding.chars();
        let ok = chars.next().is_some_and(|c| c.is_ascii_alphabetic())
            && chars.all(|c| c.is_ascii_alphanumeric() || matches!(c, '.' | '_' | '-'));
        if !ok {
            return Err("the XML declaration's encoding is not an encoding name");
        }
        next = order.next();
    }
    if next == Some("standalone") {
        let standalone = attrs
            .iter()
            .find(|a| a.name == "standalone")
            .map(|a| &*a.value);
        if !matches!(standalone, Some("yes" | "no")) {
            return Err("the XML declaration's standalone must be `yes` or `no`");
        }
        next = order.next();
    }
    if next.is_some() {
        return Err("the XML declaration has pseudo-attributes out of order or unknown ones");
    }
    Ok(())
}

/// XML 1.0 §2.3 [5] `Name`.
fn is_name(s: &str) -> bool {
    let mut chars = s.chars();
    chars.next().is_some_and(|c| c == ':' || is_name_start(c))
        && chars.all(|c| c == ':' || is_name_char(c))
}

/// Namespaces in XML §3 `NCName`: a `Name` without colons.
fn is_ncname(s: &str) -> bool {
    let mut chars = s.chars();
    chars.next().is_some_and(is_name_start) && chars.all(is_name_char)
}

/// XML 1.0 (Fifth Edition) §2.3 [4] `NameStartChar`, without the colon.
fn is_name_start(c: char) -> bool {
    matches!(c,
        'A'..='Z' | '_' | 'a'..='z' | '\u{C0}'..='\u{D6}' | '\u{D8}'..='\u{F6}'
        | '\u{F8}'..='\u{2FF}' | '\u{370}'..='\u{37D}' | '\u{37F}'..='\u{1FFF}'
        | '\u{200C}'..='\u{200D}' | '\u{2070}'..='\u{218F}' | '\u{2C00}'..='\u{2FEF}'
        | '\u{3001}'..='\u{D7FF}' | '\u{F900}'..='\u{FDCF}' | '\u{FDF0}'..='\u{FFFD}'
        | '\u{10000}'..='\u{EFFFF}')
}

/// XML 1.0 (Fifth Edition) §2.3 [4a] `NameChar`, without the colon.
fn is_name_char(c: char) -> bool {
    is_name_start(c)
        || matches!(c, '-' | '.' | '0'..='9' | '\u{B7}' | '\u{300}'..='\u{36F}' | '\u{203F}'..='\u{2040}')
}

/// Offsets of the starts of the lines of `source`.
fn line_starts(source: &[u8]) -> Vec<usize> {
    std::iter::once(0)
        .chain(
            source
                .iter()
                .enumerate()
                .filter(|(_, &b)| b == b'\n')
                .map(|(i, _)| i + 1),
        )
        .collect()
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
    fn long_names_are_refused_and_long_uris_not_kept() {
        let long = "a".repeat(MAX_NAME_BYTES + 1);
        let e = parse("f.xml", format!("<{long}/>").as_bytes()).unwrap_err();
        assert_eq!(e.rule, Rule::XmlTooLarge);
        let e = parse("f.xml", format!("<m {long}=\"1\"/>").as_bytes()).unwrap_err();
        assert_eq!(e.rule, Rule::XmlTooLarge);
        let uri = format!("urn:{}", "u".repeat(4 * MAX_INTERNED_BYTES));
        let doc = parse("f.xml", format!("<m xmlns=\"{uri}\"/>").as_bytes()).unwrap();
        assert_eq!(doc.root().ns, uri.as_str());
        let kept = NAMES.with(|n| {
            n.borrow()
                .names
                .iter()
                .any(|name| name.len() > MAX_INTERNED_BYTES)
        });
        assert!(!kept, "a long name was kept by the thread");
    }

    #[test]
    fn a_bad_attribute_is_placed_where_it_is() {
        let e = parse("f.xml", "<m>\n  <é a=\"1\"b=\"2\"/>\n</m>".as_bytes()).unwrap_err();
        assert_eq!((e.line, e.column), (Some(2), Some(11)), "{}", e.message);
        let e = parse("f.xml", b"<m a=\"1\" a=\"2\"/>").unwrap_err();
        assert_eq!(e.column, Some(10), "{}", e.message);
    }

    #[test]
    fn malformed_has_a_position() {
        let e = parse("f.xml", b"<m>\n  <a></b>\n</m>").unwrap_err();
        assert_eq!(e.rule, Rule::XmlMalformed);
        assert_eq!(e.line, Some(2));
    }
}
