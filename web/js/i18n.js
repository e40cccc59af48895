// Texts come from one file per language (web/lang/<lang>.json), chosen from the browser's languages.
const SUPPORTED = ['en', 'de'];
let texts = {};

export function chooseLanguage(languages = navigator.languages ?? [navigator.language]) {
  for (const tag of languages) {
    const lang = String(tag).toLowerCase().split('-')[0];
    if (SUPPORTED.includes(lang)) return lang;
  }
  return 'en';
}

export async function loadTexts() {
  const lang = chooseLanguage();
  const response = await fetch(`/lang/${lang}.json`, { credentials: 'omit' });
  texts = await response.json();
  document.documentElement.lang = lang;
  return lang;
}

/** The text for a key, with {name} placeholders filled in; the key itself when it is missing. */
export function t(key, params = {}) {
  const text = texts[key] ?? key;
  return text.replace(/\{(\w+)\}/g, (_, name) => String(params[name] ?? ''));
}

/** Fills every element with data-t (its text) and data-t-label (its aria-label) below root. */
export function applyTexts(root = document) {
  for (const el of root.querySelectorAll('[data-t]')) el.textContent = t(el.dataset.t);
  for (const el of root.querySelectorAll('[data-t-label]')) el.setAttribute('aria-label', t(el.dataset.tLabel));
  const title = document.querySelector('title[data-title]');
  if (title) document.title = t(title.dataset.title);
}
