//! User-interface strings in English and Latvian, from Fluent message files compiled into the
//! binary (`locales/*.ftl`); and the information leaflet for the victim in the languages victims
//! speak (`locales/leaflet/*.ftl`, English the reference), with a check of every translation
//! against its reference.

use fluent_bundle::concurrent::FluentBundle;
use fluent_bundle::{FluentArgs, FluentResource, FluentValue};
use fluent_syntax::ast;
use haven_domain::{Arg, Coded, Language, Message, MessageId, ParseError};
use std::collections::{BTreeMap, BTreeSet};

mod glossary;
mod statements;
pub use glossary::{Concept, Forbidden, Glossary, Scope, Source, TermProblem, TermProblemKind};
pub use statements::{counting_method, eu_statement, linkage_method};

const EN: &str = include_str!("../locales/en.ftl");
const LV: &str = include_str!("../locales/lv.ftl");
/// Labels of the identification module's coded values and pages.
const EN_IDENT: &str = include_str!("../locales/en-ident.ftl");
const LV_IDENT: &str = include_str!("../locales/lv-ident.ftl");
/// Labels of the assistance pages.
const EN_ASSIST: &str = include_str!("../locales/en-assist.ftl");
const LV_ASSIST: &str = include_str!("../locales/lv-assist.ftl");
/// Labels of the support pages: assessment, plan, provider directory, referrals.
const EN_SUPPORT: &str = include_str!("../locales/en-support.ftl");
const LV_SUPPORT: &str = include_str!("../locales/lv-support.ftl");
/// Labels of the children, compensation and safe-return pages.
const EN_RECORDS: &str = include_str!("../locales/en-records.ftl");
const LV_RECORDS: &str = include_str!("../locales/lv-records.ftl");
/// Labels of the statistics pages and of the statistical code lists.
const EN_STATS: &str = include_str!("../locales/en-stats.ftl");
const LV_STATS: &str = include_str!("../locales/lv-stats.ftl");
/// Labels of the trafficker tables counted from the proceedings data.
const EN_STATS_PROCEEDINGS: &str = include_str!("../locales/en-stats-proceedings.ftl");
const LV_STATS_PROCEEDINGS: &str = include_str!("../locales/lv-stats-proceedings.ftl");
/// What the domain says to people ([`haven_domain::MessageId`]).
const EN_DOMAIN: &str = include_str!("../locales/en-domain.ftl");
const LV_DOMAIN: &str = include_str!("../locales/lv-domain.ftl");
/// Labels of the person register's review (the data officer).
const EN_REVIEW: &str = include_str!("../locales/en-review.ftl");
const LV_REVIEW: &str = include_str!("../locales/lv-review.ftl");
/// Labels of the criminal proceedings (investigations, suspects, charges, judgments).
const EN_PROCEEDINGS: &str = include_str!("../locales/en-proceedings.ftl");
const LV_PROCEEDINGS: &str = include_str!("../locales/lv-proceedings.ftl");
/// Labels of victims in the proceedings (protection, limitation, information) and trainings.
const EN_PROCEEDINGS_VICTIMS: &str = include_str!("../locales/en-proceedings-victims.ftl");
const LV_PROCEEDINGS_VICTIMS: &str = include_str!("../locales/lv-proceedings-victims.ftl");
/// Labels of money in the proceedings: assets and confiscation, financial investigations, the
/// Europol export, joint investigation teams.
const EN_PROCEEDINGS_MONEY: &str = include_str!("../locales/en-proceedings-money.ftl");
const LV_PROCEEDINGS_MONEY: &str = include_str!("../locales/lv-proceedings-money.ftl");
/// Suspects as persons: a suspect's possible matches.
const EN_PROCEEDINGS_PERSONS: &str = include_str!("../locales/en-proceedings-persons.ftl");
const LV_PROCEEDINGS_PERSONS: &str = include_str!("../locales/lv-proceedings-persons.ftl");
/// Labels of the pages of an investigation's money, joint teams, victims and suspect import.
const EN_PROCEEDINGS_PAGES: &str = include_str!("../locales/en-proceedings-pages.ftl");
const LV_PROCEEDINGS_PAGES: &str = include_str!("../locales/lv-proceedings-pages.ftl");

