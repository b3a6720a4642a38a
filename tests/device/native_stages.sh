#!/usr/bin/env bash
# faceproof's stages natively on a real GPU (burn wgpu on the vendor's Vulkan driver) and on that machine's
# CPU (burn flex): the WebGPU figures of BENCHMARKS.md are SwiftShader's, this is the check on hardware.
#
# Prepare here (the device machine has no network and no Rust toolchain), in the repository root:
#   echo /.gl/ >> .git/info/exclude; echo /.dev/ >> .git/info/exclude
#   mkdir -p .gl .dev/models; (cd .gl && apt-get download libvulkan1 libegl1 libglvnd0 libopengl0 libgl1 libglx0 libgles2)
#   strip -o .dev/analyze_json ~/.cache/faceproof/target/release/examples/analyze_json && gzip -1 .dev/analyze_json
#   cp models/build/*.bpk .dev/models/; cp ../shared/data/faces-deepface/images/img1.jpg .dev/
# Run there (the /work/.library device tool): command `bash tests/device/native_stages.sh`, carry [".gl", ".dev"].
# Prints each stage's ms (crop + upload + network + readback, the second of two runs per image) per image.
set -u
for f in .gl/*.deb; do dpkg -x "$f" /; done; ldconfig
nvidia-smi -L 2>/dev/null; echo "cpus: $(nproc), $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2)"
for icd in /usr/local/nvidia/share/vulkan/icd.d/nvidia_icd.json /usr/share/vulkan/icd.d/nvidia_icd.json; do
  [ -f "$icd" ] && export VK_DRIVER_FILES=$icd VK_ICD_FILENAMES=$icd && break
done
gunzip -c .dev/analyze_json.gz > /tmp/analyze_json && chmod +x /tmp/analyze_json
export FACEPROOF_MODELS_DIR=$PWD/.dev/models
image=.dev/img1.jpg
summary() {
  python3 -c "
import json, sys
d = json.load(open(sys.argv[1]))
for i in d['images']:
    a = i['analysis']
    print(d['backend'], {k: round(v, 1) for k, v in a['timings_ms'].items()}, 'faces', len(a['faces']), 'live', a['primary']['antispoof']['live_probability'])
" "$1"
}
for backend in wgpu flex; do
  timeout 240 /tmp/analyze_json $backend $image $image $image $image $image $image > "/tmp/$backend.json" 2> "/tmp/$backend.err" ||
    { echo "$backend failed:"; tail -c 800 "/tmp/$backend.err"; continue; }
  summary "/tmp/$backend.json"
done
