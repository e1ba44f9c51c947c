//! The parts of a Stripe event the webhook reads: its envelope (id, type, creation time) and the
//! customer its object belongs to. Everything else comes from the provider's current state
//! (the sync re-reads it), so the body is never trusted beyond naming what changed, and the
//! strict shape of one API version does not matter.

use serde::Deserialize;

/// A signed event as far as the webhook reads it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Envelope {
    pub id: String,
    pub kind: String,
    pub created: i64,
    /// The customer of the event's object (`data.object.customer`, as an id or expanded).
    pub customer: Option<String>,
    /// The id of the event's object (`data.object.id`).
    pub object_id: Option<String>,
    /// The charge the event is about: the object itself when it is a charge, else the charge a
    /// refund or dispute names (`data.object.charge`).
    pub charge: Option<String>,
}

#[derive(Deserialize)]
struct RawEvent {
    id: String,
    #[serde(rename = "type")]
    kind: String,
    created: i64,
    data: RawData,
}

#[derive(Deserialize)]
struct RawData {
    object: serde_json::Value,
}

/// `None` when the body is not an event at all (no id, type or creation time).
pub fn read(body: &[u8]) -> Option<Envelope> {
    let raw: RawEvent = serde_json::from_slice(body).ok()?;
    let object = &raw.data.object;
    let customer = linked_id(object, "customer");
    let object_id = object
        .get("id")
        .and_then(|id| id.as_str())
        .map(str::to_owned);
    let charge = if object.get("object").and_then(|o| o.as_str()) == Some("charge") {
        object_id.clone()
    } else {
        linked_id(object, "charge")
    };
    (!raw.id.is_empty()).then_some(Envelope {
        id: raw.id,
        kind: raw.kind,
        created: raw.created,
        customer,
        object_id,
        charge,
    })
}

/// The id in `object[field]`, given as an id or as the expanded object.
fn linked_id(object: &serde_json::Value, field: &str) -> Option<String> {
    match object.get(field)? {
        serde_json::Value::String(id) => Some(id.clone()),
        expanded => expanded
            .get("id")
            .and_then(|id| id.as_str())
            .map(str::to_owned),
    }
}

/// What an event asks of us.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Effect {
    /// A checkout finished (or its delayed payment arrived): give what it bought.
    Checkout(String),
    /// Re-read this customer's subscription from the provider.
    Sync(String),
    /// Re-read this charge: a refund or dispute may take back a pack's credits.
    Charge(String),
    /// Nothing (a type we do not act on, or one without a customer); recorded all the same.
    Nothing,
}

/// Checkout events: a plan's subscription or a pack's payment may be complete.
const CHECKOUT: &[&str] = &[
    "checkout.session.completed",
    "checkout.session.async_payment_succeeded",
    "checkout.session.async_payment_failed",
];

/// A pack's payment refunded (in full or in part) or disputed.
const CHARGE: &[&str] = &[
    "charge.refunded",
    "charge.refund.updated",
    "charge.dispute.created",
];

/// Event types that can change what a customer's subscription grants.
const SYNCING: &[&str] = &[
    "customer.subscription.created",
    "customer.subscription.updated",
    "customer.subscription.deleted",
    "customer.subscription.paused",
    "customer.subscription.resumed",
    "customer.subscription.trial_will_end",
    "invoice.paid",
    "invoice.payment_failed",
    "invoice.payment_action_required",
    "invoice.marked_uncollectible",
];

