//! Authorisation, deny by default, decided here and nowhere else.
//!
//! Two questions are asked for every request:
//! 1. [`permission_allowed`]: may a user with these roles use this kind of operation at all?
//!    (route level: every route names one [`Permission`]).
//! 2. [`authorize`]: may this actor act on this compartment of this case?
//!    (record level: role x organisation x country x compartment).
//!
//! Anything not explicitly allowed is denied.

use crate::{Role, coded_enum, org::Jurisdiction};
use serde::Serialize;

coded_enum! {
    /// Parts of a case that are protected separately.
    pub enum Compartment {
        /// Who the person is: names, dates of birth, documents, contact details.
        Identity => "identity",
        /// Assessment, care, counselling notes.
        Support => "support",
        /// Law-enforcement data.
        Proceedings => "proceedings",
        /// Aggregates only: never a person.
        Statistics => "statistics",
    }
}

coded_enum! {
    pub enum Action {
        Read => "read",
        Write => "write",
    }
}

/// The operation a route performs, checked against the user's roles before anything else.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Permission {
    /// No login needed (health checks, login, static assets).
    Public,
    /// Any logged-in user (own account, logout, home page).
    Authenticated,
    ManageOrganisations,
    ManageUsers,
    /// List organisations (to pick a share or referral target).
    ListOrganisations,
    RegisterCase,
    ListCases,
    Case(Compartment, Action),
    ShareCase,
    /// Who accessed a record of one's own organisation, and when.
    ReadAccessHistory,
    /// The whole audit log and its verification.
    ReadAuditLog,
    ReadStatistics,
    /// Making a protected release of the national tables, and submitting statistics to the EU
    /// level (the national rapporteur and statisticians; at the EU level, the statistics office
    /// receiving files on a member state's behalf).
    PublishStatistics,
    /// Status decisions of the national referral mechanism (the competent authority).
    DecideStatus,
    /// Asking the competent authority to reconsider a negative decision (the referring or
    /// supporting organisation).
    RequestReconsideration,
    /// The deadlines dashboard (statutory clocks).
    ReadDeadlines,
    /// An anonymous notification of an adult who does not consent to referral.
    FileNotification,
    /// Finding a person again within one's scope.
    SearchPersons,
    /// Reading the directory of support providers and ranking them for a need.
    ReadProviders,
    /// Adding and editing providers of one's country (capacity, services, contacts).
    ManageProviders,
    /// Approving or returning a risk and needs assessment (a second person).
    ReviewAssessments,
    /// Sending, answering and following up referrals between organisations.
    ManageReferrals,
    /// Referring an adult without consent in a documented emergency (audited).
    OverrideReferralConsent,
    /// Reviewing the pairs of registrations the person-linkage engine is unsure of, and
    /// re-training the platform's person model from the answers (the data officer; which cases'
    /// fields it may see is [`may_review_pair`]).
    ReviewPersons,
    /// Recording trainings given against trafficking (Dir 2011/36 Art 18(3), Art 9(3)) in one's
    /// own country: police and prosecutors, and the national rapporteur or coordinator
    /// ([`authorize_trainings`]).
    RecordTrainings,
    /// Reading the training records of one's own country and their summary per year and
    /// audience (counts, never a person): police and prosecutors, the rapporteur, statisticians.
    /// Granted by role, as every operation; a rapporteur or statistician may sit at the EU level
    /// (the Anti-Trafficking Coordinator, the statistics office), which keeps no training
    /// records: [`authorize_trainings`] refuses it there, and the refusal names the jurisdiction.
    ReadTrainings,
    /// The instance's place in the transnational exchange (docs/transnational.md): its own
    /// identity and directory entry, and the peers it pins, revokes and rotates (Dir 2011/36
    /// Art 11(4), CETS 197 Art 32). Instance-wide, no person's data: the administrator who runs
    /// the instance, and the national focal point for cross-border referral.
    ManagePeers,
    /// Preparing a transnational referral of a case and submitting it to the focal point
    /// (the caseworker or supervisor of the case's organisation: [`may_prepare_transnational_referral`]).
    PrepareTransnationalReferral,
    /// Reviewing and sending the transnational referrals of one's country, and accepting,
    /// declining and following up those received (Dir 2011/36 Art 11(4) as amended by
    /// Dir 2024/1712): the national focal point ([`may_act_on_transnational_referral`]).
    ActAsFocalPoint,
    /// Recording that a victim is represented by a lawyer, with the victim's consent, and
    /// revoking it (Dir 2011/36 Art 12(2); Dir 2012/29 Art 20): the caseworker or supervisor
    /// who writes the case's identity and support ([`may_record_representation`]).
    ManageRepresentation,
    /// The victim's lawyer reading, for each victim it represents, the victim's view of the
    /// proceedings the victim is linked to ([`represented_view`], [`victims_view_shows`]).
    ReadRepresentedVictims,
    /// Reading the monitoring data (docs/monitoring.md): the instruments, the transposition
    /// tracker, strategies and action plans, GRETA rounds, the coordinator's dashboard. The
    /// rapporteur (national rapporteur or coordinator, and at the EU level the Anti-Trafficking
    /// Coordinator) and statisticians; which country's data is [`authorize_monitoring`].
    ReadMonitoring,
    /// Recording monitoring data: national measures notified, action plans (a country's
    /// rapporteur, for its country), and what the EU level records, the Commission's assessment,
    /// infringement steps and the EU strategy's actions (the EU-level rapporteur)
    /// ([`authorize_monitoring`]).
    RecordMonitoring,
    /// Handling data subjects' requests (Reg 2016/679 Arts 15-18): recording them, the identity check,
    /// the answer; the subject-access export, restricting a case and lifting it. The data
    /// protection officer, for its jurisdiction ([`may_handle_subject_requests`]); it reads of a
    /// case only what a request needs, and that read is audited.
    HandleSubjectRequests,
    /// Erasing a person's registrations by crypto-shredding (Reg 2016/679 Art 17; Dir 2016/680
    /// Art 16(2)): destroying their subject keys, so every copy, backups included, becomes
    /// unreadable. The data protection officer acting on an erasure request, for its
    /// jurisdiction ([`may_erase_person`]); never an administrator, who administers accounts and
    /// reads no case.
    ErasePerson,
    /// The retention status of one's jurisdiction: the records listed as due under their
    /// schedules, the legal holds, the review list, and the data protection officer's decisions
    /// on them (Reg 2016/679 Art 5(1)(e); docs/data-protection.md). The data protection officer
    /// of the jurisdiction ([`may_manage_retention`]); it reads no case content for it.
    ManageRetention,
    /// The record of processing activities (Reg 2016/679 Art 30) and the impact assessment
    /// (Reg 2016/679 Art 35) of one's jurisdiction: reading, exporting and completing them. The
    /// data protection officer ([`may_manage_retention`]).
    ManageProcessingRecords,
}

/// Compartments a role opens on cases its organisation may see.
pub fn role_compartments(role: Role) -> &'static [Compartment] {
    use Compartment::*;
    match role {
        Role::FirstResponder => &[Identity],
        Role::Caseworker | Role::Supervisor => &[Identity, Support],
        Role::DecisionMaker => &[Identity],
        Role::Investigator => &[Identity, Proceedings],
        Role::Rapporteur | Role::Statistician => &[Statistics],
        // The data officer opens no part of a case: it sees the fields linkage compares of a
        // pair under review, and only that ([`may_review_pair`]).
        Role::Administrator | Role::Auditor | Role::DataOfficer => &[],
        // The focal point opens no part of a case: it reads a transnational referral, which
        // carries only the fields chosen for it ([`may_act_on_transnational_referral`]).
        Role::FocalPoint => &[],
        // The victim's lawyer opens no part of a case: it reads the victim's view of the
        // proceedings of the victims it represents, and only that ([`represented_view`]).
        Role::VictimLawyer => &[],
    }
}

/// Route-level gate: does any of the roles grant this permission?
pub fn permission_allowed(roles: &[Role], permission: Permission) -> bool {
    match permission {
        Permission::Public => true,
        Permission::Authenticated => !roles.is_empty(),
        _ => roles.iter().any(|r| role_grants(*r, permission)),
    }
}

fn role_grants(role: Role, permission: Permission) -> bool {
    use Permission::*;
    match permission {
        Public | Authenticated => true,
        ManageOrganisations | ManageUsers => role == Role::Administrator,
        // The data protection officer reads the log of its jurisdiction, and nothing else.
        ReadAuditLog => matches!(role, Role::Administrator | Role::Auditor),
        ListOrganisations => !matches!(role, Role::Rapporteur | Role::Statistician | Role::VictimLawyer),
        RegisterCase => matches!(role, Role::FirstResponder | Role::Caseworker | Role::Supervisor | Role::Investigator),
        ListCases => role_compartments(role).contains(&Compartment::Identity),
        ShareCase => matches!(role, Role::Caseworker | Role::Supervisor | Role::DecisionMaker | Role::Investigator),
        Case(compartment, _action) => {
            compartment != Compartment::Statistics && role_compartments(role).contains(&compartment)
        }
        ReadAccessHistory => matches!(role, Role::Supervisor | Role::Auditor | Role::Administrator),
        ReadStatistics | PublishStatistics => role_compartments(role).contains(&Compartment::Statistics),
        DecideStatus => role == Role::DecisionMaker,
        RequestReconsideration => {
            matches!(role, Role::FirstResponder | Role::Caseworker | Role::Supervisor | Role::DecisionMaker)
        }
        ReadDeadlines => matches!(role, Role::DecisionMaker | Role::Supervisor),
        FileNotification => {
            matches!(role, Role::FirstResponder | Role::Caseworker | Role::Supervisor | Role::Investigator)
        }
        SearchPersons => role_compartments(role).contains(&Compartment::Identity),
        ReadProviders => matches!(
            role,
            Role::FirstResponder | Role::Caseworker | Role::Supervisor | Role::DecisionMaker | Role::Investigator
        ),
        ManageProviders => matches!(role, Role::Supervisor | Role::Administrator),
        ReviewAssessments => role == Role::Supervisor,
        ManageReferrals => matches!(role, Role::Caseworker | Role::Supervisor),
        OverrideReferralConsent => role == Role::Supervisor,
        ReviewPersons => role == Role::DataOfficer,
        RecordTrainings => matches!(role, Role::Investigator | Role::Rapporteur),
        ReadTrainings => matches!(role, Role::Investigator | Role::Rapporteur | Role::Statistician),
        ManagePeers => matches!(role, Role::Administrator | Role::FocalPoint),
        PrepareTransnationalReferral => matches!(role, Role::Caseworker | Role::Supervisor),
        ActAsFocalPoint => role == Role::FocalPoint,
        ManageRepresentation => matches!(role, Role::Caseworker | Role::Supervisor),
        ReadRepresentedVictims => role == Role::VictimLawyer,
        ReadMonitoring => matches!(role, Role::Rapporteur | Role::Statistician),
        RecordMonitoring => role == Role::Rapporteur,
        HandleSubjectRequests => role == Role::Auditor,
        ErasePerson => role == Role::Auditor,
        // The data protection officer: retention and the record of processing, never case data.
        ManageRetention | ManageProcessingRecords => role == Role::Auditor,
    }
}

