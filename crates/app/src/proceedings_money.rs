//! Money in criminal proceedings: assets with their freezing, seizure, confiscation and
//! realisation (Dir 2011/36 Art 7), realised proceeds paid into victims' compensation claims
//! where national practice allows it, the financial investigation that runs alongside every
//! investigation with its accounts, transfers, businesses, properties and findings, the export
//! package for a request of Europol, and joint investigation teams.
//!
//! Every use case asks [`haven_domain::access`] first (`authorize_investigation`,
//! `investigation_actions`, `authorize_joint_team`), encrypts free text and identifiers per
//! field, and leaves an audit entry for every read (`proceedings_read`), write
//! (`proceedings_written`) and disclosure (`proceedings_disclosed`, for the Europol export: the
//! recipient and the parts, no personal data). An investigation or team the principal may not
//! know of is "not found".
//!
//! What the web layer calls (all `async`, on [`App`], errors as [`AppError`]: `Invalid` names
//! the field, a 4xx):
//!
//! | function | gives |
//! |---|---|
//! | `assets(principal, investigation_id)` | [`AssetsView`] |
//! | `add_asset(principal, investigation_id, &AssetInput)` | [`AssetsView`] |
//! | `add_asset_measure(principal, investigation_id, asset_id, &MeasureInput)` | [`AssetsView`] |
//! | `allocate_proceeds(principal, investigation_id, asset_id, &AllocationInput)` | [`AssetsView`] |
//! | `record_payout(principal, investigation_id, allocation_id, &PayoutInput)` | [`AssetsView`] |
//! | `financial_investigation(principal, investigation_id)` | [`FinancialView`] |
//! | `change_financial_status(principal, investigation_id, &FinancialStatusInput)` | [`FinancialView`] |
//! | `add_financial_item(principal, investigation_id, &FinancialItemInput)` | [`FinancialView`] |
//! | `europol_export(principal, investigation_id, &ExportRequestInput)` | [`EuropolExport`] (serialise it as the package) |
//! | `open_joint_team(principal, investigation_id, &JointTeamInput)` | [`JointTeamView`] |
//! | `link_joint_team(principal, team_id, investigation_id)` | [`JointTeamView`] |
//! | `joint_team(principal, team_id)` | [`JointTeamView`] |
//! | `joint_teams(principal)` | `Vec<`[`JointTeamSummary`]`>` |
//! | `conclude_joint_team(principal, team_id, &TeamOutcomeInput)` | [`JointTeamView`] |
//!
//! National practice: [`App::with_proceedings_practice`] replaces a country's built-in profile
//! (`crates/domain/profiles/proceedings/<country>.toml`), as tests and operators do.

use crate::{App, AppError, AppResult, Principal, new_id};
use haven_crypto::FieldContext;
use haven_domain::access::{
    Action, Decision, InvestigationActions, InvestigationScope, authorize_investigation, authorize_joint_team,
    investigation_actions,
};
use haven_domain::assist::compensation::{ClaimKind, CompensationClaim, Payer, Payment};
use haven_domain::audit::AuditAction;
use haven_domain::case::CalendarDate;
use haven_domain::proceedings::Investigation;
use haven_domain::proceedings::assets::{
    Allocation, Asset, AssetInput, ClaimFacts, Measure, MeasureInput, MeasureKind, realised_euro_cents,
};
use haven_domain::proceedings::europol::{
    EuropolExport, ExportPart, ExportRequest, ExportRequestInput, ExportSource, VictimFacts,
};
use haven_domain::proceedings::financial::{
    FinancialInvestigation, FinancialItem, FinancialItemInput, FinancialStatus, ItemKind, ItemRefs,
};
use haven_domain::proceedings::jit::{JointTeam, JointTeamInput, TeamOutcome};
use haven_domain::proceedings::penalty::NationalPractice;
use haven_domain::proceedings::suspect::{Suspect, SuspectInput};
use haven_domain::text::Narrative;
use haven_domain::{Coded, CountryCode, Jurisdiction, Message, MessageId, Permission};
use haven_storage::{
    AllocationRow, AssetMeasureRow, AssetRow, FinancialInvestigationRow, FinancialItemRow, InvestigationRow,
    JointTeamLinkRow, JointTeamRow,
};
use serde::{Deserialize, Serialize};
use std::sync::Arc;

fn ctx<'a>(table: &'a str, column: &'a str, row: &'a str) -> FieldContext<'a> {
    FieldContext { table, column, row }
}

fn internal(e: impl std::error::Error + Send + Sync + 'static) -> AppError {
    AppError::Internal(Box::new(e))
}

fn stored_date(field: &str, value: &str) -> AppResult<CalendarDate> {
    CalendarDate::parse(field, value).map_err(internal)
}

fn scope_of(row: &InvestigationRow) -> AppResult<InvestigationScope> {
    Ok(InvestigationScope {
        unit_organisation_id: row.unit_organisation_id.clone(),
        prosecutor_organisation_id: row.prosecutor_organisation_id.clone(),
        jurisdiction: Jurisdiction::parse("jurisdiction", &row.jurisdiction).map_err(internal)?,
    })
}

/// Who pays a claim from confiscated proceeds: the offender's proceeds on a claim against the
/// offender, the State's scheme or the fund on a claim to them.
fn proceeds_payer(kind: ClaimKind) -> Payer {
    match kind {
        ClaimKind::CriminalProceedingsAgainstOffender | ClaimKind::CivilProceedings => Payer::Offender,
        ClaimKind::StateCompensationScheme => Payer::State,
        ClaimKind::NationalVictimsFund => Payer::Fund,
    }
}

