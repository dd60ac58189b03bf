//! Raw tensor jobs: JSON-friendly tensors in, the model's outputs out.
//!
//! On the wire a tensor is `{"name": "x", "shape": [1, 3], "dtype": "f32", "data": [..]}` with
//! `data` flat in row-major order. Only `f32` and `i64` are supported for now; other element
//! types are reported as errors naming the tensor and its type.

use ort::{
	session::Session,
	value::{DynValue, Tensor, TensorElementType, ValueType},
};
use serde::{Deserialize, Serialize};

use crate::{
	error::{Result, WorkerError},
	model_store::LoadedModel,
};

/// Element type of a tensor.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum DType {
	/// 32-bit float.
	F32,
	/// 64-bit signed integer (token ids, masks).
	I64,
}

/// Tensor contents, flat and row-major.
#[derive(Clone, Debug, PartialEq)]
pub enum TensorData {
	/// f32 elements.
	F32(Vec<f32>),
	/// i64 elements.
	I64(Vec<i64>),
}

impl TensorData {
	/// Number of elements.
	pub fn len(&self) -> usize {
		match self {
			TensorData::F32(v) => v.len(),
			TensorData::I64(v) => v.len(),
		}
	}

	/// True when there are no elements.
	pub fn is_empty(&self) -> bool {
		self.len() == 0
	}

	/// The element type.
	pub fn dtype(&self) -> DType {
		match self {
			TensorData::F32(_) => DType::F32,
			TensorData::I64(_) => DType::I64,
		}
	}
}

/// A named tensor as jobs send and receive it.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(try_from = "WireTensor", into = "WireTensor")]
pub struct NamedTensor {
	/// Model input or output name.
	pub name: String,
	/// Dimensions (all >= 0).
	pub shape: Vec<i64>,
	/// Elements; `shape`'s product must equal their count.
	pub data: TensorData,
}

/// Serde form: dtype as a field and data as a plain JSON array.
#[derive(Serialize, Deserialize)]
struct WireTensor {
	name: String,
	shape: Vec<i64>,
	dtype: DType,
	data: serde_json::Value,
}

impl TryFrom<WireTensor> for NamedTensor {
	type Error = String;

	fn try_from(w: WireTensor) -> std::result::Result<Self, String> {
		let data = match w.dtype {
			DType::F32 => TensorData::F32(
				serde_json::from_value(w.data)
					.map_err(|e| format!("tensor {:?}: data is not a list of f32: {e}", w.name))?,
			),
			DType::I64 => TensorData::I64(
				serde_json::from_value(w.data)
					.map_err(|e| format!("tensor {:?}: data is not a list of i64: {e}", w.name))?,
			),
		};
		Ok(NamedTensor { name: w.name, shape: w.shape, data })
	}
}

impl From<NamedTensor> for WireTensor {
	fn from(t: NamedTensor) -> Self {
		let (dtype, data) = match t.data {
			TensorData::F32(v) => (DType::F32, serde_json::json!(v)),
			TensorData::I64(v) => (DType::I64, serde_json::json!(v)),
		};
		WireTensor { name: t.name, shape: t.shape, dtype, data }
	}
}

impl NamedTensor {
	/// An f32 tensor.
	pub fn f32(name: impl Into<String>, shape: Vec<i64>, data: Vec<f32>) -> Self {
		Self { name: name.into(), shape, data: TensorData::F32(data) }
	}

	/// An i64 tensor.
	pub fn i64(name: impl Into<String>, shape: Vec<i64>, data: Vec<i64>) -> Self {
		Self { name: name.into(), shape, data: TensorData::I64(data) }
	}

