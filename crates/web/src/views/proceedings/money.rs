//! The money of an investigation (`/investigations/{id}/money`): its assets with their freezing,
//! seizure, confiscation order and realisations (Dir 2011/36 Art 7; CETS 197 Art 23(3)), the
//! realised proceeds allocated to a victim's compensation claim and paid out where national
//! practice allows it (CETS 197 Art 15(4)), the financial investigation that runs alongside
//! (Dir 2011/36 Art 9(4)) with its items, and the export package for a request of Europol (a
//! download). Each write posts to its own address, calls one use case of
//! `haven_app::proceedings_money` and comes back here; a refused one shows this page again with
//! what was typed and the problem at its input (422).

use super::{Builder, Field, FormView, Typed, all, coded_label as label, one, options};
use crate::AppState;
use crate::extract::{FormPairs, SignedIn};
use crate::i18n::Tr;
use crate::views::form::{FormProblem, PageForm};
use crate::views::page_error::PageResult;
use crate::views::{PageCtx, render, with_status};
use askama::Template;
use axum::Router;
use axum::extract::{Path, State};
use axum::http::{HeaderMap, HeaderValue, header};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use haven_app::proceedings_money::{AllocationInput, FinancialStatusInput, PayoutInput};
use haven_app::{AppError, Principal};
use haven_domain::Coded;
use haven_domain::assist::compensation::CurrencyCode;
use haven_domain::proceedings::assets::{Amount, AssetInput, AssetKind, MeasureInput, MeasureKind, minor_units};
use haven_domain::proceedings::europol::{ExportPart, ExportRequestInput};
use haven_domain::proceedings::financial::{
    AccountKind, BusinessRole, FinancialItem, FinancialItemInput, FinancialStatus, FindingKind, ItemKind, PropertyKind,
    TransferChannel,
};
use serde::de::IgnoredAny;

pub(super) fn router() -> Router<AppState> {
    Router::new()
        .route("/investigations/{id}/money", get(super::show::<Money>))
        .route("/investigations/{id}/assets", post(asset))
        .route("/investigations/{id}/asset-measures", post(measure))
        .route("/investigations/{id}/allocations", post(allocation))
        .route("/investigations/{id}/payouts", post(payout))
        .route("/investigations/{id}/financial/status", post(financial_status))
        .route("/investigations/{id}/financial/items", post(financial_item))
        .route("/investigations/{id}/europol-export", post(europol_export))
}

// ------------------------------------------------------------------ shared by the new pages

/// The label of an input of the form `key` (`pp-FORM-NAME`, else `pp-field-NAME`, else the
/// proceedings' `proc-field-NAME`), the form being the key up to its first `-`.
pub(super) fn page_label(tr: &Tr<'_>, key: &str, name: &str) -> String {
    let form = key.split('-').next().unwrap_or(key);
    // members[1].country is a row of the member inputs (member_country_1).
    let row;
    let name = match name.strip_prefix("members[").and_then(|r| r.split_once("].")) {
        Some((_, inner)) => {
            row = format!("member_{inner}");
            row.as_str()
        }
        None => name,
    };
    let base = name.rsplit('.').next().unwrap_or(name);
    let base = base.split('[').next().unwrap_or(base);
    let base = base.trim_end_matches(|c: char| c.is_ascii_digit() || c == '_');
    for id in [format!("pp-{form}-{base}"), format!("pp-field-{base}")] {
        let text = tr.t(&id);
        if text != id {
            return text;
        }
    }
    super::label(tr, name)
}

/// The fields of a form with their labels of the new pages.
pub(super) fn labelled(tr: &Tr<'_>, key: &str, mut fields: Vec<Field>) -> Vec<Field> {
    for f in &mut fields {
        f.label = page_label(tr, key, &f.name);
    }
    fields
}

/// A form of the new pages: its title and button from `pp-TITLE`, its inputs labelled.
pub(super) fn page_form(b: &Builder<'_>, action: String, title_id: &str, fields: Vec<Field>) -> FormView {
    b.form(action, title_id, labelled(&b.tr, &b.key, fields))
}

