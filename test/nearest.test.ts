// The nearest known value, offered for an unknown one.
import { describe, expect, it } from "vitest";
import { didYouMean, nearest } from "../src/validate/nearest.js";

describe("nearest", () => {
  it("offers the closest values only, a swap of neighbours counting as one edit", () => {
    expect(nearest("DM-DRP-23", ["DM-DRP-14", "DM-DRP-16", "DM-DRP-32", "DM-DRP-18"])).toEqual(["DM-DRP-32"]);
    expect(nearest("1.02C.33", ["1.02C.01", "1.02C.03", "02C.03.01"])).toEqual(["1.02C.03"]);
    expect(nearest("LDM-503-03", ["LDM-503-3", "LDM-503-2", "LDM-503-1"])).toEqual(["LDM-503-3"]);
    expect(nearest("recruitement update", ["Current accomplishments", "Planned activities", "Recruitment update"])).toEqual([
      "Recruitment update",
    ]);
  });

  it("offers nothing far off, nor the value itself", () => {
    expect(nearest("XYZ-1", ["DM-DRP-14", "LDM-503-3"])).toEqual([]);
    expect(nearest("ABCD", ["DCBA"])).toEqual([]);
    expect(nearest("A", ["A"])).toEqual([]);
  });

  it("words the suggestion", () => {
    expect(didYouMean(["A"])).toBe("did you mean `A`?");
    expect(didYouMean(["A", "B", "C"])).toBe("did you mean `A`, `B` or `C`?");
    expect(didYouMean([])).toBe("");
  });
});

describe("suggestions in lint's reports", () => {
  it("carries the nearest values in the JSON report, and in the message of every format", async () => {
    const { exampleCopy, runCli } = await import("./helpers.js");
    const source = exampleCopy("minimal", {
      "months/2026-10/4.2.md":
        '---\nwbs: "4.2"\nmonth: 2026-10\nmilestones:\n  - { id: A2331, status: completed, completed: 2026-10-14 }\n---\n\n## Highlights\n\nDone.\n',
    });
    const json = JSON.parse(runCli(["lint", "--format", "json"], source).stdout) as {
      diagnostics: { rule: string; suggestions?: string[]; message: string }[];
    };
    expect(json.diagnostics.find((found) => found.rule === "milestone-unknown")).toMatchObject({
      suggestions: ["A2330"],
      message: expect.stringContaining("did you mean `A2330`?"),
    });
    expect(runCli(["lint", "--format", "github"], source).stdout).toContain("did you mean `A2330`?");
  });
});

describe("ticket prefixes", () => {
  const withText = async (text: string) => {
    const { exampleCopy } = await import("./helpers.js");
    const { lint } = await import("../src/lint.js");
    const source = exampleCopy("lsst-dm", {
      "months/2018-01/02C.04.06.md": `---\nwbs: 02C.04.06\nmonth: 2018-01\n---\n\n## Current accomplishments\n\n${text}\n`,
    });
    return lint({ cwd: source, files: ["months/2018-01/02C.04.06.md"], today: "2026-11-24" }).sources[0]!.diagnostics.filter(
      (found) => found.rule === "ticket-prefix",
    );
  };

  it("suggests the prefix meant for a key in another case or with one letter slipped, underlining the prefix", async () => {
    const found = await withText("Closed Dm-12779, dm-3 and RCF-12; see also RFD-7.");
    expect(found.map((d) => [d.column, d.suggestions, d.span?.end.column])).toEqual([
      [8, ["DM"], 10],
      [18, ["DM"], 20],
      [27, ["RFC"], 30],
      [44, ["RFC"], 47],
    ]);
    expect(found[0]!.message).toBe("`Dm` is not a ticket prefix of this project (DM, RFC): did you mean `DM-12779`?");
    expect(found.every((d) => d.severity === "warning" && d.fix === undefined)).toBe(true);
  });

  it("leaves other names alone: document handles the links match, longer or shorter prefixes, code", async () => {
    expect(await withText("LDM-503, DMTN-37, LSE-61, SQR-12, DLP-544, `Dm-5` and the DM-12779 fix.")).toEqual([]);
  });
});
