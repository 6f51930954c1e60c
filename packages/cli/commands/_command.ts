import type { LayerWeights } from "@sparsegrain/core";
import type { CommandSpec, ParsedFlags } from "../_flags.ts";
import type { Catalog } from "../config/catalog.ts";
import type { CliIO } from "../io.ts";
import type { AccuracyRunner } from "../study/sweep.ts";
import type { UnitPool } from "../study/pool.ts";
import type { ModelChoice } from "../study/points.ts";
import type { LayerShape } from "../study/weight_free.ts";

/** Per-layer facts of a zoo model, for `summary`. */
export interface ModelFacts {
  readonly model: string;
  readonly inputShape: readonly number[];
  readonly params: number;
  readonly weights: number;
  readonly macs: number;
  readonly layers: ReadonlyArray<LayerShape & { readonly params: number; readonly macs: number }>;
}

/** A saved tfjs model opened for pruning. */
export interface SavedModel {
  /** Its prunable layers with their weights. */
  readonly layers: LayerWeights[];
  /** Writes the model with `values` replacing each layer's weights into `dir`. */
  save(dir: string, values: ReadonlyMap<string, Float32Array>): Promise<void>;
  /** Frees the model. */
  dispose(): void;
}

/** What the commands need from the other packages; tests may pass their own. */
export interface CliDeps {
  /** Prepares what the model calls need (the tfjs backend); call before shapes, facts, openModel. */
  ready(): Promise<void>;
  /** Fresh registries with every built-in registered, and the factories and zoo names. */
  catalog(): Catalog;
  /** Prunable layer shapes of a zoo model. */
  shapes(model: ModelChoice): LayerShape[];
  /** Facts of a zoo model for `summary`. */
  facts(model: ModelChoice): ModelFacts;
  /** Opens a saved tfjs model (`model.json` + weights) from a folder. */
  openModel(dir: string): Promise<SavedModel>;
  /** The accuracy half. */
  accuracy: AccuracyRunner;
  /** A pool of `size` workers that runs a sweep's tasks in parallel; sequential when absent. */
  pool?: (size: number) => UnitPool;
}

/** A sub-command. */
export interface Command {
  readonly spec: CommandSpec;
  run(flags: ParsedFlags, context: CommandContext): Promise<number>;
}

/** What a command runs with. */
export interface CommandContext {
  readonly io: CliIO;
  readonly deps: CliDeps;
}
