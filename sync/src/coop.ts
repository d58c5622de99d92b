/** The `coop` executable: wires the CLI to the process. */
import { main } from './cli/main.js';

process.exitCode = await main(process.argv.slice(2));