/// Labels of the training records, and the messages of the money rules (proceeds paid into
/// compensation, currencies).
const EN_TRAININGS: &str = include_str!("../locales/en-trainings.ftl");
const LV_TRAININGS: &str = include_str!("../locales/lv-trainings.ftl");
/// The instruments, the transposition tracker and the coordinator's dashboard (docs/monitoring.md).
const EN_MONITORING: &str = include_str!("../locales/en-monitoring.ftl");
const LV_MONITORING: &str = include_str!("../locales/lv-monitoring.ftl");
/// A victim's lawyer: the representation on the case page and the lawyer's pages.
const EN_REPRESENTATION: &str = include_str!("../locales/en-representation.ftl");
const LV_REPRESENTATION: &str = include_str!("../locales/lv-representation.ftl");
/// Statistics sent to the EU hub over the exchange, and the peers page of the focal point.
const EN_EXCHANGE: &str = include_str!("../locales/en-exchange.ftl");
const LV_EXCHANGE: &str = include_str!("../locales/lv-exchange.ftl");
/// The transnational referral of a victim: its states, purposes, fields shared and messages.
const EN_TRANSNATIONAL: &str = include_str!("../locales/en-transnational.ftl");
const LV_TRANSNATIONAL: &str = include_str!("../locales/lv-transnational.ftl");
/// Persons counted once across borders (the EU hub's count from the countries' encodings).
const EN_CROSSBORDER: &str = include_str!("../locales/en-crossborder.ftl");
const LV_CROSSBORDER: &str = include_str!("../locales/lv-crossborder.ftl");
/// The focal point's side of the exchange: the outbox, the count's secret and encodings, own keys.
const EN_EXOPS: &str = include_str!("../locales/en-exops.ftl");
const LV_EXOPS: &str = include_str!("../locales/lv-exops.ftl");
/// Strategies and action plans, and GRETA's evaluations (docs/monitoring.md).
const EN_STRATEGY: &str = include_str!("../locales/en-strategy.ftl");
const LV_STRATEGY: &str = include_str!("../locales/lv-strategy.ftl");

const EN_RETENTION: &str = include_str!("../locales/en-retention.ftl");
const LV_RETENTION: &str = include_str!("../locales/lv-retention.ftl");
/// Networks and platforms, prevention and demand reduction (docs/monitoring.md).
const EN_NETWORKS: &str = include_str!("../locales/en-networks.ftl");
const LV_NETWORKS: &str = include_str!("../locales/lv-networks.ftl");
/// Data subjects' requests, rectification and restriction (docs/data-protection.md).
const EN_SUBJECT_REQUESTS: &str = include_str!("../locales/en-subject-requests.ftl");
const LV_SUBJECT_REQUESTS: &str = include_str!("../locales/lv-subject-requests.ftl");
/// The rapporteur's annual report (docs/monitoring.md, "The annual report").
const EN_REPORT: &str = include_str!("../locales/en-report.ftl");
const LV_REPORT: &str = include_str!("../locales/lv-report.ftl");

#[derive(Debug, thiserror::Error)]
pub enum I18nError {
    #[error("message file {file}: {message}")]
    Invalid { file: String, message: String },
}

type Bundle = FluentBundle<FluentResource>;

pub struct I18n {
    en: Bundle,
    lv: Bundle,
    leaflet: LeafletCatalogue,
}

fn invalid(file: &str, message: String) -> I18nError {
    I18nError::Invalid { file: file.to_owned(), message }
}

/// A bundle of one language from its message files. `isolating` wraps each filled-in value in
/// Unicode isolation marks (for right-to-left text holding left-to-right names and numbers).
fn bundle(file: &str, sources: &[&str], lang: &str, isolating: bool) -> Result<Bundle, I18nError> {
    let id: unic_langid::LanguageIdentifier = lang.parse().map_err(|_| invalid(file, "bad language id".into()))?;
    let mut bundle = FluentBundle::new_concurrent(vec![id]);
    bundle.set_use_isolating(isolating);
    for source in sources {
        let resource = FluentResource::try_new((*source).to_owned())
            .map_err(|(_, errors)| invalid(file, format!("{errors:?}")))?;
        bundle.add_resource(resource).map_err(|errors| invalid(file, format!("{errors:?}")))?;
    }
    Ok(bundle)
}

impl I18n {
    pub fn load() -> Result<I18n, I18nError> {
        Ok(I18n {
            en: bundle(
                "en.ftl",
                &[
                    EN,
                    EN_IDENT,
                    EN_MONITORING,
                    EN_ASSIST,
                    EN_SUPPORT,
                    EN_RECORDS,
                    EN_STATS,
                    EN_STATS_PROCEEDINGS,
                    EN_DOMAIN,
                    EN_REVIEW,
                    EN_PROCEEDINGS,
                    EN_PROCEEDINGS_VICTIMS,
                    EN_PROCEEDINGS_MONEY,
                    EN_PROCEEDINGS_PERSONS,
                    EN_PROCEEDINGS_PAGES,
                    EN_TRAININGS,
                    EN_EXCHANGE,
                    EN_TRANSNATIONAL,
                    EN_CROSSBORDER,
                    EN_EXOPS,
                    EN_STRATEGY,
                    EN_RETENTION,
                    EN_NETWORKS,
                    EN_REPORT,
                    EN_REPRESENTATION,
                    EN_SUBJECT_REQUESTS,
                ],
                "en",
                false,
            )?,
            lv: bundle(
                "lv.ftl",
                &[
                    LV,
                    LV_IDENT,
                    LV_MONITORING,
                    LV_ASSIST,
                    LV_SUPPORT,
                    LV_RECORDS,
                    LV_STATS,
                    LV_STATS_PROCEEDINGS,
                    LV_DOMAIN,
                    LV_REVIEW,
                    LV_PROCEEDINGS,
                    LV_PROCEEDINGS_VICTIMS,
                    LV_PROCEEDINGS_MONEY,
                    LV_PROCEEDINGS_PERSONS,
                    LV_PROCEEDINGS_PAGES,
                    LV_TRAININGS,
                    LV_EXCHANGE,
                    LV_TRANSNATIONAL,
                    LV_CROSSBORDER,
                    LV_EXOPS,
                    LV_STRATEGY,
                    LV_RETENTION,
                    LV_NETWORKS,
                    LV_REPORT,
                    LV_REPRESENTATION,
                    LV_SUBJECT_REQUESTS,
                ],
                "lv",
                false,
            )?,
            leaflet: LeafletCatalogue::load()?,
        })
    }

