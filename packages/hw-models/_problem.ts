import { LayerError } from "@sparsegrain/core";
import type { LayerKind, LayerWeights } from "@sparsegrain/core";

/**
 * A layer normalised to one convolution problem. The weight tensor keeps its tfjs layout and is
 * read as `[R, S, A3, A4]`: conv `[kh, kw, cin / groups, cout]`, depthwise `[kh, kw, cin,
 * multiplier]`, dense `[1, 1, in, out]` (a 1x1 conv on a 1x1 input unless geometry says more).
 */
export interface Problem {
  readonly name: string;
  readonly kind: LayerKind;
  /** Kernel rows (kh). */
  readonly R: number;
  /** Kernel columns (kw). */
  readonly S: number;
  /** Third tensor axis: input channels per group (conv), channels (depthwise), inputs (dense). */
  readonly A3: number;
  /** Fourth tensor axis: output channels (conv, dense) or the channel multiplier (depthwise). */
  readonly A4: number;
  /** Conv groups; a depthwise layer has one group per input channel. */
  readonly groups: number;
  /** All input channels. */
  readonly inputChannels: number;
  /** All output channels. */
  readonly outputChannels: number;
  readonly H: number;
  readonly W: number;
  readonly P: number;
  readonly Q: number;
  readonly strideH: number;
  readonly strideW: number;
  readonly dilationH: number;
  readonly dilationW: number;
  /** Zero rows added above the input (tfjs "same" puts the odd one below). */
  readonly padTop: number;
  readonly padLeft: number;
  /** All zero rows (top + bottom) and columns (left + right) of the padding. */
  readonly padRows: number;
  readonly padCols: number;
  /** Weights in the tensor. */
  readonly elements: number;
  /** Dense multiply-accumulates: elements x P x Q (padding taps included, as conventionally). */
  readonly macs: number;
}

function positiveInt(name: string, field: string, value: unknown, fix: string): number {
  if (typeof value !== "number" || !Number.isInteger(value) || value < 1) {
    throw new LayerError(name, field, `found ${JSON.stringify(value)}: ${fix}`);
  }
  return value;
}

function pairOf(name: string, field: string, value: unknown): [number, number] {
  if (!Array.isArray(value) || value.length !== 2) {
    throw new LayerError(
      name,
      field,
      `found ${JSON.stringify(value)}: give [vertical, horizontal] positive integers`,
    );
  }
  return [
    positiveInt(name, `${field}[0]`, value[0], "use a positive integer"),
    positiveInt(name, `${field}[1]`, value[1], "use a positive integer"),
  ];
}

/** tfjs output extent for one axis. */
function outputExtent(
  input: number,
  kernel: number,
  stride: number,
  dilation: number,
  padding: "same" | "valid",
): number {
  if (padding === "same") return Math.ceil(input / stride);
  return Math.ceil((input - (kernel - 1) * dilation) / stride);
}

/**
 * Checks a layer's kind, shape and geometry and returns the normalised problem. Throws
 * `LayerError` naming the layer and the field on anything inconsistent.
 */
