import { expect, test } from "@playwright/test";
import { jsEnabled, open, operator, signInByEmail, uniqueEmail } from "./support";

test("an admin bans a user from the users page, which signs them out everywhere, then lifts the ban", async ({
  browser,
  page,
}, testInfo) => {
  const errors: string[] = [];
  page.on("pageerror", (error) => errors.push(error.message));
  const member = uniqueEmail(testInfo, "member");
  const { baseURL, javaScriptEnabled } = testInfo.project.use;
  const memberContext = await browser.newContext({ baseURL, javaScriptEnabled });
  const memberPage = await memberContext.newPage();
  await signInByEmail(memberPage, testInfo, member);

  const admin = uniqueEmail(testInfo, "admin");
  await signInByEmail(page, testInfo, admin);
  operator("user", "make-admin", admin);
  await open(page, testInfo, "/admin");
  await expect(page.getByRole("heading", { name: "Users" })).toBeVisible();
  const row = page.getByTestId("admin-user").filter({ hasText: member });
  await expect(row).toContainText("Active");
  await row.getByRole("button", { name: "Ban" }).click();
  await expect(page.getByTestId("admin-notice")).toHaveText("The user is banned and signed out everywhere.");
  await expect(row).toContainText("Banned");
  if (jsEnabled(testInfo)) {
    await expect(page.locator("body"), "the page after the ban hydrates too").toHaveAttribute("data-hydrated", "true");
  }

  await memberPage.goto("/dashboard");
  await expect(memberPage).toHaveURL(/\/login\?next=\/dashboard$/);

  await row.getByRole("button", { name: "Unban" }).click();
  await expect(page.getByTestId("admin-notice")).toHaveText("The ban is lifted.");
  await expect(row).toContainText("Active");
  expect(errors, "uncaught errors in the admin's page").toEqual([]);
  await memberContext.close();
});
