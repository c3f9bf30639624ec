//! Policy TOML: no text makes the parser panic, and a policy that parses, written back with
//! `toml`, parses to the same policy.

#![no_main]

use fips_core::Policy;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    let Ok(policy) = Policy::from_toml_str(text) else {
        return;
    };
    let written = toml::to_string(&policy).expect("a policy serializes to TOML");
    match Policy::from_toml_str(&written) {
        Ok(again) => assert_eq!(again, policy, "{text:?} written as {written:?}"),
        Err(e) => panic!("{text:?} written as {written:?} does not parse back: {e}"),
    }
});
