/** Progress for long commands: a redrawn bar on a terminal, plain occasional lines when output goes to a file or pipe. */
export interface Progress {
  update(label: string, done: number, total: number): void;
  done(): void;
}

const WIDTH = 30;

export function progressBar(stream: NodeJS.WriteStream = process.stderr): Progress {
  let lastLine = '';
  let lastPercent = -1;
  return {
    update(label, done, total) {
      const ratio = total > 0 ? Math.min(1, done / total) : 1;
      const percent = Math.floor(ratio * 100);
      if (stream.isTTY) {
        const filled = Math.round(ratio * WIDTH);
        const line = `${label} [${'█'.repeat(filled)}${'░'.repeat(WIDTH - filled)}] ${percent}% ${done}/${total}`;
        if (line !== lastLine) stream.write(`\r${line}\x1b[K`);
        lastLine = line;
      } else if (percent === 100 || percent >= lastPercent + 25) {
        stream.write(`${label} ${done}/${total}（${percent}%）\n`);
        lastPercent = percent;
      }
    },
    done() {
      if (stream.isTTY && lastLine) stream.write('\n');
      lastLine = '';
      lastPercent = -1;
    },
  };
}
