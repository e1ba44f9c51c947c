//! The tutor catalog of the demo app: who can be booked, and which ones need `pro_tutors`.

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Tutor {
    pub id: &'static str,
    pub name: &'static str,
    pub speciality: &'static str,
    /// Needs the `pro_tutors` feature.
    pub pro: bool,
}

pub const TUTORS: [Tutor; 4] = [
    Tutor {
        id: "grammar",
        name: "Grace",
        speciality: "Grammar and punctuation, sentence by sentence.",
        pro: false,
    },
    Tutor {
        id: "structure",
        name: "Sam",
        speciality: "Essay structure: outlines, paragraphs, transitions.",
        pro: false,
    },
    Tutor {
        id: "fiction",
        name: "Fiona",
        speciality: "Fiction: voice, dialogue and pacing.",
        pro: true,
    },
    Tutor {
        id: "business",
        name: "Bertrand",
        speciality: "Business writing: proposals, reports, hard emails.",
        pro: true,
    },
];

pub fn tutor(id: &str) -> Option<&'static Tutor> {
    TUTORS.iter().find(|t| t.id == id)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tutors_are_found_by_id_and_some_need_pro() {
        assert_eq!(tutor("fiction").map(|t| t.pro), Some(true));
        assert_eq!(tutor("grammar").map(|t| t.pro), Some(false));
        assert!(tutor("nobody").is_none());
    }
}
