//! The kernel command line an OS image will boot with, read as grub builds it.
//!
//! - `etc/default/grub` is a shell file that grub2-mkconfig sources (`.` in `grub-mkconfig`):
//!   quotes, backslash escapes, line continuations, `$VAR` expansion, and a later assignment
//!   overrides an earlier one. The default entry boots with `GRUB_CMDLINE_LINUX` followed by
//!   `GRUB_CMDLINE_LINUX_DEFAULT` (`util/grub.d/10_linux.in`: `"${GRUB_CMDLINE_LINUX}
//!   ${GRUB_CMDLINE_LINUX_DEFAULT}"`), so a `fips=0` in the second undoes a `fips=1` in the
//!   first. What fips-core cannot evaluate (command substitution, statements that are not
//!   assignments) is reported, never guessed.
//! - BLS entries (`boot/loader/entries/*.conf`, the Boot Loader Specification): every
//!   `options` line of an entry, joined by spaces. grub's `blscfg` expands `$name` and
//!   `${name}` from its environment block `boot/grub2/grubenv` (RHEL 8 writes
//!   `options $kernelopts` there and the command line into `kernelopts=`); an unset variable
//!   expands to nothing, as in grub.
//!
//! The command lines themselves are split by [`crate::cmdline`], as the kernel splits them.

use std::collections::HashMap;

use crate::{cmdline::kernel_fips, root::Root, Error};

/// Small files: configs and entries.
const MAX_SMALL_FILE: u64 = 64 * 1024;
/// All BLS entries together; past it the entries are not judged and the bound is reported.
const MAX_BLS_BYTES: usize = 4 * 1024 * 1024;
/// grub's environment block file, as grub2-mkconfig and grub2-editenv write it.
const GRUBENV: &str = "boot/grub2/grubenv";
/// The first line of every grub environment block (`grub-core/lib/envblk.c`).
const GRUBENV_SIGNATURE: &str = "# GRUB Environment Block\n";

