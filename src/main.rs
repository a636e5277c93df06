/// See `mimalloc` in Cargo.toml: xsd-schema's validator is allocation-bound.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn main() -> std::process::ExitCode {
    lmspack::cli::run(std::env::args_os())
}
