//! Request x policy -> [`Report`]. Every rule is a small function with its own code.
//!
//! A flag left out is judged by what the provisioner would use in its place: the upstream
//! version and registry, which are never FIPS builds; the finding says so.

use crate::{
    request::{normalise_provider, provider_kind, ProviderKind, KNOWN_PROVIDERS},
    selftest, ClusterRequest, Code, Component, Error, Finding, FipsVersion, ImageRepository,
    Policy, Report,
};

/// kubeadm's default image repository, used when no repository flag is given.
pub const UPSTREAM_REPOSITORY: &str = "registry.k8s.io";

type Rule = fn(&ClusterRequest, &Policy, &mut Vec<Finding>);

/// The rules, in the order their findings appear.
const RULES: [Rule; 11] = [
    kubernetes_is_fips_build,
    etcd_is_fips_build,
    kubernetes_build_supported,
    etcd_build_supported,
    builds_pair,
    kubernetes_repository,
    etcd_repository,
    no_mixed_fips,
    provider_machine_image,
    os_supported,
    no_misspelt_flags,
];

/// Judges a create-cluster request against a policy.
///
/// Returns an error instead of a verdict when the crypto self-test has failed.
///
/// ```
/// use fips_core::{validate, ClusterRequest, Code, Policy};
/// let request = ClusterRequest::from_args(["dkp", "create", "cluster", "aws", "--kubernetes-version=1.22.8"])?;
/// let report = validate(&request, Policy::embedded())?;
/// assert!(!report.compliant);
/// assert_eq!(report.findings[0].code, Code::K8sNotFipsBuild);
/// assert_eq!(report.findings[0].remediation, "--kubernetes-version=1.22.8+fips.0");
/// # Ok::<(), fips_core::Error>(())
/// ```
pub fn validate(request: &ClusterRequest, policy: &Policy) -> Result<Report, Error> {
    selftest::ensure_passed()?;
    let mut findings = Vec::new();
    for rule in RULES {
        rule(request, policy, &mut findings);
    }
    crypto_module_rule(policy, &mut findings);
    Ok(Report::from_findings(findings))
}

/// A kept flag one edit or two from a judged one (`--kubernetes-verison`) left the judged
/// flag unset: a warning that says which was meant (the unset flag has its own finding).
fn no_misspelt_flags(request: &ClusterRequest, _: &Policy, out: &mut Vec<Finding>) {
    for other in &request.other_flags {
        let Some(meant) = crate::suggest_judged_flag(&other.flag) else {
            continue;
        };
        let fix = match &other.value {
            Some(value) => format!("{meant}={value}"),
            None => meant.to_owned(),
        };
        out.push(Finding::warning(
            Code::RequestFlagMisspelt,
            other.flag.clone(),
            format!(
                "{} is not a flag FIPS judges: did you mean {meant}? (as typed, {meant} \
                 stays unset)",
                other.flag
            ),
            fix,
        ));
    }
}

/// Shared by every verdict: a policy may require the FIPS-validated crypto module.
pub(crate) fn crypto_module_rule(policy: &Policy, out: &mut Vec<Finding>) {
    if policy.require_fips_module && !selftest::fips_module() {
        out.push(Finding::error(
            Code::CryptoModuleNotValidated,
            "require_fips_module",
            format!(
                "the policy requires the FIPS-validated crypto module, but this build uses {}",
                selftest::module_name()
            ),
            "use a build of fips made with the `fips` cargo feature (aws-lc-fips-sys)",
        ));
    }
}

struct Part {
    component: Component,
    version_flag: &'static str,
    repository_flag: &'static str,
    code_not_fips: Code,
    code_unsupported: Code,
    code_repository: Code,
}

const KUBERNETES: Part = Part {
    component: Component::Kubernetes,
    version_flag: "--kubernetes-version",
    repository_flag: "--kubernetes-image-repository",
    code_not_fips: Code::K8sNotFipsBuild,
    code_unsupported: Code::K8sBuildUnsupported,
    code_repository: Code::K8sRepositoryNotFips,
};

const ETCD: Part = Part {
    component: Component::Etcd,
    version_flag: "--etcd-version",
    repository_flag: "--etcd-image-repository",
    code_not_fips: Code::EtcdNotFipsBuild,
    code_unsupported: Code::EtcdBuildUnsupported,
    code_repository: Code::EtcdRepositoryNotFips,
};

