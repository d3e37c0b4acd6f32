//! Synthetic money in the demonstration's proceedings: assets frozen, seized, confiscated and
//! realised in the investigations of Latvia, Estonia and Lithuania (one in US dollars with its
//! rate to the euro), the financial investigations' accounts, transfers and findings (one
//! recorded as not opened, with its reasons), and a joint investigation team of Latvia and
//! Estonia linking an investigation of each. No proceeds are allocated to compensation: the
//! shipped national profiles do not allow it until national law is checked
//! (`confiscated_proceeds_to_compensation = false`). Everything goes through the use cases.

use anyhow::{Context, Result};
use haven_app::{App, Principal};
use haven_domain::case::CalendarDate;
use haven_domain::proceedings::assets::{AssetInput, MeasureInput};
use haven_domain::proceedings::financial::FinancialItemInput;
use haven_domain::proceedings::jit::{JointTeamInput, TeamMemberInput};

/// An investigation of the demonstration: who opened it, its id, its country.
pub struct Opened<'a> {
    pub officer: &'a Principal,
    pub id: String,
    pub country: &'static str,
}

fn date(today: CalendarDate, days_ago: i64) -> Result<String> {
    Ok(today.add_days(-days_ago).context("a date out of range")?.to_string())
}

/// An asset: kind, description, value (minor units), currency, rate to the euro, where held,
/// and its measures (kind, days ago, amount realised).
type AssetPlan<'a> = (&'a str, &'a str, &'a str, &'a str, &'a str, &'a str, &'a [(&'a str, i64, &'a str)]);

async fn asset(app: &App, inv: &Opened<'_>, plan: AssetPlan<'_>, today: CalendarDate) -> Result<()> {
    let (kind, description, value, currency, rate, held_at, measures) = plan;
    let suspect_id = app
        .investigation(inv.officer, &inv.id)
        .await?
        .suspects
        .first()
        .map(|s| s.suspect.id.clone())
        .unwrap_or_default();
    let input = AssetInput {
        kind: kind.into(),
        description: description.into(),
        value: value.into(),
        currency: currency.into(),
        rate: rate.into(),
        rate_on: if rate.is_empty() { String::new() } else { date(today, 100)? },
        valued_on: date(today, 100)?,
        held_in: inv.country.into(),
        held_at: held_at.into(),
        suspect_id,
    };
    let view = app.add_asset(inv.officer, &inv.id, &input).await.context("a synthetic asset")?;
    let asset_id = view.assets.last().context("no asset")?.asset.id.clone();
    for (measure, days_ago, amount) in measures {
        let m = MeasureInput {
            kind: (*measure).into(),
            on: date(today, *days_ago)?,
            amount: (*amount).into(),
            currency: if amount.is_empty() { String::new() } else { currency.into() },
            rate: if amount.is_empty() { String::new() } else { rate.into() },
            rate_on: if amount.is_empty() || rate.is_empty() { String::new() } else { date(today, *days_ago)? },
            reference: "Synthetic decision".into(),
        };
        app.add_asset_measure(inv.officer, &inv.id, &asset_id, &m).await.context("a synthetic measure")?;
    }
    Ok(())
}

fn item(kind: &str, coded: &str) -> FinancialItemInput {
    FinancialItemInput { kind: kind.into(), coded: coded.into(), ..FinancialItemInput::default() }
}

