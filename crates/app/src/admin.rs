//! Organisations and users: administered by administrators in the web UI and by the operator
//! on the command line.
//!
//! Separation of duties (the rules are in [`haven_domain::access`]): an administrator
//! administers the users and organisations of its own jurisdiction only, never changes its own
//! roles, and a grant of a data role waits for a second administrator of the same jurisdiction.
//! An administrator never learns a password: creating a user or resetting one gives a one-time
//! set-up code, with which the user chooses a password at `/setup`. The platform operator at the
//! console ([`Acting::Operator`]) sets up any country at once and may be given passwords.

use crate::auth::{organisation_of, user_of};
use crate::{App, AppError, AppResult, Principal, new_id};
use haven_crypto::{generate_password, hash_password, hash_token};
use haven_domain::access::{self, AdminDenial};
use haven_domain::audit::{AuditAction, AuditEvent, AuditOutcome};
use haven_domain::org::{OPERATOR_ORGANISATION_NAME, Organisation, parse_organisation_name};
use haven_domain::user::User;
use haven_domain::{
    Coded, Jurisdiction, Language, Message, MessageId, OrganisationKind, ParseError, Permission, Role, Username,
};
use haven_storage::{OrganisationRow, RoleGrantRow, SetupCodeRow, StorageError, UserRow};

/// How long a set-up code works.
pub const SETUP_CODE_SECONDS: i64 = 24 * 60 * 60;

/// A one-time code with which a user chooses a password (at `/setup`), handed over by the
/// administrator who asked for it; only its hash is stored.
#[derive(Debug, Clone)]
pub struct SetupCode {
    pub code: String,
    /// Unix seconds.
    pub expires_at: i64,
}

/// A user created by an administrator: the set-up code to hand over, and the grant of data
/// roles waiting for a second administrator, if any.
#[derive(Debug, Clone)]
pub struct CreatedUser {
    pub user: User,
    pub setup: SetupCode,
    pub pending_grant: Option<RoleGrant>,
}

/// A grant of roles (the whole set to apply) and where it stands.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RoleGrant {
    pub id: String,
    pub user_id: String,
    /// The roles the user holds once approved.
    pub roles: Vec<Role>,
    pub requested_by: String,
    pub requested_at: i64,
    /// `pending`, `approved` or `rejected`.
    pub state: String,
    pub decided_by: Option<String>,
    pub decided_at: Option<i64>,
}

fn grant_of(row: RoleGrantRow) -> AppResult<RoleGrant> {
    Ok(RoleGrant {
        roles: row.role_list()?,
        id: row.id,
        user_id: row.user_id,
        requested_by: row.requested_by,
        requested_at: row.requested_at,
        state: row.state,
        decided_by: row.decided_by,
        decided_at: row.decided_at,
    })
}

/// A grant of roles waiting for approval, as shown to the other administrators.
#[derive(Debug, Clone)]
pub struct PendingGrant {
    pub grant: RoleGrant,
    pub username: String,
    pub organisation_name: String,
    /// The roles the user holds now.
    pub current_roles: Vec<Role>,
    /// The roles the user would hold once approved.
    pub roles: Vec<Role>,
    pub requested_by: String,
}

fn role_codes(roles: &[Role]) -> String {
    roles.iter().map(|r| r.code()).collect::<Vec<_>>().join(",")
}

/// Who acts: a logged-in user (checked against its roles) or the operator at the console.
#[derive(Clone, Copy)]
pub enum Acting<'a> {
    Operator,
    User(&'a Principal),
}

/// A user to create, as typed.
#[derive(Debug, Clone, Default, serde::Deserialize)]
#[serde(deny_unknown_fields)]
pub struct NewUser {
    pub username: String,
    pub display_name: String,
    pub organisation_id: String,
    pub roles: Vec<String>,
    /// Left empty, a password is generated and returned once.
    #[serde(default)]
    pub password: Option<String>,
    #[serde(default)]
    pub language: Option<String>,
}

/// A new user's fields, parsed.
struct ParsedUser {
    username: Username,
    display_name: String,
    roles: Vec<Role>,
    organisation: OrganisationRow,
    language: Language,
}

