//! The provider directory (`/providers`, `/providers/new`, `/providers/{id}/edit`): the list
//! with its filters and each provider's live capacity, and the forms that add and change a
//! provider.

use super::{
    Check, capacity_text, check_of, checkbox, choices, country_organisations, label, list, name_of, names,
    organisations, problem, segment, tr_of,
};
use crate::AppState;
use crate::extract::{FormPairs, SignedIn};
use crate::i18n::Tr;
use crate::views::form::{PageForm, keyed};
use crate::views::page_error::{PageError, PageResult};
use crate::views::{Choice, PageCtx, can, render, see_other, with_status};
use askama::Template;
use axum::Router;
use axum::extract::{Path, Query, State};
use axum::http::HeaderMap;
use axum::routing::get;
use haven_app::Principal;
use haven_app::assist::ProviderView;
use haven_domain::assist::directory::{
    ContactPointInput, LanguageCode, OfferedServiceInput, OpeningHoursInput, OpeningSlotInput, ProviderInput,
    RegionCode,
};
use haven_domain::assist::services::{Audience, ServiceType};
use haven_domain::{Coded, Permission};
use serde::Deserialize;
use std::collections::HashMap;

pub(super) fn router() -> Router<AppState> {
    Router::new()
        .route("/providers", get(providers))
        .route("/providers/new", get(provider_new).post(provider_create))
        .route("/providers/{id}/edit", get(provider_edit).post(provider_update))
}

pub struct OfferLine {
    pub label: String,
    pub capacity: String,
}

pub struct ContactLine {
    pub label: String,
    pub phone: Option<String>,
    pub email: Option<String>,
}

pub struct ProviderCard {
    pub name: String,
    pub edit_href: String,
    pub organisation: String,
    pub specialised: bool,
    pub offers: Vec<OfferLine>,
    pub accepts: String,
    pub languages: String,
    pub regions: String,
    pub contacts: Vec<ContactLine>,
    pub hours: Vec<String>,
}

#[derive(Template)]
#[template(path = "assist_providers.html")]
struct ProvidersPage<'a> {
    ctx: PageCtx<'a>,
    services: Vec<Choice>,
    audiences: Vec<Choice>,
    language: String,
    region: String,
    q: String,
    cards: Vec<ProviderCard>,
    count: String,
    may_manage: bool,
    check: Check,
}

#[derive(Deserialize, Default)]
#[serde(default)]
struct DirectoryQuery {
    service: String,
    audience: String,
    language: String,
    region: String,
    q: String,
}

fn hours_lines(tr: &Tr<'_>, v: &ProviderView) -> Vec<String> {
    let h = &v.provider.opening_hours;
    if h.always_open {
        return vec![tr.t("support-always-open")];
    }
    if h.slots.is_empty() {
        return vec![tr.t("support-by-arrangement")];
    }
    h.slots
        .iter()
        .map(|s| format!("{} {}–{}", tr.t(&format!("support-weekday-{}", s.weekday)), s.opens, s.closes))
        .collect()
}

fn provider_card(tr: &Tr<'_>, orgs: &HashMap<String, String>, v: &ProviderView, may_manage: bool) -> ProviderCard {
    let pr = &v.provider;
    ProviderCard {
        name: pr.name.clone(),
        edit_href: if may_manage { format!("/providers/{}/edit", segment(&pr.id)) } else { String::new() },
        organisation: pr.organisation_id.as_deref().map(|o| name_of(orgs, o)).unwrap_or_default(),
        specialised: pr.trafficking_specialised,
        offers: pr
            .services
            .iter()
            .map(|s| OfferLine {
                label: label(tr, "service", s.service),
                capacity: capacity_text(tr, s.service, s.capacity, s.occupied),
            })
            .collect(),
        accepts: pr.accepts.iter().map(|a| label(tr, "audience", *a)).collect::<Vec<_>>().join(", "),
        languages: pr.languages.iter().map(LanguageCode::as_str).collect::<Vec<_>>().join(", "),
        regions: pr.regions.iter().map(ToString::to_string).collect::<Vec<_>>().join(", "),
        contacts: pr
            .contact_points
            .iter()
            .map(|c| ContactLine { label: c.label.clone(), phone: c.phone.clone(), email: c.email.clone() })
            .collect(),
        hours: hours_lines(tr, v),
    }
}

