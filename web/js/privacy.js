// The privacy centre: the policy in force and its history, the analytics choice, clearing this
// device's history, forgetting this device's orders, and privacy requests verified with an
// emailed code.
import { createPrivacyRequest, getPolicy, getPolicyVersion, listPolicyVersions, verifyPrivacyRequest } from '../custodian-client.js';
import { accept, browserOptsOut, forgetThisDevice, renderBanner, retryForget, track, withdraw } from './consent.js';
import { t } from './i18n.js';
import { follow } from './requests.js';
import * as store from './storage.js';
import { announce, clearErrors, date, errorText, h, showError, startPage } from './ui.js';

await startPage(renderBanner);

const requestForm = document.getElementById('request-form');
const verifyForm = document.getElementById('verify-form');
let pending = null; // {requestId}: the request awaiting its code (in memory only)

requestForm.addEventListener('change', showRequestFields);
requestForm.addEventListener('submit', sendRequest);
verifyForm.addEventListener('submit', verify);
document.getElementById('analytics-on').addEventListener('click', () => {
  accept();
  showChoice();
  showRequestFields();
  announce(t('consent.acceptedNow'));
});
document.getElementById('analytics-off').addEventListener('click', () => deleting(withdraw, t('privacy.withdrawn')));
document.getElementById('clear-device').addEventListener('click', () => deleting(forgetThisDevice, t('privacy.cleared')));
document.getElementById('forget-retry').addEventListener('click', () => deleting(retryForget, t('privacy.cleared')));
document.getElementById('forget-orders').addEventListener('click', () => {
  store.forgetOrderTokens();
  showOrders();
  announce(t('privacy.ordersForgotten'));
});

track('PAGE_VIEW');
showChoice();
showOrders();
showRequestFields();
if (store.pendingForgets().length) deleting(retryForget, t('privacy.cleared'));
await Promise.all([showPolicy(), showHistory()]);

/** Shows the version in force: its version, date, summary of changes and text. */
async function showPolicy() {
  const summary = document.getElementById('policy-summary');
  try {
    const policy = await getPolicy();
    summary.textContent = t('privacy.version', { version: policy.version, date: date(policy.effectiveFrom) });
    document.getElementById('policy-changes').textContent = policy.summaryOfChanges
      ? t('privacy.changes', { changes: policy.summaryOfChanges })
      : '';
    showText(document.getElementById('policy-text'), policy.text, 3);
  } catch (e) {
    summary.textContent = errorText(e);
  }
}

/**
 * The policy's Markdown as text, block by block: never parsed as HTML. A "#" line becomes a
 * heading of the given level (below the section's own), any other block a paragraph keeping its
 * line breaks (the tables' rows stay one to a line).
 */
