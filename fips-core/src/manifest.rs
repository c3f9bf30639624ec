//! Kubernetes objects from YAML or JSON text, as `kubectl apply -f` takes them.
//!
//! A stream is one or many documents: YAML separated by `---`, or JSON objects one after
//! another. A `List` document (`kind: List`, or a typed list such as `ClusterList` as the API
//! server returns it) stands for its `items`; items of a typed list that lack `kind` get it
//! from the list (`ClusterList` -> `Cluster`), as kubectl does. Empty documents are skipped.
//! Every document must be an object with `apiVersion` and `kind`; what it holds beyond that is
//! judged later, by kind, and kinds that do not matter to FIPS are ignored there.
//!
//! Reading is bounded: [`MAX_MANIFEST_BYTES`] of text and [`MAX_OBJECTS`] objects; YAML
//! aliases and nesting are bounded by the parser (serde_norway's repetition and recursion
//! limits), JSON nesting by serde_json's.

use serde::{Deserialize, Serialize};
use serde_json::Value;

use crate::ManifestError;

/// The largest manifest text an audit reads: far above a management cluster's export.
pub const MAX_MANIFEST_BYTES: usize = 256 << 20;

/// The most objects (documents and list items together) one stream may hold.
pub const MAX_OBJECTS: usize = 1_000_000;

/// How deep `List`s may nest inside `List`s.
const MAX_LIST_DEPTH: usize = 4;

/// Which object a finding is about: `apiVersion`, `kind`, `namespace`, `name`.
///
/// ```
/// use fips_core::ObjectRef;
/// let r = ObjectRef::new("cluster.x-k8s.io/v1beta1", "Cluster", Some("default"), "c1");
/// assert_eq!(r.group(), "cluster.x-k8s.io");
/// assert_eq!(r.to_string(), "Cluster default/c1 (cluster.x-k8s.io/v1beta1)");
/// ```
#[derive(Clone, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
pub struct ObjectRef {
    /// `apiVersion`, e.g. `controlplane.cluster.x-k8s.io/v1beta1`.
    pub api_version: String,
    /// `kind`, e.g. `KubeadmControlPlane`.
    pub kind: String,
    /// `metadata.namespace`, when the object has one.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub namespace: Option<String>,
    /// `metadata.name` (empty when the object has none, as a kubeadm `ClusterConfiguration`).
    pub name: String,
}

impl ObjectRef {
    /// A reference from its four parts.
    pub fn new(api_version: &str, kind: &str, namespace: Option<&str>, name: &str) -> Self {
        ObjectRef {
            api_version: api_version.to_owned(),
            kind: kind.to_owned(),
            namespace: namespace.map(str::to_owned),
            name: name.to_owned(),
        }
    }

    /// The API group: the part of `apiVersion` before `/` (empty for the core group `v1`).
    pub fn group(&self) -> &str {
        self.api_version
            .rsplit_once('/')
            .map_or("", |(group, _)| group)
    }

    /// The version of the API: the part of `apiVersion` after `/`.
    pub fn api(&self) -> &str {
        self.api_version
            .rsplit_once('/')
            .map_or(self.api_version.as_str(), |(_, v)| v)
    }

    /// What identifies the same object across versions of a manifest: group, kind,
    /// namespace and name (the API version may change between old and new).
    pub fn identity(&self) -> (&str, &str, Option<&str>, &str) {
        (
            self.group(),
            &self.kind,
            self.namespace.as_deref(),
            &self.name,
        )
    }
}

impl std::fmt::Display for ObjectRef {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{} ", self.kind)?;
        if let Some(ns) = &self.namespace {
            write!(f, "{ns}/")?;
        }
        write!(f, "{} ({})", self.name, self.api_version)
    }
}

/// One object of a manifest stream, with where it was found.
///
/// ```
/// let objects = fips_core::read_objects("kind: ConfigMap\napiVersion: v1\nmetadata: {name: a}\n")?;
/// assert_eq!(objects[0].reference.kind, "ConfigMap");
/// assert_eq!(objects[0].document, 1);
/// # Ok::<(), fips_core::ManifestError>(())
/// ```
#[derive(Clone, Debug, PartialEq)]
pub struct Object {
    /// Which object it is.
    pub reference: ObjectRef,
    /// The document it came from, counted from 1.
    pub document: usize,
    /// Its index inside a `List` document, if it came from one.
    pub item: Option<usize>,
    /// The file (or other source) it was read from, named in errors; [`read_objects`]
    /// leaves it `None` for the caller to set.
    pub source: Option<std::sync::Arc<str>>,
    /// The whole object.
    pub body: Value,
}

