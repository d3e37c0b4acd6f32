//! Assistance, support and protection: the individual risk and needs assessment, the support
//! plan, the directory of support providers and matching, and referrals between organisations.
//! Every operation is authorised in `haven_domain::access` and audited; assessments, plan
//! details, consent records, shared snapshots and notes are encrypted before they reach storage.

use std::collections::{BTreeMap, BTreeSet};

use crate::{App, AppError, AppResult, Principal, new_id};
use haven_crypto::FieldContext;
use haven_domain::access::{Action, Compartment};
use haven_domain::assist::assessment::{
    AssessmentInput, AssessmentState, NeedArea, NeedLevel, ReviewError, RiskAndNeedsAssessment, review,
};
use haven_domain::assist::directory::{Provider, ProviderInput};
use haven_domain::assist::matching::{NeedQuery, Ranked, rank_top};
use haven_domain::assist::plan::{ItemStatus, PlanContext, PlanItem, PlanItemInput, parse_stop_reason, unmet_needs};
use haven_domain::assist::referral::{
    ConsentError, ConsentInput, ConsentRecord, FollowUp, ReferralKind, ReferralState, SharedField, SharingRules, Side,
    check_transition, consent_basis, is_overdue,
};
use haven_domain::assist::services::ServiceType;
use haven_domain::audit::AuditAction;
use haven_domain::case::CalendarDate;
use haven_domain::ident::record::{ChildStatus, Registration};
use haven_domain::text::parse_line;
use haven_domain::{Coded, ParseError, Permission, permission_allowed};
use haven_storage::{
    AssessmentRow, CaseRow, PlaceChange, PlanItemRow, ProviderRow, ReferralChange, ReferralEventRow, ReferralRow,
    RegistrationRow, StorageError,
};
use serde::{Deserialize, Serialize};

/// How assistance is configured: what referrals share, their due dates, what a sender keeps
/// after a transfer. Loaded as data; operators replace the sharing rules in
/// `assistance/sharing.toml` under the instance's reference directory.
#[derive(Debug, Clone)]
pub struct AssistSettings {
    pub sharing: SharingRules,
    pub follow_up: FollowUp,
    /// Compartments the sending organisation keeps after a transfer it made is accepted.
    pub transfer_sender_keeps: Vec<Compartment>,
}

impl AssistSettings {
    pub fn defaults() -> AppResult<Self> {
        Ok(AssistSettings {
            sharing: SharingRules::builtin()?,
            follow_up: FollowUp::default(),
            transfer_sender_keeps: vec![Compartment::Identity],
        })
    }

    /// The defaults with an operator's sharing rules.
    pub fn with_sharing_toml(mut self, text: &str) -> AppResult<Self> {
        self.sharing = SharingRules::from_toml(text)?;
        Ok(self)
    }
}

fn ctx<'a>(table: &'a str, column: &'a str, row: &'a str) -> FieldContext<'a> {
    FieldContext { table, column, row }
}

fn internal(e: impl std::error::Error + Send + Sync + 'static) -> AppError {
    AppError::Internal(Box::new(e))
}

// ---- views -------------------------------------------------------------------------------

/// One version of an assessment.
#[derive(Debug, Clone, Serialize)]
pub struct AssessmentView {
    pub seq: i64,
    pub state: AssessmentState,
    pub in_force: bool,
    pub assessed_on: String,
    pub assessed_by: String,
    pub reviewed_by: Option<String>,
    pub return_reason: Option<String>,
    pub assessment: RiskAndNeedsAssessment,
}

/// A service of the plan.
#[derive(Debug, Clone, Serialize)]
pub struct PlanItemView {
    pub id: String,
    pub version: i64,
    #[serde(flatten)]
    pub item: PlanItem,
}

/// The support side of a case: the assessment in force, the plan, unmet needs, referrals.
#[derive(Debug, Clone, Serialize)]
pub struct SupportView {
    pub case_id: String,
    /// What the user may do with the case's support (`assess`, `refer`, `review`), from the one
    /// access module; the decisions of identification are the case file's to say.
    pub actions: haven_domain::access::CaseActions,
    pub child: bool,
    pub assessments: Vec<AssessmentView>,
    pub needs: Vec<(NeedArea, NeedLevel)>,
    pub unmet_needs: Vec<NeedArea>,
    pub plan: Vec<PlanItemView>,
    pub referrals: Vec<ReferralSummary>,
}

/// A provider with its live occupancy.
#[derive(Debug, Clone, Serialize)]
pub struct ProviderView {
    pub version: i64,
    #[serde(flatten)]
    pub provider: Provider,
}

/// A provider ranked for a need.
#[derive(Debug, Clone, Serialize)]
pub struct RankedProvider {
    pub provider_id: String,
    pub name: String,
    pub score: u32,
    pub free_places: Option<u32>,
    pub factors: Vec<haven_domain::assist::matching::FactorScore>,
}

/// A referral as a list shows it.
#[derive(Debug, Clone, Serialize)]
pub struct ReferralSummary {
    pub id: String,
    pub kind: ReferralKind,
    pub service: Option<ServiceType>,
    pub from_organisation_id: String,
    pub to_organisation_id: String,
    pub provider_id: Option<String>,
    pub state: ReferralState,
    pub urgent: bool,
    pub due_on: Option<String>,
    pub overdue: bool,
    pub version: i64,
    /// The case, for the sender (and for the receiver of an accepted transfer) only.
    pub case_id: Option<String>,
    pub side: Side,
}

/// One change or follow-up of a referral.
#[derive(Debug, Clone, Serialize)]
pub struct ReferralEventView {
    pub seq: i64,
    pub state: ReferralState,
    pub note: Option<String>,
    pub by_organisation: String,
    pub at: i64,
}

