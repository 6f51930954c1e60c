import assert from "node:assert/strict";
import { blockGrains } from "../block_grains.ts";
import { BitstreamError, UserError } from "../errors.ts";
import { expandGrainMask } from "../grain_ops.ts";
import { heNormalWeights, seededRandom } from "../random.ts";
import type { Encoder, Grains, Granularity, LayerWeights } from "../types.ts";
import { checkInfo } from "./_check_info.ts";
import { sampleLayers } from "./sample_layers.ts";

/**
 * Checks an encoder on random shapes, block grains and densities (including all pruned and all
 * kept): the stream length equals `bits.total` and the parts sum to it, `keptGrains` is right,
 * decoding gives exactly 0 where pruned and each kept weight within the reported quantisation
 * error, encoding is deterministic, and an empty or truncated stream throws `BitstreamError`.
 * Layers a granularity refuses with a `UserError` or leaves dense are skipped.
 *
 * @param encoder the plugin under test
 * @param options granularities to draw grains from (default: random block tilings), runs, seed
 * @example
 * ```ts
 * import { BitReader, BitstreamError, BitWriter, blockGrains, quantizeLinear } from "@sparsegrain/core";
 * import type { Encoder } from "@sparsegrain/core";
 * import { assertEncoderConforms } from "@sparsegrain/core/testing";
 * const raw: Encoder = {
 *   name: "raw32", version: "1.0.0", describe: () => "float32 per weight, pruned as 0",
 *   encode(layer, mask) {
 *     const w = new BitWriter(layer.values.length * 4 + 4);
 *     w.write(layer.values.length, 32);
 *     const f = new Float32Array(1), u = new Uint32Array(f.buffer);
 *     let kept = 0;
 *     for (let i = 0; i < mask.length; i++) { f[0] = mask[i] ? layer.values[i] : 0; w.write(u[0], 32); kept += mask[i]; }
 *     const bytes = w.finish();
 *     return { encoder: "raw32", layer: layer.name, bytes, keptGrains: kept, fillers: 0,
 *       bits: { value: bytes.length * 8 - 32, index: 0, filler: 0, header: 32, padding: 0, total: bytes.length * 8 },
 *       quantization: quantizeLinear(layer.values, mask, 32).report };
 *   },
 *   decode(bytes, grains) {
 *     const r = new BitReader(bytes, "raw32");
 *     if (r.remaining < 32 || r.read(32) !== grains.elements) throw new BitstreamError("raw32", "bad length");
 *     const f = new Float32Array(1), u = new Uint32Array(f.buffer), out = new Float32Array(grains.elements);
 *     for (let i = 0; i < out.length; i++) { u[0] = r.read(32); out[i] = f[0]; }
 *     return out;
 *   },
 * };
 * const zeroD = { name: "0d", version: "1.0.0", describe: () => "elements",
 *   partition: (l: { shape: readonly number[] }) => blockGrains(l.shape, l.shape.map(() => 1)) };
 * assertEncoderConforms(raw, { granularities: [zeroD], runs: 5 });
 * ```
 */
export function assertEncoderConforms(
  encoder: Encoder,
  options: {
    readonly granularities?: readonly Granularity[];
    readonly runs?: number;
    readonly seed?: number;
  } = {},
): void {
  checkInfo(encoder);
  const random = seededRandom(options.seed ?? 11);
  const int = (lo: number, hi: number) => lo + Math.floor(random() * (hi - lo + 1));
  const runs = options.runs ?? 60;
  const samples = sampleLayers(3);
  for (let run = 0; run < runs; run++) {
    let layer: LayerWeights;
    let grains: Grains | undefined;
    if (options.granularities) {
      layer = samples[run % samples.length];
      try {
        grains = options.granularities[run % options.granularities.length].partition(layer);
      } catch (e) {
        if (e instanceof UserError) continue; // the granularity refuses this layer (e.g. N:M)
        throw e;
      }
      if (grains === undefined) continue;
    } else {
      const shape = [int(1, 5), int(1, 5), int(1, 9), int(1, 9)];
      layer = { name: `random${run}`, kind: "conv2d", shape, values: heNormalWeights(shape, run) };
      grains = blockGrains(shape, shape.map((d) => (random() < 0.5 ? 1 : int(1, d))));
    }
    const density = [0, 1, random(), random() * 0.2][run % 4];
    const grainMask = new Uint8Array(grains.count).map(() => (random() < density ? 1 : 0));
    const mask = expandGrainMask(grainMask, grains);
    const where = `encoder "${encoder.name}" on "${layer.name}" [${layer.shape}] at density ${
      density.toFixed(3)
    }`;
    const encoded = encoder.encode(layer, mask, grains);
    const { bits } = encoded;
    assert.equal(
      bits.total,
      encoded.bytes.length * 8,
      `${where}: bits.total is not the stream length`,
    );
    assert.equal(
      bits.value + bits.index + bits.filler + bits.header + bits.padding,
      bits.total,
      `${where}: bit parts do not sum to total`,
    );
    assert.equal(encoded.keptGrains, grainMask.reduce((a, b) => a + b, 0), `${where}: keptGrains`);
    const decoded = encoder.decode(encoded.bytes, grains);
    assert.equal(decoded.length, layer.values.length, `${where}: decoded length`);
    const tolerance = encoded.quantization.maxAbsError * (1 + 1e-6) + 1e-12;
    for (let e = 0; e < decoded.length; e++) {
      if (mask[e] === 0) {
        assert.equal(decoded[e], 0, `${where}: pruned element ${e} decoded as ${decoded[e]}`);
      } else {
        assert.ok(
          Math.abs(decoded[e] - layer.values[e]) <= tolerance,
          `${where}: element ${e} decoded as ${decoded[e]}, expected ${
            layer.values[e]
          } within ${tolerance}`,
        );
      }
    }
    assert.deepEqual(
      encoder.encode(layer, mask, grains).bytes,
      encoded.bytes,
      `${where}: not deterministic`,
    );
    assert.throws(
      () => encoder.decode(new Uint8Array(0), grains!),
      BitstreamError,
      `${where}: empty stream`,
    );
    if (encoded.bytes.length >= 8) {
      assert.throws(
        () => encoder.decode(encoded.bytes.subarray(0, encoded.bytes.length >> 1), grains!),
        BitstreamError,
        `${where}: a stream cut in half must throw BitstreamError`,
      );
    }
  }
}
