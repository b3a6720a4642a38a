//! Fits the similarity logistic on dlib's reference distances and prints FAR/FRR at the match threshold.
//!
//! `cargo run -p faceproof-liveness --example fit_calibration [-- path/to/dlib_reference_distances.csv]`
//! (default: `../shared/data/faces-deepface/dlib_reference_distances.csv` next to the repository).

use faceproof_liveness::matching::{
    self, CALIBRATION_INTERCEPT, CALIBRATION_SLOPE, DEFAULT_MATCH_THRESHOLD, MatchCalibration,
};

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let default_path =
        concat!(env!("CARGO_MANIFEST_DIR"), "/../../../shared/data/faces-deepface/dlib_reference_distances.csv");
    let path = std::env::args().nth(1).unwrap_or_else(|| default_path.to_owned());
    let csv = std::fs::read_to_string(&path)?;
    let pairs = matching::parse_reference_distances(&csv)?;
    let (intercept, slope) = matching::fit_logistic(&pairs)?;
    let same = pairs.iter().filter(|p| p.same_person).count();
    println!("data: {path}");
    println!("pairs: {} ({} same, {} different)", pairs.len(), same, pairs.len() - same);
    println!("fitted (class-balanced logistic): intercept = {intercept:.6}, slope = {slope:.6}");
    println!("distance at similarity 0.5: {:.4}", -intercept / slope);
    println!("in the code:                  intercept = {CALIBRATION_INTERCEPT:.6}, slope = {CALIBRATION_SLOPE:.6}");
    let fitted = MatchCalibration { threshold: DEFAULT_MATCH_THRESHOLD, intercept, slope };
    for distance in [0.3f32, 0.4, 0.5, 0.6, 0.7, 0.8] {
        println!("  similarity({distance:.1}) = {:.4}", fitted.similarity(distance));
    }
    for threshold in [0.5, 0.55, f64::from(DEFAULT_MATCH_THRESHOLD), 0.65] {
        let rates = matching::error_rates(&pairs, threshold);
        println!(
            "threshold {threshold:.2}: FAR {}/{} = {:.3}%  FRR {}/{} = {:.3}%",
            rates.false_accepts,
            rates.different_pairs,
            100.0 * rates.far(),
            rates.false_rejects,
            rates.same_pairs,
            100.0 * rates.frr()
        );
    }
    Ok(())
}
