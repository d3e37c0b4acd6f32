//! The directory of support providers (Dir 2011/36 Arts 11(5), 12(2), 14(1);
//! Convention Art 12): who offers which service, for whom, in which languages and regions, with
//! how many places, and how to reach them.
//!
//! A [`Provider`] is valid by construction: it comes from [`ProviderInput::parse`] (or from
//! deserialising a `Provider`, which goes through the same parse), and every error names the
//! field at fault by its path, for instance `services[2].capacity` or `languages[0]`.

use super::services::{Audience, CapacityUnit, ServiceType};
use crate::org::CountryCode;
use crate::text::parse_line;
use crate::{Coded, ParseError};
use serde::{Deserialize, Serialize};
use std::collections::BTreeSet;
use std::fmt;

/// The longest provider or organisation identifier.
pub const MAX_ID_CHARS: usize = 64;
/// The longest provider name.
pub const MAX_NAME_CHARS: usize = 200;
/// The longest contact point label.
pub const MAX_LABEL_CHARS: usize = 100;
/// The longest e-mail address (RFC 5321 path limit).
pub const MAX_EMAIL_CHARS: usize = 254;

/// An ISO 639-1 language code: two lower-case ASCII letters, such as `lv` or `ru`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct LanguageCode([u8; 2]);

impl LanguageCode {
    /// Parses a code; the error names `field`. Only the shape is checked (two lower-case
    /// letters), not the list of assigned codes.
    pub fn parse(field: &str, value: &str) -> Result<Self, ParseError> {
        match value.as_bytes() {
            [a, b] if a.is_ascii_lowercase() && b.is_ascii_lowercase() => Ok(Self([*a, *b])),
            _ => Err(ParseError::said(
                field,
                format!("{value:?} is not an ISO 639-1 code (two lower-case letters)"),
                crate::Message::new(crate::MessageId::NotALanguageCode).with("value", format!("{value:?}")),
            )),
        }
    }

    pub fn as_str(&self) -> &str {
        std::str::from_utf8(&self.0).unwrap_or("??")
    }
}

impl fmt::Display for LanguageCode {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl TryFrom<String> for LanguageCode {
    type Error = ParseError;
    fn try_from(value: String) -> Result<Self, Self::Error> {
        Self::parse("language", &value)
    }
}

impl From<LanguageCode> for String {
    fn from(value: LanguageCode) -> Self {
        value.as_str().to_owned()
    }
}

/// Where a provider works: a whole country (`LV`, ISO 3166-1 alpha-2) or one of its subdivisions
/// in the ISO 3166-2 shape (`LV-RIX`: the country, a hyphen, one to three upper-case letters or
/// digits). The country part must be an assigned ISO 3166-1 code; the subdivision part is checked
/// for its shape only.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct RegionCode {
    country: CountryCode,
    /// The subdivision, left-aligned and padded with zero bytes; all zero for a whole country.
    subdivision: [u8; 3],
}

impl RegionCode {
    /// Parses a region code; the error names `field`.
    pub fn parse(field: &str, value: &str) -> Result<Self, ParseError> {
        let shape = || {
            ParseError::said(
                field,
                format!("{value:?} is not a region code such as \"LV\" or \"LV-RIX\""),
                crate::Message::new(crate::MessageId::NotARegionCode).with("value", format!("{value:?}")),
            )
        };
        let bytes = value.as_bytes();
        if bytes.len() < 2 || !bytes[..2].iter().all(u8::is_ascii_uppercase) {
            return Err(shape());
        }
        let country = CountryCode::parse(field, &value[..2])?;
        let mut subdivision = [0u8; 3];
        match &bytes[2..] {
            [] => {}
            [b'-', rest @ ..] if (1..=3).contains(&rest.len()) => {
                for (slot, b) in subdivision.iter_mut().zip(rest) {
                    if !(b.is_ascii_uppercase() || b.is_ascii_digit()) {
                        return Err(shape());
                    }
                    *slot = *b;
                }
            }
            _ => return Err(shape()),
        }
        Ok(Self { country, subdivision })
    }

    /// A whole country as a region.
    pub fn country_wide(country: CountryCode) -> Self {
        Self { country, subdivision: [0; 3] }
    }