/// A field with a hint.
pub(super) fn hinted(mut f: Field, tr: &Tr<'_>, hint_id: &str) -> Field {
    f.hint = tr.t(hint_id);
    f
}

/// The problem a refused write is for the form `key`: the input at fault is `key-NAME` (for a
/// field named within a list, `key-NAME_i` where the form has such rows); `None` when the error
/// is not about what was typed.
pub(super) fn problem_of(tr: &Tr<'_>, key: &str, error: AppError) -> Result<FormProblem, AppError> {
    let place = |field: &str| {
        // members[1].country -> member_country_1; suspects[2].name -> name
        if let Some(rest) = field.strip_prefix("members[")
            && let Some((i, name)) = rest.split_once("].")
        {
            return format!("{key}-member_{name}_{i}");
        }
        let inner = field.rsplit('.').next().unwrap_or(field);
        format!("{key}-{}", inner.split('[').next().unwrap_or(inner))
    };
    FormProblem::of(tr, error, place, |tr, _, field| page_label(tr, key, field))
}

/// Euro cents as euros.
pub(super) fn euros(cents: i64) -> String {
    let sign = if cents < 0 { "-" } else { "" };
    format!("{sign}{}.{:02} EUR", (cents / 100).abs(), (cents % 100).abs())
}

/// Minor units of `currency` as a decimal with its ISO 4217 places (JPY none, BHD three), and
/// the code.
fn in_currency(minor: i64, currency: CurrencyCode) -> String {
    let places = minor_units(currency).unwrap_or(2);
    let sign = if minor < 0 { "-" } else { "" };
    let scale = 10_i64.pow(places);
    let whole = (minor / scale).abs();
    if places == 0 {
        format!("{sign}{whole} {currency}")
    } else {
        let part = (minor % scale).abs();
        format!("{sign}{whole}.{part:0width$} {currency}", width = places as usize)
    }
}

/// An amount in minor units with its currency, and its rate to the euro where it has one.
fn amount(tr: &Tr<'_>, a: &Amount) -> String {
    let mut text = in_currency(a.minor, a.currency);
    if let Some(r) = a.euro_rate {
        let rate = format!("{}.{:06}", r.rate_micro / 1_000_000, r.rate_micro % 1_000_000);
        let rate = rate.trim_end_matches('0').trim_end_matches('.').to_owned();
        text.push_str(&format!(
            " ({})",
            tr.args(
                "pp-rate-of",
                &[("rate", &rate), ("date", &r.rate_on.to_string()), ("euros", &euros(a.in_euro_cents()))]
            )
        ));
    }
    text
}

// ------------------------------------------------------------------ the page

/// A measure, an allocation or an item as a line.
struct Line {
    text: String,
    form: Option<FormView>,
}

struct AssetLine {
    anchor: String,
    title: String,
    facts: Vec<(String, String)>,
    measures: Vec<Line>,
    allocations: Vec<Line>,
    forms: Vec<FormView>,
}

#[derive(Template)]
#[template(path = "proceedings_money.html")]
struct MoneyPage<'a> {
    ctx: PageCtx<'a>,
    back: String,
    reference: String,
    totals: Vec<(String, String)>,
    proceeds_to_compensation: String,
    sources: Vec<String>,
    assets: Vec<AssetLine>,
    asset_form: Option<FormView>,
    financial: Vec<(String, String)>,
    items: Vec<Line>,
    financial_forms: Vec<FormView>,
    export_form: Option<FormView>,
    check: FormProblem,
}

