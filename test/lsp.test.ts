// `dmreport lsp`: each request through vscode-jsonrpc, against the real command run as a child process.
import { spawn, type ChildProcess } from "node:child_process";
import { readFileSync, rmSync, utimesSync, writeFileSync } from "node:fs";
import { isAbsolute, join } from "node:path";
import { pathToFileURL } from "node:url";
import { afterEach, describe, expect, it } from "vitest";
import { createMessageConnection, StreamMessageReader, StreamMessageWriter, type MessageConnection } from "vscode-jsonrpc/node";
import { CLI, exampleCopy, REPO, runCli } from "./helpers.js";

interface Range {
  start: { line: number; character: number };
  end: { line: number; character: number };
}
interface LspDiagnostic {
  range: Range;
  severity: number;
  code: string;
  source: string;
  message: string;
  codeDescription: { href: string };
  data?: unknown;
}
interface Published {
  uri: string;
  version?: number;
  diagnostics: LspDiagnostic[];
}
interface TextEdit {
  range: Range;
  newText: string;
}

const running: { child: ChildProcess; connection: MessageConnection }[] = [];
afterEach(() => {
  for (const { child, connection } of running.splice(0)) {
    connection.dispose();
    child.kill();
  }
});

/** A client of a fresh `dmreport lsp --stdio`, initialized on `root`. */
async function client(root: string, capabilities: Record<string, unknown> = {}) {
  const child = spawn(process.execPath, [CLI, "lsp", "--stdio"], {
    stdio: ["pipe", "pipe", "pipe"],
    env: { ...process.env, DMREPORT_NO_SERVER: "1" },
  });
  let stderr = "";
  child.stderr!.on("data", (chunk: Buffer) => (stderr += chunk.toString()));
  const connection = createMessageConnection(new StreamMessageReader(child.stdout!), new StreamMessageWriter(child.stdin!));
  running.push({ child, connection });
  const published: Published[] = [];
  const waiters: (() => void)[] = [];
  connection.onNotification("textDocument/publishDiagnostics", (params: Published) => {
    published.push(params);
    for (const wake of waiters.splice(0)) wake();
  });
  const registrations: { method: string; registerOptions: unknown }[] = [];
  connection.onRequest("client/registerCapability", (params: { registrations: { method: string; registerOptions: unknown }[] }) => {
    registrations.push(...params.registrations);
    return null;
  });
  connection.listen();
  const init = (await connection.sendRequest("initialize", {
    processId: process.pid,
    rootUri: pathToFileURL(root).href,
    capabilities,
  })) as { capabilities: Record<string, unknown> };
  await connection.sendNotification("initialized", {});
  const versions = new Map<string, number>();
  // A file by its path in the source, or an absolute path (a file of another source the editor has open).
  const pathOf = (file: string) => (isAbsolute(file) ? file : join(root, file));
  const uriOf = (file: string) => pathToFileURL(pathOf(file)).href;

  return {
    init,
    registrations,
    connection,
    child,
    stderr: () => stderr,
    uriOf,
    async open(file: string, text = readFileSync(pathOf(file), "utf8"), languageId = file.endsWith(".md") ? "markdown" : "yaml") {
      versions.set(file, 1);
      await connection.sendNotification("textDocument/didOpen", { textDocument: { uri: uriOf(file), languageId, version: 1, text } });
    },
    async change(file: string, text: string) {
      const version = (versions.get(file) ?? 1) + 1;
      versions.set(file, version);
      await connection.sendNotification("textDocument/didChange", {
        textDocument: { uri: uriOf(file), version },
        contentChanges: [{ text }],
      });
    },
    /** The next diagnostics published for `file` after `count` earlier ones. */
    async diagnostics(file: string, after = 0): Promise<LspDiagnostic[]> {
      const uri = uriOf(file);
      const deadline = Date.now() + 20_000;
      for (;;) {
        const found = published.filter((params) => params.uri === uri);
        if (found.length > after) return found[after]!.diagnostics;
        if (Date.now() > deadline) throw new Error(`no diagnostics for ${file}; stderr: ${stderr}`);
        await new Promise<void>((resolve) => {
          waiters.push(resolve);
          setTimeout(resolve, 200);
        });
      }
    },
    published: (file: string) => published.filter((params) => params.uri === uriOf(file)).length,
    /** The document versions the diagnostics published for `file` were judged on. */
    versions: (file: string) => published.filter((params) => params.uri === uriOf(file)).map((params) => params.version),
    request: <T>(method: string, params: unknown) => connection.sendRequest(method, params) as Promise<T>,
  };
}

