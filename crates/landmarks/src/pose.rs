//! Head pose from the mesh: a least-squares similarity fit (rotation, scale, translation) of a canonical
//! 3-D face to the 468 points, by Horn's closed-form quaternion method, then Euler angles.
//!
//! The canonical face ([`crate::mean_shape::MEAN_SHAPE`]) is the mean FaceMesh shape over the
//! faces-deepface photos, with its axes fixed by the eye line and the forehead–chin line (see
//! tests/parity/facemesh_goldens.py). MediaPipe's own canonical_face_model.obj could not be obtained from a
//! registry package here; a mean of the model's own outputs is an equivalent reference for a rigid fit
//! (the fit uses all 468 points, so the pose is not a 2-point heuristic). Angle zero = the average
//! pose of those photos, which are near-frontal portraits.

use crate::mean_shape::MEAN_SHAPE;

/// Head pose in degrees.
/// * `yaw` > 0: the face turns toward the image's right (the nose moves right);
/// * `pitch` > 0: the face tilts up (the nose moves up);
/// * `roll` > 0: the face rotates clockwise on screen (the eye line descends to the right).
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct HeadPose {
    pub yaw: f32,
    pub pitch: f32,
    pub roll: f32,
    /// Root-mean-square distance between the fitted canonical face and the mesh, as a fraction of the
    /// fitted outer-eye-corner distance: how rigidly the face fits (expressions raise it).
    pub fit_rms: f32,
}

/// Rotation matrix (row-major) taking canonical coordinates to image coordinates, and the scale.
pub(crate) fn fit_rotation(points: &[[f32; 3]]) -> Option<([[f64; 3]; 3], f64, f64)> {
    if points.len() != MEAN_SHAPE.len() || points.iter().flatten().any(|v| !v.is_finite()) {
        return None;
    }
    let n = points.len() as f64;
    let mean = |set: &mut dyn Iterator<Item = [f64; 3]>| {
        let mut m = [0f64; 3];
        for p in set {
            for k in 0..3 {
                m[k] += p[k] / n;
            }
        }
        m
    };
    let to64 = |p: &[f32; 3]| [f64::from(p[0]), f64::from(p[1]), f64::from(p[2])];
    let ma = mean(&mut MEAN_SHAPE.iter().map(to64));
    let mb = mean(&mut points.iter().map(to64));
    let mut s = [[0f64; 3]; 3];
    let mut norm_a = 0.0;
    for (a, b) in MEAN_SHAPE.iter().zip(points) {
        let a = to64(a);
        let b = to64(b);
        for i in 0..3 {
            norm_a += (a[i] - ma[i]).powi(2);
            for j in 0..3 {
                s[i][j] += (a[i] - ma[i]) * (b[j] - mb[j]);
            }
        }
    }
    let [[sxx, sxy, sxz], [syx, syy, syz], [szx, szy, szz]] = s;
    let horn = [
        [sxx + syy + szz, syz - szy, szx - sxz, sxy - syx],
        [syz - szy, sxx - syy - szz, sxy + syx, szx + sxz],
        [szx - sxz, sxy + syx, -sxx + syy - szz, syz + szy],
        [sxy - syx, szx + sxz, syz + szy, -sxx - syy + szz],
    ];
    let [w, x, y, z] = largest_eigenvector(horn)?;
    let r = [
        [
            1.0 - 2.0 * (y * y + z * z),
            2.0 * (x * y - w * z),
            2.0 * (x * z + w * y),
        ],
        [
            2.0 * (x * y + w * z),
            1.0 - 2.0 * (x * x + z * z),
            2.0 * (y * z - w * x),
        ],
        [
            2.0 * (x * z - w * y),
            2.0 * (y * z + w * x),
            1.0 - 2.0 * (x * x + y * y),
        ],
    ];
    // Optimal scale and the residual of the fit.
    let mut dot = 0.0;
    for (a, b) in MEAN_SHAPE.iter().zip(points) {
        let (a, b) = (to64(a), to64(b));
        for i in 0..3 {
            let ra: f64 = (0..3).map(|k| r[i][k] * (a[k] - ma[k])).sum();
            dot += ra * (b[i] - mb[i]);
        }
    }
    let scale = dot / norm_a;
    // All points (nearly) coincident: no face to fit, and no meaningful rotation.
    let spread_b: f64 = points
        .iter()
        .map(|b| {
            (0..3)
                .map(|k| (f64::from(b[k]) - mb[k]).powi(2))
                .sum::<f64>()
        })
        .sum();
    if !(norm_a > 0.0 && spread_b > 1e-12 && scale > 1e-9) {
        return None;
    }
    let mut residual = 0.0;
    for (a, b) in MEAN_SHAPE.iter().zip(points) {
        let (a, b) = (to64(a), to64(b));
        for i in 0..3 {
            let ra: f64 = (0..3).map(|k| r[i][k] * (a[k] - ma[k])).sum();
            residual += (scale * ra - (b[i] - mb[i])).powi(2);
        }
    }
    // MEAN_SHAPE's unit is the outer-eye-corner distance, so `scale` is that distance in pixels.
    let rms = (residual / n).sqrt() / scale.abs().max(f64::MIN_POSITIVE);
    Some((r, scale, rms))
}

