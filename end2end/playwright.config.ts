import { defineConfig } from "@playwright/test";
import { databaseUrl } from "./env";

/**
 * Runs every spec twice: with JavaScript ("js", the hydrated app) and without ("no-js", the
 * server-rendered HTML and plain forms). The server is the release build, started on a fresh
 * SQLite database for each run (or on E2E_DATABASE_URL when set), with a local OpenID Connect
 * provider (oidc-provider.mjs) configured as "Acme SSO".
 */
const port = Number(process.env.E2E_PORT ?? 3100);
const baseURL = `http://127.0.0.1:${port}`;
const oidcPort = port + 1;
const oidcIssuer = `http://127.0.0.1:${oidcPort}`;

const chromium = {
  executablePath: process.env.CHROMIUM_PATH ?? "/usr/bin/chromium",
  // Without the background-networking flags Chromium floods the closed network with requests.
  args: [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
  ],
};

export default defineConfig({
  testDir: "./tests",
  fullyParallel: true,
  workers: 2,
  retries: 0,
  forbidOnly: !!process.env.CI,
  reporter: [["list"]],
  timeout: 30_000,
  use: {
    baseURL,
    trace: "retain-on-failure",
    launchOptions: chromium,
  },
  projects: [
    { name: "js", use: { javaScriptEnabled: true } },
    { name: "no-js", use: { javaScriptEnabled: false } },
  ],
  webServer: [
  {
    command: "node oidc-provider.mjs",
    url: `${oidcIssuer}/.well-known/openid-configuration`,
    reuseExistingServer: false,
    timeout: 30_000,
    env: { OIDC_PORT: String(oidcPort) },
  },
  {
    command: "sh -c 'rm -rf .tmp && mkdir -p .tmp && exec ../target/release/tollgate serve'",
    url: `${baseURL}/healthz`,
    reuseExistingServer: false,
    timeout: 60_000,
    stdout: "pipe",
    stderr: "pipe",
    env: {
      BIND_ADDR: `127.0.0.1:${port}`,
      DATABASE_URL: databaseUrl,
      // Streams visibly but quickly.
      DEMO_WORD_DELAY_MS: "2",
      // Every spec signs in from 127.0.0.1; the default 20 per 15 minutes is for the public.
      LOGIN_LINKS_PER_IP: "1000",
      GUESTS_PER_IP: "1000",
      LEPTOS_SITE_ROOT: "../target/site",
      PLANS_FILE: "../plans.toml",
      RUST_LOG: "warn",
      OIDC_ISSUER_URL: oidcIssuer,
      OIDC_CLIENT_ID: "tollgate-e2e",
      OIDC_CLIENT_SECRET: "tollgate-e2e-secret",
      OIDC_NAME: "Acme SSO",
    },
  },
  ],
});
