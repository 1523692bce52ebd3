/** http/: request building (parameters, bodies, replacements, auth), transport (over net/), responses. */

export { closeSharedDispatcher, maskUrl, sharedDispatcher } from '../net/index.js';
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
export { parseBody, sendRequest } from './transport.js';
export type * from './types.js';
