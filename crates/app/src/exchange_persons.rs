//! Persons counted once across borders (docs/transnational.md, "Persons counted once across
//! borders"). Each country's focal point encodes the persons its country identified as victims
//! in a reference year as Bloom-filter encodings (haven-link's CLK, hardened with XOR folding and
//! balancing) under keys derived from a secret the focal points share, and sends only the
//! encodings to the EU hub in a `person_encodings` message; no name, date or document leaves the
//! country. The hub links the encodings of all countries (a person in three countries is one
//! person) and shows the EU total of distinct persons next to the sum of the national counts.
//!
//! The shared secret is agreed between the focal points out of band and stored in each country's
//! instance encrypted under the instance's keys (table `person_linkage_secrets`, field context
//! `person_linkage_secrets/secret/<generation>`); it is never logged, never shown again and never
//! sent to the hub, which cannot make or test encodings without it.
//!
//! Authorisation (crates/domain/src/access.rs): [`may_send_person_encodings`] (the focal point
//! of a country) stores the secret and sends; [`may_read_cross_border_persons`] (the EU level's
//! rapporteur or statistician) reads the count. Every step is audited.

use std::collections::BTreeMap;

use crate::admin::Acting;
use crate::exchange_peers::not_carried;
use crate::exchange_transport::{InboundOutcome, OutgoingMessage, ReceivedMessage};
use crate::ident::ctx;
use crate::{App, AppError, AppResult, Principal};
use haven_domain::Coded;
use haven_domain::ParseError;
use haven_domain::access::{may_read_cross_border_persons, may_send_person_encodings};
use haven_domain::audit::{AuditAction, AuditEvent, AuditOutcome};
use haven_domain::case::Sex;
use haven_domain::ident::record::PersonDetails;
use haven_domain::ident::record::RegistrationState;
use haven_domain::ident::status::NrmStatus;
use haven_domain::message::{Message, MessageId};
use haven_exchange::messages::CountryCode;
use haven_exchange::messages::acknowledgement::RefusalReason;
use haven_exchange::messages::person_encodings::{
    self, EncodedField, EncodedPerson, EncodingHardening, EncodingSchema, PersonEncodings, TokenKind,
};
use haven_link::clk::{ClkEncoder, Encodings, Hardening, Tokens};
use haven_link::multiparty::{DEFAULT_THRESHOLD, PersonFields, count_persons, encode_persons, person_schema};
use haven_storage::{PersonEncodingsRow, PersonLinkageSecretRow};
use serde::Serialize;
use time::Duration;
use uuid::Uuid;

/// How long a `person_encodings` message stays valid for delivery.
pub const ENCODINGS_LIFETIME: Duration = Duration::days(14);
/// The shortest shared secret, in bytes.
pub const MIN_SECRET_BYTES: usize = 32;
/// The hardening every country applies (the hub refuses encodings without it).
pub const HARDENING: Hardening = Hardening { xor_fold: true, balance: true };

/// The fields of a person that are encoded, from a registration: given and family names, the
/// date of birth, sex and the first citizenship.
pub fn person_fields(p: &PersonDetails) -> PersonFields {
    PersonFields {
        names: [&p.given_names, &p.family_names]
            .iter()
            .filter(|n| !n.trim().is_empty())
            .map(|n| (*n).clone())
            .collect(),
        date_of_birth: p.date_of_birth.map(|d| d.to_string()),
        sex: match p.sex {
            Sex::Female => Some("F".into()),
            Sex::Male => Some("M".into()),
            _ => None,
        },
        citizenship: p.citizenships.first().map(|c| c.as_str().to_owned()),
    }
}

fn wire_schema(generation: &str) -> EncodingSchema {
    let schema = person_schema(HARDENING);
    EncodingSchema {
        bits: schema.bits as u32,
        cyrillic: "icao".into(),
        hardening: EncodingHardening { xor_fold: HARDENING.xor_fold, balance: HARDENING.balance },
        fields: schema
            .fields
            .iter()
            .map(|f| EncodedField {
                name: f.name.clone(),
                tokens: match f.tokens {
                    Tokens::Bigrams => TokenKind::Bigrams,
                    Tokens::Positional => TokenKind::Positional,
                    Tokens::Date => TokenKind::Date,
                },
                bits_per_feature: f.bits_per_feature,
            })
            .collect(),
        secret_generation: generation.to_owned(),
    }
}

/// What was sent to the hub.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct EncodingsDelivery {
    pub message_id: String,
    pub receiver: String,
    pub year: u16,
    pub persons: u32,
    /// `queued` (in the outbox) or `failed` (the transport refused it: `error` says why).
    pub state: String,
    pub error: Option<String>,
}

