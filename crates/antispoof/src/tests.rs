//! Crop geometry and bad input (no network), then parity with onnxruntime + OpenCV and the spoof-sample
//! decisions on flex (and wgpu with the `wgpu` feature). Goldens: tests/parity/minifasnet_goldens.py.

use super::*;
use sha2::{Digest, Sha256};

fn frame(width: u32, height: u32) -> Frame {
    let rgb = (0..width * height * 3)
        .map(|i| (i * 7 % 251) as u8)
        .collect();
    Frame::from_rgb(width, height, rgb).unwrap()
}

#[test]
fn rgba_frames_crop_like_rgb_frames() {
    let rgb = frame(120, 90);
    let rgba: Vec<u8> = rgb.pixels().chunks_exact(3).flat_map(|p| [p[0], p[1], p[2], 255]).collect();
    let rgba = Frame::from_rgba(120, 90, rgba).unwrap();
    let rect = CropRect { left: 5, top: 3, right: 100, bottom: 80 };
    assert_eq!(crop_resize_bgr(&rgb, rect), crop_resize_bgr(&rgba, rect));
}

#[test]
fn crop_is_shifted_inside_the_image_like_upstream() {
    // A box at the top-left corner: the 2.7x crop (270 px) cannot be centred, so it is shifted right/down.
    let face = FaceBox {
        x: 0.0,
        y: 0.0,
        w: 100.0,
        h: 100.0,
    };
    let rect = upstream_crop_rect(640, 480, &face, 2.7).unwrap();
    assert_eq!(
        rect,
        CropRect {
            left: 0,
            top: 0,
            right: 270,
            bottom: 270
        }
    );
    // Scale 4.0 on a 480-high image is reduced to (480-1)/100 = 4.79 -> 4.0 fits; at 6.0 it would not.
    let rect = upstream_crop_rect(
        640,
        480,
        &FaceBox {
            x: 270.0,
            y: 190.0,
            w: 100.0,
            h: 100.0,
        },
        6.0,
    )
    .unwrap();
    assert_eq!((rect.top, rect.bottom), (0, 479));
}

#[test]
fn box_partly_outside_the_image_gets_a_defined_crop() {
    let face = FaceBox {
        x: 560.0,
        y: 400.0,
        w: 100.0,
        h: 120.0,
    };
    let rect = upstream_crop_rect(640, 480, &face, 4.0).unwrap();
    assert_eq!((rect.right, rect.bottom), (639, 479));
    let crops = crops(&frame(640, 480), &face).unwrap();
    assert_eq!(crops.v2.len(), 3 * 80 * 80);
}

#[test]
fn bad_boxes_are_typed_errors() {
    let image = frame(320, 240);
    let small = FaceBox {
        x: 10.0,
        y: 10.0,
        w: 39.0,
        h: 60.0,
    };
    assert!(matches!(
        crops(&image, &small),
        Err(AntiSpoofError::FaceTooSmall { .. })
    ));
    let nan = FaceBox {
        x: f32::NAN,
        y: 10.0,
        w: 60.0,
        h: 60.0,
    };
    assert!(matches!(
        crops(&image, &nan),
        Err(AntiSpoofError::InvalidBox(_))
    ));
    let outside = FaceBox {
        x: 400.0,
        y: 10.0,
        w: 60.0,
        h: 60.0,
    };
    assert!(matches!(
        crops(&image, &outside),
        Err(AntiSpoofError::InvalidBox(_))
    ));
    let infinite = FaceBox {
        x: 0.0,
        y: 0.0,
        w: f32::INFINITY,
        h: 60.0,
    };
    assert!(matches!(
        crops(&image, &infinite),
        Err(AntiSpoofError::InvalidBox(_))
    ));
}

#[test]
fn non_finite_network_output_is_an_error() {
    let nan = [f32::NAN; CLASSES];
    assert_eq!(
        Liveness::from_softmaxes(nan, [0.0, 1.0, 0.0]),
        Err(AntiSpoofError::NonFinite)
    );
}