/// A referral in full, as its sender or receiver sees it: the receiver sees only the shared
/// fields.
#[derive(Debug, Clone, Serialize)]
pub struct ReferralView {
    #[serde(flatten)]
    pub summary: ReferralSummary,
    pub consent: ConsentRecord,
    pub shared_fields: Vec<SharedField>,
    pub shared: BTreeMap<String, serde_json::Value>,
    pub message: Option<String>,
    pub events: Vec<ReferralEventView>,
}

/// A new referral.
#[derive(Debug, Clone, Default, Deserialize, Serialize)]
#[serde(deny_unknown_fields, default)]
pub struct ReferralInput {
    /// "service" (default) or "transfer".
    pub kind: String,
    pub service: String,
    pub to_organisation_id: String,
    pub provider_id: String,
    pub urgent: bool,
    /// Send at once; otherwise saved as a draft.
    pub send: bool,
    /// Fields to share (none named: all the service type allows).
    pub shared_fields: Vec<String>,
    pub message: String,
    pub consent: ConsentInput,
}

/// A change of a referral's state.
#[derive(Debug, Clone, Default, Deserialize, Serialize)]
#[serde(deny_unknown_fields, default)]
pub struct ReferralStateInput {
    pub state: String,
    pub reason: String,
    pub version: i64,
}

/// A change of a plan item's status.
#[derive(Debug, Clone, Default, Deserialize, Serialize)]
#[serde(deny_unknown_fields, default)]
pub struct PlanItemStatusInput {
    pub status: String,
    pub on: String,
    pub stop_reason: String,
    pub version: i64,
}

/// Which referrals to list.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Mailbox {
    Inbox,
    Outbox,
    Overdue,
}

fn parse_state(s: &str) -> AppResult<ReferralState> {
    Ok(ReferralState::parse_code("state", s)?)
}

impl App {
    pub fn assist_settings(&self) -> &AssistSettings {
        &self.assist
    }

    fn child_today(&self, reg: &Registration) -> bool {
        ChildStatus::from_age_status(&reg.age_status(self.today())).is_child()
    }

    async fn support_case(
        &self,
        principal: &Principal,
        permission: Permission,
        case_id: &str,
        action: Action,
    ) -> AppResult<(CaseRow, RegistrationRow, Registration)> {
        let (case, row) = self.registered_case(principal, permission, case_id, Compartment::Support, action).await?;
        let reg = self.decrypt_registration(&row)?;
        Ok((case, row, reg))
    }

    fn assessment_view(&self, row: &AssessmentRow, in_force: Option<i64>) -> AppResult<AssessmentView> {
        let seq = row.seq.to_string();
        let row_id = format!("{}/{seq}", row.case_id);
        let assessment: RiskAndNeedsAssessment =
            serde_json::from_str(&self.keys.decrypt_str(&ctx("assessments", "record", &row_id), &row.record)?)
                .map_err(internal)?;
        let return_reason = match &row.return_reason {
            Some(ct) => Some(self.keys.decrypt_str(&ctx("assessments", "return_reason", &row_id), ct)?),
            None => None,
        };
        Ok(AssessmentView {
            seq: row.seq,
            state: AssessmentState::parse_code("state", &row.state)?,
            in_force: in_force == Some(row.seq),
            assessed_on: row.assessed_on.clone(),
            assessed_by: row.created_by.clone(),
            reviewed_by: row.reviewed_by.clone(),
            return_reason,
            assessment,
        })
    }

    async fn assessment_views(&self, case_id: &str) -> AppResult<Vec<AssessmentView>> {
        let rows = self.store.assessments(case_id).await?;
        let in_force = rows.iter().filter(|r| r.state == AssessmentState::Approved.code()).map(|r| r.seq).max();
        rows.iter().map(|r| self.assessment_view(r, in_force)).collect()
    }

    // ---- assessment ----------------------------------------------------------------------

    /// Submits a new version of the risk and needs assessment (a reassessment keeps the
    /// earlier versions). A supervisor other than the author approves it.
    pub async fn submit_assessment(
        &self,
        principal: &Principal,
        case_id: &str,
        input: &AssessmentInput,
    ) -> AppResult<AssessmentView> {
        let (case, _, reg) = self
            .support_case(principal, Permission::Case(Compartment::Support, Action::Write), case_id, Action::Write)
            .await?;
        let child = self.child_today(&reg);
        let assessment = RiskAndNeedsAssessment::parse(input, child, self.today())?;
        let seq = self.store.assessments(&case.id).await?.iter().map(|r| r.seq).max().unwrap_or(0) + 1;
        let row_id = format!("{}/{seq}", case.id);
        let json = serde_json::to_string(&assessment).map_err(internal)?;
        let row = AssessmentRow {
            case_id: case.id.clone(),
            seq,
            state: AssessmentState::Submitted.code().into(),
            risk_level: assessment.risk_from_traffickers.code().into(),
            child: i64::from(child),
            assessed_on: assessment.assessed_on.to_string(),
            record: self.keys.encrypt_str(&ctx("assessments", "record", &row_id), &json),
            created_by: principal.user.id.clone(),
            created_at: self.now(),
            reviewed_by: None,
            reviewed_at: None,
            return_reason: None,
        };
        let event = self
            .event(principal, AuditAction::AssessmentSubmitted)
            .on("case", &case.id, Some(&case.owner_organisation_id))
            .detail(format!("seq={seq}"));
        self.store.add_assessment(&row, &event).await?;
        self.assessment_view(&row, None)
    }

