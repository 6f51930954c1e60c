/**
 * Optimisers that hold pruning masks: gradients are masked before the update, the weights are
 * masked again after it, and the optimiser state (momentum, Adam moments) is kept at exactly 0
 * where a mask prunes, so neither the update nor stale state can bring a pruned weight back.
 *
 * @module
 */
import * as tf from "@tensorflow/tfjs";
import { ConfigError } from "@sparsegrain/core";
import type { Tensor, Variable } from "./tensor_types.ts";

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

/** One trainable tensor and, when it is pruned, its 0/1 mask (same shape). */
export interface Parameter {
  /** The variable updated in place (by assignment). */
  readonly variable: Variable;
  /** Float 0/1 mask; absent for dense (unpruned) parameters. */
  readonly mask?: Tensor;
}

/** An optimiser instance with state per variable. */
export interface MaskedOptimizer {
  /** The spec it was built from, defaults filled in. */
  readonly spec: Required<SgdSpec> | Required<AdamSpec>;
  /** Steps taken. */
  readonly iterations: number;
  /**
   * One update: `params[i].variable -= lr * update(grads[i])`, masked. Disposes nothing it did
   * not create; the caller disposes `grads`.
   */
  step(params: readonly Parameter[], grads: readonly Tensor[], learningRate: number): void;
  /** The state tensors of a variable (for tests and checkpoints): momentum, or Adam's m and v. */
  state(variable: Variable): readonly Tensor[];
  /** Frees the state. */
  dispose(): void;
}

function check(field: string, v: number, lo: number, hi: number, hint: string): number {
  if (!(v >= lo && v < hi)) {
    throw new ConfigError(field, `expected a number in [${lo}, ${hi}), found ${v}: use ${hint}`);
  }
  return v;
}

/**
 * `x * mask` with pruned entries at +0 bit-for-bit: a negative weight times 0 is -0, and
 * -0 + 0 is +0 in IEEE arithmetic.
 */
function maskExact(x: tf.Tensor, mask: tf.Tensor): tf.Tensor {
  return tf.add(tf.mul(x, mask), 0);
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
 * import * as tf from "@tensorflow/tfjs";
 * import { createOptimizer } from "@sparsegrain/models";
 * const w = tf.variable(tf.tensor1d([1, 2, 3]));
 * const mask = tf.tensor1d([1, 0, 1]);
 * const opt = createOptimizer({ name: "sgd", momentum: 0.9 });
 * const g = tf.tensor1d([0.5, 0.5, 0.5]);
 * opt.step([{ variable: w, mask }], [g], 0.1);
 * console.assert(w.dataSync()[1] === 0);
 * tf.dispose([w, mask, g]);
 * opt.dispose();
 * ```
 */
export function createOptimizer(spec: OptimizerSpec): MaskedOptimizer {
  const full = fill(spec);
  const states = new Map<tf.Variable, tf.Tensor[]>();
  let t = 0;

  function stateOf(v: tf.Variable, count: number): tf.Tensor[] {
    let s = states.get(v);
    if (s === undefined) {
      s = Array.from({ length: count }, () => tf.keep(tf.zerosLike(v)));
      states.set(v, s);
    }
    return s;
  }

  function replace(v: tf.Variable, index: number, value: tf.Tensor): void {
    const s = states.get(v)!;
    const old = s[index];
    s[index] = tf.keep(value);
    old.dispose();
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
      t++;
      tf.tidy(() => {
        const lr = tf.scalar(learningRate);
        for (let i = 0; i < params.length; i++) {
          const { variable: w, mask } = params[i];
          let g = grads[i];
          if (mask !== undefined) g = tf.mul(g, mask);
          if (full.weightDecay > 0) g = tf.add(g, tf.mul(w, full.weightDecay));
          let next: tf.Tensor;
          if (full.name === "sgd") {
            if (full.momentum > 0) {
              const [v] = stateOf(w, 1);
              let nv = tf.add(tf.mul(v, full.momentum), g);
              if (mask !== undefined) nv = maskExact(nv, mask);
              replace(w, 0, nv);
              const update = full.nesterov ? tf.add(g, tf.mul(nv, full.momentum)) : nv;
              next = tf.sub(w, tf.mul(update, lr));
            } else {
              next = tf.sub(w, tf.mul(g, lr));
            }
          } else {
            const [m, v] = stateOf(w, 2);
            let nm = tf.add(tf.mul(m, full.beta1), tf.mul(g, 1 - full.beta1));
            let nv = tf.add(tf.mul(v, full.beta2), tf.mul(tf.square(g), 1 - full.beta2));
            if (mask !== undefined) {
              nm = maskExact(nm, mask);
              nv = maskExact(nv, mask);
            }
            replace(w, 0, nm);
            replace(w, 1, nv);
            const c1 = 1 - full.beta1 ** t;
            const c2 = 1 - full.beta2 ** t;
            const stepSize = tf.mul(lr, Math.sqrt(c2) / c1);
            next = tf.sub(w, tf.div(tf.mul(nm, stepSize), tf.add(tf.sqrt(nv), full.epsilon)));
          }
          if (mask !== undefined) next = maskExact(next, mask);
          w.assign(next);
        }
      });
    },
    state(variable) {
      return states.get(variable) ?? [];
    },
    dispose() {
      for (const s of states.values()) tf.dispose(s);
      states.clear();
    },
  };
}
