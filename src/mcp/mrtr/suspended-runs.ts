import type * as Crypto from 'node:crypto';
import type { ApprovalOutcome } from '../../approvals/approval-requests';
import { toReviewDecision } from '../../approvals/review-decision';
import type { Logger } from '../../logging/logger';
import type { ElicitInputRequest, InputRequiredResult } from '../../protocol/mcp-2026';
import type { CallToolResult } from '../tool-registry';
import { RequestStateSeal, type RequestStatePayload } from './request-state';

/** How long a suspended run waits for a retry when config sets no `approval_timeout_ms` (the modern era's default). */
export const DEFAULT_SUSPEND_MS = 10 * 60_000;

/** The in-flight `tools/call` currently standing for a run (the first request, then each retry). */
export interface RunLeg {
  /** That request's own `clientCapabilities` (capabilities are never remembered across requests). */
  readonly capabilities: Record<string, unknown>;
  /** Progress of this leg, when the request asked for it. */
  progress?: (message: string) => void;
}

interface PendingInput {
  request: ElicitInputRequest;
  settle: (outcome: ApprovalOutcome) => void;
}

/** Why a retry's `requestState` is refused (all map to -32602, and none changes anything). */
export type StateProblem = 'invalid' | 'expired' | 'used' | 'foreign-call';

/** Whether a request's capabilities allow a form elicitation (`elicitation: {}` means form, `elicitation.mdx`). */
export function allowsFormElicitation(capabilities: Record<string, unknown>): boolean {
  const elicitation = capabilities.elicitation;
  if (typeof elicitation !== 'object' || elicitation === null || Array.isArray(elicitation)) return false;
  const modes = elicitation as Record<string, unknown>;
  return Object.keys(modes).length === 0 || (typeof modes.form === 'object' && modes.form !== null);
}

/**
 * One `codex` / `codex-reply` turn run through multi round-trip requests: the turn goes on in the
 * process while the client answers its approvals, and the request that stands for it changes at
 * every retry.
 */
export class SuspendedRun {
  readonly id = globalThis.crypto.randomUUID();
  readonly pending = new Map<string, PendingInput>();
  /** Approvals denied without asking, and why: the final result says so. */
  readonly denials: string[] = [];
  leg?: RunLeg;
  /** The nonce of the last issued state; undefined while no retry is awaited. */
  nonce?: string;
  abandoned = false;
  outcome?: { result: CallToolResult } | { error: unknown };
  private readonly controller = new AbortController();
  private readonly usedKeys = new Set<string>();
  private waiters: Array<() => void> = [];
  private expiry?: NodeJS.Timeout;
  /** How long the current suspension may last (the approval's `approval_timeout_ms`). */
  suspendMs = DEFAULT_SUSPEND_MS;

  constructor(readonly call: string) {}

  /** The run's own signal: aborted when a leg is cancelled or the run is abandoned, which ends the turn. */
  get signal(): AbortSignal {
    return this.controller.signal;
  }

  abort(reason: Error): void {
    if (!this.controller.signal.aborted) this.controller.abort(reason);
  }

  /** A key for an input request, unique within the run. */
  keyFor(base: string): string {
    let key = base;
    for (let n = 2; this.usedKeys.has(key); n++) key = `${base}-${n}`;
    this.usedKeys.add(key);
    return key;
  }

  settled(outcome: { result: CallToolResult } | { error: unknown }): void {
    this.outcome = outcome;
    this.wake();
  }

  addPending(key: string, input: PendingInput): void {
    this.pending.set(key, input);
    this.wake();
  }

  /** Resolves once the run finished or waits for input. */
  nextStop(): Promise<void> {
    if (this.outcome || this.pending.size > 0) return Promise.resolve();
    return new Promise((resolve) => this.waiters.push(resolve));
  }

  armExpiry(onExpire: () => void): void {
    this.disarmExpiry();
    this.expiry = setTimeout(onExpire, this.suspendMs);
    this.expiry.unref();
  }

  disarmExpiry(): void {
    clearTimeout(this.expiry);
    this.expiry = undefined;
  }

  private wake(): void {
    const waiters = this.waiters;
    this.waiters = [];
    for (const resolve of waiters) resolve();
  }
}

/**
 * The runs suspended on an `input_required` answer (MCP-2026.md §5), one registry per process.
 * The approval plugins park an approval here instead of sending a request to the client; the
 * tools/call that stands for the run answers with the pending inputs and a sealed `requestState`;
 * a valid retry settles them and the turn goes on. A run nobody resumes within its suspension
 * time counts as denied and is ended, so its processes die with its turn.
 */
export class SuspendedRuns {
  private readonly runs = new Map<string, SuspendedRun>();
  private readonly seal = new RequestStateSeal();

  constructor(private readonly log?: Logger) {}

  start(call: string, leg: RunLeg): SuspendedRun {
    const run = new SuspendedRun(call);
    run.leg = leg;
    this.runs.set(run.id, run);
    return run;
  }

  get size(): number {
    return this.runs.size;
  }

