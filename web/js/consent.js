// The consent banner and the analytics it governs. No analytics request before a choice, none after
// Decline, none at all under Global Privacy Control or Do Not Track.
import { forgetVisitor, recordEvents } from '../custodian-client.js';
import { t } from './i18n.js';
import * as store from './storage.js';
import { h, announce } from './ui.js';

/** True when the browser asks not to be tracked (GPC or DNT). */
export function browserOptsOut() {
  return navigator.globalPrivacyControl === true || navigator.doNotTrack === '1' || window.doNotTrack === '1';
}

export function analyticsAllowed() {
  return !browserOptsOut() && store.consentChoice() === 'accepted';
}

/** Sends one analytics event when, and only when, the visitor accepted analytics. */
export async function track(type, productId) {
  if (!analyticsAllowed()) return;
  const visitor = store.visitorId() ?? store.newVisitorId();
  const event = { type, path: location.pathname, occurredAt: new Date().toISOString() };
  if (productId) event.productId = productId;
  try {
    await recordEvents({ visitorId: visitor, sessionId: store.sessionId(), consent: { analytics: true }, events: [event] });
  } catch (e) {
    // Analytics never gets in the way of the shop.
  }
}

export function accept() {
  store.setConsentChoice('accepted');
  if (!store.visitorId()) store.newVisitorId();
  renderBanner();
  track('PAGE_VIEW');
}

export function decline() {
  store.setConsentChoice('declined');
  renderBanner();
}

/** Withdraws consent: forgets the visitor's history on the server and deletes the id. */
export async function withdraw() {
  store.setConsentChoice('declined');
  await forgetThisDevice();
  renderBanner();
}

/** Deletes this device's browsing history on the server and the visitor id here. */
export async function forgetThisDevice() {
  const id = store.visitorId();
  if (id) await forgetVisitor(id);
  store.forgetVisitorId();
}

/** Renders the banner into the page's #consent region. */
export function renderBanner() {
  const region = document.getElementById('consent');
  if (!region) return;
  region.setAttribute('aria-labelledby', 'consent-title');
  region.replaceChildren(h('h2', { id: 'consent-title' }, t('consent.title')));
  if (browserOptsOut()) {
    region.append(h('p', {}, t('consent.gpc')));
    return;
  }
  const choice = store.consentChoice();
  if (choice) {
    region.append(
      h('p', {}, t(choice === 'accepted' ? 'consent.acceptedNow' : 'consent.declinedNow') + ' '),
      h('a', { href: '/privacy/#choices' }, t('consent.change')),
    );
    return;
  }
  region.append(
    h('p', {}, t('consent.ask')),
    h('div', { class: 'actions' },
      h('button', { type: 'button', id: 'consent-accept', onclick: () => { accept(); announce(t('consent.acceptedNow')); } }, t('consent.accept')),
      h('button', { type: 'button', id: 'consent-decline', onclick: () => { decline(); announce(t('consent.declinedNow')); } }, t('consent.decline')),
    ),
  );
}