/// Reads every object of a YAML or JSON stream; see the module documentation.
///
/// Errors name the document (from 1) and, inside a `List`, the item (from 0).
///
/// ```
/// let text = "apiVersion: v1\nkind: List\nitems:\n- {apiVersion: v1, kind: Secret, metadata: {name: s}}\n---\n";
/// let objects = fips_core::read_objects(text)?;
/// assert_eq!((objects.len(), objects[0].item), (1, Some(0)));
/// assert!(fips_core::read_objects("kind: [").is_err());
/// # Ok::<(), fips_core::ManifestError>(())
/// ```
pub fn read_objects(text: &str) -> Result<Vec<Object>, ManifestError> {
    if text.len() > MAX_MANIFEST_BYTES {
        return Err(ManifestError::TooLarge {
            bytes: text.len(),
            limit: MAX_MANIFEST_BYTES,
        });
    }
    let mut objects = Vec::new();
    let mut push = |document: usize, value: Value| add_document(&mut objects, document, value);
    if text.trim_start().starts_with('{') {
        // A JSON stream: objects one after another, as kubectl accepts them.
        if let Ok(values) = serde_json::Deserializer::from_str(text)
            .into_iter::<Value>()
            .collect::<Result<Vec<_>, _>>()
        {
            for (i, value) in values.into_iter().enumerate() {
                push(i + 1, value)?;
            }
            return Ok(objects);
        }
        // Not JSON after all: YAML flow style starts with `{` too.
    }
    for (i, document) in serde_norway::Deserializer::from_str(text).enumerate() {
        let value = Value::deserialize(document).map_err(|e| ManifestError::Syntax {
            document: i + 1,
            message: e.to_string(),
        })?;
        push(i + 1, value)?;
    }
    Ok(objects)
}

fn add_document(out: &mut Vec<Object>, document: usize, value: Value) -> Result<(), ManifestError> {
    if value.is_null() {
        return Ok(());
    }
    add_value(out, document, None, value, 0, None)
}

/// `list`: the typed list this value is an item of, whose `apiVersion` and `kind` it inherits.
fn add_value(
    out: &mut Vec<Object>,
    document: usize,
    item: Option<usize>,
    value: Value,
    depth: usize,
    list: Option<(&str, &str)>,
) -> Result<(), ManifestError> {
    if out.len() >= MAX_OBJECTS {
        return Err(ManifestError::TooManyObjects { limit: MAX_OBJECTS });
    }
    let not_object = |reason: String| ManifestError::NotAnObject {
        document,
        item,
        reason,
    };
    let Value::Object(map) = &value else {
        return Err(not_object(format!(
            "expected a Kubernetes object (a mapping with apiVersion and kind), found {}",
            json_type(&value)
        )));
    };
    let text_field = |key: &str| -> Result<Option<String>, ManifestError> {
        match map.get(key) {
            None | Some(Value::Null) => Ok(None),
            Some(Value::String(s)) if !s.is_empty() => Ok(Some(s.clone())),
            Some(other) => Err(not_object(format!(
                "{key} must be a non-empty string, found {}",
                json_type(other)
            ))),
        }
    };
    let inherited = list.and_then(|(api, kind)| kind.strip_suffix("List").map(|k| (api, k)));
    let api_version = match (text_field("apiVersion")?, inherited) {
        (Some(a), _) => a,
        (None, Some((api, _))) => api.to_owned(),
        (None, None) => return Err(not_object("no apiVersion".into())),
    };
    let kind = match (text_field("kind")?, inherited) {
        (Some(k), _) => k,
        (None, Some((_, k))) if !k.is_empty() => k.to_owned(),
        _ => return Err(not_object("no kind".into())),
    };
    if kind.ends_with("List") && map.contains_key("items") {
        if depth >= MAX_LIST_DEPTH {
            return Err(not_object(format!(
                "Lists nested more than {MAX_LIST_DEPTH} deep"
            )));
        }
        if !matches!(map.get("items"), Some(Value::Array(_))) {
            return Err(not_object(format!("{kind}: items must be a list")));
        }
        // Move the items out rather than copy them: a list can be most of the stream.
        let mut value = value;
        let items = match value.get_mut("items").map(Value::take) {
            Some(Value::Array(items)) => items,
            _ => Vec::new(),
        };
        let list = Some((api_version.as_str(), kind.as_str()));
        for (i, entry) in items.into_iter().enumerate() {
            add_value(out, document, Some(i), entry, depth + 1, list)?;
        }
        return Ok(());
    }
    let metadata = match map.get("metadata") {
        None | Some(Value::Null) => None,
        Some(Value::Object(m)) => Some(m),
        Some(other) => {
            return Err(not_object(format!(
                "{kind}: metadata must be a mapping, found {}",
                json_type(other)
            )))
        }
    };
    let meta_text = |key: &str| match metadata.and_then(|m| m.get(key)) {
        None | Some(Value::Null) => Ok(None),
        Some(Value::String(s)) => Ok(Some(s.clone())),
        Some(other) => Err(not_object(format!(
            "{kind}: metadata.{key} must be a string, found {}",
            json_type(other)
        ))),
    };
    let name = meta_text("name")?.unwrap_or_default();
    let namespace = meta_text("namespace")?.filter(|n| !n.is_empty());
    let mut value = value;
    if let (Value::Object(m), Some(_)) = (&mut value, inherited) {
        m.entry("apiVersion")
            .or_insert_with(|| Value::String(api_version.clone()));
        m.entry("kind")
            .or_insert_with(|| Value::String(kind.clone()));
    }
    out.push(Object {
        reference: ObjectRef {
            api_version,
            kind,
            namespace,
            name,
        },
        document,
        item,
        source: None,
        body: value,
    });
    Ok(())
}

