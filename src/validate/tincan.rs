//! Tin Can packages (`tincan.xml`): one launchable activity whose launch file is in the package.

use super::finding::Rule;
use super::scorm::{is_external, resolve};
use super::{Check, Lms};

pub const NS: &str = "http://projecttincan.com/tincan.xsd";

pub fn check(c: &mut Check) {
    let doc = c.doc;
    let activities: Vec<usize> = doc
        .children(0, "activities")
        .flat_map(|a| doc.children(a, "activity"))
        .collect();
    let launchable: Vec<(usize, usize)> = activities
        .iter()
        .filter_map(|&a| doc.children(a, "launch").next().map(|l| (a, l)))
        .collect();
    if launchable.is_empty() {
        c.push_at(
            Rule::TincanNoLaunch,
            0,
            "no activity has a <launch>: there is nothing to start",
        );
        return;
    }
    for &(a, _) in launchable.iter().skip(1) {
        let id = doc.attr(a, "id").unwrap_or("");
        c.push_at(
            Rule::TincanMultipleLaunch,
            a,
            format!("activity `{id}` is a second launchable activity"),
        );
    }
    if c.lms != Lms::Generic && activities.first() != Some(&launchable[0].0) {
        c.push_at(
            Rule::MoodleTincanFirstActivity,
            launchable[0].0,
            "the launchable activity is not the first: mod_tincanlaunch launches the first activity",
        );
    }
    for &(a, l) in &launchable {
        let id = doc.attr(a, "id").unwrap_or("");
        let url = doc.el(l).text.trim().to_owned();
        if url.is_empty() {
            c.push_at(
                Rule::TincanLaunchFile,
                l,
                format!("activity `{id}`: empty <launch>"),
            );
            continue;
        }
        if is_external(&url) {
            continue;
        }
        let Some(files) = c.files else { continue };
        match resolve(c.base, &url) {
            Some(path) if files.contains_key(&path) => {}
            Some(path) => c.push_at(
                Rule::TincanLaunchFile,
                l,
                format!("activity `{id}`: launch `{url}` resolves to `{path}`, which is not in the package"),
            ),
            None => c.push_at(
                Rule::TincanLaunchFile,
                l,
                format!("activity `{id}`: launch `{url}` points outside the package"),
            ),
        }
    }
}