async fn page(
    state: &AppState,
    p: &Principal,
    headers: &HeaderMap,
    id: &str,
    typed: &Typed,
    check: FormProblem,
) -> PageResult {
    let view = state.app.investigation(p, id).await?;
    let money = state.app.assets(p, id).await?;
    let fin = state.app.financial_investigation(p, id).await?;
    let ctx = PageCtx::new(state, Some(p), headers, "pp-money-title", "/investigations");
    let tr = ctx.tr;
    let today = state.app.today().to_string();
    let base = format!("/investigations/{id}");
    let write = money.actions.write;
    let suspects: Vec<(String, String)> =
        view.suspects.iter().map(|s| (s.suspect.id.clone(), s.suspect.name.as_str().to_owned())).collect();
    let suspect_name = |sid: &str| suspects.iter().find(|(i, _)| i == sid).map(|(_, n)| n.clone());

    let mut assets = Vec::new();
    for a in &money.assets {
        let asset = &a.asset;
        let mut facts = vec![
            (tr.t("pp-field-value"), amount(&tr, &asset.value)),
            (tr.t("pp-field-valued_on"), asset.valued_on.to_string()),
            (tr.t("pp-field-held_in"), asset.held_in.to_string()),
            (tr.t("pp-field-held_at"), asset.held_at.clone()),
        ];
        if let Some(name) = asset.suspect_id.as_deref().and_then(suspect_name) {
            facts.push((tr.t("pp-field-suspect_id"), name));
        }
        facts.push((tr.t("proc-total-realised"), euros(a.realised_euro_cents)));
        facts.push((tr.t("pp-available"), euros(a.available_euro_cents)));
        let measures = a
            .measures
            .iter()
            .map(|m| {
                let mut text = format!("{}: {}", label(&tr, "measure-kind", m.kind), m.on);
                if let Some(am) = &m.amount {
                    text.push_str(&format!(", {}", amount(&tr, am)));
                }
                if !m.reference.is_empty() {
                    text.push_str(&format!(" ({})", m.reference));
                }
                Line { text, form: None }
            })
            .collect();
        let allocations = a
            .allocations
            .iter()
            .map(|al| {
                let x = &al.allocation;
                let text = tr.args(
                    "pp-allocation-line",
                    &[
                        ("claim", &x.claim_id),
                        ("amount", &euros(x.amount_euro_cents)),
                        ("date", &x.allocated_on.to_string()),
                        ("paid", &euros(x.paid_out_euro_cents)),
                    ],
                );
                let form = (write && x.paid_out_euro_cents < x.amount_euro_cents).then(|| {
                    let b = Builder::new(tr, format!("payout-{}", x.id), typed, &check);
                    let mut f = page_form(
                        &b,
                        format!("{base}/payouts"),
                        "pp-record-payout",
                        vec![hinted(b.number("amount"), &tr, "pp-cents-hint"), b.date("on", &today)],
                    );
                    f.hidden.push(("allocation_id".into(), x.id.clone()));
                    f.hidden.push(("version".into(), al.version.to_string()));
                    f
                });
                Line { text, form }
            })
            .collect();
        let mut forms = Vec::new();
        if write {
            let b = Builder::new(tr, format!("measure-{}", asset.id), typed, &check);
            let mut f = page_form(
                &b,
                format!("{base}/asset-measures"),
                "pp-add-measure",
                vec![
                    b.select("kind", options::<MeasureKind>(&tr, "measure-kind"), true, ""),
                    b.date("on", &today),
                    hinted(b.number("amount"), &tr, "pp-minor-hint"),
                    b.text("currency", asset.value.currency.as_str()),
                    hinted(b.text("rate", ""), &tr, "pp-rate-hint"),
                    b.date("rate_on", ""),
                    b.text("reference", ""),
                ],
            );
            f.hidden.push(("asset_id".into(), asset.id.clone()));
            forms.push(f);
            if money.proceeds_to_compensation && a.available_euro_cents > 0 {
                let b = Builder::new(tr, format!("allocation-{}", asset.id), typed, &check);
                let mut f = page_form(
                    &b,
                    format!("{base}/allocations"),
                    "pp-allocate",
                    vec![
                        hinted(b.text("claim_id", ""), &tr, "pp-claim-hint"),
                        hinted(b.number("amount"), &tr, "pp-cents-hint"),
                    ],
                );
                f.hidden.push(("asset_id".into(), asset.id.clone()));
                forms.push(f);
            }
        }
        assets.push(AssetLine {
            anchor: format!("asset-{}", asset.id),
            title: format!("{}: {}", label(&tr, "asset-kind", asset.kind), asset.description.as_str()),
            facts,
            measures,
            allocations,
            forms,
        });
    }
    let suspect_options = suspects.clone();
    let asset_form = write.then(|| {
        let b = Builder::new(tr, "asset", typed, &check);
        page_form(
            &b,
            format!("{base}/assets"),
            "pp-add-asset",
            vec![
                b.select("kind", options::<AssetKind>(&tr, "asset-kind"), true, ""),
                b.textarea("description"),
                hinted(b.number("value"), &tr, "pp-minor-hint"),
                b.text("currency", "EUR"),
                hinted(b.text("rate", ""), &tr, "pp-rate-hint"),
                b.date("rate_on", ""),
                b.date("valued_on", &today),
                hinted(b.text("held_in", ""), &tr, "pp-country-hint"),
                b.text("held_at", ""),
                b.select("suspect_id", suspect_options.clone(), true, ""),
            ],
        )
    });

    // The financial investigation.
    let f = &fin.financial;
    let mut financial = vec![
        (tr.t("proc-status"), label(&tr, "financial-status", f.status)),
        (tr.t("proc-status-since"), f.since.to_string()),
    ];
    if let Some(r) = &f.reasons {
        financial.push((tr.t("proc-field-reasons"), r.as_str().to_owned()));
    }
    let accounts: Vec<(String, String)> = fin
        .items
        .iter()
        .filter_map(|i| match &i.item {
            FinancialItem::Account { institution, identifier, .. } => {
                Some((i.id.clone(), format!("{institution} {identifier}")))
            }
            _ => None,
        })
        .collect();
    let account_name = |aid: &Option<String>| {
        aid.as_deref().and_then(|a| accounts.iter().find(|(i, _)| i == a)).map(|(_, n)| n.clone())
    };
    let items = fin
        .items
        .iter()
        .map(|i| {
            let text = match &i.item {
                FinancialItem::Account { account_kind, institution, country, identifier, holder_suspect_id } => {
                    let mut t = format!(
                        "{}: {institution}, {country}, {identifier}",
                        label(&tr, "account-kind", *account_kind)
                    );
                    if let Some(n) = holder_suspect_id.as_deref().and_then(suspect_name) {
                        t.push_str(&format!(" ({n})"));
                    }
                    t
                }
                FinancialItem::Transfer {
                    channel,
                    on,
                    amount: minor,
                    currency,
                    from_account_id,
                    to_account_id,
                    from_country,
                    to_country,
                } => {
                    let mut t = format!(
                        "{}: {on}, {}, {from_country} → {to_country}",
                        label(&tr, "transfer-channel", *channel),
                        in_currency(*minor, *currency)
                    );
                    if let (Some(from), Some(to)) = (account_name(from_account_id), account_name(to_account_id)) {
                        t.push_str(&format!(" ({from} → {to})"));
                    }
                    t
                }
                FinancialItem::Business { role, name, country, registration_number, suspect_id } => {
                    let mut t = format!("{}: {name}, {country}", label(&tr, "business-role", *role));
                    if !registration_number.is_empty() {
                        t.push_str(&format!(", {registration_number}"));
                    }
                    if let Some(n) = suspect_id.as_deref().and_then(suspect_name) {
                        t.push_str(&format!(" ({n})"));
                    }
                    t
                }
                FinancialItem::Property { property_kind, description, country, suspect_id } => {
                    let mut t =
                        format!("{}: {}, {country}", label(&tr, "property-kind", *property_kind), description.as_str());
                    if let Some(n) = suspect_id.as_deref().and_then(suspect_name) {
                        t.push_str(&format!(" ({n})"));
                    }
                    t
                }
                FinancialItem::Finding { finding_kind, narrative } => {
                    format!("{}: {}", label(&tr, "finding-kind", *finding_kind), narrative.as_str())
                }
            };
            Line { text: format!("{}: {text}", label(&tr, "item-kind", i.item.kind())), form: None }
        })
        .collect();
    let mut financial_forms = Vec::new();
    if fin.actions.write {
        let b = Builder::new(tr, "finstatus", typed, &check);
        let next: Vec<(String, String)> = FinancialStatus::ALL
            .iter()
            .filter(|s| **s != f.status)
            .map(|s| (s.code().to_owned(), label(&tr, "financial-status", *s)))
            .collect();
        let mut form = page_form(
            &b,
            format!("{base}/financial/status"),
            "pp-change-financial-status",
            vec![
                b.select("status", next, false, ""),
                hinted(b.textarea("reasons"), &tr, "pp-financial-reasons-hint"),
                b.date("on", &today),
            ],
        );
        form.hidden.push(("version".into(), fin.version.to_string()));
        financial_forms.push(form);
        let suspect_field = |b: &Builder<'_>| b.select("suspect_id", suspect_options.clone(), true, "");
        for kind in ItemKind::ALL {
            let key = format!("item_{}", kind.code());
            let b = Builder::new(tr, key, typed, &check);
            let fields = match kind {
                ItemKind::Account => vec![
                    b.select("coded", options::<AccountKind>(&tr, "account-kind"), true, ""),
                    b.text("institution", ""),
                    hinted(b.text("country", ""), &tr, "pp-country-hint"),
                    b.text("identifier", ""),
                    suspect_field(&b),
                ],
                ItemKind::Transfer => vec![
                    b.select("coded", options::<TransferChannel>(&tr, "transfer-channel"), true, ""),
                    b.date("on", ""),
                    hinted(b.number("amount"), &tr, "pp-minor-hint"),
                    b.text("currency", "EUR"),
                    hinted(b.text("country", ""), &tr, "pp-country-hint"),
                    hinted(b.text("to_country", ""), &tr, "pp-country-hint"),
                    b.select("from_account_id", accounts.clone(), true, ""),
                    b.select("to_account_id", accounts.clone(), true, ""),
                ],
                ItemKind::Business => vec![
                    b.select("coded", options::<BusinessRole>(&tr, "business-role"), true, ""),
                    b.text("name", ""),
                    hinted(b.text("country", ""), &tr, "pp-country-hint"),
                    b.text("identifier", ""),
                    suspect_field(&b),
                ],
                ItemKind::Property => vec![
                    b.select("coded", options::<PropertyKind>(&tr, "property-kind"), true, ""),
                    b.textarea("text"),
                    hinted(b.text("country", ""), &tr, "pp-country-hint"),
                    suspect_field(&b),
                ],
                ItemKind::Finding => {
                    vec![b.select("coded", options::<FindingKind>(&tr, "finding-kind"), true, ""), b.textarea("text")]
                }
            };
            let mut form =
                page_form(&b, format!("{base}/financial/items"), &format!("pp-add-item-{}", kind.code()), fields);
            form.hidden.push(("kind".into(), kind.code().to_owned()));
            financial_forms.push(form);
        }
    }
    let export_form = write.then(|| {
        let b = Builder::new(tr, "export", typed, &check);
        page_form(
            &b,
            format!("{base}/europol-export"),
            "pp-europol-export",
            vec![
                b.text("request_reference", ""),
                b.multi("parts", options::<ExportPart>(&tr, "export-part")),
                hinted(b.textarea("justification"), &tr, "pp-justification-hint"),
            ],
        )
    });

    let totals = [
        ("frozen", money.totals.frozen),
        ("seized", money.totals.seized),
        ("confiscated", money.totals.confiscated),
        ("realised", money.totals.realised),
        ("allocated", money.totals.allocated),
        ("paid_out", money.totals.paid_out),
    ]
    .into_iter()
    .map(|(k, v)| (tr.t(&format!("proc-total-{k}")), euros(v)))
    .collect();
    let status = check.status();
    let page = MoneyPage {
        back: base,
        reference: view.investigation.reference.clone(),
        totals,
        proceeds_to_compensation: tr.t(if money.proceeds_to_compensation { "proc-yes" } else { "proc-no" }),
        sources: money.practice_sources.clone(),
        assets,
        asset_form,
        financial,
        items,
        financial_forms,
        export_form,
        check,
        ctx,
    };
    Ok(with_status(render(&page), status))
}

