import { afterEach, describe, expect, it, vi } from 'vitest';
import { parse } from 'yaml';
import { createSession } from '@/lib/auth/sessions';
import { actAs } from '@/lib/auth/testing';
import { createUser } from '@/lib/auth/users';
import { setupTempStore } from '@/lib/store/testing/temp-store';
import { GET } from './route';

vi.mock('next/headers', async () => (await import('@/lib/auth/testing')).fakeNextHeaders);

setupTempStore();
afterEach(async () => actAs(undefined));

async function signIn() {
  const user = await createUser({ username: 'reader', role: 'viewer', password: 'a long password' });
  actAs((await createSession(user.id, undefined)).token);
}

const get = (query = '') => GET(new Request(`http://console.test/api/aws/deploy-role${query}`), { params: Promise.resolve({}) });

describe('GET /api/aws/deploy-role', () => {
  it('needs a signed-in user', async () => {
    expect((await get()).status).toBe(401);
  });

  it('downloads the template as YAML by default', async () => {
    await signIn();
    const response = await get();
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toBe('application/yaml; charset=utf-8');
    expect(response.headers.get('content-disposition')).toBe('attachment; filename="lakerunner-deploy-role.yaml"');
    const template = parse(await response.text()) as { Resources: Record<string, { Type: string }>; Parameters: Record<string, { NoEcho?: boolean }> };
    expect(template.Resources.DeployRole?.Type).toBe('AWS::IAM::Role');
    expect(template.Parameters.ExternalId?.NoEcho).toBe(true);
  });

  it('downloads JSON with the principal preset when asked', async () => {
    await signIn();
    const arn = 'arn:aws:iam::123456789012:role/lakerunner-console';
    const response = await get(`?format=json&TrustedPrincipalArn=${encodeURIComponent(arn)}`);
    expect(response.status).toBe(200);
    expect(response.headers.get('content-disposition')).toBe('attachment; filename="lakerunner-deploy-role.json"');
    const template = (await response.json()) as { Parameters: Record<string, { Default?: string }> };
    expect(template.Parameters.TrustedPrincipalArn?.Default).toBe(arn);
  });

  it.each([
    ['an unknown format', '?format=xml', 'format', 'format must be yaml or json.'],
    ['a principal that is not an IAM ARN', '?TrustedPrincipalArn=arn:aws:sts::123456789012:assumed-role/x/y', 'TrustedPrincipalArn', /must be an IAM role, user or account root ARN/],
    ['the secret ExternalId in the URL', '?ExternalId=abc123', 'ExternalId', /cannot be passed in a URL/],
    ['an unknown query key', '?color=red', 'color', 'Unknown field "color".'],
  ])('answers 400 for %s, naming the field', async (_name, query, field, message) => {
    await signIn();
    const response = await get(query);
    expect(response.status).toBe(400);
    const body = (await response.json()) as { fieldErrors: Record<string, string> };
    expect(body.fieldErrors[field]).toMatch(message);
    expect(JSON.stringify(body)).not.toContain('abc123');
  });
});