/// Two countries and the persons seen in both.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, serde::Deserialize)]
pub struct CountryOverlap {
    pub a: String,
    pub b: String,
    pub persons: usize,
}

/// The EU count of distinct persons for a reference year.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, serde::Deserialize)]
pub struct CrossBorderPersons {
    pub year: u16,
    /// Countries counted, with the persons each sent.
    pub countries: Vec<(String, usize)>,
    pub sum_of_national: usize,
    pub distinct: usize,
    /// Persons identified in more than one country (counted once in `distinct`).
    pub in_several_countries: usize,
    pub overlaps: Vec<CountryOverlap>,
    /// Persons by the number of countries they were identified in.
    pub by_countries: BTreeMap<usize, usize>,
    pub threshold: String,
    /// Countries left out because their encodings are of another secret generation or schema.
    pub left_out: Vec<String>,
}

fn refused(reason: RefusalReason, explanation: String) -> InboundOutcome {
    InboundOutcome::Refused { reason, explanation: Some(explanation) }
}

impl App {
    async fn encodings_actor(&self, acting: Acting<'_>) -> AppResult<()> {
        let Acting::User(principal) = acting else {
            return Ok(());
        };
        if may_send_person_encodings(&principal.actor) {
            return Ok(());
        }
        self.audit_denied(principal, "person_encodings", "send", None).await;
        Err(AppError::Forbidden)
    }

    /// The country whose persons `acting` encodes: the focal point's own, or at the operator
    /// console the instance's (its exchange identity; the EU hub has none).
    async fn encodings_country(&self, acting: Acting<'_>) -> AppResult<String> {
        if let Acting::User(principal) = acting {
            return Ok(principal.organisation.jurisdiction.code().to_owned());
        }
        let loaded = self.require_identity().await?;
        if loaded.row.role == "eu_hub" {
            return Err(AppError::said(
                "instance_id",
                "the EU hub counts persons; it sends no encodings",
                MessageId::ExchangeHubSendsNoEncodings,
            ));
        }
        Ok(loaded.row.instance_id.get(..2).unwrap_or_default().to_owned())
    }

    /// An audit entry of the focal point, or of the operator console.
    fn encodings_event(&self, acting: Acting<'_>, action: AuditAction, target: &str, detail: String) -> AuditEvent {
        match acting {
            Acting::User(p) => {
                self.event(p, action).on("person_encodings", target, Some(&p.organisation.id)).detail(detail)
            }
            Acting::Operator => AuditEvent::new(self.now(), action, AuditOutcome::Success)
                .on("person_encodings", target, None)
                .detail(format!("operator console {detail}")),
        }
    }

    /// Stores a generation of the secret the focal points share (standard base64, at least 32
    /// bytes), encrypted; audited without the secret. A generation is never changed.
    pub async fn store_person_linkage_secret(
        &self,
        principal: &Principal,
        generation: &str,
        secret_base64: &str,
    ) -> AppResult<()> {
        self.store_person_linkage_secret_as(Acting::User(principal), generation, secret_base64).await
    }

    /// [`App::store_person_linkage_secret`] by the focal point or at the operator console.
    pub async fn store_person_linkage_secret_as(
        &self,
        acting: Acting<'_>,
        generation: &str,
        secret_base64: &str,
    ) -> AppResult<()> {
        self.encodings_actor(acting).await?;
        let generation = generation.trim();
        if generation.is_empty()
            || generation.len() > 32
            || !generation.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_')
        {
            return Err(AppError::said(
                "generation",
                "1 to 32 letters, digits, hyphens or underscores",
                MessageId::ExchangeGenerationFormat,
            ));
        }
        let secret = haven_link::clk::base64_decode(secret_base64.trim().as_bytes())
            .ok_or_else(|| AppError::said("secret", "is not standard base64", MessageId::ExchangeSecretNotBase64))?;
        if secret.len() < MIN_SECRET_BYTES {
            return Err(AppError::Invalid(ParseError::said(
                "secret",
                format!("at least {MIN_SECRET_BYTES} bytes"),
                Message::new(MessageId::ExchangeSecretTooShort).with("bytes", MIN_SECRET_BYTES),
            )));
        }
        let row = PersonLinkageSecretRow {
            generation: generation.to_owned(),
            secret: self.keys.encrypt_field(&ctx("person_linkage_secrets", "secret", generation), &secret),
            created_by: Self::acting_user(acting),
            created_at: self.now(),
        };
        let event = self.peers_event(acting, AuditAction::PersonLinkageSecretStored).on(
            "person_linkage_secret",
            generation,
            None,
        );
        if !self.store.add_person_linkage_secret(&row, &event).await? {
            return Err(AppError::conflict(
                format!("the secret generation {generation} is stored already"),
                Message::new(MessageId::ExchangeSecretGenerationStored).with("generation", generation),
            ));
        }
        Ok(())
    }