async fn providers(
    State(state): State<AppState>,
    SignedIn(p): SignedIn,
    headers: HeaderMap,
    Query(q): Query<DirectoryQuery>,
) -> PageResult {
    let all = state.app.providers(&p).await?;
    let orgs = names(&organisations(&state, &p).await?);
    let ctx = PageCtx::new(&state, Some(&p), &headers, "support-providers-title", "/providers");
    let tr = ctx.tr;
    let mut failed: Option<Check> = None;
    let mut fail = |at: &str, message: String| {
        if failed.is_none() {
            failed = Some(check_of(&tr, at, message));
        }
    };
    let service = match q.service.trim() {
        "" => None,
        s => ServiceType::parse_code("service", s).map_err(|e| fail("service", tr.problem(&e))).ok(),
    };
    let audience = match q.audience.trim() {
        "" => None,
        s => Audience::parse_code("audience", s).map_err(|e| fail("audience", tr.problem(&e))).ok(),
    };
    let language = match q.language.trim() {
        "" => None,
        s => {
            LanguageCode::parse("language", &s.to_ascii_lowercase()).map_err(|e| fail("language", tr.problem(&e))).ok()
        }
    };
    let region = match q.region.trim() {
        "" => None,
        s => RegionCode::parse("region", &s.to_ascii_uppercase()).map_err(|e| fail("region", tr.problem(&e))).ok(),
    };
    let needle = q.q.trim().to_lowercase();
    let may_manage = can(&p, Permission::ManageProviders);
    let mut shown: Vec<&ProviderView> = all
        .iter()
        .filter(|v| {
            let pr = &v.provider;
            service.is_none_or(|s| pr.offer(s).is_some())
                && audience.is_none_or(|a| pr.accepts(a))
                && language.is_none_or(|l| pr.languages.contains(&l))
                && region.is_none_or(|r| pr.regions.iter().any(|x| x.covers(&r) || r.covers(x)))
                && (needle.is_empty() || pr.name.to_lowercase().contains(&needle))
        })
        .collect();
    shown.sort_by(|a, b| a.provider.name.cmp(&b.provider.name).then(a.provider.id.cmp(&b.provider.id)));
    let cards: Vec<ProviderCard> = shown.iter().map(|v| provider_card(&tr, &orgs, v, may_manage)).collect();
    let check = failed.unwrap_or_default();
    let status = check.status();
    let page = ProvidersPage {
        services: choices(&tr, "service", ServiceType::ALL, &[q.service.trim()]),
        audiences: choices(&tr, "audience", Audience::ALL, &[q.audience.trim()]),
        language: q.language,
        region: q.region,
        q: q.q,
        count: tr.t1("support-providers-count", "count", &cards.len().to_string()),
        cards,
        may_manage,
        check,
        ctx,
    };
    Ok(with_status(render(&page), status))
}

// ------------------------------------------------------------------ provider form

pub struct OfferRow {
    pub code: &'static str,
    pub label: String,
    pub offered: bool,
    pub capacity: String,
}

/// The provider form's values as typed.
#[derive(Default)]
struct ProviderTyped {
    id: String,
    name: String,
    organisation_id: String,
    offers: Vec<(ServiceType, bool, String)>,
    languages: String,
    regions: String,
    accepts: Vec<String>,
    specialised: bool,
    contacts: String,
    always_open: bool,
    hours: String,
    version: i64,
}

/// The provider form as sent: the inputs of [`ProviderInput`] that are one each. The services
/// come as `service.SERVICE` (offered) and `capacity.SERVICE`, the audiences as repeated
/// `accepts`, the contacts and the opening hours one a line ([`ProviderTyped::input`]).
#[derive(Deserialize, Default)]
#[serde(default)]
struct ProviderForm {
    id: String,
    name: String,
    organisation_id: String,
    languages: String,
    regions: String,
    #[serde(deserialize_with = "checkbox")]
    trafficking_specialised: bool,
    contact_points: String,
    #[serde(deserialize_with = "checkbox")]
    always_open: bool,
    opening_hours: String,
    version: i64,
}