    /// The country the region is in.
    pub fn country(&self) -> CountryCode {
        self.country
    }

    /// A whole country rather than a subdivision.
    pub fn is_country_wide(&self) -> bool {
        self.subdivision == [0; 3]
    }

    /// Whether this region includes `other`: the same region, or a whole country that contains it.
    pub fn covers(&self, other: &RegionCode) -> bool {
        self == other || (self.is_country_wide() && self.country == other.country)
    }

    fn subdivision_str(&self) -> &str {
        let len = self.subdivision.iter().position(|b| *b == 0).unwrap_or(3);
        std::str::from_utf8(&self.subdivision[..len]).unwrap_or("")
    }
}

impl fmt::Display for RegionCode {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.is_country_wide() {
            write!(f, "{}", self.country)
        } else {
            write!(f, "{}-{}", self.country, self.subdivision_str())
        }
    }
}

impl TryFrom<String> for RegionCode {
    type Error = ParseError;
    fn try_from(value: String) -> Result<Self, Self::Error> {
        Self::parse("region", &value)
    }
}

impl From<RegionCode> for String {
    fn from(value: RegionCode) -> Self {
        value.to_string()
    }
}

/// A time of day `HH:MM` from `00:00` to `24:00` (the end of the day, for closing times).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct TimeOfDay(u16);

impl TimeOfDay {
    /// The end of the day, `24:00`.
    pub const END_OF_DAY: TimeOfDay = TimeOfDay(24 * 60);

    /// Parses `HH:MM` (two digits each); the error names `field`.
    pub fn parse(field: &str, value: &str) -> Result<Self, ParseError> {
        let bad = || {
            ParseError::said(
                field,
                format!("{value:?} is not a time of day HH:MM between 00:00 and 24:00"),
                crate::Message::new(crate::MessageId::NotATimeOfDay).with("value", format!("{value:?}")),
            )
        };
        let b = value.as_bytes();
        if b.len() != 5 || b[2] != b':' || ![b[0], b[1], b[3], b[4]].iter().all(u8::is_ascii_digit) {
            return Err(bad());
        }
        let hours = u16::from(b[0] - b'0') * 10 + u16::from(b[1] - b'0');
        let minutes = u16::from(b[3] - b'0') * 10 + u16::from(b[4] - b'0');
        if minutes > 59 || hours > 24 || (hours == 24 && minutes > 0) {
            return Err(bad());
        }
        Ok(Self(hours * 60 + minutes))
    }

    /// From hours and minutes; `None` outside `00:00..=24:00`.
    pub fn from_hm(hours: u8, minutes: u8) -> Option<Self> {
        let total = u16::from(hours) * 60 + u16::from(minutes);
        (minutes < 60 && total <= 24 * 60).then_some(Self(total))
    }

    /// Minutes since midnight.
    pub fn minutes(self) -> u16 {
        self.0
    }
}

impl fmt::Display for TimeOfDay {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{:02}:{:02}", self.0 / 60, self.0 % 60)
    }
}

impl TryFrom<String> for TimeOfDay {
    type Error = ParseError;
    fn try_from(value: String) -> Result<Self, Self::Error> {
        Self::parse("time", &value)
    }
}

impl From<TimeOfDay> for String {
    fn from(value: TimeOfDay) -> Self {
        value.to_string()
    }
}

/// A service a provider offers, with its capacity counted in the service's
/// [`CapacityUnit`] (beds for accommodation, places otherwise).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct OfferedService {
    pub service: ServiceType,
    /// `None`: not limited (for instance a hotline). Accommodation always has a capacity.
    #[serde(default)]
    pub capacity: Option<u32>,
    /// Beds or places taken now; never more than the capacity.
    #[serde(default)]
    pub occupied: u32,
}

impl OfferedService {
    /// Free beds or places; `None` when the capacity is not limited.
    pub fn free(&self) -> Option<u32> {
        self.capacity.map(|c| c.saturating_sub(self.occupied))
    }

    /// Whether someone can be taken now: a free place, or no limit.
    pub fn has_room(&self) -> bool {
        self.free() != Some(0)
    }
}

/// A way to reach a provider: at least a phone number or an e-mail address.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ContactPoint {
    /// What the contact is for, such as "24-hour hotline" or "intake".
    pub label: String,
    #[serde(default)]
    pub phone: Option<String>,
    #[serde(default)]
    pub email: Option<String>,
}

