/**
 * Half (a) of a study: a network trained on real Fashion-MNIST (the dense baseline is cached by
 * a hash of its architecture, data and training budget), then, per granularity, pruned down the
 * study's densities along its schedule with fine-tuning after every step (masks held), and
 * measured at every density: top-1 with float weights and after linear quantisation of the kept
 * weights, storage under every encoder, and accelerator cost with activation densities measured
 * on test images. Each finished density is checkpointed under `<out>/checkpoints/` so a resumed
 * chain continues from the last finished point.
 *
 * @module
 */
import {
  agp,
  DatasetError,
  iterative,
  type LayerPruneResult,
  type Mask,
  oneShot,
  pruneLayers,
  type Schedule,
} from "@sparsegrain/core";
import {
  applyMasks,
  channelStatistics,
  createModel,
  evaluateModel,
  evaluateQuantized,
  extractLayerWeights,
  type ImageDataset,
  type ImageSet,
  type LayersModel,
  loadFashionMnist,
  loadModel,
  locateFashionMnist,
  measureActivationDensity,
  modelCache,
  modelCacheKey,
  type Normalization,
  saveModel,
  setupWasmBackend,
  subsetImages,
  trainModel,
  type TrainProgress,
} from "@sparsegrain/models";
import { join } from "node:path";
import type { Study } from "../config/load.ts";
import type { AccuracyConfig, AccuracyModelConfig } from "../config/schema.ts";
import type { Progress } from "../progress.ts";
import { type ResultLine, RESULTS_SCHEMA } from "../results/schema.ts";
import { writeFileAtomic } from "../results/store.ts";
import { callPlugin, maskPicture, measure, pictureLayer, pluginRecords } from "./measure.ts";
import { modelLabel } from "./points.ts";
import type { AccuracyRunner } from "./sweep.ts";

/** Where trained baselines are cached: `$SPARSEGRAIN_CACHE/models`, else `.cache/models`. */
export function baselineCacheDir(): string {
  let root: string | undefined;
  try {
    root = Deno.env.get("SPARSEGRAIN_CACHE") || undefined;
  } catch {
    root = undefined;
  }
  return join(root ?? ".cache", "models");
}

/** The schedule of steps from density `from` down to `to`. */
export function scheduleSteps(config: AccuracyConfig, from: number, to: number): number[] {
  const spec = config.schedule;
  let schedule: Schedule;
  if (spec.kind === "one-shot") schedule = oneShot();
  else if (spec.kind === "agp") schedule = agp({ steps: spec.steps, initial: from });
  else schedule = iterative(spec.densities);
  return (schedule.steps(to) as number[]).filter((d, i, all) => d < from || i === all.length - 1);
}

function datasetDir(config: AccuracyConfig): string | undefined {
  return config.dataset.dir;
}

/** One-line message for a missing dataset: what is skipped and how to get the data. */
export function missingDatasetMessage(error: DatasetError, points: number): string {
  return `Skipping the accuracy half (${points} points): Fashion-MNIST was not found (${error.path}): install it with "apt-get install -y dataset-fashion-mnist", or pass --data DIR (or set SPARSEGRAIN_DATA) to a folder with the four IDX files; the weight-free half runs`;
}

interface Baseline {
  readonly key: string;
  readonly top1: number;
  readonly top1Quantized: number;
  readonly normalization: Normalization;
}

interface Data {
  readonly dataset: ImageDataset;
  readonly train: ImageSet;
  readonly test: ImageSet;
  readonly normalization: Normalization;
}

function safeName(id: string): string {
  return id.replace(/[^A-Za-z0-9._-]+/g, "_");
}

/** The checkpoint folder of a point. */
export function checkpointDir(out: string, pointId: string): string {
  return join(out, "checkpoints", safeName(pointId));
}

