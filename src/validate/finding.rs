//! What the validator reports: a [`Finding`] is one broken [`Rule`] at one place.
//!
//! Every rule is a variant of one enum, declared once in the table below with its stable id, its
//! default severity, the spec it comes from and the usual fix, so the documentation
//! (`docs/validation-rules.md`), the output and the tests all name rules the same way. Findings are
//! data; only `src/cli` prints them.

pub use crate::diagnostics::Severity;

macro_rules! rules {
    ($($variant:ident = $id:literal, $severity:ident, $section:literal, $hint:literal;)*) => {
        /// A check the validator makes. The id is stable: tools and CI configuration may match on it.
        #[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
        pub enum Rule { $($variant),* }

        impl Rule {
            /// Every rule, in documentation order.
            pub const ALL: &'static [Rule] = &[$(Rule::$variant),*];

            /// The stable, kebab-case id (`zip-path-traversal`).
            pub fn id(self) -> &'static str {
                match self { $(Rule::$variant => $id),* }
            }

            /// The severity before `--strict`.
            pub fn severity(self) -> Severity {
                match self { $(Rule::$variant => Severity::$severity),* }
            }

            /// The specification (or LMS source) the rule comes from.
            pub fn section(self) -> &'static str {
                match self { $(Rule::$variant => $section),* }
            }

            /// What to do about it.
            pub fn hint(self) -> &'static str {
                match self { $(Rule::$variant => $hint),* }
            }
        }
    };
}

