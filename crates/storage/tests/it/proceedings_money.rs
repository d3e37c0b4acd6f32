//! Money in criminal proceedings: assets with their measures (one confiscation order each),
//! realised proceeds allocated to compensation claims never beyond what was realised, payouts
//! never beyond the allocation, the financial investigation's versions and items, and joint
//! teams linking investigations of two countries. Every write is audited.

use crate::proceedings::{investigation_row, suspect_row};
use crate::support::{T0, TestStore, World, case, event, organisation, person, seed};
use haven_domain::OrganisationKind;
use haven_domain::audit::AuditAction;
use haven_storage::{
    AllocationRow, AssetMeasureRow, AssetRow, FinancialInvestigationRow, FinancialItemRow, InvestigationRow,
    JointTeamLinkRow, JointTeamRow, SupportRecordRow,
};

contract_tests!(
    art_7_dir_an_asset_is_confiscated_once_and_its_measures_kept_in_order,
    art_7_dir_allocations_never_exceed_what_was_realised_nor_payouts_the_allocation,
    a_financial_investigation_is_saved_at_its_versions_with_its_items,
    a_joint_team_links_investigations_of_two_countries_once_each,
);

fn written() -> haven_domain::audit::AuditEvent {
    event(AuditAction::ProceedingsWritten)
}

fn asset_row(id: &str, w: &World) -> AssetRow {
    AssetRow {
        id: id.into(),
        investigation_id: "inv-1".into(),
        suspect_id: Some("sus-1".into()),
        kind: "real_estate".into(),
        held_in: "LV".into(),
        value_euro_cents: 12_000_000,
        record: vec![0x7E; 40],
        created_by: w.officer.id.clone(),
        created_at: T0 + 300,
    }
}

fn measure_row(id: &str, kind: &str, on: &str, amount: Option<i64>, w: &World) -> AssetMeasureRow {
    AssetMeasureRow {
        id: id.into(),
        asset_id: "ast-1".into(),
        investigation_id: "inv-1".into(),
        kind: kind.into(),
        measure_on: on.into(),
        amount_euro_cents: amount,
        record: vec![0x3C; 32],
        created_by: w.officer.id.clone(),
        created_at: T0 + 310,
    }
}

/// What an award leaves unpaid, large enough to hold back no allocation.
const ROOM: i64 = i64::MAX / 2;

fn allocation_row(id: &str, amount: i64, w: &World) -> AllocationRow {
    AllocationRow {
        id: id.into(),
        asset_id: "ast-1".into(),
        investigation_id: "inv-1".into(),
        claim_id: "claim-1".into(),
        case_id: "case-1".into(),
        amount_euro_cents: amount,
        allocated_on: "2026-05-01".into(),
        paid_out_euro_cents: 0,
        paid_out_on: None,
        version: 1,
        created_by: w.officer.id.clone(),
        created_at: T0 + 400,
        updated_by: w.officer.id.clone(),
        updated_at: T0 + 400,
    }
}

/// An investigation with a suspect, a victim's case with a compensation claim, an asset.
async fn setup(t: &TestStore, w: &World) {
    let c = case("case-1", "LV-2026-0001", &w.ngo.id, &w.caseworker.id, "LV", T0);
    t.store.create_case(&c, &person("case-1", 1), &event(AuditAction::CaseCreated)).await.unwrap();
    t.store.create_investigation(&investigation_row("inv-1", w, None), &written()).await.unwrap();
    t.store.add_suspect(&suspect_row("sus-1", "inv-1", w, None), None, &written()).await.unwrap();
    claim_and_asset(t, w).await;
}

/// A compensation claim on case-1 and an asset of inv-1 (of suspect sus-1).
async fn claim_and_asset(t: &TestStore, w: &World) {
    let claim = SupportRecordRow {
        id: "claim-1".into(),
        case_id: "case-1".into(),
        kind: "compensation_claim".into(),
        status: "awarded".into(),
        body: b"sealed claim".to_vec(),
        version: 1,
        created_by: w.caseworker.id.clone(),
        created_at: T0,
        updated_by: w.caseworker.id.clone(),
        updated_at: T0,
    };
    t.store.add_support_record(&claim, &event(AuditAction::SupportRecordAdded)).await.unwrap();
    t.store.add_asset(&asset_row("ast-1", w), &written()).await.unwrap();
}

