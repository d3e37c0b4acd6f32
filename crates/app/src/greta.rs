//! GRETA's evaluations of a country (CETS 197 Art 38): the use cases (docs/monitoring.md).
//!
//! A country's rapporteur records the rounds of its country (questionnaire, visit, report), the
//! recommendations of each report with their strength (read from the wording's verb, or chosen),
//! and the authorities' follow-up of each recommendation. Who reads and records is
//! [`haven_domain::access::authorize_monitoring`]: a country's own records, and at the EU level
//! every country's (read only: rounds belong to a country). Every read and write is audited
//! (`greta_read`, `greta_changed`).
//!
//! For the web layer:
//! - `App::greta_rounds(&Principal) -> GretaView`
//! - `App::record_greta_round(&Principal, &RoundInput) -> EvaluationRound`
//! - `App::greta_round(&Principal, round_id) -> RoundView`
//! - `App::add_greta_recommendation(&Principal, round_id, &RecommendationInput) -> Recommendation`
//! - `App::record_greta_follow_up(&Principal, recommendation_id, &FollowUpInput) -> FollowUp`
//! - `App::recommendations_without_follow_up(&Principal, Option<Jurisdiction>) -> Vec<OpenRecommendation>`

use crate::{App, AppError, AppResult, Principal, new_id};
use haven_domain::audit::{AuditAction, AuditEvent};
use haven_domain::greta::{
    EvaluationRound, FollowUp, FollowUpInput, FollowUpStatus, Recommendation, RecommendationInput, RoundInput,
    latest_follow_up, without_follow_up,
};
use haven_domain::{CountryCode, Jurisdiction, Message, MessageId, Permission};
use haven_storage::{GretaItemRow, GretaRoundRow};
use serde::Serialize;

fn internal(e: impl std::error::Error + Send + Sync + 'static) -> AppError {
    AppError::Internal(Box::new(e))
}

/// A round in the list, with how many of its recommendations have no follow-up.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct RoundLine {
    pub round: EvaluationRound,
    pub recommendations: usize,
    pub without_follow_up: usize,
}

/// The rounds the principal may read.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct GretaView {
    pub rounds: Vec<RoundLine>,
    /// The country whose rounds the principal may record, if any.
    pub may_record_for: Option<CountryCode>,
}

/// A recommendation with its follow-up.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct RecommendationLine {
    pub recommendation: Recommendation,
    pub overridden: bool,
    pub follow_ups: Vec<FollowUp>,
    /// The status of the latest follow-up, if any.
    pub latest: Option<FollowUpStatus>,
}

/// A round with its recommendations.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct RoundView {
    pub round: EvaluationRound,
    pub recommendations: Vec<RecommendationLine>,
    pub may_record: bool,
}

/// A recommendation without any follow-up, for the coordinator's dashboard.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct OpenRecommendation {
    pub country: CountryCode,
    pub round_id: String,
    pub round: u8,
    pub recommendation: Recommendation,
}

struct Records {
    rounds: Vec<EvaluationRound>,
    recommendations: Vec<Recommendation>,
    follow_ups: Vec<FollowUp>,
}

impl App {
    /// The rounds, recommendations and follow-ups of the countries the principal may read.
    async fn greta_records(&self, principal: &Principal) -> AppResult<Records> {
        let readable =
            |country: &str| Jurisdiction::parse("country", country).is_ok_and(|c| App::may_read_greta(principal, c));
        let mut rounds = Vec::new();
        for row in self.store.greta_rounds(None).await?.into_iter().filter(|r| readable(&r.country)) {
            rounds.push(serde_json::from_str::<EvaluationRound>(&row.body).map_err(internal)?);
        }
        let mut recommendations = Vec::new();
        for row in self.store.greta_recommendations(None).await?.into_iter().filter(|r| readable(&r.country)) {
            recommendations.push(serde_json::from_str::<Recommendation>(&row.body).map_err(internal)?);
        }
        let mut follow_ups = Vec::new();
        for row in self.store.greta_follow_ups(None).await?.into_iter().filter(|r| readable(&r.country)) {
            follow_ups.push(serde_json::from_str::<FollowUp>(&row.body).map_err(internal)?);
        }
        Ok(Records { rounds, recommendations, follow_ups })
    }

    fn may_read_greta(principal: &Principal, country: Jurisdiction) -> bool {
        haven_domain::access::authorize_monitoring(&principal.actor, country, Permission::ReadMonitoring).is_allowed()
    }

