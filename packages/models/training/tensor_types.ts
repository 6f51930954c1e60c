/**
 * Names for the tfjs tensor types that appear in the training API, so that its documentation
 * can refer to them.
 *
 * @module
 */
import type * as tf from "@tensorflow/tfjs";

/** A tfjs tensor (`tf.Tensor` from `@tensorflow/tfjs`). */
export type Tensor = tf.Tensor;

/** A tfjs variable (`tf.Variable` from `@tensorflow/tfjs`), updated by assignment. */
export type Variable = tf.Variable;
