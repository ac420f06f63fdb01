// Resource types that hold data: replacing one (a create-only property changed) creates a new,
// empty resource, and what the old one held stays behind or is deleted with it by its policy. The
// change preview calls these replacements out apart from the rest. Isomorphic.

/** What a replacement loses, by resource type. */
export const STATEFUL_TYPES: Readonly<Record<string, string>> = {
  'AWS::RDS::DBInstance': 'a new, empty database instance is created; the old one is snapshotted or deleted as its policy says, and its data is not copied',
  'AWS::RDS::DBCluster': 'a new, empty database cluster is created; the old one is snapshotted or deleted as its policy says, and its data is not copied',
  'AWS::S3::Bucket': 'a new, empty bucket is created under the new name; the old bucket’s objects are not moved (it is kept or must be empty to be deleted, as its policy says)',
  'AWS::EFS::FileSystem': 'a new, empty file system is created; the old one’s files are not copied',
  'AWS::SecretsManager::Secret': 'a new secret is created; whatever reads the old name or ARN, and any value set by hand, is left behind',
  'AWS::SQS::Queue': 'a new queue is created; messages waiting in the old one are lost',
  'AWS::Logs::LogGroup': 'a new log group is created; the old one’s logs are deleted with it unless it is retained',
};

export interface StatefulReplacement {
  /** Where: the stack, and for a nested stack's resource, its path. */
  where: string;
  logicalId: string;
  resourceType: string;
  loss: string;
}

interface Change {
  logicalId: string;
  resourceType: string;
  replacement?: 'True' | 'False' | 'Conditional';
}

/** The changes that replace (or may replace: Conditional) a resource holding data. */
export function statefulReplacements(where: string, changes: readonly Change[]): StatefulReplacement[] {
  return changes.flatMap((c) => {
    const loss = STATEFUL_TYPES[c.resourceType];
    return loss && (c.replacement === 'True' || c.replacement === 'Conditional') ? [{ where, logicalId: c.logicalId, resourceType: c.resourceType, loss: c.replacement === 'Conditional' ? `may be replaced: ${loss}` : loss }] : [];
  });
}
