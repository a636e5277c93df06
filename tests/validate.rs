//! `lmspack validate`, end to end: every rule has a package that breaks exactly it (built here, in
//! a temporary folder), the valid packages pass, and the packages `lmspack build` writes validate
//! clean under `--strict --lms moodle`.

use assert_cmd::Command;
use serde_json::Value;
use std::io::Write;
use std::path::{Path, PathBuf};
use zip::write::SimpleFileOptions;

// ---------------------------------------------------------------------------------------------
// Packages
// ---------------------------------------------------------------------------------------------

const M12: &str = r#"<?xml version="1.0" encoding="UTF-8"?>
<manifest identifier="MAN" version="1" xmlns="http://www.imsproject.org/xsd/imscp_rootv1p1p2" xmlns:adlcp="http://www.adlnet.org/xsd/adlcp_rootv1p2">
  <metadata>
    <schema>ADL SCORM</schema>
    <schemaversion>1.2</schemaversion>
  </metadata>
  <organizations default="ORG">
    <organization identifier="ORG">
      <title>Course</title>
      <item identifier="ITEM" identifierref="RES">
        <title>Lesson</title>
        <adlcp:masteryscore>80</adlcp:masteryscore>
      </item>
    </organization>
  </organizations>
  <resources>
    <resource identifier="RES" type="webcontent" adlcp:scormtype="sco" href="index.html">
      <file href="index.html"/>
    </resource>
  </resources>
</manifest>
"#;

const M2004: &str = r#"<?xml version="1.0" encoding="UTF-8"?>
<manifest identifier="MAN" version="1" xmlns="http://www.imsglobal.org/xsd/imscp_v1p1" xmlns:adlcp="http://www.adlnet.org/xsd/adlcp_v1p3" xmlns:imsss="http://www.imsglobal.org/xsd/imsss">
  <metadata>
    <schema>ADL SCORM</schema>
    <schemaversion>2004 4th Edition</schemaversion>
  </metadata>
  <organizations default="ORG">
    <organization identifier="ORG">
      <title>Course</title>
      <item identifier="ITEM" identifierref="RES">
        <title>Lesson</title>
        <imsss:sequencing>
          <imsss:objectives>
            <imsss:primaryObjective objectiveID="OBJ1" satisfiedByMeasure="true">
              <imsss:minNormalizedMeasure>0.8</imsss:minNormalizedMeasure>
            </imsss:primaryObjective>
            <imsss:objective objectiveID="OBJ2"/>
          </imsss:objectives>
        </imsss:sequencing>
      </item>
    </organization>
  </organizations>
  <resources>
    <resource identifier="RES" type="webcontent" adlcp:scormType="sco" href="index.html">
      <file href="index.html"/>
    </resource>
  </resources>
</manifest>
"#;

const CMI5: &str = r#"<?xml version="1.0" encoding="UTF-8"?>
<courseStructure xmlns="https://w3id.org/xapi/profiles/cmi5/v1/CourseStructure.xsd">
  <course id="https://example.com/c">
    <title><langstring lang="en">C</langstring></title>
    <description><langstring lang="en">C</langstring></description>
  </course>
  <objectives>
    <objective id="https://example.com/c/o1">
      <title><langstring lang="en">O</langstring></title>
      <description><langstring lang="en">O</langstring></description>
    </objective>
  </objectives>
  <au id="https://example.com/c/au1" moveOn="Passed" masteryScore="0.8" launchMethod="AnyWindow">
    <title><langstring lang="en">AU</langstring></title>
    <description><langstring lang="en">AU</langstring></description>
    <objectives><objective idref="https://example.com/c/o1"/></objectives>
    <url>au1/index.html?lang=en</url>
  </au>
</courseStructure>
"#;

const TINCAN: &str = r#"<?xml version="1.0" encoding="UTF-8"?>
<tincan xmlns="http://projecttincan.com/tincan.xsd">
  <activities>
    <activity id="https://example.com/c" type="http://adlnet.gov/expapi/activities/course">
      <name lang="en">C</name>
      <description lang="en">C</description>
      <launch lang="en">index.html</launch>
    </activity>
    <activity id="https://example.com/c/l1" type="http://adlnet.gov/expapi/activities/lesson">
      <name lang="en">L</name>
      <description lang="en">L</description>
    </activity>
  </activities>
</tincan>
"#;

const AICC_CRS: &str = "[Course]\nCourse_Creator=Me\nCourse_ID=C1\nCourse_System=Web\nCourse_Title=Course\nLevel=1\nMax_Fields_CST=2\nTotal_AUs=1\nTotal_Blocks=0\nVersion=2.0\n[Course_Behavior]\nMax_Normal=1\n[Course_Description]\nA course.\n";
const AICC_AU: &str = "\"System_ID\",\"Type\",\"Command_Line\",\"File_Name\",\"Core_Vendor\"\n\"A1\",\"lesson\",\"\",\"index.html\",\"\"\n";
const AICC_DES: &str = "\"System_ID\",\"Developer_ID\",\"Title\",\"Description\"\n\"A1\",\"a1\",\"Lesson\",\"A lesson\"\n";
const AICC_CST: &str = "\"Block\",\"Member\"\n\"root\",\"A1\"\n";

const HTML: &[u8] = b"<!doctype html><title>x</title>";

