//! The backend self-test a browser runs before trusting WebGPU, here on native wgpu (lavapipe) against flex.
#![cfg(all(feature = "flex", feature = "wgpu"))]

use burn::prelude::Device;
use faceproof_antispoof::AntiSpoof;
use faceproof_models::{minifasnet, read_native_weights};
use faceproof_session::{SELF_TEST_TOLERANCE, Stages};

fn cpu_reference() -> AntiSpoof {
    AntiSpoof::new(
        minifasnet::MiniFasNet::load(
            read_native_weights(&minifasnet::WEIGHTS_V2).unwrap(),
            read_native_weights(&minifasnet::WEIGHTS_V1SE).unwrap(),
            &Device::flex(),
        )
        .unwrap(),
    )
}

#[test]
fn wgpu_passes_the_self_test_against_flex() {
    let reference = cpu_reference();
    let flex = Stages::load_native(&Device::flex()).unwrap();
    let same = pollster::block_on(flex.self_test(&reference)).unwrap();
    assert!(same.passed && same.max_abs_diff == 0.0, "{same:?}");

    let device = Device::wgpu_options().init().expect("wgpu device (set VK_ICD_FILENAMES for lavapipe)");
    let wgpu = Stages::load_native(&device).unwrap();
    let result = pollster::block_on(wgpu.self_test(&reference)).unwrap();
    println!("wgpu self-test: max abs diff {} (tolerance {SELF_TEST_TOLERANCE})", result.max_abs_diff);
    assert!(result.passed, "{result:?}");
}
