//! Who is calling an API route: a session, an API key, or a guest with (or about to get) a
//! guest cookie. `/api/generate`, `/api/usage` and the pages' server functions share it.

use super::{guests, Payer, Subject};
use crate::auth::client_ip::limit_key;
use crate::auth::rate_limit::{self, Limit, GUESTS_PER_IP};
use crate::auth::token::SecretToken;
use crate::auth::{api_keys, cookie, CurrentUser};
use crate::db::{Db, DbError};
use crate::site::Site;
use axum::http::{header, HeaderMap};
use std::net::IpAddr;

pub const GUEST_COOKIE: cookie::CookieName = cookie::CookieName::new("tollgate_guest", "/");
/// Browsers cap cookie lifetimes at 400 days.
pub const GUEST_COOKIE_MAX_AGE: i64 = 400 * 86_400;

#[derive(Debug)]
pub struct Caller {
    pub subject: Subject,
    /// `Set-Cookie` to send when a new guest was just named.
    pub set_cookie: Option<String>,
}

/// A caller who is about to be charged: an API key stays unresolved, for the charge's read to
/// resolve (see [`Payer`]).
#[derive(Debug)]
pub struct Paying {
    pub payer: Payer,
    /// `Set-Cookie` to send when a new guest was just named.
    pub set_cookie: Option<String>,
}

#[derive(Debug, thiserror::Error)]
pub enum CallerError {
    #[error(
        "That API key is not valid: it was revoked or mistyped. Create a new one on /account."
    )]
    InvalidApiKey,
    #[error("Too many new guests from your network today. Sign in to continue.")]
    TooManyGuests,
    /// The key is real but its owner is banned: every route refuses it (403), not only the
    /// metered ones.
    #[error("This account has been suspended.")]
    Banned,
    #[error(transparent)]
    Db(#[from] DbError),
}

/// What to make of a caller with no API key, session or guest cookie.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum NoCookie {
    /// A guest who has used nothing (routes that only read).
    Unnamed,
    /// A new guest with a cookie of their own, one of the address's daily new guests (routes
    /// that spend).
    NameGuestFrom(IpAddr),
}

/// An API key wins over cookies; then the session; then the guest cookie; then `no_cookie`.
pub async fn identify(
    db: &Db,
    site: &Site,
    headers: &HeaderMap,
    viewer: Option<&CurrentUser>,
    no_cookie: NoCookie,
) -> Result<Caller, CallerError> {
    let Paying { payer, set_cookie } = identify_payer(db, site, headers, viewer, no_cookie).await?;
    let subject = match payer {
        Payer::Subject(subject) => subject,
        Payer::ApiKey(hash) => match api_keys::resolve(db, &hash).await? {
            Some(user) if user.banned => return Err(CallerError::Banned),
            Some(user) => Subject::User(user.id),
            None => return Err(CallerError::InvalidApiKey),
        },
    };
    Ok(Caller {
        subject,
        set_cookie,
    })
}

/// [`identify`] for a route about to charge: an API key is left for the charge's read to
/// look up (a malformed one is refused here).
pub async fn identify_payer(
    db: &Db,
    site: &Site,
    headers: &HeaderMap,
    viewer: Option<&CurrentUser>,
    no_cookie: NoCookie,
) -> Result<Paying, CallerError> {
    if let Some(key) = bearer(headers) {
        return match api_keys::presented_hash(key) {
            Some(hash) => Ok(Paying {
                payer: Payer::ApiKey(hash),
                set_cookie: None,
            }),
            None => Err(CallerError::InvalidApiKey),
        };
    }
    let known = |subject| Paying {
        payer: Payer::Subject(subject),
        set_cookie: None,
    };
    if let Some(me) = viewer {
        return Ok(known(Subject::User(me.user.id)));
    }
    if let Some(token) = cookie::read(headers, GUEST_COOKIE, site.secure_cookies())
        .and_then(|raw| SecretToken::from_presented(&raw))
    {
        let hash = token.hash();
        // A cookie we never issued (made up, or from another database) counts as none.
        if guests::known(db, &hash).await? {
            return Ok(known(Subject::Guest(hash)));
        }
    }
    let ip = match no_cookie {
        NoCookie::Unnamed => return Ok(known(Subject::UnnamedGuest)),
        NoCookie::NameGuestFrom(ip) => ip,
    };
    let limit = Limit {
        max: site.guests_per_ip,
        ..GUESTS_PER_IP
    };
    if rate_limit::hit(db, &format!("guest:ip:{}", limit_key(ip)), limit)
        .await?
        .is_err()
    {
        return Err(CallerError::TooManyGuests);
    }
    let token = SecretToken::generate();
    let hash = token.hash();
    guests::record(db, &hash).await?;
    Ok(Paying {
        payer: Payer::Subject(Subject::Guest(hash)),
        set_cookie: Some(cookie::set(
            GUEST_COOKIE,
            token.expose(),
            GUEST_COOKIE_MAX_AGE,
            site.secure_cookies(),
        )),
    })
}

fn bearer(headers: &HeaderMap) -> Option<&str> {
    headers
        .get(header::AUTHORIZATION)?
        .to_str()
        .ok()?
        .strip_prefix("Bearer ")
        .map(str::trim)
}