/// Loads the money of the investigations `opened` (in the order the proceedings' demo opened
/// them: Latvia twice, Estonia, Lithuania; on a country's instance, its own only); gives
/// (assets, joint teams).
pub async fn seed(app: &App, opened: &[Opened<'_>], today: CalendarDate) -> Result<(usize, usize)> {
    let find = |country: &str, nth: usize| opened.iter().filter(|o| o.country == country).nth(nth);
    let (lv, lv2, ee, lt) = (find("LV", 0), find("LV", 1), find("EE", 0), find("LT", 0));
    let mut assets = 0;
    let plans: [(Option<&Opened<'_>>, AssetPlan<'_>); 6] = [
        (
            lv,
            (
                "real_estate",
                "Synthetic: a flat in Riga used to house workers",
                "9500000",
                "EUR",
                "",
                "Land Register (synthetic)",
                &[("freezing", 95, ""), ("confiscation_order", 20, ""), ("realisation", 5, "8800000")],
            ),
        ),
        (
            lv,
            (
                "vehicle",
                "Synthetic: a minibus used to transport workers",
                "1800000",
                "EUR",
                "",
                "State Police car pound",
                &[("seizure", 90, "")],
            ),
        ),
        (
            lv2,
            (
                "cash",
                "Synthetic: cash found at the premises",
                "2350000",
                "EUR",
                "",
                "State Police evidence room",
                &[("seizure", 60, "")],
            ),
        ),
        (
            ee,
            (
                "bank_account",
                "Synthetic: the recruiter's business account",
                "4120000",
                "EUR",
                "",
                "A bank in Tallinn (synthetic)",
                &[("freezing", 80, "")],
            ),
        ),
        (
            ee,
            (
                "vehicle",
                "Synthetic: a car registered to the exploiter",
                "2200000",
                "EUR",
                "",
                "Police and Border Guard Board",
                &[("seizure", 70, ""), ("confiscation_order", 10, "")],
            ),
        ),
        (
            lt,
            (
                "cash",
                "Synthetic: US dollars in a safe",
                "1500000",
                "USD",
                "0.921456",
                "Lithuanian Police evidence room",
                &[("seizure", 50, ""), ("confiscation_order", 8, ""), ("realisation", 2, "1500000")],
            ),
        ),
    ];
    for (inv, plan) in plans {
        let Some(inv) = inv else { continue };
        asset(app, inv, plan, today).await?;
        assets += 1;
    }

    // The financial investigations: what the Latvian one traced; the Lithuanian one not opened.
    if let Some(lv) = lv {
        latvian_financial_investigation(app, lv, today).await?;
    }
    if let Some(lt) = lt {
        let not_opened = haven_app::proceedings_money::FinancialStatusInput {
            status: "not_opened".into(),
            reasons: "Synthetic: a single act with no proceeds; the suspects' assets are traced in the Latvian case."
                .into(),
            on: date(today, 45)?,
            version: 0,
        };
        app.change_financial_status(lt.officer, &lt.id, &not_opened).await.context("a synthetic financial status")?;
    }
    // A joint investigation team of Latvia and Estonia, with Eurojust and Europol: opened on the
    // Latvian instance; the Estonian investigation is linked where both are in one database.
    let Some(lv) = lv else { return Ok((assets, 0)) };
    let team = JointTeamInput {
        agreement_reference: "JIT LV-EE (synthetic)".into(),
        signed_on: date(today, 110)?,
        starts_on: date(today, 105)?,
        ends_on: date(today, -260)?,
        members: vec![
            TeamMemberInput { country: "LV".into(), agency: "State Police".into() },
            TeamMemberInput { country: "LV".into(), agency: "Prosecutor General's Office".into() },
            TeamMemberInput { country: "EE".into(), agency: "Police and Border Guard Board".into() },
            TeamMemberInput { country: "EE".into(), agency: "Office of the Prosecutor General of Estonia".into() },
        ],
        eurojust: true,
        europol: true,
        purpose: "Synthetic: workers recruited in Estonia for construction sites in Riga.".into(),
    };
    let view = app.open_joint_team(lv.officer, &lv.id, &team).await.context("a synthetic joint team")?;
    if let Some(ee) = ee {
        app.link_joint_team(ee.officer, &view.team.id, &ee.id).await.context("linking the Estonian investigation")?;
    }
    Ok((assets, 1))
}

/// What the Latvian financial investigation traced: an account, a transfer, a business, a finding.
async fn latvian_financial_investigation(app: &App, lv: &Opened<'_>, today: CalendarDate) -> Result<()> {
    let account = FinancialItemInput {
        institution: "A bank in Riga (synthetic)".into(),
        country: "LV".into(),
        identifier: "LV00SYNT0000000000001".into(),
        ..item("account", "bank")
    };
    let view = app.add_financial_item(lv.officer, &lv.id, &account).await.context("a synthetic account")?;
    let account_id = view.items.last().context("no account")?.id.clone();
    let transfer = FinancialItemInput {
        on: date(today, 120)?,
        amount: "450000".into(),
        currency: "EUR".into(),
        from_account_id: account_id,
        country: "LV".into(),
        to_country: "EE".into(),
        ..item("transfer", "money_remittance")
    };
    app.add_financial_item(lv.officer, &lv.id, &transfer).await.context("a synthetic transfer")?;
    let business = FinancialItemInput {
        name: "SIA Būvdarbi Plus (synthetic)".into(),
        country: "LV".into(),
        identifier: "40000000000".into(),
        ..item("business", "exploitation")
    };
    app.add_financial_item(lv.officer, &lv.id, &business).await.context("a synthetic business")?;
    let finding = FinancialItemInput {
        text: "Synthetic: wages paid in cash and moved to Tallinn through a remittance service.".into(),
        ..item("finding", "proceeds_traced")
    };
    app.add_financial_item(lv.officer, &lv.id, &finding).await.context("a synthetic finding")?;
    Ok(())
}
