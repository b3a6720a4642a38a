//! The similarity calibration and the threshold's error rates on dlib's reference distances.

use faceproof_liveness::matching::{
    self, CALIBRATION_INTERCEPT, CALIBRATION_SLOPE, LabelledDistance, MatchCalibration,
};

const DATA: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/../../../shared/data/faces-deepface/dlib_reference_distances.csv");

#[test]
fn calibration_matches_reference_data() {
    let Ok(csv) = std::fs::read_to_string(DATA) else {
        println!("SKIPPED: {DATA} not present (read-only shared data)");
        return;
    };
    let pairs = matching::parse_reference_distances(&csv).unwrap();
    assert_eq!(pairs.len(), 1830);
    let (intercept, slope) = matching::fit_logistic(&pairs).unwrap();
    assert!((intercept - CALIBRATION_INTERCEPT).abs() < 1e-3 && (slope - CALIBRATION_SLOPE).abs() < 1e-3, "refit {intercept} {slope}");
    let rates = matching::error_rates(&pairs, 0.6);
    println!(
        "threshold 0.6 on {DATA}: FAR {}/{} = {:.3}%, FRR {}/{} = {:.3}%",
        rates.false_accepts, rates.different_pairs, 100.0 * rates.far(), rates.false_rejects, rates.same_pairs, 100.0 * rates.frr()
    );
    assert_eq!((rates.false_accepts, rates.different_pairs, rates.false_rejects, rates.same_pairs), (6, 1690, 1, 140));
}

#[test]
fn similarity_is_a_decreasing_probability() {
    let calibration = MatchCalibration::default();
    let values: Vec<f32> = (0..=20).map(|i| calibration.similarity(i as f32 * 0.1)).collect();
    assert!(values.iter().all(|v| (0.0..=1.0).contains(v)));
    assert!(values.windows(2).all(|w| w[0] >= w[1]));
    assert!(calibration.similarity(0.4) > 0.99 && calibration.similarity(0.8) < 0.01);
    assert!((calibration.similarity(0.6) - 0.62).abs() < 0.01);
}

#[test]
fn the_fit_recovers_a_known_logistic_and_bad_files_are_typed_errors() {
    // Deterministic, overlapping classes drawn around a known boundary at 0.5.
    let pairs: Vec<LabelledDistance> = (0..400)
        .map(|i| {
            let distance = i as f64 / 400.0;
            let p_same = 1.0 / (1.0 + (-(10.0 - 20.0 * distance)).exp());
            LabelledDistance { distance, same_person: ((i * 7919) % 100) as f64 / 100.0 < p_same }
        })
        .collect();
    let (intercept, slope) = matching::fit_logistic(&pairs).unwrap();
    assert!((-intercept / slope - 0.5).abs() < 0.05, "{intercept} {slope}");
    assert_eq!(matching::parse_reference_distances("a,b\n1,2"), Err(matching::CalibrationDataError::MissingColumn("same")));
    assert!(matching::parse_reference_distances("same,dlib_resnet_v1_l2_distance\n2,0.5").is_err());
    assert!(matching::parse_reference_distances("same,dlib_resnet_v1_l2_distance\n1,abc").is_err());
    assert_eq!(matching::fit_logistic(&[]), Err(matching::CalibrationDataError::OneClass));
}
