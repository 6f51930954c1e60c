/**
 * Conformance kit for plugin authors: call these inside a `Deno.test` to check that a plugin
 * keeps the contracts the pruning engine, the encoders' accounting and the sweeps rely on. Every
 * built-in plugin passes them.
 *
 * @example
 * ```ts
 * import { blockGrains } from "@sparsegrain/core";
 * import type { Granularity } from "@sparsegrain/core";
 * import { assertGranularityConforms } from "@sparsegrain/core/testing";
 * const rows: Granularity = {
 *   name: "rows", version: "1.0.0", describe: () => "kernel rows",
 *   partition: (l) => l.kind === "dense" ? blockGrains(l.shape, [1, 1]) : blockGrains(l.shape, [1, l.shape[1], 1, 1]),
 * };
 * assertGranularityConforms(rows);
 * ```
 *
 * @module
 */
export { assertGranularityConforms } from "./granularity.ts";
export { assertSaliencyConforms } from "./saliency.ts";
export { assertEncoderConforms } from "./encoder.ts";
export { assertAcceleratorConforms } from "./accelerator.ts";
export { sampleLayers } from "./sample_layers.ts";
