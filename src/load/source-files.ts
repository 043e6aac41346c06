/**
 * The one door for a report source's files: every file a build reads or a fix writes is
 * resolved here, and refused when its real path lies outside the source, whatever the link.
 *
 * A report source takes commits from many people, and CI builds it with credentials at hand: a
 * template, a register or an image committed as a link to `.git/config` or `/proc/self/environ`
 * would put them in the report. So a path is followed link by link to where it really is, and
 * read only when that is a regular file inside the source folder and outside any `.git` folder.
 */
import {
  closeSync,
  constants,
  fstatSync,
  lstatSync,
  openSync,
  readdirSync,
  readlinkSync,
  readSync,
  realpathSync,
  statSync,
  type Dirent,
  type Stats,
} from "node:fs";
import { basename, dirname, isAbsolute, join, relative, resolve, sep } from "node:path";

/** Why a file of the source is not read. */
export interface Refusal {
  /** The rule a diagnostic about it carries. */
  rule: "file-outside-source" | "file-unreadable" | "file-too-large";
  message: string;
  /** The file is simply not there (not an error where the file is optional). */
  missing?: boolean;
}

/** An entry of a folder of the source, links resolved. */
export interface SourceEntry {
  /** Its name in the folder. */
  name: string;
  /** Its path in the source (`months/2017-12/02C.03.md`). */
  path: string;
  /** What it is once links are followed; "refused" when it may not be followed. */
  kind: "file" | "folder" | "other" | "refused";
  /** Whether the entry itself is a symbolic link. */
  link: boolean;
  /** Why it may not be followed (kind "refused"). */
  refusal?: Refusal;
}

/** What a reader that has no limit of its own from dmreport.yaml reads at most. */
const DEFAULT_MAX_BYTES = 64 * 1024 * 1024;

const READ_FLAGS = constants.O_RDONLY | (constants.O_NOFOLLOW ?? 0) | (constants.O_NONBLOCK ?? 0);

/** The files of the source at `root`, read and written through one door. */
export class SourceFiles {
  /** The source folder with every link on its way resolved. */
  readonly realRoot: string;
  /** Folders already resolved in this reading, by path in the source: their real path, or why not. */
  private readonly folders = new Map<string, string | Refusal>();

  constructor(readonly root: string) {
    let real: string | undefined;
    try {
      real = realpathSync(root);
    } catch (error) {
      // A source folder that is gone (renamed under a preview) has no files: every read says so.
      this.folders.set("", unreadable(".", error));
    }
    this.realRoot = real ?? root;
    if (real) this.folders.set("", real);
  }

  /**
   * Where `name` (a path in the source, `/`-separated) really is, or why it may not be used: it
   * does not exist, it is a link that leads nowhere, or it lies outside the source.
   */
  locate(name: string): { real: string; stat: Stats } | { refusal: Refusal } {
    const beyond = beyondSource(name);
    if (beyond) return { refusal: beyond };
    const folder = this.folder(parentOf(name));
    if (typeof folder !== "string") return { refusal: folder };
    const path = join(folder, basename(name));
    let stat: Stats;
    try {
      stat = lstatSync(path);
    } catch (error) {
      return { refusal: unreadable(name, error) };
    }
    if (!stat.isSymbolicLink()) return { real: path, stat };
    return this.followLink(name, path);
  }

  /**
   * Where the link `name` (at `path`, in a folder already resolved) leads. A link whose own text
   * leads outside the source is refused as it is written, without looking there: whether a
   * file exists on the build machine is nobody's business in a diagnostic.
   */
  private followLink(name: string, path: string): { real: string; stat: Stats } | { refusal: Refusal } {
    let written: string;
    try {
      written = readlinkSync(path);
    } catch (error) {
      return { refusal: unreadable(name, error) };
    }
    const outside = this.outside(name, resolve(dirname(path), written), written);
    if (outside) return { refusal: outside };
    let real: string;
    let stat: Stats;
    try {
      real = realpathSync(path);
      stat = statSync(real);
    } catch {
      return {
        refusal: {
          rule: "file-unreadable",
          message: `\`${name}\` is a link that leads nowhere (or to itself): replace it with the file it should be`,
        },
      };
    }
    // Inside as written, but through another link elsewhere.
    const further = this.outside(name, real, `${written} (through another link)`);
    return further ? { refusal: further } : { real, stat };
  }