    /// The information leaflet's messages in every shipped language.
    pub fn leaflet(&self) -> &LeafletCatalogue {
        &self.leaflet
    }

    pub fn tr(&self, language: Language) -> Tr<'_> {
        let bundle = match language {
            Language::English => &self.en,
            Language::Latvian => &self.lv,
        };
        Tr { bundle, language }
    }

    /// Message ids of a language's file (for the test that both files have the same ids).
    pub fn ids(language: Language) -> Vec<String> {
        let source = match language {
            Language::English => {
                format!(
                    "{EN}\n{EN_IDENT}\n{EN_ASSIST}\n{EN_SUPPORT}\n{EN_RECORDS}\n{EN_STATS}\n{EN_STATS_PROCEEDINGS}\n{EN_DOMAIN}\n{EN_REVIEW}\n{EN_PROCEEDINGS}\n{EN_PROCEEDINGS_VICTIMS}\n{EN_PROCEEDINGS_MONEY}\n{EN_PROCEEDINGS_PERSONS}\n{EN_PROCEEDINGS_PAGES}\n{EN_TRAININGS}"
                )
            }
            Language::Latvian => {
                format!(
                    "{LV}\n{LV_IDENT}\n{LV_ASSIST}\n{LV_SUPPORT}\n{LV_RECORDS}\n{LV_STATS}\n{LV_STATS_PROCEEDINGS}\n{LV_DOMAIN}\n{LV_REVIEW}\n{LV_PROCEEDINGS}\n{LV_PROCEEDINGS_VICTIMS}\n{LV_PROCEEDINGS_MONEY}\n{LV_PROCEEDINGS_PERSONS}\n{LV_PROCEEDINGS_PAGES}\n{LV_TRAININGS}"
                )
            }
        };
        let mut ids: Vec<String> = source
            .lines()
            .filter(|l| !l.starts_with(' ') && !l.starts_with('#') && !l.starts_with('.'))
            .filter_map(|l| l.split_once(" =").map(|(id, _)| id.trim().to_owned()))
            .filter(|id| !id.is_empty())
            .collect();
        ids.sort();
        ids
    }
}

/// A translator for one language, handed to templates.
#[derive(Clone, Copy)]
pub struct Tr<'a> {
    bundle: &'a Bundle,
    pub language: Language,
}

impl Tr<'_> {
    /// The message, or its id if it is missing (visible, never a crash).
    pub fn t(&self, id: &str) -> String {
        self.format(id, None)
    }

    /// The message with one argument.
    pub fn t1(&self, id: &str, name: &str, value: &str) -> String {
        let mut args = FluentArgs::new();
        args.set(name.to_owned(), FluentValue::from(value.to_owned()));
        self.format(id, Some(&args))
    }

    /// The message with its arguments (name, value).
    pub fn args(&self, id: &str, values: &[(&str, &str)]) -> String {
        let mut args = FluentArgs::new();
        for (name, value) in values {
            args.set((*name).to_owned(), FluentValue::from((*value).to_owned()));
        }
        self.format(id, Some(&args))
    }

    fn format(&self, id: &str, args: Option<&FluentArgs<'_>>) -> String {
        let Some(pattern) = self.bundle.get_message(id).and_then(|m| m.value()) else {
            return id.to_owned();
        };
        let mut errors = vec![];
        self.bundle.format_pattern(pattern, args, &mut errors).into_owned()
    }

    pub fn code(&self) -> &'static str {
        haven_domain::Coded::code(self.language)
    }

    /// A message of the domain in this language, its arguments filled in: coded values by their
    /// labels, messages within it in this language too.
    pub fn msg(&self, message: &Message) -> String {
        let mut args = FluentArgs::new();
        for (name, arg) in &message.args {
            let value = match arg {
                Arg::Text(text) => text.clone(),
                Arg::Labels { prefix, codes } => {
                    codes.iter().map(|c| self.t(&format!("{prefix}-{c}"))).collect::<Vec<_>>().join(", ")
                }
                Arg::Messages(messages) => messages.iter().map(|m| self.msg(m)).collect::<Vec<_>>().join("; "),
            };
            args.set(*name, FluentValue::from(value));
        }
        self.format(message.id.id(), Some(&args))
    }

    /// A text of the reference data in this language: the message `id` when the files have it,
    /// else the data's own words (a list or profile an operator added).
    pub fn data(&self, id: &str, own: &str) -> String {
        match self.bundle.get_message(id).and_then(|m| m.value()) {
            Some(_) => self.t(id),
            None => own.to_owned(),
        }
    }

    /// An indicator list's name (the message `indicator-list-LIST`).
    pub fn indicator_list(&self, list: &str, own: &str) -> String {
        self.data(&format!("indicator-list-{list}"), own)
    }

    /// A dimension of an indicator list (the ILO/EC list's: `ilo-dim-i1`).
    pub fn indicator_dimension(&self, list: &str, dimension: &str, own: &str) -> String {
        if list != "ilo_ec_adult_labour" {
            return own.to_owned();
        }
        self.data(&format!("ilo-dim-{}", dimension.to_ascii_lowercase()), own)
    }

    /// An indicator of a list (the ILO/EC list's `I2.03`: `ilo-i2-03`).
    pub fn indicator(&self, list: &str, indicator: &str, own: &str) -> String {
        if list != "ilo_ec_adult_labour" {
            return own.to_owned();
        }
        self.data(&format!("ilo-{}", indicator.to_ascii_lowercase().replace('.', "-")), own)
    }

    /// A sentence of the domain: in English the domain's own words (as the API gives them), in
    /// another language its message.
    pub fn said(&self, message: &Message, english: &str) -> String {
        match self.language {
            Language::English => english.to_owned(),
            _ => self.msg(message),
        }
    }

    /// What is wrong with a value, in this language (the English of a problem only an operator
    /// meets, such as a reference file's, has no message).
    pub fn problem(&self, error: &ParseError) -> String {
        error.problem.as_ref().map_or_else(|| error.message.clone(), |m| self.msg(m))
    }
}

