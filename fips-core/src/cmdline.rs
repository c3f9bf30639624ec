//! The kernel command line, split as the Linux kernel splits it, and `fips=` as it reads it.
//!
//! One tokenizer for every command line fips-core judges: `/proc/cmdline`, the line grub
//! builds from `/etc/default/grub`, and the `options` of BLS entries.
//!
//! Sources (Linux, `lib/cmdline.c` `next_arg` and `kernel/params.c` `parse_args`; the same
//! rules in every kernel since 2.6): parameters are separated by white space (the kernel's
//! `isspace`, which includes byte 0xA0); a `"` toggles quoting, so white space inside quotes
//! does not split (`rd.note="x fips=1"` is one parameter, `rd.note`, whose value holds
//! `fips=1`); quotes cannot be escaped; one leading quote of the parameter and one pair around
//! the value are removed; the first `=` splits name from value; parsing stops at a bare `--`,
//! and what follows goes to init, not to the kernel
//! (Documentation/admin-guide/kernel-parameters.rst). `fips=` is read by `fips_enable` in
//! `crypto/fips.c` as `!!simple_strtol(str, NULL, 0)`, once per occurrence, so the last one
//! wins.

/// One kernel parameter: its name and, when it has a `=`, its value (quotes removed).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) struct KernelParam<'a> {
    pub(crate) name: &'a [u8],
    pub(crate) value: Option<&'a [u8]>,
}

/// The kernel's `isspace` (`lib/ctype.c`: 0x09-0x0D, 0x20 and 0xA0 are `_S`).
fn is_kernel_space(b: u8) -> bool {
    matches!(b, b'\t' | b'\n' | 0x0b | 0x0c | b'\r' | b' ' | 0xa0)
}

/// The parameters the kernel itself reads, in order: everything before a bare `--`.
pub(crate) fn kernel_params(cmdline: &[u8]) -> Vec<KernelParam<'_>> {
    let mut params = Vec::new();
    let mut rest = skip_spaces(cmdline);
    while !rest.is_empty() {
        let (param, next) = next_arg(rest);
        if param.value.is_none() && param.name == b"--" {
            break;
        }
        params.push(param);
        rest = next;
    }
    params
}

fn skip_spaces(s: &[u8]) -> &[u8] {
    let start = s
        .iter()
        .position(|&b| !is_kernel_space(b))
        .unwrap_or(s.len());
    &s[start..]
}

/// `next_arg` of `lib/cmdline.c`, byte for byte, without writing into the input.
fn next_arg(args: &[u8]) -> (KernelParam<'_>, &[u8]) {
    let quoted = args.first() == Some(&b'"');
    let args = if quoted { &args[1..] } else { args };
    let mut in_quote = quoted;
    let mut equals = 0;
    let mut i = 0;
    while i < args.len() {
        let b = args[i];
        if is_kernel_space(b) && !in_quote {
            break;
        }
        if equals == 0 && b == b'=' {
            equals = i;
        }
        if b == b'"' {
            in_quote = !in_quote;
        }
        i += 1;
    }
    // The kernel writes a NUL over a closing quote at `i - 1` (once, however many rules ask).
    let value_quoted = equals != 0 && args.get(equals + 1) == Some(&b'"');
    let end = if (quoted || value_quoted) && i > 0 && args[i - 1] == b'"' {
        i - 1
    } else {
        i
    };
    let param = if equals == 0 {
        KernelParam {
            name: &args[..end],
            value: None,
        }
    } else {
        let value_start = equals + 1 + usize::from(value_quoted);
        KernelParam {
            name: &args[..equals],
            value: Some(&args[value_start..end.max(value_start)]),
        }
    };
    let next = if i < args.len() { &args[i + 1..] } else { &[] };
    (param, skip_spaces(next))
}

/// What the kernel makes of its `fips=` parameters: `Some(true)` when the last one turns FIPS
/// mode on, `Some(false)` when it turns it off, `None` without any.
pub(crate) fn kernel_fips(cmdline: &[u8]) -> Option<bool> {
    kernel_params(cmdline)
        .iter()
        .rev()
        .find(|p| p.name == b"fips" && p.value.is_some())
        .and_then(|p| p.value)
        .map(|value| simple_strtol(value) != 0)
}

