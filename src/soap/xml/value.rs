//! Leaf values: the XML Schema simple types and how they map to Rust.

use std::borrow::Cow;
use std::fmt;
use std::str::FromStr;

use chrono::{FixedOffset, NaiveDate, NaiveDateTime, NaiveTime, Timelike};
use rust_decimal::Decimal;
use uuid::Uuid;

use super::{DeError, XmlWriter};

/// A value held in an element's text (or an attribute).
pub trait XmlValue: Sized {
    /// The XML Schema type name, for error messages.
    const XSD_TYPE: &'static str;

    /// Parses the element text.
    fn from_xml(text: &str) -> Result<Self, DeError>;

    /// Parses the element text, taking ownership when that saves a copy.
    fn from_xml_cow(text: Cow<'_, str>) -> Result<Self, DeError> {
        Self::from_xml(&text)
    }

    /// Writes the value as element text (the writer escapes what needs escaping).
    fn write_text(&self, w: &mut XmlWriter);
}

impl XmlValue for String {
    const XSD_TYPE: &'static str = "string";
    fn from_xml(text: &str) -> Result<Self, DeError> {
        Ok(text.to_owned())
    }
    fn from_xml_cow(text: Cow<'_, str>) -> Result<Self, DeError> {
        Ok(text.into_owned())
    }
    fn write_text(&self, w: &mut XmlWriter) {
        w.escaped_text(self);
    }
}

impl XmlValue for bool {
    const XSD_TYPE: &'static str = "boolean";
    fn from_xml(text: &str) -> Result<Self, DeError> {
        match text.trim() {
            "true" | "1" => Ok(true),
            "false" | "0" => Ok(false),
            other => Err(DeError::invalid_value(Self::XSD_TYPE, other)),
        }
    }
    fn write_text(&self, w: &mut XmlWriter) {
        w.raw_text(if *self { "true" } else { "false" });
    }
}

macro_rules! display_values {
    ($($ty:ty => $xsd:literal),* $(,)?) => {$(
        impl XmlValue for $ty {
            const XSD_TYPE: &'static str = $xsd;
            fn from_xml(text: &str) -> Result<Self, DeError> {
                let t = text.trim();
                t.strip_prefix('+').unwrap_or(t).parse().map_err(|_| DeError::invalid_value(Self::XSD_TYPE, text))
            }
            fn write_text(&self, w: &mut XmlWriter) {
                w.display_text(self);
            }
        }
    )*};
}

display_values!(
    i8 => "byte", i16 => "short", i32 => "int", i64 => "long",
    u8 => "unsignedByte", u16 => "unsignedShort", u32 => "unsignedInt", u64 => "unsignedLong",
    Decimal => "decimal",
);

macro_rules! float_values {
    ($($ty:ty => $xsd:literal),*) => {$(
        impl XmlValue for $ty {
            const XSD_TYPE: &'static str = $xsd;
            fn from_xml(text: &str) -> Result<Self, DeError> {
                match text.trim() {
                    "INF" | "+INF" => Ok(<$ty>::INFINITY),
                    "-INF" => Ok(<$ty>::NEG_INFINITY),
                    "NaN" => Ok(<$ty>::NAN),
                    t => t.parse().map_err(|_| DeError::invalid_value(Self::XSD_TYPE, text)),
                }
            }
            fn write_text(&self, w: &mut XmlWriter) {
                if self.is_nan() {
                    w.raw_text("NaN")
                } else if self.is_infinite() {
                    w.raw_text(if *self > 0.0 { "INF" } else { "-INF" })
                } else {
                    w.display_text(self)
                }
            }
        }
    )*};
}

float_values!(f32 => "float", f64 => "double");

impl XmlValue for Uuid {
    const XSD_TYPE: &'static str = "guid";
    fn from_xml(text: &str) -> Result<Self, DeError> {
        Uuid::parse_str(text.trim()).map_err(|_| DeError::invalid_value(Self::XSD_TYPE, text))
    }
    fn write_text(&self, w: &mut XmlWriter) {
        w.raw_text(self.hyphenated().encode_lower(&mut Uuid::encode_buffer()));
    }
}

