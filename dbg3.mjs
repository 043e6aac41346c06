import { chromium } from "playwright-core";
import { spawn } from "node:child_process";
import { readFileSync, writeFileSync, cpSync, mkdtempSync, watch } from "node:fs";
const src = mkdtempSync("/tmp/dbg-"); cpSync("/work/main/examples/lsst-dm", src, { recursive: true });
const child = spawn(process.execPath, ["/work/main/bin/dmreport", "preview", src, "--month", "2017-12", "--port", "0"], { stdio: ["ignore", "pipe", "inherit"] });
let out = ""; child.stdout.on("data", (c) => { out += c; console.log("CHILD", Date.now() % 100000, String(c).trim()); });
while (!/http:\/\/\S+\//.test(out)) await new Promise((d) => setTimeout(d, 50));
const url = /http:\/\/\S+\//.exec(out)[0];
const browser = await chromium.launch({ executablePath: "/usr/bin/chromium", args: ["--no-sandbox"] });
const pages = [];
for (let i = 0; i < Number(process.argv[2]); i++) { const p = await browser.newPage(); await p.goto(url); pages.push(p); }
await new Promise((d) => setTimeout(d, 1500));
const p = src + "/months/2017-12/02C.06.00.md";
const t = Date.now(); console.log("SAVE", t % 100000);
writeFileSync(p, readFileSync(p, "utf8").replace("Entire team attended", "The whole team attended"));
for (const page of pages) await page.waitForFunction(() => document.body.innerText.includes("The whole team attended"), undefined, { timeout: 5000, polling: 50 });
console.log("SEEN", Date.now() - t);
child.kill("SIGINT"); await browser.close();
