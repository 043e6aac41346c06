// The publish guard when dmreport itself changes: another version that renders a published month
// differently (here its generator line) stops the build. This file runs dmreport as version 99.0.0.
import { describe, expect, it, vi } from "vitest";
import { build } from "../src/build.js";
import { exampleCopy, runCli } from "./helpers.js";

vi.mock("../src/core/package-root.js", async (original) => ({
  ...(await original<typeof import("../src/core/package-root.js")>()),
  VERSION: "99.0.0",
}));

describe("a published month after an upgrade of dmreport", () => {
  it("stops the build, naming the output and the line where the new version differs", async () => {
    const source = exampleCopy("minimal");
    // Published by the dmreport of this checkout.
    expect(runCli(["publish", "--month", "2026-10"], source).status).toBe(0);
    const result = await build({ source, month: "2026-10", formats: ["md", "html"], write: false });
    const html = String(result.rendered.find((file) => file.format === "html")!.content).split("\n");
    const line = html.findIndex((text) => text.includes("dmreport 99.0.0")) + 1;
    expect(line).toBeGreaterThan(0);
    const guard = result.diagnostics.filter((found) => found.rule === "published-changed");
    // Every published output is checked, the print HTML too though only md and html were asked.
    expect(guard.map((found) => found.message)).toEqual([
      expect.stringContaining(`and kestrel-2026-10.html would now differ from line ${line} (it now reads \`${html[line - 1]!.trim()}\`)`),
      expect.stringContaining(
        'and kestrel-2026-10.print.html would now differ from line 5 (it now reads `<meta name="generator" content="dmreport 99.0.0">`)',
      ),
    ]);
    expect(result.written).toEqual([]);
  });
});
