//! Money in criminal proceedings through the use cases: confiscated proceeds paid into a linked
//! victim's compensation claim only where national practice allows it and within what was
//! realised (Dir 2011/36 Art 7; CETS 197 Art 15(4)), the financial investigation opened by
//! default (Art 9(4)), the Europol export minimised, valid against its schema and recorded as a
//! disclosure, and a joint investigation team across two countries that each reads without the
//! other's investigation. On SQLite, and on PostgreSQL when HAVEN_TEST_POSTGRES_URL is set.

use crate::common::{Database, bare_registration, organisation, postgres_app, refer, sqlite_app, user};
use haven_app::assist_records::{
    ClaimRecordInput, NewSupportRecord, PaymentInput, SupportRecordChange, TransitionInput,
};
use haven_app::proceedings_money::{AllocationInput, FinancialStatusInput, PayoutInput, TeamOutcomeInput};
use haven_app::{App, AppError, Principal};
use haven_domain::MessageId;
use haven_domain::proceedings::assets::{AssetInput, MeasureInput};
use haven_domain::proceedings::europol::{ExportRequestInput, SCHEMA};
use haven_domain::proceedings::financial::{FinancialItemInput, FinancialStatus};
use haven_domain::proceedings::jit::{JointTeamInput, TeamMemberInput};
use haven_domain::proceedings::penalty::NationalPractice;
use haven_domain::proceedings::suspect::SuspectInput;
use haven_domain::proceedings::{InvestigationInput, OffenceInput, PlaceInput};

struct World {
    app: App,
    _db: Database,
    police: Principal,
    prosecutor: Principal,
    other_police: Principal,
    caseworker: Principal,
    ee_police: Principal,
    prosecution_id: String,
    ee_prosecution_id: String,
}

async fn world(app: App, db: Database) -> World {
    let police_id = organisation(&app, "State Police", "police", "LV").await;
    let prosecution_id = organisation(&app, "Prosecution Office", "prosecution", "LV").await;
    let other_id = organisation(&app, "Municipal Police", "police", "LV").await;
    let ngo_id = organisation(&app, "Shelter Safe House", "ngo", "LV").await;
    let ee_police_id = organisation(&app, "Police and Border Guard Board", "police", "EE").await;
    let ee_prosecution_id = organisation(&app, "Prokuratuur", "prosecution", "EE").await;
    World {
        police: user(&app, "officer", &police_id, "investigator").await,
        prosecutor: user(&app, "prosecutor", &prosecution_id, "investigator").await,
        other_police: user(&app, "other", &other_id, "investigator").await,
        caseworker: user(&app, "caseworker", &ngo_id, "caseworker").await,
        ee_police: user(&app, "ee.officer", &ee_police_id, "investigator").await,
        app,
        _db: db,
        prosecution_id,
        ee_prosecution_id,
    }
}

async fn worlds() -> Vec<World> {
    let mut out = Vec::new();
    let (app, db) = sqlite_app().await;
    out.push(world(app, db).await);
    if let Some((app, db)) = postgres_app().await {
        out.push(world(app, db).await);
    }
    out
}

fn investigation(prosecution_id: &str, country: &str) -> InvestigationInput {
    InvestigationInput {
        reference: format!("{country}-11816000123"),
        prosecutor_organisation_id: prosecution_id.into(),
        opened_on: "2026-01-05".into(),
        opening: "ex_officio".into(),
        offences: vec![OffenceInput {
            kind: "trafficking".into(),
            forms: vec!["forced_labour".into()],
            national_provision: "Criminal Law s. 154.1(2)".into(),
        }],
        places: vec![PlaceInput { country: country.into(), locality: "Riga".into() }],
        summary: "Workers recruited for a construction site; wages kept by the recruiters.".into(),
        ..InvestigationInput::default()
    }
}

fn field_of(e: AppError) -> (String, Option<MessageId>) {
    match e {
        AppError::Invalid(p) => (p.field, p.problem.map(|m| m.id)),
        other => panic!("expected invalid input, got {other:?}"),
    }
}

async fn count(app: &App, action: &str) -> i64 {
    app.store().count_unchecked(&format!("SELECT COUNT(*) FROM audit_log WHERE action = '{action}'")).await.unwrap()
}

/// A profile of Latvia that lets confiscated proceeds pay compensation (a test profile: the
/// shipped one says "not until checked").
fn allowing() -> NationalPractice {
    NationalPractice::parse(
        "country = \"LV\"\n[[versions]]\nvalid_from = \"2014-01-01\"\noffence_provision = \"Criminal Law s. 154.1\"\n\
         max_penalty_years = 8\nmax_penalty_years_aggravated = 15\naggravating = []\n\
         confiscated_proceeds_to_compensation = true\nsources = [\"a test profile\"]\n",
    )
    .unwrap()
}

