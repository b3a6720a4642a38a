//! Matching the fused live probe against a reference embedding.
//!
//! * Distance: L2 between dlib 128-D embeddings; **match when `distance < 0.6`** (dlib's published threshold).
//! * Similarity: `1 / (1 + exp(-(intercept + slope · distance)))`, a logistic regression of "same person"
//!   on the distance, fitted with class-balanced weights (so it reads as the same-person probability under
//!   equal priors) on `../shared/data/faces-deepface/dlib_reference_distances.csv` (1,830 pairs of 61 deepface
//!   photos: 140 same, 1,690 different; dlib 20.0.1 distances). Refit with
//!   `cargo run -p faceproof-liveness --example fit_calibration`; the test `calibration_matches_reference_data`
//!   checks the constants below against a refit.
//! * Fitted: intercept 35.998665, slope −59.176882 → similarity 0.5 at distance 0.608, 0.62 at 0.6, 0.998 at
//!   0.5, 0.004 at 0.7. The data are almost separable, so the curve is steep: treat similarity as a
//!   readable score, the distance threshold as the decision.
//! * On that file at threshold 0.6: **FAR = 6/1690 = 0.355 %**, **FRR = 1/140 = 0.714 %** (accuracy 99.62 %).
//!   These are photo-to-photo figures on 13 public figures, not a field error rate.

use serde::{Deserialize, Serialize};

use crate::observation::Embedding;

/// dlib's same-person threshold on L2 distance.
pub const DEFAULT_MATCH_THRESHOLD: f32 = 0.6;
/// Logistic parameters fitted by `examples/fit_calibration.rs` (see the module docs).
pub const CALIBRATION_INTERCEPT: f64 = 35.998665;
pub const CALIBRATION_SLOPE: f64 = -59.176882;

/// Where the reference embedding came from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ReferenceKind {
    /// The largest face of an ID-document or profile photo, decoded and embedded on the device by the host.
    IdPhoto,
    /// A 128-D template supplied by the server (the challenge's `reference`).
    ServerTemplate,
}

/// The reference to compare with. Zeroized on drop (the embedding is).
#[derive(Debug)]
pub struct ReferenceEmbedding {
    pub kind: ReferenceKind,
    pub embedding: Embedding,
}

/// Threshold and logistic parameters.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct MatchCalibration {
    pub threshold: f32,
    pub intercept: f64,
    pub slope: f64,
}

impl Default for MatchCalibration {
    fn default() -> Self {
        MatchCalibration { threshold: DEFAULT_MATCH_THRESHOLD, intercept: CALIBRATION_INTERCEPT, slope: CALIBRATION_SLOPE }
    }
}

impl MatchCalibration {
    /// Same-person probability in [0, 1] for an L2 distance.
    pub fn similarity(&self, distance: f32) -> f32 {
        let logit = self.intercept + self.slope * f64::from(distance);
        (1.0 / (1.0 + (-logit).exp())) as f32
    }
}

/// The comparison of a probe with a reference.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct MatchScore {
    pub distance: f32,
    pub similarity: f32,
    pub threshold: f32,
    pub is_match: bool,
}

pub fn compare(probe: &Embedding, reference: &Embedding, calibration: &MatchCalibration) -> MatchScore {
    let distance = probe.l2_distance(reference);
    MatchScore {
        distance,
        similarity: calibration.similarity(distance),
        threshold: calibration.threshold,
        is_match: distance < calibration.threshold,
    }
}

