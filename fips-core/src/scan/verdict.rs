//! From evidence to a verdict: which crypto module a binary uses, and what policy says of it.
//!
//! What is linked wins over what was asked for: `GOEXPERIMENT=boringcrypto` with
//! `CGO_ENABLED=0` records `X:boringcrypto` in the version, yet links standard crypto (the
//! BoringCrypto package needs cgo), so when names could be searched, a module is only
//! credited when its code is present. Without names (no symbol table and no Go function
//! table), the build settings decide and the verdict says so.

use crate::{
    scan::{
        elf::NameSource, markers::BORING_CGO_PREFIX, types::module_text, Evidence, EvidenceSource,
        Format, Signal,
    },
    Code, CryptoModule, Finding, GoBuildInfo, Policy, Severity,
};

/// Everything observed about one binary.
pub(crate) struct Observed<'a> {
    pub(crate) format: Format,
    pub(crate) build: Option<&'a GoBuildInfo>,
    pub(crate) evidence: &'a [Evidence],
    /// Where the markers were searched.
    pub(crate) names: NameSource,
    /// No static symbol table: the names came from bytes.
    pub(crate) stripped: bool,
    /// The file is dynamically linked (has `DT_NEEDED` entries).
    pub(crate) dynamic: bool,
}

/// The verdict's parts.
pub(crate) struct Judged {
    pub(crate) component: bool,
    pub(crate) module: CryptoModule,
    pub(crate) fips_only: bool,
    pub(crate) findings: Vec<Finding>,
}

/// Evidence the build settings give, before any name is searched.
pub(crate) fn setting_evidence(build: &GoBuildInfo) -> Vec<Evidence> {
    let mut out = Vec::new();
    let mut push = |source, marker: String, signal| {
        out.push(Evidence {
            source,
            marker,
            signal,
        })
    };
    if let Some((_, x)) = build.go_version.split_once("X:") {
        for exp in x.split(',') {
            if let Some(signal) = experiment_signal(exp) {
                push(EvidenceSource::Version, format!("X:{exp}"), signal);
            }
        }
    }
    if let Some(exps) = build.settings.get("GOEXPERIMENT") {
        for exp in exps.split(',') {
            if let Some(signal) = experiment_signal(exp) {
                push(
                    EvidenceSource::Setting,
                    format!("GOEXPERIMENT={exp}"),
                    signal,
                );
            }
        }
    }
    if let Some(v) = build.settings.get("GOFIPS140") {
        if v != "off" && !v.is_empty() {
            push(
                EvidenceSource::Setting,
                format!("GOFIPS140={v}"),
                Signal::GoFips140,
            );
        }
    }
    if let Some(godebug) = build.settings.get("DefaultGODEBUG") {
        for kv in godebug.split(',') {
            if let Some(mode) = kv.strip_prefix("fips140=") {
                if mode == "on" || mode == "only" {
                    push(
                        EvidenceSource::Setting,
                        format!("DefaultGODEBUG {kv}"),
                        Signal::GoFips140,
                    );
                }
            }
        }
    }
    out
}

fn experiment_signal(exp: &str) -> Option<Signal> {
    match exp.trim() {
        "boringcrypto" => Some(Signal::Boringcrypto),
        // Microsoft's Go: systemcrypto picks OpenSSL on Linux, opensslcrypto names it;
        // Red Hat's Go: strictfipsruntime requires its OpenSSL backend in FIPS mode.
        "systemcrypto" | "opensslcrypto" | "strictfipsruntime" => Some(Signal::Openssl),
        _ => None,
    }
}

