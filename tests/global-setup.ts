// Builds the CLI (and every other bundle) once before the suite: tests drive the built artefacts, as users do.
import { execFileSync } from 'node:child_process';

export default function setup(): void {
  execFileSync(process.execPath, ['scripts/build.mjs'], { stdio: 'inherit' });
}