/// `simple_strtol(str, NULL, 0)` of `lib/vsprintf.c`: an optional `-`, then a `0x` (hex),
/// `0` (octal) or decimal number, read up to the first byte that is not a digit; overflow
/// wraps, as `_parse_integer` lets it. Only zero or non-zero matters to `fips_enable`.
fn simple_strtol(s: &[u8]) -> u64 {
    let digits = s.strip_prefix(b"-").unwrap_or(s);
    let (radix, digits) = match digits {
        [b'0', x, d, ..] if x.eq_ignore_ascii_case(&b'x') && d.is_ascii_hexdigit() => {
            (16, &digits[2..])
        }
        [b'0', ..] => (8, digits),
        _ => (10, digits),
    };
    let mut value = 0u64;
    for &b in digits {
        match char::from(b).to_digit(radix) {
            Some(d) => {
                value = value
                    .wrapping_mul(u64::from(radix))
                    .wrapping_add(u64::from(d))
            }
            None => break,
        }
    }
    value
}

#[cfg(test)]
mod tests {
    use super::*;

    fn split(cmdline: &str) -> Vec<(String, Option<String>)> {
        kernel_params(cmdline.as_bytes())
            .iter()
            .map(|p| {
                (
                    String::from_utf8_lossy(p.name).into_owned(),
                    p.value.map(|v| String::from_utf8_lossy(v).into_owned()),
                )
            })
            .collect()
    }

    fn p(name: &str, value: Option<&str>) -> (String, Option<String>) {
        (name.to_owned(), value.map(str::to_owned))
    }

    #[test]
    fn splits_on_kernel_white_space_and_the_first_equals() {
        assert_eq!(
            split("  ro  root=UUID=1c3a\tquiet\n"),
            [
                p("ro", None),
                p("root", Some("UUID=1c3a")),
                p("quiet", None)
            ]
        );
        assert_eq!(split(""), []);
        assert_eq!(split(" \t "), []);
    }

    #[test]
    fn a_quoted_value_is_one_parameter_and_loses_its_quotes() {
        assert_eq!(
            split(r#"rd.note="x fips=1" quiet"#),
            [p("rd.note", Some("x fips=1")), p("quiet", None)]
        );
        // A whole parameter in quotes: the kernel drops the leading and the trailing quote.
        assert_eq!(split(r#""fips=1""#), [p("fips", Some("1"))]);
        assert_eq!(split(r#"fips="1""#), [p("fips", Some("1"))]);
        // A quote inside a value opens quoting there: the space does not split.
        assert_eq!(
            split(r#"a=b"c d" e"#),
            [p("a", Some(r#"b"c d""#)), p("e", None)]
        );
        // An unterminated quote runs to the end.
        assert_eq!(split(r#"a="x fips=1"#), [p("a", Some("x fips=1"))]);
    }

    #[test]
    fn parsing_stops_at_a_bare_double_dash() {
        assert_eq!(split("ro -- fips=1"), [p("ro", None)]);
        assert_eq!(
            split("--=x fips=1"),
            [p("--", Some("x")), p("fips", Some("1"))]
        );
    }

    #[test]
    fn byte_a0_is_kernel_white_space() {
        assert_eq!(
            kernel_params(b"a\xa0fips=1"),
            [
                KernelParam {
                    name: b"a",
                    value: None
                },
                KernelParam {
                    name: b"fips",
                    value: Some(b"1")
                }
            ]
        );
    }

    #[test]
    fn fips_is_read_as_the_kernel_reads_it() {
        let fips = |c: &str| kernel_fips(c.as_bytes());
        assert_eq!(fips("ro quiet"), None);
        assert_eq!(fips("fips=1"), Some(true));
        assert_eq!(fips("fips=0"), Some(false));
        assert_eq!(fips("fips=1 fips=0"), Some(false), "the last one wins");
        assert_eq!(fips("fips=0 fips=1"), Some(true));
        assert_eq!(fips("fips=1 -- fips=0"), Some(true), "after -- is init's");
        assert_eq!(fips("ro -- fips=1"), None);
        assert_eq!(fips(r#"rd.note="x fips=1""#), None);
        assert_eq!(fips("fips"), None, "no value: fips_enable is never called");
        assert_eq!(fips("fipsx=1 xfips=1"), None);
        // simple_strtol(str, NULL, 0): non-zero is on.
        assert_eq!(fips("fips=2"), Some(true));
        assert_eq!(fips("fips=01"), Some(true));
        assert_eq!(fips("fips=0x1"), Some(true));
        assert_eq!(fips("fips=0x"), Some(false));
        assert_eq!(fips("fips=08"), Some(false), "octal: 8 is not a digit");
        assert_eq!(fips("fips=-1"), Some(true));
        assert_eq!(fips("fips=1abc"), Some(true));
        assert_eq!(fips("fips=yes"), Some(false));
        assert_eq!(fips("fips=+1"), Some(false));
        assert_eq!(fips("fips="), Some(false));
        assert_eq!(fips("fips=18446744073709551616"), Some(false), "wraps to 0");
    }
}
