//! The pure body parser: JSON paths and exact decimals.

use crate::{
	parse::{extract_price, parse_decimal, ParseError},
	Price,
};

/// `Price` with inner value `inner` (the price times 10^18).
fn inner(inner: u128) -> Price {
	Price::from_inner(inner)
}

const E18: u128 = 1_000_000_000_000_000_000;

#[test]
fn parse_decimal_table() {
	let cases: Vec<(&str, i8, Result<Price, ParseError>, &str)> = vec![
		("1", 0, Ok(inner(E18)), "integer"),
		("0", 0, Ok(inner(0)), "zero parses; extract_price rejects it"),
		("123.45", 0, Ok(inner(123_450_000_000_000_000_000)), "decimal"),
		("0.000000000000000001", 0, Ok(inner(1)), "smallest fraction"),
		("0.0000000000000000019", 0, Ok(inner(1)), "extra digits are truncated, not rounded"),
		("00042", 0, Ok(inner(42 * E18)), "leading zeros"),
		("60000.12", -2, Ok(inner(600_001_200_000_000_000_000)), "scale down: per-unit price"),
		("3000.5", -12, Ok(inner(3_000_500_000)), "scale down across the decimal point"),
		("1.5", 2, Ok(inner(150 * E18)), "scale up"),
		("1.23456789", -18, Ok(inner(1)), "scale -18 keeps only the integer part"),
		("0.9", -18, Ok(inner(0)), "below one unit at scale -18 truncates to zero"),
		("340282366920938463463", 0, Ok(inner(340_282_366_920_938_463_463 * E18)), "large"),
		("340282366920938463464", 0, Err(ParseError::Overflow), "just too large"),
		("1", 19, Err(ParseError::ScaleOutOfRange), "scale too large"),
		("1", -19, Err(ParseError::ScaleOutOfRange), "scale too small"),
		("99999999999999999999999999999999999999999", 0, Err(ParseError::Overflow), "huge"),
		("", 0, Err(ParseError::InvalidNumber), "empty"),
		("-1", 0, Err(ParseError::InvalidNumber), "negative"),
		("+1", 0, Err(ParseError::InvalidNumber), "sign"),
		("1e3", 0, Err(ParseError::InvalidNumber), "exponent"),
		(".5", 0, Err(ParseError::InvalidNumber), "no integer part"),
		("5.", 0, Err(ParseError::InvalidNumber), "no fractional digits"),
		("1.2.3", 0, Err(ParseError::InvalidNumber), "two points"),
		(" 1", 0, Err(ParseError::InvalidNumber), "whitespace"),
		("1,5", 0, Err(ParseError::InvalidNumber), "comma"),
		("NaN", 0, Err(ParseError::InvalidNumber), "not a number"),
	];
	for (text, scale, expected, description) in cases {
		assert_eq!(parse_decimal(text.as_bytes(), scale), expected, "{description}: {text}");
	}
}

#[test]
fn extract_price_table() {
	let cases: Vec<(&str, &str, Result<Price, ParseError>, &str)> = vec![
		(r#"{"USD": 155.23}"#, "USD", Ok(inner(155_230_000_000_000_000_000)), "simple key"),
		(
			r#"{"price":"60000.5"}"#,
			"price",
			Ok(inner(60_000_500_000_000_000_000_000)),
			"string value",
		),
		(
			r#"{"status":"ok","data":{"symbol":"BTC","price":"42.1"}}"#,
			"data.price",
			Ok(inner(42_100_000_000_000_000_000)),
			"nested object",
		),
		(
			r#" { "a" : [ {"p": 1}, {"p" : 2.5} ] } "#,
			"a.1.p",
			Ok(inner(2_500_000_000_000_000_000)),
			"array index and whitespace",
		),
		(
			r#"{"skip":{"deep":[1,[2,{"x":"y\"}"}],null,true]},"USD":7}"#,
			"USD",
			Ok(inner(7 * E18)),
			"skips nested values and escaped quotes",
		),
		(r#"{"USDT": 1, "USD": 2}"#, "USD", Ok(inner(2 * E18)), "keys match exactly"),
		(" 12.5\n", "", Ok(inner(12_500_000_000_000_000_000)), "plain-text body"),
		(r#"[3, 4]"#, "1", Ok(inner(4 * E18)), "top-level array"),
		(r#"{"USD2": 1}"#, "USD", Err(ParseError::PathNotFound), "missing key"),
		(r#"{}"#, "USD", Err(ParseError::PathNotFound), "empty object"),
		(r#"{"a": [1]}"#, "a.1", Err(ParseError::PathNotFound), "index out of range"),
		(r#"{"a": [1]}"#, "a.x", Err(ParseError::PathNotFound), "key into an array"),
		(r#"{"a": 1}"#, "a.b", Err(ParseError::PathNotFound), "path through a number"),
		(r#"{"a": {"b": 1}}"#, "a", Err(ParseError::InvalidNumber), "path ends at an object"),
		(r#"{"USD": -1}"#, "USD", Err(ParseError::InvalidNumber), "negative"),
		(r#"{"USD": 1.5e3}"#, "USD", Err(ParseError::InvalidNumber), "exponent"),
		(r#"{"USD": "abc"}"#, "USD", Err(ParseError::InvalidNumber), "not a number"),
		(r#"{"USD": 0.0}"#, "USD", Err(ParseError::Zero), "zero"),
		(r#"{"USD" 1}"#, "USD", Err(ParseError::InvalidJson), "missing colon"),
		(r#"{"x": 1 "USD": 2}"#, "USD", Err(ParseError::InvalidJson), "missing comma"),
		(r#"{"x": "unterminated"#, "USD", Err(ParseError::InvalidJson), "unterminated string"),
		(r#"{"x": [1, 2"#, "USD", Err(ParseError::InvalidJson), "unterminated array"),
		("", "USD", Err(ParseError::InvalidJson), "empty body"),
		("<html>busy</html>", "USD", Err(ParseError::PathNotFound), "not JSON"),
	];
	for (body, path, expected, description) in cases {
		assert_eq!(
			extract_price(body.as_bytes(), path.as_bytes(), 0),
			expected,
			"{description}: {body}"
		);
	}
}

#[test]
fn extract_price_applies_the_scale() {
	// BTC at 60 000.12 USD per coin; stable with 6 decimals, BTC with 8: scale 6 - 8 = -2.
	assert_eq!(
		extract_price(br#"{"USD":"60000.12"}"#, b"USD", -2),
		Ok(inner(600_001_200_000_000_000_000))
	);
}

#[test]
fn deep_nesting_is_rejected_not_overflowed() {
	let mut body = String::from(r#"{"x":"#);
	body.push_str(&"[".repeat(10_000));
	body.push_str(&"]".repeat(10_000));
	body.push_str(r#","USD":1}"#);
	assert_eq!(extract_price(body.as_bytes(), b"USD", 0), Err(ParseError::InvalidJson));
}

#[test]
fn arbitrary_bytes_never_panic() {
	// A cheap fuzz: every prefix of a few bodies, with a few paths.
	let bodies = [
		&br#"{"a":{"b":[1,"2",{"c":"3.5"}]},"d":"\u00e9\"x"}"#[..],
		b"\xff\xfe{\"a\":[[[[\"",
		b"{\"a\\",
	];
	for body in bodies {
		for end in 0..=body.len() {
			for path in [&b"a.b.2.c"[..], b"d", b"", b"a.b.9", b"a..b"] {
				let _ = extract_price(&body[..end], path, -18);
				let _ = extract_price(&body[..end], path, 18);
			}
		}
	}
}