impl ProviderTyped {
    fn from_form(form: ProviderForm, pairs: &FormPairs) -> Self {
        let offered = keyed(pairs, "service");
        let capacity = keyed(pairs, "capacity");
        ProviderTyped {
            id: form.id.trim().to_owned(),
            name: form.name,
            organisation_id: form.organisation_id,
            offers: ServiceType::ALL
                .iter()
                .map(|s| {
                    let code = s.code();
                    let on = offered.get(code).is_some_and(|v| super::is_on(v));
                    (*s, on, capacity.get(code).cloned().unwrap_or_default())
                })
                .collect(),
            languages: form.languages,
            regions: form.regions,
            accepts: pairs.all("accepts"),
            specialised: form.trafficking_specialised,
            contacts: form.contact_points,
            always_open: form.always_open,
            hours: form.opening_hours,
            version: form.version,
        }
    }

    fn from_view(v: &ProviderView) -> Self {
        let pr = &v.provider;
        ProviderTyped {
            id: pr.id.clone(),
            name: pr.name.clone(),
            organisation_id: pr.organisation_id.clone().unwrap_or_default(),
            offers: ServiceType::ALL
                .iter()
                .map(|s| {
                    let offer = pr.offer(*s);
                    (*s, offer.is_some(), offer.and_then(|o| o.capacity).map(|c| c.to_string()).unwrap_or_default())
                })
                .collect(),
            languages: pr.languages.iter().map(LanguageCode::as_str).collect::<Vec<_>>().join(", "),
            regions: pr.regions.iter().map(ToString::to_string).collect::<Vec<_>>().join(", "),
            accepts: pr.accepts.iter().map(|a| a.code().to_owned()).collect(),
            specialised: pr.trafficking_specialised,
            contacts: pr
                .contact_points
                .iter()
                .map(|c| {
                    [Some(c.label.as_str()), c.phone.as_deref(), c.email.as_deref()]
                        .into_iter()
                        .flatten()
                        .collect::<Vec<_>>()
                        .join("; ")
                })
                .collect::<Vec<_>>()
                .join("\n"),
            always_open: pr.opening_hours.always_open,
            hours: pr
                .opening_hours
                .slots
                .iter()
                .map(|s| format!("{} {}-{}", s.weekday, s.opens, s.closes))
                .collect::<Vec<_>>()
                .join("\n"),
            version: v.version,
        }
    }

    /// The provider input, and for each of its services the service (to place errors).
    /// A line that does not read is named by the input at fault and a message in the reader's
    /// language.
    fn input(&self, tr: &Tr<'_>, country: &str) -> Result<(ProviderInput, Vec<ServiceType>), (String, String)> {
        let bad = |at: &str, message: String| (at.to_owned(), message);
        let id = if self.id.is_empty() { slug(&self.name) } else { self.id.clone() };
        if id.is_empty() {
            return Err(bad("id", tr.t("support-problem-provider-id")));
        }
        let mut services = Vec::new();
        let mut order = Vec::new();
        for (service, offered, capacity) in &self.offers {
            if !offered {
                continue;
            }
            let capacity = match capacity.trim() {
                "" => None,
                c => Some(c.parse::<u32>().map_err(|_| {
                    bad(&format!("capacity.{}", service.code()), tr.t1("support-problem-capacity", "value", c))
                })?),
            };
            services.push(OfferedServiceInput { service: service.code().to_owned(), capacity, occupied: 0 });
            order.push(*service);
        }
        let mut contact_points = Vec::new();
        for (n, line) in self.contacts.lines().enumerate().filter(|(_, l)| !l.trim().is_empty()) {
            let mut parts = line.split(';').map(str::trim);
            let label = parts.next().unwrap_or_default().to_owned();
            let (mut phone, mut email) = (None, None);
            for part in parts.filter(|p| !p.is_empty()) {
                if part.contains('@') {
                    email = Some(part.to_owned());
                } else {
                    phone = Some(part.to_owned());
                }
            }
            if label.is_empty() {
                return Err(bad("contact_points", tr.t1("support-problem-contact-line", "line", &(n + 1).to_string())));
            }
            contact_points.push(ContactPointInput { label, phone, email });
        }
        let mut slots = Vec::new();
        for (n, line) in self.hours.lines().enumerate().filter(|(_, l)| !l.trim().is_empty()) {
            let shape = || bad("opening_hours", tr.t1("support-problem-hours-line", "line", &(n + 1).to_string()));
            let mut parts = line.split_whitespace();
            let weekday = parts.next().and_then(|d| d.parse::<u8>().ok()).ok_or_else(shape)?;
            let times: String = parts.collect();
            let (opens, closes) = times.split_once(['-', '–']).ok_or_else(shape)?;
            slots.push(OpeningSlotInput { weekday, opens: opens.trim().to_owned(), closes: closes.trim().to_owned() });
        }
        let input = ProviderInput {
            id,
            organisation_id: Some(self.organisation_id.trim().to_owned()).filter(|o| !o.is_empty()),
            name: self.name.clone(),
            country: country.to_owned(),
            services,
            languages: list(&self.languages).into_iter().map(|l| l.to_ascii_lowercase()).collect(),
            regions: list(&self.regions).into_iter().map(|r| r.to_ascii_uppercase()).collect(),
            accepts: self.accepts.clone(),
            trafficking_specialised: self.specialised,
            contact_points,
            opening_hours: OpeningHoursInput { always_open: self.always_open, slots },
        };
        Ok((input, order))
    }
}

