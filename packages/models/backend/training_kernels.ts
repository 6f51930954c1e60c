/**
 * The kernels the tfjs `wasm` backend lacks (or runs slowly) for training, registered in one
 * place. Convolution gradients are built from the backend's own XNNPACK forward convolution:
 *
 * - `Conv2DBackpropFilter`: a forward conv of the transposed input `[cin, H, W, batch]` with the
 *   transposed output gradient `[oh, ow, batch, cout]` as filter, stride = the layer's dilation,
 *   dilation = the layer's stride, explicit padding; for filters with few taps (first layers,
 *   `kh * kw * cin <= 32`) a hand-written SIMD pass over the gradient instead.
 * - `Conv2DBackpropInput`: a forward conv of the (stride-dilated, padded) output gradient with
 *   the filter rotated by 180 degrees and its channel axes swapped (replaces wasm's slow loop).
 * - `DepthwiseConv2dNativeBackpropInput`: the same idea through the depthwise forward conv.
 * - `DepthwiseConv2dNativeBackpropFilter`: a direct typed-array loop.
 * - `MaxPoolGrad`: a hand-written wasm SIMD routine on the backend's own memory for 2x2/2
 *   pooling (_simd_kernels.wat), a direct typed-array routine otherwise.
 * - `BatchMatMul`: transposed operands are transposed once so that the product runs on
 *   XNNPACK's fully-connected operator instead of wasm's scalar fallback.
 * - `Sum` over leading axes (bias gradients): XNNPACK average pooling over the spatial axes
 *   instead of wasm's transpose-then-reduce.
 * - `Identity` and same-dtype `Cast`: share the input buffer (reference counted, as on the cpu
 *   backend) instead of copying it; tfjs clones every tensor it saves for the backward pass.
 *
 * Every kernel frees its intermediates and returns a fresh tensor (reference count 1).
 *
 * @module
 */
import * as tf from "@tensorflow/tfjs";
import { heapOffset, simdKernels } from "./_simd.ts";
import {
  asWasm,
  f32,
  free,
  type Info,
  type KernelImpl,
  pair,
  run,
  type WasmBackend,
  wasmKernel,
} from "./_wasm_internals.ts";

/** Names of the kernels {@link registerWasmTrainingKernels} registers or replaces on `wasm`. */
export const WASM_TRAINING_KERNELS: readonly string[] = [
  "Conv2DBackpropFilter",
  "Conv2DBackpropInput",
  "DepthwiseConv2dNativeBackpropFilter",
  "DepthwiseConv2dNativeBackpropInput",
  "MaxPoolGrad",
  "BatchMatMul",
  "Sum",
  "Identity",
  "Cast",
];

type Pad = "valid" | "same" | number | tf.backend_util.ExplicitPadding;
type Rounding = "floor" | "round" | "ceil" | undefined;
type Shape4 = [number, number, number, number];

interface Originals {
  conv2d: KernelImpl;
  depthwise: KernelImpl;
  transpose: KernelImpl;
  slice: KernelImpl;
  reshape: KernelImpl;
  sum: KernelImpl;
  avgPool: KernelImpl;
  conv2dBackpropInput: KernelImpl;
  maxPoolGrad: KernelImpl;
  batchMatMul: KernelImpl;
  identity: KernelImpl;
  cast: KernelImpl;
}

let originals: Originals | undefined;

function k(): Originals {
  if (originals === undefined) {
    throw new Error("Training kernels used before registration: call setupWasmBackend() first");
  }
  return originals;
}

function explicit(t: number, b: number, l: number, r: number): tf.backend_util.ExplicitPadding {
  return [[0, 0], [t, b], [l, r], [0, 0]];
}

function checkNhwc(kernel: string, dataFormat: unknown): void {
  if (dataFormat === "NCHW" || dataFormat === "channelsFirst") {
    throw new Error(`${kernel} on wasm supports NHWC only: build the model with dataFormat NHWC`);
  }
}

