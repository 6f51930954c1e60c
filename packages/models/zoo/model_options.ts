/**
 * Options every zoo factory takes.
 *
 * @module
 */

/** Options of every zoo model factory (`alexnet()`, `convnet()`, ... and `createModel()`). */
export interface ModelOptions {
  /**
   * Input `[height, width, channels]`. Networks that end in a flatten (AlexNet, VGG-16, LeNet-5,
   * convnet) change the size of their first dense layer with it.
   * @default the architecture's own, e.g. `[224, 224, 3]`, `[227, 227, 3]` or `[28, 28, 1]`
   */
  inputShape?: readonly number[];
  /** Output classes of the classifier. @default 1000 for ImageNet models, 10 for small ones */
  classes?: number;
  /**
   * `"random"`: He-normal kernels (Glorot-uniform classifier), zero biases, ready to train.
   * `"zeros"`: every kernel zero, much faster to build; for weight-free analysis (shapes,
   * parameters, MACs) or before loading weights.
   * @default "random"
   */
  init?: "random" | "zeros";
  /**
   * Seed of the initialisers (layer `i` uses `seed + i`) and of dropout masks, for reproducible
   * models. Unseeded when omitted.
   */
  seed?: number;
}
