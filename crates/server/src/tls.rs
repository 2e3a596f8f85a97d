//! TLS for hubnet's HTTP clients (single sign-on, the benchmark's load generator).

/// Makes ring rustls's crypto provider for the process, once: hubnet's HTTP clients (single
/// sign-on, the benchmark's load generator) speak TLS through it.
pub fn install() {
    static ONCE: std::sync::Once = std::sync::Once::new();
    ONCE.call_once(|| {
        // Err means another provider is installed already, which serves as well.
        let _ = rustls::crypto::ring::default_provider().install_default();
    });
}
