import { describe, expect, it } from 'vitest';
import { judgeAnswer } from '../src/app/evaluation.ts';

function helpfulnessOf(key: string, shift: number): number {
  const value = judgeAnswer(key, shift)[0]?.['gen_ai.evaluation.score.value'];
  if (typeof value !== 'number') throw new Error(`no helpfulness for ${key}`);
  return value;
}

function meanOver(shift: number): number {
  const keys = Array.from({ length: 2000 }, (_, index) => `request-${index}/1`);
  return keys.reduce((sum, key) => sum + helpfulnessOf(key, shift), 0) / keys.length;
}

describe('demo answer judge', () => {
  it('scores the same request key the same way every time', () => {
    expect(judgeAnswer('r-17/2', 0)).toEqual(judgeAnswer('r-17/2', 0));
    expect(helpfulnessOf('r-17/2', 0)).not.toBe(helpfulnessOf('r-18/2', 0));
  });

  it('centres healthy answers near 0.82 and dropped answers near 0.47', () => {
    expect(meanOver(0)).toBeCloseTo(0.82, 1);
    expect(meanOver(-0.35)).toBeCloseTo(0.47, 1);
  });

  it('calls an answer bad exactly when helpfulness is below 0.6', () => {
    for (let index = 0; index < 500; index += 1) {
      const [score, verdict] = judgeAnswer(`k-${index}`, -0.35);
      const helpfulness = score?.['gen_ai.evaluation.score.value'] as number;
      expect(verdict?.['gen_ai.evaluation.score.label']).toBe(helpfulness < 0.6 ? 'bad' : 'good');
    }
  });
});