  /** The bytes of the regular file `name`, read only when inside the source and at most `maxBytes` long. */
  readBytes(name: string, maxBytes: number): { bytes: Buffer } | { refusal: Refusal } {
    const found = this.locate(name);
    if ("refusal" in found) return found;
    // Known before it is opened: a device or a pipe is never opened at all.
    if (found.stat.isDirectory()) return { refusal: { rule: "file-unreadable", message: `\`${name}\` is needed but it is a folder` } };
    if (!found.stat.isFile())
      return {
        refusal: { rule: "file-unreadable", message: `\`${name}\` is not a regular file (a device, socket or pipe) and is not read` },
      };
    let descriptor: number;
    try {
      // Opened without following a link, so that a link swapped in after the check is not followed either.
      descriptor = openSync(found.real, READ_FLAGS);
    } catch (error) {
      return { refusal: unreadable(name, error) };
    }
    try {
      const stat = fstatSync(descriptor);
      if (stat.isDirectory()) return { refusal: { rule: "file-unreadable", message: `\`${name}\` is needed but it is a folder` } };
      if (!stat.isFile())
        return {
          refusal: { rule: "file-unreadable", message: `\`${name}\` is not a regular file (a device, socket or pipe) and is not read` },
        };
      if (stat.size > maxBytes)
        return {
          refusal: {
            rule: "file-too-large",
            message: `\`${name}\` is ${megabytes(stat.size)}, more than the ${megabytes(maxBytes)} dmreport reads (limits.fileBytes in dmreport.yaml)`,
          },
        };
      const bytes = Buffer.alloc(stat.size);
      let read = 0;
      while (read < bytes.length) {
        const count = readSync(descriptor, bytes, read, bytes.length - read, read);
        if (count === 0) break;
        read += count;
      }
      return { bytes: read === bytes.length ? bytes : bytes.subarray(0, read) };
    } catch (error) {
      return { refusal: unreadable(name, error) };
    } finally {
      closeSync(descriptor);
    }
  }

  /** The text of the file `name` as it is (UTF-8, its BOM and line endings kept), or why it is not read. */
  readText(name: string, maxBytes = DEFAULT_MAX_BYTES): { text: string } | { refusal: Refusal } {
    const read = this.readBytes(name, maxBytes);
    return "refusal" in read ? read : { text: read.bytes.toString("utf8") };
  }

  /**
   * Each file under the folder `name`, in a stable order (links to folders not followed, as the
   * load stage does not follow them), with its stat when it has one: what an archive compares
   * between runs, for 24,000 files at a time. A file that is no link is looked at in its folder
   * as listed; a link, through `locate`.
   */
  filesWithStats(name: string): { path: string; stat?: Stats }[] {
    const folder = this.folder(name);
    if (typeof folder !== "string") return [];
    const found: { path: string; stat?: Stats }[] = [];
    for (const entry of this.list(name)) {
      if (entry.kind === "folder" && !entry.link) found.push(...this.filesWithStats(entry.path));
      if (entry.kind !== "file") continue;
      if (entry.link) {
        const located = this.locate(entry.path);
        found.push({ path: entry.path, ...("stat" in located && { stat: located.stat }) });
        continue;
      }
      try {
        found.push({ path: entry.path, stat: lstatSync(join(folder, entry.name)) });
      } catch {
        found.push({ path: entry.path });
      }
    }
    return found;
  }

  /** The entries of the folder `name`, sorted by name, each link followed or refused; empty when the folder is not there. */
  list(name: string): SourceEntry[] {
    const folder = this.folder(name);
    if (typeof folder !== "string") return [];
    let entries: Dirent[];
    try {
      entries = readdirSync(folder, { withFileTypes: true });
    } catch {
      return [];
    }
    // Sorted by name so that nothing depends on the order the file system lists entries in.
    entries.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
    return entries.map((entry) => {
      const path = name ? `${name}/${entry.name}` : entry.name;
      if (!entry.isSymbolicLink()) {
        const kind = entry.isFile() ? "file" : entry.isDirectory() ? "folder" : "other";
        if (kind === "folder") this.folders.set(path, join(folder, entry.name));
        return { name: entry.name, path, kind, link: false };
      }
      const found = this.locate(path);
      if ("refusal" in found) return { name: entry.name, path, kind: "refused", link: true, refusal: found.refusal };
      const kind = found.stat.isFile() ? "file" : found.stat.isDirectory() ? "folder" : "other";
      return { name: entry.name, path, kind, link: true };
    });
  }

  /** Whether `name` is a folder inside the source (links followed): undefined when it is, else why not. */
  checkFolder(name: string): Refusal | undefined {
    const folder = this.folder(name);
    return typeof folder === "string" ? undefined : folder;
  }

