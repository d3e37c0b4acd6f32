//! A synthetic national register of presumed victims: persons of several origins, each registered
//! once or more by the police, NGOs, a labour inspectorate and others, every registration written
//! as that agency would write it. Names are drawn with skewed frequencies from large made-up
//! vocabularies (a few names are very common, most are rare); Cyrillic names are spelt through the
//! transliteration each agency uses or left in Cyrillic; given and family names are swapped,
//! mistyped or stripped of diacritics; dates of birth are wrong, missing or replaced by an age
//! estimate; sex, citizenship and documents are often missing. Every name and number is invented.

use anyhow::{Context, Result};
use haven_domain::case::{CalendarDate, Sex};
use haven_domain::ident::age::AgeRange;
use haven_domain::ident::forms::FormId;
use haven_domain::ident::record::{Consent, DocumentKind, IdentityDocument, PersonDetails, Registration};
use haven_domain::org::CountryCode;
use rand::Rng;
use rand::rngs::StdRng;
use rand::seq::SliceRandom;

/// Where a person comes from: names, script, citizenship and language.
struct Origin {
    citizenship: &'static str,
    language: &'static str,
    cyrillic: bool,
    /// Share of the country's registrations.
    weight: u32,
    given_male: &'static [&'static str],
    given_female: &'static [&'static str],
    /// Family names: root + suffix (masculine, feminine); compounds of two roots make the long tail.
    roots: &'static [&'static str],
    suffixes: &'static [(&'static str, &'static str)],
    /// Family names with their real, very skewed frequencies, instead of roots (Vietnamese).
    fixed_family: &'static [(&'static str, u32)],
    /// Vietnamese middle names (male, female), written before the given name.
    middle: Option<(&'static [&'static str], &'static [&'static str])>,
    /// Women often change their family name at marriage, the earlier one recorded or not.
    marriage_names: bool,
}

