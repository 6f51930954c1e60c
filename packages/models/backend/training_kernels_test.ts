import assert from "node:assert/strict";
import * as tf from "@tensorflow/tfjs";
import "@tensorflow/tfjs-backend-cpu";
import { setupWasmBackend } from "./setup_wasm_backend.ts";
import { WASM_TRAINING_KERNELS } from "./training_kernels.ts";

type Pad = "same" | "valid";
type Shape = number[];

/** Seeded uniform generator (mulberry32). */
function rng(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (s + 0x6d2b79f5) >>> 0;
    let t = s;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function randomArray(n: number, next: () => number): Float32Array {
  const a = new Float32Array(n);
  for (let i = 0; i < n; i++) a[i] = next() * 2 - 1;
  return a;
}

function size(shape: Shape): number {
  return shape.reduce((p, v) => p * v, 1);
}

/** max |a - b| relative to max |b|. */
function relErr(a: Float32Array, b: Float32Array): number {
  assert.equal(a.length, b.length);
  let diff = 0;
  let scale = 0;
  for (let i = 0; i < a.length; i++) {
    diff = Math.max(diff, Math.abs(a[i] - b[i]));
    scale = Math.max(scale, Math.abs(b[i]));
  }
  return diff / Math.max(scale, 1e-12);
}

/** Runs a kernel on one backend with fresh tensors made from `inputs`; returns its values. */
async function runOn(
  backend: "wasm" | "cpu",
  kernel: string,
  inputs: Record<string, [Float32Array, Shape]>,
  attrs: Record<string, unknown>,
): Promise<{ values: Float32Array; shape: Shape }> {
  await tf.setBackend(backend);
  const ts: Record<string, tf.Tensor> = {};
  for (const [k, [v, s]] of Object.entries(inputs)) ts[k] = tf.tensor(v, s);
  const out = tf.engine().runKernel(kernel, ts, attrs as tf.NamedAttrMap) as tf.Tensor;
  const values = out.dataSync() as Float32Array;
  const shape = out.shape;
  out.dispose();
  for (const t of Object.values(ts)) t.dispose();
  return { values: values.slice(), shape };
}

const TOL = 1e-4;

/** Asserts that `mine` is within {@link TOL} of `ref`, relative to the largest `ref` value. */
function assertClose(mine: Float32Array, ref: Float32Array, what = ""): void {
  const err = relErr(mine, ref);
  assert.ok(err <= TOL, `${what}relative error ${err}`);
}

/** Runs `kernel` on wasm and on cpu with the same inputs; asserts equal shapes, close values. */
async function assertMatchesCpu(
  kernel: string,
  inputs: Record<string, [Float32Array, Shape]>,
  attrs: Record<string, unknown>,
): Promise<void> {
  const mine = await runOn("wasm", kernel, inputs, attrs);
  const ref = await runOn("cpu", kernel, inputs, attrs);
  assert.deepEqual(mine.shape, ref.shape);
  assertClose(mine.values, ref.values);
}

/** A test that sets up the wasm training kernels first and leaves the wasm backend active. */
function wasmTest(name: string, fn: (t: Deno.TestContext) => Promise<void>): void {
  Deno.test(name, async (t) => {
    await setupWasmBackend();
    await fn(t);
    await tf.setBackend("wasm");
  });
}

/** Inserts `d - 1` zeros between filter taps: the dilated filter as a dense one. */
function upsampleFilter(
  w: Float32Array,
  shape: Shape,
  dh: number,
  dw: number,
): [Float32Array, Shape] {
  const [kh, kw, a, b] = shape;
  const eh = (kh - 1) * dh + 1;
  const ew = (kw - 1) * dw + 1;
  const out = new Float32Array(eh * ew * a * b);
  for (let i = 0; i < kh; i++) {
    for (let j = 0; j < kw; j++) {
      out.set(
        w.subarray((i * kw + j) * a * b, (i * kw + j + 1) * a * b),
        (i * dh * ew + j * dw) * a * b,
      );
    }
  }
  return [out, [eh, ew, a, b]];
}

function subsampleFilter(
  w: Float32Array,
  shape: Shape,
  kh: number,
  kw: number,
  dh: number,
  dw: number,
) {
  const [, ew, a, b] = shape;
  const out = new Float32Array(kh * kw * a * b);
  for (let i = 0; i < kh; i++) {
    for (let j = 0; j < kw; j++) {
      const src = (i * dh * ew + j * dw) * a * b;
      out.set(w.subarray(src, src + a * b), (i * kw + j) * a * b);
    }
  }
  return out;
}

interface ConvCase {
  batch: number;
  h: number;
  w: number;
  kh: number;
  kw: number;
  cin: number;
  cout: number;
  stride: [number, number];
  dilation: [number, number];
  pad: Pad;
}

function convCases(seed: number, count: number, depthwise: boolean): ConvCase[] {
  const next = rng(seed);
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(next() * xs.length)];
  const cases: ConvCase[] = [];
  for (let i = 0; i < count; i++) {
    const c: ConvCase = {
      batch: i === 0 ? 1 : pick([2, 3, 4]),
      h: pick([5, 6, 7, 9, 12]),
      w: pick([4, 6, 8, 11]),
      kh: pick([1, 2, 3, 5]),
      kw: pick([1, 2, 3, 4]),
      cin: pick([1, 2, 3, 5]),
      cout: depthwise ? pick([1, 2, 3]) : pick([1, 3, 4, 7]),
      stride: [pick([1, 2]), pick([1, 2])],
      dilation: i % 4 === 3 ? [pick([1, 2]), 2] : [1, 1],
      pad: i % 2 === 0 ? "same" : "valid",
    };
    // Keep the dilated filter inside a valid-padded input.
    if (c.pad === "valid") {
      c.h = Math.max(c.h, (c.kh - 1) * c.dilation[0] + 1);
      c.w = Math.max(c.w, (c.kw - 1) * c.dilation[1] + 1);
    }
    cases.push(c);
  }
  // Fixed corners: stride 2 same/valid with non-square shapes, and the small CNN's layers.
  cases.push(corner({ h: 10, w: 7, kh: 3, kw: 2, cin: 3, cout: 4, stride: [2, 2], pad: "valid" }));
  cases.push(corner({ h: 9, w: 10, kh: 3, kw: 3, cin: 2, cout: 3, stride: [2, 1], pad: "same" }));
  // Few-tap filters (the SIMD filter-gradient path): first layers, stride, dilation, same/valid.
  if (!depthwise) {
    cases.push(corner({ batch: 3, h: 28, w: 28, kh: 3, kw: 3, cin: 1, cout: 32, pad: "valid" }));
    cases.push(corner({ h: 12, w: 10, kh: 5, kw: 5, cin: 1, cout: 8, pad: "same" }));
    cases.push(
      corner({ h: 11, w: 9, kh: 3, kw: 2, cin: 2, cout: 4, stride: [2, 1], dilation: [1, 2] }),
    );
    cases.push(corner({ h: 9, w: 8, kh: 2, kw: 3, cin: 3, cout: 12, stride: [2, 2], pad: "same" }));
  }
  const cout = depthwise ? 2 : 6;
  cases.push(corner({ batch: 3, h: 13, w: 13, kh: 3, kw: 3, cin: 4, cout, pad: "valid" }));
  return cases;
}

