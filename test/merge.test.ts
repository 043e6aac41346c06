// Merge stage: chapters pivoted by section, placeholders, and the computed Milestone Summary.
import { describe, expect, it } from "vitest";
import { loadSource } from "../src/load/index.js";
import { monthLabel } from "../src/core/calendar.js";
import { mergeReport } from "../src/merge/index.js";
import { validateSource } from "../src/validate/index.js";
import { exampleCopy, REPO } from "./helpers.js";

function tree(folder: string, month: string) {
  const { project, diagnostics } = validateSource(loadSource(folder, { months: [month] }).source);
  expect(diagnostics.filter((d) => d.severity === "error")).toEqual([]);
  return mergeReport(project!, month);
}

describe("mergeReport on the LSST example", () => {
  const report = tree(`${REPO}/examples/lsst-dm`, "2017-12");

  it("makes chapters in WBS order, splitting 1.02C.02 and leaving out 1.02C.09", () => {
    expect(report.chapters.map((chapter) => chapter.code)).toEqual([
      "1.02C.01",
      "1.02C.02.01",
      "1.02C.02.02",
      "1.02C.03",
      "1.02C.04",
      "1.02C.05",
      "1.02C.06",
      "1.02C.07",
      "1.02C.08",
      "1.02C.10",
    ]);
  });

  it("keeps only the sections a chapter has text for", () => {
    const systemManagement = report.chapters[0]!;
    expect(systemManagement.sections.map((section) => section.title)).toEqual(["Current accomplishments", "Planned activities"]);
  });

  it("pivots each element's part under its section, with the placeholder for an element without a fragment", () => {
    const alertProduction = report.chapters.find((chapter) => chapter.code === "1.02C.03")!;
    const [accomplishments, planned, recruitment] = alertProduction.sections;
    expect(accomplishments!.blocks.map((block) => block.element?.code)).toEqual([
      "02C.03.00",
      "02C.03.01",
      "02C.03.02",
      "02C.03.03",
      "02C.03.04",
      "02C.03.05",
      "02C.03.06",
      "02C.03.07",
      "02C.03.08",
    ]);
    expect(accomplishments!.blocks[2]).toMatchObject({
      placeholder: "No work was performed under this WBS element during this month.",
      depth: 1,
    });
    expect(planned!.blocks[2]).toMatchObject({ placeholder: "No work planned." });
    expect(recruitment!.blocks).toMatchObject([{ element: undefined, depth: 0 }]);
  });

  it("gives no heading to an intermediate element nobody reports on, and nests under one that has text", () => {
    const dax = report.chapters.find((chapter) => chapter.code === "1.02C.06")!;
    expect(dax.sections[0]!.blocks.map((block) => [block.element?.code, block.depth])).toEqual([
      ["02C.06.00", 1],
      ["02C.06.01.01", 1],
      ["02C.06.01.02", 1],
      ["02C.06.02.01", 1],
      ["02C.06.02.02", 1],
      ["02C.06.02.03", 1],
      ["02C.06.02.04", 1],
      ["02C.06.02.05", 1],
    ]);
    const networks = report.chapters.find((chapter) => chapter.code === "1.02C.08")!;
    expect(networks.sections[0]!.blocks.map((block) => [block.element?.code, block.depth])).toEqual([
      ["02C.08.01", 1],
      ["02C.08.02", 1],
      ["02C.08.03", 1],
      ["02C.08.03.01", 2],
      ["02C.08.03.02", 2],
    ]);
  });

  it("computes the Milestone Summary: level 2 first, then areas in WBS order, by due date then register order", () => {
    const summary = report.milestoneSummary.map((group) => [
      group.title,
      group.areas.map((area) => [area.title, area.milestones.map((line) => line.ids.join(", "))]),
    ]);
    expect(summary).toEqual([
      [
        "Milestones Completed",
        [
          ["Level 2 Milestones", ["LDM-503-2", "LDM-503-3"]],
          ["Data Release Production", ["DM-DRP-4", "DM-DRP-14", "DM-DRP-18"]],
          ["LSST Data Facility", ["DM-NCSA-27"]],
          ["International Communications & Base Site", ["DMTC-7400-2090", "DMTC-8000-0818", "DMTC-7400-2130"]],
          ["System Integration & Test", ["DLP-579"]],
        ],
      ],
      [
        "Milestones Delayed",
        [
          ["Level 2 Milestones", ["LDM-503-1"]],
          ["DM System Architecture", ["DLP-538, DLP-539, DLP-541, DLP-544"]],
          ["Data Release Production", ["DM-DRP-6", "DM-DRP-16", "DM-DRP-32"]],
          ["Science User Interface & Tools", ["DM-SUIT-5"]],
          [
            "Science Data Archive & Application Services",
            ["DLP-802", "DLP-472", "DLP-808", "DLP-799", "DLP-837", "DM-DAX-2", "DM-DAX-3", "DM-DAX-4", "DM-DAX-5"],
          ],
          ["LSST Data Facility", ["DLP-433", "DLP-442", "DLP-458", "DM-NCSA-29"]],
        ],
      ],
    ]);
  });
});

describe("mergeReport", () => {
  it("does not summarise on-track milestones, and leaves out a part nobody wrote", () => {
    const source = exampleCopy("minimal", {
      "months/2026-09/4.1.2.md":
        '---\nwbs: "4.1.2"\nmonth: 2026-09\nmilestones:\n  - { id: CAMM6995, status: on-track }\n---\n\n## Highlights\n\nWork went on.\n',
    });
    const report = tree(source, "2026-09");
    expect(report.milestoneSummary).toEqual([]);
    expect(report.parts).toEqual([]);
  });

  it("writes the month in the configured locale", () => {
    expect(monthLabel("2017-12", "en-US")).toBe("December 2017");
    expect(monthLabel("2026-03", "fr-FR")).toBe("mars 2026");
  });
});
