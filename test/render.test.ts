// Render stage: links, heading placement, escaping, and templates a source overrides.
import { appendFileSync, mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { build } from "../src/build.js";
import { parseMarkdown } from "../src/load/markdown.js";
import { expandUrl } from "../src/render/links.js";
import { contentMarkdown, inlineMarkdown } from "../src/render/markdown.js";
import { burndownSvg, forecastHistorySvg } from "../src/render/charts.js";
import { carriedText } from "../src/render/milestone-story.js";
import { exampleCopy } from "./helpers.js";

const links = [
  { pattern: /\b(?:DM|RFC)-\d+\b/gu, url: "https://jira.example/browse/{0}" },
  { pattern: /\bLDM-(\d+)\b(?!-)/gu, url: "https://docs.example/ldm/{1}" },
];

describe("contentMarkdown", () => {
  it("links ticket keys and document handles, but not in code, links, or milestone ids", () => {
    const markdown = contentMarkdown(
      parseMarkdown("Fixed on DM-12779 (RFC-415), see LDM-503 and LDM-503-2; `DM-1` and [DM-2](https://x.example) stay.\n"),
      links,
      { parentLevel: 3, sourceDepth: 2 },
    );
    expect(markdown).toBe(
      "Fixed on [DM-12779](https://jira.example/browse/DM-12779) ([RFC-415](https://jira.example/browse/RFC-415)), " +
        "see [LDM-503](https://docs.example/ldm/503) and LDM-503-2; `DM-1` and [DM-2](https://x.example) stay.",
    );
  });

  it("moves fragment headings under the heading the content sits under, at most level 6", () => {
    const tree = parseMarkdown("### Detail\n\n#### Deeper\n\n##### Deepest\n");
    expect(contentMarkdown(tree, [], { parentLevel: 4, sourceDepth: 2 })).toBe("##### Detail\n\n###### Deeper\n\n###### Deepest");
  });

  it("places a part's own headings under the part", () => {
    expect(contentMarkdown(parseMarkdown("# Budget\n\nText.\n"), [], { parentLevel: 2, sourceDepth: 0 })).toBe("### Budget\n\nText.");
  });

  it("leaves the parsed tree untouched, so one parse serves every format", () => {
    const tree = parseMarkdown("### Detail DM-1\n");
    const copy = structuredClone(tree);
    contentMarkdown(tree, links, { parentLevel: 4, sourceDepth: 2 });
    expect(tree).toEqual(copy);
  });
});

describe("inlineMarkdown and expandUrl", () => {
  it("escapes plain text that would read as Markdown", () => {
    expect(inlineMarkdown("*Stars* & [brackets]")).toBe("\\*Stars\\* & \\[brackets]");
  });

  it("fills {0} with the match and {1}... with groups, URL-encoded", () => {
    expect(expandUrl("https://x.example/{0}?g={1}&h={2}", ["DM 1", "a/b"])).toBe("https://x.example/DM%201?g=a%2Fb&h={2}");
  });
});

/** A copy of examples/minimal whose config names the template folder `layout`. */
function withTemplateFolder(): string {
  const source = exampleCopy("minimal");
  appendFileSync(join(source, "dmreport.yaml"), "templates: layout\n");
  mkdirSync(join(source, "layout", "md"), { recursive: true });
  return source;
}

describe("templates", () => {
  it("print template syntax in fragments literally", async () => {
    const source = exampleCopy("minimal", {
      "months/2026-10/4.2.md":
        '---\nwbs: "4.2"\nmonth: 2026-10\n---\n\n## Highlights\n\nType {{title}} and {{{organisation}}} to see nothing happen.\n',
    });
    const result = await build({ source, month: "2026-10", write: false });
    expect(result.rendered[0]!.content).toContain("Type {{title}} and {{{organisation}}} to see nothing happen.");
  });

  it("use the source's override of a template by name, with the built-in partials", async () => {
    const source = withTemplateFolder();
    writeFileSync(join(source, "layout", "md", "report.hbs"), "{{title}} / {{monthLabel}}\n{{#each chapters}}\n{{> chapter}}\n{{/each}}\n");
    const result = await build({ source, month: "2026-10", write: false });
    expect(result.diagnostics).toEqual([]);
    expect(result.rendered[0]!.content.split("\n").slice(0, 3)).toEqual([
      "Kestrel Array Software Monthly Report / October 2026",
      "## 4.1: Telescope Control",
      "",
    ]);
  });

  it("report a broken override with its file and line", async () => {
    const source = withTemplateFolder();
    writeFileSync(join(source, "layout", "md", "chapter.hbs"), "## {{code}}\n{{#each sections}}\n{{title}}\n");
    const result = await build({ source, month: "2026-10", write: false });
    expect(result.diagnostics).toMatchObject([{ file: "layout/md/chapter.hbs", line: 4, rule: "template-syntax", severity: "error" }]);
    expect(result.rendered).toEqual([]);
  });
});

describe("templates", () => {
  it("come precompiled for every built-in template, as each escaping loads it", async () => {
    const { readdirSync, readFileSync } = await import("node:fs");
    const { precompiled } = await import("../src/render/templates.generated.js");
    const { templateKey, TEMPLATE_FOLDER } = await import("../src/render/templates.js");
    const sources = readdirSync(TEMPLATE_FOLDER).flatMap((format) =>
      readdirSync(join(TEMPLATE_FOLDER, format))
        .filter((file) => file.endsWith(".hbs"))
        .map((file) => readFileSync(join(TEMPLATE_FOLDER, format, file), "utf8")),
    );
    expect(sources).toHaveLength(10);
    for (const source of sources)
      for (const escapeHtml of [true, false]) expect(precompiled[templateKey(source, escapeHtml)]).toBeDefined();
    // An edited template is not one of them: it is compiled at run time.
    expect(precompiled[templateKey(`${sources[0]} `, true)]).toBeUndefined();
  });
});

describe("carriedText", () => {
  const line = {
    ids: ["CSP-1140"],
    title: "Correlator review",
    status: "at-risk" as const,
    due: "2026-05-21",
    carried: { scheduleMonth: "2026-02" },
  };
  it("says why a milestone nobody reported is in the summary: a forecast, or a missing report", () => {
    expect(carriedText(line, "2026-02", "en-GB")).toBe(
      "Forecast after its due date by the schedule export of February 2026; not reported in February 2026 (never reported).",
    );
    expect(
      carriedText(
        { ...line, status: "delayed", due: "2026-02-11", carried: { lastReported: "2026-01", scheduleMonth: "2026-02" } },
        "2026-02",
        "en-GB",
      ),
    ).toBe(
      "Not reported in February 2026 (last reported January 2026; forecast from the schedule export of February 2026): shown as delayed until its owner reports it.",
    );
    expect(carriedText({ ...line, carried: undefined }, "2026-02", "en-GB")).toBeUndefined();
  });
});

describe("counts in words", () => {
  it("read '1 milestone' and '1 day' for one, by the locale's plural rules, in every format", async () => {
    // One milestone in the register, delayed by a single day.
    const source = exampleCopy("minimal", {
      "milestones.yaml":
        'milestones:\n  - { id: A2330, title: First fringes with the new correlator, level: 1, wbs: "4.2", due: 2026-10-15 }\n',
      "months/2026-10/4.2.md":
        '---\nwbs: "4.2"\nmonth: 2026-10\nmilestones:\n  - { id: A2330, status: delayed, forecast: 2026-10-16, note: One day late. }\n---\n\n## Highlights\n\nAlmost.\n',
      "months/2026-10/4.1.2.md": '---\nwbs: "4.1.2"\nmonth: 2026-10\n---\n\n## Highlights\n\nQuiet.\n',
      "months/2026-10/4.1.1.md": '---\nwbs: "4.1.1"\nmonth: 2026-10\n---\n\n## Highlights\n\nQuiet too.\n',
      "months/2026-09/4.1.2.md": '---\nwbs: "4.1.2"\nmonth: 2026-09\n---\n\n## Highlights\n\nQuiet.\n',
    });
    const result = await build({ source, month: "2026-10", formats: ["md", "html", "print"], write: false });
    expect(result.diagnostics.filter((found) => found.severity === "error")).toEqual([]);
    const [md, html, print] = ["md", "html", "print"].map((format) => result.rendered.find((file) => file.format === format)!.content);
    for (const page of [html!, print!]) {
      expect(page).toContain('<li class="count delayed"><strong>1</strong> Milestone Delayed</li>');
      expect(page).toContain("slip +1 day this month, +1 day in all");
      expect(page).toContain("(1 day late)");
    }
    expect(md).toContain("slip +1 day this month, +1 day in all");
    expect(md).toContain("## Milestone Summary\n\n1 milestone delayed.\n");
    for (const text of [md!, html!, print!]) expect(text).not.toMatch(/\b1 (?:[Mm]ilestones|days)\b|\b1<\/strong> Milestones/);
    // The burndown (drawn once the plan spans two months or more) says it in words too.
    const burndown = (remaining: number, total: number) =>
      burndownSvg(
        {
          total,
          burndown: [
            { month: "2026-09", planned: total, remaining: total },
            { month: "2026-10", planned: 0, remaining },
          ],
          byArea: [],
        },
        "2026-10",
        "en-GB",
      );
    expect(burndown(1, 1)).toContain("At the end of October 2026, 1 of 1 milestone remains; by the plan, 0 would.");
    expect(burndown(2, 3)).toContain("At the end of October 2026, 2 of 3 milestones remain; by the plan, 0 would.");
  });
});

describe("the forecast history chart", () => {
  it("draws a slip of a day as a day, on an axis of whole months labelled once each", () => {
    const svg = forecastHistorySvg(
      [
        {
          id: "NU-CRY-01",
          title: "Cryostat filled",
          due: "2026-12-15",
          points: [
            { month: "2026-11", forecast: "2027-01-10" },
            { month: "2026-12", forecast: "2027-01-11" },
          ],
        },
      ],
      "en-GB",
    );
    const labels = [...svg.matchAll(/text-anchor="end">([^<]+)</g)].map((label) => label[1]);
    // Each line is a month's end: the axis starts at the end of the month before the first forecast.
    expect(labels).toEqual(["Dec 2026", "Jan 2027", "Feb 2027", "Mar 2027"]);
    const [first, second] = /<polyline class="forecast" points="[\d.]+,([\d.]+) [\d.]+,([\d.]+)"/.exec(svg)!.slice(1).map(Number);
    // The plot is 220 high over some 90 days: a day is under 3 units.
    expect(first! - second!).toBeGreaterThan(0);
    expect(first! - second!).toBeLessThan(3);
  });

  it("puts a month-end forecast on its month's line, and labels a long history's months without collisions", () => {
    const months = Array.from(
      { length: 14 },
      (_, index) => `20${25 + Math.floor(index / 12)}-${String((index % 12) + 1).padStart(2, "0")}`,
    );
    const svg = forecastHistorySvg(
      [
        {
          id: "HC-M08",
          title: "Crane commissioned",
          due: "2026-03-31",
          points: months.map((month, index) => ({ month, forecast: index < 10 ? "2026-03-31" : "2026-05-31" })),
        },
      ],
      "en-GB",
    );
    const lineOf = (label: string) => {
      const at = new RegExp(`<text class="tick" x="[\\d.]+" y="([\\d.]+)" text-anchor="end">${label}<`).exec(svg);
      return Number(at![1]) - 4;
    };
    const ys = [...svg.matchAll(/<circle cx="[\d.]+" cy="([\d.]+)"/g)].map((circle) => Number(circle[1]));
    expect(ys[0]).toBe(lineOf("Mar 2026"));
    expect(ys.at(-1)).toBe(lineOf("May 2026"));
    // Seven of the 14 months labelled, every other one counted back from the report month.
    const ticks = [...svg.matchAll(/text-anchor="middle">([^<]+)</g)].map((tick) => tick[1]);
    expect(ticks).toEqual(["Feb 2025", "Apr 2025", "Jun 2025", "Aug 2025", "Oct 2025", "Dec 2025", "Feb 2026"]);
  });
});
