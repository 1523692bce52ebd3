/** The short look at a failed step's response that every report shows without --verbose. */
import type { StepRecord } from '../engine/types.js';
import { inlineValue, truncate } from './format.js';

/** Characters of body shown; enough for an API's error message, short enough for one console line. */
export const EXCERPT_LIMIT = 200;

/**
 * `response 500 application/json: {"error":"boom"}` for a failed step that got a response, else undefined.
 * Record bodies are masked by the engine before they reach a reporter.
 */
export function responseExcerpt(record: StepRecord): string | undefined {
  const response = record.response;
  if (record.outcome === 'succeeded' || response === undefined) return undefined;
  const type = Object.entries(response.headers).find(([k]) => k.toLowerCase() === 'content-type')?.[1];
  const contentType = Array.isArray(type) ? type.join(', ') : type;
  const body =
    response.body === undefined || response.body === ''
      ? '(empty body)'
      : truncate(inlineValue(response.body).replace(/\s*\n\s*/g, ' '), EXCERPT_LIMIT);
  return `response ${response.statusCode}${contentType !== undefined ? ` ${contentType}` : ''}: ${body}`;
}
