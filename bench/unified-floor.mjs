#!/usr/bin/env node
// The library floor: the bare unified pipeline dmreport is built on (gray-matter, remark-parse,
// remark-gfm, remark-rehype, rehype-sanitize, rehype-stringify), one HTML file per fragment.
import { mkdirSync, readdirSync, readFileSync, statSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import matter from "gray-matter";
import rehypeSanitize from "rehype-sanitize";
import rehypeStringify from "rehype-stringify";
import remarkGfm from "remark-gfm";
import remarkParse from "remark-parse";
import remarkRehype from "remark-rehype";
import { unified } from "unified";

const [input, output] = process.argv.slice(2);
const processor = unified().use(remarkParse).use(remarkGfm).use(remarkRehype).use(rehypeSanitize).use(rehypeStringify);
const files = (folder) =>
  readdirSync(folder).flatMap((name) =>
    statSync(join(folder, name)).isDirectory() ? files(join(folder, name)) : name.endsWith(".md") ? [join(folder, name)] : [],
  );
mkdirSync(output, { recursive: true });
for (const [index, file] of files(input).entries()) {
  const { content } = matter(readFileSync(file, "utf8"));
  writeFileSync(join(output, `${index}.html`), String(processor.processSync(content)));
}
