/** The known value nearest to an unknown one, by edit distance (leven), for "did you mean ...?". */
import leven from "leven";

/**
 * The nearest candidates to `value` (case aside): those at the smallest edit distance, if it is at
 * most two edits (a quarter of the value's length for long ones). Two characters swapped count as
 * one edit, as people type them. Empty when nothing is near.
 */
export function nearest(value: string, candidates: Iterable<string>, most = 3): string[] {
  const wanted = value.toLowerCase();
  const limit = Math.max(2, Math.floor(value.length / 4));
  const scored: { candidate: string; distance: number }[] = [];
  for (const candidate of new Set(candidates)) {
    const lower = candidate.toLowerCase();
    const distance = Math.min(leven(wanted, lower), swappedPair(wanted, lower) ? 1 : Infinity);
    if (distance <= limit && candidate !== value) scored.push({ candidate, distance });
  }
  const best = Math.min(...scored.map(({ distance }) => distance));
  return scored
    .filter(({ distance }) => distance === best)
    .sort((a, b) => (a.candidate < b.candidate ? -1 : 1))
    .slice(0, most)
    .map(({ candidate }) => candidate);
}

/** ` did you mean `A` or `B`?`, or nothing when there is no near value. */
export function didYouMean(suggestions: readonly string[]): string {
  if (!suggestions.length) return "";
  const quoted = suggestions.map((suggestion) => `\`${suggestion}\``);
  return `did you mean ${quoted.length > 1 ? `${quoted.slice(0, -1).join(", ")} or ${quoted[quoted.length - 1]}` : quoted[0]}?`;
}

/** True when `a` and `b` differ only by two neighbouring characters swapped (`23` for `32`). */
function swappedPair(a: string, b: string): boolean {
  if (a.length !== b.length) return false;
  const at = [...a].findIndex((char, index) => char !== b[index]);
  return at >= 0 && at + 1 < a.length && a[at] === b[at + 1] && a[at + 1] === b[at] && a.slice(at + 2) === b.slice(at + 2);
}