#[derive(serde::Deserialize)]
struct Goldens {
    images: Vec<GoldenImage>,
}
#[derive(serde::Deserialize)]
struct GoldenImage {
    file: String,
    bbox: [f32; 4],
    v2: GoldenCrop,
    v1se: GoldenCrop,
    live_probability: f32,
    is_live: bool,
}
#[derive(serde::Deserialize)]
struct GoldenCrop {
    rect: [u32; 4],
    crop_sha256: String,
    crop_sum: i64,
    softmax: [f32; 3],
}

fn goldens() -> Goldens {
    let path = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../../tests/parity/goldens/minifasnet.json"
    );
    serde_json::from_str(&std::fs::read_to_string(path).unwrap()).unwrap()
}

fn shared_dir() -> std::path::PathBuf {
    std::env::var_os("FACEPROOF_SHARED")
        .map(Into::into)
        .unwrap_or_else(|| std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../../../shared"))
}

/// The BGR crop in OpenCV's HWC byte order, for hashing against the golden.
fn hwc_bytes(planar: &[f32]) -> Vec<u8> {
    let plane = CROP_SIZE * CROP_SIZE;
    (0..plane)
        .flat_map(|p| (0..3).map(move |c| planar[c * plane + p] as u8))
        .collect()
}

#[test]
fn crops_equal_upstream_opencv_bytes() {
    let goldens = goldens();
    let (mut exact, mut total, mut worst_sum) = (0, 0, 0i64);
    for image in &goldens.images {
        let frame = Frame::decode(&std::fs::read(shared_dir().join(&image.file)).unwrap()).unwrap();
        let built = crops(&frame, &FaceBox::from_xywh(image.bbox)).unwrap();
        for (ours, rect, golden) in [
            (&built.v2, built.rect_v2, &image.v2),
            (&built.v1se, built.rect_v1se, &image.v1se),
        ] {
            assert_eq!(
                [rect.left, rect.top, rect.right, rect.bottom],
                golden.rect,
                "{}",
                image.file
            );
            let bytes = hwc_bytes(ours);
            let sum: i64 = bytes.iter().map(|&b| i64::from(b)).sum();
            worst_sum = worst_sum.max((sum - golden.crop_sum).abs());
            total += 1;
            if hex::encode(Sha256::digest(&bytes)) == golden.crop_sha256 {
                exact += 1;
            }
        }
    }
    println!(
        "antispoof crops: {exact}/{total} byte-identical to upstream cv2 crops; worst pixel-sum difference {worst_sum}"
    );
    assert_eq!(exact, total, "worst pixel-sum difference {worst_sum}");
}

fn load(device: &Device) -> AntiSpoof {
    use faceproof_models::{minifasnet, read_native_weights};
    let model = MiniFasNet::load(
        read_native_weights(&minifasnet::WEIGHTS_V2).unwrap(),
        read_native_weights(&minifasnet::WEIGHTS_V1SE).unwrap(),
        device,
    )
    .unwrap();
    AntiSpoof::new(model)
}

fn parity_and_accuracy(device: Device, backend: &str) {
    let goldens = goldens();
    let anti_spoof = load(&device);
    let mut worst = 0f32;
    let mut timings = Vec::new();
    for image in &goldens.images {
        let frame = Frame::decode(&std::fs::read(shared_dir().join(&image.file)).unwrap()).unwrap();
        let started = std::time::Instant::now();
        let result =
            pollster::block_on(anti_spoof.check(&frame, &FaceBox::from_xywh(image.bbox))).unwrap();
        timings.push(started.elapsed().as_secs_f64() * 1e3);
        for (ours, golden) in [
            (result.softmax_v2, image.v2.softmax),
            (result.softmax_v1se, image.v1se.softmax),
        ] {
            for (a, b) in ours.iter().zip(golden) {
                worst = worst.max((a - b).abs());
            }
        }
        assert_eq!(result.is_live, image.is_live, "{}: {result:?}", image.file);
        assert!(
            (result.live_probability - image.live_probability).abs() <= 1e-3,
            "{}",
            image.file
        );
        let file = image.file.as_str();
        if file.contains("image_T") {
            assert!(result.is_live, "{file} is live: {result:?}");
        }
        if file.contains("image_F") {
            assert!(!result.is_live, "{file} is a spoof: {result:?}");
        }
        if file.contains("spoof-samples") {
            println!(
                "{backend}: {file} live probability {:.4} -> {}",
                result.live_probability,
                if result.is_live { "live" } else { "spoof" }
            );
        }
    }
    timings.sort_by(f64::total_cmp);
    println!(
        "minifasnet parity on {backend}: {} images x 6 softmax values, max abs diff {worst:.2e}; latency (crop + both nets + readback) median {:.1} ms, min {:.1} ms",
        goldens.images.len(),
        timings[timings.len() / 2],
        timings[0]
    );
    assert!(worst <= 1e-3, "max abs diff {worst}");
}

#[test]
#[cfg(feature = "flex")]
fn parity_with_onnxruntime_on_flex() {
    parity_and_accuracy(Device::flex(), "flex");
}

#[test]
#[cfg(feature = "wgpu")]
fn parity_with_onnxruntime_on_wgpu() {
    parity_and_accuracy(
        Device::wgpu_options()
            .init()
            .expect("wgpu device (set VK_ICD_FILENAMES for lavapipe)"),
        "wgpu",
    );
}

#[test]
#[cfg(feature = "flex")]
fn empty_batch_and_wrong_shapes_are_handled() {
    let device = Device::flex();
    let anti_spoof = load(&device);
    assert_eq!(
        pollster::block_on(anti_spoof.check_crops(&[])).unwrap(),
        Vec::new()
    );
    let wrong = Tensor::<4>::zeros([1, 3, 64, 64], &device);
    assert!(matches!(
        anti_spoof.model.forward_v2_logits(wrong),
        Err(ModelError::Input { .. })
    ));
    let empty = Tensor::<4>::zeros([0, 3, 80, 80], &device);
    assert!(matches!(
        anti_spoof.model.forward_v1se_logits(empty),
        Err(ModelError::Input { .. })
    ));
}

/// The whole native path: faceproof's own YuNet (burn, flex) finds the face, then the ensemble decides.
#[test]
#[cfg(feature = "flex")]
fn spoof_samples_through_the_burn_detector() {
    use faceproof_detect::{DetectorConfig, FaceDetector};
    use faceproof_models::{read_native_weights, yunet};
    let device = Device::flex();
    let detector = FaceDetector::new(
        yunet::YuNet::load(read_native_weights(&yunet::WEIGHTS).unwrap(), &device).unwrap(),
        DetectorConfig::default(),
    );
    let anti_spoof = load(&device);
    for (name, live) in [
        ("image_T1.jpg", true),
        ("image_T2.jpg", true),
        ("image_F1.jpg", false),
        ("image_F2.jpg", false),
    ] {
        let frame = Frame::decode(
            &std::fs::read(shared_dir().join("data/spoof-samples").join(name)).unwrap(),
        )
        .unwrap();
        let faces = pollster::block_on(detector.detect(&frame)).unwrap();
        let face = faces
            .iter()
            .max_by(|a, b| a.area().total_cmp(&b.area()))
            .unwrap();
        let result =
            pollster::block_on(anti_spoof.check(&frame, &FaceBox::from_xywh(face.bbox))).unwrap();
        println!(
            "burn detector + ensemble: {name} live probability {:.4} -> {}",
            result.live_probability,
            if result.is_live { "live" } else { "spoof" }
        );
        assert_eq!(result.is_live, live, "{name}: {result:?}");
    }
}