/// The main packages (`go version -m`'s `path` line) of the components the embedded policy
/// names, so that a copy under another file name (`kube-apiserver.bin`,
/// `kube-apiserver-v1.22.8`) is still judged as the component.
///
/// Kubernetes builds each binary from `cmd/<name>` of the module `k8s.io/kubernetes`
/// (hack/lib/golang.sh, `KUBE_SERVER_TARGETS`, `KUBE_NODE_TARGETS`, `KUBE_CLIENT_TARGETS`).
/// etcd 3.5 and later build `etcd` from the module `go.etcd.io/etcd/server/v3` and `etcdctl`
/// from `go.etcd.io/etcd/etcdctl/v3` (scripts/build_lib.sh, `cd ./server && go build .`);
/// etcd 3.4 built them from `go.etcd.io/etcd` and `go.etcd.io/etcd/etcdctl`; the repository's
/// root module has been `go.etcd.io/etcd/v3` since 3.5.
const COMPONENT_PACKAGES: &[(&str, &[&str])] = &[
    ("kube-apiserver", &["k8s.io/kubernetes/cmd/kube-apiserver"]),
    (
        "kube-controller-manager",
        &["k8s.io/kubernetes/cmd/kube-controller-manager"],
    ),
    ("kube-scheduler", &["k8s.io/kubernetes/cmd/kube-scheduler"]),
    ("kube-proxy", &["k8s.io/kubernetes/cmd/kube-proxy"]),
    ("kubelet", &["k8s.io/kubernetes/cmd/kubelet"]),
    ("kubeadm", &["k8s.io/kubernetes/cmd/kubeadm"]),
    ("kubectl", &["k8s.io/kubernetes/cmd/kubectl"]),
    (
        "etcd",
        &[
            "go.etcd.io/etcd/server/v3",
            "go.etcd.io/etcd/v3",
            "go.etcd.io/etcd",
        ],
    ),
    (
        "etcdctl",
        &["go.etcd.io/etcd/etcdctl/v3", "go.etcd.io/etcd/etcdctl"],
    ),
];

/// Which component of the policy a file is, if any: the one the policy names by the file's
/// name, else the one whose main package its Go build information names. The one answer to
/// "is this file a component" for every scan path (walk, image, unreadable file, verdict).
///
/// `build` is `None` where no build information is known (yet): the name alone decides.
pub(crate) fn component_of<'p>(
    policy: &'p Policy,
    name: &str,
    build: Option<&GoBuildInfo>,
) -> Option<&'p str> {
    let components = &policy.scan.components;
    if let Some(c) = components.iter().find(|c| *c == name) {
        return Some(c);
    }
    let package = build
        .map(|b| b.package.as_str())
        .filter(|p| !p.is_empty())?;
    components.iter().map(String::as_str).find(|c| {
        COMPONENT_PACKAGES
            .iter()
            .any(|(known, packages)| known == c && packages.contains(&package))
    })
}

/// True when the policy names the file as a component (see [`component_of`]).
pub(crate) fn is_component(policy: &Policy, name: &str, build: Option<&GoBuildInfo>) -> bool {
    component_of(policy, name, build).is_some()
}

/// How much a finding weighs: components are judged at full weight, other binaries never
/// with an error (they must not make a scan non-compliant).
pub(crate) fn weigh(component: bool, for_component: Severity, for_other: Severity) -> Severity {
    if component {
        for_component
    } else {
        for_other.min(Severity::Warning)
    }
}

/// True when the Go toolchain that built the binary says it is a BoringCrypto build:
/// `X:boringcrypto` in the version or `GOEXPERIMENT` (Go 1.19+), or a `dev.boringcrypto`
/// release version such as `go1.16.15b7` (Go 1.18 and older: `go<version>b<N>`).
fn toolchain_is_boring(build: &GoBuildInfo, asked: bool) -> bool {
    if asked {
        return true;
    }
    let version = build.go_version.split([' ', '-']).next().unwrap_or("");
    let Some(release) = version.strip_prefix("go") else {
        return false;
    };
    match release.rsplit_once('b') {
        Some((base, n)) => {
            !n.is_empty()
                && n.bytes().all(|b| b.is_ascii_digit())
                && !base.is_empty()
                && base
                    .split('.')
                    .all(|p| !p.is_empty() && p.bytes().all(|b| b.is_ascii_digit()))
        }
        None => false,
    }
}

/// The recorded build setting under which crypto/internal/boring/boring.go cannot be built:
/// its constraint is `boringcrypto && linux && (amd64 || arm64) && !android && !msan && cgo`
/// (Go source). Settings are recorded since Go 1.18; a missing one excludes nothing.
fn boring_excluded_by(build: &GoBuildInfo) -> Option<String> {
    let settings = &build.settings;
    let is = |key: &str, ok: &dyn Fn(&str) -> bool| {
        settings
            .get(key)
            .filter(|v| !ok(v))
            .map(|v| format!("{key}={v}"))
    };
    is("CGO_ENABLED", &|v| v == "1")
        .or_else(|| is("GOOS", &|v| v == "linux"))
        .or_else(|| is("GOARCH", &|v| v == "amd64" || v == "arm64"))
        .or_else(|| is("-msan", &|v| v != "true"))
}