    /// The newest generation of the shared secret stored, and when: its label only, never the
    /// secret (the focal point's page shows which generation the encodings will use).
    pub async fn person_linkage_secret_generation(&self, acting: Acting<'_>) -> AppResult<Option<(String, i64)>> {
        self.encodings_actor(acting).await?;
        Ok(self.store.latest_person_linkage_secret().await?.map(|r| (r.generation, r.created_at)))
    }

    /// The `person_encodings` body of the principal's country for `year`: one encoding per
    /// person identified as a victim by a final decision taken that year (the registrations of
    /// one person joined by the person register), under the newest secret generation, with random
    /// ids, in random order. Audited (it reads the identities).
    pub async fn prepare_person_encodings(&self, principal: &Principal, year: u16) -> AppResult<PersonEncodings> {
        self.prepare_person_encodings_as(Acting::User(principal), year).await
    }

    /// [`App::prepare_person_encodings`] by the focal point or at the operator console (the
    /// instance's own country).
    pub async fn prepare_person_encodings_as(&self, acting: Acting<'_>, year: u16) -> AppResult<PersonEncodings> {
        self.encodings_actor(acting).await?;
        if !(2000..=2100).contains(&year) {
            return Err(AppError::said("year", "a reference year from 2000 to 2100", MessageId::ReferenceYear));
        }
        let secret_row = self.store.latest_person_linkage_secret().await?.ok_or_else(|| {
            AppError::said(
                "secret",
                "no shared secret is stored: the focal point stores the one agreed first",
                MessageId::ExchangeNoLinkageSecret,
            )
        })?;
        let secret = self
            .keys
            .decrypt_field(&ctx("person_linkage_secrets", "secret", &secret_row.generation), &secret_row.secret)?;
        let country_code = self.encodings_country(acting).await?;
        let country_code = country_code.as_str();
        let country = CountryCode::parse("country", country_code).map_err(|e| not_carried(&e.field, &e.problem))?;
        let prefix = format!("{year:04}");
        let rows = self.store.registrations_in(country_code).await?;
        let identified: Vec<&haven_storage::RegistrationRow> = rows
            .iter()
            .filter(|r| r.state == RegistrationState::Submitted.code())
            .filter(|r| r.nrm_status.as_deref() == Some(NrmStatus::IdentifiedVictim.code()))
            .filter(|r| {
                r.cg_decided_on.as_deref().or(r.rg_decided_on.as_deref()).is_some_and(|d| d.starts_with(&prefix))
            })
            .collect();
        // one encoding per person: the person register joins the registrations of a person
        let referred: Vec<&haven_storage::RegistrationRow> =
            rows.iter().filter(|r| r.state == RegistrationState::Submitted.code()).collect();
        let (assignment, _) = self.assign_referred(country_code, &referred).await?;
        let person_of: BTreeMap<&str, u32> =
            referred.iter().zip(&assignment).map(|(r, p)| (r.case_id.as_str(), *p)).collect();
        let mut seen = std::collections::HashSet::new();
        let mut persons: Vec<(String, PersonFields)> = Vec::new();
        for r in identified {
            let person = person_of.get(r.case_id.as_str()).copied();
            if person.is_some_and(|p| !seen.insert(p)) {
                continue;
            }
            let registration = self.decrypt_registration(r)?;
            persons.push((Uuid::new_v4().simple().to_string(), person_fields(&registration.person)));
        }
        persons.sort_by(|a, b| a.0.cmp(&b.0));
        let encoder = ClkEncoder::new(person_schema(HARDENING), &secret)
            .map_err(|e| AppError::said("secret", &e.to_string(), MessageId::ExchangeSecretUnusable))?;
        let encodings = encode_persons(&encoder, &persons);
        let body = PersonEncodings {
            country,
            reference_period: prefix,
            schema: wire_schema(&secret_row.generation),
            count: u32::try_from(encodings.len())
                .map_err(|_| AppError::said("year", "too many persons", MessageId::ExchangeTooManyPersons))?,
            persons: (0..encodings.len())
                .map(|i| EncodedPerson { id: encodings.ids[i].clone(), clk: PersonEncodings::clk_of(encodings.get(i)) })
                .collect(),
        };
        let event = self.encodings_event(
            acting,
            AuditAction::PersonEncodingsPrepared,
            &format!("{country_code}/{year:04}"),
            format!("persons={} secret_generation={}", body.count, secret_row.generation),
        );
        self.store.append_audit(&event).await?;
        Ok(body)
    }

