// The persisted shape of stacks, their resources, events, in-flight operations and change sets.
import type { Tag } from '../core/network-state';
import type { AttrValue } from './intrinsics';
import type { Json, JsonObject } from './json';

export interface StackEvent {
  /** Position in the stack's event log; NextToken pages by it. */
  seq: number;
  eventId: string;
  logicalId: string;
  physicalId: string;
  resourceType: string;
  status: string;
  reason?: string;
  timestamp: number;
  properties?: string;
  clientRequestToken?: string;
}

export interface ResourceState {
  logicalId: string;
  type: string;
  physicalId?: string;
  status: string;
  reason?: string;
  updatedAt: number;
  /** Resolved properties (dynamic references left unresolved, as CloudFormation keeps them). */
  properties: JsonObject;
  attributes: Record<string, AttrValue>;
  deletionPolicy?: string;
  updateReplacePolicy?: string;
  /** Logical ids this resource depended on when last created or updated. */
  dependsOn: string[];
}

export interface OutputState {
  key: string;
  value: string;
  description?: string;
  exportName?: string;
}

export type TaskAction = 'create' | 'update' | 'delete' | 'revert' | 'delete-old' | 'delete-new' | 'settle';

export interface TaskState {
  state: 'pending' | 'running' | 'done' | 'failed' | 'cancelled' | 'skipped';
  deps: string[];
  /** Decided when the task starts. */
  action?: TaskAction;
  /** When the work began (epoch ms) and its typical length in unscaled seconds. */
  startedAt?: number;
  seconds?: number;
  /** What the resource becomes when the task finishes. */
  next?: { physicalId: string; properties: JsonObject; attributes: Record<string, AttrValue>; replacement: boolean };
  failure?: string;
  /** A nested stack's task waits for that stack (its id) instead of a typical duration. */
  child?: string;
  /** The nested stack's own operation was started by this task (a delete may first wait for a rollback to end). */
  childStarted?: boolean;
}

export type Phase =
  | 'CREATE'
  | 'ROLLBACK'
  | 'DELETE_AFTER_ROLLBACK'
  | 'UPDATE'
  | 'UPDATE_CLEANUP'
  | 'UPDATE_ROLLBACK'
  | 'UPDATE_ROLLBACK_CLEANUP'
  | 'DELETE';

export interface StackSnapshot {
  templateBody: string;
  parameters: Record<string, string>;
  resources: Record<string, ResourceState>;
  outputs: OutputState[];
  imports: string[];
  description?: string;
  capabilities: string[];
  tags: Tag[];
}

export interface Operation {
  kind: 'CREATE' | 'UPDATE' | 'DELETE';
  phase: Phase;
  token?: string;
  onFailure: 'ROLLBACK' | 'DO_NOTHING' | 'DELETE';
  tasks: Record<string, TaskState>;
  /** UPDATE: the stack as it was, to roll back to. */
  previous?: StackSnapshot;
  /** UPDATE: physical resources replaced during the update, deleted at cleanup (or restored on rollback). */
  replaced: Record<string, ResourceState>;
  /** Logical ids whose resources this update created (rollback deletes them). */
  created: string[];
  /** Logical ids this update touched in place (rollback reverts them). */
  touched: string[];
  /** Stack-level failure found before or after the resource walk. */
  failureReason?: string;
  cancelRequested?: boolean;
  /** DeleteStack during CREATE_IN_PROGRESS: cancel the creation, then delete. */
  deleteAfterCancel?: boolean;
  retain?: string[];
  /** New physical resources a rollback put aside, deleted at rollback cleanup. */
  rolledBack: Record<string, ResourceState>;
  /** UPDATE_ROLLBACK_FAILED: waits for ContinueUpdateRollback. */
  halted?: boolean;
  /**
   * A nested stack's update stops in UPDATE_COMPLETE_CLEANUP_IN_PROGRESS until its parent either
   * finishes (then the cleanup runs) or rolls back (then this stack rolls back too).
   */
  parked?: boolean;
  /** This update was started by the parent stack, so it parks before its cleanup. */
  awaitParent?: boolean;
}

/** What a stack runs with: set by CreateStack and UpdateStack, or held by a change set until it is executed. */
export interface LaunchInputs {
  templateBody: string;
  parameters: Record<string, string>;
  capabilities: string[];
  tags: Tag[];
  notificationArns: string[];
  roleArn?: string;
}

export interface StackRecord extends LaunchInputs {
  stackId: string;
  stackName: string;
  region: string;
  status: string;
  reason?: string;
  createdAt: number;
  updatedAt?: number;
  deletedAt?: number;
  description?: string;
  disableRollback: boolean;
  terminationProtection: boolean;
  resources: Record<string, ResourceState>;
  outputs: OutputState[];
  /** Export names this stack imports. */
  imports: string[];
  events: StackEvent[];
  changeSetId?: string;
  operation?: Operation;
  /** ClientRequestToken → the operation it started, so a retry does not start another. */
  tokens: Record<string, string>;
  /** Nested stacks: the stack that holds this one as an AWS::CloudFormation::Stack resource, its logical id there, and the root. */
  parentId?: string;
  rootId?: string;
  logicalIdInParent?: string;
  /** The status and reason this stack's last operation failed with, read by a parent for its "Embedded stack …" reason. */
  failure?: { status: string; reason: string };
}

export interface ResourceChangeRecord {
  action: 'Add' | 'Modify' | 'Remove';
  logicalId: string;
  physicalId?: string;
  resourceType: string;
  replacement?: 'True' | 'False' | 'Conditional';
  scope: string[];
  details: {
    target: { attribute: string; name?: string; requiresRecreation: 'Never' | 'Conditionally' | 'Always' };
    evaluation: 'Static' | 'Dynamic';
    changeSource: 'DirectModification' | 'ParameterReference' | 'ResourceReference' | 'ResourceAttribute' | 'Automatic';
    causingEntity?: string;
  }[];
  /** IncludeNestedStacks: the nested change set of an AWS::CloudFormation::Stack resource, and (for a new one) its stack. */
  changeSetId?: string;
  nestedStackId?: string;
}

export interface ChangeSetRecord extends LaunchInputs {
  changeSetId: string;
  changeSetName: string;
  stackId: string;
  stackName: string;
  region: string;
  type: 'CREATE' | 'UPDATE';
  description?: string;
  status: 'CREATE_PENDING' | 'CREATE_IN_PROGRESS' | 'CREATE_COMPLETE' | 'DELETE_COMPLETE' | 'FAILED';
  statusReason?: string;
  executionStatus: 'UNAVAILABLE' | 'AVAILABLE' | 'EXECUTE_IN_PROGRESS' | 'EXECUTE_COMPLETE' | 'EXECUTE_FAILED' | 'OBSOLETE';
  createdAt: number;
  /** Set once its outcome showed: a later, slower time scale does not take it back. */
  settled?: true;
  changes: ResourceChangeRecord[];
  clientToken?: string;
  onStackFailure?: 'ROLLBACK' | 'DO_NOTHING' | 'DELETE';
  includeNestedStacks?: boolean;
  parentChangeSetId?: string;
  rootChangeSetId?: string;
}

export type { Json };