fn is_uuid(id: &str) -> bool {
    uuid::Uuid::parse_str(id).is_ok()
}

/// Money totals of an investigation's assets, in euro cents at the recorded rates: the value
/// (or the amount the measure names) of the assets frozen, seized and confiscated, what was
/// realised, allocated to compensation and paid out.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct MoneyTotals {
    pub frozen: i64,
    pub seized: i64,
    pub confiscated: i64,
    pub realised: i64,
    pub allocated: i64,
    pub paid_out: i64,
}

/// An asset with its measures and the allocations of its proceeds.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct AssetView {
    pub asset: Asset,
    pub measures: Vec<Measure>,
    pub allocations: Vec<AllocationView>,
    pub realised_euro_cents: i64,
    /// Realised and not yet allocated.
    pub available_euro_cents: i64,
}

/// An allocation with its version (for the payout).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct AllocationView {
    pub allocation: Allocation,
    pub version: i64,
}

/// The assets of an investigation.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct AssetsView {
    pub investigation_id: String,
    pub assets: Vec<AssetView>,
    pub totals: MoneyTotals,
    /// Whether national practice in force lets confiscated proceeds pay victims' compensation.
    pub proceeds_to_compensation: bool,
    /// The sources of that practice.
    pub practice_sources: Vec<String>,
    pub actions: InvestigationActions,
}

/// Realised proceeds to allocate to a claim (euro cents).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct AllocationInput {
    /// The compensation claim: a support record of a victim's case, by id.
    pub claim_id: String,
    pub amount: String,
}

/// A payout of an allocation (euro cents), at the allocation's version.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct PayoutInput {
    pub amount: String,
    pub on: String,
    pub version: i64,
}

/// An item of a financial investigation with its id.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct FinancialItemView {
    pub id: String,
    pub item: FinancialItem,
}

/// The financial investigation of an investigation.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct FinancialView {
    pub investigation_id: String,
    pub financial: FinancialInvestigation,
    /// 0 while it runs by default, unrecorded; the version to change it at otherwise.
    pub version: i64,
    pub items: Vec<FinancialItemView>,
    pub actions: InvestigationActions,
}

/// A change of the financial investigation's status, at its version (0 while unrecorded).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct FinancialStatusInput {
    pub status: String,
    pub reasons: String,
    pub on: String,
    pub version: i64,
}

/// An investigation linked to a team, as a reader sees it: every party's country; the id and
/// reference only of an investigation the reader may read.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct TeamInvestigation {
    pub country: String,
    pub investigation_id: Option<String>,
    pub reference: Option<String>,
}

/// A joint investigation team.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct JointTeamView {
    pub team: JointTeam,
    pub version: i64,
    pub investigations: Vec<TeamInvestigation>,
    /// Whether the reader may record the outcome.
    pub write: bool,
}

/// A team in a list.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct JointTeamSummary {
    pub id: String,
    pub agreement_reference: String,
    pub countries: Vec<CountryCode>,
    pub starts_on: CalendarDate,
    pub ends_on: CalendarDate,
    pub eurojust: bool,
    pub europol: bool,
    pub outcome: Option<TeamOutcome>,
}

/// How a team ended.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct TeamOutcomeInput {
    pub outcome: String,
    pub ended_on: String,
    pub evaluation: String,
    pub version: i64,
}

impl App {
    /// Replaces the built-in national practice in criminal proceedings of `practice.country`.
    pub fn with_proceedings_practice(mut self, practice: NationalPractice) -> App {
        let mut all: Vec<NationalPractice> =
            self.proceedings_practice.iter().filter(|p| p.country != practice.country).cloned().collect();
        all.push(practice);
        self.proceedings_practice = Arc::new(all);
        self
    }

    /// The national practice of `country`: the operator's, else the built-in one.
    fn practice_of(&self, country: CountryCode) -> AppResult<Option<NationalPractice>> {
        if let Some(p) = self.proceedings_practice.iter().find(|p| p.country == country) {
            return Ok(Some(p.clone()));
        }
        NationalPractice::built_in(country).transpose().map_err(internal)
    }

    /// Loads an investigation and decides whether the principal may act on it; a denial is
    /// audited and the investigation "not found".
    async fn money_investigation(
        &self,
        principal: &Principal,
        id: &str,
        action: Action,
    ) -> AppResult<(InvestigationRow, InvestigationActions)> {
        self.require(principal, Permission::Case(haven_domain::Compartment::Proceedings, action)).await?;
        if !is_uuid(id) {
            return Err(AppError::NotFound);
        }
        let row = self.store.investigation(id).await?.ok_or(AppError::NotFound)?;
        let scope = scope_of(&row)?;
        match authorize_investigation(&principal.actor, &scope, action) {
            Decision::Allow => Ok((row, investigation_actions(&principal.actor, &scope))),
            Decision::Deny(reason) => {
                self.audit_denied(principal, "investigation", id, Some(&row.unit_organisation_id)).await;
                tracing::info!(?reason, "investigation access denied");
                Err(AppError::NotFound)
            }
        }
    }

    fn decrypt_investigation(&self, row: &InvestigationRow) -> AppResult<Investigation> {
        let json = self.keys.decrypt_str(&ctx("investigations", "record", &row.id), &row.record)?;
        serde_json::from_str(&json).map_err(internal)
    }

    fn money_event(
        &self,
        principal: &Principal,
        action: AuditAction,
        row: &InvestigationRow,
        detail: &str,
    ) -> haven_domain::audit::AuditEvent {
        self.event(principal, action).on("investigation", &row.id, Some(&row.unit_organisation_id)).detail(detail)
    }

