//! The final filesystem of an image: layers applied in order, as a container runtime applies
//! them (OCI image spec, "Applying Changesets"), and symlinks resolved inside it.
//!
//! A later entry replaces an earlier one (and, unless it is a directory, everything below
//! it), `.wh.<name>` deletes `<name>` of lower layers and `.wh..wh..opq` empties its
//! directory of lower layers' entries. Paths are bytes, normalised inside the image, so a
//! whiteout deletes exactly the path it names. The overlay knows entries, not where their
//! layers came from.

use std::collections::BTreeMap;

use super::layer::{Entry, EntryKind, FileData};

/// Symlinks followed for one path at most (Linux's limit, as the host probe's root).
const MAX_SYMLINK_HOPS: usize = 40;

/// A node of the final tree.
#[derive(Clone, Debug)]
pub(crate) enum Node {
    /// A file: the index of the layer that holds its data, and the data.
    File {
        layer: usize,
        data: FileData,
    },
    Symlink(Vec<u8>),
}

#[derive(Clone, Debug)]
struct Placed {
    /// The layer that put this path here (whiteouts remove lower layers' paths only).
    by: usize,
    node: Node,
}

/// The final tree, by path.
#[derive(Debug, Default)]
pub(crate) struct Overlay {
    nodes: BTreeMap<Vec<u8>, Placed>,
}

/// What a symlink leads to.
#[derive(Debug)]
pub(crate) enum Resolved<'a> {
    /// A file: the layer holding its data, and the data.
    File(usize, &'a FileData),
    /// Nothing (a dangling link, or a directory).
    Missing,
    /// More than 40 links: a loop.
    Loop,
}

impl Overlay {
    /// Applies layer number `layer` (`data_layer` holds the data of its files).
    pub(crate) fn apply(&mut self, layer: usize, data_layer: usize, entries: &[Entry]) {
        for e in entries {
            self.apply_one(layer, data_layer, e);
        }
    }

    fn apply_one(&mut self, layer: usize, data_layer: usize, e: &Entry) {
        let path = &e.path;
        if path.is_empty() {
            return;
        }
        let (parent, name) = match path.iter().rposition(|b| *b == b'/') {
            Some(i) => (&path[..i], &path[i + 1..]),
            None => (&path[..0], &path[..]),
        };
        if name == b".wh..wh..opq" {
            self.remove_under(parent, layer);
            return;
        }
        if let Some(hidden) = name.strip_prefix(b".wh.") {
            let mut target = parent.to_vec();
            if !target.is_empty() {
                target.push(b'/');
            }
            target.extend_from_slice(hidden);
            if self.nodes.get(&target).is_some_and(|p| p.by < layer) {
                self.nodes.remove(&target);
            }
            self.remove_under(&target, layer);
            return;
        }
        self.nodes.remove(path);
        let node = match &e.kind {
            EntryKind::Dir => return,
            EntryKind::File(data) => Node::File {
                layer: data_layer,
                data: data.clone(),
            },
            EntryKind::Symlink(target) => Node::Symlink(target.clone()),
            EntryKind::HardLink(target) => match self.nodes.get(target) {
                Some(p) => p.node.clone(),
                None => {
                    self.remove_under(path, usize::MAX);
                    return;
                }
            },
            EntryKind::Other => {
                self.remove_under(path, usize::MAX);
                return;
            }
        };
        self.remove_under(path, usize::MAX);
        self.nodes.insert(path.clone(), Placed { by: layer, node });
    }

    /// Removes the paths below `dir` put there by layers lower than `layer`.
    fn remove_under(&mut self, dir: &[u8], layer: usize) {
        let doomed: Vec<Vec<u8>> = if dir.is_empty() {
            self.nodes
                .iter()
                .filter(|(_, p)| p.by < layer)
                .map(|(k, _)| k.clone())
                .collect()
        } else {
            // Keys below `dir` are those in [dir + "/", dir + "0"): '0' follows '/'.
            let mut from = dir.to_vec();
            from.push(b'/');
            let mut to = dir.to_vec();
            to.push(b'0');
            self.nodes
                .range(from..to)
                .filter(|(_, p)| p.by < layer)
                .map(|(k, _)| k.clone())
                .collect()
        };
        for k in doomed {
            self.nodes.remove(&k);
        }
    }

