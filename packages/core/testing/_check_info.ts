import assert from "node:assert/strict";

/** Checks the fields every plugin carries. */
export function checkInfo(plugin: { name: string; version: string; describe(): string }): void {
  assert.match(plugin.name, /^[a-z0-9][a-z0-9:._-]*$/i, `plugin name "${plugin.name}"`);
  assert.match(
    plugin.version,
    /^\d+\.\d+\.\d+/,
    `plugin "${plugin.name}": version "${plugin.version}" is not semver`,
  );
  assert.ok(plugin.describe().length > 0, `plugin "${plugin.name}": describe() is empty`);
}
