//! The decision: an `AdmissionReview` converted into one [`fips_core::admit`] call, and its
//! verdict converted back into an `AdmissionResponse` by the Kubernetes conventions
//! (`allowed: false`, `status.code` 422 for a policy refusal and 500 for an internal error,
//! `status.message` listing each code and what to set, `status.details.causes[].field` the
//! JSONPath, `warnings` for warning findings). No rule lives here.

use fips_core::{admit, Admission, AdmissionRequest, Object, ObjectFinding, Policy, AUDITED_KINDS};
use kube::core::{
    admission::{AdmissionRequest as Request, AdmissionResponse, AdmissionReview, Operation},
    response::{StatusCause, StatusDetails, StatusSummary},
    DynamicObject, Status,
};

/// Whether refusals refuse (`enforce`) or are only shown as warnings (`warn`, for a first
/// rollout).
#[derive(Clone, Copy, Debug, PartialEq, Eq, clap::ValueEnum)]
pub enum Mode {
    /// Refuse what the policy refuses.
    Enforce,
    /// Admit everything; what would be refused becomes a warning.
    Warn,
}

impl Mode {
    pub fn as_str(self) -> &'static str {
        match self {
            Mode::Enforce => "enforce",
            Mode::Warn => "warn",
        }
    }
}

/// A decoded review: the request, and the object (and old object) as fips-core reads them.
#[derive(Debug)]
pub struct Review {
    pub request: Request<DynamicObject>,
    pub object: Option<Object>,
    pub old: Option<Object>,
}

impl Review {
    /// The kind as `group/Kind`, for logs and metrics.
    pub fn kind(&self) -> String {
        let k = &self.request.kind;
        if k.group.is_empty() {
            k.kind.clone()
        } else {
            format!("{}/{}", k.group, k.kind)
        }
    }

    pub fn operation(&self) -> &'static str {
        operation_name(&self.request.operation)
    }

    /// The namespace the object lives in, if namespaced.
    pub fn namespace(&self) -> Option<&str> {
        self.request.namespace.as_deref().filter(|n| !n.is_empty())
    }

    /// True for CREATE and UPDATE, the operations judged; the others are admitted.
    pub fn judged(&self) -> bool {
        matches!(
            self.request.operation,
            Operation::Create | Operation::Update
        )
    }
}

fn operation_name(op: &Operation) -> &'static str {
    match op {
        Operation::Create => "CREATE",
        Operation::Update => "UPDATE",
        Operation::Delete => "DELETE",
        Operation::Connect => "CONNECT",
    }
}

/// Why a body is not a review to decide on. `uid` is set when the review could be read far
/// enough to answer it.
#[derive(Debug)]
pub struct Undecodable {
    pub uid: Option<String>,
    pub message: String,
}