/// Eigenvector of the largest eigenvalue of a symmetric 4×4 matrix (cyclic Jacobi).
fn largest_eigenvector(mut a: [[f64; 4]; 4]) -> Option<[f64; 4]> {
    let mut v = [[0f64; 4]; 4];
    for (i, row) in v.iter_mut().enumerate() {
        row[i] = 1.0;
    }
    for _sweep in 0..50 {
        let off: f64 = (0..4)
            .flat_map(|i| (0..4).filter(move |&j| j != i).map(move |j| (i, j)))
            .map(|(i, j)| a[i][j] * a[i][j])
            .sum();
        if off < 1e-22 {
            break;
        }
        for p in 0..4 {
            for q in p + 1..4 {
                if a[p][q].abs() < 1e-300 {
                    continue;
                }
                let theta = (a[q][q] - a[p][p]) / (2.0 * a[p][q]);
                let t = theta.signum() / (theta.abs() + (theta * theta + 1.0).sqrt());
                let t = if theta == 0.0 { 1.0 } else { t };
                let c = 1.0 / (t * t + 1.0).sqrt();
                let s = t * c;
                for k in 0..4 {
                    let (akp, akq) = (a[k][p], a[k][q]);
                    a[k][p] = c * akp - s * akq;
                    a[k][q] = s * akp + c * akq;
                }
                for k in 0..4 {
                    let (apk, aqk) = (a[p][k], a[q][k]);
                    a[p][k] = c * apk - s * aqk;
                    a[q][k] = s * apk + c * aqk;
                }
                for row in v.iter_mut() {
                    let (vp, vq) = (row[p], row[q]);
                    row[p] = c * vp - s * vq;
                    row[q] = s * vp + c * vq;
                }
            }
        }
    }
    let best = (0..4).fold(0, |best, i| if a[i][i] > a[best][best] { i } else { best });
    let vector = [v[0][best], v[1][best], v[2][best], v[3][best]];
    let norm = vector.iter().map(|x| x * x).sum::<f64>().sqrt();
    (norm.is_finite() && norm > 0.0).then(|| vector.map(|x| x / norm))
}

/// Head pose of a mesh given in image pixels (x right, y down, z away from the camera). `None` when the
/// points are not finite or degenerate.
pub fn head_pose(points: &[[f32; 3]]) -> Option<HeadPose> {
    let (r, _scale, rms) = fit_rotation(points)?;
    // R = Rz(roll) · Ry(a) · Rx(b) with y pointing down and z away from the camera; the signs below turn
    // a and b into the documented yaw/pitch directions.
    let a = (-r[2][0]).clamp(-1.0, 1.0).asin();
    let b = r[2][1].atan2(r[2][2]);
    let roll = r[1][0].atan2(r[0][0]);
    Some(HeadPose {
        yaw: (-a).to_degrees() as f32,
        pitch: (-b).to_degrees() as f32,
        roll: roll.to_degrees() as f32,
        fit_rms: rms as f32,
    })
}
