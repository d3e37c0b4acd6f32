//! Normalisation of names as they really come: transliteration of Cyrillic and Greek, diacritic
//! folding, case, punctuation and several names in one field.

use unicode_normalization::UnicodeNormalization;
use unicode_normalization::char::is_combining_mark;

/// National variants for romanising Cyrillic. All end in plain ASCII after folding.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum CyrillicScheme {
    /// ICAO Doc 9303 (machine-readable passports): ю -> iu, я -> ia, й -> i, х -> kh.
    #[default]
    Icao,
    /// BGN/PCGN style used for Russian in much of the West: ю -> yu, я -> ya, й -> y.
    Russian,
    /// Ukrainian national system (2010): г -> h, и -> y, є -> ie, ї -> i, й -> i.
    Ukrainian,
    /// Bulgarian official system (2009): щ -> sht, ъ -> a, х -> h, ю -> yu, я -> ya.
    Bulgarian,
    /// Serbian/Macedonian Latin (Gaj) after folding: ч -> c, ш -> s, ж -> z, ђ -> dj, ј -> j.
    Serbian,
}

fn cyrillic(c: char, scheme: CyrillicScheme) -> Option<&'static str> {
    use CyrillicScheme as S;
    let lower = c.to_lowercase().next().unwrap_or(c);
    let s = match lower {
        'а' => "a",
        'б' => "b",
        'в' => "v",
        'г' => match scheme {
            S::Ukrainian => "h",
            _ => "g",
        },
        'ґ' => "g",
        'д' => "d",
        'ђ' => "dj",
        'ѓ' => "gj",
        'е' => "e",
        'ё' => match scheme {
            S::Russian => "yo",
            _ => "e",
        },
        'є' => "ie",
        'ж' => match scheme {
            S::Serbian => "z",
            _ => "zh",
        },
        'з' => "z",
        'ѕ' => "dz",
        'и' => match scheme {
            S::Ukrainian => "y",
            _ => "i",
        },
        'і' => "i",
        'ї' => "i",
        'й' => match scheme {
            S::Russian | S::Bulgarian => "y",
            _ => "i",
        },
        'ј' => "j",
        'к' => "k",
        'л' => "l",
        'љ' => "lj",
        'м' => "m",
        'н' => "n",
        'њ' => "nj",
        'о' => "o",
        'п' => "p",
        'р' => "r",
        'с' => "s",
        'т' => "t",
        'ћ' => "c",
        'ќ' => "kj",
        'у' => "u",
        'ў' => "u",
        'ф' => "f",
        'х' => match scheme {
            S::Bulgarian | S::Serbian => "h",
            _ => "kh",
        },
        'ц' => match scheme {
            S::Serbian => "c",
            _ => "ts",
        },
        'ч' => match scheme {
            S::Serbian => "c",
            _ => "ch",
        },
        'џ' => "dz",
        'ш' => match scheme {
            S::Serbian => "s",
            _ => "sh",
        },
        'щ' => match scheme {
            S::Bulgarian => "sht",
            _ => "shch",
        },
        'ъ' => match scheme {
            S::Bulgarian => "a",
            S::Icao => "ie",
            _ => "",
        },
        'ы' => "y",
        'ь' => "",
        'э' => "e",
        'ю' => match scheme {
            S::Icao | S::Ukrainian => "iu",
            _ => "yu",
        },
        'я' => match scheme {
            S::Icao | S::Ukrainian => "ia",
            _ => "ya",
        },
        _ => return None,
    };
    Some(s)
}

fn greek_letter(c: char) -> Option<&'static str> {
    let s = match c {
        'α' => "a",
        'β' => "v",
        'γ' => "g",
        'δ' => "d",
        'ε' => "e",
        'ζ' => "z",
        'η' => "i",
        'θ' => "th",
        'ι' => "i",
        'κ' => "k",
        'λ' => "l",
        'μ' => "m",
        'ν' => "n",
        'ξ' => "x",
        'ο' => "o",
        'π' => "p",
        'ρ' => "r",
        'σ' | 'ς' => "s",
        'τ' => "t",
        'υ' => "y",
        'φ' => "f",
        'χ' => "ch",
        'ψ' => "ps",
        'ω' => "o",
        _ => return None,
    };
    Some(s)
}

fn is_greek(c: char) -> bool {
    ('\u{0370}'..='\u{03FF}').contains(&c) || ('\u{1F00}'..='\u{1FFF}').contains(&c)
}

