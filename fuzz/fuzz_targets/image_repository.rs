//! Image repository (`--kubernetes-image-repository`): one that parses displays as its normal
//! form, which parses back to the same repository, and its JSON reads back to it.

#![no_main]

use fips_core::ImageRepository;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Ok(input) = std::str::from_utf8(data) else {
        return;
    };
    let Ok(repository) = ImageRepository::parse(input) else {
        return;
    };
    let shown = repository.to_string();
    assert_eq!(
        ImageRepository::parse(&shown).as_ref(),
        Ok(&repository),
        "{input:?} displays as {shown:?}, which does not parse back"
    );
    let json = serde_json::to_string(&repository).expect("a repository serializes");
    assert_eq!(
        serde_json::from_str::<ImageRepository>(&json).ok().as_ref(),
        Some(&repository),
        "{json}"
    );
});
