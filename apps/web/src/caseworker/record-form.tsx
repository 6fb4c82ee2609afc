// One form renderer for every command: browser validation first, then the API's own field errors
// placed at the field they name; a stale version (412) offers a reload; one Idempotency-Key per
// submission, so a double click or a retry never records twice.
import type { ComponentChildren, JSX } from 'preact';
import { useEffect, useMemo, useRef, useState } from 'preact/hooks';
import { ApiProblem } from '../api.js';
import { todayInCaracas, useT } from '../i18n.js';
import { Alert, Field } from '../ui/index.js';
import {
  buildBody,
  initialValues,
  newIdempotencyKey,
  placeApiErrors,
  validate,
  type ApiFieldError,
  type FieldErrors,
  type FieldSpec,
  type FormValue,
  type FormValues,
} from './form-model.js';
import './messages.js';

export interface Choice {
  value: string;
  label: string;
}

export interface RecordFormProps<R> {
  /** Distinguishes the controls' ids from any other form on the page. */
  formId: string;
  fields: readonly FieldSpec[];
  /** Sends the body; throws an ApiProblem when the API refuses. */
  send: (body: Record<string, unknown>, values: FormValues, idempotencyKey: string) => Promise<R>;
  onSuccess: (result: R) => void;
  /** Reloads what the form decided on (after a 412); the values typed stay. */
  onReload?: () => Promise<void> | void;
  /** Options of selects whose values come from the case (events, amnesty requests). */
  choices?: (source: NonNullable<FieldSpec['dynamicOptions']>) => Choice[];
  /** Values set from outside (e.g. the event a "retract" button names). */
  preset?: FormValues;
  submitLabel: string;
  successText?: string;
  children?: ComponentChildren;
}

const controlId = (formId: string, name: string) => `field-${`${formId}.${name}`.replace(/[^A-Za-z0-9_-]/g, '-')}`;

export function RecordForm<R>({ formId, fields, send, onSuccess, onReload, choices, preset, submitLabel, successText, children }: RecordFormProps<R>) {
  const t = useT();
  const start = useMemo(() => ({ ...initialValues(fields), ...preset }), [fields, preset]);
  const [values, setValues] = useState<FormValues>(start);
  const [clientErrors, setClientErrors] = useState<FieldErrors>({});
  const [apiErrors, setApiErrors] = useState<Record<string, string>>({});
  const [formError, setFormError] = useState<string[] | null>(null);
  const [stale, setStale] = useState(false);
  const [pending, setPending] = useState(false);
  const [done, setDone] = useState(false);
  // The key stays the same until a submission succeeds: a retry after a lost answer is recognised.
  const key = useRef(newIdempotencyKey());
  const formRef = useRef<HTMLFormElement>(null);
  // Synchronous guard: a double click fires twice before the disabled button re-renders.
  const inFlight = useRef(false);

  useEffect(() => {
    setValues(start);
    setClientErrors({});
    setApiErrors({});
    setFormError(null);
    setStale(false);
  }, [start]);

  const set = (name: string, value: FormValue) => {
    setValues((v) => ({ ...v, [name]: value }));
    setDone(false);
    if (clientErrors[name] || apiErrors[name]) {
      setClientErrors(({ [name]: _, ...rest }) => rest);
      setApiErrors(({ [name]: _, ...rest }) => rest);
    }
  };

  const errorOf = (name: string): string | undefined => {
    const e = clientErrors[name];
    if (e) return typeof e === 'string' ? e : t(e.key, e.vars);
    return apiErrors[name];
  };

  const focusFirstInvalid = () =>
    setTimeout(() => (formRef.current?.querySelector('[aria-invalid="true"]') as HTMLElement | null)?.focus(), 0);

  const submit = async (e: Event) => {
    e.preventDefault();
    if (inFlight.current) return;
    setDone(false);
    setFormError(null);
    setStale(false);
    setApiErrors({});
    const errors = validate(fields, values, todayInCaracas());
    setClientErrors(errors);
    if (Object.keys(errors).length > 0) {
      setFormError([t('cw.form.fixFields')]);
      focusFirstInvalid();
      return;
    }
    inFlight.current = true;
    setPending(true);
    try {
      const result = await send(buildBody(fields, values), values, key.current);
      key.current = newIdempotencyKey();
      setValues(start);
      setDone(true);
      onSuccess(result);
    } catch (err) {
      if (!(err instanceof ApiProblem)) setFormError([err instanceof Error ? err.message : String(err)]);
      else if (err.status === 412) setStale(true);
      else if (err.status === 400 && err.errors.length > 0) {
        const placed = placeApiErrors(fields, err.errors as ApiFieldError[]);
        setApiErrors(placed.byField);
        setFormError([t('cw.form.apiRefused'), ...placed.unplaced]);
        focusFirstInvalid();
      } else if (err.status === 0) setFormError([t('cw.form.network')]);
      else setFormError([err.detail || err.title]);
    } finally {
      inFlight.current = false;
      setPending(false);
    }
  };

  const reload = async () => {
    await onReload?.();
    setStale(false);
  };

  const visible = fields.filter((f) => (f.visibleWhen ? f.visibleWhen(values) : true));
  const sections: { section: string | undefined; fields: FieldSpec[] }[] = [];
  for (const f of visible) {
    const last = sections[sections.length - 1];
    if (last && last.section === f.section) last.fields.push(f);
    else sections.push({ section: f.section, fields: [f] });
  }

  return (
    <form ref={formRef} class="cw-form" noValidate onSubmit={submit} aria-busy={pending}>
      {children}
      {stale ? (
        <Alert kind="error">
          <p>{t('cw.form.stale')}</p>
          <button type="button" class="button" onClick={reload}>
            {t('cw.form.reload')}
          </button>
        </Alert>
      ) : null}
      {formError ? (
        <Alert kind="error">
          {formError.map((line, i) => (
            <p key={i}>{line}</p>
          ))}
        </Alert>
      ) : null}
      {done && successText ? <Alert kind="success">{successText}</Alert> : null}
      {sections.map((s, i) =>
        s.section ? (
          <fieldset key={`${s.section}-${i}`} class="cw-fieldset">
            <legend>{t(`cw.section.${s.section}`)}</legend>
            {s.fields.map((f) => (
              <FormField key={f.name} formId={formId} spec={f} value={values[f.name]} error={errorOf(f.name)} onChange={set} choices={choices} />
            ))}
          </fieldset>
        ) : (
          s.fields.map((f) => <FormField key={f.name} formId={formId} spec={f} value={values[f.name]} error={errorOf(f.name)} onChange={set} choices={choices} />)
        ),
      )}
      <div class="cw-form-actions">
        <button type="submit" class="button button-primary" disabled={pending}>
          {pending ? t('cw.form.sending') : submitLabel}
        </button>
      </div>
    </form>
  );
}