/// Reads an `AdmissionReview` `admission.k8s.io/v1` with a CREATE/UPDATE of an audited kind.
pub fn decode(body: &[u8]) -> Result<Review, Undecodable> {
    let refuse = |uid: Option<String>, message: String| Undecodable { uid, message };
    let value: serde_json::Value = serde_json::from_slice(body)
        .map_err(|e| refuse(None, format!("the body is not JSON: {e}")))?;
    let uid = value
        .pointer("/request/uid")
        .and_then(|u| u.as_str())
        .map(str::to_owned);
    match (
        value.get("apiVersion").and_then(|v| v.as_str()),
        value.get("kind").and_then(|v| v.as_str()),
    ) {
        (Some("admission.k8s.io/v1"), Some("AdmissionReview")) => {}
        (api, kind) => {
            return Err(refuse(
                uid,
                format!(
                    "expected an AdmissionReview of admission.k8s.io/v1, found {} {}: register the \
                     webhook with admissionReviewVersions: [v1]",
                    api.unwrap_or("<no apiVersion>"),
                    kind.unwrap_or("<no kind>")
                ),
            ))
        }
    }
    let review: AdmissionReview<DynamicObject> = serde_json::from_value(value).map_err(|e| {
        refuse(
            uid.clone(),
            format!("the AdmissionReview is malformed: {e}"),
        )
    })?;
    let request: Request<DynamicObject> = review
        .try_into()
        .map_err(|_| refuse(uid.clone(), "the AdmissionReview has no request".to_owned()))?;
    let kind = &request.kind;
    if !AUDITED_KINDS
        .iter()
        .any(|k| k.served && k.group == kind.group && k.kind == kind.kind)
    {
        return Err(refuse(
            uid,
            format!(
                "fips-webhook judges the Cluster API, kubeadm control plane and CAPA kinds only, \
                 not {}/{} {}: the ValidatingWebhookConfiguration's rules name a kind they should not",
                kind.group, kind.version, kind.kind
            ),
        ));
    }
    let namespace = request.namespace.clone();
    let read = |o: &Option<DynamicObject>, what: &str| -> Result<Option<Object>, Undecodable> {
        o.as_ref()
            .map(|o| to_object(o, namespace.as_deref()))
            .transpose()
            .map_err(|e| refuse(uid.clone(), format!("{what}: {e}")))
    };
    let object = read(&request.object, "request.object")?;
    let old = read(&request.old_object, "request.oldObject")?;
    let judged = matches!(request.operation, Operation::Create | Operation::Update);
    if judged && object.is_none() {
        return Err(refuse(
            uid,
            format!(
                "a {} review without request.object",
                operation_name(&request.operation)
            ),
        ));
    }
    Ok(Review {
        request,
        object,
        old,
    })
}

/// One object as fips-core reads it; the request's namespace fills a missing one.
pub fn to_object(object: &DynamicObject, namespace: Option<&str>) -> Result<Object, String> {
    let mut value = serde_json::to_value(object).map_err(|e| e.to_string())?;
    if let (Some(ns), Some(meta)) = (namespace, value.get_mut("metadata")) {
        if meta.get("namespace").is_none_or(|n| n.is_null()) {
            meta["namespace"] = ns.into();
        }
    }
    let mut objects = fips_core::read_objects(&value.to_string()).map_err(|e| e.to_string())?;
    match objects.len() {
        1 => Ok(objects.remove(0)),
        n => Err(format!("expected one object, found {n}")),
    }
}

/// What was decided, for the response, the log line and the metrics.
#[derive(Debug)]
pub struct Decision {
    pub response: AdmissionResponse,
    /// `allowed`, `denied`, `warned` (admitted in warn mode with refusals) or `error`.
    pub verdict: &'static str,
    pub codes: Vec<String>,
}

/// The inputs of a decision besides the review.
#[derive(Debug)]
pub struct Context<'a> {
    pub policy: &'a Policy,
    pub mode: Mode,
    /// `Err(reason)` when the crypto self-test failed: every request is refused.
    pub selftest: Result<(), &'a str>,
    pub related: &'a [Object],
    pub fips_required: bool,
}

/// Decides on a decoded review.
pub fn decide(review: &Review, cx: &Context<'_>) -> Decision {
    let base = AdmissionResponse::from(&review.request);
    if let Err(reason) = cx.selftest {
        return internal(
            base,
            format!("fips-webhook refuses every request: the crypto self-test failed: {reason}"),
        );
    }
    let (true, Some(object)) = (review.judged(), review.object.as_ref()) else {
        return Decision {
            response: base,
            verdict: "allowed",
            codes: Vec::new(),
        };
    };
    let request = AdmissionRequest {
        object,
        old: review
            .old
            .as_ref()
            .filter(|_| review.request.operation == Operation::Update),
        related: cx.related,
        fips_required: cx.fips_required,
    };
    let admission = match admit(&request, cx.policy) {
        Ok(a) => a,
        Err(e) if e.kind() == "selftest" => {
            return internal(base, format!("fips-webhook cannot judge: {e}"))
        }
        Err(e) => return invalid(base, &object.reference.to_string(), e.to_string(), cx.mode),
    };
    respond(base, &object.reference.to_string(), &admission, cx.mode)
}