/// This page, for [`super::show`] and [`super::save`].
pub(super) struct Money;

impl super::FormPage for Money {
    const PATH: &'static str = "/money";

    async fn draw(
        state: &AppState,
        p: &Principal,
        headers: &HeaderMap,
        id: &str,
        typed: &Typed,
        check: FormProblem,
    ) -> PageResult {
        page(state, p, headers, id, typed, check).await
    }
}

type Form = PageForm<IgnoredAny>;

fn version(f: &FormPairs) -> i64 {
    one(f, "version").trim().parse().unwrap_or(-1)
}

async fn asset(
    State(state): State<AppState>,
    SignedIn(p): SignedIn,
    headers: HeaderMap,
    Path(id): Path<String>,
    form: Form,
) -> PageResult {
    let f = &form.pairs;
    let input = AssetInput {
        kind: one(f, "kind"),
        description: one(f, "description"),
        value: one(f, "value"),
        currency: one(f, "currency"),
        rate: one(f, "rate"),
        rate_on: one(f, "rate_on"),
        valued_on: one(f, "valued_on"),
        held_in: one(f, "held_in"),
        held_at: one(f, "held_at"),
        suspect_id: one(f, "suspect_id"),
    };
    let result = state.app.add_asset(&p, &id, &input).await;
    super::save::<Money, _>(&state, &p, &headers, &id, "asset", f, result).await
}

