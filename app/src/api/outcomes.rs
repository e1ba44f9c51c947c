//! What a form route answers, as its page reads it back from the URL: one enum per page and
//! query key, shared by the route that writes the code and the page that words it, so the two
//! cannot drift (a code the page does not know is a compile error on the route's side, and an
//! unknown code in a URL names nothing). Only codes travel in URLs, never sentences.

/// Declares an outcome enum: each variant with its URL code and the sentence its page shows.
macro_rules! outcomes {
    ($(#[$meta:meta])* $name:ident { $($(#[$vmeta:meta])* $variant:ident = $code:literal => $message:expr,)* }) => {
        $(#[$meta])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq)]
        pub enum $name {
            $($(#[$vmeta])* $variant,)*
        }

        impl $name {
            pub const ALL: &'static [$name] = &[$($name::$variant,)*];

            /// The code in the URL.
            pub fn code(self) -> &'static str {
                match self {
                    $($name::$variant => $code,)*
                }
            }

            /// The outcome a code names; anything else names nothing.
            pub fn from_code(code: &str) -> Option<Self> {
                Self::ALL.iter().copied().find(|o| o.code() == code)
            }

            /// The sentence the page shows.
            pub fn message(self) -> &'static str {
                match self {
                    $($name::$variant => $message,)*
                }
            }
        }
    };
}

outcomes! {
    /// `/login?error=…`, from the sign-in routes. The OAuth ones name the provider (`provider=<id>`),
    /// which the page words from the configured list.
    LoginError {
        InvalidEmail = "invalid_email" => "That is not a plain email address. Enter just the address, like ada@example.com — without a name, quotes, angle brackets or comments.",
        RateLimited = "rate_limited" => "Too many sign-in emails were requested. Wait a few minutes, then try again.",
        LinkExpired = "link_expired" => "That sign-in link has expired (links last 15 minutes). Enter your email to get a new one.",
        LinkUsed = "link_used" => "That sign-in link was already used. Each link works once: enter your email to get a new one.",
        LinkInvalid = "link_invalid" => "That sign-in link is not valid. Enter your email to get a new one.",
        Banned = "banned" => "This account has been suspended. Contact support if you think this is a mistake.",
        MailFailed = "mail_failed" => "We could not send the email just now. Try again in a moment.",
        OauthState = "oauth_state" => "That sign-in attempt expired or was started in another browser. Start again below.",
        OauthUnknown = "oauth_unknown" => "That sign-in method is not available here. Use your email below.",
        OauthRefused = "oauth_refused" => "{provider} did not sign you in (the request was cancelled or refused there). Try again, or use your email below.",
        OauthFailed = "oauth_failed" => "We could not complete sign-in with {provider}. Try again, or use your email below.",
        OauthUnverified = "oauth_unverified" => "{provider} did not confirm an email address for your account, so we cannot sign you in with it. Verify your email there, or use your email below.",
        Unavailable = "unavailable" => "Something went wrong while signing you in. Please try again.",
    }
}

impl LoginError {
    /// The sentence, with `{provider}` replaced by the provider's name.
    pub fn message_for(self, provider: &str) -> String {
        self.message().replace("{provider}", provider)
    }
}

#[cfg(feature = "ssr")]
impl From<crate::auth::magic_link::LinkProblem> for LoginError {
    fn from(problem: crate::auth::magic_link::LinkProblem) -> Self {
        use crate::auth::magic_link::LinkProblem;
        match problem {
            LinkProblem::Unknown => LoginError::LinkInvalid,
            LinkProblem::Expired => LoginError::LinkExpired,
            LinkProblem::AlreadyUsed => LoginError::LinkUsed,
        }
    }
}

outcomes! {
    /// `/admin?notice=…`, from the ban forms.
    AdminNotice {
        Banned = "banned" => "The user is banned and signed out everywhere.",
        Unbanned = "unbanned" => "The ban is lifted.",
        Unknown = "unknown" => "Nothing changed: that account does not exist.",
        SelfBan = "self" => "Nothing changed: you cannot ban yourself.",
        LastAdmin = "last_admin" => "Nothing changed: that is the last administrator who is not banned. Make someone else an admin first.",
        Unavailable = "unavailable" => "Nothing changed: something went wrong on our side. Please try again.",
    }
}

outcomes! {
    /// `/account?notice=…` (`others_revoked` also carries `count=<n>`).
    AccountNotice {
        SessionRevoked = "session_revoked" => "That session has been signed out.",
        OthersRevoked = "others_revoked" => "Signed out of {count} other session(s).",
        KeyCreated = "key_created" => "Your new API key is below. Copy it now: it is shown only once.",
        KeyRevoked = "key_revoked" => "The API key has been revoked.",
    }
}

outcomes! {
    /// `/account?error=…`
    AccountError {
        NoSuchSession = "no_such_session" => "That session no longer exists.",
        NoSuchKey = "no_such_key" => "That API key no longer exists.",
        KeyName = "key_name" => "Give the key a name of 1 to 60 characters.",
        Unavailable = "unavailable" => "Something went wrong. Please try again.",
    }
}

outcomes! {
    /// `/accounts?notice=…`
    AccountsNotice {
        Added = "added" => "Account added.",
        Deleted = "deleted" => "Account removed.",
    }
}

outcomes! {
    /// `/accounts?error=…` (`limit` is worded by the page from the usage it loads).
    AccountsError {
        Name = "name" => crate::domain::tracked_account::NAME_ERROR,
        Number = "number" => crate::domain::tracked_account::NUMBER_ERROR,
        Limit = "limit" => "Your plan allows no more tracked accounts.",
        NotFound = "not_found" => "That account no longer exists.",
        Unavailable = "unavailable" => "Something went wrong. Please try again.",
    }
}

impl From<&crate::domain::tracked_account::TrackedAccountError> for AccountsError {
    fn from(error: &crate::domain::tracked_account::TrackedAccountError) -> Self {
        use crate::domain::tracked_account::TrackedAccountError;
        match error {
            TrackedAccountError::Name(_) => AccountsError::Name,
            TrackedAccountError::AccountNumber(_) => AccountsError::Number,
        }
    }
}

outcomes! {
    /// `/tutors?error=…` (`denied` also names the `tutor`; the page words it from its usage).
    TutorsError {
        Denied = "denied" => "That session could not be started on your plan.",
        NoSuchTutor = "no_such_tutor" => "That tutor does not exist.",
        StaleForm = "stale_form" => "The form was out of date. Please try again.",
        Unavailable = "unavailable" => "Something went wrong. Please try again.",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_code_reads_back_as_its_outcome_and_codes_are_unique_per_page() {
        fn round_trip<T: Copy + PartialEq + std::fmt::Debug>(
            all: &[T],
            code: fn(T) -> &'static str,
            from: fn(&str) -> Option<T>,
        ) {
            for &o in all {
                assert_eq!(from(code(o)), Some(o), "{o:?}");
            }
            let mut codes: Vec<_> = all.iter().map(|&o| code(o)).collect();
            codes.sort_unstable();
            codes.dedup();
            assert_eq!(codes.len(), all.len());
        }
        round_trip(LoginError::ALL, LoginError::code, LoginError::from_code);
        round_trip(AdminNotice::ALL, AdminNotice::code, AdminNotice::from_code);
        round_trip(
            AccountNotice::ALL,
            AccountNotice::code,
            AccountNotice::from_code,
        );
        round_trip(
            AccountError::ALL,
            AccountError::code,
            AccountError::from_code,
        );
        round_trip(
            AccountsNotice::ALL,
            AccountsNotice::code,
            AccountsNotice::from_code,
        );
        round_trip(
            AccountsError::ALL,
            AccountsError::code,
            AccountsError::from_code,
        );
        round_trip(TutorsError::ALL, TutorsError::code, TutorsError::from_code);
    }

    #[test]
    fn unknown_codes_name_nothing() {
        assert_eq!(LoginError::from_code("<script>"), None);
        assert_eq!(AdminNotice::from_code(""), None);
    }

    #[test]
    fn every_link_problem_tells_how_to_get_a_new_link() {
        for e in [
            LoginError::LinkExpired,
            LoginError::LinkUsed,
            LoginError::LinkInvalid,
        ] {
            assert!(e.message().contains("get a new one"), "{e:?}");
        }
        assert!(LoginError::OauthFailed
            .message_for("GitHub")
            .starts_with("We could not complete sign-in with GitHub"));
    }
}

outcomes! {
    /// `/pricing?error=…`, from the checkout routes.
    PricingError {
        UnknownPlan = "unknown_plan" => "That plan is not offered any more. Pick one of the plans below.",
        FreePlan = "free_plan" => "The Free plan needs no payment: every account has it.",
        AlreadySubscribed = "already_subscribed" => "You already have a paid plan, and a second checkout would charge you twice. Your plan is shown on your dashboard.",
        NotYourCheckout = "not_your_checkout" => "That checkout belongs to another account, so nothing changed here. Sign in with the account that paid, or start again below.",
        UnknownPack = "unknown_pack" => "That credit pack is not offered any more. Pick one below.",
        NothingToManage = "nothing_to_manage" => "There is no subscription to manage yet: choose a plan below.",
        Unavailable = "billing_unavailable" => "The payment service did not answer, so nothing was charged. Try again in a moment.",
    }
}

outcomes! {
    /// `/billing/test-checkout/<id>?error=…`, from the test-mode payment buttons.
    TestCheckoutError {
        Declined = "declined" => "Your card was declined (test mode). Nothing was charged: pay with the other button, or go back to the plans.",
        Unavailable = "unavailable" => "Something went wrong and nothing was charged. Try again.",
    }
}

outcomes! {
    /// `/billing/test-portal?error=…`, from the test-mode portal's buttons.
    TestPortalError {
        /// Worded from the page's own data: what to remove to switch (`price=<lookup key>`).
        DowngradeBlocked = "downgrade_blocked" => "Your usage is over that plan's limits.",
        NotNow = "not_now" => "That button does nothing for this subscription now.",
        NoSubscription = "no_subscription" => "There is no subscription to manage; choose a plan on the pricing page.",
        NoSuchPayment = "no_such_payment" => "There is no such payment to refund or dispute.",
        Unavailable = "unavailable" => "Something went wrong and nothing changed. Try again.",
    }
}