/// What the boot configuration says about `fips=`, and what could not be read.
#[derive(Debug, Default)]
pub(crate) struct BootConfig {
    /// The default grub entry's command line ends with FIPS on; `None` without one.
    pub(crate) grub_fips: Option<bool>,
    /// Every BLS entry boots with FIPS on; `None` without entries.
    pub(crate) bls_fips: Option<bool>,
    /// `(field, why)` for each part that could not be judged: never counted as FIPS.
    pub(crate) unreadable: Vec<(&'static str, String)>,
}

/// Reads `etc/default/grub`, `boot/grub2/grubenv` and `boot/loader/entries/*.conf` under `root`.
pub(crate) fn read_boot_config(root: &Root) -> Result<BootConfig, Error> {
    let mut config = BootConfig::default();
    if let Some(text) = root.read_text("etc/default/grub", MAX_SMALL_FILE)? {
        match grub_default_cmdline(&text) {
            Ok(None) => {}
            Ok(Some(cmdline)) => {
                config.grub_fips = Some(kernel_fips(cmdline.as_bytes()) == Some(true))
            }
            Err(why) => config.unreadable.push(("etc/default/grub", why)),
        }
    }
    let env = match root.read_text(GRUBENV, MAX_SMALL_FILE)? {
        None => HashMap::new(),
        Some(text) => grubenv(&text).unwrap_or_else(|why| {
            config.unreadable.push(("boot/grub2/grubenv", why));
            HashMap::new()
        }),
    };
    match bls_entries_fips(root, &env)? {
        Ok(fips) => config.bls_fips = fips,
        Err(why) => config.unreadable.push(("boot/loader/entries", why)),
    }
    Ok(config)
}

/// `Ok(Some(true))` when every BLS entry boots with FIPS on; `Ok(None)` without entries;
/// `Err` when the entries exceed the bound.
fn bls_entries_fips(
    root: &Root,
    env: &HashMap<String, String>,
) -> Result<Result<Option<bool>, String>, Error> {
    let dir = "boot/loader/entries";
    let Some(names) = root.list_dir(dir)? else {
        return Ok(Ok(None));
    };
    let mut all = None;
    let mut total = 0;
    for name in names.iter().filter(|n| n.ends_with(".conf")) {
        let Some(entry) = root.read_text(&format!("{dir}/{name}"), MAX_SMALL_FILE)? else {
            continue;
        };
        total += entry.len();
        if total > MAX_BLS_BYTES {
            return Ok(Err(format!(
                "the BLS entries hold more than {MAX_BLS_BYTES} bytes together; fips reads at most \
                 that, so they were not judged"
            )));
        }
        let options = entry
            .lines()
            .filter_map(|l| l.trim().strip_prefix("options"))
            .filter(|rest| rest.starts_with(char::is_whitespace))
            .collect::<Vec<_>>()
            .join(" ");
        let fips = kernel_fips(expand_grub_vars(&options, env).as_bytes()) == Some(true);
        all = Some(all.unwrap_or(true) && fips);
    }
    Ok(Ok(all))
}

/// grub's environment block: `name=value` lines after the signature, `\` escaping the next
/// byte, `#` lines (the padding) ignored (`grub_envblk_iterate`). grub refuses a block
/// without the signature, and so does this.
fn grubenv(text: &str) -> Result<HashMap<String, String>, String> {
    let Some(body) = text.strip_prefix(GRUBENV_SIGNATURE) else {
        return Err(format!(
            "{GRUBENV} does not start with {:?}: grub ignores it, so its variables are unknown",
            GRUBENV_SIGNATURE.trim_end()
        ));
    };
    let mut vars = HashMap::new();
    let mut chars = body.chars().peekable();
    while chars.peek().is_some() {
        let mut line = String::new();
        while let Some(c) = chars.next() {
            match c {
                '\\' => line.extend(chars.next()),
                '\n' => break,
                c => line.push(c),
            }
        }
        if line.starts_with('#') {
            continue;
        }
        if let Some((name, value)) = line.split_once('=') {
            vars.insert(name.to_owned(), value.to_owned());
        }
    }
    Ok(vars)
}

/// `$name` and `${name}` replaced by their grubenv values (nothing when unset), as grub's
/// `blscfg` expands BLS `options`.
fn expand_grub_vars(text: &str, env: &HashMap<String, String>) -> String {
    let is_name = |c: char| c.is_ascii_alphanumeric() || c == '_';
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(at) = rest.find('$') {
        out.push_str(&rest[..at]);
        let after = &rest[at + 1..];
        let (name, next) = if let Some(braced) = after.strip_prefix('{') {
            match braced.find('}') {
                Some(end) => (&braced[..end], &braced[end + 1..]),
                None => ("", after),
            }
        } else {
            let end = after.find(|c: char| !is_name(c)).unwrap_or(after.len());
            (&after[..end], &after[end..])
        };
        if name.is_empty() {
            out.push('$');
        } else if let Some(value) = env.get(name) {
            out.push_str(value);
        }
        rest = next;
    }
    out.push_str(rest);
    out
}

/// The default entry's command line from `etc/default/grub`: `Ok(None)` when it sets neither
/// variable, `Err` naming what could not be evaluated.
fn grub_default_cmdline(text: &str) -> Result<Option<String>, String> {
    let vars = Shell::run(text);
    let linux = vars.get("GRUB_CMDLINE_LINUX");
    let default = vars.get("GRUB_CMDLINE_LINUX_DEFAULT");
    let value = |v: Option<Value>| match v {
        None => Ok(String::new()),
        Some(Value::Known(s)) => Ok(s),
        Some(Value::Unknown(why)) => Err(why),
    };
    if linux.is_none() && default.is_none() {
        return Ok(None);
    }
    Ok(Some(format!("{} {}", value(linux)?, value(default)?)))
}

/// A shell variable's value, or why it cannot be known without running the shell.
#[derive(Clone, Debug, PartialEq, Eq)]
enum Value {
    Known(String),
    Unknown(String),
}

/// The variables a POSIX shell would hold after sourcing a file of assignments.
struct Shell {
    vars: HashMap<String, Value>,
    /// Set at the first statement that is not an assignment: from there, nothing is known.
    stopped: Option<String>,
}

impl Shell {
    fn run(text: &str) -> Shell {
        let mut shell = Shell {
            vars: HashMap::new(),
            stopped: None,
        };
        let mut words = Words {
            text: text.as_bytes(),
            at: 0,
            line: 1,
        };
        while shell.stopped.is_none() && !words.at_end() {
            if let Err(why) = shell.statement(&mut words) {
                shell.stopped = Some(format!(
                    "line {}: {why}; fips reads only NAME=value assignments, so what the file \
                     sets from there on is unknown",
                    words.line
                ));
            }
        }
        shell
    }

    fn get(&self, name: &str) -> Option<Value> {
        match (&self.stopped, self.vars.get(name)) {
            (Some(why), _) => Some(Value::Unknown(why.clone())),
            (None, value) => value.cloned(),
        }
    }

