//! The features this product's own code relies on by name (the AI-writing demo: generations,
//! tutors, tracked accounts, the max_tokens setting). They are resolved from the catalog once,
//! at start-up, so a catalog that lacks one — or has it as the wrong kind — stops the server
//! with one line instead of failing requests later. A fork renames or replaces them here.

use super::catalog::{Catalog, FeatureId, FeatureKind};

/// The product's features, each checked to exist in the catalog with the kind the code needs.
/// Sent to the browser with the usage summary, so pages find their features by role too.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct Product {
    /// Metered: what `POST /api/generate` spends.
    pub generations: FeatureId,
    /// Metered: what starting a tutor session spends.
    pub tutor_sessions: FeatureId,
    /// Count: live rows on `/accounts`.
    pub tracked_accounts: FeatureId,
    /// Boolean: Pro tutors.
    pub pro_tutors: FeatureId,
    /// Number: the plan's cap on a generation's length.
    pub max_tokens: FeatureId,
}

/// The kind of feature the code expects.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Needs {
    Metered,
    Count,
    Boolean,
    Number,
}

impl Needs {
    fn fits(self, kind: FeatureKind) -> bool {
        matches!(
            (self, kind),
            (Needs::Metered, FeatureKind::Metered { .. })
                | (Needs::Count, FeatureKind::Count)
                | (Needs::Boolean, FeatureKind::Boolean)
                | (Needs::Number, FeatureKind::Number)
        )
    }

    fn words(self) -> &'static str {
        match self {
            Needs::Metered => "a metered",
            Needs::Count => "a count",
            Needs::Boolean => "a boolean",
            Needs::Number => "a number",
        }
    }
}

impl Product {
    /// The product's features in `catalog`; the error is one sentence naming the first that is
    /// missing or of the wrong kind.
    pub fn resolve(catalog: &Catalog) -> Result<Self, String> {
        let need = |raw: &str, needs: Needs| -> Result<FeatureId, String> {
            let id = FeatureId::parse(raw).map_err(|e| e.to_string())?;
            match catalog.feature(&id) {
                Some(f) if needs.fits(f.kind) => Ok(id),
                Some(_) => Err(format!(
                    "the app needs `{raw}` to be {} feature, but the catalog defines it as another kind",
                    needs.words()
                )),
                None => Err(format!(
                    "the app needs {} feature `{raw}`, but the catalog does not define it",
                    needs.words()
                )),
            }
        };
        Ok(Product {
            generations: need("generations", Needs::Metered)?,
            tutor_sessions: need("tutor_sessions", Needs::Metered)?,
            tracked_accounts: need("tracked_accounts", Needs::Count)?,
            pro_tutors: need("pro_tutors", Needs::Boolean)?,
            max_tokens: need("max_tokens", Needs::Number)?,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::fixture::catalog;

    #[test]
    fn the_shipped_features_resolve() {
        let product = Product::resolve(&catalog()).unwrap();
        assert_eq!(product.generations.as_str(), "generations");
        assert_eq!(product.max_tokens.as_str(), "max_tokens");
    }

    #[test]
    fn a_missing_or_mistyped_feature_is_named_in_one_sentence() {
        let mut without = catalog();
        without.features.retain(|f| f.id.as_str() != "generations");
        let err = Product::resolve(&without).unwrap_err();
        assert!(err.contains("metered feature `generations`"), "{err}");
        let mut mistyped = catalog();
        for f in &mut mistyped.features {
            if f.id.as_str() == "pro_tutors" {
                f.kind = FeatureKind::Number;
            }
        }
        let err = Product::resolve(&mistyped).unwrap_err();
        assert!(err.contains("`pro_tutors` to be a boolean"), "{err}");
    }
}
