import { describe, expect, it } from 'vitest';
import { checkYamlFormat } from './formats';

describe('YAML formats', () => {
  it.each([
    ['yaml-api-keys', '- organization_id: 12340000-0000-4000-8000-000000000000\n  keys:\n    - abc\n'],
    ['yaml-storage-profiles', '- organization_id: 12340000-0000-4000-8000-000000000000\n  collector_name: lakerunner\n  bucket: my-bucket\n  region: us-east-1\n  use_path_style: true\n'],
    ['yaml-otel-config', 'receivers: {otlp: {}}\nexporters: {nop: {}}\nservice:\n  pipelines: {logs: {receivers: [otlp], exporters: [nop]}}\n'],
    ['yaml-api-keys', ''],
  ] as const)('%s accepts a well-formed document', async (format, text) => {
    expect(await checkYamlFormat(format, text, 'Value')).toBeUndefined();
  });

  it.each([
    ['yaml-api-keys', 'keys: [a', 'Value is not valid YAML (line 1)'],
    ['yaml-api-keys', 'organization_id: x', 'Value does not have the expected shape: the document: expected array.'],
    ['yaml-api-keys', '- organization_id: nope\n  keys: [a]', 'Value does not have the expected shape: [0].organization_id: must be a UUID.'],
    ['yaml-api-keys', '- organization_id: 12340000-0000-4000-8000-000000000000\n  keys: []', 'Value does not have the expected shape: [0].keys: needs at least one key.'],
    ['yaml-storage-profiles', '- organization_id: 12340000-0000-4000-8000-000000000000\n  collector_name: c\n  bucket: b-b-b\n  colour: red', 'Value does not have the expected shape: [0]: unknown field colour.'],
    ['yaml-storage-profiles', 'a: 1\na: 2', 'Value is not valid YAML'],
    ['yaml-otel-config', 'receivers: {}', 'Value does not have the expected shape: exporters: expected record.'],
  ] as const)('%s rejects %j', async (format, text, message) => {
    expect(await checkYamlFormat(format, text, 'Value')).toContain(message);
  });
});
