/** `dmreport action`: what the GitHub Action runs; the work is in run.ts, loaded only when it runs. It is a thin layer over runAction(). */
import type { Command } from "commander";

export function registerAction(program: Command): void {
  program
    .command("action")
    .description("Lint and build as the GitHub Action does (inputs from INPUT_* variables): annotations, job summary, step outputs")
    .addHelpText(
      "after",
      "\nRun by action.yml; you do not need it elsewhere. It reads INPUT_COMMAND (lint, build or both), INPUT_SOURCE,\nINPUT_MONTH, INPUT_ALL_MONTHS, INPUT_FORMATS and INPUT_OUT, prints workflow commands (annotations), and appends\nto $GITHUB_STEP_SUMMARY and $GITHUB_OUTPUT when they are set. Exit status as dmreport lint and build.\n",
    )
    .action(async () => (await import("./run.js")).runActionCommand());
}
