// Child maestro: Cardinal's UI and API (maestro on 4200, the catch-all of the 443 listener), the
// MCP gateway on loopback, and the bundled Dex OIDC provider under /dex. One task, five
// containers: db-init creates the maestro database and its extensions, mcp-gateway migrates it,
// wait-for-mcp holds maestro back until the gateway accepts connections.
import { getAtt, ref, sub, type Expr } from '@/lib/cfn/template';
import type { ParamSpec } from '@/lib/params/spec';
import { containerDefinition, environment, secretKey, secrets } from '../../ecs';
import { fargateService, fargateTask, logGroup, pathRule, targetGroup } from '../building-blocks';
import type { ChildDefinition } from '../child';
import { DEFAULT_IMAGES } from '../manifest';
import { childTags, imageParam, inputParam, MAESTRO_DB_NAME, organizationIdParam, PORTS, sizeParam, switchParam } from '../shared';
import { INSTALL_ID_PARAMETERS, inputs, migrationSentinel, postgresClientSecrets, subnetsFromCsv } from './common';
import { queryApiInternalUrl } from './services-query';

/** Listener rule priorities on the 443 listener: the catch-all must be the highest number. */
export const MAESTRO_PRIORITIES = { dex: 210, catchAll: 49999 } as const;

const PSQL = 'psql -h "$LRDB_HOST" -p "$LRDB_PORT" -U "$LRDB_USER" -v ON_ERROR_STOP=1';

/** The database may exist already (a re-run); the extensions must exist before mcp-gateway migrates. */
export const MAESTRO_DB_INIT_SCRIPT = [
  'set -u',
  'export PGPASSWORD="$LRDB_PASSWORD" PGSSLMODE=require',
  `${PSQL} -d postgres -c "CREATE DATABASE ${MAESTRO_DB_NAME}" || echo "${MAESTRO_DB_NAME} database not created (it may exist already)"`,
  `exec ${PSQL} -d ${MAESTRO_DB_NAME} -c "CREATE EXTENSION IF NOT EXISTS vector" -c "CREATE EXTENSION IF NOT EXISTS pgcrypto" -c "CREATE EXTENSION IF NOT EXISTS citext"`,
].join('\n');

type Overrides = Partial<Omit<ParamSpec, 'key' | 'type'>>;
const DEX = 'DEX configuration';

/** Maestro and Dex settings the root declares too (with its own groups). */
export const maestroSettings = {
  maestroImage: (o?: Overrides) => imageParam('MaestroImage', 'Maestro image', DEFAULT_IMAGES.maestro, 'Image of mcp-gateway, wait-for-mcp and maestro, pinned by digest.', o),
  dexImage: (o?: Overrides) => imageParam('DexImage', 'Dex image', DEFAULT_IMAGES.dex, "Image of Cardinal's Dex build, pinned by digest.", o),
  taskCpu: (o?: Overrides) => sizeParam('MaestroTaskCpu', 'Maestro CPU units', 'CPU units of the Maestro task (all five containers).', 1024, o),
  taskMemory: (o?: Overrides) => sizeParam('MaestroTaskMemory', 'Maestro memory (MiB)', 'Memory of the Maestro task in MiB (all five containers).', 2048, o),
  dexClientId: (o?: Overrides): ParamSpec => ({
    key: 'DexClientId',
    type: 'String',
    label: 'OIDC client ID',
    description: 'Client ID (and token audience) Maestro signs in with at Dex.',
    group: DEX,
    default: 'maestro-ui',
    ...o,
  }),
  dexAdminEmail: (o?: Overrides): ParamSpec => ({
    key: 'DexAdminEmail',
    type: 'String',
    label: 'Admin e-mail',
    description: "E-mail of Dex's static admin login, also the owner of the bootstrap organization.",
    group: DEX,
    default: 'admin@cardinal.local',
    ...o,
  }),
  oidcSuperadminEmails: (o?: Overrides): ParamSpec => ({
    key: 'OidcSuperadminEmails',
    type: 'String',
    label: 'Superadmin e-mails',
    description: 'Comma-separated e-mails Maestro treats as superadmins (Dex tokens carry no groups), usually the admin e-mail.',
    group: DEX,
    default: 'admin@cardinal.local',
    ...o,
  }),
  organizationId: (o?: Overrides) =>
    organizationIdParam('UUID of the bootstrap organization; it must equal the OrganizationId of every satellite.', { group: 'Organization bootstrap', ...o }),
  orgName: (o?: Overrides): ParamSpec => ({
    key: 'OrgName',
    type: 'String',
    label: 'Organization name',
    description: 'Display name Maestro gives the bootstrap organization.',
    group: 'Organization bootstrap',
    default: 'My Organization',
    ...o,
  }),
  recoverFromDirty: (o?: Overrides) =>
    switchParam(
      'McpMigrateRecoverFromDirty',
      'Recover a dirty Maestro migration',
      "true lets mcp-gateway recover when a previous run left Maestro's schema migration dirty; leave false otherwise.",
      ['true', 'false'],
      'false',
      { group: 'Maestro tunables', ...o },
    ),
  dexAdminPasswordHash: (o?: Overrides): ParamSpec => ({
    key: 'DexAdminPasswordHash',
    type: 'String',
    label: 'Admin password hash',
    description:
      "bcrypt hash ($2a$, $2b$ or $2y$) of the admin's password, for example from htpasswd -bnBC 10 \"\" PASSWORD; Dex refuses to start without one.",
    group: DEX,
    default: '',
    noEcho: true,
    ...o,
  }),
  dexExtraUsers: (o?: Overrides): ParamSpec => ({
    key: 'DexExtraUsers',
    type: 'String',
    label: 'Extra Dex users (JSON)',
    description: 'JSON array of further Dex logins, each with an email and a bcrypt hash (and optionally username and userID); empty for none.',
    group: DEX,
    default: '',
    noEcho: true,
    multiline: true,
    ...o,
  }),
};

