//! Single sign-on: the OpenID Connect providers an organisation trusts, and how a provider's
//! answer becomes a hubnet person.
//!
//! A person is keyed on the provider's issuer plus its stable identifier for them: Entra ID's
//! `oid` (the same for every application in the tenant) when present, otherwise `sub`. Email is
//! never the key: addresses are reassigned. It is only checked against the provider's domains, and
//! used once to link a person who was provisioned (SCIM, import) before their first sign-in.

use crate::{Email, IdentityProviderId, InvalidValue, Language, OrganisationId};

/// An organisation's identity provider.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, utoipa::ToSchema)]
pub struct IdentityProvider {
    pub id: IdentityProviderId,
    pub organisation_id: OrganisationId,
    /// What the sign-in button says, e.g. "Valtion tietotekniikka (Entra ID)".
    pub name: String,
    /// The issuer exactly as the provider states it; for Entra ID the tenant-specific
    /// `https://login.microsoftonline.com/{tenant id}/v2.0`.
    pub issuer: String,
    pub client_id: String,
    /// Never shown: answers say only whether one is set.
    #[serde(skip)]
    pub client_secret: Option<String>,
    /// Only addresses of these domains may sign in through this provider.
    pub email_domains: Vec<String>,
}

impl IdentityProvider {
    /// Whether the address belongs to one of the provider's domains (exactly; a subdomain must be
    /// listed on its own).
    pub fn allows(&self, email: &Email) -> bool {
        self.email_domains.iter().any(|d| d == email.domain())
    }
}

/// Checks an issuer URL: `https`, or `http` on the loopback interface (for tests and development),
/// without a query or fragment, at most 500 characters. The trailing slash is kept as given:
/// issuers are compared as exact strings.
pub fn parse_issuer(s: &str) -> Result<String, InvalidValue> {
    let s = s.trim();
    let bad = |why: &str| InvalidValue::new("issuer", format!("`{s}` {why}"));
    if s.len() > 500 || s.contains(['?', '#']) || s.chars().any(|c| c.is_whitespace() || c.is_control()) {
        return Err(bad("is not an issuer URL"));
    }
    let rest = if let Some(rest) = s.strip_prefix("https://") {
        rest
    } else if let Some(rest) = s.strip_prefix("http://") {
        let loopback = ["127.0.0.1", "localhost", "[::1]"]
            .iter()
            .any(|host| rest.strip_prefix(host).is_some_and(|after| after.is_empty() || after.starts_with(['/', ':'])));
        if !loopback {
            return Err(bad("must use https (http only on the loopback interface)"));
        }
        rest
    } else {
        return Err(bad("must begin with https://"));
    };
    if rest.is_empty() || rest.starts_with('/') {
        return Err(bad("has no host"));
    }
    Ok(s.to_owned())
}

/// Checks the list of email domains: at least one, each lower-cased, with a dot, no `@`.
pub fn parse_email_domains(domains: &[String]) -> Result<Vec<String>, InvalidValue> {
    let mut out: Vec<String> = Vec::new();
    for d in domains {
        let d = d.trim().trim_start_matches('@').to_lowercase();
        let ok = d.len() <= 253
            && d.contains('.')
            && !d.starts_with('.')
            && !d.ends_with('.')
            && !d.contains("..")
            && d.chars().all(|c| c.is_alphanumeric() || c == '-' || c == '.');
        if !ok {
            return Err(InvalidValue::new("email_domains", format!("`{d}` is not a domain")));
        }
        if !out.contains(&d) {
            out.push(d);
        }
    }
    if out.is_empty() {
        return Err(InvalidValue::new("email_domains", "list at least one domain"));
    }
    Ok(out)
}

/// What a provider's ID token (and user info) said about the person signing in.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Claims {
    pub subject: String,
    /// Entra ID: the person's object id in the tenant.
    pub object_id: Option<String>,
    /// Entra ID: the tenant.
    pub tenant_id: Option<String>,
    pub email: Option<String>,
    pub preferred_username: Option<String>,
    pub name: Option<String>,
    pub given_name: Option<String>,
    pub family_name: Option<String>,
    /// BCP 47, e.g. `fi-FI`, `sv-SE`, `en-GB`.
    pub locale: Option<String>,
}

/// Why a provider's answer does not sign anyone in.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum SignInRefusal {
    /// Neither `email` nor `preferred_username` holds an address.
    #[error("the identity provider sent no email address")]
    NoEmail,
    /// The address is not of a domain listed for the provider.
    #[error("the address's domain `{0}` is not one this provider may sign in")]
    DomainNotAllowed(String),
}

/// The person a sign-in asserts, checked against the provider.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Assertion {
    /// The stable key within the issuer: `oid` when the provider sends one, otherwise `sub`.
    pub subject: String,
    pub tenant_id: Option<String>,
    pub email: Email,
    pub name: String,
    /// From `locale` when it names Finnish, Swedish or English.
    pub language: Option<Language>,
}

