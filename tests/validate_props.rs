//! Property tests of `lmspack validate` on hostile zips: archives built from random entry names
//! (including `..`, absolute paths, drive letters, backslashes, NUL, names of 64 KiB, non-UTF-8
//! bytes and duplicates), random sizes, contents (valid descriptors, mutated descriptors, XML token
//! soup, random bytes, zeros), random flags, methods and Unix modes, and random damage never panic
//! the validator, always give a verdict, and never pass a zip with an unsafe or duplicate name.
//!
//! CI runs 100 cases per property; `PROPTEST_CASES=N` runs more (see scripts/fuzz-validate.sh for
//! the cargo-fuzz target of the same path).

use lmspack::validate::container::check_name;
use lmspack::validate::{validate_path, InputError, Limits, Lms, Options};
use proptest::prelude::*;
use std::io::Write;

const M12: &[u8] = include_bytes!("../fixtures/validator/valid/scorm12/imsmanifest.xml");
const M2004: &[u8] = include_bytes!("../fixtures/validator/valid/scorm2004-4th/imsmanifest.xml");
const CMI5: &[u8] = include_bytes!("../fixtures/validator/valid/cmi5/cmi5.xml");
const TINCAN: &[u8] = include_bytes!("../fixtures/validator/valid/tincan/tincan.xml");
const CRS: &[u8] = include_bytes!("../fixtures/validator/valid/aicc/course.crs");
const AU: &[u8] = include_bytes!("../fixtures/validator/valid/aicc/course.au");

const NAMES: &[&str] = &[
    "imsmanifest.xml",
    "cmi5.xml",
    "tincan.xml",
    "index.html",
    "au1/index.html",
    "course.crs",
    "course.au",
    "course.des",
    "course.cst",
    "sub/imsmanifest.xml",
    "IMSManifest.xml",
    "INDEX.html",
    "__MACOSX/._index.html",
    ".DS_Store",
    "img/Thumbs.db",
    "a/",
    "",
    ".",
    "./index.html",
    "a//b",
];

const HOSTILE: &[&str] = &[
    "..",
    "../",
    "../evil.html",
    "a/../../evil.html",
    "a/..",
    "/etc/passwd",
    "/",
    "//server/share/x",
    "C:/evil.html",
    "c:evil.html",
    "C:\\evil.html",
    "sco\\evil.html",
    "\\\\server\\share",
    "..\\..\\evil.html",
    "x\0y.html",
    "imsmanifest.xml\0",
];

const XML_TOKENS: &[&str] = &[
    "<?xml version=\"1.0\"?>",
    "<!DOCTYPE m [<!ENTITY a \"aaaa\">]>",
    "<manifest xmlns=\"http://www.imsproject.org/xsd/imscp_rootv1p1p2\">",
    "<manifest xmlns=\"http://www.imsglobal.org/xsd/imscp_v1p1\" identifier=\"M\">",
    "<courseStructure xmlns=\"https://w3id.org/xapi/profiles/cmi5/v1/CourseStructure.xsd\">",
    "<tincan xmlns=\"http://projecttincan.com/tincan.xsd\">",
    "<metadata><schema>ADL SCORM</schema><schemaversion>",
    "1.2",
    "2004 4th Edition",
    "</schemaversion></metadata>",
    "<organizations default=\"O\">",
    "<organization identifier=\"O\">",
    "<item identifier=\"I\" identifierref=\"R\">",
    "<item identifier=\"I\">",
    "<title>t</title>",
    "</item>",
    "</organization>",
    "</organizations>",
    "<resources>",
    "<resource identifier=\"R\" type=\"webcontent\" href=\"index.html\" xml:base=\"../\">",
    "<file href=\"index.html\"/>",
    "<file href=\"/etc/passwd\"/>",
    "<dependency identifierref=\"R\"/>",
    "</resource>",
    "</resources>",
    "</manifest>",
    "<au id=\"https://e/au\" moveOn=\"Passed\" masteryScore=\"2\">",
    "<url>index.html?registration=1</url>",
    "</au>",
    "<activity id=\"x\"><launch>index.html</launch></activity>",
    "&amp;",
    "&#x0;",
    "&#1114111;",
    "&bogus;",
    "<![CDATA[",
    "]]>",
    "<!--",
    "-->",
    "<?pi x?>",
    "<",
    ">",
    "\"",
    "'",
    "=",
    "xmlns:a=\"\"",
    "a:b",
    "\u{feff}",
    "\u{0}",
    "\n",
    " ",
];

/// An entry's name: from the pools above, generated, very long, raw bytes, or a copy of an
/// earlier entry's name.
#[derive(Clone, Debug)]
enum Name {
    Bytes(Vec<u8>),
    Duplicate(usize),
}