/** A fixed case: batch 2, stride 1, no dilation and valid padding unless `c` says otherwise. */
function corner(
  c: Omit<ConvCase, "batch" | "stride" | "dilation" | "pad"> & Partial<ConvCase>,
): ConvCase {
  return { batch: 2, stride: [1, 1], dilation: [1, 1], pad: "valid", ...c };
}

function label(c: ConvCase): string {
  return `b${c.batch} ${c.h}x${c.w}x${c.cin} k${c.kh}x${c.kw} ->${c.cout} s${c.stride} d${c.dilation} ${c.pad}`;
}

function outShape(c: ConvCase, depthwise: boolean): Shape {
  const info = tf.backend_util.computeConv2DInfo(
    [c.batch, c.h, c.w, c.cin],
    [c.kh, c.kw, c.cin, c.cout],
    c.stride,
    c.dilation,
    c.pad,
    undefined,
    depthwise,
  );
  return info.outShape;
}

Deno.test("setupWasmBackend() registers every training kernel on wasm", async () => {
  await setupWasmBackend();
  assert.equal(tf.getBackend(), "wasm");
  for (const name of WASM_TRAINING_KERNELS) assert.ok(tf.getKernel(name, "wasm"), name);
  await setupWasmBackend(); // idempotent
  assert.equal(tf.getBackend(), "wasm");
});

