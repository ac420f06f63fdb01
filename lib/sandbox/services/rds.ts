// RDS's read side over the query protocol (Version 2014-10-31): DescribeDBInstances for the
// database instances the stacks have created, as RDS reports them: a major-only EngineVersion is
// created at the engine's default minor, which is what RDS then says it runs.
import { propString, type JsonObject } from '../cfn/json';
import { AwsError } from '../core/errors';
import type { RegionState } from '../core/state';
import { str, type QueryParams } from '../protocols/query';
import { RawXml, xmlElement, type XmlValue } from '../protocols/xml';

export const RDS_XMLNS = 'http://rds.amazonaws.com/doc/2014-10-31/';
export const RDS_VERSION = '2014-10-31';
export const RDS_ACTIONS = new Set(['DescribeDBInstances']);

/** The minor RDS creates for a major-only version (postgres), as the sandbox models it. */
export const DEFAULT_MINOR: Readonly<Record<string, string>> = { '13': '13.22', '14': '14.19', '15': '15.14', '16': '16.10', '17': '17.7', '18': '18.1' };

/** The version RDS reports for an instance created or modified with `requested`. */
export const runningVersion = (requested: string) => DEFAULT_MINOR[requested] ?? requested;

const truthy = (value: unknown) => value === true || value === 'true';

function instanceXml(id: string, p: JsonObject, attributes: Record<string, unknown>, region: string, account: string): Record<string, XmlValue> {
  return {
    DBInstanceIdentifier: id,
    DBInstanceClass: propString(p, 'DBInstanceClass'),
    Engine: propString(p, 'Engine') ?? 'postgres',
    EngineVersion: runningVersion(propString(p, 'EngineVersion') ?? ''),
    DBInstanceStatus: 'available',
    MasterUsername: propString(p, 'MasterUsername'),
    DBName: propString(p, 'DBName'),
    Endpoint: { Address: String(attributes['Endpoint.Address'] ?? ''), Port: String(attributes['Endpoint.Port'] ?? ''), HostedZoneId: String(attributes['Endpoint.HostedZoneId'] ?? '') },
    AllocatedStorage: propString(p, 'AllocatedStorage'),
    StorageEncrypted: truthy(p.StorageEncrypted),
    MultiAZ: truthy(p.MultiAZ),
    AutoMinorVersionUpgrade: p.AutoMinorVersionUpgrade === undefined ? true : truthy(p.AutoMinorVersionUpgrade),
    DeletionProtection: truthy(p.DeletionProtection),
    DBInstanceArn: `arn:aws:rds:${region}:${account}:db:${id}`,
  };
}

export function handleRds(action: string, params: QueryParams, r: RegionState, region: string, account: string): Record<string, XmlValue> {
  switch (action) {
    case 'DescribeDBInstances': {
      const wanted = str(params, 'DBInstanceIdentifier');
      const instances = r.stacks
        .flatMap((stack) => Object.values(stack.resources))
        .filter((resource) => resource.type === 'AWS::RDS::DBInstance' && resource.physicalId && !resource.status.startsWith('DELETE_COMPLETE'))
        .filter((resource) => wanted === undefined || resource.physicalId === wanted.toLowerCase());
      if (wanted !== undefined && instances.length === 0) throw new AwsError('DBInstanceNotFound', `DBInstance ${wanted} not found.`, 404);
      return {
        DBInstances: new RawXml(instances.map((i) => xmlElement('DBInstance', instanceXml(i.physicalId!, i.properties, i.attributes, region, account))).join('')),
      };
    }
    default:
      throw new AwsError('InvalidAction', `Could not find operation ${action} for version ${RDS_VERSION}`);
  }
}
