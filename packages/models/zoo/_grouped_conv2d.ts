/**
 * A 2-D convolution with `groups` independent channel groups (Caffe/PyTorch `groups`), built from
 * split, conv and concat because tfjs `Conv2D` has no groups. ONE kernel variable of shape
 * `[kh, kw, cin / groups, filters]` holds every group's kernel concatenated along the output axis:
 * output channel `o` belongs to group `floor(o / (filters / groups))` and sees input channels
 * `g * cin/groups .. (g+1) * cin/groups - 1`. Registered with tfjs serialization on import so
 * saved models load.
 *
 * @module
 */
import * as tf from "@tensorflow/tfjs";

/** A tfjs weight initialiser. */
export type Initializer = ReturnType<typeof tf.initializers.zeros>;

/** Constructor arguments of {@link GroupedConv2D}. */
export interface GroupedConv2DArgs {
  /** Layer name. */
  name?: string;
  /** Output channels (a multiple of `groups`). */
  filters: number;
  /** Kernel height and width. */
  kernelSize: number | [number, number];
  /** Number of channel groups. */
  groups: number;
  /** Strides. @default [1, 1] */
  strides?: number | [number, number];
  /** Padding. @default "valid" */
  padding?: "same" | "valid";
  /** Dilation. @default [1, 1] */
  dilationRate?: number | [number, number];
  /** Add a bias. @default true */
  useBias?: boolean;
  /** Activation applied after the bias. @default "linear" */
  activation?: "relu" | "linear";
  /** Kernel initialiser (not serialised; loading overwrites the weights). */
  kernelInitializer?: Initializer;
  /** Input shape, when this is the first layer. */
  inputShape?: number[];
  /** Whether the weights are trainable. @default true */
  trainable?: boolean;
}

function pair(v: number | number[] | undefined, fallback: number): [number, number] {
  if (v === undefined) return [fallback, fallback];
  if (typeof v === "number") return [v, v];
  return [v[0], v[1]];
}

/** Grouped 2-D convolution layer (channels last). */
export class GroupedConv2D extends tf.layers.Layer {
  /** tfjs serialization class name. */
  static className = "GroupedConv2D";
  /** Output channels. */
  readonly filters: number;
  /** Kernel height and width. */
  readonly kernelSize: [number, number];
  /** Number of channel groups. */
  readonly groups: number;
  /** Strides. */
  readonly strides: [number, number];
  /** Padding mode. */
  readonly padding: "same" | "valid";
  /** Dilation. */
  readonly dilationRate: [number, number];
  /** Whether a bias is added. */
  readonly useBias: boolean;
  /** Activation. */
  readonly activation: "relu" | "linear";
  #kernelInitializer: Initializer;
  #kernel: tf.LayerVariable | null = null;
  #bias: tf.LayerVariable | null = null;

  /** Creates the layer; weights are made on first use. */
  constructor(args: GroupedConv2DArgs) {
    super({ name: args.name, inputShape: args.inputShape, trainable: args.trainable });
    this.filters = args.filters;
    this.kernelSize = pair(args.kernelSize, 1);
    this.groups = args.groups;
    this.strides = pair(args.strides, 1);
    this.padding = args.padding ?? "valid";
    this.dilationRate = pair(args.dilationRate, 1);
    this.useBias = args.useBias ?? true;
    this.activation = args.activation ?? "linear";
    this.#kernelInitializer = args.kernelInitializer ?? tf.initializers.glorotUniform({});
    if (!Number.isInteger(this.groups) || this.groups < 1 || this.filters % this.groups !== 0) {
      throw new RangeError(
        `GroupedConv2D "${this.name}" has filters ${this.filters} and groups ${this.groups}: ` +
          "use a positive groups count that divides filters",
      );
    }
  }

  /** Creates the kernel `[kh, kw, cin / groups, filters]` and the bias. */
  override build(inputShape: tf.Shape | tf.Shape[]): void {
    const shape = (Array.isArray(inputShape[0]) ? inputShape[0] : inputShape) as tf.Shape;
    const cin = shape[shape.length - 1];
    if (cin === null || cin % this.groups !== 0) {
      throw new RangeError(
        `GroupedConv2D "${this.name}" has ${cin} input channels and groups ${this.groups}: ` +
          "use a groups count that divides the input channels",
      );
    }
    this.#kernel = this.addWeight(
      "kernel",
      [this.kernelSize[0], this.kernelSize[1], cin / this.groups, this.filters],
      "float32",
      this.#kernelInitializer,
    );
    if (this.useBias) {
      this.#bias = this.addWeight("bias", [this.filters], "float32", tf.initializers.zeros());
    }
    this.built = true;
  }

  /** Output shape `[batch, oh, ow, filters]`. */
  override computeOutputShape(inputShape: tf.Shape | tf.Shape[]): tf.Shape {
    const shape = (Array.isArray(inputShape[0]) ? inputShape[0] : inputShape) as tf.Shape;
    const out = (size: number | null, axis: 0 | 1): number | null => {
      if (size === null) return null;
      const k = (this.kernelSize[axis] - 1) * this.dilationRate[axis] + 1;
      return this.padding === "same"
        ? Math.ceil(size / this.strides[axis])
        : Math.floor((size - k) / this.strides[axis]) + 1;
    };
    return [shape[0], out(shape[1], 0), out(shape[2], 1), this.filters];
  }

  /** Splits input and kernel into groups, convolves each pair, concatenates the outputs. */
  override call(inputs: tf.Tensor | tf.Tensor[]): tf.Tensor {
    return tf.tidy(() => {
      const x = (Array.isArray(inputs) ? inputs[0] : inputs) as tf.Tensor4D;
      const kernel = this.#kernel!.read() as tf.Tensor4D;
      const xs: tf.Tensor4D[] = this.groups === 1 ? [x] : tf.split(x, this.groups, 3);
      const ks: tf.Tensor4D[] = this.groups === 1 ? [kernel] : tf.split(kernel, this.groups, 3);
      const ys = xs.map((xg, g) =>
        tf.conv2d(xg, ks[g], this.strides, this.padding, "NHWC", this.dilationRate)
      );
      let y: tf.Tensor = ys.length === 1 ? ys[0] : tf.concat(ys, 3);
      if (this.#bias !== null) y = tf.add(y, this.#bias.read());
      return this.activation === "relu" ? tf.relu(y) : y;
    });
  }

  /** Serialisable configuration. */
  override getConfig(): tf.serialization.ConfigDict {
    return {
      ...super.getConfig(),
      filters: this.filters,
      kernelSize: this.kernelSize,
      groups: this.groups,
      strides: this.strides,
      padding: this.padding,
      dilationRate: this.dilationRate,
      useBias: this.useBias,
      activation: this.activation,
    };
  }
}

tf.serialization.registerClass(GroupedConv2D);