/// `doc` with `from` replaced by `to` (which must be there).
fn edit(doc: &str, from: &str, to: &str) -> String {
    assert!(doc.contains(from), "{from:?} not in document");
    doc.replacen(from, to, 1)
}

/// A zip of `entries`, deflated, written by the zip crate.
fn zip_of(entries: &[(&str, &[u8])]) -> Vec<u8> {
    let mut w = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
    for (name, data) in entries {
        w.start_file(*name, SimpleFileOptions::default()).unwrap();
        w.write_all(data).unwrap();
    }
    w.finish().unwrap().into_inner()
}

fn scorm12(manifest: &str) -> Vec<u8> {
    zip_of(&[
        ("imsmanifest.xml", manifest.as_bytes()),
        ("index.html", HTML),
    ])
}

fn scorm2004(manifest: &str) -> Vec<u8> {
    zip_of(&[
        ("imsmanifest.xml", manifest.as_bytes()),
        ("index.html", HTML),
    ])
}

fn cmi5(doc: &str) -> Vec<u8> {
    zip_of(&[("cmi5.xml", doc.as_bytes()), ("au1/index.html", HTML)])
}

fn tincan(doc: &str) -> Vec<u8> {
    zip_of(&[("tincan.xml", doc.as_bytes()), ("index.html", HTML)])
}

fn aicc(crs: &str, au: &str) -> Vec<u8> {
    zip_of(&[
        ("course.crs", crs.as_bytes()),
        ("course.au", au.as_bytes()),
        ("course.des", AICC_DES.as_bytes()),
        ("course.cst", AICC_CST.as_bytes()),
        ("index.html", HTML),
    ])
}

/// One entry of a zip written byte by byte, for what no zip writer will make.
#[derive(Clone)]
struct Raw {
    name: Vec<u8>,
    data: Vec<u8>,
    method: u16,
    flags: u16,
    made_by: u16,
    external: u32,
    /// Point the central record at the previous entry's local header (overlapping entries).
    overlap_previous: bool,
}

impl Raw {
    fn new(name: &[u8], data: &[u8]) -> Self {
        Raw {
            name: name.to_vec(),
            data: data.to_vec(),
            method: 0,
            flags: 0,
            made_by: 20,
            external: 0,
            overlap_previous: false,
        }
    }
}

fn raw_zip(entries: &[Raw]) -> Vec<u8> {
    let mut out = Vec::new();
    let mut central = Vec::new();
    let mut offsets: Vec<u32> = Vec::new();
    for e in entries {
        let offset = if e.overlap_previous {
            *offsets.last().unwrap()
        } else {
            let offset = out.len() as u32;
            out.extend_from_slice(b"PK\x03\x04");
            out.extend_from_slice(&20u16.to_le_bytes());
            out.extend_from_slice(&e.flags.to_le_bytes());
            out.extend_from_slice(&e.method.to_le_bytes());
            out.extend_from_slice(&[0, 0, 0x21, 0]); // time, date
            out.extend_from_slice(&crc32fast::hash(&e.data).to_le_bytes());
            out.extend_from_slice(&(e.data.len() as u32).to_le_bytes());
            out.extend_from_slice(&(e.data.len() as u32).to_le_bytes());
            out.extend_from_slice(&(e.name.len() as u16).to_le_bytes());
            out.extend_from_slice(&0u16.to_le_bytes());
            out.extend_from_slice(&e.name);
            out.extend_from_slice(&e.data);
            offset
        };
        offsets.push(offset);
        central.extend_from_slice(b"PK\x01\x02");
        central.extend_from_slice(&e.made_by.to_le_bytes());
        central.extend_from_slice(&20u16.to_le_bytes());
        central.extend_from_slice(&e.flags.to_le_bytes());
        central.extend_from_slice(&e.method.to_le_bytes());
        central.extend_from_slice(&[0, 0, 0x21, 0]);
        central.extend_from_slice(&crc32fast::hash(&e.data).to_le_bytes());
        central.extend_from_slice(&(e.data.len() as u32).to_le_bytes());
        central.extend_from_slice(&(e.data.len() as u32).to_le_bytes());
        central.extend_from_slice(&(e.name.len() as u16).to_le_bytes());
        central.extend_from_slice(&[0; 8]); // extra, comment, disk, internal attributes
        central.extend_from_slice(&e.external.to_le_bytes());
        central.extend_from_slice(&offset.to_le_bytes());
        central.extend_from_slice(&e.name);
    }
    let start = out.len() as u32;
    out.extend_from_slice(&central);
    out.extend_from_slice(b"PK\x05\x06");
    out.extend_from_slice(&[0; 4]);
    out.extend_from_slice(&(entries.len() as u16).to_le_bytes());
    out.extend_from_slice(&(entries.len() as u16).to_le_bytes());
    out.extend_from_slice(&(central.len() as u32).to_le_bytes());
    out.extend_from_slice(&start.to_le_bytes());
    out.extend_from_slice(&0u16.to_le_bytes());
    out
}

/// A valid SCORM 1.2 package written raw, plus `extra`.
fn raw_scorm12(extra: Raw) -> Vec<u8> {
    raw_zip(&[
        Raw::new(b"imsmanifest.xml", M12.as_bytes()),
        Raw::new(b"index.html", HTML),
        extra,
    ])
}

// ---------------------------------------------------------------------------------------------
// Running the validator
// ---------------------------------------------------------------------------------------------

struct Run {
    code: i32,
    json: Value,
}