    /// Approves a submitted assessment, or returns it with a reason (four eyes).
    pub async fn review_assessment(
        &self,
        principal: &Principal,
        case_id: &str,
        seq: i64,
        approve: bool,
        reason: &str,
    ) -> AppResult<AssessmentView> {
        let (case, _, _) = self.support_case(principal, Permission::ReviewAssessments, case_id, Action::Write).await?;
        let rows = self.store.assessments(&case.id).await?;
        let row = rows.iter().find(|r| r.seq == seq).ok_or(AppError::NotFound)?;
        let state = AssessmentState::parse_code("state", &row.state)?;
        let to = review(state, &row.created_by, &principal.user.id, approve, reason).map_err(|e| match e {
            ReviewError::NotSubmitted(state) => AppError::conflict(
                e.to_string(),
                haven_domain::Message::new(haven_domain::MessageId::AssessmentNotSubmitted).labels(
                    "state",
                    "support-assessment-state",
                    [state.code()],
                ),
            ),
            ReviewError::OwnAssessment => AppError::Invalid(ParseError::said(
                "approve",
                e.to_string(),
                haven_domain::Message::new(haven_domain::MessageId::AssessmentOwnReview),
            )),
            ReviewError::ReasonMissing => AppError::Invalid(ParseError::said(
                "reason",
                e.to_string(),
                haven_domain::Message::new(haven_domain::MessageId::AssessmentReturnNeedsReason),
            )),
        })?;
        let row_id = format!("{}/{seq}", case.id);
        let reason_ct =
            (!approve).then(|| self.keys.encrypt_str(&ctx("assessments", "return_reason", &row_id), reason.trim()));
        let event = self
            .event(principal, AuditAction::AssessmentReviewed)
            .on("case", &case.id, Some(&case.owner_organisation_id))
            .detail(format!("seq={seq} state={to}"));
        self.store
            .review_assessment(&case.id, seq, to.code(), &principal.user.id, self.now(), reason_ct.as_deref(), &event)
            .await?;
        let views = self.assessment_views(&case.id).await?;
        views.into_iter().find(|v| v.seq == seq).ok_or(AppError::NotFound)
    }

    // ---- support plan --------------------------------------------------------------------

    /// The languages the person speaks, as registered, to prefill the need a referral is
    /// matched for. A read of the identity compartment, authorised and audited as one.
    pub async fn person_languages(&self, principal: &Principal, case_id: &str) -> AppResult<Vec<String>> {
        let read = Permission::Case(Compartment::Identity, Action::Read);
        let (case, row) = self.registered_case(principal, read, case_id, Compartment::Identity, Action::Read).await?;
        let reg = self.decrypt_registration(&row)?;
        let event = self
            .event(principal, AuditAction::CaseRead)
            .on("case", &case.id, Some(&case.owner_organisation_id))
            .detail("part=languages".to_owned());
        self.store.append_audit(&event).await?;
        Ok(reg.person.languages)
    }

    /// The support side of a case, audited as a read of the support compartment.
    pub async fn support(&self, principal: &Principal, case_id: &str) -> AppResult<SupportView> {
        let (case, row, reg) = self
            .support_case(principal, Permission::Case(Compartment::Support, Action::Read), case_id, Action::Read)
            .await?;
        let facts = haven_domain::access::CaseFacts {
            scope: crate::ident::case_scope(&case, &row),
            draft: row.state == haven_domain::ident::record::RegistrationState::Draft.code(),
            // Not asked here: the support page offers no decision of identification.
            reconsideration_open: false,
            pending_stage: None,
        };
        let actions = haven_domain::access::case_actions(&principal.actor, principal.organisation.kind, &facts);
        let assessments = self.assessment_views(&case.id).await?;
        let needs = assessments.iter().find(|a| a.in_force).map(|a| a.assessment.needs()).unwrap_or_default();
        let plan = self.plan_views(&case.id).await?;
        let items: Vec<PlanItem> = plan.iter().map(|p| p.item.clone()).collect();
        let need_areas: Vec<NeedArea> = needs.iter().map(|(a, _)| *a).collect();
        let referrals = self
            .store
            .referrals_of_case(&case.id)
            .await?
            .iter()
            .map(|r| self.summary(r, &principal.organisation.id))
            .collect::<AppResult<Vec<_>>>()?;
        let event =
            self.event(principal, AuditAction::SupportRead).on("case", &case.id, Some(&case.owner_organisation_id));
        self.store.append_audit(&event).await?;
        Ok(SupportView {
            case_id: case.id,
            actions,
            child: self.child_today(&reg),
            unmet_needs: unmet_needs(&need_areas, &items),
            needs,
            assessments,
            plan,
            referrals,
        })
    }

    async fn plan_views(&self, case_id: &str) -> AppResult<Vec<PlanItemView>> {
        let rows = self.store.plan_items(case_id).await?;
        rows.iter()
            .map(|r| {
                let item: PlanItem =
                    serde_json::from_str(&self.keys.decrypt_str(&ctx("plan_items", "record", &r.id), &r.record)?)
                        .map_err(internal)?;
                Ok(PlanItemView { id: r.id.clone(), version: r.version, item })
            })
            .collect()
    }

    /// Adds a service to the plan. Legal help is free of charge when the assessment in force
    /// says the victim lacks the means; nothing in it can depend on cooperation.
    pub async fn add_plan_item(
        &self,
        principal: &Principal,
        case_id: &str,
        input: &PlanItemInput,
    ) -> AppResult<PlanItemView> {
        let (case, _, reg) = self
            .support_case(principal, Permission::Case(Compartment::Support, Action::Write), case_id, Action::Write)
            .await?;
        let in_force = self.assessment_views(&case.id).await?.into_iter().find(|a| a.in_force);
        let cx = PlanContext {
            child: self.child_today(&reg),
            lacks_means: in_force.as_ref().is_some_and(|a| a.assessment.lacks_means),
        };
        let item = PlanItem::parse(input, cx)?;
        match self.store.organisation(&item.responsible_organisation_id).await {
            Ok(o) if o.jurisdiction == case.jurisdiction => {}
            Ok(_) | Err(StorageError::NotFound) => {
                return Err(AppError::said(
                    "responsible_organisation_id",
                    "no such organisation in this country",
                    haven_domain::MessageId::NoSuchOrganisationHere,
                ));
            }
            Err(e) => return Err(e.into()),
        }
        if let Some(p) = &item.provider_id {
            let provider = self.provider_in(p, &case).await.map_err(|_| {
                AppError::said(
                    "provider_id",
                    "no such provider in this country",
                    haven_domain::MessageId::NoSuchProvider,
                )
            })?;
            if provider.offer(item.service).is_none() {
                return Err(AppError::said(
                    "provider_id",
                    "the provider does not offer this service",
                    haven_domain::MessageId::ProviderLacksService,
                ));
            }
        }
        let id = new_id();
        let json = serde_json::to_string(&item).map_err(internal)?;
        let now = self.now();
        let row = PlanItemRow {
            id: id.clone(),
            case_id: case.id.clone(),
            service: item.service.code().into(),
            organisation_id: item.responsible_organisation_id.clone(),
            provider_id: item.provider_id.clone(),
            status: item.status.code().into(),
            starts_on: item.starts_on.to_string(),
            ends_on: item.ends_on.map(|d| d.to_string()),
            record: self.keys.encrypt_str(&ctx("plan_items", "record", &id), &json),
            version: 1,
            created_by: principal.user.id.clone(),
            created_at: now,
            updated_by: principal.user.id.clone(),
            updated_at: now,
        };
        let event = self
            .event(principal, AuditAction::PlanItemAdded)
            .on("case", &case.id, Some(&case.owner_organisation_id))
            .detail(format!("item={id} service={}", item.service));
        self.store.add_plan_item(&row, &event).await?;
        Ok(PlanItemView { id, version: 1, item })
    }

