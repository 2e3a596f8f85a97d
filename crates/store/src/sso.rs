//! Single sign-on: each organisation's identity providers (OpenID Connect), and the person a
//! provider's sign-in stands for.

use async_trait::async_trait;
use chrono::{DateTime, Utc};
use hubnet_domain::sso::{Assertion, IdentityProvider};
use hubnet_domain::{IdentityProviderId, Language, OrganisationId, PersonId};

use crate::Result;

/// A sign-in through an organisation's identity provider, checked against it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SsoSignIn {
    pub organisation_id: OrganisationId,
    pub issuer: String,
    pub assertion: Assertion,
    /// The id a new person gets.
    pub new_person: PersonId,
    /// The language a new person gets when the provider sent no usable `locale`.
    pub fallback_language: Language,
    pub at: DateTime<Utc>,
}

/// Whom a sign-in through an identity provider signed in.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct SsoOutcome {
    pub person_id: PersonId,
    /// A new person was created.
    pub created: bool,
}

/// Identity providers and the people they sign in.
#[async_trait]
pub trait Sso: Send + Sync {
    /// The identity providers of one organisation, or every one when `None`, by name.
    async fn list_identity_providers(&self, organisation: Option<OrganisationId>) -> Result<Vec<IdentityProvider>>;
    async fn get_identity_provider(&self, id: IdentityProviderId) -> Result<IdentityProvider>;
    /// Creates or replaces a provider, secret included (`Duplicate("issuer")` when another
    /// provider has its issuer).
    async fn save_identity_provider(&self, provider: &IdentityProvider) -> Result<()>;
    async fn delete_identity_provider(&self, id: IdentityProviderId) -> Result<()>;
    /// The person a provider asserted, in one transaction: the one already linked to (issuer,
    /// subject), whose name and language are refreshed; else the person of the provider's
    /// organisation whose SCIM `externalId` is the subject, or with that address, who has no
    /// identity at this issuer yet, now linked; else a new person. `Duplicate("email")` when the address belongs to another organisation's
    /// person or to another identity of the same issuer.
    async fn sso_person(&self, sign_in: &SsoSignIn) -> Result<SsoOutcome>;
}
