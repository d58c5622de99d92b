/** How the CLI writes to the terminal: plain lines and simple tables. */
export interface Output {
  out(line?: string): void;
  err(line?: string): void;
}

export const consoleOutput: Output = {
  out: (line = '') => process.stdout.write(`${line}\n`),
  err: (line = '') => process.stderr.write(`${line}\n`),
};

/** Pads Chinese text by display width (CJK characters take two columns). */
export function padEnd(text: string, width: number): string {
  let w = 0;
  for (const ch of text) w += /[\u1100-\uffff]/.test(ch) ? 2 : 1;
  return text + ' '.repeat(Math.max(0, width - w));
}
