// Following a privacy request (status, due date) and downloading an access export: shared by the
// privacy centre (requests verified with a code) and the account page (requests without a code).
import { privacyRequestExport, privacyRequestStatus } from '../custodian-client.js';
import { t } from './i18n.js';
import { date, errorText, saveJson } from './ui.js';

const FINAL = new Set(['COMPLETED', 'REJECTED', 'DENIED']);

/** Shows the request's status in #request-status and follows it until it is final (bounded). */
export async function follow(requestId, requestToken) {
  const section = document.getElementById('request-status');
  const text = document.getElementById('status-text');
  const download = document.getElementById('download');
  section.hidden = false;
  section.focus();
  download.onclick = () => downloadExport(requestId, requestToken, text);
  for (let attempt = 0; attempt < 120; attempt++) {
    let status;
    try {
      status = await privacyRequestStatus(requestId, requestToken);
    } catch (e) {
      text.textContent = errorText(e);
      return;
    }
    const due = status.dueAt ? ' ' + t('request.due', { date: date(status.dueAt) }) : '';
    text.textContent = t('request.status.' + status.status) + due;
    if (FINAL.has(status.status)) {
      download.hidden = !(status.type === 'ACCESS' && status.status === 'COMPLETED' && !status.result?.noDataHeld);
      if (status.result?.noDataHeld) text.textContent += ' ' + t('request.noData');
      return;
    }
    await new Promise((resolve) => setTimeout(resolve, attempt < 10 ? 500 : 2000));
  }
}

/** Reads every page of the export and saves it as one JSON file. */
async function downloadExport(requestId, requestToken, text) {
  try {
    const first = await privacyRequestExport(requestId, requestToken, 1);
    const pages = [first];
    for (let page = 2; page <= first.pages; page++) {
      pages.push(await privacyRequestExport(requestId, requestToken, page));
    }
    const value = pages.length === 1 ? first : { requestId, pages };
    saveJson(value, `my-data-${requestId}.json`);
    text.textContent = t('request.downloaded');
  } catch (e) {
    text.textContent = errorText(e);
  }
}
