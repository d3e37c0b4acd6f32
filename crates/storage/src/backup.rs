//! Logical backup and restore: every table, read in one snapshot transaction, written as JSON
//! lines (one header line, then one line per row). The same format serves both backends, so a
//! SQLite backup restores into PostgreSQL and back. Encryption of the stream is the caller's
//! (the CLI wraps it with the master key); identifiers inside are ciphertext already.

use crate::{Result, StorageError, Store};
use base64::Engine;
use base64::engine::general_purpose::STANDARD;
use serde_json::{Value, json};
use sqlx::Row;
use std::io::{BufRead, Write};

#[derive(Clone, Copy)]
enum Col {
    Text,
    Int,
    Blob,
    Bool,
}

/// A table: its name, its `ORDER BY` key, its columns.
type TableSpec = (&'static str, &'static str, &'static [(&'static str, Col)]);

/// Tables in the order a restore must insert them (parents before children).
const SPEC: &[TableSpec] = &[
    ("data_keys", "id", &[("id", Col::Int), ("purpose", Col::Text), ("wrapped", Col::Blob), ("created_at", Col::Int)]),
    (
        "organisations",
        "id",
        &[
            ("id", Col::Text),
            ("name", Col::Text),
            ("kind", Col::Text),
            ("jurisdiction", Col::Text),
            ("created_at", Col::Int),
        ],
    ),
    (
        "users",
        "id",
        &[
            ("id", Col::Text),
            ("username", Col::Text),
            ("display_name", Col::Text),
            ("organisation_id", Col::Text),
            ("password_hash", Col::Text),
            ("disabled", Col::Bool),
            ("language", Col::Text),
            ("totp_secret", Col::Blob),
            ("totp_last_step", Col::Int),
            ("created_at", Col::Int),
        ],
    ),
    ("user_roles", "user_id, role", &[("user_id", Col::Text), ("role", Col::Text)]),
    (
        "sessions",
        "token_hash",
        &[
            ("token_hash", Col::Blob),
            ("user_id", Col::Text),
            ("created_at", Col::Int),
            ("last_seen_at", Col::Int),
            ("revoked", Col::Bool),
        ],
    ),
    (
        "api_tokens",
        "id",
        &[
            ("id", Col::Text),
            ("user_id", Col::Text),
            ("name", Col::Text),
            ("token_hash", Col::Blob),
            ("created_at", Col::Int),
            ("last_used_at", Col::Int),
            ("revoked", Col::Bool),
            ("expires_at", Col::Int),
        ],
    ),
    (
        "role_grants",
        "id",
        &[
            ("id", Col::Text),
            ("user_id", Col::Text),
            ("roles", Col::Text),
            ("requested_by", Col::Text),
            ("requested_at", Col::Int),
            ("state", Col::Text),
            ("decided_by", Col::Text),
            ("decided_at", Col::Int),
        ],
    ),
    (
        "setup_codes",
        "user_id",
        &[
            ("user_id", Col::Text),
            ("code_hash", Col::Blob),
            ("created_by", Col::Text),
            ("created_at", Col::Int),
            ("expires_at", Col::Int),
        ],
    ),
    (
        "cases",
        "id",
        &[
            ("id", Col::Text),
            ("reference", Col::Text),
            ("owner_organisation_id", Col::Text),
            ("jurisdiction", Col::Text),
            ("created_by", Col::Text),
            ("created_at", Col::Int),
        ],
    ),
    (
        "persons",
        "case_id",
        &[
            ("case_id", Col::Text),
            ("given_names", Col::Blob),
            ("family_names", Col::Blob),
            ("aliases", Col::Blob),
            ("date_of_birth", Col::Blob),
            ("sex", Col::Text),
            ("name_index", Col::Blob),
        ],
    ),
    (
        "case_shares",
        "case_id, organisation_id",
        &[
            ("case_id", Col::Text),
            ("organisation_id", Col::Text),
            ("compartments", Col::Text),
            ("shared_by", Col::Text),
            ("created_at", Col::Int),
        ],
    ),
    (
        "case_notes",
        "id",
        &[
            ("id", Col::Text),
            ("case_id", Col::Text),
            ("compartment", Col::Text),
            ("body", Col::Blob),
            ("author_id", Col::Text),
            ("author_organisation_id", Col::Text),
            ("created_at", Col::Int),
        ],
    ),
    (
        "registrations",
        "case_id",
        &[
            ("case_id", Col::Text),
            ("state", Col::Text),
            ("version", Col::Int),
            ("record", Col::Blob),
            ("referred_on", Col::Text),
            ("sex", Col::Text),
            ("age_group", Col::Text),
            ("child_status", Col::Text),
            ("citizenships", Col::Text),
            ("forms", Col::Text),
            ("guardian_appointed_on", Col::Text),
            ("nrm_status", Col::Text),
            ("rg_decided_on", Col::Text),
            ("cg_decided_on", Col::Text),
            ("assistance_since", Col::Text),
            ("reflection_from", Col::Text),
            ("updated_at", Col::Int),
            ("updated_by", Col::Text),
            ("procedure_id", Col::Text),
        ],
    ),
    (
        "decisions",
        "case_id, seq",
        &[
            ("case_id", Col::Text),
            ("seq", Col::Int),
            ("kind", Col::Text),
            ("decided_on", Col::Text),
            ("reasons", Col::Blob),
            ("corrects", Col::Int),
            ("decided_by", Col::Text),
            ("organisation_id", Col::Text),
            ("recorded_at", Col::Int),
            ("votes", Col::Text),
        ],
    ),
    (
        "case_records",
        "id",
        &[
            ("id", Col::Text),
            ("case_id", Col::Text),
            ("kind", Col::Text),
            ("compartment", Col::Text),
            ("body", Col::Blob),
            ("created_by", Col::Text),
            ("created_at", Col::Int),
        ],
    ),
    ("identifier_index", "case_id, kind, value", &[("case_id", Col::Text), ("kind", Col::Text), ("value", Col::Blob)]),
    ("linkage_index", "id", &[("id", Col::Int), ("basis", Col::Blob), ("cases", Col::Int), ("built_at", Col::Int)]),
    (
        "person_review_answers",
        "id",
        &[
            ("id", Col::Text),
            ("jurisdiction", Col::Text),
            ("case_id_a", Col::Text),
            ("case_id_b", Col::Text),
            ("answer", Col::Text),
            ("question", Col::Text),
            ("weight_micro", Col::Int),
            ("answered_by", Col::Text),
            ("answered_at", Col::Int),
        ],
    ),
    (
        "person_review_pairs",
        "jurisdiction, case_id_a, case_id_b",
        &[
            ("jurisdiction", Col::Text),
            ("case_id_a", Col::Text),
            ("case_id_b", Col::Text),
            ("weight_micro", Col::Int),
            ("pattern", Col::Int),
            ("rules", Col::Int),
            ("model_version", Col::Int),
            ("scored_at", Col::Int),
        ],
    ),
    (
        "person_models",
        "version",
        &[
            ("version", Col::Int),
            ("jurisdiction", Col::Text),
            ("model", Col::Text),
            ("basis", Col::Text),
            ("threshold_before_nano", Col::Int),
            ("threshold_after_nano", Col::Int),
            ("warnings", Col::Text),
            ("created_by", Col::Text),
            ("created_at", Col::Int),
        ],
    ),
    (
        "person_clusters",
        "case_id",
        &[("case_id", Col::Text), ("person_id", Col::Text), ("basis", Col::Blob), ("assigned_at", Col::Int)],
    ),
    (
        "person_merges",
        "person_id",
        &[("person_id", Col::Text), ("merged_into", Col::Text), ("merged_at", Col::Int), ("cause", Col::Text)],
    ),
    (
        "person_cannot_links",
        "case_id_a, case_id_b",
        &[("case_id_a", Col::Text), ("case_id_b", Col::Text), ("recorded_by", Col::Text), ("recorded_at", Col::Int)],
    ),
    (
        "linkage_jobs",
        "id",
        &[
            ("id", Col::Text),
            ("kind", Col::Text),
            ("state", Col::Text),
            ("basis", Col::Blob),
            ("done", Col::Int),
            ("total", Col::Int),
            ("started_at", Col::Int),
            ("ended_at", Col::Int),
            ("started_by", Col::Text),
            ("detail", Col::Text),
        ],
    ),
    (
        "notifications",
        "id",
        &[
            ("id", Col::Text),
            ("jurisdiction", Col::Text),
            ("organisation_id", Col::Text),
            ("organisation_kind", Col::Text),
            ("notified_on", Col::Text),
            ("sex", Col::Text),
            ("age_group", Col::Text),
            ("citizenship", Col::Text),
            ("forms", Col::Text),
            ("created_by", Col::Text),
            ("created_at", Col::Int),
        ],
    ),
    (
        "assessments",
        "case_id, seq",
        &[
            ("case_id", Col::Text),
            ("seq", Col::Int),
            ("state", Col::Text),
            ("risk_level", Col::Text),
            ("child", Col::Int),
            ("assessed_on", Col::Text),
            ("record", Col::Blob),
            ("created_by", Col::Text),
            ("created_at", Col::Int),
            ("reviewed_by", Col::Text),
            ("reviewed_at", Col::Int),
            ("return_reason", Col::Blob),
        ],
    ),
    (
        "plan_items",
        "id",
        &[
            ("id", Col::Text),
            ("case_id", Col::Text),
            ("service", Col::Text),
            ("organisation_id", Col::Text),
            ("provider_id", Col::Text),
            ("status", Col::Text),
            ("starts_on", Col::Text),
            ("ends_on", Col::Text),
            ("record", Col::Blob),
            ("version", Col::Int),
            ("created_by", Col::Text),
            ("created_at", Col::Int),
            ("updated_by", Col::Text),
            ("updated_at", Col::Int),
        ],
    ),
    (
        "providers",
        "id",
        &[
            ("id", Col::Text),
            ("jurisdiction", Col::Text),
            ("organisation_id", Col::Text),
            ("name", Col::Text),
            ("record", Col::Text),
            ("version", Col::Int),
            ("updated_by", Col::Text),
            ("updated_at", Col::Int),
        ],
    ),
    (
        "provider_services",
        "provider_id, service",
        &[("provider_id", Col::Text), ("service", Col::Text), ("capacity", Col::Int), ("occupied", Col::Int)],
    ),
    (
        "referrals",
        "id",
        &[
            ("id", Col::Text),
            ("case_id", Col::Text),
            ("kind", Col::Text),
            ("service", Col::Text),
            ("from_organisation_id", Col::Text),
            ("to_organisation_id", Col::Text),
            ("provider_id", Col::Text),
            ("state", Col::Text),
            ("urgent", Col::Int),
            ("consent_basis", Col::Text),
            ("consent", Col::Blob),
            ("shared_fields", Col::Text),
            ("shared", Col::Blob),
            ("message", Col::Blob),
            ("holds_place", Col::Int),
            ("due_on", Col::Text),
            ("version", Col::Int),
            ("created_by", Col::Text),
            ("created_at", Col::Int),
            ("updated_by", Col::Text),
            ("updated_at", Col::Int),
        ],
    ),
    (
        "referral_events",
        "referral_id, seq",
        &[
            ("referral_id", Col::Text),
            ("seq", Col::Int),
            ("state", Col::Text),
            ("note", Col::Blob),
            ("by_user", Col::Text),
            ("by_organisation", Col::Text),
            ("at", Col::Int),
        ],
    ),
    (
        "support_records",
        "id",
        &[
            ("id", Col::Text),
            ("case_id", Col::Text),
            ("kind", Col::Text),
            ("status", Col::Text),
            ("body", Col::Blob),
            ("version", Col::Int),
            ("created_by", Col::Text),
            ("created_at", Col::Int),
            ("updated_by", Col::Text),
            ("updated_at", Col::Int),
        ],
    ),
    (
        "investigations",
        "id",
        &[
            ("id", Col::Text),
            ("jurisdiction", Col::Text),
            ("unit_organisation_id", Col::Text),
            ("prosecutor_organisation_id", Col::Text),
            ("opened_on", Col::Text),
            ("opening", Col::Text),
            ("status", Col::Text),
            ("status_since", Col::Text),
            ("record", Col::Blob),
            ("version", Col::Int),
            ("created_by", Col::Text),
            ("created_at", Col::Int),
            ("updated_by", Col::Text),
            ("updated_at", Col::Int),
        ],
    ),
    (
        "investigation_victims",
        "investigation_id, case_id",
        &[
            ("investigation_id", Col::Text),
            ("case_id", Col::Text),
            ("linked_on", Col::Text),
            ("linked_by", Col::Text),
            ("linked_at", Col::Int),
        ],
    ),
    (
        "suspects",
        "id",
        &[
            ("id", Col::Text),
            ("investigation_id", Col::Text),
            ("kind", Col::Text),
            ("name", Col::Blob),
            ("case_id", Col::Text),
            ("roles", Col::Text),
            ("criminal_organisation", Col::Bool),
            ("public_official", Col::Bool),
            ("citizenship", Col::Text),
            ("sex", Col::Text),
            ("age_group", Col::Text),
            ("liability", Col::Text),
            ("created_by", Col::Text),
            ("created_at", Col::Int),
        ],
    ),
    (
        "proceedings_records",
        "id",
        &[
            ("id", Col::Text),
            ("investigation_id", Col::Text),
            ("suspect_id", Col::Text),
            ("kind", Col::Text),
            ("body", Col::Blob),
            ("recorded_on", Col::Text),
            ("created_by", Col::Text),
            ("created_at", Col::Int),
        ],
    ),
    (
        "non_punishment_notices",
        "id",
        &[
            ("id", Col::Text),
            ("investigation_id", Col::Text),
            ("suspect_id", Col::Text),
            ("case_id", Col::Text),
            ("standing", Col::Text),
            ("path", Col::Text),
            ("raised_on", Col::Text),
            ("outcome", Col::Text),
            ("reasons", Col::Blob),
            ("decided_by", Col::Text),
            ("decided_on", Col::Text),
        ],
    ),
    (
        "assets",
        "id",
        &[
            ("id", Col::Text),
            ("investigation_id", Col::Text),
            ("suspect_id", Col::Text),
            ("kind", Col::Text),
            ("held_in", Col::Text),
            ("value_euro_cents", Col::Int),
            ("record", Col::Blob),
            ("created_by", Col::Text),
            ("created_at", Col::Int),
        ],
    ),
    (
        "asset_measures",
        "id",
        &[
            ("id", Col::Text),
            ("asset_id", Col::Text),
            ("investigation_id", Col::Text),
            ("kind", Col::Text),
            ("measure_on", Col::Text),
            ("amount_euro_cents", Col::Int),
            ("record", Col::Blob),
            ("created_by", Col::Text),
            ("created_at", Col::Int),
        ],
    ),
    (
        "confiscation_allocations",
        "id",
        &[
            ("id", Col::Text),
            ("asset_id", Col::Text),
            ("investigation_id", Col::Text),
            ("claim_id", Col::Text),
            ("case_id", Col::Text),
            ("amount_euro_cents", Col::Int),
            ("allocated_on", Col::Text),
            ("paid_out_euro_cents", Col::Int),
            ("paid_out_on", Col::Text),
            ("version", Col::Int),
            ("created_by", Col::Text),
            ("created_at", Col::Int),
            ("updated_by", Col::Text),
            ("updated_at", Col::Int),
        ],
    ),
    (
        "financial_investigations",
        "investigation_id",
        &[
            ("investigation_id", Col::Text),
            ("status", Col::Text),
            ("since", Col::Text),
            ("reasons", Col::Blob),
            ("version", Col::Int),
            ("updated_by", Col::Text),
            ("updated_at", Col::Int),
        ],
    ),
    (
        "financial_items",
        "id",
        &[
            ("id", Col::Text),
            ("investigation_id", Col::Text),
            ("kind", Col::Text),
            ("body", Col::Blob),
            ("created_by", Col::Text),
            ("created_at", Col::Int),
        ],
    ),
    (
        "joint_teams",
        "id",
        &[
            ("id", Col::Text),
            ("record", Col::Blob),
            ("version", Col::Int),
            ("created_by", Col::Text),
            ("created_at", Col::Int),
            ("updated_by", Col::Text),
            ("updated_at", Col::Int),
        ],
    ),
    (
        "joint_team_investigations",
        "team_id, investigation_id",
        &[
            ("team_id", Col::Text),
            ("investigation_id", Col::Text),
            ("jurisdiction", Col::Text),
            ("linked_by", Col::Text),
            ("linked_at", Col::Int),
        ],
    ),
    (
        "protection_measures",
        "id",
        &[
            ("id", Col::Text),
            ("investigation_id", Col::Text),
            ("case_id", Col::Text),
            ("measure", Col::Text),
            ("status", Col::Text),
            ("recorded_on", Col::Text),
            ("reasons", Col::Blob),
            ("recorded_by", Col::Text),
            ("recorded_at", Col::Int),
        ],
    ),
    (
        "victim_information",
        "id",
        &[
            ("id", Col::Text),
            ("investigation_id", Col::Text),
            ("case_id", Col::Text),
            ("kind", Col::Text),
            ("channel", Col::Text),
            ("language", Col::Text),
            ("given_by", Col::Blob),
            ("given_on", Col::Text),
            ("note", Col::Blob),
            ("recorded_by", Col::Text),
            ("recorded_at", Col::Int),
        ],
    ),
    (
        "representations",
        "id",
        &[
            ("id", Col::Text),
            ("case_id", Col::Text),
            ("lawyer_user_id", Col::Text),
            ("jurisdiction", Col::Text),
            ("from_on", Col::Text),
            ("consent_on", Col::Text),
            ("consent_note", Col::Blob),
            ("recorded_by", Col::Text),
            ("recorded_at", Col::Int),
            ("revoked_on", Col::Text),
            ("revocation_reason", Col::Blob),
            ("revoked_by", Col::Text),
            ("revoked_at", Col::Int),
        ],
    ),
    (
        "trainings",
        "id",
        &[
            ("id", Col::Text),
            ("jurisdiction", Col::Text),
            ("organisation_id", Col::Text),
            ("starts_on", Col::Text),
            ("body", Col::Text),
            ("created_by", Col::Text),
            ("created_at", Col::Int),
        ],
    ),
    (
        "strategies",
        "id",
        &[
            ("id", Col::Text),
            ("jurisdiction", Col::Text),
            ("body", Col::Text),
            ("created_by", Col::Text),
            ("created_at", Col::Int),
        ],
    ),
    (
        "strategy_actions",
        "strategy_id, number",
        &[
            ("strategy_id", Col::Text),
            ("number", Col::Text),
            ("body", Col::Text),
            ("created_by", Col::Text),
            ("created_at", Col::Int),
        ],
    ),
    (
        "strategy_action_progress",
        "strategy_id, number",
        &[
            ("strategy_id", Col::Text),
            ("number", Col::Text),
            ("jurisdiction", Col::Text),
            ("body", Col::Text),
            ("updated_by", Col::Text),
            ("updated_at", Col::Int),
        ],
    ),
    (
        "networks",
        "id",
        &[
            ("id", Col::Text),
            ("parent_id", Col::Text),
            ("jurisdiction", Col::Text),
            ("body", Col::Text),
            ("created_by", Col::Text),
            ("created_at", Col::Int),
            ("updated_at", Col::Int),
        ],
    ),
    (
        "network_meetings",
        "id",
        &[
            ("id", Col::Text),
            ("parent_id", Col::Text),
            ("jurisdiction", Col::Text),
            ("body", Col::Text),
            ("created_by", Col::Text),
            ("created_at", Col::Int),
            ("updated_at", Col::Int),
        ],
    ),
    (
        "network_contacts",
        "id",
        &[
            ("id", Col::Text),
            ("network_id", Col::Text),
            ("jurisdiction", Col::Text),
            ("name", Col::Blob),
            ("email", Col::Blob),
            ("organisation", Col::Text),
            ("purpose", Col::Text),
            ("retain_until", Col::Text),
            ("created_by", Col::Text),
            ("created_at", Col::Int),
        ],
    ),
    (
        "prevention_records",
        "id",
        &[
            ("id", Col::Text),
            ("parent_id", Col::Text),
            ("jurisdiction", Col::Text),
            ("body", Col::Text),
            ("created_by", Col::Text),
            ("created_at", Col::Int),
            ("updated_at", Col::Int),
        ],
    ),
    (
        "greta_rounds",
        "id",
        &[
            ("id", Col::Text),
            ("country", Col::Text),
            ("round", Col::Int),
            ("body", Col::Text),
            ("created_by", Col::Text),
            ("created_at", Col::Int),
        ],
    ),
    (
        "greta_recommendations",
        "id",
        &[
            ("id", Col::Text),
            ("round_id", Col::Text),
            ("country", Col::Text),
            ("body", Col::Text),
            ("created_by", Col::Text),
            ("created_at", Col::Int),
        ],
    ),
    (
        "greta_follow_ups",
        "id",
        &[
            ("id", Col::Text),
            ("recommendation_id", Col::Text),
            ("country", Col::Text),
            ("body", Col::Text),
            ("created_by", Col::Text),
            ("created_at", Col::Int),
        ],
    ),
    (
        "annual_reports",
        "id",
        &[
            ("id", Col::Text),
            ("jurisdiction", Col::Text),
            ("year", Col::Int),
            ("status", Col::Text),
            ("narrative", Col::Blob),
            ("version", Col::Int),
            ("created_by", Col::Text),
            ("created_at", Col::Int),
            ("updated_by", Col::Text),
            ("updated_at", Col::Int),
            ("finalised_by", Col::Text),
            ("finalised_at", Col::Int),
        ],
    ),
    (
        "transposition_records",
        "id",
        &[
            ("id", Col::Text),
            ("kind", Col::Text),
            ("country", Col::Text),
            ("jurisdiction", Col::Text),
            ("instrument", Col::Text),
            ("day", Col::Text),
            ("body", Col::Text),
            ("recorded_by", Col::Text),
            ("recorded_at", Col::Int),
        ],
    ),
    (
        "suspect_person_links",
        "suspect_a, suspect_b",
        &[
            ("suspect_a", Col::Text),
            ("suspect_b", Col::Text),
            ("jurisdiction", Col::Text),
            ("answer", Col::Text),
            ("decided_by", Col::Text),
            ("decided_at", Col::Int),
        ],
    ),
    (
        "exchange_identity",
        "id",
        &[
            ("id", Col::Int),
            ("instance_id", Col::Text),
            ("role", Col::Text),
            ("endpoint", Col::Text),
            ("sequence", Col::Int),
            ("created_by", Col::Text),
            ("created_at", Col::Int),
        ],
    ),
    (
        "exchange_keys",
        "instance_id, key_id",
        &[
            ("instance_id", Col::Text),
            ("key_id", Col::Text),
            ("kind", Col::Text),
            ("public_key", Col::Blob),
            ("signing_secret", Col::Blob),
            ("encryption_secret", Col::Blob),
            ("valid_from", Col::Int),
            ("valid_until", Col::Int),
            ("created_at", Col::Int),
            ("revoked_at", Col::Int),
            ("revoked_reason", Col::Text),
        ],
    ),
    (
        "exchange_peers",
        "instance_id",
        &[
            ("instance_id", Col::Text),
            ("role", Col::Text),
            ("record", Col::Text),
            ("revocations", Col::Text),
            ("pinned_at", Col::Int),
            ("pinned_by", Col::Text),
            ("updated_at", Col::Int),
        ],
    ),
    (
        "exchange_outbox",
        "message_id",
        &[
            ("message_id", Col::Text),
            ("receiver", Col::Text),
            ("message_type", Col::Text),
            ("type_version", Col::Int),
            ("body", Col::Blob),
            ("created_by", Col::Text),
            ("created_at", Col::Int),
            ("expires_at", Col::Int),
            ("state", Col::Text),
            ("attempts", Col::Int),
            ("next_attempt_at", Col::Int),
            ("last_error", Col::Text),
            ("delivered_at", Col::Int),
            ("ack_received_at", Col::Int),
            ("ack_status", Col::Text),
            ("ack_reason", Col::Text),
            ("ack_at", Col::Int),
            ("body_cleared_at", Col::Int),
        ],
    ),
    (
        "exchange_inbox",
        "message_id",
        &[
            ("message_id", Col::Text),
            ("sender", Col::Text),
            ("message_type", Col::Text),
            ("type_version", Col::Int),
            ("body", Col::Blob),
            ("envelope_sha256", Col::Text),
            ("received_at", Col::Int),
            ("remember_until", Col::Int),
            ("state", Col::Text),
            ("received_ack_queued", Col::Bool),
            ("outcome_ack_queued", Col::Bool),
            ("dispatch_attempts", Col::Int),
            ("next_dispatch_at", Col::Int),
            ("signed_header", Col::Blob),
            ("signature", Col::Blob),
        ],
    ),
    (
        "transnational_referrals",
        "id",
        &[
            ("id", Col::Text),
            ("referral_id", Col::Text),
            ("direction", Col::Text),
            ("peer", Col::Text),
            ("case_id", Col::Text),
            ("organisation_id", Col::Text),
            ("purpose", Col::Text),
            ("state", Col::Text),
            ("draft", Col::Blob),
            ("body", Col::Blob),
            ("message_id", Col::Text),
            ("created_by", Col::Text),
            ("created_at", Col::Int),
            ("updated_at", Col::Int),
        ],
    ),
    (
        "transnational_referral_events",
        "referral_row, seq",
        &[
            ("referral_row", Col::Text),
            ("seq", Col::Int),
            ("state", Col::Text),
            ("effective_on", Col::Text),
            ("by_user", Col::Text),
            ("message_id", Col::Text),
            ("detail", Col::Blob),
            ("at", Col::Int),
        ],
    ),
    (
        "stat_releases",
        "id",
        &[
            ("id", Col::Text),
            ("jurisdiction", Col::Text),
            ("year", Col::Int),
            ("mode", Col::Text),
            ("params", Col::Text),
            ("dataset", Col::Text),
            ("report", Col::Text),
            ("epsilon_micro", Col::Int),
            ("delta_pico", Col::Int),
            ("created_by", Col::Text),
            ("created_at", Col::Int),
        ],
    ),
    (
        "privacy_budgets",
        "jurisdiction, year",
        &[
            ("jurisdiction", Col::Text),
            ("year", Col::Int),
            ("epsilon_budget_micro", Col::Int),
            ("delta_budget_pico", Col::Int),
            ("epsilon_spent_micro", Col::Int),
            ("delta_spent_pico", Col::Int),
        ],
    ),
    (
        "hub_submissions",
        "id",
        &[
            ("id", Col::Text),
            ("country", Col::Text),
            ("year", Col::Int),
            ("format", Col::Text),
            ("dataset", Col::Text),
            ("observations", Col::Int),
            ("submitted_by", Col::Text),
            ("organisation_id", Col::Text),
            ("submitted_at", Col::Int),
        ],
    ),
    (
        "exchange_statistics_received",
        "submission_id",
        &[
            ("submission_id", Col::Text),
            ("message_id", Col::Text),
            ("sender", Col::Text),
            ("signing_key_id", Col::Text),
            ("release_id", Col::Text),
            ("content_sha256", Col::Text),
            ("header", Col::Blob),
            ("body", Col::Blob),
            ("signature", Col::Blob),
            ("received_at", Col::Int),
        ],
    ),
    (
        "exchange_statistics_sent",
        "release_id",
        &[
            ("release_id", Col::Text),
            ("message_id", Col::Text),
            ("receiver", Col::Text),
            ("state", Col::Text),
            ("error", Col::Text),
            ("sent_by", Col::Text),
            ("created_at", Col::Int),
            ("updated_at", Col::Int),
        ],
    ),
    (
        "person_linkage_secrets",
        "generation",
        &[("generation", Col::Text), ("secret", Col::Blob), ("created_by", Col::Text), ("created_at", Col::Int)],
    ),
    (
        "person_encodings_received",
        "country, year",
        &[
            ("country", Col::Text),
            ("year", Col::Int),
            ("message_id", Col::Text),
            ("sender", Col::Text),
            ("secret_generation", Col::Text),
            ("encoded_bits", Col::Int),
            ("schema", Col::Text),
            ("persons", Col::Int),
            ("encodings", Col::Blob),
            ("received_at", Col::Int),
        ],
    ),
    (
        "cross_border_counts",
        "year",
        &[
            ("year", Col::Int),
            ("result", Col::Text),
            ("counted_at", Col::Int),
            ("published_at", Col::Int),
            ("published_by", Col::Text),
            ("encodings_deleted_at", Col::Int),
        ],
    ),
    (
        "subject_requests",
        "id",
        &[
            ("id", Col::Text),
            ("jurisdiction", Col::Text),
            ("kind", Col::Text),
            ("case_id", Col::Text),
            ("received_on", Col::Text),
            ("extended", Col::Bool),
            ("due_on", Col::Text),
            ("status", Col::Text),
            ("identity_checked_by", Col::Text),
            ("identity_method", Col::Text),
            ("identity_checked_on", Col::Text),
            ("answered_on", Col::Text),
            ("detail", Col::Blob),
            ("version", Col::Int),
            ("created_by", Col::Text),
            ("created_at", Col::Int),
            ("updated_by", Col::Text),
            ("updated_at", Col::Int),
        ],
    ),
    (
        "case_restrictions",
        "case_id",
        &[
            ("case_id", Col::Text),
            ("request_id", Col::Text),
            ("reason", Col::Blob),
            ("restricted_by", Col::Text),
            ("restricted_at", Col::Int),
        ],
    ),
    (
        "rectifications",
        "id",
        &[
            ("id", Col::Text),
            ("case_id", Col::Text),
            ("field", Col::Text),
            ("old_value", Col::Blob),
            ("reason", Col::Blob),
            ("request_id", Col::Text),
            ("rectified_by", Col::Text),
            ("rectified_at", Col::Int),
        ],
    ),
    // Retention (migration 0034): the job's listing, the legal holds, the days cases were
    // closed and the officer's completions of the record of processing.
    (
        "retention_items",
        "record_kind, record_id",
        &[
            ("record_kind", Col::Text),
            ("record_id", Col::Text),
            ("jurisdiction", Col::Text),
            ("case_id", Col::Text),
            ("organisation_id", Col::Text),
            ("runs_from", Col::Text),
            ("from_on", Col::Text),
            ("due_on", Col::Text),
            ("action", Col::Text),
            ("listed_on", Col::Text),
            ("state", Col::Text),
            ("decided_by", Col::Text),
            ("decided_at", Col::Int),
            ("note", Col::Text),
        ],
    ),
    (
        "retention_holds",
        "id",
        &[
            ("id", Col::Text),
            ("record_kind", Col::Text),
            ("record_id", Col::Text),
            ("jurisdiction", Col::Text),
            ("reason", Col::Text),
            ("placed_by", Col::Text),
            ("placed_at", Col::Int),
            ("released_by", Col::Text),
            ("released_at", Col::Int),
            ("release_reason", Col::Text),
        ],
    ),
    (
        "case_closures",
        "case_id",
        &[("case_id", Col::Text), ("closed_on", Col::Text), ("closed_by", Col::Text), ("closed_at", Col::Int)],
    ),
    (
        "processing_record_completions",
        "jurisdiction, field",
        &[
            ("jurisdiction", Col::Text),
            ("field", Col::Text),
            ("body", Col::Text),
            ("updated_by", Col::Text),
            ("updated_at", Col::Int),
        ],
    ),
    (
        "audit_log",
        "seq",
        &[
            ("seq", Col::Int),
            ("at", Col::Int),
            ("actor_user_id", Col::Text),
            ("actor_organisation_id", Col::Text),
            ("action", Col::Text),
            ("outcome", Col::Text),
            ("target_kind", Col::Text),
            ("target_id", Col::Text),
            ("target_organisation_id", Col::Text),
            ("address", Col::Text),
            ("detail", Col::Text),
            ("mac", Col::Blob),
        ],
    ),
    ("audit_head", "id", &[("id", Col::Int), ("seq", Col::Int), ("mac", Col::Blob), ("head_mac", Col::Blob)]),
    // That a case was erased (crypto-shredding), without content; its key is in the key store,
    // which the backup never carries (subject_keys, KEY_STORE_TABLES).
    ("case_erasures", "case_id", &[("case_id", Col::Text), ("erased_at", Col::Int), ("erased_by", Col::Text)]),
];

