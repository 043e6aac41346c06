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
      const connection = startLanguageServer({ input: process.stdin, output: process.stdout, cache: commandCache() });
      // The server runs until the client says exit (the connection ends the process) or its input
      // ends: then, as the protocol has it for exit, 0 if the client asked it to shut down first, else 1.
      let shutdown = false;
      connection.onShutdown(() => {
        shutdown = true;
      });
      await new Promise<void>((resolve) => process.stdin.once("end", resolve));
      process.exit(shutdown ? 0 : 1);
    });
}
