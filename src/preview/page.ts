/** What the preview adds to a served page: the reload script and, while the source has errors, the overlay listing them. */
import type { Diagnostic } from "../core/diagnostics.js";
import { escapeHtml } from "../render/escape.js";

/** The path the pages listen on for rebuilds (server-sent events). */
export const EVENTS_PATH = "/__dmreport/events";

/**
 * The page with the preview's additions before `</body>`. The script listens for the site's
 * version; when it changes, it fetches the page again and puts the new content in place, where
 * the reader was. Only served pages get it: the files `build` writes carry no script.
 */
export function previewPage(html: string, version: number, diagnostics: readonly (Diagnostic & { path: string })[]): string {
  const additions = `${overlay(diagnostics)}<script>
(() => {
  // The version of the site this page shows; a rebuild announces a new one.
  let version = ${version};
  let announced = version;
  let updating = false;
  const update = async () => {
    updating = true;
    try {
      // Until the page shows the latest version announced: fetch the page again and put its
      // styles and body in place. No navigation: the reader stays where they were.
      while (announced !== version) {
        const target = announced;
        const response = await fetch(location.href, { cache: "no-store" });
        if (!response.ok) throw new Error(String(response.status));
        const fresh = new DOMParser().parseFromString(await response.text(), "text/html");
        const x = scrollX, y = scrollY;
        document.title = fresh.title;
        const styles = (root) => [...root.querySelectorAll("style")].map((style) => style.textContent).join("\\n");
        if (styles(document.head) !== styles(fresh.head)) {
          document.head.querySelectorAll("style").forEach((style) => style.remove());
          for (const style of fresh.head.querySelectorAll("style")) document.head.append(document.importNode(style, true));
        }
        // Scripts put in place this way never run: the page's own (there are none) do not run twice.
        document.body.replaceChildren(...[...fresh.body.childNodes].map((node) => document.importNode(node, true)));
        scrollTo(x, y);
        version = target;
      }
    } catch {
      location.reload();
    } finally {
      updating = false;
    }
  };
  const events = new EventSource(${JSON.stringify(EVENTS_PATH)});
  events.addEventListener("version", (event) => {
    announced = Number(event.data);
    if (!updating && announced !== version) update();
  });
})();
</script>
`;
  const at = html.lastIndexOf("</body>");
  return at < 0 ? html + additions : html.slice(0, at) + additions + html.slice(at);
}

/** The overlay: each error and warning with its place, while any error keeps the report from being rebuilt. */
function overlay(diagnostics: readonly (Diagnostic & { path: string })[]): string {
  const errors = diagnostics.filter((found) => found.severity === "error");
  if (!errors.length) return "";
  const ordered = [...errors, ...diagnostics.filter((found) => found.severity !== "error")];
  const items = ordered
    .map(
      (found) =>
        `<li class="${found.severity}"><code>${escapeHtml(`${found.path}:${found.line}:${found.column}`)}</code> <strong>${found.severity}</strong> ${escapeHtml(found.message)} <span class="rule">${escapeHtml(found.rule)}</span></li>`,
    )
    .join("\n");
  return `<div id="dmreport-preview-overlay" role="alert" style="position:fixed;inset:0 0 auto 0;z-index:2147483647;max-height:70vh;overflow:auto;margin:0;padding:1rem 1.4rem;background:#2b0d0d;color:#ffe9e6;font:14px/1.5 ui-monospace,Menlo,Consolas,monospace;box-shadow:0 6px 24px #0008;border-bottom:4px solid #e5484d">
<p style="margin:0 0 .6rem;font:600 15px/1.4 system-ui,sans-serif">The source has ${errors.length} error${errors.length === 1 ? "" : "s"}: this is the last report that built. Fix the file and save; the page updates itself.</p>
<ul style="margin:0;padding-left:1.2rem">
${items}
</ul>
<style>#dmreport-preview-overlay li{margin:.25rem 0}#dmreport-preview-overlay code{color:#ffd6a8;background:none;padding:0;font:inherit}#dmreport-preview-overlay .warning strong{color:#ffd166}#dmreport-preview-overlay .error strong{color:#ff8a80}#dmreport-preview-overlay .rule{opacity:.7}</style>
</div>
`;
}
