// The language server's reader (src/lsp/reader.ts): the library's framing, and a run of changes to
// one document handed on as one change, which leaves the document as the changes one by one would.
import { PassThrough } from "node:stream";
import { describe, expect, it } from "vitest";
import type { Message } from "vscode-languageserver/node";
import { TextDocument } from "vscode-languageserver-textdocument";
import { BurstReader, together } from "../src/lsp/reader.js";

const A = "file:///source/months/2026-10/4.1.1.md";
const B = "file:///source/months/2026-10/4.1.2.md";
const TEXT = "---\nwbs: 4.1.1\n---\n\n## Highlights\n\nDone.\n";

/** A message as these tests look at it. */
interface Seen {
  method: string;
  params: { textDocument: { uri: string; version: number }; contentChanges: { text: string }[] };
}
const seen = (message: Message) => message as unknown as Seen;

let version = 1;
const change = (uri: string, line: number, text: string): Message =>
  ({
    jsonrpc: "2.0",
    method: "textDocument/didChange",
    params: {
      textDocument: { uri, version: ++version },
      contentChanges: [{ range: { start: { line, character: 0 }, end: { line, character: 0 } }, text }],
    },
  }) as Message;
const hover = {
  jsonrpc: "2.0",
  id: 7,
  method: "textDocument/hover",
  params: { textDocument: { uri: A }, position: { line: 1, character: 5 } },
} as Message;
const saved = { jsonrpc: "2.0", method: "textDocument/didSave", params: { textDocument: { uri: A } } } as Message;

const messages: Message[] = [
  {
    jsonrpc: "2.0",
    method: "textDocument/didOpen",
    params: { textDocument: { uri: A, languageId: "markdown", version: 1, text: TEXT } },
  } as Message,
  ...["é", "→ ", "🛰️", "x\n", "y"].map((text) => change(A, 6, text)),
  hover,
  ...["a", "b\r\n", "c"].map((text) => change(A, 2, text)),
  change(B, 0, "zz"),
  change(B, 0, "é"),
  change(A, 0, "#"),
  saved,
];

const frame = (message: Message) => {
  const body = Buffer.from(JSON.stringify(message));
  return Buffer.concat([Buffer.from(`Content-Length: ${body.length}\r\n\r\n`), body]);
};

/** What the reader hands on of `bytes`, written in the given pieces. */
function read(bytes: Buffer, cuts: number[]): { messages: Message[]; errors: string[] } {
  const input = new PassThrough();
  const reader = new BurstReader(input);
  const out: Message[] = [];
  const errors: string[] = [];
  reader.onError((error) => errors.push(error.message));
  reader.listen((message) => out.push(message));
  let from = 0;
  for (const cut of [...cuts, bytes.length]) {
    input.write(bytes.subarray(from, cut));
    from = cut;
  }
  return { messages: out, errors };
}

/** Each document as the messages leave it. */
function documents(sequence: Message[]): Record<string, string> {
  const open = new Map<string, TextDocument>();
  for (const message of sequence) {
    const { method, params } = message as unknown as { method?: string; params: never };
    if (method === "textDocument/didOpen") {
      const { uri, languageId, version, text } = (
        params as { textDocument: { uri: string; languageId: string; version: number; text: string } }
      ).textDocument;
      open.set(uri, TextDocument.create(uri, languageId, version, text));
    }
    if (method === "textDocument/didChange") {
      const { textDocument, contentChanges } = params as { textDocument: { uri: string; version: number }; contentChanges: never[] };
      const document = open.get(textDocument.uri) ?? TextDocument.create(textDocument.uri, "markdown", 0, "");
      open.set(textDocument.uri, TextDocument.update(document, contentChanges, textDocument.version));
    }
  }
  return Object.fromEntries([...open].map(([uri, document]) => [uri, `${document.version} ${document.getText()}`]));
}

describe("the language server's reader", () => {
  it("hands on each run of changes to one document as one change, with their changes in order and the last version", () => {
    const before = structuredClone(messages);
    const merged = together(messages);
    expect(merged.map((message) => [seen(message).method, seen(message).params.textDocument.uri === A ? "A" : "B"])).toEqual([
      ["textDocument/didOpen", "A"],
      ["textDocument/didChange", "A"],
      ["textDocument/hover", "A"],
      ["textDocument/didChange", "A"],
      ["textDocument/didChange", "B"],
      ["textDocument/didChange", "A"],
      ["textDocument/didSave", "A"],
    ]);
    const changes = merged.map(seen).filter((message) => message.method === "textDocument/didChange");
    expect(changes.map(({ params }) => [params.textDocument.version, params.contentChanges.map((each) => each.text).join("|")])).toEqual([
      [6, "é|→ |🛰️|x\n|y"],
      [9, "a|b\r\n|c"],
      [11, "zz|é"],
      [12, "#"],
    ]);
    expect(documents(merged)).toEqual(documents(messages));
    // What was read is left as it was: a message handed on is a copy where it was merged into.
    expect(messages).toEqual(before);
  });

  it("reads the same messages however the bytes are cut, through multi-byte characters and headers", () => {
    const bytes = Buffer.concat(messages.map(frame));
    const whole = read(bytes, []);
    expect(whole).toEqual({ messages: together(messages), errors: [] });
    for (let cut = 1; cut < bytes.length; cut++) {
      const twice = read(bytes, [cut]);
      expect(twice.errors).toEqual([]);
      expect(documents(twice.messages)).toEqual(documents(messages));
      expect(twice.messages.filter((message) => "id" in message)).toEqual([hover]);
    }
    const byteByByte = read(
      bytes,
      Array.from({ length: bytes.length - 1 }, (_, at) => at + 1),
    );
    // One at a time, no two changes arrive together: each is handed on as it came.
    expect(byteByByte).toEqual({ messages, errors: [] });
  });

  it("reports a message that is not JSON and reads on; a header without a length stops the reading", () => {
    const body = Buffer.from("{not json");
    const broken = Buffer.concat([Buffer.from(`Content-Length: ${body.length}\r\n\r\n`), body]);
    expect(read(Buffer.concat([broken, frame(saved)]), [])).toEqual({
      messages: [saved],
      errors: [expect.stringContaining("JSON")],
    });
    expect(read(Buffer.concat([Buffer.from("Content-Type: application/json\r\n\r\n"), frame(saved)]), [])).toEqual({
      messages: [],
      errors: ['Header must provide a Content-Length property, a number: ""'],
    });
    // A change that is not well formed is the connection's to answer: handed on as it came.
    const odd = { jsonrpc: "2.0", method: "textDocument/didChange", params: { textDocument: { uri: A }, contentChanges: [] } } as Message;
    expect(together([odd, odd])).toEqual([odd, odd]);
  });
});
