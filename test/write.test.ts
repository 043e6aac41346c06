// Write stage: outputs appear whole or not at all.
import { chmodSync, readFileSync, readdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { writeOutputs } from "../src/write/index.js";
import { tempFolder } from "./helpers.js";

describe("writeOutputs", () => {
  it("writes every file and leaves no temporary file behind", () => {
    const folder = join(tempFolder(), "out");
    const written = writeOutputs(folder, [
      { name: "a.md", content: "A\n" },
      { name: "b.md", content: "B\n" },
    ]);
    expect(written).toEqual([join(folder, "a.md"), join(folder, "b.md")]);
    expect(readdirSync(folder)).toEqual(["a.md", "b.md"]);
    expect(readFileSync(join(folder, "b.md"), "utf8")).toBe("B\n");
  });

  it("leaves the earlier outputs as they were when a write fails", () => {
    const folder = tempFolder();
    writeFileSync(join(folder, "a.md"), "old A\n");
    // A name that cannot be created (its folder does not exist) fails after a.md was staged.
    expect(() =>
      writeOutputs(folder, [
        { name: "a.md", content: "new A\n" },
        { name: "missing/b.md", content: "B\n" },
      ]),
    ).toThrow();
    expect(readFileSync(join(folder, "a.md"), "utf8")).toBe("old A\n");
    expect(readdirSync(folder)).toEqual(["a.md"]);
  });

  it("fails cleanly in a folder it may not write to", () => {
    if (process.getuid?.() === 0) return; // root may write anywhere; the failure above covers the clean-up
    const folder = tempFolder();
    chmodSync(folder, 0o500);
    expect(() => writeOutputs(folder, [{ name: "a.md", content: "A\n" }])).toThrow();
    chmodSync(folder, 0o700);
  });
});
