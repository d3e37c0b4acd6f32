//! Criminal proceedings: investigations with optimistic versions, victims linked by case id,
//! suspects kept with the non-punishment notice they raise in one transaction, immutable
//! records, and a notice decided once.

use crate::support::{T0, TestStore, World, case, event, organisation, person, seed};
use haven_domain::OrganisationKind;
use haven_domain::audit::AuditAction;
use haven_storage::{InvestigationRow, InvestigationVictimRow, NoticeRow, ProceedingsRecordRow, SuspectRow};

contract_tests!(
    an_investigation_is_opened_listed_for_its_unit_and_prosecutor_and_updated_at_its_version,
    art_9_1_dir_victims_are_linked_by_case_id_once_and_show_only_as_involvement,
    art_8_dir_a_suspect_is_kept_with_its_notice_on_every_path,
    art_8_dir_a_notice_is_decided_once,
    records_are_kept_in_order_and_every_write_is_audited,
);

pub(crate) fn investigation_row(id: &str, w: &World, prosecutor: Option<&str>) -> InvestigationRow {
    InvestigationRow {
        id: id.into(),
        jurisdiction: "LV".into(),
        unit_organisation_id: w.police.id.clone(),
        prosecutor_organisation_id: prosecutor.map(str::to_owned),
        opened_on: "2026-03-02".into(),
        opening: "report".into(),
        status: "open".into(),
        status_since: "2026-03-02".into(),
        record: vec![0xA5; 48],
        version: 1,
        created_by: w.officer.id.clone(),
        created_at: T0 + 100,
        updated_by: w.officer.id.clone(),
        updated_at: T0 + 100,
    }
}

pub(crate) fn suspect_row(id: &str, investigation_id: &str, w: &World, case_id: Option<&str>) -> SuspectRow {
    SuspectRow {
        id: id.into(),
        investigation_id: investigation_id.into(),
        kind: "natural".into(),
        name: vec![0x5A; 24],
        case_id: case_id.map(str::to_owned),
        roles: "recruiter,exploiter".into(),
        criminal_organisation: true,
        public_official: false,
        citizenship: Some("LV".into()),
        sex: Some("male".into()),
        age_group: Some("35_44".into()),
        liability: None,
        created_by: w.officer.id.clone(),
        created_at: T0 + 110,
    }
}

pub(crate) fn notice_row(id: &str, investigation_id: &str, suspect_id: &str, case_id: &str, path: &str) -> NoticeRow {
    NoticeRow {
        id: id.into(),
        investigation_id: investigation_id.into(),
        suspect_id: suspect_id.into(),
        case_id: case_id.into(),
        standing: "presumed".into(),
        path: path.into(),
        raised_on: "2026-03-05".into(),
        outcome: None,
        reasons: None,
        decided_by: None,
        decided_on: None,
    }
}

fn written() -> haven_domain::audit::AuditEvent {
    event(AuditAction::ProceedingsWritten)
}

/// A prosecutor's office of Latvia, and an open investigation of the police with it.
async fn prosecution(t: &TestStore, w: &World) -> String {
    let org = organisation("org-lv-prosecution", "Prosecutor General's Office", OrganisationKind::Prosecution, "LV");
    t.store.create_organisation(&org, &event(AuditAction::OrganisationCreated)).await.unwrap();
    t.store.create_investigation(&investigation_row("inv-1", w, Some(&org.id)), &written()).await.unwrap();
    org.id
}

