//! The instruments Haven follows, as dated reference data with their sources: the Council of
//! Europe Convention (CETS 197), Directive 2011/36/EU and its amendment Directive (EU) 2024/1712,
//! Directive 2004/81/EC, Directive 2012/29/EU where it matters, and the regulation on periods
//! (Reg 1182/71). Three files under `reference/`:
//! - `instruments.csv`: each instrument, its dates and, for a directive, its transposition deadline;
//! - `instrument-articles.csv`: the articles and the obligation in each, with the date it applies
//!   from and, where Dir 2024/1712 replaced or added it, the date of the new wording. It is the
//!   one article list: the legal traceability table (docs/legal/traceability.md) has a row for
//!   each of its articles and for no other;
//! - `instrument-parties.csv`: who is bound and since when (Convention Parties over time; Denmark
//!   outside the Directive; Ireland's opt-in; the United Kingdom bound until it left).
//!
//! Every row carries its verification mark (V, V~, U: research/legal.md §0), so that a person
//! checking a date against the official text corrects it in one place.

use crate::case::CalendarDate;
use crate::ident::forms::{CsvRow, CsvTable};
use crate::{Coded, CountryCode, ParseError, coded_enum};
use serde::Serialize;

/// The embedded instruments (`reference/instruments.csv`).
pub const INSTRUMENTS_CSV: &str = include_str!("../../../reference/instruments.csv");
/// The embedded article list (`reference/instrument-articles.csv`).
pub const ARTICLES_CSV: &str = include_str!("../../../reference/instrument-articles.csv");
/// The embedded parties (`reference/instrument-parties.csv`).
pub const PARTIES_CSV: &str = include_str!("../../../reference/instrument-parties.csv");

coded_enum! {
    /// An instrument, by its reference-data key (research/legal.md §8).
    pub enum Instrument {
        /// Council of Europe Convention on Action against Trafficking in Human Beings (CETS 197).
        Convention => "CETS_197",
        /// Directive 2011/36/EU, the anti-trafficking directive.
        AntiTraffickingDirective => "DIR_2011_36",
        /// Directive (EU) 2024/1712, amending Directive 2011/36/EU.
        AmendingDirective => "DIR_2024_1712",
        /// Council Directive 2004/81/EC, residence permits for victims who cooperate.
        ResidencePermitDirective => "DIR_2004_81",
        /// Directive 2012/29/EU, the victims' rights directive.
        VictimsRightsDirective => "DIR_2012_29",
        /// Regulation (EEC, Euratom) No 1182/71 on periods, dates and time limits.
        PeriodsRegulation => "REG_1182_71",
    }
}

impl Instrument {
    /// How a citation names it: `Dir 2011/36`, `CETS 197`.
    pub fn citation(self) -> &'static str {
        match self {
            Instrument::Convention => "CETS 197",
            Instrument::AntiTraffickingDirective => "Dir 2011/36",
            Instrument::AmendingDirective => "Dir 2024/1712",
            Instrument::ResidencePermitDirective => "Dir 2004/81",
            Instrument::VictimsRightsDirective => "Dir 2012/29",
            Instrument::PeriodsRegulation => "Reg 1182/71",
        }
    }

    /// The instrument a citation names (`Dir 2011/36`).
    pub fn from_citation(citation: &str) -> Option<Self> {
        Self::ALL.iter().copied().find(|i| i.citation() == citation)
    }
}

coded_enum! {
    /// What kind of instrument it is.
    pub enum InstrumentKind {
        Convention => "convention",
        Directive => "directive",
        Regulation => "regulation",
    }
}

coded_enum! {
    /// How far a fact was checked against the text (research/legal.md §0).
    pub enum Verification {
        /// Read in a stored copy of the text.
        Verified => "V",
        /// A secondary source, or only part of the text.
        PartlyVerified => "V~",
        /// Not checked: to be checked against the official text before relying on it.
        Unverified => "U",
    }
}

