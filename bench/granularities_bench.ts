// Partitioning and saliency scoring on VGG-16-shaped tensors (seeded He-normal init, PAPER.md
// shapes): conv4_2 (3x3x512x512) and fc7 (4096x4096) at every granularity. Scores use core's
// reduceGrains block loops. Run: deno bench -A bench/granularities_bench.ts
import { heNormalWeights } from "@sparsegrain/core";
import type { LayerWeights } from "@sparsegrain/core";
import {
  blockGranularity,
  channelGranularity,
  elementGranularity,
  filterGranularity,
  kernelGranularity,
  l1Saliency,
  l2Saliency,
  maxAbsSaliency,
  meanAbsSaliency,
  nmGranularity,
  randomSaliency,
  taylorSaliency,
  vectorGranularity,
} from "@sparsegrain/granularities";
import { vgg16Layer } from "./_vgg16.ts";

const conv: LayerWeights = vgg16Layer("conv4_2");
const fc: LayerWeights = vgg16Layer("fc7");
const gradients = heNormalWeights([3, 3, 512, 512], 9);

const granularities = [
  elementGranularity(),
  vectorGranularity(),
  vectorGranularity({ axis: "column" }),
  kernelGranularity(),
  filterGranularity(),
  channelGranularity(),
  nmGranularity({ n: 2, m: 4 }),
  blockGranularity({ block: [1, 1, 4, 4] }),
];

for (const granularity of granularities) {
  const label = `${granularity.name}${
    granularity.name === "1d" ? ` ${granularity.options?.axis}` : ""
  }`;
  Deno.bench(`partition + L1 scores, ${label}, conv4_2 (2.36 M weights)`, {
    group: "l1 conv4_2",
    baseline: granularity.name === "0d",
    n: 10,
    warmup: 2,
  }, () => {
    l1Saliency().score(conv, granularity.partition(conv)!);
  });
}

for (const granularity of [elementGranularity(), filterGranularity(), channelGranularity()]) {
  Deno.bench(`partition + L1 scores, ${granularity.name}, fc7 (16.8 M weights)`, {
    group: "l1 fc7",
    baseline: granularity.name === "0d",
    n: 5,
    warmup: 1,
  }, () => {
    l1Saliency().score(fc, granularity.partition(fc)!);
  });
}

const kernels = kernelGranularity().partition(conv)!;
for (
  const metric of [
    l1Saliency(),
    l2Saliency(),
    meanAbsSaliency(),
    maxAbsSaliency(),
    taylorSaliency(),
    randomSaliency({ seed: 1 }),
  ]
) {
  Deno.bench(`${metric.name} scores of conv4_2 kernels`, {
    group: "saliency",
    baseline: metric.name === "l1",
    n: 10,
    warmup: 2,
  }, () => {
    metric.score(conv, kernels, { gradients });
  });
}
