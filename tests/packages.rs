//! Packages built from real sources: manifest snapshots, schema validity of everything lmspack can
//! build from `course/` and `fixtures/`, and a property test over random valid courses.

use lmspack::course::{self, Course};
use lmspack::package::{Content, Tree};
use lmspack::target::{self, Unit};
use proptest::prelude::*;
use std::path::Path;

fn load(dir: &str) -> Course {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join(dir);
    match course::load(&root) {
        Ok(l) => l.course,
        Err(e) => panic!("{dir} does not load: {e:?}"),
    }
}

/// The descriptor a package has at its root.
const DESCRIPTORS: [&str; 3] = ["imsmanifest.xml", "cmi5.xml", "tincan.xml"];

fn descriptor_name(tree: &Tree) -> &'static str {
    DESCRIPTORS
        .into_iter()
        .find(|d| tree.contains_key(*d))
        .expect("every package but a web site has a descriptor")
}

/// The package's descriptor (manifest, cmi5.xml or tincan.xml), as text; for a web site (no
/// descriptor), its list of files.
fn manifest(tree: &Tree) -> String {
    if !DESCRIPTORS.iter().any(|d| tree.contains_key(*d)) {
        return tree.keys().map(|k| format!("{k}\n")).collect();
    }
    match &tree[descriptor_name(tree)] {
        Content::Bytes(b) => String::from_utf8(b.to_vec()).unwrap(),
        Content::Disk(_) => unreachable!("descriptors are generated"),
    }
}

/// The target of a package named `<unit>-<target>`.
fn target_of(name: &str) -> &'static dyn target::Target {
    target::by_name(name.rsplit('-').next().unwrap()).unwrap()
}

/// Every package of a course, in both modes: (name, tree).
fn every_package(course: &Course) -> Vec<(String, Tree)> {
    let mut units: Vec<Unit> = course.modules.iter().map(Unit::Module).collect();
    units.push(Unit::Course);
    let mut out = Vec::new();
    for t in target::all() {
        for u in &units {
            let tree = t
                .layout(course, *u)
                .unwrap_or_else(|e| panic!("{}: {e}", t.name()));
            out.push((format!("{}-{}", u.name(course), t.name()), tree));
        }
    }
    out
}

#[test]
fn manifests_of_the_fixtures_match_their_snapshots() {
    for dir in ["fixtures/minimal", "fixtures/every-block"] {
        let course = load(dir);
        for t in target::all() {
            let module = Unit::Module(&course.modules[0]);
            insta::assert_snapshot!(
                format!("{}-{}", course.id, t.name()),
                manifest(&t.layout(&course, module).unwrap())
            );
        }
    }
}

#[test]
fn everything_built_from_course_and_fixtures_is_valid() {
    for dir in [
        "course",
        "fixtures/minimal",
        "fixtures/every-block",
        "fixtures/answer-rules",
    ] {
        let course = load(dir);
        for (name, tree) in every_package(&course) {
            let problems = target_of(&name).check(&tree);
            assert!(problems.is_empty(), "{dir} {name}: {problems:#?}");
        }
    }
}

#[test]
fn the_check_catches_a_broken_manifest() {
    // The check is what stands between a bug and a bad package: it must fail when it should.
    let course = load("fixtures/minimal");
    for t in target::all() {
        let mut tree = t.layout(&course, Unit::Course).unwrap();
        if t.name() == "web" {
            // A web site has no descriptor: its check is that every local link resolves.
            assert!(t.check(&tree).is_empty());
            tree.remove("lmspack/lmspack.css");
            let problems = t.check(&tree);
            assert!(
                problems.iter().any(|p| p.contains("lmspack/lmspack.css")),
                "{problems:?}"
            );
            continue;
        }
        let broken = manifest(&tree)
            .replacen("identifierref=\"RES-", "identifierref=\"XRES-", 1)
            .replacen(".html</url>", ".htm</url>", 1)
            .replacen(".html</launch>", ".htm</launch>", 1);
        assert_ne!(broken, manifest(&tree), "{}", t.name());
        tree.insert(descriptor_name(&tree).into(), Content::bytes(broken));
        assert!(!t.check(&tree).is_empty(), "{}", t.name());
        let mut tree = t.layout(&course, Unit::Course).unwrap();
        if descriptor_name(&tree) != "imsmanifest.xml" {
            continue; // cmi5 and Tin Can do not list their files
        }
        tree.insert("stray.txt".into(), Content::bytes("x"));
        assert!(
            t.check(&tree).iter().any(|p| p.contains("stray.txt")),
            "{}",
            t.name()
        );
    }
}

