// What the kit keeps in localStorage, and nothing else (the basket and the session id live in
// sessionStorage, request tokens in memory):
// - custodian.consent: the analytics choice, 'accepted' or 'declined';
// - custodian.visitorId: the random analytics id, only while analytics is accepted;
// - custodian.forgetPending: ids withdrawn or cleared whose deletion on the server has not
//   succeeded yet (kept only to try again; nothing is ever sent under them but the deletion);
// - custodian.orderTokens: {orderId: {token, savedAt}}, each order's key for 30 days after it was
//   saved (the key opens the order's email and address, so a shared device must not keep it long).
const CONSENT = 'custodian.consent';
const VISITOR = 'custodian.visitorId';
const PENDING = 'custodian.forgetPending';
const ORDERS = 'custodian.orderTokens';

/** Every key the kit may write. */
export const KEYS = [CONSENT, VISITOR, PENDING, ORDERS];

/** How long this browser keeps an order's key. */
export const ORDER_TOKEN_DAYS = 30;
const ORDER_TOKEN_MS = ORDER_TOKEN_DAYS * 24 * 60 * 60 * 1000;

export const consentChoice = () => localStorage.getItem(CONSENT); // 'accepted' | 'declined' | null
export const setConsentChoice = (choice) => localStorage.setItem(CONSENT, choice);
export const visitorId = () => localStorage.getItem(VISITOR);

/** A new visitor id: 128 random bits, hex. */
export function newVisitorId() {
  const id = randomHex(16);
  localStorage.setItem(VISITOR, id);
  return id;
}

/**
 * Stops using the current visitor id: it moves to the ids awaiting deletion on the server, and the
 * next analytics event (after a new Accept) gets a new id.
 */
export function retireVisitorId() {
  const id = visitorId();
  if (!id) return;
  const pending = pendingForgets();
  if (!pending.includes(id)) pending.push(id);
  localStorage.setItem(PENDING, JSON.stringify(pending));
  localStorage.removeItem(VISITOR);
}

/** The ids whose deletion on the server has not succeeded yet. */
export function pendingForgets() {
  try {
    const value = JSON.parse(localStorage.getItem(PENDING) ?? '[]');
    return Array.isArray(value) ? value.filter((id) => typeof id === 'string') : [];
  } catch (e) {
    return [];
  }
}

/** The server deleted this id's history: it is no longer kept here. */
export function forgotten(id) {
  const pending = pendingForgets().filter((x) => x !== id);
  if (pending.length) localStorage.setItem(PENDING, JSON.stringify(pending));
  else localStorage.removeItem(PENDING);
}

export function randomHex(bytes) {
  const values = crypto.getRandomValues(new Uint8Array(bytes));
  return Array.from(values, (b) => b.toString(16).padStart(2, '0')).join('');
}

export function orderToken(orderId) {
  return readOrders()[orderId]?.token ?? null;
}

export function keepOrderToken(orderId, token) {
  const orders = readOrders();
  orders[orderId] = { token, savedAt: Date.now() };
  writeOrders(orders);
}

/** How many order keys this browser keeps (after expiring the old ones). */
export const orderTokenCount = () => Object.keys(readOrders()).length;

/** Deletes every order key on this device. */
export const forgetOrderTokens = () => localStorage.removeItem(ORDERS);

/** The kept order keys; those older than ORDER_TOKEN_DAYS are deleted on the way. */
function readOrders() {
  let value;
  try {
    value = JSON.parse(localStorage.getItem(ORDERS) ?? '{}');
  } catch (e) {
    value = {};
  }
  if (!value || typeof value !== 'object' || Array.isArray(value)) value = {};
  const now = Date.now();
  const kept = {};
  for (const [orderId, entry] of Object.entries(value)) {
    // A key saved before keys had a date (a bare string) gets its 30 days from now.
    const saved = typeof entry === 'string' ? { token: entry, savedAt: now } : entry;
    if (typeof saved?.token !== 'string' || typeof saved.savedAt !== 'number') continue;
    if (now - saved.savedAt >= ORDER_TOKEN_MS || saved.savedAt > now + ORDER_TOKEN_MS) continue;
    kept[orderId] = saved;
  }
  if (JSON.stringify(kept) !== JSON.stringify(value)) writeOrders(kept);
  return kept;
}

function writeOrders(orders) {
  if (Object.keys(orders).length) localStorage.setItem(ORDERS, JSON.stringify(orders));
  else localStorage.removeItem(ORDERS);
}

/** The session id for analytics: random, per browser tab session. */
export function sessionId() {
  let id = sessionStorage.getItem('custodian.sessionId');
  if (!id) {
    id = randomHex(16);
    sessionStorage.setItem('custodian.sessionId', id);
  }
  return id;
}
