import { expect, test } from '@playwright/test';
import { openPlan, stackSection, waitForLaunchList } from './support/plan-page';

const BASE = 'https://my-templates.s3.us-west-2.amazonaws.com/lakerunner/prod/';

function query(href: string) {
  const hash = new URL(href).hash.replace('#/stacks/quickcreate?', '');
  return new URLSearchParams(hash);
}

test('configure an existing-VPC deployment and open the quick-create links in order', { tag: '@parallel' }, async ({ page, context }) => {
  await openPlan(page);
  await page.getByLabel('AWS region').selectOption('us-west-2');
  await page.getByLabel('Use an existing VPC').check();
  await page.getByRole('checkbox', { name: 'OTEL collector' }).uncheck();
  const common = stackSection(page, 'common');
  await common.getByRole('combobox', { name: 'VPC', exact: true }).fill('vpc-0a1b2c3d4e5f60718');
  await common.getByLabel(/Private subnets/).fill('subnet-0aaa1111bbbb2222c,subnet-0ddd3333eeee4444f');
  await common.getByLabel(/Public subnets/).fill('subnet-0123456789abcdef0,subnet-0fedcba9876543210');
  await common.getByLabel(/Load balancer scheme/).selectOption('internet-facing');
  // internet-facing without a certificate: the form says what would cross the internet in clear, until a certificate is given
  const exposure = common.getByTestId('exposure-common');
  await expect(exposure).toContainText('internet-facing without a certificate: the Grafana admin password');
  await common.getByLabel('Load balancer certificate ARN').fill('arn:aws:acm:us-west-2:123456789012:certificate/0a1b2c3d-4e5f-6789-abcd-ef0123456789');
  await expect(exposure).toHaveCount(0);
  const certificate = common.getByLabel('Load balancer certificate ARN');
  await certificate.fill('');
  await certificate.blur();
  await expect(exposure).toBeVisible();
  // and refuses it until plain HTTP is allowed explicitly, which the warning outlives
  await expect(certificate).toHaveAttribute('aria-invalid', 'true');
  await expect(page.locator(`#${await certificate.getAttribute('id')}-error`)).toContainText('would carry its traffic across the internet in clear');
  await common.getByLabel('Allow plain HTTP on an internet-facing load balancer').selectOption('Yes');
  await page.getByRole('button', { name: 'Check plan' }).click();
  await expect(certificate).not.toHaveAttribute('aria-invalid', 'true');
  await expect(exposure).toBeVisible();
  await page.getByLabel(/Template base URL/).fill(BASE);

  const list = await waitForLaunchList(page, 4);
  const links = list.getByRole('link', { name: /Launch stack/ });
  await expect(links).toHaveCount(4);
  const hrefs = await links.evaluateAll((as) => as.map((a) => (a as HTMLAnchorElement).href));
  expect(hrefs.map((h) => query(h).get('stackName'))).toEqual(['lakerunner-common', 'lakerunner-migration', 'lakerunner-services', 'lakerunner-grafana-service']);

  for (const href of hrefs) {
    expect(href.startsWith('https://us-west-2.console.aws.amazon.com/cloudformation/home?region=us-west-2#/stacks/quickcreate?')).toBe(true);
    expect(query(href).get('templateURL')).toBe(`${BASE}${query(href).get('stackName')}.yaml`);
  }
  const [commonLink, migrationLink, servicesLink, grafanaLink] = hrefs.map(query);
  expect(Object.fromEntries([...commonLink!].filter(([k]) => k.startsWith('param_')))).toEqual({
    param_VpcId: 'vpc-0a1b2c3d4e5f60718',
    param_PrivateSubnets: 'subnet-0aaa1111bbbb2222c,subnet-0ddd3333eeee4444f',
    param_PublicSubnets: 'subnet-0123456789abcdef0,subnet-0fedcba9876543210',
    param_AlbScheme: 'internet-facing',
    param_AlbAllowPlainHttp: 'Yes',
    param_DbEngineVersion: '17',
    param_DbDeletionProtection: 'true',
  });
  expect(migrationLink!.get('param_CommonInfraStackName')).toBe('lakerunner-common');
  expect(servicesLink!.get('param_CommonInfraStackName')).toBe('lakerunner-common');
  expect(servicesLink!.get('param_GoServicesImage')).toBe('public.ecr.aws/cardinalhq.io/lakerunner:v1.2.1');
  expect(grafanaLink!.get('param_CommonInfraStackName')).toBe('lakerunner-common');
  // the original README's name for the services stack, filled by the plan
  expect(grafanaLink!.get('param_ServicesStackName')).toBe('lakerunner-services');

  // the link opens the AWS console in a new tab (the console itself is not reachable from the test)
  await context.route('https://us-west-2.console.aws.amazon.com/**', (route) => route.fulfill({ body: 'AWS console' }));
  const popup = page.waitForEvent('popup');
  await links.first().click();
  expect((await popup).url()).toBe(hrefs[0]);
});