/// An instrument and its dates.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct InstrumentInfo {
    pub instrument: Instrument,
    pub title: String,
    pub kind: InstrumentKind,
    pub adopted_on: CalendarDate,
    pub in_force_on: CalendarDate,
    /// A directive's transposition deadline.
    pub transposition_deadline: Option<CalendarDate>,
    pub mark: Verification,
    pub source: String,
}

/// An article and the obligation in it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Article {
    pub instrument: Instrument,
    /// The article as cited after `Art `: `11(2)`, `15(3)(f)`, `18a`.
    pub article: String,
    pub obligation: String,
    /// The first day the obligation applies (a directive: its transposition deadline).
    pub applies_from: CalendarDate,
    /// The instrument that replaced or added the article (Dir 2024/1712).
    pub amended_by: Option<Instrument>,
    /// From when the replaced or added wording applies.
    pub amended_from: Option<CalendarDate>,
    pub mark: Verification,
    pub source: String,
}

impl Article {
    /// The citation in the one style: `Dir 2011/36 Art 11(2)`.
    pub fn citation(&self) -> String {
        format!("{} Art {}", self.instrument.citation(), self.article)
    }

    /// Whether the article was added (not replaced) by its amending instrument: it applies only
    /// where that instrument binds.
    pub fn added_by_amendment(&self) -> bool {
        self.amended_from.is_some_and(|from| self.applies_from >= from)
    }
}

/// A state bound by an instrument, from a day (until a day, for a state that left the EU).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Party {
    pub instrument: Instrument,
    pub country: CountryCode,
    pub bound_from: CalendarDate,
    pub bound_until: Option<CalendarDate>,
    pub mark: Verification,
    pub note: String,
}

impl Party {
    fn covers(&self, date: CalendarDate) -> bool {
        self.bound_from <= date && self.bound_until.is_none_or(|until| date <= until)
    }
}

/// Which wording of an article applies on a day.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Wording {
    Original,
    /// As replaced or added by the amending instrument.
    Amended,
}

/// An obligation that binds a state on a day.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ObligationInForce<'a> {
    pub article: &'a Article,
    pub wording: Wording,
}

/// The instruments, their articles and their parties.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Instruments {
    instruments: Vec<InstrumentInfo>,
    articles: Vec<Article>,
    parties: Vec<Party>,
}

fn date(row: &CsvRow<'_>, column: &str) -> Result<CalendarDate, ParseError> {
    CalendarDate::parse(column, row.get(column)?.trim()).map_err(|e| row.error(column, e.message))
}

fn optional_date(row: &CsvRow<'_>, column: &str) -> Result<Option<CalendarDate>, ParseError> {
    match row.get_optional(column).map(str::trim) {
        None | Some("") => Ok(None),
        Some(_) => date(row, column).map(Some),
    }
}

fn coded<T: Coded>(row: &CsvRow<'_>, column: &str) -> Result<T, ParseError> {
    T::parse_code(column, row.get(column)?.trim()).map_err(|e| row.error(column, e.message))
}

fn text(row: &CsvRow<'_>, column: &str) -> Result<String, ParseError> {
    let value = row.get(column)?.trim();
    if value.is_empty() {
        return Err(row.error(column, "must not be empty"));
    }
    Ok(value.to_owned())
}

/// `11(2)`, `15(3)(f)`, `18a`: a number (with a letter), then whole brackets.
fn valid_article(article: &str) -> bool {
    let number_end = article.find('(').unwrap_or(article.len());
    let (number, rest) = article.split_at(number_end);
    let number_ok =
        number.chars().next().is_some_and(|c| c.is_ascii_digit()) && number.chars().all(|c| c.is_ascii_alphanumeric());
    let mut brackets = rest;
    while let Some(inner) = brackets.strip_prefix('(') {
        let Some(close) = inner.find(')') else { return false };
        let part = &inner[..close];
        if part.is_empty() || !part.chars().all(|c| c.is_ascii_alphanumeric()) {
            return false;
        }
        brackets = &inner[close + 1..];
    }
    number_ok && brackets.is_empty()
}