impl ParsedUser {
    /// Every role must fit the kind of the user's organisation.
    fn check_roles_fit(&self, roles: &[Role]) -> AppResult<()> {
        match roles.iter().find(|r| !r.fits(self.organisation.kind)) {
            Some(role) => Err(AppError::Invalid(ParseError::said(
                "roles",
                format!("the role {role} does not fit an organisation of kind {}", self.organisation.kind),
                Message::new(MessageId::RoleDoesNotFitKind).labels("role", "role", [role.code()]).labels(
                    "kind",
                    "org-kind",
                    [self.organisation.kind.code()],
                ),
            ))),
            None => Ok(()),
        }
    }
}

impl App {
    async fn gate(&self, acting: Acting<'_>, permission: Permission) -> AppResult<()> {
        match acting {
            Acting::Operator => Ok(()),
            Acting::User(p) => self.require(p, permission).await,
        }
    }

    fn event_for(&self, acting: Acting<'_>, action: AuditAction) -> AuditEvent {
        match acting {
            Acting::Operator => AuditEvent::new(self.now(), action, AuditOutcome::Success).detail("operator console"),
            Acting::User(p) => self.event(p, action),
        }
    }

    pub async fn create_organisation(
        &self,
        acting: Acting<'_>,
        name: &str,
        kind: &str,
        jurisdiction: &str,
    ) -> AppResult<Organisation> {
        self.gate(acting, Permission::ManageOrganisations).await?;
        let name = parse_organisation_name(name)?;
        let kind = OrganisationKind::parse_code("kind", kind)?;
        let jurisdiction = Jurisdiction::parse("jurisdiction", jurisdiction)?;
        if !kind.fits(jurisdiction) {
            return Err(AppError::said(
                "kind",
                "this kind of organisation cannot act at this jurisdiction",
                haven_domain::MessageId::OrganisationKindJurisdiction,
            ));
        }
        self.administers(acting, jurisdiction, ("organisation", "new", None), false).await?;
        let org = OrganisationRow { id: new_id(), name, kind, jurisdiction, created_at: self.now() };
        let event = self.event_for(acting, AuditAction::OrganisationCreated).on("organisation", &org.id, Some(&org.id));
        self.store.create_organisation(&org, &event).await.map_err(|e| match e {
            StorageError::Conflict(_) => AppError::conflict(
                "an organisation with this name exists in this jurisdiction",
                haven_domain::Message::new(haven_domain::MessageId::OrganisationNameExists),
            ),
            other => other.into(),
        })?;
        Ok(organisation_of(org))
    }

    pub async fn organisations(&self, acting: Acting<'_>) -> AppResult<Vec<Organisation>> {
        self.gate(acting, Permission::ListOrganisations).await?;
        Ok(self.store.organisations().await?.into_iter().map(organisation_of).collect())
    }

    /// The organisations the acting administrator administers: those of its jurisdiction (all,
    /// for the operator).
    pub async fn administered_organisations(&self, acting: Acting<'_>) -> AppResult<Vec<Organisation>> {
        self.gate(acting, Permission::ManageOrganisations).await?;
        let mut orgs: Vec<Organisation> = self.store.organisations().await?.into_iter().map(organisation_of).collect();
        if let Acting::User(p) = acting {
            orgs.retain(|o| access::may_administer(&p.actor, o.jurisdiction).is_ok());
        }
        Ok(orgs)
    }

    /// Asks the access rules whether the acting administrator may administer `target`; a denial
    /// is audited (on `on`: kind, id, organisation) and answered 404 when `hide` (another
    /// country's user does not exist for it), else 403.
    async fn administers(
        &self,
        acting: Acting<'_>,
        target: Jurisdiction,
        on: (&str, &str, Option<&str>),
        hide: bool,
    ) -> AppResult<()> {
        let Acting::User(p) = acting else { return Ok(()) };
        match access::may_administer(&p.actor, target) {
            Ok(()) => Ok(()),
            Err(denial) => Err(self.admin_denied(p, denial, on, hide).await),
        }
    }

