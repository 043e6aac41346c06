/**
 * The language server's two ends of the stdio transport.
 *
 * The reader: the client's messages, framed and decoded by vscode-jsonrpc's own message buffer,
 * with one difference from the library's reader: the changes to one document that arrive together
 * are handed on as one change. The library's reader hands on one message per turn of the event
 * loop, and the connection handles one per turn after it: a burst of a thousand changes (a paste,
 * "replace all", a formatter) cost two thousand turns and a thousand edits of the document before
 * a hover sent after them was read. The protocol applies a notification's content changes in order
 * and gives the version after the last, so a run of `textDocument/didChange` notifications for one
 * document, with nothing between them, says what one notification holding all their changes says.
 *
 * The end of the input is read as the client's `exit`, after every message read before it: the
 * connection handles those first (a `shutdown` among them is answered), then ends the process as
 * the protocol has it for exit, 0 when a shutdown came first, else 1. A stream whose framing is
 * lost (a header that is not `Name: value`, a length that is not a number) can be read no further:
 * the reader says why and ends the same way, so that the editor starts a server anew.
 *
 * The writer: each message written whole, in one write, as the connection sends it. The library's
 * writer waits a turn of the event loop before a message and another between its header and its
 * body, so the answers to a session that ends with its input (`shutdown`, then the end) were cut
 * off by the exit that followed them.
 */
import type { Readable, Writable } from "node:stream";
import {
  AbstractMessageReader,
  AbstractMessageWriter,
  type DataCallback,
  Disposable,
  type Message,
  type MessageWriter,
  type NotificationMessage,
  RAL,
} from "vscode-languageserver/node";

const DID_CHANGE = "textDocument/didChange";
const EXIT: NotificationMessage = { jsonrpc: "2.0", method: "exit" };
const utf8 = new TextDecoder();

interface DidChangeParams {
  textDocument: { uri: string; version: number };
  contentChanges: unknown[];
}

export class BurstReader extends AbstractMessageReader {
  constructor(private readonly input: Readable) {
    super();
  }

  listen(callback: DataCallback): Disposable {
    const buffer = RAL().messageBuffer.create("utf-8");
    let length = -1;
    let ended = false;
    const end = () => {
      if (ended) return;
      ended = true;
      this.input.off("data", onData);
      callback(EXIT);
    };
    const onData = (chunk: Buffer) => {
      const read: unknown[] = [];
      let lost = false;
      try {
        buffer.append(chunk);
        for (;;) {
          if (length === -1) {
            // Throws for a header line that is not `Name: value`, as the library's reader finds it.
            const headers = buffer.tryReadHeaders(true);
            if (!headers) break;
            const stated = headers.get("content-length")?.trim() ?? "";
            if (!/^\d+$/.test(stated))
              throw new Error(`a message's header must give its Content-Length, a number of bytes: ${JSON.stringify(stated)}`);
            length = Number(stated);
          }
          const body = buffer.tryReadBody(length);
          if (body === undefined) break;
          length = -1;
          try {
            read.push(JSON.parse(utf8.decode(body)));
          } catch (error) {
            // One message that is not JSON: said, and the next one read.
            this.fireError(error);
          }
        }
      } catch (error) {
        this.fireError(new Error(`the input can be read no further: ${(error as Error).message.replace(/\s*\n\s*/g, ": ")}`));
        lost = true;
      }
      for (const message of together(read as Message[])) callback(message);
      if (lost) end();
    };
    const onError = (error: Error) => this.fireError(error);
    this.input.on("data", onData).on("error", onError).once("end", end).once("close", end);
    return Disposable.create(() => {
      this.input.off("data", onData).off("error", onError).off("end", end).off("close", end);
    });
  }
}

export class WholeMessageWriter extends AbstractMessageWriter implements MessageWriter {
  constructor(private readonly output: Writable) {
    super();
    output.on("error", (error: Error) => this.fireError(error)).once("close", () => this.fireClose());
  }

  write(message: Message): Promise<void> {
    try {
      const body = Buffer.from(JSON.stringify(message), "utf8");
      this.output.write(Buffer.concat([Buffer.from(`Content-Length: ${body.length}\r\n\r\n`, "ascii"), body]));
      return Promise.resolve();
    } catch (error) {
      this.fireError(error, message);
      return Promise.reject(error);
    }
  }

  end(): void {
    this.output.end();
  }
}

/** The messages read, each run of changes to one document made one change. */
export function together(messages: Message[]): Message[] {
  const out: Message[] = [];
  let run: { uri: string; params: DidChangeParams } | undefined;
  for (const message of messages) {
    const params = didChangeOf(message);
    if (params && run?.uri === params.textDocument.uri) {
      for (const change of params.contentChanges) run.params.contentChanges.push(change);
      run.params.textDocument.version = params.textDocument.version;
      continue;
    }
    if (params) {
      // A copy: the message read is the sender's, its arrays are not this reader's to grow.
      const own: DidChangeParams = { textDocument: { ...params.textDocument }, contentChanges: [...params.contentChanges] };
      run = { uri: own.textDocument.uri, params: own };
      out.push({ ...(message as NotificationMessage), params: own } as NotificationMessage);
      continue;
    }
    run = undefined;
    out.push(message);
  }
  return out;
}

/**
 * A change notification's parameters when every part of it is well formed; anything else is
 * handed on as it came, alone, for the connection to answer as it would have (a change with no
 * content change is ignored there; one that is malformed fails there, and must not take the
 * changes after it down with it).
 */
function didChangeOf(message: Message): DidChangeParams | undefined {
  if (typeof message !== "object" || message === null || Array.isArray(message)) return undefined;
  const { method, params, id } = message as NotificationMessage & { id?: unknown };
  if (method !== DID_CHANGE || id !== undefined || typeof params !== "object" || params === null) return undefined;
  const { textDocument, contentChanges } = params as Partial<DidChangeParams>;
  if (typeof textDocument?.uri !== "string" || !Number.isInteger(textDocument.version)) return undefined;
  if (!Array.isArray(contentChanges) || !contentChanges.length || !contentChanges.every(wellFormed)) return undefined;
  return params as DidChangeParams;
}

/** A content change as the protocol has it: text, and a range of two positions or none (the whole text). */
function wellFormed(change: unknown): boolean {
  if (typeof change !== "object" || change === null || typeof (change as { text?: unknown }).text !== "string") return false;
  const { range } = change as { range?: unknown };
  if (range === undefined) return true;
  const position = (at: unknown) =>
    typeof at === "object" &&
    at !== null &&
    Number.isInteger((at as { line?: unknown }).line) &&
    Number.isInteger((at as { character?: unknown }).character);
  return (
    typeof range === "object" &&
    range !== null &&
    position((range as { start?: unknown }).start) &&
    position((range as { end?: unknown }).end)
  );
}
