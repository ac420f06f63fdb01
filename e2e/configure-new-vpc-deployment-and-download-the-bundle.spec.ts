import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { expect, test } from '@playwright/test';
import { unzipSync } from 'fflate';
import { parse } from 'yaml';
import { openPlan, stackSection, waitForLaunchList } from './support/plan-page';

const STEMS = ['lakerunner-vpc', 'lakerunner-common', 'lakerunner-migration', 'lakerunner-services', 'lakerunner-grafana-service', 'lakerunner-otel-collector', 'lakerunner-demo-apps'];

test('configure a new-VPC deployment with every optional stack and download the bundle', { tag: '@parallel' }, async ({ page }) => {
  await openPlan(page);
  await page.getByLabel('Plan name').fill('Team Lake');
  await page.getByLabel('AWS region').selectOption('eu-west-1');
  await page.getByLabel('Create a new VPC').check();
  await page.getByRole('checkbox', { name: 'Demo apps' }).check();
  await expect(page.getByRole('checkbox', { name: 'OTEL collector' })).toBeChecked();

  await stackSection(page, 'vpc').getByLabel('VPC CIDR block').fill('10.20.0.0/16');
  await stackSection(page, 'services').getByLabel(/Go services image/).fill('registry.example.com/lakerunner:v1.2.9');
  await stackSection(page, 'grafana').getByLabel('Grafana reset token').fill('reset-1');

  await waitForLaunchList(page, 7);
  const download = page.waitForEvent('download');
  await page.getByRole('button', { name: 'Download bundle (YAML)' }).click();
  const file = await (await download).path();

  // unzip as the user would and look at what deploy.sh will create
  const files = unzipSync(readFileSync(file));
  const dir = mkdtempSync(join(tmpdir(), 'bundle-'));
  for (const [path, data] of Object.entries(files)) {
    mkdirSync(dirname(join(dir, path)), { recursive: true });
    writeFileSync(join(dir, path), data);
  }
  const root = join(dir, 'team-lake');
  for (const stem of STEMS) {
    const template = parse(readFileSync(join(root, 'templates', `${stem}.yaml`), 'utf8'), { version: '1.1' });
    expect(template.AWSTemplateFormatVersion).toBe('2010-09-09');
    JSON.parse(readFileSync(join(root, 'parameters', `${stem}.json`), 'utf8'));
  }
  const vpc = parse(readFileSync(join(root, 'templates', 'lakerunner-vpc.yaml'), 'utf8'), { version: '1.1' });
  expect(vpc.Parameters.VpcCidr.Default).toBe('10.20.0.0/16');
  const services = JSON.parse(readFileSync(join(root, 'parameters', 'lakerunner-services.json'), 'utf8'));
  expect(services).toContainEqual({ ParameterKey: 'GoServicesImage', ParameterValue: 'registry.example.com/lakerunner:v1.2.9' });
  expect(services).toContainEqual({ ParameterKey: 'CommonInfraStackName', ParameterValue: 'lakerunner-common' });
  const grafana = JSON.parse(readFileSync(join(root, 'parameters', 'lakerunner-grafana-service.json'), 'utf8'));
  expect(grafana).toContainEqual({ ParameterKey: 'GrafanaResetToken', ParameterValue: 'reset-1' });

  const script = readFileSync(join(root, 'deploy.sh'), 'utf8');
  execFileSync('bash', ['-n', join(root, 'deploy.sh')]);
  expect(script).toContain("REGION='eu-west-1'");
  const order = [...script.matchAll(/^create_stack '([^']+)'/gm)].map((m) => m[1]);
  expect(order).toEqual(STEMS);
  expect(script).toMatch(/^VPC_ID=\$\(output_of 'lakerunner-vpc' 'VpcId'\)$/m);
});