fn respond(
    mut response: AdmissionResponse,
    object: &str,
    admission: &Admission,
    mode: Mode,
) -> Decision {
    let codes = admission
        .codes()
        .iter()
        .map(|c| c.as_str().to_owned())
        .collect();
    let mut warnings: Vec<String> = admission.warnings.iter().map(line).collect();
    let verdict = if admission.allowed() {
        "allowed"
    } else if mode == Mode::Warn {
        warnings.extend(
            admission
                .refusals
                .iter()
                .map(|f| format!("would be refused: {}", line(f))),
        );
        "warned"
    } else {
        let lines: Vec<String> = admission.refusals.iter().map(line).collect();
        response.allowed = false;
        response.result = Status {
            status: Some(StatusSummary::Failure),
            code: 422,
            reason: "Invalid".into(),
            message: format!(
                "{object} is refused by the FIPS policy: {}",
                lines.join("; ")
            ),
            details: Some(StatusDetails {
                causes: admission
                    .refusals
                    .iter()
                    .map(|f| StatusCause {
                        reason: "FieldValueInvalid".into(),
                        message: format!(
                            "{}: {} (set: {})",
                            f.finding.code, f.finding.message, f.finding.remediation
                        ),
                        field: f.finding.field.clone(),
                    })
                    .collect(),
                name: String::new(),
                group: String::new(),
                kind: String::new(),
                uid: String::new(),
                retry_after_seconds: 0,
            }),
        };
        "denied"
    };
    if !warnings.is_empty() {
        response.warnings = Some(warnings);
    }
    Decision {
        response,
        verdict,
        codes,
    }
}

/// `CODE at FIELD: message; set FIELD: remediation`.
fn line(f: &ObjectFinding) -> String {
    let f = &f.finding;
    format!(
        "{} at {}: {}; set {}: {}",
        f.code, f.field, f.message, f.field, f.remediation
    )
}

/// The answer when the API server could not be read for the namespace or related objects:
/// refused (fail closed), 500.
pub fn api_unreadable(review: &Review, error: &str) -> Decision {
    internal(
        AdmissionResponse::from(&review.request),
        format!("fips-webhook cannot read what the decision needs from the API server: {error}"),
    )
}

fn refusal(mut response: AdmissionResponse, code: u16, reason: &str, message: String) -> Decision {
    response.allowed = false;
    response.result = Status {
        status: Some(StatusSummary::Failure),
        code,
        reason: reason.into(),
        message,
        details: None,
    };
    Decision {
        response,
        verdict: if code >= 500 { "error" } else { "denied" },
        codes: Vec::new(),
    }
}

fn internal(response: AdmissionResponse, message: String) -> Decision {
    refusal(response, 500, "InternalError", message)
}

/// An object fips-core cannot read (a field of the wrong type, a version that does not
/// parse): refused with 422, or, in warn mode, admitted with the reason as a warning.
fn invalid(mut response: AdmissionResponse, object: &str, message: String, mode: Mode) -> Decision {
    let message = format!("{object} cannot be judged by the FIPS policy: {message}");
    if mode == Mode::Warn {
        response.warnings = Some(vec![format!("would be refused: {message}")]);
        return Decision {
            response,
            verdict: "warned",
            codes: Vec::new(),
        };
    }
    refusal(response, 422, "Invalid", message)
}

/// The answer to a review that could not be decoded but has a `uid`: a 400 refusal, as an
/// `admission.k8s.io/v1` review.
pub fn undecodable(uid: &str, message: &str) -> serde_json::Value {
    serde_json::json!({
        "apiVersion": "admission.k8s.io/v1",
        "kind": "AdmissionReview",
        "response": {
            "uid": uid,
            "allowed": false,
            "status": {"status": "Failure", "code": 400, "reason": "BadRequest", "message": message},
        },
    })
}

#[cfg(test)]
mod tests;
