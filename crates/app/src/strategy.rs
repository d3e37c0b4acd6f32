//! Strategies and action plans: the use cases (docs/monitoring.md).
//!
//! The EU Strategy 2012–2016 ships as reference data ([`haven_domain::strategy`]); the EU level
//! records later strategies, a country its national action plans. Every action's progress
//! (status, note, evidence) is recorded by whom [`haven_domain::access::authorize_monitoring`]
//! lets record the strategy's jurisdiction: a country's rapporteur for its plans, the EU-level
//! rapporteur for the EU's. Reading follows the same function (a country's own and the EU's; the
//! EU level all). Every read and write is audited (`strategy_read`, `strategy_changed`).
//!
//! For the web layer (all return `AppResult`; bad input as `AppError::Invalid` naming the field):
//! - `App::strategies(&Principal) -> StrategiesView`
//! - `App::strategy(&Principal, id) -> StrategyView`
//! - `App::record_strategy(&Principal, &StrategyInput) -> Strategy`
//! - `App::add_strategy_action(&Principal, id, &ActionInput) -> StrategyAction`
//! - `App::strategy_action(&Principal, id, number) -> ActionView`
//! - `App::record_action_progress(&Principal, id, number, &ProgressInput) -> ActionView`
//! - `App::actions_overdue(&Principal, Option<Jurisdiction>) -> Vec<OverdueAction>`

use crate::{App, AppError, AppResult, Principal, new_id};
use haven_domain::access::authorize_monitoring;
use haven_domain::audit::AuditAction;
use haven_domain::case::CalendarDate;
use haven_domain::strategy::{
    ActionInput, ActionProgress, ActionStatus, PriorityProgress, ProgressInput, Strategy, StrategyAction,
    StrategyInput, days_overdue, is_overdue, progress, shipped_actions, status_of,
};
use haven_domain::{Decision, Jurisdiction, Message, MessageId, Permission};
use haven_storage::{ActionProgressRow, StrategyActionRow, StrategyRow};
use serde::Serialize;

fn internal(e: impl std::error::Error + Send + Sync + 'static) -> AppError {
    AppError::Internal(Box::new(e))
}

/// A strategy in the list, with its progress per priority on today.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct StrategySummary {
    pub strategy: Strategy,
    pub actions: usize,
    pub overdue: u32,
    pub progress: Vec<PriorityProgress>,
}

/// The strategies the principal may read, and whether they may record a plan of their own.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct StrategiesView {
    pub strategies: Vec<StrategySummary>,
    /// The jurisdiction whose plans the principal may record, if any.
    pub may_record_for: Option<Jurisdiction>,
    pub today: CalendarDate,
}

/// An action with where it stands on today.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ActionLine {
    pub action: StrategyAction,
    pub status: ActionStatus,
    pub progress: Option<ActionProgress>,
    pub overdue: bool,
    pub days_overdue: i64,
}

/// A strategy with its actions and the progress of each priority.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct StrategyView {
    pub strategy: Strategy,
    pub actions: Vec<ActionLine>,
    pub progress: Vec<PriorityProgress>,
    /// Whether the principal may record actions and progress of this strategy.
    pub may_record: bool,
    pub today: CalendarDate,
}

/// One action with its progress and evidence.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ActionView {
    pub strategy: Strategy,
    pub line: ActionLine,
    pub may_record: bool,
}

/// An overdue action, for the coordinator's dashboard.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct OverdueAction {
    pub strategy_id: String,
    pub strategy_title: String,
    pub scope: Jurisdiction,
    pub number: String,
    pub text: String,
    pub responsible: String,
    pub target_on: Option<CalendarDate>,
    pub status: ActionStatus,
    pub days_overdue: i64,
}

