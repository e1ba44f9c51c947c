//! Amounts of money in the smallest currency unit, and how people read them.

use serde::{Deserialize, Serialize};
use std::fmt;

/// An amount in cents of the catalog's currency (USD by default).
///
/// Integer cents, never floats, so that yearly prices and discounts add up to the cent.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize, Default)]
pub struct Money {
    pub cents: u64,
}

impl Money {
    pub const fn from_cents(cents: u64) -> Self {
        Self { cents }
    }

    /// The amount per month when this is a yearly price, rounded to the nearest cent.
    pub fn per_month_of_year(self) -> Money {
        Money::from_cents((self.cents + 6) / 12)
    }

    /// Whole-percent saving of `self` against `reference` (e.g. a yearly price against
    /// twelve monthly payments). `None` when there is nothing saved.
    pub fn saving_percent_against(self, reference: Money) -> Option<u64> {
        if reference.cents == 0 || self.cents >= reference.cents {
            return None;
        }
        let saved = reference.cents - self.cents;
        Some((saved * 100 + reference.cents / 2) / reference.cents)
    }
}

/// "$19" for whole dollars, "$15.20" otherwise: prices read the way pricing pages print them.
impl Money {
    /// "$19.00": the amount with its cents, as a payment page states what will be charged.
    pub fn exact(self) -> String {
        format!("${}.{:02}", self.cents / 100, self.cents % 100)
    }
}

impl fmt::Display for Money {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let dollars = self.cents / 100;
        let cents = self.cents % 100;
        if cents == 0 {
            write!(f, "${dollars}")
        } else {
            write!(f, "${dollars}.{cents:02}")
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn exact_amounts_always_show_cents() {
        assert_eq!(Money::from_cents(1900).exact(), "$19.00");
        assert_eq!(Money::from_cents(18240).exact(), "$182.40");
        assert_eq!(Money::from_cents(5).exact(), "$0.05");
    }

    #[test]
    fn whole_dollars_print_without_cents() {
        assert_eq!(Money::from_cents(1900).to_string(), "$19");
        assert_eq!(Money::from_cents(0).to_string(), "$0");
    }

    #[test]
    fn fractional_amounts_print_two_decimals() {
        assert_eq!(Money::from_cents(1520).to_string(), "$15.20");
        assert_eq!(Money::from_cents(1905).to_string(), "$19.05");
    }

    #[test]
    fn a_yearly_price_reads_as_its_monthly_share() {
        assert_eq!(
            Money::from_cents(18240).per_month_of_year(),
            Money::from_cents(1520)
        );
        assert_eq!(
            Money::from_cents(47040).per_month_of_year(),
            Money::from_cents(3920)
        );
    }

    #[test]
    fn saving_is_rounded_to_whole_percent() {
        let yearly = Money::from_cents(18240);
        assert_eq!(
            yearly.saving_percent_against(Money::from_cents(1900 * 12)),
            Some(20)
        );
        assert_eq!(
            Money::from_cents(100).saving_percent_against(Money::from_cents(300)),
            Some(67)
        );
    }

    #[test]
    fn no_saving_when_not_cheaper_or_free() {
        assert_eq!(
            Money::from_cents(0).saving_percent_against(Money::from_cents(0)),
            None
        );
        assert_eq!(
            Money::from_cents(500).saving_percent_against(Money::from_cents(500)),
            None
        );
        assert_eq!(
            Money::from_cents(600).saving_percent_against(Money::from_cents(500)),
            None
        );
    }
}