impl Run {
    /// Rule ids of the findings of the first package.
    fn rules(&self) -> Vec<String> {
        self.json["packages"][0]["findings"]
            .as_array()
            .map(|fs| {
                fs.iter()
                    .map(|f| f["rule"].as_str().unwrap().to_owned())
                    .collect()
            })
            .unwrap_or_default()
    }

    fn finding(&self, rule: &str) -> &Value {
        self.json["packages"][0]["findings"]
            .as_array()
            .and_then(|fs| fs.iter().find(|f| f["rule"] == rule))
            .unwrap_or_else(|| panic!("no {rule} in {:#}", self.json))
    }
}

fn validate(paths: &[&Path], args: &[&str]) -> Run {
    let out = Command::cargo_bin("lmspack")
        .unwrap()
        .arg("validate")
        .args(paths)
        .args(args)
        .args(["--format", "json"])
        .output()
        .unwrap();
    let json = serde_json::from_slice(&out.stdout).unwrap_or_else(|e| {
        panic!(
            "{e}: {}\n{}",
            String::from_utf8_lossy(&out.stdout),
            String::from_utf8_lossy(&out.stderr)
        )
    });
    Run {
        code: out.status.code().unwrap(),
        json,
    }
}

/// Write `bytes` as `name` in a fresh temporary folder.
fn file(name: &str, bytes: &[u8]) -> (tempfile::TempDir, PathBuf) {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join(name);
    std::fs::write(&path, bytes).unwrap();
    (dir, path)
}

/// Validate a package given as bytes.
fn check(bytes: &[u8], args: &[&str]) -> Run {
    let (_dir, path) = file("package.zip", bytes);
    validate(&[&path], args)
}

/// Asserts that the package breaks `rule` (with exit status `code`).
fn assert_breaks(bytes: &[u8], args: &[&str], rule: &str, code: i32) -> Run {
    let run = check(bytes, args);
    assert!(
        run.rules().iter().any(|r| r == rule),
        "expected {rule}, got {:#}",
        run.json
    );
    assert_eq!(run.code, code, "{:#}", run.json);
    run
}

fn assert_clean(bytes: &[u8], args: &[&str]) {
    let run = check(bytes, args);
    assert!(run.rules().is_empty(), "{:#}", run.json);
    assert_eq!(run.code, 0);
}

// ---------------------------------------------------------------------------------------------
// Valid packages
// ---------------------------------------------------------------------------------------------

#[test]
fn valid_packages_of_every_standard_pass_strictly() {
    assert_clean(&scorm12(M12), &["--strict"]);
    assert_clean(&scorm2004(M2004), &["--strict"]);
    assert_clean(&cmi5(CMI5), &["--strict"]);
    assert_clean(&tincan(TINCAN), &["--strict"]);
    assert_clean(&aicc(AICC_CRS, AICC_AU), &["--strict"]);
    assert_clean(&scorm12(M12), &["--strict", "--lms", "moodle"]);
    assert_clean(&scorm2004(M2004), &["--strict", "--lms", "totara"]);
}

#[test]
fn standards_and_editions_are_detected_from_content() {
    let cases = [
        (scorm12(M12), "SCORM 1.2"),
        (scorm2004(M2004), "SCORM 2004 4th Edition"),
        (
            scorm2004(&edit(M2004, "2004 4th Edition", "2004 3rd Edition")),
            "SCORM 2004 3rd Edition",
        ),
        (
            scorm2004(&edit(M2004, "2004 4th Edition", "CAM 1.3")),
            "SCORM 2004 2nd Edition",
        ),
        (cmi5(CMI5), "cmi5"),
        (tincan(TINCAN), "Tin Can"),
        (aicc(AICC_CRS, AICC_AU), "AICC"),
    ];
    for (bytes, label) in cases {
        let run = check(&bytes, &[]);
        assert_eq!(run.json["packages"][0]["standard"], label, "{:#}", run.json);
    }
    // A bare descriptor, whatever its file name: kind from content, file checks skipped.
    let (_d, path) = file("whatever.txt", CMI5.as_bytes());
    let run = validate(&[&path], &[]);
    assert_eq!(run.json["packages"][0]["standard"], "cmi5");
    assert_eq!(run.code, 0);
    assert!(run.json["packages"][0]["notes"][0]
        .as_str()
        .unwrap()
        .contains("not checked"));
    // An unpacked folder.
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("imsmanifest.xml"), M12).unwrap();
    std::fs::write(dir.path().join("index.html"), HTML).unwrap();
    let run = validate(&[dir.path()], &["--strict"]);
    assert_eq!((run.code, run.rules().len()), (0, 0), "{:#}", run.json);
}

#[test]
fn zip64_archives_are_read() {
    let mut w = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
    for (name, data) in [("imsmanifest.xml", M12.as_bytes()), ("index.html", HTML)] {
        let o = SimpleFileOptions::default().large_file(true);
        w.start_file(name, o).unwrap();
        w.write_all(data).unwrap();
    }
    assert_clean(&w.finish().unwrap().into_inner(), &["--strict"]);
}

// ---------------------------------------------------------------------------------------------
// Container
// ---------------------------------------------------------------------------------------------

