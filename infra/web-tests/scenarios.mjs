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
    const extra = keys.filter((k) => !['custodian.consent', 'custodian.visitorId', 'custodian.forgetPending', 'custodian.orderTokens'].includes(k));
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
  // The policy version in force when the page loaded is shown beside the button, and it is the one sent.
  const shown = /version (\S+)\.$/.exec(await page.locator('#checkout-policy').textContent())?.[1];
  check(shown, 'no policy version beside the order button');
  check(await page.getByRole('link', { name: 'Read the privacy policy' }).getAttribute('href') === '/privacy/#policy', 'no link to the policy');
  let refetched = 0;
  const policyReads = (r) => { if (new URL(r.url()).pathname === '/privacy/policy') refetched++; };
  page.on('request', policyReads);
  const ordering = page.waitForRequest((r) => r.method() === 'POST' && new URL(r.url()).pathname === '/orders');
  await page.getByRole('button', { name: 'Place order and pay' }).click();
  check(JSON.parse((await ordering).postData()).policyVersion === shown, 'the order was not placed under the version shown, ' + shown);
  await page.getByText('Order paid (£21.49).').waitFor();
  page.off('request', policyReads);
  check(refetched === 0, 'the policy was fetched again at checkout');
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

const stored = (page, key) => page.evaluate((k) => localStorage.getItem(k), key);
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

/** The local cloud's stand-in for an operator's SigV4 signature (the local gateway checks the role only). */
const OPERATOR = 'AWS4-HMAC-SHA256 Credential=LOCALOperatorRole/20261124/us-east-1/execute-api/aws4_request, SignedHeaders=host;x-amz-date, Signature=0000';

