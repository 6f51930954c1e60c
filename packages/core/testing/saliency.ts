import assert from "node:assert/strict";
import { blockGrains } from "../block_grains.ts";
import type { Grains, Granularity, LayerWeights, SaliencyMetric } from "../types.ts";
import { checkInfo } from "./_check_info.ts";
import { sampleLayers } from "./sample_layers.ts";

/**
 * Checks a saliency metric on the sample layers (gradients supplied): one finite,
 * non-negative score per grain, the same scores on a second call, and the weights untouched.
 *
 * @param metric the plugin under test
 * @param options the granularity whose grains are scored (default: elements and whole kernels)
 * @example
 * ```ts
 * import { reduceGrains } from "@sparsegrain/core";
 * import { assertSaliencyConforms } from "@sparsegrain/core/testing";
 * assertSaliencyConforms({ name: "l1", version: "1.0.0", describe: () => "L1",
 *   score: (l, g) => reduceGrains(l.values, g, "sum-abs") });
 * ```
 */
export function assertSaliencyConforms(
  metric: SaliencyMetric,
  options: { readonly granularity?: Granularity } = {},
): void {
  checkInfo(metric);
  for (const layer of sampleLayers(2)) {
    const partitions: (Grains | undefined)[] = options.granularity
      ? [options.granularity.partition(layer)]
      : [
        blockGrains(layer.shape, layer.shape.map(() => 1)),
        blockGrains(layer.shape, layer.shape.map((d, i) => (i < layer.shape.length - 2 ? d : 1))),
      ];
    for (const grains of partitions) {
      if (grains === undefined) continue;
      const gradients = layer.values.map((v, i) => v * ((i % 7) - 3));
      const before = layer.values.slice();
      const where = `saliency "${metric.name}" on layer "${layer.name}"`;
      const scores = metric.score(layer as LayerWeights, grains, { gradients });
      assert.ok(scores instanceof Float32Array, `${where}: scores must be a Float32Array`);
      assert.equal(scores.length, grains.count, `${where}: one score per grain`);
      scores.forEach((s, g) =>
        assert.ok(Number.isFinite(s) && s >= 0, `${where}: score ${g} is ${s}`)
      );
      assert.deepEqual(
        metric.score(layer, grains, { gradients }),
        scores,
        `${where}: not deterministic`,
      );
      assert.deepEqual(layer.values, before, `${where}: the weights were modified`);
    }
  }
}