    async fn suspects_for_money(&self, investigation_id: &str) -> AppResult<Vec<Suspect>> {
        let mut out = Vec::new();
        for row in self.store.suspects(investigation_id).await? {
            let name = self.keys.decrypt_str(&ctx("suspects", "name", &row.id), &row.name)?;
            let input = SuspectInput {
                kind: row.kind,
                name,
                case_id: row.case_id.unwrap_or_default(),
                roles: row.roles.split(',').map(str::to_owned).collect(),
                criminal_organisation: row.criminal_organisation,
                public_official: row.public_official,
                citizenship: row.citizenship.unwrap_or_default(),
                sex: row.sex.unwrap_or_default(),
                age_group: row.age_group.unwrap_or_default(),
                liability: row.liability.unwrap_or_default(),
            };
            out.push(Suspect::parse(row.id, row.investigation_id, &input).map_err(internal)?);
        }
        Ok(out)
    }

    async fn assets_of(&self, investigation_id: &str) -> AppResult<Vec<(Asset, Vec<Measure>)>> {
        let measures = self.store.asset_measures(investigation_id).await?;
        let mut out = Vec::new();
        for row in self.store.assets(investigation_id).await? {
            let json = self.keys.decrypt_str(&ctx("assets", "record", &row.id), &row.record)?;
            let asset: Asset = serde_json::from_str(&json).map_err(internal)?;
            let mut ms = Vec::new();
            for m in measures.iter().filter(|m| m.asset_id == row.id) {
                let json = self.keys.decrypt_str(&ctx("asset_measures", "record", &m.id), &m.record)?;
                ms.push(serde_json::from_str::<Measure>(&json).map_err(internal)?);
            }
            out.push((asset, ms));
        }
        Ok(out)
    }

    fn allocation_from(row: AllocationRow) -> AppResult<AllocationView> {
        Ok(AllocationView {
            allocation: Allocation {
                allocated_on: stored_date("allocated_on", &row.allocated_on)?,
                paid_out_on: row.paid_out_on.as_deref().map(|d| stored_date("paid_out_on", d)).transpose()?,
                id: row.id,
                asset_id: row.asset_id,
                claim_id: row.claim_id,
                case_id: row.case_id,
                amount_euro_cents: row.amount_euro_cents,
                paid_out_euro_cents: row.paid_out_euro_cents,
            },
            version: row.version,
        })
    }

    async fn assets_view(
        &self,
        principal: &Principal,
        row: &InvestigationRow,
        actions: InvestigationActions,
    ) -> AppResult<AssetsView> {
        let country = CountryCode::parse("jurisdiction", &row.jurisdiction).map_err(internal)?;
        let practice = self.practice_of(country)?;
        let version = practice.as_ref().and_then(|p| p.on(self.today()));
        let allocations: Vec<AllocationView> =
            self.store.allocations(&row.id).await?.into_iter().map(Self::allocation_from).collect::<AppResult<_>>()?;
        let mut totals = MoneyTotals::default();
        let mut assets = Vec::new();
        for (asset, measures) in self.assets_of(&row.id).await? {
            let covered = |kind: MeasureKind| {
                measures
                    .iter()
                    .rev()
                    .find(|m| m.kind == kind)
                    .map(|m| m.amount.map_or(asset.value.in_euro_cents(), |a| a.in_euro_cents()))
            };
            totals.frozen += covered(MeasureKind::Freezing).unwrap_or(0);
            totals.seized += covered(MeasureKind::Seizure).unwrap_or(0);
            totals.confiscated += covered(MeasureKind::ConfiscationOrder).unwrap_or(0);
            let realised = realised_euro_cents(&measures);
            let mine: Vec<AllocationView> =
                allocations.iter().filter(|a| a.allocation.asset_id == asset.id).cloned().collect();
            let allocated: i64 = mine.iter().map(|a| a.allocation.amount_euro_cents).sum();
            totals.realised += realised;
            totals.allocated += allocated;
            totals.paid_out += mine.iter().map(|a| a.allocation.paid_out_euro_cents).sum::<i64>();
            assets.push(AssetView {
                available_euro_cents: (realised - allocated).max(0),
                realised_euro_cents: realised,
                allocations: mine,
                measures,
                asset,
            });
        }
        let event = self.money_event(principal, AuditAction::ProceedingsRead, row, "assets");
        self.store.append_audit(&event).await?;
        Ok(AssetsView {
            investigation_id: row.id.clone(),
            assets,
            totals,
            proceeds_to_compensation: version.is_some_and(|v| v.confiscated_proceeds_to_compensation),
            practice_sources: version.map(|v| v.sources.clone()).unwrap_or_default(),
            actions,
        })
    }

    /// The assets of an investigation with their measures, allocations and totals. Audited.
    pub async fn assets(&self, principal: &Principal, investigation_id: &str) -> AppResult<AssetsView> {
        let (row, actions) = self.money_investigation(principal, investigation_id, Action::Read).await?;
        self.assets_view(principal, &row, actions).await
    }