const ORIGINS: &[Origin] = &[
    Origin {
        citizenship: "LV",
        language: "lv",
        cyrillic: false,
        weight: 33,
        given_male: &[
            "Jānis",
            "Andris",
            "Pēteris",
            "Mārtiņš",
            "Edgars",
            "Māris",
            "Aivars",
            "Juris",
            "Artūrs",
            "Kristaps",
            "Roberts",
            "Raivis",
            "Gints",
            "Oskars",
            "Valdis",
            "Ivars",
            "Normunds",
            "Uldis",
            "Dainis",
            "Guntis",
            "Kārlis",
            "Arvīds",
            "Ēriks",
            "Toms",
            "Rihards",
            "Emīls",
            "Reinis",
            "Ģirts",
            "Aigars",
            "Egils",
        ],
        given_female: &[
            "Anna",
            "Ilze",
            "Inese",
            "Kristīne",
            "Laura",
            "Līga",
            "Dace",
            "Sanita",
            "Ieva",
            "Evija",
            "Zane",
            "Agnese",
            "Baiba",
            "Linda",
            "Santa",
            "Elīna",
            "Marta",
            "Dita",
            "Ināra",
            "Sandra",
            "Gunta",
            "Aija",
            "Rūta",
            "Signe",
            "Anete",
            "Madara",
            "Elza",
            "Jolanta",
            "Vita",
            "Daiga",
        ],
        roots: &[
            "Bērz",
            "Kaln",
            "Ozol",
            "Liep",
            "Krūm",
            "Egl",
            "Vītol",
            "Zar",
            "Kļav",
            "Pried",
            "Jaunzem",
            "Balod",
            "Strazd",
            "Vanag",
            "Sīl",
            "Avot",
            "Lāc",
            "Zvirbul",
            "Dzen",
            "Rozent",
            "Grīnberg",
            "Sproģ",
            "Apin",
            "Kārkl",
            "Lapsiņ",
            "Mež",
            "Pur",
            "Skuj",
            "Vilk",
            "Zeltiņ",
            "Ābol",
            "Bite",
            "Cīrul",
            "Dukur",
            "Gail",
            "Irbīt",
            "Jakovļev",
            "Kalnač",
            "Lūk",
            "Mucen",
        ],
        suffixes: &[
            ("iņš", "iņa"),
            ("s", "a"),
            ("ītis", "īte"),
            ("ens", "ena"),
            ("nieks", "niece"),
            ("ovs", "ova"),
            ("ulis", "ule"),
            ("kalns", "kalna"),
        ],
        fixed_family: &[],
        middle: None,
        marriage_names: true,
    },
    Origin {
        citizenship: "UA",
        language: "uk",
        cyrillic: true,
        weight: 16,
        given_male: &[
            "Олександр",
            "Андрій",
            "Сергій",
            "Дмитро",
            "Іван",
            "Микола",
            "Юрій",
            "Олег",
            "Віктор",
            "Володимир",
            "Максим",
            "Богдан",
            "Тарас",
            "Василь",
            "Петро",
            "Євген",
            "Ігор",
            "Роман",
            "Артем",
            "Григорій",
        ],
        given_female: &[
            "Олена",
            "Наталія",
            "Юлія",
            "Ірина",
            "Оксана",
            "Тетяна",
            "Світлана",
            "Марія",
            "Анна",
            "Катерина",
            "Людмила",
            "Галина",
            "Вікторія",
            "Ольга",
            "Анастасія",
            "Євгенія",
            "Христина",
            "Яна",
            "Надія",
            "Софія",
        ],
        roots: &[
            "Ковал",
            "Шевч",
            "Бондар",
            "Ткач",
            "Кравч",
            "Олійн",
            "Мельнич",
            "Гончар",
            "Лисен",
            "Руд",
            "Савч",
            "Мороз",
            "Павл",
            "Марч",
            "Кузьм",
            "Климен",
            "Петр",
            "Гриц",
            "Левч",
            "Остап",
            "Поліщ",
            "Кушнір",
            "Сидор",
            "Швед",
            "Яковл",
            "Жук",
            "Гуменю",
            "Дячен",
            "Зінч",
            "Карп",
            "Хоменк",
            "Юрч",
            "Щерб",
            "Цимбал",
            "Федор",
            "Дорош",
        ],
        suffixes: &[("енко", "енко"), ("ук", "ук"), ("ов", "ова"), ("ський", "ська"), ("ич", "ич"), ("ин", "іна")],
        fixed_family: &[],
        middle: None,
        marriage_names: true,
    },
    Origin {
        citizenship: "RU",
        language: "ru",
        cyrillic: true,
        weight: 8,
        given_male: &[
            "Александр",
            "Сергей",
            "Дмитрий",
            "Андрей",
            "Алексей",
            "Иван",
            "Михаил",
            "Николай",
            "Владимир",
            "Евгений",
            "Юрий",
            "Максим",
            "Артём",
            "Павел",
            "Денис",
        ],
        given_female: &[
            "Елена",
            "Наталья",
            "Ольга",
            "Татьяна",
            "Ирина",
            "Светлана",
            "Юлия",
            "Анна",
            "Екатерина",
            "Мария",
            "Ксения",
            "Дарья",
            "Алёна",
            "Жанна",
            "Людмила",
        ],
        roots: &[
            "Иван",
            "Смирн",
            "Кузнецов",
            "Попов",
            "Васильев",
            "Петров",
            "Соколов",
            "Михайлов",
            "Новиков",
            "Фёдоров",
            "Морозов",
            "Волков",
            "Алексеев",
            "Лебедев",
            "Семёнов",
            "Егоров",
            "Павлов",
            "Козлов",
            "Степанов",
            "Николаев",
            "Орлов",
            "Андреев",
            "Макаров",
            "Никитин",
            "Захаров",
            "Зайцев",
            "Соловьёв",
            "Борисов",
            "Яковлев",
            "Григорьев",
        ],
        suffixes: &[("", "а"), ("ский", "ская"), ("ич", "ич"), ("енко", "енко")],
        fixed_family: &[],
        middle: None,
        marriage_names: true,
    },
    Origin {
        citizenship: "BY",
        language: "be",
        cyrillic: true,
        weight: 4,
        given_male: &["Аляксандр", "Сяргей", "Андрэй", "Дзмітрый", "Ігар", "Павел", "Уладзімір", "Віктар"],
        given_female: &["Алена", "Наталля", "Вольга", "Таццяна", "Ірына", "Святлана", "Юлія", "Ганна"],
        roots: &["Шаўч", "Кавал", "Мельнік", "Казлоў", "Навум", "Лукаш", "Багдан", "Жук", "Сідар", "Кляцк"],
        suffixes: &[("энка", "энка"), ("ук", "ук"), ("ович", "ович"), ("ін", "іна")],
        fixed_family: &[],
        middle: None,
        marriage_names: true,
    },
    Origin {
        citizenship: "LT",
        language: "lt",
        cyrillic: false,
        weight: 6,
        given_male: &[
            "Jonas",
            "Tomas",
            "Mantas",
            "Darius",
            "Andrius",
            "Vytautas",
            "Paulius",
            "Rokas",
            "Lukas",
            "Marius",
            "Žygimantas",
            "Giedrius",
        ],
        given_female: &[
            "Rūta", "Eglė", "Jurgita", "Inga", "Laura", "Greta", "Agnė", "Ieva", "Rasa", "Kristina", "Aušra", "Dalia",
        ],
        roots: &[
            "Kazl",
            "Jankausk",
            "Petrausk",
            "Stankev",
            "Vasiliausk",
            "Žukausk",
            "Butk",
            "Paul",
            "Urbon",
            "Kavaliausk",
            "Baran",
            "Navick",
            "Ramanausk",
            "Šimk",
            "Žilinsk",
            "Mockut",
            "Kairy",
            "Balt",
        ],
        suffixes: &[("as", "ienė"), ("is", "ienė"), ("us", "ienė"), ("ūnas", "ūnienė"), ("evičius", "evičienė")],
        fixed_family: &[],
        middle: None,
        marriage_names: true,
    },
    Origin {
        citizenship: "EE",
        language: "et",
        cyrillic: false,
        weight: 3,
        given_male: &["Andres", "Toomas", "Mart", "Jaan", "Rein", "Priit", "Margus", "Tõnu", "Siim", "Kristjan"],
        given_female: &["Kristel", "Triin", "Maarja", "Liis", "Kadri", "Tiina", "Piret", "Anu", "Kersti", "Mari"],
        roots: &[
            "Tamm", "Saar", "Sepp", "Mägi", "Kask", "Kukk", "Rebane", "Ilves", "Pärn", "Koppel", "Lepik", "Kuusk",
            "Mets", "Raud", "Vaino", "Laur",
        ],
        suffixes: &[("", ""), ("e", "e"), ("ik", "ik"), ("berg", "berg"), ("mäe", "mäe"), ("ste", "ste")],
        fixed_family: &[],
        middle: None,
        marriage_names: true,
    },
    Origin {
        citizenship: "RO",
        language: "ro",
        cyrillic: false,
        weight: 10,
        given_male: &[
            "Ion",
            "Andrei",
            "Mihai",
            "Alexandru",
            "Florin",
            "Gheorghe",
            "Vasile",
            "Constantin",
            "Ionuț",
            "Marian",
            "Nicolae",
            "Adrian",
            "Cristian",
            "Ștefan",
        ],
        given_female: &[
            "Maria",
            "Elena",
            "Ioana",
            "Andreea",
            "Mihaela",
            "Alina",
            "Florentina",
            "Gabriela",
            "Daniela",
            "Ana",
            "Ramona",
            "Cristina",
        ],
        roots: &[
            "Pop",
            "Ion",
            "Stan",
            "Dumitr",
            "Constantin",
            "Gheorgh",
            "Stoic",
            "Rad",
            "Munt",
            "Lup",
            "Ciobot",
            "Vasil",
            "Marin",
            "Tudor",
            "Dinu",
            "Barb",
            "Florea",
            "Nistor",
            "Moldov",
            "Păun",
            "Surdu",
            "Toma",
        ],
        suffixes: &[("escu", "escu"), ("eanu", "eanu"), ("a", "a"), ("u", "u"), ("ache", "ache"), ("oiu", "oiu")],
        fixed_family: &[],
        middle: None,
        marriage_names: true,
    },
    Origin {
        citizenship: "VN",
        language: "vi",
        cyrillic: false,
        weight: 6,
        given_male: &["Hùng", "Dũng", "Tuấn", "Nam", "Hải", "Long", "Quang", "Minh", "Thắng", "Cường", "Sơn"],
        given_female: &["Hoa", "Lan", "Linh", "Hương", "Mai", "Trang", "Thảo", "Phương", "Ngọc", "Hằng", "Nhung"],
        roots: &[],
        suffixes: &[],
        fixed_family: &[
            ("Nguyễn", 380),
            ("Trần", 110),
            ("Lê", 95),
            ("Phạm", 70),
            ("Hoàng", 50),
            ("Huỳnh", 40),
            ("Phan", 45),
            ("Vũ", 39),
            ("Võ", 30),
            ("Đặng", 21),
            ("Bùi", 20),
            ("Đỗ", 14),
            ("Hồ", 13),
            ("Ngô", 13),
            ("Dương", 10),
            ("Lý", 5),
            ("Trịnh", 5),
            ("Đinh", 5),
            ("Lương", 4),
            ("Mai", 4),
        ],
        middle: Some((&["Văn", "Đức", "Minh", "Hữu", "Quốc", "Thanh"], &["Thị", "Ngọc", "Thanh", "Thu", "Kim"])),
        marriage_names: false,
    },
    Origin {
        citizenship: "NG",
        language: "en",
        cyrillic: false,
        weight: 8,
        given_male: &[
            "Chinedu",
            "Emeka",
            "Oluwaseun",
            "Adebayo",
            "Ibrahim",
            "Musa",
            "Tunde",
            "Ifeanyi",
            "Kelechi",
            "Uche",
            "Sunday",
            "Godwin",
        ],
        given_female: &[
            "Blessing",
            "Joy",
            "Chiamaka",
            "Ngozi",
            "Funmilayo",
            "Aisha",
            "Grace",
            "Precious",
            "Favour",
            "Esther",
            "Adaeze",
            "Yetunde",
        ],
        roots: &["Ade", "Olu", "Oke", "Nwa", "Chi", "Oba", "Ogun", "Ola", "Eze", "Ifea", "Obi", "Bala", "Uzo"],
        suffixes: &[
            ("yemi", "yemi"),
            ("kunle", "kunle"),
            ("bayo", "bayo"),
            ("wale", "wale"),
            ("nso", "nso"),
            ("oma", "oma"),
            ("chukwu", "chukwu"),
            ("for", "for"),
            ("gun", "gun"),
        ],
        fixed_family: &[],
        middle: None,
        marriage_names: false,
    },
    Origin {
        citizenship: "MD",
        language: "ro",
        cyrillic: false,
        weight: 6,
        given_male: &["Ion", "Vasile", "Sergiu", "Victor", "Igor", "Dumitru", "Vladimir", "Andrei", "Nicolae"],
        given_female: &["Ana", "Natalia", "Olga", "Tatiana", "Elena", "Irina", "Svetlana", "Victoria", "Lilia"],
        roots: &["Rusu", "Ceban", "Ciobanu", "Cebot", "Lung", "Munte", "Rotar", "Turcan", "Bălan", "Sârbu"],
        suffixes: &[("", ""), ("u", "u"), ("ari", "ari"), ("escu", "escu")],
        fixed_family: &[],
        middle: None,
        marriage_names: true,
    },
];

