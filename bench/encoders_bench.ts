// Storage encoders on VGG-16-shaped tensors (seeded He-normal init, PAPER.md shapes): the
// biggest 3x3 conv (conv4_2, 2.36 M weights), fc7 (16.8 M weights) and fc6 (102.8 M weights),
// with L1 masks from the pruning engine. The speed target (issue 2): relative-index encoding
// >= 100 M weights/s at every built-in granularity (0-D, 1-D kernel rows, 2-D kernels, 3-D
// filters and neurons) at densities 0.1-0.3, counted in weights of the dense tensor. On a shared
// machine, quote times as multiples of the calibration read pass (per weight).
// Run: deno bench -A bench/encoders_bench.ts (about 1.5 GB of memory for fc6 and its masks)
import { expandGrainMask, pruneLayers } from "@sparsegrain/core";
import type { Grains, Granularity, LayerWeights, Mask } from "@sparsegrain/core";
import {
  bitmaskEncoder,
  channelGranularity,
  csrEncoder,
  denseEncoder,
  elementGranularity,
  filterGranularity,
  kernelGranularity,
  l1Saliency,
  relativeIndexEncoder,
  vectorGranularity,
} from "@sparsegrain/granularities";
import { vgg16Layer } from "./_vgg16.ts";

const conv: LayerWeights = vgg16Layer("conv4_2");
const fc: LayerWeights = vgg16Layer("fc7");
const fc6: LayerWeights = vgg16Layer("fc6");

interface Case {
  readonly layer: LayerWeights;
  readonly grains: Grains;
  readonly mask: Mask;
}

/** L1 mask at `density` from the pruning engine (untimed). */
function masked(layer: LayerWeights, granularity: Granularity, density: number): Case {
  const [result] = pruneLayers([layer], { granularity, saliency: l1Saliency(), density });
  return { layer, grains: result.grains, mask: result.mask };
}

function full(layer: LayerWeights, granularity: Granularity): Case {
  const grains = granularity.partition(layer)!;
  return { layer, grains, mask: expandGrainMask(new Uint8Array(grains.count).fill(1), grains) };
}

const zeroD = elementGranularity();
const oneD = vectorGranularity();
const twoD = kernelGranularity();
const threeD = filterGranularity();
const cases = {
  // Han et al. 2015 VGG-16 densities: conv4_2 27%, fc7 4%; and the 10%
  conv0d10: masked(conv, zeroD, 0.1),
  conv0d27: masked(conv, zeroD, 0.27),
  conv0d100: full(conv, zeroD),
  conv1d10: masked(conv, oneD, 0.1),
  conv1d27: masked(conv, oneD, 0.27),
  conv2d10: masked(conv, twoD, 0.1),
  conv2d27: masked(conv, twoD, 0.27),
  conv3d10: masked(conv, threeD, 0.1),
  conv3d30: masked(conv, threeD, 0.3),
  convChannel10: masked(conv, channelGranularity(), 0.1),
  fc0d10: masked(fc, zeroD, 0.1),
  fc0d04: masked(fc, zeroD, 0.04),
  fc0d30: masked(fc, zeroD, 0.3),
  fc3d10: masked(fc, threeD, 0.1),
  fc6_0d10: masked(fc6, zeroD, 0.1),
  fc6_3d10: masked(fc6, threeD, 0.1),
  fc6_3d30: masked(fc6, threeD, 0.3),
};

const relativeIndex = relativeIndexEncoder();
const bench = (name: string, group: string, c: Case, encoder = relativeIndex, baseline = false) =>
  Deno.bench(`${name} (${(c.layer.values.length / 1e6).toFixed(2)} M weights)`, {
    group,
    baseline,
    n: c.layer.values.length > 5e7 ? 4 : 8,
    warmup: 2,
  }, () => {
    encoder.encode(c.layer, c.mask, c.grains);
  });

