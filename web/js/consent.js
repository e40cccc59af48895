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

// The analytics requests this page has sent and not yet seen answered: a deletion waits for them,
// or an event sent just before it could land after it and outlive it.
const inflight = new Set();

/** Sends one analytics event when, and only when, the visitor accepted analytics. */
export async function track(type, productId) {
  if (!analyticsAllowed()) return;
  const visitor = store.visitorId() ?? store.newVisitorId();
  const event = { type, path: location.pathname, occurredAt: new Date().toISOString() };
  if (productId) event.productId = productId;
  const sending = recordEvents({ visitorId: visitor, sessionId: store.sessionId(), consent: { analytics: true }, events: [event] })
    .catch(() => {}); // Analytics never gets in the way of the shop.
  inflight.add(sending);
  try {
    await sending;
  } finally {
    inflight.delete(sending);
  }
}

/** Settles once every analytics request sent so far has been answered (or has failed). */
export function analyticsSettled() {
  return Promise.allSettled([...inflight]);
}

export function accept() {
  store.setConsentChoice('accepted');
  // Always a new id after a choice: an id from before a withdrawal is never used again (it only
  // waits, in the pending deletions, until the server has deleted its history).
  store.retireVisitorId();
  store.newVisitorId();
  if (store.pendingForgets().length) retryForget().catch(() => {}); // the privacy centre shows a failure
  renderBanner();
  track('PAGE_VIEW');
}

export function decline() {
  store.setConsentChoice('declined');
  store.retireVisitorId();
  renderBanner();
}

/**
 * Withdraws consent: nothing more is sent from now on, then the visitor's history is deleted on the
 * server. Throws when the deletion failed: consent stays withdrawn, and the id waits in the pending
 * deletions for retryForget().
 */
export async function withdraw() {
  store.setConsentChoice('declined');
  renderBanner();
  await forgetThisDevice();
}

/**
 * Deletes this device's browsing history on the server: the id is retired first (later events get
 * a new one), the events already on their way are waited for, then every retired id is forgotten.
 * Throws when a deletion failed; that id stays pending.
 */
export async function forgetThisDevice() {
  store.retireVisitorId();
  await retryForget();
}

/** Forgets every retired id whose deletion has not succeeded yet, once the events in flight landed. */
export async function retryForget() {
  await analyticsSettled();
  for (const id of store.pendingForgets()) {
    await forgetVisitor(id);
    store.forgotten(id);
  }
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
