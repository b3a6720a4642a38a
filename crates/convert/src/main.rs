//! `faceproof-convert`: the one command that produces every model the module runs.
//!
//! For each `[[model]]` in `models/manifest.toml` it checks the upstream file's sha256, converts it with
//! burn-onnx into Rust code (committed, so builds never need the converter) and burnpack weights (built,
//! never committed), and rewrites the weights canonically so that their sha256 is reproducible.
//!
//! Usage: faceproof-convert [--check] [--update-hashes]
//!   --check          fail if the generated code differs from the committed code (CI)
//!   --update-hashes  write the produced weights' sha256 into the manifest instead of verifying it

use sha2::{Digest, Sha256};
use std::path::{Path, PathBuf};
use std::process::ExitCode;

#[derive(serde::Deserialize)]
struct Manifest {
    model: Vec<ModelEntry>,
}

#[derive(serde::Deserialize)]
struct ModelEntry {
    name: String,
    source: String,
    source_sha256: String,
    code: String,
    weights: String,
    weights_sha256: String,
    /// How to read `source`: "onnx" (default; burn-onnx generates `code`) or "dlib" (dlib's binary
    /// serialization, read by `dlib.rs`; `code` is the hand-written module it must match).
    #[serde(default)]
    format: Option<String>,
}

mod dlib;

/// Packs named f32 tensors (sorted by name, no param ids) as canonical burnpack bytes.
fn burnpack_from_tensors(mut tensors: Vec<dlib::NamedTensor>) -> Result<Vec<u8>, String> {
    tensors.sort_by(|a, b| a.name.cmp(&b.name));
    let packed = tensors
        .into_iter()
        .map(|t| {
            let bytes: Vec<u8> = t.values.iter().flat_map(|v| v.to_le_bytes()).collect();
            burn_pack::Tensor::new(t.name, burn_pack::DType::F32, t.shape, None, burn_pack::Bytes::from_bytes_vec(bytes))
        })
        .collect();
    Ok(burn_pack::Writer::new(packed).into_bytes().map_err(|e| e.to_string())?.to_vec())
}

fn sha256_hex(bytes: &[u8]) -> String {
    hex::encode(Sha256::digest(bytes))
}

/// burn-onnx gives every parameter a random `param_id`, so two conversions differ byte-wise. The module
/// never uses those ids (they identify optimizer state), so drop them and re-pack: same tensors, same bytes.
fn canonical_burnpack(bytes: Vec<u8>) -> Result<Vec<u8>, String> {
    let reader = burn_pack::Reader::from_bytes(burn_pack::Bytes::from_bytes_vec(bytes)).map_err(|e| e.to_string())?;
    let metadata = reader.metadata().clone();
    let mut tensors = Vec::new();
    for tensor in reader.into_tensors().map_err(|e| e.to_string())? {
        let (name, dtype, shape, _param_id, data) = tensor.into_parts().map_err(|e| e.to_string())?;
        tensors.push(burn_pack::Tensor::new(name, dtype, shape.to_vec(), None, data));
    }
    tensors.sort_by(|a, b| a.name.cmp(&b.name));
    let mut writer = burn_pack::Writer::new(tensors);
    for (key, value) in &metadata {
        writer = writer.with_metadata(key, value);
    }
    Ok(writer.into_bytes().map_err(|e| e.to_string())?.to_vec())
}

fn rustfmt_normalise(code: &str) -> String {
    // The generated code embeds the absolute ONNX path in its first comment; keep only the file name so
    // the committed code does not depend on where ../shared lives.
    code.lines()
        .map(|line| match line.strip_prefix("// Generated from ONNX \"") {
            Some(rest) => {
                let path = rest.trim_end_matches("\" by burn-onnx");
                let file = Path::new(path).file_name().map(|f| f.to_string_lossy().into_owned()).unwrap_or_default();
                format!("// Generated from ONNX \"{file}\" by burn-onnx 0.22.0 (faceproof-convert). Do not edit.")
            }
            None => line.to_string(),
        })
        .collect::<Vec<_>>()
        .join("\n")
        + "\n"
}