/// Romanises Greek text after ELOT 743 (the Greek passport standard), with its digraphs
/// (ου -> ou, αυ -> av, ευ -> ev, γγ -> ng, γκ -> gk, μπ -> mp).
fn greek(word: &[char], out: &mut String) {
    let mut i = 0;
    while i < word.len() {
        let c = word[i];
        let next = word.get(i + 1).copied();
        let pair = match (c, next) {
            ('ο', Some('υ')) => Some("ou"),
            ('α', Some('υ')) => Some("av"),
            ('ε', Some('υ')) => Some("ev"),
            ('γ', Some('γ')) => Some("ng"),
            ('γ', Some('κ')) => Some("gk"),
            ('μ', Some('π')) => Some("mp"),
            _ => None,
        };
        if let Some(p) = pair {
            out.push_str(p);
            i += 2;
            continue;
        }
        if let Some(s) = greek_letter(c) {
            out.push_str(s);
        }
        i += 1;
    }
}

fn latin_special(c: char) -> Option<&'static str> {
    let s = match c {
        'ß' => "ss",
        'æ' => "ae",
        'œ' => "oe",
        'ø' => "o",
        'ł' => "l",
        'đ' => "d",
        'ð' => "d",
        'þ' => "th",
        'ħ' => "h",
        'ı' => "i",
        'ŀ' => "l",
        _ => return None,
    };
    Some(s)
}

/// Transliterates to lower-case ASCII letters, digits and single spaces: Cyrillic by `scheme`,
/// Greek by ELOT 743, Latin diacritics folded (ä -> a, ł -> l, ß -> ss). Punctuation becomes a space.
pub fn fold(input: &str, scheme: CyrillicScheme) -> String {
    let mut out = String::with_capacity(input.len());
    // Greek letters are collected per word, without accents, for the digraphs.
    let mut greek_word: Vec<char> = Vec::new();
    for c in input.nfc() {
        if is_greek(c) {
            for d in c.to_lowercase().flat_map(|l| l.nfd().collect::<Vec<_>>()) {
                if !is_combining_mark(d) {
                    greek_word.push(d);
                }
            }
            continue;
        }
        if !greek_word.is_empty() {
            greek(&greek_word, &mut out);
            greek_word.clear();
        }
        if let Some(s) = cyrillic(c, scheme) {
            out.push_str(s);
            continue;
        }
        for l in c.to_lowercase() {
            if let Some(s) = latin_special(l) {
                out.push_str(s);
                continue;
            }
            for d in l.nfd() {
                if d.is_ascii_alphanumeric() {
                    out.push(d);
                } else if is_combining_mark(d) {
                    // a diacritic: dropped
                } else if d.is_alphanumeric() {
                    // a letter of another script we do not romanise: kept as is
                    out.push(d);
                } else if !out.ends_with(' ') && !out.is_empty() {
                    out.push(' ');
                }
            }
        }
    }
    if !greek_word.is_empty() {
        greek(&greek_word, &mut out);
    }
    let trimmed = out.trim_end();
    trimmed.to_string()
}

/// The tokens of a folded name sorted, so that "maria elena" and "elena maria" agree.
pub fn sorted_tokens(folded: &str) -> String {
    let mut t: Vec<&str> = folded.split(' ').filter(|t| !t.is_empty()).collect();
    t.sort_unstable();
    t.join(" ")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn folds_latin_diacritics() {
        assert_eq!(fold("Łukasz Wójcik-Nowak", CyrillicScheme::Icao), "lukasz wojcik nowak");
        assert_eq!(fold("  Müller, Straße ", CyrillicScheme::Icao), "muller strasse");
        assert_eq!(fold("Ångström Øre Ærø", CyrillicScheme::Icao), "angstrom ore aero");
    }

    #[test]
    fn cyrillic_national_variants() {
        assert_eq!(fold("Юлия", CyrillicScheme::Icao), "iuliia");
        assert_eq!(fold("Юлия", CyrillicScheme::Russian), "yuliya");
        assert_eq!(fold("Олександр Шевченко", CyrillicScheme::Ukrainian), "oleksandr shevchenko");
        assert_eq!(fold("Григорій", CyrillicScheme::Ukrainian), "hryhorii");
        assert_eq!(fold("Щерев", CyrillicScheme::Bulgarian), "sherev".replace("sh", "sht"));
        assert_eq!(fold("Ђорђе Јовановић", CyrillicScheme::Serbian), "djordje jovanovic");
        assert_eq!(fold("Хрущёв", CyrillicScheme::Icao), "khrushchev");
    }

    #[test]
    fn greek_elot() {
        assert_eq!(fold("Γεώργιος Παπαδόπουλος", CyrillicScheme::Icao), "georgios papadopoulos");
        assert_eq!(fold("Ευάγγελος", CyrillicScheme::Icao), "evangelos");
    }

    #[test]
    fn sorted_tokens_ignore_order() {
        assert_eq!(sorted_tokens("maria elena"), sorted_tokens("elena maria"));
    }
}