/// A victim's case (referred by the NGO, shared with the police for its identity) with a
/// compensation claim of 60,000.00 EUR, prepared; gives (case id, claim id).
async fn victim_with_claim(w: &World, family: &str) -> (String, String) {
    victim_with_claim_in(w, family, "EUR").await
}

/// The claim filed and then awarded in full (60,000.00) on 2026-04-20 by the caseworker.
async fn award(w: &World, case: &str, claim: &str) {
    for (version, status) in [(1, "filed"), (2, "awarded")] {
        let change = SupportRecordChange::Transition(TransitionInput {
            status: status.into(),
            on: "2026-04-20".into(),
            amount: String::new(),
        });
        w.app.update_support_record(&w.caseworker, case, claim, version, &change).await.unwrap();
    }
}

/// The claim as the caseworker sees it: (status, total paid, outstanding, payments).
async fn claim_seen(w: &World, case: &str, claim: &str) -> (String, i64, i64, usize) {
    let view = w.app.support_records(&w.caseworker, case).await.unwrap();
    let c = view.compensation_claims.iter().find(|c| c.record.id == claim).unwrap();
    (c.record.status.clone(), c.total_paid, c.outstanding, c.record.record.payments().len())
}

async fn victim_with_claim_in(w: &World, family: &str, currency: &str) -> (String, String) {
    let case = refer(&w.app, &w.caseworker, bare_registration("Olena", family, Some("1990-02-03"))).await;
    w.app.share_case(&w.caseworker, &case, &w.police.organisation.id, &["identity".into()]).await.unwrap();
    let claim = ClaimRecordInput {
        kind: "criminal_proceedings_against_offender".into(),
        against: "the defendants of the Riga construction case".into(),
        amount_claimed: "6000000".into(),
        currency: currency.into(),
        prepared_on: "2026-04-01".into(),
        free_legal_representation: "yes".into(),
        confiscated_assets: vec![],
    };
    let saved =
        w.app.add_support_record(&w.caseworker, &case, &NewSupportRecord::CompensationClaim(claim)).await.unwrap();
    (case, saved.id)
}

/// An investigation with a linked victim, a suspect and an asset confiscated and realised for
/// 50,000.00 EUR; gives (investigation id, asset id, awarded claim of the linked victim,
/// awarded claim of another victim).
async fn realised_asset(w: &World) -> (String, String, String, String) {
    let (id, asset_id, case, claim, unlinked_claim) = realised_asset_with_case(w).await;
    award(w, &case, &claim).await;
    (id, asset_id, claim, unlinked_claim)
}