  /** The tool call of a run ended; an abandoned run has nobody to answer, so it is forgotten here. */
  settle(run: SuspendedRun, outcome: { result: CallToolResult } | { error: unknown }): void {
    run.settled(outcome);
    if (!run.abandoned) return;
    this.end(run);
    this.log?.info({ run: run.id }, 'abandoned tool call ended');
  }

  /** Forgets a finished run. */
  end(run: SuspendedRun): void {
    run.disarmExpiry();
    this.runs.delete(run.id);
  }

  /**
   * Called by an approval plugin for a turn that belongs to a run: resolves with the client's
   * decision once a retry brings it, or with a denial (no capability, abandoned run).
   */
  ask(runId: string, base: string, request: ElicitInputRequest, options: { timeoutMs?: number; signal: AbortSignal }): Promise<ApprovalOutcome> {
    const run = this.runs.get(runId);
    if (!run) return Promise.resolve({ decision: 'denied', problem: 'the tool call this approval belongs to has ended' });
    if (run.abandoned) return Promise.resolve({ decision: 'denied', problem: 'the client never retried the tool call' });
    if (!run.leg || !allowsFormElicitation(run.leg.capabilities)) {
      const problem = 'the request did not declare the elicitation (form) capability, so the approval could not be asked';
      run.denials.push(problem);
      return Promise.resolve({ decision: 'denied', problem });
    }
    if (options.signal.aborted) return Promise.reject(options.signal.reason);
    run.suspendMs = options.timeoutMs ?? DEFAULT_SUSPEND_MS;
    const key = run.keyFor(base);
    return new Promise<ApprovalOutcome>((resolve, reject) => {
      const onAbort = () => {
        run.pending.delete(key);
        reject(options.signal.reason);
      };
      options.signal.addEventListener('abort', onAbort, { once: true });
      run.addPending(key, {
        request,
        settle: (outcome) => {
          options.signal.removeEventListener('abort', onAbort);
          resolve(outcome);
        },
      });
    });
  }

  /** The `input_required` answer for a run waiting on input: every pending request, and a fresh sealed state. */
  suspend(run: SuspendedRun): InputRequiredResult {
    // node:crypto on first use: requiring it at start-up costs the first reply more than a millisecond.
    // eslint-disable-next-line @typescript-eslint/no-require-imports -- required on first use, not at start-up (ARCHITECTURE.md, Start-up performance)
    const nonce = (require('node:crypto') as typeof Crypto).randomBytes(16).toString('base64url');
    const keys = [...run.pending.keys()];
    run.nonce = nonce;
    run.leg = undefined;
    const payload: RequestStatePayload = { run: run.id, keys, exp: Date.now() + run.suspendMs, call: run.call, nonce };
    run.armExpiry(() => this.expire(run));
    const inputRequests: Record<string, ElicitInputRequest> = {};
    for (const [key, input] of run.pending) inputRequests[key] = input.request;
    return { resultType: 'input_required', inputRequests, requestState: this.seal.seal(payload) };
  }

  /**
   * Checks a retry's state against the run it names. Nothing changes here: the caller may still
   * refuse the retry (a missing capability) before calling resume().
   */
  verify(state: string, call: string): { run: SuspendedRun; payload: RequestStatePayload } | { problem: StateProblem } {
    const payload = this.seal.open(state);
    if (!payload) return { problem: 'invalid' };
    if (payload.exp <= Date.now()) return { problem: 'expired' };
    const run = this.runs.get(payload.run);
    if (!run || run.nonce === undefined || run.nonce !== payload.nonce) return { problem: 'used' };
    if (payload.call !== call) return { problem: 'foreign-call' };
    return { run, payload };
  }

  /** Consumes the state and settles each pending input the retry answered; unanswered ones stay (and are asked again). */
  resume(run: SuspendedRun, payload: RequestStatePayload, leg: RunLeg, responses: Record<string, unknown> | undefined): void {
    run.nonce = undefined;
    run.disarmExpiry();
    run.leg = leg;
    for (const key of payload.keys) {
      const input = run.pending.get(key);
      if (!input || !responses || !(key in responses)) continue;
      run.pending.delete(key);
      const { decision, usable } = toReviewDecision(responses[key]);
      input.settle(usable ? { decision } : { decision, problem: 'the approval reply carried no usable decision' });
    }
  }

  /** No retry came in time: the pending approvals are denied (the model's history, and so the rollout, records it), then the turn ends. */
  private expire(run: SuspendedRun): void {
    if (run.nonce === undefined) return;
    run.nonce = undefined;
    run.abandoned = true;
    const problem = `the client never retried the tool call within ${run.suspendMs} ms`;
    this.log?.info({ run: run.id, pending: [...run.pending.keys()] }, 'suspended tool call abandoned: its approvals are denied and its turn ends');
    for (const [key, input] of [...run.pending]) {
      run.pending.delete(key);
      input.settle({ decision: 'denied', problem });
    }
    // Once the denial has reached the turn's history (microtasks), end the turn: its processes die with it.
    setImmediate(() => run.abort(new Error('abandoned')));
  }
}