/// Fills every table of this module (for the backup round trip), on the investigation inv-1
/// with its suspect sus-1 and the case case-1 the proceedings' and cases' fixtures leave.
pub(crate) async fn fill_money(t: &TestStore, w: &World) {
    claim_and_asset(t, w).await;
    for (id, kind, on, amount) in [
        ("msr-1", "freezing", "2026-01-10", None),
        ("msr-2", "confiscation_order", "2026-03-01", None),
        ("msr-3", "realisation", "2026-04-01", Some(5_000_000)),
    ] {
        assert!(t.store.add_asset_measure(&measure_row(id, kind, on, amount, w), &written()).await.unwrap());
    }
    let paid = AllocationRow {
        version: 2,
        paid_out_euro_cents: 100,
        paid_out_on: Some("2026-05-02".into()),
        ..allocation_row("alc-1", 1_000, w)
    };
    assert!(t.store.allocate_proceeds(&allocation_row("alc-1", 1_000, w), ROOM, &written()).await.unwrap());
    assert!(t.store.record_payout(&paid, &written()).await.unwrap());
    let fin = FinancialInvestigationRow {
        investigation_id: "inv-1".into(),
        status: "not_opened".into(),
        since: "2026-03-02".into(),
        reasons: Some(vec![0x11; 20]),
        version: 1,
        updated_by: w.officer.id.clone(),
        updated_at: T0 + 500,
    };
    assert!(t.store.save_financial_investigation(&fin, &written()).await.unwrap());
    let item = FinancialItemRow {
        id: "fit-1".into(),
        investigation_id: "inv-1".into(),
        kind: "account".into(),
        body: vec![0x22; 30],
        created_by: w.officer.id.clone(),
        created_at: T0 + 510,
    };
    t.store.add_financial_item(&item, &written()).await.unwrap();
    let (team, link) = team_rows("jit-1", "inv-1", w);
    t.store.create_joint_team(&team, &link, &written()).await.unwrap();
}

fn team_rows(id: &str, investigation_id: &str, w: &World) -> (JointTeamRow, JointTeamLinkRow) {
    (
        JointTeamRow {
            id: id.into(),
            record: vec![0x44; 50],
            version: 1,
            created_by: w.officer.id.clone(),
            created_at: T0 + 600,
            updated_by: w.officer.id.clone(),
            updated_at: T0 + 600,
        },
        JointTeamLinkRow {
            team_id: id.into(),
            investigation_id: investigation_id.into(),
            jurisdiction: "LV".into(),
            linked_by: w.officer.id.clone(),
            linked_at: T0 + 600,
        },
    )
}

async fn audited(t: &TestStore) -> i64 {
    t.store.count_unchecked("SELECT COUNT(*) FROM audit_log WHERE action = 'proceedings_written'").await.unwrap()
}

async fn art_7_dir_an_asset_is_confiscated_once_and_its_measures_kept_in_order(t: TestStore) {
    let w = seed(&t).await;
    setup(&t, &w).await;
    assert_eq!(t.store.assets("inv-1").await.unwrap(), vec![asset_row("ast-1", &w)]);
    assert!(t.store.assets("inv-2").await.unwrap().is_empty());
    let before = audited(&t).await;
    let order = measure_row("msr-2", "confiscation_order", "2026-03-01", None, &w);
    assert!(
        t.store.add_asset_measure(&measure_row("msr-1", "seizure", "2026-01-10", None, &w), &written()).await.unwrap()
    );
    assert!(t.store.add_asset_measure(&order, &written()).await.unwrap());
    // A second confiscation order of the same asset is not written.
    let again = measure_row("msr-3", "confiscation_order", "2026-03-05", None, &w);
    assert!(!t.store.add_asset_measure(&again, &written()).await.unwrap());
    let kinds: Vec<String> = t.store.asset_measures("inv-1").await.unwrap().into_iter().map(|m| m.kind).collect();
    assert_eq!(kinds, vec!["seizure", "confiscation_order"]);
    assert_eq!(audited(&t).await - before, 3, "every attempt is an audited transaction");
    // An unknown kind is refused by the schema.
    let odd = measure_row("msr-4", "auction", "2026-03-05", None, &w);
    assert!(t.store.add_asset_measure(&odd, &written()).await.is_err());
}

