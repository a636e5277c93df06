//! Fuzz `lmspack validate` on the zip + XML path. The first byte of the input chooses what the
//! rest is:
//!
//! * 0: a file as given: a whole zip (container checks, streaming, bomb limits, then everything
//!   else) or a bare descriptor;
//! * 1, 2, 3: the bytes of `imsmanifest.xml`, `cmi5.xml` or `tincan.xml` in an otherwise valid
//!   zip (XML safety, version detection, XSD, the standard's rules, Moodle's rules);
//! * 4..: a descriptor given straight to the XSD validator, the set chosen by the second byte,
//!   and read by lmspack's streaming reader, whose schema verdict must equal the validator's.
//!
//! The property is "no panic, no hang, no runaway memory": every input gets a verdict; and the
//! streamed and driven schema verdicts agree.
#![no_main]

use libfuzzer_sys::fuzz_target;
use lmspack::validate::xsd::{self, SchemaSet};
use lmspack::validate::{validate_path, Limits, Lms, Options};
use std::io::Write;
use std::path::PathBuf;
use std::sync::OnceLock;

fn scratch() -> &'static PathBuf {
    static PATH: OnceLock<PathBuf> = OnceLock::new();
    PATH.get_or_init(|| {
        let dir = if std::path::Path::new("/dev/shm").is_dir() {
            PathBuf::from("/dev/shm")
        } else {
            std::env::temp_dir()
        };
        dir.join(format!("lmspack-fuzz-{}", std::process::id()))
    })
}

fn zip_with(descriptor: &str, bytes: &[u8]) -> Vec<u8> {
    let mut w = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
    let o = zip::write::SimpleFileOptions::default();
    for (name, data) in [
        (descriptor, bytes),
        ("index.html", &b"<!doctype html>"[..]),
        ("au1/index.html", &b"<!doctype html>"[..]),
    ] {
        w.start_file(name, o).unwrap();
        w.write_all(data).unwrap();
    }
    w.finish().unwrap().into_inner()
}

fn validate(file: &[u8]) {
    let path = scratch();
    std::fs::write(path, file).unwrap();
    let options = Options {
        lms: if file.len() % 2 == 0 { Lms::Moodle } else { Lms::Generic },
        // Small limits, so that bombs are found in the time of one run.
        limits: Limits {
            max_size: 64 << 20,
            max_entries: 10_000,
            max_ratio: 200,
        },
    };
    if let Ok(report) = validate_path(path, &options) {
        let _ = report.is_valid(true);
    }
}

fuzz_target!(|data: &[u8]| {
    let Some((&mode, rest)) = data.split_first() else {
        return;
    };
    match mode {
        0 => validate(rest),
        1 => validate(&zip_with("imsmanifest.xml", rest)),
        2 => validate(&zip_with("cmi5.xml", rest)),
        3 => validate(&zip_with("tincan.xml", rest)),
        _ => {
            let Some((&set, doc)) = rest.split_first() else {
                return;
            };
            let set = match set % 5 {
                0 => SchemaSet::Scorm12,
                1 => SchemaSet::Scorm2004_3rd,
                2 => SchemaSet::Scorm2004_4th,
                3 => SchemaSet::Cmi5,
                _ => SchemaSet::TinCan,
            };
            let driven = xsd::validate(set, doc);
            // The validator reads descriptors with its own reader, streaming them into the
            // schema runtime: wherever that reader reads a document into this set, its verdict
            // must be the driver's, errors and positions included.
            if let (Ok(_), Some(streamed)) = xsd::parse_validating("f.xml", doc) {
                if streamed.set == set {
                    assert_eq!(streamed.errors, driven.err().unwrap_or_default());
                }
            }
        }
    }
});
