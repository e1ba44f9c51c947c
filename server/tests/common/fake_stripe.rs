//! A fake Stripe API over real HTTP, for the Stripe adapter's tests: the endpoints Tollgate
//! calls, answering with Stripe's own example objects (`testdata/stripe/fixtures.json`) with
//! this test's ids, amounts and states. It honours `Idempotency-Key` (a repeated key gets the
//! first answer, as Stripe does for 24 hours), checks the secret key, records every request
//! for assertions, and lets a test act as the buyer and as Stripe's billing engine
//! (complete a checkout, change a subscription).

use axum::extract::{Path, RawQuery, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use axum::{Json, Router};
use serde_json::{json, Value};
use std::collections::HashMap;
use std::sync::{Arc, Mutex, MutexGuard};

/// The secret key the fake accepts.
pub const SECRET_KEY: &str = "sk_test_tollgate_fake";

/// One request as the fake received it.
#[derive(Debug, Clone)]
pub struct Recorded {
    pub method: &'static str,
    pub path: String,
    /// The form body or query, decoded (`line_items[0][price]` → `price_…`).
    pub params: Vec<(String, String)>,
    pub idempotency_key: Option<String>,
}

impl Recorded {
    pub fn param(&self, name: &str) -> Option<&str> {
        param(&self.params, name)
    }
}

#[derive(Default)]
struct Inner {
    next_id: u64,
    now: i64,
    customers: Vec<Value>,
    /// Idempotency key → the answer first given under it.
    answered: HashMap<String, Value>,
    sessions: Vec<Value>,
    subscriptions: Vec<Value>,
    charges: Vec<Value>,
    invoices: Vec<Value>,
    /// `GET /v1/invoices` answers 500 (Stripe having a bad minute).
    invoices_failing: bool,
    requests: Vec<Recorded>,
}

impl Inner {
    fn id(&mut self, prefix: &str) -> String {
        self.next_id += 1;
        format!("{prefix}_test_{}", self.next_id)
    }
}

#[derive(Clone)]
pub struct FakeStripe {
    /// The base URL to give the adapter (`STRIPE_API_BASE`), with its trailing slash.
    pub base: String,
    inner: Arc<Mutex<Inner>>,
    fixtures: Arc<Value>,
    prices: Arc<Vec<Value>>,
}

fn fixtures() -> Value {
    serde_json::from_str(
        &std::fs::read_to_string(super::workspace_file("testdata/stripe/fixtures.json"))
            .expect("the Stripe fixtures"),
    )
    .expect("fixtures are JSON")
}

/// Stripe's error body.
fn stripe_error(status: StatusCode, message: &str) -> Response {
    (
        status,
        Json(json!({ "error": { "type": "invalid_request_error", "message": message } })),
    )
        .into_response()
}

fn list(url: &str, data: Vec<Value>) -> Value {
    json!({ "object": "list", "url": url, "has_more": false, "data": data })
}

fn params(raw: &str) -> Vec<(String, String)> {
    serde_urlencoded::from_str(raw).unwrap_or_default()
}

/// The first value of `name` in decoded form pairs.
fn param<'a>(pairs: &'a [(String, String)], name: &str) -> Option<&'a str> {
    pairs
        .iter()
        .find(|(k, _)| k == name)
        .map(|(_, v)| v.as_str())
}