async fn measure(
    State(state): State<AppState>,
    SignedIn(p): SignedIn,
    headers: HeaderMap,
    Path(id): Path<String>,
    form: Form,
) -> PageResult {
    let f = &form.pairs;
    let asset = one(f, "asset_id");
    let input = MeasureInput {
        kind: one(f, "kind"),
        on: one(f, "on"),
        amount: one(f, "amount"),
        // The currency is asked with the amount only.
        currency: if one(f, "amount").trim().is_empty() { String::new() } else { one(f, "currency") },
        rate: one(f, "rate"),
        rate_on: one(f, "rate_on"),
        reference: one(f, "reference"),
    };
    let result = state.app.add_asset_measure(&p, &id, &asset, &input).await;
    super::save::<Money, _>(&state, &p, &headers, &id, &format!("measure-{asset}"), f, result).await
}

async fn allocation(
    State(state): State<AppState>,
    SignedIn(p): SignedIn,
    headers: HeaderMap,
    Path(id): Path<String>,
    form: Form,
) -> PageResult {
    let f = &form.pairs;
    let asset = one(f, "asset_id");
    let input = AllocationInput { claim_id: one(f, "claim_id"), amount: one(f, "amount") };
    let result = state.app.allocate_proceeds(&p, &id, &asset, &input).await;
    super::save::<Money, _>(&state, &p, &headers, &id, &format!("allocation-{asset}"), f, result).await
}