    /// Moves a service of the plan on (in progress, completed, stopped with a reason that is
    /// never about cooperation).
    pub async fn update_plan_item(
        &self,
        principal: &Principal,
        case_id: &str,
        item_id: &str,
        input: &PlanItemStatusInput,
    ) -> AppResult<PlanItemView> {
        let (case, _, _) = self
            .support_case(principal, Permission::Case(Compartment::Support, Action::Write), case_id, Action::Write)
            .await?;
        let rows = self.store.plan_items(&case.id).await?;
        let row = rows.iter().find(|r| r.id == item_id).ok_or(AppError::NotFound)?;
        if row.version != input.version {
            return Err(AppError::conflict(
                "the service was changed meanwhile; reload it",
                haven_domain::Message::new(haven_domain::MessageId::ServiceChangedMeanwhile),
            ));
        }
        let mut item: PlanItem =
            serde_json::from_str(&self.keys.decrypt_str(&ctx("plan_items", "record", &row.id), &row.record)?)
                .map_err(internal)?;
        let to = ItemStatus::parse_code("status", input.status.trim())?;
        let on = if input.on.trim().is_empty() { self.today() } else { CalendarDate::parse("on", input.on.trim())? };
        if on > self.today() {
            return Err(AppError::Invalid(haven_domain::ParseError::future("on", "must not be in the future")));
        }
        let reason = match input.stop_reason.trim() {
            "" => None,
            r => Some(parse_stop_reason("stop_reason", r)?),
        };
        item.advance(to, on, reason)?;
        let json = serde_json::to_string(&item).map_err(internal)?;
        let new = PlanItemRow {
            status: item.status.code().into(),
            ends_on: item.ends_on.map(|d| d.to_string()),
            record: self.keys.encrypt_str(&ctx("plan_items", "record", &row.id), &json),
            version: row.version + 1,
            updated_by: principal.user.id.clone(),
            updated_at: self.now(),
            ..row.clone()
        };
        let event = self
            .event(principal, AuditAction::PlanItemUpdated)
            .on("case", &case.id, Some(&case.owner_organisation_id))
            .detail(format!("item={item_id} status={to}"));
        self.store.update_plan_item(&new, row.version, &event).await?;
        Ok(PlanItemView { id: row.id.clone(), version: new.version, item })
    }

    // ---- providers -------------------------------------------------------------------------

    async fn provider_in(&self, id: &str, case: &CaseRow) -> AppResult<Provider> {
        let row = self.store.provider(id).await?;
        if row.jurisdiction != case.jurisdiction.code() {
            return Err(AppError::NotFound);
        }
        Ok(self.provider_views_of(vec![row], case.jurisdiction.code()).await?.remove(0).provider)
    }

    async fn provider_views_of(&self, rows: Vec<ProviderRow>, jurisdiction: &str) -> AppResult<Vec<ProviderView>> {
        let capacity = self.store.provider_services(jurisdiction).await?;
        let mut out = Vec::with_capacity(rows.len());
        for row in rows {
            let mut provider: Provider = serde_json::from_str(&row.record).map_err(internal)?;
            for s in &mut provider.services {
                if let Some(c) = capacity.iter().find(|c| c.provider_id == row.id && c.service == s.service.code()) {
                    s.occupied = u32::try_from(c.occupied).unwrap_or(0);
                    s.capacity = c.capacity.and_then(|c| u32::try_from(c).ok());
                }
            }
            out.push(ProviderView { version: row.version, provider });
        }
        Ok(out)
    }

    /// The directory of one's country, with live occupancy.
    pub async fn providers(&self, principal: &Principal) -> AppResult<Vec<ProviderView>> {
        self.require(principal, Permission::ReadProviders).await?;
        let j = principal.organisation.jurisdiction.code();
        let rows = self.store.providers(j).await?;
        self.provider_views_of(rows, j).await
    }

