// Small DOM helpers shared by the pages: building elements (never innerHTML of server strings),
// announcing to screen readers, tying API errors to their fields.
import { configure } from '../custodian-client.js';
import { config } from '../config.js';
import { applyTexts, loadTexts, t } from './i18n.js';

/** An element with attributes (on* are listeners) and children (strings become text). */
export function h(tag, attrs = {}, ...children) {
  const el = document.createElement(tag);
  for (const [name, value] of Object.entries(attrs)) {
    if (value === undefined || value === null || value === false) continue;
    if (name.startsWith('on')) el.addEventListener(name.slice(2), value);
    else el.setAttribute(name, value === true ? '' : String(value));
  }
  for (const child of children.flat()) {
    if (child !== null && child !== undefined) el.append(child instanceof Node ? child : String(child));
  }
  return el;
}

/** Starts a page: the API origin, the texts, the banner. */
export async function startPage(renderBanner) {
  configure({ apiOrigin: config.apiOrigin });
  await loadTexts();
  applyTexts();
  renderBanner();
}

/** Says something to screen readers through the page's polite live region. */
export function announce(message) {
  const live = document.getElementById('live');
  if (live) {
    live.textContent = '';
    setTimeout(() => (live.textContent = message), 50);
  }
}

export function money(minor, currency) {
  return new Intl.NumberFormat(document.documentElement.lang, { style: 'currency', currency }).format(minor / 100);
}

export function date(value) {
  if (!value) return '';
  return new Intl.DateTimeFormat(document.documentElement.lang, { dateStyle: 'long' }).format(new Date(value));
}

/** Clears a form's error marks. */
export function clearErrors(form) {
  for (const el of form.querySelectorAll('[aria-invalid]')) el.removeAttribute('aria-invalid');
  for (const el of form.querySelectorAll('.field-error')) el.remove();
  const summary = form.querySelector('.form-error');
  if (summary) summary.textContent = '';
}

/**
 * Shows an API error on a form: each named field gets its message tied to it (aria-describedby)
 * and aria-invalid; the form's alert region announces the whole. Inputs name their API field in
 * data-field (e.g. shippingAddress.postalCode).
 */
export function showError(form, error) {
  clearErrors(form);
  const summary = form.querySelector('.form-error');
  const problems = [];
  let first = null;
  for (const { field, problem } of error.fields ?? []) {
    const input = form.querySelector(`[data-field="${CSS.escape(field)}"]`);
    if (!input) {
      problems.push(`${field}: ${problem}`);
      continue;
    }
    const id = input.id + '-error';
    const message = h('p', { class: 'field-error', id }, t('error.field', { problem }));
    input.closest('.field')?.append(message);
    input.setAttribute('aria-invalid', 'true');
    const described = (input.getAttribute('aria-describedby') ?? '').split(' ').filter((x) => x && x !== id);
    input.setAttribute('aria-describedby', [...described, id].join(' '));
    problems.push(`${input.labels?.[0]?.textContent ?? field}: ${problem}`);
    first ??= input;
  }
  const text = errorText(error) + (problems.length ? ' ' + problems.join('; ') : '');
  if (summary) summary.textContent = text;
  (first ?? summary)?.focus?.();
}

export function errorText(error) {
  const key = 'error.' + (error?.code ?? 'unknown');
  const text = t(key);
  return text === key ? t('error.unknown') : text;
}

/** Saves a value as a JSON file through the browser's download. */
export function saveJson(value, filename) {
  const blob = new Blob([JSON.stringify(value, null, 2)], { type: 'application/json' });
  const url = URL.createObjectURL(blob);
  const link = h('a', { href: url, download: filename, hidden: true });
  document.body.append(link);
  link.click();
  setTimeout(() => {
    URL.revokeObjectURL(url);
    link.remove();
  }, 1000);
}
