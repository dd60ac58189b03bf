//! Reading a price out of an HTTP response body: a tiny JSON path walker and an exact decimal
//! parser. Pure functions, integer arithmetic only (no floats), no allocation, never panics.
//!
//! The body is searched, not fully validated: the walker only reads as much JSON as it needs to
//! find the value at the path, and rejects anything malformed on the way.

use crate::Price;
use sp_arithmetic::traits::Zero;

/// The largest decimal shift accepted by [`parse_decimal`], in either direction.
pub const MAX_SCALE: i8 = crate::sources::MAX_SCALE;

/// Decimal places of [`Price`] (`FixedU128`): its inner value is the price times `10^18`.
const PRICE_DECIMALS: i32 = 18;

/// Deepest nesting of JSON arrays/objects the walker skips through.
const MAX_DEPTH: u32 = 32;

/// Why no price could be read from a response body.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ParseError {
	/// The body is not well-formed JSON where the walker had to read it.
	InvalidJson,
	/// A key or index of the path is missing, or the path goes through a non-container.
	PathNotFound,
	/// The value is not an unsigned decimal (`123`, `0.5`, `"123.45"`; no sign or exponent).
	InvalidNumber,
	/// The number does not fit a `FixedU128`.
	Overflow,
	/// The number is zero after scaling and truncation.
	Zero,
	/// The scale is outside `-MAX_SCALE..=MAX_SCALE`.
	ScaleOutOfRange,
}

/// Read the price at `path` in the JSON `body` and scale it by `10^scale`.
///
/// `path` is object keys and array indices separated by `.` (e.g. `data.0.price`; keys
/// containing `.` or escapes cannot be addressed); an empty path means the whole body (trimmed)
/// is the number. The value may be a JSON number or a JSON string holding the decimal. See
/// [`parse_decimal`] for the number format and rounding.
///
/// # Errors
/// Any [`ParseError`]; `Zero` if the price is zero.
pub fn extract_price(body: &[u8], path: &[u8], scale: i8) -> Result<Price, ParseError> {
	let raw = if path.is_empty() {
		trim(body)
	} else {
		let mut cursor = Cursor { input: body, pos: 0 };
		for segment in path.split(|&b| b == b'.') {
			cursor.enter(segment)?;
		}
		cursor.value_text()?
	};
	let price = parse_decimal(raw, scale)?;
	if price.is_zero() {
		return Err(ParseError::Zero);
	}
	Ok(price)
}

/// Parse the unsigned decimal `text` (`digits` or `digits.digits`) times `10^scale` into a
/// [`Price`], exactly when possible.
///
/// Formula: with `text = I.F` (integer digits `I`, fractional digits `F`), the result's inner
/// value is `I.F * 10^(18 + scale)`, computed on integers: `F` is truncated to its first
/// `18 + scale` digits (rounding down, never up) and the digits are accumulated in a `u128`
/// with checked arithmetic.
///
/// # Errors
/// `InvalidNumber` (empty, sign, exponent, stray characters, `.5`, `5.`), `Overflow`,
/// `ScaleOutOfRange`.
pub fn parse_decimal(text: &[u8], scale: i8) -> Result<Price, ParseError> {
	if !(-MAX_SCALE..=MAX_SCALE).contains(&scale) {
		return Err(ParseError::ScaleOutOfRange);
	}
	let (int_part, frac_part) = match text.iter().position(|&b| b == b'.') {
		Some(dot) => {
			let frac = &text[dot + 1..];
			if frac.is_empty() {
				return Err(ParseError::InvalidNumber);
			}
			(&text[..dot], frac)
		},
		None => (text, &[][..]),
	};
	if int_part.is_empty() || !int_part.iter().chain(frac_part).all(u8::is_ascii_digit) {
		return Err(ParseError::InvalidNumber);
	}
	// 0 ..= 36 fractional digits matter; the rest is truncated.
	let kept_frac = (PRICE_DECIMALS + i32::from(scale)) as usize;
	let frac_used = &frac_part[..frac_part.len().min(kept_frac)];
	let mut inner: u128 = 0;
	for digit in int_part.iter().chain(frac_used) {
		inner = inner
			.checked_mul(10)
			.and_then(|v| v.checked_add(u128::from(digit - b'0')))
			.ok_or(ParseError::Overflow)?;
	}
	let exponent = (kept_frac - frac_used.len()) as u32;
	let inner = 10u128
		.checked_pow(exponent)
		.and_then(|factor| inner.checked_mul(factor))
		.ok_or(ParseError::Overflow)?;
	Ok(Price::from_inner(inner))
}

/// `bytes` without leading and trailing ASCII whitespace.
fn trim(bytes: &[u8]) -> &[u8] {
	let start = bytes.iter().position(|b| !b.is_ascii_whitespace()).unwrap_or(bytes.len());
	let end = bytes.iter().rposition(|b| !b.is_ascii_whitespace()).map_or(start, |i| i + 1);
	&bytes[start..end]
}

/// A read position in a JSON text.
struct Cursor<'a> {
	input: &'a [u8],
	pos: usize,
}

