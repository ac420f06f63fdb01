// cardinal-lakerunner-infra-rds: the PostgreSQL instance every tier connects to as its master
// user, its security group (5432 from the five tiers), subnet group and master-credentials
// secret. The database is snapshotted when deleted or replaced.
import { getAtt, ref, split, sub, type Resource } from '@/lib/cfn/template';
import type { ParamSpec } from '@/lib/params/spec';
import { defineStack } from '../stack';
import type { CurrentStackId } from './ids';
import { cardinalTags, DB_NAME, DB_USER, PORTS, subnetCsvParam, TIERS, vpcIdParam } from './shared';

const MANAGED_BY = 'cardinal-cfn-rds';
const tagged = (name: string) => cardinalTags(name, 'database', MANAGED_BY);

/** The fixed name the roles' secret:cardinal-* grant matches. */
export const DB_SECRET_NAME = 'cardinal-db-master';

const PARAMETERS: ParamSpec[] = [
  vpcIdParam('VPC of the database and its security group: the one the services run in.'),
  subnetCsvParam('PrivateSubnetsCsv', 'Private subnets', 'Comma-separated IDs of at least two private subnets in different Availability Zones for the database subnet group.'),
  {
    key: 'DBEngineVersion',
    type: 'String',
    label: 'PostgreSQL version',
    description: 'Full PostgreSQL version of the instance, one RDS offers for new instances in the region (aws rds describe-db-engine-versions --engine postgres).',
    group: 'DB Sizing',
    default: '18.4',
  },
  {
    key: 'DBInstanceClass',
    type: 'String',
    label: 'Instance class',
    description: 'RDS instance class of the database, such as db.r7g.large (Graviton, 2 vCPU, 16 GiB).',
    group: 'DB Sizing',
    default: 'db.r7g.large',
    proofOfConcept: 'db.t4g.medium',
  },
  {
    key: 'DBAllocatedStorage',
    type: 'Number',
    label: 'Storage (GiB)',
    description: 'Allocated gp3 storage of the database in GiB, at least 20.',
    group: 'DB Sizing',
    default: '100',
    minValue: 20,
    format: 'whole-number',
    constraintDescription: 'Storage (GiB) must be a whole number of at least 20.',
  },
  ...TIERS.map(
    (tier): ParamSpec => ({
      key: `${tier}SecurityGroupId`,
      type: 'AWS::EC2::SecurityGroup::Id',
      label: `${tier} security group`,
      description: `Security group of the ${tier.toLowerCase()} tier (from cardinal-lakerunner-infra-base), allowed to reach the database on 5432.`,
      group: 'DB Clients',
      constraintDescription: `${tier} security group must be a security group ID such as sg-0abc1234def567890.`,
    }),
  ),
];

