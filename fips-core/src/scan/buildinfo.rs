//! Go build information, as `go version -m` prints it.
//!
//! The linker stores two strings in the binary: the Go version (`go1.26.8-X:boringcrypto`)
//! and the module information that `runtime/debug.ParseBuildInfo` reads: `path`, `mod`,
//! `dep`, `=>` and `build` lines, framed by two 16-byte sentinels. This file parses those
//! strings exactly as Go does and prints them back exactly as `go version -m` does; where the
//! strings sit in an ELF file is `elf.rs`'s business.

use std::fmt;

use serde::{
    de::{MapAccess, Visitor},
    ser::SerializeMap,
    Deserialize, Deserializer, Serialize, Serializer,
};

/// The build information of a Go binary: what `go version -m` prints.
///
/// ```
/// use fips_core::GoBuildInfo;
/// let modinfo = "path\texample.com/cmd\nmod\texample.com\t(devel)\t\n\
///                build\t-ldflags=\"-s -w\"\nbuild\tGOEXPERIMENT=boringcrypto\n";
/// let info = GoBuildInfo::parse("go1.26.8-X:boringcrypto", modinfo)?;
/// assert_eq!(info.main.as_ref().unwrap().version, "(devel)");
/// assert_eq!(info.settings.get("-ldflags"), Some("-s -w"));
/// assert_eq!(info.settings.get("GOEXPERIMENT"), Some("boringcrypto"));
/// assert_eq!(
///     info.go_version_m("app"),
///     "app: go1.26.8-X:boringcrypto\n\tpath\texample.com/cmd\n\tmod\texample.com\t(devel)\t\n\
///      \tbuild\t-ldflags=\"-s -w\"\n\tbuild\tGOEXPERIMENT=boringcrypto\n",
/// );
/// # Ok::<(), String>(())
/// ```
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct GoBuildInfo {
    /// The toolchain, e.g. `go1.26.8` or `go1.26.8-X:boringcrypto`.
    pub go_version: String,
    /// The main package's import path (the `path` line), empty when absent.
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub package: String,
    /// The main module (the `mod` line).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub main: Option<GoModule>,
    /// The dependencies (the `dep` lines), in order.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub deps: Vec<GoModule>,
    /// The build settings (the `build` lines), in order, values unquoted.
    #[serde(default)]
    pub settings: BuildSettings,
}

/// A module line: path, version, checksum, and the module that replaced it (`=>`).
///
/// ```
/// use fips_core::GoModule;
/// let m = GoModule { path: "golang.org/x/net".into(), version: "v0.30.0".into(),
///                    sum: "h1:abc=".into(), replace: None };
/// assert_eq!(serde_json::to_string(&m).unwrap(),
///            r#"{"path":"golang.org/x/net","version":"v0.30.0","sum":"h1:abc="}"#);
/// ```
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct GoModule {
    /// The module path.
    pub path: String,
    /// The version, or `(devel)`.
    pub version: String,
    /// The `h1:` checksum; empty when the binary records none.
    #[serde(default)]
    pub sum: String,
    /// The replacement, when a `=>` line follows.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub replace: Option<Box<GoModule>>,
}

/// Build settings in the order the binary records them; serialized as a JSON object.
///
/// ```
/// use fips_core::BuildSettings;
/// let s = BuildSettings(vec![("GOOS".into(), "linux".into()), ("CGO_ENABLED".into(), "1".into())]);
/// assert_eq!(s.get("CGO_ENABLED"), Some("1"));
/// assert_eq!(serde_json::to_string(&s).unwrap(), r#"{"GOOS":"linux","CGO_ENABLED":"1"}"#);
/// ```
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct BuildSettings(pub Vec<(String, String)>);

impl BuildSettings {
    /// The value of the last setting named `key` (Go keeps the last one too).
    pub fn get(&self, key: &str) -> Option<&str> {
        self.0
            .iter()
            .rev()
            .find(|(k, _)| k == key)
            .map(|(_, v)| v.as_str())
    }

    /// True when there is no setting.
    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }
}

