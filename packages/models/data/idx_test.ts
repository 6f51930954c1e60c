import assert from "node:assert/strict";
import { DatasetError } from "@sparsegrain/core";
import { decodeIdx, encodeIdx, readIdx } from "./idx.ts";

async function gzip(bytes: Uint8Array): Promise<Uint8Array> {
  const stream = new Blob([bytes as Uint8Array<ArrayBuffer>]).stream().pipeThrough(
    new CompressionStream("gzip"),
  );
  return new Uint8Array(await new Response(stream).arrayBuffer());
}

Deno.test("encodeIdx() and readIdx() round-trip every IDX type, raw and gzipped", async (t) => {
  const dir = await Deno.makeTempDir();
  const cases = [
    new Uint8Array([0, 1, 127, 255, 3, 9]),
    new Int8Array([-128, -1, 0, 1, 5, 127]),
    new Int16Array([-32768, -2, 0, 7, 300, 32767]),
    new Int32Array([-2147483648, -5, 0, 1, 65536, 2147483647]),
    new Float32Array([-1.5, 0, 3.25, 1e-30, -7e20, 0.1]),
    new Float64Array([-1.5, 0, Math.PI, 1e-300, -7e200, 0.1]),
  ];
  try {
    for (const data of cases) {
      await t.step(data.constructor.name, async () => {
        const bytes = encodeIdx([2, 3], data);
        for (
          const [name, content] of [["raw.idx", bytes], ["packed.gz", await gzip(bytes)]] as const
        ) {
          await Deno.writeFile(`${dir}/${name}`, content);
          const back = await readIdx(`${dir}/${name}`);
          assert.deepEqual(back.dims, [2, 3]);
          assert.equal(back.data.constructor, data.constructor);
          assert.deepEqual([...back.data], [...data]);
        }
      });
    }
    await t.step("a generated Fashion-MNIST-like image file", async () => {
      const pixels = new Uint8Array(5 * 28 * 28).map((_, i) => (i * 7) & 255);
      await Deno.writeFile(`${dir}/img.gz`, await gzip(encodeIdx([5, 28, 28], pixels)));
      const back = await readIdx(`${dir}/img.gz`);
      assert.equal(back.magic, 2051);
      assert.deepEqual(back.data, pixels);
    });
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("decodeIdx() rejects bad magic, truncated and oversized data with DatasetError", () => {
  const good = encodeIdx([4, 2], new Uint8Array(8));
  const bad = (bytes: Uint8Array, pattern: RegExp) =>
    assert.throws(() => decodeIdx(bytes, "f.idx"), (e) => {
      assert.ok(e instanceof DatasetError, String(e));
      assert.match(e.message, /^Cannot read dataset "f\.idx": /);
      assert.match(e.message, pattern);
      return true;
    });
  bad(good.subarray(0, 2), /too short/);
  bad(good.subarray(0, 10), /truncated IDX header/);
  bad(good.subarray(0, good.length - 1), /truncated IDX file/);
  bad(new Uint8Array([...good, 0]), /oversized IDX file/);
  const wrongType = good.slice();
  wrongType[2] = 0x0a;
  bad(wrongType, /bad IDX magic 0x00000a02/);
  const nonzero = good.slice();
  nonzero[0] = 1;
  bad(nonzero, /bad IDX magic/);
});

Deno.test("readIdx() names the file when it is missing or its gzip stream is corrupted", async () => {
  const dir = await Deno.makeTempDir();
  try {
    await assert.rejects(readIdx(`${dir}/none.gz`), (e) => {
      assert.ok(e instanceof DatasetError);
      assert.ok(e.message.includes(`${dir}/none.gz`));
      return true;
    });
    const packed = await gzip(encodeIdx([100], new Uint8Array(100).fill(3)));
    await Deno.writeFile(`${dir}/cut.gz`, packed.subarray(0, packed.length - 12));
    await assert.rejects(readIdx(`${dir}/cut.gz`), (e) => {
      assert.ok(e instanceof DatasetError);
      assert.match(e.message, /cut\.gz.*(gzip|truncated)/);
      return true;
    });
    const garbled = packed.slice();
    for (let i = 12; i < garbled.length - 8; i++) garbled[i] ^= 0x5a;
    await Deno.writeFile(`${dir}/bad.gz`, garbled);
    await assert.rejects(readIdx(`${dir}/bad.gz`), DatasetError);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});
