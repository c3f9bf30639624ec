//! The webhook's review decoder: any body either decodes or is refused with a reason (never
//! a panic); a decoded review gets an answer with its own uid, a refusal carries status 422 or
//! 500 and a message, and warn mode refuses nothing but a failed self-test.

#![no_main]

use fips_core::Policy;
use fips_webhook::decide::{decide, decode, Context, Mode};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let review = match decode(data) {
        Ok(r) => r,
        Err(bad) => {
            assert!(!bad.message.is_empty());
            return;
        }
    };
    for mode in [Mode::Enforce, Mode::Warn] {
        let decision = decide(
            &review,
            &Context {
                policy: Policy::embedded(),
                mode,
                selftest: Ok(()),
                related: &[],
                fips_required: false,
            },
        );
        let answer = serde_json::to_value(decision.response.into_review()).expect("serializes");
        let response = &answer["response"];
        assert_eq!(response["uid"], review.request.uid.as_str());
        if response["allowed"] == false {
            let code = response["status"]["code"].as_u64();
            assert!(matches!(code, Some(422 | 500)), "{answer}");
            assert!(!response["status"]["message"].as_str().unwrap_or("").is_empty());
        }
        if mode == Mode::Warn {
            assert_eq!(response["allowed"], true, "warn mode refused: {answer}");
        }
    }
});
