// The incremental source model against a cold run: after random sequences of changes across
// months (a status edited, a text edited, a fragment renamed or deleted, a milestone re-planned,
// a published month changed), the lint server's memory, the language server and the preview
// give byte for byte what a process that starts afresh gives.
import { readFileSync, renameSync, rmSync, writeFileSync, existsSync, readdirSync } from "node:fs";
import { join } from "node:path";
import { PassThrough } from "node:stream";
import { pathToFileURL } from "node:url";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { lint } from "../src/lint.js";
import type { ParseMemo } from "../src/load/memo.js";
import { startLanguageServer } from "../src/lsp/server.js";
import { PreviewSite } from "../src/preview/site.js";
import { exampleCopy, runCli } from "./helpers.js";

const TODAY = "2026-11-05";
const EARLIER = ["2026-06", "2026-07", "2026-08"];
/** September is published; October is the month being written. */
const MONTHS = [...EARLIER, "2026-09", "2026-10"];
const ELEMENTS = ["4.1.1", "4.1.2", "4.2"];
const IDS = ["A2330", "CAMM6995", "KSW-M-7", "NOT-REGISTERED"];
const STATUSES = ["completed", "on-track", "at-risk", "delayed"];

const fragment = (wbs: string, month: string, statuses: readonly [string, string][], words: string) =>
  `---\nwbs: "${wbs}"\nmonth: ${month}\n${statuses.length ? `milestones:\n${statuses.map(([id, status]) => `  - { id: ${id}, status: ${status}${status === "at-risk" ? `, forecast: ${month}-28` : ""} }\n`).join("")}` : ""}---\n\n## Highlights\n\n${words}\n`;

/** The minimal example with three earlier months of reports, September published, files settled. */
function source(): string {
  const files: Record<string, string> = {};
  for (const month of EARLIER)
    for (const wbs of ELEMENTS)
      files[`months/${month}/${wbs}.md`] = fragment(
        wbs,
        month,
        wbs === "4.1.2" ? [["CAMM6995", "on-track"]] : [],
        `Work went on in ${month}.`,
      );
  const root = exampleCopy("minimal", files);
  const published = runCli(["publish", "--month", "2026-09"], root);
  expect(published.stderr).toBe("");
  return root;
}

type Change =
  | { kind: "status"; month: string; wbs: string; statuses: [string, string][] }
  | { kind: "text"; month: string; wbs: string; words: string }
  | { kind: "rename"; month: string; wbs: string }
  | { kind: "delete"; month: string; wbs: string }
  | { kind: "replan"; id: string; due: string }
  | { kind: "idPattern"; pattern: string | null }
  | { kind: "retire"; until: string | null };

const changes: fc.Arbitrary<Change> = fc.oneof(
  fc.record({
    kind: fc.constant("status" as const),
    month: fc.constantFrom(...MONTHS),
    wbs: fc.constantFrom(...ELEMENTS),
    statuses: fc.array(fc.tuple(fc.constantFrom(...IDS), fc.constantFrom(...STATUSES)), { maxLength: 2 }),
  }),
  fc.record({
    kind: fc.constant("text" as const),
    month: fc.constantFrom(...MONTHS),
    wbs: fc.constantFrom(...ELEMENTS),
    words: fc.constantFrom("Done.", "Work went on.", "Trailing space. ", "Nothing"),
  }),
  fc.record({ kind: fc.constant("rename" as const), month: fc.constantFrom(...MONTHS), wbs: fc.constantFrom(...ELEMENTS) }),
  fc.record({ kind: fc.constant("delete" as const), month: fc.constantFrom(...EARLIER), wbs: fc.constantFrom(...ELEMENTS) }),
  fc.record({
    kind: fc.constant("replan" as const),
    id: fc.constantFrom("A2330", "CAMM6995"),
    due: fc.constantFrom("2026-07-15", "2026-08-31", "2026-10-15"),
  }),
  // The register unchanged, judged under another pattern; an element retired, its milestone's owner with it.
  fc.record({ kind: fc.constant("idPattern" as const), pattern: fc.constantFrom("^[A-Z]+\\d+$", "^[A-Z]", null) }),
  fc.record({ kind: fc.constant("retire" as const), until: fc.constantFrom("2026-08", "2026-10", null) }),
);

