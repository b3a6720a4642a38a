//! ROI geometry, pose and eye openness on synthetic meshes, bad input, then parity with onnxruntime on
//! every faces-deepface image (goldens: tests/parity/facemesh_goldens.py) on flex, and wgpu with `wgpu`.

use super::*;
use crate::mean_shape::MEAN_SHAPE;

fn frame(width: u32, height: u32) -> Frame {
    let rgb = (0..width * height * 3)
        .map(|i| (i * 13 % 253) as u8)
        .collect();
    Frame::from_rgb(width, height, rgb).unwrap()
}

fn rotate(
    points: &[[f32; 3]],
    yaw: f32,
    pitch: f32,
    roll: f32,
    scale: f32,
    shift: [f32; 3],
) -> Vec<[f32; 3]> {
    // The documented convention: R = Rz(roll) Ry(-yaw) Rx(-pitch).
    let (a, b, c) = (
        (-yaw).to_radians(),
        (-pitch).to_radians(),
        roll.to_radians(),
    );
    let ry = [
        [a.cos(), 0.0, a.sin()],
        [0.0, 1.0, 0.0],
        [-a.sin(), 0.0, a.cos()],
    ];
    let rx = [
        [1.0, 0.0, 0.0],
        [0.0, b.cos(), -b.sin()],
        [0.0, b.sin(), b.cos()],
    ];
    let rz = [
        [c.cos(), -c.sin(), 0.0],
        [c.sin(), c.cos(), 0.0],
        [0.0, 0.0, 1.0],
    ];
    let mul = |m: [[f32; 3]; 3], p: [f32; 3]| {
        [0, 1, 2].map(|i| (0..3).map(|k| m[i][k] * p[k]).sum::<f32>())
    };
    points
        .iter()
        .map(|&p| mul(rz, mul(ry, mul(rx, p))).map(|v| v * scale))
        .map(|p| [p[0] + shift[0], p[1] + shift[1], p[2] + shift[2]])
        .collect()
}

#[test]
fn head_pose_recovers_known_rotations_with_documented_signs() {
    for (yaw, pitch, roll) in [
        (0.0, 0.0, 0.0),
        (30.0, 0.0, 0.0),
        (0.0, -20.0, 0.0),
        (0.0, 0.0, 15.0),
        (-25.0, 10.0, -8.0),
    ] {
        let points = rotate(&MEAN_SHAPE, yaw, pitch, roll, 80.0, [320.0, 240.0, 0.0]);
        let pose = head_pose(&points).unwrap();
        assert!(
            (pose.yaw - yaw).abs() < 0.01
                && (pose.pitch - pitch).abs() < 0.01
                && (pose.roll - roll).abs() < 0.01,
            "{pose:?} vs {yaw} {pitch} {roll}"
        );
        assert!(pose.fit_rms < 1e-4);
    }
    // Sign check against the picture: yaw > 0 moves the nose tip (point 1) right of the face centre.
    let turned = rotate(&MEAN_SHAPE, 30.0, 0.0, 0.0, 80.0, [0.0; 3]);
    assert!(turned[1][0] > 5.0);
    let up = rotate(&MEAN_SHAPE, 0.0, 20.0, 0.0, 80.0, [0.0; 3]);
    assert!(up[1][1] < rotate(&MEAN_SHAPE, 0.0, 0.0, 0.0, 80.0, [0.0; 3])[1][1]);
}

#[test]
fn degenerate_meshes_give_no_pose() {
    assert_eq!(head_pose(&[[0.0; 3]; 10]), None);
    let mut nan = MEAN_SHAPE.to_vec();
    nan[5][0] = f32::NAN;
    assert_eq!(head_pose(&nan), None);
    assert_eq!(head_pose(&[[1.0; 3]; 468]), None);
}

#[test]
fn eye_openness_drops_when_lids_close() {
    let open = eye_openness(&MEAN_SHAPE.map(|p| p.map(|v| v * 100.0))).unwrap();
    assert!(open.right > 0.15 && open.left > 0.15, "{open:?}");
    let mut closed = MEAN_SHAPE.map(|p| p.map(|v| v * 100.0)).to_vec();
    for ids in [RIGHT_EYE_EAR_POINTS, LEFT_EYE_EAR_POINTS] {
        let lid_y = (closed[ids[0]][1] + closed[ids[3]][1]) / 2.0;
        for &i in &ids[1..3] {
            closed[i][1] = lid_y;
        }
        for &i in &ids[4..6] {
            closed[i][1] = lid_y;
        }
    }
    let shut = eye_openness(&closed).unwrap();
    assert!(
        shut.right < open.right / 3.0 && shut.left < open.left / 3.0,
        "{shut:?} vs {open:?}"
    );
    assert_eq!(eye_openness(&closed[..10]), None);
}

