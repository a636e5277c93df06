//! XSD validation of manifests against the official schemas, embedded in the binary.
//!
//! Why in-process: a package that an LMS rejects is found out late and far away, so every
//! manifest we write is checked against the publisher's own schema before it is zipped, with no
//! network, no `xmllint` and no schema files next to the binary. The schema folders under
//! `schemas/` are embedded with rust-embed and served to `xsd-schema` by a [`SchemaLoader`] of
//! our own; `scripts/xmllint-check.sh` runs the same check with libxml2 as a second opinion.
//!
//! Security: the schema set is chosen by the caller (the standard being built), never by the
//! document's `xsi:schemaLocation`, which a hostile package could point anywhere; the loader can
//! read nothing but the embedded schemas, so nothing is ever fetched from the network or the
//! disk; a document with a `<!DOCTYPE>` is refused before validation, so no entity is ever
//! expanded (billion laughs); parse limits bound nesting and node counts.

use std::borrow::Cow;
use std::cell::RefCell;
use std::collections::HashMap;
use std::sync::OnceLock;

use quick_xml::events::Event;
use quick_xml::name::ResolveResult;
use quick_xml::NsReader;
use rust_embed::RustEmbed;
use xsd_schema::namespace::{NameTable, NamespaceContextSnapshot};
use xsd_schema::validation::ValidationRuntime;
use xsd_schema::validation::{
    drive_quick_xml_with, DoctypeView, DriveWithError, ElementStartView, EndElementInfo,
    EndOfAttributesView, SchemaValidator, ValidationError, ValidationEventHandler, ValidationFlags,
    ValidationRoot, ValidationSink, ValidationWarning,
};
use xsd_schema::xml::ParseLimits;

use super::finding::Finding;
use super::xml::{Doc, Element, Name, WordHash, MAX_INTERNED_BYTES};
use std::hash::BuildHasherDefault;
use xsd_schema::{
    ElementKey, LoaderChain, LocationRequest, NameId, ResolverConfig, SchemaError, SchemaLoader,
    SchemaResolver, SchemaResult, SchemaSetBuilder, XsdVersion,
};

/// The official schema folders (`schemas/<set>/…`), compiled into the binary so validation and
/// packaging work from any directory.
#[derive(RustEmbed)]
#[folder = "schemas/"]
struct EmbeddedSchemas;

/// Which embedded schema set to validate against.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum SchemaSet {
    /// ADL SCORM 1.2 (IMS CP 1.1.2, IMS MD 1.2.1, `adlcp_rootv1p2`), folder `scorm12/`.
    Scorm12,
    /// ADL SCORM 2004 4th Edition with the IEEE LOM tree, folder `scorm2004-4th/`.
    Scorm2004_4th,
    /// SCORM 2004 3rd Edition as Rustici ships it (see `schemas/PROVENANCE.md`), folder
    /// `scorm2004-3rd/`.
    Scorm2004_3rd,
    /// cmi5 `CourseStructure.xsd`, folder `cmi5/`.
    Cmi5,
    /// Tin Can `tincan.xsd` (unverified third-party copy), folder `tincan/`.
    TinCan,
}

impl SchemaSet {
    /// Every set, in a fixed order.
    pub const ALL: [SchemaSet; 5] = [
        SchemaSet::Scorm12,
        SchemaSet::Scorm2004_4th,
        SchemaSet::Scorm2004_3rd,
        SchemaSet::Cmi5,
        SchemaSet::TinCan,
    ];

    /// The folder under `schemas/` that holds this set.
    pub fn folder(self) -> &'static str {
        match self {
            SchemaSet::Scorm12 => "scorm12",
            SchemaSet::Scorm2004_4th => "scorm2004-4th",
            SchemaSet::Scorm2004_3rd => "scorm2004-3rd",
            SchemaSet::Cmi5 => "cmi5",
            SchemaSet::TinCan => "tincan",
        }
    }

    /// A human name for messages.
    pub fn label(self) -> &'static str {
        match self {
            SchemaSet::Scorm12 => "SCORM 1.2",
            SchemaSet::Scorm2004_4th => "SCORM 2004 4th Edition",
            SchemaSet::Scorm2004_3rd => "SCORM 2004 3rd Edition",
            SchemaSet::Cmi5 => "cmi5",
            SchemaSet::TinCan => "Tin Can",
        }
    }

    /// The expanded name (namespace, local name) the document element must have.
    pub fn root_element(self) -> (&'static str, &'static str) {
        match self {
            SchemaSet::Scorm12 => ("http://www.imsproject.org/xsd/imscp_rootv1p1p2", "manifest"),
            SchemaSet::Scorm2004_4th | SchemaSet::Scorm2004_3rd => {
                ("http://www.imsglobal.org/xsd/imscp_v1p1", "manifest")
            }
            SchemaSet::Cmi5 => (
                "https://w3id.org/xapi/profiles/cmi5/v1/CourseStructure.xsd",
                "courseStructure",
            ),
            SchemaSet::TinCan => ("http://projecttincan.com/tincan.xsd", "tincan"),
        }
    }

    /// The schema documents compiled for this set, relative to its folder. Every namespace a
    /// manifest may use must be here: IMS CP's wildcards are `lax` (2004) or `strict` (1.2), so
    /// an extension element is only checked if its namespace is loaded.
    fn entry_points(self) -> &'static [&'static str] {
        match self {
            SchemaSet::Scorm12 => &[
                "imscp_rootv1p1p2.xsd",
                "adlcp_rootv1p2.xsd",
                "imsmd_rootv1p2p1.xsd",
            ],
            SchemaSet::Scorm2004_4th | SchemaSet::Scorm2004_3rd => &[
                "imscp_v1p1.xsd",
                "adlcp_v1p3.xsd",
                "adlseq_v1p3.xsd",
                "adlnav_v1p3.xsd",
                "imsss_v1p0.xsd",
                "lom.xsd",
            ],
            SchemaSet::Cmi5 => &["CourseStructure.xsd"],
            SchemaSet::TinCan => &["tincan.xsd"],
        }
    }

    /// These schemas were written for XSD 1.0, and that is what we apply, except to SCORM 1.2:
    /// its ADL-edited `imsmd_rootv1p2p1.xsd` violates XSD 1.0's Unique Particle Attribution
    /// rule (a `##any` wildcard next to LOM elements) and is refused in 1.0 mode; XSD 1.1
    /// relaxes UPA (an element declaration wins over a wildcard), which is also how every LMS
    /// reads it.
    fn xsd_version(self) -> XsdVersion {
        match self {
            SchemaSet::Scorm12 => XsdVersion::V1_1,
            _ => XsdVersion::V1_0,
        }
    }

    fn index(self) -> usize {
        match self {
            SchemaSet::Scorm12 => 0,
            SchemaSet::Scorm2004_4th => 1,
            SchemaSet::Scorm2004_3rd => 2,
            SchemaSet::Cmi5 => 3,
            SchemaSet::TinCan => 4,
        }
    }
}