fn name() -> impl Strategy<Value = Name> {
    prop_oneof![
        4 => prop::sample::select(NAMES).prop_map(|n| Name::Bytes(n.into())),
        3 => prop::sample::select(HOSTILE).prop_map(|n| Name::Bytes(n.into())),
        2 => "[a-zA-Z0-9_./\\\\:-]{0,24}".prop_map(|n| Name::Bytes(n.into())),
        1 => "\\PC{0,12}".prop_map(|n| Name::Bytes(n.into())),
        1 => (200usize..65_535).prop_map(|n| Name::Bytes(vec![b'x'; n])),
        1 => prop::collection::vec(any::<u8>(), 0..24).prop_map(Name::Bytes),
        2 => any::<usize>().prop_map(Name::Duplicate),
    ]
}

fn data() -> impl Strategy<Value = Vec<u8>> {
    let docs = prop::sample::select(&[M12, M2004, CMI5, TINCAN, CRS, AU][..]);
    prop_oneof![
        3 => docs.clone().prop_map(<[u8]>::to_vec),
        // A valid descriptor with a few bytes changed, cut short, or both.
        3 => (docs, prop::collection::vec((any::<usize>(), any::<u8>()), 0..6), any::<Option<usize>>())
            .prop_map(|(d, edits, cut)| {
                let mut d = d.to_vec();
                for (at, b) in edits {
                    let i = at % d.len();
                    d[i] = b;
                }
                if let Some(c) = cut {
                    d.truncate(c % (d.len() + 1));
                }
                d
            }),
        2 => prop::collection::vec(prop::sample::select(XML_TOKENS), 0..40)
            .prop_map(|t| t.concat().into_bytes()),
        2 => prop::collection::vec(any::<u8>(), 0..4096),
        1 => (0usize..(3 << 20)).prop_map(|n| vec![0; n]),
    ]
}

#[derive(Clone, Debug)]
struct Entry {
    name: Name,
    data: Vec<u8>,
    /// Compression method written in the headers (raw mode: the data is stored whatever it says).
    method: u16,
    flags: u16,
    /// Unix mode in the high half of the external attributes (made by Unix when set).
    mode: Option<u32>,
    /// Sizes written in the central directory instead of the true ones.
    lie: Option<u32>,
}

fn entry() -> impl Strategy<Value = Entry> {
    (
        name(),
        data(),
        prop::sample::select(&[0u16, 0, 0, 8, 12, 14, 99][..]),
        prop::sample::select(&[0u16, 0, 0, 1, 8, 0x0800, 0x0809, 0x0041][..]),
        prop::option::weighted(
            0.2,
            prop::sample::select(&[0o100_644u32, 0o120_777, 0o040_755, 0o010_644][..]),
        ),
        prop::option::weighted(0.1, any::<u32>()),
    )
        .prop_map(|(name, data, method, flags, mode, lie)| Entry {
            name,
            data,
            method,
            flags,
            mode,
            lie,
        })
}

fn resolve(entries: &[Entry]) -> Vec<Vec<u8>> {
    let mut names: Vec<Vec<u8>> = Vec::new();
    for e in entries {
        let n = match &e.name {
            Name::Bytes(b) => b.clone(),
            Name::Duplicate(i) if !names.is_empty() => names[i % names.len()].clone(),
            Name::Duplicate(_) => b"index.html".to_vec(),
        };
        names.push(n);
    }
    names
}

/// A zip written byte by byte: whatever the entries say goes in the headers.
fn raw_zip(entries: &[Entry], names: &[Vec<u8>]) -> Vec<u8> {
    let mut out = Vec::new();
    let mut central = Vec::new();
    for (e, name) in entries.iter().zip(names) {
        let name = &name[..name.len().min(u16::MAX as usize)];
        let offset = out.len() as u32;
        let crc = crc32fast::hash(&e.data);
        let size = e.data.len() as u32;
        out.extend_from_slice(b"PK\x03\x04");
        for v in [20, e.flags, e.method, 0, 0x21] {
            out.extend_from_slice(&u16::to_le_bytes(v));
        }
        for v in [crc, size, size] {
            out.extend_from_slice(&v.to_le_bytes());
        }
        out.extend_from_slice(&(name.len() as u16).to_le_bytes());
        out.extend_from_slice(&0u16.to_le_bytes());
        out.extend_from_slice(name);
        out.extend_from_slice(&e.data);

        let made_by: u16 = if e.mode.is_some() { 3 << 8 | 20 } else { 20 };
        let listed = e.lie.unwrap_or(size);
        central.extend_from_slice(b"PK\x01\x02");
        for v in [made_by, 20, e.flags, e.method, 0, 0x21] {
            central.extend_from_slice(&v.to_le_bytes());
        }
        for v in [crc, listed, listed] {
            central.extend_from_slice(&v.to_le_bytes());
        }
        central.extend_from_slice(&(name.len() as u16).to_le_bytes());
        central.extend_from_slice(&[0; 8]);
        central.extend_from_slice(&(e.mode.unwrap_or(0) << 16).to_le_bytes());
        central.extend_from_slice(&offset.to_le_bytes());
        central.extend_from_slice(name);
    }
    let start = out.len() as u32;
    out.extend_from_slice(&central);
    out.extend_from_slice(b"PK\x05\x06\0\0\0\0");
    let count = (entries.len() as u16).to_le_bytes();
    out.extend_from_slice(&count);
    out.extend_from_slice(&count);
    out.extend_from_slice(&(central.len() as u32).to_le_bytes());
    out.extend_from_slice(&start.to_le_bytes());
    out.extend_from_slice(&0u16.to_le_bytes());
    out
}