/// The agencies that register presumed victims: name, kind, share of registrations, and the
/// transliteration each uses for Cyrillic names.
pub const AGENCIES: &[(&str, &str, u32, Scheme)] = &[
    ("State Police – Anti-Trafficking Unit", "police", 18, Scheme::Icao),
    ("State Police – Regional Administration East", "police", 8, Scheme::Latvian),
    ("State Police – Regional Administration West", "police", 6, Scheme::Latvian),
    ("State Border Guard", "border_guard", 12, Scheme::Icao),
    ("State Labour Inspectorate", "labour_inspectorate", 10, Scheme::Latvian),
    ("Resource Centre for Women Marta", "ngo", 12, Scheme::English),
    ("Shelter Safe House", "ngo", 10, Scheme::English),
    ("Caritas Migrant Support", "ngo", 6, Scheme::German),
    ("City Social Service", "social_services", 8, Scheme::Latvian),
    ("State Inspectorate for Protection of Children's Rights", "child_protection_service", 4, Scheme::Latvian),
    ("International Organization for Migration – Country Office", "ngo", 6, Scheme::English),
];

/// A way of writing Cyrillic in Latin letters.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Scheme {
    /// ICAO Doc 9303, as in machine-readable passports.
    Icao,
    /// English-speaking practice (BGN/PCGN-like: y for й, ya, yu).
    English,
    /// German practice (sch, tsch, w, j).
    German,
    /// Latvian practice (š, č, ž, j; a masculine -s added to consonant endings).
    Latvian,
}