for (const depthwise of [false, true]) {
  const filterKernel = depthwise ? "DepthwiseConv2dNativeBackpropFilter" : "Conv2DBackpropFilter";
  const inputKernel = depthwise ? "DepthwiseConv2dNativeBackpropInput" : "Conv2DBackpropInput";
  const cases = convCases(depthwise ? 7 : 3, 24, depthwise);

  wasmTest(`${filterKernel} on wasm matches cpu on ${cases.length} random cases`, async (t) => {
    const next = rng(11);
    for (const c of cases) {
      await t.step(label(c), async () => {
        const xShape = [c.batch, c.h, c.w, c.cin];
        const fShape = [c.kh, c.kw, c.cin, c.cout];
        const dyShape = outShape(c, depthwise);
        const x = randomArray(size(xShape), next);
        const dy = randomArray(size(dyShape), next);
        const attrs = { strides: c.stride, pad: c.pad, dilations: c.dilation, dataFormat: "NHWC" };
        const mine = await runOn("wasm", filterKernel, { x: [x, xShape], dy: [dy, dyShape] }, {
          ...attrs,
          filterShape: fShape,
        });
        // cpu ignores dilation in conv backprops: compare against the dense upsampled filter.
        const [, upShape] = upsampleFilter(new Float32Array(size(fShape)), fShape, ...c.dilation);
        const ref = await runOn("cpu", filterKernel, { x: [x, xShape], dy: [dy, dyShape] }, {
          ...attrs,
          dilations: [1, 1],
          filterShape: upShape,
        });
        const refValues = subsampleFilter(ref.values, upShape, c.kh, c.kw, ...c.dilation);
        assert.deepEqual(mine.shape, fShape);
        assertClose(mine.values, refValues);
      });
    }
  });

  wasmTest(`${inputKernel} on wasm matches cpu on ${cases.length} random cases`, async (t) => {
    const next = rng(13);
    for (const c of cases) {
      await t.step(label(c), async () => {
        const xShape = [c.batch, c.h, c.w, c.cin];
        const fShape = [c.kh, c.kw, c.cin, c.cout];
        const dyShape = outShape(c, depthwise);
        const w = randomArray(size(fShape), next);
        const dy = randomArray(size(dyShape), next);
        const attrs = { strides: c.stride, pad: c.pad, dataFormat: "NHWC", inputShape: xShape };
        const mine = await runOn("wasm", inputKernel, { dy: [dy, dyShape], filter: [w, fShape] }, {
          ...attrs,
          dilations: c.dilation,
        });
        const [up, upShape] = upsampleFilter(w, fShape, ...c.dilation);
        const ref = await runOn("cpu", inputKernel, { dy: [dy, dyShape], filter: [up, upShape] }, {
          ...attrs,
          dilations: [1, 1],
        });
        assert.deepEqual(mine.shape, xShape);
        assertClose(mine.values, ref.values);
      });
    }
  });
}