/** Publishes a further, non-material policy version (nobody is emailed), so there is a history. */
async function publishPolicyVersion() {
  const version = 'web-' + Date.now().toString(36);
  const answer = await fetch(base + '/admin/privacy/policy/versions', {
    method: 'POST',
    headers: { authorization: OPERATOR, 'content-type': 'application/json' },
    body: JSON.stringify({ version, material: false, summaryOfChanges: 'Clearer wording for the browser tests.' }),
  });
  check(answer.status === 201, 'publishing a policy version answered ' + answer.status);
  return version;
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

  async policyAndHistory() {
    const published = await publishPolicyVersion();
    const s = await open();
    await go(s.page, '/privacy/');
    const inForce = await (await fetch(base + '/privacy/policy')).json();
    const { versions } = await (await fetch(base + '/privacy/policy/versions')).json();
    check(versions.length >= 2 && versions.some((v) => v.version === published), 'no history to show: ' + JSON.stringify(versions));
    await s.page.locator('#policy-summary').getByText(`Version ${inForce.version}, in force since`).waitFor();
    check((await s.page.locator('#policy-text p').count()) > 3, 'the policy text is not shown');
    check(await s.page.locator('#policy-text').textContent() === inForce.text.split(/\n{2,}/).filter((p) => p.trim()).map((p) => p.replace(/^#+\s*/, '')).join(''),
      'the policy text shown is not the policy in force');
    check(await s.page.locator('#policy-text h3').first().textContent() === 'Privacy policy', 'the policy\'s headings are not headings');
    // The history lists every version, and each can be read.
    check(await s.page.locator('#history-list li').count() === versions.length, 'the history does not list every version');
    const oldest = versions[versions.length - 1];
    await s.page.getByRole('button', { name: `Read version ${oldest.version}` }).click();
    await s.page.locator('#version-title').getByText(`Version ${oldest.version}`).waitFor();
    const full = await (await fetch(base + '/privacy/policy/versions/' + encodeURIComponent(oldest.version))).json();
    await s.page.locator('#version-text p').first().waitFor();
    check((await s.page.locator('#version-text').textContent()).includes(`Version ${oldest.version}, in force from`), 'the old version\'s text is not shown');
    check(full.text.includes(`Version ${oldest.version}`), 'getPolicyVersion answered another text');
    check(!s.log.requests.some((r) => r.path === '/privacy/policy/versions' && r.method !== 'GET'), 'odd request for versions');
    await axe(s.page, 'the privacy centre with the policy history');
    await s.done();
    // A policy text is shown as text: markup in it is never made into elements.
    const t = await open();
    await t.page.route('**/privacy/policy', (route) => route.fulfill({ status: 200, contentType: 'application/json',
      body: JSON.stringify({ ...inForce, text: '# Title\n\n<img src="/x.png" id="injected"> and <b id="bold">bold</b>' }) }));
    await go(t.page, '/privacy/');
    await t.page.locator('#policy-text').getByText('<img src="/x.png" id="injected">', { exact: false }).waitFor();
    check(await t.page.locator('#injected, #bold').count() === 0, 'the policy text was parsed as HTML');
    await t.done();
  },

  async withdrawalWhenForgetFails() {
    const s = await open();
    await go(s.page, '/');
    await choose(s.page, 'Accept analytics');
    await s.page.waitForLoadState('networkidle');
    const id = await stored(s.page, 'custodian.visitorId');
    await go(s.page, '/privacy/');
    // The server fails (503), then the device is offline: each time the failure is said at the control.
    for (const failure of [(route) => route.fulfill({ status: 503, contentType: 'application/json', body: '{"message":"Service Unavailable"}' }),
      (route) => route.fulfill({ status: 429, contentType: 'application/json', body: '{"error":"too_many_requests","message":"slow down"}' }),
      (route) => route.abort('internetdisconnected')]) {
      await s.page.route('**/events/forget', failure);
      const attempt = s.page.waitForRequest((r) => r.url().endsWith('/events/forget'));
      const button = await s.page.getByRole('button', { name: 'Turn analytics off' }).isVisible()
        ? s.page.getByRole('button', { name: 'Turn analytics off' })
        : s.page.getByRole('button', { name: 'Try the deletion again' });
      await button.click();
      check(JSON.parse((await attempt).postData()).visitorId === id, 'the deletion names another id');
      await s.page.locator('#forget-error').getByText("This device's browsing history is not deleted yet").waitFor();
      for (const control of ['#analytics-off', '#clear-device', '#forget-retry']) {
        check((await s.page.locator(control).getAttribute('aria-describedby')) === 'forget-error', 'the error is not tied to ' + control);
      }
      check(await s.page.getByRole('button', { name: 'Try the deletion again' }).isVisible(), 'no retry');
      check(await s.page.getByRole('button', { name: 'Turn analytics on' }).isVisible(), 'the choice shown is not off');
      check(await s.page.locator('#choice-now').textContent() === 'Analytics: off.', 'the choice says ' + await s.page.locator('#choice-now').textContent());
      check(await stored(s.page, 'custodian.consent') === 'declined', 'consent not withdrawn');
      check(await stored(s.page, 'custodian.visitorId') === null, 'the id is still in use');
      check(JSON.parse(await stored(s.page, 'custodian.forgetPending')).includes(id), 'the id to delete was lost');
      await s.page.unroute('**/events/forget');
    }
    await axe(s.page, 'the privacy centre with a failed deletion');
    const before = s.analytics();
    const forget = s.page.waitForResponse((r) => r.url().endsWith('/events/forget'));
    await s.page.getByRole('button', { name: 'Try the deletion again' }).click();
    check((await forget).status() === 202 && JSON.parse((await forget).request().postData()).visitorId === id, 'the retry did not delete the id');
    await s.page.locator('#device-status').getByText("This device's browsing history is deleted").waitFor();
    check(await s.page.locator('#forget-error').textContent() === '', 'the error stays after success');
    check(await stored(s.page, 'custodian.forgetPending') === null, 'a deleted id is kept');
    check(s.analytics() === before, 'analytics sent while withdrawn');
    // Accepting again: a new id, never the old one.
    await s.page.getByRole('button', { name: 'Turn analytics on' }).click();
    const again = await stored(s.page, 'custodian.visitorId');
    check(/^[0-9a-f]{32}$/.test(again) && again !== id, 'the old id came back: ' + again);
    await s.done();
  },

  async eventsInFlightLandBeforeTheForget() {
    const s = await open();
    await go(s.page, '/');
    await choose(s.page, 'Accept analytics');
    await s.page.waitForLoadState('networkidle');
    const landed = [];
    const forgets = [];
    s.page.on('requestfinished', (r) => { if (new URL(r.url()).pathname === '/events') landed.push(Date.now()); });
    s.page.on('request', (r) => { if (r.url().endsWith('/events/forget')) forgets.push(Date.now()); });
    await s.page.route('**/events', async (route) => { await sleep(1500); await route.continue(); });
    for (const [button, done] of [['Turn analytics off', 'Analytics is off'], ['Clear my browsing history on this device', "This device's browsing history is deleted"]]) {
      landed.length = 0;
      forgets.length = 0;
      if (button === 'Turn analytics off') {
        await s.page.goto(base + '/privacy/'); // its page view is held on the way
        await s.page.locator('#choice-now').getByText('Analytics: on.').waitFor();
      } else {
        await s.page.getByRole('button', { name: 'Turn analytics on' }).click(); // its page view is held on the way
      }
      await s.page.getByRole('button', { name: button }).click();
      await s.page.locator('#device-status').getByText(done).waitFor();
      check(landed.length >= 1 && forgets.length === 1, `${button}: ${landed.length} events, ${forgets.length} forgets`);
      const last = Math.max(...landed);
      check(forgets[0] >= last, `${button}: the forget was sent ${last - forgets[0]} ms before the event in flight landed`);
    }
    await s.page.unroute('**/events');
    await s.done();
  },

  async orderKeysExpireAndCanBeForgotten() {
    const s = await open();
    const orderId = await buy(s.page, email());
    const keys = JSON.parse(await stored(s.page, 'custodian.orderTokens'));
    check(typeof keys[orderId]?.token === 'string' && Math.abs(keys[orderId].savedAt - Date.now()) < 120_000, 'the key has no date: ' + JSON.stringify(keys));
    // 31 days later the key is gone (and so is its access to the email and address).
    await s.page.evaluate(([id, k]) => localStorage.setItem('custodian.orderTokens',
      JSON.stringify({ [id]: { token: k[id].token, savedAt: Date.now() - 31 * 24 * 3600 * 1000 } })), [orderId, keys]);
    await go(s.page, `/orders/${orderId}`);
    await s.page.getByText('This browser holds no key for this order.').waitFor();
    check(await stored(s.page, 'custodian.orderTokens') === null, 'an expired key is kept');
    // A key saved before keys had a date gets its 30 days from now; the privacy centre forgets it.
    await s.page.evaluate(([id, k]) => localStorage.setItem('custodian.orderTokens', JSON.stringify({ [id]: k[id].token })), [orderId, keys]);
    await go(s.page, `/orders/${orderId}`);
    await s.page.getByText('Status: paid').waitFor();
    await go(s.page, '/privacy/');
    await s.page.getByText('This browser keeps the keys of 1 order(s)').waitFor();
    await s.page.getByRole('button', { name: "Forget this device's orders" }).click();
    await s.page.getByText('This browser keeps no order keys.').waitFor();
    check(await stored(s.page, 'custodian.orderTokens') === null, 'the keys were not forgotten');
    await go(s.page, `/orders/${orderId}`);
    await s.page.getByText('This browser holds no key for this order.').waitFor();
    await s.done();
  },

  async browsingHistoryJoinsARequestOnlyWhenTicked() {
    const s = await open();
    await go(s.page, '/');
    await choose(s.page, 'Accept analytics');
    await s.page.waitForLoadState('networkidle');
    const id = await stored(s.page, 'custodian.visitorId');
    await go(s.page, '/privacy/');
    const form = s.page.getByRole('form', { name: 'Make a privacy request' });
    const send = async (type, tick) => {
      await form.getByLabel(type, { exact: true }).check();
      const box = form.getByLabel("Include this device's browsing history");
      if (tick !== undefined) {
        check(!(await box.isChecked()) || tick, 'the box is ticked by default');
        if (tick) await box.check();
      } else {
        check(await box.isHidden(), 'the box is offered for ' + type);
      }
      await form.getByLabel('Email').fill(email());
      const created = s.page.waitForRequest((r) => r.url().endsWith('/privacy/requests') && r.method() === 'POST');
      await form.getByRole('button', { name: 'Send request' }).click();
      const body = JSON.parse((await created).postData());
      await s.page.getByLabel('Verification code').waitFor();
      return body;
    };
    check(!('visitorIds' in await send('See my data', false)), 'an access request took the device history unasked');
    check(!('visitorIds' in await send('Erase my data', false)), 'an erasure request took the device history unasked');
    check(JSON.stringify((await send('See my data', true)).visitorIds) === JSON.stringify([id]), 'the ticked box did not add the id');
    check(JSON.stringify((await send('Clear my browsing history', undefined)).visitorIds) === JSON.stringify([id]), 'clearing lost the id');
    await axe(s.page, 'the request form with the history box');
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
