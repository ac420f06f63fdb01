import { CreateStackCommand, DeleteStackCommand } from '@aws-sdk/client-cloudformation';
import { DescribeRouteTablesCommand, DescribeSubnetsCommand, DescribeVpcsCommand, type EC2Client, type RouteTable } from '@aws-sdk/client-ec2';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { template, twoAccountSandbox, waitForStack, type Clients, type ControlApi, type Fixture } from './testing';

const TOKEN = 'network-test-token';
const B = '222222222222';

let f: Fixture;
let b: Clients;
let control: ControlApi;
beforeAll(async () => {
  ({ f, b, control } = await twoAccountSandbox(TOKEN));
});
afterAll(() => f.sandbox.close());

/** What a VPC preflight computes: each subnet's AZ, and whether its effective route table reaches an internet gateway. */
async function subnetsOf(ec2: EC2Client, vpcId: string) {
  const subnets = (await ec2.send(new DescribeSubnetsCommand({ Filters: [{ Name: 'vpc-id', Values: [vpcId] }] }))).Subnets!;
  const tables = (await ec2.send(new DescribeRouteTablesCommand({ Filters: [{ Name: 'vpc-id', Values: [vpcId] }] }))).RouteTables!;
  const effective = (subnetId: string): RouteTable =>
    tables.find((t) => t.Associations?.some((a) => a.SubnetId === subnetId)) ?? tables.find((t) => t.Associations?.some((a) => a.Main))!;
  return subnets.map((s) => ({
    zone: s.AvailabilityZone,
    mapPublicIp: s.MapPublicIpOnLaunch,
    public: effective(s.SubnetId!).Routes!.some((r) => r.DestinationCidrBlock === '0.0.0.0/0' && r.GatewayId?.startsWith('igw-')),
    viaNat: effective(s.SubnetId!).Routes!.some((r) => r.DestinationCidrBlock === '0.0.0.0/0' && r.NatGatewayId?.startsWith('nat-')),
  }));
}

const vpcNamed = async (ec2: EC2Client, name: string) => (await ec2.send(new DescribeVpcsCommand({ Filters: [{ Name: 'tag:Name', Values: [name] }] }))).Vpcs![0]!.VpcId!;

