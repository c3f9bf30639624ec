//! Image reference (distribution/reference `ParseNormalizedNamed`): a reference that parses
//! displays as its normal form, which parses back to the same reference; its JSON shape
//! reads back to it, and its prefix joined with its last path component names it again.

#![no_main]

use fips_core::ImageRef;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Ok(input) = std::str::from_utf8(data) else {
        return;
    };
    let Ok(image) = ImageRef::parse(input) else {
        return;
    };
    let shown = image.to_string();
    assert_eq!(
        ImageRef::parse(&shown).as_ref(),
        Ok(&image),
        "{input:?} displays as {shown:?}, which does not parse back"
    );
    assert_eq!(
        image.name(),
        format!("{}/{}", image.registry, image.repository)
    );

    let json = serde_json::to_string(&image).expect("an image serializes");
    assert_eq!(
        serde_json::from_str::<ImageRef>(&json).ok().as_ref(),
        Some(&image),
        "{json}"
    );

    let prefix = image.prefix();
    assert_eq!(prefix.registry, image.registry);
    let last = image
        .repository
        .rsplit('/')
        .next()
        .expect("rsplit yields one item");
    let joined = format!("{prefix}/{last}");
    assert_eq!(
        ImageRef::parse(&joined).map(|again| again.name()),
        Ok(image.name()),
        "{input:?}: prefix {prefix} and {last:?} joined as {joined:?}"
    );
});
