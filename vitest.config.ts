import { availableParallelism } from "node:os";
import { defineConfig } from "vitest/config";

/**
 * `npm run test:fast` (DMREPORT_TEST_TIER=fast): the tests that run dmreport in their own process
 * alone, with no CLI started, no browser, Java, pre-commit, Neovim or packing: a loop of seconds.
 * `npm test` runs every test, as CI does.
 */
export const FAST = ["html", "load", "merge", "milestone-state", "render", "rule-docs", "validate", "write"];

export default defineConfig({
  test: {
    include: process.env.DMREPORT_TEST_TIER === "fast" ? FAST.map((name) => `test/${name}.test.ts`) : ["test/**/*.test.ts"],
    reporters: ["default", "./test/summary-reporter.ts"],
    testTimeout: 30_000,
    globalSetup: ["./test/global-setup.ts"],
    // Most tests wait on the processes they start (the CLI, Chromium, pre-commit): two files at a
    // time even on two cores, where Vitest's default would run one.
    maxWorkers: Math.max(2, availableParallelism() - 1),
  },
});
