//! The authorisation policy as a table a person can read and review: `docs/policy.md`. The test
//! below builds the table from the one authorisation place ([`crate::access`]) and compares it
//! with the file, so that a change of who may do what cannot land without a change of the file
//! (and a reviewer seeing it). On a difference it prints the table the code now gives.

#[cfg(test)]
mod tests {
    use crate::access::{
        Action, Actor, CaseActions, CaseFacts, CaseScope, CaseShare, Compartment, Permission, ReferralScope, authorize,
        case_actions, permission_allowed, referral_side,
    };
    use crate::org::{CountryCode, Jurisdiction};
    use crate::{Coded, Role};

    /// Every permission, in the order of the file. The match below fails to compile when a
    /// permission is added without a row.
    fn permissions() -> Vec<(Permission, &'static str)> {
        use Permission::*;
        let rows = vec![
            (Public, "public (no login)"),
            (Authenticated, "any signed-in user"),
            (ManageOrganisations, "manage organisations"),
            (ManageUsers, "manage users"),
            (ListOrganisations, "list organisations"),
            (RegisterCase, "register a case"),
            (ListCases, "list cases"),
            (Case(Compartment::Identity, Action::Read), "case: read identity"),
            (Case(Compartment::Identity, Action::Write), "case: write identity"),
            (Case(Compartment::Support, Action::Read), "case: read support"),
            (Case(Compartment::Support, Action::Write), "case: write support"),
            (Case(Compartment::Proceedings, Action::Read), "case: read proceedings"),
            (Case(Compartment::Proceedings, Action::Write), "case: write proceedings"),
            (Case(Compartment::Statistics, Action::Read), "case: read statistics"),
            (ShareCase, "share a case"),
            (ReadAccessHistory, "read a case's access history"),
            (ReadAuditLog, "read the audit log"),
            (ReadStatistics, "read statistics"),
            (PublishStatistics, "publish statistics"),
            (DecideStatus, "record identification decisions"),
            (RequestReconsideration, "request a reconsideration"),
            (ReadDeadlines, "read the deadlines dashboard"),
            (FileNotification, "file an anonymous notification"),
            (SearchPersons, "search persons"),
            (ReadProviders, "read the provider directory"),
            (ManageProviders, "manage providers"),
            (ReviewAssessments, "review assessments"),
            (ManageReferrals, "manage referrals"),
            (OverrideReferralConsent, "refer without consent in an emergency"),
            (ReviewPersons, "review uncertain pairs of persons"),
            (RecordTrainings, "record trainings"),
            (ReadTrainings, "read trainings and their summary"),
            (ManagePeers, "manage the peers of the exchange"),
            (PrepareTransnationalReferral, "prepare a transnational referral"),
            (ActAsFocalPoint, "review, send and receive transnational referrals"),
            (ManageRepresentation, "record and revoke a victim's lawyer"),
            (ReadRepresentedVictims, "read the victim's view of represented victims"),
            (ReadMonitoring, "read monitoring data"),
            (RecordMonitoring, "record monitoring data"),
            (HandleSubjectRequests, "handle data subjects' requests"),
            (ErasePerson, "erase a person's registrations (crypto-shredding)"),
            (ManageRetention, "manage retention: holds, review, case closure"),
            (ManageProcessingRecords, "read, export and complete the record of processing"),
        ];
        for (p, _) in &rows {
            match p {
                Public
                | Authenticated
                | ManageOrganisations
                | ManageUsers
                | ListOrganisations
                | RegisterCase
                | ListCases
                | Case(_, _)
                | ShareCase
                | ReadAccessHistory
                | ReadAuditLog
                | ReadStatistics
                | PublishStatistics
                | DecideStatus
                | RequestReconsideration
                | ReadDeadlines
                | FileNotification
                | SearchPersons
                | ReadProviders
                | ManageProviders
                | ReviewAssessments
                | ManageReferrals
                | OverrideReferralConsent
                | ReviewPersons
                | RecordTrainings
                | ReadTrainings
                | ManagePeers
                | PrepareTransnationalReferral
                | ActAsFocalPoint
                | ManageRepresentation
                | ReadRepresentedVictims
                | ReadMonitoring
                | RecordMonitoring
                | HandleSubjectRequests
                | ErasePerson
                | ManageRetention
                | ManageProcessingRecords => {}
            }
        }
        rows
    }

