import { expect, type Page, type TestInfo } from "@playwright/test";
import { execFileSync } from "node:child_process";
import { databaseUrl } from "../env";

/** `POST /api/generate` from the page's origin, as its form would send it. */
export function postGenerate(page: Page, prompt: string) {
  return page.request.post("/api/generate", {
    data: { prompt },
    headers: { Origin: new URL(page.url()).origin },
  });
}

/** Whether the running project has JavaScript on. */
export function jsEnabled(testInfo: TestInfo): boolean {
  return testInfo.project.use.javaScriptEnabled !== false;
}

/**
 * Opens `path` and, with JavaScript on, waits until the wasm app has hydrated the page (the app
 * sets `data-hydrated` on <body>), failing on any uncaught page error on the way.
 */
export async function open(page: Page, testInfo: TestInfo, path: string): Promise<void> {
  const errors: string[] = [];
  page.on("pageerror", (error) => errors.push(error.message));
  const response = await page.goto(path);
  expect(response?.status(), `status of ${path}`).toBeLessThan(400);
  if (jsEnabled(testInfo)) {
    await expect(page.locator("body")).toHaveAttribute("data-hydrated", "true");
  }
  expect(errors, "uncaught errors in the page").toEqual([]);
}

/** An address no other test (or project, or run) uses. */
export function uniqueEmail(testInfo: TestInfo, who: string): string {
  return `${who}-${testInfo.project.name}-${Date.now()}-${testInfo.workerIndex}@example.com`;
}

/**
 * After signing in with nowhere particular to go: a first sign-in shows the plan picker, where
 * "Continue with Free" leads on; later ones land on the dashboard at once.
 */
export async function continueToDashboard(page: Page): Promise<void> {
  await expect(page).toHaveURL(/\/(welcome|dashboard)$/);
  if (page.url().endsWith("/welcome")) {
    await page.getByRole("link", { name: "Continue with Free" }).click();
  }
  await expect(page).toHaveURL(/\/dashboard$/);
}

/** Signs in through the real form and the dev mailbox, as a person would (a new person picks Free). */
export async function signInByEmail(page: Page, testInfo: TestInfo, email: string): Promise<void> {
  await signInByLink(page, testInfo, email);
  await continueToDashboard(page);
}

/** A new person signs in through the real form and the dev mailbox: the plan picker. */
export async function signInToPicker(page: Page, testInfo: TestInfo, email: string): Promise<void> {
  await signInByLink(page, testInfo, email);
  await expect(page).toHaveURL(/\/welcome$/);
  await expect(page.getByTestId("welcome-heading")).toHaveText("Welcome! Pick a plan to start");
}

/** The login form, the dev mailbox, the link, the confirm button. */
async function signInByLink(page: Page, testInfo: TestInfo, email: string): Promise<void> {
  await open(page, testInfo, "/login");
  await page.getByLabel("Email").fill(email);
  await page.getByRole("button", { name: "Email me a sign-in link" }).click();
  await expect(page.getByTestId("link-sent")).toContainText("We sent a sign-in link");
  await expect(page.getByLabel("Email")).toHaveValue(email);

  await page.getByRole("link", { name: "open the dev mailbox" }).click();
  await openMailedLink(page, email);
  await confirmSignIn(page, email);
}

/** Opens the newest sign-in link mailed to `email` from the dev mailbox. */
export async function openMailedLink(page: Page, email: string): Promise<void> {
  const mail = page.getByTestId("mail").filter({ hasText: `To ${email}` }).first();
  await expect(mail).toContainText("Your Tollgate sign-in link");
  await mail.getByTestId("mail-link").click();
}

/** The link's landing page names the account; only its button signs in. */
export async function confirmSignIn(page: Page, email: string): Promise<void> {
  await expect(page.getByTestId("confirm-email")).toHaveText(email);
  await page.getByRole("button", { name: "Sign in" }).click();
}

/**
 * Runs an operator command (`tollgate credits grant …`, `tollgate user set-plan …`) on the
 * e2e server's database, as support staff or QA would.
 */
export function operator(...args: string[]): string {
  return execFileSync("../target/release/tollgate", args, {
    env: {
      PATH: process.env.PATH ?? "",
      DATABASE_URL: databaseUrl,
      PLANS_FILE: "../plans.toml",
      RUST_LOG: "error",
    },
    encoding: "utf8",
  }).trim();
}
