#!/usr/bin/env node
// Browser suite against a running platform (storefront/admin on AGORA_E2E_WEB_URL): Debian's Chromium
// driven by playwright-core, axe-core (WCAG 2.1 A/AA) on every page, screenshots of the main pages.
//
//   AGORA_E2E_WEB_URL=http://127.0.0.1:3000 AGORA_E2E_STAFF_TOTP_SECRET=… node e2e/run.mjs
//
// Scenarios: the golden purchase path (search → product → cart → checkout → pay → order PAID), a staff
// member watching a new order appear live in the admin (graphql-ws through the web server and router),
// axe on every page. Exit code 0 only when every step passed and axe found 0 violations.
import { createHmac } from 'node:crypto';
import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';

const here = dirname(fileURLToPath(import.meta.url));
const base = (process.env.AGORA_E2E_WEB_URL ?? 'http://127.0.0.1:3000').replace(/\/$/, '');
const artifacts = process.env.AGORA_E2E_ARTIFACTS ?? join(here, 'artifacts');
const staffEmail = process.env.AGORA_E2E_STAFF_EMAIL ?? 'admin@agora.local';
const staffPassword = process.env.AGORA_E2E_STAFF_PASSWORD ?? 'agora-admin-dev';
const totpSecret = process.env.AGORA_E2E_STAFF_TOTP_SECRET ?? 'AGORADEVTOTPSECRETAGORADEVTOTP23';
const executablePath = process.env.AGORA_CHROMIUM ?? '/usr/bin/chromium';
const axeSource = readFileSync(join(here, '..', 'node_modules', 'axe-core', 'axe.min.js'), 'utf8');
mkdirSync(artifacts, { recursive: true });

/** RFC 6238 TOTP (SHA-1, 6 digits, 30 s) for the demo staff member's authenticator. */
export function totp(secret, now = Date.now()) {
  const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567';
  let bits = '';
  for (const c of secret.replace(/=+$/, '').toUpperCase()) bits += alphabet.indexOf(c).toString(2).padStart(5, '0');
  const key = Buffer.from(bits.match(/.{8}/g).map((b) => parseInt(b, 2)));
  const counter = Buffer.alloc(8);
  counter.writeBigUInt64BE(BigInt(Math.floor(now / 30000)));
  const mac = createHmac('sha1', key).update(counter).digest();
  const offset = mac[mac.length - 1] & 0xf;
  return String((mac.readUInt32BE(offset) & 0x7fffffff) % 1_000_000).padStart(6, '0');
}

const results = { pages: {}, steps: [], failures: [] };
const log = (message) => process.stdout.write(`e2e: ${message}\n`);

async function step(name, fn, page) {
  const started = Date.now();
  try {
    await fn();
    results.steps.push({ name, ok: true, ms: Date.now() - started });
    log(`ok   ${name} (${Date.now() - started} ms)`);
  } catch (err) {
    results.steps.push({ name, ok: false, error: String(err?.message ?? err) });
    results.failures.push(`${name}: ${err?.message ?? err}`);
    log(`FAIL ${name}: ${err?.message ?? err}`);
    if (page) {
      await page.screenshot({ path: join(artifacts, `failure-${name.replace(/[^a-z0-9]+/gi, '-')}.png`), fullPage: true }).catch(() => {});
      log(`page text at failure: ${(await page.textContent('main').catch(() => '')).slice(0, 800)}`);
    }
    throw err;
  }
}

