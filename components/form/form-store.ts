// The state of one form: its values (a nested object, replaced on every change so subscribers can
// compare by identity), its errors by dotted field path, which fields were touched, and the DOM
// controls bound to each path. Framework-free; use-form.ts binds it to React.
//
// Why not react-hook-form: the plan page's whole first-load budget above the framework is about
// 14 KB gzip and that library alone took 12.5 KB of it. This store does the part the page uses —
// uncontrolled inputs, validation on blur and then on change, one asynchronous check of the whole
// form — in a fraction of that; the checks themselves (zod) load after first paint.

/** A field's error; `server` errors come from the server's answer, `check` ones from the form's own check. */
export interface FieldError {
  type: 'check' | 'server';
  message: string;
}

export type FieldErrors = Readonly<Record<string, FieldError>>;

/** What checking the whole form gives: the parsed value, or messages by field path (and maybe one for the form). */
export type Checked<Out> = { ok: true; value: Out } | { ok: false; errors: Readonly<Record<string, string>>; formError?: string };

export type Check<Values, Out> = (values: Values) => Promise<Checked<Out>>;

/** The controls a path can be bound to. */
export type Control = HTMLInputElement | HTMLSelectElement | HTMLTextAreaElement;

export interface SetOptions {
  /** Mark the field touched, as leaving it would. */
  touch?: boolean;
  /** Check the field now, whether or not it was touched. */
  check?: boolean;
}

const isObject = (value: unknown): value is Record<string, unknown> => typeof value === 'object' && value !== null && !Array.isArray(value);

/** The value at a dotted path, or undefined. */
export function getIn(values: unknown, path: string): unknown {
  let current = values;
  for (const key of path.split('.')) {
    if (!isObject(current) || !Object.hasOwn(current, key)) return undefined;
    current = current[key];
  }
  return current;
}

/** A copy of `values` with `value` at the dotted path; only the objects along the path are copied. */
export function setIn<T>(values: T, path: string, value: unknown): T {
  const [key, ...rest] = path.split('.') as [string, ...string[]];
  const current: Record<string, unknown> = isObject(values) ? values : {};
  const next = rest.length ? setIn(current[key], rest.join('.'), value) : value;
  if (Object.is(current[key], next)) return values;
  return { ...current, [key]: next } as T;
}

/** The value a control holds: a checkbox's checked state, otherwise its text. */
function readControl(control: Control): unknown {
  return control.type === 'checkbox' ? (control as HTMLInputElement).checked : control.value;
}

/** Shows `value` in a control, touching the DOM only where it differs (so a caret never jumps). */
function writeControl(control: Control, value: unknown) {
  if (control.type === 'checkbox') {
    const checked = value === true;
    if ((control as HTMLInputElement).checked !== checked) (control as HTMLInputElement).checked = checked;
  } else if (control.type === 'radio') {
    const checked = control.value === value;
    if ((control as HTMLInputElement).checked !== checked) (control as HTMLInputElement).checked = checked;
  } else {
    const text = value === undefined || value === null ? '' : String(value);
    if (control.value !== text) control.value = text;
  }
}

/** Errors of one type from messages by path. */
const asErrors = (messages: Readonly<Record<string, string>>, type: FieldError['type']): FieldErrors =>
  Object.fromEntries(Object.entries(messages).map(([path, message]) => [path, { type, message }]));

/** Focuses a control, first opening the <details> section it may be folded into. */
export function revealAndFocus(control: Pick<Element, 'closest'> & { focus(): void }) {
  control.closest?.('details')?.setAttribute('open', '');
  control.focus();
}

/** Document order, for focusing the first field to fix. */
const byDocumentOrder = (a: Control, b: Control) =>
  typeof a.compareDocumentPosition === 'function' && a.compareDocumentPosition(b) & 4 /* Node.DOCUMENT_POSITION_FOLLOWING */ ? -1 : 1;

export class FormStore<Values extends object, Out> {
  #values: Values;
  #errors: FieldErrors = {};
  #touched = new Set<string>();
  #submitted = false;
  #check: Check<Values, Out>;
  #listeners = new Set<() => void>();
  #controls = new Map<string, Set<Control>>();
  #refs = new Map<string, (control: Control | null) => () => void>();
  /** Bumped by every reset and submit: checks started before are out of date. */
  #generation = 0;
  /** The latest check of each field: an older one finishing later is ignored. */
  #fieldChecks = new Map<string, number>();
  #checks = 0;

  constructor(defaults: Values, check: Check<Values, Out>) {
    this.#values = defaults;
    this.#check = check;
  }

  /** The check may change between renders; the latest one is used. */
  setCheck(check: Check<Values, Out>) {
    this.#check = check;
  }

  subscribe = (listener: () => void) => {
    this.#listeners.add(listener);
    return () => void this.#listeners.delete(listener);
  };

