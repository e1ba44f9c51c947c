import { expect, test } from "@playwright/test";
import { jsEnabled } from "./support";

/**
 * Issue 9's budget for a first visit: the wasm file every visitor downloads is at most 250 KB
 * as a browser that takes gzip gets it (one that takes brotli gets less: ~190 KB). A size, not a
 * time: the same build always gives the same bytes. It also guards two things of the build: the
 * room that lets the splitter move the lazy pages' constant data into their own files
 * (`frontend/src/split_data_room.rs`; when the splitter gives up on that, ~24 KB of it comes
 * back here), and the gzip -9 copies `make build-release` writes over cargo-leptos' weaker ones.
 */
const FIRST_FILE_BUDGET = 250_000;

test("the first wasm file fits the first-visit budget", async ({ request }, testInfo) => {
  test.skip(!jsEnabled(testInfo), "a budget of the hydrated app; measured once");
  const answer = await request.get("/pkg/tollgate.wasm", { headers: { "Accept-Encoding": "gzip" } });
  expect(answer.status()).toBe(200);
  expect(answer.headers()["content-encoding"]).toBe("gzip");
  const sent = Number(answer.headers()["content-length"]);
  expect(sent, `tollgate.wasm sent as ${sent} bytes of gzip`).toBeLessThanOrEqual(FIRST_FILE_BUDGET);
  expect(sent, "a real file, not an error page").toBeGreaterThan(100_000);
});