/// One schema violation, with the position in the validated document when known.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct XsdError {
    /// 1-based line.
    pub line: Option<u32>,
    /// 1-based column, in characters.
    pub column: Option<u32>,
    /// The constraint code and the validator's message, e.g. `[cvc-enumeration-valid] …`.
    pub message: String,
}

impl std::fmt::Display for XsdError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match (self.line, self.column) {
            (Some(line), Some(column)) => write!(f, "{line}:{column}: {}", self.message),
            (Some(line), None) => write!(f, "{line}: {}", self.message),
            _ => f.write_str(&self.message),
        }
    }
}

impl std::error::Error for XsdError {}

impl XsdError {
    fn without_position(message: impl Into<String>) -> Self {
        XsdError {
            line: None,
            column: None,
            message: message.into(),
        }
    }

    fn at(xml: &[u8], offset: usize, message: impl Into<String>) -> Self {
        let (line, column) = line_column(xml, offset);
        XsdError {
            line: Some(line),
            column: Some(column),
            message: message.into(),
        }
    }
}

/// Validate `xml` against `set`.
///
/// The document element must be the set's root (see [`SchemaSet::root_element`]); the
/// document's `xsi:schemaLocation` is ignored. A document with a `<!DOCTYPE>` is refused before
/// validation. Errors come sorted by position; those the validator cannot place (a refused
/// parse limit) come last without one.
///
/// Compiled schema sets are kept for the life of the process, so only the first call per set
/// pays for compilation (about 5-11 ms in a debug build). xsd-schema's compiled set is `Send`
/// but not `Sync`, so instead of one shared set each thread keeps its own ready validator per
/// set (see `Compiled`).
pub fn validate(set: SchemaSet, xml: &[u8]) -> Result<(), Vec<XsdError>> {
    prescan(set, xml).map_err(|e| vec![e])?;
    let errors = with_compiled(set, |compiled| {
        // Recording every element's instance path costs about a tenth of a run, and only errors
        // reported at the end of the document (dangling IDREFs) need it: run without, and again
        // with it only when such an error is left unplaced.
        let (errors, unplaced) = run(compiled, xml, false);
        if unplaced {
            run(compiled, xml, true).0
        } else {
            errors
        }
    })
    .map_err(|failure| vec![XsdError::without_position(failure)])?;
    if errors.is_empty() {
        Ok(())
    } else {
        Err(errors)
    }
}

/// Read `source` once: its [`Doc`] (or the finding that stopped the reader) and, when its
/// document element is that of a schema set, its validation against that set in the same pass.
///
/// This is how `lmspack validate` reads every descriptor: reading and validating a manifest
/// apart cost half as much again (two parses, and xsd-schema's driver allocating names and
/// namespace contexts per element), and the same reader then serves both. The set is chosen by
/// the document element's expanded name (SCORM 1.2, SCORM 2004, cmi5, Tin Can) and, for SCORM
/// 2004, by the first `<schemaversion>`'s text (3rd Edition for 2nd and 3rd Edition manifests,
/// else 4th); a caller that finds another set applies validates again with [`validate`].
/// The verdicts equal [`validate`]'s, positions included (`tests/xml_reader.rs`).
pub fn parse_validating(file: &str, source: &[u8]) -> (Result<Doc, Finding>, Option<Verdict>) {
    let track = RefCell::new(Track::default());
    let mut stream = Stream {
        run: None,
        track: &track,
        contexts: vec![std::rc::Rc::new(NamespaceContextSnapshot::default())],
        ids: IDS.with(|ids| std::mem::take(&mut *ids.borrow_mut())),
        attrs: Vec::new(),
        source,
    };
    let doc = super::xml::parse_with(file, source, &mut stream);
    IDS.with(|ids| *ids.borrow_mut() = std::mem::take(&mut stream.ids));
    let doc = match doc {
        Ok(doc) => doc,
        Err(finding) => return (Err(finding), None),
    };
    let (set, fatal) = match stream.run {
        None => return (Ok(doc), None),
        Some(Run::Failed(set, failure)) => {
            let errors = vec![XsdError::without_position(failure)];
            return (Ok(doc), Some(Verdict { set, errors }));
        }
        Some(Run::Running(set, _, mut runtime)) => {
            let fatal = runtime.end_validation().err();
            (
                set,
                fatal.map(|e| XsdError::without_position(e.to_string())),
            )
        }
    };
    let track = track.into_inner();
    let starts = if track.errors.iter().any(|(_, offset)| offset.is_none()) {
        element_starts(&doc)
    } else {
        HashMap::new()
    };
    let errors = place(source, track.errors, &starts, fatal);
    (Ok(doc), Some(Verdict { set, errors }))
}