/// Why the linked evidence contradicts itself, if it does; one sentence per reason.
fn contradictions(
    seen: &Observed<'_>,
    build: &GoBuildInfo,
    linked: &dyn Fn(Signal) -> bool,
    asked: &dyn Fn(Signal) -> bool,
) -> Vec<String> {
    let boring: Vec<&Evidence> = seen
        .evidence
        .iter()
        .filter(|e| {
            e.signal == Signal::Boringcrypto
                && matches!(e.source, EvidenceSource::Symbol | EvidenceSource::Bytes)
        })
        .collect();
    let cgo = boring
        .iter()
        .any(|e| e.marker.starts_with(BORING_CGO_PREFIX));
    let signature = boring
        .iter()
        .any(|e| !e.marker.starts_with(BORING_CGO_PREFIX));
    let mut why = Vec::new();
    if !boring.is_empty() {
        if linked(Signal::StandardCrypto) {
            why.push(
                "both BoringCrypto and standard Go crypto are marked as linked \
                 (crypto/internal/boring/sig.BoringCrypto or its cgo calls, and \
                 sig.StandardCrypto): a Go build links exactly one"
                    .to_owned(),
            );
        }
        // Names show both marks of the real package: its init calls sig.BoringCrypto and
        // its cgo functions (crypto/internal/boring/boring.go); code signatures show only one.
        if seen.names != NameSource::CodeSignatures && cgo != signature {
            why.push(format!(
                "only one of BoringCrypto's two marks is linked ({}): the real package links \
                 both sig.BoringCrypto and its cgo calls {BORING_CGO_PREFIX}*",
                if cgo {
                    "its cgo calls"
                } else {
                    "sig.BoringCrypto"
                }
            ));
        }
        if !toolchain_is_boring(build, asked(Signal::Boringcrypto)) {
            why.push(format!(
                "BoringCrypto is marked as linked, but the toolchain ({}) is not a BoringCrypto \
                 build (no X:boringcrypto, not a dev.boringcrypto release)",
                build.go_version
            ));
        }
        if let Some(setting) = boring_excluded_by(build) {
            why.push(format!(
                "BoringCrypto is marked as linked, but the binary was built with {setting}, \
                 which crypto/internal/boring's build constraint excludes (it needs linux, \
                 amd64 or arm64, cgo, no msan)"
            ));
        }
        if asked(Signal::GoFips140) {
            why.push(
                "BoringCrypto is marked as linked, but the build settings select Go's native \
                 FIPS module, which Go refuses to combine with BoringCrypto"
                    .to_owned(),
            );
        }
    } else if linked(Signal::FipsOnly) {
        why.push(
            "crypto/tls/fipsonly is marked as linked without BoringCrypto, which it requires"
                .to_owned(),
        );
    }
    why
}

