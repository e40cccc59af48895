// The demo shop: catalogue, basket, checkout (only what an order needs), confirmation.
import { getPolicy, listCatalogue, placeOrder, readOrder, request } from '../custodian-client.js';
import { config } from '../config.js';
import { renderBanner, track } from './consent.js';
import { t } from './i18n.js';
import { keepOrderToken, randomHex } from './storage.js';
import { announce, clearErrors, errorText, h, money, showError, startPage } from './ui.js';

let products = [];
let policy = null; // the policy version in force when the page loaded: the one shown, and the one sent
const basket = new Map(JSON.parse(sessionStorage.getItem('custodian.basket') ?? '[]'));

await startPage(renderBanner);
track('PAGE_VIEW');
await Promise.all([loadProducts(), loadPolicy()]);
renderBasket();
document.getElementById('checkout').addEventListener('submit', checkout);

async function loadProducts() {
  const status = document.getElementById('products-status');
  try {
    products = (await listCatalogue()).products;
    status.textContent = '';
  } catch (e) {
    status.textContent = errorText(e);
    return;
  }
  document.getElementById('products').replaceChildren(
    ...products.map((p) =>
      h('li', { class: 'product' },
        h('span', { class: 'product-name' }, p.name),
        h('span', { class: 'price' }, money(p.unitPrice, p.currency)),
        h('button', { type: 'button', 'aria-label': t('shop.addNamed', { name: p.name }), onclick: () => add(p) }, t('shop.add')),
      ),
    ),
  );
}

/** The version in force now, shown beside the order button; an order is placed under it. */
async function loadPolicy() {
  try {
    policy = await getPolicy();
    document.getElementById('checkout-policy').textContent = t('checkout.policy', { version: policy.version });
  } catch (e) {
    policy = null;
    document.getElementById('checkout-policy').textContent = t('checkout.policyMissing');
  }
}

function add(product) {
  basket.set(product.sku, (basket.get(product.sku) ?? 0) + 1);
  saveBasket();
  renderBasket();
  announce(t('shop.added', { name: product.name }));
  track('ADD_TO_CART', product.sku);
}

function remove(sku) {
  basket.delete(sku);
  saveBasket();
  renderBasket();
  announce(t('shop.removed'));
  document.getElementById('basket-title').focus?.();
}

function saveBasket() {
  sessionStorage.setItem('custodian.basket', JSON.stringify([...basket]));
}

function renderBasket() {
  const lines = [...basket].map(([sku, quantity]) => ({ product: products.find((p) => p.sku === sku), quantity }))
    .filter((line) => line.product);
  document.getElementById('basket-empty').hidden = lines.length > 0;
  document.getElementById('checkout-section').hidden = lines.length === 0;
  document.getElementById('basket').replaceChildren(
    ...lines.map(({ product, quantity }) =>
      h('li', {},
        `${quantity} × ${product.name} `,
        h('span', { class: 'price' }, money(product.unitPrice * quantity, product.currency)),
        h('button', { type: 'button', class: 'link', 'aria-label': t('shop.removeNamed', { name: product.name }), onclick: () => remove(product.sku) }, t('shop.remove')),
      ),
    ),
  );
  const total = lines.reduce((sum, { product, quantity }) => sum + product.unitPrice * quantity, 0);
  document.getElementById('basket-total').textContent = lines.length
    ? t('shop.total', { total: money(total, lines[0].product.currency) })
    : '';
}

async function checkout(event) {
  event.preventDefault();
  const form = event.target;
  clearErrors(form);
  const missing = [...form.querySelectorAll('[required]')].filter((input) => !input.value.trim());
  if (missing.length) {
    showError(form, { code: 'validation_failed', fields: missing.map((input) => ({ field: input.dataset.field, problem: t('error.required') })) });
    return;
  }
  if (!policy) {
    // Never a version the customer was not shown: load it, show it, and let them place the order again.
    await loadPolicy();
    const summary = form.querySelector('.form-error');
    summary.textContent = t(policy ? 'checkout.policyAgain' : 'checkout.policyMissing');
    summary.focus();
    return;
  }
  track('CHECKOUT_START');
  const value = (name) => form.elements[name].value.trim();
  const items = [...basket].map(([sku, quantity]) => ({ sku, quantity }));
  const currency = products.find((p) => p.sku === items[0].sku).currency;
  const address = { name: value('name'), line1: value('line1'), city: value('city'), postalCode: value('postalCode'), country: value('country') };
  if (value('line2')) address.line2 = value('line2');
  const button = document.getElementById('place-order');
  button.disabled = true;
  try {
    const order = {
      customer: { email: value('email'), name: value('name') },
      shippingAddress: address,
      items,
      currency,
      // Locally the stand-in provider pays; a real shop puts its provider's reference here.
      payment: { provider: config.localMode ? 'local' : 'card', reference: 'pay_' + randomHex(12) },
      policyVersion: policy.version,
    };
    const placed = await placeOrder(order, 'web-' + randomHex(16));
    keepOrderToken(placed.orderId, placed.orderToken);
    basket.clear();
    saveBasket();
    form.reset();
    renderBasket();
    await confirm(placed);
  } catch (e) {
    showError(form, e);
  } finally {
    button.disabled = false;
  }
}

async function confirm(placed) {
  const section = document.getElementById('confirmation');
  const status = document.getElementById('confirmation-status');
  document.getElementById('order-link').href = `/orders/${placed.orderId}`;
  section.hidden = false;
  status.textContent = t('confirmation.received', { total: money(placed.total, placed.currency) });
  section.focus();
  if (!config.localMode) return;
  try {
    // The local stand-in for the payment provider: a signed "succeeded" event for the total.
    await request('POST', `/_local/pay/${placed.orderId}`);
    for (let i = 0; i < 20; i++) {
      const order = await readOrder(placed.orderId, placed.orderToken);
      if (order.status === 'PAID') {
        status.textContent = t('confirmation.paid', { total: money(order.total, order.currency) });
        return;
      }
      await new Promise((resolve) => setTimeout(resolve, 300));
    }
  } catch (e) {
    status.textContent = errorText(e);
  }
}