rules! {
    // Container: checked before anything is parsed.
    ZipCorrupt = "zip-corrupt", Error, "PKWARE APPNOTE 6.3.10 §4.3",
        "Re-create the zip with a standard tool; its directory or an entry's data is damaged.";
    ZipPathTraversal = "zip-path-traversal", Error, "PKWARE APPNOTE §4.4.17.1; CWE-22 (zip-slip)",
        "Entry names must stay inside the package: remove `..` segments.";
    ZipAbsolutePath = "zip-absolute-path", Error, "PKWARE APPNOTE §4.4.17.1",
        "Entry names are relative: no leading `/` and no drive letter (`C:`).";
    ZipBackslash = "zip-backslash", Error, "PKWARE APPNOTE §4.4.17.1",
        "Use `/` between folders; zip tools on Windows that write `\\` make names LMSs cannot resolve.";
    ZipNameEncoding = "zip-name-encoding", Error, "PKWARE APPNOTE §4.4.4 (bit 11) and appendix D",
        "Re-create the zip with a tool that writes UTF-8 names and sets the UTF-8 flag.";
    ZipSymlink = "zip-symlink", Error, "CWE-59 (link following)",
        "Replace the symbolic link with the file itself.";
    ZipEncrypted = "zip-encrypted", Error, "PKWARE APPNOTE §4.4.4 (bit 0), §7",
        "LMSs cannot open encrypted entries: zip the package without a password.";
    ZipUnsupportedCompression = "zip-unsupported-compression", Error, "PKWARE APPNOTE §4.4.5",
        "Use deflate or store, the only methods every LMS can read.";
    ZipDuplicateName = "zip-duplicate-name", Error, "PKWARE APPNOTE §4.3.2",
        "Each path may appear once; which copy an LMS extracts is undefined.";
    ZipCaseCollision = "zip-case-collision", Warning, "Portability (case-insensitive file systems)",
        "Two paths differ only in case; on Windows and macOS servers one overwrites the other.";
    ZipOverlappingEntries = "zip-overlapping-entries", Error, "Zip bomb (overlapping entries)",
        "Entries share compressed data, the shape of a zip bomb: re-create the zip.";
    ZipTooManyEntries = "zip-too-many-entries", Error, "Zip bomb limits (--max-entries)",
        "Reduce the number of files, or raise --max-entries if the package is trusted.";
    ZipTooLarge = "zip-too-large", Error, "Zip bomb limits (--max-size)",
        "The package expands beyond the limit; raise --max-size if the package is trusted.";
    ZipCompressionRatio = "zip-compression-ratio", Error, "Zip bomb limits (--max-ratio)",
        "An entry expands far more than real content does; raise --max-ratio if it is trusted.";

    // Location and debris.
    ManifestNotAtRoot = "manifest-not-at-root", Error,
        "SCORM CAM (package interchange file: manifest at the root); cmi5 §14; Moodle badimsmanifestlocation",
        "Zip the contents of the folder that holds the manifest, not the folder itself.";
    ManifestNameCase = "manifest-name-case", Error, "SCORM CAM: the manifest is named `imsmanifest.xml`",
        "Rename the file in all lower case: LMSs look for the exact name.";
    PackageDebris = "package-debris", Warning, "Hygiene",
        "Remove operating-system files (`__MACOSX/`, `.DS_Store`, `Thumbs.db`) before zipping.";
    MultipleDescriptors = "multiple-descriptors", Warning, "Hygiene",
        "A package should be one standard; the others' descriptors are ignored by the LMS.";

    // XML safety.
    XmlDoctype = "xml-doctype", Error, "XML 1.0 §2.8; OWASP XXE / billion laughs",
        "Remove the <!DOCTYPE …>: no package descriptor needs one, and its entities are a denial-of-service vector.";
    XmlMalformed = "xml-malformed", Error, "XML 1.0 §2.1 (well-formed documents)",
        "Fix the XML at this position; LMS parsers stop here (Moodle dies with this line number).";
    XmlTooLarge = "xml-too-large", Error, "Parser limits",
        "A descriptor over 16 MiB is not a real manifest; split the package.";
    XmlTooDeep = "xml-too-deep", Error, "Parser limits",
        "Elements nest deeper than 256 levels; flatten the structure.";
    DescriptorUnknownRoot = "descriptor-unknown-root", Error, "SCORM CAM; cmi5 §13; Tin Can tincan.xsd",
        "The document element must be <manifest>, <courseStructure> or <tincan> in its namespace.";

    // Standard and version.
    ScormVersionUnknown = "scorm-version-unknown", Warning, "SCORM CAM: <metadata><schemaversion>",
        "Add <schema>ADL SCORM</schema><schemaversion> (`1.2`, `2004 3rd Edition`, `2004 4th Edition`); Moodle falls back to SCORM 1.2 without it.";
    ScormVersionMismatch = "scorm-version-mismatch", Error, "SCORM CAM: <schemaversion> and the IMS CP namespace",
        "The manifest's namespaces and its <schemaversion> name different SCORM versions; make them agree.";

    // Schema.
    Schema = "schema", Error, "The standard's XSD (embedded official schema set)",
        "Fix the element or attribute so the manifest is valid against the standard's schema.";

    // SCORM rules XSD cannot express.
    ScormDuplicateIdentifier = "scorm-duplicate-identifier", Error, "SCORM CAM: identifier attributes are unique in the manifest",
        "Give every manifest, organization, item and resource its own identifier.";
    ScormDefaultOrganization = "scorm-default-organization", Error, "SCORM CAM: <organizations>@default",
        "Set `default` to the identifier of one of the <organization> elements.";
    ScormNoLaunchable = "scorm-no-launchable", Error, "SCORM CAM: <organization> with an <item> referencing a launchable <resource>",
        "Add an organization whose items reference resources with an `href`.";
    ScormIdentifierref = "scorm-identifierref", Error, "SCORM CAM: <item>@identifierref",
        "Point `identifierref` at the identifier of a <resource>.";
    ScormLeafItem = "scorm-leaf-item", Error, "SCORM CAM: a leaf <item> references a resource",
        "Give the item an `identifierref`, or child items.";
    ScormParentItemReference = "scorm-parent-item-reference", Error, "SCORM 2004 CAM: only leaf items reference resources",
        "Move the `identifierref` to a leaf item.";
    ScormLaunchHref = "scorm-launch-href", Error, "SCORM CAM: <resource>@href of a launchable resource",
        "A resource an item launches, and every SCO, needs an `href` to its launch page.";
    ScormTypeMissing = "scorm-type-missing", Warning, "SCORM 1.2 CAM: adlcp:scormtype",
        "Set adlcp:scormtype=\"sco\" on resources that talk to the LMS; without it LMSs treat them as assets and track nothing.";
    ScormFileMissing = "scorm-file-missing", Error, "SCORM CAM: <resource>@href, <file>@href, xml:base",
        "Add the file to the package, or correct the path (paths are case-sensitive).";
    ScormFileUnlisted = "scorm-file-unlisted", Warning, "SCORM CAM: <file> lists every file a resource uses",
        "List the file in a resource's <file> elements, or remove it from the package.";
    ScormDependency = "scorm-dependency", Error, "SCORM CAM: <dependency>@identifierref",
        "Point the dependency at the identifier of a <resource>.";
    ScormParameters = "scorm-parameters", Error, "SCORM CAM: <item>@parameters",
        "Parameters are a query string or fragment: `?name=value&…` or `#anchor`, without spaces.";
    ScormMasteryScore = "scorm-masteryscore", Error, "SCORM 1.2 CAM: adlcp:masteryscore (0–100)",
        "Use a number from 0 to 100.";
    ScormObjectiveDuplicate = "scorm-objective-duplicate", Error, "SCORM 2004 SN: objectiveID unique within an activity",
        "Give each objective of an item its own objectiveID.";
    ScormMeasureRange = "scorm-measure-range", Error, "SCORM 2004 SN: minNormalizedMeasure −1…1, completionThreshold 0…1",
        "Use a measure within the allowed range.";

    // cmi5.
    Cmi5IdNotIri = "cmi5-id-iri", Error, "cmi5 §13.1 (course, block, au and objective id are IRIs)",
        "Use an absolute IRI with a scheme, e.g. `https://example.com/course/au-1`.";
    Cmi5DuplicateId = "cmi5-duplicate-id", Error, "cmi5 §13.1 (ids unique within the course structure)",
        "Give every course, block, AU and objective its own id.";
    Cmi5AuUrl = "cmi5-au-url", Error, "cmi5 §13.1.4 (url) and §14 (content packaging)",
        "A relative AU url must name a file in the package; use a fully qualified URL for content elsewhere.";
    Cmi5UrlParameter = "cmi5-url-parameter", Error, "cmi5 §13.1.4 (url) and §8.1 (launch parameters)",
        "Rename the query parameter: endpoint, fetch, actor, registration and activityId are added by the LMS.";
    Cmi5ObjectiveRef = "cmi5-objective-ref", Error, "cmi5 §13.1 (objectives/objective@idref)",
        "Reference an objective declared in the course's top-level <objectives>.";
    Cmi5AuAttribute = "cmi5-au-attribute", Error, "cmi5 §13.1.4 (moveOn, masteryScore, launchMethod)",
        "moveOn is Passed, Completed, CompletedAndPassed, CompletedOrPassed or NotApplicable; masteryScore 0–1; launchMethod AnyWindow or OwnWindow.";

    // Tin Can.
    TincanNoLaunch = "tincan-no-launch", Error, "Tin Can launch: tincan.xml activity with <launch>",
        "Give one activity a <launch> naming the start page.";
    TincanLaunchFile = "tincan-launch-file", Error, "Tin Can launch: launch paths are relative to tincan.xml",
        "Add the launch file to the package, or correct the path.";
    TincanMultipleLaunch = "tincan-multiple-launch", Warning, "Tin Can launch: only one activity may be launchable",
        "Keep <launch> on one activity; LMSs launch the first.";

    // AICC.
    AiccRequiredFile = "aicc-required-file", Error, "AICC CMI001 (AGR-006) course structure files: .crs, .au, .des, .cst",
        "Add the missing course structure file.";
    AiccRequiredField = "aicc-required-field", Error, "AICC CMI001 (AGR-006) required fields",
        "Add the field to the course structure file.";
    AiccAuFile = "aicc-au-file", Error, "AICC CMI001: .au File_Name",
        "Add the AU's file to the package, or correct File_Name.";

    // LMS quirks (--lms moodle|totara).
    LmsUnsupportedStandard = "lms-unsupported-standard", Warning, "Moodle/Totara mod_scorm imports SCORM and AICC only",
        "Use SCORM, or install a plugin (mod_tincanlaunch, mod_cmi5launch) and an LRS.";
    LmsPackageSize = "lms-package-size", Warning, "Typical PHP upload_max_filesize / Moodle maxbytes",
        "Packages over 100 MB often exceed the site's upload limit; compress media or host it elsewhere.";
    MoodleNamespacePrefix = "moodle-namespace-prefix", Error, "Moodle mod/scorm/datamodels/scormlib.php (not namespace-aware)",
        "Use IMS CP as the default namespace and the literal prefixes adlcp:, adlseq:, adlnav:, imsss:.";
    MoodleMapInfo = "moodle-mapinfo", Error, "Moodle 4.5 mod_scorm (imsss:mapInfo crash)",
        "Remove imsss:mapInfo (global objectives) for Moodle, or test on the target version first.";
    MoodleIdentifierSpace = "moodle-identifier-space", Warning, "Moodle mod_scorm (identifiers in URLs and SQL keys)",
        "Use identifiers without spaces.";
    MoodleSequencingIgnored = "moodle-sequencing-ignored", Warning, "Moodle docs: SCORM 2004 navigation and sequencing are not supported",
        "Moodle ignores this sequencing element; do not rely on it.";
    MoodleMultiScoRoot = "moodle-multi-sco-root", Warning, "Moodle mod_scorm table of contents",
        "Put the SCOs of a multi-SCO package under one non-launchable root item.";
    MoodleTincanFirstActivity = "moodle-tincan-first-activity", Warning, "mod_tincanlaunch reads the first activity",
        "Make the launchable activity the first one in <activities>.";
}

