//! Validate: check packages against the official schemas and the rules LMSs enforce.
//!
//! [`validate_path`] takes anyone's package (a zip, an unpacked folder or a bare descriptor) and
//! returns every [`Finding`], in stages that each trust the one before: the container
//! ([`container`]), the descriptor's location and debris, XML safety ([`xml`]), the standard and
//! version, the embedded schema ([`xsd`]), then the rules of the standard ([`scorm`], [`cmi5`],
//! [`tincan`], [`aicc`]) and of the chosen LMS. `lmspack build` checks its own packages with the
//! same code ([`check_built`]).

pub mod aicc;
pub mod cmi5;
pub mod container;
pub mod finding;
pub mod scorm;
pub mod tincan;
pub mod xml;
pub mod xsd;

pub use container::{InputError, InputKind, Limits};
pub use finding::{Finding, Rule, Severity};

use container::Contents;
use std::collections::BTreeMap;
use std::path::Path;
use xsd::SchemaSet;

/// Which LMS's known limits to add as findings.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, clap::ValueEnum)]
pub enum Lms {
    #[default]
    Generic,
    Moodle,
    Totara,
}

#[derive(Clone, Copy, Debug, Default)]
pub struct Options {
    pub lms: Lms,
    pub limits: Limits,
}

/// The standard a package turned out to be.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Standard {
    Scorm(scorm::Version),
    Cmi5,
    TinCan,
    Aicc,
}

impl Standard {
    pub fn label(self) -> &'static str {
        match self {
            Standard::Scorm(v) => v.label(),
            Standard::Cmi5 => "cmi5",
            Standard::TinCan => "Tin Can",
            Standard::Aicc => "AICC",
        }
    }
}

/// The verdict on one input.
#[derive(Debug)]
pub struct Report {
    pub kind: InputKind,
    pub standard: Option<Standard>,
    pub findings: Vec<Finding>,
    /// What was not checked, and why (a bare manifest, a schema set substituted, …).
    pub notes: Vec<String>,
}

impl Report {
    /// Valid: no errors (and, when `strict`, no warnings either).
    pub fn is_valid(&self, strict: bool) -> bool {
        self.findings.iter().all(|f| !strict && !f.is_error())
    }
}

/// Above this many bytes, LMS uploads commonly fail (PHP/Moodle defaults).
const LMS_UPLOAD_LIMIT: u64 = 100 << 20;

/// The state the rules of one descriptor share.
pub struct Check<'a> {
    pub doc: &'a xml::Doc,
    pub source: &'a [u8],
    /// The descriptor's path in the package.
    pub file: &'a str,
    /// The folder the descriptor is in (`""` at the root, else `sub/`): relative paths start there.
    pub base: &'a str,
    /// Every file of the package; `None` for a bare descriptor.
    pub files: Option<&'a BTreeMap<String, u64>>,
    pub lms: Lms,
    pub findings: Vec<Finding>,
}

impl Check<'_> {
    /// A finding at the start tag of element `i`.
    pub fn push_at(&mut self, rule: Rule, i: usize, message: impl Into<String>) {
        let (l, c) = self.doc.position(i, self.source);
        self.findings
            .push(Finding::new(rule, message).file(self.file).at(l, c));
    }
}

/// Validate whatever is at `path`. `Err` is input that cannot be validated at all (exit 2).
pub fn validate_path(path: &Path, options: &Options) -> Result<Report, InputError> {
    let mut findings = Vec::new();
    let (kind, contents) = container::read(path, options.limits, &mut findings)?;
    let mut report = validate_contents(kind, &contents, options, findings)?;
    if kind == InputKind::Bare {
        report
            .notes
            .push("bare descriptor: the package's files were not checked".into());
    }
    Ok(report)
}

/// Operating-system files that do not belong in a package.
pub fn is_debris(path: &str) -> bool {
    let name = path.rsplit('/').next().unwrap_or(path);
    path.starts_with("__MACOSX/")
        || path.contains("/__MACOSX/")
        || name == ".DS_Store"
        || name.eq_ignore_ascii_case("Thumbs.db")
}

const DESCRIPTORS: [&str; 3] = ["imsmanifest.xml", "cmi5.xml", "tincan.xml"];

