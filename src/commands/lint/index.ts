/** `dmreport lint`: options and help; the work is in run.ts, loaded only when it runs. */
import { InvalidArgumentError, Option, type Command } from "commander";
import { LINT_FORMATS } from "../../reporters/lint-formats.js";
import type { CliContext } from "../shared/output.js";
import * as messages from "./messages.js";
import type { LintFlags } from "./run.js";

export function registerLint(program: Command, context: CliContext): void {
  program
    .command("lint")
    .description(messages.description)
    .argument("[files...]", "files to check (default: the whole source around the current folder)")
    .addOption(new Option("-f, --format <format>", "how to report").choices(LINT_FORMATS).default("stylish"))
    .option("-q, --quiet", "report errors only")
    .option("--max-warnings <n>", "exit 1 when there are more warnings than this", wholeNumber)
    .option("--fix", "fix what is safe to fix mechanically, then report what is left")
    .option("--no-error-on-unmatched-pattern", "leave out a path that names no file of a report source, rather than exit 2")
    .addHelpText("after", messages.examples)
    .action(async (files: string[], flags: LintFlags) => (await import("./run.js")).runLint(files, flags, context));
}

function wholeNumber(value: string): number {
  if (!/^\d+$/.test(value)) throw new InvalidArgumentError("it must be a whole number, 0 or more");
  return Number(value);
}