function showText(container, text, level) {
  container.replaceChildren(
    ...String(text ?? '').split(/\n{2,}/).filter((block) => block.trim()).map((block) =>
      /^#+\s/.test(block) ? h('h' + level, {}, block.replace(/^#+\s*/, '')) : h('p', {}, block)),
  );
}

/** Every published version, each readable with its text. */
async function showHistory() {
  let versions;
  try {
    versions = (await listPolicyVersions()).versions ?? [];
  } catch (e) {
    return; // the policy in force above says what went wrong, if anything
  }
  if (!versions.length) return;
  document.getElementById('history-list').replaceChildren(
    ...versions.map((v) =>
      h('li', {},
        t('privacy.historyItem', { version: v.version, date: date(v.effectiveFrom) }),
        v.material ? ' ' + t('privacy.material') : '',
        ' ',
        h('button', { type: 'button', class: 'link', 'aria-controls': 'version-view', onclick: () => readVersion(v.version) },
          t('privacy.readVersion', { version: v.version })),
        v.summaryOfChanges ? h('span', { class: 'changes' }, v.summaryOfChanges) : null,
      ),
    ),
  );
  document.getElementById('history').hidden = false;
}

async function readVersion(version) {
  const view = document.getElementById('version-view');
  const title = document.getElementById('version-title');
  const meta = document.getElementById('version-meta');
  const text = document.getElementById('version-text');
  view.hidden = false;
  title.textContent = t('privacy.versionTitle', { version });
  meta.textContent = '';
  text.replaceChildren();
  try {
    const v = await getPolicyVersion(version);
    meta.textContent = t('privacy.versionMeta', { published: date(v.publishedAt), date: date(v.effectiveFrom) });
    showText(text, v.text, 5);
  } catch (e) {
    meta.textContent = errorText(e);
  }
  view.focus();
}

function showChoice() {
  const now = document.getElementById('choice-now');
  const on = document.getElementById('analytics-on');
  const off = document.getElementById('analytics-off');
  if (browserOptsOut()) {
    now.textContent = t('consent.gpc');
    on.hidden = true;
    off.hidden = true;
    return;
  }
  const accepted = store.consentChoice() === 'accepted';
  now.textContent = t(accepted ? 'consent.acceptedNow' : store.consentChoice() ? 'consent.declinedNow' : 'consent.none');
  on.hidden = accepted;
  off.hidden = !accepted;
}

/**
 * Runs a deletion of this device's browsing history (withdrawal, clearing, retry). A failure is
 * said next to the controls, with a retry; the choice shown stays what is true (analytics stays
 * off after a withdrawal; the id waits on this device only to try again).
 */
async function deleting(action, done) {
  const error = document.getElementById('forget-error');
  const retry = document.getElementById('forget-retry');
  const status = document.getElementById('device-status');
  error.textContent = '';
  status.textContent = '';
  try {
    await action();
    retry.hidden = true;
    status.textContent = done;
    announce(done);
  } catch (e) {
    error.textContent = t('privacy.forgetFailed', { reason: errorText(e) });
    retry.hidden = false;
  }
  showChoice();
  showRequestFields();
}

function showOrders() {
  const count = store.orderTokenCount();
  document.getElementById('orders-now').textContent = count
    ? t('privacy.ordersKept', { count, days: store.ORDER_TOKEN_DAYS })
    : t('privacy.ordersNone');
  document.getElementById('forget-orders').hidden = count === 0;
}

function showRequestFields() {
  const type = requestForm.elements.type.value;
  document.getElementById('corrections').hidden = type !== 'RECTIFICATION';
  // Only a request about a person (not about this device) asks, and only when there is an id.
  document.getElementById('include-history-field').hidden = !store.visitorId() || !['ACCESS', 'ERASURE'].includes(type);
}

async function sendRequest(event) {
  event.preventDefault();
  clearErrors(requestForm);
  const email = requestForm.elements.email.value.trim();
  if (!email) {
    showError(requestForm, { code: 'validation_failed', fields: [{ field: 'email', problem: t('error.required') }] });
    return;
  }
  const type = requestForm.elements.type.value;
  const body = { type, email };
  // This device's browsing history joins a request about a person only when the visitor says so
  // (on a shared device it may be someone else's); clearing it is about this device anyway.
  const include = type === 'CLEAR_ANALYTICS'
    || (['ACCESS', 'ERASURE'].includes(type) && requestForm.elements.includeHistory.checked);
  if (store.visitorId() && include) body.visitorIds = [store.visitorId()];
  if (type === 'RECTIFICATION') {
    const corrections = {};
    if (requestForm.elements.name.value.trim()) corrections.name = requestForm.elements.name.value.trim();
    if (requestForm.elements.phone.value.trim()) corrections.phone = requestForm.elements.phone.value.trim();
    body.corrections = corrections;
  }
  try {
    const created = await createPrivacyRequest(body);
    pending = { requestId: created.requestId };
    verifyForm.hidden = false;
    verifyForm.elements.code.value = '';
    document.getElementById('verify-intro').textContent = t('request.codeSent');
    verifyForm.elements.code.focus();
    announce(t('request.codeSent'));
  } catch (e) {
    showError(requestForm, e);
  }
}

async function verify(event) {
  event.preventDefault();
  clearErrors(verifyForm);
  const code = verifyForm.elements.code.value.trim();
  if (!/^[0-9]{6}$/.test(code)) {
    showError(verifyForm, { code: 'validation_failed', fields: [{ field: 'code', problem: t('error.code') }] });
    return;
  }
  try {
    const verified = await verifyPrivacyRequest(pending.requestId, code);
    verifyForm.hidden = true;
    await follow(verified.requestId, verified.requestToken);
  } catch (e) {
    const wrong = e.code === 'not_found' || e.fields?.some((f) => f.field === 'code');
    showError(verifyForm, wrong ? { code: 'wrong_code', fields: [{ field: 'code', problem: t('error.wrongCode') }] } : e);
  }
}