    /// Records an asset of the investigation (of one of its suspects, if known).
    pub async fn add_asset(
        &self,
        principal: &Principal,
        investigation_id: &str,
        input: &AssetInput,
    ) -> AppResult<AssetsView> {
        let (row, actions) = self.money_investigation(principal, investigation_id, Action::Write).await?;
        let suspects: Vec<String> = self.store.suspects(&row.id).await?.into_iter().map(|s| s.id).collect();
        let asset = Asset::parse(new_id(), row.id.clone(), input, &suspects, self.today())?;
        let json = serde_json::to_string(&asset).map_err(internal)?;
        let stored = AssetRow {
            record: self.keys.encrypt_str(&ctx("assets", "record", &asset.id), &json),
            id: asset.id.clone(),
            investigation_id: row.id.clone(),
            suspect_id: asset.suspect_id.clone(),
            kind: asset.kind.code().to_owned(),
            held_in: asset.held_in.to_string(),
            value_euro_cents: asset.value.in_euro_cents(),
            created_by: principal.user.id.clone(),
            created_at: self.now(),
        };
        let event = self.money_event(
            principal,
            AuditAction::ProceedingsWritten,
            &row,
            &format!("asset_added,kind={}", asset.kind),
        );
        self.store.add_asset(&stored, &event).await?;
        self.assets_view(principal, &row, actions).await
    }

    async fn asset_in(&self, investigation_id: &str, asset_id: &str) -> AppResult<(Asset, Vec<Measure>)> {
        self.assets_of(investigation_id).await?.into_iter().find(|(a, _)| a.id == asset_id).ok_or_else(|| {
            AppError::said("asset_id", "no asset of this investigation has this id", MessageId::ProceedingsUnknownAsset)
        })
    }

    /// Records a freezing, seizure, confiscation order or realisation of an asset.
    pub async fn add_asset_measure(
        &self,
        principal: &Principal,
        investigation_id: &str,
        asset_id: &str,
        input: &MeasureInput,
    ) -> AppResult<AssetsView> {
        let (row, actions) = self.money_investigation(principal, investigation_id, Action::Write).await?;
        let (asset, measures) = self.asset_in(&row.id, asset_id).await?;
        let measure = Measure::parse(new_id(), &asset, input, &measures, self.today())?;
        let json = serde_json::to_string(&measure).map_err(internal)?;
        let stored = AssetMeasureRow {
            record: self.keys.encrypt_str(&ctx("asset_measures", "record", &measure.id), &json),
            id: measure.id.clone(),
            asset_id: asset.id.clone(),
            investigation_id: row.id.clone(),
            kind: measure.kind.code().to_owned(),
            measure_on: measure.on.to_string(),
            amount_euro_cents: measure.amount.map(|a| a.in_euro_cents()),
            created_by: principal.user.id.clone(),
            created_at: self.now(),
        };
        let event =
            self.money_event(principal, AuditAction::ProceedingsWritten, &row, &format!("measure={}", measure.kind));
        if !self.store.add_asset_measure(&stored, &event).await? {
            return Err(AppError::said(
                "kind",
                "the asset is already confiscated",
                MessageId::ProceedingsAlreadyConfiscated,
            ));
        }
        self.assets_view(principal, &row, actions).await
    }

    /// Allocates realised proceeds of an asset to a victim's compensation claim (Dir 2011/36
    /// Art 7; CETS 197 Art 15(4)): only where national practice allows it, to a claim of a
    /// victim linked to this investigation, and within what was realised and not yet allocated.
    /// The claim is named by id; its content stays in the support compartment.
    pub async fn allocate_proceeds(
        &self,
        principal: &Principal,
        investigation_id: &str,
        asset_id: &str,
        input: &AllocationInput,
    ) -> AppResult<AssetsView> {
        let (row, actions) = self.money_investigation(principal, investigation_id, Action::Write).await?;
        let (asset, measures) = self.asset_in(&row.id, asset_id).await?;
        let claim_id = input.claim_id.trim();
        let unknown =
            || AppError::said("claim_id", "no compensation claim has this id", MessageId::ProceedingsUnknownClaim);
        if !is_uuid(claim_id) {
            return Err(unknown());
        }
        let facts = match self.store.claim_record_facts(claim_id).await? {
            Some(f) if f.kind == "compensation_claim" => f,
            _ => return Err(unknown()),
        };
        let victim_linked = self.store.investigation_victims(&row.id).await?.iter().any(|v| v.case_id == facts.case_id);
        let (_, compensation) = self.claim_for_proceeds(&facts.case_id, &facts.id).await?;
        // What is allocated to the claim (from any investigation) and not yet paid out is
        // spoken for: the award can take no more than it leaves.
        let pending = self
            .store
            .allocations_to_claim(&facts.id)
            .await?
            .iter()
            .map(|a| a.amount_euro_cents.saturating_sub(a.paid_out_euro_cents))
            .fold(0, i64::saturating_add);
        let country = CountryCode::parse("jurisdiction", &row.jurisdiction).map_err(internal)?;
        let practice = self.practice_of(country)?;
        let earlier: Vec<Allocation> = self
            .store
            .allocations(&row.id)
            .await?
            .into_iter()
            .filter(|a| a.asset_id == asset.id)
            .map(|a| Self::allocation_from(a).map(|v| v.allocation))
            .collect::<AppResult<_>>()?;
        let claim = ClaimFacts {
            claim_id: facts.id.clone(),
            case_id: facts.case_id.clone(),
            victim_linked,
            status: compensation.status(),
            awarded: compensation.awarded(),
            currency: compensation.currency(),
            unpaid_unallocated: compensation.outstanding().saturating_sub(pending),
        };
        let mut allocation = Allocation::allocate(
            new_id(),
            practice.as_ref().and_then(|p| p.on(self.today())),
            &measures,
            &earlier,
            &claim,
            &input.amount,
            self.today(),
        )?;
        allocation.asset_id = asset.id.clone();
        let now = self.now();
        let stored = AllocationRow {
            id: allocation.id.clone(),
            asset_id: asset.id.clone(),
            investigation_id: row.id.clone(),
            claim_id: allocation.claim_id.clone(),
            case_id: allocation.case_id.clone(),
            amount_euro_cents: allocation.amount_euro_cents,
            allocated_on: allocation.allocated_on.to_string(),
            paid_out_euro_cents: 0,
            paid_out_on: None,
            version: 1,
            created_by: principal.user.id.clone(),
            created_at: now,
            updated_by: principal.user.id.clone(),
            updated_at: now,
        };
        let event = self.money_event(
            principal,
            AuditAction::ProceedingsWritten,
            &row,
            &format!("proceeds_allocated,claim={},case={}", allocation.claim_id, allocation.case_id),
        );
        if !self.store.allocate_proceeds(&stored, compensation.outstanding(), &event).await? {
            // Another allocation took the proceeds, or the rest of the award, meanwhile.
            return Err(AppError::conflict(
                "the proceeds or the award were allocated meanwhile; reload the assets",
                Message::new(MessageId::StoredConflict),
            ));
        }
        self.assets_view(principal, &row, actions).await
    }

