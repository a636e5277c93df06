//! SCORM 1.2: IMS CP 1.1.2 + ADL CP 1.2, `schemaversion` 1.2, inline IMS MD 1.2.1 metadata.
//!
//! Moodle's parser is not namespace-aware, so the prefixes are the literal ones it looks for
//! (`adlcp:`) and IMS CP is the default namespace.

use super::scorm::{self, Sco};
use super::xml::Xml;
use super::{stable_id, Target, Unit};
use crate::course::model::Course;
use crate::package::{Content, Tree};
use crate::render::Api;
use crate::validate::xsd::SchemaSet;

pub struct Scorm12;

impl Target for Scorm12 {
    fn name(&self) -> &'static str {
        "scorm12"
    }

    fn layout(&self, course: &Course, unit: Unit) -> Result<Tree, String> {
        let (mut tree, scos) = scorm::layout(course, unit, Api::Scorm12, Some(SchemaSet::Scorm12))?;
        tree.insert(
            "imsmanifest.xml".into(),
            Content::bytes(manifest(course, unit, &scos)),
        );
        Ok(tree)
    }

    fn check(&self, tree: &Tree) -> Vec<String> {
        scorm::check(tree, SchemaSet::Scorm12)
    }
}

const SCHEMA_LOCATION: &str =
    "http://www.imsproject.org/xsd/imscp_rootv1p1p2 imscp_rootv1p1p2.xsd \
http://www.imsglobal.org/xsd/imsmd_rootv1p2p1 imsmd_rootv1p2p1.xsd \
http://www.adlnet.org/xsd/adlcp_rootv1p2 adlcp_rootv1p2.xsd";

pub fn manifest(course: &Course, unit: Unit, scos: &[Sco]) -> Vec<u8> {
    let name = unit.name(course);
    let cid = course.id.as_str();
    let (title, description) = scorm::title_and_description(course, unit, scos);
    let org = stable_id("ORG", &[cid, name, "scorm12"]);
    let mut x = Xml::new();
    x.open(
        "manifest",
        &[
            (
                "identifier",
                &stable_id("MANIFEST", &[cid, name, "scorm12"]),
            ),
            ("version", &course.version),
            ("xmlns", "http://www.imsproject.org/xsd/imscp_rootv1p1p2"),
            ("xmlns:adlcp", "http://www.adlnet.org/xsd/adlcp_rootv1p2"),
            (
                "xmlns:imsmd",
                "http://www.imsglobal.org/xsd/imsmd_rootv1p2p1",
            ),
            ("xmlns:xsi", "http://www.w3.org/2001/XMLSchema-instance"),
            ("xsi:schemaLocation", SCHEMA_LOCATION),
        ],
    );
    x.open("metadata", &[])
        .leaf("schema", &[], "ADL SCORM")
        .leaf("schemaversion", &[], "1.2");
    lom(&mut x, course, title, description);
    x.close("metadata");

    x.open("organizations", &[("default", &org)]);
    x.open("organization", &[("identifier", &org)])
        .leaf("title", &[], &course.title);
    let nested = matches!(unit, Unit::Course);
    if nested {
        // Moodle wants one non-launchable root item above several SCOs.
        x.open(
            "item",
            &[
                ("identifier", &stable_id("ITEM", &[cid])),
                ("isvisible", "true"),
            ],
        )
        .leaf("title", &[], &course.title);
    }
    for sco in scos {
        let m = sco.module.id.as_str();
        let mastery = sco.module.mastery_score.to_string();
        x.open(
            "item",
            &[
                ("identifier", &stable_id("ITEM", &[cid, m])),
                ("identifierref", &stable_id("RES", &[cid, m])),
                ("isvisible", "true"),
            ],
        )
        .leaf("title", &[], &sco.module.title);
        if sco.module.is_scored() {
            x.leaf("adlcp:masteryscore", &[], &mastery);
        }
        x.close("item");
    }
    if nested {
        x.close("item");
    }
    x.close("organization").close("organizations");

    scorm::resources(&mut x, cid, scos, "adlcp:scormtype");
    x.close("manifest");
    x.finish()
}

/// IMS Metadata 1.2.1, inline: title, language, description, keywords, version.
fn lom(x: &mut Xml, course: &Course, title: &str, description: &str) {
    let lang = course.language.as_str();
    let ls = |x: &mut Xml, el: &str, text: &str| {
        x.open(el, &[])
            .leaf("imsmd:langstring", &[("xml:lang", lang)], text)
            .close(el);
    };
    x.open("imsmd:lom", &[]).open("imsmd:general", &[]);
    ls(x, "imsmd:title", title);
    x.leaf("imsmd:language", &[], lang);
    ls(x, "imsmd:description", description);
    for k in &course.keywords {
        ls(x, "imsmd:keyword", k);
    }
    x.close("imsmd:general");
    x.open("imsmd:lifecycle", &[]).open("imsmd:version", &[]);
    x.leaf(
        "imsmd:langstring",
        &[("xml:lang", "x-none")],
        &course.version,
    );
    x.close("imsmd:version").close("imsmd:lifecycle");
    x.open("imsmd:rights", &[]);
    x.open("imsmd:copyrightandotherrestrictions", &[])
        .open("imsmd:source", &[])
        .leaf("imsmd:langstring", &[("xml:lang", "x-none")], "LOMv1.0")
        .close("imsmd:source")
        .open("imsmd:value", &[])
        .leaf("imsmd:langstring", &[("xml:lang", "x-none")], "yes")
        .close("imsmd:value")
        .close("imsmd:copyrightandotherrestrictions");
    ls(x, "imsmd:description", &course.licence);
    x.close("imsmd:rights");
    x.close("imsmd:lom");
}