/// The schema verdict on a document: the set it was validated against and the errors.
#[derive(Debug)]
pub struct Verdict {
    pub set: SchemaSet,
    pub errors: Vec<XsdError>,
}

/// The set whose document element is `{namespace}local`; SCORM 2004 manifests get the 4th
/// Edition's.
fn root_set(namespace: &str, local: &str) -> Option<SchemaSet> {
    [
        SchemaSet::Scorm12,
        SchemaSet::Scorm2004_4th,
        SchemaSet::Cmi5,
        SchemaSet::TinCan,
    ]
    .into_iter()
    .find(|set| set.root_element() == (namespace, local))
}

/// Whether the first `schemaversion>` of `xml` is followed by a 2nd or 3rd Edition version
/// (`CAM 1.3`, `1.3`, `2004 3rd Edition`): which SCORM 2004 schema set applies is written there,
/// not in the namespaces, and the set is needed before reading starts. Only a hint: the caller
/// compares the set used with the version the rules detect and validates again if they differ.
fn says_earlier_2004(xml: &[u8]) -> bool {
    const TAG: &[u8] = b"schemaversion>";
    let Some(at) = xml.windows(TAG.len()).position(|w| w == TAG) else {
        return false;
    };
    let rest = &xml[at + TAG.len()..];
    let text = &rest[..rest.iter().position(|&b| b == b'<').unwrap_or(rest.len())];
    matches!(
        std::str::from_utf8(text).map(str::trim),
        Ok("2004 3rd Edition" | "CAM 1.3" | "1.3")
    )
}

/// Instance path (as [`TrackingHandler::before_element`] writes them) of every element of `doc`
/// to the offset of its `<`: where end-of-document errors (dangling IDREFs) are placed.
fn element_starts(doc: &Doc) -> HashMap<String, usize> {
    let mut paths: Vec<String> = Vec::with_capacity(doc.elements.len());
    let mut starts = HashMap::new();
    for (i, e) in doc.elements.iter().enumerate() {
        let (parent, position) = match e.parent {
            Some(p) => {
                let before = doc.elements[p].children.iter().take_while(|&&c| c != i);
                let same = before
                    .filter(|&&c| doc.elements[c].ns == e.ns && doc.elements[c].local == e.local)
                    .count();
                (paths[p].as_str(), same + 1)
            }
            None => ("", 1),
        };
        let path = instance_path(parent, &e.ns, &e.local, position);
        starts.insert(path.clone(), e.offset);
        paths.push(path);
    }
    starts
}

/// The validation run of a [`Stream`], once the document element has chosen its set.
enum Run<'t> {
    Running(
        SchemaSet,
        &'static Compiled,
        Box<ValidationRuntime<'static, TrackingSink<'t>>>,
    ),
    /// The set did not compile (the embedded schemas are broken: a bug, reported as an error).
    Failed(SchemaSet, String),
}

/// Feeds what [`super::xml::parse_with`] reads to a validation run, as xsd-schema's own driver
/// would: the element, its attributes, the end of its attributes, its character data runs and
/// its end, with the namespace context in scope, recording where each error belongs in
/// [`Track`] as [`TrackingHandler`] does.
struct Stream<'t> {
    /// Started at the document element; `None` while there is none or it names no set.
    run: Option<Run<'t>>,
    track: &'t RefCell<Track>,
    /// The namespace context of each open element (and the document's, first); an element that
    /// declares nothing shares its parent's.
    contexts: Vec<std::rc::Rc<NamespaceContextSnapshot>>,
    /// This thread's [`Ids`], for the run's set.
    ids: Ids,
    /// The ids of the attributes of the element being started (a buffer kept between them).
    attrs: Vec<(NameId, Option<NameId>)>,
    /// The document being read (a SCORM 2004 root looks in it for its edition, see
    /// [`says_earlier_2004`]).
    source: &'t [u8],
}

thread_local! {
    /// The name ids of the set this thread validated with last (see [`Ids`]).
    static IDS: RefCell<Ids> = Default::default();
}