    /// The compensation claim `claim_id` of `case_id` as stored in the support compartment, for
    /// the money rules alone (its content is not shown to the proceedings' user).
    async fn claim_for_proceeds(
        &self,
        case_id: &str,
        claim_id: &str,
    ) -> AppResult<(haven_storage::SupportRecordRow, CompensationClaim)> {
        let row = self
            .store
            .support_records(case_id)
            .await?
            .into_iter()
            .find(|r| r.id == claim_id && r.kind == "compensation_claim")
            .ok_or_else(|| {
                AppError::said("claim_id", "no compensation claim has this id", MessageId::ProceedingsUnknownClaim)
            })?;
        let json = self.keys.decrypt_str(&ctx("support_records", "body", &row.id), &row.body)?;
        let claim: CompensationClaim = serde_json::from_str(&json).map_err(internal)?;
        Ok((row, claim))
    }

    /// Records that a share of an allocation was paid out to the victim, and adds it to the
    /// payments of the compensation claim it was allocated to (Dir 2011/36 Art 17): one
    /// transaction, audited twice (the proceedings' write on the investigation, the claim's
    /// payment on the victim's case). Never above the allocation (`amount`), nor above the award
    /// not yet paid (`amount`), nor before the award (`on`).
    pub async fn record_payout(
        &self,
        principal: &Principal,
        investigation_id: &str,
        allocation_id: &str,
        input: &PayoutInput,
    ) -> AppResult<AssetsView> {
        let (row, actions) = self.money_investigation(principal, investigation_id, Action::Write).await?;
        let current =
            self.store.allocations(&row.id).await?.into_iter().find(|a| a.id == allocation_id).ok_or_else(|| {
                AppError::said(
                    "allocation_id",
                    "no allocation of this investigation has this id",
                    MessageId::UnknownValue,
                )
            })?;
        let version = current.version;
        let allocation = Self::allocation_from(current.clone())?.allocation;
        let paid = allocation.pay_out(&input.amount, &input.on, self.today())?;
        if input.version != version {
            return Err(AppError::conflict(
                "the allocation was changed meanwhile; reload it",
                Message::new(MessageId::StoredConflict),
            ));
        }
        let (claim_row, claim) = self.claim_for_proceeds(&allocation.case_id, &allocation.claim_id).await?;
        let payment = Payment {
            received_on: paid.paid_out_on.unwrap_or(paid.allocated_on),
            amount: paid.paid_out_euro_cents - allocation.paid_out_euro_cents,
            currency: claim.currency(),
            payer: proceeds_payer(claim.kind()),
        };
        let claim = claim.record_payment(payment).map_err(|mut e| {
            if e.field == "received_on" {
                e.field = "on".into();
            }
            AppError::from(e)
        })?;
        let claim_json = serde_json::to_string(&claim).map_err(internal)?;
        let now = self.now();
        let next_claim = haven_storage::SupportRecordRow {
            status: claim.status().code().to_owned(),
            body: self.keys.encrypt_str(&ctx("support_records", "body", &claim_row.id), &claim_json),
            version: claim_row.version + 1,
            updated_by: principal.user.id.clone(),
            updated_at: now,
            ..claim_row.clone()
        };
        let next = AllocationRow {
            paid_out_euro_cents: paid.paid_out_euro_cents,
            paid_out_on: paid.paid_out_on.map(|d| d.to_string()),
            version: version + 1,
            updated_by: principal.user.id.clone(),
            updated_at: self.now(),
            ..current
        };
        let event = self.money_event(
            principal,
            AuditAction::ProceedingsWritten,
            &row,
            &format!("payout,claim={}", claim_row.id),
        );
        let claim_event = self
            .event(principal, AuditAction::SupportRecordUpdated)
            .on("case", &claim_row.case_id, None)
            .detail(format!(
                "record={} kind=compensation_claim action=payment status={} source=confiscated_proceeds,investigation={}",
                claim_row.id, next_claim.status, row.id
            ));
        if !self.store.record_payout_to_claim(&next, &next_claim, claim_row.version, &event, &claim_event).await? {
            return Err(AppError::conflict(
                "the allocation was changed meanwhile; reload it",
                Message::new(MessageId::StoredConflict),
            ));
        }
        self.assets_view(principal, &row, actions).await
    }

