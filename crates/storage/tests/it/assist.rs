//! Assistance: assessments with review, support plans and support records with optimistic
//! versions, providers with live capacity, referrals that hold places and transfer cases, and
//! backups of all of it.

use crate::support::{T0, TestStore, World, assert_conflict, assert_not_found, case, event, person, seed};
use haven_domain::access::{CaseShare, Compartment};
use haven_domain::audit::{AuditAction, AuditEvent};
use haven_storage::{
    AssessmentRow, PlaceChange, PlanItemRow, ProviderRow, ProviderServiceRow, ReferralChange, ReferralEventRow,
    ReferralRow, StorageError, SupportRecordRow,
};
use serde_json::Value;
use std::sync::Arc;
use tokio::sync::Barrier;

contract_tests!(
    the_last_bed_goes_to_one_new_referral,
    three_beds_for_eight_new_referrals,
    the_last_bed_goes_to_one_sent_draft,
    three_beds_for_eight_sent_drafts,
    unlimited_capacity_never_refuses,
    a_refused_place_writes_nothing,
    declining_and_withdrawing_release_the_place,
    occupancy_never_goes_below_zero,
    only_a_held_place_is_released_and_only_once_held,
    capacity_below_occupancy_is_a_conflict,
    a_service_in_use_cannot_be_removed,
    provider_edits_race_with_referrals,
    stale_referral_changes_conflict_and_write_nothing,
    concurrent_changes_at_one_version,
    a_transfer_moves_the_owner_and_keeps_a_share,
    a_transfer_without_a_share_keeps_nothing,
    assessments_come_in_order_and_are_reviewed_once,
    concurrent_reviews_of_one_version,
    plan_items_are_versioned,
    support_records_are_versioned,
    receivers_never_see_drafts,
    backup_and_restore_carry_assistance,
);

const BEDS: &str = "safe_accommodation";
const COUNSELLING: &str = "counselling";
const CASE: &str = "case-1";

// ------------------------------------------------------------------------------- fixtures

fn on(action: AuditAction, kind: &str, id: &str) -> AuditEvent {
    event(action).on(kind, id, None)
}

fn on_referral(action: AuditAction, id: &str) -> AuditEvent {
    on(action, "referral", id)
}

/// The seeded world with two cases owned by the police.
async fn setup(t: &TestStore) -> World {
    let w = seed(t).await;
    for (i, id) in ["case-1", "case-2"].into_iter().enumerate() {
        let c = case(id, &format!("LV-2026-{:04}", i + 1), &w.police.id, &w.officer.id, "LV", T0 + i as i64);
        t.store.create_case(&c, &person(id, i as u8), &on(AuditAction::CaseCreated, "case", id)).await.unwrap();
    }
    w
}

fn provider(id: &str, organisation_id: Option<&str>, w: &World) -> ProviderRow {
    ProviderRow {
        id: id.into(),
        jurisdiction: "LV".into(),
        organisation_id: organisation_id.map(str::to_owned),
        name: format!("Provider {id}"),
        record: r#"{"languages":["lv","ru"],"regions":["riga"]}"#.into(),
        version: 1,
        updated_by: w.caseworker.id.clone(),
        updated_at: T0,
    }
}

fn services(list: &[(&str, Option<i64>)]) -> Vec<(String, Option<i64>)> {
    list.iter().map(|(s, c)| ((*s).to_owned(), *c)).collect()
}

/// Creates provider `id` of the NGO with these services.
async fn new_provider(t: &TestStore, w: &World, id: &str, list: &[(&str, Option<i64>)]) {
    t.store
        .put_provider(
            &provider(id, Some(&w.ngo.id), w),
            &services(list),
            None,
            &on(AuditAction::ProviderSaved, "provider", id),
        )
        .await
        .unwrap();
}

/// Replaces provider `id` (at `version`) with these services.
async fn edit_provider(
    t: &TestStore,
    w: &World,
    id: &str,
    version: i64,
    list: &[(&str, Option<i64>)],
) -> haven_storage::Result<()> {
    let row = ProviderRow { version: version + 1, updated_at: T0 + version, ..provider(id, Some(&w.ngo.id), w) };
    t.store.put_provider(&row, &services(list), Some(version), &on(AuditAction::ProviderSaved, "provider", id)).await
}

async fn service_row(t: &TestStore, provider_id: &str, service: &str) -> Option<ProviderServiceRow> {
    t.store
        .provider_services("LV")
        .await
        .unwrap()
        .into_iter()
        .find(|s| s.provider_id == provider_id && s.service == service)
}

async fn occupied(t: &TestStore, provider_id: &str, service: &str) -> i64 {
    service_row(t, provider_id, service).await.expect("provider service").occupied
}

/// A referral of case-1 from the police to the NGO's provider prov-1, at version 1.
fn referral(id: &str, state: &str, holds_place: bool, w: &World) -> ReferralRow {
    ReferralRow {
        id: id.into(),
        case_id: CASE.into(),
        kind: "service".into(),
        service: Some(BEDS.into()),
        from_organisation_id: w.police.id.clone(),
        to_organisation_id: w.ngo.id.clone(),
        provider_id: Some("prov-1".into()),
        state: state.into(),
        urgent: 1,
        consent_basis: "consent".into(),
        consent: format!("sealed consent of {id}").into_bytes(),
        shared_fields: "given_names,languages,needs".into(),
        shared: format!("sealed snapshot of {id}").into_bytes(),
        message: Some(vec![0, 1, 255]),
        holds_place: i64::from(holds_place),
        due_on: Some("2026-01-04".into()),
        version: 1,
        created_by: w.officer.id.clone(),
        created_at: T0,
        updated_by: w.officer.id.clone(),
        updated_at: T0,
    }
}

fn ref_event(referral_id: &str, seq: i64, state: &str, by_user: &str, by_organisation: &str) -> ReferralEventRow {
    ReferralEventRow {
        referral_id: referral_id.into(),
        seq,
        state: state.into(),
        note: Some(format!("sealed note {seq} of {referral_id}").into_bytes()),
        by_user: by_user.into(),
        by_organisation: by_organisation.into(),
        at: T0 + seq,
    }
}

/// Creates `row` with its first event (by the officer).
async fn create(t: &TestStore, row: &ReferralRow) -> haven_storage::Result<()> {
    let ev = ref_event(&row.id, 1, &row.state, &row.created_by, &row.from_organisation_id);
    t.store.create_referral(row, &ev, &on_referral(AuditAction::ReferralCreated, &row.id)).await
}

#[allow(clippy::too_many_arguments)]
fn change<'a>(
    id: &'a str,
    expected_version: i64,
    state: &'a str,
    place: PlaceChange,
    holds_place: bool,
    event: &'a ReferralEventRow,
    by: &'a str,
) -> ReferralChange<'a> {
    ReferralChange {
        id,
        expected_version,
        state,
        due_on: None,
        holds_place,
        place,
        event,
        transfer_to: None,
        at: event.at,
        by,
    }
}

/// Changes referral `id` from `version` to `state` (event `version + 1`, by the user given).
async fn move_to(
    t: &TestStore,
    id: &str,
    version: i64,
    state: &str,
    place: PlaceChange,
    holds_place: bool,
    by: (&str, &str),
) -> haven_storage::Result<()> {
    let ev = ref_event(id, version + 1, state, by.0, by.1);
    let ch = change(id, version, state, place, holds_place, &ev, by.0);
    t.store.change_referral(&ch, &on_referral(AuditAction::ReferralChanged, id)).await
}

#[track_caller]
fn assert_no_free_place<T: std::fmt::Debug>(r: haven_storage::Result<T>) {
    match r {
        Err(StorageError::NoFreePlace) => {}
        other => panic!("expected no free place, got {other:?}"),
    }
}

/// The rows of one table in a dump.
fn dumped(dump: &[u8], table: &str) -> Vec<Value> {
    std::str::from_utf8(dump)
        .unwrap()
        .lines()
        .skip(1)
        .map(|l| serde_json::from_str::<Value>(l).unwrap())
        .filter(|v| v["t"] == table)
        .map(|v| v["r"].clone())
        .collect()
}