/// May `actor` see and decide on the retention of records of `jurisdiction` (hold, release,
/// keep, erase or anonymise on review), or read and complete its record of processing and
/// impact assessment? The data protection officer of that jurisdiction only; deny by default.
pub fn may_manage_retention(actor: &Actor, jurisdiction: Jurisdiction, permission: Permission) -> bool {
    matches!(permission, Permission::ManageRetention | Permission::ManageProcessingRecords)
        && permission_allowed(&actor.roles, permission)
        && actor.jurisdiction == jurisdiction
}

#[cfg(test)]
mod retention_tests {
    use super::*;
    use crate::{Coded, org::CountryCode};

    #[test]
    fn art_5_1_e_reg_2016_679_only_the_officer_of_the_jurisdiction_manages_retention() {
        let lv = Jurisdiction::Country(CountryCode::parse("c", "LV").unwrap());
        let ee = Jurisdiction::Country(CountryCode::parse("c", "EE").unwrap());
        for role in Role::ALL {
            let actor =
                Actor { user_id: "u".into(), organisation_id: "o".into(), jurisdiction: lv, roles: vec![*role] };
            for p in [Permission::ManageRetention, Permission::ManageProcessingRecords] {
                assert_eq!(may_manage_retention(&actor, lv, p), *role == Role::Auditor, "{role:?} {p:?}");
                assert!(!may_manage_retention(&actor, ee, p), "{role:?} of LV on EE");
            }
            assert!(!may_manage_retention(&actor, lv, Permission::ReadAuditLog));
        }
    }
}

/// Whether a role reads anything of a person: any part of a case (identity, support or
/// proceedings), or the identity fields linkage compares (the data officer). A "data role",
/// whose grant to an existing user needs a second administrator's approval.
pub fn is_data_role(role: Role) -> bool {
    matches!(role, Role::DataOfficer | Role::FocalPoint | Role::VictimLawyer)
        || role_compartments(role)
            .iter()
            .any(|c| matches!(c, Compartment::Identity | Compartment::Support | Compartment::Proceedings))
}

/// The fields of a case's identity that person linkage compares, and so all a data officer
/// reviewing a pair reads of each case ([`may_review_pair`]).
pub const FIELDS_LINKAGE_COMPARES: [&str; 5] = ["given_names", "family_names", "date_of_birth", "sex", "citizenship"];

/// Record level for clerical review: may `actor` read the fields linkage compares
/// ([`FIELDS_LINKAGE_COMPARES`]) of the two cases of a pair, to answer whether they are one
/// person? A data officer, both cases in its own jurisdiction, whichever organisations own
/// them; nothing else of the cases, and nobody else (deny by default).
pub fn may_review_pair(actor: &Actor, a: &CaseScope, b: &CaseScope) -> bool {
    permission_allowed(&actor.roles, Permission::ReviewPersons)
        && a.jurisdiction == actor.jurisdiction
        && b.jurisdiction == actor.jurisdiction
}

/// May `actor` prepare a transnational referral of the case in `scope` and submit it to the
/// focal point? A caseworker or supervisor of the organisation that owns the case, in its country.
pub fn may_prepare_transnational_referral(actor: &Actor, scope: &CaseScope) -> bool {
    permission_allowed(&actor.roles, Permission::PrepareTransnationalReferral)
        && actor.jurisdiction == scope.jurisdiction
        && actor.organisation_id == scope.owner_organisation_id
}

/// May `actor` act as the focal point on a transnational referral held by `country` (one its
/// caseworkers prepared, or one sent to it)? The focal point of that country only (Dir 2011/36
/// Art 11(4) as amended by Dir 2024/1712).
pub fn may_act_on_transnational_referral(actor: &Actor, country: Jurisdiction) -> bool {
    permission_allowed(&actor.roles, Permission::ActAsFocalPoint) && actor.jurisdiction == country
}

/// May `actor` send its country's identified persons, as Bloom-filter encodings, to the EU hub
/// for the cross-border count, and keep the secret the encodings are made under? The national
/// focal point of a country (not of the EU hub), which also exchanges the secret with the other
/// focal points (Dir 2011/36 Art 19: the rapporteurs' data gathered at EU level).
pub fn may_send_person_encodings(actor: &Actor) -> bool {
    permission_allowed(&actor.roles, Permission::ActAsFocalPoint)
        && matches!(actor.jurisdiction, Jurisdiction::Country(_))
}

/// May `actor` read the EU count of distinct persons across borders? The rapporteur or
/// statistician of the EU level (the Anti-Trafficking Coordinator, the statistics office): a
/// count, never a person. Deny by default: everyone else is refused as without the permission,
/// a country's rapporteur or statistician included (its role reads statistics, its own country's).
pub fn may_read_cross_border_persons(actor: &Actor) -> bool {
    permission_allowed(&actor.roles, Permission::ReadStatistics) && actor.jurisdiction == Jurisdiction::EuropeanUnion
}

#[cfg(test)]
mod cross_border_persons_tests {
    use super::*;
    use crate::org::CountryCode;

    fn actor(jurisdiction: Jurisdiction, role: Role) -> Actor {
        Actor { user_id: "u".into(), organisation_id: "o".into(), jurisdiction, roles: vec![role] }
    }

    #[test]
    fn only_a_countrys_focal_point_sends_encodings_and_only_the_eu_level_reads_the_count() {
        let lv = || Jurisdiction::Country(CountryCode::parse("c", "LV").unwrap());
        let eu = || Jurisdiction::EuropeanUnion;
        // (jurisdiction, role, may send, may read the EU count)
        let table = [
            (lv(), Role::FocalPoint, true, false),
            (eu(), Role::FocalPoint, false, false),
            (lv(), Role::Rapporteur, false, false),
            (lv(), Role::Statistician, false, false),
            (eu(), Role::Rapporteur, false, true),
            (eu(), Role::Statistician, false, true),
            (eu(), Role::Administrator, false, false),
            (lv(), Role::Administrator, false, false),
            (lv(), Role::DataOfficer, false, false),
            (lv(), Role::Caseworker, false, false),
            (eu(), Role::Auditor, false, false),
        ];
        for (j, role, send, read) in table {
            let a = actor(j, role);
            assert_eq!(may_send_person_encodings(&a), send, "send: {role:?} in {:?}", a.jurisdiction);
            assert_eq!(may_read_cross_border_persons(&a), read, "read: {role:?} in {:?}", a.jurisdiction);
        }
    }
}

/// The data roles in `after` that `before` did not hold: what a change of roles would grant.
pub fn data_roles_granted(before: &[Role], after: &[Role]) -> Vec<Role> {
    after.iter().copied().filter(|r| is_data_role(*r) && !before.contains(r)).collect()
}

/// Why an administrative act is refused.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum AdminDenial {
    /// The actor does not hold the administrator role (in force).
    NotAdministrator,
    /// The user or organisation belongs to another jurisdiction (the EU level included).
    OtherJurisdiction,
    /// Nobody changes their own roles.
    OwnRoles,
    /// The approver of a role grant must be neither who asked for it nor who receives it.
    NotASecondPerson,
}

/// May `actor` administer (list, create, disable, enable, reset, change the roles of) users and
/// organisations of `target`? Administrators administer their own jurisdiction only; the
/// platform operator at the console is not an actor and is not asked.
pub fn may_administer(actor: &Actor, target: Jurisdiction) -> Result<(), AdminDenial> {
    if !permission_allowed(&actor.roles, Permission::ManageUsers) {
        return Err(AdminDenial::NotAdministrator);
    }
    if actor.jurisdiction != target {
        return Err(AdminDenial::OtherJurisdiction);
    }
    Ok(())
}

/// May `actor` change the roles of user `grantee_id` of `target`? Never its own.
pub fn may_change_roles(actor: &Actor, grantee_id: &str, target: Jurisdiction) -> Result<(), AdminDenial> {
    may_administer(actor, target)?;
    if actor.user_id == grantee_id {
        return Err(AdminDenial::OwnRoles);
    }
    Ok(())
}

/// May `actor` approve (or reject) a pending grant of roles asked for by `requester_id` for
/// `grantee_id` of `target`? A second administrator of the same jurisdiction: neither the one
/// who asked nor the one who receives.
pub fn may_decide_grant(
    actor: &Actor,
    requester_id: &str,
    grantee_id: &str,
    target: Jurisdiction,
) -> Result<(), AdminDenial> {
    may_administer(actor, target)?;
    if actor.user_id == requester_id || actor.user_id == grantee_id {
        return Err(AdminDenial::NotASecondPerson);
    }
    Ok(())
}

/// May `actor` read an audit entry whose organisations (the actor's and the target's, when
/// known) lie in `entry_jurisdictions`? Administrators and the data protection officer read the
/// entries of their own jurisdiction; an entry naming no organisation belongs to the instance
/// and is read at the console (`haven audit verify`).
pub fn may_read_audit_entry(actor: &Actor, entry_jurisdictions: &[Jurisdiction]) -> bool {
    permission_allowed(&actor.roles, Permission::ReadAuditLog) && entry_jurisdictions.contains(&actor.jurisdiction)
}

/// May `actor` read who accessed the case in `scope`? The data protection officer: any case of
/// its jurisdiction; supervisors and administrators: the cases their organisation owns.
pub fn may_read_access_history(actor: &Actor, scope: &CaseScope) -> bool {
    if actor.jurisdiction != scope.jurisdiction {
        return false;
    }
    actor.roles.iter().any(|r| match r {
        Role::Auditor => true,
        Role::Supervisor | Role::Administrator => actor.organisation_id == scope.owner_organisation_id,
        _ => false,
    })
}

/// May `actor` handle the data subjects' requests about cases of `jurisdiction` (record them,
/// export what is held, restrict a case and lift it)? The data protection officer of that
/// jurisdiction, whichever organisation owns the case; nobody else (deny by default).
pub fn may_handle_subject_requests(actor: &Actor, jurisdiction: Jurisdiction) -> bool {
    permission_allowed(&actor.roles, Permission::HandleSubjectRequests) && actor.jurisdiction == jurisdiction
}

/// May `actor` erase (crypto-shred) a registration of `jurisdiction`? The data protection
/// officer of that jurisdiction only ([`Permission::ErasePerson`]); deny by default.
pub fn may_erase_person(actor: &Actor, jurisdiction: Jurisdiction) -> bool {
    permission_allowed(&actor.roles, Permission::ErasePerson) && actor.jurisdiction == jurisdiction
}

/// May `action` be taken on a case whose processing is restricted (Reg 2016/679 Art 18; Dir 2016/680
/// Art 16(3))? A restricted case is read as before and written by nobody while the restriction
/// holds; lifting it is the data protection officer's ([`may_handle_subject_requests`]).
pub fn may_act_under_restriction(action: Action, restricted: bool) -> bool {
    action == Action::Read || !restricted
}

#[cfg(test)]
mod subject_request_tests {
    use super::*;
    use crate::{Coded, org::CountryCode};

