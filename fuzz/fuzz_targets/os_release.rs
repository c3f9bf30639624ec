//! os-release text (os-release(5)): parsing never fails, and the fields it finds, written
//! back as `KEY="value"` lines with `\`, `$`, `"` and `` ` `` escaped, parse to the same
//! fields with no line ignored.

#![no_main]

use fips_core::OsRelease;
use libfuzzer_sys::fuzz_target;

/// os-release(5): in double quotes, `\`, `$`, `"` and `` ` `` are escaped with a backslash.
fn write(os: &OsRelease) -> String {
    let mut text = String::new();
    for (key, value) in os.fields() {
        text.push_str(key);
        text.push_str("=\"");
        for c in value.chars() {
            if matches!(c, '\\' | '$' | '"' | '`') {
                text.push('\\');
            }
            text.push(c);
        }
        text.push_str("\"\n");
    }
    text
}

fuzz_target!(|data: &[u8]| {
    let text = String::from_utf8_lossy(data);
    let os = OsRelease::parse(&text);

    let lines = text.lines().count();
    let ignored = os.ignored_lines();
    assert!(ignored.windows(2).all(|w| w[0] < w[1]), "{ignored:?}");
    assert!(
        ignored.iter().all(|&n| n >= 1 && n <= lines),
        "{ignored:?} of {lines}"
    );
    for (key, value) in os.fields() {
        assert!(!key.is_empty(), "empty key");
        assert!(
            key.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'_'),
            "key {key:?}"
        );
        assert!(!value.contains('\n'), "{key}={value:?} spans lines");
    }
    assert_eq!(os.id(), os.get("ID").unwrap_or("linux"));

    let written = write(&os);
    let again = OsRelease::parse(&written);
    assert_eq!(again.fields(), os.fields(), "written as {written:?}");
    assert!(again.ignored_lines().is_empty(), "written as {written:?}");
});
