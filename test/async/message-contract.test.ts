// The `contract` option on AsyncAPI steps: the message a send step is about to publish and the message a
// receive step takes are checked against the AsyncAPI message's schemas. A send that breaks the schema
// fails with CONTRACT and is not published (severity warning: recorded and sent). Mock mode and mosquitto.
import { fileURLToPath } from 'node:url';
import mqtt from 'mqtt';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type RunOptions, runWorkflow } from '../../src/index.js';
import { createMessageMock } from '../../src/mock/index.js';
import { findBinary, type LocalBroker, startMosquitto } from '../helpers/brokers.js';

const doc = fileURLToPath(new URL('../fixtures/asyncapi/orders-contract.arazzo.yaml', import.meta.url));
const hasMosquitto = findBinary('mosquitto') !== undefined;
if (!hasMosquitto)
  process.stderr.write('mosquitto is not installed: the message contract broker tests are skipped\n');

type Result = Awaited<ReturnType<typeof runWorkflow>>;
/** Per step: [stepId, outcome, error code, checks as "passed|severity|message"]. */
const summary = (result: Result) =>
  result.steps.map((s) => [
    s.stepId,
    s.outcome,
    s.error?.code,
    s.checks?.map((c) => `${c.passed ? 'pass' : 'fail'}|${c.severity}|${c.message}`),
  ]);

const brokenPayload = 'fail|error|sent payload of message "OrderPlaced" /orderId: must be integer';
const sentOk = [
  'pass|error|sent payload of message "OrderPlaced" matches the schema',
  'pass|error|sent headers of message "OrderPlaced" matches the schema',
];
const receivedOk = ['pass|error|received payload of message "OrderConfirmed" matches the schema'];

describe('message contract in mock mode', () => {
  const mock = (extra: RunOptions = {}) => ({ messageMock: createMessageMock(), ...extra });
  it.each<[string, Record<string, unknown>, RunOptions, unknown[]]>([
    [
      'a valid exchange: the sent and the received message pass their checks',
      { orderId: 7, correlationId: 'c-1' },
      mock({ contract: true }),
      [
        ['placeOrder', 'succeeded', undefined, sentOk],
        ['confirmOrder', 'succeeded', undefined, receivedOk],
      ],
    ],
    [
      'a send that breaks the payload schema fails with CONTRACT',
      { orderId: 'seven', correlationId: 'c-2' },
      mock({ contract: true }),
      [['placeOrder', 'failed', 'CONTRACT', [brokenPayload, sentOk[1]]]],
    ],
    [
      'severity warning: the broken send is recorded and the run goes on',
      { orderId: 'seven', correlationId: 'c-3' },
      mock({ contract: { severity: 'warning' } }),
      [
        [
          'placeOrder',
          'succeeded',
          undefined,
          [brokenPayload.replace('|error|', '|warning|'), sentOk[1]!.replace('|error|', '|warning|')],
        ],
        ['confirmOrder', 'succeeded', undefined, [receivedOk[0]!.replace('|error|', '|warning|')]],
      ],
    ],
    [
      'without the contract option nothing is checked',
      { orderId: 'seven', correlationId: 'c-4' },
      mock(),
      [
        ['placeOrder', 'succeeded', undefined, undefined],
        ['confirmOrder', 'succeeded', undefined, undefined],
      ],
    ],
  ])('%s', async (_name, inputs, options, want) => {
    const result = await runWorkflow(doc, inputs, options);
    expect(summary(result)).toEqual(want);
  });

  it('a send refused by the contract says so, and records no message', async () => {
    const result = await runWorkflow(
      doc,
      { orderId: 'seven', correlationId: 'c-5' },
      mock({ contract: true }),
    );
    expect(result.status).toBe('failed');
    const step = result.steps[0];
    expect(step?.error?.message).toBe(
      'step "placeOrder": not sent: sent payload of message "OrderPlaced" /orderId: must be integer',
    );
    expect(step?.messages).toBeUndefined();
    expect(step?.checks?.[0]?.pointer).toBe('/orderId');
  });

  it('a received message that breaks its schema fails the receive step with CONTRACT', async () => {
    const messageMock = createMessageMock();
    const result = await runWorkflow(
      doc,
      { orderId: 1, correlationId: 'c-6' },
      {
        contract: true,
        messageMock: (request) => {
          const answer = messageMock(request);
          return answer === undefined
            ? undefined
            : { ...answer, payload: { ...(answer.payload as object), orderId: 'one' } };
        },
      },
    );
    expect(summary(result)[1]).toEqual([
      'confirmOrder',
      'failed',
      'CONTRACT',
      ['fail|error|received payload of message "OrderConfirmed" /orderId: must be integer'],
    ]);
  });
});

