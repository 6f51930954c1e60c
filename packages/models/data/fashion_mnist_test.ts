import assert from "node:assert/strict";
import { DatasetError } from "@sparsegrain/core";
import { encodeIdx } from "./idx.ts";
import {
  FASHION_MNIST_DEFAULT_DIR,
  loadFashionMnist,
  locateFashionMnist,
} from "./fashion_mnist.ts";

const INSTALL =
  "install with `apt-get install -y dataset-fashion-mnist` or point `--data DIR` / `SPARSEGRAIN_DATA` at a folder holding the four IDX files";

async function gzip(bytes: Uint8Array): Promise<Uint8Array> {
  const stream = new Blob([bytes as Uint8Array<ArrayBuffer>]).stream().pipeThrough(
    new CompressionStream("gzip"),
  );
  return new Uint8Array(await new Response(stream).arrayBuffer());
}

/** Writes a small generated dataset in the Fashion-MNIST file layout (a test fixture). */
async function writeFixture(
  dir: string,
  options: {
    train?: number;
    test?: number;
    size?: number;
    labels?: (i: number) => number;
    gz?: boolean;
  } = {},
): Promise<void> {
  const size = options.size ?? 28;
  const label = options.labels ?? ((i: number) => i % 10);
  for (
    const [prefix, n] of [["train", options.train ?? 20], ["t10k", options.test ?? 10]] as const
  ) {
    const images = new Uint8Array(n * size * size).map((_, i) => (i * 31) & 255);
    const labels = new Uint8Array(n).map((_, i) => label(i));
    const write = async (name: string, bytes: Uint8Array) =>
      options.gz === false
        ? await Deno.writeFile(`${dir}/${name}`, bytes)
        : await Deno.writeFile(`${dir}/${name}.gz`, await gzip(bytes));
    await write(`${prefix}-images-idx3-ubyte`, encodeIdx([n, size, size], images));
    await write(`${prefix}-labels-idx1-ubyte`, encodeIdx([n], labels));
  }
}