/** What tfjs passes to a kernel function. */
interface KernelArgs {
  inputs: tf.NamedTensorInfoMap;
  attrs?: tf.NamedAttrMap;
  backend: unknown;
}

/** Attributes the conv and depthwise backprops share (depthwise ones carry no `dataFormat`). */
interface ConvAttrs {
  strides: number | [number, number];
  pad: Pad;
  dataFormat?: string;
  dimRoundingMode?: Rounding;
  dilations?: number | [number, number];
}

/** Attributes of the filter-gradient kernels. */
interface FilterAttrs extends ConvAttrs {
  filterShape: Shape4;
}

/** Attributes of the input-gradient kernels. */
interface InputAttrs extends ConvAttrs {
  inputShape: Shape4;
}

/** Strides and dilations as pairs, and tfjs's geometry of the forward (depthwise) conv. */
interface ConvGeometry {
  sh: number;
  sw: number;
  dh: number;
  dw: number;
  info: tf.backend_util.Conv2DInfo;
}

/**
 * The geometry of the NHWC forward conv (or depthwise conv) whose gradient a backprop kernel
 * computes, from the input and filter shapes and the kernel's attributes.
 */
function convGeometry(
  inShape: Shape4,
  filterShape: Shape4,
  a: ConvAttrs,
  depthwise: boolean,
): ConvGeometry {
  const [sh, sw] = pair(a.strides);
  const [dh, dw] = pair(a.dilations);
  const info = tf.backend_util.computeConv2DInfo(
    inShape,
    filterShape,
    [sh, sw],
    [dh, dw],
    a.pad,
    a.dimRoundingMode,
    depthwise,
    "channelsLast",
  );
  return { sh, sw, dh, dw, info };
}

// ---------------------------------------------------------------------------------------------
// Conv2DBackpropFilter

/** Up to this many taps (kh * kw * cin) the filter gradient runs as one SIMD pass over dy. */
const SMALL_FILTER_TAPS = 32;

function conv2dBackpropFilter(args: KernelArgs): Info {
  const backend = asWasm(args.backend);
  const { x, dy } = args.inputs as { x: Info; dy: Info };
  const a = args.attrs as unknown as FilterAttrs;
  checkNhwc("Conv2DBackpropFilter", a.dataFormat);
  const { sh, sw, dh, dw, info } = convGeometry(x.shape as Shape4, a.filterShape, a, false);
  const [kh, kw] = a.filterShape;
  const [batch, inH, inW, cin] = x.shape;
  const [, oh, ow, cout] = dy.shape;
  const pt = info.padInfo.top;
  const pl = info.padInfo.left;
  // Few input taps (a first layer): one SIMD pass over dy beats XNNPACK, whose cost here is
  // packing the whole of dy as the conv's filter.
  const simd = kh * kw * cin <= SMALL_FILTER_TAPS && cout % 4 === 0
    ? simdKernels(args.backend)
    : null;
  if (simd !== null) {
    const out = backend.makeOutput([kh, kw, cin, cout], "float32");
    f32(backend, out).fill(0);
    simd.convFilterGradSmall(
      heapOffset(args.backend, x.dataId),
      heapOffset(args.backend, dy.dataId),
      heapOffset(args.backend, out.dataId),
      batch,
      inH,
      inW,
      cin,
      oh,
      ow,
      cout,
      kh,
      kw,
      sh,
      sw,
      dh,
      dw,
      pt,
      pl,
    );
    return out;
  }
  // Rows of padded input the gradient reads; extra rows are cropped, missing ones padded.
  let pb = (oh - 1) * sh + (kh - 1) * dh + 1 - pt - inH;
  let pr = (ow - 1) * sw + (kw - 1) * dw + 1 - pl - inW;
  const o = k();
  let xs: Info | undefined;
  if (pb < 0 || pr < 0) {
    xs = run(o.slice, backend, { x }, {
      begin: [0, 0, 0, 0],
      size: [batch, inH + Math.min(pb, 0), inW + Math.min(pr, 0), cin],
    });
    pb = Math.max(pb, 0);
    pr = Math.max(pr, 0);
  }
  const xt = run(o.transpose, backend, { x: xs ?? x }, { perm: [3, 1, 2, 0] });
  free(backend, xs);
  const dyt = run(o.transpose, backend, { x: dy }, { perm: [1, 2, 0, 3] });
  const r = run(o.conv2d, backend, { x: xt, filter: dyt }, {
    strides: [dh, dw],
    dilations: [sh, sw],
    pad: explicit(pt, pb, pl, pr),
    dataFormat: "NHWC",
  });
  free(backend, xt, dyt);
  const out = run(o.transpose, backend, { x: r }, { perm: [1, 2, 0, 3] });
  free(backend, r);
  return out;
}

