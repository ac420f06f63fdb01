import { afterEach, describe, expect, it, vi } from 'vitest';
import { z } from 'zod';
import { listAudit } from '@/lib/store/audit';
import { setupTempStore } from '@/lib/store/testing/temp-store';
import { ActionError } from './action-error';
import { defineAction, formDataToObject } from './action';
import { FORBIDDEN, PASSWORD_CHANGE_REQUIRED, SERVER_FAILED, SIGN_IN_REQUIRED } from './messages';
import type { Role } from './roles';
import { createSession } from './sessions';
import { actAs } from './testing';
import { createUser } from './users';

vi.mock('next/headers', async () => (await import('./testing')).fakeNextHeaders);

setupTempStore();
afterEach(async () => {
  actAs(undefined);
  vi.restoreAllMocks();
});

async function signedInAs(role: Role, mustChangePassword = false) {
  const user = await createUser({ username: `${role}1`, role, password: 'a long password', mustChangePassword });
  actAs((await createSession(user.id, undefined)).token);
  return user;
}

const schema = z.object({ name: z.string().min(3, 'Name is too short.'), count: z.coerce.number().int().max(5, 'At most 5.') });
const deploy = defineAction(
  { role: 'deployer', schema, audit: 'user.created' },
  async (input, { user, auditEntry }) => {
    auditEntry({ target: input.name, details: { count: input.count, password: 'hunter2' } });
    return { greeting: `hello ${input.name} from ${user.username}`, count: input.count };
  },
);

describe('defineAction', () => {
  it('refuses an anonymous caller before looking at the input', async () => {
    expect(await deploy({ name: 'x', count: 99 })).toEqual({ ok: false, formError: SIGN_IN_REQUIRED });
  });

  it('refuses an under-privileged caller', async () => {
    await signedInAs('viewer');
    expect(await deploy({ name: 'stack', count: 1 })).toEqual({ ok: false, formError: FORBIDDEN });
  });

  it('refuses a caller who must first change a one-time password, unless the action allows it', async () => {
    await signedInAs('admin', true);
    expect(await deploy({ name: 'stack', count: 1 })).toEqual({ ok: false, formError: PASSWORD_CHANGE_REQUIRED });
    const change = defineAction({ role: 'viewer', schema: z.object({}), duringPasswordChange: true }, async () => 'changed');
    expect(await change({})).toEqual({ ok: true, data: 'changed' });
  });

  it('returns field errors keyed like the form', async () => {
    await signedInAs('deployer');
    expect(await deploy({ name: 'x', count: 9 })).toEqual({ ok: false, fieldErrors: { name: 'Name is too short.', count: 'At most 5.' } });
    expect(await deploy(null as never)).toMatchObject({ ok: false, fieldErrors: { _form: expect.any(String) } });
  });

  it('runs for a permitted caller, from values, FormData or useActionState', async () => {
    await signedInAs('admin');
    const expected = { ok: true, data: { greeting: 'hello stack from admin1', count: 2 } };
    expect(await deploy({ name: 'stack', count: 2 })).toEqual(expected);
    const form = new FormData();
    form.set('name', 'stack');
    form.set('count', '2');
    form.set('$ACTION_ID_abc', '');
    expect(await deploy(form)).toEqual(expected);
    expect(await deploy(null, form)).toEqual(expected);
  });

  it('writes the audit entry it was asked for, with secrets redacted', async () => {
    await signedInAs('deployer');
    await deploy({ name: 'stack', count: 3 });
    expect((await listAudit()).entries[0]).toMatchObject({
      actor: 'deployer1',
      action: 'user.created',
      target: 'stack',
      details: { count: 3, password: '[redacted]' },
    });
  });

  it('writes no audit entry when the handler fails', async () => {
    await signedInAs('viewer');
    const failing = defineAction({ role: 'viewer', schema: z.object({}), audit: 'user.deleted' }, async () => {
      throw new ActionError('No.');
    });
    await failing({});
    expect((await listAudit()).total).toBe(0);
  });

  it('turns an ActionError into a field or form message', async () => {
    await signedInAs('viewer');
    const field = defineAction({ role: 'viewer', schema: z.object({}) }, async () => {
      throw new ActionError('Taken.', 'name');
    });
    const form = defineAction({ role: 'viewer', schema: z.object({}) }, async () => {
      throw new ActionError('Another run is in progress.');
    });
    expect(await field({})).toEqual({ ok: false, fieldErrors: { name: 'Taken.' } });
    expect(await form({})).toEqual({ ok: false, formError: 'Another run is in progress.' });
  });

  it('logs an unexpected failure and answers without its details', async () => {
    const log = vi.spyOn(console, 'error').mockImplementation(() => {});
    await signedInAs('viewer');
    const broken = defineAction({ role: 'viewer', schema: z.object({}) }, async () => {
      throw new Error('connection string postgres://user:pw@db');
    });
    const result = await broken({});
    expect(result).toEqual({ ok: false, formError: SERVER_FAILED });
    expect(JSON.stringify(result)).not.toContain('postgres');
    expect(log).toHaveBeenCalled();
  });

  it('public actions run without a session', async () => {
    const hello = defineAction({ role: 'public', schema: z.object({}) }, async (_input, { user }) => user?.username ?? 'anonymous');
    expect(await hello({})).toEqual({ ok: true, data: 'anonymous' });
  });
});

describe('formDataToObject', () => {
  it('keeps repeated keys as arrays and treats __proto__ as an ordinary key', async () => {
    const form = new FormData();
    form.append('tag', 'a');
    form.append('tag', 'b');
    form.append('__proto__', 'polluted');
    form.append('file', new Blob(['x']));
    const object = formDataToObject(form);
    expect(object.tag).toEqual(['a', 'b']);
    expect(Object.getOwnPropertyDescriptor(object, '__proto__')?.value).toBe('polluted');
    expect(Object.getPrototypeOf(object)).toBe(Object.prototype);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
    expect('file' in object).toBe(false);
  });
});
