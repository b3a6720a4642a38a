//! Eye ROI geometry, mirroring, openness on synthetic contours, typed errors, then Iris parity with
//! onnxruntime on both eyes of every faces-deepface image (goldens: tests/parity/iris_goldens.py).

use super::*;
use crate::tests::shared_dir;

fn frame(width: u32, height: u32) -> Frame {
    let rgb = (0..width * height * 3)
        .map(|i| (i * 7 % 251) as u8)
        .collect();
    Frame::from_rgb(width, height, rgb).unwrap()
}

#[test]
fn eye_roi_is_mediapipes_and_maps_back_through_the_mirror() {
    // Corners 40 px apart on a line descending 30° to the right (clockwise on screen).
    let (s, c) = 30f32.to_radians().sin_cos();
    let start = [100.0, 100.0];
    let end = [100.0 + 40.0 * c, 100.0 + 40.0 * s];
    let roi = EyeRoi::from_corners(Eye::Right, start, end).unwrap();
    assert!((roi.rotation.to_degrees() - 30.0).abs() < 1e-4, "{roi:?}");
    // Side: 2.3 × the axis-aligned box's longer side (MediaPipe), not the corner distance.
    assert!((roi.side - 2.3 * 40.0 * c).abs() < 1e-3, "{roi:?}");
    assert!((roi.cx - (start[0] + end[0]) / 2.0).abs() < 1e-4);
    // Crop centre → ROI centre; a point on the crop's left half → towards `start`, for both eyes.
    for eye in [Eye::Right, Eye::Left] {
        let roi = EyeRoi::from_corners(eye, start, end).unwrap();
        let centre = roi.to_image([32.0, 32.0, 0.0]);
        assert!((centre[0] - roi.cx).abs() < 1e-4 && (centre[1] - roi.cy).abs() < 1e-4);
        let towards = roi.to_image([if eye.mirrored() { 48.0 } else { 16.0 }, 32.0, 0.0]);
        let d = |p: [f32; 3], q: [f32; 2]| (p[0] - q[0]).hypot(p[1] - q[1]);
        assert!(d(towards, start) < d(towards, end), "{eye}: {towards:?}");
    }
    assert!(Eye::Left.mirrored() && !Eye::Right.mirrored());
}

#[test]
fn mirrored_crop_is_the_plain_crop_flipped() {
    let image = frame(200, 150);
    let plain = EyeRoi::from_corners(Eye::Right, [80.0, 70.0], [120.0, 78.0]).unwrap();
    let mirrored = EyeRoi {
        eye: Eye::Left,
        ..plain
    };
    let (a, b) = (
        crop_eye(&image, &plain).unwrap(),
        crop_eye(&image, &mirrored).unwrap(),
    );
    let size = 64;
    for ch in 0..3 {
        for row in 0..size {
            for col in 0..size {
                let i = ch * size * size + row * size;
                assert_eq!(a[i + col], b[i + size - 1 - col]);
            }
        }
    }
}

/// A 71-point contour of an almond eye in image pixels: corners at x = ±w/2, lids at ±h·sin(π·t).
fn synthetic_contour(width: f32, height: f32, angle: f32) -> Vec<[f32; 3]> {
    let mut points = vec![[0.0f32; 3]; 71];
    let place = |x: f32, y: f32| {
        let (s, c) = angle.sin_cos();
        [200.0 + x * c - y * s, 150.0 + x * s + y * c, 0.0]
    };
    for k in 0..=8 {
        let t = k as f32 / 8.0;
        let x = -width / 2.0 + t * width;
        points[k] = place(x, height / 2.0 * (std::f32::consts::PI * t).sin());
        if (1..=7).contains(&k) {
            points[8 + k] = place(x, -height / 2.0 * (std::f32::consts::PI * t).sin());
        }
    }
    points
}