// ---------------------------------------------------------------------------------------------
// Input gradients as stride-1 forward convs; Conv2DBackpropInput

/** Writes `dy` spread out by the strides (zeros between rows and columns) into a new tensor. */
function strideDilate(backend: WasmBackend, dy: Info, sh: number, sw: number): Info {
  const [b, oh, ow, c] = dy.shape;
  const hh = (oh - 1) * sh + 1;
  const ww = (ow - 1) * sw + 1;
  const out = backend.makeOutput([b, hh, ww, c], "float32");
  const dst = f32(backend, out);
  const src = f32(backend, dy);
  dst.fill(0);
  for (let n = 0; n < b; n++) {
    for (let i = 0; i < oh; i++) {
      for (let j = 0; j < ow; j++) {
        const s = ((n * oh + i) * ow + j) * c;
        const d = ((n * hh + i * sh) * ww + j * sw) * c;
        for (let q = 0; q < c; q++) dst[d + q] = src[s + q];
      }
    }
  }
  return out;
}

/** `[kh, kw, a, b]` -> `[kh, kw, b, a]` rotated by 180 degrees in space. */
function rotateSwap(backend: WasmBackend, filter: Info): Info {
  const [kh, kw, ci, co] = filter.shape;
  const out = backend.makeOutput([kh, kw, co, ci], "float32");
  const dst = f32(backend, out);
  const src = f32(backend, filter);
  for (let i = 0; i < kh; i++) {
    for (let j = 0; j < kw; j++) {
      const s0 = (i * kw + j) * ci * co;
      const d0 = ((kh - 1 - i) * kw + (kw - 1 - j)) * co * ci;
      for (let c = 0; c < ci; c++) {
        for (let q = 0; q < co; q++) dst[d0 + q * ci + c] = src[s0 + c * co + q];
      }
    }
  }
  return out;
}

/** `[kh, kw, cin, mult]` -> `[kh, kw, cin * mult, 1]` rotated by 180 degrees in space. */
function rotateDepthwise(backend: WasmBackend, filter: Info): Info {
  const [kh, kw, cin, mult] = filter.shape;
  const cout = cin * mult;
  const out = backend.makeOutput([kh, kw, cout, 1], "float32");
  const dst = f32(backend, out);
  const w = f32(backend, filter);
  for (let i = 0; i < kh; i++) {
    for (let j = 0; j < kw; j++) {
      dst.set(
        w.subarray((i * kw + j) * cout, (i * kw + j + 1) * cout),
        ((kh - 1 - i) * kw + (kw - 1 - j)) * cout,
      );
    }
  }
  return out;
}

/** Top, bottom, left and right padding of a conv. */
type Pads = [number, number, number, number];

/** Paddings that make a stride-1 conv of the stride-dilated `dy` land exactly on the input. */
function transposedPads(g: ConvGeometry): Pads {
  const { info, sh, sw } = g;
  const { inHeight, inWidth, outHeight, outWidth, effectiveFilterHeight, effectiveFilterWidth } =
    info;
  const top = effectiveFilterHeight - 1 - info.padInfo.top;
  const left = effectiveFilterWidth - 1 - info.padInfo.left;
  const bottom = inHeight - 1 + info.padInfo.top - (outHeight - 1) * sh;
  const right = inWidth - 1 + info.padInfo.left - (outWidth - 1) * sw;
  return [top, bottom, left, right];
}

