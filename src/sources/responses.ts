// OpenAPI "Responses Object": which declared response describes a status code.
import type { ResolvedOperation, ResponseObject } from './types.js';

/** The declared response for a status: the exact code, then its `2XX`-style range, then `default`. */
export function declaredResponse(
  operation: ResolvedOperation,
  status: number,
): { key: string; response: ResponseObject } | undefined {
  const exact = operation.responses[String(status)];
  if (exact !== undefined) return { key: String(status), response: exact };
  const range = `${Math.floor(status / 100)}XX`;
  for (const [key, response] of Object.entries(operation.responses))
    if (key.toUpperCase() === range) return { key, response };
  const fallback = operation.responses.default;
  return fallback === undefined ? undefined : { key: 'default', response: fallback };
}
