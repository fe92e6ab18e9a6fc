// End-to-end journeys in Debian's Chromium (no browser download is possible here) against a
// production build started as `npm start` would, on a fresh data directory.
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { defineConfig } from '@playwright/test';

const port = Number(process.env.E2E_PORT ?? 3217);
const dataDir = mkdtempSync(path.join(tmpdir(), 'txdrift-e2e-'));

export default defineConfig({
  testDir: 'test/e2e',
  timeout: 60_000,
  fullyParallel: false,
  workers: 1,
  reporter: [['list']],
  outputDir: 'test-results',
  use: {
    baseURL: `http://127.0.0.1:${port}`,
    screenshot: 'on',
    trace: 'retain-on-failure',
    launchOptions: {
      executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
      args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--no-first-run'],
    },
  },
  webServer: {
    command: 'node --import tsx --import ./scripts/server-only-hook.mjs server.ts',
    url: `http://127.0.0.1:${port}/readyz`,
    reuseExistingServer: false,
    timeout: 120_000,
    env: {
      NODE_ENV: 'production', PORT: String(port), HOST: '127.0.0.1', DATA_DIR: dataDir, TXDRIFT_DEMO: '0', LOG_LEVEL: 'warn',
      // Analysis and detection every 2 s, on the seeded payment model.
      ANALYSIS_INTERVAL: '2s', TXDRIFT_CONFIG: path.resolve('test/e2e/fixtures/txdrift.yaml'),
    },
  },
});
