// The order page, /orders/{orderId}: read with the order token this browser keeps (never in the URL).
import { listCatalogue, readOrder } from '../custodian-client.js';
import { renderBanner, track } from './consent.js';
import { t } from './i18n.js';
import { orderToken } from './storage.js';
import { date, h, money, startPage } from './ui.js';

await startPage(renderBanner);
track('PAGE_VIEW');
const orderId = location.pathname.split('/').filter(Boolean).pop() ?? '';
const status = document.getElementById('order-status');
const token = orderToken(orderId);
if (!/^o_[0-9a-f]{32}$/.test(orderId) || !token) {
  status.textContent = t('order.noKey');
} else {
  try {
    const order = await readOrder(orderId, token);
    const names = new Map(((await listCatalogue().catch(() => null))?.products ?? []).map((p) => [p.sku, p.name]));
    status.textContent = t('order.status.' + order.status);
    document.getElementById('order').replaceChildren(
      h('p', {}, t('order.placed', { date: date(order.createdAt) })),
      h('ul', {}, ...(order.items ?? []).map((item) => h('li', {}, `${item.quantity} × ${names.get(item.sku) ?? item.sku} `, money(item.unitPrice * item.quantity, order.currency)))),
      h('p', { class: 'total' }, t('shop.total', { total: money(order.total, order.currency) })),
      order.shippingAddress
        ? h('p', {}, t('order.shipTo', { name: order.shippingAddress.name, city: order.shippingAddress.city }))
        : h('p', {}, t('order.noContact')),
    );
  } catch (e) {
    status.textContent = e.status === 404 ? t('order.gone') : t('error.unknown');
  }
}
