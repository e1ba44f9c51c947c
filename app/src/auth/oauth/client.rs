//! The real provider adapter: the `oauth2` crate for the code flow, reqwest for discovery and
//! profiles. GitHub has fixed endpoints and its own profile API; Google and generic issuers are
//! OpenID Connect, found through `/.well-known/openid-configuration` on first use.

use super::{Identity, IdentityProvider, OAuthError};
use futures_util::future::BoxFuture;
use oauth2::basic::BasicClient;
use oauth2::{
    AuthUrl, AuthorizationCode, ClientId, ClientSecret, CsrfToken, PkceCodeChallenge,
    PkceCodeVerifier, RedirectUrl, Scope, TokenResponse, TokenUrl,
};
use serde::Deserialize;
use tokio::sync::OnceCell;

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ProviderKind {
    /// `web_base` (`https://github.com`) serves the consent page and tokens, `api_base`
    /// (`https://api.github.com`) the profile; both configurable so tests can use a local fake.
    GitHub { web_base: String, api_base: String },
    /// OpenID Connect issuer (Google is one, at `https://accounts.google.com`).
    Oidc { issuer: String },
}

#[derive(Debug, Clone, Deserialize)]
struct Endpoints {
    authorization_endpoint: String,
    token_endpoint: String,
    userinfo_endpoint: String,
}

#[derive(Debug)]
pub struct OAuth2Provider {
    id: String,
    label: String,
    kind: ProviderKind,
    client_id: String,
    client_secret: String,
    endpoints: OnceCell<Endpoints>,
    /// Redirects disabled: a token endpoint that redirects is misbehaving, and following it could
    /// send our code and secret elsewhere.
    http: reqwest::Client,
}

impl OAuth2Provider {
    pub fn new(
        id: &str,
        label: &str,
        kind: ProviderKind,
        client_id: &str,
        client_secret: &str,
    ) -> Result<Self, OAuthError> {
        let http = reqwest::Client::builder()
            .redirect(reqwest::redirect::Policy::none())
            .timeout(std::time::Duration::from_secs(15))
            .user_agent("tollgate")
            .build()
            .map_err(|e| OAuthError::Config(e.to_string()))?;
        let endpoints = OnceCell::new();
        if let ProviderKind::GitHub { web_base, api_base } = &kind {
            let _ = endpoints.set(Endpoints {
                authorization_endpoint: format!("{web_base}/login/oauth/authorize"),
                token_endpoint: format!("{web_base}/login/oauth/access_token"),
                userinfo_endpoint: format!("{api_base}/user"),
            });
        }
        Ok(Self {
            id: id.into(),
            label: label.into(),
            kind,
            client_id: client_id.into(),
            client_secret: client_secret.into(),
            endpoints,
            http,
        })
    }

    async fn endpoints(&self) -> Result<&Endpoints, OAuthError> {
        self.endpoints
            .get_or_try_init(|| async {
                let ProviderKind::Oidc { issuer } = &self.kind else {
                    return Err(OAuthError::Config("no endpoints".into()));
                };
                let url = format!(
                    "{}/.well-known/openid-configuration",
                    issuer.trim_end_matches('/')
                );
                let response = self
                    .http
                    .get(&url)
                    .send()
                    .await
                    .map_err(|e| OAuthError::Discovery(e.to_string()))?;
                let response = response
                    .error_for_status()
                    .map_err(|e| OAuthError::Discovery(e.to_string()))?;
                response
                    .json::<Endpoints>()
                    .await
                    .map_err(|e| OAuthError::Discovery(e.to_string()))
            })
            .await
    }

