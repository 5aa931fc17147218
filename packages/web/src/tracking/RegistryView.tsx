import type { JSX } from 'preact';
import { useApiQuery } from '../hooks/useApiQuery.ts';
import { ModelDetail } from './ModelDetail.tsx';
import { searchRegisteredModels } from './tracking-client.ts';
import type { TrackingUrlState } from './tracking-url-state.ts';
import './tracking.css';

export interface RegistryViewProps {
  state: TrackingUrlState;
  onChange: (change: Partial<TrackingUrlState>) => void;
}

/** Renders the model registry page: registered models, then the chosen model's versions, policy and transitions. */
export function RegistryView(props: RegistryViewProps): JSX.Element {
  const result = useApiQuery((signal) => searchRegisteredModels(signal), 'registered-models');
  const models = result.data?.registered_models ?? [];
  const selected = props.state.registeredModel;
  return (
    <div class="tracking-page">
      <nav class="experiment-list" aria-label="Registered models">
        <h2>Registered models</h2>
        {result.error !== undefined && (
          <p class="tracking-error" role="alert">
            {result.error.message}
          </p>
        )}
        <ul>
          {models.map((model) => (
            <li key={model.name}>
              <button
                type="button"
                class={`link-button${model.name === selected ? ' selected' : ''}`}
                data-model={model.name}
                onClick={() => props.onChange({ registeredModel: model.name })}
              >
                {model.name}
              </button>
              <span class="muted">
                {' '}
                {(model.latest_versions ?? [])
                  .map((version) => `v${version.version} ${version.current_stage}`)
                  .join(', ')}
              </span>
            </li>
          ))}
        </ul>
        {!result.loading && models.length === 0 && <p class="muted">No registered models yet.</p>}
      </nav>
      <div class="tracking-main">
        {selected === null ? (
          <p class="muted">Choose a model to see its versions.</p>
        ) : (
          <ModelDetail key={selected} name={selected} />
        )}
      </div>
    </div>
  );
}
