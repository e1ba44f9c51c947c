//! Billing emails through the same mailer as sign-in links (SMTP, or the dev mailbox offline):
//! a failed payment (with where to fix it) and a trial about to end — each sent once per
//! webhook event (a redelivered event is a duplicate and sends nothing), after its transaction
//! committed — and bought credits running low, once per use that crosses the line (an access
//! event). A mail that cannot be sent is logged, never a reason to refuse anything.

use super::{customers, subscriptions, Billing};
use crate::access::events::AccessEvent;
use crate::auth::mailer::Email;
use crate::domain::calendar::date;
use crate::domain::FeatureId;
use tokio::sync::broadcast;

/// Which billing email an event calls for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum BillingEmail {
    PaymentFailed,
    TrialEnding,
}

impl BillingEmail {
    pub fn for_event(kind: &str) -> Option<Self> {
        match kind {
            "invoice.payment_failed" => Some(BillingEmail::PaymentFailed),
            "customer.subscription.trial_will_end" => Some(BillingEmail::TrialEnding),
            _ => None,
        }
    }
}

/// The wording: `plan` as the catalog names it, `account_url` where billing is managed,
/// `trial_end` for the trial email, `grace_days` how long a failed payment keeps the plan.
pub fn compose(
    which: BillingEmail,
    to: &str,
    plan: &str,
    account_url: &str,
    trial_end: Option<i64>,
    grace_days: u32,
) -> Email {
    let (subject, body) = match which {
        BillingEmail::PaymentFailed => (
            format!("Your payment for Tollgate {plan} failed"),
            format!(
                "We could not take the payment for your {plan} plan.\n\n{} To get it back, \
                 update your payment method: open {account_url} and choose \"Manage billing\".\n",
                match grace_days {
                    0 => "Your account is on Free until the payment goes through.".to_owned(),
                    1 => format!("You keep {plan} while the payment is retried over the next day."),
                    n => format!(
                        "You keep {plan} while the payment is retried over the next {n} days."
                    ),
                }
            ),
        ),
        BillingEmail::TrialEnding => {
            let day = trial_end.map(date).unwrap_or_else(|| "in 3 days".into());
            (
                format!("Your Tollgate {plan} trial ends soon"),
                format!(
                    "Your free trial of {plan} ends on {day}. If you do nothing, the plan \
                     continues and your card is charged then.\n\nTo change plan or cancel \
                     before it ends, open {account_url} and choose \"Manage billing\".\n"
                ),
            )
        }
    };
    Email {
        to: to.to_owned(),
        subject,
        body,
    }
}

/// "You have 10 generations of credit left": `units` as the catalog words them, `pricing_url`
/// where packs are bought.
pub fn credits_low(to: &str, left: u64, units: &str, pricing_url: &str) -> Email {
    Email {
        to: to.to_owned(),
        subject: format!("You have {left} {units} of credit left"),
        body: format!(
            "The credits you bought are running low: {left} {units} left.\n\n\
             They are spent after your plan's own allowance. To keep going past it, buy another \
             pack at {pricing_url}\n"
        ),
    }
}

impl Billing {
    /// Mails buyers whose credits run low, for as long as the access module sends events (the
    /// server runs this in the background).
    pub async fn mail_on_access_events(self, mut events: broadcast::Receiver<AccessEvent>) {
        loop {
            match events.recv().await {
                Ok(AccessEvent::CreditsLow {
                    user_id,
                    feature,
                    left,
                }) => self.send_credits_low(user_id, &feature, left).await,
                Err(broadcast::error::RecvError::Lagged(missed)) => {
                    tracing::warn!(
                        missed,
                        "billing emails fell behind; some notices were skipped"
                    );
                }
                Err(broadcast::error::RecvError::Closed) => return,
            }
        }
    }

