//! One term per concept: the terminology glossary (`locales/glossary.toml`) and the check of a
//! translation's messages against it. A concept applies to a message when the reference's text
//! names it (or the glossary lists the message); the translation must then use the required
//! term, and never a refused one.

use super::{I18nError, LanguageFiles, invalid};
use fluent_bundle::FluentResource;
use fluent_syntax::ast;
use regex::{Regex, RegexBuilder};
use serde::Deserialize;
use std::collections::{BTreeMap, BTreeSet};

/// The shipped glossary's text.
pub const GLOSSARY: &str = include_str!("../../locales/glossary.toml");
const GLOSSARY_FILE: &str = "glossary.toml";

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct GlossaryFile {
    language: String,
    #[serde(default)]
    sources: Vec<Source>,
    concepts: Vec<ConceptFile>,
}

/// A source of the terms: a legal act or a decision, with how far it was read (the marks of
/// the project's legal research: V read, V~ partly read, U not yet checked).
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Source {
    pub id: String,
    pub title: String,
    #[serde(default)]
    pub url: Option<String>,
    /// Where it was read, when not in the act itself.
    #[serde(default)]
    pub read: Option<String>,
    pub mark: String,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct ConceptFile {
    id: String,
    concept: String,
    term: String,
    #[serde(default)]
    english: Vec<String>,
    #[serde(default)]
    messages: Vec<String>,
    latvian: String,
    #[serde(default)]
    sources: Vec<String>,
    #[serde(default)]
    note: Option<String>,
    #[serde(default)]
    forbidden: Vec<ForbiddenFile>,
    #[serde(default)]
    exceptions: Vec<ExceptionFile>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct ForbiddenFile {
    pattern: String,
    term: String,
    reason: String,
    #[serde(default)]
    scope: Scope,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct ExceptionFile {
    id: String,
    reason: String,
}

/// Where a refused term is checked.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Scope {
    /// In every message of the language.
    #[default]
    Everywhere,
    /// Only in the messages the concept applies to.
    Concept,
}

/// A term the translation must not use.
#[derive(Debug, Clone)]
pub struct Forbidden {
    pattern: Regex,
    pub term: String,
    pub reason: String,
    pub scope: Scope,
}

/// One concept: how the reference marks it and the term the translation must use.
#[derive(Debug, Clone)]
pub struct Concept {
    pub id: String,
    pub concept: String,
    /// The required term, as people write it.
    pub term: String,
    english: Vec<Regex>,
    messages: BTreeSet<String>,
    required: Regex,
    pub forbidden: Vec<Forbidden>,
    /// Messages exempt from this concept, with the reason.
    pub exceptions: BTreeMap<String, String>,
    /// The ids of the sources of the term.
    pub sources: Vec<String>,
    pub note: Option<String>,
}

impl Concept {
    /// Whether the concept applies to a message, given the reference's text.
    fn applies(&self, id: &str, reference: &str) -> bool {
        !self.exceptions.contains_key(id)
            && (self.messages.contains(id) || self.english.iter().any(|e| e.is_match(reference)))
    }
}

/// The glossary of one translation's terms.
#[derive(Debug, Clone)]
pub struct Glossary {
    /// The language the terms are in.
    pub language: String,
    pub sources: Vec<Source>,
    pub concepts: Vec<Concept>,
}

fn pattern(concept: &str, what: &str, text: &str) -> Result<Regex, I18nError> {
    RegexBuilder::new(text)
        .case_insensitive(true)
        .build()
        .map_err(|e| invalid(GLOSSARY_FILE, format!("concept {concept}, {what}: {e}")))
}

impl Glossary {
    /// The shipped glossary.
    pub fn shipped() -> Result<Self, I18nError> {
        Self::parse(GLOSSARY)
    }

    /// A glossary from its TOML text: every pattern compiled, every concept with a required
    /// term and a way to find it, every source it names listed.
    pub fn parse(text: &str) -> Result<Self, I18nError> {
        let file: GlossaryFile = toml::from_str(text).map_err(|e| invalid(GLOSSARY_FILE, e.to_string()))?;
        if let Some(s) = file.sources.iter().find(|s| !["V", "V~", "U"].contains(&s.mark.as_str())) {
            return Err(invalid(GLOSSARY_FILE, format!("source {} has mark {}, not V, V~ or U", s.id, s.mark)));
        }
        let sources: BTreeSet<&str> = file.sources.iter().map(|s| s.id.as_str()).collect();
        let mut ids = BTreeSet::new();
        let mut concepts = Vec::with_capacity(file.concepts.len());
        for c in file.concepts {
            if !ids.insert(c.id.clone()) {
                return Err(invalid(GLOSSARY_FILE, format!("concept {} is listed twice", c.id)));
            }
            if c.english.is_empty() && c.messages.is_empty() {
                return Err(invalid(
                    GLOSSARY_FILE,
                    format!("concept {} has neither English patterns nor messages", c.id),
                ));
            }
            if let Some(unknown) = c.sources.iter().find(|s| !sources.contains(s.as_str())) {
                return Err(invalid(GLOSSARY_FILE, format!("concept {} names an unknown source {unknown}", c.id)));
            }
            if let Some(e) = c.exceptions.iter().find(|e| e.reason.trim().is_empty()) {
                return Err(invalid(GLOSSARY_FILE, format!("concept {}: exception {} gives no reason", c.id, e.id)));
            }
            let english =
                c.english.iter().map(|e| pattern(&c.id, "english", e)).collect::<Result<Vec<_>, I18nError>>()?;
            let forbidden = c
                .forbidden
                .iter()
                .map(|f| {
                    Ok(Forbidden {
                        pattern: pattern(&c.id, "forbidden", &f.pattern)?,
                        term: f.term.clone(),
                        reason: f.reason.clone(),
                        scope: f.scope,
                    })
                })
                .collect::<Result<Vec<_>, I18nError>>()?;
            concepts.push(Concept {
                required: pattern(&c.id, "latvian", &c.latvian)?,
                id: c.id,
                concept: c.concept,
                term: c.term,
                english,
                messages: c.messages.into_iter().collect(),
                forbidden,
                exceptions: c.exceptions.into_iter().map(|e| (e.id, e.reason)).collect(),
                sources: c.sources,
                note: c.note,
            });
        }
        Ok(Self { language: file.language, sources: file.sources, concepts })
    }

    /// The message ids the glossary names (in `messages` and `exceptions`).
    pub fn named_messages(&self) -> BTreeSet<&str> {
        self.concepts.iter().flat_map(|c| c.messages.iter().chain(c.exceptions.keys())).map(String::as_str).collect()
    }

    /// Every message of the translation checked against its reference's counterpart. A
    /// translation in another language than the glossary's is not checked.
    pub fn check(
        &self,
        reference: &LanguageFiles<'_>,
        translation: &LanguageFiles<'_>,
    ) -> Result<Vec<TermProblem>, I18nError> {
        if translation.language != self.language {
            return Ok(vec![]);
        }
        let reference = texts_of(reference)?;
        let mut problems = Vec::new();
        for (id, (file, text)) in texts_of(translation)? {
            let english = reference.get(&id).map_or("", |(_, t)| t.as_str());
            for concept in &self.concepts {
                if concept.exceptions.contains_key(&id) {
                    continue;
                }
                let applies = concept.applies(&id, english);
                if applies && !concept.required.is_match(&text) {
                    problems.push(TermProblem {
                        file: file.clone(),
                        id: id.clone(),
                        concept: concept.id.clone(),
                        kind: TermProblemKind::Missing { term: concept.term.clone() },
                    });
                }
                for f in &concept.forbidden {
                    if f.scope == Scope::Concept && !applies {
                        continue;
                    }
                    if let Some(found) = f.pattern.find(&text) {
                        problems.push(TermProblem {
                            file: file.clone(),
                            id: id.clone(),
                            concept: concept.id.clone(),
                            kind: TermProblemKind::Forbidden {
                                found: found.as_str().to_owned(),
                                term: f.term.clone(),
                                reason: f.reason.clone(),
                            },
                        });
                    }
                }
            }
        }
        Ok(problems)
    }
}

/// A message that breaks the glossary.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TermProblem {
    /// The translation's message file.
    pub file: String,
    /// The message id.
    pub id: String,
    /// The glossary concept.
    pub concept: String,
    pub kind: TermProblemKind,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum TermProblemKind {
    /// The reference names the concept; the translation lacks the required term.
    Missing { term: String },
    /// The translation uses a refused term (`found` is the text as written).
    Forbidden { found: String, term: String, reason: String },
    /// The glossary names a message (in `messages` or `exceptions`) that no reference file has.
    UnknownMessage,
}

impl std::fmt::Display for TermProblem {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match &self.kind {
            TermProblemKind::Missing { term } => {
                write!(f, "{} {}: lacks \"{term}\" (glossary concept {})", self.file, self.id, self.concept)
            }
            TermProblemKind::Forbidden { found, term, reason } => write!(
                f,
                "{} {}: uses \"{found}\", refused as \"{term}\": {reason} (glossary concept {})",
                self.file, self.id, self.concept
            ),
            TermProblemKind::UnknownMessage => {
                write!(f, "{} names {}, which no reference message file has", self.file, self.id)
            }
        }
    }
}

/// Every message of a language's files: its file and its text (value, attributes and every
/// variant of a selection, with white space made single spaces).
fn texts_of(files: &LanguageFiles<'_>) -> Result<BTreeMap<String, (String, String)>, I18nError> {
    let mut out = BTreeMap::new();
    for (name, text) in &files.files {
        let resource =
            FluentResource::try_new((*text).to_owned()).map_err(|(_, errors)| invalid(name, format!("{errors:?}")))?;
        for entry in resource.entries() {
            if let ast::Entry::Message(m) = entry {
                let mut raw = String::new();
                if let Some(value) = &m.value {
                    pattern_text(value, &mut raw);
                }
                for attribute in &m.attributes {
                    raw.push(' ');
                    pattern_text(&attribute.value, &mut raw);
                }
                let text = raw.split_whitespace().collect::<Vec<_>>().join(" ");
                out.insert(m.id.name.to_owned(), (name.clone(), text));
            }
        }
    }
    Ok(out)
}

fn pattern_text(pattern: &ast::Pattern<&str>, out: &mut String) {
    for element in &pattern.elements {
        match element {
            ast::PatternElement::TextElement { value } => out.push_str(value),
            ast::PatternElement::Placeable { expression } => expression_text(expression, out),
        }
    }
}

fn expression_text(expression: &ast::Expression<&str>, out: &mut String) {
    match expression {
        ast::Expression::Select { variants, .. } => {
            for variant in variants {
                out.push(' ');
                pattern_text(&variant.value, out);
                out.push(' ');
            }
        }
        ast::Expression::Inline(inline) => match inline {
            ast::InlineExpression::StringLiteral { value } => out.push_str(value),
            ast::InlineExpression::NumberLiteral { value } => out.push_str(value),
            ast::InlineExpression::VariableReference { id } => {
                out.push_str("{$");
                out.push_str(id.name);
                out.push('}');
            }
            ast::InlineExpression::Placeable { expression } => expression_text(expression, out),
            _ => out.push_str("{}"),
        },
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::i18n::{CatalogueReport, check_catalogue_with, check_translations};

    fn files<'a>(language: &'a str, name: &str, text: &'a str) -> LanguageFiles<'a> {
        LanguageFiles { language, files: vec![(name.to_owned(), text)] }
    }

    /// The shipped glossary's problems with one English and one Latvian file.
    fn problems(en: &str, lv: &str) -> Vec<TermProblem> {
        let g = Glossary::shipped().unwrap();
        g.check(&files("en", "en.ftl", en), &files("lv", "lv.ftl", lv)).unwrap()
    }

    fn summary(problems: &[TermProblem]) -> Vec<(String, String, String)> {
        problems
            .iter()
            .map(|p| {
                let what = match &p.kind {
                    TermProblemKind::Missing { term } => format!("lacks {term}"),
                    TermProblemKind::Forbidden { found, .. } => format!("uses {found}"),
                    TermProblemKind::UnknownMessage => "unknown".to_owned(),
                };
                (p.id.clone(), p.concept.clone(), what)
            })
            .collect()
    }

    #[test]
    fn the_shipped_glossary_parses_with_every_concept_of_the_issue() {
        let g = Glossary::shipped().unwrap();
        assert_eq!(g.language, "lv");
        for id in [
            "trafficking",
            "victim",
            "presumed-victim",
            "reflection-period",
            "first-responder",
            "sexual-exploitation",
            "differential-privacy",
            "person-name",
            "shelter",
            "first-decision",
        ] {
            assert!(g.concepts.iter().any(|c| c.id == id), "{id} missing from the glossary");
        }
        let victim = g.concepts.iter().find(|c| c.id == "victim").unwrap();
        assert!(victim.forbidden.iter().any(|f| f.term == "cietušais"));
        assert!(victim.exceptions.values().all(|reason| !reason.trim().is_empty()));
    }

    #[test]
    fn the_shipped_latvian_catalogue_passes_the_glossary() {
        let reports = check_translations().unwrap();
        for report in &reports {
            for l in &report.languages {
                assert!(l.terms.is_empty(), "{report}");
            }
        }
        let interface = reports.iter().find(|r| r.catalogue == "interface").unwrap();
        assert!(interface.is_complete(), "{interface}");
    }

    #[test]
    fn a_forbidden_term_fails_naming_the_file_the_message_and_the_term() {
        let found = problems(
            "role-first_responder = First responder\n",
            "role-first_responder = Pirmās palīdzības sniedzējs\n",
        );
        assert_eq!(
            summary(&found),
            [
                ("role-first_responder".into(), "first-responder".into(), "lacks pirmā kontakta speciālists".into()),
                ("role-first_responder".into(), "first-responder".into(), "uses Pirmās palīdzības sniedzējs".into()),
            ]
        );
        assert!(found.iter().all(|p| p.file == "lv.ftl"));
        let shown = found[1].to_string();
        assert!(
            shown.contains("lv.ftl")
                && shown.contains("role-first_responder")
                && shown.contains("Pirmās palīdzības sniedzējs")
                && shown.contains("first-aid provider"),
            "{shown}"
        );
    }

    #[test]
    fn cietusais_is_refused_even_where_english_does_not_say_victim() {
        let found = problems("person = The person\n", "person = Cietušais\n");
        assert_eq!(summary(&found), [("person".into(), "victim".into(), "uses Cietušais".into())]);
    }

    #[test]
    fn a_missing_required_term_fails_naming_the_message() {
        let found =
            problems("case-presumed-since = Presumed victim since\n", "case-presumed-since = Iespējamā persona kopš\n");
        assert_eq!(
            summary(&found),
            [
                ("case-presumed-since".into(), "victim".into(), "lacks cilvēku tirdzniecības upuris".into()),
                (
                    "case-presumed-since".into(),
                    "presumed-victim".into(),
                    "lacks iespējamais cilvēku tirdzniecības upuris".into()
                ),
            ]
        );
    }

    #[test]
    fn inflected_latvian_terms_pass() {
        let en = "a = Register a presumed victim\n\
                  b = Identified victims are entitled to\n\
                  c = Victims given a recovery and reflection period\n\
                  d = A release is protected by differential privacy.\n\
                  e = Differential privacy\n\
                  f = Risk from the traffickers\n\
                  g = Specialised in trafficking\n\
                  h = First decision due\n\
                  i = Forms of sexual exploitation\n";
        let lv = "a = Reģistrēt iespējamo cilvēku tirdzniecības upuri\n\
                  b = Identificētiem cilvēku tirdzniecības upuriem pienākas\n\
                  c = Upuri, kam piešķirts atlabšanas un pārdomu periods\n\
                  d = Publikāciju aizsargā ar diferenciālo privātumu.\n\
                  e = Diferenciālais privātums\n\
                  f = Risks no cilvēku tirgotājiem\n\
                  g = Specializējies cilvēku tirdzniecības jomā\n\
                  h = Pirmā lēmuma termiņš\n\
                  i = Seksuālās ekspluatācijas veidi\n";
        assert_eq!(summary(&problems(en, lv)), []);
    }

    #[test]
    fn an_adjective_that_does_not_agree_is_refused() {
        let found = problems("stats-mode-dp = Differential privacy\n", "stats-mode-dp = Diferenciālā privātums\n");
        assert!(
            summary(&found).contains(&(
                "stats-mode-dp".into(),
                "differential-privacy".into(),
                "uses Diferenciālā privātums".into()
            )),
            "{found:?}"
        );
    }

    #[test]
    fn nosaukums_is_refused_for_a_persons_name_only() {
        let en = "field-name = Name\nfield-display_name = Full name\n";
        let right = "field-name = Nosaukums\nfield-display_name = Vārds, uzvārds\n";
        assert_eq!(summary(&problems(en, right)), []);
        let wrong = "field-name = Nosaukums\nfield-display_name = Nosaukums\n";
        assert_eq!(
            summary(&problems(en, wrong)),
            [
                ("field-display_name".into(), "person-name".into(), "lacks Vārds, uzvārds".into()),
                ("field-display_name".into(), "person-name".into(), "uses Nosaukums".into()),
            ]
        );
    }

    #[test]
    fn an_excepted_message_may_use_the_refused_term_and_others_may_not() {
        let g = Glossary::parse(
            r#"
language = "lv"
[[concepts]]
id = "victim"
concept = "victim"
term = "upuris"
english = ['\bvictims?\b']
latvian = '\bupur\w*'
[[concepts.forbidden]]
pattern = '\bcietuš\w*'
term = "cietušais"
reason = "criminal-procedure status"
[[concepts.exceptions]]
id = "proceedings-victim"
reason = "about criminal proceedings"
"#,
        )
        .unwrap();
        let en = files("en", "en.ftl", "proceedings-victim = Victim in the proceedings\nother = The victim\n");
        let lv = files("lv", "lv.ftl", "proceedings-victim = Cietušais kriminālprocesā\nother = Cietušais\n");
        let found = g.check(&en, &lv).unwrap();
        assert_eq!(
            summary(&found),
            [
                ("other".into(), "victim".into(), "lacks upuris".into()),
                ("other".into(), "victim".into(), "uses Cietušais".into())
            ]
        );
        // Another language is not checked against a Latvian glossary.
        let ru = files("ru", "ru.ftl", "other = Жертва\n");
        assert_eq!(g.check(&en, &ru).unwrap(), []);
    }

    #[test]
    fn a_message_over_several_lines_or_in_a_selection_is_checked() {
        let en = "reg = { $count ->\n    [one] One presumed victim\n   *[other] { $count } presumed victims\n}\n\
                  long = The victim has a recovery and\n    reflection period.\n";
        let lv = "reg = { $count ->\n    [one] Viens iespējamais cilvēku tirdzniecības upuris\n   *[other] { $count } iespējamie cietušie\n}\n\
                  long = Upurim ir atlabšanas un\n    pārdomu periods.\n";
        assert_eq!(summary(&problems(en, lv)), [("reg".into(), "victim".into(), "uses cietušie".into())]);
    }

    #[test]
    fn the_report_of_a_bad_catalogue_is_incomplete_and_names_the_message() {
        let g = Glossary::shipped().unwrap();
        let en = files("en", "en.ftl", "org-kind-shelter = Shelter\n");
        let lv = files("lv", "lv.ftl", "org-kind-shelter = Patversme\n");
        let report: CatalogueReport = check_catalogue_with("interface", &en, &[lv], Some(&g)).unwrap();
        assert!(!report.is_complete());
        let shown = report.to_string();
        assert!(shown.contains("term: lv.ftl org-kind-shelter: lacks \"krīzes centrs\""), "{shown}");
        assert!(shown.contains("term: lv.ftl org-kind-shelter: uses \"Patversme\""), "{shown}");
    }

    #[test]
    fn the_latvian_leaflet_is_checked_too() {
        let g = Glossary::shipped().unwrap();
        let en =
            files("en", "leaflet/en.ftl", "reflection-right = This is called the recovery and reflection period.\n");
        let lv = files("lv", "leaflet/lv.ftl", "reflection-right = To sauc par pārdomu laiku.\n");
        let report = check_catalogue_with("leaflet", &en, &[lv], Some(&g)).unwrap();
        let shown = report.to_string();
        assert!(
            shown.contains("term: leaflet/lv.ftl reflection-right: lacks \"atlabšanas un pārdomu periods\""),
            "{shown}"
        );
        assert!(shown.contains("term: leaflet/lv.ftl reflection-right: uses \"pārdomu laiku\""), "{shown}");
    }

    #[test]
    fn a_glossary_naming_a_message_no_reference_has_is_reported_as_out_of_date() {
        let g = Glossary::parse(
            "language = \"lv\"\n[[concepts]]\nid = \"x\"\nconcept = \"x\"\nterm = \"x\"\n\
             messages = [\"no-such-message\"]\nlatvian = 'x'\n",
        )
        .unwrap();
        let reports = crate::i18n::check_translations_with(&g).unwrap();
        let interface = reports.iter().find(|r| r.catalogue == "interface").unwrap();
        let shown = interface.to_string();
        assert!(!interface.is_complete());
        assert!(shown.contains("glossary.toml names no-such-message, which no reference message file has"), "{shown}");
    }

    #[test]
    fn a_glossary_that_cannot_be_applied_is_refused_naming_the_problem() {
        let base = "language = \"lv\"\n[[concepts]]\nid = \"x\"\nconcept = \"x\"\nterm = \"x\"\n";
        let cases = [
            (format!("{base}english = ['(']\nlatvian = 'x'\n"), "concept x, english"),
            (format!("{base}latvian = 'x'\n"), "neither English patterns nor messages"),
            (format!("{base}english = ['x']\nlatvian = 'x'\nsources = [\"nowhere\"]\n"), "unknown source nowhere"),
            (
                format!("{base}english = ['x']\nlatvian = 'x'\n[[concepts.exceptions]]\nid = \"m\"\nreason = \" \"\n"),
                "gives no reason",
            ),
            (format!("{base}english = ['x']\nlatvian = 'x'\nspelling = 'x'\n"), "spelling"),
            (
                format!(
                    "{base}english = ['x']\nlatvian = 'x'\n[[sources]]\nid = \"s\"\ntitle = \"t\"\nmark = \"sure\"\n"
                ),
                "mark sure",
            ),
        ];
        for (text, expected) in cases {
            let error = Glossary::parse(&text).unwrap_err().to_string();
            assert!(error.contains("glossary.toml") && error.contains(expected), "{error}");
        }
    }
}
