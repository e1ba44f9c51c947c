//! Sign-in with OAuth 2 providers (GitHub, Google, any OIDC issuer): authorization code with
//! PKCE, a single-use `state` bound to the browser, identities linked to accounts by verified
//! email.

mod client;
pub mod identities;
pub mod states;

pub use client::{OAuth2Provider, ProviderKind};

use futures_util::future::BoxFuture;

/// Who the provider says the person is.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Identity {
    /// The provider's stable id for the person (`sub`, or GitHub's numeric id).
    pub subject: String,
    pub email: Option<String>,
    pub email_verified: bool,
    pub name: Option<String>,
    pub avatar_url: Option<String>,
}

/// Why a provider round trip failed; logged in full, shown to people as a sentence.
#[derive(Debug, thiserror::Error)]
pub enum OAuthError {
    #[error("provider configuration: {0}")]
    Config(String),
    #[error("provider discovery failed: {0}")]
    Discovery(String),
    #[error("token exchange failed: {0}")]
    Exchange(String),
    #[error("fetching the user profile failed: {0}")]
    Profile(String),
}

/// One sign-in provider, as the sign-in routes use it. Stored as `Arc<dyn IdentityProvider>`.
pub trait IdentityProvider: Send + Sync + std::fmt::Debug {
    /// URL segment and form value, e.g. `github`.
    fn id(&self) -> &str;
    /// Button text, e.g. `GitHub`.
    fn label(&self) -> &str;
    /// Where to send the browser to ask the person for consent (with the S256 challenge of
    /// `pkce_verifier`, which stays on our side until the exchange).
    fn authorize_url<'a>(
        &'a self,
        redirect_uri: &'a str,
        state: &'a str,
        pkce_verifier: &'a str,
    ) -> BoxFuture<'a, Result<String, OAuthError>>;
    /// Trades the code for tokens (with the PKCE verifier) and reads the person's profile.
    fn exchange<'a>(
        &'a self,
        redirect_uri: &'a str,
        code: String,
        pkce_verifier: String,
    ) -> BoxFuture<'a, Result<Identity, OAuthError>>;
}