	/// Checks that the shape is non-negative and matches the element count.
	///
	/// # Errors
	/// [`WorkerError::InvalidInput`] saying which tensor and what is inconsistent.
	pub fn validate(&self) -> Result<()> {
		if self.name.is_empty() {
			return Err(WorkerError::InvalidInput("a tensor has an empty name".into()));
		}
		let mut count: usize = 1;
		for (i, &d) in self.shape.iter().enumerate() {
			let d = usize::try_from(d).map_err(|_| {
				WorkerError::InvalidInput(format!(
					"tensor {:?}: dimension {i} is {d}; dimensions must be >= 0",
					self.name
				))
			})?;
			count = count.checked_mul(d).ok_or_else(|| {
				WorkerError::InvalidInput(format!(
					"tensor {:?}: shape {:?} overflows",
					self.name, self.shape
				))
			})?;
		}
		if count != self.data.len() {
			return Err(WorkerError::InvalidInput(format!(
				"tensor {:?}: shape {:?} needs {count} elements but data has {}",
				self.name,
				self.shape,
				self.data.len()
			)));
		}
		Ok(())
	}

	/// Converts to an ONNX Runtime value (copies the data).
	///
	/// # Errors
	/// Validation errors, or ONNX Runtime refusing the tensor.
	pub fn to_ort(&self) -> Result<DynValue> {
		self.validate()?;
		let shape = self.shape.clone();
		let ctx = || format!("creating input tensor {:?}", self.name);
		Ok(match &self.data {
			TensorData::F32(v) => Tensor::from_array((shape, v.clone()))
				.map_err(|e| WorkerError::ort(ctx(), e))?
				.into_dyn(),
			TensorData::I64(v) => Tensor::from_array((shape, v.clone()))
				.map_err(|e| WorkerError::ort(ctx(), e))?
				.into_dyn(),
		})
	}

	/// Copies an ONNX Runtime output into a named tensor.
	///
	/// # Errors
	/// [`WorkerError::InvalidInput`] when the value is not an f32 or i64 tensor.
	pub fn from_ort(name: &str, value: &DynValue) -> Result<Self> {
		match value.dtype() {
			ValueType::Tensor { ty: TensorElementType::Float32, .. } => {
				let (shape, data) = value
					.try_extract_tensor::<f32>()
					.map_err(|e| WorkerError::ort(format!("reading output {name:?}"), e))?;
				Ok(Self::f32(name, shape.to_vec(), data.to_vec()))
			},
			ValueType::Tensor { ty: TensorElementType::Int64, .. } => {
				let (shape, data) = value
					.try_extract_tensor::<i64>()
					.map_err(|e| WorkerError::ort(format!("reading output {name:?}"), e))?;
				Ok(Self::i64(name, shape.to_vec(), data.to_vec()))
			},
			other => Err(WorkerError::InvalidInput(format!(
				"output {name:?} has type {other:?}; only f32 and i64 tensors are supported"
			))),
		}
	}
}

/// Element type of a declared model input, when it is a tensor of a supported type.
fn declared_dtype(ty: &ValueType) -> Option<DType> {
	match ty {
		ValueType::Tensor { ty: TensorElementType::Float32, .. } => Some(DType::F32),
		ValueType::Tensor { ty: TensorElementType::Int64, .. } => Some(DType::I64),
		_ => None,
	}
}

/// Checks job inputs against the model's declared inputs (names, types, ranks, fixed dims).
fn check_inputs(session: &Session, model: &str, inputs: &[NamedTensor]) -> Result<()> {
	for t in inputs {
		t.validate()?;
		let Some(decl) = session.inputs().iter().find(|i| i.name() == t.name) else {
			let names: Vec<_> = session.inputs().iter().map(|i| i.name().to_string()).collect();
			return Err(WorkerError::InvalidInput(format!(
				"model {model} has no input {:?} (inputs: {names:?})",
				t.name
			)));
		};
		let want = declared_dtype(decl.dtype());
		if want != Some(t.data.dtype()) {
			return Err(WorkerError::InvalidInput(format!(
				"input {:?} of model {model} is {:?}, the job sent {:?}",
				t.name,
				decl.dtype(),
				t.data.dtype()
			)));
		}
		if let Some(shape) = decl.dtype().tensor_shape() {
			if shape.len() != t.shape.len() {
				return Err(WorkerError::InvalidInput(format!(
					"input {:?} of model {model} has rank {} (shape {:?}), the job sent shape {:?}",
					t.name,
					shape.len(),
					&shape[..],
					t.shape
				)));
			}
			for (i, (&want, &got)) in shape.iter().zip(&t.shape).enumerate() {
				if want >= 0 && want != got {
					return Err(WorkerError::InvalidInput(format!(
						"input {:?} of model {model}: dimension {i} must be {want}, the job sent {got}",
						t.name
					)));
				}
			}
		}
	}
	for decl in session.inputs() {
		if !inputs.iter().any(|t| t.name == decl.name()) {
			return Err(WorkerError::InvalidInput(format!(
				"model {model} needs input {:?} ({:?}), which the job did not send",
				decl.name(),
				decl.dtype()
			)));
		}
	}
	let mut names: Vec<&str> = inputs.iter().map(|t| t.name.as_str()).collect();
	names.sort_unstable();
	if names.windows(2).any(|w| w[0] == w[1]) {
		return Err(WorkerError::InvalidInput("the job sent the same input name twice".into()));
	}
	Ok(())
}

