// The privacy centre: the policy in force and its history, the analytics choice, clearing this
// device's history, and privacy requests verified with an emailed code.
import { createPrivacyRequest, getPolicy, request, verifyPrivacyRequest } from '../custodian-client.js';
import { accept, browserOptsOut, forgetThisDevice, renderBanner, track, withdraw } from './consent.js';
import { t } from './i18n.js';
import { follow } from './requests.js';
import * as store from './storage.js';
import { announce, clearErrors, date, errorText, h, showError, startPage } from './ui.js';

await startPage(renderBanner);
track('PAGE_VIEW');
showChoice();
await Promise.all([showPolicy(), showHistory()]);

const requestForm = document.getElementById('request-form');
const verifyForm = document.getElementById('verify-form');
let pending = null; // {requestId}: the request awaiting its code (in memory only)

requestForm.addEventListener('change', () => {
  document.getElementById('corrections').hidden = requestForm.elements.type.value !== 'RECTIFICATION';
});
requestForm.addEventListener('submit', sendRequest);
verifyForm.addEventListener('submit', verify);
document.getElementById('analytics-on').addEventListener('click', () => {
  accept();
  showChoice();
  announce(t('consent.acceptedNow'));
});
document.getElementById('analytics-off').addEventListener('click', async () => {
  await withdraw();
  showChoice();
  announce(t('consent.declinedNow'));
});
document.getElementById('clear-device').addEventListener('click', clearDevice);

async function showPolicy() {
  const summary = document.getElementById('policy-summary');
  try {
    const policy = await getPolicy();
    summary.textContent = t('privacy.version', { version: policy.version, date: date(policy.effectiveFrom) });
    if (/^https?:\/\//.test(policy.url ?? '')) document.getElementById('policy-link').href = policy.url;
    if (policy.text) {
      // The policy's Markdown is shown as text, paragraph by paragraph (never as HTML).
      document.getElementById('policy-text').replaceChildren(
        ...policy.text.split(/\n{2,}/).map((paragraph) => h('p', {}, paragraph.replace(/^#+\s*/, ''))),
      );
    }
  } catch (e) {
    summary.textContent = errorText(e);
  }
}

async function showHistory() {
  // GET /privacy/policy/versions (listPolicyVersions) is not in this branch's OpenAPI document
  // yet: called through the client's request helper, and shown only when it answers.
  let answer;
  try {
    answer = await request('GET', '/privacy/policy/versions');
  } catch (e) {
    return;
  }
  const versions = answer?.versions ?? [];
  if (!versions.length) return;
  document.getElementById('history-list').replaceChildren(
    ...versions.map((v) =>
      h('li', {}, t('privacy.historyItem', { version: v.version, date: date(v.effectiveFrom) }),
        v.summaryOfChanges ? ' — ' + v.summaryOfChanges : ''),
    ),
  );
  document.getElementById('history').hidden = false;
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

async function clearDevice() {
  const status = document.getElementById('device-status');
  try {
    await forgetThisDevice();
    status.textContent = t('privacy.cleared');
  } catch (e) {
    status.textContent = errorText(e);
  }
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
  // This device's visitor id lets the request reach its browsing history too.
  if (store.visitorId() && type !== 'RECTIFICATION') body.visitorIds = [store.visitorId()];
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
