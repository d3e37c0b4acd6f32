//! Synthetic identification cases for the demonstration: made-up people in Latvia, Estonia and
//! Lithuania, each with the history its registration goes through (draft, referral, status
//! decisions, residence and criminal-matter records), dated relative to "today". Nothing here
//! touches the database: [`plan`] only decides what happens and when; `demo` then makes it happen
//! through the use cases. Every name, number and story is invented.

use anyhow::{Context, Result};
use haven_domain::case::{CalendarDate, Sex};
use haven_domain::ident::age::{AgeAssessment, AgeAssessmentMethod, AgeRange};
use haven_domain::ident::forms::{
    Act, EventKind, FormId, Industry, Means, MethodOfControl, OnlinePlatform, RecruitmentMethod,
    RelationshipToTrafficker, Vulnerability,
};
use haven_domain::ident::profile::{ClockInputs, Clocks, ProfileSet};
use haven_domain::ident::record::{
    Consent, DocumentKind, Gender, Guardian, IdentityDocument, IndicatorAnswers, PersonDetails, Registration,
    TraffickingContext, TraffickingEvent,
};
use haven_domain::ident::status::DecisionKind;
use haven_domain::org::CountryCode;
use haven_domain::text::Narrative;
use rand::Rng;
use rand::rngs::StdRng;
use rand::seq::SliceRandom;
use std::collections::BTreeSet;

/// Anonymous notifications in all.
pub const NOTIFICATIONS: usize = 40;
/// How far back referrals go, in days.
pub const HISTORY_DAYS: i64 = 150;

/// The countries with cases.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Country {
    Lv,
    Ee,
    Lt,
}

impl Country {
    pub fn code(self) -> &'static str {
        match self {
            Country::Lv => "LV",
            Country::Ee => "EE",
            Country::Lt => "LT",
        }
    }

    fn origin(self) -> Origin {
        match self {
            Country::Lv => Origin::Latvian,
            Country::Ee => Origin::Estonian,
            Country::Lt => Origin::Lithuanian,
        }
    }

    /// Who comes to be identified here, by weight.
    fn origins(self) -> &'static [(Origin, u32)] {
        use Origin::*;
        match self {
            Country::Lv => &[
                (Latvian, 40),
                (Ukrainian, 12),
                (Russian, 4),
                (Belarusian, 4),
                (Lithuanian, 6),
                (Estonian, 2),
                (Romanian, 8),
                (Moldovan, 4),
                (Vietnamese, 8),
                (Nigerian, 8),
            ],
            Country::Ee => &[
                (Estonian, 38),
                (Latvian, 6),
                (Lithuanian, 4),
                (Ukrainian, 15),
                (Russian, 8),
                (Belarusian, 4),
                (Romanian, 8),
                (Moldovan, 5),
                (Vietnamese, 8),
                (Nigerian, 9),
            ],
            Country::Lt => &[
                (Lithuanian, 40),
                (Latvian, 6),
                (Estonian, 3),
                (Ukrainian, 14),
                (Belarusian, 8),
                (Russian, 4),
                (Romanian, 8),
                (Moldovan, 4),
                (Vietnamese, 9),
                (Nigerian, 9),
            ],
        }
    }

    /// Who appoints a guardian for a child.
    fn guardian_body(self) -> &'static str {
        match self {
            Country::Lv => "Orphan's and Custody Court",
            Country::Ee => "Local government child protection service",
            Country::Lt => "State Child Rights Protection and Adoption Service",
        }
    }

    fn age_assessor(self) -> &'static str {
        match self {
            Country::Lv => "State Inspectorate for Protection of Children's Rights",
            Country::Ee => "Social Insurance Board – Child Protection",
            Country::Lt => "State Child Rights Protection and Adoption Service",
        }
    }

    /// Authorities dealing with criminal matters.
    fn courts(self) -> &'static [&'static str] {
        match self {
            Country::Lv => {
                &["State Police – Rīga Regional Administration", "Rīga City Court", "Prosecutor's Office of Rīga City"]
            }
            Country::Ee => {
                &["Harju County Court", "Northern District Prosecutor's Office", "Police and Border Guard Board"]
            }
            Country::Lt => &["Vilnius Regional Prosecutor's Office", "Kaunas District Court", "Vilnius County Police"],
        }
    }
}

/// A registering organisation and the person who acts for it.
pub struct Registrar {
    pub country: Country,
    pub organisation: &'static str,
    pub person: &'static str,
    /// Holds the proceedings compartment (adds criminal matters).
    pub investigator: bool,
    /// Share of its country's registrations.
    pub weight: u32,
}

/// What happens to a case, and when (Unix seconds).
pub struct Step {
    pub at: i64,
    pub action: Action,
}

pub enum Action {
    /// The registrar saves the registration as a draft.
    Create,
    /// The registrar refers it.
    Submit,
    /// A guardian was appointed: the registrar updates the registration.
    AppointGuardian(Guardian),
    /// The competent authority records a decision.
    Decide {
        kind: DecisionKind,
        on: CalendarDate,
        reasons: String,
        corrects: Option<u32>,
    },
    PermitApplication {
        applied_on: CalendarDate,
        ground: &'static str,
    },
    /// On the case's permit application.
    PermitDecision {
        decided_on: CalendarDate,
        valid_until: Option<CalendarDate>,
    },
    ProtectionApplication {
        applied_on: CalendarDate,
    },
    /// The registrar (an investigator) records a criminal matter against the person.
    CriminalMatter {
        offence: &'static str,
        authority: &'static str,
        reference: String,
        recorded_on: CalendarDate,
        compelled: bool,
    },
}

impl Action {
    /// What the step is, for error messages (nothing about the person).
    pub fn label(&self) -> &'static str {
        match self {
            Action::Create => "saving the draft",
            Action::Submit => "referring",
            Action::AppointGuardian(_) => "recording the guardian",
            Action::Decide { .. } => "recording a decision",
            Action::PermitApplication { .. } => "recording a permit application",
            Action::PermitDecision { .. } => "recording a permit decision",
            Action::ProtectionApplication { .. } => "recording a protection application",
            Action::CriminalMatter { .. } => "recording a criminal matter",
        }
    }
}

/// A step on its date, before it is given a time.
type Dated = (CalendarDate, Action);

/// The NRM status a case ends in (or `draft`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Outcome {
    Draft,
    AwaitingRgUpcoming,
    AwaitingRgDueSoon,
    AwaitingRgOverdue,
    PresumedInReflection,
    PresumedPastReflection,
    NegativeFirstDecision,
    RgReconsiderationPending,
    RgReconsiderationOverturned,
    RgReconsiderationUpheld,
    Identified,
    NotIdentified,
    CgReconsiderationPending,
    WithdrawnBeforeRg,
    WithdrawnAfterRg,
    CorrectedRg,
    CorrectedCg,
}

impl Outcome {
    /// How many cases end in each (300 in all).
    const MIX: &'static [(Outcome, usize)] = &[
        (Outcome::Draft, 30),
        (Outcome::AwaitingRgUpcoming, 12),
        (Outcome::AwaitingRgDueSoon, 14),
        (Outcome::AwaitingRgOverdue, 22),
        (Outcome::PresumedInReflection, 40),
        (Outcome::PresumedPastReflection, 37),
        (Outcome::NegativeFirstDecision, 32),
        (Outcome::RgReconsiderationPending, 2),
        (Outcome::RgReconsiderationOverturned, 2),
        (Outcome::RgReconsiderationUpheld, 1),
        (Outcome::Identified, 75),
        (Outcome::NotIdentified, 18),
        (Outcome::CgReconsiderationPending, 1),
        (Outcome::WithdrawnBeforeRg, 6),
        (Outcome::WithdrawnAfterRg, 6),
        (Outcome::CorrectedRg, 1),
        (Outcome::CorrectedCg, 1),
    ];

    /// The status code the case ends in.
    pub fn status(self) -> &'static str {
        use Outcome::*;
        match self {
            Draft => "draft",
            AwaitingRgUpcoming | AwaitingRgDueSoon | AwaitingRgOverdue => "referred",
            PresumedInReflection | PresumedPastReflection | RgReconsiderationOverturned | CorrectedRg => {
                "presumed_victim"
            }
            NegativeFirstDecision | RgReconsiderationUpheld => "first_decision_negative",
            RgReconsiderationPending => "first_decision_reconsideration",
            Identified | CorrectedCg => "identified_victim",
            NotIdentified => "not_identified",
            CgReconsiderationPending => "final_decision_reconsideration",
            WithdrawnBeforeRg | WithdrawnAfterRg => "withdrawn",
        }
    }

    /// The status code the case ends in under a procedure with one decision or two: with one, a
    /// referred person awaits the only decision and a negative decision is the final one.
    pub fn status_under(self, two_stage: bool) -> &'static str {
        match (self.status(), two_stage) {
            ("presumed_victim", false) => "referred",
            ("first_decision_negative", false) => "not_identified",
            ("first_decision_reconsideration", false) => "final_decision_reconsideration",
            (status, _) => status,
        }
    }

    fn is_victim(self) -> bool {
        matches!(self.status(), "presumed_victim" | "identified_victim")
    }
}

