//! Frame-interval statistics for the timing evidence.

use crate::config::TimingConfig;
use crate::result::{TimingEvidence, TimingFlag};

#[derive(Debug, Clone, Default)]
pub(crate) struct FrameClock {
    first_ms: Option<f64>,
    last_ms: Option<f64>,
    intervals_ms: Vec<f64>,
}

impl FrameClock {
    /// Intervals kept for statistics (a 60 s session at 30 fps is 1,800).
    const MAX_INTERVALS: usize = 20_000;

    pub(crate) fn last_ms(&self) -> Option<f64> {
        self.last_ms
    }

    pub(crate) fn first_ms(&self) -> Option<f64> {
        self.first_ms
    }

    /// Records a timestamp that the caller has already checked to be increasing.
    pub(crate) fn record(&mut self, timestamp_ms: f64) {
        if let Some(last) = self.last_ms
            && self.intervals_ms.len() < Self::MAX_INTERVALS {
                self.intervals_ms.push(timestamp_ms - last);
            }
        self.first_ms.get_or_insert(timestamp_ms);
        self.last_ms = Some(timestamp_ms);
    }

    pub(crate) fn evidence(&self, frames_total: u32, config: &TimingConfig) -> TimingEvidence {
        let mut flags = Vec::new();
        if frames_total < config.min_frames {
            flags.push(TimingFlag::TooFewFrames);
        }
        let n = self.intervals_ms.len();
        if n == 0 {
            return TimingEvidence {
                median_interval_ms: None,
                interval_std_ms: None,
                longest_gap_ms: None,
                mean_fps: None,
                flags,
            };
        }
        let mut sorted = self.intervals_ms.clone();
        sorted.sort_by(f64::total_cmp);
        let median = if n % 2 == 1 { sorted[n / 2] } else { (sorted[n / 2 - 1] + sorted[n / 2]) / 2.0 };
        let mean = sorted.iter().sum::<f64>() / n as f64;
        let std = (sorted.iter().map(|v| (v - mean).powi(2)).sum::<f64>() / n as f64).sqrt();
        let longest = sorted[n - 1];
        if median > config.max_median_interval_ms {
            flags.push(TimingFlag::FrameRateTooLow);
        }
        if median < config.min_median_interval_ms {
            flags.push(TimingFlag::FrameRateTooHigh);
        }
        if n as u32 >= config.even_spacing_min_intervals && std < config.even_spacing_max_std_ms {
            flags.push(TimingFlag::TooEvenSpacing);
        }
        if longest > config.long_gap_ms {
            flags.push(TimingFlag::LongGap);
        }
        TimingEvidence {
            median_interval_ms: Some(median),
            interval_std_ms: Some(std),
            longest_gap_ms: Some(longest),
            mean_fps: Some(1000.0 / mean),
            flags,
        }
    }
}