// ---------------------------------------------------------------------------------------------
// The information leaflet for the victim (Dir 2011/36 Art 11(5)-(6); Convention
// Arts 12(1)(d), 15(1))
// ---------------------------------------------------------------------------------------------

/// One language of the information leaflet: a message file in `locales/leaflet/`.
#[derive(Debug, Clone, Copy)]
pub struct LeafletLanguage {
    /// The ISO 639-1 code: the `lang` parameter and the page's `lang` attribute.
    pub code: &'static str,
    /// Written right to left.
    pub rtl: bool,
    /// The codes of a registration's `person.languages` this file serves: ISO 639-1, the
    /// ISO 639-2 and 639-3 codes, and individual languages of a macrolanguage.
    pub serves: &'static [&'static str],
    source: &'static str,
}

impl LeafletLanguage {
    /// The message file's text.
    pub fn source(&self) -> &'static str {
        self.source
    }

    pub fn file_name(&self) -> String {
        format!("leaflet/{}.ftl", self.code)
    }
}

const fn leaflet_language(
    code: &'static str,
    rtl: bool,
    serves: &'static [&'static str],
    source: &'static str,
) -> LeafletLanguage {
    LeafletLanguage { code, rtl, serves, source }
}

/// The shipped languages of the leaflet, English (the reference and the fallback) first.
/// Adding a language: its message file in `locales/leaflet/` and one line here.
pub const LEAFLET_LANGUAGES: &[LeafletLanguage] = &[
    leaflet_language("en", false, &["en", "eng"], include_str!("../locales/leaflet/en.ftl")),
    leaflet_language("lv", false, &["lv", "lav", "lvs"], include_str!("../locales/leaflet/lv.ftl")),
    leaflet_language("ru", false, &["ru", "rus"], include_str!("../locales/leaflet/ru.ftl")),
    leaflet_language("uk", false, &["uk", "ukr"], include_str!("../locales/leaflet/uk.ftl")),
    leaflet_language("ro", false, &["ro", "ron", "rum", "mo", "mol"], include_str!("../locales/leaflet/ro.ftl")),
    leaflet_language("bg", false, &["bg", "bul"], include_str!("../locales/leaflet/bg.ftl")),
    leaflet_language("vi", false, &["vi", "vie"], include_str!("../locales/leaflet/vi.ftl")),
    leaflet_language("pt", false, &["pt", "por"], include_str!("../locales/leaflet/pt.ftl")),
    leaflet_language("fr", false, &["fr", "fra", "fre"], include_str!("../locales/leaflet/fr.ftl")),
    leaflet_language(
        "ar",
        true,
        &["ar", "ara", "arb", "arz", "apc", "ajp", "acm", "afb", "ary", "aeb", "arq", "ayl", "apd"],
        include_str!("../locales/leaflet/ar.ftl"),
    ),
];

/// The leaflet language serving an ISO 639 code of a registration, if one does.
pub fn leaflet_language_for(iso639: &str) -> Option<&'static LeafletLanguage> {
    let code = iso639.trim().to_ascii_lowercase();
    LEAFLET_LANGUAGES.iter().find(|l| l.serves.contains(&code.as_str()))
}

struct LeafletBundle {
    code: String,
    rtl: bool,
    bundle: Bundle,
}

/// The leaflet's messages in every language it has, the reference (English) first.
pub struct LeafletCatalogue {
    languages: Vec<LeafletBundle>,
}

/// A leaflet message file given as text: for the shipped files and for tests.
#[derive(Debug, Clone, Copy)]
pub struct LeafletSource<'a> {
    pub code: &'a str,
    pub rtl: bool,
    pub text: &'a str,
}

impl LeafletCatalogue {
    /// The shipped message files, parsed (a file that does not parse stops the start-up,
    /// naming it).
    pub fn load() -> Result<Self, I18nError> {
        let sources: Vec<LeafletSource<'_>> =
            LEAFLET_LANGUAGES.iter().map(|l| LeafletSource { code: l.code, rtl: l.rtl, text: l.source }).collect();
        Self::from_sources(&sources)
    }