#[test]
fn contour_openness_follows_the_lids_and_ignores_rotation() {
    let open = contour_openness(&synthetic_contour(40.0, 14.0, 0.0)).unwrap();
    let tilted = contour_openness(&synthetic_contour(40.0, 14.0, 0.4)).unwrap();
    let closed = contour_openness(&synthetic_contour(40.0, 1.5, 0.0)).unwrap();
    assert!(open > 0.25 && open < 0.35, "{open}");
    assert!((open - tilted).abs() < 1e-4, "{open} vs {tilted}");
    assert!(closed < open / 5.0, "{closed} vs {open}");
    assert_eq!(contour_openness(&[[0.0; 3]; 10]), None);
    assert_eq!(contour_openness(&[[1.0; 3]; 71]), None);
}

#[test]
fn bad_eyes_are_typed_errors() {
    let image = frame(320, 240);
    assert!(matches!(
        EyeRoi::from_corners(Eye::Left, [100.0, 100.0], [102.0, 101.0]),
        Err(LandmarkError::EyeTooSmall { eye: Eye::Left, .. })
    ));
    assert_eq!(
        EyeRoi::from_corners(Eye::Right, [f32::NAN, 100.0], [130.0, 100.0]),
        Err(LandmarkError::NonFinite)
    );
    // A corner off the frame: no measurable opening.
    let cut = EyeRoi::from_corners(Eye::Right, [-5.0, 100.0], [30.0, 100.0]).unwrap();
    assert_eq!(
        crop_eye(&image, &cut),
        Err(LandmarkError::EyeOutsideFrame { eye: Eye::Right })
    );
    let far = EyeRoi::from_corners(Eye::Left, [900.0, 900.0], [940.0, 900.0]).unwrap();
    assert!(matches!(
        crop_eye(&image, &far),
        Err(LandmarkError::EyeOutsideFrame { .. })
    ));
    // Near the border but inside: edge pixels are replicated, the crop is defined.
    let edge = EyeRoi::from_corners(Eye::Right, [2.0, 5.0], [40.0, 5.0]).unwrap();
    assert_eq!(crop_eye(&image, &edge).unwrap().len(), 3 * 64 * 64);
    // Too few mesh points, wrong raw length, non-finite output.
    assert!(matches!(
        EyeRoi::from_mesh(&[[0.0; 3]; 100], Eye::Right),
        Err(LandmarkError::InvalidInput(_))
    ));
    let roi = EyeRoi::from_corners(Eye::Right, [100.0, 100.0], [140.0, 100.0]).unwrap();
    assert!(matches!(
        eye_from_raw(&[0.0; 10], roi),
        Err(LandmarkError::InvalidInput(_))
    ));
    let mut raw = vec![1.0f32; faceproof_models::iris::OUTPUT_VALUES];
    raw[7] = f32::NAN;
    assert_eq!(eye_from_raw(&raw, roi), Err(LandmarkError::NonFinite));
    // Degenerate (all points equal) output: no width, a typed error rather than a NaN openness.
    let flat = vec![1.0f32; faceproof_models::iris::OUTPUT_VALUES];
    assert_eq!(eye_from_raw(&flat, roi), Err(LandmarkError::NonFinite));
}

#[derive(serde::Deserialize)]
struct Goldens {
    images: Vec<GoldenImage>,
}
#[derive(serde::Deserialize)]
struct GoldenImage {
    file: String,
    eyes: Vec<GoldenEye>,
}
#[derive(serde::Deserialize)]
struct GoldenEye {
    eye: String,
    corners: [[f32; 2]; 2],
    roi: GoldenRoi,
    mirrored: bool,
    input_sum: f64,
    value: Vec<f32>,
}
#[derive(serde::Deserialize)]
struct GoldenRoi {
    cx: f32,
    cy: f32,
    side: f32,
    rotation: f32,
}