#[test]
fn roi_follows_the_eye_line_and_maps_back() {
    let roi =
        Roi::from_detection([100.0, 100.0, 100.0, 120.0], [130.0, 150.0], [170.0, 190.0]).unwrap();
    assert!((roi.rotation.to_degrees() - 45.0).abs() < 1e-4);
    assert_eq!((roi.cx, roi.cy, roi.side), (150.0, 160.0, 144.0));
    let centre = roi.to_image([96.0, 96.0, 0.0]);
    assert!((centre[0] - 150.0).abs() < 1e-4 && (centre[1] - 160.0).abs() < 1e-4);
}

#[test]
fn bad_input_is_a_typed_error_or_defined() {
    let image = frame(320, 240);
    assert!(matches!(
        Roi::from_detection([10.0, 10.0, 30.0, 60.0], [0.0; 2], [1.0, 0.0]),
        Err(LandmarkError::FaceTooSmall { .. })
    ));
    assert!(matches!(
        Roi::from_detection([f32::NAN, 10.0, 60.0, 60.0], [0.0; 2], [1.0, 0.0]),
        Err(LandmarkError::InvalidInput(_))
    ));
    // Partly outside: edge pixels are replicated.
    let partly =
        Roi::from_detection([280.0, 200.0, 80.0, 80.0], [300.0, 220.0], [330.0, 220.0]).unwrap();
    assert_eq!(crop_rgb(&image, &partly).unwrap().len(), 3 * 192 * 192);
    // Entirely outside: nothing to look at.
    let outside = Roi {
        cx: 2000.0,
        cy: 2000.0,
        side: 100.0,
        rotation: 0.0,
    };
    assert!(matches!(
        crop_rgb(&image, &outside),
        Err(LandmarkError::InvalidInput(_))
    ));
}

#[derive(serde::Deserialize)]
struct Goldens {
    images: Vec<GoldenImage>,
}
#[derive(serde::Deserialize)]
struct GoldenImage {
    file: String,
    bbox: [f32; 4],
    eyes: [[f32; 2]; 2],
    roi: GoldenRoi,
    input_sum: f64,
    index: Vec<usize>,
    value: Vec<f32>,
    presence_logit: f32,
}
#[derive(serde::Deserialize)]
struct GoldenRoi {
    cx: f32,
    cy: f32,
    side: f32,
    rotation: f32,
}

