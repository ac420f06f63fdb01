import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import type { Expr } from '@/lib/cfn/template';
import { DATASOURCE_FILE, DATASOURCE_PLUGIN_ID, DATASOURCE_PLUGIN_PREINSTALL, RESET_TOKEN_FILE } from './grafana-init';
import { grafanaStack } from './grafana';
import { renderTemplate } from './stack';

type Container = {
  Name: string;
  Essential?: boolean;
  User?: string;
  EntryPoint?: string[];
  Command?: string[];
  Environment?: Expr[];
  Secrets?: { Name: string; ValueFrom: Expr }[];
  MountPoints?: { SourceVolume: string; ContainerPath: string; ReadOnly: boolean }[];
  DependsOn?: { ContainerName: string; Condition: string }[];
  HealthCheck?: { Command: string[]; StartPeriod: number };
};
type Statement = { Effect: string; Action: string[]; Resource: Expr; Condition?: Expr };

const template = renderTemplate(grafanaStack);
const props = (id: string) => {
  const resource = template.Resources[id];
  if (!resource) throw new Error(`no resource ${id}`);
  return resource.Properties as Record<string, unknown>;
};
const taskDefinition = props('GrafanaTaskDefinition');
const containers = taskDefinition.ContainerDefinitions as Container[];
const container = (name: string) => {
  const found = containers.find((c) => c.Name === name);
  if (!found) throw new Error(`no container ${name}`);
  return found;
};
const envOf = (c: Container) =>
  Object.fromEntries((c.Environment ?? []).filter((e): e is { Name: string; Value: Expr } => 'Name' in (e as object)).map((e) => [e.Name, e.Value]));
const statementsOf = (roleId: string) =>
  (props(roleId).Policies as { PolicyDocument: { Statement: Statement[] } }[]).flatMap((p) => p.PolicyDocument.Statement);
const importOf = (param: string, name: string) => ({ 'Fn::ImportValue': { 'Fn::Sub': `\${${param}}-${name}` } });

