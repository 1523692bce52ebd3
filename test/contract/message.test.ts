// checkMessage: a message an AsyncAPI step sends or receives, against its message's payload and headers schemas.
import { describe, expect, it } from 'vitest';
import { type ContractOptions, checkMessage, type ExchangedMessage } from '../../src/contract/index.js';
import type { AsyncApiMessage } from '../../src/sources/types.js';

const orderPlaced: AsyncApiMessage = {
  name: 'OrderPlaced',
  pointer: '#/components/messages/OrderPlaced',
  examples: [],
  payload: {
    type: 'object',
    required: ['orderId'],
    properties: { orderId: { type: 'integer' }, items: { type: 'array', items: { type: 'string' } } },
  },
  headers: {
    type: 'object',
    required: ['x-correlation-id'],
    properties: { 'x-correlation-id': { type: 'string', pattern: '^c-' }, 'x-attempt': { type: 'integer' } },
  },
};
const payloadOnly: AsyncApiMessage = {
  name: 'Bare',
  pointer: '#/m',
  examples: [],
  payload: { type: 'string' },
};
const noSchemas: AsyncApiMessage = { name: 'Free', pointer: '#/m', examples: [] };

const sent = (payload: unknown, headers: Record<string, string> = { 'x-correlation-id': 'c-1' }) =>
  ({ direction: 'sent', headers, payload }) as ExchangedMessage;

describe('checkMessage', () => {
  it.each<
    [
      string,
      AsyncApiMessage | undefined,
      ExchangedMessage,
      ContractOptions,
      Array<[boolean, string, string?]>,
    ]
  >([
    [
      'a valid message passes its payload and headers checks',
      orderPlaced,
      sent({ orderId: 7, items: ['book'] }),
      {},
      [
        [true, 'sent payload of message "OrderPlaced" matches the schema', ''],
        [true, 'sent headers of message "OrderPlaced" matches the schema', ''],
      ],
    ],
    [
      'a payload that breaks the schema: one failed check per error, with its pointer',
      orderPlaced,
      sent({ orderId: 'seven', items: [1] }),
      {},
      [
        [false, 'sent payload of message "OrderPlaced" /orderId: must be integer', '/orderId'],
        [false, 'sent payload of message "OrderPlaced" /items/0: must be string', '/items/0'],
        [true, 'sent headers of message "OrderPlaced" matches the schema', ''],
      ],
    ],
    [
      'a missing required header',
      orderPlaced,
      { direction: 'received', headers: {}, payload: { orderId: 1 } },
      {},
      [
        [true, 'received payload of message "OrderPlaced" matches the schema', ''],
        [
          false,
          `received headers of message "OrderPlaced": must have required property 'x-correlation-id'`,
          '',
        ],
      ],
    ],
    [
      'a header that breaks its pattern',
      orderPlaced,
      { direction: 'received', headers: { 'x-correlation-id': 'z-1' }, payload: { orderId: 1 } },
      {},
      [
        [true, 'received payload of message "OrderPlaced" matches the schema', ''],
        [
          false,
          'received headers of message "OrderPlaced" /x-correlation-id: must match pattern "^c-"',
          '/x-correlation-id',
        ],
      ],
    ],
    [
      'a header typed integer is read as JSON (headers travel as text)',
      orderPlaced,
      sent({ orderId: 1 }, { 'x-correlation-id': 'c-2', 'x-attempt': '3' }),
      {},
      [
        [true, 'sent payload of message "OrderPlaced" matches the schema', ''],
        [true, 'sent headers of message "OrderPlaced" matches the schema', ''],
      ],
    ],
    [
      'a header typed integer that is not a number fails',
      orderPlaced,
      sent({ orderId: 1 }, { 'x-correlation-id': 'c-2', 'x-attempt': 'third' }),
      {},
      [
        [true, 'sent payload of message "OrderPlaced" matches the schema', ''],
        [false, 'sent headers of message "OrderPlaced" /x-attempt: must be integer', '/x-attempt'],
      ],
    ],
    [
      'maxSchemaErrors caps the errors and counts the rest',
      orderPlaced,
      sent({ orderId: 'x', items: [1, 2] }, { 'x-correlation-id': 'c-1' }),
      { maxSchemaErrors: 1 },
      [
        [false, 'sent payload of message "OrderPlaced" /orderId: must be integer', '/orderId'],
        [false, 'sent payload of message "OrderPlaced": 2 more schema errors', ''],
        [true, 'sent headers of message "OrderPlaced" matches the schema', ''],
      ],
    ],
    [
      'only the declared schemas are checked',
      payloadOnly,
      sent('text'),
      {},
      [[true, 'sent payload of message "Bare" matches the schema', '']],
    ],
    ['a message without schemas has no checks', noSchemas, sent({ any: 1 }), {}, []],
    ['an operation without a message has no checks', undefined, sent({ any: 1 }), {}, []],
  ])('%s', (_name, message, exchanged, options, want) => {
    const checks = checkMessage(message, exchanged, options);
    expect(checks.map((c) => [c.passed, c.message, c.pointer])).toEqual(want);
    expect(checks.every((c) => c.check === 'schema')).toBe(true);
  });

  it('takes the severity of schema checks from the options', () => {
    const [check] = checkMessage(orderPlaced, sent({ orderId: 'x' }), { severity: { schema: 'warning' } });
    expect(check).toMatchObject({ passed: false, severity: 'warning' });
    const [plain] = checkMessage(orderPlaced, sent({ orderId: 'x' }));
    expect(plain).toMatchObject({ passed: false, severity: 'error' });
  });
});
