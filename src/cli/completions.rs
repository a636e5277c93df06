//! `lmspack completions` and `lmspack man`: generated from the same clap definitions as the parser,
//! so they can never disagree with it.

use super::{exit, Cli};
use clap::CommandFactory;

/// Print a shell completion script.
#[derive(Debug, clap::Args)]
#[command(
    after_help = "Example (bash):\n  lmspack completions bash > ~/.local/share/bash-completion/completions/lmspack"
)]
pub struct Args {
    shell: clap_complete::Shell,
}

pub fn run(args: Args) -> u8 {
    let mut script = Vec::new();
    clap_complete::generate(args.shell, &mut Cli::command(), "lmspack", &mut script);
    super::out(String::from_utf8_lossy(&script).trim_end());
    exit::OK
}

/// Print the man page (roff).
#[derive(Debug, clap::Args)]
#[command(after_help = "Example:\n  lmspack man > lmspack.1 && man ./lmspack.1")]
pub struct ManArgs {}

pub fn man(_: ManArgs) -> u8 {
    let mut page = Vec::new();
    match clap_mangen::Man::new(Cli::command()).render(&mut page) {
        Ok(()) => {
            super::out(String::from_utf8_lossy(&page).trim_end());
            exit::OK
        }
        Err(e) => {
            eprintln!("error: {e}");
            exit::USAGE
        }
    }
}
