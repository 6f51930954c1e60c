import assert from "node:assert/strict";
import { ConfigError } from "@sparsegrain/core";
import { channelStatistics, imageBatches } from "./batches.ts";
import type { ImageSet } from "./image_set.ts";
import { splitImages, subsetImages } from "./split.ts";
import { shuffledIndices } from "./shuffle.ts";

function ramp(count: number, h = 2, w = 3, c = 1): ImageSet {
  const size = h * w * c;
  return {
    name: "ramp",
    images: new Uint8Array(count * size).map((_, i) => Math.floor(i / size)),
    labels: new Uint8Array(count).map((_, i) => i % 4),
    count,
    height: h,
    width: w,
    channels: c,
    classes: 4,
  };
}

Deno.test("imageBatches() covers the set once, in order or seeded-shuffled", () => {
  const set = ramp(10);
  const plain = [...imageBatches(set, { batchSize: 4 })];
  assert.deepEqual(plain.map((b) => b.size), [4, 4, 2]);
  assert.deepEqual([...plain[2].labels], [0, 1]);
  assert.equal(plain[1].images[0], Math.fround(4 / 255));
  const a = [...imageBatches(set, { batchSize: 3, shuffle: true, seed: 5 })];
  const b = [...imageBatches(set, { batchSize: 3, shuffle: true, seed: 5 })];
  const c = [...imageBatches(set, { batchSize: 3, shuffle: true, seed: 6 })];
  const firstPixels = (bs: typeof a) =>
    bs.flatMap((x) => [...Array(x.size).keys()].map((i) => Math.round(x.images[i * 6] * 255)));
  assert.deepEqual(firstPixels(a), firstPixels(b));
  assert.notDeepEqual(firstPixels(a), firstPixels(c));
  assert.deepEqual([...firstPixels(a)].sort((p, q) => p - q), [...Array(10).keys()]);
  assert.deepEqual(
    [...imageBatches(set, { batchSize: 4, dropRemainder: true })].map((x) => x.size),
    [4, 4],
  );
});

Deno.test("imageBatches() normalises per channel with the training statistics", () => {
  const set: ImageSet = {
    name: "rgb",
    images: new Uint8Array([0, 255, 51, 255, 0, 102]),
    labels: new Uint8Array([0, 1]),
    count: 2,
    height: 1,
    width: 1,
    channels: 3,
    classes: 2,
  };
  const stats = channelStatistics(set);
  assert.deepEqual(stats.mean.map((m) => Math.round(m * 1000) / 1000), [0.5, 0.5, 0.3]);
  const [b] = imageBatches(set, { batchSize: 2, normalization: stats });
  const expect = [-1, 1, -1, 1, -1, 1];
  for (let i = 0; i < 6; i++) {
    assert.ok(Math.abs(b.images[i] - expect[i]) < 1e-5, `${i}: ${b.images[i]}`);
  }
  assert.throws(
    () => [...imageBatches(set, { batchSize: 2, normalization: { mean: [0], std: [1] } })],
    ConfigError,
  );
  assert.throws(() => [...imageBatches(set, { batchSize: 0 })], ConfigError);
});

Deno.test("augmentation crops from a zero-padded image and flips, reproducibly", () => {
  const h = 4, w = 4;
  const set: ImageSet = {
    name: "one",
    images: new Uint8Array(h * w).map((_, i) => i + 1),
    labels: new Uint8Array([0]),
    count: 1,
    height: h,
    width: w,
    channels: 1,
    classes: 1,
  };
  const seen = new Set<string>();
  for (let seed = 0; seed < 40; seed++) {
    const [b] = imageBatches(set, { batchSize: 1, seed, augment: { crop: 1, flip: true } });
    const px = [...b.images].map((v) => Math.round(v * 255));
    seen.add(px.join());
    // Every output pixel is either padding (0) or an input pixel; non-zero pixels stay inside a shifted window.
    assert.ok(px.every((v) => v >= 0 && v <= 16));
    assert.ok(px.filter((v) => v > 0).length >= 9);
    const again =
      [...imageBatches(set, { batchSize: 1, seed, augment: { crop: 1, flip: true } })][0];
    assert.deepEqual(b.images, again.images);
  }
  // Unshifted flip reverses each row.
  const flipped = [...set.images].map((_, i) =>
    set.images[Math.floor(i / w) * w + (w - 1 - (i % w))]
  ).join();
  assert.ok(seen.has(flipped), "a pure flip appears among 40 seeds");
  assert.ok(seen.size > 10);
});

Deno.test("splitImages() and subsetImages() are disjoint, complete and seeded", () => {
  const set = ramp(50);
  const { train, validation } = splitImages(set, { validation: 0.2, seed: 1 });
  assert.equal(validation.count, 10);
  assert.equal(train.count, 40);
  const ids = (s: ImageSet) => [...Array(s.count).keys()].map((i) => s.images[i * 6]);
  const all = [...ids(train), ...ids(validation)].sort((a, b) => a - b);
  assert.deepEqual(all, [...Array(50).keys()]);
  assert.deepEqual(ids(splitImages(set, { validation: 10, seed: 1 }).validation), ids(validation));
  assert.equal(subsetImages(set, 7, 3).count, 7);
  assert.equal(subsetImages(set, 100), set);
  assert.throws(() => splitImages(set, { validation: 51 }), ConfigError);
  assert.deepEqual([...shuffledIndices(6, 9)].sort(), [0, 1, 2, 3, 4, 5]);
});