    /// Adds a provider (`version` None) or replaces one at `version`. Capacity can be changed;
    /// occupancy is live and never set by hand.
    pub async fn save_provider(
        &self,
        principal: &Principal,
        input: &ProviderInput,
        version: Option<i64>,
    ) -> AppResult<ProviderView> {
        self.require(principal, Permission::ManageProviders).await?;
        let mut provider = input.parse()?;
        let j = principal.organisation.jurisdiction.code();
        if provider.country.as_str() != j {
            return Err(AppError::said(
                "country",
                "providers are kept by their own country's instance",
                haven_domain::MessageId::ProvidersOwnCountry,
            ));
        }
        if let Some(org) = &provider.organisation_id {
            match self.store.organisation(org).await {
                Ok(o) if o.jurisdiction.code() == j => {}
                Ok(_) | Err(StorageError::NotFound) => {
                    return Err(AppError::said(
                        "organisation_id",
                        "no such organisation in this country",
                        haven_domain::MessageId::NoSuchOrganisationHere,
                    ));
                }
                Err(e) => return Err(e.into()),
            }
        }
        for s in &mut provider.services {
            s.occupied = 0;
        }
        let services: Vec<(String, Option<i64>)> =
            provider.services.iter().map(|s| (s.service.code().to_owned(), s.capacity.map(i64::from))).collect();
        let new_version = version.map_or(1, |v| v + 1);
        let row = ProviderRow {
            id: provider.id.clone(),
            jurisdiction: j.to_owned(),
            organisation_id: provider.organisation_id.clone(),
            name: provider.name.clone(),
            record: serde_json::to_string(&provider).map_err(internal)?,
            version: new_version,
            updated_by: principal.user.id.clone(),
            updated_at: self.now(),
        };
        if version.is_some() {
            let existing = self.store.provider(&provider.id).await?;
            if existing.jurisdiction != j {
                return Err(AppError::NotFound);
            }
        }
        let event = self
            .event(principal, AuditAction::ProviderSaved)
            .on("provider", &provider.id, provider.organisation_id.as_deref())
            .detail(format!("version={new_version}"));
        self.store.put_provider(&row, &services, version, &event).await?;
        let rows = vec![self.store.provider(&provider.id).await?];
        Ok(self.provider_views_of(rows, j).await?.remove(0))
    }

    /// One provider of one's country with its live occupancy, for those who keep the directory
    /// (the edit form needs the version without the right to read the whole directory).
    pub async fn provider_to_edit(&self, principal: &Principal, id: &str) -> AppResult<ProviderView> {
        self.require(principal, Permission::ManageProviders).await?;
        let j = principal.organisation.jurisdiction.code();
        let row = match self.store.provider(id).await {
            Ok(row) if row.jurisdiction == j => row,
            Ok(_) | Err(StorageError::NotFound) => return Err(AppError::NotFound),
            Err(e) => return Err(e.into()),
        };
        self.provider_views_of(vec![row], j).await?.into_iter().next().ok_or(AppError::NotFound)
    }

    /// Ranks the providers of one's country for a need, best first, each rank explained.
    pub async fn match_providers(
        &self,
        principal: &Principal,
        need: &NeedQuery,
        limit: usize,
    ) -> AppResult<Vec<RankedProvider>> {
        let providers: Vec<Provider> = self.providers(principal).await?.into_iter().map(|v| v.provider).collect();
        let ranked: Vec<Ranked> = rank_top(need, &providers, limit.clamp(1, 200));
        Ok(ranked
            .into_iter()
            .filter_map(|r| {
                let p = providers.get(r.index)?;
                Some(RankedProvider {
                    provider_id: r.provider_id,
                    name: p.name.clone(),
                    score: r.score,
                    free_places: p.free_places(need.service),
                    factors: r.factors,
                })
            })
            .collect())
    }

    // ---- referrals -------------------------------------------------------------------------

    pub(crate) fn summary(&self, r: &ReferralRow, viewer_org: &str) -> AppResult<ReferralSummary> {
        let side = if r.from_organisation_id == viewer_org { Side::Sender } else { Side::Receiver };
        let kind = ReferralKind::parse_code("kind", &r.kind)?;
        let state = parse_state(&r.state)?;
        let due_on = r.due_on.as_deref().map(|d| CalendarDate::parse("due_on", d)).transpose()?;
        let sees_case = side == Side::Sender || (kind == ReferralKind::Transfer && state == ReferralState::Accepted);
        Ok(ReferralSummary {
            id: r.id.clone(),
            kind,
            service: r.service.as_deref().map(|s| ServiceType::parse_code("service", s)).transpose()?,
            from_organisation_id: r.from_organisation_id.clone(),
            to_organisation_id: r.to_organisation_id.clone(),
            provider_id: r.provider_id.clone(),
            state,
            urgent: r.urgent != 0,
            due_on: r.due_on.clone(),
            overdue: is_overdue(state, due_on, self.today()),
            version: r.version,
            case_id: sees_case.then(|| r.case_id.clone()),
            side,
        })
    }

    /// The fields a referral shares, taken from the registration and the assessment in force.
    fn snapshot(
        &self,
        fields: &BTreeSet<SharedField>,
        row: &RegistrationRow,
        reg: &Registration,
        assessment: Option<&RiskAndNeedsAssessment>,
    ) -> BTreeMap<String, serde_json::Value> {
        use serde_json::json;
        let p = &reg.person;
        let mut out = BTreeMap::new();
        for f in fields {
            let v = match f {
                SharedField::GivenNames => json!(p.given_names),
                SharedField::FamilyNames => json!(p.family_names),
                SharedField::DateOfBirth => json!(p.date_of_birth.map(|d| d.to_string())),
                SharedField::AgeGroup => json!(row.age_group),
                SharedField::Sex => json!(row.sex),
                SharedField::ChildStatus => json!(row.child_status),
                SharedField::Languages => json!(p.languages),
                SharedField::Interpreter => json!(p.interpreter_needed),
                SharedField::Citizenships => json!(p.citizenships.iter().map(|c| c.as_str()).collect::<Vec<_>>()),
                SharedField::SafeContact => json!(p.safe_contact),
                SharedField::ExploitationForms => json!(row.forms),
                SharedField::RiskLevel => json!(assessment.map(|a| a.risk_from_traffickers)),
                SharedField::SpecialNeeds => json!(assessment.map(|a| &a.special_needs)),
                SharedField::Needs => json!(assessment.map(|a| a.needs())),
                SharedField::NrmStatus => json!(row.nrm_status),
            };
            out.insert(f.code().to_owned(), v);
        }
        out
    }