pub fn effect(event: &Envelope) -> Effect {
    if CHECKOUT.contains(&event.kind.as_str()) {
        if let Some(session) = &event.object_id {
            return Effect::Checkout(session.clone());
        }
    }
    if CHARGE.contains(&event.kind.as_str()) {
        if let Some(charge) = &event.charge {
            return Effect::Charge(charge.clone());
        }
    }
    match &event.customer {
        Some(customer) if SYNCING.contains(&event.kind.as_str()) => Effect::Sync(customer.clone()),
        _ => Effect::Nothing,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    /// Stripe's own example objects (stripe-mock's fixtures, ../shared/stripe/).
    fn fixture(resource: &str) -> serde_json::Value {
        let path = concat!(
            env!("CARGO_MANIFEST_DIR"),
            "/../testdata/stripe/fixtures.json"
        );
        let all: serde_json::Value =
            serde_json::from_str(&std::fs::read_to_string(path).expect("the Stripe fixtures"))
                .expect("fixtures are JSON");
        all["resources"][resource].clone()
    }

    fn event(kind: &str, object: serde_json::Value) -> Vec<u8> {
        serde_json::to_vec(&json!({
            "id": "evt_1", "object": "event", "type": kind, "created": 1_700_000_000,
            "api_version": "2026-09-30.endive", "livemode": false,
            "data": { "object": object }
        }))
        .unwrap()
    }

    #[test]
    fn subscription_invoice_and_checkout_events_sync_their_customer() {
        for (kind, resource) in [
            ("customer.subscription.updated", "subscription"),
            ("invoice.payment_failed", "invoice"),
        ] {
            let mut object = fixture(resource);
            object["customer"] = json!("cus_42");
            let envelope = read(&event(kind, object)).expect(kind);
            assert_eq!(envelope.kind, kind);
            assert_eq!(envelope.created, 1_700_000_000);
            assert_eq!(effect(&envelope), Effect::Sync("cus_42".into()), "{kind}");
        }
    }

    #[test]
    fn checkout_events_complete_their_session() {
        let mut object = fixture("checkout.session");
        object["id"] = json!("cs_9");
        for kind in [
            "checkout.session.completed",
            "checkout.session.async_payment_succeeded",
        ] {
            let envelope = read(&event(kind, object.clone())).unwrap();
            assert_eq!(effect(&envelope), Effect::Checkout("cs_9".into()), "{kind}");
        }
    }

    #[test]
    fn refunds_and_disputes_re_read_their_charge() {
        let charge = fixture("charge");
        let id = charge["id"].as_str().unwrap().to_owned();
        let envelope = read(&event("charge.refunded", charge)).unwrap();
        assert_eq!(effect(&envelope), Effect::Charge(id.clone()));
        let dispute = fixture("dispute");
        assert_eq!(
            dispute["charge"],
            json!(id),
            "Stripe's dispute names its charge"
        );
        let envelope = read(&event("charge.dispute.created", dispute)).unwrap();
        assert_eq!(effect(&envelope), Effect::Charge(id.clone()));
        let mut refund = fixture("refund");
        refund["charge"] = json!({ "id": id, "object": "charge" });
        let envelope = read(&event("charge.refund.updated", refund)).unwrap();
        assert_eq!(effect(&envelope), Effect::Charge(id));
    }

    #[test]
    fn an_expanded_customer_is_read_by_its_id() {
        let mut object = fixture("subscription");
        object["customer"] = json!({ "id": "cus_7", "object": "customer" });
        let envelope = read(&event("customer.subscription.deleted", object)).unwrap();
        assert_eq!(envelope.customer.as_deref(), Some("cus_7"));
    }

    #[test]
    fn other_types_and_customerless_objects_do_nothing() {
        let envelope = read(&event("customer.created", fixture("customer"))).unwrap();
        assert_eq!(effect(&envelope), Effect::Nothing);
        let mut object = fixture("invoice");
        object["customer"] = serde_json::Value::Null;
        let envelope = read(&event("invoice.paid", object)).unwrap();
        assert_eq!(effect(&envelope), Effect::Nothing);
    }

    #[test]
    fn a_body_that_is_no_event_reads_as_none() {
        assert_eq!(read(b"not json"), None);
        assert_eq!(read(br#"{"id":"evt_1"}"#), None);
        assert_eq!(
            read(br#"{"id":"","type":"x","created":1,"data":{"object":{}}}"#),
            None
        );
    }
}