    /// One statement: blank, comment, or assignments only (`A=1 B=2`, `export A=1`).
    fn statement(&mut self, words: &mut Words<'_>) -> Result<(), String> {
        words.skip_blanks();
        match words.peek() {
            None => return Ok(()),
            Some(b'\n' | b';') => {
                words.bump();
                return Ok(());
            }
            Some(b'#') => {
                words.skip_comment();
                return Ok(());
            }
            Some(_) => {}
        }
        if words.eat_keyword("export") {
            words.skip_blanks();
        }
        let mut assigned = false;
        loop {
            match words.peek() {
                None | Some(b'\n' | b';') if assigned => return Ok(()),
                Some(b'#') if assigned => {
                    words.skip_comment();
                    return Ok(());
                }
                _ => {}
            }
            let Some(name) = words.assignment_name() else {
                return Err("a statement that is not an assignment".into());
            };
            let value = words.word(self)?;
            self.vars.insert(name, value);
            assigned = true;
            words.skip_blanks();
        }
    }

    /// `$NAME` in the file's own terms: unset is empty, as in the shell.
    fn lookup(&self, name: &str) -> Value {
        self.vars
            .get(name)
            .cloned()
            .unwrap_or_else(|| Value::Known(String::new()))
    }
}

/// A cursor over the shell text.
struct Words<'a> {
    text: &'a [u8],
    at: usize,
    line: usize,
}

