/**
 * Optimisers that hold pruning masks: where a mask prunes, the gradient is ignored, the weight is
 * set to exactly +0 and the optimiser state (momentum, Adam moments) to 0, so neither the update
 * nor stale state can bring a pruned weight back. The update runs as one typed-array pass per
 * variable (one copy of weights and gradient out of the backend, one copy back), which on the
 * wasm backend is much cheaper than the dozens of small kernels an op-by-op update launches.
 *
 * @module
 */
import * as tf from "@tensorflow/tfjs";
import { ConfigError } from "@sparsegrain/core";
import type { Tensor, Variable } from "./tensor_types.ts";
import type { Mask } from "@sparsegrain/core";

/** SGD with (optionally Nesterov) momentum. */
export interface SgdSpec {
  /** Optimiser name. */
  readonly name: "sgd";
  /** Momentum coefficient. @default 0.9 */
  readonly momentum?: number;
  /** Nesterov momentum. @default false */
  readonly nesterov?: boolean;
  /** L2 penalty added to the gradient (`g + weightDecay * w`). @default 0 */
  readonly weightDecay?: number;
}

/** Adam (Kingma & Ba 2015) with bias correction. */
export interface AdamSpec {
  /** Optimiser name. */
  readonly name: "adam";
  /** Decay of the first-moment estimate. @default 0.9 */
  readonly beta1?: number;
  /** Decay of the second-moment estimate. @default 0.999 */
  readonly beta2?: number;
  /** Added to the root of the second moment. @default 1e-7 (as tfjs) */
  readonly epsilon?: number;
  /** L2 penalty added to the gradient. @default 0 */
  readonly weightDecay?: number;
}

/** Which optimiser, with its hyper-parameters. */
export type OptimizerSpec = SgdSpec | AdamSpec;

/** One trainable tensor and, when it is pruned, its keep mask (same number of elements). */
export interface Parameter {
  /** The variable updated (by assignment). */
  readonly variable: Variable;
  /** Keep mask over the variable's elements (1 keeps, 0 prunes); absent when not pruned. */
  readonly mask?: Mask;
}

/** An optimiser instance with state per variable. */
export interface MaskedOptimizer {
  /** The spec it was built from, defaults filled in. */
  readonly spec: Required<SgdSpec> | Required<AdamSpec>;
  /** Steps taken. */
  readonly iterations: number;
  /**
   * One update of every parameter from its gradient, masked. The caller disposes `grads`.
   */
  step(params: readonly Parameter[], grads: readonly Tensor[], learningRate: number): void;
  /** The state of a variable (for tests and checkpoints): momentum, or Adam's m and v. */
  state(variable: Variable): readonly Float32Array[];
  /** Forgets all state. */
  dispose(): void;
}

function check(field: string, v: number, lo: number, hi: number, hint: string): number {
  if (!(v >= lo && v < hi)) {
    throw new ConfigError(field, `expected a number in [${lo}, ${hi}), found ${v}: use ${hint}`);
  }
  return v;
}

function fill(spec: OptimizerSpec): Required<SgdSpec> | Required<AdamSpec> {
  if (spec.name === "sgd") {
    return {
      name: "sgd",
      momentum: check("optimizer.momentum", spec.momentum ?? 0.9, 0, 1, "e.g. 0.9"),
      nesterov: spec.nesterov ?? false,
      weightDecay: check("optimizer.weightDecay", spec.weightDecay ?? 0, 0, 1, "e.g. 5e-4"),
    };
  }
  if (spec.name === "adam") {
    return {
      name: "adam",
      beta1: check("optimizer.beta1", spec.beta1 ?? 0.9, 0, 1, "e.g. 0.9"),
      beta2: check("optimizer.beta2", spec.beta2 ?? 0.999, 0, 1, "e.g. 0.999"),
      epsilon: check("optimizer.epsilon", spec.epsilon ?? 1e-7, 0, 1, "e.g. 1e-7"),
      weightDecay: check("optimizer.weightDecay", spec.weightDecay ?? 0, 0, 1, "e.g. 5e-4"),
    };
  }
  throw new ConfigError(
    "optimizer.name",
    `unknown optimizer "${(spec as { name: string }).name}": use "sgd" or "adam"`,
  );
}

