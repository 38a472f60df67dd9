// Drives the dashboard like a person: Debian's Chromium, headless, no network
// but 127.0.0.1. Usage: node dashboard_test.mjs URL TOKEN SCREENSHOT.PNG
import { chromium } from "playwright-core";

const [url, token, screenshot] = process.argv.slice(2);
let failures = 0;
function check(what, ok, detail = "") {
  console.log(`${ok ? "ok  " : "FAIL"} ${what}${detail ? ": " + detail : ""}`);
  if (!ok) failures++;
}
const sleep = ms => new Promise(r => setTimeout(r, ms));
// Polls `pred` in the page. (Playwright's waitForFunction evaluates strings,
// which the page's Content-Security-Policy rightly forbids.)
async function waitFor(page, pred, arg, timeout = 10000) {
  const end = Date.now() + timeout;
  for (;;) {
    if (await page.evaluate(pred, arg)) return;
    if (Date.now() > end) throw new Error("timed out waiting for " + pred.toString());
    await sleep(100);
  }
}

const browser = await chromium.launch({
  executablePath: process.env.CHROMIUM || "/usr/bin/chromium",
  args: ["--no-sandbox", "--disable-gpu", "--disable-background-networking"],
});
try {
  const page = await browser.newPage({ viewport: { width: 1400, height: 1000 } });
  const external = [];
  page.on("request", r => { if (!r.url().startsWith(url)) external.push(r.url()); });
  const errors = [];
  page.on("pageerror", e => errors.push(String(e)));
  await page.goto(url);
  await waitFor(page, () => [...document.querySelectorAll("#scenario option")]
    .some(o => o.value === "dummy"), null, 10000);
  await waitFor(page, () => document.getElementById("conn").textContent === "live", null, 10000);
  check("page loaded, events live", true);

  // Without the token nothing starts.
  await page.click("#start");
  await waitFor(page, () => document.getElementById("message").textContent !== "");
  check("start refused without a token", (await page.textContent("#message")).includes("token"),
        await page.textContent("#message"));
  await page.fill("#token", "not-the-token");
  await page.click("#start");
  await waitFor(page, () => document.getElementById("message").textContent.startsWith("401"));
  check("a wrong token is a 401", true);

  await page.fill("#token", token);
  await page.click("#save-token");
  check("token kept in sessionStorage",
        (await page.evaluate(() => sessionStorage.getItem("amoc-token"))) === token);
  await page.selectOption("#scenario", "dummy");
  await page.fill("#users", "20");
  await page.click("#start");
  await waitFor(page, () => document.getElementById("message").textContent
    .startsWith("PATCH /execution/start"), null, 10000);
  check("run started from the page",
        (await page.getAttribute("#message", "class")) === "good", await page.textContent("#message"));

  const alive = () => page.evaluate(() => Number(document.getElementById("users-chart").dataset.lastAlive || 0));
  const points = () => page.evaluate(() => Number(document.getElementById("users-chart").dataset.points || 0));
  const p0 = await points();
  await waitFor(page, () => Number(document.getElementById("users-chart").dataset.lastAlive) >= 20, null, 15000);
  check("users chart reached 20 users", (await alive()) >= 20, String(await alive()));
  await page.fill("#add-count", "10");
  await page.click("#add");
  await waitFor(page, () => Number(document.getElementById("users-chart").dataset.lastAlive) >= 30, null, 15000);
  check("add users from the page", (await alive()) >= 30, String(await alive()));
  await sleep(3000);
  const p1 = await points();
  check("users chart moves (new points every second)", p1 >= p0 + 3, `${p0} -> ${p1}`);
  check("state badge says running", (await page.textContent("#state")) === "running");
  check("counters listed", (await page.locator("#counters tbody tr").count()) > 0);
  await page.screenshot({ path: screenshot, fullPage: true });

  await page.fill("#remove-count", "5");
  await page.click("#remove");
  await waitFor(page, () => Number(document.getElementById("users-chart").dataset.lastAlive) <= 25, null, 15000);
  check("remove users from the page", (await alive()) <= 25, String(await alive()));
  await page.click("#stop");
  await waitFor(page, () => document.getElementById("state").textContent === "finished", null, 20000);
  check("stopped from the page: finished", true);

  // A run file's run (thresholds, duration) started over the API: the page
  // shows its verdicts live and links the report once it ended.
  const started = await page.evaluate(async (token) => {
    const r = await fetch("/execution/start", {method: "PATCH",
      headers: {"Authorization": "Bearer " + token, "Content-Type": "application/json"},
      body: JSON.stringify({scenario: "dummy", users: [1, 5], duration: "2s",
                            graceful_stop_timeout: "1s",
                            thresholds: {"users.started": ["count == 5"],
                                         "users.ended.scenario_error": ["count > 0"]}})});
    return r.status;
  }, token);
  check("a run with thresholds started over the API", started === 200, String(started));
  await waitFor(page, () => document.querySelectorAll("#thresholds tbody tr").length === 2, null, 10000);
  await waitFor(page, () => document.querySelector("#thresholds tbody tr td.up") !== null, null, 10000);
  check("thresholds shown live, passing and failing",
        (await page.locator("#thresholds tbody td.up").count()) === 1
        && (await page.locator("#thresholds tbody td.down").count()) === 1);
  await waitFor(page, () => !document.getElementById("report-link").hidden, null, 20000);
  const report = await page.evaluate(async () => (await fetch("/execution/report")).text());
  check("the report is linked once the run ended", report.includes("count == 5"));
  check("no external requests", external.length === 0, external.join(", "));
  check("no script errors", errors.length === 0, errors.join("; "));
} catch (e) {
  check("dashboard flow", false, String(e));
} finally {
  await browser.close();
}
process.exit(failures ? 1 : 0);