    /// A catalogue from message files; the first is the reference every other falls back to.
    pub fn from_sources(sources: &[LeafletSource<'_>]) -> Result<Self, I18nError> {
        if sources.is_empty() {
            return Err(invalid("leaflet", "no message files".into()));
        }
        let languages = sources
            .iter()
            .map(|s| {
                let file = format!("leaflet/{}.ftl", s.code);
                Ok(LeafletBundle {
                    code: s.code.to_owned(),
                    rtl: s.rtl,
                    bundle: bundle(&file, &[s.text], s.code, s.rtl)?,
                })
            })
            .collect::<Result<Vec<_>, I18nError>>()?;
        Ok(Self { languages })
    }

    /// The language codes, the reference first.
    pub fn codes(&self) -> Vec<&str> {
        self.languages.iter().map(|l| l.code.as_str()).collect()
    }

    /// The leaflet in a language, or `None` if the catalogue does not have it.
    pub fn tr(&self, code: &str) -> Option<LeafletTr<'_>> {
        let own = self.languages.iter().find(|l| l.code == code)?;
        let reference = self.languages.first()?;
        Some(LeafletTr { own, reference, fallbacks: BTreeSet::new() })
    }

    /// The first of a person's languages (ISO 639 codes) that the leaflet has, else the
    /// reference.
    pub fn choose(&self, person_languages: &[String]) -> &str {
        person_languages
            .iter()
            .filter_map(|l| leaflet_language_for(l))
            .find_map(|l| self.languages.iter().find(|b| b.code == l.code))
            .or_else(|| self.languages.first())
            .map_or("en", |l| l.code.as_str())
    }

    /// Each language's own name for itself (the `language-name` message; the code if it has
    /// none), in catalogue order: (code, name, right to left).
    pub fn names(&self) -> Vec<(&str, String, bool)> {
        self.languages
            .iter()
            .map(|l| {
                (l.code.as_str(), format_in(&l.bundle, "language-name", None).map_or(l.code.clone(), |(t, _)| t), l.rtl)
            })
            .collect()
    }
}

/// The formatted message and whether formatting reported errors; `None` when the bundle has no
/// such message.
fn format_in(bundle: &Bundle, id: &str, args: Option<&FluentArgs<'_>>) -> Option<(String, bool)> {
    let pattern = bundle.get_message(id)?.value()?;
    let mut errors = vec![];
    let text = bundle.format_pattern(pattern, args, &mut errors).into_owned();
    Some((text, !errors.is_empty()))
}

/// The leaflet in one language. A message the language lacks, or cannot format (a variable
/// misspelt), is taken from the reference and listed in [`LeafletTr::fallbacks`].
pub struct LeafletTr<'a> {
    own: &'a LeafletBundle,
    reference: &'a LeafletBundle,
    fallbacks: BTreeSet<String>,
}

impl LeafletTr<'_> {
    pub fn code(&self) -> &str {
        self.own.code.as_str()
    }

    pub fn rtl(&self) -> bool {
        self.own.rtl
    }

    /// `rtl` or `ltr`, for the `dir` attribute.
    pub fn direction(&self) -> &'static str {
        if self.rtl() { "rtl" } else { "ltr" }
    }

    pub fn t(&mut self, id: &str) -> String {
        self.format(id, None)
    }

    /// The message with its variables (name, value).
    pub fn t_args(&mut self, id: &str, values: &[(&str, &str)]) -> String {
        let mut args = FluentArgs::new();
        for (name, value) in values {
            args.set((*name).to_owned(), FluentValue::from((*value).to_owned()));
        }
        self.format(id, Some(&args))
    }

    fn format(&mut self, id: &str, args: Option<&FluentArgs<'_>>) -> String {
        if let Some((text, false)) = format_in(&self.own.bundle, id, args) {
            return text;
        }
        if !std::ptr::eq(self.own, self.reference) {
            self.fallbacks.insert(id.to_owned());
        }
        format_in(&self.reference.bundle, id, args).map_or_else(|| id.to_owned(), |(text, _)| text)
    }

    /// The messages shown in the reference language so far, by id.
    pub fn fallbacks(&self) -> Vec<String> {
        self.fallbacks.iter().cloned().collect()
    }
}

// ---------------------------------------------------------------------------------------------
// The check of translations against their reference
// ---------------------------------------------------------------------------------------------

/// A language's message files: its code and (file name, text) pairs.
#[derive(Debug, Clone)]
pub struct LanguageFiles<'a> {
    pub language: &'a str,
    pub files: Vec<(String, &'a str)>,
}

/// A message whose variables differ from the reference's.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct VariableDifference {
    pub id: String,
    pub expected: Vec<String>,
    pub found: Vec<String>,
}

