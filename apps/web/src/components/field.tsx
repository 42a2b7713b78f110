import type { ComponentChildren } from 'preact';

/** The input attributes the forms use. */
interface InputProps {
  type?: string;
  autocomplete?: string;
  required?: boolean;
  step?: number;
  min?: number | string;
  max?: number | string;
  placeholder?: string;
  inputMode?: 'text' | 'numeric' | 'decimal' | 'email';
  spellcheck?: boolean;
  list?: string;
  maxLength?: number;
  pattern?: string;
}

/**
 * A labelled input with its hint and its error, wired for screen readers (aria-describedby,
 * aria-invalid). `value`/`onValue` keep it controlled.
 */
export function Field(props: { id: string; label: string; value: string; onValue: (v: string) => void; hint?: ComponentChildren; error?: string; input?: InputProps; children?: ComponentChildren }) {
  const { id, label, value, onValue, hint, error, input } = props;
  const described = [hint ? `${id}-hint` : '', error ? `${id}-error` : ''].filter(Boolean).join(' ') || undefined;
  return (
    <div class="field">
      <label for={id}>{label}</label>
      <input id={id} value={value} onInput={(e) => onValue((e.target as HTMLInputElement).value)} aria-describedby={described} aria-invalid={error ? 'true' : undefined} {...(input as Record<string, unknown>)} />
      {props.children}
      {hint && (
        <p id={`${id}-hint`} class="hint">
          {hint}
        </p>
      )}
      {error && (
        <p id={`${id}-error`} class="field-error">
          {error}
        </p>
      )}
    </div>
  );
}

/** A labelled select. */
export function SelectField(props: { id: string; label: string; value: string; onValue: (v: string) => void; options: { value: string; label: string }[]; hint?: string }) {
  return (
    <div class="field">
      <label for={props.id}>{props.label}</label>
      <select id={props.id} value={props.value} onChange={(e) => props.onValue((e.target as HTMLSelectElement).value)} aria-describedby={props.hint ? `${props.id}-hint` : undefined}>
        {props.options.map((o) => (
          <option key={o.value} value={o.value}>
            {o.label}
          </option>
        ))}
      </select>
      {props.hint && (
        <p id={`${props.id}-hint`} class="hint">
          {props.hint}
        </p>
      )}
    </div>
  );
}