#[test]
fn corrupt_archives() {
    assert_breaks(b"PK\x03\x04 not really a zip at all", &[], "zip-corrupt", 1);
    // A CRC that does not match the data.
    let mut bytes = scorm12(M12);
    let mut stored = raw_zip(&[
        Raw::new(b"imsmanifest.xml", M12.as_bytes()),
        Raw::new(b"index.html", HTML),
    ]);
    let at = stored.windows(HTML.len()).position(|w| w == HTML).unwrap();
    stored[at] ^= 1;
    assert_breaks(&stored, &[], "zip-corrupt", 1);
    // Truncated.
    bytes.truncate(bytes.len() / 2);
    assert_breaks(&bytes, &[], "zip-corrupt", 1);
}

#[test]
fn unsafe_entry_names() {
    for (name, rule) in [
        (&b"../evil.html"[..], "zip-path-traversal"),
        (b"a/../../evil.html", "zip-path-traversal"),
        (b"/etc/evil.html", "zip-absolute-path"),
        (b"C:/evil.html", "zip-absolute-path"),
        (b"sco\\evil.html", "zip-backslash"),
        (b"caf\xe9.html", "zip-name-encoding"),
    ] {
        let run = assert_breaks(&raw_scorm12(Raw::new(name, HTML)), &[], rule, 1);
        assert!(run.finding(rule)["file"].is_string());
    }
}

#[test]
fn symlinks_encryption_methods_duplicates() {
    let mut link = Raw::new(b"link.html", b"/etc/passwd");
    link.made_by = 3 << 8 | 20;
    link.external = 0o120_777 << 16;
    assert_breaks(&raw_scorm12(link), &[], "zip-symlink", 1);

    let mut enc = Raw::new(b"secret.html", HTML);
    enc.flags = 1;
    assert_breaks(&raw_scorm12(enc), &[], "zip-encrypted", 1);

    let mut bz = Raw::new(b"b.html", HTML);
    bz.method = 12;
    assert_breaks(&raw_scorm12(bz), &[], "zip-unsupported-compression", 1);

    assert_breaks(
        &raw_scorm12(Raw::new(b"index.html", b"other")),
        &[],
        "zip-duplicate-name",
        1,
    );
    let run = assert_breaks(
        &raw_scorm12(Raw::new(b"INDEX.html", HTML)),
        &[],
        "zip-case-collision",
        0,
    );
    assert_eq!(run.finding("zip-case-collision")["severity"], "warning");
}

#[cfg(unix)]
#[test]
fn symlinks_in_folders() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("imsmanifest.xml"), M12).unwrap();
    std::fs::write(dir.path().join("index.html"), HTML).unwrap();
    std::os::unix::fs::symlink("/etc/passwd", dir.path().join("x.html")).unwrap();
    let run = validate(&[dir.path()], &[]);
    assert!(
        run.rules().contains(&"zip-symlink".to_owned()),
        "{:#}",
        run.json
    );
    assert_eq!(run.code, 1);
}

#[test]
fn zip_bombs_are_stopped_while_streaming() {
    let mut over = Raw::new(b"a.html", HTML);
    over.overlap_previous = true;
    assert_breaks(&raw_scorm12(over), &[], "zip-overlapping-entries", 1);

    let pkg = scorm12(M12);
    assert_breaks(&pkg, &["--max-entries", "1"], "zip-too-many-entries", 1);
    assert_breaks(&pkg, &["--max-size", "100"], "zip-too-large", 1);

    // 4 MiB of zeros deflates about 1000:1.
    let zeros = vec![0u8; 4 << 20];
    let bomb = zip_of(&[
        ("imsmanifest.xml", M12.as_bytes()),
        ("index.html", HTML),
        ("zeros.bin", &zeros),
    ]);
    assert_breaks(&bomb, &[], "zip-compression-ratio", 1);

    // A header that lies about the size is not trusted: the bytes produced are counted.
    let mut lying = raw_zip(&[
        Raw::new(b"imsmanifest.xml", M12.as_bytes()),
        Raw::new(b"index.html", &[b'x'; 5000]),
    ]);
    // Patch both size fields of the central record of index.html to 10 bytes.
    let central = lying.windows(4).rposition(|w| w == b"PK\x01\x02").unwrap();
    lying[central + 20..central + 28].copy_from_slice(&[10, 0, 0, 0, 10, 0, 0, 0]);
    let run = check(&lying, &["--max-size", "2000"]);
    assert_eq!(run.code, 1, "{:#}", run.json);
    assert!(
        run.rules()
            .iter()
            .any(|r| r == "zip-too-large" || r == "zip-corrupt"),
        "{:#}",
        run.json
    );
}

// ---------------------------------------------------------------------------------------------
// Location and debris
// ---------------------------------------------------------------------------------------------

#[test]
fn manifest_in_a_sub_folder_is_moodles_badimsmanifestlocation() {
    let pkg = zip_of(&[
        ("course/imsmanifest.xml", M12.as_bytes()),
        ("course/index.html", HTML),
    ]);
    let run = assert_breaks(&pkg, &[], "manifest-not-at-root", 1);
    assert!(run.finding("manifest-not-at-root")["message"]
        .as_str()
        .unwrap()
        .contains("badimsmanifestlocation"));
    // Validated relative to its folder: nothing else is wrong.
    assert_eq!(run.rules().len(), 1, "{:#}", run.json);

    let pkg = zip_of(&[("IMSManifest.xml", M12.as_bytes()), ("index.html", HTML)]);
    assert_breaks(&pkg, &[], "manifest-name-case", 1);
}

