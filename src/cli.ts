/** The dmreport command line: parse arguments, run a command, choose the exit status. */
import { Command, CommanderError } from "commander";
import { StoppedError, UsageError } from "./core/errors.js";
import { listenForStop } from "./commands/shared/stop.js";
import { VERSION } from "./core/package-root.js";
import { registerAction } from "./commands/action/index.js";
import { registerBuild } from "./commands/build/index.js";
import { registerImport } from "./commands/import/index.js";
import { registerImportMilestones } from "./commands/import-milestones/index.js";
import { registerInit } from "./commands/init/index.js";
import { registerLint } from "./commands/lint/index.js";
import { registerLsp } from "./commands/lsp/index.js";
import { registerNew } from "./commands/new/index.js";
import { registerPreview } from "./commands/preview/index.js";
import { registerPublish } from "./commands/publish/index.js";
import { registerSchemas } from "./commands/schemas/index.js";
import { registerStatus } from "./commands/status/index.js";
import { processOutput, type CliContext } from "./commands/shared/output.js";
import { printable, printableLines } from "./reporters/printable.js";

/**
 * Run dmreport with `argv` (without node and script); resolves to the exit status. `context`
 * gives the lint server its own output, folder and parse memos for a request; a command line
 * run uses the process's.
 */
export async function main(argv: readonly string[], context: CliContext = { output: processOutput() }): Promise<number> {
  const { output } = context;
  const program = new Command()
    .name("dmreport")
    .description("Build a project's monthly status report from per-WBS fragments kept in git")
    .version(VERSION, "-V, --version")
    .showHelpAfterError("(run dmreport --help for usage)")
    .exitOverride()
    .configureOutput({ writeOut: output.out, writeErr: (text) => output.err(printableLines(text)) });
  registerInit(program);
  registerNew(program);
  registerStatus(program);
  registerBuild(program);
  registerPreview(program);
  registerLint(program, context);
  registerLsp(program);
  registerPublish(program);
  registerImport(program);
  registerImportMilestones(program);
  registerSchemas(program);
  registerAction(program);
  for (const command of program.commands)
    command.exitOverride().configureOutput({ writeOut: output.out, writeErr: (text) => output.err(printableLines(text)) });
  if (context.signals !== false) listenForStop();
  try {
    await program.parseAsync([...argv], { from: "user" });
    return Number(process.exitCode ?? 0);
  } catch (error) {
    if (error instanceof CommanderError) {
      // Help and version are successes; every other argument problem is a usage error.
      return error.exitCode === 0 || error.code === "commander.helpDisplayed" || error.code === "commander.version" ? 0 : 2;
    }
    if (error instanceof StoppedError) {
      output.err(`dmreport: ${error.message}\n`);
      // As a shell reports a process ended by the signal: 128 + its number.
      return error.signalName === "SIGINT" ? 130 : 143;
    }
    if (error instanceof UsageError) {
      output.err(`dmreport: ${printable(error.message)}\n`);
      return 2;
    }
    const detail = process.env.DMREPORT_DEBUG ? (error as Error).stack : ((error as Error)?.message ?? String(error));
    output.err(
      `dmreport: internal error: ${printableLines(String(detail))}\nThis is a bug in dmreport; please report it with the command you ran.\n`,
    );
    return 2;
  }
}
