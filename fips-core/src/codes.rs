//! The registry of finding codes: every code any verdict can carry, in one place.
//!
//! A code is a promise to scripts that match on it: it never changes meaning, and a retired
//! code is never reused. `docs/codes.md` holds the same table for humans, and a test keeps
//! the two in step.

use std::fmt;

use serde::{Deserialize, Serialize};

macro_rules! codes {
    ($( $(#[$doc:meta])* $variant:ident = $text:literal, $area:literal, $summary:literal; )+) => {
        /// A stable finding code, such as `FIPS-K8S-NOT-FIPS-BUILD`.
        ///
        /// ```
        /// use fips_core::Code;
        /// assert_eq!(Code::K8sNotFipsBuild.as_str(), "FIPS-K8S-NOT-FIPS-BUILD");
        /// assert_eq!("FIPS-AWS-AMI-MISSING".parse::<Code>(), Ok(Code::AwsAmiMissing));
        /// ```
        #[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
        #[non_exhaustive]
        pub enum Code {
            $( $(#[$doc])* $variant, )+
        }

        impl Code {
            /// Every code, in registry order.
            pub const ALL: &'static [Code] = &[ $( Code::$variant, )+ ];

            /// The stable text of the code, e.g. `FIPS-ETCD-NOT-FIPS-BUILD`.
            pub const fn as_str(self) -> &'static str {
                match self { $( Code::$variant => $text, )+ }
            }

            /// The verdict that emits the code: `request`, `transition`, `host`, `scan`, `module` or `cluster`.
            pub const fn area(self) -> &'static str {
                match self { $( Code::$variant => $area, )+ }
            }

            /// One line on what the code means.
            pub const fn summary(self) -> &'static str {
                match self { $( Code::$variant => $summary, )+ }
            }
        }
    };
}

codes! {
    /// The Kubernetes version is not a `+fips.N` build (or was left out, so the provisioner's
    /// upstream default would be used).
    K8sNotFipsBuild = "FIPS-K8S-NOT-FIPS-BUILD", "request",
        "Kubernetes version is not a FIPS build (+fips.N)";
    /// The etcd version is not a `+fips.N` build (or was left out).
    EtcdNotFipsBuild = "FIPS-ETCD-NOT-FIPS-BUILD", "request",
        "etcd version is not a FIPS build (+fips.N)";
    /// The Kubernetes version is a FIPS build that the policy does not list.
    K8sBuildUnsupported = "FIPS-K8S-BUILD-UNSUPPORTED", "request",
        "Kubernetes FIPS build is not one the policy supports";
    /// The etcd version is a FIPS build that the policy does not list.
    EtcdBuildUnsupported = "FIPS-ETCD-BUILD-UNSUPPORTED", "request",
        "etcd FIPS build is not one the policy supports";
    /// Kubernetes and etcd are each supported, but no policy build pairs them.
    BuildPairUnsupported = "FIPS-BUILD-PAIR-UNSUPPORTED", "request",
        "Kubernetes and etcd FIPS builds do not belong to the same supported build";
    /// The Kubernetes image repository is neither the FIPS repository nor a declared mirror.
    K8sRepositoryNotFips = "FIPS-K8S-REPOSITORY-NOT-FIPS", "request",
        "Kubernetes image repository is not the FIPS repository or a declared mirror";
    /// The etcd image repository is neither the FIPS repository nor a declared mirror.
    EtcdRepositoryNotFips = "FIPS-ETCD-REPOSITORY-NOT-FIPS", "request",
        "etcd image repository is not the FIPS repository or a declared mirror";
    /// FIPS Kubernetes with non-FIPS etcd.
    MixedEtcdNotFips = "FIPS-MIXED-ETCD-NOT-FIPS", "request",
        "FIPS Kubernetes requested with a non-FIPS etcd";
    /// FIPS etcd with non-FIPS Kubernetes.
    MixedK8sNotFips = "FIPS-MIXED-K8S-NOT-FIPS", "request",
        "FIPS etcd requested with a non-FIPS Kubernetes";
    /// An AWS cluster without `--ami`: the provisioner would pick a default, non-FIPS image.
    AwsAmiMissing = "FIPS-AWS-AMI-MISSING", "request",
        "AWS cluster requested without a FIPS-enabled AMI";
    /// The requested operating system is not one the policy supports for FIPS mode.
    OsUnsupported = "FIPS-OS-UNSUPPORTED", "request",
        "requested operating system is not supported for FIPS mode";
    /// The policy requires the FIPS-validated crypto module and this build does not use it.
    CryptoModuleNotValidated = "FIPS-CRYPTO-MODULE-NOT-VALIDATED", "module",
        "policy requires the FIPS-validated crypto module, this build does not use it";
    /// A non-FIPS cluster cannot become a FIPS cluster.
    TransitionEnableRefused = "FIPS-TRANSITION-ENABLE-REFUSED", "transition",
        "FIPS mode cannot be applied to an existing non-FIPS cluster";
    /// A FIPS cluster cannot stop being one.
    TransitionDisableRefused = "FIPS-TRANSITION-DISABLE-REFUSED", "transition",
        "a FIPS cluster cannot be changed to a non-FIPS build";
    /// The desired FIPS version is lower than the current one.
    TransitionDowngrade = "FIPS-TRANSITION-DOWNGRADE", "transition",
        "a FIPS cluster cannot move to a lower version";
    /// The desired FIPS build is not one the policy supports.
    TransitionTargetUnsupported = "FIPS-TRANSITION-TARGET-UNSUPPORTED", "transition",
        "the desired FIPS build is not one the policy supports";
    /// The root has no readable os-release.
    HostOsUnknown = "FIPS-HOST-OS-UNKNOWN", "host",
        "no os-release found: the operating system cannot be identified";
    /// The host's operating system is not supported for FIPS mode.
    HostOsUnsupported = "FIPS-HOST-OS-UNSUPPORTED", "host",
        "operating system is not supported for FIPS mode";
    /// The running kernel is not in FIPS mode.
    HostFipsModeOff = "FIPS-HOST-FIPS-MODE-OFF", "host",
        "the running kernel is not in FIPS mode";
    /// An image (no `proc/`) is not prepared to boot in FIPS mode.
    HostNotPrepared = "FIPS-HOST-NOT-PREPARED", "host",
        "the OS image is not prepared to boot in FIPS mode";
    /// The FIPS signals disagree (fips-mode-setup's "inconsistent state").
    HostInconsistent = "FIPS-HOST-INCONSISTENT", "host",
        "FIPS signals disagree (inconsistent state)";
    /// Part of the boot configuration cannot be evaluated or exceeds a bound.
    HostBootConfigUnreadable = "FIPS-HOST-BOOT-CONFIG-UNREADABLE", "host",
        "the boot configuration cannot be judged (not evaluable, or over a bound)";
    /// A binary that policy names as a FIPS component uses standard Go crypto.
    ScanStandardCrypto = "FIPS-SCAN-STANDARD-CRYPTO", "scan",
        "a FIPS component is built with standard (non-FIPS) Go crypto";
    /// A binary uses a crypto module the policy does not accept for its component.
    ScanModuleNotAccepted = "FIPS-SCAN-MODULE-NOT-ACCEPTED", "scan",
        "the binary's crypto module is not one the policy accepts";
    /// The native Go FIPS 140-3 module is used but not pinned to a certified version.
    ScanGoFips140Unpinned = "FIPS-SCAN-GOFIPS140-UNPINNED", "scan",
        "native Go FIPS 140-3 module not pinned to a certified version";
    /// The binary is stripped: the verdict rests on byte patterns only.
    ScanStripped = "FIPS-SCAN-STRIPPED", "scan",
        "stripped binary: crypto module judged from bytes only";
    /// A FIPS component is not a Go binary.
    ScanNotGo = "FIPS-SCAN-NOT-GO", "scan",
        "not a Go binary";
    /// The file could not be read or parsed.
    ScanUnreadable = "FIPS-SCAN-UNREADABLE", "scan",
        "the file could not be read or parsed";
    /// The provider runs its own control plane (EKS, AKS) or is not one whose FIPS needs
    /// are known.
    ProviderUnsupported = "FIPS-PROVIDER-UNSUPPORTED", "request",
        "the provider cannot run the FIPS builds, or what it needs for FIPS is not known";
    /// The scan judged no file at all: no evidence either way.
    ScanNothingJudged = "FIPS-SCAN-NOTHING-JUDGED", "scan",
        "no file was judged";
    /// A binary's crypto markers contradict each other (BoringCrypto and standard crypto
    /// both marked, BoringCrypto in a toolchain that cannot build it, ...): planted or damaged.
    ScanContradictoryEvidence = "FIPS-SCAN-CONTRADICTORY-EVIDENCE", "scan",
        "the binary's crypto markers contradict each other: module unknown";
    /// Control plane and workers of one cluster differ in FIPS status (either way round).
    ClusterWorkersBuildMismatch = "FIPS-CLUSTER-WORKERS-BUILD-MISMATCH", "cluster",
        "control plane and workers are not both FIPS builds (or both not)";
    /// A machine template finds its AMI by lookup instead of naming a FIPS-prepared AMI.
    ClusterAmiLookup = "FIPS-CLUSTER-AMI-LOOKUP", "cluster",
        "machines use an AMI lookup, not a FIPS-prepared AMI chosen by id";
    /// A topology Cluster's variables follow no known convention: its image repository
    /// (and etcd) cannot be determined from the Cluster.
    ClusterTopologyRepositoryUnknown = "FIPS-CLUSTER-TOPOLOGY-REPOSITORY-UNKNOWN", "cluster",
        "the image repository of a topology cluster cannot be determined from its variables";
    /// A version that looks like a VMware TKr name (`v1.33.6---vmware.1-fips-vkr.2`).
    VersionTkrName = "FIPS-VERSION-TKR-NAME", "cluster",
        "a TKr name used as a version: semver reads it as a pre-release without build metadata";
    /// `etcd.local.imageTag` (or its variable) is not an image tag holding a version.
    ClusterEtcdTagInvalid = "FIPS-CLUSTER-ETCD-TAG-INVALID", "cluster",
        "the etcd image tag is not a valid tag of a version (a `+` is not allowed in a tag)";
    /// `etcd.external`: the etcd is not run by kubeadm, its build is not in the objects.
    ClusterEtcdExternal = "FIPS-CLUSTER-ETCD-EXTERNAL", "cluster",
        "external etcd: its FIPS build cannot be shown from the objects";
    /// A Cluster (or workers) whose control plane is not among the audited objects.
    ClusterControlPlaneMissing = "FIPS-CLUSTER-CONTROL-PLANE-MISSING", "cluster",
        "the cluster's control plane is not among the audited objects";
    /// A directory met by a scan's walk could not be read: what it holds was not judged.
    ScanDirUnreadable = "FIPS-SCAN-DIR-UNREADABLE", "scan",
        "a directory could not be read: the files in it were not judged";
    /// A flag the request keeps unjudged is one edit or two from a judged flag: probably a
    /// misspelling, which leaves the judged flag unset.
    RequestFlagMisspelt = "FIPS-REQUEST-FLAG-MISSPELT", "request",
        "a flag is a likely misspelling of a flag FIPS judges";
    /// A non-FIPS cluster in a namespace labelled `fips.policy/required: "true"`.
    NamespaceFipsRequired = "FIPS-NAMESPACE-FIPS-REQUIRED", "cluster",
        "the namespace requires FIPS clusters and this cluster is not a FIPS build";
    /// A Go binary loads OpenSSL through a Go OpenSSL backend, but its image holds no
    /// OpenSSL FIPS provider (`ossl-modules/fips.so`).
    ScanOpensslFipsProviderMissing = "FIPS-SCAN-OPENSSL-FIPS-PROVIDER-MISSING", "scan",
        "a Go OpenSSL backend is linked, but the image has no OpenSSL FIPS provider";
    /// An image pulled for a component the policy names (the `kube-apiserver` image) holds
    /// no judged binary of that name: its other files say nothing about the component.
    ScanImageComponentMissing = "FIPS-SCAN-IMAGE-COMPONENT-MISSING", "scan",
        "the image is pulled for a component, but holds no binary of that name";
}

impl fmt::Display for Code {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// The text given to [`str::parse`] is not a registered code.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[error("unknown finding code {0:?}")]
pub struct UnknownCode(pub String);

impl std::str::FromStr for Code {
    type Err = UnknownCode;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Code::ALL
            .iter()
            .copied()
            .find(|c| c.as_str() == s)
            .ok_or_else(|| UnknownCode(s.to_owned()))
    }
}

impl Serialize for Code {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(self.as_str())
    }
}

