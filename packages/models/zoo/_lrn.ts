/**
 * Caffe's across-channel local response normalisation (AlexNet `norm1`/`norm2`, GoogLeNet
 * `pool1/norm1`, `conv2/norm2`): `x / (k + alpha / n * sum(x^2 over n channels))^beta`.
 * Registered with tfjs serialization on import so saved models load.
 *
 * @module
 */
import * as tf from "@tensorflow/tfjs";

/** Constructor arguments of {@link LocalResponseNorm}. */
export interface LocalResponseNormArgs {
  /** Layer name. */
  name?: string;
  /** Channels in the window (Caffe `local_size`, odd). @default 5 */
  size?: number;
  /** Caffe `alpha` (divided by `size` as Caffe does). @default 1e-4 */
  alpha?: number;
  /** Exponent. @default 0.75 */
  beta?: number;
  /** Additive constant. @default 1 */
  k?: number;
}

/** Across-channel LRN layer with Caffe's parameterisation; no weights. */
export class LocalResponseNorm extends tf.layers.Layer {
  /** tfjs serialization class name. */
  static className = "LocalResponseNorm";
  /** Window size in channels. */
  readonly size: number;
  /** Caffe alpha. */
  readonly alpha: number;
  /** Exponent. */
  readonly beta: number;
  /** Additive constant. */
  readonly k: number;

  /** Creates the layer. */
  constructor(args: LocalResponseNormArgs = {}) {
    super({ name: args.name });
    this.size = args.size ?? 5;
    this.alpha = args.alpha ?? 1e-4;
    this.beta = args.beta ?? 0.75;
    this.k = args.k ?? 1;
  }

  /** The output shape equals the input shape. */
  override computeOutputShape(inputShape: tf.Shape | tf.Shape[]): tf.Shape {
    return (Array.isArray(inputShape[0]) ? inputShape[0] : inputShape) as tf.Shape;
  }

  /** Applies `tf.localResponseNormalization` with Caffe's constants. */
  override call(inputs: tf.Tensor | tf.Tensor[]): tf.Tensor {
    const x = (Array.isArray(inputs) ? inputs[0] : inputs) as tf.Tensor4D;
    return tf.localResponseNormalization(
      x,
      (this.size - 1) / 2,
      this.k,
      this.alpha / this.size,
      this.beta,
    );
  }

  /** Serialisable configuration. */
  override getConfig(): tf.serialization.ConfigDict {
    return { ...super.getConfig(), size: this.size, alpha: this.alpha, beta: this.beta, k: this.k };
  }
}

tf.serialization.registerClass(LocalResponseNorm);
