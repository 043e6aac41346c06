/** The cache folder a command uses: the user's private one, or none, said once when the settings name one that is not private. */
import { privateCacheFolder } from "../../core/cache-folder.js";
import { printable } from "../../reporters/printable.js";

let said = false;

/** The private cache folder, or undefined; the first time one is refused, `say` hears why (with DMREPORT_DEBUG, the facts behind it). */
export function commandCache(say: (text: string) => void = (text) => void process.stderr.write(text)): string | undefined {
  const { folder, problem, detail, advice } = privateCacheFolder();
  if (problem && !said) {
    said = true;
    const facts = process.env.DMREPORT_DEBUG && detail ? ` (${detail})` : "";
    const todo = advice ?? "set DMREPORT_CACHE_DIR to a folder of your own";
    say(
      `${printable(`dmreport: ${problem}${facts}, so dmreport runs without a cache: ${todo}, or DMREPORT_NO_CACHE=1 to run without one`)}\n`,
    );
  }
  return folder;
}