/// One registration and its history.
pub struct CasePlan {
    /// Index into the registrars given to [`plan`].
    pub registrar: usize,
    pub country: Country,
    pub outcome: Outcome,
    pub registration: Registration,
    /// In time order.
    pub steps: Vec<Step>,
}

/// An anonymous notification: an adult who did not consent to referral.
pub struct NotificationPlan {
    pub registrar: usize,
    pub at: i64,
    pub notified_on: CalendarDate,
    pub sex: &'static str,
    pub age_group: &'static str,
    pub citizenship: String,
    pub forms: Vec<String>,
}

/// Everything the demonstration loads.
pub struct Plan {
    pub cases: Vec<CasePlan>,
    pub notifications: Vec<NotificationPlan>,
}

// ---------------------------------------------------------------------------------------------
// Names and places
// ---------------------------------------------------------------------------------------------

/// Where a person comes from: citizenship, names, languages, home towns.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Origin {
    Latvian,
    Estonian,
    Lithuanian,
    Ukrainian,
    Russian,
    Belarusian,
    Romanian,
    Moldovan,
    Vietnamese,
    Nigerian,
}

/// Names of one origin, as comma-separated lists. A family name is written `male/female` when
/// the forms differ, and Lithuanian ones `male/unmarried female/married female`. Names in another
/// script come with their Latin spelling, in the same order.
struct NameSet {
    female: &'static str,
    male: &'static str,
    family: &'static str,
    latin: Option<Latin>,
}

struct Latin {
    female: &'static str,
    male: &'static str,
    family: &'static str,
}

const LATVIAN: NameSet = NameSet {
    female: "Līga, Kristīne, Agnese, Inese, Dace, Sanita, Elīna, Zane, Evija, Santa, Madara, Linda, Alīna, Jeļena, \
             Viktorija",
    male: "Mārtiņš, Edgars, Kristaps, Artūrs, Raivis, Roberts, Gatis, Normunds, Dāvis, Aleksandrs, Sergejs, Kaspars",
    family: "Jansons/Jansone, Zariņš/Zariņa, Kļaviņš/Kļaviņa, Eglītis/Eglīte, Pētersons/Pētersone, Vanags/Vanaga, \
             Lācis/Lāce, Siliņš/Siliņa, Balodis/Balode, Strazdiņš/Strazdiņa, Grīnbergs/Grīnberga, \
             Zvirbulis/Zvirbule, Kārkliņš/Kārkliņa, Ivanovs/Ivanova, Jakovļevs/Jakovļeva, Vasiļjevs/Vasiļjeva, \
             Krastiņš/Krastiņa, Putniņš/Putniņa",
    latin: None,
};

const ESTONIAN: NameSet = NameSet {
    female: "Kadri, Liis, Kristiina, Maarja, Piret, Kertu, Merilin, Anu, Kätlin, Jelena, Tatjana, Grete",
    male: "Martin, Andres, Rasmus, Siim, Kristjan, Margus, Priit, Tarmo, Janek, Aleksei, Rein",
    family: "Tamm, Saar, Sepp, Mägi, Kask, Kukk, Rebane, Ilves, Pärn, Koppel, Kuusk, Vaher, Raudsepp, Põder, Lõhmus, \
             Smirnov/Smirnova",
    latin: None,
};

const LITHUANIAN: NameSet = NameSet {
    female: "Rūta, Ieva, Eglė, Greta, Agnė, Jurgita, Indrė, Austėja, Gabija, Kristina, Viktorija, Aistė",
    male: "Mantas, Lukas, Paulius, Marius, Andrius, Vytautas, Justas, Deividas, Karolis, Tadas, Mindaugas, Žygimantas",
    family: "Kazlauskas/Kazlauskaitė/Kazlauskienė, Jankauskas/Jankauskaitė/Jankauskienė, \
             Petrauskas/Petrauskaitė/Petrauskienė, Stankevičius/Stankevičiūtė/Stankevičienė, \
             Vasiliauskas/Vasiliauskaitė/Vasiliauskienė, Žukauskas/Žukauskaitė/Žukauskienė, Butkus/Butkutė/Butkienė, \
             Paulauskas/Paulauskaitė/Paulauskienė, Urbonas/Urbonaitė/Urbonienė, \
             Kavaliauskas/Kavaliauskaitė/Kavaliauskienė, Navickas/Navickaitė/Navickienė, \
             Ramanauskas/Ramanauskaitė/Ramanauskienė, Savickas/Savickaitė/Savickienė, \
             Baranauskas/Baranauskaitė/Baranauskienė",
    latin: None,
};

const UKRAINIAN: NameSet = NameSet {
    female: "Олена, Ірина, Оксана, Наталія, Тетяна, Юлія, Світлана, Галина, Вікторія, Анастасія, Марія, Катерина",
    male: "Андрій, Дмитро, Олександр, Василь, Сергій, Микола, Богдан, Тарас, Юрій, Віталій, Іван, Максим",
    family: "Коваленко, Шевченко, Бондаренко, Мельник, Ткаченко, Кравченко, Олійник, Поліщук, Лисенко, Савченко, \
             Руденко, Марченко, Бойко, Ковальчук",
    latin: Some(Latin {
        female: "Olena, Iryna, Oksana, Nataliia, Tetiana, Yuliia, Svitlana, Halyna, Viktoriia, Anastasiia, Mariia, \
                 Kateryna",
        male: "Andrii, Dmytro, Oleksandr, Vasyl, Serhii, Mykola, Bohdan, Taras, Yurii, Vitalii, Ivan, Maksym",
        family: "Kovalenko, Shevchenko, Bondarenko, Melnyk, Tkachenko, Kravchenko, Oliinyk, Polishchuk, Lysenko, \
                 Savchenko, Rudenko, Marchenko, Boiko, Kovalchuk",
    }),
};

const RUSSIAN: NameSet = NameSet {
    female: "Анна, Мария, Екатерина, Светлана, Ольга, Татьяна, Дарья, Елена, Ксения, Алёна",
    male: "Сергей, Дмитрий, Алексей, Иван, Николай, Павел, Артём, Михаил, Евгений, Владимир",
    family: "Иванов/Иванова, Смирнов/Смирнова, Кузнецов/Кузнецова, Попов/Попова, Соколов/Соколова, Волков/Волкова, \
             Морозов/Морозова, Новиков/Новикова, Козлов/Козлова, Лебедев/Лебедева",
    latin: Some(Latin {
        female: "Anna, Mariya, Ekaterina, Svetlana, Olga, Tatyana, Darya, Elena, Kseniya, Alyona",
        male: "Sergey, Dmitriy, Aleksey, Ivan, Nikolay, Pavel, Artyom, Mikhail, Evgeniy, Vladimir",
        family: "Ivanov/Ivanova, Smirnov/Smirnova, Kuznetsov/Kuznetsova, Popov/Popova, Sokolov/Sokolova, \
                 Volkov/Volkova, Morozov/Morozova, Novikov/Novikova, Kozlov/Kozlova, Lebedev/Lebedeva",
    }),
};

const ROMANIAN: NameSet = NameSet {
    female: "Elena, Ioana, Maria, Andreea, Alexandra, Cristina, Mihaela, Gabriela, Ana-Maria, Florentina, Daniela, \
             Roxana",
    male: "Andrei, Mihai, Ion, Alexandru, Constantin, Gheorghe, Florin, Ionuț, Marian, Vasile, Cătălin, Adrian",
    family: "Popescu, Ionescu, Popa, Dumitru, Stoica, Munteanu, Rusu, Ciobanu, Lungu, Ceban, Roșca, Moldovan, \
             Constantinescu, Dinu",
    latin: None,
};

/// Vietnamese names are written family name first; the given names here include the middle name.
const VIETNAMESE: NameSet = NameSet {
    female: "Thị Lan, Thị Hương, Thị Mai, Thị Hoa, Thu Trang, Ngọc Anh, Thị Thảo, Thị Hằng",
    male: "Văn Minh, Văn Hùng, Đức Anh, Quốc Bảo, Văn Nam, Minh Tuấn, Văn Long, Thanh Tùng",
    family: "Nguyễn, Trần, Lê, Phạm, Hoàng, Phan, Vũ, Đặng, Bùi, Đỗ",
    latin: Some(Latin {
        female: "Thi Lan, Thi Huong, Thi Mai, Thi Hoa, Thu Trang, Ngoc Anh, Thi Thao, Thi Hang",
        male: "Van Minh, Van Hung, Duc Anh, Quoc Bao, Van Nam, Minh Tuan, Van Long, Thanh Tung",
        family: "Nguyen, Tran, Le, Pham, Hoang, Phan, Vu, Dang, Bui, Do",
    }),
};

