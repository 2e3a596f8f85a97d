//! The `hubnet` binary: see `hubnet --help`.

fn main() -> std::process::ExitCode {
    hubnet_server::cli::run()
}