    #[test]
    fn reg_2016_679_art_38_only_the_data_protection_officer_of_the_jurisdiction_handles_requests() {
        let lv = Jurisdiction::Country(CountryCode::parse("c", "LV").unwrap());
        let ee = Jurisdiction::Country(CountryCode::parse("c", "EE").unwrap());
        let actor =
            |role| Actor { user_id: "u".into(), organisation_id: "o".into(), jurisdiction: lv, roles: vec![role] };
        assert!(may_handle_subject_requests(&actor(Role::Auditor), lv));
        assert!(!may_handle_subject_requests(&actor(Role::Auditor), ee));
        for role in Role::ALL.iter().copied().filter(|r| *r != Role::Auditor) {
            assert!(!may_handle_subject_requests(&actor(role), lv), "{role:?}");
        }
        // The officer opens no compartment of a case.
        assert!(role_compartments(Role::Auditor).is_empty());
    }

    #[test]
    fn reg_2016_679_art_18_a_restricted_case_is_read_but_never_written() {
        assert!(may_act_under_restriction(Action::Read, true));
        assert!(!may_act_under_restriction(Action::Write, true));
        assert!(may_act_under_restriction(Action::Write, false));
    }
}

/// The acting user, as the application knows it after authentication.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Actor {
    pub user_id: String,
    pub organisation_id: String,
    pub jurisdiction: Jurisdiction,
    pub roles: Vec<Role>,
}

/// Record level for a status decision: may this actor, of an organisation of `kind`, take this
/// decision of the case's identification procedure? Who decides is national data (the stage's
/// organisation kinds and roles, [`crate::ident::procedure::Stage`]); the route-level
/// [`Permission::DecideStatus`] is asked before this.
pub fn may_take_decision(actor: &Actor, kind: crate::OrganisationKind, stage: &crate::ident::procedure::Stage) -> bool {
    permission_allowed(&actor.roles, Permission::DecideStatus) && stage.may_decide(kind, &actor.roles)
}

/// Who may see a case: its owner, its country, and the organisations it was shared with.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CaseScope {
    pub owner_organisation_id: String,
    pub jurisdiction: Jurisdiction,
    pub shares: Vec<CaseShare>,
    /// Referred to the national referral mechanism: the competent authority of the country
    /// reads and decides on it (identity compartment only).
    pub referred: bool,
}

/// A case shared with (or referred to) another organisation, for some compartments only.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct CaseShare {
    pub organisation_id: String,
    pub compartments: Vec<Compartment>,
}

/// The outcome of an authorisation question, with the reason for a denial.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Decision {
    Allow,
    Deny(DenyReason),
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DenyReason {
    /// None of the actor's roles opens this compartment.
    RoleLacksCompartment,
    /// The case belongs to another country.
    OtherJurisdiction,
    /// The case belongs to another organisation and was not shared (for this compartment).
    NotOwnerNorShared,
    /// Statistics users never read a person.
    StatisticsNeverReadPersons,
}

impl Decision {
    pub fn is_allowed(self) -> bool {
        self == Decision::Allow
    }
}

/// Record-level decision: may `actor` perform `action` on `compartment` of the case in `scope`?
pub fn authorize(actor: &Actor, scope: &CaseScope, compartment: Compartment, action: Action) -> Decision {
    if compartment == Compartment::Statistics {
        return Decision::Deny(DenyReason::StatisticsNeverReadPersons);
    }
    if !permission_allowed(&actor.roles, Permission::Case(compartment, action)) {
        return Decision::Deny(DenyReason::RoleLacksCompartment);
    }
    if actor.jurisdiction != scope.jurisdiction {
        return Decision::Deny(DenyReason::OtherJurisdiction);
    }
    if actor.organisation_id == scope.owner_organisation_id {
        return Decision::Allow;
    }
    if competent_authority_on(actor, scope) && compartment == Compartment::Identity {
        return Decision::Allow;
    }
    let shared = scope
        .shares
        .iter()
        .any(|s| s.organisation_id == actor.organisation_id && s.compartments.contains(&compartment));
    if shared { Decision::Allow } else { Decision::Deny(DenyReason::NotOwnerNorShared) }
}

/// Whether the actor may see that the case exists at all (listed, history): owner or any share.
pub fn may_see_case(actor: &Actor, scope: &CaseScope) -> bool {
    actor.jurisdiction == scope.jurisdiction
        && (actor.organisation_id == scope.owner_organisation_id
            || scope.shares.iter().any(|s| s.organisation_id == actor.organisation_id)
            || competent_authority_on(actor, scope))
}

/// A decision maker (who belongs to the competent authority) of the case's country, on a case
/// referred to the national referral mechanism.
fn competent_authority_on(actor: &Actor, scope: &CaseScope) -> bool {
    scope.referred && actor.jurisdiction == scope.jurisdiction && actor.roles.contains(&Role::DecisionMaker)
}

/// May `actor` share parts of the case in `scope` with another organisation? Only the owning
/// organisation shares (a share is never passed on), with a role that shares.
pub fn may_share(actor: &Actor, scope: &CaseScope) -> bool {
    permission_allowed(&actor.roles, Permission::ShareCase)
        && actor.jurisdiction == scope.jurisdiction
        && actor.organisation_id == scope.owner_organisation_id
}

/// What is known of a case when deciding what a user may do with it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CaseFacts<'a> {
    pub scope: CaseScope,
    /// Still a draft: it may be completed and referred, not decided.
    pub draft: bool,
    /// The procedure accepts a request to reconsider a negative decision now.
    pub reconsideration_open: bool,
    /// The decision of the procedure the case waits for (who takes it is national data), when
    /// one is pending.
    pub pending_stage: Option<&'a crate::ident::procedure::Stage>,
}

/// What a user may do with one case. Decided here, from the actor and the case's facts, and
/// nowhere else: a page offers exactly these actions, and the use cases behind them ask the same
/// rules again.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct CaseActions {
    /// The case may be known to exist (listed, opened).
    pub see: bool,
    /// The parts whose notes and records may be read.
    pub read: Vec<Compartment>,
    /// The parts to which notes and records may be added.
    pub write: Vec<Compartment>,
    /// Edit (or continue) the registration: whoever may write the identity, the competent
    /// authority of the country included once the case is referred.
    pub edit: bool,
    /// Refer the draft to the national referral mechanism.
    pub submit: bool,
    /// Record (or correct) a decision of the identification procedure.
    pub decide: bool,
    /// Ask the competent authority to reconsider a negative decision.
    pub request_reconsideration: bool,
    /// Share parts of the case with another organisation (the owner only).
    pub share: bool,
    /// The parts it may share: those it reads itself.
    pub shareable: Vec<Compartment>,
    /// Read who accessed the case.
    pub access_history: bool,
    /// Open the support modules (assessments, plan, child protection, compensation, return).
    pub support: bool,
    /// Record a risk and needs assessment, a plan, support records.
    pub assess: bool,
    /// Refer the person to a service or another organisation.
    pub refer: bool,
    /// Approve or return a submitted assessment (a second person: the use case refuses the
    /// author).
    pub review: bool,
}

impl CaseActions {
    pub fn reads(&self, compartment: Compartment) -> bool {
        self.read.contains(&compartment)
    }

    pub fn writes(&self, compartment: Compartment) -> bool {
        self.write.contains(&compartment)
    }
}

/// The parts of a case that hold a person's data, in display order.
pub const CASE_COMPARTMENTS: [Compartment; 3] = [Compartment::Identity, Compartment::Support, Compartment::Proceedings];

/// What `actor`, of an organisation of `kind`, may do with the case of `facts`.
pub fn case_actions(actor: &Actor, kind: crate::OrganisationKind, facts: &CaseFacts<'_>) -> CaseActions {
    let scope = &facts.scope;
    let allowed = |c: Compartment, a: Action| authorize(actor, scope, c, a).is_allowed();
    let may = |p: Permission| permission_allowed(&actor.roles, p);
    let read: Vec<Compartment> = CASE_COMPARTMENTS.into_iter().filter(|c| allowed(*c, Action::Read)).collect();
    let write: Vec<Compartment> = CASE_COMPARTMENTS.into_iter().filter(|c| allowed(*c, Action::Write)).collect();
    let edit = write.contains(&Compartment::Identity);
    let share = may_share(actor, scope);
    let decide = !facts.draft
        && scope.referred
        && may(Permission::DecideStatus)
        && edit
        && facts.pending_stage.is_none_or(|stage| may_take_decision(actor, kind, stage));
    CaseActions {
        see: may_see_case(actor, scope),
        submit: facts.draft && edit && may(Permission::RegisterCase),
        decide,
        request_reconsideration: !may(Permission::DecideStatus)
            && may(Permission::RequestReconsideration)
            && edit
            && facts.reconsideration_open,
        shareable: if share { read.clone() } else { Vec::new() },
        share,
        access_history: may_read_access_history(actor, scope),
        support: read.contains(&Compartment::Support),
        assess: write.contains(&Compartment::Support),
        refer: may(Permission::ManageReferrals) && write.contains(&Compartment::Support),
        review: may(Permission::ReviewAssessments) && write.contains(&Compartment::Support),
        edit,
        read,
        write,
    }
}

/// A referral as the access rules see it: who sent it, to whom, and whether it was sent yet.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ReferralScope<'a> {
    pub from_organisation_id: &'a str,
    pub to_organisation_id: &'a str,
    /// Not sent yet: only the sender knows of it.
    pub draft: bool,
}

/// On which side of a referral `actor` stands, if it may see the referral at all: the sending
/// organisation always, the receiving one once it was sent (a draft is the sender's alone).
/// Referrals are handled by who manages referrals.
pub fn referral_side(actor: &Actor, referral: &ReferralScope<'_>) -> Option<crate::assist::referral::Side> {
    use crate::assist::referral::Side;
    if !permission_allowed(&actor.roles, Permission::ManageReferrals) {
        return None;
    }
    if referral.from_organisation_id == actor.organisation_id {
        Some(Side::Sender)
    } else if referral.to_organisation_id == actor.organisation_id && !referral.draft {
        Some(Side::Receiver)
    } else {
        None
    }
}

/// An investigation as the access rules see it (the proceedings compartment): the investigating
/// unit that opened it, the prosecutor's office competent for it, and its country.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct InvestigationScope {
    pub unit_organisation_id: String,
    pub prosecutor_organisation_id: Option<String>,
    pub jurisdiction: Jurisdiction,
}

/// Record-level decision on an investigation: the investigating unit and the competent
/// prosecutor's office of its country read and write it, with a role that opens the
/// proceedings compartment (police and prosecutors: investigators). Support organisations never
/// do: no role they may hold opens the compartment. Deny by default.
pub fn authorize_investigation(actor: &Actor, scope: &InvestigationScope, action: Action) -> Decision {
    if !permission_allowed(&actor.roles, Permission::Case(Compartment::Proceedings, action)) {
        return Decision::Deny(DenyReason::RoleLacksCompartment);
    }
    if actor.jurisdiction != scope.jurisdiction {
        return Decision::Deny(DenyReason::OtherJurisdiction);
    }
    let unit = actor.organisation_id == scope.unit_organisation_id;
    let prosecutor = scope.prosecutor_organisation_id.as_deref() == Some(actor.organisation_id.as_str());
    if unit || prosecutor { Decision::Allow } else { Decision::Deny(DenyReason::NotOwnerNorShared) }
}

/// What a user may do with one investigation; pages offer exactly these.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct InvestigationActions {
    pub read: bool,
    /// Record suspects, charges, places, status changes, linked victims.
    pub write: bool,
    /// Prosecution decisions and decisions on non-punishment notices: the competent prosecutor's
    /// office only (Dir 2011/36 Art 8).
    pub prosecute: bool,
}