/**
 * Creates a mask-holding optimiser. After every {@link MaskedOptimizer.step} each pruned weight
 * is exactly 0 (it is multiplied by its 0/1 mask), and so is its optimiser state.
 *
 * @param spec `{ name: "sgd", momentum, nesterov, weightDecay }` or
 * `{ name: "adam", beta1, beta2, epsilon, weightDecay }`
 * @returns the optimiser
 * @throws {ConfigError} for an unknown name or an out-of-range hyper-parameter
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import * as tf from "@tensorflow/tfjs";
 * import { createOptimizer } from "@sparsegrain/models";
 * const w = tf.variable(tf.tensor1d([1, 2, 3]));
 * const opt = createOptimizer({ name: "sgd", momentum: 0.9 });
 * const g = tf.tensor1d([0.5, 0.5, 0.5]);
 * opt.step([{ variable: w, mask: new Uint8Array([1, 0, 1]) }], [g], 0.1);
 * assert(w.dataSync()[1] === 0);
 * tf.dispose([w, g]);
 * opt.dispose();
 * ```
 */
export function createOptimizer(spec: OptimizerSpec): MaskedOptimizer {
  const full = fill(spec);
  const states = new Map<Variable, Float32Array[]>();
  let t = 0;

  function stateOf(v: Variable, count: number): Float32Array[] {
    let s = states.get(v);
    if (s === undefined) {
      s = Array.from({ length: count }, () => new Float32Array(v.size));
      states.set(v, s);
    }
    return s;
  }

  return {
    spec: full,
    get iterations() {
      return t;
    },
    step(params, grads, learningRate) {
      if (params.length !== grads.length) {
        throw new RangeError(
          `Got ${grads.length} gradients for ${params.length} parameters: pass one each`,
        );
      }
      if (!(learningRate >= 0 && Number.isFinite(learningRate))) {
        throw new ConfigError(
          "learningRate",
          `expected a finite number >= 0, found ${learningRate}: use e.g. 0.01`,
        );
      }
      for (let p = 0; p < params.length; p++) {
        const { variable, mask } = params[p];
        if (mask !== undefined && mask.length !== variable.size) {
          throw new RangeError(
            `Mask of ${mask.length} entries for variable "${variable.name}" of ${variable.size}: pass a mask over its elements`,
          );
        }
        if (grads[p].size !== variable.size) {
          throw new RangeError(
            `Gradient of ${
              grads[p].size
            } entries for variable "${variable.name}" of ${variable.size}`,
          );
        }
      }
      t++;
      const lr = learningRate;
      const wd = full.weightDecay;
      for (let p = 0; p < params.length; p++) {
        const { variable, mask } = params[p];
        // One copy out of the backend for the weights and the gradient, one copy back in.
        const w = variable.dataSync() as Float32Array;
        const g = grads[p].dataSync() as Float32Array;
        const n = w.length;
        if (full.name === "sgd") {
          const mu = full.momentum;
          const [v] = full.momentum > 0 ? stateOf(variable, 1) : [undefined];
          for (let i = 0; i < n; i++) {
            if (mask !== undefined && mask[i] === 0) {
              w[i] = 0;
              if (v !== undefined) v[i] = 0;
              continue;
            }
            const gi = g[i] + wd * w[i];
            if (v === undefined) {
              w[i] -= lr * gi;
            } else {
              const vi = mu * v[i] + gi;
              v[i] = vi;
              w[i] -= lr * (full.nesterov ? gi + mu * vi : vi);
            }
          }
        } else {
          const { beta1, beta2, epsilon } = full;
          const [m, v] = stateOf(variable, 2);
          const stepSize = lr * Math.sqrt(1 - beta2 ** t) / (1 - beta1 ** t);
          for (let i = 0; i < n; i++) {
            if (mask !== undefined && mask[i] === 0) {
              w[i] = 0;
              m[i] = 0;
              v[i] = 0;
              continue;
            }
            const gi = g[i] + wd * w[i];
            const mi = beta1 * m[i] + (1 - beta1) * gi;
            const vi = beta2 * v[i] + (1 - beta2) * gi * gi;
            m[i] = mi;
            v[i] = vi;
            w[i] -= stepSize * mi / (Math.sqrt(vi) + epsilon);
          }
        }
        tf.tidy(() => {
          variable.assign(tf.tensor(w, variable.shape, "float32"));
        });
      }
    },
    state(variable) {
      return states.get(variable) ?? [];
    },
    dispose() {
      states.clear();
    },
  };
}
