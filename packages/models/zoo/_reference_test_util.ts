/**
 * Test helper: checks a zoo model against PAPER.md's reference parameters and MACs, with the
 * model really built (zero-initialised kernels) and disposed.
 *
 * @module
 */
import assert from "node:assert/strict";
import * as tf from "@tensorflow/tfjs";
import type { LayersModel } from "../layers.ts";
import { type ModelSummary, summarizeModel } from "../summary.ts";

/**
 * Builds `create()`, checks exact parameters (PyTorch's count, also recomputed from the model's
 * variables here) and MACs within 0.5 %, disposes the model, asserts no tensor leaked, and
 * returns the summary for further checks.
 */
export function checkReference(
  create: () => LayersModel,
  params: number,
  macs: number,
): ModelSummary {
  const before = tf.memory().numTensors;
  const model = create();
  let summary: ModelSummary;
  try {
    summary = summarizeModel(model);
    // Independent recount straight from the tfjs variables: trainable weights only.
    const trainable = model.trainableWeights.reduce((n, w) => n + w.read().size, 0);
    assert.equal(trainable, params, "trainable weights in the built model");
  } finally {
    model.dispose();
  }
  assert.equal(summary.params, params);
  const error = Math.abs(summary.macs - macs) / macs;
  assert.ok(error < 0.005, `MACs ${summary.macs} are ${(error * 100).toFixed(2)}% off ${macs}`);
  assert.equal(tf.memory().numTensors, before, "tensors leaked");
  return summary;
}

/** Share of a summary's prunable weights held by layers passing `pick`, in percent. */
export function weightShare(
  summary: ModelSummary,
  pick: (layer: ModelSummary["layers"][number]) => boolean,
  field: "params" | "macs" = "params",
): number {
  const total = field === "params" ? summary.weights : summary.macs;
  let part = 0;
  for (const l of summary.layers) if (pick(l)) part += l[field];
  return (100 * part) / total;
}