pub fn investigation_actions(actor: &Actor, scope: &InvestigationScope) -> InvestigationActions {
    let write = authorize_investigation(actor, scope, Action::Write).is_allowed();
    InvestigationActions {
        read: authorize_investigation(actor, scope, Action::Read).is_allowed(),
        prosecute: write && scope.prosecutor_organisation_id.as_deref() == Some(actor.organisation_id.as_str()),
        write,
    }
}

/// May `actor` link the person whose case is `case` to the investigation (as a victim, or as
/// a suspect's registration)? It writes the investigation, and reads the case's identity: a
/// case of its own organisation or shared with it. The link holds the case id, never a copy.
pub fn may_link_victim(actor: &Actor, investigation: &InvestigationScope, case: &CaseScope) -> Decision {
    match authorize_investigation(actor, investigation, Action::Write) {
        Decision::Allow => authorize(actor, case, Compartment::Identity, Action::Read),
        denied => denied,
    }
}

/// What a user sees of a case's involvement in criminal proceedings.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum ProceedingsView {
    /// Nothing: the case is not the user's to read.
    Nothing,
    /// Only whether the person is involved in proceedings ("involved in proceedings: yes"):
    /// who reads the case's identity or support but not its proceedings (a caseworker).
    InvolvementOnly,
    /// The proceedings part of the case (the investigations it is linked to, each then asked of
    /// [`authorize_investigation`]).
    Proceedings,
    /// The victim's view of the proceedings the victim is linked to, for the lawyer who
    /// represents the victim ([`represented_view`]); its parts are [`victims_view_shows`].
    VictimsView,
}

pub fn proceedings_view(actor: &Actor, case: &CaseScope) -> ProceedingsView {
    let reads = |c: Compartment| authorize(actor, case, c, Action::Read).is_allowed();
    if reads(Compartment::Proceedings) {
        ProceedingsView::Proceedings
    } else if reads(Compartment::Identity) || reads(Compartment::Support) {
        ProceedingsView::InvolvementOnly
    } else {
        ProceedingsView::Nothing
    }
}

/// A victim's representation by a lawyer, as the access rules see it: who represents the
/// victim, from which day, and the day it was revoked, if it was (Dir 2011/36 Art 12(2);
/// Dir 2012/29 Art 20).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RepresentationScope {
    pub lawyer_user_id: String,
    pub from: crate::case::CalendarDate,
    pub revoked_on: Option<crate::case::CalendarDate>,
}

impl RepresentationScope {
    /// In force on `day`: begun, and not revoked on or before it.
    pub fn active_on(&self, day: crate::case::CalendarDate) -> bool {
        self.from <= day && self.revoked_on.is_none_or(|revoked| day < revoked)
    }
}

/// What the victim's lawyer reads of the victim's case: the victim's view of its proceedings
/// ([`ProceedingsView::VictimsView`]) when `actor` holds the lawyer's role, the case is of the
/// actor's country, and one of the case's `representations` names the actor and is in force
/// `today`; otherwise nothing (a lawyer who never represented the victim, whose representation
/// was revoked or has not begun, or of another country). Everyone else gets nothing here: what
/// the case's own readers see is [`proceedings_view`].
pub fn represented_view(
    actor: &Actor,
    case: &CaseScope,
    representations: &[RepresentationScope],
    today: crate::case::CalendarDate,
) -> ProceedingsView {
    let represents = representations.iter().any(|r| r.lawyer_user_id == actor.user_id && r.active_on(today));
    if permission_allowed(&actor.roles, Permission::ReadRepresentedVictims)
        && actor.jurisdiction == case.jurisdiction
        && represents
    {
        ProceedingsView::VictimsView
    } else {
        ProceedingsView::Nothing
    }
}

coded_enum! {
    /// The parts of criminal proceedings, as the victim's view chooses among them.
    pub enum ProceedingsPart {
        /// The investigation's reference, status, offences and dates, and the day the victim
        /// was linked to it.
        Investigation => "investigation",
        /// The stage of prosecution and the court outcomes with their dates (decisions to
        /// prosecute or not, judgments, appeals), without who they concern.
        ProsecutionAndJudgments => "prosecution_and_judgments",
        /// The victim's own protection measures (their kind, state and day).
        OwnProtection => "own_protection",
        /// The information given to the victim, and the information still due to the victim.
        OwnInformation => "own_information",
        /// The suspects and accused: their identities and personal data.
        Suspects => "suspects",
        /// The other victims linked to the investigation.
        OtherVictims => "other_victims",
        /// Assets, seizure, confiscation and the financial investigation.
        Money => "money",
        /// The victim's support records (assessments, plan, counselling).
        Support => "support",
    }
}

/// Why the victim's view holds what it holds: the victim's right to information on the
/// proceedings and their outcome, and to legal counselling and representation.
pub const VICTIMS_VIEW_SOURCES: &str = "Dir 2011/36 Art 11(5), Art 12(1)-(2); Dir 2012/29 Art 6, Art 20";

/// Whether the victim's view ([`ProceedingsView::VictimsView`]) shows `part`: what the victim
/// has a right to know of the proceedings ([`VICTIMS_VIEW_SOURCES`]), and of the victim's own
/// protection and information; never the suspects, the other victims, the money or the support
/// records. Deny by default: a part not named here is not shown.
pub fn victims_view_shows(part: ProceedingsPart) -> bool {
    match part {
        ProceedingsPart::Investigation
        | ProceedingsPart::ProsecutionAndJudgments
        | ProceedingsPart::OwnProtection
        | ProceedingsPart::OwnInformation => true,
        ProceedingsPart::Suspects
        | ProceedingsPart::OtherVictims
        | ProceedingsPart::Money
        | ProceedingsPart::Support => false,
    }
}

/// A user proposed as a victim's lawyer, as the access rules see it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LawyerScope {
    pub user_id: String,
    pub jurisdiction: Jurisdiction,
    pub roles: Vec<Role>,
    pub disabled: bool,
}

/// May `actor` record (or revoke) that the victim of the case in `scope` is represented by a
/// lawyer? Who writes the case's identity and support (its caseworker or supervisor), with
/// [`Permission::ManageRepresentation`]. Which lawyer may be chosen is [`may_represent`].
pub fn may_record_representation(actor: &Actor, scope: &CaseScope) -> Decision {
    if !permission_allowed(&actor.roles, Permission::ManageRepresentation) {
        return Decision::Deny(DenyReason::RoleLacksCompartment);
    }
    match authorize(actor, scope, Compartment::Identity, Action::Write) {
        Decision::Allow => authorize(actor, scope, Compartment::Support, Action::Write),
        denied => denied,
    }
}

/// May `lawyer` represent the victim of the case in `scope`: an enabled user holding the
/// victim's lawyer role, of the case's country.
pub fn may_represent(lawyer: &LawyerScope, scope: &CaseScope) -> bool {
    !lawyer.disabled && lawyer.roles.contains(&Role::VictimLawyer) && lawyer.jurisdiction == scope.jurisdiction
}

/// Record-level decision on a joint investigation team (the proceedings compartment), given
/// the investigations linked to it (of any of its countries): who may act on one of them in the
/// same way may act on the team. A reader sees the team and its parties; each linked
/// investigation is still asked of [`authorize_investigation`], so the other country's stays
/// unseen. A team with no investigation the actor may act on does not exist for the actor.
pub fn authorize_joint_team(actor: &Actor, linked: &[InvestigationScope], action: Action) -> Decision {
    let mut denied = Decision::Deny(DenyReason::NotOwnerNorShared);
    for scope in linked {
        match authorize_investigation(actor, scope, action) {
            Decision::Allow => return Decision::Allow,
            d @ Decision::Deny(DenyReason::RoleLacksCompartment) => denied = d,
            Decision::Deny(_) => {}
        }
    }
    denied
}

/// Training records are kept by each country, for its own rapporteur's reports; the EU level
/// keeps none and reads none (it receives what a country's statistics release says).
pub const TRAININGS_KEPT_BY_COUNTRIES: &str = "Dir 2011/36 Art 18(3); Dir 2011/36 Art 19";

/// Record-level decision on the training records of `country` (Dir 2011/36 Art 18(3)):
/// [`Permission::RecordTrainings`] or [`Permission::ReadTrainings`], of the actor's own country
/// only; the EU level keeps no training records ([`TRAININGS_KEPT_BY_COUNTRIES`]), so a user
/// there is refused with [`DenyReason::OtherJurisdiction`] although the role grants the
/// operation (the application answers naming the jurisdiction).
pub fn authorize_trainings(actor: &Actor, country: Jurisdiction, permission: Permission) -> Decision {
    let training = matches!(permission, Permission::RecordTrainings | Permission::ReadTrainings);
    if !training || !permission_allowed(&actor.roles, permission) {
        return Decision::Deny(DenyReason::RoleLacksCompartment);
    }
    if actor.jurisdiction != country || country == Jurisdiction::EuropeanUnion {
        return Decision::Deny(DenyReason::OtherJurisdiction);
    }
    Decision::Allow
}

/// Record-level decision on monitoring data (docs/monitoring.md), [`Permission::ReadMonitoring`]
/// or [`Permission::RecordMonitoring`], where `country` is the jurisdiction whose record it is:
/// a member state for its national measures and action plans, [`Jurisdiction::EuropeanUnion`]
/// for what the EU level records (the Commission's assessment of a member state's transposition,
/// infringement steps, the EU strategy's actions). Deny by default:
/// - a country's rapporteur reads and records its own country's records, and reads the EU
///   level's (the Commission's assessments and the EU strategy are addressed to all member
///   states), never another country's;
/// - the EU-level rapporteur (the EU Anti-Trafficking Coordinator) reads every country's
///   records and records only the EU level's;
/// - a statistician reads its own jurisdiction's records and the EU level's (at the EU level,
///   all), and records nothing;
/// - every other role is refused.
pub fn authorize_monitoring(actor: &Actor, country: Jurisdiction, permission: Permission) -> Decision {
    let monitoring = matches!(permission, Permission::ReadMonitoring | Permission::RecordMonitoring);
    if !monitoring || !permission_allowed(&actor.roles, permission) {
        return Decision::Deny(DenyReason::RoleLacksCompartment);
    }
    let allowed = match permission {
        Permission::RecordMonitoring => actor.jurisdiction == country,
        _ => {
            actor.jurisdiction == Jurisdiction::EuropeanUnion
                || actor.jurisdiction == country
                || country == Jurisdiction::EuropeanUnion
        }
    };
    if allowed { Decision::Allow } else { Decision::Deny(DenyReason::OtherJurisdiction) }
}

/// Record-level decision on the contact persons of a network (docs/monitoring.md, "Networks"):
/// names and e-mail addresses, personal data kept for the network's work only. Read and recorded
/// by the rapporteur of the network's own jurisdiction (the EU Anti-Trafficking Coordinator for
/// the EU's networks, a country's rapporteur or coordinator for its mechanism), never by a
/// statistician nor by another jurisdiction, the EU level included (Reg 2016/679 Art 5(1)(c)).
pub fn authorize_network_contacts(actor: &Actor, network: Jurisdiction, permission: Permission) -> Decision {
    let monitoring = matches!(permission, Permission::ReadMonitoring | Permission::RecordMonitoring);
    if !monitoring || !actor.roles.contains(&Role::Rapporteur) {
        return Decision::Deny(DenyReason::RoleLacksCompartment);
    }
    if actor.jurisdiction == network { Decision::Allow } else { Decision::Deny(DenyReason::OtherJurisdiction) }
}