/// The time-zone suffix of a date or time, kept as it was written.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
pub enum Zone {
    /// No suffix: a local time, as ASMX writes `DateTime` values (`2017-08-11T00:00:00`).
    #[default]
    Unspecified,
    /// `Z`.
    Utc,
    /// `+hh:mm` or `-hh:mm`.
    Offset(#[cfg_attr(feature = "serde", serde(with = "offset_seconds"))] FixedOffset),
}

#[cfg(feature = "serde")]
mod offset_seconds {
    use chrono::FixedOffset;
    use serde::{Deserialize, Deserializer, Serializer};
    pub fn serialize<S: Serializer>(o: &FixedOffset, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_i32(o.local_minus_utc())
    }
    pub fn deserialize<'de, D: Deserializer<'de>>(d: D) -> Result<FixedOffset, D::Error> {
        let secs = i32::deserialize(d)?;
        FixedOffset::east_opt(secs).ok_or_else(|| serde::de::Error::custom("offset out of range"))
    }
}

impl Zone {
    /// The offset from UTC, if the value carries one.
    pub fn offset(&self) -> Option<FixedOffset> {
        match self {
            Zone::Unspecified => None,
            Zone::Utc => FixedOffset::east_opt(0),
            Zone::Offset(o) => Some(*o),
        }
    }

    fn split(text: &str) -> Option<(&str, Zone)> {
        if let Some(rest) = text.strip_suffix('Z') {
            return Some((rest, Zone::Utc));
        }
        let bytes = text.as_bytes();
        if bytes.len() > 6 && matches!(bytes[bytes.len() - 6], b'+' | b'-') && bytes[bytes.len() - 3] == b':' {
            let (rest, zone) = text.split_at(text.len() - 6);
            let sign = if zone.starts_with('-') { -1 } else { 1 };
            let hours: i32 = zone[1..3].parse().ok()?;
            let minutes: i32 = zone[4..6].parse().ok()?;
            let offset = FixedOffset::east_opt(sign * (hours * 3600 + minutes * 60))?;
            return Some((rest, Zone::Offset(offset)));
        }
        Some((text, Zone::Unspecified))
    }
}

impl fmt::Display for Zone {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Zone::Unspecified => Ok(()),
            Zone::Utc => f.write_str("Z"),
            Zone::Offset(o) => {
                let secs = o.local_minus_utc();
                let sign = if secs < 0 { '-' } else { '+' };
                let secs = secs.abs();
                write!(f, "{sign}{:02}:{:02}", secs / 3600, (secs % 3600) / 60)
            }
        }
    }
}

/// An `xs:dateTime` that writes back exactly what it read: the offset-less local times ASMX
/// services send (`2017-08-11T00:00:00`) stay offset-less, an offset or `Z` is kept, and so is
/// the number of fraction digits (`.5970000`).
///
/// `Display`, `Debug` and serde (feature `serde`) all show the wire text; chrono values convert
/// with `From` and, where an offset is needed, `TryFrom`:
///
/// ```
/// use chrono::{NaiveDate, FixedOffset};
/// use soapbind::soap::xml::DateTime;
///
/// let local: DateTime = NaiveDate::from_ymd_opt(2017, 8, 11).unwrap().and_hms_opt(9, 30, 0).unwrap().into();
/// assert_eq!(format!("{local} {local:?}"), "2017-08-11T09:30:00 2017-08-11T09:30:00");
/// let zoned: DateTime = "2017-08-11T09:30:00+02:00".parse().unwrap();
/// let chrono_value = chrono::DateTime::<FixedOffset>::try_from(zoned).unwrap();
/// assert_eq!(DateTime::from(chrono_value), zoned);
/// assert!(chrono::DateTime::<FixedOffset>::try_from(local).is_err()); // no offset to go by
/// ```
#[derive(Clone, Copy, PartialEq, Eq, Hash)]
pub struct DateTime {
    /// The date and time as written, without the zone.
    pub local: NaiveDateTime,
    /// The zone suffix.
    pub zone: Zone,
    /// Digits after the decimal point of the seconds (0 when absent).
    pub fraction_digits: u8,
}

impl DateTime {
    /// A local (offset-less) date and time, as ASMX services expect.
    pub fn local(local: NaiveDateTime) -> Self {
        let fraction_digits = if local.nanosecond() == 0 { 0 } else { 7 };
        Self { local, zone: Zone::Unspecified, fraction_digits }
    }

