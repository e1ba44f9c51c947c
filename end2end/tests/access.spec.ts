import { expect, test, type Page, type TestInfo } from "@playwright/test";
import { jsEnabled, open, operator, postGenerate, signInByEmail, uniqueEmail } from "./support";

/** One generation: through the page with JavaScript, through the API otherwise. */
async function generateOnce(page: Page, testInfo: TestInfo, prompt: string) {
  if (jsEnabled(testInfo)) {
    await page.getByLabel("What should we write?").fill(prompt);
    await page.getByTestId("generate-button").click();
    await expect(page.getByTestId("generate-button")).toHaveText("Write it");
    return;
  }
  const response = await postGenerate(page, prompt);
  expect(response.status()).toBe(200);
  expect(await response.text()).toContain(prompt);
}

test.describe("generations", () => {
  test("a Free user gets 10 a day, the 11th is refused, a credit pack lets them continue", async ({ page }, testInfo) => {
    const email = uniqueEmail(testInfo, "writer");
    await signInByEmail(page, testInfo, email);
    await expect(page.getByTestId("meter-generations")).toContainText("You have 10 generations left today");
    await open(page, testInfo, "/generate");
    for (let i = 1; i <= 10; i++) {
      await generateOnce(page, testInfo, `note number ${i}`);
      if (jsEnabled(testInfo)) {
        await expect(page.getByTestId("output")).toContainText(`note number ${i}`);
        await expect(page.getByTestId("generations-meter")).toContainText(
          i === 10 ? "No generations left today" : i === 9 ? "You have 1 generation left today" : `You have ${10 - i} generations left today`,
        );
      }
    }
    if (jsEnabled(testInfo)) {
      await page.getByLabel("What should we write?").fill("one too many");
      await page.getByTestId("generate-button").click();
      const modal = page.getByRole("dialog", { name: "You're out of credits" });
      await expect(modal).toBeVisible();
      await expect(modal).toHaveAttribute("aria-modal", "true");
      await expect(modal.getByTestId("out-of-credits-message")).toHaveText("Daily limit reached");
      await expect(modal.getByTestId("out-of-credits-reset")).toContainText(/^Resets at \d\d:\d\d\.$/);
      // One click into Pro's checkout is the first thing focused; a pack is the other way on.
      await expect(modal.getByTestId("upgrade-now")).toHaveText("Upgrade to Pro · $19 a month");
      await expect(modal.getByTestId("upgrade-now")).toBeFocused();
      await expect(modal.getByTestId("buy-pack").first()).toContainText("100 generations");
      // Tab stays inside the dialog; Escape closes it.
      for (let i = 0; i < 6; i++) await page.keyboard.press("Tab");
      await expect(modal.locator(":focus")).toHaveCount(1);
      await page.keyboard.press("Escape");
      await expect(modal).toBeHidden();
      // The focus is back where it was: on the button that was pressed.
      await expect(page.getByTestId("generate-button")).toBeFocused();
      await page.getByTestId("generate-button").click();
      await expect(modal).toBeVisible();
      await modal.getByRole("button", { name: "Not now" }).click();
      await expect(modal).toBeHidden();
    } else {
      const refused = await postGenerate(page, "one too many");
      expect(refused.status()).toBe(429);
      const body = await refused.json();
      expect(body).toMatchObject({ error: "Daily limit reached", remaining: 0, limit: 10, upgradeUrl: "/pricing" });
      expect(body.resetAt).toMatch(/T00:00:00Z$/);
    }
    await open(page, testInfo, "/dashboard");
    await expect(page.getByTestId("meter-generations")).toContainText("No generations left today");

    expect(operator("credits", "grant", email, "100")).toContain("credit balance is now 100");
    await open(page, testInfo, "/generate");
    await expect(page.getByTestId("generations-meter")).toContainText("You have 100 generations left today");
    await generateOnce(page, testInfo, "paid with a credit");
    await open(page, testInfo, "/dashboard");
    await expect(page.getByTestId("plan")).toContainText("99 credits");
  });

  test("guests get 5 generations, then are asked to sign in", async ({ page }, testInfo) => {
    await open(page, testInfo, "/generate");
    await expect(page.getByTestId("generations-meter")).toContainText("You have 5 generations left to try");
    for (let i = 1; i <= 5; i++) {
      await generateOnce(page, testInfo, `guest line ${i}`);
    }
    if (jsEnabled(testInfo)) {
      await page.getByLabel("What should we write?").fill("sixth");
      await page.getByTestId("generate-button").click();
      const modal = page.getByTestId("out-of-credits");
      await expect(modal.getByTestId("out-of-credits-message")).toHaveText(
        "You've used your 5 free generations. Sign in to continue.",
      );
      await expect(modal.getByTestId("upgrade-link")).toHaveText("Sign in");
    } else {
      const refused = await postGenerate(page, "sixth");
      expect(refused.status()).toBe(401);
    }
  });
});

