//! Alignment and bad input, then parity with dlib (PyPI dlib-bin) on every faces-deepface face (goldens:
//! tests/parity/dlib_goldens.py) on flex, and wgpu with `wgpu`.

use super::*;

fn frame(width: u32, height: u32) -> Frame {
    let rgb = (0..width * height * 3)
        .map(|i| (i * 11 % 255) as u8)
        .collect();
    Frame::from_rgb(width, height, rgb).unwrap()
}

#[test]
fn template_points_map_onto_themselves() {
    let points = YUNET_CHIP_TEMPLATE.map(|p| [p[0] as f32 * 2.0 + 10.0, p[1] as f32 * 2.0 + 20.0]);
    let t = ChipTransform::from_landmarks(&points).unwrap();
    assert!(
        (t.a - 2.0).abs() < 1e-6
            && t.b.abs() < 1e-6
            && (t.tx - 10.0).abs() < 1e-4
            && (t.ty - 20.0).abs() < 1e-4,
        "{t:?}"
    );
}

#[test]
fn bad_landmarks_are_typed_errors() {
    let mut points = YUNET_CHIP_TEMPLATE.map(|p| [p[0] as f32, p[1] as f32]);
    points[2][0] = f32::NAN;
    assert!(matches!(
        ChipTransform::from_landmarks(&points),
        Err(EmbedError::InvalidLandmarks(_))
    ));
    let tiny = YUNET_CHIP_TEMPLATE.map(|p| [p[0] as f32 * 0.2, p[1] as f32 * 0.2]);
    assert!(matches!(
        ChipTransform::from_landmarks(&tiny),
        Err(EmbedError::FaceTooSmall { .. })
    ));
    // Partly outside the image: edges are repeated, the chip is defined.
    let image = frame(200, 200);
    let partly = YUNET_CHIP_TEMPLATE.map(|p| [p[0] as f32 + 120.0, p[1] as f32]);
    assert_eq!(
        chip_rgb(&image, &ChipTransform::from_landmarks(&partly).unwrap())
            .unwrap()
            .len(),
        150 * 150 * 3
    );
    let outside = YUNET_CHIP_TEMPLATE.map(|p| [p[0] as f32 + 1000.0, p[1] as f32]);
    assert!(matches!(
        chip_rgb(&image, &ChipTransform::from_landmarks(&outside).unwrap()),
        Err(EmbedError::InvalidLandmarks(_))
    ));
}

#[derive(serde::Deserialize)]
struct Goldens {
    images: Vec<GoldenImage>,
}
#[derive(serde::Deserialize)]
struct GoldenImage {
    file: String,
    landmarks: [[f32; 2]; 5],
    chip_sum: u64,
    embedding: Vec<f32>,
}

fn shared_dir() -> std::path::PathBuf {
    std::env::var_os("FACEPROOF_SHARED")
        .map(Into::into)
        .unwrap_or_else(|| std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../../../shared"))
}

fn load(device: &Device) -> EmbedStage {
    use faceproof_models::{dlib_resnet, read_native_weights};
    EmbedStage::new(
        FaceEmbedder::load(read_native_weights(&dlib_resnet::WEIGHTS).unwrap(), device).unwrap(),
    )
}

fn parity(device: Device, backend: &str) {
    let path = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../../tests/parity/goldens/dlib_resnet.json"
    );
    let goldens: Goldens = serde_json::from_str(&std::fs::read_to_string(path).unwrap()).unwrap();
    let stage = load(&device);
    let (mut worst, mut worst_chip, mut timings) = (0f32, 0u64, Vec::new());
    for image in &goldens.images {
        let frame = Frame::decode(&std::fs::read(shared_dir().join(&image.file)).unwrap()).unwrap();
        let chip = chip_rgb(
            &frame,
            &ChipTransform::from_landmarks(&image.landmarks).unwrap(),
        )
        .unwrap();
        worst_chip = worst_chip.max(
            chip.iter()
                .map(|&v| u64::from(v))
                .sum::<u64>()
                .abs_diff(image.chip_sum),
        );
        let started = std::time::Instant::now();
        let embedding = pollster::block_on(stage.embed_chips(&[chip]))
            .unwrap()
            .remove(0);
        timings.push(started.elapsed().as_secs_f64() * 1e3);
        let distance = embedding.distance(&Embedding(image.embedding.clone()));
        worst = worst.max(distance);
    }
    timings.sort_by(f64::total_cmp);
    println!(
        "dlib_resnet parity on {backend}: {} faces, max L2 to dlib {worst:.2e}; chip pixel-sum max diff {worst_chip}; latency (upload + forward + readback) median {:.1} ms, min {:.1} ms",
        goldens.images.len(),
        timings[timings.len() / 2],
        timings[0]
    );
    assert!(worst <= 0.05, "max L2 {worst}");
}

#[test]
#[cfg(feature = "flex")]
fn parity_with_dlib_on_flex() {
    parity(Device::flex(), "flex");
}

#[test]
#[cfg(feature = "wgpu")]
fn parity_with_dlib_on_wgpu() {
    parity(
        Device::wgpu_options()
            .init()
            .expect("wgpu device (set VK_ICD_FILENAMES for lavapipe)"),
        "wgpu",
    );
}

#[test]
#[cfg(feature = "flex")]
fn empty_batch_and_wrong_chip_are_handled() {
    let stage = load(&Device::flex());
    assert_eq!(
        pollster::block_on(stage.embed_chips(&[])).unwrap(),
        Vec::new()
    );
    assert!(matches!(
        pollster::block_on(stage.embed_chips(&[vec![0u8; 10]])),
        Err(EmbedError::InvalidLandmarks(_))
    ));
}
