//! The paginated list of every served audited kind, page by page into objects.

use std::{future::Future, sync::Arc, time::Duration};

use fips_core::{AuditedKind, Object, AUDITED_KINDS, MAX_OBJECTS};
use kube::core::{params::ListParams, Request};
use serde::Deserialize;
use serde_json::Value;

use crate::{
    config::{chain, connect, Connection},
    discovery::discover,
    Denied, Error, Scope, Served, Source,
};

/// What was read from the server.
#[derive(Debug)]
pub struct Listed {
    /// Every object of the served audited kinds, kind by kind in [`AUDITED_KINDS`] order,
    /// each in the server's order.
    pub objects: Vec<Object>,
    /// Kinds the server does not serve, each said once.
    pub notes: Vec<Note>,
    /// The server's URL.
    pub server: String,
    /// How many list requests (pages) were made.
    pub pages: usize,
}

/// A kind that was not read, and why (say, no CAPA CRDs): not a failure.
///
/// ```
/// let note = fips_kube::Note { resource: "awsmachines.infrastructure.cluster.x-k8s.io".into(), served: fips_kube::Served::Not };
/// assert_eq!(note.to_string(), "awsmachines.infrastructure.cluster.x-k8s.io is not served (no such CRD): none read");
/// ```
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Note {
    /// `plural.group`.
    pub resource: String,
    /// How the server serves it.
    pub served: Served,
}

impl std::fmt::Display for Note {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{} is {}: none read", self.resource, self.served)
    }
}

/// The `metadata` of a list page; its `items` are read by [`fips_core::read_objects`].
#[derive(Deserialize)]
struct Page {
    #[serde(default)]
    kind: String,
    #[serde(default)]
    metadata: PageMeta,
}

#[derive(Deserialize, Default)]
struct PageMeta {
    #[serde(default, rename = "continue")]
    next: Option<String>,
}

/// Reads every object of the audited kinds the server serves, within `source`'s scope.
/// Blocking: runs its own single-threaded runtime.
///
/// Errors: [`Error::Kubeconfig`], [`Error::Unreachable`] (after at most the source's
/// timeout per request), [`Error::Unauthorized`], [`Error::Forbidden`] (every refused
/// list, once all kinds were tried), [`Error::UnreadableVersion`], [`Error::Api`].
///
/// ```no_run
/// let source = fips_kube::Source::new("kubeconfig".into(), fips_kube::Scope::Namespace("capi".into()));
/// let listed = fips_kube::read_live(&source)?;
/// for note in &listed.notes {
///     eprintln!("note: {note}");
/// }
/// # Ok::<(), fips_kube::Error>(())
/// ```
pub fn read_live(source: &Source) -> Result<Listed, Error> {
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .map_err(|e| Error::Api {
            server: String::new(),
            reason: format!("cannot start the I/O runtime: {e}"),
        })?;
    runtime.block_on(read(source))
}

async fn read(source: &Source) -> Result<Listed, Error> {
    let connection = connect(source).await?;
    let namespace = match &source.scope {
        Scope::Namespace(ns) => Some(ns.clone()),
        Scope::AllNamespaces => None,
        Scope::ContextNamespace => Some(connection.namespace.clone()),
    };
    let kinds: Vec<&'static AuditedKind> = AUDITED_KINDS.iter().filter(|k| k.served).collect();
    let served = discover(
        &connection.client,
        &connection.server,
        &kinds,
        source.timeout,
    )
    .await?;
    let mut listed = Listed {
        objects: Vec::new(),
        notes: Vec::new(),
        server: connection.server.clone(),
        pages: 0,
    };
    let mut denied = Vec::new();
    for (kind, served) in served {
        let resource = format!("{}.{}", kind.plural, kind.group);
        match served {
            Served::At(version) => {
                let request = ListRequest {
                    connection: &connection,
                    kind,
                    version: &version,
                    namespace: namespace.as_deref(),
                    source,
                };
                match request.read_into(&mut listed).await? {
                    Outcome::Read => {}
                    Outcome::Denied(d) => denied.push(d),
                    Outcome::Gone => listed.notes.push(Note {
                        resource,
                        served: Served::Not,
                    }),
                }
            }
            Served::Not => listed.notes.push(Note { resource, served }),
            Served::OnlyAt(versions) => {
                return Err(Error::UnreadableVersion {
                    server: connection.server.clone(),
                    resource,
                    served: versions.join(", "),
                    readable: kind.versions.join(", "),
                })
            }
        }
    }
    if !denied.is_empty() {
        return Err(Error::Forbidden {
            server: connection.server,
            denied,
        });
    }
    Ok(listed)
}

enum Outcome {
    Read,
    /// 403: the user may not list it.
    Denied(Denied),
    /// 404: the CRD went away after discovery.
    Gone,
}

struct ListRequest<'a> {
    connection: &'a Connection,
    kind: &'static AuditedKind,
    version: &'a str,
    namespace: Option<&'a str>,
    source: &'a Source,
}

