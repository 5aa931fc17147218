import { describe, expect, it } from 'vitest';
import { createRandom } from '../src/random.ts';
import { DEFAULT_MOCK_MODELS } from '../src/provider/model-table.ts';
import { planCall } from '../src/provider/outcome.ts';

// The objectives of Foghorn's default alarm pack: 99.5 % of calls per provider succeed, and
// 99 % of calls per model take less than 8 s. Normal demo traffic must stay well inside both,
// so the pages and tickets fire only when an incident is injected.
const ERROR_BUDGET = 0.005;
const SLOW_BUDGET = 0.01;
const SLOW_THRESHOLD_MS = 8_000;
const CALLS = 200_000;

describe('demo traffic without an incident', () => {
  for (const model of DEFAULT_MOCK_MODELS) {
    it(`keeps ${model.name} inside the default SLOs`, () => {
      const random = createRandom(7);
      let failed = 0;
      let slow = 0;
      for (let i = 0; i < CALLS; i++) {
        const plan = planCall(model, random, {
          forcedOutcome: null,
          rateLimitProbability: null,
          latencyFactor: 1,
        });
        if (plan.outcome !== 'ok') failed++;
        else if (plan.latencyMs > SLOW_THRESHOLD_MS) slow++;
      }
      // Half the budget leaves room for the chance spread of a few thousand calls.
      expect(failed / CALLS).toBeLessThan(ERROR_BUDGET / 2);
      expect(slow / CALLS).toBeLessThan(SLOW_BUDGET / 2);
    });
  }
});