/// An identifier made from a name: lower-case letters and digits, hyphens between.
fn slug(name: &str) -> String {
    let mut out = String::new();
    for c in name.trim().chars().flat_map(char::to_lowercase) {
        let folded = match c {
            'ā' | 'á' | 'à' | 'ä' | 'å' => 'a',
            'č' | 'ç' | 'ć' => 'c',
            'ē' | 'é' | 'è' | 'ë' | 'ė' | 'ę' => 'e',
            'ģ' | 'ğ' => 'g',
            'ī' | 'í' | 'ì' | 'ï' | 'į' => 'i',
            'ķ' => 'k',
            'ļ' | 'ł' => 'l',
            'ņ' | 'ñ' | 'ń' => 'n',
            'ō' | 'ó' | 'ò' | 'ö' | 'õ' => 'o',
            'š' | 'ś' => 's',
            'ū' | 'ú' | 'ù' | 'ü' | 'ų' => 'u',
            'ž' | 'ź' | 'ż' => 'z',
            c => c,
        };
        if folded.is_ascii_alphanumeric() {
            out.push(folded);
        } else if !out.is_empty() && !out.ends_with('-') {
            out.push('-');
        }
        if out.len() >= 60 {
            break;
        }
    }
    out.trim_end_matches('-').to_owned()
}

/// Where an error of the provider's input shows on the form.
fn provider_place(order: &[ServiceType], field: &str) -> String {
    if let Some(rest) = field.strip_prefix("services[")
        && let Some((index, what)) = rest.split_once(']')
    {
        return match (index.parse::<usize>().ok().and_then(|i| order.get(i)), what) {
            (Some(s), ".capacity") => format!("capacity.{}", s.code()),
            _ => "services".into(),
        };
    }
    let base = field.split(['[', '.']).next().unwrap_or(field);
    match base {
        "languages" | "regions" | "accepts" | "contact_points" | "opening_hours" | "services" => base.to_owned(),
        other => other.to_owned(),
    }
}

#[derive(Template)]
#[template(path = "assist_provider_form.html")]
struct ProviderFormPage<'a> {
    ctx: PageCtx<'a>,
    editing: bool,
    action: String,
    id: String,
    name: String,
    organisations: Vec<Choice>,
    country: String,
    offers: Vec<OfferRow>,
    languages: String,
    regions: String,
    audiences: Vec<Choice>,
    specialised: bool,
    contacts: String,
    always_open: bool,
    hours: String,
    version: i64,
    check: Check,
}

async fn provider_form_page(
    state: &AppState,
    p: &Principal,
    headers: &HeaderMap,
    editing: bool,
    typed: &ProviderTyped,
    check: Check,
) -> PageResult {
    let orgs = organisations(state, p).await?;
    let title = if editing { "support-provider-edit-title" } else { "support-provider-new-title" };
    let ctx = PageCtx::new(state, Some(p), headers, title, "/providers");
    let tr = ctx.tr;
    let status = check.status();
    let accepts: Vec<&str> = typed.accepts.iter().map(String::as_str).collect();
    let page = ProviderFormPage {
        editing,
        action: if editing { format!("/providers/{}/edit", segment(&typed.id)) } else { "/providers/new".into() },
        id: typed.id.clone(),
        name: typed.name.clone(),
        organisations: country_organisations(&orgs, p)
            .into_iter()
            .map(|o| Choice {
                value: o.id.clone(),
                label: o.name.clone(),
                selected: o.id == typed.organisation_id.trim(),
            })
            .collect(),
        country: p.organisation.jurisdiction.code().to_owned(),
        offers: typed
            .offers
            .iter()
            .map(|(s, offered, capacity)| OfferRow {
                code: s.code(),
                label: label(&tr, "service", *s),
                offered: *offered,
                capacity: capacity.clone(),
            })
            .collect(),
        languages: typed.languages.clone(),
        regions: typed.regions.clone(),
        audiences: choices(&tr, "audience", Audience::ALL, &accepts),
        specialised: typed.specialised,
        contacts: typed.contacts.clone(),
        always_open: typed.always_open,
        hours: typed.hours.clone(),
        version: typed.version,
        check,
        ctx,
    };
    Ok(with_status(render(&page), status))
}