/** `text` with `edits` applied (ranges of the original text). */
function applyEdits(text: string, edits: readonly TextEdit[]): string {
  const lines = text.split("\n");
  const offset = (position: { line: number; character: number }) =>
    lines.slice(0, position.line).reduce((sum, line) => sum + line.length + 1, 0) + position.character;
  return [...edits]
    .sort((a, b) => offset(b.range.start) - offset(a.range.start))
    .reduce((result, edit) => result.slice(0, offset(edit.range.start)) + edit.newText + result.slice(offset(edit.range.end)), text);
}

const FILE = "months/2017-12/1.02C.03.md";
const ORIGINAL = readFileSync(join(REPO, "examples", "lsst-dm", FILE), "utf8");
const fiveMistakes = ORIGINAL.replace("wbs: 1.02C.03\n", "wbs: 1.02C.33\n")
  .replace("  - id: LDM-503-3\n", "  - id: LDM-503-03\n")
  .replace("    status: completed\n", "    status: complete\n")
  .replace("    completed: 2017-12-20\n", "    completed: 2017-12-32\n")
  .replace("## Recruitment update", "## Recruitement update");

describe("dmreport lsp", () => {
  it("judges the unsaved text as lint does, in the source's context, and clears the diagnostics once it is fixed", async () => {
    const root = exampleCopy("lsst-dm");
    const lsp = await client(root);
    expect(lsp.init.capabilities).toMatchObject({ hoverProvider: true, definitionProvider: true, completionProvider: expect.anything() });
    await lsp.open(FILE);
    expect(await lsp.diagnostics(FILE)).toEqual([]);
    await lsp.change(FILE, fiveMistakes);
    const found = await lsp.diagnostics(FILE, 1);
    expect(found.map((d) => [d.code, d.range.start.line + 1, d.range.start.character + 1, d.range.end.character + 1, d.severity])).toEqual([
      ["wbs-unknown", 2, 6, 14, 1],
      ["milestone-unknown", 5, 9, 19, 1],
      ["schema-enum", 6, 13, 21, 1],
      ["schema-format", 7, 16, 26, 1],
      ["fragment-unknown-section", 11, 4, 23, 1],
    ]);
    expect(found[0]).toMatchObject({
      source: "dmreport",
      message:
        "WBS code `1.02C.33` (this fragment's element) is not in wbs.yaml: did you mean `1.02C.03`? Otherwise add the element to wbs.yaml",
      codeDescription: { href: "https://github.com/lsst-dm/dmreport/blob/v0.1.0/docs/rules/wbs-unknown.md" },
    });
    // The file on disk was never touched: these are the buffer's problems.
    expect(readFileSync(join(root, FILE), "utf8")).toBe(ORIGINAL);
    await lsp.change(FILE, ORIGINAL);
    expect(await lsp.diagnostics(FILE, 2)).toEqual([]);
  });

  it("judges a burst of changes once, for its last version, and answers a hover sent after it first", async () => {
    const root = exampleCopy("lsst-dm");
    const lsp = await client(root);
    await lsp.open(FILE);
    expect(await lsp.diagnostics(FILE)).toEqual([]);
    // A thousand changes at once (a formatter, "replace all"), each a version of its own, then a hover.
    const last = ORIGINAL.replace("## Recruitment update", "## Recruitement update");
    const sent = Array.from({ length: 1000 }, (_, index) =>
      lsp.change(FILE, index === 999 ? last : ORIGINAL.replace("wbs:", `wbs:${" ".repeat(index % 7)}`)),
    );
    const hover = lsp
      .request<{ contents: { value: string } }>("textDocument/hover", {
        textDocument: { uri: lsp.uriOf(FILE) },
        position: { line: 4, character: 10 },
      })
      .then((answer) => ({ answer, published: lsp.published(FILE) }));
    await Promise.all(sent);
    // The hover is answered before the burst's judgement is published.
    expect(await hover).toMatchObject({ answer: { contents: { value: expect.stringContaining("**LDM-503-3**") } }, published: 1 });
    expect((await lsp.diagnostics(FILE, 1)).map((found) => found.code)).toEqual(["fragment-unknown-section"]);
    // And nothing more: the judgement of the last version (1001) alone is published.
    await new Promise((done) => setTimeout(done, 1500));
    expect(lsp.versions(FILE)).toEqual([1, 1001]);
  });

  it("stops, as it is typed, an unsaved change to an earlier month that would change a published month", async () => {
    const root = exampleCopy("minimal");
    expect(runCli(["publish", "--month", "2026-10"], root).status).toBe(0);
    const lsp = await client(root);
    const file = "months/2026-09/4.1.2.md";
    const text = readFileSync(join(root, file), "utf8");
    await lsp.open(file, text);
    expect(await lsp.diagnostics(file)).toEqual([]);
    // October shows September's forecast of CAMM6995: moving it, unsaved, changes October.
    await lsp.change(file, text.replace("forecast: 2026-09-30", "forecast: 2026-09-29"));
    const found = await lsp.diagnostics(file, 1);
    expect(found.map((each) => [each.code, each.range.start.line, each.message.slice(0, 36)])).toEqual([
      ["published-changed", 0, `2026-10 was published on ${new Date().toISOString().slice(0, 10)} `],
    ]);
    expect(found[0]!.message).toContain("since the statuses earlier months report changed");
    expect(readFileSync(join(root, file), "utf8")).toBe(text);
  });

  it("judges keystrokes from the earlier months kept in memory, and sees a change on disk to one of them once the typing pauses", async () => {
    const root = exampleCopy("minimal", {
      "months/2026-07/4.1.2.md":
        '---\nwbs: "4.1.2"\nmonth: 2026-07\nmilestones:\n  - { id: CAMM6995, status: completed, completed: 2026-07-20 }\n---\n\n## Highlights\n\nDone.\n',
    });
    const july = join(root, "months/2026-07/4.1.2.md");
    const anHourAgo = new Date(Date.now() - 3_600_000);
    utimesSync(july, anHourAgo, anHourAgo);
    await new Promise((done) => setTimeout(done, 2_100));
    const lsp = await client(root);
    const file = "months/2026-10/4.1.2.md";
    const text = readFileSync(join(root, file), "utf8");
    await lsp.open(file, text);
    const said = (found: LspDiagnostic[]) =>
      found
        .filter((each) => each.code === "milestone-completed-earlier")
        .map((each) => /completed on (\S+) in (\S+):/.exec(each.message)?.slice(1));
    expect(said(await lsp.diagnostics(file))).toEqual([["2026-07-20", "months/2026-07/4.1.2.md"]]);
    // Two keystrokes: the second is answered from memory.
    await lsp.change(file, `${text}\nA`);
    await lsp.diagnostics(file, 1);
    await lsp.change(file, `${text}\nAB`);
    await lsp.diagnostics(file, 2);
    // July changed on disk (a pull), with no word from the editor: seen once the typing pauses.
    writeFileSync(july, readFileSync(july, "utf8").replace("2026-07-20", "2026-07-21"));
    expect(said(await lsp.diagnostics(file, 3))).toEqual([["2026-07-21", "months/2026-07/4.1.2.md"]]);
  });

  it("publishes each source's judgement though another source changes while it is judged", async () => {
    const [first, second] = [exampleCopy("lsst-dm"), exampleCopy("lsst-dm")];
    const lsp = await client(first);
    const one = join(first, FILE);
    const other = join(second, FILE);
    await lsp.open(one);
    await lsp.open(other);
    expect(await lsp.diagnostics(one)).toEqual([]);
    expect(await lsp.diagnostics(other)).toEqual([]);
    // A change in the first, and while it is judged, one in the second.
    void lsp.change(one, fiveMistakes);
    await new Promise((done) => setTimeout(done, 20));
    void lsp.change(other, fiveMistakes);
    expect((await lsp.diagnostics(one, 1)).length).toBe(5);
    expect((await lsp.diagnostics(other, 1)).length).toBe(5);
  });

  it("offers each suggestion and each safe fix as a code action whose edit mends the text", async () => {
    const root = exampleCopy("lsst-dm");
    // December not yet published: its warnings are the lead's to act on (a published month's are left out).
    rmSync(join(root, "published.yaml"));
    rmSync(join(root, ".dmreport", "published"), { recursive: true });
    const lsp = await client(root);
    const text = fiveMistakes.replace("## Recruitement update", "## Recruitement update \n\nSee DM 12779.");
    await lsp.open(FILE, text);
    const found = await lsp.diagnostics(FILE);
    const uri = lsp.uriOf(FILE);
    const actions = await lsp.request<
      { title: string; kind: string; isPreferred?: boolean; edit: { changes: Record<string, TextEdit[]> } }[]
    >("textDocument/codeAction", {
      textDocument: { uri },
      range: { start: { line: 0, character: 0 }, end: { line: 20, character: 0 } },
      context: { diagnostics: found },
    });
    expect(actions.map((action) => [action.title, action.kind])).toEqual([
      ["Replace with `1.02C.03`", "quickfix"],
      ["Replace with `LDM-503-3`", "quickfix"],
      ["Replace with `completed`", "quickfix"],
      ["Replace with `Recruitment update`", "quickfix"],
      ["Remove the trailing spaces", "quickfix"],
      ["Write `DM-12779`", "quickfix"],
      ["Fix all safe problems in this file (2)", "source.fixAll.dmreport"],
    ]);
    const quickFixes = actions.filter((action) => action.kind === "quickfix").flatMap((action) => action.edit.changes[uri]!);
    const mended = applyEdits(text, quickFixes);
    expect(mended).toBe(
      ORIGINAL.replace("    completed: 2017-12-20\n", "    completed: 2017-12-32\n").replace(
        "## Recruitment update",
        "## Recruitment update\n\nSee DM-12779.",
      ),
    );
    await lsp.change(FILE, mended);
    expect((await lsp.diagnostics(FILE, 1)).map((d) => d.code)).toEqual(["schema-format"]);
    // Asked for the fix-all kind alone, as editors do on save.
    const onSave = await lsp.request<{ kind: string }[]>("textDocument/codeAction", {
      textDocument: { uri },
      range: { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } },
      context: { diagnostics: [], only: ["source.fixAll"] },
    });
    expect(onSave).toEqual([]);
  });

  it("completes WBS codes, milestone ids with their titles, statuses and section headings", async () => {
    const root = exampleCopy("lsst-dm");
    const lsp = await client(root);
    const text = "---\nwbs: 1.02C.03\nmonth: 2017-12\nmilestones:\n  - id: LDM-5\n    status: \n---\n\n## \n";
    const file = "months/2017-12/1.02C.03.md";
    await lsp.open(file, text);
    const uri = lsp.uriOf(file);
    type Item = { label: string; detail?: string; sortText?: string; textEdit: TextEdit; documentation?: { value: string } };
    const at = (line: number, character: number) =>
      lsp.request<Item[]>("textDocument/completion", { textDocument: { uri }, position: { line, character } });
    const wbs = await at(1, 12);
    expect(wbs.map((item) => item.label)).toContain("1.02C.03");
    expect(wbs.find((item) => item.label === "02C.03.01")).toMatchObject({
      detail: "Single Frame Processing",
      textEdit: { range: { start: { line: 1, character: 5 }, end: { line: 1, character: 12 } } },
    });
    const ids = await at(4, 14);
    expect(ids.find((item) => item.label === "LDM-503-3")).toMatchObject({
      detail: "Test report: Alert Generation Validation (due 2017-11-30)",
      textEdit: { newText: "LDM-503-3" },
    });
    // The register's ids in force in the fragment's month (DLP-544 is, until 2017-12); its own element's sort first.
    const sorted = [...ids].sort((a, b) => (a.sortText! < b.sortText! ? -1 : 1));
    expect(sorted[0]!.label).toBe("LDM-503-3");
    expect(ids.map((item) => item.label)).toContain("DLP-544");
    expect((await at(5, 12)).map((item) => item.label)).toEqual(["completed", "delayed", "at-risk", "on-track"]);
    expect((await at(8, 3)).map((item) => item.textEdit.newText)).toEqual([
      "## Current accomplishments",
      "## Planned activities",
      "## Recruitment update",
    ]);
    // In January, what December completed is offered last, with its completion date: nothing more to report of it.
    // (December's fragment closed: its unsaved text reports no completion.)
    await lsp.connection.sendNotification("textDocument/didClose", { textDocument: { uri } });
    const january = "months/2018-01/1.02C.03.md";
    await lsp.open(january, text.replace("month: 2017-12", "month: 2018-01"));
    const later = await lsp.request<Item[]>("textDocument/completion", {
      textDocument: { uri: lsp.uriOf(january) },
      position: { line: 4, character: 14 },
    });
    expect(later.find((item) => item.label === "LDM-503-3")?.detail).toBe(
      "Test report: Alert Generation Validation (due 2017-11-30, completed 2017-12-20)",
    );
    const order = [...later].sort((a, b) => (a.sortText! < b.sortText! ? -1 : 1)).map((item) => item.label);
    expect(order.indexOf("LDM-503-3")).toBeGreaterThan(order.indexOf("LDM-503-4"));
    expect(order[0]).not.toBe("LDM-503-3");
  });

  it("shows a milestone's title, level, due date and last status on hover, and goes to its register entry and its element", async () => {
    const root = exampleCopy("lsst-dm");
    const lsp = await client(root);
    const file = "months/2018-01/02C.04.01.md";
    await lsp.open(file);
    const uri = lsp.uriOf(file);
    const hover = await lsp.request<{ contents: { kind: string; value: string }; range: Range }>("textDocument/hover", {
      textDocument: { uri },
      position: { line: 4, character: 10 },
    });
    expect(hover.contents.kind).toBe("markdown");
    expect(hover.contents.value).toContain("**DM-DRP-6**");
    expect(hover.contents.value).toMatch(/Level \d · due \d{4}-\d{2}-\d{2} · `02C\.04\.01`/);
    // The December report's story of it: the same computation as the report's, lint's and status's.
    expect(hover.contents.value).toContain("Last month (2017-12): **delayed**, forecast 2018-01-31");
    expect(hover.range).toEqual({ start: { line: 4, character: 8 }, end: { line: 4, character: 16 } });
    const register = readFileSync(join(root, "milestones.yaml"), "utf8").split("\n");
    const definition = await lsp.request<{ uri: string; range: Range }>("textDocument/definition", {
      textDocument: { uri },
      position: { line: 4, character: 10 },
    });
    expect(definition.uri).toBe(lsp.uriOf("milestones.yaml"));
    expect(register[definition.range.start.line]!.slice(definition.range.start.character)).toMatch(/^DM-DRP-6\b/);
    const tree = readFileSync(join(root, "wbs.yaml"), "utf8").split("\n");
    const element = await lsp.request<{ uri: string; range: Range }>("textDocument/definition", {
      textDocument: { uri },
      position: { line: 1, character: 8 },
    });
    expect(element.uri).toBe(lsp.uriOf("wbs.yaml"));
    expect(tree[element.range.start.line]!.slice(element.range.start.character)).toMatch(/^"?02C\.04\.01\b/);
    expect(await lsp.request("textDocument/hover", { textDocument: { uri }, position: { line: 2, character: 0 } })).toBeNull();
  });

  it("checks dmreport.yaml, wbs.yaml and milestones.yaml as they are typed", async () => {
    const root = exampleCopy("lsst-dm");
    const lsp = await client(root);
    const register = readFileSync(join(root, "milestones.yaml"), "utf8");
    await lsp.open("milestones.yaml");
    expect(await lsp.diagnostics("milestones.yaml")).toEqual([]);
    await lsp.change("milestones.yaml", register.replace("due: 2017-11-30", "due: 2017-11-31"));
    const found = await lsp.diagnostics("milestones.yaml", 1);
    // The fragments' milestones wait for the register to be sound again, and it says so.
    expect(found.map((d) => d.code)).toEqual(["schema-format", "checks-skipped"]);
    await lsp.open("dmreport.yaml", "title: [\n");
    expect((await lsp.diagnostics("dmreport.yaml")).map((d) => d.code)).toContain("yaml-syntax");
  });

  it("survives any input: a half-typed file, a broken config, a deleted source, a document it never saw", async () => {
    const root = exampleCopy("lsst-dm");
    const lsp = await client(root);
    const file = "months/2017-12/new.md";
    await lsp.open(file, "---\nwbs: 1.0");
    expect((await lsp.diagnostics(file)).map((d) => d.code)).toEqual(["frontmatter-unclosed"]);
    for (const text of [
      "",
      "---",
      "---\n---\n",
      "\u0000\u0001",
      "---\nmilestones: [{id: \n---\n# ",
      "---\nwbs: *a\n---\n",
      `---\nwbs: 1.02C.03\nmonth: 2017-12\n---\n${"> ".repeat(5000)}x\n`,
    ]) {
      const count = lsp.published(file);
      await lsp.change(file, text);
      await lsp.diagnostics(file, count);
    }
    await lsp.open("dmreport.yaml", "title: Report\nsections: 3\n");
    expect((await lsp.diagnostics("dmreport.yaml")).map((d) => d.code)).toContain("schema-type");
    const completion = await lsp.request<unknown[]>("textDocument/completion", {
      textDocument: { uri: lsp.uriOf(file) },
      position: { line: 1, character: 5 },
    });
    expect(Array.isArray(completion)).toBe(true);
    expect(
      await lsp.request("textDocument/hover", {
        textDocument: { uri: pathToFileURL("/nowhere/x.md").href },
        position: { line: 0, character: 0 },
      }),
    ).toBeNull();
    // The source goes away under it: the open fragment's diagnostics are cleared, nothing breaks.
    const before = lsp.published(file);
    rmSync(join(root, "dmreport.yaml"));
    await lsp.change(file, "---\nwbs: 1.02C.03\nmonth: 2017-12\n---\n");
    expect(await lsp.diagnostics(file, before)).toEqual([]);
    writeFileSync(join(root, "dmreport.yaml"), readFileSync(join(REPO, "examples", "lsst-dm", "dmreport.yaml")));
    await lsp.connection.sendNotification("textDocument/didClose", { textDocument: { uri: lsp.uriOf("dmreport.yaml") } });
    const hover = await lsp.request<{ contents: { value: string } }>("textDocument/hover", {
      textDocument: { uri: lsp.uriOf(FILE) },
      position: { line: 4, character: 10 },
    });
    expect(hover).toBeNull(); // not open in the editor
    await lsp.open(FILE);
    const alive = await lsp.request<{ contents: { value: string } }>("textDocument/hover", {
      textDocument: { uri: lsp.uriOf(FILE) },
      position: { line: 4, character: 10 },
    });
    expect(alive.contents.value).toContain("LDM-503-3");
    expect(lsp.stderr()).toBe("");
    await lsp.request("shutdown", null);
    const exited = new Promise<number | null>((resolve) => lsp.child.once("exit", resolve));
    await lsp.connection.sendNotification("exit");
    expect(await exited).toBe(0);
  });

  it("ends when its input ends, as for exit: 0 once the client asked it to shut down, 1 if it did not", async () => {
    const root = exampleCopy("minimal");
    for (const [shutdown, status] of [
      [false, 1],
      [true, 0],
    ] as const) {
      const lsp = await client(root);
      await lsp.open("months/2026-10/4.1.1.md");
      if (shutdown) await lsp.request("shutdown", null);
      const exited = new Promise<number | null>((resolve) => lsp.child.once("exit", resolve));
      lsp.child.stdin!.end();
      expect(await exited).toBe(status);
      expect(lsp.stderr()).toBe("");
    }
  });

  it("answers a whole session written at once before its input ends (cat session | dmreport lsp), and ends where its input cannot be read", async () => {
    const root = exampleCopy("minimal");
    const uri = pathToFileURL(join(root, "months/2026-10/4.1.2.md")).href;
    const frame = (message: object) => {
      const body = JSON.stringify({ jsonrpc: "2.0", ...message });
      return `Content-Length: ${Buffer.byteLength(body)}\r\n\r\n${body}`;
    };
    const session = [
      frame({ id: 1, method: "initialize", params: { processId: null, rootUri: pathToFileURL(root).href, capabilities: {} } }),
      frame({ method: "initialized", params: {} }),
      frame({
        method: "textDocument/didOpen",
        params: {
          textDocument: { uri, languageId: "markdown", version: 1, text: readFileSync(join(root, "months/2026-10/4.1.2.md"), "utf8") },
        },
      }),
      frame({ id: 2, method: "textDocument/hover", params: { textDocument: { uri }, position: { line: 4, character: 10 } } }),
    ];
    const run = (input: string) =>
      new Promise<{
        status: number | null;
        answers: { id?: number; method?: string; result?: unknown; params?: { message?: string } }[];
        stderr: string;
      }>((resolve) => {
        const child = spawn(process.execPath, [CLI, "lsp", "--stdio"], { env: { ...process.env, DMREPORT_NO_SERVER: "1" } });
        let stdout = "";
        let stderr = "";
        child.stdout.on("data", (chunk: Buffer) => (stdout += chunk.toString()));
        child.stderr.on("data", (chunk: Buffer) => (stderr += chunk.toString()));
        child.once("close", (status) =>
          resolve({
            status,
            answers: stdout
              .split(/Content-Length: \d+\r\n\r\n/)
              .filter(Boolean)
              .map((body) => JSON.parse(body)),
            stderr,
          }),
        );
        child.stdin.end(input);
      });
    const answered = (found: Awaited<ReturnType<typeof run>>) =>
      found.answers.filter((answer) => answer.id !== undefined).map((answer) => answer.id);
    const shutDown = await run([...session, frame({ id: 3, method: "shutdown" })].join(""));
    expect(shutDown).toMatchObject({ status: 0, stderr: "" });
    expect(answered(shutDown)).toEqual([1, 2, 3]);
    expect(JSON.stringify(shutDown.answers.find((answer) => answer.id === 2)?.result)).toContain("CAMM6995");
    const notShutDown = await run(session.join(""));
    expect(notShutDown).toMatchObject({ status: 1, stderr: "" });
    expect(answered(notShutDown)).toEqual([1, 2]);
    // A header that is not `Name: value`: what came before is answered, the reason is in the editor's log, and the server ends.
    const lost = await run([...session, "Content-Length 5\r\n\r\nhello", frame({ id: 3, method: "shutdown" })].join(""));
    expect(lost).toMatchObject({ status: 1, stderr: "" });
    expect(answered(lost)).toEqual([1, 2]);
    expect(lost.answers.filter((answer) => answer.method === "window/logMessage").map((answer) => answer.params?.message)).toContainEqual(
      expect.stringMatching(
        /^dmreport \S+: the input can be read no further: Message header must separate key and value using ':': Content-Length 5$/,
      ),
    );
  });
});

