import { expect, test } from "@playwright/test";
import { jsEnabled, open, signInByEmail, signInToPicker, uniqueEmail } from "./support";

test.describe("paying for a plan in test mode", () => {
  test("a Free user upgrades on /pricing, pays in the test checkout and is on Pro at once", async ({ page }, testInfo) => {
    const email = uniqueEmail(testInfo, "upgrade");
    await signInByEmail(page, testInfo, email);
    await expect(page.getByTestId("plan")).toContainText("Free");

    await open(page, testInfo, "/pricing");
    await page.getByTestId("plan-pro").getByRole("button", { name: "Start 7-day free trial" }).click();

    await expect(page).toHaveURL(/\/billing\/test-checkout\/cs_local_/);
    if (jsEnabled(testInfo)) {
      await expect(page.locator("body")).toHaveAttribute("data-hydrated", "true");
    }
    await expect(page.getByTestId("checkout-title")).toHaveText("Pro, billed monthly");
    await expect(page.getByTestId("checkout-terms")).toContainText("then $19.00 per month");

    await page.getByRole("button", { name: "Pay with a card that is declined" }).click();
    await expect(page.getByRole("alert")).toContainText("Your card was declined (test mode)");

    await page.getByRole("button", { name: "Start 7-day free trial — test mode" }).click();
    await expect(page).toHaveURL(/\/dashboard$/);
    await expect(page.getByTestId("plan")).toContainText("Pro");
    await expect(page.getByTestId("meter-generations")).toContainText("100 generations left today");
  });

  test("a new person picks Pro in the plan picker right after signing in and starts the trial", async ({ page }, testInfo) => {
    await signInToPicker(page, testInfo, uniqueEmail(testInfo, "picker"));
    await page.getByTestId("plan-pro").getByRole("button", { name: "Start 7-day free trial" }).click();
    await expect(page.getByTestId("checkout-title")).toHaveText("Pro, billed monthly");
    await page.getByRole("button", { name: "Start 7-day free trial — test mode" }).click();
    await expect(page).toHaveURL(/\/dashboard$/);
    await expect(page.getByTestId("plan")).toContainText("Pro (trialing)");
  });

  test("a yearly checkout keeps the interval chosen on the toggle", async ({ page }, testInfo) => {
    await signInByEmail(page, testInfo, uniqueEmail(testInfo, "yearly"));
    await open(page, testInfo, "/pricing?billing=yearly");
    await page.getByTestId("plan-team").getByRole("button").click();
    await expect(page.getByTestId("checkout-title")).toHaveText("Team, billed yearly");
    await expect(page.getByTestId("checkout-terms")).toContainText("then $470.40 per year");
  });

  test("the test portal takes a subscription to past due and back to Free", async ({ page }, testInfo) => {
    await signInByEmail(page, testInfo, uniqueEmail(testInfo, "portal"));
    await open(page, testInfo, "/pricing");
    await page.getByTestId("plan-pro").getByRole("button").click();
    await page.getByRole("button", { name: "Start 7-day free trial — test mode" }).click();
    await expect(page).toHaveURL(/\/dashboard$/);

    await open(page, testInfo, "/account");
    await page.getByRole("button", { name: "Manage billing" }).click();
    await expect(page).toHaveURL(/\/billing\/test-portal$/);
    await expect(page.getByTestId("portal-status")).toHaveText("Trialing");

    await page.getByRole("button", { name: "Make the next renewal fail" }).click();
    await expect(page.getByRole("status")).toContainText("Done");
    await page.getByRole("button", { name: "End the period now (renew)" }).click();
    await expect(page.getByTestId("portal-status")).toHaveText("Past due");
    await open(page, testInfo, "/dashboard");
    await expect(page.getByTestId("plan")).toContainText("Pro");
    await expect(page.getByTestId("plan")).toContainText("past due");

    await open(page, testInfo, "/billing/test-portal");
    await page.getByRole("button", { name: "Cancel now" }).click();
    await expect(page.getByTestId("portal-status")).toHaveText("Canceled");
    await open(page, testInfo, "/dashboard");
    await expect(page.getByTestId("plan")).toContainText("Free");
    await expect(page.getByTestId("meter-generations")).toContainText("10 generations left today");
  });

  test("a credit pack bought on /pricing shows its credits on the dashboard", async ({ page }, testInfo) => {
    await signInByEmail(page, testInfo, uniqueEmail(testInfo, "pack"));
    await open(page, testInfo, "/pricing");
    await page.getByTestId("credit-pack").filter({ hasText: "100 generations" }).getByRole("button", { name: "Buy" }).click();
    await expect(page.getByTestId("checkout-title")).toHaveText("Credit pack: 100 generations");
    await page.getByRole("button", { name: "Pay $5.00 — test mode" }).click();
    await expect(page).toHaveURL(/\/dashboard$/);
    await expect(page.getByTestId("plan")).toContainText("100 credits");
  });

  test("a pack refunded in the test portal takes its credits back", async ({ page }, testInfo) => {
    await signInByEmail(page, testInfo, uniqueEmail(testInfo, "refund"));
    await open(page, testInfo, "/pricing");
    await page.getByTestId("credit-pack").filter({ hasText: "100 generations" }).getByRole("button", { name: "Buy" }).click();
    await page.getByRole("button", { name: "Pay $5.00 — test mode" }).click();
    await expect(page.getByTestId("plan")).toContainText("100 credits");

    await open(page, testInfo, "/account");
    await page.getByRole("button", { name: "Manage billing" }).click();
    await expect(page.getByTestId("portal-plan")).toContainText("No subscription");
    const pack = page.getByTestId("portal-packs").getByRole("listitem").first();
    await expect(pack).toContainText("100 generations, $5.00, paid");
    await pack.getByRole("button", { name: "Refund (test)" }).click();
    await expect(page.getByRole("status")).toContainText("credits were taken back");
    await expect(page.getByTestId("portal-packs")).toContainText("Refunded");

    await open(page, testInfo, "/dashboard");
    await expect(page.getByTestId("plan")).not.toContainText("credits");
  });
});
