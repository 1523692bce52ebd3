// Arazzo 1.1.0 AsyncAPI `receive` steps in mock mode: the message comes from the scenario, else the
// AsyncAPI message's first example, else a sample of its payload schema; the correlation id is set.
import type { MessageMock } from '../async/types.js';
import { isRecord, setOwn } from '../own.js';
import { parsePointer } from '../pointer.js';
import { deepMerge, sampleSchema } from './sample.js';
import { ScenarioCursor } from './scenario.js';
import type { Scenario } from './types.js';

function setAtPointer(target: unknown, pointer: string, value: unknown): unknown {
  const tokens = parsePointer(pointer);
  if (tokens === undefined) return target;
  if (tokens.length === 0) return value;
  const root: Record<string, unknown> = isRecord(target) ? { ...target } : {};
  let node = root;
  for (let i = 0; i < tokens.length - 1; i++) {
    const key = tokens[i] as string;
    const existing = Object.hasOwn(node, key) ? node[key] : undefined;
    const next = isRecord(existing) ? { ...existing } : {};
    setOwn(node, key, next);
    node = next;
  }
  setOwn(node, tokens[tokens.length - 1] as string, value);
  return root;
}

/**
 * A `messageMock` for runWorkflow. Scenario keys as for HTTP steps: `workflowId/stepId`, `stepId`, then
 * the AsyncAPI operationId; an entry's `body` replaces the payload, `merge` is merged into it, `headers`
 * are added.
 * @example runWorkflow(doc, inputs, { messageMock: createMessageMock({ scenario }) })
 */
export function createMessageMock(options: { scenario?: Scenario } = {}): MessageMock {
  const cursor = new ScenarioCursor(options.scenario);
  return (request) => {
    const message = request.messages.find((m) => m.examples.length > 0) ?? request.messages[0];
    const example = message?.examples[0];
    let payload: unknown = example?.payload ?? sampleSchema(message?.payload);
    let headers: Record<string, string> = {};
    for (const [k, v] of Object.entries(example?.headers ?? {}))
      headers[k] = typeof v === 'string' ? v : JSON.stringify(v);
    const scripted = cursor.next(
      { operationId: request.operationId ?? request.channel, method: 'RECEIVE', path: request.channel },
      { workflowId: request.workflowId, stepId: request.stepId },
    );
    if (scripted?.body !== undefined) payload = scripted.body;
    if (scripted?.merge !== undefined) payload = deepMerge(payload, scripted.merge);
    if (scripted?.headers !== undefined) headers = { ...headers, ...scripted.headers };
    const c = request.correlation;
    if (c !== undefined) {
      const m = /^\$message\.(header|payload)(?:#(.*))?$/.exec(c.location.trim());
      if (m?.[1] === 'payload') payload = setAtPointer(payload, m[2] ?? '', c.value);
      else if (m?.[1] === 'header') {
        const name = parsePointer(m[2] ?? '')?.[0];
        if (name !== undefined) headers[name] = c.value;
      }
    }
    const out: { headers?: Record<string, string>; payload?: unknown } = { headers };
    if (payload !== undefined) out.payload = payload;
    return out;
  };
}
