//! `fips_status`: the one status every export returns, and how `fips-core` errors map to it.

use fips_core::{Error, PolicyError, TagError};

/// What a call did. Values are grouped in bands and stable forever: a value never changes
/// meaning and a retired value is never reused; new values are added inside their band.
///
/// - `0`: success (for a verdict: compliant, allowed).
/// - `1xx`: a negative verdict; the report IS written to the output.
/// - `2xx`: bad input; nothing is written to the output.
/// - `3xx`: the crypto self-test failed; no verdict is given (fail closed), nothing is
///   written (except by `fips_selftest_json`, which writes the report naming the failed KAT).
/// - `4xx`: a defect inside libfips (a caught panic); nothing is written.
///
/// `fips_last_error()` explains every status other than `FIPS_STATUS_OK`.
#[allow(non_camel_case_types)] // C names: `fips_status`, as every symbol starts with `fips_`.
#[repr(u32)]
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum fips_status {
    /// Success; a request is compliant, a transition allowed, a host or a scan compliant.
    /// `FIPS_OK` is the same value.
    Ok = 0,

    /// The request is not FIPS compliant; the report (written) lists the findings.
    NotCompliant = 100,
    /// The version transition is refused; the report (written) says why.
    TransitionRefused = 101,
    /// The host or OS image is not compliant; the result (written) says why.
    HostNotCompliant = 102,
    /// A scanned binary the policy names is not an accepted FIPS build; the report (written)
    /// gives each file's crypto module, evidence and findings.
    ScanNotCompliant = 103,
    /// Audited Cluster API or kubeadm objects are not FIPS compliant, or hold no cluster;
    /// the report (written) gives each cluster's findings, object and field.
    AuditNotCompliant = 104,

    /// A pointer parameter that must not be NULL was NULL.
    NullParameter = 200,
    /// A string parameter is not UTF-8.
    InvalidUtf8 = 201,
    /// A string parameter (or the argument vector) is larger than libfips accepts (1 MiB).
    InputTooLarge = 202,
    /// A string holds a NUL byte before its end. A C string ends at its first NUL, so
    /// libfips reads only the text before it and never returns this itself; the language
    /// bindings (Go, Python), which see a string's whole length, return it before calling.
    EmbeddedNul = 203,
    /// An options JSON object (`options_json` of `fips_scan_registry_json`) is not what the
    /// call accepts: not a JSON object, an unknown field, or a field of the wrong type or
    /// value; the message names the field and what to give (kind `input`, variant
    /// `options-invalid`).
    OptionsInvalid = 204,
    /// A version is not what Kubernetes' `ParseSemantic` accepts (error kind `version`).
    VersionInvalid = 210,
    /// An image tag is not a valid tag, or a version has no valid tag (kind `tag`).
    TagInvalid = 220,
    /// A tag cannot be turned back into a version without guessing (kind `tag`).
    TagLossy = 221,
    /// A tag, turned back, does not hold a version (kind `tag`).
    TagNotAVersion = 222,
    /// A component name is neither `kubernetes` nor `etcd` (kind `tag`).
    ComponentUnknown = 223,
    /// An image reference is invalid (kind `image`).
    ImageInvalid = 230,
    /// A cluster request (JSON or command line) cannot be understood (kind `request`).
    RequestInvalid = 240,
    /// A policy cannot be read or is invalid (kind `policy`).
    PolicyInvalid = 250,
    /// A probed root, or a file under it, cannot be read safely (kind `root`).
    RootUnreadable = 260,
    /// An artifact cannot be scanned (kind `scan`).
    ScanFailed = 270,
    /// A path the caller named (a policy file, a probed root, a path to scan) cannot be
    /// opened, or is not the kind of file or directory expected (kind `file`; the variant
    /// says why: `not-found`, `permission-denied`, `not-a-file`, ...).
    FileUnreadable = 280,
    /// A manifest of Kubernetes objects cannot be read: malformed YAML or JSON, or a field
    /// of a kind the audit reads that it cannot read (kind `manifest`).
    ManifestInvalid = 290,

    /// The crypto self-test failed: no verdict is given from now on (kind `selftest`).
    SelfTestFailed = 300,

    /// libfips panicked; the panic was caught at the boundary. Please report it.
    Panic = 400,
    /// libfips could not produce its output (a defect). Please report it.
    Internal = 401,
}

impl fips_status {
    /// The status of a `fips-core` error: one per failure domain (`Error::kind()`), with
    /// the tag domain split so that callers can tell a lossy tag from an invalid one.
    pub(crate) fn of(error: &Error) -> fips_status {
        match error {
            // A named path that cannot be opened, whichever call named it.
            Error::File(_) | Error::Policy(PolicyError::File(_)) => fips_status::FileUnreadable,
            Error::Version(_) => fips_status::VersionInvalid,
            Error::Tag(TagError::Lossy { .. }) => fips_status::TagLossy,
            Error::Tag(TagError::NotAVersion { .. }) => fips_status::TagNotAVersion,
            Error::Tag(TagError::UnknownComponent { .. }) => fips_status::ComponentUnknown,
            Error::Tag(_) => fips_status::TagInvalid,
            Error::Image(_) => fips_status::ImageInvalid,
            Error::Policy(_) => fips_status::PolicyInvalid,
            Error::Request(_) => fips_status::RequestInvalid,
            Error::Root(_) => fips_status::RootUnreadable,
            Error::SelfTest(_) => fips_status::SelfTestFailed,
            Error::Scan(_) => fips_status::ScanFailed,
            Error::Manifest(_) => fips_status::ManifestInvalid,
            // A domain added to fips-core before it has a status here.
            _ => fips_status::Internal,
        }
    }