describe.skipIf(!hasMosquitto)('message contract on mosquitto', () => {
  let broker: LocalBroker;
  beforeAll(async () => {
    broker = await startMosquitto();
  }, 30_000);
  afterAll(async () => {
    await broker?.stop();
  });

  /** The order service: records what arrives on orders/placed and confirms it, as the message schema says. */
  async function orderService(confirmedOrderId?: unknown) {
    const client = await mqtt.connectAsync(broker.url, { protocolVersion: 5, reconnectPeriod: 0 });
    const seen: unknown[] = [];
    await client.subscribeAsync('orders/placed');
    client.on('message', (_topic, payload, packet) => {
      const id = String(packet.properties?.userProperties?.['x-correlation-id'] ?? '');
      const order = JSON.parse(payload.toString()) as { orderId: unknown };
      seen.push(order);
      const reply = { orderId: confirmedOrderId ?? order.orderId, status: 'confirmed', correlationId: id };
      void client.publish('orders/eu/confirmed', JSON.stringify(reply));
    });
    return { seen, stop: () => client.endAsync(true) };
  }
  const run = (inputs: Record<string, unknown>, extra: RunOptions) =>
    runWorkflow(doc, inputs, { servers: { orderEvents: broker.url }, ...extra });

  it('a valid order is sent and its confirmation received, both checked', async () => {
    const service = await orderService();
    try {
      const result = await run({ orderId: 7, correlationId: 'c-7' }, { contract: true });
      expect(summary(result)).toEqual([
        ['placeOrder', 'succeeded', undefined, sentOk],
        ['confirmOrder', 'succeeded', undefined, receivedOk],
      ]);
      expect(service.seen).toEqual([{ orderId: 7, items: ['book'] }]);
    } finally {
      await service.stop();
    }
  });

  it('an order that breaks the schema fails with CONTRACT and never reaches the broker', async () => {
    const service = await orderService();
    try {
      const result = await run({ orderId: 'seven', correlationId: 'c-8' }, { contract: true });
      expect(summary(result)).toEqual([['placeOrder', 'failed', 'CONTRACT', [brokenPayload, sentOk[1]]]]);
      // A valid order sent after it arrives alone: the broken one was never published.
      const after = await run({ orderId: 9, correlationId: 'c-9' }, {});
      expect(after.status).toBe('succeeded');
      expect(service.seen).toEqual([{ orderId: 9, items: ['book'] }]);
    } finally {
      await service.stop();
    }
  });

  it('severity warning: the broken order is sent, and a broken confirmation is recorded, not failed', async () => {
    const service = await orderService('nine');
    try {
      const result = await run(
        { orderId: 'seven', correlationId: 'c-10' },
        { contract: { severity: 'warning' } },
      );
      expect(result.status).toBe('succeeded');
      expect(service.seen).toEqual([{ orderId: 'seven', items: ['book'] }]);
      expect(summary(result)[1]).toEqual([
        'confirmOrder',
        'succeeded',
        undefined,
        ['fail|warning|received payload of message "OrderConfirmed" /orderId: must be integer'],
      ]);
    } finally {
      await service.stop();
    }
  });
});