const NIGERIAN: NameSet = NameSet {
    female: "Blessing, Joy, Grace, Precious, Favour, Chioma, Ngozi, Adaeze, Funmilayo, Esther, Osasere, Efe",
    male: "Chinedu, Emeka, Oluwaseun, Ifeanyi, Tunde, Samuel, Godwin, Uchenna, Osaro, Kelvin",
    family: "Okafor, Adeyemi, Okonkwo, Nwosu, Adebayo, Ogunleye, Osagie, Edosomwan, Omoregie, Aigbe, Idahosa, Obaseki",
    latin: None,
};

/// The entries of a comma-separated list.
fn entries(list: &'static str) -> Vec<&'static str> {
    list.split(',').map(str::trim).filter(|e| !e.is_empty()).collect()
}

/// A family name in the form for the person: (name, maiden name when a married form is used).
fn family_form(entry: &'static str, female: bool, married: bool) -> (&'static str, Option<&'static str>) {
    let mut forms = entry.split('/').map(str::trim);
    let male = forms.next().unwrap_or(entry);
    let unmarried = forms.next().unwrap_or(male);
    match (female, forms.next()) {
        (false, _) => (male, None),
        (true, Some(married_form)) if married => (married_form, Some(unmarried)),
        (true, _) => (unmarried, None),
    }
}

impl Origin {
    fn citizenship(self) -> &'static str {
        match self {
            Origin::Latvian => "LV",
            Origin::Estonian => "EE",
            Origin::Lithuanian => "LT",
            Origin::Ukrainian => "UA",
            Origin::Russian => "RU",
            Origin::Belarusian => "BY",
            Origin::Romanian => "RO",
            Origin::Moldovan => "MD",
            Origin::Vietnamese => "VN",
            Origin::Nigerian => "NG",
        }
    }

    fn is_eu(self) -> bool {
        matches!(self, Origin::Latvian | Origin::Estonian | Origin::Lithuanian | Origin::Romanian)
    }

    fn names(self) -> &'static NameSet {
        match self {
            Origin::Latvian => &LATVIAN,
            Origin::Estonian => &ESTONIAN,
            Origin::Lithuanian => &LITHUANIAN,
            Origin::Ukrainian => &UKRAINIAN,
            Origin::Russian | Origin::Belarusian => &RUSSIAN,
            Origin::Romanian | Origin::Moldovan => &ROMANIAN,
            Origin::Vietnamese => &VIETNAMESE,
            Origin::Nigerian => &NIGERIAN,
        }
    }

    /// The first language, and a second one some speak.
    fn languages(self) -> (&'static str, Option<&'static str>) {
        match self {
            Origin::Latvian => ("lv", Some("ru")),
            Origin::Estonian => ("et", Some("ru")),
            Origin::Lithuanian => ("lt", Some("ru")),
            Origin::Ukrainian => ("uk", Some("ru")),
            Origin::Russian => ("ru", None),
            Origin::Belarusian => ("ru", Some("be")),
            Origin::Romanian => ("ro", None),
            Origin::Moldovan => ("ro", Some("ru")),
            Origin::Vietnamese => ("vi", None),
            Origin::Nigerian => ("en", Some("bin")),
        }
    }

    fn towns(self) -> &'static [&'static str] {
        match self {
            Origin::Latvian => &["Rīga", "Daugavpils", "Liepāja", "Jelgava", "Rēzekne", "Valmiera", "Ventspils"],
            Origin::Estonian => &["Tallinn", "Tartu", "Narva", "Pärnu", "Kohtla-Järve", "Viljandi", "Rakvere"],
            Origin::Lithuanian => &["Vilnius", "Kaunas", "Klaipėda", "Šiauliai", "Panevėžys", "Alytus", "Marijampolė"],
            Origin::Ukrainian => &["Kyiv", "Lviv", "Kharkiv", "Odesa", "Dnipro", "Zhytomyr", "Chernivtsi"],
            Origin::Russian => &["Pskov", "Saint Petersburg", "Kaliningrad", "Smolensk"],
            Origin::Belarusian => &["Minsk", "Hrodna", "Brest", "Vitebsk"],
            Origin::Romanian => &["Iași", "Bacău", "Craiova", "Constanța", "Galați"],
            Origin::Moldovan => &["Chișinău", "Bălți", "Cahul", "Orhei"],
            Origin::Vietnamese => &["Nghệ An", "Hà Tĩnh", "Quảng Bình", "Hải Phòng"],
            Origin::Nigerian => &["Benin City", "Lagos", "Warri", "Enugu"],
        }
    }

    /// A made-up document number in roughly the country's format.
    fn document_number(self, rng: &mut StdRng) -> String {
        let digits = |rng: &mut StdRng, n: usize| -> String {
            (0..n).map(|_| char::from(b'0' + rng.random_range(0..10u8))).collect()
        };
        match self {
            Origin::Latvian => format!("LV{}", digits(rng, 7)),
            Origin::Estonian => format!("K{}", digits(rng, 7)),
            Origin::Lithuanian => digits(rng, 8),
            Origin::Ukrainian => format!("FA{}", digits(rng, 6)),
            Origin::Russian => format!("75 {}", digits(rng, 7)),
            Origin::Belarusian => format!("MP{}", digits(rng, 7)),
            Origin::Romanian => format!("05{}", digits(rng, 7)),
            Origin::Moldovan => format!("AB{}", digits(rng, 7)),
            Origin::Vietnamese => format!("C{}", digits(rng, 7)),
            Origin::Nigerian => format!("A{}", digits(rng, 8)),
        }
    }
}

/// Transit countries and exploitation abroad.
const TRANSIT: &[(&str, &str)] =
    &[("PL", "Warsaw"), ("DE", "Berlin"), ("LT", "Vilnius"), ("LV", "Rīga"), ("RU", "Moscow"), ("IT", "Rome")];
const ABROAD: &[(&str, &str)] = &[
    ("GB", "Peterborough"),
    ("GB", "London"),
    ("IE", "Dublin"),
    ("DE", "Hamburg"),
    ("NO", "Oslo"),
    ("NL", "Rotterdam"),
    ("FI", "Helsinki"),
    ("SE", "Malmö"),
];

// ---------------------------------------------------------------------------------------------
// Texts
// ---------------------------------------------------------------------------------------------

/// A short account for the form of exploitation; `variant` picks among several for sexual exploitation.
fn narrative_for(form: &str, variant: u8, industry: Option<Industry>) -> &'static str {
    match (form, industry) {
        ("sexual", _) => match variant % 3 {
            0 => {
                "Met a man online who promised a relationship and a job abroad; on arrival was made to provide \
                  sexual services in rented flats. He kept the earnings and the passport."
            }
            1 => {
                "Answered an advertisement for work as a dancer. Was moved between flats, clients were arranged by \
                  phone, and every payment was handed over to the controller."
            }
            _ => {
                "Recruited by an acquaintance with an offer of hotel work. Was told she owed money for travel and \
                  housing and had to repay it through prostitution."
            }
        },
        ("forced_labour", Some(Industry::Agriculture)) => {
            "Recruited through an online advertisement for berry and vegetable picking. Worked 12-14 hours a day, \
             lived in a crowded caravan, documents taken on arrival and wages withheld against travel debts."
        }
        ("forced_labour", Some(Industry::Construction)) => {
            "Came for construction work promised with a contract. Worked on several sites without pay beyond food \
             money; the foreman kept the passports and threatened to report the workers to the police."
        }
        ("forced_labour", Some(Industry::Households)) => {
            "Worked as a live-in housekeeper and carer with no days off, was not allowed to leave the house alone \
             and received no salary."
        }
        ("forced_labour", Some(Industry::Manufacturing)) => {
            "Worked night shifts at a fish-processing plant through an agency that deducted housing, transport and \
             'fines' from the wages until almost nothing was left."
        }
        ("forced_labour", Some(Industry::AccommodationAndFood)) => {
            "Worked in a restaurant kitchen 15 hours a day, slept in a storeroom, and was told the debt for the \
             work permit would take a year to repay."
        }
        ("forced_labour", Some(Industry::Transport)) => {
            "Hired as a lorry driver; the company kept the driving licence and passport and paid a fraction of the \
             promised wage, threatening dismissal and deportation."
        }
        ("forced_labour", _) => {
            "Recruited with a promise of a well-paid job; worked long hours under constant control, with wages \
             withheld against debts that kept growing."
        }
        ("begging", _) => {
            "Brought to the city and made to beg at a shopping centre and in the old town; the money was collected \
             every evening and punishment followed a poor day."
        }
        ("criminal_activities", _) => {
            "Made to steal from supermarkets and hand over the goods; was threatened when the daily target was not \
             met and told the police would arrest only her."
        }
        ("slavery", _) => {
            "Held under complete control of a group that moved the person between workplaces and claimed to have \
             bought the person from a previous 'employer'."
        }
        ("servitude", _) => {
            "Lived in the employer's household, did all the housework and farm work without pay, and could not \
             leave: the family said the person owed them for food and lodging."
        }
        ("organ_removal", _) => {
            "Offered money for 'medical tests' abroad; it emerged that a kidney removal had been arranged at a \
             private clinic. Left before the operation and contacted the police."
        }
        ("surrogacy", _) => {
            "Recruited as a surrogate mother with promised payment; her passport was kept and her movements \
             restricted throughout the pregnancy."
        }
        ("forced_marriage", _) => {
            "Taken abroad for a marriage arranged by relatives without her consent; the husband's family kept her \
             documents and did not let her contact anyone."
        }
        ("illegal_adoption", _) => {
            "The child was handed over against payment to a couple abroad without any adoption procedure; the \
             arrangement came to light at a border check."
        }
        _ => {
            "Persuaded to enter a sham marriage with a third-country national; the recruiter then used the person's \
             identity to take out loans."
        }
    }
}

