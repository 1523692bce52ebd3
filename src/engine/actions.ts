// Arazzo 1.0.1 "Success Action Object" and "Failure Action Object": choosing what happens after a step.
import { evaluateCriteria } from '../criteria/index.js';
import type {
  ComponentsObject,
  CriterionObject,
  FailureActionObject,
  ParameterObject,
  ReusableObject,
  StepObject,
  SuccessActionObject,
  WorkflowObject,
} from '../document/model.js';
import { isReusable } from '../document/model.js';
import type { ExpressionScope } from '../expression/types.js';

/** A transition of the step loop. Pure data: the loop applies it. */
export type Transition =
  | { type: 'next' }
  | { type: 'goto-step'; name: string; stepId: string }
  | {
      type: 'goto-workflow';
      name: string;
      workflowId: string;
      /** 1.1: the action's `parameters`, which become the target workflow's inputs. */
      parameters?: ReadonlyArray<ParameterObject | ReusableObject>;
    }
  | { type: 'end'; name: string }
  | {
      type: 'retry';
      name: string;
      /** Delay before the next attempt, after caps. */
      delayMs: number;
      /** Retries of this action used so far, including this one. */
      used: number;
      limit: number;
      /** Run this step or workflow first, then retry (spec: "the reference is executed and the context is returned"). */
      detour?:
        | { stepId: string }
        | { workflowId: string; parameters?: ReadonlyArray<ParameterObject | ReusableObject> };
    }
  | {
      type: 'fail';
      reason: string /** A retry action matched but its budget was used up. */;
      retriesUsedUp?: true;
    };

export type ActionChoice = Transition;

/** Resolve `$components.successActions.x` / `$components.failureActions.x` references. */
export function resolveActions<T extends SuccessActionObject | FailureActionObject>(
  list: ReadonlyArray<T | ReusableObject> | undefined,
  kind: 'successActions' | 'failureActions',
  components: ComponentsObject | undefined,
): T[] {
  if (list === undefined) return [];
  const out: T[] = [];
  for (const item of list) {
    if (isReusable(item)) {
      const prefix = `$components.${kind}.`;
      if (!item.reference.startsWith(prefix)) continue;
      const name = item.reference.slice(prefix.length);
      const table = components?.[kind] as Record<string, T> | undefined;
      const found = table !== undefined && Object.hasOwn(table, name) ? table[name] : undefined;
      if (found !== undefined) out.push(found);
    } else {
      out.push(item);
    }
  }
  return out;
}

/**
 * The effective action list of a step: its own actions first, then the workflow's actions that the
 * step does not override by name (spec: workflow actions "can be overridden at the step level but
 * cannot be removed there").
 */
export function effectiveActions<T extends SuccessActionObject | FailureActionObject>(
  stepList: T[],
  workflowList: T[],
): T[] {
  if (workflowList.length === 0) return stepList;
  const names = new Set(stepList.map((a) => a.name));
  return [...stepList, ...workflowList.filter((a) => !names.has(a.name))];
}

/**
 * Where an action whose criteria are evaluated comes from: the step's `onSuccess`/`onFailure` or the
 * workflow's `successActions`/`failureActions` (reusable actions from components included).
 */
export type ActionField = 'onSuccess' | 'onFailure' | 'successActions' | 'failureActions';

/** Evaluates an action's criteria against the step's scope; absent criteria hold. */
export type ActionHolds = (
  criteria: CriterionObject[] | undefined,
  action: SuccessActionObject | FailureActionObject,
  field: ActionField,
) => boolean;

/**
 * The `holds` of a step attempt: an action's criteria evaluated against the attempt's scope. With
 * `onError` (1.1 documents), a criterion that cannot be evaluated is reported, naming its action
 * (1.1.0 "Criterion Object", "Evaluation Errors": the condition "MUST evaluate to fail, and
 * implementations SHOULD log or report the error"); it fails either way, so the action is not taken.
 */
export function actionHolds(
  scope: ExpressionScope,
  compat: boolean,
  onError: ((message: string) => void) | undefined,
): ActionHolds {
  if (onError === undefined)
    return (criteria) =>
      criteria === undefined || criteria.length === 0 || evaluateCriteria(criteria, scope, { compat }).passed;
  return (criteria, action, field) =>
    criteria === undefined ||
    criteria.length === 0 ||
    evaluateCriteria(criteria, scope, {
      compat,
      onError: (message) => onError(`${field} action "${action.name}" ${message}`),
    }).passed;
}