    fn greta_audit(&self, principal: &Principal, action: AuditAction, id: &str, detail: String) -> AuditEvent {
        let mut event = self.event(principal, action).on("greta", id, Some(&principal.actor.organisation_id));
        event.detail = Some(detail);
        event
    }

    /// The country whose rounds the principal records: its own, if the access module allows;
    /// the EU level records none (rounds are a country's).
    async fn greta_country(&self, principal: &Principal) -> AppResult<CountryCode> {
        let own = principal.actor.jurisdiction;
        self.monitoring_allowed(principal, own, Permission::RecordMonitoring, ("greta", "record")).await?;
        match own {
            Jurisdiction::Country(country) => Ok(country),
            Jurisdiction::EuropeanUnion => {
                self.audit_denied(principal, "greta", "record", Some(&principal.actor.organisation_id)).await;
                Err(AppError::Refused(crate::error::Refusal {
                    message_id: MessageId::GretaKeptByCountries.id(),
                    arg: ("jurisdiction", own.code().to_owned()),
                    items: vec![format!("jurisdiction={}", own.code())],
                    english: format!(
                        "GRETA evaluates each Party (CETS 197 Art 38): its rounds are recorded by the country; \
                         the jurisdiction {} records none",
                        own.code()
                    ),
                }))
            }
        }
    }

    /// The rounds of the countries the principal may read, by country and round.
    pub async fn greta_rounds(&self, principal: &Principal) -> AppResult<GretaView> {
        self.require(principal, Permission::ReadMonitoring).await?;
        let records = self.greta_records(principal).await?;
        let rounds: Vec<RoundLine> = records
            .rounds
            .iter()
            .map(|round| {
                let of_round: Vec<Recommendation> =
                    records.recommendations.iter().filter(|r| r.round_id == round.id).cloned().collect();
                RoundLine {
                    round: round.clone(),
                    recommendations: of_round.len(),
                    without_follow_up: without_follow_up(&of_round, &records.follow_ups).len(),
                }
            })
            .collect();
        let may_record_for = match principal.actor.jurisdiction {
            Jurisdiction::Country(c)
                if haven_domain::access::authorize_monitoring(
                    &principal.actor,
                    principal.actor.jurisdiction,
                    Permission::RecordMonitoring,
                )
                .is_allowed() =>
            {
                Some(c)
            }
            _ => None,
        };
        let event = self.greta_audit(principal, AuditAction::GretaRead, "rounds", format!("rounds={}", rounds.len()));
        self.store.append_audit(&event).await?;
        Ok(GretaView { rounds, may_record_for })
    }

    /// Records a round of the principal's country.
    pub async fn record_greta_round(&self, principal: &Principal, input: &RoundInput) -> AppResult<EvaluationRound> {
        let country = self.greta_country(principal).await?;
        let round = EvaluationRound::parse(new_id(), country, input, self.today())?;
        let row = GretaRoundRow {
            id: round.id.clone(),
            country: country.to_string(),
            round: i64::from(round.round),
            body: serde_json::to_string(&round).map_err(internal)?,
            created_by: principal.user.id.clone(),
            created_at: self.now(),
        };
        let event = self.greta_audit(
            principal,
            AuditAction::GretaChanged,
            &round.id,
            format!("round_recorded round={}", round.round),
        );
        self.store.add_greta_round(&row, &event).await.map_err(|e| match e {
            haven_storage::StorageError::Conflict(_) => AppError::conflict(
                format!("round {} of {country} is recorded already", round.round),
                Message::new(MessageId::StoredConflict),
            ),
            other => other.into(),
        })?;
        Ok(round)
    }

    async fn round_of(
        &self,
        principal: &Principal,
        round_id: &str,
        permission: Permission,
    ) -> AppResult<EvaluationRound> {
        // Who holds no monitoring permission learns nothing of which rounds exist.
        self.require(principal, permission).await?;
        let row = self.store.greta_round(round_id).await?.ok_or(AppError::NotFound)?;
        let country = Jurisdiction::parse("country", &row.country).map_err(internal)?;
        self.monitoring_allowed(principal, country, permission, ("greta", round_id)).await?;
        serde_json::from_str::<EvaluationRound>(&row.body).map_err(internal)
    }

