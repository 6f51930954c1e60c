// Mask computation on VGG-16-shaped tensors (138.3 M weights, seeded He-init), the operations
// ../shared/bench/torch_prune.py times in PyTorch. Run `deno task bench:peer` to measure both
// in one run and print the ratios (docs/benchmarks.md).
import { pruneLayers } from "@sparsegrain/core";
import type { LayerPruneResult, LayerWeights, PruneOptions } from "@sparsegrain/core";
import {
  elementGranularity,
  filterGranularity,
  kernelGranularity,
  l1Saliency,
  vectorGranularity,
} from "@sparsegrain/granularities";
import { vgg16Layers } from "./_vgg16.ts";

const layers = vgg16Layers();
const conv = layers.slice(0, 13);
const l1 = l1Saliency();

const originals = layers.map((l) => l.values.slice());

/**
 * Restores the weights (untimed), then prunes and applies the masks in place, as the PyTorch
 * peer does (it restores between repetitions outside its timer too).
 */
function pruneAndApply(
  b: Deno.BenchContext,
  targets: LayerWeights[],
  options: Omit<PruneOptions, "saliency">,
): LayerPruneResult[] {
  targets.forEach((l, i) => l.values.set(originals[i]));
  b.start();
  const results = pruneLayers(targets, { ...options, saliency: l1 });
  results.forEach((r, i) => {
    const w = targets[i].values;
    const m = r.mask;
    for (let e = 0; e < w.length; e++) w[e] *= m[e];
  });
  b.end();
  return results;
}

Deno.bench("0-D L1 per layer to 10%, all 16 layers", {
  group: "vgg16",
  baseline: true,
  n: 5,
  warmup: 1,
}, (b) => {
  pruneAndApply(b, layers, { granularity: elementGranularity(), density: 0.1 });
});
Deno.bench("0-D L1 global to 10%, all 16 layers", { group: "vgg16", n: 5, warmup: 1 }, (b) => {
  pruneAndApply(b, layers, { granularity: elementGranularity(), density: 0.1, scope: "global" });
});
Deno.bench("1-D kernel rows L1 per layer to 20%, 13 conv layers", {
  group: "vgg16-conv",
  n: 10,
  warmup: 2,
}, (b) => {
  pruneAndApply(b, conv, { granularity: vectorGranularity(), density: 0.2 });
});
Deno.bench("2-D kernels L1 per layer to 20%, 13 conv layers", {
  group: "vgg16-conv",
  n: 10,
  warmup: 2,
}, (b) => {
  pruneAndApply(b, conv, { granularity: kernelGranularity(), density: 0.2 });
});
Deno.bench(
  "3-D filters L1 per layer to 50%, all 16 layers",
  { group: "vgg16", n: 5, warmup: 1 },
  (b) => {
    pruneAndApply(b, layers, { granularity: filterGranularity(), density: 0.5 });
  },
);