    async fn financial_of(&self, row: &InvestigationRow) -> AppResult<(FinancialInvestigation, i64)> {
        match self.store.financial_investigation(&row.id).await? {
            Some(f) => {
                let reasons = match &f.reasons {
                    Some(ct) => {
                        let text = self.keys.decrypt_str(&ctx("financial_investigations", "reasons", &row.id), ct)?;
                        Some(Narrative::parse("reasons", &text).map_err(internal)?)
                    }
                    None => None,
                };
                Ok((
                    FinancialInvestigation {
                        investigation_id: row.id.clone(),
                        status: FinancialStatus::parse_code("status", &f.status).map_err(internal)?,
                        since: stored_date("since", &f.since)?,
                        reasons,
                    },
                    f.version,
                ))
            }
            None => Ok((FinancialInvestigation::alongside(&self.decrypt_investigation(row)?), 0)),
        }
    }

    async fn items_of(&self, investigation_id: &str) -> AppResult<Vec<FinancialItemView>> {
        let mut out = Vec::new();
        for row in self.store.financial_items(investigation_id).await? {
            let json = self.keys.decrypt_str(&ctx("financial_items", "body", &row.id), &row.body)?;
            out.push(FinancialItemView { item: serde_json::from_str(&json).map_err(internal)?, id: row.id });
        }
        Ok(out)
    }

    async fn financial_view(
        &self,
        principal: &Principal,
        row: &InvestigationRow,
        actions: InvestigationActions,
    ) -> AppResult<FinancialView> {
        let (financial, version) = self.financial_of(row).await?;
        let items = self.items_of(&row.id).await?;
        let event = self.money_event(principal, AuditAction::ProceedingsRead, row, "financial");
        self.store.append_audit(&event).await?;
        Ok(FinancialView { investigation_id: row.id.clone(), financial, version, items, actions })
    }

    /// The financial investigation of an investigation: opened with it by default (Dir 2011/36
    /// Art 9(4)), with its items. Audited.
    pub async fn financial_investigation(
        &self,
        principal: &Principal,
        investigation_id: &str,
    ) -> AppResult<FinancialView> {
        let (row, actions) = self.money_investigation(principal, investigation_id, Action::Read).await?;
        self.financial_view(principal, &row, actions).await
    }

    /// Changes the financial investigation's status: not opened only with reasons (encrypted).
    pub async fn change_financial_status(
        &self,
        principal: &Principal,
        investigation_id: &str,
        input: &FinancialStatusInput,
    ) -> AppResult<FinancialView> {
        let (row, actions) = self.money_investigation(principal, investigation_id, Action::Write).await?;
        let (current, version) = self.financial_of(&row).await?;
        let next = current.change(&input.status, &input.reasons, &input.on, self.today())?;
        if input.version != version {
            return Err(AppError::conflict(
                "the financial investigation was changed meanwhile; reload it",
                Message::new(MessageId::StoredConflict),
            ));
        }
        let stored = FinancialInvestigationRow {
            investigation_id: row.id.clone(),
            status: next.status.code().to_owned(),
            since: next.since.to_string(),
            reasons: next
                .reasons
                .as_ref()
                .map(|r| self.keys.encrypt_str(&ctx("financial_investigations", "reasons", &row.id), r.as_str())),
            version: version + 1,
            updated_by: principal.user.id.clone(),
            updated_at: self.now(),
        };
        let event = self.money_event(
            principal,
            AuditAction::ProceedingsWritten,
            &row,
            &format!("financial_status={}", next.status),
        );
        if !self.store.save_financial_investigation(&stored, &event).await? {
            return Err(AppError::conflict(
                "the financial investigation was changed meanwhile; reload it",
                Message::new(MessageId::StoredConflict),
            ));
        }
        self.financial_view(principal, &row, actions).await
    }

    /// Records an account, transfer, business, property or finding (encrypted whole).
    pub async fn add_financial_item(
        &self,
        principal: &Principal,
        investigation_id: &str,
        input: &FinancialItemInput,
    ) -> AppResult<FinancialView> {
        let (row, actions) = self.money_investigation(principal, investigation_id, Action::Write).await?;
        let refs = ItemRefs {
            suspects: self.store.suspects(&row.id).await?.into_iter().map(|s| s.id).collect(),
            accounts: self
                .store
                .financial_items(&row.id)
                .await?
                .into_iter()
                .filter(|i| i.kind == ItemKind::Account.code())
                .map(|i| i.id)
                .collect(),
        };
        let item = FinancialItem::parse(input, &refs, self.today())?;
        let id = new_id();
        let json = serde_json::to_string(&item).map_err(internal)?;
        let stored = FinancialItemRow {
            body: self.keys.encrypt_str(&ctx("financial_items", "body", &id), &json),
            id,
            investigation_id: row.id.clone(),
            kind: item.kind().code().to_owned(),
            created_by: principal.user.id.clone(),
            created_at: self.now(),
        };
        let event = self.money_event(
            principal,
            AuditAction::ProceedingsWritten,
            &row,
            &format!("financial_item={}", item.kind()),
        );
        self.store.add_financial_item(&stored, &event).await?;
        self.financial_view(principal, &row, actions).await
    }

