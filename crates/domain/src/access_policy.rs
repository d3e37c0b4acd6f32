//! The authorisation policy as a table a person can read and review: `docs/policy.md`. The test
//! below builds the table from the one authorisation place ([`crate::access`]) and compares it
//! with the file, so that a change of who may do what cannot land without a change of the file
//! (and a reviewer seeing it). On a difference it prints the table the code now gives.

#[cfg(test)]
mod tests {
    use crate::access::{Action, Actor, CaseScope, CaseShare, Compartment, Permission, authorize, permission_allowed};
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
                | OverrideReferralConsent => {}
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

    fn decide(role: Role, compartment: Compartment, action: Action, relation: &str) -> bool {
        let actor = Actor {
            user_id: "u".into(),
            organisation_id: "mine".into(),
            jurisdiction: country("LV"),
            roles: vec![role],
        };
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
        let scope =
            CaseScope { owner_organisation_id: owner.into(), jurisdiction: country(jurisdiction), shares, referred };
        authorize(&actor, &scope, compartment, action).is_allowed()
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
        out
    }

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