/// The ids of names in one compiled set's name table, by the address of the interned
/// [`Name`] (each kept alive here, so its address stays its own): a name the thread has seen is
/// looked up in the set's table once, not at every use. Bounded, like the names themselves.
#[derive(Default)]
struct Ids {
    /// The compiled set the ids belong to (its address).
    set: usize,
    ids: HashMap<usize, (Name, NameId), BuildHasherDefault<WordHash>>,
}

impl Stream<'_> {
    fn id(&mut self, compiled: &'static Compiled, name: &Name) -> NameId {
        let set = std::ptr::from_ref(compiled) as usize;
        if self.ids.set != set || self.ids.ids.len() >= 4096 {
            self.ids = Ids {
                set,
                ids: HashMap::default(),
            };
        }
        let names = &compiled.set.name_table;
        if name.len() > MAX_INTERNED_BYTES {
            return names.add(name); // not shared by the reader either: keep nothing
        }
        self.ids
            .ids
            .entry(name.as_ptr() as usize)
            .or_insert_with(|| (name.clone(), names.add(name)))
            .1
    }

    /// The context of the declarations in `scope` (innermost last): each prefix's innermost
    /// binding.
    fn context(scope: &[(Name, Name)], names: &NameTable) -> NamespaceContextSnapshot {
        let mut snapshot = NamespaceContextSnapshot::default();
        let mut seen: Vec<&str> = Vec::new();
        for (prefix, uri) in scope.iter().rev() {
            if seen.contains(&prefix.as_str()) {
                continue;
            }
            seen.push(prefix.as_str());
            if prefix.is_empty() {
                if !uri.is_empty() {
                    snapshot.default_ns = Some(names.add(uri));
                }
            } else if !uri.is_empty() && prefix.as_str() != "xml" {
                snapshot.bindings.push((names.add(prefix), names.add(uri)));
            }
        }
        snapshot
    }
}

impl super::xml::Events for Stream<'_> {
    fn start(&mut self, doc: &[Element], index: usize, scope: &[(Name, Name)], declared: usize) {
        let e = &doc[index];
        if index == 0 {
            let set = match root_set(&e.ns, &e.local) {
                Some(SchemaSet::Scorm2004_4th) if says_earlier_2004(self.source) => {
                    SchemaSet::Scorm2004_3rd
                }
                Some(set) => set,
                None => return,
            };
            self.run = Some(match compiled(set) {
                Ok(compiled) => {
                    let mut runtime = compiled
                        .validator
                        .start_run(TrackingSink { track: self.track });
                    runtime.set_validation_root(ValidationRoot::Element(compiled.root));
                    Run::Running(set, compiled, Box::new(runtime))
                }
                Err(failure) => Run::Failed(set, failure),
            });
        }
        let compiled: &'static Compiled = match &self.run {
            Some(Run::Running(_, compiled, _)) => compiled,
            _ => return,
        };
        {
            let mut track = self.track.borrow_mut();
            track.settle(e.offset);
            track.cursor = Some(e.offset);
        }
        let context = if declared == 0 {
            self.contexts.last().cloned().unwrap_or_default()
        } else {
            std::rc::Rc::new(Self::context(scope, &compiled.set.name_table))
        };
        self.contexts.push(context.clone());

        let xsi = |local: &str| {
            e.attrs
                .iter()
                .find(|a| a.ns == XSI_NS && a.local == local)
                .map(|a| a.value.as_str())
        };
        let local = self.id(compiled, &e.local);
        let ns = (!e.ns.is_empty()).then(|| self.id(compiled, &e.ns));
        let mut attrs = std::mem::take(&mut self.attrs);
        attrs.clear();
        for a in &e.attrs {
            let ns = (!a.ns.is_empty()).then(|| self.id(compiled, &a.ns));
            attrs.push((self.id(compiled, &a.local), ns));
        }
        let Some(Run::Running(_, _, runtime)) = &mut self.run else {
            return;
        };
        runtime.validate_element_by_id_novalue(local, ns, xsi("type"), xsi("nil"), &context);
        for (a, &(local, ns)) in e.attrs.iter().zip(&attrs) {
            runtime.validate_attribute_by_id(local, ns, &a.value);
        }
        self.attrs = attrs;
        runtime.validate_end_of_attributes_novalue();
        self.track.borrow_mut().cursor = None;
    }

    fn text(&mut self, run: &str) {
        if let Some(Run::Running(_, _, runtime)) = &mut self.run {
            if run.chars().all(char::is_whitespace) {
                runtime.validate_whitespace(run);
            } else {
                runtime.validate_text(run);
            }
        }
    }

    fn cdata(&mut self, text: &str) {
        if let Some(Run::Running(_, _, runtime)) = &mut self.run {
            runtime.validate_text(text);
        }
    }

    fn end(&mut self, end: usize) {
        if let Some(Run::Running(_, _, runtime)) = &mut self.run {
            runtime.validate_end_element_novalue();
            self.track.borrow_mut().settle(end.saturating_sub(1));
            self.contexts.pop();
        }
    }
}

const XSI_NS: &str = "http://www.w3.org/2001/XMLSchema-instance";