    /// The export package for a request of Europol, with only the parts the request names
    /// (victims only with a justification, and then as references without names). Recorded in
    /// the audit log as a disclosure (`proceedings_disclosed`: the recipient and the parts).
    /// Asked by who writes the investigation.
    pub async fn europol_export(
        &self,
        principal: &Principal,
        investigation_id: &str,
        input: &ExportRequestInput,
    ) -> AppResult<EuropolExport> {
        let (row, _) = self.money_investigation(principal, investigation_id, Action::Write).await?;
        let request = ExportRequest::parse(input)?;
        let mut investigation = self.decrypt_investigation(&row)?;
        investigation.victims = Vec::new();
        let suspects =
            if request.asks(ExportPart::Suspects) { self.suspects_for_money(&row.id).await? } else { Vec::new() };
        let assets = if request.asks(ExportPart::Assets) { self.assets_of(&row.id).await? } else { Vec::new() };
        let wants_items = [
            ExportPart::Accounts,
            ExportPart::Transfers,
            ExportPart::Businesses,
            ExportPart::Properties,
            ExportPart::Findings,
        ]
        .iter()
        .any(|p| request.asks(*p));
        let items: Vec<(String, FinancialItem)> = if wants_items {
            self.items_of(&row.id).await?.into_iter().map(|v| (v.id, v.item)).collect()
        } else {
            Vec::new()
        };
        let mut victims = Vec::new();
        if request.asks(ExportPart::Victims) {
            for link in self.store.investigation_victims(&row.id).await? {
                let reg = self.store.registration(&link.case_id).await?;
                victims.push(VictimFacts {
                    reference: link.case_id.clone(),
                    sex: reg.as_ref().map(|r| r.sex.clone()).filter(|s| !s.is_empty()),
                    age_group: reg.as_ref().map(|r| r.age_group.clone()).filter(|s| !s.is_empty()),
                    citizenships: reg
                        .as_ref()
                        .map(|r| {
                            r.citizenships
                                .split(',')
                                .map(str::trim)
                                .filter(|c| c.len() == 2 && c.bytes().all(|b| b.is_ascii_uppercase()))
                                .map(str::to_owned)
                                .collect()
                        })
                        .unwrap_or_default(),
                });
            }
        }
        let source = ExportSource {
            investigation: &investigation,
            sender_organisation_id: &principal.actor.organisation_id,
            suspects: &suspects,
            assets: &assets,
            items: &items,
            victims: &victims,
        };
        let export = EuropolExport::build(&request, &source, self.today());
        let event = self.money_event(
            principal,
            AuditAction::ProceedingsDisclosed,
            &row,
            &format!("recipient=europol,parts={}", export.parts_code()),
        );
        self.store.append_audit(&event).await?;
        Ok(export)
    }

    fn team_record(&self, row: &JointTeamRow) -> AppResult<JointTeam> {
        let json = self.keys.decrypt_str(&ctx("joint_teams", "record", &row.id), &row.record)?;
        serde_json::from_str(&json).map_err(internal)
    }

    fn encrypt_team(&self, team: &JointTeam) -> AppResult<Vec<u8>> {
        let json = serde_json::to_string(team).map_err(internal)?;
        Ok(self.keys.encrypt_str(&ctx("joint_teams", "record", &team.id), &json))
    }

    /// Loads a team and decides whether the principal may act on it (through the
    /// investigations it links); a denial is audited and the team "not found".
    async fn team_for(
        &self,
        principal: &Principal,
        team_id: &str,
        action: Action,
    ) -> AppResult<(JointTeamRow, Vec<(JointTeamLinkRow, InvestigationRow)>)> {
        self.require(principal, Permission::Case(haven_domain::Compartment::Proceedings, action)).await?;
        if !is_uuid(team_id) {
            return Err(AppError::NotFound);
        }
        let row = self.store.joint_team(team_id).await?.ok_or(AppError::NotFound)?;
        let mut links = Vec::new();
        let mut scopes = Vec::new();
        for link in self.store.joint_team_links(team_id).await? {
            let inv = self.store.investigation(&link.investigation_id).await?.ok_or(AppError::NotFound)?;
            scopes.push(scope_of(&inv)?);
            links.push((link, inv));
        }
        match authorize_joint_team(&principal.actor, &scopes, action) {
            Decision::Allow => Ok((row, links)),
            Decision::Deny(reason) => {
                self.audit_denied(principal, "joint_team", team_id, None).await;
                tracing::info!(?reason, "joint team access denied");
                Err(AppError::NotFound)
            }
        }
    }

    async fn team_view(
        &self,
        principal: &Principal,
        row: &JointTeamRow,
        links: &[(JointTeamLinkRow, InvestigationRow)],
    ) -> AppResult<JointTeamView> {
        let team = self.team_record(row)?;
        let mut investigations = Vec::new();
        let mut scopes = Vec::new();
        for (link, inv) in links {
            let scope = scope_of(inv)?;
            let readable = authorize_investigation(&principal.actor, &scope, Action::Read).is_allowed();
            scopes.push(scope);
            investigations.push(TeamInvestigation {
                country: link.jurisdiction.clone(),
                investigation_id: readable.then(|| inv.id.clone()),
                reference: if readable { Some(self.decrypt_investigation(inv)?.reference) } else { None },
            });
        }
        let write = authorize_joint_team(&principal.actor, &scopes, Action::Write).is_allowed();
        let event =
            self.event(principal, AuditAction::ProceedingsRead).on("joint_team", &row.id, None).detail("joint_team");
        self.store.append_audit(&event).await?;
        Ok(JointTeamView { team, version: row.version, investigations, write })
    }