#[test]
fn debris_and_multiple_descriptors_are_warned() {
    let pkg = zip_of(&[
        ("imsmanifest.xml", M12.as_bytes()),
        ("index.html", HTML),
        ("__MACOSX/._index.html", b"x"),
        (".DS_Store", b"x"),
        ("img/Thumbs.db", b"x"),
    ]);
    let run = assert_breaks(&pkg, &[], "package-debris", 0);
    assert_eq!(run.rules().len(), 3, "{:#}", run.json);
    assert_eq!(check(&pkg, &["--strict"]).code, 1);

    let pkg = zip_of(&[
        ("imsmanifest.xml", M12.as_bytes()),
        ("index.html", HTML),
        ("tincan.xml", TINCAN.as_bytes()),
    ]);
    assert_breaks(&pkg, &[], "multiple-descriptors", 0);
}

// ---------------------------------------------------------------------------------------------
// XML safety
// ---------------------------------------------------------------------------------------------

#[test]
fn billion_laughs_is_refused_unexpanded() {
    let mut doc =
        String::from("<?xml version=\"1.0\"?>\n<!DOCTYPE manifest [\n<!ENTITY a \"aaaaaaaaaa\">\n");
    for i in 1..10 {
        let prev = if i == 1 {
            "a".to_owned()
        } else {
            format!("a{}", i - 1)
        };
        doc.push_str(&format!(
            "<!ENTITY a{i} \"{}\">\n",
            format!("&{prev};").repeat(10)
        ));
    }
    doc.push_str("]>\n<manifest>&a9;</manifest>\n");
    let run = assert_breaks(&scorm12(&doc), &[], "xml-doctype", 1);
    assert_eq!(run.finding("xml-doctype")["line"], 2);
}

#[test]
fn malformed_xml_has_line_and_column() {
    let bad = edit(M12, "<title>Lesson</title>", "<title>Lesson</titel>");
    let run = assert_breaks(&scorm12(&bad), &[], "xml-malformed", 1);
    let f = run.finding("xml-malformed");
    assert_eq!(f["line"], 11, "{f:#}");
    assert!(f["column"].as_u64().unwrap() > 1);
    assert_eq!(f["file"], "imsmanifest.xml");

    let bad = edit(M12, "<title>Course</title>", "<title>&nbsp;</title>");
    assert_breaks(&scorm12(&bad), &[], "xml-malformed", 1);
}

#[test]
fn xml_size_and_depth_limits() {
    let deep = edit(
        M12,
        "<title>Lesson</title>",
        &format!("{}{}", "<x>".repeat(300), "</x>".repeat(300)),
    );
    assert_breaks(&scorm12(&deep), &[], "xml-too-deep", 1);

    // Over 16 MiB: an unpacked folder (a zip would trip the compression ratio first).
    let dir = tempfile::tempdir().unwrap();
    let big = edit(
        M12,
        "<metadata>",
        &format!("<!--{}--><metadata>", " ".repeat(17 << 20)),
    );
    std::fs::write(dir.path().join("imsmanifest.xml"), big).unwrap();
    std::fs::write(dir.path().join("index.html"), HTML).unwrap();
    let run = validate(&[dir.path()], &[]);
    assert!(
        run.rules().contains(&"xml-too-large".to_owned()),
        "{:#}",
        run.json
    );
}

#[test]
fn a_manifest_of_another_kind_is_reported() {
    let run = assert_breaks(
        &scorm12("<?xml version=\"1.0\"?>\n<html/>\n"),
        &[],
        "descriptor-unknown-root",
        1,
    );
    assert_eq!(run.finding("descriptor-unknown-root")["line"], 2);
}

// ---------------------------------------------------------------------------------------------
// Version and schema
// ---------------------------------------------------------------------------------------------

#[test]
fn versions() {
    let none = edit(M12, "<schemaversion>1.2</schemaversion>", "");
    assert_breaks(&scorm12(&none), &[], "scorm-version-unknown", 0);
    let mismatch = edit(M12, "<schemaversion>1.2", "<schemaversion>2004 4th Edition");
    assert_breaks(&scorm12(&mismatch), &[], "scorm-version-mismatch", 1);
}

#[test]
fn schema_errors_come_from_the_matching_embedded_set() {
    let bad = edit(
        M2004,
        "<title>Lesson</title>",
        "<title>Lesson</title><bogus/>",
    );
    let run = assert_breaks(&scorm2004(&bad), &[], "schema", 1);
    assert_eq!(run.finding("schema")["line"], 11);
    // 3rd Edition packages are validated against the 3rd Edition schemas.
    let third = edit(&bad, "2004 4th Edition", "2004 3rd Edition");
    let run = assert_breaks(&scorm2004(&third), &[], "schema", 1);
    assert!(run.finding("schema")["message"]
        .as_str()
        .unwrap()
        .starts_with("SCORM 2004 3rd Edition"));
}

// ---------------------------------------------------------------------------------------------
// SCORM rules
// ---------------------------------------------------------------------------------------------