impl FakeStripe {
    /// Starts the fake on a free port, selling the prices of the shipped `plans.toml`.
    pub async fn start() -> Self {
        let fixtures = fixtures();
        let catalog =
            app::plans_file::load(&super::workspace_file("plans.toml")).expect("plans.toml loads");
        let template = fixtures["resources"]["price"].clone();
        let mut prices = Vec::new();
        let mut price = |key: &str, cents: u64, interval: Option<&str>| {
            let mut p = template.clone();
            p["id"] = json!(format!("price_{key}"));
            p["lookup_key"] = json!(key);
            p["unit_amount"] = json!(cents);
            p["unit_amount_decimal"] = json!(cents.to_string());
            match interval {
                Some(interval) => {
                    p["type"] = json!("recurring");
                    p["recurring"] = json!({ "interval": interval, "interval_count": 1,
                        "meter": null, "trial_period_days": null, "usage_type": "licensed" });
                }
                None => {
                    p["type"] = json!("one_time");
                    p["recurring"] = Value::Null;
                }
            }
            prices.push(p);
        };
        for plan in &catalog.plans {
            if let Some(keys) = &plan.price_keys {
                price(
                    keys.monthly.as_str(),
                    plan.monthly_price.cents,
                    Some("month"),
                );
                price(keys.yearly.as_str(), plan.yearly_price.cents, Some("year"));
            }
        }
        for pack in &catalog.credit_packs {
            price(pack.price_key.as_str(), pack.price.cents, None);
        }
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
            .await
            .expect("bind the fake Stripe");
        let addr = listener.local_addr().expect("its address");
        let fake = FakeStripe {
            base: format!("http://{addr}/"),
            inner: Arc::new(Mutex::new(Inner {
                now: 1_767_225_600,
                ..Inner::default()
            })),
            fixtures: Arc::new(fixtures),
            prices: Arc::new(prices),
        };
        let router = Router::new()
            .route("/v1/customers", post(create_customer))
            .route("/v1/prices", get(list_prices))
            .route(
                "/v1/checkout/sessions",
                post(create_session).get(list_sessions),
            )
            .route("/v1/charges/{id}", get(retrieve_charge))
            .route("/v1/checkout/sessions/{id}", get(retrieve_session))
            .route("/v1/subscriptions", get(list_subscriptions))
            .route("/v1/invoices", get(list_invoices))
            .route("/v1/billing_portal/sessions", post(create_portal_session))
            .with_state(fake.clone());
        tokio::spawn(async move {
            let _ = axum::serve(listener, router).await;
        });
        fake
    }