fn translit(c: char, scheme: Scheme) -> Option<&'static str> {
    use Scheme::*;
    let s = match (c, scheme) {
        ('а', _) => "a",
        ('б', _) => "b",
        ('в', German) => "w",
        ('в', _) => "v",
        ('г', _) => "g",
        ('ґ', _) => "g",
        ('д', _) => "d",
        ('е', _) => "e",
        ('ё', German) => "jo",
        ('ё', English) => "yo",
        ('ё', _) => "e",
        ('є', Icao) => "ie",
        ('є', English) => "ye",
        ('є', _) => "je",
        ('ж', German) => "sch",
        ('ж', Latvian) => "ž",
        ('ж', _) => "zh",
        ('з', German) => "s",
        ('з', _) => "z",
        ('и', Icao | English) => "y",
        ('и', _) => "i",
        ('і', _) => "i",
        ('ї', English) => "yi",
        ('ї', Icao) => "i",
        ('ї', _) => "ji",
        ('й', English) => "y",
        ('й', Icao) => "i",
        ('й', _) => "j",
        ('к', _) => "k",
        ('л', _) => "l",
        ('м', _) => "m",
        ('н', _) => "n",
        ('о', _) => "o",
        ('п', _) => "p",
        ('р', _) => "r",
        ('с', _) => "s",
        ('т', _) => "t",
        ('у', German) => "u",
        ('у', _) => "u",
        ('ў', _) => "u",
        ('ф', _) => "f",
        ('х', German) => "ch",
        ('х', Latvian) => "h",
        ('х', _) => "kh",
        ('ц', German) => "z",
        ('ц', Latvian) => "c",
        ('ц', _) => "ts",
        ('ч', German) => "tsch",
        ('ч', Latvian) => "č",
        ('ч', _) => "ch",
        ('ш', German) => "sch",
        ('ш', Latvian) => "š",
        ('ш', _) => "sh",
        ('щ', German) => "schtsch",
        ('щ', Latvian) => "šč",
        ('щ', _) => "shch",
        ('ъ', Icao) => "ie",
        ('ъ', _) => "",
        ('ы', Latvian) => "i",
        ('ы', _) => "y",
        ('ь', _) => "",
        ('э', _) => "e",
        ('ю', Icao) => "iu",
        ('ю', English) => "yu",
        ('ю', _) => "ju",
        ('я', Icao) => "ia",
        ('я', English) => "ya",
        ('я', _) => "ja",
        ('\'', _) | ('’', _) => "",
        _ => return None,
    };
    Some(s)
}