/// One validation run of `xml` against `compiled`: the errors, sorted by position, and whether
/// one was left without a position that recording element paths (`paths`) would have given.
fn run(compiled: &Compiled, xml: &[u8], paths: bool) -> (Vec<XsdError>, bool) {
    let track = RefCell::new(Track::default());
    let mut runtime = compiled.validator.start_run(TrackingSink { track: &track });
    runtime.set_validation_root(ValidationRoot::Element(compiled.root));
    runtime.set_parse_limits(
        ParseLimits::none()
            .with_max_depth(MAX_DEPTH)
            .with_max_name_bytes(MAX_NAME_BYTES)
            .with_max_nodes(MAX_NODES),
    );

    let mut handler = TrackingHandler {
        track: &track,
        xml,
        paths,
    };
    let mut fatal = match drive_quick_xml_with(xml, &mut runtime, compiled.set, &mut handler) {
        Ok(_) => None,
        Err(DriveWithError::NotWellFormed(e)) => Some(XsdError::at(
            xml,
            usize::try_from(e.position()).unwrap_or(usize::MAX),
            format!("not well-formed: {e}"),
        )),
        Err(DriveWithError::LimitExceeded(e)) => {
            Some(XsdError::without_position(format!("document refused: {e}")))
        }
        Err(DriveWithError::Hook(e)) => Some(e),
        Err(DriveWithError::Io(e)) => Some(XsdError::without_position(format!("I/O error: {e}"))),
        Err(e) => Some(XsdError::without_position(e.to_string())),
    };
    if fatal.is_none() {
        // Dangling IDREFs and the other checks of the whole document are reported here.
        if let Err(e) = runtime.end_validation() {
            fatal = Some(XsdError::without_position(e.to_string()));
        }
    }
    drop(runtime);

    let track = track.into_inner();
    let unplaced = !paths && track.errors.iter().any(|(_, offset)| offset.is_none());
    (place(xml, track.errors, &track.starts, fatal), unplaced)
}

/// The errors of a run as [`XsdError`]s sorted by position: each at the offset it was reported
/// at, else at the start of the element its instance path names (in `starts`), else without
/// one; `fatal` last.
fn place(
    xml: &[u8],
    errors: Vec<(ValidationError, Option<usize>)>,
    starts: &HashMap<String, usize>,
    fatal: Option<XsdError>,
) -> Vec<XsdError> {
    let mut errors: Vec<XsdError> = errors
        .into_iter()
        .map(|(error, offset)| {
            let offset = offset.or_else(|| starts.get(&element_path_of(&error)?).copied());
            match offset {
                Some(offset) => XsdError::at(xml, offset, error.to_string()),
                None => XsdError::without_position(error.to_string()),
            }
        })
        .collect();
    errors.extend(fatal);
    errors.sort_by_key(|e| (e.line.unwrap_or(u32::MAX), e.column.unwrap_or(u32::MAX)));
    errors
}

/// The schema files to copy into the package root for `set`, as (path in the package, bytes),
/// sorted by path.
///
/// The paths are relative to the set's folder, so the layout manifests refer to is kept
/// (`lom.xsd` at the root with `common/`, `extend/`, `unique/`, `vocab/` beside it, as
/// `lom.xsd`'s own includes need). The bytes are the publisher's, unchanged.
pub fn package_files(set: SchemaSet) -> Vec<(&'static str, Cow<'static, [u8]>)> {
    let prefix = format!("{}/", set.folder());
    embedded_names()
        .iter()
        .filter_map(|name| name.strip_prefix(prefix.as_str()))
        .map(|relative| {
            let full = format!("{prefix}{relative}");
            let file = EmbeddedSchemas::get(&full)
                .unwrap_or_else(|| panic!("embedded schema {full} listed but not readable"));
            (relative, file.data)
        })
        .collect()
}

// ---------------------------------------------------------------------------------------------
// Limits
// ---------------------------------------------------------------------------------------------

/// Manifests nest a dozen levels deep; sub-organizations rarely exceed a few more.
const MAX_DEPTH: usize = 256;
const MAX_NAME_BYTES: usize = 1024;
/// A course of thousands of items is a few tens of thousands of nodes.
const MAX_NODES: usize = 2_000_000;

// ---------------------------------------------------------------------------------------------
// Embedded files and the schema loader
// ---------------------------------------------------------------------------------------------

/// Sorted names of every embedded file, as `&'static str`. In release builds rust-embed gives
/// static names; in debug builds it reads the folder at run time and gives owned ones, which are
/// leaked once here (a few dozen short strings) so [`package_files`] can return static paths.
fn embedded_names() -> &'static [&'static str] {
    static NAMES: OnceLock<Vec<&'static str>> = OnceLock::new();
    NAMES.get_or_init(|| {
        let mut names: Vec<&'static str> = EmbeddedSchemas::iter()
            .map(|name| match name {
                Cow::Borrowed(name) => name,
                Cow::Owned(name) => &*Box::leak(name.into_boxed_str()),
            })
            .collect();
        names.sort_unstable();
        names
    })
}

/// The base of the locations the embedded schemas are loaded under. A hierarchical URI, so the
/// resolver resolves relative `schemaLocation`s (`common/dataTypes.xsd`) as it would on disk.
const EMBEDDED_BASE: &str = "lmspack-schemas://embedded/";

/// Serves the embedded schemas, and nothing else: with this as the only loader (next to
/// xsd-schema's own `embedded://` one for its catalog), no directive can reach the file system
/// or the network.
#[derive(Debug)]
struct EmbeddedSchemaLoader;

