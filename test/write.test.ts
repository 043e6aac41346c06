// Write stage: outputs appear whole or not at all.
import { chmodSync, readFileSync, readdirSync, symlinkSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { changedFiles, writeOutputs } from "../src/write/index.js";
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

describe("changedFiles", () => {
  it("leaves out only a regular file that holds the very bytes, with the mode asked for", () => {
    const folder = tempFolder();
    writeFileSync(join(folder, "same.md"), "A\n");
    writeFileSync(join(folder, "other.md"), "B\n");
    writeFileSync(join(folder, "shorter.md"), "A");
    writeFileSync(join(folder, "target.md"), "A\n");
    symlinkSync(join(folder, "target.md"), join(folder, "link.md"));
    writeFileSync(join(folder, "mode.md"), "A\n");
    chmodSync(join(folder, "mode.md"), 0o600);
    const files = ["same.md", "other.md", "shorter.md", "link.md", "mode.md", "new.md"].map((name) => ({
      name,
      content: name === "same.md" ? Buffer.from("A\n") : "A\n",
      ...(name === "mode.md" && { mode: 0o644 }),
    }));
    expect(changedFiles(folder, files).map((file) => file.name)).toEqual(["other.md", "shorter.md", "link.md", "mode.md", "new.md"]);
  });
});
