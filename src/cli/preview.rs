//! `lmspack preview`: serve the course in an LMS simulator, rebuilding as the sources change.

use super::exit;
use super::report;
use crate::preview::{Build, Mode, Options, Outcome, Preview, StartError};
use std::net::IpAddr;
use std::path::PathBuf;
use std::time::Duration;

/// Serve the course locally in an LMS simulator, rebuilding and reloading on every change.
#[derive(Debug, clap::Args)]
#[command(after_help = "Examples:
  lmspack preview                          serve ./course on a free port, SCORM 1.2 simulator
  lmspack preview my-course --port 3000    a fixed port
  lmspack preview --target scorm2004 --open
  lmspack preview --target web             the player alone, no LMS

Nothing is written: packages are laid out in memory, and the live-reload script is added only to
what the preview serves, never to what `lmspack build` writes.")]
pub struct Args {
    /// The course folder (holding course.yaml).
    #[arg(default_value = "course")]
    dir: PathBuf,
    /// The LMS to simulate: a target (scorm12, scorm2004), or web for the player without an LMS.
    #[arg(long, short, default_value = "scorm12", value_parser = parse_mode)]
    target: String,
    /// The port to listen on; 0 picks a free one.
    #[arg(long, short, default_value_t = 3232)]
    port: u16,
    /// The address to listen on.
    #[arg(long, default_value = "127.0.0.1")]
    host: IpAddr,
    /// Allow a --host that is not a loopback address (the preview has no authentication).
    #[arg(long)]
    allow_remote: bool,
    /// Open the index page in the default browser.
    #[arg(long)]
    open: bool,
    /// Print only errors.
    #[arg(long, short)]
    quiet: bool,
}

fn parse_mode(name: &str) -> Result<String, String> {
    match Mode::by_name(name) {
        Some(m) => Ok(m.name().to_owned()),
        None => Err(format!("known: {}", Mode::names().join(", "))),
    }
}

pub fn run(args: Args) -> u8 {
    let mode = Mode::by_name(&args.target).expect("checked by clap");
    let preview = match Preview::start(Options {
        dir: args.dir.clone(),
        host: args.host,
        port: args.port,
        mode,
        allow_remote: args.allow_remote,
        poll: Duration::from_millis(300),
    }) {
        Ok(p) => p,
        Err(e) => {
            eprintln!("error: {e}");
            return match e {
                StartError::Remote(_) | StartError::Course(_) | StartError::Bind(_) => exit::USAGE,
            };
        }
    };
    let url = preview.url();
    super::out(format!(
        "lmspack preview: serving {} at {url} (Ctrl-C to stop)",
        args.dir.display()
    ));
    if !args.host.is_loopback() {
        eprintln!(
            "warning: the preview is reachable from other machines on {}",
            args.host
        );
    }
    show(&preview.first_build(), args.quiet);
    if args.open {
        open(&url);
    }
    let quiet = args.quiet;
    preview.serve(move |build| show(build, quiet));
    exit::OK
}

fn show(build: &Build, quiet: bool) {
    match &build.outcome {
        Outcome::Ok(warnings) => {
            if !quiet {
                eprint!("{}", report::human(warnings));
                eprintln!(
                    "build {}: ok in {} ms",
                    build.number,
                    build.elapsed.as_millis()
                );
            }
        }
        Outcome::Content(d) => {
            eprint!("{}", report::human(d));
            eprintln!(
                "build {}: failed; the preview shows the errors until they are fixed",
                build.number
            );
        }
        Outcome::Io(m) => eprintln!("build {}: error: {m}", build.number),
    }
}

fn open(url: &str) {
    let (program, args): (&str, Vec<&str>) = if cfg!(target_os = "macos") {
        ("open", vec![url])
    } else if cfg!(windows) {
        ("cmd", vec!["/C", "start", "", url])
    } else {
        ("xdg-open", vec![url])
    };
    let spawned = std::process::Command::new(program)
        .args(&args)
        .stdin(std::process::Stdio::null())
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::null())
        .spawn();
    if spawned.is_err() {
        eprintln!("note: could not start a browser ({program}); open {url} yourself");
    }
}
