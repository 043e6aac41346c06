/** `dmreport action`: what the GitHub Action runs; the work is in run.ts, loaded only when it runs. It is a thin layer over runAction(). */
import type { Command } from "commander";

export function registerAction(program: Command): void {
  program
    .command("action")
    .description("Lint and build as the GitHub Action does (inputs from INPUT_* variables): annotations, job summary, step outputs")
    .addHelpText(
      "after",
      [
        "",
        "Run by action.yml; you do not need it elsewhere. It reads INPUT_COMMAND (lint, build or both), INPUT_SOURCE,",
        "INPUT_MONTH, INPUT_ALL_MONTHS, INPUT_FORMATS and INPUT_OUT, prints workflow commands (annotations), and appends",
        "to $GITHUB_STEP_SUMMARY and $GITHUB_OUTPUT when they are set. Exit status as dmreport lint and build.",
        "",
      ].join("\n"),
    )
    .action(async () => (await import("./run.js")).runActionCommand());
}