/// Runs a model on raw tensors and returns the requested outputs (all outputs when `None`).
///
/// # Errors
/// Inputs that do not fit the model (name, type, shape), unknown output names, ONNX Runtime
/// errors, and outputs of unsupported types.
pub fn run_tensors(
	model: &LoadedModel,
	inputs: &[NamedTensor],
	output_names: Option<&[String]>,
) -> Result<Vec<NamedTensor>> {
	let name = model.short_name();
	let mut session = model.session.lock().unwrap_or_else(|p| p.into_inner());
	check_inputs(&session, &name, inputs)?;
	let wanted: Vec<String> = match output_names {
		Some(names) => {
			for n in names {
				if !session.outputs().iter().any(|o| o.name() == n) {
					return Err(WorkerError::InvalidInput(format!(
						"model {name} has no output {n:?}"
					)));
				}
			}
			names.to_vec()
		},
		None => session.outputs().iter().map(|o| o.name().to_string()).collect(),
	};
	let mut values = Vec::with_capacity(inputs.len());
	for t in inputs {
		values.push((t.name.clone(), t.to_ort()?));
	}
	let outputs =
		session.run(values).map_err(|e| WorkerError::ort(format!("running model {name}"), e))?;
	wanted
		.iter()
		.map(|n| {
			let v = outputs.get(n).ok_or_else(|| WorkerError::Ort {
				context: format!("running model {name}"),
				reason: format!("output {n:?} missing from the results"),
			})?;
			NamedTensor::from_ort(n, v)
		})
		.collect()
}

#[cfg(test)]
mod tests {
	use super::*;

	#[test]
	fn json_round_trip() {
		let t = NamedTensor::f32("x", vec![1, 2], vec![0.5, -1.0]);
		let s = serde_json::to_string(&t).unwrap();
		assert_eq!(s, r#"{"name":"x","shape":[1,2],"dtype":"f32","data":[0.5,-1.0]}"#);
		assert_eq!(serde_json::from_str::<NamedTensor>(&s).unwrap(), t);
		let i: NamedTensor = serde_json::from_str(
			r#"{"name":"ids","shape":[3],"dtype":"i64","data":[1,2,9007199254740993]}"#,
		)
		.unwrap();
		assert_eq!(i.data, TensorData::I64(vec![1, 2, 9007199254740993]));
	}

	#[test]
	fn bad_tensors_are_errors() {
		let err = serde_json::from_str::<NamedTensor>(
			r#"{"name":"x","shape":[1],"dtype":"i64","data":[1.5]}"#,
		);
		assert!(err.unwrap_err().to_string().contains("not a list of i64"));
		let t = NamedTensor::f32("x", vec![2, 2], vec![1.0]);
		assert!(t.validate().unwrap_err().to_string().contains("needs 4 elements but data has 1"));
		let t = NamedTensor::f32("x", vec![-1], vec![]);
		assert!(t.validate().unwrap_err().to_string().contains("must be >= 0"));
		let t = NamedTensor::f32("x", vec![i64::MAX, i64::MAX], vec![]);
		assert!(t.validate().unwrap_err().to_string().contains("overflows"));
	}
}