impl Object {
    /// An error about `field` of this object, naming its document (and source, when known).
    pub(crate) fn field_error(&self, field: &str, reason: String) -> ManifestError {
        let error = ManifestError::Field {
            document: self.document,
            item: self.item,
            kind: self.reference.kind.clone(),
            name: self.reference.name.clone(),
            field: field.to_owned(),
            reason,
        };
        match &self.source {
            Some(name) => ManifestError::In {
                source_name: name.to_string(),
                error: Box::new(error),
            },
            None => error,
        }
    }
}

/// The JSON type of a value, for messages.
pub(crate) fn json_type(value: &Value) -> &'static str {
    match value {
        Value::Null => "null",
        Value::Bool(_) => "a boolean",
        Value::Number(_) => "a number",
        Value::String(_) => "a string",
        Value::Array(_) => "a list",
        Value::Object(_) => "a mapping",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn typed_list_items_inherit_kind() {
        let text = r#"{"apiVersion":"cluster.x-k8s.io/v1beta1","kind":"ClusterList","items":[{"metadata":{"name":"a","namespace":"n"}}]}"#;
        let objects = read_objects(text).unwrap();
        assert_eq!(
            objects[0].reference,
            ObjectRef::new("cluster.x-k8s.io/v1beta1", "Cluster", Some("n"), "a")
        );
    }

    #[test]
    fn json_stream_of_objects() {
        let text = r#"{"apiVersion":"v1","kind":"A"} {"apiVersion":"v1","kind":"B"}"#;
        let kinds: Vec<String> = read_objects(text)
            .unwrap()
            .into_iter()
            .map(|o| o.reference.kind)
            .collect();
        assert_eq!(kinds, ["A", "B"]);
    }

    #[test]
    fn scalar_document_names_its_index() {
        let err = read_objects("apiVersion: v1\nkind: A\n---\nhello\n").unwrap_err();
        assert_eq!(
            err.to_string(),
            "document 2: expected a Kubernetes object (a mapping with apiVersion and kind), found a string"
        );
    }

    #[test]
    fn empty_documents_are_skipped() {
        assert!(read_objects("---\n# only a comment\n---\n")
            .unwrap()
            .is_empty());
        assert!(read_objects("").unwrap().is_empty());
    }

    #[test]
    fn alias_bomb_is_an_error_not_a_hang() {
        let mut text = String::from("a0: &a0 [x, x, x, x, x, x, x, x, x]\n");
        for i in 1..12 {
            let p = i - 1;
            text.push_str(&format!(
                "a{i}: &a{i} [*a{p}, *a{p}, *a{p}, *a{p}, *a{p}, *a{p}, *a{p}, *a{p}, *a{p}]\n"
            ));
        }
        assert!(read_objects(&text).is_err());
    }
}