const RG_POSITIVE_REASONS: &[&str] = &[
    "",
    "",
    "Indicators of deception and debt bondage; the account is consistent and supported by the referring \
     organisation's observations.",
    "Reasonable grounds: recruitment by deception, documents withheld, wages taken.",
];
const RG_NEGATIVE_REASONS: &[&str] = &[
    "The information available does not give reasonable grounds to believe the person is a victim: no means and \
     no exploitative purpose established at this stage. Referred to general social services.",
    "The account describes a labour dispute over unpaid wages without indicators of coercion or deception; the \
     person was advised on the labour dispute procedure.",
    "The person's situation does not meet the threshold at this stage; the referring organisation may ask for \
     reconsideration if new information comes to light.",
];
const CG_POSITIVE_REASONS: &[&str] = &[
    "Conclusive grounds established on the person's statements, the labour inspection report and documentary \
     evidence: the act, means and purpose of Art 2 are all present.",
    "The investigation confirmed recruitment by deception and exploitation; identified as a victim of trafficking \
     in human beings.",
    "On the balance of probabilities the person was trafficked for exploitation: consistent statements, \
     corroborated by witnesses and financial records.",
];
const CG_NEGATIVE_REASONS: &[&str] = &[
    "On the balance of probabilities the account does not establish exploitation; support continues under the \
     general social assistance scheme.",
    "The evidence gathered does not confirm the means element for an adult; the person was informed of the \
     right to ask for reconsideration.",
];
const RECONSIDERATION_REQUESTS: &[&str] = &[
    "The NGO caseworker provided a new statement taken with an interpreter, describing threats and debts not \
     mentioned at the first interview.",
    "New information from the labour inspectorate: the employer kept the workers' passports.",
];
const WITHDRAWAL_REASONS: &[&str] = &[
    "The person withdrew consent to the referral and returned to the country of origin.",
    "Contact with the person was lost for more than a month; the referring organisation withdrew the referral.",
    "The person asked to end the referral and moved to relatives in another country.",
];

// ---------------------------------------------------------------------------------------------
// The generator
// ---------------------------------------------------------------------------------------------

fn pick<T: Copy>(rng: &mut StdRng, items: &[T]) -> T {
    items[rng.random_range(0..items.len())]
}

fn weighted<T: Copy>(rng: &mut StdRng, items: &[(T, u32)]) -> T {
    let total: u32 = items.iter().map(|(_, w)| *w).sum();
    let mut roll = rng.random_range(0..total.max(1));
    for (item, weight) in items {
        if roll < *weight {
            return *item;
        }
        roll -= weight;
    }
    items[items.len() - 1].0
}

fn cc(code: &str) -> Result<CountryCode> {
    Ok(CountryCode::parse("country", code)?)
}

fn form(id: &str) -> Result<FormId> {
    Ok(FormId::parse("form", id)?)
}

fn days(date: CalendarDate, n: i64) -> Result<CalendarDate> {
    date.add_days(n).context("a date outside the supported range")
}

struct Generator<'a> {
    rng: &'a mut StdRng,
    today: CalendarDate,
    now: i64,
    profiles: &'a ProfileSet,
}

/// The person, as far as the generator needs it.
struct Person {
    origin: Origin,
    sex: Sex,
    child: bool,
    age_at_referral: u16,
}

/// The same history under a one-decision procedure: the person is presumed from the referral, so
/// positive first decisions fall away; a negative first decision is the negative decision; and
/// corrections name the decision they correct by its new number.
fn one_decision(steps: Vec<Dated>) -> Vec<Dated> {
    use DecisionKind::*;
    let mut out = Vec::with_capacity(steps.len());
    // For each original decision number, its number after the positive first decisions fall away.
    let mut renumber: Vec<Option<u32>> = Vec::new();
    let mut kept = 0u32;
    for (at, action) in steps {
        match action {
            Action::Decide { kind: FirstPositive, corrects: None, .. } => renumber.push(None),
            Action::Decide { kind, on, reasons, corrects } => {
                let kind = match kind {
                    FirstNegative => FinalNegative,
                    FirstPositive => FinalPositive,
                    other => other,
                };
                let corrects = corrects.and_then(|c| {
                    usize::try_from(c)
                        .ok()
                        .and_then(|c| c.checked_sub(1))
                        .and_then(|i| renumber.get(i).copied().flatten())
                });
                kept += 1;
                renumber.push(Some(kept));
                out.push((at, Action::Decide { kind, on, reasons, corrects }));
            }
            other => out.push((at, other)),
        }
    }
    out
}