// ---------------------------------------------------------------------------- the last bed

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Race {
    /// Each task creates a referral sent at once, holding a place.
    Create,
    /// Each task sends a draft of its own, taking a place.
    Send,
}

/// `tasks` referrals, each from its own task, want a place of a service with `capacity`:
/// exactly `capacity` get one, the others get NoFreePlace and leave nothing behind.
async fn race_for_places(t: TestStore, capacity: Option<i64>, tasks: usize, how: Race) {
    let w = setup(&t).await;
    new_provider(&t, &w, "prov-1", &[(BEDS, capacity), (COUNSELLING, Some(1))]).await;
    if how == Race::Send {
        for i in 0..tasks {
            create(&t, &referral(&format!("ref-{i}"), "draft", false, &w)).await.unwrap();
        }
    }
    let seq = t.head_seq().await;
    let barrier = Arc::new(Barrier::new(tasks));
    let mut handles = Vec::new();
    for i in 0..tasks {
        let store = t.store.clone();
        let barrier = barrier.clone();
        let id = format!("ref-{i}");
        let at = T0 + 100 + i as i64;
        let row = ReferralRow { created_at: at, updated_at: at, ..referral(&id, "sent", true, &w) };
        let first = if how == Race::Create { 1 } else { 2 };
        let ev = ReferralEventRow { at, ..ref_event(&id, first, "sent", &w.officer.id, &w.police.id) };
        let officer = w.officer.id.clone();
        handles.push(tokio::spawn(async move {
            barrier.wait().await;
            store.ping().await.unwrap();
            barrier.wait().await;
            let r = match how {
                Race::Create => {
                    let audit = on_referral(AuditAction::ReferralCreated, &id).detail(format!("task={i}"));
                    store.create_referral(&row, &ev, &audit).await
                }
                Race::Send => {
                    let audit = on_referral(AuditAction::ReferralChanged, &id).detail(format!("task={i}"));
                    let ch = ReferralChange {
                        due_on: Some("2026-01-04"),
                        ..change(&id, 1, "sent", PlaceChange::Hold, true, &ev, &officer)
                    };
                    store.change_referral(&ch, &audit).await
                }
            };
            (i, r)
        }));
    }
    let mut winners = Vec::new();
    for h in handles {
        match h.await.unwrap() {
            (i, Ok(())) => winners.push(i),
            (_, Err(StorageError::NoFreePlace)) => {}
            (i, Err(e)) => panic!("task {i}: expected a place or NoFreePlace, got {e:?}"),
        }
    }
    winners.sort_unstable();
    let expected = capacity.map_or(tasks, |c| c as usize);
    assert_eq!(winners.len(), expected, "winners: {winners:?}");
    let beds = service_row(&t, "prov-1", BEDS).await.unwrap();
    assert_eq!(
        beds,
        ProviderServiceRow { provider_id: "prov-1".into(), service: BEDS.into(), capacity, occupied: expected as i64 }
    );
    assert_eq!(occupied(&t, "prov-1", COUNSELLING).await, 0, "another service's places were taken");

    for i in 0..tasks {
        let id = format!("ref-{i}");
        let won = winners.contains(&i);
        let audited = t.store.audit_for_target("referral", &id, 10).await.unwrap();
        let events = t.store.referral_events(&id).await.unwrap();
        match (how, won) {
            (Race::Create, true) => {
                assert_eq!(t.store.referral(&id).await.unwrap().holds_place, 1);
                assert_eq!(events.len(), 1);
                assert_eq!(audited.len(), 1);
            }
            (Race::Create, false) => {
                assert_not_found(t.store.referral(&id).await);
                assert!(events.is_empty(), "a refused referral left events: {events:?}");
                assert!(audited.is_empty(), "a refused referral was audited");
            }
            (Race::Send, true) => {
                let r = t.store.referral(&id).await.unwrap();
                assert_eq!((r.state.as_str(), r.version, r.holds_place), ("sent", 2, 1));
                assert_eq!(events.iter().map(|e| e.state.as_str()).collect::<Vec<_>>(), ["draft", "sent"]);
                assert_eq!(audited.len(), 2);
            }
            (Race::Send, false) => {
                let r = t.store.referral(&id).await.unwrap();
                assert_eq!(r, referral(&id, "draft", false, &w), "a refused send changed the draft");
                assert_eq!(events.len(), 1, "a refused send left an event");
                assert_eq!(audited.len(), 1, "a refused send was audited");
            }
        }
    }
    let held = t.store.referrals_of_case(CASE).await.unwrap().iter().filter(|r| r.holds_place == 1).count();
    assert_eq!(held, expected, "referrals holding a place");
    let entries = t.store.audit_entries(seq, 100).await.unwrap();
    let mut details: Vec<String> = entries.iter().map(|e| e.event.detail.clone().unwrap()).collect();
    details.sort();
    let mut expected_details: Vec<String> = winners.iter().map(|i| format!("task={i}")).collect();
    expected_details.sort();
    assert_eq!(details, expected_details, "only the winners were audited");
    t.assert_chain(seq as u64 + expected as u64).await;
}

async fn the_last_bed_goes_to_one_new_referral(t: TestStore) {
    race_for_places(t, Some(1), 8, Race::Create).await;
}

async fn three_beds_for_eight_new_referrals(t: TestStore) {
    race_for_places(t, Some(3), 8, Race::Create).await;
}

async fn the_last_bed_goes_to_one_sent_draft(t: TestStore) {
    race_for_places(t, Some(1), 8, Race::Send).await;
}

async fn three_beds_for_eight_sent_drafts(t: TestStore) {
    race_for_places(t, Some(3), 8, Race::Send).await;
}

async fn unlimited_capacity_never_refuses(t: TestStore) {
    let sibling = t.sibling().await;
    race_for_places(t, None, 8, Race::Create).await;
    race_for_places(sibling, None, 8, Race::Send).await;
}

