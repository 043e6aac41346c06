/** dmreport preview: a local server showing the report as the source changes, with live reload and an error overlay. */
import { statSync } from "node:fs";
import chokidar, { type FSWatcher } from "chokidar";
import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { relative, resolve } from "node:path";
import { UsageError } from "../core/errors.js";
import { requireSourceRoot, IMAGE_FILE, SOURCE_FILES } from "../load/index.js";
import { EVENTS_PATH, previewPage } from "./page.js";
import { PreviewSite, type SiteState } from "./site.js";
import { sourcePath } from "../load/source-files.js";

export interface PreviewOptions {
  /** A folder in the source (or a file in it). */
  source?: string;
  month?: string;
  all?: boolean;
  /** The port to listen on; 0 for any free one. */
  port?: number;
  cache?: string;
  /** Hears the address once the port is taken, before the first build. */
  onListening?: (url: string) => void;
  /** Hears of each build, the first (`state.version` 1) among them. */
  onRebuild?: (state: SiteState) => void;
  /** Hears when the source folder goes away (renamed, removed) and when it is watched again. */
  onWatch?: (event: "lost" | "watching") => void;
}

export interface Preview {
  /** The address to open: always on the loopback interface. */
  url: string;
  address: AddressInfo;
  site: SiteState;
  /** Rebuild now (as a change on disk does), resolving when the pages have been told. */
  rebuild(): Promise<SiteState>;
  /** Stop watching and serving; remove what was kept on disk. */
  close(): Promise<void>;
}

/** The preview only ever listens here: the reports are the project's, not the network's. */
export const PREVIEW_HOST = "127.0.0.1";

/** How often the source folder is looked at, to watch it again once it was renamed or replaced. */
const ROOT_CHECK_MS = 500;

/** Folders whose changes are not the source's: outputs, version control, packages. */
const IGNORED =
  /^(?:\.git|node_modules|build|dist|dmreport-out|\.dmreport-cache)(?:\/|$)|(?:^|\/)\.dmreport-cache(?:\/|$)|~$|\.swp$|\.tmp$/;

/** Whether a build may read the file: a fragment, a YAML file, a schema, a template, a style, an image. */
const buildReads = (path: string) => /\.(?:md|ya?ml|json|hbs|css)$/i.test(path) || IMAGE_FILE.test(path);

/** Start the preview server. Usage problems (no source, a port in use) throw UsageError. */
export async function startPreview(options: PreviewOptions = {}): Promise<Preview> {
  const start = resolve(options.source ?? ".");
  const root = requireSourceRoot(start, "dmreport preview", "name its folder");
  // Paths in the overlay read from the source root, as the lead knows the files.
  const site = new PreviewSite({ root, month: options.month, all: options.all, cache: options.cache, cwd: root });
  const clients = new Set<ServerResponse>();
  const tell = (state: SiteState) => {
    for (const client of clients) client.write(`event: version\ndata: ${state.version}\n\n`);
  };

  // Rebuilds run one at a time; changes during one are gathered into the next.
  let running: Promise<SiteState> | undefined;
  let again = false;
  const rebuild = async (): Promise<SiteState> => {
    if (running) {
      again = true;
      return running;
    }
    running = (async () => {
      let state: SiteState;
      do {
        again = false;
        state = await site.rebuild();
      } while (again);
      return state;
    })();
    try {
      const state = await running;
      tell(state);
      options.onRebuild?.(state);
      return state;
    } finally {
      running = undefined;
    }
  };
  // The port is taken first: a port in use is said at once, not after a build. Requests that
  // come before the first build is done are answered once it is.
  let built: Promise<SiteState> | undefined;
  const server = createServer((request, response) => {
    void built!.catch(() => undefined).then(() => serve(request, response, site.state, clients, (server.address() as AddressInfo).port));
  });
  await new Promise<void>((done, fail) => {
    server.once("error", (error: NodeJS.ErrnoException) =>
      fail(error.code === "EADDRINUSE" ? new UsageError(`port ${options.port} is in use: choose another with --port`) : error),
    );
    server.listen(options.port ?? 0, PREVIEW_HOST, done);
  });
  const address = server.address() as AddressInfo;
  const url = `http://${PREVIEW_HOST}:${address.port}/`;
  options.onListening?.(url);
  built = rebuild();
  try {
    const first = await built;
    // Once more, before anyone looks, when it built: the code every rebuild runs is then compiled,
    // and the first save shows as fast as the next ones (from memory, a fraction of the first build).
    if (first.pages.size && !first.diagnostics.some((found) => found.severity === "error")) await site.rebuild();
  } catch (error) {
    server.close();
    site.close();
    throw error;
  }
  // A heartbeat keeps idle connections open through proxies and tells closed ones apart.
  const heartbeat = setInterval(() => {
    for (const client of clients) client.write(": still here\n\n");
  }, 15_000);

  let timer: NodeJS.Timeout | undefined;
  const changed = () => {
    clearTimeout(timer);
    // Editors save in several steps: wait for the last of them.
    timer = setTimeout(() => void rebuild().catch(() => undefined), 40);
  };
  // chokidar watches each folder of the source for its entries, so that a file an editor saves by
  // renaming a new one over it goes on being seen (a watch of the file itself would follow the old one).
  const startWatching = async (): Promise<FSWatcher> => {
    const watching = chokidar.watch(root, {
      ignoreInitial: true,
      followSymlinks: false,
      ignored: (path: string) => {
        const name = sourcePath(root, path);
        return name !== "" && IGNORED.test(name);
      },
    });
    // A file no build reads (notes, a build's own output written into the source) changes nothing
    // shown; a folder does where it is a month (the latest month is the one shown).
    watching.on("all", (event, path) => {
      const name = sourcePath(root, path);
      if (
        event === "addDir" || event === "unlinkDir"
          ? name === SOURCE_FILES.months || name.startsWith(`${SOURCE_FILES.months}/`)
          : buildReads(name)
      )
        changed();
    });
    watching.on("error", () => (watcherFailed = true));
    await new Promise<void>((ready) => watching.once("ready", ready));
    return watching;
  };
  let watcher: FSWatcher | undefined;
  let watcherFailed = false;
  try {
    watcher = await startWatching();
  } catch (error) {
    server.close();
    site.close();
    throw new UsageError(`cannot watch ${relative(process.cwd(), root) || "."} for changes: ${(error as Error).message}`);
  }
  // A watch follows the folder it began on: once the source folder is renamed away, removed or
  // replaced, it hears nothing more. The folder is looked at twice a second, and watched anew
  // (and the site rebuilt) as soon as a folder is there again.
  let identity = folderIdentity(root);
  let checking = false;
  const rootCheck = setInterval(() => {
    const now = folderIdentity(root);
    if (checking || (now === identity && !watcherFailed)) return;
    checking = true;
    identity = now;
    watcherFailed = false;
    void (async () => {
      await watcher?.close();
      watcher = undefined;
      if (now) {
        try {
          watcher = await startWatching();
          options.onWatch?.("watching");
        } catch {
          identity = undefined;
        }
      } else options.onWatch?.("lost");
      changed();
    })().finally(() => (checking = false));
  }, ROOT_CHECK_MS);

  return {
    url,
    address,
    get site() {
      return site.state;
    },
    rebuild,
    async close() {
      clearInterval(heartbeat);
      clearInterval(rootCheck);
      clearTimeout(timer);
      await watcher?.close();
      for (const client of clients) client.end();
      clients.clear();
      // No new connection is taken, and those open (a page's keep-alive, a request under way) are
      // ended now: a browser's page left open never holds the preview up.
      const closed = new Promise<void>((done) => server.close(() => done()));
      server.closeAllConnections?.();
      await closed;
      await running?.catch(() => undefined);
      site.close();
    },
  };
}

