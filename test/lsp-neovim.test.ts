// `dmreport lsp` in a real editor: Debian's Neovim (0.7), headless, attached with vim.lsp.start_client.
import { spawnSync } from "node:child_process";
import { mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { CLI, exampleCopy, REPO, tempFolder } from "./helpers.js";

const nvim = spawnSync("nvim", ["--version"], { encoding: "utf8" });
/** Where Neovim is, and always on CI (.ci/run installs it), where a missing one fails. */
const runNeovim = nvim.status === 0 || Boolean(process.env.CI);

/** The Lua script Neovim runs: it writes what the editor shows as JSON to `out`. */
function script(file: string, out: string, fixed: string[]): string {
  const lua = (value: unknown) => JSON.stringify(value);
  return `
local results = {}
local client_id = vim.lsp.start_client({
  name = "dmreport",
  cmd = { ${lua(process.execPath)}, ${lua(CLI)}, "lsp", "--stdio" },
  root_dir = vim.fn.fnamemodify(${lua(file)}, ":h:h:h"),
})
vim.cmd("edit " .. vim.fn.fnameescape(${lua(file)}))
local buf = vim.api.nvim_get_current_buf()
vim.lsp.buf_attach_client(buf, client_id)

local function shown()
  local list = {}
  for _, d in ipairs(vim.diagnostic.get(buf)) do
    table.insert(list, { line = d.lnum + 1, col = d.col + 1, code = d.code, message = d.message, severity = d.severity })
  end
  table.sort(list, function(a, b) return a.line < b.line end)
  return list
end

results.appeared = vim.wait(15000, function() return #vim.diagnostic.get(buf) > 0 end, 20)
results.broken = shown()

local client = vim.lsp.get_client_by_id(client_id)
local uri = vim.uri_from_bufnr(buf)
local completion = client.request_sync("textDocument/completion", { textDocument = { uri = uri }, position = { line = 4, character = 10 } }, 10000, buf)
results.completion = {}
for _, item in ipairs((completion and completion.result) or {}) do
  table.insert(results.completion, { label = item.label, detail = item.detail })
end
local hover = client.request_sync("textDocument/hover", { textDocument = { uri = uri }, position = { line = 4, character = 10 } }, 10000, buf)
results.hover = hover and hover.result and hover.result.contents.value or vim.NIL

-- The lead fixes the file as they would by hand, line by line.
vim.api.nvim_buf_set_lines(buf, 0, ${fixed.length}, false, ${"{"}${fixed.map(lua).join(", ")}${"}"})
results.cleared = vim.wait(15000, function() return #vim.diagnostic.get(buf) == 0 end, 20)
results.fixed = shown()

local file = io.open(${lua(out)}, "w")
file:write(vim.fn.json_encode(results))
file:close()
client.stop()
vim.cmd("qall!")
`;
}

describe.runIf(runNeovim)("dmreport lsp in Neovim", () => {
  it("shows the diagnostics of a broken fragment and clears them after the fix; completes register ids; shows a title on hover", () => {
    const file = "months/2017-12/1.02C.03.md";
    const original = readFileSync(join(REPO, "examples", "lsst-dm", file), "utf8");
    const broken = original.replace("wbs: 1.02C.03\n", "wbs: 1.02C.33\n").replace("    status: completed\n", "    status: complete\n");
    const source = exampleCopy("lsst-dm", { [file]: broken });
    const folder = tempFolder();
    const out = join(folder, "results.json");
    const lua = join(folder, "client.lua");
    const fixedLines = original.split("\n").slice(0, 7);
    writeFileSync(lua, script(join(source, file), out, fixedLines));
    const run = spawnSync("nvim", ["--headless", "-u", "NONE", "-i", "NONE", "-n", "-c", `luafile ${lua}`], {
      encoding: "utf8",
      timeout: 60_000,
      env: { ...process.env, DMREPORT_NO_SERVER: "1", XDG_STATE_HOME: folder, XDG_DATA_HOME: folder, XDG_CACHE_HOME: folder },
    });
    expect(run.error).toBeUndefined();
    const results = JSON.parse(readFileSync(out, "utf8")) as {
      appeared: boolean;
      broken: { line: number; col: number; code: string; message: string; severity: number }[];
      completion: { label: string; detail: string }[];
      hover: string;
      cleared: boolean;
      fixed: unknown[];
    };
    expect(results.appeared).toBe(true);
    expect(results.broken.map(({ line, col, code, severity }) => ({ line, col, code, severity }))).toEqual([
      { line: 2, col: 6, code: "wbs-unknown", severity: 1 },
      { line: 6, col: 13, code: "schema-enum", severity: 1 },
    ]);
    expect(results.broken[0]!.message).toContain("did you mean `1.02C.03`?");
    expect(results.completion.map((item) => item.label)).toEqual(expect.arrayContaining(["LDM-503-1", "LDM-503-2", "LDM-503-3"]));
    expect(results.completion.find((item) => item.label === "LDM-503-3")?.detail).toBe(
      "Test report: Alert Generation Validation (due 2017-11-30)",
    );
    expect(results.hover).toContain("**LDM-503-3** Test report: Alert Generation Validation");
    expect(results.cleared).toBe(true);
    expect(results.fixed).toEqual([]);
    // Neovim edited its buffer; the file on disk is as the lead left it.
    expect(readFileSync(join(source, file), "utf8")).toBe(broken);
  });
});

/** The Neovim version, as [major, minor]. */
const version = (/NVIM v(\d+)\.(\d+)/.exec(nvim.stdout ?? "") ?? []).slice(1).map(Number);

/** The Lua of the recipe that follows `marker` in docs/guide/editors.md. */
function recipe(marker: string): string {
  const page = readFileSync(join(REPO, "docs", "guide", "editors.md"), "utf8");
  const block = /```lua\n([\s\S]*?)```/.exec(page.slice(page.indexOf(marker)));
  if (!block) throw new Error(`no Lua recipe after ${marker}`);
  return block[1]!;
}

describe.runIf(runNeovim)("the Neovim recipes of docs/guide/editors.md", () => {
  const cases = [
    { marker: "**Neovim 0.7**", runs: true },
    { marker: "**Neovim 0.8 or newer**", runs: version.length === 2 && (version[0]! > 0 || version[1]! >= 8) },
  ];
  for (const { marker, runs } of cases)
    it.runIf(runs)(`${marker.replaceAll("*", "")}: a broken fragment opened shows its diagnostics`, () => {
      const file = "months/2018-01/1.02C.03.md";
      const source = exampleCopy("lsst-dm");
      writeFileSync(join(source, file), readFileSync(join(source, file), "utf8").replace("wbs: 1.02C.03\n", "wbs: 1.02C.33\n"));
      const folder = tempFolder();
      // dmreport on the PATH, as the recipes expect.
      mkdirSync(join(folder, "bin"));
      writeFileSync(join(folder, "bin", "dmreport"), `#!/bin/sh\nexec ${JSON.stringify(process.execPath)} ${JSON.stringify(CLI)} "$@"\n`, {
        mode: 0o755,
      });
      writeFileSync(join(folder, "init.lua"), recipe(marker));
      const out = join(folder, "out.json");
      writeFileSync(
        join(folder, "check.lua"),
        [
          `vim.cmd("edit " .. vim.fn.fnameescape(${JSON.stringify(join(source, file))}))`,
          "local buf = vim.api.nvim_get_current_buf()",
          "local shown = vim.wait(20000, function() return #vim.diagnostic.get(buf) > 0 end, 50)",
          "local codes = {}",
          "for _, d in ipairs(vim.diagnostic.get(buf)) do table.insert(codes, d.code) end",
          `local f = io.open(${JSON.stringify(out)}, "w")`,
          "f:write(vim.fn.json_encode({ shown = shown, codes = codes }))",
          "f:close()",
          'vim.cmd("qall!")',
        ].join("\n"),
      );
      const run = spawnSync(
        "nvim",
        ["--headless", "-u", join(folder, "init.lua"), "-i", "NONE", "-n", "-c", `luafile ${join(folder, "check.lua")}`],
        {
          encoding: "utf8",
          timeout: 60_000,
          env: {
            ...process.env,
            PATH: `${join(folder, "bin")}:${process.env.PATH}`,
            DMREPORT_NO_SERVER: "1",
            XDG_STATE_HOME: folder,
            XDG_DATA_HOME: folder,
            XDG_CACHE_HOME: folder,
            XDG_CONFIG_HOME: folder,
          },
        },
      );
      expect(run.error).toBeUndefined();
      expect(JSON.parse(readFileSync(out, "utf8"))).toEqual({ shown: true, codes: ["wbs-unknown"] });
    });
});