bench("relative-index 0-D conv4_2 at 10%", "relative-index", cases.conv0d10, relativeIndex, true);
bench("relative-index 0-D conv4_2 at 27%", "relative-index", cases.conv0d27);
bench("relative-index 0-D conv4_2 at 100%", "relative-index", cases.conv0d100);
bench("relative-index 1-D conv4_2 at 10%", "relative-index", cases.conv1d10);
bench("relative-index 1-D conv4_2 at 27%", "relative-index", cases.conv1d27);
bench("relative-index 2-D conv4_2 at 10%", "relative-index", cases.conv2d10);
bench("relative-index 2-D conv4_2 at 27%", "relative-index", cases.conv2d27);
bench("relative-index 3-D conv4_2 at 10%", "relative-index", cases.conv3d10);
bench("relative-index 3-D conv4_2 at 30%", "relative-index", cases.conv3d30);
bench("relative-index channel conv4_2 at 10%", "relative-index", cases.convChannel10);
bench("relative-index 0-D fc7 at 10%", "relative-index", cases.fc0d10);
bench("relative-index 0-D fc7 at 4%", "relative-index", cases.fc0d04);
bench("relative-index 0-D fc7 at 30%", "relative-index", cases.fc0d30);
bench("relative-index 3-D fc7 at 10%", "relative-index", cases.fc3d10);
bench("relative-index 0-D fc6 at 10%", "relative-index", cases.fc6_0d10);
bench("relative-index 3-D fc6 at 10%", "relative-index", cases.fc6_3d10);
bench("relative-index 3-D fc6 at 30%", "relative-index", cases.fc6_3d30);

bench("relative-index 0-D conv4_2 at 27%", "formats", cases.conv0d27, relativeIndex, true);
bench("bitmask 0-D conv4_2 at 27%", "formats", cases.conv0d27, bitmaskEncoder());
bench("csr 0-D conv4_2 at 27%", "formats", cases.conv0d27, csrEncoder());
bench("dense 8-bit conv4_2", "formats", cases.conv0d27, denseEncoder());
bench("relative-index 1-D conv4_2 at 10%", "formats", cases.conv1d10);
bench("bitmask 1-D conv4_2 at 10%", "formats", cases.conv1d10, bitmaskEncoder());
bench("csr 1-D conv4_2 at 10%", "formats", cases.conv1d10, csrEncoder());
bench("dense 8-bit conv4_2 (1-D mask at 10%)", "formats", cases.conv1d10, denseEncoder());
bench("bitmask 3-D fc6 at 10%", "formats", cases.fc6_3d10, bitmaskEncoder());
bench("csr 3-D fc6 at 10%", "formats", cases.fc6_3d10, csrEncoder());

const decodeBench = (name: string, c: Case) => {
  const encoded = relativeIndex.encode(c.layer, c.mask, c.grains);
  Deno.bench(
    `relative-index decode ${name} (${(c.layer.values.length / 1e6).toFixed(2)} M weights)`,
    {
      group: "decode",
      n: c.layer.values.length > 5e7 ? 4 : 8,
      warmup: 2,
    },
    () => {
      relativeIndex.decode(encoded.bytes, c.grains);
    },
  );
};
decodeBench("0-D conv4_2 at 27%", cases.conv0d27);
decodeBench("1-D conv4_2 at 10%", cases.conv1d10);
decodeBench("2-D conv4_2 at 10%", cases.conv2d10);
decodeBench("3-D fc6 at 10%", cases.fc6_3d10);

// Calibration on a shared machine: one plain read pass over fc7's weights. Quote encoder times
// as multiples of it when the machine is loaded.
Deno.bench(
  "read pass: sum of fc7's 16.8 M weights",
  { group: "calibration", n: 8, warmup: 2 },
  () => {
    let sum = 0;
    const values = fc.values;
    for (let i = 0; i < values.length; i++) sum += values[i];
    if (Number.isNaN(sum)) throw new Error("unreachable");
  },
);