async fn a_refused_place_writes_nothing(t: TestStore) {
    let w = setup(&t).await;
    let officer = (w.officer.id.as_str(), w.police.id.as_str());
    new_provider(&t, &w, "prov-1", &[(BEDS, Some(1)), (COUNSELLING, Some(0))]).await;
    new_provider(&t, &w, "prov-2", &[(COUNSELLING, Some(5))]).await;
    create(&t, &referral("ref-1", "sent", true, &w)).await.unwrap();
    create(&t, &referral("ref-2", "draft", false, &w)).await.unwrap();
    let at_prov_2 =
        |row: ReferralRow| ReferralRow { provider_id: Some("prov-2".into()), service: Some(COUNSELLING.into()), ..row };
    create(&t, &at_prov_2(referral("ref-4", "draft", false, &w))).await.unwrap();
    let before = t.dump().await;
    let seq = t.head_seq().await;

    // The bed is taken.
    assert_no_free_place(create(&t, &referral("ref-3", "sent", true, &w)).await);
    assert_no_free_place(move_to(&t, "ref-2", 1, "sent", PlaceChange::Hold, true, officer).await);
    // A service without places, one the provider does not offer, no service, no provider.
    let wanting = |service: Option<&str>, provider: Option<&str>| ReferralRow {
        service: service.map(str::to_owned),
        provider_id: provider.map(str::to_owned),
        ..referral("ref-3", "sent", true, &w)
    };
    assert_no_free_place(create(&t, &wanting(Some(COUNSELLING), Some("prov-1"))).await);
    assert_no_free_place(create(&t, &wanting(Some("legal_aid"), Some("prov-1"))).await);
    assert_no_free_place(create(&t, &wanting(None, Some("prov-1"))).await);
    assert_no_free_place(create(&t, &wanting(Some(BEDS), None)).await);
    assert_no_free_place(create(&t, &wanting(Some(BEDS), Some("prov-nowhere"))).await);

    // prov-2 has places: each of these takes one and then fails later in the transaction; the
    // place must go back with the rest.
    let free = at_prov_2(referral("ref-3", "sent", true, &w));
    let no_case = ReferralRow { case_id: "case-9".into(), ..free.clone() };
    assert_conflict(create(&t, &no_case).await);
    let nobody = ref_event("ref-3", 1, "sent", "usr-nobody", &w.police.id);
    assert_conflict(t.store.create_referral(&free, &nobody, &on_referral(AuditAction::ReferralCreated, "ref-3")).await);
    let duplicate = ReferralRow { id: "ref-1".into(), ..free.clone() };
    assert_conflict(create(&t, &duplicate).await);
    let nobody = ref_event("ref-4", 2, "sent", "usr-nobody", &w.police.id);
    let ch = change("ref-4", 1, "sent", PlaceChange::Hold, true, &nobody, &w.officer.id);
    assert_conflict(t.store.change_referral(&ch, &on_referral(AuditAction::ReferralChanged, "ref-4")).await);
    // An event number already used.
    let again = ref_event("ref-4", 1, "sent", &w.officer.id, &w.police.id);
    let ch = change("ref-4", 1, "sent", PlaceChange::Hold, true, &again, &w.officer.id);
    assert_conflict(t.store.change_referral(&ch, &on_referral(AuditAction::ReferralChanged, "ref-4")).await);
    // Without the audit key nothing is written either, not even the place.
    let ok_event = ref_event("ref-3", 1, "sent", &w.officer.id, &w.police.id);
    let r = t.unsigned.create_referral(&free, &ok_event, &on_referral(AuditAction::ReferralCreated, "ref-3")).await;
    assert!(matches!(r, Err(StorageError::NoAuditSigner)), "{r:?}");
    let ok_event = ref_event("ref-4", 2, "sent", &w.officer.id, &w.police.id);
    let ch = change("ref-4", 1, "sent", PlaceChange::Hold, true, &ok_event, &w.officer.id);
    let r = t.unsigned.change_referral(&ch, &on_referral(AuditAction::ReferralChanged, "ref-4")).await;
    assert!(matches!(r, Err(StorageError::NoAuditSigner)), "{r:?}");

    assert_eq!(occupied(&t, "prov-2", COUNSELLING).await, 0, "a refused referral kept its place");
    assert_eq!(t.dump().await, before, "a refused referral left something behind");
    assert_eq!(t.head_seq().await, seq, "a refused referral was audited");
    t.assert_chain(seq as u64).await;
    // And the good ones still go through.
    create(&t, &free).await.unwrap();
    t.store.change_referral(&ch, &on_referral(AuditAction::ReferralChanged, "ref-4")).await.unwrap();
    assert_eq!(occupied(&t, "prov-2", COUNSELLING).await, 2);
    t.assert_chain(seq as u64 + 2).await;
}

// ---------------------------------------------------------------------------------- release

async fn declining_and_withdrawing_release_the_place(t: TestStore) {
    let w = setup(&t).await;
    let officer = (w.officer.id.as_str(), w.police.id.as_str());
    let caseworker = (w.caseworker.id.as_str(), w.ngo.id.as_str());
    new_provider(&t, &w, "prov-1", &[(BEDS, Some(1))]).await;
    create(&t, &referral("ref-1", "sent", true, &w)).await.unwrap();
    assert_eq!(occupied(&t, "prov-1", BEDS).await, 1);
    assert_no_free_place(create(&t, &referral("ref-2", "sent", true, &w)).await);

    // Declined: the bed is free again.
    move_to(&t, "ref-1", 1, "declined", PlaceChange::Release, false, caseworker).await.unwrap();
    assert_eq!(occupied(&t, "prov-1", BEDS).await, 0);
    let r1 = t.store.referral("ref-1").await.unwrap();
    assert_eq!((r1.state.as_str(), r1.holds_place, r1.version), ("declined", 0, 2));
    assert_eq!(r1.updated_by, w.caseworker.id);

    // The next referral gets it, keeps it while accepted, and frees it when withdrawn.
    create(&t, &referral("ref-2", "sent", true, &w)).await.unwrap();
    assert_no_free_place(create(&t, &referral("ref-3", "sent", true, &w)).await);
    move_to(&t, "ref-2", 1, "accepted", PlaceChange::None, true, caseworker).await.unwrap();
    assert_eq!(occupied(&t, "prov-1", BEDS).await, 1);
    move_to(&t, "ref-2", 2, "withdrawn", PlaceChange::Release, false, officer).await.unwrap();
    assert_eq!(occupied(&t, "prov-1", BEDS).await, 0);
    let states: Vec<String> = t.store.referral_events("ref-2").await.unwrap().into_iter().map(|e| e.state).collect();
    assert_eq!(states, ["sent", "accepted", "withdrawn"]);

    // A draft takes the bed when sent and frees it when completed.
    create(&t, &referral("ref-3", "draft", false, &w)).await.unwrap();
    assert_eq!(occupied(&t, "prov-1", BEDS).await, 0, "a draft holds no place");
    move_to(&t, "ref-3", 1, "sent", PlaceChange::Hold, true, officer).await.unwrap();
    assert_eq!(occupied(&t, "prov-1", BEDS).await, 1);
    move_to(&t, "ref-3", 2, "accepted", PlaceChange::None, true, caseworker).await.unwrap();
    move_to(&t, "ref-3", 3, "in_progress", PlaceChange::None, true, caseworker).await.unwrap();
    assert_eq!(occupied(&t, "prov-1", BEDS).await, 1);
    move_to(&t, "ref-3", 4, "completed", PlaceChange::Release, false, caseworker).await.unwrap();
    assert_eq!(occupied(&t, "prov-1", BEDS).await, 0);
    assert_eq!(t.store.referral("ref-3").await.unwrap().version, 5);
    t.assert_chain(t.head_seq().await as u64).await;
}

async fn occupancy_never_goes_below_zero(t: TestStore) {
    let w = setup(&t).await;
    let caseworker = (w.caseworker.id.as_str(), w.ngo.id.as_str());
    new_provider(&t, &w, "prov-1", &[(BEDS, Some(2))]).await;
    create(&t, &referral("ref-1", "sent", true, &w)).await.unwrap();
    create(&t, &referral("ref-2", "sent", true, &w)).await.unwrap();
    // The count was reset behind the application's back (a repair by hand): releasing the
    // places still ends the referrals, and the count stays at 0.
    t.store.execute_unchecked("UPDATE provider_services SET occupied = 0").await.unwrap();
    move_to(&t, "ref-1", 1, "declined", PlaceChange::Release, false, caseworker).await.unwrap();
    move_to(&t, "ref-2", 1, "declined", PlaceChange::Release, false, caseworker).await.unwrap();
    assert_eq!(occupied(&t, "prov-1", BEDS).await, 0);
    assert_eq!(t.store.referral("ref-2").await.unwrap().state, "declined");
    // And the schema itself refuses a negative count or one above the capacity.
    assert!(t.store.execute_unchecked("UPDATE provider_services SET occupied = -1").await.is_err());
    assert!(t.store.execute_unchecked("UPDATE provider_services SET occupied = 3").await.is_err());
    assert_eq!(occupied(&t, "prov-1", BEDS).await, 0);
}

