import assert from "node:assert/strict";
import {
  BitstreamError,
  ConfigError,
  DatasetError,
  DuplicatePluginError,
  LayerError,
  PluginNotFoundError,
  UserError,
} from "./errors.ts";

Deno.test("every domain error is a UserError with a message naming the subject and the fix", () => {
  const cases: [UserError, string][] = [
    [new LayerError("conv1", "shape", "expected rank 4: reshape"), 'Layer "conv1" has a bad shape'],
    [new PluginNotFoundError("encoder", "zip", ["csr"]), 'use one of "csr"'],
    [new DuplicatePluginError("encoder", "csr"), "already registered"],
    [new BitstreamError("csr", "truncated"), "re-encode the layer"],
    [new ConfigError("models[0]", "unknown model"), '"models[0]"'],
    [new DatasetError("/d", "missing"), '"/d"'],
  ];
  for (const [error, text] of cases) {
    assert.ok(error instanceof UserError);
    assert.ok(error.message.includes(text), error.message);
    assert.ok(!error.message.endsWith("."));
  }
});
