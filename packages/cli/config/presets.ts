/**
 * Built-in per-layer density maps (layer-name pattern -> density). Sources: Han et al. 2015
 * ("Learning both Weights and Connections"), as quoted in the project's PAPER.md.
 *
 * @module
 */

/** A per-layer density map: layer-name pattern (`*`, `?`) -> density; `"*"` is the rest. */
export type DensityMap = Readonly<Record<string, number>>;

/**
 * Weights kept per layer in Han 2015's pruned AlexNet (11% overall) and VGG-16 (7.5%), and
 * AlexNet's input activation densities derived from Han 2015's "Act%" (the non-zero fraction of
 * each layer's output, which is the next layer's input; conv1's input is the image, density 1).
 */
export const DENSITY_PRESETS: Readonly<Record<string, DensityMap>> = {
  "han2015-alexnet": {
    conv1: 0.84,
    conv2: 0.38,
    conv3: 0.35,
    conv4: 0.37,
    conv5: 0.37,
    fc6: 0.09,
    fc7: 0.09,
    fc8: 0.25,
  },
  "han2015-vgg16": {
    conv1_1: 0.58,
    conv1_2: 0.22,
    conv2_1: 0.34,
    conv2_2: 0.36,
    conv3_1: 0.53,
    conv3_2: 0.24,
    conv3_3: 0.42,
    conv4_1: 0.32,
    conv4_2: 0.27,
    conv4_3: 0.34,
    conv5_1: 0.35,
    conv5_2: 0.29,
    conv5_3: 0.36,
    fc6: 0.04,
    fc7: 0.04,
    fc8: 0.23,
  },
  "han2015-alexnet-activations": {
    conv1: 1,
    conv2: 0.88,
    conv3: 0.52,
    conv4: 0.37,
    conv5: 0.40,
    fc6: 0.34,
    fc7: 0.36,
    fc8: 0.40,
  },
};

/** Whether `name` matches the glob `pattern` (`*` any run, `?` one character). */
export function globMatch(pattern: string, name: string): boolean {
  const re = new RegExp(
    "^" + pattern.replace(/[.+^${}()|[\]\\]/g, "\\$&").replace(/\*/g, ".*").replace(/\?/g, ".") +
      "$",
  );
  return re.test(name);
}

/**
 * Resolves a pattern map against layer names: exact names first, then the first matching
 * pattern in map order, then `"*"`. Returns the density per layer and the layers no entry
 * matched (they keep `fallback`, or are reported by the caller when it is undefined).
 */
export function resolveDensityMap(
  map: DensityMap,
  layers: readonly string[],
  fallback?: number,
): { densities: Record<string, number>; unmatched: string[]; unused: string[] } {
  const densities: Record<string, number> = {};
  const unmatched: string[] = [];
  const used = new Set<string>();
  const patterns = Object.keys(map).filter((k) => k !== "*");
  for (const layer of layers) {
    let key: string | undefined = layer in map ? layer : undefined;
    key ??= patterns.find((p) => globMatch(p, layer));
    if (key === undefined && "*" in map) key = "*";
    if (key !== undefined) {
      densities[layer] = map[key];
      used.add(key);
    } else if (fallback !== undefined) densities[layer] = fallback;
    else unmatched.push(layer);
  }
  const unused = Object.keys(map).filter((k) => !used.has(k));
  return { densities, unmatched, unused };
}