async fn art_7_dir_allocations_never_exceed_what_was_realised_nor_payouts_the_allocation(t: TestStore) {
    let w = seed(&t).await;
    setup(&t, &w).await;
    // Nothing realised: nothing may be allocated.
    assert!(!t.store.allocate_proceeds(&allocation_row("alc-0", 1, &w), ROOM, &written()).await.unwrap());
    t.store
        .add_asset_measure(&measure_row("msr-1", "confiscation_order", "2026-03-01", None, &w), &written())
        .await
        .unwrap();
    t.store
        .add_asset_measure(&measure_row("msr-2", "realisation", "2026-04-01", Some(5_000_000), &w), &written())
        .await
        .unwrap();
    assert!(t.store.allocate_proceeds(&allocation_row("alc-1", 3_000_000, &w), ROOM, &written()).await.unwrap());
    // An allocation to a claim that does not exist is refused by the schema.
    let mut ghost = allocation_row("alc-3", 1, &w);
    ghost.claim_id = "claim-9".into();
    assert!(t.store.allocate_proceeds(&ghost, ROOM, &written()).await.is_err());
    assert!(!t.store.allocate_proceeds(&allocation_row("alc-2", 2_000_001, &w), ROOM, &written()).await.unwrap());
    // Within what was realised but beyond what the award leaves (3,000,000 allocated and not
    // yet paid out, of a room of 4,999,999): refused in the same statement.
    assert!(!t.store.allocate_proceeds(&allocation_row("alc-2", 2_000_000, &w), 4_999_999, &written()).await.unwrap());
    assert!(t.store.allocate_proceeds(&allocation_row("alc-2", 2_000_000, &w), 5_000_000, &written()).await.unwrap());
    let rows = t.store.allocations("inv-1").await.unwrap();
    assert_eq!(rows.len(), 2);
    assert_eq!(rows[0], allocation_row("alc-1", 3_000_000, &w));
    // Payouts: at the next version, never above the allocation.
    let paid = AllocationRow {
        paid_out_euro_cents: 3_000_000,
        paid_out_on: Some("2026-05-10".into()),
        version: 2,
        ..rows[0].clone()
    };
    assert!(t.store.record_payout(&paid, &written()).await.unwrap());
    assert!(!t.store.record_payout(&paid, &written()).await.unwrap(), "a stale version");
    let over = AllocationRow { paid_out_euro_cents: 3_000_001, version: 3, ..paid.clone() };
    assert!(!t.store.record_payout(&over, &written()).await.unwrap());
    assert_eq!(t.store.allocations("inv-1").await.unwrap()[0], paid);
    // The claim is found by id with its case and kind; an unknown one is not.
    let facts = t.store.claim_record_facts("claim-1").await.unwrap().unwrap();
    assert_eq!((facts.case_id.as_str(), facts.kind.as_str()), ("case-1", "compensation_claim"));
    assert_eq!(t.store.claim_record_facts("claim-9").await.unwrap(), None);
}

