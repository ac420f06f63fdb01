// Child migration: the database migrations as an ECS service instead of a custom resource. The
// task creates configdb if absent, runs `lakerunner migrate`, then idles in its only essential
// container, which ECS starts only after the migrator exits 0: the service (and so this stack) is
// stable only once the migrations succeeded, and a failed migration trips the circuit breaker.
import { ref } from '@/lib/cfn/template';
import { containerDefinition, environment, secrets } from '../../ecs';
import { fargateService, fargateTask, logGroup } from '../building-blocks';
import type { ChildDefinition } from '../child';
import { childTags, CONFIG_DB_NAME, inputParam } from '../shared';
import { INSTALL_ID_PARAMETERS, inputs, inputsMetadata, lakerunnerDbSecrets, postgresClientSecrets, subnetsFromCsv } from './common';

/** psql against the server's maintenance database, as the master user, over TLS. */
const PSQL = 'psql -h "$LRDB_HOST" -p "$LRDB_PORT" -U "$LRDB_USER" -d postgres -v ON_ERROR_STOP=1';

export const CONFIGDB_INIT_SCRIPT = [
  'set -eu',
  'export PGPASSWORD="$LRDB_PASSWORD" PGSSLMODE=require',
  `if [ "$(${PSQL} -tAc "SELECT 1 FROM pg_database WHERE datname = '${CONFIG_DB_NAME}'")" = "1" ]; then`,
  `  echo "${CONFIG_DB_NAME} already exists"`,
  'else',
  `  ${PSQL} -c "CREATE DATABASE ${CONFIG_DB_NAME}"`,
  `  echo "${CONFIG_DB_NAME} created"`,
  'fi',
].join('\n');

export const KEEPALIVE_SCRIPT = 'echo "database migrations completed; idling"\nexec sleep 2147483647';

const stream = (name: string) => ({ logGroup: 'MigratorLogGroup', streamPrefix: name });

export const migrationChild: ChildDefinition = {
  meta: { id: 'migration', logicalId: 'Migration', file: 'cardinal-lakerunner/migration', title: 'Database migration' },
  parameters: [
    ...INSTALL_ID_PARAMETERS,
    inputs.clusterArn(),
    inputs.clusterName({ description: 'Name of the ECS cluster; declared to keep the interface of the other tiers and recorded in the service metadata.' }),
    inputs.taskSecurityGroupId({ type: 'String' }),
    inputs.executionRoleArn(),
    inputs.taskRoleArn(),
    inputs.privateSubnetsCsv(),
    inputs.dbEndpoint(),
    inputs.dbPort(),
    inputParam('DbName', 'Database name', 'Name of the Lakerunner database (LRDB) the migrator migrates.', { default: 'lakerunner' }),
    inputs.dbSecretArn(),
    inputs.lakerunnerImage(),
    inputs.dbInitImage(),
  ],
  build: () => ({
    Description: 'Cardinal migration: the database migrator task definition and the ECS service that runs it once and then idles.',
    Resources: {
      MigratorLogGroup: logGroup(childTags('migration-logs', 'migration')),
      MigratorTaskDef: fargateTask({
        family: 'cardinal-migrator',
        cpu: '256',
        memory: '512',
        executionRoleArn: ref('ExecutionRoleArn'),
        taskRoleArn: ref('TaskRoleArn'),
        tags: childTags('migrator-task', 'migration'),
        containers: [
          containerDefinition({
            name: 'configdb-init',
            image: ref('DbInitImage'),
            ...stream('configdb-init'),
            essential: false,
            entryPoint: ['sh', '-c'],
            command: [CONFIGDB_INIT_SCRIPT],
            environment: environment({ LRDB_HOST: ref('DbEndpoint'), LRDB_PORT: ref('DbPort') }),
            secrets: secrets(postgresClientSecrets()),
          }),
          containerDefinition({
            name: 'migrator',
            image: ref('LakerunnerImage'),
            ...stream('migrator'),
            essential: false,
            command: ['/app/bin/lakerunner', 'migrate', '--databases=lrdb,configdb'],
            dependsOn: [{ container: 'configdb-init', condition: 'COMPLETE' }],
            environment: environment({
              LRDB_HOST: ref('DbEndpoint'),
              LRDB_PORT: ref('DbPort'),
              LRDB_DBNAME: ref('DbName'),
              LRDB_SSLMODE: 'require',
              CONFIGDB_HOST: ref('DbEndpoint'),
              CONFIGDB_PORT: ref('DbPort'),
              CONFIGDB_DBNAME: CONFIG_DB_NAME,
              CONFIGDB_SSLMODE: 'require',
            }),
            secrets: secrets(lakerunnerDbSecrets()),
          }),
          containerDefinition({
            name: 'keepalive',
            image: ref('DbInitImage'),
            ...stream('keepalive'),
            entryPoint: ['sh', '-c'],
            command: [KEEPALIVE_SCRIPT],
            dependsOn: [{ container: 'migrator', condition: 'SUCCESS' }],
          }),
        ],
      }),
      MigratorService: {
        ...fargateService({
          cluster: ref('ClusterArn'),
          taskDefinition: 'MigratorTaskDef',
          desiredCount: 1,
          subnets: subnetsFromCsv(),
          securityGroup: ref('TaskSecurityGroupId'),
          tags: childTags('migrator', 'migration'),
        }),
        Metadata: inputsMetadata('ClusterName'),
      },
    },
    Outputs: {
      MigrationServiceArn: {
        Description: 'ARN of the migration service; the tiers take it as MigrationComplete, so they update after the migrations.',
        Value: ref('MigratorService'),
      },
    },
  }),
};
