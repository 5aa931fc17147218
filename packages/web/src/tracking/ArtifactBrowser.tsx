import type { JSX } from 'preact';
import { useState } from 'preact/hooks';
import { useApiQuery } from '../hooks/useApiQuery.ts';
import { previewKindOf } from './artifact-preview-kind.ts';
import { runLabel } from './format-tracking.ts';
import { artifactUrl, getRun, listArtifacts } from './tracking-client.ts';

/** Text previews stop here so a large log does not freeze the page. */
const MAX_PREVIEW_CHARS = 200_000;

export interface ArtifactBrowserProps {
  runId: string;
  selectedPath: string | null;
  onSelect: (path: string | null) => void;
  onBack: () => void;
}

function ArtifactFolder(props: {
  runId: string;
  path: string;
  selectedPath: string | null;
  onSelect: (path: string) => void;
}): JSX.Element {
  const listing = useApiQuery(
    (signal) => listArtifacts(props.runId, props.path, signal),
    `${props.runId}/${props.path}`,
  );
  const [open, setOpen] = useState<string[]>([]);
  if (listing.error !== undefined)
    return (
      <p class="tracking-error" role="alert">
        {listing.error.message}
      </p>
    );
  const files = listing.data?.files ?? [];
  return (
    <ul class="artifact-tree">
      {files.map((file) => (
        <li key={file.path} data-artifact={file.path}>
          {file.is_dir ? (
            <>
              <button
                type="button"
                class="link-button artifact-dir"
                aria-expanded={open.includes(file.path)}
                onClick={() =>
                  setOpen(
                    open.includes(file.path)
                      ? open.filter((item) => item !== file.path)
                      : [...open, file.path],
                  )
                }
              >
                {open.includes(file.path) ? '▾ ' : '▸ '}
                {file.path.split('/').pop()}/
              </button>
              {open.includes(file.path) && (
                <ArtifactFolder
                  runId={props.runId}
                  path={file.path}
                  selectedPath={props.selectedPath}
                  onSelect={props.onSelect}
                />
              )}
            </>
          ) : (
            <button
              type="button"
              class={`link-button artifact-file${file.path === props.selectedPath ? ' selected' : ''}`}
              onClick={() => props.onSelect(file.path)}
            >
              {file.path.split('/').pop()}
            </button>
          )}
        </li>
      ))}
    </ul>
  );
}

async function loadText(url: string, signal: AbortSignal, asJson: boolean): Promise<string> {
  const response = await fetch(url, { signal });
  if (!response.ok) throw new Error(`${url} returned HTTP ${response.status}`);
  const text = (await response.text()).slice(0, MAX_PREVIEW_CHARS);
  if (!asJson) return text;
  try {
    return JSON.stringify(JSON.parse(text), null, 2);
  } catch {
    return text;
  }
}

function TextPreview(props: { url: string; asJson: boolean }): JSX.Element {
  const result = useApiQuery((signal) => loadText(props.url, signal, props.asJson), props.url);
  if (result.error !== undefined)
    return (
      <p class="tracking-error" role="alert">
        {result.error.message}
      </p>
    );
  return <pre class="artifact-text">{result.data ?? ''}</pre>;
}

/** Shows images as <img> (SVG included, so its scripts never run) and text as text nodes, never as HTML. */
function ArtifactPreview(props: { url: string; path: string }): JSX.Element {
  const kind = previewKindOf(props.path);
  return (
    <div class="artifact-preview" data-preview-kind={kind}>
      <h3>{props.path}</h3>
      {kind === 'image' && <img class="artifact-image" src={props.url} alt={props.path} />}
      {(kind === 'text' || kind === 'json') && (
        <TextPreview url={props.url} asJson={kind === 'json'} />
      )}
      {kind === 'none' && <p class="muted">No preview for this file type.</p>}
      <a href={props.url} download>
        Download
      </a>
    </div>
  );
}

/** Lists a run's artifact tree, folders opening on click, and previews the selected file. */
export function ArtifactBrowser(props: ArtifactBrowserProps): JSX.Element {
  const run = useApiQuery((signal) => getRun(props.runId, signal), props.runId);
  const artifactUri = run.data?.run.info.artifact_uri;
  const url =
    artifactUri === undefined || props.selectedPath === null
      ? null
      : artifactUrl(artifactUri, props.selectedPath);
  return (
    <section class="artifact-browser" aria-label="Artifacts">
      <button type="button" class="link-button" onClick={props.onBack}>
        ← Back to runs
      </button>
      <h2>Artifacts of {run.data === undefined ? props.runId : runLabel(run.data.run)}</h2>
      {run.error !== undefined && (
        <p class="tracking-error" role="alert">
          {run.error.message}
        </p>
      )}
      <div class="artifact-layout">
        <ArtifactFolder
          runId={props.runId}
          path=""
          selectedPath={props.selectedPath}
          onSelect={props.onSelect}
        />
        {props.selectedPath !== null && url !== null && (
          <ArtifactPreview url={url} path={props.selectedPath} />
        )}
        {props.selectedPath !== null && artifactUri !== undefined && url === null && (
          <p class="muted">This run stores artifacts at {artifactUri}, outside Foghorn.</p>
        )}
      </div>
    </section>
  );
}