/// The places in use stay the number of referrals holding one: a release frees only a place
/// the referral holds, a hold takes one only for a referral holding none, and the stored flag
/// follows the place change.
async fn only_a_held_place_is_released_and_only_once_held(t: TestStore) {
    let w = setup(&t).await;
    let officer = (w.officer.id.as_str(), w.police.id.as_str());
    let caseworker = (w.caseworker.id.as_str(), w.ngo.id.as_str());
    new_provider(&t, &w, "prov-1", &[(BEDS, Some(3))]).await;
    create(&t, &referral("ref-1", "sent", true, &w)).await.unwrap();
    create(&t, &referral("ref-2", "draft", false, &w)).await.unwrap();
    create(&t, &referral("ref-3", "draft", false, &w)).await.unwrap();
    let before = t.dump().await;

    // Withdrawing a draft that holds nothing must not free ref-1's bed.
    assert_conflict(move_to(&t, "ref-2", 1, "withdrawn", PlaceChange::Release, false, officer).await);
    // Accepting with a second hold must not take a second bed for ref-1.
    assert_conflict(move_to(&t, "ref-1", 1, "accepted", PlaceChange::Hold, true, caseworker).await);
    // Declining without releasing would keep the bed taken for good.
    assert_conflict(move_to(&t, "ref-1", 1, "declined", PlaceChange::None, false, caseworker).await);
    // Taking a bed while recording that none is held, or the other way round.
    assert_conflict(move_to(&t, "ref-3", 1, "sent", PlaceChange::Hold, false, officer).await);
    assert_conflict(move_to(&t, "ref-3", 1, "sent", PlaceChange::None, true, officer).await);
    assert_eq!(t.dump().await, before, "a refused change wrote something");
    assert_eq!(occupied(&t, "prov-1", BEDS).await, 1);

    // The consistent changes go through.
    move_to(&t, "ref-2", 1, "withdrawn", PlaceChange::None, false, officer).await.unwrap();
    move_to(&t, "ref-3", 1, "sent", PlaceChange::Hold, true, officer).await.unwrap();
    move_to(&t, "ref-1", 1, "declined", PlaceChange::Release, false, caseworker).await.unwrap();
    assert_eq!(occupied(&t, "prov-1", BEDS).await, 1);
    let holding: Vec<String> = t
        .store
        .referrals_of_case(CASE)
        .await
        .unwrap()
        .into_iter()
        .filter(|r| r.holds_place == 1)
        .map(|r| r.id)
        .collect();
    assert_eq!(holding, ["ref-3"]);
    // A referral holds a place or does not: the schema knows no third value.
    let odd = ReferralRow { holds_place: 2, ..referral("ref-4", "draft", false, &w) };
    assert!(create(&t, &odd).await.is_err(), "holds_place = 2 was accepted");
}

// -------------------------------------------------------------------------------- providers

async fn capacity_below_occupancy_is_a_conflict(t: TestStore) {
    let w = setup(&t).await;
    new_provider(&t, &w, "prov-1", &[(BEDS, Some(3)), (COUNSELLING, None)]).await;
    create(&t, &referral("ref-1", "sent", true, &w)).await.unwrap();
    create(&t, &referral("ref-2", "sent", true, &w)).await.unwrap();
    let before = t.dump().await;
    let seq = t.head_seq().await;

    assert_conflict(edit_provider(&t, &w, "prov-1", 1, &[(BEDS, Some(1)), (COUNSELLING, None)]).await);
    // Also when the same edit adds a service or changes another: all or nothing.
    assert_conflict(
        edit_provider(&t, &w, "prov-1", 1, &[(COUNSELLING, Some(9)), ("legal_aid", None), (BEDS, Some(0))]).await,
    );
    assert_eq!(t.dump().await, before, "a refused capacity changed something");
    assert_eq!(t.head_seq().await, seq);
    assert_eq!(t.store.provider("prov-1").await.unwrap(), provider("prov-1", Some(&w.ngo.id), &w));

    // Down to exactly the places in use.
    edit_provider(&t, &w, "prov-1", 1, &[(BEDS, Some(2)), (COUNSELLING, None)]).await.unwrap();
    let beds = service_row(&t, "prov-1", BEDS).await.unwrap();
    assert_eq!((beds.capacity, beds.occupied), (Some(2), 2), "the occupancy survives an edit");
    assert_eq!(t.store.provider("prov-1").await.unwrap().version, 2);
    assert_no_free_place(create(&t, &referral("ref-3", "sent", true, &w)).await);
    // A stale edit.
    assert_conflict(edit_provider(&t, &w, "prov-1", 1, &[(BEDS, None)]).await);
    // Unlimited, then limited again below the new occupancy.
    edit_provider(&t, &w, "prov-1", 2, &[(BEDS, None), (COUNSELLING, Some(0))]).await.unwrap();
    create(&t, &referral("ref-3", "sent", true, &w)).await.unwrap();
    assert_eq!(occupied(&t, "prov-1", BEDS).await, 3);
    let before = t.dump().await;
    assert_conflict(edit_provider(&t, &w, "prov-1", 3, &[(BEDS, Some(2)), (COUNSELLING, Some(0))]).await);
    assert_eq!(t.dump().await, before);
    // A second provider with the id of the first.
    assert_conflict(
        t.store
            .put_provider(
                &provider("prov-1", None, &w),
                &[],
                None,
                &on(AuditAction::ProviderSaved, "provider", "prov-1"),
            )
            .await,
    );
    assert_eq!(t.dump().await, before);
}

async fn a_service_in_use_cannot_be_removed(t: TestStore) {
    let w = setup(&t).await;
    let caseworker = (w.caseworker.id.as_str(), w.ngo.id.as_str());
    new_provider(&t, &w, "prov-1", &[(BEDS, Some(2)), (COUNSELLING, None)]).await;
    create(&t, &referral("ref-1", "sent", true, &w)).await.unwrap();
    let before = t.dump().await;
    assert_conflict(edit_provider(&t, &w, "prov-1", 1, &[(COUNSELLING, None)]).await);
    assert_conflict(edit_provider(&t, &w, "prov-1", 1, &[]).await);
    assert_eq!(t.dump().await, before, "a refused removal changed something");

    // The unused service can go.
    edit_provider(&t, &w, "prov-1", 1, &[(BEDS, Some(2))]).await.unwrap();
    let listed: Vec<String> = t.store.provider_services("LV").await.unwrap().into_iter().map(|s| s.service).collect();
    assert_eq!(listed, [BEDS]);
    // And the other once its place is released.
    move_to(&t, "ref-1", 1, "declined", PlaceChange::Release, false, caseworker).await.unwrap();
    edit_provider(&t, &w, "prov-1", 2, &[]).await.unwrap();
    assert!(t.store.provider_services("LV").await.unwrap().is_empty());
    assert_no_free_place(create(&t, &referral("ref-2", "sent", true, &w)).await);
}

/// A provider edit that removes a service or lowers its capacity while referrals take its
/// places: the edit is refused as a conflict or the referrals are, never both half-way.
async fn provider_edits_race_with_referrals(t: TestStore) {
    const ROUNDS: usize = 16;
    const TAKERS: usize = 4;
    let w = setup(&t).await;
    for round in 0..ROUNDS {
        let prov = format!("prov-r{round}");
        new_provider(&t, &w, &prov, &[(BEDS, Some(4))]).await;
        let remove = round % 2 == 0;
        let barrier = Arc::new(Barrier::new(TAKERS + 1));
        let mut takers = Vec::new();
        for i in 0..TAKERS {
            let store = t.store.clone();
            let barrier = barrier.clone();
            let id = format!("ref-r{round}-{i}");
            let row = ReferralRow { provider_id: Some(prov.clone()), ..referral(&id, "sent", true, &w) };
            let ev = ref_event(&id, 1, "sent", &w.officer.id, &w.police.id);
            takers.push(tokio::spawn(async move {
                barrier.wait().await;
                store.create_referral(&row, &ev, &on_referral(AuditAction::ReferralCreated, &id)).await
            }));
        }
        let editor = {
            let store = t.store.clone();
            let barrier = barrier.clone();
            let row = ProviderRow { version: 2, ..provider(&prov, Some(&w.ngo.id), &w) };
            let list = if remove { vec![] } else { services(&[(BEDS, Some(1))]) };
            tokio::spawn(async move {
                barrier.wait().await;
                store.put_provider(&row, &list, Some(1), &on(AuditAction::ProviderSaved, "provider", &row.id)).await
            })
        };
        let mut taken = 0;
        for h in takers {
            match h.await.unwrap() {
                Ok(()) => taken += 1,
                Err(StorageError::NoFreePlace) => {}
                Err(e) => panic!("round {round}: a referral failed with {e:?}"),
            }
        }
        let edited = match editor.await.unwrap() {
            Ok(()) => true,
            Err(StorageError::Conflict(_)) => false,
            Err(e) => panic!("round {round}: the edit failed with {e:?}"),
        };
        let row = service_row(&t, &prov, BEDS).await;
        match (remove, edited) {
            (true, true) => {
                assert_eq!(row, None);
                assert_eq!(taken, 0, "round {round}: the service was removed while {taken} places were in use");
            }
            (false, true) => {
                let row = row.unwrap();
                assert_eq!((row.capacity, row.occupied), (Some(1), taken), "round {round}");
                assert!(taken <= 1, "round {round}: {taken} places under a capacity of 1");
            }
            (_, false) => {
                let row = row.unwrap();
                assert_eq!((row.capacity, row.occupied), (Some(4), taken), "round {round}");
            }
        }
        let holding = t
            .store
            .referrals_of_case(CASE)
            .await
            .unwrap()
            .into_iter()
            .filter(|r| r.provider_id.as_deref() == Some(prov.as_str()) && r.holds_place == 1)
            .count() as i64;
        assert_eq!(holding, taken, "round {round}");
    }
}

