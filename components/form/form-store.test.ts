import { describe, expect, it, vi } from 'vitest';
import { FormStore, getIn, setIn, type Checked, type Control } from './form-store';

interface Values {
  name: string;
  include: { otel: boolean; demo: boolean };
  network: string;
}

const defaults: Values = { name: 'lakerunner', include: { otel: true, demo: false }, network: 'new' };

/** The form's rules: a name is required, and the demo needs the collector. */
async function check(values: Values): Promise<Checked<Values>> {
  const errors: Record<string, string> = {};
  if (!values.name) errors.name = 'Plan name is required.';
  if (values.include.demo && !values.include.otel) errors['include.demo'] = 'The demo apps need the collector.';
  return Object.keys(errors).length ? { ok: false, errors } : { ok: true, value: values };
}

/** A stand-in for a DOM control: what the store reads and writes, and its place in the page. */
function control(type: string, name: string, position: number, value = '') {
  return {
    type,
    name,
    value,
    checked: false,
    focused: false,
    focus() {
      this.focused = true;
    },
    compareDocumentPosition(other: { position: number }) {
      return other.position > position ? 4 : 2;
    },
    position,
  };
}
type Fake = ReturnType<typeof control>;
const asControl = (fake: Fake) => fake as unknown as Control;

function bind(store: FormStore<Values, Values>, fake: Fake) {
  const props = store.register(fake.name);
  const cleanup = props.ref(asControl(fake));
  return { props, cleanup, change: () => props.onChange({ target: fake as unknown as EventTarget }), blur: () => props.onBlur({ target: fake as unknown as EventTarget }) };
}

const settle = () => new Promise((resolve) => setTimeout(resolve, 0));

describe('paths', () => {
  it('reads and writes nested values, copying only the objects along the path', () => {
    const next = setIn(defaults, 'include.demo', true);
    expect(next.include.demo).toBe(true);
    expect(defaults.include.demo).toBe(false);
    expect(next.network).toBe(defaults.network);
    expect(next).not.toBe(defaults);
    expect(next.include).not.toBe(defaults.include);
    expect(getIn(next, 'include.demo')).toBe(true);
    expect(getIn(next, 'include.missing.deeper')).toBeUndefined();
    expect(setIn(defaults, 'name', 'lakerunner')).toBe(defaults);
  });

  it('never reads inherited properties as values', () => {
    expect(getIn(defaults, 'name.length')).toBeUndefined();
    expect(getIn(defaults, 'constructor')).toBeUndefined();
  });
});