/// Decides the module and the findings for a binary named `name` (its file name).
pub(crate) fn judge(seen: &Observed<'_>, name: &str, direct: bool, policy: &Policy) -> Judged {
    let component = component_of(policy, name, seen.build);
    let linked = |s: Signal| {
        seen.evidence.iter().any(|e| {
            e.signal == s
                && matches!(
                    e.source,
                    EvidenceSource::Symbol | EvidenceSource::Bytes | EvidenceSource::Dynamic
                )
        })
    };
    let asked = |s: Signal| {
        seen.evidence.iter().any(|e| {
            e.signal == s && matches!(e.source, EvidenceSource::Version | EvidenceSource::Setting)
        })
    };
    let mut contradicted = Vec::new();
    let module = match (seen.format, seen.build) {
        (Format::Other, _) => CryptoModule::Unknown,
        (Format::Elf, _) if seen.dynamic && dynamic_libcrypto(seen) => CryptoModule::Openssl,
        // AWS-LC and BoringSSL define OpenSSL's names too: their own markers come first.
        (Format::Elf, _) if static_boringssl(&linked) => {
            contradicted = boringssl_contradictions(&linked);
            if contradicted.is_empty() {
                static_boringssl_module(seen, &linked)
            } else {
                CryptoModule::Unknown
            }
        }
        (Format::Elf, _) if linked(Signal::Libcrypto) => CryptoModule::Openssl,
        // Symbols were searched, or the libraries it links are known and libcrypto is not one.
        // Version strings found missing say nothing: most crypto leaves none.
        (Format::Elf, _) if seen.names == NameSource::Symbols || seen.dynamic => CryptoModule::None,
        (Format::Elf, _) => CryptoModule::Unknown,
        (Format::Go, None) => CryptoModule::Unknown,
        (Format::Go, Some(build)) => {
            contradicted = contradictions(seen, build, &linked, &asked);
            if !contradicted.is_empty() {
                CryptoModule::Unknown
            } else if linked(Signal::Boringcrypto) {
                CryptoModule::Boringcrypto
            } else if seen.names == NameSource::CodeSignatures {
                // Only the sig functions' code can be recognised. BoringCrypto always links
                // its signature (on amd64; elsewhere there is none to find), so a build that
                // asked for it without one is not credited with it; other crypto has no
                // signature, so its absence says nothing.
                if linked(Signal::StandardCrypto) {
                    CryptoModule::Standard
                } else if asked(Signal::Boringcrypto) {
                    CryptoModule::Unknown
                } else {
                    from_settings(&asked)
                }
            } else if seen.names == NameSource::Nothing {
                from_settings(&asked)
            } else if linked(Signal::Openssl) {
                CryptoModule::Openssl
            } else if asked(Signal::GoFips140) && linked(Signal::GoCrypto) {
                CryptoModule::GoFips140
            } else if linked(Signal::GoCrypto) || linked(Signal::StandardCrypto) {
                CryptoModule::Standard
            } else {
                CryptoModule::None
            }
        }
    };
    let fips_only = linked(Signal::FipsOnly) && module == CryptoModule::Boringcrypto;
    let mut findings = Vec::new();
    let weigh_error = |error: bool| {
        weigh(
            component.is_some(),
            if error {
                Severity::Error
            } else {
                Severity::Warning
            },
            Severity::Info,
        )
    };
    let accepted = policy.scan.accepted_modules.contains(&module);
    let accepted_list = policy
        .scan
        .accepted_modules
        .iter()
        .map(|m| m.as_str())
        .collect::<Vec<_>>()
        .join(", ");
    let what = match component {
        Some(c) if c == name => format!("{name} is a FIPS component in the policy, but"),
        Some(c) => format!(
            "{name} is {c} (its Go main package is {}), a FIPS component in the policy, but",
            seen.build.map_or("", |b| b.package.as_str())
        ),
        None => format!("{name}:"),
    };

    if seen.format != Format::Go {
        let kind = if seen.format == Format::Elf {
            "an ELF file without Go build information"
        } else {
            "not an ELF file"
        };
        let mut crypto = module_text(module, seen.dynamic);
        if seen.format == Format::Elf && seen.stripped {
            crypto = format!("{crypto}, judged {}", seen.names.describe());
        }
        if !contradicted.is_empty() {
            findings.push(Finding::new(
                Code::ScanContradictoryEvidence,
                weigh(component.is_some(), Severity::Error, Severity::Warning),
                name,
                format!(
                    "{what} its crypto evidence contradicts itself, so its module is unknown: {}",
                    contradicted.join("; ")
                ),
                "rebuild it from a clean source tree, or find out who changed this binary: \
                 real builds never carry contradicting markers",
            ));
        }
        // A C, C++ or Rust component is judged by its module like a Go one; a module the
        // scanner could not name is never credited, whatever the policy lists.
        let credited = accepted && !matches!(module, CryptoModule::Unknown | CryptoModule::None);
        if component.is_some() && credited {
            if seen.stripped {
                findings.push(Finding::new(
                    Code::ScanStripped,
                    weigh_error(false),
                    name,
                    format!("{name} has no symbol table: its crypto module ({crypto})"),
                    "to confirm from symbols, scan an unstripped build",
                ));
            }
        } else if component.is_some() {
            findings.push(Finding::new(
                Code::ScanNotGo,
                weigh_error(true),
                name,
                format!(
                    "{what} it is not a Go binary ({kind}; crypto: {crypto}), and its module is \
                     not one the policy accepts (accepted: {accepted_list})"
                ),
                "scan the Go build of this component (the vendor's FIPS image or binary), or \
                 accept its module in the policy's [scan] accepted_modules",
            ));
        } else if direct {
            let components = policy.scan.components.join(", ");
            findings.push(Finding::new(
                Code::ScanNotGo,
                weigh_error(true),
                name,
                format!(
                    "{name} is not a component the policy judges ({components}); it is {kind} \
                     (crypto: {crypto})"
                ),
                "nothing to change for FIPS; to judge a component, scan its binary, or name \
                 this file among the policy's [scan] components",
            ));
        }
        return Judged {
            component: component.is_some(),
            module,
            fips_only,
            findings,
        };
    }

    if !contradicted.is_empty() {
        findings.push(Finding::new(
            Code::ScanContradictoryEvidence,
            weigh(component.is_some(), Severity::Error, Severity::Warning),
            name,
            format!(
                "{what} its crypto evidence contradicts itself, so its module is unknown: {}",
                contradicted.join("; ")
            ),
            "rebuild it from a clean toolchain, or find out who changed this binary: real \
             builds never carry contradicting markers",
        ));
    }

    if module == CryptoModule::Standard {
        let claimed = if asked(Signal::Boringcrypto) {
            " (built with GOEXPERIMENT=boringcrypto, but BoringCrypto is not linked: it needs CGO_ENABLED=1 on linux/amd64 or arm64)"
        } else {
            ""
        };
        findings.push(Finding::new(
            Code::ScanStandardCrypto,
            weigh_error(!accepted),
            name,
            format!("{what} it is built with standard Go crypto{claimed}"),
            "use the FIPS build: Go+BoringCrypto (GOEXPERIMENT=boringcrypto, CGO_ENABLED=1), \
             as the vendor's +fips.N builds are",
        ));
    } else if component.is_some() && !accepted {
        findings.push(Finding::error(
            Code::ScanModuleNotAccepted,
            name,
            format!("{what} its crypto module is {module}, which the policy does not accept (accepted: {accepted_list})"),
            "use a build with an accepted module, or accept this module in the policy's [scan] accepted_modules",
        ));
    }

    if module == CryptoModule::GoFips140 {
        let setting = seen.build.and_then(|b| b.settings.get("GOFIPS140"));
        let pinned =
            setting.is_some_and(|v| v.starts_with('v')) && linked(Signal::GoFips140Snapshot);
        if !pinned {
            findings.push(Finding::new(
                Code::ScanGoFips140Unpinned,
                weigh_error(accepted),
                name,
                format!(
                    "{} uses Go's native FIPS 140-3 module from its own source tree ({}), not a \
                     frozen module version submitted for validation",
                    name,
                    setting.map_or("no GOFIPS140 setting".to_owned(), |v| format!(
                        "GOFIPS140={v}"
                    ))
                ),
                "build with GOFIPS140 set to a frozen module version (e.g. GOFIPS140=v1.0.0) \
                 and check that version's CMVP status",
            ));
        }
    }

    if seen.stripped {
        findings.push(Finding::new(
            Code::ScanStripped,
            weigh_error(false),
            name,
            format!(
                "{name} has no symbol table (stripped, e.g. -ldflags=-s -w): its crypto module ({module}) was judged {}",
                seen.names.describe()
            ),
            "to confirm from symbols, scan an unstripped build",
        ));
    }
    Judged {
        component: component.is_some(),
        module,
        fips_only,
        findings,
    }
}