/// `name` (Cyrillic) in Latin letters by `scheme`; letters outside the table are kept.
pub fn transliterate(name: &str, scheme: Scheme, male: bool) -> String {
    let mut out = String::with_capacity(name.len() + 4);
    for word in name.split(' ') {
        if !out.is_empty() {
            out.push(' ');
        }
        let mut w = String::new();
        for c in word.chars() {
            let lower = c.to_lowercase().next().unwrap_or(c);
            match translit(lower, scheme) {
                Some(t) => w.push_str(t),
                None => w.push(lower),
            }
        }
        if scheme == Scheme::Latvian && male && w.ends_with(|c: char| !"aeiouy".contains(c)) {
            w.push('s');
        }
        out.push_str(&capitalise(&w));
    }
    out
}

fn capitalise(w: &str) -> String {
    let mut chars = w.chars();
    match chars.next() {
        Some(first) => first.to_uppercase().chain(chars).collect(),
        None => String::new(),
    }
}

/// Latin letters without their diacritics, as a keyboard without them writes a name.
pub fn strip_diacritics(s: &str) -> String {
    s.chars()
        .map(|c| match c {
            'ā' | 'á' | 'à' | 'ă' | 'â' | 'ą' | 'ã' | 'ạ' | 'ả' | 'ấ' | 'ầ' | 'ậ' | 'ẩ' | 'ắ' => {
                'a'
            }
            'Ā' | 'Á' | 'À' | 'Ă' | 'Â' => 'A',
            'č' | 'ç' => 'c',
            'Č' => 'C',
            'ē' | 'é' | 'è' | 'ė' | 'ę' | 'ê' | 'ế' | 'ề' | 'ệ' | 'ể' => 'e',
            'Ē' | 'É' | 'Ė' => 'E',
            'ģ' => 'g',
            'Ģ' => 'G',
            'ī' | 'í' | 'ì' | 'į' | 'î' | 'ị' | 'ỉ' => 'i',
            'Ī' | 'Í' => 'I',
            'ķ' => 'k',
            'Ķ' => 'K',
            'ļ' => 'l',
            'Ļ' => 'L',
            'ņ' => 'n',
            'Ņ' => 'N',
            'ō' | 'ó' | 'ò' | 'õ' | 'ö' | 'ô' | 'ơ' | 'ọ' | 'ố' | 'ồ' | 'ộ' | 'ở' | 'ờ' | 'ợ' => {
                'o'
            }
            'Ö' | 'Õ' | 'Ō' | 'Ó' => 'O',
            'š' | 'ș' | 'ş' => 's',
            'Š' | 'Ș' => 'S',
            'ț' | 'ţ' => 't',
            'Ț' => 'T',
            'ū' | 'ú' | 'ù' | 'ü' | 'ų' | 'ư' | 'ụ' | 'ủ' | 'ứ' | 'ừ' | 'ữ' => 'u',
            'Ū' | 'Ú' | 'Ü' => 'U',
            'ý' | 'ỳ' | 'ỹ' => 'y',
            'ž' => 'z',
            'Ž' => 'Z',
            'đ' => 'd',
            'Đ' => 'D',
            other => other,
        })
        .collect()
}

/// Draws ranks 0..n with weights 1/(rank+1)^s.
struct Zipf {
    cumulative: Vec<f64>,
}

impl Zipf {
    fn new(n: usize, s: f64) -> Zipf {
        Zipf::weighted((0..n).map(|k| 1.0 / ((k + 1) as f64).powf(s)))
    }

    fn weighted(weights: impl Iterator<Item = f64>) -> Zipf {
        let mut total = 0.0;
        let cumulative = weights
            .map(|w| {
                total += w;
                total
            })
            .collect();
        Zipf { cumulative }
    }

    fn draw(&self, rng: &mut StdRng) -> usize {
        let total = self.cumulative.last().copied().unwrap_or(0.0);
        let x = rng.random::<f64>() * total;
        self.cumulative.partition_point(|c| *c <= x).min(self.cumulative.len().saturating_sub(1))
    }
}

