/**
 * The sweep configuration: ONE zod schema from which the validator, the TypeScript types
 * (`z.output` / `z.input`) and `schema/sweep.schema.json` (via `z.toJSONSchema`) all come.
 * Every field is documented in docs/config.md.
 *
 * @module
 */
import { z } from "zod";

const allowedText = new WeakMap<object, string>();

/** Records the human description of a schema's allowed values, used in error messages. */
function allowed<T extends z.ZodType>(schema: T, text: string): T {
  allowedText.set(schema, text);
  return schema;
}

/** The allowed-values text recorded for `schema`, if any. */
export function allowedValues(schema: unknown): string | undefined {
  return typeof schema === "object" && schema !== null ? allowedText.get(schema) : undefined;
}

const DENSITY = "a number in (0, 1], e.g. 0.3";

function density(description: string) {
  return allowed(z.number().gt(0).lte(1).meta({ description }), DENSITY);
}

const name = allowed(
  z.string().min(1),
  "a non-empty name",
);

const mapName = allowed(
  z.string().regex(/^[A-Za-z0-9][A-Za-z0-9._-]*$/),
  'a name of letters, digits, ".", "_" or "-", e.g. "han2015-vgg16"',
);

/** A plugin by name, optionally with options and a label for tables and charts. */
const pluginObject = z.strictObject({
  name: name.meta({ description: "Registered plugin name" }),
  label: allowed(
    z.string().regex(/^[A-Za-z0-9][A-Za-z0-9()=,._:-]*$/),
    'a label of letters, digits and ()=,._:- e.g. "1d-column"',
  ).optional().meta({
    description: "Name shown in results and charts (default: the name, plus options)",
  }),
  options: z.record(z.string(), z.unknown()).optional().meta({
    description: "Options passed to the plugin's factory (built-ins only)",
  }),
});

function pluginRef(kind: string, examples: string[]) {
  return allowed(
    z.union([name, pluginObject]).meta({
      description: `A ${kind}: its registered name, or { name, label, options }`,
      examples,
    }),
    `a ${kind} name (string) or an object { name, label?, options? }`,
  );
}

const granularityRef = pluginRef("granularity", ["0d", "1d", "2d", "3d"]);
const saliencyRef = pluginRef("saliency metric", ["l1", "l2", "taylor"]);
const encoderRef = pluginRef("encoder", ["relative-index", "bitmask", "csr", "dense"]);
const acceleratorRef = pluginRef("accelerator model", ["scnn", "dense", "dense-opt"]);

const positiveInt = allowed(z.int().min(1), "a whole number >= 1");

const shape3 = allowed(
  z.tuple([positiveInt, positiveInt, positiveInt]).meta({
    description: "Input shape [height, width, channels]",
  }),
  "[height, width, channels], e.g. [28, 28, 1]",
);

/** Training budget of a baseline model. */
const training = z.strictObject({
  epochs: positiveInt.default(3).meta({ description: "Epochs over the training subset" }),
  batchSize: positiveInt.default(64).meta({ description: "Mini-batch size" }),
  optimizer: z.enum(["sgd", "adam"]).default("adam").meta({ description: "Optimiser" }),
  learningRate: allowed(z.number().positive(), "a number > 0, e.g. 0.001").default(0.001).meta({
    description: "Learning rate",
  }),
  momentum: allowed(z.number().min(0).lt(1), "a number in [0, 1)").default(0.9).meta({
    description: "Momentum (sgd only)",
  }),
});

const accuracyModel = z.strictObject({
  name: name.meta({ description: "Model zoo name, e.g. convnet, lenet5, resnet20" }),
  input: shape3.optional().meta({ description: "Input [H, W, C] (default: the dataset's)" }),
  classes: allowed(z.int().min(2), "a whole number >= 2").optional().meta({
    description: "Output classes (default: the dataset's)",
  }),
  training: training.default({
    epochs: 3,
    batchSize: 64,
    optimizer: "adam",
    learningRate: 0.001,
    momentum: 0.9,
  }).meta({ description: "Training budget of the dense baseline" }),
});

const dataset = z.strictObject({
  name: z.enum(["fashion-mnist"]).default("fashion-mnist").meta({ description: "Dataset" }),
  dir: z.string().min(1).optional().meta({
    description:
      "Folder with the IDX files (default: $SPARSEGRAIN_DATA, then /usr/share/datasets/fashion-mnist)",
  }),
  trainSubset: allowed(z.int().min(1).max(60000), "a whole number in [1, 60000]").optional()
    .meta({ description: "Use only the first N training images (default: all 60,000)" }),
  testSubset: allowed(z.int().min(1).max(10000), "a whole number in [1, 10000]").optional()
    .meta({ description: "Evaluate on the first N test images (default: all 10,000)" }),
});