/// Opening on one day of the week, from `opens` to `closes` (a slot does not run past midnight:
/// a night is two slots, `22:00`-`24:00` and `00:00`-`06:00` on the next day).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct OpeningSlot {
    /// ISO 8601 day of the week: 1 is Monday, 7 is Sunday.
    pub weekday: u8,
    pub opens: TimeOfDay,
    pub closes: TimeOfDay,
}

/// When a provider can be reached or take someone in. No slots and not `always_open` means the
/// provider works by arrangement.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct OpeningHours {
    /// Open day and night, every day (a 24/7 shelter or hotline); then there are no slots.
    pub always_open: bool,
    /// Sorted by day and opening time, not overlapping.
    pub slots: Vec<OpeningSlot>,
}

impl OpeningHours {
    /// Whether open at `time` on ISO `weekday` (1 = Monday). The caller supplies the time, in the
    /// provider's local time.
    pub fn is_open(&self, weekday: u8, time: TimeOfDay) -> bool {
        self.always_open || self.slots.iter().any(|s| s.weekday == weekday && s.opens <= time && time < s.closes)
    }
}

/// A support provider in the directory.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(try_from = "ProviderInput", into = "ProviderInput")]
pub struct Provider {
    pub id: String,
    /// The organisation on the platform that runs the provider, if it is one.
    pub organisation_id: Option<String>,
    pub name: String,
    /// The country the provider is in.
    pub country: CountryCode,
    /// At least one, each service at most once.
    pub services: Vec<OfferedService>,
    /// Languages the staff work in, at least one.
    pub languages: BTreeSet<LanguageCode>,
    /// Where the provider takes people from or works, at least one.
    pub regions: BTreeSet<RegionCode>,
    /// The groups of people taken, at least one.
    pub accepts: BTreeSet<Audience>,
    /// Specialised in assisting victims of trafficking in human beings.
    pub trafficking_specialised: bool,
    pub contact_points: Vec<ContactPoint>,
    pub opening_hours: OpeningHours,
}

impl Provider {
    /// The offer of `service`, if the provider has one.
    pub fn offer(&self, service: ServiceType) -> Option<&OfferedService> {
        self.services.iter().find(|s| s.service == service)
    }

    /// Free beds or places for `service`: `None` when not limited, `Some(0)` when full or when the
    /// service is not offered at all (see [`Provider::offer`] to tell the two apart).
    pub fn free_places(&self, service: ServiceType) -> Option<u32> {
        match self.offer(service) {
            Some(offer) => offer.free(),
            None => Some(0),
        }
    }

    /// Whether the provider takes people of `audience`.
    pub fn accepts(&self, audience: Audience) -> bool {
        self.accepts.contains(&audience)
    }
}

/// An offered service as submitted.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct OfferedServiceInput {
    pub service: String,
    #[serde(default)]
    pub capacity: Option<u32>,
    #[serde(default)]
    pub occupied: u32,
}

/// A contact point as submitted.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ContactPointInput {
    pub label: String,
    #[serde(default)]
    pub phone: Option<String>,
    #[serde(default)]
    pub email: Option<String>,
}

/// An opening slot as submitted.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct OpeningSlotInput {
    pub weekday: u8,
    pub opens: String,
    pub closes: String,
}

/// Opening hours as submitted.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct OpeningHoursInput {
    pub always_open: bool,
    pub slots: Vec<OpeningSlotInput>,
}

/// A provider as submitted (a form, the API, an import), before it is checked.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ProviderInput {
    pub id: String,
    #[serde(default)]
    pub organisation_id: Option<String>,
    pub name: String,
    pub country: String,
    #[serde(default)]
    pub services: Vec<OfferedServiceInput>,
    #[serde(default)]
    pub languages: Vec<String>,
    #[serde(default)]
    pub regions: Vec<String>,
    #[serde(default)]
    pub accepts: Vec<String>,
    #[serde(default)]
    pub trafficking_specialised: bool,
    #[serde(default)]
    pub contact_points: Vec<ContactPointInput>,
    #[serde(default)]
    pub opening_hours: OpeningHoursInput,
}