/// How one translation differs from the reference.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LanguageReport {
    pub language: String,
    /// Messages of the reference that this language lacks: shown in the reference language.
    pub missing: Vec<String>,
    /// Messages the reference does not have: never shown (a misspelt id, or one removed).
    pub extra: Vec<String>,
    /// Messages that use other variables than the reference's: Haven fills in the reference's.
    pub variables: Vec<VariableDifference>,
    /// Messages that break the terminology glossary (`locales/glossary.toml`).
    pub terms: Vec<TermProblem>,
    /// Messages the domain gives ([`MessageId`]) that this language's files lack: they would reach
    /// a page as their id.
    pub unrendered: Vec<String>,
}

impl LanguageReport {
    pub fn is_complete(&self) -> bool {
        self.missing.is_empty()
            && self.extra.is_empty()
            && self.variables.is_empty()
            && self.terms.is_empty()
            && self.unrendered.is_empty()
    }
}

/// Every translation of one catalogue compared with its reference.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CatalogueReport {
    /// `interface` or `leaflet`.
    pub catalogue: String,
    pub reference: String,
    pub messages: usize,
    pub languages: Vec<LanguageReport>,
}

impl CatalogueReport {
    pub fn is_complete(&self) -> bool {
        self.languages.iter().all(LanguageReport::is_complete)
    }
}

impl std::fmt::Display for CatalogueReport {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        writeln!(f, "{}: {} messages in {} (the reference)", self.catalogue, self.messages, self.reference)?;
        for l in &self.languages {
            if l.is_complete() {
                writeln!(f, "  {}: complete", l.language)?;
                continue;
            }
            writeln!(f, "  {}:", l.language)?;
            for id in &l.missing {
                writeln!(f, "    missing: {id} (shown in {})", self.reference)?;
            }
            for id in &l.extra {
                writeln!(f, "    extra: {id} (not in {}; never shown)", self.reference)?;
            }
            for d in &l.variables {
                let list = |v: &[String]| if v.is_empty() { "none".to_owned() } else { v.join(", ") };
                writeln!(
                    f,
                    "    variables differ: {} (expected {}; found {})",
                    d.id,
                    list(&d.expected),
                    list(&d.found)
                )?;
            }
            for t in &l.terms {
                writeln!(f, "    term: {t}")?;
            }
            for id in &l.unrendered {
                writeln!(f, "    no message for the domain's {id} (shown as its id)")?;
            }
        }
        Ok(())
    }
}

/// Every message of a language's files with the variables it uses.
fn messages_of(files: &LanguageFiles<'_>) -> Result<BTreeMap<String, BTreeSet<String>>, I18nError> {
    let mut out = BTreeMap::new();
    for (name, text) in &files.files {
        let resource =
            FluentResource::try_new((*text).to_owned()).map_err(|(_, errors)| invalid(name, format!("{errors:?}")))?;
        for entry in resource.entries() {
            if let ast::Entry::Message(m) = entry {
                let mut vars = BTreeSet::new();
                if let Some(value) = &m.value {
                    pattern_variables(value, &mut vars);
                }
                for attribute in &m.attributes {
                    pattern_variables(&attribute.value, &mut vars);
                }
                out.insert(m.id.name.to_owned(), vars);
            }
        }
    }
    Ok(out)
}

fn pattern_variables(pattern: &ast::Pattern<&str>, out: &mut BTreeSet<String>) {
    for element in &pattern.elements {
        if let ast::PatternElement::Placeable { expression } = element {
            expression_variables(expression, out);
        }
    }
}

fn expression_variables(expression: &ast::Expression<&str>, out: &mut BTreeSet<String>) {
    match expression {
        ast::Expression::Select { selector, variants } => {
            inline_variables(selector, out);
            for variant in variants {
                pattern_variables(&variant.value, out);
            }
        }
        ast::Expression::Inline(inline) => inline_variables(inline, out),
    }
}

fn inline_variables(inline: &ast::InlineExpression<&str>, out: &mut BTreeSet<String>) {
    let arguments = |a: &ast::CallArguments<&str>, out: &mut BTreeSet<String>| {
        for p in &a.positional {
            inline_variables(p, out);
        }
        for n in &a.named {
            inline_variables(&n.value, out);
        }
    };
    match inline {
        ast::InlineExpression::VariableReference { id } => {
            out.insert(id.name.to_owned());
        }
        ast::InlineExpression::FunctionReference { arguments: a, .. } => arguments(a, out),
        ast::InlineExpression::TermReference { arguments: Some(a), .. } => arguments(a, out),
        ast::InlineExpression::Placeable { expression } => expression_variables(expression, out),
        _ => {}
    }
}