impl Claims {
    /// Checks the claims against the provider that sent them.
    pub fn assert_for(&self, provider: &IdentityProvider) -> Result<Assertion, SignInRefusal> {
        let email = [&self.email, &self.preferred_username]
            .into_iter()
            .flatten()
            .find_map(|e| Email::parse(e).ok())
            .ok_or(SignInRefusal::NoEmail)?;
        if !provider.allows(&email) {
            return Err(SignInRefusal::DomainNotAllowed(email.domain().to_owned()));
        }
        let joined = [&self.given_name, &self.family_name]
            .into_iter()
            .flatten()
            .map(|s| s.trim())
            .filter(|s| !s.is_empty())
            .collect::<Vec<_>>()
            .join(" ");
        let name = [self.name.as_deref(), Some(joined.as_str())]
            .into_iter()
            .flatten()
            .find_map(|n| crate::text::parse_name(n, "name").ok())
            .unwrap_or_else(|| email.as_str().split('@').next().unwrap_or_default().to_owned());
        let subject = self.object_id.as_deref().filter(|o| !o.is_empty()).unwrap_or(&self.subject).to_owned();
        Ok(Assertion {
            subject,
            tenant_id: self.tenant_id.clone(),
            email,
            name,
            language: self.locale.as_deref().and_then(Language::negotiate),
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn provider() -> IdentityProvider {
        IdentityProvider {
            id: IdentityProviderId::from_uuid(uuid::Uuid::nil()),
            organisation_id: OrganisationId::from_uuid(uuid::Uuid::nil()),
            name: "VDT".into(),
            issuer: "https://login.microsoftonline.com/t/v2.0".into(),
            client_id: "c".into(),
            client_secret: None,
            email_domains: vec!["vdt.example".into()],
        }
    }

    fn claims() -> Claims {
        Claims {
            subject: "pairwise-sub".into(),
            object_id: Some("oid-1".into()),
            tenant_id: Some("tid-1".into()),
            email: None,
            preferred_username: Some("Sari.Saarinen@VDT.example".into()),
            name: Some("Sari Saarinen".into()),
            locale: Some("fi-FI".into()),
            ..Claims::default()
        }
    }

    #[test]
    fn entra_claims_key_on_oid_and_take_the_address_from_preferred_username() {
        let a = claims().assert_for(&provider()).unwrap();
        assert_eq!(a.subject, "oid-1");
        assert_eq!(a.tenant_id.as_deref(), Some("tid-1"));
        assert_eq!(a.email.as_str(), "sari.saarinen@vdt.example");
        assert_eq!(a.name, "Sari Saarinen");
        assert_eq!(a.language, Some(Language::Fi));
    }

    #[test]
    fn what_each_claim_decides() {
        type Change = fn(&mut Claims);
        type Expected = Result<(&'static str, &'static str, Option<Language>), SignInRefusal>;
        let cases: &[(&str, Change, Expected)] = &[
            (
                "no oid: sub is the key",
                |c| c.object_id = None,
                Ok(("pairwise-sub", "Sari Saarinen", Some(Language::Fi))),
            ),
            (
                "empty oid: sub is the key",
                |c| c.object_id = Some(String::new()),
                Ok(("pairwise-sub", "Sari Saarinen", Some(Language::Fi))),
            ),
            ("Swedish locale", |c| c.locale = Some("sv-SE".into()), Ok(("oid-1", "Sari Saarinen", Some(Language::Sv)))),
            ("unknown locale", |c| c.locale = Some("de-DE".into()), Ok(("oid-1", "Sari Saarinen", None))),
            (
                "no name: given and family names",
                |c| {
                    c.name = None;
                    c.given_name = Some("Sari".into());
                    c.family_name = Some("Saarinen".into());
                },
                Ok(("oid-1", "Sari Saarinen", Some(Language::Fi))),
            ),
            (
                "no name at all: the address's local part",
                |c| c.name = None,
                Ok(("oid-1", "sari.saarinen", Some(Language::Fi))),
            ),
            (
                "a name with a line break is not a name",
                |c| c.name = Some("a\nb".into()),
                Ok(("oid-1", "sari.saarinen", Some(Language::Fi))),
            ),
            ("no address", |c| c.preferred_username = None, Err(SignInRefusal::NoEmail)),
            (
                "a username that is not an address",
                |c| c.preferred_username = Some("sari".into()),
                Err(SignInRefusal::NoEmail),
            ),
            (
                "another domain",
                |c| c.preferred_username = Some("x@regionjh.example".into()),
                Err(SignInRefusal::DomainNotAllowed("regionjh.example".into())),
            ),
            (
                "a subdomain is not the domain",
                |c| c.preferred_username = Some("x@evil.vdt.example".into()),
                Err(SignInRefusal::DomainNotAllowed("evil.vdt.example".into())),
            ),
            (
                "email wins over preferred_username",
                |c| c.email = Some("x@regionjh.example".into()),
                Err(SignInRefusal::DomainNotAllowed("regionjh.example".into())),
            ),
        ];
        for (what, change, expected) in cases {
            let mut c = claims();
            change(&mut c);
            let got = c.assert_for(&provider()).map(|a| (a.subject, a.name, a.language));
            let expected = expected.clone().map(|(s, n, l)| (s.to_owned(), n.to_owned(), l));
            assert_eq!(got, expected, "{what}");
        }
    }

    #[test]
    fn issuers_are_https_or_loopback() {
        for ok in [
            "https://login.microsoftonline.com/9188040d-6c67-4c5b-b112-36a304b66dad/v2.0",
            "http://127.0.0.1:4000/tenant/v2.0",
            "http://localhost:8080",
        ] {
            assert_eq!(parse_issuer(ok).unwrap(), ok);
        }
        for bad in ["http://idp.example", "ftp://x", "https://", "https:///x", "https://a.example/?x=1", "https://a b"]
        {
            assert!(parse_issuer(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn domains_are_normalised_and_checked() {
        let got =
            parse_email_domains(&[" VDT.example ".into(), "@vdt.example".into(), "sub.vdt.example".into()]).unwrap();
        assert_eq!(got, ["vdt.example", "sub.vdt.example"]);
        for bad in [vec![], vec!["example".to_owned()], vec!["a@b.example".to_owned()], vec!["a..b".to_owned()]] {
            assert!(parse_email_domains(&bad).is_err(), "{bad:?}");
        }
    }
}