/** How {@link transposedConv} runs the forward conv of an input gradient. */
interface TransposedConv {
  /** The backend's forward kernel: `Conv2D` or `DepthwiseConv2dNative`. */
  kernel: KernelImpl;
  /** Makes the rotated filter that `kernel` takes from the layer's filter. */
  rotate: (backend: WasmBackend, filter: Info) => Info;
  /** The layer's geometry. */
  geometry: ConvGeometry;
  /** From {@link transposedPads}; all non-negative. */
  pads: Pads;
  /** Attributes `kernel` takes besides strides, dilations and padding. */
  attrs: Record<string, unknown>;
}

/**
 * An input gradient as a stride-1 forward conv: `dy` spread out by the layer's strides,
 * convolved with the rotated filter at the layer's dilation, padded so that it lands exactly on
 * the input. Frees its intermediates; the result is the forward kernel's output.
 */
function transposedConv(
  backend: WasmBackend,
  inputs: { dy: Info; filter: Info },
  how: TransposedConv,
): Info {
  const { dy, filter } = inputs;
  const { sh, sw, dh, dw } = how.geometry;
  const src = sh > 1 || sw > 1 ? strideDilate(backend, dy, sh, sw) : dy;
  const rot = how.rotate(backend, filter);
  const out = run(how.kernel, backend, { x: src, filter: rot }, {
    strides: [1, 1],
    dilations: [dh, dw],
    pad: explicit(...how.pads),
    ...how.attrs,
  });
  free(backend, rot, src === dy ? undefined : src);
  return out;
}

function conv2dBackpropInput(args: KernelArgs): Info {
  const backend = asWasm(args.backend);
  const { dy, filter } = args.inputs as { dy: Info; filter: Info };
  const a = args.attrs as unknown as InputAttrs;
  checkNhwc("Conv2DBackpropInput", a.dataFormat);
  const geometry = convGeometry(a.inputShape, filter.shape as Shape4, a, false);
  const pads = transposedPads(geometry);
  const o = k();
  if (Math.min(...pads) < 0) {
    if (geometry.dh !== 1 || geometry.dw !== 1) {
      throw new Error("Conv2DBackpropInput with dilation needs non-negative transposed padding");
    }
    return run(o.conv2dBackpropInput, backend, args.inputs as Record<string, Info>, {
      ...a,
      dataFormat: "NHWC",
    });
  }
  return transposedConv(backend, { dy, filter }, {
    kernel: o.conv2d,
    rotate: rotateSwap,
    geometry,
    pads,
    attrs: { dataFormat: "NHWC" },
  });
}

// ---------------------------------------------------------------------------------------------
// Depthwise backprops

function depthwiseBackpropFilter(args: KernelArgs): Info {
  const backend = asWasm(args.backend);
  const { x, dy } = args.inputs as { x: Info; dy: Info };
  const a = args.attrs as unknown as FilterAttrs;
  const { sh, sw, dh, dw, info } = convGeometry(x.shape as Shape4, a.filterShape, a, true);
  const [kh, kw, cin, mult] = a.filterShape;
  const [batch, inH, inW] = x.shape;
  const { outHeight: oh, outWidth: ow } = info;
  const pt = info.padInfo.top;
  const pl = info.padInfo.left;
  const cout = cin * mult;
  const acc = new Float64Array(kh * kw * cout);
  const out = backend.makeOutput([kh, kw, cin, mult], "float32");
  const xv = f32(backend, x);
  const dyv = f32(backend, dy);
  for (let i = 0; i < kh; i++) {
    for (let j = 0; j < kw; j++) {
      const a0 = (i * kw + j) * cout;
      for (let n = 0; n < batch; n++) {
        for (let r = 0; r < oh; r++) {
          const h = r * sh + i * dh - pt;
          if (h < 0 || h >= inH) continue;
          for (let c = 0; c < ow; c++) {
            const w = c * sw + j * dw - pl;
            if (w < 0 || w >= inW) continue;
            const xb = ((n * inH + h) * inW + w) * cin;
            const yb = ((n * oh + r) * ow + c) * cout;
            if (mult === 1) {
              for (let ch = 0; ch < cin; ch++) acc[a0 + ch] += xv[xb + ch] * dyv[yb + ch];
            } else {
              for (let ch = 0; ch < cin; ch++) {
                const v = xv[xb + ch];
                const base = ch * mult;
                for (let q = 0; q < mult; q++) acc[a0 + base + q] += v * dyv[yb + base + q];
              }
            }
          }
        }
      }
    }
  }
  f32(backend, out).set(acc);
  return out;
}

