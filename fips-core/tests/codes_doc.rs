//! `docs/codes.md` and the code registry agree: same codes, same order, same area and summary.

use fips_core::Code;

#[test]
fn docs_table_matches_registry() {
    let path = concat!(env!("CARGO_MANIFEST_DIR"), "/../docs/codes.md");
    let text = std::fs::read_to_string(path).expect("docs/codes.md exists");
    let rows: Vec<(String, String, String)> = text
        .lines()
        .filter(|l| l.starts_with("| `"))
        .map(|l| {
            let cells: Vec<&str> = l.trim_matches('|').split(" | ").map(str::trim).collect();
            assert!(cells.len() == 4, "a row has code, area, meaning, fix: {l}");
            (
                cells[0].trim_matches('`').to_owned(),
                cells[1].to_owned(),
                cells[2].to_owned(),
            )
        })
        .collect();
    let registry: Vec<(String, String, String)> = Code::ALL
        .iter()
        .map(|c| {
            (
                c.as_str().to_owned(),
                c.area().to_owned(),
                c.summary().to_owned(),
            )
        })
        .collect();
    assert_eq!(
        rows, registry,
        "docs/codes.md is out of step with fips-core/src/codes.rs"
    );
}