const MAESTRO_DB_ENV = {
  MAESTRO_DB_HOST: ref('DbEndpoint'),
  MAESTRO_DB_PORT: ref('DbPort'),
  MAESTRO_DB_NAME: MAESTRO_DB_NAME,
  MAESTRO_DB_SSLMODE: 'require',
};
const maestroDbSecrets = (): Record<string, Expr> => ({
  MAESTRO_DB_USER: secretKey(ref('DbSecretArn'), 'username'),
  MAESTRO_DB_PASSWORD: secretKey(ref('DbSecretArn'), 'password'),
});

const issuer = () => sub('https://${AlbDnsName}/dex');

function containers(): Expr[] {
  const maestroLogs = (prefix: string) => ({ logGroup: 'MaestroLogGroup', streamPrefix: prefix });
  return [
    containerDefinition({
      name: 'db-init',
      image: ref('DbInitImage'),
      logGroup: 'MaestroDbInitLogGroup',
      streamPrefix: 'db-init',
      essential: false,
      entryPoint: ['sh', '-c'],
      command: [MAESTRO_DB_INIT_SCRIPT],
      environment: environment({ LRDB_HOST: ref('DbEndpoint'), LRDB_PORT: ref('DbPort') }),
      secrets: secrets(postgresClientSecrets()),
    }),
    containerDefinition({
      name: 'mcp-gateway',
      image: ref('MaestroImage'),
      ...maestroLogs('mcp-gateway'),
      entryPoint: ['/app/entrypoint.sh'],
      command: ['mcp-gateway'],
      ports: [PORTS.mcpGateway],
      dependsOn: [{ container: 'db-init', condition: 'SUCCESS' }],
      environment: environment({
        ...MAESTRO_DB_ENV,
        MCP_PORT: String(PORTS.mcpGateway),
        // The gateway fails closed without an API key otherwise; it listens on loopback only.
        MCP_ALLOW_NO_AUTH: 'true',
        MCP_MIGRATE_RECOVER_FROM_DIRTY: ref('McpMigrateRecoverFromDirty'),
      }),
      secrets: secrets({ ...maestroDbSecrets(), LICENSE_DATA: ref('LicenseSecretArn') }),
    }),
    containerDefinition({
      name: 'wait-for-mcp',
      image: ref('MaestroImage'),
      ...maestroLogs('wait-for-mcp'),
      essential: false,
      entryPoint: ['/app/entrypoint.sh'],
      command: ['wait-for-tcp', 'localhost', String(PORTS.mcpGateway)],
      dependsOn: [{ container: 'mcp-gateway', condition: 'START' }],
    }),
    containerDefinition({
      name: 'maestro',
      image: ref('MaestroImage'),
      ...maestroLogs('maestro'),
      ports: [PORTS.maestro],
      dependsOn: [
        { container: 'db-init', condition: 'SUCCESS' },
        { container: 'wait-for-mcp', condition: 'SUCCESS' },
      ],
      environment: environment({
        ...MAESTRO_DB_ENV,
        OIDC_ISSUER_URL: issuer(),
        OIDC_CLIENT_ID: ref('DexClientId'),
        OIDC_AUDIENCE: ref('DexClientId'),
        // Maestro defaults to Keycloak's JWKS path.
        OIDC_JWKS_URL: sub('https://${AlbDnsName}/dex/keys'),
        DEX_ISSUER_URL: issuer(),
        DEX_CLIENT_ID: ref('DexClientId'),
        // The JWKS fetch goes through the load balancer, whose certificate may be self-signed.
        NODE_TLS_REJECT_UNAUTHORIZED: '0',
        OIDC_SUPERADMIN_EMAILS: ref('OidcSuperadminEmails'),
        MAESTRO_BOOTSTRAP_ORG_ID: ref('OrganizationId'),
        MAESTRO_BOOTSTRAP_ORG_NAME: ref('OrgName'),
        MAESTRO_BOOTSTRAP_OWNER_EMAIL: ref('DexAdminEmail'),
        MAESTRO_BOOTSTRAP_BUCKET_NAME: ref('BucketName'),
        MAESTRO_BOOTSTRAP_BUCKET_REGION: ref('AWS::Region'),
        MAESTRO_BOOTSTRAP_BUCKET_CLOUD_PROVIDER: 'aws',
        MAESTRO_BOOTSTRAP_BUCKET_COLLECTOR_NAME: 'lakerunner',
        // Cloud Map, not the load balancer: no hairpin through a self-signed certificate.
        MAESTRO_BOOTSTRAP_LAKERUNNER_QUERY_API_URL: queryApiInternalUrl(),
        MAESTRO_BOOTSTRAP_LAKERUNNER_ADMIN_API_URL: sub(`http://admin-api.\${ServiceNamespaceName}:${PORTS.adminApi}`),
      }),
      secrets: secrets({
        ...maestroDbSecrets(),
        LICENSE_DATA: ref('LicenseSecretArn'),
        MAESTRO_BOOTSTRAP_LAKERUNNER_ADMIN_API_KEY: secretKey(ref('AdminApiKeySecretArn'), 'key'),
      }),
    }),
    containerDefinition({
      name: 'dex',
      image: ref('DexImage'),
      logGroup: 'MaestroDexLogGroup',
      streamPrefix: 'dex',
      user: '1001',
      ports: [PORTS.dex],
      // The image renders its config from these at start; the hashes are bcrypt hashes, not passwords.
      environment: environment({
        DEX_ISSUER_URL: issuer(),
        DEX_REDIRECT_URI: sub('https://${AlbDnsName}/'),
        DEX_CLIENT_ID: ref('DexClientId'),
        DEX_PORT: String(PORTS.dex),
        DEX_ADMIN_EMAIL: ref('DexAdminEmail'),
        DEX_ADMIN_HASH: ref('DexAdminPasswordHash'),
        DEX_EXTRA_USERS: ref('DexExtraUsers'),
      }),
    }),
  ];
}

