//! Organisations and users: administered by administrators in the web UI and by the operator
//! on the command line.

use crate::{App, AppError, AppResult, Principal, new_id};
use haven_crypto::{generate_password, hash_password};
use haven_domain::audit::{AuditAction, AuditEvent, AuditOutcome};
use haven_domain::org::parse_organisation_name;
use haven_domain::{Coded, Jurisdiction, Language, OrganisationKind, Permission, Role, Username};
use haven_storage::{OrganisationRow, StorageError, UserRow};

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
    ) -> AppResult<OrganisationRow> {
        self.gate(acting, Permission::ManageOrganisations).await?;
        let name = parse_organisation_name(name)?;
        let kind = OrganisationKind::parse_code("kind", kind)?;
        let jurisdiction = Jurisdiction::parse("jurisdiction", jurisdiction)?;
        if !kind.fits(jurisdiction) {
            return Err(AppError::invalid("kind", "this kind of organisation cannot act at this jurisdiction"));
        }
        let org = OrganisationRow { id: new_id(), name, kind, jurisdiction, created_at: self.now() };
        let event = self.event_for(acting, AuditAction::OrganisationCreated).on("organisation", &org.id, Some(&org.id));
        self.store.create_organisation(&org, &event).await.map_err(|e| match e {
            StorageError::Conflict(_) => {
                AppError::Conflict("an organisation with this name exists in this jurisdiction".into())
            }
            other => other.into(),
        })?;
        Ok(org)
    }

    pub async fn organisations(&self, acting: Acting<'_>) -> AppResult<Vec<OrganisationRow>> {
        self.gate(acting, Permission::ListOrganisations).await?;
        Ok(self.store.organisations().await?)
    }

    /// Creates a user; returns it with its initial password (generated when none was given),
    /// to be handed over once.
    pub async fn create_user(&self, acting: Acting<'_>, new: &NewUser) -> AppResult<(UserRow, String)> {
        self.gate(acting, Permission::ManageUsers).await?;
        let username = Username::parse("username", &new.username)?;
        let display_name = haven_domain::text::parse_line("display_name", &new.display_name, 200)?;
        let roles = Role::parse_list("roles", &new.roles.join(","))?;
        let organisation = match self.store.organisation(new.organisation_id.trim()).await {
            Ok(o) => o,
            Err(StorageError::NotFound) => return Err(AppError::invalid("organisation_id", "no such organisation")),
            Err(e) => return Err(e.into()),
        };
        if let Some(role) = roles.iter().find(|r| !r.fits(organisation.kind)) {
            return Err(AppError::invalid(
                "roles",
                &format!("the role {role} does not fit an organisation of kind {}", organisation.kind),
            ));
        }
        let language = match new.language.as_deref().filter(|l| !l.is_empty()) {
            Some(l) => Language::parse_code("language", l)?,
            None => Language::default(),
        };
        let password = match new.password.as_deref().filter(|p| !p.is_empty()) {
            Some(p) => haven_domain::user::parse_new_password("password", p)?,
            None => generate_password(),
        };
        let to_hash = password.clone();
        let password_hash = tokio::task::spawn_blocking(move || hash_password(&to_hash))
            .await
            .map_err(|e| AppError::Internal(Box::new(e)))??;
        let user = UserRow {
            id: new_id(),
            username: username.as_str().to_owned(),
            display_name,
            organisation_id: organisation.id.clone(),
            password_hash,
            disabled: false,
            language,
            totp_secret: None,
            totp_last_step: None,
            created_at: self.now(),
            roles,
        };
        let event = self
            .event_for(acting, AuditAction::UserCreated)
            .on("user", &user.id, Some(&organisation.id))
            .detail(format!("roles={}", user.roles.iter().map(|r| r.code()).collect::<Vec<_>>().join(",")));
        self.store.create_user(&user, &event).await.map_err(|e| match e {
            StorageError::Conflict(_) => AppError::Conflict("this username is taken".into()),
            other => other.into(),
        })?;
        Ok((user, password))
    }

    pub async fn users(&self, acting: Acting<'_>) -> AppResult<Vec<UserRow>> {
        self.gate(acting, Permission::ManageUsers).await?;
        Ok(self.store.users().await?)
    }

    async fn user_named(&self, username: &str) -> AppResult<UserRow> {
        let name = Username::parse("username", username)?;
        Ok(self.store.user_by_username(name.as_str()).await?)
    }

    pub async fn set_user_disabled(&self, acting: Acting<'_>, username: &str, disabled: bool) -> AppResult<()> {
        self.gate(acting, Permission::ManageUsers).await?;
        let user = self.user_named(username).await?;
        if let Acting::User(p) = acting
            && p.user.id == user.id
            && disabled
        {
            return Err(AppError::invalid("username", "you cannot disable your own account"));
        }
        let action = if disabled { AuditAction::UserDisabled } else { AuditAction::UserEnabled };
        let event = self.event_for(acting, action).on("user", &user.id, Some(&user.organisation_id));
        self.store.set_user_disabled(&user.id, disabled, &event).await?;
        Ok(())
    }

    /// Sets a new generated password, revokes the user's sessions, returns the password once.
    pub async fn reset_password(&self, acting: Acting<'_>, username: &str) -> AppResult<String> {
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

    pub async fn set_user_roles(&self, acting: Acting<'_>, username: &str, roles: &str) -> AppResult<()> {
        self.gate(acting, Permission::ManageUsers).await?;
        let user = self.user_named(username).await?;
        let roles = Role::parse_list("roles", roles)?;
        let organisation = self.store.organisation(&user.organisation_id).await?;
        if let Some(role) = roles.iter().find(|r| !r.fits(organisation.kind)) {
            return Err(AppError::invalid("roles", &format!("the role {role} does not fit this organisation")));
        }
        let event = self
            .event_for(acting, AuditAction::RolesChanged)
            .on("user", &user.id, Some(&user.organisation_id))
            .detail(format!("roles={}", roles.iter().map(|r| r.code()).collect::<Vec<_>>().join(",")));
        self.store.set_user_roles(&user.id, &roles, &event).await?;
        Ok(())
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
        let org = match existing.into_iter().find(|o| o.name == "Haven operator" && o.jurisdiction == j) {
            Some(o) => o,
            None => self.create_organisation(Acting::Operator, "Haven operator", kind.code(), j.code()).await?,
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