/// True when `libcrypto.so*` is among the libraries the file loads.
fn dynamic_libcrypto(seen: &Observed<'_>) -> bool {
    seen.evidence
        .iter()
        .any(|e| e.signal == Signal::Libcrypto && e.source == EvidenceSource::Dynamic)
}

/// True when AWS-LC or BoringSSL is linked into the file itself.
fn static_boringssl(linked: &dyn Fn(Signal) -> bool) -> bool {
    [
        Signal::AwsLc,
        Signal::AwsLcFips,
        Signal::Boringssl,
        Signal::BoringsslFipsModule,
    ]
    .into_iter()
    .any(linked)
}

/// Which of AWS-LC and BoringSSL, and whether its FIPS build: AWS-LC is named by its own
/// function, its version string or the `aws_lc_` prefix aws-lc-sys gives its symbols, the
/// FIPS build by its integrity-test markers or by AWS-LC's FIPS version string.
fn static_boringssl_module(seen: &Observed<'_>, linked: &dyn Fn(Signal) -> bool) -> CryptoModule {
    let prefixed = seen.evidence.iter().any(|e| {
        matches!(e.signal, Signal::Boringssl | Signal::BoringsslFipsModule)
            && e.source == EvidenceSource::Symbol
            && e.marker.starts_with("aws_lc_")
    });
    let aws = prefixed || linked(Signal::AwsLc) || linked(Signal::AwsLcFips);
    let fips = linked(Signal::BoringsslFipsModule) || linked(Signal::AwsLcFips);
    match (aws, fips) {
        (true, true) => CryptoModule::AwsLcFips,
        (true, false) => CryptoModule::AwsLc,
        (false, true) => CryptoModule::BoringsslFips,
        (false, false) => CryptoModule::Boringssl,
    }
}