#[test]
fn identifiers_survive_edits_of_text() {
    let course = load("fixtures/minimal");
    let before = manifest(&target::all()[0].layout(&course, Unit::Course).unwrap());
    let dir = tempfile::tempdir().unwrap();
    copy_dir(
        &Path::new(env!("CARGO_MANIFEST_DIR")).join("fixtures/minimal"),
        dir.path(),
    );
    let yaml = std::fs::read_to_string(dir.path().join("course.yaml")).unwrap();
    std::fs::write(
        dir.path().join("course.yaml"),
        yaml.replace("Minimal course", "Renamed course"),
    )
    .unwrap();
    let edited = course::load(dir.path()).unwrap().course;
    let after = manifest(&target::all()[0].layout(&edited, Unit::Course).unwrap());
    let ids = |m: &str| -> Vec<String> {
        m.split("identifier=\"")
            .skip(1)
            .map(|s| s.split('"').next().unwrap().to_owned())
            .collect()
    };
    assert_ne!(before, after);
    assert_eq!(ids(&before), ids(&after));
}

#[test]
fn cmi5_blocks_wrap_each_module_in_a_block() {
    let dir = tempfile::tempdir().unwrap();
    copy_dir(
        &Path::new(env!("CARGO_MANIFEST_DIR")).join("fixtures/every-block"),
        dir.path(),
    );
    let yaml = std::fs::read_to_string(dir.path().join("course.yaml")).unwrap();
    std::fs::write(
        dir.path().join("course.yaml"),
        format!("{yaml}xapi:\n  cmi5_blocks: true\n"),
    )
    .unwrap();
    let course = course::load(dir.path()).unwrap().course;
    let cmi5 = target::by_name("cmi5").unwrap();
    let tree = cmi5.layout(&course, Unit::Course).unwrap();
    let xml = match &tree["cmi5.xml"] {
        Content::Bytes(b) => String::from_utf8(b.to_vec()).unwrap(),
        Content::Disk(_) => unreachable!(),
    };
    assert_eq!(
        xml.matches("<block id=").count(),
        course.modules.len(),
        "{xml}"
    );
    assert!(
        xml.find("<block").unwrap() < xml.find("<au ").unwrap(),
        "{xml}"
    );
    assert!(cmi5.check(&tree).is_empty(), "{:?}", cmi5.check(&tree));
    // A module package has one AU and no block, whatever the option says.
    let single = cmi5
        .layout(&course, Unit::Module(&course.modules[0]))
        .unwrap();
    match &single["cmi5.xml"] {
        Content::Bytes(b) => assert!(!String::from_utf8_lossy(b).contains("<block")),
        Content::Disk(_) => unreachable!(),
    }
}

fn copy_dir(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).unwrap();
    for e in std::fs::read_dir(from).unwrap() {
        let e = e.unwrap();
        if e.file_type().unwrap().is_dir() {
            copy_dir(&e.path(), &to.join(e.file_name()));
        } else {
            std::fs::copy(e.path(), to.join(e.file_name())).unwrap();
        }
    }
}