async fn payout(
    State(state): State<AppState>,
    SignedIn(p): SignedIn,
    headers: HeaderMap,
    Path(id): Path<String>,
    form: Form,
) -> PageResult {
    let f = &form.pairs;
    let allocation = one(f, "allocation_id");
    let input = PayoutInput { amount: one(f, "amount"), on: one(f, "on"), version: version(f) };
    let result = state.app.record_payout(&p, &id, &allocation, &input).await;
    super::save::<Money, _>(&state, &p, &headers, &id, &format!("payout-{allocation}"), f, result).await
}

async fn financial_status(
    State(state): State<AppState>,
    SignedIn(p): SignedIn,
    headers: HeaderMap,
    Path(id): Path<String>,
    form: Form,
) -> PageResult {
    let f = &form.pairs;
    let input = FinancialStatusInput {
        status: one(f, "status"),
        reasons: one(f, "reasons"),
        on: one(f, "on"),
        version: version(f),
    };
    let result = state.app.change_financial_status(&p, &id, &input).await;
    super::save::<Money, _>(&state, &p, &headers, &id, "finstatus", f, result).await
}

async fn financial_item(
    State(state): State<AppState>,
    SignedIn(p): SignedIn,
    headers: HeaderMap,
    Path(id): Path<String>,
    form: Form,
) -> PageResult {
    let f = &form.pairs;
    let input = FinancialItemInput {
        kind: one(f, "kind"),
        coded: one(f, "coded"),
        institution: one(f, "institution"),
        name: one(f, "name"),
        country: one(f, "country"),
        to_country: one(f, "to_country"),
        identifier: one(f, "identifier"),
        suspect_id: one(f, "suspect_id"),
        on: one(f, "on"),
        amount: one(f, "amount"),
        currency: one(f, "currency"),
        from_account_id: one(f, "from_account_id"),
        to_account_id: one(f, "to_account_id"),
        text: one(f, "text"),
    };
    let key = format!("item_{}", input.kind.trim());
    let result = state.app.add_financial_item(&p, &id, &input).await;
    super::save::<Money, _>(&state, &p, &headers, &id, &key, f, result).await
}

