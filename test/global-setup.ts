/** One cache folder for the whole run: no test writes into the cache of the person running them. */
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

export default function setup(): () => void {
  const folder = mkdtempSync(join(tmpdir(), "dmreport-test-cache-"));
  // Test files and the CLIs they start inherit it.
  process.env.DMREPORT_CACHE_DIR = folder;
  // No lint server lingers after the tests: the tests of the server allow it where they start one.
  process.env.DMREPORT_NO_SERVER = "1";
  return () => rmSync(folder, { recursive: true, force: true });
}