/// What is done with the rapporteur's annual report (docs/monitoring.md, "The annual report").
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum ReportAction {
    /// Reading the assembled report, on screen or exported (print-ready HTML, DOCX, JSON).
    Read,
    /// Writing its narrative sections.
    Draft,
    /// Making it final.
    Finalise,
}

/// Record-level decision on the annual report of `jurisdiction` (Dir 2011/36 Art 19; at the EU
/// level the progress report from the Member States' information, Dir 2011/36 Art 20). Deny by
/// default:
/// - the rapporteur of the jurisdiction reads, drafts and finalises it (the national rapporteur
///   or equivalent mechanism; at the EU level the Anti-Trafficking Coordinator);
/// - a statistician of the jurisdiction reads it (the figures are theirs), and writes nothing;
/// - nobody reads another jurisdiction's report: the EU level assembles its own from what the
///   countries submitted, never a country's draft;
/// - every other role is refused.
pub fn authorize_annual_report(actor: &Actor, jurisdiction: Jurisdiction, action: ReportAction) -> Decision {
    let permission = match action {
        ReportAction::Read => Permission::ReadMonitoring,
        ReportAction::Draft | ReportAction::Finalise => Permission::RecordMonitoring,
    };
    if !permission_allowed(&actor.roles, permission) {
        return Decision::Deny(DenyReason::RoleLacksCompartment);
    }
    if actor.jurisdiction != jurisdiction {
        return Decision::Deny(DenyReason::OtherJurisdiction);
    }
    Decision::Allow
}

#[cfg(test)]
mod annual_report_tests {
    use super::*;
    use crate::org::CountryCode;

    fn at(jurisdiction: Jurisdiction, role: Role) -> Actor {
        Actor { user_id: "u".into(), organisation_id: "o".into(), jurisdiction, roles: vec![role] }
    }