// ----------------------------------------------------------------------- optimistic versions

async fn stale_referral_changes_conflict_and_write_nothing(t: TestStore) {
    let w = setup(&t).await;
    let officer = (w.officer.id.as_str(), w.police.id.as_str());
    let caseworker = (w.caseworker.id.as_str(), w.ngo.id.as_str());
    new_provider(&t, &w, "prov-1", &[(BEDS, Some(2))]).await;
    create(&t, &referral("ref-1", "sent", true, &w)).await.unwrap();
    create(&t, &referral("ref-2", "draft", false, &w)).await.unwrap();
    // A follow-up moves each to version 2.
    for id in ["ref-1", "ref-2"] {
        let ev = ReferralEventRow { note: None, ..ref_event(id, 2, "sent", &w.officer.id, &w.police.id) };
        t.store
            .follow_up_referral(id, 1, Some("2026-01-20"), &ev, &on_referral(AuditAction::ReferralChanged, id))
            .await
            .unwrap();
    }
    let r1 = t.store.referral("ref-1").await.unwrap();
    assert_eq!((r1.version, r1.due_on.as_deref(), r1.updated_at), (2, Some("2026-01-20"), T0 + 2));
    let before = t.dump().await;
    let seq = t.head_seq().await;

    assert_conflict(move_to(&t, "ref-1", 1, "declined", PlaceChange::Release, false, caseworker).await);
    assert_conflict(move_to(&t, "ref-1", 3, "declined", PlaceChange::Release, false, caseworker).await);
    assert_conflict(move_to(&t, "ref-2", 1, "sent", PlaceChange::Hold, true, officer).await);
    let ev = ref_event("ref-1", 3, "sent", &w.officer.id, &w.police.id);
    assert_conflict(
        t.store.follow_up_referral("ref-1", 1, None, &ev, &on_referral(AuditAction::ReferralChanged, "ref-1")).await,
    );
    let transfer = ref_event("ref-1", 3, "accepted", &w.caseworker.id, &w.ngo.id);
    let ch = ReferralChange {
        transfer_to: Some((&w.ngo.id, "identity")),
        ..change("ref-1", 1, "accepted", PlaceChange::None, true, &transfer, &w.caseworker.id)
    };
    assert_conflict(t.store.change_referral(&ch, &on_referral(AuditAction::ReferralChanged, "ref-1")).await);
    assert_not_found(move_to(&t, "ref-9", 1, "declined", PlaceChange::Release, false, caseworker).await);

    assert_eq!(t.dump().await, before, "a stale change wrote something");
    assert_eq!(t.head_seq().await, seq, "a stale change was audited");
    assert_eq!(occupied(&t, "prov-1", BEDS).await, 1);
    assert_eq!(t.store.case(CASE).await.unwrap().owner_organisation_id, w.police.id);
    assert_eq!(t.store.referral_events("ref-1").await.unwrap().len(), 2);

    // At the current version it goes through.
    move_to(&t, "ref-1", 2, "declined", PlaceChange::Release, false, caseworker).await.unwrap();
    assert_eq!(occupied(&t, "prov-1", BEDS).await, 0);
    let events = t.store.referral_events("ref-1").await.unwrap();
    assert_eq!(
        events.iter().map(|e| (e.seq, e.state.as_str())).collect::<Vec<_>>(),
        [(1, "sent"), (2, "sent"), (3, "declined")]
    );
    assert_eq!(events[1].note, None);
    t.assert_chain(seq as u64 + 1).await;
}

async fn concurrent_changes_at_one_version(t: TestStore) {
    const TASKS: usize = 8;
    let w = setup(&t).await;
    new_provider(&t, &w, "prov-1", &[(BEDS, Some(1))]).await;
    new_provider(&t, &w, "prov-2", &[(BEDS, Some(TASKS as i64))]).await;
    create(&t, &referral("ref-1", "sent", true, &w)).await.unwrap();
    create(&t, &ReferralRow { provider_id: Some("prov-2".into()), ..referral("ref-2", "draft", false, &w) })
        .await
        .unwrap();

    // ref-1, sent and holding the last bed: half the tasks decline it (releasing the bed), half
    // accept it (keeping it). ref-2, a draft: every task sends it, taking a bed.
    for id in ["ref-1", "ref-2"] {
        let seq = t.head_seq().await;
        let barrier = Arc::new(Barrier::new(TASKS));
        let mut handles = Vec::new();
        for i in 0..TASKS {
            let store = t.store.clone();
            let barrier = barrier.clone();
            let (state, place, holds, user, org) = match (id, i % 2) {
                ("ref-1", 0) => ("declined", PlaceChange::Release, false, &w.caseworker.id, &w.ngo.id),
                ("ref-1", _) => ("accepted", PlaceChange::None, true, &w.caseworker.id, &w.ngo.id),
                _ => ("sent", PlaceChange::Hold, true, &w.officer.id, &w.police.id),
            };
            let ev =
                ReferralEventRow { note: Some(format!("task {i}").into_bytes()), ..ref_event(id, 2, state, user, org) };
            let user = user.clone();
            handles.push(tokio::spawn(async move {
                barrier.wait().await;
                store.ping().await.unwrap();
                barrier.wait().await;
                let ch = change(id, 1, state, place, holds, &ev, &user);
                let audit = on_referral(AuditAction::ReferralChanged, id).detail(format!("task={i}"));
                (i, store.change_referral(&ch, &audit).await)
            }));
        }
        let mut winners = Vec::new();
        for h in handles {
            match h.await.unwrap() {
                (i, Ok(())) => winners.push(i),
                (_, Err(StorageError::Conflict(_))) => {}
                (i, Err(e)) => panic!("{id}, task {i}: expected success or a conflict, got {e:?}"),
            }
        }
        assert_eq!(winners.len(), 1, "{id}: winners {winners:?}");
        let winner = winners[0];
        let stored = t.store.referral(id).await.unwrap();
        let events = t.store.referral_events(id).await.unwrap();
        assert_eq!(stored.version, 2);
        assert_eq!(events.len(), 2);
        assert_eq!(events[1].note, Some(format!("task {winner}").into_bytes()), "{id}: not the winner's event");
        assert_eq!(events[1].state, stored.state);
        match id {
            "ref-1" => {
                let declined = winner % 2 == 0;
                assert_eq!(stored.state, if declined { "declined" } else { "accepted" });
                assert_eq!(stored.holds_place, i64::from(!declined));
                assert_eq!(occupied(&t, "prov-1", BEDS).await, i64::from(!declined), "ref-1: the bed");
            }
            _ => {
                assert_eq!((stored.state.as_str(), stored.holds_place), ("sent", 1));
                assert_eq!(occupied(&t, "prov-2", BEDS).await, 1, "ref-2: one send took more than one bed");
            }
        }
        let entries = t.store.audit_entries(seq, 100).await.unwrap();
        assert_eq!(entries.len(), 1, "{id}");
        assert_eq!(entries[0].event.detail, Some(format!("task={winner}")));
        t.assert_chain(seq as u64 + 1).await;
    }
}

// -------------------------------------------------------------------------------- transfers

