/**
 * Private helpers the zoo factories share: seeded initialisers, named layer shortcuts and the
 * option checks. Not exported from the package.
 *
 * @module
 */
import * as tf from "@tensorflow/tfjs";
import { ConfigError } from "@sparsegrain/core";
import { GroupedConv2D, type Initializer } from "./_grouped_conv2d.ts";
import { LocalResponseNorm } from "./_lrn.ts";
import type { ModelOptions } from "./model_options.ts";

/** A symbolic tensor in a model graph. */
export type Sym = tf.SymbolicTensor;

/** Options of {@link Builder.conv}. */
export interface ConvArgs {
  /** Stride. @default 1 */
  strides?: number;
  /** Symmetric zero padding added by a `ZeroPadding2D` layer before a `"valid"` conv. */
  pad?: number;
  /** tfjs padding when `pad` is not given. @default "same" */
  padding?: "same" | "valid";
  /** @default "relu" */
  activation?: "relu" | "linear";
  /** @default true */
  useBias?: boolean;
  /** Channel groups (a grouped conv when > 1). @default 1 */
  groups?: number;
}

/** Layer shortcuts with the model's initialiser policy. */
export interface Builder {
  /** The options after defaults. */
  readonly inputShape: [number, number, number];
  /** Number of classes. */
  readonly classes: number;
  /** Input placeholder. */
  input(): Sym;
  /** Conv layer `name` (ReLU by default), optionally behind a named zero-padding layer. */
  conv(x: Sym, name: string, filters: number, kernel: number, args?: ConvArgs): Sym;
  /** Dense layer (`activation` defaults to ReLU; the classifier passes `"linear"`). */
  dense(x: Sym, name: string, units: number, activation?: "relu" | "linear"): Sym;
  /** Batch norm with PyTorch's defaults (momentum 0.1, i.e. tfjs 0.9; epsilon 1e-5). */
  bn(x: Sym, name: string): Sym;
  /** ReLU layer. */
  relu(x: Sym, name: string): Sym;
  /** Max pooling (`pad` adds a zero-padding layer first; only valid after a ReLU). */
  maxPool(
    x: Sym,
    name: string,
    size: number,
    strides: number,
    padding?: "same" | "valid",
    pad?: number,
  ): Sym;
  /** Average pooling, `"valid"`. */
  avgPool(x: Sym, name: string, size: number, strides: number): Sym;
  /** Global average pooling. */
  gap(x: Sym, name: string): Sym;
  /** Caffe LRN (size 5, alpha 1e-4, beta 0.75). */
  lrn(x: Sym, name: string): Sym;
  /** Flatten. */
  flatten(x: Sym, name: string): Sym;
  /** Dropout at `rate` (skipped when 0). */
  dropout(x: Sym, name: string, rate: number): Sym;
  /** Channel concatenation. */
  concat(xs: Sym[], name: string): Sym;
  /** Element-wise sum. */
  add(xs: Sym[], name: string): Sym;
  /** Builds the `tf.LayersModel`. */
  finish(output: Sym, name: string): tf.LayersModel;
  /** Disposes the weights of every layer made so far (after a failed build). */
  abort(): void;
}

function checkShape(shape: readonly number[], fallback: [number, number, number]) {
  if (
    shape.length !== 3 || shape.some((d) => !Number.isInteger(d) || d < 1)
  ) {
    throw new ConfigError(
      "inputShape",
      `expected [height, width, channels] of positive integers, found ${JSON.stringify(shape)}: ` +
        `use e.g. ${JSON.stringify(fallback)}`,
    );
  }
}

/** Thrown by `finish()` when a layer's output would be empty. */
class InputTooSmall extends Error {}

/**
 * Creates a builder for one model. Kernel initialisers are He-normal (the classifier's is
 * Glorot-uniform), each seeded with `seed + layer index + 1` when `options.seed` is given (the
 * offset because tfjs initialisers treat seed 0 as "unseeded", so seed 0 must not reach them); with
 * `init: "zeros"` every kernel starts at zero, which is fast for weight-free analysis.
 */