describe('FormStore', () => {
  it('shows the current value in a control when it appears, and keeps values of controls that go away', () => {
    const store = new FormStore(defaults, check);
    const name = control('text', 'name', 1);
    const otel = control('checkbox', 'include.otel', 2);
    const [newVpc, existing] = [control('radio', 'network', 3, 'new'), control('radio', 'network', 4, 'existing')];
    const bound = bind(store, name);
    bind(store, otel);
    bind(store, newVpc);
    bind(store, existing);
    expect(name.value).toBe('lakerunner');
    expect(otel.checked).toBe(true);
    expect([newVpc.checked, existing.checked]).toEqual([true, false]);

    name.value = 'prod';
    bound.change();
    bound.cleanup();
    expect(store.getValue('name')).toBe('prod');
    const again = control('text', 'name', 1);
    bind(store, again);
    expect(again.value).toBe('prod');
  });

  it('reads checkboxes as booleans and radios by their chosen value', () => {
    const store = new FormStore(defaults, check);
    const existing = control('radio', 'network', 2, 'existing');
    const radio = bind(store, existing);
    const demoControl = control('checkbox', 'include.demo', 1);
    const demoBound = bind(store, demoControl);
    demoControl.checked = true;
    demoBound.change();
    expect(store.getValue('include.demo')).toBe(true);

    radio.change(); // an unchecked radio's change says nothing
    expect(store.getValue('network')).toBe('new');
    existing.checked = true;
    radio.change();
    expect(store.getValue('network')).toBe('existing');
  });

  it('checks a field when it is left, then on every change, and leaves untouched fields alone', async () => {
    const store = new FormStore(defaults, check);
    const name = control('text', 'name', 1);
    const bound = bind(store, name);
    name.value = '';
    bound.change();
    await settle();
    expect(store.errors.name).toBeUndefined(); // not touched yet

    bound.blur();
    await settle();
    expect(store.errors.name).toEqual({ type: 'check', message: 'Plan name is required.' });

    name.value = 'x';
    bound.change();
    await settle();
    expect(store.errors.name).toBeUndefined();
  });

  it('lets only the latest check of a field decide, while checks of other fields still land', async () => {
    let release: (() => void)[] = [];
    const slow = (values: Values) => new Promise<Checked<Values>>((resolve) => release.push(() => void check(values).then(resolve)));
    const store = new FormStore({ ...defaults, name: '' }, slow);
    const name = control('text', 'name', 1);
    const nameBound = bind(store, name);
    const demo = control('checkbox', 'include.demo', 2);
    const demoBound = bind(store, demo);
    const otel = control('checkbox', 'include.otel', 3);
    const otelBound = bind(store, otel);

    nameBound.blur(); // check 1 of name: '' is wrong
    otel.checked = false;
    otelBound.change();
    demo.checked = true;
    demoBound.change();
    demoBound.blur(); // check of demo: wrong without the collector
    name.value = 'ok';
    nameBound.change(); // check 2 of name: fine
    const [first, demoCheck, second] = release;
    second!();
    await settle();
    first!(); // the older check of name finishes last and must not bring its error back
    demoCheck!();
    await settle();
    expect(store.errors.name).toBeUndefined();
    expect(store.errors['include.demo']?.message).toBe('The demo apps need the collector.');
    release = [];
  });

  it('on submit shows every error, focuses the first field in page order and calls onInvalid; a valid form calls onValid', async () => {
    const store = new FormStore(defaults, check);
    const demo = control('checkbox', 'include.demo', 5);
    const name = control('text', 'name', 1);
    const otel = control('checkbox', 'include.otel', 4);
    bind(store, demo);
    bind(store, otel);
    bind(store, name);
    store.setValue('name', '');
    store.setValue('include.otel', false);
    store.setValue('include.demo', true);
    expect(name.value).toBe('');
    expect(demo.checked).toBe(true);

    const onValid = vi.fn();
    const onInvalid = vi.fn();
    const preventDefault = vi.fn();
    await store.handleSubmit(onValid, onInvalid)({ preventDefault });
    expect(preventDefault).toHaveBeenCalled();
    expect(onValid).not.toHaveBeenCalled();
    expect(onInvalid).toHaveBeenCalledWith(expect.objectContaining({ ok: false }));
    expect(Object.keys(store.errors)).toEqual(['name', 'include.demo']);
    expect(name.focused).toBe(true);
    expect(demo.focused).toBe(false);

    // After a submit every change is checked at once, touched or not.
    store.setValue('include.otel', true);
    await settle();
    store.setValue('name', 'back');
    await settle();
    expect(store.errors.name).toBeUndefined();

    await store.handleSubmit(onValid, onInvalid)();
    expect(onValid).toHaveBeenCalledWith(expect.objectContaining({ name: 'back' }));
    expect(store.errors).toEqual({});
  });

  it('reports a check that cannot run as a form error, keeping the values and the field errors', async () => {
    const store = new FormStore(defaults, () => Promise.reject(new Error('chunk failed')));
    store.setErrors({ name: 'Taken on the server.' });
    const onInvalid = vi.fn();
    await store.handleSubmit(() => undefined, onInvalid)();
    expect(onInvalid).toHaveBeenCalledWith({ ok: false, errors: {}, formError: 'chunk failed' });
    expect(store.getValues()).toBe(defaults);
  });

  it('keeps server errors until the field is checked again, and forgets everything on reset', async () => {
    const store = new FormStore(defaults, check);
    const name = control('text', 'name', 1);
    const bound = bind(store, name);
    const listener = vi.fn();
    store.subscribe(listener);
    store.setErrors({ name: 'Stack names are taken in this account.' });
    expect(store.errors.name).toEqual({ type: 'server', message: 'Stack names are taken in this account.' });
    expect(listener).toHaveBeenCalledTimes(1);

    bound.blur();
    await settle();
    expect(store.errors.name).toBeUndefined();

    store.setValue('name', '', { check: true });
    await settle();
    expect(store.errors.name?.message).toBe('Plan name is required.');
    store.reset({ ...defaults, name: 'restored' });
    expect(store.errors).toEqual({});
    expect(name.value).toBe('restored');
    name.value = '';
    bound.change();
    await settle();
    expect(store.errors.name).toBeUndefined(); // touched was forgotten too
  });

  it('keeps one ref per path, so controls are not rebound on every render', () => {
    const store = new FormStore(defaults, check);
    expect(store.register('name').ref).toBe(store.register('name').ref);
    expect(store.register('name').ref).not.toBe(store.register('network').ref);
  });
});
