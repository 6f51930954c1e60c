// Peak memory of a whole VGG-16 pass: 138.3 M seeded He-init weights pruned at 0-D, 1-D, 2-D
// and 3-D to 10% (per layer, L1) and each result written as a relative-index bitstream, one
// layer at a time.
// Prints one JSON line: wall time and peak resident memory (VmHWM from /proc/self/status).
//   deno run -A bench/vgg16_memory.ts
import { pruneLayers } from "@sparsegrain/core";
import {
  elementGranularity,
  filterGranularity,
  kernelGranularity,
  l1Saliency,
  relativeIndexEncoder,
  vectorGranularity,
} from "@sparsegrain/granularities";
import { vgg16Layers } from "./_vgg16.ts";

const start = performance.now();
const layers = vgg16Layers();
const encoder = relativeIndexEncoder();
const storage: Record<string, number> = {};
for (
  const granularity of [
    elementGranularity(),
    vectorGranularity(),
    kernelGranularity(),
    filterGranularity(),
  ]
) {
  // One layer at a time: prune, encode, let the mask go (what a memory-conscious caller does)
  let bits = 0;
  for (const layer of layers) {
    const [r] = pruneLayers([layer], { granularity, saliency: l1Saliency(), density: 0.1 });
    bits += encoder.encode(layer, r.mask, r.grains).bits.total;
  }
  storage[granularity.name] = bits / 8 / 1e6;
}
const status = await Deno.readTextFile("/proc/self/status");
const peakKiB = Number(/VmHWM:\s+(\d+)/.exec(status)?.[1] ?? NaN);
console.log(JSON.stringify({
  bench: "vgg16_memory",
  seconds: Number(((performance.now() - start) / 1000).toFixed(2)),
  peakMB: Math.round(peakKiB / 1024),
  relativeIndexMB: storage,
}));
