// The AsyncAPI reader: 3.0 and 2.6 documents give the same index shape (operations, channels, messages,
// servers, security schemes, correlation ids), $refs resolved.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { createAsyncApiSource, detectAsyncApiVersion } from '../../src/sources/asyncapi.js';
import { parseSourceText } from '../../src/sources/openapi.js';

function load(file: string) {
  const url = new URL(`../fixtures/asyncapi/${file}`, import.meta.url).href;
  const parsed = parseSourceText(readFileSync(new URL(url), 'utf8'));
  if ('error' in parsed) throw new Error(parsed.error);
  const built = createAsyncApiSource({
    name: 'events',
    url,
    displayUrl: file,
    raw: parsed.value,
    documents: { docs: new Map([[url, parsed.value]]), failures: new Map() },
  });
  if (built.source === undefined) throw new Error(JSON.stringify(built.diagnostics));
  return built;
}

describe('AsyncAPI 3.0', () => {
  const { source, diagnostics } = load('orders.asyncapi.yaml');
  it('indexes operations with their channel, action and messages', () => {
    expect(diagnostics).toEqual([]);
    expect(source?.version).toBe('3.0.0');
    expect(source?.operationIds()).toEqual(['placeOrder', 'confirmOrder']);
    const confirm = source?.getOperationById('confirmOrder');
    expect(confirm).toMatchObject({
      action: 'receive',
      pointer: '/operations/confirmOrder',
      channel: {
        key: 'orderConfirmed',
        address: 'orders/{region}/confirmed',
        parameters: { region: { default: 'eu' } },
      },
    });
    expect(confirm?.messages.map((m) => m.name)).toEqual(['OrderConfirmed']);
    expect(confirm?.messages[0]?.correlationId).toEqual({ location: '$message.payload#/correlationId' });
    expect(confirm?.messages[0]?.examples[0]?.payload).toEqual({
      orderId: 1,
      status: 'confirmed',
      correlationId: 'example',
    });
    expect(source?.getOperationByPointer('/operations/placeOrder')?.action).toBe('send');
    expect(source?.getChannelByPointer('/channels/ordersPlaced')?.address).toBe('orders/placed');
  });
  it('reads servers and security schemes', () => {
    expect(source?.servers).toEqual([
      {
        name: 'local',
        protocol: 'mqtt',
        protocolVersion: '5',
        url: 'mqtt://127.0.0.1:1883',
        variables: {},
        security: ['brokerLogin'],
      },
    ]);
    expect(source?.securitySchemes).toEqual({ brokerLogin: { type: 'userPassword' } });
  });
});

describe('AsyncAPI 2.6', () => {
  const { source, diagnostics } = load('orders-2.6.asyncapi.yaml');
  it('maps publish to send and subscribe to receive, oneOf messages, parameter schemas', () => {
    expect(diagnostics).toEqual([]);
    const place = source?.getOperationById('placeOrder');
    expect(place).toMatchObject({
      action: 'send',
      pointer: '/channels/orders~1{region}~1placed/publish',
      channel: {
        address: 'orders/{region}/placed',
        parameters: { region: { default: 'eu', enum: ['eu', 'us'] } },
      },
    });
    expect(place?.messages[0]?.payload).toEqual({
      type: 'object',
      properties: { orderId: { type: 'integer' } },
    });
    const confirm = source?.getOperationById('confirmOrder');
    expect(confirm?.action).toBe('receive');
    expect(confirm?.messages.map((m) => m.name)).toEqual(['OrderConfirmed', 'OrderRejected']);
    expect(confirm?.messages[0]?.correlationId?.location).toBe('$message.header#/x-correlation-id');
    expect(confirm?.messages[0]?.examples[0]).toEqual({
      headers: { 'x-correlation-id': 'ex-1' },
      payload: { orderId: 1 },
    });
  });
  it('servers: url with protocol, variables, requirement names', () => {
    expect(source?.servers[0]).toEqual({
      name: 'production',
      protocol: 'amqp',
      url: 'amqp://broker.example.com:{port}',
      variables: { port: { default: '5672', enum: ['5672', '5671'] } },
      security: ['login'],
    });
  });
});