/// Compares each translation with the reference: messages missing and extra, and messages whose
/// variables differ. A file that does not parse is an error naming it.
pub fn check_catalogue(
    catalogue: &str,
    reference: &LanguageFiles<'_>,
    translations: &[LanguageFiles<'_>],
) -> Result<CatalogueReport, I18nError> {
    check_catalogue_with(catalogue, reference, translations, None)
}

/// [`check_catalogue`], and each translation in the glossary's language checked against the
/// glossary: the messages whose reference names a concept without the required term, and the
/// messages with a refused term.
pub fn check_catalogue_with(
    catalogue: &str,
    reference: &LanguageFiles<'_>,
    translations: &[LanguageFiles<'_>],
    glossary: Option<&Glossary>,
) -> Result<CatalogueReport, I18nError> {
    let expected = messages_of(reference)?;
    let mut languages = Vec::new();
    for t in translations {
        let found = messages_of(t)?;
        languages.push(LanguageReport {
            language: t.language.to_owned(),
            missing: expected.keys().filter(|id| !found.contains_key(*id)).cloned().collect(),
            extra: found.keys().filter(|id| !expected.contains_key(*id)).cloned().collect(),
            variables: expected
                .iter()
                .filter_map(|(id, vars)| {
                    let other = found.get(id)?;
                    (other != vars).then(|| VariableDifference {
                        id: id.clone(),
                        expected: vars.iter().cloned().collect(),
                        found: other.iter().cloned().collect(),
                    })
                })
                .collect(),
            terms: match glossary {
                Some(g) => g.check(reference, t)?,
                None => vec![],
            },
            unrendered: vec![],
        });
    }
    Ok(CatalogueReport {
        catalogue: catalogue.to_owned(),
        reference: reference.language.to_owned(),
        messages: expected.len(),
        languages,
    })
}

/// The shipped translations checked: the interface (Latvian against English) and the leaflet
/// (every language against English), each also against the terminology glossary of its
/// language (`locales/glossary.toml`). `haven check-translations` prints this.
pub fn check_translations() -> Result<Vec<CatalogueReport>, I18nError> {
    check_translations_with(&Glossary::shipped()?)
}

/// [`check_translations`] with a given glossary.
pub fn check_translations_with(glossary: &Glossary) -> Result<Vec<CatalogueReport>, I18nError> {
    let interface = |language, texts: &[(&str, &'static str)]| LanguageFiles {
        language,
        files: texts.iter().map(|(n, t)| ((*n).to_owned(), *t)).collect(),
    };
    let en = interface(
        "en",
        &[
            ("en.ftl", EN),
            ("en-ident.ftl", EN_IDENT),
            ("en-monitoring.ftl", EN_MONITORING),
            ("en-assist.ftl", EN_ASSIST),
            ("en-support.ftl", EN_SUPPORT),
            ("en-records.ftl", EN_RECORDS),
            ("en-stats.ftl", EN_STATS),
            ("en-stats-proceedings.ftl", EN_STATS_PROCEEDINGS),
            ("en-domain.ftl", EN_DOMAIN),
            ("en-review.ftl", EN_REVIEW),
            ("en-proceedings.ftl", EN_PROCEEDINGS),
            ("en-proceedings-victims.ftl", EN_PROCEEDINGS_VICTIMS),
            ("en-proceedings-money.ftl", EN_PROCEEDINGS_MONEY),
            ("en-proceedings-persons.ftl", EN_PROCEEDINGS_PERSONS),
            ("en-proceedings-pages.ftl", EN_PROCEEDINGS_PAGES),
            ("en-trainings.ftl", EN_TRAININGS),
            ("en-representation.ftl", EN_REPRESENTATION),
            ("en-exchange.ftl", EN_EXCHANGE),
            ("en-transnational.ftl", EN_TRANSNATIONAL),
            ("en-crossborder.ftl", EN_CROSSBORDER),
            ("en-exops.ftl", EN_EXOPS),
            ("en-strategy.ftl", EN_STRATEGY),
            ("en-retention.ftl", EN_RETENTION),
            ("en-networks.ftl", EN_NETWORKS),
            ("en-subject-requests.ftl", EN_SUBJECT_REQUESTS),
            ("en-report.ftl", EN_REPORT),
        ],
    );
    let lv = interface(
        "lv",
        &[
            ("lv.ftl", LV),
            ("lv-ident.ftl", LV_IDENT),
            ("lv-monitoring.ftl", LV_MONITORING),
            ("lv-assist.ftl", LV_ASSIST),
            ("lv-support.ftl", LV_SUPPORT),
            ("lv-records.ftl", LV_RECORDS),
            ("lv-stats.ftl", LV_STATS),
            ("lv-stats-proceedings.ftl", LV_STATS_PROCEEDINGS),
            ("lv-domain.ftl", LV_DOMAIN),
            ("lv-review.ftl", LV_REVIEW),
            ("lv-proceedings.ftl", LV_PROCEEDINGS),
            ("lv-proceedings-victims.ftl", LV_PROCEEDINGS_VICTIMS),
            ("lv-proceedings-money.ftl", LV_PROCEEDINGS_MONEY),
            ("lv-proceedings-persons.ftl", LV_PROCEEDINGS_PERSONS),
            ("lv-proceedings-pages.ftl", LV_PROCEEDINGS_PAGES),
            ("lv-trainings.ftl", LV_TRAININGS),
            ("lv-representation.ftl", LV_REPRESENTATION),
            ("lv-exchange.ftl", LV_EXCHANGE),
            ("lv-transnational.ftl", LV_TRANSNATIONAL),
            ("lv-crossborder.ftl", LV_CROSSBORDER),
            ("lv-exops.ftl", LV_EXOPS),
            ("lv-strategy.ftl", LV_STRATEGY),
            ("lv-retention.ftl", LV_RETENTION),
            ("lv-networks.ftl", LV_NETWORKS),
            ("lv-subject-requests.ftl", LV_SUBJECT_REQUESTS),
            ("lv-report.ftl", LV_REPORT),
        ],
    );
    let files = |l: &LeafletLanguage| LanguageFiles { language: l.code, files: vec![(l.file_name(), l.source)] };
    let (reference, others) =
        LEAFLET_LANGUAGES.split_first().ok_or_else(|| invalid("leaflet", "no languages".into()))?;
    let leaflet_reference = files(reference);
    let others: Vec<LanguageFiles<'_>> = others.iter().map(files).collect();
    let mut reports = vec![
        check_catalogue_with("interface", &en, std::slice::from_ref(&lv), Some(glossary))?,
        check_catalogue_with("leaflet", &leaflet_reference, &others, Some(glossary))?,
    ];
    // A message the glossary names that no reference file has: the glossary is out of date.
    let mut known: BTreeSet<String> = messages_of(&en)?.into_keys().collect();
    known.extend(messages_of(&leaflet_reference)?.into_keys());
    let stale: Vec<TermProblem> = glossary
        .named_messages()
        .into_iter()
        .filter(|id| !known.contains(*id))
        .map(|id| TermProblem {
            file: "glossary.toml".into(),
            id: id.to_owned(),
            concept: String::new(),
            kind: TermProblemKind::UnknownMessage,
        })
        .collect();
    if let Some(l) = reports.first_mut().and_then(|r| r.languages.iter_mut().find(|l| l.language == glossary.language))
    {
        l.terms.extend(stale);
    }
    // Every message the domain gives has its English and its Latvian message. The reference's
    // lacks are the translation's too (a message it lacks is never expected of the translation).
    let en_lacks = unrendered_domain_messages(&en)?;
    let lv_lacks = unrendered_domain_messages(&lv)?;
    if let Some(l) = reports.first_mut().and_then(|r| r.languages.iter_mut().find(|l| l.language == "lv")) {
        l.unrendered = en_lacks.iter().map(|id| format!("{id} (en)")).chain(lv_lacks).collect();
    }
    Ok(reports)
}

/// The ids of the messages the domain gives ([`MessageId::ALL`]) that a language's files lack.
pub fn unrendered_domain_messages(files: &LanguageFiles<'_>) -> Result<Vec<String>, I18nError> {
    let messages = messages_of(files)?;
    Ok(MessageId::ALL.iter().map(|m| m.id()).filter(|id| !messages.contains_key(*id)).map(str::to_owned).collect())
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Every message the domain gives reaches a page in English and in Latvian: the shipped files
    /// have them all, and a file without one is reported by `haven check-translations`.
    #[test]
    fn every_domain_message_has_its_english_and_latvian_message_and_a_missing_one_is_reported() {
        let reports = check_translations().unwrap();
        let interface = &reports[0];
        let lv = interface.languages.iter().find(|l| l.language == "lv").unwrap();
        assert!(lv.unrendered.is_empty(), "{interface}");

        let without = EN.to_owned() + "\n";
        let files = LanguageFiles { language: "en", files: vec![("en.ftl".into(), without.as_str())] };
        let lacks = unrendered_domain_messages(&files).unwrap();
        assert!(lacks.contains(&"msg-must-not-be-empty".to_owned()), "{lacks:?}");
        let report = LanguageReport {
            language: "lv".into(),
            missing: vec![],
            extra: vec![],
            variables: vec![],
            terms: vec![],
            unrendered: lacks,
        };
        assert!(!report.is_complete());
    }

    /// A domain message is rendered in the reader's language with its coded values by their labels
    /// and the messages within it rendered too.
    #[test]
    fn every_audit_action_has_its_label_in_english_and_latvian() {
        use haven_domain::Coded;
        let i18n = I18n::load().unwrap();
        for language in [Language::English, Language::Latvian] {
            let tr = i18n.tr(language);
            let missing: Vec<&str> = haven_domain::audit::AuditAction::ALL
                .iter()
                .map(|a| a.code())
                .filter(|code| {
                    let id = format!("audit-action-{code}");
                    tr.t(&id) == id
                })
                .collect();
            assert!(missing.is_empty(), "{language:?}: no label for the audit actions {missing:?}");
        }
    }

    #[test]
    fn a_domain_message_renders_in_latvian_with_labels_and_nested_messages() {
        let i18n = I18n::load().unwrap();
        let lv = i18n.tr(Language::Latvian);
        let en = i18n.tr(Language::English);
        let error = ParseError::empty("reasons");
        assert_ne!(lv.problem(&error), error.message);
        assert_eq!(en.problem(&ParseError::new("x", "operator text")), "operator text");
        let reason = Message::new(MessageId::LegalActRecorded).labels("acts", "act", ["recruitment"]);
        assert!(lv.msg(&reason).contains(&lv.t("act-recruitment")), "{}", lv.msg(&reason));
        assert!(en.msg(&reason).contains("Recruitment"), "{}", en.msg(&reason));
        let nested = Message::new(MessageId::RemovalNoExpulsion).with("on", "2026-09-21").messages(
            "grounds",
            vec![Message::new(MessageId::RemovalReflectionPeriod).with("start", "a").with("end", "b")],
        );
        let text = lv.msg(&nested);
        assert!(text.contains("2026-09-21") && !text.contains("msg-"), "{text}");
    }
}
