/** The `coop` executable: wires the CLI to the process. */
import { main } from './cli/main.js';
import { tuneHeap } from './util/heap.js';

tuneHeap();

// `coop status | head` closes the pipe early: that reader has all it wanted, so end quietly instead of with a stack trace.
for (const stream of [process.stdout, process.stderr]) {
  stream.on('error', (error: NodeJS.ErrnoException) => {
    if (error.code === 'EPIPE') process.exit(process.exitCode ?? 0);
    throw error;
  });
}

process.exitCode = await main(process.argv.slice(2));