/** The fragment of `wbs` in `month` as it stands (renamed or not), or undefined. */
function fragmentOf(root: string, month: string, wbs: string): string | undefined {
  const folder = join(root, "months", month);
  if (!existsSync(folder)) return undefined;
  const name = readdirSync(folder).find((file) => file === `${wbs}.md` || file === `${wbs}-renamed.md`);
  return name && join(folder, name);
}

function apply(root: string, change: Change): void {
  if (change.kind === "idPattern") {
    const path = join(root, "dmreport.yaml");
    const kept = readFileSync(path, "utf8").replace(/\nmilestones:\n  idPattern: .*\n$/, "\n");
    writeFileSync(path, change.pattern === null ? kept : `${kept}milestones:\n  idPattern: '${change.pattern}'\n`);
    return;
  }
  if (change.kind === "retire") {
    const path = join(root, "wbs.yaml");
    const until = change.until === null ? "" : `, until: ${change.until}`;
    writeFileSync(
      path,
      readFileSync(path, "utf8").replace(/\{ code: "4\.1\.1", title: Pointing[^}]*\}/, `{ code: "4.1.1", title: Pointing${until} }`),
    );
    return;
  }
  if (change.kind === "replan") {
    const path = join(root, "milestones.yaml");
    writeFileSync(
      path,
      readFileSync(path, "utf8").replace(new RegExp(`(id: ${change.id},[^\\n]*due: )\\d{4}-\\d{2}-\\d{2}`), `$1${change.due}`),
    );
    return;
  }
  const path = fragmentOf(root, change.month, change.wbs);
  if (change.kind === "status" || change.kind === "text") {
    const text = path && readFileSync(path, "utf8");
    const words = change.kind === "text" ? change.words : (/## Highlights\n\n([^\n]*)/.exec(text ?? "")?.[1] ?? "Work went on.");
    const statuses = change.kind === "status" ? change.statuses : [];
    writeFileSync(path ?? join(root, "months", change.month, `${change.wbs}.md`), fragment(change.wbs, change.month, statuses, words));
  } else if (path && change.kind === "rename")
    renameSync(path, path.endsWith("-renamed.md") ? path.replace("-renamed.md", ".md") : path.replace(/\.md$/, "-renamed.md"));
  else if (path && change.kind === "delete") rmSync(path);
}

/** A turn of the event loop and a little more: the watches report what changed, as before any request a server answers. */
const turn = () => new Promise((resolve) => setTimeout(resolve, 30));

const RUNS = Number(process.env.INCREMENTAL_RUNS ?? 6);

