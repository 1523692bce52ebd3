// AsyncAPI 3.0 "Message Object" `payload` and `headers` (2.6 alike): a message an AsyncAPI step sends or
// receives, checked against the schemas its message declares (the `contract` option).
import { isRecord } from '../own.js';
import type { AsyncApiMessage } from '../sources/types.js';
import { checkAgainstSchema } from './check.js';
import type { ContractCheck, ContractOptions, ExchangedMessage } from './types.js';

/**
 * Check a message against its AsyncAPI message: the payload against `payload`, the headers against
 * `headers` (each schema only when declared). Header values travel as text; one whose schema property
 * asks for another type is read as JSON first (`"3"` for `type: integer`). Never throws.
 * @example checkMessage(target.messages[0], { direction: 'sent', headers: {}, payload: { id: 1 } })
 */
export function checkMessage(
  message: AsyncApiMessage | undefined,
  exchanged: ExchangedMessage,
  options: ContractOptions = {},
): ContractCheck[] {
  if (message === undefined) return [];
  const checks: ContractCheck[] = [];
  const named = `message "${message.name}"`;
  const { payload, headers } = message;
  if (isRecord(payload) || typeof payload === 'boolean')
    checks.push(
      ...checkAgainstSchema(payload, exchanged.payload, {
        subject: `${exchanged.direction} payload of ${named}`,
        schemaName: `payload schema of ${named}`,
        source: undefined,
        options,
      }),
    );
  if (isRecord(headers) || typeof headers === 'boolean')
    checks.push(
      ...checkAgainstSchema(headers, typedHeaders(headers, exchanged.headers), {
        subject: `${exchanged.direction} headers of ${named}`,
        schemaName: `headers schema of ${named}`,
        source: undefined,
        options,
      }),
    );
  return checks;
}

/** The headers with each value its schema property types as other than a string read as JSON, when it parses. */
function typedHeaders(schema: unknown, headers: Record<string, string>): Record<string, unknown> {
  const properties = isRecord(schema) && isRecord(schema.properties) ? schema.properties : undefined;
  if (properties === undefined) return headers;
  const out: Record<string, unknown> = { ...headers };
  for (const [name, text] of Object.entries(headers)) {
    const property = Object.hasOwn(properties, name) ? properties[name] : undefined;
    if (!isRecord(property) || !wantsNonString(property.type)) continue;
    try {
      out[name] = JSON.parse(text) as unknown;
    } catch {
      // Not JSON: checked as the text it is.
    }
  }
  return out;
}

function wantsNonString(type: unknown): boolean {
  if (typeof type === 'string') return type !== 'string';
  return Array.isArray(type) && type.length > 0 && !type.includes('string');
}
