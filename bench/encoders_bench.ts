// Storage encoders on VGG-16-shaped tensors (seeded He-normal init, PAPER.md shapes): the
// biggest 3x3 conv (conv4_2, 2.36 M weights) and fc7 (16.8 M weights), with L1 masks from the
// pruning engine. The speed target (issue 2): relative-index encoding >= 100 M weights/s,
// counted in weights of the dense tensor. Run: deno bench -A bench/encoders_bench.ts
import { expandGrainMask, heNormalWeights, pruneLayers } from "@sparsegrain/core";
import type { Grains, Granularity, LayerWeights, Mask } from "@sparsegrain/core";
import {
  bitmaskEncoder,
  csrEncoder,
  denseEncoder,
  elementGranularity,
  kernelGranularity,
  l1Saliency,
  relativeIndexEncoder,
  vectorGranularity,
} from "@sparsegrain/granularities";

const conv: LayerWeights = {
  name: "conv4_2",
  kind: "conv2d",
  shape: [3, 3, 512, 512],
  values: heNormalWeights([3, 3, 512, 512], 8),
};
const fc: LayerWeights = {
  name: "fc7",
  kind: "dense",
  shape: [4096, 4096],
  values: heNormalWeights([4096, 4096], 101),
};

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
const cases = {
  // Han et al. 2015 VGG-16 densities: conv4_2 27%, fc7 4%; and the 10%
  conv0d10: masked(conv, zeroD, 0.1),
  conv0d27: masked(conv, zeroD, 0.27),
  conv0d100: full(conv, zeroD),
  conv1d27: masked(conv, vectorGranularity(), 0.27),
  conv2d27: masked(conv, kernelGranularity(), 0.27),
  fc0d10: masked(fc, zeroD, 0.1),
  fc0d04: masked(fc, zeroD, 0.04),
};

const relativeIndex = relativeIndexEncoder();
const bench = (name: string, group: string, c: Case, encoder = relativeIndex, baseline = false) =>
  Deno.bench(`${name} (${(c.layer.values.length / 1e6).toFixed(2)} M weights)`, {
    group,
    baseline,
    n: 8,
    warmup: 2,
  }, () => {
    encoder.encode(c.layer, c.mask, c.grains);
  });

bench("relative-index 0-D conv4_2 at 10%", "relative-index", cases.conv0d10, relativeIndex, true);
bench("relative-index 0-D conv4_2 at 27%", "relative-index", cases.conv0d27);
bench("relative-index 0-D conv4_2 at 100%", "relative-index", cases.conv0d100);
bench("relative-index 1-D conv4_2 at 27%", "relative-index", cases.conv1d27);
bench("relative-index 2-D conv4_2 at 27%", "relative-index", cases.conv2d27);
bench("relative-index 0-D fc7 at 10%", "relative-index", cases.fc0d10);
bench("relative-index 0-D fc7 at 4%", "relative-index", cases.fc0d04);

bench("relative-index 0-D conv4_2 at 27%", "formats", cases.conv0d27, relativeIndex, true);
bench("bitmask 0-D conv4_2 at 27%", "formats", cases.conv0d27, bitmaskEncoder());
bench("csr 0-D conv4_2 at 27%", "formats", cases.conv0d27, csrEncoder());
bench("dense 8-bit conv4_2", "formats", cases.conv0d27, denseEncoder());

const encoded = relativeIndex.encode(
  cases.conv0d27.layer,
  cases.conv0d27.mask,
  cases.conv0d27.grains,
);
Deno.bench("relative-index decode 0-D conv4_2 at 27%", { group: "decode", n: 8, warmup: 2 }, () => {
  relativeIndex.decode(encoded.bytes, cases.conv0d27.grains);
});

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
