/**
 * Secrets, in one place: what is declared secret (names.ts), the forms a secret takes once sent
 * (forms.ts), and how it is masked where it is shown (masker.ts). Imports only cache.ts and own.ts, so
 * every layer (http, engine, mock, simulator, cli) can use it.
 */
export { encodeRfc3986, MIN_EMBEDDED_SECRET_LENGTH, MIN_SECRET_LENGTH, secretForms } from './forms.js';
export { MASK, Masker, maskerFor, maskSecrets } from './masker.js';
export { isDeclaredSecretHeader, isSecretSchema, looksLikeCredential } from './names.js';
