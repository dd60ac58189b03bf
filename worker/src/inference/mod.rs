//! ONNX inference: runtime setup and the three job pipelines.
//!
//! - [`runtime`]: loads ONNX Runtime and creates sessions on CPU or CUDA (no silent fallback);
//! - [`tensors`]: raw tensors in, raw tensors out;
//! - [`embeddings`]: text to unit vectors (tokenizer + mean pooling + L2 norm), batched;
//! - [`generation`]: decoder-only text generation with a KV cache, greedy or seeded top-p.
//!
//! Models come from the [`crate::model_store::ModelStore`], identified by the hash of their bytes.

pub mod batcher;
pub mod embeddings;
pub mod generation;
pub mod runtime;
pub mod tensors;

pub use batcher::{BatchFn, Batcher};
pub use embeddings::{embed, embed_batch, EmbeddingRequest, EmbeddingResponse, EmbeddingUsage};
pub use generation::{
	generate, generate_batch, FinishReason, GenerationOutput, GenerationRequest, GenerationUsage,
	Prompt, Sampling,
};
pub use runtime::{ExecutionProvider, Runtime, RuntimeConfig, ORT_DYLIB_ENV};
pub use tensors::{run_tensors, DType, NamedTensor, TensorData};