/** axe-core WCAG 2.1 A/AA on the current page; records the result and a screenshot. */
async function audit(page, name) {
  await page.waitForLoadState('networkidle').catch(() => {});
  await page.evaluate(axeSource);
  const axe = await page.evaluate(async () =>
    // eslint-disable-next-line no-undef
    await window.axe.run(document, { runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'] } }),
  );
  const violations = axe.violations.map((v) => ({ id: v.id, impact: v.impact, help: v.help, nodes: v.nodes.map((n) => n.target.join(' ')).slice(0, 5) }));
  results.pages[name] = { url: page.url(), violations: violations.length, passes: axe.passes.length, details: violations };
  await page.screenshot({ path: join(artifacts, `${name}.png`), fullPage: true });
  log(`axe  ${name}: ${violations.length} violations, ${axe.passes.length} rules passed`);
  if (violations.length) results.failures.push(`axe ${name}: ${violations.map((v) => `${v.id} (${v.nodes[0]})`).join(', ')}`);
}

async function staffSignIn(page) {
  await page.goto(`${base}/admin`);
  await page.getByLabel('Email').fill(staffEmail);
  await page.getByLabel('Password').fill(staffPassword);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await page.getByLabel('Authenticator code').waitFor();
  await page.getByLabel('Authenticator code').fill(totp(totpSecret));
  await page.getByRole('button', { name: 'Sign in' }).click();
  await page.getByRole('heading', { name: 'Dashboard' }).waitFor();
}

/** From a product page with stock to the confirmation page; returns the order number. */
async function buy(page, query, card = 'tok_success') {
  await page.goto(`${base}/search?q=${encodeURIComponent(query)}`);
  const first = page.locator('main ul.grid li a').first();
  await first.waitFor();
  await first.click();
  await page.getByRole('button', { name: 'Add to cart' }).waitFor();
  await page.getByRole('button', { name: 'Add to cart' }).click();
  await page.getByText('Added to your cart').waitFor();
  await page.goto(`${base}/checkout`);
  await page.getByLabel('Email').fill('shopper@example.com');
  await page.getByLabel('First name').fill('Ada');
  await page.getByLabel('Last name').fill('Lovelace');
  await page.getByLabel('Street address').fill('Unter den Linden 1');
  await page.getByLabel('City').fill('Berlin');
  await page.getByLabel('Postal code').fill('10117');
  await page.getByLabel('Country code (e.g. DE)').fill('DE');
  await page.getByRole('button', { name: 'Save address' }).click();
  await page.getByRole('radio').first().waitFor();
  await page.getByRole('radio').first().check();
  await page.getByRole('combobox', { name: 'Card' }).selectOption(card);
  await page.waitForFunction(() => !document.querySelector('button:disabled'));
  await page.getByRole('button', { name: 'Place order' }).click();
  const heading = page.getByRole('heading', { name: /Order #\d+/ });
  await heading.waitFor({ timeout: 45000 });
  const number = (await heading.textContent()).match(/#(\d+)/)[1];
  return number;
}

const browser = await chromium.launch({
  executablePath,
  headless: true,
  args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
});
let code = 0;
try {
  const shopper = await (await browser.newContext({ viewport: { width: 1280, height: 900 } })).newPage();
  page_errors(shopper);

  await step('home shows products', async () => {
    await shopper.goto(base + '/');
    await shopper.getByRole('heading', { name: 'Welcome to Agora' }).waitFor();
    await shopper.locator('main ul.grid li').first().waitFor();
    await audit(shopper, 'home');
  });
  await step('search with a typo finds products and shows facets', async () => {
    await shopper.goto(`${base}/search?q=${encodeURIComponent('teee')}`);
    await shopper.locator('main ul.grid li').first().waitFor();
    await shopper.getByRole('group').first().waitFor();
    await audit(shopper, 'search');
  });
  await step('autocomplete suggests as you type', async () => {
    await shopper.goto(base + '/');
    await shopper.getByRole('combobox').fill('te');
    await shopper.getByRole('option').first().waitFor();
  });
  await step('category page', async () => {
    await shopper.goto(base + '/');
    await shopper.getByRole('navigation', { name: 'Categories' }).getByRole('link').first().click();
    await shopper.locator('main ul.grid li').first().waitFor();
    await audit(shopper, 'category');
  });
  await step('product page with reviews', async () => {
    await shopper.goto(`${base}/search?q=tee`);
    await shopper.locator('main ul.grid li a').first().click();
    await shopper.getByRole('heading', { name: 'Reviews', exact: true }).waitFor();
    await shopper.getByRole('button', { name: 'Add to cart' }).waitFor();
    await audit(shopper, 'product');
  });
  for (const [path, name, marker] of [
    ['/account', 'sign-in', 'Sign in'],
    ['/account/register', 'register', 'Create an account'],
    ['/account/reset', 'password-reset', 'Reset your password'],
  ]) {
    await step(`${name} page`, async () => {
      await shopper.goto(base + path);
      await shopper.getByRole('heading', { name: marker }).first().waitFor();
      await audit(shopper, name);
    });
  }

  const staff = await (await browser.newContext({ viewport: { width: 1440, height: 900 } })).newPage();
  page_errors(staff);
  await step('staff signs in with TOTP and opens the dashboard', async () => {
    await staffSignIn(staff);
    await staff.getByText(/Waiting for new orders/).waitFor();
  });

  let number;
  await step('golden purchase path: search → product → cart → checkout → pay → PAID', async () => {
    await shopper.goto(`${base}/search?q=tee`);
    await shopper.locator('main ul.grid li a').first().click();
    await shopper.getByRole('button', { name: 'Add to cart' }).click();
    await shopper.getByText('Added to your cart').waitFor();
    await shopper.goto(`${base}/cart`);
    await shopper.getByRole('heading', { name: 'Your cart' }).waitFor();
    await audit(shopper, 'cart');
    await shopper.goto(`${base}/checkout`);
    await shopper.getByRole('heading', { name: 'Checkout' }).waitFor();
    await audit(shopper, 'checkout');
    number = await buy(shopper, 'shirt');
    await shopper.getByTestId('order-status').filter({ hasText: 'Paid' }).waitFor({ timeout: 45000 });
    await audit(shopper, 'order-confirmation');
  }, shopper);
  await step('3-D Secure: the shopper confirms the payment on the order page', async () => {
    await buy(shopper, 'tee', 'tok_3ds_required');
    await shopper.getByRole('heading', { name: 'Your bank asks you to confirm this payment' }).waitFor({ timeout: 45000 });
    await audit(shopper, 'order-3ds');
    await shopper.getByRole('button', { name: 'I have confirmed the payment' }).click();
    await shopper.getByTestId('order-status').filter({ hasText: 'Paid' }).waitFor({ timeout: 45000 });
  }, shopper);
  await step('the staff member saw the new order arrive live', async () => {
    await staff.getByRole('link', { name: new RegExp(`New order #${number}\\b`) }).waitFor({ timeout: 45000 });
    await staff.getByRole('link', { name: new RegExp(`Payment captured for order #${number}\\b`) }).waitFor({ timeout: 45000 });
    await audit(staff, 'admin-dashboard');
  }, staff);
  await step('admin orders list and order detail with the audit trail', async () => {
    await staff.goto(`${base}/admin/orders`);
    await staff.getByRole('link', { name: `#${number}` }).waitFor();
    await audit(staff, 'admin-orders');
    await staff.getByRole('link', { name: `#${number}` }).click();
    await staff.getByRole('heading', { name: 'Audit trail' }).waitFor();
    await staff.getByRole('button', { name: 'Create fulfillment' }).click();
    await staff.getByRole('button', { name: 'Ship fulfillment' }).waitFor();
    await audit(staff, 'admin-order-detail');
  }, staff);
  await step('admin reviews moderation', async () => {
    await staff.goto(`${base}/admin/reviews`);
    await staff.getByRole('heading', { name: 'Reviews awaiting moderation' }).waitFor();
    await audit(staff, 'admin-reviews');
  });
  await step('admin products with stock per warehouse; a low-stock alert arrives live; staff & security', async () => {
    await staff.goto(`${base}/admin/products`);
    await staff.getByRole('heading', { name: 'Products' }).waitFor();
    await staff.locator('main table button').first().click();
    const stock = staff.getByRole('table', { name: 'Stock levels' });
    await stock.waitFor();
    await audit(staff, 'admin-products');
    // A second tab of the same session keeps the dashboard open while stock is taken down to 2.
    const feed = await staff.context().newPage();
    await feed.goto(`${base}/admin`);
    await feed.getByText(/Waiting for new orders/).waitFor();
    const row = stock.getByRole('row').nth(1);
    const adjustBy = async (delta) => {
      const before = Number((await row.getByRole('cell').allTextContents())[2]);
      await row.getByRole('spinbutton').fill(String(delta));
      await row.getByRole('button', { name: /^Apply to / }).click();
      await row.getByRole('cell', { name: String(before + delta), exact: true }).waitFor();
    };
    let [sku, , onHand, reserved] = await row.getByRole('cell').allTextContents();
    if (Number(onHand) - Number(reserved) <= 5) {
      await adjustBy(10); // above the low-stock threshold first, so that going down crosses it
      [sku, , onHand, reserved] = await row.getByRole('cell').allTextContents();
    }
    await adjustBy(-(Number(onHand) - Number(reserved) - 2));
    await feed.getByRole('link', { name: new RegExp(`Low stock: .*\\(${sku}\\) — 2 left`) }).waitFor({ timeout: 45000 });
    await feed.close();
    await staff.goto(`${base}/admin/staff`);
    await staff.getByRole('heading', { name: 'Permission groups' }).waitFor();
    await staff.getByText(/Permissions: /).first().waitFor();
    await audit(staff, 'admin-staff');
  }, staff);
  await step('phone layout', async () => {
    const phone = await (await browser.newContext({ viewport: { width: 390, height: 844 }, isMobile: true })).newPage();
    await phone.goto(base + '/');
    await phone.locator('main ul.grid li').first().waitFor();
    await audit(phone, 'home-phone');
  });
} catch {
  code = 1;
} finally {
  await browser.close();
}
if (results.failures.length) code = 1;
writeFileSync(join(artifacts, 'results.json'), JSON.stringify(results, null, 2));
log(`axe summary: ${Object.entries(results.pages).map(([n, r]) => `${n}=${r.violations}`).join(' ')}`);
log(code === 0 ? 'all passed' : `failed:\n  ${results.failures.join('\n  ')}`);
process.exit(code);

function page_errors(page) {
  page.on('pageerror', (err) => results.failures.push(`page error on ${page.url()}: ${err.message}`));
}