async function saveCheckpoint(dir: string, model: LayersModel, masks: Record<string, Mask>) {
  await saveModel(model, dir);
  const names = Object.keys(masks);
  const total = names.reduce((a, n) => a + masks[n].length, 0);
  const bytes = new Uint8Array(total);
  let offset = 0;
  for (const n of names) {
    bytes.set(masks[n], offset);
    offset += masks[n].length;
  }
  await writeFileAtomic(join(dir, "masks.bin"), bytes);
  await writeFileAtomic(
    join(dir, "masks.json"),
    JSON.stringify({ layers: names.map((n) => ({ name: n, length: masks[n].length })) }) + "\n",
  );
}

async function loadCheckpoint(
  dir: string,
): Promise<{ model: LayersModel; masks: Record<string, Mask> } | undefined> {
  try {
    const index = JSON.parse(await Deno.readTextFile(join(dir, "masks.json"))) as {
      layers: { name: string; length: number }[];
    };
    const bytes = await Deno.readFile(join(dir, "masks.bin"));
    const masks: Record<string, Mask> = {};
    let offset = 0;
    for (const { name, length } of index.layers) {
      masks[name] = bytes.slice(offset, offset + length);
      offset += length;
    }
    if (offset !== bytes.length) return undefined;
    return { model: await loadModel(dir), masks };
  } catch {
    return undefined; // missing or unreadable: the chain is recomputed from the baseline
  }
}

