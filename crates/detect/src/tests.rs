//! Parity with onnxruntime/OpenCV (goldens from tests/parity/yunet_goldens.py), recall on ../shared, and
//! bad input. Every network test runs on each compiled-in backend: flex always, wgpu with `--features wgpu`.

use super::*;
use faceproof_models::read_native_weights;
use serde::Deserialize;
use std::path::PathBuf;

fn shared_dir() -> PathBuf {
    std::env::var_os("FACEPROOF_SHARED")
        .map(PathBuf::from)
        .unwrap_or_else(|| PathBuf::from(concat!(env!("CARGO_MANIFEST_DIR"), "/../../../shared")))
}

fn load_frame(relative: &str) -> Frame {
    let path = shared_dir().join(relative);
    let bytes = std::fs::read(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    Frame::decode(&bytes).unwrap_or_else(|e| panic!("{relative}: {e}"))
}

/// burn registers its wgpu runtime once per process, and tests run on several threads of one process.
#[cfg(feature = "wgpu")]
fn wgpu_device() -> Device {
    static DEVICE: std::sync::OnceLock<Device> = std::sync::OnceLock::new();
    DEVICE
        .get_or_init(|| Device::wgpu_options().init().expect("wgpu device (set VK_ICD_FILENAMES for lavapipe)"))
        .clone()
}

/// The backends under test, by name.
pub(crate) fn devices() -> Vec<(&'static str, Device)> {
    #[allow(unused_mut)]
    let mut devices = vec![("flex", Device::flex())];
    #[cfg(feature = "wgpu")]
    devices.push(("wgpu", wgpu_device()));
    devices
}

fn detector(device: &Device) -> FaceDetector {
    let weights = read_native_weights(&yunet::WEIGHTS).expect("weights (run ./x models)");
    FaceDetector::new(yunet::YuNet::load(weights, device).unwrap(), DetectorConfig::default())
}

#[derive(Deserialize)]
struct Goldens {
    images: Vec<GoldenImage>,
}
#[derive(Deserialize)]
struct GoldenImage {
    file: String,
    width: u32,
    height: u32,
    scale: f32,
    /// The network's input, [height, width].
    input_shape: [usize; 2],
    input_sum: f64,
    outputs: std::collections::BTreeMap<String, Sampled>,
    faces: Vec<GoldenFace>,
}
#[derive(Deserialize)]
struct Sampled {
    index: Vec<usize>,
    value: Vec<f32>,
}
#[derive(Deserialize)]
struct GoldenFace {
    bbox: [f32; 4],
    landmarks: [[f32; 2]; 5],
    score: f32,
}

fn goldens() -> Goldens {
    let text = std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/../../tests/parity/goldens/yunet.json"))
        .expect("tests/parity/goldens/yunet.json");
    serde_json::from_str(&text).unwrap()
}

const OUTPUT_NAMES: [&str; 12] = [
    "cls_8", "cls_16", "cls_32", "obj_8", "obj_16", "obj_32", "bbox_8", "bbox_16", "bbox_32", "kps_8", "kps_16", "kps_32",
];

#[test]
fn raw_outputs_match_onnxruntime() {
    let goldens = goldens();
    for (backend, device) in devices() {
        let detector = detector(&device);
        let mut worst = 0.0f32;
        let mut compared = 0usize;
        for image in &goldens.images {
            let frame = load_frame(&image.file);
            assert_eq!((frame.width(), frame.height()), (image.width, image.height), "{}", image.file);
            let letterbox = FaceDetector::letterbox(frame.width(), frame.height());
            assert_eq!(letterbox.scale, image.scale, "{}", image.file);
            let shape = [letterbox.height as usize, letterbox.width as usize];
            assert_eq!(shape, image.input_shape, "{}", image.file);
            let input = letterbox.input_tensor(&frame);
            let sum: f64 = input.iter().map(|&v| f64::from(v)).sum();
            assert!((sum - image.input_sum).abs() / image.input_sum.max(1.0) < 1e-6, "{}: input differs", image.file);
            let tensor = Tensor::<4>::from_data(TensorData::new(input, [1, 3, shape[0], shape[1]]), &device);
            let outputs = detector.model.forward_raw(tensor).unwrap();
            for (name, output) in OUTPUT_NAMES.iter().zip(outputs) {
                let values = output.into_data().try_into_vec::<f32>().unwrap();
                let golden = &image.outputs[*name];
                for (&i, &expected) in golden.index.iter().zip(&golden.value) {
                    let diff = (values[i] - expected).abs();
                    worst = worst.max(diff);
                    compared += 1;
                    assert!(diff <= 1e-3, "{backend} {} {name}[{i}]: {} vs {expected}", image.file, values[i]);
                }
            }
        }
        println!("yunet parity on {backend}: {compared} values over {} images, max abs diff {worst:.2e}", goldens.images.len());
    }
}

#[test]
fn decoded_faces_match_opencv() {
    let goldens = goldens();
    for (backend, device) in devices() {
        let detector = detector(&device);
        let mut min_iou = 1.0f32;
        for image in &goldens.images {
            let frame = load_frame(&image.file);
            let faces = pollster::block_on(detector.detect(&frame)).unwrap();
            assert_eq!(faces.len(), image.faces.len(), "{backend} {}: {faces:?}", image.file);
            for expected in &image.faces {
                let best = faces
                    .iter()
                    .max_by(|a, b| iou(a.bbox, expected.bbox).total_cmp(&iou(b.bbox, expected.bbox)))
                    .unwrap();
                let overlap = iou(best.bbox, expected.bbox);
                min_iou = min_iou.min(overlap);
                assert!(overlap >= 0.99, "{backend} {}: IoU {overlap} {best:?} vs {:?}", image.file, expected.bbox);
                assert!((best.score - expected.score).abs() < 2e-3, "{}: score", image.file);
                let tolerance = 0.02 * expected.bbox[2].max(expected.bbox[3]);
                for (p, q) in best.landmarks.iter().zip(&expected.landmarks) {
                    assert!((p[0] - q[0]).abs() < tolerance && (p[1] - q[1]).abs() < tolerance, "{}: landmark", image.file);
                }
            }
        }
        println!("yunet decode vs OpenCV FaceDetectorYN on {backend}: min IoU {min_iou:.4}");
    }
}

#[test]
fn finds_the_subject_in_every_deepface_identity_image() {
    let identities = std::fs::read_to_string(shared_dir().join("data/faces-deepface/identities_derived.csv")).unwrap();
    let detector = detector(&Device::flex());
    let mut images = 0;
    for line in identities.lines().skip(1) {
        let file = line.split(',').next().unwrap();
        let frame = load_frame(&format!("data/faces-deepface/images/{file}"));
        let faces = pollster::block_on(detector.detect(&frame)).unwrap();
        let largest = faces.iter().max_by(|a, b| a.area().total_cmp(&b.area()));
        let largest = largest.unwrap_or_else(|| panic!("{file}: no face"));
        // The subject's face is a sizeable part of a portrait; a stray small box would not be.
        let side = largest.bbox[2].max(largest.bbox[3]);
        assert!(side > 0.08 * frame.width().min(frame.height()) as f32, "{file}: largest face only {side} px");
        images += 1;
    }
    assert_eq!(images, 61);
}

#[test]
fn recall_on_dlib_examples_and_no_face_on_dogs() {
    let directory = shared_dir().join("data/faces-dlib-examples");
    let detector = detector(&Device::flex());
    let mut matched = 0;
    for xml in ["training.xml", "testing.xml"] {
        let text = std::fs::read_to_string(directory.join(xml)).unwrap();
        for image in text.split("<image ").skip(1) {
            let file = attribute(image, "file").unwrap();
            let frame = load_frame(&format!("data/faces-dlib-examples/{file}"));
            let faces = pollster::block_on(detector.detect(&frame)).unwrap();
            for box_xml in image.split("<box ").skip(1) {
                let number = |name| attribute(box_xml, name).unwrap().parse::<f32>().unwrap();
                let truth = [number("left"), number("top"), number("width"), number("height")];
                let best = faces.iter().map(|f| iou(f.bbox, truth)).fold(0.0, f32::max);
                assert!(best >= 0.5, "{file}: box {truth:?} not found (best IoU {best})");
                matched += 1;
            }
        }
    }
    println!("dlib examples: {matched} labelled faces matched at IoU >= 0.5");
    let dogs = pollster::block_on(detector.detect(&load_frame("data/faces-dlib-examples/dogs.jpg"))).unwrap();
    assert!(dogs.is_empty(), "dogs.jpg: {dogs:?}");
}

fn attribute<'a>(xml: &'a str, name: &str) -> Option<&'a str> {
    let start = xml.find(&format!("{name}='"))? + name.len() + 2;
    Some(&xml[start..start + xml[start..].find('\'')?])
}