impl<'a> Cursor<'a> {
	fn peek(&self) -> Option<u8> {
		self.input.get(self.pos).copied()
	}

	fn skip_whitespace(&mut self) {
		while self.peek().is_some_and(|b| b.is_ascii_whitespace()) {
			self.pos += 1;
		}
	}

	/// Consume `byte` (after whitespace) or fail.
	fn expect(&mut self, byte: u8) -> Result<(), ParseError> {
		self.skip_whitespace();
		if self.peek() != Some(byte) {
			return Err(ParseError::InvalidJson);
		}
		self.pos += 1;
		Ok(())
	}

	/// Read a string at the cursor; returns its raw content (escapes left as they are).
	fn string(&mut self) -> Result<&'a [u8], ParseError> {
		self.expect(b'"')?;
		let start = self.pos;
		loop {
			match self.peek() {
				None => return Err(ParseError::InvalidJson),
				Some(b'"') => break,
				Some(b'\\') => self.pos += 2,
				Some(_) => self.pos += 1,
			}
		}
		let content = self.input.get(start..self.pos).ok_or(ParseError::InvalidJson)?;
		self.pos += 1;
		Ok(content)
	}

	/// Read a bare scalar (number, `true`, `false`, `null`) at the cursor.
	fn scalar(&mut self) -> Result<&'a [u8], ParseError> {
		self.skip_whitespace();
		let start = self.pos;
		while self.peek().is_some_and(|b| {
			!matches!(b, b',' | b'}' | b']' | b':' | b'"' | b'{' | b'[') && !b.is_ascii_whitespace()
		}) {
			self.pos += 1;
		}
		if self.pos == start {
			return Err(ParseError::InvalidJson);
		}
		Ok(&self.input[start..self.pos])
	}

	/// Skip the value at the cursor, nested at most `MAX_DEPTH - depth` levels deep.
	fn skip_value(&mut self, depth: u32) -> Result<(), ParseError> {
		if depth >= MAX_DEPTH {
			return Err(ParseError::InvalidJson);
		}
		self.skip_whitespace();
		match self.peek() {
			Some(b'"') => self.string().map(|_| ()),
			Some(open @ (b'{' | b'[')) => {
				let close = if open == b'{' { b'}' } else { b']' };
				self.pos += 1;
				self.skip_whitespace();
				if self.peek() == Some(close) {
					self.pos += 1;
					return Ok(());
				}
				loop {
					if open == b'{' {
						self.string()?;
						self.expect(b':')?;
					}
					self.skip_value(depth + 1)?;
					self.skip_whitespace();
					match self.peek() {
						Some(b',') => self.pos += 1,
						Some(b) if b == close => {
							self.pos += 1;
							return Ok(());
						},
						_ => return Err(ParseError::InvalidJson),
					}
				}
			},
			_ => self.scalar().map(|_| ()),
		}
	}

	/// Move the cursor onto the value of key (in an object) or index (in an array) `segment`.
	fn enter(&mut self, segment: &[u8]) -> Result<(), ParseError> {
		self.skip_whitespace();
		match self.peek() {
			Some(b'{') => {
				self.pos += 1;
				self.skip_whitespace();
				if self.peek() == Some(b'}') {
					return Err(ParseError::PathNotFound);
				}
				loop {
					let key = self.string()?;
					self.expect(b':')?;
					if key == segment {
						return Ok(());
					}
					self.skip_value(0)?;
					self.skip_whitespace();
					match self.peek() {
						Some(b',') => self.pos += 1,
						Some(b'}') => return Err(ParseError::PathNotFound),
						_ => return Err(ParseError::InvalidJson),
					}
				}
			},
			Some(b'[') => {
				let index = parse_index(segment).ok_or(ParseError::PathNotFound)?;
				self.pos += 1;
				self.skip_whitespace();
				if self.peek() == Some(b']') {
					return Err(ParseError::PathNotFound);
				}
				for _ in 0..index {
					self.skip_value(0)?;
					self.skip_whitespace();
					match self.peek() {
						Some(b',') => self.pos += 1,
						Some(b']') => return Err(ParseError::PathNotFound),
						_ => return Err(ParseError::InvalidJson),
					}
				}
				Ok(())
			},
			Some(_) => Err(ParseError::PathNotFound),
			None => Err(ParseError::InvalidJson),
		}
	}

	/// The text of the scalar or string value at the cursor.
	fn value_text(&mut self) -> Result<&'a [u8], ParseError> {
		self.skip_whitespace();
		match self.peek() {
			Some(b'"') => self.string(),
			Some(b'{' | b'[') => Err(ParseError::InvalidNumber),
			_ => self.scalar(),
		}
	}
}

/// A decimal array index, without sign or leading `+`; `None` if not one.
fn parse_index(segment: &[u8]) -> Option<u32> {
	if segment.is_empty() || !segment.iter().all(u8::is_ascii_digit) {
		return None;
	}
	segment.iter().try_fold(0u32, |acc, d| acc.checked_mul(10)?.checked_add(u32::from(d - b'0')))
}