    #[test]
    fn art_19_dir_2011_36_the_rapporteur_drafts_its_report_a_statistician_reads_it_and_nobody_else() {
        let lv = Jurisdiction::Country(CountryCode::parse("c", "LV").unwrap());
        let ee = Jurisdiction::Country(CountryCode::parse("c", "EE").unwrap());
        let eu = Jurisdiction::EuropeanUnion;
        use ReportAction::{Draft, Finalise, Read};
        let cases = [
            (lv, Role::Rapporteur, lv, [true, true, true]),
            (lv, Role::Statistician, lv, [true, false, false]),
            (lv, Role::Rapporteur, ee, [false, false, false]),
            (lv, Role::Rapporteur, eu, [false, false, false]),
            (eu, Role::Rapporteur, eu, [true, true, true]),
            (eu, Role::Rapporteur, lv, [false, false, false]),
            (eu, Role::Statistician, eu, [true, false, false]),
            (lv, Role::Caseworker, lv, [false, false, false]),
            (lv, Role::Administrator, lv, [false, false, false]),
            (lv, Role::Auditor, lv, [false, false, false]),
            (lv, Role::Investigator, lv, [false, false, false]),
            (lv, Role::FocalPoint, lv, [false, false, false]),
        ];
        for (own, role, report, expected) in cases {
            let a = at(own, role);
            let got = [Read, Draft, Finalise].map(|x| authorize_annual_report(&a, report, x).is_allowed());
            assert_eq!(got, expected, "{role:?} of {own} on the report of {report}");
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::{Coded, org::CountryCode};

    fn lv() -> Jurisdiction {
        Jurisdiction::Country(CountryCode::parse("c", "LV").unwrap())
    }

    fn actor(org: &str, role: Role) -> Actor {
        Actor { user_id: "u".into(), organisation_id: org.into(), jurisdiction: lv(), roles: vec![role] }
    }

    fn case_of(owner: &str, shares: Vec<CaseShare>) -> CaseScope {
        CaseScope { owner_organisation_id: owner.into(), jurisdiction: lv(), shares, referred: false }
    }

    #[test]
    fn the_competent_authority_reads_referred_cases_of_its_country_only() {
        let dm = actor("ca", Role::DecisionMaker);
        let mut case = case_of("ngo-a", vec![]);
        assert!(!authorize(&dm, &case, Compartment::Identity, Action::Read).is_allowed());
        assert!(!may_see_case(&dm, &case));
        case.referred = true;
        assert!(authorize(&dm, &case, Compartment::Identity, Action::Read).is_allowed());
        assert!(authorize(&dm, &case, Compartment::Identity, Action::Write).is_allowed());
        assert!(!authorize(&dm, &case, Compartment::Support, Action::Read).is_allowed());
        assert!(may_see_case(&dm, &case));
        // A caseworker of another organisation gains nothing from a referral.
        assert!(!authorize(&actor("ngo-b", Role::Caseworker), &case, Compartment::Identity, Action::Read).is_allowed());
        let mut other_country = case.clone();
        other_country.jurisdiction = Jurisdiction::Country(CountryCode::parse("c", "EE").unwrap());
        assert!(!authorize(&dm, &other_country, Compartment::Identity, Action::Read).is_allowed());
    }

    #[test]
    fn art_11_cets_an_ngo_never_reads_another_ngos_case_unless_shared() {
        let case = case_of("ngo-a", vec![]);
        let other = actor("ngo-b", Role::Caseworker);
        assert_eq!(
            authorize(&other, &case, Compartment::Identity, Action::Read),
            Decision::Deny(DenyReason::NotOwnerNorShared)
        );
        let shared = case_of(
            "ngo-a",
            vec![CaseShare { organisation_id: "ngo-b".into(), compartments: vec![Compartment::Support] }],
        );
        assert!(authorize(&other, &shared, Compartment::Support, Action::Read).is_allowed());
        // Only the shared parts.
        assert!(!authorize(&other, &shared, Compartment::Identity, Action::Read).is_allowed());
    }

    #[test]
    fn police_never_read_counselling_notes_even_of_their_own_cases() {
        let case = case_of("police", vec![]);
        let officer = actor("police", Role::Investigator);
        assert!(authorize(&officer, &case, Compartment::Proceedings, Action::Read).is_allowed());
        assert_eq!(
            authorize(&officer, &case, Compartment::Support, Action::Read),
            Decision::Deny(DenyReason::RoleLacksCompartment)
        );
        let shared = case_of(
            "ngo",
            vec![CaseShare { organisation_id: "police".into(), compartments: vec![Compartment::Support] }],
        );
        assert!(!authorize(&officer, &shared, Compartment::Support, Action::Read).is_allowed());
    }

    #[test]
    fn art_11_cets_statistics_users_never_read_a_person() {
        for role in [Role::Rapporteur, Role::Statistician] {
            let a = actor("stat", role);
            let case = case_of("stat", vec![]);
            for c in Compartment::ALL {
                assert!(!authorize(&a, &case, *c, Action::Read).is_allowed(), "{role} {c}");
            }
            assert!(permission_allowed(&[role], Permission::ReadStatistics));
            assert!(!permission_allowed(&[role], Permission::ListCases));
        }
    }

    #[test]
    fn other_countries_are_denied() {
        let mut a = actor("ngo-a", Role::Caseworker);
        a.jurisdiction = Jurisdiction::Country(CountryCode::parse("c", "EE").unwrap());
        assert_eq!(
            authorize(&a, &case_of("ngo-a", vec![]), Compartment::Identity, Action::Read),
            Decision::Deny(DenyReason::OtherJurisdiction)
        );
    }

    #[test]
    fn administrators_and_auditors_read_no_case_data() {
        for role in [Role::Administrator, Role::Auditor] {
            let a = actor("org", role);
            for c in Compartment::ALL {
                for act in Action::ALL {
                    assert!(!authorize(&a, &case_of("org", vec![]), *c, *act).is_allowed());
                }
            }
        }
    }

    fn ee() -> Jurisdiction {
        Jurisdiction::Country(CountryCode::parse("c", "EE").unwrap())
    }

    #[test]
    fn administrators_administer_their_own_jurisdiction_only() {
        let admin = actor("ca", Role::Administrator);
        assert_eq!(may_administer(&admin, lv()), Ok(()));
        assert_eq!(may_administer(&admin, ee()), Err(AdminDenial::OtherJurisdiction));
        let mut eu = admin.clone();
        eu.jurisdiction = Jurisdiction::EuropeanUnion;
        assert_eq!(may_administer(&eu, lv()), Err(AdminDenial::OtherJurisdiction));
        assert_eq!(may_administer(&actor("ngo", Role::Supervisor), lv()), Err(AdminDenial::NotAdministrator));
    }

    #[test]
    fn nobody_changes_their_own_roles_and_a_grant_needs_a_second_person() {
        let admin = actor("ca", Role::Administrator);
        assert_eq!(may_change_roles(&admin, "u", lv()), Err(AdminDenial::OwnRoles));
        assert_eq!(may_change_roles(&admin, "other", lv()), Ok(()));
        assert_eq!(may_decide_grant(&admin, "u", "other", lv()), Err(AdminDenial::NotASecondPerson));
        assert_eq!(may_decide_grant(&admin, "a2", "u", lv()), Err(AdminDenial::NotASecondPerson));
        assert_eq!(may_decide_grant(&admin, "a2", "other", lv()), Ok(()));
        assert_eq!(may_decide_grant(&admin, "a2", "other", ee()), Err(AdminDenial::OtherJurisdiction));
    }

    #[test]
    fn data_roles_are_those_that_open_a_persons_case() {
        for role in Role::ALL {
            let opens = role_compartments(*role).iter().any(|c| *c != Compartment::Statistics);
            let reads_persons = matches!(role, Role::DataOfficer | Role::FocalPoint | Role::VictimLawyer);
            assert_eq!(is_data_role(*role), opens || reads_persons, "{role}");
        }
        assert!(is_data_role(Role::DataOfficer));
        assert!(is_data_role(Role::FocalPoint));
        assert!(is_data_role(Role::DecisionMaker));
        assert!(!is_data_role(Role::Administrator) && !is_data_role(Role::Auditor));
        assert_eq!(
            data_roles_granted(&[Role::Administrator], &[Role::Administrator, Role::DecisionMaker]),
            vec![Role::DecisionMaker]
        );
        assert!(data_roles_granted(&[Role::Caseworker, Role::Supervisor], &[Role::Caseworker]).is_empty());
        assert!(data_roles_granted(&[], &[Role::Rapporteur]).is_empty());
    }

    #[test]
    fn art_11_4_dir_the_focal_point_of_the_country_alone_acts_on_transnational_referrals() {
        let lv = actor("ca", Role::FocalPoint);
        let table = [
            (Role::FocalPoint, true),
            (Role::Caseworker, false),
            (Role::Supervisor, false),
            (Role::Rapporteur, false),
            (Role::Administrator, false),
            (Role::DecisionMaker, false),
        ];
        for (role, allowed) in table {
            assert_eq!(may_act_on_transnational_referral(&actor("ca", role), lv.jurisdiction), allowed, "{role}");
        }
        let ee = Jurisdiction::Country(crate::org::CountryCode::parse("c", "EE").unwrap());
        assert!(!may_act_on_transnational_referral(&lv, ee));
        // The focal point opens no compartment of a case, and manages the exchange's peers
        // with the administrator; the rapporteur no longer does.
        assert!(role_compartments(Role::FocalPoint).is_empty());
        assert!(permission_allowed(&[Role::FocalPoint], Permission::ManagePeers));
        assert!(permission_allowed(&[Role::Administrator], Permission::ManagePeers));
        assert!(!permission_allowed(&[Role::Rapporteur], Permission::ManagePeers));
    }

    #[test]
    fn only_the_case_organisations_caseworker_prepares_a_transnational_referral() {
        let case = case_of("ngo-a", vec![]);
        let table = [
            ("ngo-a", Role::Caseworker, true),
            ("ngo-a", Role::Supervisor, true),
            ("ngo-a", Role::FocalPoint, false),
            ("ngo-a", Role::FirstResponder, false),
            ("ngo-b", Role::Caseworker, false),
        ];
        for (org, role, allowed) in table {
            assert_eq!(may_prepare_transnational_referral(&actor(org, role), &case), allowed, "{org} {role}");
        }
        let shared = case_of(
            "ngo-a",
            vec![CaseShare { organisation_id: "ngo-b".into(), compartments: vec![Compartment::Support] }],
        );
        assert!(!may_prepare_transnational_referral(&actor("ngo-b", Role::Caseworker), &shared));
    }

    #[test]
    fn the_data_protection_officer_reads_the_audit_and_access_histories_of_its_jurisdiction_only() {
        let dpo = actor("ngo-a", Role::Auditor);
        assert!(permission_allowed(&[Role::Auditor], Permission::ReadAuditLog));
        assert!(permission_allowed(&[Role::Auditor], Permission::ReadAccessHistory));
        assert!(!permission_allowed(&[Role::Auditor], Permission::ManageUsers));
        assert!(may_read_audit_entry(&dpo, &[lv()]));
        assert!(may_read_audit_entry(&dpo, &[ee(), lv()]));
        assert!(!may_read_audit_entry(&dpo, &[ee()]));
        assert!(!may_read_audit_entry(&dpo, &[]));
        assert!(!may_read_audit_entry(&actor("ngo-a", Role::Caseworker), &[lv()]));
        let admin = actor("ca", Role::Administrator);
        assert!(!may_read_audit_entry(&admin, &[Jurisdiction::EuropeanUnion]));
        // Any case of its country, but not another country's.
        let case = case_of("ngo-b", vec![]);
        assert!(may_read_access_history(&dpo, &case));
        assert!(!may_read_access_history(&actor("ngo-a", Role::Supervisor), &case));
        assert!(may_read_access_history(&actor("ngo-b", Role::Supervisor), &case));
        let mut abroad = case.clone();
        abroad.jurisdiction = ee();
        assert!(!may_read_access_history(&dpo, &abroad));
    }

    fn facts(scope: CaseScope, draft: bool) -> CaseFacts<'static> {
        CaseFacts { scope, draft, reconsideration_open: false, pending_stage: None }
    }

    fn referred(owner: &str) -> CaseScope {
        CaseScope { referred: true, ..case_of(owner, vec![]) }
    }

    #[test]
    fn the_competent_authority_may_edit_and_decide_a_referred_case_and_nothing_else() {
        let dm = actor("ca", Role::DecisionMaker);
        let a = case_actions(&dm, crate::OrganisationKind::CompetentAuthority, &facts(referred("ngo"), false));
        assert!(a.see && a.edit && a.decide, "{a:?}");
        assert_eq!(a.read, vec![Compartment::Identity]);
        assert!(!a.share && !a.submit && !a.support && !a.assess && !a.refer && !a.access_history, "{a:?}");
        assert!(!a.request_reconsideration, "who decides does not ask for reconsideration");
        // Before the referral the case is not the authority's at all.
        let draft =
            case_actions(&dm, crate::OrganisationKind::CompetentAuthority, &facts(case_of("ngo", vec![]), true));
        assert_eq!(draft, CaseActions::default());
    }

    #[test]
    fn actions_per_role_and_relation() {
        use crate::OrganisationKind::Ngo;
        let shared_identity =
            vec![CaseShare { organisation_id: "mine".into(), compartments: vec![Compartment::Identity] }];
        let shared_support =
            vec![CaseShare { organisation_id: "mine".into(), compartments: vec![Compartment::Support] }];
        // (role, relation, edit, share, support, assess, refer, history)
        let rows: Vec<(Role, CaseScope, [bool; 6])> = vec![
            (Role::Caseworker, case_of("mine", vec![]), [true, true, true, true, true, false]),
            (Role::Supervisor, case_of("mine", vec![]), [true, true, true, true, true, true]),
            (Role::FirstResponder, case_of("mine", vec![]), [true, false, false, false, false, false]),
            (Role::Investigator, case_of("mine", vec![]), [true, true, false, false, false, false]),
            // A share gives the shared parts, never the owner's right to share on.
            (Role::Caseworker, case_of("theirs", shared_identity.clone()), [true, false, false, false, false, false]),
            (Role::Caseworker, case_of("theirs", shared_support.clone()), [false, false, true, true, true, false]),
            (Role::Supervisor, case_of("theirs", shared_support), [false, false, true, true, true, false]),
            (Role::Caseworker, case_of("theirs", vec![]), [false; 6]),
            // A referral opens the identity to the competent authority only.
            (Role::Caseworker, referred("theirs"), [false; 6]),
            // Administrators and the data protection officer read who accessed, never the case.
            (Role::Administrator, case_of("mine", vec![]), [false, false, false, false, false, true]),
            (Role::Administrator, case_of("theirs", vec![]), [false; 6]),
            (Role::Auditor, case_of("theirs", vec![]), [false, false, false, false, false, true]),
            (Role::Rapporteur, case_of("mine", vec![]), [false; 6]),
        ];
        for (role, scope, [edit, share, support, assess, refer, history]) in rows {
            let a = case_actions(&actor("mine", role), Ngo, &facts(scope.clone(), false));
            let got = [a.edit, a.share, a.support, a.assess, a.refer, a.access_history];
            assert_eq!(got, [edit, share, support, assess, refer, history], "{role} on {scope:?}");
            // What is offered is what the record-level rules answer.
            for c in CASE_COMPARTMENTS {
                assert_eq!(a.reads(c), authorize(&actor("mine", role), &scope, c, Action::Read).is_allowed());
                assert_eq!(a.writes(c), authorize(&actor("mine", role), &scope, c, Action::Write).is_allowed());
            }
            assert!(a.shareable.iter().all(|c| a.reads(*c)));
            // A supervisor reviews the assessments of the cases whose support it writes.
            assert_eq!(a.review, role == Role::Supervisor && assess, "{role} on {scope:?}");
        }
        // Another country: nothing, even for the owner's namesake.
        let mut abroad = actor("mine", Role::Supervisor);
        abroad.jurisdiction = ee();
        assert_eq!(case_actions(&abroad, Ngo, &facts(case_of("mine", vec![]), false)), CaseActions::default());
    }

    #[test]
    fn a_draft_is_submitted_and_a_referred_case_decided() {
        use crate::OrganisationKind::{CompetentAuthority, Ngo};
        let cw = actor("mine", Role::Caseworker);
        let draft = case_actions(&cw, Ngo, &facts(case_of("mine", vec![]), true));
        assert!(draft.submit && !draft.decide);
        let sent = case_actions(&cw, Ngo, &facts(referred("mine"), false));
        assert!(!sent.submit && !sent.decide && !sent.request_reconsideration);
        let open = CaseFacts { reconsideration_open: true, ..facts(referred("mine"), false) };
        assert!(case_actions(&cw, Ngo, &open).request_reconsideration);
        // A decision maker of the owning organisation, the case still a draft: no decision yet.
        let dm = actor("mine", Role::DecisionMaker);
        assert!(!case_actions(&dm, CompetentAuthority, &facts(case_of("mine", vec![]), true)).decide);
    }

    #[test]
    fn only_the_owner_shares() {
        let shared = case_of(
            "theirs",
            vec![CaseShare { organisation_id: "mine".into(), compartments: vec![Compartment::Identity] }],
        );
        assert!(may_share(&actor("mine", Role::Caseworker), &case_of("mine", vec![])));
        assert!(!may_share(&actor("mine", Role::Caseworker), &shared));
        assert!(!may_share(&actor("mine", Role::FirstResponder), &case_of("mine", vec![])));
        assert!(!may_share(&actor("mine", Role::DecisionMaker), &referred("theirs")));
    }

    #[test]
    fn a_referral_is_the_senders_and_once_sent_the_receivers() {
        use crate::assist::referral::Side;
        let r = |draft| ReferralScope { from_organisation_id: "ngo", to_organisation_id: "shelter", draft };
        let cw = |org: &str| actor(org, Role::Caseworker);
        assert_eq!(referral_side(&cw("ngo"), &r(true)), Some(Side::Sender));
        assert_eq!(referral_side(&cw("shelter"), &r(true)), None);
        assert_eq!(referral_side(&cw("shelter"), &r(false)), Some(Side::Receiver));
        assert_eq!(referral_side(&cw("other"), &r(false)), None);
        // Who does not manage referrals sees none, even its own organisation's.
        assert_eq!(referral_side(&actor("ngo", Role::FirstResponder), &r(false)), None);
    }

    #[test]
    fn a_data_officer_reviews_pairs_of_its_jurisdiction_and_reads_no_case() {
        let officer = actor("ca", Role::DataOfficer);
        let (a, b) = (case_of("ngo-a", vec![]), case_of("police", vec![]));
        assert!(may_review_pair(&officer, &a, &b), "across organisations of its country");
        let mut abroad = b.clone();
        abroad.jurisdiction = ee();
        assert!(!may_review_pair(&officer, &a, &abroad));
        assert!(!may_review_pair(&officer, &abroad, &abroad));
        // Nobody else reviews, whatever else they read.
        for role in Role::ALL.iter().filter(|r| **r != Role::DataOfficer) {
            assert!(!may_review_pair(&actor("ngo-a", *role), &a, &a), "{role}");
            assert!(!permission_allowed(&[*role], Permission::ReviewPersons), "{role}");
        }
        // No part of any case, not even its own organisation's; no listing, no search.
        for c in Compartment::ALL {
            for act in Action::ALL {
                assert!(!authorize(&officer, &case_of("ca", vec![]), *c, *act).is_allowed(), "{c} {act}");
            }
        }
        for p in [Permission::ListCases, Permission::SearchPersons, Permission::ReadAuditLog, Permission::ShareCase] {
            assert!(!permission_allowed(&[Role::DataOfficer], p), "{p:?}");
        }
        assert_eq!(
            case_actions(&officer, crate::OrganisationKind::CompetentAuthority, &facts(a, false)),
            CaseActions::default()
        );
    }

    fn investigation(unit: &str, prosecutor: &str) -> InvestigationScope {
        InvestigationScope {
            unit_organisation_id: unit.into(),
            prosecutor_organisation_id: Some(prosecutor.into()),
            jurisdiction: lv(),
        }
    }

    #[test]
    fn proceedings_compartment_investigations_by_role_and_relation() {
        use Role::*;
        // (role, organisation, read, write, prosecute) on an investigation of unit "police"
        // with the prosecutor's office "prosecution".
        let rows: Vec<(Role, &str, [bool; 3])> = vec![
            (Investigator, "police", [true, true, false]),
            (Investigator, "prosecution", [true, true, true]),
            // Another unit of the same country: not without being the unit or the prosecutor.
            (Investigator, "other-police", [false, false, false]),
            // Support organisations never read proceedings, even naming themselves.
            (Caseworker, "police", [false, false, false]),
            (Supervisor, "prosecution", [false, false, false]),
            (FirstResponder, "police", [false, false, false]),
            (DecisionMaker, "prosecution", [false, false, false]),
            (Administrator, "police", [false, false, false]),
            (Auditor, "police", [false, false, false]),
            (Rapporteur, "police", [false, false, false]),
            (Statistician, "police", [false, false, false]),
            (DataOfficer, "police", [false, false, false]),
        ];
        let scope = investigation("police", "prosecution");
        for (role, org, [read, write, prosecute]) in rows {
            let a = investigation_actions(&actor(org, role), &scope);
            assert_eq!([a.read, a.write, a.prosecute], [read, write, prosecute], "{role} of {org}");
            assert_eq!(authorize_investigation(&actor(org, role), &scope, Action::Read).is_allowed(), read);
        }
        assert_eq!(
            authorize_investigation(&actor("police", Role::Caseworker), &scope, Action::Read),
            Decision::Deny(DenyReason::RoleLacksCompartment)
        );
        // Another country: nothing.
        let mut abroad = actor("police", Role::Investigator);
        abroad.jurisdiction = ee();
        assert_eq!(
            authorize_investigation(&abroad, &scope, Action::Read),
            Decision::Deny(DenyReason::OtherJurisdiction)
        );
        // No prosecutor named yet: the unit alone.
        let unassigned = InvestigationScope { prosecutor_organisation_id: None, ..scope };
        assert!(!investigation_actions(&actor("prosecution", Role::Investigator), &unassigned).read);
        assert!(!investigation_actions(&actor("police", Role::Investigator), &unassigned).prosecute);
    }

    #[test]
    fn proceedings_compartment_isolation_both_ways() {
        // Police and prosecutors never read support (counselling, assessments, plans), whoever
        // owns the case and whatever was shared.
        for org in ["police", "prosecution"] {
            let officer = actor(org, Role::Investigator);
            for scope in [
                case_of(org, vec![]),
                case_of(
                    "ngo",
                    vec![CaseShare { organisation_id: org.into(), compartments: CASE_COMPARTMENTS.to_vec() }],
                ),
            ] {
                assert!(!authorize(&officer, &scope, Compartment::Support, Action::Read).is_allowed(), "{org}");
                assert!(!authorize(&officer, &scope, Compartment::Support, Action::Write).is_allowed(), "{org}");
            }
        }
        // Support organisations never read proceedings, even of their own case or shared with them.
        for role in [Role::Caseworker, Role::Supervisor, Role::FirstResponder, Role::DecisionMaker] {
            let worker = actor("ngo", role);
            for scope in [
                case_of("ngo", vec![]),
                case_of(
                    "police",
                    vec![CaseShare { organisation_id: "ngo".into(), compartments: CASE_COMPARTMENTS.to_vec() }],
                ),
            ] {
                for act in Action::ALL {
                    assert!(!authorize(&worker, &scope, Compartment::Proceedings, *act).is_allowed(), "{role}");
                }
            }
        }
    }

    #[test]
    fn a_caseworker_sees_only_that_the_person_is_involved_in_proceedings() {
        let own = case_of("ngo", vec![]);
        assert_eq!(proceedings_view(&actor("ngo", Role::Caseworker), &own), ProceedingsView::InvolvementOnly);
        assert_eq!(proceedings_view(&actor("ngo", Role::Supervisor), &own), ProceedingsView::InvolvementOnly);
        assert_eq!(proceedings_view(&actor("other", Role::Caseworker), &own), ProceedingsView::Nothing);
        let shared = case_of(
            "ngo",
            vec![CaseShare {
                organisation_id: "police".into(),
                compartments: vec![Compartment::Identity, Compartment::Proceedings],
            }],
        );
        assert_eq!(proceedings_view(&actor("police", Role::Investigator), &shared), ProceedingsView::Proceedings);
        assert_eq!(proceedings_view(&actor("police", Role::Investigator), &own), ProceedingsView::Nothing);
        for role in [Role::Rapporteur, Role::Administrator, Role::Auditor, Role::DataOfficer] {
            assert_eq!(proceedings_view(&actor("ngo", role), &own), ProceedingsView::Nothing, "{role}");
        }
    }

    #[test]
    fn a_victim_is_linked_by_who_writes_the_investigation_and_reads_the_case() {
        let inv = investigation("police", "prosecution");
        let officer = actor("police", Role::Investigator);
        assert!(may_link_victim(&officer, &inv, &case_of("police", vec![])).is_allowed());
        let shared_for = |c: Compartment| {
            case_of("ngo", vec![CaseShare { organisation_id: "police".into(), compartments: vec![c] }])
        };
        assert!(may_link_victim(&officer, &inv, &shared_for(Compartment::Identity)).is_allowed());
        assert_eq!(
            may_link_victim(&officer, &inv, &shared_for(Compartment::Support)),
            Decision::Deny(DenyReason::NotOwnerNorShared)
        );
        assert_eq!(
            may_link_victim(&officer, &inv, &case_of("ngo", vec![])),
            Decision::Deny(DenyReason::NotOwnerNorShared)
        );
        assert!(!may_link_victim(&actor("ngo", Role::Caseworker), &inv, &case_of("ngo", vec![])).is_allowed());
        assert!(!may_link_victim(&actor("other", Role::Investigator), &inv, &case_of("other", vec![])).is_allowed());
    }

    #[test]
    fn art_18_3_dir_training_records_are_written_and_read_by_whom_the_policy_names_in_their_country() {
        use Permission::{ReadTrainings, RecordTrainings};
        // (role, record, read) in the actor's own country.
        for role in Role::ALL {
            let expected = match role {
                Role::Investigator | Role::Rapporteur => (true, true),
                Role::Statistician => (false, true),
                _ => (false, false),
            };
            let a = actor("police", *role);
            let got = (
                authorize_trainings(&a, lv(), RecordTrainings).is_allowed(),
                authorize_trainings(&a, lv(), ReadTrainings).is_allowed(),
            );
            assert_eq!(got, expected, "{role}");
            // Never another country's, nor the EU level's.
            for other in [ee(), Jurisdiction::EuropeanUnion] {
                assert!(!authorize_trainings(&a, other, ReadTrainings).is_allowed(), "{role}");
                assert!(!authorize_trainings(&a, other, RecordTrainings).is_allowed(), "{role}");
            }
        }
        // The role grants the operation wherever the user sits (a national statistics office
        // reads its country's records); the EU level keeps none, and is refused by jurisdiction.
        for role in [Role::Statistician, Role::Rapporteur] {
            let mut eu = actor("hub", role);
            eu.jurisdiction = Jurisdiction::EuropeanUnion;
            assert!(permission_allowed(&eu.roles, ReadTrainings), "{role}");
            for country in [Jurisdiction::EuropeanUnion, lv()] {
                assert_eq!(
                    authorize_trainings(&eu, country, ReadTrainings),
                    Decision::Deny(DenyReason::OtherJurisdiction),
                    "{role}"
                );
            }
        }
        // Only the training permissions are asked here.
        assert!(!authorize_trainings(&actor("police", Role::Investigator), lv(), Permission::ListCases).is_allowed());
    }

    #[test]
    fn a_networks_contacts_are_read_and_recorded_by_its_own_rapporteur_only() {
        use Permission::{ReadMonitoring, RecordMonitoring};
        let eu = Jurisdiction::EuropeanUnion;
        let ee = || Jurisdiction::Country(CountryCode::parse("c", "EE").unwrap());
        let cases = [
            (eu, Role::Rapporteur, eu, ReadMonitoring, true),
            (eu, Role::Rapporteur, eu, RecordMonitoring, true),
            (eu, Role::Rapporteur, lv(), ReadMonitoring, false),
            (lv(), Role::Rapporteur, lv(), ReadMonitoring, true),
            (lv(), Role::Rapporteur, lv(), RecordMonitoring, true),
            (lv(), Role::Rapporteur, eu, ReadMonitoring, false),
            (lv(), Role::Rapporteur, ee(), ReadMonitoring, false),
            (eu, Role::Statistician, eu, ReadMonitoring, false),
            (lv(), Role::Statistician, lv(), ReadMonitoring, false),
            (lv(), Role::Administrator, lv(), ReadMonitoring, false),
            (lv(), Role::Caseworker, lv(), RecordMonitoring, false),
            (eu, Role::Auditor, eu, ReadMonitoring, false),
        ];
        for (at, role, network, permission, expected) in cases {
            let a = Actor { user_id: "u".into(), organisation_id: "o".into(), jurisdiction: at, roles: vec![role] };
            assert_eq!(
                authorize_network_contacts(&a, network, permission).is_allowed(),
                expected,
                "{at} {role:?} {network} {permission:?}"
            );
        }
        let rapporteur =
            Actor { user_id: "u".into(), organisation_id: "o".into(), jurisdiction: eu, roles: vec![Role::Rapporteur] };
        assert!(!authorize_network_contacts(&rapporteur, eu, Permission::ReadStatistics).is_allowed());
    }

    #[test]
    fn monitoring_data_is_read_and_recorded_by_whom_the_policy_names() {
        use Permission::{ReadMonitoring, RecordMonitoring};
        let eu = Jurisdiction::EuropeanUnion;
        // (actor's jurisdiction, role, record's jurisdiction, permission, allowed)
        let table: [(Jurisdiction, Role, Jurisdiction, Permission, bool); 20] = [
            // A country's rapporteur: its own country both ways, the EU level's read only.
            (lv(), Role::Rapporteur, lv(), ReadMonitoring, true),
            (lv(), Role::Rapporteur, lv(), RecordMonitoring, true),
            (lv(), Role::Rapporteur, ee(), ReadMonitoring, false),
            (lv(), Role::Rapporteur, ee(), RecordMonitoring, false),
            (lv(), Role::Rapporteur, eu, ReadMonitoring, true),
            (lv(), Role::Rapporteur, eu, RecordMonitoring, false),
            // The EU Anti-Trafficking Coordinator: reads all, records the EU level's only.
            (eu, Role::Rapporteur, lv(), ReadMonitoring, true),
            (eu, Role::Rapporteur, ee(), ReadMonitoring, true),
            (eu, Role::Rapporteur, eu, ReadMonitoring, true),
            (eu, Role::Rapporteur, eu, RecordMonitoring, true),
            (eu, Role::Rapporteur, lv(), RecordMonitoring, false),
            // A statistician reads its own jurisdiction's (all at the EU level), records nothing.
            (lv(), Role::Statistician, lv(), ReadMonitoring, true),
            (lv(), Role::Statistician, ee(), ReadMonitoring, false),
            (lv(), Role::Statistician, lv(), RecordMonitoring, false),
            (eu, Role::Statistician, ee(), ReadMonitoring, true),
            (eu, Role::Statistician, eu, RecordMonitoring, false),
            // Everyone else is refused, in its own country too.
            (lv(), Role::Administrator, lv(), ReadMonitoring, false),
            (lv(), Role::Caseworker, lv(), ReadMonitoring, false),
            (lv(), Role::DecisionMaker, lv(), RecordMonitoring, false),
            (eu, Role::Auditor, eu, ReadMonitoring, false),
        ];
        for (jurisdiction, role, country, permission, allowed) in table {
            let mut a = actor("office", role);
            a.jurisdiction = jurisdiction;
            assert_eq!(
                authorize_monitoring(&a, country, permission).is_allowed(),
                allowed,
                "{role} at {jurisdiction:?} {permission:?} of {country:?}"
            );
        }
        // Only the rapporteur and the statistician hold either operation, whatever the country.
        for role in Role::ALL {
            let a = actor("office", *role);
            let reads = authorize_monitoring(&a, lv(), ReadMonitoring).is_allowed();
            let records = authorize_monitoring(&a, lv(), RecordMonitoring).is_allowed();
            assert_eq!(reads, matches!(role, Role::Rapporteur | Role::Statistician), "{role}");
            assert_eq!(records, *role == Role::Rapporteur, "{role}");
        }
        // Only the monitoring permissions are asked here.
        let eu_rapporteur = Actor { jurisdiction: eu, ..actor("hub", Role::Rapporteur) };
        assert_eq!(
            authorize_monitoring(&eu_rapporteur, eu, Permission::ReadTrainings),
            Decision::Deny(DenyReason::RoleLacksCompartment)
        );
        assert_eq!(
            authorize_monitoring(&actor("office", Role::Rapporteur), ee(), ReadMonitoring),
            Decision::Deny(DenyReason::OtherJurisdiction)
        );
    }

    #[test]
    fn no_permission_without_roles() {
        assert!(!permission_allowed(&[], Permission::Authenticated));
        assert!(permission_allowed(&[], Permission::Public));
    }

    #[test]
    fn a_joint_team_is_read_by_who_reads_one_of_its_investigations_and_no_other() {
        let lv_inv = investigation("police", "prosecution");
        let mut ee_inv = investigation("ee-police", "ee-prosecution");
        ee_inv.jurisdiction = ee();
        let team = [lv_inv.clone(), ee_inv.clone()];
        let mut ee_officer = actor("ee-police", Role::Investigator);
        ee_officer.jurisdiction = ee();
        for who in [actor("police", Role::Investigator), actor("prosecution", Role::Investigator), ee_officer.clone()] {
            for act in Action::ALL {
                assert!(authorize_joint_team(&who, &team, *act).is_allowed(), "{} {act}", who.organisation_id);
            }
        }
        // Each still reads its own country's investigation only.
        assert!(!authorize_investigation(&ee_officer, &lv_inv, Action::Read).is_allowed());
        assert!(!authorize_investigation(&actor("police", Role::Investigator), &ee_inv, Action::Read).is_allowed());
        // Nobody else: another unit, support organisations, a team without investigations.
        assert_eq!(
            authorize_joint_team(&actor("other-police", Role::Investigator), &team, Action::Read),
            Decision::Deny(DenyReason::NotOwnerNorShared)
        );
        assert_eq!(
            authorize_joint_team(&actor("police", Role::Caseworker), &team, Action::Read),
            Decision::Deny(DenyReason::RoleLacksCompartment)
        );
        assert!(!authorize_joint_team(&actor("police", Role::Investigator), &[], Action::Read).is_allowed());
    }

    fn day(s: &str) -> crate::case::CalendarDate {
        crate::case::CalendarDate::parse("d", s).unwrap()
    }

    fn represented_by(lawyer: &str, from: &str, revoked_on: Option<&str>) -> RepresentationScope {
        RepresentationScope { lawyer_user_id: lawyer.into(), from: day(from), revoked_on: revoked_on.map(day) }
    }

    fn lawyer(user: &str) -> Actor {
        Actor { user_id: user.into(), ..actor("legal-aid", Role::VictimLawyer) }
    }

    #[test]
    fn art_12_2_dir_the_victims_lawyer_reads_the_victims_view_of_a_represented_victim_only() {
        let case = case_of("ngo-a", vec![]);
        let today = day("2026-09-21");
        let active = represented_by("lawyer-1", "2026-09-01", None);
        let mut ee_lawyer = lawyer("lawyer-1");
        ee_lawyer.jurisdiction = ee();
        let mut two_roles = lawyer("lawyer-1");
        two_roles.roles.push(Role::Caseworker);
        // (who, representations, today, expected)
        let table: Vec<(&str, Actor, Vec<RepresentationScope>, ProceedingsView)> = vec![
            ("active", lawyer("lawyer-1"), vec![active.clone()], ProceedingsView::VictimsView),
            (
                "begun today",
                lawyer("lawyer-1"),
                vec![represented_by("lawyer-1", "2026-09-21", None)],
                ProceedingsView::VictimsView,
            ),
            (
                "revoked tomorrow",
                lawyer("lawyer-1"),
                vec![represented_by("lawyer-1", "2026-09-01", Some("2026-09-22"))],
                ProceedingsView::VictimsView,
            ),
            ("with another role too", two_roles, vec![active.clone()], ProceedingsView::VictimsView),
            ("no representation", lawyer("lawyer-1"), vec![], ProceedingsView::Nothing),
            ("another lawyer's", lawyer("lawyer-2"), vec![active.clone()], ProceedingsView::Nothing),
            (
                "revoked today",
                lawyer("lawyer-1"),
                vec![represented_by("lawyer-1", "2026-09-01", Some("2026-09-21"))],
                ProceedingsView::Nothing,
            ),
            (
                "revoked earlier",
                lawyer("lawyer-1"),
                vec![represented_by("lawyer-1", "2026-01-01", Some("2026-03-01"))],
                ProceedingsView::Nothing,
            ),
            (
                "not begun",
                lawyer("lawyer-1"),
                vec![represented_by("lawyer-1", "2026-10-01", None)],
                ProceedingsView::Nothing,
            ),
            ("another country", ee_lawyer, vec![active.clone()], ProceedingsView::Nothing),
            (
                "a caseworker named as lawyer",
                Actor { user_id: "lawyer-1".into(), ..actor("ngo-a", Role::Caseworker) },
                vec![active.clone()],
                ProceedingsView::Nothing,
            ),
            (
                "an investigator named as lawyer",
                Actor { user_id: "lawyer-1".into(), ..actor("ngo-a", Role::Investigator) },
                vec![active.clone()],
                ProceedingsView::Nothing,
            ),
        ];
        for (what, who, representations, expected) in table {
            assert_eq!(represented_view(&who, &case, &representations, today), expected, "{what}");
        }
        // A revoked representation and a later one: the later one counts.
        let again = [represented_by("lawyer-1", "2026-01-01", Some("2026-03-01")), active];
        assert_eq!(represented_view(&lawyer("lawyer-1"), &case, &again, today), ProceedingsView::VictimsView);
    }

    #[test]
    fn art_12_2_dir_the_lawyer_opens_no_part_of_any_case_and_the_caseworker_still_sees_involvement_only() {
        let case = case_of("ngo-a", vec![]);
        let l = lawyer("lawyer-1");
        for c in Compartment::ALL {
            for a in Action::ALL {
                assert!(!authorize(&l, &case, *c, *a).is_allowed(), "{c} {a}");
            }
        }
        assert_eq!(proceedings_view(&l, &case), ProceedingsView::Nothing);
        assert!(!may_see_case(&l, &case));
        assert!(!permission_allowed(&[Role::VictimLawyer], Permission::ListCases));
        assert!(!permission_allowed(&[Role::VictimLawyer], Permission::SearchPersons));
        assert!(!authorize_investigation(&l, &investigation("legal-aid", "legal-aid"), Action::Read).is_allowed());
        // The case's own readers keep what they had.
        let active = [represented_by("lawyer-1", "2026-09-01", None)];
        let today = day("2026-09-21");
        let caseworker = actor("ngo-a", Role::Caseworker);
        assert_eq!(proceedings_view(&caseworker, &case), ProceedingsView::InvolvementOnly);
        assert_eq!(represented_view(&caseworker, &case, &active, today), ProceedingsView::Nothing);
        assert_eq!(proceedings_view(&actor("ngo-a", Role::Investigator), &case), ProceedingsView::Proceedings);
        assert!(is_data_role(Role::VictimLawyer));
    }

    #[test]
    fn art_6_victims_directive_the_victims_view_shows_the_victims_parts_and_never_the_suspects_or_the_money() {
        let table = [
            (ProceedingsPart::Investigation, true),
            (ProceedingsPart::ProsecutionAndJudgments, true),
            (ProceedingsPart::OwnProtection, true),
            (ProceedingsPart::OwnInformation, true),
            (ProceedingsPart::Suspects, false),
            (ProceedingsPart::OtherVictims, false),
            (ProceedingsPart::Money, false),
            (ProceedingsPart::Support, false),
        ];
        assert_eq!(table.len(), ProceedingsPart::ALL.len(), "every part has a row");
        for (part, shown) in table {
            assert_eq!(victims_view_shows(part), shown, "{part}");
        }
    }

    #[test]
    fn art_12_2_dir_the_victims_caseworker_records_the_lawyer_and_no_one_else_does() {
        let case = case_of("ngo-a", vec![]);
        let table = [
            ("ngo-a", Role::Caseworker, true),
            ("ngo-a", Role::Supervisor, true),
            ("ngo-a", Role::FirstResponder, false),
            ("ngo-a", Role::Investigator, false),
            ("ngo-a", Role::VictimLawyer, false),
            ("ngo-a", Role::Administrator, false),
            ("ngo-a", Role::Auditor, false),
            ("ngo-b", Role::Caseworker, false),
        ];
        for (org, role, allowed) in table {
            assert_eq!(may_record_representation(&actor(org, role), &case).is_allowed(), allowed, "{org} {role}");
        }
        // A share of the support part alone does not let another organisation choose the lawyer.
        let shared = case_of(
            "ngo-a",
            vec![CaseShare { organisation_id: "ngo-b".into(), compartments: vec![Compartment::Support] }],
        );
        assert!(!may_record_representation(&actor("ngo-b", Role::Caseworker), &shared).is_allowed());
        let mut ee_caseworker = actor("ngo-a", Role::Caseworker);
        ee_caseworker.jurisdiction = ee();
        assert!(!may_record_representation(&ee_caseworker, &case).is_allowed());
        // Who may be chosen: an enabled lawyer of the case's country.
        let l =
            LawyerScope { user_id: "l".into(), jurisdiction: lv(), roles: vec![Role::VictimLawyer], disabled: false };
        assert!(may_represent(&l, &case));
        assert!(!may_represent(&LawyerScope { disabled: true, ..l.clone() }, &case));
        assert!(!may_represent(&LawyerScope { roles: vec![Role::Caseworker], ..l.clone() }, &case));
        assert!(!may_represent(&LawyerScope { jurisdiction: ee(), ..l }, &case));
    }
}