    fn inner(&self) -> MutexGuard<'_, Inner> {
        self.inner.lock().unwrap_or_else(|p| p.into_inner())
    }

    fn resource(&self, name: &str) -> Value {
        self.fixtures["resources"][name].clone()
    }

    /// Every request received so far, oldest first.
    pub fn requests(&self) -> Vec<Recorded> {
        self.inner().requests.clone()
    }

    /// The time the fake's billing engine stamps on what it makes.
    pub fn set_now(&self, now: i64) {
        self.inner().now = now;
    }

    pub fn customers(&self) -> Vec<Value> {
        self.inner().customers.clone()
    }

    pub fn session(&self, id: &str) -> Option<Value> {
        self.inner()
            .sessions
            .iter()
            .find(|s| s["id"] == id)
            .cloned()
    }

    pub fn subscription_of(&self, customer: &str) -> Option<Value> {
        self.inner()
            .subscriptions
            .iter()
            .rev()
            .find(|s| s["customer"] == customer)
            .cloned()
    }

    /// The buyer pays checkout `id` at Stripe: the session completes and, for a plan, its
    /// subscription starts (trialing when the session offered a trial). Returns the
    /// subscription (null for a one-off payment).
    pub fn complete_checkout(&self, id: &str) -> Value {
        let mut inner = self.inner();
        let now = inner.now;
        let sub_id = inner.id("sub");
        let session = inner
            .sessions
            .iter_mut()
            .find(|s| s["id"] == id)
            .expect("a checkout session of this fake");
        let trial_days = session["_trial_days"].as_i64().unwrap_or(0);
        let price_id = session["_price"].as_str().unwrap_or_default().to_owned();
        let customer = session["customer"].clone();
        session["status"] = json!("complete");
        if session["mode"] == "payment" {
            // A one-off payment: paid through a payment intent and its charge; nothing starts.
            session["payment_status"] = json!("paid");
            let amount = self
                .prices
                .iter()
                .find(|p| p["id"] == price_id)
                .map_or(json!(0), |p| p["unit_amount"].clone());
            let intent = format!("pi_for_{id}");
            session["payment_intent"] = json!(intent);
            let charge_id = inner.id("ch");
            let mut charge = self.resource("charge");
            charge["id"] = json!(charge_id);
            charge["amount"] = amount;
            charge["amount_refunded"] = json!(0);
            charge["refunded"] = json!(false);
            charge["disputed"] = json!(false);
            charge["customer"] = customer;
            charge["payment_intent"] = json!(intent);
            inner.charges.push(charge);
            return Value::Null;
        }
        session["payment_status"] = json!(if trial_days > 0 {
            "no_payment_required"
        } else {
            "paid"
        });
        session["subscription"] = json!(sub_id);
        let price = self
            .prices
            .iter()
            .find(|p| p["id"] == price_id)
            .cloned()
            .expect("a price of this fake");
        let period_end = if trial_days > 0 {
            now + trial_days * 86_400
        } else if price["recurring"]["interval"] == "year" {
            now + 365 * 86_400
        } else {
            now + 30 * 86_400
        };
        let mut sub = self.resource("subscription");
        sub["id"] = json!(sub_id);
        sub["customer"] = customer;
        sub["status"] = json!(if trial_days > 0 { "trialing" } else { "active" });
        sub["created"] = json!(now);
        sub["start_date"] = json!(now);
        sub["cancel_at_period_end"] = json!(false);
        sub["trial_start"] = if trial_days > 0 {
            json!(now)
        } else {
            Value::Null
        };
        sub["trial_end"] = if trial_days > 0 {
            json!(period_end)
        } else {
            Value::Null
        };
        sub["billing_schedules"] = json!([]);
        let mut item = sub["items"]["data"][0].clone();
        item["id"] = json!(format!("si_{sub_id}"));
        item["subscription"] = json!(sub_id);
        item["price"] = price;
        item["current_period_start"] = json!(now);
        item["current_period_end"] = json!(period_end);
        sub["items"]["data"] = json!([item]);
        sub["items"]["url"] = json!(format!("/v1/subscription_items?subscription={sub_id}"));
        // Stripe bills a subscription's first period at once: $0 during a trial.
        let invoice_id = inner.id("in");
        let number = format!("FAKE-{:04}", inner.invoices.len() + 1);
        let mut invoice = self.invoice(&invoice_id, &sub["customer"], now);
        let total = if trial_days > 0 {
            0
        } else {
            sub["items"]["data"][0]["price"]["unit_amount"]
                .as_i64()
                .unwrap_or(0)
        };
        invoice["number"] = json!(number);
        invoice["status"] = json!("paid");
        invoice["total"] = json!(total);
        invoice["amount_due"] = json!(total);
        invoice["amount_paid"] = json!(total);
        invoice["amount_remaining"] = json!(0);
        invoice["billing_reason"] = json!("subscription_create");
        invoice["hosted_invoice_url"] =
            json!(format!("https://invoice.stripe.test/i/{invoice_id}"));
        inner.invoices.push(invoice);
        inner.subscriptions.push(sub.clone());
        sub
    }

    /// An invoice from the fixture. Its one line item has the shape of an older API version
    /// than the one async-stripe speaks (it fails to parse); Tollgate reads no lines, so the
    /// fake sends an empty list of them.
    fn invoice(&self, id: &str, customer: &Value, created: i64) -> Value {
        let mut invoice = self.resource("invoice");
        invoice["id"] = json!(id);
        invoice["customer"] = customer.clone();
        invoice["created"] = json!(created);
        invoice["currency"] = json!("usd");
        invoice["lines"] = json!({ "object": "list", "data": [], "has_more": false,
            "url": format!("/v1/invoices/{id}/lines") });
        invoice
    }

    /// From now on, listing invoices fails with Stripe's 500.
    pub fn fail_invoice_listing(&self) {
        self.inner().invoices_failing = true;
    }

    /// Adds an invoice of `customer` in `status` (an open one, a draft…), as Stripe's
    /// dashboard or a renewal would; returns its id.
    pub fn add_invoice(&self, customer: &str, status: &str, total: i64) -> String {
        let mut inner = self.inner();
        let id = inner.id("in");
        let mut invoice = self.invoice(&id, &json!(customer), inner.now);
        invoice["number"] = if status == "draft" {
            Value::Null
        } else {
            json!(format!("FAKE-{:04}", inner.invoices.len() + 1))
        };
        invoice["status"] = json!(status);
        invoice["total"] = json!(total);
        inner.invoices.push(invoice);
        id
    }

    /// The charge that paid checkout `session`, as Stripe holds it now.
    pub fn charge_of(&self, session: &str) -> Value {
        let intent = format!("pi_for_{session}");
        self.inner()
            .charges
            .iter()
            .find(|c| c["payment_intent"] == intent.as_str())
            .cloned()
            .expect("a paid pack checkout of this fake")
    }

    fn change_charge(&self, session: &str, change: impl FnOnce(&mut Value)) -> Value {
        let intent = format!("pi_for_{session}");
        let mut inner = self.inner();
        let charge = inner
            .charges
            .iter_mut()
            .find(|c| c["payment_intent"] == intent.as_str())
            .expect("a paid pack checkout of this fake");
        change(charge);
        charge.clone()
    }

    /// Support refunds `cents` more of the payment for checkout `session` (Stripe's amounts
    /// are cumulative). Returns the charge, as `charge.refunded` carries it.
    pub fn refund(&self, session: &str, cents: i64) -> Value {
        self.change_charge(session, |charge| {
            let refunded = charge["amount_refunded"].as_i64().unwrap_or(0) + cents;
            charge["amount_refunded"] = json!(refunded);
            charge["refunded"] = json!(refunded >= charge["amount"].as_i64().unwrap_or(0));
        })
    }

    /// The buyer's bank disputes the payment for checkout `session`. Returns the dispute, as
    /// `charge.dispute.created` carries it.
    pub fn dispute(&self, session: &str) -> Value {
        let charge = self.change_charge(session, |charge| charge["disputed"] = json!(true));
        let mut dispute = self.resource("dispute");
        dispute["id"] = json!(format!("dp_for_{session}"));
        dispute["charge"] = charge["id"].clone();
        dispute["amount"] = charge["amount"].clone();
        dispute["payment_intent"] = charge["payment_intent"].clone();
        dispute
    }

    /// Stripe's billing engine changes subscription `id` (status, price, cancellation).
    pub fn update_subscription(&self, id: &str, change: impl FnOnce(&mut Value, &[Value])) {
        let mut inner = self.inner();
        let sub = inner
            .subscriptions
            .iter_mut()
            .find(|s| s["id"] == id)
            .expect("a subscription of this fake");
        change(sub, &self.prices);
    }

    /// The customer switches subscription `id` to the price `lookup_key` (as in Stripe's
    /// portal), and it is active; returns the `customer.subscription.updated` event.
    pub fn switch_price(&self, id: &str, lookup_key: &str) -> Vec<u8> {
        let mut customer = String::new();
        self.update_subscription(id, |s, prices| {
            let price = prices
                .iter()
                .find(|p| p["lookup_key"] == lookup_key)
                .expect("a price of this fake");
            s["status"] = json!("active");
            s["items"]["data"][0]["price"] = price.clone();
            customer = s["customer"].as_str().unwrap_or_default().to_owned();
        });
        let sub = self.subscription_of(&customer).expect("the subscription");
        self.event("customer.subscription.updated", sub)
    }

    /// A Stripe event of `kind` about `object`, as Stripe's fixture shapes it.
    pub fn event(&self, kind: &str, object: Value) -> Vec<u8> {
        let mut inner = self.inner();
        let id = inner.id("evt");
        let mut event = self.resource("event");
        event["id"] = json!(id);
        event["type"] = json!(kind);
        event["created"] = json!(inner.now);
        event["data"] = json!({ "object": object });
        serde_json::to_vec(&event).expect("event JSON")
    }

    fn record(&self, method: &'static str, path: &str, raw: &str, headers: &HeaderMap) {
        let idempotency_key = headers
            .get("idempotency-key")
            .and_then(|v| v.to_str().ok())
            .map(str::to_owned);
        self.inner().requests.push(Recorded {
            method,
            path: path.to_owned(),
            params: params(raw),
            idempotency_key,
        });
    }
}

