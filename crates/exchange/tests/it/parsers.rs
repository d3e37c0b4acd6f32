//! Whatever bytes arrive, the parsers and open() answer with an error, never a panic.

use haven_exchange::messages::acknowledgement::Acknowledgement;
use haven_exchange::messages::referral::Referral;
use haven_exchange::{Directory, Envelope, Header, SignedEntry, open, seal};
use proptest::prelude::*;

use crate::support::*;

proptest! {
    #![proptest_config(ProptestConfig::with_cases(512))]

    #[test]
    fn any_bytes_given_to_the_parsers_give_an_error_not_a_panic(bytes in proptest::collection::vec(any::<u8>(), 0..2048)) {
        let ee = Instance::new("EE", &["LV"]);
        prop_assert!(Envelope::parse(&bytes).is_err());
        prop_assert!(Header::parse(&bytes).is_err());
        prop_assert!(SignedEntry::parse(&bytes).is_err());
        prop_assert!(Directory::load([0u8; 32], [bytes.as_slice()]).is_err());
        prop_assert!(open(&bytes, t0(), &ee.identity, &ee.directory).is_err());
        prop_assert!(Acknowledgement::parse(&bytes).is_err());
        prop_assert!(Referral::parse(&bytes, t0().date()).is_err());
    }

    #[test]
    fn any_json_text_given_to_open_gives_an_error(text in "\\{(\"[a-z_]{1,12}\":(\"[A-Za-z0-9_-]{0,60}\"|[0-9]{1,4}|null),?){0,5}\\}") {
        let ee = Instance::new("EE", &["LV"]);
        prop_assert!(open(text.as_bytes(), t0(), &ee.identity, &ee.directory).is_err());
    }

    #[test]
    fn any_single_byte_changed_in_a_valid_envelope_is_refused(position in 0usize..10_000, xor in 1u8..=255) {
        let lv = Instance::new("LV", &["EE"]);
        let ee = Instance::new("EE", &["LV"]);
        let mut envelope = seal(&draft("EE", t0()), &lv.identity, &lv.directory).unwrap().to_json();
        let position = position % envelope.len();
        envelope[position] ^= xor;
        prop_assert!(open(&envelope, t0(), &ee.identity, &ee.directory).is_err());
    }
}
