/** Find a Chromium or Chrome already installed: dmreport never downloads a browser. */
import { accessSync, constants, existsSync, statSync } from "node:fs";
import { delimiter, isAbsolute, join } from "node:path";
import { inFolders } from "../core/committed-folders.js";

/** Names a Chromium-family browser goes by on PATH, most likely first. */
const BROWSER_NAMES = ["chromium", "chromium-browser", "google-chrome", "google-chrome-stable", "chrome"];

/** Where the browser was found, or why none could be used. */
export type BrowserSearch = { path: string } | { problem: string };

/**
 * The browser to print with: `DMREPORT_CHROME`, then the config's `output.browser`, then the
 * first Chromium-family browser on PATH. Never one in `committed` (committedFolders): the
 * config's own is refused by validate, and PATH's there (`node_modules/.bin`, put first by npm
 * run) are passed over.
 */
export function findBrowser(
  configured: string | undefined,
  env: NodeJS.ProcessEnv = process.env,
  committed: readonly string[] = [],
): BrowserSearch {
  if (env.DMREPORT_CHROME) {
    return executable(env.DMREPORT_CHROME)
      ? { path: env.DMREPORT_CHROME }
      : { problem: `the browser named by DMREPORT_CHROME (${env.DMREPORT_CHROME}) is not an executable file` };
  }
  // The config is the source's: only a command on PATH or an absolute path (validate refuses one inside the source).
  if (configured) {
    const found = isAbsolute(configured)
      ? executable(configured) && !inFolders(configured, committed)
        ? configured
        : undefined
      : /[\\/]/.test(configured)
        ? undefined
        : onPath(configured, env, committed);
    return found
      ? { path: found }
      : {
          problem: `the browser named by output.browser in dmreport.yaml (${configured}) is not an executable file${isAbsolute(configured) ? "" : " on PATH"}`,
        };
  }
  for (const name of BROWSER_NAMES) {
    const found = onPath(name, env, committed);
    if (found) return { path: found };
  }
  return {
    problem:
      "PDF output needs Chromium or Google Chrome, and none was found on PATH. Install one (Debian/Ubuntu: apt-get install chromium) " +
      "or set DMREPORT_CHROME to the browser's path",
  };
}

/** The first executable file named `name` in a folder of PATH. */
function onPath(name: string, env: NodeJS.ProcessEnv, committed: readonly string[]): string | undefined {
  for (const folder of (env.PATH ?? "").split(delimiter).filter(Boolean)) {
    const candidate = join(folder, name);
    if (isAbsolute(candidate) && executable(candidate) && !inFolders(candidate, committed)) return candidate;
  }
  return undefined;
}

function executable(path: string): boolean {
  if (!isAbsolute(path) && !path.includes("/")) return false;
  try {
    accessSync(path, constants.X_OK);
    return existsSync(path) && statSync(path).isFile();
  } catch {
    return false;
  }
}
