// Opens the Aspire dashboard through its login URL in Debian's Chromium and saves the resource page as a PNG.
// Usage: node docs/dashboard/capture.mjs LOGIN_URL OUT.png   (playwright-core from .tools, no browser download)
import { createRequire } from 'node:module';
import path from 'node:path';
const require = createRequire(path.resolve('.tools/node_modules/'));
const { chromium } = require('playwright-core');

const [loginUrl, out] = process.argv.slice(2);
const browser = await chromium.launch({
  executablePath: '/usr/bin/chromium',
  args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking',
         '--disable-component-update', '--disable-sync'],
});
try {
  const page = await browser.newPage({ viewport: { width: 1600, height: 900 } });
  await page.goto(loginUrl, { waitUntil: 'networkidle' });
  // The resource grid renders over the dashboard's live connection: wait for its rows, then for the states to settle.
  await page.waitForSelector('fluent-data-grid-row, [role="row"]', { timeout: 60000 });
  await page.waitForTimeout(5000);
  await page.screenshot({ path: out, fullPage: true });
} finally {
  await browser.close();
}