    /// A round with its recommendations and their follow-up.
    pub async fn greta_round(&self, principal: &Principal, round_id: &str) -> AppResult<RoundView> {
        let round = self.round_of(principal, round_id, Permission::ReadMonitoring).await?;
        let records = self.greta_records(principal).await?;
        let recommendations: Vec<RecommendationLine> = records
            .recommendations
            .into_iter()
            .filter(|r| r.round_id == round.id)
            .map(|r| {
                let follow_ups: Vec<FollowUp> =
                    records.follow_ups.iter().filter(|f| f.recommendation_id == r.id).cloned().collect();
                RecommendationLine {
                    latest: latest_follow_up(&r.id, &follow_ups).map(|f| f.status),
                    overridden: r.overridden(),
                    recommendation: r,
                    follow_ups,
                }
            })
            .collect();
        let event = self.greta_audit(
            principal,
            AuditAction::GretaRead,
            &round.id,
            format!("recommendations={}", recommendations.len()),
        );
        self.store.append_audit(&event).await?;
        let may_record = haven_domain::access::authorize_monitoring(
            &principal.actor,
            Jurisdiction::Country(round.country),
            Permission::RecordMonitoring,
        )
        .is_allowed();
        Ok(RoundView { round, recommendations, may_record })
    }

    /// Adds a recommendation to a round of the principal's country.
    pub async fn add_greta_recommendation(
        &self,
        principal: &Principal,
        round_id: &str,
        input: &RecommendationInput,
    ) -> AppResult<Recommendation> {
        let round = self.round_of(principal, round_id, Permission::RecordMonitoring).await?;
        let recommendation = Recommendation::parse(new_id(), &round, input)?;
        let row = GretaItemRow {
            id: recommendation.id.clone(),
            parent_id: round.id.clone(),
            country: round.country.to_string(),
            body: serde_json::to_string(&recommendation).map_err(internal)?,
            created_by: principal.user.id.clone(),
            created_at: self.now(),
        };
        let event = self.greta_audit(
            principal,
            AuditAction::GretaChanged,
            &recommendation.id,
            format!(
                "recommendation_recorded strength={} overridden={}",
                recommendation.strength,
                recommendation.overridden()
            ),
        );
        self.store.add_greta_recommendation(&row, &event).await?;
        Ok(recommendation)
    }

    /// Records the authorities' follow-up of a recommendation of the principal's country.
    pub async fn record_greta_follow_up(
        &self,
        principal: &Principal,
        recommendation_id: &str,
        input: &FollowUpInput,
    ) -> AppResult<FollowUp> {
        self.require(principal, Permission::RecordMonitoring).await?;
        let row = self
            .store
            .greta_recommendations(None)
            .await?
            .into_iter()
            .find(|r| r.id == recommendation_id)
            .ok_or(AppError::NotFound)?;
        let country = Jurisdiction::parse("country", &row.country).map_err(internal)?;
        self.monitoring_allowed(principal, country, Permission::RecordMonitoring, ("greta", recommendation_id)).await?;
        let follow_up = FollowUp::parse(new_id(), recommendation_id, input, self.today())?;
        let stored = GretaItemRow {
            id: follow_up.id.clone(),
            parent_id: recommendation_id.to_owned(),
            country: row.country.clone(),
            body: serde_json::to_string(&follow_up).map_err(internal)?,
            created_by: principal.user.id.clone(),
            created_at: self.now(),
        };
        let event = self.greta_audit(
            principal,
            AuditAction::GretaChanged,
            recommendation_id,
            format!("follow_up_recorded status={}", follow_up.status),
        );
        self.store.add_greta_follow_up(&stored, &event).await?;
        Ok(follow_up)
    }

    /// The recommendations without any follow-up, of `country` or, with `None`, of every
    /// country the principal may read (the EU level: all); by country, round and order.
    pub async fn recommendations_without_follow_up(
        &self,
        principal: &Principal,
        country: Option<Jurisdiction>,
    ) -> AppResult<Vec<OpenRecommendation>> {
        self.require(principal, Permission::ReadMonitoring).await?;
        if let Some(country) = country {
            self.monitoring_allowed(principal, country, Permission::ReadMonitoring, ("greta", "open")).await?;
        }
        let records = self.greta_records(principal).await?;
        let mut out: Vec<OpenRecommendation> = without_follow_up(&records.recommendations, &records.follow_ups)
            .into_iter()
            .filter(|r| country.is_none_or(|c| c == Jurisdiction::Country(r.country)))
            .filter_map(|r| {
                records.rounds.iter().find(|round| round.id == r.round_id).map(|round| OpenRecommendation {
                    country: r.country,
                    round_id: round.id.clone(),
                    round: round.round,
                    recommendation: r.clone(),
                })
            })
            .collect();
        out.sort_by_key(|a| (a.country, a.round));
        let event = self.greta_audit(principal, AuditAction::GretaRead, "open", format!("open={}", out.len()));
        self.store.append_audit(&event).await?;
        Ok(out)
    }
}