impl Serialize for BuildSettings {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let mut map = s.serialize_map(Some(self.0.len()))?;
        for (k, v) in &self.0 {
            map.serialize_entry(k, v)?;
        }
        map.end()
    }
}

impl<'de> Deserialize<'de> for BuildSettings {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct Ordered;
        impl<'de> Visitor<'de> for Ordered {
            type Value = BuildSettings;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("a map of build setting names to values")
            }
            fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<BuildSettings, A::Error> {
                let mut out = Vec::new();
                while let Some((k, v)) = map.next_entry::<String, String>()? {
                    out.push((k, v));
                }
                Ok(BuildSettings(out))
            }
        }
        d.deserialize_map(Ordered)
    }
}

/// The sentinels cmd/go puts around the module information (`modload.infoStart`/`infoEnd`);
/// `debug/buildinfo` strips 16 bytes from each end when the 17th from the end is `\n`.
pub(crate) fn strip_framing(modinfo: &[u8]) -> &[u8] {
    let n = modinfo.len();
    if n >= 33 && modinfo[n - 17] == b'\n' {
        &modinfo[16..n - 16]
    } else {
        &[]
    }
}

impl GoBuildInfo {
    /// Parses the version string and the (unframed) module information, line by line as
    /// `runtime/debug.ParseBuildInfo` does. Errors name the line, as Go's do.
    pub fn parse(go_version: &str, modinfo: &str) -> Result<GoBuildInfo, String> {
        let mut info = GoBuildInfo {
            go_version: go_version.to_owned(),
            ..GoBuildInfo::default()
        };
        // Which module a `=>` line replaces: None, Main, or Dep(index).
        enum Last {
            None,
            Main,
            Dep(usize),
        }
        let mut last = Last::None;
        let mut rest = modinfo;
        let mut line_num = 1;
        let err =
            |n: usize, what: String| format!("could not parse Go build info: line {n}: {what}");
        while let Some((line, tail)) = rest.split_once('\n') {
            rest = tail;
            if let Some(p) = line.strip_prefix("path\t") {
                info.package = p.to_owned();
            } else if let Some(m) = line.strip_prefix("mod\t") {
                info.main = Some(module_line(m).map_err(|e| err(line_num, e))?);
                last = Last::Main;
            } else if let Some(m) = line.strip_prefix("dep\t") {
                info.deps
                    .push(module_line(m).map_err(|e| err(line_num, e))?);
                last = Last::Dep(info.deps.len() - 1);
            } else if let Some(m) = line.strip_prefix("=>\t") {
                let elem: Vec<&str> = m.split('\t').collect();
                if elem.len() != 3 {
                    return Err(err(
                        line_num,
                        format!("expected 3 columns for replacement; got {}", elem.len()),
                    ));
                }
                let replacement = Box::new(GoModule {
                    path: elem[0].into(),
                    version: elem[1].into(),
                    sum: elem[2].into(),
                    replace: None,
                });
                let target = match last {
                    Last::None => None,
                    Last::Main => info.main.as_mut(),
                    Last::Dep(i) => info.deps.get_mut(i),
                };
                match target {
                    Some(module) => module.replace = Some(replacement),
                    None => {
                        return Err(err(
                            line_num,
                            "replacement with no module on previous line".into(),
                        ))
                    }
                }
                last = Last::None;
            } else if let Some(kv) = line.strip_prefix("build\t") {
                info.settings
                    .0
                    .push(build_line(kv).map_err(|e| err(line_num, e))?);
            }
            line_num += 1;
        }
        Ok(info)
    }

    /// What `go version -m <file>` prints for this binary, byte for byte (with `file` as
    /// the name it was given).
    pub fn go_version_m(&self, file: &str) -> String {
        let mut out = format!("{file}: {}\n", self.go_version);
        let body = self.modinfo_string();
        for line in body.lines() {
            out.push('\t');
            out.push_str(line);
            out.push('\n');
        }
        out
    }

