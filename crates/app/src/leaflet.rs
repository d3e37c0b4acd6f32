//! Information for the victim in a language they understand (Dir 2011/36 Art 11(5)-(6);
//! Convention Arts 12(1)(d), 15(1)): the facts a printed leaflet about their rights needs.
//!
//! The leaflet is handed to the person and may be found by a trafficker, so the facts carry no
//! family name, no date of birth and no case reference: only the given name (printed when the
//! worker chooses to), the dates of the person's clocks, and whom to contact.

use crate::{App, AppResult, Principal};
use haven_domain::audit::AuditAction;
use haven_domain::case::CalendarDate;
use haven_domain::ident::record::ChildStatus;
use haven_domain::ident::residence::ResidencePermitDecision;
use serde::Serialize;

/// Whom the person can contact: the organisation that owns the case.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct LeafletContact {
    pub name: String,
    /// From the organisation's entry in the provider directory (its first contact point with a
    /// telephone number, and the first with an email address); `None` when it has none, and the
    /// leaflet leaves a line to write a number by hand.
    pub phone: Option<String>,
    pub email: Option<String>,
}

/// What the leaflet for one case says beyond the general text.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct LeafletFacts {
    /// A child or a presumed child gets the children's section (Directive Arts 13-16); so does a
    /// person whose age is unknown, as the section is written for "if you are under 18".
    pub child_status: ChildStatus,
    /// The given name, for a greeting the worker may choose to print. Never the family name.
    pub given_name: Option<String>,
    /// The recovery and reflection period (Convention Art 13), when it was granted and has not
    /// been ended early: its first and last day.
    pub reflection_start: Option<CalendarDate>,
    pub reflection_end: Option<CalendarDate>,
    /// Since when the person has been entitled to assistance (Directive Art 11(2)).
    pub assistance_since: Option<CalendarDate>,
    /// The last day of the residence permit valid today, if one was granted.
    pub residence_permit_until: Option<CalendarDate>,
    pub organisation: LeafletContact,
    /// The person's languages from the registration (ISO 639 codes, in the registrar's order).
    pub languages: Vec<String>,
}

impl LeafletFacts {
    /// Whether the leaflet includes the children's section.
    pub fn children_section(&self) -> bool {
        self.child_status.is_child() || self.child_status == ChildStatus::Unknown
    }

    /// Whether the leaflet tells the person about their guardian: for a child or a presumed child
    /// only (Dir 2011/36 Art 14(2), Art 16(3); CETS 197 Art 10(4)), never for an adult, nor where
    /// the age is merely unknown.
    pub fn guardian_section(&self) -> bool {
        self.child_status.is_child()
    }
}

impl App {
    /// The facts for the case's information leaflet. Authorised as reading the case file
    /// (`Case(Identity, Read)` on this case, decided in `haven_domain::access` through
    /// [`App::case_file`], which records the read) and recorded as a printed leaflet.
    pub async fn rights_leaflet(&self, principal: &Principal, case_id: &str) -> AppResult<LeafletFacts> {
        let file = self.case_file(principal, case_id).await?;
        let today = CalendarDate::parse("today", &file.today)?;
        let running = file.reflection.as_ref().filter(|r| r.terminated_on.is_none());
        let assistance_since =
            file.assistance_since.as_deref().map(|d| CalendarDate::parse("assistance_since", d)).transpose()?;
        let residence_permit_until = file
            .records
            .iter()
            .filter(|r| r.kind == "permit_decision")
            .filter_map(|r| serde_json::from_value::<ResidencePermitDecision>(r.body.clone()).ok())
            .filter(|d| d.is_valid_on(today))
            .filter_map(|d| d.valid_until)
            .max();
        let organisation = self.store.organisation(&file.owner_organisation_id).await?;
        let person = &file.registration.person;
        let given = person.given_names.trim();
        let facts = LeafletFacts {
            child_status: file.child_status,
            given_name: (!given.is_empty()).then(|| given.to_owned()),
            reflection_start: running.map(|r| r.start),
            reflection_end: running.map(|r| r.end),
            assistance_since,
            residence_permit_until,
            organisation: self
                .leaflet_contact(organisation.name, &file.owner_organisation_id, organisation.jurisdiction.code())
                .await?,
            languages: person.languages.clone(),
        };
        let event =
            self.event(principal, AuditAction::LeafletPrinted).on("case", &file.id, Some(&file.owner_organisation_id));
        self.store.append_audit(&event).await?;
        Ok(facts)
    }

    /// The owning organisation's telephone and email, from its providers in the directory.
    async fn leaflet_contact(
        &self,
        name: String,
        organisation_id: &str,
        jurisdiction: &str,
    ) -> AppResult<LeafletContact> {
        let mut phone = None;
        let mut email = None;
        for row in self.store.providers(jurisdiction).await? {
            if row.organisation_id.as_deref() != Some(organisation_id) {
                continue;
            }
            let Ok(provider) = serde_json::from_str::<haven_domain::assist::directory::Provider>(&row.record) else {
                continue;
            };
            for c in &provider.contact_points {
                phone = phone.or_else(|| c.phone.clone());
                email = email.or_else(|| c.email.clone());
            }
        }
        Ok(LeafletContact { name, phone, email })
    }
}
