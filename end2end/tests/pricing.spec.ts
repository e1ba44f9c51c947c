import { expect, test } from "@playwright/test";
import { jsEnabled, open } from "./support";

test.describe("pricing page", () => {
  test("shows the three plans with monthly prices and their limits in words", async ({ page }, testInfo) => {
    await open(page, testInfo, "/pricing");

    await expect(page.getByRole("heading", { level: 1 })).toHaveText("Plans for every writer");
    await expect(page.getByTestId("plan-free").getByTestId("price")).toHaveText("$0");
    await expect(page.getByTestId("plan-pro").getByTestId("price")).toHaveText("$19");
    await expect(page.getByTestId("plan-team").getByTestId("price")).toHaveText("$49");

    await expect(page.getByTestId("plan-free")).toContainText("10 generations per day");
    await expect(page.getByTestId("plan-pro")).toContainText("100 generations per day");
    await expect(page.getByTestId("plan-team")).toContainText("Unlimited generations");
    await expect(page.getByTestId("plan-pro")).toContainText("Most popular");
    await expect(page.getByTestId("plan-pro")).toContainText("Start 7-day free trial");
    await expect(page.getByTestId("billing-yearly")).toContainText("Save 20%");
    await expect(page.getByTestId("billing-monthly")).toHaveAttribute("aria-current", "true");
  });

  test("the yearly toggle shows the discounted prices", async ({ page }, testInfo) => {
    await open(page, testInfo, "/pricing");
    // A marker on `window` survives only if the toggle does not reload the page.
    await page.evaluate(() => ((window as unknown as { marker: number }).marker = 42)).catch(() => {});

    await page.getByTestId("billing-yearly").click();

    await expect(page).toHaveURL(/billing=yearly/);
    await expect(page.getByTestId("plan-pro").getByTestId("price")).toHaveText("$15.20");
    await expect(page.getByTestId("plan-pro").getByTestId("billing-note")).toHaveText("$182.40 billed yearly");
    await expect(page.getByTestId("plan-team").getByTestId("price")).toHaveText("$39.20");
    await expect(page.getByTestId("plan-free").getByTestId("price")).toHaveText("$0");
    await expect(page.getByTestId("billing-yearly")).toHaveAttribute("aria-current", "true");

    if (jsEnabled(testInfo)) {
      const marker = await page.evaluate(() => (window as unknown as { marker?: number }).marker);
      expect(marker, "the hydrated toggle switches prices without a page load").toBe(42);

      await page.getByTestId("billing-monthly").click();
      await expect(page.getByTestId("plan-pro").getByTestId("price")).toHaveText("$19");
    }
  });

  test("a link straight to yearly prices renders them on the server", async ({ page }, testInfo) => {
    await open(page, testInfo, "/pricing?billing=yearly");
    await expect(page.getByTestId("plan-pro").getByTestId("price")).toHaveText("$15.20");
    await expect(page.getByTestId("plan-team").getByTestId("billing-note")).toHaveText("$470.40 billed yearly");
  });

  test("an unknown address answers 404 with a way back", async ({ page }) => {
    const response = await page.goto("/no-such-page");
    expect(response?.status()).toBe(404);
    await expect(page.getByRole("heading", { name: "Page not found" })).toBeVisible();
  });
});
