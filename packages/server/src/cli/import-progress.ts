const BAR_WIDTH = 30;

/** Where progress goes: a terminal gets one redrawn bar, anything else one plain line per item. */
export interface ProgressOutput {
  write(text: string): void;
  isTTY: boolean;
}

/** Returns a progress callback for `importIntoStore` and a `finish` that ends the bar's line. */
export function createImportProgress(output: ProgressOutput): {
  onProgress: (done: number, total: number, line: string) => void;
  finish: () => void;
} {
  let drawn = false;
  const onProgress = (done: number, total: number, line: string): void => {
    if (!output.isTTY) {
      output.write(`[${done}/${total}] ${line}\n`);
      return;
    }
    const filled = Math.round((done / Math.max(total, 1)) * BAR_WIDTH);
    const bar = `${'#'.repeat(filled)}${'-'.repeat(BAR_WIDTH - filled)}`;
    output.write(`\r\x1b[2K[${bar}] ${done}/${total} ${line.slice(0, 60)}`);
    drawn = true;
  };
  const finish = (): void => {
    if (drawn) output.write('\n');
  };
  return { onProgress, finish };
}
