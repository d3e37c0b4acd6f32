//! Parsers of outside input in identification: HTCDS exchange files (JSON and CSV), the
//! registration JSON, indicator lists and jurisdiction profiles loaded as data, holiday rules.
//! Never a panic; whatever parses round-trips through HTCDS without a panic either.
#![no_main]

use haven_domain::ident::calendar::HolidayRule;
use haven_domain::ident::forms::FormCatalogue;
use haven_domain::ident::htcds;
use haven_domain::ident::indicators::IndicatorList;
use haven_domain::ident::profile::JurisdictionProfile;
use haven_domain::ident::record::Registration;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else { return };
    if let Ok(docs) = htcds::from_json(text) {
        for doc in &docs {
            if let Ok((reg, meta)) = htcds::from_htcds(doc) {
                let _ = htcds::to_csv(&[htcds::to_htcds(&reg, &meta)]);
            }
        }
    }
    if let Ok(docs) = htcds::from_csv(text) {
        for doc in &docs {
            let _ = htcds::from_htcds(doc);
        }
    }
    if let Ok(reg) = serde_json::from_str::<Registration>(text)
        && let Ok(catalogue) = FormCatalogue::embedded()
    {
        let _ = reg.normalise(catalogue);
    }
    let _ = JurisdictionProfile::from_toml(text);
    let _ = HolidayRule::parse("f", text);
    let parts: Vec<&str> = text.splitn(3, "\n---\n").collect();
    if let [manifest, dimensions, indicators] = parts.as_slice() {
        let _ = IndicatorList::from_manifest(manifest, dimensions, indicators);
    }
});
