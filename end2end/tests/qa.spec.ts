import AxeBuilder from "@axe-core/playwright";
import { expect, test, type Page, type TestInfo } from "@playwright/test";
import { jsEnabled, open, postGenerate, signInByEmail, uniqueEmail } from "./support";

/**
 * The QA suite: an accessibility scan (axe-core, WCAG 2 A and AA) of every page at a phone's
 * and a laptop's width, a screenshot of every billing state kept as a test artifact, and the
 * whole billing journey in one go.
 */

const WIDTHS = [
  { name: "phone", width: 360, height: 740 },
  { name: "desktop", width: 1280, height: 900 },
];

/** The WCAG A/AA violations of the page as it is now: each rule and where, named by `what`. */
async function violations(page: Page, what: string): Promise<string[]> {
  const results = await new AxeBuilder({ page }).withTags(["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]).analyze();
  return results.violations.map(
    (v) => `${what}: ${v.id} (${v.impact}): ${v.help} — ${v.nodes.map((n) => n.target.join(" ")).join(", ")}`,
  );
}

/** No WCAG A/AA violation on the page as it is now. */
async function expectAccessible(page: Page, what: string) {
  expect(await violations(page, what), `accessibility of ${what}`).toEqual([]);
}

/** Keeps a screenshot of `what` as an artifact of this test. */
async function keepScreenshot(testInfo: TestInfo, name: string, shot: Buffer) {
  await testInfo.attach(name, { body: shot, contentType: "image/png" });
}

for (const size of WIDTHS) {
  test(`every page passes an accessibility scan and fits a ${size.name}`, async ({ page }, testInfo) => {
    test.skip(!jsEnabled(testInfo), "axe runs inside the page; the markup it scans is the same server-rendered HTML with JavaScript off");
    test.setTimeout(120_000);
    await page.setViewportSize({ width: size.width, height: size.height });
    // Every page is scanned before the test fails, so one run lists everything to mend.
    const found: string[] = [];
    for (const path of ["/", "/pricing", "/login", "/design/states"]) {
      await open(page, testInfo, path);
      found.push(...(await violations(page, `${path} (visitor, ${size.name})`)));
    }
    await signInByEmail(page, testInfo, uniqueEmail(testInfo, `axe-${size.name}`));
    for (const path of ["/dashboard", "/generate", "/tutors", "/accounts", "/account", "/pricing", "/design"]) {
      await open(page, testInfo, path);
      found.push(...(await violations(page, `${path} (signed in, ${size.name})`)));
      const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
      expect(overflow, `${path} overflows a ${size.name}`).toBeLessThanOrEqual(0);
      await keepScreenshot(testInfo, `${size.name}${path.replaceAll("/", "-")}.png`, await page.screenshot({ fullPage: true }));
    }
    expect(found, "WCAG 2.1 A/AA violations").toEqual([]);
  });

  test(`a screenshot of every billing state in the gallery at ${size.name} width`, async ({ page }, testInfo) => {
    await page.setViewportSize({ width: size.width, height: size.height });
    await open(page, testInfo, "/design/states");
    const states = page.locator("[data-testid^='state-']");
    const count = await states.count();
    expect(count).toBeGreaterThanOrEqual(19);
    for (let i = 0; i < count; i++) {
      const state = states.nth(i);
      const id = await state.getAttribute("data-testid");
      await keepScreenshot(testInfo, `${size.name}-${id}.png`, await state.screenshot());
    }
  });
}

test("the billing journey: counter, the limit's modal, upgrade, a refused downgrade, past due, unpaid", async ({ page }, testInfo) => {
  test.skip(!jsEnabled(testInfo), "the modal and the live counter need JavaScript; the no-js project covers each step in its own spec");
  test.setTimeout(90_000);
  const email = uniqueEmail(testInfo, "journey");
  await signInByEmail(page, testInfo, email);
  const counter = page.getByTestId("header-counter-text");
  await expect(counter).toHaveText("You have 10 generations left today", { useInnerText: true });

  // Nine through the API (as another client of the same account), the tenth on the page.
  for (let i = 0; i < 9; i++) {
    expect((await postGenerate(page, `draft ${i}`)).status()).toBe(200);
  }
  await open(page, testInfo, "/generate");
  await expect(counter).toHaveText("You have 1 generation left today", { useInnerText: true });
  await page.getByLabel("What should we write?").fill("the last one");
  await page.getByTestId("generate-button").click();
  await expect(counter).toHaveText("No generations left today", { useInnerText: true });
  await page.getByTestId("generate-button").click();
  const modal = page.getByRole("dialog", { name: "You're out of credits" });
  await expect(modal).toBeVisible();
  await expectAccessible(page, "the out-of-credits modal");
  await keepScreenshot(testInfo, "journey-out-of-credits.png", await page.screenshot());

  // One click into Pro's checkout, pay in test mode, and Pro's 100 are there.
  await modal.getByTestId("upgrade-now").click();
  await expect(page.getByTestId("checkout-title")).toHaveText("Pro, billed monthly");
  await page.getByRole("button", { name: "Start 7-day free trial — test mode" }).click();
  await expect(page).toHaveURL(/\/dashboard$/);
  await expect(counter).toHaveText("You have 90 generations left today", { useInnerText: true });

  // Four tracked accounts: Free allows three, so /pricing refuses the downgrade in Free's card.
  await open(page, testInfo, "/accounts");
  for (let i = 1; i <= 4; i++) {
    await page.getByLabel("Account name").fill(`Account ${i}`);
    await page.getByLabel("Account number").fill(`4000${i}`);
    await page.getByRole("button", { name: "Add", exact: true }).click();
    await expect(page.getByTestId("tracked-account").filter({ hasText: `Account ${i}` })).toBeVisible();
  }
  await open(page, testInfo, "/pricing");
  await expect(page.getByTestId("plan-pro").getByTestId("current-plan")).toBeVisible();
  await expect(page.getByTestId("plan-free").getByTestId("downgrade-refused")).toHaveText(
    /You have 4 tracked accounts; Free allows 3\. Remove 1 to switch\./,
  );
  await expect(page.getByTestId("plan-free").getByRole("button", { name: "Downgrade to Free" })).toBeDisabled();

  // The renewal fails: the red dot and the banner; then unpaid: the blocking dialog.
  await open(page, testInfo, "/billing/test-portal");
  await page.getByRole("button", { name: "Make the next renewal fail" }).click();
  await page.getByRole("button", { name: "End the period now (renew)" }).click();
  await expect(page.getByTestId("portal-status")).toHaveText("Past due");
  await open(page, testInfo, "/dashboard");
  await expect(page.getByTestId("attention-dot")).toBeVisible();
  await keepScreenshot(testInfo, "journey-past-due.png", await page.screenshot());

  await open(page, testInfo, "/design");
  const switcher = page.getByTestId("state-switcher");
  await switcher.getByLabel("Plan").selectOption("pro");
  await switcher.getByLabel("Status").selectOption("unpaid");
  await switcher.getByRole("button", { name: "Switch" }).click();
  await expect(page).toHaveURL(/\/dashboard$/);
  await expect(page.getByRole("alertdialog", { name: "Payment required" })).toBeVisible();
  await expectAccessible(page, "the payment-required dialog");
  await keepScreenshot(testInfo, "journey-unpaid.png", await page.screenshot());
});