impl Words<'_> {
    fn at_end(&self) -> bool {
        self.at >= self.text.len()
    }

    fn peek(&self) -> Option<u8> {
        self.text.get(self.at).copied()
    }

    fn bump(&mut self) -> Option<u8> {
        let b = self.peek()?;
        self.at += 1;
        if b == b'\n' {
            self.line += 1;
        }
        Some(b)
    }

    /// Blanks and backslash-newline continuations.
    fn skip_blanks(&mut self) {
        loop {
            match (self.peek(), self.text.get(self.at + 1)) {
                (Some(b' ' | b'\t'), _) => {
                    self.bump();
                }
                (Some(b'\\'), Some(b'\n')) => {
                    self.bump();
                    self.bump();
                }
                _ => return,
            }
        }
    }

    fn skip_comment(&mut self) {
        while self.peek().is_some_and(|b| b != b'\n') {
            self.bump();
        }
    }

    fn eat_keyword(&mut self, keyword: &str) -> bool {
        let end = self.at + keyword.len();
        if self.text.get(self.at..end) == Some(keyword.as_bytes())
            && matches!(self.text.get(end), Some(b' ' | b'\t'))
        {
            self.at = end;
            true
        } else {
            false
        }
    }

    /// `NAME=` (consumed) when the statement goes on with an assignment.
    fn assignment_name(&mut self) -> Option<String> {
        let rest = &self.text[self.at..];
        let len = rest
            .iter()
            .position(|b| !(b.is_ascii_alphanumeric() || *b == b'_'))
            .unwrap_or(rest.len());
        if len == 0 || rest[0].is_ascii_digit() || rest.get(len) != Some(&b'=') {
            return None;
        }
        let name = String::from_utf8_lossy(&rest[..len]).into_owned();
        self.at += len + 1;
        Some(name)
    }

    /// The value of an assignment: quotes removed, escapes and `$NAME` applied; no field
    /// splitting or globbing (POSIX: neither applies to assignments).
    fn word(&mut self, shell: &Shell) -> Result<Value, String> {
        let mut out = Vec::new();
        let mut unknown = None;
        while let Some(b) = self.peek() {
            match b {
                b' ' | b'\t' | b'\n' | b';' => break,
                b'&' | b'|' | b'<' | b'>' | b'(' | b')' => {
                    return Err(format!("the shell operator {:?}", char::from(b)))
                }
                b'\\' => {
                    self.bump();
                    match self.bump() {
                        Some(b'\n') | None => {}
                        Some(c) => out.push(c),
                    }
                }
                b'\'' => {
                    self.bump();
                    loop {
                        match self.bump() {
                            None => return Err("an unterminated single quote".into()),
                            Some(b'\'') => break,
                            Some(c) => out.push(c),
                        }
                    }
                }
                b'"' => {
                    self.bump();
                    loop {
                        match self.peek() {
                            None => return Err("an unterminated double quote".into()),
                            Some(b'"') => {
                                self.bump();
                                break;
                            }
                            Some(b'\\') => {
                                self.bump();
                                match self.bump() {
                                    Some(b'\n') => {}
                                    Some(c @ (b'$' | b'`' | b'"' | b'\\')) => out.push(c),
                                    Some(c) => out.extend([b'\\', c]),
                                    None => return Err("an unterminated double quote".into()),
                                }
                            }
                            Some(b'$' | b'`') => self.expansion(shell, &mut out, &mut unknown)?,
                            Some(c) => {
                                self.bump();
                                out.push(c);
                            }
                        }
                    }
                }
                b'$' | b'`' => self.expansion(shell, &mut out, &mut unknown)?,
                c => {
                    self.bump();
                    out.push(c);
                }
            }
        }
        Ok(match unknown {
            Some(why) => Value::Unknown(why),
            None => Value::Known(String::from_utf8_lossy(&out).into_owned()),
        })
    }

    /// `$NAME`, `${NAME}`; anything else that expands (command substitution, parameter
    /// operators, special parameters) makes the value unknown.
    fn expansion(
        &mut self,
        shell: &Shell,
        out: &mut Vec<u8>,
        unknown: &mut Option<String>,
    ) -> Result<(), String> {
        let line = self.line;
        let cannot = |unknown: &mut Option<String>, what: &str| {
            unknown.get_or_insert_with(|| format!("line {line}: {what} cannot be evaluated"));
        };
        if self.bump() == Some(b'`') {
            self.skip_until_closing(b'`')?;
            cannot(unknown, "a command substitution (`...`)");
            return Ok(());
        }
        let is_name = |b: &u8| b.is_ascii_alphanumeric() || *b == b'_';
        match self.peek() {
            Some(b'(') => {
                self.bump();
                self.skip_until_closing(b')')?;
                cannot(unknown, "a command substitution $(...)");
            }
            Some(b'{') => {
                self.bump();
                let rest = &self.text[self.at..];
                let Some(end) = rest.iter().position(|&b| b == b'}') else {
                    return Err("an unterminated ${".into());
                };
                let inner = String::from_utf8_lossy(&rest[..end]).into_owned();
                self.at += end + 1;
                if !inner.is_empty()
                    && !inner.as_bytes()[0].is_ascii_digit()
                    && inner.bytes().all(|b| is_name(&b))
                {
                    push_value(shell.lookup(&inner), out, unknown);
                } else {
                    cannot(unknown, &format!("the expansion ${{{inner}}}"));
                }
            }
            Some(b) if b.is_ascii_alphabetic() || b == b'_' => {
                let rest = &self.text[self.at..];
                let len = rest.iter().position(|b| !is_name(b)).unwrap_or(rest.len());
                let name = String::from_utf8_lossy(&rest[..len]).into_owned();
                self.at += len;
                push_value(shell.lookup(&name), out, unknown);
            }
            Some(b) if b.is_ascii_digit() || b"@*#?$!-".contains(&b) => {
                self.bump();
                cannot(
                    unknown,
                    &format!("the special parameter ${}", char::from(b)),
                );
            }
            _ => out.push(b'$'),
        }
        Ok(())
    }

    /// Skips to the `close` that ends a substitution, over nested parentheses and quotes.
    fn skip_until_closing(&mut self, close: u8) -> Result<(), String> {
        let mut depth = 0usize;
        let mut quote = None;
        while let Some(b) = self.bump() {
            match (quote, b) {
                (Some(q), b) if b == q => quote = None,
                (Some(b'"'), b'\\') | (None, b'\\') => {
                    self.bump();
                }
                (Some(_), _) => {}
                (None, b'\'' | b'"') => quote = Some(b),
                (None, b'(') if close == b')' => depth += 1,
                (None, b) if b == close && depth == 0 => return Ok(()),
                (None, b')') if close == b')' => depth -= 1,
                _ => {}
            }
        }
        Err("an unterminated command substitution".into())
    }
}