    /// The module information as `runtime/debug.BuildInfo.String` writes it (without the
    /// `go` line, as `go version -m` prints it).
    fn modinfo_string(&self) -> String {
        let mut buf = String::new();
        if !self.package.is_empty() {
            buf.push_str(&format!("path\t{}\n", self.package));
        }
        fn format_mod(buf: &mut String, word: &str, m: &GoModule) {
            buf.push_str(&format!("{word}\t{}\t{}", m.path, m.version));
            match &m.replace {
                None => buf.push_str(&format!("\t{}", m.sum)),
                Some(r) => {
                    buf.push('\n');
                    format_mod(buf, "=>", r);
                }
            }
            buf.push('\n');
        }
        if let Some(main) = &self.main {
            format_mod(&mut buf, "mod", main);
        }
        for dep in &self.deps {
            format_mod(&mut buf, "dep", dep);
        }
        for (key, value) in &self.settings.0 {
            let key = if quote_key(key) {
                go_quote(key)
            } else {
                key.clone()
            };
            let value = if quote_value(value) {
                go_quote(value)
            } else {
                value.clone()
            };
            buf.push_str(&format!("build\t{key}={value}\n"));
        }
        buf
    }
}

fn module_line(text: &str) -> Result<GoModule, String> {
    let elem: Vec<&str> = text.split('\t').collect();
    if elem.len() != 2 && elem.len() != 3 {
        return Err(format!("expected 2 or 3 columns; got {}", elem.len()));
    }
    Ok(GoModule {
        path: elem[0].into(),
        version: elem[1].into(),
        sum: elem.get(2).copied().unwrap_or_default().into(),
        replace: None,
    })
}

fn build_line(kv: &str) -> Result<(String, String), String> {
    let (key, raw_value) = match kv.as_bytes().first() {
        None => return Err("build line missing '='".into()),
        Some(b'=') => return Err("build line with missing key".into()),
        Some(b'"' | b'`') => {
            let raw_key = quoted_prefix(kv).ok_or("invalid quoted key in build line")?;
            let after = &kv[raw_key.len()..];
            match after.chars().next() {
                None => return Err("build line missing '=' after quoted key".into()),
                Some('=') => {}
                Some(c) => return Err(format!("unexpected character after quoted key: {c:?}")),
            }
            (
                go_unquote(raw_key).ok_or("invalid quoted key in build line")?,
                &after[1..],
            )
        }
        Some(_) => {
            let (key, value) = kv
                .split_once('=')
                .ok_or("build line missing '=' after key")?;
            if quote_key(key) {
                return Err(format!("unquoted key {key:?} must be quoted"));
            }
            (key.to_owned(), value)
        }
    };
    let value = match raw_value.as_bytes().first() {
        None => String::new(),
        Some(b'"' | b'`') => go_unquote(raw_value).ok_or("invalid quoted value in build line")?,
        Some(_) => {
            if quote_value(raw_value) {
                return Err(format!("unquoted value {raw_value:?} must be quoted"));
            }
            raw_value.to_owned()
        }
    };
    Ok((key, value))
}

fn quote_key(key: &str) -> bool {
    key.is_empty() || key.contains(['=', ' ', '\t', '\r', '\n', '"', '`'])
}

fn quote_value(value: &str) -> bool {
    value.contains([' ', '\t', '\r', '\n', '"', '`'])
}

