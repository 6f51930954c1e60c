/**
 * TEST FIXTURE, not part of the package's API: the prunable layers (weight shapes in tfjs layout
 * and conv geometry) of the five ImageNet networks of PAPER.md, written out from the published
 * architectures so that hw-models tests, benchmarks and scripts can run whole networks before
 * (and independently of) the models package. Biases and batch-norm parameters are counted per
 * layer only so that tests can check every network's parameter count against PAPER.md's table.
 *
 * Spatial sizes follow the reference implementations (Caffe BVLC AlexNet and GoogLeNet with
 * ceil-mode pooling, torchvision VGG-16, ResNet-50 v1.5 and DenseNet-121); padding is expressed
 * the tfjs way ("same" wherever the output keeps ceil(input / stride)).
 *
 * @module
 */
import type { ConvGeometry, LayerKind } from "@sparsegrain/core";

/** The five networks. */
export type ZooModel = "alexnet" | "vgg16" | "googlenet" | "resnet50" | "densenet121";

/** The networks, in PAPER.md's order. */
export const ZOO_MODELS: readonly ZooModel[] = [
  "alexnet",
  "vgg16",
  "googlenet",
  "resnet50",
  "densenet121",
];

/** One prunable weight tensor of a fixture network. */
export interface ZooLayer {
  readonly name: string;
  readonly kind: LayerKind;
  /** tfjs layout: conv `[kh, kw, cin / groups, cout]`, dense `[in, out]`. */
  readonly shape: readonly number[];
  readonly geometry?: ConvGeometry;
  /** Parameters that belong to the layer but are not pruned: bias and batch-norm scale/shift. */
  readonly otherParams: number;
}

class Builder {
  readonly layers: ZooLayer[] = [];
  conv(
    name: string,
    k: number,
    cin: number,
    cout: number,
    size: number,
    options: { stride?: number; padding?: "same" | "valid"; groups?: number; bias?: boolean } = {},
  ): number {
    const stride = options.stride ?? 1;
    const padding = options.padding ?? "same";
    const groups = options.groups ?? 1;
    const out = padding === "same" ? Math.ceil(size / stride) : Math.ceil((size - k + 1) / stride);
    this.layers.push({
      name,
      kind: "conv2d",
      shape: [k, k, cin / groups, cout],
      geometry: {
        inputHeight: size,
        inputWidth: size,
        outputHeight: out,
        outputWidth: out,
        strides: [stride, stride],
        dilation: [1, 1],
        padding,
        groups,
      },
      otherParams: options.bias === false ? 0 : cout,
    });
    return out;
  }
  dense(name: string, inputs: number, outputs: number): void {
    this.layers.push({ name, kind: "dense", shape: [inputs, outputs], otherParams: outputs });
  }
  /** Adds batch-norm scale and shift of `channels` to the last layer (conv without bias). */
  batchNorm(channels: number, layer = this.layers.length - 1): void {
    const l = this.layers[layer];
    this.layers[layer] = { ...l, otherParams: l.otherParams + 2 * channels };
  }
}

/** Caffe-style pooling output with ceil mode. */
const pool = (size: number, k: number, stride: number) => Math.ceil((size - k) / stride) + 1;

function alexnet(): ZooLayer[] {
  const b = new Builder();
  let s = b.conv("conv1", 11, 3, 96, 227, { stride: 4, padding: "valid" });
  s = pool(s, 3, 2);
  s = b.conv("conv2", 5, 96, 256, s, { groups: 2 });
  s = pool(s, 3, 2);
  s = b.conv("conv3", 3, 256, 384, s);
  s = b.conv("conv4", 3, 384, 384, s, { groups: 2 });
  s = b.conv("conv5", 3, 384, 256, s, { groups: 2 });
  s = pool(s, 3, 2);
  b.dense("fc6", 256 * s * s, 4096);
  b.dense("fc7", 4096, 4096);
  b.dense("fc8", 4096, 1000);
  return b.layers;
}

function vgg16(): ZooLayer[] {
  const b = new Builder();
  const stages = [[64, 64], [128, 128], [256, 256, 256], [512, 512, 512], [512, 512, 512]];
  let s = 224, cin = 3;
  stages.forEach((stage, i) => {
    stage.forEach((cout, j) => {
      b.conv(`conv${i + 1}_${j + 1}`, 3, cin, cout, s);
      cin = cout;
    });
    s /= 2;
  });
  b.dense("fc6", 512 * 7 * 7, 4096);
  b.dense("fc7", 4096, 4096);
  b.dense("fc8", 4096, 1000);
  return b.layers;
}