const schedule = allowed(
  z.discriminatedUnion("kind", [
    z.strictObject({
      kind: z.literal("one-shot").meta({ description: "Prune straight to each density" }),
    }),
    z.strictObject({
      kind: z.literal("iterative"),
      densities: z.array(density("An intermediate density")).min(1).meta({
        description: "Intermediate uniform densities visited on the way down",
      }),
    }),
    z.strictObject({
      kind: z.literal("agp"),
      steps: allowed(z.int().min(1).max(100), "a whole number in [1, 100]").default(3).meta({
        description: "Cubic (Zhu & Gupta) steps from the previous density to the next",
      }),
    }),
  ]).meta({ description: "How each target density is reached from the previous one" }),
  '{ kind: "one-shot" }, { kind: "iterative", densities: [...] } or { kind: "agp", steps: N }',
);

const fineTune = z.strictObject({
  samples: allowed(z.int().min(0), "a whole number >= 0").default(4096).meta({
    description: "Training images seen after every pruning step (0: no fine-tuning)",
  }),
  batchSize: positiveInt.default(64).meta({ description: "Mini-batch size" }),
  learningRate: allowed(z.number().positive(), "a number > 0, e.g. 0.0005").default(0.0005)
    .meta({ description: "Learning rate (Adam) while fine-tuning" }),
});

const activation = allowed(
  z.union([z.number().min(0).max(1), mapName]).meta({
    description: "Input activation density: a number in [0, 1] or the name of a density map",
  }),
  'a number in [0, 1] or a density map name such as "han2015-alexnet-activations"',
);

const accuracy = z.strictObject({
  models: z.array(accuracyModel).min(1).default([{
    name: "convnet",
    training: { epochs: 3, batchSize: 64, optimizer: "adam", learningRate: 0.001, momentum: 0.9 },
  }]).meta({ description: "Networks trained on the dataset, then pruned" }),
  dataset: dataset.default({ name: "fashion-mnist" }).meta({ description: "Training data" }),
  densities: z.array(density("A target density")).min(1).default([0.5, 0.3, 0.2, 0.1, 0.05])
    .meta({ description: "Target densities, strictly decreasing; each is one result point" }),
  schedule: schedule.default({ kind: "agp", steps: 3 }),
  fineTune: fineTune.default({ samples: 4096, batchSize: 64, learningRate: 0.0005 }).meta({
    description: "Fine-tuning with masks held after every pruning step",
  }),
  quantizationBits: allowed(z.int().min(2).max(16), "a whole number in [2, 16]").default(8)
    .meta({ description: "Bits of the linear quantisation whose accuracy is measured" }),
  activationSamples: positiveInt.default(1000).meta({
    description: "Test images used to measure activation densities",
  }),
  exclude: z.array(z.string().min(1)).default([]).meta({
    description: "Layer-name patterns (* and ?) left dense in this half, besides exclude",
  }),
});

const weightFreeModel = z.strictObject({
  name: name.meta({ description: "Model zoo name, e.g. vgg16" }),
  input: shape3.optional().meta({ description: "Input [H, W, C] (default: the model's)" }),
  classes: allowed(z.int().min(2), "a whole number >= 2").optional().meta({
    description: "Output classes (default: the model's)",
  }),
  densityMaps: z.array(mapName).default([]).meta({
    description: "Per-layer density maps to evaluate, by name (built-in or from densityMaps)",
  }),
  activationDensity: activation.optional().meta({
    description: "Overrides weightFree.activationDensity for this model",
  }),
});

const weightFree = z.strictObject({
  models: z.array(z.union([name, weightFreeModel])).min(1).default([
    "alexnet",
    "vgg16",
    "googlenet",
    "resnet50",
    "densenet121",
  ]).meta({ description: "Architectures evaluated on seeded He-init weights (no training)" }),
  densities: z.array(density("A uniform density")).default([0.5, 0.3, 0.1]).meta({
    description: "Uniform densities evaluated for every model",
  }),
  activationDensity: activation.default(0.5),
  seeds: z.array(allowed(z.int().min(0).max(2 ** 31 - 1), "a whole number in [0, 2^31-1]"))
    .min(1).optional().meta({
      description: "Seeds of this half's He-init weights (default: the study's seeds)",
    }),
});

