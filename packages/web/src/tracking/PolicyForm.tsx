import type { JSX } from 'preact';
import { useState } from 'preact/hooks';
import { savePolicy } from './tracking-client.ts';
import type { PromotionPolicyJson } from './tracking-types.ts';

export interface PolicyFormProps {
  modelName: string;
  /** The policy that applies now: the model's own, the default one, or none. */
  effective: PromotionPolicyJson | null;
  onSaved: () => void;
}

function describePolicy(policy: PromotionPolicyJson | null, modelName: string): string {
  if (policy === null)
    return `No promotion policy applies to ${modelName}: any version may move to Production.`;
  const scope = policy.modelName === null ? 'The default policy' : `The policy of ${modelName}`;
  const auto = policy.autoPromote
    ? `; new versions that pass move to Production by themselves${policy.archivePrevious ? ' and archive the previous one' : ''}`
    : '';
  return `${scope} requires ${policy.metricKey} ${policy.comparator} ${policy.threshold} for Production${auto}.`;
}

/** Shows the promotion policy that applies to a model and sets the model's own policy. */
export function PolicyForm(props: PolicyFormProps): JSX.Element {
  const start = props.effective;
  const [metricKey, setMetricKey] = useState(start?.metricKey ?? '');
  const [comparator, setComparator] = useState<'>=' | '<='>(start?.comparator ?? '>=');
  const [threshold, setThreshold] = useState(start === null ? '' : String(start.threshold));
  const [autoPromote, setAutoPromote] = useState(start?.autoPromote ?? false);
  const [archivePrevious, setArchivePrevious] = useState(start?.archivePrevious ?? true);
  const [message, setMessage] = useState<string | null>(null);

  const submit = async (event: Event): Promise<void> => {
    event.preventDefault();
    const thresholdValue = Number(threshold);
    if (metricKey.trim() === '' || threshold.trim() === '' || !Number.isFinite(thresholdValue)) {
      setMessage('Enter a metric key and a numeric threshold, such as accuracy >= 0.9.');
      return;
    }
    try {
      await savePolicy({
        modelName: props.modelName,
        metricKey: metricKey.trim(),
        comparator,
        threshold: thresholdValue,
        autoPromote,
        archivePrevious,
      });
      setMessage('Policy saved.');
      props.onSaved();
    } catch (error) {
      setMessage((error as Error).message);
    }
  };

  return (
    <form
      class="policy-form"
      aria-label="Promotion policy"
      onSubmit={(event) => void submit(event)}
    >
      <h3>Promotion policy</h3>
      <p class="policy-summary">{describePolicy(props.effective, props.modelName)}</p>
      <label>
        Metric{' '}
        <input
          name="metricKey"
          value={metricKey}
          onInput={(event) => setMetricKey(event.currentTarget.value)}
        />
      </label>
      <label>
        Comparator
        <select
          name="comparator"
          value={comparator}
          onChange={(event) => setComparator(event.currentTarget.value as '>=' | '<=')}
        >
          <option value=">=">&gt;=</option>
          <option value="<=">&lt;=</option>
        </select>
      </label>
      <label>
        Threshold{' '}
        <input
          name="threshold"
          inputMode="decimal"
          value={threshold}
          onInput={(event) => setThreshold(event.currentTarget.value)}
        />
      </label>
      <label>
        <input
          type="checkbox"
          name="autoPromote"
          checked={autoPromote}
          onChange={(event) => setAutoPromote(event.currentTarget.checked)}
        />
        Auto-promote new versions that pass
      </label>
      <label>
        <input
          type="checkbox"
          name="archivePrevious"
          checked={archivePrevious}
          onChange={(event) => setArchivePrevious(event.currentTarget.checked)}
        />
        Archive the previous Production version
      </label>
      <button type="submit">Save policy for {props.modelName}</button>
      {message !== null && (
        <p class="policy-message" role="status">
          {message}
        </p>
      )}
    </form>
  );
}