/// A transfer of `case_id` from the police to the NGO, sent, at version 1.
fn transfer(id: &str, case_id: &str, w: &World) -> ReferralRow {
    ReferralRow {
        case_id: case_id.into(),
        kind: "transfer".into(),
        service: None,
        provider_id: None,
        ..referral(id, "sent", false, w)
    }
}

async fn accept_transfer(t: &TestStore, w: &World, id: &str, sender_keeps: &str) -> haven_storage::Result<()> {
    let ev = ref_event(id, 2, "accepted", &w.caseworker.id, &w.ngo.id);
    let ch = ReferralChange {
        transfer_to: Some((&w.ngo.id, sender_keeps)),
        ..change(id, 1, "accepted", PlaceChange::None, false, &ev, &w.caseworker.id)
    };
    t.store.change_referral(&ch, &on_referral(AuditAction::CaseTransferred, id)).await
}

async fn a_transfer_moves_the_owner_and_keeps_a_share(t: TestStore) {
    let w = setup(&t).await;
    // Before the transfer the NGO and the shelter have shares of their own.
    for (org, compartments) in [(&w.ngo.id, &[Compartment::Support][..]), (&w.shelter.id, &[Compartment::Support][..])]
    {
        t.store
            .share_case(CASE, org, compartments, &w.officer.id, T0, &on(AuditAction::CaseShared, "case", CASE))
            .await
            .unwrap();
    }
    create(&t, &transfer("ref-1", CASE, &w)).await.unwrap();
    let seq = t.head_seq().await;
    accept_transfer(&t, &w, "ref-1", "identity").await.unwrap();

    let c = t.store.case(CASE).await.unwrap();
    assert_eq!(c.owner_organisation_id, w.ngo.id, "the receiver owns the case");
    assert_eq!(
        c.shares,
        [
            CaseShare { organisation_id: w.shelter.id.clone(), compartments: vec![Compartment::Support] },
            CaseShare { organisation_id: w.police.id.clone(), compartments: vec![Compartment::Identity] },
        ]
    );
    let visible = |org: String| {
        let store = t.store.clone();
        async move { store.cases_visible_to(&org, 10, 0).await.unwrap().into_iter().map(|c| c.id).collect::<Vec<_>>() }
    };
    assert_eq!(visible(w.ngo.id.clone()).await, [CASE]);
    assert_eq!(visible(w.police.id.clone()).await, ["case-2", CASE]);
    // The other case did not move.
    assert_eq!(t.store.case("case-2").await.unwrap().owner_organisation_id, w.police.id);
    let r = t.store.referral("ref-1").await.unwrap();
    assert_eq!((r.state.as_str(), r.version), ("accepted", 2));
    assert_eq!(t.head_seq().await, seq + 1);
    let entries = t.store.audit_entries(seq, 10).await.unwrap();
    assert_eq!(entries[0].event.action, AuditAction::CaseTransferred);
    t.assert_chain(seq as u64 + 1).await;

    // Accepting again (a stale retry) moves nothing back or forth.
    let before = t.dump().await;
    assert_conflict(accept_transfer(&t, &w, "ref-1", "identity,support").await);
    assert_eq!(t.dump().await, before);
}

async fn a_transfer_without_a_share_keeps_nothing(t: TestStore) {
    let w = setup(&t).await;
    create(&t, &transfer("ref-2", "case-2", &w)).await.unwrap();
    accept_transfer(&t, &w, "ref-2", "").await.unwrap();
    let c = t.store.case("case-2").await.unwrap();
    assert_eq!(c.owner_organisation_id, w.ngo.id);
    assert!(c.shares.is_empty(), "the sender kept a share: {:?}", c.shares);
    let police: Vec<String> =
        t.store.cases_visible_to(&w.police.id, 10, 0).await.unwrap().into_iter().map(|c| c.id).collect();
    assert_eq!(police, [CASE], "the sender still sees the transferred case");
    assert!(dumped(&t.dump().await, "case_shares").is_empty());

    // A transfer to an organisation that does not exist is refused whole.
    create(&t, &transfer("ref-1", CASE, &w)).await.unwrap();
    let before = t.dump().await;
    let ev = ref_event("ref-1", 2, "accepted", &w.caseworker.id, &w.ngo.id);
    let ch = ReferralChange {
        transfer_to: Some(("org-nowhere", "identity")),
        ..change("ref-1", 1, "accepted", PlaceChange::None, false, &ev, &w.caseworker.id)
    };
    assert_conflict(t.store.change_referral(&ch, &on_referral(AuditAction::CaseTransferred, "ref-1")).await);
    assert_eq!(t.dump().await, before);
    assert_eq!(t.store.case(CASE).await.unwrap().owner_organisation_id, w.police.id);
}

// ------------------------------------------------------------------------------ assessments

fn assessment(seq: i64, w: &World) -> AssessmentRow {
    AssessmentRow {
        case_id: CASE.into(),
        seq,
        state: "submitted".into(),
        risk_level: "high".into(),
        child: 0,
        assessed_on: format!("2026-01-{:02}", seq + 1),
        record: format!("sealed assessment {seq}").into_bytes(),
        created_by: w.caseworker.id.clone(),
        created_at: T0 + 10 * seq,
        reviewed_by: None,
        reviewed_at: None,
        return_reason: None,
    }
}

async fn assessments_come_in_order_and_are_reviewed_once(t: TestStore) {
    let w = setup(&t).await;
    let add = |row: AssessmentRow| {
        let store = t.store.clone();
        async move { store.add_assessment(&row, &on(AuditAction::AssessmentSubmitted, "case", CASE)).await }
    };
    let review = |seq: i64, state: &'static str, reason: Option<Vec<u8>>| {
        let store = t.store.clone();
        let by = w.officer.id.clone();
        async move {
            store
                .review_assessment(
                    CASE,
                    seq,
                    state,
                    &by,
                    T0 + 500 + seq,
                    reason.as_deref(),
                    &on(AuditAction::AssessmentReviewed, "case", CASE),
                )
                .await
        }
    };
    // Added out of order, listed in order.
    for seq in [2, 10, 1] {
        add(assessment(seq, &w)).await.unwrap();
    }
    let seqs = |rows: Vec<AssessmentRow>| rows.into_iter().map(|a| a.seq).collect::<Vec<_>>();
    assert_eq!(seqs(t.store.assessments(CASE).await.unwrap()), [1, 2, 10]);
    assert!(t.store.assessments("case-2").await.unwrap().is_empty());

    let before = t.dump().await;
    let seq = t.head_seq().await;
    // The same version twice.
    let again = AssessmentRow { risk_level: "low".into(), record: b"another".to_vec(), ..assessment(2, &w) };
    assert_conflict(add(again).await);
    // A review of a version that does not exist.
    assert_conflict(review(3, "approved", None).await);
    assert_eq!(t.dump().await, before, "a refused assessment wrote something");
    assert_eq!(t.head_seq().await, seq);

    review(1, "approved", None).await.unwrap();
    review(2, "returned", Some(b"sealed reason".to_vec())).await.unwrap();
    let stored = t.store.assessments(CASE).await.unwrap();
    assert_eq!(
        stored[0],
        AssessmentRow {
            state: "approved".into(),
            reviewed_by: Some(w.officer.id.clone()),
            reviewed_at: Some(T0 + 501),
            ..assessment(1, &w)
        }
    );
    assert_eq!(stored[1].return_reason.as_deref(), Some(&b"sealed reason"[..]));
    assert_eq!(stored[1].state, "returned");

    // Reviewed versions are not reviewed again.
    let before = t.dump().await;
    let seq = t.head_seq().await;
    assert_conflict(review(1, "returned", Some(b"too late".to_vec())).await);
    assert_conflict(review(2, "approved", None).await);
    assert_eq!(t.dump().await, before, "a second review wrote something");
    assert_eq!(t.head_seq().await, seq);

    // The owner's review list holds the submitted version only.
    assert_eq!(seqs(t.store.assessments_to_review(&w.police.id).await.unwrap()), [10]);
    assert!(t.store.assessments_to_review(&w.ngo.id).await.unwrap().is_empty());
    // A state the schema does not know.
    assert!(add(AssessmentRow { state: "draft".into(), ..assessment(11, &w) }).await.is_err());
}

