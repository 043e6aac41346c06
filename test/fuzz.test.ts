// Fuzzing: random and mutated sources only ever give diagnostics or outputs, never a crash or a hang.
// The suite runs a bounded number of cases; `npm run fuzz` runs many more (FUZZ_RUNS).
import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { build, UsageError } from "../src/build.js";
import { lint } from "../src/lint.js";
import { exampleCopy, REPO, runCli } from "./helpers.js";

const RUNS = Number(process.env.FUZZ_RUNS ?? 120);
const FILES = [
  "months/2026-10/4.2.md",
  "months/2026-10/4.1.2.md",
  "months/2026-10/summary.md",
  "wbs.yaml",
  "milestones.yaml",
  "dmreport.yaml",
];
const originals = Object.fromEntries(FILES.map((file) => [file, readFileSync(join(REPO, "examples", "minimal", file), "utf8")]));

/** Pieces that YAML, Markdown, Handlebars and HTML treat specially. */
const TOKENS = [
  "---",
  ":",
  ": ",
  "- ",
  "  ",
  "\t",
  "\n",
  "\r\n",
  "&a ",
  "*a",
  "!!binary ",
  "{",
  "}",
  "[",
  "]",
  "{{",
  "}}",
  "{{#each x}}",
  "<script>x()</script>",
  "<!--",
  "-->",
  "#",
  "## ",
  "> ",
  "```",
  "*",
  "_",
  "\\",
  '"',
  "'",
  "|",
  ">-",
  "%",
  "@",
  "\u0000",
  "\uFEFF",
  "\u202E",
  "2017-13-45",
  "9999999999999999999999",
  "null",
  "~",
  "DM 1",
  "DM-",
  "](javascript:x)",
  "![x](data:text/html,x)",
];

const mutation = fc.record({
  file: fc.constantFrom(...FILES),
  at: fc.nat(),
  cut: fc.nat({ max: 40 }),
  insert: fc.oneof(
    fc.constantFrom(...TOKENS),
    fc.string({ maxLength: 20 }),
    fc.array(fc.constantFrom(...TOKENS), { maxLength: 8 }).map((parts) => parts.join("")),
  ),
});

function mutate(text: string, { at, cut, insert }: { at: number; cut: number; insert: string }): string {
  const position = text.length ? at % text.length : 0;
  return text.slice(0, position) + insert + text.slice(position + cut);
}

describe("fuzzing", () => {
  it(`build and lint answer ${RUNS} mutated sources with diagnostics or outputs, never an exception`, async () => {
    const source = exampleCopy("minimal");
    await fc.assert(
      fc.asyncProperty(fc.array(mutation, { minLength: 1, maxLength: 4 }), async (mutations) => {
        const texts = { ...originals };
        for (const change of mutations) texts[change.file] = mutate(texts[change.file]!, change);
        for (const file of FILES) writeFileSync(join(source, file), texts[file]!);
        const started = Date.now();
        try {
          const built = await build({ source, month: "2026-10", formats: ["md", "html"], write: false });
          for (const found of built.diagnostics) expect(found.line).toBeGreaterThanOrEqual(1);
          if (!built.diagnostics.some((found) => found.severity === "error")) expect(built.rendered).toHaveLength(2);
        } catch (error) {
          if (!(error instanceof UsageError)) throw error;
        }
        lint({ cwd: source, today: "2026-11-24" });
        expect(Date.now() - started).toBeLessThan(5_000);
      }),
      { numRuns: RUNS, seed: Number(process.env.FUZZ_SEED ?? 20261124) },
    );
  }, 300_000);

  it("the CLI answers mutated sources with an exit status, never a stack trace", () => {
    const source = exampleCopy("minimal");
    fc.assert(
      fc.property(fc.array(mutation, { minLength: 1, maxLength: 3 }), (mutations) => {
        const texts = { ...originals };
        for (const change of mutations) texts[change.file] = mutate(texts[change.file]!, change);
        for (const file of FILES) writeFileSync(join(source, file), texts[file]!);
        for (const args of [["build", "--month", "2026-10", "--format", "md,html", "--out", join(source, "..", "fuzz-out")], ["lint"]]) {
          const run = runCli(args, source);
          expect([0, 1]).toContain(run.status);
          expect(run.stderr).not.toMatch(/internal error|\n\s+at \S+ \(/);
        }
      }),
      { numRuns: Math.max(5, Math.round(RUNS / 12)), seed: Number(process.env.FUZZ_SEED ?? 20261124) },
    );
  }, 300_000);
});
