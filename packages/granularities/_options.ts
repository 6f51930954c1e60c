import { ConfigError } from "@sparsegrain/core";

/**
 * Checks that `options` is a plain object (or undefined) whose keys are all in `known`.
 * Throws `ConfigError` naming `plugin.key` otherwise.
 */
export function checkOptionKeys(
  plugin: string,
  options: unknown,
  known: readonly string[],
): Readonly<Record<string, unknown>> {
  if (options === undefined || options === null) return {};
  if (typeof options !== "object" || Array.isArray(options)) {
    throw new ConfigError(
      plugin,
      `options must be an object, found ${
        Array.isArray(options) ? "an array" : typeof options
      }: pass { ${known.join(", ")} } or nothing`,
    );
  }
  const record = options as Record<string, unknown>;
  for (const key of Object.keys(record)) {
    if (!known.includes(key)) {
      throw new ConfigError(
        `${plugin}.${key}`,
        `unknown option: ${
          known.length > 0
            ? `use one of ${known.map((k) => `"${k}"`).join(", ")}`
            : `"${plugin}" takes no options`
        }`,
      );
    }
  }
  return record;
}

/** Returns `value` when it is one of `allowed`, `fallback` when undefined; else ConfigError. */
export function oneOf<T extends string>(
  plugin: string,
  key: string,
  value: unknown,
  allowed: readonly T[],
  fallback: T,
): T {
  if (value === undefined) return fallback;
  if (typeof value === "string" && (allowed as readonly string[]).includes(value)) {
    return value as T;
  }
  throw new ConfigError(
    `${plugin}.${key}`,
    `found ${JSON.stringify(value)}: use one of ${allowed.map((a) => `"${a}"`).join(", ")}`,
  );
}

/** Returns `value` when it is an integer in `min..max` (or in `extra`), `fallback` when undefined. */
export function integerIn(
  plugin: string,
  key: string,
  value: unknown,
  min: number,
  max: number,
  fallback: number,
  extra: readonly number[] = [],
): number {
  if (value === undefined) return fallback;
  if (
    typeof value === "number" && Number.isInteger(value) &&
    ((value >= min && value <= max) || extra.includes(value))
  ) {
    return value;
  }
  const range = min === max
    ? `one of ${[min, ...extra].join(", ")}`
    : `an integer in ${min}..${max}${extra.length ? ` or ${extra.join(", ")}` : ""}`;
  throw new ConfigError(`${plugin}.${key}`, `found ${JSON.stringify(value)}: use ${range}`);
}
