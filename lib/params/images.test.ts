import { describe, expect, it } from 'vitest';
import { checkRegistryPrefix, hasMirrorableImages, withImageRegistry, withRegistryPrefix } from './images';

const LAKERUNNER = 'public.ecr.aws/cardinalhq.io/lakerunner:v1.81.0@sha256:ec07934e1fcd7e900bb308a9713660742d377e4da047ea7e95affb12f6707018';
const spec = { mirrorable: true, default: LAKERUNNER };

describe('the image registry prefix', () => {
  it('moves a release image under the prefix, path and digest kept', () => {
    expect(withRegistryPrefix('123456789012.dkr.ecr.us-east-1.amazonaws.com/aws-public/', LAKERUNNER)).toBe(
      '123456789012.dkr.ecr.us-east-1.amazonaws.com/aws-public/cardinalhq.io/lakerunner:v1.81.0@sha256:ec07934e1fcd7e900bb308a9713660742d377e4da047ea7e95affb12f6707018',
    );
    expect(withImageRegistry('mirror.example.com:5000', spec, LAKERUNNER)).toBe(`mirror.example.com:5000/${LAKERUNNER.slice('public.ecr.aws/'.length)}`);
  });

  it('leaves images elsewhere, parameters that are not mirrorable, and an empty prefix alone', () => {
    expect(withImageRegistry('mirror.example.com', spec, 'registry.example.com/lakerunner:v2')).toBe('registry.example.com/lakerunner:v2');
    expect(withImageRegistry('mirror.example.com', { default: LAKERUNNER }, LAKERUNNER)).toBe(LAKERUNNER);
    expect(withImageRegistry('  ', spec, LAKERUNNER)).toBe(LAKERUNNER);
    expect(withImageRegistry(undefined, spec, LAKERUNNER)).toBe(LAKERUNNER);
  });

  it.each([
    ['', true],
    ['123456789012.dkr.ecr.us-east-1.amazonaws.com/aws-public', true],
    ['mirror.example.com:5000/team/images/', true],
    ['https://mirror.example.com', false],
    ['Mirror.Example.com', false],
    ['mirror.example.com/../x', false],
    ['mirror example.com', false],
  ])('accepts %j: %s', (prefix, ok) => {
    expect(checkRegistryPrefix(prefix) === undefined).toBe(ok);
  });

  it('is offered only for lines with mirrorable images', () => {
    expect(hasMirrorableImages([{ parameters: [{}, { mirrorable: true }] }])).toBe(true);
    expect(hasMirrorableImages([{ parameters: [{}] }])).toBe(false);
  });
});