const quick = z.strictObject({
  trainSubset: allowed(z.int().min(1).max(60000), "a whole number in [1, 60000]").default(2000)
    .meta({ description: "Training images with --quick" }),
  testSubset: allowed(z.int().min(1).max(10000), "a whole number in [1, 10000]").default(1000)
    .meta({ description: "Test images with --quick" }),
  epochs: positiveInt.default(1).meta({ description: "Baseline epochs with --quick" }),
  fineTuneSamples: allowed(z.int().min(0), "a whole number >= 0").default(512).meta({
    description: "Fine-tuning images per step with --quick",
  }),
  densities: z.array(density("A target density")).min(1).default([0.5, 0.2]).meta({
    description: "Accuracy-half densities with --quick",
  }),
  weightFreeModels: z.array(name).min(1).default(["alexnet", "vgg16"]).meta({
    description: "Weight-free models kept with --quick (others are dropped)",
  }),
  weightFreeDensities: z.array(density("A uniform density")).default([0.3]).meta({
    description: "Weight-free uniform densities with --quick",
  }),
  seeds: z.array(allowed(z.int().min(0).max(2 ** 31 - 1), "a whole number in [0, 2^31-1]"))
    .min(1).optional().meta({ description: "Seeds with --quick (default: the study's seeds)" }),
});

const report = z.strictObject({
  maskLayer: z.string().min(1).optional().meta({
    description: "Layer pictured in the mask chart (default: each model's second prunable layer)",
  }),
  maskCrop: allowed(z.int().min(1).max(64), "a whole number in [1, 64]").default(12).meta({
    description: "Filters and input channels shown in the mask pictures",
  }),
  drops: z.array(allowed(z.number().positive().max(100), "a number in (0, 100]")).min(1)
    .default([0.5, 1]).meta({
      description: "Accuracy drops (percentage points) of the iso-accuracy table",
    }),
  primaryEncoder: z.string().min(1).optional().meta({
    description: "Encoder used for compression ratios (default: the first of encoders)",
  }),
});

/** The whole sweep file. */
export const sweepSchema = z.strictObject({
  version: z.literal(1).default(1).meta({ description: "Config format version" }),
  name: mapName.default("study").meta({ description: "Study name (default output: runs/<name>)" }),
  seeds: z.array(allowed(z.int().min(0).max(2 ** 31 - 1), "a whole number in [0, 2^31-1]"))
    .min(1).default([0]).meta({ description: "Seeds; every point runs once per seed" }),
  plugins: z.array(z.string().min(1)).default([]).meta({
    description: "User plugin modules: paths relative to this file, or URLs",
  }),
  granularities: z.array(granularityRef).min(1).default(["0d", "1d", "2d", "3d"]).meta({
    description: "Granularities compared",
  }),
  saliency: saliencyRef.default("l1"),
  scope: z.enum(["layer", "global"]).default("layer").meta({
    description: "Density per layer, or one global ranking (uniform densities only)",
  }),
  exclude: z.array(z.string().min(1)).default([]).meta({
    description: "Layer-name patterns (* and ?) left dense",
  }),
  encoders: z.array(encoderRef).min(1).default(["relative-index", "bitmask", "csr", "dense"])
    .meta({ description: "Storage encoders measured at every point" }),
  accelerators: z.array(acceleratorRef).default(["scnn", "dense"]).meta({
    description: "Accelerator cost models evaluated at every point",
  }),
  densityMaps: z.record(mapName, z.record(z.string().min(1), density("A layer's density")))
    .default({}).meta({
      description: "Named per-layer density maps: layer-name pattern -> density ('*' = rest)",
    }),
  accuracy: accuracy.optional().meta({
    description: "Half (a): train on real data, prune along a schedule, measure accuracy",
  }),
  weightFree: weightFree.optional().meta({
    description: "Half (b): architectures on seeded weights, storage and memory references",
  }),
  quick: quick.default({
    trainSubset: 2000,
    testSubset: 1000,
    epochs: 1,
    fineTuneSamples: 512,
    densities: [0.5, 0.2],
    weightFreeModels: ["alexnet", "vgg16"],
    weightFreeDensities: [0.3],
  }).meta({ description: "What --quick shrinks the study to" }),
  report: report.default({ maskCrop: 12, drops: [0.5, 1] }).meta({
    description: "Report options",
  }),
}).meta({
  title: "sparsegrain sweep",
  description: "A sparsegrain study: what to prune, how, and what to measure",
});

/** A validated sweep config with every default filled in. */
export type SweepConfig = z.output<typeof sweepSchema>;
/** A plugin reference as written. */
export type PluginRef = z.output<typeof granularityRef>;
/** The accuracy half. */
export type AccuracyConfig = z.output<typeof accuracy>;
/** The weight-free half. */
export type WeightFreeConfig = z.output<typeof weightFree>;
/** One weight-free model entry. */
export type WeightFreeModelConfig = z.output<typeof weightFreeModel>;
/** One accuracy model entry. */
export type AccuracyModelConfig = z.output<typeof accuracyModel>;
/** The schedule. */
export type ScheduleConfig = z.output<typeof schedule>;

/** The JSON Schema of the sweep file (input form: fields with defaults are optional). */
export function sweepJsonSchema(): Record<string, unknown> {
  return z.toJSONSchema(sweepSchema, { io: "input", target: "draft-2020-12" }) as Record<
    string,
    unknown
  >;
}
