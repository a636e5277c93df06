//! The command line: argument types (clap derive) and one `run` per command. Only this module
//! prints; everything below it returns data.

mod build;
mod check;
mod completions;
mod new;
mod preview;
mod report;
mod schema;
mod validate;

use clap::{Parser, Subcommand};
use std::process::ExitCode;

/// Compile a YAML + Markdown course into validated SCORM 1.2 and SCORM 2004 packages.
#[derive(Debug, Parser)]
#[command(name = "lmspack", version, about, propagate_version = true)]
#[command(
    after_help = "Exit status: 0 success, 1 content errors, 2 usage or I/O errors, 3 internal error (a bug)."
)]
pub struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Debug, Subcommand)]
enum Command {
    Build(build::Args),
    Check(check::Args),
    New(new::Args),
    Completions(completions::Args),
    Man(completions::ManArgs),
    Preview(preview::Args),
    Schema(schema::Args),
    Validate(validate::Args),
}

/// Exit statuses, each with one meaning.
pub mod exit {
    pub const OK: u8 = 0;
    /// The course (or package) has errors the author can fix.
    pub const CONTENT: u8 = 1;
    /// Bad arguments, missing folders, unwritable output.
    pub const USAGE: u8 = 2;
    /// lmspack produced something invalid: a bug.
    pub const INTERNAL: u8 = 3;
}

/// Write to standard output. A closed pipe (`lmspack schema | head`) is not an error worth a panic.
pub(crate) fn out(text: impl std::fmt::Display) {
    use std::io::Write;
    let _ = writeln!(std::io::stdout().lock(), "{text}");
}

pub fn run(args: impl IntoIterator<Item = std::ffi::OsString>) -> ExitCode {
    let cli = match Cli::try_parse_from(args) {
        Ok(cli) => cli,
        Err(e) => {
            let _ = e.print();
            return ExitCode::from(if e.use_stderr() {
                exit::USAGE
            } else {
                exit::OK
            });
        }
    };
    ExitCode::from(match cli.command {
        Command::Build(args) => build::run(args),
        Command::Check(args) => check::run(args),
        Command::New(args) => new::run(args),
        Command::Completions(args) => completions::run(args),
        Command::Man(args) => completions::man(args),
        Command::Preview(args) => preview::run(args),
        Command::Schema(args) => schema::run(args),
        Command::Validate(args) => validate::run(args),
    })
}