impl SchemaLoader for EmbeddedSchemaLoader {
    fn load(&self, location: &str) -> SchemaResult<String> {
        let path = location.strip_prefix(EMBEDDED_BASE).ok_or_else(|| {
            SchemaError::resolution(format!("not an embedded schema: {location}"))
        })?;
        let file = EmbeddedSchemas::get(path)
            .ok_or_else(|| SchemaError::resolution(format!("no embedded schema {path}")))?;
        xsd_schema::decode_xml_bytes(file.data.into_owned())
    }

    fn can_load(&self, location: &str) -> bool {
        location.starts_with(EMBEDDED_BASE)
    }

    fn priority(&self) -> i32 {
        200
    }
}

/// A compiled set, its validator, and the declaration of its document element.
///
/// xsd-schema's `SchemaSet` is `Send` but not `Sync` (its name table interns with `RefCell`s,
/// also while validating), and a `SchemaValidator` borrows its set. Building the validator
/// compiles every content model, which costs more than validating a manifest, so each thread
/// keeps one ready validator per set: the set is leaked to give the validator a `'static`
/// borrow. That is a few megabytes per set per worker thread, made once.
struct Compiled {
    set: &'static xsd_schema::SchemaSet,
    validator: SchemaValidator<'static>,
    root: ElementKey,
    /// Size of the name table after compilation. Validation interns the namespace URIs and
    /// prefixes of each document into it, for good; see [`MAX_NAME_TABLE_GROWTH`].
    baseline_name_bytes: usize,
}

/// A set whose name table has grown by more than this (documents with many distinct namespaces,
/// e.g. hostile ones) is replaced by a fresh one on the next call, so growth stays bounded.
const MAX_NAME_TABLE_GROWTH: usize = 4 << 20;

thread_local! {
    /// This thread's ready validators, per [`SchemaSet`].
    static READY: RefCell<[Option<&'static Compiled>; 5]> = Default::default();
}

/// Why a set failed to compile, once it has (the embedded files do not change, so neither
/// would the answer).
static COMPILE_FAILURES: [OnceLock<String>; 5] = [
    OnceLock::new(),
    OnceLock::new(),
    OnceLock::new(),
    OnceLock::new(),
    OnceLock::new(),
];

/// Run `f` with this thread's compiled `set`.
fn with_compiled<R>(set: SchemaSet, f: impl FnOnce(&Compiled) -> R) -> Result<R, String> {
    compiled(set).map(f)
}

/// This thread's compiled `set`, compiled on first use.
fn compiled(set: SchemaSet) -> Result<&'static Compiled, String> {
    let i = set.index();
    if let Some(failure) = COMPILE_FAILURES[i].get() {
        return Err(failure.clone());
    }
    let ready = READY.with(|ready| {
        let mut ready = ready.borrow_mut();
        // A set grown by hostile documents is replaced (its leaked memory stays: rare, bounded
        // by the growth limit each time).
        if ready[i].is_some_and(|c| {
            c.set.name_table.heap_bytes() > c.baseline_name_bytes + MAX_NAME_TABLE_GROWTH
        }) {
            ready[i] = None;
        }
        if ready[i].is_none() {
            ready[i] = Some(&*Box::leak(Box::new(compile(set)?)));
        }
        Ok(ready[i].expect("filled above"))
    });
    ready.map_err(|failure| COMPILE_FAILURES[i].get_or_init(|| failure).clone())
}

fn compile(set: SchemaSet) -> Result<Compiled, String> {
    let fail = |what: String| format!("embedded {} schema set: {what}", set.label());
    let folder = set.folder();

    let mut chain = LoaderChain::new();
    chain.add(Box::new(EmbeddedSchemaLoader));
    chain.add(Box::new(xsd_schema::EmbeddedLoader::new()));
    let mut resolver =
        SchemaResolver::with_config_and_loader(ResolverConfig::default(), Box::new(chain));
    resolver.catalog_mut().add_xml_catalog();
    // ADL's 4th Edition imscp_v1p1.xsd imports the XML namespace from the W3C's URL; the same
    // file ships beside it. Any other remote location stays unloadable (no loader serves it) and
    // is reported below.
    let local_xml_xsd = format!("{EMBEDDED_BASE}{folder}/xml.xsd");
    let has_local_xml_xsd = EmbeddedSchemas::get(&format!("{folder}/xml.xsd")).is_some();
    resolver.set_location_rewriter(move |request: &LocationRequest<'_>, _: &SchemaResolver| {
        let remote = matches!(
            request.location,
            "http://www.w3.org/2001/xml.xsd" | "https://www.w3.org/2001/xml.xsd"
        );
        (remote && has_local_xml_xsd).then(|| local_xml_xsd.clone())
    });

    let mut builder = SchemaSetBuilder::with_resolver(resolver, set.xsd_version());
    for entry in set.entry_points() {
        builder
            .try_add(&format!("{EMBEDDED_BASE}{folder}/{entry}"))
            .map_err(|e| fail(format!("{entry}: {e}")))?;
    }
    let compiled = builder.compile().map_err(|e| fail(e.to_string()))?;
    if let Some(failure) = compiled.directive_failures().first() {
        return Err(fail(format!("unresolved directive: {failure}")));
    }
    let schema_set = compiled.into_schema_set();

    let (namespace, local) = set.root_element();
    let root = schema_set
        .name_table
        .get(namespace)
        .zip(schema_set.name_table.get(local))
        .and_then(|(ns, local)| schema_set.lookup_element(Some(ns), local))
        .ok_or_else(|| fail(format!("no declaration of {{{namespace}}}{local}")))?;

    let set: &'static xsd_schema::SchemaSet = Box::leak(Box::new(schema_set));
    let validator = SchemaValidator::new(set, validation_flags());
    if let Some((_, reason)) = validator.content_model_failures().first() {
        return Err(fail(format!(
            "content model could not be prepared: {reason}"
        )));
    }
    Ok(Compiled {
        baseline_name_bytes: set.name_table.heap_bytes(),
        set,
        validator,
        root,
    })
}

