// The VS Code extension packages to a .vsix with @vscode/vsce, self-contained and starting `dmreport lsp --stdio`.
import { spawnSync } from "node:child_process";
import { readFileSync } from "node:fs";
import { builtinModules } from "node:module";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import yauzl from "yauzl";
import { REPO, tempFolder } from "./helpers.js";

/** Every file of a zip archive, by name. */
function unzip(path: string): Promise<Map<string, string>> {
  return new Promise((resolve, reject) => {
    yauzl.open(path, { lazyEntries: true }, (error, zip) => {
      if (error || !zip) return reject(error);
      const files = new Map<string, string>();
      zip.on("entry", (entry: yauzl.Entry) =>
        zip.openReadStream(entry, (failed, stream) => {
          if (failed || !stream) return reject(failed);
          const chunks: Buffer[] = [];
          stream.on("data", (chunk: Buffer) => chunks.push(chunk));
          stream.on("end", () => {
            files.set(entry.fileName, Buffer.concat(chunks).toString("utf8"));
            zip.readEntry();
          });
        }),
      );
      zip.on("end", () => resolve(files));
      zip.readEntry();
    });
  });
}

describe("the VS Code extension", () => {
  it("packages with vsce into a .vsix that needs no node_modules and starts dmreport lsp --stdio", async () => {
    const out = join(tempFolder(), "dmreport.vsix");
    const run = spawnSync(process.execPath, [join(REPO, "scripts", "package-vscode.mjs"), out], {
      cwd: REPO,
      encoding: "utf8",
      timeout: 120_000,
    });
    expect(run.stderr).toBe("");
    expect(run.status).toBe(0);
    const files = await unzip(out);
    expect([...files.keys()].sort()).toEqual([
      "[Content_Types].xml",
      "extension.vsixmanifest",
      "extension/LICENSE.txt",
      "extension/dist/extension.js",
      "extension/package.json",
      "extension/readme.md",
    ]);
    const manifest = JSON.parse(files.get("extension/package.json")!) as {
      main: string;
      activationEvents: string[];
      engines: { vscode: string };
      contributes: { configuration: { properties: Record<string, unknown> } };
    };
    expect(manifest.main).toBe("./dist/extension.js");
    expect(manifest.activationEvents).toEqual(["workspaceContains:**/dmreport.yaml"]);
    expect(Object.keys(manifest.contributes.configuration.properties)).toEqual(["dmreport.path", "dmreport.trace.server"]);
    const bundle = files.get("extension/dist/extension.js")!;
    // The language client is bundled in; only VS Code's own API is left to require.
    const required = [...bundle.matchAll(/require\("([^"]+)"\)/g)].map((match) => match[1]!).filter((name) => !name.startsWith("node:"));
    expect(new Set(required.filter((name) => !builtinModules.includes(name)))).toEqual(new Set(["vscode"]));
    expect(bundle).toContain('"lsp","--stdio"');
    expect(files.get("extension.vsixmanifest")).toContain('Id="dmreport" Version="0.1.0" Publisher="lsst-dm"');
    expect(readFileSync(join(REPO, "editors", "vscode", "package.json"), "utf8")).toContain('"version": "0.1.0"');
  });
});
