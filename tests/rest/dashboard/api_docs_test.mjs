// Drives the API explorer (/api-docs/ui, Swagger UI) like a person: Debian's
// Chromium, headless, no network but 127.0.0.1. Usage:
//   node api_docs_test.mjs URL TOKEN SCREENSHOT_DIR
// Writes api_docs.png (the page) and api_docs_ops.png (the operation list),
// which dashboard_test.sh checks for the operations' colours.
import { chromium } from "playwright-core";
import { check, failures, launch, watch, waitFor } from "./browser.mjs";

const [url, token, shots] = process.argv.slice(2);
const browser = await launch(chromium);
try {
  const page = await browser.newPage({ viewport: { width: 1400, height: 1000 } });
  const seen = watch(page, url);
  await page.goto(url + "api-docs/ui");
  const doc = await page.evaluate(async () => (await fetch("/api-docs")).json());
  const operations = Object.values(doc.paths).reduce((n, ops) => n + Object.keys(ops).length, 0);
  await waitFor(page, n => document.querySelectorAll(".opblock").length === n, operations, 20000);
  check("Swagger UI lists every operation", true, `${operations} operations`);
  check("the methods are coloured by kind",
        (await page.locator(".opblock-get").count()) > 0
        && (await page.locator(".opblock-patch").count()) > 0
        && (await page.locator(".opblock-put").count()) > 0);

  // Markdown in the descriptions is rendered: code spans, lists, no backticks.
  const info = await page.evaluate(() => {
    const box = document.querySelector(".information-container .info");
    return { codes: [...box.querySelectorAll("code")].map(c => c.textContent),
             items: box.querySelectorAll("li").length, bold: box.querySelectorAll("strong").length,
             text: box.innerText };
  });
  check("the API's description renders code as <code>",
        info.codes.includes("Authorization: Bearer TOKEN"), info.codes.join(" | "));
  check("the API's description renders lists and emphasis", info.items >= 4 && info.bold >= 3,
        `${info.items} items, ${info.bold} bold`);
  check("no markdown shows as text", !info.text.includes("`") && !info.text.includes("**"));

  // An operation that changes something: refused without the token...
  const op = page.locator("#operations-execution-updateSettings");
  await op.locator(".opblock-summary").click();
  await op.locator(".try-out__btn").click();
  const opCodes = await op.locator(".opblock-description-wrapper code").allTextContents();
  check("an operation's description renders code", opCodes.includes("nodes"), opCodes.join(" | "));
  const body = () => op.locator("textarea.body-param__text")
    .fill('{"settings": {"http_interval": "500ms"}}');
  await body();
  const status = async () => {
    await op.locator(".live-responses-table tbody .response-col_status").first().waitFor();
    return (await op.locator(".live-responses-table tbody .response-col_status").first().textContent()).trim();
  };
  await op.locator("button.execute").click();
  check("try-it-out without the token is a 401", (await status()) === "401", await status());

  // ...accepted once authorized with it.
  await page.locator(".auth-wrapper .btn.authorize").click();
  await page.locator(".modal-ux input").fill(token);
  await page.locator(".modal-ux .auth-btn-wrapper .btn.authorize").click();
  await page.locator(".modal-ux .btn-done").click();
  check("authorizing keeps the token for this tab (the dashboard's key)",
        (await page.evaluate(() => sessionStorage.getItem("amoc-token"))) === token);
  await op.locator("button.btn-clear").click();  // (which also resets the body)
  await body();
  await op.locator("button.execute").click();
  const answer = await status();
  check("try-it-out with the token is a 200", answer === "200", answer === "200" ? "" :
        await op.locator(".live-responses-table tbody .response-col_description").first().innerText());
  const settings = await page.evaluate(async () =>
    (await (await fetch("/status")).json()).controller.settings);
  check("the setting changed on the server", settings.http_interval === "500ms", JSON.stringify(settings));
  const curl = await op.locator(".curl-command").textContent();
  check("the request carried the bearer token", curl.includes("Bearer " + token));
  await page.screenshot({ path: `${shots}/api_docs.png`, fullPage: true });
  await page.locator("#swagger-ui .wrapper").filter({ has: page.locator(".opblock-tag-section") })
    .first().screenshot({ path: `${shots}/api_docs_ops.png` });

  // The token goes with the tab: the dashboard has it, and a reload of the
  // explorer starts authorized (but the page itself never holds it).
  await page.goto(url);
  check("the dashboard got the token", (await page.inputValue("#token")) === token);
  const html = await page.evaluate(async () => (await fetch("/api-docs/ui")).text());
  check("the served page holds no token", !html.includes(token));
  await page.goto(url + "api-docs/ui");
  await waitFor(page, () => document.querySelector(".auth-wrapper .btn.authorize") !== null, null, 20000);
  check("a reloaded explorer is authorized",
        (await page.getAttribute(".auth-wrapper .btn.authorize", "class")).includes("locked"));
  seen.report();
} catch (e) {
  check("API explorer flow", false, String(e));
} finally {
  await browser.close();
}
process.exit(failures() ? 1 : 0);
