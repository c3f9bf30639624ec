//! Version parse: any text either fails to parse or parses to a version whose display
//! parses back to the same version, with or without a leading `v` (apimachinery
//! `ParseSemantic`), and whose FIPS build is exactly the `fips.N` of its build metadata.

#![no_main]

use fips_core::{Component, FipsVersion};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Ok(input) = std::str::from_utf8(data) else {
        return;
    };
    let Ok(version) = FipsVersion::parse(input) else {
        return;
    };
    let shown = version.to_string();
    assert_eq!(
        FipsVersion::parse(&shown).as_ref(),
        Ok(&version),
        "{input:?} displays as {shown:?}, which does not parse back"
    );
    assert_eq!(
        FipsVersion::parse(&format!("v{shown}")).as_ref(),
        Ok(&version),
        "v{shown:?}"
    );
    assert!(
        !shown.starts_with('v'),
        "display has no leading v: {shown:?}"
    );

    // semver 2.0: `fips.N` with N a canonical decimal is the only FIPS build metadata.
    let build = version.semver().build.as_str();
    let canonical = build
        .strip_prefix("fips.")
        .and_then(|n| n.parse::<u64>().ok())
        .filter(|n| format!("fips.{n}") == build);
    assert_eq!(version.fips_build(), canonical, "build metadata {build:?}");
    assert_eq!(version.is_fips(), canonical.is_some());

    let info = version.describe(input, Component::Kubernetes);
    assert_eq!(info.version, shown);
    assert_eq!(info.fips_build, canonical);

    let json = serde_json::to_string(&version).expect("a version serializes");
    assert_eq!(
        serde_json::from_str::<FipsVersion>(&json).expect("its JSON reads back"),
        version
    );
});
