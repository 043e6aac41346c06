/** `dmreport lsp`: options and help; the server is in src/lsp/, loaded only when it runs. */
import type { Command } from "commander";

export function registerLsp(program: Command): void {
  program
    .command("lsp")
    .description("Run the language server an editor starts: diagnostics as you type, completion, hover, go to definition")
    .option("--stdio", "talk the Language Server Protocol on standard input and output (the default, and the only transport)")
    .addHelpText(
      "after",
      [
        "",
        "An editor starts this command and talks to it; it is not run by hand. Fragments, dmreport.yaml,",
        "wbs.yaml and milestones.yaml are checked as they are typed, with lint's rules and messages, in the",
        'context of their source (the tree, the register, the month\'s other fragments). See "In your editor"',
        "in the README for Neovim, Helix and VS Code.",
        "",
        "Example (what an editor runs):",
        "  $ dmreport lsp --stdio",
        "",
      ].join("\n"),
    )
    .action(async () => {
      const { startLanguageServer } = await import("../../lsp/server.js");
      const { commandCache } = await import("../shared/cache.js");
      // Exit status 1 until the client asks for a shutdown (the protocol's, for an exit without one),
      // whatever ends the process: the client's exit, the end of its input (read as exit), a closed output.
      process.exitCode = 1;
      const connection = startLanguageServer({ input: process.stdin, output: process.stdout, cache: commandCache() });
      connection.onShutdown(() => {
        process.exitCode = 0;
      });
      // The connection ends the process.
      await new Promise<never>(() => undefined);
    });
}