fn iris_parity(device: Device, backend: &str) {
    let path = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../../tests/parity/goldens/iris.json"
    );
    let goldens: Goldens = serde_json::from_str(&std::fs::read_to_string(path).unwrap()).unwrap();
    let stage = crate::tests::stage(&device);
    let (mut worst, mut worst_input, mut compared) = (0f32, 0f64, 0usize);
    let mut timings = Vec::new();
    let mut openness = Vec::new();
    let mut outside = Vec::new();
    for image in &goldens.images {
        let frame = Frame::decode(&std::fs::read(shared_dir().join(&image.file)).unwrap()).unwrap();
        let mut crops = Vec::new();
        let mut rois = Vec::new();
        for (golden, eye) in image.eyes.iter().zip([Eye::Right, Eye::Left]) {
            assert_eq!(golden.eye, if eye == Eye::Right { "right" } else { "left" });
            assert_eq!(golden.mirrored, eye.mirrored());
            let roi = EyeRoi::from_corners(eye, golden.corners[0], golden.corners[1]).unwrap();
            assert!(
                (roi.cx - golden.roi.cx).abs() < 1e-3
                    && (roi.cy - golden.roi.cy).abs() < 1e-3
                    && (roi.side - golden.roi.side).abs() < 1e-3
                    && (roi.rotation - golden.roi.rotation).abs() < 1e-5,
                "{} {eye}: {roi:?}",
                image.file
            );
            // The goldens include eyes cut by the border (the stage refuses those, see below): crop
            // without the stage's inside-the-frame check, so every eye is compared.
            let mut crop = vec![0f32; 3 * 64 * 64];
            crate::roi::sample_square(
                &frame,
                [roi.cx, roi.cy, roi.side, roi.rotation],
                64,
                eye.mirrored(),
                &mut crop,
            );
            if crop_eye(&frame, &roi).is_err() {
                outside.push(format!("{} {eye}", image.file));
            }
            worst_input = worst_input
                .max((crop.iter().map(|&v| f64::from(v)).sum::<f64>() - golden.input_sum).abs());
            crops.extend(crop);
            rois.push(roi);
        }
        // Both eyes in one batched forward pass, as the stage runs them.
        let started = std::time::Instant::now();
        let raw = pollster::block_on(stage.iris_raw_outputs(crops)).unwrap();
        timings.push(started.elapsed().as_secs_f64() * 1e3);
        let per_eye = faceproof_models::iris::OUTPUT_VALUES;
        for (k, golden) in image.eyes.iter().enumerate() {
            assert_eq!(golden.value.len(), per_eye);
            for (&actual, &expected) in raw[k * per_eye..(k + 1) * per_eye]
                .iter()
                .zip(&golden.value)
            {
                worst = worst.max((actual - expected).abs());
                compared += 1;
            }
        }
        let right = eye_from_raw(&raw[..per_eye], rois[0]).unwrap();
        let left = eye_from_raw(&raw[per_eye..], rois[1]).unwrap();
        openness.push((image.file.clone(), right.openness, left.openness));
    }
    timings.sort_by(f64::total_cmp);
    for (file, right, left) in openness.iter().take(8) {
        println!("{file}: iris openness right {right:.3} left {left:.3}");
    }
    let mut all: Vec<f32> = openness.iter().flat_map(|(_, r, l)| [*r, *l]).collect();
    all.sort_by(f32::total_cmp);
    println!(
        "iris parity on {backend}: {} images × 2 eyes, {compared} values, max abs diff {worst:.2e} crop px; crop sum max diff {worst_input:.2e}; openness median {:.3} (min {:.3}, max {:.3}); latency both eyes (upload + forward + readback) median {:.1} ms, min {:.1} ms",
        goldens.images.len(),
        all[all.len() / 2],
        all[0],
        all[all.len() - 1],
        timings[timings.len() / 2],
        timings[0]
    );
    // selfie-many-people.jpg: the largest face is cut by the right border and the mesh puts its left eye
    // beyond it; the stage refuses that eye with a typed error.
    println!("eyes outside the frame (refused by crop_eye): {outside:?}");
    assert_eq!(
        outside,
        ["data/faces-deepface/images/selfie-many-people.jpg left eye"]
    );
    assert!(worst <= 1e-3, "max abs diff {worst}");
    assert!(worst_input <= 1e-2, "crop sum differs by {worst_input}");
    // Photos of open eyes: the median openness is an open eye's.
    assert!(
        all[all.len() / 2] > 0.15,
        "median openness {}",
        all[all.len() / 2]
    );
}

