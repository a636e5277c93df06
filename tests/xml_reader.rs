//! lmspack's descriptor reader (`validate::xml`) against xsd-schema's well-formedness reader.
//!
//! The validator reads each descriptor once, with its own reader, and streams it into the schema
//! runtime. That is only sound if the reader refuses exactly what a conforming XML 1.0 +
//! Namespaces processor refuses: a document it passed that the driver would call not
//! well-formed would reach the LMS's parser, and one it refused that the driver reads would be a
//! false rejection. Here both read mutated descriptors and must agree on every one.
//!
//! CI runs 256 cases per property; `PROPTEST_CASES=N` runs more.

use lmspack::validate::xml;
use lmspack::validate::Rule;
use proptest::prelude::*;
use xsd_schema::validation::{
    drive_quick_xml, CollectingValidationSink, DriveError, SchemaValidator, ValidationFlags,
};

const DOCS: &[&[u8]] = &[
    include_bytes!("../fixtures/validator/valid/scorm12/imsmanifest.xml"),
    include_bytes!("../fixtures/validator/valid/scorm2004-4th/imsmanifest.xml"),
    include_bytes!("../fixtures/validator/valid/cmi5/cmi5.xml"),
    include_bytes!("../fixtures/validator/valid/tincan/tincan.xml"),
];

/// Pieces that break, or nearly break, one well-formedness rule each.
const PIECES: &[&str] = &[
    "<",
    ">",
    "&",
    "&amp;",
    "&lt;",
    "&#65;",
    "&#x41;",
    "&#0;",
    "&#xD800;",
    "&#xFFFE;",
    "&foo;",
    "&#;",
    "&#x;",
    "&#-1;",
    "]]>",
    "]]",
    "<!--x-->",
    "<!-- a--b -->",
    "<!--x--->",
    "<![CDATA[x]]>",
    "<![CDATA[]]>]]>",
    "<?pi data?>",
    "<?xml version=\"1.0\"?>",
    "<?XmL x?>",
    "<?a:b?>",
    "<?p?>",
    "<a/>",
    "<a>",
    "</a>",
    "<a:b/>",
    "<x:y xmlns:x=\"u\"/>",
    "<a b=\"1\" b=\"2\"/>",
    "<a x:b=\"1\" y:b=\"2\" xmlns:x=\"u\" xmlns:y=\"u\"/>",
    "<a b=\"1\"c=\"2\"/>",
    "<a b=1/>",
    "<a b/>",
    "<a b='<'/>",
    "<a xmlns:p=\"\"/>",
    "<a xmlns:xml=\"u\"/>",
    "<a xmlns:xmlns=\"u\"/>",
    "<a xmlns:p:q=\"u\"/>",
    "<a xmlns:=\"u\"/>",
    "<a xmlnsx=\"u\"/>",
    "<a xmlns=\"http://www.w3.org/XML/1998/namespace\"/>",
    "<xmlns:a/>",
    "<a:b:c/>",
    "<:a/>",
    "<a:/>",
    "<1a/>",
    "<a\u{B7}/>",
    "<\u{B7}a/>",
    "<é/>",
    "<a\u{300}/>",
    " ",
    "\t",
    "\r\n",
    "\r",
    "\u{1}",
    "\u{FFFE}",
    "\u{FFFF}",
    "\u{A0}",
    "\u{FEFF}",
    "\"",
    "'",
    "=",
    ":",
    "xmlns",
    "xml:lang=\"en\"",
    " a=\"1\"",
    " xmlns:q=\"urn:q\"",
    "<!DOCTYPE x>",
    "\u{2028}",
    "\u{85}",
];