describe('the Grafana init script (run with sh against a temporary directory)', () => {
  const init = container('grafana-init');
  const script = init.Command?.[0] ?? '';
  let root: string;
  let data: string;
  let provisioning: string;

  /** Runs the script as the container does, with only the given variables (plus PATH). */
  const sh = (vars: Record<string, string>) =>
    spawnSync('sh', ['-c', script], { encoding: 'utf8', env: { NODE_ENV: 'test', PATH: process.env.PATH ?? '/usr/bin:/bin', ...vars } });
  const run = (vars: Record<string, string>) => sh({ GF_PATHS_DATA: data, GF_PATHS_PROVISIONING: provisioning, ...vars });
  const seedGrafanaData = (marker: string) => {
    writeFileSync(join(data, 'grafana.db'), marker);
    writeFileSync(join(data, '.hidden-state'), marker);
    mkdirSync(join(data, 'plugins', 'some-plugin'), { recursive: true });
  };

  beforeEach(() => {
    root = mkdtempSync(join(tmpdir(), 'grafana-init-'));
    data = join(root, 'var', 'lib', 'grafana');
    provisioning = join(root, 'provisioning');
    mkdirSync(data, { recursive: true });
  });
  afterEach(() => rmSync(root, { recursive: true, force: true }));

  it('is what the init container runs through sh -c, as root, before Grafana starts', () => {
    expect(init.EntryPoint).toEqual(['sh', '-c']);
    expect(init.Command).toHaveLength(1);
    expect(init.User).toBe('0');
    expect(init.Essential).toBe(false);
    expect(container('grafana').DependsOn).toEqual([{ ContainerName: 'grafana-init', Condition: 'SUCCESS' }]);
  });

  // Each step is one deployment of the stack; the data left by the previous step is checked.
  const DEPLOYMENTS = [
    { token: '', wipes: false, remembered: undefined, why: 'an empty token on a fresh install keeps data and records nothing' },
    { token: 'reset-1', wipes: true, remembered: 'reset-1', why: 'a first non-empty token wipes once and is remembered' },
    { token: 'reset-1', wipes: false, remembered: 'reset-1', why: 'the same token again keeps the data' },
    { token: '', wipes: false, remembered: 'reset-1', why: 'clearing the token keeps the data and the memory of the last token' },
    { token: 'reset-1', wipes: false, remembered: 'reset-1', why: 'the last token set again after clearing is still not new' },
    { token: 'reset-2', wipes: true, remembered: 'reset-2', why: 'a different token wipes again' },
  ] as const;

  it('wipes Grafana data exactly when a new non-empty reset token arrives', () => {
    DEPLOYMENTS.forEach((step, i) => {
      // given data Grafana wrote since the previous deployment
      const marker = `written-before-deployment-${i}`;
      seedGrafanaData(marker);
      // when the init container runs with this deployment's token
      const result = run({ RESET_TOKEN: step.token, QUERY_API_URL: 'http://alb:7101', API_KEYS_ENV: '- keys: [k]' });
      // then the data is wiped (hidden files and folders included) or kept, and the token remembered
      expect(result.status, `${step.why}: ${result.stderr}`).toBe(0);
      expect(existsSync(join(data, 'grafana.db')), step.why).toBe(!step.wipes);
      expect(existsSync(join(data, '.hidden-state')), step.why).toBe(!step.wipes);
      expect(existsSync(join(data, 'plugins')), step.why).toBe(!step.wipes);
      if (!step.wipes) expect(readFileSync(join(data, 'grafana.db'), 'utf8'), step.why).toBe(marker);
      const tokenFile = join(data, RESET_TOKEN_FILE);
      expect(existsSync(tokenFile) ? readFileSync(tokenFile, 'utf8') : undefined, step.why).toBe(step.remembered);
    });
  });

  it('refuses to wipe a data directory that is not at least two levels deep', () => {
    const shallow = `/lakerunner-init-test-${process.pid}`;
    try {
      const result = sh({ GF_PATHS_DATA: shallow, GF_PATHS_PROVISIONING: provisioning, RESET_TOKEN: 'reset-1' });
      expect(result.status).toBe(1);
      expect(result.stderr).toContain('refusing to use data directory');
      expect(existsSync(shallow)).toBe(false);
    } finally {
      rmSync(shallow, { recursive: true, force: true });
    }
  });

  describe('the admin password, set from Secrets Manager at every start', () => {
    const PASSWORD = 'n3w-Secret-from-the-recreated-stack';
    let bin: string;
    let calls: string;
    /** A stand-in for the image's grafana command: records its arguments and stdin, exits with FAKE_EXIT. */
    beforeEach(() => {
      bin = join(root, 'bin');
      calls = join(root, 'calls');
      mkdirSync(bin);
      writeFileSync(
        join(bin, 'grafana'),
        `#!/bin/sh\nprintf '%s\\n' "$*" >> "${calls}.args"\ncat >> "${calls}.stdin"\nexit "\${FAKE_EXIT:-0}"\n`,
        { mode: 0o755 },
      );
    });
    const withGrafana = (vars: Record<string, string>) =>
      sh({ GF_PATHS_DATA: data, GF_PATHS_PROVISIONING: provisioning, PATH: `${bin}:${process.env.PATH ?? '/usr/bin:/bin'}`, API_KEYS_ENV: '', ...vars });
    const recorded = (kind: 'args' | 'stdin') => (existsSync(`${calls}.${kind}`) ? readFileSync(`${calls}.${kind}`, 'utf8') : undefined);

    it('resets the admin password of an existing Grafana database from the secret, through stdin', () => {
      // given Grafana data from an earlier stack, whose admin password was another secret's
      seedGrafanaData('dashboards and the old admin password');
      // when the task starts with the (new) secret's password
      const result = withGrafana({ GF_SECURITY_ADMIN_PASSWORD: PASSWORD, GF_PATHS_HOME: '/usr/share/grafana', GF_PATHS_CONFIG: '/etc/grafana/grafana.ini' });
      // then grafana cli sets it, reading the password from stdin only, and the data stays
      expect(result.status, result.stderr).toBe(0);
      expect(recorded('args')).toBe('cli --homepath /usr/share/grafana --config /etc/grafana/grafana.ini admin reset-admin-password --password-from-stdin\n');
      expect(recorded('stdin')).toBe(PASSWORD);
      expect(result.stdout).toContain('set the admin password from Secrets Manager');
      expect(readFileSync(join(data, 'grafana.db'), 'utf8')).toBe('dashboards and the old admin password');
      expect(result.stdout + result.stderr).not.toContain(PASSWORD);
    });

    it('leaves a new or just wiped data directory to Grafana, which creates the admin from the secret itself', () => {
      expect(withGrafana({ GF_SECURITY_ADMIN_PASSWORD: PASSWORD }).status).toBe(0);
      seedGrafanaData('to be wiped');
      expect(withGrafana({ GF_SECURITY_ADMIN_PASSWORD: PASSWORD, RESET_TOKEN: 'reset-1' }).status).toBe(0);
      expect(recorded('args')).toBeUndefined();
    });

    it('still starts Grafana, with a warning, when grafana cli fails', () => {
      seedGrafanaData('data');
      const result = withGrafana({ GF_SECURITY_ADMIN_PASSWORD: PASSWORD, FAKE_EXIT: '1' });
      expect(result.status).toBe(0);
      expect(result.stderr).toContain('could not set the admin password');
      expect(existsSync(join(provisioning, 'datasources', DATASOURCE_FILE))).toBe(true);
      expect(result.stdout + result.stderr).not.toContain(PASSWORD);
    });
  });

  const DEFAULT_STYLE = '- organization_id: 12340000-0000-4000-8000-000000000000\n  keys:\n    - "abc123generated"\n';
  const API_KEY_DOCUMENTS: [string, string, string][] = [
    ['the common stack default (quoted item in a block list)', DEFAULT_STYLE, 'abc123generated'],
    ['keys before organization_id', '- keys:\n  - first-key\n  - second-key\n  organization_id: x\n', 'first-key'],
    ['a flow list', '- organization_id: x\n  keys: [ flow-one, flow-two ]\n', 'flow-one'],
    ['single-line JSON', '[{"organization_id":"x","keys":["json-one","json-two"]}]', 'json-one'],
    ['a single-quoted key with an escaped quote', "- keys:\n    - 'it''s-a-key'\n", "it's-a-key"],
    ['comments and CRLF line endings', '# API keys\r\n- organization_id: x # the org\r\n  keys:\r\n\r\n    - crlf-key # first\r\n', 'crlf-key'],
    ['several organizations (the first key of the first wins)', '- organization_id: a\n  keys:\n    - org-a\n- organization_id: b\n  keys:\n    - org-b\n', 'org-a'],
  ];

  it.each(API_KEY_DOCUMENTS)('provisions the Lakerunner datasource with the first API key from %s', (_name, document, key) => {
    const result = run({ QUERY_API_URL: 'http://internal-alb.example:7101', API_KEYS_ENV: document });
    expect(result.status, result.stderr).toBe(0);
    const provisioned = parse(readFileSync(join(provisioning, 'datasources', DATASOURCE_FILE), 'utf8'));
    expect(provisioned).toEqual({
      apiVersion: 1,
      datasources: [
        {
          name: 'Lakerunner',
          uid: 'lakerunner',
          type: DATASOURCE_PLUGIN_ID,
          access: 'proxy',
          isDefault: true,
          editable: true,
          jsonData: { customPath: 'http://internal-alb.example:7101' },
          secureJsonData: { apiKey: key },
        },
      ],
    });
    expect(result.stdout + result.stderr).not.toContain(key);
  });

  it("escapes $ as $$ so Grafana's provisioning does not expand a key as an environment variable", () => {
    const result = run({ QUERY_API_URL: 'http://alb:7101', API_KEYS_ENV: '- keys:\n    - "pa$word"\n' });
    expect(result.status, result.stderr).toBe(0);
    const provisioned = parse(readFileSync(join(provisioning, 'datasources', DATASOURCE_FILE), 'utf8'));
    expect(provisioned.datasources[0].secureJsonData.apiKey).toBe('pa$$word');
  });

  it('still provisions the datasource, without a key and with a warning, when no key can be found', () => {
    const result = run({ QUERY_API_URL: 'http://alb:7101', API_KEYS_ENV: 'organization_id: x\nkeys: none\n' });
    expect(result.status).toBe(0);
    expect(result.stderr).toContain('no API key found');
    const provisioned = parse(readFileSync(join(provisioning, 'datasources', DATASOURCE_FILE), 'utf8'));
    expect(provisioned.datasources[0].jsonData.customPath).toBe('http://alb:7101');
    expect(provisioned.datasources[0].secureJsonData).toBeUndefined();
  });

  it("recreates the provisioning folders the shared volume hides from Grafana's image", () => {
    expect(run({ API_KEYS_ENV: '' }).status).toBe(0);
    for (const dir of ['datasources', 'dashboards', 'plugins', 'alerting', 'notifiers', 'access-control']) {
      expect(existsSync(join(provisioning, dir)), dir).toBe(true);
    }
  });
});

