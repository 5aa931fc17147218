import type { JSX } from 'preact';
import { COMPARATORS, SEVERITIES, type RuleFormFields } from './rule-form.ts';

export interface RuleFormInputsProps {
  fields: RuleFormFields;
  /** The id and panel are editable only when the save creates a new rule. */
  creating: boolean;
  onChange: (change: Partial<RuleFormFields>) => void;
}

function fieldChange(name: keyof RuleFormFields, value: string): Partial<RuleFormFields> {
  const change: Partial<RuleFormFields> = {};
  change[name] = value;
  return change;
}

interface TextInputProps {
  name: keyof RuleFormFields;
  label: string;
  hint?: string;
  readOnly?: boolean;
  props: RuleFormInputsProps;
}

function TextInput({ name, label, hint, readOnly, props }: TextInputProps): JSX.Element {
  return (
    <label class="rule-field">
      <span class="rule-field-label">{label}</span>
      <input
        type="text"
        name={name}
        value={props.fields[name]}
        readOnly={readOnly === true}
        placeholder={hint}
        onInput={(event) => props.onChange(fieldChange(name, event.currentTarget.value))}
      />
    </label>
  );
}

function SelectInput(
  name: 'comparator' | 'severity',
  label: string,
  choices: readonly string[],
  props: RuleFormInputsProps,
): JSX.Element {
  return (
    <label class="rule-field">
      <span class="rule-field-label">{label}</span>
      <select
        name={name}
        value={props.fields[name]}
        onChange={(event) => props.onChange(fieldChange(name, event.currentTarget.value))}
      >
        {choices.map((choice) => (
          <option key={choice} value={choice}>
            {choice}
          </option>
        ))}
      </select>
    </label>
  );
}

/** Renders the inputs of the rule form; every value is rendered as text. */
export function RuleFormInputs(props: RuleFormInputsProps): JSX.Element {
  return (
    <div class="rule-form-grid">
      <TextInput name="id" label="Id" readOnly={!props.creating} props={props} />
      <TextInput
        name="panel"
        label="Panel"
        hint="latency"
        readOnly={!props.creating}
        props={props}
      />
      <TextInput
        name="expr"
        label="Expression"
        hint="latency_p95_ms by model over 10m"
        props={props}
      />
      {SelectInput('comparator', 'Comparator', COMPARATORS, props)}
      <TextInput name="threshold" label="Threshold" hint="15000" props={props} />
      <TextInput name="for" label="For" hint="5m" props={props} />
      <TextInput name="keepFiringFor" label="Keep firing for" hint="0s" props={props} />
      {SelectInput('severity', 'Severity', SEVERITIES, props)}
      <label class="rule-field rule-field-wide">
        <span class="rule-field-label">Labels (one name=value per line)</span>
        <textarea
          name="labels"
          rows={3}
          value={props.fields.labels}
          onInput={(event) => props.onChange({ labels: event.currentTarget.value })}
        />
      </label>
      <TextInput name="summary" label="Summary annotation" props={props} />
    </div>
  );
}
