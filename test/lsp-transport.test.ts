// The language server's reader (src/lsp/transport.ts): the library's framing, and a run of changes to
// one document handed on as one change, which leaves the document as the changes one by one would.
import { PassThrough, Writable } from "node:stream";
import { describe, expect, it } from "vitest";
import type { Message } from "vscode-languageserver/node";
import { TextDocument } from "vscode-languageserver-textdocument";
import { BurstReader, together, WholeMessageWriter } from "../src/lsp/transport.js";

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

  it("reports a message that is not JSON and reads on; ends as the client's exit where the framing is lost or the input ends", () => {
    const body = (text: string) => Buffer.concat([Buffer.from(`Content-Length: ${Buffer.byteLength(text)}\r\n\r\n`), Buffer.from(text)]);
    expect(read(Buffer.concat([body("{not json"), frame(saved)]), [])).toEqual({
      messages: [saved],
      errors: [expect.stringContaining("JSON")],
    });
    // JSON that is no message is the connection's to answer, as the library's reader left it.
    expect(read(Buffer.concat([body("null"), body("[1]"), frame(saved)]), [])).toEqual({ messages: [null, [1], saved], errors: [] });
    const exit = { jsonrpc: "2.0", method: "exit" };
    // What was read before is handed on first; nothing after.
    for (const [header, why] of [
      ["Content-Type: application/json\r\n\r\n", 'a message\'s header must give its Content-Length, a number of bytes: ""'],
      ["Content-Length: -1\r\n\r\n", 'a message\'s header must give its Content-Length, a number of bytes: "-1"'],
      ["Content-Length 5\r\n\r\n", "Message header must separate key and value using ':': Content-Length 5"],
    ] as const)
      expect(read(Buffer.concat([frame(saved), Buffer.from(header), frame(saved)]), [])).toEqual({
        messages: [saved, exit],
        errors: [`the input can be read no further: ${why}`],
      });
    // The input's end, even in the middle of a message: what was read whole, then exit, once.
    const input = new PassThrough();
    const reader = new BurstReader(input);
    const out: Message[] = [];
    reader.listen((message) => out.push(message));
    input.write(Buffer.concat([frame(saved), frame(hover).subarray(0, 30)]));
    input.end();
    return new Promise<void>((done) =>
      input.once("close", () => {
        expect(out).toEqual([saved, exit]);
        done();
      }),
    );
  });

  it("merges only changes the connection would apply: none with no content change, none with a malformed one, whatever their number", () => {
    const empty = {
      jsonrpc: "2.0",
      method: "textDocument/didChange",
      params: { textDocument: { uri: A, version: 40 }, contentChanges: [] },
    } as Message;
    const malformed = [
      { text: 5 },
      null,
      { text: "x", range: { start: { line: 0 }, end: { line: 0, character: 0 } } },
      { text: "x", range: { start: { line: 0, character: 0 }, end: { character: 0 } } },
      { text: "x", range: "0:0" },
    ].map(
      (change, at) =>
        ({
          jsonrpc: "2.0",
          method: "textDocument/didChange",
          params: { textDocument: { uri: A, version: 41 + at }, contentChanges: [change] },
        }) as Message,
    );
    const [first, second, third] = [change(A, 0, "a"), change(A, 0, "b"), change(A, 0, "c")] as [Message, Message, Message];
    for (const odd of [empty, ...malformed])
      expect(
        together([first, odd, second, third])
          .map(seen)
          .map((message) => message.params.contentChanges.length),
      ).toEqual([1, seen(odd).params.contentChanges.length, 2]);
    // A request with the method of a change, and a change with no version, are not changes to merge.
    const asked = { ...first, id: 9 } as unknown as Message;
    const unversioned = {
      jsonrpc: "2.0",
      method: "textDocument/didChange",
      params: { textDocument: { uri: A }, contentChanges: [{ text: "x" }] },
    } as Message;
    expect(together([asked, asked, unversioned, unversioned])).toEqual([asked, asked, unversioned, unversioned]);
    // However many changes a message holds.
    const many = {
      jsonrpc: "2.0",
      method: "textDocument/didChange",
      params: { textDocument: { uri: A, version: 99 }, contentChanges: Array.from({ length: 200_000 }, () => ({ text: "z" })) },
    } as Message;
    expect(seen(together([first, many])[0]!).params.contentChanges).toHaveLength(200_001);
  });

  it("writes each message whole, in one write, before write returns: an answer is out before the process can end", async () => {
    const chunks: Buffer[] = [];
    const output = new Writable({
      write(chunk: Buffer, _encoding, done) {
        chunks.push(chunk);
        done();
      },
    });
    const writer = new WholeMessageWriter(output);
    const answer = { jsonrpc: "2.0", id: 3, result: { contents: "Ångström → 🛰️" } } as Message;
    const written = writer.write(answer);
    expect(chunks).toHaveLength(1);
    const body = JSON.stringify(answer);
    expect(chunks[0]!.toString("utf8")).toBe(`Content-Length: ${Buffer.byteLength(body)}\r\n\r\n${body}`);
    await written;
    // What the reader reads of it is the message.
    expect(read(chunks[0]!, []).messages).toEqual([answer]);
  });
});