function depthwiseBackpropInput(args: KernelArgs): Info {
  const backend = asWasm(args.backend);
  const { dy, filter } = args.inputs as { dy: Info; filter: Info };
  const a = args.attrs as unknown as InputAttrs;
  const [, , cin, mult] = filter.shape;
  const geometry = convGeometry(a.inputShape, filter.shape as Shape4, a, true);
  const pads = transposedPads(geometry);
  if (Math.min(...pads) < 0) {
    throw new Error(
      `DepthwiseConv2dNativeBackpropInput cannot handle padding ${JSON.stringify(a.pad)} ` +
        `for input ${JSON.stringify(a.inputShape)}: use "same" or "valid" padding`,
    );
  }
  const o = k();
  // One output channel per (channel, multiplier) pair, summed over the multiplier below.
  const conv = transposedConv(backend, { dy, filter }, {
    kernel: o.depthwise,
    rotate: rotateDepthwise,
    geometry,
    pads,
    attrs: {},
  });
  if (mult === 1) return conv;
  const [b, h, w] = conv.shape;
  const r = run(o.reshape, backend, { x: conv }, { shape: [b, h, w, cin, mult] });
  free(backend, conv);
  const out = run(o.sum, backend, { x: r }, { axis: [4], keepDims: false });
  free(backend, r);
  return out;
}

// ---------------------------------------------------------------------------------------------
// MaxPoolGrad

interface PoolAttrs {
  filterSize: number | [number, number];
  strides: number | [number, number];
  pad: Pad;
  dimRoundingMode?: Rounding;
}

let poolScratch = { best: new Float32Array(0), where: new Int32Array(0) };

function maxPoolGrad(args: KernelArgs): Info {
  const backend = asWasm(args.backend);
  const { dy, input } = args.inputs as { dy: Info; input: Info };
  const a = args.attrs as unknown as PoolAttrs;
  const info = tf.backend_util.computePool2DInfo(
    input.shape as Shape4,
    a.filterSize as [number, number],
    a.strides,
    1,
    a.pad,
    a.dimRoundingMode,
  );
  const [batch, inH, inW, ch] = input.shape;
  const { outHeight: oh, outWidth: ow, strideHeight: sh, strideWidth: sw } = info;
  const fh = info.effectiveFilterHeight;
  const fw = info.effectiveFilterWidth;
  const pt = info.padInfo.top;
  const pl = info.padInfo.left;
  const out = backend.makeOutput(input.shape.slice(), "float32");
  const dx = f32(backend, out);
  const x = f32(backend, input);
  const g = f32(backend, dy);
  dx.fill(0);
  if (poolScratch.best.length < ch) {
    poolScratch = { best: new Float32Array(ch), where: new Int32Array(ch) };
  }
  if (fh === sh && fw === sw && pt === 0 && pl === 0 && fh * fw > 1) {
    const simd = fh === 2 && fw === 2 && ch % 4 === 0 ? simdKernels(args.backend) : null;
    if (simd !== null) {
      // Every covered input is written; only rows/columns outside all windows stay as filled.
      simd.maxPoolGrad2x2(
        heapOffset(args.backend, input.dataId),
        heapOffset(args.backend, dy.dataId),
        heapOffset(args.backend, out.dataId),
        batch,
        inH,
        inW,
        ch,
        oh,
        ow,
      );
      return out;
    }
    tiledMaxPoolGrad(x, g, dx, batch, inH, inW, ch, oh, ow, fh, fw);
    return out;
  }
  const { best, where } = poolScratch;
  for (let n = 0; n < batch; n++) {
    for (let r = 0; r < oh; r++) {
      const h0 = r * sh - pt;
      const hs = Math.max(h0, 0);
      const he = Math.min(h0 + fh, inH);
      for (let c = 0; c < ow; c++) {
        const w0 = c * sw - pl;
        const ws = Math.max(w0, 0);
        const we = Math.min(w0 + fw, inW);
        best.fill(-Infinity, 0, ch);
        where.fill(-1, 0, ch);
        for (let h = hs; h < he; h++) {
          for (let w = ws; w < we; w++) {
            const base = ((n * inH + h) * inW + w) * ch;
            for (let q = 0; q < ch; q++) {
              const v = x[base + q];
              if (v > best[q]) {
                best[q] = v;
                where[q] = base + q;
              }
            }
          }
        }
        const gb = ((n * oh + r) * ow + c) * ch;
        for (let q = 0; q < ch; q++) {
          const at = where[q];
          if (at >= 0) dx[at] += g[gb + q];
        }
      }
    }
  }
  return out;
}