/// An identifier: 1 to [`MAX_ID_CHARS`] printable ASCII characters without spaces.
fn parse_id(field: &str, value: &str) -> Result<String, ParseError> {
    if value.is_empty() {
        return Err(ParseError::empty(field));
    }
    if value.len() > MAX_ID_CHARS {
        return Err(ParseError::too_long(field, MAX_ID_CHARS));
    }
    if !value.bytes().all(|b| b.is_ascii_graphic()) {
        return Err(ParseError::said(
            field,
            "must be printable ASCII without spaces",
            crate::Message::new(crate::MessageId::PrintableAsciiNoSpaces),
        ));
    }
    Ok(value.to_owned())
}

/// A phone number as people write it: an optional leading `+`, digits, and spaces, hyphens,
/// dots or brackets between them; 3 to 15 digits (E.164 has at most 15; short codes such as
/// 112 or 116 000 are allowed).
fn parse_phone(field: &str, value: &str) -> Result<String, ParseError> {
    let value = value.trim();
    let body = value.strip_prefix('+').unwrap_or(value);
    let allowed = body.chars().all(|c| c.is_ascii_digit() || matches!(c, ' ' | '-' | '.' | '(' | ')'));
    let digits = body.chars().filter(char::is_ascii_digit).count();
    if !allowed || !(3..=15).contains(&digits) {
        return Err(ParseError::said(
            field,
            format!("{value:?} is not a phone number (3 to 15 digits, optional +)"),
            crate::Message::new(crate::MessageId::NotAPhoneNumber).with("value", format!("{value:?}")),
        ));
    }
    Ok(value.to_owned())
}

/// An e-mail address in its usual shape: `local@domain.tld`, no spaces.
pub fn parse_email(field: &str, value: &str) -> Result<String, ParseError> {
    let value = value.trim();
    let bad = || {
        ParseError::said(
            field,
            format!("{value:?} is not an e-mail address"),
            crate::Message::new(crate::MessageId::NotAnEmailAddress).with("value", format!("{value:?}")),
        )
    };
    if value.len() > MAX_EMAIL_CHARS || !value.bytes().all(|b| b.is_ascii_graphic() || b >= 0x80) {
        return Err(bad());
    }
    let Some((local, domain)) = value.split_once('@') else { return Err(bad()) };
    let labels_ok = domain.split('.').all(|l| !l.is_empty() && !l.starts_with('-') && !l.ends_with('-'));
    if local.is_empty() || domain.contains('@') || !domain.contains('.') || !labels_ok {
        return Err(bad());
    }
    Ok(value.to_owned())
}

