//! What a scan leaves out of the directories it walks: `--exclude` patterns and
//! `--one-file-system`, as `du` and `find` users know them.

use std::path::Path;

/// How a scan walks the directories it is given.
///
/// Pseudo file systems (proc, sysfs, cgroup, ...) are never walked, whatever the options:
/// they hold no binaries, and reading them can block or fail half-way.
///
/// ```
/// use fips_core::ScanOptions;
/// let options = ScanOptions { exclude: vec!["/var/lib/docker".into(), "*.so".into()],
///                             one_file_system: true };
/// assert!(options.excludes(std::path::Path::new("/var/lib/docker/overlay2/x")));
/// assert!(options.excludes(std::path::Path::new("/usr/lib/libz.so")));
/// assert!(!options.excludes(std::path::Path::new("/usr/bin/kubelet")));
/// ```
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct ScanOptions {
    /// Paths or glob patterns (`*`, `?`, `[...]`) left out of the walk, with everything under
    /// them. A pattern with a `/` matches the whole path as shown (a plain path also matches
    /// what is under it, as `du --exclude` and `find -path ... -prune` do); one without a `/`
    /// matches a file or directory name at any depth.
    pub exclude: Vec<String>,
    /// Do not cross into other file systems (by device number, as `du -x` and
    /// `find -xdev`): a mount point met by the walk is not entered.
    pub one_file_system: bool,
}

impl ScanOptions {
    /// True when a path met by the walk is excluded (see [`ScanOptions::exclude`]).
    ///
    /// ```
    /// use fips_core::ScanOptions;
    /// let options = ScanOptions { exclude: vec!["/proc".into()], ..Default::default() };
    /// assert!(options.excludes(std::path::Path::new("/proc/1/fdinfo")));
    /// assert!(!options.excludes(std::path::Path::new("/procfs")));
    /// ```
    pub fn excludes(&self, path: &Path) -> bool {
        let Some(text) = path.to_str() else {
            // Patterns are text; a path that is not UTF-8 matches only by its name below.
            return self.exclude.iter().any(|p| {
                !p.contains('/')
                    && path
                        .file_name()
                        .and_then(|n| n.to_str())
                        .is_some_and(|n| glob_matches(p, n))
            });
        };
        self.exclude.iter().any(|pattern| {
            if pattern.contains('/') {
                let pattern = pattern.trim_end_matches('/');
                let pattern = if pattern.is_empty() { "/" } else { pattern };
                glob_matches(pattern, text)
                    || text
                        .strip_prefix(pattern)
                        .is_some_and(|rest| rest.starts_with('/') || pattern == "/")
                    || ancestors_match(pattern, path)
            } else {
                path.file_name()
                    .and_then(|n| n.to_str())
                    .is_some_and(|n| glob_matches(pattern, n))
            }
        })
    }
}

/// A glob with a `/` matches a directory above the path too (`/var/*/docker` excludes
/// `/var/lib/docker/x`).
fn ancestors_match(pattern: &str, path: &Path) -> bool {
    path.ancestors()
        .skip(1)
        .filter_map(Path::to_str)
        .any(|a| glob_matches(pattern, a))
}

/// fnmatch(3) without flags, as `du --exclude` uses it: `*` and `?` match any character
/// (`/` included), `[...]` a set (`!` or `^` negates, `a-z` ranges), `\` escapes.
fn glob_matches(pattern: &str, text: &str) -> bool {
    let p: Vec<char> = pattern.chars().collect();
    let t: Vec<char> = text.chars().collect();
    // Iterative matching with one backtrack point for the last `*`: linear in practice and
    // never exponential.
    let (mut pi, mut ti) = (0, 0);
    let mut star: Option<(usize, usize)> = None;
    while ti < t.len() {
        let step = match p.get(pi) {
            Some('*') => {
                star = Some((pi, ti));
                pi += 1;
                continue;
            }
            Some('?') => Some(pi + 1),
            Some('[') => match_set(&p, pi, t[ti]),
            Some('\\') if pi + 1 < p.len() => (p[pi + 1] == t[ti]).then_some(pi + 2),
            Some(&c) => (c == t[ti]).then_some(pi + 1),
            None => None,
        };
        match step {
            Some(next) => {
                pi = next;
                ti += 1;
            }
            None => match star {
                Some((sp, st)) => {
                    pi = sp + 1;
                    ti = st + 1;
                    star = Some((sp, st + 1));
                }
                None => return false,
            },
        }
    }
    p[pi..].iter().all(|&c| c == '*')
}

/// Matches `c` against the set starting at `p[at] == '['`; the index after the set when it
/// matches. An unclosed `[` is a literal `[`.
fn match_set(p: &[char], at: usize, c: char) -> Option<usize> {
    let mut i = at + 1;
    let negate = matches!(p.get(i), Some('!' | '^'));
    if negate {
        i += 1;
    }
    let mut matched = false;
    let mut first = true;
    while let Some(&ch) = p.get(i) {
        if ch == ']' && !first {
            return (matched != negate).then_some(i + 1);
        }
        first = false;
        if p.get(i + 1) == Some(&'-') && p.get(i + 2).is_some_and(|&e| e != ']') {
            if (ch..=p[i + 2]).contains(&c) {
                matched = true;
            }
            i += 3;
        } else {
            if ch == c {
                matched = true;
            }
            i += 1;
        }
    }
    (c == '[').then_some(at + 1)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn globs_match_as_fnmatch_does() {
        for (pattern, text, expected) in [
            ("*.so", "libz.so", true),
            ("*.so", "libz.so.1", false),
            ("lib?.so", "libz.so", true),
            ("[a-c]at", "bat", true),
            ("[!a-c]at", "bat", false),
            ("/var/*", "/var/lib/docker", true),
            ("\\*", "*", true),
            ("\\*", "x", false),
            ("a[", "a[", true),
            ("**", "", true),
        ] {
            assert_eq!(glob_matches(pattern, text), expected, "{pattern} {text}");
        }
    }

    #[test]
    fn a_plain_path_excludes_what_is_under_it_and_nothing_beside_it() {
        let o = ScanOptions {
            exclude: vec!["/proc/".into(), "/var/*/docker".into()],
            one_file_system: false,
        };
        assert!(o.excludes(Path::new("/proc")));
        assert!(o.excludes(Path::new("/proc/1/fdinfo")));
        assert!(!o.excludes(Path::new("/process")));
        assert!(o.excludes(Path::new("/var/lib/docker/x/y")));
        assert!(!o.excludes(Path::new("/var/lib")));
    }
}
