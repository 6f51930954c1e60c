/**
 * Test helpers for persistence: temporary folders and exact weight comparison.
 *
 * @module
 */
import assert from "node:assert/strict";
import type { LayersModel } from "../layers.ts";

/** Runs `body` with a fresh temporary folder, removed afterwards. */
export async function withTempDir(body: (dir: string) => Promise<void>): Promise<void> {
  const dir = await Deno.makeTempDir({ prefix: "sparsegrain-persistence-" });
  try {
    await body(dir);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
}

/** Asserts two models hold bit-identical weights under the same names. */
export function assertSameWeights(a: LayersModel, b: LayersModel): void {
  const names = (m: LayersModel) => m.weights.map((w) => w.originalName);
  assert.deepEqual(names(b), names(a));
  a.weights.forEach((w, i) => {
    const x = new Uint8Array((w.read().dataSync() as Float32Array).slice().buffer);
    const y = new Uint8Array((b.weights[i].read().dataSync() as Float32Array).slice().buffer);
    assert.deepEqual(y, x, `weight ${w.originalName} differs`);
  });
}

/** File names in `dir`, sorted. */
export async function listDir(dir: string): Promise<string[]> {
  const out: string[] = [];
  for await (const e of Deno.readDir(dir)) out.push(e.name);
  return out.sort();
}
