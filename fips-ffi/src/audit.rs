//! The audit of Cluster API and kubeadm objects: `fips_audit_json` (objects as they are) and
//! `fips_audit_update_json` (an update: the old objects and the new), over fips-core's
//! `audit_text` and `audit_update`.

use std::ffi::c_char;

use fips_core::{audit_text, audit_update, read_objects, AuditReport, Object, Severity};

use crate::{
    boundary::{self, Done, Failure},
    fips_policy, fips_status,
    io::{bounded_input, c_string, json, Out},
    policy::policy_or_default,
    FIPS_MAX_MANIFEST_BYTES,
};

/// Reads the manifest parameter `param`: as every string parameter, but up to
/// [`FIPS_MAX_MANIFEST_BYTES`], since a management cluster's objects run to megabytes.
///
/// # Safety
///
/// As [`bounded_input`] with that bound.
unsafe fn manifest<'a>(
    function: &str,
    param: &str,
    ptr: *const c_char,
) -> Result<&'a str, Failure> {
    // SAFETY: as this function's contract.
    unsafe { bounded_input(function, param, ptr, FIPS_MAX_MANIFEST_BYTES) }
}

/// Reads the objects of a manifest parameter; a manifest error names the parameter.
fn objects(function: &str, param: &str, text: &str) -> Result<Vec<Object>, Failure> {
    read_objects(text).map_err(|e| Failure::core(&format!("{function}: {param}"), &e.into()))
}

/// Writes an audit report: `FIPS_STATUS_OK` when compliant, else
/// `FIPS_STATUS_AUDIT_NOT_COMPLIANT`.
///
/// # Safety
///
/// As [`Out::write`].
unsafe fn report_out(
    function: &str,
    report: &AuditReport,
    out: Out<*mut c_char>,
) -> Result<Done, Failure> {
    let text = c_string(function, json(function, report)?)?;
    // SAFETY: as this function's contract.
    unsafe { out.write(text) };
    Ok(Done::verdict(
        report.compliant,
        fips_status::AuditNotCompliant,
        || audit_negative(function, report),
    ))
}

/// The one-line summary of a negative audit: each cluster that is not compliant with its
/// error codes, or that there was no cluster at all.
fn audit_negative(function: &str, report: &AuditReport) -> String {
    const SHOWN: usize = 5;
    if report.clusters.is_empty() {
        return format!(
            "{function}: no cluster among the objects ({} ignored): nothing shows a FIPS \
             cluster; pass the cluster's Cluster API or kubeadm objects",
            report.ignored
        );
    }
    let mut failed: Vec<String> = report
        .clusters
        .iter()
        .filter(|c| !c.compliant)
        .map(|c| {
            let codes: Vec<&str> = c
                .findings
                .iter()
                .filter(|f| f.finding.severity == Severity::Error)
                .map(|f| f.finding.code.as_str())
                .collect();
            let name = match &c.namespace {
                Some(ns) => format!("{ns}/{}", c.name),
                None => c.name.clone(),
            };
            format!("{name} ({})", codes.join(", "))
        })
        .collect();
    let more = failed.len().saturating_sub(SHOWN);
    failed.truncate(SHOWN);
    if more > 0 {
        failed.push(format!("{more} more"));
    }
    format!(
        "{function}: not FIPS compliant: {}; the report lists each finding, its object and field, \
         and the value to set",
        failed.join("; ")
    )
}

