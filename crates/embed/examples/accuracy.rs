//! Face-verification accuracy of the full native pipeline (YuNet detection → 5-point alignment → dlib
//! ResNet, all in burn on flex) on faces-deepface `pairs_all_derived.csv` (1,830 pairs), with dlib's own
//! distances (`dlib_reference_distances.csv`) scored the same way for comparison.
//!
//! Usage: cargo run --release -p faceproof-embed --features flex --example accuracy [SHARED_DIR]
//! Prints accuracy at L2 0.6, TAR at FAR = 0.1 % and the EER.

use burn::prelude::Device;
use faceproof_detect::{DetectorConfig, FaceDetector};
use faceproof_embed::{EmbedStage, Embedding, SAME_PERSON_THRESHOLD};
use faceproof_frame::Frame;
use faceproof_models::dlib_resnet::FaceEmbedder;
use faceproof_models::{dlib_resnet, read_native_weights, yunet};
use std::collections::BTreeMap;
use std::path::PathBuf;
use std::time::Instant;

struct Scores {
    /// (distance, same person)
    pairs: Vec<(f32, bool)>,
}

impl Scores {
    fn accuracy_at(&self, threshold: f32) -> (usize, usize) {
        let correct = self
            .pairs
            .iter()
            .filter(|&&(d, same)| (d < threshold) == same)
            .count();
        (correct, self.pairs.len())
    }

    /// TAR at the largest threshold whose FAR (different-person pairs accepted) is ≤ `far`.
    fn tar_at_far(&self, far: f64) -> (f64, f64, f32) {
        let mut negatives: Vec<f32> = self.pairs.iter().filter(|p| !p.1).map(|p| p.0).collect();
        negatives.sort_by(f32::total_cmp);
        let allowed = (far * negatives.len() as f64).floor() as usize;
        // Accept d < threshold: with `allowed` false accepts permitted, the threshold is the next negative.
        let threshold = negatives.get(allowed).copied().unwrap_or(f32::INFINITY);
        let positives: Vec<f32> = self.pairs.iter().filter(|p| p.1).map(|p| p.0).collect();
        let accepted = positives.iter().filter(|&&d| d < threshold).count();
        let false_accepts = negatives.iter().filter(|&&d| d < threshold).count();
        (
            accepted as f64 / positives.len() as f64,
            false_accepts as f64 / negatives.len() as f64,
            threshold,
        )
    }

    /// Equal error rate: over all thresholds, the point where FAR and FRR cross (their mean there).
    fn eer(&self) -> (f64, f32) {
        let mut thresholds: Vec<f32> = self.pairs.iter().map(|p| p.0).collect();
        thresholds.sort_by(f32::total_cmp);
        let positives = self.pairs.iter().filter(|p| p.1).count() as f64;
        let negatives = self.pairs.len() as f64 - positives;
        let mut best = (f64::INFINITY, 0.0, 0.0f32);
        for &t in &thresholds {
            let t = f32::from_bits(t.to_bits() + 1); // accept d <= t
            let far = self.pairs.iter().filter(|p| !p.1 && p.0 < t).count() as f64 / negatives;
            let frr = self.pairs.iter().filter(|p| p.1 && p.0 >= t).count() as f64 / positives;
            if (far - frr).abs() < best.0 {
                best = ((far - frr).abs(), (far + frr) / 2.0, t);
            }
        }
        (best.1, best.2)
    }

    fn report(&self, name: &str) {
        let (correct, total) = self.accuracy_at(SAME_PERSON_THRESHOLD);
        let (tar, far, threshold) = self.tar_at_far(0.001);
        let (eer, eer_threshold) = self.eer();
        println!(
            "{name}: accuracy @L2<{SAME_PERSON_THRESHOLD} {correct}/{total} = {:.2}%; TAR {:.2}% at FAR {:.3}% (<= 0.1%, threshold {threshold:.3}); EER {:.2}% (threshold {eer_threshold:.3})",
            100.0 * correct as f64 / total as f64,
            100.0 * tar,
            100.0 * far,
            100.0 * eer
        );
    }
}

fn read_pairs(path: &PathBuf) -> Result<Vec<Vec<String>>, Box<dyn std::error::Error>> {
    let text = std::fs::read_to_string(path)?;
    Ok(text
        .lines()
        .skip(1)
        .filter(|l| !l.is_empty())
        .map(|l| l.split(',').map(str::to_string).collect())
        .collect())
}

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let shared = std::env::args()
        .nth(1)
        .map(PathBuf::from)
        .unwrap_or_else(|| PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../../shared"));
    let data = shared.join("data/faces-deepface");
    let device = Device::flex();
    let detector = FaceDetector::new(
        yunet::YuNet::load(read_native_weights(&yunet::WEIGHTS)?, &device)?,
        DetectorConfig::default(),
    );
    let stage = EmbedStage::new(FaceEmbedder::load(
        read_native_weights(&dlib_resnet::WEIGHTS)?,
        &device,
    )?);

    let pairs = read_pairs(&data.join("pairs_all_derived.csv"))?;
    let mut files: Vec<String> = pairs
        .iter()
        .flat_map(|p| [p[0].clone(), p[1].clone()])
        .collect();
    files.sort();
    files.dedup();
    let mut embeddings: BTreeMap<String, Embedding> = BTreeMap::new();
    let (mut detect_ms, mut embed_ms) = (Vec::new(), Vec::new());
    for file in &files {
        let frame = Frame::decode(&std::fs::read(data.join("images").join(file))?)?;
        let started = Instant::now();
        let faces = pollster::block_on(detector.detect(&frame))?;
        detect_ms.push(started.elapsed().as_secs_f64() * 1e3);
        // The subject is the largest face.
        let Some(face) = faces.iter().max_by(|a, b| a.area().total_cmp(&b.area())) else {
            println!("{file}: no face detected (its pairs count as errors)");
            continue;
        };
        let started = Instant::now();
        let embedding = pollster::block_on(stage.embed(&frame, &face.landmarks))?;
        embed_ms.push(started.elapsed().as_secs_f64() * 1e3);
        embeddings.insert(file.clone(), embedding);
    }
    let mut ours = Scores { pairs: Vec::new() };
    for pair in &pairs {
        let same = pair[2].trim() == "1";
        let distance = match (embeddings.get(&pair[0]), embeddings.get(&pair[1])) {
            (Some(a), Some(b)) => a.distance(b),
            // A missing face fails the pair: accepted if different, rejected if same.
            _ => {
                if same {
                    f32::INFINITY
                } else {
                    0.0
                }
            }
        };
        ours.pairs.push((distance, same));
    }
    let reference = Scores {
        pairs: read_pairs(&data.join("dlib_reference_distances.csv"))?
            .iter()
            .map(|p| Ok((p[3].trim().parse::<f32>()?, p[2].trim() == "1")))
            .collect::<Result<_, Box<dyn std::error::Error>>>()?,
    };
    detect_ms.sort_by(f64::total_cmp);
    embed_ms.sort_by(f64::total_cmp);
    println!(
        "{} images, {} embedded; flex latency median: detect {:.1} ms, align + embed {:.1} ms",
        files.len(),
        embeddings.len(),
        detect_ms[detect_ms.len() / 2],
        embed_ms
            .get(embed_ms.len() / 2)
            .copied()
            .unwrap_or(f64::NAN)
    );
    ours.report("faceproof (YuNet 5-point alignment + dlib ResNet in burn, flex)");
    reference.report("dlib 20.0.1 reference (dlib_reference_distances.csv)");
    Ok(())
}
