import { createFormControl, type Resolver, type ResolverResult } from 'react-hook-form';
import { describe, expect, it, vi } from 'vitest';
import { errorAt, flattenErrors, formErrorOf } from '@/components/form/field-errors';
import type { Plan } from '@/lib/params/plan';
import { defaultPlan2025, LINE_2025_META, type Plan2025 } from '@/lib/plan/testing/line-2025';
import { toLineMeta } from '@/templates/line';
import { FIXTURE_LINE } from '@/templates/testing/line-fixture';
import { CHECKS_UNAVAILABLE, checkedByServer, checkedPlan, latestPerField, lazyPlanResolver } from './plan-resolver';

const fixture = toLineMeta(FIXTURE_LINE);
const lines = [LINE_2025_META, fixture];
const load = () => import('./plan-checks');
const CIDR_ERROR = 'VPC CIDR block must be a network address: 10.0.0.1/16 has host bits set.';

/** The plan form as the page makes it (react-hook-form's form control, without React), on the 2025 line. */
function planForm(resolver = lazyPlanResolver(lines, load), values: Plan = defaultPlan2025()) {
  const { formControl, control } = createFormControl<Plan, unknown, Plan>({ resolver, defaultValues: values, mode: 'onTouched', reValidateMode: 'onChange', shouldFocusError: false });
  control._state.mount = true; // what useForm does once the page has mounted
  return { form: formControl, errors: () => control._formState.errors };
}

const withCidr = (cidr: string): Plan2025 => {
  const plan = defaultPlan2025();
  plan.params.vpc.VpcCidr = cidr;
  return plan;
};

describe('the plan form resolver', () => {
  it('checks a plan with its line\'s schema: parsed values when valid, messages by field path otherwise', async () => {
    const resolver = lazyPlanResolver(lines, load);
    expect(await checkedPlan(resolver, defaultPlan2025())).toMatchObject({ release: '2025', name: 'lakerunner' });
    expect(await checkedPlan(resolver, withCidr('10.0.0.1/16'))).toBeUndefined();
    const result = await resolver(withCidr('10.0.0.1/16'), undefined, { fields: {}, shouldUseNativeValidation: false });
    expect(flattenErrors(result.errors)).toEqual([['params.vpc.VpcCidr', CIDR_ERROR]]);
  });

  it('loads the checks once, on first use, and makes one resolver per release line', async () => {
    const loaded = vi.fn(load);
    const resolver = lazyPlanResolver(lines, loaded);
    expect(loaded).not.toHaveBeenCalled();
    const onFixture = { ...defaultPlan2025(), release: fixture.id };
    const [on2025, onOther] = await Promise.all([checkedPlan(resolver, defaultPlan2025()), resolver(onFixture, undefined, { fields: {}, shouldUseNativeValidation: false })]);
    expect(on2025).toBeDefined();
    // The fixture line's schema refuses the 2025 line's stacks: it checked with its own.
    expect(Object.keys(onOther.errors).length).toBeGreaterThan(0);
    expect(loaded).toHaveBeenCalledTimes(1);
  });

  it('says the checks could not be loaded without blaming a field, and tries again on the next use', async () => {
    const loaded = vi.fn<typeof load>().mockRejectedValueOnce(new Error('Failed to fetch dynamically imported module')).mockImplementation(load);
    const { form, errors } = planForm(lazyPlanResolver(lines, loaded));
    const onValid = vi.fn();
    const onInvalid = vi.fn();

    await form.handleSubmit(onValid, onInvalid)();
    expect(onValid).not.toHaveBeenCalled();
    expect(formErrorOf(onInvalid.mock.calls[0]![0])).toBe(CHECKS_UNAVAILABLE);
    expect(flattenErrors(errors())).toEqual([]);
    expect(form.getValues('name')).toBe('lakerunner');

    await form.handleSubmit(onValid, onInvalid)();
    expect(onValid).toHaveBeenCalledWith(expect.objectContaining({ name: 'lakerunner', release: '2025' }), undefined);
    expect(loaded).toHaveBeenCalledTimes(2);
  });
});

