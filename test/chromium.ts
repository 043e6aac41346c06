/** Test helper: the machine's Chromium driven by playwright-core, for the tests that look at pages. */
import { chromium, type Browser } from "playwright-core";
import { findBrowser } from "../src/pdf/browser.js";

const found = findBrowser(undefined);

/** Whether to run the browser tests: where Chromium is, and always on CI (.ci/run installs it), where a missing one fails. */
export const runBrowserTests = "path" in found || Boolean(process.env.CI);

/** Debian's Chromium, headless, with nothing reaching out to the network. */
export async function launchChromium(extraArgs: readonly string[] = []): Promise<Browser> {
  if (!("path" in found)) throw new Error(found.problem);
  return chromium.launch({
    executablePath: found.path,
    args: [
      "--no-sandbox",
      "--disable-gpu",
      "--disable-background-networking",
      "--disable-component-update",
      "--disable-sync",
      "--no-first-run",
      ...extraArgs,
    ],
  });
}
