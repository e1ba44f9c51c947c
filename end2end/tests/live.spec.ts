import { expect, test } from "@playwright/test";
import { jsEnabled, open, operator, postGenerate, signInByEmail, uniqueEmail } from "./support";

/**
 * The header's allowance counter and the one billing context behind it: it counts down after
 * each generation and follows changes made anywhere else — another tab, an operator command —
 * without a reload (JavaScript on); without JavaScript every page is current when loaded.
 */
test.describe("the live allowance counter", () => {
  test("the header counts down, and another tab's generation or a plan change moves it without reload", async ({ page }, testInfo) => {
    const email = uniqueEmail(testInfo, "live");
    await signInByEmail(page, testInfo, email);
    const counter = page.getByTestId("header-counter");
    await expect(counter.getByTestId("header-counter-text")).toHaveText("You have 10 generations left today", { useInnerText: true });
    await expect(counter.getByTestId("header-counter-reset")).toHaveText(/^resets in (\d+ h|\d+ min|under a minute)$/);
    await expect(counter).toHaveAttribute("title", /^Resets at \d\d:\d\d/);

    if (!jsEnabled(testInfo)) {
      expect((await postGenerate(page, "from elsewhere")).status()).toBe(200);
      await open(page, testInfo, "/dashboard");
      await expect(counter.getByTestId("header-counter-text")).toHaveText("You have 9 generations left today", { useInnerText: true });
      return;
    }

    // The page listens for changes (the context's event stream is open).
    await expect(page.locator("body")).toHaveAttribute("data-live", "on");
    // A second tab of the same browser writes something: the first tab's counter and meter move.
    const second = await page.context().newPage();
    await open(second, testInfo, "/generate");
    await second.getByLabel("What should we write?").fill("from the second tab");
    await second.getByTestId("generate-button").click();
    await expect(second.getByTestId("output")).toContainText("from the second tab");
    await expect(second.getByTestId("header-counter-text")).toHaveText("You have 9 generations left today", { useInnerText: true });
    await expect(counter.getByTestId("header-counter-text")).toHaveText("You have 9 generations left today", { useInnerText: true });
    await expect(page.getByTestId("meter-generations")).toContainText("You have 9 generations left today");

    // An operator moves the account to Pro from another process: 100 a day, no reload.
    expect(operator("user", "set-plan", email, "pro")).toBe(`${email} is now on pro (active).`);
    await expect(counter.getByTestId("header-counter-text")).toHaveText("You have 99 generations left today", { useInnerText: true });
    await expect(page.getByTestId("plan")).toContainText("Plan: Pro (active)");
    await second.close();
  });

  test("a hidden tab lets go of its stream and, shown again, hears at once what changed meanwhile", async ({ page }, testInfo) => {
    test.skip(!jsEnabled(testInfo), "live updates need JavaScript");
    const email = uniqueEmail(testInfo, "hidden");
    await signInByEmail(page, testInfo, email);
    const text = page.getByTestId("header-counter-text");
    await expect(text).toHaveText("You have 10 generations left today", { useInnerText: true });
    await expect(page.locator("body")).toHaveAttribute("data-live", "on");
    const setHidden = (hidden: boolean) =>
      page.evaluate((hidden) => {
        Object.defineProperty(document, "hidden", { configurable: true, get: () => hidden });
        document.dispatchEvent(new Event("visibilitychange"));
      }, hidden);

    // Hidden: the stream is closed, so a change elsewhere is not heard...
    await setHidden(true);
    expect(operator("user", "set-plan", email, "pro")).toBe(`${email} is now on pro (active).`);
    await page.waitForTimeout(2_000);
    await expect(text).toHaveText("You have 10 generations left today", { useInnerText: true });
    // ...until the tab is shown again: it reconnects saying when its state was read.
    await setHidden(false);
    await expect(text).toHaveText("You have 100 generations left today", { useInnerText: true });
  });

  test("on a phone the counter stays beside the menu and nothing overflows", async ({ page }, testInfo) => {
    await page.setViewportSize({ width: 360, height: 740 });
    await signInByEmail(page, testInfo, uniqueEmail(testInfo, "phone"));
    await expect(page.getByTestId("header-counter-text")).toHaveText("10 left today", { useInnerText: true });
    await expect(page.getByText("Menu")).toBeVisible();
    const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
    expect(overflow).toBeLessThanOrEqual(0);
  });
});