    async fn admin_denied(
        &self,
        p: &Principal,
        denial: AdminDenial,
        (kind, id, org): (&str, &str, Option<&str>),
        hide: bool,
    ) -> AppError {
        self.audit_denied(p, kind, id, org).await;
        match denial {
            AdminDenial::OtherJurisdiction if hide => AppError::NotFound,
            _ => AppError::Forbidden,
        }
    }

    /// The user named `username` and its organisation, if the acting administrator administers
    /// it (another country's user is not found, and the attempt audited).
    async fn administered_user(&self, acting: Acting<'_>, username: &str) -> AppResult<(UserRow, OrganisationRow)> {
        let user = self.user_named(username).await?;
        let org = self.store.organisation(&user.organisation_id).await?;
        self.administers(acting, org.jurisdiction, ("user", &user.id, Some(&org.id)), true).await?;
        Ok((user, org))
    }

    async fn hash_blocking(password: String) -> AppResult<String> {
        tokio::task::spawn_blocking(move || hash_password(&password))
            .await
            .map_err(|e| AppError::Internal(Box::new(e)))?
            .map_err(Into::into)
    }

    /// A new set-up code for `user_id` (the row to store and the code to hand over).
    fn new_setup_code(&self, user_id: &str, by: Option<&Principal>) -> (SetupCodeRow, SetupCode) {
        let code = generate_password();
        let now = self.now();
        let row = SetupCodeRow {
            user_id: user_id.to_owned(),
            code_hash: hash_token(&code).to_vec(),
            created_by: by.map(|p| p.user.id.clone()),
            created_at: now,
            expires_at: now + SETUP_CODE_SECONDS,
        };
        (row, SetupCode { code, expires_at: now + SETUP_CODE_SECONDS })
    }

    /// Creates a user; returns it with what to hand over once: for the operator, its initial
    /// password (generated when none was given); for an administrator, a one-time set-up code
    /// (see [`App::admin_create_user`]).
    pub async fn create_user(&self, acting: Acting<'_>, new: &NewUser) -> AppResult<(User, String)> {
        if let Acting::User(p) = acting {
            let created = self.admin_create_user(p, new).await?;
            return Ok((created.user, created.setup.code));
        }
        self.gate(acting, Permission::ManageUsers).await?;
        let parsed = self.parse_new_user(new).await?;
        parsed.check_roles_fit(&parsed.roles)?;
        let password = match new.password.as_deref().filter(|p| !p.is_empty()) {
            Some(p) => haven_domain::user::parse_new_password("password", p)?,
            None => generate_password(),
        };
        let password_hash = Self::hash_blocking(password.clone()).await?;
        let roles = parsed.roles.clone();
        let user = self.new_user_row(parsed, password_hash, roles);
        let event = self
            .event_for(acting, AuditAction::UserCreated)
            .on("user", &user.id, Some(&user.organisation_id))
            .detail(format!("roles={}", role_codes(&user.roles)));
        self.insert_user(&user, &event).await?;
        Ok((user_of(&user), password))
    }

    /// The parts of a new user every way of creating one parses the same way.
    async fn parse_new_user(&self, new: &NewUser) -> AppResult<ParsedUser> {
        let username = Username::parse("username", &new.username)?;
        let display_name = haven_domain::text::parse_line("display_name", &new.display_name, 200)?;
        let roles = Role::parse_list("roles", &new.roles.join(","))?;
        let organisation = match self.store.organisation(new.organisation_id.trim()).await {
            Ok(o) => o,
            Err(StorageError::NotFound) => {
                return Err(AppError::said(
                    "organisation_id",
                    "no such organisation",
                    haven_domain::MessageId::NoSuchOrganisation,
                ));
            }
            Err(e) => return Err(e.into()),
        };
        let language = match new.language.as_deref().filter(|l| !l.is_empty()) {
            Some(l) => Language::parse_code("language", l)?,
            None => Language::default(),
        };
        Ok(ParsedUser { username, display_name, roles, organisation, language })
    }

