/** Human-readable, shortened label text for steps, criteria and actions (unescaped). */
import type { CriterionObject, StepObject } from '../document/model.js';
import { parseFragmentPointer } from '../pointer.js';

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
  const tokens = hash < 0 ? undefined : parseFragmentPointer(operationPath.slice(hash));
  if (tokens !== undefined && tokens.length === 3 && tokens[0] === 'paths') {
    return shorten(`${(tokens[2] ?? '').toUpperCase()} ${tokens[1] ?? ''}`, MAX_TARGET);
  }
  const flat = operationPath.replace(/\s+/g, ' ');
  return flat.length <= MAX_TARGET ? flat : `…${flat.slice(flat.length - (MAX_TARGET - 1))}`;
}

/** Second line of a step node: what the step calls. */
export function stepTargetLabel(step: StepObject): string | undefined {
  // 1.1 AsyncAPI steps show their direction: "send orders" / "receive confirmOrder".
  const verb = typeof step.action === 'string' ? `${step.action} ` : '';
  if (typeof step.operationId === 'string')
    return shorten(`${verb}${stripSourcePrefix(step.operationId)}`, MAX_TARGET);
  if (typeof step.operationPath === 'string') return operationPathLabel(step.operationPath);
  if (typeof step.channelPath === 'string')
    return shorten(`${verb}${channelLabel(step.channelPath)}`, MAX_TARGET);
  if (typeof step.workflowId === 'string') return workflowLabel(step.workflowId);
  return undefined;
}

/** `{$sourceDescriptions.events.url}#/channels/orders` -> `channel orders`. */
function channelLabel(channelPath: string): string {
  const hash = channelPath.indexOf('#');
  const tokens = hash < 0 ? undefined : parseFragmentPointer(channelPath.slice(hash));
  return tokens?.length === 2 && tokens[0] === 'channels' ? `channel ${tokens[1]}` : channelPath;
}

/** 1.1 step `timeout` as a node line. */
export function timeoutLabel(ms: number): string {
  return ms % 1000 === 0 ? `timeout ${ms / 1000} s` : `timeout ${ms} ms`;
}

/** A 1.1 step `dependsOn` entry naming a step of another workflow or document. */
export function stepDependencyLabel(entry: string): string {
  return `after ${shorten(entry.replace(/^\$(workflows|sourceDescriptions)\./, ''), MAX_TARGET)}`;
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