    /// Midnight of `date`, offset-less.
    pub fn from_date(date: NaiveDate) -> Self {
        Self::local(date.and_time(NaiveTime::MIN))
    }
}

impl Default for DateTime {
    /// `0001-01-01T00:00:00`, the value .NET writes for an unset `DateTime`.
    fn default() -> Self {
        Self::from_date(NaiveDate::MIN.with_year_one())
    }
}

trait YearOne {
    fn with_year_one(self) -> NaiveDate;
}
impl YearOne for NaiveDate {
    fn with_year_one(self) -> NaiveDate {
        NaiveDate::from_ymd_opt(1, 1, 1).unwrap_or(self)
    }
}

impl FromStr for DateTime {
    type Err = DeError;
    fn from_str(text: &str) -> Result<Self, DeError> {
        let bad = || DeError::invalid_value("dateTime", text);
        let (rest, zone) = Zone::split(text.trim()).ok_or_else(bad)?;
        if let Some((local, fraction_digits)) = fixed_layout_date_time(rest) {
            return Ok(Self { local, zone, fraction_digits });
        }
        let local = NaiveDateTime::parse_from_str(rest, "%Y-%m-%dT%H:%M:%S%.f").map_err(|_| bad())?;
        let fraction_digits = rest.split_once('.').map_or(0, |(_, f)| f.len().min(9) as u8);
        Ok(Self { local, zone, fraction_digits })
    }
}

/// `YYYY-MM-DD`, read without a format string; `None` for any other layout or an invalid date.
fn fixed_layout_date(b: &[u8]) -> Option<NaiveDate> {
    if b.len() != 10 || b[4] != b'-' || b[7] != b'-' {
        return None;
    }
    NaiveDate::from_ymd_opt(i32::try_from(digits(&b[..4])?).ok()?, digits(&b[5..7])?, digits(&b[8..10])?)
}

/// `YYYY-MM-DDThh:mm:ss` with an optional fraction of 1 to 9 (or more, cut to 9) digits: the
/// layout services write, read without a format string. `None` for any other layout (which
/// chrono's parser then gets), or an invalid date or time. Returns the fraction's digit count.
fn fixed_layout_date_time(text: &str) -> Option<(NaiveDateTime, u8)> {
    let b = text.as_bytes();
    if b.len() < 19 || b[10] != b'T' || b[13] != b':' || b[16] != b':' {
        return None;
    }
    let date = fixed_layout_date(&b[..10])?;
    let (nanos, fraction_digits) = match &b[19..] {
        [] => (0, 0),
        [b'.', fraction @ ..] if !fraction.is_empty() => {
            let kept = &fraction[..fraction.len().min(9)];
            if !fraction[kept.len()..].iter().all(u8::is_ascii_digit) {
                return None;
            }
            let scale = 10u32.pow(9 - kept.len() as u32);
            (digits(kept)?.checked_mul(scale)?, kept.len() as u8)
        }
        _ => return None,
    };
    let time = NaiveTime::from_hms_nano_opt(digits(&b[11..13])?, digits(&b[14..16])?, digits(&b[17..19])?, nanos)?;
    Some((date.and_time(time), fraction_digits))
}

/// ASCII digits as a number (`Some(0)` for none; `None` for anything else or overflow).
fn digits(b: &[u8]) -> Option<u32> {
    b.iter().try_fold(
        0u32,
        |n, &c| if c.is_ascii_digit() { n.checked_mul(10)?.checked_add(u32::from(c - b'0')) } else { None },
    )
}

impl fmt::Display for DateTime {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}", self.local.format("%Y-%m-%dT%H:%M:%S"))?;
        if self.fraction_digits > 0 {
            let digits = u32::from(self.fraction_digits.min(9));
            let frac = self.local.nanosecond() % 1_000_000_000 / 10u32.pow(9 - digits);
            write!(f, ".{frac:0width$}", width = digits as usize)?;
        }
        write!(f, "{}", self.zone)
    }
}

impl fmt::Debug for DateTime {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Display::fmt(self, f)
    }
}

impl From<NaiveDateTime> for DateTime {
    /// The local time, offset-less as ASMX writes it.
    fn from(local: NaiveDateTime) -> Self {
        Self::local(local)
    }
}

