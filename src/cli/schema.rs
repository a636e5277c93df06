//! `lmspack schema`: the JSON Schema of the YAML files, from the same types the loader uses.

use crate::course::raw::{CourseFile, ModuleFile};

/// Print the JSON Schema of course.yaml and module.yaml (for editors' YAML language servers).
#[derive(Debug, clap::Args)]
#[command(
    after_help = "Examples:\n  lmspack schema course > course.schema.json\n  lmspack schema module > module.schema.json"
)]
pub struct Args {
    /// Which file's schema; both, keyed by file name, when omitted.
    #[arg(value_enum)]
    file: Option<File>,
}

#[derive(Debug, Clone, Copy, clap::ValueEnum)]
enum File {
    Course,
    Module,
}

pub fn run(args: Args) -> u8 {
    let value = match args.file {
        Some(File::Course) => serde_json::to_value(schemars::schema_for!(CourseFile)),
        Some(File::Module) => serde_json::to_value(schemars::schema_for!(ModuleFile)),
        None => serde_json::to_value(serde_json::json!({
            "course.yaml": schemars::schema_for!(CourseFile),
            "module.yaml": schemars::schema_for!(ModuleFile),
        })),
    }
    .expect("schemas are plain JSON");
    super::out(serde_json::to_string_pretty(&value).expect("schemas are plain JSON"));
    super::exit::OK
}