    fn new_user_row(&self, parsed: ParsedUser, password_hash: String, roles: Vec<Role>) -> UserRow {
        UserRow {
            id: new_id(),
            username: parsed.username.as_str().to_owned(),
            display_name: parsed.display_name,
            organisation_id: parsed.organisation.id,
            password_hash,
            disabled: false,
            language: parsed.language,
            totp_secret: None,
            totp_last_step: None,
            created_at: self.now(),
            roles,
        }
    }

    async fn insert_user(&self, user: &UserRow, event: &AuditEvent) -> AppResult<()> {
        self.store.create_user(user, event).await.map_err(|e| match e {
            StorageError::Conflict(_) => AppError::conflict(
                "this username is taken",
                haven_domain::Message::new(haven_domain::MessageId::UsernameTaken),
            ),
            other => other.into(),
        })
    }

    /// An administrator creates a user of an organisation of its jurisdiction. It chooses no
    /// password: the user gets a one-time set-up code. Data roles wait for a second
    /// administrator's approval; until then the user holds the other roles only.
    pub async fn admin_create_user(&self, p: &Principal, new: &NewUser) -> AppResult<CreatedUser> {
        self.require(p, Permission::ManageUsers).await?;
        if new.password.as_deref().is_some_and(|pw| !pw.is_empty()) {
            return Err(AppError::said(
                "password",
                "an administrator does not choose passwords: the user chooses one with the set-up code",
                MessageId::AdminChoosesNoPassword,
            ));
        }
        let parsed = self.parse_new_user(new).await?;
        let organisation = parsed.organisation.clone();
        self.administers(
            Acting::User(p),
            organisation.jurisdiction,
            ("organisation", &organisation.id, Some(&organisation.id)),
            false,
        )
        .await?;
        parsed.check_roles_fit(&parsed.roles)?;
        let roles = parsed.roles.clone();
        let waiting = access::data_roles_granted(&[], &roles);
        let now_roles: Vec<Role> = roles.iter().copied().filter(|r| !waiting.contains(r)).collect();
        // A password nobody knows until the user chooses one with the code.
        let password_hash = Self::hash_blocking(generate_password()).await?;
        let user = self.new_user_row(parsed, password_hash, now_roles);
        let mut detail = format!("roles={}", role_codes(&user.roles));
        if !waiting.is_empty() {
            detail.push_str(&format!(" awaiting_approval={}", role_codes(&waiting)));
        }
        let event = self.event(p, AuditAction::UserCreated).on("user", &user.id, Some(&organisation.id)).detail(detail);
        self.insert_user(&user, &event).await?;
        let (row, setup) = self.new_setup_code(&user.id, Some(p));
        let event = self.event(p, AuditAction::SetupCodeIssued).on("user", &user.id, Some(&organisation.id));
        self.store.put_setup_code(&row, None, &event).await?;
        let pending_grant = if waiting.is_empty() {
            None
        } else {
            Some(grant_of(self.request_grant(p, &user, &organisation, &roles).await?)?)
        };
        Ok(CreatedUser { user: user_of(&user), setup, pending_grant })
    }

    async fn request_grant(
        &self,
        p: &Principal,
        user: &UserRow,
        org: &OrganisationRow,
        roles: &[Role],
    ) -> AppResult<RoleGrantRow> {
        let grant = RoleGrantRow {
            id: new_id(),
            user_id: user.id.clone(),
            roles: role_codes(roles),
            requested_by: p.user.id.clone(),
            requested_at: self.now(),
            state: "pending".into(),
            decided_by: None,
            decided_at: None,
        };
        let event = self
            .event(p, AuditAction::RoleGrantRequested)
            .on("user", &user.id, Some(&org.id))
            .detail(format!("grant={} roles={}", grant.id, grant.roles));
        self.store.request_role_grant(&grant, &event).await?;
        Ok(grant)
    }

    /// The users the acting administrator administers: those of organisations of its
    /// jurisdiction (all, for the operator).
    pub async fn users(&self, acting: Acting<'_>) -> AppResult<Vec<User>> {
        self.gate(acting, Permission::ManageUsers).await?;
        let mut users: Vec<User> = self.store.users().await?.iter().map(user_of).collect();
        if let Acting::User(_) = acting {
            let orgs = self.administered_organisations(acting).await?;
            users.retain(|u| orgs.iter().any(|o| o.id == u.organisation_id));
        }
        Ok(users)
    }

