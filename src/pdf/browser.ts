/** Find a Chromium or Chrome already installed: dmreport never downloads a browser. */
import { accessSync, constants, existsSync, statSync } from "node:fs";
import { delimiter, isAbsolute, join } from "node:path";

/** Names a Chromium-family browser goes by on PATH, most likely first. */
const BROWSER_NAMES = ["chromium", "chromium-browser", "google-chrome", "google-chrome-stable", "chrome"];

/** Where the browser was found, or why none could be used. */
export type BrowserSearch = { path: string } | { problem: string };

/**
 * The browser to print with: `DMREPORT_CHROME`, then the config's `output.browser`, then the
 * first Chromium-family browser on PATH.
 */
export function findBrowser(configured: string | undefined, env: NodeJS.ProcessEnv = process.env): BrowserSearch {
  const explicit = env.DMREPORT_CHROME ? { path: env.DMREPORT_CHROME, from: "DMREPORT_CHROME" } : configured ? { path: configured, from: "output.browser in dmreport.yaml" } : undefined;
  if (explicit) {
    return executable(explicit.path) ? { path: explicit.path } : { problem: `the browser named by ${explicit.from} (${explicit.path}) is not an executable file` };
  }
  for (const folder of (env.PATH ?? "").split(delimiter).filter(Boolean)) {
    for (const name of BROWSER_NAMES) {
      const candidate = join(folder, name);
      if (executable(candidate)) return { path: candidate };
    }
  }
  return {
    problem:
      "PDF output needs Chromium or Google Chrome, and none was found on PATH. Install one (Debian/Ubuntu: apt-get install chromium) " +
      "or set DMREPORT_CHROME to the browser's path",
  };
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