/// An origin's family-name vocabulary, most common first.
struct FamilyNames {
    names: Vec<(String, String)>,
    draw: Zipf,
}

fn family_vocabulary(origin: &Origin, rng: &mut StdRng) -> FamilyNames {
    if !origin.fixed_family.is_empty() {
        let names = origin.fixed_family.iter().map(|(n, _)| ((*n).to_owned(), (*n).to_owned())).collect();
        let draw = Zipf::weighted(origin.fixed_family.iter().map(|(_, w)| f64::from(*w)));
        return FamilyNames { names, draw };
    }
    let mut simple: Vec<(String, String)> = Vec::new();
    for root in origin.roots {
        for (m, f) in origin.suffixes {
            simple.push((format!("{root}{m}"), format!("{root}{f}")));
        }
    }
    simple.shuffle(rng);
    let mut compound: Vec<(String, String)> = Vec::new();
    for a in origin.roots {
        for b in origin.roots {
            if a == b {
                continue;
            }
            let b = b.to_lowercase();
            for (m, f) in origin.suffixes {
                compound.push((format!("{a}{b}{m}"), format!("{a}{b}{f}")));
            }
        }
    }
    compound.shuffle(rng);
    compound.truncate(6000);
    simple.extend(compound);
    let draw = Zipf::new(simple.len(), 0.75);
    FamilyNames { names: simple, draw }
}

/// A real (synthetic) person: what is true of them.
pub struct TruePerson {
    origin: usize,
    female: bool,
    given: String,
    family: String,
    /// The family name before marriage, when it changed.
    maiden: Option<String>,
    birth: CalendarDate,
    passport: Option<String>,
    /// The agency that met the person first.
    home_agency: usize,
}

/// The generator: persons, and registrations of them as each agency writes them.
pub struct Register {
    rng: StdRng,
    today: CalendarDate,
    families: Vec<FamilyNames>,
    given_male: Vec<Zipf>,
    given_female: Vec<Zipf>,
    origin_draw: Zipf,
    agency_draw: Zipf,
    pub persons: Vec<TruePerson>,
    forms: Vec<(FormId, u32)>,
}

impl Register {
    pub fn new(mut rng: StdRng, today: CalendarDate) -> Result<Register> {
        let families = ORIGINS.iter().map(|o| family_vocabulary(o, &mut rng)).collect();
        let given_male = ORIGINS.iter().map(|o| Zipf::new(o.given_male.len(), 1.0)).collect();
        let given_female = ORIGINS.iter().map(|o| Zipf::new(o.given_female.len(), 1.0)).collect();
        let origin_draw = Zipf::weighted(ORIGINS.iter().map(|o| f64::from(o.weight)));
        let agency_draw = Zipf::weighted(AGENCIES.iter().map(|a| f64::from(a.2)));
        let mut forms = Vec::new();
        for (id, w) in
            [("sexual", 45), ("forced_labour", 35), ("begging", 6), ("criminal_activities", 9), ("servitude", 5)]
        {
            forms.push((FormId::parse("form", id).context("a form of exploitation")?, w));
        }
        Ok(Register {
            rng,
            today,
            families,
            given_male,
            given_female,
            origin_draw,
            agency_draw,
            persons: Vec::new(),
            forms,
        })
    }

    /// A new person; returns its index.
    pub fn new_person(&mut self) -> Result<usize> {
        let rng = &mut self.rng;
        let oi = self.origin_draw.draw(rng);
        let origin = ORIGINS.get(oi).context("an origin")?;
        let female = rng.random_bool(0.7);
        let given = if female {
            origin.given_female.get(self.given_female[oi].draw(rng))
        } else {
            origin.given_male.get(self.given_male[oi].draw(rng))
        }
        .context("a given name")?;
        let given = match origin.middle {
            Some((m, f)) => {
                let middles = if female { f } else { m };
                format!("{} {given}", middles[rng.random_range(0..middles.len())])
            }
            None => (*given).to_owned(),
        };
        let fam = &self.families[oi];
        let (m, f) = fam.names.get(fam.draw.draw(rng)).context("a family name")?;
        let mut family = if female { f.clone() } else { m.clone() };
        // Ages 12 to 60 on the day of referral, mostly young adults.
        let age: i64 = match rng.random_range(0..100) {
            0..18 => rng.random_range(12..18),
            18..70 => rng.random_range(18..35),
            _ => rng.random_range(35..61),
        };
        let birth =
            self.today.add_days(-(age * 365 + rng.random_range(0..365))).context("a date of birth out of range")?;
        let mut maiden = None;
        if origin.marriage_names && female && age >= 22 && rng.random_bool(0.25) {
            let (m2, f2) = fam.names.get(fam.draw.draw(rng)).context("a family name")?;
            let married = if female { f2.clone() } else { m2.clone() };
            maiden = Some(std::mem::replace(&mut family, married));
        }
        let passport = rng.random_bool(0.6).then(|| {
            format!(
                "{}{}{:07}",
                origin.citizenship,
                char::from(b'A' + rng.random_range(0..26u8)),
                rng.random_range(0..10_000_000u32)
            )
        });
        let home_agency = self.agency_draw.draw(rng);
        self.persons.push(TruePerson { origin: oi, female, given, family, maiden, birth, passport, home_agency });
        Ok(self.persons.len() - 1)
    }