describe('the Grafana task wiring', () => {
  const init = container('grafana-init');
  const grafana = container('grafana');

  it('passes the reset token only when set, so a change produces a new task definition revision', () => {
    expect(template.Conditions?.HasResetToken).toEqual({ 'Fn::Not': [{ 'Fn::Equals': [{ Ref: 'GrafanaResetToken' }, ''] }] });
    expect(init.Environment).toContainEqual({
      'Fn::If': ['HasResetToken', { Name: 'RESET_TOKEN', Value: { Ref: 'GrafanaResetToken' } }, { Ref: 'AWS::NoValue' }],
    });
  });

  it('gives the init container the query API URL from the common stack and the API keys only as an ECS secret', () => {
    expect(envOf(init).QUERY_API_URL).toEqual(importOf('CommonInfraStackName', 'QueryApiUrl'));
    expect(envOf(grafana).GF_SERVER_ROOT_URL).toEqual(importOf('CommonInfraStackName', 'GrafanaUrl'));
    expect(init.Secrets).toEqual([
      { Name: 'API_KEYS_ENV', ValueFrom: importOf('CommonInfraStackName', 'ApiKeysSecretArn') },
      { Name: 'GF_SECURITY_ADMIN_PASSWORD', ValueFrom: { 'Fn::Sub': ['${Arn}:password::', { Arn: { Ref: 'GrafanaAdminSecret' } }] } },
    ]);
    expect(envOf(init)).not.toHaveProperty('API_KEYS_ENV');
    expect(grafana.Secrets?.map((s) => s.Name)).not.toContain('API_KEYS_ENV');
  });

  it('creates the lakerunner admin with the generated password from Secrets Manager', () => {
    expect(props('GrafanaAdminSecret')).toMatchObject({
      GenerateSecretString: { SecretStringTemplate: '{"username":"lakerunner"}', GenerateStringKey: 'password', ExcludePunctuation: true },
    });
    expect(props('GrafanaAdminSecret')).not.toHaveProperty('Name');
    expect(envOf(grafana).GF_SECURITY_ADMIN_USER).toBe('lakerunner');
    expect(grafana.Secrets).toEqual([
      { Name: 'GF_SECURITY_ADMIN_PASSWORD', ValueFrom: { 'Fn::Sub': ['${Arn}:password::', { Arn: { Ref: 'GrafanaAdminSecret' } }] } },
    ]);
    expect(envOf(grafana)).not.toHaveProperty('GF_SECURITY_ADMIN_PASSWORD');
    expect(envOf(init)).not.toHaveProperty('GF_SECURITY_ADMIN_PASSWORD');
  });

  it("accepts the original README's ServicesStackName, filled by the plan, and only tags the service with it", () => {
    expect(grafanaStack.inputs.ServicesStackName).toEqual({ stackName: 'services' });
    expect(props('GrafanaService').Tags).toEqual([{ Key: 'lakerunner:services-stack', Value: { Ref: 'ServicesStackName' } }]);
    expect(JSON.stringify(template.Resources).match(/"Ref":"ServicesStackName"/g)).toHaveLength(1);
  });

  it('installs the datasource plugin before Grafana starts', () => {
    expect(envOf(grafana).GF_PLUGINS_PREINSTALL_SYNC).toBe(DATASOURCE_PLUGIN_PREINSTALL);
    expect(DATASOURCE_PLUGIN_PREINSTALL).toMatch(new RegExp(`^${DATASOURCE_PLUGIN_ID}@[0-9][^@]*@https://[^@]+\\.zip$`));
  });

  it('keeps Grafana data on the EFS grafana access point and shares provisioning through a task volume', () => {
    expect(taskDefinition.Volumes).toEqual([
      {
        Name: 'grafana-data',
        EFSVolumeConfiguration: {
          FilesystemId: importOf('CommonInfraStackName', 'EfsId'),
          TransitEncryption: 'ENABLED',
          AuthorizationConfig: { AccessPointId: importOf('CommonInfraStackName', 'GrafanaAccessPointId'), IAM: 'ENABLED' },
        },
      },
      { Name: 'grafana-provisioning' },
    ]);
    const mounts = (c: Container) => Object.fromEntries((c.MountPoints ?? []).map((m) => [m.ContainerPath, [m.SourceVolume, m.ReadOnly]]));
    expect(mounts(init)).toEqual({ '/var/lib/grafana': ['grafana-data', false], '/etc/grafana/provisioning': ['grafana-provisioning', false] });
    expect(mounts(grafana)).toEqual({ '/var/lib/grafana': ['grafana-data', false], '/etc/grafana/provisioning': ['grafana-provisioning', true] });
    expect(envOf(init).GF_PATHS_DATA).toBe('/var/lib/grafana');
    expect(envOf(init).GF_PATHS_PROVISIONING).toBe('/etc/grafana/provisioning');
  });

  it('health-checks Grafana with a CMD-SHELL command ECS accepts, and the init container not at all', () => {
    expect(grafana.HealthCheck?.Command).toEqual(['CMD-SHELL', 'curl -fsS http://localhost:3000/api/health > /dev/null || exit 1']);
    expect(init.HealthCheck).toBeUndefined();
    expect(props('GrafanaTargetGroup')).toMatchObject({ Port: 3000, Protocol: 'HTTP', TargetType: 'ip', HealthCheckPath: '/api/health' });
  });

  it('stops the old task before starting a new one, so SQLite on EFS never has two writers', () => {
    expect(props('GrafanaService').DeploymentConfiguration).toMatchObject({ MinimumHealthyPercent: 0, MaximumPercent: 100 });
  });
});

