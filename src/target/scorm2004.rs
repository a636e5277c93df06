//! SCORM 2004 4th Edition: IMS CP 1.1.4 + ADL CP/SEQ/NAV 1.3 + IMS SS, inline IEEE LOM.
//!
//! Each SCO gets a primary objective satisfied by measure, with `minNormalizedMeasure` from the
//! mastery score (Moodle reads it as `scaled_passing_score`). No `imsss:mapInfo`: Moodle 4.5 crashes
//! on it. Literal prefixes because Moodle's parser is not namespace-aware.

use super::scorm::{self, Sco};
use super::xml::Xml;
use super::{stable_id, Target, Unit};
use crate::course::model::Course;
use crate::package::{Content, Tree};
use crate::render::Api;
use crate::validate::xsd::SchemaSet;

pub struct Scorm2004;

impl Target for Scorm2004 {
    fn name(&self) -> &'static str {
        "scorm2004"
    }

    fn layout(&self, course: &Course, unit: Unit) -> Result<Tree, String> {
        let (mut tree, scos) =
            scorm::layout(course, unit, Api::Scorm2004, Some(SchemaSet::Scorm2004_4th))?;
        tree.insert(
            "imsmanifest.xml".into(),
            Content::bytes(manifest(course, unit, &scos)),
        );
        Ok(tree)
    }

    fn check(&self, tree: &Tree) -> Vec<String> {
        scorm::check(tree, SchemaSet::Scorm2004_4th)
    }
}

const SCHEMA_LOCATION: &str = "http://www.imsglobal.org/xsd/imscp_v1p1 imscp_v1p1.xsd \
http://www.adlnet.org/xsd/adlcp_v1p3 adlcp_v1p3.xsd \
http://www.adlnet.org/xsd/adlseq_v1p3 adlseq_v1p3.xsd \
http://www.adlnet.org/xsd/adlnav_v1p3 adlnav_v1p3.xsd \
http://www.imsglobal.org/xsd/imsss imsss_v1p0.xsd \
http://ltsc.ieee.org/xsd/LOM lom.xsd";

/// `80` → `0.8`: the normalized pass mark.
pub(crate) fn normalized(mastery: u8) -> String {
    let s = format!("{:.2}", f64::from(mastery) / 100.0);
    s.trim_end_matches('0').trim_end_matches('.').to_owned()
}

pub fn manifest(course: &Course, unit: Unit, scos: &[Sco]) -> Vec<u8> {
    let name = unit.name(course);
    let cid = course.id.as_str();
    let (title, description) = scorm::title_and_description(course, unit, scos);
    let org = stable_id("ORG", &[cid, name, "scorm2004"]);
    let mut x = Xml::new();
    x.open(
        "manifest",
        &[
            (
                "identifier",
                &stable_id("MANIFEST", &[cid, name, "scorm2004"]),
            ),
            ("version", &course.version),
            ("xmlns", "http://www.imsglobal.org/xsd/imscp_v1p1"),
            ("xmlns:adlcp", "http://www.adlnet.org/xsd/adlcp_v1p3"),
            ("xmlns:adlseq", "http://www.adlnet.org/xsd/adlseq_v1p3"),
            ("xmlns:adlnav", "http://www.adlnet.org/xsd/adlnav_v1p3"),
            ("xmlns:imsss", "http://www.imsglobal.org/xsd/imsss"),
            ("xmlns:lom", "http://ltsc.ieee.org/xsd/LOM"),
            ("xmlns:xsi", "http://www.w3.org/2001/XMLSchema-instance"),
            ("xsi:schemaLocation", SCHEMA_LOCATION),
        ],
    );
    x.open("metadata", &[])
        .leaf("schema", &[], "ADL SCORM")
        .leaf("schemaversion", &[], "2004 4th Edition");
    lom(&mut x, course, title, description);
    x.close("metadata");

    x.open("organizations", &[("default", &org)]);
    x.open("organization", &[("identifier", &org)])
        .leaf("title", &[], &course.title);
    let nested = matches!(unit, Unit::Course);
    if nested {
        x.open("item", &[("identifier", &stable_id("ITEM", &[cid]))])
            .leaf("title", &[], &course.title);
    }
    for sco in scos {
        let m = sco.module.id.as_str();
        x.open(
            "item",
            &[
                ("identifier", &stable_id("ITEM", &[cid, m])),
                ("identifierref", &stable_id("RES", &[cid, m])),
            ],
        )
        .leaf("title", &[], &sco.module.title);
        x.open("imsss:sequencing", &[])
            .open("imsss:objectives", &[]);
        let objective = stable_id("OBJ", &[cid, m]);
        if sco.module.is_scored() {
            x.open(
                "imsss:primaryObjective",
                &[("objectiveID", &objective), ("satisfiedByMeasure", "true")],
            )
            .leaf(
                "imsss:minNormalizedMeasure",
                &[],
                &normalized(sco.module.mastery_score),
            )
            .close("imsss:primaryObjective");
        } else {
            x.empty("imsss:primaryObjective", &[("objectiveID", &objective)]);
        }
        x.close("imsss:objectives");
        x.empty(
            "imsss:deliveryControls",
            &[
                ("completionSetByContent", "true"),
                ("objectiveSetByContent", "true"),
            ],
        );
        x.close("imsss:sequencing");
        x.close("item");
    }
    if nested {
        navigation(&mut x);
        x.close("item");
    }
    navigation(&mut x);
    x.close("organization").close("organizations");

    scorm::resources(&mut x, cid, scos, "adlcp:scormType");
    x.close("manifest");
    x.finish()
}