    /// How many registrations a new person gets in a register: most one, some two to four.
    pub fn registrations_per_person(&mut self) -> usize {
        match self.rng.random_range(0..100) {
            0..70 => 1,
            70..90 => 2,
            90..97 => 3,
            _ => 4,
        }
    }

    /// The agency of a person's `k`-th registration: the first meets them; later ones are mostly
    /// other agencies (referrals between police, NGOs and inspectors), sometimes the same one again.
    pub fn agency_for(&mut self, person: usize, k: usize) -> usize {
        let home = self.persons.get(person).map_or(0, |p| p.home_agency);
        if k == 0 || self.rng.random_bool(0.2) {
            return home;
        }
        loop {
            let a = self.agency_draw.draw(&mut self.rng);
            if a != home {
                return a;
            }
        }
    }

    /// A registration of `person` as `agency` writes it.
    pub fn registration(&mut self, person: usize, agency: usize) -> Result<Registration> {
        let p = self.persons.get(person).context("no such person")?;
        let origin = ORIGINS.get(p.origin).context("an origin")?;
        let scheme = AGENCIES.get(agency).map_or(Scheme::Icao, |a| a.3);
        let rng = &mut self.rng;
        // Names as written.
        let family_now = match &p.maiden {
            // Some registrations still carry the family name before marriage.
            Some(m) if rng.random_bool(0.2) => m.clone(),
            _ => p.family.clone(),
        };
        let (mut given, mut family) = if origin.cyrillic {
            if rng.random_bool(0.1) {
                (p.given.clone(), family_now)
            } else {
                let scheme = if rng.random_bool(0.7) {
                    scheme
                } else {
                    [Scheme::Icao, Scheme::English, Scheme::German, Scheme::Latvian][rng.random_range(0..4)]
                };
                (transliterate(&p.given, scheme, !p.female), transliterate(&family_now, scheme, !p.female))
            }
        } else if rng.random_bool(if p.origin == 0 { 0.15 } else { 0.5 }) {
            (strip_diacritics(&p.given), strip_diacritics(&family_now))
        } else {
            (p.given.clone(), family_now)
        };
        if rng.random_bool(0.12) {
            given = typo(rng, &given);
        }
        if rng.random_bool(0.12) {
            family = typo(rng, &family);
        }
        let swap = match origin.citizenship {
            "VN" => 0.35,
            "NG" => 0.25,
            _ => 0.1,
        };
        if rng.random_bool(swap) {
            std::mem::swap(&mut given, &mut family);
        }
        let mut person = PersonDetails {
            given_names: given,
            family_names: family,
            sex: if rng.random_bool(0.94) { if p.female { Sex::Female } else { Sex::Male } } else { Sex::Unknown },
            languages: vec![origin.language.to_owned()],
            ..PersonDetails::default()
        };
        if let Some(m) = &p.maiden
            && rng.random_bool(0.3)
            && person.family_names != *m
        {
            person.previous_family_names.push(m.clone());
        }
        // The date of birth: right, wrong, or only an age estimate.
        let age = age_on(p.birth, self.today);
        match rng.random_range(0..100) {
            0..58 => person.date_of_birth = Some(p.birth),
            58..68 => person.date_of_birth = Some(wrong_date(rng, p.birth)),
            68..88 => {
                let lo = age.saturating_sub(rng.random_range(1..4)).max(10);
                let hi = (age + rng.random_range(1..4)).min(90);
                person.age_estimate = AgeRange::new(lo, hi).ok();
                person.reasons_to_believe_child = lo < 18;
            }
            _ => {}
        }
        if rng.random_bool(0.85) {
            person.citizenships.push(CountryCode::parse("citizenship", origin.citizenship)?);
        }
        if let Some(number) = &p.passport
            && rng.random_bool(0.45)
        {
            let number = if rng.random_bool(0.05) { typo(rng, number) } else { number.clone() };
            person.documents.push(IdentityDocument {
                kind: DocumentKind::Passport,
                number,
                issuing_country: CountryCode::parse("country", origin.citizenship).ok(),
            });
        }
        let total: u32 = self.forms.iter().map(|(_, w)| *w).sum();
        let mut pick = rng.random_range(0..total.max(1));
        let mut form = None;
        for (f, w) in &self.forms {
            if pick < *w {
                form = Some(f.clone());
                break;
            }
            pick -= w;
        }
        let mut registration = Registration { person, ..Registration::default() };
        registration.context.forms.extend(form);
        registration.support_consent = Some(Consent {
            given: true,
            date: self.today,
            language: origin.language.to_owned(),
            informed_by: AGENCIES.get(agency).map_or("an agency", |a| a.0).to_owned(),
        });
        Ok(registration)
    }