/// The rules, on a package already read.
pub fn validate_contents(
    kind: InputKind,
    contents: &Contents,
    options: &Options,
    mut findings: Vec<Finding>,
) -> Result<Report, InputError> {
    let mut notes = Vec::new();
    let report = |standard, findings, notes| Report {
        kind,
        standard,
        findings,
        notes,
    };
    if contents.files.is_empty() && !contents.bare {
        if findings.iter().any(Finding::is_error) {
            return Ok(report(None, findings, notes));
        }
        return Err(InputError::Unrecognised("the package is empty".into()));
    }
    if options.lms != Lms::Generic && contents.stored_size > LMS_UPLOAD_LIMIT {
        findings.push(Finding::new(
            Rule::LmsPackageSize,
            format!(
                "the package is {} MB; typical upload limits are 100 MB or less",
                contents.stored_size >> 20
            ),
        ));
    }

    // Which descriptor, and where.
    let (file, base) = if contents.bare {
        let file = contents.kept.keys().next().cloned().unwrap_or_default();
        (file, String::new())
    } else {
        debris(contents, &mut findings);
        match locate(contents, &mut findings) {
            Some(found) => found,
            None => {
                let aicc = aicc::files(&contents.kept);
                if !aicc.is_empty() {
                    aicc::check(&contents.kept, &contents.files, &mut findings);
                    lms_standard(options.lms, Standard::Aicc, &mut findings);
                    return Ok(report(Some(Standard::Aicc), findings, notes));
                }
                if findings.iter().any(Finding::is_error) {
                    return Ok(report(None, findings, notes));
                }
                return Err(InputError::Unrecognised(
                    "no imsmanifest.xml, cmi5.xml, tincan.xml or AICC course files: not a package"
                        .into(),
                ));
            }
        }
    };
    let source = contents.kept.get(&file).map(Vec::as_slice).unwrap_or(&[]);
    // One read: the document, and its schema verdict for the set its root names.
    let (doc, streamed) = xsd::parse_validating(&file, source);
    let doc = match doc {
        Ok(doc) => doc,
        Err(f) => {
            findings.push(f);
            return Ok(report(None, findings, notes));
        }
    };
    let root = doc.root();
    let standard = match (root.ns.as_str(), root.local.as_str()) {
        (scorm::NS_CP12 | scorm::NS_CP2004, "manifest") | ("", "manifest") => None,
        (cmi5::NS, "courseStructure") => Some(Standard::Cmi5),
        (tincan::NS, "tincan") => Some(Standard::TinCan),
        (ns, local) => {
            if contents.bare {
                return Err(InputError::Unrecognised(format!(
                    "{file}: the document element {{{ns}}}{local} is not a SCORM manifest, cmi5 course structure or tincan.xml"
                )));
            }
            let (l, c) = doc.position(0, source);
            findings.push(
                Finding::new(
                    Rule::DescriptorUnknownRoot,
                    format!("the document element is {{{ns}}}{local}"),
                )
                .file(&file)
                .at(l, c),
            );
            return Ok(report(None, findings, notes));
        }
    };
    let mut check = Check {
        doc: &doc,
        source,
        file: &file,
        base: &base,
        files: (!contents.bare).then_some(&contents.files),
        lms: options.lms,
        findings: Vec::new(),
    };
    let standard = standard.unwrap_or_else(|| Standard::Scorm(scorm::detect(&mut check)));
    let set = match standard {
        Standard::Scorm(scorm::Version::Scorm12) => SchemaSet::Scorm12,
        Standard::Scorm(scorm::Version::Scorm2004_2nd) => {
            notes.push("SCORM 2004 2nd Edition: validated against the 3rd Edition schemas, the closest embedded set".into());
            SchemaSet::Scorm2004_3rd
        }
        Standard::Scorm(scorm::Version::Scorm2004_3rd) => SchemaSet::Scorm2004_3rd,
        Standard::Scorm(scorm::Version::Scorm2004_4th) => SchemaSet::Scorm2004_4th,
        Standard::Cmi5 => SchemaSet::Cmi5,
        Standard::TinCan | Standard::Aicc => SchemaSet::TinCan,
    };
    let errors = match streamed {
        Some(verdict) if verdict.set == set => verdict.errors,
        _ => xsd::validate(set, source).err().unwrap_or_default(),
    };
    for e in errors {
        let mut f =
            Finding::new(Rule::Schema, format!("{}: {}", set.label(), e.message)).file(&file);
        f.line = e.line;
        f.column = e.column;
        check.findings.push(f);
    }
    match standard {
        Standard::Scorm(v) => scorm::check(&mut check, v),
        Standard::Cmi5 => cmi5::check(&mut check),
        Standard::TinCan => tincan::check(&mut check),
        Standard::Aicc => {}
    }
    findings.append(&mut check.findings);
    lms_standard(options.lms, standard, &mut findings);
    Ok(report(Some(standard), findings, notes))
}

fn lms_standard(lms: Lms, standard: Standard, findings: &mut Vec<Finding>) {
    if lms != Lms::Generic && matches!(standard, Standard::Cmi5 | Standard::TinCan) {
        findings.push(Finding::new(
            Rule::LmsUnsupportedStandard,
            format!(
                "{} packages cannot be imported by {:?}'s core SCORM activity",
                standard.label(),
                lms
            ),
        ));
    }
}

/// Debris warnings, one per kind.
fn debris(contents: &Contents, findings: &mut Vec<Finding>) {
    let mut kinds: BTreeMap<&str, (usize, &str)> = BTreeMap::new();
    for path in contents.files.keys().filter(|p| is_debris(p)) {
        let kind = if path.contains("__MACOSX/") {
            "__MACOSX/"
        } else if path.ends_with(".DS_Store") {
            ".DS_Store"
        } else {
            "Thumbs.db"
        };
        kinds.entry(kind).or_insert((0, path)).0 += 1;
    }
    for (kind, (count, first)) in kinds {
        findings.push(
            Finding::new(
                Rule::PackageDebris,
                format!("{count} operating-system file(s) ({kind}) in the package"),
            )
            .file(first),
        );
    }
}