fn authorized(headers: &HeaderMap) -> bool {
    headers
        .get("authorization")
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v == format!("Bearer {SECRET_KEY}"))
}

/// Runs `make` once per idempotency key: a repeated key gets the first answer.
fn idempotent(
    fake: &FakeStripe,
    headers: &HeaderMap,
    make: impl FnOnce(&mut Inner) -> Value,
) -> Value {
    let key = headers
        .get("idempotency-key")
        .and_then(|v| v.to_str().ok())
        .map(str::to_owned);
    let mut inner = fake.inner();
    if let Some(first) = key.as_ref().and_then(|k| inner.answered.get(k)) {
        return first.clone();
    }
    let made = make(&mut inner);
    if let Some(key) = key {
        inner.answered.insert(key, made.clone());
    }
    made
}

async fn create_customer(
    State(fake): State<FakeStripe>,
    headers: HeaderMap,
    body: String,
) -> Response {
    fake.record("POST", "/v1/customers", &body, &headers);
    if !authorized(&headers) {
        return stripe_error(StatusCode::UNAUTHORIZED, "Invalid API Key provided");
    }
    let form = params(&body);
    let value = |name: &str| param(&form, name).map(str::to_owned);
    let template = fake.resource("customer");
    let customer = idempotent(&fake, &headers, |inner| {
        let mut customer = template;
        customer["id"] = json!(inner.id("cus"));
        customer["email"] = json!(value("email"));
        customer["metadata"] = json!({ "user_id": value("metadata[user_id]") });
        customer["created"] = json!(inner.now);
        inner.customers.push(customer.clone());
        customer
    });
    Json(customer).into_response()
}