/**
 * Max-pool gradient for non-overlapping windows (filter = stride, no padding): every input sits
 * in at most one window, so each window writes its own outputs and nothing is accumulated.
 * Ties go to the first position in row-major window order, as on the cpu backend.
 */
function tiledMaxPoolGrad(
  x: Float32Array,
  g: Float32Array,
  dx: Float32Array,
  batch: number,
  inH: number,
  inW: number,
  ch: number,
  oh: number,
  ow: number,
  fh: number,
  fw: number,
): void {
  const rowStride = inW * ch;
  for (let n = 0; n < batch; n++) {
    for (let r = 0; r < oh; r++) {
      for (let c = 0; c < ow; c++) {
        const gb = ((n * oh + r) * ow + c) * ch;
        const b0 = ((n * inH + r * fh) * inW + c * fw) * ch;
        if (fh === 2 && fw === 2) {
          for (let q = 0; q < ch; q++) {
            const i0 = b0 + q;
            const i1 = i0 + ch;
            const i2 = i0 + rowStride;
            const i3 = i2 + ch;
            let m = x[i0];
            let k = 0;
            const a1 = x[i1];
            if (a1 > m) {
              m = a1;
              k = 1;
            }
            const a2 = x[i2];
            if (a2 > m) {
              m = a2;
              k = 2;
            }
            if (x[i3] > m) k = 3;
            const v = g[gb + q];
            dx[i0] = k === 0 ? v : 0;
            dx[i1] = k === 1 ? v : 0;
            dx[i2] = k === 2 ? v : 0;
            dx[i3] = k === 3 ? v : 0;
          }
        } else {
          for (let q = 0; q < ch; q++) {
            let m = -Infinity;
            let at = -1;
            for (let h = 0; h < fh; h++) {
              for (let w = 0; w < fw; w++) {
                const i = b0 + h * rowStride + w * ch + q;
                if (x[i] > m) {
                  m = x[i];
                  at = i;
                }
              }
            }
            if (at >= 0) dx[at] = g[gb + q];
          }
        }
      }
    }
  }
}

// ---------------------------------------------------------------------------------------------
// Sum over leading axes (bias gradients) through XNNPACK average pooling