    async fn user_named(&self, username: &str) -> AppResult<UserRow> {
        let name = Username::parse("username", username)?;
        Ok(self.store.user_by_username(name.as_str()).await?)
    }

    pub async fn set_user_disabled(&self, acting: Acting<'_>, username: &str, disabled: bool) -> AppResult<()> {
        self.gate(acting, Permission::ManageUsers).await?;
        let (user, _) = self.administered_user(acting, username).await?;
        if let Acting::User(p) = acting
            && p.user.id == user.id
            && disabled
        {
            return Err(AppError::said(
                "username",
                "you cannot disable your own account",
                haven_domain::MessageId::OwnAccountDisable,
            ));
        }
        let action = if disabled { AuditAction::UserDisabled } else { AuditAction::UserEnabled };
        let event = self.event_for(acting, action).on("user", &user.id, Some(&user.organisation_id));
        self.store.set_user_disabled(&user.id, disabled, &event).await?;
        Ok(())
    }

    /// Resets a user's password and revokes its sessions. The operator gets a new generated
    /// password, once; an administrator gets a set-up code (see [`App::admin_reset_password`]).
    pub async fn reset_password(&self, acting: Acting<'_>, username: &str) -> AppResult<String> {
        if let Acting::User(p) = acting {
            return Ok(self.admin_reset_password(p, username).await?.code);
        }
        self.gate(acting, Permission::ManageUsers).await?;
        let user = self.user_named(username).await?;
        let password = generate_password();
        let to_hash = password.clone();
        let hash = tokio::task::spawn_blocking(move || hash_password(&to_hash))
            .await
            .map_err(|e| AppError::Internal(Box::new(e)))??;
        let event =
            self.event_for(acting, AuditAction::PasswordReset).on("user", &user.id, Some(&user.organisation_id));
        self.store.set_password_hash(&user.id, &hash, &event).await?;
        Ok(password)
    }

    /// An administrator resets the password of a user of its jurisdiction: the old password
    /// stops working, the user's sessions end, and the administrator gets a one-time set-up code
    /// (never a password) for the user to choose a new one.
    pub async fn admin_reset_password(&self, p: &Principal, username: &str) -> AppResult<SetupCode> {
        self.require(p, Permission::ManageUsers).await?;
        let (user, org) = self.administered_user(Acting::User(p), username).await?;
        let unusable = Self::hash_blocking(generate_password()).await?;
        let (row, setup) = self.new_setup_code(&user.id, Some(p));
        let event = self.event(p, AuditAction::PasswordReset).on("user", &user.id, Some(&org.id)).detail("setup_code");
        self.store.put_setup_code(&row, Some(&unusable), &event).await?;
        self.store.revoke_credentials(&user.id, &event).await?;
        Ok(setup)
    }

    /// Replaces a user's roles. The operator's change applies at once. An administrator never
    /// changes its own roles, and a change that grants a data role is stored as a grant waiting
    /// for a second administrator (returned); any other change applies at once (`None`).
    pub async fn set_user_roles(
        &self,
        acting: Acting<'_>,
        username: &str,
        roles: &str,
    ) -> AppResult<Option<RoleGrant>> {
        self.gate(acting, Permission::ManageUsers).await?;
        let (user, organisation) = self.administered_user(acting, username).await?;
        if let Acting::User(p) = acting
            && let Err(denial) = access::may_change_roles(&p.actor, &user.id, organisation.jurisdiction)
        {
            return Err(self.admin_denied(p, denial, ("user", &user.id, Some(&organisation.id)), true).await);
        }
        let roles = Role::parse_list("roles", roles)?;
        if let Some(role) = roles.iter().find(|r| !r.fits(organisation.kind)) {
            return Err(AppError::Invalid(ParseError::said(
                "roles",
                format!("the role {role} does not fit this organisation"),
                Message::new(MessageId::RoleDoesNotFitOrganisation).labels("role", "role", [role.code()]),
            )));
        }
        if let Acting::User(p) = acting
            && !access::data_roles_granted(&user.roles, &roles).is_empty()
        {
            return Ok(Some(grant_of(self.request_grant(p, &user, &organisation, &roles).await?)?));
        }
        let event = self
            .event_for(acting, AuditAction::RolesChanged)
            .on("user", &user.id, Some(&user.organisation_id))
            .detail(format!("roles={}", role_codes(&roles)));
        self.store.set_user_roles(&user.id, &roles, &event).await?;
        Ok(None)
    }