describe('EC2 route tables and seeded networks, for a VPC preflight', () => {
  it('the seeded VPCs: default subnets are public through the main table; the workloads VPC has private subnets behind a NAT and public ones', async () => {
    const byDefault = (await f.ec2.send(new DescribeVpcsCommand({ Filters: [{ Name: 'is-default', Values: ['true'] }] }))).Vpcs![0]!.VpcId!;
    expect(await subnetsOf(f.ec2, byDefault)).toEqual(['a', 'b', 'c'].map((z) => ({ zone: `us-east-1${z}`, mapPublicIp: true, public: true, viaNat: false })));
    expect(await subnetsOf(f.ec2, await vpcNamed(f.ec2, 'sandbox-workloads'))).toEqual([
      { zone: 'us-east-1a', mapPublicIp: false, public: false, viaNat: true },
      { zone: 'us-east-1b', mapPublicIp: false, public: false, viaNat: true },
      { zone: 'us-east-1a', mapPublicIp: true, public: true, viaNat: false },
      { zone: 'us-east-1b', mapPublicIp: true, public: true, viaNat: false },
    ]);
    const main = (await f.ec2.send(new DescribeRouteTablesCommand({ Filters: [{ Name: 'association.main', Values: ['true'] }] }))).RouteTables!;
    expect(main).toHaveLength(2);
    expect(main.every((t) => t.OwnerId === '111111111111' && t.RouteTableId!.startsWith('rtb-') && t.Associations![0]!.AssociationState?.State === 'associated')).toBe(true);
    // the second account has the same layout under its own ids
    const inB = (await b.ec2.send(new DescribeRouteTablesCommand({}))).RouteTables!;
    expect(inB).toHaveLength(4);
    expect(inB.every((t) => t.OwnerId === B)).toBe(true);
    expect(inB.some((t) => main.some((m) => m.RouteTableId === t.RouteTableId))).toBe(false);
  });

  it('a stack’s VPC: its main table, its route tables with their routes and associations, gone with the stack', async () => {
    await f.cfn.send(
      new CreateStackCommand({
        StackName: 'own-vpc',
        TemplateBody: template({
          Vpc: { Type: 'AWS::EC2::VPC', Properties: { CidrBlock: '10.50.0.0/16', Tags: [{ Key: 'Name', Value: 'own-vpc' }] } },
          Igw: { Type: 'AWS::EC2::InternetGateway' },
          Attach: { Type: 'AWS::EC2::VPCGatewayAttachment', Properties: { VpcId: { Ref: 'Vpc' }, InternetGatewayId: { Ref: 'Igw' } } },
          Public: { Type: 'AWS::EC2::Subnet', Properties: { VpcId: { Ref: 'Vpc' }, CidrBlock: '10.50.0.0/24', AvailabilityZone: 'us-east-1a', MapPublicIpOnLaunch: true } },
          Private: { Type: 'AWS::EC2::Subnet', Properties: { VpcId: { Ref: 'Vpc' }, CidrBlock: '10.50.1.0/24', AvailabilityZone: 'us-east-1b' } },
          PublicRoutes: { Type: 'AWS::EC2::RouteTable', Properties: { VpcId: { Ref: 'Vpc' }, Tags: [{ Key: 'Name', Value: 'public' }] } },
          Default: { Type: 'AWS::EC2::Route', DependsOn: 'Attach', Properties: { RouteTableId: { Ref: 'PublicRoutes' }, DestinationCidrBlock: '0.0.0.0/0', GatewayId: { Ref: 'Igw' } } },
          PublicLink: { Type: 'AWS::EC2::SubnetRouteTableAssociation', Properties: { SubnetId: { Ref: 'Public' }, RouteTableId: { Ref: 'PublicRoutes' } } },
        }),
      }),
    );
    const stack = await waitForStack(f.cfn, 'own-vpc');
    expect(stack.StackStatus).toBe('CREATE_COMPLETE');
    const vpcId = await vpcNamed(f.ec2, 'own-vpc');
    // The two subnets are created side by side: they come back in the order they were made, by zone here.
    expect((await subnetsOf(f.ec2, vpcId)).sort((x, y) => x.zone!.localeCompare(y.zone!))).toEqual([
      { zone: 'us-east-1a', mapPublicIp: true, public: true, viaNat: false },
      { zone: 'us-east-1b', mapPublicIp: false, public: false, viaNat: false },
    ]);
    const tables = (await f.ec2.send(new DescribeRouteTablesCommand({ Filters: [{ Name: 'vpc-id', Values: [vpcId] }] }))).RouteTables!;
    const publicTable = tables.find((t) => t.Tags?.some((tag) => tag.Value === 'public'))!;
    expect(publicTable.Routes).toEqual([
      { DestinationCidrBlock: '10.50.0.0/16', GatewayId: 'local', State: 'active', Origin: 'CreateRouteTable' },
      { DestinationCidrBlock: '0.0.0.0/0', GatewayId: expect.stringMatching(/^igw-/), State: 'active', Origin: 'CreateRoute' },
    ]);
    const publicSubnet = publicTable.Associations![0]!.SubnetId!;
    const bySubnet = await f.ec2.send(new DescribeRouteTablesCommand({ Filters: [{ Name: 'association.subnet-id', Values: [publicSubnet] }] }));
    expect(bySubnet.RouteTables!.map((t) => t.RouteTableId)).toEqual([publicTable.RouteTableId]);
    expect((await f.ec2.send(new DescribeRouteTablesCommand({ RouteTableIds: [publicTable.RouteTableId!] }))).RouteTables).toHaveLength(1);

    await f.cfn.send(new DeleteStackCommand({ StackName: 'own-vpc' }));
    expect((await waitForStack(f.cfn, stack.StackId!)).StackStatus).toBe('DELETE_COMPLETE');
    expect((await f.ec2.send(new DescribeRouteTablesCommand({ Filters: [{ Name: 'vpc-id', Values: [vpcId] }] }))).RouteTables).toEqual([]);
    await expect(f.ec2.send(new DescribeRouteTablesCommand({ RouteTableIds: [publicTable.RouteTableId!] }))).rejects.toMatchObject({
      name: 'InvalidRouteTableID.NotFound',
      message: `The routeTable ID '${publicTable.RouteTableId}' does not exist`,
    });
  });

  it('a customer’s VPC seeded over the control API in another account: the subnets, zones and routing it was given', async () => {
    const seeded = await control('POST', 'network', {
      accountId: B,
      cidrBlock: '10.60.0.0/16',
      tags: [{ Key: 'Name', Value: 'customer' }],
      subnets: [
        { cidrBlock: '10.60.0.0/20', availabilityZone: 'us-east-1a' },
        { cidrBlock: '10.60.16.0/20', availabilityZone: 'us-east-1a' },
        { cidrBlock: '10.60.128.0/24', availabilityZone: 'us-east-1b', public: true },
      ],
    });
    expect(seeded.status).toBe(200);
    const { vpcId, subnetIds, routeTableIds } = seeded.body as { vpcId: string; subnetIds: string[]; routeTableIds: Record<string, string> };
    expect(vpcId).toMatch(/^vpc-[0-9a-f]{17}$/);
    expect(subnetIds).toHaveLength(3);
    expect(Object.keys(routeTableIds).sort()).toEqual(['main', 'private', 'public']);
    // two private subnets, but in one AZ: what the preflight must catch
    const subnets = await subnetsOf(b.ec2, vpcId);
    expect(subnets).toEqual([
      { zone: 'us-east-1a', mapPublicIp: false, public: false, viaNat: true },
      { zone: 'us-east-1a', mapPublicIp: false, public: false, viaNat: true },
      { zone: 'us-east-1b', mapPublicIp: true, public: true, viaNat: false },
    ]);
    expect(new Set(subnets.filter((s) => !s.public).map((s) => s.zone)).size).toBe(1);
    await expect(f.ec2.send(new DescribeVpcsCommand({ VpcIds: [vpcId] }))).rejects.toMatchObject({ name: 'InvalidVpcID.NotFound' });

    // a VPC without public subnets has private ones with no way out at all
    const isolated = (await control('POST', 'network', { accountId: B, cidrBlock: '10.61.0.0/16', subnets: [{ cidrBlock: '10.61.0.0/24', availabilityZone: 'us-east-1c' }] })).body as { vpcId: string };
    expect(await subnetsOf(b.ec2, isolated.vpcId)).toEqual([{ zone: 'us-east-1c', mapPublicIp: false, public: false, viaNat: false }]);
    expect((await b.ec2.send(new DescribeSubnetsCommand({ Filters: [{ Name: 'availability-zone-id', Values: ['use1-az3'] }, { Name: 'vpc-id', Values: [isolated.vpcId] }] }))).Subnets).toHaveLength(1);
  });

  it('refuses networks EC2 would not create, and filters it does not know', async () => {
    const cases: [unknown, string][] = [
      [{ cidrBlock: '10.0.0.0/8' }, 'cidrBlock must be an IPv4 CIDR block from /16 to /28'],
      [{ cidrBlock: '10.70.0.0/16', subnets: [{ cidrBlock: '10.71.0.0/24', availabilityZone: 'us-east-1a' }] }, 'subnets[0].cidrBlock must be a CIDR block inside 10.70.0.0/16'],
      [
        { cidrBlock: '10.70.0.0/16', subnets: [{ cidrBlock: '10.70.0.0/20', availabilityZone: 'us-east-1a' }, { cidrBlock: '10.70.1.0/24', availabilityZone: 'us-east-1b' }] },
        'subnets[1].cidrBlock overlaps another subnet',
      ],
      [{ cidrBlock: '10.70.0.0/16', subnets: [{ cidrBlock: '10.70.0.0/24', availabilityZone: 'eu-west-1a' }] }, 'subnets[0].availabilityZone must be one of us-east-1a, us-east-1b, us-east-1c'],
    ];
    for (const [body, error] of cases) expect(await control('POST', 'network', body)).toEqual({ status: 400, body: { error } });
    await expect(f.ec2.send(new DescribeRouteTablesCommand({ Filters: [{ Name: 'no-such-filter', Values: ['x'] }] }))).rejects.toMatchObject({
      name: 'InvalidParameterValue',
      message: "The filter 'no-such-filter' is invalid",
    });
  });
});