impl Part {
    fn version<'r>(&self, r: &'r ClusterRequest) -> Option<&'r FipsVersion> {
        match self.component {
            Component::Kubernetes => r.kubernetes_version.as_ref(),
            Component::Etcd => r.etcd_version.as_ref(),
        }
    }

    fn repository<'r>(&self, r: &'r ClusterRequest) -> Option<&'r ImageRepository> {
        match self.component {
            Component::Kubernetes => r.kubernetes_image_repository.as_ref(),
            Component::Etcd => r.etcd_image_repository.as_ref(),
        }
    }

    fn supported(&self, policy: &Policy, v: &FipsVersion) -> bool {
        match self.component {
            Component::Kubernetes => policy.supports_kubernetes(v),
            Component::Etcd => policy.supports_etcd(v),
        }
    }

    fn build_of<'p>(&self, b: &'p crate::Build) -> &'p crate::ComponentBuild {
        match self.component {
            Component::Kubernetes => &b.kubernetes,
            Component::Etcd => &b.etcd,
        }
    }

    /// The flag that fixes a version finding: the newest supported build.
    fn version_fix(&self, policy: &Policy) -> String {
        match policy.newest_build() {
            Some(b) => format!("{}={}", self.version_flag, self.build_of(b).version),
            None => format!(
                "add a FIPS build to the policy, then set {}",
                self.version_flag
            ),
        }
    }

    fn is_fips_build(&self, r: &ClusterRequest, policy: &Policy, out: &mut Vec<Finding>) {
        let message = match self.version(r) {
            Some(v) if policy.marks_fips(v) => return,
            Some(v) => match v.noncanonical_fips() {
                Some(reason) => format!(
                    "{} {v} names FIPS in its build metadata but is not a FIPS build ({reason}): \
                     only +fips.N, N a decimal without leading zeros up to \
                     18446744073709551615, marks one",
                    self.component
                ),
                None => format!(
                    "{} {v} is not a FIPS build: only build metadata +fips.N marks one",
                    self.component
                ),
            },
            None => format!(
                "{} not given: the provisioner would use its default {} version, which is not a FIPS build",
                self.version_flag, self.component
            ),
        };
        out.push(Finding::error(
            self.code_not_fips,
            self.version_flag,
            message,
            self.version_fix(policy),
        ));
    }

    fn build_supported(&self, r: &ClusterRequest, policy: &Policy, out: &mut Vec<Finding>) {
        let Some(v) = self.version(r).filter(|v| policy.marks_fips(v)) else {
            return;
        };
        if self.supported(policy, v) {
            return;
        }
        out.push(Finding::error(
            self.code_unsupported,
            self.version_flag,
            format!(
                "{} {v} is a FIPS build the policy does not list",
                self.component
            ),
            self.version_fix(policy),
        ));
    }

    fn repository_is_fips(&self, r: &ClusterRequest, policy: &Policy, out: &mut Vec<Finding>) {
        let upstream;
        let (given, repository) = match self.repository(r) {
            Some(repo) => (true, repo),
            None => {
                upstream = ImageRepository {
                    registry: UPSTREAM_REPOSITORY.into(),
                    path: String::new(),
                };
                (false, &upstream)
            }
        };
        // The repositories that serve the requested build, or any FIPS build.
        let requested = self.version(r).filter(|v| self.supported(policy, v));
        let allowed: Vec<&ImageRepository> = policy
            .builds
            .iter()
            .map(|b| self.build_of(b))
            .filter(|c| requested.is_none_or(|v| &c.version == v))
            .map(|c| &c.repository)
            .collect();
        let resolved = policy.resolve_mirror(repository);
        if allowed.contains(&resolved) {
            return;
        }
        let Some(fix) = allowed.first() else { return };
        let message = if given {
            format!(
                "{} images from {repository} are not the FIPS builds: they come from {fix}{}",
                self.component,
                if policy.mirrors.is_empty() {
                    String::new()
                } else {
                    " or a declared mirror of it".into()
                }
            )
        } else {
            format!(
                "{} not given: the provisioner would pull {} images from kubeadm's default \
                 {UPSTREAM_REPOSITORY}, which serves no FIPS builds",
                self.repository_flag, self.component
            )
        };
        out.push(Finding::error(
            self.code_repository,
            self.repository_flag,
            message,
            format!("{}={fix}", self.repository_flag),
        ));
    }
}

fn kubernetes_is_fips_build(r: &ClusterRequest, p: &Policy, out: &mut Vec<Finding>) {
    KUBERNETES.is_fips_build(r, p, out)
}

fn etcd_is_fips_build(r: &ClusterRequest, p: &Policy, out: &mut Vec<Finding>) {
    ETCD.is_fips_build(r, p, out)
}

fn kubernetes_build_supported(r: &ClusterRequest, p: &Policy, out: &mut Vec<Finding>) {
    KUBERNETES.build_supported(r, p, out)
}

fn etcd_build_supported(r: &ClusterRequest, p: &Policy, out: &mut Vec<Finding>) {
    ETCD.build_supported(r, p, out)
}