impl From<DateTime> for NaiveDateTime {
    /// The date and time as written, whatever the zone.
    fn from(value: DateTime) -> Self {
        value.local
    }
}

impl From<chrono::DateTime<FixedOffset>> for DateTime {
    /// The local time with its offset (`+hh:mm`).
    fn from(value: chrono::DateTime<FixedOffset>) -> Self {
        Self { zone: Zone::Offset(*value.offset()), ..Self::local(value.naive_local()) }
    }
}

impl From<chrono::DateTime<chrono::Utc>> for DateTime {
    /// The UTC time, written with `Z`.
    fn from(value: chrono::DateTime<chrono::Utc>) -> Self {
        Self { zone: Zone::Utc, ..Self::local(value.naive_utc()) }
    }
}

/// A `dateTime` without an offset (ASMX's local times) where a chrono value with one is asked for.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
#[error("the dateTime {0} has no offset; read its local time, or give it the offset it is meant in")]
pub struct NoOffset(pub DateTime);

impl TryFrom<DateTime> for chrono::DateTime<FixedOffset> {
    type Error = NoOffset;
    /// The instant, when the value carries `Z` or an offset.
    fn try_from(value: DateTime) -> Result<Self, NoOffset> {
        let offset = value.zone.offset().ok_or(NoOffset(value))?;
        value.local.and_local_timezone(offset).single().ok_or(NoOffset(value))
    }
}

#[cfg(feature = "serde")]
macro_rules! serde_as_text {
    ($($ty:ty => $expecting:literal),*) => {$(
        impl serde::Serialize for $ty {
            fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
                s.collect_str(self)
            }
        }

        impl<'de> serde::Deserialize<'de> for $ty {
            fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
                let text = <Cow<'de, str>>::deserialize(d)?;
                text.parse().map_err(|_| serde::de::Error::invalid_value(serde::de::Unexpected::Str(&text), &$expecting))
            }
        }
    )*};
}

#[cfg(feature = "serde")]
serde_as_text!(DateTime => "an xs:dateTime such as 2017-08-11T00:00:00", Date => "an xs:date such as 2017-08-11");

impl XmlValue for DateTime {
    const XSD_TYPE: &'static str = "dateTime";
    fn from_xml(text: &str) -> Result<Self, DeError> {
        text.parse()
    }
    fn write_text(&self, w: &mut XmlWriter) {
        w.display_text(self);
    }
}

/// An `xs:date`, with its zone suffix kept as written. `Display`, `Debug` and serde (feature
/// `serde`) show the wire text (`2017-08-11`); `From` converts to and from `NaiveDate`.
#[derive(Clone, Copy, PartialEq, Eq, Hash)]
pub struct Date {
    /// The calendar date.
    pub date: NaiveDate,
    /// The zone suffix.
    pub zone: Zone,
}

impl Default for Date {
    fn default() -> Self {
        Self { date: NaiveDate::MIN.with_year_one(), zone: Zone::Unspecified }
    }
}

impl From<NaiveDate> for Date {
    fn from(date: NaiveDate) -> Self {
        Self { date, zone: Zone::Unspecified }
    }
}

impl From<Date> for NaiveDate {
    /// The calendar date, whatever the zone.
    fn from(value: Date) -> Self {
        value.date
    }
}

impl FromStr for Date {
    type Err = DeError;
    fn from_str(text: &str) -> Result<Self, DeError> {
        let bad = || DeError::invalid_value("date", text);
        let (rest, zone) = Zone::split(text.trim()).ok_or_else(bad)?;
        if let Some(date) = fixed_layout_date(rest.as_bytes()) {
            return Ok(Self { date, zone });
        }
        let date = NaiveDate::parse_from_str(rest, "%Y-%m-%d").map_err(|_| bad())?;
        Ok(Self { date, zone })
    }
}

impl fmt::Display for Date {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}{}", self.date.format("%Y-%m-%d"), self.zone)
    }
}

impl fmt::Debug for Date {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Display::fmt(self, f)
    }
}

impl XmlValue for Date {
    const XSD_TYPE: &'static str = "date";
    fn from_xml(text: &str) -> Result<Self, DeError> {
        text.parse()
    }
    fn write_text(&self, w: &mut XmlWriter) {
        w.display_text(self);
    }
}