describe('detectAsyncApiVersion', () => {
  it.each([
    [{ asyncapi: '3.0.0' }, { version: '3.0.0', major: 3 }],
    [{ asyncapi: '2.6.0' }, { version: '2.6.0', major: 2 }],
    [{ asyncapi: '1.2.0' }, { error: 'AsyncAPI 1.2.0 is not supported (2.x and 3.x are)' }],
    [{ openapi: '3.1.0' }, { error: 'not an AsyncAPI document (no "asyncapi" field)' }],
  ])('%j', (raw, want) => {
    expect(detectAsyncApiVersion(raw)).toEqual(want);
  });
});

describe('graph', () => {
  it('labels AsyncAPI steps by what they do with the message', async () => {
    const { parse } = await import('yaml');
    const { toMermaid } = await import('../../src/graph/index.js');
    const text = readFileSync(new URL('../../examples/async-orders.arazzo.yaml', import.meta.url), 'utf8');
    const mermaid = toMermaid(parse(text), 'orderAndFulfil');
    expect(mermaid).toContain('send fulfilment.requestFulfilment');
    expect(mermaid).toContain('receive fulfilment.awaitFulfilment');
    expect(mermaid).toContain('createOrder');
  });
});

describe('AMQP channel bindings (bindings 0.3.0)', () => {
  it('3.0: a $ref to the bindings object or to bindings.amqp gives the typed binding', () => {
    const { source, diagnostics } = load('amqp/orders.asyncapi.yaml');
    expect(diagnostics).toEqual([]);
    const want = {
      is: 'routingKey',
      exchange: { name: 'orders', type: 'topic', durable: false, autoDelete: false },
    };
    expect(source?.getOperationById('placeOrder')?.channel.amqp).toEqual(want);
    expect(source?.getOperationById('confirmOrder')?.channel.amqp).toEqual(want);
  });

  const cases: Array<[string, string, unknown]> = [
    [
      'is: queue with exchange and queue',
      'placeOrder',
      {
        is: 'queue',
        exchange: { name: 'orders', type: 'direct', durable: true, autoDelete: false, vhost: 'shop' },
        queue: { name: 'placed-orders', durable: true, exclusive: false, autoDelete: false, vhost: 'shop' },
      },
    ],
    [
      'ill-typed fields are left out; is defaults to routingKey',
      'confirmOrder',
      { is: 'routingKey', exchange: {} },
    ],
    ['no amqp binding', 'plain', undefined],
  ];
  const { source } = load('amqp/orders-2.6.asyncapi.yaml');
  it.each(cases)('2.6: %s', (_name, operationId, want) => {
    expect(source?.getOperationById(operationId)?.channel.amqp).toEqual(want);
  });
});

describe('AMQP operation bindings (bindings 0.3.0)', () => {
  it('3.0: bindings.amqp by $ref gives the typed binding on the operation', () => {
    const { source, diagnostics } = load('amqp/orders.asyncapi.yaml');
    expect(diagnostics).toEqual([]);
    expect(source?.getOperationById('placeOrder')?.amqp).toEqual({
      deliveryMode: 2,
      priority: 5,
      expiration: 60000,
      timestamp: true,
      userId: 'guest',
      cc: ['orders.audit'],
      mandatory: true,
    });
    expect(source?.getOperationById('confirmOrder')?.amqp).toBeUndefined();
  });

  const cases: Array<[string, string, unknown]> = [
    [
      'every field',
      'placeOrder',
      {
        expiration: 1000,
        userId: 'shop',
        cc: ['orders.audit'],
        bcc: ['orders.secret'],
        priority: 3,
        deliveryMode: 1,
        mandatory: true,
        timestamp: false,
        ack: false,
      },
    ],
    [
      'the bindings object by $ref; ill-typed and out-of-range fields are left out',
      'confirmOrder',
      { ack: true },
    ],
    ['no amqp binding', 'plain', undefined],
  ];
  const { source, diagnostics } = load('amqp/orders-2.6.asyncapi.yaml');
  it.each(cases)('2.6: %s', (_name, operationId, want) => {
    expect(diagnostics).toEqual([]);
    expect(source?.getOperationById(operationId)?.amqp).toEqual(want);
  });
});
