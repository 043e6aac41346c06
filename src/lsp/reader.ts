/**
 * The client's messages, framed and decoded by vscode-jsonrpc's own message buffer, with one
 * difference from its reader: the changes to one document that arrive together are handed on as
 * one change. The library's reader hands on one message per turn of the event loop, and the
 * connection handles one per turn after it: a burst of a thousand changes (a paste, "replace all",
 * a formatter) cost two thousand turns and a thousand edits of the document before a hover sent
 * after them was read. The protocol applies a notification's content changes in order and gives
 * the version after the last, so a run of `textDocument/didChange` notifications for one document,
 * with nothing between them, says what one notification holding all their changes says.
 */
import type { Readable } from "node:stream";
import {
  AbstractMessageReader,
  type DataCallback,
  Disposable,
  type Message,
  type NotificationMessage,
  RAL,
} from "vscode-languageserver/node";

const DID_CHANGE = "textDocument/didChange";
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
    const onData = (chunk: Buffer) => {
      buffer.append(chunk);
      const read: Message[] = [];
      for (;;) {
        if (length === -1) {
          const headers = buffer.tryReadHeaders(true);
          if (!headers) break;
          const stated = headers.get("content-length")?.trim() ?? "";
          // As the library's reader: nothing more can be read from a stream whose framing is lost.
          if (!/^\d+$/.test(stated)) {
            this.fireError(new Error(`Header must provide a Content-Length property, a number: ${JSON.stringify(stated)}`));
            this.input.off("data", onData);
            break;
          }
          length = Number(stated);
        }
        const body = buffer.tryReadBody(length);
        if (body === undefined) break;
        length = -1;
        try {
          read.push(JSON.parse(utf8.decode(body)) as Message);
        } catch (error) {
          this.fireError(error);
        }
      }
      for (const message of together(read)) callback(message);
    };
    const onClose = () => this.fireClose();
    const onError = (error: Error) => this.fireError(error);
    this.input.on("data", onData).on("error", onError).on("close", onClose);
    return Disposable.create(() => {
      this.input.off("data", onData).off("error", onError).off("close", onClose);
    });
  }
}

/** The messages read, each run of changes to one document made one change. */
export function together(messages: Message[]): Message[] {
  const out: Message[] = [];
  let run: { uri: string; params: DidChangeParams } | undefined;
  for (const message of messages) {
    const params = didChangeOf(message);
    if (params && run?.uri === params.textDocument.uri) {
      run.params.contentChanges.push(...params.contentChanges);
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

/** A well-formed change notification's parameters; anything else is handed on as it came, for the connection to answer. */
function didChangeOf(message: Message): DidChangeParams | undefined {
  const { method, params, id } = message as NotificationMessage & { id?: unknown };
  if (method !== DID_CHANGE || id !== undefined || typeof params !== "object" || params === null) return undefined;
  const { textDocument, contentChanges } = params as Partial<DidChangeParams>;
  if (typeof textDocument?.uri !== "string" || typeof textDocument.version !== "number" || !Array.isArray(contentChanges)) return undefined;
  return params as DidChangeParams;
}