    async fn send_credits_low(&self, user_id: i64, feature: &FeatureId, left: u64) {
        let Some(mailer) = self.mailer.as_ref() else {
            return;
        };
        let email: Result<Option<String>, _> =
            sqlx::query_scalar("SELECT email FROM users WHERE id = $1")
                .bind(user_id)
                .fetch_optional(self.db.pool())
                .await;
        let Ok(Some(email)) = email else {
            return;
        };
        let units = self.catalog.units_for(feature, left);
        let pricing = format!("{}/pricing#credit-packs", self.app_url);
        if let Err(e) = mailer
            .send(credits_low(&email, left, &units, &pricing))
            .await
        {
            tracing::warn!(error = %e, user_id, "a credits-low email could not be sent");
        }
    }

    /// Sends the email `kind` calls for to `customer`'s user, if any.
    pub(super) async fn send_event_email(&self, kind: &str, customer: Option<&str>) {
        let (Some(which), Some(customer), Some(mailer)) = (
            BillingEmail::for_event(kind),
            customer,
            self.mailer.as_ref(),
        ) else {
            return;
        };
        let owner = customers::owner(&self.db, customer).await;
        let Ok(Some((user_id, email))) = owner else {
            return;
        };
        let stored = subscriptions::find_with_details(&self.db, user_id).await;
        let Ok(Some((subscription, details))) = stored else {
            return;
        };
        let plan = self
            .catalog
            .plan(&subscription.plan)
            .map_or_else(|| subscription.plan.to_string(), |p| p.name.clone());
        let account = format!("{}/account", self.app_url);
        let grace = self.catalog.past_due_grace_days;
        let message = compose(which, &email, &plan, &account, details.trial_end, grace);
        if let Err(e) = mailer.send(message).await {
            tracing::warn!(error = %e, user_id, "a billing email could not be sent");
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_failed_payment_says_how_long_the_plan_stays_and_where_to_fix_it() {
        let mail = compose(
            BillingEmail::PaymentFailed,
            "ada@example.com",
            "Pro",
            "https://app.example/account",
            None,
            7,
        );
        assert_eq!(mail.subject, "Your payment for Tollgate Pro failed");
        assert!(mail
            .body
            .contains("You keep Pro while the payment is retried over the next 7 days"));
        assert!(mail.body.contains("https://app.example/account"));
        assert!(mail.body.contains("Manage billing"));
    }

    #[test]
    fn without_a_grace_period_the_email_says_the_plan_is_paused() {
        let mail = compose(
            BillingEmail::PaymentFailed,
            "a@example.com",
            "Pro",
            "https://x/account",
            None,
            0,
        );
        assert!(
            mail.body
                .contains("Your account is on Free until the payment goes through."),
            "{}",
            mail.body
        );
    }

    #[test]
    fn a_trial_email_names_the_day_it_ends() {
        let mail = compose(
            BillingEmail::TrialEnding,
            "ada@example.com",
            "Team",
            "https://app.example/account",
            Some(1_767_225_600),
            7,
        );
        assert_eq!(mail.subject, "Your Tollgate Team trial ends soon");
        assert!(mail.body.contains("ends on 2026-01-01"), "{}", mail.body);
    }

    #[test]
    fn a_credits_low_email_says_how_many_are_left_and_where_to_buy() {
        let mail = credits_low(
            "ada@example.com",
            10,
            "generations",
            "https://app.example/pricing#credit-packs",
        );
        assert_eq!(mail.subject, "You have 10 generations of credit left");
        assert!(mail
            .body
            .contains("https://app.example/pricing#credit-packs"));
    }

    #[test]
    fn only_two_event_types_send_mail() {
        assert_eq!(
            BillingEmail::for_event("invoice.payment_failed"),
            Some(BillingEmail::PaymentFailed)
        );
        assert_eq!(
            BillingEmail::for_event("customer.subscription.trial_will_end"),
            Some(BillingEmail::TrialEnding)
        );
        assert_eq!(BillingEmail::for_event("invoice.paid"), None);
    }
}
