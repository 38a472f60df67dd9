// What the browser tests share: verdict lines, Debian's Chromium, polling
// in the page, and a watch on what a page must never do.

let failed = 0;
export function check(what, ok, detail = "") {
  console.log(`${ok ? "ok  " : "FAIL"} ${what}${detail ? ": " + detail : ""}`);
  if (!ok) failed++;
}
export const failures = () => failed;
export const sleep = ms => new Promise(r => setTimeout(r, ms));

export function launch(chromium) {
  return chromium.launch({
    executablePath: process.env.CHROMIUM || "/usr/bin/chromium",
    args: ["--no-sandbox", "--disable-gpu", "--disable-background-networking"],
  });
}

// Polls `pred` in the page. (Playwright's waitForFunction evaluates strings,
// which the pages' Content-Security-Policy rightly forbids.)
export async function waitFor(page, pred, arg, timeout = 10000) {
  const end = Date.now() + timeout;
  for (;;) {
    if (await page.evaluate(pred, arg)) return;
    if (Date.now() > end) throw new Error("timed out waiting for " + pred.toString());
    await sleep(100);
  }
}

// Requests that leave the server under test, script errors, and what the
// Content-Security-Policy refused; `report()` checks there were none.
export function watch(page, url) {
  const external = [], errors = [], refused = [];
  page.on("request", r => {
    if (!r.url().startsWith(url) && !r.url().startsWith("data:")) external.push(r.url());
  });
  page.on("pageerror", e => errors.push(String(e)));
  page.on("console", m => {
    if (m.type() === "error" && m.text().includes("Content Security Policy")) refused.push(m.text());
  });
  return {
    report() {
      check("no external requests", external.length === 0, external.join(", "));
      check("no script errors", errors.length === 0, errors.join("; "));
      check("nothing refused by the Content-Security-Policy", refused.length === 0, refused.join("; "));
    },
  };
}
