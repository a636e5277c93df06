fn main() -> std::process::ExitCode {
    lmspack::cli::run(std::env::args_os())
}
