// Redocly Respect's `x-security` extension on a Workflow or Step Object: security schemes and values per step.
import type { StepObject, WorkflowObject } from '../document/model.js';
import { isUnresolved, resolveValue } from '../expression/index.js';
import type { ExpressionScope } from '../expression/types.js';
import { credentialSecrets } from '../http/index.js';
import type { Masker } from '../secrets/index.js';
import type { ResolvedOperation, SecurityScheme } from '../sources/types.js';
import type { AuthValues } from './types.js';

/** One `x-security` entry: a scheme of the operation's source by name, or one written inline. */
interface Entry {
  name: string;
  inline?: SecurityScheme;
  values: unknown;
  pointer: string;
}

interface Plan {
  entries: Entry[];
  /** The operation with the entries as its only security requirement (and the inline schemes added). */
  operation: ResolvedOperation;
}

const plans = new WeakMap<StepObject, { op: ResolvedOperation; plan: Plan | string }>();

function entriesOf(owner: unknown, pointer: string): unknown[] {
  const list = (owner as Record<string, unknown>)['x-security'];
  return Array.isArray(list)
    ? list.map((entry, i) => ({ entry, pointer: `${pointer}/x-security/${i}` }))
    : [];
}

/** The entries of the workflow and the step (a step entry for the same scheme wins), checked once. */
function planFor(workflow: WorkflowObject, step: StepObject, op: ResolvedOperation): Plan | string {
  const cached = plans.get(step);
  if (cached !== undefined && cached.op === op) return cached.plan;
  const byName = new Map<string, Entry>();
  const inline: Record<string, SecurityScheme> = {};
  const listed = [...entriesOf(workflow, 'workflow'), ...entriesOf(step, `step "${step.stepId}"`)] as Array<{
    entry: unknown;
    pointer: string;
  }>;
  let plan: Plan | string | undefined;
  for (const [i, { entry, pointer }] of listed.entries()) {
    const e = entry as { schemeName?: unknown; scheme?: unknown; values?: unknown };
    if (typeof e !== 'object' || e === null) {
      plan = `${pointer}: expected { schemeName | scheme, values }`;
      break;
    }
    if (typeof e.schemeName === 'string') {
      if (op.securitySchemes[e.schemeName] === undefined) {
        const known = Object.keys(op.securitySchemes).join(', ') || 'none';
        plan = `${pointer}: schemeName "${e.schemeName}" is not a security scheme of source "${op.sourceName}" (it has ${known})`;
        break;
      }
      byName.set(e.schemeName, { name: e.schemeName, values: e.values, pointer });
    } else if (typeof e.scheme === 'object' && e.scheme !== null && 'type' in e.scheme) {
      const name = `x-security#${i}`;
      inline[name] = e.scheme as SecurityScheme;
      byName.set(name, { name, inline: e.scheme as SecurityScheme, values: e.values, pointer });
    } else {
      plan = `${pointer}: needs schemeName or an inline scheme with a type`;
      break;
    }
  }
  if (plan === undefined) {
    const entries = [...byName.values()];
    plan = {
      entries,
      operation: {
        ...op,
        security: [Object.fromEntries(entries.map((e) => [e.name, [] as string[]]))],
        securitySchemes: { ...op.securitySchemes, ...inline },
      },
    };
  }
  plans.set(step, { op, plan });
  return plan;
}

/** Respect's value names per scheme type, as a credential of ours. */
function credentialOf(
  scheme: SecurityScheme,
  values: Record<string, unknown>,
): { credential: AuthValues[string] } | { problem: string } {
  const text = (key: string): string | undefined =>
    typeof values[key] === 'string' || typeof values[key] === 'number' ? String(values[key]) : undefined;
  switch (scheme.type) {
    case 'apiKey': {
      const value = text('apiKey') ?? text('value');
      return value === undefined ? { problem: 'apiKey scheme needs values.apiKey' } : { credential: value };
    }
    case 'http': {
      if (scheme.scheme.toLowerCase() === 'basic') {
        const username = text('username');
        const password = text('password');
        return username === undefined || password === undefined
          ? { problem: 'basic scheme needs values.username and values.password' }
          : { credential: { username, password } };
      }
      const token = text('token');
      return token === undefined
        ? { problem: `http ${scheme.scheme} scheme needs values.token` }
        : { credential: { token } };
    }
    case 'oauth2':
    case 'openIdConnect': {
      const token = text('accessToken') ?? text('token');
      return token === undefined
        ? { problem: `${scheme.type} scheme needs values.accessToken` }
        : { credential: { token } };
    }
    case 'mutualTLS':
      return { problem: 'mutualTLS is configured with the tls option, not x-security' };
    default:
      return { problem: `unknown security scheme type "${(scheme as { type: unknown }).type}"` };
  }
}

/**
 * The operation and credentials a step's `x-security` asks for; undefined when it has none. Values are
 * evaluated against the step's scope and declared secret. A string is why it cannot be applied.
 */
export function applyRespectSecurity(
  workflow: WorkflowObject,
  step: StepObject,
  op: ResolvedOperation,
  scope: ExpressionScope,
  masker: Masker,
): { operation: ResolvedOperation; auth: AuthValues } | string | undefined {
  if (
    (step as unknown as Record<string, unknown>)['x-security'] === undefined &&
    (workflow as unknown as Record<string, unknown>)['x-security'] === undefined
  )
    return undefined;
  const plan = planFor(workflow, step, op);
  if (typeof plan === 'string') return `x-security: ${plan}`;
  const auth: AuthValues = {};
  for (const entry of plan.entries) {
    const values = resolveValue(entry.values ?? {}, scope, { omitUnresolved: true });
    if (isUnresolved(values)) return `x-security: ${entry.pointer}: values: ${values.reason}`;
    if (typeof values !== 'object' || values === null) {
      return `x-security: ${entry.pointer}: values must be an object`;
    }
    const scheme = plan.operation.securitySchemes[entry.name] as SecurityScheme;
    const made = credentialOf(scheme, values as Record<string, unknown>);
    if ('problem' in made) return `x-security: ${entry.pointer}: ${made.problem}`;
    for (const secret of credentialSecrets(made.credential)) masker.add(secret);
    auth[entry.name] = made.credential;
  }
  return { operation: plan.operation, auth };
}
