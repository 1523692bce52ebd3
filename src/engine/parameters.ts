// Arazzo 1.0.1 "Parameter Object" and "Reusable Object": the parameters a step sends.
import type { ComponentsObject, ParameterObject, ReusableObject } from '../document/model.js';
import { isReusable } from '../document/model.js';

export interface EffectiveParameter {
  name: string;
  in?: ParameterObject['in'];
  value: ParameterObject['value'];
  /** Where the parameter was written, for messages. */
  origin: 'workflow' | 'step';
}

function identity(p: { name: string; in?: string | undefined }): string {
  // Header names are case-insensitive (RFC 9110); other locations are case-sensitive.
  return p.in === 'header' ? `header:${p.name.toLowerCase()}` : `${p.in ?? ''}:${p.name}`;
}

function resolveOne(
  item: ParameterObject | ReusableObject,
  components: ComponentsObject | undefined,
): ParameterObject | undefined {
  if (!isReusable(item)) return item;
  const prefix = '$components.parameters.';
  if (!item.reference.startsWith(prefix)) return undefined;
  const name = item.reference.slice(prefix.length);
  const table = components?.parameters;
  const base = table !== undefined && Object.hasOwn(table, name) ? table[name] : undefined;
  if (base === undefined) return undefined;
  // The Reusable Object's `value` overrides the component's value (spec: Reusable Object).
  return item.value === undefined ? base : { ...base, value: item.value };
}

/**
 * Workflow-level parameters merged with step-level ones: identity is name + in, a step overrides
 * but never removes (spec: Step Object `parameters`).
 */
export function effectiveParameters(
  workflowParams: ReadonlyArray<ParameterObject | ReusableObject> | undefined,
  stepParams: ReadonlyArray<ParameterObject | ReusableObject> | undefined,
  components: ComponentsObject | undefined,
): EffectiveParameter[] {
  const merged = new Map<string, EffectiveParameter>();
  for (const [list, origin] of [
    [workflowParams, 'workflow'],
    [stepParams, 'step'],
  ] as const) {
    for (const item of list ?? []) {
      const p = resolveOne(item, components);
      if (p === undefined) continue;
      const entry: EffectiveParameter = { name: p.name, value: p.value, origin };
      if (p.in !== undefined) entry.in = p.in;
      merged.set(identity(p), entry);
    }
  }
  return [...merged.values()];
}

const perStep = new WeakMap<object, EffectiveParameter[]>();

/**
 * The effective parameters of a step, computed once per (frozen) step object: the merge and the reusable
 * references never change during a run, only the values evaluated from them do.
 */
export function stepParameters(
  workflowParams: ReadonlyArray<ParameterObject | ReusableObject> | undefined,
  step: { parameters?: ReadonlyArray<ParameterObject | ReusableObject> },
  components: ComponentsObject | undefined,
): EffectiveParameter[] {
  let list = perStep.get(step);
  if (list === undefined) {
    list = effectiveParameters(workflowParams, step.parameters, components);
    if (Object.isFrozen(step)) perStep.set(step, list);
  }
  return list;
}