function googlenet(): ZooLayer[] {
  const b = new Builder();
  let s = b.conv("conv1/7x7_s2", 7, 3, 64, 224, { stride: 2 });
  s = pool(s, 3, 2);
  b.conv("conv2/3x3_reduce", 1, 64, 64, s);
  b.conv("conv2/3x3", 3, 64, 192, s);
  s = pool(s, 3, 2);
  const inception = (
    name: string,
    cin: number,
    [c1, c3r, c3, c5r, c5, pp]: number[],
  ): number => {
    b.conv(`${name}/1x1`, 1, cin, c1, s);
    b.conv(`${name}/3x3_reduce`, 1, cin, c3r, s);
    b.conv(`${name}/3x3`, 3, c3r, c3, s);
    b.conv(`${name}/5x5_reduce`, 1, cin, c5r, s);
    b.conv(`${name}/5x5`, 5, c5r, c5, s);
    b.conv(`${name}/pool_proj`, 1, cin, pp, s);
    return c1 + c3 + c5 + pp;
  };
  let c = inception("inception_3a", 192, [64, 96, 128, 16, 32, 32]);
  c = inception("inception_3b", c, [128, 128, 192, 32, 96, 64]);
  s = pool(s, 3, 2);
  c = inception("inception_4a", c, [192, 96, 208, 16, 48, 64]);
  c = inception("inception_4b", c, [160, 112, 224, 24, 64, 64]);
  c = inception("inception_4c", c, [128, 128, 256, 24, 64, 64]);
  c = inception("inception_4d", c, [112, 144, 288, 32, 64, 64]);
  c = inception("inception_4e", c, [256, 160, 320, 32, 128, 128]);
  s = pool(s, 3, 2);
  c = inception("inception_5a", c, [256, 160, 320, 32, 128, 128]);
  c = inception("inception_5b", c, [384, 192, 384, 48, 128, 128]);
  b.dense("loss3/classifier", c, 1000);
  return b.layers;
}

function resnet50(): ZooLayer[] {
  const b = new Builder();
  let s = b.conv("conv1", 7, 3, 64, 224, { stride: 2, bias: false });
  b.batchNorm(64);
  s = pool(s, 3, 2); // 112 -> 56 (torchvision: padding 1, floor mode)
  let cin = 64;
  [[64, 3], [128, 4], [256, 6], [512, 3]].forEach(([width, blocks], stage) => {
    for (let i = 0; i < blocks; i++) {
      const stride = i === 0 && stage > 0 ? 2 : 1;
      const name = `layer${stage + 1}.${i}`;
      b.conv(`${name}.conv1`, 1, cin, width, s, { bias: false });
      b.batchNorm(width);
      const out = b.conv(`${name}.conv2`, 3, width, width, s, { stride, bias: false });
      b.batchNorm(width);
      b.conv(`${name}.conv3`, 1, width, 4 * width, out, { bias: false });
      b.batchNorm(4 * width);
      if (i === 0) {
        b.conv(`${name}.downsample`, 1, cin, 4 * width, s, { stride, bias: false });
        b.batchNorm(4 * width);
      }
      cin = 4 * width;
      s = out;
    }
  });
  b.dense("fc", 2048, 1000);
  return b.layers;
}

function densenet121(): ZooLayer[] {
  const b = new Builder();
  let s = b.conv("features.conv0", 7, 3, 64, 224, { stride: 2, bias: false });
  b.batchNorm(64);
  s = pool(s, 3, 2); // 112 -> 56
  let c = 64;
  [6, 12, 24, 16].forEach((layers, block) => {
    for (let i = 0; i < layers; i++) {
      const name = `features.denseblock${block + 1}.denselayer${i + 1}`;
      b.conv(`${name}.conv1`, 1, c, 128, s, { bias: false });
      b.batchNorm(c); // norm1 precedes conv1
      b.batchNorm(128); // norm2 precedes conv2
      b.conv(`${name}.conv2`, 3, 128, 32, s, { bias: false });
      c += 32;
    }
    if (block < 3) {
      b.conv(`features.transition${block + 1}.conv`, 1, c, c / 2, s, { bias: false });
      b.batchNorm(c);
      c /= 2;
      s /= 2;
    }
  });
  b.dense("classifier", c, 1000);
  b.batchNorm(c); // norm5
  return b.layers;
}

/**
 * The prunable layers of one fixture network.
 *
 * @param model the network
 * @returns its layers in network order
 */
export function zooLayers(model: ZooModel): ZooLayer[] {
  switch (model) {
    case "alexnet":
      return alexnet();
    case "vgg16":
      return vgg16();
    case "googlenet":
      return googlenet();
    case "resnet50":
      return resnet50();
    case "densenet121":
      return densenet121();
  }
}