function sum(args: KernelArgs): Info {
  const backend = asWasm(args.backend);
  const { x } = args.inputs as { x: Info };
  const { axis, keepDims } = args.attrs as { axis: number | number[]; keepDims: boolean };
  const o = k();
  const rank = x.shape.length;
  const axes = tf.util.parseAxisParam(axis, x.shape).sort((p, q) => p - q);
  const lead = axes.length;
  const leading = axes.every((a, i) => a === i);
  const rows = x.shape.slice(0, lead).reduce((p, v) => p * v, 1);
  const cols = x.shape.slice(lead).reduce((p, v) => p * v, 1);
  if (x.dtype !== "float32" || !leading || lead < 2 || lead === rank || rows < 4096) {
    return run(o.sum, backend, { x }, { axis, keepDims });
  }
  // View as [batch, h, w, cols], average each [h, w] window, then add up batch * h * w.
  const h = x.shape[lead - 2];
  const w = x.shape[lead - 1];
  const batch = rows / (h * w);
  const view = run(o.reshape, backend, { x }, { shape: [batch, h, w, cols] });
  const pooled = run(o.avgPool, backend, { x: view }, {
    filterSize: [h, w],
    strides: [1, 1],
    pad: "valid",
  });
  free(backend, view);
  const outShape = keepDims ? x.shape.map((d, i) => (i < lead ? 1 : d)) : x.shape.slice(lead);
  const out = backend.makeOutput(outShape, "float32");
  const p = f32(backend, pooled);
  const acc = new Float64Array(cols);
  for (let b = 0; b < batch; b++) {
    const base = b * cols;
    for (let c = 0; c < cols; c++) acc[c] += p[base + c];
  }
  const dst = f32(backend, out);
  const scale = h * w;
  for (let c = 0; c < cols; c++) dst[c] = acc[c] * scale;
  free(backend, pooled);
  return out;
}

// ---------------------------------------------------------------------------------------------
// Identity and same-dtype Cast share the input's buffer (as on the cpu backend) instead of
// copying it: tfjs clones every tensor it saves for the backward pass, and casts every ReLU
// gradient mask to float32.

interface RefCounted {
  incRef(dataId: tf.DataId): void;
}

function share(backend: unknown, x: Info): Info {
  (backend as RefCounted).incRef(x.dataId);
  return { dataId: x.dataId, shape: x.shape, dtype: x.dtype };
}

function identity(args: { inputs: tf.NamedTensorInfoMap; backend: unknown }): Info {
  const { x } = args.inputs as { x: Info };
  if (x.dtype === "string") {
    return run(k().identity, asWasm(args.backend), { x }, {});
  }
  return share(args.backend, x);
}

function cast(args: KernelArgs): Info {
  const { x } = args.inputs as { x: Info };
  const { dtype } = args.attrs as { dtype: tf.DataType };
  if (dtype === x.dtype && dtype !== "string") return share(args.backend, x);
  if (dtype === "bool" && x.dtype !== "string") {
    // wasm's own cast copies the numbers (2 stays 2); bool must be 0 or 1, as on cpu.
    const backend = asWasm(args.backend);
    const out = backend.makeOutput(x.shape, "bool");
    const src = backend.typedArrayFromHeap(x);
    const dst = backend.typedArrayFromHeap(out);
    for (let i = 0; i < src.length; i++) dst[i] = src[i] !== 0 ? 1 : 0;
    return out;
  }
  return run(k().cast, asWasm(args.backend), { x }, { dtype });
}

// ---------------------------------------------------------------------------------------------
// BatchMatMul with transposed operands on the XNNPACK fully-connected path

function batchMatMul(args: KernelArgs): Info {
  const backend = asWasm(args.backend);
  const { a, b } = args.inputs as { a: Info; b: Info };
  const { transposeA, transposeB } = args.attrs as { transposeA: boolean; transposeB: boolean };
  const o = k();
  const batchA = a.shape.slice(0, -2).reduce((p, v) => p * v, 1);
  const batchB = b.shape.slice(0, -2).reduce((p, v) => p * v, 1);
  if (
    (!transposeA && !transposeB) || batchA !== 1 || batchB !== 1 || a.dtype !== "float32" ||
    b.dtype !== "float32"
  ) {
    return run(o.batchMatMul, backend, { a, b }, { transposeA, transposeB });
  }
  const ra = a.shape.length;
  const rb = b.shape.length;
  const [a0, a1] = [a.shape[ra - 2], a.shape[ra - 1]];
  const [b0, b1] = [b.shape[rb - 2], b.shape[rb - 1]];
  const m = transposeA ? a1 : a0;
  const n = transposeB ? b0 : b1;
  const outer = ra >= rb ? a.shape.slice(0, -2) : b.shape.slice(0, -2);
  let a2 = run(o.reshape, backend, { x: a }, { shape: [a0, a1] });
  let b2 = run(o.reshape, backend, { x: b }, { shape: [b0, b1] });
  if (transposeA) {
    const t = run(o.transpose, backend, { x: a2 }, { perm: [1, 0] });
    free(backend, a2);
    a2 = t;
  }
  if (transposeB) {
    const t = run(o.transpose, backend, { x: b2 }, { perm: [1, 0] });
    free(backend, b2);
    b2 = t;
  }
  const out = run(o.batchMatMul, backend, { a: a2, b: b2 }, {
    transposeA: false,
    transposeB: false,
  });
  free(backend, a2, b2);
  return { ...out, shape: [...outer, m, n] };
}