fn kubernetes_repository(r: &ClusterRequest, p: &Policy, out: &mut Vec<Finding>) {
    KUBERNETES.repository_is_fips(r, p, out)
}

fn etcd_repository(r: &ClusterRequest, p: &Policy, out: &mut Vec<Finding>) {
    ETCD.repository_is_fips(r, p, out)
}

/// Kubernetes and etcd, each supported, must come from the same build.
fn builds_pair(r: &ClusterRequest, p: &Policy, out: &mut Vec<Finding>) {
    let (Some(k), Some(e)) = (&r.kubernetes_version, &r.etcd_version) else {
        return;
    };
    if !(p.supports_kubernetes(k) && p.supports_etcd(e)) {
        return;
    }
    if p.builds
        .iter()
        .any(|b| &b.kubernetes.version == k && &b.etcd.version == e)
    {
        return;
    }
    let pair = p.builds.iter().find(|b| &b.kubernetes.version == k);
    out.push(Finding::error(
        Code::BuildPairUnsupported,
        "--etcd-version",
        format!("etcd {e} does not ship with Kubernetes {k} in any supported FIPS build"),
        match pair {
            Some(b) => format!("--etcd-version={}", b.etcd.version),
            None => "--etcd-version=<the etcd of the same FIPS build>".into(),
        },
    ));
}

/// FIPS on one component and not the other is a mixed request: an error, not a warning.
fn no_mixed_fips(r: &ClusterRequest, p: &Policy, out: &mut Vec<Finding>) {
    let k8s_fips = r
        .kubernetes_version
        .as_ref()
        .is_some_and(|v| p.marks_fips(v));
    let etcd_fips = r.etcd_version.as_ref().is_some_and(|v| p.marks_fips(v));
    if k8s_fips && !etcd_fips {
        out.push(Finding::error(
            Code::MixedEtcdNotFips,
            "--etcd-version",
            "FIPS Kubernetes with a non-FIPS etcd: etcd's TLS and storage would not use the FIPS module",
            ETCD.version_fix(p),
        ));
    }
    if etcd_fips && !k8s_fips {
        out.push(Finding::error(
            Code::MixedK8sNotFips,
            "--kubernetes-version",
            "FIPS etcd with a non-FIPS Kubernetes: the control plane would not use the FIPS module",
            KUBERNETES.version_fix(p),
        ));
    }
}

/// What the provider needs, from the provisioner's documentation (see [`ProviderKind`]):
/// on AWS the machine image carries the OS, and without `--ami` a default, non-FIPS one is
/// used; a managed control plane cannot run the FIPS builds; an unknown provider is never
/// let through a rule a known one would fail.
fn provider_machine_image(r: &ClusterRequest, _: &Policy, out: &mut Vec<Finding>) {
    let Some(provider) = r.provider.as_deref() else {
        return;
    };
    let provider = normalise_provider(provider);
    match provider_kind(&provider) {
        ProviderKind::Aws if r.ami.is_none() => out.push(Finding::error(
            Code::AwsAmiMissing,
            "--ami",
            "AWS cluster without --ami: the provisioner would boot its default image, which is not prepared for FIPS mode",
            "--ami=<id of an AMI built for FIPS mode>",
        )),
        ProviderKind::Aws | ProviderKind::OwnImage => {}
        ProviderKind::ManagedControlPlane => out.push(Finding::error(
            Code::ProviderUnsupported,
            "provider",
            format!(
                "{provider} runs its own control plane (etcd and the API server are the \
                 cloud's), so the FIPS builds of Kubernetes and etcd cannot be what runs there"
            ),
            format!("create the cluster with a provider that runs the FIPS builds: {KNOWN_PROVIDERS}"),
        )),
        ProviderKind::Unknown => out.push(Finding::error(
            Code::ProviderUnsupported,
            "provider",
            format!(
                "{provider:?} is not a provider fips knows, so what its machines need for FIPS \
                 mode (a FIPS machine image, as on AWS) cannot be judged"
            ),
            format!("use one of: {KNOWN_PROVIDERS}"),
        )),
    }
}

fn os_supported(r: &ClusterRequest, p: &Policy, out: &mut Vec<Finding>) {
    let Some(os) = &r.os else { return };
    if p.supports_os(&os.id, None, &os.version) {
        return;
    }
    out.push(Finding::error(
        Code::OsUnsupported,
        "--os",
        format!(
            "{} {} is not supported for FIPS mode by the policy",
            os.id, os.version
        ),
        match p
            .operating_systems
            .iter()
            .flat_map(|o| o.versions.iter().map(move |v| (o, v)))
            .last()
        {
            Some((o, v)) => format!("--os={}-{v}", o.id),
            None => "add an operating system to the policy".into(),
        },
    ));
}
