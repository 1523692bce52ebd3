// Arazzo 1.0.1 "Step Object" / "Failure Action Object": non-spec forms read as their spec equivalents.
import { childPointer } from './diagnostic.js';
import { own } from './subject.js';

/** Callback used by rewrites: `pointer` is into the original document. */
export type CompatReport = (code: string, pointer: string, message: string) => void;

/**
 * Pointers that exist only in the rewritten copy, mapped back to where their data came from in the file:
 * `syntheticPrefix -> { target, fields }`, where `fields` names the members that were moved.
 */
export interface PointerMap {
  toSource(pointer: string): string;
}

interface Moved {
  prefix: string;
  stepPointer: string;
}

/**
 * `retryAfter` / `retryLimit` written on a Step (a common non-spec form) become a trailing
 * `onFailure` retry action `{ name: 'retry', type: 'retry', retryAfter, retryLimit }`: the spec form.
 * Mutates `doc` (a private copy). Returns how to map pointers of the new action back to the file.
 */
export function rewriteStepRetryFields(doc: unknown, report: CompatReport): PointerMap {
  const moved: Moved[] = [];
  const workflows = own(doc, 'workflows');
  if (Array.isArray(workflows)) {
    workflows.forEach((wf, wi) => {
      const steps = own(wf, 'steps');
      if (!Array.isArray(steps)) return;
      steps.forEach((step, si) => {
        if (typeof step !== 'object' || step === null || Array.isArray(step)) return;
        const s = step as Record<string, unknown>;
        const hasAfter = Object.hasOwn(s, 'retryAfter');
        const hasLimit = Object.hasOwn(s, 'retryLimit');
        if (!hasAfter && !hasLimit) return;
        const onFailure = own(s, 'onFailure');
        if (onFailure !== undefined && !Array.isArray(onFailure)) return; // schema reports onFailure itself
        const list = (onFailure ?? []) as unknown[];
        const taken = new Set(list.map((a) => own(a, 'name')));
        let name = 'retry';
        for (let n = 2; taken.has(name); n++) name = `retry-${n}`;
        const action: Record<string, unknown> = { name, type: 'retry' };
        if (hasAfter) action.retryAfter = s.retryAfter;
        if (hasLimit) action.retryLimit = s.retryLimit;
        const stepPointer = childPointer('', 'workflows', wi, 'steps', si);
        const spec = `onFailure: [{ name: ${name}, type: retry${hasAfter ? `, retryAfter: ${JSON.stringify(s.retryAfter)}` : ''}${hasLimit ? `, retryLimit: ${JSON.stringify(s.retryLimit)}` : ''} }]`;
        const fields = [hasAfter ? 'retryAfter' : '', hasLimit ? 'retryLimit' : ''].filter((f) => f !== '');
        report(
          'compat-step-retry-fields',
          childPointer(stepPointer, fields[0]!),
          `${fields.join(' and ')} ${fields.length > 1 ? 'are not Step Object fields' : 'is not a Step Object field'}; read as the spec form ${spec}`,
        );
        delete s.retryAfter;
        delete s.retryLimit;
        list.push(action);
        s.onFailure = list;
        moved.push({ prefix: childPointer(stepPointer, 'onFailure', list.length - 1), stepPointer });
      });
    });
  }
  return {
    toSource(pointer: string): string {
      for (const m of moved) {
        if (pointer === m.prefix || pointer.startsWith(`${m.prefix}/`)) {
          const rest = pointer.slice(m.prefix.length);
          if (rest.startsWith('/retryAfter') || rest.startsWith('/retryLimit')) return m.stepPointer + rest;
          return m.stepPointer;
        }
      }
      return pointer;
    },
  };
}
