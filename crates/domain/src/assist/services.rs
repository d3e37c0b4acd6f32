//! Kinds of support service (Dir 2011/36 Arts 11(5), 11(7), 12(2), 14(1), 15, 16;
//! Convention Art 12) and the groups of people a provider takes.

use crate::coded_enum;

coded_enum! {
    /// A kind of support service a plan provides and a provider offers.
    pub enum ServiceType {
        /// Appropriate and safe accommodation (Art 11(5); Convention Art 12(1)(a)).
        SafeAccommodation => "safe_accommodation",
        /// Material assistance: subsistence (Art 11(5)).
        MaterialAssistance => "material_assistance",
        /// Necessary medical treatment (Art 11(5); Convention Art 12(1)(b)).
        MedicalTreatment => "medical_treatment",
        /// Psychological assistance (Art 11(5); Convention Art 12(1)(a)).
        PsychologicalAssistance => "psychological_assistance",
        /// Counselling and information (Art 11(5); Convention Art 12(1)(d)).
        CounsellingInformation => "counselling_information",
        /// Translation and interpretation (Art 11(5); Convention Art 12(1)(c)).
        Interpretation => "translation_interpretation",
        /// Legal counselling (Art 12(2)), free of charge where the victim lacks means.
        LegalCounselling => "legal_counselling",
        /// Legal representation, including to claim compensation (Art 12(2)), free of charge
        /// where the victim lacks means.
        LegalRepresentation => "legal_representation",
        /// Access to education for children (Art 14(1); Convention Art 12(1)(f)).
        Education => "education",
        /// Witness protection programmes (Art 12(3)).
        WitnessProtection => "witness_protection",
        /// Support for the family of a child victim (Art 14(3)).
        ChildFamilySupport => "child_family_support",
    }
}

impl ServiceType {
    /// The article that provides for the service.
    pub fn article(self) -> &'static str {
        match self {
            Self::SafeAccommodation
            | Self::MaterialAssistance
            | Self::MedicalTreatment
            | Self::PsychologicalAssistance
            | Self::CounsellingInformation
            | Self::Interpretation => "Dir 2011/36 Art 11(5); CETS 197 Art 12(1)",
            Self::LegalCounselling | Self::LegalRepresentation => "Dir 2011/36 Art 12(2)",
            Self::Education => "Dir 2011/36 Art 14(1); CETS 197 Art 12(1)(f)",
            Self::WitnessProtection => "Dir 2011/36 Art 12(3)",
            Self::ChildFamilySupport => "Dir 2011/36 Art 14(3)",
        }
    }

    /// What the capacity of the service is counted in: beds for accommodation, places otherwise.
    pub fn capacity_unit(self) -> CapacityUnit {
        match self {
            Self::SafeAccommodation => CapacityUnit::Bed,
            _ => CapacityUnit::Place,
        }
    }

    /// Legal counselling and representation are free of charge where the victim lacks means.
    pub fn free_where_victim_lacks_means(self) -> bool {
        matches!(self, Self::LegalCounselling | Self::LegalRepresentation)
    }

    /// Only for children or their families.
    pub fn for_children(self) -> bool {
        matches!(self, Self::Education | Self::ChildFamilySupport)
    }
}

coded_enum! {
    /// The unit a service's capacity is counted in.
    pub enum CapacityUnit {
        Bed => "bed",
        Place => "place",
    }
}

coded_enum! {
    /// A group of people a provider takes.
    pub enum Audience {
        Women => "women",
        Men => "men",
        Children => "children",
        /// Parents with their children.
        Families => "families",
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::Coded;

    /// CETS 197 Art 12(1): the minimum assistance (accommodation, medical treatment, psychological
    /// help, interpretation, counselling and information, education for children) are kinds of
    /// service a plan provides, each citing its article; education is for children.
    #[test]
    fn art_12_1_cets_the_minimum_assistance_is_among_the_service_kinds() {
        for code in [
            "safe_accommodation",
            "material_assistance",
            "medical_treatment",
            "psychological_assistance",
            "counselling_information",
            "translation_interpretation",
        ] {
            let s = ServiceType::parse_code("service", code).unwrap();
            assert!(s.article().contains("CETS 197 Art 12(1)"), "{code}: {}", s.article());
            assert!(!s.for_children(), "{code}");
        }
        let education = ServiceType::parse_code("service", "education").unwrap();
        assert!(education.article().contains("CETS 197 Art 12(1)(f)"));
        assert!(education.for_children());
        assert_eq!(ServiceType::SafeAccommodation.capacity_unit(), CapacityUnit::Bed);
    }
}
