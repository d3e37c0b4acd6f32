//! Every route with the permission it requires: the table the authorisation tests walk
//! (every role on every route) and that the OpenAPI test compares with the document.
//! The check itself happens in the application (`App::require`), never in handlers.

use haven_domain::Permission;
use haven_domain::access::{Action, Compartment};

#[derive(Debug, Clone, Copy)]
pub struct RouteSpec {
    pub method: &'static str,
    /// With `{case}` for a case id, `{username}` for a user name, `{id}` for another record's id and
    /// `{seq}` for a version number.
    pub path: &'static str,
    pub permission: Permission,
    /// Part of the JSON API (and so of the OpenAPI document).
    pub api: bool,
}

const fn api(method: &'static str, path: &'static str, permission: Permission) -> RouteSpec {
    RouteSpec { method, path, permission, api: true }
}

const fn page(method: &'static str, path: &'static str, permission: Permission) -> RouteSpec {
    RouteSpec { method, path, permission, api: false }
}

use Permission::*;

pub const ROUTES: &[RouteSpec] = &[
    api("GET", "/healthz", Public),
    api("GET", "/readyz", Public),
    api("GET", "/api/v1/openapi.json", Public),
    api("POST", "/api/v1/auth/login", Public),
    api("POST", "/api/v1/auth/logout", Authenticated),
    api("GET", "/api/v1/me", Authenticated),
    api("GET", "/api/v1/organisations", ListOrganisations),
    api("POST", "/api/v1/organisations", ManageOrganisations),
    api("GET", "/api/v1/users", ManageUsers),
    api("POST", "/api/v1/users", ManageUsers),
    api("POST", "/api/v1/users/{username}/disable", ManageUsers),
    api("POST", "/api/v1/users/{username}/enable", ManageUsers),
    api("POST", "/api/v1/users/{username}/reset-password", ManageUsers),
    api("PUT", "/api/v1/users/{username}/roles", ManageUsers),
    api("GET", "/api/v1/tokens", Authenticated),
    api("POST", "/api/v1/tokens", Authenticated),
    api("DELETE", "/api/v1/tokens/{id}", Authenticated),
    api("GET", "/api/v1/cases", ListCases),
    api("POST", "/api/v1/cases", RegisterCase),
    api("GET", "/api/v1/cases/{case}", Case(Compartment::Identity, Action::Read)),
    api("GET", "/api/v1/cases/{case}/notes?compartment=support", Case(Compartment::Support, Action::Read)),
    api("GET", "/api/v1/cases/{case}/notes?compartment=proceedings", Case(Compartment::Proceedings, Action::Read)),
    api("POST", "/api/v1/cases/{case}/notes#support", Case(Compartment::Support, Action::Write)),
    api("POST", "/api/v1/cases/{case}/notes#proceedings", Case(Compartment::Proceedings, Action::Write)),
    api("POST", "/api/v1/cases/{case}/shares", ShareCase),
    api("GET", "/api/v1/cases/{case}/access-history", ReadAccessHistory),
    api("GET", "/api/v1/cases/{case}/leaflet", Case(Compartment::Identity, Action::Read)),
    api("GET", "/api/v1/audit/verify", ReadAuditLog),
    api("GET", "/api/v1/audit/entries", ReadAuditLog),
    api("GET", "/api/v1/statistics/persons-by-sex", ReadStatistics),
    api("GET", "/api/v1/registrations", ListCases),
    api("POST", "/api/v1/registrations", RegisterCase),
    api("POST", "/api/v1/registrations/import", RegisterCase),
    api("GET", "/api/v1/registrations/{case}", Case(Compartment::Identity, Action::Read)),
    api("PUT", "/api/v1/registrations/{case}", Case(Compartment::Identity, Action::Write)),
    api("POST", "/api/v1/registrations/{case}/submit", RegisterCase),
    api("POST", "/api/v1/registrations/{case}/decisions", DecideStatus),
    api("POST", "/api/v1/registrations/{case}/reconsideration-requests", RequestReconsideration),
    api("POST", "/api/v1/registrations/{case}/records#identity", Case(Compartment::Identity, Action::Write)),
    api("POST", "/api/v1/registrations/{case}/records#proceedings", Case(Compartment::Proceedings, Action::Write)),
    api("GET", "/api/v1/registrations/{case}/htcds", Case(Compartment::Identity, Action::Read)),
    api("POST", "/api/v1/notifications", FileNotification),
    api("GET", "/api/v1/deadlines", ReadDeadlines),
    api("GET", "/api/v1/persons/search?name=Ana", SearchPersons),
    api("GET", "/api/v1/statistics/identification", ReadStatistics),
    api("GET", "/api/v1/cases/{case}/support", Case(Compartment::Support, Action::Read)),
    api("POST", "/api/v1/cases/{case}/assessments", Case(Compartment::Support, Action::Write)),
    api("POST", "/api/v1/cases/{case}/assessments/{seq}/review", ReviewAssessments),
    api("POST", "/api/v1/cases/{case}/plan", Case(Compartment::Support, Action::Write)),
    api("POST", "/api/v1/cases/{case}/plan/{id}/status", Case(Compartment::Support, Action::Write)),
    api("GET", "/api/v1/providers", ReadProviders),
    api("POST", "/api/v1/providers", ManageProviders),
    api("PUT", "/api/v1/providers/{id}", ManageProviders),
    api("POST", "/api/v1/providers/match", ReadProviders),
    api("POST", "/api/v1/cases/{case}/referrals", ManageReferrals),
    api("GET", "/api/v1/referrals?mailbox=inbox", ManageReferrals),
    api("GET", "/api/v1/referrals/{id}", ManageReferrals),
    api("POST", "/api/v1/referrals/{id}/state", ManageReferrals),
    api("POST", "/api/v1/referrals/{id}/follow-ups", ManageReferrals),
    page("GET", "/login", Public),
    page("POST", "/login", Public),
    page("POST", "/logout", Authenticated),
    page("GET", "/", Authenticated),
    page("GET", "/account", Authenticated),
    page("POST", "/account/language", Authenticated),
    page("POST", "/account/password", Authenticated),
    page("POST", "/account/totp", Authenticated),
    page("POST", "/account/tokens", Authenticated),
    page("POST", "/account/tokens/{id}/revoke", Authenticated),
    page("GET", "/admin/organisations", ManageOrganisations),
    page("POST", "/admin/organisations", ManageOrganisations),
    page("GET", "/admin/users", ManageUsers),
    page("POST", "/admin/users", ManageUsers),
    page("POST", "/admin/users/{username}/disable", ManageUsers),
    page("POST", "/admin/users/{username}/enable", ManageUsers),
    page("POST", "/admin/users/{username}/reset-password", ManageUsers),
    page("GET", "/admin/audit", ReadAuditLog),
    page("GET", "/cases", ListCases),
    page("GET", "/cases/new", RegisterCase),
    page("POST", "/cases", RegisterCase),
    page("GET", "/cases/{case}", Case(Compartment::Identity, Action::Read)),
    page("GET", "/cases/{case}/edit", Case(Compartment::Identity, Action::Write)),
    page("POST", "/cases/{case}/edit", Case(Compartment::Identity, Action::Write)),
    page("POST", "/cases/{case}/submit", RegisterCase),
    page("POST", "/cases/{case}/decisions", DecideStatus),
    page("POST", "/cases/{case}/reconsideration-requests", RequestReconsideration),
    page("POST", "/cases/{case}/records#identity", Case(Compartment::Identity, Action::Write)),
    page("POST", "/cases/{case}/records#proceedings", Case(Compartment::Proceedings, Action::Write)),
    page("GET", "/deadlines", ReadDeadlines),
    page("GET", "/notifications/new", FileNotification),
    page("POST", "/notifications", FileNotification),
    page("GET", "/search?name=Ana", SearchPersons),
    page("POST", "/cases/{case}/notes#support", Case(Compartment::Support, Action::Write)),
    page("POST", "/cases/{case}/shares", ShareCase),
    page("GET", "/cases/{case}/history", ReadAccessHistory),
    page("GET", "/cases/{case}/leaflet", Case(Compartment::Identity, Action::Read)),
    page("GET", "/statistics", ReadStatistics),
];