export function normalizeProblem(layer: LayerWeights): Problem {
  const name = String(layer.name);
  const kind = layer.kind;
  if (kind !== "conv2d" && kind !== "dense" && kind !== "depthwise") {
    throw new LayerError(
      name,
      "kind",
      `found ${JSON.stringify(kind)}: use "conv2d", "dense" or "depthwise"`,
    );
  }
  const rank = kind === "dense" ? 2 : 4;
  const shape = layer.shape;
  if (!Array.isArray(shape) || shape.length !== rank) {
    throw new LayerError(
      name,
      "shape",
      `a ${kind} layer needs rank ${rank}, found [${shape}]: pass ${
        kind === "dense" ? "[in, out]" : "[kh, kw, cin, cout]"
      } in tfjs layout`,
    );
  }
  for (const d of shape) positiveInt(name, "shape", d, "every extent must be a positive integer");
  const [R, S, A3, A4] = kind === "dense" ? [1, 1, shape[0], shape[1]] : shape;
  const elements = R * S * A3 * A4;
  const g = layer.geometry;

  if (kind === "dense") {
    let H = 1, W = 1;
    if (g !== undefined) {
      // A dense layer applied at every position of an H x W map is a 1x1 conv on that map.
      H = positiveInt(name, "geometry.inputHeight", g.inputHeight, "use a positive integer");
      W = positiveInt(name, "geometry.inputWidth", g.inputWidth, "use a positive integer");
      const same = g.outputHeight === H && g.outputWidth === W &&
        pairOf(name, "geometry.strides", g.strides).every((v) => v === 1) &&
        pairOf(name, "geometry.dilation", g.dilation).every((v) => v === 1) &&
        (g.groups ?? 1) === 1;
      if (!same) {
        throw new LayerError(
          name,
          "geometry",
          "a dense layer is modelled as a 1x1 conv applied at every input position: give equal input and output sizes, strides and dilation [1, 1] and groups 1, or omit the geometry",
        );
      }
    }
    return {
      name,
      kind,
      R,
      S,
      A3,
      A4,
      groups: 1,
      inputChannels: A3,
      outputChannels: A4,
      H,
      W,
      P: H,
      Q: W,
      strideH: 1,
      strideW: 1,
      dilationH: 1,
      dilationW: 1,
      padTop: 0,
      padLeft: 0,
      padRows: 0,
      padCols: 0,
      elements,
      macs: elements * H * W,
    };
  }

  if (g === undefined || g === null) {
    throw new LayerError(
      name,
      "geometry",
      `a ${kind} layer needs its geometry (input and output size, strides, dilation, padding, groups): pass layer.geometry`,
    );
  }
  const H = positiveInt(name, "geometry.inputHeight", g.inputHeight, "use a positive integer");
  const W = positiveInt(name, "geometry.inputWidth", g.inputWidth, "use a positive integer");
  const P = positiveInt(name, "geometry.outputHeight", g.outputHeight, "use a positive integer");
  const Q = positiveInt(name, "geometry.outputWidth", g.outputWidth, "use a positive integer");
  const [strideH, strideW] = pairOf(name, "geometry.strides", g.strides);
  const [dilationH, dilationW] = pairOf(name, "geometry.dilation", g.dilation);
  if (g.padding !== "same" && g.padding !== "valid") {
    throw new LayerError(
      name,
      "geometry.padding",
      `found ${JSON.stringify(g.padding)}: use "same" or "valid"`,
    );
  }
  const padding = g.padding;
  const groupsGiven = positiveInt(name, "geometry.groups", g.groups, "use a positive integer");
  let groups: number, inputChannels: number, outputChannels: number;
  if (kind === "depthwise") {
    if (groupsGiven !== 1 && groupsGiven !== A3) {
      throw new LayerError(
        name,
        "geometry.groups",
        `a depthwise layer with ${A3} channels has groups ${A3} (or 1), found ${groupsGiven}: fix the geometry`,
      );
    }
    groups = A3;
    inputChannels = A3;
    outputChannels = A3 * A4;
  } else {
    if (A4 % groupsGiven !== 0) {
      throw new LayerError(
        name,
        "geometry.groups",
        `${A4} output channels do not split into ${groupsGiven} groups: use a divisor of cout`,
      );
    }
    groups = groupsGiven;
    inputChannels = A3 * groupsGiven;
    outputChannels = A4;
  }
  const axes: [string, number, number, number, number, number][] = [
    ["Height", H, P, R, strideH, dilationH],
    ["Width", W, Q, S, strideW, dilationW],
  ];
  for (const [axis, input, output, kernel, stride, dilation] of axes) {
    const reach = (kernel - 1) * dilation + 1;
    if (padding === "valid" && reach > input) {
      throw new LayerError(
        name,
        `geometry.input${axis}`,
        `a ${kernel}-tap kernel with dilation ${dilation} spans ${reach} but the input is ${input}: fix the geometry or the weight shape`,
      );
    }
    const expected = outputExtent(input, kernel, stride, dilation, padding);
    if (output !== expected) {
      throw new LayerError(
        name,
        `geometry.output${axis}`,
        `a "${padding}" ${R}x${S} conv with stride ${stride} and dilation ${dilation} on a ${input}-wide input gives ${expected}, found ${output}: fix the geometry or the weight shape`,
      );
    }
  }
  const padRows = Math.max((P - 1) * strideH + (R - 1) * dilationH + 1 - H, 0);
  const padCols = Math.max((Q - 1) * strideW + (S - 1) * dilationW + 1 - W, 0);
  return {
    name,
    kind,
    R,
    S,
    A3,
    A4,
    groups,
    inputChannels,
    outputChannels,
    H,
    W,
    P,
    Q,
    strideH,
    strideW,
    dilationH,
    dilationW,
    padTop: padding === "same" ? Math.floor(padRows / 2) : 0,
    padLeft: padding === "same" ? Math.floor(padCols / 2) : 0,
    padRows: padding === "same" ? padRows : 0,
    padCols: padding === "same" ? padCols : 0,
    elements,
    macs: elements * P * Q,
  };
}