describe("the incremental source model", () => {
  it("lints as a cold run does after any sequence of changes (the lint server's memory)", async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(changes, { minLength: 1, maxLength: 8 }), async (sequence) => {
        const root = source();
        const memos = new Map<string, ParseMemo>();
        const files = ["months/2026-10/4.1.2.md", "months/2026-10/4.2.md"];
        const judge = (kept?: Map<string, ParseMemo>) =>
          JSON.stringify([lint({ cwd: root, files, memos: kept, today: TODAY }), lint({ cwd: root, memos: kept, today: TODAY })]);
        judge(memos);
        for (const change of sequence) {
          apply(root, change);
          await turn();
          expect(judge(memos), JSON.stringify(change)).toBe(judge());
        }
        for (const memo of memos.values()) memo.history?.close();
      }),
      { numRuns: RUNS },
    );
  }, 120_000);

  it("publishes the diagnostics a fresh language server publishes after any sequence of changes", async () => {
    /** A language server in this process, with the October fragment open with `text`; the diagnostics it publishes for it, by version. */
    const serve = async (root: string, text: string) => {
      const input = new PassThrough();
      const output = new PassThrough();
      const connection = startLanguageServer({ input, output, today: TODAY });
      const uri = pathToFileURL(join(root, "months/2026-10/4.1.2.md")).href;
      const published = new Map<number, unknown>();
      let waiting: { version: number; done: () => void } | undefined;
      let buffer = "";
      let next = 1;
      const answers = new Map<number, () => void>();
      output.on("data", (chunk: Buffer) => {
        buffer += chunk.toString();
        for (let header = /Content-Length: (\d+)\r\n\r\n/.exec(buffer); header; header = /Content-Length: (\d+)\r\n\r\n/.exec(buffer)) {
          const start = header.index + header[0].length;
          const length = Number(header[1]);
          if (Buffer.byteLength(buffer.slice(start)) < length) break;
          const message = JSON.parse(buffer.slice(start, start + length)) as {
            id?: number;
            method?: string;
            params?: { uri: string; version: number; diagnostics: unknown };
          };
          buffer = buffer.slice(start + length);
          if (message.method === "textDocument/publishDiagnostics" && message.params?.uri === uri) {
            published.set(message.params.version, message.params.diagnostics);
            if (waiting && message.params.version === waiting.version) waiting.done();
          }
          if (message.id !== undefined) answers.get(message.id)?.();
        }
      });
      const send = (message: object) => {
        const body = JSON.stringify({ jsonrpc: "2.0", ...message });
        input.write(`Content-Length: ${Buffer.byteLength(body)}\r\n\r\n${body}`);
      };
      const request = (method: string, params: object) =>
        new Promise<void>((done) => {
          const id = next++;
          answers.set(id, done);
          send({ id, method, params });
        });
      const judged = (version: number) =>
        new Promise<unknown>((done, fail) => {
          if (published.has(version)) return done(published.get(version));
          const timer = setTimeout(() => fail(new Error(`no diagnostics for version ${version}`)), 20_000);
          waiting = {
            version,
            done: () => {
              clearTimeout(timer);
              done(published.get(version));
            },
          };
        });
      await request("initialize", {
        processId: null,
        rootUri: pathToFileURL(root).href,
        capabilities: { workspace: { didChangeWatchedFiles: { dynamicRegistration: false } } },
      });
      send({ method: "initialized", params: {} });
      send({ method: "textDocument/didOpen", params: { textDocument: { uri, languageId: "markdown", version: 1, text } } });
      let version = 1;
      return {
        first: () => judged(1),
        /** Files changed on disk, as the client says; the open document touched, so that its diagnostics are published again. */
        changed: () => {
          send({ method: "workspace/didChangeWatchedFiles", params: { changes: [] } });
          version++;
          send({
            method: "textDocument/didChange",
            params: {
              textDocument: { uri, version },
              contentChanges: [{ range: { start: { line: 0, character: 0 }, end: { line: 0, character: 3 } }, text: "---" }],
            },
          });
          return judged(version);
        },
        /** The document closed and its last judgement let through, then the connection ended. */
        close: async () => {
          send({ method: "textDocument/didClose", params: { textDocument: { uri } } });
          await new Promise((resolve) => setTimeout(resolve, 100));
          // Not the end of its input: the server would end the process (the client is gone).
          connection.dispose();
        },
      };
    };
    await fc.assert(
      fc.asyncProperty(fc.array(changes, { minLength: 1, maxLength: 6 }), async (sequence) => {
        const root = source();
        // The editor's text of the open fragment stays as opened, whatever happens to the file on disk.
        const text = readFileSync(join(root, "months/2026-10/4.1.2.md"), "utf8");
        const warm = await serve(root, text);
        await warm.first();
        for (const change of sequence) {
          apply(root, change);
          await turn();
          const incremental = await warm.changed();
          const cold = await serve(root, text);
          expect(incremental, JSON.stringify(change)).toEqual(await cold.first());
          await cold.close();
        }
        await warm.close();
      }),
      { numRuns: Math.ceil(RUNS / 2) },
    );
  }, 180_000);

  it("previews the pages and diagnostics a fresh preview builds after any sequence of changes", async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(changes, { minLength: 1, maxLength: 6 }), async (sequence) => {
        const root = source();
        const site = new PreviewSite({ root, cwd: root, month: "2026-10" });
        // A source with errors builds no pages: the preview keeps showing the last good ones, so only the diagnostics compare.
        const shown = (state: { pages: Map<string, string>; diagnostics: unknown[] }, pages: boolean) =>
          JSON.stringify([pages ? [...state.pages] : [], state.diagnostics]);
        await site.rebuild();
        for (const change of sequence) {
          apply(root, change);
          await turn();
          const incremental = await site.rebuild();
          const fresh = new PreviewSite({ root, cwd: root, month: "2026-10" });
          const cold = await fresh.rebuild();
          const built = cold.pages.size > 0;
          expect(shown(incremental, built), JSON.stringify(change)).toBe(shown(cold, built));
          fresh.close();
        }
        site.close();
      }),
      { numRuns: Math.ceil(RUNS / 2) },
    );
  }, 180_000);
});
