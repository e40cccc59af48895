// Browser tests of the website kit: every scenario in the system's headless Chromium, against a
// running local cloud. Usage: node scenarios.mjs <base-url> <screenshot-dir> <result-file> [name...]
// Writes {scenario: "ok" | "FAILED: ..."} to the result file; exits 1 when one failed.
import { chromium } from 'playwright-core';
import { readFileSync, writeFileSync, mkdirSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';

const [base, shots, resultFile, ...only] = process.argv.slice(2);
const CHROMIUM = process.env.CHROMIUM ?? '/usr/bin/chromium';
const AXE = readFileSync(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8');
const STEP = 30_000;
let current = null; // the page of the running scenario, for a screenshot when it fails
mkdirSync(shots, { recursive: true });

const browser = await chromium.launch({
  executablePath: CHROMIUM,
  headless: true,
  // Playwright gives every launch a fresh, temporary --user-data-dir.
  args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking',
    '--disable-component-update', '--disable-sync', '--disable-dev-shm-usage'],
});

/** A fresh browser profile with the checks every scenario gets: same-origin requests only, no personal data in URLs, no CSP violation. */
async function open({ gpc = false, dnt = false, locale = 'en-GB' } = {}) {
  const context = await browser.newContext({ locale, acceptDownloads: true, viewport: { width: 1100, height: 900 } });
  context.setDefaultTimeout(STEP);
  if (gpc || dnt) {
    await context.addInitScript(([g, d]) => {
      if (g) Object.defineProperty(Navigator.prototype, 'globalPrivacyControl', { get: () => true });
      if (d) Object.defineProperty(Navigator.prototype, 'doNotTrack', { get: () => '1' });
    }, [gpc, dnt]);
  }
  const page = await context.newPage();
  current = page;
  const log = { requests: [], problems: [] };
  page.on('request', (r) => {
    const url = new URL(r.url());
    log.requests.push({ method: r.method(), path: url.pathname, url: r.url(), body: r.postData() });
    if (!['blob:', 'data:'].includes(url.protocol) && url.origin !== new URL(base).origin) log.problems.push('third-party request: ' + r.url());
    if (/%40|@/.test(r.url())) log.problems.push('personal data in a URL: ' + r.url());
  });
  page.on('console', (m) => {
    if (m.type() === 'error' && /Content Security Policy|Refused to/.test(m.text())) log.problems.push('CSP: ' + m.text());
  });
  page.on('pageerror', (e) => log.problems.push('page error: ' + e.message));
  const analytics = () => log.requests.filter((r) => r.method === 'POST' && r.path === '/events').length;
  const done = async () => {
    const keys = await page.evaluate(() => Object.keys(localStorage)).catch(() => []);
    const extra = keys.filter((k) => !['custodian.consent', 'custodian.visitorId', 'custodian.orderTokens'].includes(k));
    if (extra.length) log.problems.push('localStorage holds ' + extra.join(', '));
    if (log.problems.length) throw new Error(log.problems.join('; '));
    await context.close();
  };
  return { context, page, log, analytics, done };
}

function check(condition, message) {
  if (!condition) throw new Error(message);
}

async function go(page, path) {
  await page.goto(base + path, { waitUntil: 'networkidle' });
}

async function axe(page, label) {
  await page.evaluate(AXE + ';0'); // evaluated by the test driver, not an inline script of the page
  const result = await page.evaluate(() => axe.run(document, { runOnly: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa', 'best-practice'] }));
  const bad = result.violations.filter((v) => v.impact === 'serious' || v.impact === 'critical');
  check(!bad.length, `axe on ${label}: ` + bad.map((v) => `${v.id} (${v.impact}) at ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`).join('; '));
}

async function shot(page, name) {
  await page.screenshot({ path: join(shots, name + '.png'), fullPage: true });
}

async function choose(page, button) {
  await page.getByRole('region', { name: 'Privacy choices' }).getByRole('button', { name: button }).click();
}

async function code(requestId) {
  for (let i = 0; i < 150; i++) {
    const { messages } = await (await fetch(base + '/_local/outbox')).json();
    for (const m of messages) {
      const found = String(m.body).includes(requestId) && /Your code is ([0-9]{6})/.exec(m.body);
      if (found) return found[1];
    }
    await new Promise((r) => setTimeout(r, 200));
  }
  throw new Error('no code for ' + requestId);
}

/** Buys two products through the shop's pages; answers the order id. */
async function buy(page, email) {
  await go(page, '/');
  await page.evaluate(() => sessionStorage.removeItem('custodian.basket'));
  await go(page, '/');
  await page.getByRole('button', { name: 'Add Assam breakfast tea, 250 g to basket' }).click();
  await page.getByRole('button', { name: 'Add Stoneware mug to basket' }).click();
  await page.getByLabel('Email').fill(email);
  await page.getByLabel('Name', { exact: true }).fill('Jane Doe');
  await page.getByLabel('Street and number').fill('1 Example Street');
  await page.getByLabel('Town or city').fill('London');
  await page.getByLabel('Postcode').fill('SW1A 1AA');
  await page.getByRole('button', { name: 'Place order and pay' }).click();
  await page.getByText('Order paid (£21.49).').waitFor();
  const href = await page.getByRole('link', { name: 'See your order' }).getAttribute('href');
  check(/^\/orders\/o_[0-9a-f]{32}$/.test(href), 'order link ' + href);
  return href.split('/').pop();
}

/** A privacy request through the privacy centre's form, verified with the emailed code. */
async function privacyRequest(page, type, email) {
  await go(page, '/privacy/');
  const form = page.getByRole('form', { name: 'Make a privacy request' });
  await form.getByLabel(type).check();
  await form.getByLabel('Email').fill(email);
  const created = page.waitForResponse((r) => r.url().endsWith('/privacy/requests') && r.request().method() === 'POST');
  await form.getByRole('button', { name: 'Send request' }).click();
  const { requestId } = await (await created).json();
  await page.getByLabel('Verification code').fill(await code(requestId));
  await page.getByRole('button', { name: 'Verify' }).click();
  await page.locator('#status-text').getByText('Completed.').waitFor({ timeout: 90_000 });
  return requestId;
}

const email = () => `web-${Math.random().toString(36).slice(2, 10)}@example.com`;

const scenarios = {
  async bannerChoices() {
    // No choice: nothing sent.
    const a = await open();
    await go(a.page, '/');
    await go(a.page, '/privacy/');
    check(a.analytics() === 0, 'analytics sent before a choice: ' + a.analytics());
    await choose(a.page, 'Decline');
    await go(a.page, '/');
    await a.page.getByRole('button', { name: 'Add Stoneware mug to basket' }).click();
    check(a.analytics() === 0, 'analytics sent after Decline: ' + a.analytics());
    check(await a.page.evaluate(() => localStorage.getItem('custodian.visitorId')) === null, 'a visitor id without consent');
    await a.done();
    // Accept: a visitor id of 128 bits, and events.
    const b = await open();
    await go(b.page, '/');
    check(b.analytics() === 0, 'analytics before Accept');
    await choose(b.page, 'Accept analytics');
    await b.page.getByRole('button', { name: 'Add Stoneware mug to basket' }).click();
    await b.page.waitForLoadState('networkidle');
    check(b.analytics() === 2, 'expected 2 analytics requests after Accept, saw ' + b.analytics());
    const id = await b.page.evaluate(() => localStorage.getItem('custodian.visitorId'));
    check(/^[0-9a-f]{32}$/.test(id), 'visitor id ' + id);
    // Withdrawing it from the privacy centre forgets the visitor and deletes the id.
    await go(b.page, '/privacy/');
    const before = b.analytics();
    const forget = b.page.waitForRequest((r) => r.url().endsWith('/events/forget'));
    await b.page.getByRole('button', { name: 'Turn analytics off' }).click();
    check(JSON.parse((await forget).postData()).visitorId === id, 'forget names the visitor');
    await b.page.getByRole('button', { name: 'Turn analytics on' }).waitFor();
    check(await b.page.evaluate(() => localStorage.getItem('custodian.visitorId')) === null, 'the id survived withdrawal');
    await go(b.page, '/');
    check(b.analytics() === before, 'analytics after withdrawal');
    await b.done();
    // GPC and DNT: nothing to accept, nothing sent.
    for (const signal of [{ gpc: true }, { dnt: true }]) {
      const c = await open(signal);
      await go(c.page, '/');
      const banner = c.page.getByRole('region', { name: 'Privacy choices' });
      await banner.getByText('Your browser asks not to be tracked').waitFor();
      check(await banner.getByRole('button').count() === 0, 'the banner offers a choice under ' + JSON.stringify(signal));
      await c.page.getByRole('button', { name: 'Add Stoneware mug to basket' }).click();
      await go(c.page, '/privacy/');
      check(await c.page.getByRole('button', { name: 'Turn analytics on' }).isHidden(), 'privacy centre offers analytics under GPC');
      check(c.analytics() === 0, 'analytics under ' + JSON.stringify(signal));
      await c.done();
    }
  },

  async purchase() {
    const s = await open();
    await go(s.page, '/');
    await axe(s.page, 'the shop');
    await s.page.getByRole('button', { name: 'Add Assam breakfast tea, 250 g to basket' }).click();
    await s.page.getByRole('button', { name: 'Add Stoneware mug to basket' }).click();
    // An empty checkout: errors tied to their fields and announced.
    await s.page.getByRole('button', { name: 'Place order and pay' }).click();
    check(await s.page.getByLabel('Email').getAttribute('aria-invalid') === 'true', 'empty email not marked');
    check((await s.page.getByLabel('Email').getAttribute('aria-describedby')).includes('email-error'), 'error not tied to the field');
    await axe(s.page, 'the checkout with errors');
    await shot(s.page, 'shop');
    const orderId = await buy(s.page, email());
    await axe(s.page, 'the confirmation');
    await s.page.getByRole('link', { name: 'See your order' }).click();
    await s.page.getByText('Status: paid').waitFor();
    check(s.page.url() === `${base}/orders/${orderId}`, 'order page URL ' + s.page.url());
    await axe(s.page, 'the order page');
    await shot(s.page, 'order');
    await s.done();
  },

  async accessDownload() {
    const s = await open();
    const address = email();
    const orderId = await buy(s.page, address);
    await privacyRequest(s.page, 'See my data', address);
    const text = await s.page.locator('#status-text').textContent();
    check(/Due date/.test(text), 'no due date in ' + text);
    await axe(s.page, 'the privacy centre with a completed request');
    await shot(s.page, 'privacy');
    const downloading = s.page.waitForEvent('download');
    await s.page.getByRole('button', { name: 'Download my data' }).click();
    const download = await downloading;
    check(download.suggestedFilename().endsWith('.json'), 'file name ' + download.suggestedFilename());
    const file = JSON.parse(readFileSync(await download.path(), 'utf8'));
    check(JSON.stringify(file.data.orders).includes(orderId), 'the export holds no order ' + orderId);
    await s.done();
  },

  async erasure() {
    const s = await open();
    const address = email();
    const orderId = await buy(s.page, address);
    await go(s.page, `/orders/${orderId}`);
    await s.page.getByText('Status: paid').waitFor();
    await privacyRequest(s.page, 'Erase my data', address);
    await go(s.page, `/orders/${orderId}`);
    await s.page.getByText('There is no order to show').waitFor();
    check(!(await s.page.content()).includes('Jane Doe'), 'the erased order still shows its customer');
    await s.done();
  },

  async clearHistory() {
    const s = await open();
    await go(s.page, '/');
    await choose(s.page, 'Accept analytics');
    await s.page.waitForLoadState('networkidle');
    const id = await s.page.evaluate(() => localStorage.getItem('custodian.visitorId'));
    await go(s.page, '/privacy/');
    await axe(s.page, 'the privacy centre');
    const forget = s.page.waitForResponse((r) => r.url().endsWith('/events/forget'));
    await s.page.getByRole('button', { name: 'Clear my browsing history on this device' }).click();
    const answer = await forget;
    check(answer.status() === 202, 'forget answered ' + answer.status());
    check(JSON.parse(answer.request().postData()).visitorId === id, 'forget names the visitor');
    await s.page.getByText("This device's browsing history is deleted").waitFor();
    check(await s.page.evaluate(() => localStorage.getItem('custodian.visitorId')) !== id, 'the old id is kept');
    await s.done();
  },

  async accountProfile() {
    const s = await open();
    const address = email();
    await buy(s.page, address); // the account lists the orders of its verified email
    await go(s.page, '/account/');
    await axe(s.page, 'the account sign-in');
    await s.page.getByLabel('Email', { exact: true }).fill(address);
    await s.page.getByRole('button', { name: 'Sign in' }).click();
    await s.page.getByRole('heading', { name: 'Profile' }).waitFor();
    await s.page.getByLabel('Name').fill('Ada Example');
    await s.page.getByLabel('Send me news by email').check();
    await s.page.getByRole('button', { name: 'Save profile' }).click();
    await s.page.locator('#profile-status').getByText('Profile saved.').waitFor();
    await s.page.reload({ waitUntil: 'networkidle' });
    await s.page.getByRole('heading', { name: 'Profile' }).waitFor();
    check(await s.page.getByLabel('Name').inputValue() === 'Ada Example', 'the name was not kept');
    check(await s.page.locator('#orders li').count() === 1, 'the account does not list its order');
    await axe(s.page, 'the account page');
    await shot(s.page, 'account');
    // Another tab saved meanwhile: the stale version is refused and the current profile shown.
    const token = await s.page.evaluate(() => sessionStorage.getItem('custodian.accountToken'));
    const current = await (await fetch(base + '/me', { headers: { authorization: 'Bearer ' + token } })).json();
    await fetch(base + '/me', { method: 'PUT', headers: { authorization: 'Bearer ' + token, 'content-type': 'application/json' },
      body: JSON.stringify({ version: current.version, name: 'Changed Elsewhere' }) });
    await s.page.getByLabel('Name').fill('Stale Edit');
    await s.page.getByRole('button', { name: 'Save profile' }).click();
    await s.page.getByText('Your profile was changed elsewhere').waitFor();
    check(await s.page.getByLabel('Name').inputValue() === 'Changed Elsewhere', 'the current profile was not shown');
    await s.done();
  },

  async keyboardPrivacyRequest() {
    const s = await open();
    await go(s.page, '/privacy/');
    const focused = () => s.page.evaluate(() => {
      const el = document.activeElement;
      const name = el.labels?.[0]?.textContent ?? el.textContent ?? '';
      const style = getComputedStyle(el);
      return { name: name.trim(), tag: el.tagName, visible: style.outlineStyle !== 'none' && parseFloat(style.outlineWidth) > 0 };
    });
    const tabTo = async (name) => {
      for (let i = 0; i < 60; i++) {
        await s.page.keyboard.press('Tab');
        const f = await focused();
        if (f.name === name) {
          check(f.visible, 'no visible focus on ' + name);
          return;
        }
      }
      throw new Error('Tab never reached ' + name);
    };
    await tabTo('See my data');
    await s.page.keyboard.press('ArrowDown'); // Correct my data
    await s.page.keyboard.press('ArrowDown'); // Erase my data
    await s.page.keyboard.press('ArrowDown'); // Clear my browsing history
    check(await s.page.getByLabel('Clear my browsing history', { exact: true }).isChecked(), 'arrow keys did not choose');
    await tabTo('Email');
    await s.page.keyboard.type(email());
    const created = s.page.waitForResponse((r) => r.url().endsWith('/privacy/requests'));
    await tabTo('Send request');
    await s.page.keyboard.press('Enter');
    const { requestId } = await (await created).json();
    await s.page.getByLabel('Verification code').waitFor();
    check((await focused()).name === 'Verification code', 'focus did not move to the code');
    await s.page.keyboard.type('000000');
    await s.page.keyboard.press('Enter');
    await s.page.locator('#code-error').getByText('this code is not right').waitFor();
    check(await s.page.getByLabel('Verification code').getAttribute('aria-invalid') === 'true', 'wrong code not tied to the field');
    await s.page.getByLabel('Verification code').fill(''); // the focus is on the field: clear by keys
    await s.page.keyboard.type(await code(requestId));
    await tabTo('Verify');
    await s.page.keyboard.press('Enter');
    await s.page.locator('#status-text').getByText('Completed.').waitFor({ timeout: 60_000 });
    await s.done();
  },

  async german() {
    const s = await open({ locale: 'de-DE' });
    await go(s.page, '/privacy/');
    await s.page.getByRole('heading', { name: 'Datenschutz-Center' }).waitFor();
    await s.page.getByRole('button', { name: 'Analyse erlauben' }).waitFor();
    check(await s.page.evaluate(() => document.documentElement.lang) === 'de', 'lang attribute');
    await axe(s.page, 'the German privacy centre');
    await s.done();
  },
};

const results = {};
for (const [name, run] of Object.entries(scenarios)) {
  if (only.length && !only.includes(name)) continue;
  const started = Date.now();
  try {
    await run();
    results[name] = 'ok';
  } catch (e) {
    await current?.screenshot({ path: join(shots, `failed-${name}.png`), fullPage: true }).catch(() => {});
    results[name] = 'FAILED: ' + String(e?.message ?? e).split('\n').slice(0, 4).join(' | ').slice(0, 2000);
  }
  console.log(`[web-tests] ${name}: ${results[name]} (${((Date.now() - started) / 1000).toFixed(1)} s)`);
}
await browser.close();
writeFileSync(resultFile, JSON.stringify(results, null, 2));
process.exit(Object.values(results).every((r) => r === 'ok') ? 0 : 1);