/// Routes the generated code's layer calls through the crate's own functions, which take faster paths on
/// burn's CPU backend and burn's own elsewhere: `self.maxpool2dN.forward(x)` through `crate::pool::max_pool2d`
/// (crates/models/src/pool.rs) and `self.conv2dN.forward(x)` through `crate::conv::conv2d` (conv.rs).
fn route_layers(code: &str) -> String {
    let code = route_calls(code, "maxpool2d", "crate::pool::max_pool2d");
    route_calls(&code, "conv2d", "crate::conv::conv2d")
}

/// Rewrites every `self.{field}N.forward(args)` as `{function}(&self.{field}N, args)`.
fn route_calls(code: &str, field: &str, function: &str) -> String {
    let call = format!("self.{field}");
    let mut out = String::with_capacity(code.len());
    let mut rest = code;
    while let Some(at) = rest.find(&call) {
        let after = &rest[at + call.len()..];
        let digits = after.chars().take_while(char::is_ascii_digit).count();
        match after[digits..].strip_prefix(".forward(") {
            Some(arguments) if digits > 0 => {
                out.push_str(&rest[..at]);
                out.push_str(&format!("{function}(&self.{field}{}, ", &after[..digits]));
                rest = arguments;
            }
            _ => {
                out.push_str(&rest[..at + call.len()]);
                rest = after;
            }
        }
    }
    out.push_str(rest);
    out
}