export const maestroChild: ChildDefinition = {
  meta: { id: 'maestro', logicalId: 'Maestro', file: 'cardinal-lakerunner/maestro', title: 'Maestro and Dex' },
  parameters: [
    ...INSTALL_ID_PARAMETERS,
    inputs.clusterArn(),
    inputs.taskSecurityGroupId(),
    inputs.executionRoleArn(),
    inputs.taskRoleArn(),
    inputs.privateSubnetsCsv(),
    inputs.vpcId(),
    inputs.httpsListenerArn(),
    inputParam('AlbDnsName', 'Public host name', 'Host name users reach Maestro by (the public DNS name, else the load balancer’s), in the OIDC issuer and redirect URLs.'),
    inputs.serviceNamespaceName(),
    inputs.bucketName({ description: 'Name of the cooked bucket Maestro registers for the bootstrap organization (metadata only; Maestro has no S3 access).' }),
    inputs.dbEndpoint(),
    inputs.dbPort(),
    inputs.dbSecretArn({ description: 'ARN of the cardinal-db-master secret; Maestro connects as the master user, which may create extensions.' }),
    inputs.licenseSecretArn(),
    inputs.adminApiKeySecretArn(),
    inputs.migrationComplete(),
    maestroSettings.organizationId(),
    maestroSettings.orgName(),
    maestroSettings.taskCpu({ group: 'Maestro tunables' }),
    maestroSettings.taskMemory({ group: 'Maestro tunables' }),
    maestroSettings.recoverFromDirty(),
    maestroSettings.maestroImage({ group: 'Image overrides' }),
    maestroSettings.dexImage({ group: 'Image overrides' }),
    inputs.dbInitImage(),
    maestroSettings.dexClientId(),
    maestroSettings.dexAdminEmail(),
    maestroSettings.dexAdminPasswordHash(),
    maestroSettings.dexExtraUsers(),
    maestroSettings.oidcSuperadminEmails(),
  ],
  build: () => ({
    Description: 'Cardinal maestro: an ECS Fargate service running db-init, maestro and Dex containers behind the shared load balancer HTTPS listener.',
    Resources: {
      MaestroDbInitLogGroup: logGroup(childTags('maestro-db-init-logs', 'maestro'), '/cardinal/maestro-db-init'),
      MaestroLogGroup: logGroup(childTags('maestro-logs', 'maestro'), '/cardinal/maestro'),
      MaestroDexLogGroup: logGroup(childTags('maestro-dex-logs', 'maestro'), '/cardinal/maestro-dex'),
      MaestroTaskDef: fargateTask({
        cpu: ref('MaestroTaskCpu'),
        memory: ref('MaestroTaskMemory'),
        executionRoleArn: ref('ExecutionRoleArn'),
        taskRoleArn: ref('TaskRoleArn'),
        tags: childTags('maestro-task', 'maestro'),
        containers: containers(),
      }),
      MaestroHttpsTargetGroup: targetGroup({ port: PORTS.maestro, vpcId: ref('VpcId'), healthPath: '/healthz', tags: childTags('maestro-tg', 'maestro') }),
      MaestroHttpsListenerRule: pathRule(ref('HttpsListenerArn'), MAESTRO_PRIORITIES.catchAll, ['/*'], 'MaestroHttpsTargetGroup'),
      // Dex serves everything under /dex; its plain /healthz answers 404.
      MaestroDexTargetGroup: targetGroup({ port: PORTS.dex, vpcId: ref('VpcId'), healthPath: '/dex/healthz', tags: childTags('maestro-dex-tg', 'maestro') }),
      MaestroDexListenerRule: pathRule(ref('HttpsListenerArn'), MAESTRO_PRIORITIES.dex, ['/dex/*'], 'MaestroDexTargetGroup'),
      MaestroService: {
        ...fargateService({
          cluster: ref('ClusterArn'),
          taskDefinition: 'MaestroTaskDef',
          desiredCount: 1,
          subnets: subnetsFromCsv(),
          securityGroup: ref('TaskSecurityGroupId'),
          loadBalancers: [
            { container: 'maestro', port: PORTS.maestro, targetGroup: 'MaestroHttpsTargetGroup' },
            { container: 'dex', port: PORTS.dex, targetGroup: 'MaestroDexTargetGroup' },
          ],
          dependsOn: ['MaestroHttpsListenerRule', 'MaestroDexListenerRule'],
          tags: childTags('maestro', 'maestro'),
        }),
        Metadata: migrationSentinel(),
      },
    },
    Outputs: {
      MaestroUrl: { Description: 'Where users sign in to Maestro.', Value: sub('https://${AlbDnsName}/') },
      DexUrl: { Description: 'The Dex OIDC issuer.', Value: sub('https://${AlbDnsName}/dex/') },
      MaestroServiceName: { Description: 'Generated name of the Maestro ECS service.', Value: getAtt('MaestroService', 'Name') },
    },
  }),
};