/// Why the AWS-LC or BoringSSL evidence contradicts itself, if it does.
fn boringssl_contradictions(linked: &dyn Fn(Signal) -> bool) -> Vec<String> {
    let mut why = Vec::new();
    if linked(Signal::AwsLcFips) && linked(Signal::AwsLc) {
        why.push(
            "both AWS-LC's FIPS version string (AWS-LC FIPS x.y.z) and its non-FIPS one \
             (AWS-LC x.y.z) are in it: a build defines AWSLC_VERSION_STRING once"
                .to_owned(),
        );
    }
    why
}

/// The module the build settings ask for, when nothing linked could be recognised.
fn from_settings(asked: &dyn Fn(Signal) -> bool) -> CryptoModule {
    if asked(Signal::Boringcrypto) {
        CryptoModule::Boringcrypto
    } else if asked(Signal::Openssl) {
        CryptoModule::Openssl
    } else if asked(Signal::GoFips140) {
        CryptoModule::GoFips140
    } else {
        CryptoModule::Unknown
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn built_by(go_version: &str, package: &str) -> GoBuildInfo {
        GoBuildInfo {
            go_version: go_version.into(),
            package: package.into(),
            ..GoBuildInfo::default()
        }
    }

    #[test]
    fn goboring_release_versions_are_boring_toolchains_betas_are_not() {
        for v in ["go1.16.15b7", "go1.18.10b7", "go1.17b1"] {
            assert!(toolchain_is_boring(&built_by(v, ""), false), "{v}");
        }
        for v in [
            "go1.18beta1",
            "go1.26.8",
            "go1.16.15",
            "gob7",
            "go1.16.b7",
            "go1.16.15bx",
        ] {
            assert!(!toolchain_is_boring(&built_by(v, ""), false), "{v}");
        }
    }

    #[test]
    fn settings_outside_boring_build_constraint_are_named() {
        let mut build = built_by("go1.26.8 X:boringcrypto", "");
        assert_eq!(boring_excluded_by(&build), None);
        for (k, v) in [("CGO_ENABLED", "1"), ("GOOS", "linux"), ("GOARCH", "arm64")] {
            build.settings.0.push((k.into(), v.into()));
        }
        assert_eq!(boring_excluded_by(&build), None);
        build.settings.0.push(("-msan".into(), "true".into()));
        assert_eq!(boring_excluded_by(&build).as_deref(), Some("-msan=true"));
        build.settings.0.push(("CGO_ENABLED".into(), "0".into()));
        assert_eq!(boring_excluded_by(&build).as_deref(), Some("CGO_ENABLED=0"));
    }

    #[test]
    fn a_component_is_named_by_file_name_or_main_package_only_if_the_policy_lists_it() {
        let policy = Policy::embedded();
        let apiserver = built_by("go1.26.8", "k8s.io/kubernetes/cmd/kube-apiserver");
        assert_eq!(
            component_of(policy, "kube-apiserver", None),
            Some("kube-apiserver")
        );
        assert_eq!(
            component_of(policy, "kube-apiserver.bin", Some(&apiserver)),
            Some("kube-apiserver")
        );
        assert_eq!(component_of(policy, "kube-apiserver.bin", None), None);
        let tool = built_by("go1.26.8", "k8s.io/kubernetes/cmd/kube-apiserver-tool");
        assert_eq!(component_of(policy, "x", Some(&tool)), None);
        let mut narrow = policy.clone();
        narrow.scan.components = vec!["etcd".into()];
        assert_eq!(component_of(&narrow, "x", Some(&apiserver)), None);
    }

    #[test]
    fn other_binaries_are_never_weighed_as_errors() {
        assert_eq!(
            weigh(true, Severity::Error, Severity::Error),
            Severity::Error
        );
        assert_eq!(
            weigh(false, Severity::Error, Severity::Error),
            Severity::Warning
        );
        assert_eq!(
            weigh(false, Severity::Error, Severity::Info),
            Severity::Info
        );
    }
}