    fn scopes(&self) -> &'static [&'static str] {
        match self.kind {
            ProviderKind::GitHub { .. } => &["read:user", "user:email"],
            ProviderKind::Oidc { .. } => &["openid", "email", "profile"],
        }
    }

    async fn profile(
        &self,
        endpoints: &Endpoints,
        access_token: &str,
    ) -> Result<Identity, OAuthError> {
        let get = |url: String| {
            let request = self
                .http
                .get(url)
                .bearer_auth(access_token)
                .header("Accept", "application/json");
            async move {
                let response = request
                    .send()
                    .await
                    .map_err(|e| OAuthError::Profile(e.to_string()))?;
                response
                    .error_for_status()
                    .map_err(|e| OAuthError::Profile(e.to_string()))
            }
        };
        match self.kind {
            ProviderKind::Oidc { .. } => {
                #[derive(Deserialize)]
                struct UserInfo {
                    sub: String,
                    email: Option<String>,
                    #[serde(default)]
                    email_verified: bool,
                    name: Option<String>,
                    picture: Option<String>,
                }
                let info: UserInfo = get(endpoints.userinfo_endpoint.clone())
                    .await?
                    .json()
                    .await
                    .map_err(|e| OAuthError::Profile(e.to_string()))?;
                Ok(Identity {
                    subject: info.sub,
                    email: info.email,
                    email_verified: info.email_verified,
                    name: info.name,
                    avatar_url: info.picture,
                })
            }
            ProviderKind::GitHub { .. } => {
                #[derive(Deserialize)]
                struct User {
                    id: i64,
                    login: String,
                    name: Option<String>,
                    avatar_url: Option<String>,
                }
                #[derive(Deserialize)]
                struct Email {
                    email: String,
                    primary: bool,
                    verified: bool,
                }
                let user: User = get(endpoints.userinfo_endpoint.clone())
                    .await?
                    .json()
                    .await
                    .map_err(|e| OAuthError::Profile(e.to_string()))?;
                let emails: Vec<Email> = get(format!("{}/emails", endpoints.userinfo_endpoint))
                    .await?
                    .json()
                    .await
                    .map_err(|e| OAuthError::Profile(e.to_string()))?;
                let primary = emails.into_iter().find(|e| e.primary && e.verified);
                Ok(Identity {
                    subject: user.id.to_string(),
                    email_verified: primary.is_some(),
                    email: primary.map(|e| e.email),
                    name: user.name.or(Some(user.login)),
                    avatar_url: user.avatar_url,
                })
            }
        }
    }
}

impl IdentityProvider for OAuth2Provider {
    fn id(&self) -> &str {
        &self.id
    }

    fn label(&self) -> &str {
        &self.label
    }

    fn authorize_url<'a>(
        &'a self,
        redirect_uri: &'a str,
        state: &'a str,
        pkce_verifier: &'a str,
    ) -> BoxFuture<'a, Result<String, OAuthError>> {
        Box::pin(async move {
            let endpoints = self.endpoints().await?;
            let client = BasicClient::new(ClientId::new(self.client_id.clone()))
                .set_auth_uri(
                    AuthUrl::new(endpoints.authorization_endpoint.clone())
                        .map_err(|e| OAuthError::Config(e.to_string()))?,
                )
                .set_redirect_uri(
                    RedirectUrl::new(redirect_uri.to_owned())
                        .map_err(|e| OAuthError::Config(e.to_string()))?,
                );
            let state = state.to_owned();
            let challenge = PkceCodeChallenge::from_code_verifier_sha256(&PkceCodeVerifier::new(
                pkce_verifier.to_owned(),
            ));
            let mut request = client
                .authorize_url(move || CsrfToken::new(state))
                .set_pkce_challenge(challenge);
            for scope in self.scopes() {
                request = request.add_scope(Scope::new((*scope).to_owned()));
            }
            Ok(request.url().0.to_string())
        })
    }

    fn exchange<'a>(
        &'a self,
        redirect_uri: &'a str,
        code: String,
        pkce_verifier: String,
    ) -> BoxFuture<'a, Result<Identity, OAuthError>> {
        Box::pin(async move {
            let endpoints = self.endpoints().await?;
            let client = BasicClient::new(ClientId::new(self.client_id.clone()))
                .set_client_secret(ClientSecret::new(self.client_secret.clone()))
                .set_auth_uri(
                    AuthUrl::new(endpoints.authorization_endpoint.clone())
                        .map_err(|e| OAuthError::Config(e.to_string()))?,
                )
                .set_token_uri(
                    TokenUrl::new(endpoints.token_endpoint.clone())
                        .map_err(|e| OAuthError::Config(e.to_string()))?,
                )
                .set_redirect_uri(
                    RedirectUrl::new(redirect_uri.to_owned())
                        .map_err(|e| OAuthError::Config(e.to_string()))?,
                );
            let token = client
                .exchange_code(AuthorizationCode::new(code))
                .set_pkce_verifier(PkceCodeVerifier::new(pkce_verifier))
                .request_async(&self.http)
                .await
                .map_err(|e| OAuthError::Exchange(e.to_string()))?;
            self.profile(endpoints, token.access_token().secret()).await
        })
    }
}