async fn provider_new(State(state): State<AppState>, SignedIn(p): SignedIn, headers: HeaderMap) -> PageResult {
    state.app.require(&p, Permission::ManageProviders).await?;
    let typed = ProviderTyped {
        offers: ServiceType::ALL.iter().map(|s| (*s, false, String::new())).collect(),
        ..ProviderTyped::default()
    };
    provider_form_page(&state, &p, &headers, false, &typed, Check::none()).await
}

async fn provider_edit(
    State(state): State<AppState>,
    SignedIn(p): SignedIn,
    headers: HeaderMap,
    Path(id): Path<String>,
) -> PageResult {
    let view = state.app.provider_to_edit(&p, &id).await?;
    provider_form_page(&state, &p, &headers, true, &ProviderTyped::from_view(&view), Check::none()).await
}

/// Saves a new provider, or the one `editing`; a problem shows the form again as typed.
async fn provider_save(
    state: &AppState,
    p: &Principal,
    headers: &HeaderMap,
    editing: Option<String>,
    form: Result<PageForm<ProviderForm>, PageError>,
) -> PageResult {
    state.app.require(p, Permission::ManageProviders).await?;
    let PageForm { input, pairs } = form?;
    let mut typed = ProviderTyped::from_form(input, &pairs);
    let version = match &editing {
        Some(id) => {
            // The identifier is the one being edited, whatever the form says.
            typed.id = id.clone();
            state.app.provider_to_edit(p, id).await?;
            Some(typed.version)
        }
        None => None,
    };
    let tr = tr_of(state, p, headers);
    let (input, order) = match typed.input(&tr, p.organisation.jurisdiction.code()) {
        Ok(x) => x,
        Err((at, message)) => {
            let check = check_of(&tr, &at, message);
            return provider_form_page(state, p, headers, editing.is_some(), &typed, check).await;
        }
    };
    match state.app.save_provider(p, &input, version).await {
        Ok(_) => Ok(see_other("/providers")),
        Err(e) => {
            let check = problem(&tr, e, |f| provider_place(&order, f))?;
            provider_form_page(state, p, headers, editing.is_some(), &typed, check).await
        }
    }
}

async fn provider_create(
    State(state): State<AppState>,
    SignedIn(p): SignedIn,
    headers: HeaderMap,
    form: Result<PageForm<ProviderForm>, PageError>,
) -> PageResult {
    provider_save(&state, &p, &headers, None, form).await
}

async fn provider_update(
    State(state): State<AppState>,
    SignedIn(p): SignedIn,
    headers: HeaderMap,
    Path(id): Path<String>,
    form: Result<PageForm<ProviderForm>, PageError>,
) -> PageResult {
    provider_save(&state, &p, &headers, Some(id), form).await
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn slugs_are_ascii_with_single_hyphens() {
        assert_eq!(slug("Patvērums Drošā Māja"), "patverums-drosa-maja");
        assert_eq!(slug("  Riga -- Shelter! "), "riga-shelter");
        assert_eq!(slug("!!!"), "");
    }

    #[test]
    fn provider_errors_land_on_their_inputs() {
        let order = [ServiceType::SafeAccommodation, ServiceType::MedicalTreatment];
        assert_eq!(provider_place(&order, "services[1].capacity"), "capacity.medical_treatment");
        assert_eq!(provider_place(&order, "services[7].capacity"), "services");
        assert_eq!(provider_place(&order, "languages[2]"), "languages");
        assert_eq!(provider_place(&order, "opening_hours.slots[0].opens"), "opening_hours");
        assert_eq!(provider_place(&order, "name"), "name");
    }
}
