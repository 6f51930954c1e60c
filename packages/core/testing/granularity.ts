import assert from "node:assert/strict";
import { UserError } from "../errors.ts";
import type { Granularity, LayerWeights } from "../types.ts";
import { sampleLayers } from "./sample_layers.ts";
import { checkInfo } from "./_check_info.ts";

/**
 * Checks a granularity: on every layer it partitions, every element lies in exactly one grain,
 * `elementsOf` and `elementGrain` agree, grain sizes are within `maxSize`, N:M groups are
 * consistent, and partitioning twice gives the same grains. Layers it rejects with a
 * `UserError` or leaves dense (`undefined`) are skipped, but it must partition at least one.
 *
 * @param granularity the plugin under test
 * @param options layers to use instead of {@link sampleLayers}
 * @example
 * ```ts
 * import { blockGrains } from "@sparsegrain/core";
 * import { assertGranularityConforms } from "@sparsegrain/core/testing";
 * assertGranularityConforms({ name: "0d", version: "1.0.0", describe: () => "elements",
 *   partition: (l) => blockGrains(l.shape, l.shape.map(() => 1)) });
 * ```
 */
export function assertGranularityConforms(
  granularity: Granularity,
  options: { readonly layers?: readonly LayerWeights[] } = {},
): void {
  checkInfo(granularity);
  let partitioned = 0;
  for (const layer of options.layers ?? sampleLayers(1)) {
    let grains;
    try {
      grains = granularity.partition(layer);
    } catch (e) {
      if (e instanceof UserError) continue;
      throw e;
    }
    if (grains === undefined) continue;
    partitioned++;
    const where = `granularity "${granularity.name}" on layer "${layer.name}"`;
    assert.equal(grains.elements, layer.values.length, `${where}: grains.elements`);
    assert.ok(
      grains.count > 0 && grains.count <= grains.elements,
      `${where}: grain count ${grains.count}`,
    );
    const map = grains.elementGrain();
    assert.equal(map.length, grains.elements, `${where}: elementGrain() length`);
    const seen = new Uint8Array(grains.elements);
    const buffer = new Int32Array(grains.maxSize);
    for (let g = 0; g < grains.count; g++) {
      const n = grains.elementsOf(g, buffer);
      assert.ok(n >= 1 && n <= grains.maxSize, `${where}: grain ${g} has ${n} elements`);
      for (let j = 0; j < n; j++) {
        const e = buffer[j];
        assert.equal(seen[e], 0, `${where}: element ${e} is in two grains`);
        seen[e] = 1;
        assert.equal(map[e], g, `${where}: elementGrain()[${e}] disagrees with elementsOf(${g})`);
      }
    }
    assert.ok(seen.every((s) => s === 1), `${where}: some element is in no grain`);
    const again = granularity.partition(layer)!;
    assert.deepEqual(again.elementGrain(), map, `${where}: partition is not deterministic`);
    if (grains.groups) {
      const { count, keep, groupOf } = grains.groups;
      assert.equal(groupOf.length, grains.count, `${where}: groups.groupOf length`);
      const sizes = new Int32Array(count);
      for (const g of groupOf) sizes[g]++;
      assert.ok(sizes.every((s) => s >= keep), `${where}: a group has fewer than ${keep} grains`);
    }
  }
  assert.ok(
    partitioned > 0,
    `granularity "${granularity.name}" partitioned none of the sample layers`,
  );
}
