import { expect, test } from "@playwright/test";
import { jsEnabled, open, signInByEmail, uniqueEmail } from "./support";

test.describe("the site header", () => {
  test("on a 360 px phone it fits the screen and folds the product's pages into a menu", async ({ page }, testInfo) => {
    await page.setViewportSize({ width: 360, height: 740 });
    await signInByEmail(page, testInfo, uniqueEmail(testInfo, "phone"));
    await open(page, testInfo, "/dashboard");
    const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
    expect(overflow, "nothing sticks out to the right").toBeLessThanOrEqual(0);

    const nav = page.getByRole("navigation", { name: "Main" });
    await expect(nav.getByRole("link", { name: "Generate" })).toBeHidden();
    await nav.getByText("Menu").click();
    for (const name of ["Dashboard", "Generate", "Tutors", "Accounts", "Pricing"]) {
      await expect(nav.getByRole("link", { name })).toBeVisible();
    }
    await expect(nav.getByRole("button", { name: "Sign out" })).toBeVisible();
    const opened = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
    expect(opened, "the open menu fits too").toBeLessThanOrEqual(0);

    await nav.getByRole("link", { name: "Tutors" }).click();
    await expect(page).toHaveURL(/\/tutors$/);
  });

  test("on a laptop every link is in the bar", async ({ page }, testInfo) => {
    await page.setViewportSize({ width: 1280, height: 800 });
    await signInByEmail(page, testInfo, uniqueEmail(testInfo, "laptop"));
    const nav = page.getByRole("navigation", { name: "Main" });
    await expect(nav.getByText("Menu")).toBeHidden();
    for (const name of ["Dashboard", "Generate", "Tutors", "Accounts", "Pricing"]) {
      await expect(nav.getByRole("link", { name })).toBeVisible();
    }
  });

  test("a visitor's page loads only the first wasm file; a signed-in page also the header's signed-in parts, and the notices' only when it has some", async ({
    page,
  }, testInfo) => {
    test.skip(!jsEnabled(testInfo), "no wasm without JavaScript");
    const wasm: string[] = [];
    page.on("request", (request) => {
      const path = new URL(request.url()).pathname;
      if (path.endsWith(".wasm")) wasm.push(path);
    });
    await open(page, testInfo, "/pricing");
    expect(wasm, "a visitor downloads the first file alone").toEqual(["/pkg/tollgate.wasm"]);

    await signInByEmail(page, testInfo, uniqueEmail(testInfo, "parts"));
    wasm.length = 0;
    await open(page, testInfo, "/pricing");
    const split = wasm.map((path) => path.replace(/^\/pkg\//, "")).filter((file) => file.startsWith("split_"));
    for (const part of ["allowance_counter", "signed_in_menu"]) {
      expect(split.some((file) => file.startsWith(`split_${part}_`)), `${part} in ${split}`).toBe(true);
    }
    expect(
      split.some((file) => file.startsWith("split_billing_notices_")),
      `no notices on this page, so not their code: ${split}`,
    ).toBe(false);
    const nav = page.getByRole("navigation", { name: "Main" });
    await expect(nav.getByTestId("viewer-name")).toBeVisible();
    await expect(page.getByTestId("site-header")).toContainText("generations left today");
  });
});