    /// What someone searching for `person` types: a name as some agency spells it, and half the
    /// time the date of birth.
    pub fn search_terms(&mut self, person: usize) -> Result<(String, Option<CalendarDate>)> {
        let agency = self.rng.random_range(0..AGENCIES.len());
        let reg = self.registration(person, agency)?;
        let p = &reg.person;
        let name = format!("{} {}", p.given_names, p.family_names).trim().to_owned();
        let dob = if self.rng.random_bool(0.5) { self.persons.get(person).map(|t| t.birth) } else { None };
        Ok((name, dob))
    }

    pub fn random_person(&mut self) -> usize {
        self.rng.random_range(0..self.persons.len().max(1))
    }

    pub fn coin(&mut self, p: f64) -> bool {
        self.rng.random_bool(p)
    }
}

fn age_on(birth: CalendarDate, on: CalendarDate) -> u8 {
    let mut age = i32::from(on.year) - i32::from(birth.year);
    if (on.month, on.day) < (birth.month, birth.day) {
        age -= 1;
    }
    u8::try_from(age.clamp(0, 120)).unwrap_or(0)
}

/// A date of birth written wrong: day and month swapped, a day or a year off, or 1 January.
fn wrong_date(rng: &mut StdRng, d: CalendarDate) -> CalendarDate {
    let candidate = match rng.random_range(0..4) {
        0 => CalendarDate { year: d.year, month: d.day, day: d.month },
        1 => CalendarDate { year: d.year, month: d.month, day: if d.day > 1 { d.day - 1 } else { d.day + 1 } },
        2 => CalendarDate { year: d.year + 1, month: d.month, day: d.day.min(28) },
        _ => CalendarDate { year: d.year, month: 1, day: 1 },
    };
    match CalendarDate::parse("date_of_birth", &candidate.to_string()) {
        Ok(ok) => ok,
        Err(_) => CalendarDate { year: d.year, month: d.month, day: d.day.min(28) },
    }
}

/// One typing error: a letter dropped, doubled, replaced by a neighbour, or two swapped.
fn typo(rng: &mut StdRng, s: &str) -> String {
    let mut chars: Vec<char> = s.chars().collect();
    if chars.len() < 4 {
        return s.to_owned();
    }
    let i = rng.random_range(1..chars.len() - 1);
    match rng.random_range(0..4) {
        0 => {
            chars.remove(i);
        }
        1 => {
            let c = chars[i];
            chars.insert(i, c);
        }
        2 => {
            let keys = "qwertyuiopasdfghjklzxcvbnm";
            let k = rng.random_range(0..keys.len());
            chars[i] = keys[k..].chars().next().unwrap_or('e');
        }
        _ => chars.swap(i, i + 1),
    }
    chars.into_iter().collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use rand::SeedableRng;

    #[test]
    fn transliterates_by_each_agency_practice() {
        assert_eq!(transliterate("Олександр", Scheme::Icao, true), "Oleksandr");
        assert_eq!(transliterate("Олександр", Scheme::Latvian, true), "Oleksandrs");
        assert_eq!(transliterate("Юлія", Scheme::English, false), "Yuliya");
        assert_eq!(transliterate("Юлія", Scheme::Icao, false), "Iuliia");
        assert_eq!(transliterate("Шевченко", Scheme::German, true), "Schewtschenko");
    }

    #[test]
    fn a_register_is_the_same_for_the_same_seed_and_every_registration_normalises() {
        let today = CalendarDate { year: 2026, month: 6, day: 15 };
        let make = || -> Vec<String> {
            let mut r = Register::new(StdRng::seed_from_u64(7), today).unwrap();
            let forms = haven_domain::ident::forms::FormCatalogue::embedded().unwrap();
            (0..300)
                .map(|_| {
                    let p = r.new_person().unwrap();
                    let a = r.agency_for(p, 1);
                    let reg = r.registration(p, a).unwrap().normalise(forms).unwrap();
                    reg.check_referable(today).unwrap();
                    format!("{} {}", reg.person.given_names, reg.person.family_names)
                })
                .collect()
        };
        let a = make();
        assert_eq!(a, make());
        let distinct: std::collections::BTreeSet<&String> = a.iter().collect();
        assert!(distinct.len() > 250, "names should rarely repeat: {}", distinct.len());
    }
}