    /// Every node, by path.
    pub(crate) fn nodes(&self) -> impl Iterator<Item = (&Vec<u8>, &Node)> {
        self.nodes.iter().map(|(k, p)| (k, &p.node))
    }

    /// Follows the symlink at `path` inside the image: an absolute target restarts at the
    /// image's root, `..` never climbs above it, every component may itself be a link.
    pub(crate) fn resolve(&self, path: &[u8]) -> Resolved<'_> {
        let mut pending: Vec<Vec<u8>> = components(path);
        let mut cur: Vec<Vec<u8>> = Vec::new();
        let mut hops = 0;
        while let Some(c) = pending.pop() {
            match c.as_slice() {
                b"." => continue,
                b".." => {
                    cur.pop();
                    continue;
                }
                _ => {}
            }
            cur.push(c);
            let here = cur.join(&b'/');
            match self.nodes.get(&here).map(|p| &p.node) {
                Some(Node::Symlink(target)) => {
                    hops += 1;
                    if hops > MAX_SYMLINK_HOPS {
                        return Resolved::Loop;
                    }
                    cur.pop();
                    if target.first() == Some(&b'/') {
                        cur.clear();
                    }
                    pending.extend(components(target));
                }
                Some(Node::File { layer, data }) => {
                    if pending.is_empty() {
                        return Resolved::File(*layer, data);
                    }
                    return Resolved::Missing;
                }
                None => {}
            }
        }
        Resolved::Missing
    }
}

/// The components of a path, reversed (the next one to walk is last).
fn components(path: &[u8]) -> Vec<Vec<u8>> {
    path.split(|b| *b == b'/')
        .filter(|c| !c.is_empty())
        .rev()
        .map(<[u8]>::to_vec)
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn file(path: &[u8]) -> Entry {
        Entry {
            path: path.to_vec(),
            kind: EntryKind::File(FileData {
                head: b"\x7fELF".to_vec(),
                spilled: None,
            }),
        }
    }

    fn link(path: &[u8], target: &[u8]) -> Entry {
        Entry {
            path: path.to_vec(),
            kind: EntryKind::Symlink(target.to_vec()),
        }
    }

    #[test]
    fn whiteouts_remove_lower_layers_only() {
        let mut o = Overlay::default();
        o.apply(
            0,
            0,
            &[file(b"usr/bin/a"), file(b"usr/bin0"), file(b"usr/binx/c")],
        );
        o.apply(1, 1, &[file(b"usr/bin/b"), file(b"usr/.wh.bin")]);
        let left: Vec<_> = o.nodes().map(|(k, _)| k.clone()).collect();
        assert_eq!(
            left,
            [
                b"usr/bin/b".to_vec(),
                b"usr/bin0".to_vec(),
                b"usr/binx/c".to_vec()
            ]
        );
    }

    #[test]
    fn symlinks_resolve_inside_the_image() {
        let mut o = Overlay::default();
        o.apply(
            0,
            0,
            &[
                file(b"usr/local/bin/kubectl"),
                link(b"usr/bin/kubectl", b"/usr/local/bin/kubectl"),
                link(b"bin", b"usr/bin"),
                link(b"up", b"../../../usr/local/bin/kubectl"),
                link(b"loop", b"loop"),
                link(b"away", b"/etc/passwd"),
            ],
        );
        for p in [&b"usr/bin/kubectl"[..], b"bin/kubectl", b"up"] {
            match o.resolve(p) {
                Resolved::File(0, _) => {}
                other => panic!("{other:?}"),
            }
        }
        assert!(matches!(o.resolve(b"loop"), Resolved::Loop));
        assert!(matches!(o.resolve(b"away"), Resolved::Missing));
    }
}