    fn mark(allowed: bool) -> &'static str {
        if allowed { "yes" } else { "–" }
    }

    fn country(code: &str) -> Jurisdiction {
        Jurisdiction::Country(CountryCode::parse("c", code).unwrap_or_else(|e| panic!("{e}")))
    }

    /// The relations an organisation may have to a case, as the record-level table's columns.
    const RELATIONS: &[&str] = &[
        "own organisation",
        "shared with it for this part",
        "shared with it for another part",
        "referred, same country",
        "other organisation, same country",
        "own organisation, other country",
    ];

    fn actor(role: Role) -> Actor {
        Actor { user_id: "u".into(), organisation_id: "mine".into(), jurisdiction: country("LV"), roles: vec![role] }
    }

    fn decide(role: Role, compartment: Compartment, action: Action, relation: &str) -> bool {
        authorize(&actor(role), &scope_of(compartment, relation), compartment, action).is_allowed()
    }

    /// The case in `relation` to the organisation "mine" (shared for `compartment`, or for
    /// another part).
    fn scope_of(compartment: Compartment, relation: &str) -> CaseScope {
        let other_part =
            if compartment == Compartment::Identity { Compartment::Support } else { Compartment::Identity };
        let (owner, jurisdiction, shares, referred) = match relation {
            "own organisation" => ("mine", "LV", vec![], false),
            "shared with it for this part" => (
                "theirs",
                "LV",
                vec![CaseShare { organisation_id: "mine".into(), compartments: vec![compartment] }],
                false,
            ),
            "shared with it for another part" => (
                "theirs",
                "LV",
                vec![CaseShare { organisation_id: "mine".into(), compartments: vec![other_part] }],
                false,
            ),
            "referred, same country" => ("theirs", "LV", vec![], true),
            "other organisation, same country" => ("theirs", "LV", vec![], false),
            _ => ("mine", "EE", vec![], true),
        };
        CaseScope { owner_organisation_id: owner.into(), jurisdiction: country(jurisdiction), shares, referred }
    }

    /// The actions on a case a page offers, each with the state of the case it is asked in.
    const ACTIONS: &[(&str, &str)] = &[
        ("edit", "edit the registration"),
        ("submit", "refer a draft to the national referral mechanism"),
        ("decide", "record a decision (the case referred)"),
        ("reconsider", "request a reconsideration (a negative decision open to it)"),
        ("share", "share parts of the case"),
        ("history", "read who accessed the case"),
        ("support", "open the support modules"),
        ("assess", "assess, plan, record support"),
        ("refer", "refer the person to a service"),
    ];

    /// The relation's case with the state the action is asked in; shares are of the identity
    /// (the part every case-reading role opens), and "referred" is referred.
    fn offered(role: Role, action: &str, relation: &str) -> bool {
        let mut scope = scope_of(Compartment::Identity, relation);
        let draft = action == "submit";
        // A decision is asked of a referred case, a draft's referral of a draft.
        scope.referred = (scope.referred || action == "decide") && !draft;
        let facts = CaseFacts { scope, draft, reconsideration_open: action == "reconsider", pending_stage: None };
        let a: CaseActions = case_actions(&actor(role), crate::OrganisationKind::CompetentAuthority, &facts);
        match action {
            "edit" => a.edit,
            "submit" => a.submit,
            "decide" => a.decide,
            "reconsider" => a.request_reconsideration,
            "share" => a.share,
            "history" => a.access_history,
            "support" => a.support,
            "assess" => a.assess,
            _ => a.refer,
        }
    }

    /// The relations of an organisation to a referral, as the referral table's columns.
    const REFERRAL_RELATIONS: &[&str] =
        &["sender, not sent yet", "sender, sent", "receiver, not sent yet", "receiver, sent", "neither"];

    fn sees_referral(role: Role, relation: &str) -> Option<crate::assist::referral::Side> {
        let (from, to, draft) = match relation {
            "sender, not sent yet" => ("mine", "theirs", true),
            "sender, sent" => ("mine", "theirs", false),
            "receiver, not sent yet" => ("theirs", "mine", true),
            "receiver, sent" => ("theirs", "mine", false),
            _ => ("theirs", "others", false),
        };
        referral_side(&actor(role), &ReferralScope { from_organisation_id: from, to_organisation_id: to, draft })
    }

    fn policy() -> String {
        let roles: Vec<Role> = Role::ALL.to_vec();
        let mut out = String::new();
        out.push_str(
            "# Who may do what\n\n\
             The authorisation policy, as `crates/domain/src/access.rs` decides it (deny by default). A test \
             builds these tables\nfrom the code and compares them with this file, so every change of the policy \
             shows here for review.\n\n## 1. Operations (route level)\n\nEvery route names one of these \
             operations; a user may use it if one of their roles (in force) allows it.\n\n",
        );
        out.push_str("| operation |");
        for r in &roles {
            out.push_str(&format!(" {} |", r.code()));
        }
        out.push_str("\n|---|");
        out.push_str(&"---|".repeat(roles.len()));
        out.push('\n');
        for (p, name) in permissions() {
            out.push_str(&format!("| {name} |"));
            for r in &roles {
                out.push_str(&format!(" {} |", mark(permission_allowed(&[*r], p))));
            }
            out.push('\n');
        }
        out.push_str(
            "\n## 2. Parts of a case (record level)\n\nAfter the route: may a user of one role, in one \
             organisation of Latvia, read or write a part of a case, by the case's relation to that \
             organisation? (\"Referred\": referred to the national referral mechanism; the decision makers \
             the country's procedure names read its identity.) A statistics reader never reads a person.\n\n",
        );
        for compartment in [Compartment::Identity, Compartment::Support, Compartment::Proceedings] {
            for action in [Action::Read, Action::Write] {
                out.push_str(&format!("### {} {}\n\n| role |", action.code(), compartment.code()));
                for rel in RELATIONS {
                    out.push_str(&format!(" {rel} |"));
                }
                out.push_str("\n|---|");
                out.push_str(&"---|".repeat(RELATIONS.len()));
                out.push('\n');
                for r in &roles {
                    out.push_str(&format!("| {} |", r.code()));
                    for rel in RELATIONS {
                        out.push_str(&format!(" {} |", mark(decide(*r, compartment, action, rel))));
                    }
                    out.push('\n');
                }
                out.push('\n');
            }
        }
        out.push_str(
            "## 3. Actions on a case (what a page offers)\n\nWhat the case page offers a user of one role, in one \
             organisation of Latvia, by the case's relation to that organisation (\"this part\" is the \
             identity, \"another part\" the support; a decision is asked of a referred case, a referral \
             of a draft). The page shows exactly these actions, and the use \
             cases behind them ask the same rules again.\n\n",
        );
        for (action, name) in ACTIONS {
            out.push_str(&format!("### {name}\n\n| role |"));
            for rel in RELATIONS {
                out.push_str(&format!(" {rel} |"));
            }
            out.push_str("\n|---|");
            out.push_str(&"---|".repeat(RELATIONS.len()));
            out.push('\n');
            for r in &roles {
                out.push_str(&format!("| {} |", r.code()));
                for rel in RELATIONS {
                    out.push_str(&format!(" {} |", mark(offered(*r, action, rel))));
                }
                out.push('\n');
            }
            out.push('\n');
        }
        out.push_str(
            "## 4. Referrals\n\nWho sees a referral, and on which side it acts: the sending organisation \
             always, the receiving one once it was sent.\n\n| role |",
        );
        for rel in REFERRAL_RELATIONS {
            out.push_str(&format!(" {rel} |"));
        }
        out.push_str("\n|---|");
        out.push_str(&"---|".repeat(REFERRAL_RELATIONS.len()));
        out.push('\n');
        for r in &roles {
            out.push_str(&format!("| {} |", r.code()));
            for rel in REFERRAL_RELATIONS {
                out.push_str(&format!(" {} |", sees_referral(*r, rel).map_or("–", |side| side.code())));
            }
            out.push('\n');
        }
        out.push_str(&investigations());
        out.push_str(&trainings());
        out.push_str(&victims_lawyer());
        out.push_str(&monitoring());
        out
    }

    /// Section 8: monitoring data (docs/monitoring.md), by whose record it is.
    fn monitoring() -> String {
        use crate::access::authorize_monitoring;
        const RECORDS: [&str; 3] = ["own jurisdiction's", "other country's", "the EU level's"];
        let mut out = String::from(
            "\n## 8. Monitoring data\n\nMay a user of one role read or record monitoring data (the transposition \
             tracker, strategies and action plans, GRETA rounds: docs/monitoring.md), by whose record it is? A \
             country records its national measures and action plans; the EU level records the Commission's \
             assessment, infringement steps and the EU strategy's actions.\n\n",
        );
        for (sits, jurisdiction) in [("in Latvia", country("LV")), ("at the EU level", Jurisdiction::EuropeanUnion)] {
            for (permission, name) in [(Permission::ReadMonitoring, "read"), (Permission::RecordMonitoring, "record")] {
                out.push_str(&format!("### {name}, a user {sits}\n\n| role |"));
                for c in RECORDS {
                    out.push_str(&format!(" {c} |"));
                }
                out.push_str("\n|---|");
                out.push_str(&"---|".repeat(RECORDS.len()));
                out.push('\n');
                for r in Role::ALL {
                    out.push_str(&format!("| {} |", r.code()));
                    let mut a = actor(*r);
                    a.jurisdiction = jurisdiction;
                    for c in RECORDS {
                        let record = match c {
                            "own jurisdiction's" => jurisdiction,
                            "other country's" => country("EE"),
                            _ => Jurisdiction::EuropeanUnion,
                        };
                        out.push_str(&format!(
                            " {} |",
                            mark(authorize_monitoring(&a, record, permission).is_allowed())
                        ));
                    }
                    out.push('\n');
                }
                if !(permission == Permission::RecordMonitoring && jurisdiction == Jurisdiction::EuropeanUnion) {
                    out.push('\n');
                }
            }
        }
        out
    }

    /// The victim's lawyer (Dir 2011/36 Art 12(2); Dir 2012/29 Art 20): which representation
    /// opens the victim's view, and which parts of the proceedings that view shows.
    fn victims_lawyer() -> String {
        use crate::access::{
            ProceedingsPart, ProceedingsView, RepresentationScope, represented_view, victims_view_shows,
        };
        use crate::case::CalendarDate;
        let day = |s: &str| CalendarDate::parse("d", s).unwrap_or_else(|e| panic!("{e}"));
        let today = day("2026-09-21");
        let representation = |lawyer: &str, revoked: Option<&str>| RepresentationScope {
            lawyer_user_id: lawyer.to_owned(),
            from: day("2026-09-01"),
            revoked_on: revoked.map(day),
        };
        let cases: [(&str, Vec<RepresentationScope>, &str); 5] = [
            ("represents the victim", vec![representation("u", None)], "LV"),
            ("representation revoked", vec![representation("u", Some("2026-09-10"))], "LV"),
            ("another lawyer represents the victim", vec![representation("other", None)], "LV"),
            ("no representation", vec![], "LV"),
            ("represents a victim of another country", vec![representation("u", None)], "EE"),
        ];
        let mut out = String::from(
            "\n## 7. The victim's lawyer\n\nWhat a user of one role, in an organisation of Latvia, reads as the \
             lawyer of the victim of a case (Dir 2011/36 Art 12(2); Dir 2012/29 Art 20): \"victim's view\" is \
             the victim's view of the proceedings the victim is linked to. A representation is recorded by the \
             case's caseworker or supervisor (\"record and revoke a victim's lawyer\" above).\n\n| role |",
        );
        for (rel, _, _) in &cases {
            out.push_str(&format!(" {rel} |"));
        }
        out.push_str("\n|---|");
        out.push_str(&"---|".repeat(cases.len()));
        out.push('\n');
        for r in Role::ALL {
            out.push_str(&format!("| {} |", r.code()));
            for (_, representations, c) in &cases {
                let case = CaseScope {
                    owner_organisation_id: "ngo".into(),
                    jurisdiction: country(c),
                    shares: vec![],
                    referred: false,
                };
                let view = match represented_view(&actor(*r), &case, representations, today) {
                    ProceedingsView::VictimsView => "victim's view",
                    ProceedingsView::Nothing => "–",
                    ProceedingsView::InvolvementOnly | ProceedingsView::Proceedings => "(not this question)",
                };
                out.push_str(&format!(" {view} |"));
            }
            out.push('\n');
        }
        out.push_str("\n### what the victim's view shows\n\n| part | shown |\n|---|---|\n");
        for part in ProceedingsPart::ALL {
            out.push_str(&format!("| {} | {} |\n", part.code(), mark(victims_view_shows(*part))));
        }
        out
    }

    /// Section 6: training records (Dir 2011/36 Art 18(3)), of one's own country only.
    fn trainings() -> String {
        use crate::access::authorize_trainings;
        const COUNTRIES: [&str; 3] = ["own country", "other country", "EU level"];
        let mut out = String::from(
            "\n## 6. Training records\n\nMay a user of one role, in an organisation of Latvia, record trainings \
             given against trafficking (Dir 2011/36 Art 18(3)) or read them and their summary per year and \
             audience (counts, never a person), of a country? The operation is granted by role, wherever the \
             user sits (a statistician of a national statistics office reads its own country's records); the EU \
             level keeps no training records (Dir 2011/36 Art 18(3)), so a rapporteur or statistician there is \
             refused, and the refusal names the jurisdiction.\n\n",
        );
        for (permission, name) in [(Permission::RecordTrainings, "record"), (Permission::ReadTrainings, "read")] {
            out.push_str(&format!("### {name}\n\n| role |"));
            for c in COUNTRIES {
                out.push_str(&format!(" {c} |"));
            }
            out.push_str("\n|---|");
            out.push_str(&"---|".repeat(COUNTRIES.len()));
            out.push('\n');
            for r in Role::ALL {
                out.push_str(&format!("| {} |", r.code()));
                for c in COUNTRIES {
                    let country = match c {
                        "own country" => country("LV"),
                        "other country" => country("EE"),
                        _ => Jurisdiction::EuropeanUnion,
                    };
                    out.push_str(&format!(
                        " {} |",
                        mark(authorize_trainings(&actor(*r), country, permission).is_allowed())
                    ));
                }
                out.push('\n');
            }
            if permission == Permission::RecordTrainings {
                out.push('\n');
            }
        }
        out
    }

    /// Section 5: investigations (the proceedings compartment), and what a reader of a case sees
    /// of its proceedings.
    fn investigations() -> String {
        use crate::access::{InvestigationScope, ProceedingsView, investigation_actions, proceedings_view};
        const RELATIONS: &[&str] = &[
            "investigating unit",
            "competent prosecutor's office",
            "other organisation, same country",
            "unit, other country",
        ];
        let scope = |relation: &str| InvestigationScope {
            unit_organisation_id: if relation == "investigating unit" || relation == "unit, other country" {
                "mine".into()
            } else {
                "theirs".into()
            },
            prosecutor_organisation_id: Some(
                if relation == "competent prosecutor's office" { "mine" } else { "prosecution" }.into(),
            ),
            jurisdiction: country(if relation == "unit, other country" { "EE" } else { "LV" }),
        };
        let mut out = String::from(
            "\n## 5. Investigations (proceedings)\n\nMay a user of one role, in one organisation of Latvia, read \
             or write an investigation, or decide on prosecution and on a non-punishment notice, by the \
             organisation's relation to the investigation? Support organisations never read proceedings.\n\n",
        );
        for (what, name) in [("read", "read"), ("write", "write"), ("prosecute", "decide on prosecution")] {
            out.push_str(&format!("### {name}\n\n| role |"));
            for rel in RELATIONS {
                out.push_str(&format!(" {rel} |"));
            }
            out.push_str("\n|---|");
            out.push_str(&"---|".repeat(RELATIONS.len()));
            out.push('\n');
            for r in Role::ALL {
                out.push_str(&format!("| {} |", r.code()));
                for rel in RELATIONS {
                    let a = investigation_actions(&actor(*r), &scope(rel));
                    let allowed = match what {
                        "read" => a.read,
                        "write" => a.write,
                        _ => a.prosecute,
                    };
                    out.push_str(&format!(" {} |", mark(allowed)));
                }
                out.push('\n');
            }
            out.push('\n');
        }
        out.push_str(
            "### what a case's reader sees of its proceedings\n\n\"involvement\": only \"involved in \
             proceedings: yes\"; \"proceedings\": the investigations it is linked to.\n\n| role |",
        );
        let case_relations = &RELATIONS_OF_CASES[..];
        for rel in case_relations {
            out.push_str(&format!(" {rel} |"));
        }
        out.push_str("\n|---|");
        out.push_str(&"---|".repeat(case_relations.len()));
        out.push('\n');
        for r in Role::ALL {
            out.push_str(&format!("| {} |", r.code()));
            for rel in case_relations {
                let view = match proceedings_view(&actor(*r), &scope_of(Compartment::Proceedings, rel)) {
                    ProceedingsView::Nothing => "–",
                    ProceedingsView::InvolvementOnly => "involvement",
                    ProceedingsView::Proceedings => "proceedings",
                    ProceedingsView::VictimsView => "victim's view",
                };
                out.push_str(&format!(" {view} |"));
            }
            out.push('\n');
        }
        out
    }

    /// The case relations of section 5's last table.
    const RELATIONS_OF_CASES: [&str; 3] =
        ["own organisation", "shared with it for this part", "other organisation, same country"];

    #[test]
    fn the_policy_file_is_what_the_code_decides() {
        let file = include_str!("../../../docs/policy.md");
        let code = policy();
        assert!(
            file == code,
            "docs/policy.md differs from what crates/domain/src/access.rs decides. If the change is meant, \
             review it and replace the file with:\n\n{code}"
        );
    }

    #[test]
    fn the_policy_denies_what_the_principles_forbid() {
        let code = policy();
        // Read from the generated table, not from the functions: the table is what a reviewer sees.
        let row = |name: &str| code.lines().find(|l| l.starts_with(&format!("| {name} |"))).unwrap_or("").to_owned();
        // Administrators and the data protection officer read no part of a case.
        for part in ["case: read identity", "case: read support", "case: read proceedings"] {
            let line = row(part);
            let cells: Vec<&str> = line.split('|').map(str::trim).collect();
            let roles: Vec<&str> = Role::ALL.iter().map(|r| r.code()).collect();
            for (i, role) in roles.iter().enumerate() {
                if matches!(*role, "administrator" | "auditor" | "rapporteur" | "statistician") {
                    assert_eq!(cells.get(i + 2), Some(&"–"), "{role} may {part}");
                }
            }
        }
        // Nobody reads a case of another country, whatever the role.
        for r in Role::ALL {
            for c in [Compartment::Identity, Compartment::Support, Compartment::Proceedings] {
                assert!(!decide(*r, c, Action::Read, "own organisation, other country"), "{r} {c}");
            }
        }
    }
}