async fn concurrent_reviews_of_one_version(t: TestStore) {
    const TASKS: usize = 8;
    let w = setup(&t).await;
    t.store.add_assessment(&assessment(1, &w), &on(AuditAction::AssessmentSubmitted, "case", CASE)).await.unwrap();
    let seq = t.head_seq().await;
    let barrier = Arc::new(Barrier::new(TASKS));
    let mut handles = Vec::new();
    for i in 0..TASKS {
        let store = t.store.clone();
        let barrier = barrier.clone();
        let by = w.officer.id.clone();
        handles.push(tokio::spawn(async move {
            barrier.wait().await;
            store.ping().await.unwrap();
            barrier.wait().await;
            let (state, reason) = if i % 2 == 0 { ("approved", None) } else { ("returned", Some(vec![i as u8])) };
            let audit = on(AuditAction::AssessmentReviewed, "case", CASE).detail(format!("task={i}"));
            (i, store.review_assessment(CASE, 1, state, &by, T0 + i as i64, reason.as_deref(), &audit).await)
        }));
    }
    let mut winners = Vec::new();
    for h in handles {
        match h.await.unwrap() {
            (i, Ok(())) => winners.push(i),
            (_, Err(StorageError::Conflict(_))) => {}
            (i, Err(e)) => panic!("task {i}: expected success or a conflict, got {e:?}"),
        }
    }
    assert_eq!(winners.len(), 1, "winners: {winners:?}");
    let winner = winners[0];
    let stored = t.store.assessments(CASE).await.unwrap().remove(0);
    assert_eq!(stored.reviewed_at, Some(T0 + winner as i64));
    assert_eq!(stored.state, if winner % 2 == 0 { "approved" } else { "returned" });
    let entries = t.store.audit_entries(seq, 100).await.unwrap();
    assert_eq!(entries.len(), 1);
    assert_eq!(entries[0].event.detail, Some(format!("task={winner}")));
    t.assert_chain(seq as u64 + 1).await;
}

// ------------------------------------------------------------------- plans and support records

fn plan_item(id: &str, starts_on: &str, w: &World) -> PlanItemRow {
    PlanItemRow {
        id: id.into(),
        case_id: CASE.into(),
        service: BEDS.into(),
        organisation_id: w.ngo.id.clone(),
        provider_id: Some("prov-1".into()),
        status: "planned".into(),
        starts_on: starts_on.into(),
        ends_on: None,
        record: format!("sealed plan item {id}").into_bytes(),
        version: 1,
        created_by: w.caseworker.id.clone(),
        created_at: T0,
        updated_by: w.caseworker.id.clone(),
        updated_at: T0,
    }
}

async fn plan_items_are_versioned(t: TestStore) {
    let w = setup(&t).await;
    let added = on(AuditAction::PlanItemAdded, "case", CASE);
    let updated = on(AuditAction::PlanItemUpdated, "case", CASE);
    let later = plan_item("pi-1", "2026-02-01", &w);
    let sooner = PlanItemRow { provider_id: None, ..plan_item("pi-2", "2026-01-15", &w) };
    t.store.add_plan_item(&later, &added).await.unwrap();
    t.store.add_plan_item(&sooner, &added).await.unwrap();
    assert_eq!(t.store.plan_items(CASE).await.unwrap(), [sooner.clone(), later.clone()]);

    let v2 = PlanItemRow {
        status: "in_progress".into(),
        ends_on: Some("2026-03-01".into()),
        record: b"sealed v2".to_vec(),
        version: 2,
        updated_by: w.officer.id.clone(),
        updated_at: T0 + 7,
        ..later.clone()
    };
    t.store.update_plan_item(&v2, 1, &updated).await.unwrap();
    let before = t.dump().await;
    let seq = t.head_seq().await;
    let stale = PlanItemRow { status: "cancelled".into(), version: 2, ..later.clone() };
    assert_conflict(t.store.update_plan_item(&stale, 1, &updated).await);
    assert_conflict(t.store.update_plan_item(&stale, 3, &updated).await);
    assert_conflict(t.store.update_plan_item(&PlanItemRow { id: "pi-9".into(), ..stale }, 1, &updated).await);
    assert_conflict(t.store.add_plan_item(&later, &added).await);
    assert_eq!(t.dump().await, before, "a refused plan item wrote something");
    assert_eq!(t.head_seq().await, seq);
    assert_eq!(t.store.plan_items(CASE).await.unwrap(), [sooner, v2.clone()]);
    // The stored version moves on from 2.
    t.store.update_plan_item(&PlanItemRow { version: 3, ..v2 }, 2, &updated).await.unwrap();
    assert_eq!(t.store.plan_items(CASE).await.unwrap()[1].version, 3);
    assert!(t.store.plan_items("case-2").await.unwrap().is_empty());
}

fn support_record(id: &str, kind: &str, w: &World) -> SupportRecordRow {
    SupportRecordRow {
        id: id.into(),
        case_id: CASE.into(),
        kind: kind.into(),
        status: "open".into(),
        body: format!("sealed {kind} {id}").into_bytes(),
        version: 1,
        created_by: w.caseworker.id.clone(),
        created_at: T0,
        updated_by: w.caseworker.id.clone(),
        updated_at: T0,
    }
}

async fn support_records_are_versioned(t: TestStore) {
    let w = setup(&t).await;
    let added = on(AuditAction::SupportRecordAdded, "case", CASE);
    let updated = on(AuditAction::SupportRecordUpdated, "case", CASE);
    let guardian = support_record("sr-1", "guardian", &w);
    let claim = SupportRecordRow { created_at: T0 + 1, ..support_record("sr-2", "compensation_claim", &w) };
    t.store.add_support_record(&claim, &added).await.unwrap();
    t.store.add_support_record(&guardian, &added).await.unwrap();
    assert_eq!(t.store.support_records(CASE).await.unwrap(), [guardian.clone(), claim.clone()]);

    let v2 = SupportRecordRow {
        status: "closed".into(),
        body: b"sealed v2".to_vec(),
        version: 2,
        updated_by: w.officer.id.clone(),
        updated_at: T0 + 9,
        ..guardian.clone()
    };
    t.store.update_support_record(&v2, 1, &updated).await.unwrap();
    let before = t.dump().await;
    let seq = t.head_seq().await;
    let stale = SupportRecordRow { status: "withdrawn".into(), version: 2, ..guardian.clone() };
    assert_conflict(t.store.update_support_record(&stale, 1, &updated).await);
    assert_conflict(t.store.update_support_record(&SupportRecordRow { id: "sr-9".into(), ..stale }, 1, &updated).await);
    assert_conflict(t.store.add_support_record(&guardian, &added).await);
    let orphan = SupportRecordRow { case_id: "case-9".into(), ..support_record("sr-3", "guardian", &w) };
    assert_conflict(t.store.add_support_record(&orphan, &added).await);
    assert_eq!(t.dump().await, before, "a refused support record wrote something");
    assert_eq!(t.head_seq().await, seq);
    assert_eq!(t.store.support_records(CASE).await.unwrap(), [v2, claim]);
}

// ------------------------------------------------------------------------------------ lists

