/** The per-user cache folder dmreport keeps between runs (history, compiled code); imported by bin/dmreport too, so it imports nothing of dmreport. */
import { homedir } from "node:os";
import { join } from "node:path";

/** `$DMREPORT_CACHE_DIR`, else `$XDG_CACHE_HOME/dmreport`, else `~/.cache/dmreport`; none with `DMREPORT_NO_CACHE` set. */
export function userCacheFolder(env: NodeJS.ProcessEnv = process.env): string | undefined {
  if (env.DMREPORT_NO_CACHE) return undefined;
  if (env.DMREPORT_CACHE_DIR) return env.DMREPORT_CACHE_DIR;
  const base = env.XDG_CACHE_HOME || (homedir() ? join(homedir(), ".cache") : "");
  return base ? join(base, "dmreport") : undefined;
}