/// Audits Cluster API and kubeadm objects (`manifest`: one or many YAML or JSON documents,
/// a `kind: List`, a `kubectl get -o yaml` list) against `policy` (NULL: the embedded
/// default), as `fipsctl audit -f` does: objects are grouped into clusters and each cluster
/// judged. Objects of other kinds are ignored and counted. At most 64 MiB of text.
///
/// On `FIPS_STATUS_OK` (at least one cluster, and every cluster compliant) and
/// `FIPS_STATUS_AUDIT_NOT_COMPLIANT`, `*report_json` is the `AuditReport` as JSON
/// (`{"compliant", "clusters": [{"namespace", "name", "compliant", "objects": [{"apiVersion",
/// "kind", "namespace", "name"}], "findings": [{"code", "severity", "field", "message",
/// "remediation", "object"}]}], "ignored"}`; `field` is a JSONPath of the object, and
/// `remediation` the value to set there), to free with `fips_string_free`. Otherwise nothing
/// is written: `FIPS_STATUS_MANIFEST_INVALID` (malformed YAML or JSON, or a field of a known
/// kind that cannot be read: the last error names the document, the kind and the field),
/// `FIPS_STATUS_SELF_TEST_FAILED`, or a 2xx input status.
///
/// # Safety
///
/// `policy` is NULL or a live handle; `manifest` is NULL or a NUL-terminated string;
/// `report_json` is NULL or valid for a write of a pointer.
#[no_mangle]
pub unsafe extern "C" fn fips_audit_json(
    policy: *const fips_policy,
    manifest: *const c_char,
    report_json: *mut *mut c_char,
) -> fips_status {
    const F: &str = "fips_audit_json";
    boundary::status(F, || {
        // SAFETY: the caller's contract.
        let policy = unsafe { policy_or_default(policy) };
        // SAFETY: the caller's contract.
        let text = unsafe { self::manifest(F, "manifest", manifest) }?;
        let out = Out::new(F, "report_json", report_json)?;
        let report = audit_text(text, policy).map_err(|e| Failure::core(F, &e))?;
        // SAFETY: checked non-NULL; the caller's contract.
        unsafe { report_out(F, &report, out) }
    })
}

/// Audits an update of Cluster API and kubeadm objects, as an admission webhook does on
/// UPDATE: `new_manifest` is audited as by `fips_audit_json`, and every change of an
/// object's Kubernetes version from `old_manifest` (objects matched by group, kind,
/// namespace and name) is judged as `fips_check_transition` judges it (FIPS status is fixed
/// at creation; a FIPS cluster moves only up, to a supported FIPS build). Each manifest is at
/// most 64 MiB.
///
/// Results as `fips_audit_json`; a manifest error names the parameter (`old_manifest` or
/// `new_manifest`).
///
/// # Safety
///
/// `policy` is NULL or a live handle; `old_manifest` and `new_manifest` are NULL or
/// NUL-terminated strings; `report_json` is NULL or valid for a write of a pointer.
#[no_mangle]
pub unsafe extern "C" fn fips_audit_update_json(
    policy: *const fips_policy,
    old_manifest: *const c_char,
    new_manifest: *const c_char,
    report_json: *mut *mut c_char,
) -> fips_status {
    const F: &str = "fips_audit_update_json";
    boundary::status(F, || {
        // SAFETY: the caller's contract.
        let policy = unsafe { policy_or_default(policy) };
        // SAFETY: the caller's contract.
        let old_text = unsafe { manifest(F, "old_manifest", old_manifest) }?;
        // SAFETY: the caller's contract.
        let new_text = unsafe { manifest(F, "new_manifest", new_manifest) }?;
        let out = Out::new(F, "report_json", report_json)?;
        let old = objects(F, "old_manifest", old_text)?;
        let new = objects(F, "new_manifest", new_text)?;
        let report = audit_update(&old, &new, policy).map_err(|e| Failure::core(F, &e))?;
        // SAFETY: checked non-NULL; the caller's contract.
        unsafe { report_out(F, &report, out) }
    })
}

#[cfg(test)]
mod tests {
    use std::ffi::{CStr, CString};

    use super::*;
    use crate::{fips_last_error, fips_last_error_kind, fips_string_free};

    fn last_error() -> String {
        // SAFETY: never NULL.
        unsafe { CStr::from_ptr(fips_last_error()) }
            .to_string_lossy()
            .into_owned()
    }

    fn audit(text: &str) -> (fips_status, Option<serde_json::Value>) {
        let text = CString::new(text).unwrap();
        let mut out: *mut c_char = std::ptr::null_mut();
        // SAFETY: valid string and output slot.
        let status = unsafe { fips_audit_json(std::ptr::null(), text.as_ptr(), &mut out) };
        (status, take(out))
    }

