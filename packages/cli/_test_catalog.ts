/**
 * A small, self-contained plugin catalog for the CLI's unit tests (the built-ins live in other
 * packages): element and kernel granularities, L1 saliency, a raw float32 encoder and a MAC
 * counter. Each is real (no placeholders), just simple.
 *
 * @module
 */
import {
  type AcceleratorModel,
  blockGrains,
  createRegistries,
  type Encoder,
  type Granularity,
  type LayerWeights,
  reduceGrains,
  type SaliencyMetric,
} from "@sparsegrain/core";
import type { Catalog } from "./config/catalog.ts";

function elementGranularity(): Granularity {
  return {
    name: "0d",
    version: "1.0.0",
    describe: () => "Single weights",
    partition: (l) => blockGrains(l.shape, l.shape.map(() => 1)),
  };
}

function kernelGranularity(): Granularity {
  return {
    name: "2d",
    version: "1.0.0",
    describe: () => "Whole kh x kw kernels (dense layers weight by weight)",
    partition: (l) =>
      l.shape.length === 4
        ? blockGrains(l.shape, [l.shape[0], l.shape[1], 1, 1])
        : blockGrains(l.shape, [1, 1]),
  };
}

function l1(): SaliencyMetric {
  return {
    name: "l1",
    version: "1.0.0",
    describe: () => "Sum of |w| per grain",
    score: (l, g) => reduceGrains(l.values, g, "sum-abs"),
  };
}

/** Kept values as float32 after a one-bit-per-element mask. */
function raw32(): Encoder {
  return {
    name: "raw32",
    version: "1.0.0",
    describe: () => "One mask bit per weight, then kept weights as float32",
    encode(layer, mask) {
      const n = mask.length;
      let kept = 0;
      for (let i = 0; i < n; i++) kept += mask[i];
      const maskBytes = Math.ceil(n / 8);
      const bytes = new Uint8Array(maskBytes + 4 * kept);
      const view = new DataView(bytes.buffer);
      let k = 0;
      for (let i = 0; i < n; i++) {
        if (!mask[i]) continue;
        bytes[i >> 3] |= 0x80 >> (i & 7);
        view.setFloat32(maskBytes + 4 * k++, layer.values[i]);
      }
      return {
        encoder: "raw32",
        layer: layer.name,
        bytes,
        bits: {
          value: 32 * kept,
          index: n,
          filler: 0,
          header: 0,
          padding: 8 * maskBytes - n,
          total: 8 * bytes.length,
        },
        keptGrains: kept,
        fillers: 0,
        quantization: { bits: 32, scale: 0, maxAbsError: 0, rmsError: 0 },
      };
    },
    decode(bytes, grains) {
      const n = grains.elements;
      const maskBytes = Math.ceil(n / 8);
      const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
      const out = new Float32Array(n);
      let k = 0;
      for (let i = 0; i < n; i++) {
        if (bytes[i >> 3] & (0x80 >> (i & 7))) out[i] = view.getFloat32(maskBytes + 4 * k++);
      }
      return out;
    },
  };
}

function positions(layer: LayerWeights): number {
  return layer.geometry ? layer.geometry.outputHeight * layer.geometry.outputWidth : 1;
}

/** Counts products as kept weights x output positions x activation density. */
function macCounter(name: string, skipZeros: boolean): AcceleratorModel {
  return {
    name,
    version: "1.0.0",
    describe: () => (skipZeros ? "Counts non-zero products" : "Counts every MAC"),
    evaluate(layer, mask, grains, activation) {
      let kept = 0;
      for (let i = 0; i < mask.length; i++) kept += mask[i];
      const macs = mask.length * positions(layer);
      const products = skipZeros ? kept * positions(layer) * activation.input : macs;
      const references = {
        weight: skipZeros ? kept : mask.length,
        index: skipZeros ? grains.count : 0,
        inputActivation: products,
        accumulatorRead: products,
        accumulatorWrite: products,
        outputWrite: positions(layer) * layer.shape[layer.shape.length - 1],
      };
      const energy = { multiply: 3.1 * products, sram: 5 * (references.weight + 2 * products) };
      return {
        layer: layer.name,
        accelerator: name,
        macs,
        products,
        cycles: Math.ceil(products / 1024),
        utilisation: products > 0 ? 1 : 0,
        references,
        dramBytes: references.weight,
        energy,
        totalEnergy: energy.multiply + energy.sram,
      };
    },
  };
}

/** The test catalog. Factories accept `{}` only (and `{ name }` for granularities). */
export function testCatalog(models: readonly string[] = ["tiny"]): Catalog {
  const registries = createRegistries();
  registries.granularity.register(elementGranularity()).register(kernelGranularity());
  registries.saliency.register(l1());
  registries.encoder.register(raw32());
  registries.accelerator.register(macCounter("macs", true)).register(macCounter("dense", false));
  const names = (k: "granularity" | "saliency" | "encoder" | "accelerator") =>
    new Set(registries[k].names());
  const noOptions = (kind: string) => (name: string, options: Record<string, unknown>) => {
    const keys = Object.keys(options);
    if (keys.length > 0) {
      throw new RangeError(`${kind} "${name}" takes no option "${keys[0]}": remove it`);
    }
    return registries[kind as "encoder"].get(name);
  };
  return {
    registries,
    builtin: {
      granularity: names("granularity"),
      saliency: names("saliency"),
      encoder: names("encoder"),
      accelerator: names("accelerator"),
    },
    factories: {
      granularity: noOptions("granularity") as unknown as Catalog["factories"]["granularity"],
      saliency: noOptions("saliency") as unknown as Catalog["factories"]["saliency"],
      encoder: noOptions("encoder") as unknown as Catalog["factories"]["encoder"],
      accelerator: noOptions("accelerator") as unknown as Catalog["factories"]["accelerator"],
    },
    models,
  };
}

/** The layers of the test catalog's "tiny" model: a 3x3 conv and a dense layer. */
export function tinyShapes(classes = 10): Omit<LayerWeights, "values">[] {
  return [
    {
      name: "conv1",
      kind: "conv2d",
      shape: [3, 3, 2, 4],
      geometry: {
        inputHeight: 6,
        inputWidth: 6,
        outputHeight: 6,
        outputWidth: 6,
        strides: [1, 1],
        dilation: [1, 1],
        padding: "same",
        groups: 1,
      },
    },
    {
      name: "conv2",
      kind: "conv2d",
      shape: [3, 3, 4, 4],
      geometry: {
        inputHeight: 6,
        inputWidth: 6,
        outputHeight: 6,
        outputWidth: 6,
        strides: [1, 1],
        dilation: [1, 1],
        padding: "same",
        groups: 1,
      },
    },
    { name: "fc", kind: "dense", shape: [144, classes] },
  ];
}