/// The package for a Europol request, as a file to download; recorded as a disclosure by the
/// use case.
async fn europol_export(
    State(state): State<AppState>,
    SignedIn(p): SignedIn,
    headers: HeaderMap,
    Path(id): Path<String>,
    form: Form,
) -> PageResult {
    let f = &form.pairs;
    let input = ExportRequestInput {
        request_reference: one(f, "request_reference"),
        parts: all(f, "parts"),
        justification: one(f, "justification"),
    };
    match state.app.europol_export(&p, &id, &input).await {
        Ok(package) => {
            let body = serde_json::to_vec_pretty(&package).map_err(|e| AppError::Internal(Box::new(e)))?;
            let name: String = input
                .request_reference
                .trim()
                .chars()
                .map(|c| if c.is_ascii_alphanumeric() || c == '-' { c } else { '_' })
                .collect();
            let disposition = format!("attachment; filename=\"europol-export-{name}.json\"");
            let mut response: Response = body.into_response();
            let h = response.headers_mut();
            h.insert(header::CONTENT_TYPE, HeaderValue::from_static("application/json"));
            if let Ok(v) = HeaderValue::from_str(&disposition) {
                h.insert(header::CONTENT_DISPOSITION, v);
            }
            Ok(response)
        }
        Err(e) => super::save::<Money, ()>(&state, &p, &headers, &id, "export", f, Err(e)).await,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::i18n::I18n;
    use haven_domain::Language;

    #[test]
    fn a_label_of_the_new_pages_is_the_forms_own_then_the_shared_one() {
        let i18n = I18n::load().unwrap();
        for language in [Language::English, Language::Latvian] {
            let tr = i18n.tr(language);
            assert_eq!(page_label(&tr, "asset", "kind"), tr.t("pp-asset-kind"));
            assert_eq!(page_label(&tr, "measure-x1", "kind"), tr.t("pp-measure-kind"));
            assert_ne!(page_label(&tr, "asset", "kind"), tr.t("proc-field-kind"), "not the suspect's 'person'");
            assert_eq!(page_label(&tr, "team", "members[1].country"), tr.t("pp-field-member_country"));
        }
    }

    #[test]
    fn a_problem_in_a_list_is_placed_at_its_row() {
        let i18n = I18n::load().unwrap();
        let tr = i18n.tr(Language::English);
        let e = haven_domain::ParseError::empty("agency").within("members[1].agency");
        let check = problem_of(&tr, "team", AppError::Invalid(e)).unwrap();
        assert_eq!(check.at, "team-member_agency_1");
        assert_eq!(check.status(), axum::http::StatusCode::UNPROCESSABLE_ENTITY);
    }

    #[test]
    fn an_amount_shows_its_rate_to_the_euro_and_its_date() {
        let i18n = I18n::load().unwrap();
        let tr = i18n.tr(Language::English);
        let today = haven_domain::case::CalendarDate::parse("t", "2026-09-21").unwrap();
        let a = Amount::parse("value", "1000000", "USD", "0.92", "2026-09-01", today).unwrap();
        let text = amount(&tr, &a);
        assert!(text.starts_with("10000.00 USD") && text.contains("0.92") && text.contains("2026-09-01"), "{text}");
        assert!(text.contains("9200.00 EUR"), "{text}");
        let yen = |m| in_currency(m, CurrencyCode::parse("c", "JPY").unwrap());
        let dinar = |m| in_currency(m, CurrencyCode::parse("c", "BHD").unwrap());
        assert_eq!((yen(1500), dinar(-1505)), ("1500 JPY".to_owned(), "-1.505 BHD".to_owned()));
    }
}