/// One labelled pair of the reference-distance file.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct LabelledDistance {
    pub distance: f64,
    pub same_person: bool,
}

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum CalibrationDataError {
    #[error("missing column {0:?} in the header")]
    MissingColumn(&'static str),
    #[error("line {line}: {what}")]
    BadRow { line: usize, what: &'static str },
    #[error("the file holds no pairs of one of the classes")]
    OneClass,
}

/// Parses `dlib_reference_distances.csv` (columns found by name: `same` = 1/0, `dlib_resnet_v1_l2_distance`).
pub fn parse_reference_distances(csv: &str) -> Result<Vec<LabelledDistance>, CalibrationDataError> {
    let mut lines = csv.lines();
    let header: Vec<&str> = lines.next().unwrap_or_default().split(',').map(str::trim).collect();
    let column = |name: &'static str| header.iter().position(|c| *c == name).ok_or(CalibrationDataError::MissingColumn(name));
    let same_column = column("same")?;
    let distance_column = column("dlib_resnet_v1_l2_distance")?;
    let mut pairs = Vec::new();
    for (index, line) in lines.enumerate() {
        if line.trim().is_empty() {
            continue;
        }
        let line_number = index + 2;
        let fields: Vec<&str> = line.split(',').map(str::trim).collect();
        let same_person = match fields.get(same_column) {
            Some(&"1") => true,
            Some(&"0") => false,
            _ => return Err(CalibrationDataError::BadRow { line: line_number, what: "`same` must be 0 or 1" }),
        };
        let distance = fields
            .get(distance_column)
            .and_then(|v| v.parse::<f64>().ok())
            .filter(|d| d.is_finite() && *d >= 0.0)
            .ok_or(CalibrationDataError::BadRow { line: line_number, what: "distance must be a non-negative number" })?;
        pairs.push(LabelledDistance { distance, same_person });
    }
    Ok(pairs)
}

/// False-accept and false-reject rates at `distance < threshold` ⇒ "same".
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct ErrorRates {
    pub threshold: f64,
    pub false_accepts: u32,
    pub different_pairs: u32,
    pub false_rejects: u32,
    pub same_pairs: u32,
}

impl ErrorRates {
    pub fn far(&self) -> f64 {
        f64::from(self.false_accepts) / f64::from(self.different_pairs.max(1))
    }
    pub fn frr(&self) -> f64 {
        f64::from(self.false_rejects) / f64::from(self.same_pairs.max(1))
    }
}

pub fn error_rates(pairs: &[LabelledDistance], threshold: f64) -> ErrorRates {
    let mut rates = ErrorRates { threshold, false_accepts: 0, different_pairs: 0, false_rejects: 0, same_pairs: 0 };
    for pair in pairs {
        let accepted = pair.distance < threshold;
        if pair.same_person {
            rates.same_pairs += 1;
            rates.false_rejects += u32::from(!accepted);
        } else {
            rates.different_pairs += 1;
            rates.false_accepts += u32::from(accepted);
        }
    }
    rates
}

/// Class-balanced logistic regression of `same_person` on `distance` by Newton's method (IRLS), with a tiny
/// ridge term so separable data still converges. Returns `(intercept, slope)`.
pub fn fit_logistic(pairs: &[LabelledDistance]) -> Result<(f64, f64), CalibrationDataError> {
    let positives = pairs.iter().filter(|p| p.same_person).count();
    let negatives = pairs.len() - positives;
    if positives == 0 || negatives == 0 {
        return Err(CalibrationDataError::OneClass);
    }
    // Each class carries half the total weight.
    let weight_positive = pairs.len() as f64 / (2.0 * positives as f64);
    let weight_negative = pairs.len() as f64 / (2.0 * negatives as f64);
    let ridge = 1e-6;
    let (mut intercept, mut slope) = (0.0f64, 0.0f64);
    for _ in 0..100 {
        let (mut g0, mut g1, mut h00, mut h01, mut h11) = (0.0, 0.0, ridge, 0.0, ridge);
        for pair in pairs {
            let weight = if pair.same_person { weight_positive } else { weight_negative };
            let p = 1.0 / (1.0 + (-(intercept + slope * pair.distance)).exp());
            let residual = weight * (f64::from(u8::from(pair.same_person)) - p);
            let curvature = weight * p * (1.0 - p);
            g0 += residual;
            g1 += residual * pair.distance;
            h00 += curvature;
            h01 += curvature * pair.distance;
            h11 += curvature * pair.distance * pair.distance;
        }
        g0 -= ridge * intercept;
        g1 -= ridge * slope;
        let determinant = h00 * h11 - h01 * h01;
        if determinant.abs() < 1e-300 {
            break;
        }
        let step0 = (h11 * g0 - h01 * g1) / determinant;
        let step1 = (h00 * g1 - h01 * g0) / determinant;
        intercept += step0;
        slope += step1;
        if step0.abs() < 1e-12 && step1.abs() < 1e-12 {
            break;
        }
    }
    Ok((intercept, slope))
}