describe('the plan form', () => {
  it('on submit shows every error and hands the errors to the refusal; a valid plan reaches onValid parsed', async () => {
    const { form, errors } = planForm();
    form.setValue('params.vpc.VpcCidr', '10.0.0.1/16');
    form.setValue('include.otel', false);
    form.setValue('include.demo', true);
    const onValid = vi.fn();
    const onInvalid = vi.fn();
    await form.handleSubmit(onValid, onInvalid)();
    expect(onValid).not.toHaveBeenCalled();
    expect(flattenErrors(onInvalid.mock.calls[0]![0]).map(([path]) => path).sort()).toEqual(['include.demo', 'params.vpc.VpcCidr']);
    expect(errorAt(errors(), 'params.vpc.VpcCidr')).toBe(CIDR_ERROR);

    // After a submit, each change is checked: fixing a field clears its error only.
    form.setValue('params.vpc.VpcCidr', '10.0.0.0/16', { shouldValidate: true });
    await vi.waitFor(() => expect(errorAt(errors(), 'params.vpc.VpcCidr')).toBeUndefined());
    expect(errorAt(errors(), 'include.demo')).toMatch(/include the collector too/);

    form.setValue('include.otel', true);
    await form.handleSubmit(onValid, onInvalid)();
    expect(onValid).toHaveBeenCalledTimes(1);
    expect(onValid.mock.calls[0]![0]).toMatchObject({ params: { vpc: { VpcCidr: '10.0.0.0/16' } }, usage: { months: '12' } });
    expect(flattenErrors(errors())).toEqual([]);
  });

  it('keeps a server error on its field until that field is checked again, and forgets errors on reset', async () => {
    const { form, errors } = planForm();
    const message = 'Private subnets must span at least two Availability Zones.';
    form.setError('params.common.PrivateSubnets', { type: 'server', message });
    form.setError('name', { type: 'server', message: 'Taken.' });

    await form.trigger('params.vpc.VpcCidr'); // another field's check leaves it alone
    expect(errorAt(errors(), 'params.common.PrivateSubnets')).toBe(message);

    await form.trigger('name'); // its own check has the say
    expect(errorAt(errors(), 'name')).toBeUndefined();
    expect(errorAt(errors(), 'params.common.PrivateSubnets')).toBe(message);

    form.reset({ ...defaultPlan2025(), name: 'restored' }, { keepFieldsRef: true });
    expect(flattenErrors(errors())).toEqual([]);
    expect(form.getValues('name')).toBe('restored');
  });

  it('keeps the values of fields that are not on the page, and checks them on submit', async () => {
    const { form } = planForm();
    form.register('params.vpc.VpcCidr');
    form.setValue('params.vpc.VpcCidr', '10.0.0.1/16');
    form.unregister('params.vpc.VpcCidr', { keepValue: true });
    expect(form.getValues('params.vpc.VpcCidr')).toBe('10.0.0.1/16');
    const onInvalid = vi.fn();
    await form.handleSubmit(() => undefined, onInvalid)();
    expect(errorAt(onInvalid.mock.calls[0]![0], 'params.vpc.VpcCidr')).toBe(CIDR_ERROR);
  });
});

describe('latestPerField', () => {
  type Values = { name: string; other: string };
  const answer = (message?: string): ResolverResult<Values> =>
    message ? { values: {}, errors: { name: { type: 'custom', message } } } : { values: { name: 'ok', other: '' }, errors: {} };

  it('lets only the latest check of a field decide, whichever finishes last; other checks are left as they are', async () => {
    // Given a resolver whose answers arrive in the order the test chooses
    const pending: ((result: ResolverResult<Values>) => void)[] = [];
    const slow: Resolver<Values> = () => new Promise((resolve) => pending.push(resolve));
    const resolver = latestPerField(slow);
    const check = (names?: string[]) => resolver({ name: '', other: '' }, undefined, { fields: {}, names: names as never, shouldUseNativeValidation: false });

    // When a field is checked twice, another once, and the whole form once
    const first = check(['name']);
    const other = check(['other']);
    const second = check(['name']);
    const whole = check();
    const [firstAnswer, otherAnswer, secondAnswer, wholeAnswer] = pending;
    secondAnswer!(answer()); // the latest check of the field finds nothing wrong…
    firstAnswer!(answer('Name is required.')); // …and the older one, finishing last, found something
    otherAnswer!(answer('Other is wrong.'));
    wholeAnswer!(answer('From the whole form.'));

    // Then both checks of the field answer with the latest's result
    expect(await first).toEqual(answer());
    expect(await second).toEqual(answer());
    expect(await other).toEqual(answer('Other is wrong.'));
    expect(await whole).toEqual(answer('From the whole form.'));
  });

  it('has an older check wait for one started after the latest had finished', async () => {
    const pending: ((result: ResolverResult<Values>) => void)[] = [];
    const resolver = latestPerField<Values, unknown, Values>(() => new Promise((resolve) => pending.push(resolve)));
    const check = () => resolver({ name: '', other: '' }, undefined, { fields: {}, names: ['name'], shouldUseNativeValidation: false });
    const first = check();
    const second = check();
    pending[1]!(answer('Second.'));
    expect(await second).toEqual(answer('Second.')); // the latest, when it finished
    const third = check(); // started before the first finished
    pending[0]!(answer('First.'));
    pending[2]!(answer('Third.'));
    expect(await first).toEqual(answer('Third.'));
    expect(await third).toEqual(answer('Third.'));
  });
});

describe('checkedByServer', () => {
  const checked = { ...defaultPlan2025(), name: 'as the checks give it back' };
  const line = { meta: LINE_2025_META, info: {}, checkedDefault: checked };

  it("answers a plan still at its line's defaults with the line's checked default, without loading the checks", () => {
    expect(checkedByServer(line, defaultPlan2025())).toEqual({ plan: checked });
    expect(checkedByServer({ ...line, checkedDefault: null }, defaultPlan2025())).toEqual({ plan: undefined });
  });

  it('leaves any other plan to the checks: a changed value, another line, a line not loaded', () => {
    expect(checkedByServer(line, withCidr('10.1.0.0/16'))).toBeUndefined();
    expect(checkedByServer(line, { ...defaultPlan2025(), name: 'mine' })).toBeUndefined();
    expect(checkedByServer({ ...line, meta: fixture }, defaultPlan2025())).toBeUndefined();
    expect(checkedByServer(undefined, defaultPlan2025())).toBeUndefined();
  });
});