/// `<imsss:sequencing>` with a `controlMode` that allows both choice (the LMS's table of
/// contents) and flow (its Previous/Next, and the content's `adl.nav.request` `continue`), closing
/// the item or organization it is written in.
///
/// A control mode applies to the children of the activity that declares it, and flow defaults to
/// `false`. The organization's only lets the LMS flow into its one child; in a course package that
/// child is the root item, whose children are the modules, so the root item needs its own:
/// without it, IMS SS forbids `continue` from one module to the next, and an LMS that follows
/// the rules (Moodle among them) cannot move on to module 2. (A module package's one SCO sits
/// directly under the organization, whose control mode is then the one that applies.)
/// Written with the literal `imsss:` prefix: Moodle's manifest parser is not namespace-aware.
fn navigation(x: &mut Xml) {
    x.open("imsss:sequencing", &[])
        .empty("imsss:controlMode", &[("choice", "true"), ("flow", "true")])
        .close("imsss:sequencing");
}

/// IEEE LOM, inline: title, language, description, keywords, version, rights.
fn lom(x: &mut Xml, course: &Course, title: &str, description: &str) {
    let lang = course.language.as_str();
    let ls = |x: &mut Xml, el: &str, text: &str| {
        x.open(el, &[])
            .leaf("lom:string", &[("language", lang)], text)
            .close(el);
    };
    let vocab = |x: &mut Xml, el: &str, value: &str| {
        x.open(el, &[])
            .leaf("lom:source", &[], "LOMv1.0")
            .leaf("lom:value", &[], value)
            .close(el);
    };
    x.open("lom:lom", &[]).open("lom:general", &[]);
    ls(x, "lom:title", title);
    x.leaf("lom:language", &[], lang);
    ls(x, "lom:description", description);
    for k in &course.keywords {
        ls(x, "lom:keyword", k);
    }
    x.close("lom:general");
    x.open("lom:lifeCycle", &[]);
    x.open("lom:version", &[])
        .leaf("lom:string", &[("language", "x-none")], &course.version)
        .close("lom:version");
    x.close("lom:lifeCycle");
    x.open("lom:rights", &[]);
    vocab(x, "lom:copyrightAndOtherRestrictions", "yes");
    ls(x, "lom:description", &course.licence);
    x.close("lom:rights");
    x.close("lom:lom");
}

#[cfg(test)]
mod tests {
    #[test]
    fn normalized_pass_marks() {
        assert_eq!(super::normalized(80), "0.8");
        assert_eq!(super::normalized(75), "0.75");
        assert_eq!(super::normalized(0), "0");
        assert_eq!(super::normalized(100), "1");
    }
}