    /// Refers a case to another organisation's service, or transfers it. An adult's referral
    /// needs consent (or, with the separate permission, a documented emergency override, which
    /// is audited); a child is referred without consent. Only the fields the service needs are
    /// shared. A referral to a provider with limited capacity holds a place from when it is
    /// sent; when none is left, it is refused.
    pub async fn create_referral(
        &self,
        principal: &Principal,
        case_id: &str,
        input: &ReferralInput,
    ) -> AppResult<ReferralView> {
        let (case, row, reg) =
            self.support_case(principal, Permission::ManageReferrals, case_id, Action::Write).await?;
        let today = self.today();
        let kind = match input.kind.trim() {
            "" => ReferralKind::Service,
            k => ReferralKind::parse_code("kind", k)?,
        };
        let child = self.child_today(&reg);
        let may_override = permission_allowed(&principal.actor.roles, Permission::OverrideReferralConsent);
        let consent = match consent_basis(child, &input.consent, may_override, today) {
            Ok(c) => c,
            Err(ConsentError::Invalid(e)) => return Err(AppError::Invalid(prefix("consent", e))),
            Err(ConsentError::ConsentMissing) => {
                return Err(AppError::said(
                    "consent",
                    &ConsentError::ConsentMissing.to_string(),
                    haven_domain::MessageId::ReferralNeedsConsent,
                ));
            }
            Err(ConsentError::OverrideNotPermitted) => {
                self.audit_denied(principal, "case", &case.id, Some(&case.owner_organisation_id)).await;
                return Err(AppError::Forbidden);
            }
        };
        let (service, provider) = match kind {
            ReferralKind::Service => {
                let service = ServiceType::parse_code("service", input.service.trim())?;
                if service.for_children() && !child {
                    return Err(AppError::said(
                        "service",
                        "this service is for child victims and their families",
                        haven_domain::MessageId::ServiceForChildren,
                    ));
                }
                let provider = match input.provider_id.trim() {
                    "" => None,
                    p => Some(self.provider_in(p, &case).await.map_err(|_| {
                        AppError::said(
                            "provider_id",
                            "no such provider in this country",
                            haven_domain::MessageId::NoSuchProvider,
                        )
                    })?),
                };
                if let Some(p) = &provider
                    && p.offer(service).is_none()
                {
                    return Err(AppError::said(
                        "provider_id",
                        "the provider does not offer this service",
                        haven_domain::MessageId::ProviderLacksService,
                    ));
                }
                (Some(service), provider)
            }
            ReferralKind::Transfer => {
                if !input.service.trim().is_empty() || !input.provider_id.trim().is_empty() {
                    return Err(AppError::said(
                        "service",
                        "a transfer moves the whole case: no service or provider",
                        haven_domain::MessageId::TransferWholeCase,
                    ));
                }
                if case.owner_organisation_id != principal.organisation.id {
                    return Err(AppError::Forbidden);
                }
                (None, None)
            }
        };
        let to_org = match (input.to_organisation_id.trim(), provider.as_ref().and_then(|p| p.organisation_id.clone()))
        {
            ("", Some(org)) => org,
            ("", None) => {
                return Err(AppError::said(
                    "to_organisation_id",
                    "name the receiving organisation",
                    haven_domain::MessageId::ReferralNeedsReceiver,
                ));
            }
            (given, Some(org)) if given != org => {
                return Err(AppError::said(
                    "to_organisation_id",
                    "the provider belongs to another organisation",
                    haven_domain::MessageId::ProviderOfOtherOrganisation,
                ));
            }
            (given, _) => given.to_owned(),
        };
        if to_org == principal.organisation.id {
            return Err(AppError::said(
                "to_organisation_id",
                "a referral goes to another organisation",
                haven_domain::MessageId::ReferralToSelf,
            ));
        }
        match self.store.organisation(&to_org).await {
            Ok(o) if o.jurisdiction == case.jurisdiction => {}
            Ok(_) => {
                return Err(AppError::said(
                    "to_organisation_id",
                    "another country's organisation: use the transnational referral",
                    haven_domain::MessageId::TransnationalReferral,
                ));
            }
            Err(StorageError::NotFound) => {
                return Err(AppError::said(
                    "to_organisation_id",
                    "no such organisation",
                    haven_domain::MessageId::NoSuchOrganisation,
                ));
            }
            Err(e) => return Err(e.into()),
        }
        let fields = self.assist.sharing.select(kind, service, &input.shared_fields)?;
        let assessment = self.assessment_views(&case.id).await?.into_iter().find(|a| a.in_force).map(|a| a.assessment);
        let shared = self.snapshot(&fields, &row, &reg, assessment.as_ref());
        let message = match input.message.trim() {
            "" => None,
            m => Some(parse_line("message", m, 2000)?),
        };
        let state = if input.send { ReferralState::Sent } else { ReferralState::Draft };
        let limited = |p: &Provider, s: ServiceType| p.offer(s).is_some_and(|o| o.capacity.is_some());
        let holds_place =
            state == ReferralState::Sent && matches!((&provider, service), (Some(p), Some(s)) if limited(p, s));
        let id = new_id();
        let now = self.now();
        let enc = |column: &str, s: &str| self.keys.encrypt_str(&ctx("referrals", column, &id), s);
        let referral = ReferralRow {
            id: id.clone(),
            case_id: case.id.clone(),
            kind: kind.code().into(),
            service: service.map(|s| s.code().to_owned()),
            from_organisation_id: principal.organisation.id.clone(),
            to_organisation_id: to_org.clone(),
            provider_id: provider.as_ref().map(|p| p.id.clone()),
            state: state.code().into(),
            urgent: i64::from(input.urgent),
            consent_basis: consent.basis.code().into(),
            consent: enc("consent", &serde_json::to_string(&consent).map_err(internal)?),
            shared_fields: fields.iter().map(|f| f.code()).collect::<Vec<_>>().join(","),
            shared: enc("shared", &serde_json::to_string(&shared).map_err(internal)?),
            message: message.as_deref().map(|m| enc("message", m)),
            holds_place: i64::from(holds_place),
            due_on: self.assist.follow_up.due(state, today, input.urgent).map(|d| d.to_string()),
            version: 1,
            created_by: principal.user.id.clone(),
            created_at: now,
            updated_by: principal.user.id.clone(),
            updated_at: now,
        };
        let event_row = ReferralEventRow {
            referral_id: id.clone(),
            seq: 1,
            state: state.code().into(),
            note: None,
            by_user: principal.user.id.clone(),
            by_organisation: principal.organisation.id.clone(),
            at: now,
        };
        let event = self
            .event(principal, AuditAction::ReferralCreated)
            .on("case", &case.id, Some(&case.owner_organisation_id))
            .detail(format!("referral={id} kind={kind} to={to_org} state={state} consent={}", consent.basis));
        self.store.create_referral(&referral, &event_row, &event).await?;
        if consent.basis == haven_domain::assist::referral::ConsentBasis::EmergencyOverride {
            let event = self
                .event(principal, AuditAction::ConsentOverridden)
                .on("case", &case.id, Some(&case.owner_organisation_id))
                .detail(format!("referral={id}"));
            self.store.append_audit(&event).await?;
        }
        self.referral_view(&self.store.referral(&id).await?, &principal.organisation.id).await
    }