    fn take(out: *mut c_char) -> Option<serde_json::Value> {
        if out.is_null() {
            return None;
        }
        // SAFETY: a string libfips returned.
        let json = unsafe { CStr::from_ptr(out) }.to_str().unwrap().to_owned();
        // SAFETY: a string libfips returned, freed once.
        unsafe { fips_string_free(out) };
        Some(serde_json::from_str(&json).unwrap())
    }

    const KCP: &str =
        "apiVersion: controlplane.cluster.x-k8s.io/v1beta1\nkind: KubeadmControlPlane\n\
                       metadata: {name: cp, namespace: default}\nspec: {version: v1.22.8}\n";

    #[test]
    fn a_negative_audit_writes_its_report_and_names_the_cluster() {
        let (status, report) = audit(KCP);
        assert_eq!(status, fips_status::AuditNotCompliant);
        let report = report.expect("a negative verdict writes its report");
        assert_eq!(report["compliant"], false);
        assert_eq!(
            report["clusters"][0]["findings"][0]["object"]["kind"],
            "KubeadmControlPlane"
        );
        let error = last_error();
        assert!(
            error.starts_with("fips_audit_json: not FIPS compliant: default/KubeadmControlPlane/cp (FIPS-K8S-NOT-FIPS-BUILD,"),
            "{error}"
        );
    }

    #[test]
    fn objects_without_a_cluster_are_no_compliant_verdict() {
        let (status, report) = audit("apiVersion: v1\nkind: ConfigMap\nmetadata: {name: x}\n");
        assert_eq!(status, fips_status::AuditNotCompliant);
        assert_eq!(report.expect("written")["ignored"], 1);
        assert!(last_error().contains("no cluster among the objects (1 ignored)"));
    }

    #[test]
    fn a_malformed_manifest_is_manifest_invalid_and_writes_nothing() {
        let (status, report) = audit("apiVersion: v1\nkind: [\n");
        assert_eq!(status, fips_status::ManifestInvalid);
        assert!(report.is_none());
        // SAFETY: never NULL.
        let kind = unsafe { CStr::from_ptr(fips_last_error_kind()) };
        assert_eq!(kind.to_str().unwrap(), "manifest");
        assert!(
            last_error().starts_with("fips_audit_json: "),
            "{}",
            last_error()
        );
    }

    #[test]
    fn an_update_names_the_manifest_that_cannot_be_read() {
        let old = CString::new("kind: [\n").unwrap();
        let new = CString::new(KCP).unwrap();
        let mut out: *mut c_char = std::ptr::null_mut();
        // SAFETY: valid strings and output slot.
        let status = unsafe {
            fips_audit_update_json(std::ptr::null(), old.as_ptr(), new.as_ptr(), &mut out)
        };
        assert_eq!(status, fips_status::ManifestInvalid);
        assert!(out.is_null());
        assert!(
            last_error().starts_with("fips_audit_update_json: old_manifest: "),
            "{}",
            last_error()
        );
    }

    #[test]
    fn an_update_turning_fips_off_is_refused() {
        let old = CString::new(KCP.replace("v1.22.8", "v1.22.8+fips.0")).unwrap();
        let new = CString::new(KCP).unwrap();
        let mut out: *mut c_char = std::ptr::null_mut();
        // SAFETY: valid strings and output slot.
        let status = unsafe {
            fips_audit_update_json(std::ptr::null(), old.as_ptr(), new.as_ptr(), &mut out)
        };
        assert_eq!(status, fips_status::AuditNotCompliant);
        let report = take(out).expect("written");
        let codes: Vec<&str> = report["clusters"][0]["findings"]
            .as_array()
            .unwrap()
            .iter()
            .map(|f| f["code"].as_str().unwrap())
            .collect();
        assert!(
            codes.contains(&"FIPS-TRANSITION-DISABLE-REFUSED"),
            "{codes:?}"
        );
    }
}
