import assert from "node:assert/strict";
import {
  ConfigError,
  heNormalWeights,
  LayerError,
  pruneLayers,
  reduceGrains,
} from "@sparsegrain/core";
import type { GrainReduction, LayerWeights, SaliencyMetric } from "@sparsegrain/core";
import { assertGranularityConforms, sampleLayers } from "@sparsegrain/core/testing";
import {
  pattern,
  pattern8,
  type PatternGrains,
  patternGranularity,
  SQUARE_AND_T_PATTERNS,
  SQUARE_PATTERNS,
} from "./pattern_granularity.ts";

function metric(reduction: GrainReduction): SaliencyMetric {
  return {
    name: reduction,
    version: "1.0.0",
    describe: () => reduction,
    score: (layer, grains) => reduceGrains(layer.values, grains, reduction),
  };
}

function conv(name: string, shape: number[], seed: number): LayerWeights {
  return { name, kind: "conv2d", shape, values: heNormalWeights(shape, seed) };
}

/** The 9-character mask of kernel k of a [3, 3, cin, cout] layer. */
function kernelMask(mask: Uint8Array, kernels: number, k: number): string {
  let s = "";
  for (let p = 0; p < 9; p++) s += mask[p * kernels + k];
  return s;
}

Deno.test("pattern granularities pass the conformance kit", async (t) => {
  await t.step("default (K = 4)", () => assertGranularityConforms(pattern));
  await t.step("K = 8", () => assertGranularityConforms(pattern8));
  await t.step(
    "others: element",
    () => assertGranularityConforms(patternGranularity({ others: "element", name: "pattern-el" })),
  );
  await t.step("custom 3-weight patterns", () =>
    assertGranularityConforms(
      patternGranularity({ patterns: ["010110000", "010011000", "000110010", "000011010"] }),
    ));
  await t.step("bigger 3x3 layers", () =>
    assertGranularityConforms(pattern, {
      layers: [conv("a", [3, 3, 16, 8], 1), conv("b", [3, 3, 1, 1], 2)],
    }));
});

Deno.test("pattern: every 3x3 kernel keeps exactly its chosen pattern under L1 and L2", async (t) => {
  for (const reduction of ["sum-abs", "sum-squares"] as const) {
    for (
      const [granularity, set] of [[pattern, SQUARE_PATTERNS], [
        pattern8,
        SQUARE_AND_T_PATTERNS,
      ]] as const
    ) {
      await t.step(`${granularity.name} with ${reduction}`, () => {
        const layers = [conv("c1", [3, 3, 8, 12], 3), {
          name: "dw",
          kind: "depthwise" as const,
          shape: [3, 3, 6, 2],
          values: heNormalWeights([3, 3, 6, 2], 4),
        }];
        // the density is ignored for grouped grains: 4/9 whatever is asked
        for (const density of [0.9, 0.3, 0.05]) {
          const results = pruneLayers(layers, {
            granularity,
            saliency: metric(reduction),
            density,
          });
          for (const [i, r] of results.entries()) {
            const grains = r.grains as PatternGrains;
            const kernels = layers[i].shape[2] * layers[i].shape[3];
            assert.equal(r.keptGrains, kernels);
            assert.equal(r.density, 4 / 9);
            for (let k = 0; k < kernels; k++) {
              assert.equal(kernelMask(r.mask, kernels, k), set[grains.patternOf[k]], `kernel ${k}`);
            }
          }
        }
      });
    }
  }
});

Deno.test("pattern: the chosen pattern has the largest L2 norm, ties to the lower id", () => {
  // kernel 0: big weights at the top-right; kernel 1: all equal (tie, pattern 0)
  // kernel 2: a big weight in the middle of the right edge, slightly bigger below
  const kernels = 3;
  const values = new Float32Array(9 * kernels);
  const set = (k: number, grid: number[]) => grid.forEach((v, p) => (values[p * kernels + k] = v));
  set(0, [0, 2, 3, 0, 1, 2, 0, 0, 0]);
  set(1, [1, 1, 1, 1, 1, 1, 1, 1, 1]);
  set(2, [0, 0, 0, 0, 0, -5, 0, 0, 0.5]);
  const grains = pattern.partition({
    name: "k",
    kind: "conv2d",
    shape: [3, 3, 1, 3],
    values,
  }) as PatternGrains;
  assert.deepEqual([...grains.patternOf], [1, 0, 3]);
  const out = new Int32Array(4);
  // pattern grain of kernel 0 = top-right square: positions 1, 2, 4, 5
  assert.equal(grains.elementsOf(0, out), 4);
  assert.deepEqual([...out], [1 * 3 + 0, 2 * 3 + 0, 4 * 3 + 0, 5 * 3 + 0]);
  // off-pattern singles of kernel 0 follow all patterns: positions 0, 3, 6, 7, 8
  const single = new Int32Array(1);
  const offs = [0, 1, 2, 3, 4].map((j) => (grains.elementsOf(3 + j, single), single[0]));
  assert.deepEqual(offs, [0, 3, 6, 7, 8].map((p) => p * 3));
  assert.equal(grains.groups.groupOf[3 + 5 * 2 + 4], 2);
});

Deno.test("pattern: layers that are not 3x3 follow the others policy", () => {
  const layers = sampleLayers(5);
  const names = (g: typeof pattern) =>
    layers.filter((l) => g.partition(l) !== undefined).map((l) => l.name);
  assert.deepEqual(names(pattern), ["conv3x3", "depthwise"]);
  const element = patternGranularity({ others: "element" });
  assert.equal(names(element).length, layers.length);
  const fc = layers.find((l) => l.kind === "dense")!;
  const grains = element.partition(fc)!;
  assert.equal(grains.count, fc.values.length);
  assert.equal(grains.groups, undefined);
  // the density acts on the fallback layers
  const [r] = pruneLayers([fc], {
    granularity: element,
    saliency: metric("sum-abs"),
    density: 0.25,
  });
  assert.equal(r.keptGrains, Math.round(0.25 * fc.values.length));
});

Deno.test("pattern: bad options throw ConfigError naming the field", () => {
  assert.throws(() => patternGranularity({ patterns: ["110110000"] }), ConfigError);
  assert.throws(
    () => patternGranularity({ patterns: ["110110000", "11011000x"] }),
    /patterns\[1\]/,
  );
  assert.throws(
    () => patternGranularity({ patterns: ["110110000", "111110000"] }),
    /same number of ones/,
  );
  assert.throws(() => patternGranularity({ patterns: ["110110000", "110110000"] }), /twice/);
  assert.throws(
    // deno-lint-ignore no-explicit-any
    () => patternGranularity({ others: "dense" as any }),
    /others/,
  );
});

Deno.test("pattern: the describe() line states the fixed density", () => {
  assert.match(pattern.describe(), /4\/9/);
  assert.equal(pattern.name, "pattern");
  assert.equal(pattern8.name, "pattern8");
});

Deno.test("pattern: a layer whose values do not fill its shape is a LayerError", () => {
  assert.throws(
    () =>
      pattern.partition({
        name: "bad",
        kind: "conv2d",
        shape: [3, 3, 2, 2],
        values: new Float32Array(35),
      }),
    (e) => e instanceof LayerError && e.layer === "bad",
  );
});