impl Instruments {
    /// The reference data built into the program.
    pub fn embedded() -> Result<Self, ParseError> {
        Self::parse(INSTRUMENTS_CSV, ARTICLES_CSV, PARTIES_CSV)
    }

    /// Reads the three files; every problem names its file, line and column.
    pub fn parse(instruments_csv: &str, articles_csv: &str, parties_csv: &str) -> Result<Self, ParseError> {
        let table = CsvTable::parse(
            "instruments.csv",
            instruments_csv,
            &[
                "code",
                "citation",
                "title",
                "kind",
                "adopted_on",
                "in_force_on",
                "transposition_deadline",
                "mark",
                "source",
            ],
        )?;
        let mut instruments: Vec<InstrumentInfo> = Vec::new();
        for row in table.rows() {
            let instrument: Instrument = coded(&row, "code")?;
            if row.get("citation")?.trim() != instrument.citation() {
                return Err(row.error("citation", format!("must be {:?}", instrument.citation())));
            }
            if instruments.iter().any(|i| i.instrument == instrument) {
                return Err(row.error("code", "listed twice"));
            }
            let kind: InstrumentKind = coded(&row, "kind")?;
            let transposition_deadline = optional_date(&row, "transposition_deadline")?;
            if (kind == InstrumentKind::Directive) != transposition_deadline.is_some() {
                return Err(row.error("transposition_deadline", "a directive has one, and only a directive"));
            }
            instruments.push(InstrumentInfo {
                instrument,
                title: text(&row, "title")?,
                kind,
                adopted_on: date(&row, "adopted_on")?,
                in_force_on: date(&row, "in_force_on")?,
                transposition_deadline,
                mark: coded(&row, "mark")?,
                source: text(&row, "source")?,
            });
        }
        let known = |row: &CsvRow<'_>, column: &str| -> Result<Instrument, ParseError> {
            let cited = row.get(column)?.trim();
            let instrument = Instrument::from_citation(cited)
                .ok_or_else(|| row.error(column, format!("{cited:?} is not an instrument's citation")))?;
            if !instruments.iter().any(|i| i.instrument == instrument) {
                return Err(row.error(column, format!("{cited} is not in instruments.csv")));
            }
            Ok(instrument)
        };
        let table = CsvTable::parse(
            "instrument-articles.csv",
            articles_csv,
            &["instrument", "article", "obligation", "applies_from", "amended_by", "amended_from", "mark", "source"],
        )?;
        let mut articles: Vec<Article> = Vec::new();
        for row in table.rows() {
            let instrument = known(&row, "instrument")?;
            let article = row.get("article")?.trim().to_owned();
            if !valid_article(&article) {
                return Err(row.error("article", format!("{article:?} is not an article such as 11(2) or 18a")));
            }
            if articles.iter().any(|a| a.instrument == instrument && a.article == article) {
                return Err(row.error("article", "listed twice"));
            }
            let amended_by = match row.get("amended_by")?.trim() {
                "" => None,
                _ => Some(known(&row, "amended_by")?),
            };
            let amended_from = optional_date(&row, "amended_from")?;
            if amended_by.is_some() != amended_from.is_some() {
                return Err(row.error("amended_from", "given exactly when amended_by is"));
            }
            articles.push(Article {
                instrument,
                article,
                obligation: text(&row, "obligation")?,
                applies_from: date(&row, "applies_from")?,
                amended_by,
                amended_from,
                mark: coded(&row, "mark")?,
                source: text(&row, "source")?,
            });
        }
        let table = CsvTable::parse(
            "instrument-parties.csv",
            parties_csv,
            &["instrument", "country", "bound_from", "bound_until", "mark", "note"],
        )?;
        let mut parties: Vec<Party> = Vec::new();
        for row in table.rows() {
            let instrument: Instrument = coded(&row, "instrument")?;
            if !instruments.iter().any(|i| i.instrument == instrument) {
                return Err(row.error("instrument", "not in instruments.csv"));
            }
            let country =
                CountryCode::parse("country", row.get("country")?).map_err(|e| row.error("country", e.message))?;
            if parties.iter().any(|p| p.instrument == instrument && p.country == country) {
                return Err(row.error("country", "listed twice for the instrument"));
            }
            let bound_from = date(&row, "bound_from")?;
            let bound_until = optional_date(&row, "bound_until")?;
            if bound_until.is_some_and(|until| until < bound_from) {
                return Err(row.error("bound_until", "before bound_from"));
            }
            parties.push(Party {
                instrument,
                country,
                bound_from,
                bound_until,
                mark: coded(&row, "mark")?,
                note: text(&row, "note")?,
            });
        }
        if articles.is_empty() || parties.is_empty() {
            return Err(ParseError::new("instrument-articles.csv", "lists no articles or no parties"));
        }
        Ok(Self { instruments, articles, parties })
    }

    pub fn instruments(&self) -> &[InstrumentInfo] {
        &self.instruments
    }

    pub fn instrument(&self, instrument: Instrument) -> Option<&InstrumentInfo> {
        self.instruments.iter().find(|i| i.instrument == instrument)
    }

    /// Every article, in the order of the file.
    pub fn articles(&self) -> &[Article] {
        &self.articles
    }

    /// The article cited `Art {article}` of `instrument`.
    pub fn article(&self, instrument: Instrument, article: &str) -> Option<&Article> {
        self.articles.iter().find(|a| a.instrument == instrument && a.article == article)
    }

    pub fn parties(&self) -> &[Party] {
        &self.parties
    }

    /// The parties of one instrument, by the day they became bound, then country.
    pub fn parties_of(&self, instrument: Instrument) -> Vec<&Party> {
        let mut out: Vec<&Party> = self.parties.iter().filter(|p| p.instrument == instrument).collect();
        out.sort_by_key(|p| (p.bound_from, p.country));
        out
    }

    /// Whether `instrument` binds `country` on `date`.
    pub fn bound_on(&self, instrument: Instrument, country: CountryCode, date: CalendarDate) -> bool {
        self.parties.iter().any(|p| p.instrument == instrument && p.country == country && p.covers(date))
    }

    /// Since when `instrument` binds `country` (or bound it, for a state that left).
    pub fn bound_since(&self, instrument: Instrument, country: CountryCode) -> Option<CalendarDate> {
        self.parties.iter().find(|p| p.instrument == instrument && p.country == country).map(|p| p.bound_from)
    }

    /// The states `instrument` binds on `date`, in code order.
    pub fn parties_on(&self, instrument: Instrument, date: CalendarDate) -> Vec<CountryCode> {
        let mut out: Vec<CountryCode> =
            self.parties.iter().filter(|p| p.instrument == instrument && p.covers(date)).map(|p| p.country).collect();
        out.sort();
        out
    }

    /// The day by which `country` must have transposed the directive `instrument`: the
    /// directive's deadline, or the state's accession when it joined later. `None` for a
    /// convention or a regulation, and for a state the directive never bound.
    pub fn transposition_deadline(&self, instrument: Instrument, country: CountryCode) -> Option<CalendarDate> {
        let deadline = self.instrument(instrument)?.transposition_deadline?;
        let since = self.bound_since(instrument, country)?;
        Some(deadline.max(since))
    }

    /// The articles a Member State transposes for the directive `instrument`: its own articles
    /// in their original wording (an article a later directive replaced was still due by the
    /// first deadline: Dir 2011/36 Art 2(3) by 6 April 2013), not those a later directive added;
    /// and the articles of other instruments it replaced or added (for Dir 2024/1712, the
    /// articles of Dir 2011/36 as amended). Empty for a convention or a regulation.
    pub fn articles_to_transpose(&self, instrument: Instrument) -> Vec<&Article> {
        if self.instrument(instrument).is_none_or(|i| i.kind != InstrumentKind::Directive) {
            return Vec::new();
        }
        let own = |a: &&Article| a.instrument == instrument && !a.added_by_amendment();
        let amended = |a: &&Article| a.amended_by == Some(instrument);
        self.articles.iter().filter(|a| own(a) || amended(a)).collect()
    }

    /// The obligations that bind `country` on `date`, each with the wording that applies: an
    /// article applies once its instrument binds the state and its date (or, for a state bound
    /// later, the day it became bound) has come; an article added by an amendment applies only
    /// where the amendment binds; a replaced article's new wording applies from its date where
    /// the amendment binds.
    pub fn obligations_in_force(&self, country: CountryCode, date: CalendarDate) -> Vec<ObligationInForce<'_>> {
        let mut out = Vec::new();
        for article in &self.articles {
            if !self.bound_on(article.instrument, country, date) {
                continue;
            }
            let Some(since) = self.bound_since(article.instrument, country) else { continue };
            if date < article.applies_from.max(since) {
                continue;
            }
            let amended = match (article.amended_by, article.amended_from) {
                (Some(by), Some(from)) => date >= from && self.bound_on(by, country, date),
                _ => false,
            };
            if article.added_by_amendment() && !amended {
                continue;
            }
            out.push(ObligationInForce {
                article,
                wording: if amended { Wording::Amended } else { Wording::Original },
            });
        }
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn d(s: &str) -> CalendarDate {
        CalendarDate::parse("d", s).unwrap()
    }

    fn c(s: &str) -> CountryCode {
        CountryCode::parse("c", s).unwrap()
    }

    fn data() -> Instruments {
        Instruments::embedded().unwrap()
    }

    #[test]
    fn the_embedded_reference_data_reads_and_names_every_instrument() {
        let i = data();
        for instrument in Instrument::ALL {
            assert!(i.instrument(*instrument).is_some(), "{instrument}");
        }
        assert!(i.articles().len() >= 40);
        // Every article's instrument has parties.
        for a in i.articles() {
            assert!(!i.parties_of(a.instrument).is_empty(), "{}", a.citation());
        }
    }

    #[test]
    fn art_22_dir_2011_36_the_transposition_deadline_is_6_april_2013_and_croatias_is_its_accession() {
        let i = data();
        let dir = Instrument::AntiTraffickingDirective;
        assert_eq!(i.transposition_deadline(dir, c("LV")), Some(d("2013-04-06")));
        assert_eq!(i.transposition_deadline(dir, c("HR")), Some(d("2013-07-01")));
        // Denmark is outside the Directive: no deadline.
        assert_eq!(i.transposition_deadline(dir, c("DK")), None);
        // A convention is ratified, not transposed.
        assert_eq!(i.transposition_deadline(Instrument::Convention, c("LV")), None);
        assert!(i.articles_to_transpose(Instrument::Convention).is_empty());
    }

    #[test]
    fn dir_2024_1712_is_transposed_by_15_july_2026_and_covers_the_articles_it_amends() {
        let i = data();
        let amending = Instrument::AmendingDirective;
        assert_eq!(i.transposition_deadline(amending, c("LV")), Some(d("2026-07-15")));
        let cited: Vec<String> = i.articles_to_transpose(amending).iter().map(|a| a.citation()).collect();
        for expected in ["Dir 2011/36 Art 11(4)", "Dir 2011/36 Art 2(3)", "Dir 2024/1712 Art 18a"] {
            assert!(cited.iter().any(|c| c == expected), "{expected} not in {cited:?}");
        }
        // Articles 2011/36 left as they were are not part of the amendment's transposition.
        assert!(!cited.iter().any(|c| c == "Dir 2011/36 Art 8"), "{cited:?}");
        // The original directive's articles were due by 2013 in their first wording, those the
        // amendment later replaced included; the articles it added were not.
        let original: Vec<String> =
            i.articles_to_transpose(Instrument::AntiTraffickingDirective).iter().map(|a| a.citation()).collect();
        for expected in ["Dir 2011/36 Art 8", "Dir 2011/36 Art 11(4)", "Dir 2011/36 Art 2(3)"] {
            assert!(original.iter().any(|c| c == expected), "{expected} not in {original:?}");
        }
        assert!(!original.iter().any(|c| c.contains("18a")), "added in 2024: {original:?}");
    }

    #[test]
    fn denmark_is_outside_the_directive_and_bound_by_the_convention() {
        let i = data();
        for day in ["2011-05-01", "2013-04-06", "2026-12-06"] {
            assert!(!i.bound_on(Instrument::AntiTraffickingDirective, c("DK"), d(day)), "{day}");
            assert!(!i.bound_on(Instrument::AmendingDirective, c("DK"), d(day)), "{day}");
            assert!(!i.bound_on(Instrument::ResidencePermitDirective, c("DK"), d(day)), "{day}");
        }
        assert!(i.bound_on(Instrument::Convention, c("DK"), d("2008-02-01")));
        assert!(!i.bound_on(Instrument::Convention, c("DK"), d("2008-01-31")));
    }

    #[test]
    fn ireland_opted_in_to_the_directive_and_stayed_out_of_dir_2004_81() {
        let i = data();
        assert!(i.bound_on(Instrument::AntiTraffickingDirective, c("IE"), d("2013-04-06")));
        assert!(!i.bound_on(Instrument::ResidencePermitDirective, c("IE"), d("2013-04-06")));
    }

    #[test]
    fn the_united_kingdom_was_bound_by_the_directive_until_it_left() {
        let i = data();
        let dir = Instrument::AntiTraffickingDirective;
        assert!(i.bound_on(dir, c("GB"), d("2013-04-06")));
        assert!(i.bound_on(dir, c("GB"), d("2020-12-31")));
        assert!(!i.bound_on(dir, c("GB"), d("2021-01-01")));
        // The amendment came after it left.
        assert!(!i.bound_on(Instrument::AmendingDirective, c("GB"), d("2026-07-15")));
        assert!(
            i.obligations_in_force(c("GB"), d("2021-01-01"))
                .iter()
                .all(|o| o.article.instrument != Instrument::AntiTraffickingDirective)
        );
    }

    #[test]
    fn the_convention_had_ten_parties_when_it_entered_into_force_seven_of_them_eu_states() {
        let i = data();
        let first = i.parties_on(Instrument::Convention, d("2008-02-01"));
        let codes: Vec<&str> = first.iter().map(CountryCode::as_str).collect();
        assert_eq!(codes, ["AT", "BG", "CY", "DK", "HR", "RO", "SK"]);
        assert!(i.parties_on(Instrument::Convention, d("2008-01-31")).is_empty());
        // France from 1 May 2008; today every EU Member State (research/legal.md §3.3).
        assert!(i.bound_on(Instrument::Convention, c("FR"), d("2008-05-01")));
        assert!(!i.bound_on(Instrument::Convention, c("FR"), d("2008-04-30")));
        let eu_now: Vec<CountryCode> = i
            .parties_on(Instrument::Convention, d("2026-12-06"))
            .into_iter()
            .filter(CountryCode::is_eu_member)
            .collect();
        assert_eq!(eu_now.len(), 27);
        // Dates not checked against the treaty office are marked so.
        let latvia = i.parties_of(Instrument::Convention).into_iter().find(|p| p.country == c("LV")).unwrap();
        assert_eq!(latvia.mark, Verification::Unverified);
    }

    #[test]
    fn art_13_3_dir_2011_36_child_friendly_reporting_binds_only_from_15_july_2026() {
        let i = data();
        let has = |date: &str, article: &str| {
            i.obligations_in_force(c("LV"), d(date)).iter().find(|o| o.article.citation() == article).map(|o| o.wording)
        };
        assert_eq!(has("2026-07-14", "Dir 2011/36 Art 13(3)"), None);
        assert_eq!(has("2026-07-15", "Dir 2011/36 Art 13(3)"), Some(Wording::Amended));
        // A replaced article keeps its first wording until then.
        assert_eq!(has("2026-07-14", "Dir 2011/36 Art 11(4)"), Some(Wording::Original));
        assert_eq!(has("2026-07-15", "Dir 2011/36 Art 11(4)"), Some(Wording::Amended));
        // Before the transposition deadline nothing of the Directive applies.
        assert_eq!(has("2013-04-05", "Dir 2011/36 Art 8"), None);
        assert_eq!(has("2013-04-06", "Dir 2011/36 Art 8"), Some(Wording::Original));
    }

    #[test]
    fn art_18a_dir_2024_1712_binds_from_the_transposition_deadline() {
        let i = data();
        let binds = |date: &str| {
            i.obligations_in_force(c("EE"), d(date)).iter().any(|o| o.article.citation() == "Dir 2024/1712 Art 18a")
        };
        assert!(!binds("2026-07-14"));
        assert!(binds("2026-07-15"));
        assert!(
            !i.obligations_in_force(c("DK"), d("2026-07-15"))
                .iter()
                .any(|o| o.article.citation() == "Dir 2024/1712 Art 18a")
        );
    }

    #[test]
    fn a_bad_row_is_named_by_file_line_and_column() {
        let parties = "instrument,country,bound_from,bound_until,mark,note\nCETS_197,XX,2008-02-01,,V,n\n";
        let e = Instruments::parse(INSTRUMENTS_CSV, ARTICLES_CSV, parties).unwrap_err();
        assert_eq!(e.field, "instrument-parties.csv line 2, column country");
        let articles = "instrument,article,obligation,applies_from,amended_by,amended_from,mark,source\n\
                        Dir 2011/36,11(2,o,2013-04-06,,,V,s\n";
        let e = Instruments::parse(INSTRUMENTS_CSV, articles, PARTIES_CSV).unwrap_err();
        assert_eq!(e.field, "instrument-articles.csv line 2, column article");
        let until = "instrument,country,bound_from,bound_until,mark,note\nCETS_197,LV,2008-02-01,2007-01-01,V,n\n";
        let e = Instruments::parse(INSTRUMENTS_CSV, ARTICLES_CSV, until).unwrap_err();
        assert_eq!(e.field, "instrument-parties.csv line 2, column bound_until");
    }

    proptest! {
        /// Bound on a day exactly when a party row covers it; and an obligation in force implies
        /// its instrument binds the state that day.
        #[test]
        fn bound_on_agrees_with_the_rows_and_obligations_need_a_binding(days in 0i64..22_000, k in 0usize..28) {
            let i = data();
            let day = d("1970-01-01").add_days(days).unwrap();
            let countries: Vec<CountryCode> = i.parties_of(Instrument::PeriodsRegulation).iter().map(|p| p.country).collect();
            let country = countries[k % countries.len()];
            for instrument in Instrument::ALL {
                let expected = i.parties().iter().any(|p| p.instrument == *instrument && p.country == country
                    && p.bound_from <= day && p.bound_until.is_none_or(|u| day <= u));
                prop_assert_eq!(i.bound_on(*instrument, country, day), expected);
            }
            for o in i.obligations_in_force(country, day) {
                prop_assert!(i.bound_on(o.article.instrument, country, day));
                prop_assert!(day >= o.article.applies_from);
            }
        }
    }
}