    /// Sends the principal's country's encodings of `year` to the pinned EU hub.
    pub async fn send_person_encodings(&self, principal: &Principal, year: u16) -> AppResult<EncodingsDelivery> {
        self.send_person_encodings_as(Acting::User(principal), year).await
    }

    /// [`App::send_person_encodings`] by the focal point or at the operator console.
    pub async fn send_person_encodings_as(&self, acting: Acting<'_>, year: u16) -> AppResult<EncodingsDelivery> {
        let body = self.prepare_person_encodings_as(acting, year).await?;
        let json = body.to_json().map_err(|e| not_carried(&e.field, &e.problem))?;
        let receiver = self.pinned_eu_hub().await?;
        let message_id = Uuid::now_v7();
        let message = OutgoingMessage {
            message_id,
            receiver: receiver.clone(),
            message_type: person_encodings::MESSAGE_TYPE.into(),
            type_version: person_encodings::TYPE_VERSION,
            body: json,
            lifetime: ENCODINGS_LIFETIME,
        };
        let (state, error) = match self.exchange_send(acting, message).await {
            Ok(()) => ("queued", None),
            Err(e) => ("failed", Some(e.to_string())),
        };
        Ok(EncodingsDelivery {
            message_id: message_id.hyphenated().to_string(),
            receiver,
            year,
            persons: body.count,
            state: state.into(),
            error,
        })
    }

    async fn pinned_eu_hub(&self) -> AppResult<String> {
        let not_pinned = || {
            AppError::said(
                "receiver",
                "no EU hub is pinned in this instance's directory of peers: the focal point pins it first (/peers)",
                MessageId::ExchangeNoHubPinned,
            )
        };
        let loaded = self.load_identity().await?.ok_or_else(not_pinned)?;
        let (directory, _) = self.load_directory(&loaded).await?;
        let hub =
            directory.peers().find(|p| p.entry().role == haven_exchange::PeerRole::EuHub).ok_or_else(not_pinned)?;
        Ok(hub.entry().instance_id.as_str().to_owned())
    }

    /// A `person_encodings` message received at the hub: checked (the sender speaks for the
    /// country of the body, hardening on), stored encrypted in place of the country's earlier
    /// encodings of that year, audited.
    pub async fn on_person_encodings_received(&self, message: &ReceivedMessage) -> AppResult<InboundOutcome> {
        if let Some(loaded) = self.load_identity().await?
            && loaded.row.role != "eu_hub"
        {
            return Ok(refused(RefusalReason::NotCompetent, "only the EU hub counts persons across borders".into()));
        }
        if message.type_version != person_encodings::TYPE_VERSION {
            return Ok(InboundOutcome::Refused { reason: RefusalReason::UnsupportedMessageType, explanation: None });
        }
        let body = match PersonEncodings::parse(&message.body) {
            Ok(b) => b,
            Err(e) => return Ok(refused(RefusalReason::InvalidBody, format!("{}: {}", e.field, e.problem))),
        };
        if message.sender.get(..2) != Some(body.country.as_str()) {
            return Ok(refused(RefusalReason::NotCompetent, "body.country: not the sender's country".into()));
        }
        if !body.schema.hardening.xor_fold || !body.schema.hardening.balance {
            return Ok(refused(
                RefusalReason::Other,
                "body.schema.hardening: the hub takes hardened encodings only".into(),
            ));
        }
        let year = match body.reference_year() {
            Ok(y) => y,
            Err(e) => return Ok(refused(RefusalReason::InvalidBody, format!("{}: {}", e.field, e.problem))),
        };
        let filters = match body.filters() {
            Ok(f) => f,
            Err(e) => return Ok(refused(RefusalReason::InvalidBody, format!("{}: {}", e.field, e.problem))),
        };
        let bytes: Vec<u8> = filters.iter().flatten().flat_map(|w| w.to_le_bytes()).collect();
        let country = body.country.as_str().to_owned();
        let row_ctx = format!("{country}/{year}");
        let schema = serde_json::to_string(&body.schema).map_err(|e| AppError::Internal(Box::new(e)))?;
        let row = PersonEncodingsRow {
            country: country.clone(),
            year: i64::from(year),
            message_id: message.message_id.hyphenated().to_string(),
            sender: message.sender.clone(),
            secret_generation: body.schema.secret_generation.clone(),
            encoded_bits: i64::from(body.schema.encoded_bits()),
            schema,
            persons: i64::from(body.count),
            encodings: self.keys.encrypt_field(&ctx("person_encodings_received", "encodings", &row_ctx), &bytes),
            received_at: message.received_at.unix_timestamp(),
        };
        let event = haven_domain::audit::AuditEvent::new(
            self.now(),
            AuditAction::PersonEncodingsReceived,
            haven_domain::audit::AuditOutcome::Success,
        )
        .on("person_encodings", &row_ctx, None)
        .detail(format!(
            "sender={} message_id={} persons={} secret_generation={}",
            row.sender, row.message_id, row.persons, row.secret_generation
        ));
        self.store.put_person_encodings(&row, &event).await?;
        Ok(InboundOutcome::Accepted)
    }