/// Fills every proceedings table (for the backup round trip): an investigation with a linked
/// victim, a suspect with a decided notice and a legal person, and each kind of record.
pub(crate) async fn fill_proceedings(t: &TestStore, w: &World) {
    prosecution(t, w).await;
    t.store
        .link_investigation_victim(
            &InvestigationVictimRow {
                investigation_id: "inv-1".into(),
                case_id: "case-2".into(),
                linked_on: "2026-03-03".into(),
                linked_by: w.officer.id.clone(),
                linked_at: T0 + 120,
            },
            &written(),
        )
        .await
        .unwrap();
    let notice = notice_row("npn-1", "inv-1", "sus-1", "case-3", "new_suspect");
    t.store.add_suspect(&suspect_row("sus-1", "inv-1", w, Some("case-3")), Some(&notice), &written()).await.unwrap();
    let company = SuspectRow {
        kind: "legal".into(),
        case_id: None,
        sex: None,
        age_group: None,
        citizenship: None,
        liability: Some("leading_position".into()),
        criminal_organisation: false,
        ..suspect_row("sus-2", "inv-1", w, None)
    };
    t.store.add_suspect(&company, None, &written()).await.unwrap();
    let decided = NoticeRow {
        outcome: Some("not_compelled".into()),
        reasons: Some(vec![0x33; 20]),
        decided_by: Some(w.officer.id.clone()),
        decided_on: Some("2026-03-20".into()),
        ..notice
    };
    assert!(t.store.decide_notice(&decided, &written()).await.unwrap());
    for (i, kind) in ["charge", "prosecution_decision", "judgment", "appeal"].iter().enumerate() {
        let row = ProceedingsRecordRow {
            id: format!("prc-{i}"),
            investigation_id: "inv-1".into(),
            suspect_id: "sus-1".into(),
            kind: (*kind).into(),
            body: vec![u8::try_from(i).unwrap(); 16],
            recorded_on: format!("2026-04-0{}", i + 1),
            created_by: w.officer.id.clone(),
            created_at: T0 + 200 + i64::try_from(i).unwrap(),
        };
        t.store.add_proceedings_record(&row, &written()).await.unwrap();
    }
}

async fn cases(t: &TestStore, w: &World, n: u8) {
    for i in 0..n {
        let id = format!("case-{i}");
        let c = case(&id, &format!("LV-2026-{i:04}"), &w.ngo.id, &w.caseworker.id, "LV", T0 + i64::from(i));
        t.store.create_case(&c, &person(&id, i), &event(AuditAction::CaseCreated)).await.unwrap();
    }
}

async fn an_investigation_is_opened_listed_for_its_unit_and_prosecutor_and_updated_at_its_version(t: TestStore) {
    let w = seed(&t).await;
    let prosecutor = prosecution(&t, &w).await;
    let row = t.store.investigation("inv-1").await.unwrap().unwrap();
    assert_eq!(row, investigation_row("inv-1", &w, Some(&prosecutor)));
    assert_eq!(t.store.investigations_of_organisation("LV", &w.police.id).await.unwrap(), vec![row.clone()]);
    assert_eq!(t.store.investigations_of_organisation("LV", &prosecutor).await.unwrap(), vec![row.clone()]);
    assert!(t.store.investigations_of_organisation("LV", &w.ngo.id).await.unwrap().is_empty());
    assert!(t.store.investigations_of_organisation("EE", &w.police.id).await.unwrap().is_empty());
    let next =
        InvestigationRow { status: "with_prosecutor".into(), status_since: "2026-05-01".into(), version: 2, ..row };
    assert!(t.store.update_investigation(&next, &written()).await.unwrap());
    // A second writer at the same version loses and writes nothing.
    let stale = InvestigationRow { status: "closed".into(), ..next.clone() };
    assert!(!t.store.update_investigation(&stale, &written()).await.unwrap());
    assert_eq!(t.store.investigation("inv-1").await.unwrap(), Some(next));
    assert_eq!(t.store.investigation("inv-9").await.unwrap(), None);
}

async fn art_9_1_dir_victims_are_linked_by_case_id_once_and_show_only_as_involvement(t: TestStore) {
    let w = seed(&t).await;
    cases(&t, &w, 3).await;
    prosecution(&t, &w).await;
    assert!(!t.store.case_involved_in_proceedings("case-1").await.unwrap());
    let link = InvestigationVictimRow {
        investigation_id: "inv-1".into(),
        case_id: "case-1".into(),
        linked_on: "2026-03-03".into(),
        linked_by: w.officer.id.clone(),
        linked_at: T0 + 120,
    };
    assert!(t.store.link_investigation_victim(&link, &written()).await.unwrap());
    assert!(!t.store.link_investigation_victim(&link, &written()).await.unwrap(), "linked once");
    assert_eq!(t.store.investigation_victims("inv-1").await.unwrap(), vec![link]);
    assert!(t.store.case_involved_in_proceedings("case-1").await.unwrap());
    assert!(!t.store.case_involved_in_proceedings("case-2").await.unwrap());
    // A link, never a copy: no value of the person is in the proceedings tables.
    let copied = t.store.count_unchecked("SELECT COUNT(*) FROM investigation_victims WHERE case_id = 'case-1'").await;
    assert_eq!(copied.unwrap(), 1);
    // A case that does not exist cannot be linked.
    let ghost = InvestigationVictimRow {
        case_id: "case-404".into(),
        ..t.store.investigation_victims("inv-1").await.unwrap()[0].clone()
    };
    assert!(t.store.link_investigation_victim(&ghost, &written()).await.is_err());
}