    /// Grants of roles waiting for a second administrator, for users of the administrator's
    /// jurisdiction.
    pub async fn pending_grants(&self, p: &Principal) -> AppResult<Vec<PendingGrant>> {
        self.require(p, Permission::ManageUsers).await?;
        let orgs = self.store.organisations().await?;
        let mut out = Vec::new();
        for grant in self.store.pending_role_grants().await? {
            let user = self.store.user(&grant.user_id).await?;
            let Some(org) = orgs.iter().find(|o| o.id == user.organisation_id) else { continue };
            if access::may_administer(&p.actor, org.jurisdiction).is_err() {
                continue;
            }
            let requested_by = match self.store.user(&grant.requested_by).await {
                Ok(u) => u.username,
                Err(StorageError::NotFound) => grant.requested_by.clone(),
                Err(e) => return Err(e.into()),
            };
            let grant = grant_of(grant)?;
            out.push(PendingGrant {
                username: user.username,
                organisation_name: org.name.clone(),
                current_roles: user.roles,
                roles: grant.roles.clone(),
                requested_by,
                grant,
            });
        }
        Ok(out)
    }

    /// A second administrator of the same jurisdiction approves (the roles apply at once) or
    /// rejects a waiting grant; neither who asked for it nor who receives it may.
    pub async fn decide_grant(&self, p: &Principal, grant_id: &str, approve: bool) -> AppResult<()> {
        self.require(p, Permission::ManageUsers).await?;
        let grant = match self.store.role_grant(grant_id.trim()).await {
            Ok(g) => g,
            Err(StorageError::NotFound) => return Err(AppError::NotFound),
            Err(e) => return Err(e.into()),
        };
        let user = self.store.user(&grant.user_id).await?;
        let org = self.store.organisation(&user.organisation_id).await?;
        if let Err(denial) = access::may_decide_grant(&p.actor, &grant.requested_by, &user.id, org.jurisdiction) {
            return Err(self.admin_denied(p, denial, ("role_grant", &grant.id, Some(&org.id)), true).await);
        }
        if grant.state != "pending" {
            return Err(AppError::conflict(
                "this grant has already been decided",
                haven_domain::Message::new(haven_domain::MessageId::GrantAlreadyDecided),
            ));
        }
        let action = if approve { AuditAction::RoleGrantApproved } else { AuditAction::RoleGrantRejected };
        let event = self
            .event(p, action)
            .on("user", &user.id, Some(&org.id))
            .detail(format!("grant={} roles={} requested_by={}", grant.id, grant.roles, grant.requested_by));
        self.store.decide_role_grant(&grant.id, approve, &p.user.id, self.now(), &event).await?;
        if approve {
            self.store.revoke_credentials(&user.id, &event).await?;
        }
        Ok(())
    }