impl ListRequest<'_> {
    fn path(&self) -> String {
        let k = self.kind;
        match self.namespace {
            Some(ns) => format!(
                "/apis/{}/{}/namespaces/{ns}/{}",
                k.group, self.version, k.plural
            ),
            None => format!("/apis/{}/{}/{}", k.group, self.version, k.plural),
        }
    }

    /// Lists page by page; each page's text is read into objects and dropped before the
    /// next request, so memory holds the objects and one page.
    async fn read_into(&self, listed: &mut Listed) -> Result<Outcome, Error> {
        let server = &self.connection.server;
        let path = self.path();
        let source_name: Arc<str> = format!("{server}{path}").into();
        let mut next: Option<String> = None;
        let mut item = 0;
        loop {
            let params = ListParams {
                limit: (self.source.chunk_size > 0).then_some(self.source.chunk_size),
                continue_token: next.take(),
                ..ListParams::default()
            };
            let request = Request::new(&path).list(&params).map_err(|e| Error::Api {
                server: server.clone(),
                reason: format!("cannot build the list request for {path}: {e}"),
            })?;
            let answer = call(
                self.source.timeout,
                self.connection.client.request_text(request),
            )
            .await;
            let text = match answer {
                Ok(text) => text,
                Err(Failure::Status(status)) if status.code == 403 => {
                    return Ok(Outcome::Denied(Denied {
                        verb: "list".to_owned(),
                        resource: self.kind.plural.to_owned(),
                        group: self.kind.group.to_owned(),
                        namespace: self.namespace.map(str::to_owned),
                        message: status.message,
                    }))
                }
                Err(Failure::Status(status)) if status.code == 404 => return Ok(Outcome::Gone),
                Err(Failure::Status(status)) if status.code == 410 => {
                    return Err(Error::Api {
                        server: server.clone(),
                        reason: format!(
                            "{path}: the list expired while it was read page by page \
                             (410 Gone: {}): run again, or with a larger --chunk-size",
                            status.message
                        ),
                    })
                }
                Err(failure) => return Err(failure.into_error(server, self.source.timeout)),
            };
            listed.pages += 1;
            let page: Page = serde_json::from_str(&text).map_err(|e| Error::Api {
                server: server.clone(),
                reason: format!("{path}: the list answer is not a Kubernetes list: {e}"),
            })?;
            // Anything but a list (a single object, a Status) would be read as objects.
            if !page.kind.ends_with("List") {
                return Err(Error::Api {
                    server: server.clone(),
                    reason: format!("{path}: the list answer is a {:?}, not a list", page.kind),
                });
            }
            let objects = fips_core::read_objects(&text).map_err(|e| Error::Api {
                server: server.clone(),
                reason: format!("{path}: {e}"),
            })?;
            drop(text);
            for mut object in objects {
                object.item = Some(item);
                item += 1;
                object.source = Some(source_name.clone());
                drop_unjudged(&mut object.body);
                listed.objects.push(object);
            }
            if listed.objects.len() > MAX_OBJECTS {
                return Err(Error::Api {
                    server: server.clone(),
                    reason: format!("more than {MAX_OBJECTS} objects: more than an audit reads"),
                });
            }
            match page.metadata.next.filter(|t| !t.is_empty()) {
                Some(token) => next = Some(token),
                None => return Ok(Outcome::Read),
            }
        }
    }
}

/// What the audit never reads, dropped so that memory holds only what it judges: the
/// server's bookkeeping of who set which field, and the observed `status` (the audit judges
/// what is asked for, never what is observed).
fn drop_unjudged(body: &mut Value) {
    if let Value::Object(map) = body {
        map.remove("status");
        if let Some(Value::Object(meta)) = map.get_mut("metadata") {
            meta.remove("managedFields");
        }
    }
}

/// A request that failed: with a `Status` from the server, or without an answer.
pub(crate) enum Failure {
    Status(kube::core::ErrorResponse),
    /// No answer within the time-out.
    TimedOut,
    Other(kube::Error),
}

impl Failure {
    pub(crate) fn into_error(self, server: &str, timeout: Duration) -> Error {
        let server = server.to_owned();
        match self {
            Failure::Status(status) if status.code == 401 => Error::Unauthorized {
                server,
                message: status.message,
            },
            Failure::Status(status) => Error::Api {
                server,
                reason: format!("{} {}: {}", status.code, status.reason, status.message),
            },
            Failure::TimedOut => Error::Unreachable {
                server,
                reason: format!("no answer within {} s", timeout.as_secs_f64()),
            },
            Failure::Other(kube::Error::SerdeError(e)) => Error::Api {
                server,
                reason: format!("malformed answer: {e}"),
            },
            Failure::Other(other) => Error::Unreachable {
                server,
                reason: chain(&other),
            },
        }
    }
}

/// Runs one request with a deadline: a server that accepts the connection and never
/// answers is unreachable after `timeout`, never a hang.
pub(crate) async fn call<T>(
    timeout: Duration,
    request: impl Future<Output = Result<T, kube::Error>>,
) -> Result<T, Failure> {
    match tokio::time::timeout(timeout, request).await {
        Err(_) => Err(Failure::TimedOut),
        Ok(Ok(value)) => Ok(value),
        Ok(Err(kube::Error::Api(status))) => Err(Failure::Status(status)),
        Ok(Err(e)) => Err(Failure::Other(e)),
    }
}

/// [`call`], with the failure as this crate's error.
pub(crate) async fn within<T>(
    server: &str,
    timeout: Duration,
    request: impl Future<Output = Result<T, kube::Error>>,
) -> Result<T, Error> {
    call(timeout, request)
        .await
        .map_err(|f| f.into_error(server, timeout))
}
