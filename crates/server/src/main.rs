//! The `hubnet` binary: see `hubnet --help`.

fn main() -> std::process::ExitCode {
    // Every HTTP client of the process (single sign-on, the benchmark) speaks TLS through it.
    hubnet_server::install_tls();
    hubnet_server::cli::run()
}