pub(crate) fn shared_dir() -> std::path::PathBuf {
    std::env::var_os("FACEPROOF_SHARED")
        .map(Into::into)
        .unwrap_or_else(|| std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../../../shared"))
}

/// FaceMesh and Iris from `models/build`.
pub(crate) fn stage(device: &Device) -> LandmarkStage {
    let mesh = faceproof_models::read_native_weights(&faceproof_models::facemesh::WEIGHTS).unwrap();
    let iris = faceproof_models::read_native_weights(&faceproof_models::iris::WEIGHTS).unwrap();
    LandmarkStage::new(
        FaceMesh::load(mesh, device).unwrap(),
        Iris::load(iris, device).unwrap(),
    )
}

fn parity(device: Device, backend: &str) {
    let path = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../../tests/parity/goldens/facemesh.json"
    );
    let goldens: Goldens = serde_json::from_str(&std::fs::read_to_string(path).unwrap()).unwrap();
    let stage = stage(&device);
    let (mut worst, mut worst_presence, mut worst_input, mut compared) = (0f32, 0f32, 0f64, 0usize);
    let mut timings = Vec::new();
    let mut poses = Vec::new();
    for image in &goldens.images {
        let frame = Frame::decode(&std::fs::read(shared_dir().join(&image.file)).unwrap()).unwrap();
        let roi = Roi::from_detection(image.bbox, image.eyes[0], image.eyes[1]).unwrap();
        let golden_roi = Roi {
            cx: image.roi.cx,
            cy: image.roi.cy,
            side: image.roi.side,
            rotation: image.roi.rotation,
        };
        assert!(
            (roi.rotation - golden_roi.rotation).abs() < 1e-5
                && (roi.side - golden_roi.side).abs() < 1e-3,
            "{}: {roi:?}",
            image.file
        );
        let crop = crop_rgb(&frame, &roi).unwrap();
        worst_input = worst_input
            .max((crop.iter().map(|&v| f64::from(v)).sum::<f64>() - image.input_sum).abs());
        let started = std::time::Instant::now();
        let raw = pollster::block_on(stage.raw_outputs(crop)).unwrap();
        timings.push(started.elapsed().as_secs_f64() * 1e3);
        for (&i, &expected) in image.index.iter().zip(&image.value) {
            worst = worst.max((raw[i] - expected).abs());
            compared += 1;
        }
        worst_presence = worst_presence.max((raw[OUTPUT_VALUES] - image.presence_logit).abs());
        let face = pollster::block_on(stage.run_mesh(&frame, roi)).unwrap();
        assert!(
            face.presence > 0.5,
            "{}: presence {}",
            image.file,
            face.presence
        );
        poses.push((image.file.clone(), face.pose, face.ear));
    }
    // img11_reflection is img11 mirrored: yaw and roll must flip sign, pitch stay.
    let pose_of = |name: &str| {
        poses
            .iter()
            .find(|p| p.0.ends_with(name))
            .map(|p| p.1)
            .unwrap()
    };
    let (original, mirrored) = (pose_of("/img11.jpg"), pose_of("/img11_reflection.jpg"));
    assert!(
        (original.yaw + mirrored.yaw).abs() < 2.0 && (original.roll + mirrored.roll).abs() < 2.0,
        "{original:?} vs {mirrored:?}"
    );
    assert!(
        (original.pitch - mirrored.pitch).abs() < 3.0 && original.roll > 10.0,
        "{original:?} vs {mirrored:?}"
    );
    timings.sort_by(f64::total_cmp);
    for (file, pose, eyes) in poses.iter().take(6) {
        println!(
            "{file}: yaw {:.1} pitch {:.1} roll {:.1} (fit rms {:.3}), mesh EAR right {:.2} left {:.2}",
            pose.yaw, pose.pitch, pose.roll, pose.fit_rms, eyes.right, eyes.left
        );
    }
    println!(
        "facemesh parity on {backend}: {} images, {compared} landmark values, max abs diff {worst:.2e} crop px; presence logit max diff {worst_presence:.2e}; crop sum max diff {worst_input:.2e}; model latency (upload + forward + readback) median {:.1} ms, min {:.1} ms",
        goldens.images.len(),
        timings[timings.len() / 2],
        timings[0]
    );
    assert!(worst <= 1e-3, "max abs diff {worst}");
    assert!(
        worst_presence <= 1e-3,
        "presence max abs diff {worst_presence}"
    );
}

/// Tracking (the ROI from the previous frame's mesh) must frame the face like the detector's ROI and give
/// the same landmarks: on every golden image, the mesh-derived ROI's side is within 15 % of the detection
/// ROI's and its centre within 10 % of the side; FaceMesh on it puts the points within 2 % of the face size
/// (mean) of the detection-ROI mesh, and eye openness within 0.05 (mean 0.01).
#[test]
#[cfg(feature = "flex")]
fn tracking_roi_reproduces_the_detection_mesh() {
    let path = concat!(env!("CARGO_MANIFEST_DIR"), "/../../tests/parity/goldens/facemesh.json");
    let goldens: Goldens = serde_json::from_str(&std::fs::read_to_string(path).unwrap()).unwrap();
    let stage = stage(&Device::flex());
    let (mut worst_side, mut worst_centre, mut worst_points, mut worst_eye) = (0f32, 0f32, 0f32, 0f32);
    let (mut eye_diff_sum, mut eyes_compared) = (0f32, 0u32);
    for image in &goldens.images {
        let frame = Frame::decode(&std::fs::read(shared_dir().join(&image.file)).unwrap()).unwrap();
        let detected = Roi::from_detection(image.bbox, image.eyes[0], image.eyes[1]).unwrap();
        let Ok(first) = pollster::block_on(stage.run_roi(&frame, detected)) else { continue };
        let tracked = Roi::from_mesh(&first.points).unwrap();
        worst_side = worst_side.max((tracked.side / detected.side).ln().abs());
        worst_centre = worst_centre.max((tracked.cx - detected.cx).hypot(tracked.cy - detected.cy) / detected.side);
        let second = pollster::block_on(stage.run_roi(&frame, tracked)).unwrap();
        let mean_error = first
            .points
            .iter()
            .zip(&second.points)
            .map(|(a, b)| (a[0] - b[0]).hypot(a[1] - b[1]))
            .sum::<f32>()
            / first.points.len() as f32;
        worst_points = worst_points.max(mean_error / (detected.side / ROI_SCALE));
        for diff in [first.eyes.left - second.eyes.left, first.eyes.right - second.eyes.right] {
            worst_eye = worst_eye.max(diff.abs());
            eye_diff_sum += diff.abs();
            eyes_compared += 1;
        }
    }
    let mean_eye = eye_diff_sum / eyes_compared as f32;
    println!(
        "tracking ROI vs detection ROI: side ratio within {:.1} %, centre within {:.1} % of the side; mesh mean shift {:.2} % of the face; eye openness max {:.3}, mean {:.4}",
        (worst_side.exp() - 1.0) * 100.0,
        worst_centre * 100.0,
        worst_points * 100.0,
        worst_eye,
        mean_eye
    );
    assert!(worst_side < 0.15f32.ln_1p() && worst_centre < 0.10, "side {worst_side}, centre {worst_centre}");
    // Open eyes read about 0.2–0.35 and closed ones below 0.13: a 0.05 change cannot flip a blink.
    assert!(worst_points < 0.02 && worst_eye < 0.05 && mean_eye < 0.01, "points {worst_points}, eyes {worst_eye} (mean {mean_eye})");
}