/// One broken rule at one place.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Finding {
    pub rule: Rule,
    pub severity: Severity,
    pub message: String,
    /// Path inside the package (or the input path), when the finding is about a file.
    pub file: Option<String>,
    /// 1-based line and column, when there is one.
    pub line: Option<u32>,
    pub column: Option<u32>,
}

impl Finding {
    pub fn new(rule: Rule, message: impl Into<String>) -> Self {
        Self {
            rule,
            severity: rule.severity(),
            message: message.into(),
            file: None,
            line: None,
            column: None,
        }
    }

    pub fn file(mut self, file: impl Into<String>) -> Self {
        self.file = Some(file.into());
        self
    }

    pub fn at(mut self, line: u32, column: u32) -> Self {
        self.line = Some(line);
        self.column = Some(column);
        self
    }

    pub fn is_error(&self) -> bool {
        self.severity == Severity::Error
    }

    /// `file:line:col: error[rule]: message` — for logs, CI and tests.
    pub fn one_line(&self) -> String {
        let severity = match self.severity {
            Severity::Error => "error",
            Severity::Warning => "warning",
        };
        let place = match (&self.file, self.line, self.column) {
            (Some(f), Some(l), Some(c)) => format!("{f}:{l}:{c}: "),
            (Some(f), Some(l), None) => format!("{f}:{l}: "),
            (Some(f), None, _) => format!("{f}: "),
            (None, _, _) => String::new(),
        };
        format!("{place}{severity}[{}]: {}", self.rule.id(), self.message)
    }
}

impl std::fmt::Display for Finding {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.one_line())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::BTreeSet;

    #[test]
    fn rule_ids_are_unique_kebab_case() {
        let mut seen = BTreeSet::new();
        for rule in Rule::ALL {
            let id = rule.id();
            assert!(seen.insert(id), "duplicate id {id}");
            assert!(
                id.chars()
                    .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-'),
                "{id}"
            );
            assert!(!rule.section().is_empty() && !rule.hint().is_empty());
        }
    }
}
