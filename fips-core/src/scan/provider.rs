//! OpenSSL's FIPS provider in an image: a Go binary that loads OpenSSL through a Go OpenSSL
//! backend (golang-fips/openssl in Red Hat's Go, Microsoft's systemcrypto) runs FIPS-approved
//! code only when the OpenSSL it loads has its FIPS provider, which OpenSSL 3 loads from
//! `<libdir>/ossl-modules/fips.so` (`MODULESDIR`, OpenSSL's Configurations/unix-Makefile.tmpl),
//! configured by `fipsmodule.cnf` (`openssl fipsinstall`). check-payload (openshift/check-payload)
//! looks for the same files.

use crate::{report::no_errors, Code, CryptoModule, Finding, Severity};

use super::{verdict::weigh, Format, ScanResult, Signal};

/// The library directories OpenSSL is installed under: `lib`, `lib64`, `usr/lib`,
/// `usr/lib64`, `usr/local/lib`, `usr/local/lib64`, each optionally with one multiarch
/// directory below it (Debian's `usr/lib/x86_64-linux-gnu`).
const LIB_DIRS: &[&str] = &[
    "lib",
    "lib64",
    "usr/lib",
    "usr/lib64",
    "usr/local/lib",
    "usr/local/lib64",
];

/// What an image holds of OpenSSL's FIPS provider.
#[derive(Debug, Default)]
pub(crate) struct OpensslFips {
    /// The first `ossl-modules/fips.so` found, as a path inside the image.
    pub(crate) provider: Option<String>,
    /// The first `fipsmodule.cnf` found.
    pub(crate) config: Option<String>,
}

impl OpensslFips {
    /// Looks through the paths of the image's regular files (relative, `/`-separated).
    pub(crate) fn find<'a>(files: impl IntoIterator<Item = &'a [u8]>) -> Self {
        let mut found = OpensslFips::default();
        for path in files {
            let Ok(path) = std::str::from_utf8(path) else {
                continue;
            };
            let path = path.trim_start_matches('/');
            if found.provider.is_none() && is_provider_path(path) {
                found.provider = Some(format!("/{path}"));
            }
            if found.config.is_none() && path.rsplit('/').next() == Some("fipsmodule.cnf") {
                found.config = Some(format!("/{path}"));
            }
        }
        found
    }

    /// Adds to `result` (a file of the same image) what the provider's absence means: a Go
    /// binary with a Go OpenSSL backend linked cannot run FIPS-approved code without it.
    pub(crate) fn judge(&self, mut result: ScanResult, name: &str) -> ScanResult {
        // Linked or only asked for in the build settings: either way it loads OpenSSL.
        let backend = result.evidence.iter().find(|e| e.signal == Signal::Openssl);
        let Some(backend) = backend else {
            return result;
        };
        if result.format != Format::Go
            || result.crypto_module != CryptoModule::Openssl
            || self.provider.is_some()
        {
            return result;
        }
        let config = match &self.config {
            Some(c) => format!(" (it has {c}, but no provider for it)"),
            None => String::new(),
        };
        let component = result.component;
        result.findings.push(Finding::new(
            Code::ScanOpensslFipsProviderMissing,
            weigh(component, Severity::Error, Severity::Warning),
            name,
            format!(
                "{name} loads OpenSSL through a Go OpenSSL backend ({}), but its image has no \
                 OpenSSL FIPS provider: no ossl-modules/fips.so under lib, lib64, usr/lib*, \
                 usr/local/lib*{config}; without it OpenSSL 3 runs no FIPS-approved code",
                backend.marker
            ),
            "use the image variant that installs OpenSSL's FIPS provider (ossl-modules/fips.so \
             and its fipsmodule.cnf), or a BoringCrypto build of the binary",
        ));
        result.compliant = no_errors(&result.findings);
        result
    }
}

/// `<lib dir>[/<one directory>]/ossl-modules/fips.so`.
fn is_provider_path(path: &str) -> bool {
    let Some(dir) = path.strip_suffix("/ossl-modules/fips.so") else {
        return false;
    };
    LIB_DIRS.iter().any(|lib| {
        dir == *lib
            || dir
                .strip_prefix(lib)
                .and_then(|rest| rest.strip_prefix('/'))
                .is_some_and(|arch| !arch.is_empty() && !arch.contains('/'))
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::{BuildSettings, Evidence, EvidenceSource};

    fn go_openssl_binary(component: bool) -> ScanResult {
        ScanResult {
            path: "img!/usr/bin/kube-apiserver".into(),
            format: Format::Go,
            go_version: Some("go1.22.7 X:strictfipsruntime".into()),
            package: None,
            main: None,
            deps: Vec::new(),
            settings: BuildSettings::default(),
            crypto_module: CryptoModule::Openssl,
            fips_only: false,
            component,
            stripped: Some(false),
            needed: Vec::new(),
            evidence: vec![Evidence {
                source: EvidenceSource::Symbol,
                marker: "vendor/github.com/golang-fips/openssl/v2.Init".into(),
                signal: Signal::Openssl,
            }],
            findings: Vec::new(),
            compliant: true,
            bytes_read: 0,
        }
    }

    #[test]
    fn the_provider_is_found_only_under_openssls_library_directories() {
        for yes in [
            "usr/lib64/ossl-modules/fips.so",
            "/usr/lib/x86_64-linux-gnu/ossl-modules/fips.so",
            "lib/ossl-modules/fips.so",
            "usr/local/lib64/ossl-modules/fips.so",
        ] {
            assert!(is_provider_path(yes.trim_start_matches('/')), "{yes}");
        }
        for no in [
            "home/user/ossl-modules/fips.so",
            "usr/lib/a/b/ossl-modules/fips.so",
            "usr/lib64/ossl-modules/fips.so.bak",
            "usr/lib64/fips.so",
            "usr/libx/ossl-modules/fips.so",
        ] {
            assert!(!is_provider_path(no), "{no}");
        }
    }

    #[test]
    fn a_go_openssl_backend_without_the_fips_provider_is_not_compliant() {
        let none = OpensslFips::find([b"etc/pki/tls/fipsmodule.cnf".as_slice()]);
        let r = none.judge(go_openssl_binary(true), "kube-apiserver");
        assert!(!r.compliant);
        let f = r.findings.last().unwrap();
        assert_eq!(f.code, Code::ScanOpensslFipsProviderMissing);
        assert_eq!(f.severity, Severity::Error);
        assert!(
            f.message.contains("/etc/pki/tls/fipsmodule.cnf"),
            "{}",
            f.message
        );

        let other = none.judge(go_openssl_binary(false), "tool");
        assert!(other.compliant);
        assert_eq!(other.findings[0].severity, Severity::Warning);

        let with = OpensslFips::find([b"/usr/lib64/ossl-modules/fips.so".as_slice()]);
        let r = with.judge(go_openssl_binary(true), "kube-apiserver");
        assert!(r.findings.is_empty());
        assert_eq!(
            with.provider.as_deref(),
            Some("/usr/lib64/ossl-modules/fips.so")
        );
    }

    #[test]
    fn a_backend_asked_for_in_settings_only_is_judged_too() {
        let mut asked = go_openssl_binary(true);
        asked.evidence[0].source = EvidenceSource::Setting;
        let r = OpensslFips::default().judge(asked, "kube-apiserver");
        assert_eq!(r.findings[0].code, Code::ScanOpensslFipsProviderMissing);
    }
}
