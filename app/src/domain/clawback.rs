//! How many of a pack's credits a refund or a dispute takes back.
//!
//! A refund takes back the refunded share of the credits, rounded up (refunding $4.99 of a
//! $5.00 pack of 100 takes back all 100: a cent never keeps a credit). A dispute takes back
//! all of them at once: the money is held by the bank from the day it is opened, and a won
//! dispute is rare enough to be re-granted by hand (`tollgate credits grant`). The provider's
//! amounts are cumulative, so the answer is a target that only grows: what was taken before is
//! subtracted by the caller, and a repeated or out-of-order event takes nothing twice.

/// A charge's money as the provider reports it now (smallest currency unit).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ChargeMoney {
    pub amount: i64,
    pub refunded: i64,
    pub disputed: bool,
}

/// The credits of a `credits`-credit purchase that should have been taken back in total.
pub fn credits_to_take_back(credits: u64, charge: ChargeMoney) -> u64 {
    if charge.disputed {
        return credits;
    }
    let (amount, refunded) = (charge.amount.max(0) as u128, charge.refunded.max(0) as u128);
    if refunded == 0 {
        return 0;
    }
    if refunded >= amount {
        return credits;
    }
    // Rounded up, in u128 so no product of realistic amounts overflows.
    let share = (u128::from(credits) * refunded).div_ceil(amount);
    u64::try_from(share).unwrap_or(credits).min(credits)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn money(amount: i64, refunded: i64, disputed: bool) -> ChargeMoney {
        ChargeMoney {
            amount,
            refunded,
            disputed,
        }
    }

    #[test]
    fn nothing_refunded_takes_nothing() {
        assert_eq!(credits_to_take_back(100, money(500, 0, false)), 0);
    }

    #[test]
    fn a_full_refund_or_a_dispute_takes_everything() {
        assert_eq!(credits_to_take_back(100, money(500, 500, false)), 100);
        assert_eq!(credits_to_take_back(100, money(500, 0, true)), 100);
        assert_eq!(credits_to_take_back(100, money(500, 200, true)), 100);
    }

    #[test]
    fn a_partial_refund_takes_its_share_rounded_up() {
        assert_eq!(credits_to_take_back(100, money(500, 250, false)), 50);
        assert_eq!(credits_to_take_back(100, money(500, 1, false)), 1);
        assert_eq!(credits_to_take_back(100, money(500, 499, false)), 100);
        assert_eq!(credits_to_take_back(3, money(1000, 100, false)), 1);
    }

    #[test]
    fn odd_amounts_never_overflow_or_exceed_the_purchase() {
        assert_eq!(credits_to_take_back(u64::MAX, money(i64::MAX, 1, false)), 3);
        assert_eq!(credits_to_take_back(100, money(0, 5, false)), 100);
        assert_eq!(credits_to_take_back(100, money(500, -5, false)), 0);
        assert_eq!(credits_to_take_back(100, money(500, 900, false)), 100);
    }
}