fn push_value(value: Value, out: &mut Vec<u8>, unknown: &mut Option<String>) {
    match value {
        Value::Known(s) => out.extend_from_slice(s.as_bytes()),
        Value::Unknown(why) => {
            unknown.get_or_insert(why);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn cmdline(text: &str) -> Result<Option<String>, String> {
        grub_default_cmdline(text)
    }

    fn known(text: &str) -> String {
        cmdline(text).unwrap().unwrap()
    }

    #[test]
    fn the_default_entry_gets_linux_then_linux_default() {
        assert_eq!(
            known("GRUB_CMDLINE_LINUX=\"ro fips=1\"\nGRUB_CMDLINE_LINUX_DEFAULT=\"fips=0\"\n"),
            "ro fips=1 fips=0"
        );
        assert_eq!(known("GRUB_CMDLINE_LINUX_DEFAULT=quiet\n"), " quiet");
        assert_eq!(cmdline("GRUB_TIMEOUT=5\n"), Ok(None));
    }

    #[test]
    fn quotes_escapes_and_continuations_are_the_shells() {
        assert_eq!(known("GRUB_CMDLINE_LINUX='a \"b\" $X'"), "a \"b\" $X ");
        assert_eq!(
            known(r#"GRUB_CMDLINE_LINUX="a \"b\" \$X \q""#),
            r#"a "b" $X \q "#
        );
        assert_eq!(known("GRUB_CMDLINE_LINUX=\"ro \\\nfips=1\""), "ro fips=1 ");
        assert_eq!(known("GRUB_CMDLINE_LINUX=a\\ b'c d'\"e\""), "a bc de ");
        assert_eq!(
            known("GRUB_CMDLINE_LINUX=\"fips=1\" # a comment\nGRUB_TIMEOUT=5"),
            "fips=1 "
        );
    }

    #[test]
    fn a_later_assignment_overrides_and_expansions_see_earlier_ones() {
        assert_eq!(
            known("GRUB_CMDLINE_LINUX=\"fips=1\"\nGRUB_CMDLINE_LINUX=\"quiet\""),
            "quiet "
        );
        assert_eq!(
            known("GRUB_CMDLINE_LINUX=\"ro\"\nGRUB_CMDLINE_LINUX=\"$GRUB_CMDLINE_LINUX fips=1\""),
            "ro fips=1 "
        );
        assert_eq!(known("A=x B=\"${A}y\" GRUB_CMDLINE_LINUX=$B"), "xy ");
        assert_eq!(known("export GRUB_CMDLINE_LINUX=fips=1"), "fips=1 ");
        assert_eq!(known("GRUB_CMDLINE_LINUX=\"$UNSET fips=1\""), " fips=1 ");
    }

    #[test]
    fn what_cannot_be_evaluated_is_unknown_never_guessed() {
        // The stock RHEL file substitutes a command into GRUB_DISTRIBUTOR: harmless.
        assert_eq!(
            known("GRUB_DISTRIBUTOR=\"$(sed 's, release .*$,,g' /etc/system-release)\"\nGRUB_CMDLINE_LINUX=\"fips=1\""),
            "fips=1 "
        );
        for text in [
            "GRUB_CMDLINE_LINUX=\"$(cat /x) fips=1\"",
            "GRUB_CMDLINE_LINUX=\"`cat /x` fips=1\"",
            "GRUB_CMDLINE_LINUX=\"${X:-fips=0} fips=1\"",
            "GRUB_CMDLINE_LINUX=\"$1 fips=1\"",
            "X=$(false)\nGRUB_CMDLINE_LINUX=\"$X fips=1\"",
            "GRUB_CMDLINE_LINUX=\"fips=1\"\nif false; then GRUB_CMDLINE_LINUX=\"fips=0\"; fi",
            "GRUB_CMDLINE_LINUX=\"fips=1\"\n. /etc/default/grub.d/x",
            "GRUB_CMDLINE_LINUX=\"fips=1\" true",
            "GRUB_CMDLINE_LINUX=\"fips=1",
            "GRUB_CMDLINE_LINUX=fips=1 > /dev/null",
        ] {
            let got = cmdline(text);
            assert!(got.is_err(), "{text:?} gave {got:?}");
        }
        assert!(cmdline("GRUB_CMDLINE_LINUX=\"$(cat /x)\"")
            .unwrap_err()
            .contains("line 1: a command substitution $(...) cannot be evaluated"));
        assert!(cmdline("A=1\nif x; then :; fi\nGRUB_CMDLINE_LINUX=fips=1")
            .unwrap_err()
            .starts_with("line 2: a statement that is not an assignment"));
    }

    #[test]
    fn grubenv_is_read_as_grub_reads_it() {
        let env = grubenv(
            "# GRUB Environment Block\nsaved_entry=x\nkernelopts=root=/dev/sda1 ro fips=1 a\\\\b\n####\n",
        )
        .unwrap();
        assert_eq!(env["kernelopts"], "root=/dev/sda1 ro fips=1 a\\b");
        assert_eq!(env["saved_entry"], "x");
        assert!(grubenv("kernelopts=fips=1\n").is_err());
    }

    #[test]
    fn bls_options_expand_grub_variables() {
        let env = HashMap::from([("kernelopts".to_owned(), "ro fips=1".to_owned())]);
        assert_eq!(
            expand_grub_vars("$kernelopts $tuned_params", &env),
            "ro fips=1 "
        );
        assert_eq!(
            expand_grub_vars("${kernelopts}x $ y", &env),
            "ro fips=1x $ y"
        );
        assert_eq!(
            expand_grub_vars("a ${unterminated", &env),
            "a ${unterminated"
        );
    }
}