  /**
   * Where a write to the file `name` of the source goes: the folder and name of the real file
   * (a link to a file inside the source is written where it points, and stays a link), and the
   * mode to keep; or why it may not be written (a link outside the source, a folder outside it).
   */
  writeTarget(name: string): { folder: string; name: string; mode?: number } | { refusal: Refusal } {
    const found = this.locate(name);
    if ("refusal" in found) {
      if (!found.refusal.missing || this.isLink(name)) return found;
      // A new file: the nearest of its folders that exists must be inside the source; the others are made.
      let existing = parentOf(name);
      let folder = this.folder(existing);
      while (typeof folder !== "string" && folder.missing && existing !== "" && !this.isLink(existing)) {
        existing = parentOf(existing);
        folder = this.folder(existing);
      }
      if (typeof folder !== "string") return { refusal: folder };
      return { folder: join(folder, relative(existing, parentOf(name))), name: basename(name) };
    }
    if (!found.stat.isFile())
      return { refusal: { rule: "file-unreadable", message: `\`${name}\` is not a regular file and is not written` } };
    return { folder: dirname(found.real), name: basename(found.real), mode: found.stat.mode };
  }

  private isLink(name: string): boolean {
    try {
      return lstatSync(join(this.root, name)).isSymbolicLink();
    } catch {
      return false;
    }
  }

  /** The real path of the folder `name`, resolved one step at a time, or why it may not be used. */
  private folder(name: string): string | Refusal {
    const known = this.folders.get(name);
    if (known !== undefined) return known;
    const beyond = beyondSource(name);
    if (beyond) return beyond;
    const parent = this.folder(parentOf(name));
    let result: string | Refusal;
    if (typeof parent !== "string") result = parent;
    else {
      const path = join(parent, basename(name));
      try {
        const stat = lstatSync(path);
        if (!stat.isSymbolicLink())
          result = stat.isDirectory() ? path : { rule: "file-unreadable", message: `\`${name}\` is a file, not a folder` };
        else {
          const followed = this.followLink(name, path);
          result =
            "refusal" in followed
              ? followed.refusal
              : followed.stat.isDirectory()
                ? followed.real
                : { rule: "file-unreadable", message: `\`${name}\` is a link to a file, not a folder` };
        }
      } catch (error) {
        result = unreadable(name, error);
      }
    }
    this.folders.set(name, result);
    return result;
  }

  /** Why `target`, where the link `name` (whose text is `written`) leads, is not the source's, or undefined when it is. */
  private outside(name: string, target: string, written: string): Refusal | undefined {
    const inside = relative(this.realRoot, target);
    if (inside === "" || inside === ".." || inside.startsWith(`..${sep}`) || isAbsolute(inside))
      return {
        rule: "file-outside-source",
        message: `\`${name}\` is a link to ${written}, outside the source: dmreport reads only files inside the report source, so copy the file in`,
      };
    if (inside.split(sep).includes(".git"))
      return {
        rule: "file-outside-source",
        message: `\`${name}\` is a link into git's own folder (${written}), which is not part of the source: copy the file in`,
      };
    return undefined;
  }
}

/** Why the path `name` names no file of the source whatever the links (it climbs out, or into `.git`), or undefined. */
function beyondSource(name: string): Refusal | undefined {
  if (name === ".." || name.startsWith("../") || name.startsWith("/") || name.split("/").includes(".."))
    return {
      rule: "file-outside-source",
      message: `\`${name}\` lies outside the source: dmreport reads only files inside the report source`,
    };
  if (name.split("/").includes(".git"))
    return { rule: "file-outside-source", message: `\`${name}\` is in git's own folder, which is not part of the source` };
  return undefined;
}

/** The folder part of a path in the source (`""` for the root). */
function parentOf(name: string): string {
  const slash = name.lastIndexOf("/");
  return slash < 0 ? "" : name.slice(0, slash);
}

function unreadable(name: string, error: unknown): Refusal {
  const code = (error as NodeJS.ErrnoException).code;
  if (code === "ENOENT" || code === "ENOTDIR")
    return { rule: "file-unreadable", message: `\`${name}\` is needed but the file does not exist`, missing: true };
  if (code === "ELOOP")
    return {
      rule: "file-unreadable",
      message: `\`${name}\` is a link that leads nowhere (or to itself): replace it with the file it should be`,
    };
  if (code === "EISDIR") return { rule: "file-unreadable", message: `\`${name}\` is needed but it is a folder` };
  return { rule: "file-unreadable", message: `\`${name}\` is needed but it cannot be read (${code ?? String(error)})` };
}

/** Bytes as limits are shown: MiB with one decimal, or KiB, or bytes, whichever says the size (0.0 MiB says nothing). */
export function megabytes(bytes: number): string {
  if (bytes >= 1024 * 1024) return `${(bytes / (1024 * 1024)).toFixed(1)} MiB`;
  return bytes >= 1024 ? `${(bytes / 1024).toFixed(1)} KiB` : `${bytes} bytes`;
}

/** `file` relative to `root`, with forward slashes. */
export function sourcePath(root: string, file: string): string {
  return relative(root, file).split(sep).join("/");
}
