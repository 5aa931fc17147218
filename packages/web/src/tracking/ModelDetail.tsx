import type { JSX } from 'preact';
import { useState } from 'preact/hooks';
import { useApiQuery } from '../hooks/useApiQuery.ts';
import { formatTimeMs } from './format-tracking.ts';
import { PolicyForm } from './PolicyForm.tsx';
import {
  listPolicies,
  listTransitions,
  requestTransition,
  searchModelVersions,
} from './tracking-client.ts';
import { MODEL_STAGES, type ModelVersionJson, type PromotionPolicyJson } from './tracking-types.ts';

export interface ModelDetailProps {
  name: string;
}

function effectivePolicy(
  policies: PromotionPolicyJson[],
  name: string,
): PromotionPolicyJson | null {
  return (
    policies.find((policy) => policy.modelName === name) ??
    policies.find((policy) => policy.modelName === null) ??
    null
  );
}

function VersionRow(props: {
  version: ModelVersionJson;
  onTransition: (version: ModelVersionJson, stage: string) => void;
}): JSX.Element {
  const { version } = props;
  return (
    <tr data-version={version.version} data-stage={version.current_stage}>
      <td>{version.version}</td>
      <td class="stage">{version.current_stage}</td>
      <td>{(version.aliases ?? []).map((alias) => `@${alias}`).join(' ')}</td>
      <td class="mono">{version.run_id ?? '–'}</td>
      <td>{formatTimeMs(version.creation_timestamp)}</td>
      <td class="transition-buttons">
        {MODEL_STAGES.filter((stage) => stage !== version.current_stage).map((stage) => (
          <button
            key={stage}
            type="button"
            data-to-stage={stage}
            onClick={() => props.onTransition(version, stage)}
          >
            → {stage}
          </button>
        ))}
      </td>
    </tr>
  );
}

function TransitionLog(props: { name: string; revision: number }): JSX.Element {
  const result = useApiQuery(
    (signal) => listTransitions(props.name, signal),
    `${props.name}#${props.revision}`,
  );
  const transitions = result.data?.transitions ?? [];
  return (
    <section class="transition-log" aria-label="Stage transitions">
      <h3>Stage transitions</h3>
      {transitions.length === 0 && <p class="muted">No transitions yet.</p>}
      <table>
        <thead>
          <tr>
            <th>Time</th>
            <th>Version</th>
            <th>From</th>
            <th>To</th>
            <th>Outcome</th>
            <th>By</th>
            <th>Why</th>
          </tr>
        </thead>
        <tbody>
          {transitions.map((item, index) => (
            <tr
              key={index}
              class={item.outcome === 'rejected' ? 'rejected' : undefined}
              data-outcome={item.outcome}
            >
              <td>{formatTimeMs(item.timestampMs)}</td>
              <td>{item.version}</td>
              <td>{item.fromStage}</td>
              <td>{item.toStage}</td>
              <td>{item.outcome}</td>
              <td>{item.actor}</td>
              <td>{item.reason}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </section>
  );
}

/** Renders one registered model: its versions with stage transition buttons, its promotion policy and its transition log. */
export function ModelDetail(props: ModelDetailProps): JSX.Element {
  const [revision, setRevision] = useState(0);
  const [error, setError] = useState<string | null>(null);
  const versions = useApiQuery(
    (signal) => searchModelVersions(props.name, signal),
    `${props.name}#${revision}`,
  );
  const policies = useApiQuery((signal) => listPolicies(signal), `policies#${revision}`);
  const transition = async (version: ModelVersionJson, stage: string): Promise<void> => {
    setError(null);
    try {
      await requestTransition(version.name, Number(version.version), stage);
    } catch (failure) {
      setError((failure as Error).message);
    }
    setRevision((value) => value + 1);
  };

  return (
    <section class="model-detail" aria-label={`Model ${props.name}`}>
      <h2>{props.name}</h2>
      {error !== null && (
        <p class="tracking-error transition-error" role="alert">
          {error}
        </p>
      )}
      <table class="versions-table">
        <thead>
          <tr>
            <th>Version</th>
            <th>Stage</th>
            <th>Aliases</th>
            <th>Run</th>
            <th>Created</th>
            <th>Move to</th>
          </tr>
        </thead>
        <tbody>
          {(versions.data?.model_versions ?? []).map((version) => (
            <VersionRow
              key={version.version}
              version={version}
              onTransition={(item, stage) => void transition(item, stage)}
            />
          ))}
        </tbody>
      </table>
      {policies.data !== undefined && (
        <PolicyForm
          key={`${props.name}#${policies.data.policies.length}`}
          modelName={props.name}
          effective={effectivePolicy(policies.data.policies, props.name)}
          onSaved={() => setRevision((value) => value + 1)}
        />
      )}
      <TransitionLog name={props.name} revision={revision} />
    </section>
  );
}