async fn receivers_never_see_drafts(t: TestStore) {
    let w = setup(&t).await;
    let officer = (w.officer.id.as_str(), w.police.id.as_str());
    let at = |row: ReferralRow, t: i64| ReferralRow { created_at: T0 + t, updated_at: T0 + t, ..row };
    let no_place = |id: &str, state: &str| ReferralRow { provider_id: None, ..referral(id, state, false, &w) };
    create(&t, &at(no_place("ref-draft", "draft"), 1)).await.unwrap();
    create(&t, &at(no_place("ref-sent", "sent"), 2)).await.unwrap();
    create(&t, &at(no_place("ref-kept", "draft"), 3)).await.unwrap();
    let back = ReferralRow {
        from_organisation_id: w.ngo.id.clone(),
        to_organisation_id: w.shelter.id.clone(),
        ..no_place("ref-onward", "sent")
    };
    create(&t, &at(back, 4)).await.unwrap();
    let ids = |rows: Vec<ReferralRow>| rows.into_iter().map(|r| r.id).collect::<Vec<_>>();
    let of = |org: &str, outgoing: bool| {
        let store = t.store.clone();
        let org = org.to_owned();
        async move { ids(store.referrals_of_organisation(&org, outgoing).await.unwrap()) }
    };

    assert_eq!(of(&w.ngo.id, false).await, ["ref-sent"]);
    assert_eq!(of(&w.police.id, true).await, ["ref-kept", "ref-sent", "ref-draft"], "the sender sees its drafts");
    assert_eq!(of(&w.ngo.id, true).await, ["ref-onward"]);
    assert_eq!(of(&w.shelter.id, false).await, ["ref-onward"]);
    assert!(of(&w.police.id, false).await.is_empty());
    assert!(of(&w.shelter.id, true).await.is_empty());

    // Sent, the draft reaches the receiver (newest change first); a draft withdrawn before it
    // was sent never does.
    let sent = ref_event("ref-draft", 2, "sent", &w.officer.id, &w.police.id);
    let ch =
        ReferralChange { at: T0 + 10, ..change("ref-draft", 1, "sent", PlaceChange::None, false, &sent, officer.0) };
    t.store.change_referral(&ch, &on_referral(AuditAction::ReferralChanged, "ref-draft")).await.unwrap();
    move_to(&t, "ref-kept", 1, "withdrawn", PlaceChange::None, false, officer).await.unwrap();
    assert_eq!(of(&w.ngo.id, false).await, ["ref-draft", "ref-sent"]);
    assert_eq!(of(&w.police.id, true).await.len(), 3);
}

// ---------------------------------------------------------------------------------- backup

/// Rows in every assistance table, with NULLs and non-NULLs (case-a1, owned by the police).
pub(crate) async fn fill_assistance(t: &TestStore, w: &World) {
    let c = case("case-a1", "LV-2026-A001", &w.police.id, &w.officer.id, "LV", T0 + 30);
    t.store.create_case(&c, &person("case-a1", 30), &on(AuditAction::CaseCreated, "case", "case-a1")).await.unwrap();
    let in_case = |row: ReferralRow| ReferralRow { case_id: "case-a1".into(), ..row };

    let full = AssessmentRow { case_id: "case-a1".into(), record: (0..=255).collect(), child: 1, ..assessment(1, w) };
    t.store.add_assessment(&full, &on(AuditAction::AssessmentSubmitted, "case", "case-a1")).await.unwrap();
    t.store
        .review_assessment(
            "case-a1",
            1,
            "returned",
            &w.officer.id,
            T0 + 40,
            Some(&[0, 255]),
            &on(AuditAction::AssessmentReviewed, "case", "case-a1"),
        )
        .await
        .unwrap();
    let bare = AssessmentRow { case_id: "case-a1".into(), ..assessment(2, w) };
    t.store.add_assessment(&bare, &on(AuditAction::AssessmentSubmitted, "case", "case-a1")).await.unwrap();

    let item = PlanItemRow {
        case_id: "case-a1".into(),
        ends_on: Some("2026-06-30".into()),
        ..plan_item("pi-a1", "2026-02-01", w)
    };
    t.store.add_plan_item(&item, &on(AuditAction::PlanItemAdded, "case", "case-a1")).await.unwrap();
    let bare = PlanItemRow { case_id: "case-a1".into(), provider_id: None, ..plan_item("pi-a2", "2026-02-02", w) };
    t.store.add_plan_item(&bare, &on(AuditAction::PlanItemAdded, "case", "case-a1")).await.unwrap();

    t.store
        .put_provider(
            &provider("prov-1", Some(&w.ngo.id), w),
            &services(&[(BEDS, Some(2)), (COUNSELLING, None)]),
            None,
            &on(AuditAction::ProviderSaved, "provider", "prov-1"),
        )
        .await
        .unwrap();
    t.store
        .put_provider(&provider("prov-2", None, w), &[], None, &on(AuditAction::ProviderSaved, "provider", "prov-2"))
        .await
        .unwrap();

    create(t, &in_case(referral("ref-a1", "sent", true, w))).await.unwrap();
    let ev = ReferralEventRow { note: None, ..ref_event("ref-a1", 2, "accepted", &w.caseworker.id, &w.ngo.id) };
    let ch = ReferralChange {
        due_on: Some("2026-01-20"),
        ..change("ref-a1", 1, "accepted", PlaceChange::None, true, &ev, &w.caseworker.id)
    };
    t.store.change_referral(&ch, &on_referral(AuditAction::ReferralChanged, "ref-a1")).await.unwrap();
    let draft = ReferralRow {
        kind: "transfer".into(),
        service: None,
        provider_id: None,
        message: None,
        due_on: None,
        urgent: 0,
        ..in_case(referral("ref-a2", "draft", false, w))
    };
    create(t, &draft).await.unwrap();

    let record = SupportRecordRow {
        case_id: "case-a1".into(),
        body: vec![0, 1, 254, 255],
        ..support_record("sr-a1", "guardian", w)
    };
    t.store.add_support_record(&record, &on(AuditAction::SupportRecordAdded, "case", "case-a1")).await.unwrap();
}

async fn backup_and_restore_carry_assistance(t: TestStore) {
    let w = seed(&t).await;
    fill_assistance(&t, &w).await;
    let dump = t.dump().await;
    for (table, n) in [
        ("assessments", 2),
        ("plan_items", 2),
        ("providers", 2),
        ("provider_services", 2),
        ("referrals", 2),
        ("referral_events", 3),
        ("support_records", 1),
    ] {
        assert_eq!(dumped(&dump, table).len(), n, "{table} in the dump");
    }
    let target = t.sibling().await;
    let mut input: &[u8] = &dump;
    target.store.restore(&mut input).await.unwrap();
    assert_eq!(target.dump().await, dump, "the restored database dumps to the same bytes");

    assert_eq!(target.store.assessments("case-a1").await.unwrap(), t.store.assessments("case-a1").await.unwrap());
    assert_eq!(target.store.plan_items("case-a1").await.unwrap(), t.store.plan_items("case-a1").await.unwrap());
    assert_eq!(target.store.providers("LV").await.unwrap(), t.store.providers("LV").await.unwrap());
    assert_eq!(target.store.provider_services("LV").await.unwrap(), t.store.provider_services("LV").await.unwrap());
    assert_eq!(
        target.store.referrals_of_case("case-a1").await.unwrap(),
        t.store.referrals_of_case("case-a1").await.unwrap()
    );
    for id in ["ref-a1", "ref-a2"] {
        assert_eq!(target.store.referral_events(id).await.unwrap(), t.store.referral_events(id).await.unwrap());
    }
    assert_eq!(
        target.store.support_records("case-a1").await.unwrap(),
        t.store.support_records("case-a1").await.unwrap()
    );
    assert_eq!(target.store.assessments("case-a1").await.unwrap()[0].record, (0..=255).collect::<Vec<u8>>());
    assert_eq!(occupied(&target, "prov-1", BEDS).await, 1, "the live occupancy survives");
    let n = t.head_seq().await as u64;
    target.assert_chain(n).await;

    // The restored database goes on: one bed left, then none; versions still checked.
    let next = |id: &str| ReferralRow { case_id: "case-a1".into(), ..referral(id, "sent", true, &w) };
    create(&target, &next("ref-a3")).await.unwrap();
    assert_no_free_place(create(&target, &next("ref-a4")).await);
    let caseworker = (w.caseworker.id.as_str(), w.ngo.id.as_str());
    assert_conflict(move_to(&target, "ref-a1", 1, "declined", PlaceChange::Release, false, caseworker).await);
    move_to(&target, "ref-a1", 2, "in_progress", PlaceChange::None, true, caseworker).await.unwrap();
    target.assert_chain(n + 2).await;
}