#[test]
fn tracking_roi_refuses_bad_meshes() {
    assert!(matches!(Roi::from_mesh(&[[0.0; 3]; 10]), Err(LandmarkError::InvalidInput(_))));
    let mut points = vec![[100.0, 100.0, 0.0]; 468];
    points[5] = [f32::NAN, 0.0, 0.0];
    assert!(matches!(Roi::from_mesh(&points), Err(LandmarkError::NonFinite)));
    points[5] = [110.0, 110.0, 0.0];
    assert!(matches!(Roi::from_mesh(&points), Err(LandmarkError::FaceTooSmall { .. })));
    points[33] = [60.0, 100.0, 0.0];
    points[263] = [140.0, 100.0, 0.0];
    points[10] = [100.0, 20.0, 0.0];
    points[152] = [100.0, 180.0, 0.0];
    let roi = Roi::from_mesh(&points).unwrap();
    assert_eq!((roi.cx, roi.cy, roi.side), (100.0, 100.0, 160.0 * TRACK_ROI_SCALE));
    assert!(roi.rotation.abs() < 1e-6);
}

#[test]
#[cfg(feature = "flex")]
fn parity_with_onnxruntime_on_flex() {
    parity(Device::flex(), "flex");
}

/// burn registers its wgpu runtime once per process; the mesh and iris tests share this device.
#[cfg(feature = "wgpu")]
pub(crate) fn wgpu_device() -> Device {
    static DEVICE: std::sync::OnceLock<Device> = std::sync::OnceLock::new();
    DEVICE
        .get_or_init(|| Device::wgpu_options().init().expect("wgpu device (set VK_ICD_FILENAMES for lavapipe)"))
        .clone()
}

#[test]
#[cfg(feature = "wgpu")]
fn parity_with_onnxruntime_on_wgpu() {
    parity(crate::tests::wgpu_device(), "wgpu");
}

#[test]
#[cfg(feature = "flex")]
fn wrong_crop_size_is_a_typed_error() {
    let device = Device::flex();
    let stage = stage(&device);
    assert!(matches!(
        pollster::block_on(stage.raw_outputs(vec![0.0; 10])),
        Err(LandmarkError::InvalidInput(_))
    ));
    assert!(matches!(
        pollster::block_on(stage.raw_outputs(Vec::new())),
        Err(LandmarkError::InvalidInput(_))
    ));
    // A NaN crop runs (the network just propagates it) and the stage turns it into a typed error.
    let nan = pollster::block_on(stage.raw_outputs(vec![f32::NAN; 3 * 192 * 192])).unwrap();
    assert!(nan.iter().any(|v| v.is_nan()));
    let roi = Roi {
        cx: 100.0,
        cy: 100.0,
        side: 100.0,
        rotation: 0.0,
    };
    assert_eq!(mesh_from_raw(&nan, roi), Err(LandmarkError::NonFinite));
    assert!(matches!(
        mesh_from_raw(&[], roi),
        Err(LandmarkError::InvalidInput(_))
    ));
}