async fn a_financial_investigation_is_saved_at_its_versions_with_its_items(t: TestStore) {
    let w = seed(&t).await;
    setup(&t, &w).await;
    assert_eq!(t.store.financial_investigation("inv-1").await.unwrap(), None, "runs by default, unrecorded");
    let first = FinancialInvestigationRow {
        investigation_id: "inv-1".into(),
        status: "not_opened".into(),
        since: "2026-03-02".into(),
        reasons: Some(vec![0x11; 20]),
        version: 1,
        updated_by: w.officer.id.clone(),
        updated_at: T0 + 500,
    };
    assert!(t.store.save_financial_investigation(&first, &written()).await.unwrap());
    assert!(!t.store.save_financial_investigation(&first, &written()).await.unwrap(), "created once");
    // Not opened without reasons is refused by the schema.
    let bare = FinancialInvestigationRow { reasons: None, version: 2, ..first.clone() };
    assert!(t.store.save_financial_investigation(&bare, &written()).await.is_err());
    let reopened = FinancialInvestigationRow { status: "open".into(), reasons: None, version: 2, ..first.clone() };
    assert!(t.store.save_financial_investigation(&reopened, &written()).await.unwrap());
    assert!(!t.store.save_financial_investigation(&reopened, &written()).await.unwrap(), "a stale version");
    assert_eq!(t.store.financial_investigation("inv-1").await.unwrap(), Some(reopened));
    for (i, kind) in ["account", "transfer", "business", "property", "finding"].iter().enumerate() {
        let item = FinancialItemRow {
            id: format!("fit-{i}"),
            investigation_id: "inv-1".into(),
            kind: (*kind).into(),
            body: vec![u8::try_from(i).unwrap(); 8],
            created_by: w.officer.id.clone(),
            created_at: T0 + 510 + i64::try_from(i).unwrap(),
        };
        t.store.add_financial_item(&item, &written()).await.unwrap();
    }
    let kinds: Vec<String> = t.store.financial_items("inv-1").await.unwrap().into_iter().map(|i| i.kind).collect();
    assert_eq!(kinds, vec!["account", "transfer", "business", "property", "finding"]);
}

async fn a_joint_team_links_investigations_of_two_countries_once_each(t: TestStore) {
    let w = seed(&t).await;
    setup(&t, &w).await;
    let ee_police = organisation("org-ee-police", "Police and Border Guard Board", OrganisationKind::Police, "EE");
    t.store.create_organisation(&ee_police, &event(AuditAction::OrganisationCreated)).await.unwrap();
    let ee_inv = InvestigationRow {
        jurisdiction: "EE".into(),
        unit_organisation_id: ee_police.id.clone(),
        ..investigation_row("inv-ee", &w, None)
    };
    t.store.create_investigation(&ee_inv, &written()).await.unwrap();
    let (team, link) = team_rows("jit-1", "inv-1", &w);
    t.store.create_joint_team(&team, &link, &written()).await.unwrap();
    let ee_link = JointTeamLinkRow {
        investigation_id: "inv-ee".into(),
        jurisdiction: "EE".into(),
        linked_at: T0 + 700,
        ..link.clone()
    };
    assert!(t.store.link_joint_team(&ee_link, &written()).await.unwrap());
    assert!(!t.store.link_joint_team(&ee_link, &written()).await.unwrap(), "linked once");
    assert_eq!(t.store.joint_team_links("jit-1").await.unwrap(), vec![link, ee_link]);
    assert_eq!(t.store.joint_teams_of_organisation("LV", &w.police.id).await.unwrap(), vec!["jit-1".to_owned()]);
    assert_eq!(t.store.joint_teams_of_organisation("EE", &ee_police.id).await.unwrap(), vec!["jit-1".to_owned()]);
    assert!(t.store.joint_teams_of_organisation("LV", &w.ngo.id).await.unwrap().is_empty());
    let next = JointTeamRow { record: vec![0x45; 50], version: 2, ..team.clone() };
    assert!(t.store.update_joint_team(&next, &written()).await.unwrap());
    assert!(!t.store.update_joint_team(&next, &written()).await.unwrap(), "a stale version");
    assert_eq!(t.store.joint_team("jit-1").await.unwrap(), Some(next));
    assert_eq!(t.store.joint_team("jit-9").await.unwrap(), None);
}