/// Go's `strconv.Quote`: printable runes as they are, the rest escaped.
pub(crate) fn go_quote(s: &str) -> String {
    let mut out = String::with_capacity(s.len() + 2);
    out.push('"');
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\u{7}' => out.push_str("\\a"),
            '\u{8}' => out.push_str("\\b"),
            '\u{c}' => out.push_str("\\f"),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            '\u{b}' => out.push_str("\\v"),
            c if (c as u32) < 0x20 || c as u32 == 0x7f => {
                out.push_str(&format!("\\x{:02x}", c as u32))
            }
            c if c.is_control() => {
                if (c as u32) < 0x10000 {
                    out.push_str(&format!("\\u{:04x}", c as u32))
                } else {
                    out.push_str(&format!("\\U{:08x}", c as u32))
                }
            }
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

/// The quoted string at the start of `s` (`strconv.QuotedPrefix`), quotes included.
fn quoted_prefix(s: &str) -> Option<&str> {
    let quote = s.chars().next()?;
    let mut escaped = false;
    for (i, c) in s.char_indices().skip(1) {
        if quote == '`' {
            if c == '`' {
                return Some(&s[..=i]);
            }
            continue;
        }
        match c {
            '\n' => return None,
            _ if escaped => escaped = false,
            '\\' => escaped = true,
            '"' => return Some(&s[..=i]),
            _ => {}
        }
    }
    None
}

/// Go's `strconv.Unquote` for double-quoted and back-quoted strings.
pub(crate) fn go_unquote(s: &str) -> Option<String> {
    if let Some(inner) = s.strip_prefix('`').and_then(|r| r.strip_suffix('`')) {
        return (!inner.contains('`')).then(|| inner.replace('\r', ""));
    }
    let inner = s.strip_prefix('"')?.strip_suffix('"')?;
    let mut out = String::with_capacity(inner.len());
    let mut chars = inner.chars();
    while let Some(c) = chars.next() {
        match c {
            '"' | '\n' => return None,
            '\\' => {}
            c => {
                out.push(c);
                continue;
            }
        }
        let esc = chars.next()?;
        let mut hex = |n: usize| -> Option<u32> {
            let digits: String = chars.by_ref().take(n).collect();
            (digits.len() == n)
                .then(|| u32::from_str_radix(&digits, 16).ok())
                .flatten()
        };
        match esc {
            'a' => out.push('\u{7}'),
            'b' => out.push('\u{8}'),
            'f' => out.push('\u{c}'),
            'n' => out.push('\n'),
            'r' => out.push('\r'),
            't' => out.push('\t'),
            'v' => out.push('\u{b}'),
            '\\' => out.push('\\'),
            '"' => out.push('"'),
            // Only whole UTF-8 strings are kept: a lone \xNN byte above 0x7f is refused.
            'x' => out.push(char::from_u32(hex(2)?).filter(char::is_ascii)?),
            'u' => out.push(char::from_u32(hex(4)?)?),
            'U' => out.push(char::from_u32(hex(8)?)?),
            _ => return None,
        }
    }
    Some(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    // The format is runtime/debug.BuildInfo.String (Go source, src/runtime/debug/mod.go).
    const MODINFO: &str = "path\tgo.etcd.io/etcd/server/v3\n\
        mod\tgo.etcd.io/etcd/server/v3\tv3.5.17\th1:abc=\n\
        dep\tgithub.com/a/b\tv1.0.0\th1:def=\n\
        dep\tgithub.com/c/d\tv1.2.0\n\
        =>\tgithub.com/e/d\tv1.2.1\th1:ghi=\n\
        build\t-ldflags=\"-s -w -X main.v=1\"\n\
        build\t\"we=ird\"=x\n\
        build\tCGO_ENABLED=0\n\
        build\tGOFIPS140=v1.0.0-c2097c7c\n";

    #[test]
    fn parses_and_prints_back() {
        let info = GoBuildInfo::parse("go1.24.1", MODINFO).unwrap();
        assert_eq!(info.package, "go.etcd.io/etcd/server/v3");
        assert_eq!(info.deps.len(), 2);
        assert_eq!(
            info.deps[1].replace.as_ref().unwrap().path,
            "github.com/e/d"
        );
        assert_eq!(info.settings.get("-ldflags"), Some("-s -w -X main.v=1"));
        assert_eq!(info.settings.get("we=ird"), Some("x"));
        // BuildInfo.String writes a newline after a replacement and another after the module
        // it replaces, so `go version -m` prints an empty line there; so do we.
        let expected = "f: go1.24.1\n\tpath\tgo.etcd.io/etcd/server/v3\n\
            \tmod\tgo.etcd.io/etcd/server/v3\tv3.5.17\th1:abc=\n\
            \tdep\tgithub.com/a/b\tv1.0.0\th1:def=\n\
            \tdep\tgithub.com/c/d\tv1.2.0\n\
            \t=>\tgithub.com/e/d\tv1.2.1\th1:ghi=\n\
            \t\n\
            \tbuild\t-ldflags=\"-s -w -X main.v=1\"\n\
            \tbuild\t\"we=ird\"=x\n\
            \tbuild\tCGO_ENABLED=0\n\
            \tbuild\tGOFIPS140=v1.0.0-c2097c7c\n";
        assert_eq!(info.go_version_m("f"), expected);
        // And the printed form parses back to the same information.
        let body: String = expected
            .lines()
            .skip(1)
            .map(|l| format!("{}\n", &l[1..]))
            .collect();
        assert_eq!(GoBuildInfo::parse("go1.24.1", &body).unwrap(), info);
    }

    #[test]
    fn rejects_what_go_rejects() {
        for (bad, msg) in [
            (
                "=>\ta\tb\tc\n",
                "line 1: replacement with no module on previous line",
            ),
            ("mod\ta\n", "line 1: expected 2 or 3 columns; got 1"),
            (
                "path\tx\nbuild\t=v\n",
                "line 2: build line with missing key",
            ),
            ("build\tk v\n", "line 1: build line missing '=' after key"),
            (
                "build\tk=a b\n",
                "line 1: unquoted value \"a b\" must be quoted",
            ),
            ("build\t\"k\n", "line 1: invalid quoted key in build line"),
        ] {
            let err = GoBuildInfo::parse("go1", bad).unwrap_err();
            assert!(err.ends_with(msg), "{bad:?}: {err}");
        }
    }

    #[test]
    fn quoting_round_trips() {
        for s in [
            "a b",
            "tab\there",
            "q\"uote",
            "back\\slash",
            "\u{1}ctl",
            "é ü",
        ] {
            assert_eq!(go_unquote(&go_quote(s)).as_deref(), Some(s), "{s:?}");
        }
        assert_eq!(go_unquote("`raw \\n`").as_deref(), Some("raw \\n"));
        assert_eq!(go_unquote("\"\\xff\""), None);
    }

    fn module() -> impl proptest::strategy::Strategy<Value = GoModule> {
        use proptest::prelude::*;
        let word = "[a-z0-9./()+~-]{1,20}";
        (
            word,
            word,
            "(h1:[A-Za-z0-9+/=]{4,10})?",
            proptest::option::of((word, word, "(h1:[a-z]{3})?")),
        )
            // Go prints no sum for a module that was replaced (its replacement has one).
            .prop_map(|(path, version, sum, replace)| GoModule {
                path,
                version,
                sum: if replace.is_some() {
                    String::new()
                } else {
                    sum
                },
                replace: replace.map(|(path, version, sum)| {
                    Box::new(GoModule {
                        path,
                        version,
                        sum,
                        replace: None,
                    })
                }),
            })
    }

    proptest::proptest! {
        /// Printing as `go version -m` does and parsing back is the identity, whatever the
        /// settings hold (quotes, spaces, tabs, newlines, `=`, empty keys and values).
        #[test]
        fn print_then_parse_is_identity(
            package in "[a-z0-9./-]{0,20}",
            main in proptest::option::of(module()),
            deps in proptest::collection::vec(module(), 0..4),
            settings in proptest::collection::vec(("\\PC{0,8}", "\\PC{0,12}|[ \t\n\"`=]{0,4}"), 0..6),
        ) {
            let info = GoBuildInfo {
                go_version: "go1.26.8".into(),
                package,
                main,
                deps,
                settings: BuildSettings(settings),
            };
            let printed = info.go_version_m("f");
            let body: String = printed.lines().skip(1).map(|l| format!("{}\n", &l[1..])).collect();
            proptest::prop_assert_eq!(GoBuildInfo::parse("go1.26.8", &body), Ok(info));
        }
    }

    #[test]
    fn framing() {
        let framed = [&[0u8; 16][..], b"path\tx\n", &[0u8; 16]].concat();
        assert_eq!(strip_framing(&framed), b"path\tx\n");
        assert_eq!(strip_framing(b"short"), b"");
    }
}