#[test]
#[cfg(feature = "flex")]
fn iris_parity_with_onnxruntime_on_flex() {
    iris_parity(Device::flex(), "flex");
}

#[test]
#[cfg(feature = "wgpu")]
fn iris_parity_with_onnxruntime_on_wgpu() {
    iris_parity(crate::tests::wgpu_device(), "wgpu");
}

#[test]
#[cfg(feature = "flex")]
fn stage_runs_both_eyes_and_refuses_bad_crops() {
    let device = Device::flex();
    let stage = crate::tests::stage(&device);
    assert!(matches!(
        pollster::block_on(stage.iris_raw_outputs(vec![0.0; 100])),
        Err(LandmarkError::InvalidInput(_))
    ));
    assert!(matches!(
        pollster::block_on(stage.iris_raw_outputs(Vec::new())),
        Err(LandmarkError::InvalidInput(_))
    ));
    // A NaN crop runs and the stage turns the output into a typed error.
    let nan = pollster::block_on(stage.iris_raw_outputs(vec![f32::NAN; 3 * 64 * 64])).unwrap();
    let roi = EyeRoi::from_corners(Eye::Right, [100.0, 100.0], [140.0, 100.0]).unwrap();
    assert_eq!(eye_from_raw(&nan, roi), Err(LandmarkError::NonFinite));
    // The whole stage on a real photo: the eyes are where the mesh says, both open.
    let file = shared_dir().join("data/faces-deepface/images/img1.jpg");
    let frame = Frame::decode(&std::fs::read(file).unwrap()).unwrap();
    let path = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../../tests/parity/goldens/facemesh.json"
    );
    let goldens: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(path).unwrap()).unwrap();
    let image = goldens["images"]
        .as_array()
        .unwrap()
        .iter()
        .find(|i| i["file"].as_str().unwrap().ends_with("/img1.jpg"))
        .unwrap();
    let bbox: [f32; 4] = serde_json::from_value(image["bbox"].clone()).unwrap();
    let eyes: [[f32; 2]; 2] = serde_json::from_value(image["eyes"].clone()).unwrap();
    let face = pollster::block_on(stage.run(&frame, bbox, eyes[0], eyes[1])).unwrap();
    // Contour 0 is the outer corner, 8 the inner one: mesh 33/133 (right eye), 263/362 (left eye).
    for (detail, [outer, inner]) in [(&face.right_eye, [33, 133]), (&face.left_eye, [263, 362])] {
        let (o, i) = (face.points[outer], face.points[inner]);
        let width = (o[0] - i[0]).hypot(o[1] - i[1]);
        for (k, q) in [(0, o), (8, i)] {
            let p = detail.contour[k];
            assert!(
                (p[0] - q[0]).hypot(p[1] - q[1]) < 0.25 * width,
                "{:?} corner {k} at {p:?}, mesh {q:?}",
                detail.roi.eye
            );
        }
        assert!(detail.openness > 0.15, "{detail:?}");
    }
    assert_eq!(face.eyes.right, face.right_eye.openness);
    assert_eq!(face.eyes.left, face.left_eye.openness);
    println!(
        "img1: iris openness right {:.3} left {:.3}; mesh EAR right {:.3} left {:.3}",
        face.eyes.right, face.eyes.left, face.mesh_ear.right, face.mesh_ear.left
    );
}
