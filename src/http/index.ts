/** http/: request building (parameters, bodies, replacements, auth), transport (undici), responses. */

export type { AuthContribution } from './auth.js';
export { applySecurity, chooseRequirement, credentialSecrets, isOAuthCredential } from './auth.js';
export type { EncodedBody } from './body.js';
export {
  encodeBody,
  encodeRequestBody,
  findMediaType,
  isJsonMediaType,
  isXmlMediaType,
  mediaTypeEssence,
  pickRequestContentType,
  toXml,
} from './body.js';
export { encodeAllowReserved, serializeParameter, styleOptions } from './parameters.js';
export type { Replacement, ReplacementOptions } from './replacements.js';
export { applyReplacements } from './replacements.js';
export { buildRequest } from './request.js';
export { parseRetryAfter } from './retry-after.js';
export type { ServerUrlOptions } from './server.js';
export { joinUrl, resolveServerUrl } from './server.js';
export { closeSharedDispatcher, maskUrl, parseBody, sendRequest, sharedDispatcher } from './transport.js';
export type * from './types.js';