// ---------------------------------------------------------------------------------------------

const OVERRIDDEN = [
  "Conv2DBackpropInput",
  "MaxPoolGrad",
  "BatchMatMul",
  "Sum",
  "Identity",
  "Cast",
] as const;

/**
 * Registers the training kernels on the `wasm` backend (idempotent). Call it after importing
 * `@tensorflow/tfjs-backend-wasm` and before training; {@link setupWasmBackend} does both.
 *
 * @returns nothing; afterwards `tf.getKernel(name, "wasm")` is defined for every name in
 * {@link WASM_TRAINING_KERNELS}
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import * as tf from "@tensorflow/tfjs";
 * import "@tensorflow/tfjs-backend-wasm";
 * import { registerWasmTrainingKernels } from "@sparsegrain/models";
 * registerWasmTrainingKernels();
 * assert(tf.getKernel("Conv2DBackpropFilter", "wasm") !== undefined);
 * ```
 */
export function registerWasmTrainingKernels(): void {
  if (originals !== undefined) return;
  const captured: Originals = {
    conv2d: wasmKernel("Conv2D"),
    depthwise: wasmKernel("DepthwiseConv2dNative"),
    transpose: wasmKernel("Transpose"),
    slice: wasmKernel("Slice"),
    reshape: wasmKernel("Reshape"),
    sum: wasmKernel("Sum"),
    avgPool: wasmKernel("AvgPool"),
    conv2dBackpropInput: wasmKernel("Conv2DBackpropInput"),
    maxPoolGrad: wasmKernel("MaxPoolGrad"),
    batchMatMul: wasmKernel("BatchMatMul"),
    identity: wasmKernel("Identity"),
    cast: wasmKernel("Cast"),
  };
  // Keep the original setup functions (they bind the wasm exports these kernels call).
  const setups = new Map<string, tf.KernelSetupFunc | undefined>();
  for (const name of OVERRIDDEN) {
    setups.set(name, tf.getKernel(name, "wasm")?.setupFunc);
    tf.unregisterKernel(name, "wasm");
  }
  const mine: [string, tf.KernelFunc][] = [
    ["Conv2DBackpropFilter", conv2dBackpropFilter as unknown as tf.KernelFunc],
    ["Conv2DBackpropInput", conv2dBackpropInput as unknown as tf.KernelFunc],
    ["DepthwiseConv2dNativeBackpropFilter", depthwiseBackpropFilter as unknown as tf.KernelFunc],
    ["DepthwiseConv2dNativeBackpropInput", depthwiseBackpropInput as unknown as tf.KernelFunc],
    ["MaxPoolGrad", maxPoolGrad as unknown as tf.KernelFunc],
    ["BatchMatMul", batchMatMul as unknown as tf.KernelFunc],
    ["Sum", sum as unknown as tf.KernelFunc],
    ["Identity", identity as unknown as tf.KernelFunc],
    ["Cast", cast as unknown as tf.KernelFunc],
  ];
  for (const [kernelName, kernelFunc] of mine) {
    if (tf.getKernel(kernelName, "wasm") !== undefined) tf.unregisterKernel(kernelName, "wasm");
    tf.registerKernel({
      kernelName,
      backendName: "wasm",
      kernelFunc,
      setupFunc: setups.get(kernelName),
    });
  }
  originals = captured;
}
