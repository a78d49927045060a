import { documentedErrorStatuses, type FaultAction, type FaultMatch } from '../core/faults.js';
import type { Operation, Spec } from '../core/openapi.js';
import { Problem } from '../core/problem.js';
import { operationMatcher } from '../core/provider.js';
import type { ProviderInstance } from '../providers/types.js';

interface Candidate {
  op: Operation;
  instance: ProviderInstance;
}

/**
 * Refuses an injected error whose status some operation it can hit does not document: the answer
 * must be one the provider's spec describes for that operation (body and headers).
 */
export function faultChecker(providers: { slug: string; instance: ProviderInstance; spec: Spec }[]): (match: FaultMatch, action: FaultAction) => void {
  const matchers = new Map(providers.map((p) => [p.slug, operationMatcher(p.spec)]));

  const candidates = (match: FaultMatch): Candidate[] => {
    const out: Candidate[] = [];
    for (const { slug, instance, spec } of providers) {
      if (match.provider !== undefined && match.provider !== slug) continue;
      for (const op of spec.operations) {
        if (match.operationId !== undefined && match.operationId !== op.operationId) continue;
        if (match.method !== undefined && match.method.toUpperCase() !== op.method) continue;
        if (match.path !== undefined && matchers.get(slug)!(op.method, match.path) !== op) continue;
        out.push({ op, instance });
      }
    }
    return out;
  };

  return (match, action) => {
    if (action.status === undefined && action.code === undefined) return;
    const hit = candidates(match);
    if (hit.length === 0) {
      throw new Problem(400, 'No documented operation matches this fault', [{ path: 'body/match', message: 'must match at least one operation of a provider' }]);
    }
    if (action.code !== undefined && action.status !== undefined) {
      const own = hit[0].instance.faultStatus?.({ code: action.code }, hit[0].op);
      if (own !== undefined && own !== action.status) {
        throw new Problem(400, `Error code ${action.code} answers ${own}, not ${action.status}`, [{ path: 'body/action/status', message: `must be ${own} with code ${action.code}, or left out` }]);
      }
    }
    const undocumented: string[] = [];
    let status = 0;
    for (const { op, instance } of hit) {
      status = instance.faultStatus?.(action, op) ?? action.status ?? 500;
      if (!documentedErrorStatuses(op).includes(status)) undocumented.push(op.operationId);
    }
    if (undocumented.length === 0) return;
    const possible = hit.map(({ op }) => documentedErrorStatuses(op)).reduce((a, b) => a.filter((s) => b.includes(s)));
    const what = action.code === undefined ? `Status ${status}` : `Error code ${action.code} (status ${status})`;
    const shown = undocumented.length > 5 ? `${undocumented.slice(0, 5).join(', ')} and ${undocumented.length - 5} more` : undocumented.join(', ');
    throw new Problem(400, `${what} is not documented for ${shown}`, [
      {
        path: action.code === undefined ? 'body/action/status' : 'body/action/code',
        message:
          possible.length > 0
            ? `must answer a status every matched operation documents: ${possible.join(', ')}`
            : 'no error status is documented by every matched operation; narrow match (operationId)',
      },
    ]);
  };
}
