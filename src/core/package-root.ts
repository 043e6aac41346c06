/** Where dmreport's own files are (templates, schemas, package.json), from compiled or bundled code alike. */
import { existsSync, readFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

function findPackageRoot(): string {
  let folder = dirname(fileURLToPath(import.meta.url));
  for (;;) {
    const manifest = join(folder, "package.json");
    if (existsSync(manifest) && (JSON.parse(readFileSync(manifest, "utf8")) as { name?: string }).name === "dmreport") return folder;
    const parent = dirname(folder);
    if (parent === folder) throw new Error("dmreport's package.json was not found above its code");
    folder = parent;
  }
}

/** The folder of dmreport's package.json. */
export const PACKAGE_ROOT = findPackageRoot();

const manifest = JSON.parse(readFileSync(join(PACKAGE_ROOT, "package.json"), "utf8")) as { version: string; homepage: string };

/** dmreport's version. */
export const VERSION = manifest.version;

/**
 * This build of dmreport: its version and a digest of its code (`dist/build-id`, written by the
 * build). What dmreport keeps between runs is kept under it: a dmreport built anew with the same
 * version number (installed from a branch) reuses nothing an older build made.
 */
export const BUILD = buildOf();

function buildOf(): string {
  try {
    return `${VERSION}+${readFileSync(join(PACKAGE_ROOT, "dist", "build-id"), "utf8").trim()}`;
  } catch {
    return VERSION;
  }
}

/** dmreport's home page (its repository), without a fragment: the one place that says where dmreport lives. */
export const HOMEPAGE = manifest.homepage.replace(/#.*$/, "");

/** dmreport's repository as GitHub names it (`owner/name`), from its home page: the action's name, too. */
export const REPOSITORY = new URL(HOMEPAGE).pathname.replace(/^\/|\/$/g, "");