describe("dmreport lsp and files changed on disk", () => {
  it("watches the source's files where the client can, and judges the open fragments again when one changes", async () => {
    const root = exampleCopy("lsst-dm");
    const lsp = await client(root, { workspace: { didChangeWatchedFiles: { dynamicRegistration: true } } });
    await lsp.open(FILE);
    expect(await lsp.diagnostics(FILE)).toEqual([]);
    const deadline = Date.now() + 10_000;
    while (!lsp.registrations.length && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 20));
    expect(lsp.registrations).toEqual([
      {
        id: expect.any(String),
        method: "workspace/didChangeWatchedFiles",
        registerOptions: {
          watchers: expect.arrayContaining([{ globPattern: "**/milestones.yaml" }, { globPattern: "**/months/**/*.md" }]),
        },
      },
    ]);
    // A pull removes the fragment's milestone from the register: the editor says so without a keystroke.
    const register = readFileSync(join(root, "milestones.yaml"), "utf8");
    writeFileSync(join(root, "milestones.yaml"), register.replace(/^.*id: LDM-503-3\b.*\n/m, ""));
    await lsp.connection.sendNotification("workspace/didChangeWatchedFiles", { changes: [{ uri: lsp.uriOf("milestones.yaml"), type: 2 }] });
    expect((await lsp.diagnostics(FILE, 1)).map((d) => d.code)).toEqual(["milestone-unknown"]);
  });
});

describe("dmreport lsp in a later month", () => {
  it("leaves out of completion the milestones that are no longer in the register", async () => {
    const root = exampleCopy("lsst-dm");
    const lsp = await client(root);
    const file = "months/2018-01/1.02C.02.md";
    await lsp.open(file, "---\nwbs: 1.02C.02\nmonth: 2018-01\nmilestones:\n  - id: DLP-5\n---\n");
    const ids = await lsp.request<{ label: string }[]>("textDocument/completion", {
      textDocument: { uri: lsp.uriOf(file) },
      position: { line: 4, character: 13 },
    });
    expect(ids.map((item) => item.label)).toContain("DLP-579");
    expect(ids.map((item) => item.label)).not.toContain("DLP-544");
  });
});