impl App {
    /// Whether the access module lets the principal act on `scope`'s monitoring records;
    /// a denial is audited.
    pub(crate) async fn monitoring_allowed(
        &self,
        principal: &Principal,
        scope: Jurisdiction,
        permission: Permission,
        target: (&str, &str),
    ) -> AppResult<()> {
        self.require(principal, permission).await?;
        match authorize_monitoring(&principal.actor, scope, permission) {
            Decision::Allow => Ok(()),
            Decision::Deny(reason) => {
                tracing::info!(?reason, "monitoring access denied");
                self.audit_denied(principal, target.0, target.1, Some(&principal.actor.organisation_id)).await;
                Err(AppError::Forbidden)
            }
        }
    }

    pub(crate) fn may_monitoring(principal: &Principal, scope: Jurisdiction, permission: Permission) -> bool {
        authorize_monitoring(&principal.actor, scope, permission).is_allowed()
    }

    /// Every strategy the instance knows (the shipped one first), with its actions, unchecked.
    async fn all_strategies(&self) -> AppResult<Vec<Strategy>> {
        let mut out = Strategy::all_shipped()?;
        for row in self.store.strategies(None).await? {
            out.push(serde_json::from_str::<Strategy>(&row.body).map_err(internal)?);
        }
        Ok(out)
    }

    async fn find_strategy(&self, id: &str) -> AppResult<Strategy> {
        if let Some(shipped) = Strategy::shipped_by_id(id) {
            return Ok(shipped?);
        }
        let row = self.store.strategy(id).await?.ok_or(AppError::NotFound)?;
        serde_json::from_str::<Strategy>(&row.body).map_err(internal)
    }

    /// The actions of a strategy with their progress, on today.
    async fn lines_of(&self, strategy: &Strategy) -> AppResult<(Vec<ActionLine>, Vec<Option<i64>>)> {
        let actions = if strategy.shipped {
            shipped_actions(&strategy.id)?
        } else {
            self.store
                .strategy_actions(&strategy.id)
                .await?
                .iter()
                .map(|row| serde_json::from_str::<StrategyAction>(&row.body).map_err(internal))
                .collect::<AppResult<Vec<_>>>()?
        };
        let recorded = self.store.action_progress(&strategy.id).await?;
        let today = self.today();
        let mut lines = Vec::new();
        let mut stamps = Vec::new();
        for action in actions {
            let row = recorded.iter().find(|r| r.number == action.number);
            let progress =
                row.map(|r| serde_json::from_str::<ActionProgress>(&r.body).map_err(internal)).transpose()?;
            let status = status_of(progress.as_ref());
            stamps.push(row.map(|r| r.updated_at));
            lines.push(ActionLine {
                overdue: is_overdue(action.target_on, status, today),
                days_overdue: days_overdue(action.target_on, status, today),
                action,
                status,
                progress,
            });
        }
        Ok((lines, stamps))
    }

    fn progress_of(strategy: &Strategy, lines: &[ActionLine], today: CalendarDate) -> Vec<PriorityProgress> {
        let pairs: Vec<_> = lines.iter().map(|l| (&l.action, l.progress.as_ref())).collect();
        progress(&strategy.priorities, &pairs, today)
    }

    async fn audit_read(&self, principal: &Principal, id: &str, detail: String) -> AppResult<()> {
        let mut event =
            self.event(principal, AuditAction::StrategyRead).on("strategy", id, Some(&principal.actor.organisation_id));
        event.detail = Some(detail);
        self.store.append_audit(&event).await?;
        Ok(())
    }

    /// The strategies and plans the principal may read, each with its progress per priority.
    pub async fn strategies(&self, principal: &Principal) -> AppResult<StrategiesView> {
        self.require(principal, Permission::ReadMonitoring).await?;
        let today = self.today();
        let mut strategies = Vec::new();
        for strategy in self.all_strategies().await? {
            if !Self::may_monitoring(principal, strategy.scope, Permission::ReadMonitoring) {
                continue;
            }
            let (lines, _) = self.lines_of(&strategy).await?;
            strategies.push(StrategySummary {
                progress: Self::progress_of(&strategy, &lines, today),
                actions: lines.len(),
                overdue: lines.iter().filter(|l| l.overdue).count() as u32,
                strategy,
            });
        }
        let own = principal.actor.jurisdiction;
        let may_record_for = Self::may_monitoring(principal, own, Permission::RecordMonitoring).then_some(own);
        self.audit_read(principal, "list", format!("strategies={}", strategies.len())).await?;
        Ok(StrategiesView { strategies, may_record_for, today })
    }