impl ProviderInput {
    /// Checks everything and builds the provider; the error names the field at fault by its path.
    pub fn parse(&self) -> Result<Provider, ParseError> {
        let id = parse_id("id", &self.id)?;
        let organisation_id = self.organisation_id.as_deref().map(|o| parse_id("organisation_id", o)).transpose()?;
        let name = parse_line("name", &self.name, MAX_NAME_CHARS)?;
        let country = CountryCode::parse("country", &self.country)?;

        if self.services.is_empty() {
            return Err(ParseError::said(
                "services",
                "must offer at least one service",
                crate::Message::new(crate::MessageId::AtLeastOneService),
            ));
        }
        let mut services: Vec<OfferedService> = Vec::with_capacity(self.services.len());
        for (i, s) in self.services.iter().enumerate() {
            let service = ServiceType::parse_code(&format!("services[{i}].service"), &s.service)?;
            if let Some(j) = services.iter().position(|o| o.service == service) {
                return Err(ParseError::said(
                    format!("services[{i}].service"),
                    format!("{service} is already listed at services[{j}]"),
                    crate::Message::new(crate::MessageId::ListedTwice).labels(
                        "value",
                        "support-service",
                        [service.code()],
                    ),
                ));
            }
            match s.capacity {
                None if service.capacity_unit() == CapacityUnit::Bed => {
                    return Err(ParseError::said(
                        format!("services[{i}].capacity"),
                        "accommodation needs a capacity (the number of beds)",
                        crate::Message::new(crate::MessageId::AccommodationNeedsCapacity),
                    ));
                }
                None if s.occupied > 0 => {
                    return Err(ParseError::said(
                        format!("services[{i}].occupied"),
                        "must be 0 when the capacity is not limited",
                        crate::Message::new(crate::MessageId::OccupiedWithoutCapacity),
                    ));
                }
                Some(capacity) if s.occupied > capacity => {
                    return Err(ParseError::said(
                        format!("services[{i}].occupied"),
                        format!("{} is more than the capacity {capacity}", s.occupied),
                        crate::Message::new(crate::MessageId::OccupiedAboveCapacity)
                            .with("occupied", s.occupied)
                            .with("capacity", capacity),
                    ));
                }
                _ => {}
            }
            services.push(OfferedService { service, capacity: s.capacity, occupied: s.occupied });
        }

        let languages = parse_set("languages", &self.languages, LanguageCode::parse)?;
        let regions = parse_set("regions", &self.regions, RegionCode::parse)?;
        let accepts = parse_set("accepts", &self.accepts, Audience::parse_code)?;

        let mut contact_points = Vec::with_capacity(self.contact_points.len());
        for (i, c) in self.contact_points.iter().enumerate() {
            let label = parse_line(&format!("contact_points[{i}].label"), &c.label, MAX_LABEL_CHARS)?;
            let phone =
                c.phone.as_deref().map(|p| parse_phone(&format!("contact_points[{i}].phone"), p)).transpose()?;
            let email =
                c.email.as_deref().map(|e| parse_email(&format!("contact_points[{i}].email"), e)).transpose()?;
            if phone.is_none() && email.is_none() {
                return Err(ParseError::said(
                    format!("contact_points[{i}]"),
                    "needs a phone number or an e-mail address",
                    crate::Message::new(crate::MessageId::ContactNeedsPhoneOrEmail),
                ));
            }
            contact_points.push(ContactPoint { label, phone, email });
        }

        let opening_hours = self.opening_hours.parse("opening_hours")?;

        Ok(Provider {
            id,
            organisation_id,
            name,
            country,
            services,
            languages,
            regions,
            accepts,
            trafficking_specialised: self.trafficking_specialised,
            contact_points,
            opening_hours,
        })
    }
}

/// Parses a non-empty list without duplicates into a set; errors name `field[i]`.
fn parse_set<T: Ord>(
    field: &str,
    values: &[String],
    parse: impl Fn(&str, &str) -> Result<T, ParseError>,
) -> Result<BTreeSet<T>, ParseError> {
    if values.is_empty() {
        return Err(ParseError::said(
            field,
            "must list at least one",
            crate::Message::new(crate::MessageId::MustListOne),
        ));
    }
    let mut set = BTreeSet::new();
    for (i, value) in values.iter().enumerate() {
        let item_field = format!("{field}[{i}]");
        if !set.insert(parse(&item_field, value)?) {
            return Err(ParseError::said(
                item_field,
                format!("{value:?} is listed twice"),
                crate::Message::new(crate::MessageId::ListedTwice).with("value", format!("{value:?}")),
            ));
        }
    }
    Ok(set)
}

impl OpeningHoursInput {
    fn parse(&self, field: &str) -> Result<OpeningHours, ParseError> {
        if self.always_open && !self.slots.is_empty() {
            return Err(ParseError::said(
                format!("{field}.slots"),
                "must be empty when always_open is true",
                crate::Message::new(crate::MessageId::SlotsWhenAlwaysOpen),
            ));
        }
        let mut slots: Vec<(usize, OpeningSlot)> = Vec::with_capacity(self.slots.len());
        for (i, s) in self.slots.iter().enumerate() {
            let at = |name: &str| format!("{field}.slots[{i}].{name}");
            if !(1..=7).contains(&s.weekday) {
                return Err(ParseError::said(
                    at("weekday"),
                    "must be 1 (Monday) to 7 (Sunday)",
                    crate::Message::new(crate::MessageId::WeekdayRange),
                ));
            }
            let opens = TimeOfDay::parse(&at("opens"), &s.opens)?;
            let closes = TimeOfDay::parse(&at("closes"), &s.closes)?;
            if closes <= opens {
                return Err(ParseError::said(
                    at("closes"),
                    format!("{closes} is not after the opening time {opens} (split a night into two days)"),
                    crate::Message::new(crate::MessageId::ClosesBeforeOpens)
                        .with("closes", closes)
                        .with("opens", opens),
                ));
            }
            slots.push((i, OpeningSlot { weekday: s.weekday, opens, closes }));
        }
        slots.sort_by_key(|(i, s)| (s.weekday, s.opens, *i));
        for pair in slots.windows(2) {
            if let [(i, a), (j, b)] = pair
                && a.weekday == b.weekday
                && b.opens < a.closes
            {
                let (first, second) = if i < j { (i, j) } else { (j, i) };
                return Err(ParseError::said(
                    format!("{field}.slots[{second}]"),
                    format!("overlaps {field}.slots[{first}] on the same day"),
                    crate::Message::new(crate::MessageId::SlotsOverlap)
                        .with("other", format!("{field}.slots[{first}]")),
                ));
            }
        }
        Ok(OpeningHours { always_open: self.always_open, slots: slots.into_iter().map(|(_, s)| s).collect() })
    }
}