#[test]
fn scorm_reference_rules() {
    let cases: Vec<(String, &str, i32)> = vec![
        (
            edit(M12, "identifier=\"ITEM\"", "identifier=\"RES\""),
            "scorm-duplicate-identifier",
            1,
        ),
        (
            edit(M12, "default=\"ORG\"", "default=\"NOPE\""),
            "scorm-default-organization",
            1,
        ),
        (
            edit(M12, "identifierref=\"RES\"", "identifierref=\"NOPE\""),
            "scorm-identifierref",
            1,
        ),
        (
            edit(M12, " identifierref=\"RES\"", ""),
            "scorm-leaf-item",
            1,
        ),
        (
            edit(M12, " identifierref=\"RES\"", ""),
            "scorm-no-launchable",
            1,
        ),
        (
            edit(M12, " href=\"index.html\">", ">"),
            "scorm-launch-href",
            1,
        ),
        (
            edit(M12, " adlcp:scormtype=\"sco\"", ""),
            "scorm-type-missing",
            0,
        ),
        (
            edit(
                M12,
                "<file href=\"index.html\"/>",
                "<file href=\"Index.html\"/>",
            ),
            "scorm-file-missing",
            1,
        ),
        (
            edit(
                M12,
                "<file href=\"index.html\"/>",
                "<file href=\"index.html\"/><dependency identifierref=\"NOPE\"/>",
            ),
            "scorm-dependency",
            1,
        ),
        (
            edit(
                M12,
                "identifierref=\"RES\"",
                "identifierref=\"RES\" parameters=\"? a=b\"",
            ),
            "scorm-parameters",
            1,
        ),
        (
            edit(M12, "<adlcp:masteryscore>80", "<adlcp:masteryscore>180"),
            "scorm-masteryscore",
            1,
        ),
    ];
    for (manifest, rule, code) in cases {
        assert_breaks(&scorm12(&manifest), &[], rule, code);
    }
    // xml:base is applied: the file must be under it.
    let based = edit(
        M12,
        "<resource identifier",
        "<resource xml:base=\"sco/\" identifier",
    );
    let run = assert_breaks(&scorm12(&based), &[], "scorm-file-missing", 1);
    assert!(run.finding("scorm-file-missing")["message"]
        .as_str()
        .unwrap()
        .contains("sco/index.html"));
    let ok = zip_of(&[
        ("imsmanifest.xml", based.as_bytes()),
        ("sco/index.html", HTML),
    ]);
    assert_clean(&ok, &["--strict"]);
    // Files nobody lists.
    let pkg = zip_of(&[
        ("imsmanifest.xml", M12.as_bytes()),
        ("index.html", HTML),
        ("stray.png", b"x"),
    ]);
    assert_breaks(&pkg, &[], "scorm-file-unlisted", 0);
}

#[test]
fn scorm_2004_rules() {
    let parent = edit(
        M2004,
        "<title>Lesson</title>",
        "<title>Lesson</title><item identifier=\"CHILD\" identifierref=\"RES\"><title>C</title></item>",
    );
    assert_breaks(&scorm2004(&parent), &[], "scorm-parent-item-reference", 1);
    let dup = edit(M2004, "objectiveID=\"OBJ2\"", "objectiveID=\"OBJ1\"");
    assert_breaks(&scorm2004(&dup), &[], "scorm-objective-duplicate", 1);
    let measure = edit(M2004, ">0.8<", ">1.5<");
    assert_breaks(&scorm2004(&measure), &[], "scorm-measure-range", 1);
    let sco = edit(M2004, " href=\"index.html\">", ">");
    assert_breaks(&scorm2004(&sco), &[], "scorm-launch-href", 1);
}

// ---------------------------------------------------------------------------------------------
// cmi5, Tin Can, AICC
// ---------------------------------------------------------------------------------------------

#[test]
fn cmi5_rules() {
    let cases: Vec<(String, &str)> = vec![
        (
            edit(CMI5, "id=\"https://example.com/c/au1\"", "id=\"au1\""),
            "cmi5-id-iri",
        ),
        (
            edit(
                CMI5,
                "id=\"https://example.com/c/au1\"",
                "id=\"https://example.com/c\"",
            ),
            "cmi5-duplicate-id",
        ),
        (
            edit(CMI5, "<url>au1/index.html", "<url>au2/index.html"),
            "cmi5-au-url",
        ),
        (
            edit(CMI5, "?lang=en", "?lang=en&amp;registration=x"),
            "cmi5-url-parameter",
        ),
        (
            edit(
                CMI5,
                "idref=\"https://example.com/c/o1\"",
                "idref=\"https://example.com/c/o9\"",
            ),
            "cmi5-objective-ref",
        ),
        (
            edit(CMI5, "moveOn=\"Passed\"", "moveOn=\"Done\""),
            "cmi5-au-attribute",
        ),
        (
            edit(CMI5, "masteryScore=\"0.8\"", "masteryScore=\"80\""),
            "cmi5-au-attribute",
        ),
        (
            edit(CMI5, "launchMethod=\"AnyWindow\"", "launchMethod=\"Popup\""),
            "cmi5-au-attribute",
        ),
    ];
    for (doc, rule) in cases {
        assert_breaks(&cmi5(&doc), &[], rule, 1);
    }
    let pkg = zip_of(&[
        ("course/cmi5.xml", CMI5.as_bytes()),
        ("course/au1/index.html", HTML),
    ]);
    assert_breaks(&pkg, &[], "manifest-not-at-root", 1);
}

