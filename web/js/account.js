// The account page: with the shop's account token, the profile (view and edit with its version),
// the orders, and privacy requests without a code (the login verifies).
import { createAccountPrivacyRequest, getProfile, listAccountOrders, request, updateProfile } from '../custodian-client.js';
import { config } from '../config.js';
import { renderBanner, track } from './consent.js';
import { t } from './i18n.js';
import { follow } from './requests.js';
import { announce, clearErrors, date, errorText, h, money, showError, startPage } from './ui.js';

await startPage(renderBanner);
track('PAGE_VIEW');
let token = sessionStorage.getItem('custodian.accountToken');
let profile = null;

if (!config.localMode) {
  document.getElementById('signin-section').hidden = true;
  token = config.accountToken ? await config.accountToken() : null;
}
document.getElementById('signin-form').addEventListener('submit', signIn);
document.getElementById('profile-form').addEventListener('submit', saveProfile);
document.getElementById('account-request-form').addEventListener('submit', sendRequest);
if (token) await showAccount();

async function signIn(event) {
  event.preventDefault();
  const form = event.target;
  clearErrors(form);
  const email = form.elements.email.value.trim();
  if (!email) {
    showError(form, { code: 'validation_failed', fields: [{ field: 'email', problem: t('error.required') }] });
    return;
  }
  // Local mode only: the local cloud mints an account token, as the shop's identity provider would.
  const digest = await crypto.subtle.digest('SHA-256', new TextEncoder().encode(email.toLowerCase()));
  const sub = 'local-' + Array.from(new Uint8Array(digest).slice(0, 12), (b) => b.toString(16).padStart(2, '0')).join('');
  try {
    const minted = await request('POST', '/_local/token', {
      body: { sub, email, email_verified: 'true', auth_time: Math.floor(Date.now() / 1000) },
    });
    token = minted.token;
    sessionStorage.setItem('custodian.accountToken', token);
    form.reset();
    await showAccount();
  } catch (e) {
    showError(form, e);
  }
}

async function showAccount() {
  try {
    await Promise.all([loadProfile(), loadOrders()]);
  } catch (e) {
    // An expired or refused token: sign in again.
    sessionStorage.removeItem('custodian.accountToken');
    token = null;
    showError(document.getElementById('signin-form'), e);
    return;
  }
  document.getElementById('signin-section').hidden = true;
  document.getElementById('signed-in').hidden = false;
  document.getElementById('profile-title').setAttribute('tabindex', '-1');
  document.getElementById('profile-title').focus();
}

async function loadProfile() {
  profile = await getProfile(token);
  const form = document.getElementById('profile-form');
  document.getElementById('profile-email').textContent = t('account.signedInAs', { email: profile.email ?? '' });
  form.elements.name.value = profile.name ?? '';
  form.elements.phone.value = profile.phone ?? '';
  form.elements.marketing.checked = profile.marketing?.email === true;
}

async function loadOrders() {
  const orders = (await listAccountOrders(token)).orders ?? [];
  document.getElementById('orders-empty').hidden = orders.length > 0;
  document.getElementById('orders').replaceChildren(
    ...orders.map((o) => h('li', {}, t('account.orderLine', {
      date: date(o.createdAt), total: money(o.total, o.currency), status: t('order.status.' + o.status),
    }))),
  );
}

async function saveProfile(event) {
  event.preventDefault();
  const form = event.target;
  clearErrors(form);
  const status = document.getElementById('profile-status');
  const change = { version: profile.version, marketing: { email: form.elements.marketing.checked } };
  if (form.elements.name.value.trim()) change.name = form.elements.name.value.trim();
  if (form.elements.phone.value.trim()) change.phone = form.elements.phone.value.trim();
  try {
    profile = await updateProfile(change, token);
    status.textContent = t('account.saved');
    announce(t('account.saved'));
  } catch (e) {
    if (e.code === 'conflict') {
      await loadProfile();
      status.textContent = t('account.stale');
    } else {
      showError(form, e);
    }
  }
}

async function sendRequest(event) {
  event.preventDefault();
  const form = event.target;
  clearErrors(form);
  try {
    const created = await createAccountPrivacyRequest({ type: form.elements.type.value }, token);
    await follow(created.requestId, created.requestToken);
  } catch (e) {
    showError(form, e.code === 'reauthentication_required' ? { code: 'reauthentication_required' } : e);
  }
}
