//! User-interface strings in English and Latvian, from Fluent message files compiled into the
//! binary (`locales/*.ftl`).

use fluent_bundle::concurrent::FluentBundle;
use fluent_bundle::{FluentArgs, FluentResource, FluentValue};
use haven_domain::Language;

const EN: &str = include_str!("../locales/en.ftl");
const LV: &str = include_str!("../locales/lv.ftl");
/// Labels of the identification module's coded values and pages.
const EN_IDENT: &str = include_str!("../locales/en-ident.ftl");
const LV_IDENT: &str = include_str!("../locales/lv-ident.ftl");

#[derive(Debug, thiserror::Error)]
pub enum I18nError {
    #[error("message file {file}: {message}")]
    Invalid { file: &'static str, message: String },
}

type Bundle = FluentBundle<FluentResource>;

pub struct I18n {
    en: Bundle,
    lv: Bundle,
}

fn bundle(file: &'static str, sources: &[&str], lang: &str) -> Result<Bundle, I18nError> {
    let id: unic_langid::LanguageIdentifier =
        lang.parse().map_err(|_| I18nError::Invalid { file, message: "bad language id".into() })?;
    let mut bundle = FluentBundle::new_concurrent(vec![id]);
    bundle.set_use_isolating(false);
    for source in sources {
        let resource = FluentResource::try_new((*source).to_owned())
            .map_err(|(_, errors)| I18nError::Invalid { file, message: format!("{errors:?}") })?;
        bundle.add_resource(resource).map_err(|errors| I18nError::Invalid { file, message: format!("{errors:?}") })?;
    }
    Ok(bundle)
}

impl I18n {
    pub fn load() -> Result<I18n, I18nError> {
        Ok(I18n { en: bundle("en.ftl", &[EN, EN_IDENT], "en")?, lv: bundle("lv.ftl", &[LV, LV_IDENT], "lv")? })
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
            Language::English => format!("{EN}\n{EN_IDENT}"),
            Language::Latvian => format!("{LV}\n{LV_IDENT}"),
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
}
