/** Shared by the workflow commands: runs a request on the chosen registry as the acting user and prints what changed. */
import { actingUser, loadConfig } from '../config.js';
import { applyWorkflowEvent, type WorkflowRequest } from '../ops/workflow.js';
import { openStore } from '../stores/open.js';
import { printSteps } from '../views/workflow-view.js';
import type { CommandContext, Outcome } from './command.js';

/** Refusals throw (exit 1); success prints each step. */
export async function runWorkflow(ctx: CommandContext, projectIds: readonly string[], request: WorkflowRequest): Promise<Outcome> {
  const actor = actingUser(ctx.values.by, loadConfig());
  const steps = await applyWorkflowEvent(openStore(ctx.values.registry as string), projectIds, request, actor, ctx.now);
  printSteps(ctx.output, steps);
  return 'ok';
}