fn convert(root: &Path, shared: &Path, model: &ModelEntry, check: bool) -> Result<String, String> {
    let source_path = shared.join("models").join(&model.source);
    let source = std::fs::read(&source_path).map_err(|e| format!("{}: {e}", source_path.display()))?;
    let actual = sha256_hex(&source);
    if actual != model.source_sha256 {
        return Err(format!("{}: sha256 {actual}, manifest says {}", source_path.display(), model.source_sha256));
    }

    if model.format.as_deref() == Some("dlib") {
        let code_path = root.join(&model.code);
        if !code_path.is_file() {
            return Err(format!("{}: the hand-written module for {} is missing", model.code, model.name));
        }
        let weights = burnpack_from_tensors(dlib::convert(&source)?)?;
        let weights_dir = root.join("models/build");
        std::fs::create_dir_all(&weights_dir).map_err(|e| e.to_string())?;
        std::fs::write(weights_dir.join(&model.weights), &weights).map_err(|e| e.to_string())?;
        return Ok(sha256_hex(&weights));
    }

    let scratch = std::env::temp_dir().join(format!("faceproof-convert-{}-{}", model.name, std::process::id()));
    let _ = std::fs::remove_dir_all(&scratch);
    std::fs::create_dir_all(&scratch).map_err(|e| e.to_string())?;
    // LoadStrategy::None: the module loads weights itself, with a sha256 check and typed errors.
    burn_onnx::ModelGen::new()
        .input(&source_path.to_string_lossy())
        .out_dir(&scratch.to_string_lossy())
        .load_strategy(burn_onnx::LoadStrategy::None)
        .development(false)
        .run_from_cli();
    let stem = Path::new(&model.source).file_stem().map(|s| s.to_string_lossy().into_owned()).unwrap_or_default();
    let code = std::fs::read_to_string(scratch.join(format!("{stem}.rs"))).map_err(|e| format!("generated code: {e}"))?;
    let code = route_layers(&rustfmt_normalise(&code));
    let weights = std::fs::read(scratch.join(format!("{stem}.bpk"))).map_err(|e| format!("generated weights: {e}"))?;
    let weights = canonical_burnpack(weights)?;
    let _ = std::fs::remove_dir_all(&scratch);

    let code_path = root.join(&model.code);
    if check {
        let committed = std::fs::read_to_string(&code_path).unwrap_or_default();
        if committed != code {
            return Err(format!("{} is out of date: run ./x models and commit it", model.code));
        }
    } else {
        if let Some(dir) = code_path.parent() {
            std::fs::create_dir_all(dir).map_err(|e| e.to_string())?;
        }
        std::fs::write(&code_path, &code).map_err(|e| e.to_string())?;
    }
    let weights_dir = root.join("models/build");
    std::fs::create_dir_all(&weights_dir).map_err(|e| e.to_string())?;
    std::fs::write(weights_dir.join(&model.weights), &weights).map_err(|e| e.to_string())?;
    Ok(sha256_hex(&weights))
}

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let check = args.iter().any(|a| a == "--check");
    let update = args.iter().any(|a| a == "--update-hashes");
    // `./x` names its checkout: clones sharing one cargo target directory share its uplifted binaries, so
    // this one may have been built in another checkout, whose path the compile-time fallback would hold.
    let root = std::env::var_os("FACEPROOF_ROOT")
        .map(PathBuf::from)
        .unwrap_or_else(|| PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../.."));
    let shared = std::env::var_os("FACEPROOF_SHARED").map(PathBuf::from).unwrap_or_else(|| root.join("../shared"));
    let manifest_path = root.join("models/manifest.toml");
    let manifest_text = match std::fs::read_to_string(&manifest_path) {
        Ok(text) => text,
        Err(e) => {
            eprintln!("{}: {e}", manifest_path.display());
            return ExitCode::FAILURE;
        }
    };
    let manifest: Manifest = match toml::from_str(&manifest_text) {
        Ok(m) => m,
        Err(e) => {
            eprintln!("{}: {e}", manifest_path.display());
            return ExitCode::FAILURE;
        }
    };
    let mut updated = manifest_text.clone();
    let mut failed = false;
    for model in &manifest.model {
        match convert(&root, &shared, model, check) {
            Ok(hash) if hash == model.weights_sha256 => println!("{:<12} ok  {hash}  models/build/{}", model.name, model.weights),
            Ok(hash) if update => {
                let old = format!("weights = \"{}\"\nweights_sha256 = \"{}\"", model.weights, model.weights_sha256);
                let new = format!("weights = \"{}\"\nweights_sha256 = \"{hash}\"", model.weights);
                updated = updated.replace(&old, &new);
                println!("{:<12} new {hash}  models/build/{}", model.name, model.weights);
            }
            Ok(hash) => {
                eprintln!("{}: weights sha256 {hash}, manifest says {:?}", model.name, model.weights_sha256);
                failed = true;
            }
            Err(e) => {
                eprintln!("{}: {e}", model.name);
                failed = true;
            }
        }
    }
    if update && updated != manifest_text {
        if let Err(e) = std::fs::write(&manifest_path, updated) {
            eprintln!("{}: {e}", manifest_path.display());
            return ExitCode::FAILURE;
        }
    }
    if failed { ExitCode::FAILURE } else { ExitCode::SUCCESS }
}

#[cfg(test)]
mod tests {
    use super::route_layers;

    #[test]
    fn pool_and_conv_calls_are_routed_and_nothing_else_changes() {
        let code = "let a = self.maxpool2d1.forward(relu2_out1);\nlet b = self.maxpool2d12.forward(x.clone());\nmaxpool2d1: MaxPool2d,\nlet c = self.maxpool2d.forward(y);\nlet d = self.conv2d3.forward(a);\nlet e = self.conv2d.forward(b);\nconv2d3: Conv2d,\n";
        assert_eq!(
            route_layers(code),
            "let a = crate::pool::max_pool2d(&self.maxpool2d1, relu2_out1);\nlet b = crate::pool::max_pool2d(&self.maxpool2d12, x.clone());\nmaxpool2d1: MaxPool2d,\nlet c = self.maxpool2d.forward(y);\nlet d = crate::conv::conv2d(&self.conv2d3, a);\nlet e = self.conv2d.forward(b);\nconv2d3: Conv2d,\n"
        );
    }
}
