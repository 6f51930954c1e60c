/**
 * The default training budget for baselines on Fashion-MNIST-sized data.
 *
 * @module
 */
import type { TrainOptions } from "./train.ts";

/**
 * The default baseline training budget: Adam at 2e-3 with a cosine decay to 0 over 10 epochs,
 * batch 64, random horizontal flips, seed 0 (normalise with the training set's statistics). On
 * full Fashion-MNIST it takes the zoo's `convnet` past 91 % test top-1; docs/benchmarks.md
 * records the accuracy and time it reached.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { DEFAULT_TRAINING } from "@sparsegrain/models";
 * assert(DEFAULT_TRAINING.epochs === 10);
 * ```
 */
export const DEFAULT_TRAINING: Readonly<
  Required<
    Pick<
      TrainOptions,
      "epochs" | "batchSize" | "optimizer" | "learningRate" | "schedule" | "augment" | "seed"
    >
  >
> = Object.freeze(
  {
    epochs: 10,
    batchSize: 64,
    optimizer: { name: "adam" },
    learningRate: 2e-3,
    schedule: { name: "cosine" },
    augment: { flip: true },
    seed: 0,
  } as const,
);