#[derive(Clone, Debug)]
enum Edit {
    Insert(usize, &'static str),
    Delete(usize, usize),
}

fn edit() -> impl Strategy<Value = Edit> {
    prop_oneof![
        4 => (any::<usize>(), prop::sample::select(PIECES)).prop_map(|(at, p)| Edit::Insert(at, p)),
        1 => (any::<usize>(), 1usize..8).prop_map(|(at, n)| Edit::Delete(at, n)),
    ]
}

fn apply(doc: &[u8], edits: &[Edit]) -> Vec<u8> {
    let mut out = String::from_utf8(doc.to_vec()).expect("fixtures are UTF-8");
    for e in edits {
        let len = out.len();
        let boundary = |at: usize, s: &str| {
            let mut at = at % (s.len() + 1);
            while !s.is_char_boundary(at) {
                at -= 1;
            }
            at
        };
        match *e {
            Edit::Insert(at, piece) => {
                let at = boundary(at, &out);
                out.insert_str(at, piece);
            }
            Edit::Delete(at, n) if len > 0 => {
                let start = boundary(at, &out);
                let end = boundary(start + n, &out).max(start);
                out.replace_range(start..end, "");
            }
            Edit::Delete(..) => {}
        }
    }
    out.into_bytes()
}

/// The driver's verdict: `Err` when its reader finds the document not well-formed.
fn driver_verdict(doc: &[u8]) -> Result<(), String> {
    thread_local! {
        static SET: &'static xsd_schema::SchemaSet = {
            let mut set = xsd_schema::SchemaSet::new();
            let xsd = br#"<xs:schema xmlns:xs="http://www.w3.org/2001/XMLSchema">
                <xs:element name="any"/></xs:schema>"#;
            xsd_schema::load_and_process_schema(xsd, "test.xsd", &mut set, None).unwrap();
            Box::leak(Box::new(set))
        };
    }
    SET.with(|set| {
        let validator = SchemaValidator::new(set, ValidationFlags::default());
        let (mut errors, mut warnings) = (Vec::new(), Vec::new());
        let mut runtime = validator.start_run(CollectingValidationSink {
            errors: &mut errors,
            warnings: &mut warnings,
        });
        match drive_quick_xml(doc, &mut runtime, set) {
            Err(DriveError::NotWellFormed(e)) => Err(e.to_string()),
            Err(DriveError::Io(e)) => Err(e.to_string()),
            _ => Ok(()),
        }
    })
}

/// lmspack's verdict, or `None` where the two are not comparable: a document type declaration
/// (refused by lmspack whatever its form, read by the driver) or a limit.
fn our_verdict(doc: &[u8]) -> Option<Result<(), String>> {
    match xml::parse("f.xml", doc) {
        Ok(_) => Some(Ok(())),
        Err(f) if f.rule == Rule::XmlMalformed => Some(Err(f.message)),
        Err(_) => None,
    }
}

fn agree(doc: &[u8]) -> Result<(), TestCaseError> {
    let Some(ours) = our_verdict(doc) else {
        return Ok(());
    };
    let theirs = driver_verdict(doc);
    prop_assert_eq!(
        ours.is_ok(),
        theirs.is_ok(),
        "lmspack: {:?}\nxsd-schema: {:?}\ndocument:\n{}",
        ours,
        theirs,
        String::from_utf8_lossy(doc)
    );
    Ok(())
}

fn config() -> ProptestConfig {
    ProptestConfig {
        cases: std::env::var("PROPTEST_CASES")
            .ok()
            .and_then(|n| n.parse().ok())
            .unwrap_or(256),
        failure_persistence: None,
        ..ProptestConfig::default()
    }
}

proptest! {
    #![proptest_config(config())]

    #[test]
    fn both_readers_agree_on_mutated_descriptors(
        doc in prop::sample::select(DOCS),
        edits in prop::collection::vec(edit(), 1..4),
    ) {
        agree(&apply(doc, &edits))?;
    }

    #[test]
    fn both_readers_agree_on_small_documents(
        pieces in prop::collection::vec(prop::sample::select(PIECES), 0..6),
    ) {
        let doc = format!("<r xmlns:p=\"urn:p\">{}</r>", pieces.concat());
        agree(doc.as_bytes())?;
    }
}

#[test]
fn every_piece_alone_inside_a_root() {
    for piece in PIECES {
        for doc in [
            format!("<r>{piece}</r>"),
            format!("{piece}<r/>"),
            format!("<r/>{piece}"),
            format!("<r a=\"{piece}\"/>"),
        ] {
            agree(doc.as_bytes()).unwrap_or_else(|e| panic!("{e}"));
        }
    }
}

/// The oracle and the reader do tell documents apart: the agreement above is not vacuous.
#[test]
fn both_readers_refuse_what_is_not_well_formed() {
    for bad in [
        "<r>",
        "<r>&#0;</r>",
        "<r>]]></r>",
        "<r a='<'/>",
        "<r><!-- a--b --></r>",
        "<r xmlns:p=\"\"/>",
        "<p:r/>",
        "<r a=\"1\"b=\"2\"/>",
        "<r x:a=\"1\" y:a=\"2\" xmlns:x=\"u\" xmlns:y=\"u\"/>",
        "<r>\u{1}</r>",
        "<?xml version=\"1.0\" standalone=\"maybe\"?><r/>",
        "<r/><?xml version=\"1.0\"?>",
        "<r>&foo;</r>",
    ] {
        assert!(
            driver_verdict(bad.as_bytes()).is_err(),
            "driver accepts {bad}"
        );
        assert!(
            matches!(our_verdict(bad.as_bytes()), Some(Err(_))),
            "lmspack accepts {bad}"
        );
    }
    for good in DOCS {
        assert!(driver_verdict(good).is_ok());
        assert_eq!(our_verdict(good), Some(Ok(())));
    }
}