/// The descriptor to validate and its folder. Root descriptors win (in the order of
/// [`DESCRIPTORS`]); a descriptor in a sub-folder is an error but is still validated there.
fn locate(contents: &Contents, findings: &mut Vec<Finding>) -> Option<(String, String)> {
    let candidates: Vec<&String> = contents
        .kept
        .keys()
        .filter(|p| !is_debris(p))
        .filter(|p| {
            let name = p.rsplit('/').next().unwrap_or(p).to_ascii_lowercase();
            DESCRIPTORS.contains(&name.as_str())
        })
        .collect();
    let rank = |p: &str| {
        let name = p.rsplit('/').next().unwrap_or(p).to_ascii_lowercase();
        (
            p.matches('/').count(),
            DESCRIPTORS.iter().position(|d| *d == name).unwrap_or(9),
        )
    };
    let mut sorted = candidates.clone();
    sorted.sort_by_key(|p| rank(p));
    let chosen = (*sorted.first()?).clone();
    let at_root: Vec<&&String> = sorted.iter().filter(|p| !p.contains('/')).collect();
    if at_root.len() > 1 {
        findings.push(
            Finding::new(
                Rule::MultipleDescriptors,
                format!(
                    "the package has {}; only `{chosen}` is validated",
                    at_root
                        .iter()
                        .map(|p| format!("`{p}`"))
                        .collect::<Vec<_>>()
                        .join(", ")
                ),
            )
            .file(&chosen),
        );
    }
    let name = chosen.rsplit('/').next().unwrap_or(&chosen).to_owned();
    if !DESCRIPTORS.contains(&name.as_str()) {
        findings.push(
            Finding::new(
                Rule::ManifestNameCase,
                format!(
                    "`{name}` must be named `{}` exactly",
                    name.to_ascii_lowercase()
                ),
            )
            .file(&chosen),
        );
    }
    let base = match chosen.rfind('/') {
        Some(i) => {
            let folder = &chosen[..=i];
            findings.push(
                Finding::new(
                    Rule::ManifestNotAtRoot,
                    format!(
                        "`{chosen}` is in the folder `{folder}`, not at the root of the package: Moodle rejects this upload (badimsmanifestlocation); validated as if `{folder}` were the root"
                    ),
                )
                .file(&chosen),
            );
            folder.to_owned()
        }
        None => String::new(),
    };
    Some((chosen, base))
}

/// The build's self-check: `lmspack build`'s package (its paths and its manifest) must validate
/// clean under `--strict --lms moodle` as the standard of `expected`. Each problem as one line.
pub fn check_built<'a>(
    paths: impl IntoIterator<Item = &'a str>,
    manifest: &[u8],
    expected: SchemaSet,
) -> Vec<String> {
    check_built_descriptor(paths, "imsmanifest.xml", manifest, expected)
}

/// [`check_built`] for any descriptor at the package root (`imsmanifest.xml`, `cmi5.xml`,
/// `tincan.xml`). Moodle's rules apply (e.g. the Tin Can launchable activity first), except the
/// one that says Moodle's core SCORM activity cannot import cmi5 or Tin Can: that is the point of
/// those targets, not a problem of the package.
pub fn check_built_descriptor<'a>(
    paths: impl IntoIterator<Item = &'a str>,
    descriptor: &str,
    bytes: &[u8],
    expected: SchemaSet,
) -> Vec<String> {
    let mut contents = Contents::default();
    for p in paths {
        contents.files.insert(p.to_owned(), 0);
    }
    contents.kept.insert(descriptor.into(), bytes.to_vec());
    let options = Options {
        lms: Lms::Moodle,
        limits: Limits::default(),
    };
    let report = match validate_contents(InputKind::Folder, &contents, &options, Vec::new()) {
        Ok(r) => r,
        Err(e) => return vec![e.to_string()],
    };
    let mut problems: Vec<String> = report
        .findings
        .iter()
        .filter(|f| f.rule != Rule::LmsUnsupportedStandard)
        .map(Finding::one_line)
        .collect();
    let want = match expected {
        SchemaSet::Scorm12 => Some(Standard::Scorm(scorm::Version::Scorm12)),
        SchemaSet::Scorm2004_4th => Some(Standard::Scorm(scorm::Version::Scorm2004_4th)),
        SchemaSet::Scorm2004_3rd => Some(Standard::Scorm(scorm::Version::Scorm2004_3rd)),
        SchemaSet::Cmi5 => Some(Standard::Cmi5),
        SchemaSet::TinCan => Some(Standard::TinCan),
    };
    if report.standard != want {
        problems.push(format!(
            "the package validates as {}, not {}",
            report.standard.map_or("nothing", Standard::label),
            expected.label()
        ));
    }
    problems
}
