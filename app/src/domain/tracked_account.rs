//! Tracked accounts (the demo app's count-limited resource): what a valid one looks like.

/// A validated name and account number; only `parse` builds one.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewTrackedAccount {
    pub name: String,
    pub account_number: String,
}

/// Which field is wrong, with a sentence for the form.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum TrackedAccountError {
    Name(&'static str),
    AccountNumber(&'static str),
}

impl TrackedAccountError {
    pub fn message(&self) -> &'static str {
        match self {
            TrackedAccountError::Name(m) | TrackedAccountError::AccountNumber(m) => m,
        }
    }
}

/// The longest name a tracked account may have, in characters.
pub const NAME_MAX_CHARS: usize = 80;
pub const NAME_ERROR: &str = "Give the account a name of 1 to 80 characters.";
pub const NUMBER_ERROR: &str =
    "Account numbers are 4 to 34 letters and digits (spaces and dashes are fine), like GB29 NWBK 6016 1331 9268 19.";

impl NewTrackedAccount {
    /// Names are trimmed; account numbers lose spaces and dashes and are upper-cased, so the
    /// same number typed two ways is stored one way.
    pub fn parse(name: &str, account_number: &str) -> Result<Self, TrackedAccountError> {
        let name = name.trim();
        if name.is_empty()
            || name.chars().count() > NAME_MAX_CHARS
            || name.chars().any(char::is_control)
        {
            return Err(TrackedAccountError::Name(NAME_ERROR));
        }
        let number: String = account_number
            .chars()
            .filter(|c| !matches!(c, ' ' | '-'))
            .map(|c| c.to_ascii_uppercase())
            .collect();
        if !(4..=34).contains(&number.len()) || !number.chars().all(|c| c.is_ascii_alphanumeric()) {
            return Err(TrackedAccountError::AccountNumber(NUMBER_ERROR));
        }
        Ok(Self {
            name: name.to_owned(),
            account_number: number,
        })
    }

    /// `•••• 6819`: how lists show a number.
    pub fn masked(number: &str) -> String {
        let tail: String = number
            .chars()
            .rev()
            .take(4)
            .collect::<Vec<_>>()
            .into_iter()
            .rev()
            .collect();
        format!("•••• {tail}")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn valid_accounts_are_normalised() {
        let a = NewTrackedAccount::parse("  Savings ", "gb29 nwbk-6016 1331 9268 19").unwrap();
        assert_eq!(a.name, "Savings");
        assert_eq!(a.account_number, "GB29NWBK60161331926819");
        assert_eq!(NewTrackedAccount::masked(&a.account_number), "•••• 6819");
    }

    #[test]
    fn bad_names_and_numbers_say_which_field() {
        let name = |e| matches!(e, TrackedAccountError::Name(_));
        assert!(name(NewTrackedAccount::parse(" ", "12345").unwrap_err()));
        assert!(name(
            NewTrackedAccount::parse(&"n".repeat(81), "12345").unwrap_err()
        ));
        for bad in ["123", "12 34 5!", &"9".repeat(35), ""] {
            let err = NewTrackedAccount::parse("Main", bad).unwrap_err();
            assert!(
                matches!(err, TrackedAccountError::AccountNumber(_)),
                "{bad:?}"
            );
            assert!(err.message().contains("4 to 34"));
        }
    }
}
