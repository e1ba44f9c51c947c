import { expect, test } from "@playwright/test";
import { jsEnabled, open, operator, signInByEmail, uniqueEmail } from "./support";

/** Subscription statuses as the pages show them (ARCHITECTURE §5, "status → UX"). */
test.describe("billing status indicators", () => {
  test("a trial badge, then past due: a red dot on the user button and a banner to update the payment method", async ({ page }, testInfo) => {
    await signInByEmail(page, testInfo, uniqueEmail(testInfo, "pastdue"));
    await open(page, testInfo, "/pricing");
    await page.getByTestId("plan-pro").getByRole("button").click();
    await page.getByRole("button", { name: "Start 7-day free trial — test mode" }).click();
    await expect(page).toHaveURL(/\/dashboard$/);
    await expect(page.getByTestId("trial-badge")).toHaveText("Trial · 7 days left");
    await expect(page.getByTestId("attention-dot")).toHaveCount(0);

    // The renewal fails in the portal — in a second tab with JavaScript, so the first tab
    // must change by itself.
    const js = jsEnabled(testInfo);
    if (js) {
      await expect(page.locator("body")).toHaveAttribute("data-live", "on");
    }
    const portal = js ? await page.context().newPage() : page;
    await open(portal, testInfo, "/billing/test-portal");
    await portal.getByRole("button", { name: "Make the next renewal fail" }).click();
    await expect(portal.getByRole("status")).toContainText("Done");
    await portal.getByRole("button", { name: "End the period now (renew)" }).click();
    await expect(portal.getByTestId("portal-status")).toHaveText("Past due");
    if (!js) {
      await open(page, testInfo, "/dashboard");
    }

    await expect(page.getByTestId("attention-dot")).toBeVisible();
    await expect(page.getByTestId("trial-badge")).toHaveCount(0);
    const banner = page.getByTestId("status-banner-past_due");
    await expect(banner).toContainText("Your last payment for Pro failed.");
    await expect(banner).toContainText("moves to Free on");
    await banner.getByRole("button", { name: "Update payment method" }).click();
    await expect(page).toHaveURL(/\/billing\/test-portal$/);
  });

  test("unpaid: a dialog blocks the product's pages but not the billing ones", async ({ page }, testInfo) => {
    const email = uniqueEmail(testInfo, "unpaid");
    await signInByEmail(page, testInfo, email);
    operator("user", "set-plan", email, "pro", "--status", "unpaid");
    await open(page, testInfo, "/dashboard");
    const dialog = page.getByRole("alertdialog", { name: "Payment required" });
    await expect(dialog).toBeVisible();
    await expect(dialog).toContainText("Your Pro subscription is unpaid");
    await expect(page.getByTestId("attention-dot")).toBeVisible();
    if (jsEnabled(testInfo)) {
      // The dialog's code is loaded before hydration (the page has notices), so it takes focus.
      await expect(dialog.getByRole("button", { name: "Update payment method" })).toBeFocused();
      await page.keyboard.press("Escape");
      await expect(dialog, "Escape does not dismiss a payment that is required").toBeVisible();
    }
    await open(page, testInfo, "/account");
    await expect(page.getByRole("alertdialog")).toHaveCount(0);
    await open(page, testInfo, "/pricing");
    await expect(page.getByRole("alertdialog")).toHaveCount(0);
  });

  test("trial, canceled and paused each say what they mean", async ({ page }, testInfo) => {
    const email = uniqueEmail(testInfo, "statuses");
    await signInByEmail(page, testInfo, email);
    operator("user", "set-plan", email, "pro", "--status", "trialing");
    await open(page, testInfo, "/dashboard");
    await expect(page.getByTestId("trial-badge")).toHaveText(/^Trial/);
    await expect(page.getByTestId("attention-dot")).toHaveCount(0);

    operator("user", "set-plan", email, "pro", "--status", "canceled");
    await open(page, testInfo, "/dashboard");
    const canceled = page.getByTestId("status-banner-canceled");
    await expect(canceled).toContainText("Your Pro subscription is canceled.");
    await expect(canceled.getByRole("link", { name: "Resubscribe" })).toHaveAttribute("href", "/pricing");

    operator("user", "set-plan", email, "pro", "--status", "paused");
    await open(page, testInfo, "/dashboard");
    await expect(page.getByTestId("status-banner-paused")).toContainText("Resume it to get your plan back.");

    operator("user", "set-plan", email, "pro", "--status", "incomplete");
    await open(page, testInfo, "/dashboard");
    await expect(page.getByTestId("status-banner-incomplete").getByRole("button")).toHaveText("Finish your payment");
  });
});
