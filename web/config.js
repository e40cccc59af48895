// The shop's settings for the website kit (docs/website.md). The local cloud serves web/ and the
// API on one origin, so apiOrigin is ''. Hosted apart from the API, set apiOrigin to the API's URL
// and list the site's origin in the template's CorsAllowOrigin parameter.
export const config = {
  apiOrigin: '',
  // Local mode: payment through POST /_local/pay/{orderId} and account tokens from /_local/token.
  // Set false when deployed, and give accountToken: an async function answering the shop's
  // identity provider's access token (or null when nobody is signed in).
  localMode: true,
  accountToken: null,
};