/// Errors only: warnings are not failures, and PSVI values are not needed for a verdict.
fn validation_flags() -> ValidationFlags {
    ValidationFlags::default()
        - ValidationFlags::REPORT_WARNINGS
        - ValidationFlags::BUILD_PSVI_TYPED_VALUES
}

// ---------------------------------------------------------------------------------------------
// Before validation: DOCTYPE and the document element
// ---------------------------------------------------------------------------------------------

/// Reads the prolog up to the document element (never further) and refuses a `<!DOCTYPE>` and
/// a document element that is not the set's root. Doing it here, ahead of the schema set, gives
/// both a clear message and keeps any entity declaration from reaching a parser. Anything this
/// reader cannot read is left to the validating parser, which reports it precisely.
fn prescan(set: SchemaSet, xml: &[u8]) -> Result<(), XsdError> {
    let mut reader = NsReader::from_reader(xml);
    loop {
        let before = usize::try_from(reader.buffer_position()).unwrap_or(usize::MAX);
        let (resolved, event) = match reader.read_resolved_event() {
            Ok(pair) => pair,
            Err(_) => return Ok(()),
        };
        match event {
            Event::DocType(_) => {
                return Err(XsdError::at(
                    xml,
                    before,
                    "document type declarations (<!DOCTYPE …>) are refused: a manifest needs \
                     none, and their entities could expand without bound",
                ))
            }
            Event::Start(ref start) | Event::Empty(ref start) => {
                let (want_ns, want_local) = set.root_element();
                let namespace = match resolved {
                    ResolveResult::Bound(ns) => ns.0.to_owned(),
                    _ => String::new(),
                };
                let local_name = start.local_name();
                let local: &str = local_name.as_ref();
                if namespace != want_ns || local != want_local {
                    return Err(XsdError::at(
                        xml,
                        before,
                        format!(
                            "the document element is {{{namespace}}}{local}; a {} document \
                             must be {{{want_ns}}}{want_local}",
                            set.label()
                        ),
                    ));
                }
                return Ok(());
            }
            Event::Eof => return Ok(()),
            _ => {}
        }
    }
}

// ---------------------------------------------------------------------------------------------
// Positions
// ---------------------------------------------------------------------------------------------

/// xsd-schema's streaming driver reports no line numbers, but its handler sees the byte offset
/// of every element start and end. The sink and the handler share this record: an error
/// reported while an element's start tag is validated (attributes, unexpected child, bad
/// enumeration of an attribute) gets that tag's offset; one reported after (content, end-of-
/// element checks) waits for the next offset the handler sees, normally the end of the closing
/// tag. Errors of the end of the document (dangling IDREFs) get the start of the element their
/// instance path names.
#[derive(Default)]
struct Track {
    /// Offset that errors reported now belong to; `None` while an element's content is read.
    cursor: Option<usize>,
    /// Errors with the offset they belong to, if known.
    errors: Vec<(ValidationError, Option<usize>)>,
    /// Indexes of `errors` waiting for the next offset.
    pending: Vec<usize>,
    /// Per open element: how many children of each expanded name it has had.
    counters: Vec<HashMap<(String, String), usize>>,
    /// Per open element: its instance path.
    paths: Vec<String>,
    /// Instance path (`/Q{ns}local[n]/…`) of every element to the offset of its `<`.
    starts: HashMap<String, usize>,
    /// Offset of the `<` of the element about to be reported.
    next_start: usize,
}

impl Track {
    fn settle(&mut self, offset: usize) {
        for index in self.pending.drain(..) {
            self.errors[index].1 = Some(offset);
        }
    }
}

struct TrackingSink<'a> {
    track: &'a RefCell<Track>,
}

impl ValidationSink for TrackingSink<'_> {
    fn on_error(&mut self, error: ValidationError) {
        let mut track = self.track.borrow_mut();
        let cursor = track.cursor;
        track.errors.push((error, cursor));
        if cursor.is_none() {
            let index = track.errors.len() - 1;
            track.pending.push(index);
        }
    }

    fn on_warning(&mut self, _warning: ValidationWarning) {}
}

struct TrackingHandler<'a> {
    track: &'a RefCell<Track>,
    xml: &'a [u8],
    /// Whether to record instance paths in [`Track::starts`].
    paths: bool,
}

