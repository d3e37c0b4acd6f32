//! Haven's domain: pure types and rules. No IO, no async, no clock.
//!
//! Everything that comes from outside is parsed into these types ("parse, don't validate"):
//! a value of type [`CountryCode`] or [`Username`] is valid by construction.

pub mod access;
mod access_policy;
pub mod assist;
pub mod audit;
pub mod case;
pub mod ident;
pub mod org;
pub mod text;
pub mod user;

pub use access::{Action, Compartment, Decision, Permission, authorize, permission_allowed};
pub use org::{CountryCode, Jurisdiction, OrganisationKind};
pub use user::{Language, Role, Username};

/// A value that failed to parse, naming the field it came from.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{field}: {message}")]
pub struct ParseError {
    pub field: String,
    pub message: String,
}

impl ParseError {
    pub fn new(field: impl Into<String>, message: impl Into<String>) -> Self {
        Self { field: field.into(), message: message.into() }
    }
}

/// Enums that travel as snake_case strings (database, JSON, forms) implement this.
pub trait Coded: Sized + Copy + 'static {
    /// Every value, in display order.
    const ALL: &'static [Self];
    /// Codes of earlier releases still read (stored rows, old backups and exchange files), with
    /// the value each now stands for. Never written.
    const LEGACY: &'static [(&'static str, Self)] = &[];
    /// The stable code.
    fn code(self) -> &'static str;
    /// Parses a code (or a legacy one); the error names `field` and lists the allowed codes.
    fn parse_code(field: &str, value: &str) -> Result<Self, ParseError> {
        let legacy = || Self::LEGACY.iter().find(|(old, _)| *old == value).map(|(_, v)| *v);
        Self::ALL.iter().copied().find(|v| v.code() == value).or_else(legacy).ok_or_else(|| {
            let allowed: Vec<&str> = Self::ALL.iter().map(|v| v.code()).collect();
            ParseError::new(field, format!("unknown value {value:?}; expected one of {}", allowed.join(", ")))
        })
    }
}

/// Declares a coded enum with serde support through its code.
#[macro_export]
macro_rules! coded_enum {
    ($(#[$meta:meta])* $vis:vis enum $name:ident { $($(#[$vmeta:meta])* $variant:ident => $code:literal),+ $(,)? }) => {
        $crate::coded_enum! { $(#[$meta])* $vis enum $name { $($(#[$vmeta])* $variant => $code),+ } legacy {} }
    };
    ($(#[$meta:meta])* $vis:vis enum $name:ident { $($(#[$vmeta:meta])* $variant:ident => $code:literal),+ $(,)? }
     legacy { $($old:literal => $now:ident),* $(,)? }) => {
        $(#[$meta])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
        $vis enum $name { $($(#[$vmeta])* $variant),+ }

        impl $crate::Coded for $name {
            const ALL: &'static [Self] = &[$($name::$variant),+];
            const LEGACY: &'static [(&'static str, Self)] = &[$(($old, $name::$now)),*];
            fn code(self) -> &'static str {
                match self { $($name::$variant => $code),+ }
            }
        }

        impl ::std::fmt::Display for $name {
            fn fmt(&self, f: &mut ::std::fmt::Formatter<'_>) -> ::std::fmt::Result {
                f.write_str($crate::Coded::code(*self))
            }
        }

        impl ::std::convert::TryFrom<String> for $name {
            type Error = $crate::ParseError;
            fn try_from(value: String) -> Result<Self, Self::Error> {
                <$name as $crate::Coded>::parse_code(stringify!($name), &value)
            }
        }

        impl ::serde::Serialize for $name {
            fn serialize<S: ::serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
                s.serialize_str($crate::Coded::code(*self))
            }
        }

        impl<'de> ::serde::Deserialize<'de> for $name {
            fn deserialize<D: ::serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
                let s = <::std::borrow::Cow<'de, str> as ::serde::Deserialize>::deserialize(d)?;
                <$name as $crate::Coded>::parse_code(stringify!($name), &s)
                    .map_err(|e| ::serde::de::Error::custom(e.message))
            }
        }
    };
}
