import assert from "node:assert/strict";
import { UserError } from "@sparsegrain/core";
import { ModelFileError } from "./model_file_error.ts";

Deno.test("ModelFileError is a UserError that names the path and the operation", () => {
  const e = new ModelFileError("save", "runs/x", "the path is a file: choose a folder path");
  assert.ok(e instanceof UserError);
  assert.equal(e.name, "ModelFileError");
  assert.equal(e.path, "runs/x");
  assert.equal(e.operation, "save");
  assert.equal(e.message, 'Cannot save model "runs/x": the path is a file: choose a folder path');
  assert.ok(!e.message.endsWith("."));
});