wasmTest("MaxPoolGrad on wasm matches cpu on 25 cases, ties included", async (t) => {
  const next = rng(17);
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(next() * xs.length)];
  const tiled: [Shape, [number, number], Pad][] = [
    [[2, 26, 26, 32], [2, 2], "valid"],
    [[3, 8, 6, 5], [2, 2], "same"],
    [[2, 7, 7, 4], [2, 2], "valid"],
    [[2, 9, 9, 3], [3, 3], "valid"],
    [[2, 6, 9, 2], [2, 3], "valid"],
  ];
  for (let i = 0; i < 20 + tiled.length; i++) {
    const xShape = i < 20
      ? [pick([1, 2, 3]), pick([4, 7, 8, 11]), pick([5, 6, 9]), pick([1, 3, 8])]
      : tiled[i - 20][0];
    const filterSize: [number, number] = i < 20
      ? [pick([1, 2, 3]), pick([2, 3])]
      : tiled[i - 20][1];
    const strides: [number, number] = i < 20 ? [pick([1, 2]), pick([1, 2, 3])] : filterSize;
    const pad: Pad = i < 20 ? (i % 2 === 0 ? "same" : "valid") : tiled[i - 20][2];
    await t.step(`${xShape} f${filterSize} s${strides} ${pad}`, async () => {
      // Quantised values make ties, which must resolve to the same (first) position.
      const x = randomArray(size(xShape), next).map((v) => Math.round(v * 4) / 4);
      const info = tf.backend_util.computePool2DInfo(
        xShape as [number, number, number, number],
        filterSize,
        strides,
        1,
        pad,
      );
      const dy = randomArray(size(info.outShape), next);
      await tf.setBackend("cpu");
      const xc = tf.tensor4d(x, xShape as [number, number, number, number]);
      const y = tf.maxPool(xc, filterSize, strides, pad);
      const yv = y.dataSync().slice() as Float32Array;
      tf.dispose([xc, y]);
      const inputs = {
        dy: [dy, info.outShape],
        input: [x, xShape],
        output: [yv, info.outShape],
      } as Record<
        string,
        [Float32Array, Shape]
      >;
      await assertMatchesCpu("MaxPoolGrad", inputs, { filterSize, strides, pad });
    });
  }
});

wasmTest("MaxPoolGrad on wasm matches cpu with NaN and -Infinity inputs", async () => {
  const shape = [2, 4, 6, 8];
  const next = rng(31);
  const x = randomArray(size(shape), next);
  for (let i = 0; i < x.length; i += 7) x[i] = NaN;
  for (let i = 3; i < x.length; i += 11) x[i] = -Infinity;
  for (let i = 0; i < 8; i++) x[i] = NaN; // a window corner that is NaN in every channel
  const dy = randomArray(2 * 2 * 3 * 8, next);
  const y = new Float32Array(dy.length); // MaxPoolGrad reads only dy and the input
  const inputs = { dy: [dy, [2, 2, 3, 8]], input: [x, shape], output: [y, [2, 2, 3, 8]] } as Record<
    string,
    [Float32Array, Shape]
  >;
  const attrs = { filterSize: [2, 2], strides: [2, 2], pad: "valid" };
  const mine = await runOn("wasm", "MaxPoolGrad", inputs, attrs);
  const ref = await runOn("cpu", "MaxPoolGrad", inputs, attrs);
  assert.deepEqual(mine.values, ref.values);
});

wasmTest("BatchMatMul on wasm matches cpu with transposed operands", async (t) => {
  const next = rng(19);
  const shapes: [Shape, Shape, boolean, boolean][] = [
    [[7, 5], [7, 3], true, false],
    [[5, 7], [3, 7], false, true],
    [[7, 5], [3, 7], true, true],
    [[1, 6, 4], [1, 6, 9], true, false],
    [[2, 6, 4], [2, 9, 4], false, true],
    [[64, 1600], [64, 128], true, false],
    [[64, 128], [1600, 128], false, true],
  ];
  for (const [as, bs, ta, tb] of shapes) {
    await t.step(`${as} x ${bs} tA=${ta} tB=${tb}`, async () => {
      const a = randomArray(size(as), next);
      const b = randomArray(size(bs), next);
      const attrs = { transposeA: ta, transposeB: tb };
      await assertMatchesCpu("BatchMatMul", { a: [a, as], b: [b, bs] }, attrs);
    });
  }
});

