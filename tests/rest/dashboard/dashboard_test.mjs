// Drives the dashboard like a person: Debian's Chromium, headless, no network
// but 127.0.0.1. Usage: node dashboard_test.mjs URL TOKEN SCREENSHOT_DIR
// Writes dashboard.png (the page) and latency.png (the latency chart), which
// dashboard_test.sh checks for the percentile lines' colours.
import { chromium } from "playwright-core";
import { check, failures, launch, sleep, watch, waitFor } from "./browser.mjs";

const [url, token, shots] = process.argv.slice(2);
const browser = await launch(chromium);
// Starts a run over the API (a run file's fields), as a script would.
const startRun = (page, body) => page.evaluate(async ([token, body]) => {
  const r = await fetch("/execution/start", {method: "PATCH",
    headers: {"Authorization": "Bearer " + token, "Content-Type": "application/json"},
    body: JSON.stringify(body)});
  return r.status === 200 ? 200 : r.status + " " + await r.text();
}, [token, body]);
const runStart = page => page.evaluate(() => document.getElementById("users-chart").dataset.runStart);
// Once the page draws a run other than `previous` (its run_start).
const newRun = (page, previous) => waitFor(page, p => {
  const start = document.getElementById("users-chart").dataset.runStart;
  return start !== "" && start !== p;
}, previous, 10000);
const runEnded = page => waitFor(page, () => !document.getElementById("report-link").hidden
  && document.getElementById("state").textContent === "finished", null, 30000);
try {
  const page = await browser.newPage({ viewport: { width: 1400, height: 1000 } });
  const seen = watch(page, url);
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
  const before = Date.now();
  await page.click("#start");
  await waitFor(page, () => document.getElementById("message").textContent
    .startsWith("PATCH /execution/start"), null, 10000);
  const after = Date.now();
  check("run started from the page",
        (await page.getAttribute("#message", "class")) === "good", await page.textContent("#message"));

  // The time axis starts at the run's start: t = 0 when the users started,
  // not when the page opened (seconds earlier) or at the first sample.
  await waitFor(page, () => document.getElementById("users-chart").dataset.runStart !== "", null, 5000);
  const axis = await page.evaluate(() => {
    const chart = document.getElementById("users-chart");
    const run = samples.filter(s => s.run_start === Number(chart.dataset.runStart));
    return {x0: chart.dataset.x0, start: Number(chart.dataset.runStart), first: run[0].t,
            rates: document.getElementById("rates-chart").dataset.x0};
  });
  check("the run's start is when it started", axis.start >= before && axis.start <= after,
        `${before} <= ${axis.start} <= ${after}`);
  check("the time axis starts at 0", axis.x0 === "0" && axis.rates === "0", JSON.stringify(axis));
  check("the first sample is within a second of the start", axis.first >= 0 && axis.first < 1.5,
        String(axis.first));

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
  await page.screenshot({ path: `${shots}/dashboard.png`, fullPage: true });

  await page.fill("#remove-count", "5");
  await page.click("#remove");
  await waitFor(page, () => Number(document.getElementById("users-chart").dataset.lastAlive) <= 25, null, 15000);
  check("remove users from the page", (await alive()) <= 25, String(await alive()));
  await page.click("#stop");
  await waitFor(page, () => document.getElementById("state").textContent === "finished", null, 20000);
  check("stopped from the page: finished", true);

  // A run file's run (thresholds, duration) started over the API: the page
  // shows its verdicts live and links the report once it ended.
  const started = await startRun(page, {scenario: "dummy", users: [1, 5], duration: "2s",
    graceful_stop_timeout: "1s",
    thresholds: {"users.started": ["count == 5"], "users.ended.scenario_error": ["count > 0"]}});
  check("a run with thresholds started over the API", started === 200, String(started));
  await waitFor(page, () => document.querySelectorAll("#thresholds tbody tr").length === 2, null, 10000);
  await waitFor(page, () => document.querySelector("#thresholds tbody tr td.up") !== null, null, 10000);
  check("thresholds shown live, passing and failing",
        (await page.locator("#thresholds tbody td.up").count()) === 1
        && (await page.locator("#thresholds tbody td.down").count()) === 1);
  await waitFor(page, () => !document.getElementById("report-link").hidden, null, 20000);
  const report = await page.evaluate(async () => (await fetch("/execution/report")).text());
  check("the report is linked once the run ended", report.includes("count == 5"));

  // The latency chart opens on the run's main metric. http_get against this
  // server: its request latency is main, not the corrected one (open model).
  const http = {scenario: "http_get", users: [1, 2], duration: "4s", graceful_stop_timeout: "1s",
    settings: {http_url: url + "status", http_request_name: "status", http_rate: 20}};
  let previous = await runStart(page);
  check("an HTTP run started", (await startRun(page, http)) === 200);
  await newRun(page, previous);
  const latency = () => page.evaluate(() => {
    const select = document.getElementById("latency-metric");
    return {value: select.value, main: select.dataset.main,
            options: [...select.options].map(o => o.value),
            points: Number(document.getElementById("latency-chart").dataset.points)};
  });
  await waitFor(page, () => document.getElementById("latency-metric").options.length >= 2, null, 15000);
  await sleep(2000);
  const plain = await latency();
  check("the latency chart opens on the request latency",
        plain.value === "http.status.latency" && plain.main === plain.value && plain.points > 0,
        JSON.stringify(plain));
  await page.locator("#latency-chart").locator("xpath=..").screenshot({ path: `${shots}/latency.png` });
  await runEnded(page);
  // A latency the run's thresholds name is what the user judges it by.
  http.thresholds = {"http.status.latency_corrected": ["p99 < 10s"]};
  previous = await runStart(page);
  check("an HTTP run with a latency threshold started", (await startRun(page, http)) === 200);
  await newRun(page, previous);
  await waitFor(page, () => document.getElementById("latency-metric").options.length >= 2, null, 15000);
  const judged = await latency();
  check("a latency the thresholds name is the main one",
        judged.value === "http.status.latency_corrected", JSON.stringify(judged));
  await page.selectOption("#latency-metric", "http.status.latency");
  await sleep(1500);
  check("the user's pick stays", (await latency()).value === "http.status.latency");
  await runEnded(page);

  // The rule on metric names a built-in XMPP or HTTP scenario records, in the
  // page's own function (this test has no XMPP server).
  const main = samples => page.evaluate(s => mainLatency(s)[0], samples);
  const sample = (latency, run) => ({latency, run});
  check("the time to deliver comes before logins (alphabetically first)",
        (await main([sample({"xmpp.login": {count: 9}, "xmpp.login.sasl": {count: 9}}),
                     sample({"xmpp.login": {count: 1}, "xmpp.ttd": {count: 4}})])) === "xmpp.ttd");
  check("the first HTTP request comes before later ones and other latencies",
        (await main([sample({"app.setup": {count: 9}}),
                     sample({"http.login.latency": {count: 5}, "http.browse.latency": {count: 3},
                             "http.login.latency_corrected": {count: 5}})])) === "http.login.latency");
  check("a thresholds' metric comes first",
        (await main([sample({"xmpp.ttd": {count: 3}, "xmpp.login": {count: 2}},
                            {thresholds: [{metric: "xmpp.login"}]})])) === "xmpp.login");
  seen.report();
} catch (e) {
  check("dashboard flow", false, String(e));
} finally {
  await browser.close();
}
process.exit(failures() ? 1 : 0);