    /// The kind and variant (`fips_last_error_kind()`, `fips_last_error_variant()`) of a
    /// failure of the ABI itself, which fips-core never sees: a parameter C gave wrongly
    /// (`input`) or a defect in libfips (`internal`). Errors of fips-core carry their own
    /// (`Error::kind()`, `Error::variant()`), never one made up from a status.
    pub(crate) fn own_error(self) -> (&'static str, &'static str) {
        match self {
            fips_status::NullParameter => ("input", "null-parameter"),
            fips_status::InvalidUtf8 => ("input", "invalid-utf8"),
            fips_status::InputTooLarge => ("input", "input-too-large"),
            fips_status::EmbeddedNul => ("input", "embedded-nul"),
            fips_status::OptionsInvalid => ("input", "options-invalid"),
            fips_status::Panic => ("internal", "panic"),
            // Any other status comes with a fips-core error; without one it is a defect.
            _ => ("internal", "internal"),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Freezes the values: they are part of the ABI.
    #[test]
    fn values_are_frozen() {
        let values = [
            (fips_status::Ok, 0),
            (fips_status::NotCompliant, 100),
            (fips_status::TransitionRefused, 101),
            (fips_status::HostNotCompliant, 102),
            (fips_status::ScanNotCompliant, 103),
            (fips_status::AuditNotCompliant, 104),
            (fips_status::NullParameter, 200),
            (fips_status::InvalidUtf8, 201),
            (fips_status::InputTooLarge, 202),
            (fips_status::EmbeddedNul, 203),
            (fips_status::OptionsInvalid, 204),
            (fips_status::VersionInvalid, 210),
            (fips_status::TagInvalid, 220),
            (fips_status::TagLossy, 221),
            (fips_status::TagNotAVersion, 222),
            (fips_status::ComponentUnknown, 223),
            (fips_status::ImageInvalid, 230),
            (fips_status::RequestInvalid, 240),
            (fips_status::PolicyInvalid, 250),
            (fips_status::RootUnreadable, 260),
            (fips_status::ScanFailed, 270),
            (fips_status::FileUnreadable, 280),
            (fips_status::ManifestInvalid, 290),
            (fips_status::SelfTestFailed, 300),
            (fips_status::Panic, 400),
            (fips_status::Internal, 401),
        ];
        for (status, value) in values {
            assert_eq!(status as u32, value, "{status:?}");
        }
    }

    /// Freezes the ABI's own error names: they are part of the ABI, as the values are.
    #[test]
    fn own_errors_are_frozen() {
        let own = [
            (fips_status::NullParameter, ("input", "null-parameter")),
            (fips_status::InvalidUtf8, ("input", "invalid-utf8")),
            (fips_status::InputTooLarge, ("input", "input-too-large")),
            (fips_status::EmbeddedNul, ("input", "embedded-nul")),
            (fips_status::OptionsInvalid, ("input", "options-invalid")),
            (fips_status::Panic, ("internal", "panic")),
            (fips_status::Internal, ("internal", "internal")),
        ];
        for (status, names) in own {
            assert_eq!(status.own_error(), names, "{status:?}");
        }
    }

    #[test]
    fn errors_map_by_domain() {
        let version: Error = fips_core::FipsVersion::parse("1.22").unwrap_err().into();
        assert_eq!(fips_status::of(&version), fips_status::VersionInvalid);
        let lossy: Error = fips_core::FipsVersion::from_tag("v1_2_3")
            .unwrap_err()
            .into();
        assert_eq!(fips_status::of(&lossy), fips_status::TagLossy);
        let component: Error = "etcd3".parse::<fips_core::Component>().unwrap_err().into();
        assert_eq!(fips_status::of(&component), fips_status::ComponentUnknown);
        let manifest: Error = fips_core::read_objects("kind: [\n").unwrap_err().into();
        assert_eq!(fips_status::of(&manifest), fips_status::ManifestInvalid);
    }

    /// Kind `file` is bad input (2xx), the same status whichever call named the path.
    #[test]
    fn a_named_path_that_cannot_be_opened_is_bad_input() {
        let policy = fips_core::Policy::from_file("/nonexistent/policy.toml").unwrap_err();
        let none = fips_core::Policy::embedded();
        let host = fips_core::HostFips::probe("/nonexistent/root", none).unwrap_err();
        let scan = fips_core::scan_paths(&["/nonexistent/kubelet"], none).unwrap_err();
        for err in [Error::Policy(policy), host, scan] {
            assert_eq!(err.kind(), "file", "{err:?}");
            assert_eq!(
                fips_status::of(&err),
                fips_status::FileUnreadable,
                "{err:?}"
            );
        }
    }
}