impl Generator<'_> {
    fn ago(&self, n: i64) -> Result<CalendarDate> {
        days(self.today, -n)
    }

    /// When the first decision of the country's procedure is due for a referral on `referred_on`
    /// (`None` where the procedure sets its decisions no deadline from the referral).
    fn first_due(&self, country: Country, referred_on: CalendarDate) -> Result<Option<CalendarDate>> {
        let version = self.profiles.version_on(cc(country.code())?, referred_on)?;
        let inputs = ClockInputs {
            referred_on,
            status: haven_domain::ident::status::NrmStatus::Referred,
            first_decided_on: None,
            final_decided_on: None,
            presumed_since: None,
            child: false,
            guardian_appointed: false,
        };
        let clocks = Clocks::compute(version, &version.procedure, version.calendar(), inputs)?;
        Ok(clocks.first_decision.or(clocks.final_decision).map(|d| d.due))
    }

    /// Whether the country's procedure has two decisions.
    pub fn two_stage(&self, country: Country) -> Result<bool> {
        Ok(self.profiles.version_on(cc(country.code())?, self.today)?.procedure.first.is_some())
    }

    /// A referral date whose first decision is due `from..=to` days from today (negative: overdue).
    fn referral_due_in(&mut self, country: Country, from: i64, to: i64, fallback: i64) -> Result<CalendarDate> {
        let mut candidates = Vec::new();
        for k in 0..=45 {
            let referred = self.ago(k)?;
            let Some(due) = self.first_due(country, referred)? else { break };
            let left = self.today.days_until(due);
            if (from..=to).contains(&left) {
                candidates.push(referred);
            }
        }
        if candidates.is_empty() { self.ago(fallback) } else { Ok(pick(self.rng, &candidates)) }
    }

    fn decide(&mut self, kind: DecisionKind, on: CalendarDate, reasons: &[&str]) -> Dated {
        let reasons = if reasons.is_empty() { String::new() } else { pick(self.rng, reasons).to_owned() };
        (on, Action::Decide { kind, on, reasons, corrects: None })
    }

    /// The referral date and the decisions that lead to `outcome`; `None` for a draft.
    fn history(&mut self, country: Country, outcome: Outcome) -> Result<Option<(CalendarDate, Vec<Dated>)>> {
        use DecisionKind::*;
        let today = self.today;
        let r = |g: &mut Self, lo: i64, hi: i64| g.rng.random_range(lo..=hi);
        let mut steps = Vec::new();
        let referred = match outcome {
            Outcome::Draft => return Ok(None),
            Outcome::AwaitingRgUpcoming => {
                let k = r(self, 0, 1);
                days(today, -k)?
            }
            Outcome::AwaitingRgDueSoon => self.referral_due_in(country, 0, 2, 4)?,
            Outcome::AwaitingRgOverdue => self.referral_due_in(country, -20, -1, 20)?,
            Outcome::PresumedInReflection | Outcome::PresumedPastReflection => {
                let j = if outcome == Outcome::PresumedInReflection { r(self, 0, 28) } else { r(self, 31, 125) };
                let rg = days(today, -j)?;
                let referred = days(rg, -r(self, 0, 9))?;
                steps.push(self.decide(FirstPositive, rg, RG_POSITIVE_REASONS));
                referred
            }
            Outcome::NegativeFirstDecision => {
                let j = r(self, 0, 138);
                let rg = days(today, -j)?;
                let referred = days(rg, -r(self, 1, 10))?;
                steps.push(self.decide(FirstNegative, rg, RG_NEGATIVE_REASONS));
                referred
            }
            Outcome::Identified | Outcome::NotIdentified | Outcome::CgReconsiderationPending | Outcome::CorrectedCg => {
                // Days from the CG decision to today, from the RG to the CG decision, from the
                // referral to the RG decision: at most HISTORY_DAYS in all.
                let since_cg = r(self, 0, 50);
                let rg_to_cg = r(self, 25, 95.min(HISTORY_DAYS - since_cg - 11));
                let referral_to_rg = r(self, 1, 10);
                let cg = days(today, -since_cg)?;
                let rg = days(cg, -rg_to_cg)?;
                let referred = days(rg, -referral_to_rg)?;
                steps.push(self.decide(FirstPositive, rg, RG_POSITIVE_REASONS));
                match outcome {
                    Outcome::Identified => steps.push(self.decide(FinalPositive, cg, CG_POSITIVE_REASONS)),
                    Outcome::NotIdentified => steps.push(self.decide(FinalNegative, cg, CG_NEGATIVE_REASONS)),
                    Outcome::CgReconsiderationPending => {
                        let cg = days(cg, -10)?;
                        steps.push(self.decide(FinalNegative, cg, CG_NEGATIVE_REASONS));
                        let asked = days(cg, r(self, 3, 9))?;
                        steps.push(self.decide(ReconsiderationRequested, asked, RECONSIDERATION_REQUESTS));
                    }
                    _ => {
                        // Recorded with the date of the last interview; corrected to the signing date.
                        let wrong = days(cg, -r(self, 2, 5))?;
                        steps.push(self.decide(FinalPositive, wrong, CG_POSITIVE_REASONS));
                        let reasons = format!(
                            "Decision 2 was recorded with the date of the last interview ({wrong}); the decision \
                             was signed on {cg}."
                        );
                        steps.push((cg, Action::Decide { kind: FinalPositive, on: cg, reasons, corrects: Some(2) }));
                    }
                }
                referred
            }
            Outcome::RgReconsiderationPending
            | Outcome::RgReconsiderationOverturned
            | Outcome::RgReconsiderationUpheld => {
                let k = r(self, 30, 90);
                let referred = days(today, -k)?;
                let rg = days(referred, r(self, 2, 8))?;
                steps.push(self.decide(FirstNegative, rg, RG_NEGATIVE_REASONS));
                let asked = days(rg, r(self, 3, 10))?;
                steps.push(self.decide(ReconsiderationRequested, asked, RECONSIDERATION_REQUESTS));
                let decided = days(asked, r(self, 5, 14))?.min(today);
                match outcome {
                    Outcome::RgReconsiderationOverturned => steps.push(self.decide(
                        ReconsiderationOverturned,
                        decided,
                        &["The further statement and the employer's records show deception and withheld wages: \
                           reasonable grounds are established."],
                    )),
                    Outcome::RgReconsiderationUpheld => steps.push(self.decide(
                        ReconsiderationUpheld,
                        decided,
                        &["The new information does not change the assessment; the earlier decision stands."],
                    )),
                    _ => {}
                }
                referred
            }
            Outcome::WithdrawnBeforeRg => {
                let k = r(self, 5, 140);
                let referred = days(today, -k)?;
                let on = days(referred, r(self, 1, 4))?;
                steps.push(self.decide(Withdrawal, on, WITHDRAWAL_REASONS));
                referred
            }
            Outcome::WithdrawnAfterRg => {
                let k = r(self, 30, 140);
                let referred = days(today, -k)?;
                let rg = days(referred, r(self, 1, 8))?;
                steps.push(self.decide(FirstPositive, rg, RG_POSITIVE_REASONS));
                let on = days(rg, r(self, 3, 25))?.min(today);
                steps.push(self.decide(Withdrawal, on, WITHDRAWAL_REASONS));
                referred
            }
            Outcome::CorrectedRg => {
                let k = r(self, 20, 90);
                let referred = days(today, -k)?;
                let rg = days(referred, 2)?;
                steps.push(self.decide(
                    FirstNegative,
                    rg,
                    &["No indicators recorded in the referral form at this stage."],
                ));
                let on = days(rg, 1)?;
                let reasons = "Decision 1 was entered on the basis of the wrong referral form; the assessment of \
                               this referral found reasonable grounds."
                    .to_owned();
                steps.push((on, Action::Decide { kind: FirstPositive, on, reasons, corrects: Some(1) }));
                referred
            }
        };
        Ok(Some((referred, steps)))
    }

    fn person(&mut self, country: Country) -> Person {
        let origin = weighted(self.rng, country.origins());
        let sex = weighted(self.rng, &[(Sex::Female, 62), (Sex::Male, 36), (Sex::Other, 1), (Sex::Unknown, 1)]);
        let child = self.rng.random_bool(0.2);
        let age_at_referral = if child {
            weighted(self.rng, &[(0u16, 1), (2, 1), (9, 2), (12, 3), (13, 4), (14, 6), (15, 8), (16, 10), (17, 10)])
        } else {
            let band = weighted(
                self.rng,
                &[((18u16, 24u16), 30), ((25, 34), 35), ((35, 44), 20), ((45, 54), 10), ((55, 64), 5)],
            );
            self.rng.random_range(band.0..=band.1)
        };
        Person { origin, sex, child, age_at_referral }
    }

    fn forms(&mut self, p: &Person, required: Option<&'static str>) -> Vec<&'static str> {
        let primary = required.unwrap_or_else(|| {
            if p.age_at_referral < 4 {
                "illegal_adoption"
            } else if p.child {
                weighted(
                    self.rng,
                    &[
                        ("sexual", 35),
                        ("criminal_activities", 20),
                        ("begging", 15),
                        ("forced_labour", 12),
                        ("forced_marriage", 8),
                        ("other", 3),
                    ],
                )
            } else if p.sex == Sex::Male {
                weighted(
                    self.rng,
                    &[
                        ("forced_labour", 60),
                        ("criminal_activities", 12),
                        ("begging", 6),
                        ("sexual", 5),
                        ("servitude", 4),
                        ("organ_removal", 2),
                        ("slavery", 2),
                        ("other", 5),
                    ],
                )
            } else {
                weighted(
                    self.rng,
                    &[
                        ("sexual", 45),
                        ("forced_labour", 25),
                        ("forced_marriage", 5),
                        ("servitude", 4),
                        ("criminal_activities", 5),
                        ("begging", 3),
                        ("surrogacy", 2),
                        ("organ_removal", 1),
                        ("slavery", 1),
                        ("other", 6),
                    ],
                )
            }
        });
        let mut forms = vec![primary];
        if self.rng.random_bool(0.2) {
            let second = match primary {
                "sexual" => pick(self.rng, &["forced_labour", "criminal_activities"]),
                "forced_labour" => pick(self.rng, &["criminal_activities", "sexual", "servitude"]),
                "forced_marriage" => "sexual",
                "begging" => "criminal_activities",
                "servitude" => "sexual",
                _ => "",
            };
            if !second.is_empty() {
                forms.push(second);
            }
        }
        forms
    }

    /// The registration of `p`, referred (or, for a draft, saved) on `referred`.
    fn registration(
        &mut self,
        country: Country,
        registrar: &Registrar,
        p: &Person,
        forms: &[&'static str],
        referred: CalendarDate,
        draft: bool,
    ) -> Result<Registration> {
        let (person, documents_withheld) = self.person_details(country, registrar, p, referred)?;
        let context = self.context(country, p, &person, documents_withheld, forms, referred)?;
        let indicators = self.indicators(p, forms);
        let rng = &mut *self.rng;
        let first = person.languages.first().cloned().unwrap_or_default();
        let primary = forms.first().copied().unwrap_or("other");
        let industry = context.forced_labour_industry;
        // Consent: an adult's, in the person's language; a child is referred without it.
        let adult_at_referral = !p.child;
        let consent = if adult_at_referral && !(draft && rng.random_bool(0.5)) {
            Some(Consent {
                given: true,
                date: days(referred, -rng.random_range(0..=2))?,
                language: first,
                informed_by: format!("{}, {}", registrar.person, registrar.organisation),
            })
        } else {
            None
        };
        let narrative = if draft && rng.random_bool(0.5) {
            None
        } else {
            Some(Narrative::parse("narrative", narrative_for(primary, rng.random_range(0..3), industry))?)
        };
        Ok(Registration {
            person,
            context,
            indicators,
            support_consent: consent,
            data_sharing_consent: None,
            guardian: None,
            narrative,
            imported: None,
        })
    }

    /// Names, age, documents, citizenship and languages; and whether the documents are withheld.
    fn person_details(
        &mut self,
        country: Country,
        registrar: &Registrar,
        p: &Person,
        referred: CalendarDate,
    ) -> Result<(PersonDetails, bool)> {
        let rng = &mut *self.rng;
        let names = p.origin.names();
        let female = match p.sex {
            Sex::Female => true,
            Sex::Male => false,
            _ => rng.random_bool(0.5),
        };
        let given_list = entries(if female { names.female } else { names.male });
        let gi = rng.random_range(0..given_list.len());
        let given = given_list[gi];
        let family_list = entries(names.family);
        let fi = rng.random_range(0..family_list.len());
        let married = p.age_at_referral >= 26 && rng.random_bool(0.6);
        let (family, maiden) = family_form(family_list[fi], female, married);
        let previous_family_names: Vec<String> = maiden.map(str::to_owned).into_iter().collect();
        let latin = names.latin.as_ref().and_then(|l| {
            let g = *entries(if female { l.female } else { l.male }).get(gi)?;
            let (fam, _) = family_form(entries(l.family).get(fi)?, female, false);
            Some(if p.origin == Origin::Vietnamese { format!("{fam} {g}") } else { format!("{g} {fam}") })
        });
        let mut aliases = Vec::new();
        if let Some(l) = latin
            && rng.random_bool(0.6)
        {
            aliases.push(l);
        }

        let age_days = i64::from(p.age_at_referral) * 365 + rng.random_range(10..=300);
        let dob = days(referred, -age_days)?;
        let mut person = PersonDetails {
            given_names: given.to_owned(),
            family_names: family.to_owned(),
            aliases,
            previous_family_names,
            sex: p.sex,
            gender: match p.sex {
                Sex::Female => Gender::Feminine,
                Sex::Male => Gender::Masculine,
                Sex::Other => Gender::TransgenderFeminine,
                Sex::Unknown => Gender::Unknown,
            },
            ..PersonDetails::default()
        };
        let documents_withheld = rng.random_bool(0.25);
        let presumed = p.child && rng.random_bool(0.4);
        if presumed {
            if rng.random_bool(0.5) {
                // Only an estimate, and reasons to believe a child.
                let (lo, hi) = pick(rng, &[(14u8, 17u8), (15, 18), (13, 16), (16, 19), (15, 17)]);
                person.age_estimate = Some(AgeRange::new(lo, hi)?);
                person.reasons_to_believe_child = true;
                if rng.random_bool(0.3) {
                    person.age_assessments.push(AgeAssessment {
                        date: days(referred, -rng.random_range(1..=10))?,
                        method: AgeAssessmentMethod::Multidisciplinary,
                        result: AgeRange::new(15, 17)?,
                        assessed_by: country.age_assessor().to_owned(),
                    });
                }
            } else {
                // A stated date of birth nobody could check.
                person.date_of_birth = Some(dob);
                person.reasons_to_believe_child = rng.random_bool(0.5);
            }
        } else if !p.child && rng.random_bool(0.08) {
            person.age_estimate = Some(AgeRange::new(25, 35)?);
        } else {
            person.date_of_birth = Some(dob);
            person.dob_verified = !documents_withheld || p.child;
        }
        if !documents_withheld && !presumed {
            let kind = if p.origin.is_eu() && rng.random_bool(0.4) {
                DocumentKind::IdentityCard
            } else if p.age_at_referral < 4 {
                DocumentKind::BirthCertificate
            } else {
                DocumentKind::Passport
            };
            person.documents.push(IdentityDocument {
                kind,
                number: p.origin.document_number(rng),
                issuing_country: Some(cc(p.origin.citizenship())?),
            });
        }

        // Citizenship and languages.
        person.citizenships.push(cc(p.origin.citizenship())?);
        if p.origin == Origin::Moldovan && rng.random_bool(0.4) {
            person.citizenships.push(cc("RO")?);
        }
        let (first, second) = p.origin.languages();
        person.languages.push(first.to_owned());
        if let Some(second) = second
            && rng.random_bool(0.35)
        {
            person.languages.push(second.to_owned());
        }
        person.interpreter_needed = p.origin != country.origin() && first != "en";
        if rng.random_bool(0.3) {
            person.safe_contact = Some(format!("Through the case manager at {}", registrar.organisation));
        }

        Ok((person, documents_withheld))
    }

    /// Act, means, purpose, control, timeline, recruitment and vulnerabilities.
    fn context(
        &mut self,
        country: Country,
        p: &Person,
        person: &PersonDetails,
        documents_withheld: bool,
        forms: &[&'static str],
        referred: CalendarDate,
    ) -> Result<TraffickingContext> {
        let rng = &mut *self.rng;
        let age_days = i64::from(p.age_at_referral) * 365 + 10;
        // The trafficking context.
        let mut context = TraffickingContext::default();
        let foreign = p.origin != country.origin();
        let abroad = !foreign && rng.random_bool(0.5);
        let mut acts = BTreeSet::from([Act::Recruitment]);
        if foreign || abroad {
            acts.insert(Act::Transportation);
            acts.insert(Act::Reception);
        }
        if rng.random_bool(0.5) {
            acts.insert(Act::Harbouring);
        }
        if rng.random_bool(0.1) {
            acts.insert(pick(rng, &[Act::Transfer, Act::ExchangeOfControl]));
        }
        context.acts = acts;
        if !p.child || rng.random_bool(0.6) {
            let pool = [
                Means::Deception,
                Means::Deception,
                Means::AbuseOfVulnerability,
                Means::Fraud,
                Means::Threat,
                Means::UseOfForce,
                Means::OtherCoercion,
                Means::AbuseOfPower,
            ];
            for _ in 0..rng.random_range(1..=3) {
                context.means.insert(pick(rng, &pool));
            }
            if forms.contains(&"forced_marriage") || p.age_at_referral < 4 {
                context.means.insert(Means::PaymentsToController);
            }
            if rng.random_bool(0.02) {
                context.means.insert(Means::Abduction);
            }
        }
        let primary = forms.first().copied().unwrap_or("other");
        let control_pool: &[MethodOfControl] = match primary {
            "sexual" => &[
                MethodOfControl::PsychologicalAbuse,
                MethodOfControl::PhysicalThreats,
                MethodOfControl::TakesEarnings,
                MethodOfControl::DebtBondage,
                MethodOfControl::SexualAbuse,
                MethodOfControl::PsychoactiveSubstance,
                MethodOfControl::WithholdsDocuments,
                MethodOfControl::ThreatensChildrenFamily,
            ],
            "forced_labour" | "servitude" | "slavery" => &[
                MethodOfControl::DebtBondage,
                MethodOfControl::WithholdsDocuments,
                MethodOfControl::TakesEarnings,
                MethodOfControl::ExcessiveWorkingHours,
                MethodOfControl::FalsePromises,
                MethodOfControl::ThreatsLawEnforcement,
                MethodOfControl::RestrictsFinancialAccess,
                MethodOfControl::WithholdsNecessities,
                MethodOfControl::RestrictsMedicalCare,
            ],
            _ => &[
                MethodOfControl::PhysicalThreats,
                MethodOfControl::PhysicalAbuse,
                MethodOfControl::DebtBondage,
                MethodOfControl::PsychologicalAbuse,
                MethodOfControl::FalsePromises,
                MethodOfControl::ThreatensChildrenFamily,
            ],
        };
        for _ in 0..rng.random_range(1..=4) {
            context.methods_of_control.insert(pick(rng, control_pool));
        }
        if documents_withheld {
            context.methods_of_control.insert(MethodOfControl::WithholdsDocuments);
        }
        for f in forms {
            context.forms.push(form(f)?);
        }
        if forms.contains(&"forced_labour") {
            context.forced_labour_industry = Some(weighted(
                rng,
                &[
                    (Industry::Agriculture, 25),
                    (Industry::Construction, 20),
                    (Industry::Manufacturing, 12),
                    (Industry::AccommodationAndFood, 12),
                    (Industry::Households, 10),
                    (Industry::Transport, 8),
                    (Industry::Trade, 6),
                    (Industry::AdministrativeSupport, 5),
                    (Industry::OtherServices, 2),
                ],
            ));
        }
        if primary == "other" {
            context.other_form = Some("Sham marriage and fraudulent loans in the person's name".to_owned());
        }

        // Timeline: recruitment, transit, exploitation.
        let home = pick(rng, p.origin.towns());
        let (place_country, place) = if abroad {
            let (c, t) = pick(rng, ABROAD);
            (c, t)
        } else {
            (country.code(), pick(rng, country.origin().towns()))
        };
        let recruited_on = days(referred, -rng.random_range(20..=500).min(age_days - 5))?;
        let exploited_from = days(recruited_on, rng.random_range(1..=20))?;
        let shape = rng.random_range(0..100);
        if shape >= 25 {
            context.events.push(TraffickingEvent {
                kind: EventKind::Recruitment,
                date: Some(recruited_on),
                country: Some(cc(p.origin.citizenship())?),
                place: Some(home.to_owned()),
                description: None,
            });
        }
        if shape >= 70 && (foreign || abroad) {
            let (c, t) = pick(rng, TRANSIT);
            if c != place_country && c != p.origin.citizenship() {
                context.events.push(TraffickingEvent {
                    kind: EventKind::Transit,
                    date: Some(days(recruited_on, 1)?),
                    country: Some(cc(c)?),
                    place: Some(t.to_owned()),
                    description: None,
                });
            }
        }
        context.events.push(TraffickingEvent {
            kind: EventKind::Exploitation,
            date: Some(exploited_from),
            country: Some(cc(place_country)?),
            place: Some(place.to_owned()),
            description: (rng.random_bool(0.3)).then(|| "Until the person got away and asked for help.".to_owned()),
        });

        // Recruitment.
        let online = rng.random_bool(0.45);
        context.recruitment_method = Some(if online {
            pick(
                rng,
                &[RecruitmentMethod::ThroughOnlineSocialNetworks, RecruitmentMethod::ThroughAnOnlineAdvertisement],
            )
        } else if p.child {
            pick(
                rng,
                &[
                    RecruitmentMethod::ThroughFamilyOrFamilyEvents,
                    RecruitmentMethod::ThroughFriendsOrSocialEvents,
                    RecruitmentMethod::AtAnEducationalInstitution,
                ],
            )
        } else {
            pick(
                rng,
                &[
                    RecruitmentMethod::ThroughFriendsOrSocialEvents,
                    RecruitmentMethod::AtAPlaceOfBusiness,
                    RecruitmentMethod::ThroughANewspaperAdvert,
                    RecruitmentMethod::AtWork,
                    RecruitmentMethod::ThroughFamilyOrFamilyEvents,
                ],
            )
        });
        if online {
            let platforms = [
                OnlinePlatform::Facebook,
                OnlinePlatform::Facebook,
                OnlinePlatform::Telegram,
                OnlinePlatform::Whatsapp,
                OnlinePlatform::Viber,
                OnlinePlatform::Instagram,
                OnlinePlatform::Tiktok,
                OnlinePlatform::Messenger,
                OnlinePlatform::Snapchat,
            ];
            for _ in 0..rng.random_range(1..=2) {
                context.online_platforms.insert(pick(rng, &platforms));
            }
        }
        context.relationship_to_trafficker = Some(match primary {
            "sexual" if !p.child => weighted(
                rng,
                &[
                    (RelationshipToTrafficker::IntimatePartner, 35),
                    (RelationshipToTrafficker::Acquainted, 35),
                    (RelationshipToTrafficker::Unacquainted, 25),
                    (RelationshipToTrafficker::Unknown, 5),
                ],
            ),
            "forced_marriage" | "illegal_adoption" | "begging" => RelationshipToTrafficker::Familial,
            _ => weighted(
                rng,
                &[
                    (RelationshipToTrafficker::Unacquainted, 55),
                    (RelationshipToTrafficker::Acquainted, 35),
                    (RelationshipToTrafficker::Familial, 5),
                    (RelationshipToTrafficker::Unknown, 5),
                ],
            ),
        });
        let mut vulnerabilities = BTreeSet::new();
        if p.child {
            vulnerabilities.insert(Vulnerability::Child);
        }
        if rng.random_bool(0.7) {
            vulnerabilities.insert(Vulnerability::EconomicHardship);
        }
        if !p.origin.is_eu() && foreign && rng.random_bool(0.6) {
            vulnerabilities.insert(Vulnerability::IrregularMigrationStatus);
        }
        if person.interpreter_needed {
            vulnerabilities.insert(Vulnerability::LackOfLanguage);
        }
        for _ in 0..rng.random_range(0..=2) {
            vulnerabilities.insert(pick(
                rng,
                &[
                    Vulnerability::Dependency,
                    Vulnerability::Homelessness,
                    Vulnerability::Addiction,
                    Vulnerability::Disability,
                    Vulnerability::StateOfHealth,
                    Vulnerability::Isolation,
                    Vulnerability::PreviousVictimisation,
                    Vulnerability::Gender,
                ],
            ));
        }
        if p.sex == Sex::Female && primary == "surrogacy" {
            vulnerabilities.insert(Vulnerability::Pregnancy);
        }
        context.vulnerabilities = vulnerabilities;
        if !p.child && primary == "sexual" && rng.random_bool(0.3) {
            context.consent_to_exploitation = Some(true);
        }

        Ok(context)
    }

    /// ILO/EC indicators, recorded for some adults in forced labour.
    fn indicators(&mut self, p: &Person, forms: &[&'static str]) -> Vec<IndicatorAnswers> {
        let rng = &mut *self.rng;
        let mut indicators = Vec::new();
        if !p.child && forms.contains(&"forced_labour") && rng.random_bool(0.5) {
            let dimensions: [&[&str]; 6] = [
                &["I1.01", "I1.02", "I1.05", "I1.07", "I1.08"],
                &["I2.03", "I2.04", "I2.05", "I2.07", "I2.10"],
                &["I3.02", "I3.03", "I3.04", "I3.06", "I3.11"],
                &["I4.01", "I4.02", "I4.04", "I4.05", "I4.07", "I4.08"],
                &["I5.01", "I5.02", "I5.03", "I5.09", "I5.11", "I5.14"],
                &["I6.01", "I6.02", "I6.03", "I6.05"],
            ];
            let mut present = BTreeSet::new();
            for dimension in dimensions {
                if rng.random_bool(0.65) {
                    for _ in 0..rng.random_range(1..=2) {
                        present.insert(pick(rng, dimension).to_owned());
                    }
                }
            }
            if !present.is_empty() {
                indicators.push(IndicatorAnswers {
                    list: "ilo_ec_adult_labour".to_owned(),
                    present: present.into_iter().collect(),
                });
            }
        }

        indicators
    }

    fn guardian(&mut self, country: Country, on: CalendarDate) -> Guardian {
        let names = country.origin().names();
        let female = self.rng.random_bool(0.7);
        let given = pick(self.rng, &entries(if female { names.female } else { names.male }));
        let (family, _) = family_form(pick(self.rng, &entries(names.family)), female, true);
        Guardian {
            appointed_on: on,
            name: format!("{given} {family}"),
            organisation: country.guardian_body().to_owned(),
        }
    }

    /// A moment on `on` in office hours, after `after` (a time of day) when given, never after now.
    fn time_on(&mut self, on: CalendarDate, after: Option<i64>) -> i64 {
        let time_of_day = match after {
            Some(t) => (t + self.rng.random_range(600..=3600)).min(86_399),
            None => self.rng.random_range(8 * 3600..=17 * 3600),
        };
        (on.days_since_epoch() * 86_400 + time_of_day).min(self.now)
    }

    /// Times for the steps: in date order, in order within a day.
    fn timed(&mut self, mut steps: Vec<Dated>) -> Vec<Step> {
        steps.sort_by_key(|(on, _)| *on);
        let mut out = Vec::with_capacity(steps.len());
        let mut last: Option<(CalendarDate, i64)> = None;
        for (on, action) in steps {
            let after = last.filter(|(day, _)| *day == on).map(|(day, at)| at - day.days_since_epoch() * 86_400);
            let at = self.time_on(on, after);
            out.push(Step { at, action });
            last = Some((on, at));
        }
        out
    }
}

/// A case being planned: its steps not yet timed.
struct Pending {
    registrar: usize,
    country: Country,
    outcome: Outcome,
    registration: Registration,
    steps: Vec<Dated>,
    person: Person,
}

/// Plans the demonstration's registrations and notifications. `registrars` are the organisations
/// that register (their country and who acts for them); `today` and `now` come from the clock.
pub fn plan(
    rng: &mut StdRng,
    today: CalendarDate,
    now: i64,
    profiles: &ProfileSet,
    registrars: &[Registrar],
) -> Result<Plan> {
    let mut outcomes: Vec<Outcome> =
        Outcome::MIX.iter().flat_map(|(outcome, n)| std::iter::repeat_n(*outcome, *n)).collect();
    outcomes.shuffle(rng);
    let mut g = Generator { rng, today, now, profiles };
    // Every form of the catalogue appears at least once among the referred cases.
    let mut missing: Vec<&'static str> = vec![
        "sexual",
        "forced_labour",
        "begging",
        "slavery",
        "servitude",
        "criminal_activities",
        "organ_removal",
        "surrogacy",
        "forced_marriage",
        "illegal_adoption",
        "other",
    ];
    let mut cases = Vec::with_capacity(outcomes.len());
    for outcome in outcomes {
        let country = weighted(g.rng, &[(Country::Lv, 45), (Country::Ee, 27), (Country::Lt, 28)]);
        let choices: Vec<(usize, u32)> =
            registrars.iter().enumerate().filter(|(_, r)| r.country == country).map(|(i, r)| (i, r.weight)).collect();
        if choices.is_empty() {
            anyhow::bail!("no organisation registers cases in {}", country.code());
        }
        let registrar_index = weighted(g.rng, &choices);
        let registrar = registrars.get(registrar_index).context("no registrar for a country")?;
        let mut person = g.person(country);
        let required = if outcome == Outcome::Draft { None } else { missing.pop() };
        match required {
            Some("illegal_adoption") => {
                person.child = true;
                person.age_at_referral = 1;
            }
            Some("surrogacy" | "forced_marriage") => {
                person.sex = Sex::Female;
                person.child = false;
                person.age_at_referral = person.age_at_referral.max(19);
            }
            Some("organ_removal") => {
                person.child = false;
                person.age_at_referral = person.age_at_referral.max(22);
            }
            Some(_) if person.age_at_referral < 4 => person.age_at_referral = 15,
            _ => {}
        }
        let forms = g.forms(&person, required);
        let mut history = g.history(country, outcome)?;
        if !g.two_stage(country)? {
            history = history.map(|(referred, steps)| (referred, one_decision(steps)));
        }
        let (referred, decisions) = match history {
            Some((referred, decisions)) => (Some(referred), decisions),
            None => (None, Vec::new()),
        };
        let created = match referred {
            Some(r) => days(r, -g.rng.random_range(0..=2))?,
            None => days(today, -g.rng.random_range(0..=20))?,
        };
        let mut registration =
            g.registration(country, registrar, &person, &forms, referred.unwrap_or(created), referred.is_none())?;
        let mut steps = vec![(created, Action::Create)];
        if let Some(referred) = referred {
            steps.push((referred, Action::Submit));
            if person.child {
                // A guardian already appointed, one appointed after the referral, or none yet.
                match weighted(g.rng, &[(0u8, 20), (1, 55), (2, 25)]) {
                    0 => {
                        let on = days(created, -g.rng.random_range(0..=30))?;
                        registration.guardian = Some(g.guardian(country, on));
                    }
                    1 => {
                        let on = days(referred, g.rng.random_range(1..=6))?;
                        if on <= today {
                            let guardian = g.guardian(country, on);
                            steps.push((on, Action::AppointGuardian(guardian)));
                        }
                    }
                    _ => {}
                }
            }
        }
        steps.extend(decisions);
        cases.push(Pending { registrar: registrar_index, country, outcome, registration, steps, person });
    }

    // Residence for third-country nationals with reasonable grounds; protection applications;
    // criminal matters they were compelled to commit (the non-punishment notice).
    let mut permits = 0;
    let mut protection = 0;
    let mut matters = 0;
    for Pending { registrar: registrar_index, country, outcome, registration, steps, person } in &mut cases {
        if !outcome.is_victim() {
            continue;
        }
        // From the presumption: the positive first decision, or the referral where the procedure
        // presumes from it.
        let presumed = steps.iter().find_map(|(_, a)| match a {
            Action::Decide {
                kind: DecisionKind::FirstPositive | DecisionKind::ReconsiderationOverturned, on, ..
            } => Some(*on),
            _ => None,
        });
        let referred = steps.iter().find_map(|(at, a)| matches!(a, Action::Submit).then_some(*at));
        let Some(rg) = presumed.or(if g.two_stage(*country)? { None } else { referred }) else {
            continue;
        };
        let third_country = registration.person.citizenships.iter().all(|c| !c.is_eu_member());
        if third_country && permits < 10 {
            let applied_on = days(rg, g.rng.random_range(2..=14))?;
            if applied_on <= today {
                let ground = if person.child {
                    "child_best_interests"
                } else {
                    weighted(g.rng, &[("cooperation", 5), ("personal_situation", 3), ("both", 2)])
                };
                steps.push((applied_on, Action::PermitApplication { applied_on, ground }));
                let decided_on = days(applied_on, g.rng.random_range(10..=40))?;
                if decided_on <= today {
                    let valid_until = if permits == 3 {
                        None
                    } else {
                        let months = if g.rng.random_bool(0.5) { 6 } else { 12 };
                        Some(days(decided_on.add_months(months).context("a date out of range")?, -1)?)
                    };
                    steps.push((decided_on, Action::PermitDecision { decided_on, valid_until }));
                }
                permits += 1;
            }
            if protection < 2 && matches!(person.origin, Origin::Russian | Origin::Belarusian | Origin::Nigerian) {
                let applied_on = days(rg, g.rng.random_range(5..=30))?.min(today);
                steps.push((applied_on, Action::ProtectionApplication { applied_on }));
                protection += 1;
            }
        }
        let registrar = registrars.get(*registrar_index).context("no registrar")?;
        let criminal = registration.context.forms.iter().any(|f| f.as_str() == "criminal_activities");
        let irregular = registration.context.vulnerabilities.contains(&Vulnerability::IrregularMigrationStatus);
        if registrar.investigator && matters < 7 && (criminal || irregular) {
            let offence = if criminal {
                pick(
                    g.rng,
                    &[
                        "Theft from supermarkets (shoplifting)",
                        "Possession of narcotic substances for distribution",
                        "Pickpocketing on public transport",
                        "Cultivation of cannabis in a rented house",
                    ],
                )
            } else {
                pick(g.rng, &["Use of a forged identity document", "Illegal stay (administrative offence)"])
            };
            let reference = format!("{}-{:05}", country.code(), g.rng.random_range(0..100_000));
            let recorded_on = days(rg, -g.rng.random_range(5..=40))?;
            let added = days(rg, g.rng.random_range(0..=5))?.min(today);
            let authority = pick(g.rng, country.courts());
            steps.push((added, Action::CriminalMatter { offence, authority, reference, recorded_on, compelled: true }));
            if matters == 0 {
                steps.push((
                    added,
                    Action::CriminalMatter {
                        offence: "Driving without a valid licence",
                        authority,
                        reference: format!("{}-{:05}", country.code(), g.rng.random_range(0..100_000)),
                        recorded_on: days(recorded_on, -200)?,
                        compelled: false,
                    },
                ));
            }
            matters += 1;
        }
    }

    let mut planned = Vec::with_capacity(cases.len());
    for Pending { registrar, country, outcome, registration, steps, .. } in cases {
        let steps = g.timed(steps);
        planned.push(CasePlan { registrar, country, outcome, registration, steps });
    }

    let mut notifications = Vec::with_capacity(NOTIFICATIONS);
    for _ in 0..NOTIFICATIONS {
        let country = weighted(g.rng, &[(Country::Lv, 45), (Country::Ee, 27), (Country::Lt, 28)]);
        let choices: Vec<(usize, u32)> =
            registrars.iter().enumerate().filter(|(_, r)| r.country == country).map(|(i, r)| (i, r.weight)).collect();
        if choices.is_empty() {
            anyhow::bail!("no organisation files notifications in {}", country.code());
        }
        let registrar = weighted(g.rng, &choices);
        let notified_on = days(today, -g.rng.random_range(0..=HISTORY_DAYS))?;
        let sex = weighted(g.rng, &[("female", 60), ("male", 38), ("unknown", 2)]);
        let age_group = weighted(g.rng, &[("18_24", 30), ("25_34", 35), ("35_44", 20), ("45_54", 10), ("55_64", 5)]);
        let origin = weighted(g.rng, country.origins());
        let citizenship = if g.rng.random_bool(0.1) { "unknown".to_owned() } else { origin.citizenship().to_owned() };
        let person = Person {
            origin,
            sex: if sex == "male" { Sex::Male } else { Sex::Female },
            child: false,
            age_at_referral: 30,
        };
        let forms = g.forms(&person, None).into_iter().map(str::to_owned).collect();
        let at = g.time_on(notified_on, None);
        notifications.push(NotificationPlan { registrar, at, notified_on, sex, age_group, citizenship, forms });
    }
    Ok(Plan { cases: planned, notifications })
}