impl<'de> Deserialize<'de> for Code {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let text = String::deserialize(d)?;
        text.parse().map_err(serde::de::Error::custom)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Freezes the set: a code may be added at the end, never renamed or removed.
    #[test]
    fn registry_is_frozen() {
        let texts: Vec<&str> = Code::ALL.iter().map(|c| c.as_str()).collect();
        assert_eq!(
            texts,
            [
                "FIPS-K8S-NOT-FIPS-BUILD",
                "FIPS-ETCD-NOT-FIPS-BUILD",
                "FIPS-K8S-BUILD-UNSUPPORTED",
                "FIPS-ETCD-BUILD-UNSUPPORTED",
                "FIPS-BUILD-PAIR-UNSUPPORTED",
                "FIPS-K8S-REPOSITORY-NOT-FIPS",
                "FIPS-ETCD-REPOSITORY-NOT-FIPS",
                "FIPS-MIXED-ETCD-NOT-FIPS",
                "FIPS-MIXED-K8S-NOT-FIPS",
                "FIPS-AWS-AMI-MISSING",
                "FIPS-OS-UNSUPPORTED",
                "FIPS-CRYPTO-MODULE-NOT-VALIDATED",
                "FIPS-TRANSITION-ENABLE-REFUSED",
                "FIPS-TRANSITION-DISABLE-REFUSED",
                "FIPS-TRANSITION-DOWNGRADE",
                "FIPS-TRANSITION-TARGET-UNSUPPORTED",
                "FIPS-HOST-OS-UNKNOWN",
                "FIPS-HOST-OS-UNSUPPORTED",
                "FIPS-HOST-FIPS-MODE-OFF",
                "FIPS-HOST-NOT-PREPARED",
                "FIPS-HOST-INCONSISTENT",
                "FIPS-HOST-BOOT-CONFIG-UNREADABLE",
                "FIPS-SCAN-STANDARD-CRYPTO",
                "FIPS-SCAN-MODULE-NOT-ACCEPTED",
                "FIPS-SCAN-GOFIPS140-UNPINNED",
                "FIPS-SCAN-STRIPPED",
                "FIPS-SCAN-NOT-GO",
                "FIPS-SCAN-UNREADABLE",
                "FIPS-PROVIDER-UNSUPPORTED",
                "FIPS-SCAN-NOTHING-JUDGED",
                "FIPS-SCAN-CONTRADICTORY-EVIDENCE",
                "FIPS-CLUSTER-WORKERS-BUILD-MISMATCH",
                "FIPS-CLUSTER-AMI-LOOKUP",
                "FIPS-CLUSTER-TOPOLOGY-REPOSITORY-UNKNOWN",
                "FIPS-VERSION-TKR-NAME",
                "FIPS-CLUSTER-ETCD-TAG-INVALID",
                "FIPS-CLUSTER-ETCD-EXTERNAL",
                "FIPS-CLUSTER-CONTROL-PLANE-MISSING",
                "FIPS-SCAN-DIR-UNREADABLE",
                "FIPS-REQUEST-FLAG-MISSPELT",
                "FIPS-NAMESPACE-FIPS-REQUIRED",
                "FIPS-SCAN-OPENSSL-FIPS-PROVIDER-MISSING",
                "FIPS-SCAN-IMAGE-COMPONENT-MISSING",
            ]
        );
    }

    #[test]
    fn text_round_trips() {
        for code in Code::ALL {
            assert_eq!(code.as_str().parse::<Code>(), Ok(*code));
            let json = serde_json::to_string(code).expect("a code serializes");
            assert_eq!(serde_json::from_str::<Code>(&json).ok(), Some(*code));
        }
        assert!("FIPS-NOPE".parse::<Code>().is_err());
    }
}