impl ValidationEventHandler for TrackingHandler<'_> {
    type Error = XsdError;

    fn on_doctype(&mut self, doctype: DoctypeView<'_>) -> Result<(), XsdError> {
        // `prescan` refuses these first; this is the backstop should the two parsers disagree.
        Err(XsdError::at(
            self.xml,
            doctype.byte_pos,
            "document type declarations (<!DOCTYPE …>) are refused",
        ))
    }

    fn on_element_start_offset(&mut self, byte_pos: usize) -> Result<(), XsdError> {
        let mut track = self.track.borrow_mut();
        track.settle(byte_pos);
        track.cursor = Some(byte_pos);
        track.next_start = byte_pos;
        Ok(())
    }

    fn before_element(&mut self, view: ElementStartView<'_>) -> Result<(), XsdError> {
        if !self.paths {
            return Ok(());
        }
        let mut track = self.track.borrow_mut();
        let key = (view.namespace_uri.to_owned(), view.local_name.to_owned());
        let position = match track.counters.last_mut() {
            Some(counter) => {
                let count = counter.entry(key).or_insert(0);
                *count += 1;
                *count
            }
            None => 1,
        };
        let parent = track.paths.last().map(String::as_str).unwrap_or("");
        let path = instance_path(parent, view.namespace_uri, view.local_name, position);
        let start = track.next_start;
        track.starts.insert(path.clone(), start);
        track.paths.push(path);
        track.counters.push(HashMap::new());
        Ok(())
    }

    fn after_end_of_attributes(&mut self, _view: EndOfAttributesView<'_>) -> Result<(), XsdError> {
        self.track.borrow_mut().cursor = None;
        Ok(())
    }

    fn after_end_element(&mut self, _info: &EndElementInfo, _depth: usize) -> Result<(), XsdError> {
        if !self.paths {
            return Ok(());
        }
        let mut track = self.track.borrow_mut();
        track.paths.pop();
        track.counters.pop();
        Ok(())
    }

    fn on_element_end_offset(&mut self, byte_pos: usize) -> Result<(), XsdError> {
        // One past the closing `>`: point at the `>` itself, on the closing tag's line.
        self.track.borrow_mut().settle(byte_pos.saturating_sub(1));
        Ok(())
    }
}

/// The instance path of the `position`th child named {`ns`}`local` of the element at `parent`
/// (`""` for the document), in the form xsd-schema's errors name elements: `/Q{ns}local[n]/…`.
fn instance_path(parent: &str, ns: &str, local: &str, position: usize) -> String {
    format!("{parent}/Q{{{ns}}}{local}[{position}]")
}

/// The instance path of the element an error is about (its attribute step dropped), in the
/// form [`TrackingHandler::before_element`] records.
fn element_path_of(error: &ValidationError) -> Option<String> {
    let path = error.instance_path()?;
    let mut out = String::new();
    for step in path.steps() {
        if step.position().is_some() {
            out.push('/');
            out.push_str(&step.to_string());
        }
    }
    (!out.is_empty()).then_some(out)
}

/// 1-based line and column (in characters) of byte `offset`; a leading byte-order mark is not
/// a column.
fn line_column(xml: &[u8], offset: usize) -> (u32, u32) {
    let offset = offset.min(xml.len());
    let before = &xml[..offset];
    let line_start = before
        .iter()
        .rposition(|&b| b == b'\n')
        .map_or(0, |i| i + 1);
    let line = before.iter().filter(|&&b| b == b'\n').count() + 1;
    let mut segment = &before[line_start..];
    if line_start == 0 {
        segment = segment.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(segment);
    }
    let column = segment.iter().filter(|&&b| b & 0xC0 != 0x80).count() + 1;
    (
        u32::try_from(line).unwrap_or(u32::MAX),
        u32::try_from(column).unwrap_or(u32::MAX),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn line_column_counts_characters() {
        let xml = "<a>\n  <é/>\n</a>".as_bytes();
        assert_eq!(line_column(xml, 0), (1, 1));
        assert_eq!(line_column(xml, 6), (2, 3));
        let after_e = xml.iter().position(|&b| b == b'/').unwrap();
        assert_eq!(line_column(xml, after_e), (2, 5));
    }

    #[test]
    fn the_driver_refuses_a_doctype_too() {
        // The backstop behind `prescan`: the validating parser alone also refuses it, without
        // expanding anything.
        let xml = b"<?xml version=\"1.0\"?>\n<!DOCTYPE tincan [<!ENTITY a \"aaaaaaaaaa\">\n\
                    <!ENTITY b \"&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;\">]>\n\
                    <tincan xmlns=\"http://projecttincan.com/tincan.xsd\">&b;</tincan>";
        let (errors, _) =
            with_compiled(SchemaSet::TinCan, |compiled| run(compiled, xml, false)).unwrap();
        assert_eq!(errors.len(), 1, "{errors:?}");
        assert_eq!(errors[0].line, Some(2));
        assert!(
            errors[0].message.contains("DOCTYPE"),
            "{}",
            errors[0].message
        );
    }

    #[test]
    fn each_thread_compiles_a_set_once_and_reuses_it() {
        let xml = std::fs::read(concat!(
            env!("CARGO_MANIFEST_DIR"),
            "/fixtures/manifests/tincan.xml"
        ))
        .unwrap();
        validate(SchemaSet::TinCan, &xml).unwrap();
        let first = READY.with(|r| r.borrow()[SchemaSet::TinCan.index()].unwrap());
        validate(SchemaSet::TinCan, &xml).unwrap();
        let second = READY.with(|r| r.borrow()[SchemaSet::TinCan.index()].unwrap());
        assert!(std::ptr::eq(first, second));
    }
}
