// What the kit keeps in localStorage: the consent choice, the visitor id and order tokens. Nothing
// else (the basket and the session id live in sessionStorage, request tokens in memory).
const CONSENT = 'custodian.consent';
const VISITOR = 'custodian.visitorId';
const ORDERS = 'custodian.orderTokens';

export const consentChoice = () => localStorage.getItem(CONSENT); // 'accepted' | 'declined' | null
export const setConsentChoice = (choice) => localStorage.setItem(CONSENT, choice);
export const visitorId = () => localStorage.getItem(VISITOR);
export const forgetVisitorId = () => localStorage.removeItem(VISITOR);

/** A new visitor id: 128 random bits, hex. */
export function newVisitorId() {
  const id = randomHex(16);
  localStorage.setItem(VISITOR, id);
  return id;
}

export function randomHex(bytes) {
  const values = crypto.getRandomValues(new Uint8Array(bytes));
  return Array.from(values, (b) => b.toString(16).padStart(2, '0')).join('');
}

export function orderToken(orderId) {
  return readOrders()[orderId] ?? null;
}

export function keepOrderToken(orderId, token) {
  const orders = readOrders();
  orders[orderId] = token;
  localStorage.setItem(ORDERS, JSON.stringify(orders));
}

function readOrders() {
  try {
    const value = JSON.parse(localStorage.getItem(ORDERS) ?? '{}');
    return value && typeof value === 'object' ? value : {};
  } catch (e) {
    return {};
  }
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
