/** The dmreport extension: starts `dmreport lsp --stdio` for the report sources in the workspace. */
import { existsSync } from "node:fs";
import { isAbsolute, join } from "node:path";
import { workspace, type ExtensionContext } from "vscode";
import { LanguageClient, TransportKind, type LanguageClientOptions, type ServerOptions } from "vscode-languageclient/node";

let client: LanguageClient | undefined;

/** The command to start: the setting, resolved against the workspace folder when it is a relative path. */
function command(): string {
  const configured = workspace.getConfiguration("dmreport").get<string>("path", "dmreport");
  if (isAbsolute(configured) || !configured.includes("/")) return configured;
  const folder = workspace.workspaceFolders?.[0]?.uri.fsPath;
  const resolved = folder ? join(folder, configured) : configured;
  return existsSync(resolved) ? resolved : configured;
}

export async function activate(context: ExtensionContext): Promise<void> {
  const server: ServerOptions = { command: command(), args: ["lsp", "--stdio"], transport: TransportKind.stdio };
  const options: LanguageClientOptions = {
    // Fragments, and the three files that give them their context.
    documentSelector: [
      { scheme: "file", language: "markdown", pattern: "**/months/**/*.md" },
      { scheme: "file", pattern: "**/{dmreport,wbs,milestones,published}.yaml" },
    ],
  };
  client = new LanguageClient("dmreport", "dmreport", server, options);
  context.subscriptions.push({ dispose: () => void client?.stop() });
  await client.start();
}

export async function deactivate(): Promise<void> {
  await client?.stop();
  client = undefined;
}
