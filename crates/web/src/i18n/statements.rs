//! Sentences the statistics give in English, said in the reader's language: the EU coverage
//! statement, made again from the aggregate's own figures, and the counting method of persons,
//! whose stored English (kept with every release) is read back into its parts.

use super::Tr;
use haven_stats::hub::EuAggregate;

/// The coverage of the EU totals in the reader's language (the words of
/// [`EuAggregate::statement`], from the same figures).
pub fn eu_statement(tr: &Tr<'_>, aggregate: &EuAggregate) -> String {
    fn args<'a>(pairs: &'a [(&'a str, String)]) -> Vec<(&'a str, &'a str)> {
        pairs.iter().map(|(n, v)| (*n, v.as_str())).collect()
    }
    let mut out = tr.args(
        "stats-eu-statement-head",
        &args(&[
            ("year", aggregate.year.to_string()),
            ("submitted", aggregate.submitted.len().to_string()),
            ("expected", aggregate.expected.len().to_string()),
        ]),
    );
    if !aggregate.submitted.is_empty() {
        out.push_str(&format!(" ({})", aggregate.submitted.join(", ")));
    }
    if aggregate.missing.is_empty() {
        out.push('.');
    } else {
        out.push_str("; ");
        out.push_str(&tr.t1("stats-eu-statement-missing", "countries", &aggregate.missing.join(", ")));
        out.push('.');
    }
    let cells = &aggregate.cells;
    let complete = cells.iter().filter(|c| c.is_complete()).count();
    let confidential = cells.iter().filter(|c| !c.confidential.is_empty()).count();
    let unknown = cells.iter().filter(|c| !c.unknown.is_empty() || !c.absent.is_empty()).count();
    out.push(' ');
    out.push_str(&tr.args(
        "stats-eu-statement-cells",
        &args(&[
            ("complete", complete.to_string()),
            ("cells", cells.len().to_string()),
            ("confidential", confidential.to_string()),
            ("unknown", unknown.to_string()),
        ]),
    ));
    for country in &aggregate.not_bound {
        let id = if aggregate.voluntary.contains(country) {
            "stats-eu-statement-voluntary"
        } else {
            "stats-eu-statement-not-bound"
        };
        out.push(' ');
        out.push_str(&tr.t1(id, "country", country));
    }
    if !aggregate.ignored.is_empty() {
        let list: Vec<String> =
            aggregate.ignored.iter().map(|(country, why)| format!("{country} ({})", ignored_reason(tr, why))).collect();
        out.push(' ');
        out.push_str(&tr.t1("stats-eu-statement-left-out", "list", &list.join("; ")));
    }
    out
}

/// Why the hub left a submission out, in the reader's language (the hub's English when it is
/// not one of the reasons it gives).
fn ignored_reason(tr: &Tr<'_>, why: &str) -> String {
    if why == "not an expected country" {
        return tr.t("stats-eu-ignored-not-expected");
    }
    if why.starts_with("a second submission") {
        return tr.t("stats-eu-ignored-second");
    }
    if let Some((year, _)) = why.strip_prefix("reference year ").and_then(|r| r.split_once(", not ")) {
        return tr.t1("stats-eu-ignored-year", "year", year);
    }
    why.to_owned()
}

const LINKAGE_PREFIX: &str = "the same document number first, then the linkage engine: model ";
const COUNTING_PREFIX: &str = "Persons, not records: ";
const COUNTING_RULES: &str = ". A person is counted once, in the year of their first registration";

/// How persons were found from registrations (the engine's model and threshold), in the reader's
/// language; `None` for words Haven does not know.
pub fn linkage_method(tr: &Tr<'_>, method: &str) -> Option<String> {
    let (model, threshold) = method.strip_prefix(LINKAGE_PREFIX)?.rsplit_once(", threshold ")?;
    // The built-in model is named as such; an operator's model by its own name.
    let model = match model.strip_suffix(" (built in)") {
        Some(name) => tr.t1("stats-linkage-model-built-in", "name", name),
        None => model.to_owned(),
    };
    Some(tr.args("stats-linkage-method", &[("model", &model), ("threshold", threshold)]))
}

/// How a release counted persons (kept with the release in English), in the reader's language;
/// `None` for words Haven does not know (a release of another version), shown as they are.
pub fn counting_method(tr: &Tr<'_>, method: &str) -> Option<String> {
    let rest = method.strip_prefix(COUNTING_PREFIX)?;
    let (linkage, rules) = rest.split_once(COUNTING_RULES)?;
    rules.contains("Anonymous notifications cannot be linked").then_some(())?;
    let linkage = linkage_method(tr, linkage)?;
    Some(tr.t1("stats-counting-method", "linkage", &linkage))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::i18n::I18n;
    use haven_domain::Language;

    #[test]
    fn the_counting_method_and_the_eu_statement_are_said_in_latvian() {
        let i18n = I18n::load().unwrap();
        let lv = i18n.tr(Language::Latvian);
        let linkage = "the same document number first, then the linkage engine: model persons-v1, threshold 0.9";
        let text = linkage_method(&lv, linkage).unwrap();
        assert!(text.contains("persons-v1") && text.contains("0.9") && !text.contains("engine"), "{text}");
        let stored = format!(
            "Persons, not records: {linkage}. A person is counted once, in the year of their first registration, \
             under the values of that registration. Anonymous notifications cannot be linked and count one each."
        );
        let text = counting_method(&lv, &stored).unwrap();
        assert!(text.contains("persons-v1") && !text.contains("Persons, not records"), "{text}");
        assert_eq!(counting_method(&lv, "something else"), None);

        let aggregate = haven_stats::hub::aggregate(&[], &["LV", "EE"], 2026);
        let text = eu_statement(&lv, &aggregate);
        assert!(text.contains("2026") && text.contains("LV, EE") && !text.contains("member states"), "{text}");
        assert_eq!(
            eu_statement(&i18n.tr(Language::English), &aggregate),
            aggregate.statement,
            "the English is the hub's own"
        );
    }
}