    async fn referral_view(&self, r: &ReferralRow, viewer_org: &str) -> AppResult<ReferralView> {
        let summary = self.summary(r, viewer_org)?;
        let dec = |column: &str, ct: &[u8]| self.keys.decrypt_str(&ctx("referrals", column, &r.id), ct);
        let consent: ConsentRecord = serde_json::from_str(&dec("consent", &r.consent)?).map_err(internal)?;
        let shared: BTreeMap<String, serde_json::Value> =
            serde_json::from_str(&dec("shared", &r.shared)?).map_err(internal)?;
        let message = r.message.as_deref().map(|m| dec("message", m)).transpose()?;
        let shared_fields = r
            .shared_fields
            .split(',')
            .filter(|f| !f.is_empty())
            .map(|f| SharedField::parse_code("shared_fields", f))
            .collect::<Result<Vec<_>, ParseError>>()?;
        let events = self
            .store
            .referral_events(&r.id)
            .await?
            .iter()
            .map(|e| {
                let note = e
                    .note
                    .as_deref()
                    .map(|n| self.keys.decrypt_str(&ctx("referral_events", "note", &format!("{}/{}", r.id, e.seq)), n))
                    .transpose()?;
                Ok(ReferralEventView {
                    seq: e.seq,
                    state: parse_state(&e.state)?,
                    note,
                    by_organisation: e.by_organisation.clone(),
                    at: e.at,
                })
            })
            .collect::<AppResult<Vec<_>>>()?;
        Ok(ReferralView { summary, consent, shared_fields, shared, message, events })
    }

    /// A referral the user's organisation sent or received (the receiver sees only what was
    /// shared). Audited.
    pub async fn referral(&self, principal: &Principal, id: &str) -> AppResult<ReferralView> {
        let (r, _) = self.own_referral(principal, id).await?;
        let event = self
            .event(principal, AuditAction::ReferralRead)
            .on("referral", &r.id, Some(&r.from_organisation_id))
            .detail(format!("case={}", r.case_id));
        self.store.append_audit(&event).await?;
        self.referral_view(&r, &principal.organisation.id).await
    }

    /// A referral the user's organisation sent or received, and on which side it stands; who may
    /// see which referral is the access module's ([`haven_domain::access::referral_side`]).
    async fn own_referral(&self, principal: &Principal, id: &str) -> AppResult<(ReferralRow, Side)> {
        self.require(principal, Permission::ManageReferrals).await?;
        if uuid::Uuid::parse_str(id).is_err() {
            return Err(AppError::NotFound);
        }
        let r = self.store.referral(id).await?;
        let scope = haven_domain::access::ReferralScope {
            from_organisation_id: &r.from_organisation_id,
            to_organisation_id: &r.to_organisation_id,
            draft: r.state == ReferralState::Draft.code(),
        };
        match haven_domain::access::referral_side(&principal.actor, &scope) {
            Some(side) => Ok((r, side)),
            None => {
                self.audit_denied(principal, "referral", id, Some(&r.from_organisation_id)).await;
                Err(AppError::NotFound)
            }
        }
    }

    /// The inbox, the outbox or the overdue referrals (both directions) of the user's
    /// organisation.
    pub async fn referrals(&self, principal: &Principal, mailbox: Mailbox) -> AppResult<Vec<ReferralSummary>> {
        self.require(principal, Permission::ManageReferrals).await?;
        let org = &principal.organisation.id;
        let rows = match mailbox {
            Mailbox::Inbox => self.store.referrals_of_organisation(org, false).await?,
            Mailbox::Outbox => self.store.referrals_of_organisation(org, true).await?,
            Mailbox::Overdue => {
                let mut all = self.store.referrals_of_organisation(org, true).await?;
                all.extend(self.store.referrals_of_organisation(org, false).await?);
                all
            }
        };
        let mut out = rows.iter().map(|r| self.summary(r, org)).collect::<AppResult<Vec<_>>>()?;
        if mailbox == Mailbox::Overdue {
            out.retain(|s| s.overdue);
            out.sort_by(|a, b| a.due_on.cmp(&b.due_on).then(a.id.cmp(&b.id)));
        }
        let event = self
            .event(principal, AuditAction::ReferralsListed)
            .on("referrals", org, Some(org))
            .detail(format!("mailbox={mailbox:?} count={}", out.len()));
        self.store.append_audit(&event).await?;
        Ok(out)
    }