interface FormFieldProps {
  formId: string;
  spec: FieldSpec;
  value: FormValue | undefined;
  error: string | undefined;
  onChange: (name: string, value: FormValue) => void;
  choices: RecordFormProps<unknown>['choices'];
}

function FormField({ formId, spec, value, error, onChange, choices }: FormFieldProps) {
  const t = useT();
  const label = t(spec.label ?? `cw.field.${spec.name}`);
  const required = spec.required === true;
  const hint = spec.hint ? t(spec.hint) : undefined;
  const str = typeof value === 'string' ? value : '';
  const onInput = (e: Event) => onChange(spec.name, (e.currentTarget as HTMLInputElement | HTMLTextAreaElement | HTMLSelectElement).value);
  const fieldName = `${formId}.${spec.name}`;

  if (spec.kind === 'checkbox') {
    const id = controlId(formId, spec.name);
    return (
      <div class={`field field-checkbox${error ? ' field-invalid' : ''}`}>
        <input
          id={id}
          type="checkbox"
          name={spec.name}
          checked={value === true}
          onChange={(e) => onChange(spec.name, e.currentTarget.checked)}
          aria-describedby={error ? `${id}-error` : undefined}
        />
        <label for={id}>{label}</label>
        {error ? (
          <p class="field-error" id={`${id}-error`}>
            {error}
          </p>
        ) : null}
      </div>
    );
  }

  if (spec.kind === 'checkboxes') {
    const id = controlId(formId, spec.name);
    const selected = Array.isArray(value) ? value : [];
    return (
      <fieldset class={`field field-group${error ? ' field-invalid' : ''}`} aria-describedby={error ? `${id}-error` : undefined}>
        <legend>{label}</legend>
        {(spec.options ?? []).map((o) => (
          <div class="field-checkbox" key={o}>
            <input
              id={`${id}-${o}`}
              type="checkbox"
              name={spec.name}
              value={o}
              checked={selected.includes(o)}
              onChange={(e) => onChange(spec.name, e.currentTarget.checked ? [...selected, o] : selected.filter((s) => s !== o))}
            />
            <label for={`${id}-${o}`}>{t(`${spec.optionLabels ?? ''}${o}`)}</label>
          </div>
        ))}
        {error ? (
          <p class="field-error" id={`${id}-error`}>
            {error}
          </p>
        ) : null}
      </fieldset>
    );
  }

  const mark = required ? <span class="cw-required"> ({t('cw.form.required')})</span> : null;
  let control: JSX.Element;
  if (spec.kind === 'select') {
    const options: Choice[] = spec.dynamicOptions
      ? (choices?.(spec.dynamicOptions) ?? [])
      : (spec.options ?? []).map((o) => ({ value: o, label: t(`${spec.optionLabels ?? ''}${o}`) }));
    control = (
      <select class="input" name={spec.name} value={str} onChange={onInput} required={required}>
        <option value="">{t(required ? 'cw.form.choose' : 'cw.form.none')}</option>
        {options.map((o) => (
          <option key={o.value} value={o.value}>
            {o.label}
          </option>
        ))}
      </select>
    );
  } else if (spec.kind === 'textarea' || spec.kind === 'list') {
    control = <textarea class="input" name={spec.name} rows={spec.kind === 'list' ? 2 : 3} value={str} onInput={onInput} required={required} />;
  } else if (spec.kind === 'number') {
    control = (
      <input class="input" type="number" name={spec.name} value={str} onInput={onInput} required={required} min={spec.min} max={spec.max} inputMode="numeric" />
    );
  } else if (spec.kind === 'date') {
    control = <input class="input" type="date" name={spec.name} value={str} onInput={onInput} required={required} max={spec.notFuture ? todayInCaracas() : undefined} />;
  } else {
    control = <input class="input" type="text" name={spec.name} value={str} onInput={onInput} required={required} maxLength={spec.maxLength} />;
  }
  return (
    <Field label={[label, mark]} name={fieldName} error={error} hint={hint}>
      {control}
    </Field>
  );
}