/// A zip written by the zip crate (real deflate); entries it refuses are left out.
fn crate_zip(entries: &[Entry], names: &[Vec<u8>]) -> (Vec<u8>, Vec<Vec<u8>>) {
    let mut w = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
    let mut written = Vec::new();
    for (e, name) in entries.iter().zip(names) {
        let name = String::from_utf8_lossy(name).into_owned();
        let method = if e.method == 0 {
            zip::CompressionMethod::Stored
        } else {
            zip::CompressionMethod::Deflated
        };
        let mut o = zip::write::SimpleFileOptions::default()
            .compression_method(method)
            .large_file(e.flags & 1 != 0);
        if let Some(mode) = e.mode {
            o = o.unix_permissions(mode);
        }
        if w.start_file(name.as_str(), o).is_ok() && w.write_all(&e.data).is_ok() {
            written.push(name.into_bytes());
        }
    }
    let bytes = w.finish().map(|c| c.into_inner()).unwrap_or_default();
    (bytes, written)
}

#[derive(Clone, Debug)]
enum Damage {
    None,
    Flip(Vec<(usize, u8)>),
    Truncate(usize),
}

fn damage() -> impl Strategy<Value = Damage> {
    prop_oneof![
        6 => Just(Damage::None),
        2 => prop::collection::vec((any::<usize>(), any::<u8>()), 1..8).prop_map(Damage::Flip),
        1 => any::<usize>().prop_map(Damage::Truncate),
    ]
}

fn limits() -> impl Strategy<Value = Limits> {
    prop_oneof![
        3 => Just(Limits::default()),
        1 => (0u64..(8 << 20), 1usize..12, 1u64..300).prop_map(|(max_size, max_entries, max_ratio)| {
            Limits { max_size, max_entries, max_ratio }
        }),
    ]
}

/// Unsafe names and duplicates: a zip holding one must never validate.
fn is_hostile(names: &[Vec<u8>]) -> bool {
    let mut seen = std::collections::BTreeSet::new();
    names.iter().any(|n| {
        !seen.insert(n.clone()) || std::str::from_utf8(n).map_or(true, |s| check_name(s).is_some())
    })
}

fn check(bytes: &[u8], limits: Limits, lms: Lms) -> Result<bool, String> {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("package.zip");
    std::fs::write(&path, bytes).unwrap();
    let options = Options { lms, limits };
    match validate_path(&path, &options) {
        Ok(report) => {
            for f in &report.findings {
                assert!(!f.message.is_empty(), "{f:?}");
            }
            Ok(report.is_valid(false))
        }
        Err(InputError::Io(m) | InputError::Unrecognised(m)) => {
            assert!(!m.is_empty());
            Err(m)
        }
    }
}

fn config() -> ProptestConfig {
    // 100 cases in CI; PROPTEST_CASES=N overrides.
    let mut config = ProptestConfig::default();
    if std::env::var_os("PROPTEST_CASES").is_none() {
        config.cases = 100;
    }
    config
}

proptest! {
    #![proptest_config(config())]

    #[test]
    fn random_zips_always_get_a_verdict(
        entries in prop::collection::vec(entry(), 0..10),
        raw in any::<bool>(),
        damage in damage(),
        limits in limits(),
        moodle in any::<bool>(),
    ) {
        let names = resolve(&entries);
        let (mut bytes, written) = if raw {
            (raw_zip(&entries, &names), names.clone())
        } else {
            crate_zip(&entries, &names)
        };
        match &damage {
            Damage::None => {}
            Damage::Flip(edits) if !bytes.is_empty() => {
                for (at, b) in edits {
                    let i = at % bytes.len();
                    bytes[i] ^= b;
                }
            }
            Damage::Flip(_) => {}
            Damage::Truncate(at) => bytes.truncate(at % (bytes.len() + 1)),
        }
        let lms = if moodle { Lms::Moodle } else { Lms::Generic };
        let verdict = check(&bytes, limits, lms);
        if matches!(damage, Damage::None) && is_hostile(&written) {
            prop_assert_eq!(verdict, Ok(false), "a zip with an unsafe or duplicate name passed");
        }
    }

    #[test]
    fn random_descriptors_in_a_valid_zip_get_a_verdict(
        descriptor in prop::sample::select(&["imsmanifest.xml", "cmi5.xml", "tincan.xml", "course.crs", "sub/imsmanifest.xml"][..]),
        doc in data(),
    ) {
        let entries = [
            Entry { name: Name::Bytes(descriptor.into()), data: doc, method: 8, flags: 0, mode: None, lie: None },
            Entry { name: Name::Bytes(b"index.html".to_vec()), data: b"<!doctype html>".to_vec(), method: 8, flags: 0, mode: None, lie: None },
        ];
        let (bytes, written) = crate_zip(&entries, &resolve(&entries));
        prop_assert_eq!(written.len(), 2);
        let _ = check(&bytes, Limits::default(), Lms::Moodle);
    }
}
