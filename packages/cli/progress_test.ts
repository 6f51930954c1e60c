import assert from "node:assert/strict";
import { captureIO } from "./io.ts";
import { createProgress, formatDuration } from "./progress.ts";

Deno.test("createProgress() prints plain lines with an ETA when stderr is not a terminal", () => {
  const io = captureIO();
  const p = createProgress(io);
  p.start(3, 0, { "weight-free": 3 });
  p.point("a", "weight-free");
  p.pointDone("a", "weight-free", 1000);
  p.detail("epoch 1/2");
  p.pointDone("b", "weight-free", 3000);
  p.finish();
  assert.deepEqual(io.err.join("").split("\n").filter((l) => l), [
    "Running 3 points",
    "[1/3] a 1.0s, ETA 2.0s",
    "  epoch 1/2",
    "[2/3] b 3.0s, ETA 2.0s",
  ]);
});

Deno.test("createProgress() divides the ETA by the workers and marks kinds not yet timed with +", () => {
  const io = captureIO();
  const p = createProgress(io);
  p.start(5, 0, { accuracy: 3, "weight-free": 2 }, 2);
  p.pointDone("a", "accuracy", 4000);
  p.pointDone("b", "weight-free", 1000);
  assert.deepEqual(io.err.join("").split("\n").filter((l) => l), [
    "Running 5 points on 2 workers",
    "[1/5] a 4.0s, ETA 4.0s+",
    "[2/5] b 1.0s, ETA 4.5s",
  ]);
});

Deno.test("createProgress() with quiet prints only warnings", () => {
  const io = captureIO();
  const p = createProgress(io, { quiet: true });
  p.start(1, 0, { accuracy: 1 });
  p.warn("Skipping the accuracy half: no dataset");
  p.pointDone("a", "accuracy", 10);
  p.finish();
  assert.equal(io.err.join(""), "Skipping the accuracy half: no dataset\n");
});

Deno.test("createProgress() draws a live bar on a terminal", () => {
  const io = { ...captureIO(), errIsTerminal: true, columns: 100 };
  const p = createProgress(io);
  p.start(2, 1, { accuracy: 1 });
  p.point("x", "accuracy");
  assert.equal(io.err.at(-1), `\r\x1b[2K[${"#".repeat(12)}${"-".repeat(12)}] 1/2 ETA ? x`);
});

Deno.test("formatDuration() picks units", () => {
  assert.equal(formatDuration(12_345), "12.3s");
  assert.equal(formatDuration(185_000), "3m05s");
  assert.equal(formatDuration(3_725_000), "1h02m");
});