impl TryFrom<ProviderInput> for Provider {
    type Error = ParseError;
    fn try_from(value: ProviderInput) -> Result<Self, Self::Error> {
        value.parse()
    }
}

impl From<Provider> for ProviderInput {
    fn from(p: Provider) -> Self {
        ProviderInput {
            id: p.id,
            organisation_id: p.organisation_id,
            name: p.name,
            country: p.country.as_str().to_owned(),
            services: p
                .services
                .iter()
                .map(|s| OfferedServiceInput {
                    service: s.service.code().to_owned(),
                    capacity: s.capacity,
                    occupied: s.occupied,
                })
                .collect(),
            languages: p.languages.iter().map(|l| l.as_str().to_owned()).collect(),
            regions: p.regions.iter().map(ToString::to_string).collect(),
            accepts: p.accepts.iter().map(|a| a.code().to_owned()).collect(),
            trafficking_specialised: p.trafficking_specialised,
            contact_points: p
                .contact_points
                .into_iter()
                .map(|c| ContactPointInput { label: c.label, phone: c.phone, email: c.email })
                .collect(),
            opening_hours: OpeningHoursInput {
                always_open: p.opening_hours.always_open,
                slots: p
                    .opening_hours
                    .slots
                    .iter()
                    .map(|s| OpeningSlotInput {
                        weekday: s.weekday,
                        opens: s.opens.to_string(),
                        closes: s.closes.to_string(),
                    })
                    .collect(),
            },
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;
    use serde_json::json;

    fn input() -> ProviderInput {
        serde_json::from_value(json!({
            "id": "p-riga-1",
            "organisation_id": "org-7",
            "name": "Riga Safe House",
            "country": "LV",
            "services": [
                {"service": "safe_accommodation", "capacity": 12, "occupied": 9},
                {"service": "counselling_information"},
                {"service": "psychological_assistance", "capacity": 20, "occupied": 20}
            ],
            "languages": ["lv", "ru", "en"],
            "regions": ["LV-RIX", "LV"],
            "accepts": ["women", "families"],
            "trafficking_specialised": true,
            "contact_points": [
                {"label": "24-hour hotline", "phone": "+371 6780 2080"},
                {"label": "Intake", "email": "intake@example.lv"}
            ],
            "opening_hours": {"always_open": true}
        }))
        .unwrap()
    }

    fn err(f: impl FnOnce(&mut ProviderInput)) -> ParseError {
        let mut i = input();
        f(&mut i);
        i.parse().unwrap_err()
    }

    fn slot(weekday: u8, opens: &str, closes: &str) -> OpeningSlotInput {
        OpeningSlotInput { weekday, opens: opens.into(), closes: closes.into() }
    }

    #[test]
    fn a_valid_provider_parses() {
        let p = input().parse().unwrap();
        assert_eq!(p.id, "p-riga-1");
        assert_eq!(p.country.as_str(), "LV");
        assert_eq!(p.services.len(), 3);
        assert!(p.languages.contains(&LanguageCode::parse("l", "ru").unwrap()));
        assert!(p.regions.contains(&RegionCode::parse("r", "LV-RIX").unwrap()));
        assert!(p.accepts(Audience::Women) && p.accepts(Audience::Families) && !p.accepts(Audience::Men));
        assert!(p.opening_hours.always_open);
    }

    #[test]
    fn free_places_counts_and_unlimited_is_none() {
        let p = input().parse().unwrap();
        assert_eq!(p.free_places(ServiceType::SafeAccommodation), Some(3));
        assert_eq!(p.free_places(ServiceType::CounsellingInformation), None);
        assert_eq!(p.free_places(ServiceType::PsychologicalAssistance), Some(0));
        assert_eq!(p.free_places(ServiceType::LegalCounselling), Some(0));
        assert!(p.offer(ServiceType::LegalCounselling).is_none());
    }

    #[test]
    fn errors_name_the_field_path() {
        assert_eq!(err(|i| i.id = String::new()).field, "id");
        assert_eq!(err(|i| i.id = "has space".into()).field, "id");
        assert_eq!(err(|i| i.organisation_id = Some(String::new())).field, "organisation_id");
        assert_eq!(err(|i| i.name = "   ".into()).field, "name");
        assert_eq!(err(|i| i.country = "XX".into()).field, "country");
        assert_eq!(err(|i| i.services.clear()).field, "services");
        assert_eq!(err(|i| i.services[1].service = "massage".into()).field, "services[1].service");
        assert_eq!(err(|i| i.services[2].service = "safe_accommodation".into()).field, "services[2].service");
        assert_eq!(err(|i| i.services[0].capacity = None).field, "services[0].capacity");
        assert_eq!(err(|i| i.services[2].occupied = 21).field, "services[2].occupied");
        assert_eq!(err(|i| i.services[1].occupied = 1).field, "services[1].occupied");
        assert_eq!(err(|i| i.languages[0] = "LV".into()).field, "languages[0]");
        assert_eq!(err(|i| i.languages[2] = "eng".into()).field, "languages[2]");
        assert_eq!(err(|i| i.languages[2] = "lv".into()).field, "languages[2]");
        assert_eq!(err(|i| i.languages.clear()).field, "languages");
        assert_eq!(err(|i| i.regions[0] = "LV-".into()).field, "regions[0]");
        assert_eq!(err(|i| i.regions[1] = "lv".into()).field, "regions[1]");
        assert_eq!(err(|i| i.regions[1] = "QQ-RIX".into()).field, "regions[1]");
        assert_eq!(err(|i| i.regions[1] = "LV-RIGA".into()).field, "regions[1]");
        assert_eq!(err(|i| i.accepts[1] = "pets".into()).field, "accepts[1]");
        assert_eq!(err(|i| i.accepts[1] = "women".into()).field, "accepts[1]");
        assert_eq!(err(|i| i.contact_points[1].label = String::new()).field, "contact_points[1].label");
        assert_eq!(err(|i| i.contact_points[0].phone = Some("call us".into())).field, "contact_points[0].phone");
        assert_eq!(err(|i| i.contact_points[1].email = Some("intake@".into())).field, "contact_points[1].email");
        assert_eq!(err(|i| i.contact_points[1].email = None).field, "contact_points[1]");
    }

    #[test]
    fn opening_hours_are_checked() {
        let hours = |always_open, slots| {
            move |i: &mut ProviderInput| i.opening_hours = OpeningHoursInput { always_open, slots }
        };
        assert_eq!(err(hours(true, vec![slot(1, "09:00", "17:00")])).field, "opening_hours.slots");
        assert_eq!(
            err(hours(false, vec![slot(1, "09:00", "17:00"), slot(8, "09:00", "17:00")])).field,
            "opening_hours.slots[1].weekday"
        );
        assert_eq!(err(hours(false, vec![slot(0, "09:00", "17:00")])).field, "opening_hours.slots[0].weekday");
        assert_eq!(err(hours(false, vec![slot(2, "9:00", "17:00")])).field, "opening_hours.slots[0].opens");
        assert_eq!(err(hours(false, vec![slot(2, "09:00", "24:01")])).field, "opening_hours.slots[0].closes");
        let closes_before_opens = err(hours(false, vec![slot(3, "18:00", "08:00")]));
        assert_eq!(closes_before_opens.field, "opening_hours.slots[0].closes");
        assert_eq!(err(hours(false, vec![slot(3, "08:00", "08:00")])).field, "opening_hours.slots[0].closes");
        let overlap =
            err(hours(false, vec![slot(5, "13:00", "18:00"), slot(4, "09:00", "12:00"), slot(5, "09:00", "14:00")]));
        assert_eq!(overlap.field, "opening_hours.slots[2]");
        assert!(overlap.message.contains("opening_hours.slots[0]"), "{}", overlap.message);

        let mut i = input();
        i.opening_hours = OpeningHoursInput {
            always_open: false,
            slots: vec![slot(5, "13:00", "24:00"), slot(1, "09:00", "12:00"), slot(1, "12:00", "17:00")],
        };
        let p = i.parse().unwrap();
        let t = |h, m| TimeOfDay::from_hm(h, m).unwrap();
        assert_eq!(p.opening_hours.slots[0].weekday, 1);
        assert!(p.opening_hours.is_open(1, t(12, 0)));
        assert!(!p.opening_hours.is_open(1, t(17, 0)));
        assert!(p.opening_hours.is_open(5, t(23, 59)));
        assert!(!p.opening_hours.is_open(2, t(10, 0)));
    }

    #[test]
    fn unknown_fields_are_refused() {
        let mut v = serde_json::to_value(input()).unwrap();
        v["beds"] = json!(3);
        assert!(serde_json::from_value::<ProviderInput>(v).is_err());
        let mut v = serde_json::to_value(input()).unwrap();
        v["services"][0]["price"] = json!(3);
        assert!(serde_json::from_value::<ProviderInput>(v).is_err());
    }

    #[test]
    fn provider_serde_round_trips_and_deserialising_checks() {
        let p = input().parse().unwrap();
        let text = serde_json::to_string(&p).unwrap();
        let back: Provider = serde_json::from_str(&text).unwrap();
        assert_eq!(back, p);
        let mut v = serde_json::to_value(&p).unwrap();
        v["services"][0]["occupied"] = json!(13);
        let e = serde_json::from_value::<Provider>(v).unwrap_err().to_string();
        assert!(e.contains("services[0].occupied"), "{e}");
    }

    #[test]
    fn codes_display_as_parsed() {
        for code in ["LV", "LV-RIX", "DE-BY", "FR-75", "LV-011", "EE-3"] {
            assert_eq!(RegionCode::parse("r", code).unwrap().to_string(), code);
        }
        for bad in ["", "L", "LVX", "LV-", "LV-abc", "LV-ABCD", "LV_RIX", "lv-RIX", "LV-R X"] {
            assert_eq!(RegionCode::parse("r", bad).unwrap_err().field, "r", "{bad}");
        }
        let lv = RegionCode::parse("r", "LV").unwrap();
        let rix = RegionCode::parse("r", "LV-RIX").unwrap();
        assert!(lv.covers(&rix) && !rix.covers(&lv) && rix.covers(&rix));
        assert_eq!(TimeOfDay::parse("t", "24:00").unwrap(), TimeOfDay::END_OF_DAY);
        assert_eq!(TimeOfDay::parse("t", "07:05").unwrap().to_string(), "07:05");
        assert!(TimeOfDay::parse("t", "12:60").is_err());
    }

    proptest! {
        #[test]
        fn region_and_time_parsers_never_panic_and_round_trip(s in "\\PC{0,8}") {
            if let Ok(r) = RegionCode::parse("r", &s) {
                prop_assert_eq!(r.to_string(), s.clone());
            }
            if let Ok(t) = TimeOfDay::parse("t", &s) {
                prop_assert_eq!(t.to_string(), s.clone());
            }
            if let Ok(l) = LanguageCode::parse("l", &s) {
                prop_assert_eq!(l.to_string(), s);
            }
        }

        #[test]
        fn occupancy_never_exceeds_capacity(capacity in 0u32..50, occupied in 0u32..60) {
            let mut i = input();
            i.services[0].capacity = Some(capacity);
            i.services[0].occupied = occupied;
            match i.parse() {
                Ok(p) => {
                    prop_assert!(occupied <= capacity);
                    prop_assert_eq!(p.free_places(ServiceType::SafeAccommodation), Some(capacity - occupied));
                }
                Err(e) => {
                    prop_assert!(occupied > capacity);
                    prop_assert_eq!(e.field, "services[0].occupied");
                }
            }
        }
    }
}