    /// The EU count of distinct persons of `year` from the countries' encodings: every country's
    /// latest encodings of the newest secret generation are linked across countries (Dice >=
    /// [`DEFAULT_THRESHOLD`], a person at most once per country, groups joined on their average
    /// similarity). Audited.
    pub async fn cross_border_persons(&self, principal: &Principal, year: u16) -> AppResult<CrossBorderPersons> {
        // Deny by default: a national rapporteur or statistician, whose role reads statistics,
        // is refused as any other reader (403).
        if !may_read_cross_border_persons(&principal.actor) {
            self.audit_denied(principal, "cross_border_persons", &year.to_string(), None).await;
            return Err(AppError::Forbidden);
        }
        crate::stats::check_year(year)?;
        let count = self.count_cross_border(year).await?;
        let countries: Vec<&str> = count.countries.iter().map(|(c, _)| c.as_str()).collect();
        let event = self
            .event(principal, AuditAction::CrossBorderPersonsCounted)
            .on("cross_border_persons", &year.to_string(), None)
            .detail(format!("countries={} distinct={}", countries.join(","), count.distinct));
        self.store.append_audit(&event).await?;
        Ok(count)
    }

    /// The count of `year` from the encodings the hub holds (none held: nobody counted).
    pub(crate) async fn count_cross_border_encodings(&self, year: u16) -> AppResult<CrossBorderPersons> {
        let rows = self.store.person_encodings_for(i64::from(year)).await?;
        // the newest generation (and its length) counts; others are left out and named
        let newest = rows
            .iter()
            .max_by_key(|r| (r.received_at, r.secret_generation.clone()))
            .map(|r| (r.secret_generation.clone(), r.encoded_bits));
        let mut countries = Vec::new();
        let mut parties = Vec::new();
        let mut left_out = Vec::new();
        for r in &rows {
            if newest.as_ref() != Some(&(r.secret_generation.clone(), r.encoded_bits)) {
                left_out.push(r.country.clone());
                continue;
            }
            let row_ctx = format!("{}/{}", r.country, r.year);
            let bytes =
                self.keys.decrypt_field(&ctx("person_encodings_received", "encodings", &row_ctx), &r.encodings)?;
            let words = usize::try_from(r.encoded_bits / 64).unwrap_or(0).max(1);
            let mut e = Encodings::new(words);
            for (i, chunk) in bytes.chunks_exact(words * 8).enumerate() {
                let filter: Vec<u64> = chunk
                    .chunks_exact(8)
                    .map(|c| {
                        let mut w = [0u8; 8];
                        w.copy_from_slice(c);
                        u64::from_le_bytes(w)
                    })
                    .collect();
                e.push(i.to_string(), &filter);
            }
            countries.push(r.country.clone());
            parties.push(e);
        }
        let count = count_persons(&parties, DEFAULT_THRESHOLD)
            .map_err(|e| AppError::said("year", &e.to_string(), MessageId::ExchangeCountRefused))?;
        Ok(CrossBorderPersons {
            year,
            countries: countries.iter().cloned().zip(count.per_country.iter().copied()).collect(),
            sum_of_national: count.sum_of_national,
            distinct: count.distinct,
            in_several_countries: count.groups.len(),
            overlaps: count
                .overlaps
                .iter()
                .map(|o| CountryOverlap { a: countries[o.a].clone(), b: countries[o.b].clone(), persons: o.persons })
                .collect(),
            by_countries: count.by_countries.clone(),
            threshold: format!("{DEFAULT_THRESHOLD}"),
            left_out,
        })
    }
}