function resources(): Record<string, Resource> {
  return {
    RdsSecurityGroup: {
      Type: 'AWS::EC2::SecurityGroup',
      DeletionPolicy: 'Delete',
      UpdateReplacePolicy: 'Delete',
      Properties: {
        GroupDescription: 'Cardinal lakerunner RDS: PostgreSQL from each database-client tier.',
        VpcId: ref('VpcId'),
        Tags: tagged('cardinal-rds-sg'),
      },
    },
    ...Object.fromEntries(
      TIERS.map((tier): [string, Resource] => [
        `Rds5432From${tier}`,
        {
          Type: 'AWS::EC2::SecurityGroupIngress',
          Properties: {
            GroupId: getAtt('RdsSecurityGroup', 'GroupId'),
            IpProtocol: 'tcp',
            FromPort: PORTS.postgres,
            ToPort: PORTS.postgres,
            SourceSecurityGroupId: ref(`${tier}SecurityGroupId`),
            Description: `PostgreSQL from the ${tier.toLowerCase()} tier`,
          },
        },
      ]),
    ),
    DBSubnetGroup: {
      Type: 'AWS::RDS::DBSubnetGroup',
      DeletionPolicy: 'Delete',
      UpdateReplacePolicy: 'Delete',
      Properties: {
        DBSubnetGroupDescription: 'Cardinal lakerunner DB subnet group',
        SubnetIds: split(',', ref('PrivateSubnetsCsv')),
        Tags: tagged('cardinal-rds-subnets'),
      },
    },
    DBMasterSecret: {
      Type: 'AWS::SecretsManager::Secret',
      DeletionPolicy: 'Retain',
      UpdateReplacePolicy: 'Retain',
      Properties: {
        Name: DB_SECRET_NAME,
        Description: 'Cardinal lakerunner database master user; every component connects with it.',
        GenerateSecretString: {
          SecretStringTemplate: JSON.stringify({ username: DB_USER }),
          GenerateStringKey: 'password',
          PasswordLength: 40,
          ExcludePunctuation: true,
        },
        Tags: tagged(DB_SECRET_NAME),
      },
    },
    // Deletion protection stays off: teardown deletes the stack, and the final snapshot keeps the data.
    DBInstance: {
      Type: 'AWS::RDS::DBInstance',
      DeletionPolicy: 'Snapshot',
      UpdateReplacePolicy: 'Snapshot',
      Properties: {
        Engine: 'postgres',
        EngineVersion: ref('DBEngineVersion'),
        DBInstanceClass: ref('DBInstanceClass'),
        AllocatedStorage: ref('DBAllocatedStorage'),
        StorageType: 'gp3',
        StorageEncrypted: true,
        DBName: DB_NAME,
        Port: String(PORTS.postgres),
        MasterUsername: DB_USER,
        MasterUserPassword: sub('{{resolve:secretsmanager:${DBMasterSecret}:SecretString:password}}'),
        DBSubnetGroupName: ref('DBSubnetGroup'),
        VPCSecurityGroups: [getAtt('RdsSecurityGroup', 'GroupId')],
        PubliclyAccessible: false,
        MultiAZ: false,
        BackupRetentionPeriod: 7,
        DeletionProtection: false,
        Tags: tagged('cardinal-rds'),
      },
    },
    // Adds engine, host, port and dbname to the secret's JSON.
    DBMasterSecretAttachment: {
      Type: 'AWS::SecretsManager::SecretTargetAttachment',
      Properties: { SecretId: ref('DBMasterSecret'), TargetId: ref('DBInstance'), TargetType: 'AWS::RDS::DBInstance' },
    },
  };
}

export const infraRdsStack = defineStack<CurrentStackId>({
  id: 'infra-rds',
  stem: 'cardinal-lakerunner-infra-rds',
  aliases: [],
  title: 'Lakerunner database',
  purpose: 'Creates the encrypted PostgreSQL instance that holds the Lakerunner, config and Maestro databases, reachable only from the Lakerunner tiers.',
  inclusion: 'always',
  lossOnDelete:
    'The database instance, kept as a final snapshot; the cardinal-db-master secret is retained (delete it by hand before installing again).',
  needs: [],
  after: ['vpc', 'infra-base'],
  inputs: {
    VpcId: { output: ['vpc', 'VpcId'] },
    PrivateSubnetsCsv: { output: ['vpc', 'PrivateSubnetsCsv'] },
    ...Object.fromEntries(TIERS.map((tier) => [`${tier}SecurityGroupId`, { output: ['infra-base', `${tier}SecurityGroupId`] as const }])),
  },
  rules: [],
  parameters: PARAMETERS,
  build: () => ({
    Description: 'Cardinal lakerunner infra RDS: the PostgreSQL instance, its security group, subnet group and master-credentials secret.',
    Resources: resources(),
    Outputs: {
      DbEndpoint: { Description: 'Host name of the PostgreSQL instance.', Value: getAtt('DBInstance', 'Endpoint.Address') },
      DbPort: { Description: 'Port of the PostgreSQL instance.', Value: getAtt('DBInstance', 'Endpoint.Port') },
      DbName: { Description: 'Name of the Lakerunner database.', Value: DB_NAME },
      DbMasterSecretArn: { Description: 'The master-credentials secret.', Value: ref('DBMasterSecret') },
      RdsSecurityGroupId: { Description: 'Security group of the database.', Value: ref('RdsSecurityGroup') },
    },
  }),
});