#[test]
fn letterbox_maps_back_to_source_pixels() {
    let wide = FaceDetector::letterbox(1280, 720);
    assert_eq!((wide.content_width, wide.content_height), (640, 360));
    assert_eq!((wide.width, wide.height), (640, 384), "sides padded up to a multiple of 32 only");
    assert_eq!(wide.to_source(320.0, 180.0), [640.0, 360.0]);
    let portrait = FaceDetector::letterbox(480, 640);
    assert_eq!((portrait.width, portrait.height, portrait.scale), (480, 640, 1.0));
    let tiny = FaceDetector::letterbox(1, 1);
    assert_eq!((tiny.content_width, tiny.content_height), (640, 640));
    let sliver = FaceDetector::letterbox(8192, 1);
    assert_eq!((sliver.content_width, sliver.content_height), (640, 1));
    assert_eq!((sliver.width, sliver.height), (640, 32));
}

#[test]
fn the_padding_below_and_right_of_the_content_is_zero() {
    let (w, h) = (50u32, 30u32);
    let frame = Frame::from_rgb(w, h, vec![200; (w * h * 3) as usize]).unwrap();
    let letterbox = Letterbox::fit(w, h, 100, 32);
    assert_eq!((letterbox.content_width, letterbox.content_height), (100, 60));
    assert_eq!((letterbox.width, letterbox.height), (128, 64));
    let input = letterbox.input_tensor(&frame);
    assert_eq!(input.len(), 3 * 128 * 64);
    for (i, &v) in input.iter().enumerate() {
        let (y, x) = ((i / 128) % 64, i % 128);
        let inside = x < 100 && y < 60;
        assert_eq!(v, if inside { 200.0 } else { 0.0 }, "channel {} y {y} x {x}", i / (128 * 64));
    }
}