  #notify() {
    for (const listener of this.#listeners) listener();
  }

  getValues = (): Values => this.#values;
  getValue = (path: string): unknown => getIn(this.#values, path);
  get errors(): FieldErrors {
    return this.#errors;
  }

  /** Sets one field's value, shows it in its controls, and checks it when it was touched, the form was submitted, or asked to. */
  setValue(path: string, value: unknown, options: SetOptions = {}) {
    this.#values = setIn(this.#values, path, value);
    for (const control of this.#controls.get(path) ?? []) writeControl(control, value);
    if (options.touch) this.#touched.add(path);
    this.#notify();
    if (options.check || this.#touched.has(path) || this.#submitted) void this.checkField(path);
  }

  /** Replaces every value (restoring a saved form, or back to the defaults); errors and touched fields are forgotten. */
  reset(values: Values) {
    this.#values = values;
    this.#errors = {};
    this.#touched.clear();
    this.#submitted = false;
    this.#generation += 1;
    for (const [path, controls] of this.#controls) for (const control of controls) writeControl(control, getIn(values, path));
    this.#notify();
  }

  /** Puts errors on fields (the server's answer, say), keeping the others. */
  setErrors(messages: Readonly<Record<string, string>>, type: FieldError['type'] = 'server') {
    this.#errors = { ...this.#errors, ...asErrors(messages, type) };
    this.#notify();
  }

  /** Checks the whole form and updates this one field's error (the others keep theirs until they are checked). */
  async checkField(path: string) {
    const generation = this.#generation;
    const run = ++this.#checks;
    this.#fieldChecks.set(path, run);
    const checked = await this.#checkSafely();
    // A later check of this field, a reset or a submit has the say.
    if (generation !== this.#generation || this.#fieldChecks.get(path) !== run) return;
    const message = checked.ok ? undefined : checked.errors[path];
    const current = this.#errors[path];
    if (message === current?.message && (message === undefined || current?.type === 'check')) return;
    const next = { ...this.#errors };
    if (message === undefined) delete next[path];
    else next[path] = { type: 'check', message };
    this.#errors = next;
    this.#notify();
  }

  async #checkSafely(): Promise<Checked<Out>> {
    try {
      return await this.#check(this.#values);
    } catch (error) {
      return { ok: false, errors: {}, formError: error instanceof Error ? error.message : String(error) };
    }
  }

  /**
   * A submit handler: checks the whole form, shows every error, then calls `onValid` with the
   * parsed value, or focuses the first field to fix (in page order) and calls `onInvalid`.
   */
  handleSubmit(onValid: (value: Out) => unknown, onInvalid?: (checked: Extract<Checked<Out>, { ok: false }>) => unknown) {
    return async (event?: { preventDefault(): void }) => {
      event?.preventDefault();
      this.#submitted = true;
      const generation = ++this.#generation;
      const checked = await this.#checkSafely();
      if (generation === this.#generation) {
        this.#errors = checked.ok ? {} : asErrors(checked.errors, 'check');
        this.#notify();
      }
      if (checked.ok) return void (await onValid(checked.value));
      this.focusFirstError();
      await onInvalid?.(checked);
    };
  }

  /** Focuses the first control, in page order, whose field has an error. */
  focusFirstError() {
    const invalid = [...this.#controls].filter(([path]) => this.#errors[path]).flatMap(([, controls]) => [...controls]);
    const first = invalid.sort(byDocumentOrder)[0];
    if (first) revealAndFocus(first);
  }

  /**
   * The props that bind an uncontrolled control to a path: its name, a stable ref that shows the
   * current value when the control appears, and change and blur handlers. Controls that disappear
   * keep their values (an excluded stack's fields come back as they were).
   */
  register = (path: string) => ({ name: path, ref: this.#refFor(path), onChange: this.#onChange, onBlur: this.#onBlur });

  #refFor(path: string) {
    let ref = this.#refs.get(path);
    if (!ref) {
      ref = (control) => {
        if (!control) return () => undefined;
        const controls = this.#controls.get(path) ?? new Set();
        this.#controls.set(path, controls.add(control));
        writeControl(control, getIn(this.#values, path));
        return () => void controls.delete(control);
      };
      this.#refs.set(path, ref);
    }
    return ref;
  }

  #onChange = (event: { target: EventTarget | null }) => {
    const control = event.target as Control;
    if (control.type === 'radio' && !(control as HTMLInputElement).checked) return;
    const path = control.name;
    this.#values = setIn(this.#values, path, readControl(control));
    this.#notify();
    if (this.#touched.has(path) || this.#submitted) void this.checkField(path);
  };

  #onBlur = (event: { target: EventTarget | null }) => {
    const path = (event.target as Control).name;
    this.#touched.add(path);
    void this.checkField(path);
  };
}
