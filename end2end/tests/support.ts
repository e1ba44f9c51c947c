import { expect, type Page, type TestInfo } from "@playwright/test";

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
