import { describe, expect, it } from 'vitest';
import { createImportProgress } from '../../src/cli/import-progress.ts';

function collect(isTTY: boolean): {
  chunks: string[];
  progress: ReturnType<typeof createImportProgress>;
} {
  const chunks: string[] = [];
  return { chunks, progress: createImportProgress({ write: (text) => chunks.push(text), isTTY }) };
}

describe('import progress', () => {
  it('redraws one bar on a terminal', () => {
    const { chunks, progress } = collect(true);
    progress.onProgress(1, 4, 'run a imported');
    progress.onProgress(4, 4, 'model m imported');
    progress.finish();
    expect(chunks).toEqual([
      `\r\x1b[2K[${'#'.repeat(8)}${'-'.repeat(22)}] 1/4 run a imported`,
      `\r\x1b[2K[${'#'.repeat(30)}] 4/4 model m imported`,
      '\n',
    ]);
  });

  it('writes plain lines elsewhere', () => {
    const { chunks, progress } = collect(false);
    progress.onProgress(2, 3, 'run b skipped: already present');
    progress.finish();
    expect(chunks).toEqual(['[2/3] run b skipped: already present\n']);
  });
});