    /// A strategy with its actions and progress per priority.
    pub async fn strategy(&self, principal: &Principal, id: &str) -> AppResult<StrategyView> {
        self.require(principal, Permission::ReadMonitoring).await?;
        let strategy = self.find_strategy(id).await?;
        self.monitoring_allowed(principal, strategy.scope, Permission::ReadMonitoring, ("strategy", id)).await?;
        let (actions, _) = self.lines_of(&strategy).await?;
        let today = self.today();
        self.audit_read(principal, &strategy.id, format!("actions={}", actions.len())).await?;
        Ok(StrategyView {
            progress: Self::progress_of(&strategy, &actions, today),
            may_record: Self::may_monitoring(principal, strategy.scope, Permission::RecordMonitoring),
            strategy,
            actions,
            today,
        })
    }

    /// Records a strategy or plan of the principal's jurisdiction (a country's national action
    /// plan, or at the EU level a later strategy).
    pub async fn record_strategy(&self, principal: &Principal, input: &StrategyInput) -> AppResult<Strategy> {
        let scope = principal.actor.jurisdiction;
        self.monitoring_allowed(principal, scope, Permission::RecordMonitoring, ("strategy", "new")).await?;
        let strategy = Strategy::parse(new_id(), scope, input)?;
        let row = StrategyRow {
            id: strategy.id.clone(),
            jurisdiction: scope.code().to_owned(),
            body: serde_json::to_string(&strategy).map_err(internal)?,
            created_by: principal.user.id.clone(),
            created_at: self.now(),
        };
        let mut event = self.event(principal, AuditAction::StrategyChanged).on(
            "strategy",
            &strategy.id,
            Some(&principal.actor.organisation_id),
        );
        event.detail = Some(format!("strategy_recorded priorities={}", strategy.priorities.len()));
        self.store.add_strategy(&row, &event).await?;
        Ok(strategy)
    }

    /// Adds an action to a recorded strategy (the shipped one's actions are reference data).
    pub async fn add_strategy_action(
        &self,
        principal: &Principal,
        id: &str,
        input: &ActionInput,
    ) -> AppResult<StrategyAction> {
        self.require(principal, Permission::RecordMonitoring).await?;
        let strategy = self.find_strategy(id).await?;
        self.monitoring_allowed(principal, strategy.scope, Permission::RecordMonitoring, ("strategy", id)).await?;
        if strategy.shipped {
            return Err(AppError::conflict(
                "the actions of a shipped strategy are reference data (reference/eu-strategy-*.csv)",
                Message::new(MessageId::StrategyShipped),
            ));
        }
        let action = StrategyAction::parse(&strategy, input)?;
        let row = StrategyActionRow {
            strategy_id: strategy.id.clone(),
            number: action.number.clone(),
            body: serde_json::to_string(&action).map_err(internal)?,
            created_by: principal.user.id.clone(),
            created_at: self.now(),
        };
        let mut event = self.event(principal, AuditAction::StrategyChanged).on(
            "strategy",
            &strategy.id,
            Some(&principal.actor.organisation_id),
        );
        event.detail = Some(format!("action_added number={}", action.number));
        self.store.add_strategy_action(&row, &event).await?;
        Ok(action)
    }

    async fn action_of(&self, strategy: &Strategy, number: &str) -> AppResult<(ActionLine, Option<i64>)> {
        let (lines, stamps) = self.lines_of(strategy).await?;
        lines.into_iter().zip(stamps).find(|(l, _)| l.action.number == number).ok_or(AppError::NotFound)
    }