async fn list_prices(
    State(fake): State<FakeStripe>,
    headers: HeaderMap,
    RawQuery(query): RawQuery,
) -> Response {
    let query = query.unwrap_or_default();
    fake.record("GET", "/v1/prices", &query, &headers);
    if !authorized(&headers) {
        return stripe_error(StatusCode::UNAUTHORIZED, "Invalid API Key provided");
    }
    let wanted: Vec<String> = params(&query)
        .into_iter()
        .filter(|(k, _)| k.starts_with("lookup_keys"))
        .map(|(_, v)| v)
        .collect();
    let found = fake
        .prices
        .iter()
        .filter(|p| wanted.iter().any(|w| p["lookup_key"] == w.as_str()))
        .cloned()
        .collect();
    Json(list("/v1/prices", found)).into_response()
}

async fn create_session(
    State(fake): State<FakeStripe>,
    headers: HeaderMap,
    body: String,
) -> Response {
    fake.record("POST", "/v1/checkout/sessions", &body, &headers);
    if !authorized(&headers) {
        return stripe_error(StatusCode::UNAUTHORIZED, "Invalid API Key provided");
    }
    let form = params(&body);
    let value = |name: &str| param(&form, name).map(str::to_owned);
    let Some(price) = value("line_items[0][price]") else {
        return stripe_error(
            StatusCode::BAD_REQUEST,
            "Missing required param: line_items[0][price].",
        );
    };
    if !fake.prices.iter().any(|p| p["id"] == price.as_str()) {
        return stripe_error(
            StatusCode::BAD_REQUEST,
            &format!("No such price: '{price}'"),
        );
    }
    let template = fake.resource("checkout.session");
    let session = idempotent(&fake, &headers, |inner| {
        let id = inner.id("cs");
        let mut session = template;
        session["id"] = json!(id);
        session["customer"] = json!(value("customer"));
        session["mode"] = json!(value("mode"));
        session["status"] = json!("open");
        session["payment_status"] = json!("unpaid");
        session["subscription"] = Value::Null;
        session["url"] = json!(format!("https://checkout.stripe.test/c/pay/{id}"));
        session["success_url"] = json!(value("success_url"));
        session["cancel_url"] = json!(value("cancel_url"));
        session["created"] = json!(inner.now);
        session["_price"] = json!(price);
        session["_trial_days"] = json!(value("subscription_data[trial_period_days]")
            .and_then(|d| d.parse::<i64>().ok())
            .unwrap_or(0));
        inner.sessions.push(session.clone());
        session
    });
    Json(session).into_response()
}

async fn retrieve_session(
    State(fake): State<FakeStripe>,
    headers: HeaderMap,
    Path(id): Path<String>,
) -> Response {
    fake.record("GET", &format!("/v1/checkout/sessions/{id}"), "", &headers);
    if !authorized(&headers) {
        return stripe_error(StatusCode::UNAUTHORIZED, "Invalid API Key provided");
    }
    match fake.session(&id) {
        Some(session) => Json(session).into_response(),
        None => stripe_error(
            StatusCode::NOT_FOUND,
            &format!("No such checkout.session: '{id}'"),
        ),
    }
}