// ---------------------------------------------------------------------------------------------
// The streamed schema verdict equals xsd-schema's driver's, positions included
// ---------------------------------------------------------------------------------------------

/// Content and attributes that keep a descriptor well-formed but may break its schema: unknown,
/// misplaced and duplicated elements, bad values, IDs, IDREFs, xsi:type, text in element-only
/// content, CDATA, comments and references.
const CONTENT: &[&str] = &[
    "<title>T</title>",
    "<item identifier=\"I9\"><title>x</title></item>",
    "<item/>",
    "<organization identifier=\"O9\"><title>o</title></organization>",
    "<resource identifier=\"R9\" type=\"webcontent\" href=\"a.html\"/>",
    "<file href=\"x\"/>",
    "<dependency identifierref=\"NOPE\"/>",
    "<adlcp:masteryscore>x</adlcp:masteryscore>",
    "<imsss:sequencing/>",
    "<x:unknown xmlns:x=\"urn:x\"/>",
    "<unknown/>",
    "text",
    "  ",
    "&amp;",
    "&#65;",
    "<![CDATA[c]]>",
    "<!-- c -->",
    "<?pi x?>",
    "<schemaversion>9</schemaversion>",
    "<lom xmlns=\"http://ltsc.ieee.org/xsd/LOM\"/>",
    "<activity id=\"x\"/>",
    "<name>n</name>",
    "<au id=\"https://e.com/au9\"><title><langstring lang=\"en\">t</langstring></title></au>",
    "<block/>",
];
const ATTRIBUTES: &[&str] = &[
    " identifier=\"I1\"",
    " identifier=\"has space\"",
    " identifierref=\"NOPE\"",
    " isvisible=\"maybe\"",
    " adlcp:scormtype=\"asset\"",
    " adlcp:scormType=\"sco\"",
    " type=\"webcontent\"",
    " href=\"b.html\"",
    " default=\"NOPE\"",
    " version=\"\"",
    " xml:lang=\"en\"",
    " xml:base=\"sub/\"",
    " unknown=\"1\"",
    " xmlns:x=\"urn:x\" x:a=\"1\"",
    " xsi:type=\"xs:string\" xmlns:xs=\"http://www.w3.org/2001/XMLSchema\" \
     xmlns:xsi=\"http://www.w3.org/2001/XMLSchema-instance\"",
    " xsi:nil=\"true\" xmlns:xsi=\"http://www.w3.org/2001/XMLSchema-instance\"",
    " moveOn=\"Sometimes\"",
    " masteryScore=\"2\"",
    " launchMethod=\"AnyWindow\"",
    " xmlns=\"urn:other\"",
    " parameters=\"?a=1\"",
];

const SCHEMA_DOCS: &[&[u8]] = &[
    include_bytes!("../fixtures/manifests/scorm12.xml"),
    include_bytes!("../fixtures/manifests/scorm2004-4th.xml"),
    include_bytes!("../fixtures/manifests/scorm2004-3rd.xml"),
    include_bytes!("../fixtures/manifests/cmi5.xml"),
    include_bytes!("../fixtures/manifests/tincan.xml"),
    include_bytes!("../fixtures/validator/valid/scorm12/imsmanifest.xml"),
    include_bytes!("../fixtures/validator/valid/scorm2004-4th/imsmanifest.xml"),
];