    /// A user chooses a password with the one-time set-up code an administrator handed over
    /// (and, when the account has a second factor, a current code of it). The code dies on use or
    /// expiry; every attempt is audited. Any failure answers the same, naming `code`.
    pub async fn complete_setup(
        &self,
        username: &str,
        code: &str,
        new_password: &str,
        totp: Option<&str>,
        address: Option<&str>,
    ) -> AppResult<()> {
        let new_password = haven_domain::user::parse_new_password("new_password", new_password)?;
        let now = self.now();
        // Guessing at set-up codes is throttled like guessing at passwords: per address, and per
        // account with a back-off.
        let throttle_key = format!("setup:{}", username.trim().to_ascii_lowercase());
        if let Some(retry_after) = self.limiter.check(&throttle_key, address, false, now) {
            let event = AuditEvent::new(now, AuditAction::LoginRateLimited, AuditOutcome::Denied)
                .from_address(address)
                .detail("setup_rate_limited");
            self.store.append_audit(&event).await?;
            return Err(AppError::RateLimited { retry_after });
        }
        let refused = |user: Option<&UserRow>| {
            self.limiter.record_failure(&throttle_key, address, now);
            let mut event =
                AuditEvent::new(now, AuditAction::SetupCodeRefused, AuditOutcome::Denied).from_address(address);
            if let Some(u) = user {
                event = event.by(&u.id, &u.organisation_id).on("user", &u.id, Some(&u.organisation_id));
            }
            event
        };
        let invalid = || {
            AppError::said(
                "code",
                "is not valid or has expired; ask your administrator for a new one",
                MessageId::SetUpCodeInvalid,
            )
        };
        let user = match Username::parse("username", username) {
            Ok(name) => match self.store.user_by_username(name.as_str()).await {
                Ok(u) => Some(u),
                Err(StorageError::NotFound) => None,
                Err(e) => return Err(e.into()),
            },
            Err(_) => None,
        };
        let Some(user) = user.filter(|u| !u.disabled) else {
            self.store.append_audit(&refused(None)).await?;
            return Err(invalid());
        };
        if let Some(secret) = &user.totp_secret {
            let secret = self.keys.decrypt_str(&crate::auth::totp_context(&user.id), secret)?;
            let secret = haven_crypto::TotpSecret::from_base32(&secret)?;
            let given = totp.map(str::trim).filter(|c| !c.is_empty()).unwrap_or_default();
            let step = u64::try_from(now).ok().and_then(|t| secret.verify(given, t));
            let fresh = match step {
                Some(step) => self.store.use_totp_step(&user.id, i64::try_from(step).unwrap_or(i64::MAX)).await?,
                None => false,
            };
            if !fresh {
                self.store.append_audit(&refused(Some(&user)).detail("totp")).await?;
                return Err(AppError::said(
                    "totp",
                    "a current code of your authenticator app is required",
                    MessageId::CurrentTotpRequired,
                ));
            }
        }
        let hash = Self::hash_blocking(new_password).await?;
        let event = AuditEvent::new(now, AuditAction::SetupCodeUsed, AuditOutcome::Success)
            .by(&user.id, &user.organisation_id)
            .on("user", &user.id, Some(&user.organisation_id))
            .from_address(address);
        match self.store.use_setup_code(&user.id, &hash_token(code.trim()), now, &hash, &event).await {
            Ok(()) => {
                self.limiter.record_success(&throttle_key);
                Ok(())
            }
            Err(StorageError::NotFound) => {
                self.store.append_audit(&refused(Some(&user))).await?;
                Err(invalid())
            }
            Err(e) => Err(e.into()),
        }
    }

    /// On a database without users: creates the operator organisation and an administrator,
    /// returning its username and one-time password (to print on the terminal, never to log).
    pub async fn bootstrap_administrator(&self, jurisdiction: &str) -> AppResult<Option<(String, String)>> {
        if self.store.count_users().await? > 0 {
            return Ok(None);
        }
        let j = Jurisdiction::parse("jurisdiction", jurisdiction)?;
        let kind = match j {
            Jurisdiction::EuropeanUnion => OrganisationKind::EuAntiTraffickingCoordinator,
            Jurisdiction::Country(_) => OrganisationKind::CompetentAuthority,
        };
        let existing = self.store.organisations().await?;
        let org = match existing.into_iter().find(|o| o.name == OPERATOR_ORGANISATION_NAME && o.jurisdiction == j) {
            Some(o) => organisation_of(o),
            None => {
                self.create_organisation(Acting::Operator, OPERATOR_ORGANISATION_NAME, kind.code(), j.code()).await?
            }
        };
        let new = NewUser {
            username: "admin".into(),
            display_name: "Administrator".into(),
            organisation_id: org.id,
            roles: vec![Role::Administrator.code().into()],
            password: None,
            language: None,
        };
        let (user, password) = self.create_user(Acting::Operator, &new).await?;
        Ok(Some((user.username, password)))
    }
}