/** Creates the accuracy runner (call `CliDeps.ready()` first: it starts the tfjs backend). */
export function accuracyRunner(): AccuracyRunner {
  let data: { key: string; value: Data } | undefined;
  const baselines = new Map<string, Baseline>();

  async function loadData(config: AccuracyConfig, seed: number): Promise<Data> {
    const key = JSON.stringify([config.dataset, seed]);
    if (data?.key === key) return data.value;
    const dataset = await loadFashionMnist({ dir: datasetDir(config) });
    const train = config.dataset.trainSubset === undefined
      ? dataset.train
      : subsetImages(dataset.train, config.dataset.trainSubset, seed);
    const test = config.dataset.testSubset === undefined
      ? dataset.test
      : subsetImages(dataset.test, config.dataset.testSubset, 0);
    const value = { dataset, train, test, normalization: channelStatistics(train) };
    data = { key, value };
    return value;
  }

  function modelOptions(m: AccuracyModelConfig, d: Data, seed: number) {
    return {
      inputShape: m.input ?? [d.train.height, d.train.width, d.train.channels],
      classes: m.classes ?? d.train.classes,
      seed,
    };
  }

  async function baseline(
    study: Study,
    m: AccuracyModelConfig,
    seed: number,
    d: Data,
    progress: Progress,
  ): Promise<{ model: LayersModel; baseline: Baseline }> {
    const config = study.config.accuracy!;
    const options = modelOptions(m, d, seed);
    const key = await modelCacheKey({
      architecture: m.name,
      options,
      dataset: {
        name: config.dataset.name,
        trainSubset: config.dataset.trainSubset ?? null,
        subsetSeed: seed,
      },
      training: m.training,
    });
    const cache = modelCache(baselineCacheDir());
    let model: LayersModel;
    const hit = await cache.get(key);
    if (hit) {
      model = hit.model;
    } else {
      progress.detail(
        `${m.name} baseline: training ${m.training.epochs} epochs on ${d.train.count} images`,
      );
      model = createModel(m.name, options);
      await trainModel(model, d.train, {
        epochs: m.training.epochs,
        batchSize: m.training.batchSize,
        optimizer: m.training.optimizer === "sgd"
          ? { name: "sgd", momentum: m.training.momentum }
          : { name: "adam" },
        learningRate: m.training.learningRate,
        seed,
        normalization: d.normalization,
        progress: trainProgress(progress, `${m.name} baseline`),
        progressEvery: 20,
      });
      await cache.put(key, model, { architecture: m.name, trainImages: d.train.count });
    }
    const evalKey = `${key}/${d.test.count}/${config.quantizationBits}`;
    let b = baselines.get(evalKey);
    if (!b) {
      progress.detail(`${m.name} baseline: evaluating on ${d.test.count} test images`);
      const evalOptions = { normalization: d.normalization, batchSize: 256 };
      const float = evaluateModel(model, d.test, evalOptions);
      const quant = evaluateQuantized(model, d.test, {
        ...evalOptions,
        bits: config.quantizationBits,
      });
      b = { key, top1: float.top1, top1Quantized: quant.top1, normalization: d.normalization };
      baselines.set(evalKey, b);
    }
    return { model, baseline: b };
  }

  return {
    unavailable(study) {
      const config = study.config.accuracy;
      if (!config) return Promise.resolve(undefined);
      try {
        locateFashionMnist(datasetDir(config));
        return Promise.resolve(undefined);
      } catch (error) {
        if (!(error instanceof DatasetError)) throw error;
        const points = config.models.length * study.config.seeds.length *
          study.granularities.length * config.densities.length;
        return Promise.resolve(missingDatasetMessage(error, points));
      }
    },

    preflight(study, points) {
      const problems: string[] = [];
      const seen = new Set<string>();
      for (const p of points) {
        const label = modelLabel(p.model);
        if (seen.has(label)) continue;
        seen.add(label);
        try {
          const model = createModel(p.model.name, {
            ...(p.model.input ? { inputShape: p.model.input } : { inputShape: [28, 28, 1] }),
            classes: p.model.classes ?? 10,
            init: "zeros",
          });
          model.dispose();
        } catch (error) {
          problems.push(
            `Model "${label}" cannot be built for the dataset (${
              (error as Error).message.split("\n")[0]
            }): fix its input or classes`,
          );
        }
      }
      void study;
      return problems;
    },

    async prepare(study, model, seed, progress) {
      await setupWasmBackend();
      const d = await loadData(study.config.accuracy!, seed);
      const { model: trained } = await baseline(study, model, seed, d, progress);
      trained.dispose();
    },

    async runChain(study, chain, context) {
      await setupWasmBackend();
      const config = study.config.accuracy!;
      const first = chain[0];
      const d = await loadData(config, first.seed);
      const { progress, out, done } = context;
      progress.point(first.id, "accuracy");

      // Start after the last finished point whose checkpoint can be loaded.
      let start = 0;
      let state: { model: LayersModel; masks: Record<string, Mask> } | undefined;
      for (let i = chain.length - 1; i >= 0; i--) {
        if (!chain.slice(0, i + 1).every((p) => done.has(p.id))) continue;
        const loaded = await loadCheckpoint(checkpointDir(out, chain[i].id));
        if (loaded) {
          state = loaded;
          start = i + 1;
          break;
        }
      }
      const { model: baseModel, baseline: base } = await baseline(
        study,
        first.model,
        first.seed,
        d,
        progress,
      );
      let model: LayersModel;
      let masks: Record<string, Mask>;
      if (state) {
        baseModel.dispose();
        model = state.model;
        masks = state.masks;
      } else {
        model = baseModel;
        masks = {};
      }
      try {
        let previous = start > 0 ? chain[start - 1].density : 1;
        for (let i = start; i < chain.length; i++) {
          const point = chain[i];
          const t0 = performance.now();
          const startedAt = new Date().toISOString();
          progress.point(point.id, "accuracy");
          let pruned: LayerPruneResult[] = [];
          let pruneMs = 0;
          let trainMs = 0;
          const steps = scheduleSteps(config, previous, point.density);
          for (const [s, target] of steps.entries()) {
            const p0 = performance.now();
            const layers = extractLayerWeights(model);
            pruned = callPlugin(
              point.granularity,
              `while pruning "${point.model.name}"`,
              () =>
                pruneLayers(layers, {
                  granularity: point.granularity.plugin,
                  saliency: study.saliency.plugin,
                  density: target,
                  scope: study.config.scope,
                  exclude: [...study.config.exclude, ...config.exclude],
                  previous: masks,
                }),
            );
            masks = Object.fromEntries(pruned.map((r) => [r.layer, r.mask]));
            applyMasks(model, masks);
            pruneMs += performance.now() - p0;
            if (config.fineTune.samples > 0) {
              const t1 = performance.now();
              progress.detail(
                `${point.id}: fine-tuning step ${s + 1}/${steps.length} at density ${
                  target.toFixed(3)
                }`,
                true,
              );
              const subset = subsetImages(
                d.train,
                Math.min(config.fineTune.samples, d.train.count),
                point.seed * 1000 + point.index * 10 + s,
              );
              await trainModel(model, subset, {
                epochs: 1,
                batchSize: config.fineTune.batchSize,
                optimizer: { name: "adam" },
                learningRate: config.fineTune.learningRate,
                seed: point.seed + s,
                masks,
                normalization: d.normalization,
                progress: trainProgress(
                  progress,
                  `${point.id}: fine-tune ${s + 1}/${steps.length}`,
                ),
                progressEvery: 10,
              });
              trainMs += performance.now() - t1;
            }
          }
          if (done.has(point.id)) {
            // finished before, but its checkpoint is gone: recomputed only to continue the chain
            previous = point.density;
            continue;
          }
          const e0 = performance.now();
          progress.detail(`${point.id}: evaluating on ${d.test.count} test images`, true);
          const evalOptions = { normalization: d.normalization, batchSize: 256 };
          const float = evaluateModel(model, d.test, evalOptions);
          const quant = evaluateQuantized(model, d.test, {
            ...evalOptions,
            bits: config.quantizationBits,
            masks,
          });
          const actSet = subsetImages(d.test, Math.min(config.activationSamples, d.test.count), 1);
          const activation = measureActivationDensity(model, actSet, evalOptions);
          const evalMs = performance.now() - e0;
          const layers = extractLayerWeights(model);
          const m = measure(study, layers, pruned, (l) => activation[l.name]?.input ?? 1);
          const pic = pictureLayer(layers, study.config.report.maskLayer);
          const picIndex = pic ? layers.indexOf(pic) : -1;
          await saveCheckpoint(checkpointDir(out, point.id), model, masks);
          const line: ResultLine = {
            schema: RESULTS_SCHEMA,
            configHash: study.configHash,
            study: study.config.name,
            point: point.id,
            index: point.index,
            half: "accuracy",
            model: modelLabel(point.model),
            granularity: point.granularity.label,
            saliency: study.saliency.label,
            densityLabel: point.densityLabel,
            targetDensity: point.density,
            seed: point.seed,
            plugins: pluginRecords(study, point.granularity.label),
            timings: {
              startedAt,
              totalMs: Math.round(performance.now() - t0),
              pruneMs: Math.round(pruneMs),
              fineTuneMs: Math.round(trainMs),
              evaluateMs: Math.round(evalMs),
              storageMs: Math.round(m.storageMs),
              costMs: Math.round(m.costMs),
            },
            metrics: {
              params: m.params,
              kept: m.kept,
              density: m.params > 0 ? m.kept / m.params : 1,
              sparsity: m.params > 0 ? 1 - m.kept / m.params : 0,
              macs: m.macs,
              accuracy: {
                top1: float.top1,
                top1Quantized: quant.top1,
                quantizationBits: config.quantizationBits,
                baselineTop1: base.top1,
                baselineTop1Quantized: base.top1Quantized,
                testImages: float.count,
              },
              storage: m.storage,
              cost: m.cost,
              activation: "measured",
              weights:
                `trained on ${config.dataset.name} (${d.train.count} images), pruned and fine-tuned`,
            },
            layers: m.layers,
            ...(pic
              ? {
                maskPicture: maskPicture(pic, pruned[picIndex].mask, study.config.report.maskCrop),
              }
              : {}),
          };
          await context.emit(line, performance.now() - t0);
          previous = point.density;
        }
      } finally {
        model.dispose();
      }
    },
  };
}

function trainProgress(progress: Progress, what: string): (event: TrainProgress) => void {
  return (e) => {
    const text = `${what}: epoch ${e.epoch}/${e.epochs}${
      e.kind === "batch" ? ` batch ${e.batch}/${e.batches}` : ""
    }, loss ${e.loss.toFixed(3)}, ${Math.round(e.imagesPerSecond)} img/s`;
    progress.detail(text, e.kind === "batch");
  };
}