describe('the Grafana network and IAM', () => {
  it("routes the common load balancer's Grafana listener to its target group", () => {
    expect(props('GrafanaListenerRule')).toEqual({
      ListenerArn: importOf('CommonInfraStackName', 'GrafanaListenerArn'),
      Priority: 1,
      Conditions: [{ Field: 'path-pattern', PathPatternConfig: { Values: ['/*'] } }],
      Actions: [{ Type: 'forward', TargetGroupArn: { Ref: 'GrafanaTargetGroup' } }],
    });
    expect(template.Resources.GrafanaService?.DependsOn).toEqual(['GrafanaListenerRule']);
    expect(props('GrafanaService').LoadBalancers).toEqual([{ ContainerName: 'grafana', ContainerPort: 3000, TargetGroupArn: { Ref: 'GrafanaTargetGroup' } }]);
  });

  it('runs in the common task security group and opens no ports of its own (common allows 3000 from the ALB)', () => {
    const network = (props('GrafanaService').NetworkConfiguration as { AwsvpcConfiguration: Record<string, unknown> }).AwsvpcConfiguration;
    expect(network.SecurityGroups).toEqual([importOf('CommonInfraStackName', 'TaskSecurityGroupId')]);
    expect(network.AssignPublicIp).toBe('DISABLED');
    const types = Object.values(template.Resources).map((r) => r.Type);
    expect(types).not.toContain('AWS::EC2::SecurityGroupIngress');
    expect(types).not.toContain('AWS::EC2::SecurityGroup');
  });

  it('lets the execution role read only the admin secret and the API keys secret', () => {
    const secretReads = statementsOf('GrafanaExecutionRole');
    expect(secretReads).toEqual([
      {
        Effect: 'Allow',
        Action: ['secretsmanager:GetSecretValue'],
        Resource: [{ Ref: 'GrafanaAdminSecret' }, importOf('CommonInfraStackName', 'ApiKeysSecretArn')],
      },
    ]);
  });

  it('lets the task mount EFS only through the grafana access point, plus ECS Exec', () => {
    const [efs, exec, ...rest] = statementsOf('GrafanaTaskRole');
    expect(rest).toEqual([]);
    expect(efs?.Action).toEqual(['elasticfilesystem:ClientMount', 'elasticfilesystem:ClientWrite']);
    expect(JSON.stringify(efs?.Resource)).toContain('file-system/${Id}');
    expect(JSON.stringify(efs?.Condition)).toContain('elasticfilesystem:AccessPointArn');
    expect(JSON.stringify(efs?.Condition)).toContain('${CommonInfraStackName}-GrafanaAccessPointId');
    expect(exec?.Action.every((a) => a.startsWith('ssmmessages:'))).toBe(true);
  });

  it('names no physical resource, so two installs can share an account and region', () => {
    const json = JSON.stringify(template.Resources);
    for (const key of ['RoleName', 'ServiceName', 'LogGroupName', '"Family"', '"Name":{"Fn::Sub"']) expect(json).not.toContain(key);
  });

  it('exports the admin secret ARN under the stack-name pattern; the URL is the common stack\'s, with its load balancer', () => {
    expect(template.Outputs?.GrafanaUrl).toBeUndefined();
    expect(template.Outputs?.GrafanaAdminSecretArn?.Export).toEqual({ Name: { 'Fn::Sub': '${AWS::StackName}-GrafanaAdminSecretArn' } });
    expect(template.Outputs?.GrafanaAdminUser?.Value).toBe('lakerunner');
  });
});
