import type { AgentTool } from '../conversations/agent-tool';

const STATUSES = ['pending', 'in_progress', 'completed'];

/**
 * `update_plan`: offered when the plan tool is asked for (includePlanTool / include-plan-tool).
 * The model keeps a step list; each call becomes a `plan_update` event the client can draw.
 */
export const planTool: AgentTool = {
  name: 'update_plan',
  order: 20,
  spec: (settings) =>
    settings.includePlanTool
      ? {
          name: 'update_plan',
          description:
            'Records the plan for the task: an optional explanation and the list of steps with their status (pending, in_progress or completed). Keep at most one step in_progress.\n',
          strict: false,
          parameters: {
            type: 'object',
            properties: {
              explanation: { type: 'string' },
              plan: {
                type: 'array',
                description: 'The steps of the plan',
                items: {
                  type: 'object',
                  properties: { step: { type: 'string' }, status: { type: 'string', description: 'pending, in_progress or completed' } },
                  required: ['step', 'status'],
                  additionalProperties: false,
                },
              },
            },
            required: ['plan'],
            additionalProperties: false,
          },
        }
      : undefined,
  async handle(call, ctx) {
    let args: { explanation?: unknown; plan?: unknown };
    try {
      args = JSON.parse(call.arguments) as typeof args;
    } catch (err) {
      return `failed to parse function arguments: ${(err as Error).message}`;
    }
    if (!Array.isArray(args.plan)) return 'failed to parse function arguments: plan must be an array';
    const plan = [];
    for (const entry of args.plan as Array<Record<string, unknown>>) {
      if (typeof entry?.step !== 'string' || typeof entry.status !== 'string' || !STATUSES.includes(entry.status)) {
        return 'failed to parse function arguments: each plan item needs a step and a status of pending, in_progress or completed';
      }
      plan.push({ step: entry.step, status: entry.status });
    }
    ctx.emit({ type: 'plan_update', explanation: typeof args.explanation === 'string' ? args.explanation : null, plan });
    return 'Plan updated';
  },
};