    /// Changes a referral's state: the sender sends or withdraws, the receiver accepts,
    /// declines with a reason, starts and completes. Places are held and released with the
    /// state; an accepted transfer moves the case to the receiver.
    pub async fn change_referral(
        &self,
        principal: &Principal,
        id: &str,
        input: &ReferralStateInput,
    ) -> AppResult<ReferralView> {
        let (r, side) = self.own_referral(principal, id).await?;
        let kind = ReferralKind::parse_code("kind", &r.kind)?;
        let from = parse_state(&r.state)?;
        let to = parse_state(input.state.trim())?;
        if r.version != input.version {
            return Err(AppError::conflict(
                "the referral was changed meanwhile; reload it",
                haven_domain::Message::new(haven_domain::MessageId::ReferralChangedMeanwhile),
            ));
        }
        check_transition(kind, from, to, side, &input.reason).map_err(|e| match e {
            haven_domain::assist::referral::TransitionError::WrongSide { .. } => AppError::Forbidden,
            haven_domain::assist::referral::TransitionError::ReasonMissing => AppError::Invalid(ParseError::said(
                "reason",
                e.to_string(),
                haven_domain::Message::new(haven_domain::MessageId::DeclineNeedsReason),
            )),
            haven_domain::assist::referral::TransitionError::NotAllowed { from, to, .. } => {
                AppError::Invalid(ParseError::said(
                    "state",
                    e.to_string(),
                    haven_domain::Message::new(haven_domain::MessageId::ReferralCannotChange)
                        .labels("from", "support-referral-state", [from.code()])
                        .labels("to", "support-referral-state", [to.code()]),
                ))
            }
        })?;
        let mut holds = r.holds_place != 0;
        let place = if to == ReferralState::Sent {
            let limited = match (&r.provider_id, &r.service) {
                (Some(p), Some(s)) => {
                    let service = ServiceType::parse_code("service", s)?;
                    let row = self.store.provider(p).await?;
                    let provider: Provider = serde_json::from_str(&row.record).map_err(internal)?;
                    provider.offer(service).is_some_and(|o| o.capacity.is_some())
                }
                _ => false,
            };
            holds = limited;
            if limited { PlaceChange::Hold } else { PlaceChange::None }
        } else if holds && !to.holds_place() {
            holds = false;
            PlaceChange::Release
        } else {
            PlaceChange::None
        };
        let today = self.today();
        let due_on = self.assist.follow_up.due(to, today, r.urgent != 0).map(|d| d.to_string());
        let seq = self.store.referral_events(&r.id).await?.iter().map(|e| e.seq).max().unwrap_or(0) + 1;
        let reason = input.reason.trim();
        let note = (!reason.is_empty()).then(|| -> AppResult<Vec<u8>> {
            let reason = parse_line("reason", reason, 1000)?;
            Ok(self.keys.encrypt_str(&ctx("referral_events", "note", &format!("{}/{seq}", r.id)), &reason))
        });
        let note = note.transpose()?;
        let event_row = ReferralEventRow {
            referral_id: r.id.clone(),
            seq,
            state: to.code().into(),
            note,
            by_user: principal.user.id.clone(),
            by_organisation: principal.organisation.id.clone(),
            at: self.now(),
        };
        let keeps = self.assist.transfer_sender_keeps.iter().map(|c| c.code()).collect::<Vec<_>>().join(",");
        let transfer = kind == ReferralKind::Transfer && to == ReferralState::Accepted;
        let change = ReferralChange {
            id: &r.id,
            expected_version: r.version,
            state: to.code(),
            due_on: due_on.as_deref(),
            holds_place: holds,
            place,
            event: &event_row,
            transfer_to: transfer.then_some((r.to_organisation_id.as_str(), keeps.as_str())),
            at: self.now(),
            by: &principal.user.id,
        };
        let action = if transfer { AuditAction::CaseTransferred } else { AuditAction::ReferralChanged };
        let event = self
            .event(principal, action)
            .on("case", &r.case_id, Some(&r.from_organisation_id))
            .detail(format!("referral={} {from}->{to}", r.id));
        self.store.change_referral(&change, &event).await?;
        self.referral_view(&self.store.referral(&r.id).await?, &principal.organisation.id).await
    }

    /// Records a follow-up of a referral (either side) and sets the next due date.
    pub async fn follow_up_referral(
        &self,
        principal: &Principal,
        id: &str,
        note: &str,
        version: i64,
    ) -> AppResult<ReferralView> {
        let (r, _) = self.own_referral(principal, id).await?;
        let state = parse_state(&r.state)?;
        if state.is_final() || state == ReferralState::Draft {
            return Err(AppError::Invalid(ParseError::said(
                "state",
                format!("a {state} referral has no follow-up"),
                haven_domain::Message::new(haven_domain::MessageId::NoFollowUpInState).labels(
                    "state",
                    "support-referral-state",
                    [state.code()],
                ),
            )));
        }
        if r.version != version {
            return Err(AppError::conflict(
                "the referral was changed meanwhile; reload it",
                haven_domain::Message::new(haven_domain::MessageId::ReferralChangedMeanwhile),
            ));
        }
        let note = parse_line("note", note, 1000)?;
        let seq = self.store.referral_events(&r.id).await?.iter().map(|e| e.seq).max().unwrap_or(0) + 1;
        let due_on = self.assist.follow_up.due(state, self.today(), r.urgent != 0).map(|d| d.to_string());
        let event_row = ReferralEventRow {
            referral_id: r.id.clone(),
            seq,
            state: state.code().into(),
            note: Some(self.keys.encrypt_str(&ctx("referral_events", "note", &format!("{}/{seq}", r.id)), &note)),
            by_user: principal.user.id.clone(),
            by_organisation: principal.organisation.id.clone(),
            at: self.now(),
        };
        let event = self
            .event(principal, AuditAction::ReferralChanged)
            .on("case", &r.case_id, Some(&r.from_organisation_id))
            .detail(format!("referral={} follow-up", r.id));
        self.store.follow_up_referral(&r.id, r.version, due_on.as_deref(), &event_row, &event).await?;
        self.referral_view(&self.store.referral(&r.id).await?, &principal.organisation.id).await
    }
}

fn prefix(parent: &str, e: ParseError) -> ParseError {
    let field = format!("{parent}.{}", e.field);
    e.within(field)
}
