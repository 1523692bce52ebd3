/** Human-readable, shortened label text for steps, criteria and actions (unescaped). */
import type { CriterionObject, StepObject } from '../document/model.js';

const MAX_CONDITION = 40;
const MAX_TARGET = 48;
const MAX_EDGE_LABEL = 90;

/** Collapse whitespace (newlines included) and cut to `max` characters with an ellipsis. */
export function shorten(text: string, max: number): string {
  const flat = text.replace(/\s+/g, ' ').trim();
  return flat.length <= max ? flat : `${flat.slice(0, max - 1)}…`;
}

function stripSourcePrefix(ref: string): string {
  return ref.startsWith('$sourceDescriptions.') ? ref.slice('$sourceDescriptions.'.length) : ref;
}

/** `{$sourceDescriptions.api.url}#/paths/~1pets~1{id}/get` -> `GET /pets/{id}`; other forms are shortened. */
export function operationPathLabel(operationPath: string): string {
  const hash = operationPath.indexOf('#');
  if (hash >= 0) {
    const segments = operationPath
      .slice(hash + 1)
      .split('/')
      .map((s) => s.replace(/~1/g, '/').replace(/~0/g, '~'));
    if (segments[0] === '' && segments[1] === 'paths' && segments.length === 4) {
      return shorten(`${(segments[3] ?? '').toUpperCase()} ${segments[2] ?? ''}`, MAX_TARGET);
    }
  }
  const flat = operationPath.replace(/\s+/g, ' ');
  return flat.length <= MAX_TARGET ? flat : `…${flat.slice(flat.length - (MAX_TARGET - 1))}`;
}

/** Second line of a step node: what the step calls. */
export function stepTargetLabel(step: StepObject): string | undefined {
  // 1.1 AsyncAPI steps read as what they do with the message: "send: placeOrder", "receive: #/channels/x".
  if (step.action !== undefined) {
    const target =
      typeof step.operationId === 'string'
        ? stripSourcePrefix(step.operationId)
        : typeof step.channelPath === 'string'
          ? (step.channelPath.split('#')[1] ?? step.channelPath)
          : (step.operationPath ?? '?');
    return shorten(`${step.action}: ${target}`, MAX_TARGET);
  }
  if (typeof step.operationId === 'string') return shorten(stripSourcePrefix(step.operationId), MAX_TARGET);
  if (typeof step.operationPath === 'string') return operationPathLabel(step.operationPath);
  if (typeof step.workflowId === 'string') return workflowLabel(step.workflowId);
  return undefined;
}

export function dependencyLabel(workflowId: string): string {
  return `dependsOn: ${shorten(stripSourcePrefix(workflowId), MAX_TARGET)}`;
}

export function workflowLabel(workflowId: string): string {
  return `workflow: ${shorten(stripSourcePrefix(workflowId), MAX_TARGET)}`;
}

function criterionLabel(criterion: CriterionObject): string {
  const condition = typeof criterion.condition === 'string' ? criterion.condition : '?';
  const type =
    typeof criterion.type === 'object' && criterion.type !== null ? criterion.type.type : criterion.type;
  if (type === 'regex' && typeof criterion.context === 'string') {
    return shorten(`${criterion.context} ~ /${condition}/`, MAX_CONDITION);
  }
  return shorten(condition, MAX_CONDITION);
}

export function criteriaLabel(criteria: readonly CriterionObject[] | undefined): string | undefined {
  if (criteria === undefined || criteria.length === 0) return undefined;
  return criteria.map(criterionLabel).join(' && ');
}

/** `retry ≤N every Ns`; a missing limit means one retry (spec: "a single retry SHALL be attempted"). */
export function retryLabel(retryLimit: unknown, retryAfter: unknown): string {
  const limit = typeof retryLimit === 'number' ? retryLimit : 1;
  const every = typeof retryAfter === 'number' ? ` every ${retryAfter}s` : '';
  return `retry ≤${limit}${every}`;
}

/** `name`, `name: detail`, then ` if criteria`, cut to a readable length. */
export function actionLabel(
  name: string | undefined,
  detail: string | undefined,
  criteria: string | undefined,
): string {
  let text = name ?? '';
  if (detail !== undefined) text = text === '' ? detail : `${text}: ${detail}`;
  if (criteria !== undefined) text = `${text} if ${criteria}`;
  return shorten(text, MAX_EDGE_LABEL);
}
