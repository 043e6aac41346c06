// `dmreport lsp` in a real editor: Debian's Neovim (0.7), headless, attached with vim.lsp.start_client.
import { spawnSync } from "node:child_process";
import { readFileSync, writeFileSync } from "node:fs";
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
    expect(results.completion.find((item) => item.label === "LDM-503-3")?.detail).toBe("Test report: Alert Generation Validation (due 2017-11-30)");
    expect(results.hover).toContain("**LDM-503-3** Test report: Alert Generation Validation");
    expect(results.cleared).toBe(true);
    expect(results.fixed).toEqual([]);
    // Neovim edited its buffer; the file on disk is as the lead left it.
    expect(readFileSync(join(source, file), "utf8")).toBe(broken);
  });
});