/// The tables a backup holds, in restore order.
pub const TABLES: &[&str] = &[
    "data_keys",
    "organisations",
    "users",
    "user_roles",
    "sessions",
    "api_tokens",
    "role_grants",
    "setup_codes",
    "cases",
    "persons",
    "case_shares",
    "case_notes",
    "registrations",
    "decisions",
    "case_records",
    "identifier_index",
    "linkage_index",
    "person_review_answers",
    "person_review_pairs",
    "person_models",
    "person_clusters",
    "person_merges",
    "person_cannot_links",
    "linkage_jobs",
    "notifications",
    "assessments",
    "plan_items",
    "providers",
    "provider_services",
    "referrals",
    "referral_events",
    "support_records",
    "investigations",
    "investigation_victims",
    "suspects",
    "proceedings_records",
    "non_punishment_notices",
    "assets",
    "asset_measures",
    "confiscation_allocations",
    "financial_investigations",
    "financial_items",
    "joint_teams",
    "joint_team_investigations",
    "protection_measures",
    "victim_information",
    "representations",
    "trainings",
    "strategies",
    "strategy_actions",
    "strategy_action_progress",
    "greta_rounds",
    "greta_recommendations",
    "greta_follow_ups",
    "networks",
    "network_meetings",
    "network_contacts",
    "prevention_records",
    "annual_reports",
    "transposition_records",
    "suspect_person_links",
    "exchange_identity",
    "exchange_keys",
    "exchange_peers",
    "exchange_outbox",
    "exchange_inbox",
    "transnational_referrals",
    "transnational_referral_events",
    "stat_releases",
    "privacy_budgets",
    "hub_submissions",
    "exchange_statistics_received",
    "exchange_statistics_sent",
    "person_linkage_secrets",
    "person_encodings_received",
    "cross_border_counts",
    "subject_requests",
    "case_restrictions",
    "rectifications",
    "retention_items",
    "retention_holds",
    "case_closures",
    "processing_record_completions",
    "audit_log",
    "audit_head",
    "case_erasures",
];