async function withDir(f: (dir: string) => Promise<void>): Promise<void> {
  const dir = await Deno.makeTempDir();
  try {
    await f(dir);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
}

function datasetError(pattern: RegExp | string) {
  return (e: unknown) => {
    assert.ok(e instanceof DatasetError, String(e));
    if (typeof pattern === "string") assert.ok(e.message.includes(pattern), e.message);
    else assert.match(e.message, pattern);
    return true;
  };
}

Deno.test("loadFashionMnist() reads the four files from dir, gzipped or raw", async () => {
  for (const gz of [true, false]) {
    await withDir(async (dir) => {
      await writeFixture(dir, { gz });
      const { train, test } = await loadFashionMnist({ dir });
      assert.equal(train.count, 20);
      assert.equal(test.count, 10);
      assert.equal(train.images.length, 20 * 784);
      assert.deepEqual([...train.labels.subarray(0, 12)], [0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 0, 1]);
      assert.equal(train.images[1], 31);
      assert.equal(train.channels, 1);
    });
  }
});

Deno.test("locateFashionMnist() prefers dir, then SPARSEGRAIN_DATA, and accepts a parent folder", async () => {
  await withDir(async (dir) => {
    await Deno.mkdir(`${dir}/fashion-mnist`);
    await writeFixture(`${dir}/fashion-mnist`);
    assert.equal(locateFashionMnist(`${dir}/fashion-mnist`), `${dir}/fashion-mnist`);
    assert.equal(locateFashionMnist(dir), `${dir}/fashion-mnist`);
    const before = Deno.env.get("SPARSEGRAIN_DATA");
    try {
      Deno.env.set("SPARSEGRAIN_DATA", dir);
      assert.equal(locateFashionMnist(), `${dir}/fashion-mnist`);
    } finally {
      if (before === undefined) Deno.env.delete("SPARSEGRAIN_DATA");
      else Deno.env.set("SPARSEGRAIN_DATA", before);
    }
  });
});

Deno.test("a missing dataset says exactly how to install it or where to point --data", async () => {
  await withDir(async (dir) => {
    assert.throws(() => locateFashionMnist(dir), (e) => {
      assert.ok(e instanceof DatasetError);
      assert.equal(
        e.message,
        `Cannot read dataset "${dir}/train-images-idx3-ubyte.gz": ${INSTALL}`,
      );
      return true;
    });
    await writeFixture(dir);
    await Deno.remove(`${dir}/t10k-labels-idx1-ubyte.gz`);
    await assert.rejects(
      loadFashionMnist({ dir }),
      datasetError(`t10k-labels-idx1-ubyte.gz": ${INSTALL}`),
    );
  });
});

Deno.test("bad Fashion-MNIST files are rejected with DatasetError naming the file", async (t) => {
  await t.step("wrong image size", () =>
    withDir(async (dir) => {
      await writeFixture(dir, { size: 27 });
      await assert.rejects(
        loadFashionMnist({ dir }),
        datasetError(/train-images.*expected 28x28 images, found 27x27/),
      );
    }));
  await t.step("label out of range", () =>
    withDir(async (dir) => {
      await writeFixture(dir, { labels: (i) => (i === 3 ? 10 : 0) });
      await assert.rejects(
        loadFashionMnist({ dir }),
        datasetError(/labels-idx1-ubyte\.gz": label 10 at index 3/),
      );
    }));
  await t.step("label and image counts differ", () =>
    withDir(async (dir) => {
      await writeFixture(dir);
      await Deno.writeFile(
        `${dir}/train-labels-idx1-ubyte.gz`,
        await gzip(encodeIdx([19], new Uint8Array(19))),
      );
      await assert.rejects(
        loadFashionMnist({ dir }),
        datasetError(/train-labels.*holds 19 labels but the image file holds 20/),
      );
    }));
  await t.step("images and labels swapped", () =>
    withDir(async (dir) => {
      await writeFixture(dir);
      const img = await Deno.readFile(`${dir}/t10k-images-idx3-ubyte.gz`);
      const lab = await Deno.readFile(`${dir}/t10k-labels-idx1-ubyte.gz`);
      await Deno.writeFile(`${dir}/t10k-images-idx3-ubyte.gz`, lab);
      await Deno.writeFile(`${dir}/t10k-labels-idx1-ubyte.gz`, img);
      await assert.rejects(
        loadFashionMnist({ dir }),
        datasetError(/t10k-images.*expected an image file with magic 2051 .*found 2049/),
      );
    }));
  await t.step("truncated image file", () =>
    withDir(async (dir) => {
      await writeFixture(dir, { gz: false });
      const raw = await Deno.readFile(`${dir}/train-images-idx3-ubyte`);
      await Deno.writeFile(`${dir}/train-images-idx3-ubyte`, raw.subarray(0, raw.length - 100));
      await assert.rejects(
        loadFashionMnist({ dir }),
        datasetError(/train-images-idx3-ubyte": truncated IDX file/),
      );
    }));
});

let hasRealData = false;
try {
  locateFashionMnist(FASHION_MNIST_DEFAULT_DIR);
  hasRealData = true;
} catch {
  hasRealData = false;
}

Deno.test({
  name: hasRealData
    ? "loadFashionMnist() reads the installed dataset: 60,000 + 10,000 images, 6,000 per class"
    : `loadFashionMnist() real data: skipped, ${FASHION_MNIST_DEFAULT_DIR} is missing (apt-get install -y dataset-fashion-mnist)`,
  ignore: !hasRealData,
  fn: async () => {
    const { train, test, normalization } = await loadFashionMnist({
      dir: FASHION_MNIST_DEFAULT_DIR,
    });
    assert.equal(train.count, 60000);
    assert.equal(test.count, 10000);
    const counts = new Array(10).fill(0);
    for (const l of train.labels) counts[l]++;
    assert.deepEqual(counts, new Array(10).fill(6000));
    let max = 0;
    for (const v of test.images) max = Math.max(max, v);
    assert.equal(max, 255);
    // The published Fashion-MNIST statistics: mean 0.2860, std 0.3530.
    assert.ok(Math.abs(normalization.mean[0] - 0.286) < 1e-3, `${normalization.mean[0]}`);
    assert.ok(Math.abs(normalization.std[0] - 0.353) < 1e-3, `${normalization.std[0]}`);
  },
});