#[test]
fn a_mis_sized_input_is_a_typed_error() {
    let detector = detector(&Device::flex());
    let err = pollster::block_on(detector.run_packed(vec![0.0; 3 * 64 * 64], [64, 96])).unwrap_err();
    assert!(matches!(err, DetectError::Model(ModelError::Input { .. })), "{err}");
    let err = pollster::block_on(detector.run_packed(vec![0.0; 3 * 64 * 48], [64, 48])).unwrap_err();
    assert!(matches!(err, DetectError::Model(ModelError::Input { .. })), "48 is not a multiple of 32: {err}");
}

#[test]
fn rgba_frames_letterbox_like_rgb_frames() {
    // Camera frames stay RGBA (no conversion); the letterbox must read them exactly as their RGB copy.
    let (w, h) = (37u32, 23u32);
    let rgb: Vec<u8> = (0..w * h * 3).map(|i| (i * 31 % 253) as u8).collect();
    let rgba: Vec<u8> = rgb.chunks_exact(3).flat_map(|p| [p[0], p[1], p[2], 7]).collect();
    let letterbox = Letterbox::fit(w, h, 64, 32);
    let from_rgb = letterbox.input_tensor(&Frame::from_rgb(w, h, rgb).unwrap());
    let from_rgba = letterbox.input_tensor(&Frame::from_rgba(w, h, rgba).unwrap());
    assert_eq!(from_rgb, from_rgba);
    assert!(from_rgb.iter().any(|v| *v > 0.0));
}

#[test]
fn degenerate_frames_get_a_defined_result() {
    let detector = detector(&Device::flex());
    for (w, h) in [(1, 1), (1, 500), (3000, 2)] {
        let frame = Frame::from_rgb(w, h, vec![128; (w * h * 3) as usize]).unwrap();
        let faces = pollster::block_on(detector.detect(&frame)).unwrap();
        assert!(faces.is_empty(), "{w}×{h}: {faces:?}");
    }
}

#[test]
fn corrupted_outputs_decode_to_no_face() {
    let letterbox = FaceDetector::letterbox(640, 480);
    let config = DetectorConfig::default();
    let values = yunet::anchors(480, 640) * yunet::PACKED_WIDTH;
    let nan = vec![f32::NAN; values];
    assert!(decode(&nan, &letterbox, &config).is_empty());
    assert!(decode(&[], &letterbox, &config).is_empty());
    let mut huge = vec![0.0f32; values];
    huge[0] = 1.0;
    huge[1] = 1.0;
    huge[4] = 1e30; // exp overflows to infinity
    assert!(decode(&huge, &letterbox, &config).is_empty());
}

#[test]
fn nms_keeps_the_best_of_overlapping_boxes() {
    let face = |x: f32, score: f32| Detection { bbox: [x, 0.0, 10.0, 10.0], score, landmarks: [[0.0; 2]; 5] };
    let kept = non_max_suppression(vec![face(0.0, 0.9), face(1.0, 0.95), face(50.0, 0.91)], 0.3, 10);
    assert_eq!(kept.iter().map(|f| f.score).collect::<Vec<_>>(), vec![0.95, 0.91]);
    assert_eq!(non_max_suppression(vec![face(0.0, 0.9), face(50.0, 0.8)], 0.3, 1).len(), 1);
}