test.describe("plans and limits on the demo features", () => {
  test("Pro tutors are refused to Free users and open once they are on Pro", async ({ page }, testInfo) => {
    const email = uniqueEmail(testInfo, "student");
    await signInByEmail(page, testInfo, email);
    await open(page, testInfo, "/tutors");
    const fiona = page.getByTestId("tutor-fiction");
    await expect(fiona.getByTestId("requires-pro")).toHaveText("Requires Pro");
    await expect(fiona.getByTestId("requires-pro")).toHaveAttribute("href", "/pricing");
    // The action is disabled with its reason beside it…
    await expect(fiona.getByRole("button", { name: "Start a session" })).toBeDisabled();
    await expect(fiona.getByTestId("locked-reason")).toContainText("Upgrade to Pro to use Pro tutors.");
    // …and the server refuses it anyway when the form is sent by hand.
    const origin = new URL(page.url()).origin;
    const forced = await page.request.post("/tutors/start", {
      form: { tutor: "fiction", key: `forced-${Date.now()}` },
      headers: { Origin: origin },
      maxRedirects: 0,
    });
    expect(forced.status()).toBe(303);
    expect(forced.headers()["location"]).toContain("error=");
    await open(page, testInfo, forced.headers()["location"]);
    await expect(page.getByTestId("tutor-error")).toContainText("Upgrade to Pro to use Pro tutors.");

    expect(operator("user", "set-plan", email, "pro")).toBe(`${email} is now on pro (active).`);
    await open(page, testInfo, "/tutors");
    await expect(page.getByTestId("tutor-fiction").getByTestId("requires-pro")).toHaveCount(0);
    await page.getByTestId("tutor-fiction").getByRole("button", { name: "Start a session" }).click();
    await expect(page.getByTestId("tutor-started")).toHaveText("Your session with Fiona has started.");
    await expect(page.getByTestId("tutor-meter")).toContainText("You have 29 tutor sessions left this month");
  });

  test("tracked accounts stop at the plan's limit with a message saying what to do", async ({ page }, testInfo) => {
    await signInByEmail(page, testInfo, uniqueEmail(testInfo, "saver"));
    await open(page, testInfo, "/accounts");
    for (const name of ["Checking", "Savings", "Travel"]) {
      await page.getByLabel("Account name").fill(name);
      await page.getByLabel("Account number").fill("GB29 NWBK 6016 1331 9268 19");
      await page.getByRole("button", { name: "Add" }).click();
      await expect(page.getByTestId("tracked-account").filter({ hasText: name })).toBeVisible();
    }
    await expect(page.getByTestId("accounts-meter")).toContainText("No tracked accounts left on your plan");
    await page.getByLabel("Account name").fill("Fourth");
    await page.getByLabel("Account number").fill("12345678");
    await page.getByRole("button", { name: "Add" }).click();
    await expect(page.getByTestId("accounts-error")).toHaveText(
      "You've reached your tracked accounts limit (3). Remove one or upgrade your plan to add more.",
    );
    await page.getByRole("button", { name: "Remove Travel" }).click();
    await expect(page.getByTestId("tracked-account")).toHaveCount(2);
  });
});

test.describe("reset times in the viewer's time zone", () => {
  // Kolkata is UTC+05:30 all year (no daylight saving), so midnight UTC is 05:30 there.
  test.use({ timezoneId: "Asia/Kolkata" });

  test("the daily reset reads 05:30 in Kolkata with JavaScript and 00:00 UTC without", async ({ page }, testInfo) => {
    await signInByEmail(page, testInfo, uniqueEmail(testInfo, "zone"));
    const reset = page.getByTestId("meter-generations").getByTestId("resets-at");
    await expect(reset).toHaveText(jsEnabled(testInfo) ? "Resets at 05:30" : "Resets at 00:00 UTC");
    await expect(reset.locator("time")).toHaveAttribute("datetime", /T00:00:00Z$/);
  });
});
