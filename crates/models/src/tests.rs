use super::*;

#[derive(serde::Deserialize)]
struct Manifest {
    model: Vec<Entry>,
}
#[derive(serde::Deserialize)]
struct Entry {
    name: String,
    weights: String,
    weights_sha256: String,
}

#[test]
fn pinned_weights_match_the_manifest() {
    let text = std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/../../models/manifest.toml")).unwrap();
    let manifest: Manifest = toml::from_str(&text).unwrap();
    assert_eq!(manifest.model.len(), WEIGHTS.len());
    for entry in manifest.model {
        let spec = WEIGHTS.iter().find(|w| w.name == entry.name).unwrap();
        assert_eq!((spec.file, spec.sha256), (entry.weights.as_str(), entry.weights_sha256.as_str()));
    }
}

#[test]
fn wrong_weights_are_a_typed_error() {
    let err = verify_weights(&yunet::WEIGHTS, b"not the weights").unwrap_err();
    assert!(matches!(err, ModelError::WeightsHash { model: "yunet", .. }), "{err}");
}

#[cfg(feature = "flex")]
#[test]
fn weights_load_and_bad_input_shape_is_refused() {
    let device = Device::flex();
    let model = yunet::YuNet::load(read_native_weights(&yunet::WEIGHTS).unwrap(), &device).unwrap();
    for wrong in [[1, 3, 320, 330], [1, 3, 672, 640], [2, 3, 640, 640], [1, 1, 640, 640], [1, 3, 0, 640]] {
        let input = burn::tensor::Tensor::<4>::zeros(wrong, &device);
        assert!(matches!(model.forward_raw(input), Err(ModelError::Input { .. })), "{wrong:?}");
    }
    // Any multiple of 32 up to 640 on each side is a valid input; the packed output has one row per anchor.
    let portrait = burn::tensor::Tensor::<4>::zeros([1, 3, 640, 480], &device);
    let packed = model.forward_packed(portrait).unwrap();
    assert_eq!(packed.dims(), [1, yunet::anchors(640, 480), yunet::PACKED_WIDTH]);
    assert_eq!(yunet::anchors(640, 480), 80 * 60 + 40 * 30 + 20 * 15);
}

#[cfg(feature = "flex")]
#[test]
fn the_folded_embedding_network_computes_the_layered_one() {
    use burn::tensor::{Distribution, Tensor};
    let device = Device::flex();
    let bytes = read_native_weights(&dlib_resnet::WEIGHTS).unwrap();
    let layered = load_verified(&dlib_resnet::WEIGHTS, dlib_resnet::DlibResNet::new(&device), bytes).unwrap();
    let folded = dlib_resnet::FoldedResNet::new(&layered);
    let chips = Tensor::<4>::random([2, 3, 150, 150], Distribution::Uniform(0.0, 255.0), &device);
    let expected = layered.forward(chips.clone()).into_data().try_into_vec::<f32>().unwrap();
    let actual = folded.forward(chips).into_data().try_into_vec::<f32>().unwrap();
    let worst = expected.iter().zip(&actual).map(|(a, b)| (a - b).abs()).fold(0.0f32, f32::max);
    let scale = expected.iter().map(|v| v.abs()).fold(0.0f32, f32::max);
    assert!(scale > 0.01, "a real embedding, not zeros: {scale}");
    assert!(worst <= 1e-5, "folded vs layered: max abs diff {worst} (largest value {scale})");
}