/// `xs:base64Binary` content: the decoded bytes.
#[derive(Clone, PartialEq, Eq, Hash, Default)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
pub struct Base64Binary(pub Vec<u8>);

impl fmt::Debug for Base64Binary {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "Base64Binary({} bytes)", self.0.len())
    }
}

impl From<Vec<u8>> for Base64Binary {
    fn from(bytes: Vec<u8>) -> Self {
        Self(bytes)
    }
}

impl XmlValue for Base64Binary {
    const XSD_TYPE: &'static str = "base64Binary";
    fn from_xml(text: &str) -> Result<Self, DeError> {
        use base64::Engine;
        let compact: String = text.chars().filter(|c| !c.is_ascii_whitespace()).collect();
        base64::engine::general_purpose::STANDARD
            .decode(compact)
            .map(Self)
            .map_err(|_| DeError::invalid_value(Self::XSD_TYPE, text))
    }
    fn write_text(&self, w: &mut XmlWriter) {
        use base64::Engine;
        w.raw_text(&base64::engine::general_purpose::STANDARD.encode(&self.0));
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// What chrono's format parser makes of the part before the zone.
    fn by_chrono(rest: &str) -> Option<NaiveDateTime> {
        NaiveDateTime::parse_from_str(rest, "%Y-%m-%dT%H:%M:%S%.f").ok()
    }

    #[test]
    fn date_times_read_as_written_and_write_back() {
        for text in [
            "2017-08-11T00:00:00",
            "2017-08-11T13:05:59.5970000",
            "2024-02-29T23:59:59.1Z",
            "1999-12-31T00:00:00.123456789+05:30",
            "0001-01-01T00:00:00-12:00",
        ] {
            let value: DateTime = text.parse().unwrap();
            assert_eq!(value.to_string(), text);
        }
        let long: DateTime = "2017-08-11T00:00:00.1234567891".parse().unwrap();
        assert_eq!((long.fraction_digits, long.local.nanosecond()), (9, 123_456_789));
    }

    #[test]
    fn the_fixed_layout_agrees_with_chrono() {
        for rest in [
            "2017-08-11T00:00:00",
            "2017-08-11T13:05:59.5970000",
            "2017-08-11T13:05:59.0",
            "2020-02-29T12:00:00.000000001",
            "9999-12-31T23:59:59.999999999",
        ] {
            let (local, _) = fixed_layout_date_time(rest).unwrap();
            assert_eq!(Some(local), by_chrono(rest), "{rest}");
        }
    }

    #[test]
    fn invalid_date_times_are_refused_with_the_text() {
        for text in [
            "2017-13-01T00:00:00",
            "2019-02-29T00:00:00",
            "2017-08-11T24:00:01",
            "2017-08-11T00:61:00",
            "2017-08-11T00:00:00.",
            "2017-08-11T00:00:00.5x",
            "2017-08-11 00:00:00",
            "2017-08-1a",
            "",
        ] {
            let e = text.parse::<DateTime>().unwrap_err();
            assert!(e.to_string().contains("dateTime"), "{text}: {e}");
            assert!(fixed_layout_date_time(text).is_none(), "{text}");
        }
    }

    #[test]
    fn whatever_the_fixed_layout_reads_chrono_reads_the_same() {
        let base = "2016-02-29T23:59:59.123456789";
        let mut inputs = vec![
            "2017-08-11T23:59:60".to_owned(),
            "+2017-08-11T00:00:00".to_owned(),
            "10000-01-01T00:00:00".to_owned(),
            "-0001-01-01T00:00:00".to_owned(),
            "2017-08-11T00:00:00.1234567890123456789012345".to_owned(),
            "2017-08-11T 1:00:00".to_owned(),
        ];
        // Every prefix, and every single-byte change to a digit, a separator or a sign.
        for end in 0..=base.len() {
            inputs.push(base[..end].to_owned());
        }
        for i in 0..base.len() {
            for c in ['0', '9', '-', ':', '.', 'T', ' ', '+', 'x'] {
                let mut s = base.to_owned();
                s.replace_range(i..i + 1, &c.to_string());
                inputs.push(s);
            }
        }
        for text in &inputs {
            let chrono = by_chrono(text);
            if let Some((local, digits)) = fixed_layout_date_time(text) {
                assert_eq!(Some(local), chrono, "{text}");
                assert_eq!(usize::from(digits), text.split_once('.').map_or(0, |(_, f)| f.len().min(9)), "{text}");
            }
            // And the whole parse (which trims the text first) accepts exactly what chrono accepts.
            assert_eq!(text.parse::<DateTime>().ok().map(|d| d.local), by_chrono(text.trim()), "{text}");
        }
    }

    #[test]
    fn other_layouts_chrono_accepts_still_read() {
        // Not the fixed layout (one-digit fields), so chrono's parser reads it as before.
        assert!(fixed_layout_date_time("2017-8-1T0:0:0").is_none());
        let value: DateTime = "2017-8-1T0:0:0".parse().unwrap();
        assert_eq!(value.local, by_chrono("2017-08-01T00:00:00").unwrap());
    }

    #[test]
    fn dates_read_with_their_zone() {
        let date = Date::from_xml("2024-02-29+01:00").unwrap();
        assert_eq!(date.date, NaiveDate::from_ymd_opt(2024, 2, 29).unwrap());
        assert_eq!(date.zone.offset(), FixedOffset::east_opt(3600));
        assert!(Date::from_xml("2023-02-29").is_err());
        assert_eq!(Date::from_xml(" 2024-01-02 ").unwrap().date, NaiveDate::from_ymd_opt(2024, 1, 2).unwrap());
    }

    #[test]
    fn dates_and_times_print_as_on_the_wire() {
        let value: DateTime = "2017-08-11T09:30:00.5970000+02:00".parse().unwrap();
        assert_eq!(value.to_string(), "2017-08-11T09:30:00.5970000+02:00");
        assert_eq!(format!("{value:?}"), "2017-08-11T09:30:00.5970000+02:00");
        assert_eq!(format!("{:?}", Some(DateTime::default())), "Some(0001-01-01T00:00:00)");
        let date: Date = "2024-02-29Z".parse().unwrap();
        assert_eq!((date.to_string(), format!("{date:?}")), ("2024-02-29Z".into(), "2024-02-29Z".into()));
    }

    #[test]
    fn chrono_values_convert_both_ways() {
        let naive = NaiveDate::from_ymd_opt(2017, 8, 11).unwrap().and_hms_opt(9, 30, 0).unwrap();
        let local = DateTime::from(naive);
        assert_eq!((local.zone, NaiveDateTime::from(local)), (Zone::Unspecified, naive));
        let err = chrono::DateTime::<FixedOffset>::try_from(local).unwrap_err();
        assert!(err.to_string().contains("2017-08-11T09:30:00 has no offset"), "{err}");

        let zoned = naive.and_local_timezone(FixedOffset::east_opt(-5 * 3600).unwrap()).unwrap();
        let value = DateTime::from(zoned);
        assert_eq!(value.to_string(), "2017-08-11T09:30:00-05:00");
        assert_eq!(chrono::DateTime::<FixedOffset>::try_from(value).unwrap(), zoned);
        let utc = DateTime::from(zoned.with_timezone(&chrono::Utc));
        assert_eq!(utc.to_string(), "2017-08-11T14:30:00Z");
        assert_eq!(chrono::DateTime::<FixedOffset>::try_from(utc).unwrap(), zoned);

        let day = NaiveDate::from_ymd_opt(2024, 2, 29).unwrap();
        assert_eq!(NaiveDate::from(Date::from(day)), day);
    }

    #[cfg(feature = "serde")]
    #[test]
    fn serde_uses_the_wire_text() {
        let value: DateTime = "2017-08-11T00:00:00".parse().unwrap();
        assert_eq!(serde_json::to_string(&value).unwrap(), r#""2017-08-11T00:00:00""#);
        assert_eq!(serde_json::from_str::<DateTime>(r#""2017-08-11T00:00:00""#).unwrap(), value);
        assert_eq!(serde_json::to_string(&Date::default()).unwrap(), r#""0001-01-01""#);
        let err = serde_json::from_str::<Date>(r#""11-08-2017""#).unwrap_err();
        assert!(err.to_string().contains("an xs:date such as 2017-08-11"), "{err}");
    }
}
