/**
 * Speed of the accelerator cost models (issue 4): all 16 VGG-16 layers at one granularity in
 * <= 100 ms, and a whole five-network pass (every layer, four granularities) in <= 2 s.
 *
 * Weights are seeded He-normal (no ImageNet weights here); VGG-16 masks are per-layer L1 top-k
 * at 2-D (kernel) granularity and density 0.3 through core's `pruneLayers`; the zoo pass uses
 * seeded random grain masks at density 0.3. Layer shapes come from hw-models' zoo fixture.
 *
 *   deno bench -A bench/hw_models_bench.ts
 */
import {
  blockGrains,
  expandGrainMask,
  heNormalWeights,
  pruneLayers,
  reduceGrains,
} from "@sparsegrain/core";
import type { Grains, Granularity, LayerWeights, Mask, SaliencyMetric } from "@sparsegrain/core";
import { scnnModel } from "@sparsegrain/hw-models";
import { ZOO_MODELS, zooLayers } from "../packages/hw-models/testdata/zoo_layers.ts";
import type { ZooLayer } from "../packages/hw-models/testdata/zoo_layers.ts";

type Level = "0-D" | "1-D" | "2-D" | "3-D";
const LEVELS: readonly Level[] = ["0-D", "1-D", "2-D", "3-D"];

/** The study's grain blocks (dense layers as 1x1 convs: element-wise up to 2-D, neurons at 3-D). */
function blockOf(layer: Pick<ZooLayer, "kind" | "shape">, level: Level): number[] {
  const s = layer.shape;
  if (layer.kind === "dense") return level === "3-D" ? [s[0], 1] : [1, 1];
  if (level === "0-D") return [1, 1, 1, 1];
  if (level === "1-D") return [1, s[1], 1, 1];
  if (level === "2-D") return [s[0], s[1], 1, 1];
  return [s[0], s[1], s[2], 1];
}

const asLayer = (z: ZooLayer, values: Float32Array): LayerWeights => ({
  name: z.name,
  kind: z.kind,
  shape: z.shape,
  values,
  geometry: z.geometry,
});

interface Case {
  readonly layer: LayerWeights;
  readonly grains: Grains;
  readonly mask: Mask;
}

// VGG-16 at 2-D: per-layer L1 top-k masks from seeded He-normal weights.
const kernels: Granularity = {
  name: "2-D",
  version: "1.0.0",
  describe: () => "kernels",
  partition: (l) => blockGrains(l.shape, blockOf(l, "2-D")),
};
const l1: SaliencyMetric = {
  name: "l1",
  version: "1.0.0",
  describe: () => "L1 norm",
  score: (l, g) => reduceGrains(l.values, g, "sum-abs"),
};
const vgg: Case[] = zooLayers("vgg16").map((z, i) => {
  const layer = asLayer(z, heNormalWeights(z.shape, 100 + i));
  const [result] = pruneLayers([layer], { granularity: kernels, saliency: l1, density: 0.3 });
  return { layer: asLayer(z, new Float32Array(0)), grains: result.grains, mask: result.mask };
});

// The five-network pass: seeded random grain masks at density 0.3, shared between granularities
// whose grains coincide (dense layers and 1x1 convs are element-wise up to 2-D).
let state = 0x9e3779b9;
function randomGrainMask(grains: Grains, density: number): Mask {
  const keep = new Uint8Array(grains.count);
  const threshold = density * 4294967296;
  for (let i = 0; i < keep.length; i++) {
    state ^= state << 13;
    state ^= state >>> 17;
    state ^= state << 5;
    keep[i] = (state >>> 0) < threshold ? 1 : 0;
  }
  return expandGrainMask(keep, grains);
}
const zoo: Case[] = [];
for (const model of ZOO_MODELS) {
  for (const z of zooLayers(model)) {
    const shared = new Map<string, Case>();
    for (const level of LEVELS) {
      const block = blockOf(z, level);
      const key = block.join("x");
      let c = shared.get(key);
      if (c === undefined) {
        const grains = blockGrains(z.shape, block);
        c = { layer: asLayer(z, new Float32Array(0)), grains, mask: randomGrainMask(grains, 0.3) };
        shared.set(key, c);
      }
      zoo.push(c);
    }
  }
}

const scnn = scnnModel();
let sink = 0;

// The floor: reading every mask byte once (word sums), to judge timings on a loaded machine.
const words = vgg.map(({ mask }) =>
  new Uint32Array(mask.buffer, mask.byteOffset, mask.length >> 2)
);
Deno.bench({
  name: "floor: sum every VGG-16 mask word once",
  group: "vgg16",
  baseline: true,
  warmup: 3,
  n: 20,
  fn: () => {
    for (const w of words) {
      let lanes = 0;
      for (let j = 0; j < w.length; j++) {
        lanes += w[j];
        if ((j & 127) === 127) {
          sink += (lanes & 255) + ((lanes >>> 8) & 255) + ((lanes >>> 16) & 255) + (lanes >>> 24);
          lanes = 0;
        }
      }
      sink += lanes & 255;
    }
  },
});

Deno.bench({
  name: "scnn: all 16 VGG-16 layers, 2-D L1 masks at density 0.3 (target <= 100 ms)",
  group: "vgg16",
  warmup: 3,
  n: 20,
  fn: () => {
    for (const { layer, grains, mask } of vgg) {
      sink += scnn.evaluate(layer, mask, grains, { input: 0.5 }).totalEnergy;
    }
  },
});

Deno.bench({
  name: `scnn: five networks x four granularities, ${zoo.length} layer evaluations (target <= 2 s)`,
  group: "zoo",
  warmup: 1,
  n: 5,
  fn: () => {
    for (const { layer, grains, mask } of zoo) {
      sink += scnn.evaluate(layer, mask, grains, { input: 0.5 }).totalEnergy;
    }
  },
});

globalThis.addEventListener("unload", () => {
  if (!Number.isFinite(sink)) throw new Error("non-finite energy");
});