    /// Sets up a joint investigation team for an investigation the principal writes, whose
    /// country must be a member.
    pub async fn open_joint_team(
        &self,
        principal: &Principal,
        investigation_id: &str,
        input: &JointTeamInput,
    ) -> AppResult<JointTeamView> {
        let (inv, _) = self.money_investigation(principal, investigation_id, Action::Write).await?;
        let team = JointTeam::set_up(new_id(), input, self.today())?;
        team.check_link(CountryCode::parse("jurisdiction", &inv.jurisdiction).map_err(internal)?)?;
        let now = self.now();
        let row = JointTeamRow {
            id: team.id.clone(),
            record: self.encrypt_team(&team)?,
            version: 1,
            created_by: principal.user.id.clone(),
            created_at: now,
            updated_by: principal.user.id.clone(),
            updated_at: now,
        };
        let link = JointTeamLinkRow {
            team_id: team.id.clone(),
            investigation_id: inv.id.clone(),
            jurisdiction: inv.jurisdiction.clone(),
            linked_by: principal.user.id.clone(),
            linked_at: now,
        };
        let event = self.money_event(
            principal,
            AuditAction::ProceedingsWritten,
            &inv,
            &format!("joint_team_opened={}", team.id),
        );
        self.store.create_joint_team(&row, &link, &event).await?;
        self.joint_team(principal, &team.id).await
    }

    /// Links an investigation the principal writes to a team of which its country is a member
    /// (the team's id comes from the agreement).
    pub async fn link_joint_team(
        &self,
        principal: &Principal,
        team_id: &str,
        investigation_id: &str,
    ) -> AppResult<JointTeamView> {
        let (inv, _) = self.money_investigation(principal, investigation_id, Action::Write).await?;
        let unknown = || AppError::said("team_id", "no joint investigation team has this id", MessageId::UnknownValue);
        if !is_uuid(team_id) {
            return Err(unknown());
        }
        let row = self.store.joint_team(team_id).await?.ok_or_else(unknown)?;
        let team = self.team_record(&row)?;
        team.check_link(CountryCode::parse("jurisdiction", &inv.jurisdiction).map_err(internal)?)?;
        let link = JointTeamLinkRow {
            team_id: row.id.clone(),
            investigation_id: inv.id.clone(),
            jurisdiction: inv.jurisdiction.clone(),
            linked_by: principal.user.id.clone(),
            linked_at: self.now(),
        };
        let event = self.money_event(
            principal,
            AuditAction::ProceedingsWritten,
            &inv,
            &format!("joint_team_linked={}", row.id),
        );
        if !self.store.link_joint_team(&link, &event).await? {
            return Err(AppError::said(
                "investigation_id",
                "the investigation is already linked to the team",
                MessageId::ProceedingsVictimAlreadyLinked,
            ));
        }
        self.joint_team(principal, team_id).await
    }

    /// A team: its agreement, parties, Eurojust and Europol participation, outcome, and the
    /// linked investigations by country (the id and reference of those the principal reads).
    /// Audited.
    pub async fn joint_team(&self, principal: &Principal, team_id: &str) -> AppResult<JointTeamView> {
        let (row, links) = self.team_for(principal, team_id, Action::Read).await?;
        self.team_view(principal, &row, &links).await
    }

    /// The teams linking an investigation of the principal's organisation. Audited as one read.
    pub async fn joint_teams(&self, principal: &Principal) -> AppResult<Vec<JointTeamSummary>> {
        self.require(principal, Permission::Case(haven_domain::Compartment::Proceedings, Action::Read)).await?;
        let ids = self
            .store
            .joint_teams_of_organisation(principal.actor.jurisdiction.code(), &principal.actor.organisation_id)
            .await?;
        let mut out = Vec::new();
        for id in ids {
            let Some(row) = self.store.joint_team(&id).await? else { continue };
            let mut scopes = Vec::new();
            for link in self.store.joint_team_links(&id).await? {
                if let Some(inv) = self.store.investigation(&link.investigation_id).await? {
                    scopes.push(scope_of(&inv)?);
                }
            }
            if !authorize_joint_team(&principal.actor, &scopes, Action::Read).is_allowed() {
                continue;
            }
            let team = self.team_record(&row)?;
            out.push(JointTeamSummary {
                countries: team.countries(),
                id: team.id,
                agreement_reference: team.agreement_reference,
                starts_on: team.starts_on,
                ends_on: team.ends_on,
                eurojust: team.eurojust,
                europol: team.europol,
                outcome: team.outcome,
            });
        }
        let event = self
            .event(principal, AuditAction::ProceedingsRead)
            .on("joint_team", "list", Some(&principal.actor.organisation_id))
            .detail(format!("listed={}", out.len()));
        self.store.append_audit(&event).await?;
        Ok(out)
    }

    /// Records how a team ended, once, with its evaluation (encrypted).
    pub async fn conclude_joint_team(
        &self,
        principal: &Principal,
        team_id: &str,
        input: &TeamOutcomeInput,
    ) -> AppResult<JointTeamView> {
        let (row, links) = self.team_for(principal, team_id, Action::Write).await?;
        let team = self.team_record(&row)?;
        let done = team.conclude(&input.outcome, &input.ended_on, &input.evaluation, self.today())?;
        if input.version != row.version {
            return Err(AppError::conflict(
                "the team was changed meanwhile; reload it",
                Message::new(MessageId::StoredConflict),
            ));
        }
        let next = JointTeamRow {
            record: self.encrypt_team(&done)?,
            version: row.version + 1,
            updated_by: principal.user.id.clone(),
            updated_at: self.now(),
            ..row.clone()
        };
        let event = self
            .event(principal, AuditAction::ProceedingsWritten)
            .on("joint_team", &row.id, None)
            .detail(format!("joint_team_concluded={}", done.outcome.map(|o| o.code()).unwrap_or_default()));
        if !self.store.update_joint_team(&next, &event).await? {
            return Err(AppError::conflict(
                "the team was changed meanwhile; reload it",
                Message::new(MessageId::StoredConflict),
            ));
        }
        self.team_view(principal, &next, &links).await
    }
}
