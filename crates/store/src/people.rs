//! People, their roles, the principal (person and roles) a request acts as, and their language.

use async_trait::async_trait;
use hubnet_domain::access::Principal;
use hubnet_domain::{OrganisationId, Person, PersonId};

use crate::{Page, Result};

/// People and their roles.
#[async_trait]
pub trait People: Send + Sync {
    async fn list_people(&self, organisation: OrganisationId, page: Page<PersonId>) -> Result<Vec<Person>>;
    async fn get_person(&self, id: PersonId) -> Result<Person>;
    async fn person_by_email(&self, email: &str) -> Result<Person>;
    /// Inserts or updates a person. An organisation admin administers their own organisation
    /// only: moving a person to another organisation drops their admin role of the old one.
    async fn save_person(&self, person: &Person) -> Result<()>;
    async fn roles_of(&self, person: PersonId) -> Result<Vec<hubnet_domain::Role>>;
    /// Replaces all of a person's roles with `roles`, in one transaction.
    async fn replace_roles(&self, person: PersonId, roles: &[hubnet_domain::Role]) -> Result<()>;
    /// The active person with their roles.
    async fn principal_of(&self, person: PersonId) -> Result<Principal>;
    /// Changes the language a person reads hubnet in.
    async fn set_language(&self, person: PersonId, language: hubnet_domain::Language) -> Result<()>;
}