/// As [`realised_asset`], the linked victim's claim still prepared; gives (investigation id,
/// asset id, the linked victim's case, its claim, the other victim's awarded claim).
async fn realised_asset_with_case(w: &World) -> (String, String, String, String, String) {
    let (case, claim) = victim_with_claim(w, "Koval").await;
    let (other_case, unlinked_claim) = victim_with_claim(w, "Bondar").await;
    award(w, &other_case, &unlinked_claim).await;
    let id =
        w.app.open_investigation(&w.police, &investigation(&w.prosecution_id, "LV")).await.unwrap().investigation.id;
    w.app.link_victim(&w.police, &id, &case).await.unwrap();
    let suspect = SuspectInput {
        kind: "natural".into(),
        name: "Jānis Bērziņš".into(),
        roles: vec!["recruiter".into()],
        citizenship: "LV".into(),
        sex: "male".into(),
        age_group: "35_44".into(),
        ..SuspectInput::default()
    };
    let view = w.app.add_suspect(&w.police, &id, &suspect).await.unwrap();
    let sid = view.suspects[0].suspect.id.clone();
    let asset = AssetInput {
        kind: "real_estate".into(),
        description: "Flat in Riga, Brīvības iela 1-2".into(),
        value: "12000000".into(),
        currency: "EUR".into(),
        valued_on: "2026-01-20".into(),
        held_in: "LV".into(),
        held_at: "Land Register of Riga".into(),
        suspect_id: sid,
        ..AssetInput::default()
    };
    let assets = w.app.add_asset(&w.police, &id, &asset).await.unwrap();
    let asset_id = assets.assets[0].asset.id.clone();
    for (kind, on, amount) in [
        ("freezing", "2026-01-21", ""),
        ("confiscation_order", "2026-04-10", ""),
        ("realisation", "2026-05-02", "5000000"),
    ] {
        let m = MeasureInput {
            kind: kind.into(),
            on: on.into(),
            amount: amount.into(),
            currency: if amount.is_empty() { String::new() } else { "EUR".into() },
            reference: "Riga City Court 11-2026".into(),
            ..MeasureInput::default()
        };
        w.app.add_asset_measure(&w.prosecutor, &id, &asset_id, &m).await.unwrap();
    }
    (id, asset_id, case, claim, unlinked_claim)
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn art_7_dir_confiscated_proceeds_pay_compensation_to_a_linked_victims_claim_where_national_law_allows() {
    for w in worlds().await {
        let (id, asset_id, claim, _) = realised_asset(&w).await;
        let allocate = |claim: &str, amount: &str| AllocationInput { claim_id: claim.into(), amount: amount.into() };
        // The shipped Latvian profile does not allow it (yet): refused, naming the field.
        let e = w.app.allocate_proceeds(&w.prosecutor, &id, &asset_id, &allocate(&claim, "100")).await.unwrap_err();
        assert_eq!(field_of(e), ("claim_id".into(), Some(MessageId::ProceedingsProceedsNotForCompensation)));
        let view = w.app.assets(&w.prosecutor, &id).await.unwrap();
        assert!(!view.proceeds_to_compensation && !view.practice_sources.is_empty());
        // Where national law allows it.
        let app = w.app.clone().with_proceedings_practice(allowing());
        let view = app.allocate_proceeds(&w.prosecutor, &id, &asset_id, &allocate(&claim, "3000000")).await.unwrap();
        assert!(view.proceeds_to_compensation);
        let asset = &view.assets[0];
        assert_eq!((asset.realised_euro_cents, asset.available_euro_cents), (5_000_000, 2_000_000));
        let allocation = asset.allocations[0].clone();
        assert_eq!(
            (allocation.allocation.claim_id.as_str(), allocation.allocation.amount_euro_cents),
            (claim.as_str(), 3_000_000)
        );
        // The share paid out, in parts, never above the allocation.
        let pay = |amount: &str, on: &str, version: i64| PayoutInput { amount: amount.into(), on: on.into(), version };
        let view = app
            .record_payout(&w.prosecutor, &id, &allocation.allocation.id, &pay("1000000", "2026-05-28", 1))
            .await
            .unwrap();
        assert_eq!(view.totals.paid_out, 1_000_000);
        let e = app
            .record_payout(&w.prosecutor, &id, &allocation.allocation.id, &pay("2000001", "2026-05-28", 2))
            .await
            .unwrap_err();
        assert_eq!(field_of(e), ("amount".into(), Some(MessageId::ProceedingsPayoutAboveAllocation)));
        let view = app
            .record_payout(&w.prosecutor, &id, &allocation.allocation.id, &pay("2000000", "2026-05-28", 2))
            .await
            .unwrap();
        assert_eq!(view.totals.paid_out, 3_000_000);
        assert_eq!(
            (view.totals.frozen, view.totals.confiscated, view.totals.realised, view.totals.allocated),
            (12_000_000, 12_000_000, 5_000_000, 3_000_000)
        );
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn art_7_dir_no_allocation_beyond_what_was_realised_nor_to_an_unlinked_victims_claim() {
    for w in worlds().await {
        let (id, asset_id, claim, unlinked_claim) = realised_asset(&w).await;
        let app = w.app.clone().with_proceedings_practice(allowing());
        let allocate = |claim: &str, amount: &str| AllocationInput { claim_id: claim.into(), amount: amount.into() };
        let before = count(&app, "proceedings_written").await;
        let e = app.allocate_proceeds(&w.prosecutor, &id, &asset_id, &allocate(&claim, "5000001")).await.unwrap_err();
        assert_eq!(field_of(e), ("amount".into(), Some(MessageId::ProceedingsAllocationAboveRealised)));
        let e =
            app.allocate_proceeds(&w.prosecutor, &id, &asset_id, &allocate(&unlinked_claim, "1")).await.unwrap_err();
        assert_eq!(field_of(e), ("claim_id".into(), Some(MessageId::ProceedingsClaimOfUnlinkedVictim)));
        let e = app.allocate_proceeds(&w.prosecutor, &id, &asset_id, &allocate(&id, "1")).await.unwrap_err();
        assert_eq!(field_of(e), ("claim_id".into(), Some(MessageId::ProceedingsUnknownClaim)), "not a claim");
        let e = app.allocate_proceeds(&w.prosecutor, &id, &id, &allocate(&claim, "1")).await.unwrap_err();
        assert_eq!(field_of(e).0, "asset_id");
        assert_eq!(count(&app, "proceedings_written").await, before, "nothing half-written");
        app.allocate_proceeds(&w.prosecutor, &id, &asset_id, &allocate(&claim, "5000000")).await.unwrap();
        let e = app.allocate_proceeds(&w.prosecutor, &id, &asset_id, &allocate(&claim, "1")).await.unwrap_err();
        assert_eq!(field_of(e).0, "amount", "all realised proceeds are allocated");
        // Measures in order: a second confiscation order, a realisation of nothing.
        let order =
            MeasureInput { kind: "confiscation_order".into(), on: "2026-05-03".into(), ..MeasureInput::default() };
        let e = app.add_asset_measure(&w.police, &id, &asset_id, &order).await.unwrap_err();
        assert_eq!(field_of(e), ("kind".into(), Some(MessageId::ProceedingsAlreadyConfiscated)));
        // Support organisations never see the assets; another unit does not know of them.
        assert!(matches!(app.assets(&w.caseworker, &id).await, Err(AppError::Forbidden)));
        assert!(matches!(app.assets(&w.other_police, &id).await, Err(AppError::NotFound)));
        // The description is not stored in the clear.
        let sql = if app.store().backend_name() == "sqlite" {
            "SELECT COUNT(*) FROM assets WHERE instr(record, CAST('Brīvības' AS BLOB)) > 0"
        } else {
            "SELECT COUNT(*) FROM assets WHERE position(convert_to('Brīvības', 'UTF8') in record) > 0"
        };
        assert_eq!(app.store().count_unchecked(sql).await.unwrap(), 0);
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn art_17_dir_proceeds_are_allocated_only_to_an_existing_claim_on_which_an_award_in_euro_stands() {
    for w in worlds().await {
        let (id, asset_id, case, claim, _) = realised_asset_with_case(&w).await;
        let app = w.app.clone().with_proceedings_practice(allowing());
        let allocate = |claim: &str, amount: &str| AllocationInput { claim_id: claim.into(), amount: amount.into() };
        // Prepared, then filed: no award stands, nothing can be paid on it.
        let e = app.allocate_proceeds(&w.prosecutor, &id, &asset_id, &allocate(&claim, "100")).await.unwrap_err();
        assert_eq!(field_of(e), ("claim_id".into(), Some(MessageId::ProceedingsClaimNotPayable)));
        let filed = SupportRecordChange::Transition(TransitionInput {
            status: "filed".into(),
            on: "2026-04-20".into(),
            amount: String::new(),
        });
        w.app.update_support_record(&w.caseworker, &case, &claim, 1, &filed).await.unwrap();
        let e = app.allocate_proceeds(&w.prosecutor, &id, &asset_id, &allocate(&claim, "100")).await.unwrap_err();
        assert_eq!(field_of(e), ("claim_id".into(), Some(MessageId::ProceedingsClaimNotPayable)));
        // A claim id that names no record at all.
        let nobody = "7d9f2c1e-0000-4000-8000-000000000000";
        let e = app.allocate_proceeds(&w.prosecutor, &id, &asset_id, &allocate(nobody, "100")).await.unwrap_err();
        assert_eq!(field_of(e), ("claim_id".into(), Some(MessageId::ProceedingsUnknownClaim)));
        // A claim in another currency, awarded, of a victim linked to the investigation.
        let (sek_case, sek_claim) = victim_with_claim_in(&w, "Lindqvist", "SEK").await;
        w.app.link_victim(&w.police, &id, &sek_case).await.unwrap();
        award(&w, &sek_case, &sek_claim).await;
        let e = app.allocate_proceeds(&w.prosecutor, &id, &asset_id, &allocate(&sek_claim, "100")).await.unwrap_err();
        assert_eq!(field_of(e), ("claim_id".into(), Some(MessageId::ProceedingsClaimNotInEuro)));
        assert_eq!(app.assets(&w.prosecutor, &id).await.unwrap().totals.allocated, 0, "nothing allocated");
        // Awarded: allocated.
        let awarded = SupportRecordChange::Transition(TransitionInput {
            status: "awarded".into(),
            on: "2026-04-21".into(),
            amount: String::new(),
        });
        w.app.update_support_record(&w.caseworker, &case, &claim, 2, &awarded).await.unwrap();
        let view = app.allocate_proceeds(&w.prosecutor, &id, &asset_id, &allocate(&claim, "100")).await.unwrap();
        assert_eq!(view.totals.allocated, 100);
    }
}

/// Two prosecutors allocate at the same moment; gives how many allocations were written.
async fn at_once(app: &App, who: &Principal, id: &str, asset_id: &str, claim: &str, amount: &str) -> usize {
    let input = AllocationInput { claim_id: claim.to_owned(), amount: amount.to_owned() };
    let tasks: Vec<_> = (0..2)
        .map(|_| {
            let (app, who, id, asset_id, input) =
                (app.clone(), who.clone(), id.to_owned(), asset_id.to_owned(), input.clone());
            tokio::spawn(async move { app.allocate_proceeds(&who, &id, &asset_id, &input).await })
        })
        .collect();
    let mut written = 0;
    for task in tasks {
        match task.await.unwrap() {
            Ok(_) => written += 1,
            // refused by the limit checked when it is written, or by the one checked before
            Err(AppError::ConflictSaid { .. } | AppError::Invalid(_)) => {}
            Err(e) => panic!("{e:?}"),
        }
    }
    written
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn art_7_dir_two_allocations_made_at_once_never_pass_what_was_realised_nor_what_the_award_leaves() {
    for w in worlds().await {
        let (id, asset_id, case, claim, _) = realised_asset_with_case(&w).await;
        award(&w, &case, &claim).await;
        let app = w.app.clone().with_proceedings_practice(allowing());
        // 50,000.00 realised, 60,000.00 awarded: of two allocations of 30,000.00 at once, one.
        assert_eq!(at_once(&app, &w.prosecutor, &id, &asset_id, &claim, "3000000").await, 1);
        // The victim is paid 20,000.00 on the claim from elsewhere: the award leaves 10,000.00
        // (60,000.00 less 20,000.00 paid less 30,000.00 allocated), the asset 20,000.00. Of two
        // allocations of 8,000.00 at once, which the asset could both pay, one.
        let version = w.app.support_records(&w.caseworker, &case).await.unwrap().compensation_claims[0].record.version;
        let direct = SupportRecordChange::Payment(PaymentInput {
            received_on: "2026-05-20".into(),
            amount: "2000000".into(),
            currency: "EUR".into(),
            payer: "state".into(),
        });
        w.app.update_support_record(&w.caseworker, &case, &claim, version, &direct).await.unwrap();
        assert_eq!(at_once(&app, &w.prosecutor, &id, &asset_id, &claim, "800000").await, 1);
        let allocated: i64 = app.assets(&w.prosecutor, &id).await.unwrap().assets[0]
            .allocations
            .iter()
            .map(|a| a.allocation.amount_euro_cents)
            .sum();
        assert_eq!(allocated, 3_800_000);
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn art_17_dir_a_payout_is_added_to_the_claims_payments_audited_and_never_above_the_allocation_or_the_award() {
    for w in worlds().await {
        let (id, asset_id, case, claim, _) = realised_asset_with_case(&w).await;
        award(&w, &case, &claim).await;
        let app = w.app.clone().with_proceedings_practice(allowing());
        let allocate = |amount: &str| AllocationInput { claim_id: claim.clone(), amount: amount.into() };
        let view = app.allocate_proceeds(&w.prosecutor, &id, &asset_id, &allocate("3000000")).await.unwrap();
        let allocation_id = view.assets[0].allocations[0].allocation.id.clone();
        let pay = |amount: &str, on: &str, version: i64| PayoutInput { amount: amount.into(), on: on.into(), version };
        let updated = count(&app, "support_record_updated").await;
        let written = count(&app, "proceedings_written").await;
        app.record_payout(&w.prosecutor, &id, &allocation_id, &pay("1000000", "2026-05-28", 1)).await.unwrap();
        // On the claim: paid 10,000.00 of the 60,000.00 awarded, one payment more.
        assert_eq!(claim_seen(&w, &case, &claim).await, ("awarded".into(), 1_000_000, 5_000_000, 1));
        assert_eq!(count(&app, "support_record_updated").await, updated + 1, "the claim's payment audited");
        assert_eq!(count(&app, "proceedings_written").await, written + 1, "the payout audited");
        // Above what is allocated and not yet paid out: refused, and the claim unchanged.
        let e =
            app.record_payout(&w.prosecutor, &id, &allocation_id, &pay("2000001", "2026-05-28", 2)).await.unwrap_err();
        assert_eq!(field_of(e), ("amount".into(), Some(MessageId::ProceedingsPayoutAboveAllocation)));
        assert_eq!(claim_seen(&w, &case, &claim).await, ("awarded".into(), 1_000_000, 5_000_000, 1));
        // The victim is paid 20,000.00 on the claim from elsewhere: of the award, 60,000.00 less
        // 30,000.00 paid less 20,000.00 allocated and not yet paid out leaves 10,000.00.
        let direct = SupportRecordChange::Payment(PaymentInput {
            received_on: "2026-05-20".into(),
            amount: "2000000".into(),
            currency: "EUR".into(),
            payer: "state".into(),
        });
        w.app.update_support_record(&w.caseworker, &case, &claim, 4, &direct).await.unwrap();
        let e = app.allocate_proceeds(&w.prosecutor, &id, &asset_id, &allocate("1000001")).await.unwrap_err();
        assert_eq!(field_of(e), ("amount".into(), Some(MessageId::ProceedingsAllocationAboveAward)));
        app.allocate_proceeds(&w.prosecutor, &id, &asset_id, &allocate("1000000")).await.unwrap();
        // The rest of the first allocation is paid out: the award is paid but for the second.
        app.record_payout(&w.prosecutor, &id, &allocation_id, &pay("2000000", "2026-05-28", 2)).await.unwrap();
        assert_eq!(claim_seen(&w, &case, &claim).await, ("awarded".into(), 5_000_000, 1_000_000, 3));
        // A payout at a stale version of the allocation writes nothing, on the claim neither.
        let second = app.assets(&w.prosecutor, &id).await.unwrap().assets[0]
            .allocations
            .iter()
            .find(|a| a.allocation.id != allocation_id)
            .map(|a| a.allocation.id.clone())
            .unwrap();
        let e = app.record_payout(&w.prosecutor, &id, &second, &pay("1", "2026-05-28", 0)).await.unwrap_err();
        assert!(matches!(e, AppError::ConflictSaid { .. }), "{e:?}");
        assert_eq!(claim_seen(&w, &case, &claim).await, ("awarded".into(), 5_000_000, 1_000_000, 3));
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn art_9_4_dir_reading_the_financial_investigation_stores_nothing_and_the_first_change_records_it() {
    for w in worlds().await {
        let id = w
            .app
            .open_investigation(&w.police, &investigation(&w.prosecution_id, "LV"))
            .await
            .unwrap()
            .investigation
            .id;
        let written = count(&w.app, "proceedings_written").await;
        for _ in 0..2 {
            let view = w.app.financial_investigation(&w.police, &id).await.unwrap();
            assert_eq!(
                (view.financial.status, view.version),
                (FinancialStatus::Open, 0),
                "runs by default, unrecorded"
            );
        }
        assert_eq!(w.app.store().financial_investigation(&id).await.unwrap(), None, "a read stores nothing");
        assert_eq!(count(&w.app, "proceedings_written").await, written, "a read writes nothing but its audit entry");
        let input = FinancialStatusInput {
            status: "concluded".into(),
            reasons: String::new(),
            on: "2026-03-01".into(),
            version: 0,
        };
        let view = w.app.change_financial_status(&w.police, &id, &input).await.unwrap();
        assert_eq!(view.version, 1);
        let stored = w.app.store().financial_investigation(&id).await.unwrap().unwrap();
        assert_eq!((stored.status.as_str(), stored.version), ("concluded", 1));
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn iso_4217_an_asset_in_yen_or_dinar_is_counted_in_the_currencys_own_minor_units_and_others_are_refused() {
    for w in worlds().await {
        let id = w
            .app
            .open_investigation(&w.police, &investigation(&w.prosecution_id, "LV"))
            .await
            .unwrap()
            .investigation
            .id;
        let asset = |value: &str, currency: &str, rate: &str| AssetInput {
            kind: "cash".into(),
            description: "Cash found at the flat".into(),
            value: value.into(),
            currency: currency.into(),
            rate: rate.into(),
            rate_on: "2026-01-20".into(),
            valued_on: "2026-01-20".into(),
            held_in: "LV".into(),
            held_at: "State Police evidence room".into(),
            ..AssetInput::default()
        };
        // 1,000,000 yen at 0.006 euro: 6,000.00 EUR; 1.500 dinar at 2.45 euro: 3.68 EUR.
        w.app.add_asset(&w.police, &id, &asset("1000000", "JPY", "0.006")).await.unwrap();
        let view = w.app.add_asset(&w.police, &id, &asset("1500", "BHD", "2.45")).await.unwrap();
        let values: Vec<(String, i64)> =
            view.assets.iter().map(|a| (a.asset.value.currency.to_string(), a.asset.value.in_euro_cents())).collect();
        assert!(values.contains(&("JPY".into(), 600_000)) && values.contains(&("BHD".into(), 368)), "{values:?}");
        let e = w.app.add_asset(&w.police, &id, &asset("100", "CLF", "40")).await.unwrap_err();
        assert_eq!(field_of(e), ("currency".into(), Some(MessageId::ProceedingsCurrencyMinorUnits)));
        let e = w.app.add_asset(&w.police, &id, &asset("100", "ABC", "1")).await.unwrap_err();
        assert_eq!(field_of(e), ("currency".into(), Some(MessageId::ProceedingsCurrencyUnknown)));
        assert_eq!(w.app.assets(&w.police, &id).await.unwrap().assets.len(), 2, "nothing stored of the refused");
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn art_9_4_dir_a_financial_investigation_runs_with_every_investigation_and_is_not_opened_only_with_reasons() {
    for w in worlds().await {
        let (id, _, _, _) = realised_asset(&w).await;
        let view = w.app.financial_investigation(&w.police, &id).await.unwrap();
        assert_eq!((view.financial.status, view.version), (FinancialStatus::Open, 0), "opened by default");
        assert_eq!(view.financial.since.to_string(), "2026-01-05");
        let status = |s: &str, reasons: &str, version| FinancialStatusInput {
            status: s.into(),
            reasons: reasons.into(),
            on: "2026-02-01".into(),
            version,
        };
        let e = w.app.change_financial_status(&w.police, &id, &status("not_opened", "", 0)).await.unwrap_err();
        assert_eq!(field_of(e), ("reasons".into(), Some(MessageId::ProceedingsFinancialNeedsReasons)));
        let view = w
            .app
            .change_financial_status(&w.police, &id, &status("not_opened", "A single act, no proceeds traced.", 0))
            .await
            .unwrap();
        assert_eq!((view.financial.status, view.version), (FinancialStatus::NotOpened, 1));
        assert!(matches!(
            w.app.change_financial_status(&w.police, &id, &status("open", "", 0)).await,
            Err(AppError::ConflictSaid { .. })
        ));
        let view = w.app.change_financial_status(&w.police, &id, &status("open", "", 1)).await.unwrap();
        assert_eq!(view.financial.status, FinancialStatus::Open);
        let account = FinancialItemInput {
            kind: "account".into(),
            coded: "bank".into(),
            institution: "Swedbank".into(),
            country: "LV".into(),
            identifier: "LV80BANK0000435195001".into(),
            ..FinancialItemInput::default()
        };
        let view = w.app.add_financial_item(&w.police, &id, &account).await.unwrap();
        let account_id = view.items[0].id.clone();
        let transfer = FinancialItemInput {
            kind: "transfer".into(),
            coded: "money_remittance".into(),
            on: "2026-02-01".into(),
            amount: "250000".into(),
            currency: "EUR".into(),
            from_account_id: account_id,
            country: "LV".into(),
            to_country: "UA".into(),
            ..FinancialItemInput::default()
        };
        let view = w.app.add_financial_item(&w.police, &id, &transfer).await.unwrap();
        assert_eq!(view.items.len(), 2);
        let mut bad = transfer.clone();
        bad.to_account_id = "nobody".into();
        assert_eq!(field_of(w.app.add_financial_item(&w.police, &id, &bad).await.unwrap_err()).0, "to_account_id");
        // The account number is encrypted at rest.
        let sql = if w.app.store().backend_name() == "sqlite" {
            "SELECT COUNT(*) FROM financial_items WHERE instr(body, CAST('LV80BANK' AS BLOB)) > 0"
        } else {
            "SELECT COUNT(*) FROM financial_items WHERE position(convert_to('LV80BANK', 'UTF8') in body) > 0"
        };
        assert_eq!(w.app.store().count_unchecked(sql).await.unwrap(), 0);
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_europol_export_is_minimised_valid_against_its_schema_and_recorded_as_a_disclosure() {
    let validator = jsonschema::validator_for(&serde_json::from_str(SCHEMA).unwrap()).unwrap();
    for w in worlds().await {
        let (id, _, _, _) = realised_asset(&w).await;
        let request = |parts: &[&str], justification: &str| ExportRequestInput {
            request_reference: "EUROPOL-2026-0042".into(),
            parts: parts.iter().map(|p| (*p).to_owned()).collect(),
            justification: justification.into(),
        };
        let disclosed = count(&w.app, "proceedings_disclosed").await;
        let package = w.app.europol_export(&w.police, &id, &request(&["assets"], "")).await.unwrap();
        let json = serde_json::to_value(&package).unwrap();
        let errors: Vec<String> = validator.iter_errors(&json).map(|e| e.to_string()).collect();
        assert!(errors.is_empty(), "{errors:?}");
        let text = json.to_string();
        assert!(!text.contains("Bērziņš") && !text.contains("Olena"), "only the assets: {text}");
        assert!(json.get("suspects").is_none() && json.get("victims").is_none());
        // Suspects and victims (with a justification): names of suspects, references of victims.
        let package = w
            .app
            .europol_export(&w.prosecutor, &id, &request(&["suspects", "victims"], "Matching victims across two JITs."))
            .await
            .unwrap();
        let json = serde_json::to_value(&package).unwrap();
        assert!(validator.is_valid(&json));
        assert_eq!(json["suspects"][0]["name"], "Jānis Bērziņš");
        assert_eq!(json["victims"].as_array().unwrap().len(), 1);
        assert!(!json.to_string().contains("Olena") && !json.to_string().contains("Koval"), "no victim's name");
        let e = w.app.europol_export(&w.police, &id, &request(&["victims"], "")).await.unwrap_err();
        assert_eq!(field_of(e).0, "justification");
        // Each package is one disclosure in the audit log: recipient and parts, no names.
        assert_eq!(count(&w.app, "proceedings_disclosed").await - disclosed, 2);
        let details = w
            .app
            .store()
            .count_unchecked(
                "SELECT COUNT(*) FROM audit_log WHERE action = 'proceedings_disclosed' \
                 AND detail = 'recipient=europol,parts=suspects+victims'",
            )
            .await
            .unwrap();
        assert_eq!(details, 1);
        // Support organisations never export; another unit does not know of the investigation.
        assert!(matches!(
            w.app.europol_export(&w.caseworker, &id, &request(&["assets"], "")).await,
            Err(AppError::Forbidden)
        ));
        assert!(matches!(
            w.app.europol_export(&w.other_police, &id, &request(&["assets"], "")).await,
            Err(AppError::NotFound)
        ));
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn fd_2002_465_art_1_a_joint_team_across_two_countries_shows_each_only_its_own_investigation() {
    for w in worlds().await {
        let lv = w
            .app
            .open_investigation(&w.police, &investigation(&w.prosecution_id, "LV"))
            .await
            .unwrap()
            .investigation
            .id;
        let ee = w
            .app
            .open_investigation(&w.ee_police, &investigation(&w.ee_prosecution_id, "EE"))
            .await
            .unwrap()
            .investigation
            .id;
        let input = JointTeamInput {
            agreement_reference: "JIT LV-EE 2026/01".into(),
            signed_on: "2026-02-01".into(),
            starts_on: "2026-02-15".into(),
            ends_on: "2027-02-14".into(),
            members: vec![
                TeamMemberInput { country: "LV".into(), agency: "State Police".into() },
                TeamMemberInput { country: "EE".into(), agency: "Police and Border Guard Board".into() },
            ],
            eurojust: true,
            europol: true,
            purpose: "Recruitment in Tallinn for construction sites in Riga.".into(),
        };
        let team = w.app.open_joint_team(&w.police, &lv, &input).await.unwrap();
        let team_id = team.team.id.clone();
        let view = w.app.link_joint_team(&w.ee_police, &team_id, &ee).await.unwrap();
        assert_eq!(view.investigations.len(), 2);
        // The Estonian officer sees the team and both parties, its own investigation, not Latvia's.
        let ee_side: Vec<_> =
            view.investigations.iter().map(|i| (i.country.as_str(), i.investigation_id.is_some())).collect();
        let mut ee_side = ee_side;
        ee_side.sort();
        assert_eq!(ee_side, vec![("EE", true), ("LV", false)]);
        let lv_view = w.app.joint_team(&w.prosecutor, &team_id).await.unwrap();
        let lv_side: Vec<_> =
            lv_view.investigations.iter().map(|i| (i.country.as_str(), i.reference.clone())).collect();
        let mut lv_side = lv_side;
        lv_side.sort();
        assert_eq!(lv_side, vec![("EE", None), ("LV", Some("LV-11816000123".to_owned()))]);
        assert!(lv_view.team.eurojust && lv_view.team.europol);
        assert_eq!(w.app.joint_teams(&w.ee_police).await.unwrap().len(), 1);
        // Nobody else: another unit, a support organisation; an investigation of a country
        // that is not a member is not linked.
        assert!(matches!(w.app.joint_team(&w.other_police, &team_id).await, Err(AppError::NotFound)));
        assert!(matches!(w.app.joint_team(&w.caseworker, &team_id).await, Err(AppError::Forbidden)));
        assert!(w.app.joint_teams(&w.other_police).await.unwrap().is_empty());
        let lt_police = organisation(&w.app, "Lithuanian Police", "police", "LT").await;
        let lt_officer = user(&w.app, "lt.officer", &lt_police, "investigator").await;
        let mut lt_input = investigation("", "LT");
        lt_input.places[0].locality = "Vilnius".into();
        let lt = w.app.open_investigation(&lt_officer, &lt_input).await.unwrap().investigation.id;
        let e = w.app.link_joint_team(&lt_officer, &team_id, &lt).await.unwrap_err();
        assert_eq!(field_of(e), ("investigation_id".into(), Some(MessageId::ProceedingsTeamCountryNotMember)));
        // One party records the outcome, once.
        let outcome = TeamOutcomeInput {
            outcome: "prosecutions".into(),
            ended_on: "2026-05-20".into(),
            evaluation: "Four charged in two countries.".into(),
            version: 1,
        };
        let done = w.app.conclude_joint_team(&w.ee_police, &team_id, &outcome).await.unwrap();
        assert!(done.team.outcome.is_some());
        let e = w
            .app
            .conclude_joint_team(&w.police, &team_id, &TeamOutcomeInput { version: 2, ..outcome })
            .await
            .unwrap_err();
        assert_eq!(field_of(e).0, "outcome");
    }
}