/** The device and inode of `folder`, or undefined when there is none: what tells a folder from its replacement. */
function folderIdentity(folder: string): string | undefined {
  try {
    const stat = statSync(folder);
    return stat.isDirectory() ? `${stat.dev}:${stat.ino}` : undefined;
  } catch {
    return undefined;
  }
}

/** The names this server answers to: the loopback address and `localhost`, with its port. */
function ownHosts(port: number): Set<string> {
  const names = [PREVIEW_HOST, "localhost", "[::1]"];
  // On port 80 a browser writes the name alone.
  return new Set([...names.map((name) => `${name}:${port}`), ...(port === 80 ? names : [])]);
}

/**
 * Answer one request: the events stream, a page of the site, or 404. Nothing else is served, and
 * only to a request addressed to this server by name: a page elsewhere that has its host name
 * resolve to 127.0.0.1 (DNS rebinding) gets 403, as does an event stream opened from another origin.
 */
function serve(request: IncomingMessage, response: ServerResponse, state: SiteState, clients: Set<ServerResponse>, port: number): void {
  const path = (request.url ?? "/").split("?")[0]!;
  const hosts = ownHosts(port);
  const origin = request.headers.origin;
  const foreignOrigin = origin !== undefined && !hosts.has(origin.toLowerCase().replace(/^http:\/\//, ""));
  if (!hosts.has((request.headers.host ?? "").toLowerCase()) || (path === EVENTS_PATH && foreignOrigin)) {
    response
      .writeHead(403, { "content-type": "text/plain; charset=utf-8", "cache-control": "no-store" })
      .end("dmreport preview answers only http://127.0.0.1 and http://localhost on its own port\n");
    return;
  }
  if (request.method !== "GET" && request.method !== "HEAD") {
    response.writeHead(405, { allow: "GET, HEAD", "content-type": "text/plain; charset=utf-8" }).end("only GET and HEAD\n");
    return;
  }
  if (path === EVENTS_PATH) {
    response.writeHead(200, { "content-type": "text/event-stream; charset=utf-8", "cache-control": "no-store", connection: "keep-alive" });
    response.write(`retry: 500\nevent: version\ndata: ${state.version}\n\n`);
    clients.add(response);
    request.on("close", () => clients.delete(response));
    return;
  }
  // Browsers ask for an icon the report does not have: say so without an error in the console.
  if (path === "/favicon.ico") {
    response.writeHead(204, { "cache-control": "no-store" }).end();
    return;
  }
  // Only the site's own pages, by their exact names: no other path, no folder, no listing.
  const name = path === "/" ? state.home : path.slice(1);
  const page = name === undefined ? undefined : state.pages.get(name);
  if (page === undefined && !(path === "/" && state.diagnostics.length)) {
    response.writeHead(404, { "content-type": "text/plain; charset=utf-8", "cache-control": "no-store" }).end("not found\n");
    return;
  }
  // Before any report has built, the overlay stands alone.
  const html =
    page ??
    `<!DOCTYPE html>\n<html lang="en">\n<head>\n<meta charset="utf-8">\n<title>dmreport preview</title>\n</head>\n<body>\n</body>\n</html>\n`;
  response.writeHead(200, { "content-type": "text/html; charset=utf-8", "cache-control": "no-store", "x-content-type-options": "nosniff" });
  response.end(request.method === "HEAD" ? undefined : previewPage(html, state.version, state.diagnostics));
}
