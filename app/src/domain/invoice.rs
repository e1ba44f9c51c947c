//! A customer's invoices as /account lists them: what was billed, when, whether it is paid,
//! and where to see it at the provider. Pure: the provider's adapters fill it in.

use serde::{Deserialize, Serialize};

/// Where an invoice stands (Stripe's five states; the test-mode provider uses `Paid`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum InvoiceStatus {
    Draft,
    Open,
    Paid,
    Uncollectible,
    Void,
}

impl InvoiceStatus {
    /// What the account page says.
    pub fn words(self) -> &'static str {
        match self {
            InvoiceStatus::Draft => "Draft",
            InvoiceStatus::Open => "Due",
            InvoiceStatus::Paid => "Paid",
            InvoiceStatus::Uncollectible => "Unpaid",
            InvoiceStatus::Void => "Void",
        }
    }
}

/// One invoice.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Invoice {
    pub id: String,
    /// The number printed on it ("F3A1B2-0001"); a draft has none yet.
    pub number: Option<String>,
    /// When it was made (Unix seconds).
    pub created: i64,
    /// The total in the currency's smallest unit; negative for a credit.
    pub total: i64,
    /// ISO 4217, lower case as providers send it ("usd").
    pub currency: String,
    pub status: InvoiceStatus,
    /// The provider's page for it (view, pay, download), when there is one.
    pub url: Option<String>,
}

impl Invoice {
    /// "$19.00" for dollars, "19.00 EUR" for other currencies, "1900 JPY" for a currency
    /// without cents, "-$5.00" for a credit.
    pub fn amount_words(&self) -> String {
        let sign = if self.total < 0 { "-" } else { "" };
        let units = self.total.unsigned_abs();
        let amount = if ZERO_DECIMAL.contains(&self.currency.to_ascii_lowercase().as_str()) {
            units.to_string()
        } else {
            format!("{}.{:02}", units / 100, units % 100)
        };
        if self.currency.eq_ignore_ascii_case("usd") {
            format!("{sign}${amount}")
        } else {
            format!("{sign}{amount} {}", self.currency.to_ascii_uppercase())
        }
    }

    /// The provider's page for it, when it is one a browser may be sent to (https only: a
    /// provider's answer is still not ours to trust with a `javascript:` link).
    pub fn safe_url(&self) -> Option<&str> {
        self.url
            .as_deref()
            .filter(|url| url.starts_with("https://"))
    }

    /// "INV-0001", or the provider's id when it has no number yet.
    pub fn label(&self) -> &str {
        self.number.as_deref().unwrap_or(&self.id)
    }
}

/// Currencies whose amounts have no minor unit (Stripe's list): 1900 is ¥1900, not ¥19.00.
const ZERO_DECIMAL: [&str; 16] = [
    "bif", "clp", "djf", "gnf", "jpy", "kmf", "krw", "mga", "pyg", "rwf", "ugx", "vnd", "vuv",
    "xaf", "xof", "xpf",
];

/// How many invoices the account page lists (the newest; the portal has the rest).
pub const LISTED: usize = 12;

#[cfg(test)]
mod tests {
    use super::*;

    fn invoice(total: i64, currency: &str) -> Invoice {
        Invoice {
            id: "in_1".into(),
            number: None,
            created: 0,
            total,
            currency: currency.into(),
            status: InvoiceStatus::Paid,
            url: None,
        }
    }

    #[test]
    fn amounts_read_as_a_receipt_prints_them() {
        assert_eq!(invoice(1_900, "usd").amount_words(), "$19.00");
        assert_eq!(invoice(5, "usd").amount_words(), "$0.05");
        assert_eq!(invoice(-500, "usd").amount_words(), "-$5.00");
        assert_eq!(invoice(4_900, "eur").amount_words(), "49.00 EUR");
        assert_eq!(invoice(1_900, "jpy").amount_words(), "1900 JPY");
    }

    #[test]
    fn only_https_pages_become_links() {
        let mut paid = invoice(1_900, "usd");
        paid.url = Some("https://invoice.stripe.com/i/1".into());
        assert_eq!(paid.safe_url(), Some("https://invoice.stripe.com/i/1"));
        paid.url = Some("javascript:alert(1)".into());
        assert_eq!(paid.safe_url(), None);
    }

    #[test]
    fn an_invoice_without_a_number_is_named_by_its_id() {
        let mut draft = invoice(0, "usd");
        assert_eq!(draft.label(), "in_1");
        draft.number = Some("INV-0001".into());
        assert_eq!(draft.label(), "INV-0001");
        assert_eq!(InvoiceStatus::Open.words(), "Due");
    }
}