#[test]
fn web_sites_are_the_player_with_a_menu_for_a_course() {
    let course = load("fixtures/every-block");
    let web = target::by_name("web").unwrap();
    let module = web
        .layout(&course, Unit::Module(&course.modules[0]))
        .unwrap();
    let html = match &module["index.html"] {
        Content::Bytes(b) => String::from_utf8(b.to_vec()).unwrap(),
        Content::Disk(_) => unreachable!(),
    };
    assert!(
        html.contains(r#""api":"standalone""#),
        "the standalone adapter"
    );
    assert!(!module
        .keys()
        .any(|k| k.ends_with(".xml") || k.ends_with(".xsd")));
    let site = web.layout(&course, Unit::Course).unwrap();
    let menu = match &site["index.html"] {
        Content::Bytes(b) => String::from_utf8(b.to_vec()).unwrap(),
        Content::Disk(_) => unreachable!(),
    };
    assert!(menu.contains(r#"<a href="all-blocks.html">"#), "{menu}");
    assert!(site.contains_key("all-blocks.html"));
    // A page that links to a file the site lacks fails the check.
    let mut broken = site;
    broken.insert(
        "all-blocks.html".into(),
        Content::bytes(r#"<img src="images/missing.png" alt=""><a href="../out.html">x</a>"#),
    );
    let problems = web.check(&broken);
    assert_eq!(problems.len(), 2, "{problems:?}");
}

// ---- property test --------------------------------------------------------------------------

/// Text that stresses escaping: XML specials, quotes, non-ASCII, YAML-looking content. Titles take
/// any of it; Markdown fields get no `<` (an HTML tag in Markdown is rightly an error).
fn text() -> impl Strategy<Value = String> {
    prop::string::string_regex("[A-Za-z0-9 &<>\"'#:é漢—-]{1,40}")
        .unwrap()
        .prop_filter("not blank", |s| !s.trim().is_empty())
}

fn prose() -> impl Strategy<Value = String> {
    text()
        .prop_map(|s| s.replace('<', "&lt;"))
        .prop_filter("not blank", |s| !s.trim().is_empty())
}

#[derive(Debug, Clone)]
struct Spec {
    title: String,
    keywords: Vec<String>,
    /// (title, prose, mastery score, question kinds)
    modules: Vec<(String, String, u8, Vec<u8>)>,
}

fn spec() -> impl Strategy<Value = Spec> {
    (
        text(),
        prop::collection::vec(text(), 0..3),
        prop::collection::vec(
            (
                text(),
                prose(),
                0u8..=100,
                prop::collection::vec(0u8..5, 1..4),
            ),
            1..4,
        ),
    )
        .prop_map(|(title, keywords, modules)| Spec {
            title,
            keywords,
            modules,
        })
}

/// JSON strings are valid YAML double-quoted scalars: a safe way to write any text.
fn q(s: &str) -> String {
    serde_json::to_string(s).unwrap()
}

fn write_course(dir: &Path, spec: &Spec) {
    let modules: Vec<String> = (0..spec.modules.len()).map(|i| format!("m{i}")).collect();
    std::fs::write(
        dir.join("course.yaml"),
        format!(
            "id: prop-course\ntitle: {}\nlanguage: en-GB\nversion: 1.2.3\ndescription: {}\nauthors: [{}]\n\
             licence: MIT\nkeywords: [{}]\nmodules: [{}]\n",
            q(&spec.title),
            q(&spec.title),
            q(&spec.title),
            spec.keywords.iter().map(|k| q(k)).collect::<Vec<_>>().join(", "),
            modules.join(", ")
        ),
    )
    .unwrap();
    for (i, (title, prose, mastery, questions)) in spec.modules.iter().enumerate() {
        let m = dir.join(&modules[i]);
        std::fs::create_dir_all(&m).unwrap();
        let mut page = format!(
            "---\nid: p\ntitle: {}\n---\nText with {}.\n",
            q(title),
            prose
        );
        let mut scored = false;
        for (j, kind) in questions.iter().enumerate() {
            let id = format!("m{i}-q{j}");
            page.push_str(&match kind {
                0 => format!("\n```single-choice\nid: {id}\nprompt: {}\noptions:\n  - text: {}\n    correct: true\n  - text: b\n```\n", q(prose), q(prose)),
                1 => format!("\n```true-false\nid: {id}\nprompt: {}\nanswer: false\n```\n", q(prose)),
                2 => format!("\n```fill-in\nid: {id}\nprompt: {}\nanswers: [{}]\n```\n", q(prose), q(prose.trim())),
                3 => format!("\n```sequencing\nid: {id}\nprompt: p\nitems: [{}, b, c]\n```\n", q(prose)),
                _ => format!("\n```reflection\nid: {id}\nprompt: {}\n```\n", q(prose)),
            });
            scored |= *kind < 4;
        }
        std::fs::write(m.join("p.md"), page).unwrap();
        std::fs::write(
            m.join("module.yaml"),
            format!(
                "id: {}\ntitle: {}\ndescription: {}\nduration: 5\nobjectives: [{}]\nmastery_score: {mastery}\n\
                 completion: {}\npages: [p.md]\n",
                modules[i],
                q(title),
                q(title),
                q(title),
                if scored { "both" } else { "pages" }
            ),
        )
        .unwrap();
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(24))]

    #[test]
    fn random_valid_courses_give_schema_valid_manifests(spec in spec()) {
        let dir = tempfile::tempdir().unwrap();
        write_course(dir.path(), &spec);
        let course = match course::load(dir.path()) {
            Ok(l) => l.course,
            Err(course::LoadError::Content(d)) => panic!("generated course does not load: {:#?}", d.iter().map(|d| d.one_line()).collect::<Vec<_>>()),
            Err(e) => panic!("{e:?}"),
        };
        for (name, tree) in every_package(&course) {
            let t = target_of(&name);
            let problems = t.check(&tree);
            prop_assert!(problems.is_empty(), "{}: {:#?}\n{}", name, problems, manifest(&tree));
        }
    }
}

/// In SCORM 2004 a control mode applies to the children of the activity that declares it, and
/// flow defaults to `false`: every organization or item that holds items must allow flow, or an
/// LMS that follows IMS SS (Moodle) cannot `continue` from one module to the next in a course
/// package. Written with the literal `imsss:` prefix Moodle's parser needs, and without the
/// `imsss:mapInfo` Moodle crashes on.
#[test]
fn every_scorm2004_activity_with_children_allows_choice_and_flow() {
    let scorm2004 = target::by_name("scorm2004").unwrap();
    for dir in ["course", "fixtures/minimal", "fixtures/every-block"] {
        let course = load(dir);
        for (unit, parents) in [(Unit::Course, 2), (Unit::Module(&course.modules[0]), 1)] {
            let text = manifest(&scorm2004.layout(&course, unit).unwrap());
            assert!(!text.contains("mapInfo"), "{dir}");
            let doc = lmspack::validate::xml::parse("imsmanifest.xml", text.as_bytes()).unwrap();
            let holders: Vec<usize> = doc
                .all("organization")
                .chain(doc.all("item"))
                .filter(|&i| doc.children(i, "item").next().is_some())
                .collect();
            assert_eq!(holders.len(), parents, "{dir} {unit:?}");
            for h in holders {
                let mode = doc
                    .children(h, "sequencing")
                    .flat_map(|s| doc.children(s, "controlMode"))
                    .next()
                    .unwrap_or_else(|| {
                        panic!(
                            "{dir} {unit:?}: <{} identifier=\"{}\"> has no controlMode:\n{text}",
                            doc.el(h).local.as_str(),
                            doc.attr(h, "identifier").unwrap_or("")
                        )
                    });
                assert_eq!(doc.el(mode).prefix.as_str(), "imsss", "{dir}");
                assert_eq!(doc.attr(mode, "choice"), Some("true"), "{dir}");
                assert_eq!(doc.attr(mode, "flow"), Some("true"), "{dir}");
            }
        }
    }
}