#[test]
fn a_thousand_aus_validate_quickly() {
    let mut aus = String::new();
    for i in 0..1000 {
        aus.push_str(&format!(
            "<au id=\"https://example.com/c/many/au{i}\"><title><langstring lang=\"en\">A</langstring></title><description><langstring lang=\"en\">A</langstring></description><url>au1/index.html</url></au>\n"
        ));
    }
    let start = aus.len();
    let doc = CMI5.replace("</courseStructure>", &format!("{aus}</courseStructure>"));
    assert!(doc.len() > start);
    let t = std::time::Instant::now();
    assert_clean(&cmi5(&doc), &["--strict"]);
    let took = t.elapsed();
    eprintln!("1,000 AUs: {took:?} (process included)");
    assert!(took < std::time::Duration::from_secs(5), "{took:?}");
}

#[test]
fn tincan_rules() {
    let none = edit(TINCAN, "<launch lang=\"en\">index.html</launch>", "");
    assert_breaks(&tincan(&none), &[], "tincan-no-launch", 1);
    let missing = edit(TINCAN, ">index.html<", ">start.html<");
    assert_breaks(&tincan(&missing), &[], "tincan-launch-file", 1);
    let two = edit(
        TINCAN,
        "<description lang=\"en\">L</description>",
        "<description lang=\"en\">L</description><launch lang=\"en\">index.html</launch>",
    );
    assert_breaks(&tincan(&two), &[], "tincan-multiple-launch", 0);
}

#[test]
fn aicc_rules() {
    let pkg = zip_of(&[
        ("course.crs", AICC_CRS.as_bytes()),
        ("course.au", AICC_AU.as_bytes()),
        ("course.cst", AICC_CST.as_bytes()),
        ("index.html", HTML),
    ]);
    assert_breaks(&pkg, &[], "aicc-required-file", 1);
    let crs = edit(AICC_CRS, "Course_ID=C1\n", "");
    assert_breaks(&aicc(&crs, AICC_AU), &[], "aicc-required-field", 1);
    let au = edit(AICC_AU, "\"index.html\"", "\"start.html\"");
    assert_breaks(&aicc(AICC_CRS, &au), &[], "aicc-au-file", 1);
}

// ---------------------------------------------------------------------------------------------
// LMS quirks
// ---------------------------------------------------------------------------------------------

#[test]
fn moodle_rules() {
    let m = ["--lms", "moodle"];
    let prefixed = M2004
        .replace("xmlns:imsss=", "xmlns:ss=")
        .replace("imsss:", "ss:");
    assert_breaks(&scorm2004(&prefixed), &m, "moodle-namespace-prefix", 1);
    assert!(!check(&scorm2004(&prefixed), &[])
        .rules()
        .contains(&"moodle-namespace-prefix".to_owned()));

    let mapinfo = edit(
        M2004,
        "<imsss:objective objectiveID=\"OBJ2\"/>",
        "<imsss:objective objectiveID=\"OBJ2\"><imsss:mapInfo targetObjectiveID=\"G1\"/></imsss:objective>",
    );
    assert_breaks(&scorm2004(&mapinfo), &m, "moodle-mapinfo", 1);

    let spaced = edit(M12, "identifier=\"MAN\"", "identifier=\"MY MANIFEST\"");
    assert_breaks(&scorm12(&spaced), &m, "moodle-identifier-space", 1);

    let ignored = edit(
        M2004,
        "</imsss:objectives>",
        "</imsss:objectives><imsss:randomizationControls reorderChildren=\"true\"/>",
    );
    assert_breaks(&scorm2004(&ignored), &m, "moodle-sequencing-ignored", 0);

    let multi = edit(
        M12,
        "</organization>",
        "<item identifier=\"ITEM2\" identifierref=\"RES\"><title>Two</title></item></organization>",
    );
    assert_breaks(&scorm12(&multi), &m, "moodle-multi-sco-root", 0);

    let second = TINCAN.replace(
        "<activity id=\"https://example.com/c\" type",
        "<activity id=\"https://example.com/c/first\" type=\"x\"><name lang=\"en\">F</name><description lang=\"en\">F</description></activity>\n<activity id=\"https://example.com/c\" type",
    );
    let run = assert_breaks(&tincan(&second), &m, "moodle-tincan-first-activity", 0);
    assert!(run.rules().contains(&"lms-unsupported-standard".to_owned()));
    assert_breaks(
        &cmi5(CMI5),
        &["--lms", "totara"],
        "lms-unsupported-standard",
        0,
    );
}

#[test]
fn package_size_over_a_typical_upload_limit() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("imsmanifest.xml"), M12).unwrap();
    std::fs::write(dir.path().join("index.html"), HTML).unwrap();
    let video = std::fs::File::create(dir.path().join("video.mp4")).unwrap();
    video.set_len(101 << 20).unwrap(); // sparse
    let run = validate(&[dir.path()], &["--lms", "moodle"]);
    assert!(
        run.rules().contains(&"lms-package-size".to_owned()),
        "{:#}",
        run.json
    );
}

// ---------------------------------------------------------------------------------------------
// Output and exit statuses
// ---------------------------------------------------------------------------------------------