#[derive(Clone, Debug)]
enum SchemaEdit {
    /// After the `n`th `>`: element content.
    Content(usize, &'static str),
    /// Before the `n`th start tag's `>` (or `/>`): an attribute.
    Attribute(usize, &'static str),
    /// Remove the `n`th element (from its `<` to its end, when it is empty or simple).
    Remove(usize),
}

fn schema_edit() -> impl Strategy<Value = SchemaEdit> {
    prop_oneof![
        (any::<usize>(), prop::sample::select(CONTENT))
            .prop_map(|(n, c)| SchemaEdit::Content(n, c)),
        (any::<usize>(), prop::sample::select(ATTRIBUTES))
            .prop_map(|(n, a)| SchemaEdit::Attribute(n, a)),
        any::<usize>().prop_map(SchemaEdit::Remove),
    ]
}

fn apply_schema_edits(doc: &[u8], edits: &[SchemaEdit]) -> Vec<u8> {
    let mut out = String::from_utf8(doc.to_vec()).expect("fixtures are UTF-8");
    for e in edits {
        let closes: Vec<usize> = out.match_indices('>').map(|(i, _)| i).collect();
        let starts: Vec<usize> = out
            .match_indices('<')
            .map(|(i, _)| i)
            .filter(|&i| out[i + 1..].starts_with(|c: char| c.is_alphabetic()))
            .collect();
        match *e {
            SchemaEdit::Content(n, piece) => {
                let at = closes[n % closes.len()] + 1;
                out.insert_str(at, piece);
            }
            SchemaEdit::Attribute(n, piece) => {
                let start = starts[n % starts.len()];
                let close = start + out[start..].find('>').expect("a tag ends");
                let at = if out[..close].ends_with('/') {
                    close - 1
                } else {
                    close
                };
                out.insert_str(at, piece);
            }
            SchemaEdit::Remove(n) => {
                let start = starts[n % starts.len()];
                let tag_end = start + out[start..].find('>').expect("a tag ends") + 1;
                let end = if out[..tag_end].ends_with("/>") {
                    tag_end
                } else {
                    // A simple element: up to its first end tag, if no child starts before.
                    match out[tag_end..].find('<') {
                        Some(i) if out[tag_end + i..].starts_with("</") => {
                            tag_end + i + out[tag_end + i..].find('>').expect("ends") + 1
                        }
                        _ => continue,
                    }
                };
                out.replace_range(start..end, "");
            }
        }
    }
    out.into_bytes()
}

/// The streamed verdict equals `xsd::validate`'s on `doc`, when `doc` is read at all.
fn same_schema_verdict(doc: &[u8]) -> Result<bool, TestCaseError> {
    let (parsed, streamed) = xsd::parse_validating("f.xml", doc);
    let (
        Ok(_),
        Some(xsd::Verdict {
            set,
            errors: streamed,
        }),
    ) = (parsed, streamed)
    else {
        return Ok(false);
    };
    let driven = xsd::validate(set, doc).err().unwrap_or_default();
    prop_assert_eq!(
        &streamed,
        &driven,
        "streamed and driven verdicts differ on:\n{}",
        String::from_utf8_lossy(doc)
    );
    Ok(!streamed.is_empty())
}

use lmspack::validate::xsd;

proptest! {
    #![proptest_config(config())]

    #[test]
    fn streamed_and_driven_schema_verdicts_agree(
        doc in prop::sample::select(SCHEMA_DOCS),
        edits in prop::collection::vec(schema_edit(), 1..4),
    ) {
        same_schema_verdict(&apply_schema_edits(doc, &edits))?;
    }
}

#[test]
fn streamed_and_driven_schema_verdicts_agree_on_every_fixture() {
    let mut descriptors = Vec::new();
    let mut dirs = vec![std::path::PathBuf::from("fixtures")];
    while let Some(dir) = dirs.pop() {
        for entry in std::fs::read_dir(&dir).unwrap() {
            let path = entry.unwrap().path();
            if path.is_dir() {
                dirs.push(path);
            } else if path.extension().is_some_and(|e| e == "xml") {
                descriptors.push(path);
            }
        }
    }
    assert!(descriptors.len() > 50, "{} descriptors", descriptors.len());
    let mut invalid = 0;
    for path in descriptors {
        let doc = std::fs::read(&path).unwrap();
        let found = same_schema_verdict(&doc).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
        invalid += usize::from(found);
    }
    // The fixtures that break a schema rule are compared with their errors, not just verdicts.
    assert!(invalid >= 8, "{invalid} fixtures with schema errors");
}

#[test]
fn the_schema_set_follows_the_root_and_the_schemaversion() {
    for (file, set) in [
        ("scorm12.xml", xsd::SchemaSet::Scorm12),
        ("scorm2004-4th.xml", xsd::SchemaSet::Scorm2004_4th),
        ("scorm2004-3rd.xml", xsd::SchemaSet::Scorm2004_3rd),
        ("cmi5.xml", xsd::SchemaSet::Cmi5),
        ("tincan.xml", xsd::SchemaSet::TinCan),
    ] {
        let doc = std::fs::read(format!("fixtures/manifests/{file}")).unwrap();
        let (parsed, verdict) = xsd::parse_validating(file, &doc);
        assert!(parsed.is_ok(), "{file}");
        let verdict = verdict.unwrap_or_else(|| panic!("{file}: not validated"));
        assert_eq!(verdict.set, set, "{file}");
        assert_eq!(verdict.errors, [], "{file}");
    }
    let (_, none) = xsd::parse_validating("page.xml", b"<html/>");
    assert!(none.is_none(), "a document no set is for is not validated");
}