wasmTest("Sum on wasm matches cpu, over leading axes and otherwise", async (t) => {
  const next = rng(29);
  const cases: [Shape, number[], boolean][] = [
    [[64, 26, 26, 32], [0, 1, 2], false],
    [[8, 30, 20, 3], [0, 1, 2], true],
    [[64, 80, 7], [0, 1], false],
    [[2, 50, 50, 2, 3], [0, 1, 2], false],
    [[64, 128], [0], false],
    [[3, 4, 5], [2], false],
    [[6, 7, 8], [0, 1, 2], false],
  ];
  for (const [shape, axis, keepDims] of cases) {
    await t.step(`${shape} axes ${axis} keepDims=${keepDims}`, async () => {
      const x = randomArray(size(shape), next);
      await assertMatchesCpu("Sum", { x: [x, shape] }, { axis, keepDims });
    });
  }
});

Deno.test("gradients of a conv/pool/dense network on wasm match cpu and leak no tensors", async () => {
  await setupWasmBackend();
  const next = rng(23);
  const xs = randomArray(4 * 12 * 12 * 2, next);
  const ws = [
    randomArray(3 * 3 * 2 * 4, next),
    randomArray(2 * 3 * 4 * 2, next),
    randomArray(160 * 5, next),
  ];
  const grads: Record<string, Float32Array[]> = {};
  for (const backend of ["cpu", "wasm"] as const) {
    await tf.setBackend(backend);
    const x = tf.tensor4d(xs, [4, 12, 12, 2]);
    const w1 = tf.variable(tf.tensor4d(ws[0], [3, 3, 2, 4]));
    const w2 = tf.variable(tf.tensor4d(ws[1], [2, 3, 4, 2]));
    const w3 = tf.variable(tf.tensor2d(ws[2], [160, 5]));
    const loss = () =>
      tf.tidy(() => {
        let h: tf.Tensor = tf.relu(tf.conv2d(x, w1, 1, "same"));
        h = tf.maxPool(h as tf.Tensor4D, 2, 2, "valid");
        h = tf.depthwiseConv2d(h as tf.Tensor4D, w2, [1, 1], "valid");
        h = tf.reshape(h, [4, -1]);
        return tf.sum(tf.square(tf.matMul(h as tf.Tensor2D, w3)));
      }) as tf.Scalar;
    const before = tf.memory().numTensors;
    for (let step = 0; step < 3; step++) {
      const { value, grads: g } = tf.variableGrads(loss, [w1, w2, w3]);
      grads[backend] = [w1, w2, w3].map((v) => g[v.name].dataSync().slice() as Float32Array);
      tf.dispose([value, ...Object.values(g)]);
      assert.equal(tf.memory().numTensors, before, `tensors after step ${step} on ${backend}`);
    }
    tf.dispose([x, w1, w2, w3]);
  }
  for (let i = 0; i < 3; i++) assertClose(grads.wasm[i], grads.cpu[i], `weight ${i}: `);
});

Deno.test("Identity and same-dtype Cast share buffers safely; other casts convert", async () => {
  await setupWasmBackend();
  const before = tf.memory().numTensors;
  const a = tf.tensor1d([1.5, -2, 3]);
  const b = tf.clone(a);
  const c = tf.cast(a, "float32");
  a.dispose();
  assert.deepEqual([...b.dataSync()], [1.5, -2, 3]);
  assert.deepEqual([...c.dataSync()], [1.5, -2, 3]);
  const d = tf.cast(b, "int32");
  assert.equal(d.dtype, "int32");
  assert.deepEqual([...d.dataSync()], [1, -2, 3]);
  const e = tf.tidy(() => tf.cast(tf.tensor1d([0, 2, 0], "int32"), "bool"));
  assert.deepEqual([...e.dataSync()], [0, 1, 0]);
  // A variable assigned from a clone keeps its value when the clone goes away.
  const v = tf.tidy(() => tf.variable(tf.zeros([3])));
  v.assign(b);
  tf.dispose([b, c]);
  assert.deepEqual([...v.dataSync()], [1.5, -2, 3]);
  tf.dispose([d, e, v]);
  assert.equal(tf.memory().numTensors, before);
});