async fn art_8_dir_a_suspect_is_kept_with_its_notice_on_every_path(t: TestStore) {
    let w = seed(&t).await;
    cases(&t, &w, 3).await;
    prosecution(&t, &w).await;
    // New suspect: the suspect and the notice together.
    let notice = notice_row("npn-1", "inv-1", "sus-1", "case-1", "new_suspect");
    t.store.add_suspect(&suspect_row("sus-1", "inv-1", &w, Some("case-1")), Some(&notice), &written()).await.unwrap();
    // A linked person: the link and the notice together.
    t.store.add_suspect(&suspect_row("sus-2", "inv-1", &w, None), None, &written()).await.unwrap();
    let linked = notice_row("npn-2", "inv-1", "sus-2", "case-2", "linked_person");
    assert!(t.store.link_suspect_case("sus-2", "case-2", Some(&linked), &written()).await.unwrap());
    assert!(!t.store.link_suspect_case("sus-404", "case-2", Some(&linked), &written()).await.unwrap());
    assert_eq!(t.store.notices("inv-1").await.unwrap(), vec![notice, linked]);
    let suspects = t.store.suspects("inv-1").await.unwrap();
    assert_eq!(suspects.iter().map(|s| s.case_id.as_deref()).collect::<Vec<_>>(), vec![Some("case-1"), Some("case-2")]);
    assert!(t.store.case_involved_in_proceedings("case-2").await.unwrap());
    // A notice that cannot be kept keeps no suspect either (one transaction).
    let broken = notice_row("npn-1", "inv-1", "sus-3", "case-0", "import");
    assert!(
        t.store
            .add_suspect(&suspect_row("sus-3", "inv-1", &w, Some("case-0")), Some(&broken), &written())
            .await
            .is_err()
    );
    assert_eq!(t.store.suspects("inv-1").await.unwrap().len(), 2);
}

async fn art_8_dir_a_notice_is_decided_once(t: TestStore) {
    let w = seed(&t).await;
    cases(&t, &w, 3).await;
    prosecution(&t, &w).await;
    let notice = notice_row("npn-1", "inv-1", "sus-1", "case-1", "new_suspect");
    t.store.add_suspect(&suspect_row("sus-1", "inv-1", &w, Some("case-1")), Some(&notice), &written()).await.unwrap();
    let decided = NoticeRow {
        outcome: Some("not_prosecuted".into()),
        reasons: Some(vec![1, 2, 3]),
        decided_by: Some(w.officer.id.clone()),
        decided_on: Some("2026-03-06".into()),
        ..notice.clone()
    };
    assert!(t.store.decide_notice(&decided, &written()).await.unwrap());
    let again = NoticeRow { outcome: Some("not_compelled".into()), ..decided.clone() };
    assert!(!t.store.decide_notice(&again, &written()).await.unwrap(), "decided once");
    assert_eq!(t.store.notices("inv-1").await.unwrap(), vec![decided]);
    assert!(t.store.decide_notice(&notice, &written()).await.is_err(), "a decision without its parts");
}

async fn records_are_kept_in_order_and_every_write_is_audited(t: TestStore) {
    let w = seed(&t).await;
    cases(&t, &w, 4).await;
    let before = t.store.audit_head().await.unwrap().map_or(0, |h| h.seq);
    fill_proceedings(&t, &w).await;
    let records = t.store.proceedings_records("inv-1").await.unwrap();
    assert_eq!(
        records.iter().map(|r| r.kind.as_str()).collect::<Vec<_>>(),
        vec!["charge", "prosecution_decision", "judgment", "appeal"]
    );
    // Organisation, investigation, victim, two suspects (one with its notice), the decision,
    // four records: nine audited writes besides the organisation.
    let after = t.store.audit_head().await.unwrap().map_or(0, |h| h.seq);
    assert_eq!(after - before, 10);
    let actions = t.store.audit_entries(before, 100).await.unwrap();
    assert_eq!(actions.iter().filter(|e| e.event.action == AuditAction::ProceedingsWritten).count(), 9);
}