const FORMAT: &str = "haven-backup-v1";

#[derive(Debug, thiserror::Error)]
pub enum BackupError {
    #[error("line {line}: {message}")]
    Format { line: usize, message: String },
    #[error("the target database is not empty: restore only into a new database")]
    NotEmpty,
    #[error("cannot write the backup: {0}")]
    Write(#[from] std::io::Error),
    #[error(transparent)]
    Storage(#[from] StorageError),
}

impl From<sqlx::Error> for BackupError {
    fn from(e: sqlx::Error) -> Self {
        BackupError::Storage(e.into())
    }
}

fn cell<R: Row>(row: &R, name: &str, col: Col) -> Result<Value, sqlx::Error>
where
    for<'r> &'r str: sqlx::ColumnIndex<R>,
    for<'r> Option<i64>: sqlx::Decode<'r, R::Database> + sqlx::Type<R::Database>,
    for<'r> Option<String>: sqlx::Decode<'r, R::Database> + sqlx::Type<R::Database>,
    for<'r> Option<Vec<u8>>: sqlx::Decode<'r, R::Database> + sqlx::Type<R::Database>,
    for<'r> Option<bool>: sqlx::Decode<'r, R::Database> + sqlx::Type<R::Database>,
{
    Ok(match col {
        Col::Text => row.try_get::<Option<String>, _>(name)?.map_or(Value::Null, Value::String),
        Col::Int => row.try_get::<Option<i64>, _>(name)?.map_or(Value::Null, |v| json!(v)),
        Col::Blob => {
            row.try_get::<Option<Vec<u8>>, _>(name)?.map_or(Value::Null, |v| Value::String(STANDARD.encode(v)))
        }
        Col::Bool => row.try_get::<Option<bool>, _>(name)?.map_or(Value::Null, Value::Bool),
    })
}

enum Bound {
    Text(Option<String>),
    Int(Option<i64>),
    Blob(Option<Vec<u8>>),
    Bool(Option<bool>),
}

fn to_bound(value: &Value, col: Col, line: usize, name: &str) -> Result<Bound, BackupError> {
    let bad = |what: &str| BackupError::Format { line, message: format!("column {name}: expected {what}") };
    Ok(match (col, value) {
        (Col::Text, Value::Null) => Bound::Text(None),
        (Col::Text, Value::String(s)) => Bound::Text(Some(s.clone())),
        (Col::Int, Value::Null) => Bound::Int(None),
        (Col::Int, Value::Number(n)) => Bound::Int(Some(n.as_i64().ok_or_else(|| bad("an integer"))?)),
        (Col::Blob, Value::Null) => Bound::Blob(None),
        (Col::Blob, Value::String(s)) => Bound::Blob(Some(STANDARD.decode(s).map_err(|_| bad("base64"))?)),
        (Col::Bool, Value::Null) => Bound::Bool(None),
        (Col::Bool, Value::Bool(b)) => Bound::Bool(Some(*b)),
        (Col::Text, _) => return Err(bad("text")),
        (Col::Int, _) => return Err(bad("an integer")),
        (Col::Blob, _) => return Err(bad("base64 text")),
        (Col::Bool, _) => return Err(bad("true or false")),
    })
}

impl Store {
    /// Writes every table to `out`, read in one consistent snapshot while the server runs.
    /// Returns the number of rows written.
    pub async fn dump(&self, out: &mut (dyn Write + Send)) -> Result<u64, BackupError> {
        writeln!(out, "{}", json!({ "format": FORMAT, "tables": TABLES }))?;
        let mut count = 0u64;
        on_pool!(self, |pool| {
            let mut tx = match self.backend_name() {
                "postgres" => pool.begin_with("BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY").await?,
                _ => pool.begin_with("BEGIN").await?,
            };
            for (table, order, cols) in SPEC {
                let names: Vec<&str> = cols.iter().map(|(n, _)| *n).collect();
                let sql = sqlx::AssertSqlSafe(format!("SELECT {} FROM {table} ORDER BY {order}", names.join(", ")));
                let rows = sqlx::query(sql).fetch_all(&mut *tx).await?;
                for row in &rows {
                    let values = cols.iter().map(|(n, c)| cell(row, n, *c)).collect::<Result<Vec<_>, _>>()?;
                    writeln!(out, "{}", json!({ "t": table, "r": values }))?;
                    count += 1;
                }
            }
            tx.rollback().await?;
        });
        out.flush()?;
        Ok(count)
    }

    /// Restores a dump into this (freshly migrated, empty) database, in one transaction:
    /// on any error nothing is written. Returns the number of rows restored.
    pub async fn restore(&self, input: &mut (dyn BufRead + Send)) -> Result<u64, BackupError> {
        // Any row in any table counts (an audit entry alone would collide with the backup's).
        let counts: Vec<String> = TABLES.iter().map(|t| format!("(SELECT COUNT(*) FROM {t})")).collect();
        let sql = sqlx::AssertSqlSafe(format!("SELECT {}", counts.join(" + ")));
        let existing: i64 = on_pool!(self, |pool| sqlx::query_scalar(sql).fetch_one(pool).await?);
        if existing > 0 {
            return Err(BackupError::NotEmpty);
        }
        let mut lines = input.lines().enumerate();
        let header = match lines.next() {
            Some((_, line)) => line?,
            None => {
                return Err(BackupError::Format { line: 1, message: "empty backup".into() });
            }
        };
        let header: Value = serde_json::from_str(&header)
            .map_err(|e| BackupError::Format { line: 1, message: format!("not a Haven backup header: {e}") })?;
        if header.get("format").and_then(Value::as_str) != Some(FORMAT) {
            return Err(BackupError::Format { line: 1, message: format!("expected format {FORMAT}") });
        }
        let mut count = 0u64;
        let in_order = |t: &str| SPEC.iter().position(|(name, _, _)| *name == t);
        let mut last_table = 0usize;
        let mut pending: Vec<(usize, String, Value)> = Vec::new();
        for (i, line) in lines {
            let line_no = i + 1;
            let line = line?;
            if line.trim().is_empty() {
                continue;
            }
            let v: Value = serde_json::from_str(&line)
                .map_err(|e| BackupError::Format { line: line_no, message: format!("invalid JSON: {e}") })?;
            let table = v.get("t").and_then(Value::as_str).unwrap_or_default().to_owned();
            let pos = in_order(&table)
                .ok_or_else(|| BackupError::Format { line: line_no, message: format!("unknown table {table:?}") })?;
            if pos < last_table {
                return Err(BackupError::Format { line: line_no, message: "tables out of order".into() });
            }
            last_table = pos;
            pending.push((line_no, table, v.get("r").cloned().unwrap_or(Value::Null)));
        }
        on_pool!(self, |pool| {
            let mut tx = pool.begin().await?;
            for (line_no, table, values) in &pending {
                let Some((_, _, cols)) = SPEC.iter().find(|(n, _, _)| n == table) else {
                    continue;
                };
                let values = values
                    .as_array()
                    .ok_or_else(|| BackupError::Format { line: *line_no, message: "row must be an array".into() })?;
                // A backup of an earlier schema lacks the columns added since; they are appended
                // at the end of a table's columns and are nullable, so they restore as NULL.
                if values.len() > cols.len() || values.is_empty() {
                    return Err(BackupError::Format {
                        line: *line_no,
                        message: format!("{table} rows have {} columns, found {}", cols.len(), values.len()),
                    });
                }
                let padded: Vec<Value> =
                    values.iter().cloned().chain(std::iter::repeat(Value::Null)).take(cols.len()).collect();
                let values = &padded;
                let names: Vec<&str> = cols.iter().map(|(n, _)| *n).collect();
                let params: Vec<String> = (1..=cols.len()).map(|i| format!("${i}")).collect();
                let sql = sqlx::AssertSqlSafe(format!(
                    "INSERT INTO {table} ({}) VALUES ({})",
                    names.join(", "),
                    params.join(", ")
                ));
                let mut q = sqlx::query(sql);
                for ((name, col), value) in cols.iter().zip(values) {
                    q = match to_bound(value, *col, *line_no, name)? {
                        Bound::Text(v) => q.bind(v),
                        Bound::Int(v) => q.bind(v),
                        Bound::Blob(v) => q.bind(v),
                        Bound::Bool(v) => q.bind(v),
                    };
                }
                q.execute(&mut *tx).await?;
                count += 1;
            }
            tx.commit().await?;
        });
        Ok(count)
    }
}
