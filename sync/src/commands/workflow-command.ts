/** Shared by the workflow commands: one shape for a command that runs a workflow request as the acting user. */
import { CoopError } from '../../../core/index.js';
import { actingUser, loadConfig } from '../config.js';
import { applyWorkflowEvent, type WorkflowRequest } from '../ops/workflow.js';
import { openStore } from '../stores/open.js';
import { printSteps } from '../views/workflow-view.js';
import type { Command, CommandContext, OptionSpec, Outcome } from './command.js';
import { BY_FLAG, BY_OPTION, OPTION_TEXT, singleProject } from './options.js';

/** Refusals throw (exit 1); success prints each step. */
export async function runWorkflow(ctx: CommandContext, projectIds: readonly string[], request: WorkflowRequest): Promise<Outcome> {
  const actor = actingUser(ctx.values.by, loadConfig());
  const steps = await applyWorkflowEvent(openStore(ctx.values.registry as string), projectIds, request, actor, ctx.now);
  printSteps(ctx.output, steps);
  return 'ok';
}

export interface WorkflowCommandSpec {
  usage: string;
  description: string;
  /** The command's own options; --by is added. */
  options?: OptionSpec;
  optionHelp?: readonly string[];
  /** `one` project named on the command line (the default), or `many` (all or nothing). */
  projects?: 'one' | 'many';
  /** The request, read from the options once the project IDs are known to be there. */
  request(ctx: CommandContext): WorkflowRequest;
}

/** A workflow command: project IDs as positionals, the acting user from --by, the request from its options. */
export function workflowCommand(spec: WorkflowCommandSpec): Command {
  return {
    usage: spec.usage,
    description: spec.description,
    flags: BY_FLAG,
    options: { ...BY_OPTION, ...spec.options },
    optionHelp: [...(spec.optionHelp ?? []), OPTION_TEXT.byOption],
    allowPositionals: true,
    async run(ctx) {
      if (spec.projects === 'many' && !ctx.positionals.length) throw new CoopError('USAGE', OPTION_TEXT.oneProject(spec.usage));
      const projectIds = spec.projects === 'many' ? ctx.positionals : [singleProject(ctx, spec.usage)];
      return runWorkflow(ctx, projectIds, spec.request(ctx));
    },
  };
}
