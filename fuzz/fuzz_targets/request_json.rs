//! Request parsing: any bytes, read as a JSON case and decided when they are one. Nothing may
//! panic; a case that reads must be decided or refused with an error naming a field.
#![no_main]

use std::sync::OnceLock;

use libfuzzer_sys::fuzz_target;
use voucher_policy::{Case, Engine};

fn engine() -> &'static Engine {
    static ENGINE: OnceLock<Engine> = OnceLock::new();
    ENGINE.get_or_init(Engine::default)
}

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    match Case::from_json(text) {
        Ok(case) => match engine().decide_case(&case) {
            Ok(decision) => {
                assert!(serde_json::to_string(&decision).is_ok());
            }
            Err(error) => assert!(!error.field().is_empty(), "{error}"),
        },
        Err(error) => assert!(!error.message().is_empty()),
    }
});