#[test]
fn exit_statuses() {
    let (_d, missing) = file("x", b"");
    std::fs::remove_file(&missing).unwrap();
    let run = validate(&[&missing], &[]);
    assert_eq!(run.code, 2);
    assert!(run.json["packages"][0]["error"].is_string());

    let (_d, junk) = file("junk.bin", b"\x00\x01 binary");
    assert_eq!(validate(&[&junk], &[]).code, 2);
    let (_d, other_xml) = file("x.xml", b"<html/>");
    assert_eq!(validate(&[&other_xml], &[]).code, 2);
    let empty = tempfile::tempdir().unwrap();
    assert_eq!(validate(&[empty.path()], &[]).code, 2);

    Command::cargo_bin("lmspack")
        .unwrap()
        .arg("validate")
        .assert()
        .code(2);

    // Several inputs: the worst status wins.
    let (_a, good) = file("good.zip", &scorm12(M12));
    let (_b, bad) = file(
        "bad.zip",
        &scorm12(&edit(M12, "default=\"ORG\"", "default=\"X\"")),
    );
    let run = validate(&[&good, &bad], &[]);
    assert_eq!(run.code, 1);
    assert_eq!(run.json["packages"][0]["valid"], true);
    assert_eq!(run.json["packages"][1]["valid"], false);
}

#[test]
fn findings_carry_rule_file_position_section_and_hint() {
    let run = check(
        &scorm12(&edit(M12, "default=\"ORG\"", "default=\"X\"")),
        &[],
    );
    let f = run.finding("scorm-default-organization");
    assert_eq!(f["severity"], "error");
    assert_eq!(f["file"], "imsmanifest.xml");
    assert_eq!(
        (f["line"].as_u64(), f["column"].as_u64()),
        (Some(7), Some(3))
    );
    assert!(f["section"].as_str().unwrap().contains("organizations"));
    assert!(!f["hint"].as_str().unwrap().is_empty());
}

#[test]
fn human_and_junit_output() {
    let (_d, bad) = file(
        "bad.zip",
        &scorm12(&edit(M12, "default=\"ORG\"", "default=\"X\"")),
    );
    let out = Command::cargo_bin("lmspack")
        .unwrap()
        .args(["validate", "--format", "human"])
        .arg(&bad)
        .output()
        .unwrap();
    let text = String::from_utf8_lossy(&out.stderr);
    assert!(
        text.contains("bad.zip!imsmanifest.xml:7:3: error[scorm-default-organization]"),
        "{text}"
    );
    assert!(
        text.contains("= help:") && text.contains("INVALID"),
        "{text}"
    );

    let (_g, good) = file("good.zip", &scorm12(M12));
    let out = Command::cargo_bin("lmspack")
        .unwrap()
        .args(["validate", "--format", "junit"])
        .arg(&good)
        .arg(&bad)
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    let xml = String::from_utf8(out.stdout).unwrap();
    assert!(xml.contains("tests=\"2\" failures=\"1\""), "{xml}");
    assert!(xml.contains("<failure"), "{xml}");
    // Well-formed, by our own reader.
    assert!(xml.matches("<testcase").count() == 2);
}

#[test]
fn strict_turns_warnings_into_errors() {
    let pkg = scorm12(&edit(M12, " adlcp:scormtype=\"sco\"", ""));
    assert_eq!(check(&pkg, &[]).code, 0);
    let run = check(&pkg, &["--strict"]);
    assert_eq!(run.code, 1);
    assert_eq!(run.finding("scorm-type-missing")["severity"], "error");
}

// ---------------------------------------------------------------------------------------------
// lmspack's own packages
// ---------------------------------------------------------------------------------------------

#[test]
fn built_packages_validate_clean_strictly_for_moodle() {
    let root = PathBuf::from(env!("CARGO_MANIFEST_DIR"));
    let out = tempfile::tempdir().unwrap();
    for mode in ["module", "course"] {
        let dir = out.path().join(mode);
        Command::cargo_bin("lmspack")
            .unwrap()
            .current_dir(&root)
            .args([
                "build",
                "course",
                "--target",
                "all",
                "--quiet",
                "--package",
                mode,
                "--out",
            ])
            .arg(&dir)
            .assert()
            .success();
        let zips: Vec<PathBuf> = std::fs::read_dir(&dir)
            .unwrap()
            .map(|e| e.unwrap().path())
            .filter(|p| p.extension().is_some_and(|e| e == "zip"))
            // A `web` site is no LMS package: it has its own check (every local link resolves).
            .filter(|p| !p.to_string_lossy().ends_with("-web.zip"))
            .collect();
        assert!(!zips.is_empty());
        // cmi5 and Tin Can packages are valid, but Moodle's core SCORM activity cannot import
        // them (lms-unsupported-standard): they are checked without `--lms moodle`.
        let (scorm, xapi): (Vec<&Path>, Vec<&Path>) =
            zips.iter().map(PathBuf::as_path).partition(|p| {
                let name = p.to_string_lossy();
                !name.ends_with("-cmi5.zip") && !name.ends_with("-xapi.zip")
            });
        let run = validate(&scorm, &["--strict", "--lms", "moodle"]);
        assert_eq!(run.code, 0, "{:#}", run.json);
        assert_eq!(run.json["ok"], true);
        assert!(!xapi.is_empty());
        let run = validate(&xapi, &["--strict"]);
        assert_eq!(run.code, 0, "{:#}", run.json);
        assert_eq!(run.json["ok"], true);
    }
}

#[test]
fn every_rule_is_documented() {
    let doc = std::fs::read_to_string(
        PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("docs/validation-rules.md"),
    )
    .unwrap();
    for rule in lmspack::validate::Rule::ALL {
        assert!(
            doc.contains(&format!("| `{}` |", rule.id())),
            "{} is not in docs/validation-rules.md",
            rule.id()
        );
    }
}
