import assert from "node:assert/strict";
import { DatasetError } from "@sparsegrain/core";
import { decodeCifar10Batch, loadCifar10 } from "./cifar10.ts";

function record(label: number, seed: number): Uint8Array {
  const r = new Uint8Array(3073);
  r[0] = label;
  for (let i = 1; i < 3073; i++) r[i] = (i * seed) & 255;
  return r;
}

function batch(n: number, first: number): Uint8Array {
  const out = new Uint8Array(n * 3073);
  for (let i = 0; i < n; i++) out.set(record((first + i) % 10, first + i + 1), i * 3073);
  return out;
}

async function writeFixture(dir: string, perFile = 3): Promise<void> {
  for (let b = 1; b <= 5; b++) {
    await Deno.writeFile(`${dir}/data_batch_${b}.bin`, batch(perFile, b * 10));
  }
  await Deno.writeFile(`${dir}/test_batch.bin`, batch(perFile, 90));
}

Deno.test("decodeCifar10Batch() converts planar RGB records to NHWC", () => {
  const r = record(4, 3);
  const { images, labels, count } = decodeCifar10Batch(r);
  assert.equal(count, 1);
  assert.equal(labels[0], 4);
  for (const p of [0, 1, 517, 1023]) {
    assert.equal(images[3 * p], r[1 + p]);
    assert.equal(images[3 * p + 1], r[1025 + p]);
    assert.equal(images[3 * p + 2], r[2049 + p]);
  }
});

Deno.test("loadCifar10() reads five training batches and the test batch", async () => {
  const dir = await Deno.makeTempDir();
  try {
    await Deno.mkdir(`${dir}/cifar-10-batches-bin`);
    await writeFixture(`${dir}/cifar-10-batches-bin`);
    const { train, test } = await loadCifar10({ dir });
    assert.equal(train.count, 15);
    assert.equal(test.count, 3);
    assert.deepEqual([train.height, train.width, train.channels], [32, 32, 3]);
    assert.equal(train.labels[3], 20 % 10);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("bad CIFAR-10 files are rejected with DatasetError naming the file", async () => {
  const dir = await Deno.makeTempDir();
  try {
    await assert.rejects(loadCifar10({ dir }), (e) => {
      assert.ok(e instanceof DatasetError);
      assert.ok(
        e.message.includes(`${dir}/data_batch_1.bin`) &&
          e.message.includes("cifar-10-binary.tar.gz"),
      );
      return true;
    });
    await writeFixture(dir);
    const full = batch(3, 30);
    await Deno.writeFile(`${dir}/data_batch_3.bin`, full.subarray(0, full.length - 5));
    await assert.rejects(loadCifar10({ dir }), (e) => {
      assert.ok(e instanceof DatasetError);
      assert.match(
        e.message,
        /data_batch_3\.bin": expected a whole number of 3073-byte records, found 9214 bytes/,
      );
      return true;
    });
    full[3073] = 12;
    await Deno.writeFile(`${dir}/data_batch_3.bin`, full);
    await assert.rejects(loadCifar10({ dir }), (e) => {
      assert.ok(e instanceof DatasetError);
      assert.match(e.message, /data_batch_3\.bin": label 12 of record 1 is outside 0\.\.9/);
      return true;
    });
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});
