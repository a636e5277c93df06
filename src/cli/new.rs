//! `lmspack new`: a course that builds and validates as it is, showing every block kind.

use super::exit;
use crate::course::model::Slug;
use crate::course::raw::{CourseFile, ModuleFile};
use std::path::{Path, PathBuf};

/// Create a new course folder.
#[derive(Debug, clap::Args)]
#[command(after_help = "Example:\n  lmspack new my-course && cd my-course && lmspack build .")]
pub struct Args {
    /// The folder to create (must not exist, or be empty).
    dir: PathBuf,
}

/// (path in the new course, contents); `{{id}}` and `{{title}}` are filled in.
const FILES: &[(&str, &str)] = &[
    ("course.yaml", include_str!("../scaffold/course.yaml")),
    (
        "01-first-module/module.yaml",
        include_str!("../scaffold/module.yaml"),
    ),
    (
        "01-first-module/pages/01-welcome.md",
        include_str!("../scaffold/pages/01-welcome.md"),
    ),
    (
        "01-first-module/pages/02-questions.md",
        include_str!("../scaffold/pages/02-questions.md"),
    ),
    (
        "01-first-module/pages/03-activities.md",
        include_str!("../scaffold/pages/03-activities.md"),
    ),
    (
        "01-first-module/images/steps.svg",
        include_str!("../scaffold/images/steps.svg"),
    ),
    (".gitignore", include_str!("../scaffold/gitignore")),
    (
        ".github/workflows/course.yml",
        include_str!("../scaffold/ci.yml"),
    ),
];

pub fn run(args: Args) -> u8 {
    match create(&args.dir) {
        Ok(()) => {
            eprintln!(
                "created {}: try `lmspack check {0}` and `lmspack build {0}`",
                args.dir.display()
            );
            exit::OK
        }
        Err(e) => {
            eprintln!("error: {e}");
            exit::USAGE
        }
    }
}

fn create(dir: &Path) -> Result<(), String> {
    if dir.exists()
        && std::fs::read_dir(dir)
            .map_err(|e| e.to_string())?
            .next()
            .is_some()
    {
        return Err(format!("`{}` exists and is not empty", dir.display()));
    }
    let name = dir
        .file_name()
        .and_then(|n| n.to_str())
        .unwrap_or("my-course");
    let id = Slug::suggest(name);
    let title = title_case(name);
    let schema = |s: schemars::Schema| {
        serde_json::to_string_pretty(&s).expect("schemas are plain JSON") + "\n"
    };
    let mut files: Vec<(String, String)> = FILES
        .iter()
        .map(|(p, t)| {
            (
                (*p).to_owned(),
                t.replace("{{id}}", &id).replace("{{title}}", &title),
            )
        })
        .collect();
    files.push((
        "course.schema.json".into(),
        schema(schemars::schema_for!(CourseFile)),
    ));
    files.push((
        "module.schema.json".into(),
        schema(schemars::schema_for!(ModuleFile)),
    ));
    for (path, text) in files {
        let path = dir.join(path);
        std::fs::create_dir_all(path.parent().expect("scaffold paths have a folder"))
            .and_then(|()| std::fs::write(&path, text))
            .map_err(|e| format!("cannot write {}: {e}", path.display()))?;
    }
    Ok(())
}

/// `my-first_course` → `My first course`.
fn title_case(name: &str) -> String {
    let words = name.replace(['-', '_'], " ");
    let mut c = words.trim().chars();
    match c.next() {
        Some(f) => f.to_uppercase().chain(c).collect(),
        None => "My course".into(),
    }
}