export function createBuilder(
  options: ModelOptions,
  defaults: { inputShape: [number, number, number]; classes: number },
): Builder {
  const inputShape = (options.inputShape ?? defaults.inputShape) as [number, number, number];
  checkShape(inputShape, defaults.inputShape);
  const classes = options.classes ?? defaults.classes;
  if (!Number.isInteger(classes) || classes < 1) {
    throw new ConfigError("classes", `expected a positive integer, found ${classes}: use e.g. 10`);
  }
  const init = options.init ?? "random";
  if (init !== "random" && init !== "zeros") {
    throw new ConfigError("init", `expected "random" or "zeros", found "${init}": use "random"`);
  }
  let counter = 0;
  const seedOf = () => (options.seed === undefined ? undefined : options.seed + 1 + counter++);
  const kernelInit = (classifier: boolean): Initializer => {
    if (init === "zeros") return tf.initializers.zeros();
    const seed = seedOf();
    return classifier
      ? tf.initializers.glorotUniform({ seed })
      : tf.initializers.heNormal({ seed });
  };
  let input: Sym | undefined;
  const made: tf.layers.Layer[] = [];
  const track = <L extends tf.layers.Layer>(layer: L): L => {
    made.push(layer);
    return layer;
  };

  return {
    inputShape,
    classes,
    input() {
      input = tf.input({ shape: [...inputShape], name: "input" });
      return input;
    },
    conv(x, name, filters, kernel, args = {}) {
      let y = x;
      if (args.pad !== undefined && args.pad > 0) {
        y = track(tf.layers.zeroPadding2d({ padding: args.pad, name: `${name}_pad` })).apply(
          y,
        ) as Sym;
      }
      const padding = args.pad !== undefined ? "valid" : args.padding ?? "same";
      const common = {
        name,
        filters,
        kernelSize: kernel,
        strides: args.strides ?? 1,
        padding,
        activation: args.activation ?? "relu",
        useBias: args.useBias ?? true,
        kernelInitializer: kernelInit(false),
      } as const;
      const groups = args.groups ?? 1;
      const layer = groups > 1
        ? track(new GroupedConv2D({ ...common, groups }))
        : track(tf.layers.conv2d({ ...common }));
      return layer.apply(y) as Sym;
    },
    dense(x, name, units, activation = "relu") {
      return track(tf.layers.dense({
        name,
        units,
        activation,
        kernelInitializer: kernelInit(activation === "linear"),
      })).apply(x) as Sym;
    },
    bn(x, name) {
      return track(tf.layers.batchNormalization({ name, momentum: 0.9, epsilon: 1e-5 })).apply(
        x,
      ) as Sym;
    },
    relu(x, name) {
      return track(tf.layers.reLU({ name })).apply(x) as Sym;
    },
    maxPool(x, name, size, strides, padding = "valid", pad) {
      let y = x;
      if (pad !== undefined && pad > 0) {
        y = tf.layers.zeroPadding2d({ padding: pad, name: `${name}_pad` }).apply(y) as Sym;
      }
      return track(tf.layers.maxPooling2d({ name, poolSize: size, strides, padding })).apply(
        y,
      ) as Sym;
    },
    avgPool(x, name, size, strides) {
      return track(tf.layers.averagePooling2d({ name, poolSize: size, strides, padding: "valid" }))
        .apply(x) as Sym;
    },
    gap(x, name) {
      return track(tf.layers.globalAveragePooling2d({ name })).apply(x) as Sym;
    },
    lrn(x, name) {
      return track(new LocalResponseNorm({ name })).apply(x) as Sym;
    },
    flatten(x, name) {
      return track(tf.layers.flatten({ name })).apply(x) as Sym;
    },
    dropout(x, name, rate) {
      if (!(rate >= 0 && rate < 1)) {
        throw new ConfigError("dropout", `expected a rate in [0, 1), found ${rate}: use e.g. 0.5`);
      }
      if (rate === 0) return x;
      return track(tf.layers.dropout({ name, rate, seed: seedOf() })).apply(x) as Sym;
    },
    concat(xs, name) {
      return track(tf.layers.concatenate({ name, axis: -1 })).apply(xs) as Sym;
    },
    add(xs, name) {
      return track(tf.layers.add({ name })).apply(xs) as Sym;
    },
    finish(output, name) {
      if (input === undefined) throw new Error("Builder.input() was not called");
      for (const layer of made) {
        const shape = layer.outputShape as (number | null)[];
        if (shape.some((d) => d !== null && d < 1)) {
          throw new InputTooSmall(`layer "${layer.name}" would output ${JSON.stringify(shape)}`);
        }
      }
      return tf.model({ inputs: input, outputs: output, name });
    },
    abort() {
      for (const layer of made) {
        if (layer.built) { for (const w of layer.weights) w.dispose(); }
      }
    },
  };
}

/**
 * Builds one zoo model: makes a builder, runs `body` on it and wraps the graph in a model. An
 * input too small for the network (a layer would output an empty tensor) becomes a
 * `ConfigError` naming `inputShape`; on any failure the weights of the layers built so far are
 * disposed.
 */
export function buildModel(
  name: string,
  options: ModelOptions,
  defaults: { inputShape: [number, number, number]; classes: number },
  body: (b: Builder) => Sym,
): tf.LayersModel {
  const b = createBuilder(options, defaults);
  try {
    return b.finish(body(b), name);
  } catch (e) {
    b.abort();
    if (!(e instanceof InputTooSmall)) throw e;
    throw new ConfigError(
      "inputShape",
      `model "${name}" cannot be built for input ${JSON.stringify(b.inputShape)} (${e.message}): ` +
        `use a larger input, e.g. the default ${JSON.stringify(defaults.inputShape)}`,
      { cause: e },
    );
  }
}