    /// One action of a strategy with its progress and evidence.
    pub async fn strategy_action(&self, principal: &Principal, id: &str, number: &str) -> AppResult<ActionView> {
        self.require(principal, Permission::ReadMonitoring).await?;
        let strategy = self.find_strategy(id).await?;
        self.monitoring_allowed(principal, strategy.scope, Permission::ReadMonitoring, ("strategy", id)).await?;
        let (line, _) = self.action_of(&strategy, number).await?;
        self.audit_read(principal, &strategy.id, format!("action={number}")).await?;
        Ok(ActionView {
            may_record: Self::may_monitoring(principal, strategy.scope, Permission::RecordMonitoring),
            strategy,
            line,
        })
    }

    /// Records an action's status and note, and adds a piece of evidence; audited with the
    /// status it moved from and to.
    pub async fn record_action_progress(
        &self,
        principal: &Principal,
        id: &str,
        number: &str,
        input: &ProgressInput,
    ) -> AppResult<ActionView> {
        self.require(principal, Permission::RecordMonitoring).await?;
        let strategy = self.find_strategy(id).await?;
        self.monitoring_allowed(principal, strategy.scope, Permission::RecordMonitoring, ("strategy", id)).await?;
        let (line, stamp) = self.action_of(&strategy, number).await?;
        let today = self.today();
        let next = ActionProgress::apply(line.progress.as_ref(), input, today)?;
        let row = ActionProgressRow {
            strategy_id: strategy.id.clone(),
            number: line.action.number.clone(),
            jurisdiction: strategy.scope.code().to_owned(),
            body: serde_json::to_string(&next).map_err(internal)?,
            updated_by: principal.user.id.clone(),
            updated_at: self.now().max(stamp.map_or(i64::MIN, |s| s + 1)),
        };
        let mut event = self.event(principal, AuditAction::StrategyChanged).on(
            "strategy",
            &strategy.id,
            Some(&principal.actor.organisation_id),
        );
        event.detail = Some(format!(
            "progress number={} status={}->{} evidence={}",
            line.action.number,
            line.status,
            next.status,
            next.evidence.len()
        ));
        self.store.set_action_progress(&row, stamp, &event).await?;
        let status = next.status;
        let action = line.action;
        Ok(ActionView {
            may_record: true,
            line: ActionLine {
                overdue: is_overdue(action.target_on, status, today),
                days_overdue: days_overdue(action.target_on, status, today),
                action,
                status,
                progress: Some(next),
            },
            strategy,
        })
    }

    /// The actions overdue on today of the strategies of `scope` (a country's plans, or the EU
    /// level's strategies), or, with `None`, of every strategy the principal may read; most
    /// overdue first. Audited as one read.
    pub async fn actions_overdue(
        &self,
        principal: &Principal,
        scope: Option<Jurisdiction>,
    ) -> AppResult<Vec<OverdueAction>> {
        self.require(principal, Permission::ReadMonitoring).await?;
        if let Some(scope) = scope {
            self.monitoring_allowed(principal, scope, Permission::ReadMonitoring, ("strategy", "overdue")).await?;
        }
        let mut out = Vec::new();
        for strategy in self.all_strategies().await? {
            let wanted = scope.is_none_or(|s| s == strategy.scope);
            if !wanted || !Self::may_monitoring(principal, strategy.scope, Permission::ReadMonitoring) {
                continue;
            }
            let (lines, _) = self.lines_of(&strategy).await?;
            for line in lines.into_iter().filter(|l| l.overdue) {
                out.push(OverdueAction {
                    strategy_id: strategy.id.clone(),
                    strategy_title: strategy.title.clone(),
                    scope: strategy.scope,
                    number: line.action.number,
                    text: line.action.text,
                    responsible: line.action.responsible,
                    target_on: line.action.target_on,
                    status: line.status,
                    days_overdue: line.days_overdue,
                });
            }
        }
        out.sort_by(|a, b| b.days_overdue.cmp(&a.days_overdue).then_with(|| a.number.cmp(&b.number)));
        self.audit_read(principal, "overdue", format!("overdue={}", out.len())).await?;
        Ok(out)
    }
}