async fn list_sessions(
    State(fake): State<FakeStripe>,
    headers: HeaderMap,
    RawQuery(query): RawQuery,
) -> Response {
    let query = query.unwrap_or_default();
    fake.record("GET", "/v1/checkout/sessions", &query, &headers);
    if !authorized(&headers) {
        return stripe_error(StatusCode::UNAUTHORIZED, "Invalid API Key provided");
    }
    let query = params(&query);
    let intent = param(&query, "payment_intent").map(str::to_owned);
    let found = fake
        .inner()
        .sessions
        .iter()
        .filter(|s| {
            intent
                .as_ref()
                .is_none_or(|pi| s["payment_intent"] == pi.as_str())
        })
        .cloned()
        .collect();
    Json(list("/v1/checkout/sessions", found)).into_response()
}

async fn retrieve_charge(
    State(fake): State<FakeStripe>,
    headers: HeaderMap,
    Path(id): Path<String>,
) -> Response {
    fake.record("GET", &format!("/v1/charges/{id}"), "", &headers);
    if !authorized(&headers) {
        return stripe_error(StatusCode::UNAUTHORIZED, "Invalid API Key provided");
    }
    let found = fake.inner().charges.iter().find(|c| c["id"] == id).cloned();
    match found {
        Some(charge) => Json(charge).into_response(),
        None => stripe_error(StatusCode::NOT_FOUND, &format!("No such charge: '{id}'")),
    }
}

async fn list_subscriptions(
    State(fake): State<FakeStripe>,
    headers: HeaderMap,
    RawQuery(query): RawQuery,
) -> Response {
    let query = query.unwrap_or_default();
    fake.record("GET", "/v1/subscriptions", &query, &headers);
    if !authorized(&headers) {
        return stripe_error(StatusCode::UNAUTHORIZED, "Invalid API Key provided");
    }
    let query = params(&query);
    let customer = param(&query, "customer").map(str::to_owned);
    let all = query.iter().any(|(k, v)| k == "status" && v == "all");
    let found = fake
        .inner()
        .subscriptions
        .iter()
        .filter(|s| customer.as_deref().is_none_or(|c| s["customer"] == c))
        // Without `status=all`, Stripe leaves out canceled subscriptions.
        .filter(|s| all || s["status"] != "canceled")
        .cloned()
        .collect();
    Json(list("/v1/subscriptions", found)).into_response()
}

async fn list_invoices(
    State(fake): State<FakeStripe>,
    headers: HeaderMap,
    RawQuery(query): RawQuery,
) -> Response {
    let query = query.unwrap_or_default();
    fake.record("GET", "/v1/invoices", &query, &headers);
    if !authorized(&headers) {
        return stripe_error(StatusCode::UNAUTHORIZED, "Invalid API Key provided");
    }
    if fake.inner().invoices_failing {
        return stripe_error(
            StatusCode::INTERNAL_SERVER_ERROR,
            "An unknown error occurred",
        );
    }
    let query = params(&query);
    let customer = param(&query, "customer").map(str::to_owned);
    let limit = param(&query, "limit")
        .and_then(|l| l.parse::<usize>().ok())
        .unwrap_or(10);
    // Stripe lists newest first.
    let found = fake
        .inner()
        .invoices
        .iter()
        .rev()
        .filter(|i| customer.as_deref().is_none_or(|c| i["customer"] == c))
        .take(limit)
        .cloned()
        .collect();
    Json(list("/v1/invoices", found)).into_response()
}

async fn create_portal_session(
    State(fake): State<FakeStripe>,
    headers: HeaderMap,
    body: String,
) -> Response {
    fake.record("POST", "/v1/billing_portal/sessions", &body, &headers);
    if !authorized(&headers) {
        return stripe_error(StatusCode::UNAUTHORIZED, "Invalid API Key provided");
    }
    let form = params(&body);
    let value = |name: &str| param(&form, name).map(str::to_owned);
    let mut session = fake.resource("billing_portal.session");
    let id = fake.inner().id("bps");
    session["id"] = json!(id);
    session["customer"] = json!(value("customer"));
    session["return_url"] = json!(value("return_url"));
    session["url"] = json!(format!("https://billing.stripe.test/p/session/{id}"));
    Json(session).into_response()
}
