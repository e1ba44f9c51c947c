import { expect, test, type Browser, type Page, type TestInfo } from "@playwright/test";
import { confirmSignIn, continueToDashboard, open, openMailedLink, signInByEmail, uniqueEmail } from "./support";

test.describe("sign-in by email", () => {
  test("a new user signs in by magic link, sees their name, and signs out", async ({ page }, testInfo) => {
    const email = uniqueEmail(testInfo, "ada");
    await signInByEmail(page, testInfo, email);

    const name = email.split("@")[0];
    await expect(page.getByTestId("welcome")).toHaveText(`Welcome, ${name}`);
    await expect(page.getByTestId("viewer-name")).toContainText(name);

    await page.getByRole("button", { name: "Sign out" }).click();
    await expect(page).toHaveURL(/\/$/);
    await expect(page.getByRole("link", { name: "Sign in" })).toBeVisible();

    const response = await page.goto("/dashboard");
    expect(response?.url()).toContain("/login?next=/dashboard");
  });

  test("a used link says so and offers a new one", async ({ page }, testInfo) => {
    const email = uniqueEmail(testInfo, "grace");
    await signInByEmail(page, testInfo, email);
    await page.goto("/dev/mailbox");
    const href = await page.getByTestId("mail").filter({ hasText: `To ${email}` }).first().getByTestId("mail-link").getAttribute("href");
    await page.goto(href!);
    await expect(page.getByTestId("login-error")).toContainText("already used");
    await page.getByRole("link", { name: "Get a new link" }).click();
    await expect(page.getByRole("button", { name: "Email me a sign-in link" })).toBeVisible();
  });

  test("a mail scanner opening the link first does not use it up", async ({ page }, testInfo) => {
    const email = uniqueEmail(testInfo, "scan");
    await open(page, testInfo, "/login");
    await page.getByLabel("Email").fill(email);
    await page.getByRole("button", { name: "Email me a sign-in link" }).click();
    await page.goto("/dev/mailbox");
    const href = await page.getByTestId("mail").filter({ hasText: `To ${email}` }).first().getByTestId("mail-link").getAttribute("href");
    // The scanner fetches the link (GET and HEAD) before the person clicks it.
    expect((await page.request.get(href!)).status()).toBe(200);
    expect((await page.request.head(href!)).status()).toBe(200);
    await page.goto(href!);
    await confirmSignIn(page, email);
    await continueToDashboard(page);
  });

  test("pages that need sign-in come back after signing in", async ({ page }, testInfo) => {
    await page.goto("/account");
    await expect(page).toHaveURL(/\/login\?next=\/account/);
    const email = uniqueEmail(testInfo, "ret");
    await page.getByLabel("Email").fill(email);
    await page.getByRole("button", { name: "Email me a sign-in link" }).click();
    await page.goto("/dev/mailbox");
    await openMailedLink(page, email);
    await confirmSignIn(page, email);
    await expect(page).toHaveURL(/\/account$/);
    await expect(page.getByTestId("profile-email")).toHaveText(email);
  });
});

test.describe("sessions", () => {
  async function newSignedInPage(browser: Browser, testInfo: TestInfo, email: string): Promise<Page> {
    const { baseURL, javaScriptEnabled } = testInfo.project.use;
    const context = await browser.newContext({ baseURL, javaScriptEnabled });
    const page = await context.newPage();
    await signInByEmail(page, testInfo, email);
    return page;
  }

  test("revoking another session signs that browser out", async ({ browser }, testInfo) => {
    const email = uniqueEmail(testInfo, "two");
    const laptop = await newSignedInPage(browser, testInfo, email);
    const phone = await newSignedInPage(browser, testInfo, email);

    await open(laptop, testInfo, "/account");
    const sessions = laptop.getByTestId("session");
    await expect(sessions).toHaveCount(2);
    const other = sessions.filter({ hasNotText: "This browser" });
    await other.getByRole("button", { name: "Revoke" }).click();
    await expect(laptop.getByTestId("account-notice")).toHaveText("That session has been signed out.");
    await expect(laptop.getByTestId("session")).toHaveCount(1);

    await phone.goto("/account");
    await expect(phone).toHaveURL(/\/login\?next=\/account/);
    await laptop.goto("/account");
    await expect(laptop.getByTestId("profile-email")).toHaveText(email);
  });
});

test.describe("sign-in with an OIDC provider", () => {
  test("one click on the provider button signs in and back out", async ({ page }, testInfo) => {
    await open(page, testInfo, "/login");
    await page.getByRole("link", { name: "Continue with Acme SSO" }).click();
    await continueToDashboard(page);
    await expect(page.getByTestId("welcome")).toHaveText("Welcome, Oidc User");
    await expect(page.getByTestId("viewer-name")).toContainText("Oidc User");

    await page.getByRole("button", { name: "Sign out" }).click();
    await expect(page.getByRole("link", { name: "Sign in" })).toBeVisible();
  });
});
