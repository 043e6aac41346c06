// Synthetic report sources for the benchmark: N fragments of about 1.5 KB, 60 (or 100) a month, from a
// fixed seed, so that every run measures the same work.
import { mkdirSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";

/** A small deterministic random generator (mulberry32). */
function random(seed) {
  return () => {
    seed |= 0;
    seed = (seed + 0x6d2b79f5) | 0;
    let value = Math.imul(seed ^ (seed >>> 15), 1 | seed);
    value = (value + Math.imul(value ^ (value >>> 7), 61 | value)) ^ value;
    return ((value ^ (value >>> 14)) >>> 0) / 4294967296;
  };
}

const WORDS =
  "pipeline calibration survey telescope image catalog processing alert database release software cluster network archive storage service camera photometry astrometry deblending coaddition query interface workflow validation milestone schedule review integration test".split(
    " ",
  );

/** Write a source of `fragments` fragments under `folder`, `perMonth` a month (60 or another multiple of 10), from January of `firstYear`. */
export function writeCorpus(folder, fragments, seed = 42, perMonth = 60, firstYear = 2010) {
  rmSync(folder, { recursive: true, force: true });
  const rand = random(seed);
  const pick = (list) => list[Math.floor(rand() * list.length)];
  const sentence = (words) => {
    const text = Array.from({ length: words }, () => pick(WORDS)).join(" ");
    return `${text.charAt(0).toUpperCase()}${text.slice(1)}.`;
  };
  const chapters = perMonth / 10;
  const perChapter = 10;
  const elements = [];
  let wbs = "elements:\n";
  for (let chapter = 1; chapter <= chapters; chapter++) {
    wbs += `  - code: "B.${chapter}"\n    title: Chapter ${chapter}\n    children:\n`;
    for (let leaf = 1; leaf <= perChapter - 1; leaf++) {
      wbs += `      - { code: "B.${chapter}.${leaf}", title: Element ${chapter}.${leaf} }\n`;
      elements.push(`B.${chapter}.${leaf}`);
    }
    elements.push(`B.${chapter}`);
  }
  const months = fragments / elements.length;
  const monthName = (index) => `${firstYear + Math.floor(index / 12)}-${String((index % 12) + 1).padStart(2, "0")}`;
  let register = "milestones:\n";
  const milestones = [];
  for (let index = 0; index < months * 2; index++) {
    const element = pick(elements);
    const due = `${monthName(Math.min(index >> 1, months - 1))}-15`;
    milestones.push({ id: `BM-${index + 1}`, element, due });
    register += `  - { id: BM-${index + 1}, title: Milestone ${index + 1}, wbs: "${element}", due: ${due} }\n`;
  }
  mkdirSync(folder, { recursive: true });
  writeFileSync(
    join(folder, "dmreport.yaml"),
    `title: Benchmark Report\ntickets: [BT]\nlinks:\n  - pattern: '\\bBT-\\d+\\b'\n    url: 'https://tracker.example.org/{0}'\noutput:\n  name: bench-{month}\n`,
  );
  writeFileSync(join(folder, "wbs.yaml"), wbs);
  writeFileSync(join(folder, "milestones.yaml"), register);
  for (let month = 0; month < months; month++) {
    const dir = join(folder, "months", monthName(month));
    mkdirSync(dir, { recursive: true });
    for (const element of elements) {
      const due = milestones.filter((milestone) => milestone.element === element && milestone.due.startsWith(monthName(month)));
      const status = due.length
        ? `milestones:\n${due.map((milestone) => `  - id: ${milestone.id}\n    status: completed\n    completed: ${milestone.due}\n    note: Done as planned on BT-${Math.floor(rand() * 9000) + 1000}.`).join("\n")}\n`
        : "";
      const bullets = (count) =>
        Array.from(
          { length: count },
          () =>
            `- ${sentence(10 + Math.floor(rand() * 8))} [BT-${Math.floor(rand() * 9000) + 1000}]\n  - ${sentence(8)} **${pick(WORDS)}** ${sentence(6)}`,
        ).join("\n");
      writeFileSync(
        join(dir, `${element}.md`),
        `---\nwbs: "${element}"\nmonth: ${monthName(month)}\n${status}---\n\n## Current accomplishments\n\n${sentence(20)}\n\n${bullets(3)}\n\n## Planned activities\n\n${bullets(2)}\n`,
      );
    }
  }
  return {
    months: Array.from({ length: months }, (_, index) => monthName(index)),
    firstFragment: join("months", monthName(months - 1), `${elements[0]}.md`),
  };
}