export interface DecideInput {
  step: StepObject;
  workflow: WorkflowObject;
  components: ComponentsObject | undefined;
  outcome: 'succeeded' | 'failed';
  /** Evaluates an action's criteria against the step's scope; absent criteria hold. */
  holds: ActionHolds;
  /** Retries used so far per failure action name, in the current entry of the step. */
  retryUsed: Readonly<Record<string, number>>;
  /** Delay asked for by an HTTP Retry-After header, in ms, already parsed. */
  retryAfterHeaderMs: number | undefined;
  /** Cap applied to every retry delay. */
  maxRetryDelayMs: number;
}

/**
 * Choose the transition after a step attempt. The first action whose criteria all hold is taken;
 * a retry action whose limit is used up is passed over so the next matching failure action applies
 * (spec: "The retryLimit MUST be exhausted prior to executing subsequent failure actions").
 */
/**
 * A step's effective actions; the first `stepSuccess`/`stepFailure` of each list are the step's own
 * (`effectiveActions` puts them first), the rest are the workflow's.
 */
interface StepActions {
  success: SuccessActionObject[];
  failure: FailureActionObject[];
  stepSuccess: number;
  stepFailure: number;
}

const stepActions = new WeakMap<StepObject, StepActions>();

/** A step's effective success and failure actions, resolved once per (frozen) step object. */
function actionsOf(
  step: StepObject,
  workflow: WorkflowObject,
  components: ComponentsObject | undefined,
): StepActions {
  let actions = stepActions.get(step);
  if (actions === undefined) {
    const ownSuccess = resolveActions<SuccessActionObject>(step.onSuccess, 'successActions', components);
    const ownFailure = resolveActions<FailureActionObject>(step.onFailure, 'failureActions', components);
    actions = {
      success: effectiveActions(
        ownSuccess,
        resolveActions<SuccessActionObject>(workflow.successActions, 'successActions', components),
      ),
      failure: effectiveActions(
        ownFailure,
        resolveActions<FailureActionObject>(workflow.failureActions, 'failureActions', components),
      ),
      stepSuccess: ownSuccess.length,
      stepFailure: ownFailure.length,
    };
    if (Object.isFrozen(step)) stepActions.set(step, actions);
  }
  return actions;
}

function gotoWorkflow(action: SuccessActionObject | FailureActionObject, workflowId: string): Transition {
  const t: Transition = { type: 'goto-workflow', name: action.name, workflowId };
  if (action.parameters !== undefined) t.parameters = action.parameters;
  return t;
}

export function decideTransition(input: DecideInput): Transition {
  const { step, workflow, components } = input;
  const { success, failure, stepSuccess, stepFailure } = actionsOf(step, workflow, components);
  if (input.outcome === 'succeeded') {
    for (let i = 0; i < success.length; i++) {
      const action = success[i]!;
      if (!input.holds(action.criteria, action, i < stepSuccess ? 'onSuccess' : 'successActions')) continue;
      if (action.type === 'end') return { type: 'end', name: action.name };
      if (action.type === 'goto') {
        if (action.stepId !== undefined)
          return { type: 'goto-step', name: action.name, stepId: action.stepId };
        if (action.workflowId !== undefined) return gotoWorkflow(action, action.workflowId);
      }
    }
    return { type: 'next' };
  }

  let exhausted: string | undefined;
  for (let i = 0; i < failure.length; i++) {
    const action = failure[i]!;
    if (!input.holds(action.criteria, action, i < stepFailure ? 'onFailure' : 'failureActions')) continue;
    if (action.type === 'retry') {
      const limit = action.retryLimit ?? 1;
      const used = input.retryUsed[action.name] ?? 0;
      if (used >= limit) {
        exhausted ??= `retry action "${action.name}" used all ${limit} retr${limit === 1 ? 'y' : 'ies'}`;
        continue;
      }
      const documentDelay = Math.max(0, (action.retryAfter ?? 0) * 1000);
      const delay = input.retryAfterHeaderMs ?? documentDelay;
      const transition: Transition = {
        type: 'retry',
        name: action.name,
        delayMs: Math.min(Math.max(0, delay), input.maxRetryDelayMs),
        used: used + 1,
        limit,
      };
      if (action.stepId !== undefined) transition.detour = { stepId: action.stepId };
      else if (action.workflowId !== undefined)
        transition.detour =
          action.parameters === undefined
            ? { workflowId: action.workflowId }
            : { workflowId: action.workflowId, parameters: action.parameters };
      return transition;
    }
    if (action.type === 'end') return { type: 'end', name: action.name };
    if (action.type === 'goto') {
      if (action.stepId !== undefined) return { type: 'goto-step', name: action.name, stepId: action.stepId };
      if (action.workflowId !== undefined) return gotoWorkflow(action, action.workflowId);
    }
  }
  return exhausted !== undefined
    ? { type: 'fail', reason: exhausted, retriesUsedUp: true }
    : { type: 'fail', reason: 'no failure action matched' };
}
