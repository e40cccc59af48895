// Custodian's browser client: one function per public and account route of docs/openapi.yaml,
// named after its operationId. Errors are thrown as CustodianError with the API's error code and
// the fields it names. No dependencies; an ES module.

let apiOrigin = '';

/** Where the API is: '' for the page's own origin (the local cloud), else e.g. https://api.shop.example */
export function configure(options = {}) {
  apiOrigin = (options.apiOrigin ?? '').replace(/\/+$/, '');
}

/** An error answer of the API: status, code (e.g. validation_failed), message and fields. */
export class CustodianError extends Error {
  constructor(status, body) {
    super(body?.message ?? `HTTP ${status}`);
    this.name = 'CustodianError';
    this.status = status;
    this.code = body?.error ?? (status === 401 ? 'unauthorized' : status === 404 ? 'not_found' : 'http_' + status);
    this.fields = Array.isArray(body?.fields) ? body.fields : [];
  }
}

/**
 * The request helper every operation uses (exported for routes this client does not have yet).
 * Personal data goes in bodies, never in the URL; tokens go in the Authorization header.
 */
export async function request(method, path, { body, token, headers = {}, query } = {}) {
  const url = new URL(apiOrigin + path, apiOrigin || window.location.origin);
  for (const [k, v] of Object.entries(query ?? {})) url.searchParams.set(k, String(v));
  const sent = { ...headers };
  if (body !== undefined) sent['content-type'] = 'application/json';
  if (token) sent.authorization = 'Bearer ' + token;
  let response;
  try {
    response = await fetch(url, {
      method,
      headers: sent,
      body: body === undefined ? undefined : JSON.stringify(body),
      credentials: 'omit',
      cache: 'no-store',
      referrerPolicy: 'no-referrer',
    });
  } catch (e) {
    throw new CustodianError(0, { error: 'network_error', message: 'The shop could not be reached.' });
  }
  const text = await response.text();
  let json = null;
  try {
    json = text ? JSON.parse(text) : null;
  } catch (e) {
    json = null;
  }
  if (!response.ok) throw new CustodianError(response.status, json);
  return json;
}

const seg = (value) => encodeURIComponent(value);

export const getPolicy = () => request('GET', '/privacy/policy');
export const listPolicyVersions = () => request('GET', '/privacy/policy/versions');
export const getPolicyVersion = (version) => request('GET', `/privacy/policy/versions/${seg(version)}`);
export const listCatalogue = () => request('GET', '/catalogue');
export const getProduct = (sku) => request('GET', `/catalogue/${seg(sku)}`);
export const placeOrder = (order, idempotencyKey) =>
  request('POST', '/orders', { body: order, headers: { 'idempotency-key': idempotencyKey } });
export const readOrder = (orderId, orderToken) => request('GET', `/orders/${seg(orderId)}`, { token: orderToken });
export const sendContactMessage = (message) => request('POST', '/contact', { body: message });
export const recordEvents = (batch) => request('POST', '/events', { body: batch });
export const forgetVisitor = (visitorId) => request('POST', '/events/forget', { body: { visitorId } });
export const createPrivacyRequest = (privacyRequest) => request('POST', '/privacy/requests', { body: privacyRequest });
export const verifyPrivacyRequest = (requestId, code) =>
  request('POST', `/privacy/requests/${seg(requestId)}/verify`, { body: { code } });
export const privacyRequestStatus = (requestId, requestToken) =>
  request('GET', `/privacy/requests/${seg(requestId)}`, { token: requestToken });
export const privacyRequestExport = (requestId, requestToken, page = 1) =>
  request('GET', `/privacy/requests/${seg(requestId)}/export`, { token: requestToken, query: { page } });
export const getProfile = (accountToken) => request('GET', '/me', { token: accountToken });
export const updateProfile = (profile, accountToken) => request('PUT', '/me', { body: profile, token: accountToken });
export const listAccountOrders = (accountToken) => request('GET', '/me/orders', { token: accountToken });
export const readAccountOrder = (orderId, accountToken) =>
  request('GET', `/me/orders/${seg(orderId)}`, { token: accountToken });
export const createAccountPrivacyRequest = (privacyRequest, accountToken) =>
  request('POST', '/me/privacy-requests', { body: privacyRequest, token: accountToken });
